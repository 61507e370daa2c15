//! Recording a veto in chat (`/veto`, office only): what will be recorded is shown whole and
//! recorded only when confirmed, since a veto costs a unit its year's awards (§5(1)9); then the
//! unit's head and leader in charge are told through the outbox.

use chrono::Datelike;

use crate::domain::{Role, VetoKind};
use crate::forms::veto::{new_veto, veto_form};
use crate::forms::{FormState, Step, Value, Values};
use crate::i18n::{Locale, t};
use crate::store::StoreError;

use super::BotError;
use super::command::Command;
use super::dialogue;
use super::turn::Turn;

/// `/veto <unit> <kind> <reason>`: checks the unit, then shows the veto to confirm.
pub async fn start(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let (words, reason) = c.split(2);
    let (Some(code), Some(kind)) = (
        words.first(),
        words.get(1).and_then(|k| VetoKind::parse(k).ok()),
    ) else {
        return usage(turn).await;
    };
    if reason.is_empty() {
        return usage(turn).await;
    }
    let Some(unit) = turn.app.store.unit_by_code(code).await? else {
        return turn.say_key("error.unknown_unit", &[("code", code)]).await;
    };
    if let Some(draft) = dialogue::open(turn).await? {
        if draft.form == crate::forms::FormKind::Item {
            return turn.say_key("bot.form.open_first", &[]).await;
        }
    }
    let values = Values::new()
        .with("unit", Value::Text(unit.code.clone()))
        .with("veto_kind", Value::Choice(kind.code().to_string()))
        .with("vetoed_on", Value::Date(turn.today()))
        .with("reason", Value::Text(reason.to_string()));
    let outcome = FormState::start(&veto_form(), values, &turn.ctx());
    dialogue::save(turn, &outcome.state).await?;
    let warning = vec![turn.t(
        "bot.veto.confirm",
        &[
            ("unit", &unit.name),
            ("year", &turn.today().year().to_string()),
        ],
    )];
    for (i, reply) in outcome.replies.iter().enumerate() {
        turn.form_reply(if i == 0 { &warning } else { &[] }, reply)
            .await?;
    }
    Ok(())
}

async fn usage(turn: &Turn) -> Result<(), BotError> {
    let kinds: Vec<String> = VetoKind::ALL
        .iter()
        .map(|k| {
            turn.t(
                "bot.veto.kind_line",
                &[
                    ("code", k.code()),
                    ("kind", &turn.t(&format!("veto_kind.{}", k.code()), &[])),
                ],
            )
        })
        .collect();
    let usage = turn.t("bot.usage.veto", &[]);
    turn.say(&format!("{usage}\n{}", kinds.join("\n"))).await
}

/// A confirmed veto: recorded, the form closed, the unit's head and leader in charge told.
pub async fn store(turn: &Turn, done: &FormState, values: &Values) -> Result<(), BotError> {
    if !turn.is_office() {
        return turn.say_key("bot.office_only", &[]).await;
    }
    let veto = match new_veto(values) {
        Ok(veto) => veto,
        Err(e) => {
            tracing::error!(chat = turn.chat.0, error = %e, "a confirmed veto form lacks an answer");
            return turn.say_key("error.internal", &[]).await;
        }
    };
    let store = &turn.app.store;
    let Some(unit) = store.unit_by_code(&veto.unit_code).await? else {
        // The code was changed at the summary to one no unit has: back to the summary.
        let mut back = done.clone();
        back.step = Step::Summary;
        dialogue::save(turn, &back).await?;
        return turn
            .say_key("error.unknown_unit", &[("code", &veto.unit_code)])
            .await;
    };
    // The confirmed form, not the button press, is the veto: a press after a failed attempt
    // (a new press of the same summary) finds the veto the first one stored.
    let key = format!(
        "chat:{}:{}:{}:{}:{}",
        turn.chat.0,
        done.rev,
        veto.unit_code.to_lowercase(),
        veto.kind.code(),
        veto.on
    );
    let id = match store
        .add_veto_keyed(&veto, Some(&key), &turn.recorder())
        .await
    {
        Ok(id) => id,
        Err(StoreError::NotFound { key, .. }) => {
            return turn.say_key("error.unknown_unit", &[("code", &key)]).await;
        }
        Err(e) => return Err(e.into()),
    };
    dialogue::save(turn, done).await?;
    let kind = |l: Locale| t(l, &format!("veto_kind.{}", veto.kind.code()), &[]);
    let mut told = 0;
    for role in [Role::Head, Role::Leader] {
        for person in store.people_of_unit(unit.id, Some(role)).await? {
            let locale = Locale::or_default(person.locale.as_deref());
            let text = t(
                locale,
                "bot.notice.vetoed",
                &[
                    ("unit", &unit.name),
                    ("kind", &kind(locale)),
                    ("date", &veto.on.to_string()),
                    ("reason", &veto.reason),
                    ("year", &veto.on.year().to_string()),
                ],
            );
            let key = format!("vetoed:{id}:{}", person.telegram_id);
            if turn.notify(&key, person.telegram_id, &text).await? {
                told += 1;
            }
        }
    }
    tracing::info!(veto = id, told, "a veto was recorded in chat");
    turn.say_key(
        "bot.veto.done",
        &[
            ("id", &id.to_string()),
            ("unit", &unit.name),
            ("kind", &kind(turn.locale)),
            ("told", &told.to_string()),
        ],
    )
    .await
}
