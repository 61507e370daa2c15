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

/// Refuses a control character (NUL, escape, DEL…): it is invisible on screen and in a
/// spreadsheet, and no office means one. A body may hold line breaks and tabs.
pub fn refuse_controls(text: &str, multi_line: bool) -> Result<(), Problem> {
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(Problem::ControlCharacter);
    }
    Ok(())
}

/// Whether a character is one no office means: a control character other than a line break
/// or a tab, or a direction override that makes text display other than as stored.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The text without control characters and direction overrides, and whether any was removed
/// (an urgent report's first message is never refused: it is cleaned, and the officer told).
pub fn strip_controls(text: &str) -> (String, bool) {
    let clean: String = text.chars().filter(|c| !is_hidden(*c)).collect();
    let removed = clean.len() != text.len();
    (clean, removed)
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
    fn yes_and_no_are_read_in_full_width_and_any_case() {
        assert_eq!(parse_yes_no("ＹＥＳ"), Ok(true));
        assert_eq!(parse_yes_no(" 是的 "), Ok(true));
        assert_eq!(parse_yes_no("不"), Ok(false));
        assert_eq!(parse_yes_no(""), Err(Problem::Empty));
    }
}
