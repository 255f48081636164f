//! Answers to creating requests, kept by the caller's `Idempotency-Key`, so that a retried
//! request creates nothing new and gets the first answer again.

use sha2::{Digest, Sha256};

use crate::{StorageError, Store, now_text};

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

    /// Keeps the answer to a request under its key. A key already used keeps its first answer.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn keep_answer(
        &self,
        user_id: i64,
        key: &str,
        route: &str,
        body: &[u8],
        status: u16,
        answer: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, status, body, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id, idempotency_key) DO NOTHING",
        )
        .bind(user_id)
        .bind(key)
        .bind(request_hash(route, body))
        .bind(i64::from(status))
        .bind(answer)
        .bind(now_text())
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
