//! The scheduler's shell: one step (`run_due(now)`) reads the facts, asks the pure calendar
//! (`crate::schedule`) what is due and not yet run, and records each job with its outbox rows
//! in one transaction; a loop inside `unionbot run` sleeps until the next due time or a stop.
//! It only enqueues: the outbox worker sends, at its pace.

mod facts;
mod run;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::channel::apply::rows_of;
use crate::conversation::{Notice, confirm_choice};
use crate::i18n::split::{MESSAGE_LIMIT, split_message};
use crate::period::Quarter;
use crate::reports::bulletin::preview_message;
use crate::reports::bulletin_issue::{BulletinError, IssuePreview, preview_issue};
use crate::rules::Rules;
use crate::schedule::{self, JobKind, Slot, Subject};
use crate::store::{JobOutcome, JobRecord, NewMessage, Store, StoreError};

pub use facts::{job_facts, known};
pub use run::run;

/// Why a step stopped short; the jobs not run are due again at the next step.
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bulletin(#[from] BulletinError),
}

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepReport {
    /// Jobs run now, each with how many people it reached.
    pub enqueued: Vec<(String, usize)>,
    /// Jobs found stale: recorded, nothing sent.
    pub skipped: Vec<String>,
    /// Jobs that failed: not recorded, due again at the next step.
    pub failed: Vec<String>,
}

/// One line of the preview: a job due in the range, with today's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedJob {
    pub kind: JobKind,
    pub at: DateTime<Utc>,
    pub key: String,
    pub recipients: usize,
    /// Whether the job has run already (then its messages are queued or it was skipped).
    pub done: bool,
    /// When it is of no more use: a job not done by then is skipped, not sent.
    pub stale_at: DateTime<Utc>,
}

/// The earliest instant a step looks back to: the start of the quarter before this one, so a
/// job due late last quarter and still of use (a missed commission's notice, of use for a
/// week) is not lost at the turn of the quarter.
fn look_back(rules: &Rules, now: DateTime<Utc>) -> DateTime<Utc> {
    let zone = rules.zone();
    let previous = Quarter::of_instant(now, zone).previous();
    crate::period::start_of_day(previous.first_day(), zone)
}

/// Runs every job due at `now` that has not run: a stale one is recorded as skipped (and told
/// in the log once), any other one is recorded with its messages in one transaction. In quiet
/// hours it does nothing: what falls due waits for the morning. Safe to run twice, or in two
/// processes at once: a job is recorded once, and only the process that recorded it queues.
pub async fn run_due(
    store: &Store,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<StepReport, SchedulerError> {
    let mut report = StepReport::default();
    if rules
        .calendar
        .is_quiet(now.with_timezone(&rules.zone()).time())
    {
        return Ok(report);
    }
    let known = known(store).await?;
    let due = schedule::slots(rules, &known, look_back(rules, now), now);
    for slot in due.iter().filter(|s| !known.done.contains(&s.key)) {
        // One job that fails (a database error, a bulletin that cannot be read) holds up no
        // other: it is logged and due again at the next step.
        if let Err(e) = run_job(store, rules, slot, now, &mut report).await {
            tracing::warn!(job = %slot.key, error = %e, "a scheduled job failed; it is tried again");
            report.failed.push(slot.key.clone());
        }
    }
    Ok(report)
}

/// Runs one due job: recorded as skipped when stale, else recorded with its messages.
async fn run_job(
    store: &Store,
    rules: &Rules,
    slot: &Slot,
    now: DateTime<Utc>,
    report: &mut StepReport,
) -> Result<(), SchedulerError> {
    let record = |outcome| JobRecord {
        key: &slot.key,
        kind: slot.kind.code(),
        due_at: slot.at,
        outcome,
    };
    if now >= slot.stale_at {
        if store
            .run_job(&record(JobOutcome::Skipped), &[], 0, now)
            .await?
        {
            tracing::info!(job = %slot.key, due = %slot.at, "a job went stale before it could run: skipped");
            report.skipped.push(slot.key.clone());
        }
        return Ok(());
    }
    let facts = job_facts(store, rules, slot).await?;
    if let Subject::Bulletin { quarter } = &slot.subject {
        let messages = bulletin_preview(store, rules, slot, *quarter, &facts, now).await?;
        let reached = match messages.is_empty() {
            true => 0,
            false => schedule::recipients(rules, slot, &facts).len(),
        };
        if store
            .run_job(&record(JobOutcome::Enqueued), &messages, reached, now)
            .await?
        {
            tracing::info!(job = %slot.key, reached, "the bulletin's preview went to the office");
            report.enqueued.push((slot.key.clone(), reached));
        }
        return Ok(());
    }
    let messages = messages(rules, slot, &facts);
    let reached = schedule::recipients(rules, slot, &facts).len();
    if store
        .run_job(&record(JobOutcome::Enqueued), &messages, reached, now)
        .await?
    {
        tracing::info!(job = %slot.key, messages = messages.len(), "a scheduled job queued its messages");
        report.enqueued.push((slot.key.clone(), reached));
    }
    Ok(())
}

/// The outbox rows of a job: one per recipient (more where a long guidance is split under
/// Telegram's 4,096 characters), keyed by the job and the person, bulk (they give way to
/// replies) and tagged with the job, so the sender can sum up who was unreachable.
fn messages(rules: &Rules, slot: &Slot, facts: &schedule::JobFacts) -> Vec<NewMessage> {
    let mut out = Vec::new();
    for d in schedule::deliveries(rules, slot, facts) {
        for (i, part) in split_message(&d.text, MESSAGE_LIMIT)
            .into_iter()
            .enumerate()
        {
            let key = match i {
                0 => format!("{}:{}", slot.key, d.person),
                n => format!("{}:{}:p{}", slot.key, d.person, n + 1),
            };
            out.push(NewMessage {
                batch: Some(slot.key.clone()),
                bulk: true,
                ..NewMessage::text(key, d.chat, part)
            });
        }
    }
    out
}

/// The bulletin day's messages: the quarter's bulletin as it would be issued, with its number,
/// its recipients and the 确认印发 button (仍要印发 for a quarter with no filing), to every
/// office member in their language. Nothing is issued: the office's press issues it. A quarter
/// the office issued already needs no preview.
async fn bulletin_preview(
    store: &Store,
    rules: &Rules,
    slot: &Slot,
    quarter: Quarter,
    facts: &schedule::JobFacts,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, SchedulerError> {
    let IssuePreview::Fresh {
        bulletin,
        heads,
        office,
        empty,
    } = preview_issue(store, rules, quarter, now, None).await?
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for member in schedule::recipients(rules, slot, facts) {
        let notice = Notice {
            key: format!("{}:preview:{}", slot.key, member.person),
            to: member.chat,
            text: preview_message(&bulletin, member.locale, heads, office, empty),
            choices: vec![vec![confirm_choice(member.locale, quarter, empty)]],
        };
        out.extend(rows_of(&notice).into_iter().map(|row| NewMessage {
            batch: Some(slot.key.clone()),
            bulk: true,
            ..row
        }));
    }
    Ok(out)
}

/// Every job due from `from` to `to`, with how many people each reaches on today's data;
/// nothing is sent or recorded.
pub async fn preview(
    store: &Store,
    rules: &Rules,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PlannedJob>, StoreError> {
    let known = known(store).await?;
    let mut out = Vec::new();
    for slot in schedule::slots(rules, &known, from, to) {
        let facts = job_facts(store, rules, &slot).await?;
        // A bulletin the office issued early is done though the scheduler never ran it.
        let issued = match &slot.subject {
            Subject::Bulletin { quarter } => store.bulletin(*quarter).await?.is_some(),
            _ => false,
        };
        out.push(PlannedJob {
            kind: slot.kind,
            at: slot.at,
            recipients: schedule::recipients(rules, &slot, &facts).len(),
            done: issued || known.done.contains(&slot.key),
            stale_at: slot.stale_at,
            key: slot.key,
        });
    }
    Ok(out)
}

/// When the next job falls due after `now` (within the next half-year), if any.
pub async fn next_due(
    store: &Store,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let known = known(store).await?;
    let horizon = now + chrono::Duration::days(190);
    Ok(schedule::slots(rules, &known, now, horizon)
        .into_iter()
        .filter(|s| s.at > now && !known.done.contains(&s.key))
        .map(|s| s.at)
        .min())
}

/// The guidance of the quarter `now` falls in, for someone who joined after it went out: the
/// messages the broadcast would have queued for them, under the same keys (so one who was in
/// the broadcast gets nothing twice). None before the quarter's guidance went out: the
/// broadcast then reaches them.
pub async fn guidance_for_newcomer(
    store: &Store,
    rules: &Rules,
    person: i64,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, StoreError> {
    let known = known(store).await?;
    let zone = rules.zone();
    let quarter = Quarter::of_instant(now, zone);
    let from = crate::period::start_of_day(quarter.first_day(), zone);
    let Some(slot) = schedule::slots(rules, &known, from, now)
        .into_iter()
        .filter(|s| matches!(s.subject, Subject::Guidance { quarter: q, .. } if q == quarter))
        .find(|s| known.done.contains(&s.key))
    else {
        return Ok(Vec::new());
    };
    let mut facts = job_facts(store, rules, &slot).await?;
    facts.members.retain(|m| m.person == person);
    // A newcomer never had the list before: it is the guidance to them, not a correction.
    let slot = Slot {
        kind: JobKind::Guidance,
        ..slot
    };
    Ok(messages(rules, &slot, &facts))
}
