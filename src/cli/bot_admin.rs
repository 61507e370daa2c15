//! `invite` and `guidance`: the office sets up the bot's people and the quarter's guidance.

use std::io::Write;

use chrono::Utc;
use clap::{Args, Subcommand};

use crate::domain::Role;
use crate::i18n::describe_problem;
use crate::period::{Period, Quarter};
use crate::records::Problem;
use crate::store::{Store, StoreError};

use super::Context;

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// officer (信息员), leader (分管领导), head (主要领导) or office (市总办公室).
    #[arg(long)]
    pub role: String,
    /// The unit's code; required unless the role is office.
    #[arg(long)]
    pub unit: Option<String>,
    /// The real name of the person it is for (e.g. 张三); without it the bot asks on joining.
    #[arg(long)]
    pub name: Option<String>,
    /// How many days the invitation can be used.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: u32,
    /// The bot's Telegram username, to print a t.me link.
    #[arg(long, env = "UNIONBOT_BOT_USERNAME")]
    pub bot_username: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum GuidanceCommand {
    /// Add a topic to a quarter's guidance (信息需求要点).
    Add {
        /// The quarter, e.g. 2026Q2.
        #[arg(long)]
        quarter: String,
        /// The topic.
        #[arg(long)]
        title: String,
    },
    /// Set a quarter's guidance as a whole from a file, one topic a line: the scheduler sends
    /// it, and a changed list after sending as a correction.
    Set {
        /// The quarter, e.g. 2026Q2.
        quarter: String,
        /// The file of topics (UTF-8 or GB18030), one a line.
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// List a quarter's guidance.
    List {
        /// The quarter, e.g. 2026Q2.
        #[arg(long)]
        quarter: String,
    },
}

/// A bot username as Telegram allows it (5 to 32 letters, digits and `_`), without its `@`.
fn bot_username(text: &str) -> Option<&str> {
    let name = text.trim().trim_start_matches('@');
    let ok = (5..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some(name)
}

pub async fn invite(
    ctx: &Context,
    store: &Store,
    args: InviteArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).map_err(|e| {
        let problem = Problem::NotOneOf {
            value: e.value,
            expected: e.expected,
        };
        ctx.refuse(
            "error.invalid_value",
            &[
                ("name", "--role"),
                ("problem", &describe_problem(ctx.locale, &problem)),
            ],
        )
    })?;
    let role_label = ctx.t(&format!("role.{}", role.code()), &[]);
    let unit_code = args
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let whom = match unit_code {
        Some(code) => match store.unit_by_code(code).await? {
            Some(unit) => ctx.t(
                "bot.invite.whom",
                &[("unit", &unit.name), ("role", &role_label)],
            ),
            None => return Err(ctx.refuse("error.unknown_unit", &[("code", code)])),
        },
        None if role == Role::Office => ctx.t("bot.invite.whom_office", &[]),
        None => return Err(ctx.refuse("invite.unit_required", &[("role", &role_label)])),
    };
    let bot = match args.bot_username.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            bot_username(text)
                .ok_or_else(|| ctx.refuse("invite.bad_bot_username", &[("value", text)]))?,
        ),
    };
    let valid_for = chrono::Duration::days(i64::from(args.days));
    let whom = match args
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(name) => ctx.t("bot.invite.whom_named", &[("name", name), ("whom", &whom)]),
        None => whom,
    };
    let invite = match store
        .create_named_invite(
            unit_code,
            role,
            args.name.as_deref(),
            valid_for,
            Utc::now(),
            &ctx.recorder,
        )
        .await
    {
        Ok(invite) => invite,
        Err(StoreError::NotFound { key, .. }) => {
            return Err(ctx.refuse("error.unknown_unit", &[("code", &key)]));
        }
        Err(StoreError::Invalid { problem, .. }) => {
            let problem = describe_problem(ctx.locale, &problem);
            return Err(ctx.refuse(
                "error.invalid_value",
                &[("name", "--name"), ("problem", &problem)],
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let expires = invite
        .expires_at
        .with_timezone(&ctx.rules.zone())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    writeln!(
        out,
        "{}",
        ctx.t("invite.created", &[("whom", &whom), ("expires", &expires)])
    )?;
    writeln!(out, "{}", ctx.t("invite.code", &[("code", &invite.code)]))?;
    match bot {
        Some(bot) => {
            let link = format!("https://t.me/{bot}?start={}", invite.code);
            writeln!(out, "{}", ctx.t("invite.link", &[("link", &link)]))?;
        }
        None => {
            writeln!(out, "{}", ctx.t("invite.start", &[("code", &invite.code)]))?;
            writeln!(out, "{}", ctx.t("invite.link_hint", &[]))?;
        }
    }
    Ok(())
}

fn parse_quarter(ctx: &Context, text: &str) -> anyhow::Result<Quarter> {
    match text.parse::<Period>() {
        Ok(Period::Quarter(quarter)) => Ok(quarter),
        _ => Err(ctx.refuse("guidance.bad_quarter", &[("value", text)])),
    }
}

pub async fn guidance(
    ctx: &Context,
    store: &Store,
    command: GuidanceCommand,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        GuidanceCommand::Add { quarter, title } => {
            let quarter = parse_quarter(ctx, &quarter)?;
            // A topic is shown in every officer's guidance message: kept to a title's length.
            let title = ctx.line("--title", &title, ctx.rules.filing.title_limit)?;
            let title = title.as_str();
            let quarter_text = quarter.label(ctx.locale);
            match store.add_guidance(quarter, title, &ctx.recorder).await {
                Ok(id) => {
                    let id = id.to_string();
                    let args = [
                        ("id", id.as_str()),
                        ("quarter", &quarter_text),
                        ("title", title),
                    ];
                    writeln!(out, "{}", ctx.t("guidance.added", &args))?;
                    Ok(())
                }
                Err(StoreError::AlreadyExists { .. }) => Err(ctx.refuse(
                    "guidance.exists",
                    &[("quarter", &quarter_text), ("title", title)],
                )),
                Err(e) => Err(e.into()),
            }
        }
        GuidanceCommand::Set { quarter, file } => {
            let quarter = parse_quarter(ctx, &quarter)?;
            super::schedule::set_guidance(ctx, store, quarter, &file, out).await
        }
        GuidanceCommand::List { quarter } => {
            let quarter = parse_quarter(ctx, &quarter)?;
            let quarter_text = quarter.label(ctx.locale);
            let topics = store.guidance(quarter).await?;
            if topics.is_empty() {
                writeln!(
                    out,
                    "{}",
                    ctx.t("guidance.none", &[("quarter", &quarter_text)])
                )?;
                return Ok(());
            }
            writeln!(
                out,
                "{}",
                ctx.t("guidance.title", &[("quarter", &quarter_text)])
            )?;
            for topic in topics {
                let id = topic.id.to_string();
                let items = topic.items.to_string();
                let args = [
                    ("id", id.as_str()),
                    ("title", topic.title.as_str()),
                    ("items", &items),
                ];
                writeln!(out, "{}", ctx.t("guidance.line", &args))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bot_username;

    #[test]
    fn a_bot_username_loses_its_at_and_must_be_telegram_shaped() {
        assert_eq!(bot_username("@union_info_bot"), Some("union_info_bot"));
        assert_eq!(bot_username("UnionBot"), Some("UnionBot"));
        assert_eq!(bot_username("bot"), None);
        assert_eq!(bot_username("union bot"), None);
        assert_eq!(bot_username("t.me/x_bot"), None);
    }
}
