//! What one input's handling leaves, as channel-neutral values: things said with their choices,
//! notices for other people, the dialogue's change, and what else the shell applies. Plain data,
//! importing no other conversation file.

use crate::domain::ItemId;

/// A choice offered under a reply: a button in Telegram, a numbered line in the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// What choosing it sends back (at most 64 bytes, Telegram's limit).
    pub data: String,
}

/// Something said: plain text (the channel escapes it) with choices under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    pub text: String,
    pub choices: Vec<Vec<Choice>>,
}

/// A message for another person's conversation; `key` makes it once only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: String,
    /// The person's address (see [`crate::domain::Channel`]).
    pub to: i64,
    pub text: String,
    /// Choices under it (an urgent alert's acknowledge and follow-up).
    pub choices: Vec<Vec<Choice>>,
}

/// What becomes of the conversation's stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogueChange {
    /// Its new state (JSON).
    Save(String),
    /// No form any more.
    Clear,
}

/// Everything one input's handling leaves to commit at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Replies to this conversation, in order.
    pub replies: Vec<Said>,
    pub notices: Vec<Notice>,
    pub dialogue: Option<DialogueChange>,
    /// Inbox items this office member was shown, read once this commits.
    pub read: Vec<ItemId>,
    /// A person who just joined, owed the guidance that went out before.
    pub owed_guidance: Option<i64>,
    /// The person's menu of commands changed (they joined, or chose a language).
    pub menu_changed: bool,
    /// What the scheduler plans from changed (guidance, a commission).
    pub plans_changed: bool,
}
