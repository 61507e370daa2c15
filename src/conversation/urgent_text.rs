//! How an urgent event is said: its facts, each or 待补充 (to be supplied), the delay and late
//! flag, and the alert the office gets, with its choices. Shared by the officer's and the
//! office's side; knows no conversation.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::turn::Choice;
pub use crate::i18n::urgent::followup_name;
use crate::i18n::{Locale, duration_text, t};
use crate::records::urgent::{LateFlag, UrgentFacts};

/// The facts in §2(2)3's order, each `label：value`, a missing one said as to be supplied.
pub fn facts_lines(locale: Locale, zone: Tz, facts: &UrgentFacts) -> Vec<String> {
    let missing = t(locale, "urgent.to_supply", &[]);
    let values = [
        (
            "event_time",
            facts
                .event_at
                .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()),
        ),
        ("place", facts.place.clone()),
        ("people", facts.people.as_ref().map(|p| p.words.clone())),
        ("cause", facts.cause.clone()),
        ("measures", facts.measures.clone()),
        ("status", facts.status.clone()),
    ];
    values
        .into_iter()
        .map(|(field, value)| {
            let label = t(locale, &format!("field.label.{field}"), &[]);
            let value = value.unwrap_or_else(|| missing.clone());
            t(
                locale,
                "form.summary_line",
                &[("label", &label), ("value", &value)],
            )
        })
        .collect()
}

/// What an alert is about.
pub struct Alerted<'a> {
    pub number: i64,
    pub unit: &'a str,
    pub officer: &'a str,
    pub reported_at: DateTime<Utc>,
    /// Minutes from the event to the report, when the alert is about the report's timing.
    pub delay: Option<i64>,
    pub facts: &'a UrgentFacts,
    pub late: LateFlag,
    pub limit_minutes: u32,
    /// The officer's own words.
    pub text: &'a str,
    /// The alert's heading: `urgent.alert.title` (first report), `urgent.alert.late_raised`
    /// (an event time that made it late), `urgent.alert.followup` (a follow-up).
    pub heading: &'a str,
    /// The follow-up's name (续报一, 终报), for a follow-up's heading.
    pub followup: &'a str,
}

/// An alert in the office member's language.
pub fn alert(locale: Locale, zone: Tz, a: &Alerted<'_>) -> String {
    let number = a.number.to_string();
    let at = a
        .reported_at
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let mut lines = vec![
        t(
            locale,
            a.heading,
            &[
                ("number", &number),
                ("unit", a.unit),
                ("followup", a.followup),
            ],
        ),
        t(
            locale,
            "urgent.alert.reported",
            &[("at", &at), ("officer", a.officer)],
        ),
    ];
    lines.extend(facts_lines(locale, zone, a.facts));
    if let Some(delay) = a.delay {
        lines.push(t(
            locale,
            "urgent.alert.delay",
            &[("delay", &duration_text(locale, delay))],
        ));
    }
    if a.facts.event_at.is_none() {
        // Without the event's time the hour cannot be measured: said, never taken as in time.
        lines.push(t(locale, "urgent.late.unknown", &[]));
    }
    if a.late == LateFlag::Flagged {
        let delay = duration_text(locale, a.delay.unwrap_or_default());
        let limit = duration_text(locale, i64::from(a.limit_minutes));
        lines.push(t(
            locale,
            "urgent.alert.late",
            &[("delay", &delay), ("limit", &limit), ("number", &number)],
        ));
    }
    lines.push(t(locale, "urgent.alert.text", &[("text", a.text)]));
    lines.join("\n")
}

/// The alert's choices: acknowledge, ask for a follow-up (while the event is open), and confirm
/// a late flag.
pub fn alert_choices(locale: Locale, number: i64, late: LateFlag, open: bool) -> Vec<Vec<Choice>> {
    let choice = |key: &str, data: String| Choice {
        label: t(locale, key, &[]),
        data,
    };
    let mut row = vec![choice("urgent.button.acknowledge", format!("ua:{number}"))];
    if open {
        row.push(choice("urgent.button.ask_followup", format!("ur:{number}")));
    }
    if late == LateFlag::Flagged {
        row.push(choice("urgent.button.confirm_late", format!("ul:{number}")));
    }
    vec![row]
}

/// Whole minutes from the event to the report, when the event's time is known.
pub fn delay_minutes(facts: &UrgentFacts, reported_at: DateTime<Utc>) -> Option<i64> {
    facts.event_at.map(|at| (reported_at - at).num_minutes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_says_the_delay_and_the_limit_in_hours_and_minutes() {
        use chrono::TimeZone;
        let event_at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        let reported_at = event_at + chrono::Duration::minutes(504);
        let facts = UrgentFacts {
            event_at: Some(event_at),
            ..UrgentFacts::default()
        };
        let alerted = |late| Alerted {
            number: 7,
            unit: "中山区总工会",
            officer: "张三",
            reported_at,
            delay: delay_minutes(&facts, reported_at),
            facts: &facts,
            late,
            limit_minutes: 60,
            text: "港区职工聚集",
            heading: "urgent.alert.title",
            followup: "",
        };
        let zone = chrono_tz::Asia::Shanghai;
        let zh = alert(Locale::ZhCn, zone, &alerted(LateFlag::Flagged));
        assert!(zh.contains("事件发生到报告相隔8小时24分钟。"), "{zh}");
        assert!(
            zh.contains("事件发生8小时24分钟后才报告，时限为1小时。"),
            "{zh}"
        );
        assert!(!zh.contains("504"), "{zh}");
        let en = alert(Locale::En, zone, &alerted(LateFlag::Flagged));
        assert!(en.contains("Reported 8 h 24 min after the event."), "{en}");
        assert!(
            en.contains("reported 8 h 24 min after the event, the limit being 1 h."),
            "{en}"
        );
        assert!(!en.contains("504"), "{en}");
        let in_time = alert(Locale::ZhCn, zone, &alerted(LateFlag::None));
        assert!(!in_time.contains("疑似迟报"), "{in_time}");
    }
}
