//! Quarters, half-years and years in the configured time zone, and which one an instant falls in.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar quarter, e.g. `2026Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub number: u8,
}

/// A reporting period: a quarter (bulletins), a half-year (honoraria) or a year (awards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Quarter(Quarter),
    /// A year and 1 (January–June) or 2 (July–December).
    Half(i32, u8),
    Year(i32),
}

/// A text that names no period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a period: write 2026Q1, 2026H1 or 2026")]
pub struct BadPeriod(pub String);

impl Quarter {
    pub fn new(year: i32, number: u8) -> Option<Self> {
        (1..=4)
            .contains(&number)
            .then_some(Quarter { year, number })
    }

    /// The quarter a calendar date is in.
    pub fn of(date: NaiveDate) -> Self {
        Quarter {
            year: date.year(),
            number: (date.month0() / 3 + 1) as u8,
        }
    }

    /// The quarter an instant falls in, read in the given zone.
    pub fn of_instant(at: DateTime<Utc>, zone: Tz) -> Self {
        Quarter::of(at.with_timezone(&zone).date_naive())
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.number) * 3 - 2, 1)
            .expect("a quarter starts on a real day")
    }

    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        }
    }

    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number - 1,
            }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.number)
    }
}

impl Period {
    /// The quarters the period is made of, in order.
    pub fn quarters(self) -> Vec<Quarter> {
        match self {
            Period::Quarter(q) => vec![q],
            Period::Half(year, h) => {
                let first = (h - 1) * 2 + 1;
                vec![
                    Quarter {
                        year,
                        number: first,
                    },
                    Quarter {
                        year,
                        number: first + 1,
                    },
                ]
            }
            Period::Year(year) => (1..=4).map(|number| Quarter { year, number }).collect(),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Quarter(q) => q.year,
            Period::Half(year, _) | Period::Year(year) => year,
        }
    }

    /// The first day of the period.
    pub fn first_day(self) -> NaiveDate {
        self.quarters()[0].first_day()
    }

    /// The day after the period's last day.
    pub fn end_day(self) -> NaiveDate {
        let last = *self.quarters().last().expect("a period has a quarter");
        last.next().first_day()
    }

    pub fn contains_quarter(self, quarter: Quarter) -> bool {
        self.quarters().contains(&quarter)
    }

    pub fn contains_date(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date < self.end_day()
    }

    /// The period's start and end as UTC instants, the end excluded, with days read in `zone`.
    pub fn instants(self, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            start_of_day(self.first_day(), zone),
            start_of_day(self.end_day(), zone),
        )
    }
}

/// The first instant of a local day (the earliest, should a zone ever skip midnight).
pub fn start_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    local_to_utc(day.and_time(NaiveTime::MIN), zone)
}

/// Reads a wall-clock time in a zone; a time skipped by a clock change moves to the next hour.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => local_to_utc(local + chrono::Duration::hours(1), zone),
    }
}

/// Parses a time as the office writes it: with an offset or `Z` it is honoured, without one it
/// is wall-clock time in `zone`; a bare date is the start of that day.
pub fn parse_instant(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let t = text.trim();
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
    parse_date(t).map(|day| start_of_day(day, zone))
}

/// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`); a day that does not exist is refused.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .ok()
}

impl FromStr for Period {
    type Err = BadPeriod;

    fn from_str(s: &str) -> Result<Self, BadPeriod> {
        let bad = || BadPeriod(s.to_string());
        let t = s.trim().to_ascii_uppercase();
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        if digits_end != 4 {
            return Err(bad());
        }
        let year: i32 = t[..4].parse().map_err(|_| bad())?;
        let rest = &t[4..];
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        match rest {
            "" => Ok(Period::Year(year)),
            _ => {
                let (kind, n) = rest.split_at(1);
                let n: u8 = n.parse().map_err(|_| bad())?;
                match kind {
                    "Q" => Quarter::new(year, n).map(Period::Quarter).ok_or_else(bad),
                    "H" if n == 1 || n == 2 => Ok(Period::Half(year, n)),
                    _ => Err(bad()),
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter(q) => q.fmt(f),
            Period::Half(year, h) => write!(f, "{year}H{h}"),
            Period::Year(year) => write!(f, "{year}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn periods_parse_and_print_back() {
        for text in ["2026Q1", "2026Q4", "2026H1", "2026H2", "2026"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
        assert_eq!("2026q2".parse::<Period>().unwrap().to_string(), "2026Q2");
        for bad in ["2026Q5", "2026H3", "26Q1", "2026Q", "Q1", "", "2026X1"] {
            assert!(bad.parse::<Period>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn a_late_evening_filing_in_shanghai_stays_in_its_local_quarter() {
        let at = parse_instant("2026-03-31 23:50", SHANGHAI).unwrap();
        assert_eq!(Quarter::of_instant(at, SHANGHAI).to_string(), "2026Q1");
    }

    #[test]
    fn an_instant_with_an_offset_is_honoured() {
        let at = parse_instant("2026-03-31T16:10:00Z", SHANGHAI).unwrap();
        assert_eq!(Quarter::of_instant(at, SHANGHAI).to_string(), "2026Q2");
        let same = parse_instant("2026-04-01T00:10:00+08:00", SHANGHAI).unwrap();
        assert_eq!(at, same);
    }

    #[test]
    fn period_bounds_are_local_midnights() {
        let (start, end) = "2026Q2".parse::<Period>().unwrap().instants(SHANGHAI);
        assert_eq!(start.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-06-30T16:00:00+00:00");
    }

    #[test]
    fn a_half_year_is_two_quarters_and_a_year_four() {
        let h2: Period = "2026H2".parse().unwrap();
        assert_eq!(
            h2.quarters().iter().map(|q| q.number).collect::<Vec<_>>(),
            vec![3, 4]
        );
        assert_eq!(Period::Year(2026).quarters().len(), 4);
        assert!(h2.contains_date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert!(!h2.contains_date(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
    }

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_instant("2026-13-01 10:00", SHANGHAI).is_none());
    }
}
