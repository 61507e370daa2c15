//! The quarter's guidance (信息需求要点) and a unit's open commissions: what an item may answer.

use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

use super::Store;
use super::error::{Result, StoreError};
use super::sql::{get, instant, read_date, read_instant};
use crate::domain::UnitId;
use crate::period::Quarter;
use crate::records::{Problem, Recorder};
/// A quarter's guidance as last set, as the scheduler reads it.
pub use crate::schedule::GuidanceRevision;

pub use crate::records::{GuidanceSet, OpenCommission, Topic};

/// A commission `c` not retracted and not answered by an item filed for it (a retracted item
/// answers nothing).
pub(super) const UNANSWERED: &str = "NOT EXISTS (SELECT 1 FROM retractions r \
       WHERE r.record_kind = 'commission' AND r.record_id = c.id) \
     AND NOT EXISTS (SELECT 1 FROM items i WHERE i.commission_id = c.id \
       AND NOT EXISTS (SELECT 1 FROM retractions r \
                       WHERE r.record_kind = 'item' AND r.record_id = i.id))";

impl Store {
    /// Adds a topic to a quarter's guidance and returns its id; the same title twice in one
    /// quarter is `AlreadyExists`. It makes a new revision of the quarter's guidance.
    pub async fn add_guidance(&self, quarter: Quarter, title: &str, by: &Recorder) -> Result<i64> {
        let title = check_title(title)?;
        let mut tx = self.begin_write().await?;
        let mut topics = current_titles(&mut tx, quarter).await?;
        if topics.iter().any(|t| t == &title) {
            return Err(StoreError::AlreadyExists {
                what: "guidance topic",
                value: title,
            });
        }
        topics.push(title.clone());
        let at = Utc::now();
        let id = put_topic(&mut tx, quarter, &title, by, at).await?;
        add_revision(&mut tx, quarter, &topics, by, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets a quarter's guidance to this list, in this order (blank lines and repeats dropped):
    /// topics left out are withdrawn, new ones added, and a new revision recorded, unless the
    /// list is the one in force. One transaction.
    pub async fn set_guidance(
        &self,
        quarter: Quarter,
        titles: &[String],
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<GuidanceSet> {
        let mut wanted: Vec<String> = Vec::new();
        for title in titles {
            if title.trim().is_empty() {
                continue;
            }
            let title = check_title(title)?;
            if !wanted.contains(&title) {
                wanted.push(title);
            }
        }
        if wanted.is_empty() {
            return Err(StoreError::Invalid {
                column: "title",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        let current = current_titles(&mut tx, quarter).await?;
        if current == wanted {
            return Ok(GuidanceSet::Unchanged);
        }
        let at = instant(now);
        let mut withdrawn = 0;
        for title in current.iter().filter(|t| !wanted.contains(t)) {
            sqlx::query(
                "UPDATE guidance_topics SET withdrawn_at = $1 WHERE quarter = $2 AND title = $3",
            )
            .bind(at)
            .bind(quarter.to_string())
            .bind(title.clone())
            .execute(&mut *tx)
            .await?;
            withdrawn += 1;
        }
        let mut added = 0;
        for title in wanted.iter().filter(|t| !current.contains(t)) {
            put_topic(&mut tx, quarter, title, by, now).await?;
            added += 1;
        }
        // The order the office gave is the order everyone reads: every topic's place is
        // written again, so the list read back is the list set.
        for (i, title) in wanted.iter().enumerate() {
            sqlx::query(
                "UPDATE guidance_topics SET position = $1 WHERE quarter = $2 AND title = $3",
            )
            .bind(i64::try_from(i + 1).unwrap_or(i64::MAX))
            .bind(quarter.to_string())
            .bind(title.clone())
            .execute(&mut *tx)
            .await?;
        }
        let revision = add_revision(&mut tx, quarter, &wanted, by, now).await?;
        tx.commit().await?;
        Ok(GuidanceSet::Revised {
            revision,
            added,
            withdrawn,
        })
    }

    /// A quarter's guidance in force, in the order the topics were set, with how many items
    /// (not retracted) answer each.
    pub async fn guidance(&self, quarter: Quarter) -> Result<Vec<Topic>> {
        sqlx::query(
            "SELECT t.id, t.title, \
                    (SELECT COUNT(*) FROM items i WHERE i.topic_id = t.id \
                       AND NOT EXISTS (SELECT 1 FROM retractions r \
                                       WHERE r.record_kind = 'item' AND r.record_id = i.id)) \
                    AS items \
             FROM guidance_topics t WHERE t.quarter = $1 AND t.withdrawn_at IS NULL \
             ORDER BY t.position, t.id",
        )
        .bind(quarter.to_string())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(Topic {
                id: get(row, "id")?,
                title: get(row, "title")?,
                items: get(row, "items")?,
            })
        })
        .collect()
    }

    /// The latest revision of each quarter's guidance that has one.
    pub async fn guidance_revisions(&self) -> Result<Vec<GuidanceRevision>> {
        sqlx::query(
            "SELECT quarter, revision, topics, recorded_at FROM guidance_revisions g \
             WHERE revision = (SELECT MAX(revision) FROM guidance_revisions h \
                               WHERE h.quarter = g.quarter) \
             ORDER BY quarter",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let quarter: String = get(row, "quarter")?;
            let topics: String = get(row, "topics")?;
            Ok(GuidanceRevision {
                quarter: match quarter.parse() {
                    Ok(crate::period::Period::Quarter(q)) => q,
                    _ => {
                        return Err(StoreError::BadValue {
                            column: "guidance_revisions.quarter",
                            value: quarter.clone(),
                        });
                    }
                },
                revision: get(row, "revision")?,
                topics: topics.lines().map(str::to_string).collect(),
                recorded_at: read_instant(
                    "guidance_revisions.recorded_at",
                    get(row, "recorded_at")?,
                )?,
            })
        })
        .collect()
    }

    /// The unit's commissions that are not retracted and not yet answered by an item filed for
    /// them (a retracted item answers nothing), the earliest due first.
    pub async fn open_commissions(&self, unit_id: UnitId) -> Result<Vec<OpenCommission>> {
        sqlx::query(&format!(
            "SELECT c.id, c.subject, c.due_on FROM commissions c \
                 WHERE c.unit_id = $1 AND {UNANSWERED} ORDER BY c.due_on, c.id"
        ))
        .bind(unit_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let due_on: String = get(row, "due_on")?;
            Ok(OpenCommission {
                id: get(row, "id")?,
                subject: get(row, "subject")?,
                due_on: read_date("commissions.due_on", &due_on)?,
            })
        })
        .collect()
    }
}

/// A topic's title, trimmed: one line, not empty (it is shown in every guidance message, and
/// a revision keeps its list one title a line).
fn check_title(title: &str) -> Result<String> {
    crate::domain::text::check_line(title, usize::MAX).map_err(|problem| StoreError::Invalid {
        column: "title",
        problem,
    })
}

/// The titles in force for a quarter, in their order.
async fn current_titles(
    tx: &mut Transaction<'static, Any>,
    quarter: Quarter,
) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT title FROM guidance_topics WHERE quarter = $1 AND withdrawn_at IS NULL \
         ORDER BY position, id",
    )
    .bind(quarter.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|row| get(row, "title")).collect()
}

/// Adds a topic, or brings back one withdrawn before, at the end of the list.
async fn put_topic(
    tx: &mut Transaction<'static, Any>,
    quarter: Quarter,
    title: &str,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<i64> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM guidance_topics WHERE quarter = $1",
    )
    .bind(quarter.to_string())
    .fetch_one(&mut **tx)
    .await?;
    let revived: Option<i64> = sqlx::query_scalar(
        "UPDATE guidance_topics SET withdrawn_at = NULL, position = $1 \
         WHERE quarter = $2 AND title = $3 RETURNING id",
    )
    .bind(position)
    .bind(quarter.to_string())
    .bind(title.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = revived {
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO guidance_topics (quarter, title, position, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(quarter.to_string())
    .bind(title.to_string())
    .bind(position)
    .bind(by.0.clone())
    .bind(instant(at))
    .fetch_one(&mut **tx)
    .await?)
}

/// Records the list now in force as the quarter's next revision; returns its number.
async fn add_revision(
    tx: &mut Transaction<'static, Any>,
    quarter: Quarter,
    topics: &[String],
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<i64> {
    let revision: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM guidance_revisions WHERE quarter = $1",
    )
    .bind(quarter.to_string())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO guidance_revisions (quarter, revision, topics, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(quarter.to_string())
    .bind(revision)
    .bind(topics.join("\n"))
    .bind(by.0.clone())
    .bind(instant(at))
    .execute(&mut **tx)
    .await?;
    Ok(revision)
}
