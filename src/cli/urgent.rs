//! `urgent list` and `urgent show`: the office's view of urgent reports (紧急信息) — the open
//! events newest first with their delay and late flag, and one event with its facts,
//! follow-ups and who in the office acknowledged it. Urgent reports are confidential: these
//! commands are the office's, run on its own machine, and print nothing into the log.

use std::io::Write;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::i18n::duration_text;
use crate::store::{PeopleInvolved, Store, UrgentDetail, UrgentEvent, UrgentFacts};

use super::table::{print_csv, print_json, print_table, print_wrapped};
use super::{Context, Format};

#[derive(Debug, Subcommand)]
pub enum UrgentCommand {
    List(ListArgs),
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Closed events too, not only the open ones.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The event's number (3 or #3).
    pub number: String,
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

/// How one event is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

pub async fn run(
    ctx: &Context,
    store: &Store,
    command: UrgentCommand,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        UrgentCommand::List(args) => list(ctx, store, args, out).await,
        UrgentCommand::Show(args) => show(ctx, store, args, out).await,
    }
}

const COLUMNS: [&str; 9] = [
    "number",
    "unit",
    "reported_at",
    "event_at",
    "delay_minutes",
    "late",
    "missing",
    "followups",
    "state",
];

async fn list(
    ctx: &Context,
    store: &Store,
    args: ListArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let unit = match args.unit.as_deref().map(str::trim) {
        None => None,
        Some(code) => match store.unit_by_code(code).await? {
            Some(unit) => Some(unit.id),
            None => return Err(ctx.refuse("error.unknown_unit", &[("code", code)])),
        },
    };
    let mut events = store.urgent_events(unit, args.all).await?;
    for e in &mut events {
        name_recorders(ctx, store, e).await?;
    }
    match args.format {
        Format::Json => {
            let rows: Vec<Value> = events.iter().map(|e| event_json(ctx, e)).collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = events
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.unit_code.clone(),
                        local_time(ctx, e.reported_at),
                        e.facts
                            .event_at
                            .map(|at| local_time(ctx, at))
                            .unwrap_or_default(),
                        e.delay_minutes().map(|m| m.to_string()).unwrap_or_default(),
                        late_code(e).to_string(),
                        e.facts.missing().join(" "),
                        e.followups.to_string(),
                        state_code(e).to_string(),
                    ]
                })
                .collect();
            print_csv(out, &COLUMNS, &rows)
        }
        Format::Table => {
            if events.is_empty() {
                let key = if args.all {
                    "cli.urgent.none"
                } else {
                    "cli.urgent.none_open"
                };
                writeln!(out, "{}", ctx.t(key, &[]))?;
                return Ok(());
            }
            let header = COLUMNS.map(|c| ctx.t(&format!("cli.urgent.header.{c}"), &[]));
            let to_supply = ctx.t("urgent.to_supply", &[]);
            let rows: Vec<_> = events
                .iter()
                .map(|e| {
                    vec![
                        format!("#{}", e.id),
                        e.unit_code.clone(),
                        local_time(ctx, e.reported_at),
                        e.facts
                            .event_at
                            .map_or(to_supply.clone(), |at| local_time(ctx, at)),
                        e.delay_minutes()
                            .map_or(to_supply.clone(), |m| duration_text(ctx.locale, m)),
                        crate::i18n::urgent::late_state(ctx.locale, e),
                        missing_labels(ctx, &e.facts),
                        e.followups.to_string(),
                        ctx.t(&format!("cli.urgent.state.{}", state_code(e)), &[]),
                    ]
                })
                .collect();
            write_safe(out, |buffer| Ok(print_table(buffer, &header, &rows)?))
        }
    }
}

async fn show(
    ctx: &Context,
    store: &Store,
    args: ShowArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let typed = args.number.trim();
    let number = typed
        .strip_prefix('#')
        .unwrap_or(typed)
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0);
    let detail = match number {
        Some(n) => store.urgent_event(n).await?,
        None => None,
    };
    let Some(mut detail) = detail else {
        return Err(ctx.refuse("cli.urgent.unknown", &[("number", typed)]));
    };
    name_recorders(ctx, store, &mut detail.event).await?;
    match args.format {
        ShowFormat::Json => print_json(out, &detail_json(ctx, &detail)),
        ShowFormat::Text => write_safe(out, |buffer| write_detail(ctx, &detail, buffer)),
    }
}

/// The late flag's code, `unknown` while the event time is to be supplied (nothing is judged
/// yet) and `voided` for a voided report.
fn late_code(event: &UrgentEvent) -> &'static str {
    if event.voided_at.is_some() {
        "voided"
    } else if event.facts.event_at.is_none() {
        "unknown"
    } else {
        event.late.code()
    }
}

/// Who closed, decided or voided the event, in words in place of the stored recorder (a chat
/// address is never printed).
async fn name_recorders(ctx: &Context, store: &Store, e: &mut UrgentEvent) -> anyhow::Result<()> {
    for by in [&mut e.late_decided_by, &mut e.closed_by, &mut e.voided_by]
        .into_iter()
        .flatten()
    {
        *by = ctx.recorder_name(store, by).await?;
    }
    Ok(())
}

fn state_code(event: &UrgentEvent) -> &'static str {
    if event.voided_at.is_some() {
        "voided"
    } else if event.is_open() {
        "open"
    } else {
        "closed"
    }
}

fn local_time(ctx: &Context, at: DateTime<Utc>) -> String {
    at.with_timezone(&ctx.rules.zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn rfc3339(ctx: &Context, at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |at| {
        Value::String(at.with_timezone(&ctx.rules.zone()).to_rfc3339())
    })
}

fn people_json(people: &Option<PeopleInvolved>) -> Value {
    people.as_ref().map_or(Value::Null, |p| {
        json!({
            "count": p.count, "upper": p.upper, "qualifier": p.qualifier_code(),
            "words": p.words,
        })
    })
}

fn facts_json(ctx: &Context, facts: &UrgentFacts) -> Value {
    json!({
        "event_at": rfc3339(ctx, facts.event_at),
        "place": facts.place,
        "people": people_json(&facts.people),
        "cause": facts.cause,
        "measures": facts.measures,
        "status": facts.status,
        "missing": facts.missing(),
    })
}

fn event_json(ctx: &Context, e: &UrgentEvent) -> Value {
    json!({
        "number": e.id,
        "unit": e.unit_code,
        "unit_name": e.unit_name,
        "reported_by": e.reporter_name,
        "reported_at": rfc3339(ctx, Some(e.reported_at)),
        "last_report_at": rfc3339(ctx, Some(e.last_report_at)),
        "event_at": rfc3339(ctx, e.facts.event_at),
        "delay_minutes": e.delay_minutes(),
        "late": late_code(e),
        "late_decided_by": e.late_decided_by,
        "late_decided_at": rfc3339(ctx, e.late_decided_at),
        "late_reason": e.late_reason,
        "veto": e.late_veto,
        "missing": e.facts.missing(),
        "followups": e.followups,
        "state": state_code(e),
        "closed_at": rfc3339(ctx, e.closed_at),
        "closed_by": e.closed_by,
    })
}

fn detail_json(ctx: &Context, d: &UrgentDetail) -> Value {
    let mut value = event_json(ctx, &d.event);
    value["text"] = json!(d.event.text);
    value["facts"] = facts_json(ctx, &d.event.facts);
    value["followup_reports"] = d
        .followups
        .iter()
        .map(|f| {
            json!({
                "number": f.number, "final": f.final_report, "text": f.text,
                "reported_by": f.reporter_name,
                "reported_at": rfc3339(ctx, Some(f.reported_at)),
                "people": people_json(&f.people), "measures": f.measures, "status": f.status,
            })
        })
        .collect();
    let acts = |acts: &[crate::store::OfficeAct]| -> Value {
        acts.iter()
            .map(|a| json!({"person": a.person, "name": a.name, "at": rfc3339(ctx, Some(a.at))}))
            .collect()
    };
    value["acknowledged"] = acts(&d.acks);
    value["followup_requests"] = acts(&d.requests);
    value
}

/// The labels of the facts still to be supplied, or a dash when none is.
fn missing_labels(ctx: &Context, facts: &UrgentFacts) -> String {
    let missing = facts.missing();
    if missing.is_empty() {
        return "-".to_string();
    }
    missing
        .iter()
        .map(|name| ctx.t(&format!("field.label.{name}"), &[]))
        .collect::<Vec<_>>()
        .join(&ctx.t("common.list_separator", &[]))
}

fn people_text(people: &PeopleInvolved) -> String {
    if people.words.trim().is_empty() {
        match people.upper {
            Some(upper) => format!("{}-{upper}", people.count),
            None => people.count.to_string(),
        }
    } else {
        people.words.clone()
    }
}

/// The event as a card: number and unit, the report's time, delay and late flag, the six
/// facts (待补充 where missing), the first message, every follow-up, and the office's acts.
fn write_detail(ctx: &Context, d: &UrgentDetail, out: &mut dyn Write) -> anyhow::Result<()> {
    let e = &d.event;
    let to_supply = ctx.t("urgent.to_supply", &[]);
    let number = e.id.to_string();
    writeln!(
        out,
        "{}",
        ctx.t(
            "cli.urgent.heading",
            &[
                ("number", &number),
                ("unit", &e.unit_name),
                ("code", &e.unit_code)
            ],
        )
    )?;
    let field = |label: &str, value: &str| {
        let label = ctx.t(label, &[]);
        ctx.t("cli.item.field", &[("label", &label), ("value", value)])
    };
    let or_supply = |v: &Option<String>| v.clone().unwrap_or(to_supply.clone());
    let late = match (&e.late_decided_by, e.late_decided_at) {
        (Some(by), Some(at)) => ctx.t(
            "cli.urgent.decided",
            &[
                (
                    "flag",
                    &ctx.t(&format!("urgent.late.{}", e.late.code()), &[]),
                ),
                ("by", by),
                ("at", &local_time(ctx, at)),
            ],
        ),
        _ => crate::i18n::urgent::late_state(ctx.locale, e),
    };
    let state = match (&e.closed_by, e.closed_at) {
        (Some(by), Some(at)) => ctx.t(
            "cli.urgent.closed",
            &[("by", by), ("at", &local_time(ctx, at))],
        ),
        _ if e.voided_at.is_some() => ctx.t("cli.urgent.state.voided", &[]),
        _ => ctx.t("cli.urgent.state.open", &[]),
    };
    let lines: Vec<(&str, String)> = vec![
        (
            "cli.urgent.reported_by",
            e.reporter_name.clone().unwrap_or(ctx.t("common.none", &[])),
        ),
        ("cli.urgent.reported_at", local_time(ctx, e.reported_at)),
        (
            "field.label.event_time",
            e.facts
                .event_at
                .map_or(to_supply.clone(), |at| local_time(ctx, at)),
        ),
        (
            "cli.urgent.delay",
            e.delay_minutes()
                .map_or(to_supply.clone(), |m| duration_text(ctx.locale, m)),
        ),
        ("cli.urgent.late", late),
        ("field.label.place", or_supply(&e.facts.place)),
        (
            "field.label.people",
            e.facts
                .people
                .as_ref()
                .map_or(to_supply.clone(), people_text),
        ),
        ("field.label.cause", or_supply(&e.facts.cause)),
        ("field.label.measures", or_supply(&e.facts.measures)),
        ("field.label.status", or_supply(&e.facts.status)),
        ("cli.urgent.state_label", state),
    ];
    for (label, value) in lines {
        writeln!(out, "{}", field(label, &value))?;
    }
    if e.by_phone {
        writeln!(out, "{}", ctx.t("urgent.show.by_phone", &[]))?;
    }
    if let (Some(at), Some(reason)) = (e.voided_at, &e.void_reason) {
        let voided = ctx.t(
            "urgent.show.voided",
            &[("at", &local_time(ctx, at)), ("reason", reason)],
        );
        writeln!(out, "{voided}")?;
    }
    let zone = ctx.rules.zone();
    for line in crate::i18n::urgent::measures_lines(ctx.locale, zone, d) {
        writeln!(out, "{line}")?;
    }
    if let Some(reason) = &e.late_reason {
        writeln!(out, "{}", field("cli.urgent.dismissed_because", reason))?;
    }
    if let Some(veto) = e.late_veto {
        writeln!(out, "{}", field("cli.urgent.veto", &format!("#{veto}")))?;
    }
    writeln!(out, "{}", ctx.t("cli.urgent.first_report", &[]))?;
    print_wrapped(out, 2, &e.text)?;
    for f in &d.followups {
        let n = f.number.to_string();
        let key = if f.final_report {
            "cli.urgent.final_report"
        } else {
            "cli.urgent.followup"
        };
        let at = local_time(ctx, f.reported_at);
        writeln!(out, "{}", ctx.t(key, &[("n", &n), ("at", &at)]))?;
        print_wrapped(out, 2, &f.text)?;
        let changed: Vec<String> = [
            ("field.label.people", f.people.as_ref().map(people_text)),
            ("field.label.measures", f.measures.clone()),
            ("field.label.status", f.status.clone()),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| field(label, &v)))
        .collect();
        for line in changed {
            print_wrapped(out, 2, &line)?;
        }
    }
    let names = |acts: &[crate::store::OfficeAct]| -> String {
        acts.iter()
            .map(|a| {
                let name = a.name.clone().unwrap_or_else(|| format!("#{}", a.person));
                ctx.t(
                    "cli.urgent.act",
                    &[("name", &name), ("at", &local_time(ctx, a.at))],
                )
            })
            .collect::<Vec<_>>()
            .join(&ctx.t("common.list_separator", &[]))
    };
    let none = ctx.t("common.none", &[]);
    let acked = if d.acks.is_empty() {
        none.clone()
    } else {
        names(&d.acks)
    };
    writeln!(out, "{}", field("cli.urgent.acknowledged", &acked))?;
    let asked = if d.requests.is_empty() {
        none
    } else {
        names(&d.requests)
    };
    writeln!(out, "{}", field("cli.urgent.requested", &asked))?;
    for line in crate::i18n::urgent::history_lines(ctx.locale, zone, d) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// What goes to the office's terminal: a control character or a direction override in a
/// stored text (an old record, or one written before they were removed) is shown as `�`,
/// never written for the terminal to act on.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::domain::is_hidden_control(c) && !matches!(c, '\n' | '\t') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Writes `render`'s output made terminal-safe.
fn write_safe(
    out: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buffer = Vec::new();
    render(&mut buffer)?;
    out.write_all(terminal_safe(&String::from_utf8_lossy(&buffer)).as_bytes())?;
    Ok(())
}
