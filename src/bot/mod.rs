//! The Telegram channel: the durable intake of updates, one handler tree that reads each into
//! the conversations' terms and hands it to the pure core (`crate::conversation`), the command
//! menus, and the outbox worker that delivers what was committed.
//!
//! Every update is handled in its own task, so that a panic is contained and answered rather
//! than taking the chat's worker down; a storage error is logged and the person told
//! (`error.database`). Texts come from `prompts/` and are escaped once, whole, for Telegram's
//! HTML mode when they are queued.

mod commands;
pub mod fault;
mod intake;
pub mod outbox;
mod route;
mod run;
mod text;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;

use crate::rules::Rules;
use crate::store::{Store, StoreError};

pub use crate::conversation::{Command, MenuOf, parse_command};
pub use commands::{command_list, register_commands};
pub use run::{RunError, bot_from_env, run};
pub use text::{MESSAGE_LIMIT, split_message};

/// The time of an update, read from a clock the tests can fix.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What every handler needs, injected with `deps![app]`.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub rules: Arc<Rules>,
    pub clock: Clock,
    /// Wakes the outbox worker when an update's messages are committed.
    pub wake: Arc<tokio::sync::Notify>,
    /// Wakes the scheduler when the office changed what it plans from (guidance, commissions).
    pub plans_changed: Arc<tokio::sync::Notify>,
}

impl App {
    /// The bot over a store and the rules, on the system clock.
    pub fn new(store: Store, rules: Rules) -> App {
        App {
            store,
            rules: Arc::new(rules),
            clock: Arc::new(Utc::now),
            wake: Arc::default(),
            plans_changed: Arc::default(),
        }
    }

    /// The same bot on another clock (tests).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> App {
        self.clock = Arc::new(clock);
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

/// What can make a handler fail: Telegram refused or could not be reached, or the database
/// failed. A storage error is told to the person before it gets here; both are logged.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("Telegram: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// The whole bot: private messages and button presses, each to its endpoint through
/// [`route`]'s routers, which contain panics and storage errors.
pub fn handler_tree() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(
            Update::filter_message()
                .filter(|msg: Message| msg.chat.is_private())
                .endpoint(route::on_message),
        )
        .branch(Update::filter_callback_query().endpoint(route::on_callback))
}
