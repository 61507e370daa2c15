//! The scheduler inside `unionbot run`, against a fake Telegram that answers some messages 429
//! and 500: the quarter's guidance, set after its first morning, reaches every registered
//! person once, and a restart sends it again to no one.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::time::Duration;

use chrono::Utc;
use unionbot::domain::Role;
use unionbot::period::Quarter;
use unionbot::records::Recorder;

use common::TestDb;
use double::{FakeConfig, FakeTelegram};
use program::{OFFICE, OFFICER, Program, register, seed};

const HEAD: i64 = 1500;
const TOPIC: &str = "职工医保报销情况调查";

#[tokio::test]
async fn guidance_set_mid_quarter_reaches_everyone_once_across_a_restart() {
    let db = TestDb::sqlite(true).await;
    seed(&db.store).await;
    register(&db.store, HEAD, Some("D01"), Role::Head).await;
    let quarter = Quarter::of_instant(Utc::now(), chrono_tz::Asia::Shanghai);
    db.store
        .set_guidance(
            quarter,
            &[TOPIC.to_string(), "高温津贴落实情况".to_string()],
            &Recorder("test:office".into()),
            Utc::now(),
        )
        .await
        .unwrap();
    // No quiet hours: the test must not depend on the hour it runs at.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[calendar]\nquiet_from = \"08:00\"\nquiet_until = \"08:00\"\n",
    )
    .unwrap();
    let rules = rules.to_string_lossy().to_string();
    let env = [
        ("UNIONBOT_SCHEDULER", "on"),
        ("UNIONBOT_RULES", rules.as_str()),
    ];
    let fake = FakeTelegram::start(FakeConfig {
        seed: 5,
        p_429: 0.3,
        retry_after: 1,
        p_500: 0.1,
        ..FakeConfig::default()
    })
    .await;
    let everyone = [OFFICER, OFFICE, HEAD];
    let guidance_to = |chat: i64| {
        fake.messages_to(chat)
            .iter()
            .filter(|m| m.text.contains(TOPIC))
            .count()
    };
    let program = Program::start(&db.url, &fake, None, &env);
    let arrived = fake
        .wait_for(
            |seen| {
                everyone.iter().all(|c| {
                    seen.iter()
                        .any(|m| m.chat_id == *c && m.text.contains(TOPIC))
                })
            },
            Duration::from_secs(60),
        )
        .await;
    assert!(arrived, "{:?}", fake.messages());
    program.stop().await;

    let program = Program::start(&db.url, &fake, None, &env);
    // The restarted scheduler's first step runs at once; give it and the sender time to act.
    let recorded = common::wait_until_async(
        || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM schedule_jobs")
                .fetch_one(db.store.pool())
                .await
                .unwrap_or(0)
                > 0
        },
        Duration::from_secs(10),
    )
    .await;
    assert!(recorded);
    tokio::time::sleep(Duration::from_secs(3)).await;
    program.stop().await;
    for chat in everyone {
        assert_eq!(
            guidance_to(chat),
            1,
            "chat {chat}: {:?}",
            fake.messages_to(chat)
        );
    }
    assert_eq!(fake.violations(), 0, "within Telegram's limits");
    db.finish().await;
}
