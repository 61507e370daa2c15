//! Sign-off (签发) as plain data: an item awaiting its leader, what the leader decided, and the
//! outcome of a decision.

use chrono::{DateTime, Utc};

use super::filed::ChatFiling;
use crate::domain::{ItemId, UnitId};

/// An item awaiting (or past) its leader's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingItem {
    pub id: i64,
    pub unit_id: UnitId,
    /// The officer who confirmed it (people.id) and their chat.
    pub filed_by: i64,
    pub officer_name: String,
    pub chat_id: i64,
    /// The item as confirmed; its filing time is when it was confirmed.
    pub filing: ChatFiling,
    pub created_at: DateTime<Utc>,
    /// None while it awaits the leader.
    pub decision: Option<Decision>,
}

/// What the leader decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Filed as this item.
    Approved {
        item: ItemId,
    },
    Returned {
        remark: String,
    },
}

/// The outcome of a leader's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOff {
    /// Recorded now (the item filed, when approved).
    Decided(PendingItem),
    /// Decided before: nothing changed.
    AlreadyDecided(PendingItem),
    /// The person is not a leader in charge of the item's unit: nothing changed.
    NotAllowed,
}
