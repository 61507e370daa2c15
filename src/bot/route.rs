//! The two routers under the handler tree: a message and a pressed button, each handled in its
//! own task (a panic there is logged and answered, never spread) and each ending the same way
//! (a storage error is logged and the person told, then the update is marked handled in the
//! durable intake, so it is not handled again after a restart).

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::{Me, MessageKind};

use super::command::{Command, parse_command};
use super::turn::Turn;
use super::{App, BotError, adopt, ask, dialogue, intake, join, lang, office, submit};
use crate::forms::{Event, Input};
use crate::i18n::{Locale, escape_html, t};

/// A message in a private chat.
pub async fn on_message(
    bot: Bot,
    msg: Message,
    app: App,
    me: Me,
    update: Update,
) -> Result<(), BotError> {
    let result = message_update(bot, msg, app.clone(), me).await;
    intake::mark_handled(&app.store, &update, app.now()).await;
    result
}

/// A pressed inline button.
pub async fn on_callback(
    bot: Bot,
    query: CallbackQuery,
    app: App,
    me: Me,
    update: Update,
) -> Result<(), BotError> {
    let result = callback_update(bot, query, app.clone(), me).await;
    intake::mark_handled(&app.store, &update, app.now()).await;
    result
}

async fn message_update(bot: Bot, msg: Message, app: App, me: Me) -> Result<(), BotError> {
    let Some(user) = msg.from.clone() else {
        return Ok(());
    };
    let turn = Turn::new(bot, app, msg.chat.id, &user, me.username.clone());
    contained(turn, move |turn| async move { message(turn, msg).await }).await
}

async fn callback_update(bot: Bot, query: CallbackQuery, app: App, me: Me) -> Result<(), BotError> {
    // Stops the button's spinner whatever follows; a failure here changes nothing.
    if let Err(e) = bot.answer_callback_query(query.id.clone()).await {
        tracing::debug!(error = %e, "a callback query could not be answered");
    }
    let chat = match &query.message {
        Some(message) if message.chat().is_private() => message.chat().id,
        Some(_) => return Ok(()),
        None => ChatId(i64::try_from(query.from.id.0).unwrap_or(i64::MAX)),
    };
    let turn = Turn::new(bot, app, chat, &query.from, me.username.clone());
    let data = query.data.unwrap_or_default();
    contained(turn, move |turn| async move { press(turn, data).await }).await
}

/// Runs `handle` on the turn in a task of its own: a panic is logged and answered
/// `error.internal`; a storage error is logged and answered `error.database`.
async fn contained<F, Fut>(turn: Turn, handle: F) -> Result<(), BotError>
where
    F: FnOnce(Turn) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), BotError>> + Send + 'static,
{
    let (bot, chat, locale) = (turn.bot.clone(), turn.chat, turn.locale);
    let task = tokio::spawn(async move {
        let mut turn = turn;
        if let Err(e) = turn.identify().await {
            return (turn.locale, Err(e));
        }
        let locale = turn.locale;
        (locale, handle(turn).await)
    });
    let (locale, result) = match task.await {
        Ok(done) => done,
        Err(e) => {
            // The update is still marked handled, so one that always panics is not taken again
            // at every start; this line is what is left of it.
            tracing::error!(chat = chat.0, error = %e, "an update handler panicked");
            return tell(&bot, chat, locale, "error.internal").await;
        }
    };
    match result {
        Err(BotError::Store(e)) => {
            tracing::error!(chat = chat.0, error = ?e, "the database failed while handling an update");
            tell(&bot, chat, locale, "error.database").await
        }
        other => other,
    }
}

async fn tell(bot: &Bot, chat: ChatId, locale: Locale, key: &str) -> Result<(), BotError> {
    use teloxide::types::ParseMode;
    bot.send_message(chat, escape_html(&t(locale, key, &[])))
        .parse_mode(ParseMode::Html)
        .await?;
    Ok(())
}

/// What a message asks for.
async fn message(turn: Turn, msg: Message) -> Result<(), BotError> {
    let text = msg.text().map(str::to_string);
    let command = text
        .as_deref()
        .and_then(|t| parse_command(t, turn.bot_username.as_deref()));
    match command {
        Some(c) if c.name == "start" => join::start(&turn, &c).await,
        _ if turn.person.is_none() => join::unregistered(&turn).await,
        Some(c) => command_of_member(&turn, &c).await,
        None => {
            let input = match text {
                Some(text) => Input::Text(text),
                None => Input::NonText(non_text_kind(&msg)),
            };
            dialogue::answer(&turn, input).await
        }
    }
}

/// A command of a registered person.
async fn command_of_member(turn: &Turn, c: &Command) -> Result<(), BotError> {
    match c.name.as_str() {
        "help" | "menu" => ask::help(turn).await,
        "score" => ask::score(turn, &c.args).await,
        "standings" => ask::standings(turn, &c.args).await,
        "mine" => ask::mine(turn).await,
        "guidance" => ask::guidance(turn).await,
        "lang" => lang::ask(turn).await,
        "submit" => submit::start(turn).await,
        "drafts" => dialogue::drafts(turn).await,
        "cancel" => dialogue::event(turn, Event::Cancel).await,
        "back" => dialogue::event(turn, Event::Back).await,
        "pending" => super::sign_off::pending(turn).await,
        "return_draft" => super::sign_off::return_draft(turn, c).await,
        "skip" => dialogue::event(turn, Event::Skip).await,
        name if office::is_office_command(name) => {
            if turn.is_office() {
                office::command(turn, c).await
            } else {
                tracing::info!(
                    user = turn.telegram_id,
                    command = name,
                    "an office command was refused"
                );
                turn.say_key("bot.office_only", &[]).await
            }
        }
        _ => turn.say_key("bot.unknown_command", &[]).await,
    }
}

/// What a pressed button asks for. Every button is checked here, against the stored state
/// and the person's role: a forged or stale one changes nothing and says so.
async fn press(turn: Turn, data: String) -> Result<(), BotError> {
    if turn.person.is_none() {
        return join::unregistered(&turn).await;
    }
    match data.split_once(':') {
        Some(("f1", _)) => dialogue::press(&turn, &data).await,
        Some(("l", code)) => lang::set(&turn, code).await,
        Some(("m", "submit")) => submit::start(&turn).await,
        Some(("m", "drafts")) => dialogue::drafts(&turn).await,
        Some(("ad", id)) if turn.is_office() => match id.parse() {
            Ok(id) => adopt::start_for(&turn, id).await,
            Err(_) => turn.say_key("form.stale_button", &[]).await,
        },
        Some(("ad", _)) => turn.say_key("bot.office_only", &[]).await,
        Some(("so", rest)) => super::sign_off::press(&turn, rest).await,
        _ => {
            tracing::info!(user = turn.telegram_id, "an unknown button was pressed");
            turn.say_key("form.stale_button", &[]).await
        }
    }
}

/// What kind of message without text arrived, for the form's refusal.
fn non_text_kind(msg: &Message) -> &'static str {
    if msg.photo().is_some() {
        "photo"
    } else if msg.sticker().is_some() {
        "sticker"
    } else if msg.voice().is_some() || msg.audio().is_some() {
        "voice"
    } else if msg.document().is_some() {
        "document"
    } else if msg.video().is_some() || msg.video_note().is_some() || msg.animation().is_some() {
        "video"
    } else if matches!(msg.kind, MessageKind::Common(_)) {
        "message"
    } else {
        "event"
    }
}
