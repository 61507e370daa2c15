//! The office sets a quarter's guidance in chat (`/guidance_set`), through the mock Bot API, and
//! the scheduler sends it: at once when the quarter's first morning has passed, as a correction
//! when it changes after that, and not at all when the same list is set again.

mod common;

use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Role, UnitKind};
use unionbot::forms::Action;
use unionbot::i18n::Locale;
use unionbot::period::Quarter;
use unionbot::records::NewUnit;
use unionbot::rules::Rules;
use unionbot::scheduler::run_due;

use common::TestDb;
use common::chat::*;

static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICER: u64 = 1001;
const OFFICE: u64 = 2001;
const ZH: Locale = Locale::ZhCn;

async fn world() -> (TestDb, App) {
    let db = TestDb::sqlite(true).await;
    let rows = vec![(
        2,
        NewUnit {
            code: "D01".into(),
            name: "中山区总工会".into(),
            kind: UnitKind::District,
            parent_code: None,
        },
    )];
    db.store.import_units(&rows, &office()).await.unwrap();
    let app = App::new(db.store.clone(), Rules::default()).with_clock(now);
    (db, app)
}

/// The quarter's topics in force, in order.
async fn titles(db: &TestDb, quarter: Quarter) -> Vec<String> {
    db.store
        .guidance(quarter)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect()
}

/// The office sets the second quarter's guidance in chat, the topics in one message; the
/// answer to its confirmation.
async fn set_in_chat(chat: &mut Chat, topics: &str) -> String {
    chat.say(OFFICE, "/guidance_set").await;
    chat.say(OFFICE, "2026Q2").await;
    chat.say(OFFICE, topics).await;
    chat.press(OFFICE, Action::Finish).await;
    chat.press(OFFICE, Action::Confirm).await
}

async fn guidance_rows(db: &TestDb) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT idempotency_key, text FROM outbox WHERE idempotency_key LIKE 'guidance:%' \
         ORDER BY id",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn guidance_set_in_chat_goes_out_at_once_mid_quarter_and_a_change_as_a_correction() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;

    assert_eq!(
        chat.say(OFFICER, "/guidance_set").await,
        shown(ZH, "bot.office_only", &[])
    );
    let reply = chat.say(OFFICE, "/guidance_set").await;
    assert_has(&reply, &shown(ZH, "bot.guidance_set.intro", &[]));
    // The quarter by its Chinese name, then the topics one a message.
    chat.say(OFFICE, "2026年第二季度").await;
    let reply = chat.say(OFFICE, "职工医保报销情况").await;
    assert_has(&reply, "职工医保报销情况");
    chat.say(OFFICE, "高温津贴落实情况").await;
    let reply = chat.press(OFFICE, Action::Finish).await;
    assert_has(&reply, "职工医保报销情况");
    assert_has(&reply, "高温津贴落实情况");
    let q2 = Quarter::new(2026, 2).unwrap();
    assert!(
        store.guidance(q2).await.unwrap().is_empty(),
        "nothing before confirming"
    );
    let reply = chat.press(OFFICE, Action::Confirm).await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.guidance_set.done",
            &[("quarter", "2026年第二季度"), ("count", "2")],
        ),
    );
    assert_eq!(
        titles(&db, q2).await,
        ["职工医保报销情况", "高温津贴落实情况"]
    );

    // 11 May is past the quarter's first morning: the step sends it now, to both people.
    let rules = Rules::default();
    let step = run_due(store, &rules, now()).await.unwrap();
    assert!(
        step.enqueued
            .contains(&("guidance:2026Q2:r1".to_string(), 2)),
        "{step:?}"
    );
    let rows = guidance_rows(&db).await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0]
            .1
            .contains("1. 职工医保报销情况\n2. 高温津贴落实情况"),
        "{}",
        rows[0].1
    );

    // The same list again: unchanged, nothing sent.
    let reply = set_in_chat(&mut chat, "职工医保报销情况\n高温津贴落实情况").await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.guidance_set.unchanged",
            &[("quarter", "2026年第二季度")],
        ),
    );
    run_due(store, &rules, now()).await.unwrap();
    assert_eq!(guidance_rows(&db).await.len(), 2);

    // A changed list: a correction to everyone, once.
    let reply = set_in_chat(&mut chat, "安全生产").await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.guidance_set.revised",
            &[("quarter", "2026年第二季度"), ("count", "1")],
        ),
    );
    run_due(store, &rules, now()).await.unwrap();
    run_due(store, &rules, now()).await.unwrap();
    let rows = guidance_rows(&db).await;
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[3].0.starts_with("guidance:2026Q2:r2:"));
    assert!(
        rows[3].1.contains("更正") && rows[3].1.contains("安全生产"),
        "{}",
        rows[3].1
    );
    // Withdrawn topics are no longer offered; the new one is.
    assert_eq!(titles(&db, q2).await, ["安全生产"]);
    let reply = chat.say(OFFICER, "/guidance").await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.guidance.line",
            &[("n", "1"), ("title", "安全生产"), ("items", "0")],
        ),
    );
    assert!(!reply.contains("职工医保报销情况"), "withdrawn: {reply}");
    db.finish().await;
}

#[tokio::test]
async fn a_person_who_joins_after_the_guidance_went_out_gets_it_once_on_joining() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let q2 = Quarter::new(2026, 2).unwrap();
    let topics = vec!["职工医保报销情况".to_string()];
    store
        .set_guidance(q2, &topics, &office(), now())
        .await
        .unwrap();
    let rules = Rules::default();
    run_due(store, &rules, now()).await.unwrap();
    assert_eq!(guidance_rows(&db).await.len(), 1, "the office alone so far");

    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    let rows = guidance_rows(&db).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].1.contains("职工医保报销情况"), "{}", rows[1].1);
    assert!(
        !rows[1].1.contains("更正"),
        "not a correction to a newcomer"
    );
    // The scheduler does not send it again.
    run_due(store, &rules, now()).await.unwrap();
    assert_eq!(guidance_rows(&db).await.len(), 2);
    db.finish().await;
}
