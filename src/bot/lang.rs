//! `/lang`: the person's language, chosen by button and kept with the person.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::i18n::{Locale, t};

use super::turn::Turn;
use super::{BotError, commands};

/// Offers every language, each named in itself.
pub async fn ask(turn: &Turn) -> Result<(), BotError> {
    let buttons = Locale::ALL
        .iter()
        .map(|l| {
            InlineKeyboardButton::callback(t(*l, "locale.name", &[]), format!("l:{}", l.code()))
        })
        .collect::<Vec<_>>();
    turn.say_with(
        &turn.t("bot.lang.choose", &[]),
        InlineKeyboardMarkup::new(vec![buttons]),
    )
    .await
}

/// A language button: kept for the person, answered in the new language.
pub async fn set(turn: &Turn, code: &str) -> Result<(), BotError> {
    let (Some(person), Some(locale)) = (&turn.person, Locale::parse(code)) else {
        return turn.say_key("form.stale_button", &[]).await;
    };
    // Only our own spellings are buttons; anything else is forged.
    if locale.code() != code {
        return turn.say_key("form.stale_button", &[]).await;
    }
    turn.app.store.set_locale(person.id, locale.code()).await?;
    let mut turn = turn.clone();
    turn.locale = locale;
    commands::register_for_chat(&turn).await;
    turn.say_key("bot.lang.set", &[]).await
}
