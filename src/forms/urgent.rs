//! The urgent report form (§2(2)): a headline and the six facts §2(2)3 requires.

use chrono::{DateTime, Utc};

use super::field::{FieldKind, FieldSpec, FormDef, FormKind};
use super::item::SCOPE_LIMIT;
use super::value::{MissingValue, Values};
use crate::rules::FilingRules;

/// Most people involved an officer can give.
pub const PEOPLE_LIMIT: u32 = 1_000_000;

/// The urgent report form. Every fact is required; a first report may answer briefly ("under
/// investigation") and later facts come as follow-ups. The long answers keep to the body's
/// limits.
pub fn urgent_form(limits: &FilingRules) -> FormDef {
    let long = || FieldKind::LongText {
        soft: limits.body_soft_limit,
        hard: limits.body_hard_limit,
    };
    FormDef {
        kind: FormKind::Urgent,
        fields: vec![
            FieldSpec::required(
                "title",
                FieldKind::Text {
                    max: limits.title_limit,
                },
            ),
            FieldSpec::required("event_time", FieldKind::DateTime),
            FieldSpec::required("place", FieldKind::Text { max: SCOPE_LIMIT }),
            FieldSpec::required("people", FieldKind::PositiveInt { max: PEOPLE_LIMIT }),
            FieldSpec::required("cause", long()),
            FieldSpec::required("measures", long()),
            FieldSpec::required("status", long()),
        ],
    }
}

/// A confirmed urgent report, typed; the shell adds the unit and the time it is stored, from
/// which lateness is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentDraft {
    pub title: String,
    pub event_time: DateTime<Utc>,
    pub place: String,
    pub people: u32,
    pub cause: String,
    pub measures: String,
    pub status: String,
}

impl UrgentDraft {
    pub fn from_values(values: &Values) -> Result<UrgentDraft, MissingValue> {
        Ok(UrgentDraft {
            title: values.text("title")?,
            event_time: values.date_time("event_time")?,
            place: values.text("place")?,
            people: values.int("people")?,
            cause: values.text("cause")?,
            measures: values.text("measures")?,
            status: values.text("status")?,
        })
    }
}
