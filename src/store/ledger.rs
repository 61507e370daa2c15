//! Loading the scoring engine's ledger: filing tallies counted in SQL, and the year's events.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono_tz::Tz;
use sqlx::Row;

use super::error::Result;
use super::events::{LATE_TIMES_COLUMNS, read_late_times, year_bounds};
use super::sql::{get, instant, read_date, read_word};
use super::units::{SELECT_UNITS, unit_from_row};
use super::{Backend, Store};
use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, UnitId, VetoKind};
use crate::period::{Period, Quarter};
use crate::scoring::{Adoption, FilingTally, Instruction, ItemKey, Ledger, Veto};

/// The SQL that counts a period's filings per unit, commissioned mark and quarter: one row per
/// unit and mark, one column `q<i>` per quarter, each a count over a range of the index
/// `items (unit_id, commissioned, filed_at)`. Counting ranges costs what reading them does; a
/// `GROUP BY` over all the period's rows would sort them first (SQLite has no hash aggregate),
/// ten times slower at half a million items. `$1`… are the quarters' first instants and, last,
/// the period's end.
fn tally_sql(quarters: usize) -> String {
    let mut counts = String::new();
    for i in 0..quarters {
        let _ = write!(
            counts,
            ", (SELECT COUNT(*) FROM items i WHERE i.unit_id = u.id \
             AND i.commissioned = m.commissioned \
             AND i.filed_at >= ${} AND i.filed_at < ${}) AS q{i}",
            i + 1,
            i + 2
        );
    }
    format!(
        "SELECT u.id AS unit_id, m.commissioned{counts} FROM units u CROSS JOIN \
         (SELECT CAST(0 AS BIGINT) AS commissioned \
          UNION ALL SELECT CAST(1 AS BIGINT) AS commissioned) m"
    )
}

impl Store {
    /// Everything the scoring engine needs to answer for `period`: every unit, the filing
    /// tallies of the period's quarters (days read in `zone`), and the adoptions, instructions
    /// and vetoes of the period's whole calendar year (awards and year-to-date need the year).
    /// Retracted records, and the adoptions and instructions of retracted items, are left out.
    pub async fn load_ledger(&self, period: Period, zone: Tz) -> Result<Ledger> {
        self.load(period, zone, Detail::Full).await
    }

    /// The same ledger for answers that need points and counts only (standings, `/standings`):
    /// the adoptions and instructions of items filed here come without their titles and
    /// officers, fetched packed into one row per unit. The driver costs about two microseconds
    /// a row, so a year of 50,000 adoptions read row by row would alone take 100 ms or more.
    pub async fn load_ledger_for_points(&self, period: Period, zone: Tz) -> Result<Ledger> {
        self.load(period, zone, Detail::Points).await
    }

    async fn load(&self, period: Period, zone: Tz, detail: Detail) -> Result<Ledger> {
        let mut tx = self.begin_read().await?;

        let units = sqlx::query(&format!("{SELECT_UNITS} ORDER BY code"))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(unit_from_row)
            .collect::<Result<Vec<_>>>()?;

        // The quarters' first instants, and the period's end.
        let quarters: Vec<Quarter> = period.quarters();
        let mut bounds: Vec<i64> = quarters
            .iter()
            .map(|q| instant(Period::Quarter(*q).instants(zone).0))
            .collect();
        bounds.push(instant(period.instants(zone).1));
        let (start, end) = (bounds[0], bounds[bounds.len() - 1]);

        let mut counts: BTreeMap<(UnitId, usize), (i64, i64)> = BTreeMap::new();
        let text = tally_sql(quarters.len());
        let mut query = sqlx::query(&text);
        for bound in &bounds {
            query = query.bind(*bound);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let unit: i64 = get(&row, "unit_id")?;
            let commissioned: i64 = get(&row, "commissioned")?;
            for index in 0..quarters.len() {
                let filed: i64 = row.try_get(index + 2)?;
                if filed == 0 {
                    continue;
                }
                let entry = counts.entry((unit, index)).or_default();
                if commissioned != 0 {
                    entry.1 += filed;
                } else {
                    entry.0 += filed;
                }
            }
        }

        // Retracted items are few: subtract them rather than anti-join every item.
        let retracted = sqlx::query(
            "SELECT i.unit_id, i.commissioned, i.filed_at \
             FROM retractions r JOIN items i ON i.id = r.record_id \
             WHERE r.record_kind = 'item' AND i.filed_at >= $1 AND i.filed_at < $2",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&mut *tx)
        .await?;
        for row in &retracted {
            let unit: i64 = get(row, "unit_id")?;
            let commissioned: i64 = get(row, "commissioned")?;
            let filed_at: i64 = get(row, "filed_at")?;
            let index = bounds[1..].partition_point(|b| *b <= filed_at);
            if let Some(entry) = counts.get_mut(&(unit, index)) {
                if commissioned != 0 {
                    entry.1 -= 1;
                } else {
                    entry.0 -= 1;
                }
            }
        }
        let filings = counts
            .into_iter()
            .filter(|(_, (ordinary, commissioned))| *ordinary > 0 || *commissioned > 0)
            .map(|((unit, index), (ordinary, commissioned))| FilingTally {
                unit,
                quarter: quarters[index.min(quarters.len() - 1)],
                ordinary: ordinary.max(0) as u32,
                commissioned: commissioned.max(0) as u32,
            })
            .collect();

        let (from, to) = year_bounds(period.year());
        let (mut adoptions, mut instructions) = match detail {
            Detail::Full => (Vec::new(), Vec::new()),
            Detail::Points => self.packed_events(&mut tx, &from, &to).await?,
        };
        // In the lean form only the items never filed here still come row by row: their title
        // is what tells them apart.
        let only_external = |alias: &str| match detail {
            Detail::Full => String::new(),
            Detail::Points => format!(" AND {alias}.item_id IS NULL"),
        };
        let adoptions_sql = format!(
            "SELECT a.id, a.unit_id, a.item_id, a.title, a.level, a.form, a.adopted_on, \
                    COALESCE(p.name, i.officer_name) AS officer_name \
             FROM adoptions a LEFT JOIN items i ON i.id = a.item_id \
                  LEFT JOIN people p ON p.id = i.filed_by \
             WHERE a.adopted_on >= $1 AND a.adopted_on < $2{only_external} \
               {live} \
             ORDER BY a.adopted_on, a.id",
            only_external = only_external("a"),
            live = live("adoption", "a"),
        );
        let full_adoptions = sqlx::query(&adoptions_sql)
            .bind(from.clone())
            .bind(to.clone())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| {
                let unit: i64 = get(row, "unit_id")?;
                let title: String = get(row, "title")?;
                let item: Option<i64> = get(row, "item_id")?;
                let level: String = get(row, "level")?;
                let form: String = get(row, "form")?;
                let on: String = get(row, "adopted_on")?;
                Ok(Adoption {
                    id: get(row, "id")?,
                    unit,
                    item: item_key(item, unit, &title),
                    title,
                    level: read_word("adoptions.level", &level, AdoptionLevel::parse)?,
                    form: read_word("adoptions.form", &form, AdoptionForm::parse)?,
                    on: read_date("adoptions.adopted_on", &on)?,
                    officer: get(row, "officer_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        adoptions.extend(full_adoptions);

        let instructions_sql = format!(
            "SELECT n.id, n.unit_id, n.item_id, n.title, n.level, n.instructed_on \
             FROM instructions n \
             WHERE n.instructed_on >= $1 AND n.instructed_on < $2{only_external} \
               {live} \
             ORDER BY n.instructed_on, n.id",
            only_external = only_external("n"),
            live = live("instruction", "n"),
        );
        let full_instructions = sqlx::query(&instructions_sql)
            .bind(from.clone())
            .bind(to.clone())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| {
                let unit: i64 = get(row, "unit_id")?;
                let title: String = get(row, "title")?;
                let item: Option<i64> = get(row, "item_id")?;
                let level: String = get(row, "level")?;
                let on: String = get(row, "instructed_on")?;
                Ok(Instruction {
                    id: get(row, "id")?,
                    unit,
                    item: item_key(item, unit, &title),
                    title,
                    level: read_word("instructions.level", &level, InstructionLevel::parse)?,
                    on: read_date("instructions.instructed_on", &on)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        instructions.extend(full_instructions);

        let vetoes = sqlx::query(&format!(
            "SELECT v.id, v.unit_id, v.kind, v.vetoed_on, v.reason, {LATE_TIMES_COLUMNS} \
             FROM vetoes v \
             WHERE v.vetoed_on >= $1 AND v.vetoed_on < $2 \
               AND NOT EXISTS (SELECT 1 FROM retractions r \
                               WHERE r.record_kind = 'veto' AND r.record_id = v.id) \
             ORDER BY v.vetoed_on, v.id"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| {
            let kind: String = get(row, "kind")?;
            let on: String = get(row, "vetoed_on")?;
            Ok(Veto {
                id: get(row, "id")?,
                unit: get(row, "unit_id")?,
                kind: read_word("vetoes.kind", &kind, VetoKind::parse)?,
                on: read_date("vetoes.vetoed_on", &on)?,
                reason: get(row, "reason")?,
                late: read_late_times(row)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

        tx.commit().await?;
        Ok(Ledger {
            units,
            filings,
            adoptions,
            instructions,
            vetoes,
        })
    }
}

/// The condition that keeps a record of `kind` (aliased `alias`) only while neither it nor its
/// item is retracted.
fn live(kind: &str, alias: &str) -> String {
    format!(
        "AND NOT EXISTS (SELECT 1 FROM retractions r \
                         WHERE r.record_kind = '{kind}' AND r.record_id = {alias}.id) \
         AND NOT EXISTS (SELECT 1 FROM retractions r \
                         WHERE r.record_kind = 'item' AND r.record_id = {alias}.item_id)"
    )
}

/// How much of each event a ledger carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Everything, for breakdowns, awards and honoraria.
    Full,
    /// What points and counts need: no titles or officers of filed items.
    Points,
}

impl Store {
    /// The adoptions and instructions of filed items in `[from, to)`, not retracted, fetched as
    /// one row per unit with the events packed in a text (`id,item,level,form,date;…`; none of
    /// those values holds a comma or a semicolon).
    async fn packed_events(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        from: &str,
        to: &str,
    ) -> Result<(Vec<Adoption>, Vec<Instruction>)> {
        let aggregate = match self.backend() {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        };
        let adoptions_sql = format!(
            "SELECT a.unit_id, {aggregate}(a.id || ',' || a.item_id || ',' || a.level || ',' \
                 || a.form || ',' || a.adopted_on, ';') AS packed \
             FROM adoptions a \
             WHERE a.adopted_on >= $1 AND a.adopted_on < $2 AND a.item_id IS NOT NULL \
               {live} \
             GROUP BY a.unit_id",
            live = live("adoption", "a"),
        );
        let mut adoptions = Vec::new();
        for row in sqlx::query(&adoptions_sql)
            .bind(from)
            .bind(to)
            .fetch_all(&mut **tx)
            .await?
        {
            let unit: i64 = get(&row, "unit_id")?;
            let packed: String = get(&row, "packed")?;
            for event in packed.split(';') {
                let [id, item, level, form, on] = fields(event, "adoptions")?;
                adoptions.push(Adoption {
                    id: number("adoptions.id", id)?,
                    unit,
                    item: ItemKey::Filed {
                        item: number("adoptions.item_id", item)?,
                    },
                    title: String::new(),
                    level: read_word("adoptions.level", level, AdoptionLevel::parse)?,
                    form: read_word("adoptions.form", form, AdoptionForm::parse)?,
                    on: read_date("adoptions.adopted_on", on)?,
                    officer: None,
                });
            }
        }
        let instructions_sql = format!(
            "SELECT n.unit_id, {aggregate}(n.id || ',' || n.item_id || ',' || n.level || ',' \
                 || n.instructed_on, ';') AS packed \
             FROM instructions n \
             WHERE n.instructed_on >= $1 AND n.instructed_on < $2 AND n.item_id IS NOT NULL \
               {live} \
             GROUP BY n.unit_id",
            live = live("instruction", "n"),
        );
        let mut instructions = Vec::new();
        for row in sqlx::query(&instructions_sql)
            .bind(from)
            .bind(to)
            .fetch_all(&mut **tx)
            .await?
        {
            let unit: i64 = get(&row, "unit_id")?;
            let packed: String = get(&row, "packed")?;
            for event in packed.split(';') {
                let [id, item, level, on] = fields(event, "instructions")?;
                instructions.push(Instruction {
                    id: number("instructions.id", id)?,
                    unit,
                    item: ItemKey::Filed {
                        item: number("instructions.item_id", item)?,
                    },
                    title: String::new(),
                    level: read_word("instructions.level", level, InstructionLevel::parse)?,
                    on: read_date("instructions.instructed_on", on)?,
                });
            }
        }
        Ok((adoptions, instructions))
    }
}

/// Splits one packed event into its `N` fields.
fn fields<'a, const N: usize>(event: &'a str, column: &'static str) -> Result<[&'a str; N]> {
    let mut out = [""; N];
    let mut parts = event.split(',');
    for slot in &mut out {
        *slot = parts.next().ok_or_else(|| bad(column, event))?;
    }
    if parts.next().is_some() {
        return Err(bad(column, event));
    }
    Ok(out)
}

fn number(column: &'static str, text: &str) -> Result<i64> {
    text.parse().map_err(|_| bad(column, text))
}

fn bad(column: &'static str, value: &str) -> super::StoreError {
    super::StoreError::BadValue {
        column,
        value: value.to_string(),
    }
}

fn item_key(item: Option<i64>, unit: UnitId, title: &str) -> ItemKey {
    match item {
        Some(item) => ItemKey::Filed { item },
        None => ItemKey::External {
            unit,
            title: title.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::tally_sql;

    #[test]
    fn a_year_is_tallied_in_one_statement_with_a_column_per_quarter() {
        let sql = tally_sql(4);
        assert!(sql.contains("i.filed_at >= $1 AND i.filed_at < $2) AS q0"));
        assert!(sql.contains("i.filed_at >= $4 AND i.filed_at < $5) AS q3"));
        assert!(!tally_sql(1).contains("AS q1"));
    }
}
