//! Retractions: the one way to take a record out of scoring, itself kept as a record.

use super::error::{Result, StoreError, is_unique_violation};
use super::events::by_natural_key;
use super::sql::now;
use super::{RecordKind, Store};
use crate::domain::RowId;
use crate::records::{Problem, Recorder};

impl Store {
    /// Hides one record from scoring from now on; the record stays visible. Refuses a record
    /// that does not exist and one already retracted. A retracted item takes its adoptions and
    /// instructions out of scoring with it.
    pub async fn retract(
        &self,
        kind: RecordKind,
        id: RowId,
        reason: &str,
        recorder: &Recorder,
    ) -> Result<RowId> {
        self.retract_keyed(kind, id, reason, None, recorder).await
    }

    /// Like [`Store::retract`]; under a natural key (the chat and the message that asked) the
    /// same key again is the same retraction, not "already retracted".
    pub async fn retract_keyed(
        &self,
        kind: RecordKind,
        id: RowId,
        reason: &str,
        key: Option<&str>,
        recorder: &Recorder,
    ) -> Result<RowId> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid {
                column: "reason",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        if let Some(done) = by_natural_key(&mut tx, "retractions", key.unwrap_or_default()).await? {
            return Ok(done);
        }
        let exists: Option<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = $1", kind.table()))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: kind.code(),
                key: id.to_string(),
            });
        }
        let already: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM retractions WHERE record_kind = $1 AND record_id = $2",
        )
        .bind(kind.code())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if already.is_some() {
            return Err(StoreError::AlreadyRetracted { kind, id });
        }
        let inserted = sqlx::query_scalar(
            "INSERT INTO retractions (record_kind, record_id, reason, recorded_by, recorded_at, \
                                      natural_key) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(kind.code())
        .bind(id)
        .bind(reason.to_string())
        .bind(recorder.0.clone())
        .bind(now())
        .bind(key.map(str::to_string))
        .fetch_one(&mut *tx)
        .await;
        let retraction: i64 = match inserted {
            Ok(row) => row,
            // Two retractions of one record at once on PostgreSQL: the constraint keeps one.
            Err(err) if is_unique_violation(&err) => {
                return Err(StoreError::AlreadyRetracted { kind, id });
            }
            Err(err) => return Err(err.into()),
        };
        tx.commit().await?;
        Ok(retraction)
    }

    /// Whether a record is retracted.
    pub async fn is_retracted(&self, kind: RecordKind, id: RowId) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM retractions WHERE record_kind = $1 AND record_id = $2",
        )
        .bind(kind.code())
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }
}
