//! Sign-off (签发) in chat, where the rules ask for it: a confirmed item goes to the unit's
//! leaders in charge (told through the outbox), who see it with `/pending` and approve it with a
//! button (it is then filed, the leader its signer) or return it with `/return_draft` and a
//! remark. The officer is told of each step. Every decision is checked in the store: only a
//! leader of the item's unit decides, and only once.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::Role;
use crate::i18n::{Locale, t};
use crate::store::{ChatFiling, PendingItem, SignOff};

use super::BotError;
use super::command::Command;
use super::dialogue;
use super::turn::Turn;
use crate::forms::FormState;

/// The button data of an approval (`so:a:<id>`) and of a return (`so:r:<id>`).
fn data(action: char, id: i64) -> String {
    format!("so:{action}:{id}")
}

/// A confirmed item put before the leaders instead of filed; the officer is told, the leaders
/// get a notice through the outbox.
pub async fn submit(turn: &Turn, filing: &ChatFiling, done: &FormState) -> Result<(), BotError> {
    let store = &turn.app.store;
    // As for an item filed at once (see `submit::store`): found by its key, it is this update
    // handled again after a crash, and is told as it was not then.
    let (id, _created) = store
        .submit_for_sign_off(filing, turn.chat.0, None, turn.now)
        .await?;
    dialogue::save(turn, done).await?;
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        return turn.say_key("bot.no_unit", &[]).await;
    };
    let officer = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let number = id.to_string();
    let title = filing.item.title.trim();
    let mut told = 0;
    for leader in store.people_of_unit(unit, Some(Role::Leader)).await? {
        let locale = Locale::or_default(leader.locale.as_deref());
        let text = t(
            locale,
            "bot.sign_off.notice",
            &[("officer", officer), ("number", &number), ("title", title)],
        );
        let key = format!("sign_off:{id}:{}", leader.telegram_id);
        if turn.notify(&key, leader.telegram_id, &text).await? {
            told += 1;
        }
    }
    tracing::info!(pending = id, told, "an item was put before its leaders");
    let key = if told == 0 {
        "bot.sign_off.no_leader"
    } else {
        "bot.sign_off.sent"
    };
    turn.say_key(key, &[("number", &number), ("title", title)])
        .await
}

/// The leader's unit, or none (and the person told) when they are not a leader in charge.
async fn leader_unit(turn: &Turn) -> Result<Option<i64>, BotError> {
    match &turn.person {
        Some(p) if p.role == Role::Leader => Ok(p.unit_id),
        _ => {
            turn.say_key("bot.sign_off.leaders_only", &[]).await?;
            Ok(None)
        }
    }
}

/// `/pending`: what awaits this leader, each with its text and the two buttons.
pub async fn pending(turn: &Turn) -> Result<(), BotError> {
    let Some(unit) = leader_unit(turn).await? else {
        return Ok(());
    };
    let items = turn.app.store.pending_for_unit(unit).await?;
    if items.is_empty() {
        return turn.say_key("bot.sign_off.none", &[]).await;
    }
    turn.say_key("bot.sign_off.title", &[("count", &items.len().to_string())])
        .await?;
    for item in &items {
        let number = item.id.to_string();
        let created = item
            .created_at
            .with_timezone(&turn.app.rules.zone())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let head = turn.t(
            "bot.sign_off.item",
            &[
                ("number", &number),
                ("title", &item.filing.item.title),
                ("officer", &item.officer_name),
                ("created", &created),
            ],
        );
        let body = item.filing.item.body.clone().unwrap_or_default();
        let buttons = vec![
            InlineKeyboardButton::callback(
                turn.t("bot.sign_off.approve_button", &[("number", &number)]),
                data('a', item.id),
            ),
            InlineKeyboardButton::callback(
                turn.t("bot.sign_off.return_button", &[("number", &number)]),
                data('r', item.id),
            ),
        ];
        turn.say_with(
            &format!("{head}\n{body}"),
            InlineKeyboardMarkup::new(vec![buttons]),
        )
        .await?;
    }
    Ok(())
}

/// A sign-off button (`a:<id>` or `r:<id>` after the `so:` prefix).
pub async fn press(turn: &Turn, rest: &str) -> Result<(), BotError> {
    let parsed = rest
        .split_once(':')
        .and_then(|(action, id)| Some((action, id.parse::<i64>().ok()?)));
    let Some((action, id)) = parsed else {
        return turn.say_key("form.stale_button", &[]).await;
    };
    if leader_unit(turn).await?.is_none() {
        return Ok(());
    }
    match action {
        "a" => approve(turn, id).await,
        "r" => ask_remark(turn, id).await,
        _ => turn.say_key("form.stale_button", &[]).await,
    }
}

/// The item `id` when it awaits this leader; otherwise the leader is told why not.
async fn awaiting(turn: &Turn, id: i64) -> Result<Option<PendingItem>, BotError> {
    let unit = turn.person.as_ref().and_then(|p| p.unit_id);
    match turn.app.store.pending_item(id).await? {
        Some(item) if Some(item.unit_id) == unit && item.decision.is_none() => Ok(Some(item)),
        Some(item) if Some(item.unit_id) == unit => {
            already(turn, id).await?;
            Ok(None)
        }
        _ => {
            not_yours(turn, id).await?;
            Ok(None)
        }
    }
}

async fn already(turn: &Turn, id: i64) -> Result<(), BotError> {
    turn.say_key("bot.sign_off.already", &[("number", &id.to_string())])
        .await
}

async fn not_yours(turn: &Turn, id: i64) -> Result<(), BotError> {
    tracing::info!(
        user = turn.telegram_id,
        pending = id,
        "a sign-off not this person's was refused"
    );
    turn.say_key("bot.sign_off.not_yours", &[("number", &id.to_string())])
        .await
}

/// The approve button: the item is filed with this leader as its signer; the officer is told.
async fn approve(turn: &Turn, id: i64) -> Result<(), BotError> {
    let leader = turn.person.as_ref().map_or(0, |p| p.id);
    let outcome = turn
        .app
        .store
        .approve_pending(id, leader, &turn.recorder(), turn.now)
        .await;
    // Approved before: this may be the same press handled again after a crash, whose notice
    // was never committed; the notice's key makes it once only either way.
    let (item, fresh) = match outcome {
        Ok(SignOff::AlreadyDecided(item)) => (item, false),
        other => match decided(turn, id, other).await? {
            Some(item) => (item, true),
            None => return Ok(()),
        },
    };
    let Some(crate::store::Decision::Approved { item: number }) = item.decision else {
        return already(turn, id).await;
    };
    let leader_name = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let (title, draft, number) = (
        item.filing.item.title.as_str(),
        id.to_string(),
        number.to_string(),
    );
    tell_officer(turn, &item, &format!("signed_off:{id}"), &|l| {
        t(
            l,
            "bot.notice.signed_off",
            &[
                ("title", title),
                ("leader", leader_name),
                ("number", &number),
            ],
        )
    })
    .await?;
    if !fresh {
        return already(turn, id).await;
    }
    tracing::info!(pending = id, item = %number, "an item was signed off and filed");
    turn.say_key(
        "bot.sign_off.approved",
        &[("number", &draft), ("title", title), ("item", &number)],
    )
    .await
}

/// The return button: the leader is asked for the remark, with the command to send.
async fn ask_remark(turn: &Turn, id: i64) -> Result<(), BotError> {
    let Some(item) = awaiting(turn, id).await? else {
        return Ok(());
    };
    turn.say_key(
        "bot.sign_off.ask_remark",
        &[
            ("number", &id.to_string()),
            ("title", &item.filing.item.title),
        ],
    )
    .await
}

/// `/return_draft <n> <remark>`: the item goes back to its officer with the remark, unfiled.
pub async fn return_draft(turn: &Turn, c: &Command) -> Result<(), BotError> {
    if leader_unit(turn).await?.is_none() {
        return Ok(());
    }
    let (words, remark) = c.split(1);
    let id = words
        .first()
        .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok());
    let (Some(id), false) = (id, remark.is_empty()) else {
        return turn.say_key("bot.usage.return_draft", &[]).await;
    };
    let leader = turn.person.as_ref().map_or(0, |p| p.id);
    let outcome = turn
        .app
        .store
        .return_pending(id, leader, remark, turn.now)
        .await;
    // Returned before: maybe this very command handled again after a crash, whose notice was
    // never committed; the notice's key makes it once only either way (as for `approve`).
    let (item, fresh) = match outcome {
        Ok(SignOff::AlreadyDecided(item))
            if matches!(item.decision, Some(crate::store::Decision::Returned { .. })) =>
        {
            (item, false)
        }
        other => match decided(turn, id, other).await? {
            Some(item) => (item, true),
            None => return Ok(()),
        },
    };
    let remark = match &item.decision {
        Some(crate::store::Decision::Returned { remark }) => remark.clone(),
        _ => remark.to_string(),
    };
    let remark = remark.as_str();
    let leader_name = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let title = item.filing.item.title.as_str();
    tell_officer(turn, &item, &format!("sign_off_returned:{id}"), &|l| {
        t(
            l,
            "bot.notice.sign_off_returned",
            &[
                ("title", title),
                ("leader", leader_name),
                ("remark", remark),
            ],
        )
    })
    .await?;
    if !fresh {
        return already(turn, id).await;
    }
    turn.say_key(
        "bot.sign_off.returned",
        &[
            ("number", &id.to_string()),
            ("title", title),
            ("officer", &item.officer_name),
        ],
    )
    .await
}

/// The item a decision was recorded on now; otherwise none, and the leader told why nothing
/// changed.
async fn decided(
    turn: &Turn,
    id: i64,
    outcome: Result<SignOff, crate::store::StoreError>,
) -> Result<Option<PendingItem>, BotError> {
    match outcome {
        Ok(SignOff::Decided(item)) => Ok(Some(item)),
        Ok(SignOff::AlreadyDecided(_)) => {
            already(turn, id).await?;
            Ok(None)
        }
        Ok(SignOff::NotAllowed) | Err(crate::store::StoreError::NotFound { .. }) => {
            not_yours(turn, id).await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Queues a notice for the officer who confirmed the item, in their chat and language.
async fn tell_officer(
    turn: &Turn,
    item: &PendingItem,
    key: &str,
    text: &(dyn Fn(Locale) -> String + Sync),
) -> Result<(), BotError> {
    let store = &turn.app.store;
    let locale = store
        .person_by_telegram(item.chat_id)
        .await?
        .map_or(Locale::ZhCn, |p| Locale::or_default(p.locale.as_deref()));
    let key = format!("{key}:{}", item.chat_id);
    turn.notify(&key, item.chat_id, &text(locale)).await?;
    Ok(())
}
