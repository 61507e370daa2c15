//! One table of texts per kind of value, each fed to the chat form's validator and to the CSV
//! importers (and, where there is no importer, to the command's parser): both must give the
//! same verdict, and the same value when they accept it.
//!
//! The few places where the contexts differ on purpose have tests of their own at the end,
//! which say why: a chat answer is typed today, a chat list is shown numbered, and an empty
//! cell of an optional column is a value not given.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use unionbot::domain::{
    AdoptionForm, AdoptionLevel, InstructionLevel, Listing, VetoKind, parse_unit_code,
};
use unionbot::forms::adoption::adoption_form;
use unionbot::forms::item::{COPIES_LIMIT, item_form};
use unionbot::forms::veto::veto_form;
use unionbot::forms::{Ctx, FieldKind, FieldSpec, FormDef, Input, Value, validate};
use unionbot::import::{Parsed, parse_adoptions, parse_instructions, parse_items, parse_units};
use unionbot::records::{NewAdoption, NewInstruction, NewItem, NewUnit, Problem};
use unionbot::rules::FilingRules;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

/// The moment of every chat answer and import: 2026-06-01 10:00 in Shanghai.
fn now() -> DateTime<Utc> {
    SHANGHAI
        .with_ymd_and_hms(2026, 6, 1, 10, 0, 0)
        .single()
        .expect("a moment")
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

// ---- the chat side: a real form's field, through the validator the engine calls ----

fn field(def: FormDef, name: &str) -> FieldSpec {
    def.field(name).cloned().expect("the form has the field")
}

fn chat(field: &FieldSpec, text: &str) -> Result<Value, Problem> {
    validate(
        field,
        &Input::Text(text.to_string()),
        &Ctx::new(now(), SHANGHAI),
    )
    .map(|a| a.value)
}

fn limits() -> FilingRules {
    FilingRules::default()
}

fn item_field(name: &str) -> FieldSpec {
    field(item_form(&limits(), &[], &[]), name)
}

fn chat_date(field: &FieldSpec, text: &str) -> Result<NaiveDate, Problem> {
    chat(field, text).map(|v| match v {
        Value::Date(d) => d,
        other => panic!("a date field gave {other:?}"),
    })
}

fn chat_choice(field: &FieldSpec, text: &str) -> Result<String, Problem> {
    chat(field, text).map(|v| match v {
        Value::Choice(c) => c,
        other => panic!("a choice field gave {other:?}"),
    })
}

// ---- the CSV side: a one-row file through the importer's public parse function ----

/// A one-row file of `defaults`, `column` holding `cell` (added when it is not a default).
fn one_row(defaults: &[(&str, &str)], column: &str, cell: &str) -> String {
    let mut cells: Vec<(String, String)> = defaults
        .iter()
        .map(|(c, v)| (c.to_string(), v.to_string()))
        .collect();
    match cells.iter_mut().find(|(c, _)| c == column) {
        Some(found) => found.1 = cell.to_string(),
        None => cells.push((column.to_string(), cell.to_string())),
    }
    let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let header: Vec<&str> = cells.iter().map(|(c, _)| c.as_str()).collect();
    let row: Vec<String> = cells.iter().map(|(_, v)| quoted(v)).collect();
    format!("{}\n{}\n", header.join(","), row.join(","))
}

/// The row's record, or the one problem the file has, which must be in `column`.
fn verdict<T: std::fmt::Debug>(parsed: Parsed<T>, column: &str) -> Result<T, Problem> {
    match parsed {
        Ok(mut rows) => {
            assert_eq!(rows.len(), 1, "{rows:?}");
            Ok(rows.remove(0).1)
        }
        Err(problems) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].column, column, "{problems:?}");
            Err(problems[0].problem.clone())
        }
    }
}

const ITEM: &[(&str, &str)] = &[
    ("ref", "a"),
    ("unit", "zs"),
    ("filed_at", "2026-01-05 09:00"),
    ("title", "t"),
    ("category", "1"),
    ("commissioned", "no"),
];
const ADOPTION: &[(&str, &str)] = &[
    ("item_ref", "a"),
    ("unit", ""),
    ("title", ""),
    ("level", "市委"),
    ("form", "单条"),
    ("date", "2026-02-01"),
];
const INSTRUCTION: &[(&str, &str)] = &[
    ("item_ref", "a"),
    ("unit", ""),
    ("title", ""),
    ("level", "省领导"),
    ("date", "2026-02-01"),
];
const UNIT: &[(&str, &str)] = &[
    ("code", "zs"),
    ("name", "中山区总工会"),
    ("kind", "district"),
    ("parent", ""),
];

fn csv_item(column: &str, cell: &str) -> Result<NewItem, Problem> {
    let text = one_row(ITEM, column, cell);
    verdict(parse_items(&text, SHANGHAI, &limits(), now()), column)
}

fn csv_adoption(column: &str, cell: &str) -> Result<NewAdoption, Problem> {
    verdict(
        parse_adoptions(&one_row(ADOPTION, column, cell), &limits()),
        column,
    )
}

fn csv_instruction(column: &str, cell: &str) -> Result<NewInstruction, Problem> {
    verdict(
        parse_instructions(&one_row(INSTRUCTION, column, cell), &limits()),
        column,
    )
}

fn csv_unit(column: &str, cell: &str) -> Result<NewUnit, Problem> {
    verdict(parse_units(&one_row(UNIT, column, cell)), column)
}

// ---- the tables ----

#[test]
fn a_date_gets_the_same_verdict_in_chat_and_in_every_csv_date_column() {
    let not_a_date = |v: &str| Err(Problem::NotADate { value: v.into() });
    let out_of_range = |v: &str| Err(Problem::YearOutOfRange { value: v.into() });
    let table: &[(&str, Result<NaiveDate, Problem>)] = &[
        ("2026-04-01", Ok(day(2026, 4, 1))),
        ("2026-4-1", Ok(day(2026, 4, 1))),
        ("2026/4/1", Ok(day(2026, 4, 1))),
        ("2026/04/01", Ok(day(2026, 4, 1))),
        ("2026年4月1日", Ok(day(2026, 4, 1))),
        ("2026 年 4 月 1 号", Ok(day(2026, 4, 1))),
        ("2026.4.1", Ok(day(2026, 4, 1))),
        ("２０２６－０４－０１", Ok(day(2026, 4, 1))),
        ("２０２６年４月１日", Ok(day(2026, 4, 1))),
        (" 2026-04-01 ", Ok(day(2026, 4, 1))),
        ("2000-01-01", Ok(day(2000, 1, 1))),
        ("2026-02-30", not_a_date("2026-02-30")),
        ("2026-13-01", not_a_date("2026-13-01")),
        ("2026-04-01 10:00", not_a_date("2026-04-01 10:00")),
        ("someday", not_a_date("someday")),
        ("٢٠٢٦-04-01", not_a_date("٢٠٢٦-04-01")),
        ("1999-01-01", out_of_range("1999-01-01")),
        ("1999年12月31日", out_of_range("1999年12月31日")),
        ("+10000-01-01", out_of_range("+10000-01-01")),
        ("", Err(Problem::Empty)),
    ];
    let adopted_on = field(adoption_form(), "adopted_on");
    let dated = item_field("dated");
    assert!(matches!(adopted_on.kind, FieldKind::Date { .. }));
    for (text, expected) in table {
        assert_eq!(
            &chat_date(&adopted_on, text),
            expected,
            "chat adopted_on {text:?}"
        );
        assert_eq!(&chat_date(&dated, text), expected, "chat dated {text:?}");
        assert_eq!(
            &csv_adoption("date", text).map(|a| a.on),
            expected,
            "adoptions date {text:?}"
        );
        assert_eq!(
            &csv_instruction("date", text).map(|i| i.on),
            expected,
            "instructions date {text:?}"
        );
        // `dated` is optional: its empty cell is a date not given (see the last tests).
        if !text.is_empty() {
            assert_eq!(
                &csv_item("dated", text).map(|i| i.header.dated.expect("a date")),
                expected,
                "items dated {text:?}"
            );
        }
    }
}

#[test]
fn a_whole_number_of_copies_gets_the_same_verdict_in_chat_and_in_the_items_file() {
    let refused = |v: &str| {
        Err(Problem::NotANumber {
            value: v.into(),
            min: 1,
            max: i64::from(COPIES_LIMIT),
        })
    };
    let table: &[(&str, Result<u32, Problem>)] = &[
        ("30", Ok(30)),
        ("３０", Ok(30)),
        (" 30 ", Ok(30)),
        ("030", Ok(30)),
        ("30份", Ok(30)),
        ("30 份", Ok(30)),
        ("三十", Ok(30)),
        ("三十份", Ok(30)),
        ("一百二十", Ok(120)),
        ("100000", Ok(100_000)),
        ("100001", refused("100001")),
        ("0", refused("0")),
        ("-1", refused("-1")),
        ("+1", refused("+1")),
        ("1e3", refused("1e3")),
        ("2.5", refused("2.5")),
        ("30.0", refused("30.0")),
        ("1,000", refused("1,000")),
        ("份", refused("份")),
        ("thirty", refused("thirty")),
    ];
    let copies = item_field("copies");
    for (text, expected) in table {
        let in_chat = chat(&copies, text).map(|v| match v {
            Value::Int(n) => n,
            other => panic!("copies gave {other:?}"),
        });
        assert_eq!(&in_chat, expected, "chat {text:?}");
        let in_file = csv_item("copies", text).map(|i| i.header.copies.expect("copies"));
        assert_eq!(&in_file, expected, "items copies {text:?}");
    }
}

#[test]
fn a_category_number_gets_the_same_verdict_in_chat_and_in_the_items_file() {
    let refused = |v: &str| {
        Err(Problem::NotANumber {
            value: v.into(),
            min: 1,
            max: 12,
        })
    };
    let table: &[(&str, Result<u8, Problem>)] = &[
        ("4", Ok(4)),
        ("４", Ok(4)),
        (" 12 ", Ok(12)),
        ("04", Ok(4)),
        ("0", refused("0")),
        ("13", refused("13")),
        ("+4", refused("+4")),
        ("4.0", refused("4.0")),
        ("四", refused("四")),
    ];
    let category = item_field("category");
    for (text, expected) in table {
        let in_chat = chat_choice(&category, text).map(|c| c.parse::<u8>().expect("a number"));
        assert_eq!(&in_chat, expected, "chat {text:?}");
        let in_file = csv_item("category", text).map(|i| i.category.number());
        assert_eq!(&in_file, expected, "items category {text:?}");
    }
}

#[test]
fn yes_or_no_gets_the_same_verdict_in_chat_and_in_the_commissioned_column() {
    let refused = |v: &str| Err(Problem::NotYesNo { value: v.into() });
    let table: &[(&str, Result<bool, Problem>)] = &[
        ("是", Ok(true)),
        ("是的", Ok(true)),
        ("对", Ok(true)),
        ("yes", Ok(true)),
        ("YES", Ok(true)),
        ("ｙｅｓ", Ok(true)),
        ("Y", Ok(true)),
        ("y", Ok(true)),
        ("true", Ok(true)),
        ("True", Ok(true)),
        ("1", Ok(true)),
        ("１", Ok(true)),
        (" 是 ", Ok(true)),
        ("否", Ok(false)),
        ("不是", Ok(false)),
        ("不", Ok(false)),
        ("no", Ok(false)),
        ("N", Ok(false)),
        ("n", Ok(false)),
        ("false", Ok(false)),
        ("0", Ok(false)),
        ("maybe", refused("maybe")),
        ("是否", refused("是否")),
        ("2", refused("2")),
        ("yes please", refused("yes please")),
    ];
    let yes_no = FieldSpec::required("commissioned", FieldKind::YesNo);
    for (text, expected) in table {
        let in_chat = chat(&yes_no, text).map(|v| match v {
            Value::Bool(b) => b,
            other => panic!("yes/no gave {other:?}"),
        });
        assert_eq!(&in_chat, expected, "chat {text:?}");
        let in_file = csv_item("commissioned", text).map(|i| i.commissioned);
        assert_eq!(&in_file, expected, "items commissioned {text:?}");
    }
}

/// Words of a closed list: the same texts accepted as the same word. A refusal is a refusal
/// in both, but worded for its place: the chat asks for an option's number from the list it
/// shows, a file names the accepted codes.
fn same_words<T: Copy + PartialEq + std::fmt::Debug>(
    table: &[(&str, Option<T>)],
    in_chat: impl Fn(&str) -> Option<T>,
    elsewhere: impl Fn(&str) -> Option<T>,
    what: &str,
) {
    for (text, expected) in table {
        assert_eq!(&in_chat(text), expected, "chat {what} {text:?}");
        assert_eq!(&elsewhere(text), expected, "{what} {text:?}");
    }
}

fn chat_word<T>(field: &FieldSpec, parse: fn(&str) -> Option<T>) -> impl Fn(&str) -> Option<T> {
    move |text| {
        chat_choice(field, text)
            .ok()
            .map(|code| parse(&code).expect("a code"))
    }
}

#[test]
fn an_adoption_level_gets_the_same_verdict_in_chat_and_in_the_adoptions_file() {
    use AdoptionLevel::*;
    let table = &[
        ("municipal_committee", Some(MunicipalCommittee)),
        ("MUNICIPAL_COMMITTEE", Some(MunicipalCommittee)),
        ("Municipal_Committee", Some(MunicipalCommittee)),
        ("municipal committee", Some(MunicipalCommittee)),
        ("municipal-committee", Some(MunicipalCommittee)),
        (
            "ｍｕｎｉｃｉｐａｌ＿ｃｏｍｍｉｔｔｅｅ",
            Some(MunicipalCommittee),
        ),
        ("市委", Some(MunicipalCommittee)),
        ("市委信息", Some(MunicipalCommittee)),
        (" 市委 ", Some(MunicipalCommittee)),
        ("city_federation", Some(CityFederation)),
        ("市总", Some(CityFederation)),
        ("内刊", Some(InternalPublication)),
        ("provincial_federation", Some(ProvincialFederation)),
        ("省总", Some(ProvincialFederation)),
        ("全总", Some(AcftuOrProvincialCommittee)),
        ("省委", Some(AcftuOrProvincialCommittee)),
        ("全总、省委", Some(AcftuOrProvincialCommittee)),
        ("全总／省委", Some(AcftuOrProvincialCommittee)),
        ("中办", Some(CentralOffices)),
        ("国办", Some(CentralOffices)),
        ("central_offices", Some(CentralOffices)),
        ("county", None),
        ("市委员会", None),
        ("municipal", None),
        ("municipalcommittee", None),
        ("municipal__committee", None),
        ("", None),
    ];
    let level = field(adoption_form(), "level");
    same_words(
        table,
        chat_word(&level, |c| AdoptionLevel::parse(c).ok()),
        |t| csv_adoption("level", t).ok().map(|a| a.level),
        "adoptions level",
    );
}

#[test]
fn an_adoption_form_gets_the_same_verdict_in_chat_and_in_the_adoptions_file() {
    use AdoptionForm::*;
    let table = &[
        ("single", Some(Single)),
        ("SINGLE", Some(Single)),
        ("Single", Some(Single)),
        ("单条", Some(Single)),
        ("combined", Some(Combined)),
        ("综合", Some(Combined)),
        (" 综合 ", Some(Combined)),
        ("ｃｏｍｂｉｎｅｄ", Some(Combined)),
        ("half", None),
        ("单", None),
        ("综合稿", None),
        ("", None),
    ];
    let form = field(adoption_form(), "adoption_form");
    same_words(
        table,
        chat_word(&form, |c| AdoptionForm::parse(c).ok()),
        |t| csv_adoption("form", t).ok().map(|a| a.form),
        "adoptions form",
    );
}

#[test]
fn a_veto_kind_gets_the_same_verdict_in_chat_and_on_the_command_line() {
    use VetoKind::*;
    let table = &[
        ("late", Some(Late)),
        ("LATE", Some(Late)),
        ("Late", Some(Late)),
        ("迟报", Some(Late)),
        ("missing", Some(Missing)),
        ("漏报", Some(Missing)),
        ("不报", Some(Missing)),
        ("concealed", Some(Concealed)),
        ("瞒报", Some(Concealed)),
        ("bypass", Some(Bypass)),
        ("越级上报", Some(Bypass)),
        (" 越级上报 ", Some(Bypass)),
        ("ｂｙｐａｓｓ", Some(Bypass)),
        ("sloppy", None),
        ("晚报", None),
        ("", None),
    ];
    let kind = field(veto_form(), "veto_kind");
    // No file carries vetoes: `unionbot veto add --kind` and `/veto` read the kind with this.
    same_words(
        table,
        chat_word(&kind, |c| VetoKind::parse(c).ok()),
        |t| VetoKind::parse(t).ok(),
        "veto --kind",
    );
}

#[test]
fn an_instruction_level_gets_the_same_verdict_in_the_file_and_after_instruct() {
    use InstructionLevel::*;
    let table = &[
        ("central_leaders", Some(CentralLeaders)),
        ("Central_Leaders", Some(CentralLeaders)),
        ("central leaders", Some(CentralLeaders)),
        ("中央、国务院领导", Some(CentralLeaders)),
        ("中央领导", Some(CentralLeaders)),
        ("国务院领导", Some(CentralLeaders)),
        (
            "acftu_or_provincial_leaders",
            Some(AcftuOrProvincialLeaders),
        ),
        ("全总、省领导", Some(AcftuOrProvincialLeaders)),
        ("省领导", Some(AcftuOrProvincialLeaders)),
        ("省总、市领导", Some(ProvincialFederationOrCityLeaders)),
        ("市领导", Some(ProvincialFederationOrCityLeaders)),
        (
            "ＰＲＯＶＩＮＣＩＡＬ＿ＦＥＤＥＲＡＴＩＯＮ＿ＯＲ＿ＣＩＴＹ＿ＬＥＡＤＥＲＳ",
            Some(ProvincialFederationOrCityLeaders),
        ),
        ("mayor", None),
        ("领导", None),
        ("", None),
    ];
    // The chat has no instruction form: `/instruct <n> <level>` reads the level with this.
    same_words(
        table,
        |t| InstructionLevel::read(t, Listing::Numbered).ok(),
        |t| csv_instruction("level", t).ok().map(|i| i.level),
        "instructions level",
    );
}

#[test]
fn a_unit_code_gets_the_same_verdict_in_chat_on_the_command_line_and_in_every_file() {
    let long = "z".repeat(33);
    let longest = "z".repeat(32);
    let table: Vec<(&str, Result<&str, Problem>)> = vec![
        ("zs", Ok("zs")),
        // The case is kept as written: the store compares codes without it (`ZS` is `zs`).
        ("ZS", Ok("ZS")),
        ("Zs-1", Ok("Zs-1")),
        (" zs ", Ok("zs")),
        ("\u{3000}zs\u{3000}", Ok("zs")),
        (&longest, Ok(&longest)),
        (&long, Err(Problem::TooLong { limit: 32 })),
        ("z\u{1b}s", Err(Problem::ControlCharacter)),
        // A direction mark shows one code and stores another.
        ("z\u{202e}s", Err(Problem::ControlCharacter)),
        ("\u{2066}zs\u{2069}", Err(Problem::ControlCharacter)),
        ("", Err(Problem::Empty)),
    ];
    let unit = field(veto_form(), "unit");
    for (text, expected) in table {
        let expected = expected.map(str::to_string);
        let in_chat = chat(&unit, text).map(|v| match v {
            Value::Text(t) => t,
            other => panic!("a unit code gave {other:?}"),
        });
        assert_eq!(in_chat, expected, "chat veto unit {text:?}");
        assert_eq!(parse_unit_code(text), expected, "veto --unit {text:?}");
        assert_eq!(
            csv_item("unit", text).map(|i| i.unit_code),
            expected,
            "items unit {text:?}"
        );
        assert_eq!(
            csv_unit("code", text).map(|u| u.code),
            expected,
            "units code {text:?}"
        );
        let external = [("item_ref", ""), ("unit", ""), ("title", "外渠道信息")];
        let defaults: Vec<(&str, &str)> = ADOPTION
            .iter()
            .map(|(c, v)| {
                external
                    .iter()
                    .find(|(e, _)| e == c)
                    .map_or((*c, *v), |e| *e)
            })
            .collect();
        let adoption = verdict(
            parse_adoptions(&one_row(&defaults, "unit", text), &limits()),
            "unit",
        );
        let in_adoption = adoption.map(|a| match a.item {
            unionbot::records::ItemTarget::External { unit_code, .. } => unit_code,
            other => panic!("an external item expected, not {other:?}"),
        });
        assert_eq!(in_adoption, expected, "adoptions unit {text:?}");
    }
}

// ---- where the contexts differ, on purpose ----

#[test]
fn a_day_without_its_year_or_a_relative_day_is_read_in_chat_and_refused_in_a_file() {
    // A chat answer is typed today; a file of history read against the day of its import
    // would mean another day each time it is imported.
    let adopted_on = field(adoption_form(), "adopted_on");
    for (text, in_chat) in [
        ("4月1日", day(2026, 4, 1)),
        ("４月１日", day(2026, 4, 1)),
        ("今天", day(2026, 6, 1)),
        ("昨天", day(2026, 5, 31)),
        ("前天", day(2026, 5, 30)),
    ] {
        assert_eq!(chat_date(&adopted_on, text), Ok(in_chat), "chat {text:?}");
        let refused = Err(Problem::NotADate { value: text.into() });
        assert_eq!(
            csv_adoption("date", text).map(|a| a.on),
            refused,
            "{text:?}"
        );
        assert_eq!(
            csv_instruction("date", text).map(|i| i.on),
            refused,
            "{text:?}"
        );
    }
}

#[test]
fn a_number_picks_from_the_list_the_chat_shows_but_is_no_word_in_a_file() {
    // The chat numbers its options (and `/instruct` its usage); a file shows no list, so a
    // number there would silently mean whatever the list's order is today.
    let level = field(adoption_form(), "level");
    assert_eq!(
        chat_choice(&level, "3"),
        Ok(AdoptionLevel::MunicipalCommittee.code().to_string())
    );
    assert_eq!(
        chat_choice(&level, "３"),
        Ok(AdoptionLevel::MunicipalCommittee.code().to_string())
    );
    assert!(matches!(
        csv_adoption("level", "3"),
        Err(Problem::NotOneOf { .. })
    ));
    assert_eq!(
        InstructionLevel::read("2", Listing::Numbered),
        Ok(InstructionLevel::AcftuOrProvincialLeaders)
    );
    assert!(matches!(
        csv_instruction("level", "2"),
        Err(Problem::NotOneOf { .. })
    ));
    // A number outside the list is refused in chat too.
    assert!(chat_choice(&level, "7").is_err());
}

#[test]
fn an_empty_answer_is_asked_again_in_chat_while_an_empty_optional_cell_is_a_value_not_given() {
    // A chat field is asked until answered (an optional one is skipped with a button, not an
    // empty text); a sheet leaves a cell blank: for `commissioned` that means no, for the
    // optional header fields nothing is known.
    let yes_no = FieldSpec::required("commissioned", FieldKind::YesNo);
    assert_eq!(chat(&yes_no, ""), Err(Problem::Empty));
    assert_eq!(
        csv_item("commissioned", "").map(|i| i.commissioned),
        Ok(false)
    );
    assert_eq!(chat(&item_field("copies"), ""), Err(Problem::Empty));
    assert_eq!(csv_item("copies", "").map(|i| i.header.copies), Ok(None));
    assert_eq!(chat(&item_field("dated"), " "), Err(Problem::Empty));
    assert_eq!(csv_item("dated", " ").map(|i| i.header.dated), Ok(None));
}
