//! `person list` and `person rename`: who is registered in the bot, which of them Telegram
//! cannot reach (they blocked the bot), and the office's correction of a name.

use std::io::Write;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::store::{Person, Store, StoreError};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    List(ListArgs),
    Rename(RenameArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub unreachable: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    pub id: i64,
    pub name: String,
}

const COLUMNS: [&str; 6] = [
    "id",
    "name",
    "unit",
    "role",
    "telegram_id",
    "unreachable_since",
];

pub async fn run(
    ctx: &Context,
    store: &Store,
    command: PersonCommand,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        PersonCommand::List(args) => list(ctx, store, args, out).await,
        PersonCommand::Rename(args) => rename(ctx, store, args, out).await,
    }
}

async fn list(
    ctx: &Context,
    store: &Store,
    args: ListArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let people = if args.unreachable {
        store.unreachable_people().await?
    } else {
        store.people().await?
    };
    let zone = ctx.rules.zone();
    let since = |p: &Person| {
        p.unreachable_since
            .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
    };
    let unit = |p: &Person| p.unit_code.clone().unwrap_or_default();
    match args.format {
        Format::Json => {
            let rows: Vec<_> = people
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id, "name": p.name, "unit": p.unit_code, "role": p.role.code(),
                        "telegram_id": p.telegram_id,
                        "unreachable_since": p.unreachable_since
                            .map(|at| at.with_timezone(&zone).to_rfc3339()),
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = people
                .iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.name.clone(),
                        unit(p),
                        p.role.code().to_string(),
                        p.telegram_id.to_string(),
                        since(p).unwrap_or_default(),
                    ]
                })
                .collect();
            print_csv(out, &COLUMNS, &rows)
        }
        Format::Table => {
            if people.is_empty() {
                writeln!(out, "{}", ctx.t("cli.person.empty", &[]))?;
                return Ok(());
            }
            let header = COLUMNS.map(|c| ctx.t(&format!("cli.person.header.{c}"), &[]));
            let rows: Vec<_> = people
                .iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.name.clone(),
                        p.unit_name
                            .clone()
                            .unwrap_or_else(|| ctx.t("role.office", &[])),
                        ctx.t(&format!("role.{}", p.role.code()), &[]),
                        p.telegram_id.to_string(),
                        since(p).unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            Ok(())
        }
    }
}

async fn rename(
    ctx: &Context,
    store: &Store,
    args: RenameArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match store.set_name(args.id, &args.name).await {
        Ok(person) => {
            let id = person.id.to_string();
            writeln!(
                out,
                "{}",
                ctx.t("bot.name.done", &[("name", &person.name), ("number", &id)])
            )?;
            Ok(())
        }
        Err(StoreError::NotFound { key, .. }) => {
            Err(ctx.refuse("bot.name.unknown_person", &[("number", &key)]))
        }
        Err(StoreError::Invalid { problem, .. }) => {
            let problem = crate::i18n::describe_problem(ctx.locale, &problem);
            Err(ctx.refuse("bot.name.refused", &[("problem", &problem)]))
        }
        Err(e) => Err(e.into()),
    }
}
