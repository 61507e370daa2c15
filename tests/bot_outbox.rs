//! The outbox worker against a fake Telegram of our own that answers 429 with `retry_after`,
//! 500, 403 and loses answers: every message is delivered once (twice only where an answer was
//! lost), within Telegram's limits by the fake's own clock, in order per chat; a chat that fails
//! for ever holds up no other; a blocked bot marks the person unreachable. And in the store: a
//! reply goes before the broadcast messages of its chat, the settle that ends a broadcast tells
//! the office once who blocked the bot, what failed is listed and queued again, and two workers
//! claiming at once never take the same message.

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

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
use unionbot::store::{BatchEnd, NewMessage, Requeue, Settled, Store, UpdateOutcome};

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

// ---------------------------------------------------------------------------------------------
// Broadcasts in the store: replies before bulk messages, one summary per broadcast, what failed
// and sending it again, claims by several workers at once.
// ---------------------------------------------------------------------------------------------

/// Queues messages in one commit, as the bot and the scheduler do.
async fn commit(store: &Store, messages: Vec<NewMessage>) {
    let outcome = UpdateOutcome {
        update_id: None,
        dialogue: None,
        messages,
        read: None,
    };
    store.commit_update(&outcome, Utc::now()).await.unwrap();
}

fn reply(key: &str, chat: i64) -> NewMessage {
    NewMessage::text(key, chat, key)
}

fn bulk(batch: &str, key: &str, chat: i64) -> NewMessage {
    NewMessage {
        batch: Some(batch.into()),
        bulk: true,
        ..NewMessage::text(key, chat, key)
    }
}

fn keys(messages: &[unionbot::store::OutboxMessage]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m.idempotency_key.as_str())
        .collect()
}

/// A summary written by the test: the batch and the names, so the test can read it back.
fn summary(end: &BatchEnd, office: &unionbot::store::Person) -> Vec<String> {
    let names: Vec<&str> = end.unreachable.iter().map(|p| p.name.as_str()).collect();
    vec![format!(
        "{} to {}: {} of {}, {} failed",
        end.batch,
        office.name,
        names.join(","),
        end.total,
        end.failed
    )]
}

async fn settle(store: &Store, results: &[(i64, Settled)]) {
    store.settle(results, Utc::now(), &summary).await.unwrap();
}

async fn id_of(store: &Store, chat: i64, key: &str) -> i64 {
    let rows = store.outbox_rows_for(chat).await.unwrap();
    rows.iter()
        .find(|m| m.idempotency_key == key)
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("no {key}"))
}

#[tokio::test]
async fn a_reply_goes_before_the_bulk_messages_of_its_chat_and_each_lane_keeps_its_order() {
    common::for_each_backend(|store| async move {
        let store = &store;
        commit(
            store,
            vec![
                bulk("b", "b1", 7),
                bulk("b", "c1", 8),
                bulk("b", "b2", 7),
                reply("r1", 7),
                reply("r2", 7),
                reply("s1", 9),
            ],
        )
        .await;
        let now = Utc::now() + chrono::Duration::seconds(1);
        // Replies first, in their order; chat 7's bulk waits behind its replies; chat 8's
        // bulk message comes after every reply.
        let heads = store.due_heads(now, 10).await.unwrap();
        assert_eq!(keys(&heads), ["r1", "s1", "c1"]);
        settle(store, &[(heads[0].id, Settled::Sent)]).await;
        let heads = store.due_heads(now, 10).await.unwrap();
        assert_eq!(keys(&heads), ["r2", "s1", "c1"]);
        settle(store, &[(heads[0].id, Settled::Sent)]).await;
        let heads = store.due_heads(now, 10).await.unwrap();
        assert_eq!(keys(&heads), ["s1", "b1", "c1"]);
        // A reply queued while a bulk message waits goes first again.
        commit(store, vec![reply("r3", 7)]).await;
        let heads = store.due_heads(now, 10).await.unwrap();
        assert_eq!(keys(&heads), ["s1", "r3", "c1"]);
        // The claim takes the same order, and the limit cuts the bulk messages first.
        let claimed = store
            .claim_heads(now, chrono::Duration::seconds(30), 2, &mut |heads| {
                heads.iter().map(|m| m.id).collect()
            })
            .await
            .unwrap();
        assert_eq!(keys(&claimed), ["s1", "r3"]);
    })
    .await;
}

/// Registers people named `用户<id>` as officers of D01, and the office members.
async fn people(store: &Store, officers: &[i64], office: &[i64]) {
    let unit = NewUnit {
        code: "D01".into(),
        name: "中山区总工会".into(),
        kind: UnitKind::District,
        parent_code: None,
    };
    let recorder = Recorder("test".into());
    store.import_units(&[(2, unit)], &recorder).await.unwrap();
    for (ids, unit, role) in [
        (officers, Some("D01"), Role::Officer),
        (office, None, Role::Office),
    ] {
        for id in ids {
            program::register(store, *id, unit, role).await;
        }
    }
}

#[tokio::test]
async fn the_settle_that_ends_a_broadcast_tells_each_office_member_once_who_blocked_the_bot() {
    common::for_each_backend(|store| async move {
        let store = &store;
        people(store, &[11, 12, 13, 14], &[21, 22]).await;
        let batch = "guidance:2026Q2:r1";
        commit(
            store,
            (11..15)
                .map(|chat| bulk(batch, &format!("{batch}:{chat}"), chat))
                .collect(),
        )
        .await;
        let id = |chat: i64| {
            let key = format!("{batch}:{chat}");
            async move { id_of(store, chat, &key).await }
        };
        let blocked = Settled::Unreachable {
            error: "Forbidden: bot was blocked by the user".into(),
        };
        settle(
            store,
            &[
                (id(11).await, Settled::Sent),
                (id(12).await, blocked.clone()),
            ],
        )
        .await;
        // A retry is not an end: 14 is still pending.
        let retry = Settled::Retry {
            not_before: Utc::now(),
            error: "500".into(),
            failed: true,
        };
        settle(
            store,
            &[(
                id(13).await,
                Settled::Failed {
                    error: "400".into(),
                },
            )],
        )
        .await;
        settle(store, &[(id(14).await, retry)]).await;
        for office in [21, 22] {
            assert!(store.outbox_rows_for(office).await.unwrap().is_empty());
        }
        settle(store, &[(id(14).await, Settled::Sent)]).await;
        for office in [21, 22] {
            let told = store.outbox_rows_for(office).await.unwrap();
            assert_eq!(keys(&told), [format!("unreachable:{batch}:{office}")]);
            assert_eq!(
                told[0].text,
                format!("{batch} to 用户{office}: 用户12 of 4, 1 failed")
            );
        }
        // Sent again by force and refused again: the office has heard of this broadcast.
        let again = store
            .requeue_failed(&Requeue::Ids(vec![id(12).await]), true, Utc::now())
            .await
            .unwrap();
        assert_eq!(again.requeued, [id(12).await]);
        settle(store, &[(id(12).await, blocked)]).await;
        assert_eq!(store.outbox_rows_for(21).await.unwrap().len(), 1);
        // A broadcast that reached everyone tells nobody.
        commit(store, vec![bulk("other", "other:11", 11)]).await;
        settle(
            store,
            &[(id_of(store, 11, "other:11").await, Settled::Sent)],
        )
        .await;
        assert_eq!(store.outbox_rows_for(21).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn what_failed_is_listed_and_queued_again_but_not_for_someone_who_blocked_the_bot() {
    common::for_each_backend(|store| async move {
        let store = &store;
        people(store, &[11, 12], &[]).await;
        commit(store, vec![reply("a", 11), reply("b", 12), reply("c", 99)]).await;
        let (a, b, c) = (
            id_of(store, 11, "a").await,
            id_of(store, 12, "b").await,
            id_of(store, 99, "c").await,
        );
        settle(
            store,
            &[
                (
                    a,
                    Settled::Failed {
                        error: "500 ten times".into(),
                    },
                ),
                (
                    b,
                    Settled::Unreachable {
                        error: "Forbidden".into(),
                    },
                ),
                (c, Settled::Sent),
            ],
        )
        .await;
        let failed = store.failed_messages(10).await.unwrap();
        let mut ids: Vec<i64> = failed.iter().map(|m| m.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, [a, b]);
        let of_b = failed.iter().find(|m| m.id == b).unwrap();
        assert!(of_b.unreachable);
        assert_eq!(of_b.person_name.as_deref(), Some("用户12"));
        assert_eq!(of_b.unit_name.as_deref(), Some("中山区总工会"));
        assert_eq!(of_b.attempts, 1);

        let done = store
            .requeue_failed(&Requeue::Ids(vec![a, b, c, 4242]), false, Utc::now())
            .await
            .unwrap();
        assert_eq!(done.requeued, [a]);
        assert_eq!(done.unreachable, [b]);
        assert_eq!(done.not_failed, [c, 4242]);
        let due = store.due_heads(Utc::now(), 10).await.unwrap();
        assert_eq!(keys(&due), ["a"]);
        assert_eq!((due[0].attempts, due[0].failures), (0, 0));
        let all = store
            .requeue_failed(&Requeue::All, false, Utc::now())
            .await
            .unwrap();
        assert_eq!((all.requeued.len(), all.unreachable.clone()), (0, vec![b]));
        let forced = store
            .requeue_failed(&Requeue::All, true, Utc::now())
            .await
            .unwrap();
        assert_eq!(forced.requeued, [b]);
        assert!(store.failed_messages(10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn two_workers_claiming_at_once_never_take_the_same_message() {
    for db in common::databases().await {
        let store = &db.store;
        let messages: Vec<NewMessage> = (0..200)
            .map(|chat| bulk("b", &format!("b:{chat}"), chat))
            .collect();
        commit(store, messages).await;
        // A second store is a second pool of connections, as a second process has.
        let other = Store::connect(&db.url).await.unwrap();
        let claim_all = |store: Store| async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store
                    .claim_heads(
                        Utc::now() + chrono::Duration::seconds(1),
                        chrono::Duration::minutes(5),
                        7,
                        &mut |heads| heads.iter().map(|m| m.id).collect(),
                    )
                    .await
                    .unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|m| m.id));
            }
        };
        let (a, b) = tokio::join!(claim_all(store.clone()), claim_all(other.clone()));
        let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), a.len() + b.len(), "{} claimed twice", db.backend);
        assert_eq!(all.len(), 200, "{}", db.backend);
        other.close().await;
        db.finish().await;
    }
}
