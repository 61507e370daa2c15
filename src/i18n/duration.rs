//! A span of time said in hours and minutes, as people say a delay or a limit: 8小时24分钟,
//! 1小时, 35分钟 (English 8 h 24 min, 1 h, 35 min), never a bare count of minutes. Pure; the
//! words are the locale files' (`duration.hours_minutes`, `duration.hours`, `duration.minutes`).

use super::{Locale, t};

/// `minutes` in hours and minutes: whole hours alone when there are no minutes over, minutes
/// alone under an hour. A span below zero (an event time a slow clock put just after the
/// report) is said as no time at all.
pub fn duration_text(locale: Locale, minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (hours, rest) = (minutes / 60, minutes % 60);
    let (hours, rest) = (hours.to_string(), rest.to_string());
    let args: [(&str, &str); 2] = [("hours", &hours), ("minutes", &rest)];
    let key = match (hours.as_str(), rest.as_str()) {
        ("0", _) => "duration.minutes",
        (_, "0") => "duration.hours",
        _ => "duration.hours_minutes",
    };
    t(locale, key, &args)
}

/// The reason a confirmed late flag's veto is recorded with (and shown with before it is):
/// the report's number, its delay and the limit it was judged by.
pub fn late_veto_reason(
    locale: Locale,
    event: i64,
    delay_minutes: i64,
    limit_minutes: i64,
) -> String {
    let delay = duration_text(locale, delay_minutes);
    let limit = duration_text(locale, limit_minutes);
    t(
        locale,
        "urgent.veto_reason",
        &[
            ("number", &event.to_string()),
            ("delay", &delay),
            ("limit", &limit),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_over_an_hour_is_said_in_hours_and_minutes() {
        assert_eq!(duration_text(Locale::ZhCn, 504), "8小时24分钟");
        assert_eq!(duration_text(Locale::En, 504), "8 h 24 min");
        assert_eq!(duration_text(Locale::ZhCn, 90), "1小时30分钟");
        assert_eq!(duration_text(Locale::En, 61), "1 h 1 min");
    }

    #[test]
    fn whole_hours_are_said_without_minutes() {
        assert_eq!(duration_text(Locale::ZhCn, 60), "1小时");
        assert_eq!(duration_text(Locale::En, 60), "1 h");
        assert_eq!(duration_text(Locale::ZhCn, 1440), "24小时");
    }

    #[test]
    fn a_span_under_an_hour_is_said_in_minutes() {
        assert_eq!(duration_text(Locale::ZhCn, 35), "35分钟");
        assert_eq!(duration_text(Locale::En, 35), "35 min");
        assert_eq!(duration_text(Locale::ZhCn, 0), "0分钟");
        assert_eq!(duration_text(Locale::En, 59), "59 min");
    }

    #[test]
    fn a_span_below_zero_is_no_time() {
        assert_eq!(duration_text(Locale::ZhCn, -3), "0分钟");
        assert_eq!(duration_text(Locale::En, -3), "0 min");
    }
}
