//! Tests of the follow-up reminders of open urgent events and of the office's escalation: when
//! they fall due (every few hours on the day of the latest report, then once a working day),
//! how quiet hours hold them, when they go stale, whom they reach and what they ask for.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};

use super::*;
use crate::rules::{ClockTime, Day, Rules};

/// A local time in Shanghai.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn local(instant: DateTime<Utc>) -> chrono::DateTime<chrono_tz::Tz> {
    instant.with_timezone(&chrono_tz::Asia::Shanghai)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn open(id: i64, unit: UnitId, followups: u32, last_report_at: DateTime<Utc>) -> OpenUrgent {
    OpenUrgent {
        reported_at: last_report_at,
        id,
        unit,
        followups,
        last_report_at,
        missing: Vec::new(),
    }
}

/// An event first reported at `reported_at`, whose latest report is another.
fn first_reported(mut event: OpenUrgent, reported_at: DateTime<Utc>) -> OpenUrgent {
    event.reported_at = reported_at;
    event
}

fn known(events: Vec<OpenUrgent>) -> Known {
    Known {
        urgent: events,
        ..Known::default()
    }
}

fn of_kind(slots: &[Slot], kind: JobKind) -> Vec<(String, DateTime<Utc>)> {
    slots
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| (s.key.clone(), s.at))
        .collect()
}

fn reminders(slots: &[Slot]) -> Vec<(String, DateTime<Utc>)> {
    of_kind(slots, JobKind::UrgentFollowUp)
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

fn job_facts() -> JobFacts {
    JobFacts {
        members: vec![
            member(1, Role::Officer, Some(1)),
            member(2, Role::Officer, Some(2)),
            member(3, Role::Head, Some(1)),
            member(4, Role::Office, None),
            member(5, Role::Office, None),
        ],
        units: vec![UnitFigures {
            id: 1,
            name: "中山区总工会".into(),
            kind: crate::domain::UnitKind::District,
            filed: 0,
            points: Points::ZERO,
        }],
        office: OfficeFigures::default(),
    }
}

/// The scheduler's steps, run every `every` from `from` to `to` as `run_due` runs them: nothing
/// in quiet hours; each due job not run yet is recorded, and sent unless it went stale. `world`
/// gives the open events at each step (a follow-up changes one, closing takes it away). Gives
/// the jobs sent, in order.
fn run_steps(
    rules: &Rules,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    every: Duration,
    world: impl Fn(DateTime<Utc>) -> Vec<OpenUrgent>,
) -> Vec<Slot> {
    let mut k = known(Vec::new());
    let mut sent = Vec::new();
    let mut now = from;
    while now <= to {
        if !rules.calendar.is_quiet(local(now).time()) {
            k.urgent = world(now);
            for slot in slots(rules, &k, now - Duration::days(100), now) {
                if k.done.insert(slot.key.clone()) && now < slot.stale_at {
                    sent.push(slot);
                }
            }
        }
        now += every;
    }
    sent
}

#[test]
fn on_the_reports_day_every_four_hours_then_once_a_working_day_at_nine() {
    let rules = Rules::default();
    // A Tuesday morning.
    let reported = at(2026, 5, 12, 9, 30);
    let k = known(vec![open(7, 1, 0, reported)]);
    let before = slots(&rules, &k, reported, at(2026, 5, 12, 13, 29));
    assert!(reminders(&before).is_empty(), "{before:?}");
    let all = slots(&rules, &k, reported, at(2026, 5, 18, 23, 0));
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:7:0:1".to_string(), at(2026, 5, 12, 13, 30)),
            ("urgent:7:0:2".to_string(), at(2026, 5, 12, 17, 30)),
            ("urgent:7:0:3".to_string(), at(2026, 5, 12, 21, 30)),
            ("urgent:7:0:2026-05-13".to_string(), at(2026, 5, 13, 9, 0)),
            ("urgent:7:0:2026-05-14".to_string(), at(2026, 5, 14, 9, 0)),
            ("urgent:7:0:2026-05-15".to_string(), at(2026, 5, 15, 9, 0)),
            // Saturday and Sunday have none.
            ("urgent:7:0:2026-05-18".to_string(), at(2026, 5, 18, 9, 0)),
        ]
    );
    let series: Vec<&Slot> = all
        .iter()
        .filter(|s| s.kind == JobKind::UrgentFollowUp)
        .collect();
    for pair in series.windows(2) {
        assert_eq!(pair[0].stale_at, pair[1].at, "stale when the next is due");
    }
    assert_eq!(series[6].stale_at, at(2026, 5, 19, 9, 0));
    assert_eq!(
        urgent_reminders(&rules, reported, reported)
            .nth(3)
            .unwrap()
            .at,
        at(2026, 5, 13, 9, 0)
    );
}

#[test]
fn the_interval_and_the_daily_time_come_from_the_rules() {
    let mut rules = Rules::default();
    rules.urgent.followup_every_hours = 5;
    rules.urgent.daily_reminder_at = ClockTime::hm(10, 30);
    let reported = at(2026, 5, 12, 8, 0);
    let all = slots(
        &rules,
        &known(vec![open(3, 1, 0, reported)]),
        reported,
        at(2026, 5, 13, 12, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:3:0:1".to_string(), at(2026, 5, 12, 13, 0)),
            ("urgent:3:0:2".to_string(), at(2026, 5, 12, 18, 0)),
            // 23:00 is quiet: held to 08:00 on a working day, it gives way to that day's own.
            ("urgent:3:0:2026-05-13".to_string(), at(2026, 5, 13, 10, 30)),
        ]
    );
}

#[test]
fn a_reminder_held_by_the_night_goes_out_once_in_the_morning_unless_the_day_has_its_own() {
    let rules = Rules::default();
    // Friday 19:00: 23:00 is held to Saturday 08:00, which has no daily reminder of its own.
    let friday = at(2026, 5, 15, 19, 0);
    let all = slots(
        &rules,
        &known(vec![open(4, 1, 0, friday)]),
        friday,
        at(2026, 5, 18, 12, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:4:0:1".to_string(), at(2026, 5, 16, 8, 0)),
            ("urgent:4:0:2026-05-18".to_string(), at(2026, 5, 18, 9, 0)),
        ]
    );
    // Tuesday 19:00: Wednesday's 09:00 reminder is the morning's one.
    let tuesday = at(2026, 5, 12, 19, 0);
    let all = slots(
        &rules,
        &known(vec![open(4, 1, 0, tuesday)]),
        tuesday,
        at(2026, 5, 13, 12, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![("urgent:4:0:2026-05-13".to_string(), at(2026, 5, 13, 9, 0))]
    );
    // Reported at 00:30 with a two-hour interval: 02:30, 04:30 and 06:30 are all held to
    // 08:00, and go out once.
    let mut rules = Rules::default();
    rules.urgent.followup_every_hours = 2;
    let night = at(2026, 5, 12, 0, 30);
    let all = slots(
        &rules,
        &known(vec![open(5, 1, 0, night)]),
        night,
        at(2026, 5, 12, 11, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:5:0:3".to_string(), at(2026, 5, 12, 8, 0)),
            ("urgent:5:0:4".to_string(), at(2026, 5, 12, 8, 30)),
            ("urgent:5:0:5".to_string(), at(2026, 5, 12, 10, 30)),
        ]
    );
}

/// The calendar of the 40 days: New Year's Day off, Saturday 9 January worked (调休).
fn winter_rules() -> Rules {
    let mut rules = Rules::default();
    rules.calendar.holidays = vec![Day(date(2027, 1, 1))];
    rules.calendar.workdays = vec![Day(date(2027, 1, 9))];
    rules
}

#[test]
fn forty_days_open_give_the_first_days_reminders_and_one_a_working_day_at_nine() {
    let rules = winter_rules();
    // Tuesday 1 December, 09:30: 13:30, 17:30 and 21:30 that day.
    let reported = at(2026, 12, 1, 9, 30);
    let (from, to) = (at(2026, 12, 1, 0, 0), at(2027, 1, 10, 23, 59));
    let all = slots(&rules, &known(vec![open(9, 1, 0, reported)]), from, to);
    let got = reminders(&all);
    // 2 December to 10 January: 28 working days (without 1 January, with 9 January).
    assert_eq!(got.len(), 3 + 28, "{got:?}");
    let first_day: Vec<_> = got
        .iter()
        .filter(|(_, t)| local(*t).date_naive() == date(2026, 12, 1))
        .collect();
    assert_eq!(first_day.len(), 3);
    for (key, t) in got.iter().skip(3) {
        let day = local(*t).date_naive();
        assert!(rules.calendar.is_working_day(day), "{key} on {day}");
        assert_eq!((local(*t).hour(), local(*t).minute()), (9, 0), "{key}");
        assert_eq!(*key, format!("urgent:9:0:{}", day.format("%Y-%m-%d")));
    }
    let days: Vec<NaiveDate> = got.iter().map(|(_, t)| local(*t).date_naive()).collect();
    assert!(!days.contains(&date(2027, 1, 1)), "the holiday has none");
    assert!(
        days.contains(&date(2027, 1, 9)),
        "the worked Saturday has one"
    );
    assert!(
        !days
            .iter()
            .any(|d| d.weekday().number_from_monday() >= 6 && *d != date(2027, 1, 9)),
        "no weekend has one"
    );
    let mut keys: Vec<&String> = got.iter().map(|(k, _)| k).collect();
    keys.dedup();
    assert_eq!(keys.len(), got.len(), "keys are unique");

    // The running scheduler, stepping every half hour, sends exactly these.
    let sent = run_steps(&rules, reported, to, Duration::minutes(30), |_| {
        vec![open(9, 1, 0, reported)]
    });
    assert_eq!(reminders(&sent), got);
    assert_eq!(
        of_kind(&sent, JobKind::UrgentEscalation),
        vec![("urgent:9:escalate".to_string(), at(2026, 12, 1, 21, 30))],
        "the office is told once, at the third reminder"
    );
}

#[test]
fn a_closed_event_is_reminded_no_more() {
    let rules = winter_rules();
    let reported = at(2026, 12, 1, 9, 30);
    let closed = at(2026, 12, 4, 10, 0);
    let sent = run_steps(
        &rules,
        reported,
        at(2026, 12, 20, 0, 0),
        Duration::minutes(30),
        |now| {
            if now < closed {
                vec![open(9, 1, 0, reported)]
            } else {
                Vec::new()
            }
        },
    );
    let got = reminders(&sent);
    assert_eq!(got.len(), 3 + 3, "the first day, then 2, 3 and 4 December");
    assert!(got.iter().all(|(_, t)| *t < closed), "{got:?}");
}

#[test]
fn a_follow_up_starts_a_new_series_and_the_office_is_told_once_per_event() {
    let rules = winter_rules();
    let reported = at(2026, 12, 1, 9, 30);
    // Follow-up 1 after two reminders (before the third, so no escalation yet); follow-up 2
    // after the escalation; then nothing for two weeks.
    let first = at(2026, 12, 1, 19, 0);
    let second = at(2026, 12, 4, 11, 0);
    let world = |now: DateTime<Utc>| {
        let event = if now < first {
            open(9, 1, 0, reported)
        } else if now < second {
            first_reported(open(9, 1, 1, first), reported)
        } else {
            first_reported(open(9, 1, 2, second), reported)
        };
        vec![event]
    };
    let sent = run_steps(
        &rules,
        reported,
        at(2026, 12, 18, 0, 0),
        Duration::minutes(30),
        world,
    );
    let got: Vec<String> = reminders(&sent).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        got[..8],
        [
            "urgent:9:0:1",
            "urgent:9:0:2",
            // From follow-up 1 at 19:00: 23:00 is held to Wednesday, which has its own.
            "urgent:9:1:2026-12-02",
            "urgent:9:1:2026-12-03",
            "urgent:9:1:2026-12-04",
            // From follow-up 2 on Friday, not the event's first day: once a working day.
            "urgent:9:2:2026-12-07",
            "urgent:9:2:2026-12-08",
            "urgent:9:2:2026-12-09",
        ]
    );
    assert_eq!(
        of_kind(&sent, JobKind::UrgentEscalation),
        vec![("urgent:9:escalate".to_string(), at(2026, 12, 4, 9, 0))],
        "the third reminder after follow-up 1, and never again after follow-up 2"
    );
    // Without the record of the first escalation, follow-up 2's series would have its own.
    let again = slots(
        &rules,
        &known(vec![first_reported(open(9, 1, 2, second), reported)]),
        second,
        at(2026, 12, 10, 0, 0),
    );
    assert_eq!(
        of_kind(&again, JobKind::UrgentEscalation),
        vec![("urgent:9:escalate".to_string(), at(2026, 12, 9, 9, 0))]
    );
}

#[test]
fn the_office_is_told_after_as_many_reminders_as_the_rules_say() {
    let mut rules = Rules::default();
    rules.urgent.escalate_after = 1;
    let reported = at(2026, 5, 12, 9, 30);
    let all = slots(
        &rules,
        &known(vec![open(7, 1, 0, reported)]),
        reported,
        at(2026, 5, 20, 0, 0),
    );
    assert_eq!(
        of_kind(&all, JobKind::UrgentEscalation),
        vec![("urgent:7:escalate".to_string(), at(2026, 5, 12, 13, 30))]
    );
    rules.urgent.escalate_after = 5;
    let all = slots(
        &rules,
        &known(vec![open(7, 1, 0, reported)]),
        reported,
        at(2026, 5, 20, 0, 0),
    );
    assert_eq!(
        of_kind(&all, JobKind::UrgentEscalation),
        vec![("urgent:7:escalate".to_string(), at(2026, 5, 14, 9, 0))]
    );
    assert_eq!(
        urgent_escalation_due(&rules, reported, reported, at(2026, 5, 14, 8, 59)),
        None,
        "not due before its time"
    );
}

#[test]
fn a_catch_up_after_downtime_sends_one_reminder_not_every_one_missed() {
    let rules = winter_rules();
    let reported = at(2026, 12, 1, 9, 30);
    // Down from Tuesday 10:00 to the next Monday 15:00.
    let (down, up) = (at(2026, 12, 1, 10, 0), at(2026, 12, 7, 15, 0));
    let mut sent = run_steps(&rules, reported, down, Duration::minutes(30), |_| {
        vec![open(9, 1, 0, reported)]
    });
    assert!(reminders(&sent).is_empty());
    // The first step after: every reminder since is due, only Monday's is still of use.
    let mut k = known(vec![open(9, 1, 0, reported)]);
    for slot in slots(&rules, &k, up - Duration::days(100), up) {
        if k.done.insert(slot.key.clone()) && up < slot.stale_at {
            sent.push(slot);
        }
    }
    assert_eq!(
        reminders(&sent),
        vec![("urgent:9:0:2026-12-07".to_string(), at(2026, 12, 7, 9, 0))]
    );
    assert_eq!(
        of_kind(&sent, JobKind::UrgentEscalation).len(),
        1,
        "the office is still told"
    );
}

#[test]
fn an_event_open_for_long_gives_only_the_reminders_of_the_range_asked_for() {
    let rules = Rules::default();
    let reported = at(2026, 1, 5, 10, 0);
    let all = slots(
        &rules,
        &known(vec![open(8, 1, 0, reported)]),
        at(2026, 3, 6, 0, 0),
        at(2026, 3, 9, 23, 0),
    );
    assert_eq!(
        reminders(&all),
        vec![
            ("urgent:8:0:2026-03-06".to_string(), at(2026, 3, 6, 9, 0)),
            ("urgent:8:0:2026-03-09".to_string(), at(2026, 3, 9, 9, 0)),
        ]
    );
    assert!(of_kind(&all, JobKind::UrgentEscalation).is_empty());
}

fn first_reminder(event: OpenUrgent) -> Slot {
    let rules = Rules::default();
    let reported = event.last_report_at;
    slots(
        &rules,
        &known(vec![event]),
        reported,
        reported + Duration::days(1),
    )
    .into_iter()
    .find(|s| s.kind == JobKind::UrgentFollowUp)
    .unwrap()
}

#[test]
fn a_reminder_reaches_the_units_officers_and_names_the_event_by_number_and_unit_only() {
    let rules = Rules::default();
    let slot = first_reminder(open(7, 1, 0, at(2026, 5, 12, 9, 30)));
    let facts = job_facts();
    let people: Vec<i64> = recipients(&rules, &slot, &facts)
        .iter()
        .map(|m| m.person)
        .collect();
    assert_eq!(
        people,
        vec![1],
        "the unit's officer, not another unit's, not the office"
    );
    let text = &deliveries(&rules, &slot, &facts)[0].text;
    assert!(text.contains("紧急信息第 7 号（中山区总工会）"), "{text}");
    assert!(
        text.contains("4 小时") && text.contains("/followup 7") && text.contains("/close 7"),
        "{text}"
    );
    assert!(
        text.contains("续报最新情况") && !text.contains("待补充"),
        "nothing missing: the latest progress is asked for: {text}"
    );
    let mut english = facts.clone();
    english.members[0].locale = Locale::En;
    let en = &deliveries(&rules, &slot, &english)[0].text;
    assert!(en.contains("no. 7") && en.contains("4 hours ago"), "{en}");
}

#[test]
fn a_reminder_asks_for_the_facts_missing_the_event_time_first() {
    let rules = Rules::default();
    let mut event = open(7, 1, 0, at(2026, 5, 12, 9, 30));
    event.missing = vec!["event_time", "people", "status"];
    let slot = first_reminder(event.clone());
    let text = &deliveries(&rules, &slot, &job_facts())[0].text;
    assert!(
        text.contains("仍待补充：事件时间、涉及人数、处置情况。请发送 /urgent_fix 7 补充"),
        "{text}"
    );
    assert!(text.contains("事件时间待补充，无法判断是否迟报"), "{text}");
    assert!(!text.contains("续报最新情况"), "{text}");
    let mut english = job_facts();
    english.members[0].locale = Locale::En;
    let en = &deliveries(&rules, &slot, &english)[0].text;
    assert!(
        en.contains("Still to be supplied: Event time, People involved, Handling status.")
            && en.contains("cannot be judged"),
        "{en}"
    );

    event.missing = vec!["place", "cause"];
    let slot = first_reminder(event);
    let text = &deliveries(&rules, &slot, &job_facts())[0].text;
    assert!(text.contains("：地点、起因。"), "{text}");
    assert!(
        !text.contains("迟报"),
        "the event time is known, so lateness is judged: {text}"
    );
}

#[test]
fn the_escalation_reaches_every_office_member_and_no_unit() {
    let rules = Rules::default();
    let reported = at(2026, 5, 12, 9, 30);
    let all = slots(
        &rules,
        &known(vec![open(7, 1, 0, reported)]),
        reported,
        at(2026, 5, 13, 0, 0),
    );
    let slot = all
        .iter()
        .find(|s| s.kind == JobKind::UrgentEscalation)
        .unwrap();
    let facts = job_facts();
    let people: Vec<i64> = recipients(&rules, slot, &facts)
        .iter()
        .map(|m| m.person)
        .collect();
    assert_eq!(people, vec![4, 5]);
    let text = &deliveries(&rules, slot, &facts)[0].text;
    assert_eq!(
        text,
        "紧急信息第 7 号（中山区总工会）已连续 3 次提醒续报仍未收到，请跟进。"
    );
    let mut english = facts.clone();
    english.members[3].locale = Locale::En;
    let en = &deliveries(&rules, slot, &english)[0].text;
    assert!(
        en.contains("no. 7") && en.contains("3 follow-up reminders"),
        "{en}"
    );
}

#[test]
fn the_reminder_and_the_escalation_have_names_in_the_schedule_preview() {
    for locale in Locale::ALL {
        for kind in [JobKind::UrgentFollowUp, JobKind::UrgentEscalation] {
            let key = format!("schedule.kind.{}", kind.code());
            assert_ne!(crate::i18n::t(*locale, &key, &[]), key);
        }
    }
    for kind in JobKind::ALL {
        assert_eq!(JobKind::from_code(kind.code()), Some(*kind));
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            kind.code(),
            "the preview's JSON names a kind as --kind takes it"
        );
    }
}
