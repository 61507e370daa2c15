//! What the scoring engine reads: the units and the point-moving events, as plain values.
//!
//! The store fills a [`Ledger`]; tests and benchmarks build one by hand. Retracted records are
//! simply absent: the store leaves them out.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::{
    AdoptionForm, AdoptionLevel, InstructionLevel, ItemId, RowId, UnitId, UnitKind, VetoKind,
};
use crate::period::Quarter;

/// A reporting body as the engine needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// Set for direct-report points only: the evaluated unit their points count for.
    pub parent: Option<UnitId>,
}

/// How many items one unit filed in one quarter (the cap is per unit per quarter, so this is
/// all the engine needs of the filings; [`FilingTally::from_filings`] makes it from single rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FilingTally {
    pub unit: UnitId,
    pub quarter: Quarter,
    /// Ordinary filings (来稿), 0.5 each up to the cap.
    pub ordinary: u32,
    /// Commissioned items (市总特约稿件), 2 each, not capped.
    pub commissioned: u32,
}

/// One filed item, for callers that hold single rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub unit: UnitId,
    pub quarter: Quarter,
    pub commissioned: bool,
}

/// Which item an adoption or instruction is about: one filed here, or one that reached a body
/// through another channel and is known only by its unit and title (§5(1)8).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKey {
    Filed { item: ItemId },
    External { unit: UnitId, title: String },
}

/// Who is paid for an adopted item (§7): its officer, or the unit where no officer is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payee {
    Officer { name: String },
    Unit { unit: UnitId },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub id: RowId,
    /// The unit that filed (or, for an external item, wrote) the item.
    pub unit: UnitId,
    pub item: ItemKey,
    pub title: String,
    pub level: AdoptionLevel,
    pub form: AdoptionForm,
    pub on: NaiveDate,
    /// The item's officer, when known (for honoraria).
    pub officer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    pub id: RowId,
    pub unit: UnitId,
    pub item: ItemKey,
    pub title: String,
    pub level: InstructionLevel,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Veto {
    pub id: RowId,
    pub unit: UnitId,
    pub kind: VetoKind,
    pub on: NaiveDate,
    pub reason: String,
    /// For a `late` veto made by confirming an urgent report's late flag: the times and the
    /// limit it was judged by. None for a veto recorded by hand.
    pub late: Option<LateTimes>,
}

/// What a late urgent report was judged on, kept with its veto (RULES.md: a late veto keeps the
/// event time, the report time and the limit it was judged by), so that a later correction of
/// the event or a changed limit does not change what the veto says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LateTimes {
    pub event_at: DateTime<Utc>,
    pub reported_at: DateTime<Utc>,
    pub limit_minutes: u32,
}

impl LateTimes {
    /// Whole minutes from the event to the report (none below zero).
    pub fn delay_minutes(&self) -> u32 {
        let minutes = (self.reported_at - self.event_at).num_minutes().max(0);
        u32::try_from(minutes).unwrap_or(u32::MAX)
    }
}

/// Everything that moves points, for any span of time: the engine picks what falls in the
/// period it is asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub units: Vec<Unit>,
    pub filings: Vec<FilingTally>,
    pub adoptions: Vec<Adoption>,
    pub instructions: Vec<Instruction>,
    pub vetoes: Vec<Veto>,
}

impl FilingTally {
    /// Counts single filings per unit and quarter, in a stable order.
    pub fn from_filings<'a>(filings: impl IntoIterator<Item = &'a Filing>) -> Vec<FilingTally> {
        let mut counts: std::collections::BTreeMap<(UnitId, Quarter), (u32, u32)> =
            Default::default();
        for f in filings {
            let entry = counts.entry((f.unit, f.quarter)).or_default();
            if f.commissioned {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
        counts
            .into_iter()
            .map(|((unit, quarter), (ordinary, commissioned))| FilingTally {
                unit,
                quarter,
                ordinary,
                commissioned,
            })
            .collect()
    }
}

/// A record that happens on a day and has a row id: adoptions, instructions, vetoes.
pub trait Dated {
    fn on(&self) -> NaiveDate;
    fn id(&self) -> RowId;
}

macro_rules! dated {
    ($($t:ty),+) => {$(
        impl Dated for $t {
            fn on(&self) -> NaiveDate {
                self.on
            }
            fn id(&self) -> RowId {
                self.id
            }
        }
    )+};
}

dated!(Adoption, Instruction, Veto);

/// The records dated in `period`, by date and then id, so that every answer lists (and, where
/// order matters, counts) them the same way whatever order the store returned them in.
pub fn dated_in<T: Dated>(records: &[T], period: crate::period::Period) -> Vec<&T> {
    let mut within: Vec<&T> = records
        .iter()
        .filter(|r| period.contains_date(r.on()))
        .collect();
    within.sort_by_key(|r| (r.on(), r.id()));
    within
}
