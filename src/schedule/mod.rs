//! The scheduler's pure core: which jobs the calendar, the rules and the stored state make due
//! between two instants (guidance, reminders, bulletins), who each one reaches and what it
//! says. No store, no clock: the shell (`crate::scheduler`) reads the facts, passes the time,
//! and only enqueues what this returns.

mod messages;
mod slots;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::{Role, UnitId, UnitKind};
use crate::i18n::Locale;
use crate::period::{Period, Quarter};
use crate::points::Points;

pub use messages::{Delivery, deliveries, recipients};
pub use slots::{
    UrgentReminder, outside_quiet_hours, slots, urgent_escalation_due, urgent_reminders,
};

/// What a job is, as the preview and the job ledger name it (its code, in JSON too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobKind {
    Guidance,
    GuidanceCorrection,
    QuarterReminder,
    QuotaReminder,
    CommissionReminder,
    CommissionOverdue,
    OfficeReports,
    Bulletin,
    UrgentFollowUp,
    UrgentEscalation,
}

impl JobKind {
    /// Every kind, in the order the preview's `--kind` lists them.
    pub const ALL: &'static [JobKind] = &[
        JobKind::Guidance,
        JobKind::GuidanceCorrection,
        JobKind::QuarterReminder,
        JobKind::QuotaReminder,
        JobKind::CommissionReminder,
        JobKind::CommissionOverdue,
        JobKind::OfficeReports,
        JobKind::Bulletin,
        JobKind::UrgentFollowUp,
        JobKind::UrgentEscalation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobKind::Guidance => "guidance",
            JobKind::GuidanceCorrection => "guidance_correction",
            JobKind::QuarterReminder => "quarter_reminder",
            JobKind::QuotaReminder => "quota_reminder",
            JobKind::CommissionReminder => "commission_reminder",
            JobKind::CommissionOverdue => "commission_overdue",
            JobKind::OfficeReports => "office_reports",
            JobKind::Bulletin => "bulletin",
            JobKind::UrgentFollowUp => "urgent_followup",
            JobKind::UrgentEscalation => "urgent_escalation",
        }
    }

    /// The kind of a code (`urgent_followup`), as the preview's `--kind` takes it.
    pub fn from_code(code: &str) -> Option<JobKind> {
        JobKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// As its code: the preview's JSON names a kind as `--kind` takes it and the job ledger
/// stores it (`urgent_followup`).
impl Serialize for JobKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// What a job is about, with what its recipients and message depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Guidance {
        quarter: Quarter,
        revision: i64,
        topics: Vec<String>,
    },
    /// The quarter ends on `ends_on` (its last day); only units with no filing when
    /// `only_empty`, else units short of the cap's worth.
    QuarterDeadline {
        quarter: Quarter,
        ends_on: NaiveDate,
        only_empty: bool,
    },
    /// Units under their kind's monthly quota in the month of `first_day`.
    Quota {
        first_day: NaiveDate,
    },
    Commission {
        commission: OpenCommission,
        days_left: u32,
    },
    CommissionOverdue {
        commission: OpenCommission,
    },
    /// Honoraria (and after a year, the award proposal) are ready for `period`.
    OfficeReports {
        period: Period,
    },
    Bulletin {
        quarter: Quarter,
    },
    /// An open urgent event is due a follow-up (续报).
    UrgentFollowUp {
        event: OpenUrgent,
    },
    /// An open urgent event has had `reminders` follow-up reminders in a row without a
    /// follow-up: the office is told, once per event.
    UrgentEscalation {
        event: OpenUrgent,
        reminders: u32,
    },
}

/// One job of the calendar: due `at` (already moved out of quiet hours), of no more use from
/// `stale_at`, recorded once under `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub kind: JobKind,
    pub key: String,
    pub at: DateTime<Utc>,
    pub stale_at: DateTime<Utc>,
    pub subject: Subject,
}

/// A quarter's guidance as last set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidanceRevision {
    pub quarter: Quarter,
    pub revision: i64,
    pub topics: Vec<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A commission its unit has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCommission {
    pub id: i64,
    pub unit: UnitId,
    pub subject: String,
    pub due_on: NaiveDate,
}

/// An urgent event not closed yet, as its follow-up reminders need it (nothing of its text:
/// urgent reports are confidential, and a reminder names the event by number and unit only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenUrgent {
    /// The event's number.
    pub id: i64,
    pub unit: UnitId,
    /// How many follow-ups it has had (0: the first report only).
    pub followups: u32,
    /// When its first report reached the bot: the frequent reminders are of that day alone.
    pub reported_at: DateTime<Utc>,
    /// When its latest report or follow-up reached the bot: reminders are counted from it.
    pub last_report_at: DateTime<Utc>,
    /// The facts still to be supplied, by field name in §2(2)3's order (`event_time`, `place`,
    /// `people`, `cause`, `measures`, `status`; `UrgentFacts::missing`): the reminder asks for
    /// them, the event time first.
    pub missing: Vec<&'static str>,
}

/// What the calendar's jobs depend on besides the rules: the guidance set, the open
/// commissions and urgent events, and the keys of the jobs already run (enqueued or skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub guidance: Vec<GuidanceRevision>,
    pub commissions: Vec<OpenCommission>,
    pub urgent: Vec<OpenUrgent>,
    pub done: BTreeSet<String>,
}

/// A person a scheduled message can reach: registered, with a chat, not known to have
/// blocked the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub person: i64,
    pub chat: i64,
    pub role: Role,
    pub unit: Option<UnitId>,
    pub locale: Locale,
}

/// A unit as the messages name it, with its figures for the job's period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFigures {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    /// Its own filings in the job's period (the quarter, or the month for a quota).
    pub filed: u32,
    /// Its points in the job's quarter (for a quarter reminder).
    pub points: Points,
}

/// What the office is told is ready after a half-year or a year (provisional figures).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeFigures {
    /// Officers and units paid, and the sum in whole yuan, for the half-year just ended.
    pub payees: u32,
    pub honoraria: i64,
    /// After a year: units eligible for an award, and the first of them.
    pub eligible: Option<u32>,
    pub first: Option<String>,
}

/// Everything one job's recipients and messages are drawn from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFacts {
    pub members: Vec<Member>,
    pub units: Vec<UnitFigures>,
    pub office: OfficeFigures,
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod urgent_tests;
