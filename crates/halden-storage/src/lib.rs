//! Halden's storage: the append-only register, users and sessions, the access log and
//! idempotency records, on SQLite (embedded, the default) or PostgreSQL (production).
//!
//! One code path serves both databases: queries go through `sqlx::Any` with `$n` placeholders,
//! which both backends accept, and only the migrations differ (`migrations/sqlite`,
//! `migrations/postgres`, kept in step). Values cross the boundary as text and 64-bit integers.
//!
//! Invariants:
//! - `entries` and `access_log` are append-only; triggers in both databases refuse UPDATE and
//!   DELETE, so not even a bug here can rewrite history.
//! - A person's projection (`persons` row and their `stays`) is rewritten in the same
//!   transaction as every entry appended for them, from all their effective entries; `version`
//!   counts those entries, and an append that names a stale version is refused.
//! - A history kept in memory (`Store::entries_at`) is kept under the version it was read at,
//!   only when it holds exactly that many entries, and served only for that version: it is the
//!   history as of that version, never a stale one (see `history_cache`).
//! - On SQLite, writes go through a single connection (one writer at a time, no busy retries);
//!   reads use a pool. Every acknowledged write is committed (WAL, synchronous=FULL).

mod accounts;
mod audit;
mod decisions;
mod estate;
pub mod facts;
mod history_cache;
mod idempotency;
mod presentence;
mod probation;
pub mod projection;
mod register;
mod statistics;
pub mod testing;
mod users;

pub use accounts::AccountChange;
pub use audit::{AccessEntry, AccessQuery};
pub use decisions::{
    AppealRow, ApplicationRow, Authority, AuthorityChange, DecisionRow, LEAVE_KINDS,
    LegalGroundRow, NewAppeal, NewApplication, NewDecision, NewLegalGround, POSTPONEMENT_GROUNDS,
};
pub use estate::{PrisonRow, ProbationOfficeRow};
pub use idempotency::{AnswerKey, StoredAnswer, request_hash};
pub use presentence::{
    NewPresentenceEvent, NewPresentenceRequest, PersonRef, PresentenceEventRow, PresentenceRow,
    PresentenceState,
};
pub use probation::{CaseloadRow, NewProbationEvent, ProbationCase, ProbationEventRow};
pub use register::{
    Actor, Appended, EntryRow, ImportRecord, NewEntry, PersonFilter, PersonRow, StatusCount,
};
pub use users::{NewUser, Session, SessionKind, User};

use halden_domain::validate::FieldError;
use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
};
use std::{str::FromStr, time::Duration};

/// Set on every SQLite connection: enforce references, wait for the writer rather than fail,
/// and make every commit durable before it is acknowledged.
const SQLITE_PRAGMAS: &str =
    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded, a file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The input breaks a rule; nothing was written.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The caller's version is stale; nothing was written.
    #[error("stale version: the record is at version {current}, the request named {expected}")]
    Conflict {
        /// The version the request named.
        expected: i64,
        /// The version stored.
        current: i64,
    },
    /// Stored data could not be read back (a bug or a hand-edited database).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// Another request under the same idempotency key was committed first; nothing was written
    /// by this one, and the caller should replay the stored answer.
    #[error("another request under this idempotency key was completed first")]
    KeyTaken,
    /// The database URL names no supported database.
    #[error("unsupported database URL '{0}': use sqlite://FILE or postgres://…")]
    UnsupportedUrl(String),
}

impl StorageError {
    /// An invalid-input error with one problem.
    pub fn invalid(field: &str, message: impl Into<String>) -> StorageError {
        StorageError::Invalid(vec![FieldError::new(field, None, message)])
    }

    /// An invalid-input error with one problem, in English and bokmål (anything the UI shows).
    pub fn invalid_bilingual(
        field: &str,
        en: impl Into<String>,
        nb: impl Into<String>,
    ) -> StorageError {
        StorageError::Invalid(vec![FieldError::bilingual(field, None, en, nb)])
    }
}

/// The store: a handle on the database, cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    /// The access log's group-commit writer (see `audit`).
    access_log_writer: audit::AccessLogWriter,
    /// Persons' histories by version (see `history_cache`), shared by the store's clones.
    history_cache: std::sync::Arc<history_cache::HistoryCache>,
    /// The register as the statistics read it, kept under the register's size (see
    /// `statistics`), shared by the store's clones.
    statistics_cache: std::sync::Arc<statistics::Cache>,
}

impl Store {
    /// Connects to `url` (`sqlite://path` creates the file when missing; `sqlite::memory:` for a
    /// private in-memory database; `postgres://…`).
    ///
    /// # Errors
    ///
    /// An unsupported URL or a database that cannot be reached.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl(url.to_string()));
        };
        match backend {
            Backend::Sqlite => {
                let memory = url.contains(":memory:");
                let url = if memory || url.contains("mode=") {
                    url.to_string()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                let options = AnyConnectOptions::from_str(&url)?;
                // One writer: SQLite serialises writes anyway, and a single connection avoids
                // lock-upgrade failures under concurrency. An in-memory database is private to its
                // connection, so it gets exactly one for everything.
                // No ping before each use: an embedded file has no connection to go stale, and
                // the ping is a round trip to the connection's thread on every query.
                let write = AnyPoolOptions::new()
                    .max_connections(1)
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(SQLITE_PRAGMAS).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options.clone())
                    .await?;
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&write)
                    .await?;
                let read = if memory {
                    write.clone()
                } else {
                    AnyPoolOptions::new()
                        .max_connections(8)
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(SQLITE_PRAGMAS).await?;
                                Ok(())
                            })
                        })
                        .connect_with(options)
                        .await?
                };
                Ok(Store {
                    read,
                    write,
                    backend,
                    access_log_writer: audit::AccessLogWriter::default(),
                    history_cache: std::sync::Arc::default(),
                    statistics_cache: std::sync::Arc::default(),
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                Ok(Store {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    access_log_writer: audit::AccessLogWriter::default(),
                    history_cache: std::sync::Arc::default(),
                    statistics_cache: std::sync::Arc::default(),
                })
            }
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema up to date.
    ///
    /// # Errors
    ///
    /// A migration that fails, or one applied earlier that has changed.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.write)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.write)
                    .await?
            }
        }
        // Projections a migration asked to be rebuilt from the entries (the fold is Rust).
        let due: Vec<(String,)> = sqlx::query_as("SELECT name FROM projection_due")
            .fetch_all(&self.write)
            .await?;
        if due.iter().any(|(name,)| name == "stays") {
            self.rebuild_stays().await?;
        }
        Ok(())
    }

    /// Whether the register holds no person yet (a fresh database to seed).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn is_empty(&self) -> Result<bool, StorageError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM persons")
            .fetch_one(&self.read)
            .await?;
        Ok(n == 0)
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// The current instant, as stored (RFC 3339, UTC).
pub(crate) fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

/// Today's date in Europe/Oslo.
pub fn today_in_oslo() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .in_tz("Europe/Oslo")
        .map(|z| z.date())
        .unwrap_or_else(|_| {
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date()
        })
}

/// Reads an integer flag stored as 0/1.
pub(crate) fn flag(value: i64) -> bool {
    value != 0
}
