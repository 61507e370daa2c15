//! The calendar and the schedule in the rules file: working days (holidays and China's make-up
//! working days, 调休), quiet hours, and when guidance, reminders and bulletins are due.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time of day as the rules file writes it, `09:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    pub fn hm(hour: u32, minute: u32) -> ClockTime {
        ClockTime(NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time of day"))
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.format("%H:%M").to_string())
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(ClockTime)
            .map_err(|_| {
                serde::de::Error::custom(format!("{text:?} is not a time of day such as \"09:00\""))
            })
    }
}

/// A date as the rules file writes it: `2026-10-01`, quoted or as a TOML date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.format("%Y-%m-%d").to_string())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // An office writes `2026-10-01` bare as often as quoted; TOML reads the bare one as a
        // date, which arrives here as a date-time value whose text is the same.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Text(String),
            Date(toml::value::Datetime),
        }
        let text = match Written::deserialize(d)? {
            Written::Text(text) => text,
            Written::Date(date) => date.to_string(),
        };
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(Day)
            .map_err(|_| {
                serde::de::Error::custom(format!("{text:?} is not a date such as 2026-10-01"))
            })
    }
}

/// Working days and quiet hours (RULES.md, "Calendar and the rules file").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarRules {
    /// Dates off, though weekdays.
    pub holidays: Vec<Day>,
    /// Weekend dates that are working days (调休).
    pub workdays: Vec<Day>,
    /// Scheduled messages are held from this time of day…
    pub quiet_from: ClockTime,
    /// …to this one, the next morning. The same time twice: no quiet hours.
    pub quiet_until: ClockTime,
}

impl Default for CalendarRules {
    fn default() -> Self {
        CalendarRules {
            holidays: Vec::new(),
            workdays: Vec::new(),
            quiet_from: ClockTime::hm(22, 0),
            quiet_until: ClockTime::hm(8, 0),
        }
    }
}

impl CalendarRules {
    /// Monday to Friday, less the holidays, plus the make-up working days.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&Day(day)) {
            return true;
        }
        if self.holidays.contains(&Day(day)) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The first working day on or after `day`, looking a year ahead; `day` itself if none
    /// comes within a year (only a rules file listing every weekday of a year as a holiday
    /// could make that so).
    pub fn working_day_from(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        for _ in 0..366 {
            if self.is_working_day(d) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        day
    }

    /// Whether a local time of day falls in the quiet hours.
    pub fn is_quiet(&self, time: NaiveTime) -> bool {
        let (from, until) = (self.quiet_from.0, self.quiet_until.0);
        match from.cmp(&until) {
            std::cmp::Ordering::Equal => false,
            // 22:00–08:00: across midnight.
            std::cmp::Ordering::Greater => time >= from || time < until,
            std::cmp::Ordering::Less => time >= from && time < until,
        }
    }
}

/// When the scheduler's jobs are due; a number of days of 0 turns that reminder off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleRules {
    /// The quarter's guidance goes out on its first working day at this time (§2(3)).
    pub guidance_at: ClockTime,
    /// The bulletin of the quarter just ended goes out on this day of the new quarter (§5(2)).
    pub bulletin_day: u32,
    pub bulletin_at: ClockTime,
    /// The time of day of every reminder.
    pub reminder_at: ClockTime,
    /// Days before the quarter's end: units short of the cap's worth of filings are reminded.
    pub quarter_reminder_days: u32,
    /// Days before the quarter's end: units with no filing at all are reminded again.
    pub quarter_second_reminder_days: u32,
    /// Day of the month units under their kind's monthly quota are reminded (the quota itself
    /// is `quota.monthly`, off by default).
    pub quota_reminder_day: u32,
    /// Days before a commission's deadline its unit is reminded.
    pub commission_reminder_days: Vec<u32>,
    /// Whether the unit and the office are told the morning after a commission went unanswered.
    pub commission_overdue: bool,
    /// Whether the office is told, after each half-year and year, that honoraria and the award
    /// proposal are ready.
    pub office_reports: bool,
}

impl Default for ScheduleRules {
    fn default() -> Self {
        ScheduleRules {
            guidance_at: ClockTime::hm(9, 0),
            bulletin_day: 5,
            bulletin_at: ClockTime::hm(9, 0),
            reminder_at: ClockTime::hm(9, 0),
            quarter_reminder_days: 15,
            quarter_second_reminder_days: 5,
            quota_reminder_day: 25,
            commission_reminder_days: vec![3, 1],
            commission_overdue: true,
            office_reports: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_holiday_is_no_working_day_and_a_make_up_saturday_is_one() {
        let calendar = CalendarRules {
            holidays: vec![Day(day(2026, 10, 1))],
            workdays: vec![Day(day(2026, 10, 10))],
            ..CalendarRules::default()
        };
        assert!(!calendar.is_working_day(day(2026, 10, 1)), "a Thursday off");
        assert!(
            calendar.is_working_day(day(2026, 10, 10)),
            "a Saturday worked"
        );
        assert!(
            !calendar.is_working_day(day(2026, 10, 11)),
            "a plain Sunday"
        );
        assert!(calendar.is_working_day(day(2026, 10, 2)), "a plain Friday");
        assert_eq!(
            calendar.working_day_from(day(2026, 10, 1)),
            day(2026, 10, 2)
        );
        assert_eq!(
            calendar.working_day_from(day(2026, 10, 3)),
            day(2026, 10, 5)
        );
    }

    #[test]
    fn quiet_hours_run_across_midnight_and_the_same_time_twice_means_none() {
        let calendar = CalendarRules::default();
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(calendar.is_quiet(at(22, 0)));
        assert!(calendar.is_quiet(at(3, 0)));
        assert!(calendar.is_quiet(at(7, 59)));
        assert!(!calendar.is_quiet(at(8, 0)));
        assert!(!calendar.is_quiet(at(21, 59)));
        let none = CalendarRules {
            quiet_from: ClockTime::hm(8, 0),
            ..CalendarRules::default()
        };
        assert!(!none.is_quiet(at(3, 0)));
        let daytime = CalendarRules {
            quiet_from: ClockTime::hm(12, 0),
            quiet_until: ClockTime::hm(14, 0),
            ..CalendarRules::default()
        };
        assert!(daytime.is_quiet(at(13, 0)) && !daytime.is_quiet(at(14, 0)));
    }
}
