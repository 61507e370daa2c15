//! `unionbot run`: the Telegram bot, over the same database and rules as every other command.

use std::io::Write;

use clap::Args;
use teloxide::requests::Requester;

use crate::bot::{self, RunError};
use crate::store::redact;

use super::Context;

#[derive(Debug, Args)]
pub struct RunArgs {}

/// Starts the bot (long polling) and runs it until Ctrl-C or SIGTERM. The token comes from
/// `TELOXIDE_TOKEN` and is checked before the database is opened; once both answer, one line
/// says which bot runs on which database, so the office sees that it started.
pub async fn run(ctx: &Context, _args: RunArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let bot = bot::bot_from_env().map_err(|e| refusal(ctx, e))?;
    let me = bot
        .get_me()
        .await
        .map_err(|e| refusal(ctx, RunError::Telegram(e.to_string())))?;
    let store = ctx.open_store().await?;
    if store.is_read_only() {
        store.close().await;
        return Err(ctx.refuse("cli.error.read_only", &[]));
    }
    let username = me.username.clone().unwrap_or_else(|| me.first_name.clone());
    let database = redact(&ctx.database_url);
    let mode = ctx.t("cli.run.long_polling", &[]);
    writeln!(
        out,
        "{}",
        ctx.t(
            "cli.run.started",
            &[("bot", &username), ("database", &database), ("mode", &mode)],
        )
    )?;
    out.flush()?;
    bot::run(bot, store, ctx.rules.clone())
        .await
        .map_err(|e| refusal(ctx, e))
}

fn refusal(ctx: &Context, error: RunError) -> anyhow::Error {
    match error {
        RunError::NoToken => ctx.refuse("bot.run.no_token", &[]),
        RunError::BadApiUrl(value) => ctx.refuse("bot.run.bad_api_url", &[("value", &value)]),
        RunError::Telegram(reason) => ctx.refuse("bot.run.telegram", &[("reason", &reason)]),
    }
}
