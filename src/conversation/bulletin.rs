//! `/bulletin [quarter] [again]`: the office sees a quarter's bulletin whole before it is
//! issued — the ranking, the criticism, the number it would get, how many heads it would
//! reach — and issues it with the 确认印发 button (a quarter with no filing: 仍要印发); a second
//! press, or the press handled again, issues nothing more. With `again`, an issued bulletin is
//! sent to everyone again. A unit's head gets the latest bulletin issued, to read.

use super::Handled;
use super::command::Command;
use super::desk::BulletinAnswer;
use super::said::Choice;
use super::shown::usage;
use super::turn::Turn;
use crate::domain::Role;
use crate::i18n::{Locale, t};
use crate::period::{Period, Quarter};

/// The words that ask for a forced re-send.
const AGAIN: &[&str] = &["again", "force", "重发", "再发"];

/// What the confirm button's data starts with: `bu:<quarter>`, or `bu:<quarter>:e` to issue a
/// quarter with no filing.
pub const CONFIRM_PREFIX: &str = "bu";

/// The button under a preview: 确认印发, or for a quarter with no filing 仍要印发.
pub fn confirm_choice(locale: Locale, quarter: Quarter, empty: bool) -> Choice {
    let (label, data) = if empty {
        (
            "bulletin.button.issue_empty",
            format!("{CONFIRM_PREFIX}:{quarter}:e"),
        )
    } else {
        (
            "bulletin.button.issue",
            format!("{CONFIRM_PREFIX}:{quarter}"),
        )
    };
    Choice {
        label: t(locale, label, &[]),
        data,
    }
}

/// The quarter and whether a quarter with no filing may be issued, from a button's data after
/// `bu:`; None when it is not that.
fn parse_confirm(rest: &str) -> Option<(Quarter, bool)> {
    let (code, empty) = match rest.split_once(':') {
        Some((code, "e")) => (code, true),
        Some(_) => return None,
        None => (rest, false),
    };
    match code.parse() {
        Ok(Period::Quarter(q)) => Some((q, empty)),
        _ => None,
    }
}

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

/// `/bulletin`: for the office, the preview of the quarter just ended (or the one named), or
/// with `again` an issued one sent again; for a unit's head, the latest bulletin issued.
pub async fn command(turn: &Turn, c: &Command) -> Handled {
    let role = turn.person.as_ref().map(|p| p.role);
    if role == Some(Role::Head) {
        return latest(turn).await;
    }
    if !turn.is_office() {
        turn.say_key("bulletin.bot.heads_only", &[]);
        return Ok(());
    }
    let Some((quarter, force)) = parse(&c.words(), turn.quarter().previous()) else {
        return usage(turn, "bulletin");
    };
    let preview = turn
        .desk
        .preview_bulletin(quarter, turn.now, turn.locale)
        .await?;
    match preview {
        BulletinAnswer::IssuedBefore { .. } if force => issue(turn, quarter, true, false).await,
        BulletinAnswer::IssuedBefore { number, at } => {
            let code = quarter.to_string();
            let lines = [
                turn.t(
                    "bulletin.bot.issued_before",
                    &[("number", &number), ("at", &at)],
                ),
                turn.t("bulletin.bot.force_hint", &[("code", &code)]),
            ];
            turn.say(&lines.join("\n"));
            Ok(())
        }
        BulletinAnswer::Preview { text, empty } => {
            let choice = confirm_choice(turn.locale, quarter, empty);
            turn.say_with(&text, vec![vec![choice]]);
            Ok(())
        }
        other => {
            refusal(turn, other);
            Ok(())
        }
    }
}

/// The 确认印发 (or 仍要印发) button: issues the quarter's bulletin once; a press after it was
/// issued says so and sends nothing more.
pub async fn confirm(turn: &Turn, rest: &str) -> Handled {
    let Some((quarter, allow_empty)) = parse_confirm(rest) else {
        turn.say_key("form.stale_button", &[]);
        return Ok(());
    };
    issue(turn, quarter, false, allow_empty).await
}

/// Issues (or, `force`, sends again) and says what was done.
async fn issue(turn: &Turn, quarter: Quarter, force: bool, allow_empty: bool) -> Handled {
    // Keyed by the message or press: handling it again after a crash sends nothing more; an
    // issued quarter is never issued twice, whoever presses.
    let answer = turn
        .desk
        .issue_bulletin(
            quarter,
            force,
            allow_empty,
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
        other => refusal(turn, other),
    }
    Ok(())
}

/// A head's `/bulletin`: the latest bulletin issued, or that none was.
async fn latest(turn: &Turn) -> Handled {
    let unit = turn.person.as_ref().and_then(|p| p.unit_id);
    match turn.desk.latest_bulletin(unit, turn.locale).await? {
        Some(text) => turn.say(&text),
        None => turn.say_key("bulletin.bot.none_issued", &[]),
    }
    Ok(())
}

/// Why nothing was previewed or issued.
fn refusal(turn: &Turn, answer: BulletinAnswer) {
    let (key, q) = match answer {
        BulletinAnswer::NotEnded(q) => ("bulletin.not_ended", q),
        BulletinAnswer::TooOld(q) => ("bulletin.too_old", q),
        BulletinAnswer::NoFiling(q) => ("bulletin.no_filing", q),
        _ => return,
    };
    let label = q.label(turn.locale);
    turn.say_key(key, &[("quarter", &label)]);
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

    #[test]
    fn a_confirm_button_names_its_quarter_and_whether_an_empty_one_may_be_issued() {
        let choice = confirm_choice(Locale::ZhCn, Q4, false);
        assert_eq!(choice.label, "确认印发");
        assert_eq!(choice.data, "bu:2025Q4");
        let empty = confirm_choice(Locale::ZhCn, Q4, true);
        assert_eq!(empty.data, "bu:2025Q4:e");
        assert_eq!(parse_confirm("2025Q4"), Some((Q4, false)));
        assert_eq!(parse_confirm("2025Q4:e"), Some((Q4, true)));
        assert_eq!(parse_confirm("2025Q4:x"), None);
        assert_eq!(parse_confirm("2025H1"), None);
    }
}
