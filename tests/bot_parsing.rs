//! What the office types in chat is read by the same parsers as the command line: periods in
//! Chinese, dates refused for their year before they reach the database.

mod common;

use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Role, UnitKind};
use unionbot::i18n::{Locale, describe_problem, t};
use unionbot::records::{NewUnit, Problem};
use unionbot::rules::Rules;

use common::TestDb;
use common::chat::*;

/// The mock Bot API is one per process: scenarios wait for each other here.
static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICE: u64 = 2001;
const ZH: Locale = Locale::ZhCn;

async fn world() -> (TestDb, App, Chat) {
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
    let mut chat = Chat::new(&app);
    join(&mut chat, &db.store, OFFICE, None, Role::Office).await;
    (db, app, chat)
}

#[tokio::test]
async fn standings_for_a_period_typed_in_chinese_are_headed_the_official_way() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let reply = chat.say(OFFICE, "/standings 2026年第一季度").await;
    assert_has(&reply, "2026年第一季度");
    let reply = chat.say(OFFICE, "/standings 2026é").await;
    assert_eq!(reply, t(ZH, "error.bad_period", &[("value", "2026é")]));
    db.finish().await;
}

#[tokio::test]
async fn an_instruction_dated_outside_the_years_kept_is_refused_by_its_year() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let reply = chat.say(OFFICE, "/instruct 1 1 -0001-01-01").await;
    let problem = Problem::YearOutOfRange {
        value: "-0001-01-01".into(),
    };
    assert_eq!(reply, describe_problem(ZH, &problem));
    assert_eq!(db.store.counts().await.unwrap().instructions, 0);
    db.finish().await;
}
