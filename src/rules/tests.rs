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
    assert_eq!(r.urgent.followup_every_hours, 4);
    assert_eq!(r.urgent.daily_reminder_at, ClockTime::hm(9, 0));
    assert_eq!(r.urgent.escalate_after, 3);
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
        (
            "[urgent]\nfollowup_every_hours = 0\n",
            "urgent.followup_every_hours",
        ),
        ("[urgent]\nescalate_after = 0\n", "urgent.escalate_after"),
        (
            "[urgent]\ndaily_reminder_at = \"9 o'clock\"\n",
            "daily_reminder_at",
        ),
    ];
    for (text, key) in cases {
        let err = Rules::from_toml(text).unwrap_err().to_string();
        assert!(err.contains(key), "{text:?} gave {err}");
    }
}

#[test]
fn one_adoption_level_given_in_part_keeps_its_other_form_and_every_other_level() {
    let r = Rules::from_toml("[adoption.points.municipal_committee]\nsingle = 7\n").unwrap();
    use AdoptionForm::*;
    use AdoptionLevel::*;
    assert_eq!(
        r.adoption_points(MunicipalCommittee, Single),
        Points::whole(7)
    );
    assert_eq!(
        r.adoption_points(MunicipalCommittee, Combined),
        Points::whole(3)
    );
    assert_eq!(r.adoption_points(CityFederation, Single), Points::whole(4));
    assert_eq!(
        r.adoption_points(CentralOffices, Combined),
        Points::whole(15)
    );
}

#[test]
fn one_instruction_level_given_keeps_the_other_two() {
    let r = Rules::from_toml("[instruction]\ncentral_leaders = 50\n").unwrap();
    assert_eq!(
        r.instruction_points(InstructionLevel::AcftuOrProvincialLeaders),
        Points::whole(10)
    );
    assert_eq!(
        r.instruction_points(InstructionLevel::ProvincialFederationOrCityLeaders),
        Points::whole(6)
    );
}

#[test]
fn one_honorarium_level_given_keeps_the_other_levels_rates() {
    let r = Rules::from_toml("[honoraria.rates.central_offices]\nsingle = 800\n").unwrap();
    use AdoptionForm::*;
    use AdoptionLevel::*;
    assert_eq!(r.honorarium(CentralOffices, Single), 800);
    assert_eq!(r.honorarium(CentralOffices, Combined), 500);
    assert_eq!(r.honorarium(CityFederation, Single), 100);
    assert_eq!(r.honorarium(ProvincialFederation, Combined), 150);
}

#[test]
fn one_veto_deduction_given_keeps_the_other_kinds() {
    let r = Rules::from_toml("[veto.deduction]\nlate = 2\n").unwrap();
    assert_eq!(r.veto_deduction(VetoKind::Late), Points::whole(2));
    assert_eq!(r.veto.deduction.len(), VetoKind::ALL.len());
    assert_eq!(r.veto_deduction(VetoKind::Bypass), Points::ZERO);
}

#[test]
fn a_list_given_replaces_the_default_list_whole() {
    let r = Rules::from_toml(
        "[awards]\nqualifying_levels = [\"central_offices\"]\n\
         [[awards.tiers]]\nname = \"first\"\nsize = 1\n",
    )
    .unwrap();
    assert_eq!(
        r.awards.qualifying_levels,
        vec![AdoptionLevel::CentralOffices]
    );
    assert_eq!(r.awards.tiers.len(), 1);
    assert_eq!(r.awards.min_high_adoptions, 2);
}

#[test]
fn a_level_written_in_chinese_merges_with_its_default() {
    let r = Rules::from_toml("[adoption.points.\"市委\"]\nsingle = 7\n").unwrap();
    assert_eq!(
        r.adoption_points(AdoptionLevel::MunicipalCommittee, AdoptionForm::Combined),
        Points::whole(3)
    );
    let err = Rules::from_toml("[instruction]\ncentral_leaders = 1\n\"中央领导\" = 2\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("instruction.中央领导"), "{err}");
}

#[test]
fn the_rules_remember_which_honorarium_rates_the_file_set() {
    let r = Rules::from_toml("[honoraria.rates.city_federation]\nsingle = 120\n").unwrap();
    use AdoptionForm::*;
    use AdoptionLevel::*;
    assert!(!r.honorarium_rate_is_default(CityFederation, Single));
    assert!(r.honorarium_rate_is_default(CityFederation, Combined));
    assert!(r.honorarium_rate_is_default(CentralOffices, Single));
    assert!(Rules::default().honorarium_rate_is_default(CityFederation, Single));
}

#[test]
fn a_mistake_in_a_partial_table_is_told_with_its_key() {
    let err = Rules::from_toml("[adoption.points.municipal_committee]\nsingel = 6\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("singel"), "{err}");
    let err = Rules::from_toml("[honoraria.rates.central_offices]\nsingle = -1\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("honoraria.rates.central_offices"), "{err}");
}

#[test]
fn a_calendar_takes_bare_or_quoted_dates_and_keeps_the_default_quiet_hours() {
    let rules = Rules::from_toml(
        "[calendar]\nholidays = [2026-10-01, \"2026-10-02\"]\nworkdays = [2026-10-10]\n",
    )
    .unwrap();
    let day = |m, d| Day(chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap());
    assert_eq!(rules.calendar.holidays, vec![day(10, 1), day(10, 2)]);
    assert_eq!(rules.calendar.workdays, vec![day(10, 10)]);
    assert_eq!(rules.calendar.quiet_from, ClockTime::hm(22, 0));
    assert_eq!(Rules::from_toml(&rules.to_toml()).unwrap(), rules);
}

#[test]
fn impossible_calendar_and_schedule_values_are_refused_with_the_key_named() {
    for (text, key) in [
        ("[calendar]\nquiet_from = \"25:00\"\n", "quiet_from"),
        ("[calendar]\nholidays = [\"2026-02-30\"]\n", "holidays"),
        (
            "[calendar]\nholidays = [2026-10-10]\nworkdays = [2026-10-10]\n",
            "calendar.holidays",
        ),
        ("[schedule]\nbulletin_day = 0\n", "schedule.bulletin_day"),
        ("[schedule]\nbulletin_day = 31\n", "schedule.bulletin_day"),
        (
            "[schedule]\ncommission_reminder_days = [3, 0]\n",
            "commission_reminder_days",
        ),
        ("[schedule]\nreminder_at = \"9am\"\n", "reminder_at"),
        (
            "[schedule]\nquarter_second_reminder_days = 15\n",
            "schedule.quarter_second_reminder_days",
        ),
    ] {
        let err = Rules::from_toml(text).unwrap_err().to_string();
        assert!(err.contains(key), "{text}: {err}");
    }
}
