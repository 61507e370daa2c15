//! Tests of the Bot API doubles themselves (`tests/common/bot_double.rs`), so the outbox,
//! crash and load tests built on [`FakeTelegram`] can trust what it says: Telegram's offset and
//! long-poll rules for `getUpdates`, per-chat message ids, a record of exactly what was
//! delivered, faults with real HTTP status codes that are not recorded as deliveries, lost
//! answers that are, seeded determinism, and Telegram's limits counted or enforced.
//!
//! Most tests speak plain HTTP/1.1 through the small client below, to see status codes and
//! closed connections as they are; one goes through teloxide to show the bot can parse every
//! answer and update the fake gives.
//!
//! The bucket rule asserted here: a private chat's bucket holds 3 tokens and starts full, a
//! token comes back every second (continuously, up to 3), each message takes one, and a
//! message that finds less than one token is over the limit and takes none. So 5 messages at
//! once are 2 over; a 6th a second later is within.

#[path = "common/bot_double.rs"]
mod double;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use double::{BotApi, FakeConfig, FakeTelegram, Limits};

/// A keep-alive HTTP/1.1 connection to a double: POSTs JSON, reads the status and the
/// content-length body. `None` when the server closed the connection instead of answering.
struct Client {
    read: BufReader<OwnedReadHalf>,
    write: OwnedWriteHalf,
}

impl Client {
    async fn connect(url: &str) -> Client {
        let address = url.trim_start_matches("http://");
        let (read, write) = TcpStream::connect(address).await.unwrap().into_split();
        Client {
            read: BufReader::new(read),
            write,
        }
    }

    async fn post(&mut self, method: &str, body: Value) -> Option<(u16, Value)> {
        let body = body.to_string();
        let request = format!(
            "POST /bot123:TOKEN/{method} HTTP/1.1\r\nhost: 127.0.0.1\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        self.write.write_all(request.as_bytes()).await.ok()?;
        let mut status_line = String::new();
        if self.read.read_line(&mut status_line).await.ok()? == 0 {
            return None;
        }
        let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
        let mut length = 0;
        loop {
            let mut header = String::new();
            if self.read.read_line(&mut header).await.ok()? == 0 {
                return None;
            }
            let header = header.trim();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0; length];
        self.read.read_exact(&mut body).await.ok()?;
        Some((status, serde_json::from_slice(&body).ok()?))
    }

    async fn send(&mut self, chat: i64, text: &str) -> Option<(u16, Value)> {
        self.post("sendMessage", json!({"chat_id": chat, "text": text}))
            .await
    }
}

fn ids(answer: &Value) -> Vec<i64> {
    answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap())
        .collect()
}

async fn get_updates(client: &mut Client, offset: i64, limit: u64, timeout: u64) -> Value {
    let (status, answer) = client
        .post(
            "getUpdates",
            json!({"offset": offset, "limit": limit, "timeout": timeout}),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    answer
}

// --- Updates -------------------------------------------------------------------------------

#[tokio::test]
async fn get_updates_gives_updates_from_the_offset_up_to_the_limit_and_forgets_older_ones() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let pushed: Vec<i64> = (0..3)
        .map(|i| fake.push_text(7, &format!("m{i}")))
        .collect();
    assert_eq!(pushed, vec![1, 2, 3], "update ids increase from 1");
    let mut client = Client::connect(&fake.url).await;

    // Offset 0 confirms nothing: asked twice, the same updates come twice.
    assert_eq!(
        ids(&get_updates(&mut client, 0, 100, 0).await),
        vec![1, 2, 3]
    );
    assert_eq!(
        ids(&get_updates(&mut client, 0, 100, 0).await),
        vec![1, 2, 3]
    );
    assert_eq!(ids(&get_updates(&mut client, 0, 2, 0).await), vec![1, 2]);
    assert_eq!(fake.confirmed_offset(), 0);

    // Offset 3 confirms 1 and 2: they are gone even for a later, lower offset.
    assert_eq!(ids(&get_updates(&mut client, 3, 100, 0).await), vec![3]);
    assert_eq!(fake.confirmed_offset(), 3);
    assert_eq!(ids(&get_updates(&mut client, 1, 100, 0).await), vec![3]);
    assert_eq!(
        fake.confirmed_offset(),
        3,
        "the highest offset asked is kept"
    );

    assert!(ids(&get_updates(&mut client, 4, 100, 0).await).is_empty());
    assert_eq!(fake.confirmed_offset(), 4);
    assert_eq!(fake.pending_updates(), 0);
    assert_eq!(
        fake.push_text(7, "later"),
        4,
        "ids go on after confirmed ones"
    );
}

#[tokio::test]
async fn a_long_poll_waits_for_a_pushed_update_and_answers_as_soon_as_it_comes() {
    let fake = Arc::new(FakeTelegram::start(FakeConfig::default()).await);
    let mut client = Client::connect(&fake.url).await;
    let pusher = fake.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        pusher.push_text(7, "hello");
    });
    let asked = Instant::now();
    let answer = get_updates(&mut client, 0, 100, 5).await;
    let waited = asked.elapsed();
    assert_eq!(ids(&answer), vec![1]);
    assert!(
        waited >= Duration::from_millis(250),
        "it waited: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(2),
        "not for the whole timeout: {waited:?}"
    );
}

#[tokio::test]
async fn a_long_poll_with_nothing_to_give_answers_an_empty_list_after_its_timeout() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;

    let asked = Instant::now();
    assert!(ids(&get_updates(&mut client, 0, 100, 0).await).is_empty());
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "timeout 0 answers at once"
    );

    let asked = Instant::now();
    assert!(ids(&get_updates(&mut client, 0, 100, 1).await).is_empty());
    let waited = asked.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn pushed_messages_and_button_presses_look_like_telegrams() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    fake.push_text(777, "/start 邀请码");
    let (_, sent) = client.send(777, "请选择").await.unwrap();
    let bot_message = sent["result"]["message_id"].as_i64().unwrap();
    fake.push_callback(777, "pick:1", bot_message);
    fake.push_callback(777, "pick:2", bot_message);

    let answer = get_updates(&mut client, 0, 100, 0).await;
    let updates = answer["result"].as_array().unwrap();
    let message = &updates[0]["message"];
    assert_eq!(message["text"], "/start 邀请码");
    assert_eq!(message["chat"]["id"], 777);
    assert_eq!(message["chat"]["type"], "private");
    assert_eq!(message["from"]["first_name"], "用户777");
    assert_eq!(message["from"]["language_code"], "zh-hans");
    assert_eq!(
        message["entities"],
        json!([{"type": "bot_command", "offset": 0, "length": 6}])
    );

    let (first, second) = (&updates[1]["callback_query"], &updates[2]["callback_query"]);
    assert_eq!(first["data"], "pick:1");
    assert_eq!(first["from"]["id"], 777);
    assert_eq!(first["message"]["message_id"], bot_message);
    assert_eq!(first["message"]["chat"]["id"], 777);
    assert_eq!(
        first["message"]["text"], "请选择",
        "the pressed message's text"
    );
    assert!(first["id"].is_string());
    assert_ne!(first["id"], second["id"], "each press has its own id");
}

#[tokio::test]
async fn teloxide_parses_every_answer_and_update_the_fake_gives() {
    use teloxide::prelude::*;
    use teloxide::types::{BotCommand, MessageId, UpdateKind};
    use teloxide::{ApiError, RequestError};

    let fake = FakeTelegram::start(FakeConfig {
        blocked_chats: HashSet::from([13]),
        ..FakeConfig::default()
    })
    .await;
    let bot = Bot::new("123:TOKEN").set_api_url(fake.url.parse().unwrap());

    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), "union_bot");
    assert_eq!(me.id.0, 42);
    let sent = bot.send_message(ChatId(5), "hi").await.unwrap();
    assert_eq!(
        (sent.id, sent.chat.id, sent.text()),
        (MessageId(1), ChatId(5), Some("hi"))
    );
    let edited = bot
        .edit_message_text(ChatId(5), sent.id, "edited")
        .await
        .unwrap();
    assert_eq!((edited.id, edited.text()), (MessageId(1), Some("edited")));
    bot.set_my_commands([BotCommand::new("start", "开始")])
        .await
        .unwrap();
    bot.delete_my_commands().await.unwrap();
    assert!(bot.get_my_commands().await.unwrap().is_empty());
    bot.delete_webhook().await.unwrap();

    fake.push_text(5, "/help");
    fake.push_callback(5, "yes", sent.id.0.into());
    let updates = bot.get_updates().offset(0).timeout(0).await.unwrap();
    assert_eq!(updates.len(), 2);
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind);
    };
    assert_eq!(message.text(), Some("/help"));
    assert_eq!(message.from.as_ref().unwrap().first_name, "用户5");
    let UpdateKind::CallbackQuery(query) = &updates[1].kind else {
        panic!("{:?}", updates[1].kind);
    };
    assert_eq!(query.data.as_deref(), Some("yes"));
    let pressed = query.message.as_ref().unwrap();
    assert_eq!(pressed.id(), sent.id);
    assert!(pressed.regular_message().is_some(), "an accessible message");
    bot.answer_callback_query(query.id.clone()).await.unwrap();

    // The error answers are the ones teloxide turns into its typed errors.
    let blocked = bot.send_message(ChatId(13), "x").await.unwrap_err();
    assert!(
        matches!(blocked, RequestError::Api(ApiError::BotBlocked)),
        "{blocked:?}"
    );
    fake.configure(|c| c.p_429 = 1.0);
    let busy = bot.send_message(ChatId(5), "x").await.unwrap_err();
    assert!(
        matches!(busy, RequestError::RetryAfter(s) if s.seconds() == 1),
        "{busy:?}"
    );
}

// --- Answers and the record ------------------------------------------------------------------

#[tokio::test]
async fn message_ids_increase_per_chat() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    let mut given = Vec::new();
    for chat in [1, 1, 2, 1, -5] {
        let (status, answer) = client.send(chat, "t").await.unwrap();
        assert_eq!(status, 200);
        assert_eq!(answer["result"]["chat"]["id"], chat);
        given.push(answer["result"]["message_id"].as_i64().unwrap());
    }
    assert_eq!(given, vec![1, 2, 1, 3, 1]);
    let to_one: Vec<i64> = fake.messages_to(1).iter().map(|m| m.message_id).collect();
    assert_eq!(to_one, vec![1, 2, 3]);
    assert_eq!(fake.messages().len(), 5);
    assert_eq!(fake.delivered(), 5);
}

#[tokio::test]
async fn a_delivered_message_is_recorded_with_its_markup_parse_mode_and_arrival() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    let keyboard = json!({"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]});
    let before = Instant::now();
    let (_, sent) = client
        .post(
            "SendMessage",
            json!({"chat_id": 9, "text": "<b>好</b>", "parse_mode": "HTML",
                   "reply_markup": keyboard}),
        )
        .await
        .unwrap();
    assert_eq!(
        sent["result"]["reply_markup"], keyboard,
        "inline keyboards come back"
    );
    let (status, edited) = client
        .post(
            "editMessageText",
            json!({"chat_id": 9, "message_id": 1, "text": "改了"}),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(edited["result"]["message_id"], 1);
    assert_eq!(edited["result"]["text"], "改了");

    let record = fake.messages();
    assert_eq!(record.len(), 2);
    let first = &record[0];
    assert_eq!(first.method, "sendMessage", "the canonical spelling");
    assert_eq!((first.chat_id, first.message_id), (9, 1));
    assert_eq!(first.text, "<b>好</b>");
    assert_eq!(first.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(first.reply_markup.as_ref(), Some(&keyboard));
    assert!(first.at >= before && first.at <= Instant::now());
    assert!(first.at_ms < 5_000, "{}", first.at_ms);
    let second = &record[1];
    assert_eq!(second.method, "editMessageText");
    assert_eq!((second.message_id, second.text.as_str()), (1, "改了"));
    assert_eq!(second.parse_mode, None);
    assert!(second.at_ms >= first.at_ms);
}

#[tokio::test]
async fn wait_for_sees_a_message_delivered_later_and_gives_up_after_its_timeout() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let url = fake.url.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        Client::connect(&url).await.send(3, "late").await;
    });
    assert!(
        fake.wait_for(
            |m| m.iter().any(|m| m.text == "late"),
            Duration::from_secs(5)
        )
        .await
    );
    let asked = Instant::now();
    assert!(
        !fake
            .wait_for(|m| m.len() > 1, Duration::from_millis(300))
            .await
    );
    assert!(asked.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn requests_are_counted_per_method_whatever_their_spelling() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    for method in ["getMe", "GetMe", "SetMyCommands", "someNewMethod"] {
        let (status, answer) = client.post(method, json!({})).await.unwrap();
        assert_eq!(status, 200);
        assert_eq!(answer["ok"], true);
    }
    client.send(1, "a").await.unwrap();
    assert_eq!(fake.requests("getMe"), 2);
    assert_eq!(fake.requests("GETME"), 2);
    assert_eq!(fake.requests("setMyCommands"), 1);
    assert_eq!(fake.requests("someNewMethod"), 1);
    assert_eq!(fake.requests("sendMessage"), 1);
    assert_eq!(fake.calls("SendMessage")[0]["text"], "a");
    assert_eq!(fake.requests("getUpdates"), 0);
}

#[tokio::test]
async fn a_message_without_text_is_a_400_and_not_recorded() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    let (status, answer) = client.send(1, "").await.unwrap();
    assert_eq!(status, 400);
    assert_eq!(answer["error_code"], 400);
    assert!(fake.messages().is_empty());
    assert_eq!(fake.counters().given_400, 1);
}

// --- Faults --------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_carries_retry_after_and_is_not_recorded() {
    let fake = FakeTelegram::start(FakeConfig {
        p_429: 1.0,
        retry_after: 7,
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let (status, answer) = client.send(1, "x").await.unwrap();
    assert_eq!(status, 429, "a real HTTP status");
    assert_eq!(
        answer,
        json!({"ok": false, "error_code": 429,
               "description": "Too Many Requests: retry after 7",
               "parameters": {"retry_after": 7}})
    );
    assert!(fake.messages().is_empty());
    assert_eq!((fake.given_429s(), fake.delivered()), (1, 0));
    // The connection stays open for the next request.
    let (status, _) = client.post("getMe", json!({})).await.unwrap();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_500_is_a_real_500_and_is_not_recorded() {
    let fake = FakeTelegram::start(FakeConfig {
        p_500: 1.0,
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let (status, answer) = client.send(1, "x").await.unwrap();
    assert_eq!(status, 500);
    assert_eq!(
        answer,
        json!({"ok": false, "error_code": 500, "description": "Internal Server Error"})
    );
    assert!(fake.messages().is_empty());
    assert_eq!(fake.given_500s(), 1);
}

#[tokio::test]
async fn failing_and_blocked_chats_always_fail_and_the_others_are_served_on_the_same_connection() {
    let fake = FakeTelegram::start(FakeConfig {
        failing_chats: HashSet::from([50]),
        blocked_chats: HashSet::from([40]),
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let mut statuses = Vec::new();
    for chat in [50, 40, 1, 50, 40, 1] {
        let (status, answer) = client.send(chat, "x").await.unwrap();
        if status == 403 {
            assert_eq!(
                answer,
                json!({"ok": false, "error_code": 403,
                       "description": "Forbidden: bot was blocked by the user"})
            );
        }
        statuses.push(status);
    }
    assert_eq!(statuses, vec![500, 403, 200, 500, 403, 200]);
    let chats: Vec<i64> = fake.messages().iter().map(|m| m.chat_id).collect();
    assert_eq!(chats, vec![1, 1]);
    assert_eq!(fake.counters().given_403, 2);
    assert_eq!(fake.given_500s(), 2);
}

#[tokio::test]
async fn a_dropped_answer_closes_the_connection_but_the_message_is_delivered() {
    let fake = FakeTelegram::start(FakeConfig {
        p_drop: 1.0,
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    assert!(
        client.send(1, "lost answer").await.is_none(),
        "no answer at all"
    );
    let record = fake.messages();
    assert_eq!(record.len(), 1);
    assert_eq!(record[0].text, "lost answer");
    assert_eq!(fake.dropped(), 1);
    // Only that connection is gone: a new one is served.
    let (status, _) = Client::connect(&fake.url)
        .await
        .post("getMe", json!({}))
        .await
        .unwrap();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_slow_answer_comes_after_the_delay_but_the_message_is_recorded_on_arrival() {
    let fake = FakeTelegram::start(FakeConfig {
        p_slow: 1.0,
        slow_by: Duration::from_millis(400),
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let asked = Instant::now();
    let (status, _) = client.send(1, "slow").await.unwrap();
    let waited = asked.elapsed();
    assert_eq!(status, 200);
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    let arrived = fake.messages()[0].at;
    assert!(arrived.duration_since(asked) < Duration::from_millis(300));
    assert_eq!(fake.counters().slow, 1);
}

/// What each of `n` messages to distinct chats got: a status, or 0 for a lost answer.
async fn fates(seed: u64, n: i64) -> Vec<u16> {
    let fake = FakeTelegram::start(FakeConfig {
        seed,
        p_429: 0.2,
        p_500: 0.2,
        p_drop: 0.2,
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let mut fates = Vec::new();
    for chat in 1..=n {
        match client.send(chat, "x").await {
            Some((status, _)) => fates.push(status),
            None => {
                fates.push(0);
                client = Client::connect(&fake.url).await;
            }
        }
    }
    let counters = fake.counters();
    let count = |s: u16| fates.iter().filter(|f| **f == s).count() as u64;
    assert_eq!(counters.given_429, count(429));
    assert_eq!(counters.given_500, count(500));
    assert_eq!(counters.dropped, count(0));
    assert_eq!(
        counters.delivered,
        count(200) + count(0),
        "dropped ones are delivered"
    );
    fates
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults_and_another_seed_others() {
    let first = fates(7, 60).await;
    assert_eq!(first, fates(7, 60).await);
    assert_ne!(first, fates(8, 60).await);
    for fate in [200, 429, 500, 0] {
        assert!(first.contains(&fate), "{fate} never came: {first:?}");
    }
}

// --- Limits --------------------------------------------------------------------------------

/// Sends `n` messages to `chat` as fast as one connection goes; gives their statuses.
async fn burst(client: &mut Client, chat: i64, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..n {
        statuses.push(client.send(chat, &format!("m{i}")).await.unwrap().0);
    }
    statuses
}

/// The test's premise: the messages came within one second.
fn within_a_second(fake: &FakeTelegram) {
    let record = fake.messages();
    let span = record.last().unwrap().at - record[0].at;
    assert!(
        span < Duration::from_millis(900),
        "too slow to test a burst: {span:?}"
    );
}

#[tokio::test]
async fn five_messages_at_once_to_a_private_chat_are_two_over_its_bucket() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    assert_eq!(
        burst(&mut client, 1, 5).await,
        vec![200; 5],
        "counted, not refused"
    );
    within_a_second(&fake);
    assert_eq!(fake.violations(), 2);
    let counters = fake.counters();
    assert_eq!(
        (counters.chat_violations, counters.global_violations),
        (2, 0)
    );
    let over: Vec<bool> = fake.messages().iter().map(|m| m.over_limit).collect();
    assert_eq!(over, vec![false, false, false, true, true]);
    assert_eq!(fake.limited_429s(), 0);
}

#[tokio::test]
async fn the_chat_bucket_gives_back_one_message_a_second() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    burst(&mut client, 1, 3).await;
    assert_eq!(fake.violations(), 0, "the burst of 3 is allowed");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    burst(&mut client, 1, 1).await;
    assert_eq!(fake.violations(), 0, "a second later one token is back");
    burst(&mut client, 1, 1).await;
    assert_eq!(fake.violations(), 1, "but only one");
    // The message over the limit took no token: a second later there is one again.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    burst(&mut client, 1, 1).await;
    assert_eq!(fake.violations(), 1, "the bucket is never in debt");
    burst(&mut client, 2, 3).await;
    assert_eq!(fake.violations(), 1, "another chat has its own bucket");
}

#[tokio::test]
async fn a_group_may_get_twenty_messages_a_minute() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    burst(&mut client, -100, 21).await;
    within_a_second(&fake);
    assert_eq!(fake.violations(), 1);
    assert_eq!(fake.counters().chat_violations, 1);
}

#[tokio::test]
async fn more_than_thirty_messages_within_a_second_over_the_bot_are_over_the_global_limit() {
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let mut client = Client::connect(&fake.url).await;
    for chat in 1..=31 {
        client.send(chat, "x").await.unwrap();
    }
    within_a_second(&fake);
    let counters = fake.counters();
    assert_eq!(counters.violations, 1);
    assert_eq!(
        (counters.chat_violations, counters.global_violations),
        (0, 1)
    );
    assert!(fake.messages()[30].over_limit);
}

#[tokio::test]
async fn the_limits_can_be_configured() {
    let fake = FakeTelegram::start(FakeConfig {
        limits: Limits {
            chat_burst: 1,
            global_per_second: 2,
            ..Limits::default()
        },
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    burst(&mut client, 1, 2).await;
    assert_eq!(fake.counters().chat_violations, 1, "a burst of 1");
    burst(&mut client, 2, 1).await;
    burst(&mut client, 3, 1).await;
    within_a_second(&fake);
    assert_eq!(
        fake.counters().global_violations,
        1,
        "2 a second over the bot"
    );
}

#[tokio::test]
async fn with_enforced_limits_a_message_over_them_is_answered_429_instead_of_delivered() {
    let fake = FakeTelegram::start(FakeConfig {
        enforce_limits: true,
        ..FakeConfig::default()
    })
    .await;
    let mut client = Client::connect(&fake.url).await;
    let mut answers = Vec::new();
    for _ in 0..5 {
        answers.push(client.send(1, "x").await.unwrap());
    }
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, vec![200, 200, 200, 429, 429]);
    assert_eq!(answers[3].1["parameters"]["retry_after"], 1);
    assert_eq!(fake.messages_to(1).len(), 3);
    assert_eq!(fake.limited_429s(), 2);
    assert_eq!(fake.given_429s(), 2);
    assert_eq!(
        fake.violations(),
        0,
        "nothing over the limits was delivered"
    );

    // Waiting as told is enough.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(client.send(1, "x").await.unwrap().0, 200);
    assert_eq!(fake.messages_to(1).len(), 4);
}

// --- The responder double ------------------------------------------------------------------

#[tokio::test]
async fn the_responder_double_still_answers_what_its_responder_gives_and_records_the_calls() {
    let api = BotApi::start(Arc::new(|method, body| match method {
        "SendMessage" => double::sent(body),
        _ => double::ok(json!(true)),
    }))
    .await;
    let mut client = Client::connect(&api.url).await;
    let (status, answer) = client
        .post("SendMessage", json!({"chat_id": 5, "text": "hi"}))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(answer["result"]["text"], "hi");
    assert_eq!(answer["result"]["chat"]["id"], 5);
    let (_, answer) = client.post("GetMe", json!({})).await.unwrap();
    assert_eq!(answer, json!({"ok": true, "result": true}));
    assert_eq!(
        api.calls("sendmessage"),
        vec![json!({"chat_id": 5, "text": "hi"})]
    );
}
