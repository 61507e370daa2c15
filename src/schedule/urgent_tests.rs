//! Tests of the follow-up reminders of open urgent events: when they fall due, how quiet hours
//! hold them, when they go stale, and whom they reach.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::rules::Rules;

/// A local time in Shanghai.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn open(id: i64, unit: UnitId, followups: u32, last_report_at: DateTime<Utc>) -> OpenUrgent {
    OpenUrgent {
        id,
        unit,
        followups,
        last_report_at,
    }
}

fn known(events: Vec<OpenUrgent>) -> Known {
    Known {
        urgent: events,
        ..Known::default()
    }
}

fn reminders(slots: &[Slot]) -> Vec<(String, DateTime<Utc>)> {
    slots
        .iter()
        .filter(|s| s.kind == JobKind::UrgentFollowUp)
        .map(|s| (s.key.clone(), s.at))
        .collect()
}

fn member(person: i64, role: Role, unit: Option<i64>) -> Member {
    Member {
        person,
        chat: 1000 + person,
        role,
        unit,
        locale: Locale::ZhCn,
    }
}

#[test]
fn an_open_event_is_due_a_reminder_four_hours_after_its_report_and_not_before() {
    let rules = Rules::default();
    let reported = at(2026, 5, 12, 9, 30);
    let k = known(vec![open(7, 1, 0, reported)]);
    let before = slots(&rules, &k, reported, at(2026, 5, 12, 13, 29));
    assert!(reminders(&before).is_empty(), "{before:?}");
    let due = slots(&rules, &k, reported, at(2026, 5, 12, 13, 30));
    assert_eq!(
        reminders(&due),
        vec![("urgent:7:0:1".to_string(), at(2026, 5, 12, 13, 30))]
    );
    assert_eq!(due[0].stale_at, at(2026, 5, 12, 17, 30));
    assert_eq!(
        urgent_followup_due(&rules, reported, 1),
        at(2026, 5, 12, 13, 30)
    );
}

#[test]
fn the_interval_comes_from_the_rules() {
    let mut rules = Rules::default();
    rules.urgent.followup_every_hours = 2;
    let reported = at(2026, 5, 12, 9, 0);
    let all = slots(
        &rules,
        &known(vec![open(3, 1, 0, reported)]),
        reported,
        at(2026, 5, 12, 14, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:3:0:1".to_string(), at(2026, 5, 12, 11, 0)),
            ("urgent:3:0:2".to_string(), at(2026, 5, 12, 13, 0)),
        ]
    );
}

#[test]
fn a_reminder_due_in_quiet_hours_waits_for_the_morning_and_the_night_sends_one() {
    let rules = Rules::default();
    // Reported at 19:00: due 23:00, 03:00 and 07:00 in the night, all held to 08:00; only the
    // last of them is of use, and it goes stale when the 11:00 one falls due.
    let reported = at(2026, 5, 12, 19, 0);
    let all = slots(
        &rules,
        &known(vec![open(4, 1, 0, reported)]),
        reported,
        at(2026, 5, 13, 12, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:4:0:3".to_string(), at(2026, 5, 13, 8, 0)),
            ("urgent:4:0:4".to_string(), at(2026, 5, 13, 11, 0)),
        ]
    );
    let held = all.iter().find(|s| s.key == "urgent:4:0:3").unwrap();
    assert_eq!(held.stale_at, at(2026, 5, 13, 11, 0));
    assert_eq!(
        urgent_followup_due(&rules, reported, 1),
        at(2026, 5, 13, 8, 0)
    );
}

#[test]
fn a_reminder_is_stale_once_the_next_falls_due() {
    let rules = Rules::default();
    let reported = at(2026, 5, 12, 8, 0);
    let all = slots(
        &rules,
        &known(vec![open(5, 1, 0, reported)]),
        reported,
        at(2026, 5, 12, 20, 0),
    );
    let series: Vec<&Slot> = all
        .iter()
        .filter(|s| s.kind == JobKind::UrgentFollowUp)
        .collect();
    assert_eq!(series.len(), 3, "12:00, 16:00, 20:00");
    for pair in series.windows(2) {
        assert_eq!(pair[0].stale_at, pair[1].at);
    }
}

#[test]
fn a_closed_event_is_due_nothing_and_a_follow_up_starts_a_new_series() {
    let rules = Rules::default();
    let reported = at(2026, 5, 12, 8, 0);
    let none = slots(&rules, &known(Vec::new()), reported, at(2026, 5, 13, 8, 0));
    assert!(reminders(&none).is_empty());
    // After follow-up 1 at 10:30 the clock counts from it, under keys of its own.
    let after = slots(
        &rules,
        &known(vec![open(6, 1, 1, at(2026, 5, 12, 10, 30))]),
        reported,
        at(2026, 5, 12, 15, 0),
    );
    assert_eq!(
        reminders(&after),
        vec![("urgent:6:1:1".to_string(), at(2026, 5, 12, 14, 30))]
    );
}

#[test]
fn an_event_open_for_long_gives_only_the_reminders_of_the_range_asked_for() {
    let rules = Rules::default();
    let reported = at(2026, 1, 5, 10, 0);
    let from = reported + Duration::days(60);
    let all = slots(
        &rules,
        &known(vec![open(8, 1, 0, reported)]),
        from,
        from + Duration::hours(5),
    );
    let got = reminders(&all);
    assert_eq!(
        got,
        vec![
            ("urgent:8:0:360".to_string(), from),
            ("urgent:8:0:361".to_string(), from + Duration::hours(4)),
        ]
    );
}

#[test]
fn a_reminder_reaches_the_units_officers_and_names_the_event_by_number_and_unit_only() {
    let rules = Rules::default();
    let reported = at(2026, 5, 12, 9, 30);
    let all = slots(
        &rules,
        &known(vec![open(7, 1, 0, reported)]),
        reported,
        at(2026, 5, 12, 14, 0),
    );
    let slot = all
        .iter()
        .find(|s| s.kind == JobKind::UrgentFollowUp)
        .unwrap();
    let facts = JobFacts {
        members: vec![
            member(1, Role::Officer, Some(1)),
            member(2, Role::Officer, Some(2)),
            member(3, Role::Head, Some(1)),
            member(4, Role::Office, None),
        ],
        units: vec![UnitFigures {
            id: 1,
            name: "中山区总工会".into(),
            kind: crate::domain::UnitKind::District,
            filed: 0,
            points: Points::ZERO,
        }],
        office: OfficeFigures::default(),
    };
    let people: Vec<i64> = recipients(&rules, slot, &facts)
        .iter()
        .map(|m| m.person)
        .collect();
    assert_eq!(
        people,
        vec![1],
        "the unit's officer, not another unit's, not the office"
    );
    let text = &deliveries(&rules, slot, &facts)[0].text;
    assert!(text.contains("紧急信息第 7 号（中山区总工会）"), "{text}");
    assert!(
        text.contains("4 小时") && text.contains("/followup"),
        "{text}"
    );
    let mut english = facts.clone();
    english.members[0].locale = Locale::En;
    let en = &deliveries(&rules, slot, &english)[0].text;
    assert!(en.contains("no. 7") && en.contains("4 hours ago"), "{en}");
}

#[test]
fn the_reminder_has_a_name_in_the_schedule_preview() {
    for locale in Locale::ALL {
        let key = format!("schedule.kind.{}", JobKind::UrgentFollowUp.code());
        assert_ne!(crate::i18n::t(*locale, &key, &[]), key);
    }
}
