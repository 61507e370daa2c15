//! Points as the one scoring engine counts them, for what a conversation tells: what one
//! recorded event adds, and where a unit stands this quarter after filing.

use chrono::NaiveDate;

use super::DeskError;
use super::turn::Turn;
use crate::domain::UnitId;
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::scoring::{self, Source};

/// What one recorded event adds in the quarter of its date, as the scoring engine counts it.
pub async fn event_points(
    turn: &Turn,
    on: NaiveDate,
    is_it: &(dyn Fn(&Source) -> bool + Sync),
) -> Result<Option<Points>, DeskError> {
    let period = Period::Quarter(Quarter::of(on));
    let ledger = turn.desk.ledger(period, turn.rules.zone()).await?;
    let board = scoring::score(&turn.rules, &ledger, period);
    Ok(board
        .units
        .values()
        .flat_map(|s| &s.lines)
        .find(|l| is_it(&l.source))
        .map(|l| l.points))
}

/// Where the unit stands this quarter: filings, points, and how far the ordinary filings are
/// from the quarter's cap; nothing when the unit has no score yet.
pub async fn quarter_standing(turn: &Turn, unit: UnitId) -> Result<Option<String>, DeskError> {
    let quarter = turn.quarter();
    let period = Period::Quarter(quarter);
    let rules = &turn.rules;
    let ledger = turn.desk.ledger(period, rules.zone()).await?;
    let board = scoring::score(rules, &ledger, period);
    let Some(result) = board.get(unit) else {
        return Ok(None);
    };
    let ordinary: Points = result
        .lines
        .iter()
        .filter(|l| l.unit == unit)
        .filter_map(|l| match &l.source {
            Source::Filings {
                quarter: q,
                ordinary_points,
                ..
            } if *q == quarter => Some(*ordinary_points),
            _ => None,
        })
        .fold(Points::ZERO, |a, b| a + b);
    let cap = rules.filing.quarter_cap;
    let left = if ordinary >= cap {
        Points::ZERO
    } else {
        cap - ordinary
    };
    let key = if left == Points::ZERO {
        "bot.submit.standing_capped"
    } else {
        "bot.submit.standing"
    };
    Ok(Some(turn.t(
        key,
        &[
            ("quarter", &quarter.label(turn.locale)),
            ("filed", &result.tally.filed.to_string()),
            ("points", &result.total.to_string()),
            ("cap", &cap.to_string()),
            ("left", &left.to_string()),
        ],
    )))
}
