//! Filing an item (`/submit`): the item form of the form engine, stored only on confirmation,
//! then where the unit stands this quarter. Where the rules ask for sign-off, the confirmed
//! item goes to the unit's leaders first (`sign_off`).

use super::dialogue::{self, Confirmed};
use super::standing::quarter_standing;
use super::turn::Turn;
use super::{DeskError, Handled, sign_off};
use crate::forms::item::{Commission, ItemDraft, Topic, item_form};
use crate::forms::{Event, FormDef, FormKind, Value, Values};
use crate::records::ChatFiling;

/// The item form for the person's unit as it is now: this quarter's guidance topics and the
/// unit's open commissions. None (and the person told) when the person has no unit.
pub async fn definition(turn: &Turn) -> Result<Option<FormDef>, DeskError> {
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        turn.say_key("bot.no_unit", &[]);
        return Ok(None);
    };
    let topics: Vec<Topic> = turn
        .desk
        .guidance(turn.quarter())
        .await?
        .into_iter()
        .map(|t| Topic {
            id: t.id,
            title: t.title,
        })
        .collect();
    let commissions: Vec<Commission> = turn
        .desk
        .open_commissions(unit)
        .await?
        .into_iter()
        .map(|c| Commission {
            id: c.id,
            title: c.subject,
        })
        .collect();
    Ok(Some(item_form(&turn.rules.filing, &topics, &commissions)))
}

/// `/submit` (or its button): a new item form, or the draft already open.
pub async fn start(turn: &Turn) -> Handled {
    if let Some(draft) = dialogue::open(turn).await? {
        if draft.form != FormKind::Item {
            return dialogue::open_first(turn);
        }
        if let Some(def) = definition(turn).await? {
            // Taking a draft up again asks its question again; it never confirms anything.
            dialogue::step_form(turn, &def, draft, Event::Resume, &[]);
        }
        return Ok(());
    }
    let Some(def) = definition(turn).await? else {
        return Ok(());
    };
    let unit_name = turn
        .person
        .as_ref()
        .and_then(|p| p.unit_name.clone())
        .unwrap_or_default();
    // The issuing unit is the officer's unit (§3(3)): given, shown in the summary, changeable.
    let values = Values::new().with("issuing_unit", Value::Text(unit_name));
    dialogue::start(turn, &def, values, &[turn.t("bot.submit.intro", &[])]);
    Ok(())
}

/// A confirmed item: stored keyed by the conversation and the revision confirmed, so a
/// confirmation handled twice stores nothing twice.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, rev } = confirmed;
    let (Some(person), Some(unit_code)) = (
        turn.person.as_ref(),
        turn.person.as_ref().and_then(|p| p.unit_code.clone()),
    ) else {
        turn.say_key("bot.no_unit", &[]);
        return Ok(());
    };
    let draft = match ItemDraft::from_values(&values) {
        Ok(draft) => draft,
        Err(e) => return dialogue::unreadable(turn, "item", &e),
    };
    let filing = ChatFiling {
        item: draft.new_item(&unit_code, turn.now, Some(person.name.clone())),
        filed_by: person.id,
        topic_id: draft.topic,
        commission_id: draft.commission,
        submission_key: submission_key(turn.chat, rev, &values),
    };
    if turn.rules.sign_off.required {
        return sign_off::submit(turn, &filing, &done).await;
    }
    // The finished form is committed with this input's reply; a second confirmation of it
    // meets that state and is answered "already stored" by the engine. The key found means
    // this input is handled again after a crash: the item is the one stored then, and its
    // confirmation is said now, as it was not then.
    let (id, created) = turn
        .desk
        .file_item(&filing, turn.chat, &turn.recorder(), turn.now)
        .await?;
    dialogue::save(turn, &done);
    if created {
        tracing::info!(item = id, unit = %unit_code, "an item was filed in chat");
    }
    let mut lines = vec![turn.t("form.stored", &[("number", &id.to_string())])];
    if let Some(unit) = person.unit_id {
        lines.extend(quarter_standing(turn, unit).await?);
    }
    turn.say(&lines.join("\n"));
    Ok(())
}

/// The key that makes a confirmation delivered twice one item: the conversation, the revision
/// confirmed and a fingerprint of the answers (FNV-1a of their JSON), so that two forms of one
/// conversation that happen to reach the same revision are still two items.
pub fn submission_key(chat: i64, rev: u32, values: &Values) -> String {
    let json = serde_json::to_string(values).unwrap_or_default();
    let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{chat}:{rev}:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_confirmation_has_the_same_key_and_other_answers_another() {
        let a = Values::new().with("title", Value::Text("甲".into()));
        let b = Values::new().with("title", Value::Text("乙".into()));
        assert_eq!(submission_key(7, 3, &a), submission_key(7, 3, &a.clone()));
        assert_ne!(submission_key(7, 3, &a), submission_key(7, 3, &b));
        assert_ne!(submission_key(7, 3, &a), submission_key(8, 3, &a));
        assert_ne!(submission_key(7, 3, &a), submission_key(7, 4, &a));
        assert!(
            submission_key(i64::MIN, u32::MAX, &a).starts_with("-9223372036854775808:4294967295:")
        );
    }
}
