//! An urgent report's facts as they are answered (RULES.md: every fact stored the moment it is
//! given): each answer to the facts form is stored before the next question, so /cancel, a
//! crash or a closed chat loses nothing; an event time that makes the report late raises the
//! flag and alerts the office at once; the office is told what was supplied ("补充：处置情况")
//! when the questions end, and nothing when nothing changed.

use super::dialogue;
use super::turn::{Notice, Turn};
use super::urgent_text::{Alerted, alert, alert_choices, delay_minutes};
use super::{DeskError, Handled};
use crate::forms::urgent::EVENT;
use crate::forms::{Effect, Event, FormDef, FormState, Value, people_of, step};
use crate::i18n::{Locale, t};
use crate::records::urgent::{LateFlag, PeopleInvolved, UrgentEvent};
use crate::records::urgent_change::{FactChange, FactName, FactValue, Origin, Refusal};

/// The hidden value under which the facts form keeps the facts stored but not yet told to the
/// office, as their names joined by `,`.
pub const UNSAID: &str = "unsaid";

/// The event a facts form is about.
pub fn event_of(state: &FormState) -> Option<i64> {
    match state.values.get(EVENT) {
        Some(Value::Int(n)) => Some(i64::from(*n)),
        _ => None,
    }
}

/// A form's answer as a fact; `None` for a field that is no fact, or a count that cannot be read.
pub fn fact_value(fact: FactName, value: &Value) -> Option<FactValue> {
    match (fact, value) {
        (FactName::EventTime, Value::DateTime(at)) => Some(FactValue::Time(*at)),
        (FactName::People, Value::Text(words)) => people_of(words).map(|p| {
            FactValue::People(PeopleInvolved {
                count: p.count,
                upper: p.upper,
                qualifier: p.qualifier,
                words: words.clone(),
            })
        }),
        (FactName::EventTime | FactName::People, _) => None,
        (_, Value::Text(text)) => Some(FactValue::Text(text.clone())),
        _ => None,
    }
}

/// A fact given by this turn's person, keyed by the input it came in.
pub fn change(
    turn: &Turn,
    event: i64,
    fact: FactName,
    value: FactValue,
    origin: Origin,
) -> FactChange {
    FactChange {
        key: format!("{}:{}", turn.source, fact.code()),
        event,
        fact,
        value,
        origin,
        by_person: turn.person.as_ref().map(|p| p.id),
        by: None,
        at: turn.sent_at,
        reason: None,
    }
}

fn unsaid(state: &FormState) -> Vec<FactName> {
    match state.values.get(UNSAID) {
        Some(Value::Text(names)) => names.split(',').filter_map(FactName::parse).collect(),
        _ => Vec::new(),
    }
}

fn set_unsaid(state: &mut FormState, facts: &[FactName]) {
    let mut facts = facts.to_vec();
    facts.sort();
    facts.dedup();
    let names: Vec<&str> = facts.iter().map(|f| f.code()).collect();
    let value = (!names.is_empty()).then(|| Value::Text(names.join(",")));
    state.values.set(UNSAID, value);
}

/// The event of a facts form if this person may still answer for it: of their unit (the
/// office answers none: it corrects with `/urgent_fix`), open and not voided. Otherwise the
/// questions end, and the person is told why.
async fn answerable(
    turn: &Turn,
    number: i64,
    state: &FormState,
) -> Result<Option<UrgentEvent>, DeskError> {
    let found = turn.desk.urgent_event(number).await?.map(|d| d.event);
    let unit = turn.person.as_ref().and_then(|p| p.unit_id);
    let n = number.to_string();
    let refusal = match &found {
        None => Some(("urgent.unknown", &n)),
        Some(e) if Some(e.unit) != unit => Some(("urgent.unit_changed", &n)),
        Some(e) if e.voided_at.is_some() => Some((Refusal::Voided.key(), &n)),
        Some(e) if e.closed_at.is_some() => Some((Refusal::Closed.key(), &n)),
        Some(_) => None,
    };
    if let Some((key, n)) = refusal {
        tracing::info!(
            chat = turn.chat,
            event = number,
            key,
            "urgent facts form ended"
        );
        // What was stored before the form ended still reaches the office.
        if let Some(event) = &found {
            tell_supplied(turn, event, &unsaid(state)).await?;
        }
        turn.clear_dialogue();
        turn.say_key(key, &[("number", n)]);
        return Ok(None);
    }
    Ok(found)
}

/// One input to an urgent report's facts form: each answer stored as it is given.
pub async fn advance(turn: &Turn, def: &FormDef, state: FormState, event: Event) -> Handled {
    let Some(number) = event_of(&state) else {
        return dialogue::unreadable(turn, "urgent facts", &"no event number");
    };
    let Some(stored) = answerable(turn, number, &state).await? else {
        return Ok(());
    };
    if event == Event::Cancel {
        let told = unsaid(&state);
        turn.clear_dialogue();
        turn.say_key("urgent.facts_stopped", &[("number", &number.to_string())]);
        return tell_supplied(turn, &stored, &told).await;
    }
    let before = state.clone();
    let outcome = step(def, state, event, &turn.ctx());
    let mut after = outcome.state.clone();
    let mut supplied = unsaid(&before);
    let mut raised = false;
    for fact in FactName::ALL {
        let (old, new) = (
            before.values.get(fact.code()),
            after.values.get(fact.code()),
        );
        let Some(value) = new.filter(|v| Some(*v) != old) else {
            continue;
        };
        let Some(value) = fact_value(fact, value) else {
            continue;
        };
        let change = change(turn, number, fact, value, Origin::Answer);
        match turn.desk.record_urgent_fact(&change).await? {
            Ok(taken) => {
                raised |= taken.raised_flag;
                supplied.push(fact);
            }
            Err(refusal) => {
                // Not taken: the form stays as it was, and asks again; what was taken before
                // in this step is kept to be told.
                if raised {
                    late_raised(turn, number).await?;
                    supplied.retain(|f| *f != FactName::EventTime);
                }
                turn.say_key(refusal.key(), &[("number", &number.to_string())]);
                let mut again = step(def, before, Event::Resume, &turn.ctx());
                set_unsaid(&mut again.state, &supplied);
                dialogue::save(turn, &again.state);
                dialogue::say(turn, &[], &again.replies);
                return Ok(());
            }
        }
    }
    if raised {
        late_raised(turn, number).await?;
        supplied.retain(|f| *f != FactName::EventTime);
    }
    let finished = matches!(outcome.effect, Some(Effect::Store(_) | Effect::Discard));
    let at_summary = after.step == crate::forms::Step::Summary;
    if finished || at_summary {
        // The questions are over (or every fact is answered): the office hears what was
        // supplied once, not after every answer.
        if let Some(current) = turn.desk.urgent_event(number).await?.map(|d| d.event) {
            tell_supplied(turn, &current, &supplied).await?;
        }
        supplied.clear();
    }
    set_unsaid(&mut after, &supplied);
    if finished {
        turn.clear_dialogue();
        turn.say_key("urgent.facts_done", &[("number", &number.to_string())]);
        return Ok(());
    }
    dialogue::save(turn, &after);
    dialogue::say(turn, &[], &outcome.replies);
    Ok(())
}

/// Tells the office what a facts form stored and has not told yet, before the form is
/// replaced or ended; nothing for any other form.
pub async fn flush(turn: &Turn, state: &FormState) -> Handled {
    let facts = unsaid(state);
    let Some(number) = event_of(state).filter(|_| !facts.is_empty()) else {
        return Ok(());
    };
    match turn.desk.urgent_event(number).await? {
        Some(detail) => tell_supplied(turn, &detail.event, &facts).await,
        None => Ok(()),
    }
}

/// Tells every office member what was supplied to an event, with its current values; nothing
/// when nothing was.
pub async fn tell_supplied(turn: &Turn, event: &UrgentEvent, supplied: &[FactName]) -> Handled {
    let mut facts = supplied.to_vec();
    facts.sort();
    facts.dedup();
    if facts.is_empty() {
        return Ok(());
    }
    let zone = turn.rules.zone();
    let names: String = facts.iter().map(|f| f.code()).collect::<Vec<_>>().join("-");
    let office = turn.desk.office_people().await?;
    for member in &office {
        let locale = Locale::or_default(member.locale.as_deref());
        let labels: Vec<String> = facts
            .iter()
            .map(|f| t(locale, &format!("field.label.{}", f.code()), &[]))
            .collect();
        let sep = t(locale, "bot.mine.separator", &[]);
        let mut lines = vec![t(
            locale,
            "urgent.alert.supplied",
            &[
                ("number", &event.id.to_string()),
                ("unit", &event.unit_name),
                ("facts", &labels.join(&sep)),
            ],
        )];
        let all = super::urgent_text::facts_lines(locale, zone, &event.facts);
        for fact in &facts {
            if let Some(line) = FactName::ALL
                .iter()
                .position(|f| f == fact)
                .and_then(|i| all.get(i))
            {
                lines.push(line.clone());
            }
        }
        turn.notify_with(Notice {
            key: format!(
                "urgent:{}:supplied:{}:{names}:{}",
                event.id, turn.source, member.telegram_id
            ),
            to: member.telegram_id,
            text: lines.join("\n"),
            choices: alert_choices(locale, event.id, event.late, event.is_open()),
        });
    }
    Ok(())
}

/// The office alerted that an event time just given makes the report late, as it would have
/// been had the time come in the first message: the delay, and the choice to confirm.
pub async fn late_raised(turn: &Turn, number: i64) -> Handled {
    let Some(e) = turn.desk.urgent_event(number).await?.map(|d| d.event) else {
        return Ok(());
    };
    let zone = turn.rules.zone();
    let limit = turn.rules.urgent.report_within_minutes;
    let officer = e.reporter_name.clone().unwrap_or_default();
    let office = turn.desk.office_people().await?;
    for member in &office {
        let locale = Locale::or_default(member.locale.as_deref());
        let text = alert(
            locale,
            zone,
            &Alerted {
                number,
                unit: &e.unit_name,
                officer: &officer,
                reported_at: e.reported_at,
                delay: delay_minutes(&e.facts, e.reported_at),
                facts: &e.facts,
                late: LateFlag::Flagged,
                limit_minutes: limit,
                text: &e.text,
                heading: "urgent.alert.late_raised",
                followup: "",
            },
        );
        turn.notify_with(Notice {
            key: format!("urgent:{number}:late_raised:{}", member.telegram_id),
            to: member.telegram_id,
            text,
            choices: alert_choices(locale, number, LateFlag::Flagged, e.is_open()),
        });
    }
    tracing::info!(
        event = number,
        "an urgent report's event time raised its late flag"
    );
    Ok(())
}
