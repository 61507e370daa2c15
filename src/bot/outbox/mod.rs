//! The outbox worker: sends every message the bot says — replies, notices, alerts — from the
//! outbox rows the updates committed, within Telegram's limits.
//!
//! One worker per process, woken the moment an update's messages are committed (and every few
//! seconds for messages queued elsewhere or falling due). It takes the oldest pending message
//! of each chat that is due, paces them with [`Pacer`]'s token buckets, and sends them
//! concurrently, up to [`Limits::concurrency`] in flight, so one slow or failing chat never
//! holds up another. Its own requests ([`client`]) return a server error at once; a 429 holds
//! the chat for its `retry_after`; server and network errors are retried with a growing,
//! jittered delay, the message keeping its place; a 403 marks the person unreachable and is not
//! retried. A message is marked sent only after Telegram took it, so it is sent twice only when
//! Telegram's answer was lost (or the process died between the answer and the mark).

pub mod client;
pub mod pace;
mod summary;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use teloxide::Bot;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::App;
use crate::store::{OutboxMessage, Settled};
use client::{Answer, Telegram};
pub use pace::{Limits, Pacer};

/// Attempts before a message that keeps failing is given up on.
pub const MAX_ATTEMPTS: u32 = 10;
/// How long the worker sleeps when nothing is due and nothing wakes it.
const IDLE: Duration = Duration::from_secs(2);
/// How long a stopping worker waits for the sends in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// The delay before attempt `attempts + 1` after a server or network error: 1, 2, 4… seconds,
/// at most five minutes, plus up to a quarter more (`jitter` in 0..1) so that many messages
/// failed together do not come back together.
pub fn backoff(attempts: u32, jitter: f64) -> Duration {
    let base = Duration::from_secs(1u64 << attempts.saturating_sub(1).min(9))
        .min(Duration::from_secs(300));
    base.mul_f64(1.0 + jitter.clamp(0.0, 1.0) / 4.0)
}

/// What to record for an answer to a message that failed `failures` times before (429s not
/// counted: they are Telegram pacing us, not failures).
pub fn settle(
    answer: &Answer,
    failures: u32,
    now: chrono::DateTime<chrono::Utc>,
    jitter: f64,
) -> Settled {
    let attempt = failures.saturating_add(1);
    let later = |after: Duration| {
        round_up(now + chrono::Duration::from_std(after).unwrap_or(chrono::Duration::minutes(5)))
    };
    match answer {
        Answer::Sent => Settled::Sent,
        Answer::RetryAfter(after) => Settled::Retry {
            not_before: later(*after),
            error: format!("429: retry after {}s", after.as_secs()),
            failed: false,
        },
        Answer::Unreachable(error) => Settled::Unreachable {
            error: error.clone(),
        },
        Answer::Refused(error) => Settled::Failed {
            error: error.clone(),
        },
        Answer::Transient(error) if attempt >= MAX_ATTEMPTS => Settled::Failed {
            error: error.clone(),
        },
        Answer::Transient(error) => Settled::Retry {
            not_before: later(backoff(attempt, jitter)),
            error: error.clone(),
            failed: true,
        },
    }
}

/// The instant, or the next whole second after it: the outbox keeps whole seconds, and a
/// message told to wait must never come back before its time (another worker, which does not
/// share this one's hold on the chat, reads only the stored time).
fn round_up(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    if at.timestamp_subsec_nanos() == 0 {
        at
    } else {
        chrono::DateTime::from_timestamp(at.timestamp() + 1, 0).unwrap_or(at)
    }
}

/// A number in 0..1 that differs from call to call, for the jitter: no randomness is needed
/// beyond not being in step.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}

/// Sends the outbox until `stop` turns true, then waits (a while) for the sends in flight.
pub async fn run(bot: Bot, app: App, limits: Limits, mut stop: watch::Receiver<bool>) {
    let client = Telegram::new(&bot, limits.request_timeout);
    match app.store.release_claims(app.now()).await {
        Ok(0) => {}
        Ok(taken) => tracing::info!(taken, "messages in hand when the last run stopped go again"),
        Err(e) => {
            tracing::warn!(error = %e, "messages in hand when the last run stopped wait for their lease")
        }
    }
    let mut worker = Worker {
        pacer: Pacer::new(limits),
        flying: JoinSet::new(),
        busy: HashMap::new(),
    };
    loop {
        let stopping = *stop.borrow();
        if stopping {
            worker.drain(&app).await;
            return;
        }
        let pause = worker.fill(&client, &app).await;
        tokio::select! {
            Some(done) = worker.flying.join_next_with_id(), if !worker.flying.is_empty() => {
                worker.record(&app, done).await;
            }
            _ = app.wake.notified() => {}
            _ = tokio::time::sleep(pause) => {}
            _ = stop.changed() => {}
        }
    }
}

type Flight = (OutboxMessage, Answer);
type Finished = Result<(tokio::task::Id, Flight), tokio::task::JoinError>;

struct Worker {
    pacer: Pacer,
    flying: JoinSet<Flight>,
    /// Chats with a message in flight, by the task sending it: their next message waits for
    /// the answer, to keep order.
    busy: HashMap<tokio::task::Id, i64>,
}

impl Worker {
    /// Starts every send that may go now; returns how long to sleep if nothing else happens.
    async fn fill(&mut self, client: &Telegram, app: &App) -> Duration {
        let concurrency = self.pacer.limits().concurrency.max(1);
        let free = concurrency.saturating_sub(self.flying.len());
        if free == 0 {
            return IDLE;
        }
        let instant = Instant::now();
        // Nothing may go before a send of the last second leaves the overall window: reading
        // the outbox meanwhile would read the same heads again, several times a send.
        let full = self.pacer.overall_wait(instant);
        if !full.is_zero() {
            return full;
        }
        self.pacer.forget_idle(instant);
        let now = app.now();
        // More than can start, so that chats still paced do not hide the ones that may go.
        let fetch = i64::try_from(free * 4 + 16).unwrap_or(i64::MAX);
        // The heads are chosen on a copy of the pacer; the real one counts a send from when it
        // starts, after the claim, so that the time the claim takes never squeezes two sends
        // closer together than the limits allow.
        let mut plan = self.pacer.clone();
        let busy: HashSet<i64> = self.busy.values().copied().collect();
        let (mut pause, mut seen) = (IDLE, 0);
        let mut choose = |heads: &[OutboxMessage]| {
            seen = heads.len();
            let mut picked = Vec::new();
            for message in heads {
                if picked.len() >= free || busy.contains(&message.chat_id) {
                    continue;
                }
                let wait = plan.wait(message.chat_id, instant);
                if wait.is_zero() {
                    plan.take(message.chat_id, instant);
                    picked.push(message.id);
                } else {
                    pause = pause.min(wait);
                }
            }
            picked
        };
        let lease = chrono::Duration::from_std(self.pacer.limits().lease())
            .unwrap_or(chrono::Duration::minutes(2));
        let claimed = app.store.claim_heads(now, lease, fetch, &mut choose).await;
        let claimed = match claimed {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(error = %e, "outbox messages could not be read or claimed");
                return IDLE * 5;
            }
        };
        if seen == 0 {
            if let Ok(Some(next)) = app.store.next_due().await {
                let until = (next - now).to_std().unwrap_or(Duration::ZERO);
                pause = pause.min(until.max(Duration::from_millis(50)));
            }
            return pause;
        }
        if claimed.is_empty() {
            return pause;
        }
        let started = Instant::now();
        for message in claimed {
            let chat = message.chat_id;
            self.pacer.take(chat, started);
            let client = client.clone();
            let task = self.flying.spawn(async move {
                let answer = client.deliver(&message).await;
                (message, answer)
            });
            self.busy.insert(task.id(), chat);
        }
        // More may be due at once: look again right away unless every slot is taken.
        if self.flying.len() < concurrency {
            Duration::from_millis(5).min(pause)
        } else {
            pause
        }
    }

    /// Records one finished send, and any others finished meanwhile, in one transaction.
    async fn record(&mut self, app: &App, first: Finished) {
        let mut done = vec![first];
        while let Some(more) = self.flying.try_join_next_with_id() {
            done.push(more);
        }
        let now = app.now();
        let mut results = Vec::new();
        for flight in done {
            let (message, answer) = match flight {
                Ok((task, flight)) => {
                    self.busy.remove(&task);
                    flight
                }
                Err(e) => {
                    // The chat is free again; the message's lease runs out and it is sent
                    // again: nothing is lost.
                    self.busy.remove(&e.id());
                    tracing::error!(error = %e, "an outbox send task failed");
                    continue;
                }
            };
            super::fault::point("after_send");
            let failures = u32::try_from(message.failures).unwrap_or(u32::MAX);
            let settled = settle(&answer, failures, now, jitter());
            match &settled {
                Settled::Sent => {}
                Settled::Retry { error, .. } => {
                    if let Answer::RetryAfter(after) = answer {
                        self.pacer.hold(message.chat_id, Instant::now() + after);
                    }
                    tracing::info!(id = message.id, attempts = message.attempts + 1, error = %error, "an outbox message will be retried");
                }
                Settled::Failed { error } => {
                    tracing::warn!(id = message.id, error = %error, "an outbox message failed for good");
                }
                Settled::Unreachable { error } => {
                    tracing::warn!(id = message.id, chat = message.chat_id, error = %error, "a person is unreachable: the bot is blocked");
                }
            }
            results.push((message.id, settled));
        }
        super::fault::point("before_settle");
        if let Err(e) = app.store.settle(&results, now, &summary::summarize).await {
            // Unrecorded, the messages stay claimed until the lease ends, then go again.
            tracing::error!(error = %e, "the outcome of outbox sends could not be recorded");
        }
    }

    /// Waits for the sends in flight and records them, for at most [`DRAIN`].
    async fn drain(&mut self, app: &App) {
        let deadline = tokio::time::Instant::now() + DRAIN;
        while !self.flying.is_empty() {
            match tokio::time::timeout_at(deadline, self.flying.join_next_with_id()).await {
                Ok(Some(done)) => self.record(app, done).await,
                Ok(None) | Err(_) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn a_server_error_backs_off_with_jitter_then_gives_up() {
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 0.0), Duration::from_secs(4));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(40, 0.0), Duration::from_secs(300));
        let error = Answer::Transient("500".into());
        match settle(&error, 0, now(), 0.0) {
            Settled::Retry { not_before, .. } => {
                assert_eq!(not_before, now() + chrono::Duration::seconds(1))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            settle(&error, MAX_ATTEMPTS - 1, now(), 0.0),
            Settled::Failed { .. }
        ));
    }

    #[test]
    fn a_429_waits_as_long_as_it_says_and_a_403_marks_the_person_unreachable() {
        let wait = Answer::RetryAfter(Duration::from_secs(7));
        // However often Telegram paced us before.
        match settle(&wait, 0, now(), 0.5) {
            Settled::Retry { not_before, .. } => {
                assert_eq!(not_before, now() + chrono::Duration::seconds(7))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            settle(&Answer::Unreachable("blocked".into()), 0, now(), 0.0),
            Settled::Unreachable { .. }
        ));
        assert!(matches!(
            settle(&Answer::Refused("bad".into()), 0, now(), 0.0),
            Settled::Failed { .. }
        ));
        assert_eq!(settle(&Answer::Sent, 3, now(), 0.0), Settled::Sent);
    }
}
