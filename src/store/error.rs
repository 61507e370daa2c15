//! What can go wrong in the store, said in the office's terms.

use std::fmt::Write as _;

use crate::records::RowProblem;

use super::RecordKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no database this program can use.
    #[error("the database URL must start with sqlite:// or postgres://, not {0:?}")]
    UnsupportedUrl(String),

    /// The database refused or failed; the details are in the source.
    #[error("the database failed: {0}")]
    Database(#[from] sqlx::Error),

    /// The schema could not be brought up to date.
    #[error("the database schema could not be brought up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    /// An import was refused: nothing of it was stored.
    #[error("{}", rows_message(.0))]
    Rows(Vec<RowProblem>),

    /// A unit, item or record the caller named does not exist.
    #[error("no {what} {key} is recorded")]
    NotFound { what: &'static str, key: String },

    /// A value that must be unique (a unit code, an item reference) is already taken.
    #[error("{what} {value:?} is already recorded")]
    AlreadyExists { what: &'static str, value: String },

    /// A record was retracted once already; a retraction is not undone or repeated.
    #[error("{kind} {id} was already retracted")]
    AlreadyRetracted { kind: RecordKind, id: i64 },

    /// A single record broke a rule the store checks (e.g. a direct-report point's parent).
    #[error("{column}: {problem}")]
    Invalid {
        column: &'static str,
        problem: crate::records::Problem,
    },

    /// An invitation code was not accepted.
    #[error("{0}")]
    Invite(super::InviteRefusal),

    /// The system gave no random bytes for an invitation code.
    #[error("no random bytes for an invitation code: {0}")]
    Randomness(#[source] std::io::Error),

    /// The PostgreSQL server could not be reached (closed port, unknown host, no answer).
    #[error("cannot reach the database server at {host}:{port}: {why}")]
    Unreachable {
        host: String,
        port: u16,
        why: NoConnection,
    },

    /// Units whose codes differ only in case, recorded before codes ignored case: the schema
    /// cannot be brought up to date until one of each group is renamed.
    #[error("unit codes that differ only in case: {0:?}")]
    CodesDifferInCase(Vec<Vec<String>>),

    /// A write on a database opened read-only.
    #[error("the database is open read-only")]
    ReadOnly,

    /// A read-only database whose schema this program would have to bring up to date first.
    #[error("the database is read-only and its schema is not this program's")]
    ReadOnlyOutdated,

    /// A stored value this program cannot read back (the database was edited by hand).
    #[error("the database holds {value:?} in {column}, which this program cannot read")]
    BadValue { column: &'static str, value: String },
}

/// Why no connection to a database server was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoConnection {
    /// Nothing listens there (a closed port, a server that is not started).
    #[error("connection refused")]
    Refused,
    /// No answer within the time allowed.
    #[error("no answer")]
    TimedOut,
    /// Anything else the system said (an unknown host, no route).
    #[error("{0}")]
    Failed(String),
}

impl StoreError {
    /// The refused rows of an import, if that is what this error is.
    pub fn row_problems(&self) -> Option<&[RowProblem]> {
        match self {
            StoreError::Rows(rows) => Some(rows),
            _ => None,
        }
    }
}

fn rows_message(rows: &[RowProblem]) -> String {
    let mut text = format!("{} row value(s) refused, nothing was stored:", rows.len());
    for row in rows {
        let _ = write!(
            text,
            "\n  line {}, {}: {}",
            row.line, row.column, row.problem
        );
    }
    text
}

/// Whether a database error is SQLite refusing a write to a read-only file.
pub fn is_read_only_refusal(err: &StoreError) -> bool {
    match err {
        StoreError::ReadOnly => true,
        StoreError::Database(sqlx::Error::Database(db)) => {
            db.message().contains("readonly database")
        }
        _ => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether a database error is a unique constraint refusing a second copy.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
