//! The outbox worker against a Bot API double of our own (the mock API never answers 429 or
//! 403): a message Telegram takes is marked sent, a 429 makes it wait as long as Telegram says,
//! a blocked bot fails the message for good, and the message text goes out as stored.

mod common;
#[path = "common/bot_double.rs"]
mod double;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use tokio::sync::watch;

use unionbot::bot::App;
use unionbot::bot::outbox::{Pacer, deliver_due};
use unionbot::rules::Rules;

use common::TestDb;
use double::BotApi;

const FINE: i64 = 11;
const BLOCKED: i64 = 22;
const BUSY: i64 = 33;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 11, 2, 0, 0).unwrap()
}

/// What the double answers to a `sendMessage` for a chat.
fn answer(body: &Value) -> Value {
    match body["chat_id"].as_i64().unwrap_or(0) {
        BLOCKED => json!({"ok": false, "error_code": 403,
                          "description": "Forbidden: bot was blocked by the user"}),
        BUSY => json!({"ok": false, "error_code": 429,
                       "description": "Too Many Requests: retry after 1",
                       "parameters": {"retry_after": 1}}),
        _ => double::sent(body),
    }
}

#[tokio::test]
async fn due_messages_are_sent_once_retried_after_a_429_and_failed_when_the_bot_is_blocked() {
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    for (chat, text) in [
        (FINE, "《标题》已被采用 &amp; 计分"),
        (BLOCKED, "b"),
        (BUSY, "c"),
    ] {
        let key = format!("test:{chat}");
        assert!(store.enqueue(&key, chat, text, now()).await.unwrap());
        assert!(
            !store.enqueue(&key, chat, text, now()).await.unwrap(),
            "a key is queued once"
        );
    }
    let api = BotApi::start(Arc::new(|_, body| answer(body))).await;
    let url = api.url.clone();
    // This test binary's only bot reads its address from the environment, as `run` does.
    unsafe {
        std::env::set_var("TELOXIDE_TOKEN", "123:test");
        std::env::set_var("TELOXIDE_API_URL", &url);
    }
    let bot = unionbot::bot::bot_from_env().unwrap();
    let app = App::new(store.clone(), Rules::default()).with_clock(now);
    let (_stop, mut stopped) = watch::channel(false);
    let mut pacer = Pacer::default();

    let started = std::time::Instant::now();
    let handled = deliver_due(&bot, &app, &mut pacer, &mut stopped)
        .await
        .unwrap();
    assert_eq!(handled, 3);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "a 429 is waited out"
    );

    let sent = api.calls("SendMessage");
    assert_eq!(sent.len(), 3);
    let chats: Vec<i64> = sent
        .iter()
        .map(|b| b["chat_id"].as_i64().unwrap())
        .collect();
    assert_eq!(chats, vec![FINE, BLOCKED, BUSY]);
    assert_eq!(sent[0]["text"], "《标题》已被采用 &amp; 计分");
    assert!(sent.iter().all(|b| b["parse_mode"] == "HTML"));

    // The sent one and the failed one are done; the busy one comes back after its wait.
    assert!(store.due_messages(now(), 10).await.unwrap().is_empty());
    let later = store
        .due_messages(now() + Duration::seconds(5), 10)
        .await
        .unwrap();
    assert_eq!(
        later.iter().map(|m| m.chat_id).collect::<Vec<_>>(),
        vec![BUSY]
    );
    assert_eq!(later[0].attempts, 1);
    db.finish().await;
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_given_up_after_the_last_attempt() {
    use teloxide::{ApiError, RequestError};
    use unionbot::bot::outbox::{MAX_ATTEMPTS, Verdict, judge};
    let error = RequestError::Api(ApiError::Unknown("Bad Gateway".into()));
    let verdicts: Vec<Verdict> = (1..=MAX_ATTEMPTS).map(|n| judge(&error, n)).collect();
    assert!(verdicts[..verdicts.len() - 1].iter().all(|v| matches!(
        v,
        Verdict::Retry {
            everyone: false,
            ..
        }
    )));
    assert_eq!(verdicts.last(), Some(&Verdict::Fail));
}
