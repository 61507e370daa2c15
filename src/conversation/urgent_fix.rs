//! `/urgent_fix N`: the unit's members take up the questions of an open event's missing facts
//! again (after /cancel, or for a report the office recorded from a telephone call); and
//! `/urgent_fix N 要素 新内容 [理由：…]` corrects one fact, by the unit while the event is open,
//! by the office at any time (recorded as the office's correction; the event time of a flagged
//! report only with a reason). Each value is checked by the facts form's own field.

use super::dialogue;
use super::turn::Turn;
use super::urgent::{event_number, understood, values_of, visible};
use super::urgent_facts::{change, fact_value, late_raised, tell_supplied};
use super::{Handled, shown::usage};
use crate::forms::urgent::facts_form;
use crate::forms::{Input, validate};
use crate::records::urgent::UrgentEvent;
use crate::records::urgent_change::{FactName, Origin, Refusal};

/// A fact as an officer names it, in Chinese or English.
pub fn fact_named(name: &str) -> Option<FactName> {
    let name = name.trim().trim_end_matches(['：', ':']).to_lowercase();
    Some(match name.as_str() {
        "时间" | "事件时间" | "发生时间" | "time" | "event_time" => FactName::EventTime,
        "地点" | "地方" | "place" => FactName::Place,
        "人数" | "涉及人数" | "people" => FactName::People,
        "起因" | "原因" | "cause" => FactName::Cause,
        "措施" | "已采取措施" | "measures" => FactName::Measures,
        "处置情况" | "处置" | "情况" | "status" => FactName::Status,
        _ => return None,
    })
}

/// The value and the reason of a correction: `15:10 理由：电话核实`.
fn value_and_reason(text: &str) -> (String, Option<String>) {
    for mark in ["理由：", "理由:", "reason:", "Reason:"] {
        if let Some((value, reason)) = text.split_once(mark) {
            let reason = reason.trim();
            return (
                value.trim().to_string(),
                (!reason.is_empty()).then(|| reason.to_string()),
            );
        }
    }
    (text.trim().to_string(), None)
}

/// `/urgent_fix N [要素 新内容]`.
pub async fn fix(turn: &Turn, args: &str) -> Handled {
    let args = args.trim();
    let (first, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let Some(number) = event_number(first) else {
        return usage(turn, "urgent_fix");
    };
    let Some(event) = visible(turn, number).await? else {
        return Ok(());
    };
    let of_unit = turn.person.as_ref().and_then(|p| p.unit_id) == Some(event.unit);
    if rest.trim().is_empty() {
        if !of_unit {
            return usage(turn, "urgent_fix");
        }
        return ask_missing(turn, &event).await;
    }
    let rest = rest.trim();
    // `地点 西岗区…` or `地点：西岗区…`.
    let (name, value) = rest
        .split_once(|c: char| c.is_whitespace() || c == '：' || c == ':')
        .unwrap_or((rest, ""));
    let Some(fact) = fact_named(name) else {
        turn.say_key("urgent.fix.unknown_fact", &[("name", name)]);
        return Ok(());
    };
    let (value, reason) = value_and_reason(value);
    let reason = match reason {
        Some(reason) => match super::urgent_office::checked_reason(turn, &reason) {
            Some(reason) => Some(reason),
            None => return Ok(()),
        },
        None => None,
    };
    let def = facts_form(&turn.rules.filing);
    let Some(spec) = def.field(fact.code()) else {
        return Ok(());
    };
    let accepted = match validate(spec, &Input::Text(value), &turn.ctx()) {
        Ok(accepted) => accepted,
        Err(problem) => {
            turn.say(&crate::i18n::describe_problem(turn.locale, &problem));
            return Ok(());
        }
    };
    let Some(given) = fact_value(fact, &accepted.value) else {
        return usage(turn, "urgent_fix");
    };
    let origin = if turn.is_office() {
        Origin::Office
    } else {
        Origin::Answer
    };
    let mut change = change(turn, number, fact, given, origin);
    change.reason = reason;
    let n = number.to_string();
    match turn.desk.record_urgent_fact(&change).await? {
        Err(Refusal::Closed) => turn.say_key("urgent.fix.office_only", &[("number", &n)]),
        Err(refusal) => turn.say_key(refusal.key(), &[("number", &n)]),
        Ok(taken) => {
            let label = turn.t(&format!("field.label.{}", fact.code()), &[]);
            let shown = match accepted.value {
                crate::forms::Value::DateTime(at) => turn.local(at),
                crate::forms::Value::Text(text) => text,
                other => format!("{other:?}"),
            };
            turn.say_key(
                "urgent.fix.stored",
                &[("number", &n), ("label", &label), ("value", &shown)],
            );
            if taken.raised_flag {
                late_raised(turn, number).await?;
            } else if !turn.is_office()
                && let Some(now) = turn.desk.urgent_event(number).await?
            {
                tell_supplied(turn, &now.event, &[fact]).await?;
            }
        }
    }
    Ok(())
}

/// The questions of an event's missing facts, taken up again by a member of its unit.
async fn ask_missing(turn: &Turn, event: &UrgentEvent) -> Handled {
    let n = event.id.to_string();
    if event.voided_at.is_some() {
        turn.say_key(Refusal::Voided.key(), &[("number", &n)]);
        return Ok(());
    }
    if event.closed_at.is_some() {
        turn.say_key("urgent.fix.office_only", &[("number", &n)]);
        return Ok(());
    }
    if dialogue::open(turn).await?.is_some() {
        return dialogue::open_first(turn);
    }
    let lines = understood(turn, &event.facts);
    let def = facts_form(&turn.rules.filing);
    dialogue::start(turn, &def, values_of(&event.facts, event.id), &lines);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_named_as_officers_name_them_in_either_language() {
        assert_eq!(fact_named("时间"), Some(FactName::EventTime));
        assert_eq!(fact_named("地点："), Some(FactName::Place));
        assert_eq!(fact_named("Status"), Some(FactName::Status));
        assert_eq!(fact_named("处置情况"), Some(FactName::Status));
        assert_eq!(fact_named("天气"), None);
    }

    #[test]
    fn a_reason_follows_the_value_after_its_mark() {
        assert_eq!(
            value_and_reason("15:10 理由：电话核实"),
            ("15:10".to_string(), Some("电话核实".to_string()))
        );
        assert_eq!(value_and_reason("厂门口"), ("厂门口".to_string(), None));
        assert_eq!(
            value_and_reason("15:10 理由："),
            ("15:10".to_string(), None)
        );
    }
}
