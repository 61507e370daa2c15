//! `/instruct <n> <level> [date]` (office): a leader's instruction on an item (批示), with the
//! points it adds as the scoring engine counts them; the item's officer is told.

use super::command::Command;
use super::notices::tell_officers;
use super::shown::item_number;
use super::standing::event_points;
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::{InstructionLevel, Listing};
use crate::i18n::{Locale, describe_problem, t};
use crate::points::Points;
use crate::records::{ItemTarget, NewInstruction, Problem};
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
    let instruction = NewInstruction {
        item: ItemTarget::Number(id),
        level,
        on,
    };
    let row = match turn
        .desk
        .instruct(&instruction, &turn.source, &turn.recorder())
        .await
    {
        Ok(row) => row,
        Err(DeskError::NotFound { .. }) => {
            turn.say_key("error.unknown_item", &[("reference", &format!("#{id}"))]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let is_it = |s: &Source| matches!(s, Source::Instruction { id: r, .. } if *r == row);
    let points = event_points(turn, on, &is_it).await?.unwrap_or_else(|| {
        turn.rules
            .instruction
            .get(&level)
            .copied()
            .unwrap_or(Points::ZERO)
    });
    let item = turn.desk.item(id).await?;
    let title = item.as_ref().map_or_else(String::new, |i| i.title.clone());
    let level_name = |l: Locale| t(l, &format!("instruction_level.{}", level.code()), &[]);
    turn.say_key(
        "bot.instruct.done",
        &[
            ("id", &row.to_string()),
            ("title", &title),
            ("level", &level_name(turn.locale)),
            ("points", &points.to_string()),
        ],
    );
    if let Some(item) = item {
        let notice = |l: Locale| {
            t(
                l,
                "bot.notice.instructed",
                &[
                    ("title", &item.title),
                    ("level", &level_name(l)),
                    ("points", &points.to_string()),
                ],
            )
        };
        tell_officers(turn, &item, &format!("instructed:{row}"), &notice).await?;
    }
    Ok(())
}
