//! The rule of taking a fact, alone and as a property over any order of facts.

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn open_event(event_at: Option<i64>, late: LateFlag) -> EventState {
    EventState {
        reported_at: at(0),
        event_at: event_at.map(at),
        late,
        closed: false,
        voided: false,
    }
}

fn change(value: FactValue, origin: Origin, reason: Option<&str>) -> FactChange {
    let fact = match value {
        FactValue::Time(_) => FactName::EventTime,
        FactValue::People(_) => FactName::People,
        FactValue::Text(_) => FactName::Place,
    };
    FactChange {
        key: "k".into(),
        event: 1,
        fact,
        value,
        origin,
        by_person: None,
        by: None,
        at: at(10),
        reason: reason.map(str::to_string),
    }
}

#[test]
fn an_event_time_arriving_late_raises_the_flag_then() {
    let rules = UrgentRules::default();
    let taken = judge(
        &rules,
        &open_event(None, LateFlag::None),
        &change(FactValue::Time(at(-167)), Origin::FollowUp(1), None),
    );
    assert_eq!(
        taken,
        Ok(Taken {
            late: LateFlag::Flagged,
            raised_flag: true
        })
    );
}

#[test]
fn a_time_within_the_limit_raises_nothing() {
    let rules = UrgentRules::default();
    let taken = judge(
        &rules,
        &open_event(None, LateFlag::None),
        &change(FactValue::Time(at(-60)), Origin::Answer, None),
    );
    assert_eq!(
        taken,
        Ok(Taken {
            late: LateFlag::None,
            raised_flag: false
        })
    );
}

#[test]
fn once_flagged_only_the_office_changes_the_time_and_only_with_a_reason() {
    let rules = UrgentRules::default();
    let flagged = open_event(Some(-200), LateFlag::Flagged);
    let earlier = FactValue::Time(at(-30));
    assert_eq!(
        judge(
            &rules,
            &flagged,
            &change(earlier.clone(), Origin::Answer, None)
        ),
        Err(Refusal::TimeLocked)
    );
    assert_eq!(
        judge(
            &rules,
            &flagged,
            &change(earlier.clone(), Origin::Office, None)
        ),
        Err(Refusal::ReasonNeeded)
    );
    // Taken, but the flag stays for the office to decide.
    assert_eq!(
        judge(
            &rules,
            &flagged,
            &change(earlier, Origin::Office, Some("电话核实"))
        ),
        Ok(Taken {
            late: LateFlag::Flagged,
            raised_flag: false
        })
    );
}

#[test]
fn a_closed_event_takes_facts_from_the_office_alone_and_a_voided_one_from_nobody() {
    let rules = UrgentRules::default();
    let text = || FactValue::Text("厂门口".into());
    let mut closed = open_event(None, LateFlag::None);
    closed.closed = true;
    assert_eq!(
        judge(&rules, &closed, &change(text(), Origin::FollowUp(2), None)),
        Err(Refusal::Closed)
    );
    assert!(judge(&rules, &closed, &change(text(), Origin::Office, None)).is_ok());
    let mut voided = open_event(None, LateFlag::None);
    voided.voided = true;
    assert_eq!(
        judge(&rules, &voided, &change(text(), Origin::Office, None)),
        Err(Refusal::Voided)
    );
}

#[test]
fn an_event_time_after_the_report_is_refused() {
    let rules = UrgentRules::default();
    assert_eq!(
        judge(
            &rules,
            &open_event(None, LateFlag::None),
            &change(FactValue::Time(at(30)), Origin::Answer, None)
        ),
        Err(Refusal::TimeAfterReport)
    );
}

/// One step of a random history of an event.
#[derive(Debug, Clone)]
enum Step {
    /// A fact given: which of the six, the minutes before the report for a time, by whom.
    Give(usize, i64, Origin, bool),
    /// /cancel of the facts form: asks no more, takes nothing back.
    Cancel,
    Close,
    /// The office decides a raised flag: confirms (true) or dismisses.
    Decide(bool),
}

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![
        Just(Origin::Report),
        Just(Origin::Answer),
        (1i64..4).prop_map(Origin::FollowUp),
        Just(Origin::Office),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..6, -600i64..10, origin(), any::<bool>())
            .prop_map(|(f, m, o, r)| Step::Give(f, m, o, r)),
        1 => Just(Step::Cancel),
        1 => Just(Step::Close),
        1 => any::<bool>().prop_map(Step::Decide),
    ]
}

proptest! {
    /// Whatever order facts arrive in and wherever /cancel falls: no fact taken is lost (the
    /// history holds every one, the current value is the last taken), the flag is raised
    /// exactly when a known event time puts the report past the limit, and only the office's
    /// decision ever moves it from raised.
    #[test]
    fn no_fact_given_is_lost_and_the_flag_follows_the_event_time(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        let rules = UrgentRules::default();
        let limit = Duration::minutes(i64::from(rules.report_within_minutes));
        let mut event = open_event(None, LateFlag::None);
        let mut history: Vec<(FactName, FactValue)> = Vec::new();
        let mut current: [Option<FactValue>; 6] = Default::default();
        let mut ever_late = false;
        for (i, s) in steps.into_iter().enumerate() {
            let before = event.late;
            match s {
                Step::Give(f, minutes, origin, with_reason) => {
                    let fact = FactName::ALL[f];
                    let value = match fact {
                        FactName::EventTime => FactValue::Time(at(minutes)),
                        _ => FactValue::Text(format!("{}-{i}", fact.code())),
                    };
                    let c = FactChange {
                        key: format!("k{i}"),
                        event: 1,
                        fact,
                        value: value.clone(),
                        origin,
                        by_person: None,
                        by: None,
                        at: at(i as i64),
                        reason: with_reason.then(|| "核实".to_string()),
                    };
                    match judge(&rules, &event, &c) {
                        Ok(taken) => {
                            history.push((fact, value.clone()));
                            current[f] = Some(value.clone());
                            if let FactValue::Time(t) = value {
                                event.event_at = Some(t);
                                if event.reported_at - t > limit {
                                    ever_late = true;
                                }
                            }
                            prop_assert_eq!(taken.raised_flag, before == LateFlag::None && taken.late == LateFlag::Flagged);
                            event.late = taken.late;
                        }
                        Err(refusal) => {
                            // A refusal always has its reason in the event as it stands.
                            let why = match refusal {
                                Refusal::Voided => event.voided,
                                Refusal::Closed => event.closed && !origin.is_office(),
                                Refusal::TimeLocked => event.late != LateFlag::None && !origin.is_office(),
                                Refusal::ReasonNeeded => event.late != LateFlag::None && !with_reason,
                                Refusal::TimeAfterReport => minutes > CLOCK_SKEW_MINUTES,
                            };
                            prop_assert!(why, "refused {:?} without cause", refusal);
                        }
                    }
                }
                Step::Cancel => {}
                Step::Close => event.closed = true,
                Step::Decide(confirm) => {
                    if event.late == LateFlag::Flagged {
                        event.late = if confirm { LateFlag::Confirmed } else { LateFlag::Dismissed };
                    }
                }
            }
            // Raised exactly when a known time was late; never lowered by a fact.
            prop_assert_eq!(event.late != LateFlag::None, ever_late);
            if before != LateFlag::None && !decided_by_office(&event, before) {
                prop_assert_eq!(event.late, before);
            }
        }
        // Every fact's current value is the last one taken, and each is in the history.
        for (f, value) in current.iter().enumerate() {
            let last = history.iter().rev().find(|(n, _)| *n == FactName::ALL[f]).map(|(_, v)| v);
            prop_assert_eq!(value.as_ref(), last);
        }
    }
}

/// Whether the flag moved by the office's decision (flagged to confirmed or dismissed).
fn decided_by_office(event: &EventState, before: LateFlag) -> bool {
    before == LateFlag::Flagged && event.late.decided()
}
