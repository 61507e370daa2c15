//! No parser panics, whatever it is given: arbitrary strings, arbitrary unicode, and texts
//! built from the pieces the parsers look for (digits, full-width forms, 年月日, 季度…).

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use crate::domain::{
    self, AdoptionForm, AdoptionLevel, Category, InstructionLevel, Role, UnitKind, VetoKind,
};
use crate::forms::parse_callback;
use crate::period::Period;

const SHANGHAI: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// Texts made of what the parsers split on, so the deep branches are reached, not only the
/// first refusal.
fn near_miss() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "2026",
        "0",
        "9",
        "12",
        "60",
        "-",
        "+",
        "/",
        ".",
        ":",
        " ",
        "T",
        "Z",
        "Q",
        "q",
        "H",
        "年",
        "月",
        "日",
        "号",
        "点",
        "分",
        "第",
        "季度",
        "季",
        "上半年",
        "下半年",
        "今天",
        "昨天",
        "一",
        "二",
        "十",
        "百",
        "千",
        "万",
        "零",
        "两",
        "份",
        "２",
        "Ｑ",
        "\u{3000}",
        "é",
        "\0",
        "\n",
        "v",
        "e",
        ":",
        "f",
        "🙂",
        "\u{301}",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), near_miss(), "\\PC{0,40}"]
}

/// Calls every parser with the text; each must return, never panic.
fn parse_everything(text: &str) {
    let today = NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 4, 10, 1, 0, 0).unwrap();
    let _ = text.parse::<Period>();
    let _ = domain::parse_date(text, today);
    let _ = domain::date::parse_full_date(text);
    let _ = domain::parse_instant(text, SHANGHAI);
    let _ = domain::parse_event_time(text, now, SHANGHAI);
    let _ = domain::parse_count(text, u32::MAX);
    let _ = domain::parse_count(text, 100);
    let _ = domain::number::chinese_number(text);
    let _ = domain::parse_yes_no(text);
    let _ = domain::check_line(text, 10);
    let _ = domain::check_body(text, 10);
    let _ = UnitKind::parse(text);
    let _ = Role::parse(text);
    let _ = AdoptionLevel::parse(text);
    let _ = AdoptionForm::parse(text);
    let _ = InstructionLevel::parse(text);
    let _ = VetoKind::parse(text);
    let _ = Category::parse(text);
    let _ = parse_callback(text);
    let _ = text.parse::<crate::points::Points>();
    let _ = crate::i18n::Locale::parse(text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_parser_panics_on_any_text(text in any_text()) {
        parse_everything(&text);
    }
}

#[test]
fn no_parser_panics_on_the_texts_that_once_did() {
    for text in [
        "2026年",
        "2026é",
        "2026Ｑ1",
        "2026年第一季度",
        "+10000-01-01",
        "-0001-03-01",
    ] {
        parse_everything(text);
    }
}
