//! Accounts, for administrators (BRIEF §2): list them, create one with a role **and** a scope,
//! disable and enable, and read the log of every change (who, when, why). Administrators see no
//! person records; they link a prisoner's account to a person by id only.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use halden_domain::validate::FieldError;
use halden_storage::{AccountChange, NewUser, User};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, once, parse_id, typed},
    auth::{api_caller, hash_password},
    error::ApiError,
};

/// The account routes of the API.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(list).post(create))
        .route("/api/v1/users/{id}/disable", post(disable))
        .route("/api/v1/users/{id}/enable", post(enable))
        .route("/api/v1/account-log", get(log))
}

/// A request to create an account, as the API and the form send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountRequest {
    /// Login name: 2–40 of `a-z 0-9 . _ -`.
    pub username: String,
    /// Name shown in histories.
    pub display_name: String,
    /// The first password (at least 12 characters); the holder changes it.
    pub password: String,
    /// Role (`officer`, `contact`, …).
    pub role: String,
    /// The unit name (prison staff, health), the office id (probation); empty otherwise.
    #[serde(default)]
    pub scope: Option<String>,
    /// For a prisoner's account: their person id.
    #[serde(default)]
    pub person_id: Option<i64>,
}

/// Checks a request against the roles, the estate and the register; every problem names its
/// field.
pub(crate) async fn validate(
    state: &AppState,
    request: &AccountRequest,
) -> Result<NewUser, ApiError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, en: String, nb: String| {
        problems.push(FieldError::bilingual(field, None, en, nb));
    };
    let username = request.username.trim();
    if username.len() < 2
        || username.len() > 40
        || !username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        problem(
            "username",
            "must be 2 to 40 characters: small letters a–z, digits, '.', '_' or '-'".into(),
            "må være 2 til 40 tegn: små bokstaver a–z, sifre, «.», «_» eller «-»".into(),
        );
    }
    let display_name = request.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        problem(
            "display_name",
            "must be 1 to 100 characters".into(),
            "må være 1 til 100 tegn".into(),
        );
    }
    let length = request.password.chars().count();
    if !(12..=200).contains(&length) {
        problem(
            "password",
            "must be 12 to 200 characters".into(),
            "må være 12 til 200 tegn".into(),
        );
    }
    let scope = request
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let role = Role::parse(request.role.trim());
    let (scope_kind, scope_id) = match role {
        None => {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            problem(
                "role",
                format!("must be one of {}", names.join(", ")),
                format!("må være en av {}", names.join(", ")),
            );
            ("none", None)
        }
        Some(Role::Officer | Role::Contact | Role::Leader | Role::Health) => {
            let prisons = state.store.prisons().await?;
            match scope {
                Some(unit) if prisons.iter().any(|p| p.unit == unit) => ("unit", Some(unit)),
                Some(unit) => {
                    problem(
                        "scope",
                        format!("no prison unit named '{unit}'"),
                        format!("ingen fengselsenhet heter «{unit}»"),
                    );
                    ("unit", None)
                }
                None => {
                    problem(
                        "scope",
                        "this role needs a prison unit".into(),
                        "denne rollen trenger en fengselsenhet".into(),
                    );
                    ("unit", None)
                }
            }
        }
        Some(Role::Probation) => {
            let offices = state.store.probation_offices().await?;
            match scope {
                Some(office) if offices.iter().any(|o| o.id == office) => ("office", Some(office)),
                Some(office) => {
                    problem(
                        "scope",
                        format!("no probation office with id '{office}'"),
                        format!("intet friomsorgskontor har id «{office}»"),
                    );
                    ("office", None)
                }
                None => {
                    problem(
                        "scope",
                        "this role needs a probation office id".into(),
                        "denne rollen trenger et friomsorgskontor".into(),
                    );
                    ("office", None)
                }
            }
        }
        Some(role) => {
            if scope.is_some() {
                problem(
                    "scope",
                    format!("the role {} has no scope", role.as_str()),
                    format!("rollen {} har ikke noe ansvarsområde", role.as_str()),
                );
            }
            match role {
                Role::Placement => ("national", None),
                Role::Prisoner => ("self", None),
                _ => ("none", None),
            }
        }
    };
    let person_id = match (role, request.person_id) {
        (Some(Role::Prisoner), Some(id)) => {
            if state.store.person(id).await?.is_none() {
                problem(
                    "person_id",
                    format!("no person with id {id}"),
                    format!("ingen person har id {id}"),
                );
            }
            Some(id)
        }
        (Some(Role::Prisoner), None) => {
            problem(
                "person_id",
                "a prisoner's account needs the person's id".into(),
                "en innsatts konto trenger personens id".into(),
            );
            None
        }
        (_, Some(_)) => {
            problem(
                "person_id",
                "only a prisoner's account is linked to a person".into(),
                "bare en innsatts konto knyttes til en person".into(),
            );
            None
        }
        (_, None) => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    Ok(NewUser {
        username: username.to_string(),
        display_name: display_name.to_string(),
        password_hash: hash_password(&request.password)?,
        role: request.role.trim().to_string(),
        scope_kind: scope_kind.to_string(),
        scope_id: scope_id.map(ToString::to_string),
        person_id,
        demo: false,
    })
}

/// An account as the API shows it (never the password hash).
pub(crate) fn account_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "scope_kind": user.scope_kind,
        "scope": user.scope_id,
        "person_id": user.person_id,
        "demo": user.is_demo(),
        "created_at": user.created_at,
        "disabled_at": user.disabled_at,
    })
}

fn change_json(change: &AccountChange) -> Value {
    json!({
        "id": change.id,
        "at": change.at,
        "by": change.by_username,
        "user_id": change.user_id,
        "username": change.username,
        "action": change.action,
        "detail": change.detail,
    })
}

async fn admin(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let caller = api_caller(&state.store, headers).await?;
    caller.require(&[Role::Admin])?;
    Ok(caller)
}

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    admin(&state, &headers).await?;
    let users = state.store.users().await?;
    Ok(Json(json!({"users": users.iter().map(account_json).collect::<Vec<_>>()})).into_response())
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = admin(&state, &headers).await?;
    let value = json_body(&body)?;
    once(
        &state,
        &caller,
        &headers,
        "POST /api/v1/users",
        &body,
        StatusCode::CREATED,
        |id: &i64| json!({ "id": id }).to_string(),
        |key| async {
            let key = key;
            let request: AccountRequest = typed(value)?;
            let user = validate(&state, &request).await?;
            Ok(state
                .store
                .create_account(&actor(&caller), &user, key.as_ref())
                .await?)
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    reason: String,
}

async fn set_disabled(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    body: &[u8],
    disabled: bool,
) -> Result<Response, ApiError> {
    let caller = admin(state, headers).await?;
    let id = parse_id(id)?;
    let request: ReasonBody = typed(json_body(body)?)?;
    let user = state
        .store
        .set_account_disabled(&actor(&caller), id, disabled, &request.reason)
        .await?;
    Ok(Json(account_json(&user)).into_response())
}

async fn disable(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    set_disabled(&state, &headers, &id, &body, true).await
}

async fn enable(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    set_disabled(&state, &headers, &id, &body, false).await
}

#[derive(Debug, Deserialize)]
struct LogQuery {
    user: Option<String>,
    limit: Option<i64>,
}

async fn log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LogQuery>,
) -> Result<Response, ApiError> {
    admin(&state, &headers).await?;
    let user = query.user.as_deref().map(parse_id).transpose()?;
    let changes = state
        .store
        .account_log(user, query.limit.unwrap_or(100))
        .await?;
    Ok(
        Json(json!({"changes": changes.iter().map(change_json).collect::<Vec<_>>()}))
            .into_response(),
    )
}
