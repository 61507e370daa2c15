//! Days and moments as an office writes them, inside the window of years the software keeps.
//!
//! Pure: "today" and "now" are arguments, never read from a clock. The window keeps a typing
//! slip (`+10000-01-01`, `-0001-03-01`, `226-01-01`) from reaching the records; it is
//! documented in the README and named in the refusal.

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use regex::Regex;

use super::text::half_width;
use crate::records::Problem;

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 2000..=2100;

/// How far ahead of the given time an event's time may be, for clocks a little apart.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// How far ahead of now a filing time in a file may be: a day covers every zone's clock.
pub const FILING_AHEAD_HOURS: i64 = 24;

fn year_refused(value: &str) -> Problem {
    Problem::YearOutOfRange {
        value: value.trim().to_string(),
    }
}

/// A day: `2026-04-01`, `2026/4/1`, `2026.4.1`, `2026年4月1日`, `12月1日` (in today's year),
/// `今天`, `昨天`, `前天`, in full or half width. A day that does not exist (`2026-02-30`) is
/// not a date; one outside [`YEARS`] is refused as such. What a chat answer or a command
/// typed now reads: [`parse_day`] with today.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    parse_day(text, Some(today))
}

/// A day written with its year, in any form [`parse_date`] takes: [`parse_day`] without a
/// today, as a file of history reads it.
pub fn parse_full_date(text: &str) -> Result<NaiveDate, Problem> {
    parse_day(text, None)
}

/// The one reading of a day, for the chat, the CSV importers and the commands alike. The one
/// thing they differ in is `today`: typed now, `4月1日` and `昨天` are read against it; in a
/// file of history (`None`) they are not dates, since read against the day of the import
/// they would mean another day each time the file is imported.
pub fn parse_day(text: &str, today: Option<NaiveDate>) -> Result<NaiveDate, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let not_a_date = || Problem::NotADate {
        value: text.trim().to_string(),
    };
    let back = |days| today.and_then(|d| d.checked_sub_signed(Duration::days(days)));
    let day = match t {
        "今天" | "今日" => back(0),
        "昨天" | "昨日" => back(1),
        "前天" => back(2),
        _ => {
            let written = written_date(t).ok_or_else(not_a_date)?;
            return match (written.year.is_some(), today) {
                // The year is written, so the day given as "today" is never read.
                (true, _) => written.resolve(NaiveDate::MIN, text),
                (false, Some(today)) => written.resolve(today, text),
                (false, None) => Err(not_a_date()),
            };
        }
    };
    in_window(day.ok_or_else(not_a_date)?, text)
}

/// A date as written, its year possibly left out.
struct Written {
    year: Option<String>,
    month: u32,
    day: u32,
}

impl Written {
    fn resolve(self, today: NaiveDate, text: &str) -> Result<NaiveDate, Problem> {
        let year = match &self.year {
            None => today.year(),
            Some(y) => match y.parse::<i32>() {
                Ok(y) if YEARS.contains(&y) => y,
                _ => return Err(year_refused(text)),
            },
        };
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .ok_or_else(|| Problem::NotADate {
                value: text.trim().to_string(),
            })
            .and_then(|d| in_window(d, text))
    }
}

/// The parts of a written date; ASCII digits only (full width is folded before), since `\d`
/// would take any script's digits and then refuse them as a year out of range.
fn written_date(t: &str) -> Option<Written> {
    static FULL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^([+-]?[0-9]{1,6})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*[日号]?$",
        )
        .expect("a valid pattern")
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?$").expect("a valid pattern")
    });
    if let Some(c) = FULL.captures(t) {
        return Some(Written {
            year: Some(c[1].to_string()),
            month: c[2].parse().ok()?,
            day: c[3].parse().ok()?,
        });
    }
    let c = MONTH_DAY.captures(t)?;
    Some(Written {
        year: None,
        month: c[1].parse().ok()?,
        day: c[2].parse().ok()?,
    })
}

fn in_window(day: NaiveDate, text: &str) -> Result<NaiveDate, Problem> {
    if YEARS.contains(&day.year()) {
        Ok(day)
    } else {
        Err(year_refused(text))
    }
}

/// Refuses a day after today.
pub fn not_after(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Problem> {
    if date > today {
        return Err(Problem::InFuture {
            value: date.to_string(),
        });
    }
    Ok(date)
}

/// Reads a wall-clock time in a zone; a time skipped by a clock change moves to the next hour.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => local_to_utc(local + Duration::hours(1), zone),
    }
}

/// A moment as a file or the office writes it: with an offset or `Z` it is honoured, without
/// one it is wall-clock time in `zone`; a bare day is the start of that day. The leap second
/// (`23:59:60`, which the calendar library takes) and years outside [`YEARS`] are refused.
pub fn parse_instant(text: &str, zone: Tz) -> Result<DateTime<Utc>, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let not_a_time = || Problem::NotATime {
        value: text.trim().to_string(),
    };
    // A day alone, with its year: the start of that day.
    if written_date(t).is_some_and(|w| w.year.is_some()) {
        return parse_full_date(text).map(|day| local_to_utc(day.and_time(NaiveTime::MIN), zone));
    }
    let at = exact_instant(t, zone).ok_or_else(not_a_time)?;
    checked_instant(at, zone, text)
}

fn exact_instant(t: &str, zone: Tz) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Some(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(t, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
            return Some(local_to_utc(local, zone));
        }
    }
    None
}

/// Refuses the leap second and a moment whose local year is outside the window.
fn checked_instant(at: DateTime<Utc>, zone: Tz, text: &str) -> Result<DateTime<Utc>, Problem> {
    if at.nanosecond() >= 1_000_000_000 {
        return Err(Problem::NotATime {
            value: text.trim().to_string(),
        });
    }
    if !YEARS.contains(&at.with_timezone(&zone).year()) {
        return Err(year_refused(text));
    }
    Ok(at)
}

/// Refuses a filing time more than [`FILING_AHEAD_HOURS`] after `now`.
pub fn not_ahead_of(at: DateTime<Utc>, now: DateTime<Utc>, text: &str) -> Result<(), Problem> {
    if at > now + Duration::hours(FILING_AHEAD_HOURS) {
        return Err(Problem::InFuture {
            value: text.trim().to_string(),
        });
    }
    Ok(())
}

/// Words for a day to come: an event's time given with one is in the future.
pub const FUTURE_DAYS: &[&str] = &[
    "明天",
    "明日",
    "明早",
    "明晨",
    "明晚",
    "明夜",
    "后天",
    "大后天",
];

/// A moment that has happened: `2026-04-01 14:30` (wall-clock time in `zone`), with an offset,
/// a day and a time (`昨天 21:05`, `4月9日21点05分`), or a time alone: today's, or yesterday's
/// when today's is more than 12 hours ahead (a late evening event reported after midnight). A
/// bare day is refused: an event's time needs the hour. A few minutes ahead of `now` is a
/// clock a little fast; more is the future, refused, and so is a day to come named in words
/// (`明天`, `明天上午9点`, `后天`) with or without its hour. What cannot be read is
/// [`Problem::NotAnEventTime`], whose prompt shows the forms an officer writes.
pub fn parse_event_time(
    text: &str,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<DateTime<Utc>, Problem> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(.+?[日号天])\s*|(.+?)\s+)?(\d{1,2})\s*[:点]\s*(\d{2})\s*分?$")
            .expect("a valid pattern")
    });
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let not_a_time = || Problem::NotAnEventTime {
        value: text.trim().to_string(),
    };
    if FUTURE_DAYS.iter().any(|w| t.starts_with(w)) {
        return Err(Problem::InFuture {
            value: text.trim().to_string(),
        });
    }
    let today = now.with_timezone(&zone).date_naive();
    if parse_date(t, today).is_ok() {
        return Err(not_a_time());
    }
    let at = if let Some(at) = exact_instant(t, zone) {
        checked_instant(at, zone, text).map_err(|p| match p {
            Problem::NotATime { .. } => not_a_time(),
            p => p,
        })?
    } else {
        let c = TIME.captures(t).ok_or_else(not_a_time)?;
        let time = NaiveTime::from_hms_opt(
            c[3].parse().map_err(|_| not_a_time())?,
            c[4].parse().map_err(|_| not_a_time())?,
            0,
        )
        .ok_or_else(not_a_time)?;
        match c.get(1).or_else(|| c.get(2)) {
            Some(day) => {
                let day = parse_date(day.as_str(), today).map_err(|p| match p {
                    Problem::YearOutOfRange { .. } => year_refused(text),
                    _ => not_a_time(),
                })?;
                local_to_utc(day.and_time(time), zone)
            }
            None => {
                let at = local_to_utc(today.and_time(time), zone);
                // Far ahead is last night's time given just after midnight; a little ahead is
                // a mistake, refused below.
                if at > now + Duration::hours(12) {
                    local_to_utc((today - Duration::days(1)).and_time(time), zone)
                } else {
                    at
                }
            }
        }
    };
    if at > now + Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(Problem::InFuture {
            value: text.trim().to_string(),
        });
    }
    Ok(at)
}

#[cfg(test)]
mod tests;
