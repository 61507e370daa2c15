//! Starting the bot: the token from `TELOXIDE_TOKEN` (and the API address from
//! `TELOXIDE_API_URL` when set), long polling through the durable intake (an update is
//! confirmed only once stored, and marked when handled), the outbox worker, and a clean stop
//! on Ctrl-C or SIGTERM (the updates in hand are finished, then the worker stops).

use std::time::Duration;

use teloxide::dispatching::{Dispatcher, ShutdownToken};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use tokio::sync::watch;

use super::{App, commands, handler_tree, intake, outbox};
use crate::rules::Rules;
use crate::store::Store;

/// The variables teloxide reads.
const TOKEN_VAR: &str = "TELOXIDE_TOKEN";
const API_URL_VAR: &str = "TELOXIDE_API_URL";

/// Why the bot could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// No token: one comes from @BotFather.
    #[error("TELOXIDE_TOKEN is not set")]
    NoToken,
    /// `TELOXIDE_API_URL` is not an http(s) address.
    #[error("TELOXIDE_API_URL is not an http(s) URL: {0}")]
    BadApiUrl(String),
    /// Telegram refused the token or could not be reached (the token is never in this text).
    #[error("Telegram: {0}")]
    Telegram(String),
}

/// The bot as the environment describes it, checked first so that a missing token is one clear
/// line rather than a panic.
pub fn bot_from_env() -> Result<Bot, RunError> {
    match std::env::var(TOKEN_VAR) {
        Ok(token) if !token.trim().is_empty() => {}
        _ => return Err(RunError::NoToken),
    }
    if let Ok(url) = std::env::var(API_URL_VAR) {
        let lower = url.trim().to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) || url.contains(' ') {
            return Err(RunError::BadApiUrl(url));
        }
    }
    std::panic::catch_unwind(Bot::from_env)
        .map_err(|_| RunError::BadApiUrl(std::env::var(API_URL_VAR).unwrap_or_default()))
}

/// Runs the bot until Ctrl-C or SIGTERM.
pub async fn run(bot: Bot, store: Store, rules: Rules) -> Result<(), RunError> {
    let me = bot
        .get_me()
        .await
        .map_err(|e| RunError::Telegram(e.to_string()))?;
    tracing::info!(username = ?me.username, "the bot is connected");
    let app = App::new(store, rules);
    if let Err(e) = commands::register_commands(&bot, &app.store).await {
        tracing::warn!(error = %e, "the command menus could not be registered");
    }

    let (stop_outbox, outbox_stopped) = watch::channel(false);
    let limits = outbox::Limits::from_env();
    let outbox_stopped_for_scheduler = outbox_stopped.clone();
    let worker = tokio::spawn(outbox::run(
        bot.clone(),
        app.clone(),
        limits,
        outbox_stopped,
    ));

    // The scheduler only queues; the worker above sends. Off where a deployment runs it in one
    // process of several, or a test wants only what its own updates cause.
    let scheduler = scheduler_wanted().then(|| {
        tokio::spawn(crate::scheduler::run(
            app.store.clone(),
            app.rules.clone(),
            app.clock.clone(),
            app.wake.clone(),
            app.plans_changed.clone(),
            outbox_stopped_for_scheduler.clone(),
        ))
    });

    let unrouted = app.clone();
    let mut dispatcher = Dispatcher::builder(bot.clone(), handler_tree())
        .dependencies(dptree::deps![app.clone()])
        .error_handler(LoggingErrorHandler::with_custom_text("an update failed"))
        // An update the bot takes no interest in (a group, an edit) is handled by doing nothing.
        .default_handler(move |update| {
            let app = unrouted.clone();
            async move { intake::mark_handled(&app.store, &update, app.now()).await }
        })
        .build();
    let signals = tokio::spawn(stop_on_signal(dispatcher.shutdown_token()));
    dispatcher
        .dispatch_with_listener(
            intake::listener(bot, app.clone()),
            LoggingErrorHandler::with_custom_text("the intake failed"),
        )
        .await;
    signals.abort();

    tracing::info!("the dispatcher stopped; stopping the outbox");
    let _ = stop_outbox.send(true);
    if let Some(Err(e)) = match scheduler {
        Some(task) => Some(task.await),
        None => None,
    } {
        tracing::error!(error = %e, "the scheduler ended badly");
    }
    if let Err(e) = worker.await {
        tracing::error!(error = %e, "the outbox worker ended badly");
    }
    app.store.close().await;
    Ok(())
}

/// Whether this process runs the scheduler: yes unless `UNIONBOT_SCHEDULER=off`.
fn scheduler_wanted() -> bool {
    !matches!(
        std::env::var("UNIONBOT_SCHEDULER")
            .as_deref()
            .map(str::trim),
        Ok("off" | "0" | "false" | "no")
    )
}

/// Waits for Ctrl-C or SIGTERM, then asks the dispatcher to finish what it holds and stop.
async fn stop_on_signal(token: ShutdownToken) {
    wait_for_signal().await;
    tracing::info!("stopping: finishing the updates in hand");
    loop {
        match token.shutdown() {
            Ok(done) => {
                done.await;
                return;
            }
            // The dispatcher is not running yet (or any more): try again shortly.
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "SIGTERM cannot be watched; only Ctrl-C stops the bot");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
