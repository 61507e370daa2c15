//! Inputs to whatever form is open: a typed answer, a form's choice, `/cancel`, `/back`,
//! `/skip`, `/drafts`. Each form's definition comes from its own conversation, and a confirmed
//! form goes back to it to be stored; this is the one place that knows every form.

use super::dialogue::{self, Confirmed};
use super::turn::Turn;
use super::{
    DeskError, Handled, adopt, commission, guidance_set, instruct, submit, urgent, urgent_facts,
    veto,
};
use crate::forms::{
    Action, Callback, Event, FormDef, FormKind, FormState, Input, Step, parse_callback,
};

/// The form's definition as it is now, or none when this person may not go on with it (they
/// left the office, or the form is one no conversation runs).
async fn definition(turn: &Turn, state: &FormState) -> Result<Option<FormDef>, DeskError> {
    match state.form {
        FormKind::Item => submit::definition(turn).await,
        FormKind::Adoption if turn.is_office() => Ok(Some(crate::forms::adoption::adoption_form())),
        FormKind::Veto if turn.is_office() => Ok(Some(crate::forms::veto::veto_form())),
        FormKind::Guidance if turn.is_office() => Ok(Some(guidance_set::definition(turn))),
        FormKind::Instruction if turn.is_office() => {
            Ok(Some(crate::forms::instruction::instruction_form()))
        }
        FormKind::Commission if turn.is_office() => {
            Ok(Some(crate::forms::commission::commission_form()))
        }
        FormKind::Adoption
        | FormKind::Veto
        | FormKind::Guidance
        | FormKind::Instruction
        | FormKind::Commission => {
            turn.say_key("bot.office_only", &[]);
            Ok(None)
        }
        FormKind::Urgent => Ok(Some(urgent::definition(turn, state))),
    }
}

/// Whether the event answers the item form's category with 10 (sudden events), which are
/// reported as urgent reports.
fn sudden_event_chosen(state: &FormState, event: &Event) -> bool {
    let asking_category = state.form == FormKind::Item
        && matches!(&state.step, Step::Asking(field) | Step::Editing(field) if field == "category");
    let chosen = match event {
        Event::Button(Callback {
            action: Action::Choose(value),
            ..
        }) => value == "10",
        Event::Answer(Input::Text(text)) => text.trim() == "10",
        _ => false,
    };
    asking_category && chosen
}

/// Takes one event through the form's engine, and a confirmed form to its conversation.
async fn advance(turn: &Turn, state: FormState, event: Event) -> Handled {
    let Some(def) = definition(turn, &state).await? else {
        return Ok(());
    };
    // The first message of an urgent report is the report: stored at once, never held up by
    // the form (the facts are asked after).
    if urgent::awaits_report(&state)
        && let Event::Answer(Input::Text(text)) = &event
        && !text.trim().is_empty()
    {
        return urgent::report(turn, text).await;
    }
    // The report is stored and alerted already: its facts are stored as they are answered,
    // and cancelling stops the asking without taking anything back.
    if state.form == FormKind::Urgent
        && urgent_facts::event_of(&state).is_some()
        && !urgent::is_followup(&state)
    {
        return urgent_facts::advance(turn, &def, state, event).await;
    }
    let form = state.form;
    let sudden = sudden_event_chosen(&state, &event);
    let Some(confirmed) = dialogue::step_form(turn, &def, state, event, &[]) else {
        if sudden {
            let offer = super::turn::Choice {
                label: turn.t("bot.command.urgent", &[]),
                data: "m:urgent".into(),
            };
            turn.say_with(&turn.t("urgent.offer", &[]), vec![vec![offer]]);
        }
        return Ok(());
    };
    store(turn, form, confirmed).await
}

async fn store(turn: &Turn, form: FormKind, confirmed: Confirmed) -> Handled {
    match form {
        FormKind::Item => submit::store(turn, confirmed).await,
        FormKind::Adoption => adopt::store(turn, confirmed).await,
        FormKind::Veto => veto::store(turn, confirmed).await,
        FormKind::Guidance => guidance_set::store(turn, confirmed).await,
        FormKind::Instruction => instruct::store(turn, confirmed).await,
        FormKind::Commission => commission::store(turn, confirmed).await,
        FormKind::Urgent => urgent::store(turn, confirmed).await,
    }
}

/// A typed answer (or a photo, a sticker…): to the open form, else a hint.
pub async fn answer(turn: &Turn, input: Input) -> Handled {
    match dialogue::load(turn).await? {
        Some(state) if state.is_open() => advance(turn, state, Event::Answer(input)).await,
        _ => {
            turn.say_key("bot.no_form", &[]);
            Ok(())
        }
    }
}

/// `/cancel`, `/back`, `/skip`: to the open form.
pub async fn event(turn: &Turn, event: Event) -> Handled {
    match dialogue::load(turn).await? {
        Some(state) if state.is_open() => advance(turn, state, event).await,
        _ => {
            turn.say_key("bot.form.none", &[]);
            Ok(())
        }
    }
}

/// A form's choice: checked against the stored state by the engine (form and revision).
pub async fn press(turn: &Turn, data: &str) -> Handled {
    let (Some(callback), Some(state)) = (parse_callback(data), dialogue::load(turn).await?) else {
        turn.say_key("form.stale_button", &[]);
        return Ok(());
    };
    advance(turn, state, Event::Button(callback)).await
}

/// `/drafts`: takes the open form up again where it was.
pub async fn drafts(turn: &Turn) -> Handled {
    match dialogue::open(turn).await? {
        Some(state) => advance(turn, state, Event::Resume).await,
        None => {
            turn.say_key("bot.form.no_drafts", &[]);
            Ok(())
        }
    }
}
