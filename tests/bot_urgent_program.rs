//! An urgent report's facts through `unionbot run` against a fake Telegram that answers a third
//! of messages 429: an event time answered after the first message raises the late flag and
//! alerts the office member once; the program killed (SIGKILL) before the next answer loses
//! nothing: the answers before the kill are stored, the one after it too, /cancel stops the
//! questions, and the office hears what was supplied, once.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::time::Duration;

use chrono::Utc;
use unionbot::i18n::{Locale, t};
use unionbot::records::urgent::LateFlag;

use common::TestDb;
use double::{FakeConfig, FakeTelegram};
use program::{OFFICE, OFFICER, Person, Program, seed, texts};

const ZH: Locale = Locale::ZhCn;

/// An event time, `minutes` before now, written out whole (today's clock may be past
/// midnight).
fn minutes_ago(minutes: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[tokio::test]
async fn an_event_time_answered_late_alerts_the_office_once_and_a_kill_loses_no_answer() {
    let db = TestDb::sqlite(true).await;
    seed(&db.store).await;
    let fake = FakeTelegram::start(FakeConfig {
        seed: 16,
        p_429: 0.3,
        retry_after: 1,
        ..FakeConfig::default()
    })
    .await;
    let program = Program::start(&db.url, &fake, None, &[]);
    let officer = Person {
        fake: &fake,
        id: OFFICER,
    };
    officer.say("/urgent").await;
    let asked = texts(&officer.say("刚才西岗区一家物流公司有司机堵门").await);
    assert!(
        asked.contains(&t(ZH, "field.ask.event_time", &[])),
        "{asked}"
    );
    let next = texts(&officer.say(&minutes_ago(170)).await);
    // The next question, whichever fact the first message lacked after the time.
    let (field, answer) = [("place", "西岗区某物流公司门口"), ("people", "三四十人")]
        .into_iter()
        .find(|(f, _)| next.contains(&t(ZH, &format!("field.ask.{f}"), &[])))
        .unwrap_or_else(|| panic!("a question in {next}"));

    // The time makes the report late: the office member is alerted with the choice to confirm.
    let alerted = fake
        .wait_for(
            |seen| {
                seen.iter().any(|m| {
                    m.chat_id == OFFICE
                        && m.reply_markup
                            .as_ref()
                            .is_some_and(|b| b.to_string().contains("ul:1"))
                })
            },
            Duration::from_secs(30),
        )
        .await;
    assert!(alerted, "the office hears of the late report");
    let event = db.store.urgent_event(1).await.unwrap().unwrap().event;
    assert_eq!(event.late, LateFlag::Flagged);
    assert!(event.facts.event_at.is_some());

    // Killed before the next answer: it starts again where it was.
    program.kill();
    let program = Program::start(&db.url, &fake, None, &[]);
    officer.say(answer).await;
    let stopped = texts(&officer.say("/cancel").await);
    assert!(
        stopped.contains(&t(ZH, "urgent.facts_stopped", &[("number", "1")])),
        "{stopped}"
    );
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    let stored = match field {
        "place" => facts.place.is_some(),
        _ => facts.people.is_some(),
    };
    assert!(stored, "the answer after the restart is stored: {facts:?}");
    assert!(facts.event_at.is_some(), "{facts:?}");

    let office = Person {
        fake: &fake,
        id: OFFICE,
    };
    let supplied_heading = t(
        ZH,
        "urgent.alert.supplied",
        &[("number", "1"), ("unit", "中山区总工会"), ("facts", "")],
    );
    let heading_start: String = supplied_heading.chars().take(12).collect();
    let heard = fake
        .wait_for(
            |seen| {
                seen.iter()
                    .any(|m| m.chat_id == OFFICE && m.text.contains(&heading_start))
            },
            Duration::from_secs(30),
        )
        .await;
    assert!(heard, "{}", texts(&office.said()));
    program.stop().await;
    // Each alert reached the office member once (no answer was lost, so none is sent twice).
    let said = office.said();
    let raised = t(
        ZH,
        "urgent.alert.late_raised",
        &[("number", "1"), ("unit", "中山区总工会")],
    );
    let late_alerts = said.iter().filter(|m| m.text.contains(&raised)).count();
    assert_eq!(late_alerts, 1, "{}", texts(&said));
    assert_eq!(fake.violations(), 0, "Telegram's limits kept");
    db.finish().await;
}
