//! The rules table: every number of RULES.md as data, loaded from a TOML file whose defaults are
//! RULES.md's, checked for unknown keys and impossible values.

mod calendar;
mod defaults;
mod merge;

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, UnitKind, VetoKind};
use crate::points::Points;

pub use calendar::{CalendarRules, ClockTime, Day, ScheduleRules};
pub use merge::Provenance;

/// The rules in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// IANA zone that periods and schedules are read in.
    pub time_zone: String,
    pub filing: FilingRules,
    pub adoption: AdoptionRules,
    /// Points per instruction level (§5(1)5).
    pub instruction: BTreeMap<InstructionLevel, Points>,
    pub veto: VetoRules,
    pub awards: AwardRules,
    pub honoraria: HonorariumRules,
    pub urgent: UrgentRules,
    pub quota: QuotaRules,
    pub sign_off: SignOffRules,
    pub calendar: CalendarRules,
    pub schedule: ScheduleRules,
    /// Which values the rules file set; not part of the file itself.
    #[serde(skip)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilingRules {
    /// Points per ordinary filing (来稿).
    pub points: Points,
    /// Most filing points one filing body earns in one quarter.
    pub quarter_cap: Points,
    /// Points per commissioned item (市总特约稿件), not capped, instead of `points`.
    pub commissioned_points: Points,
    /// Characters over which the officer is warned.
    pub body_soft_limit: usize,
    /// Characters over which the body is refused.
    pub body_hard_limit: usize,
    pub title_limit: usize,
}

/// Whether several adoptions of one item all count (Dalian §5(1)7) or only the highest does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeats {
    Add,
    Highest,
}

/// A form a rules file leaves out keeps its default; it is zero only for a level with none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FormPoints {
    pub single: Points,
    pub combined: Points,
}

impl FormPoints {
    pub fn get(&self, form: AdoptionForm) -> Points {
        match form {
            AdoptionForm::Single => self.single,
            AdoptionForm::Combined => self.combined,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdoptionRules {
    pub repeats: Repeats,
    /// Points per level and form (§5(1)1–4).
    pub points: BTreeMap<AdoptionLevel, FormPoints>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VetoRules {
    /// Points taken off the unit's total per veto, by kind (Dalian: none, the veto only
    /// disqualifies from awards).
    pub deduction: BTreeMap<VetoKind, Points>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Code of the tier, printed in reports (`first`, `second`, `third`).
    pub name: String,
    /// How many ranks the tier takes.
    pub size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AwardRules {
    /// Items a unit must have adopted at `qualifying_levels` in the year (§6(3)4).
    pub min_high_adoptions: u32,
    pub qualifying_levels: Vec<AdoptionLevel>,
    /// Award tiers from the top rank down.
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rates {
    pub single: i64,
    pub combined: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HonorariumRules {
    /// Whole yuan per adoption, by level; a level not listed pays nothing.
    pub rates: BTreeMap<AdoptionLevel, Rates>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UrgentRules {
    /// Minutes from the event to the stored report before it is late (§2(2)).
    pub report_within_minutes: u32,
    /// Hours from an open event's last report or follow-up to the reminder to send a follow-up,
    /// and between the reminders, while still on that report's day.
    pub followup_every_hours: u32,
    /// After the day of the latest report, an open event is reminded once a working day, at
    /// this time.
    pub daily_reminder_at: ClockTime,
    /// Reminders in a row without a follow-up after which the office is told (once per event).
    pub escalate_after: u32,
}

/// Off by default (RULES.md, practice from the Shanghai yearbook).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuotaRules {
    /// Items each unit of a kind should file a month; a kind not listed has no quota.
    pub monthly: BTreeMap<UnitKind, u32>,
}

/// Off by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignOffRules {
    /// Whether a confirmed item goes to the unit's leader in charge before the office.
    pub required: bool,
}

/// A rules file that cannot be used; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read the rules file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("rules file: {0}")]
    Parse(String),
    /// `code` names the prompt `rules.problem.<code>` that says it in a person's language;
    /// `problem` says it in English, for the log.
    #[error("rules file: {key}: {problem}")]
    Invalid {
        key: String,
        code: &'static str,
        problem: String,
    },
}

impl Rules {
    /// Reads a rules file: keys it leaves out keep RULES.md's defaults.
    pub fn load(path: &Path) -> Result<Rules, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Rules::from_toml(&text)
    }

    /// Reads a rules file's text laid over the defaults: tables key by key, lists whole.
    pub fn from_toml(text: &str) -> Result<Rules, RulesError> {
        let parse = |e: toml::de::Error| RulesError::Parse(e.to_string());
        // The file read on its own first: its mistakes are then told with the file's own
        // line, column and key, which the merged tree no longer knows.
        toml::from_str::<Rules>(text).map_err(parse)?;
        let mut file: toml::Table = toml::from_str(text).map_err(parse)?;
        merge::canonical_keys(&mut file, "").map_err(RulesError::Parse)?;
        let provenance = merge::leaf_keys(&file, "");
        let mut tree = toml::Table::try_from(Rules::default())
            .expect("the default rules always make a TOML table");
        merge::merge(&mut tree, file);
        let mut rules: Rules = toml::Value::Table(tree).try_into().map_err(parse)?;
        rules.provenance = provenance;
        rules.validate()?;
        Ok(rules)
    }

    /// Whether the honorarium rate of a level and form is RULES.md's placeholder rather than
    /// one the office set in its rules file (§7 sets no rates, so reports say so).
    pub fn honorarium_rate_is_default(&self, level: AdoptionLevel, form: AdoptionForm) -> bool {
        !self
            .provenance
            .is_set(&format!("honoraria.rates.{}.{}", level.code(), form.code()))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("the rules always serialize")
    }

    pub fn zone(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    pub fn adoption_points(&self, level: AdoptionLevel, form: AdoptionForm) -> Points {
        self.adoption
            .points
            .get(&level)
            .map_or(Points::ZERO, |p| p.get(form))
    }

    pub fn instruction_points(&self, level: InstructionLevel) -> Points {
        self.instruction
            .get(&level)
            .copied()
            .unwrap_or(Points::ZERO)
    }

    pub fn veto_deduction(&self, kind: VetoKind) -> Points {
        self.veto
            .deduction
            .get(&kind)
            .copied()
            .unwrap_or(Points::ZERO)
    }

    pub fn honorarium(&self, level: AdoptionLevel, form: AdoptionForm) -> i64 {
        self.honoraria.rates.get(&level).map_or(0, |r| match form {
            AdoptionForm::Single => r.single,
            AdoptionForm::Combined => r.combined,
        })
    }

    /// Refuses values no office could mean, naming the key.
    pub fn validate(&self) -> Result<(), RulesError> {
        let invalid = |key: &str, code: &'static str, problem: &str| {
            Err(RulesError::Invalid {
                key: key.to_string(),
                code,
                problem: problem.to_string(),
            })
        };
        if self.time_zone.parse::<Tz>().is_err() {
            return invalid(
                "time_zone",
                "not_a_zone",
                "not an IANA time zone such as Asia/Shanghai",
            );
        }
        let f = &self.filing;
        for (key, value) in [
            ("filing.points", f.points),
            ("filing.quarter_cap", f.quarter_cap),
            ("filing.commissioned_points", f.commissioned_points),
        ] {
            if value.is_negative() {
                return invalid(key, "negative", "must not be negative");
            }
        }
        if f.body_soft_limit == 0 || f.body_hard_limit == 0 || f.title_limit == 0 {
            return invalid(
                "filing",
                "limit_zero",
                "limits must be at least 1 character",
            );
        }
        if f.body_soft_limit > f.body_hard_limit {
            return invalid(
                "filing.body_soft_limit",
                "soft_over_hard",
                "must not exceed filing.body_hard_limit",
            );
        }
        for (level, p) in &self.adoption.points {
            if p.single.is_negative() || p.combined.is_negative() {
                return invalid(
                    &format!("adoption.points.{level}"),
                    "negative",
                    "must not be negative",
                );
            }
        }
        for (level, p) in &self.instruction {
            if p.is_negative() {
                return invalid(
                    &format!("instruction.{level}"),
                    "negative",
                    "must not be negative",
                );
            }
        }
        for (kind, p) in &self.veto.deduction {
            if p.is_negative() {
                return invalid(
                    &format!("veto.deduction.{kind}"),
                    "deduction_negative",
                    "a deduction is written as a positive number",
                );
            }
        }
        if self.awards.qualifying_levels.is_empty() && self.awards.min_high_adoptions > 0 {
            return invalid(
                "awards.qualifying_levels",
                "needs_level",
                "must name a level when awards.min_high_adoptions is above 0",
            );
        }
        for (i, tier) in self.awards.tiers.iter().enumerate() {
            if tier.size == 0 {
                return invalid(
                    &format!("awards.tiers[{i}].size"),
                    "at_least_one",
                    "must be at least 1",
                );
            }
            if tier.name.trim().is_empty() {
                return invalid(
                    &format!("awards.tiers[{i}].name"),
                    "empty",
                    "must not be empty",
                );
            }
        }
        for (level, r) in &self.honoraria.rates {
            if r.single < 0 || r.combined < 0 {
                return invalid(
                    &format!("honoraria.rates.{level}"),
                    "negative",
                    "must not be negative",
                );
            }
        }
        if self.urgent.report_within_minutes == 0 {
            return invalid(
                "urgent.report_within_minutes",
                "at_least_one",
                "must be at least 1",
            );
        }
        if self.urgent.followup_every_hours == 0 {
            return invalid(
                "urgent.followup_every_hours",
                "at_least_one",
                "must be at least 1",
            );
        }
        if self.urgent.escalate_after == 0 {
            return invalid(
                "urgent.escalate_after",
                "at_least_one",
                "must be at least 1",
            );
        }
        let c = &self.calendar;
        if let Some(day) = c.holidays.iter().find(|d| c.workdays.contains(d)) {
            return invalid(
                "calendar.holidays",
                "holiday_is_workday",
                &format!("{} is also in calendar.workdays", day.0),
            );
        }
        let s = &self.schedule;
        if !(1..=28).contains(&s.bulletin_day) {
            return invalid(
                "schedule.bulletin_day",
                "bulletin_day",
                "must be a day of the quarter's first month from 1 to 28",
            );
        }
        if s.quota_reminder_day > 28 {
            return invalid(
                "schedule.quota_reminder_day",
                "quota_day",
                "must be from 0 (off) to 28",
            );
        }
        for (key, days) in [
            ("schedule.quarter_reminder_days", s.quarter_reminder_days),
            (
                "schedule.quarter_second_reminder_days",
                s.quarter_second_reminder_days,
            ),
        ] {
            if days > 80 {
                return invalid(
                    key,
                    "quarter_days",
                    "must be from 0 (off) to 80 days before the quarter ends",
                );
            }
        }
        if s.quarter_second_reminder_days > 0
            && s.quarter_reminder_days > 0
            && s.quarter_second_reminder_days >= s.quarter_reminder_days
        {
            return invalid(
                "schedule.quarter_second_reminder_days",
                "second_after_first",
                "must be fewer days than schedule.quarter_reminder_days: it is the later reminder",
            );
        }
        if s.commission_reminder_days
            .iter()
            .any(|d| *d == 0 || *d > 60)
        {
            return invalid(
                "schedule.commission_reminder_days",
                "commission_days",
                "each must be from 1 to 60 days before the deadline",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
