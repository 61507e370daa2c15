//! Urgent reports, the office's side: the alert's choices (acknowledge, ask for a follow-up,
//! confirm a late flag: the `late` veto it makes is shown, then made on its own confirm), `/dismiss_late N <reason>`, `/urgent_list` of the
//! open events, newest first, with their delays and flags, and what the office does without
//! the unit: `/urgent_void` a report filed by mistake, `/urgent_phone` one made by telephone.

use chrono::Datelike;

use super::command::Command;
use super::notices::tell_unit;
use super::turn::{Choice, Turn};
use super::urgent::{event_number, facts_of, file_report, list_line, visible};
use super::{Handled, shown::usage};
use crate::domain::Role;
use crate::forms::check_datetime;
use crate::i18n::{Locale, late_veto_reason, t};
use crate::records::urgent::{LateDecision, LateFlag, NewUrgentReport};

/// `/urgent_list`: the open events of every unit, newest first.
pub async fn list(turn: &Turn) -> Handled {
    let open = turn.desk.open_urgent(None).await?;
    if open.is_empty() {
        turn.say_key("urgent.list.none", &[]);
        return Ok(());
    }
    let mut lines = vec![turn.t("urgent.list.title", &[("count", &open.len().to_string())])];
    lines.extend(open.iter().map(|e| list_line(turn, e)));
    turn.say(&lines.join("\n"));
    Ok(())
}

/// The acknowledge choice: the office member saw the alert (`/urgent_show` lists who did).
pub async fn acknowledge(turn: &Turn, event: i64) -> Handled {
    if visible(turn, event).await?.is_none() {
        return Ok(());
    }
    let person = turn.person.as_ref().map_or(0, |p| p.id);
    let first = turn
        .desk
        .acknowledge_urgent(event, person, turn.now)
        .await?;
    let key = if first {
        "urgent.acknowledged"
    } else {
        "urgent.acknowledged_before"
    };
    turn.say_key(key, &[("number", &event.to_string())]);
    Ok(())
}

/// The follow-up choice: the unit's officers are asked for a follow-up.
pub async fn ask_followup(turn: &Turn, event: i64) -> Handled {
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    let number = event.to_string();
    if !shown.is_open() {
        turn.say_key("urgent.closed_already", &[("number", &number)]);
        return Ok(());
    }
    let person = turn.person.as_ref().map_or(0, |p| p.id);
    turn.desk
        .ask_urgent_followup(&turn.source, event, person, turn.now)
        .await?;
    let text = |l: Locale| t(l, "urgent.notice.followup_asked", &[("number", &number)]);
    // Keyed by the press: the office may ask again later, and each request is told.
    let key = format!("urgent:{event}:asked:{}", turn.source);
    let told = tell_unit(turn, shown.unit, &[Role::Officer], &key, &text).await?;
    turn.say_key(
        "urgent.followup_asked",
        &[("number", &number), ("told", &told.to_string())],
    );
    Ok(())
}

/// The confirm-late choice: shows the veto confirming would make (the unit, kind 迟报, the
/// event's local day, the reason, and that the unit loses that year's awards) with the button
/// that makes it; nothing is recorded yet. A flag decided already is said as decided.
pub async fn preview_late(turn: &Turn, event: i64) -> Handled {
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    match shown.late {
        LateFlag::Flagged => {}
        LateFlag::Confirmed | LateFlag::Dismissed => {
            let decided = LateDecision::AlreadyDecided {
                flag: shown.late,
                by: shown.late_decided_by.clone(),
            };
            return say_decision(turn, event, decided, "urgent.late.confirmed_now").await;
        }
        LateFlag::None => return say_decision(turn, event, LateDecision::NotFlagged, "").await,
    }
    // A time corrected into the limit since the flag was raised makes no veto to show.
    if let Some(at) = shown.facts.event_at
        && !crate::records::urgent::is_late(&turn.rules.urgent, at, shown.reported_at)
    {
        return say_decision(turn, event, LateDecision::NoLongerLate, "").await;
    }
    // As the store will record it: dated the event's local day, with the delay and the limit.
    let event_at = shown.facts.event_at.unwrap_or(shown.reported_at);
    let day = event_at.with_timezone(&turn.rules.zone()).date_naive();
    let limit = i64::from(turn.rules.urgent.report_within_minutes);
    let delay = (shown.reported_at - event_at).num_minutes().max(0);
    let reason = late_veto_reason(turn.locale, event, delay, limit);
    let number = event.to_string();
    let text = turn.t(
        "urgent.late.preview",
        &[
            ("number", &number),
            ("unit", &shown.unit_name),
            ("kind", &turn.t("veto_kind.late", &[])),
            ("date", &day.to_string()),
            ("reason", &reason),
            ("year", &day.year().to_string()),
        ],
    );
    let confirm = Choice {
        label: turn.t("urgent.button.record_late_veto", &[]),
        data: format!("uv:{event}"),
    };
    turn.say_with(&text, vec![vec![confirm]]);
    Ok(())
}

/// The veto's confirm choice: the late flag becomes a `late` veto dated the event's day; the
/// unit is then not eligible for that year's awards. A second press, or the other office
/// member's, finds the flag decided and records nothing more.
pub async fn confirm_late(turn: &Turn, event: i64) -> Handled {
    if visible(turn, event).await?.is_none() {
        return Ok(());
    }
    let decided = turn
        .desk
        .confirm_late(event, &turn.source, &turn.recorder(), turn.now)
        .await?;
    say_decision(turn, event, decided, "urgent.late.confirmed_now").await
}

/// `/dismiss_late N <reason>`: the late flag is dismissed, with the reason; no veto.
pub async fn dismiss_late(turn: &Turn, c: &Command) -> Handled {
    let (words, reason) = c.split(1);
    let event = words
        .first()
        .and_then(|w| w.trim_start_matches('#').parse::<i64>().ok());
    let (Some(event), false) = (event, reason.is_empty()) else {
        return usage(turn, "dismiss_late");
    };
    let Some(reason) = checked_reason(turn, reason) else {
        return Ok(());
    };
    let reason = reason.as_str();
    if visible(turn, event).await?.is_none() {
        return Ok(());
    }
    let decided = turn
        .desk
        .dismiss_late(event, reason, &turn.recorder(), turn.now)
        .await?;
    say_decision(turn, event, decided, "urgent.late.dismissed_now").await
}

/// Most characters of the office's reason for a decision on an urgent report.
const REASON_LIMIT: usize = 200;

/// A reason as the office typed it, or refused (and said why) as any line is: a control
/// character or an overlong text goes into no notice.
pub fn checked_reason(turn: &Turn, reason: &str) -> Option<String> {
    match crate::domain::check_line(reason, REASON_LIMIT) {
        Ok(reason) => Some(reason),
        Err(problem) => {
            turn.say(&crate::i18n::describe_problem(turn.locale, &problem));
            None
        }
    }
}

async fn say_decision(turn: &Turn, event: i64, decided: LateDecision, done: &str) -> Handled {
    let number = event.to_string();
    match decided {
        LateDecision::Decided { veto } => {
            let veto = veto.map(|v| v.to_string()).unwrap_or_default();
            turn.say_key(done, &[("number", &number), ("veto", &veto)]);
        }
        LateDecision::AlreadyDecided { flag, by } => {
            let state = turn.t(&format!("urgent.late.{}", flag.code()), &[]);
            let by = match by {
                Some(by) => turn.recorder_name(&by).await?,
                None => String::new(),
            };
            turn.say_key(
                "urgent.late.decided_before",
                &[("number", &number), ("state", &state), ("by", &by)],
            );
        }
        LateDecision::NoLongerLate => {
            turn.say_key("urgent.late.no_longer_late", &[("number", &number)]);
        }
        LateDecision::NotFlagged => {
            turn.say_key("urgent.late.not_flagged", &[("number", &number)]);
        }
    }
    Ok(())
}

/// `/urgent_void N <reason>`: a report filed by mistake (误报, a test) is voided: no more
/// reminders, no lateness, kept in the history; the unit is told.
pub async fn void(turn: &Turn, c: &Command) -> Handled {
    let (words, reason) = c.split(1);
    let event = words.first().and_then(|w| event_number(w));
    let (Some(event), false) = (event, reason.trim().is_empty()) else {
        return usage(turn, "urgent_void");
    };
    let Some(reason) = checked_reason(turn, reason) else {
        return Ok(());
    };
    let reason = reason.as_str();
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    let number = event.to_string();
    let voided = turn
        .desk
        .void_urgent(event, reason, &turn.recorder(), turn.now)
        .await?;
    if !voided {
        turn.say_key("urgent.void.before", &[("number", &number)]);
        return Ok(());
    }
    let text = |l: Locale| {
        t(
            l,
            "urgent.notice.voided",
            &[
                ("number", &number),
                ("unit", &shown.unit_name),
                ("reason", reason),
            ],
        )
    };
    let roles = [Role::Officer, Role::Leader, Role::Head];
    tell_unit(
        turn,
        shown.unit,
        &roles,
        &format!("urgent:{event}:voided"),
        &text,
    )
    .await?;
    turn.say_key(
        "urgent.void.done",
        &[("number", &number), ("reason", reason)],
    );
    Ok(())
}

/// `/urgent_phone <unit code> <time of the call> <what happened>`: a report that first came by
/// telephone (电话先报), recorded by the office for the unit with the call's time as its report
/// time, the office alerted as for any report, and the unit's officers asked to supply the
/// facts with `/urgent_fix`.
pub async fn phone(turn: &Turn, c: &Command) -> Handled {
    // The call's time is one word (14:05) or a date and a time (2026-05-11 14:05).
    let (words, rest) = c.split(3);
    let zone = turn.rules.zone();
    let (code, time, text) = match words[..] {
        // Only a written date and time, so a report's first words are never read as a clock.
        [code, day, clock]
            if crate::domain::parse_event_time(&format!("{day} {clock}"), turn.now, zone)
                .is_ok() =>
        {
            (code, format!("{day} {clock}"), rest.to_string())
        }
        [code, time, first] => (code, time.to_string(), format!("{first} {rest}")),
        _ => return usage(turn, "urgent_phone"),
    };
    let (text, _) = crate::domain::strip_controls(&text);
    if text.trim().is_empty() {
        return usage(turn, "urgent_phone");
    }
    let Some(unit) = turn.desk.unit_by_code(code).await? else {
        turn.say_key("urgent.phone.unknown_unit", &[("code", code)]);
        return Ok(());
    };
    let called_at = match check_datetime(&time, turn.now, zone) {
        Ok(at) => at,
        Err(problem) => {
            turn.say(&crate::i18n::describe_problem(turn.locale, &problem));
            return Ok(());
        }
    };
    let text: String = text
        .trim()
        .chars()
        .take(turn.rules.filing.body_hard_limit)
        .collect();
    let found = crate::forms::extract::extract(&text, called_at, zone);
    let report = NewUrgentReport {
        key: turn.source.clone(),
        unit: unit.id,
        reported_by: None,
        text,
        reported_at: called_at,
        facts: facts_of(&found),
        by_phone: true,
        recorded_by: Some(turn.recorder().0),
    };
    let office_name = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let (reported, _) = file_report(turn, &report, &unit.name, office_name).await?;
    let number = reported.id.to_string();
    let at = turn.local(called_at);
    let notice = |l: Locale| {
        t(
            l,
            "urgent.notice.phoned",
            &[("number", &number), ("unit", &unit.name), ("at", &at)],
        )
    };
    let key = format!("urgent:{}:phoned", reported.id);
    let told = tell_unit(turn, unit.id, &[Role::Officer], &key, &notice).await?;
    turn.say_key(
        "urgent.phone.done",
        &[
            ("number", &number),
            ("unit", &unit.name),
            ("at", &at),
            ("told", &told.to_string()),
        ],
    );
    Ok(())
}
