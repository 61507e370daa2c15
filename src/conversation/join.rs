//! Joining (`/start <code>`): an invitation code binds the sender's address (a Telegram user,
//! or a terminal) to its unit and role; a name given or corrected. Anyone not registered gets
//! a short explanation and nothing else.

use super::command::Command;
use super::dialogue;
use super::turn::Turn;
use super::{DeskError, Handled, ask};
use crate::i18n::t;
use crate::records::InviteRefusal;

/// `/start` with or without a code.
pub async fn start(turn: &Turn, c: &Command) -> Handled {
    let code = c.args.trim();
    if code.is_empty() {
        return match turn.person {
            Some(_) => ask::help(turn).await,
            None => unregistered(turn).await,
        };
    }
    // A registered person with a new code moves to its unit and role (one unit at a time).
    let person = match turn
        .desk
        .redeem_invite(code, turn.sender, &turn.name, turn.now)
        .await
    {
        Ok(person) => person,
        Err(DeskError::Invite(refusal)) => {
            tracing::info!(
                user = turn.sender,
                ?refusal,
                "an invitation code was refused"
            );
            let key = match refusal {
                InviteRefusal::Unknown => "bot.join.unknown",
                InviteRefusal::Used => "bot.join.used",
                InviteRefusal::Expired => "bot.join.expired",
                InviteRefusal::Revoked => "bot.join.revoked",
            };
            {
                turn.say_key(key, &[]);
                return Ok(());
            }
        }
        Err(e) => return Err(e),
    };
    tracing::info!(user = turn.sender, person = person.id, role = %person.role, "a person joined");
    // A form begun for another unit (an urgent report's facts, a draft of its item) is that
    // unit's: it ends here, so no answer given after the move is written into it.
    let before = turn.person.as_ref().and_then(|p| p.unit_id);
    if before.is_some()
        && before != person.unit_id
        && let Some(open) = dialogue::open(turn).await?
    {
        super::urgent_facts::flush(turn, &open).await?;
        turn.clear_dialogue();
        turn.say_key("bot.join.form_ended", &[]);
    }
    let turn = turn.with_person(person);
    // A person who joins keeps the language they were greeted in until they choose (/lang).
    if let Some(person) = turn.person.as_ref().filter(|p| p.locale.is_none()) {
        if turn.locale != crate::i18n::Locale::default() {
            turn.desk.set_locale(person.id, turn.locale).await?;
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
    let name = turn
        .person
        .as_ref()
        .map_or_else(String::new, |p| p.name.clone());
    let office = turn.person.as_ref().is_some_and(|p| p.unit_id.is_none());
    turn.say_key(
        if office {
            "bot.join.welcome_office"
        } else {
            "bot.join.welcome"
        },
        &[("unit", &unit), ("role", &role), ("name", &name)],
    );
    turn.menu_changed();
    ask::help(&turn).await?;
    // Guidance goes to every registered person (RULES.md): one who joins after this quarter's
    // went out is owed it.
    if let Some(person) = &turn.person {
        turn.owe_guidance(person.id);
    }
    if turn.person.as_ref().is_some_and(|p| p.name_asked) {
        turn.say_key("bot.join.ask_name", &[("name", &name)]);
    }
    Ok(())
}

/// A plain text from a person the bot asked for their real name on joining, with no form open:
/// the answer. Whether it was taken. Nobody who was not asked has a text taken for a name.
pub async fn maybe_name(turn: &Turn, text: &str) -> Result<bool, DeskError> {
    let Some(person) = turn
        .person
        .as_ref()
        .filter(|p| p.name_asked && !p.name_confirmed)
    else {
        return Ok(false);
    };
    if text.trim().starts_with('/') {
        return Ok(false);
    }
    set_name(turn, person.id, text).await?;
    Ok(true)
}

/// `/name <name>`: a person gives or corrects their own real name.
pub async fn name(turn: &Turn, c: &Command) -> Handled {
    let Some(person) = &turn.person else {
        return unregistered(turn).await;
    };
    if c.args.trim().is_empty() {
        {
            turn.say_key("bot.usage.name", &[("name", &person.name)]);
            return Ok(());
        }
    }
    set_name(turn, person.id, &c.args).await
}

/// `/rename <person number> <name>` (office): corrects someone's name.
pub async fn rename(turn: &Turn, c: &Command) -> Handled {
    let (words, name) = c.split(1);
    let Some(id) = words
        .first()
        .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok())
    else {
        {
            turn.say_key("bot.usage.rename", &[]);
            return Ok(());
        }
    };
    if name.is_empty() {
        {
            turn.say_key("bot.usage.rename", &[]);
            return Ok(());
        }
    }
    set_name(turn, id, name).await
}

async fn set_name(turn: &Turn, person: i64, name: &str) -> Handled {
    match turn.desk.set_name(person, name).await {
        Ok(person) => {
            turn.say_key(
                "bot.name.done",
                &[("name", &person.name), ("number", &person.id.to_string())],
            );
            Ok(())
        }
        Err(DeskError::Invalid { problem, .. }) => {
            let problem = crate::i18n::describe_problem(turn.locale, &problem);
            turn.say_key("bot.name.refused", &[("problem", &problem)]);
            Ok(())
        }
        Err(DeskError::NotFound { key, .. }) => {
            turn.say_key("bot.name.unknown_person", &[("number", &key)]);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// What anyone not registered is told, whatever they write.
pub async fn unregistered(turn: &Turn) -> Handled {
    turn.say_key("bot.unregistered", &[]);
    Ok(())
}
