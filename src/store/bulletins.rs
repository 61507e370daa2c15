//! Stored bulletins (通报): one numbered snapshot per quarter, and each sending of it, written in
//! one transaction with the outbox rows that send it.

use chrono::{DateTime, Utc};

use super::Store;
use super::error::{Result, StoreError};
use super::outbox::{NewMessage, enqueue_on};
use super::sql::{get, instant, read_instant};
use crate::period::Quarter;
use crate::records::Recorder;

/// A bulletin as stored when it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBulletin {
    pub quarter: Quarter,
    /// The year it is numbered in (its quarter's).
    pub year: i32,
    /// Its place among the year's bulletins (第n期).
    pub number: u32,
    /// The bulletin as JSON, as the reports module wrote it.
    pub snapshot: String,
    /// Its text as issued, in Chinese.
    pub text: String,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
}

/// What one call to [`Store::issue_bulletin_with`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulletinSending {
    pub bulletin: StoredBulletin,
    /// Whether this call stored it (false: it was issued before).
    pub newly_stored: bool,
    /// The forced re-send this call made (1, 2, …), if it was one.
    pub resend: Option<u32>,
    /// The keys of the messages this call queued (keys queued before are not counted).
    pub queued: Vec<String>,
}

/// Makes the snapshot (JSON) and its Chinese text for the number the store gives it.
pub type FreshBulletin<'a> = &'a (dyn Fn(u32) -> Result<(String, String)> + Sync);

/// Makes the messages that send a stored bulletin, keyed by the re-send number if forced.
pub type BulletinMessages<'a> =
    &'a (dyn Fn(&StoredBulletin, Option<u32>) -> Result<Vec<NewMessage>> + Sync);

/// What the caller supplies to issue a quarter's bulletin: the snapshot and its text for the
/// number the store gives it (used only if the quarter has none yet), and the messages that
/// send a stored bulletin (the re-send number given when forced).
pub struct BulletinIssue<'a> {
    pub quarter: Quarter,
    pub fresh: FreshBulletin<'a>,
    pub messages: BulletinMessages<'a>,
    pub force: bool,
    /// The number to give it if it is stored now (bulletins issued before the software took
    /// the earlier ones); none: the next after the year's last. A number the year has used
    /// already is refused (`AlreadyExists`, what `bulletin number`).
    pub number: Option<u32>,
    /// The chat message that asked, if one did: handling it again re-sends nothing.
    pub source: Option<&'a str>,
    pub by: &'a Recorder,
    pub now: DateTime<Utc>,
}

const SELECT_BULLETIN: &str =
    "SELECT quarter, year, number, snapshot, text, issued_by, issued_at FROM bulletins";

fn bulletin_from_row(row: &sqlx::any::AnyRow) -> Result<StoredBulletin> {
    let quarter: String = get(row, "quarter")?;
    let bad = |column: &'static str, value: String| StoreError::BadValue { column, value };
    let quarter = match quarter.parse() {
        Ok(crate::period::Period::Quarter(q)) => q,
        _ => return Err(bad("bulletins.quarter", quarter)),
    };
    let year: i64 = get(row, "year")?;
    let number: i64 = get(row, "number")?;
    Ok(StoredBulletin {
        quarter,
        year: i32::try_from(year).map_err(|_| bad("bulletins.year", year.to_string()))?,
        number: u32::try_from(number).map_err(|_| bad("bulletins.number", number.to_string()))?,
        snapshot: get(row, "snapshot")?,
        text: get(row, "text")?,
        issued_by: get(row, "issued_by")?,
        issued_at: read_instant("bulletins.issued_at", get(row, "issued_at")?)?,
    })
}

impl Store {
    /// The bulletin issued for a quarter, if it was.
    pub async fn bulletin(&self, quarter: Quarter) -> Result<Option<StoredBulletin>> {
        sqlx::query(&format!("{SELECT_BULLETIN} WHERE quarter = $1"))
            .bind(quarter.to_string())
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(bulletin_from_row)
            .transpose()
    }

    /// The bulletin of the latest quarter issued, if any was.
    pub async fn latest_bulletin(&self) -> Result<Option<StoredBulletin>> {
        // Quarter codes (`2026Q1`) sort as the quarters do.
        sqlx::query(&format!("{SELECT_BULLETIN} ORDER BY quarter DESC LIMIT 1"))
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(bulletin_from_row)
            .transpose()
    }

    /// The bulletins issued in a year, by number.
    pub async fn bulletins(&self, year: i32) -> Result<Vec<StoredBulletin>> {
        sqlx::query(&format!(
            "{SELECT_BULLETIN} WHERE year = $1 ORDER BY number"
        ))
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(bulletin_from_row)
        .collect()
    }

    /// Issues a quarter's bulletin: stores it once (numbered next in its year, or as `number`
    /// says), then queues the messages that send it, all in one transaction. A quarter issued
    /// before keeps its snapshot; its messages are queued under the same keys (queuing nothing
    /// twice) unless forced, when they are keyed by a new re-send number. A call that repeats a
    /// chat message's or press's (`source`) queues nothing and answers what that one did.
    pub async fn issue_bulletin_with(&self, issue: BulletinIssue<'_>) -> Result<BulletinSending> {
        let quarter = issue.quarter.to_string();
        let mut tx = self.begin_write().await?;
        // Numbers are taken in turn: on PostgreSQL as BEGIN IMMEDIATE does on SQLite.
        self.lock_for_import(&mut tx, "bulletins").await?;
        let row = sqlx::query(&format!("{SELECT_BULLETIN} WHERE quarter = $1"))
            .bind(quarter.clone())
            .fetch_optional(&mut *tx)
            .await?;
        // The same message or press handled again (its update replayed): what that sending
        // did, so that it is told the same, and nothing more is queued.
        if let (Some(row), Some(source)) = (&row, issue.source) {
            let sent = sqlx::query(
                "SELECT resend, sent_by, sent_at FROM bulletin_sends \
                 WHERE source = $1 AND quarter = $2",
            )
            .bind(source.to_string())
            .bind(quarter.clone())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(sent) = sent {
                let bulletin = bulletin_from_row(row)?;
                let resend: i64 = get(&sent, "resend")?;
                let sent_by: String = get(&sent, "sent_by")?;
                let sent_at: i64 = get(&sent, "sent_at")?;
                let newly_stored = resend == 0
                    && sent_by == bulletin.issued_by
                    && instant(bulletin.issued_at) == sent_at;
                let resend = (resend > 0).then(|| u32::try_from(resend).unwrap_or(u32::MAX));
                // Its rows were all queued in its own transaction, at its time.
                let then: Vec<String> = sqlx::query_scalar(
                    "SELECT idempotency_key FROM outbox WHERE batch = $1 AND created_at = $2",
                )
                .bind(format!("bulletin:{quarter}"))
                .bind(sent_at)
                .fetch_all(&mut *tx)
                .await?;
                let queued = (issue.messages)(&bulletin, resend)?
                    .into_iter()
                    .map(|m| m.key)
                    .filter(|k| then.contains(k))
                    .collect();
                tx.commit().await?;
                return Ok(BulletinSending {
                    bulletin,
                    newly_stored,
                    resend,
                    queued,
                });
            }
        }
        let (bulletin, newly_stored) = match row {
            Some(row) => (bulletin_from_row(&row)?, false),
            None => {
                let year = issue.quarter.year;
                let last: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(number) FROM bulletins WHERE year = $1")
                        .bind(i64::from(year))
                        .fetch_one(&mut *tx)
                        .await?;
                let number = match issue.number {
                    None => u32::try_from(last.unwrap_or(0) + 1).unwrap_or(u32::MAX),
                    Some(number) => {
                        let used: Option<String> = sqlx::query_scalar(
                            "SELECT quarter FROM bulletins WHERE year = $1 AND number = $2",
                        )
                        .bind(i64::from(year))
                        .bind(i64::from(number))
                        .fetch_optional(&mut *tx)
                        .await?;
                        if used.is_some() {
                            return Err(StoreError::AlreadyExists {
                                what: "bulletin number",
                                value: format!("{year}:{number}"),
                            });
                        }
                        number
                    }
                };
                let (snapshot, text) = (issue.fresh)(number)?;
                sqlx::query(
                    "INSERT INTO bulletins (quarter, year, number, snapshot, text, issued_by, \
                                            issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(quarter.clone())
                .bind(i64::from(year))
                .bind(i64::from(number))
                .bind(snapshot.clone())
                .bind(text.clone())
                .bind(issue.by.0.clone())
                .bind(instant(issue.now))
                .execute(&mut *tx)
                .await?;
                let bulletin = StoredBulletin {
                    quarter: issue.quarter,
                    year,
                    number,
                    snapshot,
                    text,
                    issued_by: issue.by.0.clone(),
                    issued_at: read_instant("bulletins.issued_at", instant(issue.now))?,
                };
                (bulletin, true)
            }
        };

        // A forced call on a bulletin stored just now is its first sending, not a re-send.
        let resend = if issue.force && !newly_stored {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT MAX(resend) FROM bulletin_sends WHERE quarter = $1")
                    .bind(quarter.clone())
                    .fetch_one(&mut *tx)
                    .await?;
            Some(last.unwrap_or(0) + 1)
        } else {
            None
        };
        let resend = resend.map(|n| u32::try_from(n).unwrap_or(u32::MAX));

        let mut queued = Vec::new();
        for message in (issue.messages)(&bulletin, resend)? {
            if enqueue_on(&mut tx, &message, issue.now).await? {
                queued.push(message.key);
            }
        }
        sqlx::query(
            "INSERT INTO bulletin_sends (quarter, resend, source, queued, sent_by, sent_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(quarter)
        .bind(i64::from(resend.unwrap_or(0)))
        .bind(issue.source.map(str::to_string))
        .bind(i64::try_from(queued.len()).unwrap_or(i64::MAX))
        .bind(issue.by.0.clone())
        .bind(instant(issue.now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(BulletinSending {
            bulletin,
            newly_stored,
            resend,
            queued,
        })
    }
}
