//! Honoraria say which rates were RULES.md's placeholders and not the office's own (§7 sets
//! no rates): a note under the table in the user's language, `rate_source` and
//! `default_rates` in JSON and CSV.

mod common;

use common::cli::{Office, path_str};
use serde_json::{Value, json};

const UNITS: &str = "code,name,kind,parent\n\
d1,District One,district,\n\
d2,District Two,district,\n";

const ITEMS: &str = "ref,unit,filed_at,title,category,commissioned,officer\n\
r1,d1,2026-01-10 09:00,Wages in the port,1,no,Wang Li\n\
r2,d2,2026-01-11 09:00,Bus drivers,2,no,Li Qiang\n";

// In 2026H1: Wang Li is paid for a municipal committee single adoption (default 200 yuan) and
// a provincial federation combined one (default 150 yuan), Li Qiang for a combined one.
const ADOPTIONS: &str = "item_ref,unit,title,level,form,date\n\
r1,d1,,市委,单条,2026-02-01\n\
r1,d1,,省总,综合,2026-02-15\n\
r2,d2,,省总,综合,2026-03-01\n";

/// The city, file by file in the order it is imported.
const CITY: [(&str, &str); 3] = [("unit", UNITS), ("item", ITEMS), ("adoption", ADOPTIONS)];

/// `honoraria` for 2026H1 in `lang` and `format`, with the rules file `rules` if any.
async fn honoraria(office: &Office, lang: &str, format: &str, rules: Option<&str>) -> String {
    let path = rules.map(|text| office.file("rules.toml", text));
    let mut args = Vec::new();
    if let Some(path) = &path {
        args.extend(["--rules", path_str(path)]);
    }
    args.extend(["honoraria", "--period", "2026H1", "--format", format]);
    office.ok_in(lang, &args).await
}

/// A rules file that sets both rates the city is paid at.
const BOTH_RATES: &str = "[honoraria.rates.municipal_committee]\nsingle = 250\n\
[honoraria.rates.provincial_federation]\ncombined = 150\n";

/// The text without its white space, so that a note reads the same however it was wrapped.
fn squashed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[tokio::test]
async fn without_a_rules_file_the_honoraria_table_notes_each_default_rate_used() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    let chinese = honoraria(&office, "zh-CN", "table", None).await;
    assert!(
        squashed(&chinese).contains(&squashed(
            "注：以下稿酬标准为默认值，规则文件未设定：市委信息单条 200 元；省总综合 150 元。"
        )),
        "{chinese}"
    );
    let english = honoraria(&office, "en", "table", None).await;
    assert!(
        squashed(&english).contains(&squashed(
            "these rates are defaults that the rules file does not set: municipal party \
             committee information (single) 200 yuan; provincial federation (combined) 150 yuan."
        )),
        "{english}"
    );
    // Only the rates used: no other level is named.
    assert!(!chinese.contains("中办、国办"), "{chinese}");
    db.finish().await;
}

#[tokio::test]
async fn with_a_rules_file_setting_every_rate_used_the_honoraria_table_has_no_note() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    let chinese = honoraria(&office, "zh-CN", "table", Some(BOTH_RATES)).await;
    assert!(chinese.contains("合计：550 元"), "{chinese}");
    assert!(!chinese.contains("默认值"), "{chinese}");
    let english = honoraria(&office, "en", "table", Some(BOTH_RATES)).await;
    assert!(!english.contains("defaults"), "{english}");
    db.finish().await;
}

#[tokio::test]
async fn json_and_csv_honoraria_say_per_payee_which_rates_were_defaults() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    // The file sets the municipal committee's single rate only: Wang Li is paid at it and at a
    // default, Li Qiang at a default only; a file setting both rates leaves no default.
    let one_rate = "[honoraria.rates.municipal_committee]\nsingle = 250\n";
    let json: Value =
        serde_json::from_str(&honoraria(&office, "en", "json", Some(one_rate)).await).unwrap();
    let row = |payee: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|h| h["payee"] == payee)
            .cloned()
            .unwrap()
    };
    assert_eq!(row("Wang Li")["rate_source"], "mixed");
    assert_eq!(
        row("Wang Li")["default_rates"],
        json!(["provincial_federation.combined"])
    );
    assert_eq!(row("Li Qiang")["rate_source"], "default");
    assert_eq!(
        row("Li Qiang")["default_rates"],
        json!(["provincial_federation.combined"])
    );
    let csv = honoraria(&office, "en", "csv", Some(one_rate)).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "payee,unit,adoptions,amount,rate_source,default_rates"
    );
    assert!(
        lines.contains(&"Wang Li,d1,2,400,mixed,provincial_federation.combined"),
        "{csv}"
    );
    assert!(
        lines.contains(&"Li Qiang,d2,1,150,default,provincial_federation.combined"),
        "{csv}"
    );
    let csv = honoraria(&office, "en", "csv", Some(BOTH_RATES)).await;
    assert!(csv.contains("Li Qiang,d2,1,150,rules_file,\n"), "{csv}");
    db.finish().await;
}
