//! Filing an item (`/submit`): the item form of the form engine, stored only on confirmation in
//! one transaction with the conversation's state, then where the unit stands this quarter.
//! Where the rules ask for sign-off, the confirmed item goes to the unit's leader first.

use crate::forms::item::{Commission, ItemDraft, Topic, item_form};
use crate::forms::{FormDef, FormKind, FormState, Value, Values};
use crate::period::Period;
use crate::points::Points;
use crate::scoring::{self, Source};
use crate::store::ChatFiling;

use super::BotError;
use super::dialogue;
use super::sign_off;
use super::turn::Turn;

/// The item form for the person's unit as it is now: this quarter's guidance topics and the
/// unit's open commissions. None (and the person told) when the person has no unit.
pub async fn definition(turn: &Turn) -> Result<Option<FormDef>, BotError> {
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        turn.say_key("bot.no_unit", &[]).await?;
        return Ok(None);
    };
    let store = &turn.app.store;
    let topics: Vec<Topic> = store
        .guidance(turn.quarter())
        .await?
        .into_iter()
        .map(|t| Topic {
            id: t.id,
            title: t.title,
        })
        .collect();
    let commissions: Vec<Commission> = store
        .open_commissions(unit)
        .await?
        .into_iter()
        .map(|c| Commission {
            id: c.id,
            title: c.subject,
        })
        .collect();
    Ok(Some(item_form(
        &turn.app.rules.filing,
        &topics,
        &commissions,
    )))
}

/// `/submit` (or its button): a new item form, or the draft already open.
pub async fn start(turn: &Turn) -> Result<(), BotError> {
    if let Some(draft) = dialogue::open(turn).await? {
        return match draft.form {
            FormKind::Item => {
                dialogue::advance(turn, draft, crate::forms::Event::Resume, &[]).await
            }
            _ => turn.say_key("bot.form.open_first", &[]).await,
        };
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
    let outcome = FormState::start(&def, values, &turn.ctx());
    dialogue::save(turn, &outcome.state).await?;
    let intro = vec![turn.t("bot.submit.intro", &[])];
    for (i, reply) in outcome.replies.iter().enumerate() {
        turn.form_reply(if i == 0 { &intro } else { &[] }, reply)
            .await?;
    }
    Ok(())
}

/// A confirmed item: stored with the conversation's new state in one transaction, keyed by the
/// chat and the revision confirmed, so a redelivered confirmation stores nothing twice.
pub async fn store(
    turn: &Turn,
    confirmed_rev: u32,
    done: &FormState,
    values: &Values,
) -> Result<(), BotError> {
    let (Some(person), Some(unit_code)) = (
        turn.person.as_ref(),
        turn.person.as_ref().and_then(|p| p.unit_code.clone()),
    ) else {
        return turn.say_key("bot.no_unit", &[]).await;
    };
    let draft = match ItemDraft::from_values(values) {
        Ok(draft) => draft,
        Err(e) => {
            tracing::error!(chat = turn.chat.0, error = %e, "a confirmed item form lacks an answer");
            return turn.say_key("error.internal", &[]).await;
        }
    };
    let filing = ChatFiling {
        item: draft.new_item(&unit_code, turn.now, Some(person.name.clone())),
        filed_by: person.id,
        topic_id: draft.topic,
        commission_id: draft.commission,
        submission_key: submission_key(turn.chat.0, confirmed_rev, values),
    };
    if turn.app.rules.sign_off.required {
        return sign_off::submit(turn, &filing, done).await;
    }
    // The finished form is committed with this update's reply; a second confirmation of it
    // meets that state and is answered "already stored" by the engine. The store finding the
    // key here means this update is handled again after a crash: the item is the one stored
    // then, and its confirmation is said now, as it was not then.
    let (id, created) = turn
        .app
        .store
        .file_from_chat(&filing, turn.chat.0, None, &turn.recorder(), turn.now)
        .await?;
    dialogue::save(turn, done).await?;
    if created {
        tracing::info!(item = id, unit = %unit_code, "an item was filed in chat");
    }
    let mut lines = vec![turn.t("form.stored", &[("number", &id.to_string())])];
    if let Some(unit) = person.unit_id {
        lines.push(standing(turn, unit).await?);
    }
    turn.say(&lines.join("\n")).await
}

/// The key that makes a confirmation delivered twice one item: the chat, the revision confirmed
/// and a fingerprint of the answers (FNV-1a of their JSON), so that two forms of one chat that
/// happen to reach the same revision are still two items.
pub fn submission_key(chat: i64, rev: u32, values: &Values) -> String {
    let json = serde_json::to_string(values).unwrap_or_default();
    let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{chat}:{rev}:{hash:016x}")
}

/// Where the unit stands this quarter, from the scoring engine: filings, points, and how far the
/// ordinary filings are from the quarter's cap.
async fn standing(turn: &Turn, unit: i64) -> Result<String, BotError> {
    let quarter = turn.quarter();
    let period = Period::Quarter(quarter);
    let rules = &turn.app.rules;
    let ledger = turn.app.store.load_ledger(period, rules.zone()).await?;
    let board = scoring::score(rules, &ledger, period);
    let Some(result) = board.get(unit) else {
        return Ok(String::new());
    };
    let ordinary: Points = result
        .lines
        .iter()
        .filter(|l| l.unit == unit)
        .filter_map(|l| match &l.source {
            Source::Filings {
                quarter: q,
                ordinary_points,
                ..
            } if *q == quarter => Some(*ordinary_points),
            _ => None,
        })
        .fold(Points::ZERO, |a, b| a + b);
    let cap = rules.filing.quarter_cap;
    let left = if ordinary >= cap {
        Points::ZERO
    } else {
        cap - ordinary
    };
    let key = if left == Points::ZERO {
        "bot.submit.standing_capped"
    } else {
        "bot.submit.standing"
    };
    Ok(turn.t(
        key,
        &[
            ("quarter", &quarter.label(turn.locale)),
            ("filed", &result.tally.filed.to_string()),
            ("points", &result.total.to_string()),
            ("cap", &cap.to_string()),
            ("left", &left.to_string()),
        ],
    ))
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
