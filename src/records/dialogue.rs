//! What becomes of a chat's stored dialogue when an update's handling ends, as plain data.

/// What happens to a chat's stored dialogue when an update's handling ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogueChange {
    /// The new state (JSON) of the chat's form, as `person` left it.
    Save {
        chat_id: i64,
        person_id: i64,
        state: String,
    },
    /// The chat has no form any more.
    Clear { chat_id: i64 },
}
