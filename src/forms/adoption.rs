//! The office's adoption form: which item, adopted by which body, single or combined, and when.

use super::field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
use super::message::Message;
use super::value::{MissingValue, Values};
use crate::domain::{AdoptionForm, AdoptionLevel};
use crate::records::{ItemTarget, NewAdoption};

/// Most characters of an item's number or reference.
pub const ITEM_LIMIT: usize = 64;

/// The adoption form. The item is usually given when the form starts (from the item's own
/// button), so the form asks only the rest; typed, `12` or `#12` is the item numbered 12 and
/// anything else an office reference, which the store looks up.
pub fn adoption_form() -> FormDef {
    let levels = AdoptionLevel::ALL
        .iter()
        .map(|l| ChoiceOption {
            value: l.code().to_string(),
            label: Message::new(format!("adoption_level.{}", l.code())),
        })
        .collect();
    let forms = AdoptionForm::ALL
        .iter()
        .map(|f| ChoiceOption {
            value: f.code().to_string(),
            label: Message::new(format!("adoption_form.{}", f.code())),
        })
        .collect();
    FormDef {
        kind: FormKind::Adoption,
        each_answer_stored: false,
        fields: vec![
            FieldSpec::required("item", FieldKind::Text { max: ITEM_LIMIT }),
            FieldSpec::required(
                "level",
                FieldKind::Choice {
                    options: levels,
                    columns: 1,
                    typed: Some(|t| AdoptionLevel::parse(t).ok().map(|l| l.code().to_string())),
                },
            ),
            FieldSpec::required(
                "adoption_form",
                FieldKind::Choice {
                    options: forms,
                    columns: 2,
                    typed: Some(|t| AdoptionForm::parse(t).ok().map(|f| f.code().to_string())),
                },
            ),
            FieldSpec::required(
                "adopted_on",
                FieldKind::Date {
                    default_today: true,
                    allow_future: false,
                },
            ),
        ],
    }
}

/// Reads an item as the office types it: a number (with or without `#`) or a reference.
pub fn item_target(text: &str) -> ItemTarget {
    let t = text.trim();
    let number = t.strip_prefix(['#', '＃']).unwrap_or(t);
    match number.parse::<i64>() {
        Ok(n) if number.bytes().all(|b| b.is_ascii_digit()) => ItemTarget::Number(n),
        _ => ItemTarget::Reference(t.to_string()),
    }
}

/// A confirmed adoption, as the record to store.
pub fn new_adoption(values: &Values) -> Result<NewAdoption, MissingValue> {
    let bad = |field: &str| MissingValue(field.to_string());
    Ok(NewAdoption {
        item: item_target(&values.text("item")?),
        level: AdoptionLevel::parse(&values.choice("level")?).map_err(|_| bad("level"))?,
        form: AdoptionForm::parse(&values.choice("adoption_form")?)
            .map_err(|_| bad("adoption_form"))?,
        on: values.date("adopted_on")?,
    })
}
