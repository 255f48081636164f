//! Fresh databases for integration tests, on the backend CI asks for.
//!
//! `HALDEN_TEST_BACKEND=sqlite` (the default) gives each test its own SQLite file;
//! `HALDEN_TEST_BACKEND=postgres` gives each test its own database on the server at
//! `HALDEN_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`). When PostgreSQL
//! is asked for and cannot be reached, the test fails: it never quietly runs on SQLite instead.

use std::{
    path::{Path, PathBuf},
    sync::{
        OnceLock,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::{Backend, StorageError, Store};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The backend the test run asked for.
pub fn requested_backend() -> Backend {
    match std::env::var("HALDEN_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// A unique name for a test database in this process.
fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = jiff::Timestamp::now().as_nanosecond() % 1_000_000_000;
    format!("halden_test_{}_{}_{}", std::process::id(), nanos, n)
}

/// This process's directory for SQLite test databases: `$TMPDIR/halden-tests/<pid>`. On first
/// use it sweeps away the directories of test processes that have ended (and the flat
/// `halden_test_<pid>_…` files older runs left in `$TMPDIR`), so test runs do not fill the disk.
/// A process is known to have ended when `/proc/<pid>` is gone; without `/proc` nothing is swept.
fn sqlite_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let temp = std::env::temp_dir();
        let root = temp.join("halden-tests");
        if Path::new("/proc/self").exists() {
            let ended = |pid: &str| {
                pid.parse::<u32>()
                    .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
            };
            for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
                if ended(&entry.file_name().to_string_lossy()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
            for entry in std::fs::read_dir(&temp).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(rest) = name.strip_prefix("halden_test_")
                    && ended(rest.split('_').next().unwrap_or(""))
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let dir = root.join(std::process::id().to_string());
        // A failure surfaces when the database file cannot be created in it.
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

/// A fresh, migrated, empty store on the requested backend.
///
/// # Errors
///
/// The backend cannot be reached or migrated; the message says which and how to start it.
pub async fn fresh_store() -> Result<Store, StorageError> {
    let store = Store::connect(&fresh_database().await?).await?;
    store.migrate().await?;
    Ok(store)
}

/// Two stores on one fresh, migrated, empty database: two servers sharing it.
///
/// # Errors
///
/// As [`fresh_store`].
pub async fn fresh_store_twice() -> Result<(Store, Store), StorageError> {
    let url = fresh_database().await?;
    let first = Store::connect(&url).await?;
    first.migrate().await?;
    Ok((first, Store::connect(&url).await?))
}

/// Creates a fresh, empty database on the requested backend and returns its URL.
async fn fresh_database() -> Result<String, StorageError> {
    let name = unique_name();
    match requested_backend() {
        Backend::Sqlite => {
            let path = sqlite_dir().join(format!("{name}.sqlite"));
            Ok(format!("sqlite://{}", path.display()))
        }
        Backend::Postgres => {
            let admin_url = std::env::var("HALDEN_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
            let admin = Store::connect(&admin_url).await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.write)
                .await?;
            admin.write.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base.to_string())
                .unwrap_or(admin_url.clone());
            Ok(format!("{base}/{name}"))
        }
    }
}

/// Runs a statement directly, bypassing the register's API: for tests that prove the database
/// itself refuses to rewrite history.
///
/// # Errors
///
/// Whatever the database answers.
pub async fn execute_raw(store: &Store, sql: &str) -> Result<u64, StorageError> {
    Ok(sqlx::query(sql)
        .execute(&store.write)
        .await?
        .rows_affected())
}
