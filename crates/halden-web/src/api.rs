//! The JSON API under `/api/v1` (contract in issue 4 and `openapi.json`).

use std::future::Future;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use halden_storage::{
    AccessQuery, Actor, AnswerKey, PersonFilter, PersonRow, SessionKind,
    facts::{Fact, Identity},
    projection::next_key_date,
    request_hash,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, ContactOfficerRefusal, Role, View, contact_officer_refusal},
    auth::{api_caller, sign_in},
    error::ApiError,
    import::read_court_file,
};

/// The API's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/persons", get(list_persons).post(register_person))
        .route("/api/v1/persons/{id}", get(person))
        .route("/api/v1/persons/{id}/dates", get(dates))
        .route(
            "/api/v1/persons/{id}/entries",
            get(entries).post(append_entry),
        )
        .route("/api/v1/judgments/import", post(import_judgments))
        .route("/api/v1/access-log", get(access_log))
        .route("/api/v1/prisons", get(prisons))
}

/// Parses a JSON body, naming the problem.
pub(crate) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Err(ApiError::invalid("$", "the request needs a JSON body"));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::invalid("$", format!("not valid JSON: {e}")))
}

/// Reads a typed JSON body with the failing field's path.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        ApiError::invalid(
            &halden_storage::facts::field_path("", &path, &message),
            message,
        )
    })
}

async fn login(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let value = json_body(&body)?;
    let username = value.get("username").and_then(Value::as_str);
    let password = value.get("password").and_then(Value::as_str);
    let mut problems = Vec::new();
    if username.is_none_or(|u| u.trim().is_empty()) {
        problems.push(halden_domain::validate::FieldError::new(
            "username",
            None,
            "is required (a string)",
        ));
    }
    if password.is_none_or(str::is_empty) {
        problems.push(halden_domain::validate::FieldError::new(
            "password",
            None,
            "is required (a string)",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    match sign_in(
        &state.store,
        username.unwrap_or_default(),
        password.unwrap_or_default(),
        SessionKind::Api,
    )
    .await
    {
        Ok((token, _)) => Ok(Json(json!({
            "token": token,
            "token_type": "Bearer",
            "expires_in_hours": crate::auth::SESSION_HOURS,
        }))
        .into_response()),
        Err(ApiError::Invalid(list)) => Ok((
            StatusCode::UNAUTHORIZED,
            Json(ApiError::Invalid(list).body()),
        )
            .into_response()),
        Err(other) => Err(other),
    }
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The persons a caller may list: their unit, office caseload, themselves, or all (placement).
pub(crate) fn scope_filter(
    caller: &Caller,
    today: jiff::civil::Date,
) -> Result<PersonFilter, ApiError> {
    let mut filter = PersonFilter {
        today: Some(today),
        limit: 100,
        ..PersonFilter::default()
    };
    match caller.role {
        Role::Officer | Role::Contact | Role::Leader | Role::Health => {
            filter.unit = Some(caller.scope().ok_or(ApiError::Forbidden)?.to_string());
            filter.in_custody = true;
            if caller.role == Role::Contact {
                filter.contact_officer = Some(caller.user.username.clone());
            }
        }
        Role::Probation => {
            filter.supervision_office =
                Some(caller.scope().ok_or(ApiError::Forbidden)?.to_string());
        }
        Role::Placement => {}
        Role::Prisoner => filter.person = Some(caller.user.person_id.ok_or(ApiError::Forbidden)?),
        Role::Analyst | Role::Admin => return Err(ApiError::Forbidden),
    }
    Ok(filter)
}

async fn list_persons(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let today = state.today();
    let mut filter = scope_filter(&caller, today)?;
    filter.search = query.q;
    filter.limit = query.limit.unwrap_or(100).clamp(1, 1000);
    filter.offset = query.offset.unwrap_or(0).max(0);
    let rows = state.store.persons(&filter).await?;
    let view = if caller.role == Role::Health {
        View::Restricted
    } else {
        View::Full
    };
    Ok(Json(json!({
        "persons": rows.iter().map(|p| person_json(p, view, today, false)).collect::<Vec<_>>(),
        "limit": filter.limit,
        "offset": filter.offset,
    })))
}

/// The stated purpose of a break-glass read: the `X-Break-Glass-Purpose` header (UTF-8). A
/// header that is sent must state a purpose: a blank one is refused, never read as none.
fn purpose(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("x-break-glass-purpose") else {
        return Ok(None);
    };
    match std::str::from_utf8(value.as_bytes()).map(str::trim) {
        Ok(text) if !text.is_empty() => Ok(Some(text.to_string())),
        Ok(_) => Err(ApiError::invalid(
            "X-Break-Glass-Purpose",
            "must state the purpose of the read; it must not be blank",
        )),
        Err(_) => Err(ApiError::invalid(
            "X-Break-Glass-Purpose",
            "must be UTF-8 text",
        )),
    }
}

pub(crate) fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("id", "must be a positive whole number"))
}

/// A person's record as JSON for `view`.
pub(crate) fn person_json(
    p: &PersonRow,
    view: View,
    today: jiff::civil::Date,
    break_glass: bool,
) -> Value {
    let next = p
        .key_dates
        .as_deref()
        .and_then(|k| next_key_date(k, today))
        .map(|(name, date)| json!({"name": name, "date": date.to_string()}));
    match view {
        View::Restricted => json!({
            "id": p.id,
            "view": "restricted",
            "family_name": p.family_name,
            "given_names": p.given_names,
            "custody": {"status": p.status, "prison": p.prison_id, "unit": p.unit},
            "release_date": p.end_of_sentence,
        }),
        View::Full => json!({
            "id": p.id,
            "view": "full",
            "version": p.version,
            "identity_number": p.identity_number,
            "temporary_id": p.temporary_id,
            "family_name": p.family_name,
            "given_names": p.given_names,
            "birth_date": p.birth_date,
            "sex": p.sex,
            "citizenship": p.citizenship,
            "languages": p.languages.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
            "interpreter_needed": p.needs_interpreter(),
            "home_municipality": p.home_municipality,
            "custody": {
                "status": p.status,
                "prison": p.prison_id,
                "unit": p.unit,
                "basis": p.basis,
                "security_level": p.security_level,
                "episode_start": p.episode_start,
                "serving_start": p.serving_start,
            },
            "supervision": p.supervision_kind.as_ref().map(|kind| json!({
                "kind": kind,
                "office": p.supervision_office,
                "until": p.supervision_until,
            })),
            "end_of_sentence": p.end_of_sentence,
            "next_key_date": next,
            "incidents": p
                .incidents
                .as_deref()
                .and_then(|i| serde_json::from_str::<Value>(i).ok())
                .unwrap_or_else(|| json!([])),
            "waiting": p.queue_received.as_ref().map(|received| json!({
                "received": received,
                "form": p.queue_form,
                "summons": p.summons_date.as_ref().map(|d| json!({"serving_date": d, "prison": p.summons_prison})),
                "non_appearance": p.non_appearance,
            })),
            "expulsion": p.expulsion().map(|e| serde_json::to_value(e).unwrap_or(Value::Null)),
            "handover": p.handover().map(|h| json!({"at": h.at.to_string(), "institution": h.institution})),
            "release_plan": p
                .release_plan
                .as_deref()
                .and_then(|r| serde_json::from_str::<Value>(r).ok()),
            "break_glass": break_glass,
        }),
    }
}

/// Loads a person the caller may read, logging the read under `view_name`.
pub(crate) async fn read_person(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
    purpose: Option<&str>,
    full_only: bool,
) -> Result<(PersonRow, View, bool), ApiError> {
    if matches!(caller.role, Role::Analyst | Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    if full_only && caller.role == Role::Health {
        return Err(ApiError::Forbidden);
    }
    let person = state.store.person(id).await?.ok_or(ApiError::NotFound)?;
    let today = state.today();
    let (view, glass) = caller.read_person(&person, today, purpose)?;
    state
        .store
        .log_access(
            caller.user.id,
            &caller.user.username,
            caller.role.as_str(),
            person.id,
            view_name,
            if glass { purpose } else { None },
        )
        .await?;
    Ok((person, view, glass))
}

async fn person(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let purpose = purpose(&headers)?;
    let (person, view, glass) =
        read_person(&state, &caller, id, "api_person", purpose.as_deref(), false).await?;
    Ok(Json(person_json(&person, view, state.today(), glass)))
}

async fn dates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let purpose = purpose(&headers)?;
    let (person, _, _) =
        read_person(&state, &caller, id, "api_dates", purpose.as_deref(), true).await?;
    let document = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
        .ok_or_else(|| {
            ApiError::Invalid(vec![halden_domain::validate::FieldError::new(
                "dates",
                None,
                "no key dates: the person is not serving a sentence with a registered judgment",
            )])
        })?;
    Ok(Json(document))
}

/// An entry as JSON.
pub(crate) fn entry_json(e: &halden_storage::EntryRow) -> Value {
    json!({
        "id": e.id,
        "kind": e.kind,
        "payload": e.payload_json(),
        "recorded_at": e.recorded_at,
        "recorded_by": e.recorded_by_name,
        "corrects": e.corrects,
        "reason": e.reason,
    })
}

async fn entries(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let purpose = purpose(&headers)?;
    let (person, _, _) =
        read_person(&state, &caller, id, "api_entries", purpose.as_deref(), true).await?;
    let list = state.store.entries_at(person.id, person.version).await?;
    Ok(Json(json!({
        "person": person.id,
        "version": person.version,
        "entries": list.iter().map(entry_json).collect::<Vec<_>>(),
    })))
}

/// Runs a creating request at most once per `Idempotency-Key` (per user): a repeated key with the
/// same request replays the first answer (`Idempotent-Replay: true`), a repeated key with a
/// different request is refused. The answer is kept in the create's own transaction
/// (`create` receives the [`AnswerKey`] to pass to the store), so a crash can never leave a
/// created record without its answer; two racing retries create one record and both get its
/// answer.
#[allow(clippy::too_many_arguments, reason = "the parts of one request")]
pub(crate) async fn once<T, F, Fut>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    status: StatusCode,
    render: fn(&T) -> String,
    create: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(Option<AnswerKey<T>>) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .map(ToString::to_string)
                .ok_or_else(|| {
                    ApiError::invalid("Idempotency-Key", "must be 1 to 200 visible characters")
                })
        })
        .transpose()?;
    if let Some(key) = &key
        && let Some(response) = replay(state, caller, key, route, body).await?
    {
        return Ok(response);
    }
    let answer_key = key.clone().map(|key| AnswerKey {
        user_id: caller.user.id,
        key,
        request_hash: request_hash(route, body),
        status: status.as_u16(),
        render,
    });
    match create(answer_key).await {
        Ok(outcome) => Ok((
            status,
            [(header::CONTENT_TYPE, "application/json")],
            render(&outcome),
        )
            .into_response()),
        // A retry under the same key committed first: answer as it was answered.
        Err(ApiError::KeyTaken) => match &key {
            Some(key) => replay(state, caller, key, route, body)
                .await?
                .ok_or(ApiError::KeyTaken),
            None => Err(ApiError::KeyTaken),
        },
        Err(other) => Err(other),
    }
}

/// The answer kept under `key`, as a response, if the key was used before.
async fn replay(
    state: &AppState,
    caller: &Caller,
    key: &str,
    route: &str,
    body: &[u8],
) -> Result<Option<Response>, ApiError> {
    let Some(answer) = state
        .store
        .idempotent_answer(caller.user.id, key, route, body)
        .await?
    else {
        return Ok(None);
    };
    if !answer.same_request {
        return Err(ApiError::KeyReused);
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    Ok(Some(
        (
            status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::HeaderName::from_static("idempotent-replay"), "true"),
            ],
            answer.body,
        )
            .into_response(),
    ))
}

/// The answer to a registration or an appended entry: `{"<id_name>": id, "version": v}`.
fn id_and_version(id_name: &'static str, (id, version): &(i64, i64)) -> String {
    json!({ id_name: id, "version": version }).to_string()
}

/// The caller as the author of an entry.
pub(crate) fn actor(caller: &Caller) -> Actor {
    Actor {
        user_id: Some(caller.user.id),
        name: format!("{} ({})", caller.user.display_name, caller.role.as_str()),
    }
}

async fn register_person(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Officer, Role::Leader, Role::Placement])?;
    let value = json_body(&body)?;
    once(
        &state,
        &caller,
        &headers,
        "POST /api/v1/persons",
        &body,
        StatusCode::CREATED,
        |created| id_and_version("id", created),
        |key| async {
            let key = key;
            let (identity, admission) = registration(&value)?;
            if let Some(Fact::Movement(m)) = &admission {
                check_admission_scope(&state, &caller, m.prison.as_deref()).await?;
                check_youth_unit(&state, identity.birth_date, m, "admission").await?;
            }
            let then: Vec<Fact> = admission.into_iter().collect();
            Ok(state
                .store
                .register_person(&actor(&caller), &identity, &then, key.as_ref())
                .await?)
        },
    )
    .await
}

/// Reads `{"identity": {…}, "admission": {movement…}?}`.
pub(crate) fn registration(value: &Value) -> Result<(Identity, Option<Fact>), ApiError> {
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::invalid("$", "must be an object"))?;
    if let Some(unknown) = object
        .keys()
        .find(|k| !matches!(k.as_str(), "identity" | "admission"))
    {
        return Err(ApiError::invalid(
            unknown,
            "unknown field; expected 'identity' and 'admission'",
        ));
    }
    let mut problems = Vec::new();
    let identity = match object.get("identity") {
        None => {
            problems.push(halden_domain::validate::FieldError::new(
                "identity",
                None,
                "is required",
            ));
            None
        }
        Some(v) => match Fact::from_payload("identity", v, "identity") {
            Ok(Fact::Identity(i)) => Some(i),
            Ok(_) => None,
            Err(list) => {
                problems.extend(list);
                None
            }
        },
    };
    let admission = match object.get("admission") {
        None | Some(Value::Null) => None,
        Some(v) => match Fact::from_payload("movement", v, "admission") {
            Ok(Fact::Movement(m)) if m.movement == "admission" => Some(Fact::Movement(m)),
            Ok(_) => {
                problems.push(halden_domain::validate::FieldError::new(
                    "admission.movement",
                    None,
                    "must be 'admission'",
                ));
                None
            }
            Err(list) => {
                problems.extend(list);
                None
            }
        },
    };
    match identity {
        Some(identity) if problems.is_empty() => Ok((identity, admission)),
        _ => Err(ApiError::Invalid(problems)),
    }
}

/// Unit staff admit only into their own unit's prisons.
pub(crate) async fn check_admission_scope(
    state: &AppState,
    caller: &Caller,
    prison: Option<&str>,
) -> Result<(), ApiError> {
    if !caller.role.is_unit_staff() {
        return Ok(());
    }
    let Some(prison) = prison else {
        return Ok(());
    };
    let prisons = state.store.prisons().await?;
    match prisons.iter().find(|p| p.id == prison) {
        None => Err(ApiError::invalid(
            "admission.prison",
            format!("no prison with id '{prison}'"),
        )),
        Some(p) if Some(p.unit.as_str()) != caller.scope() => Err(ApiError::invalid(
            "prison",
            "you can record movements only into your own unit's prisons",
        )),
        Some(_) => Ok(()),
    }
}

/// A person under 18 on the day of an admission or transfer goes to a youth unit (R-YOUTH-2);
/// another department needs the special grounds written in `youth_exception`, which the entry
/// keeps. The other way round, a youth unit takes no one who is 18 or over on the day: children
/// are kept apart from adults (BRIEF §3.7; no exception). `prefix` names the movement in the
/// request (`payload`, `admission`).
pub(crate) async fn check_youth_unit(
    state: &AppState,
    birth: jiff::civil::Date,
    m: &halden_storage::facts::MovementFact,
    prefix: &str,
) -> Result<(), ApiError> {
    let day = m.at.date();
    if !matches!(m.movement.as_str(), "admission" | "transfer") {
        return Ok(());
    }
    let Some(prison) = m.prison.as_deref() else {
        return Ok(());
    };
    let under_18 = halden_domain::placement::needs_youth_unit(birth, day);
    if !under_18 {
        let prisons = state.store.prisons().await?;
        return match prisons.iter().find(|p| p.id == prison && p.youth != 0) {
            Some(unit) => Err(ApiError::invalid_bilingual(
                &format!("{prefix}.prison"),
                format!(
                    "{} ({}) is a youth unit, for persons under 18; the person is 18 or over on {day} (born {birth}) and is placed with adults (R-YOUTH-2, BRIEF §3.7)",
                    unit.name, unit.id
                ),
                format!(
                    "{} ({}) er en ungdomsenhet, for personer under 18 år; personen er 18 år eller eldre {day} (født {birth}) og plasseres blant voksne (R-YOUTH-2)",
                    unit.name, unit.id
                ),
            )),
            None => Ok(()),
        };
    }
    if m.youth_exception.is_some() {
        return Ok(());
    }
    let prisons = state.store.prisons().await?;
    if prisons.iter().any(|p| p.id == prison && p.youth != 0)
        || !prisons.iter().any(|p| p.id == prison)
    {
        return Ok(());
    }
    let youth_units: Vec<String> = prisons
        .iter()
        .filter(|p| p.youth != 0)
        .map(|p| format!("{} ({})", p.name, p.id))
        .collect();
    let units = youth_units.join(", ");
    Err(ApiError::invalid_bilingual(
        &format!("{prefix}.prison"),
        format!(
            "the person is under 18 on {day} (born {birth}): under-18s are placed in a youth unit ({units}) (R-YOUTH-2); another department needs the special grounds in 'youth_exception'"
        ),
        format!(
            "personen er under 18 år {day} (født {birth}): under 18 år plasseres i en ungdomsenhet ({units}) (R-YOUTH-2); en annen avdeling krever at de særlige grunnene skrives i «særlige grunner (under 18)»"
        ),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewEntry {
    kind: String,
    version: i64,
    payload: Option<Value>,
    corrects: Option<i64>,
    reason: Option<String>,
}

async fn append_entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let value = json_body(&body)?;
    let route = format!("POST /api/v1/persons/{id}/entries");
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        |appended| id_and_version("entry_id", appended),
        |key| async {
            let key = key;
            let request: NewEntry = typed(value)?;
            append_keeping(
                &state,
                &caller,
                id,
                EntryRequest {
                    kind: request.kind.as_str(),
                    version: request.version,
                    payload: request.payload.unwrap_or(Value::Null),
                    corrects: request.corrects,
                    reason: request.reason.as_deref(),
                },
                key.as_ref(),
            )
            .await
        },
    )
    .await
}

/// The kinds of entry a role may be allowed to record.
const KINDS_WRITTEN: [&str; 13] = [
    "identity",
    "judgment",
    "remand_order",
    "movement",
    "security_level",
    "non_counting",
    "supervision",
    "contact_officer",
    "summons",
    "non_appearance",
    "expulsion",
    "release_plan",
    "release_handover",
];

/// One entry to append, as a request names it.
pub(crate) struct EntryRequest<'a> {
    /// The entry's kind (`movement`, `retraction`, …).
    pub kind: &'a str,
    /// The person's version the request is based on.
    pub version: i64,
    /// The fact.
    pub payload: Value,
    /// The entry this one corrects or retracts.
    pub corrects: Option<i64>,
    /// Why (required for a correction).
    pub reason: Option<&'a str>,
}

/// Appends an entry for a person after checking role, scope and, for corrections, the kind of
/// the corrected entry. Shared by the API and the forms.
#[allow(clippy::too_many_arguments, reason = "the parts of one request")]
pub(crate) async fn append(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    kind: &str,
    version: i64,
    payload: Value,
    corrects: Option<i64>,
    reason: Option<&str>,
) -> Result<(i64, i64), ApiError> {
    let request = EntryRequest {
        kind,
        version,
        payload,
        corrects,
        reason,
    };
    append_keeping(state, caller, person_id, request, None).await
}

/// [`append`], keeping the API's idempotent answer in the same transaction.
pub(crate) async fn append_keeping(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EntryRequest<'_>,
    key: Option<&AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    let EntryRequest {
        kind,
        version,
        payload,
        corrects,
        reason,
    } = request;
    // A role that may record nothing is refused before anything is looked up.
    if !KINDS_WRITTEN.iter().any(|k| caller.may_write(k)) {
        return Err(ApiError::Forbidden);
    }
    let person = state
        .store
        .person(person_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let today = state.today();
    // Out of scope reads as absent.
    if !caller.may_write_for(&person, today) {
        return Err(ApiError::NotFound);
    }
    // A retraction is allowed to whoever may write the kind it retracts.
    let effective_kind = if kind == "retraction" {
        let target = corrects.ok_or_else(|| {
            ApiError::invalid("corrects", "a retraction must name the entry it retracts")
        })?;
        state
            .store
            .entry_kind(person_id, target)
            .await?
            .ok_or_else(|| {
                ApiError::invalid("corrects", format!("this person has no entry {target}"))
            })?
    } else {
        kind.to_string()
    };
    if !caller.may_write(&effective_kind) {
        return Err(ApiError::Forbidden);
    }
    let fact = Fact::from_payload(kind, &payload, "payload").map_err(ApiError::Invalid)?;
    if let Fact::Movement(m) = &fact
        && m.movement == "admission"
    {
        check_admission_scope(state, caller, m.prison.as_deref()).await?;
    }
    if let Fact::Movement(m) = &fact
        && let Ok(born) = person.birth_date.parse::<jiff::civil::Date>()
    {
        check_youth_unit(state, born, m, "payload").await?;
    }
    // A youth sentence is for an offender under 18 at the act (R-YOUTH-3, strl § 52 a).
    if let Fact::Judgment(j) = &fact
        && let Ok(born) = person.birth_date.parse::<jiff::civil::Date>()
    {
        let problems = j.offender_problems(born, "payload");
        if !problems.is_empty() {
            return Err(ApiError::Invalid(problems));
        }
    }
    // A handover to mandatory psychiatric care closes the case: the unit's leader or national
    // placement records it, not the officer on the floor.
    if let Fact::Movement(m) = &fact
        && m.movement == halden_domain::register::MovementKind::Handover.as_str()
        && !matches!(caller.role, Role::Leader | Role::Placement)
    {
        return Err(ApiError::invalid_bilingual(
            "payload.movement",
            "a handover to mandatory psychiatric care is recorded by the prison leader or national placement",
            "overføring til tvungent psykisk helsevern registreres av fengselsleder eller nasjonal plassering",
        ));
    }
    if let Fact::Supervision(s) = &fact
        && caller.role == Role::Probation
        && Some(s.office.as_str()) != caller.scope()
    {
        return Err(ApiError::invalid(
            "payload.office",
            "you can record supervision only for your own office",
        ));
    }
    // Issue 6, item 1: the location nearest the home municipality, unless decided otherwise.
    if let Fact::Supervision(s) = &fact {
        crate::probation::check_supervision_office(&person, s)?;
        // A youth sentence opens no probation caseload (R-YOUTH-3, strl § 52 a).
        crate::youth::check_no_caseload(&state.store.entries(person_id).await?)?;
    }
    if let Fact::ContactOfficer(assignment) = &fact {
        check_contact_officer(state, &person, &assignment.officer).await?;
        // An assignment holds while the person stays in the unit: one dated before they came
        // would be saved and never take effect.
        if let Some(arrived) = state
            .store
            .arrival_in_unit(person.id, person.version)
            .await?
            && assignment.from < arrived
        {
            return Err(ApiError::invalid_bilingual(
                "payload.from",
                format!(
                    "is before the person came to this unit ({arrived}): an assignment holds from then on"
                ),
                format!(
                    "er før personen kom til denne enheten ({arrived}): en tildeling gjelder fra da av"
                ),
            ));
        }
    }
    if matches!(fact, Fact::ReleasePlan(_) | Fact::ReleaseHandover(_)) && !person.in_custody() {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "a release plan is made while the person is in custody",
            "en løslatelsesplan lages mens personen er i fengsel",
        ));
    }
    // A probation office works on the plan of a person handed over to it, no one else's.
    if matches!(fact, Fact::ReleasePlan(_))
        && caller.role == Role::Probation
        && !caller
            .scope()
            .is_some_and(|office| person.handed_over_to(office))
    {
        return Err(ApiError::NotFound);
    }
    if let Fact::ReleaseHandover(h) = &fact
        && !state
            .store
            .probation_offices()
            .await?
            .iter()
            .any(|o| o.id == h.office)
    {
        return Err(ApiError::invalid_bilingual(
            "payload.office",
            format!("no probation office with id '{}'", h.office),
            format!("det finnes ikke noe friomsorgskontor med id '{}'", h.office),
        ));
    }
    if let Fact::Summons(summons) = &fact {
        check_summons(&person, summons, today, corrects.is_some())?;
    }
    if let Fact::NonAppearance(missed) = &fact
        && missed.date > today
    {
        return Err(ApiError::invalid_bilingual(
            "payload.date",
            format!("is after today ({today}): record a missed serving date once it has passed"),
            format!("er etter i dag ({today}): registrer en uteblivelse når dagen er passert"),
        ));
    }
    if matches!(fact, Fact::NonAppearance(_)) && person.queue_received.is_none() {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "this person has no judgment waiting to be served",
            "denne personen har ingen dom som venter på soning",
        ));
    }
    Ok(state
        .store
        .append(
            &actor(caller),
            person_id,
            version,
            &fact,
            corrects,
            reason,
            key,
        )
        .await?)
}

/// A summons is for a judgment waiting to be served, is sent today (a correction keeps the day
/// it was sent), and names a serving date the rules allow (R-INNK-1): three weeks' notice, and
/// past the 60-day limit only with a reason.
fn check_summons(
    person: &PersonRow,
    summons: &halden_storage::facts::SummonsFact,
    today: jiff::civil::Date,
    correction: bool,
) -> Result<(), ApiError> {
    let Some(received) = person
        .queue_received
        .as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    else {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "this person has no judgment waiting to be served",
            "denne personen har ingen dom som venter på soning",
        ));
    };
    let mut problems = Vec::new();
    if correction && summons.sent_on > today {
        problems.push(halden_domain::validate::FieldError::bilingual(
            "sent_on",
            None,
            format!("is after today ({today})"),
            format!("er etter i dag ({today})"),
        ));
    }
    if !correction && summons.sent_on != today {
        problems.push(halden_domain::validate::FieldError::bilingual(
            "sent_on",
            None,
            format!("must be today ({today}): a summons is recorded when it is sent"),
            format!("må være i dag ({today}): en innkalling registreres når den sendes"),
        ));
    }
    if let Err(found) = halden_domain::queue::check_summons(
        received,
        summons.sent_on,
        summons.serving_date,
        summons.late_reason.as_deref().unwrap_or(""),
    ) {
        problems.extend(found);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(
            problems.into_iter().map(|e| e.under("payload")).collect(),
        ))
    }
}

/// A contact officer is an active contact-officer account of the person's own unit.
async fn check_contact_officer(
    state: &AppState,
    person: &PersonRow,
    officer: &str,
) -> Result<(), ApiError> {
    let field = "payload.officer";
    let account = state.store.user_by_name(officer).await?;
    let refusal = match &account {
        None => Some(ContactOfficerRefusal::Disabled),
        Some(account) => contact_officer_refusal(account, person),
    };
    match refusal {
        None => Ok(()),
        Some(ContactOfficerRefusal::Disabled) => Err(ApiError::invalid_bilingual(
            field,
            format!("no active account '{officer}'"),
            format!("ingen aktiv konto «{officer}»"),
        )),
        Some(ContactOfficerRefusal::NotContactOfficer) => Err(ApiError::invalid_bilingual(
            field,
            format!("'{officer}' is not a contact officer"),
            format!("«{officer}» er ikke kontaktbetjent"),
        )),
        Some(ContactOfficerRefusal::OtherUnit) => Err(ApiError::invalid_bilingual(
            field,
            format!("'{officer}' does not work in the unit where the person is held"),
            format!("«{officer}» arbeider ikke i enheten der personen sitter"),
        )),
    }
}

async fn import_judgments(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Leader, Role::Placement])?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("$", "the file must be UTF-8 text"))?;
    once(
        &state,
        &caller,
        &headers,
        "POST /api/v1/judgments/import",
        &body,
        StatusCode::CREATED,
        |imported: &Vec<(i64, i64)>| imported_answer(imported).to_string(),
        |key| async {
            let key = key;
            import_text_keeping(&state, &caller, text, key.as_ref()).await
        },
    )
    .await
}

/// Validates a whole court file, then imports it in one transaction. Answers
/// `{"imported": [{"record", "person_id", "entry_id"}]}`.
pub(crate) async fn import_text(
    state: &AppState,
    caller: &Caller,
    text: &str,
) -> Result<Value, ApiError> {
    let ids = import_text_keeping(state, caller, text, None).await?;
    Ok(imported_answer(&ids))
}

/// [`import_text`], keeping the API's idempotent answer in the import's transaction; returns,
/// per record, the person's and the judgment entry's ids.
async fn import_text_keeping(
    state: &AppState,
    caller: &Caller,
    text: &str,
    key: Option<&AnswerKey<Vec<(i64, i64)>>>,
) -> Result<Vec<(i64, i64)>, ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::invalid("$", "the file is empty"));
    }
    let mut records = read_court_file(text).map_err(ApiError::Invalid)?;
    crate::import::received_on(&mut records, state.today());
    Ok(state
        .store
        .import_judgments(&actor(caller), &records, key)
        .await?)
}

/// The answer to an import.
fn imported_answer(ids: &[(i64, i64)]) -> Value {
    json!({
        "imported": ids.iter().enumerate().map(|(i, (person, entry))| json!({
            "record": i, "person_id": person, "entry_id": entry
        })).collect::<Vec<_>>()
    })
}

#[derive(Debug, Deserialize)]
struct AccessLogQuery {
    person: Option<String>,
    user: Option<String>,
    limit: Option<i64>,
}

async fn access_log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<AccessLogQuery>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let person = query.person.as_deref().map(parse_id).transpose()?;
    let user = query
        .user
        .as_deref()
        .map(|u| {
            u.parse::<i64>()
                .map_err(|_| ApiError::invalid("user", "must be a user id"))
        })
        .transpose()?;
    match caller.role {
        Role::Admin => {}
        // The person may see who has read their own record.
        Role::Prisoner if person.is_some() && person == caller.user.person_id && user.is_none() => {
        }
        Role::Prisoner => return Err(ApiError::NotFound),
        _ => return Err(ApiError::Forbidden),
    }
    if person.is_none() && user.is_none() {
        return Err(ApiError::invalid("person", "give 'person' or 'user'"));
    }
    let rows = state
        .store
        .access_log(AccessQuery {
            person,
            user,
            limit: query.limit.unwrap_or(200),
        })
        .await?;
    Ok(Json(json!({
        "entries": rows.iter().map(|r| json!({
            "id": r.id, "at": r.at, "user_id": r.user_id, "username": r.username,
            "role": r.role, "person_id": r.person_id, "view": r.view,
            "purpose": r.purpose, "break_glass": r.is_break_glass(),
        })).collect::<Vec<_>>()
    })))
}

async fn prisons(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    api_caller(&state.store, &headers).await?;
    let rows = state.store.prisons().await?;
    Ok(Json(json!({
        "prisons": rows.iter().map(|p| json!({
            "id": p.id, "name": p.name, "unit": p.unit, "municipality": p.municipality,
            "region": p.region, "security_level": p.security_level, "capacity": p.capacity,
            "takes_remand": p.takes_remand(),
        })).collect::<Vec<_>>()
    })))
}
