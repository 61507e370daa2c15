//! Crash tests: `unionbot run` aborted (as abruptly as SIGKILL) at each step of handling an
//! update — after its records are stored and before its outcome is committed, after the
//! commit and before the outbox is woken, after Telegram took the reply and before it was
//! marked sent — then started again. For confirming an item and for each action of the office
//! that moves points, the record exists exactly once, its reply and notice are queued exactly
//! once, and every stored field holds the answer given for it.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;
#[path = "program/mod.rs"]
mod program;

use std::time::Duration;

use unionbot::domain::Role;
use unionbot::i18n::{Locale, t};
use unionbot::store::Store;

use common::TestDb;
use double::{FakeConfig, FakeTelegram};
use program::{OFFICE, OFFICER, Person, Program, seed};

/// Where the program is made to die.
const POINTS: &[&str] = &["before_commit", "after_commit", "after_send"];
const ZH: Locale = Locale::ZhCn;

/// A fresh database and fake Telegram, the program running on them, and its two people.
async fn world() -> (TestDb, FakeTelegram) {
    let db = TestDb::sqlite(true).await;
    seed(&db.store).await;
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    (db, fake)
}

/// Runs `act` (which pushes the update under test) on a program set to die at `point`, waits
/// for it to die there, starts it again and waits for `done` to hold.
async fn crash_then_recover(
    db: &TestDb,
    fake: &FakeTelegram,
    point: &str,
    act: impl FnOnce(),
    done: impl Fn(&[double::Delivered]) -> bool,
) {
    let mut doomed = Program::start(&db.url, fake, Some(point), &[]);
    act();
    assert!(
        doomed.ended(Duration::from_secs(20)).await,
        "the program never reached {point}"
    );
    let again = Program::start(&db.url, fake, None, &[]);
    let recovered = fake
        .wait_for(|seen| done(seen), Duration::from_secs(20))
        .await;
    // Nothing is left in hand: a message claimed when the program died is sent and marked
    // sent (at `after_send`, the reply that had reached Telegram goes again).
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let all_sent = common::wait_until_async(
        || async { db.store.due_messages(later, 100).await.unwrap().is_empty() },
        Duration::from_secs(20),
    )
    .await;
    again.stop().await;
    assert!(all_sent, "{point}: messages left unsent");
    assert!(
        recovered,
        "{point}: never recovered: {:#?}",
        fake.messages()
    );
}

/// How many outbox rows (sent or not) to `chat` hold `text`.
async fn queued(store: &Store, chat: i64, text: &str) -> usize {
    let rows = store.outbox_rows_for(chat).await.unwrap();
    rows.iter().filter(|m| m.text.contains(text)).count()
}

/// How many deliveries to `chat` hold `text`.
fn delivered(fake: &FakeTelegram, chat: i64, text: &str) -> usize {
    count_in(&fake.messages(), chat, text)
}

/// How many of these deliveries to `chat` hold `text` (for a `wait_for`, which holds the
/// fake's lock while it asks).
fn count_in(seen: &[double::Delivered], chat: i64, text: &str) -> usize {
    seen.iter()
        .filter(|m| m.chat_id == chat && m.text.contains(text))
        .count()
}

/// A reply arrives once, or twice when the program died after Telegram took it and before it
/// was marked sent (the one duplicate the outbox allows).
fn arrived_once(point: &str, times: usize) -> bool {
    match point {
        "after_send" => (1..=2).contains(&times),
        _ => times == 1,
    }
}

/// Files an item up to its summary, as the officer answers each question.
async fn fill_item(officer: &Person<'_>) {
    officer.say("/submit").await;
    officer.press(&t(ZH, "category.4", &[])).await;
    for answer in [
        "职工关注医保新政",
        "近期职工普遍关注医保报销。",
        "市总办公室",
        "张三",
        "李四",
    ] {
        officer.say(answer).await;
    }
    officer.press("今天").await;
    officer.say("30").await;
}

#[tokio::test]
async fn an_item_confirmed_just_before_a_crash_is_stored_once_with_every_answer_and_confirmed_once()
{
    for point in POINTS {
        let (db, fake) = world().await;
        let officer = Person {
            fake: &fake,
            id: OFFICER,
        };
        let program = Program::start(&db.url, &fake, None, &[]);
        fill_item(&officer).await;
        program.stop().await;
        let (data, message) = officer.button(&t(ZH, "form.button.confirm", &[]));
        let stored = "已提交，编号 #1";
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_callback(OFFICER, &data, message);
            },
            |seen| count_in(seen, OFFICER, stored) >= 1,
        )
        .await;
        let store = &db.store;
        assert_eq!(store.counts().await.unwrap().items, 1, "{point}");
        let item = store.item_detail("1").await.unwrap().unwrap();
        assert_eq!(item.title, "职工关注医保新政", "{point}");
        assert_eq!(item.body.as_deref(), Some("近期职工普遍关注医保报销。"));
        assert_eq!(item.distribution_scope.as_deref(), Some("市总办公室"));
        assert_eq!(item.issuing_unit.as_deref(), Some("中山区总工会"));
        assert_eq!(item.signer.as_deref(), Some("张三"), "{point}");
        assert_eq!(item.responsible_person.as_deref(), Some("李四"), "{point}");
        assert_eq!(item.copies, Some(30));
        assert_eq!(queued(store, OFFICER, stored).await, 1, "{point}");
        let times = delivered(&fake, OFFICER, stored);
        assert!(
            arrived_once(point, times),
            "{point}: delivered {times} times"
        );
        // The form is finished: the same button again stores nothing more.
        let program = Program::start(&db.url, &fake, None, &[]);
        let again = officer.press(&t(ZH, "form.button.confirm", &[])).await;
        program.stop().await;
        assert!(program::texts(&again).contains(&t(ZH, "form.already_stored", &[])));
        assert_eq!(store.counts().await.unwrap().items, 1);
        db.finish().await;
    }
}

/// The office's actions that move points, each as the update that records it, the reply that
/// says so, and the notice (to the officer) it queues, if any.
struct Action {
    name: &'static str,
    /// Brings the chat to the update under test.
    text: &'static str,
    /// The reply's start, and the notice's start.
    reply: &'static str,
    notice: Option<&'static str>,
    /// Shown whole first: the update under test is the confirm press, not the command.
    confirmed: bool,
}

const ACTIONS: &[Action] = &[
    Action {
        name: "instruct",
        text: "/instruct 1 1",
        reply: "已记录批示 #1",
        notice: Some("获中央、国务院领导批示"),
        confirmed: true,
    },
    Action {
        name: "commission",
        text: "/commission D01 2026-12-30 职工医保新政反映",
        reply: "已记录约稿 #1",
        notice: Some("市总办公室约稿：职工医保新政反映"),
        confirmed: true,
    },
    Action {
        name: "return",
        text: "/return 1 请补充具体数据",
        reply: "已退回",
        notice: Some("被退回，原因：请补充具体数据"),
        confirmed: false,
    },
];

/// Files one item through the program, as the office's actions need one.
async fn one_item(db: &TestDb, fake: &FakeTelegram) {
    let officer = Person { fake, id: OFFICER };
    let program = Program::start(&db.url, fake, None, &[]);
    fill_item(&officer).await;
    officer.press(&t(ZH, "form.button.confirm", &[])).await;
    program.stop().await;
}

#[tokio::test]
async fn an_office_command_or_its_confirmation_handled_again_after_a_crash_records_once_and_tells_once()
 {
    for action in ACTIONS {
        for point in POINTS {
            let (db, fake) = world().await;
            one_item(&db, &fake).await;
            // A record shown to confirm: the command up to its summary, then the confirm press
            // is the update under test.
            let press = if action.confirmed {
                let office = Person {
                    fake: &fake,
                    id: OFFICE,
                };
                let program = Program::start(&db.url, &fake, None, &[]);
                office.say(action.text).await;
                program.stop().await;
                Some(office.button(&t(ZH, "form.button.confirm", &[])))
            } else {
                None
            };
            crash_then_recover(
                &db,
                &fake,
                point,
                || match &press {
                    Some((data, message)) => {
                        fake.push_callback(OFFICE, data, *message);
                    }
                    None => {
                        fake.push_text(OFFICE, action.text);
                    }
                },
                |seen| count_in(seen, OFFICE, action.reply) >= 1,
            )
            .await;
            let store = &db.store;
            let counts = store.counts().await.unwrap();
            let recorded = match action.name {
                "instruct" => counts.instructions,
                "commission" => store.open_commissions(1).await.unwrap().len() as i64,
                _ => store.item_returns(1).await.unwrap() as i64,
            };
            assert_eq!(recorded, 1, "{} at {point}", action.name);
            assert_eq!(
                queued(store, OFFICE, action.reply).await,
                1,
                "{} at {point}",
                action.name
            );
            let times = delivered(&fake, OFFICE, action.reply);
            assert!(
                arrived_once(point, times),
                "{} at {point}: {times}",
                action.name
            );
            if let Some(notice) = action.notice {
                assert_eq!(
                    queued(store, OFFICER, notice).await,
                    1,
                    "{}'s notice at {point}",
                    action.name
                );
            }
            db.finish().await;
        }
    }
}

#[tokio::test]
async fn an_adoption_veto_or_retraction_confirmed_before_a_crash_is_recorded_once() {
    for point in POINTS {
        let (db, fake) = world().await;
        one_item(&db, &fake).await;
        program::register(&db.store, 1003, Some("D01"), Role::Head).await;
        let office = Person {
            fake: &fake,
            id: OFFICE,
        };
        // The adoption: the form up to its summary, then the confirmation under test.
        let program = Program::start(&db.url, &fake, None, &[]);
        office.say("/adopt 1").await;
        office
            .press(&t(ZH, "adoption_level.municipal_committee", &[]))
            .await;
        office.press(&t(ZH, "adoption_form.single", &[])).await;
        office.press("今天").await;
        program.stop().await;
        let (data, message) = office.button(&t(ZH, "form.button.confirm", &[]));
        let adopted = "已记录采用 #1";
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_callback(OFFICE, &data, message);
            },
            |seen| count_in(seen, OFFICE, adopted) >= 1,
        )
        .await;
        let store = &db.store;
        assert_eq!(
            store.counts().await.unwrap().adoptions,
            1,
            "adoption at {point}"
        );
        assert_eq!(
            queued(store, OFFICE, adopted).await,
            1,
            "adoption at {point}"
        );
        assert_eq!(
            queued(store, OFFICER, "已被市委信息单条采用").await,
            1,
            "{point}"
        );

        // The veto: shown, then confirmed under test; the unit's head is told once.
        let program = Program::start(&db.url, &fake, None, &[]);
        office.say("/veto D01 late 紧急信息迟报").await;
        program.stop().await;
        let (data, message) = office.button(&t(ZH, "form.button.confirm", &[]));
        let vetoed = "已记录否决 #1";
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_callback(OFFICE, &data, message);
            },
            |seen| count_in(seen, OFFICE, vetoed) >= 1,
        )
        .await;
        assert_eq!(store.counts().await.unwrap().vetoes, 1, "veto at {point}");
        assert_eq!(queued(store, OFFICE, vetoed).await, 1, "veto at {point}");
        assert_eq!(queued(store, 1003, "记录了一项否决").await, 1, "{point}");

        // The retraction of that veto, under test.
        let retracted = shown_start("retract.done");
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_text(OFFICE, "/retract veto 1 记录有误");
            },
            |seen| count_in(seen, OFFICE, &retracted) >= 1,
        )
        .await;
        assert_eq!(
            store.counts().await.unwrap().retractions,
            1,
            "retraction at {point}"
        );
        assert_eq!(
            queued(store, OFFICE, &retracted).await,
            1,
            "retraction at {point}"
        );
        assert_eq!(queued(store, OFFICE, "已经撤销过了").await, 0, "{point}");
        db.finish().await;
    }
}

/// The part of a prompt before its first placeholder.
fn shown_start(key: &str) -> String {
    let text = t(ZH, key, &[]);
    text.split('{').next().unwrap_or(&text).to_string()
}

#[tokio::test]
async fn a_late_veto_confirmed_before_a_crash_is_recorded_once_and_a_second_press_adds_nothing() {
    use unionbot::records::urgent::{NewUrgentReport, UrgentFacts};
    use unionbot::rules::Rules;

    for point in POINTS {
        let (db, fake) = world().await;
        let store = &db.store;
        // A report made three hours after its event: flagged late.
        let reported_at = chrono::Utc::now();
        let report = NewUrgentReport {
            key: "test:late".into(),
            unit: store.unit_by_code("D01").await.unwrap().unwrap().id,
            reported_by: None,
            text: "化工厂门口约200名职工聚集，要求补发工资".into(),
            reported_at,
            facts: UrgentFacts {
                event_at: Some(reported_at - chrono::Duration::hours(3)),
                ..UrgentFacts::default()
            },
            by_phone: false,
            recorded_by: None,
        };
        store
            .report_urgent(&Rules::default().urgent, &report)
            .await
            .unwrap();
        let office = Person {
            fake: &fake,
            id: OFFICE,
        };
        // The alert's button shows the veto; its own button is the update under test.
        let program = Program::start(&db.url, &fake, None, &[]);
        fake.push_callback(OFFICE, "ul:1", 1);
        let shown = t(ZH, "urgent.button.record_late_veto", &[]);
        let previewed = fake
            .wait_for(
                |seen| count_in(seen, OFFICE, "确认迟报将记录") >= 1,
                Duration::from_secs(20),
            )
            .await;
        program.stop().await;
        assert!(previewed, "the veto is shown at {point}");
        assert!(store.all_vetoes().await.unwrap().is_empty(), "{point}");
        let (data, message) = office.button(&shown);
        let confirmed = shown_start("urgent.late.confirmed_now");
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_callback(OFFICE, &data, message);
            },
            |seen| count_in(seen, OFFICE, &confirmed) >= 1,
        )
        .await;
        assert_eq!(store.all_vetoes().await.unwrap().len(), 1, "{point}");
        assert_eq!(queued(store, OFFICE, &confirmed).await, 1, "{point}");
        // Pressed again: decided, nothing more.
        let program = Program::start(&db.url, &fake, None, &[]);
        let again = office.press(&shown).await;
        program.stop().await;
        let decided = shown_start("urgent.late.decided_before");
        assert!(program::texts(&again).contains(&decided), "{point}");
        assert_eq!(store.all_vetoes().await.unwrap().len(), 1, "{point}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_bulletin_issued_on_a_press_handled_again_after_a_crash_is_issued_and_sent_once() {
    for point in POINTS {
        let (db, fake) = world().await;
        one_item(&db, &fake).await;
        program::register(&db.store, 1003, Some("D01"), Role::Head).await;
        let store = &db.store;
        let office = Person {
            fake: &fake,
            id: OFFICE,
        };
        // The quarter just ended has no filing: its preview offers to issue it all the same.
        let program = Program::start(&db.url, &fake, None, &[]);
        office.say("/bulletin").await;
        program.stop().await;
        let label = t(ZH, "bulletin.button.issue_empty", &[]);
        let (data, message) = office.button(&label);
        let quarter =
            unionbot::period::Quarter::of_instant(chrono::Utc::now(), chrono_tz::Asia::Shanghai)
                .previous();
        assert_eq!(store.bulletin(quarter).await.unwrap(), None, "{point}");
        crash_then_recover(
            &db,
            &fake,
            point,
            || {
                fake.push_callback(OFFICE, &data, message);
            },
            |seen| count_in(seen, OFFICE, "发出消息") >= 1,
        )
        .await;
        let year = quarter.year;
        assert_eq!(store.bulletins(year).await.unwrap().len(), 1, "{point}");
        assert_eq!(queued(store, OFFICE, "发出消息").await, 1, "{point}");
        assert_eq!(queued(store, OFFICE, "全文见附件").await, 1, "{point}");
        // The head's copy is queued once, whatever the crash.
        let rows = store.outbox_rows_for(1003).await.unwrap();
        assert_eq!(rows.len(), 1, "{point}: {rows:?}");
        db.finish().await;
    }
}
