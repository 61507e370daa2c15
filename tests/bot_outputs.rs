//! What the chat says where it used to mislead, through the mock Bot API on a fresh SQLite
//! database per scenario: another unit's score asked for, a word no title has, more matches
//! than shown, a returned item adopted only once the office confirms it (and `/mine` telling
//! both in order), honoraria under the current name, and who decided a late flag by name.

mod common;

use chrono::Duration;
use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Category, Role, UnitKind};
use unionbot::forms::Action;
use unionbot::i18n::Locale;
use unionbot::records::{HeaderFields, NewItem, NewUnit, Recorder};
use unionbot::rules::Rules;
use unionbot::store::{NewUrgentReport, UrgentFacts};

use common::TestDb;
use common::chat::*;
use common::cli::unionbot_in;

/// The mock Bot API is one per process: scenarios wait for each other here.
static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICER: u64 = 1001;
const OFFICE: u64 = 2001;
const ZH: Locale = Locale::ZhCn;

async fn world() -> (TestDb, App) {
    let db = TestDb::sqlite(true).await;
    let unit = |code: &str, name: &str| NewUnit {
        code: code.into(),
        name: name.into(),
        kind: UnitKind::District,
        parent_code: None,
    };
    let rows = vec![
        (2, unit("D01", "中山区总工会")),
        (3, unit("D02", "西岗区总工会")),
    ];
    db.store.import_units(&rows, &office()).await.unwrap();
    let app = App::new(db.store.clone(), Rules::default()).with_clock(now);
    (db, app)
}

fn item(title: &str, minutes: i64) -> NewItem {
    NewItem {
        reference: None,
        unit_code: "D01".into(),
        filed_at: now() - Duration::minutes(minutes),
        title: title.into(),
        category: Category::new(4).unwrap(),
        commissioned: false,
        officer: None,
        body: Some("正文".into()),
        header: HeaderFields::default(),
    }
}

fn no_address(text: &str) {
    for address in ["telegram:", "terminal:"] {
        assert!(!text.contains(address), "{address} in\n{text}");
    }
}

#[tokio::test]
async fn an_officer_asking_for_another_units_score_is_told_only_the_own_is_shown() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let mut chat = Chat::new(&app);
    join(&mut chat, &db.store, OFFICER, Some("D01"), Role::Officer).await;
    let reply = chat.say(OFFICER, "/score D02").await;
    let note = [("code", "D02"), ("unit", "中山区总工会")];
    assert!(
        reply.starts_with(&shown(ZH, "bot.score.own_unit_only", &note)),
        "{reply}"
    );
    assert!(!reply.contains("西岗区"), "{reply}");
    let own = chat.say(OFFICER, "/score d01").await;
    assert!(!own.contains("只能查看本单位"), "{own}");
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn adopt_by_word_says_when_no_title_has_it_and_how_many_more_match() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let mut chat = Chat::new(&app);
    join(&mut chat, &db.store, OFFICE, None, Role::Office).await;
    for n in 0..11 {
        db.store
            .add_item(&item(&format!("职工来稿{n}"), 100 - n), &office())
            .await
            .unwrap();
    }
    let reply = chat.say(OFFICE, "/adopt 不存在的词").await;
    assert_eq!(
        reply,
        shown(ZH, "bot.adopt.no_title_match", &[("word", "不存在的词")])
    );
    let reply = chat.say(OFFICE, "/adopt 职工").await;
    assert_has(
        &reply,
        &shown(ZH, "bot.adopt.more", &[("count", "3"), ("shown", "8")]),
    );
    assert_eq!(chat.buttons().len(), 8, "{reply}");
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn a_returned_item_is_adopted_only_once_confirmed_and_paid_to_the_current_name() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    file_item(&mut chat, OFFICER, "职工关注医保新政").await;
    chat.say(OFFICE, "/return 1 请补充具体数据").await;

    let reply = chat.say(OFFICE, "/adopt 1").await;
    let asked = [
        ("number", "1"),
        ("title", "职工关注医保新政"),
        ("date", "2026年5月11日"),
        ("reason", "请补充具体数据"),
    ];
    assert_eq!(reply, shown(ZH, "bot.adopt.returned_ask", &asked));
    assert_eq!(chat.buttons(), vec!["ar:1".to_string(), "an:1".to_string()]);
    let reply = chat.press_data(OFFICE, "an:1").await;
    assert_eq!(
        reply,
        shown(ZH, "bot.adopt.returned_kept", &[("number", "1")])
    );
    assert_eq!(store.counts().await.unwrap().adoptions, 0);
    // An officer cannot press it.
    let reply = chat.press_data(OFFICER, "ar:1").await;
    assert_eq!(reply, shown(ZH, "bot.office_only", &[]));

    chat.say(OFFICE, "/adopt 医保").await;
    chat.press_data(OFFICE, "ar:1").await;
    assert_has(&chat.text(), "职工关注医保新政");
    chat.press(OFFICE, Action::Choose("municipal_committee".into()))
        .await;
    chat.press(OFFICE, Action::Choose("single".into())).await;
    chat.press(OFFICE, Action::Choose(today().to_string()))
        .await;
    let confirm = chat.button(&Action::Confirm);
    chat.press_data(OFFICE, &confirm).await;
    chat.press_data(OFFICE, &confirm).await;
    assert_eq!(store.counts().await.unwrap().adoptions, 1);

    // `/mine` tells both, in the order they happened, each with its date.
    let mine = chat.say(OFFICER, "/mine").await;
    let returned = shown(
        ZH,
        "bot.mine.returned_on",
        &[("date", "2026-05-11"), ("reason", "请补充具体数据")],
    );
    assert_has(&mine, &returned);
    let adopted = mine.find("被市委信息单条采用").expect("the adoption");
    assert!(mine.find(&returned).unwrap() < adopted, "{mine}");
    no_address(&mine);

    // Paid like any adoption, under the name the person has now.
    let person = store
        .person_by_telegram(OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    store.set_name(person.id, "王丽丽").await.unwrap();
    let paid = unionbot_in(&db.url, "zh-CN", &["honoraria", "--period", "2026H1"])
        .await
        .unwrap();
    assert!(paid.contains("王丽丽"), "{paid}");
    assert!(!paid.contains(&format!("用户{OFFICER}")), "{paid}");
    assert!(paid.contains("中山区总工会"), "{paid}");
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn who_decided_a_late_flag_is_named_in_chat_never_by_address() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let d1 = store.unit_by_code("D01").await.unwrap().unwrap().id;
    let rules = Rules::default();
    let event = store
        .report_urgent(
            &rules.urgent,
            &NewUrgentReport {
                key: "k1".into(),
                unit: d1,
                reported_by: None,
                text: "港区发生塔吊倒塌事故".into(),
                reported_at: now() - Duration::hours(1),
                facts: UrgentFacts {
                    event_at: Some(now() - Duration::hours(5)),
                    ..UrgentFacts::default()
                },
                by_phone: false,
                recorded_by: None,
            },
        )
        .await
        .unwrap()
        .id;
    let by = Recorder(format!("telegram:{OFFICE}"));
    store
        .confirm_urgent_late(&rules, event, &by, now())
        .await
        .unwrap();
    let person = store
        .person_by_telegram(OFFICE as i64)
        .await
        .unwrap()
        .unwrap();
    let reply = chat.press_data(OFFICE, &format!("ul:{event}")).await;
    assert_has(&reply, &format!("用户{OFFICE}（人员编号 {}）", person.id));
    no_address(&reply);
    drop(chat);
    db.finish().await;
}
