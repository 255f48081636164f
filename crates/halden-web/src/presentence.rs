//! Pre-sentence reports (personundersøkelse, straffeprosessloven § 161; issue 6, item 2): a
//! court's request to a probation office location, its assignment to an officer of the office,
//! the report's versions and the delivery to the court. The rules are
//! `halden_domain::presentence`; the log is the store's `presentence_events`. The API and the
//! pages (`pages::presentence`) share the views here.
//!
//! Access: the probation officers of the office the request was sent to (every location of that
//! office) read and write it; a request of another office is 404 (existence not revealed);
//! national placement reads; every other role is refused (403). Every read of a request (the
//! person's report) is written to the access log before it is shown.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use halden_domain::{
    presentence::{self, MEASURES, Report, SITUATION, Stage, Suitability},
    validate::FieldError,
};
use halden_storage::{
    AnswerKey, NewPresentenceEvent, NewPresentenceRequest, PersonRef, PresentenceEventRow,
    PresentenceRow, PresentenceState, facts::Fact,
};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, once, parse_id},
    auth::api_caller,
    error::ApiError,
    probation::office_of,
};

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/presentence-reports",
            get(list_api).post(create_api),
        )
        .route("/api/v1/presentence-reports/{id}", get(request_api))
        .route("/api/v1/presentence-reports/{id}/events", post(event_api))
}

/// The event kinds after the request itself.
pub(crate) const EVENT_KINDS: [&str; 4] = ["request", "assignment", "report", "delivery"];

// ---------------------------------------------------------------------------------------------
// Access

/// The locations whose requests the caller sees: a probation officer every location of their
/// office (`Some`), national placement all (`None`); other roles 403.
fn visible_locations(caller: &Caller) -> Result<Option<Vec<String>>, ApiError> {
    match caller.role {
        Role::Placement => Ok(None),
        Role::Probation => {
            let location = caller.scope().ok_or(ApiError::Forbidden)?.to_string();
            Ok(Some(
                office_of(&location).map_or_else(|| vec![location.clone()], |(_, l)| l),
            ))
        }
        _ => Err(ApiError::Forbidden),
    }
}

/// The request `id` if the caller may see it (404 when not, existence not revealed).
async fn visible(state: &AppState, caller: &Caller, id: i64) -> Result<PresentenceRow, ApiError> {
    let locations = visible_locations(caller)?;
    let row = state
        .store
        .presentence_request(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    match locations {
        Some(l) if !l.contains(&row.location) => Err(ApiError::NotFound),
        _ => Ok(row),
    }
}

// ---------------------------------------------------------------------------------------------
// Views

fn date_of(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// A request's stage and days overdue on `today`.
pub(crate) fn standing(row: &PresentenceRow, today: Date) -> (Stage, Option<i32>) {
    let delivered = row.delivered_on.as_deref().and_then(date_of);
    let stage = Stage::of(row.officer.is_some(), delivered.is_some());
    let overdue = date_of(&row.deadline)
        .and_then(|deadline| presentence::overdue_days(deadline, delivered, today));
    (stage, overdue)
}

/// One line of an office's list.
pub(crate) struct Line {
    pub row: PresentenceRow,
    pub stage: Stage,
    pub overdue: Option<i32>,
}

/// The requests the caller sees, by deadline; `overdue` those past their deadline and not
/// delivered.
pub(crate) struct ListView {
    pub date: Date,
    /// The office (probation), or `None` for the whole country (placement).
    pub office: Option<String>,
    pub lines: Vec<Line>,
}

impl ListView {
    /// The overdue lines.
    pub fn overdue(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.overdue.is_some())
    }
}

/// The caller's list of requests.
pub(crate) async fn list_view(state: &AppState, caller: &Caller) -> Result<ListView, ApiError> {
    let locations = visible_locations(caller)?;
    let today = state.today();
    let rows = state
        .store
        .presentence_requests(locations.as_deref())
        .await?;
    let office = caller
        .scope()
        .filter(|_| caller.role == Role::Probation)
        .map(|l| office_of(l).map_or_else(|| l.to_string(), |(o, _)| o));
    Ok(ListView {
        date: today,
        office,
        lines: rows
            .into_iter()
            .map(|row| {
                let (stage, overdue) = standing(&row, today);
                Line {
                    row,
                    stage,
                    overdue,
                }
            })
            .collect(),
    })
}

/// The report's latest version.
pub(crate) struct Written {
    pub event_id: i64,
    /// 1 for the first version.
    pub version: usize,
    pub report: Report,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A request with its events, read by the caller (the read is logged).
pub(crate) struct RequestView {
    pub row: PresentenceRow,
    pub events: Vec<PresentenceEventRow>,
    pub stage: Stage,
    pub overdue: Option<i32>,
    pub report: Option<Written>,
    /// The caller may record events (a probation officer of the office).
    pub may_write: bool,
}

/// Reads a report's content from its payload (unreadable payloads give `None`: they were checked
/// when written).
pub(crate) fn report_of(payload: &Value) -> Option<Report> {
    let text = |k: &str| payload[k].as_str().map(str::to_string);
    let mut situation: [String; 6] = Default::default();
    for (slot, (name, _, _)) in situation.iter_mut().zip(SITUATION) {
        *slot = text(name)?;
    }
    let mut suitability = [Suitability::NotAssessed; 3];
    for (slot, (name, _, _)) in suitability.iter_mut().zip(MEASURES) {
        *slot = Suitability::parse(payload[name].as_str()?)?;
    }
    Some(Report {
        situation,
        suitability,
        assessment: text("assessment")?,
    })
}

/// The latest event of `kind`.
fn latest<'a>(events: &'a [PresentenceEventRow], kind: &str) -> Option<&'a PresentenceEventRow> {
    events.iter().rev().find(|e| e.kind == kind)
}

/// Loads request `id` for `caller`, logging the read of the person's report as `view_name`.
pub(crate) async fn request_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<RequestView, ApiError> {
    let row = visible(state, caller, id).await?;
    state
        .store
        .log_access(
            caller.user.id,
            &caller.user.username,
            caller.role.as_str(),
            row.person_id,
            view_name,
            None,
        )
        .await?;
    let events = state.store.presentence_events(id).await?;
    let (stage, overdue) = standing(&row, state.today());
    let versions = events.iter().filter(|e| e.kind == "report").count();
    let report = latest(&events, "report").and_then(|e| {
        Some(Written {
            event_id: e.id,
            version: versions,
            report: report_of(&e.payload_json())?,
            recorded_at: e.recorded_at.clone(),
            recorded_by: e.recorded_by_name.clone(),
        })
    });
    Ok(RequestView {
        may_write: caller.role == Role::Probation,
        row,
        events,
        stage,
        overdue,
        report,
    })
}

fn line_json(row: &PresentenceRow, stage: Stage, overdue: Option<i32>) -> Value {
    json!({
        "id": row.id,
        "person": {"id": row.person_id, "name": row.display_name()},
        "location": row.location,
        "court": row.court,
        "case_number": row.case_number,
        "requested": row.requested_on,
        "deadline": row.deadline,
        "officer": row.officer,
        "stage": stage.as_str(),
        "overdue_days": overdue,
        "delivered": row.delivered_on,
        "report_versions": row.report_versions,
        "version": row.events,
    })
}

fn request_json(view: &RequestView) -> Value {
    let mut value = line_json(&view.row, view.stage, view.overdue);
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "report".into(),
            view.report.as_ref().map_or(Value::Null, |w| {
                let mut content = report_payload(&w.report);
                if let Some(c) = content.as_object_mut() {
                    c.insert("version".into(), json!(w.version));
                    c.insert("event".into(), json!(w.event_id));
                }
                content
            }),
        );
        obj.insert(
            "events".into(),
            view.events
                .iter()
                .map(|e| {
                    json!({
                        "id": e.id,
                        "kind": e.kind,
                        "payload": e.payload_json(),
                        "recorded_at": e.recorded_at,
                        "recorded_by": e.recorded_by_name,
                        "corrects": e.corrects,
                        "reason": e.reason,
                    })
                })
                .collect(),
        );
    }
    value
}

/// A report as its payload.
pub(crate) fn report_payload(report: &Report) -> Value {
    let mut map = serde_json::Map::new();
    for ((name, _, _), text) in SITUATION.iter().zip(&report.situation) {
        map.insert((*name).into(), json!(text));
    }
    for ((name, _, _), s) in MEASURES.iter().zip(report.suitability) {
        map.insert((*name).into(), json!(s.as_str()));
    }
    map.insert("assessment".into(), json!(report.assessment));
    Value::Object(map)
}

async fn list_api(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let view = list_view(&state, &caller).await?;
    Ok(Json(json!({
        "date": view.date.to_string(),
        "office": view.office,
        "requests": view.lines.iter().map(|l| line_json(&l.row, l.stage, l.overdue)).collect::<Vec<_>>(),
        "overdue": view.overdue().map(|l| l.row.id).collect::<Vec<_>>(),
    })))
}

async fn request_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = request_view(&state, &caller, id, "api_presentence").await?;
    Ok(Json(request_json(&view)))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Reads `T` from `value`, the failing field named under `prefix`.
fn read<T: serde::de::DeserializeOwned>(value: &Value, prefix: &str) -> Result<T, ApiError> {
    halden_storage::facts::read_payload(value, prefix).map_err(|e| ApiError::Invalid(vec![e]))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestPayload {
    court: String,
    case_number: String,
    requested: Date,
    deadline: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    #[serde(default)]
    person_id: Option<i64>,
    #[serde(default)]
    identity: Option<Value>,
    court: String,
    case_number: String,
    requested: Date,
    deadline: Date,
}

/// What a new request says: whom, and the request.
pub(crate) struct NewRequest {
    pub person: PersonRef,
    pub court: String,
    pub case_number: String,
    pub requested: Date,
    pub deadline: Date,
}

/// Reads a new request from `{"person_id" | "identity", "court", "case_number", "requested",
/// "deadline"}`.
pub(crate) fn new_request(value: &Value) -> Result<NewRequest, ApiError> {
    let body: CreateBody = read(value, "")?;
    let person = match (body.person_id, body.identity) {
        (Some(id), None) => PersonRef::Existing(id),
        (None, Some(identity)) => match Fact::from_payload("identity", &identity, "identity") {
            Ok(Fact::Identity(i)) => PersonRef::Identity(i),
            Ok(_) => return Err(ApiError::invalid("identity", "must be an identity")),
            Err(list) => return Err(ApiError::Invalid(list)),
        },
        _ => {
            return Err(ApiError::invalid_bilingual(
                "person_id",
                "name the person: either 'person_id' (registered) or 'identity' (to register)",
                "oppgi personen: enten registrert person eller identitet",
            ));
        }
    };
    Ok(NewRequest {
        person,
        court: body.court,
        case_number: body.case_number,
        requested: body.requested,
        deadline: body.deadline,
    })
}

/// Records a court's request at the caller's location (probation officers only): (request id,
/// version). Shared by the API and the form.
pub(crate) async fn create(
    state: &AppState,
    caller: &Caller,
    request: NewRequest,
    key: Option<&AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    caller.require(&[Role::Probation])?;
    let location = caller.scope().ok_or(ApiError::Forbidden)?.to_string();
    let problems = presentence::check_request(
        &request.court,
        &request.case_number,
        request.requested,
        request.deadline,
        state.today(),
    );
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let payload = json!({
        "court": request.court.trim(),
        "case_number": request.case_number.trim(),
        "requested": request.requested.to_string(),
        "deadline": request.deadline.to_string(),
    });
    let s = PresentenceState {
        court: request.court.trim().to_string(),
        case_number: request.case_number.trim().to_string(),
        requested_on: request.requested,
        deadline: request.deadline,
        officer: None,
        report_versions: 0,
        delivered_on: None,
    };
    Ok(state
        .store
        .create_presentence_request(
            &actor(caller),
            &NewPresentenceRequest {
                person: &request.person,
                location: &location,
                state: &s,
                payload: &payload,
            },
            key,
        )
        .await?)
}

/// A request to record an event on a request.
pub(crate) struct EventRequest<'a> {
    pub kind: &'a str,
    pub version: i64,
    pub payload: Value,
    pub corrects: Option<i64>,
    pub reason: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentPayload {
    officer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportPayload {
    housing: String,
    work: String,
    health: String,
    substance_use: String,
    family: String,
    motivation: String,
    community_sentence: String,
    electronic_monitoring: String,
    programme: String,
    assessment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryPayload {
    delivered: Date,
}

fn suitability(field: &str, value: &str) -> Result<Suitability, FieldError> {
    Suitability::parse(value).ok_or_else(|| {
        FieldError::bilingual(
            format!("payload.{field}"),
            None,
            format!("'{value}' is not one of suitable, not_suitable, not_assessed"),
            format!("'{value}' er ikke egnet, ikke egnet eller ikke vurdert"),
        )
    })
}

fn under_payload(problems: Vec<FieldError>) -> ApiError {
    ApiError::Invalid(
        problems
            .into_iter()
            .map(|p| {
                if matches!(p.field.as_str(), "stage" | "officer" | "report") {
                    p
                } else {
                    p.under("payload")
                }
            })
            .collect(),
    )
}

/// Records an event on request `id` after checking role, office, the payload and the rules:
/// (event id, version). A new request, assignment or report replaces the latest of its kind
/// (`corrects` defaults to it, and a reason is required). Shared by the API and the forms.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    id: i64,
    request: EventRequest<'_>,
    key: Option<&AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    caller.require(&[Role::Probation])?;
    let row = visible(state, caller, id).await?;
    let events = state.store.presentence_events(id).await?;
    let today = state.today();
    let EventRequest {
        kind,
        version,
        payload,
        corrects,
        reason,
    } = request;
    if !EVENT_KINDS.contains(&kind) {
        return Err(ApiError::invalid_bilingual(
            "kind",
            format!(
                "unknown kind '{kind}'; expected one of {}",
                EVENT_KINDS.join(", ")
            ),
            format!("ukjent type '{kind}'"),
        ));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    // What this event replaces: the latest of its kind (a delivery only when named).
    let previous = latest(&events, kind);
    let corrects = match (corrects, previous) {
        (Some(target), Some(p)) if target == p.id => Some(target),
        (Some(target), _) => {
            return Err(ApiError::invalid_bilingual(
                "corrects",
                format!("event {target} is not the latest {kind} of this request"),
                format!("hendelse {target} er ikke den siste av typen {kind}"),
            ));
        }
        (None, Some(p)) if kind != "delivery" => Some(p.id),
        (None, _) => None,
    };
    if corrects.is_some() && reason.is_none() {
        return Err(ApiError::invalid_bilingual(
            "reason",
            format!("a new {kind} replaces the one recorded; give the reason"),
            "en endring må begrunnes",
        ));
    }
    let requested = date_of(&row.requested_on).unwrap_or(today);
    let (stage, _) = standing(&row, today);
    let mut s = PresentenceState {
        court: row.court.clone(),
        case_number: row.case_number.clone(),
        requested_on: requested,
        deadline: date_of(&row.deadline).unwrap_or(today),
        officer: row.officer.clone(),
        report_versions: row.report_versions,
        delivered_on: row.delivered_on.as_deref().and_then(date_of),
    };
    match kind {
        "request" => {
            let p: RequestPayload = read(&payload, "payload")?;
            let problems = presentence::check_request(
                &p.court,
                &p.case_number,
                p.requested,
                p.deadline,
                today,
            );
            if !problems.is_empty() {
                return Err(under_payload(problems));
            }
            s.court = p.court.trim().to_string();
            s.case_number = p.case_number.trim().to_string();
            s.requested_on = p.requested;
            s.deadline = p.deadline;
        }
        "assignment" => {
            let p: AssignmentPayload = read(&payload, "payload")?;
            check_officer(state, &row.location, &p.officer).await?;
            s.officer = Some(p.officer);
        }
        "report" => {
            let p: ReportPayload = read(&payload, "payload")?;
            let mut problems = presentence::check_report_stage(stage);
            let mut measures = Vec::new();
            for (field, value) in [
                ("community_sentence", &p.community_sentence),
                ("electronic_monitoring", &p.electronic_monitoring),
                ("programme", &p.programme),
            ] {
                match suitability(field, value) {
                    Ok(v) => measures.push(v),
                    Err(e) => problems.push(e),
                }
            }
            let report = Report {
                situation: [
                    p.housing,
                    p.work,
                    p.health,
                    p.substance_use,
                    p.family,
                    p.motivation,
                ],
                suitability: [
                    measures
                        .first()
                        .copied()
                        .unwrap_or(Suitability::NotAssessed),
                    measures.get(1).copied().unwrap_or(Suitability::NotAssessed),
                    measures.get(2).copied().unwrap_or(Suitability::NotAssessed),
                ],
                assessment: p.assessment,
            };
            problems.extend(
                presentence::check_report(&report)
                    .into_iter()
                    .map(|e| e.under("payload")),
            );
            if !problems.is_empty() {
                return Err(ApiError::Invalid(problems));
            }
            s.report_versions += 1;
        }
        _ => {
            let p: DeliveryPayload = read(&payload, "payload")?;
            // A correction of the delivery date is not a second delivery.
            let stage_for_check = if corrects.is_some() {
                Stage::Assigned
            } else {
                stage
            };
            let problems = presentence::check_delivery(
                p.delivered,
                requested,
                today,
                row.report_versions > 0,
                stage_for_check,
            );
            if !problems.is_empty() {
                return Err(under_payload(problems));
            }
            s.delivered_on = Some(p.delivered);
        }
    }
    Ok(state
        .store
        .append_presentence_event(
            &actor(caller),
            id,
            &NewPresentenceEvent {
                kind,
                payload: &payload,
                corrects,
                reason,
                expected_events: version,
                state: &s,
            },
            key,
        )
        .await?)
}

/// The officer assigned must be an active probation account of the request's office.
async fn check_officer(state: &AppState, location: &str, officer: &str) -> Result<(), ApiError> {
    let fits = crate::probation::officers_of(state, location)
        .await?
        .iter()
        .any(|(username, _)| username == officer);
    if fits {
        Ok(())
    } else {
        Err(ApiError::invalid_bilingual(
            "payload.officer",
            format!("'{officer}' is not an active probation officer of the office"),
            format!("'{officer}' er ikke en aktiv saksbehandler ved kontoret"),
        ))
    }
}

async fn create_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Probation])?;
    let value = json_body(&body)?;
    once(
        &state,
        &caller,
        &headers,
        "POST /api/v1/presentence-reports",
        &body,
        StatusCode::CREATED,
        |(id, version)| json!({"id": id, "version": version}).to_string(),
        |key| async {
            let key = key;
            let request = new_request(&value)?;
            create(&state, &caller, request, key.as_ref()).await
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventBody {
    kind: String,
    version: i64,
    #[serde(default)]
    payload: Value,
    #[serde(default)]
    corrects: Option<i64>,
    #[serde(default)]
    reason: Option<String>,
}

async fn event_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Probation])?;
    let id = parse_id(&id)?;
    let value = json_body(&body)?;
    let route = format!("POST /api/v1/presentence-reports/{id}/events");
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        |(event, version)| json!({"event": event, "version": version}).to_string(),
        |key| async {
            let key = key;
            let body: EventBody = read(&value, "")?;
            let payload = if body.payload.is_null() {
                Value::Object(serde_json::Map::new())
            } else {
                body.payload
            };
            record(
                &state,
                &caller,
                id,
                EventRequest {
                    kind: &body.kind,
                    version: body.version,
                    payload,
                    corrects: body.corrects,
                    reason: body.reason.as_deref(),
                },
                key.as_ref(),
            )
            .await
        },
    )
    .await
}
