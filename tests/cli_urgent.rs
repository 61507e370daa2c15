//! `unionbot urgent list|show` end to end on SQLite and (when configured) PostgreSQL: the open
//! events newest first with their delay and late flag, one unit's only, closed ones with
//! `--all`, one event in full; and `veto add` recording a missing report against a unit.

mod common;

use chrono::{DateTime, Utc};
use common::cli::Office;
use serde_json::Value;
use unionbot::forms::extract::Qualifier;
use unionbot::period::parse_instant;
use unionbot::records::Recorder;
use unionbot::rules::Rules;
use unionbot::store::{NewFollowUp, NewUrgentReport, PeopleInvolved, Store, UrgentFacts};

fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text, chrono_tz::Asia::Shanghai).expect("a test time")
}

/// Two events of d1 (the later one late, with a follow-up) and one of d2, closed.
async fn seed(store: &Store) -> (i64, i64, i64) {
    let rules = Rules::default().urgent;
    let d1 = store.unit_by_code("d1").await.unwrap().unwrap().id;
    let d2 = store.unit_by_code("d2").await.unwrap().unwrap().id;
    let report =
        |key: &str, unit, reported: &str, event: Option<&str>, text: &str| NewUrgentReport {
            key: key.into(),
            unit,
            reported_by: None,
            text: text.into(),
            reported_at: at(reported),
            facts: UrgentFacts {
                event_at: event.map(at),
                ..UrgentFacts::default()
            },
            by_phone: false,
            recorded_by: None,
        };
    let early = store
        .report_urgent(
            &rules,
            &report(
                "k1",
                d1,
                "2026-06-10 09:00",
                Some("2026-06-10 08:30"),
                "港区发生塔吊倒塌事故",
            ),
        )
        .await
        .unwrap()
        .id;
    let late = store
        .report_urgent(
            &rules,
            &report(
                "k2",
                d1,
                "2026-06-11 02:00",
                Some("2026-06-11 00:20"),
                "化工厂门口约200名职工聚集",
            ),
        )
        .await
        .unwrap()
        .id;
    let other = store
        .report_urgent(
            &rules,
            &report("k3", d2, "2026-06-11 03:00", None, "客运站司机停运"),
        )
        .await
        .unwrap()
        .id;
    let by = Recorder("test:office".into());
    store
        .add_urgent_followup(
            &rules,
            &NewFollowUp {
                key: "k2.1".into(),
                event: late,
                reported_by: None,
                text: "人数减至三四十人，已派员劝导".into(),
                reported_at: at("2026-06-11 04:00"),
                final_report: false,
                people: Some(PeopleInvolved {
                    count: 30,
                    upper: Some(40),
                    qualifier: Qualifier::Range,
                    words: "三四十人".into(),
                }),
                measures: Some("已派员劝导".into()),
                status: None,
                event_at: None,
                place: None,
                cause: None,
            },
            &by,
        )
        .await
        .unwrap();
    store
        .close_urgent(other, &by, at("2026-06-11 05:00"))
        .await
        .unwrap();
    (early, late, other)
}

#[tokio::test]
async fn urgent_list_shows_the_open_events_newest_first_with_delay_and_flag() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.city().await;
        let (early, late, other) = seed(&db.store).await;
        let open = office.json(&["urgent", "list"]).await;
        let numbers: Vec<i64> = open
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, vec![late, early], "{}", db.backend);
        assert_eq!(open[0]["delay_minutes"], 100);
        assert_eq!(open[0]["late"], "flagged");
        assert_eq!(open[0]["followups"], 1);
        assert_eq!(open[1]["delay_minutes"], 30);
        assert_eq!(open[1]["late"], "none");
        assert!(
            !open.to_string().contains("化工厂"),
            "the list carries no report text"
        );

        let all = office.json(&["urgent", "list", "--all"]).await;
        assert_eq!(all.as_array().unwrap().len(), 3);
        assert_eq!(all[0]["number"], other);
        assert_eq!(all[0]["state"], "closed");
        let of_d2 = office.json(&["urgent", "list", "--unit", "d2"]).await;
        assert_eq!(of_d2, Value::Array(Vec::new()), "d2's event is closed");
        let of_d2 = office
            .json(&["urgent", "list", "--unit", "d2", "--all"])
            .await;
        assert_eq!(of_d2.as_array().unwrap().len(), 1);
        let unknown = office.run(&["urgent", "list", "--unit", "zz"]).await;
        assert!(unknown.unwrap_err().contains("zz"));

        let table = office.ok_in("zh-CN", &["urgent", "list"]).await;
        assert!(table.contains(&format!("#{late}")), "{table}");
        assert!(table.contains("疑似迟报"), "{table}");
        assert!(table.contains("1小时40分钟"), "{table}");
        assert!(table.contains("30分钟"), "{table}");
        let csv = office.ok(&["urgent", "list", "--format", "csv"]).await;
        assert!(
            csv.starts_with("\u{feff}number,unit,reported_at,event_at,delay_minutes,late"),
            "{csv}"
        );
        assert!(csv.contains(",d1,"), "{csv}");
        db.finish().await;
    }
}

#[tokio::test]
async fn urgent_show_prints_the_facts_the_report_and_its_follow_ups() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.city().await;
        let (_, late, _) = seed(&db.store).await;
        let number = late.to_string();
        let text = office.ok_in("zh-CN", &["urgent", "show", &number]).await;
        assert!(
            text.contains(&format!("紧急信息第 {late} 号：District One（d1）")),
            "{text}"
        );
        assert!(text.contains("化工厂门口约200名职工聚集"), "{text}");
        assert!(text.contains("续报1"), "{text}");
        assert!(text.contains("三四十人"), "{text}");
        assert!(
            text.contains("待补充"),
            "the place is still to be supplied: {text}"
        );
        assert!(text.contains("1小时40分钟"), "{text}");
        assert!(!text.contains("100 分钟"), "{text}");
        let json = office.json(&["urgent", "show", &format!("#{late}")]).await;
        assert_eq!(json["number"], late);
        assert_eq!(json["text"], "化工厂门口约200名职工聚集");
        assert_eq!(json["followup_reports"][0]["number"], 1);
        assert_eq!(json["facts"]["people"]["qualifier"], "range");
        assert_eq!(json["facts"]["people"]["upper"], 40);
        assert_eq!(
            json["facts"]["missing"],
            serde_json::json!(["place", "cause", "status"])
        );
        let unknown = office.run(&["urgent", "show", "999"]).await;
        assert!(unknown.unwrap_err().contains("999"));
        let not_a_number = office.run(&["urgent", "show", "abc"]).await;
        assert!(not_a_number.unwrap_err().contains("abc"));
        db.finish().await;
    }
}

#[tokio::test]
async fn a_missing_urgent_report_recorded_from_the_command_line_costs_the_awards() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.city().await;
        let added = office
            .ok(&[
                "veto",
                "add",
                "--unit",
                "d1",
                "--kind",
                "missing",
                "--date",
                "2026-07-02",
                "--reason",
                "港区罢工未报告",
            ])
            .await;
        assert!(added.contains('#'), "{added}");
        let vetoes = office.json(&["veto", "list", "--year", "2026"]).await;
        assert_eq!(vetoes[0]["kind"], "missing", "{}", db.backend);
        assert_eq!(vetoes[0]["date"], "2026-07-02");
        let awards = office.json(&["awards", "--year", "2026"]).await;
        let d1 = awards
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["unit"] == "d1")
            .unwrap();
        assert_eq!(d1["eligible"], false);
        assert_eq!(d1["reasons"], serde_json::json!(["veto"]));
        db.finish().await;
    }
}

#[tokio::test]
async fn urgent_show_writes_no_control_character_and_gives_the_history_and_open_lateness() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.city().await;
        let store = &db.store;
        let d1 = store.unit_by_code("d1").await.unwrap().unwrap().id;
        // A record stored before control characters were removed from first messages.
        let event = store
            .report_urgent(
                &Rules::default().urgent,
                &NewUrgentReport {
                    key: "old".into(),
                    unit: d1,
                    reported_by: None,
                    text: "车间\u{7}发生\u{1b}[31m事故\u{202e}".into(),
                    reported_at: at("2026-06-11 02:00"),
                    facts: UrgentFacts {
                        place: Some("一号车间".into()),
                        ..UrgentFacts::default()
                    },
                    by_phone: false,
                    recorded_by: None,
                },
            )
            .await
            .unwrap()
            .id;
        for lang in ["zh-CN", "en"] {
            let text = office
                .ok_in(lang, &["urgent", "show", &event.to_string()])
                .await;
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(!text.contains('\u{202e}'), "{text:?}");
        }
        let text = office
            .ok_in("zh-CN", &["urgent", "show", &event.to_string()])
            .await;
        assert!(text.contains("事件时间待补充，无法判断是否迟报"), "{text}");
        assert!(text.contains("经过："), "{text}");
        assert!(text.contains("首报"), "{text}");
        assert!(text.contains("一号车间"), "{text}");
        let table = office.ok_in("zh-CN", &["urgent", "list"]).await;
        assert!(table.contains("无法判断是否迟报"), "{table}");
        db.finish().await;
    }
}
