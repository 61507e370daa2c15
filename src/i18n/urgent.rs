//! How an urgent event's record is said, the same in chat and on the command line: where its
//! lateness stands, the measures taken across its reports, and the history of every fact given,
//! each with the report that gave it and who gave it, by name.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Locale, t};
use crate::records::urgent::{UrgentDetail, UrgentEvent};
use crate::records::urgent_change::Origin;

fn local(zone: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// Where the event's lateness stands; an event without its time cannot be judged yet, and a
/// voided one is not judged at all.
pub fn late_state(locale: Locale, e: &UrgentEvent) -> String {
    let key = if e.voided_at.is_some() {
        "voided"
    } else if e.facts.event_at.is_none() {
        "unknown"
    } else {
        e.late.code()
    };
    t(locale, &format!("urgent.late.{key}"), &[])
}

/// A follow-up's name as officers number them: 续报一, 续报二, …; the closing one 终报.
pub fn followup_name(locale: Locale, number: i64, final_report: bool) -> String {
    if final_report {
        return t(locale, "urgent.followup.final_name", &[]);
    }
    let numeral = match locale {
        Locale::ZhCn => chinese_numeral(number),
        _ => number.to_string(),
    };
    t(locale, "urgent.followup.name", &[("n", &numeral)])
}

/// 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (follow-ups never run to hundreds; past 99 the digits).
fn chinese_numeral(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: i64| DIGITS[d as usize];
    match n {
        0..=9 => digit(n).to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { digit(n % 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n % 10 == 0 { "" } else { digit(n % 10) }
        ),
        _ => n.to_string(),
    }
}

/// Who gave a fact, by the report it came in: 首报, 补充, 续报二, 终报, the office's correction.
pub fn origin_name(locale: Locale, detail: &UrgentDetail, origin: Origin) -> String {
    match origin {
        Origin::FollowUp(n) => {
            let last = detail
                .followups
                .iter()
                .any(|f| f.number == n && f.final_report);
            followup_name(locale, n, last)
        }
        other => t(locale, &format!("urgent.origin.{}", other.code()), &[]),
    }
}

/// The measures taken, each with the report that gave it and when, when more than one was
/// given (one is the fact sheet's line itself).
pub fn measures_lines(locale: Locale, zone: Tz, detail: &UrgentDetail) -> Vec<String> {
    let measures = detail.measures();
    if measures.len() < 2 {
        return Vec::new();
    }
    std::iter::once(t(locale, "urgent.show.measures", &[]))
        .chain(measures.iter().map(|c| {
            t(
                locale,
                "urgent.show.measure",
                &[
                    ("origin", &origin_name(locale, detail, c.origin)),
                    ("at", &local(zone, c.at)),
                    ("value", &c.value),
                ],
            )
        }))
        .collect()
}

/// Every fact given, in the order given, with who gave it (by name) and why.
pub fn history_lines(locale: Locale, zone: Tz, detail: &UrgentDetail) -> Vec<String> {
    if detail.changes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![t(locale, "urgent.show.history", &[])];
    for c in &detail.changes {
        let label = t(locale, &format!("field.label.{}", c.fact.code()), &[]);
        let value = c
            .event_at
            .map_or_else(|| c.value.clone(), |at| local(zone, at));
        let by = c.by_name.clone().unwrap_or_else(|| "—".to_string());
        let origin = origin_name(locale, detail, c.origin);
        let at = local(zone, c.at);
        let mut args = vec![
            ("at", at.as_str()),
            ("origin", origin.as_str()),
            ("by", by.as_str()),
            ("label", label.as_str()),
            ("value", value.as_str()),
        ];
        let key = match &c.reason {
            Some(reason) => {
                args.push(("reason", reason.as_str()));
                "urgent.show.change_reason"
            }
            None => "urgent.show.change",
        };
        lines.push(t(locale, key, &args));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_are_numbered_as_officers_number_them() {
        assert_eq!(chinese_numeral(1), "一");
        assert_eq!(chinese_numeral(10), "十");
        assert_eq!(chinese_numeral(12), "十二");
        assert_eq!(chinese_numeral(20), "二十");
        assert_eq!(chinese_numeral(21), "二十一");
        assert_eq!(chinese_numeral(120), "120");
        assert_eq!(followup_name(Locale::ZhCn, 2, false), "续报二");
        assert_eq!(followup_name(Locale::ZhCn, 3, true), "终报");
    }
}
