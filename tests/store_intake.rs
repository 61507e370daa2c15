//! The durable intake's storage and the chat adoption's natural key, on SQLite and, when a
//! server is named, on PostgreSQL.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use unionbot::domain::{AdoptionForm, AdoptionLevel, Category, Role, UnitKind};
use unionbot::records::{HeaderFields, ItemTarget, NewAdoption, NewItem, NewUnit, Recorder};
use unionbot::store::{ChatFiling, StoredUpdate};

fn office() -> Recorder {
    Recorder("cli:office".to_string())
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_780_000_000 + seconds, 0).unwrap()
}

fn update(id: i64) -> StoredUpdate {
    StoredUpdate {
        update_id: id,
        body: format!(r#"{{"update_id":{id}}}"#),
    }
}

#[tokio::test]
async fn a_batch_is_stored_once_and_stays_unhandled_until_marked_oldest_first() {
    common::for_each_backend(|store| async move {
        let new = store
            .store_updates(&[update(12), update(10), update(11)], at(0))
            .await
            .unwrap();
        assert_eq!(new, vec![12, 10, 11]);
        // Delivered again (the batch was not confirmed before a crash): nothing is new.
        let again = store
            .store_updates(&[update(11), update(12), update(13)], at(1))
            .await
            .unwrap();
        assert_eq!(again, vec![13]);

        let ids = |rows: Vec<StoredUpdate>| rows.iter().map(|r| r.update_id).collect::<Vec<_>>();
        let pending = store.unhandled_updates(i64::MIN, 100).await.unwrap();
        assert_eq!(ids(pending.clone()), vec![10, 11, 12, 13]);
        assert_eq!(pending[0], update(10));
        assert_eq!(
            ids(store.unhandled_updates(10, 2).await.unwrap()),
            vec![11, 12]
        );

        assert!(store.mark_update_handled(11, at(2)).await.unwrap());
        assert!(
            !store.mark_update_handled(11, at(3)).await.unwrap(),
            "a second mark changes nothing"
        );
        assert!(!store.mark_update_handled(99, at(3)).await.unwrap());
        assert_eq!(
            ids(store.unhandled_updates(i64::MIN, 100).await.unwrap()),
            vec![10, 12, 13]
        );
        // A handled update delivered again is not handled again.
        assert!(
            store
                .store_updates(&[update(11)], at(4))
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn only_handled_updates_older_than_the_limit_are_pruned() {
    common::for_each_backend(|store| async move {
        store
            .store_updates(&[update(1), update(2), update(3)], at(0))
            .await
            .unwrap();
        store.mark_update_handled(1, at(10)).await.unwrap();
        store.mark_update_handled(2, at(100)).await.unwrap();
        assert_eq!(store.prune_handled_updates(at(50)).await.unwrap(), 1);
        assert_eq!(store.prune_handled_updates(at(50)).await.unwrap(), 0);
        assert_eq!(store.prune_handled_updates(at(1000)).await.unwrap(), 1);
        let left = store.unhandled_updates(i64::MIN, 100).await.unwrap();
        assert_eq!(left, vec![update(3)], "an unhandled update is never pruned");
    })
    .await;
}

#[tokio::test]
async fn an_adoption_confirmed_twice_in_chat_is_recorded_once_with_the_dialogue_saved() {
    common::for_each_backend(|store| async move {
        let unit = NewUnit {
            code: "D01".into(),
            name: "D01 union".into(),
            kind: UnitKind::District,
            parent_code: None,
        };
        store.import_units(&[(2, unit)], &office()).await.unwrap();
        let officer = {
            let invite = store
                .create_invite(
                    Some("D01"),
                    Role::Officer,
                    Duration::days(7),
                    at(0),
                    &office(),
                )
                .await
                .unwrap();
            store
                .redeem_invite(&invite.code, 1001, "Wang Li", at(0))
                .await
                .unwrap()
        };
        let clerk = {
            let invite = store
                .create_invite(None, Role::Office, Duration::days(7), at(0), &office())
                .await
                .unwrap();
            store
                .redeem_invite(&invite.code, 2002, "Office", at(0))
                .await
                .unwrap()
        };
        let item = NewItem {
            reference: None,
            unit_code: "D01".into(),
            filed_at: at(10),
            title: "Night shifts".into(),
            category: Category::new(4).unwrap(),
            commissioned: false,
            officer: None,
            body: Some("What the workers said.".into()),
            header: HeaderFields {
                distribution_scope: Some("leaders".into()),
                issuing_unit: Some("D01 union".into()),
                signer: Some("Zhao Min".into()),
                responsible_person: Some("Wang Li".into()),
                dated: NaiveDate::from_ymd_opt(2026, 5, 28),
                copies: Some(5),
            },
        };
        let filing = ChatFiling {
            item,
            filed_by: officer.id,
            topic_id: None,
            commission_id: None,
            submission_key: "k-1".into(),
        };
        let (item_id, _) = store
            .file_from_chat(
                &filing,
                1001,
                Some("{}"),
                &Recorder("telegram:1001".into()),
                at(10),
            )
            .await
            .unwrap();

        let adoption = NewAdoption {
            item: ItemTarget::Number(item_id),
            level: AdoptionLevel::CityFederation,
            form: AdoptionForm::Single,
            on: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        };
        let by = Recorder("telegram:2002".into());
        let key = format!("chat:2002:7:{item_id}");
        let (id, new) = store
            .adopt_from_chat(
                &adoption,
                &key,
                2002,
                clerk.id,
                Some(r#"{"done":1}"#),
                &by,
                at(20),
            )
            .await
            .unwrap();
        assert!(new);
        assert_eq!(
            store.load_dialogue(2002).await.unwrap().as_deref(),
            Some(r#"{"done":1}"#)
        );
        let again = store
            .adopt_from_chat(
                &adoption,
                &key,
                2002,
                clerk.id,
                Some(r#"{"done":2}"#),
                &by,
                at(25),
            )
            .await
            .unwrap();
        assert_eq!(again, (id, false));
        assert_eq!(store.counts().await.unwrap().adoptions, 1);
        assert_eq!(
            store.load_dialogue(2002).await.unwrap().as_deref(),
            Some(r#"{"done":2}"#)
        );

        // Another confirmation (another revision) of the same answers is another adoption.
        let (other, new) = store
            .adopt_from_chat(
                &adoption,
                &format!("chat:2002:9:{item_id}"),
                2002,
                clerk.id,
                Some("{}"),
                &by,
                at(30),
            )
            .await
            .unwrap();
        assert!(new);
        assert_ne!(other, id);
        assert_eq!(store.counts().await.unwrap().adoptions, 2);

        // An unknown item records nothing and leaves the dialogue as it was.
        let unknown = NewAdoption {
            item: ItemTarget::Number(9999),
            ..adoption.clone()
        };
        assert!(
            store
                .adopt_from_chat(
                    &unknown,
                    "chat:2002:11:9999",
                    2002,
                    clerk.id,
                    Some("{\"x\":1}"),
                    &by,
                    at(40)
                )
                .await
                .is_err()
        );
        assert_eq!(store.counts().await.unwrap().adoptions, 2);
        assert_eq!(
            store.load_dialogue(2002).await.unwrap().as_deref(),
            Some("{}")
        );
    })
    .await;
}

#[tokio::test]
async fn an_updates_outcome_commits_its_dialogue_messages_and_handled_mark_together() {
    use unionbot::store::{DialogueChange, NewMessage, UpdateOutcome};
    common::for_each_backend(|store| async move {
        let invite = store
            .create_invite(None, Role::Office, Duration::days(1), at(0), &office())
            .await
            .unwrap();
        let person = store
            .redeem_invite(&invite.code, 5, "陈静", at(0))
            .await
            .unwrap();
        store.store_updates(&[update(21)], at(0)).await.unwrap();
        let outcome = UpdateOutcome {
            update_id: Some(21),
            dialogue: Some(DialogueChange::Save {
                chat_id: 5,
                person_id: person.id,
                state: r#"{"step":2}"#.into(),
            }),
            messages: vec![
                NewMessage::text("r:m:5:9:0", 5, "第一条"),
                NewMessage {
                    reply_markup: Some(r#"{"inline_keyboard":[]}"#.into()),
                    ..NewMessage::text("r:m:5:9:1", 5, "第二条")
                },
            ],
            read: None,
        };
        assert_eq!(store.commit_update(&outcome, at(1)).await.unwrap(), 2);
        assert_eq!(
            store.load_dialogue(5).await.unwrap().as_deref(),
            Some(r#"{"step":2}"#)
        );
        assert!(
            store
                .unhandled_updates(i64::MIN, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let rows = store.outbox_rows_for(5).await.unwrap();
        let texts: Vec<&str> = rows.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, vec!["第一条", "第二条"]);
        assert_eq!(
            rows[1].reply_markup.as_deref(),
            Some(r#"{"inline_keyboard":[]}"#)
        );
        // The same outcome again (the update handled twice) queues nothing more.
        assert_eq!(store.commit_update(&outcome, at(2)).await.unwrap(), 0);
        assert_eq!(store.outbox_rows_for(5).await.unwrap().len(), 2);
        // Only the oldest pending message of a chat is handed to a worker, in order.
        let heads = store.due_heads(at(3), 10).await.unwrap();
        assert_eq!(
            heads.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
            vec!["第一条"]
        );
        let claimed = store
            .claim(&[heads[0].id], at(3), Duration::seconds(60))
            .await
            .unwrap();
        assert_eq!(claimed, vec![heads[0].id]);
        assert!(
            store
                .claim(&[heads[0].id], at(3), Duration::seconds(60))
                .await
                .unwrap()
                .is_empty(),
            "a message is claimed once"
        );
        let clear = UpdateOutcome {
            update_id: None,
            dialogue: Some(DialogueChange::Clear { chat_id: 5 }),
            messages: Vec::new(),
            read: None,
        };
        store.commit_update(&clear, at(4)).await.unwrap();
        assert_eq!(store.load_dialogue(5).await.unwrap(), None);
    })
    .await;
}
