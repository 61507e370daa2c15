//! The urgent report's forms (§2(2)): the description asked first, in one message, which is the
//! report; then the six facts §2(2)3 requires, of which only those the description did not give
//! are asked. A follow-up (续报) is a description and whether it is the final report.

use super::field::{FieldKind, FieldSpec, FormDef, FormKind};
use super::item::SCOPE_LIMIT;
use crate::rules::FilingRules;

/// The value under which the facts form keeps its event's number (not a question).
pub const EVENT: &str = "event";

fn long(limits: &FilingRules) -> FieldKind {
    FieldKind::LongText {
        soft: limits.body_soft_limit,
        hard: limits.body_hard_limit,
    }
}

/// The first question: what happened, in the officer's words. Its answer is stored at once.
pub fn describe_form(limits: &FilingRules) -> FormDef {
    FormDef {
        kind: FormKind::Urgent,
        each_answer_stored: false,
        fields: vec![FieldSpec::required("description", long(limits))],
    }
}

/// The six facts. A first report may answer briefly ("under investigation"); later facts come
/// as follow-ups. Each answer is stored as it is given (RULES.md), not at the summary.
pub fn facts_form(limits: &FilingRules) -> FormDef {
    FormDef {
        kind: FormKind::Urgent,
        each_answer_stored: true,
        fields: vec![
            FieldSpec::required("event_time", FieldKind::DateTime),
            FieldSpec::required("place", FieldKind::Text { max: SCOPE_LIMIT }),
            FieldSpec::required("people", FieldKind::People { max: SCOPE_LIMIT }),
            FieldSpec::required("cause", long(limits)),
            FieldSpec::required("measures", long(limits)),
            FieldSpec::required("status", long(limits)),
        ],
    }
}

/// A follow-up: what changed, and whether it is the final report (终报), which closes the event.
pub fn followup_form(limits: &FilingRules) -> FormDef {
    FormDef {
        kind: FormKind::Urgent,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required("followup", long(limits)),
            FieldSpec::required("final_report", FieldKind::YesNo),
        ],
    }
}
