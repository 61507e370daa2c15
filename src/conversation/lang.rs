//! `/lang`: the person's language, chosen from the languages there are and kept with the
//! person.

use super::Handled;
use super::turn::{Choice, Turn};
use crate::i18n::{Locale, t};

/// Offers every language, each named in itself.
pub fn ask(turn: &Turn) -> Handled {
    let choices = Locale::ALL
        .iter()
        .map(|l| Choice {
            label: t(*l, "locale.name", &[]),
            data: format!("l:{}", l.code()),
        })
        .collect();
    turn.say_with(&turn.t("bot.lang.choose", &[]), vec![choices]);
    Ok(())
}

/// A language choice: kept for the person, answered in the new language.
pub async fn set(turn: &Turn, code: &str) -> Handled {
    let (Some(person), Some(locale)) = (&turn.person, Locale::parse(code)) else {
        turn.say_key("form.stale_button", &[]);
        return Ok(());
    };
    // Only our own spellings are choices; anything else is forged.
    if locale.code() != code {
        turn.say_key("form.stale_button", &[]);
        return Ok(());
    }
    turn.desk.set_locale(person.id, locale).await?;
    let turn = turn.with_locale(locale);
    turn.menu_changed();
    turn.say_key("bot.lang.set", &[]);
    Ok(())
}
