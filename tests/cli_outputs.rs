//! What the command line prints names people, words and tie-breaks, not internal codes: who
//! recorded a veto or decided an urgent report by current name and number (never a chat
//! address), the Chinese names of veto and record kinds taken and offered, every problem of an
//! import at once, honoraria per adoption under the current name, and the awards' tie-breaks
//! and Chinese CSV files.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::cli::{CITY, Office};
use unionbot::domain::{Role, VetoKind};
use unionbot::period::parse_instant;
use unionbot::records::{NewVeto, Recorder};
use unionbot::rules::Rules;
use unionbot::store::{NewUrgentReport, Store, UrgentFacts};

fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text, chrono_tz::Asia::Shanghai).expect("a test time")
}

/// A person registered in chat at `telegram_id`; their number.
async fn register(
    store: &Store,
    unit: Option<&str>,
    role: Role,
    telegram_id: i64,
    name: &str,
) -> i64 {
    let now = at("2026-01-05 09:00");
    let office = Recorder("test:office".into());
    let invite = store
        .create_invite(unit, role, Duration::days(7), now, &office)
        .await
        .unwrap();
    store
        .redeem_invite(&invite.code, telegram_id, name, now)
        .await
        .unwrap()
        .id
}

/// An office year: the sample city imported, an office member in chat (刘洋, later renamed)
/// who records a veto and closes an urgent report, one more report flagged late and confirmed
/// from the terminal by an address no one holds any more, and a veto on the command line.
async fn office_year(office: &Office, store: &Store) -> (i64, i64) {
    let liu = register(store, None, Role::Office, 424_242, "刘洋").await;
    let in_chat = Recorder("telegram:424242".into());
    let gone = Recorder("terminal:-1013".into());
    let veto = NewVeto {
        unit_code: "d1".into(),
        kind: VetoKind::Concealed,
        on: at("2026-03-02 10:00").date_naive(),
        reason: "瞒报停工事件".into(),
    };
    store.add_veto(&veto, &in_chat).await.unwrap();
    office
        .ok(&[
            "veto",
            "add",
            "--unit",
            "d2",
            "--kind",
            "越级",
            "--date",
            "2026-04-01",
            "--reason",
            "越级上报负面信息",
        ])
        .await;
    let rules = Rules::default();
    let d1 = store.unit_by_code("d1").await.unwrap().unwrap().id;
    let report = |key: &str, reported: &str, event: &str| NewUrgentReport {
        key: key.into(),
        unit: d1,
        reported_by: None,
        text: "港区发生塔吊倒塌事故".into(),
        reported_at: at(reported),
        facts: UrgentFacts {
            event_at: Some(at(event)),
            ..UrgentFacts::default()
        },
        by_phone: false,
        recorded_by: None,
    };
    let closed = store
        .report_urgent(
            &rules.urgent,
            &report("k1", "2026-06-10 09:00", "2026-06-10 08:30"),
        )
        .await
        .unwrap()
        .id;
    store
        .close_urgent(closed, &in_chat, at("2026-06-10 12:00"))
        .await
        .unwrap();
    let late = store
        .report_urgent(
            &rules.urgent,
            &report("k2", "2026-06-11 09:00", "2026-06-11 02:00"),
        )
        .await
        .unwrap()
        .id;
    store
        .confirm_urgent_late(&rules, late, &gone, at("2026-06-11 10:00"))
        .await
        .unwrap();
    store.set_name(liu, "刘洋洋").await.unwrap();
    (closed, late)
}

#[tokio::test]
async fn no_output_of_an_office_year_names_a_chat_address_in_any_format_or_language() {
    for db in common::databases().await {
        let office = Office::importing(&db.url, &CITY).await;
        let (closed, late) = office_year(&office, &db.store).await;
        let liu = db
            .store
            .person_by_telegram(424_242)
            .await
            .unwrap()
            .unwrap()
            .id;
        let (closed, late) = (closed.to_string(), late.to_string());
        let mut commands: Vec<Vec<&str>> = Vec::new();
        for format in ["table", "csv", "json"] {
            commands.push(vec!["veto", "list", "--format", format]);
            commands.push(vec!["urgent", "list", "--all", "--format", format]);
            commands.push(vec!["item", "show", "r1", "--format", format]);
            commands.push(vec!["standings", "--period", "2026", "--format", format]);
            commands.push(vec!["awards", "--year", "2026", "--format", format]);
            commands.push(vec!["honoraria", "--period", "2026H1", "--format", format]);
            commands.push(vec![
                "score", "--unit", "d1", "--period", "2026", "--format", format,
            ]);
        }
        for format in ["text", "json"] {
            commands.push(vec!["urgent", "show", &closed, "--format", format]);
            commands.push(vec!["urgent", "show", &late, "--format", format]);
        }
        let mut all = String::new();
        for lang in ["zh-CN", "en"] {
            for args in &commands {
                let out = office.ok_in(lang, args).await;
                for address in ["telegram:", "terminal:", "424242", "-1013"] {
                    assert!(
                        !out.contains(address),
                        "{lang} {args:?} shows {address}:\n{out}"
                    );
                }
                all.push_str(&out);
            }
        }
        // The person by current name and number; the command line and an import say so.
        let shown = format!("刘洋洋（人员编号 {liu}）");
        let vetoes = office
            .ok_in("zh-CN", &["veto", "list", "--format", "json"])
            .await;
        assert!(vetoes.contains(&shown), "{vetoes}");
        assert!(vetoes.contains("命令行（"), "{vetoes}");
        assert!(vetoes.contains("越级上报"), "{vetoes}");
        let card = office.ok_in("zh-CN", &["urgent", "show", &closed]).await;
        assert!(card.contains(&shown), "{card}");
        let card = office.ok_in("zh-CN", &["urgent", "show", &late]).await;
        assert!(card.contains("已不在册的人员"), "{card}");
        let item = office
            .ok_in("zh-CN", &["item", "show", "r1", "--format", "json"])
            .await;
        assert!(item.contains("导入（"), "{item}");
        let english = office.ok(&["veto", "list", "--format", "json"]).await;
        assert!(
            english.contains(&format!("刘洋洋 (person {liu})")),
            "{english}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn chinese_names_of_kinds_are_taken_and_a_refusal_lists_them_in_chinese() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    let veto = [
        "veto",
        "add",
        "--unit",
        "d1",
        "--kind",
        "越级",
        "--date",
        "2026-03-01",
        "--reason",
        "越级上报",
    ];
    let added = office.ok_in("zh-CN", &veto).await;
    let id = added
        .trim()
        .trim_start_matches("已记录否决 #")
        .trim_end_matches('。')
        .to_string();
    let listed = office.json(&["veto", "list"]).await;
    assert_eq!(listed[0]["kind"], "bypass");
    let retracted = office
        .ok_in(
            "zh-CN",
            &[
                "retract",
                "--record",
                "否决",
                "--id",
                &id,
                "--reason",
                "记错单位",
            ],
        )
        .await;
    assert!(retracted.contains(&format!("#{id}")), "{retracted}");

    let mut bad = veto;
    bad[5] = "乱报";
    let refused = office.run_in("zh-CN", &bad).await.unwrap_err();
    assert!(
        refused.contains("“迟报”、“漏报、不报”、“瞒报”、“越级上报”"),
        "{refused}"
    );
    assert!(!refused.contains("bypass"), "{refused}");
    let refused = office
        .run_in(
            "zh-CN",
            &["retract", "--record", "撤回", "--id", "1", "--reason", "x"],
        )
        .await
        .unwrap_err();
    assert!(
        refused.contains("“信息”、“采用”、“批示”、“约稿”、“否决”"),
        "{refused}"
    );
    let path = office.file(
        "units.csv",
        "代码,名称,类别,上级单位\nsg,沙河口区某街道工会,街道工会,\n",
    );
    let refused = office
        .run_in("zh-CN", &["unit", "import", common::cli::path_str(&path)])
        .await
        .unwrap_err();
    assert!(
        refused.contains("“区市县总工会”、“先导区工会”"),
        "{refused}"
    );
    assert!(!refused.contains("district"), "{refused}");
    // English keeps the codes that English readers type.
    let refused = office.run_in("en", &bad).await.unwrap_err();
    assert!(
        refused.contains("late, missing, concealed, bypass"),
        "{refused}"
    );
    db.finish().await;
}

#[tokio::test]
async fn an_import_lists_an_unknown_unit_with_the_other_problems_of_its_line() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY[..1]).await;
    let items = "ref,unit,filed_at,title,category,commissioned\n\
                 x1,nowhere,2026-01-10 09:00,,1,no\n\
                 x2,d1,2026-01-10 09:00,Fine,1,no\n";
    let refused = office.import("item", items).await.unwrap_err();
    assert!(refused.contains("nowhere"), "{refused}");
    assert!(refused.contains("title"), "{refused}");
    let adoptions = "item_ref,unit,title,level,form,date\n\
                     nothing,,,市委,单条,someday\n";
    let refused = office.import("adoption", adoptions).await.unwrap_err();
    assert!(
        refused.contains("nothing") && refused.contains("someday"),
        "{refused}"
    );
    assert_eq!(db.store.counts().await.unwrap().adoptions, 0);
    let units = "code,name,kind,parent\nq1,,direct_point,elsewhere\n";
    let refused = office.import("unit", units).await.unwrap_err();
    assert!(
        refused.contains("elsewhere") && refused.contains("name"),
        "{refused}"
    );
    db.finish().await;
}

#[tokio::test]
async fn honoraria_pay_the_current_name_and_list_each_adoption_under_its_payee() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    let table = office
        .ok_in("zh-CN", &["honoraria", "--period", "2026H1"])
        .await;
    // The unit's name, not its code; a line per adoption with its item, level, form and rate.
    assert!(table.contains("District One"), "{table}");
    assert!(table.contains("#1《Wages in the"), "{table}");
    assert!(table.contains("市委信息"), "{table}");
    assert!(table.contains("单条"), "{table}");
    assert!(table.contains("共 1 条"), "{table}");
    assert!(table.contains("《Elsewhere》（未在"), "{table}");
    let csv = office
        .ok_in(
            "zh-CN",
            &["honoraria", "--period", "2026H1", "--format", "csv"],
        )
        .await;
    let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(
        header,
        "领取人,单位,采用条数,金额（元）,稿酬标准来源,采用默认值的标准"
    );
    assert!(csv.contains("默认值"), "{csv}");
    assert!(!csv.contains("default"), "{csv}");
    db.finish().await;
}

#[tokio::test]
async fn awards_show_the_tie_breaks_and_chinese_csv_files_read_in_chinese() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    let json = office.json(&["awards", "--year", "2026"]).await;
    let d1 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["unit"] == "d1")
        .unwrap();
    assert_eq!(d1["city_federation_adoptions"], 0);
    assert_eq!(d1["single_adoptions"], 1);
    let table = office.ok_in("zh-CN", &["awards", "--year", "2026"]).await;
    assert!(
        table.contains("市总采用") && table.contains("单条采用"),
        "{table}"
    );
    let csv = office
        .ok_in("zh-CN", &["awards", "--year", "2026", "--format", "csv"])
        .await;
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows[0],
        "名次,代码,单位,得分,市委及以上采用,市总采用,单条采用,是否符合评选条件,不符合条件的原因,奖项"
    );
    assert!(
        rows.contains(&"1,d1,District One,13,2,0,1,是,,一等奖"),
        "{csv}"
    );
    assert!(
        rows.contains(&",d2,District Two,17,1,0,1,否,被市委、省总及以上采用 1 条，不足 2 条,"),
        "{csv}"
    );
    let standings = office
        .ok_in(
            "zh-CN",
            &["standings", "--period", "2026", "--format", "csv"],
        )
        .await;
    assert!(
        standings.starts_with("\u{feff}名次,代码,单位,得分,来稿"),
        "{standings}"
    );
    for text in [&csv, &standings] {
        for english in ["yes", "first", "too_few", "rank", "eligible"] {
            assert!(!text.contains(english), "{english} in {text}");
        }
    }
    db.finish().await;
}
