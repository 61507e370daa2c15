//! RULES.md's numbers, the defaults of every rules file.

use std::collections::BTreeMap;

use super::*;

impl Default for Rules {
    fn default() -> Self {
        use InstructionLevel::*;
        Rules {
            time_zone: "Asia/Shanghai".to_string(),
            filing: FilingRules::default(),
            adoption: AdoptionRules::default(),
            instruction: BTreeMap::from([
                (CentralLeaders, Points::whole(50)),
                (AcftuOrProvincialLeaders, Points::whole(10)),
                (ProvincialFederationOrCityLeaders, Points::whole(6)),
            ]),
            veto: VetoRules::default(),
            awards: AwardRules::default(),
            honoraria: HonorariumRules::default(),
            urgent: UrgentRules::default(),
            quota: QuotaRules::default(),
            sign_off: SignOffRules::default(),
            calendar: CalendarRules::default(),
            schedule: ScheduleRules::default(),
            provenance: Provenance::default(),
        }
    }
}

impl Default for FilingRules {
    fn default() -> Self {
        FilingRules {
            points: Points::from_halves(1),
            quarter_cap: Points::whole(10),
            commissioned_points: Points::whole(2),
            body_soft_limit: 1_500,
            body_hard_limit: 10_000,
            title_limit: 200,
        }
    }
}

fn form(single: i64, combined: i64) -> FormPoints {
    FormPoints {
        single: Points::whole(single),
        combined: Points::whole(combined),
    }
}

impl Default for AdoptionRules {
    fn default() -> Self {
        use AdoptionLevel::*;
        AdoptionRules {
            repeats: Repeats::Add,
            points: BTreeMap::from([
                (CityFederation, form(4, 2)),
                (InternalPublication, form(2, 1)),
                (MunicipalCommittee, form(6, 3)),
                (ProvincialFederation, form(8, 4)),
                (AcftuOrProvincialCommittee, form(10, 5)),
                (CentralOffices, form(30, 15)),
            ]),
        }
    }
}

impl Default for VetoRules {
    fn default() -> Self {
        VetoRules {
            deduction: VetoKind::ALL.iter().map(|k| (*k, Points::ZERO)).collect(),
        }
    }
}

impl Default for AwardRules {
    fn default() -> Self {
        use AdoptionLevel::*;
        let tier = |name: &str, size| Tier {
            name: name.to_string(),
            size,
        };
        AwardRules {
            min_high_adoptions: 2,
            qualifying_levels: vec![
                MunicipalCommittee,
                ProvincialFederation,
                AcftuOrProvincialCommittee,
                CentralOffices,
            ],
            tiers: vec![tier("first", 3), tier("second", 5), tier("third", 7)],
        }
    }
}

impl Default for HonorariumRules {
    /// The text sets no rates (§7); these are placeholders the office replaces in its rules
    /// file. The internal publication pays nothing by default.
    fn default() -> Self {
        use AdoptionLevel::*;
        let rates = |single, combined| Rates { single, combined };
        HonorariumRules {
            rates: BTreeMap::from([
                (CityFederation, rates(100, 50)),
                (MunicipalCommittee, rates(200, 100)),
                (ProvincialFederation, rates(300, 150)),
                (AcftuOrProvincialCommittee, rates(400, 200)),
                (CentralOffices, rates(1_000, 500)),
            ]),
        }
    }
}

impl Default for UrgentRules {
    fn default() -> Self {
        UrgentRules {
            report_within_minutes: 60,
            followup_every_hours: 4,
            daily_reminder_at: ClockTime::hm(9, 0),
            escalate_after: 3,
        }
    }
}
