//! The end of a broadcast: when the settle that finishes a batch (its last pending message
//! sent or given up on) finds that some of its people blocked the bot, the office gets one
//! summary of who could not be reached, queued in that same transaction.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::super::error::Result;
use super::super::people::{SELECT_PEOPLE, person_from_row};
use super::super::sql::get;
use super::super::{Backend, Person};
use super::{NewMessage, PENDING, enqueue_on};
use crate::domain::Role;

/// A batch (the messages a scheduler job queued) with nothing pending, some of whose people
/// blocked the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchEnd {
    /// The job's key, e.g. `guidance:2026Q2:r1`.
    pub batch: String,
    /// Messages in the batch.
    pub total: i64,
    /// The people of the batch who blocked the bot, by unit then name.
    pub unreachable: Vec<Person>,
    /// Messages given up on for another reason (server errors, refusals).
    pub failed: i64,
}

/// Writes the summary of a batch's end for one office member: its parts, HTML, each under
/// Telegram's limit. The store keeps no texts, so the bot gives this.
pub type Summarize<'a> = &'a (dyn Fn(&BatchEnd, &Person) -> Vec<String> + Send + Sync);

/// After the messages `ids` were settled for good in this transaction: queues the summary of
/// every batch among theirs that now has nothing pending and someone unreachable. A summary is
/// keyed `unreachable:<batch>:<office member's chat>`, so however often a batch ends (its
/// failed messages sent again and given up on again), the office hears of it once.
pub(super) async fn finish_batches(
    conn: &mut AnyConnection,
    backend: Backend,
    ids: &[i64],
    now: DateTime<Utc>,
    summarize: Summarize<'_>,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // Sorted, so two workers finishing two batches lock them in the same order.
    let batches: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT batch FROM outbox WHERE id IN ({list}) AND batch IS NOT NULL \
         ORDER BY batch"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for batch in batches {
        if backend == Backend::Postgres {
            // Two workers settling a batch's last two messages at once would each see the
            // other's as pending and neither tell the office; taken after the settle's own
            // updates, this lock lets the later one see the earlier one's.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(batch.clone())
                .execute(&mut *conn)
                .await?;
        }
        if let Some(end) = ended(conn, &batch).await? {
            tell_office(conn, &end, now, summarize).await?;
        }
    }
    Ok(())
}

/// The batch's end, if nothing of it is pending and someone of it is unreachable.
async fn ended(conn: &mut AnyConnection, batch: &str) -> Result<Option<BatchEnd>> {
    let pending: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM outbox WHERE batch = $1 AND {PENDING} LIMIT 1"
    ))
    .bind(batch.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if pending.is_some() {
        return Ok(None);
    }
    let rows = sqlx::query(&format!(
        "{SELECT_PEOPLE} WHERE p.unreachable_at IS NOT NULL AND p.telegram_id IN \
           (SELECT chat_id FROM outbox WHERE batch = $1 AND failed_at IS NOT NULL) \
         ORDER BY u.code IS NULL, u.code, p.name, p.id"
    ))
    .bind(batch.to_string())
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let unreachable = rows
        .iter()
        .map(person_from_row)
        .collect::<Result<Vec<_>>>()?;
    let counts = sqlx::query(
        "SELECT COUNT(*) AS total, \
           SUM(CASE WHEN o.failed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people p \
               WHERE p.telegram_id = o.chat_id AND p.unreachable_at IS NOT NULL) \
             THEN 1 ELSE 0 END) AS failed \
         FROM outbox o WHERE o.batch = $1",
    )
    .bind(batch.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(BatchEnd {
        batch: batch.to_string(),
        total: get(&counts, "total")?,
        unreachable,
        failed: get::<Option<i64>>(&counts, "failed")?.unwrap_or(0),
    }))
}

/// Queues the summary for every office member, in their language, not bulk: it is news for
/// the office, not part of the broadcast.
async fn tell_office(
    conn: &mut AnyConnection,
    end: &BatchEnd,
    now: DateTime<Utc>,
    summarize: Summarize<'_>,
) -> Result<()> {
    let office = sqlx::query(&format!(
        "{SELECT_PEOPLE} WHERE p.role = $1 AND p.left_at IS NULL ORDER BY p.name, p.id"
    ))
    .bind(Role::Office.code())
    .fetch_all(&mut *conn)
    .await?;
    for row in &office {
        let member = person_from_row(row)?;
        let key = format!("unreachable:{}:{}", end.batch, member.telegram_id);
        for (i, text) in summarize(end, &member).into_iter().enumerate() {
            let key = match i {
                0 => key.clone(),
                n => format!("{key}#{}", n + 1),
            };
            enqueue_on(conn, &NewMessage::text(key, member.telegram_id, text), now).await?;
        }
    }
    Ok(())
}
