//! Reports in words: a score's breakdown lines, award reasons and tiers, put into the user's
//! language from `prompts/`. Shared by the command line and the bot.

pub mod bulletin;
mod bulletin_delay;
pub mod bulletin_issue;
mod bulletin_render;

use std::collections::HashMap;

use crate::domain::UnitId;
use crate::i18n::{Locale, t};
use crate::scoring::{Line, Reason, Source, Unit};

/// Looks units up by id for names and codes in reports.
pub struct UnitNames<'a>(HashMap<UnitId, &'a Unit>);

impl<'a> UnitNames<'a> {
    pub fn new(units: &'a [Unit]) -> Self {
        UnitNames(units.iter().map(|u| (u.id, u)).collect())
    }

    pub fn get(&self, id: UnitId) -> Option<&'a Unit> {
        self.0.get(&id).copied()
    }

    pub fn code(&self, id: UnitId) -> String {
        self.get(id)
            .map_or_else(|| id.to_string(), |u| u.code.clone())
    }

    pub fn name(&self, id: UnitId) -> String {
        self.get(id)
            .map_or_else(|| id.to_string(), |u| u.name.clone())
    }
}

/// One breakdown line in words; `owner` is the unit whose breakdown it is, so a line from one
/// of its direct-report points says where it comes from.
pub fn describe_line(locale: Locale, line: &Line, owner: UnitId, names: &UnitNames) -> String {
    let points = line.points.to_string();
    let text = match &line.source {
        Source::Filings {
            quarter,
            ordinary,
            commissioned,
            capped,
            ..
        } => {
            let capped = if *capped {
                t(locale, "score.capped", &[])
            } else {
                String::new()
            };
            t(
                locale,
                "score.line.filings",
                &[
                    ("quarter", &quarter.label(locale)),
                    ("ordinary", &ordinary.to_string()),
                    ("commissioned", &commissioned.to_string()),
                    ("points", &points),
                    ("capped", &capped),
                ],
            )
        }
        Source::Adoption {
            title,
            level,
            form,
            on,
            counted,
            ..
        } => {
            let key = if *counted {
                "score.line.adoption"
            } else {
                "score.line.adoption_not_counted"
            };
            t(
                locale,
                key,
                &[
                    ("date", &on.to_string()),
                    ("title", title),
                    (
                        "level",
                        &t(locale, &format!("adoption_level.{}", level.code()), &[]),
                    ),
                    (
                        "form",
                        &t(locale, &format!("adoption_form.{}", form.code()), &[]),
                    ),
                    ("points", &points),
                ],
            )
        }
        Source::Instruction {
            title, level, on, ..
        } => t(
            locale,
            "score.line.instruction",
            &[
                ("date", &on.to_string()),
                ("title", title),
                (
                    "level",
                    &t(locale, &format!("instruction_level.{}", level.code()), &[]),
                ),
                ("points", &points),
            ],
        ),
        Source::Veto {
            kind, on, reason, ..
        } => t(
            locale,
            "score.line.veto",
            &[
                ("date", &on.to_string()),
                (
                    "kind",
                    &t(locale, &format!("veto_kind.{}", kind.code()), &[]),
                ),
                ("reason", reason),
                ("points", &points),
            ],
        ),
    };
    if line.unit == owner {
        text
    } else {
        t(
            locale,
            "score.line.from_direct_point",
            &[("line", &text), ("name", &names.name(line.unit))],
        )
    }
}

/// Why a unit is not eligible, in words.
pub fn describe_reason(locale: Locale, reason: &Reason) -> String {
    match reason {
        Reason::Veto { .. } => t(locale, "awards.reason.veto", &[]),
        Reason::TooFewHighAdoptions { count, needed } => t(
            locale,
            "awards.reason.too_few_high_adoptions",
            &[
                ("count", &count.to_string()),
                ("needed", &needed.to_string()),
            ],
        ),
    }
}

/// An award tier's name in words (`awards.tier.<code>`); a tier the prompts do not know is
/// shown by its code from the rules file.
pub fn describe_tier(locale: Locale, tier: Option<&str>) -> String {
    match tier {
        Some(code) => {
            let key = format!("awards.tier.{code}");
            let text = t(locale, &key, &[]);
            if text == key { code.to_string() } else { text }
        }
        None => t(locale, "awards.tier.none", &[]),
    }
}
