//! Administering accounts (BRIEF §2, administrator): creating, disabling and enabling them, each
//! change written with who, when and why to the append-only `account_log` in the same
//! transaction as the change.

use crate::{
    StorageError, Store,
    idempotency::{AnswerKey, claim_key_in, keep_answer_in},
    now_text,
    register::{Actor, unique_violation},
    users::{NewUser, USER_COLUMNS, User, insert_user},
};

/// One change to an account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountChange {
    /// Id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who made the change (their account id), when it was a person.
    pub by_user_id: Option<i64>,
    /// Who made the change, as recorded.
    pub by_username: String,
    /// The account changed.
    pub user_id: i64,
    /// Its username.
    pub username: String,
    /// `created`, `disabled` or `enabled`.
    pub action: String,
    /// Role and scope for a creation; the reason for a disabling or enabling.
    pub detail: String,
}

impl Store {
    /// Creates an account and logs it, keeping the API's idempotent answer with it. The caller
    /// has validated role and scope.
    ///
    /// # Errors
    ///
    /// `Invalid` naming `username` when it is taken; `KeyTaken`; database failures. Nothing is
    /// written then.
    pub async fn create_account(
        &self,
        by: &Actor,
        user: &NewUser,
        key: Option<&AnswerKey<i64>>,
    ) -> Result<i64, StorageError> {
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let id = insert_user(&mut *tx, user).await.map_err(|e| {
            if unique_violation(&e) {
                StorageError::invalid_bilingual(
                    "username",
                    "is taken; choose another",
                    "er allerede i bruk; velg et annet",
                )
            } else {
                e.into()
            }
        })?;
        let detail = format!(
            "role {}, scope {} {}",
            user.role,
            user.scope_kind,
            user.scope_id.as_deref().unwrap_or("")
        );
        Self::log_account_change(&mut tx, by, id, &user.username, "created", detail.trim()).await?;
        keep_answer_in(key, &mut tx, &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Disables or enables an account, with the reason, and logs it. A disabled account cannot
    /// sign in and its open sessions stop working at once.
    ///
    /// # Errors
    ///
    /// `NotFound`; `Invalid` naming `reason` when it is blank, `id` when `by` would disable their
    /// own account, or `disabled` when the account already is so; database failures.
    pub async fn set_account_disabled(
        &self,
        by: &Actor,
        user_id: i64,
        disabled: bool,
        reason: &str,
    ) -> Result<User, StorageError> {
        if reason.trim().is_empty() {
            return Err(StorageError::invalid_bilingual(
                "reason",
                "is required",
                "må fylles ut",
            ));
        }
        if disabled && by.user_id == Some(user_id) {
            return Err(StorageError::invalid_bilingual(
                "id",
                "you cannot disable your own account",
                "du kan ikke sperre din egen konto",
            ));
        }
        let mut tx = self.write.begin().await?;
        let user: User = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StorageError::NotFound)?;
        if user.is_disabled() == disabled {
            return Err(if disabled {
                StorageError::invalid_bilingual(
                    "disabled",
                    "the account is already disabled",
                    "kontoen er allerede sperret",
                )
            } else {
                StorageError::invalid_bilingual(
                    "disabled",
                    "the account is not disabled",
                    "kontoen er ikke sperret",
                )
            });
        }
        let at = disabled.then(now_text);
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(at.clone())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled { "disabled" } else { "enabled" };
        Self::log_account_change(&mut tx, by, user_id, &user.username, action, reason.trim())
            .await?;
        tx.commit().await?;
        Ok(User {
            disabled_at: at,
            ..user
        })
    }

    /// An account by id.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn user(&self, id: i64) -> Result<Option<User>, StorageError> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Changes to accounts, newest first; only those of `user` when given (at most 1 000).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn account_log(
        &self,
        user: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AccountChange>, StorageError> {
        let columns = "id, at, by_user_id, by_username, user_id, username, action, detail";
        let limit = limit.clamp(1, 1_000);
        // `$1 IS NULL` keeps one statement for both: all accounts, or one.
        let sql = format!(
            "SELECT {columns} FROM account_log WHERE ($1 IS NULL OR user_id = $1) \
             ORDER BY id DESC LIMIT {limit}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(user)
            .fetch_all(&self.read)
            .await?)
    }

    async fn log_account_change(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        by: &Actor,
        user_id: i64,
        username: &str,
        action: &str,
        detail: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO account_log (at, by_user_id, by_username, user_id, username, action, \
             detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now_text())
        .bind(by.user_id)
        .bind(by.name.as_str())
        .bind(user_id)
        .bind(username)
        .bind(action)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
