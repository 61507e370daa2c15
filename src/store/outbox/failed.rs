//! What the outbox gave up on, for the office to see (`unionbot outbox failed`, `/failed`), and
//! sending it again (`unionbot outbox retry`).

use chrono::{DateTime, Utc};

use super::super::Store;
use super::super::error::Result;
use super::super::sql::{get, instant, read_instant};

pub use crate::records::FailedMessage;

/// Which failed messages to queue again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requeue {
    Ids(Vec<i64>),
    All,
}

/// What a re-queue did, by message id, each list in increasing order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requeued {
    /// Pending again, due now, with their attempts counted from zero.
    pub requeued: Vec<i64>,
    /// Left failed: their person blocked the bot (queued only when forced).
    pub unreachable: Vec<i64>,
    /// Asked for by id but not failed: unknown, sent, or still pending.
    pub not_failed: Vec<i64>,
}

/// A failed message with its person and whether they blocked the bot.
const FAILED: &str = "SELECT o.id, o.idempotency_key, o.chat_id, o.attempts, o.last_error, \
     o.failed_at, o.batch, p.name AS person_name, u.code AS unit_code, u.name AS unit_name, \
     p.unreachable_at \
     FROM outbox o LEFT JOIN people p ON p.telegram_id = o.chat_id \
     LEFT JOIN units u ON u.id = p.unit_id \
     WHERE o.failed_at IS NOT NULL AND o.sent_at IS NULL";

impl Store {
    /// The messages given up on, the latest first, at most `limit`.
    pub async fn failed_messages(&self, limit: i64) -> Result<Vec<FailedMessage>> {
        let rows = sqlx::query(&format!(
            "{FAILED} ORDER BY o.failed_at DESC, o.id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(failed_from_row).collect()
    }

    /// Queues failed messages again, due at `now`, their attempts and failures counted from
    /// zero. A message to a person who blocked the bot is left failed unless `force`: Telegram
    /// would refuse it again.
    pub async fn requeue_failed(
        &self,
        which: &Requeue,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<Requeued> {
        let mut tx = self.begin_write().await?;
        let rows = match which {
            Requeue::All => {
                sqlx::query(&format!("{FAILED} ORDER BY o.id"))
                    .fetch_all(&mut *tx)
                    .await?
            }
            Requeue::Ids(ids) if ids.is_empty() => Vec::new(),
            Requeue::Ids(ids) => {
                let list = ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                sqlx::query(&format!("{FAILED} AND o.id IN ({list}) ORDER BY o.id"))
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        let failed = rows
            .iter()
            .map(failed_from_row)
            .collect::<Result<Vec<_>>>()?;
        let mut done = Requeued::default();
        if let Requeue::Ids(ids) = which {
            done.not_failed = ids
                .iter()
                .copied()
                .filter(|id| !failed.iter().any(|m| m.id == *id))
                .collect();
            done.not_failed.sort_unstable();
            done.not_failed.dedup();
        }
        for message in failed {
            if message.unreachable && !force {
                done.unreachable.push(message.id);
                continue;
            }
            sqlx::query(
                "UPDATE outbox SET failed_at = NULL, last_error = NULL, attempts = 0, \
                   failures = 0, not_before = $1, claimed_at = NULL \
                 WHERE id = $2 AND failed_at IS NOT NULL AND sent_at IS NULL",
            )
            .bind(instant(now))
            .bind(message.id)
            .execute(&mut *tx)
            .await?;
            done.requeued.push(message.id);
        }
        tx.commit().await?;
        Ok(done)
    }
}

fn failed_from_row(row: &sqlx::any::AnyRow) -> Result<FailedMessage> {
    Ok(FailedMessage {
        id: get(row, "id")?,
        key: get(row, "idempotency_key")?,
        chat_id: get(row, "chat_id")?,
        person_name: get(row, "person_name")?,
        unit_code: get(row, "unit_code")?,
        unit_name: get(row, "unit_name")?,
        unreachable: get::<Option<i64>>(row, "unreachable_at")?.is_some(),
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        failed_at: read_instant("outbox.failed_at", get(row, "failed_at")?)?,
        batch: get(row, "batch")?,
    })
}
