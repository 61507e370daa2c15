//! The units file: `code, name, kind, parent`.

use std::collections::HashSet;

use super::table::{Column, Sheet, optional, required, word};
use super::{Anything, Known, Parsed, UNIT_LIMIT};
use crate::domain::UnitKind;
use crate::records::{NewUnit, Problem};

const COLUMNS: &[Column] = &[
    required("code", &["代码", "单位代码"]),
    required("name", &["名称", "单位名称"]),
    required("kind", &["类别", "单位类别"]),
    required("parent", &["上级单位", "所属单位", "上级单位代码"]),
    optional("note", &["备注"]),
];

/// Reads units; `kind` is a code or a Chinese label, an empty `parent` is none. A unit code
/// may appear once; codes are read as everywhere ([`crate::domain::parse_unit_code`], at most
/// [`super::CODE_LIMIT`] characters) and names keep to [`UNIT_LIMIT`]. Whether a parent exists and is
/// not a direct-report point is the store's check, since the parent may be stored already.
pub fn parse_units(text: &str) -> Parsed<NewUnit> {
    parse_units_known(text, &Anything)
}

/// As [`parse_units`], with each parent looked up among the stored units (`known`) and the
/// file's own, so that an unknown parent is listed with the file's other problems.
pub fn parse_units_known(text: &str, known: &dyn Known) -> Parsed<NewUnit> {
    // The file's own codes first: a parent may come after its direct-report point.
    let mut in_file = HashSet::new();
    let _ = Sheet::read(text, COLUMNS).parse(|cells| {
        let code = cells.required_with("code", crate::domain::parse_unit_code)?;
        in_file.insert(code.trim().to_lowercase());
        Some(())
    });
    let mut seen = HashSet::new();
    Sheet::read(text, COLUMNS).parse(|cells| {
        let code = cells.required_with("code", crate::domain::parse_unit_code);
        if let Some(code) = &code {
            if !seen.insert(code.clone()) {
                cells.refuse("code", Problem::DuplicateInFile);
            }
        }
        let name = cells.required_within("name", UNIT_LIMIT);
        let kind = cells.required_with("kind", word(UnitKind::parse));
        let parent_code = cells.optional_with("parent", |text| {
            let code = crate::domain::parse_unit_code(text)?;
            if known.unit(&code) || in_file.contains(&code.trim().to_lowercase()) {
                Ok(code)
            } else {
                Err(Problem::UnknownUnit {
                    value: code.trim().to_string(),
                })
            }
        })?;
        match (kind, &parent_code) {
            (Some(UnitKind::DirectPoint), None) => cells.refuse("parent", Problem::ParentMissing),
            (Some(k), Some(_)) if k != UnitKind::DirectPoint => {
                cells.refuse("parent", Problem::ParentNotAllowed)
            }
            _ => {}
        }
        Some(NewUnit {
            code: code?,
            name: name?,
            kind: kind?,
            parent_code,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::RowProblem;

    fn problem(line: usize, column: &str, problem: Problem) -> RowProblem {
        RowProblem {
            line,
            column: column.to_string(),
            problem,
        }
    }

    #[test]
    fn an_unknown_parent_is_listed_with_the_lines_other_problems() {
        let known = crate::import::Stored {
            units: ["zs".to_string()].into(),
            items: Default::default(),
        };
        let text = "code,name,kind,parent\n\
                    p1,,信息直报点,nowhere\n\
                    p2,某公司工会,信息直报点,ZS\n\
                    p3,某厂工会,信息直报点,jx\n\
                    jx,机械产业工会,产业工会,\n";
        assert_eq!(
            parse_units_known(text, &known).unwrap_err(),
            vec![
                problem(2, "name", Problem::Empty),
                problem(
                    2,
                    "parent",
                    Problem::UnknownUnit {
                        value: "nowhere".to_string()
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_good_units_file_parses_with_codes_or_chinese_labels() {
        let text = "code,name,kind,parent\n\
                    zs,中山区总工会,district,\n\
                    jx,机械产业工会,产业工会,\n\
                    zs-1,某公司工会,信息直报点,zs\n";
        let units = parse_units(text).unwrap();
        assert_eq!(units.len(), 3);
        assert_eq!(
            units[0],
            (
                2,
                NewUnit {
                    code: "zs".to_string(),
                    name: "中山区总工会".to_string(),
                    kind: UnitKind::District,
                    parent_code: None,
                }
            )
        );
        assert_eq!(units[1].1.kind, UnitKind::Industry);
        assert_eq!(units[2].0, 4);
        assert_eq!(units[2].1.kind, UnitKind::DirectPoint);
        assert_eq!(units[2].1.parent_code.as_deref(), Some("zs"));
    }

    #[test]
    fn an_unknown_kind_is_refused_with_the_accepted_codes() {
        let problems = parse_units("code,name,kind,parent\nx,X,club,\n").unwrap_err();
        assert_eq!(
            problems,
            vec![problem(
                2,
                "kind",
                Problem::NotOneOf {
                    value: "club".to_string(),
                    expected: "district, pilot_zone, industry, department, direct_point"
                        .to_string()
                }
            )]
        );
    }

    #[test]
    fn a_direct_report_point_needs_a_parent_and_no_other_kind_may_have_one() {
        let text = "code,name,kind,parent\np,P,direct_point,\nd,D,district,zs\n";
        assert_eq!(
            parse_units(text).unwrap_err(),
            vec![
                problem(2, "parent", Problem::ParentMissing),
                problem(3, "parent", Problem::ParentNotAllowed),
            ]
        );
    }

    #[test]
    fn a_unit_code_may_appear_only_once_and_empty_cells_are_refused() {
        let text = "code,name,kind,parent\na,A,district,\na,B,district,\n,,,\n,C,,\n";
        assert_eq!(
            parse_units(text).unwrap_err(),
            vec![
                problem(3, "code", Problem::DuplicateInFile),
                problem(5, "code", Problem::Empty),
                problem(5, "kind", Problem::Empty),
            ]
        );
    }

    #[test]
    fn a_unit_name_over_100_characters_or_a_code_over_32_is_refused_on_its_line() {
        let text = format!(
            "code,name,kind,parent\nzs,中山区总工会,district,\nxg,{},district,\n{},X,district,\n",
            "名".repeat(101),
            "c".repeat(33)
        );
        assert_eq!(
            parse_units(&text).unwrap_err(),
            vec![
                problem(3, "name", Problem::TooLong { limit: 100 }),
                problem(4, "code", Problem::TooLong { limit: 32 }),
            ]
        );
    }
}
