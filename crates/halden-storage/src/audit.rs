//! The access log: every read of a person's record (BRIEF §2, §4). Append-only.
//!
//! Group commit: [`Store::log_access`] hands its row to one writer task per store and waits for
//! the answer. The writer takes every row queued by then (up to [`MAX_BATCH`]), inserts them in one
//! transaction and answers each caller only after that transaction has committed; rows that
//! arrive during a commit form the next batch. So every caller still waits until its own row is
//! durable (on SQLite, `synchronous = FULL`: the commit's fsync), but concurrent reads share one
//! commit instead of queueing for one each. A lone read is written at once: there is no timer.

use std::sync::{Arc, Mutex};

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::{StorageError, Store, flag, now_text};

/// At most this many rows in one commit.
pub(crate) const MAX_BATCH: usize = 512;
/// Rows per INSERT statement (8 parameters each; well under both databases' limits).
const ROWS_PER_STATEMENT: usize = 128;

/// One row of the log, as written.
#[derive(Debug)]
struct NewAccess {
    at: String,
    user_id: i64,
    username: String,
    role: String,
    person_id: i64,
    view: String,
    purpose: Option<String>,
}

/// A row waiting for its commit, and where to say how it went.
#[derive(Debug)]
struct Pending {
    row: NewAccess,
    committed: oneshot::Sender<Result<(), StorageError>>,
}

/// The handle on a store's access-log writer task, shared by the store's clones. The task is
/// started on first use, on the runtime of the caller, and again should that runtime have gone.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccessLogWriter {
    queue: Arc<Mutex<Option<mpsc::UnboundedSender<Pending>>>>,
}

impl AccessLogWriter {
    /// Queues `pending`, starting the writer task when there is none (or it has stopped).
    fn submit(&self, pool: &AnyPool, pending: Pending) {
        // A poisoned lock only means another caller panicked while holding it; the sender
        // inside is still sound.
        let mut queue = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let pending = match queue.as_ref() {
            Some(sender) => match sender.send(pending) {
                Ok(()) => return,
                // The task has stopped (its runtime shut down): start another.
                Err(mpsc::error::SendError(pending)) => pending,
            },
            None => pending,
        };
        let (sender, receiver) = mpsc::unbounded_channel();
        // A fresh channel whose receiver is alive: this send cannot fail.
        let _ = sender.send(pending);
        tokio::spawn(write_batches(pool.clone(), receiver));
        *queue = Some(sender);
    }
}

/// The writer task: one transaction per batch, then every waiter of the batch is answered.
async fn write_batches(pool: AnyPool, mut receiver: mpsc::UnboundedReceiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match insert_batch(&pool, &batch).await {
            Ok(()) => {
                for pending in batch.drain(..) {
                    // A caller that has gone away (its request was dropped) is not told.
                    let _ = pending.committed.send(Ok(()));
                }
            }
            Err(error) if batch.len() == 1 => {
                if let Some(pending) = batch.pop() {
                    let _ = pending.committed.send(Err(error));
                }
            }
            Err(_) => {
                // Nothing of the batch was written. Each row again on its own, so each caller
                // gets its own answer and one bad row does not fail the others.
                for pending in batch.drain(..) {
                    let result = insert_batch(&pool, std::slice::from_ref(&pending)).await;
                    let _ = pending.committed.send(result);
                }
            }
        }
    }
}

/// Inserts the rows in one transaction.
///
/// A batch that fits in one statement is that statement alone, committed by the database as it
/// runs (autocommit: one statement is one transaction, all or nothing, on both databases, and on
/// SQLite with `synchronous = FULL` durable before it returns). That is one round trip to the
/// connection instead of three (BEGIN, INSERT, COMMIT): under load, each round trip waits for the
/// connection's thread to be scheduled, and every reader of the batch waits with it.
async fn insert_batch(pool: &AnyPool, batch: &[Pending]) -> Result<(), StorageError> {
    if batch.len() <= ROWS_PER_STATEMENT {
        let sql = insert_sql(batch.len());
        bind_rows(sqlx::query(&sql), batch).execute(pool).await?;
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for rows in batch.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql(rows.len());
        bind_rows(sqlx::query(&sql), rows).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The INSERT of `rows` rows (at most [`ROWS_PER_STATEMENT`]).
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO access_log (at, user_id, username, role, person_id, view, purpose, \
         break_glass) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        let b = r * 8;
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8
        ));
    }
    sql
}

/// Binds `rows` to an INSERT from [`insert_sql`].
fn bind_rows<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    rows: &'q [Pending],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for Pending { row, .. } in rows {
        query = query
            .bind(row.at.as_str())
            .bind(row.user_id)
            .bind(row.username.as_str())
            .bind(row.role.as_str())
            .bind(row.person_id)
            .bind(row.view.as_str())
            .bind(row.purpose.as_deref())
            .bind(i64::from(row.purpose.is_some()));
    }
    query
}

/// One read of a person's record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessEntry {
    /// Id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// The reader's user id.
    pub user_id: i64,
    /// The reader's username.
    pub username: String,
    /// The reader's role.
    pub role: String,
    /// Whose record.
    pub person_id: i64,
    /// Which view (`person_page`, `api_person`, `api_dates`, …).
    pub view: String,
    /// The stated purpose of a break-glass read.
    pub purpose: Option<String>,
    /// 1 when the read was outside the reader's scope (break the glass).
    pub break_glass: i64,
}

impl AccessEntry {
    /// Whether the read was outside the reader's scope.
    pub fn is_break_glass(&self) -> bool {
        flag(self.break_glass)
    }
}

/// Which reads to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// Reads of this person's record.
    pub person: Option<i64>,
    /// Reads by this user.
    pub user: Option<i64>,
    /// At most this many, newest first (capped at 1 000).
    pub limit: i64,
}

impl Store {
    /// Records a read, and returns once the row is committed: the caller may then show the
    /// record, and must not show it when this fails, so no read goes unlogged.
    ///
    /// Concurrent calls share a commit (group commit, see the module documentation); each still
    /// returns only after the transaction holding its own row has committed.
    ///
    /// # Errors
    ///
    /// A database failure (the caller must then not show the record).
    #[allow(clippy::too_many_arguments, reason = "one column each")]
    pub async fn log_access(
        &self,
        user_id: i64,
        username: &str,
        role: &str,
        person_id: i64,
        view: &str,
        purpose: Option<&str>,
    ) -> Result<(), StorageError> {
        let (committed, answer) = oneshot::channel();
        let row = NewAccess {
            at: now_text(),
            user_id,
            username: username.to_string(),
            role: role.to_string(),
            person_id,
            view: view.to_string(),
            purpose: purpose.map(ToString::to_string),
        };
        self.access_log_writer
            .submit(&self.write, Pending { row, committed });
        // No answer: the writer task was stopped (its runtime is shutting down) before it
        // could say whether the row was committed.
        answer
            .await
            .map_err(|_| StorageError::Database(sqlx::Error::WorkerCrashed))?
    }

    /// Reads from the log, newest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn access_log(&self, query: AccessQuery) -> Result<Vec<AccessEntry>, StorageError> {
        let mut conditions = Vec::new();
        if let Some(person) = query.person {
            conditions.push(format!("person_id = {person}"));
        }
        if let Some(user) = query.user {
            conditions.push(format!("user_id = {user}"));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        Ok(sqlx::query_as(&format!(
            "SELECT id, at, user_id, username, role, person_id, view, purpose, break_glass \
             FROM access_log {where_clause} ORDER BY id DESC LIMIT {}",
            query.limit.clamp(1, 1000)
        ))
        .fetch_all(&self.read)
        .await?)
    }
}
