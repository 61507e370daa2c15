//! The two routers under the handler tree: a message and a pressed button, each handled in its
//! own task (a panic there is logged and answered, never spread) and each ending the same way:
//! what the handling said and changed is committed with the update's handled mark in one
//! transaction ([`finish`]), so a crash before the commit handles the update again from the old
//! state, and after it finds the update handled.

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::{Me, MessageKind};

use super::command::{Command, parse_command};
use super::turn::Turn;
use super::{App, BotError, adopt, ask, dialogue, item, join, lang, office, submit};
use crate::conversation::{Audience, Verb};
use crate::forms::{Event, Input};

/// A message in a private chat.
pub async fn on_message(
    bot: Bot,
    msg: Message,
    app: App,
    me: Me,
    update: Update,
) -> Result<(), BotError> {
    let Some(user) = msg.from.clone() else {
        return finish(&app, None, &update).await;
    };
    // A message id is unique in its chat for ever, unlike an update id.
    let source = format!("m:{}:{}", msg.chat.id.0, msg.id.0);
    let turn = Turn::new(
        bot,
        app.clone(),
        msg.chat.id,
        &user,
        me.username.clone(),
        source,
    );
    contained(&turn, move |turn| async move { message(turn, msg).await }).await;
    finish(&app, Some(&turn), &update).await
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
        Some(_) => return finish(&app, None, &update).await,
        None => ChatId(i64::try_from(query.from.id.0).unwrap_or(i64::MAX)),
    };
    let source = format!("c:{}", query.id.0);
    let turn = Turn::new(
        bot,
        app.clone(),
        chat,
        &query.from,
        me.username.clone(),
        source,
    );
    let data = query.data.unwrap_or_default();
    contained(&turn, move |turn| async move { press(turn, data).await }).await;
    finish(&app, Some(&turn), &update).await
}

/// Commits what the handling of an update left — the dialogue's state, every reply and notice,
/// the handled mark — in one transaction, then wakes the outbox. If the commit fails, nothing
/// of it is stored and the update stays unhandled, so it is handled again from the start after
/// a restart.
pub async fn finish(app: &App, turn: Option<&Turn>, update: &Update) -> Result<(), BotError> {
    let mut outcome = turn.map(Turn::take_outcome).unwrap_or_default();
    outcome.update_id = Some(i64::from(update.id.0));
    super::fault::point("before_commit");
    match app.store.commit_update(&outcome, app.now()).await {
        Ok(_) => {
            super::fault::point("after_commit");
            app.wake.notify_one();
            Ok(())
        }
        Err(e) => {
            tracing::error!(update = update.id.0, error = ?e, "an update's outcome could not be committed");
            Err(e.into())
        }
    }
}

/// Runs `handle` on the turn in a task of its own. A panic is logged and answered
/// `error.internal`, a storage error logged and answered `error.database`; either way what the
/// handling had said so far is dropped (records it stored carry natural keys, so handling the
/// update again finds them).
async fn contained<F, Fut>(turn: &Turn, handle: F)
where
    F: FnOnce(Turn) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), BotError>> + Send + 'static,
{
    let chat = turn.chat;
    let mut own = turn.clone();
    let task = tokio::spawn(async move {
        if let Err(e) = own.identify().await {
            return (own.locale, Err(e));
        }
        let locale = own.locale;
        (locale, handle(own).await)
    });
    let (locale, failed) = match task.await {
        Ok((_, Ok(()))) => return,
        Ok((locale, Err(BotError::Store(e)))) => {
            tracing::error!(chat = chat.0, error = ?e, "the database failed while handling an update");
            (locale, "error.database")
        }
        Ok((locale, Err(e))) => {
            tracing::error!(chat = chat.0, error = %e, "an update could not be handled");
            (locale, "error.internal")
        }
        Err(e) => {
            // The update is still marked handled, so one that always panics is not taken again
            // at every start; this line is what is left of it.
            tracing::error!(chat = chat.0, error = %e, "an update handler panicked");
            (turn.locale, "error.internal")
        }
    };
    turn.discard();
    let _ = turn.say(&crate::i18n::t(locale, failed, &[])).await;
}

/// What a message asks for.
async fn message(turn: Turn, msg: Message) -> Result<(), BotError> {
    let text = msg.text().map(str::to_string);
    let command = text
        .as_deref()
        .and_then(|t| parse_command(t, turn.bot_username.as_deref()));
    match command {
        Some(c) if Verb::parse(&c.name) == Some(Verb::Start) => join::start(&turn, &c).await,
        _ if turn.person.is_none() => join::unregistered(&turn).await,
        Some(c) => command_of_member(&turn, &c).await,
        None => {
            // The first plain text after joining, with no form open, is the name asked for.
            if let Some(text) = &text {
                if dialogue::open(&turn).await?.is_none() && join::maybe_name(&turn, text).await? {
                    return Ok(());
                }
            }
            let input = match text {
                Some(text) => Input::Text(text),
                None => Input::NonText(non_text_kind(&msg)),
            };
            dialogue::answer(&turn, input).await
        }
    }
}

/// A command of a registered person: read as a [`Verb`] once, refused when the person's role
/// does not give it, then handled.
async fn command_of_member(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let Some(verb) = Verb::parse(&c.name) else {
        return turn.say_key("bot.unknown_command", &[]).await;
    };
    if verb.audience() == Audience::Office && !turn.is_office() {
        tracing::info!(
            user = turn.telegram_id,
            command = verb.name(),
            "an office command was refused"
        );
        return turn.say_key("bot.office_only", &[]).await;
    }
    match verb {
        Verb::Help => ask::help(turn).await,
        Verb::Score => ask::score(turn, &c.args).await,
        Verb::Standings => ask::standings(turn, &c.args).await,
        Verb::Mine => ask::mine(turn).await,
        Verb::Item => item::show_typed(turn, &c.args).await,
        Verb::Name => join::name(turn, c).await,
        Verb::Guidance => ask::guidance(turn).await,
        Verb::Lang => lang::ask(turn).await,
        Verb::Submit => submit::start(turn).await,
        Verb::Drafts => dialogue::drafts(turn).await,
        Verb::Cancel => dialogue::event(turn, Event::Cancel).await,
        Verb::Back => dialogue::event(turn, Event::Back).await,
        Verb::Skip => dialogue::event(turn, Event::Skip).await,
        Verb::Pending => super::sign_off::pending(turn).await,
        Verb::ReturnDraft => super::sign_off::return_draft(turn, c).await,
        // Already handled before the person is known.
        Verb::Start => join::start(turn, c).await,
        office => office::command(turn, office, c).await,
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
        Some(("ib", id)) if turn.is_office() => match id.parse() {
            Ok(id) => office::inbox(&turn, Some(id)).await,
            Err(_) => turn.say_key("form.stale_button", &[]).await,
        },
        Some(("ib", _)) => turn.say_key("bot.office_only", &[]).await,
        Some(("it", id)) => match id.parse() {
            Ok(id) => item::show(&turn, id).await,
            Err(_) => turn.say_key("form.stale_button", &[]).await,
        },
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
