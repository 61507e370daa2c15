//! Outbox messages as plain data: a message to queue, and a message the outbox gave up on.

use chrono::{DateTime, Utc};

/// A message to queue: its key (the same key twice is one message), chat, HTML text, and
/// optionally buttons (Bot API JSON), the message it edits, a document (file name and content).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewMessage {
    pub key: String,
    pub chat_id: i64,
    pub text: String,
    pub reply_markup: Option<String>,
    pub edit_message_id: Option<i64>,
    pub document: Option<(String, String)>,
    /// The key of the scheduler's job that queued it (a broadcast, a reminder), if any.
    pub batch: Option<String>,
    /// Whether it gives way to replies (scheduled messages do; replies and alerts do not).
    pub bulk: bool,
}

impl NewMessage {
    /// A plain message (HTML text, no buttons).
    pub fn text(key: impl Into<String>, chat_id: i64, text: impl Into<String>) -> NewMessage {
        NewMessage {
            key: key.into(),
            chat_id,
            text: text.into(),
            ..NewMessage::default()
        }
    }
}

/// A message given up on, with the person it was for when they are registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedMessage {
    pub id: i64,
    pub key: String,
    pub chat_id: i64,
    pub person_name: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// Whether the person blocked the bot: sending again would be refused again.
    pub unreachable: bool,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub failed_at: DateTime<Utc>,
    /// The broadcast it belongs to, if any.
    pub batch: Option<String>,
}
