//! An urgent event's facts, each stored the moment it is given (the first message, an answer,
//! a follow-up, the office's correction) under the key of the message it came in, judged by
//! the pure rule of `records::urgent_change`, with the event's current value updated and its
//! late flag raised in the same transaction; and the history of every fact, as shown.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::error::{Result, StoreError};
use super::sql::{get, instant, read_instant};
use super::urgent::{event_on, lock_event, not_found, people_values};
use crate::records::urgent::StoredChange;
use crate::records::urgent_change::{
    FactChange, FactName, FactValue, Origin, Refusal, Taken, judge,
};
use crate::rules::UrgentRules;

/// A fact change as it is kept: its value as read, and the instant of an event time.
fn shown_value(value: &FactValue) -> (String, Option<i64>) {
    match value {
        // The instant is the value; the text column holds it in UTC for the record's sake.
        FactValue::Time(at) => (at.to_rfc3339(), Some(instant(*at))),
        FactValue::People(p) => (p.words.trim().to_string(), None),
        FactValue::Text(t) => (t.trim().to_string(), None),
    }
}

/// Writes the change to the history and the event's current value. The caller has judged it.
pub(super) async fn write_change(
    conn: &mut AnyConnection,
    change: &FactChange,
    raised_flag: bool,
) -> Result<()> {
    insert_history(conn, change, raised_flag).await?;
    set_current(conn, change).await
}

/// Writes the change to the event's history alone (a first report's facts, whose values the
/// event row was created with).
pub(super) async fn insert_history(
    conn: &mut AnyConnection,
    change: &FactChange,
    raised_flag: bool,
) -> Result<()> {
    let (value, event_at) = shown_value(&change.value);
    if value.is_empty() {
        return Err(StoreError::Invalid {
            column: "value",
            problem: crate::records::Problem::Empty,
        });
    }
    let number = match change.origin {
        Origin::FollowUp(n) => Some(n),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, event_at, origin, \
             followup_number, changed_by_person, changed_by, changed_at, reason, raised_flag) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (change_key) DO NOTHING",
    )
    .bind(change.key.clone())
    .bind(change.event)
    .bind(change.fact.code())
    .bind(value.clone())
    .bind(event_at)
    .bind(change.origin.code())
    .bind(number)
    .bind(change.by_person)
    .bind(change.by.clone())
    .bind(instant(change.at))
    .bind(change.reason.clone())
    .bind(i64::from(raised_flag))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Makes the change the event's current value of its fact.
async fn set_current(conn: &mut AnyConnection, change: &FactChange) -> Result<()> {
    let (value, event_at) = shown_value(&change.value);
    // The column is one of six fixed names, never a person's input.
    let column = match change.fact {
        FactName::EventTime => "event_at",
        FactName::Place => "place",
        FactName::Cause => "cause",
        FactName::Measures => "measures",
        FactName::Status => "status",
        FactName::People => {
            let FactValue::People(people) = &change.value else {
                return Err(StoreError::BadValue {
                    column: "people",
                    value,
                });
            };
            let (count, upper, qualifier, words) = people_values(&Some(people.clone()));
            sqlx::query(
                "UPDATE urgent_events SET people_count = $1, people_upper = $2, \
                     people_qualifier = $3, people_words = $4 WHERE id = $5",
            )
            .bind(count)
            .bind(upper)
            .bind(qualifier)
            .bind(words)
            .bind(change.event)
            .execute(&mut *conn)
            .await?;
            return Ok(());
        }
    };
    let query = format!("UPDATE urgent_events SET {column} = $1 WHERE id = $2");
    let bound = sqlx::query(&query);
    let bound = match event_at {
        Some(at) => bound.bind(at),
        None => bound.bind(value),
    };
    bound.bind(change.event).execute(&mut *conn).await?;
    Ok(())
}

/// The change stored before under this key (a redelivered update): what it did then.
async fn change_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<bool>> {
    let raised: Option<i64> =
        sqlx::query_scalar("SELECT raised_flag FROM urgent_fact_changes WHERE change_key = $1")
            .bind(key.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(raised.map(|r| r == 1))
}

/// Stores one fact given to an event, if the rule takes it: its value becomes the event's
/// current one, the history keeps it with who, when and why, and an event time that makes the
/// report late raises the flag. The same key again stores nothing and says what it did.
pub async fn record_urgent_fact_on(
    conn: &mut AnyConnection,
    rules: &UrgentRules,
    change: &FactChange,
) -> Result<std::result::Result<Taken, Refusal>> {
    if !lock_event(conn, change.event).await? {
        return Err(not_found(change.event));
    }
    let stored = event_on(conn, change.event)
        .await?
        .ok_or_else(|| not_found(change.event))?;
    if let Some(raised_flag) = change_by_key(conn, &change.key).await? {
        return Ok(Ok(Taken {
            late: stored.late,
            raised_flag,
        }));
    }
    let taken = match judge(rules, &stored.state(), change) {
        Ok(taken) => taken,
        Err(refusal) => return Ok(Err(refusal)),
    };
    write_change(conn, change, taken.raised_flag).await?;
    if taken.late != stored.late {
        sqlx::query("UPDATE urgent_events SET late = $1 WHERE id = $2")
            .bind(taken.late.code())
            .bind(change.event)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Ok(taken))
}

fn read_change(row: &AnyRow) -> Result<StoredChange> {
    let fact: String = get(row, "fact")?;
    let origin: String = get(row, "origin")?;
    let number: Option<i64> = get(row, "followup_number")?;
    let bad = |column: &'static str, value: &str| StoreError::BadValue {
        column,
        value: value.to_string(),
    };
    let origin = match (origin.as_str(), number) {
        ("report", _) => Origin::Report,
        ("answer", _) => Origin::Answer,
        ("followup", Some(n)) => Origin::FollowUp(n),
        ("office", _) => Origin::Office,
        _ => return Err(bad("origin", &origin)),
    };
    let event_at: Option<i64> = get(row, "event_at")?;
    Ok(StoredChange {
        fact: FactName::parse(&fact).ok_or_else(|| bad("fact", &fact))?,
        value: get(row, "value")?,
        event_at: event_at.map(|s| read_instant("event_at", s)).transpose()?,
        origin,
        by_name: get(row, "by_name")?,
        by: get(row, "changed_by")?,
        at: read_instant("changed_at", get(row, "changed_at")?)?,
        reason: get(row, "reason")?,
    })
}

/// Every fact given to an event, in the order given, each with its giver's current name.
pub(super) async fn changes_on(conn: &mut AnyConnection, event: i64) -> Result<Vec<StoredChange>> {
    let rows = sqlx::query(
        "SELECT c.fact, c.value, c.event_at, c.origin, c.followup_number, p.name AS by_name, \
             c.changed_by, c.changed_at, c.reason \
         FROM urgent_fact_changes c LEFT JOIN people p ON p.id = c.changed_by_person \
         WHERE c.event_id = $1 ORDER BY c.changed_at, c.id",
    )
    .bind(event)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(read_change).collect()
}

/// The facts of a new report as changes of origin `report`, keyed by the report's own key.
pub(super) fn report_changes(
    event: i64,
    key: &str,
    facts: &crate::records::urgent::UrgentFacts,
    by_person: Option<i64>,
    at: DateTime<Utc>,
) -> Vec<FactChange> {
    crate::records::urgent_change::given(facts)
        .into_iter()
        .map(|(fact, value)| FactChange {
            key: format!("{key}:{}", fact.code()),
            event,
            fact,
            value,
            origin: Origin::Report,
            by_person,
            by: None,
            at,
            reason: None,
        })
        .collect()
}
