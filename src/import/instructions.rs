//! The instructions file: `item_ref, unit, title, level, date`.

use super::table::{Column, Sheet, date, optional, required, word};
use super::{Anything, Known, Parsed, item_target};
use crate::domain::InstructionLevel;
use crate::records::NewInstruction;
use crate::rules::FilingRules;

const COLUMNS: &[Column] = &[
    required("item_ref", &["信息编号", "编号"]),
    required("unit", &["单位", "单位代码"]),
    required("title", &["标题"]),
    required("level", &["批示级别", "级别"]),
    required("date", &["批示日期", "日期"]),
    optional("note", &["备注"]),
];

/// Reads leaders' instructions on items, the item found as for adoptions; `level` is a code or
/// a Chinese label (`省总、市领导`…).
pub fn parse_instructions(text: &str, limits: &FilingRules) -> Parsed<NewInstruction> {
    parse_instructions_known(text, limits, &Anything)
}

/// As [`parse_instructions`], with the rows' references and codes checked against `known`.
pub fn parse_instructions_known(
    text: &str,
    limits: &FilingRules,
    known: &dyn Known,
) -> Parsed<NewInstruction> {
    Sheet::read(text, COLUMNS).parse(|cells| {
        let item = item_target(cells, limits.title_limit, known);
        let level = cells.required_with("level", word(InstructionLevel::parse));
        let on = cells.required_with("date", date);
        Some(NewInstruction {
            item: item?,
            level: level?,
            on: on?,
        })
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::records::{ItemTarget, Problem, RowProblem};

    const HEADER: &str = "item_ref,unit,title,level,date";

    #[test]
    fn a_good_instructions_file_parses_codes_and_chinese_labels() {
        let text = format!(
            "{HEADER}\n2026-001,,,省总、市领导,2026-02-01\n,zs,外渠道信息,central_leaders,2026-03-02\n"
        );
        let instructions = parse_instructions(&text, &FilingRules::default()).unwrap();
        assert_eq!(
            instructions,
            vec![
                (
                    2,
                    NewInstruction {
                        item: ItemTarget::Reference("2026-001".to_string()),
                        level: InstructionLevel::ProvincialFederationOrCityLeaders,
                        on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                    }
                ),
                (
                    3,
                    NewInstruction {
                        item: ItemTarget::External {
                            unit_code: "zs".to_string(),
                            title: "外渠道信息".to_string()
                        },
                        level: InstructionLevel::CentralLeaders,
                        on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                    }
                ),
            ]
        );
    }

    #[test]
    fn every_bad_cell_of_every_row_is_reported() {
        let text = format!("{HEADER}\n,zs,,mayor,2026-02-01\na,,,省领导,someday\n");
        assert_eq!(
            parse_instructions(&text, &FilingRules::default()).unwrap_err(),
            vec![
                RowProblem {
                    line: 2,
                    column: "title".to_string(),
                    problem: Problem::Empty
                },
                RowProblem {
                    line: 2,
                    column: "level".to_string(),
                    problem: Problem::NotOneOf {
                        value: "mayor".to_string(),
                        expected: "central_leaders, acftu_or_provincial_leaders, \
                                   provincial_federation_or_city_leaders"
                            .to_string()
                    }
                },
                RowProblem {
                    line: 3,
                    column: "date".to_string(),
                    problem: Problem::NotADate {
                        value: "someday".to_string()
                    }
                },
            ]
        );
    }

    #[test]
    fn a_missing_column_is_reported_on_the_header_line() {
        let problems = parse_instructions(
            "item_ref,unit,title,date\na,,,2026-01-01\n",
            &FilingRules::default(),
        )
        .unwrap_err();
        assert_eq!(problems[0].line, 1);
        assert_eq!(problems[0].column, "level");
        assert_eq!(problems[0].problem, Problem::MissingColumn);
    }

    #[test]
    fn an_external_title_over_the_rules_title_limit_is_refused_on_its_line_and_column() {
        let long = "长".repeat(1000);
        let text = format!("{HEADER}\n,zs,{long},市领导,2026-03-01\n");
        assert_eq!(
            parse_instructions(&text, &FilingRules::default()).unwrap_err(),
            vec![RowProblem {
                line: 2,
                column: "title".to_string(),
                problem: Problem::TooLong { limit: 200 },
            }]
        );
    }
}
