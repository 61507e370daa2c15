//! Sign-off (签发), where the rules ask for it: a confirmed item goes to the unit's leaders in
//! charge, who see it with `/pending` and approve it with a choice (it is then filed, the
//! leader its signer) or return it with `/return_draft` and a remark. The officer is told of
//! each step. Every decision is checked by the records: only a leader of the item's unit
//! decides, and only once.

use super::command::Command;
use super::dialogue;
use super::notices::{tell_address, tell_unit};
use super::turn::{Choice, Turn};
use super::{DeskError, Handled};
use crate::domain::Role;
use crate::forms::FormState;
use crate::i18n::t;
use crate::records::{ChatFiling, Decision, PendingItem, SignOff};

/// The choice data of an approval (`so:a:<id>`) and of a return (`so:r:<id>`).
fn data(action: char, id: i64) -> String {
    format!("so:{action}:{id}")
}

/// A confirmed item put before the leaders instead of filed; the officer is told, the leaders
/// get a notice.
pub async fn submit(turn: &Turn, filing: &ChatFiling, done: &FormState) -> Handled {
    // As for an item filed at once (see `submit::store`): found by its key, it is this input
    // handled again after a crash, and is told as it was not then.
    let (id, _created) = turn
        .desk
        .submit_for_sign_off(filing, turn.chat, turn.now)
        .await?;
    dialogue::save(turn, done);
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        turn.say_key("bot.no_unit", &[]);
        return Ok(());
    };
    let officer = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let number = id.to_string();
    let title = filing.item.title.trim();
    let text = |l| {
        t(
            l,
            "bot.sign_off.notice",
            &[("officer", officer), ("number", &number), ("title", title)],
        )
    };
    let told = tell_unit(
        turn,
        unit,
        &[Role::Leader],
        &format!("sign_off:{id}"),
        &text,
    )
    .await?;
    tracing::info!(pending = id, told, "an item was put before its leaders");
    let key = if told == 0 {
        "bot.sign_off.no_leader"
    } else {
        "bot.sign_off.sent"
    };
    turn.say_key(key, &[("number", &number), ("title", title)]);
    Ok(())
}

/// The leader's unit, or none (and the person told) when they are not a leader in charge.
fn leader_unit(turn: &Turn) -> Option<i64> {
    match &turn.person {
        Some(p) if p.role == Role::Leader => p.unit_id,
        _ => {
            turn.say_key("bot.sign_off.leaders_only", &[]);
            None
        }
    }
}

/// `/pending`: what awaits this leader, each with its text and the two choices.
pub async fn pending(turn: &Turn) -> Handled {
    let Some(unit) = leader_unit(turn) else {
        return Ok(());
    };
    let items = turn.desk.pending_for_unit(unit).await?;
    if items.is_empty() {
        turn.say_key("bot.sign_off.none", &[]);
        return Ok(());
    }
    turn.say_key("bot.sign_off.title", &[("count", &items.len().to_string())]);
    for item in &items {
        let number = item.id.to_string();
        let head = turn.t(
            "bot.sign_off.item",
            &[
                ("number", &number),
                ("title", &item.filing.item.title),
                ("officer", &item.officer_name),
                ("created", &turn.local(item.created_at)),
            ],
        );
        let body = item.filing.item.body.clone().unwrap_or_default();
        let choices = vec![
            Choice {
                label: turn.t("bot.sign_off.approve_button", &[("number", &number)]),
                data: data('a', item.id),
            },
            Choice {
                label: turn.t("bot.sign_off.return_button", &[("number", &number)]),
                data: data('r', item.id),
            },
        ];
        turn.say_with(&format!("{head}\n{body}"), vec![choices]);
    }
    Ok(())
}

/// A sign-off choice (`a:<id>` or `r:<id>` after the `so:` prefix).
pub async fn press(turn: &Turn, rest: &str) -> Handled {
    let parsed = rest
        .split_once(':')
        .and_then(|(action, id)| Some((action, id.parse::<i64>().ok()?)));
    let Some((action, id)) = parsed else {
        turn.say_key("form.stale_button", &[]);
        return Ok(());
    };
    if leader_unit(turn).is_none() {
        return Ok(());
    }
    match action {
        "a" => approve(turn, id).await,
        "r" => ask_remark(turn, id).await,
        _ => {
            turn.say_key("form.stale_button", &[]);
            Ok(())
        }
    }
}

/// The item `id` when it awaits this leader; otherwise the leader is told why not.
async fn awaiting(turn: &Turn, id: i64) -> Result<Option<PendingItem>, DeskError> {
    let unit = turn.person.as_ref().and_then(|p| p.unit_id);
    match turn.desk.pending_item(id).await? {
        Some(item) if Some(item.unit_id) == unit && item.decision.is_none() => Ok(Some(item)),
        Some(item) if Some(item.unit_id) == unit => {
            already(turn, id);
            Ok(None)
        }
        _ => {
            not_yours(turn, id);
            Ok(None)
        }
    }
}

fn already(turn: &Turn, id: i64) {
    turn.say_key("bot.sign_off.already", &[("number", &id.to_string())]);
}

fn not_yours(turn: &Turn, id: i64) {
    tracing::info!(
        user = turn.sender,
        pending = id,
        "a sign-off not this person's was refused"
    );
    turn.say_key("bot.sign_off.not_yours", &[("number", &id.to_string())]);
}

/// The approve choice: the item is filed with this leader as its signer; the officer is told.
async fn approve(turn: &Turn, id: i64) -> Handled {
    let leader = turn.person.as_ref().map_or(0, |p| p.id);
    let outcome = turn
        .desk
        .approve_pending(id, leader, &turn.recorder(), turn.now)
        .await;
    // Approved before: this may be the same press handled again after a crash, whose notice
    // was never committed; the notice's key makes it once only either way.
    let (item, fresh) = match outcome {
        Ok(SignOff::AlreadyDecided(item)) => (item, false),
        other => match decided(turn, id, other)? {
            Some(item) => (item, true),
            None => return Ok(()),
        },
    };
    let Some(Decision::Approved { item: number }) = item.decision else {
        already(turn, id);
        return Ok(());
    };
    let leader_name = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let (title, draft, number) = (
        item.filing.item.title.as_str(),
        id.to_string(),
        number.to_string(),
    );
    let text = |l| {
        t(
            l,
            "bot.notice.signed_off",
            &[
                ("title", title),
                ("leader", leader_name),
                ("number", &number),
            ],
        )
    };
    tell_address(turn, item.chat_id, &format!("signed_off:{id}"), &text).await?;
    if !fresh {
        already(turn, id);
        return Ok(());
    }
    tracing::info!(pending = id, item = %number, "an item was signed off and filed");
    turn.say_key(
        "bot.sign_off.approved",
        &[("number", &draft), ("title", title), ("item", &number)],
    );
    Ok(())
}

/// The return choice: the leader is asked for the remark, with the command to send.
async fn ask_remark(turn: &Turn, id: i64) -> Handled {
    let Some(item) = awaiting(turn, id).await? else {
        return Ok(());
    };
    turn.say_key(
        "bot.sign_off.ask_remark",
        &[
            ("number", &id.to_string()),
            ("title", &item.filing.item.title),
        ],
    );
    Ok(())
}

/// `/return_draft <n> <remark>`: the item goes back to its officer with the remark, unfiled.
pub async fn return_draft(turn: &Turn, c: &Command) -> Handled {
    if leader_unit(turn).is_none() {
        return Ok(());
    }
    let (words, remark) = c.split(1);
    let id = words
        .first()
        .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok());
    let (Some(id), false) = (id, remark.is_empty()) else {
        turn.say_key("bot.usage.return_draft", &[]);
        return Ok(());
    };
    let leader = turn.person.as_ref().map_or(0, |p| p.id);
    let outcome = turn.desk.return_pending(id, leader, remark, turn.now).await;
    // Returned before: maybe this very command handled again after a crash, whose notice was
    // never committed; the notice's key makes it once only either way (as for `approve`).
    let (item, fresh) = match outcome {
        Ok(SignOff::AlreadyDecided(item))
            if matches!(item.decision, Some(Decision::Returned { .. })) =>
        {
            (item, false)
        }
        other => match decided(turn, id, other)? {
            Some(item) => (item, true),
            None => return Ok(()),
        },
    };
    let remark = match &item.decision {
        Some(Decision::Returned { remark }) => remark.clone(),
        _ => remark.to_string(),
    };
    let remark = remark.as_str();
    let leader_name = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let title = item.filing.item.title.as_str();
    let text = |l| {
        t(
            l,
            "bot.notice.sign_off_returned",
            &[
                ("title", title),
                ("leader", leader_name),
                ("remark", remark),
            ],
        )
    };
    tell_address(
        turn,
        item.chat_id,
        &format!("sign_off_returned:{id}"),
        &text,
    )
    .await?;
    if !fresh {
        already(turn, id);
        return Ok(());
    }
    turn.say_key(
        "bot.sign_off.returned",
        &[
            ("number", &id.to_string()),
            ("title", title),
            ("officer", &item.officer_name),
        ],
    );
    Ok(())
}

/// The item a decision was recorded on now; otherwise none, and the leader told why nothing
/// changed.
fn decided(
    turn: &Turn,
    id: i64,
    outcome: Result<SignOff, DeskError>,
) -> Result<Option<PendingItem>, DeskError> {
    match outcome {
        Ok(SignOff::Decided(item)) => Ok(Some(item)),
        Ok(SignOff::AlreadyDecided(_)) => {
            already(turn, id);
            Ok(None)
        }
        Ok(SignOff::NotAllowed) | Err(DeskError::NotFound { .. }) => {
            not_yours(turn, id);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
