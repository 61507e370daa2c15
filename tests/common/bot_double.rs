//! Bot API doubles on a local port, for what the mock API of `teloxide_tests` does not cover:
//! long polling, 429 and 403 answers, lost answers, Telegram's rate limits. Included by the
//! bot tests that need them (`#[path = "common/bot_double.rs"] mod double;`).
//!
//! - [`BotApi`] records every request (method and JSON body) and answers with what the test's
//!   responder gives, always with HTTP 200.
//! - [`FakeTelegram`] is a Telegram of its own: it hands out pushed updates by long polling
//!   with Telegram's offset rules, answers the methods the bot uses, records every message it
//!   delivered (and with which bot token, when several programs share it), logs every attempt
//!   with its answer, injects seeded faults (429, 500, lost and slow answers, failing, blocked
//!   and refused chats) with real HTTP status codes, and counts or enforces Telegram's limits.
//!
//! ```ignore
//! let telegram = FakeTelegram::start(FakeConfig { p_429: 0.1, ..FakeConfig::default() }).await;
//! telegram.push_text(777, "/start");
//! // start `unionbot run` with TELOXIDE_API_URL = telegram.url, then:
//! assert!(telegram.wait_for(|m| m.iter().any(|m| m.chat_id == 777), Duration::from_secs(30)).await);
//! assert_eq!(telegram.violations(), 0);
//! ```
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

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

async fn serve(socket: TcpStream, log: Arc<Mutex<Vec<(String, Value)>>>, responder: Responder) {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    while let Some(request) = read_request(&mut read).await {
        log.lock()
            .unwrap()
            .push((request.method.clone(), request.body.clone()));
        let reply = responder(&request.method, &request.body).to_string();
        // An error answer too goes out as 200, as these tests have always had it.
        if write_response(&mut write, 200, &reply, request.close)
            .await
            .is_err()
            || request.close
        {
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

// ---------------------------------------------------------------------------------------------
// FakeTelegram: a stateful Bot API for the outbox, crash and load tests.
// ---------------------------------------------------------------------------------------------

/// The bot the fake answers `getMe` with, and the `from` of the messages it sends.
pub const BOT_ID: i64 = 42;

/// Telegram's limits on what a bot sends. A chat has a token bucket that starts full: each
/// message takes one token, tokens come back continuously at the refill rate up to the burst,
/// and a message that finds less than one token is over the limit (and takes none, so the
/// bucket never goes into debt). Over the whole bot, a message is over the limit when
/// `global_per_second` messages within the limits already arrived in the second before it.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Messages a private chat (a positive id) may get at once: 3.
    pub chat_burst: u32,
    /// Tokens a private chat gets back per second: 1.
    pub chat_per_second: f64,
    /// Messages a group (a negative id) may get per minute: 20, which is also its burst.
    pub group_per_minute: u32,
    /// Messages the bot may send in any one-second window: 30.
    pub global_per_second: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            chat_burst: 3,
            chat_per_second: 1.0,
            group_per_minute: 20,
            global_per_second: 30,
        }
    }
}

/// What the fake does wrong, and how strict it is. Every `sendMessage` and `editMessageText`
/// draws one number from the seeded generator, so the same seed and the same order of
/// requests give the same faults. The probabilities are tried in the order of the fields and
/// should add up to at most 1.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub seed: u64,
    /// Answers HTTP 429 with `retry_after` seconds; nothing is delivered.
    pub p_429: f64,
    pub retry_after: u32,
    /// Answers HTTP 500; nothing is delivered.
    pub p_500: f64,
    /// Delivers the message and closes the connection without an answer.
    pub p_drop: f64,
    /// Delivers the message at once and answers after `slow_by`.
    pub p_slow: f64,
    pub slow_by: Duration,
    /// Chats every message to which is answered 500.
    pub failing_chats: HashSet<i64>,
    /// Chats every message to which is answered 403 (the user blocked the bot).
    pub blocked_chats: HashSet<i64>,
    /// Chats every message to which is refused 400 (a bad request: trying again will not help).
    pub refused_chats: HashSet<i64>,
    pub limits: Limits,
    /// Answers a message over the limits 429 instead of delivering it, as Telegram does.
    pub enforce_limits: bool,
}

impl Default for FakeConfig {
    fn default() -> FakeConfig {
        FakeConfig {
            seed: 1,
            p_429: 0.0,
            retry_after: 1,
            p_500: 0.0,
            p_drop: 0.0,
            p_slow: 0.0,
            slow_by: Duration::from_secs(2),
            failing_chats: HashSet::new(),
            blocked_chats: HashSet::new(),
            refused_chats: HashSet::new(),
            limits: Limits::default(),
            enforce_limits: false,
        }
    }
}

/// A message the fake took: a `sendMessage` or `editMessageText` that was not refused. A
/// dropped one is here too (Telegram sent it, only its answer was lost).
#[derive(Clone, Debug)]
pub struct Delivered {
    /// `sendMessage` or `editMessageText`.
    pub method: String,
    pub chat_id: i64,
    /// The id given to a sent message, or the id of the message edited.
    pub message_id: i64,
    pub text: String,
    pub reply_markup: Option<Value>,
    pub parse_mode: Option<String>,
    /// When the request arrived, and the same as milliseconds since the fake started.
    pub at: Instant,
    pub at_ms: u64,
    /// Whether it was over Telegram's limits (only possible without `enforce_limits`).
    pub over_limit: bool,
    /// The whole request body.
    pub body: Value,
    /// The bot token the request was made with: which program sent it, when several run.
    pub token: String,
}

/// One request to send or edit a message, whatever became of it: when it came, to which
/// chat, and the HTTP status it was answered with (0 for a lost answer).
#[derive(Clone, Debug)]
pub struct Attempt {
    pub chat_id: i64,
    pub at: Instant,
    pub status: u16,
    /// The `retry_after` of a 429.
    pub retry_after: Option<u64>,
}

/// What the fake was asked and how it answered. Every 429 is in `given_429`, those for the
/// limits also in `limited_429`. A message over both the chat's and the global limit counts
/// once in `violations` and in both of the other two.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Requests per method, by canonical name (`sendMessage`, `getUpdates`, ...).
    pub requests: BTreeMap<String, u64>,
    pub given_400: u64,
    pub given_403: u64,
    pub given_429: u64,
    pub limited_429: u64,
    pub given_500: u64,
    pub dropped: u64,
    pub slow: u64,
    pub delivered: u64,
    pub violations: u64,
    pub chat_violations: u64,
    pub global_violations: u64,
}

/// A fake Telegram on a local port: hands out updates by long polling, answers the methods
/// the bot uses, records what it delivered, injects faults and counts Telegram's limits.
pub struct FakeTelegram {
    /// The base address, for `TELOXIDE_API_URL` or `Bot::set_api_url`.
    pub url: String,
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the long polls when an update is pushed.
    pushed: Notify,
}

struct State {
    config: FakeConfig,
    rng: SplitMix64,
    started: Instant,
    next_update_id: i64,
    /// Updates not yet confirmed, by increasing id.
    pending: VecDeque<Value>,
    confirmed_offset: i64,
    /// The last message id per chat; shared by the user's and the bot's messages, as in a
    /// real private chat.
    last_message_id: HashMap<i64, i64>,
    callbacks: u64,
    buckets: HashMap<i64, Bucket>,
    /// When the messages within the limits of the last second arrived.
    window: VecDeque<Instant>,
    delivered: Vec<Delivered>,
    attempts: Vec<Attempt>,
    seen: Vec<(String, Value)>,
    counters: Counters,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// A small deterministic generator (SplitMix64), so the faults follow the seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How the fake answers one request.
enum Outcome {
    Answer {
        status: u16,
        body: Value,
        delay: Option<Duration>,
    },
    /// Close the connection without a word.
    Drop,
}

fn answer(status: u16, body: Value) -> Outcome {
    Outcome::Answer {
        status,
        body,
        delay: None,
    }
}

fn error(code: u16, description: &str) -> Outcome {
    answer(
        code,
        json!({"ok": false, "error_code": code, "description": description}),
    )
}

fn too_many(retry_after: u64) -> Outcome {
    answer(
        429,
        json!({"ok": false, "error_code": 429,
               "description": format!("Too Many Requests: retry after {retry_after}"),
               "parameters": {"retry_after": retry_after}}),
    )
}

/// The Bot API's spelling of a method; teloxide asks for `SendMessage`, Telegram does not mind.
fn canonical(method: &str) -> String {
    const KNOWN: &[&str] = &[
        "getMe",
        "getUpdates",
        "sendMessage",
        "editMessageText",
        "sendDocument",
        "setMyCommands",
        "deleteMyCommands",
        "getMyCommands",
        "answerCallbackQuery",
        "deleteWebhook",
        "getWebhookInfo",
        "logOut",
        "close",
    ];
    KNOWN
        .iter()
        .find(|known| known.eq_ignore_ascii_case(method))
        .map(|known| known.to_string())
        .unwrap_or_else(|| method.to_string())
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(1)
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Union", "username": "union_bot"})
}

fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": format!("用户{id}"),
           "language_code": "zh-hans"})
}

fn chat_json(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": format!("用户{id}")})
    } else if id < -1_000_000_000_000 {
        json!({"id": id, "type": "supergroup", "title": format!("群{id}")})
    } else {
        json!({"id": id, "type": "group", "title": format!("群{id}")})
    }
}

/// A chat id as a number; Telegram also takes it as a string.
fn chat_id(body: &Value) -> Option<i64> {
    match &body["chat_id"] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// `reply_markup` as JSON, whether it came as an object or as a serialized string.
fn reply_markup(body: &Value) -> Option<Value> {
    match &body["reply_markup"] {
        Value::Null => None,
        Value::String(s) => serde_json::from_str(s)
            .ok()
            .or(Some(Value::String(s.clone()))),
        other => Some(other.clone()),
    }
}

impl State {
    fn next_message_id(&mut self, chat: i64) -> i64 {
        let id = self.last_message_id.entry(chat).or_insert(0);
        *id += 1;
        *id
    }

    fn push(&mut self, mut update: Value) -> i64 {
        self.next_update_id += 1;
        let id = self.next_update_id;
        update["update_id"] = json!(id);
        self.pending.push_back(update);
        id
    }

    /// What `getUpdates` from `offset` confirms: the updates before it are forgotten.
    fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.confirmed_offset = self.confirmed_offset.max(offset);
            self.pending
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        } else if offset < 0 {
            // Telegram: a negative offset gives the last -offset updates, forgetting the rest.
            let keep = offset.unsigned_abs() as usize;
            while self.pending.len() > keep {
                self.pending.pop_front();
            }
        }
    }

    /// Whether a message to `chat` arriving `at` is within the limits; if so it is counted
    /// against them. Gives the seconds until it would be within them, if not.
    fn check_limits(&mut self, chat: i64, at: Instant) -> (bool, bool, u64) {
        let limits = self.config.limits.clone();
        let (burst, per_second) = if chat < 0 {
            (
                f64::from(limits.group_per_minute),
                f64::from(limits.group_per_minute) / 60.0,
            )
        } else {
            (f64::from(limits.chat_burst), limits.chat_per_second)
        };
        let bucket = self
            .buckets
            .entry(chat)
            .or_insert(Bucket { tokens: burst, at });
        let elapsed = at.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(burst);
        bucket.at = bucket.at.max(at);
        let chat_over = bucket.tokens < 1.0;
        let chat_wait = if chat_over && per_second > 0.0 {
            (1.0 - bucket.tokens) / per_second
        } else {
            0.0
        };

        let second = Duration::from_secs(1);
        while let Some(first) = self.window.front() {
            if at.saturating_duration_since(*first) >= second {
                self.window.pop_front();
            } else {
                break;
            }
        }
        let global_over = self.window.len() >= limits.global_per_second as usize;
        let global_wait = match self.window.front() {
            Some(first) if global_over => {
                (second.saturating_sub(at.saturating_duration_since(*first))).as_secs_f64()
            }
            _ => 0.0,
        };

        if !chat_over && !global_over {
            if let Some(bucket) = self.buckets.get_mut(&chat) {
                bucket.tokens -= 1.0;
            }
            self.window.push_back(at);
        }
        let wait = chat_wait.max(global_wait).ceil().max(1.0) as u64;
        (chat_over, global_over, wait)
    }

    /// A `sendMessage` or `editMessageText`, its attempt recorded with its answer.
    fn message(&mut self, method: &str, body: &Value, at: Instant, token: &str) -> Outcome {
        let outcome = self.judge_message(method, body, at, token);
        if let Some(chat_id) = chat_id(body) {
            let (status, retry_after) = match &outcome {
                Outcome::Drop => (0, None),
                Outcome::Answer { status, body, .. } => {
                    (*status, body["parameters"]["retry_after"].as_u64())
                }
            };
            self.attempts.push(Attempt {
                chat_id,
                at,
                status,
                retry_after,
            });
        }
        outcome
    }

    /// A `sendMessage` or `editMessageText`: validation, faults, limits, then delivery.
    fn judge_message(&mut self, method: &str, body: &Value, at: Instant, token: &str) -> Outcome {
        // One draw per request, whatever becomes of it, so a chat's fate does not shift
        // the faults of the others.
        let draw = self.rng.next_f64();
        let text = body["text"].as_str().unwrap_or_default();
        let editing = method == "editMessageText";
        if text.is_empty() {
            self.counters.given_400 += 1;
            return error(400, "Bad Request: message text is empty");
        }
        if editing && body.get("inline_message_id").is_some_and(|v| !v.is_null()) {
            // An inline message has no chat to record: answered `true`, as Telegram does.
            return answer(200, json!({"ok": true, "result": true}));
        }
        let Some(chat) = chat_id(body) else {
            self.counters.given_400 += 1;
            return error(400, "Bad Request: chat not found");
        };
        let edited = body["message_id"].as_i64();
        if editing && edited.is_none() {
            self.counters.given_400 += 1;
            return error(400, "Bad Request: message identifier is not specified");
        }
        if self.config.blocked_chats.contains(&chat) {
            self.counters.given_403 += 1;
            return error(403, "Forbidden: bot was blocked by the user");
        }
        if self.config.refused_chats.contains(&chat) {
            self.counters.given_400 += 1;
            return error(400, "Bad Request: can't parse entities");
        }
        if self.config.failing_chats.contains(&chat) {
            self.counters.given_500 += 1;
            return error(500, "Internal Server Error");
        }
        let c = &self.config;
        let (p429, p500, pdrop, pslow) = (c.p_429, c.p_500, c.p_drop, c.p_slow);
        if draw < p429 {
            self.counters.given_429 += 1;
            return too_many(u64::from(self.config.retry_after));
        }
        if draw < p429 + p500 {
            self.counters.given_500 += 1;
            return error(500, "Internal Server Error");
        }
        let (chat_over, global_over, wait) = self.check_limits(chat, at);
        let over = chat_over || global_over;
        if over && self.config.enforce_limits {
            self.counters.given_429 += 1;
            self.counters.limited_429 += 1;
            return too_many(wait);
        }
        if over {
            self.counters.violations += 1;
            self.counters.chat_violations += u64::from(chat_over);
            self.counters.global_violations += u64::from(global_over);
        }

        let message_id = match edited {
            Some(id) if editing => id,
            _ => self.next_message_id(chat),
        };
        let markup = reply_markup(body);
        self.delivered.push(Delivered {
            method: method.to_string(),
            chat_id: chat,
            message_id,
            text: text.to_string(),
            reply_markup: markup.clone(),
            parse_mode: body["parse_mode"].as_str().map(str::to_string),
            at,
            at_ms: at.saturating_duration_since(self.started).as_millis() as u64,
            over_limit: over,
            body: body.clone(),
            token: token.to_string(),
        });
        self.counters.delivered += 1;

        if draw < p429 + p500 + pdrop {
            self.counters.dropped += 1;
            return Outcome::Drop;
        }
        let mut message = json!({"message_id": message_id, "date": unix_now(), "text": text,
                                 "chat": chat_json(chat), "from": bot_user()});
        if editing {
            message["edit_date"] = json!(unix_now());
        }
        // Telegram gives back an inline keyboard only.
        if let Some(markup) = markup.filter(|m| m.get("inline_keyboard").is_some()) {
            message["reply_markup"] = markup;
        }
        let delay = if draw < p429 + p500 + pdrop + pslow {
            self.counters.slow += 1;
            Some(self.config.slow_by)
        } else {
            None
        };
        Outcome::Answer {
            status: 200,
            body: ok(message),
            delay,
        }
    }

    /// Every method but `getUpdates`.
    fn handle(&mut self, method: &str, body: &Value, at: Instant, token: &str) -> Outcome {
        match method {
            "sendMessage" | "editMessageText" | "sendDocument" => {
                self.message(method, body, at, token)
            }
            "getMe" => answer(
                200,
                ok(json!({"id": BOT_ID, "is_bot": true, "first_name": "Union",
                    "username": "union_bot", "can_join_groups": false,
                    "can_read_all_group_messages": false, "supports_inline_queries": false,
                    "can_connect_to_business": false, "has_main_web_app": false})),
            ),
            "getWebhookInfo" => answer(
                200,
                ok(json!({"url": "", "has_custom_certificate": false,
                          "pending_update_count": self.pending.len()})),
            ),
            "getMyCommands" => answer(200, ok(json!([]))),
            _ => answer(200, ok(json!(true))),
        }
    }
}

impl FakeTelegram {
    /// Listens on a free port of 127.0.0.1 until dropped.
    pub async fn start(config: FakeConfig) -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                rng: SplitMix64(config.seed),
                config,
                started: Instant::now(),
                next_update_id: 0,
                pending: VecDeque::new(),
                confirmed_offset: 0,
                last_message_id: HashMap::new(),
                callbacks: 0,
                buckets: HashMap::new(),
                window: VecDeque::new(),
                delivered: Vec::new(),
                attempts: Vec::new(),
                seen: Vec::new(),
                counters: Counters::default(),
            }),
            pushed: Notify::new(),
        });
        let server = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let _ = socket.set_nodelay(true);
                tokio::spawn(serve_fake(socket, server.clone()));
            }
        });
        FakeTelegram {
            url,
            shared,
            accept,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }

    /// Changes the faults or limits from now on (the generator keeps its place).
    pub fn configure(&self, change: impl FnOnce(&mut FakeConfig)) {
        change(&mut self.state().config);
    }

    /// Queues an update made of `kind` (say `{"message": {...}}`) and gives its id.
    pub fn push_raw(&self, kind: Value) -> i64 {
        let id = self.state().push(kind);
        self.shared.pushed.notify_waiters();
        id
    }

    /// Queues a text message from a user in their private chat; a command gets its
    /// `bot_command` entity, as from Telegram.
    pub fn push_text(&self, user_id: i64, text: &str) -> i64 {
        let id = {
            let mut state = self.state();
            let message_id = state.next_message_id(user_id);
            let mut message = json!({"message_id": message_id, "date": unix_now(),
                "text": text, "chat": chat_json(user_id), "from": user(user_id)});
            if text.starts_with('/') {
                let command = text.split_whitespace().next().unwrap_or(text);
                message["entities"] = json!([{"type": "bot_command", "offset": 0,
                    "length": command.encode_utf16().count()}]);
            }
            state.push(json!({ "message": message }))
        };
        self.shared.pushed.notify_waiters();
        id
    }

    /// Queues a button press on the bot's message `message_id` in the user's private chat.
    /// The message carries the text the fake delivered under that id, if it did.
    pub fn push_callback(&self, user_id: i64, data: &str, message_id: i64) -> i64 {
        let id = {
            let mut state = self.state();
            state.callbacks += 1;
            let text = state
                .delivered
                .iter()
                .rev()
                .find(|m| m.chat_id == user_id && m.message_id == message_id)
                .map(|m| m.text.clone())
                .unwrap_or_else(|| format!("message {message_id}"));
            let query = json!({
                "id": format!("cq{}-{}", user_id, state.callbacks),
                "from": user(user_id),
                "message": {"message_id": message_id, "date": unix_now(), "text": text,
                            "chat": chat_json(user_id), "from": bot_user()},
                "chat_instance": format!("ci{user_id}"),
                "data": data,
            });
            state.push(json!({ "callback_query": query }))
        };
        self.shared.pushed.notify_waiters();
        id
    }

    /// The highest positive offset a `getUpdates` asked from (0 before any).
    pub fn confirmed_offset(&self) -> i64 {
        self.state().confirmed_offset
    }

    /// How many updates are not yet confirmed.
    pub fn pending_updates(&self) -> usize {
        self.state().pending.len()
    }

    /// Every message delivered, in order of arrival.
    pub fn messages(&self) -> Vec<Delivered> {
        self.state().delivered.clone()
    }

    pub fn messages_to(&self, chat: i64) -> Vec<Delivered> {
        self.state()
            .delivered
            .iter()
            .filter(|m| m.chat_id == chat)
            .cloned()
            .collect()
    }

    /// Whether `predicate` holds of the delivered messages within `timeout`, looking every
    /// 20 ms.
    pub async fn wait_for(
        &self,
        mut predicate: impl FnMut(&[Delivered]) -> bool,
        timeout: Duration,
    ) -> bool {
        wait_until(|| predicate(&self.state().delivered), timeout).await
    }

    /// The bodies of the requests of one method (any spelling), in order.
    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.state()
            .seen
            .iter()
            .filter(|(m, _)| m.eq_ignore_ascii_case(method))
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// How many requests of one method (any spelling) came.
    pub fn requests(&self, method: &str) -> u64 {
        self.state()
            .counters
            .requests
            .get(&canonical(method))
            .copied()
            .unwrap_or(0)
    }

    pub fn counters(&self) -> Counters {
        self.state().counters.clone()
    }

    /// Every attempt to send or edit a message, in order of arrival.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.state().attempts.clone()
    }

    /// Messages delivered over Telegram's limits (without `enforce_limits`).
    pub fn violations(&self) -> u64 {
        self.state().counters.violations
    }

    /// Messages refused 429 for being over the limits (with `enforce_limits`).
    pub fn limited_429s(&self) -> u64 {
        self.state().counters.limited_429
    }

    /// Every 429 answered, whether drawn or for the limits.
    pub fn given_429s(&self) -> u64 {
        self.state().counters.given_429
    }

    pub fn given_500s(&self) -> u64 {
        self.state().counters.given_500
    }

    pub fn dropped(&self) -> u64 {
        self.state().counters.dropped
    }

    pub fn delivered(&self) -> u64 {
        self.state().counters.delivered
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Whether `condition` holds within `timeout`, looking every 20 ms.
pub async fn wait_until(mut condition: impl FnMut() -> bool, timeout: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `getUpdates`: the pending updates from `offset`, at most `limit`, waiting up to `timeout`
/// seconds for one to be pushed when there are none.
async fn get_updates(shared: &Shared, body: &Value) -> Value {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = body["timeout"].as_u64().unwrap_or(0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        // Registered before looking, so a push between the look and the wait is not missed.
        let pushed = shared.pushed.notified();
        tokio::pin!(pushed);
        pushed.as_mut().enable();
        {
            let mut state = shared.state.lock().unwrap();
            state.confirm(offset);
            let batch: Vec<Value> = state
                .pending
                .iter()
                .filter(|u| u["update_id"].as_i64().unwrap_or(0) >= offset)
                .take(limit)
                .cloned()
                .collect();
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                return ok(Value::Array(batch));
            }
        }
        let _ = tokio::time::timeout_at(deadline, pushed).await;
    }
}

async fn serve_fake(socket: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    while let Some(request) = read_request(&mut read).await {
        let at = Instant::now();
        let method = canonical(&request.method);
        {
            let mut state = shared.state.lock().unwrap();
            *state.counters.requests.entry(method.clone()).or_insert(0) += 1;
            state.seen.push((method.clone(), request.body.clone()));
        }
        let outcome = if method == "getUpdates" {
            answer(200, get_updates(&shared, &request.body).await)
        } else {
            shared
                .state
                .lock()
                .unwrap()
                .handle(&method, &request.body, at, &request.token)
        };
        match outcome {
            // Dropping both halves closes the socket: the client sees the connection end
            // with no answer.
            Outcome::Drop => return,
            Outcome::Answer {
                status,
                body,
                delay,
            } => {
                if let Some(delay) = delay {
                    tokio::time::sleep(delay).await;
                }
                if write_response(&mut write, status, &body.to_string(), request.close)
                    .await
                    .is_err()
                    || request.close
                {
                    return;
                }
            }
        }
    }
}

/// One HTTP/1.1 request: the last segment of its path and its JSON body.
struct Request {
    method: String,
    /// The segment before the method without its `bot`: the token.
    token: String,
    body: Value,
    /// The client asked to close the connection after the answer.
    close: bool,
}

/// Reads one request off a keep-alive connection; none once the client is gone.
async fn read_request<R: AsyncBufRead + Unpin>(read: &mut R) -> Option<Request> {
    let mut request_line = String::new();
    if read.read_line(&mut request_line).await.ok()? == 0 {
        return None;
    }
    let (mut length, mut chunked, mut close) = (0, false, false);
    let mut boundary = None;
    loop {
        let mut header = String::new();
        if read.read_line(&mut header).await.ok()? == 0 {
            return None;
        }
        let header = header.trim();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("content-type") {
                boundary = value
                    .split(';')
                    .find_map(|p| p.trim().strip_prefix("boundary="))
                    .map(|b| b.trim_matches('"').to_string());
            }
        }
    }
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            if read.read_line(&mut size).await.ok()? == 0 {
                return None;
            }
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut line = String::new();
                    if read.read_line(&mut line).await.ok()? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break body;
            }
            let start = body.len();
            body.resize(start + size + 2, 0);
            read.read_exact(&mut body[start..]).await.ok()?;
            body.truncate(start + size);
        }
    } else {
        let mut body = vec![0; length];
        read.read_exact(&mut body).await.ok()?;
        body
    };
    let path = request_line
        .split_whitespace()
        .nth(1)
        .map(|path| path.split('?').next().unwrap_or(path))
        .unwrap_or_default();
    let mut segments = path.rsplit('/');
    let method = segments.next().unwrap_or_default().to_string();
    let token = segments
        .next()
        .map(|s| s.strip_prefix("bot").unwrap_or(s))
        .unwrap_or_default()
        .to_string();
    let body = match boundary {
        Some(boundary) => multipart_json(&body, &boundary),
        None => serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    Some(Request {
        method,
        token,
        body,
        close,
    })
}

/// A multipart form (an upload such as `sendDocument`) as JSON: each text field by name, the
/// caption also as `text` (so a document counts as a message), and a file part as
/// `{"name": file name, "content": its text}` under its field's name.
fn multipart_json(body: &[u8], boundary: &str) -> Value {
    let body = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in body.split(&format!("--{boundary}")) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content).to_string();
        let attribute = |key: &str| {
            head.split(';')
                .find_map(|a| a.trim().strip_prefix(&format!("{key}=\"")))
                .and_then(|v| v.split('"').next())
                .map(str::to_string)
        };
        let Some(name) = attribute("name") else {
            continue;
        };
        let value = match attribute("filename") {
            Some(file) => json!({"name": file, "content": content}),
            None => match name.as_str() {
                "chat_id" | "message_id" => content
                    .trim()
                    .parse::<i64>()
                    .map_or(Value::String(content.clone()), Value::from),
                _ => Value::String(content),
            },
        };
        fields.insert(name, value);
    }
    if let Some(caption) = fields.get("caption").cloned() {
        fields.insert("text".into(), caption);
    }
    Value::Object(fields)
}

async fn write_response<W: AsyncWrite + Unpin>(
    write: &mut W,
    status: u16,
    body: &str,
    close: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Unknown",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: {connection}\r\n\r\n{body}",
        body.len()
    );
    write.write_all(response.as_bytes()).await?;
    write.flush().await
}
