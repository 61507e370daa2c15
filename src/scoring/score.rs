//! Points per unit over a period, each with one explaining line per source row.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::ledger::{Adoption, ItemKey, Ledger, dated_in};
use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, RowId, UnitId, VetoKind};
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::rules::{Repeats, Rules};

/// What one line of a breakdown comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// One unit's filings in one quarter: the cap is per unit and quarter, so they are one line.
    Filings {
        quarter: Quarter,
        ordinary: u32,
        commissioned: u32,
        ordinary_points: Points,
        commissioned_points: Points,
        /// Whether the quarter cap cut the ordinary filings' points.
        capped: bool,
    },
    Adoption {
        id: RowId,
        title: String,
        level: AdoptionLevel,
        form: AdoptionForm,
        on: NaiveDate,
        /// False where only an item's highest adoption counts and this is not it.
        counted: bool,
    },
    Instruction {
        id: RowId,
        title: String,
        level: InstructionLevel,
        on: NaiveDate,
    },
    Veto {
        id: RowId,
        kind: VetoKind,
        on: NaiveDate,
        reason: String,
    },
}

/// One line of a breakdown: the unit whose row it is (a parent's breakdown also holds its
/// direct-report points' lines), what it comes from and what it adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub unit: UnitId,
    pub source: Source,
    pub points: Points,
}

/// Counts behind a score, used for tie-breaks and bulletins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub filed: u32,
    pub commissioned: u32,
    pub adoptions: BTreeMap<AdoptionLevel, u32>,
    pub single_adoptions: u32,
    pub instructions: u32,
    pub vetoes: u32,
}

impl Tally {
    pub fn city_federation_adoptions(&self) -> u32 {
        self.adoptions
            .get(&AdoptionLevel::CityFederation)
            .copied()
            .unwrap_or(0)
    }

    pub fn adopted(&self) -> u32 {
        self.adoptions.values().sum()
    }

    fn absorb(&mut self, other: &Tally) {
        self.filed += other.filed;
        self.commissioned += other.commissioned;
        for (level, n) in &other.adoptions {
            *self.adoptions.entry(*level).or_default() += n;
        }
        self.single_adoptions += other.single_adoptions;
        self.instructions += other.instructions;
        self.vetoes += other.vetoes;
    }
}

/// One unit's result for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitScore {
    pub unit: UnitId,
    /// Points from the unit's own rows.
    pub own: Points,
    /// Own points plus, for an evaluated unit, its direct-report points' (§5(1)6).
    pub total: Points,
    pub tally: Tally,
    pub lines: Vec<Line>,
}

/// Every unit's result for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scoreboard {
    pub period: Period,
    pub units: BTreeMap<UnitId, UnitScore>,
}

impl Scoreboard {
    pub fn get(&self, unit: UnitId) -> Option<&UnitScore> {
        self.units.get(&unit)
    }
}

/// Points of every unit of the ledger in `period`.
pub fn score(rules: &Rules, ledger: &Ledger, period: Period) -> Scoreboard {
    let mut own: BTreeMap<UnitId, UnitScore> = ledger
        .units
        .iter()
        .map(|u| {
            let blank = UnitScore {
                unit: u.id,
                own: Points::ZERO,
                total: Points::ZERO,
                tally: Tally::default(),
                lines: Vec::new(),
            };
            (u.id, blank)
        })
        .collect();
    let mut add = |unit: UnitId, source: Source, points: Points, count: &dyn Fn(&mut Tally)| {
        let entry = own.entry(unit).or_insert_with(|| UnitScore {
            unit,
            own: Points::ZERO,
            total: Points::ZERO,
            tally: Tally::default(),
            lines: Vec::new(),
        });
        entry.own += points;
        count(&mut entry.tally);
        entry.lines.push(Line {
            unit,
            source,
            points,
        });
    };

    // Filings: several tallies of one unit and quarter (the store may send them split) are
    // merged first, so that the cap sees the quarter whole.
    let mut filings: BTreeMap<(UnitId, Quarter), (u32, u32)> = BTreeMap::new();
    for t in ledger
        .filings
        .iter()
        .filter(|t| period.contains_quarter(t.quarter))
    {
        let e = filings.entry((t.unit, t.quarter)).or_default();
        e.0 += t.ordinary;
        e.1 += t.commissioned;
    }
    for ((unit, quarter), (ordinary, commissioned)) in filings {
        let uncapped = rules.filing.points * i64::from(ordinary);
        let ordinary_points = uncapped.min(rules.filing.quarter_cap);
        let commissioned_points = rules.filing.commissioned_points * i64::from(commissioned);
        let source = Source::Filings {
            quarter,
            ordinary,
            commissioned,
            ordinary_points,
            commissioned_points,
            capped: uncapped > ordinary_points,
        };
        add(unit, source, ordinary_points + commissioned_points, &|t| {
            t.filed += ordinary + commissioned;
            t.commissioned += commissioned;
        });
    }

    let counted = counted_adoptions(rules, &ledger.adoptions);
    for a in dated_in(&ledger.adoptions, period) {
        let is_counted = counted.contains_key(&a.id);
        let points = if is_counted {
            rules.adoption_points(a.level, a.form)
        } else {
            Points::ZERO
        };
        let source = Source::Adoption {
            id: a.id,
            title: a.title.clone(),
            level: a.level,
            form: a.form,
            on: a.on,
            counted: is_counted,
        };
        let (level, single) = (a.level, a.form == AdoptionForm::Single);
        add(a.unit, source, points, &|t| {
            *t.adoptions.entry(level).or_default() += 1;
            t.single_adoptions += u32::from(single);
        });
    }

    for i in dated_in(&ledger.instructions, period) {
        let source = Source::Instruction {
            id: i.id,
            title: i.title.clone(),
            level: i.level,
            on: i.on,
        };
        add(i.unit, source, rules.instruction_points(i.level), &|t| {
            t.instructions += 1
        });
    }

    for v in dated_in(&ledger.vetoes, period) {
        let source = Source::Veto {
            id: v.id,
            kind: v.kind,
            on: v.on,
            reason: v.reason.clone(),
        };
        add(v.unit, source, -rules.veto_deduction(v.kind), &|t| {
            t.vetoes += 1
        });
    }

    Scoreboard {
        period,
        units: roll_up(ledger, own),
    }
}

/// Adds each direct-report point's own result into its parent's total and breakdown.
fn roll_up(ledger: &Ledger, mut own: BTreeMap<UnitId, UnitScore>) -> BTreeMap<UnitId, UnitScore> {
    for score in own.values_mut() {
        score.total = score.own;
    }
    let children: Vec<(UnitId, UnitId)> = ledger
        .units
        .iter()
        .filter_map(|u| u.parent.map(|p| (u.id, p)))
        .filter(|(child, parent)| child != parent)
        .collect();
    for (child, parent) in children {
        let Some(child_score) = own.get(&child).cloned() else {
            continue;
        };
        if let Some(parent_score) = own.get_mut(&parent) {
            parent_score.total += child_score.own;
            parent_score.tally.absorb(&child_score.tally);
            parent_score.lines.extend(child_score.lines);
        }
    }
    own
}

/// Which adoptions earn points: all of them (Dalian §5(1)7), or per item only the one that
/// earns most (ties: the earliest, then the first recorded).
pub fn counted_adoptions<'a>(
    rules: &Rules,
    adoptions: &'a [Adoption],
) -> HashMap<RowId, &'a Adoption> {
    match rules.adoption.repeats {
        Repeats::Add => adoptions.iter().map(|a| (a.id, a)).collect(),
        Repeats::Highest => {
            let mut best: HashMap<&ItemKey, &Adoption> = HashMap::new();
            for a in adoptions {
                let better = match best.get(&a.item) {
                    None => true,
                    Some(b) => {
                        let (pa, pb) = (
                            rules.adoption_points(a.level, a.form),
                            rules.adoption_points(b.level, b.form),
                        );
                        pa > pb || (pa == pb && (a.on, a.id) < (b.on, b.id))
                    }
                };
                if better {
                    best.insert(&a.item, a);
                }
            }
            best.into_values().map(|a| (a.id, a)).collect()
        }
    }
}
