//! The quarterly bulletin (通报) on every backend: stored once as a numbered snapshot that later
//! records do not change, its messages queued once per person (again only when forced), to the
//! heads of units and the office; the command line and the office's `/bulletin`.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sqlx::Row;
use tokio::sync::Mutex;

use unionbot::bot::App;
use unionbot::domain::{AdoptionForm, AdoptionLevel, Category, Role, UnitKind, VetoKind};
use unionbot::i18n::{Locale, escape_html};
use unionbot::period::Quarter;
use unionbot::records::{
    HeaderFields, ItemTarget, NewAdoption, NewItem, NewUnit, NewVeto, Recorder,
};
use unionbot::reports::bulletin::render_text;
use unionbot::reports::bulletin_issue::{
    BulletinError, IssueRequest, bulletin_recipients, issue_bulletin, issue_bulletin_as,
    issue_bulletin_keyed, preview_bulletin, read_snapshot,
};
use unionbot::rules::Rules;
use unionbot::store::{NewUrgentReport, Store, UrgentFacts};

use common::TestDb;
use common::cli::{Office, binary};

const Q1: Quarter = Quarter {
    year: 2026,
    number: 1,
};

/// Telegram ids: the heads of d1 and d2 (d2's in English), d1's officer and leader, a head of
/// the direct-report point, and two office members.
const HEAD_D1: i64 = 11;
const HEAD_D2: i64 = 12;
const OFFICER_D1: i64 = 13;
const LEADER_D1: i64 = 14;
const HEAD_P1: i64 = 15;
const OFFICE_A: i64 = 21;
const OFFICE_B: i64 = 22;

/// The fifth day of the second quarter, 10:00 in Shanghai.
fn bulletin_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 5, 2, 0, 0).unwrap()
}

fn by() -> Recorder {
    Recorder("test:office".into())
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn item(unit: &str, reference: &str, filed_at: DateTime<Utc>) -> NewItem {
    NewItem {
        reference: Some(reference.into()),
        unit_code: unit.into(),
        filed_at,
        title: format!("来稿{reference}"),
        category: Category::new(4).unwrap(),
        commissioned: false,
        officer: None,
        body: Some("正文".into()),
        header: HeaderFields {
            distribution_scope: Some("市总领导".into()),
            issuing_unit: Some("单位".into()),
            signer: Some("张三".into()),
            responsible_person: Some("李四".into()),
            dated: Some(day("2026-02-01")),
            copies: Some(10),
        },
    }
}

fn adoption(reference: &str, level: AdoptionLevel, on: &str) -> NewAdoption {
    NewAdoption {
        item: ItemTarget::Reference(reference.into()),
        level,
        form: AdoptionForm::Single,
        on: day(on),
    }
}

/// Two districts, an industry union and a direct-report point under d1; d1 and p1 file in Q1,
/// d1's item is adopted by the municipal committee, d2 reported an urgent matter 95 minutes
/// late; the people of [`HEAD_D1`] and the rest.
async fn city(store: &Store) {
    let unit = |code: &str, name: &str, kind, parent: Option<&str>| NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent_code: parent.map(str::to_string),
    };
    let rows = vec![
        (2, unit("d1", "中山区总工会", UnitKind::District, None)),
        (3, unit("d2", "西岗区总工会", UnitKind::District, None)),
        (4, unit("in", "机械产业工会", UnitKind::Industry, None)),
        (
            5,
            unit("p1", "港务直报点", UnitKind::DirectPoint, Some("d1")),
        ),
    ];
    store.import_units(&rows, &by()).await.unwrap();
    let feb = Utc.with_ymd_and_hms(2026, 2, 10, 2, 0, 0).unwrap();
    store.add_item(&item("d1", "r1", feb), &by()).await.unwrap();
    store.add_item(&item("p1", "r2", feb), &by()).await.unwrap();
    store
        .add_item(&item("d2", "r3", feb + Duration::days(30)), &by())
        .await
        .unwrap();
    let committee = adoption("r1", AdoptionLevel::MunicipalCommittee, "2026-03-01");
    store.add_adoption(&committee, &by()).await.unwrap();
    let late = NewVeto {
        unit_code: "d2".into(),
        kind: VetoKind::Late,
        on: day("2026-03-02"),
        reason: "仓库火灾，迟报95分钟".into(),
    };
    store.add_veto(&late, &by()).await.unwrap();

    let people = [
        (HEAD_D1, Some("d1"), Role::Head),
        (HEAD_D2, Some("d2"), Role::Head),
        (OFFICER_D1, Some("d1"), Role::Officer),
        (LEADER_D1, Some("d1"), Role::Leader),
        (HEAD_P1, Some("p1"), Role::Head),
        (OFFICE_A, None, Role::Office),
        (OFFICE_B, None, Role::Office),
    ];
    let now = bulletin_day() - Duration::days(30);
    for (telegram, unit, role) in people {
        let invite = store
            .create_invite(unit, role, Duration::days(7), now, &by())
            .await
            .unwrap();
        let person = store
            .redeem_invite(&invite.code, telegram, &format!("用户{telegram}"), now)
            .await
            .unwrap();
        if telegram == HEAD_D2 {
            store.set_locale(person.id, "en").await.unwrap();
        }
    }
}

/// A queued bulletin row: key, chat, text, document (name, content), batch, bulk.
#[derive(Debug)]
struct Row_ {
    key: String,
    chat: i64,
    text: String,
    document: Option<(String, String)>,
    batch: Option<String>,
    bulk: bool,
}

async fn bulletin_rows(store: &Store) -> Vec<Row_> {
    sqlx::query(
        "SELECT idempotency_key, chat_id, text, document_name, document, batch, bulk FROM outbox \
         WHERE idempotency_key LIKE 'bulletin:%' ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        let name: Option<String> = r.get("document_name");
        let content: Option<String> = r.get("document");
        Row_ {
            key: r.get("idempotency_key"),
            chat: r.get("chat_id"),
            text: r.get("text"),
            document: name.zip(content),
            batch: r.get("batch"),
            bulk: r.get::<i64, _>("bulk") != 0,
        }
    })
    .collect()
}

async fn person_id(store: &Store, telegram: i64) -> i64 {
    store
        .person_by_telegram(telegram)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn a_bulletin_is_stored_once_numbered_and_an_adoption_recorded_later_does_not_change_it() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let rules = Rules::default();
        let first = issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), false)
            .await
            .unwrap();
        assert!(first.newly_stored);
        assert_eq!((first.year, first.number), (2026, 1));
        let stored = store.bulletin(Q1).await.unwrap().expect("stored");
        assert!(stored.text.contains("2026年第1期"), "{}", stored.text);
        let d2 = |b: &unionbot::reports::bulletin::Bulletin| {
            b.lines.iter().find(|l| l.code == "d2").unwrap().points
        };
        assert_eq!(d2(&first.bulletin).to_string(), "0.5");

        // Recorded after the issue, dated in the quarter: the next bulletin's business.
        let later = adoption("r3", AdoptionLevel::CentralOffices, "2026-03-31");
        store.add_adoption(&later, &by()).await.unwrap();
        let again = issue_bulletin(
            &store,
            &rules,
            Q1,
            bulletin_day() + Duration::days(1),
            &by(),
            false,
        )
        .await
        .unwrap();
        assert!(!again.newly_stored);
        assert_eq!(again.bulletin, first.bulletin);
        assert_eq!(store.bulletin(Q1).await.unwrap(), Some(stored.clone()));
        let now = preview_bulletin(&store, &rules, Q1, bulletin_day())
            .await
            .unwrap();
        assert_eq!(d2(&now).to_string(), "30.5", "a preview counts it");

        // The next bulletin of the year is the second (the office insisting: nothing was filed
        // in the second quarter).
        let july = Utc.with_ymd_and_hms(2026, 7, 6, 2, 0, 0).unwrap();
        let refused = issue_bulletin(&store, &rules, Q1.next(), july, &by(), false).await;
        assert!(matches!(refused, Err(BulletinError::NoFiling(q)) if q == Q1.next()));
        let insist = IssueRequest {
            allow_empty: true,
            ..IssueRequest::default()
        };
        let q2 = issue_bulletin_as(&store, &rules, Q1.next(), july, &by(), insist)
            .await
            .unwrap();
        assert_eq!((q2.year, q2.number), (2026, 2));
        assert_eq!(read_snapshot(&stored).unwrap(), first.bulletin);
    })
    .await;
}

#[tokio::test]
async fn a_late_urgent_report_is_criticised_with_the_time_from_the_event_and_the_limit() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let rules = Rules::default();
        let d1 = store.unit_by_code("d1").await.unwrap().expect("d1").id;
        // 09:00 on 10 March in Shanghai, stored at 17:24: 8 h 24 min after the event, which is
        // 7 h 24 min past the hour; the bulletin says the first, with the limit.
        let event_at = Utc.with_ymd_and_hms(2026, 3, 10, 1, 0, 0).unwrap();
        let report = NewUrgentReport {
            key: "tg:13:1".into(),
            unit: d1,
            reported_by: None,
            text: "仓库起火，约30名职工疏散".into(),
            reported_at: event_at + Duration::minutes(504),
            facts: UrgentFacts {
                event_at: Some(event_at),
                ..UrgentFacts::default()
            },
            by_phone: false,
            recorded_by: None,
        };
        let reported = store.report_urgent(&rules.urgent, &report).await.unwrap();
        store
            .confirm_urgent_late(&rules, reported.id, &by(), event_at + Duration::days(1))
            .await
            .unwrap();
        let b = preview_bulletin(&store, &rules, Q1, bulletin_day())
            .await
            .unwrap();
        let zh = render_text(&b, Locale::ZhCn);
        assert!(
            zh.contains("中山区总工会：紧急信息迟报，事件发生8小时24分钟后才报送（时限1小时）。"),
            "{zh}"
        );
        assert!(!zh.contains("7小时"), "{zh}");
        assert!(
            !zh.contains("仓库"),
            "urgent reports are confidential: {zh}"
        );
        // A late veto recorded by hand still gives the delay its reason says.
        assert!(
            zh.contains("西岗区总工会：紧急信息迟报，晚了1小时35分钟。"),
            "{zh}"
        );
        let en = render_text(&b, Locale::En);
        assert!(
            en.contains("reported 8 h 24 min after the event (limit 1 h)"),
            "{en}"
        );
    })
    .await;
}

#[tokio::test]
async fn issuing_the_same_quarter_twice_queues_nothing_more() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let rules = Rules::default();
        let first = issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), false)
            .await
            .unwrap();
        assert_eq!((first.queued, first.heads, first.office), (5, 3, 2));
        let second = issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), false)
            .await
            .unwrap();
        assert_eq!((second.queued, second.heads, second.office), (0, 0, 0));
        assert_eq!(bulletin_rows(&store).await.len(), 5);
    })
    .await;
}

#[tokio::test]
async fn a_forced_re_send_queues_the_stored_bulletin_again_under_new_keys_once_per_message() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let rules = Rules::default();
        issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), false)
            .await
            .unwrap();
        let forced = issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), true)
            .await
            .unwrap();
        assert_eq!(
            (forced.resend, forced.queued, forced.newly_stored),
            (Some(1), 5, false)
        );
        let head = person_id(&store, HEAD_D1).await;
        let keys: Vec<String> = bulletin_rows(&store)
            .await
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert!(
            keys.contains(&format!("bulletin:2026Q1:{head}")),
            "{keys:?}"
        );
        assert!(
            keys.contains(&format!("bulletin:2026Q1:f1:{head}")),
            "{keys:?}"
        );

        // A chat message forcing it, handled twice, sends it once.
        let source = Some("m:21:7");
        let asked = issue_bulletin_keyed(&store, &rules, Q1, bulletin_day(), &by(), true, source)
            .await
            .unwrap();
        let replayed =
            issue_bulletin_keyed(&store, &rules, Q1, bulletin_day(), &by(), true, source)
                .await
                .unwrap();
        assert_eq!((asked.resend, asked.queued), (Some(2), 5));
        // The replay is told what the message did; nothing more is queued.
        assert_eq!((replayed.resend, replayed.queued), (Some(2), 5));
        assert_eq!(bulletin_rows(&store).await.len(), 15);
    })
    .await;
}

#[tokio::test]
async fn the_recipients_are_the_heads_of_units_and_the_office_each_with_the_document() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let rules = Rules::default();
        let recipients: Vec<i64> = bulletin_recipients(&store)
            .await
            .unwrap()
            .iter()
            .map(|p| p.telegram_id)
            .collect();
        let mut expected = vec![HEAD_D1, HEAD_D2, HEAD_P1, OFFICE_A, OFFICE_B];
        let mut sorted = recipients.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(
            sorted, expected,
            "heads of units (a direct-report point's too) and the office"
        );

        let issued = issue_bulletin(&store, &rules, Q1, bulletin_day(), &by(), false)
            .await
            .unwrap();
        assert_eq!((issued.heads, issued.office, issued.queued), (3, 2, 5));
        let rows = bulletin_rows(&store).await;
        let mut chats: Vec<i64> = rows.iter().map(|r| r.chat).collect();
        chats.sort();
        assert_eq!(chats, expected);
        for row in &rows {
            assert_eq!(row.batch.as_deref(), Some("bulletin:2026Q1"));
            assert!(row.bulk, "{}", row.key);
            let (name, content) = row.document.as_ref().expect("the bulletin attached");
            assert!(name.ends_with(".txt"), "{name}");
            assert!(
                !content.contains("仓库火灾"),
                "urgent reports are confidential: {content}"
            );
            assert!(row.text.chars().count() <= 1024, "a caption: {}", row.text);
        }
        let of = |chat| rows.iter().find(|r| r.chat == chat).unwrap();
        let head = person_id(&store, HEAD_D1).await;
        assert_eq!(of(HEAD_D1).key, format!("bulletin:2026Q1:{head}"));
        assert!(
            of(HEAD_D1)
                .text
                .contains("中山区总工会：本季度 7 分，总排名第1名"),
            "{}",
            of(HEAD_D1).text
        );
        let zh = &of(HEAD_D1).document.as_ref().unwrap().1;
        assert!(
            zh.contains("西岗区总工会：紧急信息迟报，晚了1小时35分钟。"),
            "{zh}"
        );
        assert!(zh.contains("零报送单位\n机械产业工会"), "{zh}");
        // d2's head reads English, the bulletin too.
        let en = of(HEAD_D2);
        assert!(
            en.text.contains(&escape_html("No. 1 of 2026")),
            "{}",
            en.text
        );
        assert!(
            en.document
                .as_ref()
                .unwrap()
                .1
                .contains("came 1 h 35 min late")
        );
        assert!(
            of(HEAD_P1).text.contains("不单独排名"),
            "{}",
            of(HEAD_P1).text
        );
        assert!(
            of(OFFICE_A).text.contains("零报送单位 1 个"),
            "{}",
            of(OFFICE_A).text
        );
    })
    .await;
}

#[tokio::test]
async fn a_quarter_not_ended_is_not_issued() {
    common::for_each_backend(|store| async move {
        city(&store).await;
        let march = Utc.with_ymd_and_hms(2026, 3, 31, 15, 0, 0).unwrap();
        let refused = issue_bulletin(&store, &Rules::default(), Q1, march, &by(), false).await;
        assert!(matches!(refused, Err(BulletinError::NotEnded(q)) if q == Q1));
        assert_eq!(store.bulletin(Q1).await.unwrap(), None);
        assert!(bulletin_rows(&store).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_command_line_prints_a_preview_then_the_issued_bulletin_in_both_languages() {
    for db in common::databases().await {
        city(&db.store).await;
        let office = Office::new(&db.url);
        let preview = office
            .ok_in("zh-CN", &["bulletin", "--quarter", "2026Q1"])
            .await;
        assert!(
            preview.starts_with("2026年第一季度信息工作通报\n（尚未印发"),
            "{preview}"
        );
        assert_eq!(
            db.store.bulletin(Q1).await.unwrap(),
            None,
            "printing issues nothing"
        );

        let sent = office
            .ok_in(
                "zh-CN",
                &["bulletin", "--quarter", "2026Q1", "--send", "--yes"],
            )
            .await;
        assert!(
            sent.contains("已印发2026年第1期，发出消息 5 条：主要领导 3 人，市总办公室 2 人。"),
            "{sent}"
        );
        let again = office
            .ok(&["bulletin", "--quarter", "2026q1", "--send", "--yes"])
            .await;
        assert!(again.contains("0 messages queued now"), "{again}");
        assert!(again.contains("--force"), "{again}");

        let zh = office
            .ok_in("zh-CN", &["bulletin", "--quarter", "2026Q1"])
            .await;
        assert!(
            zh.contains("\n2026年第1期\n") && !zh.contains("尚未印发"),
            "{zh}"
        );
        assert!(
            zh.contains("第1名 中山区总工会（区市县总工会）：本季度 7 分"),
            "{zh}"
        );
        let en = office.ok(&["bulletin", "--quarter", "2026Q1"]).await;
        assert!(
            en.starts_with("Information work bulletin, 2026Q1\nNo. 1 of 2026\n"),
            "{en}"
        );
        let json = office.json(&["bulletin", "--quarter", "2026Q1"]).await;
        assert_eq!(json["bulletin"]["number"], 1);
        assert_eq!(json["issued"], true);

        let forced = office
            .ok(&[
                "bulletin",
                "--quarter",
                "2026Q1",
                "--send",
                "--force",
                "--yes",
            ])
            .await;
        assert!(forced.contains("re-send 1"), "{forced}");
        let refused = office
            .run(&["bulletin", "--quarter", "2026H1"])
            .await
            .unwrap_err();
        assert!(refused.contains("2026H1"), "{refused}");
        db.finish().await;
    }
}

/// The mock Bot API is one per process: the scenario waits here should another be added.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// The program run as a process on `url` in Chinese, its standard input not a terminal; whether
/// it succeeded, what it printed and what it said went wrong.
fn program(url: &str, args: &[&str]) -> (bool, String, String) {
    let output = binary()
        .args(["--database", url, "--lang", "zh-CN"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn stored_numbers(store: &Store) -> Vec<(String, u32)> {
    store
        .bulletins(2026)
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.quarter.to_string(), b.number))
        .collect()
}

#[tokio::test]
async fn the_program_sends_only_when_confirmed_refuses_an_empty_quarter_and_takes_a_free_number() {
    for db in common::databases().await {
        city(&db.store).await;
        let send = |quarter: &'static str, more: &[&'static str]| {
            let mut args = vec!["bulletin", "--quarter", quarter, "--send"];
            args.extend_from_slice(more);
            args
        };
        // No terminal to ask on and no --yes: refused, nothing stored or queued.
        let (ok, _, err) = program(&db.url, &send("2026Q1", &[]));
        assert!(!ok);
        assert!(err.contains("--yes") && err.contains("没有终端"), "{err}");
        assert!(stored_numbers(&db.store).await.is_empty());
        assert!(bulletin_rows(&db.store).await.is_empty());

        // Confirmed: issued, under the number given (two were issued on paper before).
        let (ok, out, err) = program(&db.url, &send("2026Q1", &["--yes", "--number", "3"]));
        assert!(ok, "{err}");
        assert!(out.contains("已印发2026年第3期"), "{out}");
        assert_eq!(stored_numbers(&db.store).await, vec![("2026Q1".into(), 3)]);
        assert_eq!(bulletin_rows(&db.store).await.len(), 5);

        // Nothing was filed in the second quarter: refused unless the office insists.
        let (ok, _, err) = program(&db.url, &send("2026Q2", &["--yes"]));
        assert!(!ok);
        assert!(
            err.contains("2026年第二季度各单位均无来稿") && err.contains("--allow-empty"),
            "{err}"
        );
        // The number of the first quarter's is taken, said in words.
        let (ok, _, err) = program(
            &db.url,
            &send("2026Q2", &["--yes", "--allow-empty", "--number", "3"]),
        );
        assert!(!ok);
        assert!(
            err.contains("2026年第3期已经用过（2026年第一季度的通报）"),
            "{err}"
        );
        assert_eq!(stored_numbers(&db.store).await.len(), 1);
        // Insisting, without a number: the next after the year's last.
        let (ok, out, err) = program(&db.url, &send("2026Q2", &["--yes", "--allow-empty"]));
        assert!(ok, "{err}");
        assert!(out.contains("已印发2026年第4期"), "{out}");
        // An issued bulletin's number stays.
        let (ok, _, err) = program(&db.url, &send("2026Q1", &["--yes", "--number", "2"]));
        assert!(!ok);
        assert!(err.contains("已印发为2026年第3期，期号不能再改"), "{err}");
        assert_eq!(
            stored_numbers(&db.store).await,
            vec![("2026Q1".into(), 3), ("2026Q2".into(), 4)]
        );
        db.finish().await;
    }
}

/// The clock's quarter is 2026Q2: the units, one item of d1 filed in the first quarter, and
/// the head of d1, an officer of d1 and an office member joined.
async fn chat_city(store: &Store, chat: &mut common::chat::Chat) {
    use common::chat::join;
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
    store.import_units(&rows, &by()).await.unwrap();
    let feb = Utc.with_ymd_and_hms(2026, 2, 10, 2, 0, 0).unwrap();
    store
        .add_item(&item("D01", "r1", feb), &by())
        .await
        .unwrap();
    join(chat, store, 1003, Some("D01"), Role::Head).await;
    join(chat, store, 1001, Some("D01"), Role::Officer).await;
    join(chat, store, 2001, None, Role::Office).await;
}

async fn head_bulletins(store: &Store) -> usize {
    store
        .outbox_rows_for(1003)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.idempotency_key.starts_with("bulletin:"))
        .count()
}

#[tokio::test]
async fn the_office_sees_the_preview_and_the_bulletin_is_issued_once_on_confirm() {
    use common::chat::{Chat, now, shown};
    let _turn = SERIAL.lock().await;
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let app = App::new(store.clone(), Rules::default()).with_clock(now);
    let mut chat = Chat::new(&app);
    chat_city(store, &mut chat).await;

    // A head asks before any was issued.
    let none = chat.say(1003, "/bulletin").await;
    assert_eq!(none, shown(Locale::ZhCn, "bulletin.bot.none_issued", &[]));

    // The office's bare /bulletin: the whole preview, nothing issued or sent.
    let preview = chat.say(2001, "/bulletin").await;
    for part in [
        "2026年第一季度信息工作通报",
        "尚未印发",
        "第1名 中山区总工会（区市县总工会）：本季度 0.5 分",
        "四、通报批评",
        "零报送单位",
    ] {
        assert!(preview.contains(part), "{part:?} in {preview}");
    }
    let ask = [("number", "2026年第1期"), ("heads", "1"), ("office", "1")];
    assert!(
        preview.contains(&shown(Locale::ZhCn, "bulletin.confirm.ask", &ask)),
        "{preview}"
    );
    assert_eq!(chat.labels(), vec!["确认印发".to_string()]);
    assert_eq!(chat.buttons(), vec!["bu:2026Q1".to_string()]);
    assert_eq!(
        store.bulletin(Q1).await.unwrap(),
        None,
        "a preview issues nothing"
    );
    assert_eq!(head_bulletins(store).await, 0);

    // Only the office's press issues it.
    let officer = chat.press_data(1001, "bu:2026Q1").await;
    assert_eq!(officer, shown(Locale::ZhCn, "bot.office_only", &[]));
    assert_eq!(store.bulletin(Q1).await.unwrap(), None);

    let issued = chat.press_data(2001, "bu:2026Q1").await;
    assert!(
        issued.contains("已印发2026年第1期，发出消息 2 条：主要领导 1 人，市总办公室 1 人。"),
        "{issued}"
    );
    // The same update delivered again says and sends nothing more.
    assert_eq!(chat.dispatch().await, "");
    // A second press: told it was issued, nothing issued or sent again.
    let twice = chat.press_data(2001, "bu:2026Q1").await;
    assert!(
        twice.contains("2026年第1期已于") && twice.contains("这次发出消息 0 条"),
        "{twice}"
    );
    assert_eq!(store.bulletins(2026).await.unwrap().len(), 1);
    assert_eq!(head_bulletins(store).await, 1);

    // Asked again, the office is told it was issued and how to send it again.
    let again = chat.say(2001, "/bulletin 2026Q1").await;
    assert!(
        again.contains("已于") && again.contains("印发为2026年第1期"),
        "{again}"
    );
    assert!(
        again.contains(&shown(
            Locale::ZhCn,
            "bulletin.bot.force_hint",
            &[("code", "2026Q1")]
        )),
        "{again}"
    );
    assert!(chat.buttons().is_empty());
    let forced = chat.say(2001, "/bulletin 2026Q1 重发").await;
    assert!(forced.contains("第 1 次重发"), "{forced}");
    assert_eq!(
        head_bulletins(store).await,
        2,
        "the first sending and the forced one"
    );

    // The head reads the latest issued, with the unit's own line first; no button.
    let latest = chat.say(1003, "/bulletin").await;
    assert!(
        latest.starts_with("中山区总工会：本季度 0.5 分，总排名第1名"),
        "{latest}"
    );
    assert!(latest.contains("2026年第1期"), "{latest}");
    assert!(chat.buttons().is_empty());
    assert_eq!(store.bulletins(2026).await.unwrap().len(), 1);

    let officer = chat.say(1001, "/bulletin").await;
    assert_eq!(officer, shown(Locale::ZhCn, "bulletin.bot.heads_only", &[]));
    let not_yet = chat.say(2001, "/bulletin 2026Q2").await;
    assert_eq!(
        not_yet,
        shown(
            Locale::ZhCn,
            "bulletin.not_ended",
            &[("quarter", "2026年第二季度")]
        )
    );
    let usage = chat.say(2001, "/bulletin next").await;
    assert_eq!(usage, shown(Locale::ZhCn, "bot.usage.bulletin", &[]));
    db.finish().await;
}

#[tokio::test]
async fn a_quarter_with_no_filing_is_issued_in_chat_only_when_the_office_insists() {
    use common::chat::{Chat, now, shown};
    let _turn = SERIAL.lock().await;
    let db = TestDb::sqlite(true).await;
    let store = &db.store;
    let app = App::new(store.clone(), Rules::default()).with_clock(now);
    let mut chat = Chat::new(&app);
    chat_city(store, &mut chat).await;
    let q4 = Quarter {
        year: 2025,
        number: 4,
    };

    let preview = chat.say(2001, "/bulletin 2025Q4").await;
    assert!(
        preview.contains(&shown(Locale::ZhCn, "bulletin.confirm.empty", &[])),
        "{preview}"
    );
    assert_eq!(chat.labels(), vec!["仍要印发".to_string()]);
    assert_eq!(chat.buttons(), vec!["bu:2025Q4:e".to_string()]);
    // The plain confirmation does not issue an empty quarter.
    let refused = chat.press_data(2001, "bu:2025Q4").await;
    assert_eq!(
        refused,
        shown(
            Locale::ZhCn,
            "bulletin.no_filing",
            &[("quarter", "2025年第四季度")]
        )
    );
    assert_eq!(store.bulletin(q4).await.unwrap(), None);
    let issued = chat.press_data(2001, "bu:2025Q4:e").await;
    assert!(issued.contains("已印发2025年第1期"), "{issued}");
    assert!(store.bulletin(q4).await.unwrap().is_some());
    db.finish().await;
}
