//! The items file: `ref, unit, filed_at, title, category, commissioned` and the optional header
//! fields of §3(3).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::table::{Column, Sheet, date, optional, required};
use super::{Anything, Known, NAME_LIMIT, Parsed, REF_LIMIT, SCOPE_LIMIT, UNIT_LIMIT, known_unit};
use crate::domain::{self, Category};
use crate::forms::item::COPIES_LIMIT;
use crate::records::{HeaderFields, NewItem, Problem};
use crate::rules::FilingRules;

const COLUMNS: &[Column] = &[
    required("ref", &["编号", "信息编号"]),
    required("unit", &["单位", "单位代码", "报送单位"]),
    required("filed_at", &["报送时间", "来稿时间"]),
    required("title", &["标题"]),
    required("category", &["类别", "信息类别"]),
    required("commissioned", &["特约稿件", "是否特约"]),
    optional("officer", &["信息员"]),
    optional("body", &["正文"]),
    optional("distribution_scope", &["发送范围"]),
    optional("issuing_unit", &["制发单位"]),
    optional("signer", &["签发人"]),
    optional("responsible_person", &["责任人"]),
    optional("dated", &["时间", "日期", "成文日期"]),
    optional("copies", &["印发份数", "份数"]),
    optional("note", &["备注"]),
];

/// Reads items filed before the bot. `filed_at` without an offset is wall-clock time in `zone`,
/// and at most a day after `now` (clocks differ; more is a typing slip); `ref` may appear once;
/// the title and body keep to `limits`, the other text cells to the limits of [`super`]; an
/// empty `commissioned` is no.
pub fn parse_items(
    text: &str,
    zone: Tz,
    limits: &FilingRules,
    now: DateTime<Utc>,
) -> Parsed<NewItem> {
    parse_items_known(text, zone, limits, now, &Anything)
}

/// As [`parse_items`], with the rows' unit codes checked against `known`.
pub fn parse_items_known(
    text: &str,
    zone: Tz,
    limits: &FilingRules,
    now: DateTime<Utc>,
    known: &dyn Known,
) -> Parsed<NewItem> {
    let mut seen = HashSet::new();
    Sheet::read(text, COLUMNS).parse(|cells| {
        let reference = cells.required_within("ref", REF_LIMIT);
        if let Some(reference) = &reference {
            if !seen.insert(reference.clone()) {
                cells.refuse("ref", Problem::DuplicateInFile);
            }
        }
        let unit_code = cells.required_with("unit", known_unit(known));
        let filed_at = cells.required_with("filed_at", |text| {
            let at = domain::parse_instant(text, zone)?;
            domain::date::not_ahead_of(at, now, text)?;
            Ok(at)
        });
        let title = cells.required_within("title", limits.title_limit);
        // The chat's category list is picked by the same numbers (`4`, `４`).
        let category = cells.required_with("category", |text| {
            Category::parse(text).map_err(|_| Problem::NotANumber {
                value: text.to_string(),
                min: 1,
                max: i64::from(Category::COUNT),
            })
        });
        // Read as a chat answer is; an empty cell is not a word read as no but a cell left
        // blank, which for this column means no (a sheet marks only its commissioned items).
        let commissioned = cells.optional_with("commissioned", domain::parse_yes_no);
        let officer = cells.optional_within("officer", NAME_LIMIT);
        let body = cells.optional_within("body", limits.body_hard_limit);
        let dated = cells.optional_with("dated", date);
        let copies = cells.optional_with("copies", copies);
        let scope = cells.optional_within("distribution_scope", SCOPE_LIMIT);
        let issuing_unit = cells.optional_within("issuing_unit", UNIT_LIMIT);
        let signer = cells.optional_within("signer", NAME_LIMIT);
        let responsible = cells.optional_within("responsible_person", NAME_LIMIT);
        let header = HeaderFields {
            distribution_scope: scope?,
            issuing_unit: issuing_unit?,
            signer: signer?,
            responsible_person: responsible?,
            dated: dated?,
            copies: copies?,
        };
        Some(NewItem {
            reference: Some(reference?),
            unit_code: unit_code?,
            filed_at: filed_at?,
            title: title?,
            category: category?,
            commissioned: commissioned?.unwrap_or(false),
            officer: officer?,
            body: body?,
            header,
        })
    })
}

/// A number of printed copies, read and limited as the chat form reads it (`30`, `30份`, `三十`).
fn copies(text: &str) -> Result<u32, Problem> {
    domain::parse_count(text, COPIES_LIMIT)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;
    use crate::records::RowProblem;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
    const HEADER: &str = "ref,unit,filed_at,title,category,commissioned";

    fn parse(text: &str) -> Parsed<NewItem> {
        parse_items(text, SHANGHAI, &FilingRules::default(), test_now())
    }

    fn problems(rows: &str) -> Vec<RowProblem> {
        parse(&format!("{HEADER}\n{rows}")).unwrap_err()
    }

    fn problem(line: usize, column: &str, problem: Problem) -> RowProblem {
        RowProblem {
            line,
            column: column.to_string(),
            problem,
        }
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// The import's "now": after every time the tests file.
    fn test_now() -> DateTime<Utc> {
        utc("2026-06-01T00:00:00Z")
    }

    #[test]
    fn an_unknown_unit_and_an_empty_title_on_one_line_are_reported_together() {
        let known = crate::import::Stored {
            units: ["zs".to_string()].into(),
            items: Default::default(),
        };
        let text =
            format!("{HEADER}\na,nowhere,2026-05-01 10:00,,1,no\nb,ZS,2026-05-01 10:00,t,1,no\n");
        let problems =
            parse_items_known(&text, SHANGHAI, &FilingRules::default(), test_now(), &known)
                .unwrap_err();
        assert_eq!(
            problems,
            vec![
                problem(
                    2,
                    "unit",
                    Problem::UnknownUnit {
                        value: "nowhere".to_string()
                    }
                ),
                problem(2, "title", Problem::Empty),
            ]
        );
    }

    #[test]
    fn a_filing_time_out_of_the_years_kept_is_refused_on_its_line() {
        for bad in ["+10000-01-01", "-0001-03-01"] {
            assert_eq!(
                problems(&format!("a,zs,2026-01-05,t,1,no\nb,zs,{bad},t,1,no\n")),
                vec![problem(
                    3,
                    "filed_at",
                    Problem::YearOutOfRange {
                        value: bad.to_string()
                    }
                )]
            );
        }
    }

    #[test]
    fn a_filing_time_more_than_a_day_ahead_or_a_leap_second_is_refused() {
        assert_eq!(
            problems("a,zs,2026-06-03 10:00,t,1,no\n"),
            vec![problem(
                2,
                "filed_at",
                Problem::InFuture {
                    value: "2026-06-03 10:00".to_string()
                }
            )]
        );
        assert_eq!(
            problems("a,zs,2026-05-31 23:59:60,t,1,no\n")[0].problem,
            Problem::NotATime {
                value: "2026-05-31 23:59:60".to_string()
            }
        );
    }

    #[test]
    fn a_nul_in_a_header_field_is_refused_and_a_body_keeps_its_line_breaks() {
        let text = format!("{HEADER},signer,body\na,zs,2026-01-05,t,1,no,李\0明,\"一\n二\"\n");
        assert_eq!(
            parse(&text).unwrap_err(),
            vec![problem(2, "signer", Problem::ControlCharacter)]
        );
        let text = format!("{HEADER},body\na,zs,2026-01-05,t,1,no,\"一\n\t二\"\n");
        assert_eq!(parse(&text).unwrap()[0].1.body.as_deref(), Some("一\n\t二"));
    }

    #[test]
    fn copies_and_yes_no_are_read_as_the_chat_reads_them() {
        let text = format!(
            "{HEADER},copies\na,zs,2026-01-05,t,1,是的,30份\nb,zs,2026-01-05,t,1,不,三十\n"
        );
        let items = parse(&text).unwrap();
        assert!(items[0].1.commissioned);
        assert_eq!(items[0].1.header.copies, Some(30));
        assert!(!items[1].1.commissioned);
        assert_eq!(items[1].1.header.copies, Some(30));
    }

    #[test]
    fn a_good_items_file_parses_every_column() {
        let text = "ref,unit,filed_at,title,category,commissioned,officer,body,distribution_scope,\
                    issuing_unit,signer,responsible_person,dated,copies\n\
                    2026-001,zs,2026-01-05 09:30,职工反映,4,否,王芳,正文,市总领导,中山区总工会,\
                    李明,王芳,2026-01-05,20\n\
                    2026-002,jx,2026-02-01T10:00+08:00,特约稿件,9,yes,,,,,,,,\n";
        let items = parse(text).unwrap();
        assert_eq!(items.len(), 2);
        let (line, first) = &items[0];
        assert_eq!(*line, 2);
        assert_eq!(
            *first,
            NewItem {
                reference: Some("2026-001".to_string()),
                unit_code: "zs".to_string(),
                filed_at: utc("2026-01-05T01:30:00Z"),
                title: "职工反映".to_string(),
                category: Category::new(4).unwrap(),
                commissioned: false,
                officer: Some("王芳".to_string()),
                body: Some("正文".to_string()),
                header: HeaderFields {
                    distribution_scope: Some("市总领导".to_string()),
                    issuing_unit: Some("中山区总工会".to_string()),
                    signer: Some("李明".to_string()),
                    responsible_person: Some("王芳".to_string()),
                    dated: NaiveDate::from_ymd_opt(2026, 1, 5),
                    copies: Some(20),
                },
            }
        );
        let (_, second) = &items[1];
        assert!(second.commissioned);
        assert_eq!(second.filed_at, utc("2026-02-01T02:00:00Z"));
        assert_eq!(second.officer, None);
        assert_eq!(second.header, HeaderFields::default());
    }

    #[test]
    fn a_local_time_is_read_in_the_zone_and_an_offset_is_honoured() {
        let items = parse(&format!(
            "{HEADER}\na,zs,2026-03-31 23:50,t,1,\nb,zs,2026-03-31T16:10:00Z,t,1,\n"
        ))
        .unwrap();
        assert_eq!(items[0].1.filed_at, utc("2026-03-31T15:50:00Z"));
        assert_eq!(items[1].1.filed_at, utc("2026-03-31T16:10:00Z"));
    }

    #[test]
    fn an_empty_commissioned_cell_is_no() {
        let items = parse(&format!("{HEADER}\na,zs,2026-01-05,t,1,\n")).unwrap();
        assert!(!items[0].1.commissioned);
    }

    #[test]
    fn a_time_that_is_not_one_is_refused() {
        assert_eq!(
            problems("a,zs,yesterday,t,1,no\n"),
            vec![problem(
                2,
                "filed_at",
                Problem::NotATime {
                    value: "yesterday".to_string()
                }
            )]
        );
    }

    #[test]
    fn a_category_outside_one_to_twelve_is_refused() {
        for bad in ["0", "13", "四"] {
            assert_eq!(
                problems(&format!("a,zs,2026-01-05,t,{bad},no\n")),
                vec![problem(
                    2,
                    "category",
                    Problem::NotANumber {
                        value: bad.to_string(),
                        min: 1,
                        max: 12
                    }
                )]
            );
        }
    }

    #[test]
    fn a_commissioned_cell_that_is_not_yes_or_no_is_refused() {
        assert_eq!(
            problems("a,zs,2026-01-05,t,1,maybe\n"),
            vec![problem(
                2,
                "commissioned",
                Problem::NotYesNo {
                    value: "maybe".to_string()
                }
            )]
        );
    }

    #[test]
    fn a_title_or_body_over_its_limit_is_refused() {
        let limits = FilingRules {
            title_limit: 3,
            body_soft_limit: 4,
            body_hard_limit: 5,
            ..FilingRules::default()
        };
        let text = "ref,unit,filed_at,title,category,commissioned,body\n\
                    a,zs,2026-01-05,工会信息,1,no,正文正文正文\n\
                    b,zs,2026-01-05,工会信,1,no,正文正文正\n";
        assert_eq!(
            parse_items(text, SHANGHAI, &limits, test_now()).unwrap_err(),
            vec![
                problem(2, "title", Problem::TooLong { limit: 3 }),
                problem(2, "body", Problem::TooLong { limit: 5 }),
            ]
        );
    }

    #[test]
    fn names_units_and_the_scope_over_their_limits_are_refused_on_their_line_and_column() {
        let text = format!(
            "{HEADER},officer,signer,responsible_person,issuing_unit,distribution_scope\n\
             a,zs,2026-01-05,t,1,no,王芳,李明,王芳,中山区总工会,市总领导\n\
             b,zs,2026-01-05,t,1,no,{},{},{},{},{}\n",
            "王".repeat(51),
            "李".repeat(51),
            "张".repeat(51),
            "区".repeat(101),
            "市".repeat(201),
        );
        assert_eq!(
            parse(&text).unwrap_err(),
            vec![
                problem(3, "officer", Problem::TooLong { limit: 50 }),
                problem(3, "distribution_scope", Problem::TooLong { limit: 200 }),
                problem(3, "issuing_unit", Problem::TooLong { limit: 100 }),
                problem(3, "signer", Problem::TooLong { limit: 50 }),
                problem(3, "responsible_person", Problem::TooLong { limit: 50 }),
            ]
        );
    }

    #[test]
    fn a_reference_or_unit_code_longer_than_can_be_typed_in_chat_is_refused() {
        let text = format!(
            "{HEADER}\n{},zs,2026-01-05,t,1,no\nb,{},2026-01-05,t,1,no\n",
            "r".repeat(65),
            "z".repeat(33)
        );
        assert_eq!(
            parse(&text).unwrap_err(),
            vec![
                problem(2, "ref", Problem::TooLong { limit: 64 }),
                problem(3, "unit", Problem::TooLong { limit: 32 }),
            ]
        );
    }

    #[test]
    fn copies_must_be_a_positive_whole_number_and_dated_a_date() {
        let text = "ref,unit,filed_at,title,category,commissioned,copies,dated\n\
                    a,zs,2026-01-05,t,1,no,0,2026-02-30\n\
                    b,zs,2026-01-05,t,1,no,2.5,\n";
        let not_copies = |value: &str| Problem::NotANumber {
            value: value.to_string(),
            min: 1,
            max: i64::from(COPIES_LIMIT),
        };
        assert_eq!(
            parse(text).unwrap_err(),
            vec![
                problem(
                    2,
                    "dated",
                    Problem::NotADate {
                        value: "2026-02-30".to_string()
                    }
                ),
                problem(2, "copies", not_copies("0")),
                problem(3, "copies", not_copies("2.5")),
            ]
        );
    }

    #[test]
    fn a_reference_may_appear_only_once() {
        assert_eq!(
            problems("a,zs,2026-01-05,t,1,no\na,zs,2026-01-06,u,2,no\n"),
            vec![problem(3, "ref", Problem::DuplicateInFile)]
        );
    }

    #[test]
    fn every_problem_of_the_file_is_reported_at_once() {
        let text = "ref,unit,filed_at,title,category,commissioned,colour\n\
                    ,zs,soon,,13,x,\n\
                    b,zs,2026-01-05,t,1\n";
        let found: Vec<(usize, String)> = parse(text)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.line, p.column))
            .collect();
        let expected = [
            (1, "colour"),
            (2, "ref"),
            (2, "filed_at"),
            (2, "title"),
            (2, "category"),
            (2, "commissioned"),
            (3, ""),
        ];
        assert_eq!(
            found,
            expected
                .iter()
                .map(|(l, c)| (*l, c.to_string()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let problems = parse("ref,unit,title,category,commissioned\na,zs,t,1,no\n").unwrap_err();
        assert_eq!(
            problems,
            vec![problem(1, "filed_at", Problem::MissingColumn)]
        );
    }

    #[test]
    fn a_spreadsheet_export_with_bom_crlf_and_spaced_headers_parses() {
        let text = "\u{feff}Ref , Unit ,Filed_At,Title,Category,Commissioned\r\n\
                    a , zs , 2026-01-05 08:00 , 标题 , 2 , 是 \r\n";
        let items = parse(text).unwrap();
        assert_eq!(items[0].0, 2);
        assert_eq!(items[0].1.unit_code, "zs");
        assert_eq!(items[0].1.title, "标题");
        assert!(items[0].1.commissioned);
        assert_eq!(items[0].1.filed_at, utc("2026-01-05T00:00:00Z"));
    }
}
