//! `unionbot run` as a program against a fake Telegram that answers 30% of messages 429
//! (`retry_after` 1), 10% 500, loses 2% of its answers, and fails one chat for ever: every reply
//! to 100 `/score`s and to 20 whole item filings arrives, none twice beyond the lost answers;
//! the fake's own clock shows no chat above its token bucket and no second above the overall
//! limit; and the chat that always fails holds up no other.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::collections::HashMap;
use std::time::Duration;

use unionbot::domain::Role;
use unionbot::i18n::{Locale, t};

use common::TestDb;
use double::{FakeConfig, FakeTelegram};
use program::{Person, Program, register, seed};

const ZH: Locale = Locale::ZhCn;
const ASKERS: std::ops::Range<i64> = 3000..3100;
const FILERS: std::ops::Range<i64> = 4000..4020;
const FAILING: i64 = 5000;

async fn file_item(officer: &Person<'_>) {
    officer.say("/submit").await;
    officer.press(&t(ZH, "category.4", &[])).await;
    for answer in [
        format!("来稿{}", officer.id),
        "近期职工普遍关注医保报销。".to_string(),
        "市总办公室".to_string(),
        "张三".to_string(),
        "李四".to_string(),
    ] {
        officer.say(&answer).await;
    }
    officer.press("今天").await;
    officer.say("30").await;
    officer.press(&t(ZH, "form.button.confirm", &[])).await;
}

#[tokio::test]
async fn every_reply_arrives_once_within_the_limits_through_429s_500s_and_lost_answers() {
    let db = TestDb::sqlite(true).await;
    seed(&db.store).await;
    for user in ASKERS.chain(FILERS).chain([FAILING]) {
        register(&db.store, user, Some("D01"), Role::Officer).await;
    }
    let fake = FakeTelegram::start(FakeConfig {
        seed: 11,
        p_429: 0.3,
        retry_after: 1,
        p_500: 0.1,
        p_drop: 0.02,
        failing_chats: [FAILING].into(),
        ..FakeConfig::default()
    })
    .await;
    let program = Program::start(&db.url, &fake, None, &[]);

    // The chat that always fails asks first; everyone else after it.
    fake.push_text(FAILING, "/score");
    for user in ASKERS {
        fake.push_text(user, "/score");
    }
    let filers: Vec<Person> = FILERS.map(|id| Person { fake: &fake, id }).collect();
    futures::future::join_all(filers.iter().map(file_item)).await;
    let answered = fake
        .wait_for(
            |seen| {
                ASKERS
                    .clone()
                    .all(|user| seen.iter().any(|m| m.chat_id == user))
            },
            Duration::from_secs(60),
        )
        .await;
    assert!(answered, "every /score was answered");
    let delivered = fake.messages();
    program.stop().await;

    let stored = t(ZH, "form.stored", &[("number", "")]);
    for user in FILERS {
        assert!(
            delivered
                .iter()
                .any(|m| m.chat_id == user && m.text.contains(stored.trim_end_matches('。'))),
            "{user}'s item was confirmed"
        );
    }
    assert_eq!(db.store.counts().await.unwrap().items, 20);
    assert!(
        delivered.iter().all(|m| m.chat_id != FAILING),
        "the failing chat got nothing, and the others got their replies meanwhile"
    );
    let mut times: HashMap<(i64, &str), usize> = HashMap::new();
    for m in &delivered {
        *times.entry((m.chat_id, m.text.as_str())).or_default() += 1;
    }
    // A filer's prompts repeat texts on purpose only where the form says the same twice, which
    // this walk never makes it do; so any repeat is a duplicate.
    let twice: usize = times.values().map(|n| n - 1).sum();
    assert!(
        twice as u64 <= fake.dropped(),
        "{twice} duplicates, {} lost answers",
        fake.dropped()
    );
    assert!(fake.given_429s() > 0 && fake.given_500s() > 0 && fake.dropped() > 0);
    let counters = fake.counters();
    assert_eq!(
        (counters.chat_violations, counters.global_violations),
        (0, 0),
        "no chat above its bucket, no second above the limit"
    );
    db.finish().await;
}
