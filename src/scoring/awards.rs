//! The yearly award proposal (§6): who is eligible, why not, their rank and tier.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::ledger::{ItemKey, Ledger, Unit};
use super::score::score;
use super::standings::rank;
use crate::domain::UnitId;
use crate::period::Period;
use crate::points::Points;
use crate::rules::Rules;

/// Why a unit cannot be awarded this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// A veto stands against the unit or one of its direct-report points (§5(1)9).
    Veto { vetoes: u32 },
    /// Fewer items adopted at a qualifying level than the rules ask (§6(3)4).
    TooFewHighAdoptions { count: u32, needed: u32 },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Veto { .. } => "veto",
            Reason::TooFewHighAdoptions { .. } => "too_few_high_adoptions",
        }
    }
}

/// One evaluated unit in the proposal; the office's meeting decides (§6(5)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardProposal {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub points: Points,
    /// Distinct items adopted at a qualifying level in the year, the unit's points' included.
    pub high_items: u32,
    /// Adoptions by the city federation's information in the year: the first tie-break.
    pub city_federation_adoptions: u32,
    /// Single adoptions in the year: the second tie-break.
    pub single_adoptions: u32,
    pub eligible: bool,
    pub reasons: Vec<Reason>,
    /// Rank among the eligible units.
    pub rank: Option<u32>,
    /// The tier's code (`first`, `second`, `third` by default).
    pub tier: Option<String>,
}

/// The award proposal for a year: eligible units ranked and tiered first, then the others by
/// points.
pub fn awards(rules: &Rules, ledger: &Ledger, year: i32) -> Vec<AwardProposal> {
    let period = Period::Year(year);
    let board = score(rules, ledger, period);
    let owner = evaluated_owner(ledger);

    let mut high_items: HashMap<UnitId, BTreeSet<&ItemKey>> = HashMap::new();
    for a in ledger
        .adoptions
        .iter()
        .filter(|a| period.contains_date(a.on))
    {
        if rules.awards.qualifying_levels.contains(&a.level)
            && let Some(owner) = owner.get(&a.unit)
        {
            high_items.entry(*owner).or_default().insert(&a.item);
        }
    }
    let mut vetoes: HashMap<UnitId, u32> = HashMap::new();
    for v in ledger.vetoes.iter().filter(|v| period.contains_date(v.on)) {
        if let Some(owner) = owner.get(&v.unit) {
            *vetoes.entry(*owner).or_default() += 1;
        }
    }

    let needed = rules.awards.min_high_adoptions;
    let mut eligible = Vec::new();
    let mut others = Vec::new();
    for unit in ledger.units.iter().filter(|u| u.kind.is_evaluated()) {
        let Some(s) = board.get(unit.id) else {
            continue;
        };
        let count = high_items.get(&unit.id).map_or(0, |s| s.len() as u32);
        let mut reasons = Vec::new();
        if let Some(&n) = vetoes.get(&unit.id) {
            reasons.push(Reason::Veto { vetoes: n });
        }
        if count < needed {
            reasons.push(Reason::TooFewHighAdoptions { count, needed });
        }
        let proposal = AwardProposal {
            unit: unit.id,
            code: unit.code.clone(),
            name: unit.name.clone(),
            points: s.total,
            high_items: count,
            city_federation_adoptions: s.tally.city_federation_adoptions(),
            single_adoptions: s.tally.single_adoptions,
            eligible: reasons.is_empty(),
            reasons,
            rank: None,
            tier: None,
        };
        if proposal.eligible {
            eligible.push((unit, s, proposal));
        } else {
            others.push(proposal);
        }
    }

    let ranked = rank(eligible.iter().map(|(u, s, _)| (*u, *s)).collect());
    let mut by_unit: HashMap<UnitId, AwardProposal> =
        eligible.into_iter().map(|(u, _, p)| (u.id, p)).collect();
    let mut result = Vec::with_capacity(by_unit.len() + others.len());
    for (rank, unit, _) in ranked {
        if let Some(mut p) = by_unit.remove(&unit.id) {
            p.rank = Some(rank);
            p.tier = tier_for(rules, rank);
            result.push(p);
        }
    }
    others.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.code.cmp(&b.code)));
    result.extend(others);
    result
}

/// The tier a rank falls in: tiers take consecutive ranks from the top.
pub fn tier_for(rules: &Rules, rank: u32) -> Option<String> {
    let mut last = 0;
    for tier in &rules.awards.tiers {
        last += tier.size;
        if rank <= last {
            return Some(tier.name.clone());
        }
    }
    None
}

/// Maps every unit to the evaluated unit its results count for: itself, or a direct-report
/// point's parent.
fn evaluated_owner(ledger: &Ledger) -> HashMap<UnitId, UnitId> {
    let kinds: HashMap<UnitId, &Unit> = ledger.units.iter().map(|u| (u.id, u)).collect();
    ledger
        .units
        .iter()
        .filter_map(|u| {
            if u.kind.is_evaluated() {
                Some((u.id, u.id))
            } else {
                u.parent
                    .filter(|p| kinds.get(p).is_some_and(|p| p.kind.is_evaluated()))
                    .map(|p| (u.id, p))
            }
        })
        .collect()
}
