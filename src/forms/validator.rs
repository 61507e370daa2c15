//! Checks one answer against its field. Each `check_*` function is a thin name for the one
//! parser in [`crate::domain`] that the CSV importers and the commands call too, so a text is
//! accepted or refused the same way wherever it was typed (`tests/one_validator.rs` proves it
//! on one table). What the chat alone has, it has for a reason given where it is: a day is
//! read against today (`昨天`), and a number picks an option from the numbered list shown.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::field::{ChoiceOption, FieldKind, FieldSpec};
use super::message::Message;
use super::value::Value;
use crate::domain;
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
        FieldKind::Lines {
            max_each,
            max_lines,
        } => Value::Text(check_lines(text, *max_each, *max_lines)?),
        FieldKind::LongText { soft, hard } => {
            let body = domain::check_body(text, *hard)?;
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
            let date = check_date(text, ctx.today())?;
            if !allow_future {
                check_not_future(date, ctx.today())?;
            }
            Value::Date(date)
        }
        FieldKind::Deadline => {
            Value::Date(check_deadline(check_date(text, ctx.today())?, ctx.today())?)
        }
        FieldKind::DateTime => Value::DateTime(check_datetime(text, ctx.now, ctx.zone)?),
        FieldKind::People { max } => Value::Text(check_people(text, *max)?),
        FieldKind::PositiveInt { max } => Value::Int(check_positive_int(text, *max)?),
        FieldKind::YesNo => Value::Bool(check_yes_no(text)?),
    };
    Ok(Accepted { value, warning })
}

/// A text trimmed, refused when empty, holding a control character or a line break, or longer
/// than `max` characters (not bytes).
pub fn check_text(text: &str, max: usize) -> Result<String, Problem> {
    domain::check_line(text, max)
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

/// A whole number from 1 to `max`: `30`, `３０`, `30份`, `三十`.
pub fn check_positive_int(text: &str, max: u32) -> Result<u32, Problem> {
    domain::parse_count(text, max)
}

/// A day written `2026-04-01`, `2026/4/1`, `2026.4.1`, `2026年4月1日`, `4月1日`, `今天`,
/// `昨天`; a day that does not exist (2026-02-30) or outside the years kept is refused. A chat
/// answer is typed now, so a day without its year or a word such as `昨天` is read against
/// today; a CSV cell has no today ([`domain::parse_day`] with none).
pub fn check_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    domain::parse_day(text, Some(today))
}

/// Refuses a day after today.
/// A deadline: today or later; a day gone by is refused, with today's date.
pub fn check_deadline(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Problem> {
    if date < today {
        return Err(Problem::DeadlinePassed {
            value: date.to_string(),
            today: today.to_string(),
        });
    }
    Ok(date)
}

pub fn check_not_future(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Problem> {
    domain::date::not_after(date, today)
}

/// A moment that has happened, written as officers write it under pressure: every form
/// [`domain::parse_event_time`] reads first (so an explicit one, `2026-04-09T13:00:00Z`, is
/// read exactly), then the spoken forms the urgent report's reader knows (`今天上午9点30分`,
/// `下午两点半`, `昨晚8点`, `半小时前`). A moment later than now (`今晚7点` in the afternoon,
/// `明天上午9点`) is refused as in the future; `刚才` or anything else as no time, with
/// examples, never guessed.
pub fn check_datetime(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, Problem> {
    let written = domain::parse_event_time(text, now, zone);
    if written.is_ok() {
        return written;
    }
    match super::extract::spoken_time(text, now, zone) {
        Some(Ok(at)) => Ok(at),
        Some(Err(future @ Problem::InFuture { .. })) => Err(future),
        _ => written,
    }
}

/// The count read from an answer about the people involved: what the urgent report's reader
/// finds (`约200人`: about 200), else a bare number (exact).
pub fn people_of(text: &str) -> Option<super::extract::People> {
    // The count needs no clock: the instant only serves the time fact, which is not used.
    let counted = super::extract::extract(text, DateTime::UNIX_EPOCH, chrono_tz::Asia::Shanghai);
    if let Some(fact) = counted.people {
        return Some(fact.value);
    }
    domain::parse_count(text, u32::MAX)
        .ok()
        .map(|count| super::extract::People {
            count,
            upper: None,
            qualifier: super::extract::Qualifier::Exact,
        })
}

/// How many people, in the officer's words: a count the urgent report's reader finds
/// (`约200人`), or a bare number; kept as typed. A count below zero (`-5人`) is refused as
/// such.
pub fn check_people(text: &str, max: usize) -> Result<String, Problem> {
    let text = check_text(text, max)?;
    if people_of(&text).is_some() {
        return Ok(text);
    }
    if super::extract::negative_count(&text) {
        return Err(Problem::NegativeCount { value: text });
    }
    Err(Problem::NoCount { value: text })
}

/// An option typed by its number in the list (1 is the first), its value, or a word `typed`
/// reads as its value. The number is chat's own: the options are shown numbered here
/// ([`domain::Listing::Numbered`]), where a file shows none; it is read as every whole number
/// is ([`domain::list_position`]).
pub fn check_choice(
    text: &str,
    options: &[ChoiceOption],
    typed: Option<fn(&str) -> Option<String>>,
) -> Result<String, Problem> {
    let t = domain::half_width(text);
    let t = t.trim();
    if t.is_empty() {
        return Err(Problem::Empty);
    }
    let by_number = domain::list_position(t, options.len()).map(|i| options[i].value.clone());
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
    domain::parse_yes_no(text)
}

/// The lines of a list answer: each checked as a line of text, blank ones dropped, at most
/// `max_lines` of them. (Several lines in one message are several entries.)
pub fn check_lines(text: &str, max_each: usize, max_lines: usize) -> Result<String, Problem> {
    let mut lines = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines.push(check_text(line, max_each)?);
    }
    if lines.is_empty() {
        return Err(Problem::Empty);
    }
    if lines.len() > max_lines {
        return Err(Problem::TooMany { limit: max_lines });
    }
    Ok(lines.join("\n"))
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
        assert_eq!(check_positive_int("十二", 100), Ok(12));
        for bad in ["0", "+1", "-1", "1e3", "101", "99999999999", "一百零一"] {
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
            assert_eq!(check_date(text, april_first), Ok(april_first), "{text}");
        }
        for text in ["2026-02-30", "2026年13月1日", "4月31日", "yesterday"] {
            assert!(
                matches!(check_date(text, april_first), Err(Problem::NotADate { .. })),
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
            Err(Problem::NotAnEventTime { .. })
        ));
        assert!(matches!(
            check_datetime("25:00", now, SHANGHAI),
            Err(Problem::NotAnEventTime { .. })
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
    fn an_event_time_is_taken_as_a_grassroots_officer_writes_it() {
        let now = at(2026, 4, 10, 15, 0);
        for (text, want) in [
            ("14:30", at(2026, 4, 10, 14, 30)),
            ("今天上午9点30分", at(2026, 4, 10, 9, 30)),
            ("今天上午９点３０分", at(2026, 4, 10, 9, 30)),
            ("昨晚8点", at(2026, 4, 9, 20, 0)),
            ("下午两点半", at(2026, 4, 10, 14, 30)),
            ("上午十点多", at(2026, 4, 10, 10, 0)),
            ("4月9日14时许", at(2026, 4, 9, 14, 0)),
            ("半小时前", at(2026, 4, 10, 14, 30)),
        ] {
            assert_eq!(check_datetime(text, now, SHANGHAI), Ok(want), "{text}");
        }
    }

    #[test]
    fn tomorrow_or_a_later_hour_today_is_refused_as_the_future_not_as_no_time() {
        let now = at(2026, 4, 10, 15, 0);
        // `明天上午9点` was once read as today's 9 o'clock, its day word dropped.
        for text in [
            "明天",
            "明天上午9点",
            "后天",
            "明晚8点",
            "今晚7点",
            "下午5点",
        ] {
            assert_eq!(
                check_datetime(text, now, SHANGHAI),
                Err(Problem::InFuture {
                    value: text.to_string()
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn an_event_time_that_cannot_be_read_is_refused_with_the_officers_forms() {
        let now = at(2026, 4, 10, 15, 0);
        for text in ["刚才", "不清楚", "2026-04-10", "一点小事"] {
            let refused = check_datetime(text, now, SHANGHAI).unwrap_err();
            assert_eq!(
                refused,
                Problem::NotAnEventTime {
                    value: text.to_string()
                },
                "{text}"
            );
            assert_eq!(refused.prompt_key(), "problem.not_an_event_time");
        }
    }

    #[test]
    fn a_count_below_zero_is_refused_as_such_and_never_read_as_people() {
        for text in ["-5人", "负5人", "－5人", "负五人", "-5"] {
            assert_eq!(
                check_people(text, 100),
                Err(Problem::NegativeCount {
                    value: text.to_string()
                }),
                "{text}"
            );
            assert_eq!(people_of(text), None, "{text}");
        }
        assert_eq!(check_people("约200人", 100), Ok("约200人".to_string()));
        assert_eq!(check_people("30-40人", 100), Ok("30-40人".to_string()));
        assert_eq!(check_people("负责人3名", 100), Ok("负责人3名".to_string()));
        assert_eq!(
            check_people("不清楚", 100),
            Err(Problem::NoCount {
                value: "不清楚".to_string()
            })
        );
    }

    #[test]
    fn a_control_character_or_direction_mark_is_refused_in_text_long_text_and_people() {
        let ctx = Ctx::new(at(2026, 4, 10, 15, 0), SHANGHAI);
        let fields = [
            FieldSpec::required("place", FieldKind::Text { max: 100 }),
            FieldSpec::required(
                "body",
                FieldKind::LongText {
                    soft: 1_500,
                    hard: 10_000,
                },
            ),
            FieldSpec::required("people", FieldKind::People { max: 100 }),
        ];
        for field in &fields {
            for text in [
                "约200人\u{202e}",
                "约\u{2066}200人\u{2069}",
                "\u{200f}约200人",
                "约200人\u{61c}",
                "约200人\u{1b}[31m",
                "约200\u{85}人",
            ] {
                assert_eq!(
                    validate(field, &Input::Text(text.to_string()), &ctx),
                    Err(Problem::ControlCharacter),
                    "{} {text:?}",
                    field.name
                );
            }
            assert!(validate(field, &Input::Text("约200人".to_string()), &ctx).is_ok());
        }
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
            check_choice("３", &options, None),
            Ok("municipal_committee".into())
        );
        // Rust's own number parsing takes a sign; a place in a list has none.
        assert!(check_choice("+3", &options, Some(typed)).is_err());
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
