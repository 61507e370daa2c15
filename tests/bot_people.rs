//! People coming and going, through the mock Bot API: a deactivated person is refused
//! everything and sees their old unit's urgent reports no more, a moved person belongs to the
//! new unit, and unused invitations are listed and withdrawn.

mod common;

use unionbot::domain::Role;
use unionbot::i18n::t;
use unionbot::store::Store;

use common::chat::*;
use common::urgent::*;

async fn person_id(store: &Store, user: u64) -> i64 {
    store
        .person_by_telegram(user as i64)
        .await
        .unwrap()
        .expect("registered")
        .id
}

#[tokio::test]
async fn a_deactivated_person_is_refused_everything_and_sees_the_old_units_urgent_report_no_more() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点，在中山区某厂，约80人聚集，因停产，已报警，目前秩序正常。",
    )
    .await;
    assert_has(&chat.say(OFFICER, "/urgent_show 1").await, "中山区总工会");
    let officer = person_id(store, OFFICER).await;

    let done = chat
        .say(OFFICE_ONE, &format!("/deactivate {officer}"))
        .await;
    let role = t(ZH, "role.officer", &[]);
    let whom = t(
        ZH,
        "bot.invite.whom",
        &[("unit", "中山区总工会"), ("role", &role)],
    );
    let who = shown(
        ZH,
        "bot.people.person",
        &[
            ("name", &format!("用户{OFFICER}")),
            ("number", &officer.to_string()),
            ("whom", &whom),
        ],
    );
    assert_has(
        &done,
        &shown(ZH, "bot.people.deactivated", &[("person", &who)]),
    );
    // Told once; a second deactivation changes nothing.
    assert_has(
        &chat
            .say(OFFICE_ONE, &format!("/deactivate {officer}"))
            .await,
        &shown(ZH, "bot.people.deactivated_before", &[("person", &who)]),
    );

    let left = shown(ZH, "bot.left", &[]);
    for text in [
        "/urgent_show 1",
        "/help",
        "/submit",
        "/score",
        "/start",
        "你好",
    ] {
        assert_eq!(chat.say(OFFICER, text).await, left, "{text}");
    }
    for data in ["uf:1", "m:submit"] {
        assert_eq!(chat.press_data(OFFICER, data).await, left, "{data}");
    }
    // Their records keep their name; they receive nothing more as the unit's member.
    let person = store.person_by_id(officer).await.unwrap().unwrap();
    assert_eq!(person.name, format!("用户{OFFICER}"));
    assert!(person.left_at.is_some());
    let unit = store.unit_by_code("D01").await.unwrap().unwrap();
    assert!(
        store
            .people_of_unit(unit.id, None)
            .await
            .unwrap()
            .is_empty()
    );
    // The office still sees the event.
    assert_has(
        &chat.say(OFFICE_ONE, "/urgent_show 1").await,
        "中山区总工会",
    );
    db.finish().await;
}

#[tokio::test]
async fn a_moved_person_belongs_to_the_new_unit_and_no_longer_sees_the_old_units_report() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    report(
        &mut chat,
        OFFICER,
        "今天上午9点，在中山区某厂，约80人聚集，因停产，已报警，目前秩序正常。",
    )
    .await;
    let officer = person_id(store, OFFICER).await;
    // A form open for the old unit.
    chat.say(OFFICER, "/submit").await;

    let done = chat.say(OFFICE_ONE, &format!("/move {officer} D02")).await;
    assert_has(&done, "西岗区总工会");
    let person = store.person_by_id(officer).await.unwrap().unwrap();
    assert_eq!(person.unit_code.as_deref(), Some("D02"));
    assert_eq!(person.role, Role::Officer);
    assert!(store.load_dialogue(OFFICER as i64).await.unwrap().is_none());
    assert_has(
        &chat.say(OFFICER, "/urgent_show 1").await,
        &shown(ZH, "urgent.unknown", &[("number", "1")]),
    );
    assert_has(
        &chat.say(OFFICE_ONE, &format!("/move {officer} NOPE")).await,
        &shown(ZH, "error.unknown_unit", &[("code", "NOPE")]),
    );
    db.finish().await;
}

#[tokio::test]
async fn unused_invitations_are_listed_and_a_withdrawn_one_cannot_be_redeemed() {
    let _turn = SERIAL.lock().await;
    let (db, _app, mut chat) = world().await;
    let store = &db.store;
    chat.say(OFFICE_ONE, "/invite officer D01 王丽").await;
    let code = store
        .open_invites(now())
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.name.as_deref() == Some("王丽"))
        .expect("the invitation is open")
        .code;
    let listed = chat.say(OFFICE_ONE, "/invites").await;
    assert_has(&listed, &code);
    assert_has(&listed, "王丽");

    let revoked = chat.say(OFFICE_ONE, &format!("/revoke {code}")).await;
    assert_has(&revoked, &code);
    assert!(!chat.say(OFFICE_ONE, "/invites").await.contains(&code));
    assert_eq!(
        chat.say(STRANGER, &format!("/start {code}")).await,
        shown(ZH, "bot.join.revoked", &[])
    );
    assert!(
        store
            .person_by_telegram(STRANGER as i64)
            .await
            .unwrap()
            .is_none()
    );
    db.finish().await;
}
