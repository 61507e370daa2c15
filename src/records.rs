//! New records as they arrive from a CSV row, the command line or a chat form, already parsed:
//! the store checks what only it can (that a unit code or item reference exists) and stores them.
//! The submodules hold the plain data the store hands back (people, items, sign-offs, guidance,
//! outbox messages), free of the database, so that a pure core can use them.

pub mod dialogue;
pub mod filed;
pub mod guidance;
pub mod kind;
pub mod outbox;
pub mod people;
pub mod recorder;
pub mod sign_off;
pub mod urgent;
pub mod urgent_change;

pub use dialogue::DialogueChange;
pub use filed::{
    ChatFiling, DeclineOutcome, Declined, ItemAdoption, ItemDetail, ItemInstruction, ItemSummary,
};
pub use guidance::{GuidanceSet, OpenCommission, Topic};
pub use kind::RecordKind;
pub use outbox::{FailedMessage, NewMessage};
pub use people::{Invite, InviteRefusal, OpenInvite, Person};
pub use recorder::RecordedBy;
pub use sign_off::{Decision, PendingItem, SignOff};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    AdoptionForm, AdoptionLevel, Category, InstructionLevel, RowId, UnitKind, VetoKind,
};

/// Who recorded a record: `cli:<login>`, `import:<login>`, `telegram:<user id>`,
/// `terminal:<address>` or `scheduler`; kept on every point-moving row, shown only through
/// [`RecordedBy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorder(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// Required for a direct-report point, refused for any other kind.
    pub parent_code: Option<String>,
}

/// The header fields of §3(3), optional on imported history, all required in the chat form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderFields {
    pub distribution_scope: Option<String>,
    pub issuing_unit: Option<String>,
    pub signer: Option<String>,
    pub responsible_person: Option<String>,
    pub dated: Option<NaiveDate>,
    pub copies: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// The office's own reference (imports); unique when given.
    pub reference: Option<String>,
    pub unit_code: String,
    pub filed_at: DateTime<Utc>,
    pub title: String,
    pub category: Category,
    pub commissioned: bool,
    /// The officer's name as the office knows it (imports), for honoraria.
    pub officer: Option<String>,
    pub body: Option<String>,
    pub header: HeaderFields,
}

/// Which item an adoption or instruction is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemTarget {
    /// An item stored here, by the office's reference.
    Reference(String),
    /// An item stored here, by its number.
    Number(i64),
    /// An item never filed here, adopted through another channel (§5(1)8).
    External { unit_code: String, title: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdoption {
    pub item: ItemTarget,
    pub level: AdoptionLevel,
    pub form: AdoptionForm,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstruction {
    pub item: ItemTarget,
    pub level: InstructionLevel,
    pub on: NaiveDate,
}

/// A record already standing that a new one would repeat (an instruction on the same item at
/// the same level, a commission to the same unit on the same subject), so the office is asked
/// whether the new one is really a second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub id: RowId,
    /// The record's own day: an instruction's date, a commission's deadline.
    pub on: NaiveDate,
    /// Who recorded it, as stored (`telegram:<id>`, `cli:<login>`…).
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The key of the update or form that made it, if any: a confirmation handled again finds
    /// its own record by it, which it does not take for an earlier one.
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVeto {
    pub unit_code: String,
    pub kind: VetoKind,
    pub on: NaiveDate,
    pub reason: String,
}

/// Where in an input a value was refused: a CSV line (the header is line 1) and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: String,
    pub problem: Problem,
}

/// What is wrong with one value; each variant has a prompt `problem.<code>` in `prompts/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("is empty")]
    Empty,
    #[error("is longer than {limit} characters")]
    TooLong { limit: usize },
    /// A list with more entries than it may hold.
    #[error("holds more than {limit} entries")]
    TooMany { limit: usize },
    #[error("{value:?} is not one of: {expected}")]
    NotOneOf { value: String, expected: String },
    #[error("{value:?} is not a date (YYYY-MM-DD)")]
    NotADate { value: String },
    #[error("{value:?} is not a time (YYYY-MM-DD HH:MM, optionally with an offset)")]
    NotATime { value: String },
    /// An event's time that cannot be read: the officer is shown the forms people write
    /// (`14:30`, `今天上午9点30分`, `昨晚8点`), not a file's.
    #[error("{value:?} is not an event time (14:30, 今天上午9点30分, 昨晚8点)")]
    NotAnEventTime { value: String },
    #[error("{value:?} is not a whole number from {min} to {max}")]
    NotANumber { value: String, min: i64, max: i64 },
    #[error("{value:?} is not yes or no")]
    NotYesNo { value: String },
    #[error("no number of people can be read in {value:?}")]
    NoCount { value: String },
    /// A count of people below zero (`-5人`, `负5人`).
    #[error("{value:?} is a negative number of people")]
    NegativeCount { value: String },
    #[error("no unit has the code {value:?}")]
    UnknownUnit { value: String },
    #[error("no item has the reference {value:?}")]
    UnknownItem { value: String },
    #[error("{value:?} is already used for a different record")]
    Conflict { value: String },
    #[error("a direct-report point needs a parent unit")]
    ParentMissing,
    #[error("only a direct-report point has a parent")]
    ParentNotAllowed,
    #[error("the parent {value:?} is a direct-report point itself")]
    ParentIsDirectPoint { value: String },
    #[error("the column is missing from the header")]
    MissingColumn,
    #[error("the row has {found} fields, the header {expected}")]
    WrongFieldCount { found: usize, expected: usize },
    #[error("appears twice in this file with different values")]
    DuplicateInFile,
    /// A chat answer that was not text (a photo, a sticker, a voice message, a file…); `kind`
    /// names it for the log, the prompt does not need it.
    #[error("a {kind} is not a text answer")]
    NotText { kind: String },
    /// A date or time later than it can be, such as an event that has not happened yet.
    #[error("{value:?} is in the future")]
    InFuture { value: String },
    /// A text holding a control character (NUL, an escape…), which no field may store.
    #[error("the text holds a control character")]
    ControlCharacter,
    /// A date whose year is outside the window the software keeps (`domain::date::YEARS`).
    #[error("{value:?} has a year outside 2000 to 2100")]
    YearOutOfRange { value: String },
    /// A deadline that has already passed (a commission due yesterday).
    #[error("the deadline {value} is before today, {today}")]
    DeadlinePassed { value: String, today: String },
}

impl Problem {
    /// The prompt key that explains the problem to a person.
    pub fn prompt_key(&self) -> &'static str {
        match self {
            Problem::Empty => "problem.empty",
            Problem::TooLong { .. } => "problem.too_long",
            Problem::TooMany { .. } => "problem.too_many",
            Problem::NotOneOf { .. } => "problem.not_one_of",
            Problem::NotADate { .. } => "problem.not_a_date",
            Problem::NotATime { .. } => "problem.not_a_time",
            Problem::NotAnEventTime { .. } => "problem.not_an_event_time",
            // A range of one number is not a range: "must be 1", not "from 1 to 1".
            Problem::NotANumber { min, max, .. } if min == max => "problem.not_the_number",
            Problem::NotANumber { .. } => "problem.not_a_number",
            Problem::NotYesNo { .. } => "problem.not_yes_no",
            Problem::NoCount { .. } => "problem.no_count",
            Problem::NegativeCount { .. } => "problem.negative_count",
            Problem::UnknownUnit { .. } => "problem.unknown_unit",
            Problem::UnknownItem { .. } => "problem.unknown_item",
            Problem::Conflict { .. } => "problem.conflict",
            Problem::ParentMissing => "problem.parent_missing",
            Problem::ParentNotAllowed => "problem.parent_not_allowed",
            Problem::ParentIsDirectPoint { .. } => "problem.parent_is_direct_point",
            Problem::MissingColumn => "problem.missing_column",
            Problem::WrongFieldCount { .. } => "problem.wrong_field_count",
            Problem::DuplicateInFile => "problem.duplicate_in_file",
            Problem::NotText { .. } => "problem.not_text",
            Problem::InFuture { .. } => "problem.in_future",
            Problem::ControlCharacter => "problem.control_character",
            Problem::YearOutOfRange { .. } => "problem.year_out_of_range",
            Problem::DeadlinePassed { .. } => "problem.deadline_passed",
        }
    }
}

/// How an import went: rows stored now, and rows already present from an earlier import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub skipped: usize,
}
