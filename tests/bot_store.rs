//! The bot's storage on SQLite and, when a server is named, on PostgreSQL: invitations and
//! people, stored dialogues, chat filings, returns, the inbox, guidance and commissions, the
//! outbox; and the office's `invite` and `guidance` commands.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use clap::Parser;
use unionbot::cli::{Cli, run};
use unionbot::domain::{Category, Role, UnitKind};
use unionbot::period::{Period, Quarter, parse_instant};
use unionbot::records::{HeaderFields, NewItem, NewUnit, Recorder};
use unionbot::scoring::FilingTally;
use unionbot::store::{ChatFiling, InviteRefusal, Person, RecordKind, Store, StoreError};

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

fn office() -> Recorder {
    Recorder("cli:office".to_string())
}

fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text, SHANGHAI).expect("a test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

fn q2() -> Quarter {
    Quarter::new(2026, 2).expect("a quarter")
}

/// Two districts and a direct-report point under the first.
async fn seed_units(store: &Store) {
    let unit = |code: &str, kind, parent: Option<&str>| NewUnit {
        code: code.to_string(),
        name: format!("{code} union"),
        kind,
        parent_code: parent.map(str::to_string),
    };
    let rows = vec![
        (2, unit("D01", UnitKind::District, None)),
        (3, unit("D02", UnitKind::District, None)),
        (4, unit("P01", UnitKind::DirectPoint, Some("D01"))),
    ];
    store.import_units(&rows, &office()).await.expect("units");
}

async fn unit_id(store: &Store, code: &str) -> i64 {
    store.unit_by_code(code).await.unwrap().expect("a unit").id
}

/// Registers a person through an invitation.
async fn register(
    store: &Store,
    unit: Option<&str>,
    role: Role,
    telegram_id: i64,
    name: &str,
) -> Person {
    let now = at("2026-04-01 09:00");
    let invite = store
        .create_invite(unit, role, Duration::days(7), now, &office())
        .await
        .expect("an invitation");
    store
        .redeem_invite(&invite.code, telegram_id, name, now)
        .await
        .expect("a redeemed invitation")
}

fn new_item(unit_code: &str, filed_at: &str, title: &str) -> NewItem {
    NewItem {
        reference: None,
        unit_code: unit_code.to_string(),
        filed_at: at(filed_at),
        title: title.to_string(),
        category: Category::new(4).expect("a category"),
        commissioned: false,
        officer: None,
        body: Some("What the workers said.".to_string()),
        header: HeaderFields {
            distribution_scope: Some("city federation leaders".to_string()),
            issuing_unit: Some(format!("{unit_code} union")),
            signer: Some("Zhao Min".to_string()),
            responsible_person: Some("Wang Li".to_string()),
            dated: Some(day("2026-04-10")),
            copies: Some(5),
        },
    }
}

fn filing(person: &Person, item: NewItem, key: &str) -> ChatFiling {
    ChatFiling {
        item,
        filed_by: person.id,
        topic_id: None,
        commission_id: None,
        submission_key: key.to_string(),
    }
}

/// Files an item from a chat and returns its number.
async fn file(store: &Store, person: &Person, filed_at: &str, title: &str) -> i64 {
    let unit = person.unit_code.clone().expect("a unit");
    let key = format!("{}:{filed_at}:{title}", person.telegram_id);
    let chat_filing = filing(person, new_item(&unit, filed_at, title), &key);
    let (id, new) = store
        .file_from_chat(
            &chat_filing,
            person.telegram_id,
            Some("{}"),
            &officer_recorder(person),
            at(filed_at),
        )
        .await
        .expect("a chat filing");
    assert!(new);
    id
}

fn officer_recorder(person: &Person) -> Recorder {
    Recorder(format!("telegram:{}", person.telegram_id))
}

fn refusal(err: StoreError) -> InviteRefusal {
    match err {
        StoreError::Invite(why) => why,
        other => panic!("expected a refused invitation, got {other}"),
    }
}

#[tokio::test]
async fn an_invite_registers_the_person_in_its_unit_with_its_role() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let now = at("2026-04-01 09:00");
        let invite = store
            .create_invite(
                Some("D01"),
                Role::Officer,
                Duration::days(7),
                now,
                &office(),
            )
            .await
            .unwrap();
        assert!(invite.code.len() >= 16, "{}", invite.code);
        assert!(
            invite.code.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{}",
            invite.code
        );
        assert_eq!(invite.unit_code.as_deref(), Some("D01"));
        assert_eq!(invite.role, Role::Officer);
        assert_eq!(invite.expires_at, now + Duration::days(7));

        let person = store
            .redeem_invite(&invite.code, 1001, " Wang Li ", now + Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(person.telegram_id, 1001);
        assert_eq!(person.name, "Wang Li");
        assert_eq!(person.unit_id, Some(unit_id(&store, "D01").await));
        assert_eq!(person.unit_code.as_deref(), Some("D01"));
        assert_eq!(person.unit_name.as_deref(), Some("D01 union"));
        assert_eq!(person.role, Role::Officer);
        assert_eq!(person.locale, None);
        assert_eq!(store.person_by_telegram(1001).await.unwrap(), Some(person));
        assert_eq!(store.person_by_telegram(1002).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_invite_needs_a_known_unit_unless_it_is_for_the_office() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let now = at("2026-04-01 09:00");
        let week = Duration::days(7);
        let err = store
            .create_invite(None, Role::Officer, week, now, &office())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { column: "unit", .. }),
            "{err}"
        );
        let err = store
            .create_invite(Some("X99"), Role::Leader, week, now, &office())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound { what: "unit", .. }),
            "{err}"
        );

        let invite = store
            .create_invite(None, Role::Office, week, now, &office())
            .await
            .unwrap();
        assert_eq!(invite.unit_code, None);
        let clerk = store
            .redeem_invite(&invite.code, 9, "Chen Jing", now)
            .await
            .unwrap();
        assert_eq!((clerk.role, clerk.unit_id), (Role::Office, None));
        assert_eq!(store.office_people().await.unwrap(), vec![clerk]);
    })
    .await;
}

#[tokio::test]
async fn a_used_invite_is_refused() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let now = at("2026-04-01 09:00");
        let invite = store
            .create_invite(
                Some("D01"),
                Role::Officer,
                Duration::days(7),
                now,
                &office(),
            )
            .await
            .unwrap();
        store
            .redeem_invite(&invite.code, 1001, "Wang Li", now)
            .await
            .unwrap();
        let err = store
            .redeem_invite(&invite.code, 1002, "Li Qiang", now)
            .await
            .unwrap_err();
        assert_eq!(refusal(err), InviteRefusal::Used);
        // The same person again (the same `/start` handled again after a crash) finds the
        // registration it made, and registers nobody new: a code is used once.
        let first = store.person_by_telegram(1001).await.unwrap().unwrap();
        let again = store
            .redeem_invite(&invite.code, 1001, "Wang Li", now)
            .await
            .unwrap();
        assert_eq!(again, first);
        assert_eq!(store.person_by_telegram(1002).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let now = at("2026-04-01 09:00");
        let invite = store
            .create_invite(Some("D01"), Role::Leader, Duration::days(2), now, &office())
            .await
            .unwrap();
        let err = store
            .redeem_invite(&invite.code, 1001, "Wang Li", now + Duration::days(2))
            .await
            .unwrap_err();
        assert_eq!(refusal(err), InviteRefusal::Expired);
        assert_eq!(store.person_by_telegram(1001).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_unknown_code_is_refused() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let err = store
            .redeem_invite(
                "abcdefghijklmnopqrstuvwxyz",
                1001,
                "Wang Li",
                at("2026-04-01 09:00"),
            )
            .await
            .unwrap_err();
        assert_eq!(refusal(err), InviteRefusal::Unknown);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeemers_of_one_code_at_the_same_time_make_exactly_one_person() {
    for db in common::databases().await {
        seed_units(&db.store).await;
        let now = at("2026-04-01 09:00");
        let invite = db
            .store
            .create_invite(
                Some("D01"),
                Role::Officer,
                Duration::days(7),
                now,
                &office(),
            )
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for n in 0..6 {
            // Each redeemer has its own pool, as bot replicas would.
            let store = Store::connect(&db.url).await.unwrap();
            let code = invite.code.clone();
            tasks.push(tokio::spawn(async move {
                let result = store.redeem_invite(&code, 2000 + n, "Someone", now).await;
                store.close().await;
                result
            }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.expect("a redeemer task") {
                Ok(_) => won += 1,
                Err(err) => assert_eq!(refusal(err), InviteRefusal::Used),
            }
        }
        assert_eq!(won, 1, "on {}", db.backend);
        let people = db
            .store
            .people_of_unit(unit_id(&db.store, "D01").await, None)
            .await
            .unwrap();
        assert_eq!(people.len(), 1, "on {}", db.backend);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_registered_person_redeeming_another_invite_moves_to_its_unit_and_role() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let first = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        store.set_locale(first.id, "en").await.unwrap();
        let moved = register(&store, Some("D02"), Role::Leader, 1001, "Wang Li").await;
        assert_eq!(moved.id, first.id);
        assert_eq!(moved.unit_code.as_deref(), Some("D02"));
        assert_eq!(moved.role, Role::Leader);
        assert_eq!(moved.locale.as_deref(), Some("en"));

        let d01 = unit_id(&store, "D01").await;
        let d02 = unit_id(&store, "D02").await;
        assert!(store.people_of_unit(d01, None).await.unwrap().is_empty());
        assert_eq!(
            store.people_of_unit(d02, None).await.unwrap(),
            vec![moved.clone()]
        );
        assert_eq!(
            store.people_of_unit(d02, Some(Role::Leader)).await.unwrap(),
            vec![moved]
        );
        assert!(
            store
                .people_of_unit(d02, Some(Role::Officer))
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn a_dialogue_is_saved_replaced_loaded_and_cleared() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let person = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let now = at("2026-04-01 10:00");
        assert_eq!(store.load_dialogue(1001).await.unwrap(), None);
        store
            .save_dialogue(1001, person.id, r#"{"step":1}"#, now)
            .await
            .unwrap();
        store
            .save_dialogue(1001, person.id, r#"{"step":2}"#, now + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(
            store.load_dialogue(1001).await.unwrap().as_deref(),
            Some(r#"{"step":2}"#)
        );
        assert_eq!(store.load_dialogue(-1001).await.unwrap(), None);
        store.clear_dialogue(1001).await.unwrap();
        assert_eq!(store.load_dialogue(1001).await.unwrap(), None);
        store.clear_dialogue(1001).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn filing_one_submission_twice_stores_one_item_and_saves_the_dialogue_state() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let person = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let chat_filing = filing(
            &person,
            new_item("D01", "2026-04-10 09:00", "Night shifts"),
            "k-1",
        );
        let now = at("2026-04-10 09:00");
        let by = officer_recorder(&person);
        let (id, new) = store
            .file_from_chat(&chat_filing, 1001, Some(r#"{"done":1}"#), &by, now)
            .await
            .unwrap();
        assert!(new);
        assert_eq!(
            store.load_dialogue(1001).await.unwrap().as_deref(),
            Some(r#"{"done":1}"#)
        );
        let again = store
            .file_from_chat(
                &chat_filing,
                1001,
                Some(r#"{"done":2}"#),
                &by,
                now + Duration::seconds(5),
            )
            .await
            .unwrap();
        assert_eq!(again, (id, false));
        assert_eq!(
            store.load_dialogue(1001).await.unwrap().as_deref(),
            Some(r#"{"done":2}"#)
        );
        assert_eq!(store.items_count().await.unwrap(), 1);

        let item = store.item(id).await.unwrap().expect("the item");
        assert_eq!(item.title, "Night shifts");
        assert_eq!(item.unit_code, "D01");
        assert_eq!(item.filed_by_telegram, Some(1001));
        // With no officer named, the filer is the officer (honoraria are paid to them).
        assert_eq!(item.officer.as_deref(), Some("Wang Li"));
        assert_eq!(item.filed_at, now);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_submission_filed_from_several_replicas_at_once_is_one_item() {
    for db in common::databases().await {
        seed_units(&db.store).await;
        let person = register(&db.store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let chat_filing = filing(
            &person,
            new_item("D01", "2026-04-10 09:00", "Night shifts"),
            "k-1",
        );
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let store = Store::connect(&db.url).await.unwrap();
            let chat_filing = chat_filing.clone();
            let by = officer_recorder(&person);
            tasks.push(tokio::spawn(async move {
                let now = at("2026-04-10 09:00");
                let result = store
                    .file_from_chat(&chat_filing, 1001, Some("{}"), &by, now)
                    .await;
                store.close().await;
                result
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("a filing task").expect("a filing"));
        }
        assert_eq!(
            outcomes.iter().filter(|(_, new)| *new).count(),
            1,
            "on {}",
            db.backend
        );
        assert!(outcomes.iter().all(|(id, _)| *id == outcomes[0].0));
        assert_eq!(
            db.store.items_count().await.unwrap(),
            1,
            "on {}",
            db.backend
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn an_officer_files_for_their_own_unit_only() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let person = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let chat_filing = filing(
            &person,
            new_item("D02", "2026-04-10 09:00", "Elsewhere"),
            "k-2",
        );
        let err = store
            .file_from_chat(
                &chat_filing,
                1001,
                Some("{}"),
                &office(),
                at("2026-04-10 09:00"),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { column: "unit", .. }),
            "{err}"
        );
        assert_eq!(store.items_count().await.unwrap(), 0);
        assert_eq!(store.load_dialogue(1001).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_returned_item_keeps_its_filing_in_the_ledger() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let person = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let id = file(&store, &person, "2026-04-10 09:00", "Night shifts").await;
        let returned = store
            .return_item(id, "add the figures", &office(), at("2026-04-11 09:00"))
            .await
            .unwrap();
        assert_eq!(returned.returned.as_deref(), Some("add the figures"));
        let again = store
            .return_item(
                id,
                "  name the company  ",
                &office(),
                at("2026-04-12 09:00"),
            )
            .await
            .unwrap();
        assert_eq!(again.returned.as_deref(), Some("name the company"));
        assert!(!again.retracted);

        let ledger = store
            .load_ledger(Period::Quarter(q2()), SHANGHAI)
            .await
            .unwrap();
        assert_eq!(
            ledger.filings,
            vec![FilingTally {
                unit: unit_id(&store, "D01").await,
                quarter: q2(),
                ordinary: 1,
                commissioned: 0,
            }]
        );
        let err = store
            .return_item(4242, "no such item", &office(), at("2026-04-12 09:00"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound { what: "item", .. }),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_inbox_shows_new_chat_filings_newest_first_until_read_adopted_or_returned() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let officer = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let clerk = register(&store, None, Role::Office, 9, "Chen Jing").await;
        let earlier = file(&store, &officer, "2026-04-10 09:00", "Earlier").await;
        let later = file(&store, &officer, "2026-04-12 09:00", "Later").await;
        let adopted = file(&store, &officer, "2026-04-12 10:00", "Adopted").await;
        let returned = file(&store, &officer, "2026-04-12 11:00", "Returned").await;
        let newest = file(&store, &officer, "2026-04-12 12:00", "Newest").await;
        // History entered on the command line is not news.
        store
            .add_item(
                &new_item("D02", "2026-04-13 09:00", "Entered on the command line"),
                &office(),
            )
            .await
            .unwrap();
        // A retracted item is not news.
        let withdrawn = file(&store, &officer, "2026-04-08 09:00", "Withdrawn").await;
        store
            .retract(RecordKind::Item, withdrawn, "filed twice", &office())
            .await
            .unwrap();
        let adoption = unionbot::records::NewAdoption {
            item: unionbot::records::ItemTarget::Number(adopted),
            level: unionbot::domain::AdoptionLevel::CityFederation,
            form: unionbot::domain::AdoptionForm::Single,
            on: NaiveDate::from_ymd_opt(2026, 4, 12).unwrap(),
        };
        store.add_adoption(&adoption, &office()).await.unwrap();
        store
            .return_item(
                returned,
                "add the figures",
                &office(),
                at("2026-04-12 13:00"),
            )
            .await
            .unwrap();

        let ids = |items: Vec<unionbot::store::ItemSummary>| -> Vec<i64> {
            items.into_iter().map(|i| i.id).collect()
        };
        assert_eq!(
            ids(store.inbox(None, 10).await.unwrap()),
            vec![newest, later, earlier]
        );
        assert_eq!(store.inbox_count().await.unwrap(), 3);
        // Paged: the page after `newest` starts with the next older one.
        assert_eq!(ids(store.inbox(None, 1).await.unwrap()), vec![newest]);
        assert_eq!(
            ids(store.inbox(Some(newest), 1).await.unwrap()),
            vec![later]
        );
        let now = at("2026-04-13 09:00");
        store
            .mark_read(&[newest, earlier], clerk.id, now)
            .await
            .unwrap();
        assert_eq!(ids(store.inbox(None, 10).await.unwrap()), vec![later]);
        store
            .mark_read(&[earlier, later], clerk.id, now)
            .await
            .unwrap();
        assert!(store.inbox(None, 10).await.unwrap().is_empty());
        assert_eq!(store.inbox_count().await.unwrap(), 0);
        let err = store.mark_read(&[4242], clerk.id, now).await.unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound { what: "item", .. }),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_units_items_are_its_own_newest_first_without_its_points_items() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let officer = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let point = register(&store, Some("P01"), Role::Officer, 1002, "Li Qiang").await;
        let first = file(&store, &officer, "2026-04-10 09:00", "First").await;
        let second = file(&store, &officer, "2026-04-11 09:00", "Second").await;
        file(&store, &point, "2026-04-12 09:00", "At the harbour").await;
        let items = store
            .items_of_unit(unit_id(&store, "D01").await, 10)
            .await
            .unwrap();
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        assert_eq!(ids, vec![second, first]);
        let items = store
            .items_of_unit(unit_id(&store, "D01").await, 1)
            .await
            .unwrap();
        assert_eq!(items.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn items_are_found_by_number_or_by_a_word_with_a_percent_sign_taken_literally() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let officer = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let percent = file(
            &store,
            &officer,
            "2026-04-10 09:00",
            "Wages up 5% in the port",
        )
        .await;
        let plain = file(
            &store,
            &officer,
            "2026-04-11 09:00",
            "Wages up 50 yuan in the port",
        )
        .await;
        let underscore = file(
            &store,
            &officer,
            "2026-04-12 09:00",
            "Shift_plan of the port",
        )
        .await;

        let found = store.find_items(&plain.to_string(), 10).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, plain);
        assert_eq!(found[0].title, "Wages up 50 yuan in the port");
        assert_eq!(
            store.find_items(&format!("#{percent}"), 10).await.unwrap()[0].id,
            percent
        );
        assert!(store.find_items("4242", 10).await.unwrap().is_empty());

        let ids = |items: Vec<unionbot::store::ItemSummary>| -> Vec<i64> {
            items.into_iter().map(|i| i.id).collect()
        };
        assert_eq!(
            ids(store.find_items("5%", 10).await.unwrap()),
            vec![percent]
        );
        assert_eq!(ids(store.find_items("%", 10).await.unwrap()), vec![percent]);
        assert_eq!(
            ids(store.find_items("5_", 10).await.unwrap()),
            Vec::<i64>::new()
        );
        assert_eq!(
            ids(store.find_items("shift_", 10).await.unwrap()),
            vec![underscore]
        );
        assert_eq!(
            ids(store.find_items("wages", 10).await.unwrap()),
            vec![plain, percent],
            "newest first, whatever the case"
        );
        assert_eq!(
            ids(store.find_items("port", 2).await.unwrap()),
            vec![underscore, plain]
        );
    })
    .await;
}

#[tokio::test]
async fn an_open_commission_disappears_once_an_item_answers_it() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let officer = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let soon = store
            .add_commission(
                "D01",
                "Migrant workers' wages",
                day("2026-04-20"),
                &office(),
            )
            .await
            .unwrap();
        let later = store
            .add_commission("D01", "Heat at work", day("2026-05-20"), &office())
            .await
            .unwrap();
        store
            .add_commission("D02", "Bus drivers", day("2026-04-20"), &office())
            .await
            .unwrap();
        let d01 = unit_id(&store, "D01").await;
        let open: Vec<i64> = store
            .open_commissions(d01)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(open, vec![soon, later]);
        let first = &store.open_commissions(d01).await.unwrap()[0];
        assert_eq!(first.subject, "Migrant workers' wages");
        assert_eq!(first.due_on, day("2026-04-20"));

        let mut answer = filing(
            &officer,
            new_item("D01", "2026-04-15 09:00", "Wages paid"),
            "k-c",
        );
        answer.commission_id = Some(soon);
        let now = at("2026-04-15 09:00");
        let (id, _) = store
            .file_from_chat(&answer, 1001, Some("{}"), &officer_recorder(&officer), now)
            .await
            .unwrap();
        let open: Vec<i64> = store
            .open_commissions(d01)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(open, vec![later]);

        // The answer counts as a commissioned item.
        let ledger = store
            .load_ledger(Period::Quarter(q2()), SHANGHAI)
            .await
            .unwrap();
        assert_eq!(ledger.filings[0].commissioned, 1);
        assert!(store.item(id).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn a_quarters_guidance_lists_its_topics_in_order_and_once_each() {
    common::for_each_backend(|store| async move {
        seed_units(&store).await;
        let q3 = Quarter::new(2026, 3).unwrap();
        let wages = store.add_guidance(q2(), "Wages", &office()).await.unwrap();
        let safety = store
            .add_guidance(q2(), " Safety at work ", &office())
            .await
            .unwrap();
        store.add_guidance(q3, "Heat", &office()).await.unwrap();
        let topics = store.guidance(q2()).await.unwrap();
        let listed: Vec<(i64, &str)> = topics.iter().map(|t| (t.id, t.title.as_str())).collect();
        assert_eq!(listed, vec![(wages, "Wages"), (safety, "Safety at work")]);
        let err = store
            .add_guidance(q2(), "Wages", &office())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
        assert!(
            store
                .guidance(Quarter::new(2026, 4).unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        // An item may answer a topic.
        let officer = register(&store, Some("D01"), Role::Officer, 1001, "Wang Li").await;
        let mut answer = filing(
            &officer,
            new_item("D01", "2026-04-15 09:00", "Wages"),
            "k-t",
        );
        answer.topic_id = Some(wages);
        let now = at("2026-04-15 09:00");
        store
            .file_from_chat(&answer, 1001, Some("{}"), &office(), now)
            .await
            .unwrap();
        answer.topic_id = Some(4242);
        answer.submission_key = "k-t2".into();
        let err = store
            .file_from_chat(&answer, 1001, Some("{}"), &office(), now)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NotFound {
                    what: "guidance topic",
                    ..
                }
            ),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn enqueuing_one_key_twice_queues_one_message() {
    common::for_each_backend(|store| async move {
        let now = at("2026-04-01 09:00");
        assert!(
            store
                .enqueue("guidance:2026Q2:1001", 1001, "first", now)
                .await
                .unwrap()
        );
        assert!(
            !store
                .enqueue("guidance:2026Q2:1001", 1001, "second", now)
                .await
                .unwrap()
        );
        let due = store.due_messages(now, 10).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].chat_id, due[0].text.as_str(), due[0].attempts),
            (1001, "first", 0)
        );
    })
    .await;
}

async fn outbox_row(store: &Store, id: i64) -> (i64, Option<i64>, Option<i64>, Option<String>) {
    sqlx::query_as("SELECT attempts, sent_at, failed_at, last_error FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_outbox_message_is_due_until_sent_retried_later_or_failed() {
    common::for_each_backend(|store| async move {
        let now = at("2026-04-01 09:00");
        store.enqueue("a", 1, "to one", now).await.unwrap();
        store.enqueue("b", 2, "to two", now).await.unwrap();
        store
            .enqueue("c", 3, "to three", now + Duration::seconds(1))
            .await
            .unwrap();
        let due = store.due_messages(now, 10).await.unwrap();
        let ids: Vec<i64> = due.iter().map(|m| m.id).collect();
        assert_eq!(
            due.iter().map(|m| m.chat_id).collect::<Vec<_>>(),
            vec![1, 2]
        );
        let (a, b) = (ids[0], ids[1]);

        // Retry: not due until the time given, and the attempt is counted.
        let later = now + Duration::seconds(30);
        store.mark_retry(a, later, "timed out").await.unwrap();
        let chats = |due: Vec<unionbot::store::OutboxMessage>| -> Vec<i64> {
            due.into_iter().map(|m| m.chat_id).collect()
        };
        assert_eq!(
            chats(
                store
                    .due_messages(now + Duration::seconds(5), 10)
                    .await
                    .unwrap()
            ),
            vec![2, 3]
        );
        let due = store.due_messages(later, 10).await.unwrap();
        assert_eq!(chats(due.clone()), vec![2, 3, 1]);
        assert_eq!(due[2].attempts, 1);
        assert_eq!(outbox_row(&store, a).await.3.as_deref(), Some("timed out"));

        // Sent: never due again; a second report changes nothing.
        store.mark_sent(b, later).await.unwrap();
        store
            .mark_sent(b, later + Duration::seconds(9))
            .await
            .unwrap();
        let row = outbox_row(&store, b).await;
        assert_eq!((row.0, row.1, row.2), (1, Some(later.timestamp()), None));

        // Failed: kept with its error, never due again.
        store
            .mark_failed(a, "403: blocked by the user", later)
            .await
            .unwrap();
        store.mark_retry(a, later, "too late").await.unwrap();
        let row = outbox_row(&store, a).await;
        assert_eq!(
            row,
            (
                2,
                None,
                Some(later.timestamp()),
                Some("403: blocked by the user".into())
            )
        );
        assert_eq!(
            chats(
                store
                    .due_messages(later + Duration::hours(1), 10)
                    .await
                    .unwrap()
            ),
            vec![3]
        );

        let err = store.mark_sent(4242, later).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_claimed_message_is_not_due_again_until_its_lease_ends() {
    common::for_each_backend(|store| async move {
        let now = at("2026-04-01 09:00");
        store.enqueue("a", 1, "to one", now).await.unwrap();
        let lease = Duration::seconds(60);
        let claimed = store.claim_due_messages(now, lease, 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert!(
            store
                .claim_due_messages(now, lease, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let again = store
            .claim_due_messages(now + lease, lease, 10)
            .await
            .unwrap();
        assert_eq!(again, claimed);
        store.mark_sent(claimed[0].id, now).await.unwrap();
        assert!(
            store
                .claim_due_messages(now + lease * 3, lease, 10)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

/// Runs one command line in English on a database; its output, or its error in words.
async fn cli(url: &str, args: &[&str]) -> Result<String, String> {
    let mut argv = vec!["unionbot", "--database", url, "--lang", "en"];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let result = run(cli, &mut out).await;
    let text = String::from_utf8(out).unwrap();
    result.map(|_| text).map_err(|e| format!("{e:#}"))
}

#[tokio::test]
async fn the_invite_command_prints_a_code_that_redeems_and_its_link() {
    for db in common::databases().await {
        seed_units(&db.store).await;
        let out = cli(
            &db.url,
            &[
                "invite",
                "--role",
                "信息员",
                "--unit",
                "D01",
                "--bot-username",
                "@union_info_bot",
            ],
        )
        .await
        .unwrap();
        assert!(out.contains("officer of D01 union"), "{out}");
        let code = out
            .lines()
            .find_map(|l| l.strip_prefix("Code: "))
            .expect("a code line")
            .to_string();
        assert!(
            out.contains(&format!("https://t.me/union_info_bot?start={code}")),
            "{out}"
        );
        let person = db
            .store
            .redeem_invite(&code, 1001, "Wang Li", Utc::now())
            .await
            .unwrap();
        assert_eq!(
            (person.role, person.unit_code.as_deref()),
            (Role::Officer, Some("D01"))
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn without_a_bot_username_the_invite_command_prints_the_start_command_and_says_how() {
    let db = common::TestDb::sqlite(true).await;
    seed_units(&db.store).await;
    // An empty name is no name, whatever UNIONBOT_BOT_USERNAME says where the tests run.
    let out = cli(
        &db.url,
        &[
            "invite",
            "--role",
            "office",
            "--days",
            "3",
            "--bot-username",
            "",
        ],
    )
    .await
    .unwrap();
    assert!(out.contains("/start "), "{out}");
    assert!(out.contains("--bot-username"), "{out}");
    assert!(!out.contains("t.me"), "{out}");

    let err = cli(&db.url, &["invite", "--role", "leader"])
        .await
        .unwrap_err();
    assert!(err.contains("--unit"), "{err}");
    let err = cli(&db.url, &["invite", "--role", "boss", "--unit", "D01"])
        .await
        .unwrap_err();
    assert!(err.contains("boss"), "{err}");
    let err = cli(&db.url, &["invite", "--role", "officer", "--unit", "X99"])
        .await
        .unwrap_err();
    assert!(err.contains("X99"), "{err}");
    db.finish().await;
}

#[tokio::test]
async fn the_guidance_commands_add_and_list_a_quarters_topics() {
    for db in common::databases().await {
        let out = cli(
            &db.url,
            &["guidance", "add", "--quarter", "2026q2", "--title", "Wages"],
        )
        .await
        .unwrap();
        assert!(out.contains("2026Q2") && out.contains("Wages"), "{out}");
        cli(
            &db.url,
            &[
                "guidance",
                "add",
                "--quarter",
                "2026Q2",
                "--title",
                "Heat at work",
            ],
        )
        .await
        .unwrap();
        let err = cli(
            &db.url,
            &["guidance", "add", "--quarter", "2026Q2", "--title", "Wages"],
        )
        .await
        .unwrap_err();
        assert!(err.contains("already"), "{err}");
        let err = cli(&db.url, &["guidance", "list", "--quarter", "2026H1"])
            .await
            .unwrap_err();
        assert!(err.contains("2026H1"), "{err}");

        let out = cli(&db.url, &["guidance", "list", "--quarter", "2026Q2"])
            .await
            .unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        // Each topic with how many items answer it (none yet).
        assert!(
            lines[1].ends_with("Wages (0 items)") && lines[2].ends_with("Heat at work (0 items)"),
            "{out}"
        );
        let out = cli(&db.url, &["guidance", "list", "--quarter", "2026Q3"])
            .await
            .unwrap();
        assert!(out.contains("No guidance"), "{out}");
        db.finish().await;
    }
}
