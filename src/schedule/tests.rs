//! Tests of the calendar of jobs and of who they reach.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::*;
use crate::rules::{ClockTime, Day, Rules};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in Shanghai.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn q(year: i32, number: u8) -> Quarter {
    Quarter::new(year, number).unwrap()
}

fn revision(quarter: Quarter, revision: i64, recorded_at: DateTime<Utc>) -> GuidanceRevision {
    GuidanceRevision {
        quarter,
        revision,
        topics: vec!["职工思想动态".into(), "安全生产".into()],
        recorded_at,
    }
}

/// Holidays on New Year's Day and the 2nd, a Sunday worked instead; National Day off.
fn holiday_rules() -> Rules {
    let mut rules = Rules::default();
    rules.calendar.holidays = [
        day(2026, 1, 1),
        day(2026, 1, 2),
        day(2026, 10, 1),
        day(2026, 10, 2),
    ]
    .into_iter()
    .map(Day)
    .collect();
    rules.calendar.workdays = vec![Day(day(2026, 1, 4))];
    rules
}

fn year_of_guidance() -> Known {
    Known {
        guidance: (1..=4)
            .map(|n| revision(q(2026, n), 1, at(2025, 12, 1, 10, 0)))
            .collect(),
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

#[test]
fn guidance_falls_on_each_quarters_first_working_day_at_nine() {
    let slots = slots(
        &holiday_rules(),
        &year_of_guidance(),
        at(2026, 1, 1, 0, 0),
        at(2026, 12, 31, 23, 59),
    );
    assert_eq!(
        of_kind(&slots, JobKind::Guidance),
        vec![
            // The 1st and 2nd are holidays, the 3rd a Saturday, the 4th a Sunday worked.
            ("guidance:2026Q1:r1".to_string(), at(2026, 1, 4, 9, 0)),
            ("guidance:2026Q2:r1".to_string(), at(2026, 4, 1, 9, 0)),
            ("guidance:2026Q3:r1".to_string(), at(2026, 7, 1, 9, 0)),
            // National Day and the 2nd off, then a weekend.
            ("guidance:2026Q4:r1".to_string(), at(2026, 10, 5, 9, 0)),
        ]
    );
}

#[test]
fn bulletins_fall_on_the_fifth_day_of_the_next_quarter() {
    let slots = slots(
        &Rules::default(),
        &Known::default(),
        at(2026, 1, 1, 0, 0),
        at(2026, 12, 31, 23, 59),
    );
    assert_eq!(
        of_kind(&slots, JobKind::Bulletin),
        vec![
            ("bulletin:2025Q4".to_string(), at(2026, 1, 5, 9, 0)),
            ("bulletin:2026Q1".to_string(), at(2026, 4, 5, 9, 0)),
            ("bulletin:2026Q2".to_string(), at(2026, 7, 5, 9, 0)),
            ("bulletin:2026Q3".to_string(), at(2026, 10, 5, 9, 0)),
        ]
    );
}

#[test]
fn topics_set_after_the_first_morning_go_out_when_set_and_at_night_the_next_morning() {
    let rules = Rules::default();
    let known = Known {
        guidance: vec![
            revision(q(2026, 2), 1, at(2026, 4, 8, 15, 30)),
            revision(q(2026, 3), 1, at(2026, 7, 8, 23, 10)),
        ],
        ..Known::default()
    };
    let slots = slots(&rules, &known, at(2026, 4, 1, 0, 0), at(2026, 9, 30, 0, 0));
    assert_eq!(
        of_kind(&slots, JobKind::Guidance),
        vec![
            ("guidance:2026Q2:r1".to_string(), at(2026, 4, 8, 15, 30)),
            ("guidance:2026Q3:r1".to_string(), at(2026, 7, 9, 8, 0)),
        ]
    );
}

#[test]
fn a_revision_after_one_was_sent_is_a_correction_and_one_before_is_the_guidance() {
    let rules = Rules::default();
    let mut known = Known {
        guidance: vec![revision(q(2026, 2), 2, at(2026, 4, 10, 10, 0))],
        ..Known::default()
    };
    let range = (at(2026, 4, 1, 0, 0), at(2026, 6, 30, 0, 0));
    let first = slots(&rules, &known, range.0, range.1);
    assert_eq!(
        of_kind(&first, JobKind::Guidance).len(),
        1,
        "r1 was never sent"
    );
    known.done.insert("guidance:2026Q2:r1".into());
    let again = slots(&rules, &known, range.0, range.1);
    assert_eq!(
        of_kind(&again, JobKind::GuidanceCorrection),
        vec![("guidance:2026Q2:r2".to_string(), at(2026, 4, 10, 10, 0))]
    );
}

#[test]
fn a_schedule_time_in_the_quiet_hours_waits_for_their_end() {
    let mut rules = Rules::default();
    rules.schedule.guidance_at = ClockTime::hm(23, 0);
    rules.schedule.reminder_at = ClockTime::hm(6, 30);
    let slots = slots(
        &rules,
        &year_of_guidance(),
        at(2026, 4, 1, 0, 0),
        at(2026, 6, 30, 0, 0),
    );
    assert_eq!(
        of_kind(&slots, JobKind::Guidance),
        vec![("guidance:2026Q2:r1".to_string(), at(2026, 4, 2, 8, 0))]
    );
    let reminders = of_kind(&slots, JobKind::QuarterReminder);
    assert_eq!(
        reminders,
        vec![
            (
                "reminder:quarter:2026Q2:15d".to_string(),
                at(2026, 6, 16, 8, 0)
            ),
            (
                "reminder:quarter:2026Q2:5d".to_string(),
                at(2026, 6, 26, 8, 0)
            ),
        ]
    );
}

#[test]
fn commissions_are_reminded_three_days_and_one_day_before_and_the_morning_after() {
    let known = Known {
        commissions: vec![OpenCommission {
            id: 7,
            unit: 1,
            subject: "医保".into(),
            due_on: day(2026, 5, 20),
        }],
        ..Known::default()
    };
    let slots = slots(
        &Rules::default(),
        &known,
        at(2026, 5, 1, 0, 0),
        at(2026, 5, 31, 0, 0),
    );
    let mut got = of_kind(&slots, JobKind::CommissionReminder);
    got.extend(of_kind(&slots, JobKind::CommissionOverdue));
    assert_eq!(
        got,
        vec![
            (
                "reminder:commission:7:3d".to_string(),
                at(2026, 5, 17, 9, 0)
            ),
            (
                "reminder:commission:7:1d".to_string(),
                at(2026, 5, 19, 9, 0)
            ),
            (
                "reminder:commission:7:overdue".to_string(),
                at(2026, 5, 21, 9, 0)
            ),
        ]
    );
}

#[test]
fn the_monthly_quota_is_reminded_on_the_25th_only_when_a_quota_is_set() {
    let range = (at(2026, 1, 1, 0, 0), at(2026, 3, 31, 0, 0));
    let off = slots(&Rules::default(), &Known::default(), range.0, range.1);
    assert!(of_kind(&off, JobKind::QuotaReminder).is_empty());
    let mut rules = Rules::default();
    rules.quota.monthly.insert(UnitKind::District, 3);
    let on = slots(&rules, &Known::default(), range.0, range.1);
    assert_eq!(
        of_kind(&on, JobKind::QuotaReminder),
        vec![
            ("reminder:quota:2026-01".to_string(), at(2026, 1, 25, 9, 0)),
            ("reminder:quota:2026-02".to_string(), at(2026, 2, 25, 9, 0)),
            ("reminder:quota:2026-03".to_string(), at(2026, 3, 25, 9, 0)),
        ]
    );
}

#[test]
fn the_office_is_told_after_the_half_year_and_the_year_on_the_first_working_day() {
    let slots = slots(
        &holiday_rules(),
        &Known::default(),
        at(2026, 1, 1, 0, 0),
        at(2026, 12, 31, 0, 0),
    );
    assert_eq!(
        of_kind(&slots, JobKind::OfficeReports),
        vec![
            ("office:2025".to_string(), at(2026, 1, 4, 9, 0)),
            ("office:2026H1".to_string(), at(2026, 7, 1, 9, 0)),
        ]
    );
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

fn figures(id: i64, kind: UnitKind, filed: u32) -> UnitFigures {
    UnitFigures {
        id,
        name: format!("单位{id}"),
        kind,
        filed,
        points: Points::from_halves(i64::from(filed)),
    }
}

#[test]
fn a_quarter_reminder_reaches_the_officers_of_units_short_of_the_caps_worth() {
    let rules = Rules::default();
    let facts = JobFacts {
        members: vec![
            member(1, Role::Officer, Some(1)),
            member(2, Role::Officer, Some(2)),
            member(3, Role::Head, Some(1)),
            member(4, Role::Office, None),
            member(5, Role::Officer, Some(3)),
        ],
        units: vec![
            figures(1, UnitKind::District, 3),
            figures(2, UnitKind::District, 20),
            figures(3, UnitKind::Industry, 0),
        ],
        office: OfficeFigures::default(),
    };
    let known = Known::default();
    let all = slots(&rules, &known, at(2026, 6, 1, 0, 0), at(2026, 6, 30, 0, 0));
    let short = all.iter().find(|s| s.key.ends_with(":15d")).unwrap();
    let empty = all.iter().find(|s| s.key.ends_with(":5d")).unwrap();
    let people = |slot| -> Vec<i64> {
        recipients(&rules, slot, &facts)
            .iter()
            .map(|m| m.person)
            .collect()
    };
    assert_eq!(
        people(short),
        vec![1, 5],
        "20 filings earn the cap: unit 2 is not reminded"
    );
    assert_eq!(
        people(empty),
        vec![5],
        "only the unit with none is reminded again"
    );
    let texts = deliveries(&rules, short, &facts);
    assert!(texts[0].text.contains("已报送 3 条"), "{}", texts[0].text);
    assert!(texts[0].text.contains("6月30日"), "{}", texts[0].text);
}

#[test]
fn guidance_reaches_everyone_and_a_bulletin_s_preview_the_office_only() {
    let rules = Rules::default();
    let facts = JobFacts {
        members: vec![
            member(1, Role::Officer, Some(1)),
            member(2, Role::Leader, Some(1)),
            member(3, Role::Head, Some(1)),
            member(4, Role::Office, None),
        ],
        ..JobFacts::default()
    };
    let all = slots(
        &rules,
        &year_of_guidance(),
        at(2026, 4, 1, 0, 0),
        at(2026, 4, 30, 0, 0),
    );
    let kind = |k| all.iter().find(|s| s.kind == k).unwrap();
    let people = |slot| -> Vec<i64> {
        recipients(&rules, slot, &facts)
            .iter()
            .map(|m| m.person)
            .collect()
    };
    assert_eq!(people(kind(JobKind::Guidance)), vec![1, 2, 3, 4]);
    // The office confirms the bulletin; the heads get it when it is issued, not from the job.
    assert_eq!(people(kind(JobKind::Bulletin)), vec![4]);
    let text = &deliveries(&rules, kind(JobKind::Guidance), &facts)[0].text;
    assert!(text.contains("1. 职工思想动态\n2. 安全生产"), "{text}");
}

#[test]
fn a_topic_is_escaped_in_the_guidance_message() {
    let rules = Rules::default();
    let known = Known {
        guidance: vec![GuidanceRevision {
            topics: vec!["<b>工资</b> & 社保".into()],
            ..revision(q(2026, 2), 1, at(2026, 3, 1, 0, 0))
        }],
        ..Known::default()
    };
    let all = slots(&rules, &known, at(2026, 4, 1, 0, 0), at(2026, 4, 2, 0, 0));
    let facts = JobFacts {
        members: vec![member(1, Role::Officer, Some(1))],
        ..JobFacts::default()
    };
    let text = &deliveries(&rules, &all[0], &facts)[0].text;
    assert!(
        text.contains("&lt;b&gt;工资&lt;/b&gt; &amp; 社保"),
        "{text}"
    );
}

#[test]
fn a_unit_without_an_officer_has_its_head_and_leader_reminded_instead() {
    let rules = Rules::default();
    let facts = JobFacts {
        members: vec![
            member(1, Role::Head, Some(1)),
            member(2, Role::Leader, Some(1)),
            member(3, Role::Officer, Some(2)),
            member(4, Role::Head, Some(2)),
        ],
        units: vec![
            figures(1, UnitKind::District, 0),
            figures(2, UnitKind::District, 0),
        ],
        office: OfficeFigures::default(),
    };
    let all = slots(
        &rules,
        &Known::default(),
        at(2026, 6, 1, 0, 0),
        at(2026, 6, 30, 0, 0),
    );
    let short = all.iter().find(|s| s.key.ends_with(":15d")).unwrap();
    let people: Vec<i64> = recipients(&rules, short, &facts)
        .iter()
        .map(|m| m.person)
        .collect();
    assert_eq!(
        people,
        vec![1, 2, 3],
        "unit 2's officer only; unit 1's head and leader"
    );
}
