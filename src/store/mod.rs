//! The database: one set of run-time queries over sqlx's Any driver, for SQLite and PostgreSQL.
//!
//! Every import is one write transaction (all rows or none) and can be repeated (rows already
//! present are skipped). Nothing that moves points is updated or deleted: corrections are new
//! rows and a retraction hides a record from scoring while it stays visible.

mod bulletins;
mod chat_items;
mod dialogues;
mod earlier;
mod error;
mod events;
mod guidance;
mod intake;
mod item_view;
mod items;
mod leavers;
mod ledger;
mod outbox;
mod people;
mod retract;
mod schedule;
mod sign_off;
mod sql;
mod units;
mod urgent;
mod urgent_facts;
mod urgent_late;

use std::fmt;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};

pub use crate::records::RecordKind;
pub use bulletins::{BulletinIssue, BulletinSending, StoredBulletin};
pub use chat_items::{ChatFiling, DeclineOutcome, ItemSummary};
pub use error::{NoConnection, Result, StoreError, is_read_only_refusal};
pub use events::VetoRecord;
pub use guidance::{GuidanceRevision, GuidanceSet, OpenCommission, Topic};
pub use intake::StoredUpdate;
pub use intake::commit_update_on;
pub use intake::{DialogueChange, UpdateOutcome};
pub use item_view::{ItemAdoption, ItemDetail, ItemInstruction};
pub use outbox::{
    BatchEnd, FailedMessage, NewMessage, OutboxMessage, Requeue, Requeued, Settled, Summarize,
};
pub use people::{Invite, InviteRefusal, OpenInvite, Person};
pub use schedule::{JobOutcome, JobRecord};
pub use sign_off::{Decision, PendingItem, SignOff};
pub use urgent::{
    FollowUpOutcome, LateDecision, LateFlag, NewFollowUp, NewUrgentReport, OfficeAct,
    PeopleInvolved, ReportedUrgent, UrgentDetail, UrgentEvent, UrgentFacts, UrgentFollowUp,
    acknowledge_urgent_on, add_urgent_followup_on, ask_urgent_followup_on, close_urgent_on,
    is_late, report_urgent_on, void_urgent_on,
};
pub use urgent_facts::record_urgent_fact_on;
pub use urgent_late::{confirm_urgent_late_on, dismiss_urgent_late_on};

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

impl RecordKind {
    /// The table its records are stored in.
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
    /// Opened read-only: reports work, every write is refused with [`StoreError::ReadOnly`].
    read_only: bool,
}

/// How long a SQLite writer waits for another one before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u64 = 5000;

/// How long the first connection to a PostgreSQL server may take: a closed port or a host that
/// does not answer is said within seconds, not after the pool's half a minute of retries.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Connects to `sqlite://path` (the file is created if missing) or `postgres://…`. A SQLite
    /// database is opened read-only when the URL says `mode=ro` or its file is not writable.
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let mut read_only = false;
        let pool = match backend {
            Backend::Sqlite => {
                read_only = sqlite_read_only(url.trim());
                let url = if read_only && !url.contains("mode=") {
                    with_query(url.trim(), "mode=ro")
                } else {
                    sqlite_url(url)
                };
                if !read_only {
                    // WAL is a property of the file; switching to it needs a lock that the busy
                    // timeout does not wait for, so it is done once here, before the pool exists.
                    let mut setup = AnyConnection::connect(&url).await?;
                    setup.execute("PRAGMA journal_mode = WAL").await?;
                    setup.close().await?;
                }
                AnyPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            let timeout = format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}");
                            conn.execute(timeout.as_str()).await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            if !read_only {
                                conn.execute("PRAGMA journal_mode = WAL").await?;
                                conn.execute("PRAGMA synchronous = NORMAL").await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                // One connection first, on a short clock, so that an unreachable server is
                // named with its own error rather than the pool's "timed out".
                let unreachable = |why: NoConnection| {
                    let (host, port) = postgres_host_port(url);
                    StoreError::Unreachable { host, port, why }
                };
                match tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(url)).await {
                    Err(_) => return Err(unreachable(NoConnection::TimedOut)),
                    Ok(Err(sqlx::Error::Io(e))) => {
                        return Err(unreachable(match e.kind() {
                            std::io::ErrorKind::ConnectionRefused => NoConnection::Refused,
                            std::io::ErrorKind::TimedOut => NoConnection::TimedOut,
                            _ => NoConnection::Failed(e.to_string()),
                        }));
                    }
                    Ok(Err(e)) => return Err(e.into()),
                    Ok(Ok(first)) => {
                        let _ = first.close().await;
                    }
                }
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?
            }
        };
        Ok(Store {
            pool,
            backend,
            read_only,
        })
    }

    /// Brings the schema up to date; applying it again changes nothing. A read-only database is
    /// left as it is when its schema is current, and refused when it is not.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        if self.read_only {
            return self.check_schema_current(&migrator).await;
        }
        if let Err(err) = migrator.run(&self.pool).await {
            // Each migration is one transaction, so a refused one changed nothing; if codes that
            // differ only in case refused it, say which, as the office can put that right.
            let mut conn = self.pool.acquire().await?;
            let clashes = units::case_clashes(&mut conn).await.unwrap_or_default();
            if !clashes.is_empty() {
                return Err(StoreError::CodesDifferInCase(clashes));
            }
            return Err(err.into());
        }
        Ok(())
    }

    async fn check_schema_current(&self, migrator: &sqlx::migrate::Migrator) -> Result<()> {
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default();
        let wanted: Vec<i64> = migrator.iter().map(|m| m.version).collect();
        if applied == wanted {
            Ok(())
        } else {
            Err(StoreError::ReadOnlyOutdated)
        }
    }

    /// Connects and migrates: what the bot and the command line do on start.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Whether the database was opened read-only (every write is refused).
    pub fn is_read_only(&self) -> bool {
        self.read_only
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
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
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

/// Adds `pair` to a URL's query.
fn with_query(url: &str, pair: &str) -> String {
    if url.contains('?') {
        format!("{url}&{pair}")
    } else {
        format!("{url}?{pair}")
    }
}

/// Whether a SQLite URL asks for read-only access, or names a file that exists and is not
/// writable. Permission bits are what is read, not whether this process could write anyway
/// (root can): a file the office made read-only is treated as read-only by everyone.
fn sqlite_read_only(url: &str) -> bool {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if query.split('&').any(|pair| pair == "mode=ro") {
        return true;
    }
    if path.is_empty() || path.contains(":memory:") || query.contains("mode=memory") {
        return false;
    }
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

/// The host and port a PostgreSQL URL names (port 5432 when it names none), for messages.
fn postgres_host_port(url: &str) -> (String, u16) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    // An IPv6 host is written in brackets: [::1]:5432.
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port.parse().unwrap_or(5432)),
        _ => (host_port, 5432),
    };
    let host = if host.is_empty() { "localhost" } else { host };
    (host.to_string(), port)
}

/// A URL without its password, fit for an error message or a log.
pub fn redact(url: &str) -> String {
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
    fn a_postgres_url_names_its_host_and_port_for_messages() {
        assert_eq!(
            postgres_host_port("postgres://u:secret@db.example:6543/unionbot?sslmode=require"),
            ("db.example".to_string(), 6543)
        );
        assert_eq!(
            postgres_host_port("postgresql://db.example/unionbot"),
            ("db.example".to_string(), 5432)
        );
        assert_eq!(
            postgres_host_port("postgres://u@[::1]:5433/x"),
            ("[::1]".to_string(), 5433)
        );
    }

    #[test]
    fn a_sqlite_url_with_mode_ro_is_read_only_and_a_missing_file_is_not() {
        assert!(sqlite_read_only("sqlite://a.db?mode=ro"));
        assert!(!sqlite_read_only("sqlite:///no/such/dir/a.db?mode=rwc"));
        assert!(!sqlite_read_only("sqlite::memory:"));
    }

    #[test]
    fn record_kinds_parse_from_their_codes() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(RecordKind::parse("unit"), None);
    }
}
