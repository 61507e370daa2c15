//! Fault points for the crash tests: `UNIONBOT_FAULT=<point>[:<n>]` makes the process abort —
//! as abruptly as a SIGKILL, no destructor runs — the n-th time (default the first) it reaches
//! that point. Unset, as in every deployment, a point costs one atomic load.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The variable naming the fault point.
pub const FAULT_VAR: &str = "UNIONBOT_FAULT";

struct Fault {
    point: String,
    at: u64,
    seen: AtomicU64,
}

static FAULT: LazyLock<Option<Fault>> = LazyLock::new(|| {
    let spec = std::env::var(FAULT_VAR).ok()?;
    let (point, at) = match spec.split_once(':') {
        Some((point, n)) => (point.to_string(), n.trim().parse().unwrap_or(1)),
        None => (spec, 1),
    };
    Some(Fault {
        point: point.trim().to_string(),
        at: at.max(1),
        seen: AtomicU64::new(0),
    })
});

/// Aborts here if the fault names this point and this is the n-th time it is reached.
pub fn point(name: &str) {
    let Some(fault) = FAULT.as_ref() else { return };
    if fault.point != name {
        return;
    }
    if fault.seen.fetch_add(1, Ordering::SeqCst) + 1 == fault.at {
        eprintln!("fault point {name} reached: aborting");
        std::process::abort();
    }
}
