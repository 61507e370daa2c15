//! Checks of the locale files: complete, consistent and safe for Telegram's HTML mode.

use super::*;
use crate::domain::{
    AdoptionForm, AdoptionLevel, Category, InstructionLevel, Role, UnitKind, VetoKind,
};
use crate::rules::Rules;

/// One value of every problem, so that each prompt's placeholders can be checked.
fn every_problem() -> Vec<Problem> {
    let value = || "x".to_string();
    vec![
        Problem::Empty,
        Problem::TooLong { limit: 3 },
        Problem::TooMany { limit: 3 },
        Problem::NotOneOf {
            value: value(),
            expected: "a, b".to_string(),
        },
        Problem::NotADate { value: value() },
        Problem::NotATime { value: value() },
        Problem::NotAnEventTime { value: value() },
        Problem::NotANumber {
            value: value(),
            min: 1,
            max: 12,
        },
        Problem::NotANumber {
            value: value(),
            min: 1,
            max: 1,
        },
        Problem::NotYesNo { value: value() },
        Problem::NoCount { value: value() },
        Problem::NegativeCount { value: value() },
        Problem::UnknownUnit { value: value() },
        Problem::UnknownItem { value: value() },
        Problem::Conflict { value: value() },
        Problem::ParentMissing,
        Problem::ParentNotAllowed,
        Problem::ParentIsDirectPoint { value: value() },
        Problem::MissingColumn,
        Problem::WrongFieldCount {
            found: 2,
            expected: 3,
        },
        Problem::DuplicateInFile,
        Problem::ControlCharacter,
        Problem::YearOutOfRange { value: value() },
        Problem::NotText {
            kind: "photo".to_string(),
        },
        Problem::InFuture { value: value() },
        Problem::DeadlinePassed {
            value: value(),
            today: value(),
        },
    ]
}

/// Every key the code builds from a value rather than writes out.
fn derived_keys() -> Vec<String> {
    let mut keys: Vec<String> = Category::all().map(Category::prompt_key).collect();
    keys.extend(every_problem().iter().map(|p| p.prompt_key().to_string()));
    let words: [(&str, Vec<&str>); 6] = [
        (
            "unit_kind",
            UnitKind::ALL.iter().map(|k| k.code()).collect(),
        ),
        ("role", Role::ALL.iter().map(|k| k.code()).collect()),
        (
            "adoption_level",
            AdoptionLevel::ALL.iter().map(|k| k.code()).collect(),
        ),
        (
            "adoption_form",
            AdoptionForm::ALL.iter().map(|k| k.code()).collect(),
        ),
        (
            "instruction_level",
            InstructionLevel::ALL.iter().map(|k| k.code()).collect(),
        ),
        (
            "veto_kind",
            VetoKind::ALL.iter().map(|k| k.code()).collect(),
        ),
    ];
    for (list, codes) in words {
        keys.extend(codes.into_iter().map(|code| format!("{list}.{code}")));
    }
    for tier in Rules::default().awards.tiers {
        keys.push(format!("awards.tier.{}", tier.name));
    }
    keys
}

#[test]
fn every_locale_file_parses() {
    for (locale, source) in [(Locale::ZhCn, ZH_CN_SOURCE), (Locale::En, EN_SOURCE)] {
        let mut catalog = Catalog::default();
        catalog.load(locale, source).unwrap();
        assert!(catalog.keys(locale).count() > 100, "{locale} has few keys");
    }
}

#[test]
fn every_key_exists_in_every_locale_with_the_same_placeholders() {
    let catalog = Catalog::embedded();
    let all: BTreeSet<&str> = Locale::ALL
        .iter()
        .flat_map(|locale| catalog.keys(*locale))
        .collect();
    let mut problems = Vec::new();
    for key in &all {
        let default = catalog.template(Locale::ZhCn, key).map(placeholders);
        for locale in Locale::ALL {
            match catalog.template(*locale, key) {
                None => problems.push(format!("{locale}: {key} is missing")),
                Some(text) if Some(placeholders(text)) != default => {
                    problems.push(format!("{locale}: {key} has other placeholders"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_key_the_code_derives_exists() {
    let catalog = Catalog::embedded();
    for key in derived_keys() {
        for locale in Locale::ALL {
            assert!(
                catalog.template(*locale, &key).is_some(),
                "{locale}: {key} is missing"
            );
        }
    }
}

#[test]
fn every_problem_prompt_has_exactly_the_problems_fields() {
    for problem in every_problem() {
        let args = problem_args(&problem);
        let names: BTreeSet<&str> = args.iter().map(|(n, _)| *n).collect();
        for locale in Locale::ALL {
            let template = Catalog::embedded()
                .template(*locale, problem.prompt_key())
                .unwrap();
            assert_eq!(placeholders(template), names, "{locale}: {problem:?}");
        }
    }
}

#[test]
fn no_text_holds_html_markup_so_escaped_values_make_valid_html() {
    let catalog = Catalog::embedded();
    for locale in Locale::ALL {
        for key in catalog.keys(*locale) {
            let text = catalog.template(*locale, key).unwrap();
            assert!(
                !text.contains(['<', '>', '&']),
                "{locale}: {key} holds markup"
            );
        }
    }
}

#[test]
fn placeholders_are_filled_by_name() {
    assert_eq!(
        fill(
            "{added} added, {skipped} skipped",
            &[("skipped", "2"), ("added", "5")]
        ),
        "5 added, 2 skipped"
    );
    assert_eq!(
        t(
            Locale::En,
            "import.done.items",
            &[("added", "5"), ("skipped", "2")]
        ),
        "5 items added, 2 skipped as already present"
    );
}

#[test]
fn an_import_counts_units_with_ge_and_items_and_records_with_tiao() {
    let done = |kind: &str, locale| {
        let key = format!("import.done.{kind}");
        t(locale, &key, &[("added", "5"), ("skipped", "2")])
    };
    assert_eq!(
        done("units", Locale::ZhCn),
        "新增单位 5 个，跳过已有的 2 个"
    );
    assert_eq!(
        done("items", Locale::ZhCn),
        "新增信息 5 条，跳过已有的 2 条"
    );
    assert_eq!(
        done("adoptions", Locale::ZhCn),
        "新增采用记录 5 条，跳过已有的 2 条"
    );
    assert_eq!(
        done("instructions", Locale::ZhCn),
        "新增批示记录 5 条，跳过已有的 2 条"
    );
    assert_eq!(
        done("units", Locale::En),
        "5 units added, 2 skipped as already present"
    );
}

#[test]
fn a_number_that_can_only_be_one_value_is_not_called_a_range_from_it_to_itself() {
    let only_one = Problem::NotANumber {
        value: "2".to_string(),
        min: 1,
        max: 1,
    };
    assert_eq!(
        describe_problem(Locale::ZhCn, &only_one),
        "“2”不对，这里只能填 1"
    );
    assert_eq!(
        describe_problem(Locale::En, &only_one),
        "“2” is not allowed: the only choice here is 1"
    );
}

#[test]
fn a_value_is_never_read_as_a_template() {
    assert_eq!(fill("[{a}]", &[("a", "{b}"), ("b", "no")]), "[{b}]");
}

#[test]
fn a_placeholder_without_a_value_stays_as_written() {
    assert_eq!(fill("{a} and {b}", &[("a", "1")]), "1 and {b}");
}

#[test]
fn braces_that_are_not_placeholders_are_literal() {
    assert_eq!(fill("{ a } {} {x-y} {", &[("a", "1")]), "{ a } {} {x-y} {");
    assert!(placeholders("{ a } {} {x-y} {").is_empty());
    assert_eq!(placeholders("{a}{b_2}"), BTreeSet::from(["a", "b_2"]));
}

#[test]
fn a_key_missing_in_a_locale_falls_back_to_chinese_then_to_the_key() {
    let catalog = Catalog::from_sources(
        "[greet]\nhello = \"你好 {name}\"\nbye = \"再见\"",
        "[greet]\nhello = \"hello {name}\"",
    )
    .unwrap();
    assert_eq!(
        catalog.text(Locale::En, "greet.hello", &[("name", "Li")]),
        "hello Li"
    );
    assert_eq!(catalog.text(Locale::En, "greet.bye", &[]), "再见");
    assert_eq!(catalog.text(Locale::En, "greet.nope", &[]), "greet.nope");
    assert_eq!(t(Locale::En, "no.such.key", &[]), "no.such.key");
}

#[test]
fn a_locale_file_with_a_value_that_is_not_text_is_refused() {
    let err = Catalog::from_sources("[a]\nb = 1", "").unwrap_err();
    assert_eq!(err.locale, Locale::ZhCn);
    assert!(err.problem.contains("a.b"), "{err}");
    assert!(Catalog::from_sources("x = \"1\"", "not toml =").is_err());
}

#[test]
fn locale_tags_parse_the_way_telegram_and_people_write_them() {
    for tag in ["zh-CN", "zh", "zh-hans", "zh_CN", " ZH-cn "] {
        assert_eq!(Locale::parse(tag), Some(Locale::ZhCn), "{tag}");
    }
    for tag in ["en", "en-US", "EN-gb"] {
        assert_eq!(Locale::parse(tag), Some(Locale::En), "{tag}");
    }
    assert_eq!(Locale::parse("fr"), None);
    assert_eq!(Locale::parse(""), None);
    assert_eq!(Locale::default(), Locale::ZhCn);
    assert_eq!(Locale::or_default(Some("de")), Locale::ZhCn);
    assert_eq!(Locale::or_default(Some("en-US")), Locale::En);
    for locale in Locale::ALL {
        assert_eq!(locale.code().parse::<Locale>(), Ok(*locale));
    }
}

#[test]
fn html_escaping_covers_what_telegram_requires() {
    assert_eq!(
        escape_html(r#"<b>A & "B"</b>"#),
        "&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;"
    );
    assert_eq!(escape_html("工会信息"), "工会信息");
    assert_eq!(
        t_html(Locale::En, "error.unknown_unit", &[("code", "<x>")]),
        "No unit has the code “&lt;x&gt;”."
    );
}

#[test]
fn a_row_problem_reads_as_a_line_column_and_reason() {
    let row = RowProblem {
        line: 3,
        column: "category".to_string(),
        problem: Problem::NotANumber {
            value: "13".to_string(),
            min: 1,
            max: 12,
        },
    };
    assert_eq!(
        describe_row_problem(Locale::En, &row),
        "line 3, column “category”: “13” is not a whole number from 1 to 12"
    );
    assert_eq!(
        describe_row_problem(Locale::ZhCn, &row),
        "第 3 行“category”列：“13”不是 1 到 12 之间的整数"
    );
}

#[test]
fn a_plural_choice_writes_the_singular_for_one_and_the_plural_otherwise() {
    let template = "{count} {count|unit|units} set up";
    assert_eq!(fill(template, &[("count", "1")]), "1 unit set up");
    assert_eq!(fill(template, &[("count", "2")]), "2 units set up");
    assert_eq!(fill(template, &[("count", "0.5")]), "0.5 units set up");
    assert_eq!(fill(template, &[]), "{count} units set up");
    assert_eq!(placeholders(template), BTreeSet::from(["count"]));
    // Not a choice: an empty name, three forms, a brace inside.
    assert_eq!(
        fill("{|a|b} {n|a|b|c} {n|a{b}", &[("n", "1")]),
        "{|a|b} {n|a|b|c} {n|a{b}"
    );
}
