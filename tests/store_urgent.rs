//! Urgent reports in the store, on SQLite and (when a server is named) PostgreSQL: a report
//! delivered twice is stored once, the late flag is judged from the event time, a confirmed flag
//! is a `late` veto that costs the unit the year's awards and a dismissed one does not,
//! follow-ups are numbered and the final one closes the event, and one unit's list shows none
//! of another's.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::cli::Office;
use serde_json::Value;
use unionbot::domain::{Role, UnitId, VetoKind};
use unionbot::forms::extract::Qualifier;
use unionbot::period::Period;
use unionbot::period::parse_instant;
use unionbot::records::urgent_change::{FactChange, FactName, FactValue, Origin, Refusal};
use unionbot::records::{NewVeto, Recorder};
use unionbot::rules::Rules;
use unionbot::scoring::LateTimes;
use unionbot::store::{
    FollowUpOutcome, LateDecision, LateFlag, NewFollowUp, NewMessage, NewUrgentReport,
    PeopleInvolved, Store, StoreError, UpdateOutcome, UrgentFacts,
};

fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text, chrono_tz::Asia::Shanghai).expect("a test time")
}

fn office() -> Recorder {
    Recorder("test:office".to_string())
}

async fn unit(store: &Store, code: &str) -> UnitId {
    store.unit_by_code(code).await.unwrap().expect("a unit").id
}

/// Registers a person with `role` (of `unit`); their people.id.
async fn person(store: &Store, telegram: i64, unit: Option<&str>, role: Role) -> i64 {
    let invite = store
        .create_named_invite(
            unit,
            role,
            Some(&format!("用户{telegram}")),
            Duration::days(1),
            Utc::now(),
            &office(),
        )
        .await
        .unwrap();
    store
        .redeem_invite(&invite.code, telegram, "x", Utc::now())
        .await
        .unwrap()
        .id
}

fn report(key: &str, unit: UnitId, reported_at: &str, event_at: Option<&str>) -> NewUrgentReport {
    NewUrgentReport {
        key: key.to_string(),
        unit,
        reported_by: None,
        text: "化工厂门口约200名职工聚集，要求补发工资".to_string(),
        reported_at: at(reported_at),
        facts: UrgentFacts {
            event_at: event_at.map(at),
            people: Some(PeopleInvolved {
                count: 200,
                upper: None,
                qualifier: Qualifier::About,
                words: "约200名职工".to_string(),
            }),
            ..UrgentFacts::default()
        },
        by_phone: false,
        recorded_by: None,
    }
}

fn followup(key: &str, event: i64, reported_at: &str, final_report: bool) -> NewFollowUp {
    NewFollowUp {
        key: key.to_string(),
        event,
        reported_by: None,
        text: format!("续报 {key}"),
        reported_at: at(reported_at),
        final_report,
        people: None,
        measures: None,
        status: None,
        event_at: None,
        place: None,
        cause: None,
    }
}

fn fact(
    key: &str,
    event: i64,
    value: FactValue,
    origin: Origin,
    reason: Option<&str>,
) -> FactChange {
    let fact = match &value {
        FactValue::Time(_) => FactName::EventTime,
        FactValue::People(_) => FactName::People,
        FactValue::Text(_) => FactName::Place,
    };
    FactChange {
        key: key.to_string(),
        event,
        fact,
        value,
        origin,
        by_person: None,
        by: None,
        at: at("2026-06-11 03:05"),
        reason: reason.map(str::to_string),
    }
}

fn award_of<'a>(awards: &'a Value, code: &str) -> &'a Value {
    awards
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["unit"] == code)
        .unwrap()
}

#[tokio::test]
async fn a_report_delivered_twice_is_stored_once_and_its_late_flag_is_judged() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default().urgent;
        let d1 = unit(store, "d1").await;
        let late = report("tg:1:10", d1, "2026-06-11 01:45", Some("2026-06-11 00:10"));
        let first = store.report_urgent(&rules, &late).await.unwrap();
        assert!(first.created, "{}", db.backend);
        assert_eq!(first.late, LateFlag::Flagged, "95 minutes after the event");
        let again = store.report_urgent(&rules, &late).await.unwrap();
        assert_eq!((again.id, again.created), (first.id, false));
        assert_eq!(store.urgent_events(None, true).await.unwrap().len(), 1);

        let in_time = report("tg:1:11", d1, "2026-06-11 01:10", Some("2026-06-11 00:10"));
        let on_time = store.report_urgent(&rules, &in_time).await.unwrap();
        assert_eq!(
            on_time.late,
            LateFlag::None,
            "60 minutes is within the hour"
        );

        // No event time yet: not judged; once it is given, judged then. A raised flag is the
        // office's to decide: the unit cannot move the time, the office only with a reason,
        // and no correction lowers it.
        let unknown = report("tg:1:12", d1, "2026-06-11 03:00", None);
        let stored = store.report_urgent(&rules, &unknown).await.unwrap();
        assert_eq!(stored.late, LateFlag::None);
        let time = |t: &str| FactValue::Time(at(t));
        let place = FactValue::Text(" 港区化工厂门口 ".into());
        let given = fact("tg:1:13", stored.id, place, Origin::Answer, None);
        let taken = store.record_urgent_fact(&rules, &given).await.unwrap();
        assert_eq!(taken.map(|t| t.late), Ok(LateFlag::None));
        let given = fact(
            "tg:1:14",
            stored.id,
            time("2026-06-11 01:00"),
            Origin::Answer,
            None,
        );
        let taken = store
            .record_urgent_fact(&rules, &given)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.late, taken.raised_flag), (LateFlag::Flagged, true));
        // The same answer delivered again stores nothing and says what it did the first time.
        let again = store
            .record_urgent_fact(&rules, &given)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again, taken);
        let corrected = time("2026-06-11 02:30");
        let by_unit = fact(
            "tg:1:15",
            stored.id,
            corrected.clone(),
            Origin::Answer,
            None,
        );
        assert_eq!(
            store.record_urgent_fact(&rules, &by_unit).await.unwrap(),
            Err(Refusal::TimeLocked)
        );
        let no_reason = fact(
            "tg:1:16",
            stored.id,
            corrected.clone(),
            Origin::Office,
            None,
        );
        assert_eq!(
            store.record_urgent_fact(&rules, &no_reason).await.unwrap(),
            Err(Refusal::ReasonNeeded)
        );
        let by_office = fact(
            "tg:1:17",
            stored.id,
            corrected,
            Origin::Office,
            Some("电话核实"),
        );
        let taken = store
            .record_urgent_fact(&rules, &by_office)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.late, taken.raised_flag), (LateFlag::Flagged, false));
        let shown = store.urgent_event(stored.id).await.unwrap().unwrap();
        assert_eq!(shown.event.facts.place.as_deref(), Some("港区化工厂门口"));
        assert_eq!(shown.event.delay_minutes(), Some(30));
        assert_eq!(
            shown.event.facts.missing(),
            vec!["cause", "measures", "status"]
        );
        let people = shown.event.facts.people.unwrap();
        assert_eq!((people.count, people.qualifier), (200, Qualifier::About));
        assert_eq!(people.words, "约200名职工");

        // An event after its own report had not happened when it was reported.
        let future = report("tg:1:13", d1, "2026-06-11 03:00", Some("2026-06-11 04:00"));
        let refused = store.report_urgent(&rules, &future).await.unwrap_err();
        assert!(matches!(refused, StoreError::Invalid { .. }), "{refused}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_confirmed_late_flag_is_a_late_veto_of_the_events_day_that_costs_the_awards() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default();
        let before = city.json(&["awards", "--year", "2026"]).await;
        assert_eq!(award_of(&before, "d1")["eligible"], true);
        let d1 = unit(store, "d1").await;
        // 00:20 on 11 June in Shanghai is still 10 June in UTC: the veto is of the local day.
        let reported = store
            .report_urgent(
                &rules.urgent,
                &report("tg:1:20", d1, "2026-06-11 02:00", Some("2026-06-11 00:20")),
            )
            .await
            .unwrap();
        assert_eq!(reported.late, LateFlag::Flagged);
        let decided_at = at("2026-06-11 09:00");
        let decision = store
            .confirm_urgent_late(&rules, reported.id, &office_recorder(), decided_at)
            .await
            .unwrap();
        let LateDecision::Decided { veto: Some(veto) } = decision else {
            panic!("{decision:?}");
        };
        let vetoes = store.vetoes(2026).await.unwrap();
        assert_eq!(vetoes.len(), 1, "{}", db.backend);
        let recorded = &vetoes[0];
        assert_eq!(recorded.veto.id, veto);
        assert_eq!(recorded.veto.kind, VetoKind::Late);
        assert_eq!(recorded.veto.unit, d1);
        assert_eq!(
            recorded.veto.on,
            NaiveDate::from_ymd_opt(2026, 6, 11).unwrap()
        );
        assert_eq!(recorded.recorded_by, "test:office-member");
        // The veto keeps what it was judged on; its reason says the delay, nothing of the event.
        assert_eq!(
            recorded.veto.late,
            Some(LateTimes {
                event_at: at("2026-06-11 00:20"),
                reported_at: at("2026-06-11 02:00"),
                limit_minutes: 60,
            }),
            "{}",
            db.backend
        );
        assert_eq!(recorded.veto.late.unwrap().delay_minutes(), 100);
        assert!(
            recorded
                .veto
                .reason
                .contains("事件发生1小时40分钟后才报告，时限为1小时"),
            "{}",
            recorded.veto.reason
        );
        assert!(!recorded.veto.reason.contains("化工厂"));
        let after = city.json(&["awards", "--year", "2026"]).await;
        assert_eq!(award_of(&after, "d1")["eligible"], false);
        assert_eq!(
            award_of(&after, "d1")["reasons"],
            serde_json::json!(["veto"])
        );

        let shown = store
            .urgent_event(reported.id)
            .await
            .unwrap()
            .unwrap()
            .event;
        assert_eq!(shown.late, LateFlag::Confirmed);
        assert_eq!(shown.late_veto, Some(veto));
        assert_eq!(shown.late_decided_by.as_deref(), Some("test:office-member"));
        assert_eq!(shown.late_decided_at, Some(decided_at));
        // Pressed again, or by a second office member: one veto.
        let again = store
            .confirm_urgent_late(&rules, reported.id, &office(), decided_at)
            .await
            .unwrap();
        assert_eq!(
            again,
            LateDecision::AlreadyDecided {
                flag: LateFlag::Confirmed,
                by: Some("test:office-member".into())
            }
        );
        assert_eq!(store.vetoes(2026).await.unwrap().len(), 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_late_veto_keeps_its_times_and_limit_when_the_event_time_is_corrected_after() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let mut rules = Rules::default();
        rules.urgent.report_within_minutes = 90;
        let d1 = unit(store, "d1").await;
        // Stored 8 h 24 min after the event, judged by a limit of 90 minutes.
        let reported = store
            .report_urgent(
                &rules.urgent,
                &report("tg:1:30", d1, "2026-05-06 17:24", Some("2026-05-06 09:00")),
            )
            .await
            .unwrap();
        assert_eq!(reported.late, LateFlag::Flagged);
        store
            .confirm_urgent_late(&rules, reported.id, &office(), at("2026-05-07 09:00"))
            .await
            .unwrap();
        // The office corrects the event time afterwards, and the limit changes: the veto says
        // what it was judged on.
        let corrected = fact(
            "tg:1:31",
            reported.id,
            FactValue::Time(at("2026-05-06 16:00")),
            Origin::Office,
            Some("电话核实"),
        );
        let taken = store
            .record_urgent_fact(&rules.urgent, &corrected)
            .await
            .unwrap();
        assert!(taken.is_ok(), "{taken:?}");
        let kept = Some(LateTimes {
            event_at: at("2026-05-06 09:00"),
            reported_at: at("2026-05-06 17:24"),
            limit_minutes: 90,
        });
        let vetoes = store.vetoes(2026).await.unwrap();
        assert_eq!(vetoes.len(), 1, "{}", db.backend);
        assert_eq!(vetoes[0].veto.late, kept, "{}", db.backend);
        assert_eq!(vetoes[0].veto.late.unwrap().delay_minutes(), 504);
        let ledger = store
            .load_ledger_for_points(Period::Year(2026), chrono_tz::Asia::Shanghai)
            .await
            .unwrap();
        assert_eq!(ledger.vetoes.len(), 1);
        assert_eq!(ledger.vetoes[0].late, kept, "{}", db.backend);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_late_veto_recorded_by_hand_keeps_no_times() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let veto = NewVeto {
            unit_code: "d1".into(),
            kind: VetoKind::Late,
            on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            reason: "仓库火灾，迟报95分钟".into(),
        };
        store.add_veto(&veto, &office()).await.unwrap();
        let vetoes = store.vetoes(2026).await.unwrap();
        assert_eq!(vetoes.len(), 1);
        assert_eq!(vetoes[0].veto.late, None, "{}", db.backend);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_migration_fills_in_the_times_of_late_vetoes_confirmed_before() {
    for db in common::empty_databases().await {
        // The schema before late vetoes kept their times, with one confirmed from an urgent
        // report and one recorded by hand.
        let folder = format!("{}/migrations/{}", env!("CARGO_MANIFEST_DIR"), db.backend);
        let mut before = sqlx::migrate::Migrator::new(std::path::Path::new(&folder))
            .await
            .unwrap();
        before.migrations = before
            .migrations
            .iter()
            .filter(|m| m.version < 12)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        before.run(db.store.pool()).await.unwrap();
        let pool = db.store.pool();
        let unit: i64 = sqlx::query_scalar(
            "INSERT INTO units (code, name, kind, recorded_by, created_at) \
             VALUES ('d1', '中山区总工会', 'district', 'test', 0) RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let mut vetoes = Vec::new();
        for reason in [
            "紧急信息第 1 号迟报：事件发生 504 分钟后才报告，时限为 60 分钟。",
            "迟报95分钟",
        ] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO vetoes (unit_id, kind, vetoed_on, reason, recorded_by, \
                                     recorded_at) \
                 VALUES ($1, 'late', '2026-05-06', $2, 'test', 0) RETURNING id",
            )
            .bind(unit)
            .bind(reason)
            .fetch_one(pool)
            .await
            .unwrap();
            vetoes.push(id);
        }
        let (event_at, reported_at) = (at("2026-05-06 09:00"), at("2026-05-06 17:24"));
        sqlx::query(
            "INSERT INTO urgent_events (report_key, unit_id, first_text, reported_at, \
                 last_report_at, event_at, late, late_decided_by, late_decided_at, \
                 late_veto_id, recorded_at) \
             VALUES ('tg:1:1', $1, '仓库起火', $2, $2, $3, 'confirmed', 'test', $2, $4, 0)",
        )
        .bind(unit)
        .bind(reported_at.timestamp())
        .bind(event_at.timestamp())
        .bind(vetoes[0])
        .execute(pool)
        .await
        .unwrap();
        db.store.migrate().await.unwrap();
        let stored = db.store.vetoes(2026).await.unwrap();
        let of = |id: i64| stored.iter().find(|v| v.veto.id == id).unwrap();
        assert_eq!(
            of(vetoes[0]).veto.late,
            Some(LateTimes {
                event_at,
                reported_at,
                limit_minutes: 60,
            }),
            "{}",
            db.backend
        );
        assert_eq!(of(vetoes[1]).veto.late, None, "{}", db.backend);
        db.finish().await;
    }
}

fn office_recorder() -> Recorder {
    Recorder("test:office-member".to_string())
}

#[tokio::test]
async fn a_dismissed_late_flag_leaves_the_unit_eligible() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default();
        let d1 = unit(store, "d1").await;
        let reported = store
            .report_urgent(
                &rules.urgent,
                &report("tg:1:30", d1, "2026-06-11 02:00", Some("2026-06-11 00:20")),
            )
            .await
            .unwrap();
        let now = at("2026-06-11 09:00");
        let empty = store
            .dismiss_urgent_late(reported.id, "  ", &office(), now)
            .await
            .unwrap_err();
        assert!(matches!(empty, StoreError::Invalid { .. }), "{empty}");
        let decision = store
            .dismiss_urgent_late(reported.id, "通信中断，已电话报告", &office(), now)
            .await
            .unwrap();
        assert_eq!(decision, LateDecision::Decided { veto: None });
        let shown = store
            .urgent_event(reported.id)
            .await
            .unwrap()
            .unwrap()
            .event;
        assert_eq!(shown.late, LateFlag::Dismissed);
        assert_eq!(shown.late_reason.as_deref(), Some("通信中断，已电话报告"));
        assert_eq!(shown.late_decided_at, Some(now));
        let awards = city.json(&["awards", "--year", "2026"]).await;
        assert_eq!(award_of(&awards, "d1")["eligible"], true, "{}", db.backend);
        assert!(store.vetoes(2026).await.unwrap().is_empty());
        let late_confirm = store
            .confirm_urgent_late(&rules, reported.id, &office(), now)
            .await
            .unwrap();
        assert!(matches!(
            late_confirm,
            LateDecision::AlreadyDecided {
                flag: LateFlag::Dismissed,
                ..
            }
        ));
        // A report in time has no flag to decide.
        let in_time = store
            .report_urgent(
                &rules.urgent,
                &report("tg:1:31", d1, "2026-06-11 02:00", None),
            )
            .await
            .unwrap();
        let nothing = store
            .confirm_urgent_late(&rules, in_time.id, &office(), now)
            .await
            .unwrap();
        assert_eq!(nothing, LateDecision::NotFlagged);
        db.finish().await;
    }
}

#[tokio::test]
async fn follow_ups_are_numbered_and_the_final_report_closes_the_event() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default();
        let d1 = unit(store, "d1").await;
        let member = person(store, 2001, None, Role::Office).await;
        let event = store
            .report_urgent(
                &rules.urgent,
                &report("tg:1:40", d1, "2026-06-11 10:00", None),
            )
            .await
            .unwrap()
            .id;
        let first = store
            .add_urgent_followup(
                &rules.urgent,
                &followup("tg:1:41", event, "2026-06-11 11:00", false),
                &office(),
            )
            .await
            .unwrap();
        assert!(
            matches!(
                first,
                FollowUpOutcome::Stored {
                    number: 1,
                    created: true,
                    closed: false,
                    ..
                }
            ),
            "{first:?} on {}",
            db.backend
        );
        let redelivered = store
            .add_urgent_followup(
                &rules.urgent,
                &followup("tg:1:41", event, "2026-06-11 11:00", false),
                &office(),
            )
            .await
            .unwrap();
        assert!(matches!(
            redelivered,
            FollowUpOutcome::Stored {
                number: 1,
                created: false,
                ..
            }
        ));
        let second = NewFollowUp {
            people: Some(PeopleInvolved {
                count: 30,
                upper: Some(40),
                qualifier: Qualifier::Range,
                words: "三四十人".into(),
            }),
            measures: Some("已派员到场劝导".into()),
            ..followup("tg:1:42", event, "2026-06-11 12:00", false)
        };
        let second = store
            .add_urgent_followup(&rules.urgent, &second, &office())
            .await
            .unwrap();
        assert!(matches!(second, FollowUpOutcome::Stored { number: 2, .. }));
        assert!(
            store
                .acknowledge_urgent(event, member, at("2026-06-11 10:05"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .acknowledge_urgent(event, member, at("2026-06-11 10:06"))
                .await
                .unwrap()
        );
        assert!(
            store
                .ask_urgent_followup("tg:cb:1", event, member, at("2026-06-11 12:30"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .ask_urgent_followup("tg:cb:1", event, member, at("2026-06-11 12:30"))
                .await
                .unwrap()
        );

        // Open: the scheduler's facts hold it, counted from its latest follow-up.
        let known = unionbot::scheduler::known(store).await.unwrap();
        assert_eq!(known.urgent.len(), 1);
        assert_eq!(known.urgent[0].followups, 2);
        assert_eq!(known.urgent[0].last_report_at, at("2026-06-11 12:00"));

        let last = store
            .add_urgent_followup(
                &rules.urgent,
                &followup("tg:1:43", event, "2026-06-11 15:00", true),
                &office(),
            )
            .await
            .unwrap();
        assert!(matches!(
            last,
            FollowUpOutcome::Stored {
                number: 3,
                closed: true,
                ..
            }
        ));
        let late = store
            .add_urgent_followup(
                &rules.urgent,
                &followup("tg:1:44", event, "2026-06-11 16:00", false),
                &office(),
            )
            .await
            .unwrap();
        assert_eq!(late, FollowUpOutcome::EventClosed);
        assert!(store.open_urgent(None).await.unwrap().is_empty());
        assert!(
            unionbot::scheduler::known(store)
                .await
                .unwrap()
                .urgent
                .is_empty()
        );
        assert!(
            !store
                .close_urgent(event, &office(), at("2026-06-11 17:00"))
                .await
                .unwrap()
        );

        let detail = store.urgent_event(event).await.unwrap().unwrap();
        let numbers: Vec<(i64, bool)> = detail
            .followups
            .iter()
            .map(|f| (f.number, f.final_report))
            .collect();
        assert_eq!(numbers, vec![(1, false), (2, false), (3, true)]);
        assert_eq!(detail.event.closed_at, Some(at("2026-06-11 15:00")));
        assert_eq!(detail.event.closed_by.as_deref(), Some("test:office"));
        let people = detail.event.facts.people.unwrap();
        assert_eq!(
            (people.count, people.upper),
            (30, Some(40)),
            "the latest count"
        );
        assert_eq!(
            detail.event.facts.measures.as_deref(),
            Some("已派员到场劝导")
        );
        assert_eq!(detail.acks.len(), 1);
        assert_eq!(detail.acks[0].person, member);
        assert_eq!(detail.requests.len(), 1);

        let missing = store
            .close_urgent(9999, &office(), at("2026-06-11 17:00"))
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
        db.finish().await;
    }
}

#[tokio::test]
async fn one_units_list_shows_none_of_anothers_and_the_newest_comes_first() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default().urgent;
        let (d1, d2) = (unit(store, "d1").await, unit(store, "d2").await);
        let mut ids = Vec::new();
        for (key, unit, time) in [
            ("tg:1:50", d1, "2026-06-11 08:00"),
            ("tg:2:51", d2, "2026-06-11 09:00"),
            ("tg:1:52", d1, "2026-06-11 10:00"),
        ] {
            ids.push(
                store
                    .report_urgent(&rules, &report(key, unit, time, None))
                    .await
                    .unwrap()
                    .id,
            );
        }
        let of_d1: Vec<i64> = store
            .open_urgent(Some(d1))
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(of_d1, vec![ids[2], ids[0]], "{}", db.backend);
        let all: Vec<i64> = store
            .open_urgent(None)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(all, vec![ids[2], ids[1], ids[0]]);
        store
            .close_urgent(ids[1], &office(), at("2026-06-11 11:00"))
            .await
            .unwrap();
        assert!(store.open_urgent(Some(d2)).await.unwrap().is_empty());
        assert_eq!(store.urgent_events(Some(d2), true).await.unwrap().len(), 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_report_commits_with_its_alerts_in_one_transaction_and_once() {
    for db in common::databases().await {
        let city = Office::new(&db.url);
        city.city().await;
        let store = &db.store;
        let rules = Rules::default().urgent;
        let d1 = unit(store, "d1").await;
        let new = report("tg:1:60", d1, "2026-06-11 10:00", Some("2026-06-11 09:50"));
        let alerts = |r: &unionbot::store::ReportedUrgent| UpdateOutcome {
            messages: vec![NewMessage::text(
                format!("urgent:{}:alert:2001", r.id),
                2001,
                format!("紧急信息第 {} 号", r.id),
            )],
            ..UpdateOutcome::default()
        };
        let now = at("2026-06-11 10:00");
        let (first, queued) = store
            .commit_urgent_report(&rules, &new, now, alerts)
            .await
            .unwrap();
        assert!(first.created);
        assert_eq!(queued, 1, "{}", db.backend);
        let (again, queued) = store
            .commit_urgent_report(&rules, &new, now, alerts)
            .await
            .unwrap();
        assert_eq!((again.id, again.created, queued), (first.id, false, 0));
        let due = store
            .due_messages(now + Duration::minutes(1), 10)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        db.finish().await;
    }
}
