//! `standings`, `score`, `awards`, `honoraria`: every one a view of the same scoring engine.

use std::io::Write;

use clap::Args;
use serde_json::json;

use crate::period::Period;
use crate::reports::{UnitNames, describe_line, describe_reason, describe_tier};
use crate::scoring;
use crate::store::Store;

use super::table::{print_csv, print_json, print_table, print_wrapped};
use super::{Context, Format};

mod honoraria;

pub use honoraria::{HonorariaArgs, honoraria};

#[derive(Debug, Args)]
pub struct StandingsArgs {
    /// 2026Q1, 2026H1 or 2026.
    #[arg(long)]
    pub period: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The unit's code.
    #[arg(long)]
    pub unit: String,
    /// 2026Q1, 2026H1 or 2026.
    #[arg(long)]
    pub period: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AwardsArgs {
    /// The year, e.g. 2026.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1000..=9999))]
    pub year: i32,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_period(ctx: &Context, text: &str) -> anyhow::Result<Period> {
    text.parse()
        .map_err(|_| ctx.refuse("error.bad_period", &[("value", text)]))
}

pub async fn standings(
    ctx: &Context,
    store: &Store,
    args: StandingsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let period = parse_period(ctx, &args.period)?;
    let ledger = store
        .load_ledger_for_points(period, ctx.rules.zone())
        .await?;
    let table = scoring::standings(&ctx.rules, &ledger, period);
    let columns = [
        "rank",
        "unit",
        "name",
        "points",
        "filed",
        "commissioned",
        "adopted",
        "city_federation",
        "single",
        "instructions",
    ];
    let cells = |s: &scoring::Standing| {
        vec![
            s.rank.to_string(),
            s.code.clone(),
            s.name.clone(),
            s.points.to_string(),
            s.tally.filed.to_string(),
            s.tally.commissioned.to_string(),
            s.tally.adopted().to_string(),
            s.tally.city_federation_adoptions().to_string(),
            s.tally.single_adoptions.to_string(),
            s.tally.instructions.to_string(),
        ]
    };
    match args.format {
        Format::Json => {
            let rows: Vec<_> = table
                .iter()
                .map(|s| {
                    json!({
                        "rank": s.rank, "unit": s.code, "name": s.name, "points": s.points,
                        "filed": s.tally.filed, "commissioned": s.tally.commissioned,
                        "adopted": s.tally.adopted(),
                        "city_federation_adoptions": s.tally.city_federation_adoptions(),
                        "single_adoptions": s.tally.single_adoptions,
                        "instructions": s.tally.instructions,
                        "period": period,
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let header = csv_header(ctx, "standings", &columns);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            print_csv(out, &header, &table.iter().map(cells).collect::<Vec<_>>())
        }
        Format::Table => {
            writeln!(
                out,
                "{}",
                ctx.t("standings.title", &[("period", &period.label(ctx.locale))])
            )?;
            if table.is_empty() {
                writeln!(out, "{}", ctx.t("standings.empty", &[]))?;
                return Ok(());
            }
            let header = columns.map(|c| ctx.t(&format!("standings.header.{c}"), &[]));
            print_table(out, &header, &table.iter().map(cells).collect::<Vec<_>>())?;
            Ok(())
        }
    }
}

pub async fn score(
    ctx: &Context,
    store: &Store,
    args: ScoreArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let period = parse_period(ctx, &args.period)?;
    let code = args.unit.trim();
    let unit = store
        .unit_by_code(code)
        .await?
        .ok_or_else(|| ctx.refuse("error.unknown_unit", &[("code", code)]))?;
    let ledger = store.load_ledger(period, ctx.rules.zone()).await?;
    let board = scoring::score(&ctx.rules, &ledger, period);
    let names = UnitNames::new(&ledger.units);
    let result = board
        .get(unit.id)
        .ok_or_else(|| ctx.refuse("error.unknown_unit", &[("code", code)]))?;
    match args.format {
        Format::Json => {
            let lines: Vec<_> = result
                .lines
                .iter()
                .map(|l| {
                    json!({
                        "unit": names.code(l.unit), "points": l.points, "source": l.source,
                        "text": describe_line(ctx.locale, l, unit.id, &names),
                    })
                })
                .collect();
            print_json(
                out,
                &json!({
                    "unit": unit.code, "name": unit.name, "period": period,
                    "points": result.total, "own_points": result.own, "lines": lines,
                }),
            )
        }
        Format::Csv => {
            let rows: Vec<_> = result
                .lines
                .iter()
                .map(|l| {
                    let (source, record, date) = source_cells(&l.source);
                    vec![
                        names.code(l.unit),
                        source.to_string(),
                        record,
                        date,
                        l.points.to_string(),
                        describe_line(ctx.locale, l, unit.id, &names),
                    ]
                })
                .collect();
            let columns = ["unit", "source", "record", "date", "points", "description"];
            print_csv(out, &columns, &rows)
        }
        Format::Table => {
            let (points, period_text) = (result.total.to_string(), period.label(ctx.locale));
            let title = ctx.t(
                "score.title",
                &[
                    ("name", &unit.name),
                    ("code", &unit.code),
                    ("period", &period_text),
                    ("points", &points),
                ],
            );
            writeln!(out, "{title}")?;
            if result.lines.is_empty() {
                writeln!(out, "{}", ctx.t("score.nothing", &[]))?;
            }
            for line in &result.lines {
                print_wrapped(out, 2, &describe_line(ctx.locale, line, unit.id, &names))?;
            }
            Ok(())
        }
    }
}

pub async fn awards(
    ctx: &Context,
    store: &Store,
    args: AwardsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let period = Period::Year(args.year);
    let ledger = store.load_ledger(period, ctx.rules.zone()).await?;
    let proposal = scoring::awards(&ctx.rules, &ledger, args.year);
    match args.format {
        Format::Json => {
            let rows: Vec<_> = proposal
                .iter()
                .map(|p| {
                    json!({
                        "unit": p.code, "name": p.name, "eligible": p.eligible,
                        "reasons": p.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(),
                        "rank": p.rank, "tier": p.tier, "points": p.points,
                        "high_adoptions": p.high_items,
                        "city_federation_adoptions": p.city_federation_adoptions,
                        "single_adoptions": p.single_adoptions, "year": args.year,
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            // In English the codes a program reads; in Chinese the words the office reads.
            let words = ctx.locale != crate::i18n::Locale::En;
            let rows: Vec<_> = proposal
                .iter()
                .map(|p| {
                    let (eligible, reasons, tier) = if words {
                        let reasons: Vec<_> = p
                            .reasons
                            .iter()
                            .map(|r| describe_reason(ctx.locale, r))
                            .collect();
                        (
                            ctx.t(
                                if p.eligible {
                                    "common.yes"
                                } else {
                                    "common.no"
                                },
                                &[],
                            ),
                            reasons.join(&ctx.t("awards.reason_separator", &[])),
                            p.tier
                                .as_deref()
                                .map(|t| describe_tier(ctx.locale, Some(t)))
                                .unwrap_or_default(),
                        )
                    } else {
                        let reasons: Vec<_> = p.reasons.iter().map(|r| r.code()).collect();
                        (
                            if p.eligible { "yes" } else { "no" }.to_string(),
                            reasons.join(" "),
                            p.tier.clone().unwrap_or_default(),
                        )
                    };
                    vec![
                        p.rank.map_or_else(String::new, |r| r.to_string()),
                        p.code.clone(),
                        p.name.clone(),
                        p.points.to_string(),
                        p.high_items.to_string(),
                        p.city_federation_adoptions.to_string(),
                        p.single_adoptions.to_string(),
                        eligible,
                        reasons,
                        tier,
                    ]
                })
                .collect();
            let columns = [
                "rank",
                "unit",
                "name",
                "points",
                "high_adoptions",
                "city_federation",
                "single",
                "eligible",
                "reasons",
                "tier",
            ];
            let header = csv_header(ctx, "awards", &columns);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            print_csv(out, &header, &rows)
        }
        Format::Table => {
            writeln!(
                out,
                "{}",
                ctx.t("awards.title", &[("year", &args.year.to_string())])
            )?;
            let columns = [
                "rank",
                "unit",
                "name",
                "points",
                "high_adoptions",
                "city_federation",
                "single",
                "eligibility",
                "tier",
            ];
            let header = columns.map(|c| ctx.t(&format!("awards.header.{c}"), &[]));
            let rows: Vec<_> = proposal
                .iter()
                .map(|p| {
                    let eligibility = if p.eligible {
                        ctx.t("awards.eligible", &[])
                    } else {
                        let reasons: Vec<_> = p
                            .reasons
                            .iter()
                            .map(|r| describe_reason(ctx.locale, r))
                            .collect();
                        let separator = ctx.t("awards.reason_separator", &[]);
                        let reasons = reasons.join(&separator);
                        ctx.t("awards.not_eligible", &[("reason", &reasons)])
                    };
                    vec![
                        p.rank.map_or_else(|| "-".to_string(), |r| r.to_string()),
                        p.code.clone(),
                        p.name.clone(),
                        p.points.to_string(),
                        p.high_items.to_string(),
                        p.city_federation_adoptions.to_string(),
                        p.single_adoptions.to_string(),
                        eligibility,
                        describe_tier(ctx.locale, p.tier.as_deref()),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            writeln!(out, "{}", ctx.t("awards.note", &[]))?;
            Ok(())
        }
    }
}

/// A CSV file's header: the column codes a program reads in English, the report's own column
/// names (`<section>.header.<column>`) in Chinese, as the office's sheets are headed.
fn csv_header(ctx: &Context, section: &str, columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match ctx.locale {
            crate::i18n::Locale::En => c.to_string(),
            _ => ctx.t(&format!("{section}.header.{c}"), &[]),
        })
        .collect()
}

/// A score line's kind, record number and date, as CSV cells (a quarter's filings have no
/// record and are dated by their quarter).
fn source_cells(source: &scoring::Source) -> (&'static str, String, String) {
    use scoring::Source;
    match source {
        Source::Filings { quarter, .. } => ("filings", String::new(), quarter.to_string()),
        Source::Adoption { id, on, .. } => ("adoption", id.to_string(), on.to_string()),
        Source::Instruction { id, on, .. } => ("instruction", id.to_string(), on.to_string()),
        Source::Veto { id, on, .. } => ("veto", id.to_string(), on.to_string()),
    }
}
