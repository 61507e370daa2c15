//! `/bulletin [quarter] [again]`: the office issues a quarter's bulletin (通报) early, sends it
//! to whoever has not had it, or, with `again`, sends it to everyone again; it is told how many
//! heads and office members it went to.

use super::Handled;
use super::command::Command;
use super::desk::BulletinAnswer;
use super::shown::usage;
use super::turn::Turn;
use crate::period::{Period, Quarter};

/// The words that ask for a forced re-send.
const AGAIN: &[&str] = &["again", "force", "重发", "再发"];

/// The quarter and whether to force, from the command's words; None when they are not that.
fn parse(words: &[&str], default: Quarter) -> Option<(Quarter, bool)> {
    let (mut quarter, mut force) = (None, false);
    for word in words {
        if AGAIN.iter().any(|a| a.eq_ignore_ascii_case(word)) {
            force = true;
        } else if quarter.is_none() {
            match word.parse() {
                Ok(Period::Quarter(q)) => quarter = Some(q),
                _ => return None,
            }
        } else {
            return None;
        }
    }
    Some((quarter.unwrap_or(default), force))
}

/// `/bulletin`: the quarter just ended unless one is named.
pub async fn command(turn: &Turn, c: &Command) -> Handled {
    let Some((quarter, force)) = parse(&c.words(), turn.quarter().previous()) else {
        return usage(turn, "bulletin");
    };
    // Keyed by the message: handling it again after a crash sends nothing more.
    let answer = turn
        .desk
        .issue_bulletin(
            quarter,
            force,
            &turn.source,
            &turn.recorder(),
            turn.now,
            turn.locale,
        )
        .await?;
    match answer {
        BulletinAnswer::Issued {
            described,
            sent_before,
        } => {
            let mut lines = vec![described];
            if sent_before {
                let code = quarter.to_string();
                lines.push(turn.t("bulletin.bot.force_hint", &[("code", &code)]));
            }
            turn.say(&lines.join("\n"));
        }
        BulletinAnswer::NotEnded(q) => {
            let label = q.label(turn.locale);
            turn.say_key("bulletin.not_ended", &[("quarter", &label)]);
        }
        BulletinAnswer::TooOld(q) => {
            let label = q.label(turn.locale);
            turn.say_key("bulletin.too_old", &[("quarter", &label)]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q4: Quarter = Quarter {
        year: 2025,
        number: 4,
    };

    #[test]
    fn the_quarter_and_again_are_read_in_any_order_and_nothing_else_is_taken() {
        let q1 = Quarter {
            year: 2026,
            number: 1,
        };
        assert_eq!(parse(&[], Q4), Some((Q4, false)));
        assert_eq!(parse(&["2026Q1"], Q4), Some((q1, false)));
        assert_eq!(parse(&["重发", "2026q1"], Q4), Some((q1, true)));
        assert_eq!(parse(&["again"], Q4), Some((Q4, true)));
        assert_eq!(parse(&["2026H1"], Q4), None);
        assert_eq!(parse(&["2026Q1", "2026Q2"], Q4), None);
        assert_eq!(parse(&["please"], Q4), None);
    }
}
