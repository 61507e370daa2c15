//! The quarterly bulletin (通报, §5(2)) as a value: every evaluated unit's filings, adoptions
//! by level, quarter and year-to-date points and ranks (overall and within its kind), the units
//! that filed nothing, the criticism section and the next quarter's guidance. Pure: built from
//! the scoring engine's results over a ledger the caller loaded; stored as JSON once issued.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{AdoptionLevel, UnitId, UnitKind, VetoKind};
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::rules::Rules;
use crate::scoring::{Ledger, Scoreboard, dated_in, rank, score};

pub use super::bulletin_delay::delay_minutes;
pub use super::bulletin_render::{
    document_name, head_message, head_reply, number_label, office_message, preview_message,
    render_text,
};

/// The groups units are ranked within: RULES.md's kinds, with the pilot zone ranked among the
/// district and county federations (both are territorial federations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindGroup {
    Districts,
    Industry,
    Departments,
}

impl KindGroup {
    pub const ALL: [KindGroup; 3] = [
        KindGroup::Districts,
        KindGroup::Industry,
        KindGroup::Departments,
    ];

    /// The group of an evaluated unit; a direct-report point has none (it counts in its parent).
    pub fn of(kind: UnitKind) -> Option<KindGroup> {
        match kind {
            UnitKind::District | UnitKind::PilotZone => Some(KindGroup::Districts),
            UnitKind::Industry => Some(KindGroup::Industry),
            UnitKind::Department => Some(KindGroup::Departments),
            UnitKind::DirectPoint => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            KindGroup::Districts => "districts",
            KindGroup::Industry => "industry",
            KindGroup::Departments => "departments",
        }
    }
}

/// A stored bulletin: what was sent, whatever is recorded after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bulletin {
    #[serde(with = "quarter_code")]
    pub quarter: Quarter,
    /// The year it is numbered in: its quarter's year, whenever it is issued.
    pub year: i32,
    /// Its place among the year's bulletins (第n期); 0 for a preview not issued.
    pub number: u32,
    /// The day its figures were taken, in the rules' zone.
    pub as_of: NaiveDate,
    /// Every evaluated unit, ranked by the quarter's points.
    pub lines: Vec<BulletinLine>,
    /// The units that filed nothing in the quarter (零报送).
    pub silent: Vec<SilentUnit>,
    /// Late, missing or concealed urgent reports of the quarter.
    pub criticism: Vec<Criticism>,
    /// The next quarter's guidance topics, if set.
    pub guidance: Vec<String>,
}

/// One evaluated unit's line; its counts and points include its direct-report points' (§5(1)6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinLine {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub group: KindGroup,
    /// Items filed in the quarter, commissioned ones included.
    pub filed: u32,
    pub commissioned: u32,
    pub adoptions: BTreeMap<AdoptionLevel, u32>,
    pub instructions: u32,
    pub points: Points,
    pub rank: u32,
    pub group_rank: u32,
    pub year_points: Points,
    pub year_rank: u32,
    pub year_group_rank: u32,
}

/// A unit that filed nothing: an evaluated unit none of whose items (nor its direct-report
/// points') came in, or a direct-report point that filed nothing itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilentUnit {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// A direct-report point's parent, by name.
    pub parent: Option<String>,
}

/// A unit named for an urgent report it reported late, left out or concealed. Nothing else of
/// the report is here: urgent reports are confidential (§2(2)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criticism {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub kind: VetoKind,
    /// For a late report, the minutes from the event to the report as the veto keeps them; for
    /// a late veto recorded by hand, the delay its reason gives, if any.
    pub delay_minutes: Option<u32>,
    /// The limit a late report was judged by, kept with its veto; none for a veto recorded by
    /// hand (nor in bulletins issued before the veto kept it).
    #[serde(default)]
    pub limit_minutes: Option<u32>,
}

/// The kinds of veto the criticism section names (§5(2)): those about urgent reports.
const CRITICISED: [VetoKind; 3] = [VetoKind::Late, VetoKind::Missing, VetoKind::Concealed];

/// The bulletin of `quarter` from a ledger holding (at least) its year up to the quarter's end;
/// records dated after the quarter are left out, so the bulletin says what the quarter ended
/// with. `number` is 0 until it is issued.
pub fn build(
    rules: &Rules,
    ledger: &Ledger,
    quarter: Quarter,
    as_of: NaiveDate,
    guidance: Vec<String>,
) -> Bulletin {
    let ledger = year_to_date(ledger, quarter);
    let of_quarter = score(rules, &ledger, Period::Quarter(quarter));
    let of_year = score(rules, &ledger, Period::Year(quarter.year));
    let (ranks, year_ranks) = (ranks(&ledger, &of_quarter), ranks(&ledger, &of_year));
    let names: HashMap<UnitId, &str> = ledger
        .units
        .iter()
        .map(|u| (u.id, u.name.as_str()))
        .collect();

    let mut lines = Vec::new();
    for unit in &ledger.units {
        let (Some(group), Some(q), Some(y)) = (
            KindGroup::of(unit.kind),
            of_quarter.get(unit.id),
            of_year.get(unit.id),
        ) else {
            continue;
        };
        let (rank, group_rank) = ranks.get(&unit.id).copied().unwrap_or_default();
        let (year_rank, year_group_rank) = year_ranks.get(&unit.id).copied().unwrap_or_default();
        lines.push(BulletinLine {
            unit: unit.id,
            code: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind,
            group,
            filed: q.tally.filed,
            commissioned: q.tally.commissioned,
            adoptions: q.tally.adoptions.clone(),
            instructions: q.tally.instructions,
            points: q.total,
            rank,
            group_rank,
            year_points: y.total,
            year_rank,
            year_group_rank,
        });
    }
    lines.sort_by(|a, b| (a.rank, &a.code).cmp(&(b.rank, &b.code)));

    // A unit's board tally holds its direct-report points' filings; a point's holds its own.
    let silent = ledger
        .units
        .iter()
        .filter(|u| of_quarter.get(u.id).is_none_or(|s| s.tally.filed == 0))
        .map(|u| SilentUnit {
            unit: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind,
            parent: u.parent.and_then(|p| names.get(&p)).map(|n| n.to_string()),
        })
        .collect();

    let criticism = dated_in(&ledger.vetoes, Period::Quarter(quarter))
        .into_iter()
        .filter(|v| CRITICISED.contains(&v.kind))
        .map(|v| Criticism {
            unit: v.unit,
            code: ledger
                .units
                .iter()
                .find(|u| u.id == v.unit)
                .map_or_else(|| v.unit.to_string(), |u| u.code.clone()),
            name: names
                .get(&v.unit)
                .map_or_else(|| v.unit.to_string(), |n| n.to_string()),
            kind: v.kind,
            delay_minutes: match (v.kind, v.late) {
                (VetoKind::Late, Some(late)) => Some(late.delay_minutes()),
                // A late veto recorded by hand says its delay in its reason, if anywhere.
                (VetoKind::Late, None) => delay_minutes(&v.reason),
                _ => None,
            },
            limit_minutes: v
                .late
                .filter(|_| v.kind == VetoKind::Late)
                .map(|late| late.limit_minutes),
        })
        .collect();

    Bulletin {
        quarter,
        year: quarter.year,
        number: 0,
        as_of,
        lines,
        silent,
        criticism,
        guidance,
    }
}

impl Bulletin {
    /// Whether any unit filed anything in the quarter (a direct-report point's filings are in
    /// its parent's line): a quarter with none is issued only if the office insists.
    pub fn has_filings(&self) -> bool {
        self.lines.iter().any(|l| l.filed > 0)
    }

    /// The line of a unit, if it is ranked.
    pub fn line(&self, unit: UnitId) -> Option<&BulletinLine> {
        self.lines.iter().find(|l| l.unit == unit)
    }

    /// How many units are ranked in a group.
    pub fn group_size(&self, group: KindGroup) -> usize {
        self.lines.iter().filter(|l| l.group == group).count()
    }

    /// The lines of a group, by the quarter's rank within it.
    pub fn group_lines(&self, group: KindGroup) -> Vec<&BulletinLine> {
        let mut lines: Vec<&BulletinLine> =
            self.lines.iter().filter(|l| l.group == group).collect();
        lines.sort_by(|a, b| (a.group_rank, &a.code).cmp(&(b.group_rank, &b.code)));
        lines
    }
}

/// The ledger as the quarter ended: the year's filings of the quarters up to it, and the
/// records dated before its end. Nothing is added up here; the engine does that.
pub fn year_to_date(ledger: &Ledger, quarter: Quarter) -> Ledger {
    let end = quarter.next().first_day();
    Ledger {
        units: ledger.units.clone(),
        filings: ledger
            .filings
            .iter()
            .filter(|f| f.quarter.year == quarter.year && f.quarter <= quarter)
            .copied()
            .collect(),
        adoptions: ledger
            .adoptions
            .iter()
            .filter(|a| a.on < end)
            .cloned()
            .collect(),
        instructions: ledger
            .instructions
            .iter()
            .filter(|i| i.on < end)
            .cloned()
            .collect(),
        vetoes: ledger
            .vetoes
            .iter()
            .filter(|v| v.on < end)
            .cloned()
            .collect(),
    }
}

/// Each evaluated unit's rank overall and within its group, by the engine's ordering.
fn ranks(ledger: &Ledger, board: &Scoreboard) -> HashMap<UnitId, (u32, u32)> {
    let entries = |group: Option<KindGroup>| {
        ledger
            .units
            .iter()
            .filter(|u| match (KindGroup::of(u.kind), group) {
                (Some(_), None) => true,
                (Some(g), Some(wanted)) => g == wanted,
                (None, _) => false,
            })
            .filter_map(|u| board.get(u.id).map(|s| (u, s)))
            .collect::<Vec<_>>()
    };
    let mut out: HashMap<UnitId, (u32, u32)> = HashMap::new();
    for (r, unit, _) in rank(entries(None)) {
        out.entry(unit.id).or_default().0 = r;
    }
    for group in KindGroup::ALL {
        for (r, unit, _) in rank(entries(Some(group))) {
            out.entry(unit.id).or_default().1 = r;
        }
    }
    out
}

/// A quarter in JSON as its code, `2026Q1`.
mod quarter_code {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::period::{Period, Quarter};

    pub fn serialize<S: Serializer>(quarter: &Quarter, s: S) -> Result<S::Ok, S::Error> {
        quarter.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        match Period::deserialize(d)? {
            Period::Quarter(q) => Ok(q),
            other => Err(serde::de::Error::custom(format!(
                "{other} is not a quarter"
            ))),
        }
    }
}

#[cfg(test)]
#[path = "bulletin_tests.rs"]
mod tests;
