//! Urgent reports (紧急信息) through the mock Bot API: one message in, stored at once and every
//! office member alerted; the facts drawn out and only the missing asked; a late report flagged,
//! confirmed into a veto that costs the awards or dismissed; follow-ups linked and numbered and
//! reminded until the event is closed; and another unit's officer seeing none of it.
//! Helpers as in `tests/bot.rs`; the clock is fixed at 2026-05-11 10:00 in Shanghai.

mod common;

use chrono::Duration;

use unionbot::forms::Action;
use unionbot::i18n::t;
use unionbot::schedule::JobKind;

use common::chat::*;
use common::urgent::*;

#[tokio::test]
async fn one_message_with_two_facts_missing_is_stored_at_once_and_alerted_then_completed() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;

    let intro = chat.say(OFFICER, "/urgent").await;
    assert_has(&intro, &shown(ZH, "urgent.intro", &[("limit", "1小时")]));
    let answer = chat
        .say(
            OFFICER,
            "今天上午9点30分，在大连港集装箱码头，约200名职工聚集，因企业拖欠三个月工资。",
        )
        .await;
    // Stored at once, before any question: the report is the first message.
    assert_has(
        &answer,
        &shown(ZH, "urgent.stored", &[("number", "1"), ("told", "2")]),
    );
    assert_has(
        &answer,
        &shown(ZH, "urgent.clock.left", &[("left", "30分钟")]),
    );
    let stored = store
        .urgent_event(1)
        .await
        .unwrap()
        .expect("the report is stored");
    let facts = &stored.event.facts;
    assert_eq!(facts.missing(), ["measures", "status"], "{facts:?}");
    assert_eq!(facts.people.as_ref().map(|p| p.count), Some(200));
    assert_eq!(stored.event.reported_at, now());

    // Every office member is alerted, in the same commit as the report, the missing facts
    // marked to be supplied.
    for member in [OFFICE_ONE, OFFICE_TWO] {
        let alerts = told_under(store, member, "urgent:1:alert:").await;
        assert_eq!(alerts.len(), 1, "{member}");
        assert_has(&alerts[0], "中山区总工会");
        assert_has(&alerts[0], &shown(ZH, "urgent.to_supply", &[]));
        assert_has(&alerts[0], "大连港集装箱码头");
    }
    assert!(told_under(store, OTHER_OFFICER, "urgent:").await.is_empty());

    // Only the missing facts are asked, one at a time.
    assert_has(&answer, &t(ZH, "field.ask.measures", &[]));
    let next = chat.say(OFFICER, "已派工会干部到场协调").await;
    assert_has(&next, &t(ZH, "field.ask.status", &[]));
    let summary = chat.say(OFFICER, "现场秩序已恢复，正在协商").await;
    // Every answer is stored as it is given: the summary says so, and offers to end the
    // questions, not to confirm or to drop anything.
    assert_has(&summary, "大连港集装箱码头");
    assert_has(&summary, &t(ZH, "form.summary_stored", &[]));
    assert!(
        !summary.contains(&t(ZH, "form.summary_hint", &[])),
        "{summary}"
    );
    let completed = store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert!(completed.missing().is_empty(), "{completed:?}");
    // The office hears what was supplied, once, as soon as every fact is in.
    for member in [OFFICE_ONE, OFFICE_TWO] {
        let told = told_under(store, member, "urgent:1:supplied:").await;
        assert_eq!(told.len(), 1, "{member}");
        assert_has(&told[0], "已派工会干部到场协调");
        assert_has(&told[0], "现场秩序已恢复");
        assert!(
            !told[0].contains("大连港集装箱码头"),
            "only what changed: {}",
            told[0]
        );
    }
    let done = chat.press(OFFICER, Action::Confirm).await;
    assert_has(&done, &shown(ZH, "urgent.facts_done", &[("number", "1")]));
    for member in [OFFICE_ONE, OFFICE_TWO] {
        assert_eq!(
            told_under(store, member, "urgent:1:supplied:").await.len(),
            1
        );
    }
    db.finish().await;
}

/// The part of a prompt before its first placeholder.
fn shown_start(key: &str) -> String {
    let text = t(ZH, key, &[]);
    text.split('{').next().unwrap_or(&text).to_string()
}

fn award_of<'a>(awards: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    awards
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["unit"] == code)
        .unwrap_or_else(|| panic!("{code} in {awards}"))
}

#[tokio::test]
async fn a_late_flag_shows_its_veto_then_confirmed_costs_the_awards_once_and_a_dismissed_flag_keeps_them()
 {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat, city) = city().await;
    let store = &db.store;
    let before = city.json(&["awards", "--year", "2026"]).await;

    // Three hours after the event: flagged late, and the office sees the flag in the alert.
    report(
        &mut chat,
        OFFICER,
        "今天早上7点，在某厂门口，三四十人聚集讨薪，已报警，目前情绪稳定。",
    )
    .await;
    let alert = told_under(store, OFFICE_ONE, "urgent:1:alert:").await;
    assert_has(
        &alert[0],
        &shown(
            ZH,
            "urgent.alert.late",
            &[("delay", "3小时"), ("limit", "1小时"), ("number", "1")],
        ),
    );
    assert!(!alert[0].contains("180"), "{}", alert[0]);
    let listed = chat.say(OFFICE_ONE, "/urgent_list").await;
    assert_has(&listed, "相隔3小时　");
    // The alert's button shows the veto it will make, and makes nothing yet.
    let preview = chat.press_data(OFFICE_ONE, "ul:1").await;
    let reason = t(
        ZH,
        "urgent.veto_reason",
        &[("number", "1"), ("delay", "3小时"), ("limit", "1小时")],
    );
    let unit = store
        .urgent_event(1)
        .await
        .unwrap()
        .unwrap()
        .event
        .unit_name;
    assert_has(
        &preview,
        &shown(
            ZH,
            "urgent.late.preview",
            &[
                ("number", "1"),
                ("unit", &unit),
                ("kind", &t(ZH, "veto_kind.late", &[])),
                ("date", &today().to_string()),
                ("reason", &reason),
                ("year", "2026"),
            ],
        ),
    );
    assert_eq!(chat.buttons(), vec!["uv:1".to_string()]);
    assert!(store.all_vetoes().await.unwrap().is_empty(), "nothing yet");
    let confirmed = chat.press_data(OFFICE_ONE, "uv:1").await;
    assert_has(
        &confirmed,
        &shown(
            ZH,
            "urgent.late.confirmed_now",
            &[("number", "1"), ("veto", "1")],
        ),
    );
    let vetoes = store.all_vetoes().await.unwrap();
    assert_eq!(vetoes.len(), 1);
    assert_eq!(
        vetoes[0].veto.reason, reason,
        "the veto shown is the veto made"
    );
    assert_eq!(vetoes[0].veto.on, today());
    // Pressed again (a double tap): decided once, not twice.
    let tapped = chat.press_data(OFFICE_ONE, "uv:1").await;
    assert_has(&tapped, &shown_start("urgent.late.decided_before"));
    // Pressed again by the other member, on the alert or the veto: decided once, not twice.
    let shown_again = chat.press_data(OFFICE_TWO, "ul:1").await;
    assert_has(&shown_again, &shown_start("urgent.late.decided_before"));
    assert!(chat.buttons().is_empty(), "no veto to confirm once decided");
    // Who decided it is named by name and number.
    let first = store
        .person_by_telegram(OFFICE_ONE as i64)
        .await
        .unwrap()
        .unwrap();
    let again = chat.press_data(OFFICE_TWO, "uv:1").await;
    assert_has(
        &again,
        &t(
            ZH,
            "urgent.late.decided_before",
            &[
                ("number", "1"),
                ("state", &t(ZH, "urgent.late.confirmed", &[])),
                ("by", &format!("用户{OFFICE_ONE}（人员编号 {}）", first.id)),
            ],
        ),
    );

    report(
        &mut chat,
        OTHER_OFFICER,
        "今天早上6点，在西岗区某商场，近百名职工聚集，目前正在协调。",
    )
    .await;
    let dismissed = chat
        .say(OFFICE_TWO, "/dismiss_late 2 事件时间报错，实际是9点")
        .await;
    assert_has(
        &dismissed,
        &shown(
            ZH,
            "urgent.late.dismissed_now",
            &[("number", "2"), ("veto", "")],
        ),
    );

    let after = city.json(&["awards", "--year", "2026"]).await;
    assert_eq!(award_of(&before, "d1")["eligible"], true, "{before}");
    assert_eq!(award_of(&after, "d1")["eligible"], false, "{after}");
    assert_eq!(
        award_of(&after, "d2"),
        award_of(&before, "d2"),
        "a dismissed flag changes nothing"
    );
    let shown_event = chat.say(OFFICE_ONE, "/urgent_show 2").await;
    assert_has(&shown_event, &shown(ZH, "urgent.late.dismissed", &[]));
    db.finish().await;
}

#[tokio::test]
async fn a_follow_up_is_linked_and_numbered_and_reminders_stop_when_the_event_is_closed() {
    let _turn = SERIAL.lock().await;
    let (db, app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点40分，在中山区某工地，约50名农民工聚集，因工资拖欠，已派人到场，目前情绪稳定。",
    )
    .await;

    // A reminder is due while the event is open (every 4 hours, out of quiet hours).
    let week = now() + Duration::days(7);
    let reminders = |jobs: Vec<unionbot::scheduler::PlannedJob>| {
        jobs.into_iter()
            .filter(|j| j.kind == JobKind::UrgentFollowUp && j.key.starts_with("urgent:1:"))
            .count()
    };
    let planned = unionbot::scheduler::preview(store, &app.rules, now(), week)
        .await
        .unwrap();
    assert!(reminders(planned) > 0, "an open event is reminded");

    let choose = chat.say(OFFICER, "/followup").await;
    assert_has(&choose, &shown(ZH, "urgent.followup.choose", &[]));
    chat.press_data(OFFICER, "uf:1").await;
    chat.say(OFFICER, "又有约30人加入，已报告区委，目前正在协商")
        .await;
    chat.say(OFFICER, "否").await;
    let stored = chat.press(OFFICER, Action::Confirm).await;
    assert_has(
        &stored,
        &shown(
            ZH,
            "urgent.followup.stored",
            &[("number", "1"), ("name", "续报一"), ("told", "2")],
        ),
    );
    let detail = store.urgent_event(1).await.unwrap().unwrap();
    assert_eq!(detail.followups.len(), 1);
    assert_eq!(detail.followups[0].number, 1);
    assert!(!detail.followups[0].final_report);
    let alerts = told_under(store, OFFICE_ONE, "urgent:1:followup:1").await;
    assert_eq!(alerts.len(), 1);
    assert_has(&alerts[0], "续报一");

    // The office asks for another from the alert: the unit's officers are told how.
    let asked = chat.press_data(OFFICE_TWO, "ur:1").await;
    assert_has(
        &asked,
        &shown(
            ZH,
            "urgent.followup_asked",
            &[("number", "1"), ("told", "1")],
        ),
    );
    let notices = told_under(store, OFFICER, "urgent:1:asked:").await;
    assert_eq!(notices.len(), 1);
    assert_has(
        &notices[0],
        &shown(ZH, "urgent.notice.followup_asked", &[("number", "1")]),
    );
    assert!(told_under(store, OTHER_OFFICER, "urgent:").await.is_empty());

    let closed = chat.say(OFFICER, "/close 1").await;
    assert_has(&closed, &shown(ZH, "urgent.closed", &[("number", "1")]));
    let planned = unionbot::scheduler::preview(store, &app.rules, now(), week)
        .await
        .unwrap();
    assert_eq!(reminders(planned), 0, "no reminder after closing");
    let late = chat.say(OFFICER, "/followup 1").await;
    assert_has(
        &late,
        &shown(ZH, "urgent.closed_already", &[("number", "1")]),
    );
    db.finish().await;
}

#[tokio::test]
async fn another_units_officer_can_neither_see_nor_list_nor_follow_up_the_event() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点，在中山区某厂，约80人聚集，因停产，已报警，目前秩序正常。",
    )
    .await;
    let unknown = shown(ZH, "urgent.unknown", &[("number", "1")]);
    assert_has(&chat.say(OTHER_OFFICER, "/urgent_show 1").await, &unknown);
    assert_has(&chat.say(OTHER_OFFICER, "/followup 1").await, &unknown);
    assert_has(&chat.press_data(OTHER_OFFICER, "uf:1").await, &unknown);
    assert_has(&chat.say(OTHER_OFFICER, "/close 1").await, &unknown);
    assert_has(
        &chat.say(OTHER_OFFICER, "/followup").await,
        &shown(ZH, "urgent.followup.none", &[]),
    );
    let office_only = shown(ZH, "bot.office_only", &[]);
    assert_has(&chat.say(OTHER_OFFICER, "/urgent_list").await, &office_only);
    assert_has(&chat.press_data(OTHER_OFFICER, "ua:1").await, &office_only);
    assert!(
        store
            .urgent_event(1)
            .await
            .unwrap()
            .unwrap()
            .event
            .is_open()
    );
    assert!(told_under(store, OTHER_OFFICER, "urgent:").await.is_empty());

    // The unit's own officer and the office do see it.
    assert_has(&chat.say(OFFICER, "/urgent_show 1").await, "中山区总工会");
    let listed = chat.say(OFFICE_ONE, "/urgent_list").await;
    assert_has(&listed, &shown(ZH, "urgent.list.title", &[("count", "1")]));
    db.finish().await;
}

#[tokio::test]
async fn a_time_that_cannot_be_taken_is_asked_again_with_examples_never_guessed() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let answer = report(&mut chat, OFFICER, "刚才在某厂门口有人聚集，原因不明。").await;
    assert_has(&answer, &shown(ZH, "urgent.time_unclear", &[]));
    assert_has(&answer, &t(ZH, "field.ask.event_time", &[]));
    let facts = db.store.urgent_event(1).await.unwrap().unwrap().event.facts;
    assert_eq!(facts.event_at, None, "刚才 is not a time");
    // Asked again, with what to write, until a time can be read.
    let again = chat.say(OFFICER, "刚才").await;
    assert_has(&again, &t(ZH, "field.ask.event_time", &[]));
    let later = chat.say(OFFICER, "11:30").await;
    assert_has(&later, &t(ZH, "field.ask.event_time", &[]));
    let taken = chat.say(OFFICER, "上午九点五十").await;
    assert_has(&taken, &t(ZH, "field.ask.people", &[]));
    db.finish().await;
}

#[tokio::test]
async fn choosing_sudden_events_in_the_item_form_offers_the_urgent_report() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    chat.say(OFFICER, "/submit").await;
    let offered = chat.press(OFFICER, Action::Choose("10".into())).await;
    assert_has(&offered, &shown(ZH, "urgent.offer", &[]));
    assert!(chat.buttons().contains(&"m:urgent".to_string()));
    // Pressed, it opens the report in place of the item begun.
    let opened = chat.press_data(OFFICER, "m:urgent").await;
    assert_has(&opened, &shown(ZH, "urgent.intro", &[("limit", "1小时")]));
    let help = chat.say(OFFICER, "/help").await;
    assert_has(
        &help,
        &shown(
            ZH,
            "bot.help.line",
            &[
                ("command", "urgent"),
                ("description", &t(ZH, "bot.command.urgent", &[])),
            ],
        ),
    );
    assert!(
        chat.buttons().contains(&"m:urgent".to_string()),
        "the menu's button"
    );
    db.finish().await;
}
