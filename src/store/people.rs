//! People in the bot and their invitations: a single-use code gives a unit and a role.

use std::io::Read as _;

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::error::{Result, StoreError};
use super::sql::{get, instant, read_instant, read_word};
use super::units::unit_id;
use super::{Backend, Store};
use crate::domain::{Role, UnitId};
use crate::records::{Problem, Recorder};

pub use crate::records::{Invite, InviteRefusal, OpenInvite, Person};

/// Most characters of a person's name.
pub const PERSON_NAME_LIMIT: usize = 50;

/// A person's name as typed: trimmed, not empty, at most [`PERSON_NAME_LIMIT`] characters, no
/// control characters or direction marks.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let invalid = |problem| {
        Err(StoreError::Invalid {
            column: "name",
            problem,
        })
    };
    if name.is_empty() {
        return invalid(Problem::Empty);
    }
    if name.chars().count() > PERSON_NAME_LIMIT {
        return invalid(Problem::TooLong {
            limit: PERSON_NAME_LIMIT,
        });
    }
    // A direction override makes a name display as another than it is stored.
    if crate::domain::has_controls(name) {
        return invalid(Problem::ControlCharacter);
    }
    Ok(name.to_string())
}

/// Random bytes in a code: 128 bits, so a code cannot be guessed.
const CODE_BYTES: usize = 16;

/// A new invitation code: 16 random bytes as lowercase base32 (26 characters of `a-z2-7`),
/// safe in a `t.me/<bot>?start=` link and easy to type after `/start`.
fn new_code() -> Result<String> {
    let mut bytes = [0u8; CODE_BYTES];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| source.read_exact(&mut bytes))
        .map_err(StoreError::Randomness)?;
    Ok(base32(&bytes))
}

/// RFC 4648 base32, lowercase, without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// People in a list: by unit (the office last), then name.
const BY_UNIT_AND_NAME: &str = "ORDER BY u.code IS NULL, u.code, p.name, p.id";

pub(crate) const SELECT_PEOPLE: &str = "SELECT p.id, p.telegram_id, p.name, p.unit_id, \
     u.code AS unit_code, u.name AS unit_name, p.role, p.locale, p.name_confirmed, p.name_asked, p.unreachable_at, \
     p.left_at \
     FROM people p LEFT JOIN units u ON u.id = p.unit_id";

pub(crate) fn person_from_row(row: &AnyRow) -> Result<Person> {
    let role: String = get(row, "role")?;
    Ok(Person {
        id: get(row, "id")?,
        telegram_id: get(row, "telegram_id")?,
        name: get(row, "name")?,
        unit_id: get(row, "unit_id")?,
        unit_code: get(row, "unit_code")?,
        unit_name: get(row, "unit_name")?,
        role: read_word("people.role", &role, Role::parse)?,
        locale: get(row, "locale")?,
        name_confirmed: get::<i64>(row, "name_confirmed")? != 0,
        name_asked: get::<i64>(row, "name_asked")? != 0,
        unreachable_since: get::<Option<i64>>(row, "unreachable_at")?
            .map(|at| read_instant("people.unreachable_at", at))
            .transpose()?,
        left_at: get::<Option<i64>>(row, "left_at")?
            .map(|at| read_instant("people.left_at", at))
            .transpose()?,
    })
}

impl Store {
    /// Creates a single-use invitation to a unit with a role, valid for `valid_for` from `now`.
    /// A unit is required unless the role is the office; an unknown unit is `NotFound`.
    pub async fn create_invite(
        &self,
        unit_code: Option<&str>,
        role: Role,
        valid_for: chrono::Duration,
        now: DateTime<Utc>,
        by: &Recorder,
    ) -> Result<Invite> {
        self.create_named_invite(unit_code, role, None, valid_for, now, by)
            .await
    }

    /// Like [`Store::create_invite`], naming the person it is for: whoever redeems it is
    /// registered under that name rather than the one Telegram gives.
    pub async fn create_named_invite(
        &self,
        unit_code: Option<&str>,
        role: Role,
        name: Option<&str>,
        valid_for: chrono::Duration,
        now: DateTime<Utc>,
        by: &Recorder,
    ) -> Result<Invite> {
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => Some(check_name(name)?),
            None => None,
        };
        let unit_code = unit_code.map(str::trim).filter(|c| !c.is_empty());
        if unit_code.is_none() && role != Role::Office {
            return Err(StoreError::Invalid {
                column: "unit",
                problem: Problem::Empty,
            });
        }
        if valid_for <= chrono::Duration::zero() {
            return Err(StoreError::Invalid {
                column: "valid_for",
                problem: Problem::NotANumber {
                    value: valid_for.num_seconds().to_string(),
                    min: 1,
                    max: i64::MAX,
                },
            });
        }
        let expires_at = now + valid_for;
        let code = new_code()?;
        let mut tx = self.begin_write().await?;
        let unit = match unit_code {
            Some(code) => Some(unit_id(&mut tx, code).await?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO invites (code, unit_id, role, created_at, expires_at, recorded_by, name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code.clone())
        .bind(unit)
        .bind(role.code())
        .bind(instant(now))
        .bind(instant(expires_at))
        .bind(by.0.clone())
        .bind(name.clone())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Invite {
            code,
            unit_code: unit_code.map(str::to_string),
            role,
            name,
            // As stored: whole seconds.
            expires_at: read_instant("invites.expires_at", instant(expires_at))?,
        })
    }

    /// Redeems an invitation for a Telegram user: once only, before it expires. Someone new is
    /// registered; someone registered already is moved to the invitation's unit and role (a
    /// person belongs to one unit at a time) and takes `name`. Of two redeeming one code at the
    /// same time, one wins and the other gets `InviteRefusal::Used`.
    pub async fn redeem_invite(
        &self,
        code: &str,
        telegram_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Person> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid {
                column: "name",
                problem: Problem::Empty,
            });
        }
        let refused = |why| Err(StoreError::Invite(why));
        let mut tx = self.begin_write().await?;
        // SQLite's BEGIN IMMEDIATE already holds the write lock; PostgreSQL locks the row, so a
        // second redeemer waits here and then sees it used.
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        };
        let row = sqlx::query(&format!(
            "SELECT id, unit_id, role, expires_at, used_at, name, revoked_at FROM invites \
             WHERE code = $1{lock}"
        ))
        .bind(code.trim().to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return refused(InviteRefusal::Unknown);
        };
        let invite: i64 = get(&row, "id")?;
        let unit: Option<UnitId> = get(&row, "unit_id")?;
        let role: String = get(&row, "role")?;
        let expires_at: i64 = get(&row, "expires_at")?;
        let used_at: Option<i64> = get(&row, "used_at")?;
        let given_name: Option<String> = get(&row, "name")?;
        let revoked_at: Option<i64> = get(&row, "revoked_at")?;
        if revoked_at.is_some() && used_at.is_none() {
            return refused(InviteRefusal::Revoked);
        }
        if used_at.is_some() {
            // Used by this very user: the same `/start` handled again after a crash, which
            // must find the person it registered rather than a refusal.
            let again = sqlx::query(&format!(
                "{SELECT_PEOPLE} WHERE p.telegram_id = $1 AND p.invite_id = $2"
            ))
            .bind(telegram_id)
            .bind(invite)
            .fetch_optional(&mut *tx)
            .await?;
            return match again {
                Some(row) => person_from_row(&row),
                None => refused(InviteRefusal::Used),
            };
        }
        if instant(now) >= expires_at {
            return refused(InviteRefusal::Expired);
        }
        let person: i64 = sqlx::query_scalar(
            // A real name already known is kept unless the new invitation names the person.
            // Without a name on the invitation the bot asks for it, unless it is known.
            "INSERT INTO people (telegram_id, name, unit_id, role, joined_at, invite_id, \
                                 name_confirmed, name_asked) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1 - $7) \
             ON CONFLICT (telegram_id) DO UPDATE SET \
                 name = CASE WHEN excluded.name_confirmed = 0 AND people.name_confirmed = 1 \
                        THEN people.name ELSE excluded.name END, \
                 name_asked = CASE WHEN excluded.name_confirmed = 1 \
                        OR people.name_confirmed = 1 THEN 0 ELSE 1 END, \
                 name_confirmed = CASE WHEN excluded.name_confirmed = 1 \
                        THEN 1 ELSE people.name_confirmed END, \
                 unit_id = excluded.unit_id, role = excluded.role, \
                 joined_at = excluded.joined_at, invite_id = excluded.invite_id, \
                 left_at = NULL, left_by = NULL \
             RETURNING id",
        )
        .bind(telegram_id)
        .bind(given_name.clone().unwrap_or_else(|| name.to_string()))
        .bind(unit)
        .bind(role)
        .bind(instant(now))
        .bind(invite)
        .bind(i64::from(given_name.is_some()))
        .fetch_one(&mut *tx)
        .await?;
        let claimed = sqlx::query(
            "UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL",
        )
        .bind(instant(now))
        .bind(person)
        .bind(invite)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return refused(InviteRefusal::Used);
        }
        let row = sqlx::query(&format!("{SELECT_PEOPLE} WHERE p.id = $1"))
            .bind(person)
            .fetch_one(&mut *tx)
            .await?;
        let person = person_from_row(&row)?;
        tx.commit().await?;
        Ok(person)
    }

    /// The person a Telegram user is, if registered.
    pub async fn person_by_telegram(&self, telegram_id: i64) -> Result<Option<Person>> {
        sqlx::query(&format!("{SELECT_PEOPLE} WHERE p.telegram_id = $1"))
            .bind(telegram_id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(person_from_row)
            .transpose()
    }

    /// The person with this number, if any.
    pub async fn person_by_id(&self, id: i64) -> Result<Option<Person>> {
        sqlx::query(&format!("{SELECT_PEOPLE} WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(person_from_row)
            .transpose()
    }

    /// The invitation with this code, if there is one: its row number, and why it can no
    /// longer be redeemed (used, expired) if it cannot.
    pub async fn invite_number(
        &self,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(i64, Option<InviteRefusal>)>> {
        let row =
            sqlx::query("SELECT id, used_at, expires_at, revoked_at FROM invites WHERE code = $1")
                .bind(code.trim().to_string())
                .fetch_optional(self.pool())
                .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = get(&row, "id")?;
        let used: Option<i64> = get(&row, "used_at")?;
        let expires: i64 = get(&row, "expires_at")?;
        let revoked: Option<i64> = get(&row, "revoked_at")?;
        let refusal = if used.is_some() {
            Some(InviteRefusal::Used)
        } else if revoked.is_some() {
            Some(InviteRefusal::Revoked)
        } else if instant(now) >= expires {
            Some(InviteRefusal::Expired)
        } else {
            None
        };
        Ok(Some((id, refusal)))
    }

    /// The people of a unit, of one role or all, by name.
    pub async fn people_of_unit(&self, unit_id: UnitId, role: Option<Role>) -> Result<Vec<Person>> {
        let rows = match role {
            Some(role) => {
                sqlx::query(&format!(
                    "{SELECT_PEOPLE} WHERE p.unit_id = $1 AND p.role = $2 AND p.left_at IS NULL \
                     ORDER BY p.name, p.id"
                ))
                .bind(unit_id)
                .bind(role.code())
                .fetch_all(self.pool())
                .await?
            }
            None => sqlx::query(&format!(
                "{SELECT_PEOPLE} WHERE p.unit_id = $1 AND p.left_at IS NULL ORDER BY p.name, p.id"
            ))
            .bind(unit_id)
            .fetch_all(self.pool())
            .await?,
        };
        rows.iter().map(person_from_row).collect()
    }

    /// Everyone in the office (alerts of urgent reports, the inbox), by name.
    pub async fn office_people(&self) -> Result<Vec<Person>> {
        self.people_where(
            "p.role = $1 AND p.left_at IS NULL ORDER BY p.name, p.id",
            Some(Role::Office),
        )
        .await
    }

    /// The people a condition (and its ordering) picks, with `role` bound as `$1` if given.
    async fn people_where(&self, condition: &str, role: Option<Role>) -> Result<Vec<Person>> {
        let sql = format!("{SELECT_PEOPLE} WHERE {condition}");
        let mut query = sqlx::query(&sql);
        if let Some(role) = role {
            query = query.bind(role.code());
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(person_from_row)
            .collect()
    }

    /// Everyone whose command menu is not an officer's of a unit: the office, leaders, heads,
    /// and anyone without a unit.
    pub async fn people_with_own_menu(&self) -> Result<Vec<Person>> {
        let condition = "(p.role <> $1 OR p.unit_id IS NULL) AND p.left_at IS NULL ORDER BY p.id";
        self.people_where(condition, Some(Role::Officer)).await
    }

    /// Sets a person's real name (they gave it, or the office corrected it). An unknown person
    /// is `NotFound`.
    pub async fn set_name(&self, person_id: i64, name: &str) -> Result<Person> {
        let name = check_name(name)?;
        let done = sqlx::query(
            "UPDATE people SET name = $1, name_confirmed = 1, name_asked = 0 WHERE id = $2",
        )
        .bind(name)
        .bind(person_id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "person",
                key: person_id.to_string(),
            });
        }
        let row = sqlx::query(&format!("{SELECT_PEOPLE} WHERE p.id = $1"))
            .bind(person_id)
            .fetch_one(self.pool())
            .await?;
        person_from_row(&row)
    }

    /// Everyone the bot cannot reach (they blocked it), by unit then name.
    pub async fn unreachable_people(&self) -> Result<Vec<Person>> {
        let condition =
            format!("p.unreachable_at IS NOT NULL AND p.left_at IS NULL {BY_UNIT_AND_NAME}");
        self.people_where(&condition, None).await
    }

    /// Everyone registered (not deactivated), by unit then name.
    pub async fn people(&self) -> Result<Vec<Person>> {
        let condition = format!("p.left_at IS NULL {BY_UNIT_AND_NAME}");
        self.people_where(&condition, None).await
    }

    /// Everyone ever registered, the deactivated too, by unit then name.
    pub async fn everyone(&self) -> Result<Vec<Person>> {
        let condition = format!("TRUE {BY_UNIT_AND_NAME}");
        self.people_where(&condition, None).await
    }

    /// Keeps the language a person chose.
    pub async fn set_locale(&self, person_id: i64, locale: &str) -> Result<()> {
        let done = sqlx::query("UPDATE people SET locale = $1 WHERE id = $2")
            .bind(locale.trim().to_string())
            .bind(person_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "person",
                key: person_id.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_follows_rfc_4648_in_lowercase_without_padding() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "my");
        assert_eq!(base32(b"fo"), "mzxq");
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
    }

    #[test]
    fn a_code_is_26_url_safe_characters_and_codes_differ() {
        let (a, b) = (new_code().unwrap(), new_code().unwrap());
        assert_eq!(a.len(), 26);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
        );
        assert_ne!(a, b);
    }
}
