//! The quarter's guidance (信息需求要点) and a unit's open commissions: what an item may answer.

use chrono::NaiveDate;

use super::Store;
use super::error::{Result, StoreError, is_unique_violation};
use super::sql::{get, now, read_date};
use crate::domain::UnitId;
use crate::period::Quarter;
use crate::records::{Problem, Recorder};

/// One topic of a quarter's guidance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub title: String,
}

/// A commission (市总特约稿件) the unit has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCommission {
    pub id: i64,
    pub subject: String,
    pub due_on: NaiveDate,
}

impl From<Topic> for crate::forms::item::Topic {
    fn from(topic: Topic) -> Self {
        crate::forms::item::Topic {
            id: topic.id,
            title: topic.title,
        }
    }
}

impl From<OpenCommission> for crate::forms::item::Commission {
    fn from(commission: OpenCommission) -> Self {
        crate::forms::item::Commission {
            id: commission.id,
            title: commission.subject,
        }
    }
}

impl Store {
    /// Adds a topic to a quarter's guidance and returns its id; the same title twice in one
    /// quarter is `AlreadyExists`.
    pub async fn add_guidance(&self, quarter: Quarter, title: &str, by: &Recorder) -> Result<i64> {
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid {
                column: "title",
                problem: Problem::Empty,
            });
        }
        let inserted = sqlx::query_scalar(
            "INSERT INTO guidance_topics (quarter, title, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(quarter.to_string())
        .bind(title.to_string())
        .bind(by.0.clone())
        .bind(now())
        .fetch_one(self.pool())
        .await;
        match inserted {
            Ok(id) => Ok(id),
            Err(err) if is_unique_violation(&err) => Err(StoreError::AlreadyExists {
                what: "guidance topic",
                value: title.to_string(),
            }),
            Err(err) => Err(err.into()),
        }
    }

    /// A quarter's guidance, in the order the topics were added.
    pub async fn guidance(&self, quarter: Quarter) -> Result<Vec<Topic>> {
        sqlx::query("SELECT id, title FROM guidance_topics WHERE quarter = $1 ORDER BY id")
            .bind(quarter.to_string())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(Topic {
                    id: get(row, "id")?,
                    title: get(row, "title")?,
                })
            })
            .collect()
    }

    /// The unit's commissions that are not retracted and not yet answered by an item filed for
    /// them (a retracted item answers nothing), the earliest due first.
    pub async fn open_commissions(&self, unit_id: UnitId) -> Result<Vec<OpenCommission>> {
        sqlx::query(
            "SELECT c.id, c.subject, c.due_on FROM commissions c \
             WHERE c.unit_id = $1 \
               AND NOT EXISTS (SELECT 1 FROM retractions r \
                               WHERE r.record_kind = 'commission' AND r.record_id = c.id) \
               AND NOT EXISTS (SELECT 1 FROM items i \
                               WHERE i.commission_id = c.id \
                                 AND NOT EXISTS (SELECT 1 FROM retractions r \
                                                 WHERE r.record_kind = 'item' \
                                                   AND r.record_id = i.id)) \
             ORDER BY c.due_on, c.id",
        )
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
