//! `/commission <unit> <date> <subject>` (office): asks a unit for an item (约稿); its
//! officers are told, and the scheduler plans the deadline's reminders.

use super::Handled;
use super::command::Command;
use super::notices::tell_unit;
use super::shown::{too_long, usage};
use super::turn::Turn;
use crate::domain::Role;
use crate::i18n::{describe_problem, t};

/// Most characters of a commission's subject.
pub const SUBJECT_LIMIT: usize = 200;

pub async fn commission(turn: &Turn, c: &Command) -> Handled {
    let (words, subject) = c.split(2);
    let (Some(code), Some(due)) = (words.first(), words.get(1)) else {
        return usage(turn, "commission");
    };
    let due = match crate::domain::parse_date(due, turn.today()) {
        Ok(due) => due,
        Err(problem) => {
            turn.say(&describe_problem(turn.locale, &problem));
            return Ok(());
        }
    };
    if subject.is_empty() {
        return usage(turn, "commission");
    }
    if let Some(refusal) = too_long(turn, subject, SUBJECT_LIMIT) {
        turn.say(&refusal);
        return Ok(());
    }
    let Some(unit) = turn.desk.unit_by_code(code).await? else {
        turn.say_key("error.unknown_unit", &[("code", code)]);
        return Ok(());
    };
    let id = turn
        .desk
        .commission(&unit.code, subject, due, &turn.source, &turn.recorder())
        .await?;
    // Its deadline reminders are the scheduler's to plan.
    turn.plans_changed();
    let due = due.to_string();
    let text = |l| {
        t(
            l,
            "bot.notice.commissioned",
            &[("subject", subject), ("due", &due)],
        )
    };
    let key = format!("commissioned:{id}");
    let told = tell_unit(turn, unit.id, &[Role::Officer], &key, &text).await?;
    turn.say_key(
        "bot.commission.done",
        &[
            ("id", &id.to_string()),
            ("unit", &unit.name),
            ("due", &due),
            ("told", &told.to_string()),
        ],
    );
    Ok(())
}
