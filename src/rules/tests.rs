//! Tests of loading and checking rules files.

use super::*;

#[test]
fn the_defaults_are_rules_md_table() {
    let r = Rules::default();
    use AdoptionForm::*;
    use AdoptionLevel::*;
    assert_eq!(r.filing.points.to_string(), "0.5");
    assert_eq!(r.filing.quarter_cap, Points::whole(10));
    assert_eq!(r.filing.commissioned_points, Points::whole(2));
    let table = [
        (CityFederation, 4, 2),
        (InternalPublication, 2, 1),
        (MunicipalCommittee, 6, 3),
        (ProvincialFederation, 8, 4),
        (AcftuOrProvincialCommittee, 10, 5),
        (CentralOffices, 30, 15),
    ];
    for (level, single, combined) in table {
        assert_eq!(
            r.adoption_points(level, Single),
            Points::whole(single),
            "{level}"
        );
        assert_eq!(
            r.adoption_points(level, Combined),
            Points::whole(combined),
            "{level}"
        );
    }
    assert_eq!(
        r.instruction_points(InstructionLevel::CentralLeaders),
        Points::whole(50)
    );
    assert_eq!(
        r.instruction_points(InstructionLevel::AcftuOrProvincialLeaders),
        Points::whole(10)
    );
    assert_eq!(
        r.instruction_points(InstructionLevel::ProvincialFederationOrCityLeaders),
        Points::whole(6)
    );
    assert_eq!(r.honorarium(InternalPublication, Single), 0);
    assert_eq!(r.adoption.repeats, Repeats::Add);
    r.validate().unwrap();
}

#[test]
fn the_printed_rules_load_back_unchanged() {
    let r = Rules::default();
    assert_eq!(Rules::from_toml(&r.to_toml()).unwrap(), r);
}

#[test]
fn a_partial_file_keeps_the_other_defaults() {
    let r = Rules::from_toml("[filing]\nquarter_cap = 12.5\n[adoption]\nrepeats = \"highest\"\n")
        .unwrap();
    assert_eq!(r.filing.quarter_cap, Points::from_halves(25));
    assert_eq!(r.filing.points, Points::from_halves(1));
    assert_eq!(r.adoption.repeats, Repeats::Highest);
    assert_eq!(
        r.adoption_points(AdoptionLevel::CentralOffices, AdoptionForm::Single),
        Points::whole(30)
    );
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let err = Rules::from_toml("[filing]\nquarter_kap = 10\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("quarter_kap"), "{err}");
}

#[test]
fn impossible_values_are_refused_with_the_key_named() {
    let cases = [
        ("[filing]\npoints = 0.3\n", "0.5"),
        ("[filing]\nquarter_cap = -1\n", "filing.quarter_cap"),
        (
            "[filing]\nbody_soft_limit = 20000\n",
            "filing.body_soft_limit",
        ),
        ("time_zone = \"Mars/Olympus\"\n", "time_zone"),
        ("[veto.deduction]\nlate = -2\n", "veto.deduction.late"),
        (
            "[[awards.tiers]]\nname = \"first\"\nsize = 0\n",
            "awards.tiers[0].size",
        ),
        (
            "[adoption.points]\nnowhere = { single = 1, combined = 1 }\n",
            "nowhere",
        ),
        (
            "[urgent]\nreport_within_minutes = 0\n",
            "urgent.report_within_minutes",
        ),
    ];
    for (text, key) in cases {
        let err = Rules::from_toml(text).unwrap_err().to_string();
        assert!(err.contains(key), "{text:?} gave {err}");
    }
}
