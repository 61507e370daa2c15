//! The records a new instruction or commission would repeat: the same item at the same level,
//! the same unit on the same subject, not retracted, so the office is asked before a second.

use super::Store;
use super::error::Result;
use super::sql::{get, read_date, read_instant};
use crate::domain::{InstructionLevel, ItemId, UnitId};
use crate::records::Earlier;

impl Store {
    /// The instructions standing on an item at a level, oldest first.
    pub async fn instructions_like(
        &self,
        item: ItemId,
        level: InstructionLevel,
    ) -> Result<Vec<Earlier>> {
        let rows = sqlx::query(
            "SELECT n.id, n.instructed_on AS dated, n.recorded_by, n.recorded_at, n.natural_key \
             FROM instructions n \
             WHERE n.item_id = $1 AND n.level = $2 \
               AND NOT EXISTS (SELECT 1 FROM retractions r \
                               WHERE r.record_kind = 'instruction' AND r.record_id = n.id) \
             ORDER BY n.id",
        )
        .bind(item)
        .bind(level.code().to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| earlier(row, "instructions"))
            .collect()
    }

    /// The commissions standing to a unit on a subject (the same words, spaces around them
    /// aside), oldest first.
    pub async fn commissions_like(&self, unit: UnitId, subject: &str) -> Result<Vec<Earlier>> {
        let rows = sqlx::query(
            "SELECT c.id, c.due_on AS dated, c.recorded_by, c.recorded_at, c.natural_key \
             FROM commissions c \
             WHERE c.unit_id = $1 AND TRIM(c.subject) = $2 \
               AND NOT EXISTS (SELECT 1 FROM retractions r \
                               WHERE r.record_kind = 'commission' AND r.record_id = c.id) \
             ORDER BY c.id",
        )
        .bind(unit)
        .bind(subject.trim().to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| earlier(row, "commissions")).collect()
    }
}

fn earlier(row: &sqlx::any::AnyRow, table: &'static str) -> Result<Earlier> {
    let dated: String = get(row, "dated")?;
    Ok(Earlier {
        id: get(row, "id")?,
        on: read_date(table, &dated)?,
        recorded_by: get(row, "recorded_by")?,
        recorded_at: read_instant(table, get(row, "recorded_at")?)?,
        key: get(row, "natural_key")?,
    })
}
