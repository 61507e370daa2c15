//! People in the bot and their invitations, as plain data: who a person is, an invitation just
//! created, and why a code was refused.

use chrono::{DateTime, Utc};

use crate::domain::{Role, UnitId};

/// A person registered in the bot, with the unit they belong to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub telegram_id: i64,
    pub name: String,
    /// None only for the office.
    pub unit_id: Option<UnitId>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub role: Role,
    /// The language the person chose (`zh-CN`, `en`); None: follow Telegram's.
    pub locale: Option<String>,
    /// Whether `name` is the person's real name (from the invitation, the person or the
    /// office) rather than the name Telegram gives.
    pub name_confirmed: bool,
    /// Whether the bot asked for the real name on joining and waits for the answer.
    pub name_asked: bool,
    /// Since when Telegram refuses to deliver to the person (they blocked the bot), if it does.
    pub unreachable_since: Option<DateTime<Utc>>,
    /// Since when the office has deactivated the person (they left): they keep their records
    /// and name, and the bot tells them only that they are no longer registered.
    pub left_at: Option<DateTime<Utc>>,
}

impl Person {
    /// Whether the person is still registered (not deactivated).
    pub fn active(&self) -> bool {
        self.left_at.is_none()
    }
}

/// An invitation not used yet, as the office lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvite {
    pub id: i64,
    pub code: String,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub role: Role,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An invitation just created: the code to hand over, what it gives, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub code: String,
    pub unit_code: Option<String>,
    pub role: Role,
    /// The real name of the person it is for, if given.
    pub name: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Why an invitation code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteRefusal {
    #[error("no invitation has this code")]
    Unknown,
    #[error("the invitation was used already")]
    Used,
    #[error("the invitation has expired")]
    Expired,
    #[error("the invitation was withdrawn")]
    Revoked,
}
