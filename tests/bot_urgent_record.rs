//! An urgent report's record tells the truth, through the mock Bot API: every fact is stored
//! the moment it is answered (a /cancel loses none), an event time that arrives later is
//! judged then and flagged to the office, the facts understood are said at once in the rule's
//! order, measures accumulate across follow-ups, a closed event takes no more facts from the
//! unit, an officer who moved cannot write the old unit's report, only the office moves a
//! flagged event's time, and the office voids a mistaken report or records a telephoned one.
//! The clock is fixed at 2026-05-11 10:00 in Shanghai.

mod common;

use unionbot::domain::Role;
use unionbot::forms::Action;
use unionbot::i18n::t;
use unionbot::records::urgent::LateFlag;
use unionbot::records::urgent_change::{FactName, Origin};

use common::chat::*;
use common::urgent::*;

/// Answers each question the bot asks with the answer for its field, until none is asked.
async fn answer_all(
    chat: &mut Chat,
    user: u64,
    mut asked: String,
    answers: &[(&str, &str)],
) -> String {
    for _ in 0..answers.len() {
        let Some((_, answer)) = answers
            .iter()
            .find(|(field, _)| asked.contains(&t(ZH, &format!("field.ask.{field}"), &[])))
        else {
            break;
        };
        asked = chat.say(user, answer).await;
    }
    asked
}

#[tokio::test]
async fn facts_answered_after_the_first_message_survive_cancel() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    let asked = report(&mut chat, OFFICER, "刚才西岗区一家物流公司有司机堵门").await;
    let answers = [
        ("event_time", "9点40分"),
        ("place", "西岗区某物流公司门口"),
        ("people", "三四十人"),
        ("cause", "公司拖欠运费"),
    ];
    // Answer the first four facts asked (whichever the first message lacked), then stop.
    let mut next = asked;
    for _ in 0..4 {
        let Some((_, answer)) = answers
            .iter()
            .find(|(f, _)| next.contains(&t(ZH, &format!("field.ask.{f}"), &[])))
        else {
            break;
        };
        next = chat.say(OFFICER, answer).await;
    }
    let stopped = chat.say(OFFICER, "/cancel").await;
    assert_has(
        &stopped,
        &shown(ZH, "urgent.facts_stopped", &[("number", "1")]),
    );
    let facts = store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert!(facts.event_at.is_some(), "{facts:?}");
    assert!(facts.place.is_some(), "{facts:?}");
    assert_eq!(
        facts.people.as_ref().map(|p| (p.count, p.upper)),
        Some((30, Some(40)))
    );
    assert_eq!(facts.cause.as_deref(), Some("公司拖欠运费"));
    // What was answered reached the office too, once the questions stopped.
    let supplied = told_under(store, OFFICE_ONE, "urgent:1:supplied:").await;
    assert_eq!(supplied.len(), 1, "{supplied:?}");
    assert_has(&supplied[0], "公司拖欠运费");
    db.finish().await;
}

#[tokio::test]
async fn an_event_time_first_given_in_a_follow_up_is_judged_then_and_flagged_to_the_office() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(&mut chat, OFFICER, "刚才西岗区一家物流公司有司机堵门").await;
    chat.say(OFFICER, "/cancel").await;
    // Without its time, no one can call it in time or late: it says so.
    let unknown = t(ZH, "urgent.late.unknown", &[]);
    assert_has(&chat.say(OFFICE_ONE, "/urgent_show 1").await, &unknown);
    assert_has(&chat.say(OFFICE_ONE, "/urgent_list").await, &unknown);
    assert!(
        !chat
            .say(OFFICE_ONE, "/urgent_show 1")
            .await
            .contains(&t(ZH, "urgent.late.none", &[])),
        "an event without its time is not called in time"
    );

    chat.say(OFFICER, "/followup 1").await;
    chat.say(
        OFFICER,
        "事件发生于今天7点10分，在西岗区某物流公司门口，区总工会已派人到场协调。",
    )
    .await;
    chat.press(OFFICER, Action::Choose("no".into())).await;
    let stored = chat.press(OFFICER, Action::Confirm).await;
    assert_has(&stored, "续报一");
    let event = store.urgent_event(1).await.unwrap().unwrap().event;
    assert!(
        event.facts.event_at.is_some(),
        "the follow-up's time is the event's"
    );
    assert_eq!(event.late, LateFlag::Flagged, "2 h 50 min after the event");
    // The office has the flag with its choice to confirm, as a first report's alert would.
    let alerts = told_under(store, OFFICE_ONE, "urgent:1:followup:").await;
    assert_eq!(alerts.len(), 1);
    let late_line = shown(
        ZH,
        "urgent.alert.late",
        &[
            ("delay", "2小时50分钟"),
            ("limit", "1小时"),
            ("number", "1"),
        ],
    );
    assert_has(&alerts[0], &late_line);
    let rows = store.outbox_rows_for(OFFICE_ONE as i64).await.unwrap();
    let alert = rows
        .iter()
        .find(|m| m.idempotency_key.starts_with("urgent:1:followup:"))
        .unwrap();
    let buttons = alert.reply_markup.clone().unwrap_or_default();
    assert!(buttons.contains("ul:1"), "{buttons}");
    db.finish().await;
}

#[tokio::test]
async fn every_fact_understood_is_said_at_once_in_the_rules_order() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let answer = report(
        &mut chat,
        OFFICER,
        "昨天晚上8点，西岗区某物流公司30余名司机因运费调整问题停工，公司已与司机代表协商，目前已恢复运营。",
    )
    .await;
    assert_has(&answer, &t(ZH, "urgent.understood", &[]));
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    // Each fact understood is in the first reply, and in the order of the rule.
    let positions: Vec<usize> = FactName::ALL
        .iter()
        .filter(|f| !facts.missing().contains(&f.code()))
        .map(|f| {
            let label = t(ZH, &format!("field.label.{}", f.code()), &[]);
            answer
                .find(&format!("{label}："))
                .unwrap_or_else(|| panic!("{label} in {answer}"))
        })
        .collect();
    assert!(positions.len() >= 5, "{facts:?}");
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{answer}");
    // Said once, before the first question, not again one by one as questions are skipped.
    let first_label = t(ZH, "field.label.people", &[]);
    assert_eq!(
        answer.matches(&format!("{first_label}：")).count(),
        1,
        "{answer}"
    );
    db.finish().await;
}

#[tokio::test]
async fn measures_accumulate_and_the_final_report_closes_the_event_with_the_latest_status() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    let asked = report(
        &mut chat,
        OFFICER,
        "今天上午9点30分，在大连某机械厂厂门口，约150名职工聚集，因拖欠三个月工资。",
    )
    .await;
    answer_all(
        &mut chat,
        OFFICER,
        asked,
        &[
            ("measures", "区总工会已派人到场协调"),
            ("status", "目前情绪基本稳定"),
        ],
    )
    .await;
    chat.press(OFFICER, Action::Confirm).await;
    for (text, last) in [
        ("区人社局已介入协调，企业承诺月底前发放工资。", "no"),
        ("企业已补发全部拖欠工资，事件处置完毕。", "yes"),
    ] {
        chat.say(OFFICER, "/followup 1").await;
        chat.say(OFFICER, text).await;
        chat.press(OFFICER, Action::Choose(last.into())).await;
        chat.press(OFFICER, Action::Confirm).await;
    }
    let detail = store.urgent_event(1).await.unwrap().unwrap();
    let measures: Vec<&str> = detail.measures().iter().map(|c| c.value.as_str()).collect();
    assert_eq!(measures[0], "区总工会已派人到场协调", "{measures:?}");
    assert!(
        measures.iter().any(|m| m.contains("区人社局已介入协调")),
        "the follow-up's measures join the first report's: {measures:?}"
    );
    assert!(!detail.event.is_open());
    // The status is the latest given, the first report's no longer.
    let last_status = detail
        .changes
        .iter()
        .rev()
        .find(|c| c.fact == FactName::Status)
        .map(|c| c.value.clone());
    assert_eq!(detail.event.facts.status, last_status);
    assert_ne!(
        detail.event.facts.status.as_deref(),
        Some("目前情绪基本稳定")
    );
    assert!(
        detail
            .measures()
            .iter()
            .any(|c| matches!(c.origin, Origin::FollowUp(_))),
        "{measures:?}"
    );
    let shown_event = chat.say(OFFICE_ONE, "/urgent_show 1").await;
    assert_has(&shown_event, &t(ZH, "urgent.show.measures", &[]));
    assert_has(&shown_event, "区总工会已派人到场协调");
    assert_has(&shown_event, "首报");
    assert_has(&shown_event, &t(ZH, "urgent.show.history", &[]));
    assert!(
        !shown_event.contains(&t(ZH, "urgent.show.open", &[])),
        "{shown_event}"
    );
    let closed_at = detail.event.closed_at.expect("closed by the final report");
    let closed = t(
        ZH,
        "urgent.show.closed",
        &[(
            "at",
            &closed_at
                .with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        )],
    );
    assert_has(&shown_event, &closed);
    db.finish().await;
}

#[tokio::test]
async fn a_report_with_all_six_facts_asks_nothing_and_alerts_the_office_once() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    let answer = report(
        &mut chat,
        OFFICER,
        "今天上午9点30分，在大连港集装箱码头，约200名职工聚集，因企业拖欠三个月工资，区总工会已派人到场协调，目前现场秩序已恢复。",
    )
    .await;
    assert_has(&answer, &shown(ZH, "urgent.all_facts", &[("number", "1")]));
    assert_has(
        &chat.say(OFFICER, "/cancel").await,
        &t(ZH, "bot.form.none", &[]),
    );
    let office: Vec<_> = told(store, OFFICE_ONE)
        .await
        .into_iter()
        .filter(|(key, _)| key.starts_with("urgent:1:"))
        .collect();
    assert_eq!(
        office.len(),
        1,
        "one alert, no second one for facts it already had: {office:?}"
    );
    db.finish().await;
}

#[tokio::test]
async fn a_closed_event_takes_no_more_answers_from_the_unit_and_tells_the_office_nothing() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点30分，在大连港集装箱码头，约200名职工聚集。",
    )
    .await;
    chat.say(OFFICE_ONE, "/close 1").await;
    let answer = chat.say(OFFICER, "企业拖欠工资").await;
    assert_has(
        &answer,
        &shown(ZH, "urgent.refused.closed", &[("number", "1")]),
    );
    let facts = store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert_eq!(facts.cause, None);
    assert!(
        told_under(store, OFFICE_ONE, "urgent:1:supplied:")
            .await
            .is_empty()
    );
    // The office may still correct it, recorded as the office's correction.
    let fixed = chat
        .say(OFFICE_ONE, "/urgent_fix 1 起因 企业拖欠三个月工资")
        .await;
    assert_has(&fixed, "企业拖欠三个月工资");
    let detail = store.urgent_event(1).await.unwrap().unwrap();
    assert_eq!(
        detail.event.facts.cause.as_deref(),
        Some("企业拖欠三个月工资")
    );
    assert!(detail.changes.iter().any(|c| c.origin == Origin::Office));
    let by_unit = chat.say(OFFICER, "/urgent_fix 1 地点 码头北门").await;
    assert_has(
        &by_unit,
        &shown(ZH, "urgent.fix.office_only", &[("number", "1")]),
    );
    db.finish().await;
}

#[tokio::test]
async fn an_officer_moved_to_another_unit_cannot_write_the_old_units_report() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点30分，在大连港集装箱码头，约200名职工聚集。",
    )
    .await;
    join(&mut chat, store, OFFICER, Some("D02"), Role::Officer).await;
    let answer = chat.say(OFFICER, "企业拖欠工资").await;
    assert!(!answer.contains("没有编号为"), "{answer}");
    let facts = store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert_eq!(facts.cause, None, "nothing written from the other unit");
    let fixed = chat.say(OFFICER, "/urgent_fix 1 起因 企业拖欠工资").await;
    assert_has(&fixed, &shown(ZH, "urgent.unknown", &[("number", "1")]));
    db.finish().await;
}

#[tokio::test]
async fn once_flagged_only_the_office_moves_the_event_time_and_only_with_a_reason() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天早上7点，在某厂门口，三四十人聚集讨薪，已报警，目前情绪稳定。",
    )
    .await;
    assert_eq!(
        store.urgent_event(1).await.unwrap().unwrap().event.late,
        LateFlag::Flagged
    );
    let by_unit = chat.say(OFFICER, "/urgent_fix 1 时间 9:30").await;
    assert_has(
        &by_unit,
        &shown(ZH, "urgent.refused.time_locked", &[("number", "1")]),
    );
    let no_reason = chat.say(OFFICE_ONE, "/urgent_fix 1 时间 9:30").await;
    assert_has(
        &no_reason,
        &shown(ZH, "urgent.refused.reason_needed", &[("number", "1")]),
    );
    let with_reason = chat
        .say(OFFICE_ONE, "/urgent_fix 1 时间 9:30 理由：电话核实")
        .await;
    assert_has(&with_reason, "2026-05-11 09:30");
    let event = store.urgent_event(1).await.unwrap().unwrap().event;
    assert_eq!(
        event.late,
        LateFlag::Flagged,
        "the flag ends only by the office's decision"
    );
    let shown_event = chat.say(OFFICE_ONE, "/urgent_show 1").await;
    assert_has(&shown_event, "电话核实");
    db.finish().await;
}

#[tokio::test]
async fn the_office_voids_a_mistaken_report_and_records_a_telephoned_one() {
    let _turn = SERIAL.lock().await;
    let (db, app, mut chat, _city) = city().await;
    let store = &db.store;
    report(&mut chat, OFFICER, "今天早上7点，测试，在某厂门口。").await;
    assert_eq!(
        store.urgent_event(1).await.unwrap().unwrap().event.late,
        LateFlag::Flagged
    );
    let voided = chat.say(OFFICE_ONE, "/urgent_void 1 测试误报").await;
    assert_has(&voided, "测试误报");
    let event = store.urgent_event(1).await.unwrap().unwrap().event;
    assert!(event.voided_at.is_some() && event.late == LateFlag::None);
    assert!(store.open_urgent(None).await.unwrap().is_empty());
    let week = now() + chrono::Duration::days(7);
    let planned = unionbot::scheduler::preview(store, &app.rules, now(), week)
        .await
        .unwrap();
    assert!(
        !planned.iter().any(|j| j.key.starts_with("urgent:1:")),
        "no reminder for a voided report"
    );
    assert_has(
        &chat.say(OFFICER, "企业拖欠工资").await,
        &shown(ZH, "urgent.refused.voided", &[("number", "1")]),
    );

    let phoned = chat
        .say(
            OFFICE_ONE,
            "/urgent_phone d1 9:20 在大连港集装箱码头，约200名职工聚集",
        )
        .await;
    assert_has(&phoned, "2026-05-11 09:20");
    let event = store.urgent_event(2).await.unwrap().unwrap().event;
    assert!(event.by_phone);
    assert_eq!(event.reported_by, None);
    assert_eq!(
        event
            .reported_at
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%H:%M")
            .to_string(),
        "09:20"
    );
    let asked = told_under(store, OFFICER, "urgent:2:phoned").await;
    assert_eq!(asked.len(), 1);
    let questions = chat.say(OFFICER, "/urgent_fix 2").await;
    assert_has(&questions, "大连港集装箱码头");
    db.finish().await;
}

#[tokio::test]
async fn the_text_after_the_command_is_the_report_and_control_characters_are_removed() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    let answer = chat.say(OFFICER, "/urgent 工厂起火了").await;
    assert_has(
        &answer,
        &shown(ZH, "urgent.stored", &[("number", "1"), ("told", "2")]),
    );
    assert_eq!(
        store.urgent_event(1).await.unwrap().unwrap().event.text,
        "工厂起火了"
    );
    chat.say(OFFICER, "/cancel").await;
    let answer = report(&mut chat, OFFICER, "车间\u{7}发生\u{1b}[31m事故\u{202e}").await;
    assert_has(&answer, &t(ZH, "urgent.controls_removed", &[]));
    let text = store.urgent_event(2).await.unwrap().unwrap().event.text;
    assert_eq!(text, "车间发生[31m事故");
    db.finish().await;
}

#[tokio::test]
async fn a_count_that_cannot_be_taken_in_the_first_message_is_asked_not_refused() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let answer = report(&mut chat, OFFICER, "今天上午9点30分，在码头，-5人聚集。").await;
    assert_has(
        &answer,
        &shown(ZH, "urgent.stored", &[("number", "1"), ("told", "2")]),
    );
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert_eq!(facts.people, None, "{facts:?}");
    db.finish().await;
}

/// One thing done to an event in the property below.
#[derive(Debug, Clone)]
enum Step {
    /// Answers the question being asked, if one is.
    Answer,
    Cancel,
    /// The unit corrects a fact with `/urgent_fix` (the fact's index, minutes before now for
    /// a time).
    Fix(usize, i64),
    /// A follow-up giving an event time so many minutes before now.
    FollowUp(i64),
    /// The office corrects the event time, with a reason.
    OfficeTime(i64),
    Close,
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    let minutes = prop_oneof![Just(20i64), Just(50), Just(90), Just(200)];
    prop_oneof![
        4 => Just(Step::Answer),
        1 => Just(Step::Cancel),
        2 => (0usize..6, minutes.clone()).prop_map(|(f, m)| Step::Fix(f, m)),
        1 => minutes.clone().prop_map(Step::FollowUp),
        1 => minutes.prop_map(Step::OfficeTime),
        1 => Just(Step::Close),
    ]
}

/// `minutes` before the fixed clock, as an officer writes a time of today.
fn clock_minus(minutes: i64) -> String {
    let at = now() - chrono::Duration::minutes(minutes);
    at.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%H:%M")
        .to_string()
}

/// A value for a fact, told apart by the step that gave it.
fn value_for(fact: FactName, i: usize, minutes: i64) -> String {
    match fact {
        FactName::EventTime => clock_minus(minutes),
        FactName::Place => format!("码头{i}号门"),
        FactName::People => format!("{}人", 10 + i),
        FactName::Cause => format!("拖欠工资{i}个月"),
        FactName::Measures => format!("已派{i}名干部到场"),
        FactName::Status => format!("现场情绪稳定{i}"),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(12))]

    /// Whatever order facts arrive in (the first message, answers, corrections, follow-ups,
    /// the office's edit) and wherever /cancel falls: no fact once stored is ever lost from the
    /// record, each fact's current value is the last one given, and the late flag is raised
    /// exactly when a known event time puts the report more than an hour after it, and never
    /// lowered.
    #[test]
    fn no_fact_once_given_is_lost_and_the_flag_follows_the_event_time(
        first in 0usize..3,
        steps in proptest::collection::vec(step(), 1..10),
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let _turn = SERIAL.lock().await;
            let (db, _app, mut chat) = world().await;
            let store = &db.store;
            let firsts = [
                "刚才码头有工人聚集",
                "今天上午9点30分，在大连港码头，约200名职工聚集。",
                "今天早上7点，在某厂门口，三四十人聚集讨薪，已报警，目前情绪稳定。",
            ];
            let mut last = report(&mut chat, OFFICER, firsts[first]).await;
            let mut seen: Vec<(FactName, String)> = Vec::new();
            let mut raised = false;
            for (i, step) in steps.into_iter().enumerate() {
                match step {
                    Step::Answer => {
                        let asked = FactName::ALL.into_iter().find(|f| {
                            last.contains(&t(ZH, &format!("field.ask.{}", f.code()), &[]))
                        });
                        if let Some(fact) = asked {
                            last = chat.say(OFFICER, &value_for(fact, i, 50)).await;
                        }
                    }
                    Step::Cancel => last = chat.say(OFFICER, "/cancel").await,
                    Step::Fix(f, minutes) => {
                        let fact = FactName::ALL[f];
                        let name = t(ZH, &format!("field.label.{}", fact.code()), &[]);
                        let text = format!("/urgent_fix 1 {name} {}", value_for(fact, i, minutes));
                        last = chat.say(OFFICER, &text).await;
                    }
                    Step::FollowUp(minutes) => {
                        chat.say(OFFICER, "/followup 1").await;
                        let at = clock_minus(minutes).replace(':', "点") + "分";
                        let text = format!("事件发生于今天{at}，已派{i}名干部到场");
                        last = chat.say(OFFICER, &text).await;
                        // A closed event takes no follow-up: the text went nowhere.
                        if last.contains(&t(ZH, "field.ask.final_report", &[])) {
                            chat.press(OFFICER, Action::Choose("no".into())).await;
                            last = chat.press(OFFICER, Action::Confirm).await;
                        }
                    }
                    Step::OfficeTime(minutes) => {
                        let text = format!("/urgent_fix 1 时间 {} 理由：电话核实", clock_minus(minutes));
                        last = chat.say(OFFICE_ONE, &text).await;
                    }
                    Step::Close => last = chat.say(OFFICE_ONE, "/close 1").await,
                }
                let detail = store.urgent_event(1).await.unwrap().unwrap();
                let now_seen: Vec<(FactName, String)> = detail
                    .changes
                    .iter()
                    .map(|c| (c.fact, c.value.clone()))
                    .collect();
                // Nothing stored is ever lost: the history only grows.
                assert!(now_seen.starts_with(&seen), "{seen:?} → {now_seen:?}");
                seen = now_seen;
                // Each fact's current value is the last one given.
                for fact in FactName::ALL {
                    let last_given = detail.changes.iter().rev().find(|c| c.fact == fact);
                    let current = match fact {
                        FactName::EventTime => detail.event.facts.event_at.map(|a| a.to_rfc3339()),
                        FactName::Place => detail.event.facts.place.clone(),
                        FactName::People => detail.event.facts.people.as_ref().map(|p| p.words.clone()),
                        FactName::Cause => detail.event.facts.cause.clone(),
                        FactName::Measures => detail.event.facts.measures.clone(),
                        FactName::Status => detail.event.facts.status.clone(),
                    };
                    let expected = last_given.map(|c| match c.event_at {
                        Some(at) => at.to_rfc3339(),
                        None => c.value.clone(),
                    });
                    assert_eq!(current, expected, "{fact:?}");
                }
                // The flag: raised exactly when some event time given was more than an hour
                // before the report, and never lowered.
                let late_given = detail.changes.iter().filter_map(|c| c.event_at).any(|at| {
                    detail.event.reported_at - at > chrono::Duration::minutes(60)
                });
                let flagged = detail.event.late != LateFlag::None;
                assert_eq!(flagged, late_given, "{:?}", detail.changes);
                assert!(flagged || !raised, "a raised flag was lowered");
                raised = flagged;
            }
            db.finish().await;
        });
    }
}

#[tokio::test]
async fn an_answer_that_cannot_be_taken_is_refused_with_its_reason_in_officers_words() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let asked = report(&mut chat, OFFICER, "刚才码头有工人聚集").await;
    assert_has(&asked, &t(ZH, "field.ask.event_time", &[]));
    // A day to come is the future, not "not a date"; an unreadable time gets officers'
    // examples, never a time zone.
    let tomorrow = chat.say(OFFICER, "明天上午9点").await;
    assert_has(
        &tomorrow,
        &shown(ZH, "problem.in_future", &[("value", "明天上午9点")]),
    );
    let unreadable = chat.say(OFFICER, "不清楚").await;
    assert_has(&unreadable, "今天上午9点30分");
    assert!(!unreadable.contains("+08:00"), "{unreadable}");
    let taken = chat.say(OFFICER, "今天上午9点30分").await;
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert!(facts.event_at.is_some(), "{taken}");
    // A count below zero, answered to the people question, is refused with the reason.
    let mut next = taken;
    for answer in ["码头北门"] {
        if next.contains(&t(ZH, "field.ask.place", &[])) {
            next = chat.say(OFFICER, answer).await;
        }
    }
    assert_has(&next, &t(ZH, "field.ask.people", &[]));
    let negative = chat.say(OFFICER, "-5人").await;
    assert_has(
        &negative,
        &shown(ZH, "problem.negative_count", &[("value", "-5人")]),
    );
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert_eq!(facts.people, None);
    db.finish().await;
}

#[tokio::test]
async fn a_name_with_a_direction_override_is_refused() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let answer = chat.say(OFFICER, "/name 王\u{202e}丽").await;
    assert_has(&answer, &t(ZH, "problem.control_character", &[]));
    let person = db
        .store
        .person_by_telegram(OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert!(!person.name.contains('\u{202e}'), "{}", person.name);
    db.finish().await;
}

#[tokio::test]
async fn a_follow_up_with_another_time_says_so_and_a_corrected_flag_cannot_be_confirmed() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天早上7点，在某厂门口，三四十人聚集讨薪，已报警，目前情绪稳定。",
    )
    .await;
    // A follow-up's time other than the event's is said to both sides, never taken silently.
    chat.say(OFFICER, "/followup 1").await;
    chat.say(OFFICER, "事件实际发生于今天9点30分，区总工会已派人协调。")
        .await;
    chat.press(OFFICER, Action::Choose("no".into())).await;
    let stored = chat.press(OFFICER, Action::Confirm).await;
    assert_has(&stored, "2026-05-11 09:30");
    assert_has(&stored, "/urgent_fix 1");
    let alert = told_under(store, OFFICE_ONE, "urgent:1:followup:").await;
    assert_has(&alert[0], "2026-05-11 09:30");
    let event = store.urgent_event(1).await.unwrap().unwrap().event;
    assert_eq!(event.late, LateFlag::Flagged, "the flag stands");
    // The office corrects the time into the limit: the flag cannot then be confirmed.
    chat.say(OFFICE_ONE, "/urgent_fix 1 时间：9:30 理由：电话核实")
        .await;
    let confirmed = chat.press_data(OFFICE_ONE, "ul:1").await;
    assert_has(
        &confirmed,
        &shown(ZH, "urgent.late.no_longer_late", &[("number", "1")]),
    );
    assert!(
        store.vetoes(2026).await.unwrap().is_empty(),
        "no veto for a report in time"
    );
    // A reason with a control character is refused as any line is.
    let refused = chat.say(OFFICE_ONE, "/urgent_void 1 测试\u{7}误报").await;
    assert_has(&refused, &t(ZH, "problem.control_character", &[]));
    assert!(
        store
            .urgent_event(1)
            .await
            .unwrap()
            .unwrap()
            .event
            .voided_at
            .is_none()
    );
    db.finish().await;
}

#[tokio::test]
async fn a_report_typed_after_the_command_is_stored_even_with_a_draft_open() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    chat.say(OFFICER, "/submit").await;
    chat.say(OFFICER, "4").await;
    chat.say(OFFICER, "一条草稿的标题").await;
    let answer = chat.say(OFFICER, "/urgent 工厂起火了").await;
    assert_has(
        &answer,
        &shown(ZH, "urgent.stored", &[("number", "1"), ("told", "2")]),
    );
    assert_has(&answer, &shown(ZH, "urgent.fix_later", &[("number", "1")]));
    assert_eq!(
        db.store.urgent_event(1).await.unwrap().unwrap().event.text,
        "工厂起火了"
    );
    // The draft is kept.
    let drafts = chat.say(OFFICER, "/drafts").await;
    assert!(
        !drafts.contains(&t(ZH, "bot.form.no_drafts", &[])),
        "{drafts}"
    );
    db.finish().await;
}

#[tokio::test]
async fn a_report_by_telephone_takes_a_date_and_a_time_of_the_call() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let phoned = chat
        .say(
            OFFICE_ONE,
            "/urgent_phone D01 2026-05-11 08:20 在大连港码头，约200名职工聚集",
        )
        .await;
    assert_has(&phoned, "2026-05-11 08:20");
    let event = db.store.urgent_event(1).await.unwrap().unwrap().event;
    assert!(event.by_phone);
    assert_eq!(event.facts.place.as_deref(), Some("大连港码头"));
    let future = chat
        .say(OFFICE_ONE, "/urgent_phone D01 明天9点 码头聚集")
        .await;
    assert!(!future.contains("紧急信息第 2 号"), "{future}");
    assert!(db.store.urgent_event(2).await.unwrap().is_none());
    db.finish().await;
}
