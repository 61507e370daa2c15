//! One fact given to an urgent event, and the rule of whether it is taken (RULES.md, "Urgent
//! reports", settled points): every fact is stored the moment it is given; a closed event takes
//! no more facts from the unit, a voided one none at all; once a late flag is raised only the
//! office changes the event time, with a reason; the flag is raised the moment an event time
//! makes the report late, whenever that time arrives, and no fact ever lowers it. Pure: the
//! store applies it inside its transaction, the property tests run it alone.

use chrono::{DateTime, Duration, Utc};

pub use super::urgent::{EventState, FactName, Origin};
use super::urgent::{LateFlag, PeopleInvolved, UrgentFacts, is_late};
use crate::rules::UrgentRules;

/// Minutes an event time may lie after the report's own time, as the date parser forgives a
/// slow clock; later than that is an event that had not happened when it was reported.
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// A fact's value as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    Time(DateTime<Utc>),
    People(PeopleInvolved),
    Text(String),
}

/// One fact given to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactChange {
    /// The message or press it came from, and the fact: the same key again is the same change.
    pub key: String,
    pub event: i64,
    pub fact: FactName,
    pub value: FactValue,
    pub origin: Origin,
    /// The person who gave it, when it came through the bot.
    pub by_person: Option<i64>,
    /// Who gave it otherwise (the command line's login).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// Why the office changed it (required for the event time once a flag is raised).
    pub reason: Option<String>,
}

/// Why a fact was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The event is closed: only the office corrects it now.
    Closed,
    /// The office voided the report: it takes no facts.
    Voided,
    /// A late flag is raised: only the office changes the event time.
    TimeLocked,
    /// The office changes a flagged event's time only with a reason.
    ReasonNeeded,
    /// The event time is later than the report.
    TimeAfterReport,
}

impl Refusal {
    /// The prompt key that says it.
    pub const fn key(self) -> &'static str {
        match self {
            Refusal::Closed => "urgent.refused.closed",
            Refusal::Voided => "urgent.refused.voided",
            Refusal::TimeLocked => "urgent.refused.time_locked",
            Refusal::ReasonNeeded => "urgent.refused.reason_needed",
            Refusal::TimeAfterReport => "urgent.refused.time_after_report",
        }
    }
}

/// A fact taken: the late flag as it stands after it, and whether this fact raised it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub late: LateFlag,
    pub raised_flag: bool,
}

/// Whether `change` is taken by an event as it stands, and the late flag after it.
pub fn judge(
    rules: &UrgentRules,
    event: &EventState,
    change: &FactChange,
) -> Result<Taken, Refusal> {
    if event.voided {
        return Err(Refusal::Voided);
    }
    if event.closed && !change.origin.is_office() {
        return Err(Refusal::Closed);
    }
    let unchanged = Taken {
        late: event.late,
        raised_flag: false,
    };
    let FactValue::Time(event_at) = change.value else {
        return Ok(unchanged);
    };
    if event_at - event.reported_at > Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(Refusal::TimeAfterReport);
    }
    if event.late != LateFlag::None && event.event_at != Some(event_at) {
        if !change.origin.is_office() {
            return Err(Refusal::TimeLocked);
        }
        if change.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(Refusal::ReasonNeeded);
        }
    }
    // The flag is raised the moment a time makes the report late, and never lowered here:
    // a raised flag ends only by the office's confirmation or dismissal.
    if event.late == LateFlag::None && is_late(rules, event_at, event.reported_at) {
        return Ok(Taken {
            late: LateFlag::Flagged,
            raised_flag: true,
        });
    }
    Ok(unchanged)
}

/// The facts given in `facts` (a `None` is not given), in §2(2)3's order.
pub fn given(facts: &UrgentFacts) -> Vec<(FactName, FactValue)> {
    let text = |t: &Option<String>| {
        t.as_ref()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(FactValue::Text)
    };
    [
        (FactName::EventTime, facts.event_at.map(FactValue::Time)),
        (FactName::Place, text(&facts.place)),
        (
            FactName::People,
            facts.people.clone().map(FactValue::People),
        ),
        (FactName::Cause, text(&facts.cause)),
        (FactName::Measures, text(&facts.measures)),
        (FactName::Status, text(&facts.status)),
    ]
    .into_iter()
    .filter_map(|(fact, value)| value.map(|v| (fact, v)))
    .collect()
}

#[cfg(test)]
#[path = "urgent_change_tests.rs"]
mod tests;
