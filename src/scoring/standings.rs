//! The ranking of evaluated units by points, with RULES.md's tie-breaks.

use std::cmp::Ordering;

use serde::Serialize;

use super::ledger::{Ledger, Unit};
use super::score::{Scoreboard, Tally, UnitScore, score};
use crate::domain::UnitId;
use crate::period::Period;
use crate::points::Points;
use crate::rules::Rules;

/// One evaluated unit's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// 1 for the top; units equal on points and every tie-break share a rank.
    pub rank: u32,
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub points: Points,
    pub tally: Tally,
}

/// Orders two results: more points first, then more city-federation adoptions, then more
/// single adoptions (§6(3)5 as settled in RULES.md). `Equal` means a shared rank.
pub fn compare(a: &UnitScore, b: &UnitScore) -> Ordering {
    b.total
        .cmp(&a.total)
        .then_with(|| {
            b.tally
                .city_federation_adoptions()
                .cmp(&a.tally.city_federation_adoptions())
        })
        .then_with(|| b.tally.single_adoptions.cmp(&a.tally.single_adoptions))
}

/// Ranks the given scores (best first) and numbers them; ties share the rank and the next
/// distinct result takes its place in the order (1, 2, 2, 4). Equal units are listed by code.
pub fn rank<'a>(
    mut entries: Vec<(&'a Unit, &'a UnitScore)>,
) -> Vec<(u32, &'a Unit, &'a UnitScore)> {
    entries.sort_by(|(ua, a), (ub, b)| compare(a, b).then_with(|| ua.code.cmp(&ub.code)));
    let mut ranked = Vec::with_capacity(entries.len());
    let mut previous: Option<&UnitScore> = None;
    let mut rank = 0;
    for (i, (unit, s)) in entries.into_iter().enumerate() {
        if previous.is_none_or(|p| compare(p, s) != Ordering::Equal) {
            rank = i as u32 + 1;
        }
        previous = Some(s);
        ranked.push((rank, unit, s));
    }
    ranked
}

/// The evaluated units of a scoreboard, ranked.
pub fn standings_of(ledger: &Ledger, board: &Scoreboard) -> Vec<Standing> {
    let entries = ledger
        .units
        .iter()
        .filter(|u| u.kind.is_evaluated())
        .filter_map(|u| board.get(u.id).map(|s| (u, s)))
        .collect();
    rank(entries)
        .into_iter()
        .map(|(rank, unit, s)| Standing {
            rank,
            unit: unit.id,
            code: unit.code.clone(),
            name: unit.name.clone(),
            points: s.total,
            tally: s.tally.clone(),
        })
        .collect()
}

/// The standings for a period: every evaluated unit, ranked.
pub fn standings(rules: &Rules, ledger: &Ledger, period: Period) -> Vec<Standing> {
    standings_of(ledger, &score(rules, ledger, period))
}
