//! Text as people type it: full-width forms folded, lines and bodies checked, yes or no read.
//!
//! Pure: the chat validator, the CSV importers and the office's commands all call these, so a
//! text is accepted or refused the same way wherever it was typed.

use crate::records::Problem;

/// Full-width letters, digits and signs (as a Chinese input method types them) as ASCII, and
/// the ideographic space as a space.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The marks that turn the direction of text around (U+202A–U+202E embeddings and overrides,
/// U+2066–U+2069 isolates, U+200E/U+200F and U+061C marks): invisible, they make `工资1000元`
/// display as another text than it stores.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// A character no text keeps: a C0 or C1 control (NUL, escape, DEL…) or a direction mark.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Whether `text` holds a control character other than a line break (`\n`) or a tab: a C0 or
/// C1 control, a carriage return included, or a direction mark (see [`strip_controls`]).
pub fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| is_hidden_control(c) && !matches!(c, '\n' | '\t'))
}

/// `text` without its C0 and C1 control characters (but for `\n` and `\t`) and its direction
/// marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), and whether any was removed.
pub fn strip_controls(text: &str) -> (String, bool) {
    let kept: String = text
        .chars()
        .filter(|&c| !is_hidden_control(c) || matches!(c, '\n' | '\t'))
        .collect();
    let removed = kept.len() != text.len();
    (kept, removed)
}

/// Refuses a control character (NUL, escape, DEL…) or a direction mark: it is invisible on
/// screen and in a spreadsheet, and no office means one. A body may hold line breaks (`\r\n`
/// as a file from Windows has them) and tabs.
pub fn refuse_controls(text: &str, multi_line: bool) -> Result<(), Problem> {
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| is_hidden_control(c) && !allowed(c)) {
        return Err(Problem::ControlCharacter);
    }
    Ok(())
}

/// One line of text, trimmed; refused when empty, holding a control character (a line break
/// too), or longer than `max` characters (not bytes).
pub fn check_line(text: &str, max: usize) -> Result<String, Problem> {
    checked(text, max, false)
}

/// A body, trimmed: like [`check_line`], but line breaks and tabs are kept.
pub fn check_body(text: &str, max: usize) -> Result<String, Problem> {
    checked(text, max, true)
}

fn checked(text: &str, max: usize, multi_line: bool) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    refuse_controls(text, multi_line)?;
    if text.chars().count() > max {
        return Err(Problem::TooLong { limit: max });
    }
    Ok(text.to_string())
}

/// Most characters of a unit's code: what a command can carry as one word.
pub const UNIT_CODE_LIMIT: usize = 32;

/// A unit's code as typed, in a CSV cell, a chat answer or after a command: one line, trimmed,
/// at most [`UNIT_CODE_LIMIT`] characters. Its case is kept as written: the store compares
/// codes without case (`ZS` is `zs`), and shows a unit's code as the office wrote it. Full
/// width is not folded here, since the store's lookup does not fold it either: `ｚｓ` would
/// be accepted and then be found by no one.
pub fn parse_unit_code(text: &str) -> Result<String, Problem> {
    check_line(text, UNIT_CODE_LIMIT)
}

/// Yes or no, in English or Chinese, in any case and width; an empty answer is refused (not
/// read as no): a chat field asks again, and a CSV column where an empty cell means no says
/// so itself (an optional cell left empty, not a word read as no).
pub fn parse_yes_no(text: &str) -> Result<bool, Problem> {
    let t = half_width(text).trim().to_lowercase();
    match t.as_str() {
        "" => Err(Problem::Empty),
        "yes" | "y" | "true" | "1" | "是" | "是的" | "对" => Ok(true),
        "no" | "n" | "false" | "0" | "否" | "不是" | "不" => Ok(false),
        _ => Err(Problem::NotYesNo {
            value: text.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_an_escape_or_a_line_break_in_a_line_is_refused() {
        assert_eq!(check_line("工会\0信息", 10), Err(Problem::ControlCharacter));
        assert_eq!(
            check_line("a\u{1b}[31m", 10),
            Err(Problem::ControlCharacter)
        );
        assert_eq!(check_line("一行\n两行", 10), Err(Problem::ControlCharacter));
    }

    #[test]
    fn a_body_keeps_line_breaks_and_tabs_but_not_other_control_characters() {
        assert_eq!(
            check_body("一行\r\n\t两行", 10),
            Ok("一行\r\n\t两行".to_string())
        );
        assert_eq!(check_body("一行\u{7f}", 10), Err(Problem::ControlCharacter));
    }

    #[test]
    fn control_characters_and_direction_marks_are_stripped_but_line_breaks_and_tabs_kept() {
        assert_eq!(strip_controls("工会信息"), ("工会信息".to_string(), false));
        assert_eq!(
            strip_controls("一行\n\t两行"),
            ("一行\n\t两行".to_string(), false)
        );
        assert_eq!(
            strip_controls("工\0会\u{1b}\u{7f}\u{85}\r信息"),
            ("工会信息".to_string(), true)
        );
        for mark in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}',
        ] {
            let text = format!("工资{mark}1000元");
            assert_eq!(
                strip_controls(&text),
                ("工资1000元".to_string(), true),
                "{mark:?}"
            );
            assert!(has_controls(&text), "{mark:?}");
        }
        // A joiner is no direction mark: emoji and some scripts need it.
        assert_eq!(
            strip_controls("a\u{200d}b"),
            ("a\u{200d}b".to_string(), false)
        );
    }

    #[test]
    fn has_controls_passes_line_breaks_and_tabs_only() {
        assert!(!has_controls("一行\n\t两行"));
        assert!(!has_controls(""));
        assert!(has_controls("一行\r\n两行"));
        assert!(has_controls("\u{9f}"));
        assert!(has_controls("a\u{1}"));
    }

    #[test]
    fn a_direction_mark_is_refused_in_a_line_and_in_a_body() {
        assert_eq!(
            check_line("工资\u{202e}0001", 10),
            Err(Problem::ControlCharacter)
        );
        assert_eq!(
            check_body("一行\n\u{2066}两行\u{2069}", 20),
            Err(Problem::ControlCharacter)
        );
    }

    #[test]
    fn yes_and_no_are_read_in_full_width_and_any_case() {
        assert_eq!(parse_yes_no("ＹＥＳ"), Ok(true));
        assert_eq!(parse_yes_no(" 是的 "), Ok(true));
        assert_eq!(parse_yes_no("不"), Ok(false));
        assert_eq!(parse_yes_no(""), Err(Problem::Empty));
    }
}
