//! The event's time: written moments, moments counted back from the report, and vague words.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::{Span, Src, TimeFact};
use crate::domain::number::chinese_number;
use crate::domain::parse_event_time;
use crate::records::Problem;

/// A written moment: an optional day, an optional part of the day, an hour, maybe minutes.
static MOMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<day>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]",
        r"|今天|今日|今晨|今早|今晚|当天|当晚|昨天|昨日|昨晚|昨夜|前天|明天|明日|明早|明晨|明晚|后天)?\s*",
        r"(?P<part>凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜里|夜间|深夜|半夜|晚)?\s*",
        r"(?P<hour>\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*(?P<sep>[:点时])\s*",
        r"(?P<min>\d{1,2}|半|一刻|三刻|[零〇一二三四五六七八九十]{1,3})?\s*(?P<fen>分)?",
        r"(?P<approx>许|左右|前后|多)?",
    ))
    .expect("a valid pattern")
});

/// A moment counted back from the report: `半小时前`, `10分钟前`, `一个半小时前`.
static AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<n>\d{1,4}|半|[零一二两三四五六七八九十]{1,3})\s*个?\s*(?P<half>半)?\s*多?\s*",
        r"(?P<unit>小时|钟头|分钟|分)\s*(?:之前|以前|前)",
    ))
    .expect("a valid pattern")
});

static VAGUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"刚才|刚刚|方才|刚发生").expect("a valid pattern"));

/// The event's time and the span it was read from: a written moment first, then a moment
/// counted back, then a vague word.
pub(super) fn find(src: &Src, reported_at: DateTime<Utc>, zone: Tz) -> Option<(TimeFact, Span)> {
    written(src, reported_at, zone)
        .or_else(|| ago(src, reported_at))
        .or_else(|| {
            VAGUE
                .find(&src.folded)
                .map(|m| (TimeFact::Unclear, src.span_of(m.range())))
        })
}

fn number(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    // `零五` (minutes) is five; Chinese numerals do not start with a zero.
    let text = text.trim_start_matches(['零', '〇']);
    if text.is_empty() {
        return Some(0);
    }
    chinese_number(text).and_then(|n| u32::try_from(n).ok())
}

fn written(src: &Src, reported_at: DateTime<Utc>, zone: Tz) -> Option<(TimeFact, Span)> {
    let (canonical, span) = moment(src)?;
    let fact = match parse_event_time(&canonical, reported_at, zone) {
        Ok(at) if at <= reported_at => TimeFact::At(at),
        // Later than the report, or a day the parser refuses: ask, never correct.
        _ => TimeFact::Unclear,
    };
    Some((fact, span))
}

/// An event's time typed as an answer, read the way the description is: the first written
/// moment as [`parse_event_time`] judges it (so `今晚7点` is in the future, the value the
/// officer typed), else a moment counted back from `now`. `None` when neither is there.
pub(crate) fn spoken(
    text: &str,
    now: DateTime<Utc>,
    zone: Tz,
) -> Option<Result<DateTime<Utc>, Problem>> {
    let src = Src::new(text);
    let typed = || text.trim().to_string();
    if let Some((canonical, _)) = moment(&src) {
        return Some(
            parse_event_time(&canonical, now, zone).map_err(|p| match p {
                Problem::InFuture { .. } => Problem::InFuture { value: typed() },
                Problem::YearOutOfRange { .. } => Problem::YearOutOfRange { value: typed() },
                _ => Problem::NotAnEventTime { value: typed() },
            }),
        );
    }
    ago(&src, now).map(|(fact, _)| match fact {
        TimeFact::At(at) => Ok(at),
        TimeFact::Unclear => Err(Problem::NotAnEventTime { value: typed() }),
    })
}

/// The first written moment of the text in the form [`parse_event_time`] reads
/// (`昨天 20:00`), and the span it was read from.
fn moment(src: &Src) -> Option<(String, Span)> {
    for c in MOMENT.captures_iter(&src.folded) {
        let whole = c.get(0)?;
        let span = src.span_of(whole.range());
        // `第3点`, `2.5时`, and `22` inside a longer number are not hours.
        if span.start > 0 && matches!(src.chars[span.start - 1], '第' | '.' | '0'..='9') {
            continue;
        }
        let day = c.name("day").map(|m| m.as_str());
        let part = c.name("part").map(|m| m.as_str());
        let hour_text = &c["hour"];
        let min_text = c.name("min").map(|m| m.as_str());
        let colon = &c["sep"] == ":";
        // `14:30` needs its minutes; `14:3` or `14:` is not a clock.
        if colon && !min_text.is_some_and(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()))
        {
            continue;
        }
        // A Chinese numeral before 点 or 时 is often no hour at all (`一点小事`, `一时冲动`): it
        // is one only with a day, a part of the day, minutes or 许.
        let chinese = !hour_text.bytes().all(|b| b.is_ascii_digit());
        if chinese
            && day.is_none()
            && part.is_none()
            && min_text.is_none()
            && c.name("approx").is_none()
        {
            continue;
        }
        let Some(hour) = number(hour_text) else {
            continue;
        };
        let minute = match min_text {
            None => Some(0),
            Some("半") => Some(30),
            Some("一刻") => Some(15),
            Some("三刻") => Some(45),
            Some(m) => number(m),
        };
        let Some(minute) = minute else { continue };
        let (day, implied) = day_word(day);
        let Some(hour) = clock_hour(hour, part.or(implied)) else {
            continue;
        };
        if minute > 59 {
            continue;
        }
        let canonical = match day {
            Some(d) => format!("{d} {hour:02}:{minute:02}"),
            None => format!("{hour:02}:{minute:02}"),
        };
        return Some((canonical, span));
    }
    None
}

/// A day word as [`parse_event_time`] reads it, and the part of the day it implies (`昨晚`).
fn day_word(day: Option<&str>) -> (Option<String>, Option<&'static str>) {
    let Some(day) = day else { return (None, None) };
    let (word, part) = match day {
        "今天" | "今日" | "当天" => ("今天", None),
        "今晨" | "今早" => ("今天", Some("早上")),
        "今晚" | "当晚" => ("今天", Some("晚上")),
        "昨天" | "昨日" => ("昨天", None),
        "昨晚" | "昨夜" => ("昨天", Some("晚上")),
        "前天" => ("前天", None),
        // Days to come: the parser refuses them as the future, so they are asked.
        "明天" | "明日" => ("明天", None),
        "明早" | "明晨" => ("明天", Some("早上")),
        "明晚" => ("明天", Some("晚上")),
        "后天" => ("后天", None),
        written => {
            return (
                Some(written.chars().filter(|c| !c.is_whitespace()).collect()),
                None,
            );
        }
    };
    (Some(word.to_string()), part)
}

/// The hour on a 24-hour clock, given the part of the day the officer named.
fn clock_hour(hour: u32, part: Option<&str>) -> Option<u32> {
    let hour = match part {
        Some("下午" | "午后" | "傍晚" | "晚上" | "晚间" | "晚") if (1..12).contains(&hour) => {
            hour + 12
        }
        Some("中午") if (1..6).contains(&hour) => hour + 12,
        Some("夜里" | "夜间" | "深夜") if (6..12).contains(&hour) => hour + 12,
        Some("夜里" | "夜间" | "深夜" | "半夜" | "凌晨") if hour == 12 => 0,
        _ => hour,
    };
    (hour < 24).then_some(hour)
}

fn ago(src: &Src, reported_at: DateTime<Utc>) -> Option<(TimeFact, Span)> {
    let c = AGO.captures(&src.folded)?;
    let n = &c["n"];
    let half = c.name("half").is_some();
    let minutes: i64 = match (n, &c["unit"]) {
        ("半", "小时" | "钟头") => 30,
        ("半", _) => return None,
        (n, "小时" | "钟头") => i64::from(number(n)?) * 60 + if half { 30 } else { 0 },
        (n, _) => i64::from(number(n)?),
    };
    // More than a week back is no sudden event reported now: ask.
    let fact = if minutes > 7 * 24 * 60 {
        TimeFact::Unclear
    } else {
        TimeFact::At(reported_at - Duration::minutes(minutes))
    };
    Some((fact, src.span_of(c.get(0)?.range())))
}
