//! The urgent-report scenarios' world: two districts with an officer each, two office
//! members, the bot over a fresh database, and readers of what was queued for a chat.

use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Role, UnitKind};
use unionbot::i18n::Locale;
use unionbot::records::NewUnit;
use unionbot::rules::Rules;
use unionbot::store::Store;

use super::TestDb;
use super::chat::*;
use super::cli::Office;

/// The mock Bot API is one per process: scenarios wait for each other here.
pub static SERIAL: Mutex<()> = Mutex::const_new(());

pub const OFFICER: u64 = 1001;
pub const OTHER_OFFICER: u64 = 1002;
pub const OFFICE_ONE: u64 = 2001;
pub const OFFICE_TWO: u64 = 2002;
pub const ZH: Locale = Locale::ZhCn;

pub fn unit(code: &str, name: &str) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind: UnitKind::District,
        parent_code: None,
    }
}

/// Two districts, an officer of each, two office members.
pub async fn world() -> (TestDb, App, Chat) {
    let db = TestDb::sqlite(true).await;
    let units = vec![
        (2, unit("D01", "中山区总工会")),
        (3, unit("D02", "西岗区总工会")),
    ];
    db.store.import_units(&units, &office()).await.unwrap();
    let (app, chat) = people(&db, "D01", "D02").await;
    (db, app, chat)
}

/// The command line's sample city (whose District One is eligible for the awards), an
/// officer of each of its districts, two office members.
pub async fn city() -> (TestDb, App, Chat, Office) {
    let db = TestDb::sqlite(true).await;
    let city = Office::new(&db.url);
    city.city().await;
    let (app, chat) = people(&db, "d1", "d2").await;
    (db, app, chat, city)
}

/// The bot over the database, an officer of each district, two office members.
pub async fn people(db: &TestDb, first: &str, second: &str) -> (App, Chat) {
    let app = App::new(db.store.clone(), Rules::default()).with_clock(now);
    let mut chat = Chat::new(&app);
    join(&mut chat, &db.store, OFFICER, Some(first), Role::Officer).await;
    join(
        &mut chat,
        &db.store,
        OTHER_OFFICER,
        Some(second),
        Role::Officer,
    )
    .await;
    join(&mut chat, &db.store, OFFICE_ONE, None, Role::Office).await;
    join(&mut chat, &db.store, OFFICE_TWO, None, Role::Office).await;
    (app, chat)
}

/// Every message queued for a chat, as text, in order (sent or not).
pub async fn told(store: &Store, chat: u64) -> Vec<(String, String)> {
    store
        .outbox_rows_for(chat as i64)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.idempotency_key, m.text))
        .collect()
}

/// The messages for a chat whose key starts so.
pub async fn told_under(store: &Store, chat: u64, prefix: &str) -> Vec<String> {
    told(store, chat)
        .await
        .into_iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .map(|(_, text)| text)
        .collect()
}

/// Files a report in one message; the bot's answer.
pub async fn report(chat: &mut Chat, user: u64, text: &str) -> String {
    chat.say(user, "/urgent").await;
    chat.say(user, text).await
}
