//! The office's veto form (否决): which unit, which breach, on what day and why, shown whole to
//! confirm before it is recorded, since a veto costs the unit its year's awards (§5(1)9).

use super::field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
use super::message::Message;
use super::value::{MissingValue, Values};
use crate::domain::VetoKind;
use crate::records::NewVeto;

/// Most characters of a unit's code as typed.
pub const UNIT_CODE_LIMIT: usize = 32;
/// Most characters of a veto's reason.
pub const REASON_LIMIT: usize = 500;

/// The veto form. `/veto UNIT KIND REASON` gives every answer (the date defaults to today), so
/// the office sees the summary at once and only confirms.
pub fn veto_form() -> FormDef {
    let kinds = VetoKind::ALL
        .iter()
        .map(|k| ChoiceOption {
            value: k.code().to_string(),
            label: Message::new(format!("veto_kind.{}", k.code())),
        })
        .collect();
    FormDef {
        kind: FormKind::Veto,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required(
                "unit",
                FieldKind::Text {
                    max: UNIT_CODE_LIMIT,
                },
            ),
            FieldSpec::required(
                "veto_kind",
                FieldKind::Choice {
                    options: kinds,
                    columns: 1,
                    typed: Some(|t| VetoKind::parse(t).ok().map(|k| k.code().to_string())),
                },
            ),
            FieldSpec::required(
                "vetoed_on",
                FieldKind::Date {
                    default_today: true,
                    allow_future: false,
                },
            ),
            FieldSpec::required("reason", FieldKind::Text { max: REASON_LIMIT }),
        ],
    }
}

/// A confirmed veto, as the record to store.
pub fn new_veto(values: &Values) -> Result<NewVeto, MissingValue> {
    Ok(NewVeto {
        unit_code: values.text("unit")?.trim().to_string(),
        kind: VetoKind::parse(&values.choice("veto_kind")?)
            .map_err(|_| MissingValue("veto_kind".to_string()))?,
        on: values.date("vetoed_on")?,
        reason: values.text("reason")?.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::forms::{Ctx, Effect, Event, FormState, Step, Value, step};

    fn ctx() -> Ctx {
        let now = chrono::DateTime::parse_from_rfc3339("2026-05-06T02:00:00Z")
            .expect("a time")
            .to_utc();
        Ctx::new(now, chrono_tz::Asia::Shanghai)
    }

    fn given() -> Values {
        Values::new()
            .with("unit", Value::Text("D01".into()))
            .with("veto_kind", Value::Choice("late".into()))
            .with("vetoed_on", Value::Date(ctx().today()))
            .with("reason", Value::Text("紧急信息迟报".into()))
    }

    #[test]
    fn a_veto_given_whole_waits_at_the_summary_and_stores_nothing_before_confirmation() {
        let def = veto_form();
        let outcome = FormState::start(&def, given(), &ctx());
        assert_eq!(outcome.state.step, Step::Summary);
        assert_eq!(outcome.effect, None);
        let typed = step(
            &def,
            outcome.state,
            Event::Answer(crate::forms::Input::Text("确认".into())),
            &ctx(),
        );
        assert_eq!(typed.effect, None, "only the confirm button records a veto");
    }

    #[test]
    fn a_confirmed_veto_is_the_record_it_showed() {
        let veto = new_veto(&given()).expect("every answer");
        assert_eq!(veto.unit_code, "D01");
        assert_eq!(veto.kind, VetoKind::Late);
        assert_eq!(veto.on, NaiveDate::from_ymd_opt(2026, 5, 6).expect("a day"));
        assert_eq!(veto.reason, "紧急信息迟报");
    }

    #[test]
    fn the_confirm_button_hands_over_the_veto_to_store() {
        let def = veto_form();
        let shown = FormState::start(&def, given(), &ctx()).state;
        let confirm = crate::forms::Callback {
            form: FormKind::Veto,
            rev: shown.rev,
            action: crate::forms::Action::Confirm,
        };
        let outcome = step(&def, shown, Event::Button(confirm), &ctx());
        assert_eq!(outcome.effect, Some(Effect::Store(given())));
    }
}
