//! Urgent reports (紧急信息, §2(2)): the first message stored at once as the report, numbered
//! follow-ups, the office's acknowledgements and requests, voiding, closing, and reading events
//! back. Each fact given is stored by `urgent_facts`; the late flag's decision is `urgent_late`.
//!
//! Every write has an `_on` form that runs inside a transaction the caller holds, so that the
//! chat can commit a report together with its alerts' outbox rows (see
//! [`super::commit_update_on`]); the `Store` methods are the same writes in a transaction of
//! their own. Urgent reports are confidential: nothing here logs their text.

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::Store;
use super::error::{Result, StoreError};
use super::intake::{UpdateOutcome, commit_update_on};
use super::sql::{get, instant, read_instant};
use crate::domain::UnitId;
use crate::forms::extract::Qualifier;
use crate::records::{Problem, Recorder};
use crate::rules::UrgentRules;

use super::urgent_facts::{insert_history, record_urgent_fact_on, report_changes};
use crate::records::urgent_change::{
    CLOCK_SKEW_MINUTES, FactChange, FactName, Origin, Refusal, Taken,
};

use crate::records::urgent::qualifier_code;
pub use crate::records::urgent::{
    FollowUpOutcome, LateDecision, LateFlag, NewFollowUp, NewUrgentReport, OfficeAct,
    PeopleInvolved, ReportedUrgent, UrgentDetail, UrgentEvent, UrgentFacts, UrgentFollowUp,
    is_late,
};

fn read_qualifier(text: &str) -> Result<Qualifier> {
    Ok(match text {
        "exact" => Qualifier::Exact,
        "about" => Qualifier::About,
        "more_than" => Qualifier::MoreThan,
        "nearly" => Qualifier::Nearly,
        "range" => Qualifier::Range,
        _ => {
            return Err(StoreError::BadValue {
                column: "people_qualifier",
                value: text.to_string(),
            });
        }
    })
}

/// A text fact trimmed; an empty one is no fact.
fn fact(text: &Option<String>) -> Option<String> {
    text.as_ref()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

pub(super) fn required(column: &'static str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid {
            column,
            problem: Problem::Empty,
        });
    }
    Ok(text.to_string())
}

/// An event time after the report (beyond a slow clock's minutes) is refused: it had not
/// happened when it was reported, and it would hide a late report.
fn check_event_time(event_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> Result<()> {
    if event_at > reported_at + Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(StoreError::Invalid {
            column: "event_at",
            problem: Problem::InFuture {
                value: event_at.to_rfc3339(),
            },
        });
    }
    Ok(())
}

/// The people columns' values: count, upper, qualifier, words.
type PeopleValues = (Option<i64>, Option<i64>, Option<String>, Option<String>);

pub(super) fn people_values(people: &Option<PeopleInvolved>) -> PeopleValues {
    match people {
        None => (None, None, None, None),
        Some(p) => (
            Some(i64::from(p.count)),
            p.upper.map(i64::from).filter(|u| *u >= i64::from(p.count)),
            Some(qualifier_code(p.qualifier).to_string()),
            Some(p.words.trim().to_string()).filter(|w| !w.is_empty()),
        ),
    }
}

fn read_people(row: &AnyRow) -> Result<Option<PeopleInvolved>> {
    let count: Option<i64> = get(row, "people_count")?;
    let Some(count) = count else {
        return Ok(None);
    };
    let qualifier: Option<String> = get(row, "people_qualifier")?;
    let upper: Option<i64> = get(row, "people_upper")?;
    let bad = |value: i64| StoreError::BadValue {
        column: "people_count",
        value: value.to_string(),
    };
    Ok(Some(PeopleInvolved {
        count: u32::try_from(count).map_err(|_| bad(count))?,
        upper: upper
            .map(|u| u32::try_from(u).map_err(|_| bad(u)))
            .transpose()?,
        qualifier: read_qualifier(qualifier.as_deref().unwrap_or_default())?,
        words: get::<Option<String>>(row, "people_words")?.unwrap_or_default(),
    }))
}

fn read_optional_instant(column: &'static str, row: &AnyRow) -> Result<Option<DateTime<Utc>>> {
    get::<Option<i64>>(row, column)?
        .map(|s| read_instant(column, s))
        .transpose()
}

const SELECT_EVENTS: &str = "SELECT e.id, e.unit_id, u.code AS unit_code, u.name AS unit_name, \
     e.reported_by, p.name AS reporter_name, e.first_text, e.reported_at, e.last_report_at, \
     e.event_at, e.place, e.people_count, e.people_upper, e.people_qualifier, e.people_words, \
     e.cause, e.measures, e.status, e.late, e.late_decided_by, e.late_decided_at, \
     e.late_reason, e.late_veto_id, e.closed_at, e.closed_by, e.voided_at, e.voided_by, \
     e.void_reason, e.by_phone, \
     (SELECT COUNT(*) FROM urgent_followups f WHERE f.event_id = e.id) AS followups \
     FROM urgent_events e JOIN units u ON u.id = e.unit_id \
     LEFT JOIN people p ON p.id = e.reported_by";

fn event_from_row(row: &AnyRow) -> Result<UrgentEvent> {
    let late: String = get(row, "late")?;
    Ok(UrgentEvent {
        id: get(row, "id")?,
        unit: get(row, "unit_id")?,
        unit_code: get(row, "unit_code")?,
        unit_name: get(row, "unit_name")?,
        reported_by: get(row, "reported_by")?,
        reporter_name: get(row, "reporter_name")?,
        text: get(row, "first_text")?,
        reported_at: read_instant("reported_at", get(row, "reported_at")?)?,
        last_report_at: read_instant("last_report_at", get(row, "last_report_at")?)?,
        facts: UrgentFacts {
            event_at: read_optional_instant("event_at", row)?,
            place: get(row, "place")?,
            people: read_people(row)?,
            cause: get(row, "cause")?,
            measures: get(row, "measures")?,
            status: get(row, "status")?,
        },
        late: LateFlag::parse(&late).ok_or(StoreError::BadValue {
            column: "late",
            value: late.clone(),
        })?,
        late_decided_by: get(row, "late_decided_by")?,
        late_decided_at: read_optional_instant("late_decided_at", row)?,
        late_reason: get(row, "late_reason")?,
        late_veto: get(row, "late_veto_id")?,
        closed_at: read_optional_instant("closed_at", row)?,
        closed_by: get(row, "closed_by")?,
        followups: get(row, "followups")?,
        voided_at: read_optional_instant("voided_at", row)?,
        voided_by: get(row, "voided_by")?,
        void_reason: get(row, "void_reason")?,
        by_phone: get::<i64>(row, "by_phone")? == 1,
    })
}

pub(super) fn not_found(event: i64) -> StoreError {
    StoreError::NotFound {
        what: "urgent event",
        key: event.to_string(),
    }
}

/// Locks an event's row until the transaction ends (PostgreSQL; on SQLite the write
/// transaction holds the whole database already), so that two follow-ups are not given the
/// same number and two office members do not both decide one flag. False when there is no
/// such event.
pub(super) async fn lock_event(conn: &mut AnyConnection, event: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE urgent_events SET late = late WHERE id = $1")
        .bind(event)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn event_on(conn: &mut AnyConnection, event: i64) -> Result<Option<UrgentEvent>> {
    sqlx::query(&format!("{SELECT_EVENTS} WHERE e.id = $1"))
        .bind(event)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(event_from_row)
        .transpose()
}

/// Stores the first message of an urgent report under its key, with the facts drawn out of it
/// and its late flag when the event time is known; a key stored before stores nothing and
/// gives the stored report.
pub async fn report_urgent_on(
    conn: &mut AnyConnection,
    rules: &UrgentRules,
    report: &NewUrgentReport,
) -> Result<ReportedUrgent> {
    let key = required("report_key", &report.key)?;
    let text = required("text", &report.text)?;
    if let Some(found) = report_by_key(conn, &key).await? {
        return Ok(found);
    }
    let facts = &report.facts;
    if let Some(event_at) = facts.event_at {
        check_event_time(event_at, report.reported_at)?;
    }
    let late = match facts.event_at {
        Some(event_at) if is_late(rules, event_at, report.reported_at) => LateFlag::Flagged,
        _ => LateFlag::None,
    };
    let (count, upper, qualifier, words) = people_values(&facts.people);
    let at = instant(report.reported_at);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO urgent_events (report_key, unit_id, reported_by, first_text, reported_at, \
             last_report_at, event_at, place, people_count, people_upper, people_qualifier, \
             people_words, cause, measures, status, late, recorded_at, by_phone, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18) \
         ON CONFLICT (report_key) DO NOTHING RETURNING id",
    )
    .bind(key.clone())
    .bind(report.unit)
    .bind(report.reported_by)
    .bind(text)
    .bind(at)
    .bind(facts.event_at.map(instant))
    .bind(fact(&facts.place))
    .bind(count)
    .bind(upper)
    .bind(qualifier)
    .bind(words)
    .bind(fact(&facts.cause))
    .bind(fact(&facts.measures))
    .bind(fact(&facts.status))
    .bind(late.code())
    .bind(super::sql::now())
    .bind(i64::from(report.by_phone))
    .bind(report.recorded_by.clone())
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => {
            // Every fact of the first message is the first entry of its history.
            let changes = report_changes(id, &key, facts, report.reported_by, report.reported_at);
            for change in &changes {
                let raised = change.fact == FactName::EventTime && late == LateFlag::Flagged;
                insert_history(conn, change, raised).await?;
            }
            tracing::debug!(
                event = id,
                unit = report.unit,
                "an urgent report was stored"
            );
            Ok(ReportedUrgent {
                id,
                created: true,
                late,
            })
        }
        // Stored this very moment by another transaction under the same key (PostgreSQL).
        None => report_by_key(conn, &key)
            .await?
            .ok_or(StoreError::NotFound {
                what: "urgent report",
                key,
            }),
    }
}

async fn report_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<ReportedUrgent>> {
    let row = sqlx::query("SELECT id, late FROM urgent_events WHERE report_key = $1")
        .bind(key.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| {
        let late: String = get(&row, "late")?;
        Ok(ReportedUrgent {
            id: get(&row, "id")?,
            created: false,
            late: LateFlag::parse(&late).ok_or(StoreError::BadValue {
                column: "late",
                value: late,
            })?,
        })
    })
    .transpose()
}

/// Adds a follow-up to an open event, numbered after the event's last one, and makes its
/// changed facts the event's current ones; the final report (终报) closes the event, recorded
/// as closed by `by`. A key stored before stores nothing and gives the stored follow-up.
pub async fn add_urgent_followup_on(
    conn: &mut AnyConnection,
    rules: &UrgentRules,
    followup: &NewFollowUp,
    by: &Recorder,
) -> Result<FollowUpOutcome> {
    let key = required("report_key", &followup.key)?;
    let text = required("text", &followup.text)?;
    if let Some(found) = followup_by_key(conn, &key).await? {
        return Ok(found);
    }
    let event = followup.event;
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM urgent_events WHERE id = $1 AND closed_at IS NULL \
             AND voided_at IS NULL",
    )
    .bind(event)
    .fetch_optional(&mut *conn)
    .await?;
    if open.is_none() {
        return Ok(FollowUpOutcome::EventClosed);
    }
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM urgent_followups WHERE event_id = $1",
    )
    .bind(event)
    .fetch_one(&mut *conn)
    .await?;
    let (count, upper, qualifier, words) = people_values(&followup.people);
    let at = instant(followup.reported_at);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO urgent_followups (report_key, event_id, number, final, text, reported_by, \
             reported_at, people_count, people_upper, people_qualifier, people_words, measures, \
             status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (report_key) DO NOTHING RETURNING id",
    )
    .bind(key.clone())
    .bind(event)
    .bind(number)
    .bind(i64::from(followup.final_report))
    .bind(text)
    .bind(followup.reported_by)
    .bind(at)
    .bind(count)
    .bind(upper)
    .bind(qualifier)
    .bind(words)
    .bind(fact(&followup.measures))
    .bind(fact(&followup.status))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else {
        return followup_by_key(conn, &key)
            .await?
            .ok_or(StoreError::NotFound {
                what: "urgent follow-up",
                key,
            });
    };
    // The reminder is counted from the latest report, whichever order they were stored in.
    sqlx::query(
        "UPDATE urgent_events SET \
             last_report_at = CASE WHEN last_report_at < $1 THEN $1 ELSE last_report_at END \
         WHERE id = $2",
    )
    .bind(at)
    .bind(event)
    .execute(&mut *conn)
    .await?;
    let (raised_flag, other_time) = followup_facts(conn, rules, followup, number).await?;
    if followup.final_report {
        close(conn, event, by, followup.reported_at).await?;
    }
    tracing::debug!(event, number, "an urgent follow-up was stored");
    Ok(FollowUpOutcome::Stored {
        id,
        number,
        created: true,
        closed: followup.final_report,
        raised_flag,
        other_time,
    })
}

/// A follow-up's facts into the event's history: what changed (people, measures, status) as
/// the follow-up's, and the facts the event still lacked (time, place, cause) supplied by it.
/// A time that cannot be taken (after the report) is left in the follow-up's words. Whether
/// the time supplied raised the late flag, and a time given that differs from the known one.
async fn followup_facts(
    conn: &mut AnyConnection,
    rules: &UrgentRules,
    followup: &NewFollowUp,
    number: i64,
) -> Result<(bool, Option<DateTime<Utc>>)> {
    let stored = event_on(conn, followup.event)
        .await?
        .ok_or_else(|| not_found(followup.event))?;
    let known = &stored.facts;
    let other_time = followup
        .event_at
        .filter(|at| known.event_at.is_some_and(|known| known != *at));
    let offered = UrgentFacts {
        event_at: followup.event_at.filter(|_| known.event_at.is_none()),
        place: followup.place.clone().filter(|_| known.place.is_none()),
        cause: followup.cause.clone().filter(|_| known.cause.is_none()),
        people: followup.people.clone(),
        measures: followup.measures.clone(),
        status: followup.status.clone(),
    };
    let mut raised = false;
    for (fact, value) in crate::records::urgent_change::given(&offered) {
        let change = FactChange {
            key: format!("{}:{}", followup.key, fact.code()),
            event: followup.event,
            fact,
            value,
            origin: Origin::FollowUp(number),
            by_person: followup.reported_by,
            by: None,
            at: followup.reported_at,
            reason: None,
        };
        if let Ok(taken) = record_urgent_fact_on(conn, rules, &change).await? {
            raised |= taken.raised_flag;
        }
    }
    Ok((raised, other_time))
}

async fn followup_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<FollowUpOutcome>> {
    let row = sqlx::query("SELECT id, number, final FROM urgent_followups WHERE report_key = $1")
        .bind(key.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let found = row
        .map(|row| {
            let closed: i64 = get(&row, "final")?;
            Ok::<_, StoreError>((
                get::<i64>(&row, "id")?,
                get::<i64>(&row, "number")?,
                closed == 1,
            ))
        })
        .transpose()?;
    let Some((id, number, closed)) = found else {
        return Ok(None);
    };
    // What its time did then, so a redelivery alerts as the first delivery did.
    let raised: Option<i64> =
        sqlx::query_scalar("SELECT raised_flag FROM urgent_fact_changes WHERE change_key = $1")
            .bind(format!("{key}:{}", FactName::EventTime.code()))
            .fetch_optional(&mut *conn)
            .await?;
    Ok(Some(FollowUpOutcome::Stored {
        id,
        number,
        created: false,
        closed,
        raised_flag: raised == Some(1),
        other_time: None,
    }))
}

async fn close(
    conn: &mut AnyConnection,
    event: i64,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE urgent_events SET closed_at = $1, closed_by = $2 \
         WHERE id = $3 AND closed_at IS NULL",
    )
    .bind(instant(at))
    .bind(by.0.clone())
    .bind(event)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an event (`/close`, by its officer or the office): no more follow-ups or reminders.
/// False when it was closed already.
pub async fn close_urgent_on(
    conn: &mut AnyConnection,
    event: i64,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<bool> {
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    close(conn, event, by, at).await
}

/// Voids a report the office found filed by mistake (误报, a test), with its reason: it leaves
/// the open events (no reminders), a raised flag is lowered (no lateness: the office's own
/// act), and it stays in the history. A confirmed veto stands: the office retracts it apart.
/// False when it was voided already.
pub async fn void_urgent_on(
    conn: &mut AnyConnection,
    event: i64,
    reason: &str,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<bool> {
    let reason = required("reason", reason)?;
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    let done = sqlx::query(
        "UPDATE urgent_events SET voided_at = $1, voided_by = $2, void_reason = $3, \
             late = CASE WHEN late = 'flagged' THEN 'none' ELSE late END \
         WHERE id = $4 AND voided_at IS NULL",
    )
    .bind(instant(at))
    .bind(by.0.clone())
    .bind(reason)
    .bind(event)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that an office member acknowledged an event's alert; false when they had before.
pub async fn acknowledge_urgent_on(
    conn: &mut AnyConnection,
    event: i64,
    person: i64,
    at: DateTime<Utc>,
) -> Result<bool> {
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    let done = sqlx::query(
        "INSERT INTO urgent_acks (event_id, person_id, acked_at) VALUES ($1, $2, $3) \
         ON CONFLICT (event_id, person_id) DO NOTHING",
    )
    .bind(event)
    .bind(person)
    .bind(instant(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that an office member asked the unit for a follow-up, under the key of the button
/// press; false when that press was recorded before.
pub async fn ask_urgent_followup_on(
    conn: &mut AnyConnection,
    key: &str,
    event: i64,
    person: i64,
    at: DateTime<Utc>,
) -> Result<bool> {
    let key = required("request_key", key)?;
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    let done = sqlx::query(
        "INSERT INTO urgent_followup_requests (request_key, event_id, asked_by, asked_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (request_key) DO NOTHING",
    )
    .bind(key)
    .bind(event)
    .bind(person)
    .bind(instant(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Voids a report (see [`void_urgent_on`]) in a transaction of its own.
    pub async fn void_urgent(
        &self,
        event: i64,
        reason: &str,
        by: &Recorder,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let voided = void_urgent_on(&mut tx, event, reason, by, at).await?;
        tx.commit().await?;
        Ok(voided)
    }

    /// Stores an urgent report's first message (see [`report_urgent_on`]) in a transaction of
    /// its own.
    pub async fn report_urgent(
        &self,
        rules: &UrgentRules,
        report: &NewUrgentReport,
    ) -> Result<ReportedUrgent> {
        let mut tx = self.begin_write().await?;
        let reported = report_urgent_on(&mut tx, rules, report).await?;
        tx.commit().await?;
        Ok(reported)
    }

    /// Stores an urgent report and commits the update's outcome that `alerts` makes from it
    /// (its alerts to every office member as outbox rows, the dialogue, the handled mark) in
    /// one transaction: the report is never stored without its alerts, nor alerted unstored.
    /// Returns the report and how many messages were queued now.
    pub async fn commit_urgent_report(
        &self,
        rules: &UrgentRules,
        report: &NewUrgentReport,
        now: DateTime<Utc>,
        alerts: impl FnOnce(&ReportedUrgent) -> UpdateOutcome,
    ) -> Result<(ReportedUrgent, usize)> {
        let mut tx = self.begin_write().await?;
        let reported = report_urgent_on(&mut tx, rules, report).await?;
        let outcome = alerts(&reported);
        let queued = commit_update_on(&mut tx, &outcome, now).await?;
        tx.commit().await?;
        Ok((reported, queued))
    }

    /// Stores one fact given to an event (see [`record_urgent_fact_on`]) in a transaction of
    /// its own.
    pub async fn record_urgent_fact(
        &self,
        rules: &UrgentRules,
        change: &FactChange,
    ) -> Result<std::result::Result<Taken, Refusal>> {
        let mut tx = self.begin_write().await?;
        let taken = record_urgent_fact_on(&mut tx, rules, change).await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// Adds a follow-up (see [`add_urgent_followup_on`]).
    pub async fn add_urgent_followup(
        &self,
        rules: &UrgentRules,
        followup: &NewFollowUp,
        by: &Recorder,
    ) -> Result<FollowUpOutcome> {
        let mut tx = self.begin_write().await?;
        let outcome = add_urgent_followup_on(&mut tx, rules, followup, by).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Closes an event; false when it was closed already.
    pub async fn close_urgent(&self, event: i64, by: &Recorder, at: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let closed = close_urgent_on(&mut tx, event, by, at).await?;
        tx.commit().await?;
        Ok(closed)
    }

    /// Records an office member's acknowledgement; false when recorded before.
    pub async fn acknowledge_urgent(
        &self,
        event: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let new = acknowledge_urgent_on(&mut tx, event, person, at).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Records the office asking for a follow-up; false when that press was recorded before.
    pub async fn ask_urgent_followup(
        &self,
        key: &str,
        event: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let new = ask_urgent_followup_on(&mut tx, key, event, person, at).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Urgent events newest first: the open ones, or every one with `include_closed`; of one
    /// unit only when `unit` is given (a unit's members see their own unit's alone).
    pub async fn urgent_events(
        &self,
        unit: Option<UnitId>,
        include_closed: bool,
    ) -> Result<Vec<UrgentEvent>> {
        // A voided report is kept in the history, never among the open ones.
        let open = if include_closed {
            "TRUE"
        } else {
            "e.closed_at IS NULL AND e.voided_at IS NULL"
        };
        let rows = sqlx::query(&format!(
            "{SELECT_EVENTS} WHERE {open} AND ($1 IS NULL OR e.unit_id = $1) \
             ORDER BY e.reported_at DESC, e.id DESC"
        ))
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The open urgent events, newest first, of one unit or of all.
    pub async fn open_urgent(&self, unit: Option<UnitId>) -> Result<Vec<UrgentEvent>> {
        self.urgent_events(unit, false).await
    }

    /// One event with its follow-ups (in their order), acknowledgements and requests.
    pub async fn urgent_event(&self, event: i64) -> Result<Option<UrgentDetail>> {
        let mut tx = self.begin_read().await?;
        let Some(found) = event_on(&mut tx, event).await? else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT f.id, f.number, f.final, f.text, f.reported_by, p.name AS reporter_name, \
                 f.reported_at, f.people_count, f.people_upper, f.people_qualifier, \
                 f.people_words, f.measures, f.status \
             FROM urgent_followups f LEFT JOIN people p ON p.id = f.reported_by \
             WHERE f.event_id = $1 ORDER BY f.number",
        )
        .bind(event)
        .fetch_all(&mut *tx)
        .await?;
        let followups = rows
            .iter()
            .map(|row| {
                let final_report: i64 = get(row, "final")?;
                Ok(UrgentFollowUp {
                    id: get(row, "id")?,
                    number: get(row, "number")?,
                    final_report: final_report == 1,
                    text: get(row, "text")?,
                    reported_by: get(row, "reported_by")?,
                    reporter_name: get(row, "reporter_name")?,
                    reported_at: read_instant("reported_at", get(row, "reported_at")?)?,
                    people: read_people(row)?,
                    measures: get(row, "measures")?,
                    status: get(row, "status")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let acks = office_acts(
            &mut tx,
            "SELECT a.person_id AS person, p.name, a.acked_at AS at FROM urgent_acks a \
             JOIN people p ON p.id = a.person_id WHERE a.event_id = $1 \
             ORDER BY a.acked_at, a.person_id",
            event,
        )
        .await?;
        let requests = office_acts(
            &mut tx,
            "SELECT r.asked_by AS person, p.name, r.asked_at AS at \
             FROM urgent_followup_requests r JOIN people p ON p.id = r.asked_by \
             WHERE r.event_id = $1 ORDER BY r.asked_at, r.id",
            event,
        )
        .await?;
        let changes = super::urgent_facts::changes_on(&mut tx, event).await?;
        Ok(Some(UrgentDetail {
            event: found,
            followups,
            acks,
            requests,
            changes,
        }))
    }

    /// The open events as the follow-up reminders need them (the scheduler's facts), with the
    /// facts each still lacks.
    pub async fn open_urgent_events(&self) -> Result<Vec<crate::schedule::OpenUrgent>> {
        Ok(self
            .open_urgent(None)
            .await?
            .into_iter()
            .map(|e| crate::schedule::OpenUrgent {
                reported_at: e.reported_at,
                id: e.id,
                unit: e.unit,
                followups: u32::try_from(e.followups).unwrap_or(u32::MAX),
                last_report_at: e.last_report_at,
                missing: e.facts.missing(),
            })
            .collect())
    }
}

async fn office_acts(conn: &mut AnyConnection, select: &str, event: i64) -> Result<Vec<OfficeAct>> {
    let rows = sqlx::query(select)
        .bind(event)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(OfficeAct {
                person: get(row, "person")?,
                name: get(row, "name")?,
                at: read_instant("at", get(row, "at")?)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_report_more_than_the_limit_after_the_event_is_late_and_one_at_the_limit_is_not() {
        let rules = UrgentRules::default();
        let event = Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap();
        assert!(!is_late(&rules, event, event + Duration::minutes(60)));
        assert!(is_late(&rules, event, event + Duration::minutes(61)));
        assert!(!is_late(&rules, event, event));
    }

    #[test]
    fn the_facts_missing_are_named_in_the_order_of_the_rules() {
        let facts = UrgentFacts {
            place: Some("港区".into()),
            measures: Some("已到场".into()),
            ..UrgentFacts::default()
        };
        assert_eq!(
            facts.missing(),
            vec!["event_time", "people", "cause", "status"]
        );
    }

    #[test]
    fn every_late_flag_reads_back_from_its_code() {
        for flag in LateFlag::ALL {
            assert_eq!(LateFlag::parse(flag.code()), Some(*flag));
        }
    }

    #[test]
    fn every_qualifier_reads_back_from_its_code() {
        use Qualifier::*;
        for q in [Exact, About, MoreThan, Nearly, Range] {
            assert_eq!(read_qualifier(qualifier_code(q)).ok(), Some(q));
        }
    }
}
