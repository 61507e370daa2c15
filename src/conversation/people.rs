//! People coming and going (office): `/deactivate <person number>` for one who left (their
//! records stay, under their name), `/move <person number> <unit code>` to another unit (a form
//! open for the old unit ends), `/invites` for the invitations not used yet, and
//! `/revoke <invitation number or code>` to withdraw one.

use super::command::Command;
use super::shown::usage;
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::Role;
use crate::i18n::{Locale, t};
use crate::records::{InviteRefusal, OpenInvite, Person};

/// A person's number as typed: `12` or `#12`.
fn person_number(word: &str) -> Option<i64> {
    let word = word.trim();
    word.strip_prefix(['#', '＃'])
        .unwrap_or(word)
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// The person as the office reads them: name, unit and role.
fn described(turn: &Turn, person: &Person) -> String {
    let role = turn.t(&format!("role.{}", person.role.code()), &[]);
    let whom = match &person.unit_name {
        Some(unit) => turn.t("bot.invite.whom", &[("unit", unit), ("role", &role)]),
        None => turn.t("bot.invite.whom_office", &[]),
    };
    turn.t(
        "bot.people.person",
        &[
            ("name", &person.name),
            ("number", &person.id.to_string()),
            ("whom", &whom),
        ],
    )
}

fn unknown_person(turn: &Turn, number: &str) -> Handled {
    turn.say_key("bot.name.unknown_person", &[("number", number)]);
    Ok(())
}

/// `/deactivate <person number>`.
pub async fn deactivate(turn: &Turn, c: &Command) -> Handled {
    let Some(id) = c.words().first().and_then(|w| person_number(w)) else {
        return usage(turn, "deactivate");
    };
    if turn.person.as_ref().is_some_and(|p| p.id == id) {
        turn.say_key("bot.people.not_yourself", &[]);
        return Ok(());
    }
    let done = turn
        .desk
        .deactivate_person(id, &turn.recorder(), turn.now)
        .await;
    let (person, new) = match done {
        Ok(done) => done,
        Err(DeskError::NotFound { .. }) => return unknown_person(turn, &id.to_string()),
        Err(e) => return Err(e),
    };
    let who = described(turn, &person);
    if new {
        turn.say_key("bot.people.deactivated", &[("person", &who)]);
        let locale = Locale::or_default(person.locale.as_deref());
        turn.notify(
            &format!("left:{}", person.id),
            person.telegram_id,
            &t(locale, "bot.left", &[]),
        );
    } else {
        turn.say_key("bot.people.deactivated_before", &[("person", &who)]);
    }
    Ok(())
}

/// `/move <person number> <unit code>`.
pub async fn move_person(turn: &Turn, c: &Command) -> Handled {
    let words = c.words();
    let (Some(id), Some(unit)) = (
        words.first().and_then(|w| person_number(w)),
        words.get(1).copied(),
    ) else {
        return usage(turn, "move");
    };
    let Some(before) = turn.desk.person(id).await? else {
        return unknown_person(turn, &id.to_string());
    };
    if before.role == Role::Office {
        turn.say_key(
            "bot.people.move_office",
            &[("person", &described(turn, &before))],
        );
        return Ok(());
    }
    if !before.active() {
        turn.say_key(
            "bot.people.move_left",
            &[("person", &described(turn, &before))],
        );
        return Ok(());
    }
    let (person, changed) = match turn.desk.move_person(id, unit, turn.now).await {
        Ok(done) => done,
        Err(DeskError::NotFound { what: "unit", .. }) => {
            turn.say_key("error.unknown_unit", &[("code", unit)]);
            return Ok(());
        }
        Err(DeskError::NotFound { .. }) => return unknown_person(turn, &id.to_string()),
        Err(e) => return Err(e),
    };
    let who = described(turn, &person);
    if !changed {
        turn.say_key("bot.people.moved_before", &[("person", &who)]);
        return Ok(());
    }
    let from = before.unit_name.unwrap_or_default();
    turn.say_key("bot.people.moved", &[("person", &who), ("from", &from)]);
    let to = person.unit_name.clone().unwrap_or_default();
    let locale = Locale::or_default(person.locale.as_deref());
    turn.notify(
        &format!("moved:{}", turn.source),
        person.telegram_id,
        &t(
            locale,
            "bot.people.moved_notice",
            &[("from", &from), ("to", &to)],
        ),
    );
    Ok(())
}

/// One invitation in a list.
fn invite_line(turn: &Turn, invite: &OpenInvite) -> String {
    let role = turn.t(&format!("role.{}", invite.role.code()), &[]);
    let whom = match &invite.unit_name {
        Some(unit) => turn.t("bot.invite.whom", &[("unit", unit), ("role", &role)]),
        None => turn.t("bot.invite.whom_office", &[]),
    };
    let whom = match &invite.name {
        Some(name) => turn.t("bot.invite.whom_named", &[("name", name), ("whom", &whom)]),
        None => whom,
    };
    turn.t(
        "bot.people.invite_line",
        &[
            ("number", &invite.id.to_string()),
            ("whom", &whom),
            ("code", &invite.code),
            ("expires", &turn.local(invite.expires_at)),
        ],
    )
}

/// `/invites`.
pub async fn invites(turn: &Turn) -> Handled {
    let open = turn.desk.open_invites(turn.now).await?;
    if open.is_empty() {
        turn.say_key("bot.people.no_invites", &[]);
        return Ok(());
    }
    let mut lines = vec![turn.t(
        "bot.people.invites_title",
        &[("count", &open.len().to_string())],
    )];
    lines.extend(open.iter().map(|i| invite_line(turn, i)));
    lines.push(turn.t("bot.people.revoke_hint", &[]));
    turn.say(&lines.join("\n"));
    Ok(())
}

/// `/revoke <invitation number or code>`.
pub async fn revoke(turn: &Turn, c: &Command) -> Handled {
    let Some(key) = c.words().first().copied() else {
        return usage(turn, "revoke");
    };
    match turn
        .desk
        .revoke_invite(key, &turn.recorder(), turn.now)
        .await
    {
        Ok(invite) => {
            let line = invite_line(turn, &invite);
            turn.say_key("bot.people.revoked", &[("invite", &line)]);
        }
        Err(DeskError::Invite(InviteRefusal::Used)) => {
            turn.say_key("bot.people.revoke_used", &[("key", key)])
        }
        Err(DeskError::Invite(_)) => turn.say_key("bot.people.revoke_unknown", &[("key", key)]),
        Err(e) => return Err(e),
    }
    Ok(())
}
