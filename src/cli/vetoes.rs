//! `veto list`: every veto with who recorded it and whether it was retracted, as the office
//! checks them before the awards.

use std::io::Write;

use clap::Args;
use serde_json::json;

use crate::store::{Store, VetoRecord};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_parser = clap::value_parser!(i32).range(1000..=9999))]
    pub year: Option<i32>,
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

const COLUMNS: [&str; 8] = [
    "id",
    "unit",
    "kind",
    "date",
    "reason",
    "recorded_by",
    "recorded_at",
    "retracted",
];

pub async fn list(
    ctx: &Context,
    store: &Store,
    args: ListArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut vetoes = match args.year {
        Some(year) => store.vetoes(year).await?,
        None => store.all_vetoes().await?,
    };
    if let Some(code) = args.unit.as_deref().map(str::trim) {
        let Some(unit) = store.unit_by_code(code).await? else {
            return Err(ctx.refuse("error.unknown_unit", &[("code", code)]));
        };
        vetoes.retain(|v| v.veto.unit == unit.id);
    }
    for v in &mut vetoes {
        v.recorded_by = ctx.recorder_name(store, &v.recorded_by).await?;
    }
    let zone = ctx.rules.zone();
    let recorded_at = |v: &VetoRecord| {
        v.recorded_at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    match args.format {
        Format::Json => {
            let rows: Vec<_> = vetoes
                .iter()
                .map(|v| {
                    json!({
                        "id": v.veto.id, "unit": v.unit_code, "kind": v.veto.kind.code(),
                        "date": v.veto.on, "reason": v.veto.reason,
                        "recorded_by": v.recorded_by,
                        "recorded_at": v.recorded_at.with_timezone(&zone).to_rfc3339(),
                        "retracted": v.retracted,
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = vetoes
                .iter()
                .map(|v| {
                    vec![
                        v.veto.id.to_string(),
                        v.unit_code.clone(),
                        v.veto.kind.code().to_string(),
                        v.veto.on.to_string(),
                        v.veto.reason.clone(),
                        v.recorded_by.clone(),
                        recorded_at(v),
                        if v.retracted { "yes" } else { "no" }.to_string(),
                    ]
                })
                .collect();
            print_csv(out, &COLUMNS, &rows)
        }
        Format::Table => {
            if vetoes.is_empty() {
                writeln!(out, "{}", ctx.t("cli.veto_list.empty", &[]))?;
                return Ok(());
            }
            let header = COLUMNS.map(|c| ctx.t(&format!("cli.veto_list.header.{c}"), &[]));
            let rows: Vec<_> = vetoes
                .iter()
                .map(|v| {
                    vec![
                        format!("#{}", v.veto.id),
                        v.unit_code.clone(),
                        ctx.t(&format!("veto_kind.{}", v.veto.kind.code()), &[]),
                        v.veto.on.to_string(),
                        v.veto.reason.clone(),
                        v.recorded_by.clone(),
                        recorded_at(v),
                        ctx.t(
                            if v.retracted {
                                "common.yes"
                            } else {
                                "common.no"
                            },
                            &[],
                        ),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            Ok(())
        }
    }
}
