//! The office's command line, run as the built program, for people coming and going and for
//! the items not decided yet: `person deactivate`, `person move`, `person invites`,
//! `person revoke`, and `item list --undecided` with 不采用 shown in `item show`.

mod common;

use chrono::{Duration, TimeZone, Utc};
use serde_json::Value;

use unionbot::domain::Role;
use unionbot::records::{DeclineOutcome, Recorder};
use unionbot::store::{InviteRefusal, Store, StoreError};

use common::cli::{Office, binary};
use common::databases;

/// Runs the program on the database at `url` in English: its output, or its error output.
fn program(url: &str, args: &[&str]) -> Result<String, String> {
    let output = binary()
        .args(["--database", url, "--lang", "en"])
        .args(args)
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    if output.status.success() {
        Ok(text(&output.stdout))
    } else {
        Err(text(&output.stderr))
    }
}

fn json(url: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&program(url, &all).unwrap()).unwrap()
}

fn office() -> Recorder {
    Recorder("test:office".into())
}

/// Registers a person of `unit` through an invitation; their number.
async fn registered(store: &Store, telegram: i64, unit: &str, name: &str) -> i64 {
    let now = Utc::now();
    let invite = store
        .create_named_invite(
            Some(unit),
            Role::Officer,
            Some(name),
            Duration::days(7),
            now,
            &office(),
        )
        .await
        .unwrap();
    store
        .redeem_invite(&invite.code, telegram, name, now)
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn the_office_deactivates_and_moves_people_and_withdraws_an_unused_invitation() {
    for db in databases().await {
        let url = db.url.clone();
        let store = &db.store;
        Office::importing(&url, &common::cli::CITY[..1]).await;
        let wang = registered(store, 7001, "d1", "Wang Li").await;
        let li = registered(store, 7002, "d1", "Li Qiang").await;

        let said = program(&url, &["person", "deactivate", &wang.to_string()]).unwrap();
        assert!(
            said.contains("Deactivated") && said.contains("Wang Li"),
            "{said}"
        );
        let people = json(&url, &["person", "list"]);
        let row = |id: i64| {
            people
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == id)
                .cloned()
                .unwrap()
        };
        assert!(row(wang)["left_at"].is_string(), "{people}");
        assert!(row(li)["left_at"].is_null(), "{people}");
        assert_eq!(row(wang)["name"], "Wang Li");
        let person = store.person_by_telegram(7001).await.unwrap().unwrap();
        assert!(!person.active());

        let said = program(&url, &["person", "move", &li.to_string(), "d2"]).unwrap();
        assert!(said.contains("District Two"), "{said}");
        let moved = store.person_by_id(li).await.unwrap().unwrap();
        assert_eq!(moved.unit_code.as_deref(), Some("d2"));
        let refused = program(&url, &["person", "move", &wang.to_string(), "d2"]).unwrap_err();
        assert!(refused.contains("deactivated"), "{refused}");

        let open = store
            .create_named_invite(
                Some("d1"),
                Role::Head,
                Some("Zhao Min"),
                Duration::days(7),
                Utc::now(),
                &office(),
            )
            .await
            .unwrap();
        let listed = json(&url, &["person", "invites"]);
        let codes: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["code"].as_str())
            .collect();
        assert_eq!(
            codes,
            vec![open.code.as_str()],
            "used invitations are not listed"
        );
        program(&url, &["person", "revoke", &open.code]).unwrap();
        assert_eq!(json(&url, &["person", "invites"]), serde_json::json!([]));
        let redeemed = store
            .redeem_invite(&open.code, 7003, "Zhao Min", Utc::now())
            .await;
        assert!(
            matches!(redeemed, Err(StoreError::Invite(InviteRefusal::Revoked))),
            "{redeemed:?}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn item_list_undecided_leaves_out_what_was_adopted_or_not_adopted_and_item_show_says_who_declined()
 {
    for db in databases().await {
        let url = db.url.clone();
        let store = &db.store;
        Office::importing(&url, &common::cli::CITY).await;
        let number = |reference: &str| {
            let url = url.clone();
            let reference = reference.to_string();
            async move {
                json(&url, &["item", "show", &reference])["number"]
                    .as_i64()
                    .unwrap()
            }
        };
        let (r2, r5) = (number("r2").await, number("r5").await);
        let at = Utc.with_ymd_and_hms(2026, 4, 2, 2, 0, 0).unwrap();
        let declined = store
            .decline_item(r5, None, Some("c:press1"), &office(), at)
            .await
            .unwrap();
        assert!(matches!(declined, DeclineOutcome::Declined(_, _, true)));
        // The same input handled again is the same decision; another press finds it made.
        let again = store
            .decline_item(r5, None, Some("c:press1"), &office(), at)
            .await
            .unwrap();
        assert!(matches!(again, DeclineOutcome::Declined(_, _, true)));
        let other = store
            .decline_item(r5, None, Some("c:press2"), &office(), at)
            .await
            .unwrap();
        assert!(matches!(other, DeclineOutcome::Declined(_, _, false)));
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM item_declines")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(rows, 1);

        let listed = json(&url, &["item", "list", "--period", "2026Q1", "--undecided"]);
        let refs: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["ref"].as_str())
            .collect();
        // r1 and r4 were adopted, r5 not adopted; r3 is of the second quarter.
        assert_eq!(refs, vec!["r2"], "{listed}");
        let all = json(&url, &["item", "list", "--period", "2026Q1"]);
        assert_eq!(all.as_array().unwrap().len(), 4);
        let table = program(&url, &["item", "list", "--period", "2026Q1", "--undecided"]).unwrap();
        assert!(
            table.contains("Night shifts") && !table.contains("Training"),
            "{table}"
        );

        let shown = program(&url, &["item", "show", "r5"]).unwrap();
        assert!(shown.contains("Not adopted: "), "{shown}");
        assert!(shown.contains("2026-04-02 10:00"), "{shown}");
        let card = json(&url, &["item", "show", "r5"]);
        assert!(card["declined"]["at"].is_string(), "{card}");
        assert!(json(&url, &["item", "show", &r2.to_string()])["declined"].is_null());
        db.finish().await;
    }
}
