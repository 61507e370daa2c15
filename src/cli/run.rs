//! `unionbot run`: the Telegram bot, over the same database and rules as every other command.

use clap::Args;

use crate::bot::{self, RunError};

use super::Context;

#[derive(Debug, Args)]
pub struct RunArgs {}

/// Starts the bot (long polling) and runs it until Ctrl-C or SIGTERM. The token comes from
/// `TELOXIDE_TOKEN` and is checked before the database is opened.
pub async fn run(ctx: &Context, _args: RunArgs) -> anyhow::Result<()> {
    let bot = bot::bot_from_env().map_err(|e| refusal(ctx, e))?;
    let store = ctx.open_store().await?;
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
