//! The open form of a chat, kept as a `dialogues` row (JSON of its state) and driven through the
//! form engine at every message or button; shared by the item, adoption and veto conversations.
//! The new state is committed with the update that made it, never before.

use crate::forms::{Effect, Event, FormDef, FormKind, FormState, Input, parse_callback, step};
use crate::store::DialogueChange;

use super::turn::Turn;
use super::{BotError, adopt, guidance_set, submit, veto};

/// The chat's form as this update left it so far, else as stored; a row this program cannot
/// read is dropped (and logged), since a conversation that cannot go on must not block the chat.
pub async fn load(turn: &Turn) -> Result<Option<FormState>, BotError> {
    let json = match turn.pending_dialogue() {
        Some(DialogueChange::Save { state, .. }) => state,
        Some(DialogueChange::Clear { .. }) => return Ok(None),
        None => match turn.app.store.load_dialogue(turn.chat.0).await? {
            Some(json) => json,
            None => return Ok(None),
        },
    };
    match serde_json::from_str(&json) {
        Ok(state) => Ok(Some(state)),
        Err(e) => {
            tracing::error!(chat = turn.chat.0, error = %e, "a stored dialogue could not be read; it is dropped");
            turn.clear_dialogue();
            Ok(None)
        }
    }
}

/// The chat's form if one is open (a draft).
pub async fn open(turn: &Turn) -> Result<Option<FormState>, BotError> {
    Ok(load(turn).await?.filter(FormState::is_open))
}

/// Keeps the state, committed with the update: the next message or button goes on from it,
/// after a restart too.
pub async fn save(turn: &Turn, state: &FormState) -> Result<(), BotError> {
    turn.save_dialogue(to_json(state));
    Ok(())
}

pub fn to_json(state: &FormState) -> String {
    // A state is plain data (strings, numbers, dates): it always serialises.
    serde_json::to_string(state).unwrap_or_default()
}

/// The form's definition as it is now, or none when this person may not go on with it (they
/// left the office, or the form is one the bot does not run).
async fn definition(turn: &Turn, state: &FormState) -> Result<Option<FormDef>, BotError> {
    match state.form {
        FormKind::Item => submit::definition(turn).await,
        FormKind::Adoption if turn.is_office() => Ok(Some(crate::forms::adoption::adoption_form())),
        FormKind::Veto if turn.is_office() => Ok(Some(crate::forms::veto::veto_form())),
        FormKind::Guidance if turn.is_office() => Ok(Some(guidance_set::definition(turn))),
        FormKind::Adoption | FormKind::Veto | FormKind::Guidance => {
            turn.say_key("bot.office_only", &[]).await?;
            Ok(None)
        }
        FormKind::Urgent => {
            turn.clear_dialogue();
            turn.say_key("bot.form.none", &[]).await?;
            Ok(None)
        }
    }
}

/// Takes one event through the engine: stores what it says to store, keeps the new state,
/// then answers.
pub async fn advance(
    turn: &Turn,
    state: FormState,
    event: Event,
    before: &[String],
) -> Result<(), BotError> {
    let Some(def) = definition(turn, &state).await? else {
        return Ok(());
    };
    let confirmed_rev = state.rev;
    let outcome = step(&def, state, event, &turn.ctx());
    match outcome.effect {
        Some(Effect::Store(values)) => match outcome.state.form {
            FormKind::Item => submit::store(turn, confirmed_rev, &outcome.state, &values).await,
            FormKind::Adoption => adopt::store(turn, &outcome.state, &values).await,
            FormKind::Veto => veto::store(turn, &outcome.state, &values).await,
            FormKind::Guidance => guidance_set::store(turn, &outcome.state, &values).await,
            FormKind::Urgent => Ok(()),
        },
        Some(Effect::Discard) => {
            turn.clear_dialogue();
            send(turn, before, &outcome.replies).await
        }
        None => {
            save(turn, &outcome.state).await?;
            send(turn, before, &outcome.replies).await
        }
    }
}

async fn send(
    turn: &Turn,
    before: &[String],
    replies: &[crate::forms::Reply],
) -> Result<(), BotError> {
    for (i, reply) in replies.iter().enumerate() {
        let above = if i == 0 { before } else { &[] };
        turn.form_reply(above, reply).await?;
    }
    Ok(())
}

/// A typed answer (or a photo, a sticker…): to the open form, else a hint.
pub async fn answer(turn: &Turn, input: Input) -> Result<(), BotError> {
    match load(turn).await? {
        Some(state) if state.is_open() => advance(turn, state, Event::Answer(input), &[]).await,
        _ => turn.say_key("bot.no_form", &[]).await,
    }
}

/// `/cancel`, `/back`, `/skip`: to the open form.
pub async fn event(turn: &Turn, event: Event) -> Result<(), BotError> {
    match load(turn).await? {
        Some(state) if state.is_open() => advance(turn, state, event, &[]).await,
        _ => turn.say_key("bot.form.none", &[]).await,
    }
}

/// A form's button: checked against the stored state by the engine (form and revision).
pub async fn press(turn: &Turn, data: &str) -> Result<(), BotError> {
    let (Some(callback), Some(state)) = (parse_callback(data), load(turn).await?) else {
        return turn.say_key("form.stale_button", &[]).await;
    };
    advance(turn, state, Event::Button(callback), &[]).await
}

/// `/drafts`: takes the open form up again where it was.
pub async fn drafts(turn: &Turn) -> Result<(), BotError> {
    match open(turn).await? {
        Some(state) => advance(turn, state, Event::Resume, &[]).await,
        None => turn.say_key("bot.form.no_drafts", &[]).await,
    }
}
