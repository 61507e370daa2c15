//! The scheduler's loop inside `unionbot run`: a step, then sleep until the next job falls due
//! (at most a minute, so guidance set from the command line, in another process, goes out
//! soon), or until stopped.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};

use crate::rules::Rules;
use crate::store::Store;

/// Longest sleep between two steps.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Runs steps until `stop` turns true. `sent` is woken after a step queued messages (the
/// outbox worker); `changed` wakes the loop early (the office set guidance or a commission in
/// chat); `clock` gives the time (the system's, or a test's).
pub async fn run(
    store: Store,
    rules: Arc<Rules>,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    sent: Arc<Notify>,
    changed: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let now = clock();
        match super::run_due(&store, &rules, now).await {
            Ok(report) if !report.enqueued.is_empty() => sent.notify_one(),
            Ok(_) => {}
            // A failed step loses nothing: the same jobs are due at the next one.
            Err(e) => tracing::warn!(error = %e, "a scheduler step failed; it is tried again"),
        }
        let sleep = match super::next_due(&store, &rules, now).await {
            Ok(Some(at)) => (at - clock())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(MAX_SLEEP),
            Ok(None) => MAX_SLEEP,
            Err(e) => {
                tracing::warn!(error = %e, "the scheduler could not read its next due time");
                MAX_SLEEP
            }
        };
        // Quiet hours, and a step that found nothing to do, still wait at least a moment.
        let sleep = sleep.max(Duration::from_secs(1));
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = changed.notified() => {}
            _ = stop.changed() => return,
        }
    }
}
