//! The office's guidance form (`/guidance_set`, 信息需求要点, §2(3)): the quarter, then the
//! topics one a message, then the whole list shown to confirm before it replaces the quarter's.

use super::field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
use super::message::{Arg, Message};
use super::value::{MissingValue, Values};
use crate::period::{Period, Quarter};

/// Most topics a quarter's guidance holds.
pub const MAX_TOPICS: usize = 30;

/// The quarter typed as the office writes it (`2026Q3`, `2026年第三季度`), as its code.
fn typed_quarter(text: &str) -> Option<String> {
    match text.trim().parse::<Period>() {
        Ok(Period::Quarter(q)) => Some(q.to_string()),
        _ => None,
    }
}

/// The form, offering this quarter and the next; `title_limit` is the rules' title length.
pub fn guidance_form(this: Quarter, title_limit: usize) -> FormDef {
    // The quarter named as the person reads it (2026年第二季度, 2026Q2), by its own prompt.
    let option = |q: Quarter, key: &str| ChoiceOption {
        value: q.to_string(),
        label: Message::new(key).with(
            "quarter",
            Arg::Message(
                Message::new(format!("period.quarter.{}", q.number)).value("year", q.year),
            ),
        ),
    };
    FormDef {
        kind: FormKind::Guidance,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required(
                "guidance_quarter",
                FieldKind::Choice {
                    options: vec![
                        option(this, "guidance.form.this_quarter"),
                        option(this.next(), "guidance.form.next_quarter"),
                    ],
                    columns: 1,
                    typed: Some(typed_quarter),
                },
            ),
            FieldSpec::required(
                "guidance_topics",
                FieldKind::Lines {
                    max_each: title_limit,
                    max_lines: MAX_TOPICS,
                },
            ),
        ],
    }
}

/// A confirmed form: the quarter and its topics in order.
pub fn guidance_of(values: &Values) -> Result<(Quarter, Vec<String>), MissingValue> {
    let quarter = match values.choice("guidance_quarter")?.parse::<Period>() {
        Ok(Period::Quarter(q)) => q,
        _ => return Err(MissingValue("guidance_quarter".to_string())),
    };
    let topics = values
        .text("guidance_topics")?
        .lines()
        .map(str::to_string)
        .collect();
    Ok((quarter, topics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Ctx, Effect, Event, FormState, Input, step};

    fn ctx() -> Ctx {
        let now = chrono::DateTime::parse_from_rfc3339("2026-06-20T02:00:00Z")
            .expect("a time")
            .to_utc();
        Ctx::new(now, chrono_tz::Asia::Shanghai)
    }

    fn say(def: &FormDef, state: FormState, text: &str) -> FormState {
        step(def, state, Event::Answer(Input::Text(text.into())), &ctx()).state
    }

    #[test]
    fn topics_come_one_a_message_until_done_and_are_stored_in_order_once_confirmed() {
        let def = guidance_form(Quarter::new(2026, 2).unwrap(), 200);
        let state = FormState::start(&def, Values::new(), &ctx()).state;
        let state = say(&def, state, "2026年第三季度");
        let state = say(&def, state, "职工思想动态");
        let state = say(&def, state, "高温津贴落实情况\n\n安全生产");
        let state = step(&def, state, Event::Finish, &ctx()).state;
        let done = step(&def, state, Event::Confirm, &ctx());
        let Some(Effect::Store(values)) = done.effect else {
            panic!("confirmed: {:?}", done.state.step);
        };
        let (quarter, topics) = guidance_of(&values).unwrap();
        assert_eq!(quarter, Quarter::new(2026, 3).unwrap());
        assert_eq!(topics, ["职工思想动态", "高温津贴落实情况", "安全生产"]);
    }

    #[test]
    fn a_topic_over_the_title_limit_is_refused_and_the_list_kept() {
        let def = guidance_form(Quarter::new(2026, 2).unwrap(), 10);
        let state = FormState::start(&def, Values::new(), &ctx()).state;
        let state = say(&def, state, "2026Q2");
        let state = say(&def, state, "职工思想动态");
        let state = say(&def, state, &"长".repeat(11));
        let state = step(&def, state, Event::Finish, &ctx()).state;
        let done = step(&def, state, Event::Confirm, &ctx());
        let Some(Effect::Store(values)) = done.effect else {
            panic!("confirmed: {:?}", done.state.step);
        };
        assert_eq!(guidance_of(&values).unwrap().1, ["职工思想动态"]);
    }
}
