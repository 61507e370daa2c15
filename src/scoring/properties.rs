//! Property tests of the engine's invariants over random cities and years.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, UnitKind, VetoKind};
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::rules::{Repeats, Rules};

const EVALUATED: i64 = 4;
const POINTS: i64 = 4;

fn city_units() -> Vec<Unit> {
    let mut units: Vec<Unit> = (1..=EVALUATED)
        .map(|id| Unit {
            id,
            code: format!("u{id}"),
            name: format!("unit {id}"),
            kind: UnitKind::District,
            parent: None,
        })
        .collect();
    for i in 0..POINTS {
        let id = EVALUATED + 1 + i;
        units.push(Unit {
            id,
            code: format!("p{id}"),
            name: format!("point {id}"),
            kind: UnitKind::DirectPoint,
            parent: Some(1 + i % EVALUATED),
        });
    }
    units
}

fn any_unit() -> impl Strategy<Value = i64> {
    1..=EVALUATED + POINTS
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0u32..365)
        .prop_map(|d| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(d.into()))
}

pub(crate) fn any_ledger() -> impl Strategy<Value = Ledger> {
    let filings = prop::collection::vec((any_unit(), 1u8..=4, 0u32..40, 0u32..4), 0..30);
    let adoptions = prop::collection::vec(
        (any_unit(), 0i64..20, 0usize..6, any::<bool>(), any_day()),
        0..40,
    );
    let instructions = prop::collection::vec((any_unit(), 0i64..20, 0usize..3, any_day()), 0..8);
    let vetoes = prop::collection::vec((any_unit(), 0usize..4, any_day()), 0..3);
    (filings, adoptions, instructions, vetoes).prop_map(|(f, a, i, v)| Ledger {
        units: city_units(),
        filings: f
            .into_iter()
            .map(|(unit, n, ordinary, commissioned)| FilingTally {
                unit,
                quarter: Quarter::new(2026, n).unwrap(),
                ordinary,
                commissioned,
            })
            .collect(),
        adoptions: a
            .into_iter()
            .enumerate()
            .map(|(id, (unit, item, level, single, on))| Adoption {
                id: id as i64,
                unit,
                item: ItemKey::Filed {
                    item: unit * 100 + item,
                },
                title: format!("item {item}"),
                level: AdoptionLevel::ALL[level],
                form: if single {
                    AdoptionForm::Single
                } else {
                    AdoptionForm::Combined
                },
                on,
                officer: None,
            })
            .collect(),
        instructions: i
            .into_iter()
            .enumerate()
            .map(|(id, (unit, item, level, on))| Instruction {
                id: id as i64,
                unit,
                item: ItemKey::Filed {
                    item: unit * 100 + item,
                },
                title: format!("item {item}"),
                level: InstructionLevel::ALL[level],
                on,
            })
            .collect(),
        vetoes: v
            .into_iter()
            .enumerate()
            .map(|(id, (unit, kind, on))| Veto {
                id: id as i64,
                unit,
                kind: VetoKind::ALL[kind],
                on,
                reason: String::new(),
                late: None,
            })
            .collect(),
    })
}

fn any_rules() -> impl Strategy<Value = Rules> {
    (any::<bool>(), 0i64..6).prop_map(|(highest, deduction)| {
        let mut rules = Rules::default();
        if highest {
            rules.adoption.repeats = Repeats::Highest;
        }
        rules
            .veto
            .deduction
            .insert(VetoKind::Late, Points::whole(deduction));
        rules
    })
}

fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut state = seed | 1;
    for i in (1..v.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v.swap(i, (state % (i as u64 + 1)) as usize);
    }
    v
}

proptest! {
    #[test]
    fn a_parents_total_is_its_own_plus_its_points(ledger in any_ledger(), rules in any_rules()) {
        let board = score(&rules, &ledger, Period::Year(2026));
        for parent in ledger.units.iter().filter(|u| u.kind.is_evaluated()) {
            let children: Points = ledger.units.iter()
                .filter(|u| u.parent == Some(parent.id))
                .map(|u| board.get(u.id).unwrap().own)
                .sum();
            let s = board.get(parent.id).unwrap();
            prop_assert_eq!(s.total, s.own + children);
        }
    }

    #[test]
    fn no_quarters_filing_points_exceed_the_cap(ledger in any_ledger(), rules in any_rules()) {
        let board = score(&rules, &ledger, Period::Year(2026));
        for s in board.units.values() {
            for line in s.lines.iter().filter(|l| l.unit == s.unit) {
                if let Source::Filings { ordinary_points, .. } = line.source {
                    prop_assert!(ordinary_points <= rules.filing.quarter_cap);
                }
            }
        }
    }

    #[test]
    fn every_point_is_explained_by_a_line(ledger in any_ledger(), rules in any_rules()) {
        let board = score(&rules, &ledger, Period::Year(2026));
        for s in board.units.values() {
            let sum: Points = s.lines.iter().map(|l| l.points).sum();
            prop_assert_eq!(sum, s.total);
        }
    }

    #[test]
    fn the_order_of_events_does_not_change_a_result(
        ledger in any_ledger(), rules in any_rules(), seed in any::<u64>()
    ) {
        let mut other = ledger.clone();
        other.filings = shuffled(&ledger.filings, seed);
        other.adoptions = shuffled(&ledger.adoptions, seed.rotate_left(7));
        other.instructions = shuffled(&ledger.instructions, seed.rotate_left(13));
        other.vetoes = shuffled(&ledger.vetoes, seed.rotate_left(21));
        other.units = shuffled(&ledger.units, seed.rotate_left(29));
        for period in [Period::Year(2026), Period::Half(2026, 2)] {
            prop_assert_eq!(score(&rules, &ledger, period), score(&rules, &other, period));
            prop_assert_eq!(standings(&rules, &ledger, period), standings(&rules, &other, period));
        }
        prop_assert_eq!(awards(&rules, &ledger, 2026), awards(&rules, &other, 2026));
        prop_assert_eq!(
            honoraria(&rules, &ledger, Period::Half(2026, 1)),
            honoraria(&rules, &other, Period::Half(2026, 1))
        );
    }

    #[test]
    fn a_years_points_are_the_sum_of_its_quarters(ledger in any_ledger(), rules in any_rules()) {
        let year = score(&rules, &ledger, Period::Year(2026));
        let quarters: Vec<_> = (1..=4)
            .map(|n| score(&rules, &ledger, Period::Quarter(Quarter::new(2026, n).unwrap())))
            .collect();
        for (unit, s) in &year.units {
            let sum: Points = quarters.iter().map(|b| b.get(*unit).unwrap().total).sum();
            prop_assert_eq!(s.total, sum);
        }
    }

    #[test]
    fn standings_are_ordered_and_ranks_follow_the_order(ledger in any_ledger(), rules in any_rules()) {
        let table = standings(&rules, &ledger, Period::Year(2026));
        prop_assert_eq!(table.len() as i64, EVALUATED);
        for pair in table.windows(2) {
            prop_assert!(pair[0].points >= pair[1].points);
            prop_assert!(pair[0].rank <= pair[1].rank);
        }
        prop_assert_eq!(table.first().map(|s| s.rank), Some(1));
    }

    #[test]
    fn only_eligible_units_get_a_rank_or_tier(ledger in any_ledger(), rules in any_rules()) {
        for p in awards(&rules, &ledger, 2026) {
            prop_assert_eq!(p.eligible, p.reasons.is_empty());
            prop_assert_eq!(p.eligible, p.rank.is_some());
            if !p.eligible {
                prop_assert!(p.tier.is_none());
            }
        }
    }
}
