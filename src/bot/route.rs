//! The two routers under the handler tree: a message and a pressed button, each read into the
//! conversations' terms (a [`Turn`] with its input), handled by the pure core with its failures
//! contained, and ending the same way: what the handling left is committed with the update's
//! handled mark in one transaction ([`finish`]), so a crash before the commit handles the
//! update again from the old state, and after it finds the update handled.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{Me, MessageKind, User};

use super::{App, BotError, commands};
use crate::channel::apply::{self, Origin};
use crate::channel::{self, StoreDesk};
use crate::conversation::{self, Turn};
use crate::domain::Channel;
use crate::i18n::Locale;

/// A message in a private chat.
pub async fn on_message(
    bot: Bot,
    msg: Message,
    app: App,
    me: Me,
    update: Update,
) -> Result<(), BotError> {
    let Some(user) = msg.from.clone() else {
        return finish(&bot, &app, None, &update).await;
    };
    // A message id is unique in its chat for ever, unlike an update id.
    let source = format!("m:{}:{}", msg.chat.id.0, msg.id.0);
    let mut turn = turn(&app, &me, msg.chat.id, &user, source).await?;
    // Telegram's time for the message, never later than now (a clock running ahead).
    turn.sent_at = msg.date.min(turn.now);
    let message = match msg.text() {
        Some(text) => conversation::Message::Text(text.to_string()),
        None => conversation::Message::NonText(non_text_kind(&msg)),
    };
    channel::handle(&turn, move |turn| async move {
        conversation::message(&turn, message).await
    })
    .await;
    finish(&bot, &app, Some(&turn), &update).await
}

/// A pressed inline button.
pub async fn on_callback(
    bot: Bot,
    query: CallbackQuery,
    app: App,
    me: Me,
    update: Update,
) -> Result<(), BotError> {
    // Stops the button's spinner whatever follows; not a message, so not through the outbox,
    // and a failure here changes nothing.
    if let Err(e) = bot.answer_callback_query(query.id.clone()).await {
        tracing::debug!(error = %e, "a callback query could not be answered");
    }
    let chat = match &query.message {
        Some(message) if message.chat().is_private() => message.chat().id,
        Some(_) => return finish(&bot, &app, None, &update).await,
        None => ChatId(i64::try_from(query.from.id.0).unwrap_or(i64::MAX)),
    };
    let source = format!("c:{}", query.id.0);
    let turn = turn(&app, &me, chat, &query.from, source).await?;
    let data = query.data.unwrap_or_default();
    channel::handle(&turn, move |turn| async move {
        conversation::press(&turn, &data).await
    })
    .await;
    finish(&bot, &app, Some(&turn), &update).await
}

/// The turn of `user` in `chat`, the person looked up. Until the person is known, Telegram's
/// language if it is English, else Chinese.
async fn turn(
    app: &App,
    me: &Me,
    chat: ChatId,
    user: &User,
    source: String,
) -> Result<Turn, BotError> {
    let sender = i64::try_from(user.id.0).unwrap_or(i64::MAX);
    let person = app.store.person_by_telegram(sender).await?;
    let desk = StoreDesk {
        store: app.store.clone(),
        rules: app.rules.clone(),
    };
    let mut turn = Turn::new(
        Arc::new(desk),
        app.rules.clone(),
        Channel::Telegram,
        chat.0,
        sender,
        user.full_name(),
        person,
        telegram_locale(user.language_code.as_deref()),
        app.now(),
        source,
    );
    turn.bot_username = me.username.clone();
    Ok(turn)
}

/// Commits what the handling of an update left — the dialogue's state, every reply and
/// notice, the handled mark — in one transaction, then wakes the outbox (and the scheduler,
/// and sets the person's menu, when the handling changed what they go by). If the commit
/// fails, nothing of it is stored and the update stays unhandled, so it is handled again from
/// the start after a restart.
pub async fn finish(
    bot: &Bot,
    app: &App,
    turn: Option<&Turn>,
    update: &Update,
) -> Result<(), BotError> {
    let outcome = turn.map(Turn::take_outcome).unwrap_or_default();
    let origin = Origin {
        chat: turn.map_or(0, |t| t.chat),
        person: turn.and_then(|t| t.person.as_ref().map(|p| p.id)),
        source: turn.map_or_else(String::new, |t| t.source.clone()),
        update_id: Some(i64::from(update.id.0)),
    };
    let (menu_changed, plans_changed) = (outcome.menu_changed, outcome.plans_changed);
    super::fault::point("before_commit");
    match apply::commit(&app.store, &app.rules, &origin, outcome, app.now()).await {
        Ok(_) => {
            super::fault::point("after_commit");
            app.wake.notify_one();
            if plans_changed {
                app.plans_changed.notify_one();
            }
            if let (true, Some(turn)) = (menu_changed, turn) {
                commands::register_for_chat(bot, &app.store, turn.sender, turn.chat).await;
            }
            Ok(())
        }
        Err(e) => {
            tracing::error!(update = update.id.0, error = ?e, "an update's outcome could not be committed");
            Err(e.into())
        }
    }
}

/// The language of someone not registered: English if Telegram says so, else Chinese.
pub fn telegram_locale(language_code: Option<&str>) -> Locale {
    match language_code.and_then(Locale::parse) {
        Some(Locale::En) => Locale::En,
        _ => Locale::ZhCn,
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
