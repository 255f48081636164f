//! Accounts and sessions. Passwords are stored as argon2 hashes by the caller; session and API
//! tokens are stored only as SHA-256 hashes, so a copy of the database opens no session.

use sha2::{Digest, Sha256};

use crate::{StorageError, Store, flag, now_text};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown in histories.
    pub display_name: String,
    /// argon2 hash (PHC string).
    pub password_hash: String,
    /// Role (`officer`, `contact`, `leader`, `placement`, `probation`, `health`, `prisoner`,
    /// `analyst`, `admin`).
    pub role: String,
    /// `unit`, `office`, `national`, `self` or `none`.
    pub scope_kind: String,
    /// The unit name or office id of the scope.
    pub scope_id: Option<String>,
    /// For a prisoner: their own person id.
    pub person_id: Option<i64>,
    /// 1 for a demo account.
    pub demo: i64,
    /// When created.
    pub created_at: String,
    /// When disabled (RFC 3339); a disabled account cannot sign in and its sessions are void.
    pub disabled_at: Option<String>,
}

impl User {
    /// Whether this is a demo account.
    pub fn is_demo(&self) -> bool {
        flag(self.demo)
    }

    /// Whether the account is disabled.
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

/// A new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// argon2 hash.
    pub password_hash: String,
    /// Role.
    pub role: String,
    /// Scope kind.
    pub scope_kind: String,
    /// Scope id.
    pub scope_id: Option<String>,
    /// Linked person.
    pub person_id: Option<i64>,
    /// Demo account.
    pub demo: bool,
}

/// Web session or API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser session (cookie, with a CSRF token).
    Web,
    /// An API bearer token.
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user.
    pub user: User,
    /// The CSRF token forms must carry.
    pub csrf_token: String,
    /// Web or API.
    pub kind: SessionKind,
}

/// A session joined with its user, as read.
#[derive(sqlx::FromRow)]
struct SessionRow {
    csrf_token: String,
    #[sqlx(flatten)]
    user: User,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) const USER_COLUMNS: &str = "id, username, display_name, password_hash, role, \
    scope_kind, scope_id, person_id, demo, created_at, disabled_at";

/// Inserts an account; returns its id. Shared by [`Store::ensure_user`] and
/// `Store::create_account` (which also logs the change in its transaction).
pub(crate) async fn insert_user<'e, E>(executor: E, user: &NewUser) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, role, scope_kind, scope_id, \
         person_id, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(user.username.as_str())
    .bind(user.display_name.as_str())
    .bind(user.password_hash.as_str())
    .bind(user.role.as_str())
    .bind(user.scope_kind.as_str())
    .bind(user.scope_id.clone())
    .bind(user.person_id)
    .bind(i64::from(user.demo))
    .bind(now_text())
    .fetch_one(executor)
    .await?;
    Ok(id)
}

impl Store {
    /// Creates an account, or returns the existing one's id when the username is taken.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn ensure_user(&self, user: &NewUser) -> Result<i64, StorageError> {
        if let Some(existing) = self.user_by_name(&user.username).await? {
            return Ok(existing.id);
        }
        let id = insert_user(&self.write, user).await?;
        Ok(id)
    }

    /// An account by login name.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.write)
        .await?)
    }

    /// An account's display name, from the read pool (for pages that name a person's contact
    /// officer; sign-in keeps [`Store::user_by_name`] on the writer).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn display_name_of(&self, username: &str) -> Result<Option<String>, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT display_name FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Every account.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn users(&self) -> Result<Vec<User>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(&self.read)
        .await?)
    }

    /// Opens a session for `user_id` under `token` (kept only as a hash) until `expires_at`
    /// (RFC 3339).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn open_session(
        &self,
        user_id: i64,
        token: &str,
        csrf_token: &str,
        kind: SessionKind,
        expires_at: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(token))
        .bind(user_id)
        .bind(kind.as_str())
        .bind(csrf_token)
        .bind(now_text())
        .bind(expires_at)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The live session under `token` of `kind`, if it has not expired by `now` (RFC 3339).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn session(
        &self,
        token: &str,
        kind: SessionKind,
        now: &str,
    ) -> Result<Option<Session>, StorageError> {
        // One statement: this runs on every signed-in request.
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.csrf_token, u.id, u.username, u.display_name, u.password_hash, u.role, \
             u.scope_kind, u.scope_id, u.person_id, u.demo, u.created_at, u.disabled_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.kind = $2 AND s.expires_at > $3",
        )
        .bind(token_hash(token))
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.read)
        .await?;
        // A disabled account's sessions end with it.
        Ok(row
            .filter(|row| !row.user.is_disabled())
            .map(|row| Session {
                user: row.user,
                csrf_token: row.csrf_token,
                kind,
            }))
    }

    /// Ends the session under `token`.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn close_session(&self, token: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
