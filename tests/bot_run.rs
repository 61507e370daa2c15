//! `unionbot run` as a program, against a Bot API double: it reads the token and the API's
//! address from the environment, registers its menus, takes an update by long polling,
//! answers it from the database, never prints the token, and stops cleanly on SIGTERM.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use std::io::Read;

use unionbot::i18n::{Locale, escape_html, t};

use double::{BotApi, ok, sent};

const TOKEN: &str = "123456:SECRET-token-never-printed";
const USER: i64 = 777;

fn update(text: &str) -> Value {
    json!({"update_id": 1, "message": {
        "message_id": 5, "date": 1_700_000_000, "text": text,
        "chat": {"id": USER, "type": "private", "first_name": "王"},
        "from": {"id": USER, "is_bot": false, "first_name": "王", "language_code": "zh-hans"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}})
}

#[tokio::test]
async fn the_bot_runs_from_the_environment_answers_an_update_and_stops_on_sigterm() {
    let db = common::TestDb::sqlite(true).await;
    let code = double::officer_invite(&db.store).await;

    let start = format!("/start {code}");
    let body_marker = code.clone();
    let api = BotApi::start(Arc::new(move |method, body| match method {
        "GetMe" => ok(json!({"id": 42, "is_bot": true, "first_name": "Union",
            "username": "union_test_bot", "can_join_groups": false,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "has_main_web_app": false})),
        "GetWebhookInfo" => ok(json!({"url": "", "has_custom_certificate": false,
            "pending_update_count": 0})),
        // Like Telegram, the update is given again until a request from an offset past it
        // confirms it, so a slow start cannot lose it.
        "GetUpdates" if body["offset"].as_i64().unwrap_or(0) <= 1 => ok(json!([update(&start)])),
        "GetUpdates" => {
            // A long poll with nothing new.
            std::thread::sleep(Duration::from_millis(100));
            ok(json!([]))
        }
        "SendMessage" => sent(body),
        _ => ok(json!(true)),
    }))
    .await;

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unionbot"))
        .args(["--database", &db.url, "run"])
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drained as it comes, so a chatty log never blocks the program.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });

    let welcome = escape_html(&t(
        Locale::ZhCn,
        "bot.join.welcome",
        &[
            ("name", "王"),
            ("unit", "中山区总工会"),
            ("role", &t(Locale::ZhCn, "role.officer", &[])),
        ],
    ));
    let mut answered = false;
    for _ in 0..300 {
        if api
            .calls("SendMessage")
            .iter()
            .any(|b| b["text"] == welcome.as_str())
        {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    assert!(
        answered,
        "no welcome was sent; the log:\n{log}\n{:?}",
        api.seen.lock().unwrap()
    );
    assert!(status.success(), "{status:?}\n{log}");
    assert!(!log.contains("SECRET"), "the token is never logged:\n{log}");

    assert!(
        !log.contains(&body_marker),
        "no message body is logged:\n{log}"
    );

    let person = db.store.person_by_telegram(USER).await.unwrap().unwrap();
    assert_eq!(person.unit_code.as_deref(), Some("D01"));
    let menus = api.calls("SetMyCommands");
    assert!(
        menus.iter().any(|m| m["language_code"] == "en"),
        "{menus:?}"
    );
    assert!(
        menus.iter().any(|m| m.get("language_code").is_none()),
        "{menus:?}"
    );
    db.finish().await;
}
