//! The conversations run without a database: an in-memory desk that knows a few people and
//! records what is written to it, driven without any channel or runtime.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use futures::executor::block_on;

use super::desk::{Answer, BulletinAnswer, Desk, DeskError};
use super::router::{Message, message, press};
use super::turn::{DialogueChange, Turn};
use crate::domain::{Channel, Role, UnitId};
use crate::i18n::{Locale, t};
use crate::records::{Person, Recorder, urgent};
use crate::rules::Rules;

/// Knows its people; every other fact is "not in this test", as a database that failed.
#[derive(Default)]
struct Memory {
    people: Vec<Person>,
    /// The locales set, by person.
    locales: Mutex<Vec<(i64, Locale)>>,
    /// Whether it fails every read, as a database gone away.
    down: bool,
}

fn absent<T>() -> Result<T, DeskError> {
    Err(DeskError::Storage("not in this test".into()))
}

macro_rules! absent {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(fn $name<'a>(&'a self, $($arg: $ty),*) -> Answer<'a, $out> {
            $(let _ = $arg;)*
            Box::pin(async { absent() })
        })*
    };
}

impl Desk for Memory {
    fn person_at(&self, address: i64) -> Answer<'_, Option<Person>> {
        let found = self
            .people
            .iter()
            .find(|p| p.telegram_id == address)
            .cloned();
        let down = self.down;
        Box::pin(async move { if down { absent() } else { Ok(found) } })
    }

    fn dialogue(&self, _chat: i64) -> Answer<'_, Option<String>> {
        let down = self.down;
        Box::pin(async move { if down { absent() } else { Ok(None) } })
    }

    fn set_locale(&self, person: i64, locale: Locale) -> Answer<'_, ()> {
        self.locales.lock().unwrap().push((person, locale));
        Box::pin(async { Ok(()) })
    }

    absent! {
        unit_by_code(code: &'a str) -> Option<crate::scoring::Unit>;
        people_of_unit(unit: UnitId, role: Option<Role>) -> Vec<Person>;
        item(id: i64) -> Option<crate::records::ItemSummary>;
        item_detail(id: i64) -> Option<crate::records::ItemDetail>;
        find_items(word: &'a str, limit: i64) -> Vec<crate::records::ItemSummary>;
        items_of_unit(unit: UnitId, limit: i64) -> Vec<crate::records::ItemSummary>;
        inbox(before: Option<i64>, limit: i64) -> Vec<crate::records::ItemSummary>;
        inbox_count() -> i64;
        undecided(from: DateTime<Utc>, to: DateTime<Utc>, before: Option<i64>, limit: i64)
            -> (Vec<crate::records::ItemSummary>, i64);
        person(id: i64) -> Option<Person>;
        open_invites(now: DateTime<Utc>) -> Vec<crate::records::OpenInvite>;
        decline_item(id: i64, person: i64, key: &'a str, by: &'a Recorder, now: DateTime<Utc>)
            -> crate::records::DeclineOutcome;
        deactivate_person(id: i64, by: &'a Recorder, now: DateTime<Utc>) -> (Person, bool);
        move_person(id: i64, unit_code: &'a str, now: DateTime<Utc>) -> (Person, bool);
        revoke_invite(number_or_code: &'a str, by: &'a Recorder, now: DateTime<Utc>)
            -> crate::records::OpenInvite;
        open_commissions(unit: UnitId) -> Vec<crate::records::OpenCommission>;
        instructions_like(item: i64, level: crate::domain::InstructionLevel)
            -> Vec<crate::records::Earlier>;
        commissions_like(unit: UnitId, subject: &'a str) -> Vec<crate::records::Earlier>;
        guidance(quarter: crate::period::Quarter) -> Vec<crate::records::Topic>;
        ledger(period: crate::period::Period, zone: chrono_tz::Tz) -> crate::scoring::Ledger;
        ledger_for_points(period: crate::period::Period, zone: chrono_tz::Tz)
            -> crate::scoring::Ledger;
        pending_item(id: i64) -> Option<crate::records::PendingItem>;
        pending_for_unit(unit: UnitId) -> Vec<crate::records::PendingItem>;
        failed_messages(limit: i64) -> Vec<crate::records::FailedMessage>;
        office_people() -> Vec<Person>;
        open_urgent(unit: Option<UnitId>) -> Vec<urgent::UrgentEvent>;
        urgent_event(event: i64) -> Option<urgent::UrgentDetail>;
        report_urgent(report: &'a urgent::NewUrgentReport, alerts: super::desk::Alerts<'a>,
            now: DateTime<Utc>) -> urgent::ReportedUrgent;
        record_urgent_fact(change: &'a crate::records::urgent_change::FactChange)
            -> Result<crate::records::urgent_change::Taken,
                crate::records::urgent_change::Refusal>;
        void_urgent(event: i64, reason: &'a str, by: &'a Recorder, at: DateTime<Utc>) -> bool;
        add_followup(followup: &'a urgent::NewFollowUp, by: &'a Recorder)
            -> urgent::FollowUpOutcome;
        close_urgent(event: i64, by: &'a Recorder, at: DateTime<Utc>) -> bool;
        acknowledge_urgent(event: i64, person: i64, at: DateTime<Utc>) -> bool;
        ask_urgent_followup(key: &'a str, event: i64, person: i64, at: DateTime<Utc>) -> bool;
        confirm_late(event: i64, key: &'a str, by: &'a Recorder, at: DateTime<Utc>)
            -> urgent::LateDecision;
        dismiss_late(event: i64, reason: &'a str, by: &'a Recorder, at: DateTime<Utc>)
            -> urgent::LateDecision;
        redeem_invite(code: &'a str, address: i64, name: &'a str, now: DateTime<Utc>) -> Person;
        set_name(person: i64, name: &'a str) -> Person;
        create_invite(unit_code: Option<&'a str>, role: Role, name: Option<&'a str>,
            now: DateTime<Utc>, by: &'a Recorder) -> crate::records::Invite;
        file_item(filing: &'a crate::records::ChatFiling, chat: i64, by: &'a Recorder,
            now: DateTime<Utc>) -> (i64, bool);
        submit_for_sign_off(filing: &'a crate::records::ChatFiling, chat: i64,
            now: DateTime<Utc>) -> (i64, bool);
        approve_pending(id: i64, leader: i64, by: &'a Recorder, now: DateTime<Utc>)
            -> crate::records::SignOff;
        return_pending(id: i64, leader: i64, remark: &'a str, now: DateTime<Utc>)
            -> crate::records::SignOff;
        adopt(adoption: &'a crate::records::NewAdoption, key: &'a str, chat: i64, person: i64,
            by: &'a Recorder, now: DateTime<Utc>) -> (i64, bool);
        instruct(instruction: &'a crate::records::NewInstruction, key: &'a str,
            by: &'a Recorder) -> i64;
        commission(unit_code: &'a str, subject: &'a str, due: chrono::NaiveDate, key: &'a str,
            by: &'a Recorder) -> i64;
        veto(veto: &'a crate::records::NewVeto, key: &'a str, by: &'a Recorder) -> i64;
        retract(kind: crate::records::RecordKind, id: i64, reason: &'a str, key: &'a str,
            by: &'a Recorder) -> i64;
        return_item(id: i64, reason: &'a str, key: &'a str, by: &'a Recorder,
            now: DateTime<Utc>) -> crate::records::ItemSummary;
        set_guidance(quarter: crate::period::Quarter, titles: &'a [String], by: &'a Recorder,
            now: DateTime<Utc>) -> crate::records::GuidanceSet;
        preview_bulletin(quarter: crate::period::Quarter, now: DateTime<Utc>, locale: Locale)
            -> BulletinAnswer;
        issue_bulletin(quarter: crate::period::Quarter, force: bool, allow_empty: bool,
            key: &'a str, by: &'a Recorder, now: DateTime<Utc>, locale: Locale)
            -> BulletinAnswer;
        latest_bulletin(unit: Option<UnitId>, locale: Locale) -> Option<String>;
    }
}

const OFFICER: i64 = 501;

fn officer() -> Person {
    Person {
        id: 7,
        telegram_id: OFFICER,
        name: "王丽".into(),
        unit_id: Some(1),
        unit_code: Some("d1".into()),
        unit_name: Some("中山区总工会".into()),
        role: Role::Officer,
        locale: None,
        name_confirmed: true,
        name_asked: false,
        unreachable_since: None,
        left_at: None,
    }
}

fn turn(desk: Arc<Memory>, person: Option<Person>) -> Turn {
    let now = Utc.with_ymd_and_hms(2026, 5, 11, 2, 0, 0).unwrap();
    Turn::new(
        desk,
        Arc::new(Rules::default()),
        Channel::Terminal,
        OFFICER,
        OFFICER,
        "用户".into(),
        person,
        Locale::En,
        now,
        "t:test:1".into(),
    )
}

fn said(turn: &Turn) -> Vec<String> {
    turn.take_outcome()
        .replies
        .into_iter()
        .map(|s| s.text)
        .collect()
}

#[test]
fn someone_not_registered_is_told_so_in_their_channels_language_whatever_they_write() {
    let turn = turn(Arc::new(Memory::default()), None);
    block_on(message(&turn, Message::Text("/score".into()))).unwrap();
    block_on(message(&turn, Message::NonText("photo"))).unwrap();
    let expected = t(Locale::En, "bot.unregistered", &[]);
    assert_eq!(said(&turn), [expected.clone(), expected]);
}

#[test]
fn an_officer_is_refused_an_office_command_without_asking_the_records() {
    // The desk knows nothing but would fail every read: the refusal needs none.
    let desk = Arc::new(Memory {
        down: true,
        ..Memory::default()
    });
    let turn = turn(desk, Some(officer()));
    block_on(message(&turn, Message::Text("/inbox".into()))).unwrap();
    assert_eq!(said(&turn), [t(Locale::ZhCn, "bot.office_only", &[])]);
}

#[test]
fn a_language_chosen_is_kept_answered_in_it_and_changes_the_menu() {
    let desk = Arc::new(Memory {
        people: vec![officer()],
        ..Memory::default()
    });
    let asking = turn(desk.clone(), Some(officer()));
    block_on(message(&asking, Message::Text("/lang".into()))).unwrap();
    let offered = asking.take_outcome().replies.remove(0).choices;
    let data: Vec<&str> = offered[0].iter().map(|c| c.data.as_str()).collect();
    assert_eq!(data, ["l:zh-CN", "l:en"]);

    let choosing = turn(desk.clone(), Some(officer()));
    block_on(press(&choosing, "l:en")).unwrap();
    let outcome = choosing.take_outcome();
    assert_eq!(outcome.replies[0].text, t(Locale::En, "bot.lang.set", &[]));
    assert!(outcome.menu_changed);
    assert_eq!(*desk.locales.lock().unwrap(), [(7, Locale::En)]);

    // A spelling that is not one of the choices is forged and changes nothing.
    let forging = turn(desk.clone(), Some(officer()));
    block_on(press(&forging, "l:EN")).unwrap();
    assert_eq!(said(&forging), [t(Locale::ZhCn, "form.stale_button", &[])]);
    assert_eq!(desk.locales.lock().unwrap().len(), 1);
}

#[test]
fn records_that_cannot_be_read_are_a_failure_for_the_shell_and_nothing_is_kept() {
    let desk = Arc::new(Memory {
        down: true,
        ..Memory::default()
    });
    let turn = turn(desk, Some(officer()));
    let handled = block_on(message(&turn, Message::Text("/drafts".into())));
    assert!(matches!(handled, Err(DeskError::Storage(_))), "{handled:?}");
    assert_eq!(turn.pending_dialogue(), None::<DialogueChange>);
}
