//! Sign-in: argon2 password hashes, random tokens, the session cookie for the web and bearer
//! tokens for the API, and CSRF tokens for forms.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use axum::http::{HeaderMap, header};
use halden_storage::{SessionKind, Store};

use crate::{access::Caller, error::ApiError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "halden_session";
/// The cookie carrying the sign-in form's CSRF token (double submit, before a session exists).
pub const LOGIN_CSRF_COOKIE: &str = "halden_login_csrf";
/// How long a session or token lives.
pub const SESSION_HOURS: i64 = 10;

/// Hashes a password with argon2id and a random salt.
///
/// # Errors
///
/// The hasher failed (should not happen with default parameters).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing: {e}")))
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random token: 32 bytes from the operating system, hex.
///
/// # Errors
///
/// The operating system gave no randomness.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Checks a username and password; on success opens a session of `kind` and returns its token
/// and CSRF token. Failure says only that the pair is wrong.
///
/// # Errors
///
/// `Invalid` naming `password` when the pair is wrong; storage failures.
pub async fn sign_in(
    store: &Store,
    username: &str,
    password: &str,
    kind: SessionKind,
) -> Result<(String, String), ApiError> {
    let user = store.user_by_name(username.trim()).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4r2zW1tI3T1V2rvQ3l5Xy3i8W5m4jE4kq8H9d0S1aZU";
    let matches = match &user {
        Some(user) => verify_password(password, &user.password_hash),
        None => {
            verify_password(password, dummy);
            false
        }
    };
    let Some(user) = user.filter(|_| matches) else {
        return Err(ApiError::invalid(
            "password",
            "the username or the password is wrong",
        ));
    };
    // Told only to whoever knows the password.
    if user.is_disabled() {
        return Err(ApiError::invalid(
            "username",
            "this account is disabled; ask an administrator",
        ));
    }
    let token = random_token()?;
    let csrf = random_token()?;
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    store
        .open_session(user.id, &token, &csrf, kind, &expires.to_string())
        .await?;
    Ok((token, csrf))
}

/// The value of cookie `name` in a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The API caller from `Authorization: Bearer …`.
///
/// # Errors
///
/// `Unauthenticated` without a valid, unexpired token.
pub async fn api_caller(store: &Store, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthenticated)?;
    let now = jiff::Timestamp::now().to_string();
    let session = store
        .session(token, SessionKind::Api, &now)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Caller::new(session.user, session.csrf_token)
}

/// The web caller from the session cookie, if signed in.
///
/// # Errors
///
/// Storage failures only; no session is `Ok(None)`.
pub async fn web_caller(store: &Store, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let now = jiff::Timestamp::now().to_string();
    match store.session(token, SessionKind::Web, &now).await? {
        Some(session) => Caller::new(session.user, session.csrf_token).map(Some),
        None => Ok(None),
    }
}

/// Compares two tokens in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
