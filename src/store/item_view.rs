//! One item with every header field and what became of it, and the items of a span of time:
//! what the office reads with `item show` and `item list`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::Store;
use super::error::{Result, StoreError};
use super::sql::{get, instant, read_date, read_instant, read_word};
use crate::domain::{AdoptionForm, AdoptionLevel, Category, InstructionLevel, ItemId, UnitId};

pub use crate::records::{ItemAdoption, ItemDetail, ItemInstruction};

const SELECT_DETAILS: &str = "SELECT i.id, i.reference, u.code AS unit_code, \
     u.name AS unit_name, i.category, i.title, i.body, i.distribution_scope, i.issuing_unit, \
     i.signer, i.responsible_person, i.dated, i.copies, i.officer_name, i.commissioned, \
     i.filed_at, i.recorded_by, \
     (SELECT r.reason FROM item_returns r WHERE r.item_id = i.id \
      ORDER BY r.id DESC LIMIT 1) AS returned, \
     (SELECT COUNT(*) FROM retractions x \
      WHERE x.record_kind = 'item' AND x.record_id = i.id) AS retracted, \
     (SELECT COALESCE(p.name, n.recorded_by) FROM item_declines n \
      LEFT JOIN people p ON p.id = n.person_id WHERE n.item_id = i.id) AS declined_by, \
     (SELECT n.recorded_at FROM item_declines n WHERE n.item_id = i.id) AS declined_at \
     FROM items i JOIN units u ON u.id = i.unit_id";

fn detail_from_row(row: &AnyRow) -> Result<ItemDetail> {
    let category: i64 = get(row, "category")?;
    let dated: Option<String> = get(row, "dated")?;
    let commissioned: i64 = get(row, "commissioned")?;
    let retracted: i64 = get(row, "retracted")?;
    let declined_by: Option<String> = get(row, "declined_by")?;
    let declined_at: Option<i64> = get(row, "declined_at")?;
    let declined = match (declined_by, declined_at) {
        (Some(by), Some(at)) => Some(crate::records::Declined {
            by,
            at: read_instant("item_declines.recorded_at", at)?,
        }),
        _ => None,
    };
    Ok(ItemDetail {
        id: get(row, "id")?,
        reference: get(row, "reference")?,
        unit_code: get(row, "unit_code")?,
        unit_name: get(row, "unit_name")?,
        category: u8::try_from(category)
            .ok()
            .and_then(|n| Category::new(n).ok())
            .ok_or_else(|| StoreError::BadValue {
                column: "items.category",
                value: category.to_string(),
            })?,
        title: get(row, "title")?,
        body: get(row, "body")?,
        distribution_scope: get(row, "distribution_scope")?,
        issuing_unit: get(row, "issuing_unit")?,
        signer: get(row, "signer")?,
        responsible_person: get(row, "responsible_person")?,
        dated: dated.map(|d| read_date("items.dated", &d)).transpose()?,
        copies: get(row, "copies")?,
        officer: get(row, "officer_name")?,
        commissioned: commissioned != 0,
        filed_at: read_instant("items.filed_at", get(row, "filed_at")?)?,
        recorded_by: get(row, "recorded_by")?,
        returned: get(row, "returned")?,
        declined,
        retracted: retracted > 0,
        adoptions: Vec::new(),
        instructions: Vec::new(),
    })
}

/// Adds to `items` their adoptions and instructions, in the order they happened: one query
/// each, over the items that `filter` (a condition on `items i`, with `binds` as `$1`…) picks.
async fn add_events(
    conn: &mut AnyConnection,
    items: &mut [ItemDetail],
    filter: &str,
    binds: &[i64],
) -> Result<()> {
    let at: HashMap<ItemId, usize> = items.iter().enumerate().map(|(n, i)| (i.id, n)).collect();
    let text = format!(
        "SELECT a.id, a.item_id, a.level, a.form, a.adopted_on, \
                    (SELECT COUNT(*) FROM retractions r \
                      WHERE r.record_kind = 'adoption' AND r.record_id = a.id) AS retracted \
             FROM adoptions a JOIN items i ON i.id = a.item_id WHERE {filter} \
             ORDER BY a.adopted_on, a.id"
    );
    let mut query = sqlx::query(&text);
    for value in binds {
        query = query.bind(*value);
    }
    for row in &query.fetch_all(&mut *conn).await? {
        let item: ItemId = get(row, "item_id")?;
        let level: String = get(row, "level")?;
        let form: String = get(row, "form")?;
        let on: String = get(row, "adopted_on")?;
        let retracted: i64 = get(row, "retracted")?;
        if let Some(n) = at.get(&item) {
            items[*n].adoptions.push(ItemAdoption {
                id: get(row, "id")?,
                level: read_word("adoptions.level", &level, AdoptionLevel::parse)?,
                form: read_word("adoptions.form", &form, AdoptionForm::parse)?,
                on: read_date("adoptions.adopted_on", &on)?,
                retracted: retracted > 0,
            });
        }
    }
    let text = format!(
        "SELECT n.id, n.item_id, n.level, n.instructed_on, \
                (SELECT COUNT(*) FROM retractions r \
                  WHERE r.record_kind = 'instruction' AND r.record_id = n.id) AS retracted \
         FROM instructions n JOIN items i ON i.id = n.item_id WHERE {filter} \
         ORDER BY n.instructed_on, n.id"
    );
    let mut query = sqlx::query(&text);
    for value in binds {
        query = query.bind(*value);
    }
    for row in &query.fetch_all(&mut *conn).await? {
        let item: ItemId = get(row, "item_id")?;
        let level: String = get(row, "level")?;
        let on: String = get(row, "instructed_on")?;
        let retracted: i64 = get(row, "retracted")?;
        if let Some(n) = at.get(&item) {
            items[*n].instructions.push(ItemInstruction {
                id: get(row, "id")?,
                level: read_word("instructions.level", &level, InstructionLevel::parse)?,
                on: read_date("instructions.instructed_on", &on)?,
                retracted: retracted > 0,
            });
        }
    }
    Ok(())
}

impl Store {
    /// One item by its number (`12`, `#12`) or, when no item has that number, by its import
    /// reference, with its adoptions and instructions.
    pub async fn item_detail(&self, number_or_reference: &str) -> Result<Option<ItemDetail>> {
        let key = number_or_reference.trim();
        let mut conn = self.pool().acquire().await?;
        let mut row = None;
        let digits = key.strip_prefix('#').unwrap_or(key);
        if let Ok(id) = digits.parse::<ItemId>() {
            row = sqlx::query(&format!("{SELECT_DETAILS} WHERE i.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        }
        if row.is_none() && !key.is_empty() {
            row = sqlx::query(&format!("{SELECT_DETAILS} WHERE i.reference = $1"))
                .bind(key.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        }
        let Some(row) = row else {
            return Ok(None);
        };
        let mut items = [detail_from_row(&row)?];
        let id = items[0].id;
        add_events(&mut conn, &mut items, "i.id = $1", &[id]).await?;
        let [item] = items;
        Ok(Some(item))
    }

    /// The items filed in `[from, to)`, of one unit when given (its direct-report points'
    /// items are theirs, not its own), by filing time; retracted ones included and marked.
    pub async fn items_filed(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        unit: Option<UnitId>,
    ) -> Result<Vec<ItemDetail>> {
        let mut conn = self.pool().acquire().await?;
        let mut binds = vec![instant(from), instant(to)];
        let mut filter = String::from("i.filed_at >= $1 AND i.filed_at < $2");
        if let Some(unit) = unit {
            binds.push(unit);
            filter.push_str(" AND i.unit_id = $3");
        }
        let text = format!("{SELECT_DETAILS} WHERE {filter} ORDER BY i.filed_at, i.id");
        let mut query = sqlx::query(&text);
        for value in &binds {
            query = query.bind(*value);
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut items = rows
            .iter()
            .map(detail_from_row)
            .collect::<Result<Vec<_>>>()?;
        add_events(&mut conn, &mut items, &filter, &binds).await?;
        Ok(items)
    }
}
