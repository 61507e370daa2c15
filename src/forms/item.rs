//! The item form (/submit): category, the quarter's guidance topic and the office's commission
//! when there are any, title, body and the header fields of §3(3).
//!
//! The issuing unit defaults to the officer's unit (§3(3)): the shell starts the form with it
//! given, `Values::new().with("issuing_unit", Value::Text(unit name))`, so it is not asked but
//! shows in the summary, where it can be changed.

use chrono::{DateTime, NaiveDate, Utc};

use super::field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
use super::message::Message;
use super::value::{MissingValue, Values};
use crate::domain::{Category, RowId};
use crate::records::{HeaderFields, NewItem};
use crate::rules::FilingRules;

/// Most characters of the distribution scope.
pub const SCOPE_LIMIT: usize = 200;
/// Most characters of a unit's name.
pub const UNIT_LIMIT: usize = 100;
/// Most characters of a person's name (signer, responsible person).
pub const NAME_LIMIT: usize = 50;
/// Most printed copies.
pub const COPIES_LIMIT: u32 = 100_000;

/// One topic of the quarter's guidance (§2(3)) an item may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: RowId,
    pub title: String,
}

/// An item the office asked this unit to write (市总特约稿件), not yet answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commission {
    pub id: RowId,
    pub title: String,
}

/// The item form for a unit: the title and body keep to `limits`; the topic and commission
/// fields are there only when the quarter has topics and the unit open commissions, and may be
/// skipped (an item need answer neither).
pub fn item_form(limits: &FilingRules, topics: &[Topic], commissions: &[Commission]) -> FormDef {
    let categories = Category::all()
        .map(|c| ChoiceOption {
            value: c.number().to_string(),
            label: Message::new(c.prompt_key()),
        })
        .collect();
    let mut fields = vec![FieldSpec::required(
        "category",
        FieldKind::Choice {
            options: categories,
            columns: 1,
            typed: None,
        },
    )];
    if !topics.is_empty() {
        let options = topics
            .iter()
            .map(|t| ChoiceOption {
                value: t.id.to_string(),
                label: Message::new("form.topic_option").value("title", &t.title),
            })
            .collect();
        fields.push(FieldSpec::optional("topic", choice(options)));
    }
    if !commissions.is_empty() {
        let options = commissions
            .iter()
            .map(|c| ChoiceOption {
                value: c.id.to_string(),
                label: Message::new("form.commission_option").value("title", &c.title),
            })
            .collect();
        fields.push(FieldSpec::optional("commission", choice(options)));
    }
    let text = |max| FieldKind::Text { max };
    fields.extend([
        FieldSpec::required("title", text(limits.title_limit)),
        FieldSpec::required(
            "body",
            FieldKind::LongText {
                soft: limits.body_soft_limit,
                hard: limits.body_hard_limit,
            },
        ),
        FieldSpec::required("distribution_scope", text(SCOPE_LIMIT)),
        FieldSpec::required("issuing_unit", text(UNIT_LIMIT)),
        FieldSpec::required("signer", text(NAME_LIMIT)),
        FieldSpec::required("responsible_person", text(NAME_LIMIT)),
        FieldSpec::required(
            "dated",
            FieldKind::Date {
                default_today: true,
                allow_future: false,
            },
        ),
        FieldSpec::required("copies", FieldKind::PositiveInt { max: COPIES_LIMIT }),
    ]);
    FormDef {
        kind: FormKind::Item,
        each_answer_stored: false,
        fields,
    }
}

fn choice(options: Vec<ChoiceOption>) -> FieldKind {
    FieldKind::Choice {
        options,
        columns: 1,
        typed: None,
    }
}

/// A confirmed item form, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDraft {
    pub category: Category,
    pub topic: Option<RowId>,
    pub commission: Option<RowId>,
    pub title: String,
    pub body: String,
    pub distribution_scope: String,
    pub issuing_unit: String,
    pub signer: String,
    pub responsible_person: String,
    pub dated: NaiveDate,
    pub copies: u32,
}

impl ItemDraft {
    pub fn from_values(values: &Values) -> Result<ItemDraft, MissingValue> {
        let id = |field: &str| -> Result<Option<RowId>, MissingValue> {
            values
                .optional_choice(field)?
                .map(|v| v.parse().map_err(|_| MissingValue(field.to_string())))
                .transpose()
        };
        let category = values.choice("category")?;
        Ok(ItemDraft {
            category: Category::parse(&category).map_err(|_| MissingValue("category".into()))?,
            topic: id("topic")?,
            commission: id("commission")?,
            title: values.text("title")?,
            body: values.text("body")?,
            distribution_scope: values.text("distribution_scope")?,
            issuing_unit: values.text("issuing_unit")?,
            signer: values.text("signer")?,
            responsible_person: values.text("responsible_person")?,
            dated: values.date("dated")?,
            copies: values.int("copies")?,
        })
    }

    /// The record to store: the shell adds the unit, the filing time and the officer. The topic
    /// and commission are linked by the shell from [`ItemDraft::topic`] and
    /// [`ItemDraft::commission`].
    pub fn new_item(
        &self,
        unit_code: &str,
        filed_at: DateTime<Utc>,
        officer: Option<String>,
    ) -> NewItem {
        NewItem {
            reference: None,
            unit_code: unit_code.to_string(),
            filed_at,
            title: self.title.clone(),
            category: self.category,
            commissioned: self.commission.is_some(),
            officer,
            body: Some(self.body.clone()),
            header: HeaderFields {
                distribution_scope: Some(self.distribution_scope.clone()),
                issuing_unit: Some(self.issuing_unit.clone()),
                signer: Some(self.signer.clone()),
                responsible_person: Some(self.responsible_person.clone()),
                dated: Some(self.dated),
                copies: Some(self.copies),
            },
        }
    }
}
