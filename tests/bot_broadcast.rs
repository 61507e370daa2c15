//! A broadcast at scale: `unionbot run` sends a few hundred bulk messages of one batch (as the
//! scheduler queues a quarter's guidance) to a fake Telegram that answers 429 with
//! `retry_after`, 500, times out, loses answers and is blocked by some people. Every message
//! arrives once (twice only where an answer was lost) or is marked failed or unreachable, within
//! Telegram's limits by the fake's clock, waiting out every 429; the office hears once who
//! blocked the bot; a reply never waits behind the broadcast; a program killed midway is started
//! again and loses nothing; two programs on one PostgreSQL database send each message once; and
//! what failed is listed (`outbox failed`, `/failed`) and sent again (`outbox retry`).

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;

use unionbot::domain::Role;
use unionbot::store::{NewMessage, Store, UpdateOutcome};

use common::TestDb;
use common::cli::unionbot_in;
use double::{FakeConfig, FakeTelegram};
use program::{OFFICE, OFFICER, Person, Program, register, seed};

const BATCH: &str = "guidance:2026Q2:r1";
/// How long a whole run may take before the test gives up: a few hundred messages at 30 a
/// second with retries take well under a minute.
const GIVE_UP: Duration = Duration::from_secs(180);

/// The text a person's broadcast message carries.
fn text_for(chat: i64) -> String {
    format!("2026年第二季度信息需求要点（{chat}）")
}

/// Registers `count` officers (ids from 10,000, half in each unit) besides the seed's officer
/// and office; their Telegram ids.
async fn officers(store: &Store, count: i64) -> Vec<i64> {
    seed(store).await;
    let ids: Vec<i64> = (10_000..10_000 + count).collect();
    for id in &ids {
        let unit = if id % 2 == 0 { "D01" } else { "D02" };
        register(store, *id, Some(unit), Role::Officer).await;
    }
    ids
}

/// Queues the broadcast to these chats in one commit, in this order, as the scheduler does:
/// bulk, in one batch, keyed by the job and the person.
async fn broadcast(store: &Store, chats: &[i64]) {
    let people = store.people().await.unwrap();
    let messages = chats
        .iter()
        .map(|chat| {
            let person = people.iter().find(|p| p.telegram_id == *chat).unwrap();
            NewMessage {
                batch: Some(BATCH.into()),
                bulk: true,
                ..NewMessage::text(format!("{BATCH}:{}", person.id), *chat, text_for(*chat))
            }
        })
        .collect();
    let outcome = UpdateOutcome {
        update_id: None,
        dialogue: None,
        messages,
        read: None,
    };
    store.commit_update(&outcome, Utc::now()).await.unwrap();
}

/// Messages still pending, whenever due.
async fn pending(store: &Store) -> Vec<unionbot::store::OutboxMessage> {
    let later = Utc::now() + chrono::Duration::days(1);
    store.due_messages(later, 100_000).await.unwrap()
}

async fn all_settled(store: &Store) -> bool {
    common::wait_until_async(|| async { pending(store).await.is_empty() }, GIVE_UP).await
}

/// How often each text arrived.
fn times(fake: &FakeTelegram) -> HashMap<String, usize> {
    let mut times = HashMap::new();
    for m in fake.messages() {
        *times.entry(m.text).or_default() += 1;
    }
    times
}

/// The office's summaries of the broadcast among these deliveries.
fn summaries_in(seen: &[double::Delivered]) -> Vec<String> {
    seen.iter()
        .filter(|m| m.chat_id == OFFICE && m.text.contains(BATCH))
        .map(|m| m.text.clone())
        .collect()
}

/// The office's summaries of the broadcast.
fn summaries(fake: &FakeTelegram) -> Vec<String> {
    summaries_in(&fake.messages())
}

/// Every 429 was waited out: the next attempt to its chat came no sooner than it said.
fn every_429_waited_out(fake: &FakeTelegram) {
    let attempts = fake.attempts();
    for (i, a) in attempts.iter().enumerate() {
        let Some(after) = a.retry_after.filter(|_| a.status == 429) else {
            continue;
        };
        if let Some(next) = attempts[i + 1..].iter().find(|b| b.chat_id == a.chat_id) {
            let waited = next.at.saturating_duration_since(a.at);
            assert!(
                waited >= Duration::from_secs(after),
                "chat {} came back after {waited:?}, told to wait {after}s",
                a.chat_id
            );
        }
    }
}

#[tokio::test]
async fn a_broadcast_arrives_once_through_faults_within_the_limits_and_the_office_hears_once() {
    for db in common::databases().await {
        eprintln!("on {}", db.backend);
        let store = &db.store;
        let chats = officers(store, 300).await;
        let blocked: HashSet<i64> = chats.iter().copied().filter(|c| c % 61 == 0).collect();
        broadcast(store, &chats).await;
        let fake = FakeTelegram::start(FakeConfig {
            seed: 5,
            p_429: 0.1,
            retry_after: 1,
            p_500: 0.05,
            p_drop: 0.02,
            p_slow: 0.02,
            // Longer than the request timeout below: the send times out, yet it arrived.
            slow_by: Duration::from_secs(2),
            blocked_chats: blocked.clone(),
            ..FakeConfig::default()
        })
        .await;
        let program = Program::start(
            &db.url,
            &fake,
            None,
            &[("UNIONBOT_SEND_TIMEOUT_MS", "1000")],
        );
        assert!(
            all_settled(store).await,
            "{} pending",
            pending(store).await.len()
        );
        let told = fake
            .wait_for(
                |seen| !summaries_in(seen).is_empty(),
                Duration::from_secs(20),
            )
            .await;
        // Nothing more is due to come; a second summary would have come with the first.
        tokio::time::sleep(Duration::from_millis(500)).await;
        program.stop().await;
        assert!(told, "the office was told who blocked the bot");

        let times = times(&fake);
        for chat in chats.iter().filter(|c| !blocked.contains(c)) {
            assert!(times.contains_key(&text_for(*chat)), "{chat} got nothing");
        }
        for chat in &blocked {
            assert!(!times.contains_key(&text_for(*chat)), "{chat} is blocked");
        }
        let counters = fake.counters();
        let twice: usize = times.values().map(|n| n - 1).sum();
        assert!(
            twice as u64 <= counters.dropped + counters.slow,
            "{twice} duplicates, {} lost answers, {} timed out",
            counters.dropped,
            counters.slow
        );
        assert!(counters.given_429 > 0 && counters.given_500 > 0 && counters.dropped > 0);
        assert_eq!(
            (counters.chat_violations, counters.global_violations),
            (0, 0),
            "no chat above its bucket, no second above the limit"
        );
        every_429_waited_out(&fake);

        // Those who blocked the bot are unreachable and their messages failed, visibly.
        let unreachable: HashSet<i64> = store
            .unreachable_people()
            .await
            .unwrap()
            .iter()
            .map(|p| p.telegram_id)
            .collect();
        assert_eq!(unreachable, blocked);
        let failed = store.failed_messages(1000).await.unwrap();
        let failed_chats: HashSet<i64> = failed.iter().map(|m| m.chat_id).collect();
        assert_eq!(failed_chats, blocked);
        assert!(failed.iter().all(|m| m.unreachable));

        // One summary, naming each of them (it may arrive twice, like any message whose
        // answer was lost); nobody else was told anything.
        let queued = store.outbox_rows_for(OFFICE).await.unwrap();
        assert_eq!(queued.len(), 1, "{queued:#?}");
        assert_eq!(
            queued[0].idempotency_key,
            format!("unreachable:{BATCH}:{OFFICE}")
        );
        let mut summaries = summaries(&fake);
        summaries.dedup();
        assert_eq!(summaries.len(), 1, "{summaries:#?}");
        for chat in &blocked {
            assert!(
                summaries[0].contains(&format!("用户{chat}")),
                "{}",
                summaries[0]
            );
        }
        let outsiders = fake
            .messages()
            .into_iter()
            .filter(|m| m.chat_id != OFFICE && !m.text.starts_with("2026年第二季度"))
            .count();
        assert_eq!(outsiders, 0);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_reply_never_waits_behind_a_broadcast() {
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let mut chats = officers(store, 300).await;
    // The officer who asks is the broadcast's last: their own guidance comes after everyone's.
    chats.push(OFFICER);
    broadcast(store, &chats).await;
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let program = Program::start(&db.url, &fake, None, &[]);
    assert!(
        fake.wait_for(|seen| seen.len() >= 20, GIVE_UP).await,
        "the broadcast began"
    );
    let officer = Person {
        fake: &fake,
        id: OFFICER,
    };
    let answer = officer.say("/score").await;
    assert!(!answer.is_empty());
    assert!(all_settled(store).await);
    program.stop().await;
    let said = officer.said();
    assert_ne!(said[0].text, text_for(OFFICER), "the reply came first");
    assert_eq!(said.last().map(|m| m.text.clone()), Some(text_for(OFFICER)));
    // When the reply arrived, most of the broadcast had yet to go.
    let all = fake.messages();
    let reply_at = all
        .iter()
        .position(|m| m.chat_id == OFFICER)
        .unwrap_or(all.len());
    assert!(reply_at < 200, "the reply came as message {reply_at}");
    db.finish().await;
}

#[tokio::test]
async fn a_broadcast_killed_midway_resumes_without_loss_and_repeats_only_what_was_in_hand() {
    for db in common::databases().await {
        eprintln!("on {}", db.backend);
        let store = &db.store;
        let chats = officers(store, 300).await;
        broadcast(store, &chats).await;
        let fake = FakeTelegram::start(FakeConfig::default()).await;
        // A short request timeout makes a short lease: on PostgreSQL, what the killed program
        // had claimed waits for its lease to end.
        let env = [("UNIONBOT_SEND_TIMEOUT_MS", "2000")];
        let first = Program::start(&db.url, &fake, None, &env);
        assert!(fake.wait_for(|seen| seen.len() >= 100, GIVE_UP).await);
        first.kill();
        // A request already on the wire when the program died still reaches the double: wait
        // until it has taken all of them, so "delivered before the kill" misses none.
        let mut seen = fake.messages().len();
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = fake.messages().len();
            if now == seen {
                break;
            }
            seen = now;
        }
        let before: HashSet<String> = fake.messages().into_iter().map(|m| m.text).collect();
        let left: HashSet<String> = pending(store).await.into_iter().map(|m| m.text).collect();
        assert!(!left.is_empty(), "killed midway");
        // Delivered, but not yet marked sent when the program died.
        let in_hand: HashSet<&String> = before.intersection(&left).collect();

        let again = Program::start(&db.url, &fake, None, &env);
        assert!(
            all_settled(store).await,
            "{} pending",
            pending(store).await.len()
        );
        again.stop().await;
        let times = times(&fake);
        for chat in &chats {
            assert!(times.contains_key(&text_for(*chat)), "{chat} got nothing");
        }
        for (text, n) in &times {
            assert!(
                *n == 1 || (*n == 2 && in_hand.contains(text)),
                "{text} arrived {n} times; in hand at the kill: {}",
                in_hand.len()
            );
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn two_programs_on_one_postgres_database_send_each_message_once() {
    let Some(admin) = common::postgres_admin_url() else {
        return;
    };
    let db = TestDb::postgres(&admin, true).await;
    let store = &db.store;
    let chats = officers(store, 300).await;
    broadcast(store, &chats).await;
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    // Their pacing is their own (sharing it comes with the scale issue): half the limit each.
    let a = Program::start(&db.url, &fake, None, &[("UNIONBOT_SEND_PER_SECOND", "15")]);
    let b = Program::start(
        &db.url,
        &fake,
        None,
        &[
            ("UNIONBOT_SEND_PER_SECOND", "15"),
            ("TELOXIDE_TOKEN", "654321:OTHER-token"),
        ],
    );
    assert!(
        all_settled(store).await,
        "{} pending",
        pending(store).await.len()
    );
    a.stop().await;
    b.stop().await;
    let times = times(&fake);
    for chat in &chats {
        assert_eq!(times.get(&text_for(*chat)), Some(&1), "{chat}");
    }
    let senders: HashSet<String> = fake.messages().into_iter().map(|m| m.token).collect();
    assert_eq!(senders.len(), 2, "both programs sent: {senders:?}");
    let counters = fake.counters();
    assert_eq!(
        (counters.chat_violations, counters.global_violations),
        (0, 0)
    );
    db.finish().await;
}

#[tokio::test]
async fn what_failed_is_listed_and_after_outbox_retry_delivered() {
    for db in common::databases().await {
        eprintln!("on {}", db.backend);
        let store = &db.store;
        let chats = officers(store, 20).await;
        let (refused, blocked) = (chats[3], chats[7]);
        broadcast(store, &chats).await;
        let fake = FakeTelegram::start(FakeConfig {
            refused_chats: [refused].into(),
            blocked_chats: [blocked].into(),
            ..FakeConfig::default()
        })
        .await;
        let program = Program::start(&db.url, &fake, None, &[]);
        assert!(all_settled(store).await);
        assert!(
            fake.wait_for(|seen| !summaries_in(seen).is_empty(), GIVE_UP)
                .await
        );

        let listed = unionbot_in(&db.url, "en", &["outbox", "failed", "--format", "json"])
            .await
            .unwrap();
        let listed: Vec<Value> = serde_json::from_str(&listed).unwrap();
        let row = |chat: i64| {
            listed
                .iter()
                .find(|r| r["chat_id"] == chat)
                .unwrap_or_else(|| panic!("{chat} not in {listed:#?}"))
                .clone()
        };
        assert_eq!(listed.len(), 2, "{listed:#?}");
        assert_eq!(row(refused)["unreachable"], false);
        assert_eq!(row(blocked)["unreachable"], true);
        assert_eq!(row(blocked)["person"], format!("用户{blocked}"));
        let (refused_id, blocked_id) = (
            row(refused)["id"].as_i64().unwrap(),
            row(blocked)["id"].as_i64().unwrap(),
        );

        // The office sees them in chat too.
        let office = Person {
            fake: &fake,
            id: OFFICE,
        };
        let shown = program::texts(&office.say("/failed").await);
        assert!(
            shown.contains(&format!("#{refused_id}")) && shown.contains(&format!("#{blocked_id}")),
            "{shown}"
        );

        // The blocked person's message is not queued again without --force.
        let id = blocked_id.to_string();
        let refusal = unionbot_in(&db.url, "en", &["outbox", "retry", "--id", &id])
            .await
            .unwrap_err();
        assert!(refusal.contains("--force"), "{refusal}");
        // The refused one goes once what refused it is mended.
        fake.configure(|c| c.refused_chats.clear());
        let id = refused_id.to_string();
        let done = unionbot_in(&db.url, "en", &["outbox", "retry", "--id", &id])
            .await
            .unwrap();
        assert!(done.contains(&format!("#{refused_id}")), "{done}");
        let arrived = fake
            .wait_for(
                |seen| seen.iter().any(|m| m.text == text_for(refused)),
                Duration::from_secs(30),
            )
            .await;
        assert!(arrived, "sent again after outbox retry");
        assert!(all_settled(store).await);
        program.stop().await;
        let left = store.failed_messages(10).await.unwrap();
        assert_eq!(left.iter().map(|m| m.id).collect::<Vec<_>>(), [blocked_id]);
        // Ended again, the broadcast does not tell the office twice.
        assert_eq!(summaries(&fake).len(), 1);
        db.finish().await;
    }
}
