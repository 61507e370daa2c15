//! Who a job reaches and what it tells each of them, in their language (prompts `schedule.*`).

use chrono::{Datelike, NaiveDate};

use super::{JobFacts, Member, OpenUrgent, Slot, Subject, UnitFigures};
use crate::domain::{Role, UnitId};
use crate::i18n::{Locale, t, t_html};
use crate::period::Period;
use crate::rules::Rules;

/// One message of a job, to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub person: i64,
    pub chat: i64,
    /// HTML, user values escaped.
    pub text: String,
}

/// Filings that earn the quarter cap's worth of points (20 by default): a unit with fewer is
/// reminded before the quarter ends.
fn cap_worth(rules: &Rules) -> u32 {
    let each = rules.filing.points.halves();
    if each <= 0 {
        return 0;
    }
    u32::try_from((rules.filing.quarter_cap.halves() + each - 1) / each).unwrap_or(u32::MAX)
}

/// The units a reminder is about.
fn units_reminded<'a>(rules: &Rules, slot: &Slot, facts: &'a JobFacts) -> Vec<&'a UnitFigures> {
    facts
        .units
        .iter()
        .filter(|u| match &slot.subject {
            Subject::QuarterDeadline { only_empty, .. } => {
                if *only_empty {
                    u.filed == 0
                } else {
                    u.filed < cap_worth(rules)
                }
            }
            Subject::Quota { .. } => rules
                .quota
                .monthly
                .get(&u.kind)
                .is_some_and(|quota| u.filed < *quota),
            Subject::Commission { commission, .. } | Subject::CommissionOverdue { commission } => {
                u.id == commission.unit
            }
            _ => false,
        })
        .collect()
}

/// Who a unit's reminder goes to: its officers, who file; a unit with no officer the bot can
/// reach has its leaders in charge and head reminded instead, so it is not left unaware.
fn officers_of(facts: &JobFacts, unit: UnitId) -> Vec<&Member> {
    let of_unit = |roles: &[Role]| -> Vec<&Member> {
        facts
            .members
            .iter()
            .filter(|m| m.unit == Some(unit) && roles.contains(&m.role))
            .collect()
    };
    let officers = of_unit(&[Role::Officer]);
    if officers.is_empty() {
        of_unit(&[Role::Leader, Role::Head])
    } else {
        officers
    }
}

fn office(facts: &JobFacts) -> impl Iterator<Item = &Member> {
    facts.members.iter().filter(|m| m.role == Role::Office)
}

/// Who a job reaches, each once: guidance every registered person (RULES.md), a reminder the
/// officers of the units it is about (and the office, for a missed commission), the office's
/// reports the office, a bulletin's preview the office (which issues it to the heads).
pub fn recipients<'a>(rules: &Rules, slot: &Slot, facts: &'a JobFacts) -> Vec<&'a Member> {
    let mut out: Vec<&Member> = match &slot.subject {
        Subject::Guidance { .. } => facts.members.iter().collect(),
        Subject::QuarterDeadline { .. } | Subject::Quota { .. } | Subject::Commission { .. } => {
            units_reminded(rules, slot, facts)
                .into_iter()
                .flat_map(|u| officers_of(facts, u.id))
                .collect()
        }
        Subject::CommissionOverdue { commission } => officers_of(facts, commission.unit)
            .into_iter()
            .chain(office(facts))
            .collect(),
        Subject::OfficeReports { .. } => office(facts).collect(),
        // The filing unit's own people only: urgent reports are confidential.
        Subject::UrgentFollowUp { event } => officers_of(facts, event.unit),
        // Every office member: the office follows the unit up.
        Subject::UrgentEscalation { .. } => office(facts).collect(),
        Subject::Bulletin { .. } => office(facts).collect(),
    };
    out.sort_by_key(|m| m.person);
    out.dedup_by_key(|m| m.person);
    out
}

fn date(locale: Locale, day: NaiveDate) -> String {
    // Chinese writes 3月31日; English gets the ISO form, 2026-03-31.
    let (y, m, d) = match locale {
        Locale::ZhCn => (
            day.year().to_string(),
            day.month().to_string(),
            day.day().to_string(),
        ),
        Locale::En => (
            day.year().to_string(),
            format!("{:02}", day.month()),
            format!("{:02}", day.day()),
        ),
    };
    t(
        locale,
        "schedule.date",
        &[("year", &y), ("month", &m), ("day", &d)],
    )
}

fn unit_name(facts: &JobFacts, unit: Option<UnitId>) -> String {
    unit.and_then(|id| facts.units.iter().find(|u| u.id == id))
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

/// The text of one job for one person.
fn text(rules: &Rules, slot: &Slot, facts: &JobFacts, to: &Member) -> String {
    let l = to.locale;
    match &slot.subject {
        Subject::Guidance {
            quarter, topics, ..
        } => {
            let list = topics
                .iter()
                .enumerate()
                .map(|(i, topic)| {
                    let n = (i + 1).to_string();
                    t_html(l, "schedule.guidance_topic", &[("n", &n), ("topic", topic)])
                })
                .collect::<Vec<_>>()
                .join("\n");
            let key = match slot.kind {
                super::JobKind::GuidanceCorrection => "schedule.guidance_correction",
                _ => "schedule.guidance",
            };
            // The topics are escaped one by one above; the quarter's name is the program's own.
            t(l, key, &[("quarter", &quarter.label(l)), ("topics", &list)])
        }
        Subject::QuarterDeadline {
            quarter,
            ends_on,
            only_empty,
        } => {
            let unit = facts.units.iter().find(|u| Some(u.id) == to.unit);
            let (filed, points) = unit.map_or((0, Default::default()), |u| (u.filed, u.points));
            let key = if *only_empty {
                "schedule.quarter_empty"
            } else {
                "schedule.quarter_short"
            };
            let (count, worth) = (filed.to_string(), cap_worth(rules).to_string());
            t_html(
                l,
                key,
                &[
                    ("quarter", &quarter.label(l)),
                    ("end", &date(l, *ends_on)),
                    ("unit", &unit_name(facts, to.unit)),
                    ("count", &count),
                    ("points", &points.to_string()),
                    ("worth", &worth),
                ],
            )
        }
        Subject::Quota { .. } => {
            let unit = facts.units.iter().find(|u| Some(u.id) == to.unit);
            let filed = unit.map_or(0, |u| u.filed).to_string();
            let quota = unit
                .and_then(|u| rules.quota.monthly.get(&u.kind))
                .copied()
                .unwrap_or(0)
                .to_string();
            t_html(
                l,
                "schedule.quota",
                &[
                    ("unit", &unit_name(facts, to.unit)),
                    ("count", &filed),
                    ("quota", &quota),
                ],
            )
        }
        Subject::Commission {
            commission,
            days_left,
        } => {
            let days = days_left.to_string();
            t_html(
                l,
                "schedule.commission_due",
                &[
                    ("subject", &commission.subject),
                    ("due", &date(l, commission.due_on)),
                    ("days", &days),
                    ("unit", &unit_name(facts, Some(commission.unit))),
                ],
            )
        }
        Subject::CommissionOverdue { commission } => {
            let key = if to.role == Role::Office {
                "schedule.commission_missed_office"
            } else {
                "schedule.commission_missed"
            };
            t_html(
                l,
                key,
                &[
                    ("subject", &commission.subject),
                    ("due", &date(l, commission.due_on)),
                    ("unit", &unit_name(facts, Some(commission.unit))),
                ],
            )
        }
        Subject::OfficeReports { period } => office_text(l, *period, facts),
        Subject::UrgentFollowUp { event } => urgent_followup_text(l, slot, facts, event),
        Subject::UrgentEscalation { event, reminders } => t_html(
            l,
            "schedule.urgent_escalation",
            &[
                ("number", &event.id.to_string()),
                ("unit", &unit_name(facts, Some(event.unit))),
                ("count", &reminders.to_string()),
            ],
        ),
        // A bulletin's preview is the bulletin's own (`reports::bulletin`).
        Subject::Bulletin { .. } => String::new(),
    }
}

/// A follow-up reminder: by number and unit only (the text of an urgent report is never in a
/// reminder), with the hours since the latest report as they are when it goes out, and what
/// the unit is asked for: the facts still missing, the event time first (and, while it is
/// missing, that lateness cannot be judged), or else the latest progress.
fn urgent_followup_text(l: Locale, slot: &Slot, facts: &JobFacts, event: &OpenUrgent) -> String {
    let hours = (slot.at - event.last_report_at)
        .num_hours()
        .max(0)
        .to_string();
    let number = event.id.to_string();
    let unit = unit_name(facts, Some(event.unit));
    let args = [
        ("number", number.as_str()),
        ("unit", unit.as_str()),
        ("hours", hours.as_str()),
    ];
    let mut text = t_html(l, "schedule.urgent_followup", &args);
    if event.missing.is_empty() {
        text.push_str(&t_html(l, "schedule.urgent_followup_progress", &args));
    } else {
        // `missing` is in §2(2)3's order, which puts the event time first.
        let names = event
            .missing
            .iter()
            .map(|name| t(l, &format!("field.label.{name}"), &[]))
            .collect::<Vec<_>>()
            .join(&t(l, "common.list_separator", &[]));
        text.push_str(&t_html(
            l,
            "schedule.urgent_followup_missing",
            &[("number", &number), ("missing", &names)],
        ));
        if event.missing.contains(&"event_time") {
            text.push_str(&t_html(l, "schedule.urgent_followup_no_time", &[]));
        }
    }
    text.push_str(&t_html(l, "schedule.urgent_followup_close", &args));
    text
}

fn office_text(l: Locale, period: Period, facts: &JobFacts) -> String {
    let f = &facts.office;
    let (payees, total) = (f.payees.to_string(), f.honoraria.to_string());
    let code = period.to_string();
    let honoraria_period = match period {
        Period::Year(year) => Period::Half(year, 2),
        other => other,
    };
    let mut text = t_html(
        l,
        "schedule.office_honoraria",
        &[
            ("period", &honoraria_period.label(l)),
            ("code", &honoraria_period.to_string()),
            ("count", &payees),
            ("total", &total),
        ],
    );
    if let Period::Year(year) = period {
        let eligible = f.eligible.unwrap_or(0).to_string();
        let (key, first) = match &f.first {
            Some(first) => ("schedule.office_awards", first.clone()),
            None => ("schedule.office_awards_none", String::new()),
        };
        text.push_str("\n\n");
        text.push_str(&t_html(
            l,
            key,
            &[
                ("year", &year.to_string()),
                ("code", &code),
                ("count", &eligible),
                ("first", &first),
            ],
        ));
    }
    text.push_str("\n\n");
    text.push_str(&t_html(l, "schedule.provisional", &[]));
    text
}

/// A job's messages, one per recipient, each in the person's language. (A bulletin's
/// messages are made by the bulletin itself; this gives its recipients a line of notice only
/// where the caller wants one.)
pub fn deliveries(rules: &Rules, slot: &Slot, facts: &JobFacts) -> Vec<Delivery> {
    recipients(rules, slot, facts)
        .into_iter()
        .map(|m| Delivery {
            person: m.person,
            chat: m.chat,
            text: text(rules, slot, facts, m),
        })
        .collect()
}
