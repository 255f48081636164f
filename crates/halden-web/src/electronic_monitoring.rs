//! EM home detention (elektronisk kontroll, strgjfl § 16 a; issue 6, item 4): a person's EM case
//! (application with consents, daytime activity and weekly schedule; grant; device; breaches
//! and their handling) as `em.*` probation events, and revocation back to prison, which ends the
//! EM period in the register and records the admission in one transaction, after which the
//! projection recomputes the key dates. The rules are `halden_domain::electronic_monitoring`.
//! The API and the pages (`pages::electronic_monitoring`) share the views here.
//!
//! Access as for a community sentence: the probation officer of the person's location writes
//! (another office: 404); the person reads their own case (schedule included) read-only; national
//! placement reads; every other role is refused (403). Every read is logged.

use std::collections::BTreeMap;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use halden_domain::{
    electronic_monitoring::{
        self as em, Activity, ActivityKind, Adult, Application, BreachKind, DeviceAction, Door,
        EngineFigures, Event, Handled, HandlingAction, Schedule, State as EmState, TimeRange,
        WEEKDAYS,
    },
    validate::FieldError,
};
use halden_storage::{
    Actor, Appended, NewEntry, NewProbationEvent, PersonRow, ProbationEventRow,
    facts::{Fact, SupervisionFact},
    projection::effective,
};
use jiff::civil::{Date, DateTime};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, once, parse_id, read_person},
    auth::api_caller,
    error::ApiError,
};

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/persons/{id}/em", get(em_api))
        .route("/api/v1/persons/{id}/em/events", post(record_api))
        .route("/api/v1/persons/{id}/em/revocation", post(revocation_api))
}

/// The event kinds a request names (stored with the `em.` prefix); revocation has its own route.
pub(crate) const KINDS: [&str; 5] = ["application", "grant", "device", "breach", "handling"];

// ---------------------------------------------------------------------------------------------
// Reading

/// The EM period in the register in effect: (entry id, the fact).
fn em_periods(entries: &[halden_storage::EntryRow]) -> Vec<(i64, SupervisionFact)> {
    let facts = crate::probation::entry_facts(entries);
    effective(&facts)
        .into_iter()
        .filter_map(|(id, f)| match f {
            Fact::Supervision(s) if s.supervision == "electronic_monitoring" => {
                Some((id, s.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The EM records (events, corrections and retractions), oldest first (unreadable payloads are
/// skipped: they were checked when written).
pub(crate) fn em_records(events: &[ProbationEventRow]) -> Vec<em::Recorded> {
    events
        .iter()
        .filter(|e| e.kind.starts_with("em."))
        .filter_map(|e| {
            Some(em::Recorded {
                id: e.id,
                corrects: e.corrects,
                event: if e.kind == RETRACTION {
                    None
                } else {
                    Some(event_from_payload(&e.kind, &e.payload_json()).ok()?)
                },
            })
        })
        .collect()
}

/// The stored kind of a retraction of an EM event.
pub(crate) const RETRACTION: &str = "em.retraction";

/// What the engine says about EM for the person (from the projection's document).
pub(crate) fn figures_of(person: &PersonRow) -> EngineFigures {
    let doc: Value = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let front = &doc["em_front_door"];
    EngineFigures {
        front_door_eligible: front["eligible"].as_bool(),
        front_door_explanation: front["explanation"]["en"].as_str().map(|en| {
            (
                en.to_string(),
                front["explanation"]["nb"]
                    .as_str()
                    .unwrap_or(en)
                    .to_string(),
            )
        }),
        back_door_date: doc["dates"]["em_back_door"]["date"]
            .as_str()
            .and_then(|d| d.parse().ok()),
        in_custody: person.in_custody(),
    }
}

/// One key date with its rule and explanation.
pub(crate) struct KeyDateLine {
    pub key: String,
    pub date: String,
    pub rule: String,
    pub reference: String,
    pub explanation: (String, String),
}

/// The key dates of the person's serving, from the projection's document.
pub(crate) fn key_dates(person: &PersonRow) -> Vec<KeyDateLine> {
    let doc: Value = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let Some(dates) = doc["dates"].as_object() else {
        return Vec::new();
    };
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    dates
        .iter()
        .map(|(key, d)| KeyDateLine {
            key: key.clone(),
            date: text(d, "date"),
            rule: text(d, "rule"),
            reference: text(d, "reference"),
            explanation: (text(&d["explanation"], "en"), text(&d["explanation"], "nb")),
        })
        .collect()
}

/// A person's EM case as one role sees it.
pub(crate) struct EmView {
    pub person: PersonRow,
    pub events: Vec<ProbationEventRow>,
    pub state: EmState,
    /// The EM periods in the register in effect (entry id, period).
    pub periods: Vec<(i64, SupervisionFact)>,
    pub figures: EngineFigures,
    /// The caller may record events (a probation officer of the person's location).
    pub may_write: bool,
}

/// Loads a person's EM case for `caller` (the read is logged as `view_name`).
pub(crate) async fn em_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<EmView, ApiError> {
    caller.require_probation_reader()?;
    let (person, _, _) = read_person(state, caller, id, view_name, None, true).await?;
    view_of(state, caller, person).await
}

/// The case of a person already read (and logged) by the caller: after a revocation, its author
/// sees the result.
pub(crate) async fn view_after(
    state: &AppState,
    caller: &Caller,
    person: PersonRow,
) -> Result<EmView, ApiError> {
    view_of(state, caller, person).await
}

async fn view_of(state: &AppState, caller: &Caller, person: PersonRow) -> Result<EmView, ApiError> {
    let today = state.today();
    let events = state.store.probation_events(person.id).await?;
    let entries = state.store.entries(person.id).await?;
    let records = em_records(&events);
    let may_write = caller.role == Role::Probation && caller.in_scope(&person, today);
    Ok(EmView {
        state: em::fold(&em::in_effect(&records)),
        periods: em_periods(&entries),
        figures: figures_of(&person),
        events,
        person,
        may_write,
    })
}

fn schedule_json(schedule: &Schedule) -> Value {
    let mut map = serde_json::Map::new();
    for (day, ranges) in WEEKDAYS.iter().zip(&schedule.days) {
        map.insert(
            (*day).to_string(),
            Value::Array(
                ranges
                    .iter()
                    .map(|r| json!({"from": em::clock(r.from), "until": em::clock(r.until)}))
                    .collect(),
            ),
        );
    }
    Value::Object(map)
}

/// The custody state and key dates of a person row.
fn custody_json(person: &PersonRow) -> Value {
    json!({
        "custody": {
            "status": person.status,
            "prison": person.prison_id,
            "episode_start": person.episode_start,
            "serving_start": person.serving_start,
        },
        "end_of_sentence": person.end_of_sentence,
        "dates": key_dates(person).iter().map(|d| json!({
            "key": d.key,
            "date": d.date,
            "rule": d.rule,
            "reference": d.reference,
            "explanation": {"en": d.explanation.0, "nb": d.explanation.1},
        })).collect::<Vec<_>>(),
    })
}

/// The view as the API answers it.
pub(crate) fn em_json(view: &EmView) -> Value {
    let s = &view.state;
    let application = s.application.as_ref().map(|a| {
        json!({
            "date": a.date.to_string(),
            "door": a.door.as_str(),
            "from": a.from.to_string(),
            "address": a.address,
            "adults": a.adults.iter().map(|x| json!({
                "name": x.name,
                "consent_date": x.consent_date.map(|d| d.to_string()),
            })).collect::<Vec<_>>(),
            "activity": {"kind": a.activity.kind.as_str(), "description": a.activity.description},
        })
    });
    let f = &view.figures;
    let mut answer = json!({
        "person_id": view.person.id,
        "version": view.events.len(),
        "register_version": view.person.version,
        "location": view.person.supervision_office,
        "stage": s.stage.map(em::Stage::as_str),
        "application": application,
        "granted": s.granted.map(|d| d.to_string()),
        "schedule": s.schedule.as_ref().map(schedule_json),
        "schedule_weekly_minutes": s.schedule.as_ref().map(Schedule::weekly_minutes),
        "schedule_time_zone": "Europe/Oslo",
        "device": s.device.as_ref().map(|(serial, at)| json!({"serial": serial, "fitted_at": at.to_string()})),
        "breaches": s.breaches.iter().map(|b| json!({
            "id": b.id,
            "kind": b.kind.as_str(),
            "at": b.at.to_string(),
            "description": b.description,
            "handled": b.handled.as_ref().map(|h| match h {
                Handled::By(id, action) => json!({"event": id, "action": action.as_str()}),
                Handled::Revocation(id) => json!({"event": id, "action": "revocation"}),
            }),
        })).collect::<Vec<_>>(),
        "revoked_at": s.revoked.map(|d| d.to_string()),
        "periods": view.periods.iter().map(|(id, p)| json!({
            "entry": id, "from": p.from.to_string(), "until": p.until.to_string(), "office": p.office,
        })).collect::<Vec<_>>(),
        "eligibility": {
            "front_door": {
                "eligible": f.front_door_eligible,
                "rule": "R-EM-2",
                "reference": halden_domain::law::RuleId::Em2.reference(),
                "explanation": f.front_door_explanation.as_ref().map(|(en, nb)| json!({"en": en, "nb": nb})),
            },
            "back_door": {
                "date": f.back_door_date.map(|d| d.to_string()),
                "rule": "R-EM-3",
                "reference": halden_domain::law::RuleId::Em3.reference(),
            },
        },
        "events": view.events.iter().filter(|e| e.kind.starts_with("em.")).map(|e| json!({
            "id": e.id,
            "kind": e.kind,
            "payload": e.payload_json(),
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by_name,
        })).collect::<Vec<_>>(),
    });
    if let (Some(obj), Value::Object(more)) = (answer.as_object_mut(), custody_json(&view.person)) {
        obj.extend(more);
    }
    answer
}

async fn em_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = em_view(&state, &caller, id, "api_em").await?;
    Ok(Json(em_json(&view)))
}

// ---------------------------------------------------------------------------------------------
// Payloads

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangePayload {
    from: String,
    until: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdultPayload {
    name: String,
    #[serde(default)]
    consent_date: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityPayload {
    kind: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicationPayload {
    date: Date,
    door: String,
    from: Date,
    address: String,
    #[serde(default)]
    adults: Vec<AdultPayload>,
    activity: ActivityPayload,
    schedule: BTreeMap<String, Vec<RangePayload>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantPayload {
    date: Date,
    /// The register entries written with the grant (kept by the store; never in a request).
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "kept in the stored payload, read by people and the log"
    )]
    entries: Option<Vec<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DevicePayload {
    action: String,
    serial: String,
    at: DateTime,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BreachPayload {
    kind: String,
    at: DateTime,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandlingPayload {
    breach: i64,
    action: String,
    date: Date,
    description: String,
    #[serde(default)]
    schedule: Option<BTreeMap<String, Vec<RangePayload>>>,
}

/// A stored revocation (it also carries `prison` and the register `entries` appended with it;
/// only ever read from the log, the API takes [`RevocationBody`]).
#[derive(Deserialize)]
struct RevocationPayload {
    at: DateTime,
    #[serde(default)]
    breach: Option<i64>,
    reason: String,
}

fn read<T: serde::de::DeserializeOwned>(
    payload: &Value,
    prefix: &str,
) -> Result<T, Vec<FieldError>> {
    halden_storage::facts::read_payload(payload, prefix).map_err(|e| vec![e])
}

fn choice<T>(
    parsed: Option<T>,
    field: &str,
    given: &str,
    names: &str,
) -> Result<T, Vec<FieldError>> {
    parsed.ok_or_else(|| {
        vec![FieldError::bilingual(
            field,
            None,
            format!("unknown value '{given}'; expected one of {names}"),
            format!("ukjent verdi «{given}»; forventet en av {names}"),
        )]
    })
}

fn schedule_of(
    days: &BTreeMap<String, Vec<RangePayload>>,
    field: &str,
) -> Result<Schedule, Vec<FieldError>> {
    let mut schedule = Schedule::default();
    let mut problems = Vec::new();
    for (day, ranges) in days {
        let Some(index) = WEEKDAYS.iter().position(|d| d == day) else {
            problems.push(FieldError::bilingual(
                format!("{field}.{day}"),
                None,
                format!("unknown weekday '{day}'; expected {}", WEEKDAYS.join(", ")),
                format!("ukjent ukedag «{day}»; forventet {}", WEEKDAYS.join(", ")),
            ));
            continue;
        };
        for (i, r) in ranges.iter().enumerate() {
            match TimeRange::parse(&r.from, &r.until, &format!("{field}.{day}[{i}]")) {
                Ok(range) => schedule.days[index].push(range),
                Err(p) => problems.extend(p),
            }
        }
    }
    if problems.is_empty() {
        Ok(schedule)
    } else {
        Err(problems)
    }
}

/// An event from its stored kind (`em.<kind>`) and JSON payload; every problem names its field
/// under `payload`.
pub(crate) fn event_from_payload(kind: &str, payload: &Value) -> Result<Event, Vec<FieldError>> {
    let p = "payload";
    Ok(match kind {
        "em.application" => {
            let a: ApplicationPayload = read(payload, p)?;
            let door = choice(
                Door::parse(&a.door),
                "payload.door",
                &a.door,
                &Door::names(),
            )?;
            let kind = choice(
                ActivityKind::parse(&a.activity.kind),
                "payload.activity.kind",
                &a.activity.kind,
                &ActivityKind::names(),
            )?;
            Event::Application(Application {
                date: a.date,
                door,
                from: a.from,
                address: a.address,
                adults: a
                    .adults
                    .into_iter()
                    .map(|x| Adult {
                        name: x.name,
                        consent_date: x.consent_date,
                    })
                    .collect(),
                activity: Activity {
                    kind,
                    description: a.activity.description,
                },
                schedule: schedule_of(&a.schedule, "payload.schedule")?,
            })
        }
        "em.grant" => {
            let g: GrantPayload = read(payload, p)?;
            Event::Grant { date: g.date }
        }
        "em.device" => {
            let d: DevicePayload = read(payload, p)?;
            Event::Device {
                action: choice(
                    DeviceAction::parse(&d.action),
                    "payload.action",
                    &d.action,
                    &DeviceAction::names(),
                )?,
                serial: d.serial.trim().to_string(),
                at: d.at,
            }
        }
        "em.breach" => {
            let b: BreachPayload = read(payload, p)?;
            Event::Breach {
                kind: choice(
                    BreachKind::parse(&b.kind),
                    "payload.kind",
                    &b.kind,
                    &BreachKind::names(),
                )?,
                at: b.at,
                description: b.description,
            }
        }
        "em.handling" => {
            let h: HandlingPayload = read(payload, p)?;
            Event::Handling {
                breach: h.breach,
                action: choice(
                    HandlingAction::parse(&h.action),
                    "payload.action",
                    &h.action,
                    &HandlingAction::names(),
                )?,
                date: h.date,
                description: h.description,
                schedule: h
                    .schedule
                    .as_ref()
                    .map(|s| schedule_of(s, "payload.schedule"))
                    .transpose()?,
            }
        }
        "em.revocation" => {
            let r: RevocationPayload = read(payload, p)?;
            Event::Revocation {
                at: r.at,
                breach: r.breach,
                reason: r.reason,
            }
        }
        other => return Err(vec![unknown_kind(other.trim_start_matches("em."))]),
    })
}

fn unknown_kind(kind: &str) -> FieldError {
    FieldError::bilingual(
        "kind",
        None,
        format!(
            "unknown kind '{kind}'; expected one of {} (revocation: POST …/em/revocation)",
            KINDS.join(", ")
        ),
        format!(
            "ukjent type «{kind}»; forventet en av {} (omgjøring: POST …/em/revocation)",
            KINDS.join(", ")
        ),
    )
}

/// Field names of the domain's checks, under `payload`.
fn under_payload(problems: Vec<FieldError>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|p| {
            if p.field == "kind" || p.field == "corrects" {
                p
            } else {
                p.under("payload")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Recording events

/// The person in the caller's caseload to write for: probation officers of the person's location
/// only (another office: 404, existence not revealed).
async fn writable_person(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
) -> Result<PersonRow, ApiError> {
    caller.require(&[Role::Probation])?;
    let person = state
        .store
        .person(person_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !caller.in_scope(&person, state.today()) {
        return Err(ApiError::NotFound);
    }
    Ok(person)
}

/// A request to record an EM event.
pub(crate) struct EventRequest<'a> {
    /// One of [`KINDS`].
    pub kind: &'a str,
    /// The probation event count the writer read.
    pub version: i64,
    pub payload: Value,
    /// The EM event this corrects (same kind) or retracts (kind `retraction`).
    pub corrects: Option<i64>,
    /// Why (required with `corrects`).
    pub reason: Option<&'a str>,
}

/// Checks and records an event; the new event's id and the event count after it. Shared by the
/// API and the forms.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
    key: Option<&halden_storage::AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    let person = writable_person(state, caller, person_id).await?;
    let stored = format!("em.{}", request.kind);
    let retraction = request.kind == "retraction";
    if !KINDS.contains(&request.kind) && !retraction {
        return Err(ApiError::Invalid(vec![unknown_kind(request.kind)]));
    }
    let reason = request.reason.map(str::trim).filter(|r| !r.is_empty());
    let mut problems = Vec::new();
    match (request.corrects, reason) {
        (None, _) if retraction => problems.push(FieldError::bilingual(
            "corrects",
            None,
            "a retraction must name the event it retracts",
            "en tilbaketrekking må angi hendelsen",
        )),
        (Some(_), None) => problems.push(FieldError::bilingual(
            "reason",
            None,
            "a correction or retraction needs its reason",
            "en rettelse eller tilbaketrekking må begrunnes",
        )),
        _ => {}
    }
    let event = if retraction {
        None
    } else {
        Some(event_from_payload(&stored, &request.payload).map_err(ApiError::Invalid)?)
    };
    let events = state.store.probation_events(person_id).await?;
    let records = em_records(&events);
    let before = em::fold(&em::in_effect(&records));
    let entries = state.store.entries(person_id).await?;
    let mut register: Vec<(Fact, Option<i64>)> = Vec::new();
    match (request.corrects, &event) {
        (None, Some(event)) => {
            problems.extend(under_payload(em::check(&before, event)));
            if let Event::Application(a) = event {
                problems.extend(under_payload(em::check_eligibility(
                    a.door,
                    a.from,
                    &figures_of(&person),
                )));
            }
            // The grant writes the register (issue 6): the EM period from its start, in the
            // same transaction.
            if let Event::Grant { date } = event {
                match grant_period(&person, &entries, &before, *date, caller) {
                    Ok(Some(period)) => register.push((Fact::Supervision(period), None)),
                    Ok(None) => {}
                    Err(p) => problems.push(p),
                }
            }
        }
        (Some(target), replacement) => {
            if !events
                .iter()
                .any(|e| e.id == target && e.kind.starts_with("em."))
            {
                problems.push(FieldError::bilingual(
                    "corrects",
                    None,
                    format!("this person has no EM event {target}"),
                    format!("personen har ingen hendelse {target} i saken"),
                ));
            } else {
                let found =
                    under_payload(em::check_correction(&records, target, replacement.as_ref()));
                if found.is_empty() {
                    match corrected_register(
                        &events,
                        &records,
                        &entries,
                        &before,
                        target,
                        replacement.as_ref(),
                    ) {
                        Ok(more) => register.extend(more),
                        Err(p) => problems.push(p),
                    }
                }
                problems.extend(found);
            }
        }
        (None, None) => {}
    }
    if request.payload.get("entries").is_some() {
        problems.push(FieldError::bilingual(
            "payload.entries",
            None,
            "is written by the register with the event, not given",
            "skrives av registeret sammen med hendelsen, oppgis ikke",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let empty = Value::Object(serde_json::Map::new());
    let case = state.store.probation_case(person_id).await?;
    let new = NewProbationEvent {
        kind: &stored,
        payload: if retraction { &empty } else { &request.payload },
        corrects: request.corrects,
        reason,
        expected_events: request.version,
        officer: case.officer.as_deref(),
        stage: case.stage.as_deref(),
        required_minutes: case.required_minutes,
        credited_minutes: case.credited_minutes,
    };
    let actor: Actor = actor(caller);
    if !register.is_empty() {
        let why = reason.map(|r| format!("EM event corrected (strgjfl § 16 a): {r}"));
        let new_entries: Vec<NewEntry<'_>> = register
            .iter()
            .map(|(fact, corrects)| NewEntry {
                fact,
                corrects: *corrects,
                reason: corrects.and(why.as_deref()),
            })
            .collect();
        let key = key.map(|k| halden_storage::AnswerKey {
            user_id: k.user_id,
            key: k.key.clone(),
            request_hash: k.request_hash.clone(),
            status: k.status,
            render: appended_event_answer,
        });
        let appended = state
            .store
            .append_entries_with_event(
                &actor,
                person_id,
                person.version,
                &new_entries,
                &new,
                key.as_ref(),
            )
            .await?;
        return Ok((appended.event, appended.events));
    }
    Ok(state
        .store
        .append_probation_event_once(&actor, person_id, &new, key)
        .await?)
}

/// A grant's answer when it wrote the register: as [`event_answer`].
fn appended_event_answer(a: &Appended) -> String {
    event_answer(&(a.event, a.events))
}

/// What a correction or retraction of an EM event changes in the register: a grant that wrote
/// the EM period (its record carries `entries`) moves the period's first day with its corrected
/// date, or retracts the period with it. An application's first day cannot move under a grant
/// (retract the grant first).
///
/// # Errors
///
/// `payload.from` for an application moved under a grant.
fn corrected_register(
    events: &[ProbationEventRow],
    records: &[em::Recorded],
    entries: &[halden_storage::EntryRow],
    before: &EmState,
    target: i64,
    replacement: Option<&Event>,
) -> Result<Vec<(Fact, Option<i64>)>, FieldError> {
    let root = em::root_of(records, target);
    let original = em::in_effect(records)
        .into_iter()
        .find(|(id, _)| *id == root)
        .map(|(_, e)| e.clone());
    match (original, replacement) {
        (Some(Event::Application(old)), Some(Event::Application(new)))
            if before.granted.is_some() && old.from != new.from =>
        {
            Err(FieldError::bilingual(
                "payload.from",
                None,
                "the grant runs from the first day applied for; retract the grant first",
                "innvilgelsen gjelder fra første dag det er søkt om; trekk tilbake innvilgelsen først",
            ))
        }
        (Some(Event::Grant { date: old }), replacement) => {
            // Did the grant write the register?
            let wrote = events.iter().any(|e| {
                e.kind == "em.grant"
                    && em::root_of(records, e.id) == root
                    && e.payload_json()["entries"]
                        .as_array()
                        .is_some_and(|a| !a.is_empty())
            });
            let Some(application) = before.application.as_ref().filter(|_| wrote) else {
                return Ok(Vec::new());
            };
            let start = application.from.max(old);
            let Some((entry, period)) = em_periods(entries)
                .into_iter()
                .find(|(_, p)| p.from == start)
            else {
                return Ok(Vec::new());
            };
            Ok(match replacement {
                None => vec![(Fact::Retraction, Some(entry))],
                Some(Event::Grant { date }) => {
                    let from = application.from.max(*date);
                    if from == period.from {
                        Vec::new()
                    } else {
                        vec![(
                            Fact::Supervision(SupervisionFact { from, ..period }),
                            Some(entry),
                        )]
                    }
                }
                Some(_) => Vec::new(),
            })
        }
        _ => Ok(Vec::new()),
    }
}

/// The EM period a grant writes to the register (issue 6): for a sentenced person (the
/// projection has an end of sentence), from the grant's start — the first day applied for, or
/// the day of the grant when that is later — to the end of the sentence, under the caller's
/// office. `None` when the person has no sentence to serve, or an EM period in effect already
/// covers the start (registered before). A back door's departure from prison is the prison's
/// movement to record.
///
/// # Errors
///
/// `payload.date` when the sentence ends before the start.
fn grant_period(
    person: &PersonRow,
    entries: &[halden_storage::EntryRow],
    before: &EmState,
    granted: Date,
    caller: &Caller,
) -> Result<Option<SupervisionFact>, FieldError> {
    let (Some(application), Some(office)) = (&before.application, caller.scope()) else {
        return Ok(None);
    };
    let Some(end) = person
        .end_of_sentence
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
    else {
        return Ok(None);
    };
    let start = application.from.max(granted);
    if em_periods(entries)
        .iter()
        .any(|(_, p)| p.from <= start && start <= p.until)
    {
        return Ok(None);
    }
    if end < start {
        return Err(FieldError::bilingual(
            "payload.date",
            None,
            format!("the sentence ends on {end}, before EM would start ({start})"),
            format!("straffen slutter {end}, før elektronisk kontroll ville begynne ({start})"),
        ));
    }
    Ok(Some(SupervisionFact {
        supervision: "electronic_monitoring".into(),
        office: office.to_string(),
        from: start,
        until: end,
        office_reason: None,
    }))
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

fn event_answer((event, version): &(i64, i64)) -> String {
    json!({"event": event, "version": version}).to_string()
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
    let request: RecordBody = read(&value, "").map_err(ApiError::Invalid)?;
    let route = format!("/api/v1/persons/{id}/em/events");
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        event_answer,
        |key| async {
            let key = key;
            record(
                &state,
                &caller,
                id,
                EventRequest {
                    kind: &request.kind,
                    version: request.version,
                    payload: request.payload,
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

// ---------------------------------------------------------------------------------------------
// Revocation back to prison

/// A revocation: the admission (when, where), the breach it answers and the written reason.
pub(crate) struct RevocationRequest {
    /// The probation event count the writer read.
    pub version: i64,
    /// The register version the writer read.
    pub register_version: i64,
    pub at: DateTime,
    pub prison: String,
    pub breach: Option<i64>,
    pub reason: String,
}

/// Ends the EM period and admits the person to `prison`, with the revocation in the probation
/// log, in one transaction (see [`halden_storage::Store::append_entries_with_event`]).
pub(crate) async fn revoke(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: RevocationRequest,
    key: Option<&halden_storage::AnswerKey<Appended>>,
) -> Result<Appended, ApiError> {
    let person = writable_person(state, caller, person_id).await?;
    let events = state.store.probation_events(person_id).await?;
    let records = em_records(&events);
    let before = em::fold(&em::in_effect(&records));
    let event = Event::Revocation {
        at: request.at,
        breach: request.breach,
        reason: request.reason.trim().to_string(),
    };
    let mut problems = em::check(&before, &event);
    let prison = request.prison.trim().to_string();
    let prisons = state.store.prisons().await?;
    if !prisons.iter().any(|p| p.id == prison) {
        problems.push(FieldError::bilingual(
            "prison",
            None,
            format!("no prison '{prison}' in the estate"),
            format!("det finnes ikke noe fengsel «{prison}»"),
        ));
    }
    let day = request.at.date();
    let entries = state.store.entries(person_id).await?;
    let period = em_periods(&entries)
        .into_iter()
        .filter(|(_, p)| p.from <= day && p.until.tomorrow().is_ok_and(|t| t >= day))
        .max_by_key(|(_, p)| p.from);
    let ended = match &period {
        None => {
            problems.push(FieldError::bilingual(
                "at",
                None,
                format!("the register has no EM period on {day}"),
                format!("registeret har ingen periode med elektronisk kontroll {day}"),
            ));
            None
        }
        Some((_, p)) => match em::ended_period(p.from, p.until, day) {
            Ok(until) => Some(until),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let (Some((entry, period)), Some(until)) = (period, ended) else {
        return Err(ApiError::Invalid(Vec::new()));
    };
    let reason = request.reason.trim();
    let why = format!(
        "EM revoked (strgjfl § 16 a): admitted to {prison} on {}; {reason}",
        request.at
    );
    let end_fact = match until {
        Some(until) => Fact::Supervision(SupervisionFact {
            until,
            ..period.clone()
        }),
        None => Fact::Retraction,
    };
    let admission = Fact::from_payload(
        "movement",
        &json!({
            "movement": "admission",
            "at": request.at.to_string(),
            "prison": prison,
            "basis": "sentence",
            "note": "EM revoked (strgjfl § 16 a)",
        }),
        "",
    )
    .map_err(ApiError::Invalid)?;
    if let (Fact::Movement(m), Ok(born)) = (&admission, person.birth_date.parse::<Date>()) {
        crate::api::check_youth_unit(state, born, m, "").await?;
    }
    let mut new_entries = Vec::new();
    if until != Some(period.until) {
        new_entries.push(NewEntry {
            fact: &end_fact,
            corrects: Some(entry),
            reason: Some(&why),
        });
    }
    new_entries.push(NewEntry {
        fact: &admission,
        corrects: None,
        reason: None,
    });
    let payload = json!({
        "at": request.at.to_string(),
        "prison": prison,
        "breach": request.breach,
        "reason": reason,
    });
    let case = state.store.probation_case(person_id).await?;
    let new = NewProbationEvent {
        kind: "em.revocation",
        payload: &payload,
        corrects: None,
        reason: None,
        expected_events: request.version,
        officer: case.officer.as_deref(),
        stage: case.stage.as_deref(),
        required_minutes: case.required_minutes,
        credited_minutes: case.credited_minutes,
    };
    let actor: Actor = actor(caller);
    Ok(state
        .store
        .append_entries_with_event(
            &actor,
            person_id,
            request.register_version,
            &new_entries,
            &new,
            key,
        )
        .await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevocationBody {
    version: i64,
    register_version: i64,
    at: DateTime,
    prison: String,
    #[serde(default)]
    breach: Option<i64>,
    reason: String,
}

/// The answer to a revocation: what was appended, and the custody state and key dates after it
/// (the probation officer may no longer read the record once the EM period has ended).
pub(crate) fn revocation_json(a: &Appended) -> Value {
    let mut answer = json!({
        "event": a.event,
        "entries": a.entries,
        "version": a.events,
        "register_version": a.version,
    });
    if let (Some(obj), Value::Object(more)) = (answer.as_object_mut(), custody_json(&a.person)) {
        obj.extend(more);
    }
    answer
}

fn revocation_answer(a: &Appended) -> String {
    revocation_json(a).to_string()
}

async fn revocation_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Probation])?;
    let id = parse_id(&id)?;
    let value = json_body(&body)?;
    let request: RevocationBody = read(&value, "").map_err(ApiError::Invalid)?;
    let route = format!("/api/v1/persons/{id}/em/revocation");
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        revocation_answer,
        |key| async {
            let key = key;
            revoke(
                &state,
                &caller,
                id,
                RevocationRequest {
                    version: request.version,
                    register_version: request.register_version,
                    at: request.at,
                    prison: request.prison,
                    breach: request.breach,
                    reason: request.reason,
                },
                key.as_ref(),
            )
            .await
        },
    )
    .await
}
