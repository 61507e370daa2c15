//! Recording a veto (`/veto`, office only): what will be recorded is shown whole and recorded
//! only when confirmed, since a veto costs a unit its year's awards (§5(1)9); then the unit's
//! head and leader in charge are told.

use chrono::Datelike;

use super::command::Command;
use super::dialogue::{self, Confirmed};
use super::notices::tell_unit;
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::{Role, VetoKind};
use crate::forms::veto::{new_veto, veto_form};
use crate::forms::{FormKind, Step, Value, Values};
use crate::i18n::{Locale, t};

/// `/veto <unit> <kind> <reason>`: checks the unit, then shows the veto to confirm.
pub async fn start(turn: &Turn, c: &Command) -> Handled {
    let (words, reason) = c.split(2);
    let (Some(code), Some(kind)) = (
        words.first(),
        words.get(1).and_then(|k| VetoKind::parse(k).ok()),
    ) else {
        return usage(turn);
    };
    if reason.is_empty() {
        return usage(turn);
    }
    let Some(unit) = turn.desk.unit_by_code(code).await? else {
        turn.say_key("error.unknown_unit", &[("code", code)]);
        return Ok(());
    };
    if let Some(draft) = dialogue::open(turn).await?
        && draft.form == FormKind::Item
    {
        return dialogue::open_first(turn);
    }
    let values = Values::new()
        .with("unit", Value::Text(unit.code.clone()))
        .with("veto_kind", Value::Choice(kind.code().to_string()))
        .with("vetoed_on", Value::Date(turn.today()))
        .with("reason", Value::Text(reason.to_string()));
    let warning = turn.t(
        "bot.veto.confirm",
        &[
            ("unit", &unit.name),
            ("year", &turn.today().year().to_string()),
        ],
    );
    dialogue::start(turn, &veto_form(), values, &[warning]);
    Ok(())
}

fn usage(turn: &Turn) -> Handled {
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
    turn.say(&format!("{usage}\n{}", kinds.join("\n")));
    Ok(())
}

/// A confirmed veto: recorded, the form closed, the unit's head and leader in charge told.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, .. } = confirmed;
    let veto = match new_veto(&values) {
        Ok(veto) => veto,
        Err(e) => return dialogue::unreadable(turn, "veto", &e),
    };
    let Some(unit) = turn.desk.unit_by_code(&veto.unit_code).await? else {
        // The code was changed at the summary to one no unit has: back to the summary.
        let mut back = done.clone();
        back.step = Step::Summary;
        dialogue::save(turn, &back);
        turn.say_key("error.unknown_unit", &[("code", &veto.unit_code)]);
        return Ok(());
    };
    // The confirmed form, not the press, is the veto: a press after a failed attempt (a new
    // press of the same summary) finds the veto the first one stored.
    let key = format!(
        "chat:{}:{}:{}:{}:{}",
        turn.chat,
        done.rev,
        veto.unit_code.to_lowercase(),
        veto.kind.code(),
        veto.on
    );
    let id = match turn.desk.veto(&veto, &key, &turn.recorder()).await {
        Ok(id) => id,
        Err(DeskError::NotFound { key, .. }) => {
            turn.say_key("error.unknown_unit", &[("code", &key)]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    dialogue::save(turn, &done);
    let kind = |l: Locale| t(l, &format!("veto_kind.{}", veto.kind.code()), &[]);
    let text = |l: Locale| {
        t(
            l,
            "bot.notice.vetoed",
            &[
                ("unit", &unit.name),
                ("kind", &kind(l)),
                ("date", &veto.on.to_string()),
                ("reason", &veto.reason),
                ("year", &veto.on.year().to_string()),
            ],
        )
    };
    let roles = [Role::Head, Role::Leader];
    let told = tell_unit(turn, unit.id, &roles, &format!("vetoed:{id}"), &text).await?;
    tracing::info!(veto = id, told, "a veto was recorded in chat");
    turn.say_key(
        "bot.veto.done",
        &[
            ("id", &id.to_string()),
            ("unit", &unit.name),
            ("kind", &kind(turn.locale)),
            ("told", &told.to_string()),
        ],
    );
    Ok(())
}
