//! Tests of reading days and moments.

use chrono::TimeZone;

use super::*;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    SHANGHAI
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn chinese_days_are_read_relative_to_the_given_today() {
    let today = day(2026, 4, 10);
    for (text, expected) in [
        ("12月1日", day(2026, 12, 1)),
        ("4月1号", day(2026, 4, 1)),
        ("2026年12月1日", day(2026, 12, 1)),
        ("2026.12.1", day(2026, 12, 1)),
        ("2026/12/1", day(2026, 12, 1)),
        ("２０２６－１２－０１", day(2026, 12, 1)),
        ("今天", today),
        ("昨天", day(2026, 4, 9)),
        ("前天", day(2026, 4, 8)),
        (" 2026-04-01 ", day(2026, 4, 1)),
    ] {
        assert_eq!(parse_date(text, today), Ok(expected), "{text}");
    }
}

#[test]
fn days_that_do_not_exist_are_not_dates() {
    let today = day(2026, 4, 10);
    for text in [
        "2026-02-30",
        "2026年13月1日",
        "2月30日",
        "yesterday",
        "12/1",
        "2026-4",
    ] {
        assert!(
            matches!(parse_date(text, today), Err(Problem::NotADate { .. })),
            "{text}"
        );
    }
}

#[test]
fn years_outside_the_window_are_refused_as_such() {
    let today = day(2026, 4, 10);
    for text in [
        "+10000-01-01",
        "-0001-03-01",
        "1999-12-31",
        "2101-01-01",
        "226-01-01",
    ] {
        assert!(
            matches!(parse_date(text, today), Err(Problem::YearOutOfRange { .. })),
            "{text}"
        );
        assert!(
            matches!(
                parse_instant(text, SHANGHAI),
                Err(Problem::YearOutOfRange { .. })
            ),
            "{text}"
        );
    }
    assert!(matches!(
        parse_instant("2101-01-01T00:00:00Z", SHANGHAI),
        Err(Problem::YearOutOfRange { .. })
    ));
    // Five digits of year with a time are no time the calendar library reads at all.
    assert!(parse_instant("+10000-01-01T00:00:00Z", SHANGHAI).is_err());
    assert_eq!(parse_date("2000-01-01", today), Ok(day(2000, 1, 1)));
    assert_eq!(parse_date("2100-12-31", today), Ok(day(2100, 12, 31)));
}

#[test]
fn the_leap_second_is_not_a_time() {
    for text in ["2026-06-30 23:59:60", "2016-12-31T23:59:60Z"] {
        assert!(
            matches!(parse_instant(text, SHANGHAI), Err(Problem::NotATime { .. })),
            "{text}"
        );
    }
    assert!(parse_instant("2026-06-30 23:59:59", SHANGHAI).is_ok());
}

#[test]
fn a_filing_time_more_than_a_day_ahead_is_refused() {
    let now = at(2026, 4, 10, 12, 0);
    assert!(not_ahead_of(at(2026, 4, 11, 11, 0), now, "x").is_ok());
    assert!(matches!(
        not_ahead_of(at(2026, 4, 11, 13, 0), now, "x"),
        Err(Problem::InFuture { .. })
    ));
}

#[test]
fn an_event_time_may_name_its_day_in_words() {
    let now = at(2026, 4, 10, 9, 0);
    assert_eq!(
        parse_event_time("昨天 21:05", now, SHANGHAI),
        Ok(at(2026, 4, 9, 21, 5))
    );
    assert_eq!(
        parse_event_time("今天8点30分", now, SHANGHAI),
        Ok(at(2026, 4, 10, 8, 30))
    );
    assert_eq!(
        parse_event_time("4月9日 21点05分", now, SHANGHAI),
        Ok(at(2026, 4, 9, 21, 5))
    );
    assert!(matches!(
        parse_event_time("今天", now, SHANGHAI),
        Err(Problem::NotAnEventTime { .. })
    ));
    assert!(matches!(
        parse_event_time("-0001-01-01 10:00", now, SHANGHAI),
        Err(Problem::YearOutOfRange { .. })
    ));
}

#[test]
fn an_event_time_on_a_day_to_come_is_in_the_future_not_unreadable() {
    let now = at(2026, 4, 10, 9, 0);
    for text in [
        "明天",
        "明天上午9点",
        "后天",
        "明晚8点",
        "明天 08:00",
        "大后天下午3点",
    ] {
        assert_eq!(
            parse_event_time(text, now, SHANGHAI),
            Err(Problem::InFuture {
                value: text.to_string()
            }),
            "{text}"
        );
    }
}

#[test]
fn an_event_time_that_cannot_be_read_says_so_in_an_officers_terms() {
    let now = at(2026, 4, 10, 9, 0);
    for text in ["2026-04-10", "25:00", "不知道", "2026-04-09 23:59:60"] {
        assert_eq!(
            parse_event_time(text, now, SHANGHAI),
            Err(Problem::NotAnEventTime {
                value: text.to_string()
            }),
            "{text}"
        );
    }
}
