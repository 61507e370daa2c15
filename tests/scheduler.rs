//! The scheduler against a real store with a fake clock: a whole year of guidance, reminders
//! and bulletins enqueued exactly once, what the preview lists, quiet hours, and a step run
//! days late.

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use unionbot::domain::{Category, Role, UnitKind};
use unionbot::period::Quarter;
use unionbot::records::{HeaderFields, NewItem, NewUnit, Recorder};
use unionbot::rules::{Day, Rules};
use unionbot::scheduler::{PlannedJob, preview, run_due};
use unionbot::store::Store;

use common::for_each_backend;

fn office() -> Recorder {
    Recorder("cli:office".to_string())
}

/// A local time in Shanghai.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// New Year's Day and the 2nd off with Sunday the 4th worked; National Day and the 2nd off;
/// a monthly quota of 3 for district federations.
fn rules() -> Rules {
    let mut rules = Rules::from_toml(
        "[calendar]\nholidays = [2026-01-01, 2026-01-02, 2026-10-01, 2026-10-02]\n\
         workdays = [2026-01-04]\n[quota.monthly]\ndistrict = 3\n",
    )
    .unwrap();
    rules.calendar.holidays.sort();
    assert_eq!(rules.calendar.workdays, vec![Day(day(2026, 1, 4))]);
    rules
}

fn item(unit: &str, filed_at: DateTime<Utc>, n: usize) -> NewItem {
    NewItem {
        reference: Some(format!("{unit}-{n}")),
        unit_code: unit.to_string(),
        filed_at,
        title: format!("信息 {n}"),
        category: Category::new(4).unwrap(),
        commissioned: false,
        officer: None,
        body: None,
        header: HeaderFields::default(),
    }
}

/// A district with an officer, its head and its leader in charge; an industry union with an
/// officer and its head; a direct-report point of the district with an officer; one office
/// member. The district files 25 items in January and one in April; the industry union owes
/// a commission due on 20 May.
async fn seed(store: &Store) {
    let units = [
        ("D01", "中山区总工会", UnitKind::District, None),
        ("I01", "教育工会", UnitKind::Industry, None),
        ("P01", "某厂直报点", UnitKind::DirectPoint, Some("D01")),
    ];
    let rows: Vec<(usize, NewUnit)> = units
        .iter()
        .enumerate()
        .map(|(i, (code, name, kind, parent))| {
            let unit = NewUnit {
                code: code.to_string(),
                name: name.to_string(),
                kind: *kind,
                parent_code: parent.map(str::to_string),
            };
            (i + 2, unit)
        })
        .collect();
    store.import_units(&rows, &office()).await.unwrap();
    let people = [
        (101, Some("D01"), Role::Officer),
        (102, Some("D01"), Role::Head),
        (103, Some("I01"), Role::Officer),
        (104, Some("I01"), Role::Head),
        (105, None, Role::Office),
        (106, Some("D01"), Role::Leader),
        (107, Some("P01"), Role::Officer),
    ];
    for (telegram, unit, role) in people {
        program::register(store, telegram, unit, role).await;
    }
    for n in 0..25 {
        store
            .add_item(&item("D01", at(2026, 1, 10, 10, 0), n), &office())
            .await
            .unwrap();
    }
    store
        .add_item(&item("D01", at(2026, 4, 10, 10, 0), 25), &office())
        .await
        .unwrap();
    store
        .add_commission("I01", "职工医保新政反映", day(2026, 5, 20), &office())
        .await
        .unwrap();
}

async fn set_year_of_guidance(store: &Store) {
    for n in 1..=4 {
        let topics = vec![format!("第{n}季度要点甲"), format!("第{n}季度要点乙")];
        store
            .set_guidance(
                Quarter::new(2026, n).unwrap(),
                &topics,
                &office(),
                at(2025, 12, 15, 10, 0),
            )
            .await
            .unwrap();
    }
}

/// The city seeded and a year of guidance set; the rules it runs under.
async fn a_year_of_guidance(store: &Store) -> Rules {
    seed(store).await;
    set_year_of_guidance(store).await;
    rules()
}

/// The preview of the whole of 2026.
async fn year_preview(store: &Store, rules: &Rules) -> Vec<PlannedJob> {
    preview(store, rules, at(2026, 1, 1, 0, 0), at(2026, 12, 31, 23, 59))
        .await
        .unwrap()
}

/// Outbox rows per job (a bulletin's document sent apart is not another recipient).
async fn queued_per_job(store: &Store) -> BTreeMap<String, usize> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT idempotency_key, batch FROM outbox")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut per = BTreeMap::new();
    for (key, batch) in rows {
        if let Some(batch) = batch
            && !key.ends_with(":doc")
        {
            *per.entry(batch).or_insert(0) += 1;
        }
    }
    per
}

async fn jobs_recorded(store: &Store) -> BTreeMap<String, String> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT job_key, outcome FROM schedule_jobs")
        .fetch_all(store.pool())
        .await
        .unwrap();
    rows.into_iter().collect()
}

fn year_preview_expected() -> Vec<(&'static str, DateTime<Utc>)> {
    let mut jobs = vec![
        ("guidance:2026Q1:r1", at(2026, 1, 4, 9, 0)),
        ("office:2025", at(2026, 1, 4, 9, 0)),
        ("bulletin:2025Q4", at(2026, 1, 5, 9, 0)),
        ("reminder:quarter:2026Q1:15d", at(2026, 3, 17, 9, 0)),
        ("reminder:quarter:2026Q1:5d", at(2026, 3, 27, 9, 0)),
        ("guidance:2026Q2:r1", at(2026, 4, 1, 9, 0)),
        ("bulletin:2026Q1", at(2026, 4, 5, 9, 0)),
        ("reminder:commission:1:3d", at(2026, 5, 17, 9, 0)),
        ("reminder:commission:1:1d", at(2026, 5, 19, 9, 0)),
        ("reminder:commission:1:overdue", at(2026, 5, 21, 9, 0)),
        ("reminder:quarter:2026Q2:15d", at(2026, 6, 16, 9, 0)),
        ("reminder:quarter:2026Q2:5d", at(2026, 6, 26, 9, 0)),
        ("guidance:2026Q3:r1", at(2026, 7, 1, 9, 0)),
        ("office:2026H1", at(2026, 7, 1, 9, 0)),
        ("bulletin:2026Q2", at(2026, 7, 5, 9, 0)),
        ("reminder:quarter:2026Q3:15d", at(2026, 9, 16, 9, 0)),
        ("reminder:quarter:2026Q3:5d", at(2026, 9, 26, 9, 0)),
        // National Day and the 2nd are off, the 3rd and 4th a weekend.
        ("guidance:2026Q4:r1", at(2026, 10, 5, 9, 0)),
        ("bulletin:2026Q3", at(2026, 10, 5, 9, 0)),
        ("reminder:quarter:2026Q4:15d", at(2026, 12, 17, 9, 0)),
        ("reminder:quarter:2026Q4:5d", at(2026, 12, 27, 9, 0)),
    ];
    let quota = [
        "reminder:quota:2026-01",
        "reminder:quota:2026-02",
        "reminder:quota:2026-03",
        "reminder:quota:2026-04",
        "reminder:quota:2026-05",
        "reminder:quota:2026-06",
        "reminder:quota:2026-07",
        "reminder:quota:2026-08",
        "reminder:quota:2026-09",
        "reminder:quota:2026-10",
        "reminder:quota:2026-11",
        "reminder:quota:2026-12",
    ];
    for (month, key) in (1..=12).zip(quota) {
        jobs.push((key, at(2026, month, 25, 9, 0)));
    }
    jobs.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    jobs
}

fn by_key(preview: &[PlannedJob]) -> BTreeMap<String, usize> {
    preview
        .iter()
        .map(|job| (job.key.clone(), job.recipients))
        .collect()
}

#[tokio::test]
async fn a_year_of_steps_enqueues_exactly_what_the_preview_lists_once() {
    for_each_backend(|store| async move {
        let rules = a_year_of_guidance(&store).await;
        let planned = year_preview(&store, &rules).await;
        let listed: Vec<(&str, DateTime<Utc>)> =
            planned.iter().map(|j| (j.key.as_str(), j.at)).collect();
        assert_eq!(listed, year_preview_expected());
        let recipients = by_key(&planned);
        // Everyone registered gets the guidance; the office the bulletin's preview (the heads
        // get the bulletin when the office issues it).
        assert_eq!(recipients["guidance:2026Q2:r1"], 7);
        assert_eq!(recipients["bulletin:2026Q1"], 1);
        assert_eq!(recipients["office:2026H1"], 1);
        // January's 25 filings meet the district's quota; February's none do not.
        assert_eq!(recipients["reminder:quota:2026-01"], 0);
        assert_eq!(recipients["reminder:quota:2026-02"], 1);
        // The district filed the cap's worth in Q1: only the industry union and the direct
        // point are reminded; in Q2 the district's one filing is short of it.
        assert_eq!(recipients["reminder:quarter:2026Q1:15d"], 2);
        assert_eq!(recipients["reminder:quarter:2026Q2:15d"], 3);
        assert_eq!(recipients["reminder:quarter:2026Q2:5d"], 2);
        assert_eq!(recipients["reminder:commission:1:3d"], 1);
        assert_eq!(
            recipients["reminder:commission:1:overdue"], 2,
            "the unit and the office"
        );
        assert!(planned.iter().all(|j| !j.done));

        // A step at every due time, at noon and at three in the night of every day.
        let mut times: Vec<DateTime<Utc>> = planned.iter().map(|j| j.at).collect();
        let mut d = day(2026, 1, 1);
        while d <= day(2026, 12, 31) {
            times.push(at(2026, d.month0() + 1, d.day0() + 1, 3, 0));
            times.push(at(2026, d.month0() + 1, d.day0() + 1, 12, 0));
            d = d + Days::new(1);
        }
        times.sort();
        for now in &times {
            run_due(&store, &rules, *now).await.unwrap();
        }
        let recorded = jobs_recorded(&store).await;
        let enqueued: Vec<&String> = recorded
            .iter()
            .filter(|(_, outcome)| *outcome == "enqueued")
            .map(|(key, _)| key)
            .collect();
        assert_eq!(
            enqueued,
            recipients.keys().collect::<Vec<_>>(),
            "every job listed ran, and no other"
        );
        // The first step looked back into 2025: what fell due there had gone stale.
        assert!(recorded.values().any(|o| o == "skipped"), "{recorded:?}");
        assert!(
            recorded
                .iter()
                .filter(|(_, outcome)| *outcome == "skipped")
                .all(|(key, _)| key.contains("2025") && !recipients.contains_key(key.as_str())),
            "{recorded:?}"
        );
        let queued = queued_per_job(&store).await;
        for (key, count) in &recipients {
            assert_eq!(queued.get(key).copied().unwrap_or(0), *count, "{key}");
        }

        // Every step again changes nothing.
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(store.pool())
            .await
            .unwrap();
        for now in &times {
            let report = run_due(&store, &rules, *now).await.unwrap();
            assert!(report.enqueued.is_empty() && report.skipped.is_empty());
        }
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(before, after);
        let again = year_preview(&store, &rules).await;
        assert!(again.iter().all(|j| j.done), "the preview marks what ran");
    })
    .await;
}

#[tokio::test]
async fn guidance_changed_late_at_night_goes_out_as_a_correction_the_next_morning() {
    for_each_backend(|store| async move {
        let rules = a_year_of_guidance(&store).await;
        let q3 = Quarter::new(2026, 3).unwrap();
        run_due(&store, &rules, at(2026, 8, 1, 12, 0))
            .await
            .unwrap();
        let topics = vec!["第3季度要点甲".to_string(), "高温津贴落实情况".to_string()];
        store
            .set_guidance(q3, &topics, &office(), at(2026, 8, 10, 23, 10))
            .await
            .unwrap();
        let night = run_due(&store, &rules, at(2026, 8, 10, 23, 30))
            .await
            .unwrap();
        assert!(night.enqueued.is_empty(), "quiet hours hold it back");
        let early = run_due(&store, &rules, at(2026, 8, 11, 7, 59))
            .await
            .unwrap();
        assert!(early.enqueued.is_empty(), "still quiet at 07:59");
        let morning = run_due(&store, &rules, at(2026, 8, 11, 8, 0))
            .await
            .unwrap();
        assert_eq!(
            morning.enqueued,
            vec![("guidance:2026Q3:r2".to_string(), 7)]
        );
        let text: String = sqlx::query_scalar(
            "SELECT text FROM outbox WHERE idempotency_key LIKE 'guidance:2026Q3:r2:%' LIMIT 1",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(
            text.contains("更正") && text.contains("高温津贴落实情况"),
            "{text}"
        );
        // The same list set again is no revision and sends nothing.
        store
            .set_guidance(q3, &topics, &office(), at(2026, 8, 12, 10, 0))
            .await
            .unwrap();
        let later = run_due(&store, &rules, at(2026, 8, 12, 10, 1))
            .await
            .unwrap();
        assert!(later.enqueued.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_step_three_days_late_enqueues_what_is_still_of_use_once_and_skips_the_stale() {
    for_each_backend(|store| async move {
        let rules = a_year_of_guidance(&store).await;
        // The scheduler was down from 16 May and first runs again on the 21st at noon, the
        // commission's deadline (the 20th) having passed.
        let report = run_due(&store, &rules, at(2026, 5, 21, 12, 0))
            .await
            .unwrap();
        let enqueued: Vec<&str> = report.enqueued.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            enqueued.contains(&"reminder:commission:1:overdue"),
            "{enqueued:?}"
        );
        assert!(
            enqueued.contains(&"guidance:2026Q2:r1"),
            "still of use this quarter"
        );
        assert!(
            enqueued.contains(&"bulletin:2026Q1"),
            "still of use this quarter"
        );
        for stale in [
            "reminder:commission:1:3d",
            "reminder:commission:1:1d",
            "reminder:quota:2026-04",
            "reminder:quarter:2026Q1:15d",
            "guidance:2026Q1:r1",
        ] {
            assert!(
                report.skipped.iter().any(|k| k == stale),
                "{stale}: {report:?}"
            );
        }
        let recorded = jobs_recorded(&store).await;
        assert_eq!(recorded["reminder:commission:1:3d"], "skipped");
        let queued = queued_per_job(&store).await;
        assert!(!queued.contains_key("reminder:commission:1:3d"));
        assert_eq!(queued["reminder:commission:1:overdue"], 2);
        // Run again: nothing more, and nothing told twice.
        let again = run_due(&store, &rules, at(2026, 5, 21, 12, 5))
            .await
            .unwrap();
        assert!(
            again.enqueued.is_empty() && again.skipped.is_empty(),
            "{again:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn two_steps_at_once_queue_each_job_once() {
    for_each_backend(|store| async move {
        let rules = a_year_of_guidance(&store).await;
        // Two schedulers (two processes on one database) wake at the same moment, on the day
        // the second quarter's guidance and the first quarter's bulletin fall due.
        let now = at(2026, 4, 5, 9, 0);
        let other = store.clone();
        let (a, b) = tokio::join!(run_due(&store, &rules, now), run_due(&other, &rules, now));
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut ran: Vec<&String> = a
            .enqueued
            .iter()
            .chain(&b.enqueued)
            .map(|(k, _)| k)
            .collect();
        ran.sort();
        let unique = ran.len();
        ran.dedup();
        assert_eq!(unique, ran.len(), "no job ran in both: {a:?} {b:?}");
        let queued = queued_per_job(&store).await;
        assert_eq!(queued["guidance:2026Q2:r1"], 7);
        assert_eq!(queued["bulletin:2026Q1"], 1);
    })
    .await;
}

#[tokio::test]
async fn the_bulletin_day_sends_the_office_the_preview_to_confirm_and_issues_nothing() {
    for_each_backend(|store| async move {
        let rules = a_year_of_guidance(&store).await;
        let report = run_due(&store, &rules, at(2026, 4, 5, 9, 0)).await.unwrap();
        assert!(
            report
                .enqueued
                .contains(&("bulletin:2026Q1".to_string(), 1)),
            "{report:?}"
        );
        let issued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bulletins")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(issued, 0, "the job issues nothing by itself");
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT chat_id, text, reply_markup FROM outbox WHERE batch = 'bulletin:2026Q1' \
             ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        let chats: Vec<i64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(chats, vec![105], "the office only, no head");
        let (_, text, markup) = &rows[0];
        for part in [
            "2026年第一季度信息工作通报",
            "尚未印发",
            "第1名 中山区总工会",
            "四、通报批评",
            "确认后印发为2026年第1期，发给各单位主要领导 2 人、市总办公室 1 人。",
        ] {
            assert!(text.contains(part), "{part:?} in {text}");
        }
        let markup = markup.as_deref().expect("a button");
        assert!(
            markup.contains("确认印发") && markup.contains("\"bu:2026Q1\""),
            "{markup}"
        );
        // A quarter with no filing is previewed with the warning and the button that insists.
        run_due(&store, &rules, at(2026, 10, 9, 9, 0))
            .await
            .unwrap();
        let (text, markup): (String, Option<String>) =
            sqlx::query_as("SELECT text, reply_markup FROM outbox WHERE batch = 'bulletin:2026Q3'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(text.contains("本季度各单位均无来稿"), "{text}");
        assert!(markup.unwrap().contains("bu:2026Q3:e"));
        let issued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bulletins")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(issued, 0);
    })
    .await;
}

#[tokio::test]
async fn a_step_after_a_stop_sends_the_reminder_that_fits_the_days_left_not_every_one_missed() {
    for_each_backend(|store| async move {
        let rules = rules();
        seed(&store).await;
        // Down from the 16th; back on the 19th at noon, the day before the deadline.
        let report = run_due(&store, &rules, at(2026, 5, 19, 12, 0))
            .await
            .unwrap();
        let enqueued: Vec<&str> = report.enqueued.iter().map(|(k, _)| k.as_str()).collect();
        assert!(enqueued.contains(&"reminder:commission:1:1d"), "{report:?}");
        assert!(
            report
                .skipped
                .iter()
                .any(|k| k == "reminder:commission:1:3d"),
            "{report:?}"
        );
        let texts: Vec<String> =
            sqlx::query_scalar("SELECT text FROM outbox WHERE batch LIKE 'reminder:commission:%'")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(texts[0].contains("还有 1 天"), "{}", texts[0]);
    })
    .await;
}

#[tokio::test]
async fn a_district_is_reminded_by_its_own_filings_not_its_direct_points() {
    for_each_backend(|store| async move {
        let rules = rules();
        seed(&store).await;
        for n in 0..17 {
            store
                .add_item(&item("P01", at(2026, 7, 10, 10, 0), 100 + n), &office())
                .await
                .unwrap();
        }
        for n in 0..3 {
            store
                .add_item(&item("D01", at(2026, 7, 11, 10, 0), 200 + n), &office())
                .await
                .unwrap();
        }
        run_due(&store, &rules, at(2026, 9, 16, 9, 0))
            .await
            .unwrap();
        let text: String = sqlx::query_scalar(
            "SELECT text FROM outbox WHERE chat_id = 101 AND batch = 'reminder:quarter:2026Q3:15d'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(text.contains("已报送 3 条"), "its own three: {text}");
        let point: String = sqlx::query_scalar(
            "SELECT text FROM outbox WHERE chat_id = 107 AND batch = 'reminder:quarter:2026Q3:15d'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(point.contains("已报送 17 条"), "{point}");
    })
    .await;
}

#[tokio::test]
async fn guidance_reordered_is_one_revision_read_back_in_the_new_order() {
    for_each_backend(|store| async move {
        let q = Quarter::new(2026, 3).unwrap();
        let set = |titles: &[&str]| titles.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let when = at(2026, 6, 1, 10, 0);
        store
            .set_guidance(q, &set(&["甲", "乙"]), &office(), when)
            .await
            .unwrap();
        let reordered = store
            .set_guidance(q, &set(&["乙", "丙", "甲"]), &office(), when)
            .await
            .unwrap();
        assert!(matches!(
            reordered,
            unionbot::store::GuidanceSet::Revised {
                revision: 2,
                added: 1,
                withdrawn: 0
            }
        ));
        let read: Vec<String> = store
            .guidance(q)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.title)
            .collect();
        assert_eq!(read, ["乙", "丙", "甲"]);
        let again = store
            .set_guidance(q, &set(&["乙", "丙", "甲"]), &office(), when)
            .await
            .unwrap();
        assert_eq!(again, unionbot::store::GuidanceSet::Unchanged);
        let err = store
            .set_guidance(q, &set(&["一行\n两行"]), &office(), when)
            .await;
        assert!(
            err.is_err(),
            "a title of two lines is refused: a revision keeps one a line"
        );
    })
    .await;
}
