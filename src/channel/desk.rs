//! The conversations' [`Desk`] over the store: each fact and record a conversation asks for,
//! read or written by the store's repository functions, and the store's errors said in the
//! conversation's terms.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::conversation::{Alerts, Answer, BulletinAnswer, Desk, DeskError};
use crate::domain::{InstructionLevel, ItemId, Role, RowId, UnitId};
use crate::i18n::Locale;
use crate::period::{Period, Quarter};
use crate::records::urgent::{
    FollowUpOutcome, LateDecision, NewFollowUp, NewUrgentReport, ReportedUrgent, UrgentDetail,
    UrgentEvent,
};
use crate::records::urgent_change::{FactChange, Refusal, Taken};
use crate::records::{
    ChatFiling, DeclineOutcome, Earlier, FailedMessage, GuidanceSet, Invite, ItemDetail,
    ItemSummary, NewAdoption, NewInstruction, NewVeto, OpenCommission, OpenInvite, PendingItem,
    Person, RecordKind, Recorder, SignOff, Topic,
};
use crate::reports::bulletin::{head_reply, number_label, preview_message};
use crate::reports::bulletin_issue::{
    BulletinError, IssuePreview, IssueRequest, describe_outcome, issue_bulletin_as, preview_issue,
    read_snapshot,
};
use crate::rules::Rules;
use crate::scoring::{Ledger, Unit};
use crate::store::UpdateOutcome;
use crate::store::{Store, StoreError};

/// How long an invitation code made in chat can be used.
const INVITE_DAYS: i64 = 7;

/// The store as the conversations see it.
#[derive(Clone)]
pub struct StoreDesk {
    pub store: Store,
    pub rules: Arc<Rules>,
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> DeskError {
        match e {
            StoreError::NotFound { what, key } => DeskError::NotFound { what, key },
            StoreError::Invalid { problem, .. } => DeskError::Invalid { problem },
            StoreError::Invite(refusal) => DeskError::Invite(refusal),
            StoreError::AlreadyRetracted { .. } => DeskError::AlreadyRetracted,
            // The whole chain goes to the log; the person is told the database failed.
            other => DeskError::Storage(format!("{other:?}")),
        }
    }
}

/// A store call as a desk answer.
macro_rules! ask {
    ($body:expr) => {
        Box::pin(async move { Ok($body.await?) })
    };
}

impl Desk for StoreDesk {
    fn person_at(&self, address: i64) -> Answer<'_, Option<Person>> {
        ask!(self.store.person_by_telegram(address))
    }

    fn dialogue(&self, chat: i64) -> Answer<'_, Option<String>> {
        ask!(self.store.load_dialogue(chat))
    }

    fn unit_by_code<'a>(&'a self, code: &'a str) -> Answer<'a, Option<Unit>> {
        ask!(self.store.unit_by_code(code))
    }

    fn people_of_unit(&self, unit: UnitId, role: Option<Role>) -> Answer<'_, Vec<Person>> {
        ask!(self.store.people_of_unit(unit, role))
    }

    fn item(&self, id: ItemId) -> Answer<'_, Option<ItemSummary>> {
        ask!(self.store.item(id))
    }

    fn item_detail(&self, id: ItemId) -> Answer<'_, Option<ItemDetail>> {
        Box::pin(async move { Ok(self.store.item_detail(&id.to_string()).await?) })
    }

    fn find_items<'a>(&'a self, word: &'a str, limit: i64) -> Answer<'a, Vec<ItemSummary>> {
        ask!(self.store.find_items(word, limit))
    }

    fn items_of_unit(&self, unit: UnitId, limit: i64) -> Answer<'_, Vec<ItemSummary>> {
        ask!(self.store.items_of_unit(unit, limit))
    }

    fn inbox(&self, before: Option<ItemId>, limit: i64) -> Answer<'_, Vec<ItemSummary>> {
        ask!(self.store.inbox(before, limit))
    }

    fn inbox_count(&self) -> Answer<'_, i64> {
        ask!(self.store.inbox_count())
    }

    fn open_commissions(&self, unit: UnitId) -> Answer<'_, Vec<OpenCommission>> {
        ask!(self.store.open_commissions(unit))
    }

    fn instructions_like(&self, item: ItemId, level: InstructionLevel) -> Answer<'_, Vec<Earlier>> {
        ask!(self.store.instructions_like(item, level))
    }

    fn commissions_like<'a>(&'a self, unit: UnitId, subject: &'a str) -> Answer<'a, Vec<Earlier>> {
        ask!(self.store.commissions_like(unit, subject))
    }

    fn guidance(&self, quarter: Quarter) -> Answer<'_, Vec<Topic>> {
        ask!(self.store.guidance(quarter))
    }

    fn ledger(&self, period: Period, zone: Tz) -> Answer<'_, Ledger> {
        ask!(self.store.load_ledger(period, zone))
    }

    fn ledger_for_points(&self, period: Period, zone: Tz) -> Answer<'_, Ledger> {
        ask!(self.store.load_ledger_for_points(period, zone))
    }

    fn pending_item(&self, id: i64) -> Answer<'_, Option<PendingItem>> {
        ask!(self.store.pending_item(id))
    }

    fn pending_for_unit(&self, unit: UnitId) -> Answer<'_, Vec<PendingItem>> {
        ask!(self.store.pending_for_unit(unit))
    }

    fn failed_messages(&self, limit: i64) -> Answer<'_, Vec<FailedMessage>> {
        ask!(self.store.failed_messages(limit))
    }

    fn office_people(&self) -> Answer<'_, Vec<Person>> {
        ask!(self.store.office_people())
    }

    fn open_urgent(&self, unit: Option<UnitId>) -> Answer<'_, Vec<UrgentEvent>> {
        ask!(self.store.open_urgent(unit))
    }

    fn urgent_event(&self, event: i64) -> Answer<'_, Option<UrgentDetail>> {
        ask!(self.store.urgent_event(event))
    }

    fn report_urgent<'a>(
        &'a self,
        report: &'a NewUrgentReport,
        alerts: Alerts<'a>,
        now: DateTime<Utc>,
    ) -> Answer<'a, ReportedUrgent> {
        Box::pin(async move {
            let rows = |reported: &ReportedUrgent| UpdateOutcome {
                messages: alerts(reported)
                    .iter()
                    .flat_map(super::apply::rows_of)
                    .collect(),
                ..UpdateOutcome::default()
            };
            let (reported, _queued) = self
                .store
                .commit_urgent_report(&self.rules.urgent, report, now, rows)
                .await?;
            Ok(reported)
        })
    }

    fn record_urgent_fact<'a>(
        &'a self,
        change: &'a FactChange,
    ) -> Answer<'a, Result<Taken, Refusal>> {
        ask!(self.store.record_urgent_fact(&self.rules.urgent, change))
    }

    fn void_urgent<'a>(
        &'a self,
        event: i64,
        reason: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool> {
        ask!(self.store.void_urgent(event, reason, by, at))
    }

    fn add_followup<'a>(
        &'a self,
        followup: &'a NewFollowUp,
        by: &'a Recorder,
    ) -> Answer<'a, FollowUpOutcome> {
        ask!(
            self.store
                .add_urgent_followup(&self.rules.urgent, followup, by)
        )
    }

    fn close_urgent<'a>(
        &'a self,
        event: i64,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool> {
        ask!(self.store.close_urgent(event, by, at))
    }

    fn acknowledge_urgent(&self, event: i64, person: i64, at: DateTime<Utc>) -> Answer<'_, bool> {
        ask!(self.store.acknowledge_urgent(event, person, at))
    }

    fn ask_urgent_followup<'a>(
        &'a self,
        key: &'a str,
        event: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool> {
        ask!(self.store.ask_urgent_followup(key, event, person, at))
    }

    fn confirm_late<'a>(
        &'a self,
        event: i64,
        key: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, LateDecision> {
        ask!(
            self.store
                .confirm_urgent_late_pressed(&self.rules, event, key, by, at)
        )
    }

    fn dismiss_late<'a>(
        &'a self,
        event: i64,
        reason: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, LateDecision> {
        ask!(self.store.dismiss_urgent_late(event, reason, by, at))
    }

    fn redeem_invite<'a>(
        &'a self,
        code: &'a str,
        address: i64,
        name: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, Person> {
        ask!(self.store.redeem_invite(code, address, name, now))
    }

    fn undecided(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        before: Option<ItemId>,
        limit: i64,
    ) -> Answer<'_, (Vec<ItemSummary>, i64)> {
        ask!(self.store.undecided(from, to, before, limit))
    }

    fn person(&self, id: i64) -> Answer<'_, Option<Person>> {
        ask!(self.store.person_by_id(id))
    }

    fn open_invites(&self, now: DateTime<Utc>) -> Answer<'_, Vec<OpenInvite>> {
        ask!(self.store.open_invites(now))
    }

    fn decline_item<'a>(
        &'a self,
        id: ItemId,
        person: i64,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, DeclineOutcome> {
        ask!(
            self.store
                .decline_item(id, Some(person), Some(key), by, now)
        )
    }

    fn deactivate_person<'a>(
        &'a self,
        id: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (Person, bool)> {
        ask!(self.store.deactivate_person(id, by, now))
    }

    fn move_person<'a>(
        &'a self,
        id: i64,
        unit_code: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, (Person, bool)> {
        ask!(self.store.move_person(id, unit_code, now))
    }

    fn revoke_invite<'a>(
        &'a self,
        number_or_code: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, OpenInvite> {
        ask!(self.store.revoke_invite(number_or_code, by, now))
    }

    fn set_locale(&self, person: i64, locale: Locale) -> Answer<'_, ()> {
        ask!(self.store.set_locale(person, locale.code()))
    }

    fn set_name<'a>(&'a self, person: i64, name: &'a str) -> Answer<'a, Person> {
        ask!(self.store.set_name(person, name))
    }

    fn create_invite<'a>(
        &'a self,
        unit_code: Option<&'a str>,
        role: Role,
        name: Option<&'a str>,
        now: DateTime<Utc>,
        by: &'a Recorder,
    ) -> Answer<'a, Invite> {
        let valid_for = Duration::days(INVITE_DAYS);
        ask!(
            self.store
                .create_named_invite(unit_code, role, name, valid_for, now, by)
        )
    }

    fn file_item<'a>(
        &'a self,
        filing: &'a ChatFiling,
        chat: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (ItemId, bool)> {
        ask!(self.store.file_from_chat(filing, chat, None, by, now))
    }

    fn submit_for_sign_off<'a>(
        &'a self,
        filing: &'a ChatFiling,
        chat: i64,
        now: DateTime<Utc>,
    ) -> Answer<'a, (i64, bool)> {
        ask!(self.store.submit_for_sign_off(filing, chat, None, now))
    }

    fn approve_pending<'a>(
        &'a self,
        id: i64,
        leader: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, SignOff> {
        ask!(self.store.approve_pending(id, leader, by, now))
    }

    fn return_pending<'a>(
        &'a self,
        id: i64,
        leader: i64,
        remark: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, SignOff> {
        ask!(self.store.return_pending(id, leader, remark, now))
    }

    fn adopt<'a>(
        &'a self,
        adoption: &'a NewAdoption,
        key: &'a str,
        chat: i64,
        person: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (RowId, bool)> {
        ask!(
            self.store
                .adopt_from_chat(adoption, key, chat, person, None, by, now)
        )
    }

    fn instruct<'a>(
        &'a self,
        instruction: &'a NewInstruction,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId> {
        ask!(self.store.add_instruction_keyed(instruction, key, by))
    }

    fn commission<'a>(
        &'a self,
        unit_code: &'a str,
        subject: &'a str,
        due: NaiveDate,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId> {
        ask!(
            self.store
                .add_commission_keyed(unit_code, subject, due, Some(key), by)
        )
    }

    fn veto<'a>(&'a self, veto: &'a NewVeto, key: &'a str, by: &'a Recorder) -> Answer<'a, RowId> {
        ask!(self.store.add_veto_keyed(veto, Some(key), by))
    }

    fn retract<'a>(
        &'a self,
        kind: RecordKind,
        id: RowId,
        reason: &'a str,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId> {
        ask!(self.store.retract_keyed(kind, id, reason, Some(key), by))
    }

    fn return_item<'a>(
        &'a self,
        id: ItemId,
        reason: &'a str,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, ItemSummary> {
        ask!(self.store.return_item_keyed(id, reason, Some(key), by, now))
    }

    fn set_guidance<'a>(
        &'a self,
        quarter: Quarter,
        titles: &'a [String],
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, GuidanceSet> {
        ask!(self.store.set_guidance(quarter, titles, by, now))
    }

    fn preview_bulletin(
        &self,
        quarter: Quarter,
        now: DateTime<Utc>,
        locale: Locale,
    ) -> Answer<'_, BulletinAnswer> {
        Box::pin(async move {
            let zone = self.rules.zone();
            match preview_issue(&self.store, &self.rules, quarter, now, None).await {
                Ok(IssuePreview::Fresh {
                    bulletin,
                    heads,
                    office,
                    empty,
                }) => Ok(BulletinAnswer::Preview {
                    text: preview_message(&bulletin, locale, heads, office, empty),
                    empty,
                }),
                Ok(IssuePreview::Issued(stored)) => Ok(BulletinAnswer::IssuedBefore {
                    number: number_label(locale, stored.year, stored.number),
                    at: stored
                        .issued_at
                        .with_timezone(&zone)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                }),
                Err(e) => bulletin_refusal(e),
            }
        })
    }

    fn issue_bulletin<'a>(
        &'a self,
        quarter: Quarter,
        force: bool,
        allow_empty: bool,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
        locale: Locale,
    ) -> Answer<'a, BulletinAnswer> {
        Box::pin(async move {
            let request = IssueRequest {
                force,
                allow_empty,
                number: None,
                source: Some(key),
            };
            match issue_bulletin_as(&self.store, &self.rules, quarter, now, by, request).await {
                Ok(issued) => Ok(BulletinAnswer::Issued {
                    described: describe_outcome(locale, self.rules.zone(), &issued),
                    sent_before: !issued.newly_stored && issued.resend.is_none(),
                }),
                Err(e) => bulletin_refusal(e),
            }
        })
    }

    fn latest_bulletin(&self, unit: Option<UnitId>, locale: Locale) -> Answer<'_, Option<String>> {
        Box::pin(async move {
            let Some(stored) = self.store.latest_bulletin().await? else {
                return Ok(None);
            };
            let bulletin = read_snapshot(&stored)?;
            Ok(Some(head_reply(&bulletin, locale, unit)))
        })
    }
}

/// A bulletin not issued (or not previewed), in the conversation's terms.
fn bulletin_refusal(e: BulletinError) -> Result<BulletinAnswer, DeskError> {
    match e {
        BulletinError::NotEnded(q) => Ok(BulletinAnswer::NotEnded(q)),
        BulletinError::TooOld(q) => Ok(BulletinAnswer::TooOld(q)),
        BulletinError::NoFiling(q) => Ok(BulletinAnswer::NoFiling(q)),
        // Chat gives no number: a number taken is one taken while it was being issued.
        e @ (BulletinError::NumberUsed { .. } | BulletinError::NumberFixed { .. }) => {
            Err(DeskError::Storage(e.to_string()))
        }
        BulletinError::Store(e) => Err(e.into()),
    }
}
