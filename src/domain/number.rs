//! Whole numbers as a Chinese office writes them: `30`, `３０`, `30份`, `三十`, `一百二十`.
//!
//! Every whole number a person types goes through [`parse_digits`]: a count (copies), a
//! category, a place in a numbered list. So `３` is 3 and `+3` or `3.0` is no number wherever
//! it is typed, in chat, in a CSV cell or after a command.

use super::text::half_width;
use crate::records::Problem;

/// Measure words that may follow a count (`30份` copies, `50人` people); they say what is
/// counted, not how many, so they are dropped.
const MEASURE_WORDS: &[char] = &['份', '个', '条', '篇', '件', '人', '名', '位', '次', '家'];

/// Digits alone, ASCII or full-width, with spaces around: `12`, `１２`, ` 12 `. A sign, a
/// decimal point, an exponent or a digit of another script is none (Rust's own parsing takes
/// `+12`, which no office writes on purpose). A number too large for `u64` is none.
pub fn parse_digits(text: &str) -> Option<u64> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// A place in a list of `len` entries shown numbered from 1, as typed: the index it names.
/// Only where a person sees the numbered list (a chat keyboard, a command's usage) does a
/// number pick an entry; a file or a flag shows none, so there a number is no word.
pub fn list_position(text: &str, len: usize) -> Option<usize> {
    let n = usize::try_from(parse_digits(text)?).ok()?;
    (1..=len).contains(&n).then(|| n - 1)
}

/// A whole number from 1 to `max`: ASCII or full-width digits, or Chinese numerals up to
/// 九千九百九十九万…, optionally followed by a measure word. Anything else is refused with the
/// range, whose prompt shows what is accepted.
pub fn parse_count(text: &str, max: u32) -> Result<u32, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let refused = || Problem::NotANumber {
        value: text.trim().to_string(),
        min: 1,
        max: i64::from(max),
    };
    let t = t.strip_suffix(MEASURE_WORDS).unwrap_or(t).trim_end();
    let n = parse_digits(t).or_else(|| chinese_number(t));
    n.filter(|n| (1..=u64::from(max)).contains(n))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(refused)
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1_000,
        _ => return None,
    })
}

/// Reads Chinese numerals below one hundred million: `十五`, `两百`, `一千零五`, and the
/// spoken `一千五` (1,500) and `两万三` (23,000), where a last digit counts in the next lower
/// unit. A numeral out of order (`十百`, `二二`) is none.
pub fn chinese_number(text: &str) -> Option<u64> {
    let mut wan_part: Option<u64> = None;
    let mut section = 0u64;
    let mut pending: Option<u64> = None;
    // The unit last written in this section, which the next must be below; 万 above all.
    let mut last_unit = 10_000u64;
    let mut after_zero = false;
    let mut any = false;
    for c in text.chars() {
        any = true;
        if c == '零' || c == '〇' {
            if pending.is_some() || section == 0 && wan_part.is_none() {
                return None;
            }
            after_zero = true;
        } else if let Some(d) = digit(c) {
            if pending.is_some() {
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return None;
            }
            // `十五` is fifteen: a ten with no digit before it is one ten.
            let d = match pending.take() {
                Some(d) => d,
                None if u == 10 && (section == 0 || after_zero) => 1,
                None => return None,
            };
            section += d * u;
            last_unit = u;
            after_zero = false;
        } else if c == '万' || c == '萬' {
            let value = section + pending.take().unwrap_or(0);
            if wan_part.is_some() || value == 0 {
                return None;
            }
            wan_part = Some(value);
            section = 0;
            last_unit = 10_000;
            after_zero = false;
        } else {
            return None;
        }
    }
    if !any {
        return None;
    }
    let last = match pending {
        // `一千五`: a bare last digit right after a unit counts in the unit below it.
        Some(d) if !after_zero && last_unit <= 1_000 && last_unit > 10 => d * (last_unit / 10),
        Some(d) if !after_zero && last_unit == 10_000 && wan_part.is_some() && section == 0 => {
            d * 1_000
        }
        Some(d) => d,
        None if after_zero => return None,
        None => 0,
    };
    Some(wan_part.unwrap_or(0) * 10_000 + section + last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_read_with_a_measure_word_full_width_digits_or_chinese_numerals() {
        for (text, n) in [
            ("30份", 30),
            ("30 份", 30),
            ("３０", 30),
            ("三十", 30),
            ("三十份", 30),
            ("一百二十", 120),
            ("两百", 200),
            ("十五", 15),
            ("一千零五", 1_005),
            ("一千零五十", 1_050),
            ("九千九百九十九", 9_999),
            ("一千五", 1_500),
            ("两百五", 250),
            ("一万二千", 12_000),
        ] {
            assert_eq!(parse_count(text, 100_000), Ok(n), "{text}");
        }
    }

    #[test]
    fn numerals_out_of_order_zero_and_over_the_limit_are_refused() {
        for text in [
            "十百",
            "二二",
            "零",
            "0",
            "份",
            "万",
            "一百零",
            "101",
            "1e3",
            "+1",
            "-1",
        ] {
            assert!(
                matches!(parse_count(text, 100), Err(Problem::NotANumber { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn digits_are_ascii_or_full_width_and_nothing_else() {
        assert_eq!(parse_digits(" 12 "), Some(12));
        assert_eq!(parse_digits("１２"), Some(12));
        for text in [
            "",
            "+12",
            "-1",
            "1.0",
            "1e3",
            "١٢",
            "12份",
            "99999999999999999999",
        ] {
            assert_eq!(parse_digits(text), None, "{text}");
        }
    }

    #[test]
    fn a_place_in_a_list_counts_from_one_and_stays_inside_the_list() {
        assert_eq!(list_position("1", 3), Some(0));
        assert_eq!(list_position("３", 3), Some(2));
        for text in ["0", "4", "+1", "一", ""] {
            assert_eq!(list_position(text, 3), None, "{text}");
        }
    }
}
