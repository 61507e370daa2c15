//! Guided forms as data: field definitions, the validator the CSV imports share, and one pure
//! engine that asks the fields in turn, re-asks refused answers with the reason, and stores only
//! on confirmation.
//!
//! Nothing here touches Telegram, the database or the clock. A shell (the bot) keeps one
//! [`FormState`] per chat, saved as JSON after every step, and drives it so:
//! - to start, [`FormState::start`] with the form's [`FormDef`] (built again at every step from
//!   the rules and the unit's topics and commissions) and any answers already known;
//! - a text message is `Event::Answer(Input::Text)`, a photo, sticker, voice message or file
//!   `Event::Answer(Input::NonText(kind))`, `/back` and `/cancel` are `Event::Back` and
//!   `Event::Cancel`, a draft taken up again (`/drafts`, a restart) is `Event::Resume`;
//! - a pressed button is read with [`parse_callback`] (none: not ours, answer
//!   `form.stale_button`) and sent as `Event::Button`, which the engine checks against the state;
//! - [`step`] returns the next state, the [`Reply`]s to send (render them with
//!   [`Reply::render`], then escape the whole text for HTML) and maybe an [`Effect`]: store the
//!   answers together with the new state in one transaction (then say `form.stored`), or delete
//!   the draft. A `Done` state is kept until the next form so that a second confirm is answered
//!   `form.already_stored` rather than stored again.

mod callback;
mod engine;
mod field;
mod message;
mod state;
mod validator;
mod value;
mod view;

pub mod adoption;
pub mod commission;
pub mod extract;
pub mod guidance;
pub mod instruction;
pub mod item;
pub mod urgent;
pub mod veto;

pub use callback::{Action, CALLBACK_LIMIT, Callback, parse_callback};
pub use engine::{Effect, Event, Outcome, PIECE_HINT, step};
pub use field::{ChoiceOption, FieldKind, FieldSpec, FormDef, FormKind};
pub use message::{Arg, Button, Lookup, Message, Reply};
pub use state::{FormState, Step};
pub use validator::{
    Accepted, Ctx, Input, check_choice, check_date, check_datetime, check_deadline,
    check_not_future, check_people, check_positive_int, check_text, check_yes_no, people_of,
    soft_limit_warning, validate,
};
pub use value::{MissingValue, Value, Values};

#[cfg(test)]
mod tests;
