//! The command line with spreadsheets as an office has them: files saved by Excel in any of its
//! encodings and with Chinese headers, CSV that Excel opens right and that reads back, every
//! report in the format asked for, and tables that fit a terminal.

mod common;

use common::cli::{ADOPTIONS, INSTRUCTIONS, ITEMS, Office, UNITS};
use serde_json::Value;

/// The same city with the headers an office's own sheets have, an optional column included.
const CHINESE_HEADERS: [(&str, &str, &str); 4] = [
    ("unit", UNITS, "代码,名称,类别,上级单位"),
    (
        "item",
        ITEMS,
        "编号,单位,报送时间,标题,类别,特约稿件,信息员",
    ),
    (
        "adoption",
        ADOPTIONS,
        "信息编号,单位,标题,采用级别,形式,采用日期",
    ),
    (
        "instruction",
        INSTRUCTIONS,
        "信息编号,单位,标题,批示级别,批示日期",
    ),
];

/// The sample city of `unionbot demo`.
const SAMPLES: [(&str, &str); 4] = [
    ("unit", include_str!("../samples/units.csv")),
    ("item", include_str!("../samples/items.csv")),
    ("adoption", include_str!("../samples/adoptions.csv")),
    ("instruction", include_str!("../samples/instructions.csv")),
];

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// Columns a line takes in a terminal, Chinese characters and full-width marks two each.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

const CHINESE_UNITS: &str = "代码,名称,类别,上级单位\r\n\
zs,中山区总工会,区市县总工会,\r\n\
zs-gk,中山港口公司工会,信息直报点,zs\r\n\
jx,机械冶金产业工会,产业工会,\r\n";

/// The units' names, in the order of their codes.
async fn unit_names(office: &Office) -> Vec<Value> {
    let units = office.json(&["unit", "list"]).await;
    units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].clone())
        .collect()
}

#[tokio::test]
async fn a_gb18030_units_file_with_chinese_headers_stores_the_chinese_names_exactly() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        let said = office
            .import("unit", &gb18030(CHINESE_UNITS))
            .await
            .unwrap();
        assert!(said.contains("GB18030"), "{said}");
        assert_eq!(
            unit_names(&office).await,
            ["机械冶金产业工会", "中山区总工会", "中山港口公司工会"]
        );
        let units = office.json(&["unit", "list"]).await;
        assert_eq!(units[2]["parent"], "zs", "{}", db.backend);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_utf16_file_with_a_bom_is_read_as_utf16() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let said = office
        .import("unit", &utf16le_with_bom(CHINESE_UNITS))
        .await
        .unwrap();
    assert!(said.contains("UTF-16LE"), "{said}");
    assert_eq!(
        unit_names(&office).await,
        ["机械冶金产业工会", "中山区总工会", "中山港口公司工会"]
    );
    db.finish().await;
}

#[tokio::test]
async fn a_file_in_no_encoding_is_refused_naming_the_bad_bytes_offset_and_how_to_save_it() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    // Line 2 starts at byte 22, and its 0xFF, at 25, fits neither UTF-8 nor GB18030.
    let bytes = b"code,name,kind,parent\nzs,\xFF,district,\n";
    let path = office.file("units.csv", bytes);
    let path = path.to_str().unwrap();
    let english = office
        .run_in("en", &["unit", "import", path])
        .await
        .unwrap_err();
    assert!(english.contains("line 2 (byte offset 25)"), "{english}");
    assert!(english.contains("CSV UTF-8"), "{english}");
    let chinese = office
        .run_in("zh-CN", &["unit", "import", path])
        .await
        .unwrap_err();
    assert!(chinese.contains("第 2 行（字节偏移 25）"), "{chinese}");
    assert!(chinese.contains("另存为"), "{chinese}");
    assert!(unit_names(&office).await.is_empty());
    db.finish().await;
}

#[tokio::test]
async fn every_importer_reads_chinese_headers_as_the_english_ones() {
    let db = common::TestDb::sqlite(true).await;
    let english = Office::new(&db.url);
    english.city().await;
    let expected = english.json(&["standings", "--period", "2026"]).await;
    db.finish().await;

    let db = common::TestDb::sqlite(true).await;
    let chinese = Office::new(&db.url);
    for (kind, text, header) in CHINESE_HEADERS {
        let (_, rows) = text.split_once('\n').unwrap();
        let file = format!("{header}\n{rows}");
        chinese
            .import(kind, file.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    let standings = chinese.json(&["standings", "--period", "2026"]).await;
    assert_eq!(standings, expected);
    db.finish().await;
}

#[tokio::test]
async fn a_refused_cell_under_a_chinese_header_is_named_by_that_header() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let file = "代码,名称,类别,上级单位,备注\nzs,中山区总工会,俱乐部,,新成立\n";
    let refused = office.import("unit", file.as_bytes()).await.unwrap_err();
    assert!(refused.contains("line 2, column “类别”"), "{refused}");
    db.finish().await;
}

#[tokio::test]
async fn score_and_awards_write_csv_when_asked_for_it() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.city().await;
    let score = office
        .ok(&[
            "score", "--unit", "d1", "--period", "2026", "--format", "csv",
        ])
        .await;
    let mut lines = score.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}unit,source,record,date,points,description")
    );
    assert!(
        score.contains("d1,adoption,") && score.contains(",2026-02-01,6,"),
        "{score}"
    );
    assert!(score.contains("p1,filings,,2026Q1,2,"), "{score}");
    let awards = office
        .ok(&["awards", "--year", "2026", "--format", "csv"])
        .await;
    let rows: Vec<&str> = awards.lines().collect();
    assert_eq!(
        rows[0],
        "\u{feff}rank,unit,name,points,high_adoptions,city_federation,single,eligible,reasons,tier"
    );
    assert!(
        rows.contains(&"1,d1,District One,13,2,0,1,yes,,first"),
        "{awards}"
    );
    assert!(
        rows.contains(&",d2,District Two,17,1,0,1,no,too_few_high_adoptions,"),
        "{awards}"
    );
    db.finish().await;
}

#[tokio::test]
async fn an_unknown_language_is_refused_with_the_languages_there_are() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let refused = office
        .run_in("fr", &["standings", "--period", "2026"])
        .await
        .unwrap_err();
    assert!(refused.contains("不支持语言“fr”"), "{refused}");
    assert!(refused.contains("zh-CN、en"), "{refused}");
    assert!(
        refused.contains("There is no language “fr”; the languages are zh-CN, en."),
        "{refused}"
    );
    db.finish().await;
}

#[tokio::test]
async fn unit_list_csv_starts_with_a_bom_and_imports_again_as_it_was() {
    let db = common::TestDb::sqlite(true).await;
    let first = Office::new(&db.url);
    first
        .import("unit", CHINESE_UNITS.as_bytes())
        .await
        .unwrap();
    let csv = first.ok(&["unit", "list", "--format", "csv"]).await;
    assert!(csv.starts_with("\u{feff}code,name,kind,parent\n"), "{csv}");
    let listed = first.json(&["unit", "list"]).await;
    db.finish().await;

    let db = common::TestDb::sqlite(true).await;
    let second = Office::new(&db.url);
    let said = second.import("unit", csv.as_bytes()).await.unwrap();
    assert!(said.contains("3 units added"), "{said}");
    assert_eq!(second.json(&["unit", "list"]).await, listed);
    db.finish().await;
}

#[tokio::test]
async fn an_officers_formula_name_reaches_honoraria_csv_as_text_and_reads_back_as_written() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let name = "=HYPERLINK(\"http://example.com\",\"x\")";
    let units = "code,name,kind,parent\nd1,@SUM(1),district,\n";
    office.import("unit", units.as_bytes()).await.unwrap();
    let items = format!(
        "ref,unit,filed_at,title,category,commissioned,officer\n\
         r1,d1,2026-01-10 09:00,Wages,1,no,\"{}\"\n",
        name.replace('"', "\"\"")
    );
    office.import("item", items.as_bytes()).await.unwrap();
    let adoptions = "item_ref,unit,title,level,form,date\nr1,,,市委,单条,2026-02-01\n";
    office
        .import("adoption", adoptions.as_bytes())
        .await
        .unwrap();
    let csv = office
        .ok(&["honoraria", "--period", "2026H1", "--format", "csv"])
        .await;
    let payee = csv.lines().nth(1).unwrap();
    assert!(
        payee.starts_with("\"'=HYPERLINK(\"\"http://example.com\"\""),
        "{csv}"
    );
    let listed = office.ok(&["unit", "list", "--format", "csv"]).await;
    assert!(listed.contains("d1,'@SUM(1),district,"), "{listed}");

    let db2 = common::TestDb::sqlite(true).await;
    let again = Office::new(&db2.url);
    again.import("unit", listed.as_bytes()).await.unwrap();
    assert_eq!(unit_names(&again).await, ["@SUM(1)"]);
    db2.finish().await;
    db.finish().await;
}

#[tokio::test]
async fn every_line_of_the_sample_citys_award_table_fits_100_columns_in_both_languages() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.city_from(&SAMPLES).await;
    office
        .ok(&[
            "veto",
            "add",
            "--unit",
            "sk",
            "--kind",
            "late",
            "--date",
            "2026-04-08",
            "--reason",
            "突发事件紧急信息迟报",
        ])
        .await;
    for lang in ["zh-CN", "en"] {
        for args in [
            &["awards", "--year", "2026"][..],
            &["standings", "--period", "2026"],
            &["score", "--unit", "zs", "--period", "2026"],
        ] {
            let table = office.run_in(lang, args).await.unwrap();
            assert!(table.lines().count() > 5, "{table}");
            for line in table.lines() {
                assert!(display_width(line) <= 100, "{lang} {args:?}:\n{line}");
            }
        }
    }
    db.finish().await;
}
