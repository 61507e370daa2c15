//! Texts as Telegram takes them: a form's reply as escaped HTML with its inline keyboard, and
//! long messages split under Telegram's limit.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::forms::{CALLBACK_LIMIT, Reply};
use crate::i18n::{Locale, describe_problem, escape_html, t};

/// Telegram refuses a message longer than this (counted in UTF-16 code units).
pub const MESSAGE_LIMIT: usize = 4096;

/// Splits a text into messages of at most `limit` UTF-16 code units each, at a line break where
/// one is near, else at a space, else anywhere but inside an HTML escape (`&amp;`). Nothing is
/// lost but the line breaks or spaces a cut falls on; a text within the limit is one message.
pub fn split_message(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(8);
    let mut parts = Vec::new();
    let mut rest = text;
    while utf16_len(rest) > limit {
        let cut = cut_point(rest, limit);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end_matches(['\n', ' ']);
        if !head.is_empty() {
            parts.push(head.to_string());
        }
        rest = tail.trim_start_matches(['\n', ' ']);
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Where to cut a text longer than `limit`: a byte index on a character boundary, above zero.
fn cut_point(text: &str, limit: usize) -> usize {
    let mut units = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if units + c.len_utf16() > limit {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    if end == 0 {
        // Not even one character fits (a limit below 2 and a surrogate pair): take it anyway.
        return text.chars().next().map_or(text.len(), char::len_utf8);
    }
    let window = &text[..end];
    // A break in the last quarter of the window keeps lines whole without wasting much room.
    let floor = end - end / 4;
    if let Some(at) = window.rfind('\n').filter(|&at| at >= floor) {
        return at + 1;
    }
    if let Some(at) = window.rfind(' ').filter(|&at| at >= floor) {
        return at + 1;
    }
    // A hard cut must not fall inside an escape such as `&amp;`.
    match (window.rfind('&'), window.rfind(';')) {
        (Some(amp), semi) if semi.is_none_or(|s| s < amp) && amp > 0 && end - amp <= 8 => amp,
        _ => end,
    }
}

/// A form reply in a locale: its text as HTML (escaped once, as a whole) and its buttons.
pub fn render_reply(locale: Locale, reply: &Reply) -> (String, Option<InlineKeyboardMarkup>) {
    let text = |key: &str, args: &[(&str, &str)]| t(locale, key, args);
    let problem = |p: &crate::records::Problem| describe_problem(locale, p);
    let html = escape_html(&reply.render(&text, &problem));
    let rows: Vec<Vec<InlineKeyboardButton>> = reply
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter(|b| b.data.len() <= CALLBACK_LIMIT)
                .map(|b| InlineKeyboardButton::callback(b.label.render(&text, &problem), &b.data))
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    let keyboard = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    (html, keyboard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_one_message() {
        assert_eq!(
            split_message("你好", MESSAGE_LIMIT),
            vec!["你好".to_string()]
        );
        assert_eq!(split_message("", MESSAGE_LIMIT), vec![String::new()]);
    }

    #[test]
    fn a_long_text_is_cut_at_line_breaks_under_the_limit() {
        let line = "字".repeat(99);
        let text = vec![line.as_str(); 100].join("\n");
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(utf16_len(part) <= MESSAGE_LIMIT);
            assert!(part.split('\n').all(|l| l == line), "lines stay whole");
        }
        assert_eq!(parts.join("\n"), text, "nothing is lost");
    }

    #[test]
    fn a_text_without_breaks_is_cut_hard_but_never_inside_an_escape() {
        let text = format!("{}&amp;{}", "a".repeat(4093), "b".repeat(10));
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(parts[0], "a".repeat(4093));
        assert!(parts[1].starts_with("&amp;"));
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn characters_outside_the_basic_plane_count_twice() {
        let text = "😀".repeat(3000);
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(parts.len(), 2);
        assert_eq!(utf16_len(&parts[0]), 4096);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn every_part_of_any_text_fits() {
        let text = "第一行\n".repeat(700) + &" 词".repeat(3000) + &"x".repeat(9000);
        for limit in [10, 100, MESSAGE_LIMIT] {
            for part in split_message(&text, limit) {
                assert!(utf16_len(&part) <= limit, "{limit}: {}", utf16_len(&part));
                assert!(!part.is_empty());
            }
        }
    }

    #[test]
    fn a_reply_is_escaped_once_and_keeps_its_buttons() {
        use crate::forms::{Button, Message};
        let reply = Reply {
            parts: vec![
                Message::new("form.summary_line")
                    .value("label", "<b>")
                    .value("value", "a&b"),
            ],
            keyboard: vec![vec![Button {
                label: Message::new("form.button.confirm"),
                data: "f1:i:1:c".into(),
            }]],
        };
        let (html, keyboard) = render_reply(Locale::En, &reply);
        let plain = t(
            Locale::En,
            "form.summary_line",
            &[("label", "<b>"), ("value", "a&b")],
        );
        assert_eq!(html, escape_html(&plain));
        assert!(html.contains("&lt;b&gt;") && html.contains("a&amp;b"));
        let keyboard = keyboard.expect("a keyboard");
        assert_eq!(
            keyboard.inline_keyboard[0][0].text,
            t(Locale::En, "form.button.confirm", &[])
        );
    }
}
