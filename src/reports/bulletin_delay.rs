//! How late an urgent report was, read from the reason of a `late` veto the office recorded by
//! hand, for the bulletin's criticism section. A veto made by confirming an urgent report's
//! late flag keeps its times and limit as data ([`crate::scoring::LateTimes`]), and the
//! bulletin says those; this reading is the fallback for a veto that has none.

/// How late a report was, read from a veto's reason when it says so: `95分钟`, `1小时35分钟`,
/// `2小时`, `95 minutes`, `1 h 35 min`. The reason itself is never printed (it may describe
/// the event), only this number.
pub fn delay_minutes(reason: &str) -> Option<u32> {
    let chars: Vec<char> = reason.chars().collect();
    let mut total: Option<u32> = None;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            // A figure already read ends at the first word that is not part of it.
            if total.is_some() && !chars[i].is_whitespace() && !"个，,和and".contains(chars[i]) {
                break;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let value: u32 = chars[start..i].iter().collect::<String>().parse().ok()?;
        let mut j = i;
        while j < chars.len() && (chars[j].is_whitespace() || chars[j] == '个') {
            j += 1;
        }
        let rest: String = chars[j..].iter().take(7).collect::<String>().to_lowercase();
        let hours = ["小时", "钟头", "hour", "hr"];
        let minutes = ["分钟", "min"];
        let minutes_per = if hours.iter().any(|h| rest.starts_with(h)) || word_is(&rest, "h") {
            60
        } else if minutes.iter().any(|m| rest.starts_with(m)) || word_is(&rest, "m") {
            1
        } else {
            if total.is_some() {
                break;
            }
            continue;
        };
        total = Some(
            total
                .unwrap_or(0)
                .saturating_add(value.saturating_mul(minutes_per)),
        );
        // Past the unit word, so that its letters do not end the figure.
        i = j;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
    }
    total
}

/// Whether `rest` starts with the single-letter unit `unit` standing alone (`2h`, not `2hands`).
fn word_is(rest: &str, unit: &str) -> bool {
    rest.strip_prefix(unit)
        .is_some_and(|after| after.chars().next().is_none_or(|c| !c.is_alphabetic()))
}
