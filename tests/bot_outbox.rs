//! The outbox worker against a Bot API double of our own (the mock API never answers 429 or
//! 403): a message Telegram takes is marked sent, a 429 makes it wait as long as Telegram says,
//! a blocked bot fails the message for good, and the message text goes out as stored.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

use unionbot::bot::App;
use unionbot::bot::outbox::{Pacer, deliver_due};
use unionbot::rules::Rules;

use common::TestDb;

const FINE: i64 = 11;
const BLOCKED: i64 = 22;
const BUSY: i64 = 33;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 11, 2, 0, 0).unwrap()
}

/// What the double answers to a `sendMessage` for a chat.
fn answer(chat: i64, text: &str) -> Value {
    match chat {
        BLOCKED => json!({"ok": false, "error_code": 403,
                          "description": "Forbidden: bot was blocked by the user"}),
        BUSY => json!({"ok": false, "error_code": 429,
                       "description": "Too Many Requests: retry after 1",
                       "parameters": {"retry_after": 1}}),
        _ => json!({"ok": true, "result": {
            "message_id": 1, "date": 0, "text": text,
            "chat": {"id": chat, "type": "private", "first_name": "x"}}}),
    }
}

/// A Bot API on a local port: records every request (method and JSON body) and answers it.
async fn bot_api() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut read = BufReader::new(read);
                loop {
                    let mut request_line = String::new();
                    if read.read_line(&mut request_line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut length = 0;
                    loop {
                        let mut header = String::new();
                        read.read_line(&mut header).await.unwrap();
                        let header = header.trim();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap();
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    read.read_exact(&mut body).await.unwrap();
                    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let method = request_line
                        .split_whitespace()
                        .nth(1)
                        .and_then(|path| path.rsplit('/').next())
                        .unwrap_or_default()
                        .to_string();
                    let chat = body["chat_id"].as_i64().unwrap_or(0);
                    let reply = answer(chat, body["text"].as_str().unwrap_or("")).to_string();
                    log.lock().unwrap().push((method, body));
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
                        reply.len()
                    );
                    if write.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
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
    let (url, seen) = bot_api().await;
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

    let sent: Vec<(String, i64, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(m, b)| {
            (
                m.clone(),
                b["chat_id"].as_i64().unwrap(),
                b["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0],
        (
            "SendMessage".into(),
            FINE,
            "《标题》已被采用 &amp; 计分".into()
        )
    );
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .all(|(_, b)| b["parse_mode"] == "HTML")
    );

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
