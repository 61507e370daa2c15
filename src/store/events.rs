//! Adoptions, instructions, vetoes and commissions: the office's records that move points.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::AnyConnection;

use super::Store;
use super::error::{Result, StoreError};
use super::sql::{
    Value, date, fetch_in, get, insert_many, instant, now, read_date, read_instant, read_word,
};
use super::units::{code_key, unit_id, unit_map};
use crate::domain::{ItemId, RowId, UnitId, VetoKind};
use crate::records::{
    ImportReport, ItemTarget, NewAdoption, NewInstruction, NewVeto, Problem, Recorder, RowProblem,
};
use crate::scoring::{LateTimes, Veto};

/// An adoption or an instruction: both are about one item and are stored alike.
#[derive(Clone, Copy)]
enum Event<'a> {
    Adoption(&'a NewAdoption),
    Instruction(&'a NewInstruction),
}

const ADOPTION_COLUMNS: &[&str] = &[
    "item_id",
    "unit_id",
    "title",
    "level",
    "form",
    "adopted_on",
    "natural_key",
    "recorded_by",
    "recorded_at",
];

const INSTRUCTION_COLUMNS: &[&str] = &[
    "item_id",
    "unit_id",
    "title",
    "level",
    "instructed_on",
    "natural_key",
    "recorded_by",
    "recorded_at",
];

/// The item an event is about, found in the store.
struct Resolved {
    item: Option<ItemId>,
    unit: UnitId,
    title: String,
}

impl<'a> Event<'a> {
    fn table(self) -> &'static str {
        match self {
            Event::Adoption(_) => "adoptions",
            Event::Instruction(_) => "instructions",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Event::Adoption(_) => ADOPTION_COLUMNS,
            Event::Instruction(_) => INSTRUCTION_COLUMNS,
        }
    }

    fn item(self) -> &'a ItemTarget {
        match self {
            Event::Adoption(a) => &a.item,
            Event::Instruction(i) => &i.item,
        }
    }

    /// What makes a second import of the same event the same event: the item (or for an
    /// external item its unit and title), the level, the form and the date.
    fn natural_key(self, resolved: &Resolved) -> String {
        let about = match resolved.item {
            Some(item) => json!(["item", item]),
            None => json!(["external", resolved.unit, resolved.title]),
        };
        match self {
            Event::Adoption(a) => {
                json!([about, a.level.code(), a.form.code(), date(a.on)]).to_string()
            }
            Event::Instruction(i) => json!([about, i.level.code(), date(i.on)]).to_string(),
        }
    }

    fn values(
        self,
        resolved: &Resolved,
        natural_key: Option<String>,
        recorder: &Recorder,
        recorded_at: i64,
    ) -> Vec<Value> {
        let mut values: Vec<Value> = vec![
            resolved.item.into(),
            resolved.unit.into(),
            resolved.title.clone().into(),
        ];
        match self {
            Event::Adoption(a) => {
                values.push(a.level.code().into());
                values.push(a.form.code().into());
                values.push(date(a.on).into());
            }
            Event::Instruction(i) => {
                values.push(i.level.code().into());
                values.push(date(i.on).into());
            }
        }
        values.push(natural_key.into());
        values.push(recorder.0.as_str().into());
        values.push(recorded_at.into());
        values
    }
}

/// The stored items an import's rows name, by reference and by number.
#[derive(Default)]
struct Items {
    by_reference: HashMap<String, (ItemId, UnitId, String)>,
    by_number: HashMap<ItemId, (UnitId, String)>,
}

async fn find_items(conn: &mut AnyConnection, targets: &[&ItemTarget]) -> Result<Items> {
    let mut references = HashSet::new();
    let mut numbers = HashSet::new();
    for target in targets {
        match target {
            ItemTarget::Reference(r) => {
                references.insert(r.trim().to_string());
            }
            ItemTarget::Number(n) => {
                numbers.insert(*n);
            }
            ItemTarget::External { .. } => {}
        }
    }
    let mut items = Items::default();
    let rows = fetch_in(
        conn,
        "SELECT id, reference, unit_id, title FROM items WHERE reference IN ({keys})",
        references.into_iter().map(Value::from).collect(),
    )
    .await?;
    for row in &rows {
        items.by_reference.insert(
            get(row, "reference")?,
            (get(row, "id")?, get(row, "unit_id")?, get(row, "title")?),
        );
    }
    let rows = fetch_in(
        conn,
        "SELECT id, unit_id, title FROM items WHERE id IN ({keys})",
        numbers.into_iter().map(Value::from).collect(),
    )
    .await?;
    for row in &rows {
        items
            .by_number
            .insert(get(row, "id")?, (get(row, "unit_id")?, get(row, "title")?));
    }
    Ok(items)
}

/// Finds what an event is about, or says which column names something unknown.
fn resolve(
    target: &ItemTarget,
    items: &Items,
    units: &HashMap<String, UnitId>,
) -> std::result::Result<Resolved, (&'static str, Problem)> {
    match target {
        ItemTarget::Reference(r) => {
            let r = r.trim();
            items
                .by_reference
                .get(r)
                .map(|(id, unit, title)| Resolved {
                    item: Some(*id),
                    unit: *unit,
                    title: title.clone(),
                })
                .ok_or((
                    "item_ref",
                    Problem::UnknownItem {
                        value: r.to_string(),
                    },
                ))
        }
        ItemTarget::Number(n) => items
            .by_number
            .get(n)
            .map(|(unit, title)| Resolved {
                item: Some(*n),
                unit: *unit,
                title: title.clone(),
            })
            .ok_or((
                "item_ref",
                Problem::UnknownItem {
                    value: n.to_string(),
                },
            )),
        ItemTarget::External { unit_code, title } => {
            let code = unit_code.trim();
            let title = title.trim();
            let unit = units.get(&code_key(code)).ok_or((
                "unit",
                Problem::UnknownUnit {
                    value: code.to_string(),
                },
            ))?;
            if title.is_empty() {
                return Err(("title", Problem::Empty));
            }
            Ok(Resolved {
                item: None,
                unit: *unit,
                title: title.to_string(),
            })
        }
    }
}

/// A veto as the office lists it: who recorded it, when, and whether it was retracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VetoRecord {
    pub veto: Veto,
    pub unit_code: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub retracted: bool,
}

impl Store {
    async fn import_events(
        &self,
        table: &'static str,
        rows: Vec<(usize, Event<'_>)>,
        recorder: &Recorder,
    ) -> Result<ImportReport> {
        let mut tx = self.begin_write().await?;
        self.lock_for_import(&mut tx, table).await?;
        let units: HashMap<String, UnitId> = unit_map(&mut tx)
            .await?
            .into_iter()
            .map(|(code, unit)| (code, unit.id))
            .collect();
        let targets: Vec<&ItemTarget> = rows.iter().map(|(_, e)| e.item()).collect();
        let items = find_items(&mut tx, &targets).await?;

        let mut problems = Vec::new();
        let mut keyed = Vec::new();
        for (line, event) in &rows {
            match resolve(event.item(), &items, &units) {
                Ok(resolved) => {
                    let key = event.natural_key(&resolved);
                    keyed.push((*event, resolved, key));
                }
                Err((column, problem)) => problems.push(RowProblem {
                    line: *line,
                    column: column.to_string(),
                    problem,
                }),
            }
        }
        if !problems.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Rows(problems));
        }

        let stored: HashSet<String> = fetch_in(
            &mut tx,
            &format!("SELECT natural_key FROM {table} WHERE natural_key IN ({{keys}})"),
            keyed
                .iter()
                .map(|(_, _, key)| Value::from(key.clone()))
                .collect(),
        )
        .await?
        .iter()
        .map(|row| get(row, "natural_key"))
        .collect::<Result<_>>()?;

        let mut report = ImportReport::default();
        let mut seen = HashSet::new();
        let mut to_add = Vec::new();
        let recorded_at = now();
        let mut columns: &[&str] = &[];
        for (event, resolved, key) in keyed {
            columns = event.columns();
            if stored.contains(&key) || !seen.insert(key.clone()) {
                report.skipped += 1;
            } else {
                to_add.push(event.values(&resolved, Some(key), recorder, recorded_at));
            }
        }
        report.added = to_add.len();
        if !to_add.is_empty() {
            insert_many(&mut tx, table, columns, to_add).await?;
        }
        tx.commit().await?;
        self.after_bulk_import(table, report.added).await;
        Ok(report)
    }

    async fn add_event(&self, event: Event<'_>, recorder: &Recorder) -> Result<RowId> {
        let mut tx = self.begin_write().await?;
        // Single records carry no natural key: two identical adoptions recorded by hand are two.
        let id = insert_event(&mut tx, event, None, recorder).await?;
        tx.commit().await?;
        id.ok_or_else(|| StoreError::NotFound {
            what: "record",
            key: String::new(),
        })
    }

    /// Records an adoption confirmed in chat under `key` (made of the chat and the form's
    /// revision) and saves the chat's finished dialogue, in one transaction: a confirmation
    /// delivered again records nothing more. Returns the adoption and whether it is new.
    #[allow(clippy::too_many_arguments)]
    pub async fn adopt_from_chat(
        &self,
        adoption: &NewAdoption,
        key: &str,
        chat_id: i64,
        person_id: i64,
        done_state_json: Option<&str>,
        recorder: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<(RowId, bool)> {
        let key = key.trim();
        if key.is_empty() {
            return Err(StoreError::Invalid {
                column: "natural_key",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        let event = Event::Adoption(adoption);
        let (id, new) = match adoption_by_key(&mut tx, key).await? {
            Some(id) => (id, false),
            None => match insert_event(&mut tx, event, Some(key.to_string()), recorder).await? {
                Some(id) => (id, true),
                // Recorded at this very moment by another transaction (PostgreSQL): that one.
                None => match adoption_by_key(&mut tx, key).await? {
                    Some(id) => (id, false),
                    None => {
                        return Err(StoreError::NotFound {
                            what: "adoption",
                            key: key.to_string(),
                        });
                    }
                },
            },
        };
        if let Some(state) = done_state_json {
            super::dialogues::save(&mut tx, chat_id, person_id, state, now).await?;
        }
        tx.commit().await?;
        Ok((id, new))
    }
}

/// The record of `table` stored under a natural key; none for an empty key. The table name is
/// one of the code's own, never a person's input.
pub(crate) async fn by_natural_key(
    conn: &mut AnyConnection,
    table: &'static str,
    key: &str,
) -> Result<Option<RowId>> {
    if key.is_empty() {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE natural_key = $1"))
            .bind(key.to_string())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Inserts one veto row (also inside a larger transaction: a confirmed late urgent report
/// records its veto with the decision, and with the times and limit it was judged on). The
/// reason is stored as given; callers check it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_veto(
    conn: &mut AnyConnection,
    unit: UnitId,
    kind: VetoKind,
    on: NaiveDate,
    reason: &str,
    late: Option<&LateTimes>,
    key: Option<&str>,
    recorder: &Recorder,
) -> Result<RowId> {
    Ok(sqlx::query_scalar(
        "INSERT INTO vetoes (unit_id, kind, vetoed_on, reason, recorded_by, recorded_at, \
                             natural_key, event_at, reported_at, limit_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(unit)
    .bind(kind.code())
    .bind(date(on))
    .bind(reason.to_string())
    .bind(recorder.0.clone())
    .bind(now())
    .bind(key.map(str::to_string))
    .bind(late.map(|l| instant(l.event_at)))
    .bind(late.map(|l| instant(l.reported_at)))
    .bind(late.map(|l| i64::from(l.limit_minutes)))
    .fetch_one(&mut *conn)
    .await?)
}

/// The columns a veto's [`LateTimes`] are read from, as `SELECT` lists them.
pub(crate) const LATE_TIMES_COLUMNS: &str = "v.event_at, v.reported_at, v.limit_minutes";

/// A veto's times and limit, when the row has all three (a veto recorded by hand has none).
pub(crate) fn read_late_times(row: &sqlx::any::AnyRow) -> Result<Option<LateTimes>> {
    let event_at: Option<i64> = get(row, "event_at")?;
    let reported_at: Option<i64> = get(row, "reported_at")?;
    let limit: Option<i64> = get(row, "limit_minutes")?;
    let (Some(event_at), Some(reported_at), Some(limit)) = (event_at, reported_at, limit) else {
        return Ok(None);
    };
    Ok(Some(LateTimes {
        event_at: read_instant("vetoes.event_at", event_at)?,
        reported_at: read_instant("vetoes.reported_at", reported_at)?,
        limit_minutes: u32::try_from(limit).map_err(|_| StoreError::BadValue {
            column: "vetoes.limit_minutes",
            value: limit.to_string(),
        })?,
    }))
}

/// The adoption stored under a natural key.
async fn adoption_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<RowId>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM adoptions WHERE natural_key = $1")
            .bind(key.to_string())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Inserts one adoption or instruction about a stored item (or an external one), under
/// `natural_key` if given; none when a record with that key is stored already.
async fn insert_event(
    tx: &mut AnyConnection,
    event: Event<'_>,
    natural_key: Option<String>,
    recorder: &Recorder,
) -> Result<Option<RowId>> {
    let target = event.item();
    let items = find_items(&mut *tx, &[target]).await?;
    let units = match target {
        ItemTarget::External { unit_code, .. } => {
            let id = unit_id(&mut *tx, unit_code).await?;
            HashMap::from([(code_key(unit_code), id)])
        }
        _ => HashMap::new(),
    };
    let resolved = resolve(target, &items, &units).map_err(|(column, problem)| match problem {
        Problem::UnknownItem { value } => StoreError::NotFound {
            what: "item",
            key: value,
        },
        Problem::UnknownUnit { value } => StoreError::NotFound {
            what: "unit",
            key: value,
        },
        problem => StoreError::Invalid { column, problem },
    })?;
    let columns = event.columns();
    let placeholders = (1..=columns.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "INSERT INTO {} ({}) VALUES ({placeholders}) \
             ON CONFLICT (natural_key) DO NOTHING RETURNING id",
        event.table(),
        columns.join(", ")
    );
    let mut query = sqlx::query_scalar(&text);
    for value in event.values(&resolved, natural_key, recorder, now()) {
        query = match value {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
        };
    }
    Ok(query.fetch_optional(&mut *tx).await?)
}

impl Store {
    /// Imports adoptions, all or none; an adoption recorded already (same item or external
    /// unit and title, level, form and date) is skipped. One about a stored item takes the
    /// item's unit and title.
    pub async fn import_adoptions(
        &self,
        rows: &[(usize, NewAdoption)],
        recorder: &Recorder,
    ) -> Result<ImportReport> {
        let events = rows.iter().map(|(l, a)| (*l, Event::Adoption(a))).collect();
        self.import_events("adoptions", events, recorder).await
    }

    /// Imports instructions, all or none; one recorded already is skipped.
    pub async fn import_instructions(
        &self,
        rows: &[(usize, NewInstruction)],
        recorder: &Recorder,
    ) -> Result<ImportReport> {
        let events = rows
            .iter()
            .map(|(l, i)| (*l, Event::Instruction(i)))
            .collect();
        self.import_events("instructions", events, recorder).await
    }

    /// Records one adoption (chat or command line).
    pub async fn add_adoption(&self, adoption: &NewAdoption, recorder: &Recorder) -> Result<RowId> {
        self.add_event(Event::Adoption(adoption), recorder).await
    }

    /// Records one instruction (chat or command line).
    pub async fn add_instruction(
        &self,
        instruction: &NewInstruction,
        recorder: &Recorder,
    ) -> Result<RowId> {
        self.add_event(Event::Instruction(instruction), recorder)
            .await
    }

    /// Records an instruction made in chat under the natural key of the message that made it:
    /// the same key again is the same instruction (a replay after a crash records nothing more).
    pub async fn add_instruction_keyed(
        &self,
        instruction: &NewInstruction,
        key: &str,
        recorder: &Recorder,
    ) -> Result<RowId> {
        let mut tx = self.begin_write().await?;
        if let Some(id) = by_natural_key(&mut tx, "instructions", key).await? {
            return Ok(id);
        }
        let event = Event::Instruction(instruction);
        let id = insert_event(&mut tx, event, Some(key.to_string()), recorder).await?;
        tx.commit().await?;
        id.ok_or_else(|| StoreError::NotFound {
            what: "record",
            key: String::new(),
        })
    }

    /// Records a veto against a unit.
    pub async fn add_veto(&self, veto: &NewVeto, recorder: &Recorder) -> Result<RowId> {
        self.add_veto_keyed(veto, None, recorder).await
    }

    /// Records a veto; under a natural key (the chat and the button press that confirmed it)
    /// the same key again is the same veto.
    pub async fn add_veto_keyed(
        &self,
        veto: &NewVeto,
        key: Option<&str>,
        recorder: &Recorder,
    ) -> Result<RowId> {
        let reason = veto.reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid {
                column: "reason",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        if let Some(id) = by_natural_key(&mut tx, "vetoes", key.unwrap_or_default()).await? {
            return Ok(id);
        }
        let unit = unit_id(&mut tx, &veto.unit_code).await?;
        let id = insert_veto(
            &mut tx, unit, veto.kind, veto.on, reason, None, key, recorder,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that the office asked a unit for an item on a subject, due on a day.
    pub async fn add_commission(
        &self,
        unit_code: &str,
        subject: &str,
        due_on: NaiveDate,
        recorder: &Recorder,
    ) -> Result<RowId> {
        self.add_commission_keyed(unit_code, subject, due_on, None, recorder)
            .await
    }

    /// Records a commission; under a natural key (the chat and the message that made it) the
    /// same key again is the same commission.
    pub async fn add_commission_keyed(
        &self,
        unit_code: &str,
        subject: &str,
        due_on: NaiveDate,
        key: Option<&str>,
        recorder: &Recorder,
    ) -> Result<RowId> {
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(StoreError::Invalid {
                column: "subject",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        if let Some(id) = by_natural_key(&mut tx, "commissions", key.unwrap_or_default()).await? {
            return Ok(id);
        }
        let unit = unit_id(&mut tx, unit_code).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO commissions (unit_id, subject, due_on, recorded_by, recorded_at, \
                                      natural_key) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(unit)
        .bind(subject.to_string())
        .bind(date(due_on))
        .bind(recorder.0.clone())
        .bind(now())
        .bind(key.map(str::to_string))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every veto dated in a calendar year, retracted ones included and marked, by date.
    pub async fn vetoes(&self, year: i32) -> Result<Vec<VetoRecord>> {
        let (from, to) = year_bounds(year);
        self.vetoes_between(&from, &to).await
    }

    /// Every veto ever recorded, retracted ones included and marked, by date.
    pub async fn all_vetoes(&self) -> Result<Vec<VetoRecord>> {
        // Stored dates are YYYY-MM-DD text, so these bounds take in every one.
        self.vetoes_between("0000-01-01", "9999-99-99").await
    }

    async fn vetoes_between(&self, from: &str, to: &str) -> Result<Vec<VetoRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT v.id, v.unit_id, u.code, v.kind, v.vetoed_on, v.reason, v.recorded_by, \
                    v.recorded_at, {LATE_TIMES_COLUMNS}, \
                    (SELECT COUNT(*) FROM retractions r \
                      WHERE r.record_kind = 'veto' AND r.record_id = v.id) AS retracted \
             FROM vetoes v JOIN units u ON u.id = v.unit_id \
             WHERE v.vetoed_on >= $1 AND v.vetoed_on < $2 \
             ORDER BY v.vetoed_on, v.id"
        ))
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = get(row, "kind")?;
                let on: String = get(row, "vetoed_on")?;
                let retracted: i64 = get(row, "retracted")?;
                Ok(VetoRecord {
                    veto: Veto {
                        id: get(row, "id")?,
                        unit: get(row, "unit_id")?,
                        kind: read_word("vetoes.kind", &kind, VetoKind::parse)?,
                        on: read_date("vetoes.vetoed_on", &on)?,
                        reason: get(row, "reason")?,
                        late: read_late_times(row)?,
                    },
                    unit_code: get(row, "code")?,
                    recorded_by: get(row, "recorded_by")?,
                    recorded_at: read_instant("vetoes.recorded_at", get(row, "recorded_at")?)?,
                    retracted: retracted > 0,
                })
            })
            .collect()
    }
}

/// The first day of a year and of the next, as stored dates.
pub(crate) fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}
