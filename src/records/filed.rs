//! Items as they are read back, as plain data: an item filed in a chat, the summary people see
//! in the bot, and the full detail the office reads.

use chrono::{DateTime, NaiveDate, Utc};

use super::NewItem;
use crate::domain::{AdoptionForm, AdoptionLevel, Category, InstructionLevel, ItemId, RowId};

/// An item filed in a chat: the item, who filed it, what it answers, and the key of this
/// submission (the same key again is the same item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatFiling {
    /// Its unit is `item.unit_code`.
    pub item: NewItem,
    /// The filer (people.id).
    pub filed_by: i64,
    /// The guidance topic it answers.
    pub topic_id: Option<i64>,
    /// The commission it answers; it then counts as a commissioned item.
    pub commission_id: Option<i64>,
    pub submission_key: String,
}

/// An item as people see it in the bot: where it stands, with its adoptions and instructions
/// (retracted ones left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSummary {
    pub id: ItemId,
    pub unit_code: String,
    pub unit_name: String,
    pub title: String,
    pub filed_at: DateTime<Utc>,
    pub officer: Option<String>,
    pub filed_by_telegram: Option<i64>,
    /// The reason of the latest return, if the office returned it.
    pub returned: Option<String>,
    /// When the latest return was recorded.
    pub returned_at: Option<DateTime<Utc>>,
    pub adoptions: Vec<(AdoptionLevel, AdoptionForm, NaiveDate)>,
    pub instructions: Vec<(InstructionLevel, NaiveDate)>,
    pub retracted: bool,
}

/// An item as the office reads it: the header fields of §3(3), the filing, and every adoption
/// and instruction recorded for it, retracted ones marked (they stay visible).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDetail {
    pub id: ItemId,
    pub reference: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
    pub category: Category,
    pub title: String,
    pub body: Option<String>,
    pub distribution_scope: Option<String>,
    pub issuing_unit: Option<String>,
    pub signer: Option<String>,
    pub responsible_person: Option<String>,
    pub dated: Option<NaiveDate>,
    pub copies: Option<i64>,
    pub officer: Option<String>,
    pub commissioned: bool,
    pub filed_at: DateTime<Utc>,
    pub recorded_by: String,
    /// The reason of the latest return, if the office returned it.
    pub returned: Option<String>,
    /// The office's 不采用 (seen, not adopted), if it made one.
    pub declined: Option<Declined>,
    pub retracted: bool,
    pub adoptions: Vec<ItemAdoption>,
    pub instructions: Vec<ItemInstruction>,
}

/// The office's 不采用 of an item: who decided (their current name) and when. It moves no points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined {
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAdoption {
    pub id: RowId,
    pub level: AdoptionLevel,
    pub form: AdoptionForm,
    pub on: NaiveDate,
    pub retracted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInstruction {
    pub id: RowId,
    pub level: InstructionLevel,
    pub on: NaiveDate,
    pub retracted: bool,
}

/// What became of a 不采用 asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclineOutcome {
    /// Recorded now (`true`), or found recorded before (`false`): who and when.
    Declined(ItemSummary, Declined, bool),
    /// The item has a standing adoption: it was adopted, not declined.
    Adopted(ItemSummary),
}
