//! The conversations' pure core, channel-neutral: a conversation is a function of the person,
//! the input, the stored state, the time and the facts it asks the [`Desk`] for, and leaves
//! replies, notices for other people and the new state in the turn's [`Outcome`] for the
//! channel's shell to commit in one transaction. It imports no teloxide, sqlx or tokio (a test
//! checks); the Telegram bot and the terminal are shells around it.
//!
//! One file per conversation; `router` is the one that knows them all, `forms` the one that
//! knows every form, and the helpers below them (`dialogue`, `notices`, `standing`, `shown`)
//! know no conversation, so the files import each other in no circle.

mod adopt;
mod ask;
mod bulletin;
mod command;
mod commission;
mod desk;
mod dialogue;
mod failed;
mod forms;
mod guidance_set;
mod inbox;
mod instruct;
mod invite;
mod item;
mod join;
mod lang;
mod menu;
mod notices;
mod people;
mod retract;
mod return_item;
mod router;
mod said;
mod shown;
mod sign_off;
mod standing;
mod submit;
mod turn;
mod urgent;
mod urgent_facts;
mod urgent_fix;
mod urgent_office;
mod urgent_text;
mod verb;
mod veto;

pub use bulletin::confirm_choice;
pub use command::{Command, parse_command};
pub use desk::{Alerts, Answer, BulletinAnswer, Desk, DeskError};
pub use menu::{MenuLine, MenuOf};
pub use router::{Message, message, press};
pub use submit::submission_key;
pub use turn::{Choice, DialogueChange, Notice, Outcome, Said, Turn, said_of};
pub use verb::{Audience, Verb};

/// What handling an input comes to: done (whatever was said), or the records failed.
pub type Handled = Result<(), DeskError>;

#[cfg(test)]
mod tests;
