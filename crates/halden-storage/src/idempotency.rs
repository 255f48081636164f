//! Answers to creating requests, kept by the caller's `Idempotency-Key`, so that a retried
//! request creates nothing new and gets the first answer again.
//!
//! Invariant: the answer is written in the same transaction as what the request creates, so
//! either both are committed or neither is. A crash between the create and the answer can
//! therefore not leave a created record whose key, retried, would create it again. The key is
//! claimed as the transaction's first write, so of two racing retries one creates and the other
//! writes nothing and replays the first's answer.

use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use crate::{StorageError, Store, now_text};

/// A creating request's promise to keep its answer under its key, in the create's transaction.
///
/// `T` is what the create returns; `render` turns it into the answer's JSON body, so the stored
/// answer is exactly what the caller is sent.
#[derive(Debug, Clone)]
pub struct AnswerKey<T> {
    /// The caller's account (keys are per user).
    pub user_id: i64,
    /// The caller's `Idempotency-Key`.
    pub key: String,
    /// The request's fingerprint ([`request_hash`]).
    pub request_hash: String,
    /// The answer's HTTP status.
    pub status: u16,
    /// The answer's body, from the create's outcome.
    pub render: fn(&T) -> String,
}

impl<T> AnswerKey<T> {
    /// Claims the key as the transaction's first write. When another request under the same key
    /// committed first (two retries racing), nothing is written and [`StorageError::KeyTaken`]
    /// tells the caller to drop the transaction and replay the stored answer. On PostgreSQL a
    /// claim waits for a concurrent claim's transaction to end; on SQLite writers are serial.
    async fn claim_in(&self, tx: &mut Transaction<'static, Any>) -> Result<(), StorageError> {
        let result = sqlx::query(
            "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, status, body, \
             created_at) VALUES ($1, $2, $3, $4, '', $5) \
             ON CONFLICT (user_id, idempotency_key) DO NOTHING",
        )
        .bind(self.user_id)
        .bind(self.key.as_str())
        .bind(self.request_hash.as_str())
        .bind(i64::from(self.status))
        .bind(now_text())
        .execute(&mut **tx)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StorageError::KeyTaken);
        }
        Ok(())
    }

    /// Writes the answer under the key claimed in this transaction.
    async fn answer_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        outcome: &T,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE idempotency_keys SET body = $1 WHERE user_id = $2 AND idempotency_key = $3",
        )
        .bind((self.render)(outcome))
        .bind(self.user_id)
        .bind(self.key.as_str())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// Claims the key, when there is one, before a creating operation writes anything.
pub(crate) async fn claim_key_in<T>(
    key: Option<&AnswerKey<T>>,
    tx: &mut Transaction<'static, Any>,
) -> Result<(), StorageError> {
    match key {
        Some(key) => key.claim_in(tx).await,
        None => Ok(()),
    }
}

/// Keeps the answer, when there is a key, just before the creating operation commits.
pub(crate) async fn keep_answer_in<T>(
    key: Option<&AnswerKey<T>>,
    tx: &mut Transaction<'static, Any>,
    outcome: &T,
) -> Result<(), StorageError> {
    match key {
        Some(key) => key.answer_in(tx, outcome).await,
        None => Ok(()),
    }
}

/// An answer given earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// HTTP status.
    pub status: u16,
    /// Body (JSON text).
    pub body: String,
    /// Whether the earlier request was the same (same route and body); a different request under
    /// the same key is refused.
    pub same_request: bool,
}

/// The fingerprint of a request: route and body.
pub fn request_hash(route: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hex::encode(hasher.finalize())
}

impl Store {
    /// The answer stored for `key` from this user, if any, compared with the current request.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn idempotent_answer(
        &self,
        user_id: i64,
        key: &str,
        route: &str,
        body: &[u8],
    ) -> Result<Option<StoredAnswer>, StorageError> {
        // Through the writer, so an answer stored a moment ago is always seen.
        let row: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT request_hash, status, body FROM idempotency_keys \
             WHERE user_id = $1 AND idempotency_key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(&self.write)
        .await?;
        let fingerprint = request_hash(route, body);
        Ok(row.map(|(hash, status, stored)| StoredAnswer {
            status: u16::try_from(status).unwrap_or(500),
            body: stored,
            same_request: hash == fingerprint,
        }))
    }
}
