//! Units: importing them with the parent rules, and reading them back.

use std::collections::HashMap;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::Store;
use super::error::{Result, StoreError};
use super::sql::{get, now, read_word};
use crate::domain::{UnitId, UnitKind};
use crate::records::{ImportReport, NewUnit, Problem, Recorder, RowProblem};
use crate::scoring::Unit;

pub(crate) const SELECT_UNITS: &str = "SELECT id, code, name, kind, parent_id FROM units";

pub(crate) fn unit_from_row(row: &AnyRow) -> Result<Unit> {
    let kind: String = get(row, "kind")?;
    Ok(Unit {
        id: get(row, "id")?,
        code: get(row, "code")?,
        name: get(row, "name")?,
        kind: read_word("units.kind", &kind, UnitKind::parse)?,
        parent: get(row, "parent_id")?,
    })
}

/// A unit code as it is compared: without surrounding spaces and without regard to case, so
/// `ZS` and `zs` are one unit everywhere (imports, commands, chat). Rust's lower case is the
/// rule on both backends; the database's unique index on `lower(code)` is a backstop.
pub(crate) fn code_key(code: &str) -> String {
    code.trim().to_lowercase()
}

/// Every unit by [`code_key`] (units are few: a city's districts, industries and points).
pub(crate) async fn unit_map(conn: &mut AnyConnection) -> Result<HashMap<String, Unit>> {
    sqlx::query(SELECT_UNITS)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| unit_from_row(row).map(|unit| (code_key(&unit.code), unit)))
        .collect()
}

/// A unit's id by its code, in any case, or the error a single record gets.
pub(crate) async fn unit_id(conn: &mut AnyConnection, code: &str) -> Result<UnitId> {
    unit_map(conn)
        .await?
        .get(&code_key(code))
        .map(|unit| unit.id)
        .ok_or_else(|| StoreError::NotFound {
            what: "unit",
            key: code.to_string(),
        })
}

/// Codes recorded more than once in different cases (`ZS` and `zs`), each group sorted: what
/// keeps the case-insensitive index of migration 5 from being made.
pub(crate) async fn case_clashes(conn: &mut AnyConnection) -> Result<Vec<Vec<String>>> {
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM units ORDER BY code")
        .fetch_all(&mut *conn)
        .await?;
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for code in codes {
        groups.entry(code_key(&code)).or_default().push(code);
    }
    Ok(groups.into_values().filter(|g| g.len() > 1).collect())
}

/// A unit as the import compares it: what its row says, parent by code.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted {
    name: String,
    kind: UnitKind,
    parent: Option<String>,
}

fn wanted(unit: &NewUnit) -> Wanted {
    Wanted {
        name: unit.name.trim().to_string(),
        kind: unit.kind,
        parent: unit
            .parent_code
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    }
}

impl Wanted {
    /// The same unit: name and kind alike, the parent's code in any case.
    fn matches(&self, other: &Wanted) -> bool {
        self.name == other.name
            && self.kind == other.kind
            && self.parent.as_deref().map(code_key) == other.parent.as_deref().map(code_key)
    }
}

impl Store {
    /// Every unit, ordered by code.
    pub async fn units(&self) -> Result<Vec<Unit>> {
        sqlx::query(&format!("{SELECT_UNITS} ORDER BY code"))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(unit_from_row)
            .collect()
    }

    /// The unit with this code, in any case (`zs` finds `ZS`).
    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let mut conn = self.pool().acquire().await?;
        Ok(unit_map(&mut conn).await?.remove(&code_key(code)))
    }

    /// Imports units, all or none. A direct-report point needs a parent that is recorded or
    /// comes earlier in the same file and is not a direct-report point; no other kind has one.
    /// A code already recorded with the same name, kind and parent is skipped.
    pub async fn import_units(
        &self,
        rows: &[(usize, NewUnit)],
        recorder: &Recorder,
    ) -> Result<ImportReport> {
        let mut tx = self.begin_write().await?;
        self.lock_for_import(&mut tx, "units").await?;
        let stored = unit_map(&mut tx).await?;
        let parent_codes: HashMap<UnitId, String> =
            stored.values().map(|u| (u.id, u.code.clone())).collect();

        let mut problems = Vec::new();
        let mut report = ImportReport::default();
        // Units of this file by code key, with the code as written, in file order, to add.
        let mut in_file: HashMap<String, (String, Wanted)> = HashMap::new();
        let mut to_add: Vec<(String, Wanted)> = Vec::new();
        for (line, unit) in rows {
            let line = *line;
            let code = unit.code.trim().to_string();
            let want = wanted(unit);
            let mut refuse = |column: &str, problem: Problem| {
                problems.push(RowProblem {
                    line,
                    column: column.to_string(),
                    problem,
                })
            };
            if code.is_empty() {
                refuse("code", Problem::Empty);
                continue;
            }
            let key = code_key(&code);
            if let Some((earlier_code, earlier)) = in_file.get(&key) {
                // The same code twice in another case is two spellings of one unit: refused,
                // so the file says which one it means.
                if !earlier.matches(&want) || *earlier_code != code {
                    refuse("code", Problem::DuplicateInFile);
                } else {
                    report.skipped += 1;
                }
                continue;
            }
            // The parent rules.
            let mut parent_ok = true;
            match (&want.kind, &want.parent) {
                (UnitKind::DirectPoint, None) => {
                    refuse("parent", Problem::ParentMissing);
                    parent_ok = false;
                }
                (UnitKind::DirectPoint, Some(parent)) => {
                    let parent_key = code_key(parent);
                    let parent_kind = stored
                        .get(&parent_key)
                        .map(|u| u.kind)
                        .or_else(|| in_file.get(&parent_key).map(|(_, w)| w.kind));
                    match parent_kind {
                        None => {
                            refuse(
                                "parent",
                                Problem::UnknownUnit {
                                    value: parent.clone(),
                                },
                            );
                            parent_ok = false;
                        }
                        Some(UnitKind::DirectPoint) => {
                            refuse(
                                "parent",
                                Problem::ParentIsDirectPoint {
                                    value: parent.clone(),
                                },
                            );
                            parent_ok = false;
                        }
                        Some(_) => {}
                    }
                }
                (_, Some(_)) => {
                    refuse("parent", Problem::ParentNotAllowed);
                    parent_ok = false;
                }
                (_, None) => {}
            }
            in_file.insert(key.clone(), (code.clone(), want.clone()));
            if !parent_ok {
                continue;
            }
            match stored.get(&key) {
                Some(existing) => {
                    let same = Wanted {
                        name: existing.name.clone(),
                        kind: existing.kind,
                        parent: existing.parent.and_then(|p| parent_codes.get(&p).cloned()),
                    };
                    // A code recorded in another case names the recorded unit.
                    if same.matches(&want) {
                        report.skipped += 1;
                    } else {
                        refuse("code", Problem::Conflict { value: code });
                    }
                }
                None => to_add.push((code, want)),
            }
        }
        if !problems.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Rows(problems));
        }

        // Units are few, and a point's parent may be added just before it: one row at a time.
        let mut ids: HashMap<String, UnitId> =
            stored.iter().map(|(key, u)| (key.clone(), u.id)).collect();
        let created_at = now();
        for (code, want) in to_add {
            let parent_id = want
                .parent
                .as_deref()
                .and_then(|p| ids.get(&code_key(p)).copied());
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO units (code, name, kind, parent_id, recorded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(code.clone())
            .bind(want.name)
            .bind(want.kind.code())
            .bind(parent_id)
            .bind(recorder.0.clone())
            .bind(created_at)
            .fetch_one(&mut *tx)
            .await?;
            ids.insert(code_key(&code), id);
            report.added += 1;
        }
        tx.commit().await?;
        Ok(report)
    }
}
