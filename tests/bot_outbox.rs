//! The outbox worker against a fake Telegram of our own that answers 429 with `retry_after`,
//! 500, 403 and loses answers: every message is delivered once (twice only where an answer was
//! lost), within Telegram's limits by the fake's own clock, in order per chat; a chat that fails
//! for ever holds up no other; a blocked bot marks the person unreachable.

mod common;
#[path = "common/bot_double.rs"]
mod double;

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use teloxide::Bot;
use tokio::sync::watch;

use unionbot::bot::App;
use unionbot::bot::outbox::{self, Limits};
use unionbot::domain::{Role, UnitKind};
use unionbot::records::{NewUnit, Recorder};
use unionbot::rules::Rules;
use unionbot::store::{NewMessage, Store, UpdateOutcome};

use common::TestDb;
use double::{FakeConfig, FakeTelegram};

const FAILING: i64 = 900;
const BLOCKED: i64 = 901;

/// The worker over `store`, sending to `fake`, until the returned sender says stop.
fn start_worker(store: &Store, fake: &FakeTelegram, limits: Limits) -> watch::Sender<bool> {
    let bot = Bot::new("123:test").set_api_url(fake.url.parse().unwrap());
    let app = App::new(store.clone(), Rules::default());
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(outbox::run(bot, app, limits, stopped));
    stop
}

/// Queues `per_chat` messages for each of `chats` chats, texts `c<chat>m<n>`.
async fn queue(store: &Store, chats: std::ops::Range<i64>, per_chat: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for n in 0..per_chat {
        for chat in chats.clone() {
            let text = format!("c{chat}m{n}");
            assert!(store.enqueue(&text, chat, &text, Utc::now()).await.unwrap());
            texts.push(text);
        }
    }
    texts
}

async fn pending(store: &Store) -> usize {
    let later = Utc::now() + chrono::Duration::days(1);
    store.due_messages(later, 100_000).await.unwrap().len()
}

#[tokio::test]
async fn every_message_arrives_once_through_429s_500s_and_lost_answers_within_the_limits() {
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let fake = FakeTelegram::start(FakeConfig {
        seed: 7,
        p_429: 0.3,
        retry_after: 1,
        p_500: 0.1,
        p_drop: 0.02,
        ..FakeConfig::default()
    })
    .await;
    let texts = queue(store, 1..41, 4).await;
    let stop = start_worker(store, &fake, Limits::default());
    let all_sent = common::wait_until_async(
        || async { pending(store).await == 0 },
        Duration::from_secs(90),
    )
    .await;
    assert!(all_sent, "{} still pending", pending(store).await);

    let delivered = fake.messages();
    let mut times: HashMap<&str, usize> = HashMap::new();
    for m in &delivered {
        *times.entry(m.text.as_str()).or_default() += 1;
    }
    for text in &texts {
        assert!(times.contains_key(text.as_str()), "{text} never arrived");
    }
    let twice: usize = times.values().map(|n| n - 1).sum();
    assert!(
        twice as u64 <= fake.dropped(),
        "{twice} duplicates, {} lost answers",
        fake.dropped()
    );
    assert!(
        fake.given_429s() > 0 && fake.given_500s() > 0,
        "the faults happened"
    );
    let counters = fake.counters();
    assert_eq!(
        (counters.chat_violations, counters.global_violations),
        (0, 0),
        "no chat above its bucket, no second above the limit"
    );
    // In order per chat: each chat's first delivery of message n comes after that of n - 1.
    for chat in 1..41 {
        let order: Vec<String> = fake.messages_to(chat).into_iter().map(|m| m.text).fold(
            Vec::new(),
            |mut seen, text| {
                if !seen.contains(&text) {
                    seen.push(text);
                }
                seen
            },
        );
        let expected: Vec<String> = (0..4).map(|n| format!("c{chat}m{n}")).collect();
        assert_eq!(order, expected, "chat {chat}");
    }
    let _ = stop.send(true);
    db.finish().await;
}

#[tokio::test]
async fn a_chat_that_always_fails_holds_up_no_other_and_a_blocked_bot_marks_the_person_unreachable()
{
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let unit = NewUnit {
        code: "D01".into(),
        name: "中山区总工会".into(),
        kind: UnitKind::District,
        parent_code: None,
    };
    let office = Recorder("test".into());
    store.import_units(&[(2, unit)], &office).await.unwrap();
    let code = store
        .create_invite(
            Some("D01"),
            Role::Officer,
            chrono::Duration::days(1),
            Utc::now(),
            &office,
        )
        .await
        .unwrap()
        .code;
    store
        .redeem_invite(&code, BLOCKED, "王", Utc::now())
        .await
        .unwrap();
    let fake = FakeTelegram::start(FakeConfig {
        failing_chats: [FAILING].into(),
        blocked_chats: [BLOCKED].into(),
        ..FakeConfig::default()
    })
    .await;
    queue(store, FAILING..BLOCKED + 1, 2).await;
    let others = queue(store, 1..21, 2).await;
    let stop = start_worker(store, &fake, Limits::default());
    let delivered = fake
        .wait_for(
            |seen| others.iter().all(|t| seen.iter().any(|m| &m.text == t)),
            Duration::from_secs(30),
        )
        .await;
    assert!(delivered, "every other chat's messages arrive");
    // Meanwhile the failing chat's first message is still being retried, not given up.
    let later = Utc::now() + chrono::Duration::days(1);
    let left = store.due_messages(later, 100).await.unwrap();
    assert!(left.iter().any(|m| m.chat_id == FAILING), "{left:?}");
    assert!(fake.messages_to(FAILING).is_empty());

    // The blocked person's messages failed at once, and the person is unreachable.
    assert!(!left.iter().any(|m| m.chat_id == BLOCKED), "{left:?}");
    let unreachable = store.unreachable_people().await.unwrap();
    assert_eq!(
        unreachable
            .iter()
            .map(|p| p.telegram_id)
            .collect::<Vec<_>>(),
        vec![BLOCKED]
    );
    let _ = stop.send(true);
    db.finish().await;
}

#[tokio::test]
async fn a_document_goes_as_an_upload_with_its_caption_and_an_edit_as_an_edit() {
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let outcome = UpdateOutcome {
        update_id: None,
        dialogue: None,
        messages: vec![
            NewMessage {
                key: "bulletin:1".into(),
                chat_id: 7,
                text: "<b>2026年第1期</b> 通报".into(),
                document: Some(("通报.txt".into(), "中山区总工会 12 分".into())),
                ..NewMessage::default()
            },
            NewMessage {
                key: "edit:1".into(),
                chat_id: 8,
                text: "已更新".into(),
                edit_message_id: Some(3),
                reply_markup: Some(
                    r#"{"inline_keyboard":[[{"text":"好","callback_data":"x"}]]}"#.into(),
                ),
                ..NewMessage::default()
            },
        ],
        read: None,
    };
    assert_eq!(store.commit_update(&outcome, Utc::now()).await.unwrap(), 2);
    let stop = start_worker(store, &fake, Limits::default());
    let both = fake
        .wait_for(|seen| seen.len() == 2, Duration::from_secs(20))
        .await;
    assert!(both, "{:?}", fake.messages());
    let document = &fake.messages_to(7)[0];
    assert_eq!(document.method, "sendDocument");
    assert_eq!(document.text, "<b>2026年第1期</b> 通报");
    assert_eq!(document.body["document"]["name"], "通报.txt");
    assert_eq!(document.body["document"]["content"], "中山区总工会 12 分");
    let edit = &fake.messages_to(8)[0];
    assert_eq!(edit.method, "editMessageText");
    assert_eq!(edit.body["message_id"], 3);
    assert_eq!(
        edit.body["reply_markup"]["inline_keyboard"][0][0]["text"],
        "好"
    );
    let _ = stop.send(true);
    db.finish().await;
}
