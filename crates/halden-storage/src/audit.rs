//! The access log: every read of a person's record (BRIEF §2, §4). Append-only.

use crate::{StorageError, Store, flag, now_text};

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
    /// Records a read. Written through the write connection and committed before the record is
    /// shown, so no read goes unlogged.
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
        sqlx::query(
            "INSERT INTO access_log (at, user_id, username, role, person_id, view, purpose, \
             break_glass) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now_text())
        .bind(user_id)
        .bind(username)
        .bind(role)
        .bind(person_id)
        .bind(view)
        .bind(purpose)
        .bind(i64::from(purpose.is_some()))
        .execute(&self.write)
        .await?;
        Ok(())
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
