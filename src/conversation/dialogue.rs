//! The open form of a conversation, kept as JSON of its state and driven through the form
//! engine one event at a time. This file knows no particular form: each conversation hands in
//! its definition, and what a confirmed form stores is the caller's (see `forms`), so no
//! conversation imports another through here.

use super::Handled;
use super::turn::{DialogueChange, Turn};
use crate::forms::{Effect, Event, FormDef, FormState, Reply, Values, step};

/// The form as this input left it so far, else as stored; a stored state this program cannot
/// read is dropped (and logged), since a conversation that cannot go on must not block it.
pub async fn load(turn: &Turn) -> Result<Option<FormState>, super::DeskError> {
    let json = match turn.pending_dialogue() {
        Some(DialogueChange::Save(state)) => state,
        Some(DialogueChange::Clear) => return Ok(None),
        None => match turn.desk.dialogue(turn.chat).await? {
            Some(json) => json,
            None => return Ok(None),
        },
    };
    match serde_json::from_str(&json) {
        Ok(state) => Ok(Some(state)),
        Err(e) => {
            tracing::error!(chat = turn.chat, error = %e, "a stored dialogue could not be read; it is dropped");
            turn.clear_dialogue();
            Ok(None)
        }
    }
}

/// The form if one is open (a draft).
pub async fn open(turn: &Turn) -> Result<Option<FormState>, super::DeskError> {
    Ok(load(turn).await?.filter(FormState::is_open))
}

/// Keeps the state, committed with the input: the next one goes on from it, after a restart
/// too.
pub fn save(turn: &Turn, state: &FormState) {
    // A state is plain data (strings, numbers, dates): it always serialises.
    turn.save_dialogue(serde_json::to_string(state).unwrap_or_default());
}

/// A form just confirmed: its answers, the state to keep once they are stored, and the
/// revision that was confirmed (part of what makes its record's key).
pub struct Confirmed {
    pub values: Values,
    pub done: FormState,
    pub rev: u32,
}

/// Takes one event through the engine. A confirmation is handed back to store (the state is
/// not kept yet: the caller keeps it once the record is stored); anything else keeps the new
/// state, or drops a cancelled form, and says the engine's replies with `before` above.
pub fn step_form(
    turn: &Turn,
    def: &FormDef,
    state: FormState,
    event: Event,
    before: &[String],
) -> Option<Confirmed> {
    let rev = state.rev;
    let outcome = step(def, state, event, &turn.ctx());
    match outcome.effect {
        Some(Effect::Store(values)) => {
            return Some(Confirmed {
                values,
                done: outcome.state,
                rev,
            });
        }
        Some(Effect::Discard) => turn.clear_dialogue(),
        None => save(turn, &outcome.state),
    }
    say(turn, before, &outcome.replies);
    None
}

/// Opens a form: its first question, with `before` (an introduction) above it.
pub fn start(turn: &Turn, def: &FormDef, values: Values, before: &[String]) {
    let outcome = FormState::start(def, values, &turn.ctx());
    save(turn, &outcome.state);
    say(turn, before, &outcome.replies);
}

/// Says a form's replies, with `before` above the first.
pub fn say(turn: &Turn, before: &[String], replies: &[Reply]) {
    for (i, reply) in replies.iter().enumerate() {
        turn.form_reply(if i == 0 { before } else { &[] }, reply);
    }
}

/// A confirmed form whose answers make no record (a form and its reader out of step: a bug):
/// logged, and the person told something went wrong rather than nothing.
pub fn unreadable(turn: &Turn, form: &str, error: &dyn std::fmt::Display) -> Handled {
    tracing::error!(chat = turn.chat, form, error = %error, "a confirmed form lacks an answer");
    turn.say_key("error.internal", &[]);
    Ok(())
}

/// Says there is a form open that must be finished or cancelled first.
pub fn open_first(turn: &Turn) -> Handled {
    turn.say_key("bot.form.open_first", &[]);
    Ok(())
}
