//! The accepted answers of a form, by field name, as they are kept between steps.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One accepted answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    Int(u32),
    Bool(bool),
    /// The value of the chosen option.
    Choice(String),
}

/// The answers so far: a field answered with a value, a field skipped (optional fields only), or
/// a field not answered yet (absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Values(BTreeMap<String, Option<Value>>);

/// A typed result was asked of answers that lack a field or hold another type there; the
/// engine's confirmation rules this out, so this is a mistake of the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the form has no usable answer for the field {0}")]
pub struct MissingValue(pub String);

impl Values {
    pub fn new() -> Values {
        Values::default()
    }

    /// The answer to a field, or none when it is unanswered or was skipped.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.0.get(field).and_then(Option::as_ref)
    }

    /// Whether the field was answered or skipped.
    pub fn is_answered(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Records an answer; `None` records a skipped field.
    pub fn set(&mut self, field: &str, value: Option<Value>) {
        self.0.insert(field.to_string(), value);
    }

    /// Builder form of [`Values::set`], for prefilled forms and tests.
    pub fn with(mut self, field: &str, value: Value) -> Values {
        self.set(field, Some(value));
        self
    }

    /// The fields answered or skipped, by name.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn remove(&mut self, field: &str) {
        self.0.remove(field);
    }

    pub fn text(&self, field: &str) -> Result<String, MissingValue> {
        match self.get(field) {
            Some(Value::Text(t)) => Ok(t.clone()),
            _ => Err(missing(field)),
        }
    }

    pub fn date(&self, field: &str) -> Result<NaiveDate, MissingValue> {
        match self.get(field) {
            Some(Value::Date(d)) => Ok(*d),
            _ => Err(missing(field)),
        }
    }

    pub fn date_time(&self, field: &str) -> Result<DateTime<Utc>, MissingValue> {
        match self.get(field) {
            Some(Value::DateTime(t)) => Ok(*t),
            _ => Err(missing(field)),
        }
    }

    pub fn int(&self, field: &str) -> Result<u32, MissingValue> {
        match self.get(field) {
            Some(Value::Int(n)) => Ok(*n),
            _ => Err(missing(field)),
        }
    }

    pub fn bool(&self, field: &str) -> Result<bool, MissingValue> {
        match self.get(field) {
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(missing(field)),
        }
    }

    pub fn choice(&self, field: &str) -> Result<String, MissingValue> {
        self.optional_choice(field)?.ok_or_else(|| missing(field))
    }

    /// The chosen option of an optional field: none when skipped or absent.
    pub fn optional_choice(&self, field: &str) -> Result<Option<String>, MissingValue> {
        match self.get(field) {
            Some(Value::Choice(c)) => Ok(Some(c.clone())),
            None => Ok(None),
            Some(_) => Err(missing(field)),
        }
    }
}

fn missing(field: &str) -> MissingValue {
    MissingValue(field.to_string())
}
