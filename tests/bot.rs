//! The bot through a mock Bot API: what a person sees (by prompt text, rendered with
//! `i18n::t` and escaped as the bot escapes it) and what is stored, on a fresh SQLite database
//! per scenario. The mock API runs one bot at a time, so the scenarios take turns.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use teloxide_tests::{MockMessageText, MockPrivateChat, MockUser};
use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{Category, Role, UnitKind};
use unionbot::forms::Action;
use unionbot::i18n::{Locale, describe_problem, escape_html, t};
use unionbot::records::{HeaderFields, NewItem, NewUnit, Problem};
use unionbot::rules::Rules;
use unionbot::store::Store;

use common::TestDb;
use common::chat::*;

/// The mock Bot API is one per process: scenarios wait for each other here.
static SERIAL: Mutex<()> = Mutex::const_new(());

const OFFICER: u64 = 1001;
const OTHER_OFFICER: u64 = 1002;
const OFFICE: u64 = 2001;
const ZH: Locale = Locale::ZhCn;

/// A period's code as a Chinese heading shows it (`2026年第二季度`).
fn label(code: &str) -> String {
    code.parse::<unionbot::period::Period>().unwrap().label(ZH)
}

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent_code: parent.map(str::to_string),
    }
}

/// A database with three units, and the bot over it on a fixed clock.
async fn world() -> (TestDb, App) {
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
    let app = App::new(db.store.clone(), Rules::default()).with_clock(now);
    (db, app)
}

fn item(unit: &str, title: &str, filed_at: DateTime<Utc>) -> NewItem {
    NewItem {
        reference: None,
        unit_code: unit.into(),
        filed_at,
        title: title.into(),
        category: Category::new(4).unwrap(),
        commissioned: false,
        officer: None,
        body: Some("正文".into()),
        header: HeaderFields::default(),
    }
}

fn asks(field: &str) -> String {
    shown(ZH, &format!("field.ask.{field}"), &[])
}

/// The question of a field whose prompt has placeholders: the part before the first one.
fn asks_start(field: &str) -> String {
    let text = t(ZH, &format!("field.ask.{field}"), &[]);
    escape_html(text.split('{').next().unwrap_or(&text))
}

#[tokio::test]
async fn a_full_filing_with_a_refusal_back_edit_cancel_and_a_double_confirm_stores_one_item() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let due = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let commission = store
        .add_commission("D01", "医保新政反映", due, &office())
        .await
        .unwrap();
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;

    // A form begun and cancelled stores nothing and leaves no draft.
    let reply = chat.say(OFFICER, "/submit").await;
    assert_has(&reply, &shown(ZH, "bot.submit.intro", &[]));
    assert_has(&reply, &asks("category"));
    chat.press(OFFICER, Action::Choose("4".into())).await;
    let reply = chat.say(OFFICER, "/cancel").await;
    assert_has(&reply, &shown(ZH, "form.cancelled", &[]));
    assert_eq!(store.load_dialogue(OFFICER as i64).await.unwrap(), None);
    assert_has(
        &chat.say(OFFICER, "/drafts").await,
        &shown(ZH, "bot.form.no_drafts", &[]),
    );

    // The office's commission is offered.
    chat.say(OFFICER, "/submit").await;
    let reply = chat.press(OFFICER, Action::Choose("4".into())).await;
    assert_has(&reply, &asks("commission"));
    assert!(
        chat.labels().iter().any(|l| l.contains("医保新政反映")),
        "{:?}",
        chat.labels()
    );
    let reply = chat
        .press(OFFICER, Action::Choose(commission.to_string()))
        .await;
    assert_has(&reply, &asks_start("title"));

    // A refused answer is asked again with the reason.
    let reply = chat.say(OFFICER, "   ").await;
    let reason = describe_problem(ZH, &Problem::Empty);
    assert_has(&reply, &shown(ZH, "form.refused", &[("problem", &reason)]));
    assert_has(&reply, &asks_start("title"));
    chat.say(OFFICER, "职工关注医保新政 <新>").await;
    let reply = chat.send_photo(OFFICER).await;
    let reason = describe_problem(
        ZH,
        &Problem::NotText {
            kind: "photo".into(),
        },
    );
    assert_has(&reply, &shown(ZH, "form.refused", &[("problem", &reason)]));

    // Back to the title, which is kept.
    let reply = chat.say(OFFICER, "/back").await;
    assert_has(&reply, &asks_start("title"));
    assert_has(
        &reply,
        &shown(ZH, "form.current", &[("value", "职工关注医保新政 <新>")]),
    );
    let reply = chat.press(OFFICER, Action::Keep).await;
    assert_has(&reply, &asks_start("body"));
    chat.say(OFFICER, "近期，我区职工普遍关注医保新政。").await;
    chat.say(OFFICER, "市总办公室").await;
    chat.say(OFFICER, "张三").await;
    let reply = chat.say(OFFICER, "李四").await;
    assert_has(&reply, &asks("dated"));
    chat.press(OFFICER, Action::Choose(today().to_string()))
        .await;
    let reply = chat.say(OFFICER, "30").await;
    assert_has(&reply, &shown(ZH, "form.summary", &[]));
    assert_has(&reply, "中山区总工会");

    // Edit from the summary, back to the summary.
    chat.press(OFFICER, Action::Edit("copies".into())).await;
    let reply = chat.say(OFFICER, "40").await;
    assert_has(&reply, &shown(ZH, "form.summary", &[]));
    assert_has(&reply, "职工关注医保新政 &lt;新&gt;");
    let copies = t(ZH, "field.label.copies", &[]);
    assert_has(
        &reply,
        &shown(
            ZH,
            "form.summary_line",
            &[("label", &copies), ("value", "40")],
        ),
    );
    assert_eq!(
        store.counts().await.unwrap().items,
        0,
        "nothing is stored before confirming"
    );

    // Confirm, then the same confirmation again (pressed twice, or delivered twice).
    let confirm = chat.button(&Action::Confirm);
    let reply = chat.press_data(OFFICER, &confirm).await;
    let d01 = store.unit_by_code("D01").await.unwrap().unwrap().id;
    let stored = store.items_of_unit(d01, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    let number = stored[0].id.to_string();
    assert_has(&reply, &shown(ZH, "form.stored", &[("number", &number)]));
    let standing = [
        ("quarter", "2026年第二季度"),
        ("filed", "1"),
        ("points", "2"),
        ("cap", "10"),
        ("left", "10"),
    ];
    assert_has(&reply, &shown(ZH, "bot.submit.standing", &standing));
    let reply = chat.press_data(OFFICER, &confirm).await;
    assert_has(&reply, &shown(ZH, "form.already_stored", &[]));
    // The very same update handled again: its replies are keyed by the button press, so
    // nothing is said twice and nothing stored twice.
    let reply = chat.dispatch().await;
    assert_eq!(reply, "", "no second reply to one update");
    assert_eq!(
        store.counts().await.unwrap().items,
        1,
        "one item, however often confirmed"
    );
    let item = store.item(stored[0].id).await.unwrap().unwrap();
    assert_eq!(item.title, "职工关注医保新政 <新>");
    assert_eq!(item.filed_by_telegram, Some(OFFICER as i64));
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn joining_works_with_a_good_code_and_refuses_a_used_an_expired_or_an_unknown_one() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    let code = invite(store, Some("D02"), Role::Officer).await;
    let reply = chat.say(OFFICER, &format!("/start {code}")).await;
    let role = t(ZH, "role.officer", &[]);
    assert_has(
        &reply,
        &shown(
            ZH,
            "bot.join.welcome",
            &[
                ("name", &format!("用户{OFFICER}")),
                ("unit", "西岗区总工会"),
                ("role", &role),
            ],
        ),
    );
    let person = store
        .person_by_telegram(OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.unit_code.as_deref(), Some("D02"));
    assert_eq!(person.role, Role::Officer);

    let reply = chat.say(OTHER_OFFICER, &format!("/start {code}")).await;
    assert_eq!(reply, shown(ZH, "bot.join.used", &[]));
    assert!(
        store
            .person_by_telegram(OTHER_OFFICER as i64)
            .await
            .unwrap()
            .is_none()
    );

    let old = store
        .create_invite(
            Some("D02"),
            Role::Officer,
            Duration::days(1),
            now() - Duration::days(2),
            &office(),
        )
        .await
        .unwrap();
    let reply = chat
        .say(OTHER_OFFICER, &format!("/start {}", old.code))
        .await;
    assert_eq!(reply, shown(ZH, "bot.join.expired", &[]));
    let reply = chat.say(OTHER_OFFICER, "/start NOSUCHCODE").await;
    assert_eq!(reply, shown(ZH, "bot.join.unknown", &[]));
    assert!(
        store
            .person_by_telegram(OTHER_OFFICER as i64)
            .await
            .unwrap()
            .is_none()
    );

    // The language is the person's: English by button, then everything in English.
    chat.say(OFFICER, "/lang").await;
    let reply = chat.press_data(OFFICER, "l:en").await;
    assert_eq!(reply, shown(Locale::En, "bot.lang.set", &[]));
    let reply = chat.say(OFFICER, "/guidance").await;
    assert_eq!(
        reply,
        shown(Locale::En, "bot.guidance.none", &[("quarter", "2026Q2")])
    );
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn an_unregistered_user_gets_the_explanation_and_nothing_else() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    let explanation = shown(ZH, "bot.unregistered", &[]);
    for text in ["/start", "/score", "/submit", "/inbox", "你好", "/adopt 1"] {
        assert_eq!(chat.say(STRANGER, text).await, explanation, "{text}");
    }
    assert_eq!(chat.press_data(STRANGER, "m:submit").await, explanation);
    // Someone whose Telegram speaks English is told in English.
    let user = MockUser::new().id(STRANGER).language_code("en-US").build();
    let message = MockMessageText::new()
        .text("hello")
        .from(user)
        .chat(MockPrivateChat::new().id(STRANGER as i64).build());
    chat.bot.update(message);
    assert_eq!(
        chat.dispatch().await,
        shown(Locale::En, "bot.unregistered", &[])
    );
    assert_eq!(store.load_dialogue(STRANGER as i64).await.unwrap(), None);
    assert_eq!(store.counts().await.unwrap().items, 0);
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn an_officer_trying_an_office_command_or_a_forged_button_is_refused() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    store
        .add_item(&item("D01", "标题", now()), &office())
        .await
        .unwrap();
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    let refusal = shown(ZH, "bot.office_only", &[]);
    for text in [
        "/inbox",
        "/adopt 1",
        "/veto D01 late 迟报",
        "/invite office",
        "/retract item 1 错误",
    ] {
        assert_eq!(chat.say(OFFICER, text).await, refusal, "{text}");
    }
    assert_eq!(chat.press_data(OFFICER, "ad:1").await, refusal);
    // A forged or stale form button changes nothing and says so.
    let stale = shown(ZH, "form.stale_button", &[]);
    assert_eq!(chat.press_data(OFFICER, "f1:a:1:c").await, stale);
    assert_eq!(chat.press_data(OFFICER, "f1:i:99:v:4").await, stale);
    assert_eq!(chat.press_data(OFFICER, "whatever").await, stale);
    let counts = store.counts().await.unwrap();
    assert_eq!(
        (counts.adoptions, counts.vetoes, counts.retractions),
        (0, 0, 0)
    );
    drop(chat);
    db.finish().await;
}

/// Runs the command line on the database and reads its JSON.
async fn cli_json(url: &str, args: &[&str]) -> serde_json::Value {
    use clap::Parser;
    let mut argv = vec!["unionbot", "--database", url];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--format", "json"]);
    let cli = unionbot::cli::Cli::try_parse_from(argv).unwrap();
    let mut out = Vec::new();
    unionbot::cli::run(cli, &mut out).await.unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[tokio::test]
async fn score_and_standings_in_chat_match_the_command_line() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let in_q2 = |day: u32| Utc.with_ymd_and_hms(2026, 4, day, 3, 0, 0).unwrap();
    for (i, unit) in ["D01", "D01", "D01", "D02", "P01", "P01"]
        .iter()
        .enumerate()
    {
        store
            .add_item(
                &item(unit, &format!("第{i}条"), in_q2(i as u32 + 1)),
                &office(),
            )
            .await
            .unwrap();
    }
    store
        .add_item(
            &item(
                "D02",
                "一季度的",
                Utc.with_ymd_and_hms(2026, 2, 1, 3, 0, 0).unwrap(),
            ),
            &office(),
        )
        .await
        .unwrap();
    let adoption = unionbot::records::NewAdoption {
        item: unionbot::records::ItemTarget::Number(1),
        level: unionbot::domain::AdoptionLevel::MunicipalCommittee,
        form: unionbot::domain::AdoptionForm::Single,
        on: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
    };
    store.add_adoption(&adoption, &office()).await.unwrap();
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;

    let reply = chat.say(OFFICER, "/score").await;
    for period in ["2026Q2", "2026"] {
        let cli = cli_json(&db.url, &["score", "--unit", "D01", "--period", period]).await;
        let points = cli["points"].to_string().trim_matches('"').to_string();
        let heading = label(period);
        let title = [
            ("name", "中山区总工会"),
            ("code", "D01"),
            ("period", heading.as_str()),
            ("points", &points),
        ];
        assert_has(&reply, &shown(ZH, "score.title", &title));
        if period == "2026Q2" {
            for line in cli["lines"].as_array().unwrap() {
                assert_has(&reply, &escape_html(line["text"].as_str().unwrap()));
            }
        }
    }

    for (args, period) in [("", "2026Q2"), (" 2026", "2026"), (" 2026Q1", "2026Q1")] {
        let reply = chat.say(OFFICER, &format!("/standings{args}")).await;
        let heading = label(period);
        assert_has(
            &reply,
            &shown(ZH, "standings.title", &[("period", &heading)]),
        );
        let cli = cli_json(&db.url, &["standings", "--period", period]).await;
        let rows = cli.as_array().unwrap();
        assert!(!rows.is_empty());
        for row in rows {
            let field = |k: &str| row[k].to_string().trim_matches('"').to_string();
            let line = [
                ("rank", field("rank")),
                ("name", field("name")),
                ("code", field("unit")),
                ("points", field("points")),
            ];
            let line: Vec<(&str, &str)> = line.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_has(&reply, &shown(ZH, "bot.standings.line", &line));
        }
        if period == "2026Q2" {
            let rank = rows.iter().find(|r| r["unit"] == "D01").unwrap()["rank"].to_string();
            assert_has(
                &chat.say(OFFICER, "/score").await,
                &shown(
                    ZH,
                    "bot.score.rank",
                    &[("rank", &rank), ("count", &rows.len().to_string())],
                ),
            );
        }
    }
    assert_has(
        &chat.say(OFFICER, "/standings 2026Q5").await,
        &shown(ZH, "error.bad_period", &[("value", "2026Q5")]),
    );
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn an_adoption_recorded_in_chat_notifies_the_officer_through_the_outbox() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    store
        .add_item(&item("D01", "往年的信息", now()), &office())
        .await
        .unwrap();
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    file_item(&mut chat, OFFICER, "职工关注医保新政").await;
    let number = 2;

    // The inbox shows the new item until the office opens it.
    let reply = chat.say(OFFICE, "/inbox").await;
    assert_has(&reply, "职工关注医保新政");
    assert_has(&chat.say(OFFICE, "/inbox").await, "职工关注医保新政");
    chat.press_data(OFFICE, &format!("it:{number}")).await;
    assert_eq!(
        chat.say(OFFICE, "/inbox").await,
        shown(ZH, "bot.inbox.empty", &[])
    );

    let reply = chat.say(OFFICE, "/adopt 医保").await;
    let about = [
        ("number", number.to_string()),
        ("title", "职工关注医保新政".into()),
        ("unit", "中山区总工会".into()),
    ];
    let about: Vec<(&str, &str)> = about.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_has(&reply, &shown(ZH, "bot.adopt.about", &about));
    assert_has(&reply, &asks("level"));
    chat.press(OFFICE, Action::Choose("municipal_committee".into()))
        .await;
    let reply = chat.press(OFFICE, Action::Choose("single".into())).await;
    assert_has(&reply, &asks("adopted_on"));
    chat.press(OFFICE, Action::Choose(today().to_string()))
        .await;
    let confirm = chat.button(&Action::Confirm);
    let reply = chat.press_data(OFFICE, &confirm).await;
    let level = t(ZH, "adoption_level.municipal_committee", &[]);
    let form = t(ZH, "adoption_form.single", &[]);
    let done = [
        ("id", "1"),
        ("title", "职工关注医保新政"),
        ("level", &level),
        ("form", &form),
        ("points", "6"),
    ];
    assert_has(&reply, &shown(ZH, "bot.adopt.done", &done));
    assert_eq!(store.counts().await.unwrap().adoptions, 1);

    let notice = [
        ("title", "职工关注医保新政"),
        ("level", &level),
        ("form", &form),
        ("points", "6"),
    ];
    let queued = store.due_messages(now(), 10).await.unwrap();
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(queued[0].chat_id, OFFICER as i64);
    assert_eq!(queued[0].text, shown(ZH, "bot.notice.adopted", &notice));

    // A second press of the same confirmation records nothing more and tells no one again.
    let reply = chat.press_data(OFFICE, &confirm).await;
    assert_has(&reply, &shown(ZH, "form.already_stored", &[]));
    assert_eq!(store.counts().await.unwrap().adoptions, 1);
    assert_eq!(store.due_messages(now(), 10).await.unwrap().len(), 1);
    drop(chat);
    db.finish().await;
}

#[tokio::test]
async fn a_form_half_filled_before_a_restart_goes_on_after_it() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let mut chat = Chat::new(&app);
    join(&mut chat, &db.store, OFFICER, Some("D01"), Role::Officer).await;
    chat.say(OFFICER, "/submit").await;
    chat.press(OFFICER, Action::Choose("9".into())).await;
    let reply = chat.say(OFFICER, "创新工作经验").await;
    assert_has(&reply, &asks_start("body"));
    drop(chat);
    drop(app);

    // A new bot process over the same database.
    let store = Store::connect(&db.url).await.unwrap();
    let app = App::new(store.clone(), Rules::default()).with_clock(now);
    let mut chat = Chat::new(&app);
    let reply = chat.say(OFFICER, "/drafts").await;
    assert_has(&reply, &shown(ZH, "form.resumed", &[]));
    assert_has(&reply, &asks_start("body"));
    let reply = chat.say(OFFICER, "正文内容").await;
    assert_has(&reply, &asks("distribution_scope"));
    let state: serde_json::Value =
        serde_json::from_str(&store.load_dialogue(OFFICER as i64).await.unwrap().unwrap()).unwrap();
    assert_eq!(state["values"]["title"]["value"], "创新工作经验");
    assert_eq!(state["values"]["body"]["value"], "正文内容");
    drop(chat);
    store.close().await;
    db.finish().await;
}

#[tokio::test]
async fn the_office_returns_instructs_commissions_vetoes_retracts_and_invites_in_chat() {
    let _turn = SERIAL.lock().await;
    let (db, app) = world().await;
    let store = &db.store;
    let mut chat = Chat::new(&app);
    join(&mut chat, store, OFFICER, Some("D01"), Role::Officer).await;
    join(&mut chat, store, OFFICE, None, Role::Office).await;
    let menus = chat.bot.get_responses().set_my_commands;
    let office_menu = unionbot::bot::command_list(
        ZH,
        unionbot::bot::MenuOf {
            role: Role::Office,
            has_unit: false,
        },
    );
    assert!(
        menus.iter().any(|m| m.commands.len() == office_menu.len()),
        "the office gets the office's menu"
    );
    file_item(&mut chat, OFFICER, "职工关注医保新政").await;

    // 退稿: the officer who filed it is told why.
    assert_eq!(
        chat.say(OFFICE, "/return").await,
        shown(ZH, "bot.usage.return", &[])
    );
    let reply = chat.say(OFFICE, "/return #1 请补充具体数据").await;
    let done = [
        ("number", "1"),
        ("title", "职工关注医保新政"),
        ("told", "1"),
    ];
    assert_eq!(reply, shown(ZH, "bot.return.done", &done));
    let notice = [
        ("number", "1"),
        ("title", "职工关注医保新政"),
        ("reason", "请补充具体数据"),
    ];

    // An instruction by its level's number in the list, with its points, once confirmed.
    chat.say(OFFICE, "/instruct 1 3").await;
    let reply = chat.press(OFFICE, Action::Confirm).await;
    let level = t(
        ZH,
        "instruction_level.provincial_federation_or_city_leaders",
        &[],
    );
    let done = [
        ("id", "1"),
        ("title", "职工关注医保新政"),
        ("level", &level),
        ("points", "6"),
    ];
    assert_eq!(reply, shown(ZH, "bot.instruct.done", &done));

    // A commission: once confirmed, the unit's officers are told.
    chat.say(OFFICE, "/commission D01 2026-06-30 职工医保新政反映")
        .await;
    let reply = chat.press(OFFICE, Action::Confirm).await;
    let done = [
        ("id", "1"),
        ("unit", "中山区总工会"),
        ("due", "2026-06-30"),
        ("told", "1"),
    ];
    assert_eq!(reply, shown(ZH, "bot.commission.done", &done));

    let queued = store.due_messages(now(), 10).await.unwrap();
    let texts: Vec<(i64, String)> = queued.into_iter().map(|m| (m.chat_id, m.text)).collect();
    let instructed = [
        ("title", "职工关注医保新政"),
        ("level", level.as_str()),
        ("points", "6"),
    ];
    let commissioned = [("subject", "职工医保新政反映"), ("due", "2026-06-30")];
    for expected in [
        shown(ZH, "bot.notice.returned", &notice),
        shown(ZH, "bot.notice.instructed", &instructed),
        shown(ZH, "bot.notice.commissioned", &commissioned),
    ] {
        assert!(
            texts.contains(&(OFFICER as i64, expected.clone())),
            "{expected} in {texts:?}"
        );
    }
    assert_eq!(texts.len(), 3);

    // The officer sees what became of the item.
    let mine = chat.say(OFFICER, "/mine").await;
    assert_has(
        &mine,
        &shown(
            ZH,
            "bot.mine.returned_on",
            &[("date", "2026-05-11"), ("reason", "请补充具体数据")],
        ),
    );
    let instructed = [("level", level.as_str()), ("date", "2026-05-11")];
    assert_has(&mine, &shown(ZH, "bot.mine.instructed", &instructed));
    // The commission stays in `/mine` until an item answers it.
    assert_has(&mine, &shown(ZH, "bot.mine.commission", &commissioned));

    // A veto, confirmed (see bot_office.rs), then its retraction, once only.
    chat.say(OFFICE, "/veto D02 late 紧急信息迟报").await;
    let reply = chat.press(OFFICE, Action::Confirm).await;
    let kind = t(ZH, "veto_kind.late", &[]);
    let done = [
        ("id", "1"),
        ("unit", "西岗区总工会"),
        ("kind", kind.as_str()),
        ("told", "0"),
    ];
    assert_eq!(reply, shown(ZH, "bot.veto.done", &done));
    assert_eq!(
        chat.say(OFFICE, "/veto X99 late 迟报").await,
        shown(ZH, "error.unknown_unit", &[("code", "X99")])
    );
    assert_eq!(
        chat.say(OFFICE, "/retract veto 1 记录有误").await,
        shown(ZH, "retract.done", &[("id", "1")])
    );
    assert_eq!(
        chat.say(OFFICE, "/retract veto 1 记录有误").await,
        shown(ZH, "error.already_retracted", &[("id", "1")])
    );
    let counts = store.counts().await.unwrap();
    assert_eq!(
        (counts.vetoes, counts.retractions, counts.instructions),
        (1, 1, 1)
    );

    // An invitation made in chat works.
    assert_has(
        &chat.say(OFFICE, "/invite officer").await,
        &shown(ZH, "bot.usage.invite", &[]),
    );
    let reply = chat.say(OFFICE, "/invite officer D02").await;
    let link = &reply[reply
        .find("https://t.me/test_bot?start=")
        .expect("an invitation link")..];
    let code = link
        .trim_start_matches("https://t.me/test_bot?start=")
        .trim();
    chat.say(OTHER_OFFICER, &format!("/start {code}")).await;
    let joined = store
        .person_by_telegram(OTHER_OFFICER as i64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(joined.unit_code.as_deref(), Some("D02"));
    drop(chat);
    db.finish().await;
}
