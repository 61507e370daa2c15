//! Items: importing the office's history and storing one filed item.

use std::collections::HashMap;

use super::Store;
use super::error::{Result, StoreError, is_unique_violation};
use super::sql::{Value, date, fetch_in, get, insert_many, instant, now};
use super::units::{code_key, unit_id, unit_map};
use crate::domain::{ItemId, UnitId};
use crate::records::{ImportReport, NewItem, Problem, Recorder, RowProblem};

const ITEM_COLUMNS: &[&str] = &[
    "reference",
    "unit_id",
    "category",
    "title",
    "body",
    "distribution_scope",
    "issuing_unit",
    "signer",
    "responsible_person",
    "dated",
    "copies",
    "officer_name",
    "commissioned",
    "filed_at",
    "recorded_by",
    "recorded_at",
];

fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn item_values(item: &NewItem, unit: UnitId, recorder: &Recorder, recorded_at: i64) -> Vec<Value> {
    let h = &item.header;
    vec![
        clean(&item.reference).into(),
        unit.into(),
        i64::from(item.category.number()).into(),
        item.title.trim().to_string().into(),
        item.body.clone().into(),
        clean(&h.distribution_scope).into(),
        clean(&h.issuing_unit).into(),
        clean(&h.signer).into(),
        clean(&h.responsible_person).into(),
        h.dated.map(date).into(),
        h.copies.map(i64::from).into(),
        clean(&item.officer).into(),
        i64::from(item.commissioned).into(),
        instant(item.filed_at).into(),
        recorder.0.as_str().into(),
        recorded_at.into(),
    ]
}

/// What makes an item the same item on a second import: its reference, or without one its
/// unit, filing time and title.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Reference(String),
    Plain(String, i64, String),
}

fn key(item: &NewItem) -> Key {
    match clean(&item.reference) {
        Some(reference) => Key::Reference(reference),
        None => Key::Plain(
            code_key(&item.unit_code),
            instant(item.filed_at),
            item.title.trim().to_string(),
        ),
    }
}

/// The values that decide an item's points; a second import must agree on them.
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    unit: UnitId,
    title: String,
    filed_at: i64,
    commissioned: bool,
}

impl Store {
    /// Every office reference of a stored item, for an import to check its rows against
    /// in the same pass as their other cells.
    pub async fn item_references(&self) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<Option<String>> =
            sqlx::query_scalar("SELECT reference FROM items WHERE reference IS NOT NULL")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// Imports items, all or none. An item whose reference is recorded already with the same
    /// unit, title, filing time and commissioned mark is skipped; with other values it is a
    /// conflict. An item without a reference is skipped when one of its unit, filing time and
    /// title is recorded already.
    pub async fn import_items(
        &self,
        rows: &[(usize, NewItem)],
        recorder: &Recorder,
    ) -> Result<ImportReport> {
        let mut tx = self.begin_write().await?;
        self.lock_for_import(&mut tx, "items").await?;
        let units = unit_map(&mut tx).await?;

        let references: Vec<Value> = rows
            .iter()
            .filter_map(|(_, item)| clean(&item.reference))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(Value::from)
            .collect();
        let mut stored: HashMap<String, Identity> = HashMap::new();
        let found = fetch_in(
            &mut tx,
            "SELECT reference, unit_id, title, filed_at, commissioned FROM items \
             WHERE reference IN ({keys})",
            references,
        )
        .await?;
        for row in &found {
            let commissioned: i64 = get(row, "commissioned")?;
            stored.insert(
                get(row, "reference")?,
                Identity {
                    unit: get(row, "unit_id")?,
                    title: get(row, "title")?,
                    filed_at: get(row, "filed_at")?,
                    commissioned: commissioned != 0,
                },
            );
        }

        let mut problems = Vec::new();
        let mut report = ImportReport::default();
        let mut in_file: HashMap<Key, &NewItem> = HashMap::new();
        let mut to_add = Vec::new();
        let recorded_at = now();
        for (line, item) in rows {
            let problem = |column: &str, problem: Problem| RowProblem {
                line: *line,
                column: column.to_string(),
                problem,
            };
            let key = key(item);
            if let Some(earlier) = in_file.get(&key) {
                if *earlier == item {
                    report.skipped += 1;
                } else {
                    let column = match key {
                        Key::Reference(_) => "reference",
                        Key::Plain(..) => "title",
                    };
                    problems.push(problem(column, Problem::DuplicateInFile));
                }
                continue;
            }
            in_file.insert(key.clone(), item);
            let unit_code = item.unit_code.trim();
            let Some(unit) = units.get(&code_key(unit_code)) else {
                problems.push(problem(
                    "unit",
                    Problem::UnknownUnit {
                        value: unit_code.to_string(),
                    },
                ));
                continue;
            };
            let present = match &key {
                Key::Reference(reference) => match stored.get(reference) {
                    None => false,
                    Some(existing) => {
                        let wanted = Identity {
                            unit: unit.id,
                            title: item.title.trim().to_string(),
                            filed_at: instant(item.filed_at),
                            commissioned: item.commissioned,
                        };
                        if *existing != wanted {
                            problems.push(problem(
                                "reference",
                                Problem::Conflict {
                                    value: reference.clone(),
                                },
                            ));
                            continue;
                        }
                        true
                    }
                },
                Key::Plain(_, filed_at, title) => {
                    let id: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM items WHERE filed_at = $1 AND unit_id = $2 \
                         AND title = $3 AND reference IS NULL",
                    )
                    .bind(*filed_at)
                    .bind(unit.id)
                    .bind(title.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                    id.is_some()
                }
            };
            if present {
                report.skipped += 1;
            } else if problems.is_empty() {
                to_add.push(item_values(item, unit.id, recorder, recorded_at));
            }
        }
        if !problems.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Rows(problems));
        }
        report.added = to_add.len();
        insert_many(&mut tx, "items", ITEM_COLUMNS, to_add).await?;
        tx.commit().await?;
        self.after_bulk_import("items", report.added).await;
        Ok(report)
    }

    /// Stores one item (a chat filing or the command line) and returns its number.
    pub async fn add_item(&self, item: &NewItem, recorder: &Recorder) -> Result<ItemId> {
        let mut tx = self.begin_write().await?;
        let unit = unit_id(&mut tx, &item.unit_code).await?;
        let placeholders = (1..=ITEM_COLUMNS.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "INSERT INTO items ({}) VALUES ({placeholders}) RETURNING id",
            ITEM_COLUMNS.join(", ")
        );
        let mut query = sqlx::query_scalar(&text);
        for value in item_values(item, unit, recorder, now()) {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            };
        }
        let id: i64 = match query.fetch_one(&mut *tx).await {
            Ok(id) => id,
            Err(err) if is_unique_violation(&err) => {
                return Err(StoreError::AlreadyExists {
                    what: "item reference",
                    value: clean(&item.reference).unwrap_or_default(),
                });
            }
            Err(err) => return Err(err.into()),
        };
        tx.commit().await?;
        Ok(id)
    }
}
