//! A Bot API double on a local port, for what the mock API of `teloxide_tests` does not cover:
//! long polling, 429 and 403 answers. It records every request (method and JSON body) and
//! answers with what the test's responder gives. Included by the bot tests that need it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Gives the `result` (or a whole error answer) for a method and its body.
pub type Responder = Arc<dyn Fn(&str, &Value) -> Value + Send + Sync>;

/// The double's address and what it was asked.
pub struct BotApi {
    pub url: String,
    pub seen: Arc<Mutex<Vec<(String, Value)>>>,
}

impl BotApi {
    pub async fn start(responder: Responder) -> BotApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (log, responder) = (log.clone(), responder.clone());
                tokio::spawn(async move { serve(socket, log, responder).await });
            }
        });
        BotApi { url, seen }
    }

    /// The requests of one method, their bodies in order.
    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m.eq_ignore_ascii_case(method))
            .map(|(_, b)| b.clone())
            .collect()
    }
}

/// A successful answer.
pub fn ok(result: Value) -> Value {
    json!({"ok": true, "result": result})
}

/// The message Telegram gives back for a `sendMessage` body.
pub fn sent(body: &Value) -> Value {
    let chat = body["chat_id"].as_i64().unwrap_or(0);
    ok(json!({"message_id": 1, "date": 0, "text": body["text"],
              "chat": {"id": chat, "type": "private", "first_name": "x"}}))
}

async fn serve(
    socket: tokio::net::TcpStream,
    log: Arc<Mutex<Vec<(String, Value)>>>,
    responder: Responder,
) {
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
            if read.read_line(&mut header).await.unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if read.read_exact(&mut body).await.is_err() {
            return;
        }
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let method = request_line
            .split_whitespace()
            .nth(1)
            .and_then(|path| path.rsplit('/').next())
            .unwrap_or_default()
            .to_string();
        log.lock().unwrap().push((method.clone(), body.clone()));
        let reply = responder(&method, &body).to_string();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if write.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Sets up the unit D01 (中山区总工会) and returns an officer's invitation code for it, valid
/// for a week from the real clock: the program under test reads the real clock.
pub async fn officer_invite(store: &unionbot::store::Store) -> String {
    use unionbot::domain::{Role, UnitKind};
    use unionbot::records::{NewUnit, Recorder};
    let unit = NewUnit {
        code: "D01".into(),
        name: "中山区总工会".into(),
        kind: UnitKind::District,
        parent_code: None,
    };
    let office = Recorder("test:office".into());
    store.import_units(&[(2, unit)], &office).await.unwrap();
    store
        .create_invite(
            Some("D01"),
            Role::Officer,
            chrono::Duration::days(7),
            chrono::Utc::now(),
            &office,
        )
        .await
        .unwrap()
        .code
}
