//! `honoraria`: what each officer (or unit) is paid for adoptions (§7), and which of the rates
//! used are RULES.md's placeholders rather than the office's own.
//!
//! The text of §7 sets no rates, so a default rate is a guess the office must confirm before
//! paying: every format says so. The table ends with a note naming the default rates used;
//! JSON gives each row `rate_source` and `default_rates`; CSV, which cannot carry a note, the
//! same two columns (`rate_source` is `rules_file`, `default` or `mixed`).

use std::collections::BTreeSet;
use std::io::Write;

use clap::Args;
use serde_json::json;

use crate::domain::{AdoptionForm, AdoptionLevel};
use crate::reports::UnitNames;
use crate::rules::Rules;
use crate::scoring::{self, Honorarium, Payee};
use crate::store::Store;

use super::super::table::{print_csv, print_json, print_table, print_wrapped};
use super::super::{Context, Format};
use super::{csv_header, parse_period};

#[derive(Debug, Args)]
pub struct HonorariaArgs {
    /// Usually a half-year: 2026H1 (January–June) or 2026H2.
    #[arg(long)]
    pub period: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A rate: one level and form.
type Rate = (AdoptionLevel, AdoptionForm);

/// The rates a row was paid at that the rules file did not set, in the rules' order.
fn default_rates(rules: &Rules, h: &Honorarium) -> BTreeSet<Rate> {
    h.lines
        .iter()
        .map(|l| (l.level, l.form))
        .filter(|(level, form)| rules.honorarium_rate_is_default(*level, *form))
        .collect()
}

/// Where a row's rates came from: all from the rules file, all defaults, or some of each.
fn rate_source(defaults: &BTreeSet<Rate>, h: &Honorarium) -> &'static str {
    let defaulted = |l: &&scoring::HonorariumLine| defaults.contains(&(l.level, l.form));
    match h.lines.iter().filter(defaulted).count() {
        0 => "rules_file",
        n if n == h.lines.len() => "default",
        _ => "mixed",
    }
}

/// A rate's code, as the rules file's key names it: `municipal_committee.single`.
fn rate_code((level, form): Rate) -> String {
    format!("{}.{}", level.code(), form.code())
}

pub async fn honoraria(
    ctx: &Context,
    store: &Store,
    args: HonorariaArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let period = parse_period(ctx, &args.period)?;
    let ledger = store.load_ledger(period, ctx.rules.zone()).await?;
    let paid = scoring::honoraria(&ctx.rules, &ledger, period);
    let names = UnitNames::new(&ledger.units);
    let payee = |p: &Payee| match p {
        Payee::Officer { name } => name.clone(),
        Payee::Unit { unit } => ctx.t("honoraria.unit_payee", &[("name", &names.name(*unit))]),
    };
    let cells = |h: &Honorarium| {
        vec![
            payee(&h.payee),
            names.code(h.unit),
            h.lines.len().to_string(),
            h.amount.to_string(),
        ]
    };
    match args.format {
        Format::Json => {
            let rows: Vec<_> = paid
                .iter()
                .map(|h| {
                    let defaults = default_rates(&ctx.rules, h);
                    let codes: Vec<String> = defaults.iter().copied().map(rate_code).collect();
                    json!({
                        "payee": payee(&h.payee),
                        "payee_type": match h.payee { Payee::Officer { .. } => "officer", Payee::Unit { .. } => "unit" },
                        "unit": names.code(h.unit), "amount": h.amount,
                        "adoptions": h.lines, "period": period,
                        "rate_source": rate_source(&defaults, h), "default_rates": codes,
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = paid
                .iter()
                .map(|h| {
                    let defaults = default_rates(&ctx.rules, h);
                    let codes: Vec<String> = defaults.iter().copied().map(rate_code).collect();
                    let mut row = cells(h);
                    let source = rate_source(&defaults, h);
                    if ctx.locale == crate::i18n::Locale::En {
                        row.push(source.to_string());
                        // Space-separated codes, as the awards file lists its reasons.
                        row.push(codes.join(" "));
                    } else {
                        row.push(ctx.t(&format!("honoraria.rate_source.{source}"), &[]));
                        let rates: Vec<String> =
                            defaults.iter().map(|r| rate_name(ctx, *r)).collect();
                        row.push(rates.join(&ctx.t("honoraria.default_rate_separator", &[])));
                    }
                    row
                })
                .collect();
            let columns = [
                "payee",
                "unit",
                "adoptions",
                "amount",
                "rate_source",
                "default_rates",
            ];
            let header = csv_header(ctx, "honoraria", &columns);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            print_csv(out, &header, &rows)
        }
        Format::Table => {
            writeln!(
                out,
                "{}",
                ctx.t("honoraria.title", &[("period", &period.label(ctx.locale))])
            )?;
            if paid.is_empty() {
                writeln!(out, "{}", ctx.t("honoraria.none", &[]))?;
                return Ok(());
            }
            let header = ["payee", "unit", "item", "level", "form", "date", "amount"]
                .map(|c| ctx.t(&format!("honoraria.header.{c}"), &[]));
            // Each payee's line with the unit's name and the total, then a line per adoption
            // it pays for: the item, the level, the form, the date and the rate.
            let mut rows = Vec::new();
            for h in &paid {
                let count = h.lines.len().to_string();
                rows.push(vec![
                    payee(&h.payee),
                    names.name(h.unit),
                    ctx.t("honoraria.count", &[("count", &count)]),
                    String::new(),
                    String::new(),
                    String::new(),
                    h.amount.to_string(),
                ]);
                for l in &h.lines {
                    let item = match l.item {
                        Some(n) => ctx.t(
                            "honoraria.item",
                            &[("number", &n.to_string()), ("title", &l.title)],
                        ),
                        None => ctx.t("honoraria.item_external", &[("title", &l.title)]),
                    };
                    rows.push(vec![
                        String::new(),
                        String::new(),
                        item,
                        ctx.t(&format!("adoption_level.{}", l.level.code()), &[]),
                        ctx.t(&format!("adoption_form.{}", l.form.code()), &[]),
                        l.on.to_string(),
                        l.amount.to_string(),
                    ]);
                }
            }
            print_table(out, &header, &rows)?;
            let total: i64 = paid.iter().map(|h| h.amount).sum();
            writeln!(
                out,
                "{}",
                ctx.t("honoraria.total", &[("amount", &total.to_string())])
            )?;
            let defaults: BTreeSet<Rate> = paid
                .iter()
                .flat_map(|h| default_rates(&ctx.rules, h))
                .collect();
            if !defaults.is_empty() {
                // Wrapped, since it names every rate used: the table's 100 columns hold it too.
                print_wrapped(out, 0, &default_rates_note(ctx, &defaults))?;
            }
            Ok(())
        }
    }
}

/// A rate in words: `市委信息单条`.
fn rate_name(ctx: &Context, (level, form): Rate) -> String {
    let level = ctx.t(&format!("adoption_level.{}", level.code()), &[]);
    let form = ctx.t(&format!("adoption_form.{}", form.code()), &[]);
    ctx.t("honoraria.rate", &[("level", &level), ("form", &form)])
}

/// The note under the table: which rates were defaults, with their amounts, and where to set
/// them.
fn default_rates_note(ctx: &Context, defaults: &BTreeSet<Rate>) -> String {
    let rates: Vec<String> = defaults
        .iter()
        .map(|(level, form)| {
            let level_name = ctx.t(&format!("adoption_level.{}", level.code()), &[]);
            let form_name = ctx.t(&format!("adoption_form.{}", form.code()), &[]);
            let amount = ctx.rules.honorarium(*level, *form).to_string();
            ctx.t(
                "honoraria.default_rate",
                &[
                    ("level", &level_name),
                    ("form", &form_name),
                    ("amount", &amount),
                ],
            )
        })
        .collect();
    let separator = ctx.t("honoraria.default_rate_separator", &[]);
    ctx.t(
        "honoraria.default_rates",
        &[("rates", &rates.join(&separator))],
    )
}
