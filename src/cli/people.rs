//! `person list`, `rename`, `deactivate`, `move`, `invites` and `revoke`: who is registered in
//! the bot, which of them Telegram cannot reach (they blocked the bot) or left, the office's
//! correction of a name, people coming and going, and the invitations not used yet.

use std::io::Write;

use clap::{Args, Subcommand};
use serde_json::json;

use chrono::Utc;

use crate::domain::Role;
use crate::store::{InviteRefusal, Person, Store, StoreError};

use super::table::{print_csv, print_json, print_table};
use super::{Context, Format};

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    List(ListArgs),
    Rename(RenameArgs),
    Deactivate(DeactivateArgs),
    Move(MoveArgs),
    Invites(InvitesArgs),
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
pub struct DeactivateArgs {
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    pub id: i64,
    pub unit: String,
}

#[derive(Debug, Args)]
pub struct InvitesArgs {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    pub invite: String,
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

const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "unit",
    "role",
    "telegram_id",
    "unreachable_since",
    "left_at",
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
        PersonCommand::Deactivate(args) => deactivate(ctx, store, args, out).await,
        PersonCommand::Move(args) => move_person(ctx, store, args, out).await,
        PersonCommand::Invites(args) => invites(ctx, store, args, out).await,
        PersonCommand::Revoke(args) => revoke(ctx, store, args, out).await,
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
        store.everyone().await?
    };
    let zone = ctx.rules.zone();
    let since = |p: &Person| {
        p.unreachable_since
            .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
    };
    let unit = |p: &Person| p.unit_code.clone().unwrap_or_default();
    let left = |p: &Person| {
        p.left_at
            .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
    };
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
                        "left_at": p.left_at.map(|at| at.with_timezone(&zone).to_rfc3339()),
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
                        left(p).unwrap_or_default(),
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
                        left(p).unwrap_or_default(),
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

async fn deactivate(
    ctx: &Context,
    store: &Store,
    args: DeactivateArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (person, new) = match store
        .deactivate_person(args.id, &ctx.recorder, Utc::now())
        .await
    {
        Ok(done) => done,
        Err(StoreError::NotFound { key, .. }) => {
            return Err(ctx.refuse("bot.name.unknown_person", &[("number", &key)]));
        }
        Err(e) => return Err(e.into()),
    };
    let key = if new {
        "bot.people.deactivated"
    } else {
        "bot.people.deactivated_before"
    };
    writeln!(
        out,
        "{}",
        ctx.t(key, &[("person", &described(ctx, &person))])
    )?;
    Ok(())
}

async fn move_person(
    ctx: &Context,
    store: &Store,
    args: MoveArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(before) = store.person_by_id(args.id).await? else {
        let number = args.id.to_string();
        return Err(ctx.refuse("bot.name.unknown_person", &[("number", &number)]));
    };
    let who = described(ctx, &before);
    if before.role == Role::Office {
        return Err(ctx.refuse("bot.people.move_office", &[("person", &who)]));
    }
    if !before.active() {
        return Err(ctx.refuse("bot.people.move_left", &[("person", &who)]));
    }
    let (person, changed) = match store.move_person(args.id, &args.unit, Utc::now()).await {
        Ok(done) => done,
        Err(StoreError::NotFound { what: "unit", .. }) => {
            return Err(ctx.refuse("error.unknown_unit", &[("code", args.unit.trim())]));
        }
        Err(e) => return Err(e.into()),
    };
    let who = described(ctx, &person);
    let line = if changed {
        let from = before.unit_name.unwrap_or_default();
        ctx.t("bot.people.moved", &[("person", &who), ("from", &from)])
    } else {
        ctx.t("bot.people.moved_before", &[("person", &who)])
    };
    writeln!(out, "{line}")?;
    Ok(())
}

const INVITE_COLUMNS: [&str; 7] = [
    "id",
    "code",
    "unit",
    "role",
    "name",
    "created_at",
    "expires_at",
];

async fn invites(
    ctx: &Context,
    store: &Store,
    args: InvitesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let open = store.open_invites(Utc::now()).await?;
    let zone = ctx.rules.zone();
    let local =
        |at: chrono::DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    match args.format {
        Format::Json => {
            let rows: Vec<_> = open
                .iter()
                .map(|i| {
                    json!({
                        "id": i.id, "code": i.code, "unit": i.unit_code, "unit_name": i.unit_name,
                        "role": i.role.code(), "name": i.name,
                        "created_at": i.created_at.with_timezone(&zone).to_rfc3339(),
                        "expires_at": i.expires_at.with_timezone(&zone).to_rfc3339(),
                    })
                })
                .collect();
            print_json(out, &rows)
        }
        Format::Csv => {
            let rows: Vec<_> = open
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.code.clone(),
                        i.unit_code.clone().unwrap_or_default(),
                        i.role.code().to_string(),
                        i.name.clone().unwrap_or_default(),
                        local(i.created_at),
                        local(i.expires_at),
                    ]
                })
                .collect();
            print_csv(out, &INVITE_COLUMNS, &rows)
        }
        Format::Table => {
            if open.is_empty() {
                writeln!(out, "{}", ctx.t("bot.people.no_invites", &[]))?;
                return Ok(());
            }
            let header = INVITE_COLUMNS.map(|c| ctx.t(&format!("cli.person.invite.{c}"), &[]));
            let rows: Vec<_> = open
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.code.clone(),
                        i.unit_name
                            .clone()
                            .unwrap_or_else(|| ctx.t("role.office", &[])),
                        ctx.t(&format!("role.{}", i.role.code()), &[]),
                        i.name.clone().unwrap_or_default(),
                        local(i.created_at),
                        local(i.expires_at),
                    ]
                })
                .collect();
            print_table(out, &header, &rows)?;
            Ok(())
        }
    }
}

async fn revoke(
    ctx: &Context,
    store: &Store,
    args: RevokeArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let key = args.invite.trim();
    match store.revoke_invite(key, &ctx.recorder, Utc::now()).await {
        Ok(invite) => {
            let number = invite.id.to_string();
            writeln!(
                out,
                "{}",
                ctx.t(
                    "cli.person.revoked",
                    &[("number", &number), ("code", &invite.code)]
                )
            )?;
            Ok(())
        }
        Err(StoreError::Invite(InviteRefusal::Used)) => {
            Err(ctx.refuse("bot.people.revoke_used", &[("key", key)]))
        }
        Err(StoreError::Invite(_)) => Err(ctx.refuse("bot.people.revoke_unknown", &[("key", key)])),
        Err(e) => Err(e.into()),
    }
}

/// A person as the office reads them: name, number, unit and role.
fn described(ctx: &Context, person: &Person) -> String {
    let role = ctx.t(&format!("role.{}", person.role.code()), &[]);
    let whom = match &person.unit_name {
        Some(unit) => ctx.t("bot.invite.whom", &[("unit", unit), ("role", &role)]),
        None => ctx.t("bot.invite.whom_office", &[]),
    };
    ctx.t(
        "bot.people.person",
        &[
            ("name", &person.name),
            ("number", &person.id.to_string()),
            ("whom", &whom),
        ],
    )
}
