//! The conversations' pure core, channel-neutral: what a person can ask for. It imports no
//! teloxide, sqlx or tokio (a test checks); the bot and other channels are shells around it.

mod verb;

pub use verb::{Audience, Verb};
