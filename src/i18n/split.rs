//! Long texts split under Telegram's message limit, at line breaks, spaces, never inside an
//! HTML escape: for replies and for the scheduler's broadcasts alike.

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

/// A text's length as Telegram counts it.
pub fn utf16_len(text: &str) -> usize {
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
