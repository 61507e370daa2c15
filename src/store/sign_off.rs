//! Sign-off (签发): a confirmed item waits for its unit's leader in charge, who approves it (it
//! is then filed, with the leader as its signer) or returns it with a remark; a decision is
//! recorded once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::Store;
use super::chat_items::{ChatFiling, file_in};
use super::dialogues;
use super::error::{Result, StoreError};
use super::sql::{get, instant, read_instant, read_word};
use super::units::unit_id;
use crate::domain::{Category, ItemId, Role, UnitId};
use crate::records::{HeaderFields, NewItem, Problem, Recorder};

pub use crate::records::{Decision, PendingItem, SignOff};

/// The draft as stored: the item's fields, JSON in `pending_items.draft`.
#[derive(Debug, Serialize, Deserialize)]
struct Draft {
    unit_code: String,
    filed_at: i64,
    title: String,
    category: u8,
    commissioned: bool,
    officer: Option<String>,
    body: Option<String>,
    distribution_scope: Option<String>,
    issuing_unit: Option<String>,
    signer: Option<String>,
    responsible_person: Option<String>,
    dated: Option<NaiveDate>,
    copies: Option<u32>,
    topic_id: Option<i64>,
    commission_id: Option<i64>,
}

impl Draft {
    fn of(filing: &ChatFiling) -> Draft {
        let (item, h) = (&filing.item, &filing.item.header);
        Draft {
            unit_code: item.unit_code.clone(),
            filed_at: instant(item.filed_at),
            title: item.title.clone(),
            category: item.category.number(),
            commissioned: item.commissioned,
            officer: item.officer.clone(),
            body: item.body.clone(),
            distribution_scope: h.distribution_scope.clone(),
            issuing_unit: h.issuing_unit.clone(),
            signer: h.signer.clone(),
            responsible_person: h.responsible_person.clone(),
            dated: h.dated,
            copies: h.copies,
            topic_id: filing.topic_id,
            commission_id: filing.commission_id,
        }
    }

    fn filing(self, filed_by: i64, key: String) -> Result<ChatFiling> {
        let bad = |value: String| StoreError::BadValue {
            column: "pending_items.draft",
            value,
        };
        Ok(ChatFiling {
            item: NewItem {
                reference: None,
                unit_code: self.unit_code,
                filed_at: read_instant("pending_items.draft", self.filed_at)?,
                title: self.title,
                category: Category::new(self.category)
                    .map_err(|_| bad(self.category.to_string()))?,
                commissioned: self.commissioned,
                officer: self.officer,
                body: self.body,
                header: HeaderFields {
                    distribution_scope: self.distribution_scope,
                    issuing_unit: self.issuing_unit,
                    signer: self.signer,
                    responsible_person: self.responsible_person,
                    dated: self.dated,
                    copies: self.copies,
                },
            },
            filed_by,
            topic_id: self.topic_id,
            commission_id: self.commission_id,
            submission_key: key,
        })
    }
}

const SELECT_PENDING: &str = "SELECT s.id, s.submission_key, s.unit_id, s.filed_by, \
     p.name AS officer_name, s.chat_id, s.draft, s.created_at, s.decided_at, s.decision, \
     s.remark, s.item_id FROM pending_items s JOIN people p ON p.id = s.filed_by";

fn pending_from_row(row: &AnyRow) -> Result<PendingItem> {
    let draft: String = get(row, "draft")?;
    let draft: Draft = serde_json::from_str(&draft).map_err(|_| StoreError::BadValue {
        column: "pending_items.draft",
        value: draft.chars().take(80).collect(),
    })?;
    let filed_by: i64 = get(row, "filed_by")?;
    let decision: Option<String> = get(row, "decision")?;
    let item: Option<ItemId> = get(row, "item_id")?;
    let remark: Option<String> = get(row, "remark")?;
    let decision = match decision.as_deref() {
        None => None,
        Some("approved") => Some(Decision::Approved {
            item: item.unwrap_or_default(),
        }),
        Some("returned") => Some(Decision::Returned {
            remark: remark.unwrap_or_default(),
        }),
        Some(other) => {
            return Err(StoreError::BadValue {
                column: "pending_items.decision",
                value: other.to_string(),
            });
        }
    };
    Ok(PendingItem {
        id: get(row, "id")?,
        unit_id: get(row, "unit_id")?,
        filed_by,
        officer_name: get(row, "officer_name")?,
        chat_id: get(row, "chat_id")?,
        filing: draft.filing(filed_by, get(row, "submission_key")?)?,
        created_at: read_instant("pending_items.created_at", get(row, "created_at")?)?,
        decision,
    })
}

async fn pending_in(conn: &mut AnyConnection, id: i64) -> Result<PendingItem> {
    let row = sqlx::query(&format!("{SELECT_PENDING} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "item awaiting sign-off",
            key: id.to_string(),
        })?;
    pending_from_row(&row)
}

/// The leader's name when `person` is a leader in charge of `unit`.
async fn leader_of(conn: &mut AnyConnection, person: i64, unit: UnitId) -> Result<Option<String>> {
    let row = sqlx::query("SELECT name, unit_id, role FROM people WHERE id = $1")
        .bind(person)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = get(&row, "role")?;
    let role = read_word("people.role", &role, Role::parse)?;
    let of_unit: Option<UnitId> = get(&row, "unit_id")?;
    if role == Role::Leader && of_unit == Some(unit) {
        Ok(Some(get(&row, "name")?))
    } else {
        Ok(None)
    }
}

impl Store {
    /// Puts a confirmed item before its unit's leader in charge, with the chat's next state, in
    /// one transaction. A submission whose key is stored already stores nothing more: its row's
    /// number comes back with `false`, and the state is still saved. The filer must be of the
    /// item's unit.
    pub async fn submit_for_sign_off(
        &self,
        filing: &ChatFiling,
        chat_id: i64,
        done_state_json: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(i64, bool)> {
        let key = filing.submission_key.trim().to_string();
        if key.is_empty() {
            return Err(StoreError::Invalid {
                column: "submission_key",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        let unit = unit_id(&mut tx, &filing.item.unit_code).await?;
        let filer_unit: Option<Option<UnitId>> =
            sqlx::query_scalar("SELECT unit_id FROM people WHERE id = $1")
                .bind(filing.filed_by)
                .fetch_optional(&mut *tx)
                .await?;
        match filer_unit {
            None => {
                return Err(StoreError::NotFound {
                    what: "person",
                    key: filing.filed_by.to_string(),
                });
            }
            Some(of) if of != Some(unit) => {
                return Err(StoreError::Invalid {
                    column: "unit",
                    problem: Problem::Conflict {
                        value: filing.item.unit_code.trim().to_string(),
                    },
                });
            }
            Some(_) => {}
        }
        let draft = serde_json::to_string(&Draft::of(filing)).unwrap_or_default();
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO pending_items (submission_key, unit_id, filed_by, chat_id, draft, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (submission_key) DO NOTHING RETURNING id",
        )
        .bind(key.clone())
        .bind(unit)
        .bind(filing.filed_by)
        .bind(chat_id)
        .bind(draft)
        .bind(instant(now))
        .fetch_optional(&mut *tx)
        .await?;
        let (id, new) = match inserted {
            Some(id) => (id, true),
            None => {
                let id: i64 =
                    sqlx::query_scalar("SELECT id FROM pending_items WHERE submission_key = $1")
                        .bind(key)
                        .fetch_one(&mut *tx)
                        .await?;
                (id, false)
            }
        };
        if let Some(state) = done_state_json {
            dialogues::save(&mut tx, chat_id, filing.filed_by, state, now).await?;
        }
        tx.commit().await?;
        Ok((id, new))
    }

    /// One item put before a leader, decided or not.
    pub async fn pending_item(&self, id: i64) -> Result<Option<PendingItem>> {
        let mut conn = self.pool().acquire().await?;
        match pending_in(&mut conn, id).await {
            Ok(item) => Ok(Some(item)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// What awaits a unit's leader in charge, the oldest first.
    pub async fn pending_for_unit(&self, unit: UnitId) -> Result<Vec<PendingItem>> {
        sqlx::query(&format!(
            "{SELECT_PENDING} WHERE s.unit_id = $1 AND s.decided_at IS NULL ORDER BY s.id"
        ))
        .bind(unit)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(pending_from_row)
        .collect()
    }

    /// A leader in charge of the item's unit approves it: in one transaction the decision is
    /// recorded and the item filed as a chat filing is, with the leader as its signer and the
    /// approval as its filing time.
    pub async fn approve_pending(
        &self,
        id: i64,
        leader: i64,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<SignOff> {
        let mut tx = self.begin_write().await?;
        let pending = pending_in(&mut tx, id).await?;
        let Some(name) = leader_of(&mut tx, leader, pending.unit_id).await? else {
            return Ok(SignOff::NotAllowed);
        };
        if pending.decision.is_some() {
            return Ok(SignOff::AlreadyDecided(pending));
        }
        let mut filing = pending.filing.clone();
        filing.item.header.signer = Some(name);
        filing.item.filed_at = now;
        let (item, _) = file_in(&mut tx, &filing, by, now).await?;
        let decided = sqlx::query(
            "UPDATE pending_items SET decided_at = $1, decision = 'approved', decided_by = $2, \
             item_id = $3 WHERE id = $4 AND decided_at IS NULL",
        )
        .bind(instant(now))
        .bind(leader)
        .bind(item)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() != 1 {
            // Decided meanwhile by another transaction: the item filed here is rolled back.
            drop(tx);
            return self.already_decided(id).await;
        }
        let pending = pending_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(SignOff::Decided(pending))
    }

    /// A leader in charge of the item's unit returns it with a remark; nothing is filed. The
    /// officer corrects it and confirms it again as a new item.
    pub async fn return_pending(
        &self,
        id: i64,
        leader: i64,
        remark: &str,
        now: DateTime<Utc>,
    ) -> Result<SignOff> {
        let remark = remark.trim();
        if remark.is_empty() {
            return Err(StoreError::Invalid {
                column: "remark",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        let pending = pending_in(&mut tx, id).await?;
        if leader_of(&mut tx, leader, pending.unit_id).await?.is_none() {
            return Ok(SignOff::NotAllowed);
        }
        if pending.decision.is_some() {
            return Ok(SignOff::AlreadyDecided(pending));
        }
        let decided = sqlx::query(
            "UPDATE pending_items SET decided_at = $1, decision = 'returned', decided_by = $2, \
             remark = $3 WHERE id = $4 AND decided_at IS NULL",
        )
        .bind(instant(now))
        .bind(leader)
        .bind(remark.to_string())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() != 1 {
            drop(tx);
            return self.already_decided(id).await;
        }
        let pending = pending_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(SignOff::Decided(pending))
    }

    async fn already_decided(&self, id: i64) -> Result<SignOff> {
        let mut conn = self.pool().acquire().await?;
        Ok(SignOff::AlreadyDecided(pending_in(&mut conn, id).await?))
    }
}
