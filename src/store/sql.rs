//! Small helpers shared by the repositories: value conversions and batched statements.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::error::{Result, StoreError};

/// A bound value of a batched statement (the Any driver carries only these kinds).
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}

/// Parameters per batched statement; both backends take many more.
const MAX_PARAMS: usize = 4000;

/// The `n`th placeholder of a generated statement. Hand-written statements use `$N` on both
/// backends; generated ones number their parameters in order, so on SQLite they use plain `?`,
/// because SQLite finds a named parameter by a linear search and binding thousands of `$N`
/// would cost the square of their count.
fn placeholder(conn: &AnyConnection, n: usize) -> String {
    if conn.backend_name() == "SQLite" {
        "?".to_string()
    } else {
        format!("${n}")
    }
}

/// Inserts rows in as few statements as the parameter limit allows.
pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<()> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let mut text = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            text.push_str(if i == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                let _ = write!(
                    text,
                    "{}{}",
                    if c == 0 { "" } else { ", " },
                    placeholder(conn, n)
                );
            }
            text.push(')');
        }
        let mut query = sqlx::query(&text);
        for value in chunk.into_iter().flatten() {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Runs `select` (which has no other parameter) once per chunk of `keys`, with `{keys}`
/// replaced by the chunk's placeholders, and returns every row. Keeps lookups of a whole file's keys to a few round trips.
pub(crate) async fn fetch_in(
    conn: &mut AnyConnection,
    select: &str,
    keys: Vec<Value>,
) -> Result<Vec<AnyRow>> {
    let mut found = Vec::new();
    let mut keys = keys.into_iter().peekable();
    while keys.peek().is_some() {
        let chunk: Vec<Value> = keys.by_ref().take(MAX_PARAMS).collect();
        let placeholders = (1..=chunk.len())
            .map(|n| placeholder(conn, n))
            .collect::<Vec<_>>()
            .join(", ");
        let text = select.replace("{keys}", &placeholders);
        let mut query = sqlx::query(&text);
        for value in chunk {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            };
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// An instant as stored: whole seconds since 1970 (UTC).
pub(crate) fn instant(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn read_instant(column: &'static str, seconds: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| StoreError::BadValue {
        column,
        value: seconds.to_string(),
    })
}

/// A calendar date as stored: `YYYY-MM-DD`, which sorts as the dates do.
pub(crate) fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(crate) fn read_date(column: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::BadValue {
        column,
        value: text.to_string(),
    })
}

/// Reads a closed-list code back into its word.
pub(crate) fn read_word<T>(
    column: &'static str,
    text: &str,
    parse: impl Fn(&str) -> std::result::Result<T, crate::domain::UnknownWord>,
) -> Result<T> {
    parse(text).map_err(|_| StoreError::BadValue {
        column,
        value: text.to_string(),
    })
}

/// A column of a row, with the column's name in the error.
pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(row.try_get(column)?)
}

pub(crate) fn now() -> i64 {
    instant(Utc::now())
}
