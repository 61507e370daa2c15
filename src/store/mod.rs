//! The database: one set of run-time queries over sqlx's Any driver, for SQLite and PostgreSQL.
//!
//! Every import is one write transaction (all rows or none) and can be repeated (rows already
//! present are skipped). Nothing that moves points is updated or deleted: corrections are new
//! rows and a retraction hides a record from scoring while it stays visible.

mod chat_items;
mod dialogues;
mod error;
mod events;
mod guidance;
mod intake;
mod items;
mod ledger;
mod outbox;
mod people;
mod retract;
mod sign_off;
mod sql;
mod units;

use std::fmt;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};

pub use chat_items::{ChatFiling, ItemSummary};
pub use error::{Result, StoreError};
pub use events::VetoRecord;
pub use guidance::{OpenCommission, Topic};
pub use intake::StoredUpdate;
pub use outbox::OutboxMessage;
pub use people::{Invite, InviteRefusal, Person};
pub use sign_off::{Decision, PendingItem, SignOff};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> Result<Backend> {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kinds of record a retraction can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Item,
    Adoption,
    Instruction,
    Commission,
    Veto,
}

impl RecordKind {
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Item,
        RecordKind::Adoption,
        RecordKind::Instruction,
        RecordKind::Commission,
        RecordKind::Veto,
    ];

    /// The code stored in `retractions.record_kind`.
    pub const fn code(self) -> &'static str {
        match self {
            RecordKind::Item => "item",
            RecordKind::Adoption => "adoption",
            RecordKind::Instruction => "instruction",
            RecordKind::Commission => "commission",
            RecordKind::Veto => "veto",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        let t = text.trim();
        RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.code().eq_ignore_ascii_case(t))
    }

    fn table(self) -> &'static str {
        match self {
            RecordKind::Item => "items",
            RecordKind::Adoption => "adoptions",
            RecordKind::Instruction => "instructions",
            RecordKind::Commission => "commissions",
            RecordKind::Veto => "vetoes",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How many rows of each kind the store holds, retracted ones included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub units: i64,
    pub items: i64,
    pub adoptions: i64,
    pub instructions: i64,
    pub commissions: i64,
    pub vetoes: i64,
    pub retractions: i64,
}

/// A handle on the database; cheap to clone (it is a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// How long a SQLite writer waits for another one before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u64 = 5000;

impl Store {
    /// Connects to `sqlite://path` (the file is created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                // WAL is a property of the file; switching to it needs a lock that the busy
                // timeout does not wait for, so it is done once here, before the pool exists.
                let mut setup = AnyConnection::connect(&url).await?;
                setup.execute("PRAGMA journal_mode = WAL").await?;
                setup.close().await?;
                AnyPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            let timeout = format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}");
                            conn.execute(timeout.as_str()).await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?
            }
        };
        Ok(Store { pool, backend })
    }

    /// Brings the schema up to date; applying it again changes nothing.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Connects and migrates: what the bot and the command line do on start.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for other modules' repositories (the bot's tables come with their own migration).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection; waits for those in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a transaction that will write after reading. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so the busy timeout applies instead of failing with "database
    /// is locked" when it later tries to write.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Starts a read-only transaction that sees one snapshot of the database throughout.
    pub(crate) async fn begin_read(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?
            }
        })
    }

    /// Serialises imports into one table on PostgreSQL as `BEGIN IMMEDIATE` does on SQLite, so
    /// two imports of the same file at once cannot both find a row missing and both add it.
    pub(crate) async fn lock_for_import(
        &self,
        tx: &mut Transaction<'static, Any>,
        table: &'static str,
    ) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// After an import that added many rows, refreshes the planner's statistics and, on
    /// PostgreSQL, the visibility map, without which the tally's index-only range counts read
    /// every new row from the table as well. A failure here loses nothing, so it is only logged.
    pub(crate) async fn after_bulk_import(&self, table: &'static str, added: usize) {
        const MANY: usize = 10_000;
        if added < MANY {
            return;
        }
        let statement = match self.backend {
            Backend::Sqlite => "PRAGMA optimize".to_string(),
            Backend::Postgres => format!("VACUUM (ANALYZE) {table}"),
        };
        if let Err(err) = self.pool.execute(statement.as_str()).await {
            tracing::warn!(%err, table, "could not refresh statistics after an import");
        }
    }

    /// How many rows each table holds.
    pub async fn counts(&self) -> Result<Counts> {
        let row: (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM items), \
             (SELECT COUNT(*) FROM adoptions), (SELECT COUNT(*) FROM instructions), \
             (SELECT COUNT(*) FROM commissions), (SELECT COUNT(*) FROM vetoes), \
             (SELECT COUNT(*) FROM retractions)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Counts {
            units: row.0,
            items: row.1,
            adoptions: row.2,
            instructions: row.3,
            commissions: row.4,
            vetoes: row.5,
            retractions: row.6,
        })
    }

    /// How many items the store holds, retracted ones included.
    pub async fn items_count(&self) -> Result<i64> {
        Ok(self.counts().await?.items)
    }
}

/// Makes SQLite create the file when it is missing, unless the URL says otherwise.
fn sqlite_url(url: &str) -> String {
    let url = url.trim();
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// A URL without its password, fit for an error message or a log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_is_created_when_missing() {
        assert_eq!(
            sqlite_url("sqlite://unionbot.db"),
            "sqlite://unionbot.db?mode=rwc"
        );
        assert_eq!(sqlite_url("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
        assert_eq!(
            sqlite_url("sqlite://a.db?cache=shared"),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
    }

    #[test]
    fn the_backend_comes_from_the_url_and_a_password_never_prints() {
        assert_eq!(Backend::of_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        let err = Backend::of_url("mysql://root:secret@host/db").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn record_kinds_parse_from_their_codes() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(RecordKind::parse("unit"), None);
    }
}
