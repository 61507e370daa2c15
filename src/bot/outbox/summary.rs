//! The office's summary of a broadcast's end: how many of its people blocked the bot, and who,
//! in the office member's language.

use crate::i18n::{Locale, escape_html, t};
use crate::store::{BatchEnd, Person};

use super::super::text::{MESSAGE_LIMIT, split_message};

/// The summary for one office member, in parts Telegram takes (HTML, every value escaped).
pub fn summarize(end: &BatchEnd, office: &Person) -> Vec<String> {
    let locale = Locale::or_default(office.locale.as_deref());
    let count = end.unreachable.len().to_string();
    let total = end.total.to_string();
    let mut lines = vec![t(
        locale,
        "bot.broadcast.unreachable",
        &[("batch", &end.batch), ("total", &total), ("count", &count)],
    )];
    for person in &end.unreachable {
        let unit = person
            .unit_name
            .clone()
            .unwrap_or_else(|| t(locale, "role.office", &[]));
        let number = person.id.to_string();
        lines.push(t(
            locale,
            "bot.broadcast.person",
            &[("name", &person.name), ("unit", &unit), ("number", &number)],
        ));
    }
    if end.failed > 0 {
        let failed = end.failed.to_string();
        lines.push(t(
            locale,
            "bot.broadcast.also_failed",
            &[("count", &failed)],
        ));
    }
    split_message(&escape_html(&lines.join("\n")), MESSAGE_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn person(id: i64, name: &str, unit: Option<&str>, role: Role) -> Person {
        Person {
            id,
            telegram_id: id * 10,
            name: name.into(),
            unit_id: None,
            unit_code: None,
            unit_name: unit.map(str::to_string),
            role,
            locale: None,
            name_confirmed: true,
            name_asked: false,
            unreachable_since: None,
            left_at: None,
        }
    }

    #[test]
    fn the_summary_names_everyone_unreachable_with_their_unit_escaped() {
        let end = BatchEnd {
            batch: "guidance:2026Q2:r1".into(),
            total: 300,
            unreachable: vec![
                person(1, "王<五>", Some("中山区总工会"), Role::Officer),
                person(2, "李四", Some("西岗区总工会"), Role::Officer),
            ],
            failed: 1,
        };
        let office = person(9, "办公室", None, Role::Office);
        let parts = summarize(&end, &office);
        assert_eq!(parts.len(), 1);
        let text = &parts[0];
        assert!(text.contains("王&lt;五&gt;"), "{text}");
        assert!(
            text.contains("中山区总工会") && text.contains("李四"),
            "{text}"
        );
        assert!(text.contains("300") && text.contains('2'), "{text}");
        assert!(text.contains("/failed"), "{text}");
    }

    #[test]
    fn a_long_list_is_split_under_telegrams_limit() {
        let unreachable = (0..400)
            .map(|i| {
                person(
                    i,
                    &format!("信息员{i}"),
                    Some("中山区总工会"),
                    Role::Officer,
                )
            })
            .collect();
        let end = BatchEnd {
            batch: "b".into(),
            total: 10_000,
            unreachable,
            failed: 0,
        };
        let parts = summarize(&end, &person(9, "办公室", None, Role::Office));
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= MESSAGE_LIMIT));
    }
}
