//! The office's commission form (约稿): which unit, by what day, on what subject, shown whole to
//! confirm before it is recorded and the unit's officers are told; a deadline already past is
//! refused.

use super::field::{FieldKind, FieldSpec, FormDef, FormKind};
use super::value::{MissingValue, Values};

/// Most characters of a unit's code as typed.
pub const UNIT_CODE_LIMIT: usize = 32;
/// Most characters of a commission's subject.
pub const SUBJECT_LIMIT: usize = 200;

/// A commission as confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommission {
    pub unit_code: String,
    pub due: chrono::NaiveDate,
    pub subject: String,
}

/// The commission form. `/commission UNIT DATE SUBJECT` gives every answer, so the office sees
/// the summary at once and only confirms.
pub fn commission_form() -> FormDef {
    FormDef {
        kind: FormKind::Commission,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required(
                "unit",
                FieldKind::Text {
                    max: UNIT_CODE_LIMIT,
                },
            ),
            FieldSpec::required("due_on", FieldKind::Deadline),
            FieldSpec::required("subject", FieldKind::Text { max: SUBJECT_LIMIT }),
        ],
    }
}

/// A confirmed commission, as the record to store.
pub fn new_commission(values: &Values) -> Result<NewCommission, MissingValue> {
    Ok(NewCommission {
        unit_code: values.text("unit")?.trim().to_string(),
        due: values.date("due_on")?,
        subject: values.text("subject")?.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Ctx, Event, FormState, Input, Step, Value, step};
    use crate::records::Problem;

    fn ctx() -> Ctx {
        let now = chrono::DateTime::parse_from_rfc3339("2026-05-06T02:00:00Z")
            .expect("a time")
            .to_utc();
        Ctx::new(now, chrono_tz::Asia::Shanghai)
    }

    #[test]
    fn a_deadline_gone_by_is_refused_with_today_and_today_is_taken() {
        let def = commission_form();
        let given = Values::new()
            .with("unit", Value::Text("D01".into()))
            .with("subject", Value::Text("职工冬季取暖补贴落实情况".into()));
        let asked = FormState::start(&def, given, &ctx());
        assert_eq!(asked.state.step, Step::Asking("due_on".into()));
        let refused = step(
            &def,
            asked.state,
            Event::Answer(Input::Text("昨天".into())),
            &ctx(),
        );
        assert_eq!(refused.state.step, Step::Asking("due_on".into()));
        let problem = Problem::DeadlinePassed {
            value: "2026-05-05".into(),
            today: "2026-05-06".into(),
        };
        assert!(format!("{:?}", refused.replies).contains(&format!("{problem:?}")));
        let taken = step(
            &def,
            refused.state,
            Event::Answer(Input::Text("今天".into())),
            &ctx(),
        );
        assert_eq!(taken.state.step, Step::Summary);
        let commission = new_commission(&taken.state.values).expect("every answer");
        assert_eq!(commission.due, ctx().today());
    }
}
