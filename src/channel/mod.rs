//! What every channel shares around the pure conversations: the [`StoreDesk`] they ask their
//! facts of, the applier that commits what one input left ([`apply::commit`]), the handling of
//! one input with its failures contained ([`handle`]), and the terminal channel itself
//! (`unionbot chat`).

pub mod apply;
mod desk;
pub mod terminal;

use std::future::Future;

pub use desk::StoreDesk;

use crate::conversation::{DeskError, Handled, Turn};

/// Runs `handle` on the turn in a task of its own. A panic is logged and answered
/// `error.internal`, a storage failure logged and answered `error.database`; either way what
/// the handling had said so far is dropped (records it stored carry natural keys, so handling
/// the input again finds them).
pub async fn handle<F, Fut>(turn: &Turn, handle: F)
where
    F: FnOnce(Turn) -> Fut + Send + 'static,
    Fut: Future<Output = Handled> + Send + 'static,
{
    let own = turn.clone();
    let failed = match tokio::spawn(handle(own)).await {
        Ok(Ok(())) => return,
        Ok(Err(DeskError::Storage(e))) => {
            tracing::error!(chat = turn.chat, error = %e, "the database failed while handling an input");
            "error.database"
        }
        Ok(Err(e)) => {
            tracing::error!(chat = turn.chat, error = %e, "an input could not be handled");
            "error.internal"
        }
        Err(e) => {
            // The input is still marked handled, so one that always panics is not taken
            // again at every start; this line is what is left of it.
            tracing::error!(chat = turn.chat, error = %e, "an input's handler panicked");
            "error.internal"
        }
    };
    turn.discard();
    turn.say_key(failed, &[]);
}
