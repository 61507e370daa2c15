//! The durable intake, in place of teloxide's polling listener (which confirms a batch as soon
//! as it is queued, so a crash loses it): each batch from `getUpdates` is stored first, and only
//! then is the offset advanced past it, which is what confirms it to Telegram. On start, the
//! updates stored but never handled (a crash, a kill) come first, oldest first. The routers
//! commit each update's outcome with its handled mark (`route::finish`); updates no router
//! takes are marked handled as they come ([`mark_handled`]).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, Instant};

use futures::Stream;
use teloxide::errors::AsResponseParameters;
use teloxide::prelude::*;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{StatefulListener, UpdateListener};

use super::App;
use crate::store::{Store, StoredUpdate};

/// How long one `getUpdates` waits for something new.
const POLL_TIMEOUT_SECS: u32 = 10;
/// Updates per `getUpdates`, and stored updates read at once on start.
const BATCH: u8 = 100;
/// Handled updates are kept this long (Telegram redelivers an unconfirmed one for a day).
const KEEP_HANDLED_DAYS: i64 = 7;
/// How often the handled updates past keeping are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// The longest wait before asking again after a failure.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The listener's state: what `getUpdates` needs and the updates taken but not yet yielded.
pub struct Intake {
    bot: Bot,
    app: App,
    /// The offset to ask from: one past the last update stored.
    offset: i32,
    allowed: Option<Vec<AllowedUpdate>>,
    ready: VecDeque<Update>,
    /// The stored updates are read on the first poll, before asking Telegram.
    replayed: bool,
    failures: u32,
    last_prune: Option<Instant>,
    stop_token: StopToken,
    stop_flag: StopFlag,
}

/// The durable intake as a listener for the dispatcher.
pub fn listener(bot: Bot, app: App) -> impl UpdateListener<Err = Infallible> + Send {
    let (stop_token, stop_flag) = mk_stop_token();
    let state = Intake {
        bot,
        app,
        offset: 0,
        allowed: None,
        ready: VecDeque::new(),
        replayed: false,
        failures: 0,
        last_prune: None,
        stop_token,
        stop_flag,
    };
    type Hint = for<'a, 'b> fn(&'a mut Intake, &'b mut dyn Iterator<Item = AllowedUpdate>);
    StatefulListener::new_with_hints(
        state,
        as_stream,
        |st: &mut Intake| st.stop_token.clone(),
        Some(hint as Hint),
    )
}

fn hint(st: &mut Intake, allowed: &mut dyn Iterator<Item = AllowedUpdate>) {
    st.allowed = Some(allowed.collect());
}

fn as_stream(st: &mut Intake) -> impl Stream<Item = Result<Update, Infallible>> + Send + '_ {
    futures::stream::unfold(st, |st| async move {
        let update = st.next().await?;
        Some((Ok(update), st))
    })
}

impl Intake {
    /// The next update to handle, or none once stopped.
    async fn next(&mut self) -> Option<Update> {
        loop {
            if let Some(update) = self.ready.pop_front() {
                return Some(update);
            }
            if self.stop_flag.is_stopped() {
                return None;
            }
            if !self.replayed {
                match self.replay().await {
                    Ok(()) => self.replayed = true,
                    Err(e) => {
                        tracing::error!(error = %e, "the stored updates could not be read");
                        if !self.back_off(None).await {
                            return None;
                        }
                    }
                }
                continue;
            }
            self.prune_now_and_then().await;
            let mut request = self
                .bot
                .get_updates()
                .offset(self.offset)
                .timeout(POLL_TIMEOUT_SECS)
                .limit(BATCH);
            if let Some(allowed) = &self.allowed {
                request = request.allowed_updates(allowed.clone());
            }
            let mut stop = self.stop_flag.clone();
            let taken = tokio::select! {
                _ = &mut stop => return None,
                taken = request.send() => taken,
            };
            match taken {
                Ok(updates) => {
                    if let Err(e) = self.take(updates).await {
                        // Nothing was confirmed: Telegram gives the batch again.
                        tracing::error!(error = %e, "a batch of updates could not be stored");
                        if !self.back_off(None).await {
                            return None;
                        }
                    } else {
                        self.failures = 0;
                    }
                }
                Err(e) => {
                    // The error's text never holds the token: teloxide redacts it.
                    tracing::warn!(error = %e, "getUpdates failed");
                    let after = e.retry_after().map(|s| s.duration());
                    if !self.back_off(after).await {
                        return None;
                    }
                }
            }
        }
    }

    /// Queues the updates stored and never handled, oldest first.
    async fn replay(&mut self) -> crate::store::Result<()> {
        let mut after = i64::MIN;
        loop {
            let stored = self
                .app
                .store
                .unhandled_updates(after, i64::from(BATCH))
                .await?;
            let Some(last) = stored.last() else {
                break;
            };
            after = last.update_id;
            for row in stored {
                match serde_json::from_str::<Update>(&row.body) {
                    Ok(update) => self.ready.push_back(update),
                    Err(e) => {
                        tracing::error!(update = row.update_id, error = %e, "a stored update cannot be read; it is dropped");
                        self.app
                            .store
                            .mark_update_handled(row.update_id, self.app.now())
                            .await?;
                    }
                }
            }
        }
        if !self.ready.is_empty() {
            tracing::info!(
                count = self.ready.len(),
                "handling the updates stored before a stop"
            );
        }
        Ok(())
    }

    /// Stores a batch, then moves the offset past it (the next `getUpdates` confirms it), then
    /// queues those not stored before.
    async fn take(&mut self, updates: Vec<Update>) -> crate::store::Result<()> {
        let Some(last) = updates.last() else {
            return Ok(());
        };
        let next_offset = last.id.as_offset();
        let rows = updates
            .iter()
            .map(|u| StoredUpdate {
                update_id: i64::from(u.id.0),
                // An update is plain data: it always serialises.
                body: serde_json::to_string(u).unwrap_or_default(),
            })
            .collect::<Vec<_>>();
        let new = self.app.store.store_updates(&rows, self.app.now()).await?;
        self.offset = next_offset;
        let skipped = updates.len() - new.len();
        if skipped > 0 {
            tracing::info!(skipped, "updates delivered again were not handled twice");
        }
        self.ready.extend(
            updates
                .into_iter()
                .filter(|u| new.contains(&i64::from(u.id.0))),
        );
        Ok(())
    }

    /// Waits before asking again (Telegram's `retry_after`, or a growing delay); false when
    /// stopped meanwhile.
    async fn back_off(&mut self, after: Option<Duration>) -> bool {
        self.failures = self.failures.saturating_add(1);
        let delay = after.unwrap_or_else(|| {
            let exp = self.failures.min(5);
            Duration::from_millis(500 << exp).min(MAX_BACKOFF)
        });
        let mut stop = self.stop_flag.clone();
        tokio::select! {
            _ = &mut stop => false,
            _ = tokio::time::sleep(delay) => true,
        }
    }

    async fn prune_now_and_then(&mut self) {
        if self.last_prune.is_some_and(|at| at.elapsed() < PRUNE_EVERY) {
            return;
        }
        self.last_prune = Some(Instant::now());
        let before = self.app.now() - chrono::Duration::days(KEEP_HANDLED_DAYS);
        match self.app.store.prune_handled_updates(before).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "old handled updates were pruned"),
            Err(e) => tracing::warn!(error = %e, "old handled updates could not be pruned"),
        }
    }
}

/// Marks an update handled, once its handling has ended whatever the outcome; a failure is
/// logged (the update is handled again after a restart, which does nothing twice).
pub async fn mark_handled(store: &Store, update: &Update, now: chrono::DateTime<chrono::Utc>) {
    let id = i64::from(update.id.0);
    if let Err(e) = store.mark_update_handled(id, now).await {
        tracing::warn!(update = id, error = %e, "an update could not be marked handled");
    }
}
