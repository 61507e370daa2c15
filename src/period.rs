//! Quarters, half-years and years in the configured time zone, and which one an instant falls in.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::{Locale, t};

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

/// A text that names no period; the prompt `error.bad_period` tells a person what to write.
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

pub use crate::domain::date::local_to_utc;

/// Parses a time as the office writes it (see [`crate::domain::date::parse_instant`]): none
/// where the text is not one, or its year is outside the window.
pub fn parse_instant(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    crate::domain::date::parse_instant(text, zone).ok()
}

impl FromStr for Period {
    type Err = BadPeriod;

    /// Reads `2026Q1`, `2026q1`, `2026-Q1`, `2026H1`, `2026`, and what a Chinese office types:
    /// `2026年`, `2026年第一季度`, `2026年一季度`, `2026年第1季度`, `2026年上半年`,
    /// `2026年下半年`, in full or half width; the year within the window of
    /// [`crate::domain::date::YEARS`].
    fn from_str(s: &str) -> Result<Self, BadPeriod> {
        let bad = || BadPeriod(s.to_string());
        let folded = crate::domain::half_width(s);
        let t = folded.trim();
        // Slicing by char boundaries only: the text may be anything a person typed.
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        if digits_end != 4 {
            return Err(bad());
        }
        let (year, rest) = t.split_at(digits_end);
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !crate::domain::date::YEARS.contains(&year) {
            return Err(bad());
        }
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(['-', '年']).unwrap_or(rest).trim();
        period_after_year(year, rest).ok_or_else(bad)
    }
}

/// What follows the year: nothing, `Q1`/`H1`, or the Chinese names of quarters and halves.
fn period_after_year(year: i32, rest: &str) -> Option<Period> {
    let quarter = |n: u8| Quarter::new(year, n).map(Period::Quarter);
    let half = |n: u8| (n == 1 || n == 2).then_some(Period::Half(year, n));
    let number = |text: &str| -> Option<u8> {
        match text {
            "1" | "一" => Some(1),
            "2" | "二" => Some(2),
            "3" | "三" => Some(3),
            "4" | "四" => Some(4),
            _ => None,
        }
    };
    match rest {
        "" | "年" | "年度" | "全年" => return Some(Period::Year(year)),
        "上半年" => return half(1),
        "下半年" => return half(2),
        _ => {}
    }
    if let Some(n) = rest.strip_prefix(['Q', 'q']) {
        return quarter(number(n)?);
    }
    if let Some(n) = rest.strip_prefix(['H', 'h']) {
        return half(number(n)?);
    }
    let n = rest.strip_prefix('第').unwrap_or(rest);
    let n = n
        .strip_suffix("季度")
        .or_else(|| n.strip_suffix('季'))?
        .trim();
    quarter(number(n)?)
}

impl Period {
    /// The period as a person reads it in `locale`: `2026年第一季度`, `2026年上半年`, `2026年`
    /// in Chinese, the code `2026Q1` in English (prompts `period.*`). JSON and CSV keep the
    /// code, which is [`Display`](fmt::Display).
    pub fn label(self, locale: Locale) -> String {
        let year = self.year().to_string();
        let key = match self {
            Period::Quarter(q) => format!("period.quarter.{}", q.number),
            Period::Half(_, h) => format!("period.half.{h}"),
            Period::Year(_) => "period.year".to_string(),
        };
        t(locale, &key, &[("year", &year)])
    }
}

impl Quarter {
    /// The quarter as a person reads it in `locale` (see [`Period::label`]).
    pub fn label(self, locale: Locale) -> String {
        Period::Quarter(self).label(locale)
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
    fn times_that_do_not_exist_are_refused() {
        assert!(parse_instant("2026-13-01 10:00", SHANGHAI).is_none());
        assert!(parse_instant("2026-02-30", SHANGHAI).is_none());
    }

    #[test]
    fn a_chinese_period_or_a_non_ascii_character_after_the_year_does_not_panic() {
        for text in [
            "2026年",
            "2026é",
            "2026Ｑ1",
            "2026年第一季度",
            "2026年第五季度",
            "2026年x",
        ] {
            let _ = text.parse::<Period>();
        }
        assert!("2026é".parse::<Period>().is_err());
    }

    #[test]
    fn periods_are_read_as_a_chinese_office_types_them() {
        let q1 = Period::Quarter(Quarter::new(2026, 1).unwrap());
        for (text, expected) in [
            ("2026年", Period::Year(2026)),
            ("2026年第一季度", q1),
            ("2026年一季度", q1),
            ("2026年第1季度", q1),
            (
                "2026年 第四季度",
                Period::Quarter(Quarter::new(2026, 4).unwrap()),
            ),
            ("2026年上半年", Period::Half(2026, 1)),
            ("2026年下半年", Period::Half(2026, 2)),
            ("2026q1", q1),
            ("2026h1", Period::Half(2026, 1)),
            ("２０２６Ｑ１", q1),
            ("２０２６年", Period::Year(2026)),
            ("  2026Q1 ", q1),
        ] {
            assert_eq!(text.parse::<Period>(), Ok(expected), "{text}");
        }
        for bad in [
            "2026年第五季度",
            "2026年中半年",
            "2026é",
            "1999",
            "2026年第一季度末",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn periods_are_labelled_the_official_way_in_chinese_and_by_code_in_english() {
        use crate::i18n::Locale::{En, ZhCn};
        let q1: Period = "2026Q1".parse().unwrap();
        assert_eq!(q1.label(ZhCn), "2026年第一季度");
        assert_eq!(Period::Half(2026, 1).label(ZhCn), "2026年上半年");
        assert_eq!(Period::Half(2026, 2).label(ZhCn), "2026年下半年");
        assert_eq!(Period::Year(2026).label(ZhCn), "2026年");
        assert_eq!(q1.label(En), "2026Q1");
        assert_eq!(Period::Half(2026, 1).label(En), "2026H1");
        assert_eq!(Period::Year(2026).label(En), "2026");
        assert_eq!(q1.to_string(), "2026Q1");
    }
}
