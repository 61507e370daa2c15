//! `outbox failed` and `outbox retry`: the messages the bot gave up on (a server that kept
//! failing, a refusal, a person who blocked the bot), and queuing them again. A running bot
//! picks a re-queued message up within a few seconds.

use std::io::Write;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::store::{FailedMessage, Requeue, Store};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    Failed(FailedArgs),
    Retry(RetryArgs),
}

#[derive(Debug, Args)]
pub struct FailedArgs {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    /// Message numbers, as `outbox failed` shows them: `--id 3 --id 4` or `--id 3 4`.
    #[arg(long, num_args = 1.., required_unless_present = "all", conflicts_with = "all")]
    pub id: Vec<i64>,
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub force: bool,
}

/// Failed messages listed at most: more than an office ever has, fewer than would flood a
/// terminal if something went badly wrong.
const LISTED: i64 = 10_000;

const COLUMNS: [&str; 6] = ["id", "key", "to", "attempts", "last_error", "failed_at"];

pub async fn run(
    ctx: &Context,
    store: &Store,
    command: OutboxCommand,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        OutboxCommand::Failed(args) => failed(ctx, store, args, out).await,
        OutboxCommand::Retry(args) => retry(ctx, store, args, out).await,
    }
}

/// Who a message was for: the person and their unit, else the chat.
fn to(ctx: &Context, m: &FailedMessage) -> String {
    let whom = match (&m.person_name, &m.unit_name) {
        (Some(name), Some(unit)) => ctx.t("cli.outbox.person", &[("name", name), ("unit", unit)]),
        (Some(name), None) => ctx.t(
            "cli.outbox.person",
            &[("name", name), ("unit", &ctx.t("role.office", &[]))],
        ),
        _ => ctx.t("cli.outbox.chat", &[("chat", &m.chat_id.to_string())]),
    };
    if m.unreachable {
        ctx.t("cli.outbox.unreachable", &[("whom", &whom)])
    } else {
        whom
    }
}

/// The cells of the table and the CSV, in `COLUMNS`' order.
fn cells(ctx: &Context, failed: &[FailedMessage]) -> Vec<Vec<String>> {
    let zone = ctx.rules.zone();
    failed
        .iter()
        .map(|m| {
            vec![
                m.id.to_string(),
                m.key.clone(),
                to(ctx, m),
                m.attempts.to_string(),
                m.last_error.clone().unwrap_or_default(),
                m.failed_at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ]
        })
        .collect()
}

async fn failed(
    ctx: &Context,
    store: &Store,
    args: FailedArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let failed = store.failed_messages(LISTED).await?;
    let zone = ctx.rules.zone();
    match args.format {
        Format::Json => {
            let rows: Vec<_> = failed
                .iter()
                .map(|m| {
                    json!({
                        "id": m.id, "key": m.key, "chat_id": m.chat_id,
                        "person": m.person_name, "unit": m.unit_code,
                        "unreachable": m.unreachable, "attempts": m.attempts,
                        "last_error": m.last_error, "batch": m.batch,
                        "failed_at": m.failed_at.with_timezone(&zone).to_rfc3339(),
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => print_csv(out, &COLUMNS, &cells(ctx, &failed)),
        Format::Table => {
            if failed.is_empty() {
                writeln!(out, "{}", ctx.t("cli.outbox.none_failed", &[]))?;
                return Ok(());
            }
            let header = COLUMNS.map(|c| ctx.t(&format!("cli.outbox.header.{c}"), &[]));
            print_table(out, &header, &cells(ctx, &failed))?;
            writeln!(out, "{}", ctx.t("cli.outbox.retry_hint", &[]))?;
            Ok(())
        }
    }
}

/// Message numbers as a list: `#3、#4`.
fn numbers(ctx: &Context, ids: &[i64]) -> String {
    ids.iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(&ctx.t("common.list_separator", &[]))
}

async fn retry(
    ctx: &Context,
    store: &Store,
    args: RetryArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let which = if args.all {
        Requeue::All
    } else {
        Requeue::Ids(args.id.clone())
    };
    let done = store
        .requeue_failed(&which, args.force, chrono::Utc::now())
        .await?;
    if done.requeued.is_empty() {
        writeln!(out, "{}", ctx.t("cli.outbox.requeued_none", &[]))?;
    } else {
        let count = done.requeued.len().to_string();
        let ids = numbers(ctx, &done.requeued);
        writeln!(
            out,
            "{}",
            ctx.t("cli.outbox.requeued", &[("count", &count), ("ids", &ids)])
        )?;
    }
    let blocked = (!done.unreachable.is_empty()).then(|| {
        let count = done.unreachable.len().to_string();
        let ids = numbers(ctx, &done.unreachable);
        ("cli.outbox.refused_unreachable", count, ids)
    });
    if args.all {
        // Everything that could go went: the rest is told, not an error.
        if let Some((key, count, ids)) = blocked {
            writeln!(out, "{}", ctx.t(key, &[("count", &count), ("ids", &ids)]))?;
        }
        return Ok(());
    }
    if !done.not_failed.is_empty() {
        let ids = numbers(ctx, &done.not_failed);
        return Err(ctx.refuse("cli.outbox.not_failed", &[("ids", &ids)]));
    }
    match blocked {
        Some((key, count, ids)) => Err(ctx.refuse(key, &[("count", &count), ("ids", &ids)])),
        None => Ok(()),
    }
}
