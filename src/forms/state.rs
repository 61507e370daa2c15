//! Where a form is, as kept between steps: the state the engine advances and the view shows.
//! Kept apart from both so that neither imports the other's module for it.

use serde::{Deserialize, Serialize};

use super::field::FormKind;
use super::value::Values;

/// Where a form is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Asking a field in order; an answer goes on to the next unanswered field.
    Asking(String),
    /// Changing a field from the summary; an answer returns to the summary.
    Editing(String),
    /// A long text arriving in pieces: what came so far, taken once the officer finishes.
    Continuing {
        field: String,
        editing: bool,
        text: String,
    },
    /// Every field answered: the summary with confirm, edit and cancel.
    Summary,
    /// Confirmed and handed over to be stored: nothing more happens.
    Done,
    /// Cancelled: nothing was stored.
    Cancelled,
}

/// A conversation's form, kept between steps (as JSON) so that a restart resumes it; an open
/// one is a draft the officer can come back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormState {
    pub form: FormKind,
    /// Changes at every step; buttons carry it, so one pressed on an older message is stale.
    pub rev: u32,
    pub step: Step,
    pub values: Values,
    /// The fields filled in for the person when the form started (the issuing unit): never
    /// asked, so not counted in the progress, but said where they would have been asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<String>,
}
