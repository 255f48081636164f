//! The programme against intoxicated driving (program mot ruspåvirket kjøring, R-PROG-1; issue 6,
//! item 6): a suspended sentence whose condition is completing the programme, run by the
//! probation office. The court's condition is the judgment's `driving_programme` (hours, the
//! supervision period in months, the suspended days); the office's work is `programme.*` events
//! in the store's `probation_events` (enrolment, sessions, absences, breaches, warnings, the case
//! to the court, completion). The rules are `halden_domain::programme`; the API and the pages
//! (`pages::programme`) share the views here.
//!
//! Access as for parole (`crate::parole`): the probation officer of the person's location writes;
//! another office gets 404 (existence not revealed); national placement reads; the person reads
//! their own programme, sessions and hours without the staff-only notes; every read is logged
//! through `api::read_person`.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use halden_domain::{
    law::RuleId,
    programme::{self, Event, Progress, Recorded, SessionKind, Stage},
    validate::FieldError,
};
use halden_storage::{
    Actor, AnswerKey, NewProbationEvent, PersonRow, ProbationEventRow,
    facts::{Fact, Judgment, SupervisionFact},
    projection::effective,
};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, once, parse_id, read_person},
    auth::api_caller,
    error::ApiError,
};

/// The prefix of the stored kinds.
pub(crate) const PREFIX: &str = "programme.";

/// The supervision entry's kind for a programme participant.
pub(crate) const SUPERVISION: &str = "driving_programme";

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/persons/{id}/programme", get(programme_api))
        .route("/api/v1/persons/{id}/programme/events", post(record_api))
}

/// A person's programme.
pub(crate) struct ProgrammeView {
    pub person: PersonRow,
    /// The latest judgment in effect with the programme condition.
    pub judgment: Option<Judgment>,
    /// The latest programme supervision entry in effect.
    pub supervision: Option<SupervisionFact>,
    /// All the person's probation events (the version is their count).
    pub version: i64,
    /// The programme events, oldest first.
    pub events: Vec<ProbationEventRow>,
    pub progress: Option<Progress>,
    /// The caller may record events (a probation officer of the person's location).
    pub may_write: bool,
    /// The caller is staff and sees the staff-only notes (not the person themselves).
    pub staff: bool,
}

/// The latest judgment in effect with the programme condition.
fn programme_judgment(entries: &[halden_storage::EntryRow]) -> Option<Judgment> {
    let facts = crate::probation::entry_facts(entries);
    effective(&facts)
        .into_iter()
        .filter_map(|(_, f)| match f {
            Fact::Judgment(j) if j.driving_programme.is_some() => Some(j.clone()),
            _ => None,
        })
        .max_by_key(|j| j.decision_date)
}

/// The latest programme supervision in effect.
fn programme_supervision(entries: &[halden_storage::EntryRow]) -> Option<SupervisionFact> {
    let facts = crate::probation::entry_facts(entries);
    effective(&facts)
        .into_iter()
        .filter_map(|(_, f)| match f {
            Fact::Supervision(s) if s.supervision == SUPERVISION => Some(s.clone()),
            _ => None,
        })
        .max_by_key(|s| s.from)
}

/// The stored programme events as the domain's records (unreadable payloads are skipped: they
/// were checked when written).
fn records(events: &[ProbationEventRow]) -> Vec<Recorded> {
    crate::probation::workflow_log(events, PREFIX, |kind, payload| {
        event_from_payload(kind, payload).ok()
    })
    .map(|(id, corrects, event)| Recorded {
        id,
        corrects,
        event,
    })
    .collect()
}

/// The stage of one person's programme from their probation events (any kinds), for the
/// caseload: read from the events alone, without the judgment (no access log: the caseload
/// names the person already).
pub(crate) fn stage_in(events: &[ProbationEventRow]) -> Stage {
    let records = records(events);
    let in_effect = programme::in_effect(&records);
    let list: Vec<&Event> = in_effect.into_iter().map(|(_, e)| e).collect();
    programme::stage(&list)
}

/// Loads a person's programme for `caller` (the read is logged as `view_name`).
pub(crate) async fn programme_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<ProgrammeView, ApiError> {
    caller.require_probation_reader()?;
    let (person, _, _) = read_person(state, caller, id, view_name, None, true).await?;
    let today = state.today();
    let entries = state.store.entries(id).await?;
    let all = state.store.probation_events(id).await?;
    let version = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let events: Vec<ProbationEventRow> = all
        .into_iter()
        .filter(|e| e.kind.starts_with(PREFIX))
        .collect();
    let judgment = programme_judgment(&entries);
    let records = records(&events);
    let in_effect = programme::in_effect(&records);
    let progress = judgment
        .as_ref()
        .and_then(|j| j.driving_programme)
        .map(|c| {
            let list: Vec<&Event> = in_effect.iter().map(|(_, e)| *e).collect();
            programme::fold(c.condition(), &list, today)
        });
    let may_write = caller.role == Role::Probation && caller.in_scope(&person, today);
    Ok(ProgrammeView {
        supervision: programme_supervision(&entries),
        person,
        judgment,
        version,
        events,
        progress,
        may_write,
        staff: caller.role != Role::Prisoner,
    })
}

/// A stored payload as the caller may see it: without the staff-only note for the person.
pub(crate) fn visible_payload(payload: Value, staff: bool) -> Value {
    match payload {
        Value::Object(mut map) if !staff => {
            map.remove("note");
            Value::Object(map)
        }
        other => other,
    }
}

/// The view as the API answers it.
pub(crate) fn programme_json(view: &ProgrammeView) -> Value {
    let records = records(&view.events);
    let in_effect = programme::in_effect(&records);
    let condition = view.judgment.as_ref().map(|j| {
        let c = j.driving_programme;
        json!({
            "case_number": j.case_number,
            "court": j.court,
            "decision_date": j.decision_date.to_string(),
            "hours": c.map(|c| c.hours),
            "supervision_months": c.map(|c| c.supervision_months),
            "suspended_days": c.map(|c| c.suspended_days),
            "rule": RuleId::Prog1.id(),
            "reference": RuleId::Prog1.reference(),
        })
    });
    let progress = view.progress.as_ref().map(|p| {
        json!({
            "stage": p.stage.as_str(),
            "enrolled": p.enrolled.map(|d| d.to_string()),
            "group": p.group,
            "supervision_end": p.supervision_end.map(|d| d.to_string()),
            "supervision_over": p.supervision_over,
            "required_minutes": p.required_minutes,
            "credited_minutes": p.credited_minutes,
            "remaining_minutes": p.remaining_minutes,
            "supervision_meetings": p.supervision_meetings,
            "absences": p.absences,
            "breaches": p.breaches,
            "warnings": p.warnings,
            "court_case": p.court_case.map(|d| d.to_string()),
            "completed": p.completed.map(|d| d.to_string()),
            "sessions": in_effect.iter().filter_map(|(id, e)| match e {
                Event::Session { date, kind, minutes, note } => {
                    let mut v = json!({
                        "id": id, "date": date.to_string(), "kind": kind.as_str(), "minutes": minutes,
                    });
                    if view.staff {
                        v["note"] = json!(note);
                    }
                    Some(v)
                }
                _ => None,
            }).collect::<Vec<_>>(),
        })
    });
    json!({
        "person_id": view.person.id,
        "version": view.version,
        "supervision": view.supervision.as_ref().map(|s| json!({
            "office": s.office,
            "from": s.from.to_string(),
            "until": s.until.to_string(),
        })),
        "condition": condition,
        "programme": progress,
        "events": view.events.iter().map(|e| json!({
            "id": e.id,
            "kind": e.kind.strip_prefix(PREFIX).unwrap_or(&e.kind),
            "payload": visible_payload(e.payload_json(), view.staff),
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by_name,
            "corrects": e.corrects,
            "reason": e.reason,
        })).collect::<Vec<_>>(),
    })
}

async fn programme_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = programme_view(&state, &caller, id, "api_programme").await?;
    Ok(Json(programme_json(&view)))
}

// ---------------------------------------------------------------------------------------------
// Payloads

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrolmentPayload {
    date: Date,
    group: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionPayload {
    date: Date,
    kind: String,
    minutes: u32,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotePayload {
    date: Date,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribedPayload {
    date: Date,
    description: String,
    #[serde(default)]
    note: String,
}

fn read<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T, Vec<FieldError>> {
    halden_storage::facts::read_payload(payload, "payload").map_err(|e| vec![e])
}

/// An event from its kind (without the prefix) and JSON payload; every problem names its field
/// under `payload`.
pub(crate) fn event_from_payload(kind: &str, payload: &Value) -> Result<Event, Vec<FieldError>> {
    Ok(match kind {
        "enrolment" => {
            let p: EnrolmentPayload = read(payload)?;
            Event::Enrolment {
                date: p.date,
                group: p.group.trim().to_string(),
                note: p.note,
            }
        }
        "session" => {
            let p: SessionPayload = read(payload)?;
            let Some(session) = SessionKind::parse(&p.kind) else {
                let names: Vec<&str> = SessionKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(vec![FieldError::bilingual(
                    "payload.kind",
                    None,
                    format!(
                        "unknown session kind '{}'; expected one of {}",
                        p.kind,
                        names.join(", ")
                    ),
                    format!("ukjent type økt '{}'", p.kind),
                )]);
            };
            Event::Session {
                date: p.date,
                kind: session,
                minutes: p.minutes,
                note: p.note,
            }
        }
        "absence" | "completion" => {
            let p: NotePayload = read(payload)?;
            if kind == "absence" {
                Event::Absence {
                    date: p.date,
                    note: p.note,
                }
            } else {
                Event::Completion {
                    date: p.date,
                    note: p.note,
                }
            }
        }
        "breach" | "warning" | "court_case" => {
            let p: DescribedPayload = read(payload)?;
            let (date, description, note) = (p.date, p.description, p.note);
            match kind {
                "breach" => Event::Breach {
                    date,
                    description,
                    note,
                },
                "warning" => Event::Warning {
                    date,
                    description,
                    note,
                },
                _ => Event::CourtCase {
                    date,
                    description,
                    note,
                },
            }
        }
        other => {
            return Err(vec![FieldError::bilingual(
                "kind",
                None,
                format!(
                    "unknown kind '{other}'; expected retraction or one of {}",
                    programme::EVENT_KINDS.join(", ")
                ),
                format!("ukjent type '{other}'"),
            )]);
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Recording

/// A request to record a programme event (`kind` without the prefix, or `retraction`).
pub(crate) struct EventRequest<'a> {
    pub kind: &'a str,
    pub version: i64,
    pub payload: Value,
    pub corrects: Option<i64>,
    pub reason: Option<&'a str>,
}

/// Records an event after checking role, scope, the payload and the log; the new event's id and
/// the version after it. Shared by the API and the forms.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
    key: Option<AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    caller.require(&[Role::Probation])?;
    let today = state.today();
    let person = state
        .store
        .person(person_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !caller.in_scope(&person, today) {
        return Err(ApiError::NotFound);
    }
    let EventRequest {
        kind,
        version,
        payload,
        corrects,
        reason,
    } = request;
    let entries = state.store.entries(person_id).await?;
    let Some(judgment) = programme_judgment(&entries) else {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "the person has no judgment with the programme against intoxicated driving in the register",
            "personen har ingen dom med program mot ruspåvirket kjøring i registeret",
        ));
    };
    let Some(condition) = judgment.driving_programme.map(|c| c.condition()) else {
        return Err(ApiError::NotFound);
    };
    let events = state.store.probation_events(person_id).await?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(target) = corrects {
        let Some(original) = events
            .iter()
            .find(|e| e.id == target && e.kind.starts_with(PREFIX))
        else {
            return Err(ApiError::invalid_bilingual(
                "corrects",
                format!("this person has no programme event {target}"),
                format!("personen har ingen hendelse {target} i programmet"),
            ));
        };
        let original_kind = original.kind.trim_start_matches(PREFIX);
        if original_kind == "retraction" {
            return Err(ApiError::invalid_bilingual(
                "corrects",
                "a retraction cannot be corrected; record the event anew",
                "en tilbaketrekking kan ikke rettes; registrer hendelsen på nytt",
            ));
        }
        if kind != "retraction" && original_kind != kind {
            return Err(ApiError::invalid_bilingual(
                "kind",
                format!("a correction of a {original_kind} must be a {original_kind}"),
                format!("en rettelse må være av samme type ({original_kind})"),
            ));
        }
        if reason.is_none() {
            return Err(ApiError::invalid_bilingual(
                "reason",
                "a correction needs a reason",
                "en rettelse må begrunnes",
            ));
        }
    } else if kind == "retraction" {
        return Err(ApiError::invalid_bilingual(
            "corrects",
            "a retraction must name the event it retracts",
            "en tilbaketrekking må angi hendelsen",
        ));
    }
    let records = records(&events);
    // A correction may name a correction; the log knows each event by its original.
    let root = corrects.map(|mut id| {
        while let Some(next) = records.iter().find(|r| r.id == id).and_then(|r| r.corrects) {
            id = next;
        }
        id
    });
    let in_effect = programme::in_effect(&records);
    let payload_field = |p: FieldError| {
        let field = if p.field == "kind" || p.field == "corrects" {
            p.field.clone()
        } else {
            format!("payload.{}", p.field)
        };
        FieldError { field, ..p }
    };
    if kind == "retraction" {
        if let Some(target) = root {
            if !in_effect.iter().any(|(id, _)| *id == target) {
                return Err(ApiError::invalid_bilingual(
                    "corrects",
                    format!("programme event {target} is already retracted"),
                    format!("hendelse {target} i programmet er allerede trukket tilbake"),
                ));
            }
            let problems = programme::check_retraction(&in_effect, target);
            if !problems.is_empty() {
                return Err(ApiError::Invalid(problems));
            }
        }
    } else {
        let event = event_from_payload(kind, &payload).map_err(ApiError::Invalid)?;
        let problems = programme::check(
            condition,
            judgment.decision_date,
            &in_effect,
            &event,
            root,
            today,
        );
        if !problems.is_empty() {
            return Err(ApiError::Invalid(
                problems.into_iter().map(payload_field).collect(),
            ));
        }
    }
    // The community columns of the projection pass through unchanged.
    let case = state.store.probation_case(person_id).await?;
    let stored_kind = format!("{PREFIX}{kind}");
    let new = NewProbationEvent {
        kind: &stored_kind,
        payload: &payload,
        corrects,
        reason,
        expected_events: version,
        officer: case.officer.as_deref(),
        stage: case.stage.as_deref(),
        required_minutes: case.required_minutes,
        credited_minutes: case.credited_minutes,
    };
    let actor: Actor = actor(caller);
    Ok(state
        .store
        .append_probation_event_once(&actor, person_id, &new, key.as_ref())
        .await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordBody {
    kind: String,
    version: i64,
    #[serde(default)]
    payload: Value,
    #[serde(default)]
    corrects: Option<i64>,
    #[serde(default)]
    reason: Option<String>,
}

async fn record_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Probation])?;
    let id = parse_id(&id)?;
    let value = json_body(&body)?;
    let request: RecordBody = read(&value).map_err(|errors| {
        ApiError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: e.field.trim_start_matches("payload.").to_string(),
                    ..e
                })
                .collect(),
        )
    })?;
    let payload = if request.payload.is_null() {
        Value::Object(serde_json::Map::new())
    } else {
        request.payload
    };
    let route = format!("/api/v1/persons/{id}/programme/events");
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        crate::probation::event_answer_json,
        |key| async {
            record(
                &state,
                &caller,
                id,
                EventRequest {
                    kind: &request.kind,
                    version: request.version,
                    payload,
                    corrects: request.corrects,
                    reason: request.reason.as_deref(),
                },
                key,
            )
            .await
        },
    )
    .await
}
