//! The office's calendar on the command line: `guidance set` (a quarter's topics from a file)
//! and `schedule` (the jobs due in a range, nothing sent).

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, ValueEnum};

use super::Context;
use super::imports::read_text_file;
use super::table::{print_json, print_table};
use crate::i18n::Locale;
use crate::period::{Quarter, start_of_day};
use crate::records::Problem;
use crate::schedule::{self, GuidanceRevision, JobKind, Known};
use crate::store::{GuidanceSet, Store};

/// `unionbot schedule`: the jobs due from one day to another.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The first day, e.g. 2026-01-01.
    #[arg(long)]
    pub from: String,
    /// The last day, e.g. 2026-12-31 (included).
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum, default_value_t = PreviewFormat::Table)]
    pub format: PreviewFormat,
    /// Only jobs of these kinds (`urgent_followup`), the option repeated or a comma list.
    #[arg(long, value_delimiter = ',')]
    pub kind: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    Table,
    Json,
}

/// The topics of a file, one a line: blank lines, Markdown headings and list marks dropped.
fn topics_of(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let line = line
                .strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .unwrap_or(line);
            Some((i + 1, line.trim().to_string()))
        })
        .collect()
}

/// When a quarter's guidance as now set goes out (or went out), in the office's words.
fn sending_time(ctx: &Context, quarter: Quarter, revision: i64, now: DateTime<Utc>) -> String {
    let known = Known {
        guidance: vec![GuidanceRevision {
            quarter,
            revision,
            topics: Vec::new(),
            recorded_at: now,
        }],
        ..Known::default()
    };
    let from = start_of_day(quarter.first_day(), ctx.rules.zone());
    let to = start_of_day(quarter.next().first_day(), ctx.rules.zone());
    schedule::slots(&ctx.rules, &known, from, to)
        .into_iter()
        .find(|s| matches!(s.kind, JobKind::Guidance))
        .map(|s| local_time(ctx, s.at))
        .unwrap_or_default()
}

fn local_time(ctx: &Context, at: DateTime<Utc>) -> String {
    at.with_timezone(&ctx.rules.zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `unionbot guidance set 2026Q2 --file topics.md`.
pub async fn set_guidance(
    ctx: &Context,
    store: &Store,
    quarter: Quarter,
    file: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let now = Utc::now();
    // A quarter that is over is past guiding: its topics would be stored and never sent.
    if start_of_day(quarter.next().first_day(), ctx.rules.zone()) <= now {
        let label = quarter.label(ctx.locale);
        return Err(ctx.refuse("guidance.past_quarter", &[("quarter", &label)]));
    }
    let text = read_text_file(ctx, file, "guidance")?.text;
    let mut titles = Vec::new();
    for (line, topic) in topics_of(&text) {
        let option = ctx.t("guidance.file_line", &[("line", &line.to_string())]);
        let title = ctx.line(&option, &topic, ctx.rules.filing.title_limit)?;
        // A topic written twice is one topic: the count said is the count stored.
        if !titles.contains(&title) {
            titles.push(title);
        }
    }
    let quarter_text = quarter.label(ctx.locale);
    if titles.is_empty() {
        let shown = file.display().to_string();
        return Err(ctx.refuse("guidance.empty_file", &[("path", &shown)]));
    }
    match store
        .set_guidance(quarter, &titles, &ctx.recorder, now)
        .await?
    {
        GuidanceSet::Unchanged => {
            writeln!(
                out,
                "{}",
                ctx.t("guidance.unchanged", &[("quarter", &quarter_text)])
            )?;
        }
        GuidanceSet::Revised {
            revision,
            added,
            withdrawn,
        } => {
            let when = sending_time(ctx, quarter, revision, now);
            let args = [
                ("quarter", quarter_text.as_str()),
                ("revision", &revision.to_string()),
                ("count", &titles.len().to_string()),
                ("added", &added.to_string()),
                ("withdrawn", &withdrawn.to_string()),
                ("when", &when),
            ];
            let key = if revision == 1 {
                "guidance.set"
            } else {
                "guidance.revised"
            };
            writeln!(out, "{}", ctx.t(key, &args))?;
        }
    }
    Ok(())
}

/// The kinds `--kind` asks for (none: every kind). A kind is its code (`urgent_followup`) or its
/// name in any language (`紧急信息续报提醒`); an unknown one is refused with the list of kinds,
/// each with its name in the person's language.
fn kinds(ctx: &Context, asked: &[String]) -> anyhow::Result<Vec<JobKind>> {
    let mut out = Vec::new();
    for word in asked {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let named = |kind: &JobKind| {
            Locale::ALL
                .iter()
                .any(|l| crate::i18n::t(*l, &format!("schedule.kind.{}", kind.code()), &[]) == word)
        };
        let found = JobKind::from_code(&word.to_ascii_lowercase())
            .or_else(|| JobKind::ALL.iter().copied().find(named));
        let Some(kind) = found else {
            let expected = JobKind::ALL
                .iter()
                .map(|k| {
                    let name = ctx.t(&format!("schedule.kind.{}", k.code()), &[]);
                    ctx.t(
                        "schedule.kind_choice",
                        &[("code", k.code()), ("name", &name)],
                    )
                })
                .collect::<Vec<_>>()
                .join(&ctx.t("common.list_separator", &[]));
            let problem = Problem::NotOneOf {
                value: word.to_string(),
                expected,
            };
            return Err(ctx.invalid("--kind", &problem));
        };
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

fn day(ctx: &Context, option: &str, text: &str) -> anyhow::Result<NaiveDate> {
    let today = Utc::now().with_timezone(&ctx.rules.zone()).date_naive();
    crate::domain::parse_date(text, today).map_err(|problem| ctx.invalid(option, &problem))
}

/// `unionbot schedule --from D --to D [--kind K,…]`: one line per job due in the range (of the
/// kinds asked for), on today's data.
pub async fn preview(
    ctx: &Context,
    store: &Store,
    args: ScheduleArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (first, last) = (day(ctx, "--from", &args.from)?, day(ctx, "--to", &args.to)?);
    let only = kinds(ctx, &args.kind)?;
    if last < first {
        return Err(ctx.refuse("schedule.backwards", &[]));
    }
    let zone = ctx.rules.zone();
    let from = start_of_day(first, zone);
    let to = start_of_day(last.succ_opt().unwrap_or(last), zone) - chrono::Duration::seconds(1);
    let mut jobs = crate::scheduler::preview(store, &ctx.rules, from, to).await?;
    if !only.is_empty() {
        jobs.retain(|job| only.contains(&job.kind));
    }
    let now = Utc::now();
    match args.format {
        PreviewFormat::Json => {
            let rows: Vec<serde_json::Value> = jobs
                .iter()
                .map(|job| {
                    serde_json::json!({
                        "kind": job.kind,
                        "at": job.at.with_timezone(&zone).to_rfc3339(),
                        "key": job.key,
                        "recipients": job.recipients,
                        "done": job.done,
                        "stale": !job.done && job.stale_at <= now,
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        PreviewFormat::Table => {
            if jobs.is_empty() {
                writeln!(out, "{}", ctx.t("schedule.none", &[]))?;
                return Ok(());
            }
            let header = ["kind", "at", "key", "recipients", "state"]
                .map(|column| ctx.t(&format!("schedule.header.{column}"), &[]))
                .to_vec();
            let rows: Vec<Vec<String>> = jobs
                .iter()
                .map(|job| {
                    vec![
                        ctx.t(&format!("schedule.kind.{}", job.kind.code()), &[]),
                        local_time(ctx, job.at),
                        job.key.clone(),
                        job.recipients.to_string(),
                        ctx.t(
                            match (job.done, job.stale_at <= now) {
                                (true, _) => "schedule.state.done",
                                (false, true) => "schedule.state.stale",
                                (false, false) => "schedule.state.due",
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

#[cfg(test)]
mod tests {
    use super::topics_of;

    #[test]
    fn a_topics_file_gives_one_topic_a_line_without_headings_blanks_or_list_marks() {
        let text = "# 2026年第二季度\n\n- 职工思想动态\n* 安全生产\n  劳动争议  \n";
        let got: Vec<String> = topics_of(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, ["职工思想动态", "安全生产", "劳动争议"]);
        assert_eq!(
            topics_of(text)[0].0,
            3,
            "line numbers count from the file's first line"
        );
    }
}
