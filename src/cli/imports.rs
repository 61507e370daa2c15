//! `unit import`, `item import`, `adoption import`, `instruction import`, `unit list`.

use std::io::Write;
use std::path::Path;

use crate::i18n::describe_row_problem;
use crate::import;
use crate::import::encoding::{self, Encoding, Undecodable};
use crate::records::{ImportReport, RowProblem};
use crate::store::{Store, StoreError};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

/// Which kind of CSV file is imported.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Units,
    Items,
    Adoptions,
    Instructions,
}

impl Kind {
    /// The text that says what an import stored: each kind counts its own rows, since Chinese
    /// counts units with 个 and items and records with 条, and English names the noun.
    fn done_key(self) -> &'static str {
        match self {
            Kind::Units => "import.done.units",
            Kind::Items => "import.done.items",
            Kind::Adoptions => "import.done.adoptions",
            Kind::Instructions => "import.done.instructions",
        }
    }
}

/// Reads a text file the office saved (UTF-8, UTF-16 by its BOM, or GB18030), or says in its
/// words why it cannot be read.
/// `advice` names the prompts that say how to save the file again: `import` (a CSV file, from
/// Excel) or `guidance` (a text file of topics).
pub(super) fn read_text_file(
    ctx: &Context,
    path: &Path,
    advice: &str,
) -> anyhow::Result<encoding::Decoded> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(ctx.refuse("error.file_is_folder", &[("path", &shown)]));
    }
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ctx.refuse("error.file_missing", &[("path", &shown)]),
        std::io::ErrorKind::PermissionDenied => {
            ctx.refuse("error.file_denied", &[("path", &shown)])
        }
        _ => ctx.refuse(
            "error.file",
            &[("path", &shown), ("reason", &e.to_string())],
        ),
    })?;
    let decoded = encoding::decode(bytes).map_err(|e| match e {
        Undecodable::Workbook => ctx.refuse(&format!("{advice}.workbook"), &[("path", &shown)]),
        Undecodable::Bytes { offset, line } => ctx.refuse(
            &format!("{advice}.undecodable"),
            &[
                ("path", &shown),
                ("line", &line.to_string()),
                ("offset", &offset.to_string()),
            ],
        ),
    })?;
    Ok(decoded)
}

/// Reads, checks and stores one CSV file: all its rows or, on any problem, none.
pub async fn import(
    ctx: &Context,
    store: &Store,
    kind: Kind,
    path: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let decoded = read_text_file(ctx, path, "import")?;
    let stored = import_text(ctx, store, kind, &decoded.text).await;
    let report = stored.map_err(|e| e.into_error(ctx))?;
    // Said only when it is not UTF-8, so that a wrong detection cannot pass unseen.
    if decoded.encoding != Encoding::Utf8 {
        let name = decoded.encoding.name();
        writeln!(out, "{}", ctx.t("import.encoding", &[("encoding", name)]))?;
    }
    let (added, skipped) = (report.added.to_string(), report.skipped.to_string());
    let args = [("added", added.as_str()), ("skipped", &skipped)];
    writeln!(out, "{}", ctx.t(kind.done_key(), &args))?;
    Ok(())
}

pub(super) enum ImportFailure {
    Rows(Vec<RowProblem>),
    Store(StoreError),
}

impl ImportFailure {
    /// The failure as the command's error: refused rows in words, or the store's error.
    pub(super) fn into_error(self, ctx: &Context) -> anyhow::Error {
        match self {
            ImportFailure::Rows(problems) => refusal(ctx, &problems),
            ImportFailure::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Rows(rows) => ImportFailure::Rows(rows),
            other => ImportFailure::Store(other),
        }
    }
}

/// Parses the file (every problem at once), then lets the store check and store it.
pub(super) async fn import_text(
    ctx: &Context,
    store: &Store,
    kind: Kind,
    text: &str,
) -> Result<ImportReport, ImportFailure> {
    let r = &ctx.import_recorder();
    // What the store holds is checked in the same pass as every other cell, so that a file's
    // problems are all listed at once.
    let known = import::Stored {
        units: store
            .units()
            .await?
            .iter()
            .map(|u| u.code.trim().to_lowercase())
            .collect(),
        items: store.item_references().await?,
    };
    Ok(match kind {
        Kind::Units => {
            let rows = import::parse_units_known(text, &known).map_err(ImportFailure::Rows)?;
            store.import_units(&rows, r).await?
        }
        Kind::Items => {
            let rows = import::parse_items_known(
                text,
                ctx.rules.zone(),
                &ctx.rules.filing,
                chrono::Utc::now(),
                &known,
            )
            .map_err(ImportFailure::Rows)?;
            store.import_items(&rows, r).await?
        }
        Kind::Adoptions => {
            let rows = import::parse_adoptions_known(text, &ctx.rules.filing, &known)
                .map_err(ImportFailure::Rows)?;
            store.import_adoptions(&rows, r).await?
        }
        Kind::Instructions => {
            let rows = import::parse_instructions_known(text, &ctx.rules.filing, &known)
                .map_err(ImportFailure::Rows)?;
            store.import_instructions(&rows, r).await?
        }
    })
}

/// Every problem of a refused file, one per line, then that nothing was stored.
fn refusal(ctx: &Context, problems: &[RowProblem]) -> anyhow::Error {
    let mut text: Vec<String> = problems
        .iter()
        .map(|p| describe_row_problem(ctx.locale, p))
        .collect();
    text.push(ctx.t("import.refused", &[("count", &problems.len().to_string())]));
    super::context::UserError(text.join("\n")).into()
}

/// `unit list`.
pub async fn list_units(
    ctx: &Context,
    store: &Store,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let units = store.units().await?;
    let by_id: std::collections::HashMap<_, _> = units.iter().map(|u| (u.id, u)).collect();
    let parent_code = |u: &crate::scoring::Unit| {
        u.parent
            .and_then(|p| by_id.get(&p))
            .map_or(String::new(), |p| p.code.clone())
    };
    match format {
        Format::Json => {
            let rows: Vec<_> = units
                .iter()
                .map(|u| {
                    serde_json::json!({
                        "code": u.code, "name": u.name, "kind": u.kind.code(),
                        "parent": u.parent.and_then(|p| by_id.get(&p)).map(|p| p.code.clone()),
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = units
                .iter()
                .map(|u| {
                    vec![
                        u.code.clone(),
                        u.name.clone(),
                        u.kind.code().to_string(),
                        parent_code(u),
                    ]
                })
                .collect();
            print_csv(out, &["code", "name", "kind", "parent"], &rows)
        }
        Format::Table => {
            let header = ["unit", "name", "kind", "parent"]
                .map(|k| ctx.t(&format!("units.header.{k}"), &[]));
            let rows: Vec<_> = units
                .iter()
                .map(|u| {
                    vec![
                        u.code.clone(),
                        u.name.clone(),
                        ctx.t(&format!("unit_kind.{}", u.kind.code()), &[]),
                        parent_code(u),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            Ok(())
        }
    }
}
