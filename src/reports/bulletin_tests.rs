//! The bulletin's pure part: ranks overall and within kinds, the zero-filing list, the
//! criticism section, numbering and words.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::*;
use crate::domain::{AdoptionForm, AdoptionLevel, UnitKind, VetoKind};
use crate::i18n::Locale;
use crate::scoring::{Adoption, FilingTally, ItemKey, LateTimes, Ledger, Unit, Veto};

const Q1: Quarter = Quarter {
    year: 2026,
    number: 1,
};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A small city: two districts, the pilot zone, an industry union, a department, and a
/// direct-report point under the first district.
fn city() -> Ledger {
    let unit = |id, code: &str, name: &str, kind, parent| Unit {
        id,
        code: code.into(),
        name: name.into(),
        kind,
        parent,
    };
    Ledger {
        units: vec![
            unit(1, "d1", "中山区总工会", UnitKind::District, None),
            unit(2, "d2", "西岗区总工会", UnitKind::District, None),
            unit(3, "pz", "先导区工会", UnitKind::PilotZone, None),
            unit(4, "in", "机械产业工会", UnitKind::Industry, None),
            unit(5, "dp", "市总宣传部", UnitKind::Department, None),
            unit(6, "p1", "港务直报点", UnitKind::DirectPoint, Some(1)),
        ],
        ..Ledger::default()
    }
}

fn filed(ledger: &mut Ledger, unit: i64, quarter: Quarter, ordinary: u32) {
    ledger.filings.push(FilingTally {
        unit,
        quarter,
        ordinary,
        commissioned: 0,
    });
}

fn adopted(ledger: &mut Ledger, unit: i64, on: &str, level: AdoptionLevel) {
    let id = ledger.adoptions.len() as i64 + 1;
    ledger.adoptions.push(Adoption {
        id,
        unit,
        item: ItemKey::Filed { item: 100 + id },
        title: String::new(),
        level,
        form: AdoptionForm::Single,
        on: day(on),
        officer: None,
    });
}

fn vetoed(ledger: &mut Ledger, unit: i64, kind: VetoKind, on: &str, reason: &str) {
    let id = ledger.vetoes.len() as i64 + 1;
    ledger.vetoes.push(Veto {
        id,
        unit,
        kind,
        on: day(on),
        reason: reason.into(),
        late: None,
    });
}

/// A late veto made by confirming an urgent report's flag: reported `delay` minutes after the
/// event, judged by a limit of `limit` minutes. Its reason says something else on purpose: the
/// kept times are what the bulletin says.
fn vetoed_late(ledger: &mut Ledger, unit: i64, on: &str, delay: i64, limit: u32) {
    let event_at: DateTime<Utc> = format!("{on}T01:00:00Z").parse().unwrap();
    vetoed(ledger, unit, VetoKind::Late, on, "迟报95分钟");
    let veto = ledger.vetoes.last_mut().unwrap();
    veto.late = Some(LateTimes {
        event_at,
        reported_at: event_at + Duration::minutes(delay),
        limit_minutes: limit,
    });
}

fn bulletin_of(ledger: &Ledger, quarter: Quarter) -> Bulletin {
    build(
        &Rules::default(),
        ledger,
        quarter,
        day("2026-04-05"),
        Vec::new(),
    )
}

fn line<'a>(b: &'a Bulletin, code: &str) -> &'a BulletinLine {
    b.lines.iter().find(|l| l.code == code).unwrap()
}

#[test]
fn units_are_ranked_by_the_quarters_points_with_the_year_to_date_rank_beside() {
    let q2 = Q1.next();
    let mut city = city();
    // d1 leads the year (a municipal-committee adoption in Q1, 6 points); d2 leads Q2.
    adopted(
        &mut city,
        1,
        "2026-02-01",
        AdoptionLevel::MunicipalCommittee,
    );
    filed(&mut city, 1, q2, 2);
    adopted(&mut city, 2, "2026-05-01", AdoptionLevel::CityFederation);
    filed(&mut city, 2, q2, 4);
    let b = bulletin_of(&city, q2);
    let (d1, d2) = (line(&b, "d1"), line(&b, "d2"));
    assert_eq!((d2.rank, d2.points.to_string()), (1, "6".to_string()));
    assert_eq!((d1.rank, d1.points.to_string()), (2, "1".to_string()));
    assert_eq!((d1.year_rank, d1.year_points.to_string()), (1, "7".into()));
    assert_eq!((d2.year_rank, d2.year_points.to_string()), (2, "6".into()));
    assert_eq!(b.lines[0].code, "d2", "the table is in the quarter's order");
    assert_eq!(d2.adoptions.get(&AdoptionLevel::CityFederation), Some(&1));
    assert_eq!(d2.filed, 4);
}

#[test]
fn ranks_within_a_kind_count_the_pilot_zone_among_the_districts_only() {
    let mut city = city();
    filed(&mut city, 3, Q1, 10);
    filed(&mut city, 4, Q1, 20);
    filed(&mut city, 1, Q1, 2);
    let b = bulletin_of(&city, Q1);
    let (pz, industry, d1) = (line(&b, "pz"), line(&b, "in"), line(&b, "d1"));
    assert_eq!((industry.rank, industry.group_rank), (1, 1));
    assert_eq!(
        (pz.rank, pz.group, pz.group_rank),
        (2, KindGroup::Districts, 1)
    );
    assert_eq!((d1.rank, d1.group_rank, d1.year_group_rank), (3, 2, 2));
    assert_eq!(line(&b, "dp").group_rank, 1, "alone in its kind");
    assert_eq!(b.group_size(KindGroup::Districts), 3);
    // Units equal on everything share a rank, as in the standings.
    assert_eq!((line(&b, "d2").rank, line(&b, "dp").rank), (4, 4));
}

#[test]
fn a_direct_report_points_filings_count_for_its_parent_and_it_is_not_ranked() {
    let mut city = city();
    filed(&mut city, 6, Q1, 4);
    adopted(
        &mut city,
        6,
        "2026-03-01",
        AdoptionLevel::ProvincialFederation,
    );
    let b = bulletin_of(&city, Q1);
    assert!(b.lines.iter().all(|l| l.code != "p1"));
    let d1 = line(&b, "d1");
    assert_eq!(
        (d1.filed, d1.points.to_string(), d1.rank),
        (4, "10".into(), 1)
    );
    assert!(b.silent.iter().all(|s| s.code != "d1" && s.code != "p1"));
}

#[test]
fn units_that_filed_nothing_in_the_quarter_are_listed_as_zero_filing() {
    let mut city = city();
    filed(&mut city, 1, Q1, 1);
    filed(&mut city, 2, Q1.next(), 3);
    // An adoption is not a filing: the department still filed nothing.
    adopted(&mut city, 5, "2026-03-01", AdoptionLevel::CityFederation);
    let b = bulletin_of(&city, Q1);
    let silent: Vec<&str> = b.silent.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(silent, ["d2", "pz", "in", "dp", "p1"]);
    let point = b.silent.iter().find(|s| s.code == "p1").unwrap();
    assert_eq!(point.parent.as_deref(), Some("中山区总工会"));
    let text = render_text(&b, Locale::ZhCn);
    assert!(
        text.contains("港务直报点（中山区总工会信息直报点）"),
        "{text}"
    );
}

#[test]
fn the_criticism_section_names_late_missing_and_concealed_vetoes_of_the_quarter_only() {
    let mut city = city();
    vetoed(
        &mut city,
        1,
        VetoKind::Late,
        "2026-02-03",
        "化工厂爆炸，迟报1小时35分钟",
    );
    vetoed(
        &mut city,
        2,
        VetoKind::Concealed,
        "2026-03-03",
        "隐瞒群体性事件",
    );
    vetoed(&mut city, 4, VetoKind::Bypass, "2026-03-04", "越级上报");
    vetoed(&mut city, 5, VetoKind::Missing, "2026-04-02", "下季度的事");
    vetoed(&mut city, 3, VetoKind::Late, "2026-01-09", "迟报");
    let b = bulletin_of(&city, Q1);
    let named: Vec<(&str, VetoKind, Option<u32>)> = b
        .criticism
        .iter()
        .map(|c| (c.code.as_str(), c.kind, c.delay_minutes))
        .collect();
    assert_eq!(
        named,
        [
            ("pz", VetoKind::Late, None),
            ("d1", VetoKind::Late, Some(95)),
            ("d2", VetoKind::Concealed, None),
        ]
    );
    for locale in [Locale::ZhCn, Locale::En] {
        let text = render_text(&b, locale);
        // Nothing of the urgent report but the unit and how late it was.
        assert!(
            !text.contains("化工厂") && !text.contains("群体性"),
            "{text}"
        );
    }
    let zh = render_text(&b, Locale::ZhCn);
    assert!(
        zh.contains("中山区总工会：紧急信息迟报，晚了1小时35分钟。"),
        "{zh}"
    );
    assert!(zh.contains("西岗区总工会：瞒报紧急信息。"), "{zh}");
    let en = render_text(&b, Locale::En);
    assert!(en.contains("an urgent report came 1 h 35 min late"), "{en}");
}

#[test]
fn a_late_report_is_criticised_with_the_time_from_the_event_and_the_limit_its_veto_keeps() {
    let mut city = city();
    // Stored 8 h 24 min after the event, the limit 1 h: 7 h 24 min past the limit, but the
    // bulletin says the time from the event and the limit, as RULES.md words it.
    vetoed_late(&mut city, 1, "2026-02-03", 504, 60);
    vetoed_late(&mut city, 2, "2026-03-03", 95, 90);
    let b = bulletin_of(&city, Q1);
    let named: Vec<(&str, Option<u32>, Option<u32>)> = b
        .criticism
        .iter()
        .map(|c| (c.code.as_str(), c.delay_minutes, c.limit_minutes))
        .collect();
    assert_eq!(
        named,
        [("d1", Some(504), Some(60)), ("d2", Some(95), Some(90))]
    );
    let zh = render_text(&b, Locale::ZhCn);
    assert!(
        zh.contains("中山区总工会：紧急信息迟报，事件发生8小时24分钟后才报送（时限1小时）。"),
        "{zh}"
    );
    assert!(
        zh.contains("西岗区总工会：紧急信息迟报，事件发生1小时35分钟后才报送（时限1小时30分钟）。"),
        "{zh}"
    );
    assert!(!zh.contains("7小时") && !zh.contains("晚了"), "{zh}");
    let en = render_text(&b, Locale::En);
    assert!(
        en.contains("reported 8 h 24 min after the event (limit 1 h)"),
        "{en}"
    );
    assert!(!en.contains("7 h"), "{en}");
}

#[test]
fn a_bulletin_stored_before_late_vetoes_kept_their_limit_still_reads() {
    let mut city = city();
    vetoed(&mut city, 2, VetoKind::Late, "2026-02-03", "迟报95分钟");
    let b = bulletin_of(&city, Q1);
    let mut json = serde_json::to_value(&b).unwrap();
    json["criticism"][0]
        .as_object_mut()
        .unwrap()
        .remove("limit_minutes");
    let read: Bulletin = serde_json::from_value(json).unwrap();
    assert_eq!(read, b);
    assert!(
        render_text(&read, Locale::ZhCn).contains("西岗区总工会：紧急信息迟报，晚了1小时35分钟。")
    );
}

#[test]
fn records_dated_after_the_quarter_do_not_change_its_bulletin() {
    let mut city = city();
    filed(&mut city, 1, Q1, 2);
    let before = bulletin_of(&city, Q1);
    adopted(&mut city, 2, "2026-04-02", AdoptionLevel::CentralOffices);
    filed(&mut city, 2, Q1.next(), 5);
    assert_eq!(bulletin_of(&city, Q1), before);
}

#[test]
fn the_number_reads_2026年第1期_in_chinese_and_no_1_of_2026_in_english() {
    assert_eq!(number_label(Locale::ZhCn, 2026, 1), "2026年第1期");
    assert_eq!(number_label(Locale::En, 2026, 1), "No. 1 of 2026");
    let mut b = bulletin_of(&city(), Q1);
    let preview = render_text(&b, Locale::ZhCn);
    assert!(
        preview.starts_with("2026年第一季度信息工作通报\n（尚未印发"),
        "{preview}"
    );
    b.number = 1;
    let issued = render_text(&b, Locale::ZhCn);
    assert!(issued.contains("\n2026年第1期\n"), "{issued}");
    assert!(!issued.contains("尚未印发"));
}

#[test]
fn a_bulletin_reads_back_from_its_json_unchanged() {
    let mut city = city();
    filed(&mut city, 1, Q1, 3);
    adopted(
        &mut city,
        1,
        "2026-02-01",
        AdoptionLevel::InternalPublication,
    );
    vetoed(&mut city, 2, VetoKind::Late, "2026-02-03", "迟报95分钟");
    let mut b = bulletin_of(&city, Q1);
    b.guidance = vec!["职工医保".into()];
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(serde_json::from_str::<Bulletin>(&json).unwrap(), b);
}

#[test]
fn a_heads_message_gives_the_units_line_its_ranks_and_the_top_of_the_table() {
    let mut city = city();
    for (unit, n) in [(1, 8), (2, 6), (3, 4), (4, 2)] {
        filed(&mut city, unit, Q1, n);
    }
    let mut b = bulletin_of(&city, Q1);
    b.number = 1;
    let text = head_message(&b, Locale::ZhCn, 4);
    assert!(
        text.starts_with("2026年第一季度信息工作通报（2026年第1期）已印发"),
        "{text}"
    );
    assert!(
        text.contains(
            "机械产业工会：本季度 1 分，总排名第4名（共5个单位），在产业工会中第1名（共1个）"
        ),
        "{text}"
    );
    assert!(text.contains("第1名 中山区总工会：4 分"), "{text}");
    assert!(
        !text.contains("第4名 机械产业工会："),
        "only the top three: {text}"
    );
    let point = head_message(&b, Locale::En, 6);
    assert!(point.contains("not ranked on its own"), "{point}");
    let guidance = "Guidance";
    assert!(!render_text(&b, Locale::En).contains(guidance), "none set");
}

#[test]
fn the_delay_is_read_from_a_reason_in_chinese_or_english_and_nothing_else_is_taken() {
    assert_eq!(delay_minutes("迟报95分钟"), Some(95));
    assert_eq!(delay_minutes("迟报 1 小时 35 分钟"), Some(95));
    assert_eq!(delay_minutes("晚了2个小时"), Some(120));
    assert_eq!(delay_minutes("reported 95 minutes late"), Some(95));
    assert_eq!(delay_minutes("late by 1 h 35 min"), Some(95));
    assert_eq!(delay_minutes("2h late"), Some(120));
    assert_eq!(delay_minutes("事发14:30，16:05才报"), None);
    assert_eq!(delay_minutes("迟报，涉及20人"), None);
    assert_eq!(delay_minutes("迟报40分钟，涉及20人"), Some(40));
}
