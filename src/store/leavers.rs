//! People coming and going: the office deactivates a person who left (their records stay, under
//! their name), moves one to another unit (their open form for the old unit ends), and lists
//! and withdraws the invitations not used yet.

use chrono::{DateTime, Utc};

use super::Store;
use super::error::{Result, StoreError};
use super::people::{SELECT_PEOPLE, person_from_row};
use super::sql::{get, instant, read_instant, read_word};
use super::units::unit_id;
use crate::domain::Role;
use crate::records::{InviteRefusal, OpenInvite, Person, Problem, Recorder};

const SELECT_OPEN_INVITES: &str = "SELECT i.id, i.code, u.code AS unit_code, \
     u.name AS unit_name, i.role, i.name, i.created_at, i.expires_at \
     FROM invites i LEFT JOIN units u ON u.id = i.unit_id";

fn open_invite(row: &sqlx::any::AnyRow) -> Result<OpenInvite> {
    let role: String = get(row, "role")?;
    Ok(OpenInvite {
        id: get(row, "id")?,
        code: get(row, "code")?,
        unit_code: get(row, "unit_code")?,
        unit_name: get(row, "unit_name")?,
        role: read_word("invites.role", &role, Role::parse)?,
        name: get(row, "name")?,
        created_at: read_instant("invites.created_at", get(row, "created_at")?)?,
        expires_at: read_instant("invites.expires_at", get(row, "expires_at")?)?,
    })
}

fn unknown_person(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "person",
        key: id.to_string(),
    }
}

async fn person_on(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Person> {
    let row = sqlx::query(&format!("{SELECT_PEOPLE} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| unknown_person(id))?;
    person_from_row(&row)
}

impl Store {
    /// Deactivates a person who left: the bot no longer serves them, nothing is sent to them,
    /// and their records keep their name. Whether they were active before (a second
    /// deactivation changes nothing). Their open form ends.
    pub async fn deactivate_person(
        &self,
        id: i64,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<(Person, bool)> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE people SET left_at = $1, left_by = $2 WHERE id = $3 AND left_at IS NULL",
        )
        .bind(instant(now))
        .bind(by.0.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let person = person_on(&mut tx, id).await?;
        if done.rows_affected() > 0 {
            sqlx::query("DELETE FROM dialogues WHERE person_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok((person, done.rows_affected() > 0))
    }

    /// Moves a person (not of the office, not deactivated) to another unit, keeping their role;
    /// a form they had open for the old unit ends. Whether the unit changed.
    pub async fn move_person(
        &self,
        id: i64,
        unit_code: &str,
        now: DateTime<Utc>,
    ) -> Result<(Person, bool)> {
        let mut tx = self.begin_write().await?;
        let before = person_on(&mut tx, id).await?;
        if before.role == Role::Office {
            return Err(StoreError::Invalid {
                column: "role",
                problem: Problem::Conflict {
                    value: Role::Office.code().to_string(),
                },
            });
        }
        if !before.active() {
            return Err(StoreError::Invalid {
                column: "left_at",
                problem: Problem::Conflict {
                    value: id.to_string(),
                },
            });
        }
        let unit = unit_id(&mut tx, unit_code.trim()).await?;
        if before.unit_id == Some(unit) {
            return Ok((before, false));
        }
        sqlx::query("UPDATE people SET unit_id = $1, joined_at = $2 WHERE id = $3")
            .bind(unit)
            .bind(instant(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM dialogues WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let person = person_on(&mut tx, id).await?;
        tx.commit().await?;
        Ok((person, true))
    }

    /// The invitations that can still be redeemed: not used, not withdrawn, not expired; the
    /// oldest first.
    pub async fn open_invites(&self, now: DateTime<Utc>) -> Result<Vec<OpenInvite>> {
        sqlx::query(&format!(
            "{SELECT_OPEN_INVITES} WHERE i.used_at IS NULL AND i.revoked_at IS NULL \
             AND i.expires_at > $1 ORDER BY i.id"
        ))
        .bind(instant(now))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(open_invite)
        .collect()
    }

    /// Withdraws an invitation not used yet, by its number or its code; withdrawing it again
    /// changes nothing. A used one is refused (`InviteRefusal::Used`): the person it made is
    /// deactivated instead.
    pub async fn revoke_invite(
        &self,
        number_or_code: &str,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<OpenInvite> {
        let key = number_or_code.trim();
        let key = key.strip_prefix('#').unwrap_or(key);
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = match key.parse::<i64>() {
            Ok(number) => {
                sqlx::query_scalar("SELECT id FROM invites WHERE id = $1")
                    .bind(number)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            Err(_) => {
                sqlx::query_scalar("SELECT id FROM invites WHERE code = $1")
                    .bind(key.to_string())
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let Some(id) = id else {
            return Err(StoreError::Invite(InviteRefusal::Unknown));
        };
        let used: Option<i64> = sqlx::query_scalar("SELECT used_at FROM invites WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if used.is_some() {
            return Err(StoreError::Invite(InviteRefusal::Used));
        }
        sqlx::query(
            "UPDATE invites SET revoked_at = $1, revoked_by = $2 \
             WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(instant(now))
        .bind(by.0.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("{SELECT_OPEN_INVITES} WHERE i.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let invite = open_invite(&row)?;
        tx.commit().await?;
        Ok(invite)
    }
}
