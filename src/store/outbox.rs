//! The outbox: every message the bot sends on its own is queued here under an idempotency key
//! first, then sent by a worker that reports each attempt, so a restart neither loses nor
//! repeats a message.
//!
//! A message is pending until it is marked sent or failed; it is due from its `not_before`.
//! Marks apply to pending messages only: a second report of the same outcome changes nothing.

use chrono::{DateTime, Utc};

use super::error::{Result, StoreError};
use super::sql::{get, instant};
use super::{Backend, Store};

/// A pending message, as the worker sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub chat_id: i64,
    pub text: String,
    /// Attempts reported so far (sent, retry or failed).
    pub attempts: i64,
}

const PENDING: &str = "sent_at IS NULL AND failed_at IS NULL";

impl Store {
    /// Queues a message for a chat, due at once. A key queued before (whatever became of that
    /// message) changes nothing and returns false.
    pub async fn enqueue(
        &self,
        key: &str,
        chat_id: i64,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let at = instant(now);
        let done = sqlx::query(
            "INSERT INTO outbox (idempotency_key, chat_id, text, created_at, not_before) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(key.to_string())
        .bind(chat_id)
        .bind(text.to_string())
        .bind(at)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pending messages due at `now`, the longest waiting first. Reading does not claim them:
    /// for one worker. Several workers use [`Store::claim_due_messages`].
    pub async fn due_messages(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT id, chat_id, text, attempts FROM outbox \
             WHERE {PENDING} AND not_before <= $1 ORDER BY not_before, id LIMIT $2"
        ))
        .bind(instant(now))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// Like [`Store::due_messages`], but the messages returned are not due again for `lease`
    /// unless marked before: workers in several processes never take the same message at once
    /// (PostgreSQL skips rows another worker is claiming; SQLite has one writer at a time).
    pub async fn claim_due_messages(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>> {
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(&format!(
            "SELECT id, chat_id, text, attempts FROM outbox \
             WHERE {PENDING} AND not_before <= $1 ORDER BY not_before, id LIMIT $2{lock}"
        ))
        .bind(instant(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let messages = rows
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>>>()?;
        for message in &messages {
            sqlx::query("UPDATE outbox SET not_before = $1 WHERE id = $2")
                .bind(instant(now + lease))
                .bind(message.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(messages)
    }

    /// The message reached Telegram.
    pub async fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let done = sqlx::query(&format!(
            "UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2 AND {PENDING}"
        ))
        .bind(instant(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        self.marked(id, done.rows_affected()).await
    }

    /// The attempt failed in a way worth trying again: due again from `not_before`.
    pub async fn mark_retry(&self, id: i64, not_before: DateTime<Utc>, error: &str) -> Result<()> {
        let done = sqlx::query(&format!(
            "UPDATE outbox SET not_before = $1, last_error = $2, attempts = attempts + 1 \
             WHERE id = $3 AND {PENDING}"
        ))
        .bind(instant(not_before))
        .bind(error.to_string())
        .bind(id)
        .execute(self.pool())
        .await?;
        self.marked(id, done.rows_affected()).await
    }

    /// The message will not be sent (the user blocked the bot, too many attempts); it stays
    /// for the office to see.
    pub async fn mark_failed(&self, id: i64, error: &str, now: DateTime<Utc>) -> Result<()> {
        let done = sqlx::query(&format!(
            "UPDATE outbox SET failed_at = $1, last_error = $2, attempts = attempts + 1 \
             WHERE id = $3 AND {PENDING}"
        ))
        .bind(instant(now))
        .bind(error.to_string())
        .bind(id)
        .execute(self.pool())
        .await?;
        self.marked(id, done.rows_affected()).await
    }

    /// After a mark: a message no longer pending was left as it is, an unknown one is
    /// `NotFound`.
    async fn marked(&self, id: i64, rows_affected: u64) -> Result<()> {
        if rows_affected > 0 {
            return Ok(());
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        match exists {
            Some(_) => Ok(()),
            None => Err(StoreError::NotFound {
                what: "outbox message",
                key: id.to_string(),
            }),
        }
    }
}

fn message_from_row(row: &sqlx::any::AnyRow) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: get(row, "id")?,
        chat_id: get(row, "chat_id")?,
        text: get(row, "text")?,
        attempts: get(row, "attempts")?,
    })
}
