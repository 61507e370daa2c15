//! The port through which a conversation asks for facts and stores records: a trait the shell
//! implements over the store, so the conversations import no database and can run on any
//! channel, or against an in-memory desk in a test.
//!
//! Every write carries a natural key (the message or form revision it came from), so a write
//! repeated because its update was handled again after a crash stores nothing twice; what the
//! conversation says, and the dialogue's new state, are not written here but left in the turn's
//! outcome and committed with the update in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use futures::future::BoxFuture;

use crate::domain::{InstructionLevel, ItemId, Role, RowId, UnitId};
use crate::i18n::Locale;
use crate::period::{Period, Quarter};
use crate::records::urgent::{
    FollowUpOutcome, LateDecision, NewFollowUp, NewUrgentReport, ReportedUrgent, UrgentDetail,
    UrgentEvent,
};
use crate::records::urgent_change::{FactChange, Refusal, Taken};
use crate::records::{
    ChatFiling, DeclineOutcome, Earlier, FailedMessage, GuidanceSet, Invite, InviteRefusal,
    ItemDetail, ItemSummary, NewAdoption, NewInstruction, NewVeto, OpenCommission, OpenInvite,
    PendingItem, Person, Problem, RecordKind, Recorder, SignOff, Topic,
};
use crate::scoring::{Ledger, Unit};

use super::said::Notice;

/// The alerts of a report, made once its number and late flag are known.
pub type Alerts<'a> = &'a (dyn Fn(&ReportedUrgent) -> Vec<Notice> + Sync);

/// Why the desk could not do what was asked, in the conversation's terms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeskError {
    /// A unit, item, person or record named does not exist.
    #[error("no {what} {key} is recorded")]
    NotFound { what: &'static str, key: String },
    /// A value broke a rule only the records can check.
    #[error("{problem:?}")]
    Invalid { problem: Problem },
    /// An invitation code was not accepted.
    #[error("the invitation was refused: {0:?}")]
    Invite(InviteRefusal),
    /// A record was retracted once already.
    #[error("already retracted")]
    AlreadyRetracted,
    /// The records could not be read or written (the database failed); the description is
    /// for the log, the person is told `error.database`.
    #[error("storage: {0}")]
    Storage(String),
}

/// What the bulletin's preview or issuing said, already in the asker's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulletinAnswer {
    /// Not issued yet: the whole bulletin as it would be issued, with its number and how many
    /// it would reach, to confirm.
    Preview {
        text: String,
        /// Nothing was filed in the quarter: issued only if the office insists.
        empty: bool,
    },
    /// Issued before: as what and when.
    IssuedBefore { number: String, at: String },
    Issued {
        /// How the bulletin went out (or that it had, already), in lines.
        described: String,
        /// Whether it had gone to everyone before, so that sending it again needs `again`.
        sent_before: bool,
    },
    /// The quarter has not ended.
    NotEnded(Quarter),
    /// The quarter is older than bulletins are issued for.
    TooOld(Quarter),
    /// Nothing was filed in the quarter, and issuing it anyway was not asked for.
    NoFiling(Quarter),
}

pub type Answer<'a, T> = BoxFuture<'a, Result<T, DeskError>>;

/// Facts a conversation reads and records it stores.
pub trait Desk: Send + Sync {
    // Facts.
    fn person_at(&self, address: i64) -> Answer<'_, Option<Person>>;
    fn dialogue(&self, chat: i64) -> Answer<'_, Option<String>>;
    fn unit_by_code<'a>(&'a self, code: &'a str) -> Answer<'a, Option<Unit>>;
    fn people_of_unit(&self, unit: UnitId, role: Option<Role>) -> Answer<'_, Vec<Person>>;
    fn item(&self, id: ItemId) -> Answer<'_, Option<ItemSummary>>;
    fn item_detail(&self, id: ItemId) -> Answer<'_, Option<ItemDetail>>;
    fn find_items<'a>(&'a self, word: &'a str, limit: i64) -> Answer<'a, Vec<ItemSummary>>;
    fn items_of_unit(&self, unit: UnitId, limit: i64) -> Answer<'_, Vec<ItemSummary>>;
    fn inbox(&self, before: Option<ItemId>, limit: i64) -> Answer<'_, Vec<ItemSummary>>;
    fn inbox_count(&self) -> Answer<'_, i64>;
    /// The items filed from `from` to `to` not decided yet, newest first (older than `before`),
    /// and how many in all.
    fn undecided(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        before: Option<ItemId>,
        limit: i64,
    ) -> Answer<'_, (Vec<ItemSummary>, i64)>;
    /// The person with this number, deactivated or not.
    fn person(&self, id: i64) -> Answer<'_, Option<Person>>;
    /// The invitations not used, withdrawn or expired.
    fn open_invites(&self, now: DateTime<Utc>) -> Answer<'_, Vec<OpenInvite>>;
    fn open_commissions(&self, unit: UnitId) -> Answer<'_, Vec<OpenCommission>>;
    /// The instructions standing on an item at a level (a new one would be a second).
    fn instructions_like(&self, item: ItemId, level: InstructionLevel) -> Answer<'_, Vec<Earlier>>;
    /// The commissions standing to a unit on a subject (a new one would be a second).
    fn commissions_like<'a>(&'a self, unit: UnitId, subject: &'a str) -> Answer<'a, Vec<Earlier>>;
    fn guidance(&self, quarter: Quarter) -> Answer<'_, Vec<Topic>>;
    /// Every event of the period, for the scoring engine.
    fn ledger(&self, period: Period, zone: Tz) -> Answer<'_, Ledger>;
    /// The events that carry points only (standings need no more).
    fn ledger_for_points(&self, period: Period, zone: Tz) -> Answer<'_, Ledger>;
    fn pending_item(&self, id: i64) -> Answer<'_, Option<PendingItem>>;
    fn pending_for_unit(&self, unit: UnitId) -> Answer<'_, Vec<PendingItem>>;
    fn failed_messages(&self, limit: i64) -> Answer<'_, Vec<FailedMessage>>;
    /// The office's members.
    fn office_people(&self) -> Answer<'_, Vec<Person>>;
    /// The open urgent events, newest first, of one unit or all.
    fn open_urgent(&self, unit: Option<UnitId>) -> Answer<'_, Vec<UrgentEvent>>;
    fn urgent_event(&self, event: i64) -> Answer<'_, Option<UrgentDetail>>;

    // Records.
    /// Binds the address to the invitation's unit and role.
    fn redeem_invite<'a>(
        &'a self,
        code: &'a str,
        address: i64,
        name: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, Person>;
    fn set_locale(&self, person: i64, locale: Locale) -> Answer<'_, ()>;
    /// Records the office's 不采用 of an item, once, under the input's key.
    fn decline_item<'a>(
        &'a self,
        id: ItemId,
        person: i64,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, DeclineOutcome>;
    /// Deactivates a person; whether they were active.
    fn deactivate_person<'a>(
        &'a self,
        id: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (Person, bool)>;
    /// Moves a person to another unit; whether the unit changed.
    fn move_person<'a>(
        &'a self,
        id: i64,
        unit_code: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, (Person, bool)>;
    /// Withdraws an invitation not used yet, by number or code.
    fn revoke_invite<'a>(
        &'a self,
        number_or_code: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, OpenInvite>;
    fn set_name<'a>(&'a self, person: i64, name: &'a str) -> Answer<'a, Person>;
    fn create_invite<'a>(
        &'a self,
        unit_code: Option<&'a str>,
        role: Role,
        name: Option<&'a str>,
        now: DateTime<Utc>,
        by: &'a Recorder,
    ) -> Answer<'a, Invite>;
    /// Files a confirmed item; whether it was new (else found by its key).
    fn file_item<'a>(
        &'a self,
        filing: &'a ChatFiling,
        chat: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (ItemId, bool)>;
    fn submit_for_sign_off<'a>(
        &'a self,
        filing: &'a ChatFiling,
        chat: i64,
        now: DateTime<Utc>,
    ) -> Answer<'a, (i64, bool)>;
    fn approve_pending<'a>(
        &'a self,
        id: i64,
        leader: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, SignOff>;
    fn return_pending<'a>(
        &'a self,
        id: i64,
        leader: i64,
        remark: &'a str,
        now: DateTime<Utc>,
    ) -> Answer<'a, SignOff>;
    #[allow(clippy::too_many_arguments)]
    fn adopt<'a>(
        &'a self,
        adoption: &'a NewAdoption,
        key: &'a str,
        chat: i64,
        person: i64,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, (RowId, bool)>;
    fn instruct<'a>(
        &'a self,
        instruction: &'a NewInstruction,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId>;
    fn commission<'a>(
        &'a self,
        unit_code: &'a str,
        subject: &'a str,
        due: NaiveDate,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId>;
    fn veto<'a>(&'a self, veto: &'a NewVeto, key: &'a str, by: &'a Recorder) -> Answer<'a, RowId>;
    fn retract<'a>(
        &'a self,
        kind: RecordKind,
        id: RowId,
        reason: &'a str,
        key: &'a str,
        by: &'a Recorder,
    ) -> Answer<'a, RowId>;
    /// Returns an item to its officer (退稿); the item as it is now.
    fn return_item<'a>(
        &'a self,
        id: ItemId,
        reason: &'a str,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, ItemSummary>;
    fn set_guidance<'a>(
        &'a self,
        quarter: Quarter,
        titles: &'a [String],
        by: &'a Recorder,
        now: DateTime<Utc>,
    ) -> Answer<'a, GuidanceSet>;
    /// Stores an urgent report's first message, and its alerts as outbox rows, in one
    /// transaction: the alerts are never lost, nor sent for a report not stored.
    fn report_urgent<'a>(
        &'a self,
        report: &'a NewUrgentReport,
        alerts: Alerts<'a>,
        now: DateTime<Utc>,
    ) -> Answer<'a, ReportedUrgent>;
    /// Stores one fact given to an event, if the rules take it (RULES.md: every fact stored
    /// the moment it is given); the same change again stores nothing.
    fn record_urgent_fact<'a>(
        &'a self,
        change: &'a FactChange,
    ) -> Answer<'a, Result<Taken, Refusal>>;
    /// Voids a report filed by mistake, with the office's reason; whether it was not before.
    fn void_urgent<'a>(
        &'a self,
        event: i64,
        reason: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool>;
    fn add_followup<'a>(
        &'a self,
        followup: &'a NewFollowUp,
        by: &'a Recorder,
    ) -> Answer<'a, FollowUpOutcome>;
    /// Closes an event; whether it was open.
    fn close_urgent<'a>(
        &'a self,
        event: i64,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool>;
    /// An office member saw the alert; whether for the first time.
    fn acknowledge_urgent(&self, event: i64, person: i64, at: DateTime<Utc>) -> Answer<'_, bool>;
    /// An office member asks for a follow-up; whether this request is new.
    fn ask_urgent_followup<'a>(
        &'a self,
        key: &'a str,
        event: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Answer<'a, bool>;
    /// Confirms a late flag by a press (`key`): the same press again gets the same answer.
    fn confirm_late<'a>(
        &'a self,
        event: i64,
        key: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, LateDecision>;
    fn dismiss_late<'a>(
        &'a self,
        event: i64,
        reason: &'a str,
        by: &'a Recorder,
        at: DateTime<Utc>,
    ) -> Answer<'a, LateDecision>;
    /// What issuing a quarter's bulletin would do, described in `locale`; nothing is stored.
    fn preview_bulletin(
        &self,
        quarter: Quarter,
        now: DateTime<Utc>,
        locale: Locale,
    ) -> Answer<'_, BulletinAnswer>;
    /// Issues a quarter's bulletin (or sends it again, `force`), described in `locale`; a
    /// quarter with no filing only when `allow_empty`.
    #[allow(clippy::too_many_arguments)]
    fn issue_bulletin<'a>(
        &'a self,
        quarter: Quarter,
        force: bool,
        allow_empty: bool,
        key: &'a str,
        by: &'a Recorder,
        now: DateTime<Utc>,
        locale: Locale,
    ) -> Answer<'a, BulletinAnswer>;
    /// The latest bulletin issued, in `locale`, with the line of `unit` first; none if none
    /// was issued.
    fn latest_bulletin(&self, unit: Option<UnitId>, locale: Locale) -> Answer<'_, Option<String>>;
}
