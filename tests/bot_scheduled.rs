//! The scheduler inside `unionbot run`, against a fake Telegram that answers some messages 429
//! and 500: the quarter's guidance, set after its first morning, reaches every registered
//! person once; after a restart nothing of it is sent again, and a change goes out once as a
//! correction.

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
const CHANGED: &str = "冬季取暖费发放情况";

/// A rules file under which the test does not depend on the day or hour it runs at: no quiet
/// hours, guidance at midnight, and every day from the quarter's first to today a working day,
/// so the quarter's first morning has always passed.
fn rules_file(dir: &std::path::Path, quarter: Quarter) -> String {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let days: Vec<String> = quarter
        .first_day()
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|d| d.to_string())
        .collect();
    let text = format!(
        "[calendar]\nquiet_from = \"08:00\"\nquiet_until = \"08:00\"\nworkdays = {days:?}\n\
         [schedule]\nguidance_at = \"00:00\"\n"
    );
    let path = dir.join("rules.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().to_string()
}

async fn set_guidance(db: &TestDb, quarter: Quarter, topics: &[&str]) {
    let topics: Vec<String> = topics.iter().map(|t| t.to_string()).collect();
    db.store
        .set_guidance(
            quarter,
            &topics,
            &Recorder("test:office".into()),
            Utc::now(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn guidance_set_mid_quarter_reaches_everyone_once_and_a_change_after_a_restart_once_more() {
    let db = TestDb::sqlite(true).await;
    seed(&db.store).await;
    register(&db.store, HEAD, Some("D01"), Role::Head).await;
    let quarter = Quarter::of_instant(Utc::now(), chrono_tz::Asia::Shanghai);
    set_guidance(&db, quarter, &[TOPIC, "高温津贴落实情况"]).await;
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_file(dir.path(), quarter);
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
    let all_got = |text: &'static str| {
        move |seen: &[double::Delivered]| {
            everyone.iter().all(|c| {
                seen.iter()
                    .any(|m| m.chat_id == *c && m.text.contains(text))
            })
        }
    };
    let program = Program::start(&db.url, &fake, None, &env);
    let arrived = fake.wait_for(all_got(TOPIC), Duration::from_secs(60)).await;
    assert!(arrived, "{:?}", fake.messages());
    program.stop().await;

    // After the restart the office changes the list: the restarted scheduler sends the
    // correction, which shows that it ran, and nothing of the first list again.
    let program = Program::start(&db.url, &fake, None, &env);
    set_guidance(&db, quarter, &[TOPIC, CHANGED]).await;
    let corrected = fake
        .wait_for(all_got(CHANGED), Duration::from_secs(90))
        .await;
    assert!(corrected, "{:?}", fake.messages());
    program.stop().await;
    // From the quarter's fifth day the last quarter's bulletin is due too: the office gets its
    // preview (which lists this quarter's guidance) to confirm; nothing is issued, and no head
    // gets a bulletin.
    let bulletin = |m: &double::Delivered| m.text.contains("信息工作通报");
    assert!(!fake.messages_to(HEAD).iter().any(bulletin));
    let previous = quarter.previous();
    assert_eq!(db.store.bulletin(previous).await.unwrap(), None);
    for chat in everyone {
        let count = |text: &str| {
            fake.messages_to(chat)
                .iter()
                .filter(|m| m.text.contains(text) && !bulletin(m))
                .count()
        };
        // The first list, then the correction, which names the topic again.
        assert_eq!(count(TOPIC), 2, "chat {chat}: {:?}", fake.messages_to(chat));
        assert_eq!(count(CHANGED), 1, "chat {chat}");
    }
    assert_eq!(fake.violations(), 0, "within Telegram's limits");
    db.finish().await;
}
