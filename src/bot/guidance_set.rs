//! Setting a quarter's guidance in chat (`/guidance_set`, office only): the quarter, the topics
//! one a message, the list shown whole to confirm; then it replaces the quarter's guidance and
//! the scheduler sends it (at the quarter's first morning, or at once if that has passed; as a
//! correction if an earlier list went out).

use crate::forms::guidance::{guidance_form, guidance_of};
use crate::forms::{FormKind, FormState, Values};
use crate::store::GuidanceSet;

use super::BotError;
use super::dialogue;
use super::turn::Turn;

/// The form as this office member sees it now.
pub fn definition(turn: &Turn) -> crate::forms::FormDef {
    guidance_form(turn.quarter(), turn.app.rules.filing.title_limit)
}

/// `/guidance_set`: opens the form, unless an item draft is open.
pub async fn start(turn: &Turn) -> Result<(), BotError> {
    if let Some(draft) = dialogue::open(turn).await?
        && draft.form == FormKind::Item
    {
        return turn.say_key("bot.form.open_first", &[]).await;
    }
    let outcome = FormState::start(&definition(turn), Values::new(), &turn.ctx());
    dialogue::save(turn, &outcome.state).await?;
    let intro = vec![turn.t("bot.guidance_set.intro", &[])];
    for (i, reply) in outcome.replies.iter().enumerate() {
        turn.form_reply(if i == 0 { &intro } else { &[] }, reply)
            .await?;
    }
    Ok(())
}

/// A confirmed list: the quarter's guidance set to it, the form closed.
pub async fn store(turn: &Turn, done: &FormState, values: &Values) -> Result<(), BotError> {
    if !turn.is_office() {
        return turn.say_key("bot.office_only", &[]).await;
    }
    let (quarter, topics) = match guidance_of(values) {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(chat = turn.chat.0, error = %e, "a confirmed guidance form lacks an answer");
            return turn.say_key("error.internal", &[]).await;
        }
    };
    // Setting the same list again changes nothing, so an update handled again after a crash
    // finds the list in force and records nothing twice.
    let set = turn
        .app
        .store
        .set_guidance(quarter, &topics, &turn.recorder(), turn.app.now())
        .await?;
    dialogue::save(turn, done).await?;
    turn.app.plans_changed.notify_one();
    let label = quarter.label(turn.locale);
    let count = topics.len().to_string();
    match set {
        GuidanceSet::Unchanged => {
            turn.say_key("bot.guidance_set.unchanged", &[("quarter", &label)])
                .await
        }
        GuidanceSet::Revised { revision, .. } => {
            let key = if revision == 1 {
                "bot.guidance_set.done"
            } else {
                "bot.guidance_set.revised"
            };
            turn.say_key(key, &[("quarter", &label), ("count", &count)])
                .await
        }
    }
}
