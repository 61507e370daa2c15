//! The scheduler's ledger of jobs run, and the facts its jobs are drawn from: who can be
//! reached, the open commissions, filings per unit in a span of time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::Store;
use super::error::Result;
use super::guidance::{OpenCommission, UNANSWERED};
use super::outbox::{NewMessage, enqueue_on};
use super::sql::{get, instant, read_date};
use crate::domain::UnitId;

/// What became of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Enqueued,
    /// Found stale when the scheduler got to it: nothing sent.
    Skipped,
}

impl JobOutcome {
    fn code(self) -> &'static str {
        match self {
            JobOutcome::Enqueued => "enqueued",
            JobOutcome::Skipped => "skipped",
        }
    }
}

/// A job to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub due_at: DateTime<Utc>,
    pub outcome: JobOutcome,
}

impl Store {
    /// The keys of every job run so far, enqueued or skipped.
    pub async fn jobs_done(&self) -> Result<BTreeSet<String>> {
        let rows = sqlx::query("SELECT job_key FROM schedule_jobs")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|row| get(row, "job_key")).collect()
    }

    /// Records a job and queues its messages in one transaction. A job recorded before (by this
    /// process or another at the same moment) changes nothing and returns false. `recipients`
    /// is how many people it reached (a bulletin queues its messages itself).
    pub async fn run_job(
        &self,
        job: &JobRecord<'_>,
        messages: &[NewMessage],
        recipients: usize,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let recorded = sqlx::query(
            "INSERT INTO schedule_jobs (job_key, kind, due_at, outcome, recipients, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (job_key) DO NOTHING",
        )
        .bind(job.key.to_string())
        .bind(job.kind.to_string())
        .bind(instant(job.due_at))
        .bind(job.outcome.code())
        .bind(i64::try_from(recipients).unwrap_or(i64::MAX))
        .bind(instant(now))
        .execute(&mut *tx)
        .await?;
        if recorded.rows_affected() == 0 {
            return Ok(false);
        }
        for message in messages {
            enqueue_on(&mut tx, message, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Items filed by each unit from `from` until `to`, not retracted.
    pub async fn filings_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BTreeMap<UnitId, u32>> {
        let rows = sqlx::query(
            "SELECT i.unit_id, COUNT(*) AS n FROM items i \
             WHERE i.filed_at >= $1 AND i.filed_at < $2 \
               AND NOT EXISTS (SELECT 1 FROM retractions r \
                               WHERE r.record_kind = 'item' AND r.record_id = i.id) \
             GROUP BY i.unit_id",
        )
        .bind(instant(from))
        .bind(instant(to))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let n: i64 = get(row, "n")?;
                Ok((
                    get::<UnitId>(row, "unit_id")?,
                    u32::try_from(n).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }

    /// Every unit's commissions not answered yet (as [`Store::open_commissions`] reads one
    /// unit's), the earliest due first, each with its unit.
    pub async fn all_open_commissions(&self) -> Result<Vec<(UnitId, OpenCommission)>> {
        sqlx::query(&format!(
            "SELECT c.id, c.unit_id, c.subject, c.due_on FROM commissions c \
                 WHERE {UNANSWERED} ORDER BY c.due_on, c.id"
        ))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let due_on: String = get(row, "due_on")?;
            let commission = OpenCommission {
                id: get(row, "id")?,
                subject: get(row, "subject")?,
                due_on: read_date("commissions.due_on", &due_on)?,
            };
            Ok((get(row, "unit_id")?, commission))
        })
        .collect()
    }
}
