//! Parole supervision (issue 6, item 5; prøveløslatelse, strgjfl §§ 42–44): the conditions
//! (R-PAR-5), the reporting schedule and log, missed reports, breaches, warnings and the case for
//! re-imprisonment, as `parole.*` events in the store's `probation_events`. The rules are
//! `halden_domain::parole`; the probation period ends on the engine's R-PAR-4 date from the
//! person's stored calculation. The API and the pages (`pages::parole`) share the views here.
//!
//! Access as for a community sentence (`probation`): the probation officer of the person's
//! location writes; another office gets 404 (existence not revealed); the person reads their own;
//! national placement reads; every read is logged through `api::read_person`.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use halden_domain::{
    parole::{
        self, Condition, ConditionKind, Event, Frequency, Recorded, Schedule, Supervision, Term,
    },
    validate::FieldError,
};
use halden_storage::{
    Actor, AnswerKey, NewProbationEvent, PersonRow, ProbationEventRow,
    facts::{Fact, SupervisionFact},
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
pub(crate) const PREFIX: &str = "parole.";

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/persons/{id}/parole", get(parole_api))
        .route("/api/v1/persons/{id}/parole/events", post(record_api))
}

/// The probation period's end as the engine gives it (R-PAR-4).
pub(crate) struct ProbationEnd {
    pub date: Date,
    pub rule: String,
    pub reference: String,
    /// (English, bokmål).
    pub explanation: (String, String),
}

/// A person's parole supervision.
pub(crate) struct ParoleView {
    pub person: PersonRow,
    /// The parole supervision entry in effect (the latest).
    pub supervision: Option<SupervisionFact>,
    pub end: Option<ProbationEnd>,
    /// All the person's probation events (the version is their count).
    pub version: i64,
    /// The parole events, oldest first.
    pub events: Vec<ProbationEventRow>,
    pub state: Option<Supervision>,
    /// The caller may record events (a probation officer of the person's location).
    pub may_write: bool,
}

/// The latest parole supervision in effect.
fn parole_supervision(entries: &[halden_storage::EntryRow]) -> Option<SupervisionFact> {
    let facts = crate::probation::entry_facts(entries);
    effective(&facts)
        .into_iter()
        .filter_map(|(_, f)| match f {
            Fact::Supervision(s) if s.supervision == "parole" => Some(s.clone()),
            _ => None,
        })
        .max_by_key(|s| s.from)
}

/// The engine's probation end from the person's stored calculation (`dates.probation_end`).
pub(crate) fn probation_end(person: &PersonRow) -> Option<ProbationEnd> {
    let doc: Value = serde_json::from_str(person.dates_json.as_deref()?).ok()?;
    let d = doc.get("dates")?.get("probation_end")?;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Some(ProbationEnd {
        date: text(d, "date")?.parse().ok()?,
        rule: text(d, "rule").unwrap_or_default(),
        reference: text(d, "reference").unwrap_or_default(),
        explanation: (
            d.get("explanation")
                .and_then(|e| text(e, "en"))
                .unwrap_or_default(),
            d.get("explanation")
                .and_then(|e| text(e, "nb"))
                .unwrap_or_default(),
        ),
    })
}

/// The stored parole events as the domain's records (unreadable payloads are skipped: they were
/// checked when written).
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

/// Loads a person's parole supervision for `caller` (the read is logged as `view_name`).
pub(crate) async fn parole_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<ParoleView, ApiError> {
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
    let supervision = parole_supervision(&entries);
    let end = probation_end(&person);
    let records = records(&events);
    let in_effect = parole::in_effect(&records);
    let folded = supervision.as_ref().map(|s| {
        parole::fold(
            &in_effect,
            Term {
                start: s.from,
                end: end.as_ref().map(|e| e.date),
            },
            today,
        )
    });
    let may_write = caller.role == Role::Probation && caller.in_scope(&person, today);
    Ok(ParoleView {
        person,
        supervision,
        end,
        version,
        events,
        state: folded,
        may_write,
    })
}

/// How many report days a parolee has missed on `today`, from their probation events (one
/// person's, any kinds) and the engine's probation end (R-PAR-4), for the caseload: no access log,
/// as the caseload names the person already and this reads nothing beyond the log's dates.
/// Conditions cannot begin before the supervision (checked when written), so the report days run
/// from the reporting condition's own first day.
pub(crate) fn missed_reports_in(
    events: &[ProbationEventRow],
    probation_end: Option<Date>,
    today: Date,
) -> usize {
    let records = records(events);
    let term = Term {
        start: Date::MIN,
        end: probation_end,
    };
    parole::fold(&parole::in_effect(&records), term, today)
        .missed()
        .len()
}

/// A condition as JSON: its type, its first and last days, its fields.
pub(crate) fn condition_json(condition: &Condition) -> Value {
    match condition {
        Condition::Reporting(s) => {
            let mut v = json!({"type": "reporting", "location": s.location});
            match s.frequency {
                Frequency::Weekly(day) => v["weekday"] = json!(parole::weekday_name(day)),
                Frequency::EveryDays(n) => v["every_days"] = json!(n),
            }
            v
        }
        Condition::Sobriety {
            substances,
            testing,
        } => json!({"type": "sobriety", "substances": substances, "testing": testing}),
        Condition::Residence {
            address,
            municipality,
        } => json!({"type": "residence", "address": address, "municipality": municipality}),
        Condition::Treatment {
            provider,
            description,
        } => json!({"type": "treatment", "provider": provider, "description": description}),
        Condition::WorkOrTraining { place, description } => {
            json!({"type": "work_or_training", "place": place, "description": description})
        }
        Condition::NoContact { persons } => json!({"type": "no_contact", "persons": persons}),
    }
}

/// The view as the API answers it.
pub(crate) fn parole_json(view: &ParoleView) -> Value {
    let records = records(&view.events);
    let in_effect = parole::in_effect(&records);
    let condition_span = |id: i64| {
        in_effect.iter().find_map(|(i, e)| match e {
            Event::Condition {
                from,
                until,
                reason,
                ..
            } if *i == id => Some((*from, *until, reason.clone())),
            _ => None,
        })
    };
    let supervision = view.state.as_ref().map(|s| {
        json!({
            "stage": s.stage.as_str(),
            "conditions": s.conditions.iter().map(|(id, c)| {
                let mut v = condition_json(c);
                v["id"] = json!(id);
                if let Some((from, until, reason)) = condition_span(*id) {
                    v["from"] = json!(from.to_string());
                    v["until"] = json!(until.map(|u| u.to_string()));
                    v["reason"] = json!(reason);
                }
                v
            }).collect::<Vec<_>>(),
            "due": s.due.iter().map(|d| json!({
                "date": d.date.to_string(),
                "reported": d.reported.map(|r| r.to_string()),
                "missed": d.missed(),
            })).collect::<Vec<_>>(),
            "missed": s.missed().iter().map(ToString::to_string).collect::<Vec<_>>(),
            "next_due": s.next_due.map(|d| d.to_string()),
            "reports": in_effect.iter().filter_map(|(id, e)| match e {
                Event::Report { date, sober, note } => Some(json!({
                    "id": id, "date": date.to_string(), "sober": sober, "note": note,
                })),
                _ => None,
            }).collect::<Vec<_>>(),
            "breaches": s.breaches,
            "warnings": s.warnings,
            "court_case": s.court_case.map(|d| d.to_string()),
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
        "probation_end": view.end.as_ref().map(|e| json!({
            "date": e.date.to_string(),
            "rule": e.rule,
            "reference": e.reference,
            "explanation": {"en": e.explanation.0, "nb": e.explanation.1},
        })),
        "parole": supervision,
        "events": view.events.iter().map(|e| json!({
            "id": e.id,
            "kind": e.kind.strip_prefix(PREFIX).unwrap_or(&e.kind),
            "payload": e.payload_json(),
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by_name,
            "corrects": e.corrects,
            "reason": e.reason,
        })).collect::<Vec<_>>(),
    })
}

async fn parole_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = parole_view(&state, &caller, id, "api_parole").await?;
    Ok(Json(parole_json(&view)))
}

// ---------------------------------------------------------------------------------------------
// Payloads

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionPayload {
    #[serde(rename = "type")]
    kind: String,
    from: Date,
    #[serde(default)]
    until: Option<Date>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    weekday: Option<String>,
    #[serde(default)]
    every_days: Option<u16>,
    #[serde(default)]
    location: String,
    #[serde(default)]
    substances: String,
    #[serde(default)]
    testing: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    persons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportPayload {
    date: Date,
    sober: bool,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BreachPayload {
    date: Date,
    condition: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatedPayload {
    date: Date,
    description: String,
}

fn read<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T, Vec<FieldError>> {
    halden_storage::facts::read_payload(payload, "payload").map_err(|e| vec![e])
}

fn unknown_condition(text: &str, field: &str) -> Vec<FieldError> {
    let names: Vec<&str> = ConditionKind::ALL.iter().map(|k| k.as_str()).collect();
    vec![FieldError::bilingual(
        field,
        None,
        format!(
            "unknown condition '{text}'; expected one of {}",
            names.join(", ")
        ),
        format!("ukjent vilkår '{text}'"),
    )]
}

/// An event from its kind (without the prefix) and JSON payload; every problem names its field
/// under `payload`.
pub(crate) fn event_from_payload(kind: &str, payload: &Value) -> Result<Event, Vec<FieldError>> {
    Ok(match kind {
        "condition" => {
            let p: ConditionPayload = read(payload)?;
            let kind = ConditionKind::parse(&p.kind)
                .ok_or_else(|| unknown_condition(&p.kind, "payload.type"))?;
            let condition = match kind {
                ConditionKind::Reporting => {
                    let frequency = match (p.weekday.as_deref(), p.every_days) {
                        (Some(day), None) => {
                            Frequency::Weekly(parole::parse_weekday(day).ok_or_else(|| {
                                vec![FieldError::bilingual(
                                    "payload.weekday",
                                    None,
                                    format!("unknown weekday '{day}'; expected monday … sunday"),
                                    format!("ukjent ukedag '{day}'"),
                                )]
                            })?)
                        }
                        (None, Some(n)) => Frequency::EveryDays(n),
                        _ => {
                            return Err(vec![FieldError::bilingual(
                                "payload.weekday",
                                None,
                                "give either a weekday (weekly reporting) or every_days, not both",
                                "oppgi enten en ukedag (ukentlig oppmøte) eller antall dager mellom oppmøtene, ikke begge",
                            )]);
                        }
                    };
                    Condition::Reporting(Schedule {
                        frequency,
                        location: p.location,
                    })
                }
                ConditionKind::Sobriety => Condition::Sobriety {
                    substances: p.substances,
                    testing: p.testing,
                },
                ConditionKind::Residence => Condition::Residence {
                    address: p.address,
                    municipality: p.municipality,
                },
                ConditionKind::Treatment => Condition::Treatment {
                    provider: p.provider,
                    description: p.description,
                },
                ConditionKind::WorkOrTraining => Condition::WorkOrTraining {
                    place: p.place,
                    description: p.description,
                },
                ConditionKind::NoContact => Condition::NoContact {
                    persons: p
                        .persons
                        .into_iter()
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .collect(),
                },
            };
            Event::Condition {
                from: p.from,
                until: p.until,
                condition,
                reason: p.reason.trim().to_string(),
            }
        }
        "report" => {
            let p: ReportPayload = read(payload)?;
            Event::Report {
                date: p.date,
                sober: p.sober,
                note: p.note,
            }
        }
        "breach" => {
            let p: BreachPayload = read(payload)?;
            Event::Breach {
                date: p.date,
                condition: ConditionKind::parse(&p.condition)
                    .ok_or_else(|| unknown_condition(&p.condition, "payload.condition"))?,
                description: p.description,
            }
        }
        "warning" | "court_case" => {
            let p: DatedPayload = read(payload)?;
            if kind == "warning" {
                Event::Warning {
                    date: p.date,
                    description: p.description,
                }
            } else {
                Event::CourtCase {
                    date: p.date,
                    description: p.description,
                }
            }
        }
        other => {
            return Err(vec![FieldError::bilingual(
                "kind",
                None,
                format!(
                    "unknown kind '{other}'; expected retraction or one of {}",
                    parole::EVENT_KINDS.join(", ")
                ),
                format!("ukjent type '{other}'"),
            )]);
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Recording

/// A request to record a parole event (`kind` without the prefix, or `retraction`).
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
    let Some(supervision) = parole_supervision(&entries) else {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "the person has no parole supervision in the register",
            "personen er ikke registrert med prøveløslatelse",
        ));
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
                format!("this person has no parole event {target}"),
                format!("personen har ingen hendelse {target} i prøveløslatelsen"),
            ));
        };
        let original_kind = original.kind.trim_start_matches(PREFIX);
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
    let in_effect = parole::in_effect(&records);
    let term = Term {
        start: supervision.from,
        end: probation_end(&person).map(|e| e.date),
    };
    if kind != "retraction" {
        let event = event_from_payload(kind, &payload).map_err(ApiError::Invalid)?;
        let problems = parole::check(&in_effect, term, &event, root, today);
        if !problems.is_empty() {
            return Err(ApiError::Invalid(
                problems
                    .into_iter()
                    .map(|p| {
                        let field = if p.field == "kind" {
                            "kind".to_string()
                        } else {
                            format!("payload.{}", p.field)
                        };
                        FieldError { field, ..p }
                    })
                    .collect(),
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
    let route = format!("/api/v1/persons/{id}/parole/events");
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
