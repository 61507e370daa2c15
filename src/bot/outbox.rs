//! The outbox worker: sends the messages the bot says on its own (notices of adoptions,
//! instructions, commissions, returns), stored first as outbox rows, within Telegram's limits.
//!
//! One worker per process takes due rows, paces them (about one message a second per chat and
//! 25 a second overall), waits as long as a 429 says, retries network and server errors with a
//! growing delay, and gives up on a row after [`MAX_ATTEMPTS`] or when Telegram says it can never
//! be delivered (the user blocked the bot, the chat is gone). A row is marked sent only after
//! Telegram took it, so a restart repeats at most the one message in flight.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::ParseMode;
use tokio::sync::watch;
use tokio::time::Instant;

use super::App;
use crate::store::{OutboxMessage, Store, StoreError};

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: u32 = 8;
/// Rows taken at once.
const BATCH: i64 = 50;
/// How often the worker looks for due rows when there were none.
const IDLE: Duration = Duration::from_secs(2);

/// Spaces sends: at most one per chat per `per_chat`, at most `burst` in any `window`.
#[derive(Debug)]
pub struct Pacer {
    per_chat: Duration,
    window: Duration,
    burst: usize,
    last: HashMap<i64, Instant>,
    recent: VecDeque<Instant>,
}

impl Default for Pacer {
    /// Telegram's limits with some room: a message a second per chat, 25 a second overall.
    fn default() -> Self {
        Pacer::new(Duration::from_secs(1), Duration::from_secs(1), 25)
    }
}

impl Pacer {
    pub fn new(per_chat: Duration, window: Duration, burst: usize) -> Pacer {
        Pacer {
            per_chat,
            window,
            burst: burst.max(1),
            last: HashMap::new(),
            recent: VecDeque::new(),
        }
    }

    /// How long to wait, from `now`, before a message to `chat` may go.
    pub fn wait(&self, chat: i64, now: Instant) -> Duration {
        let chat_ready = self.last.get(&chat).map_or(now, |at| *at + self.per_chat);
        let overall_ready = if self.recent.len() >= self.burst {
            self.recent[self.recent.len() - self.burst] + self.window
        } else {
            now
        };
        chat_ready.max(overall_ready).saturating_duration_since(now)
    }

    /// Notes a message sent to `chat` at `at`.
    pub fn sent(&mut self, chat: i64, at: Instant) {
        self.last.insert(chat, at);
        self.recent.push_back(at);
        while self.recent.len() > self.burst {
            self.recent.pop_front();
        }
        // Chats quiet for longer than the spacing need no entry.
        let per_chat = self.per_chat;
        self.last
            .retain(|_, last| at.saturating_duration_since(*last) < per_chat);
        self.last.insert(chat, at);
    }
}

/// What to do with a row after a failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Try again after this long (and, for a 429, send nothing at all until then).
    Retry { after: Duration, everyone: bool },
    /// It can never be delivered: mark it failed.
    Fail,
}

/// The delay before attempt `attempts + 1`: 2, 4, 8… seconds, at most ten minutes.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempts.clamp(1, 16)).min(600))
}

/// Judges a failed send of a row already tried `attempts` times (this one included).
pub fn judge(error: &RequestError, attempts: u32) -> Verdict {
    let verdict = match error {
        RequestError::RetryAfter(seconds) => Verdict::Retry {
            after: seconds.duration(),
            everyone: true,
        },
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots,
        ) => Verdict::Fail,
        // Other refusals (a bad request, a server error) and network errors may pass later.
        _ => Verdict::Retry {
            after: backoff(attempts),
            everyone: false,
        },
    };
    match verdict {
        Verdict::Retry {
            everyone: false, ..
        } if attempts >= MAX_ATTEMPTS => Verdict::Fail,
        v => v,
    }
}

/// Sends due rows until `stop` turns true.
pub async fn run(bot: Bot, app: App, mut stop: watch::Receiver<bool>) {
    let mut pacer = Pacer::default();
    loop {
        if *stop.borrow() {
            return;
        }
        let pause = match deliver_due(&bot, &app, &mut pacer, &mut stop).await {
            Ok(0) => IDLE,
            Ok(_) => Duration::ZERO,
            Err(e) => {
                tracing::error!(error = %e, "the outbox could not be read");
                IDLE * 5
            }
        };
        if !pause.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// One pass: sends what is due now, in order, pacing each. Returns how many rows it handled.
pub async fn deliver_due(
    bot: &Bot,
    app: &App,
    pacer: &mut Pacer,
    stop: &mut watch::Receiver<bool>,
) -> Result<usize, StoreError> {
    let store: &Store = &app.store;
    let due = store.due_messages(app.now(), BATCH).await?;
    let count = due.len();
    for message in due {
        if *stop.borrow() {
            break;
        }
        let wait = pacer.wait(message.chat_id, Instant::now());
        if !wait.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => break,
            }
        }
        pacer.sent(message.chat_id, Instant::now());
        if let Some(pause) = send_one(bot, app, &message).await? {
            // A 429: Telegram wants no message at all for a while.
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
            break;
        }
    }
    Ok(count)
}

/// Sends one row and records the result; a pause for everyone when Telegram asked for one.
async fn send_one(
    bot: &Bot,
    app: &App,
    message: &OutboxMessage,
) -> Result<Option<Duration>, StoreError> {
    let sent = bot
        .send_message(ChatId(message.chat_id), &message.text)
        .parse_mode(ParseMode::Html)
        .await;
    let now = app.now();
    match sent {
        Ok(_) => {
            app.store.mark_sent(message.id, now).await?;
            Ok(None)
        }
        Err(error) => {
            let attempts = u32::try_from(message.attempts)
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            let reason = error.to_string();
            match judge(&error, attempts) {
                Verdict::Fail => {
                    tracing::warn!(id = message.id, error = %reason, "an outbox message failed for good");
                    app.store.mark_failed(message.id, &reason, now).await?;
                    Ok(None)
                }
                Verdict::Retry { after, everyone } => {
                    tracing::info!(id = message.id, attempts, error = %reason, "an outbox message will be retried");
                    let not_before = now
                        + chrono::Duration::from_std(after)
                            .unwrap_or(chrono::Duration::minutes(10));
                    app.store
                        .mark_retry(message.id, not_before, &reason)
                        .await?;
                    Ok(everyone.then_some(after))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::Seconds;

    #[test]
    fn one_chat_gets_at_most_one_message_a_second() {
        let start = Instant::now();
        let mut pacer = Pacer::default();
        assert_eq!(pacer.wait(1, start), Duration::ZERO);
        pacer.sent(1, start);
        assert_eq!(pacer.wait(1, start), Duration::from_secs(1));
        assert_eq!(
            pacer.wait(2, start),
            Duration::ZERO,
            "another chat need not wait"
        );
        let later = start + Duration::from_millis(400);
        assert_eq!(pacer.wait(1, later), Duration::from_millis(600));
    }

    #[test]
    fn no_more_than_the_burst_goes_in_one_window() {
        let start = Instant::now();
        let mut pacer = Pacer::new(Duration::from_secs(1), Duration::from_secs(1), 3);
        for chat in 0..3 {
            assert_eq!(pacer.wait(chat, start), Duration::ZERO);
            pacer.sent(chat, start);
        }
        assert_eq!(pacer.wait(9, start), Duration::from_secs(1));
        let later = start + Duration::from_secs(1);
        assert_eq!(pacer.wait(9, later), Duration::ZERO);
    }

    #[test]
    fn a_429_pauses_everyone_for_as_long_as_it_says() {
        let error = RequestError::RetryAfter(Seconds::from_seconds(7));
        assert_eq!(
            judge(&error, 1),
            Verdict::Retry {
                after: Duration::from_secs(7),
                everyone: true
            }
        );
        assert!(matches!(
            judge(&error, MAX_ATTEMPTS + 3),
            Verdict::Retry { .. }
        ));
    }

    #[test]
    fn a_blocked_bot_fails_at_once_and_other_errors_back_off_then_fail() {
        assert_eq!(
            judge(&RequestError::Api(ApiError::BotBlocked), 1),
            Verdict::Fail
        );
        let other = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert_eq!(
            judge(&other, 1),
            Verdict::Retry {
                after: Duration::from_secs(2),
                everyone: false
            }
        );
        assert_eq!(
            judge(&other, 3),
            Verdict::Retry {
                after: Duration::from_secs(8),
                everyone: false
            }
        );
        assert_eq!(judge(&other, MAX_ATTEMPTS), Verdict::Fail);
        assert_eq!(backoff(30), Duration::from_secs(600));
    }
}
