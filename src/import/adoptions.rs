//! The adoptions file: `item_ref, unit, title, level, form, date`.

use super::table::{Column, Sheet, date, optional, required, word};
use super::{Anything, Known, Parsed, item_target};
use crate::domain::{AdoptionForm, AdoptionLevel};
use crate::records::NewAdoption;
use crate::rules::FilingRules;

const COLUMNS: &[Column] = &[
    required("item_ref", &["信息编号", "编号"]),
    required("unit", &["单位", "单位代码"]),
    required("title", &["标题"]),
    required("level", &["采用单位", "采用级别", "级别"]),
    required("form", &["形式", "采用形式"]),
    required("date", &["采用日期", "日期"]),
    optional("note", &["备注"]),
];

/// Reads adoptions: of an item stored here by `item_ref`, or, with `item_ref` empty, of an item
/// adopted through another channel, by `unit` and `title`. `level` and `form` are codes or
/// Chinese labels (`市委`, `单条`…).
pub fn parse_adoptions(text: &str, limits: &FilingRules) -> Parsed<NewAdoption> {
    parse_adoptions_known(text, limits, &Anything)
}

/// As [`parse_adoptions`], with the rows' references and codes checked against `known`.
pub fn parse_adoptions_known(
    text: &str,
    limits: &FilingRules,
    known: &dyn Known,
) -> Parsed<NewAdoption> {
    Sheet::read(text, COLUMNS).parse(|cells| {
        let item = item_target(cells, limits.title_limit, known);
        let level = cells.required_with("level", word(AdoptionLevel::parse));
        let form = cells.required_with("form", word(AdoptionForm::parse));
        let on = cells.required_with("date", date);
        Some(NewAdoption {
            item: item?,
            level: level?,
            form: form?,
            on: on?,
        })
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::records::{ItemTarget, Problem, RowProblem};

    const HEADER: &str = "item_ref,unit,title,level,form,date";

    fn problem(line: usize, column: &str, problem: Problem) -> RowProblem {
        RowProblem {
            line,
            column: column.to_string(),
            problem,
        }
    }

    #[test]
    fn a_good_adoptions_file_parses_references_and_external_items() {
        let text = format!(
            "{HEADER}\n2026-001,,,市委,单条,2026-02-01\n,zs,外渠道信息,provincial_federation,combined,2026/03/02\n"
        );
        let adoptions = parse_adoptions(&text, &FilingRules::default()).unwrap();
        assert_eq!(
            adoptions,
            vec![
                (
                    2,
                    NewAdoption {
                        item: ItemTarget::Reference("2026-001".to_string()),
                        level: AdoptionLevel::MunicipalCommittee,
                        form: AdoptionForm::Single,
                        on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                    }
                ),
                (
                    3,
                    NewAdoption {
                        item: ItemTarget::External {
                            unit_code: "zs".to_string(),
                            title: "外渠道信息".to_string()
                        },
                        level: AdoptionLevel::ProvincialFederation,
                        form: AdoptionForm::Combined,
                        on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                    }
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_reference_and_an_unknown_unit_are_reported_with_the_other_problems() {
        let known = crate::import::Stored {
            units: ["zs".to_string()].into(),
            items: ["2026-001".to_string()].into(),
        };
        let text = format!(
            "{HEADER}\n2026-999,,,市委,单条,someday\n,xx,外渠道信息,市委,单条,2026-02-01\n"
        );
        assert_eq!(
            parse_adoptions_known(&text, &FilingRules::default(), &known).unwrap_err(),
            vec![
                problem(
                    2,
                    "item_ref",
                    Problem::UnknownItem {
                        value: "2026-999".to_string()
                    }
                ),
                problem(
                    2,
                    "date",
                    Problem::NotADate {
                        value: "someday".to_string()
                    }
                ),
                problem(
                    3,
                    "unit",
                    Problem::UnknownUnit {
                        value: "xx".to_string()
                    }
                ),
            ]
        );
    }

    #[test]
    fn an_external_item_needs_its_unit_and_title() {
        let text = format!("{HEADER}\n,,,市委,单条,2026-02-01\n");
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![
                problem(2, "unit", Problem::Empty),
                problem(2, "title", Problem::Empty),
            ]
        );
    }

    #[test]
    fn an_unknown_level_or_form_and_a_bad_date_are_each_refused() {
        let text = format!("{HEADER}\na,,,county,half,2026-13-01\n");
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![
                problem(
                    2,
                    "level",
                    Problem::NotOneOf {
                        value: "county".to_string(),
                        expected: "city_federation, internal_publication, municipal_committee, \
                                   provincial_federation, acftu_or_provincial_committee, \
                                   central_offices"
                            .to_string()
                    }
                ),
                problem(
                    2,
                    "form",
                    Problem::NotOneOf {
                        value: "half".to_string(),
                        expected: "single, combined".to_string()
                    }
                ),
                problem(
                    2,
                    "date",
                    Problem::NotADate {
                        value: "2026-13-01".to_string()
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_date_out_of_the_years_kept_is_refused_on_its_line_and_column() {
        let text = format!("{HEADER}\na,,,市委,单条,2026-02-01\nb,,,市委,单条,+10000-01-01\n");
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![problem(
                3,
                "date",
                Problem::YearOutOfRange {
                    value: "+10000-01-01".to_string()
                }
            )]
        );
        let text = format!("{HEADER}\na,,,市委,单条,2026年2月1日\nb,,,市委,单条,昨天\n");
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![problem(
                3,
                "date",
                Problem::NotADate {
                    value: "昨天".to_string()
                }
            )]
        );
    }

    #[test]
    fn empty_level_form_and_date_are_refused() {
        let text = format!("{HEADER}\na,,,,,\n");
        let columns: Vec<String> = parse_adoptions(&text, &FilingRules::default())
            .unwrap_err()
            .into_iter()
            .map(|p| p.column)
            .collect();
        assert_eq!(columns, vec!["level", "form", "date"]);
    }

    #[test]
    fn an_external_title_over_the_rules_title_limit_is_refused_on_its_line_and_column() {
        let long = "长".repeat(1000);
        let text =
            format!("{HEADER}\n,zs,短标题,市委,单条,2026-02-01\n,zs,{long},市委,单条,2026-02-01\n");
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![problem(3, "title", Problem::TooLong { limit: 200 })]
        );
        let limits = FilingRules {
            title_limit: 3,
            ..FilingRules::default()
        };
        let text = format!("{HEADER}\n,zs,工会信息,市委,单条,2026-02-01\n");
        assert_eq!(
            parse_adoptions(&text, &limits).unwrap_err(),
            vec![problem(2, "title", Problem::TooLong { limit: 3 })]
        );
    }

    #[test]
    fn a_reference_or_unit_code_longer_than_can_be_typed_in_chat_is_refused() {
        let text = format!(
            "{HEADER}\n{},,,市委,单条,2026-02-01\n,{},t,市委,单条,2026-02-01\n",
            "r".repeat(65),
            "z".repeat(33)
        );
        assert_eq!(
            parse_adoptions(&text, &FilingRules::default()).unwrap_err(),
            vec![
                problem(2, "item_ref", Problem::TooLong { limit: 64 }),
                problem(3, "unit", Problem::TooLong { limit: 32 }),
            ]
        );
    }
}
