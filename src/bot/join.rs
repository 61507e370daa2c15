//! Joining (`/start <code>`): an invitation code binds the Telegram user to its unit and role.
//! Anyone not registered gets a short explanation and nothing else.

use crate::i18n::t;
use crate::store::{InviteRefusal, StoreError};

use super::command::Command;
use super::turn::Turn;
use super::{BotError, ask, commands};

/// `/start` with or without a code.
pub async fn start(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let code = c.args.trim();
    if code.is_empty() {
        return match turn.person {
            Some(_) => ask::help(turn).await,
            None => unregistered(turn).await,
        };
    }
    // A registered person with a new code moves to its unit and role (one unit at a time).
    let store = &turn.app.store;
    let person = match store
        .redeem_invite(code, turn.telegram_id, &turn.name, turn.now)
        .await
    {
        Ok(person) => person,
        Err(StoreError::Invite(refusal)) => {
            tracing::info!(
                user = turn.telegram_id,
                ?refusal,
                "an invitation code was refused"
            );
            let key = match refusal {
                InviteRefusal::Unknown => "bot.join.unknown",
                InviteRefusal::Used => "bot.join.used",
                InviteRefusal::Expired => "bot.join.expired",
            };
            return turn.say_key(key, &[]).await;
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user = turn.telegram_id, person = person.id, role = %person.role, "a person joined");
    let turn = Turn {
        person: Some(person),
        ..turn.clone()
    };
    // A person who joins keeps the language they were greeted in until they choose (/lang).
    if let Some(person) = turn.person.as_ref().filter(|p| p.locale.is_none()) {
        if turn.locale != crate::i18n::Locale::default() {
            store.set_locale(person.id, turn.locale.code()).await?;
        }
    }
    let role = t(
        turn.locale,
        &format!(
            "role.{}",
            turn.person.as_ref().map_or("officer", |p| p.role.code())
        ),
        &[],
    );
    let unit = turn
        .person
        .as_ref()
        .and_then(|p| p.unit_name.clone())
        .unwrap_or_else(|| t(turn.locale, "role.office", &[]));
    turn.say_key("bot.join.welcome", &[("unit", &unit), ("role", &role)])
        .await?;
    commands::register_for_chat(&turn).await;
    ask::help(&turn).await
}

/// What anyone not registered is told, whatever they write.
pub async fn unregistered(turn: &Turn) -> Result<(), BotError> {
    turn.say_key("bot.unregistered", &[]).await
}
