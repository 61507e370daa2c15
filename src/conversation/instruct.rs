//! `/instruct <n> <level> [date]` (office): a leader's instruction on an item (批示), shown whole
//! with the points it adds to confirm first, and recorded only on the confirm press; an item
//! already instructed at that level is said (when, by whom) so a second is never made by a
//! slip. Once recorded, the item's officer is told.

use super::command::Command;
use super::dialogue::{self, Confirmed};
use super::notices::tell_officers;
use super::shown::item_number;
use super::standing::event_points;
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::{InstructionLevel, ItemId, Listing};
use crate::forms::instruction::{SECOND_OF, instruction_form, new_instruction, seconds_of};
use crate::forms::{FormKind, Value, Values};
use crate::i18n::{Locale, describe_problem, t};
use crate::records::{Earlier, ItemSummary, NewInstruction, Problem};
use crate::scoring::Source;

/// A level typed as its code, its Chinese name or its number in the list the usage shows.
fn instruction_level(text: &str) -> Option<InstructionLevel> {
    InstructionLevel::read(text, Listing::Numbered).ok()
}

/// The usage with the levels numbered, as they can be typed.
fn usage(turn: &Turn) -> Handled {
    let levels: Vec<String> = InstructionLevel::ALL
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{}. {}",
                i + 1,
                turn.t(&format!("instruction_level.{}", l.code()), &[])
            )
        })
        .collect();
    let usage = turn.t("bot.usage.instruct", &[]);
    turn.say(&format!("{usage}\n{}", levels.join("\n")));
    Ok(())
}

fn level_name(locale: Locale, level: InstructionLevel) -> String {
    t(locale, &format!("instruction_level.{}", level.code()), &[])
}

/// `/instruct`: reads the command, checks the item, then shows the instruction to confirm.
pub async fn instruct(turn: &Turn, c: &Command) -> Handled {
    let words = c.words();
    let parsed = match words.as_slice() {
        [n, level] => item_number(n)
            .zip(instruction_level(level))
            .map(|(n, l)| (n, l, turn.today())),
        [n, level, date] => {
            // A date typed wrong is told as such (with what to write), not as the usage.
            let on = match crate::domain::parse_date(date, turn.today()) {
                Ok(on) => on,
                Err(problem) => {
                    turn.say(&describe_problem(turn.locale, &problem));
                    return Ok(());
                }
            };
            item_number(n)
                .zip(instruction_level(level))
                .map(|(n, l)| (n, l, on))
        }
        _ => None,
    };
    let Some((id, level, on)) = parsed else {
        return usage(turn);
    };
    if on > turn.today() {
        let problem = Problem::InFuture {
            value: on.to_string(),
        };
        turn.say(&describe_problem(turn.locale, &problem));
        return Ok(());
    }
    let Some(item) = turn.desk.item(id).await?.filter(|i| !i.retracted) else {
        turn.say_key("error.unknown_item", &[("reference", &format!("#{id}"))]);
        return Ok(());
    };
    if dialogue::open(turn)
        .await?
        .is_some_and(|d| d.form == FormKind::Item)
    {
        return dialogue::open_first(turn);
    }
    let earlier = turn.desk.instructions_like(id, level).await?;
    let values = Values::new()
        .with("instructed_item", Value::Text(id.to_string()))
        .with("instruction_level", Value::Choice(level.code().to_string()))
        .with("instructed_on", Value::Date(on));
    show(turn, values, &item, level, &earlier).await
}

/// Shows the instruction to confirm: what it is about and adds, and the instructions it would
/// repeat, which the confirmation then covers.
async fn show(
    turn: &Turn,
    values: Values,
    item: &ItemSummary,
    level: InstructionLevel,
    earlier: &[Earlier],
) -> Handled {
    let points = turn.rules.instruction_points(level).to_string();
    let mut before = vec![turn.t(
        "bot.instruct.about",
        &[
            ("number", &item.id.to_string()),
            ("title", &item.title),
            ("unit", &item.unit_name),
            ("level", &level_name(turn.locale, level)),
            ("points", &points),
        ],
    )];
    for e in earlier {
        let by = turn.recorder_name(&e.recorded_by).await?;
        before.push(turn.t(
            "bot.instruct.earlier",
            &[
                ("id", &e.id.to_string()),
                ("level", &level_name(turn.locale, level)),
                ("date", &e.on.to_string()),
                ("by", &by),
            ],
        ));
    }
    let values = if earlier.is_empty() {
        values
    } else {
        before.push(turn.t("bot.instruct.second", &[]));
        let ids: Vec<String> = earlier.iter().map(|e| e.id.to_string()).collect();
        values.with(SECOND_OF, Value::Text(ids.join(",")))
    };
    dialogue::start(turn, &instruction_form(), values, &before);
    Ok(())
}

/// The item a confirmed instruction is about, if it is still there to instruct.
async fn item_of(
    turn: &Turn,
    instruction: &NewInstruction,
) -> Result<Option<ItemSummary>, DeskError> {
    let id: Option<ItemId> = match &instruction.item {
        crate::records::ItemTarget::Number(n) => Some(*n),
        _ => None,
    };
    Ok(match id {
        Some(id) => turn.desk.item(id).await?.filter(|i| !i.retracted),
        None => None,
    })
}

/// A confirmed instruction: asked again if one like it was recorded that the office was not
/// shown (the summary changed, or another member recorded it meanwhile); else recorded under
/// the confirmed form's key, the form closed, the officer told.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, .. } = confirmed;
    let instruction = match new_instruction(&values) {
        Ok(instruction) => instruction,
        Err(e) => return dialogue::unreadable(turn, "instruction", &e),
    };
    let Some(item) = item_of(turn, &instruction).await? else {
        let typed = values.text("instructed_item").unwrap_or_default();
        turn.clear_dialogue();
        turn.say_key("error.unknown_item", &[("reference", &typed)]);
        return Ok(());
    };
    let level = instruction.level;
    let earlier = turn.desk.instructions_like(item.id, level).await?;
    // The confirmed form, not the press, is the instruction: the same confirmation handled
    // again (a replay, a press after a failed attempt) finds the one the first stored. What it
    // was confirmed as a second of is part of it, so a second is never taken for the first.
    let key = format!(
        "chat:{}:{}:{}:{}:{}:{}",
        turn.chat,
        done.rev,
        item.id,
        level.code(),
        instruction.on,
        values.text(SECOND_OF).unwrap_or_default()
    );
    let shown = seconds_of(&values);
    // Its own record (this confirmation handled again after a crash) is not an earlier one.
    let unshown = |e: &Earlier| !shown.contains(&e.id) && e.key.as_deref() != Some(key.as_str());
    if earlier.iter().any(unshown) {
        turn.say_key("bot.second.not_yet", &[]);
        let mut values = values;
        values.remove(SECOND_OF);
        return show(turn, values, &item, level, &earlier).await;
    }
    let row = match turn
        .desk
        .instruct(&instruction, &key, &turn.recorder())
        .await
    {
        Ok(row) => row,
        Err(DeskError::NotFound { .. }) => {
            turn.clear_dialogue();
            turn.say_key(
                "error.unknown_item",
                &[("reference", &format!("#{}", item.id))],
            );
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    dialogue::save(turn, &done);
    let on = instruction.on;
    let is_it = |s: &Source| matches!(s, Source::Instruction { id: r, .. } if *r == row);
    let points = event_points(turn, on, &is_it)
        .await?
        .unwrap_or_else(|| turn.rules.instruction_points(level));
    turn.say_key(
        "bot.instruct.done",
        &[
            ("id", &row.to_string()),
            ("title", &item.title),
            ("level", &level_name(turn.locale, level)),
            ("points", &points.to_string()),
        ],
    );
    let notice = |l: Locale| {
        t(
            l,
            "bot.notice.instructed",
            &[
                ("title", &item.title),
                ("level", &level_name(l, level)),
                ("points", &points.to_string()),
            ],
        )
    };
    tell_officers(turn, &item, &format!("instructed:{row}"), &notice).await?;
    Ok(())
}
