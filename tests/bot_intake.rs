//! The durable intake of `unionbot run`, against a Bot API double: an update stored before a
//! crash and never handled is handled on the next start and marked handled; a new update is
//! confirmed to Telegram (by asking from an offset past it) only once it is stored; and updates
//! delivered again after a restart are not handled twice.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;

use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use unionbot::i18n::{Locale, escape_html, t};
use unionbot::store::{Store, StoredUpdate};

use double::{BotApi, Responder, ok, sent};

const TOKEN: &str = "123456:SECRET-token-never-printed";
const JOINER: i64 = 777;
const STRANGER: i64 = 888;

fn update(id: i64, user: i64, text: &str) -> Value {
    json!({"update_id": id, "message": {
        "message_id": id, "date": 1_700_000_000, "text": text,
        "chat": {"id": user, "type": "private", "first_name": "王"},
        "from": {"id": user, "is_bot": false, "first_name": "王", "language_code": "zh-hans"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}})
}

fn get_me() -> Value {
    ok(json!({"id": 42, "is_bot": true, "first_name": "Union",
        "username": "union_test_bot", "can_join_groups": false,
        "can_read_all_group_messages": false, "supports_inline_queries": false,
        "has_main_web_app": false}))
}

/// Whether the update is in the inbox at all (handled or not).
fn stored(store: &Store, id: i64) -> bool {
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(async {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM update_inbox WHERE update_id = $1")
                    .bind(id)
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
            n == 1
        })
    })
}

fn start(db: &common::TestDb, api: &BotApi) -> (Child, std::thread::JoinHandle<String>) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unionbot"))
        .args(["--database", &db.url, "run"])
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env("RUST_LOG", "info")
        // Only what the updates cause: a scheduled message falling due during the run would be
        // counted as an answer (the scheduler has tests of its own).
        .env("UNIONBOT_SCHEDULER", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    (child, reader)
}

async fn wait_for(what: impl Fn() -> bool) -> bool {
    for _ in 0..300 {
        if what() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn stop(mut child: Child, reader: std::thread::JoinHandle<String>) -> String {
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    for _ in 0..300 {
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("the bot did not stop within 30 seconds of SIGTERM");
    };
    let log = reader.join().unwrap();
    assert!(status.success(), "{status:?}\n{log}");
    assert!(!log.contains("SECRET"), "the token is never logged:\n{log}");
    log
}

fn replies_to(api: &BotApi, chat: i64) -> usize {
    api.calls("SendMessage")
        .iter()
        .filter(|b| b["chat_id"] == chat)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_stored_before_a_crash_is_handled_and_a_new_one_is_confirmed_once_stored() {
    let db = common::TestDb::sqlite(true).await;
    let code = double::officer_invite(&db.store).await;
    // What the last run took and stored, and was killed before handling.
    let pending = StoredUpdate {
        update_id: 5,
        body: update(5, JOINER, &format!("/start {code}")).to_string(),
    };
    let new = db
        .store
        .store_updates(&[pending], chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(new, vec![5]);

    // Telegram still has update 6 to give until it is confirmed (asked for from offset 7).
    // Each offset asked for is recorded with whether update 6 was stored at that moment.
    let offsets: Arc<Mutex<Vec<(i64, bool)>>> = Arc::new(Mutex::new(Vec::new()));
    let responder = |offsets: Arc<Mutex<Vec<(i64, bool)>>>, store: Store| -> Responder {
        Arc::new(move |method, body| match method {
            "GetMe" => get_me(),
            "GetUpdates" => {
                let offset = body["offset"].as_i64().unwrap_or(0);
                offsets.lock().unwrap().push((offset, stored(&store, 6)));
                if offset <= 6 {
                    ok(json!([update(6, STRANGER, "/start")]))
                } else {
                    std::thread::sleep(Duration::from_millis(100));
                    ok(json!([]))
                }
            }
            "SendMessage" => sent(body),
            _ => ok(json!(true)),
        })
    };
    let api = BotApi::start(responder(offsets.clone(), db.store.clone())).await;
    let (child, reader) = start(&db, &api);

    let welcome = escape_html(&t(
        Locale::ZhCn,
        "bot.join.welcome",
        &[
            ("name", "王"),
            ("unit", "中山区总工会"),
            ("role", &t(Locale::ZhCn, "role.officer", &[])),
        ],
    ));
    let welcomed = wait_for(|| {
        api.calls("SendMessage")
            .iter()
            .any(|b| b["chat_id"] == JOINER && b["text"] == welcome.as_str())
    })
    .await;
    let answered = wait_for(|| replies_to(&api, STRANGER) > 0).await;
    let confirmed = wait_for(|| offsets.lock().unwrap().iter().any(|(o, _)| *o > 6)).await;
    let marked = {
        let mut done = false;
        for _ in 0..100 {
            if db
                .store
                .unhandled_updates(i64::MIN, 10)
                .await
                .unwrap()
                .is_empty()
            {
                done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        done
    };
    let log = stop(child, reader).await;
    assert!(welcomed, "the stored update was not handled:\n{log}");
    assert!(answered, "the new update was not handled:\n{log}");
    assert!(confirmed, "update 6 was never confirmed:\n{log}");
    assert!(marked, "both updates are marked handled:\n{log}");
    let asked = offsets.lock().unwrap().clone();
    for (offset, was_stored) in &asked {
        if *offset > 6 {
            assert!(
                was_stored,
                "update 6 was confirmed before it was stored: {asked:?}"
            );
        }
    }
    let person = db.store.person_by_telegram(JOINER).await.unwrap();
    assert_eq!(person.and_then(|p| p.unit_code).as_deref(), Some("D01"));
    let (joiner_replies, stranger_replies) = (replies_to(&api, JOINER), replies_to(&api, STRANGER));

    // A second run to which Telegram gives update 6 again (as after a crash before the
    // confirmation): it is stored already, so nothing is answered twice.
    let again = BotApi::start(responder(
        Arc::new(Mutex::new(Vec::new())),
        db.store.clone(),
    ))
    .await;
    let (child, reader) = start(&db, &again);
    let polled = wait_for(|| {
        again
            .calls("GetUpdates")
            .iter()
            .any(|b| b["offset"].as_i64().unwrap_or(0) > 6)
    })
    .await;
    let log = stop(child, reader).await;
    assert!(polled, "the second run did not poll past update 6:\n{log}");
    assert_eq!(replies_to(&again, JOINER), 0, "{log}");
    assert_eq!(replies_to(&again, STRANGER), 0, "{log}");
    assert!(joiner_replies >= 1 && stranger_replies >= 1);
    assert_eq!(db.store.person_by_telegram(STRANGER).await.unwrap(), None);
    db.finish().await;
}
