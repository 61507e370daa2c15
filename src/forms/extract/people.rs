//! The number of people: a count directly followed by 人, 名 or 位.

use std::sync::LazyLock;

use regex::Regex;

use super::{People, Qualifier, Span, Src};
use crate::domain::number::chinese_number;

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<before>大约有|大约|大概|约有|约|将近|接近|近|超过|逾|不到|不足|上)?\s*",
        r"(?P<num>\d+(?:\.\d+)?[万千百]?(?:\s*[-~～至到]\s*\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*",
        r"(?P<after>余|多)?\s*个?\s*(?P<measure>人|名|位)",
        r"(?P<noun>农民工|务工人员|职工|工人|员工|群众|人员|工友|家属|司机|教师|业主)?",
        r"(?:\s*(?P<tail>左右|上下|以上|之多))?",
    ))
    .expect("a valid pattern")
});

/// Acts of sending people (`已派5人到场`): those are the union's or the police's, not the
/// crowd's.
const SENT: &[&str] = &["派", "出动", "抽调", "安排"];

/// The count with the largest number, outside `time` (`晚8点20人` is no count of twenty).
pub(super) fn find(src: &Src, time: Option<Span>) -> Option<(People, Span)> {
    let mut best: Option<(People, Span)> = None;
    for c in COUNT.captures_iter(&src.folded) {
        let Some(whole) = c.get(0) else { continue };
        let mut span = src.span_of(whole.range());
        let num = &c["num"];
        let mut before = c.name("before").map(|m| m.as_str());
        // 上 qualifies only a bare unit (`上千名`); `上3人` is no such thing.
        if before == Some("上") && !num.starts_with(['百', '千', '万']) {
            before = None;
            span.start = src.span_of(c.name("num").map(|m| m.range())?.clone()).start;
        }
        if !plausible(src, &c, span.clone(), time.as_ref()) {
            continue;
        }
        let Some((count, upper)) = read(num) else {
            continue;
        };
        let qualifier = if upper.is_some() {
            Qualifier::Range
        } else {
            qualifier(
                before,
                c.name("after").map(|m| m.as_str()),
                c.name("tail").map(|m| m.as_str()),
            )
        };
        let people = People {
            count,
            upper,
            qualifier,
        };
        let top = |p: &People| p.upper.unwrap_or(p.count);
        if best.as_ref().is_none_or(|(b, _)| top(&people) > top(b)) {
            best = Some((people, span));
        }
    }
    best
}

fn plausible(src: &Src, c: &regex::Captures, span: Span, time: Option<&Span>) -> bool {
    let end = span.end;
    let measure = &c["measure"];
    // `人民币`, `人次`, `名单`, `名义`, `位于`, `位置` are no people.
    let next = |w: &str| src.has(end, w);
    if (measure == "人" && c.name("noun").is_none() && (next("民币") || next("次")))
        || (measure == "名"
            && c.name("noun").is_none()
            && ["单", "义", "称", "额", "次"].iter().any(|w| next(w)))
        || (measure == "位" && c.name("noun").is_none() && ["于", "置"].iter().any(|w| next(w)))
    {
        return false;
    }
    // `第3名` is a rank; `数百名`, `几十人` have no number to keep; a digit before is another
    // number's tail; `-5人`, `负5人` are no count that can be taken.
    if span.start > 0
        && (matches!(
            src.chars[span.start - 1],
            '第' | '数' | '几' | '好' | '.' | '0'..='9'
        ) || is_minus(src.chars[span.start - 1]))
    {
        return false;
    }
    if time.is_some_and(|t| t.start < span.end && span.start < t.end) {
        return false;
    }
    // Sent to the scene: look back within the clause.
    let clause_start = (0..span.start)
        .rev()
        .find(|&i| super::ends_clause(src.chars[i]) || src.chars[i] == '、')
        .map_or(0, |i| i + 1);
    !(clause_start..span.start).any(|i| SENT.iter().any(|w| src.has(i, w)))
}

/// A sign of a number below zero (full width is folded to `-` before).
fn is_minus(c: char) -> bool {
    matches!(c, '-' | '负' | '\u{2212}' | '\u{fe63}')
}

/// A count written below zero (`-5人`, `负五名`, `－5`): a minus sign right before a number,
/// not between two (`30-40人` is a range).
static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9\s])\s*[-负\x{2212}\x{fe63}]\s*(?:\d|[零〇一二两三四五六七八九十百千万])",
    )
    .expect("a valid pattern")
});

/// Whether `text` gives a number of people below zero.
pub(crate) fn negative(text: &str) -> bool {
    NEGATIVE.is_match(&crate::domain::half_width(text))
}

fn qualifier(before: Option<&str>, after: Option<&str>, tail: Option<&str>) -> Qualifier {
    match (before, after, tail) {
        (Some("将近" | "接近" | "近" | "不到" | "不足"), _, _) => Qualifier::Nearly,
        (Some("超过" | "逾"), _, _) | (_, Some(_), _) | (_, _, Some("以上" | "之多")) => {
            Qualifier::MoreThan
        }
        (Some(_), _, _) | (_, _, Some(_)) => Qualifier::About,
        _ => Qualifier::Exact,
    }
}

/// A count, or a range: `200`, `1.5万`, `30-40`, `两百`, `百` (one hundred), `三四十` (30 to 40).
fn read(num: &str) -> Option<(u32, Option<u32>)> {
    let num: String = num.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(i) = num.find(['-', '~', '～', '至', '到']) {
        let sep = num[i..].chars().next()?.len_utf8();
        let (low, high) = (digits(&num[..i])?, digits(&num[i + sep..])?);
        return (low < high).then_some((low, Some(high)));
    }
    if num.starts_with(|c: char| c.is_ascii_digit()) {
        return digits(&num).map(|n| (n, None));
    }
    let chars: Vec<char> = num.chars().collect();
    // Two neighbouring digits before a unit are a range: `三四十`, `两三百`, `七八`.
    if let [a, b, rest @ ..] = chars.as_slice() {
        let (da, db) = (digit(*a), digit(*b));
        if let (Some(da), Some(db)) = (da, db) {
            if db != da + 1 || rest.iter().any(|c| digit(*c).is_some()) {
                return None;
            }
            let unit: String = rest.iter().collect();
            let low = chinese(&format!("{a}{unit}"))?;
            let high = chinese(&format!("{b}{unit}"))?;
            return Some((low, Some(high)));
        }
    }
    chinese(&num).map(|n| (n, None))
}

fn digit(c: char) -> Option<u32> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|i| i as u32 + 1)
        .or((c == '两').then_some(2))
}

fn chinese(text: &str) -> Option<u32> {
    // A bare unit is one of it: `百人`, `上千名`.
    let text = if text.starts_with(['百', '千', '万']) {
        format!("一{text}")
    } else {
        text.to_string()
    };
    chinese_number(&text)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n > 0)
}

/// Digits, maybe with a decimal part and 万/千/百 (`1.5万`).
fn digits(text: &str) -> Option<u32> {
    let (number, scale) = match text.chars().last()? {
        '万' => (&text[..text.len() - '万'.len_utf8()], 10_000.0),
        '千' => (&text[..text.len() - '千'.len_utf8()], 1_000.0),
        '百' => (&text[..text.len() - '百'.len_utf8()], 100.0),
        _ => (text, 1.0),
    };
    if !number.contains('.') {
        let n: u64 = number.parse().ok()?;
        return u32::try_from(n.checked_mul(scale as u64)?)
            .ok()
            .filter(|&n| n > 0);
    }
    // A fraction of a person (`2.5人`) is no count; `1.5万` is.
    if scale == 1.0 {
        return None;
    }
    let n: f64 = number.parse().ok()?;
    let n = (n * scale).round();
    (n >= 1.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0).then_some(n as u32)
}
