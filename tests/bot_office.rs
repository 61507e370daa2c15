//! The office's inbox, reading an item, confirming a veto, menus that fit the person, real names
//! and long texts, through the mock Bot API on a fresh SQLite database per scenario.

mod common;

use chrono::{Duration, NaiveDate};
use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{AdoptionForm, AdoptionLevel, Category, Role, UnitKind};
use unionbot::forms::Action;
use unionbot::i18n::{Locale, describe_problem, t};
use unionbot::records::{HeaderFields, ItemTarget, NewAdoption, NewItem, NewUnit, Problem};
use unionbot::rules::Rules;
use unionbot::store::{ChatFiling, Store};

use common::TestDb;
use common::chat::*;

/// The mock Bot API is one per process: scenarios wait for each other here.
static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICER: u64 = 1001;
const OTHER_OFFICER: u64 = 1002;
const HEAD: u64 = 1003;
const LEADER: u64 = 1004;
const OFFICE: u64 = 2001;
const OTHER_OFFICE: u64 = 2002;
const ZH: Locale = Locale::ZhCn;

/// Two districts, and the bot over them on the fixed clock.
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

fn new_item(unit: &str, title: &str, minutes: i64) -> NewItem {
    NewItem {
        reference: None,
        unit_code: unit.into(),
        filed_at: now() - Duration::minutes(minutes),
        title: title.into(),
        category: Category::new(4).unwrap(),
        commissioned: false,
        officer: None,
        body: Some("职工普遍反映医保报销手续繁琐。".into()),
        header: HeaderFields {
            distribution_scope: Some("市总领导".into()),
            issuing_unit: Some("中山区总工会".into()),
            signer: Some("张三".into()),
            responsible_person: Some("李四".into()),
            dated: Some(today()),
            copies: Some(30),
        },
    }
}

/// Files `count` items in chat as the officer, the first the oldest; their numbers.
async fn file_many(store: &Store, count: i64) -> Vec<i64> {
    let person = store
        .person_by_telegram(OFFICER as i64)
        .await
        .unwrap()
        .expect("the officer joined");
    let mut ids = Vec::new();
    for n in 0..count {
        let filing = ChatFiling {
            item: new_item("D01", &format!("来稿{n}"), 100 - n),
            filed_by: person.id,
            topic_id: None,
            commission_id: None,
            submission_key: format!("test:{n}"),
        };
        let (id, _) = store
            .file_from_chat(&filing, OFFICER as i64, Some("{}"), &office(), now())
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn the_inbox_pages_new_chat_filings_newest_first_without_history_or_decided_items() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    store
        .add_item(&new_item("D02", "往年导入的信息", 1000), &office())
        .await
        .unwrap();
    let ids = file_many(store, 13).await;
    let adopted = NewAdoption {
        item: ItemTarget::Number(ids[0]),
        level: AdoptionLevel::CityFederation,
        form: AdoptionForm::Single,
        on: today(),
    };
    store.add_adoption(&adopted, &office()).await.unwrap();
    store
        .return_item(ids[1], "请补充数据", &office(), now())
        .await
        .unwrap();

    let reply = chat.say(OFFICE, "/inbox").await;
    assert_has(&reply, &shown(ZH, "bot.inbox.title", &[("count", "11")]));
    assert!(!reply.contains("往年导入的信息"), "{reply}");
    assert!(
        !reply.contains("来稿0") && !reply.contains("来稿1\n"),
        "{reply}"
    );
    // The newest first: 来稿12 before 来稿3.
    let at = |title: &str| {
        reply
            .find(title)
            .unwrap_or_else(|| panic!("{title}: {reply}"))
    };
    assert!(at("来稿12") < at("来稿3"));
    let buttons = chat.buttons();
    assert!(buttons.contains(&format!("it:{}", ids[12])));
    assert!(buttons.contains(&format!("ad:{}", ids[12])));
    let older = format!("ib:{}", ids[3]);
    assert!(buttons.contains(&older), "{buttons:?}");

    let reply = chat.press_data(OFFICE, &older).await;
    assert_has(&reply, "来稿2");
    assert!(!reply.contains("来稿12"), "{reply}");
    assert!(!chat.buttons().iter().any(|b| b.starts_with("ib:")));
    // Listing opened nothing: the items are all still new.
    let reply = chat.say(OFFICE, "/inbox").await;
    assert_has(&reply, &shown(ZH, "bot.inbox.title", &[("count", "11")]));
    db.finish().await;
}

#[tokio::test]
async fn an_item_is_read_in_full_by_the_office_and_its_unit_and_by_no_one_else() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OTHER_OFFICER, Some("D02"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let id = file_many(store, 1).await[0];

    for user in [OFFICE, OFFICER] {
        let reply = chat.say(user, &format!("/item {id}")).await;
        assert_has(&reply, "职工普遍反映医保报销手续繁琐。");
        let signer = t(ZH, "field.label.signer", &[]);
        assert_has(
            &reply,
            &shown(
                ZH,
                "form.summary_line",
                &[("label", &signer), ("value", "张三")],
            ),
        );
    }
    chat.say(OFFICE, "/inbox").await;
    let reply = chat.press_data(OFFICE, &format!("it:{id}")).await;
    assert_has(&reply, "职工普遍反映医保报销手续繁琐。");

    let unknown = shown(
        ZH,
        "error.unknown_item",
        &[("reference", &format!("#{id}"))],
    );
    assert_eq!(
        chat.say(OTHER_OFFICER, &format!("/item {id}")).await,
        unknown
    );
    assert_eq!(
        chat.press_data(OTHER_OFFICER, &format!("it:{id}")).await,
        unknown
    );
    assert_eq!(
        chat.say(OFFICER, "/item 十二").await,
        shown(ZH, "bot.usage.item", &[])
    );
    db.finish().await;
}

#[tokio::test]
async fn a_veto_is_shown_to_confirm_recorded_once_confirmed_and_told_to_the_units_leaders() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    join(&mut chat, store, HEAD, Some("D01"), Role::Head).await;
    join(&mut chat, store, LEADER, Some("D01"), Role::Leader).await;
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;

    let reply = chat.say(OFFICE, "/veto D01 late 紧急信息迟报两小时").await;
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.veto.confirm",
            &[("unit", "中山区总工会"), ("year", "2026")],
        ),
    );
    assert_has(&reply, "紧急信息迟报两小时");
    assert!(
        store.all_vetoes().await.unwrap().is_empty(),
        "nothing before the confirmation"
    );

    let confirm = chat.button(&Action::Confirm);
    let reply = chat.press_data(OFFICE, &confirm).await;
    let kind = t(ZH, "veto_kind.late", &[]);
    let vetoes = store.all_vetoes().await.unwrap();
    assert_eq!(vetoes.len(), 1);
    let id = vetoes[0].veto.id.to_string();
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.veto.done",
            &[
                ("id", &id),
                ("unit", "中山区总工会"),
                ("kind", &kind),
                ("told", "2"),
            ],
        ),
    );
    let told: Vec<i64> = store
        .due_messages(now(), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.chat_id)
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told.contains(&(HEAD as i64)) && told.contains(&(LEADER as i64)));

    // A second press of the same button records nothing more.
    chat.press_data(OFFICE, &confirm).await;
    assert_eq!(store.all_vetoes().await.unwrap().len(), 1);
    assert_eq!(
        chat.say(OFFICE, "/veto ZZ late 原因").await,
        shown(ZH, "error.unknown_unit", &[("code", "ZZ")])
    );
    db.finish().await;
}

#[tokio::test]
async fn an_office_member_without_a_unit_is_not_offered_what_needs_one() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let menus = chat.bot.get_responses().set_my_commands;
    let menu = menus.last().expect("a menu for the office member's chat");
    let names: Vec<&str> = menu.commands.iter().map(|c| c.command.as_str()).collect();
    assert!(
        names.contains(&"inbox") && names.contains(&"score"),
        "{names:?}"
    );
    for missing in ["submit", "drafts", "mine"] {
        assert!(!names.contains(&missing), "{missing}: {names:?}");
    }
    let help = chat.say(OFFICE, "/help").await;
    assert!(!help.contains("/submit"), "{help}");
    assert_eq!(
        chat.say(OFFICE, "/score").await,
        shown(ZH, "bot.usage.score", &[])
    );
    db.finish().await;
}

#[tokio::test]
async fn a_person_invited_without_a_name_is_asked_for_it_and_one_invited_by_name_is_not() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    let code = invite(store, Some("D01"), Role::Officer).await;
    let reply = chat.say(OFFICER, &format!("/start {code}")).await;
    let telegram_name = format!("用户{OFFICER}");
    assert_has(
        &reply,
        &shown(ZH, "bot.join.ask_name", &[("name", &telegram_name)]),
    );
    let reply = chat.say(OFFICER, "  王小明 ").await;
    let person = store
        .person_by_telegram(OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.name, "王小明");
    assert!(person.name_confirmed);
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.name.done",
            &[("name", "王小明"), ("number", &person.id.to_string())],
        ),
    );
    // Once the name is known, a plain text is no longer taken for it.
    assert_eq!(
        chat.say(OFFICER, "你好").await,
        shown(ZH, "bot.no_form", &[])
    );

    let named = store
        .create_named_invite(
            Some("D02"),
            Role::Officer,
            Some("李红"),
            Duration::days(7),
            now(),
            &office(),
        )
        .await
        .unwrap();
    let reply = chat
        .say(OTHER_OFFICER, &format!("/start {}", named.code))
        .await;
    assert!(!reply.contains(&shown(ZH, "bot.join.ask_name", &[("name", "李红")])));
    let person = store
        .person_by_telegram(OTHER_OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.name, "李红");

    // The office corrects a name; a name with a control character is refused.
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    chat.say(OFFICE, &format!("/rename {} 李宏", person.id))
        .await;
    let person = store
        .person_by_telegram(OTHER_OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.name, "李宏");
    let reply = chat.say(OFFICER, "/name 王\u{7}小明").await;
    let problem = describe_problem(ZH, &Problem::ControlCharacter);
    assert_eq!(
        reply,
        shown(ZH, "bot.name.refused", &[("problem", &problem)])
    );
    db.finish().await;
}

#[tokio::test]
async fn long_remarks_are_refused_where_they_arrive_and_a_long_breakdown_is_cut_to_one_message() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let id = file_many(store, 1).await[0];
    let too_long = shown(ZH, "problem.too_long", &[("limit", "500")]);
    let reason = "理".repeat(501);
    assert_eq!(
        chat.say(OFFICE, &format!("/return {id} {reason}")).await,
        too_long
    );
    let subject = "题".repeat(201);
    assert_eq!(
        chat.say(OFFICE, &format!("/commission D01 2026-06-30 {subject}"))
            .await,
        shown(ZH, "problem.too_long", &[("limit", "200")])
    );

    // Forty adoptions of items never filed here, each with a long title.
    for n in 0..40 {
        let adoption = NewAdoption {
            item: ItemTarget::External {
                unit_code: "D01".into(),
                title: format!("{n}{}", "长".repeat(190)),
            },
            level: AdoptionLevel::InternalPublication,
            form: AdoptionForm::Combined,
            on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        };
        store.add_adoption(&adoption, &office()).await.unwrap();
    }
    chat.say(OFFICER, "/score").await;
    assert_eq!(chat.last.len(), 1, "one message: {}", chat.text());
    assert_has(
        &chat.text(),
        &shown(ZH, "bot.score.more", &[("count", "21")]),
    );
    db.finish().await;
}

#[tokio::test]
async fn the_issuing_unit_filled_in_is_said_and_not_counted_as_a_question() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    chat.say(OFFICER, "/submit").await;
    chat.press(OFFICER, Action::Choose("4".into())).await;
    chat.say(OFFICER, "标题").await;
    chat.say(OFFICER, "正文").await;
    let reply = chat.say(OFFICER, "市总办公室").await;
    let label = t(ZH, "field.label.issuing_unit", &[]);
    let filled = shown(
        ZH,
        "form.filled_in",
        &[("label", &label), ("value", "中山区总工会")],
    );
    assert_has(&reply, &filled);
    assert_has(
        &reply,
        &shown(ZH, "form.progress", &[("number", "5"), ("total", "8")]),
    );
    assert!(reply.find(&filled) < reply.find(&shown(ZH, "field.ask.signer", &[])));
    db.finish().await;
}

/// How many 不采用 decisions an item has.
async fn declines(store: &Store, item: i64) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM item_declines WHERE item_id = $1")
        .bind(item)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_item_stays_new_until_opened_or_decided_and_not_adopted_is_recorded_once_without_points()
{
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let ids = file_many(store, 3).await;
    let (read, declined, left) = (ids[0], ids[1], ids[2]);

    // Listed twice, still new both times.
    for _ in 0..2 {
        let reply = chat.say(OFFICE, "/inbox").await;
        assert_has(&reply, &shown(ZH, "bot.inbox.title", &[("count", "3")]));
        assert!(chat.buttons().contains(&format!("na:{declined}")));
    }

    // Read opens it: no longer new.
    chat.press_data(OFFICE, &format!("it:{read}")).await;
    let reply = chat.say(OFFICE, "/inbox").await;
    assert_has(&reply, &shown(ZH, "bot.inbox.title", &[("count", "2")]));
    assert!(!reply.contains("来稿0"), "{reply}");

    // 不采用, tapped twice: one decision, no points moved.
    let standings = chat.say(OFFICE, "/standings").await;
    let first = chat.press_data(OFFICE, &format!("na:{declined}")).await;
    assert_eq!(
        first,
        shown(
            ZH,
            "bot.inbox.declined",
            &[("number", &declined.to_string()), ("title", "来稿1")]
        )
    );
    let second = chat.press_data(OFFICE, &format!("na:{declined}")).await;
    assert_has(
        &second,
        &shown(
            ZH,
            "bot.inbox.declined_before",
            &[
                ("number", &declined.to_string()),
                ("title", "来稿1"),
                ("name", &format!("用户{OFFICE}")),
                ("at", "2026-05-11 10:00"),
            ],
        ),
    );
    assert_eq!(declines(store, declined).await, 1);
    assert_eq!(chat.say(OFFICE, "/standings").await, standings);

    // Shown on the item, with who and when.
    let item = chat.say(OFFICE, &format!("/item {declined}")).await;
    assert_has(
        &item,
        &shown(
            ZH,
            "bot.item.declined",
            &[
                ("name", &format!("用户{OFFICE}")),
                ("at", "2026-05-11 10:00"),
            ],
        ),
    );

    // The inbox keeps only the one neither opened nor decided; the undecided view keeps the
    // opened one too, and not the declined one.
    let reply = chat.say(OFFICE, "/inbox").await;
    assert_has(&reply, &shown(ZH, "bot.inbox.title", &[("count", "1")]));
    assert_has(&reply, "来稿2");
    let all = chat.say(OFFICE, "/inbox all").await;
    let quarter = t(ZH, "period.quarter.2", &[("year", "2026")]);
    assert_has(
        &all,
        &shown(
            ZH,
            "bot.inbox.undecided_title",
            &[("quarter", &quarter), ("count", "2")],
        ),
    );
    assert!(
        all.contains("来稿0") && all.contains("来稿2") && !all.contains("来稿1"),
        "{all}"
    );
    assert!(chat.buttons().contains(&format!("it:{left}")));

    // Not for officers.
    assert_eq!(
        chat.press_data(OFFICER, &format!("na:{left}")).await,
        shown(ZH, "bot.office_only", &[])
    );
    assert_eq!(declines(store, left).await, 0);
    db.finish().await;
}

/// The part of a prompt before its first placeholder.
fn start_of(key: &str) -> String {
    let text = shown(ZH, key, &[]);
    text.split('{').next().unwrap_or(&text).to_string()
}

#[tokio::test]
async fn an_instruction_is_shown_whole_recorded_once_on_confirm_and_a_second_at_its_level_asks_first()
 {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    join(&mut chat, store, OTHER_OFFICE, None, Role::Office).await;
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    let id = file_many(store, 1).await[0].to_string();
    let level = t(
        ZH,
        "instruction_level.provincial_federation_or_city_leaders",
        &[],
    );
    let instructions = || async { store.counts().await.unwrap().instructions };

    // Shown whole, with what it adds; nothing recorded, no one told.
    let reply = chat.say(OFFICE, &format!("/instruct {id} 市领导")).await;
    let about = [
        ("number", id.as_str()),
        ("title", "来稿0"),
        ("unit", "中山区总工会"),
        ("level", level.as_str()),
        ("points", "6"),
    ];
    assert_has(&reply, &shown(ZH, "bot.instruct.about", &about));
    assert_has(&reply, &shown(ZH, "form.summary", &[]));
    assert!(!reply.contains('⚠'), "nothing to repeat yet: {reply}");
    assert_eq!(instructions().await, 0, "nothing before the confirmation");
    assert!(store.due_messages(now(), 10).await.unwrap().is_empty());

    // The confirm press records it; a double tap records nothing more.
    let confirm = chat.button(&Action::Confirm);
    let reply = chat.press_data(OFFICE, &confirm).await;
    let done = [
        ("id", "1"),
        ("title", "来稿0"),
        ("level", level.as_str()),
        ("points", "6"),
    ];
    assert_eq!(reply, shown(ZH, "bot.instruct.done", &done));
    let again = chat.press_data(OFFICE, &confirm).await;
    assert_eq!(again, shown(ZH, "form.already_stored", &[]));
    assert_eq!(instructions().await, 1);
    assert_eq!(store.due_messages(now(), 10).await.unwrap().len(), 1);

    // The same item and level again: the summary says what stands, when and by whom.
    let reply = chat.say(OFFICE, &format!("/instruct {id} 3 昨天")).await;
    let earlier = [
        ("id", "1"),
        ("level", level.as_str()),
        ("date", &today().to_string()),
        // Named by name and number, never by address.
        ("by", "用户2001（人员编号 1）"),
    ];
    assert_has(&reply, &shown(ZH, "bot.instruct.earlier", &earlier));
    assert_has(&reply, &shown(ZH, "bot.instruct.second", &[]));
    assert_eq!(instructions().await, 1, "asking records nothing");
    // Cancelled: nothing more.
    chat.press(OFFICE, Action::Cancel).await;
    assert_eq!(instructions().await, 1);

    // Another level is not a repeat.
    let reply = chat.say(OFFICE, &format!("/instruct {id} 1")).await;
    assert!(!reply.contains('⚠'), "{reply}");
    chat.press(OFFICE, Action::Cancel).await;

    // Two members at once: the second to confirm is shown the first's record before any.
    chat.say(OFFICE, &format!("/instruct {id} 3")).await;
    let first = chat.button(&Action::Confirm);
    chat.say(OTHER_OFFICE, &format!("/instruct {id} 3")).await;
    let second = chat.button(&Action::Confirm);
    chat.press_data(OFFICE, &first).await;
    assert_eq!(instructions().await, 2, "a second, confirmed as such");
    let reply = chat.press_data(OTHER_OFFICE, &second).await;
    assert_has(&reply, &shown(ZH, "bot.second.not_yet", &[]));
    assert_has(&reply, &start_of("bot.instruct.earlier"));
    assert_eq!(instructions().await, 2, "not a third until confirmed again");
    chat.press(OTHER_OFFICE, Action::Confirm).await;
    assert_eq!(instructions().await, 3);
    db.finish().await;
}

#[tokio::test]
async fn a_commission_is_shown_whole_recorded_once_on_confirm_and_a_second_on_its_subject_asks_first()
 {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    let unit = store.unit_by_code("D01").await.unwrap().unwrap().id;
    let commissions = || async { store.open_commissions(unit).await.unwrap().len() };
    let text = "/commission D01 2026-12-20 职工冬季取暖补贴落实情况";

    let reply = chat.say(OFFICE, text).await;
    let about = [("unit", "中山区总工会"), ("code", "D01")];
    assert_has(&reply, &shown(ZH, "bot.commission.about", &about));
    assert_has(&reply, "职工冬季取暖补贴落实情况");
    assert_has(&reply, "2026-12-20");
    assert_eq!(commissions().await, 0, "nothing before the confirmation");
    assert!(store.due_messages(now(), 10).await.unwrap().is_empty());

    let confirm = chat.button(&Action::Confirm);
    let reply = chat.press_data(OFFICE, &confirm).await;
    let done = [
        ("id", "1"),
        ("unit", "中山区总工会"),
        ("due", "2026-12-20"),
        ("told", "1"),
    ];
    assert_eq!(reply, shown(ZH, "bot.commission.done", &done));
    chat.press_data(OFFICE, &confirm).await;
    assert_eq!(commissions().await, 1, "a double tap records once");
    assert_eq!(
        store.due_messages(now(), 10).await.unwrap().len(),
        1,
        "and tells once"
    );

    // The same unit and subject again: asked first, with who commissioned it and its deadline.
    let reply = chat.say(OFFICE, text).await;
    assert_has(&reply, &start_of("bot.commission.earlier"));
    assert_has(&reply, "由用户2001（人员编号 1）记录，截止 2026-12-20");
    assert_has(&reply, &shown(ZH, "bot.commission.second", &[]));
    assert_eq!(commissions().await, 1);
    chat.press(OFFICE, Action::Confirm).await;
    assert_eq!(commissions().await, 2, "really a second, once confirmed");

    // Another subject is not a repeat, and is a commission of its own.
    let reply = chat
        .say(OFFICE, "/commission D01 2026-12-20 职工疗休养情况")
        .await;
    assert!(!reply.contains('⚠'), "{reply}");
    chat.press(OFFICE, Action::Confirm).await;
    assert_eq!(commissions().await, 3);
    db.finish().await;
}

#[tokio::test]
async fn a_commission_due_before_today_is_refused_with_the_reason_in_both_languages() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let problem = Problem::DeadlinePassed {
        value: (today() - Duration::days(1)).to_string(),
        today: today().to_string(),
    };
    let reply = chat
        .say(OFFICE, "/commission D01 昨天 职工冬季取暖补贴落实情况")
        .await;
    assert_eq!(reply, describe_problem(ZH, &problem));
    assert!(reply.contains("已经过了"), "{reply}");
    chat.say(OFFICE, "/lang").await;
    chat.press_data(OFFICE, "l:en").await;
    let reply = chat
        .say(OFFICE, "/commission D01 昨天 职工冬季取暖补贴落实情况")
        .await;
    assert_eq!(reply, describe_problem(Locale::En, &problem));
    assert!(reply.contains("has passed"), "{reply}");
    // Today is a deadline still to come.
    let reply = chat
        .say(OFFICE, "/commission D01 今天 职工冬季取暖补贴落实情况")
        .await;
    assert!(!chat.buttons().is_empty(), "{reply}");
    let unit = store.unit_by_code("D01").await.unwrap().unwrap().id;
    assert!(store.open_commissions(unit).await.unwrap().is_empty());
    db.finish().await;
}
