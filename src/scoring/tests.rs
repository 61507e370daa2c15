//! Worked examples of every rule of RULES.md's scoring, veto, awards and honoraria sections,
//! each computed by hand from the table.

use chrono::NaiveDate;

use super::*;
use crate::domain::{AdoptionForm::*, AdoptionLevel::*, InstructionLevel, UnitKind, VetoKind};
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::rules::{Repeats, Rules};

/// A small city: two districts, an industry union and a direct-report point under district 1.
struct City {
    ledger: Ledger,
    next_id: i64,
}

const D1: i64 = 1;
const D2: i64 = 2;
const IND: i64 = 3;
const POINT: i64 = 4;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn q(text: &str) -> Quarter {
    match text.parse::<Period>().unwrap() {
        Period::Quarter(q) => q,
        other => panic!("{other} is not a quarter"),
    }
}

fn pts(text: &str) -> Points {
    text.parse().unwrap()
}

impl City {
    fn new() -> City {
        let unit = |id, code: &str, kind, parent| Unit {
            id,
            code: code.into(),
            name: format!("{code} union"),
            kind,
            parent,
        };
        City {
            ledger: Ledger {
                units: vec![
                    unit(D1, "d1", UnitKind::District, None),
                    unit(D2, "d2", UnitKind::District, None),
                    unit(IND, "ind", UnitKind::Industry, None),
                    unit(POINT, "p1", UnitKind::DirectPoint, Some(D1)),
                ],
                ..Ledger::default()
            },
            next_id: 100,
        }
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn filed(mut self, unit: i64, quarter: &str, ordinary: u32, commissioned: u32) -> City {
        self.ledger.filings.push(FilingTally {
            unit,
            quarter: q(quarter),
            ordinary,
            commissioned,
        });
        self
    }

    fn adopted(
        mut self,
        unit: i64,
        item: i64,
        level: crate::domain::AdoptionLevel,
        form: crate::domain::AdoptionForm,
        on: &str,
    ) -> City {
        let id = self.id();
        self.ledger.adoptions.push(Adoption {
            id,
            unit,
            item: ItemKey::Filed { item },
            title: format!("item {item}"),
            level,
            form,
            on: day(on),
            officer: Some(format!("officer of {unit}")),
        });
        self
    }

    fn instructed(mut self, unit: i64, item: i64, level: InstructionLevel, on: &str) -> City {
        let id = self.id();
        self.ledger.instructions.push(Instruction {
            id,
            unit,
            item: ItemKey::Filed { item },
            title: format!("item {item}"),
            level,
            on: day(on),
        });
        self
    }

    fn vetoed(mut self, unit: i64, kind: VetoKind, on: &str) -> City {
        let id = self.id();
        self.ledger.vetoes.push(Veto {
            id,
            unit,
            kind,
            on: day(on),
            reason: "late urgent report".into(),
            late: None,
        });
        self
    }

    fn total(&self, rules: &Rules, unit: i64, period: &str) -> Points {
        score(rules, &self.ledger, period.parse().unwrap())
            .get(unit)
            .unwrap()
            .total
    }
}

#[test]
fn a_filing_earns_half_a_point() {
    let city = City::new().filed(D2, "2026Q1", 3, 0);
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("1.5"));
}

#[test]
fn a_filing_past_the_quarter_cap_adds_nothing() {
    let rules = Rules::default();
    assert_eq!(
        City::new()
            .filed(D2, "2026Q1", 20, 0)
            .total(&rules, D2, "2026Q1"),
        pts("10")
    );
    assert_eq!(
        City::new()
            .filed(D2, "2026Q1", 21, 0)
            .total(&rules, D2, "2026Q1"),
        pts("10")
    );
    let board = score(
        &rules,
        &City::new().filed(D2, "2026Q1", 25, 0).ledger,
        "2026Q1".parse().unwrap(),
    );
    let line = &board.get(D2).unwrap().lines[0];
    assert!(matches!(
        line.source,
        Source::Filings {
            capped: true,
            ordinary: 25,
            ..
        }
    ));
}

#[test]
fn the_cap_applies_to_each_quarter_on_its_own() {
    let city = City::new()
        .filed(D2, "2026Q1", 30, 0)
        .filed(D2, "2026Q2", 4, 0);
    assert_eq!(city.total(&Rules::default(), D2, "2026"), pts("12"));
    assert_eq!(city.total(&Rules::default(), D2, "2026H1"), pts("12"));
}

#[test]
fn split_tallies_of_one_quarter_are_capped_together() {
    let city = City::new()
        .filed(D2, "2026Q1", 15, 0)
        .filed(D2, "2026Q1", 15, 0);
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("10"));
}

#[test]
fn a_commissioned_item_earns_two_points_uncapped_and_not_the_half() {
    let city = City::new().filed(D2, "2026Q1", 20, 3);
    // 20 × 0.5 = 10 (at the cap) + 3 × 2 = 6, and the 3 do not also earn 0.5.
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("16"));
    let only = City::new().filed(D2, "2026Q1", 0, 1);
    assert_eq!(only.total(&Rules::default(), D2, "2026Q1"), pts("2"));
}

#[test]
fn every_adoption_level_and_form_scores_as_the_table_says() {
    let table = [
        (CityFederation, Single, "4"),
        (CityFederation, Combined, "2"),
        (InternalPublication, Single, "2"),
        (InternalPublication, Combined, "1"),
        (MunicipalCommittee, Single, "6"),
        (MunicipalCommittee, Combined, "3"),
        (ProvincialFederation, Single, "8"),
        (ProvincialFederation, Combined, "4"),
        (AcftuOrProvincialCommittee, Single, "10"),
        (AcftuOrProvincialCommittee, Combined, "5"),
        (CentralOffices, Single, "30"),
        (CentralOffices, Combined, "15"),
    ];
    for (level, form, expected) in table {
        let city = City::new().adopted(D2, 7, level, form, "2026-02-10");
        assert_eq!(
            city.total(&Rules::default(), D2, "2026Q1"),
            pts(expected),
            "{level} {form}"
        );
    }
}

#[test]
fn every_instruction_level_scores_as_the_table_says() {
    let table = [
        (InstructionLevel::CentralLeaders, "50"),
        (InstructionLevel::AcftuOrProvincialLeaders, "10"),
        (InstructionLevel::ProvincialFederationOrCityLeaders, "6"),
    ];
    for (level, expected) in table {
        let city = City::new().instructed(D2, 7, level, "2026-02-10");
        assert_eq!(
            city.total(&Rules::default(), D2, "2026Q1"),
            pts(expected),
            "{level}"
        );
    }
}

#[test]
fn several_scores_on_one_item_all_count() {
    // Filed (0.5) + city federation single (4) + municipal committee combined (3)
    // + a city leader's instruction (6) = 13.5.
    let city = City::new()
        .filed(D2, "2026Q1", 1, 0)
        .adopted(D2, 7, CityFederation, Single, "2026-01-10")
        .adopted(D2, 7, MunicipalCommittee, Combined, "2026-01-20")
        .instructed(
            D2,
            7,
            InstructionLevel::ProvincialFederationOrCityLeaders,
            "2026-02-01",
        );
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("13.5"));
    assert_eq!(
        score(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap())
            .get(D2)
            .unwrap()
            .lines
            .len(),
        4
    );
}

#[test]
fn where_the_rules_say_highest_only_the_best_adoption_of_an_item_counts() {
    let mut rules = Rules::default();
    rules.adoption.repeats = Repeats::Highest;
    let city = City::new()
        .adopted(D2, 7, CityFederation, Single, "2026-01-10")
        .adopted(D2, 7, ProvincialFederation, Combined, "2026-01-20")
        .adopted(D2, 8, InternalPublication, Single, "2026-01-20");
    // Item 7: max(4, 4) = 4, the earlier one counts; item 8: 2.
    assert_eq!(city.total(&rules, D2, "2026Q1"), pts("6"));
    let board = score(&rules, &city.ledger, "2026Q1".parse().unwrap());
    let not_counted: Vec<_> = board
        .get(D2)
        .unwrap()
        .lines
        .iter()
        .filter(|l| matches!(l.source, Source::Adoption { counted: false, .. }))
        .collect();
    assert_eq!(not_counted.len(), 1);
    assert_eq!(not_counted[0].points, Points::ZERO);
}

#[test]
fn an_adoption_of_an_item_never_filed_here_scores_by_the_same_table() {
    let mut city = City::new();
    city.ledger.adoptions.push(Adoption {
        id: 1,
        unit: IND,
        item: ItemKey::External {
            unit: IND,
            title: "migrant wages".into(),
        },
        title: "migrant wages".into(),
        level: ProvincialFederation,
        form: Single,
        on: day("2026-05-05"),
        officer: None,
    });
    assert_eq!(city.total(&Rules::default(), IND, "2026Q2"), pts("8"));
}

#[test]
fn events_count_in_the_period_of_their_own_date() {
    // Filed in Q1, adopted in Q2: the filing point is Q1's, the adoption's 4 are Q2's.
    let city =
        City::new()
            .filed(D2, "2026Q1", 1, 0)
            .adopted(D2, 7, CityFederation, Single, "2026-04-01");
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("0.5"));
    assert_eq!(city.total(&Rules::default(), D2, "2026Q2"), pts("4"));
    assert_eq!(city.total(&Rules::default(), D2, "2026"), pts("4.5"));
    assert_eq!(city.total(&Rules::default(), D2, "2027"), pts("0"));
}

#[test]
fn a_direct_report_points_points_count_in_its_parents_total() {
    let city = City::new()
        .filed(D1, "2026Q1", 2, 0)
        .filed(POINT, "2026Q1", 1, 0)
        .adopted(POINT, 9, MunicipalCommittee, Single, "2026-03-01");
    let board = score(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap());
    assert_eq!(board.get(POINT).unwrap().total, pts("6.5"));
    assert_eq!(board.get(D1).unwrap().own, pts("1"));
    assert_eq!(board.get(D1).unwrap().total, pts("7.5"));
    assert!(board.get(D1).unwrap().lines.iter().any(|l| l.unit == POINT));
}

#[test]
fn the_cap_applies_to_each_filing_body_on_its_own() {
    // Parent and point each file 20: each reaches its own 10, the parent's total is 20.
    let city = City::new()
        .filed(D1, "2026Q1", 20, 0)
        .filed(POINT, "2026Q1", 20, 0);
    assert_eq!(city.total(&Rules::default(), D1, "2026Q1"), pts("20"));
}

#[test]
fn standings_rank_evaluated_units_only_by_points() {
    let city = City::new()
        .filed(D1, "2026Q1", 2, 0)
        .filed(POINT, "2026Q1", 10, 0)
        .filed(D2, "2026Q1", 8, 0)
        .filed(IND, "2026Q1", 1, 0);
    let table = standings(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap());
    let order: Vec<_> = table
        .iter()
        .map(|s| (s.rank, s.code.as_str(), s.points.to_string()))
        .collect();
    assert_eq!(
        order,
        vec![
            (1, "d1", "6".into()),
            (2, "d2", "4".into()),
            (3, "ind", "0.5".into())
        ]
    );
}

#[test]
fn a_tie_on_points_goes_to_more_city_federation_adoptions() {
    // d2: one city federation single (4). ind: two internal publication singles (2 + 2).
    let city = City::new()
        .adopted(IND, 5, InternalPublication, Single, "2026-01-05")
        .adopted(IND, 6, InternalPublication, Single, "2026-01-06")
        .adopted(D2, 7, CityFederation, Single, "2026-01-07");
    let table = standings(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap());
    assert_eq!(table[0].code, "d2");
    assert_eq!(table[1].code, "ind");
    assert_eq!((table[0].rank, table[1].rank), (1, 2));
}

#[test]
fn a_tie_on_points_and_city_federation_adoptions_goes_to_more_single_adoptions() {
    // d2: one municipal committee combined (3) + internal combined (1) = 4, no singles.
    // ind: one internal publication single (2) + two internal combined (1 + 1) = 4, one single.
    let city = City::new()
        .adopted(D2, 5, MunicipalCommittee, Combined, "2026-01-05")
        .adopted(D2, 6, InternalPublication, Combined, "2026-01-06")
        .adopted(IND, 7, InternalPublication, Single, "2026-01-07")
        .adopted(IND, 8, InternalPublication, Combined, "2026-01-08")
        .adopted(IND, 9, InternalPublication, Combined, "2026-01-09");
    let table = standings(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap());
    assert_eq!(table[0].code, "ind");
    assert_eq!(table[0].points, table[1].points);
    assert_eq!(table[1].rank, 2);
}

#[test]
fn units_equal_on_every_tie_break_share_a_rank() {
    let city = City::new()
        .filed(D2, "2026Q1", 2, 0)
        .filed(IND, "2026Q1", 2, 0);
    let table = standings(&Rules::default(), &city.ledger, "2026Q1".parse().unwrap());
    let ranks: Vec<_> = table.iter().map(|s| (s.code.as_str(), s.rank)).collect();
    assert_eq!(ranks, vec![("d2", 1), ("ind", 1), ("d1", 3)]);
}

fn two_high_items(city: City, unit: i64) -> City {
    city.adopted(unit, 50 + unit, MunicipalCommittee, Single, "2026-03-01")
        .adopted(
            unit,
            60 + unit,
            ProvincialFederation,
            Combined,
            "2026-06-01",
        )
}

fn proposal(list: &[AwardProposal], code: &str) -> AwardProposal {
    list.iter().find(|p| p.code == code).unwrap().clone()
}

#[test]
fn a_unit_needs_two_items_adopted_at_municipal_committee_level_or_above() {
    let city = City::new()
        .adopted(D2, 1, MunicipalCommittee, Single, "2026-03-01")
        .adopted(D2, 2, CityFederation, Single, "2026-03-02")
        .adopted(D2, 3, InternalPublication, Single, "2026-03-03");
    let list = awards(&Rules::default(), &two_high_items(city, IND).ledger, 2026);
    let d2 = proposal(&list, "d2");
    assert!(!d2.eligible);
    assert_eq!(
        d2.reasons,
        vec![Reason::TooFewHighAdoptions {
            count: 1,
            needed: 2
        }]
    );
    assert!(proposal(&list, "ind").eligible);
}

#[test]
fn one_item_adopted_twice_high_up_is_still_one_item() {
    let city = City::new()
        .adopted(D2, 1, MunicipalCommittee, Single, "2026-03-01")
        .adopted(D2, 1, CentralOffices, Single, "2026-04-01");
    let d2 = proposal(&awards(&Rules::default(), &city.ledger, 2026), "d2");
    assert_eq!(d2.high_items, 1);
    assert!(!d2.eligible);
}

#[test]
fn high_adoptions_of_another_year_do_not_qualify() {
    let city = City::new()
        .adopted(D2, 1, MunicipalCommittee, Single, "2025-12-31")
        .adopted(D2, 2, MunicipalCommittee, Single, "2026-01-01");
    assert!(!proposal(&awards(&Rules::default(), &city.ledger, 2026), "d2").eligible);
}

#[test]
fn a_direct_report_points_high_adoptions_count_for_its_parent() {
    let city = City::new()
        .adopted(D1, 1, MunicipalCommittee, Single, "2026-03-01")
        .adopted(POINT, 2, ProvincialFederation, Single, "2026-03-01");
    let list = awards(&Rules::default(), &city.ledger, 2026);
    assert!(proposal(&list, "d1").eligible);
    assert!(
        list.iter().all(|p| p.code != "p1"),
        "direct-report points are not evaluated"
    );
}

#[test]
fn a_veto_takes_away_the_years_eligibility() {
    let city = two_high_items(City::new(), D2).vetoed(D2, VetoKind::Concealed, "2026-08-01");
    let d2 = proposal(&awards(&Rules::default(), &city.ledger, 2026), "d2");
    assert!(!d2.eligible);
    assert_eq!(d2.reasons, vec![Reason::Veto { vetoes: 1 }]);
    assert_eq!(d2.rank, None);
    assert_eq!(d2.tier, None);
}

#[test]
fn a_veto_of_another_year_does_not() {
    let city = two_high_items(City::new(), D2).vetoed(D2, VetoKind::Late, "2025-12-31");
    assert!(proposal(&awards(&Rules::default(), &city.ledger, 2026), "d2").eligible);
}

#[test]
fn every_veto_kind_disqualifies() {
    for kind in VetoKind::ALL {
        let city = two_high_items(City::new(), D2).vetoed(D2, *kind, "2026-02-01");
        assert!(
            !proposal(&awards(&Rules::default(), &city.ledger, 2026), "d2").eligible,
            "{kind}"
        );
    }
}

#[test]
fn a_direct_report_points_veto_also_vetoes_its_parent() {
    let city = two_high_items(City::new(), D1).vetoed(POINT, VetoKind::Bypass, "2026-05-01");
    let d1 = proposal(&awards(&Rules::default(), &city.ledger, 2026), "d1");
    assert_eq!(d1.reasons, vec![Reason::Veto { vetoes: 1 }]);
}

#[test]
fn a_veto_deducts_nothing_by_default_and_what_the_rules_file_says_otherwise() {
    let city = City::new()
        .filed(D2, "2026Q1", 4, 0)
        .vetoed(D2, VetoKind::Late, "2026-02-01");
    assert_eq!(city.total(&Rules::default(), D2, "2026Q1"), pts("2"));
    let mut rules = Rules::default();
    rules.veto.deduction.insert(VetoKind::Late, pts("5"));
    assert_eq!(city.total(&rules, D2, "2026Q1"), pts("-3"));
}

#[test]
fn eligible_units_are_ranked_by_year_points_and_given_tiers() {
    // 16 districts, all eligible; district i files i items in Q1: ranks 16 down to 1.
    let mut city = City::new();
    city.ledger.units.clear();
    for i in 1..=16_i64 {
        city.ledger.units.push(Unit {
            id: i,
            code: format!("u{i:02}"),
            name: format!("unit {i}"),
            kind: UnitKind::District,
            parent: None,
        });
        city = two_high_items(city, i).filed(i, "2026Q1", i as u32, 0);
    }
    let list = awards(&Rules::default(), &city.ledger, 2026);
    let tiers: Vec<_> = list
        .iter()
        .map(|p| (p.rank.unwrap(), p.tier.clone()))
        .collect();
    for (rank, tier) in &tiers {
        let expected = match rank {
            1..=3 => Some("first"),
            4..=8 => Some("second"),
            9..=15 => Some("third"),
            _ => None,
        };
        assert_eq!(tier.as_deref(), expected, "rank {rank}");
    }
    assert_eq!(list[0].code, "u16");
    assert_eq!(list[15].code, "u01");
}

#[test]
fn ineligible_units_do_not_take_a_rank_from_eligible_ones() {
    let city = two_high_items(City::new(), IND)
        .filed(D2, "2026Q1", 20, 0)
        .filed(IND, "2026Q1", 1, 0);
    let list = awards(&Rules::default(), &city.ledger, 2026);
    let ind = proposal(&list, "ind");
    assert_eq!((ind.rank, ind.tier.as_deref()), (Some(1), Some("first")));
    assert_eq!(proposal(&list, "d2").rank, None);
}

#[test]
fn honoraria_pay_the_officer_per_half_year_for_city_federation_level_and_above() {
    let mut city = City::new()
        .adopted(D2, 1, CityFederation, Single, "2026-01-10")
        .adopted(D2, 2, MunicipalCommittee, Combined, "2026-06-30")
        .adopted(D2, 3, InternalPublication, Single, "2026-02-01")
        .adopted(D2, 4, CityFederation, Single, "2026-07-01");
    city.ledger.adoptions.push(Adoption {
        id: 9,
        unit: IND,
        item: ItemKey::External {
            unit: IND,
            title: "x".into(),
        },
        title: "x".into(),
        level: CentralOffices,
        form: Combined,
        on: day("2026-03-03"),
        officer: None,
    });
    let rules = Rules::default();
    let paid = honoraria(&rules, &city.ledger, "2026H1".parse().unwrap());
    assert_eq!(paid.len(), 2);
    let officer = paid.iter().find(|h| h.unit == D2).unwrap();
    assert_eq!(
        officer.payee,
        Payee::Officer {
            name: "officer of 2".into()
        }
    );
    // City federation single 100 + municipal committee combined 100; the internal
    // publication pays nothing and July belongs to the second half.
    assert_eq!(officer.amount, 200);
    assert_eq!(officer.lines.len(), 2);
    let unit = paid.iter().find(|h| h.unit == IND).unwrap();
    assert_eq!(unit.payee, Payee::Unit { unit: IND });
    assert_eq!(unit.amount, 500);
}

#[test]
fn honorarium_rates_come_from_the_rules() {
    let mut rules = Rules::default();
    rules.honoraria.rates.insert(
        InternalPublication,
        crate::rules::Rates {
            single: 30,
            combined: 10,
        },
    );
    let city = City::new().adopted(D2, 3, InternalPublication, Single, "2026-02-01");
    let paid = honoraria(&rules, &city.ledger, "2026H1".parse().unwrap());
    assert_eq!(paid[0].amount, 30);
}
