//! The office's calendar on the command line: `guidance set` from a file and the `schedule`
//! preview, on SQLite and (when configured) PostgreSQL.

mod common;

use common::cli::{Office, UNITS, path_str};
use unionbot::period::parse_instant;
use unionbot::rules::Rules;
use unionbot::store::{NewUrgentReport, UrgentFacts};

#[tokio::test]
async fn guidance_set_from_a_file_replaces_the_list_and_the_same_list_changes_nothing() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        let file = office.file(
            "topics.md",
            "# 2099年第二季度信息需求要点\n\n- 职工思想动态\n- 高温津贴落实情况\n",
        );
        let set = office
            .ok_in(
                "zh-CN",
                &["guidance", "set", "2099Q2", "--file", path_str(&file)],
            )
            .await;
        assert!(
            set.contains("共 2 条") && set.contains("2099-04-01 09:00"),
            "{set}"
        );
        let again = office
            .ok_in(
                "zh-CN",
                &[
                    "guidance",
                    "set",
                    "2099年第二季度",
                    "--file",
                    path_str(&file),
                ],
            )
            .await;
        assert!(again.contains("完全相同"), "{again}");
        let changed = office.file("topics2.md", "职工思想动态\n安全生产\n");
        let revised = office
            .ok(&["guidance", "set", "2099Q2", "--file", path_str(&changed)])
            .await;
        assert!(
            revised.contains("1 added, 1 withdrawn (revision 2)"),
            "{revised}"
        );
        let list = office
            .ok(&["guidance", "list", "--quarter", "2099Q2"])
            .await;
        assert!(list.contains("职工思想动态 (0 items)"), "{list}");
        assert!(
            list.contains("安全生产") && !list.contains("高温津贴"),
            "{list}"
        );

        let twice = office.file("twice.md", "- 甲\n- 甲\n- 乙\n");
        let out = office
            .ok(&["guidance", "set", "2099Q3", "--file", path_str(&twice)])
            .await;
        assert!(
            out.contains("2 topics"),
            "a topic written twice is one: {out}"
        );
        let err = office
            .run(&["guidance", "set", "2099Q3", "--file", "no-such-file.md"])
            .await
            .unwrap_err();
        assert!(
            err.contains("There is no file") && !err.contains("os error"),
            "{err}"
        );
        let err = office
            .run(&["guidance", "set", "2099Q3", "--file", "."])
            .await
            .unwrap_err();
        assert!(err.contains("is a folder"), "{err}");
        let bad = office.file("bad.md", b"\xff\xff topics");
        let err = office
            .run(&["guidance", "set", "2099Q3", "--file", path_str(&bad)])
            .await
            .unwrap_err();
        assert!(err.contains("text editor") && !err.contains("CSV"), "{err}");
        let empty = office.file("empty.md", "# 只有标题\n\n");
        let err = office
            .run(&["guidance", "set", "2099Q2", "--file", path_str(&empty)])
            .await
            .unwrap_err();
        assert!(err.contains("holds no topics"), "{err}");
        let long = office.file("long.md", format!("好\n{}\n", "长".repeat(201)));
        let err = office
            .run(&["guidance", "set", "2099Q2", "--file", path_str(&long)])
            .await
            .unwrap_err();
        assert!(err.contains("line 2"), "the line is named: {err}");
        let err = office
            .run(&["guidance", "set", "2020Q1", "--file", path_str(&file)])
            .await
            .unwrap_err();
        assert!(err.contains("is over"), "{err}");
        let err = office
            .run(&["guidance", "set", "2099H1", "--file", path_str(&file)])
            .await
            .unwrap_err();
        assert!(err.contains("2099H1"), "{err}");
        db.finish().await;
    }
}

#[tokio::test]
async fn the_schedule_preview_lists_each_job_with_its_time_key_and_recipients() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        let file = office.file("topics.md", "职工思想动态\n");
        office
            .ok(&["guidance", "set", "2099Q2", "--file", path_str(&file)])
            .await;
        let jobs = office
            .json(&["schedule", "--from", "2099-01-01", "--to", "2099-12-31"])
            .await;
        let jobs = jobs.as_array().unwrap();
        let guidance: Vec<_> = jobs.iter().filter(|j| j["kind"] == "guidance").collect();
        assert_eq!(guidance.len(), 1, "{jobs:?}");
        assert_eq!(guidance[0]["key"], "guidance:2099Q2:r1");
        assert_eq!(guidance[0]["at"], "2099-04-01T09:00:00+08:00");
        assert_eq!(guidance[0]["recipients"], 0, "nobody has joined");
        let bulletins: Vec<&str> = jobs
            .iter()
            .filter(|j| j["kind"] == "bulletin")
            .map(|j| j["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            bulletins,
            [
                "bulletin:2098Q4",
                "bulletin:2099Q1",
                "bulletin:2099Q2",
                "bulletin:2099Q3"
            ]
        );
        // A range long past: nothing in it will go out any more, and the preview says so.
        let past = office
            .json(&["schedule", "--from", "2020-01-01", "--to", "2020-03-31"])
            .await;
        let past = past.as_array().unwrap();
        assert!(!past.is_empty());
        assert!(
            past.iter()
                .all(|j| j["stale"] == true && j["done"] == false),
            "{past:?}"
        );
        assert!(guidance.iter().all(|j| j["stale"] == false));
        let table = office
            .ok_in(
                "zh-CN",
                &["schedule", "--from", "2099-04-01", "--to", "2099-04-05"],
            )
            .await;
        assert!(
            table.contains("信息需求要点") && table.contains("季度通报"),
            "{table}"
        );
        let err = office
            .run(&["schedule", "--from", "2099-05-01", "--to", "2099-04-01"])
            .await
            .unwrap_err();
        assert!(err.contains("before"), "{err}");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert_eq!(count, 0, "a preview sends nothing");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_first_bulletin_for_a_quarter_before_last_year_is_refused_and_nothing_stored() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        let err = office
            .run(&["bulletin", "--quarter", "2020Q1", "--send"])
            .await
            .unwrap_err();
        assert!(err.contains("check the year"), "{err}");
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bulletins")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_bad_rules_value_is_refused_by_its_key_in_the_persons_language() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let rules = office.file("bad.toml", "[schedule]\nbulletin_day = 0\n");
    let args = [
        "--rules",
        path_str(&rules),
        "schedule",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-31",
    ];
    let zh = office.run_in("zh-CN", &args).await.unwrap_err();
    assert!(
        zh.contains("schedule.bulletin_day")
            && zh.contains("第 1 到 28 天")
            && !zh.contains("must"),
        "{zh}"
    );
    let en = office.run_in("en", &args).await.unwrap_err();
    assert!(
        en.contains("schedule.bulletin_day") && en.contains("from 1 to 28"),
        "{en}"
    );
    let missing = [
        "--rules",
        "no-such-rules.toml",
        "schedule",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-31",
    ];
    let err = office.run_in("zh-CN", &missing).await.unwrap_err();
    assert!(
        err.contains("找不到文件") && !err.contains("os error"),
        "{err}"
    );
    db.finish().await;
}

#[tokio::test]
async fn the_preview_lists_only_the_kinds_asked_for_and_refuses_an_unknown_one_in_the_persons_language()
 {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.import("unit", UNITS).await.unwrap();
        let d1 = db.store.unit_by_code("d1").await.unwrap().unwrap().id;
        // Open from Tuesday 1 December, 09:30, with no follow-up and no fact given.
        let event = db
            .store
            .report_urgent(
                &Rules::default().urgent,
                &NewUrgentReport {
                    key: "k1".into(),
                    unit: d1,
                    reported_by: None,
                    text: "港区发生塔吊倒塌事故".into(),
                    reported_at: parse_instant("2026-12-01 09:30", chrono_tz::Asia::Shanghai)
                        .unwrap(),
                    facts: UrgentFacts::default(),
                    by_phone: false,
                    recorded_by: None,
                },
            )
            .await
            .unwrap()
            .id;
        let range = ["schedule", "--from", "2026-12-01", "--to", "2027-01-10"];
        let with = |kinds: &[&'static str]| {
            let mut args = range.to_vec();
            args.extend_from_slice(kinds);
            args
        };
        let all = office.json(&range).await;
        assert!(
            all.as_array()
                .unwrap()
                .iter()
                .any(|j| j["kind"] == "bulletin"),
            "{all:?}"
        );

        let followups = office.json(&with(&["--kind", "urgent_followup"])).await;
        let followups = followups.as_array().unwrap();
        assert!(followups.iter().all(|j| j["kind"] == "urgent_followup"));
        // 13:30, 17:30 and 21:30 on the first day, then 09:00 on each of the 28 working days
        // from 2 December to 10 January: not five a day for forty days.
        assert_eq!(followups.len(), 3 + 28, "{followups:?}");
        assert_eq!(followups[3]["key"], format!("urgent:{event}:0:2026-12-02"));
        assert_eq!(followups[3]["at"], "2026-12-02T09:00:00+08:00");

        let urgent = office
            .json(&with(&["--kind", "urgent_followup,urgent_escalation"]))
            .await;
        let escalations: Vec<&serde_json::Value> = urgent
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| j["kind"] == "urgent_escalation")
            .collect();
        assert_eq!(escalations.len(), 1, "{urgent:?}");
        assert_eq!(escalations[0]["key"], format!("urgent:{event}:escalate"));
        assert_eq!(escalations[0]["at"], "2026-12-01T21:30:00+08:00");
        assert_eq!(urgent.as_array().unwrap().len(), 3 + 28 + 1);

        // Repeated, and by its name in Chinese.
        let two = office
            .json(&with(&[
                "--kind",
                "urgent_escalation",
                "--kind",
                "季度通报",
            ]))
            .await;
        let kinds: std::collections::BTreeSet<&str> = two
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["bulletin", "urgent_escalation"]
        );

        let table = office
            .ok_in("zh-CN", &with(&["--kind", "urgent_escalation"]))
            .await;
        assert!(
            table.contains("紧急信息续报催办") && !table.contains("季度通报"),
            "{table}"
        );

        let en = office
            .run(&with(&["--kind", "urgent_followup,reminders"]))
            .await
            .unwrap_err();
        assert!(
            en.contains("--kind")
                && en.contains("“reminders”")
                && en.contains("urgent_followup (Urgent report follow-up reminder)")
                && en.contains("bulletin (Quarterly bulletin)"),
            "{en}"
        );
        let zh = office
            .run_in("zh-CN", &with(&["--kind", "提醒"]))
            .await
            .unwrap_err();
        assert!(
            zh.contains("--kind 的值无效")
                && zh.contains("urgent_followup（紧急信息续报提醒）")
                && zh.contains("、")
                && !zh.contains("Urgent"),
            "{zh}"
        );
        db.finish().await;
    }
}
