//! Checks one answer against its field. The small `check_*` functions are the same checks the
//! CSV imports and the command line use, so a value means the same wherever it was typed.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::field::{ChoiceOption, FieldKind, FieldSpec};
use super::message::Message;
use super::value::Value;
use crate::period::{local_to_utc, parse_date, parse_instant};
use crate::records::Problem;

/// The time of a step, passed in: the engine reads no clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    /// The zone days and wall-clock times are read in.
    pub zone: Tz,
}

impl Ctx {
    pub fn new(now: DateTime<Utc>, zone: Tz) -> Ctx {
        Ctx { now, zone }
    }

    /// Today in the zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.zone).date_naive()
    }
}

/// An answer as it arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A typed message.
    Text(String),
    /// The value carried by a pressed option button (see [`super::Action::Choose`]).
    Button(String),
    /// A message without text: `photo`, `sticker`, `voice`, `document`…
    NonText(&'static str),
}

/// An answer taken, with a warning to show when it is taken only just (over a soft limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub value: Value,
    pub warning: Option<Message>,
}

/// How far ahead of the given time an event's time may be, for clocks a little apart.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// Checks an answer to a field.
pub fn validate(field: &FieldSpec, input: &Input, ctx: &Ctx) -> Result<Accepted, Problem> {
    let text = match input {
        Input::NonText(kind) => {
            return Err(Problem::NotText {
                kind: (*kind).to_string(),
            });
        }
        Input::Text(text) | Input::Button(text) => text.as_str(),
    };
    let mut warning = None;
    let value = match &field.kind {
        FieldKind::Text { max } => Value::Text(check_text(text, *max)?),
        FieldKind::LongText { soft, hard } => {
            let body = check_text(text, *hard)?;
            warning = soft_limit_warning(&body, *soft);
            Value::Text(body)
        }
        FieldKind::Choice { options, typed, .. } => Value::Choice(match input {
            // A button carries an option's value exactly; anything else is an option that is
            // gone (the form changed since the keyboard was sent).
            Input::Button(value) => options
                .iter()
                .find(|o| &o.value == value)
                .map(|o| o.value.clone())
                .ok_or_else(|| Problem::NotOneOf {
                    value: value.clone(),
                    expected: options
                        .iter()
                        .map(|o| o.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?,
            _ => check_choice(text, options, *typed)?,
        }),
        FieldKind::Date { allow_future, .. } => {
            let date = check_date(text)?;
            if !allow_future {
                check_not_future(date, ctx.today())?;
            }
            Value::Date(date)
        }
        FieldKind::DateTime => Value::DateTime(check_datetime(text, ctx.now, ctx.zone)?),
        FieldKind::PositiveInt { max } => Value::Int(check_positive_int(text, *max)?),
        FieldKind::YesNo => Value::Bool(check_yes_no(text)?),
    };
    Ok(Accepted { value, warning })
}

/// Full-width letters, digits and signs (as a Chinese input method types them) as ASCII, and
/// the ideographic space as a space.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// A text trimmed, refused when empty or longer than `max` characters (not bytes).
pub fn check_text(text: &str, max: usize) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong { limit: max });
    }
    Ok(text.to_string())
}

/// The warning for a text over the soft limit, which is taken all the same.
pub fn soft_limit_warning(text: &str, soft: usize) -> Option<Message> {
    let count = text.chars().count();
    (count > soft).then(|| {
        Message::new("form.over_soft_limit")
            .value("count", count)
            .value("limit", soft)
    })
}

/// A whole number from 1 to `max`; full-width digits are read too.
pub fn check_positive_int(text: &str, max: u32) -> Result<u32, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    t.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| t.parse::<u32>().ok())
        .flatten()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| Problem::NotANumber {
            value: text.trim().to_string(),
            min: 1,
            max: i64::from(max),
        })
}

/// A day written `2026-04-01`, `2026/4/1`, `2026.4.1` or `2026年4月1日`; a day that does not
/// exist (2026-02-30) is refused.
pub fn check_date(text: &str) -> Result<NaiveDate, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    loose_date(t).ok_or_else(|| Problem::NotADate {
        value: text.trim().to_string(),
    })
}

fn loose_date(t: &str) -> Option<NaiveDate> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
            .expect("a valid pattern")
    });
    parse_date(t).or_else(|| {
        let c = DATE.captures(t)?;
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    })
}

/// Refuses a day after today.
pub fn check_not_future(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Problem> {
    if date > today {
        return Err(Problem::InFuture {
            value: date.to_string(),
        });
    }
    Ok(date)
}

/// A moment that has happened: `2026-04-01 14:30` (wall-clock time in `zone`), with an offset,
/// or `14:30` alone: today's, or yesterday's when today's is more than 12 hours ahead (a late
/// evening event reported after midnight). A bare day is refused: an event's time needs the
/// hour.
pub fn check_datetime(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, Problem> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(.+?[日号])\s*|(.+?)\s+)?(\d{1,2})\s*[:点]\s*(\d{2})\s*分?$")
            .expect("a valid pattern")
    });
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let not_a_time = || Problem::NotATime {
        value: text.trim().to_string(),
    };
    let skew = Duration::minutes(CLOCK_SKEW_MINUTES);
    let at = if loose_date(t).is_some() {
        return Err(not_a_time());
    } else if let Some(at) = parse_instant(t, zone) {
        at
    } else {
        let c = TIME.captures(t).ok_or_else(not_a_time)?;
        let time = NaiveTime::from_hms_opt(
            c[3].parse().map_err(|_| not_a_time())?,
            c[4].parse().map_err(|_| not_a_time())?,
            0,
        )
        .ok_or_else(not_a_time)?;
        match c.get(1).or_else(|| c.get(2)) {
            Some(day) => local_to_utc(
                loose_date(day.as_str())
                    .ok_or_else(not_a_time)?
                    .and_time(time),
                zone,
            ),
            None => {
                let today = now.with_timezone(&zone).date_naive();
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
    if at > now + skew {
        return Err(Problem::InFuture {
            value: text.trim().to_string(),
        });
    }
    Ok(at)
}

/// An option typed by its number in the list (1 is the first), its value, or a word `typed`
/// reads as its value.
pub fn check_choice(
    text: &str,
    options: &[ChoiceOption],
    typed: Option<fn(&str) -> Option<String>>,
) -> Result<String, Problem> {
    let t = half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let by_number = t
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=options.len()).contains(n))
        .map(|n| options[n - 1].value.clone());
    let by_value = || {
        options
            .iter()
            .find(|o| o.value.eq_ignore_ascii_case(t))
            .map(|o| o.value.clone())
    };
    let by_word = || {
        let value = typed?(t)?;
        options.iter().any(|o| o.value == value).then_some(value)
    };
    by_number
        .or_else(by_value)
        .or_else(by_word)
        .ok_or_else(|| Problem::NotANumber {
            value: text.trim().to_string(),
            min: 1,
            max: options.len() as i64,
        })
}

/// Yes or no, in English or Chinese; an empty answer is refused (not read as no).
pub fn check_yes_no(text: &str) -> Result<bool, Problem> {
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
    use chrono::TimeZone;

    use super::*;
    use crate::domain::AdoptionLevel;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        SHANGHAI
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn text_is_trimmed_and_measured_in_characters() {
        assert_eq!(check_text("  工会  ", 2), Ok("工会".to_string()));
        assert_eq!(
            check_text("工会信息", 3),
            Err(Problem::TooLong { limit: 3 })
        );
        assert_eq!(check_text(" \n ", 3), Err(Problem::Empty));
    }

    #[test]
    fn numbers_are_whole_positive_and_within_the_limit() {
        assert_eq!(check_positive_int(" 12 ", 100), Ok(12));
        assert_eq!(check_positive_int("１２", 100), Ok(12));
        assert_eq!(check_positive_int("", 100), Err(Problem::Empty));
        for bad in ["0", "+1", "1e3", "101", "99999999999", "十二"] {
            assert!(
                matches!(
                    check_positive_int(bad, 100),
                    Err(Problem::NotANumber { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_are_read_as_chinese_offices_write_them() {
        let april_first = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        for text in [
            "2026-04-01",
            "2026/4/1",
            "2026.4.1",
            "2026年4月1日",
            "２０２６－０４－０１",
        ] {
            assert_eq!(check_date(text), Ok(april_first), "{text}");
        }
        for text in ["2026-02-30", "2026年13月1日", "4月1日", "yesterday"] {
            assert!(
                matches!(check_date(text), Err(Problem::NotADate { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn an_event_time_alone_is_today_or_last_night_just_after_midnight() {
        let now = at(2026, 4, 10, 0, 20);
        assert_eq!(
            check_datetime("00:05", now, SHANGHAI),
            Ok(at(2026, 4, 10, 0, 5))
        );
        // Just after midnight, 23:50 was yesterday evening.
        assert_eq!(
            check_datetime("23:50", now, SHANGHAI),
            Ok(at(2026, 4, 9, 23, 50))
        );
        assert_eq!(
            check_datetime("2026年4月9日 21点05分", now, SHANGHAI),
            Ok(at(2026, 4, 9, 21, 5))
        );
        assert_eq!(
            check_datetime("2026-04-09T13:00:00Z", now, SHANGHAI),
            Ok(at(2026, 4, 9, 21, 0))
        );
        assert!(matches!(
            check_datetime("2026-04-09", now, SHANGHAI),
            Err(Problem::NotATime { .. })
        ));
        assert!(matches!(
            check_datetime("25:00", now, SHANGHAI),
            Err(Problem::NotATime { .. })
        ));
        assert!(matches!(
            check_datetime("2026-04-10 09:00", now, SHANGHAI),
            Err(Problem::InFuture { .. })
        ));
        assert!(matches!(
            check_datetime("00:40", now, SHANGHAI),
            Err(Problem::InFuture { .. })
        ));
        // A few minutes ahead is a clock a little fast, not the future.
        assert!(check_datetime("2026-04-10 00:24", now, SHANGHAI).is_ok());
    }

    #[test]
    fn a_choice_is_typed_by_number_value_or_word() {
        let options: Vec<ChoiceOption> = AdoptionLevel::ALL
            .iter()
            .map(|l| ChoiceOption {
                value: l.code().to_string(),
                label: Message::new(format!("adoption_level.{}", l.code())),
            })
            .collect();
        let typed: fn(&str) -> Option<String> =
            |t| AdoptionLevel::parse(t).ok().map(|l| l.code().to_string());
        assert_eq!(
            check_choice("3", &options, None),
            Ok("municipal_committee".into())
        );
        assert_eq!(
            check_choice("Municipal_Committee", &options, None),
            Ok("municipal_committee".into())
        );
        assert_eq!(
            check_choice("市委", &options, Some(typed)),
            Ok("municipal_committee".into())
        );
        assert_eq!(
            check_choice("7", &options, Some(typed)),
            Err(Problem::NotANumber {
                value: "7".into(),
                min: 1,
                max: 6
            })
        );
    }

    #[test]
    fn yes_and_no_are_read_in_both_languages_and_empty_is_neither() {
        assert_eq!(check_yes_no("是"), Ok(true));
        assert_eq!(check_yes_no(" No "), Ok(false));
        assert_eq!(check_yes_no(""), Err(Problem::Empty));
        assert!(matches!(
            check_yes_no("maybe"),
            Err(Problem::NotYesNo { .. })
        ));
    }
}
