//! The broadcast benchmark (scheduler issue, point 6): one broadcast to 10,000 people, queued in
//! one commit as the scheduler queues a quarter's guidance (bulk, one batch), sent by
//! `unionbot run` on SQLite to the fake Telegram of the tests enforcing Telegram's limits (30
//! messages a second overall, 3 at once then 1 a second per chat): a message over them is
//! answered 429, as Telegram does. The figures: messages a second from the first delivery to
//! the last by the fake's clock, its ratio to the configured limit (`UNIONBOT_SEND_PER_SECOND`),
//! the 429s, and the program's CPU time and peak memory. Goals: at least 95% of the limit, no
//! 429.
//!
//! `cargo bench --bench broadcast`; `UNIONBOT_BROADCAST_PEOPLE=2000` and
//! `UNIONBOT_BROADCAST_PER_SECOND=30` change the size and the limit. Not a test: it prints the
//! figures and fails only when the broadcast cannot finish. Linux only (it reads `/proc`).

#[path = "../tests/common/bot_double.rs"]
mod double;
#[path = "../tests/program/mod.rs"]
mod program;

use std::time::{Duration, Instant};

use chrono::Utc;

use unionbot::store::{NewMessage, Store, UpdateOutcome};

use double::{FakeConfig, FakeTelegram, Limits};
use program::{Program, seed};

const BATCH: &str = "guidance:2026Q2:r1";
/// Telegram ids of the people start here.
const FIRST: i64 = 1_000_000;

fn setting(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// `count` officers of D01, written in one transaction (registering each through an invitation
/// would take longer than the broadcast), and the broadcast to each of them.
async fn people_and_broadcast(store: &Store, count: i64) {
    let mut tx = store.begin_write().await.expect("a transaction");
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = 'D01'")
        .fetch_one(&mut *tx)
        .await
        .expect("the unit D01");
    let now = Utc::now().timestamp();
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let values = chunk
            .iter()
            .map(|i| format!("({}, '信息员{i}', {unit}, 'officer', {now}, 1)", FIRST + i))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "INSERT INTO people (telegram_id, name, unit_id, role, joined_at, name_confirmed) \
             VALUES {values}"
        ))
        .execute(&mut *tx)
        .await
        .expect("people inserted");
    }
    tx.commit().await.expect("people committed");
    let messages = (0..count)
        .map(|i| NewMessage {
            batch: Some(BATCH.into()),
            bulk: true,
            ..NewMessage::text(
                format!("{BATCH}:{i}"),
                FIRST + i,
                format!("2026年第二季度信息需求要点：请围绕职工关心的问题报送信息。（{i}）"),
            )
        })
        .collect();
    let outcome = UpdateOutcome {
        update_id: None,
        dialogue: None,
        messages,
        read: None,
    };
    store
        .commit_update(&outcome, Utc::now())
        .await
        .expect("the broadcast queued");
}

/// User and system CPU time of a process so far (from /proc, at 100 ticks a second).
fn cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

/// `VmHWM` of a process: its resident memory at its highest, in kB.
fn peak_memory_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let people = setting("UNIONBOT_BROADCAST_PEOPLE", 10_000) as i64;
    let limit = setting("UNIONBOT_BROADCAST_PER_SECOND", 30);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("unionbot.db").display());
    let store = Store::connect(&url).await.expect("the database opens");
    store.migrate().await.expect("the schema applies");
    seed(&store).await;
    people_and_broadcast(&store, people).await;
    let fake = FakeTelegram::start(FakeConfig {
        enforce_limits: true,
        limits: Limits {
            global_per_second: u32::try_from(limit).unwrap_or(u32::MAX),
            ..Limits::default()
        },
        ..FakeConfig::default()
    })
    .await;
    println!(
        "broadcast: {people} people, one batch, `unionbot run` on SQLite against the fake \
         Telegram enforcing {limit}/s overall and 1/s per chat (429 over them); \
         UNIONBOT_SEND_PER_SECOND={limit}"
    );
    let per_second = limit.to_string();
    let program = Program::start(
        &url,
        &fake,
        None,
        &[("UNIONBOT_SEND_PER_SECOND", per_second.as_str())],
    );
    let pid = program.pid();
    let started = Instant::now();
    // Far more than the broadcast takes at the limit, for retries and a slow start.
    let give_up = Duration::from_secs_f64(people as f64 / limit as f64 * 1.5 + 60.0);
    let done = fake
        .wait_for(
            |seen| seen.iter().filter(|m| m.chat_id >= FIRST).count() as i64 >= people,
            give_up,
        )
        .await;
    let cpu_time = cpu(pid);
    let memory = peak_memory_kb(pid);
    program.stop().await;
    let wall = started.elapsed();
    let delivered: Vec<_> = fake
        .messages()
        .into_iter()
        .filter(|m| m.chat_id >= FIRST)
        .collect();
    let counters = fake.counters();
    let (first, last) = match (delivered.first(), delivered.last()) {
        (Some(first), Some(last)) => (first.at, last.at),
        _ => {
            eprintln!("broadcast: nothing was delivered");
            std::process::exit(1);
        }
    };
    let span = last.saturating_duration_since(first).as_secs_f64();
    let rate = if span > 0.0 {
        (delivered.len() - 1) as f64 / span
    } else {
        0.0
    };
    // The steady rate: the same, leaving out the first and last tenth of the broadcast.
    let tenth = delivered.len() / 10;
    let steady = if delivered.len() > 20 {
        let (a, b) = (&delivered[tenth], &delivered[delivered.len() - 1 - tenth]);
        let span = b.at.saturating_duration_since(a.at).as_secs_f64();
        (delivered.len() - 1 - 2 * tenth) as f64 / span.max(f64::EPSILON)
    } else {
        rate
    };
    let mut distinct: Vec<i64> = delivered.iter().map(|m| m.chat_id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    println!(
        "| people | delivered (distinct) | messages/s | of the limit | steady/s | 429s | over the limits | program CPU | peak memory | wall |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {people} | {} ({}) | {rate:.2} | {:.1}% | {steady:.2} | {} | {} | {:.1} s | {} MB | {:.0} s |",
        delivered.len(),
        distinct.len(),
        rate / limit as f64 * 100.0,
        counters.given_429,
        counters.violations,
        cpu_time.as_secs_f64(),
        memory / 1024,
        wall.as_secs_f64(),
    );
    let goal = rate >= 0.95 * limit as f64 && counters.given_429 == 0;
    println!(
        "goals (at least 95% of the limit, no 429): {}",
        if goal { "met" } else { "NOT met" }
    );
    drop(dir);
    if !done {
        eprintln!(
            "broadcast: gave up after {give_up:?} with {} of {people} delivered",
            distinct.len()
        );
        std::process::exit(1);
    }
}
