//! `/commission <unit> <date> <subject>` (office): asks a unit for an item (约稿), shown whole to
//! confirm first and recorded only on the confirm press; a deadline already past is refused,
//! and a commission to the same unit on the same subject is said (when, by whom) so a second is
//! never made by a slip. Once recorded, its officers are told, and the scheduler plans the
//! deadline's reminders.

use super::command::Command;
use super::dialogue::{self, Confirmed};
use super::notices::tell_unit;
use super::shown::{too_long, usage};
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::Role;
use crate::forms::commission::{SUBJECT_LIMIT, commission_form, new_commission};
use crate::forms::instruction::{SECOND_OF, seconds_of};
use crate::forms::{FormKind, Value, Values, check_deadline};
use crate::i18n::{describe_problem, t};
use crate::records::Earlier;
use crate::scoring::Unit;

/// `/commission`: reads the command, checks the deadline and the unit, then shows the
/// commission to confirm.
pub async fn commission(turn: &Turn, c: &Command) -> Handled {
    let (words, subject) = c.split(2);
    let (Some(code), Some(due)) = (words.first(), words.get(1)) else {
        return usage(turn, "commission");
    };
    let due = match crate::domain::parse_date(due, turn.today())
        .and_then(|due| check_deadline(due, turn.today()))
    {
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
    if dialogue::open(turn)
        .await?
        .is_some_and(|d| d.form == FormKind::Item)
    {
        return dialogue::open_first(turn);
    }
    let earlier = turn.desk.commissions_like(unit.id, subject).await?;
    let values = Values::new()
        .with("unit", Value::Text(unit.code.clone()))
        .with("due_on", Value::Date(due))
        .with("subject", Value::Text(subject.trim().to_string()));
    show(turn, values, &unit, &earlier).await
}

/// Shows the commission to confirm: to whom it goes, and the commissions it would repeat,
/// which the confirmation then covers.
async fn show(turn: &Turn, values: Values, unit: &Unit, earlier: &[Earlier]) -> Handled {
    let mut before = vec![turn.t(
        "bot.commission.about",
        &[("unit", &unit.name), ("code", &unit.code)],
    )];
    for e in earlier {
        let by = turn.recorder_name(&e.recorded_by).await?;
        before.push(turn.t(
            "bot.commission.earlier",
            &[
                ("id", &e.id.to_string()),
                ("unit", &unit.name),
                ("at", &turn.local(e.recorded_at)),
                ("by", &by),
                ("due", &e.on.to_string()),
            ],
        ));
    }
    let values = if earlier.is_empty() {
        values
    } else {
        before.push(turn.t("bot.commission.second", &[]));
        let ids: Vec<String> = earlier.iter().map(|e| e.id.to_string()).collect();
        values.with(SECOND_OF, Value::Text(ids.join(",")))
    };
    dialogue::start(turn, &commission_form(), values, &before);
    Ok(())
}

/// A confirmed commission: refused if its deadline has passed since, asked again if one like
/// it was recorded that the office was not shown; else recorded under the confirmed form's
/// key, the form closed, the unit's officers told.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, .. } = confirmed;
    let commission = match new_commission(&values) {
        Ok(commission) => commission,
        Err(e) => return dialogue::unreadable(turn, "commission", &e),
    };
    let Some(unit) = turn.desk.unit_by_code(&commission.unit_code).await? else {
        // The code was changed at the summary to one no unit has: shown again to correct.
        turn.say_key("error.unknown_unit", &[("code", &commission.unit_code)]);
        let mut values = values;
        values.remove("unit");
        dialogue::start(turn, &commission_form(), values, &[]);
        return Ok(());
    };
    if let Err(problem) = check_deadline(commission.due, turn.today()) {
        // A draft kept past its deadline: the deadline is asked again.
        turn.say(&describe_problem(turn.locale, &problem));
        let mut values = values;
        values.remove("due_on");
        dialogue::start(turn, &commission_form(), values, &[]);
        return Ok(());
    }
    let earlier = turn
        .desk
        .commissions_like(unit.id, &commission.subject)
        .await?;
    // The confirmed form, not the press, is the commission (see `instruct::store`).
    let key = format!(
        "chat:{}:{}:{}:{}:{}:{}",
        turn.chat,
        done.rev,
        unit.code.to_lowercase(),
        commission.due,
        values.text(SECOND_OF).unwrap_or_default(),
        commission.subject
    );
    let shown = seconds_of(&values);
    // Its own record (this confirmation handled again after a crash) is not an earlier one.
    let unshown = |e: &Earlier| !shown.contains(&e.id) && e.key.as_deref() != Some(key.as_str());
    if earlier.iter().any(unshown) {
        turn.say_key("bot.second.not_yet", &[]);
        let mut values = values;
        values.remove(SECOND_OF);
        return show(turn, values, &unit, &earlier).await;
    }
    let id = match turn
        .desk
        .commission(
            &unit.code,
            &commission.subject,
            commission.due,
            &key,
            &turn.recorder(),
        )
        .await
    {
        Ok(id) => id,
        Err(DeskError::NotFound { key, .. }) => {
            turn.clear_dialogue();
            turn.say_key("error.unknown_unit", &[("code", &key)]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    dialogue::save(turn, &done);
    // Its deadline reminders are the scheduler's to plan.
    turn.plans_changed();
    let due = commission.due.to_string();
    let subject = commission.subject.as_str();
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
