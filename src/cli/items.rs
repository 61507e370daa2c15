//! `item show` and `item list`: an item's header fields and what became of it, and the items
//! of a period, as text, JSON or CSV (the CSV has the item importer's columns, so it reads back).

use std::io::Write;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::period::Period;
use crate::store::{ItemDetail, Store};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    Import { file: std::path::PathBuf },
    Show(ShowArgs),
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The item's number (12 or #12) or its import reference.
    pub item: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The period; this quarter when not given.
    #[arg(long)]
    pub period: Option<String>,
    /// Only the items the office has not decided (not adopted, returned or declined).
    #[arg(long)]
    pub undecided: bool,
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The item importer's columns, in its order.
const CSV_COLUMNS: [&str; 14] = [
    "ref",
    "unit",
    "filed_at",
    "title",
    "category",
    "commissioned",
    "officer",
    "body",
    "distribution_scope",
    "issuing_unit",
    "signer",
    "responsible_person",
    "dated",
    "copies",
];

/// How many characters of a title a table shows; JSON and CSV keep the whole title.
const TABLE_TITLE_CHARS: usize = 24;

pub async fn show(
    ctx: &Context,
    store: &Store,
    args: ShowArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(mut item) = store.item_detail(&args.item).await? else {
        return Err(ctx.refuse("cli.item.unknown", &[("item", args.item.trim())]));
    };
    item.recorded_by = ctx.recorder_name(store, &item.recorded_by).await?;
    match args.format {
        Format::Json => print_json(out, &item_json(ctx, &item)),
        Format::Csv => print_csv(out, &CSV_COLUMNS, &[csv_row(ctx, &item)]),
        Format::Table => write_item(ctx, &item, out),
    }
}

pub async fn list(
    ctx: &Context,
    store: &Store,
    args: ListArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let period: Period = match &args.period {
        Some(text) => text
            .parse()
            .map_err(|_| ctx.refuse("error.bad_period", &[("value", text)]))?,
        None => Period::Quarter(crate::period::Quarter::of_instant(
            Utc::now(),
            ctx.rules.zone(),
        )),
    };
    let unit = match args.unit.as_deref().map(str::trim) {
        None => None,
        Some(code) => match store.unit_by_code(code).await? {
            Some(unit) => Some(unit.id),
            None => return Err(ctx.refuse("error.unknown_unit", &[("code", code)])),
        },
    };
    let (from, to) = period.instants(ctx.rules.zone());
    let mut items = store.items_filed(from, to, unit).await?;
    if args.undecided {
        items.retain(undecided);
    }
    match args.format {
        Format::Json => {
            let rows: Vec<Value> = items.iter().map(|i| item_json(ctx, i)).collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = items.iter().map(|i| csv_row(ctx, i)).collect();
            print_csv(out, &CSV_COLUMNS, &rows)
        }
        Format::Table => {
            let period = period.label(ctx.locale);
            let (title, empty) = if args.undecided {
                (
                    "cli.item.list.undecided_title",
                    "cli.item.list.undecided_empty",
                )
            } else {
                ("cli.item.list.title", "cli.item.list.empty")
            };
            writeln!(out, "{}", ctx.t(title, &[("period", &period)]))?;
            if items.is_empty() {
                writeln!(out, "{}", ctx.t(empty, &[]))?;
                return Ok(());
            }
            let header = [
                "number",
                "unit",
                "filed_at",
                "category",
                "title",
                "adoptions",
                "instructions",
                "status",
            ]
            .map(|c| ctx.t(&format!("cli.item.list.header.{c}"), &[]));
            let rows: Vec<_> = items
                .iter()
                .map(|i| {
                    vec![
                        format!("#{}", i.id),
                        i.unit_code.clone(),
                        local_time(ctx, i.filed_at),
                        i.category.number().to_string(),
                        shortened(&i.title),
                        live(i.adoptions.iter().map(|a| a.retracted)),
                        live(i.instructions.iter().map(|n| n.retracted)),
                        status(ctx, i),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            Ok(())
        }
    }
}

/// Whether the office has yet to decide the item: not retracted, returned or declined, and no
/// adoption standing.
fn undecided(item: &ItemDetail) -> bool {
    !item.retracted
        && item.returned.is_none()
        && item.declined.is_none()
        && item.adoptions.iter().all(|a| a.retracted)
}

/// How many of a list are not retracted.
fn live(retracted: impl Iterator<Item = bool>) -> String {
    retracted.filter(|r| !r).count().to_string()
}

fn shortened(title: &str) -> String {
    if title.chars().count() <= TABLE_TITLE_CHARS {
        return title.to_string();
    }
    let mut short: String = title.chars().take(TABLE_TITLE_CHARS - 1).collect();
    short.push('…');
    short
}

fn local_time(ctx: &Context, at: DateTime<Utc>) -> String {
    at.with_timezone(&ctx.rules.zone())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Retracted, returned, or filed: what the office needs to know first about an item.
fn status(ctx: &Context, item: &ItemDetail) -> String {
    if item.retracted {
        ctx.t("cli.item.state.retracted", &[])
    } else if item.returned.is_some() {
        ctx.t("cli.item.state.returned", &[])
    } else if item.declined.is_some() {
        ctx.t("cli.item.state.declined", &[])
    } else {
        ctx.t("cli.item.state.filed", &[])
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn csv_row(ctx: &Context, item: &ItemDetail) -> Vec<String> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        text(&item.reference),
        item.unit_code.clone(),
        local_time(ctx, item.filed_at),
        item.title.clone(),
        item.category.number().to_string(),
        yes_no(item.commissioned).to_string(),
        text(&item.officer),
        text(&item.body),
        text(&item.distribution_scope),
        text(&item.issuing_unit),
        text(&item.signer),
        text(&item.responsible_person),
        item.dated.map(|d| d.to_string()).unwrap_or_default(),
        item.copies.map(|c| c.to_string()).unwrap_or_default(),
    ]
}

fn item_json(ctx: &Context, item: &ItemDetail) -> Value {
    json!({
        "number": item.id,
        "ref": item.reference,
        "unit": item.unit_code,
        "unit_name": item.unit_name,
        "category": item.category.number(),
        "title": item.title,
        "body": item.body,
        "distribution_scope": item.distribution_scope,
        "issuing_unit": item.issuing_unit,
        "signer": item.signer,
        "responsible_person": item.responsible_person,
        "dated": item.dated,
        "copies": item.copies,
        "officer": item.officer,
        "commissioned": item.commissioned,
        "filed_at": item.filed_at.with_timezone(&ctx.rules.zone()).to_rfc3339(),
        "recorded_by": item.recorded_by,
        "returned": item.returned,
        "declined": item.declined.as_ref().map(|d| json!({
            "by": d.by, "at": d.at.with_timezone(&ctx.rules.zone()).to_rfc3339(),
        })),
        "retracted": item.retracted,
        "adoptions": item.adoptions.iter().map(|a| json!({
            "id": a.id, "level": a.level.code(), "form": a.form.code(), "date": a.on,
            "retracted": a.retracted,
        })).collect::<Vec<_>>(),
        "instructions": item.instructions.iter().map(|n| json!({
            "id": n.id, "level": n.level.code(), "date": n.on, "retracted": n.retracted,
        })).collect::<Vec<_>>(),
    })
}

/// The item as a card: number and title, the header fields of §3(3), the filing, the body, then
/// its adoptions and instructions.
fn write_item(ctx: &Context, item: &ItemDetail, out: &mut dyn Write) -> anyhow::Result<()> {
    let none = ctx.t("common.none", &[]);
    let or_none = |v: &Option<String>| v.clone().filter(|t| !t.is_empty()).unwrap_or(none.clone());
    let number = item.id.to_string();
    let heading = match &item.reference {
        Some(reference) => ctx.t(
            "cli.item.heading_with_ref",
            &[
                ("number", &number),
                ("ref", reference),
                ("title", &item.title),
            ],
        ),
        None => ctx.t(
            "cli.item.heading",
            &[("number", &number), ("title", &item.title)],
        ),
    };
    writeln!(out, "{heading}")?;
    let category = format!(
        "{} {}",
        item.category.number(),
        ctx.t(&format!("category.{}", item.category.number()), &[])
    );
    let unit = ctx.t(
        "cli.item.unit_value",
        &[("name", &item.unit_name), ("code", &item.unit_code)],
    );
    let fields: [(&str, String); 12] = [
        ("cli.item.unit", unit),
        ("field.label.category", category),
        (
            "field.label.distribution_scope",
            or_none(&item.distribution_scope),
        ),
        ("field.label.issuing_unit", or_none(&item.issuing_unit)),
        ("field.label.signer", or_none(&item.signer)),
        (
            "field.label.responsible_person",
            or_none(&item.responsible_person),
        ),
        (
            "field.label.dated",
            item.dated.map_or(none.clone(), |d| d.to_string()),
        ),
        (
            "field.label.copies",
            item.copies.map_or(none.clone(), |c| c.to_string()),
        ),
        ("cli.item.officer", or_none(&item.officer)),
        ("cli.item.filed_at", local_time(ctx, item.filed_at)),
        (
            "cli.item.commissioned",
            ctx.t(
                if item.commissioned {
                    "common.yes"
                } else {
                    "common.no"
                },
                &[],
            ),
        ),
        ("cli.item.status", status(ctx, item)),
    ];
    for (label, value) in fields {
        let label = ctx.t(label, &[]);
        writeln!(
            out,
            "{}",
            ctx.t("cli.item.field", &[("label", &label), ("value", &value)])
        )?;
    }
    if let Some(reason) = &item.returned {
        writeln!(out, "{}", ctx.t("cli.item.returned", &[("reason", reason)]))?;
    }
    if let Some(declined) = &item.declined {
        let at = local_time(ctx, declined.at);
        writeln!(
            out,
            "{}",
            ctx.t("cli.item.declined", &[("name", &declined.by), ("at", &at)])
        )?;
    }
    writeln!(out, "{}", ctx.t("cli.item.body", &[]))?;
    writeln!(out, "{}", or_none(&item.body))?;
    if item.adoptions.is_empty() && item.instructions.is_empty() {
        writeln!(out, "{}", ctx.t("cli.item.no_events", &[]))?;
    }
    for a in &item.adoptions {
        let level = ctx.t(&format!("adoption_level.{}", a.level.code()), &[]);
        let form = ctx.t(&format!("adoption_form.{}", a.form.code()), &[]);
        let key = if a.retracted {
            "cli.item.adoption_retracted"
        } else {
            "cli.item.adoption"
        };
        let args = [
            ("id", a.id.to_string()),
            ("level", level),
            ("form", form),
            ("date", a.on.to_string()),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        writeln!(out, "{}", ctx.t(key, &args))?;
    }
    for n in &item.instructions {
        let level = ctx.t(&format!("instruction_level.{}", n.level.code()), &[]);
        let key = if n.retracted {
            "cli.item.instruction_retracted"
        } else {
            "cli.item.instruction"
        };
        let args = [
            ("id", n.id.to_string()),
            ("level", level),
            ("date", n.on.to_string()),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        writeln!(out, "{}", ctx.t(key, &args))?;
    }
    Ok(())
}
