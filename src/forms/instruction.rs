//! The office's instruction form (批示): which item, by which leaders, on what day, shown whole
//! to confirm before it is recorded, since an instruction moves the unit's points.

use super::adoption::item_target;
use super::field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
use super::message::Message;
use super::value::{MissingValue, Values};
use crate::domain::{InstructionLevel, Listing};
use crate::records::NewInstruction;

/// Most characters of an item's number as typed.
pub const ITEM_LIMIT: usize = 20;

/// The value that carries the earlier records the office was shown and confirmed anyway (ids,
/// comma-separated): not a field, so never asked nor shown in the summary.
pub const SECOND_OF: &str = "second_of";

/// The instruction form. `/instruct N LEVEL [DATE]` gives every answer (the date defaults to
/// today), so the office sees the summary at once and only confirms.
pub fn instruction_form() -> FormDef {
    let levels = InstructionLevel::ALL
        .iter()
        .map(|l| ChoiceOption {
            value: l.code().to_string(),
            label: Message::new(format!("instruction_level.{}", l.code())),
        })
        .collect();
    FormDef {
        kind: FormKind::Instruction,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required("instructed_item", FieldKind::Text { max: ITEM_LIMIT }),
            FieldSpec::required(
                "instruction_level",
                FieldKind::Choice {
                    options: levels,
                    columns: 1,
                    typed: Some(|t| {
                        InstructionLevel::read(t, Listing::Numbered)
                            .ok()
                            .map(|l| l.code().to_string())
                    }),
                },
            ),
            FieldSpec::required(
                "instructed_on",
                FieldKind::Date {
                    default_today: true,
                    allow_future: false,
                },
            ),
        ],
    }
}

/// A confirmed instruction, as the record to store.
pub fn new_instruction(values: &Values) -> Result<NewInstruction, MissingValue> {
    let bad = |field: &str| MissingValue(field.to_string());
    Ok(NewInstruction {
        item: item_target(&values.text("instructed_item")?),
        level: InstructionLevel::parse(&values.choice("instruction_level")?)
            .map_err(|_| bad("instruction_level"))?,
        on: values.date("instructed_on")?,
    })
}

/// The earlier records the office confirmed anyway.
pub fn seconds_of(values: &Values) -> Vec<i64> {
    values
        .text(SECOND_OF)
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::forms::{Ctx, Effect, Event, FormState, Input, Step, Value, step};
    use crate::records::ItemTarget;

    fn ctx() -> Ctx {
        let now = chrono::DateTime::parse_from_rfc3339("2026-05-06T02:00:00Z")
            .expect("a time")
            .to_utc();
        Ctx::new(now, chrono_tz::Asia::Shanghai)
    }

    fn given() -> Values {
        Values::new()
            .with("instructed_item", Value::Text("74".into()))
            .with(
                "instruction_level",
                Value::Choice("provincial_federation_or_city_leaders".into()),
            )
            .with("instructed_on", Value::Date(ctx().today()))
    }

    #[test]
    fn an_instruction_given_whole_waits_at_the_summary_and_only_the_button_records_it() {
        let def = instruction_form();
        let shown = FormState::start(&def, given(), &ctx());
        assert_eq!(shown.state.step, Step::Summary);
        assert_eq!(shown.effect, None);
        let typed = step(
            &def,
            shown.state.clone(),
            Event::Answer(Input::Text("确认".into())),
            &ctx(),
        );
        assert_eq!(typed.effect, None);
        let confirm = crate::forms::Callback {
            form: FormKind::Instruction,
            rev: shown.state.rev,
            action: crate::forms::Action::Confirm,
        };
        let done = step(&def, shown.state, Event::Button(confirm.clone()), &ctx());
        assert_eq!(done.effect, Some(Effect::Store(given())));
        let again = step(&def, done.state, Event::Button(confirm), &ctx());
        assert_eq!(again.effect, None, "a second press stores nothing");
    }

    #[test]
    fn a_confirmed_instruction_is_the_record_it_showed() {
        let instruction = new_instruction(&given()).expect("every answer");
        assert_eq!(instruction.item, ItemTarget::Number(74));
        assert_eq!(
            instruction.level,
            InstructionLevel::ProvincialFederationOrCityLeaders
        );
        assert_eq!(
            instruction.on,
            NaiveDate::from_ymd_opt(2026, 5, 6).expect("a day")
        );
        let second = given().with(SECOND_OF, Value::Text("3,5".into()));
        assert_eq!(seconds_of(&second), vec![3, 5]);
        assert!(seconds_of(&given()).is_empty());
    }
}
