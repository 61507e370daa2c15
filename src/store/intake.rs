//! The durable intake: updates from Telegram stored before they are confirmed, marked handled
//! once handled, so that a crash loses none and a redelivery is not handled twice.

use chrono::{DateTime, Utc};

use super::Store;
use super::error::Result;
use super::sql::{get, instant};

/// An update stored and not yet handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpdate {
    pub update_id: i64,
    /// The update's JSON, as it was taken.
    pub body: String,
}

pub use crate::records::DialogueChange;

/// Everything an update's handling leaves to commit at once: the dialogue's new state, every
/// reply and notice, and the mark that the update was handled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateOutcome {
    /// The stored update to mark handled; none for an update that is not in the intake (a
    /// test's mock API delivers updates directly).
    pub update_id: Option<i64>,
    pub dialogue: Option<DialogueChange>,
    pub messages: Vec<super::outbox::NewMessage>,
    /// Items the office member (people.id) was shown in the inbox: read once this commits.
    pub read: Option<(i64, Vec<crate::domain::ItemId>)>,
}

impl Store {
    /// Commits an update's outcome in one transaction: the dialogue's state, every message as
    /// an outbox row, and the handled mark. Either all of it is stored or none, so a crash
    /// before the commit handles the update again from the old state, and after it finds the
    /// update handled. Returns how many messages were queued now (a key queued before is not
    /// queued again).
    pub async fn commit_update(
        &self,
        outcome: &UpdateOutcome,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let queued = commit_update_on(&mut tx, outcome, now).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Stores a batch of updates in one transaction and returns the ids of those that were
    /// new; an update stored before (a redelivery) is left as it is and not returned, so it is
    /// not handled again.
    pub async fn store_updates(
        &self,
        updates: &[StoredUpdate],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut new = Vec::new();
        for update in updates {
            let done = sqlx::query(
                "INSERT INTO update_inbox (update_id, body, received_at, handled_at) \
                 VALUES ($1, $2, $3, NULL) ON CONFLICT (update_id) DO NOTHING",
            )
            .bind(update.update_id)
            .bind(update.body.clone())
            .bind(instant(now))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                new.push(update.update_id);
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Up to `limit` updates stored and not handled whose id is above `after`, oldest first.
    pub async fn unhandled_updates(&self, after: i64, limit: i64) -> Result<Vec<StoredUpdate>> {
        let rows = sqlx::query(
            "SELECT update_id, body FROM update_inbox \
             WHERE handled_at IS NULL AND update_id > $1 ORDER BY update_id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredUpdate {
                    update_id: get(row, "update_id")?,
                    body: get(row, "body")?,
                })
            })
            .collect()
    }

    /// Marks an update handled; false when it is not stored or was marked before.
    pub async fn mark_update_handled(&self, update_id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE update_inbox SET handled_at = $1 \
             WHERE update_id = $2 AND handled_at IS NULL",
        )
        .bind(instant(now))
        .bind(update_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the updates handled before `before`; returns how many. Unhandled ones stay.
    pub async fn prune_handled_updates(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM update_inbox WHERE handled_at IS NOT NULL AND handled_at < $1",
        )
        .bind(instant(before))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}

/// Writes an update's outcome inside a transaction the caller holds: the dialogue's state, every
/// message as an outbox row, the items read and the handled mark. Lets a caller put writes of
/// its own in the same transaction (an urgent report and its alerts commit together). Returns
/// how many messages were queued now.
pub async fn commit_update_on(
    conn: &mut sqlx::AnyConnection,
    outcome: &UpdateOutcome,
    now: DateTime<Utc>,
) -> Result<usize> {
    match &outcome.dialogue {
        Some(DialogueChange::Save {
            chat_id,
            person_id,
            state,
        }) => super::dialogues::save(&mut *conn, *chat_id, *person_id, state, now).await?,
        Some(DialogueChange::Clear { chat_id }) => {
            sqlx::query("DELETE FROM dialogues WHERE chat_id = $1")
                .bind(*chat_id)
                .execute(&mut *conn)
                .await?;
        }
        None => {}
    }
    let mut queued = 0;
    for message in &outcome.messages {
        if super::outbox::enqueue_on(&mut *conn, message, now).await? {
            queued += 1;
        }
    }
    if let Some((person, items)) = &outcome.read {
        super::chat_items::mark_read_on(&mut *conn, items, *person, now).await?;
    }
    if let Some(update_id) = outcome.update_id {
        sqlx::query(
            "UPDATE update_inbox SET handled_at = $1 \
             WHERE update_id = $2 AND handled_at IS NULL",
        )
        .bind(instant(now))
        .bind(update_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(queued)
}
