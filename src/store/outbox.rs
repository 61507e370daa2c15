//! The outbox: every message the bot sends — replies, notices, alerts — is queued here under an
//! idempotency key first (replies in the same transaction as the update that caused them), then
//! sent by one paced worker that reports each attempt, so a restart neither loses nor repeats a
//! message.
//!
//! A message is pending until it is marked sent or failed; it is due from its `not_before`.
//! Marks apply to pending messages only: a second report of the same outcome changes nothing.
//! The messages of one chat go out in the order they were queued, in two lanes: a reply or an
//! alert (not bulk) goes before any pending bulk message (a broadcast, a reminder) of its
//! chat, and each lane keeps its own order. Only the head of a chat's lane is ever handed to
//! the worker, and replies and alerts before bulk messages, so a person waiting for an answer
//! is never kept behind a broadcast.

mod batch;
mod failed;

pub use batch::{BatchEnd, Summarize};
pub use failed::{FailedMessage, Requeue, Requeued};

use chrono::{DateTime, Utc};

use super::error::{Result, StoreError};
use super::sql::{get, instant};
use super::{Backend, Store};

/// A pending message, as the worker sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub idempotency_key: String,
    pub chat_id: i64,
    /// HTML, as Telegram's parse mode takes it.
    pub text: String,
    /// The inline keyboard as Bot API JSON, if any.
    pub reply_markup: Option<String>,
    /// The message whose text and buttons this one replaces, if it is an edit.
    pub edit_message_id: Option<i64>,
    /// A document sent with the text as its caption: its file name and content.
    pub document: Option<(String, String)>,
    /// Attempts reported so far (sent, retry or failed).
    pub attempts: i64,
    /// Of those, the server and network errors (429s not counted).
    pub failures: i64,
}

pub use crate::records::NewMessage;

/// The channel the outbox worker of the bot delivers.
pub const TELEGRAM: &str = "telegram";

/// What became of a send, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    Sent,
    /// To try again from `not_before`; `failed` when it was a failure (not a 429).
    Retry {
        not_before: DateTime<Utc>,
        error: String,
        failed: bool,
    },
    /// Given up on.
    Failed {
        error: String,
    },
    /// Given up on because the person blocked the bot: they are marked unreachable.
    Unreachable {
        error: String,
    },
}

/// Queues a message on a connection (in the caller's transaction); false when the key was
/// queued before.
pub(crate) async fn enqueue_on(
    conn: &mut sqlx::AnyConnection,
    message: &NewMessage,
    now: DateTime<Utc>,
) -> Result<bool> {
    let at = instant(now);
    let done = sqlx::query(
        "INSERT INTO outbox (idempotency_key, chat_id, text, reply_markup, edit_message_id, \
                             document_name, document, created_at, not_before, batch, bulk, \
                             channel) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(message.key.clone())
    .bind(message.chat_id)
    .bind(message.text.clone())
    .bind(message.reply_markup.clone())
    .bind(message.edit_message_id)
    .bind(message.document.as_ref().map(|(name, _)| name.clone()))
    .bind(
        message
            .document
            .as_ref()
            .map(|(_, content)| content.clone()),
    )
    .bind(at)
    .bind(at)
    .bind(message.batch.clone())
    .bind(i64::from(message.bulk))
    // The address says the channel: a terminal's is never a Telegram id.
    .bind(crate::domain::Channel::of(message.chat_id).code())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a worker reads of a message.
const MESSAGE_COLUMNS: &str = "id, idempotency_key, chat_id, text, reply_markup, edit_message_id, document_name, document, \
     attempts, failures";

/// A pending message that is the head of its chat: no older pending message of its lane, and
/// if it is bulk, no pending reply or alert of its chat at all. The one a worker may send.
const HEAD_OF_CHAT: &str = "NOT EXISTS (SELECT 1 FROM outbox o \
     WHERE o.chat_id = outbox.chat_id AND o.channel = outbox.channel \
       AND o.sent_at IS NULL AND o.failed_at IS NULL \
       AND ((o.bulk = outbox.bulk AND o.id < outbox.id) OR (o.bulk = 0 AND outbox.bulk <> 0)))";

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
        let mut conn = self.pool().acquire().await?;
        enqueue_on(&mut conn, &NewMessage::text(key, chat_id, text), now).await
    }

    /// Pending messages due at `now`, the longest waiting first. Reading does not claim them:
    /// what the tests read. The worker uses [`Store::claim_heads`].
    pub async fn due_messages(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox \
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
    /// Heads in the order queued, whatever their lane; the worker's claim, which lets the
    /// pacer choose and takes replies first, is [`Store::claim_heads`].
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
            "SELECT {MESSAGE_COLUMNS} FROM outbox \
             WHERE {PENDING} AND not_before <= $1 AND {HEAD_OF_CHAT} \
             ORDER BY id LIMIT $2{lock}"
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

    /// The messages a worker may send now: due, each the head of its chat, replies and alerts
    /// before bulk messages, each lane in the order it was queued (a retried message keeps its
    /// place).
    pub async fn due_heads(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxMessage>> {
        let mut conn = self.pool().acquire().await?;
        heads_on(&mut conn, now, limit, "").await
    }

    /// Claims the messages a worker sends next: of the due heads, in [`Store::due_heads`]'
    /// order, those `choose` picks (the ones the pacer lets go), each claimed as by
    /// [`Store::claim`]. On PostgreSQL the heads are read `FOR UPDATE SKIP LOCKED` and claimed
    /// in the same transaction, so workers in several processes neither pick the same message
    /// nor wait for each other: each sees the heads no other is claiming. On SQLite, whose one
    /// writer is the one worker, they are read, then claimed by a conditional update. Returns
    /// the messages claimed.
    pub async fn claim_heads(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
        choose: &mut (dyn FnMut(&[OutboxMessage]) -> Vec<i64> + Send),
    ) -> Result<Vec<OutboxMessage>> {
        let (heads, claimed) = match self.backend {
            Backend::Sqlite => {
                let heads = self.due_heads(now, limit).await?;
                let chosen = choose(&heads);
                let claimed = self.claim(&chosen, now, lease).await?;
                (heads, claimed)
            }
            Backend::Postgres => {
                let mut tx = self.begin_write().await?;
                let heads = heads_on(&mut tx, now, limit, " FOR UPDATE SKIP LOCKED").await?;
                let chosen = choose(&heads);
                let claimed = claim_on(&mut tx, &chosen, now, lease).await?;
                tx.commit().await?;
                (heads, claimed)
            }
        };
        Ok(heads
            .into_iter()
            .filter(|m| claimed.contains(&m.id))
            .collect())
    }

    /// Claims messages for a send: each still pending and due gets `not_before` moved past the
    /// lease, so no other worker (another process on PostgreSQL) takes it meanwhile, and a
    /// worker that dies with it in hand leaves it to be sent again once the lease ends. Returns
    /// the ids this call claimed.
    pub async fn claim(
        &self,
        ids: &[i64],
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool().acquire().await?;
        claim_on(&mut conn, ids, now, lease).await
    }

    /// Takes back the messages a worker had in hand when it died, due again at once: on
    /// SQLite, where one process is the only worker, at its start. (On PostgreSQL several
    /// workers may run; a dead one's messages come back when their lease ends.) Returns how
    /// many. A message taken back may have reached Telegram already: it goes again.
    pub async fn release_claims(&self, now: DateTime<Utc>) -> Result<u64> {
        if self.backend != Backend::Sqlite {
            return Ok(0);
        }
        let done = sqlx::query(&format!(
            "UPDATE outbox SET not_before = $1, claimed_at = NULL \
             WHERE {PENDING} AND claimed_at IS NOT NULL"
        ))
        .bind(instant(now))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Records what became of several sends, in one transaction. When that leaves a broadcast
    /// with nothing pending and someone of it unreachable, the office's summary, written by
    /// `summarize`, is queued in the same transaction (see [`BatchEnd`]).
    pub async fn settle(
        &self,
        results: &[(i64, Settled)],
        now: DateTime<Utc>,
        summarize: Summarize<'_>,
    ) -> Result<()> {
        if results.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let sent = format!(
            "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_at = NULL \
             WHERE id = $2 AND {PENDING}"
        );
        let retry = format!(
            "UPDATE outbox SET not_before = $1, last_error = $2, attempts = attempts + 1, \
             failures = failures + $3, claimed_at = NULL WHERE id = $4 AND {PENDING}"
        );
        let failed = format!(
            "UPDATE outbox SET failed_at = $1, last_error = $2, attempts = attempts + 1, \
             claimed_at = NULL WHERE id = $3 AND {PENDING}"
        );
        for (id, result) in results {
            let query = match result {
                Settled::Sent => sqlx::query(&sent).bind(instant(now)).bind(*id),
                Settled::Retry {
                    not_before,
                    error,
                    failed,
                } => sqlx::query(&retry)
                    .bind(instant(*not_before))
                    .bind(error.clone())
                    .bind(i64::from(*failed))
                    .bind(*id),
                Settled::Failed { error } | Settled::Unreachable { error } => sqlx::query(&failed)
                    .bind(instant(now))
                    .bind(error.clone())
                    .bind(*id),
            };
            query.execute(&mut *tx).await?;
            if matches!(result, Settled::Sent) {
                // Delivered: whoever had blocked the bot has unblocked it.
                sqlx::query(
                    "UPDATE people SET unreachable_at = NULL \
                     WHERE telegram_id = (SELECT chat_id FROM outbox WHERE id = $1) \
                       AND unreachable_at IS NOT NULL",
                )
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            }
            if matches!(result, Settled::Unreachable { .. }) {
                sqlx::query(
                    "UPDATE people SET unreachable_at = $1 \
                     WHERE telegram_id = (SELECT chat_id FROM outbox WHERE id = $2) \
                       AND unreachable_at IS NULL",
                )
                .bind(instant(now))
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let ended: Vec<i64> = results
            .iter()
            .filter(|(_, result)| !matches!(result, Settled::Retry { .. }))
            .map(|(id, _)| *id)
            .collect();
        batch::finish_batches(&mut tx, self.backend, &ended, now, summarize).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every message queued for a chat, sent or not, in order: what the office (and the
    /// tests) look at to see what a person was told.
    pub async fn outbox_rows_for(&self, chat_id: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE chat_id = $1 ORDER BY id"
        ))
        .bind(chat_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// The messages still to deliver to one conversation of a channel, in order: what a
    /// channel that delivers while its person waits (the terminal) prints.
    pub async fn pending_in_chat(&self, channel: &str, chat_id: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE {PENDING} AND channel = $1 AND chat_id = $2 \
             ORDER BY id"
        ))
        .bind(channel.to_string())
        .bind(chat_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// When the next pending message falls due, if any is pending.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        // Only what could be handed to the worker: a message queued behind another of its
        // chat falls due when that one is done, which wakes the worker anyway.
        let at: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT MIN(not_before) FROM outbox WHERE {PENDING} AND channel = $1 AND {HEAD_OF_CHAT}"
        ))
        .bind(TELEGRAM)
        .fetch_one(self.pool())
        .await?;
        at.map(|at| super::sql::read_instant("outbox.not_before", at))
            .transpose()
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

/// The due heads (see [`HEAD_OF_CHAT`]) on a connection, replies and alerts first, then bulk
/// messages, each in the order queued; `lock` is appended to both reads. Two reads rather
/// than one ordered by lane, so that neither sorts every pending message of a broadcast.
async fn heads_on(
    conn: &mut sqlx::AnyConnection,
    now: DateTime<Utc>,
    limit: i64,
    lock: &str,
) -> Result<Vec<OutboxMessage>> {
    let mut heads = Vec::new();
    for lane in ["bulk = 0", "bulk <> 0"] {
        let left = limit - i64::try_from(heads.len()).unwrap_or(i64::MAX);
        if left <= 0 {
            break;
        }
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox \
             WHERE {lane} AND {PENDING} AND not_before <= $1 AND channel = $3 AND {HEAD_OF_CHAT} \
             ORDER BY id LIMIT $2{lock}"
        ))
        .bind(instant(now))
        .bind(left)
        .bind(TELEGRAM)
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            heads.push(message_from_row(row)?);
        }
    }
    Ok(heads)
}

/// [`Store::claim`] on a connection (the PostgreSQL claim's own transaction).
async fn claim_on(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
    now: DateTime<Utc>,
    lease: chrono::Duration,
) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(&format!(
        "UPDATE outbox SET not_before = $1, claimed_at = $2 \
         WHERE id IN ({list}) AND {PENDING} AND not_before <= $2 RETURNING id"
    ))
    .bind(instant(now + lease))
    .bind(instant(now))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|row| get(row, "id")).collect()
}

fn message_from_row(row: &sqlx::any::AnyRow) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: get(row, "id")?,
        idempotency_key: get(row, "idempotency_key")?,
        chat_id: get(row, "chat_id")?,
        text: get(row, "text")?,
        reply_markup: get(row, "reply_markup")?,
        edit_message_id: get(row, "edit_message_id")?,
        document: match (
            get::<Option<String>>(row, "document_name")?,
            get::<Option<String>>(row, "document")?,
        ) {
            (Some(name), Some(content)) => Some((name, content)),
            _ => None,
        },
        attempts: get(row, "attempts")?,
        failures: get(row, "failures")?,
    })
}
