//! Sign-off (签发) through a mock Bot API, with the rules asking for it: a confirmed item waits
//! for the unit's leader in charge, who approves it from `/pending` (it is then filed, the leader
//! its signer) or returns it with a remark; the officer is told of each step through the outbox.
//! Helpers as in `tests/bot.rs`.

mod common;

use chrono::Duration;
use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Role, UnitKind};
use unionbot::i18n::Locale;
use unionbot::records::{NewUnit, Recorder};
use unionbot::rules::Rules;
use unionbot::store::Store;

use common::TestDb;
use common::chat::*;

/// The mock Bot API is one per process: scenarios wait for each other here.
static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICER: u64 = 1001;
const LEADER: u64 = 4001;
const OTHER_LEADER: u64 = 4002;
const ZH: Locale = Locale::ZhCn;

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent_code: parent.map(str::to_string),
    }
}

/// A database with three units, and the bot over it on a fixed clock, with sign-off as asked.
async fn world(sign_off: bool) -> (TestDb, App) {
    let db = TestDb::sqlite(true).await;
    let units = [
        unit("D01", "中山区总工会", UnitKind::District, None),
        unit("D02", "西岗区总工会", UnitKind::District, None),
        unit("P01", "大连港直报点", UnitKind::DirectPoint, Some("D01")),
    ];
    let rows: Vec<(usize, NewUnit)> = units
        .into_iter()
        .enumerate()
        .map(|(i, u)| (i + 2, u))
        .collect();
    db.store.import_units(&rows, &office()).await.unwrap();
    let mut rules = Rules::default();
    rules.sign_off.required = sign_off;
    let app = App::new(db.store.clone(), rules).with_clock(now);
    (db, app)
}

/// The officer of D01 and the leaders in charge of D01 and D02, registered.
async fn people(chat: &mut Chat, store: &Store) {
    join(chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(chat, store, LEADER, Some("D01"), Role::Leader).await;
    join(chat, store, OTHER_LEADER, Some("D02"), Role::Leader).await;
}

async fn d01(store: &Store) -> i64 {
    store.unit_by_code("D01").await.unwrap().unwrap().id
}

/// The signers of the stored items, by number.
async fn signers(store: &Store) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT signer FROM items ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap()
}

/// The queued messages, as (chat, text).
async fn queued(store: &Store) -> Vec<(i64, String)> {
    store
        .due_messages(now(), 50)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.chat_id, m.text))
        .collect()
}

#[tokio::test]
async fn a_confirmed_item_waits_for_the_leader_who_approves_it_once_and_the_officer_is_told() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world(true).await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    people(&mut chat, store).await;

    // The officer confirms: nothing is filed, one item awaits sign-off, the leader is told.
    let title = "职工关注医保新政";
    let reply = file_item(&mut chat, OFFICER, title).await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.sign_off.sent",
            &[("number", "1"), ("title", title)],
        ),
    );
    // The same confirmation delivered again puts nothing more before the leader.
    assert_has(
        &chat.dispatch().await,
        &shown(ZH, "form.already_stored", &[]),
    );
    assert_eq!(store.counts().await.unwrap().items, 0);
    let waiting = store.pending_for_unit(d01(store).await).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].filing.item.title, title);
    let notice = shown(
        ZH,
        "bot.sign_off.notice",
        &[("officer", "用户1001"), ("number", "1"), ("title", title)],
    );
    assert_eq!(queued(store).await, vec![(LEADER as i64, notice.clone())]);

    // Another unit's leader has nothing waiting; the unit's leader sees it with two buttons.
    assert_eq!(
        chat.say(OTHER_LEADER, "/pending").await,
        shown(ZH, "bot.sign_off.none", &[])
    );
    assert_eq!(
        chat.say(OFFICER, "/pending").await,
        shown(ZH, "bot.sign_off.leaders_only", &[])
    );
    let reply = chat.say(LEADER, "/pending").await;
    assert_has(&reply, &shown(ZH, "bot.sign_off.title", &[("count", "1")]));
    assert_has(&reply, title);
    assert_has(&reply, "正文");
    let buttons = chat.buttons();
    assert_eq!(buttons, vec!["so:a:1".to_string(), "so:r:1".to_string()]);
    assert!(buttons.iter().all(|b| b.len() < 64));

    // The button pressed by the officer, by another unit's leader, or forged: nothing changes.
    assert_eq!(
        chat.press_data(OFFICER, "so:a:1").await,
        shown(ZH, "bot.sign_off.leaders_only", &[])
    );
    assert_eq!(
        chat.press_data(OTHER_LEADER, "so:a:1").await,
        shown(ZH, "bot.sign_off.not_yours", &[("number", "1")])
    );
    assert_eq!(
        chat.press_data(LEADER, "so:a:99").await,
        shown(ZH, "bot.sign_off.not_yours", &[("number", "99")])
    );
    assert_eq!(
        chat.press_data(LEADER, "so:a:x").await,
        shown(ZH, "form.stale_button", &[])
    );
    assert_eq!(store.counts().await.unwrap().items, 0);
    assert_eq!(queued(store).await.len(), 1);

    // The leader approves: one item, the leader its signer, the officer told its number.
    chat.say(LEADER, "/pending").await;
    let reply = chat.press_data(LEADER, "so:a:1").await;
    assert_eq!(
        reply,
        shown(
            ZH,
            "bot.sign_off.approved",
            &[("number", "1"), ("title", title), ("item", "1")]
        )
    );
    assert_eq!(signers(store).await, vec![Some("用户4001".to_string())]);
    let item = store.item(1).await.unwrap().unwrap();
    assert_eq!(item.title, title);
    assert_eq!(item.filed_by_telegram, Some(OFFICER as i64));
    let told = shown(
        ZH,
        "bot.notice.signed_off",
        &[("title", title), ("leader", "用户4001"), ("number", "1")],
    );
    assert_eq!(
        queued(store).await,
        vec![(LEADER as i64, notice), (OFFICER as i64, told)]
    );

    // A second press (or the same update again) files nothing more and tells no one again.
    assert_eq!(
        chat.press_data(LEADER, "so:a:1").await,
        shown(ZH, "bot.sign_off.already", &[("number", "1")])
    );
    // The very same update handled again says nothing twice (replies are keyed by the press).
    assert_eq!(chat.dispatch().await, "");
    assert_eq!(
        chat.say(LEADER, "/return_draft 1 晚了").await,
        shown(ZH, "bot.sign_off.already", &[("number", "1")])
    );
    assert_eq!(store.counts().await.unwrap().items, 1);
    assert_eq!(queued(store).await.len(), 2);
    assert_eq!(
        chat.say(LEADER, "/pending").await,
        shown(ZH, "bot.sign_off.none", &[])
    );
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn a_returned_item_is_not_filed_and_the_officer_gets_the_remark() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world(true).await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    people(&mut chat, store).await;
    let title = "困难职工帮扶情况";
    file_item(&mut chat, OFFICER, title).await;

    // The return button asks for the remark; the command needs one.
    chat.say(LEADER, "/pending").await;
    assert_eq!(
        chat.press_data(LEADER, "so:r:1").await,
        shown(
            ZH,
            "bot.sign_off.ask_remark",
            &[("number", "1"), ("title", title)]
        )
    );
    assert_eq!(
        chat.say(LEADER, "/return_draft 1").await,
        shown(ZH, "bot.usage.return_draft", &[])
    );
    assert_eq!(
        chat.say(OFFICER, "/return_draft 1 不行").await,
        shown(ZH, "bot.sign_off.leaders_only", &[])
    );
    assert_eq!(
        chat.say(OTHER_LEADER, "/return_draft 1 不行").await,
        shown(ZH, "bot.sign_off.not_yours", &[("number", "1")])
    );

    let remark = "请补充具体数据";
    let reply = chat
        .say(LEADER, &format!("/return_draft #1 {remark}"))
        .await;
    assert_eq!(
        reply,
        shown(
            ZH,
            "bot.sign_off.returned",
            &[("number", "1"), ("title", title), ("officer", "用户1001")]
        )
    );
    assert_eq!(store.counts().await.unwrap().items, 0);
    let told = shown(
        ZH,
        "bot.notice.sign_off_returned",
        &[("title", title), ("leader", "用户4001"), ("remark", remark)],
    );
    let messages = queued(store).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[1], (OFFICER as i64, told));

    // Decided once: neither an approval nor a second return changes it.
    let already = shown(ZH, "bot.sign_off.already", &[("number", "1")]);
    assert_eq!(chat.press_data(LEADER, "so:a:1").await, already);
    assert_eq!(chat.say(LEADER, "/return_draft 1 再退").await, already);
    assert_eq!(store.counts().await.unwrap().items, 0);
    assert_eq!(queued(store).await.len(), 2);
    assert!(
        store
            .pending_for_unit(d01(store).await)
            .await
            .unwrap()
            .is_empty()
    );
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn without_a_leader_the_officer_is_told_and_the_item_still_waits() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world(true).await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    let title = "无人签发";
    let reply = file_item(&mut chat, OFFICER, title).await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.sign_off.no_leader",
            &[("number", "1"), ("title", title)],
        ),
    );
    assert_eq!(store.counts().await.unwrap().items, 0);
    assert_eq!(
        store
            .pending_for_unit(d01(store).await)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(queued(store).await.is_empty());
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn with_sign_off_off_a_confirmed_item_is_filed_at_once() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world(false).await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    people(&mut chat, store).await;
    let reply = file_item(&mut chat, OFFICER, "直接报送").await;
    assert_has(&reply, &shown(ZH, "form.stored", &[("number", "1")]));
    assert_eq!(store.counts().await.unwrap().items, 1);
    assert_eq!(signers(store).await, vec![Some("张三".to_string())]);
    assert!(
        store
            .pending_for_unit(d01(store).await)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(queued(store).await.is_empty());
    assert_eq!(
        chat.say(LEADER, "/pending").await,
        shown(ZH, "bot.sign_off.none", &[])
    );
    drop(chat);
    db.finish().await;
}

/// A person registered through an invitation.
async fn person(store: &Store, telegram: i64, unit: &str, role: Role) -> i64 {
    let code = invite(store, Some(unit), role).await;
    store
        .redeem_invite(&code, telegram, &format!("用户{telegram}"), now())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn the_store_takes_a_submission_once_and_records_one_decision_by_a_leader_of_the_unit() {
    use unionbot::domain::Category;
    use unionbot::records::{HeaderFields, NewItem};
    use unionbot::store::{ChatFiling, Decision, SignOff};

    common::for_each_backend(|store| async move {
        let rows = vec![
            (2, unit("D01", "中山区总工会", UnitKind::District, None)),
            (3, unit("D02", "西岗区总工会", UnitKind::District, None)),
        ];
        store.import_units(&rows, &office()).await.unwrap();
        let officer = person(&store, 1, "D01", Role::Officer).await;
        let leader = person(&store, 2, "D01", Role::Leader).await;
        let other = person(&store, 3, "D02", Role::Leader).await;
        let filing = ChatFiling {
            item: NewItem {
                reference: None,
                unit_code: "D01".into(),
                filed_at: now(),
                title: "标题".into(),
                category: Category::new(4).unwrap(),
                commissioned: false,
                officer: Some("用户1".into()),
                body: Some("正文".into()),
                header: HeaderFields {
                    signer: Some("张三".into()),
                    copies: Some(3),
                    ..HeaderFields::default()
                },
            },
            filed_by: officer,
            topic_id: None,
            commission_id: None,
            submission_key: "1:7:abc".into(),
        };
        let first = store
            .submit_for_sign_off(&filing, 1, Some("{}"), now())
            .await
            .unwrap();
        let again = store
            .submit_for_sign_off(&filing, 1, Some("{}"), now())
            .await
            .unwrap();
        assert_eq!((first, again), ((first.0, true), (first.0, false)));
        let d01 = store.unit_by_code("D01").await.unwrap().unwrap().id;
        let waiting = store.pending_for_unit(d01).await.unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(
            waiting[0].filing, filing,
            "the draft reads back as confirmed"
        );

        let by = Recorder("test:leader".into());
        let later = now() + Duration::hours(1);
        for someone in [officer, other] {
            assert_eq!(
                store
                    .approve_pending(first.0, someone, &by, later)
                    .await
                    .unwrap(),
                SignOff::NotAllowed
            );
        }
        let SignOff::Decided(done) = store
            .approve_pending(first.0, leader, &by, later)
            .await
            .unwrap()
        else {
            panic!("not approved");
        };
        let Some(Decision::Approved { item }) = done.decision else {
            panic!("{done:?}");
        };
        let filed = store.item(item).await.unwrap().unwrap();
        assert_eq!(filed.filed_at, later, "filed when approved");
        assert!(matches!(
            store.approve_pending(first.0, leader, &by, later).await,
            Ok(SignOff::AlreadyDecided(_))
        ));
        assert!(matches!(
            store.return_pending(first.0, leader, "迟了", later).await,
            Ok(SignOff::AlreadyDecided(_))
        ));
        assert!(store.return_pending(99, leader, "无", later).await.is_err());
        assert_eq!(store.counts().await.unwrap().items, 1);
        assert!(store.pending_for_unit(d01).await.unwrap().is_empty());
    })
    .await;
}
