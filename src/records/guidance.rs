//! The quarter's guidance (信息需求要点) and a unit's open commissions as plain data: what an
//! item may answer, and what setting the guidance did.

use chrono::NaiveDate;

/// One topic of a quarter's guidance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub title: String,
    /// Items answering it, not retracted.
    pub items: i64,
}

/// A commission (市总特约稿件) the unit has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCommission {
    pub id: i64,
    pub subject: String,
    pub due_on: NaiveDate,
}

impl From<Topic> for crate::forms::item::Topic {
    fn from(topic: Topic) -> Self {
        crate::forms::item::Topic {
            id: topic.id,
            title: topic.title,
        }
    }
}

impl From<OpenCommission> for crate::forms::item::Commission {
    fn from(commission: OpenCommission) -> Self {
        crate::forms::item::Commission {
            id: commission.id,
            title: commission.subject,
        }
    }
}

/// What setting a quarter's guidance did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuidanceSet {
    /// The list was the one in force already: nothing changed, nothing will be sent.
    Unchanged,
    /// A new revision: the topics added and withdrawn against the one before.
    Revised {
        revision: i64,
        added: usize,
        withdrawn: usize,
    },
}
