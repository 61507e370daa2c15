//! Telegram's limits as token buckets: per chat a small burst then a steady rate (groups have
//! their own, slower one), and overall a most-per-second over a sliding second. Pure: the time
//! is passed in, so the tests drive it with made-up instants.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How fast the outbox may send. Telegram's published limits by default; each can be set (the
/// load benchmark raises them to measure the program rather than Telegram).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Messages one private chat may get at once before the steady rate applies.
    pub chat_burst: u32,
    /// The steady rate of one private chat: one message per this long.
    pub chat_interval: Duration,
    /// Messages one group may get in a minute (Telegram: 20).
    pub group_per_minute: u32,
    /// Messages overall in any one second (Telegram: about 30).
    pub per_second: u32,
    /// Sends in flight at once, so that one slow chat never holds up another.
    pub concurrency: usize,
    /// How long one request may take before it counts as lost and is tried again.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            chat_burst: 3,
            chat_interval: Duration::from_secs(1),
            group_per_minute: 20,
            per_second: 30,
            concurrency: 32,
            request_timeout: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// How long a claimed message is kept from other workers: longer than a request may take
    /// and its outcome takes to record. A worker that dies with the message in hand leaves it
    /// to another (or to itself restarted, on PostgreSQL) after this long.
    pub fn lease(&self) -> Duration {
        self.request_timeout * 2 + Duration::from_secs(5)
    }

    /// The defaults, each overridden by its environment variable when set to a whole number:
    /// `UNIONBOT_SEND_PER_SECOND`, `UNIONBOT_SEND_CHAT_BURST`, `UNIONBOT_SEND_CHAT_INTERVAL_MS`,
    /// `UNIONBOT_SEND_GROUP_PER_MINUTE`, `UNIONBOT_SEND_CONCURRENCY`, `UNIONBOT_SEND_TIMEOUT_MS`.
    /// A value that is not a positive whole number is ignored, with a warning.
    pub fn from_env() -> Limits {
        Limits::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Limits::from_env`] over any lookup (the tests give their own).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Limits {
        let number = |name: &str| -> Option<u64> {
            let text = lookup(name)?;
            match text.trim().parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    tracing::warn!(variable = name, value = %text, "not a positive whole number; the default is kept");
                    None
                }
            }
        };
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let d = Limits::default();
        Limits {
            chat_burst: number("UNIONBOT_SEND_CHAT_BURST").map_or(d.chat_burst, small),
            chat_interval: number("UNIONBOT_SEND_CHAT_INTERVAL_MS")
                .map_or(d.chat_interval, Duration::from_millis),
            group_per_minute: number("UNIONBOT_SEND_GROUP_PER_MINUTE")
                .map_or(d.group_per_minute, small),
            per_second: number("UNIONBOT_SEND_PER_SECOND").map_or(d.per_second, small),
            concurrency: number("UNIONBOT_SEND_CONCURRENCY")
                .map_or(d.concurrency, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            request_timeout: number("UNIONBOT_SEND_TIMEOUT_MS")
                .map_or(d.request_timeout, Duration::from_millis),
        }
    }
}

/// Room left on every limit for the time a request takes to reach Telegram, which varies: two
/// messages let go exactly a second apart may arrive a little less than a second apart.
const MARGIN: Duration = Duration::from_millis(30);
/// The overall limit's window: a second and the margin.
const WINDOW: Duration = Duration::from_millis(1030);

/// One chat's bucket: `tokens` left as of `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of every chat recently written to, and the sends of the last second.
#[derive(Debug, Clone)]
pub struct Pacer {
    limits: Limits,
    chats: HashMap<i64, Bucket>,
    recent: VecDeque<Instant>,
    /// Chats Telegram asked to wait (429), until when.
    held: HashMap<i64, Instant>,
}

impl Pacer {
    pub fn new(limits: Limits) -> Pacer {
        Pacer {
            limits,
            chats: HashMap::new(),
            recent: VecDeque::new(),
            held: HashMap::new(),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A chat's bucket size and the time one token takes to come back.
    fn shape(&self, chat: i64) -> (f64, Duration) {
        if chat < 0 {
            let per_minute = self.limits.group_per_minute.max(1);
            (
                f64::from(per_minute),
                Duration::from_secs(60) / per_minute + MARGIN,
            )
        } else {
            (
                f64::from(self.limits.chat_burst.max(1)),
                self.limits.chat_interval + MARGIN,
            )
        }
    }

    /// The chat's tokens at `now`.
    fn tokens(&self, chat: i64, now: Instant) -> f64 {
        let (size, every) = self.shape(chat);
        match self.chats.get(&chat) {
            None => size,
            Some(b) => {
                let refill = if every.is_zero() {
                    size
                } else {
                    now.saturating_duration_since(b.at).as_secs_f64() / every.as_secs_f64()
                };
                (b.tokens + refill).min(size)
            }
        }
    }

    /// How long from `now` until a message to `chat` may go: zero when it may go now.
    pub fn wait(&self, chat: i64, now: Instant) -> Duration {
        let (_, every) = self.shape(chat);
        let tokens = self.tokens(chat, now);
        let chat_wait = if tokens >= 1.0 {
            Duration::ZERO
        } else {
            every.mul_f64(1.0 - tokens)
        };
        let held = self
            .held
            .get(&chat)
            .map_or(Duration::ZERO, |until| until.saturating_duration_since(now));
        chat_wait.max(held).max(self.overall_wait(now))
    }

    /// How long from `now` until the overall limit lets any message go: zero when it does.
    pub fn overall_wait(&self, now: Instant) -> Duration {
        let limit = self.limits.per_second.max(1) as usize;
        if self.in_last_second(now) >= limit {
            // The oldest send of the window must leave it first.
            let oldest = self.recent[self.recent.len() - limit];
            (oldest + WINDOW).saturating_duration_since(now)
        } else {
            Duration::ZERO
        }
    }

    fn in_last_second(&self, now: Instant) -> usize {
        self.recent
            .iter()
            .rev()
            .take_while(|at| now.saturating_duration_since(**at) < WINDOW)
            .count()
    }

    /// Takes a token of `chat` and a place in the overall second, for a send starting `now`.
    pub fn take(&mut self, chat: i64, now: Instant) {
        let tokens = self.tokens(chat, now);
        self.chats.insert(
            chat,
            Bucket {
                tokens: (tokens - 1.0).max(0.0),
                at: now,
            },
        );
        self.recent.push_back(now);
        let limit = self.limits.per_second.max(1) as usize;
        while self.recent.len() > limit {
            self.recent.pop_front();
        }
    }

    /// Telegram said (429) the chat must wait until `until`: nothing goes to it before.
    pub fn hold(&mut self, chat: i64, until: Instant) {
        let entry = self.held.entry(chat).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Forgets chats whose buckets are full again and holds that have passed, so the maps stay
    /// as small as the chats written to lately.
    pub fn forget_idle(&mut self, now: Instant) {
        let full: Vec<i64> = self
            .chats
            .keys()
            .copied()
            .filter(|chat| self.tokens(*chat, now) >= self.shape(*chat).0)
            .collect();
        for chat in full {
            self.chats.remove(&chat);
        }
        self.held.retain(|_, until| *until > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacer() -> Pacer {
        Pacer::new(Limits::default())
    }

    #[test]
    fn a_chat_gets_its_burst_at_once_then_one_message_a_second() {
        let mut p = pacer();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(p.wait(7, t0), Duration::ZERO);
            p.take(7, t0);
        }
        let every = Duration::from_secs(1) + MARGIN;
        assert_eq!(p.wait(7, t0), every);
        let t = t0 + Duration::from_millis(400);
        assert_eq!(p.wait(7, t), every - Duration::from_millis(400));
        let t1 = t0 + every;
        assert_eq!(p.wait(7, t1), Duration::ZERO);
        p.take(7, t1);
        assert_eq!(p.wait(7, t1), every);
        // Another chat is not held up by this one.
        assert_eq!(p.wait(8, t1), Duration::ZERO);
    }

    #[test]
    fn a_group_gets_twenty_a_minute() {
        let mut p = pacer();
        let t0 = Instant::now();
        for i in 0..20 {
            let at = t0 + Duration::from_millis(i * 40);
            assert_eq!(p.wait(-100, at), Duration::ZERO, "{i}");
            p.take(-100, at);
        }
        let after = t0 + Duration::from_millis(800);
        assert!(
            p.wait(-100, after) >= Duration::from_secs(2),
            "{:?}",
            p.wait(-100, after)
        );
    }

    #[test]
    fn no_more_than_the_overall_limit_goes_in_any_second() {
        let mut p = pacer();
        let t0 = Instant::now();
        for chat in 0..30 {
            assert_eq!(p.wait(chat, t0), Duration::ZERO);
            p.take(chat, t0 + Duration::from_millis(chat as u64));
        }
        let at = t0 + Duration::from_millis(500);
        assert_eq!(p.wait(100, at), WINDOW - Duration::from_millis(500));
        assert_eq!(p.wait(100, t0 + WINDOW), Duration::ZERO);
    }

    #[test]
    fn a_chat_held_by_telegram_waits_and_others_do_not() {
        let mut p = pacer();
        let t0 = Instant::now();
        p.hold(5, t0 + Duration::from_secs(3));
        assert_eq!(p.wait(5, t0), Duration::from_secs(3));
        assert_eq!(p.wait(6, t0), Duration::ZERO);
        p.forget_idle(t0 + Duration::from_secs(4));
        assert_eq!(p.wait(5, t0 + Duration::from_secs(4)), Duration::ZERO);
    }

    #[test]
    fn limits_come_from_the_environment_and_a_bad_value_keeps_the_default() {
        let limits = Limits::from_lookup(|name| match name {
            "UNIONBOT_SEND_PER_SECOND" => Some("1000".into()),
            "UNIONBOT_SEND_CHAT_INTERVAL_MS" => Some("5".into()),
            "UNIONBOT_SEND_CHAT_BURST" => Some("zero".into()),
            "UNIONBOT_SEND_CONCURRENCY" => Some("0".into()),
            _ => None,
        });
        assert_eq!(limits.per_second, 1000);
        assert_eq!(limits.chat_interval, Duration::from_millis(5));
        assert_eq!(limits.chat_burst, Limits::default().chat_burst);
        assert_eq!(limits.concurrency, Limits::default().concurrency);
    }

    #[test]
    fn idle_chats_are_forgotten() {
        let mut p = pacer();
        let t0 = Instant::now();
        p.take(1, t0);
        p.take(2, t0);
        p.forget_idle(t0 + Duration::from_secs(5));
        assert!(p.chats.is_empty());
    }
}
