//! The load benchmark (issue 7): `unionbot run` as a program, on SQLite, against the fake
//! Telegram of the tests, with the outbox's pacing raised so that it measures the program and
//! not Telegram's limits. Officers file items (the whole form, ten updates each) through the
//! chat; the figures are the updates handled a second, the time from an update's push to the
//! arrival of its first reply at the fake (p50, p99, max), and the program's peak memory.
//!
//! `cargo bench --bench load`; `UNIONBOT_LOAD_OFFICERS=200,500` (the throughput runs),
//! `UNIONBOT_LOAD_RATE=200` and `UNIONBOT_LOAD_RATE_OFFICERS=300` (the fixed-rate run) change
//! the sizes. Not a test: it prints a table and fails only when a run cannot finish.
//!
//! The harness is event-driven: one loop reads only the deliveries new since its last look (under
//! the fake's lock, without copying the rest) and pushes each officer's next answer as soon as
//! the reply to the previous one is complete, so it costs little next to the program.

#[path = "../tests/common/bot_double.rs"]
mod double;
#[path = "../tests/program/mod.rs"]
mod program;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use unionbot::domain::Role;
use unionbot::i18n::{Locale, t};
use unionbot::store::Store;

use double::{FakeConfig, FakeTelegram};
use program::{OFFICE, Program, register, seed};

/// Telegram's limits raised out of the way, and more sends in flight.
const PACING: &[(&str, &str)] = &[
    ("UNIONBOT_SEND_PER_SECOND", "100000"),
    ("UNIONBOT_SEND_CHAT_BURST", "1000"),
    ("UNIONBOT_SEND_CHAT_INTERVAL_MS", "1"),
    ("UNIONBOT_SEND_CONCURRENCY", "64"),
];
/// The longest any one run may take before it is given up.
const GIVE_UP: Duration = Duration::from_secs(120);
/// Officers' user ids start here.
const FIRST_OFFICER: i64 = 100_000;
const ZH: Locale = Locale::ZhCn;

/// One answer of the item form: a text, or a press of the button whose label holds this.
#[derive(Clone, Debug)]
enum Step {
    Say(&'static str),
    Press(String),
}

/// Filing an item from `/submit` to its confirmation, as tests/bot_crash.rs does it.
fn filing() -> Vec<Step> {
    vec![
        Step::Say("/submit"),
        Step::Press(t(ZH, "category.4", &[])),
        Step::Say("职工关注医保新政"),
        Step::Say("近期职工普遍关注医保报销。"),
        Step::Say("市总办公室"),
        Step::Say("张三"),
        Step::Say("李四"),
        Step::Press("今天".into()),
        Step::Say("30"),
        Step::Press(t(ZH, "form.button.confirm", &[])),
    ]
}

/// What the harness keeps of a delivery: who got it, when, and its buttons.
struct Seen {
    chat: i64,
    at: Instant,
    message_id: i64,
    /// (label, callback data) of each inline button.
    buttons: Vec<(String, String)>,
}

fn buttons(markup: &Option<serde_json::Value>) -> Vec<(String, String)> {
    let Some(rows) = markup
        .as_ref()
        .and_then(|m| m["inline_keyboard"].as_array())
    else {
        return Vec::new();
    };
    rows.iter()
        .filter_map(|row| row.as_array())
        .flatten()
        .filter_map(|b| {
            Some((
                b["text"].as_str()?.to_string(),
                b["callback_data"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Reads the deliveries from `cursor` on, under the fake's lock, copying only what is kept.
async fn new_deliveries(fake: &FakeTelegram, cursor: &mut usize) -> Vec<Seen> {
    let mut out = Vec::new();
    // With no time to wait, `wait_for` asks once, at once: a look under the lock.
    fake.wait_for(
        |all| {
            for d in all.get(*cursor..).unwrap_or_default() {
                out.push(Seen {
                    chat: d.chat_id,
                    at: d.at,
                    message_id: d.message_id,
                    buttons: buttons(&d.reply_markup),
                });
            }
            *cursor = all.len();
            true
        },
        Duration::ZERO,
    )
    .await;
    out
}

/// One officer going through the form.
struct Officer {
    id: i64,
    /// The step to push next (== steps.len() once every step was pushed).
    next: usize,
    /// Deliveries to this officer so far.
    seen: usize,
    /// Deliveries there are once the reply to the last step pushed is complete.
    expect: usize,
    /// When the last step was pushed, until its first reply arrives.
    pushed_at: Option<Instant>,
    /// Every button seen, newest last, with its message.
    buttons: Vec<(String, String, i64)>,
}

impl Officer {
    fn new(id: i64) -> Officer {
        Officer {
            id,
            next: 0,
            seen: 0,
            expect: 0,
            pushed_at: None,
            buttons: Vec::new(),
        }
    }

    fn ready(&self) -> bool {
        self.seen >= self.expect
    }

    /// Pushes step `next`; its reply is complete at `counts[next]` deliveries.
    fn push(
        &mut self,
        fake: &FakeTelegram,
        steps: &[Step],
        counts: &[usize],
    ) -> Result<(), String> {
        let step = &steps[self.next];
        let at = Instant::now();
        match step {
            Step::Say(text) => {
                fake.push_text(self.id, text);
            }
            Step::Press(label) => {
                let Some((_, data, message)) = self
                    .buttons
                    .iter()
                    .rev()
                    .find(|(l, _, _)| l.contains(label.as_str()))
                else {
                    return Err(format!(
                        "officer {}: no button {label:?} at step {}",
                        self.id, self.next
                    ));
                };
                fake.push_callback(self.id, data, *message);
            }
        }
        self.pushed_at = Some(at);
        self.expect = counts[self.next];
        self.next += 1;
        Ok(())
    }

    fn take(&mut self, seen: Seen, latencies: &mut Vec<Duration>) {
        self.seen += 1;
        if let Some(pushed) = self.pushed_at.take() {
            latencies.push(seen.at.saturating_duration_since(pushed));
        }
        for (label, data) in seen.buttons {
            self.buttons.push((label, data, seen.message_id));
        }
    }

    fn done(&self, steps: &[Step]) -> bool {
        self.next == steps.len() && self.ready()
    }
}

/// A database with units D01 and D02, the office, and `officers` officers; the program
/// running on it with the pacing raised, warmed up by one `/help` of the office.
struct World {
    _dir: tempfile::TempDir,
    store: Store,
    fake: FakeTelegram,
    program: Program,
    officers: Vec<i64>,
}

async fn world(officers: usize) -> World {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("unionbot.db").display());
    let store = Store::connect(&url).await.expect("the database opens");
    store.migrate().await.expect("the schema applies");
    seed(&store).await;
    let ids: Vec<i64> = (0..officers as i64).map(|i| FIRST_OFFICER + i).collect();
    for (i, id) in ids.iter().enumerate() {
        let unit = if i % 2 == 0 { "D01" } else { "D02" };
        register(&store, *id, Some(unit), Role::Officer).await;
    }
    let fake = FakeTelegram::start(FakeConfig::default()).await;
    let program = Program::start(&url, &fake, None, PACING);
    fake.push_text(OFFICE, "/help");
    let up = fake
        .wait_for(
            |seen| seen.iter().any(|m| m.chat_id == OFFICE),
            Duration::from_secs(30),
        )
        .await;
    assert!(up, "the program did not answer /help within 30 seconds");
    tokio::time::sleep(Duration::from_millis(300)).await;
    World {
        _dir: dir,
        store,
        fake,
        program,
        officers: ids,
    }
}

/// How many deliveries one officer has once the reply to each step is complete, from one
/// officer filing slowly (each reply given time to arrive whole).
async fn calibrate(steps: &[Step]) -> Result<Vec<usize>, String> {
    let w = world(1).await;
    let id = w.officers[0];
    let mut me = Officer::new(id);
    let mut cursor = 0;
    let mut counts = Vec::new();
    let mut latencies = Vec::new();
    for step in 0..steps.len() {
        // Nothing is known yet: push, then wait for a reply and a while more.
        me.expect = 0;
        me.push(&w.fake, steps, &vec![0; steps.len()])?;
        let before = me.seen;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            for seen in new_deliveries(&w.fake, &mut cursor).await {
                if seen.chat == id {
                    me.take(seen, &mut latencies);
                }
            }
            if me.seen > before {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "calibration: no reply to step {step} ({:?})",
                    steps[step]
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        for seen in new_deliveries(&w.fake, &mut cursor).await {
            if seen.chat == id {
                me.take(seen, &mut latencies);
            }
        }
        counts.push(me.seen);
    }
    let stored = w.store.counts().await.map_err(|e| e.to_string())?.items;
    let texts = program::texts(&w.fake.messages_to(id));
    w.program.stop().await;
    if stored != 1 || !texts.contains("已提交") {
        return Err(format!(
            "calibration: the form did not end in a stored item ({stored} stored):\n{texts}"
        ));
    }
    Ok(counts)
}

/// What one run measured.
struct Figures {
    name: String,
    updates: usize,
    wall: Duration,
    latencies: Vec<Duration>,
    /// Slots of the fixed rate when no officer was ready (0 in a throughput run).
    missed: usize,
    items: i64,
    peak_kb: u64,
    program_cpu: Duration,
    harness_cpu: Duration,
    /// The program's CPU by kind of thread.
    program_threads: Vec<(String, Duration)>,
}

/// Files one item for every officer of `w`, the officers' answers pushed as fast as their
/// conversations allow (`interval` None) or at one every `interval` overall.
async fn drive(
    name: String,
    w: World,
    steps: &[Step],
    counts: &[usize],
    interval: Option<Duration>,
) -> Result<Figures, String> {
    let fake = &w.fake;
    let mut officers: Vec<Officer> = w.officers.iter().map(|&id| Officer::new(id)).collect();
    let index: HashMap<i64, usize> = w
        .officers
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    // Officers whose last reply is complete and who have a step left, oldest first.
    let mut ready: std::collections::VecDeque<usize> = (0..officers.len()).collect();
    let mut cursor = 0;
    new_deliveries(fake, &mut cursor).await;
    let mut latencies = Vec::with_capacity(officers.len() * steps.len());
    let mut pushed = 0usize;
    let mut missed = 0usize;
    let mut done = 0usize;
    let mut last_arrival = Instant::now();
    let (program_cpu0, harness_cpu0) = (cpu(w.program.pid()), cpu_self());
    let threads0 = threads(w.program.pid());
    let start = Instant::now();
    let deadline = start + GIVE_UP;
    let mut slot = start;
    while done < officers.len() {
        if Instant::now() > deadline {
            let mut at_step = vec![0usize; steps.len() + 1];
            for o in &officers {
                at_step[o.next] += 1;
            }
            return Err(format!(
                "{name}: gave up after {}s: {done} of {} officers done, {pushed} updates pushed, \
                 {} replies; officers by steps pushed: {at_step:?}",
                GIVE_UP.as_secs(),
                officers.len(),
                latencies.len()
            ));
        }
        for seen in new_deliveries(fake, &mut cursor).await {
            let Some(&i) = index.get(&seen.chat) else {
                continue;
            };
            last_arrival = last_arrival.max(seen.at);
            let o = &mut officers[i];
            let was_ready = o.ready();
            o.take(seen, &mut latencies);
            if !was_ready && o.ready() {
                if o.done(steps) {
                    done += 1;
                } else {
                    ready.push_back(i);
                }
            }
        }
        match interval {
            None => {
                while let Some(i) = ready.pop_front() {
                    officers[i].push(fake, steps, counts)?;
                    pushed += 1;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Some(every) => {
                let now = Instant::now();
                while slot <= now {
                    match ready.pop_front() {
                        Some(i) => {
                            officers[i].push(fake, steps, counts)?;
                            pushed += 1;
                        }
                        // Nobody can answer now: the slot goes by.
                        None if pushed < officers.len() * steps.len() => missed += 1,
                        None => {}
                    }
                    slot += every;
                }
                let wait = slot
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(1));
                tokio::time::sleep(wait.max(Duration::from_micros(200))).await;
            }
        }
    }
    let wall = last_arrival.saturating_duration_since(start);
    let program_cpu = cpu(w.program.pid()).saturating_sub(program_cpu0);
    let harness_cpu = cpu_self().saturating_sub(harness_cpu0);
    let program_threads = by_thread(&threads0, &threads(w.program.pid()));
    let peak_kb = peak_memory_kb(w.program.pid());
    let items = w.store.counts().await.map_err(|e| e.to_string())?.items;
    w.program.stop().await;
    w.store.close().await;
    if items != officers.len() as i64 {
        return Err(format!(
            "{name}: {items} items stored for {} officers",
            officers.len()
        ));
    }
    Ok(Figures {
        name,
        updates: pushed,
        wall,
        latencies,
        missed,
        items,
        peak_kb,
        program_cpu,
        harness_cpu,
        program_threads,
    })
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

/// User and system CPU time of a process so far (from /proc, at Linux's 100 ticks a second).
fn cpu_of(stat: &str) -> Duration {
    // The fields after the command's closing parenthesis; utime and stime are the 14th and
    // 15th of the whole line, the 12th and 13th after it.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

fn cpu(pid: u32) -> Duration {
    cpu_of(&std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default())
}

/// CPU time of each thread of a process so far, by thread id, with the thread's name.
fn threads(pid: u32) -> HashMap<u32, (String, Duration)> {
    let mut out = HashMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let Some(tid) = task
            .file_name()
            .to_str()
            .and_then(|t| t.parse::<u32>().ok())
        else {
            continue;
        };
        let dir = task.path();
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
        out.insert(tid, (name.trim().to_string(), cpu_of(&stat)));
    }
    out
}

/// The CPU the program's threads used between two looks, by kind of thread (the name without
/// its number), most first. Threads that ended meanwhile are not counted.
fn by_thread(
    before: &HashMap<u32, (String, Duration)>,
    after: &HashMap<u32, (String, Duration)>,
) -> Vec<(String, Duration)> {
    let mut kinds: HashMap<String, Duration> = HashMap::new();
    for (tid, (name, cpu)) in after {
        let earlier = before.get(tid).map_or(Duration::ZERO, |(_, c)| *c);
        let kind = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        *kinds.entry(kind.to_string()).or_default() += cpu.saturating_sub(earlier);
    }
    let mut kinds: Vec<_> = kinds.into_iter().filter(|(_, c)| !c.is_zero()).collect();
    kinds.sort_by_key(|(_, cpu)| std::cmp::Reverse(*cpu));
    kinds
}

fn cpu_self() -> Duration {
    cpu_of(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default())
}

/// The nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|v| {
            v.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .filter(|&n| n > 0)
                .collect::<Vec<usize>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; a filter or other flags are not ours to read.
    let throughput_sizes = sizes("UNIONBOT_LOAD_OFFICERS", &[200, 500]);
    let rate = sizes("UNIONBOT_LOAD_RATE", &[200])[0];
    let rate_officers = sizes("UNIONBOT_LOAD_RATE_OFFICERS", &[300])[0];
    let steps = filing();
    println!(
        "load: `unionbot run` on SQLite against the fake Telegram (127.0.0.1), pacing raised: {}",
        PACING
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "each officer files one item: {} updates (/submit, category, title, body, scope, signer, \
         responsible person, date, copies, confirm)",
        steps.len()
    );
    // Others on the machine take cores from both the program and the harness.
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("load average before: {}", load());
    let counts = match calibrate(&steps).await {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(1);
        }
    };
    println!("deliveries to an officer once each step's reply is complete: {counts:?}");

    let mut runs: Vec<Result<Figures, String>> = Vec::new();
    for &n in &throughput_sizes {
        println!("running: {n} officers, as fast as they are answered ...");
        let w = world(n).await;
        runs.push(drive(format!("{n} officers, flat out"), w, &steps, &counts, None).await);
    }
    println!("running: {rate_officers} officers, {rate} updates a second ...");
    let w = world(rate_officers).await;
    let every = Duration::from_secs_f64(1.0 / rate as f64);
    runs.push(
        drive(
            format!("{rate_officers} officers, {rate}/s"),
            w,
            &steps,
            &counts,
            Some(every),
        )
        .await,
    );

    println!();
    println!(
        "{:<26} {:>7} {:>8} {:>9} {:>8} {:>8} {:>8} {:>9} {:>11} {:>11}",
        "run",
        "updates",
        "wall s",
        "updates/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "peak MB",
        "program cpu",
        "harness cpu"
    );
    let mut failed = false;
    for run in &runs {
        match run {
            Ok(f) => {
                let mut sorted = f.latencies.clone();
                sorted.sort();
                let rate = f.updates as f64 / f.wall.as_secs_f64().max(1e-9);
                println!(
                    "{:<26} {:>7} {:>8.2} {:>9.0} {:>8} {:>8} {:>8} {:>9.1} {:>10.1}s {:>10.1}s",
                    f.name,
                    f.updates,
                    f.wall.as_secs_f64(),
                    rate,
                    ms(percentile(&sorted, 50.0)),
                    ms(percentile(&sorted, 99.0)),
                    ms(sorted.last().copied().unwrap_or_default()),
                    f.peak_kb as f64 / 1024.0,
                    f.program_cpu.as_secs_f64(),
                    f.harness_cpu.as_secs_f64(),
                );
                println!(
                    "  program cpu by thread: {}",
                    f.program_threads
                        .iter()
                        .map(|(kind, cpu)| format!("{kind} {:.1}s", cpu.as_secs_f64()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if f.missed > 0 {
                    println!("  ({} slots of the rate found no officer ready)", f.missed);
                }
                if f.latencies.len() != f.updates || f.items == 0 {
                    println!(
                        "  ({} first replies timed for {} updates)",
                        f.latencies.len(),
                        f.updates
                    );
                }
            }
            Err(e) => {
                failed = true;
                println!("{e}");
            }
        }
    }
    println!("load average after: {}", load());
    println!();
    println!(
        "updates/s: updates pushed / time from the first push to the last reply's arrival; \
         p50/p99/max: push to the first reply's arrival at the fake; peak MB: the program's \
         VmHWM; cpu: user+system time of the program and of this harness (the fake Telegram \
         included) during the run, on {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if failed {
        std::process::exit(1);
    }
}
