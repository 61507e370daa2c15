//! The applier: one input's [`Outcome`] committed in one transaction — the dialogue's new
//! state, every reply and notice as an outbox row (escaped, split under the message limit, its
//! choices as the Bot API's keyboard), the guidance a newcomer is owed, the inbox items read,
//! and the update's handled mark. Either all of it is stored or none.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::conversation::{Choice, DialogueChange, Notice, Outcome};
use crate::i18n::escape_html;
use crate::i18n::split::{MESSAGE_LIMIT, split_message};
use crate::rules::Rules;
use crate::store::{self, NewMessage, Store, StoreError, UpdateOutcome};

/// Whose input the outcome is of.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The conversation's address: where replies go, what its form is kept under.
    pub chat: i64,
    /// The person who wrote, if registered.
    pub person: Option<i64>,
    /// What the input was made from (the replies' key).
    pub source: String,
    /// The intake's update, to mark handled with the rest.
    pub update_id: Option<i64>,
}

/// Commits the outcome; how many messages were queued now (a key queued before is not queued
/// again, so an input handled twice queues nothing twice).
pub async fn commit(
    store: &Store,
    rules: &Rules,
    origin: &Origin,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut rows = Vec::new();
    for said in &outcome.replies {
        let markup = keyboard(&said.choices);
        let parts = split_message(&escape_html(&said.text), MESSAGE_LIMIT);
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.into_iter().enumerate() {
            rows.push(NewMessage {
                // The text is part of the key: the same input handled again after a crash
                // says the same and queues nothing twice, while a button pressed again once
                // its form moved on gets its new answer.
                key: format!("r:{}:{}:{:016x}", origin.source, rows.len(), fnv(&part)),
                chat_id: origin.chat,
                text: part,
                reply_markup: if i == last { markup.clone() } else { None },
                ..NewMessage::default()
            });
        }
    }
    for notice in &outcome.notices {
        rows.extend(rows_of(notice));
    }
    if let Some(person) = outcome.owed_guidance {
        // Guidance goes to every registered person (RULES.md): one who joins after this
        // quarter's went out is owed it, under the broadcast's own key.
        rows.extend(crate::scheduler::guidance_for_newcomer(store, rules, person, now).await?);
    }
    let person = origin.person.unwrap_or(0);
    let update = UpdateOutcome {
        update_id: origin.update_id,
        dialogue: outcome.dialogue.map(|change| match change {
            DialogueChange::Save(state) => store::DialogueChange::Save {
                chat_id: origin.chat,
                person_id: person,
                state,
            },
            DialogueChange::Clear => store::DialogueChange::Clear {
                chat_id: origin.chat,
            },
        }),
        messages: rows,
        read: (!outcome.read.is_empty()).then_some((person, outcome.read)),
    };
    store.commit_update(&update, now).await
}

/// A notice as outbox rows: escaped, split under the limit (the parts after the first keyed
/// `key#2`, `key#3`…), its choices under the last part.
pub fn rows_of(notice: &Notice) -> Vec<NewMessage> {
    let parts = split_message(&escape_html(&notice.text), MESSAGE_LIMIT);
    let last = parts.len().saturating_sub(1);
    let markup = keyboard(&notice.choices);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| NewMessage {
            key: match i {
                0 => notice.key.clone(),
                n => format!("{}#{}", notice.key, n + 1),
            },
            chat_id: notice.to,
            text: part,
            reply_markup: if i == last { markup.clone() } else { None },
            ..NewMessage::default()
        })
        .collect()
}

/// FNV-1a of a text: short, stable across runs and builds.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Choices as the Bot API's inline keyboard (JSON), the form every channel reads them in.
fn keyboard(choices: &[Vec<Choice>]) -> Option<String> {
    if choices.is_empty() {
        return None;
    }
    let rows: Vec<Vec<serde_json::Value>> = choices
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| json!({ "text": c.label, "callback_data": c.data }))
                .collect()
        })
        .collect();
    Some(json!({ "inline_keyboard": rows }).to_string())
}

/// The choices of a stored message's keyboard, in rows (what a channel without buttons shows
/// as numbered lines); none for a message without.
pub fn choices_of(reply_markup: Option<&str>) -> Vec<Vec<Choice>> {
    let Some(value) = reply_markup.and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
    else {
        return Vec::new();
    };
    let rows = value["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .map(|row| {
            row.as_array()
                .map(|buttons| {
                    buttons
                        .iter()
                        .map(|b| Choice {
                            label: b["text"].as_str().unwrap_or_default().to_string(),
                            data: b["callback_data"].as_str().unwrap_or_default().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .filter(|row: &Vec<Choice>| !row.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_become_a_keyboard_and_come_back_as_they_were() {
        let choices = vec![
            vec![
                Choice {
                    label: "确认 <提交>".into(),
                    data: "f1:i:1:c".into(),
                },
                Choice {
                    label: "取消".into(),
                    data: "f1:i:1:x".into(),
                },
            ],
            vec![Choice {
                label: "English".into(),
                data: "l:en".into(),
            }],
        ];
        let markup = keyboard(&choices).expect("a keyboard");
        let value: serde_json::Value = serde_json::from_str(&markup).unwrap();
        assert_eq!(value["inline_keyboard"][0][1]["callback_data"], "f1:i:1:x");
        assert_eq!(choices_of(Some(&markup)), choices);
        assert_eq!(keyboard(&[]), None);
        assert!(choices_of(None).is_empty());
        assert!(choices_of(Some("not json")).is_empty());
    }
}
