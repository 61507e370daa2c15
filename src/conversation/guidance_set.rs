//! Setting a quarter's guidance (`/guidance_set`, office only): the quarter, the topics one a
//! message, the list shown whole to confirm; then it replaces the quarter's guidance and the
//! scheduler sends it (at the quarter's first morning, or at once if that has passed; as a
//! correction if an earlier list went out).

use super::Handled;
use super::dialogue::{self, Confirmed};
use super::turn::Turn;
use crate::forms::guidance::{guidance_form, guidance_of};
use crate::forms::{FormDef, FormKind, Values};
use crate::records::GuidanceSet;

/// The form as this office member sees it now.
pub fn definition(turn: &Turn) -> FormDef {
    guidance_form(turn.quarter(), turn.rules.filing.title_limit)
}

/// `/guidance_set`: opens the form, unless an item draft is open.
pub async fn start(turn: &Turn) -> Handled {
    if let Some(draft) = dialogue::open(turn).await?
        && draft.form == FormKind::Item
    {
        return dialogue::open_first(turn);
    }
    let intro = turn.t("bot.guidance_set.intro", &[]);
    dialogue::start(turn, &definition(turn), Values::new(), &[intro]);
    Ok(())
}

/// A confirmed list: the quarter's guidance set to it, the form closed.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, .. } = confirmed;
    let (quarter, topics) = match guidance_of(&values) {
        Ok(found) => found,
        Err(e) => return dialogue::unreadable(turn, "guidance", &e),
    };
    // Setting the same list again changes nothing, so an input handled again after a crash
    // finds the list in force and records nothing twice.
    let set = turn
        .desk
        .set_guidance(quarter, &topics, &turn.recorder(), turn.now)
        .await?;
    dialogue::save(turn, &done);
    turn.plans_changed();
    let label = quarter.label(turn.locale);
    let count = topics.len().to_string();
    match set {
        GuidanceSet::Unchanged => {
            turn.say_key("bot.guidance_set.unchanged", &[("quarter", &label)]);
        }
        GuidanceSet::Revised { revision, .. } => {
            let key = if revision == 1 {
                "bot.guidance_set.done"
            } else {
                "bot.guidance_set.revised"
            };
            turn.say_key(key, &[("quarter", &label), ("count", &count)]);
        }
    }
    Ok(())
}
