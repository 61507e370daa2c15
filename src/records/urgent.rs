//! Urgent reports (紧急信息) as records: the first message, its six facts (待补充 until given),
//! follow-ups, the office's acts on an event and the late flag. Plain data; the store reads and
//! writes them (`store::urgent`), the conversations say them.

use chrono::{DateTime, Duration, Utc};

use crate::domain::{RowId, UnitId};
use crate::forms::extract::Qualifier;
use crate::rules::UrgentRules;

/// The number of people involved as the officer gave it (`约200人`, `三四十人`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleInvolved {
    pub count: u32,
    /// The top of a range (`三四十人`: 30 to 40).
    pub upper: Option<u32>,
    pub qualifier: Qualifier,
    /// The officer's own words, which are what the office reads.
    pub words: String,
}

impl PeopleInvolved {
    /// How the count was qualified, as stored: `exact`, `about`, `more_than`, `nearly`, `range`.
    pub fn qualifier_code(&self) -> &'static str {
        qualifier_code(self.qualifier)
    }
}

/// The six facts of §2(2)3; `None` is "to be supplied" (待补充). In a change (completing the
/// facts, a follow-up) `None` leaves the stored fact as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrgentFacts {
    pub event_at: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub people: Option<PeopleInvolved>,
    pub cause: Option<String>,
    pub measures: Option<String>,
    pub status: Option<String>,
}

impl UrgentFacts {
    /// The facts still to be supplied, by their field names (`event_time`, `place`, `people`,
    /// `cause`, `measures`, `status`), in §2(2)3's order.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("event_time", self.event_at.is_none()),
            ("place", self.place.is_none()),
            ("people", self.people.is_none()),
            ("cause", self.cause.is_none()),
            ("measures", self.measures.is_none()),
            ("status", self.status.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect()
    }
}

/// Where an event's late flag stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LateFlag {
    /// In time, or no event time known yet.
    None,
    /// Stored more than the limit after the event: the office is to confirm or dismiss it.
    Flagged,
    /// Confirmed into a `late` veto.
    Confirmed,
    /// Dismissed by the office, with a reason.
    Dismissed,
}

impl LateFlag {
    pub const ALL: &'static [LateFlag] = &[
        LateFlag::None,
        LateFlag::Flagged,
        LateFlag::Confirmed,
        LateFlag::Dismissed,
    ];

    /// The code stored in `urgent_events.late`, and the prompt key's last part.
    pub const fn code(self) -> &'static str {
        match self {
            LateFlag::None => "none",
            LateFlag::Flagged => "flagged",
            LateFlag::Confirmed => "confirmed",
            LateFlag::Dismissed => "dismissed",
        }
    }

    pub fn parse(text: &str) -> Option<LateFlag> {
        LateFlag::ALL.iter().copied().find(|f| f.code() == text)
    }

    /// Whether the office has decided on it already.
    pub fn decided(self) -> bool {
        matches!(self, LateFlag::Confirmed | LateFlag::Dismissed)
    }
}

/// The first message of an urgent report, as it is stored at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUrgentReport {
    /// The message it came in, e.g. `tg:<chat>:<message id>`: the same key again is the same
    /// report.
    pub key: String,
    pub unit: UnitId,
    /// The officer (people.id), when it came through the bot.
    pub reported_by: Option<i64>,
    /// The officer's description, as written.
    pub text: String,
    /// The time Telegram gives the message: the hour is measured to it.
    pub reported_at: DateTime<Utc>,
    /// What could be drawn out of the text at once.
    pub facts: UrgentFacts,
    /// Recorded by the office from a telephone call (电话先报), `reported_at` the call's time.
    pub by_phone: bool,
    /// Who recorded it when it is not the reporter's own message (the office's command).
    pub recorded_by: Option<String>,
}

/// A report stored (or found stored under its key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportedUrgent {
    /// The event's number.
    pub id: i64,
    /// False when the key was stored before (a redelivered message): nothing was written.
    pub created: bool,
    pub late: LateFlag,
}

/// A follow-up (续报) to an open event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    /// The message it came in; the same key again is the same follow-up.
    pub key: String,
    pub event: i64,
    pub reported_by: Option<i64>,
    pub text: String,
    pub reported_at: DateTime<Utc>,
    /// The final report (终报): it closes the event.
    pub final_report: bool,
    /// What changed; `None` is unchanged. The event takes the new values as its current facts;
    /// measures accumulate, each kept with the follow-up's number.
    pub people: Option<PeopleInvolved>,
    pub measures: Option<String>,
    pub status: Option<String>,
    /// Facts the first report lacked, supplied by the follow-up (a time that arrives this way
    /// is judged for lateness then); a fact already known is left to be corrected explicitly.
    pub event_at: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub cause: Option<String>,
}

/// What adding a follow-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpOutcome {
    /// Stored as follow-up `number` of its event (or found stored under its key: `created`
    /// false); `closed` when it was the final report.
    Stored {
        id: i64,
        number: i64,
        created: bool,
        closed: bool,
        /// The event time it supplied raised the late flag.
        raised_flag: bool,
        /// A time it gives that differs from the event's known time: not taken (a follow-up's
        /// time is as often a new development's), but said to the officer and the office, so
        /// a wrong event time is corrected with `/urgent_fix`, never silently kept.
        other_time: Option<DateTime<Utc>>,
    },
    /// The event is closed: a follow-up is no longer taken.
    EventClosed,
}

/// What the office's decision on a late flag did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LateDecision {
    /// Recorded now; a confirmation with the veto it made.
    Decided { veto: Option<RowId> },
    /// Decided before (by someone else, or the same button pressed twice): nothing changed.
    AlreadyDecided { flag: LateFlag, by: Option<String> },
    /// The report was not flagged late: there is nothing to decide.
    NotFlagged,
    /// Flagged, but its event time was corrected since into the limit: a veto would say what
    /// is not so; the office dismisses the flag instead.
    NoLongerLate,
}

/// An urgent event as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentEvent {
    pub id: i64,
    pub unit: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub reported_by: Option<i64>,
    pub reporter_name: Option<String>,
    pub text: String,
    pub reported_at: DateTime<Utc>,
    pub last_report_at: DateTime<Utc>,
    /// The current facts: the first report's, completed and changed by follow-ups.
    pub facts: UrgentFacts,
    pub late: LateFlag,
    pub late_decided_by: Option<String>,
    pub late_decided_at: Option<DateTime<Utc>>,
    /// Why a flag was dismissed.
    pub late_reason: Option<String>,
    pub late_veto: Option<RowId>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    pub followups: i64,
    /// Voided by the office as filed by mistake: no reminders, no lateness, kept.
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<String>,
    pub void_reason: Option<String>,
    /// Recorded by the office from a telephone call.
    pub by_phone: bool,
}

impl UrgentEvent {
    /// Whole minutes from the event to the report, when the event time is known.
    pub fn delay_minutes(&self) -> Option<i64> {
        self.facts
            .event_at
            .map(|at| (self.reported_at - at).num_minutes())
    }

    pub fn is_open(&self) -> bool {
        self.closed_at.is_none() && self.voided_at.is_none()
    }

    /// What judging a new fact needs to know of it.
    pub fn state(&self) -> EventState {
        EventState {
            reported_at: self.reported_at,
            event_at: self.facts.event_at,
            late: self.late,
            closed: self.closed_at.is_some(),
            voided: self.voided_at.is_some(),
        }
    }
}

/// A fact as it was given, kept in the event's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    pub fact: FactName,
    /// The value as people read it (for the event time, `event_at` is the value).
    pub value: String,
    pub event_at: Option<DateTime<Utc>>,
    pub origin: Origin,
    /// The person's current name, when a person of the bot gave it.
    pub by_name: Option<String>,
    /// Who gave it otherwise (the command line's login).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// A stored follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentFollowUp {
    pub id: i64,
    pub number: i64,
    pub final_report: bool,
    pub text: String,
    pub reported_by: Option<i64>,
    pub reporter_name: Option<String>,
    pub reported_at: DateTime<Utc>,
    pub people: Option<PeopleInvolved>,
    pub measures: Option<String>,
    pub status: Option<String>,
}

/// An office member's act on an event: an acknowledgement or a request for a follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeAct {
    pub person: i64,
    pub name: Option<String>,
    pub at: DateTime<Utc>,
}

/// An event with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentDetail {
    pub event: UrgentEvent,
    pub followups: Vec<UrgentFollowUp>,
    pub acks: Vec<OfficeAct>,
    pub requests: Vec<OfficeAct>,
    /// Every fact given, in the order given.
    pub changes: Vec<StoredChange>,
}

impl UrgentDetail {
    /// The measures taken, each as given (the first report's, then each follow-up's), in order.
    pub fn measures(&self) -> Vec<&StoredChange> {
        self.changes
            .iter()
            .filter(|c| c.fact == FactName::Measures)
            .collect()
    }
}

/// Whether a report stored at `reported_at` about an event at `event_at` is late: more than
/// the limit between them (RULES.md: lateness = report time − event time > the limit).
pub fn is_late(rules: &UrgentRules, event_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> bool {
    reported_at - event_at > Duration::minutes(i64::from(rules.report_within_minutes))
}

/// How a count was qualified, as stored: `exact`, `about`, `more_than`, `nearly`, `range`.
pub fn qualifier_code(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::About => "about",
        Qualifier::MoreThan => "more_than",
        Qualifier::Nearly => "nearly",
        Qualifier::Range => "range",
    }
}

/// The six facts of §2(2)3, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactName {
    EventTime,
    Place,
    People,
    Cause,
    Measures,
    Status,
}

impl FactName {
    pub const ALL: [FactName; 6] = [
        FactName::EventTime,
        FactName::Place,
        FactName::People,
        FactName::Cause,
        FactName::Measures,
        FactName::Status,
    ];

    /// The field's name: in forms, the store's `fact` column and the prompts' `field.label.*`.
    pub const fn code(self) -> &'static str {
        match self {
            FactName::EventTime => "event_time",
            FactName::Place => "place",
            FactName::People => "people",
            FactName::Cause => "cause",
            FactName::Measures => "measures",
            FactName::Status => "status",
        }
    }

    pub fn parse(code: &str) -> Option<FactName> {
        FactName::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Where a fact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The first message, which is the report.
    Report,
    /// An answer to the facts form (or `/urgent_fix` by the unit).
    Answer,
    /// A follow-up, by its number.
    FollowUp(i64),
    /// The office's correction.
    Office,
}

impl Origin {
    pub const fn code(self) -> &'static str {
        match self {
            Origin::Report => "report",
            Origin::Answer => "answer",
            Origin::FollowUp(_) => "followup",
            Origin::Office => "office",
        }
    }

    pub fn is_office(self) -> bool {
        self == Origin::Office
    }
}

/// What judging a fact needs to know of its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventState {
    pub reported_at: DateTime<Utc>,
    pub event_at: Option<DateTime<Utc>>,
    pub late: LateFlag,
    pub closed: bool,
    pub voided: bool,
}
