//! Test databases for integration tests: a fresh SQLite file per test, and a fresh PostgreSQL
//! database per test when `UNIONBOT_TEST_POSTGRES_URL` names a server (an admin URL such as
//! `postgres://postgres:postgres@127.0.0.1:5432/postgres`).
//!
//! ```ignore
//! mod common;
//!
//! #[tokio::test]
//! async fn something_works_on_every_backend() {
//!     common::for_each_backend(|store| async move {
//!         assert_eq!(store.counts().await.unwrap().units, 0);
//!     })
//!     .await;
//! }
//! ```
//!
//! A test that needs the URL (to start the binary with it, say) uses [`databases`] and calls
//! [`TestDb::finish`] at the end.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AnyConnection, Connection, Executor};
use tempfile::TempDir;
use unionbot::store::{Backend, Store};

pub mod chat;
pub mod cli;
pub mod urgent;

/// The variable that names a PostgreSQL server to test on.
pub const POSTGRES_ENV: &str = "UNIONBOT_TEST_POSTGRES_URL";

/// One fresh database for one test.
pub struct TestDb {
    pub backend: Backend,
    /// The URL the store was opened with, for a binary under test.
    pub url: String,
    pub store: Store,
    /// Keeps the SQLite file's folder until the test ends.
    dir: Option<TempDir>,
    /// The admin URL and the database's name, to drop it at the end.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A SQLite file in a new temporary folder.
    pub async fn sqlite(migrate: bool) -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("unionbot.db").display());
        let store = connect(&url, migrate).await;
        TestDb {
            backend: Backend::Sqlite,
            url,
            store,
            dir: Some(dir),
            postgres: None,
        }
    }

    /// A new database with a unique name on the server `admin_url` points at.
    pub async fn postgres(admin_url: &str, migrate: bool) -> TestDb {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "unionbot_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        sqlx::any::install_default_drivers();
        let mut admin = AnyConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but the server refused: {e}"));
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        let _ = admin.close().await;
        let url = with_database(admin_url, &name);
        let store = connect(&url, migrate).await;
        TestDb {
            backend: Backend::Postgres,
            url,
            store,
            dir: None,
            postgres: Some((admin_url.to_string(), name)),
        }
    }

    /// Closes the store and drops a PostgreSQL test database (a SQLite folder goes by itself).
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(mut admin) = AnyConnection::connect(admin_url).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
                let _ = admin.close().await;
            }
        }
        drop(self.dir);
    }
}

async fn connect(url: &str, migrate: bool) -> Store {
    let store = Store::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open the test database: {e}"));
    if migrate {
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("cannot migrate the test database: {e}"));
    }
    store
}

/// The admin URL of the PostgreSQL server to test on, if one is named; says once why not.
pub fn postgres_admin_url() -> Option<String> {
    static NOTICE: Once = Once::new();
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            NOTICE.call_once(|| {
                eprintln!(
                    "note: the PostgreSQL store tests are skipped because {POSTGRES_ENV} is not \
                     set; set it to an admin URL (e.g. \
                     postgres://postgres:postgres@127.0.0.1:5432/postgres) to run them too"
                );
            });
            None
        }
    }
}

/// A fresh, migrated database on every backend under test: SQLite always, PostgreSQL when
/// `UNIONBOT_TEST_POSTGRES_URL` is set.
pub async fn databases() -> Vec<TestDb> {
    let mut all = vec![TestDb::sqlite(true).await];
    if let Some(admin) = postgres_admin_url() {
        all.push(TestDb::postgres(&admin, true).await);
    }
    all
}

/// Like [`databases`], but the schema is not applied yet (to test what applies it).
pub async fn empty_databases() -> Vec<TestDb> {
    let mut all = vec![TestDb::sqlite(false).await];
    if let Some(admin) = postgres_admin_url() {
        all.push(TestDb::postgres(&admin, false).await);
    }
    all
}

/// Runs `test` once per backend, each time on a fresh migrated store.
pub async fn for_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    for db in databases().await {
        eprintln!("on {}", db.backend);
        test(db.store.clone()).await;
        db.finish().await;
    }
}

/// The admin URL with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let host_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[host_start..].find('/') {
        Some(slash) => &base[..host_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// Waits until `condition` holds, checking every 20 ms; false if it still does not after
/// `timeout`.
pub async fn wait_until_async<F, Fut>(mut condition: F, timeout: std::time::Duration) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if condition().await {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
