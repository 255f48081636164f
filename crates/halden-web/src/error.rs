//! The API's error answers: `{"errors": [{"field", "message"}]}` with a status that says what
//! kind of refusal it is. Never a panic, never a 500 for bad input.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use halden_domain::validate::FieldError;
use halden_storage::StorageError;
use serde_json::json;

/// A refusal or failure, as the API answers it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the input breaks the contract or a rule.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// 401: no valid token or session.
    #[error("not signed in")]
    Unauthenticated,
    /// 403: the role may never do this.
    #[error("forbidden")]
    Forbidden,
    /// 404: no such thing, or not in the caller's scope.
    #[error("not found")]
    NotFound,
    /// 409: a stale version.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 409: the `Idempotency-Key` was used before for a different request.
    #[error("idempotency key reused for a different request")]
    KeyReused,
    /// 409: a request under the same `Idempotency-Key` completed first while this one ran; the
    /// API replays that answer instead (see `api::once`), so callers rarely see this.
    #[error("idempotency key taken by a concurrent request")]
    KeyTaken,
    /// 500: the server failed (logged; the message does not leak details).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// An invalid-input error with one problem.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![FieldError::new(field, None, message)])
    }

    /// An invalid-input error with one problem, in English and bokmål (anything a page shows).
    pub fn invalid_bilingual(
        field: &str,
        en: impl Into<String>,
        nb: impl Into<String>,
    ) -> ApiError {
        ApiError::Invalid(vec![FieldError::bilingual(field, None, en, nb)])
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::KeyReused | ApiError::KeyTaken => {
                StatusCode::CONFLICT
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problems as `(field, message)` pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        match self {
            ApiError::Invalid(list) => list
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect(),
            ApiError::Unauthenticated => vec![("authorization".into(), "sign in first".into())],
            ApiError::Forbidden => vec![("role".into(), "your role does not allow this".into())],
            ApiError::NotFound => vec![("id".into(), "not found".into())],
            ApiError::Conflict(message) => vec![("version".into(), message.clone())],
            ApiError::KeyReused => vec![(
                "Idempotency-Key".into(),
                "this key was used for a different request; use a new key".into(),
            )],
            ApiError::KeyTaken => vec![(
                "Idempotency-Key".into(),
                "a request with this key was completing at the same time; retry it to get its answer"
                    .into(),
            )],
            ApiError::Internal(_) => vec![(
                "server".into(),
                "the server failed; the error is logged".into(),
            )],
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        json!({"errors": self.problems().into_iter().map(|(field, message)| json!({"field": field, "message": message})).collect::<Vec<_>>()})
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        match error {
            StorageError::Invalid(list) => ApiError::Invalid(list),
            StorageError::NotFound => ApiError::NotFound,
            StorageError::KeyTaken => ApiError::KeyTaken,
            StorageError::Conflict { expected, current } => ApiError::Conflict(format!(
                "the record is at version {current}; your request was based on version {expected}. \
                 Reload and try again."
            )),
            other => {
                tracing::error!(error = %other, "storage failure");
                ApiError::Internal(other.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        (self.status(), Json(self.body())).into_response()
    }
}
