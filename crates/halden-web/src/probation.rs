//! Probation offices (issue 6, items 1 and 3): which location supervises a person, caseloads per
//! officer and per office, and a community sentence (samfunnsstraff) from the intake meeting to
//! completion. The rules are `halden_domain::community`; the log is the store's
//! `probation_events`. The API and the pages (`pages::probation`) share the views here.
//!
//! Access: a probation officer sees and writes their own location's caseload only (a person of
//! another office is 404, existence not revealed); the person sees their own community sentence
//! read-only; national placement may read it; other roles are refused as for the record.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::HeaderMap,
    routing::{get, post},
};
use halden_domain::{
    community::{self, Activity, Event, Order, Progress, Recorded},
    explain::Lang as DomainLang,
    validate::FieldError,
};
use halden_storage::{
    Actor, NewProbationEvent, PersonRow, ProbationEventRow,
    facts::{Fact, Judgment, SupervisionFact},
    projection::{EntryFact, effective},
};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, parse_id, read_person},
    auth::api_caller,
    error::ApiError,
};

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/probation/caseload", get(caseload_api))
        .route("/api/v1/persons/{id}/community", get(community_api))
        .route("/api/v1/persons/{id}/community/events", post(record_api))
}

// ---------------------------------------------------------------------------------------------
// Offices and locations

/// The embedded reference estate (positions the database does not hold).
fn estate() -> Option<&'static halden_sim::estate::Estate> {
    static ESTATE: std::sync::OnceLock<Option<halden_sim::estate::Estate>> =
        std::sync::OnceLock::new();
    ESTATE
        .get_or_init(|| halden_sim::estate::Estate::embedded().ok())
        .as_ref()
}

/// The office (by name) a location belongs to, and every location of that office, by id.
pub(crate) fn office_of(location: &str) -> Option<(String, Vec<String>)> {
    let estate = estate()?;
    let office = estate.probation_office(location)?.office.clone();
    let locations = estate
        .probation_offices
        .iter()
        .filter(|o| o.office == office)
        .map(|o| o.id.clone())
        .collect();
    Some((office, locations))
}

/// A location's name: `F001 Oslo friomsorgskontor, Oslo`.
pub(crate) fn location_name(location: &str) -> String {
    estate()
        .and_then(|e| e.probation_office(location))
        .map_or_else(
            || location.to_string(),
            |o| format!("{} {}, {}", o.id, o.office, o.location),
        )
}

/// The location nearest a home municipality (issue 6, item 1), with the distance in km; worked
/// out once per municipality of the estate (the caseload asks for every person on it).
pub(crate) fn nearest_location(home_municipality: &str) -> Option<(String, u32)> {
    static NEAREST: std::sync::OnceLock<std::collections::HashMap<String, (String, u32)>> =
        std::sync::OnceLock::new();
    NEAREST
        .get_or_init(|| {
            let Some(estate) = estate() else {
                return std::collections::HashMap::new();
            };
            let locations: Vec<(String, (f64, f64))> = estate
                .probation_offices
                .iter()
                .map(|o| (o.id.clone(), o.position))
                .collect();
            estate
                .municipalities
                .iter()
                .filter_map(|m| {
                    let id = community::nearest_location(m.position, &locations)?;
                    let position = locations.iter().find(|(l, _)| l == id)?.1;
                    let km = halden_domain::placement::distance_km(m.position, position);
                    Some((m.name.clone(), (id.to_string(), km)))
                })
                .collect()
        })
        .get(home_municipality)
        .cloned()
}

/// Supervision by a location other than the one nearest the home municipality is a decision and
/// needs its reason (issue 6, item 1); an unknown location is refused. Used by the shared append
/// path for supervision entries.
pub(crate) fn check_supervision_office(
    person: &PersonRow,
    fact: &SupervisionFact,
) -> Result<(), ApiError> {
    let Some(estate) = estate() else {
        return Ok(());
    };
    if estate.probation_office(&fact.office).is_none() {
        return Err(ApiError::invalid_bilingual(
            "payload.office",
            format!(
                "no probation office location '{}' in the estate",
                fact.office
            ),
            format!(
                "det finnes ikke noe friomsorgskontor med id '{}'",
                fact.office
            ),
        ));
    }
    let Some((nearest, km)) = person
        .home_municipality
        .as_deref()
        .and_then(nearest_location)
    else {
        return Ok(());
    };
    let reasoned = fact
        .office_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if nearest != fact.office && !reasoned {
        let home = person.home_municipality.as_deref().unwrap_or_default();
        let name = location_name(&nearest);
        return Err(ApiError::invalid_bilingual(
            "payload.office_reason",
            format!(
                "the location nearest {home} is {name} ({km} km); give the reason for supervision by {} instead",
                fact.office
            ),
            format!(
                "nærmeste kontor for {home} er {name} ({km} km); oppgi begrunnelsen for oppfølging fra {} i stedet",
                fact.office
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Caseloads

/// One person on an office's caseload.
pub(crate) struct CaseLine {
    pub person_id: i64,
    pub name: String,
    pub kind: String,
    pub until: String,
    pub location: String,
    pub officer: Option<String>,
    pub stage: Option<String>,
    pub required_minutes: Option<i64>,
    pub credited_minutes: i64,
    /// The location nearest the home municipality, when it is not the one supervising.
    pub not_nearest: Option<String>,
    /// On parole: the report days missed so far (`crate::parole`).
    pub missed_reports: Option<usize>,
    /// In the programme against intoxicated driving: its stage (`crate::programme`).
    pub programme_stage: Option<halden_domain::programme::Stage>,
}

/// A probation officer's office today: the persons of their own location, and counts per
/// location and per officer for the whole office (counts only beyond their own location).
pub(crate) struct CaseloadView {
    pub date: Date,
    pub location: String,
    pub office: String,
    pub lines: Vec<CaseLine>,
    pub per_location: Vec<(String, i64)>,
    /// (officer username, persons assigned), across the office; `None` for the unassigned.
    pub per_officer: Vec<(Option<String>, i64)>,
}

/// The caller's caseload view: probation officers only (403 for every other role).
pub(crate) async fn caseload_view(
    state: &AppState,
    caller: &Caller,
) -> Result<CaseloadView, ApiError> {
    caller.require(&[Role::Probation])?;
    let location = caller.scope().ok_or(ApiError::Forbidden)?.to_string();
    let today = state.today();
    let (office, locations) =
        office_of(&location).unwrap_or_else(|| (location.clone(), vec![location.clone()]));
    let rows = state.store.caseload(&location, today).await?;
    // The parolees' reporting logs, in one read for the location (not one per parolee).
    let parole_events = state
        .store
        .probation_events_at(&location, today, "parole", crate::parole::PREFIX)
        .await?;
    // The programme participants' logs, likewise in one read for the location.
    let programme_events = state
        .store
        .probation_events_at(
            &location,
            today,
            crate::programme::SUPERVISION,
            crate::programme::PREFIX,
        )
        .await?;
    let lines = rows
        .into_iter()
        .map(|p| {
            let supervising = p.supervision_office.clone().unwrap_or_default();
            let nearest = p
                .home_municipality
                .as_deref()
                .and_then(nearest_location)
                .map(|(n, _)| n);
            let missed_reports = (p.supervision_kind.as_deref() == Some("parole")).then(|| {
                let from = parole_events.partition_point(|e| e.person_id < p.person_id);
                let to = parole_events.partition_point(|e| e.person_id <= p.person_id);
                crate::parole::missed_reports_in(&parole_events[from..to], p.probation_end(), today)
            });
            let programme_stage =
                (p.supervision_kind.as_deref() == Some(crate::programme::SUPERVISION)).then(|| {
                    let from = programme_events.partition_point(|e| e.person_id < p.person_id);
                    let to = programme_events.partition_point(|e| e.person_id <= p.person_id);
                    crate::programme::stage_in(&programme_events[from..to])
                });
            CaseLine {
                missed_reports,
                programme_stage,
                person_id: p.person_id,
                name: p.display_name(),
                until: p.supervision_until.unwrap_or_default(),
                not_nearest: nearest.filter(|n| *n != supervising),
                location: supervising,
                kind: p.supervision_kind.unwrap_or_default(),
                officer: p.officer,
                stage: p.stage,
                required_minutes: p.required_minutes,
                credited_minutes: p.credited_minutes,
            }
        })
        .collect();
    let per_location = state.store.supervised_counts(&locations, today).await?;
    let total: i64 = per_location.iter().map(|(_, n)| n).sum();
    let assigned = state.store.officer_counts(&locations, today).await?;
    let unassigned = total - assigned.iter().map(|(_, n)| n).sum::<i64>();
    let per_officer = std::iter::once((None, unassigned))
        .chain(assigned.into_iter().map(|(o, n)| (Some(o), n)))
        .collect();
    Ok(CaseloadView {
        date: today,
        location,
        office,
        lines,
        per_location,
        per_officer,
    })
}

/// The caseload API's answer (`GET /api/v1/probation/caseload`), serialised straight from the view.
#[derive(serde::Serialize)]
struct CaseloadAnswer<'a> {
    date: String,
    location: &'a str,
    office: &'a str,
    per_location: Vec<LocationCount<'a>>,
    per_officer: Vec<OfficerCount<'a>>,
    persons: Vec<CaseloadPerson<'a>>,
}

#[derive(serde::Serialize)]
struct LocationCount<'a> {
    location: &'a str,
    persons: i64,
}

#[derive(serde::Serialize)]
struct OfficerCount<'a> {
    officer: Option<&'a str>,
    persons: i64,
}

#[derive(serde::Serialize)]
struct CaseloadPerson<'a> {
    person_id: i64,
    name: &'a str,
    supervision: &'a str,
    until: &'a str,
    location: &'a str,
    nearest_location: &'a str,
    officer: Option<&'a str>,
    /// A parolee's missed report days (R-PAR-5); `null` for the others.
    missed_reports: Option<usize>,
    /// A programme participant's stage (R-PROG-1); `null` for the others.
    programme_stage: Option<&'static str>,
    community_sentence: Option<CommunityProgress<'a>>,
}

#[derive(serde::Serialize)]
struct CommunityProgress<'a> {
    stage: &'a str,
    required_minutes: Option<i64>,
    credited_minutes: i64,
}

async fn caseload_api(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let view = caseload_view(&state, &caller).await?;
    let answer = CaseloadAnswer {
        date: view.date.to_string(),
        location: &view.location,
        office: &view.office,
        per_location: view
            .per_location
            .iter()
            .map(|(location, persons)| LocationCount {
                location,
                persons: *persons,
            })
            .collect(),
        per_officer: view
            .per_officer
            .iter()
            .map(|(officer, persons)| OfficerCount {
                officer: officer.as_deref(),
                persons: *persons,
            })
            .collect(),
        persons: view
            .lines
            .iter()
            .map(|l| CaseloadPerson {
                person_id: l.person_id,
                name: &l.name,
                supervision: &l.kind,
                until: &l.until,
                location: &l.location,
                nearest_location: l.not_nearest.as_deref().unwrap_or(&l.location),
                officer: l.officer.as_deref(),
                missed_reports: l.missed_reports,
                programme_stage: l.programme_stage.map(|s| s.as_str()),
                community_sentence: l.stage.as_deref().map(|stage| CommunityProgress {
                    stage,
                    required_minutes: l.required_minutes,
                    credited_minutes: l.credited_minutes,
                }),
            })
            .collect(),
    };
    Ok(axum::response::IntoResponse::into_response(Json(answer)))
}

// ---------------------------------------------------------------------------------------------
// A community sentence

/// The judgment's community sentence as the engine computes it (R-SAMF-2, R-SAMF-4).
pub(crate) struct Sentence {
    pub judgment: Judgment,
    pub order: Order,
    pub reduction: halden_domain::calc::CommunityReduction,
    /// The R-SAMF-4 explanation (English, bokmål): the exact fraction and the rounding policy.
    pub explanation: (String, String),
}

/// A person's community sentence and probation log.
pub(crate) struct CommunityView {
    pub person: PersonRow,
    pub sentence: Option<Sentence>,
    /// Why there is no order, when the judgment does not compute.
    pub problems: Vec<FieldError>,
    /// Every probation event of the person (parole, EM, programme and youth ones too: their
    /// count is the version a writer checks); [`CommunityView::log`] is the community's own.
    pub events: Vec<ProbationEventRow>,
    /// The events in effect, by original id.
    pub in_effect: Vec<(i64, Event)>,
    pub progress: Option<Progress>,
    pub officer: Option<String>,
    /// The caller may record events (a probation officer of the person's location).
    pub may_write: bool,
}

/// A person's stored entries as the projection's facts (unreadable payloads are skipped: they
/// were checked when written), for `effective`.
pub(crate) fn entry_facts(entries: &[halden_storage::EntryRow]) -> Vec<EntryFact> {
    entries
        .iter()
        .filter_map(|e| {
            Some(EntryFact {
                id: e.id,
                corrects: e.corrects,
                fact: Fact::from_payload(&e.kind, &e.payload_json(), "").ok()?,
            })
        })
        .collect()
}

/// The latest judgment in effect with a community sentence.
fn community_judgment(entries: &[halden_storage::EntryRow]) -> Option<Judgment> {
    let facts = entry_facts(entries);
    effective(&facts)
        .into_iter()
        .rev()
        .find_map(|(_, f)| match f {
            Fact::Judgment(j) if j.community_sentence.is_some() => Some(j.clone()),
            _ => None,
        })
}

/// The engine's figures for `judgment`, anchored on `anchor` (month lengths count from it).
fn sentence_of(judgment: Judgment, anchor: Date) -> Result<Sentence, Vec<FieldError>> {
    let case = halden_wire::parse_case(&judgment.engine_input(anchor))?;
    let calc = halden_domain::calculate(&case).map_err(|e| {
        vec![FieldError::new(
            "community_sentence",
            None,
            format!("the community sentence cannot be computed: {e:?}"),
        )]
    })?;
    let reduction = calc.community.ok_or_else(|| {
        vec![FieldError::new(
            "community_sentence",
            None,
            "the judgment has no community sentence",
        )]
    })?;
    let explain = |lang| halden_domain::explain::explain_community(&calc, &reduction, lang);
    Ok(Sentence {
        order: Order::from_reduction(&reduction),
        explanation: (explain(DomainLang::En), explain(DomainLang::Nb)),
        reduction,
        judgment,
    })
}

/// One prefixed workflow's stored events (parole's, the programme's), oldest first, as
/// `(id, corrects, event)`: the event read by `read` from the kind without its prefix and the
/// payload; `None` for a retraction, or for a payload that no longer reads (it was checked when
/// written).
pub(crate) fn workflow_log<'a, E>(
    events: &'a [ProbationEventRow],
    prefix: &'a str,
    read: impl Fn(&str, &Value) -> Option<E> + 'a,
) -> impl Iterator<Item = (i64, Option<i64>, Option<E>)> + 'a {
    events.iter().filter_map(move |e| {
        let kind = e.kind.strip_prefix(prefix)?;
        let event = if kind == "retraction" {
            None
        } else {
            read(kind, &e.payload_json())
        };
        Some((e.id, e.corrects, event))
    })
}

/// The answer a workflow's idempotent write keeps: the event written and the version after it.
pub(crate) fn event_answer_json(answer: &(i64, i64)) -> String {
    json!({"event": answer.0, "version": answer.1}).to_string()
}

/// Reads the stored events into the domain's records (unreadable payloads are skipped: they
/// were checked when written).
fn records(events: &[ProbationEventRow]) -> Vec<Recorded> {
    events
        .iter()
        .filter(|e| e.kind != "officer" && !e.kind.contains('.'))
        .map(|e| Recorded {
            id: e.id,
            corrects: e.corrects,
            event: if e.kind == "retraction" {
                None
            } else {
                event_from_payload(&e.kind, &e.payload_json()).ok()
            },
        })
        .collect()
}

/// The officer assigned: the latest `officer` event.
fn officer_of(events: &[ProbationEventRow]) -> Option<String> {
    events
        .iter()
        .rev()
        .find(|e| e.kind == "officer")
        .and_then(|e| e.payload_json()["officer"].as_str().map(str::to_string))
}

/// Loads a person's community sentence for `caller` (the read is logged as `view_name`).
pub(crate) async fn community_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<CommunityView, ApiError> {
    // Least privilege (issue 6, item 9): the probation office's pages, as parole and EM.
    caller.require_probation_reader()?;
    let (person, _, _) = read_person(state, caller, id, view_name, None, true).await?;
    let today = state.today();
    let entries = state.store.entries(id).await?;
    let events = state.store.probation_events(id).await?;
    let records = records(&events);
    let in_effect: Vec<(i64, Event)> = community::in_effect(&records)
        .into_iter()
        .map(|(id, e)| (id, e.clone()))
        .collect();
    let start = in_effect.iter().find_map(|(_, e)| match e {
        Event::Intake { start, .. } => Some(*start),
        _ => None,
    });
    let (sentence, problems) = match community_judgment(&entries) {
        Some(j) => {
            let anchor = start.unwrap_or(j.final_date.unwrap_or(j.decision_date));
            match sentence_of(j, anchor) {
                Ok(s) => (Some(s), Vec::new()),
                Err(p) => (None, p),
            }
        }
        None => (None, Vec::new()),
    };
    let progress = sentence.as_ref().map(|s| {
        let list: Vec<&Event> = in_effect.iter().map(|(_, e)| e).collect();
        community::fold(s.order, &list, today)
    });
    let may_write = caller.role == Role::Probation && caller.in_scope(&person, today);
    Ok(CommunityView {
        officer: officer_of(&events),
        person,
        sentence,
        problems,
        events,
        in_effect,
        progress,
        may_write,
    })
}

impl CommunityView {
    /// The community sentence's own log: the officer assignments and the community events,
    /// without the other workflows' (`parole.`, `em.`, `programme.`, `youth.` kinds).
    pub(crate) fn log(&self) -> impl DoubleEndedIterator<Item = &ProbationEventRow> {
        self.events.iter().filter(|e| !e.kind.contains('.'))
    }
}

/// The view as the API answers it.
pub(crate) fn community_json(view: &CommunityView) -> Value {
    let sentence = view.sentence.as_ref().map(|s| {
        let r = &s.reduction;
        json!({
            "case_number": s.judgment.case_number,
            "court": s.judgment.court,
            "hours": r.hours,
            "alternative_days": r.alternative_days,
            "execution_period_days": r.execution_period_days,
            "remand_deduction_days": r.deduction_days,
            "reduced": {
                "alternative_days": r.reduced_alternative_days,
                "hours": {"numerator": r.reduced_hours.numerator, "denominator": r.reduced_hours.denominator},
                "execution_period": {"numerator": r.reduced_execution_period.numerator, "denominator": r.reduced_execution_period.denominator},
                "rounding": match r.rounding {
                    halden_domain::policy::ProportionalRounding::FavourConvicted => "favour_convicted",
                    halden_domain::policy::ProportionalRounding::Nearest => "nearest",
                },
            },
            "required_minutes": s.order.required_minutes,
            "execution_days": s.order.execution_days,
            "rule": "R-SAMF-4",
            "explanation": {"en": s.explanation.0, "nb": s.explanation.1},
        })
    });
    let progress = view.progress.as_ref().map(|p| {
        json!({
            "stage": p.stage.as_str(),
            "start": p.start.map(|d| d.to_string()),
            "end": p.end.map(|d| d.to_string()),
            "elapsed_days": p.elapsed_days,
            "credited_minutes": p.credited_minutes,
            "remaining_minutes": p.remaining_minutes,
            "expected_minutes": p.expected_minutes,
            "behind": p.behind(),
            "breaches": p.breaches,
            "warnings": p.warnings,
        })
    });
    json!({
        "person_id": view.person.id,
        "version": view.events.len(),
        "location": view.person.supervision_office,
        "officer": view.officer,
        "community_sentence": sentence,
        "problems": view.problems.iter().map(|e| json!({"field": e.field, "message": e.message})).collect::<Vec<_>>(),
        "progress": progress,
        "events": view.log().map(|e| json!({
            "id": e.id,
            "kind": e.kind,
            "payload": e.payload_json(),
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by_name,
            "corrects": e.corrects,
            "reason": e.reason,
        })).collect::<Vec<_>>(),
    })
}

async fn community_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = community_view(&state, &caller, id, "api_community").await?;
    Ok(Json(community_json(&view)))
}

// ---------------------------------------------------------------------------------------------
// Recording events

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakePayload {
    date: Date,
    #[serde(default)]
    start: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanPayload {
    activity: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionPayload {
    date: Date,
    minutes: u32,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatedPayload {
    date: Date,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompletionPayload {
    date: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficerPayload {
    officer: String,
}

fn read<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T, Vec<FieldError>> {
    halden_storage::facts::read_payload(payload, "payload").map_err(|e| vec![e])
}

/// An event from its kind and JSON payload; every problem names its field under `payload`.
pub(crate) fn event_from_payload(kind: &str, payload: &Value) -> Result<Event, Vec<FieldError>> {
    Ok(match kind {
        "intake" => {
            let p: IntakePayload = read(payload)?;
            Event::Intake {
                date: p.date,
                start: p.start.unwrap_or(p.date),
            }
        }
        "plan" => {
            let p: PlanPayload = read(payload)?;
            let activity = Activity::parse(&p.activity).ok_or_else(|| {
                vec![FieldError::bilingual(
                    "payload.activity",
                    None,
                    format!(
                        "unknown activity '{}'; expected one of unpaid_work, programme, treatment, other",
                        p.activity
                    ),
                    format!("ukjent tiltak '{}'", p.activity),
                )]
            })?;
            Event::Plan {
                activity,
                description: p.description,
            }
        }
        "session" => {
            let p: SessionPayload = read(payload)?;
            Event::Session {
                date: p.date,
                minutes: p.minutes,
                note: p.note,
            }
        }
        "breach" | "warning" | "court_case" => {
            let p: DatedPayload = read(payload)?;
            let (date, description) = (p.date, p.description);
            match kind {
                "breach" => Event::Breach { date, description },
                "warning" => Event::Warning { date, description },
                _ => Event::CourtCase { date, description },
            }
        }
        "completion" => {
            let p: CompletionPayload = read(payload)?;
            Event::Completion { date: p.date }
        }
        other => {
            return Err(vec![FieldError::bilingual(
                "kind",
                None,
                format!(
                    "unknown kind '{other}'; expected officer, retraction or one of {}",
                    community::EVENT_KINDS.join(", ")
                ),
                format!("ukjent type '{other}'"),
            )]);
        }
    })
}

/// A request to record a probation event.
pub(crate) struct EventRequest<'a> {
    pub kind: &'a str,
    pub version: i64,
    pub payload: Value,
    pub corrects: Option<i64>,
    pub reason: Option<&'a str>,
}

/// Records an event after checking role, scope, the payload and the ledger; the new event's
/// id. Shared by the API and the forms.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
) -> Result<i64, ApiError> {
    Ok(record_once(state, caller, person_id, request, None)
        .await?
        .0)
}

/// [`record`], keeping the API's answer under the caller's `Idempotency-Key` in the same
/// transaction (`Store::append_probation_event_once`): the new event's id and the event count.
pub(crate) async fn record_once(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
    key: Option<&halden_storage::AnswerKey<(i64, i64)>>,
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
    let events = state.store.probation_events(person_id).await?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(target) = corrects {
        // Parole, EM and programme events (`parole.`, `em.`, `programme.`) are corrected
        // through their own workflows only.
        let Some(original) = events
            .iter()
            .find(|e| e.id == target && !e.kind.contains('.'))
        else {
            return Err(ApiError::invalid_bilingual(
                "corrects",
                format!("this person has no probation event {target}"),
                format!("personen har ingen hendelse {target}"),
            ));
        };
        if kind != "retraction" && original.kind != kind {
            return Err(ApiError::invalid_bilingual(
                "kind",
                format!(
                    "a correction of a {} must be a {}",
                    original.kind, original.kind
                ),
                format!("en rettelse må være av samme type ({})", original.kind),
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
    let mut officer = officer_of(&events);
    let entries = state.store.entries(person_id).await?;
    let mut records = records(&events);
    let start_before = community::in_effect(&records)
        .into_iter()
        .find_map(|(_, e)| match e {
            Event::Intake { start, .. } => Some(*start),
            _ => None,
        });
    let new_event = match kind {
        "officer" => {
            let p: OfficerPayload = read(&payload).map_err(ApiError::Invalid)?;
            check_officer(state, &person, &p.officer).await?;
            officer = Some(p.officer);
            None
        }
        "retraction" => None,
        _ => Some(event_from_payload(kind, &payload).map_err(ApiError::Invalid)?),
    };
    // The ledger's rules, when the person has a community sentence (events other than the
    // officer need one).
    let judgment = community_judgment(&entries);
    let (stage, required, credited) = match judgment {
        None if kind != "officer" => {
            return Err(ApiError::invalid_bilingual(
                "kind",
                "the person has no judgment with a community sentence in the register",
                "personen har ingen dom på samfunnsstraff i registeret",
            ));
        }
        None => (None, None, 0),
        Some(j) => {
            let anchor_of =
                |start: Option<Date>| start.unwrap_or(j.final_date.unwrap_or(j.decision_date));
            let intake_start = match &new_event {
                Some(Event::Intake { start, .. }) => Some(*start),
                _ => start_before,
            };
            let sentence =
                sentence_of(j.clone(), anchor_of(intake_start)).map_err(ApiError::Invalid)?;
            let effective_now = community::in_effect(&records);
            // A correction may name a correction; the ledger knows each event by its original.
            let root = corrects.map(|mut id| {
                while let Some(next) = records.iter().find(|r| r.id == id).and_then(|r| r.corrects)
                {
                    id = next;
                }
                id
            });
            if kind == "retraction"
                && let Some(target) = corrects
            {
                let problems = community::check_retraction(
                    sentence.order,
                    &effective_now,
                    root.unwrap_or(target),
                    today,
                );
                if !problems.is_empty() {
                    return Err(ApiError::Invalid(problems));
                }
            }
            if let Some(new) = &new_event {
                let problems = community::check(sentence.order, &effective_now, new, root, today);
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
            if kind != "officer" {
                records.push(Recorded {
                    id: i64::MAX,
                    corrects,
                    event: new_event.clone(),
                });
            }
            let after: Vec<&Event> = community::in_effect(&records)
                .into_iter()
                .map(|(_, e)| e)
                .collect();
            let progress = community::fold(sentence.order, &after, today);
            (
                Some(progress.stage.as_str()),
                i64::try_from(sentence.order.required_minutes).ok(),
                i64::try_from(progress.credited_minutes).unwrap_or(i64::MAX),
            )
        }
    };
    let new = NewProbationEvent {
        kind,
        payload: &payload,
        corrects,
        reason,
        expected_events: version,
        officer: officer.as_deref(),
        stage,
        required_minutes: required,
        credited_minutes: credited,
    };
    let actor: Actor = actor(caller);
    Ok(state
        .store
        .append_probation_event_once(&actor, person_id, &new, key)
        .await?)
}

/// The officer assigned must be an active probation account of the person's office.
async fn check_officer(
    state: &AppState,
    person: &PersonRow,
    officer: &str,
) -> Result<(), ApiError> {
    let account = state.store.user_by_name(officer).await?;
    let office = person
        .supervision_office
        .as_deref()
        .and_then(office_of)
        .map(|(_, locations)| locations)
        .unwrap_or_default();
    let fits = account.is_some_and(|a| {
        !a.is_disabled()
            && a.role == Role::Probation.as_str()
            && a.scope_id.as_ref().is_some_and(|s| office.contains(s))
    });
    if fits {
        Ok(())
    } else {
        Err(ApiError::invalid_bilingual(
            "payload.officer",
            format!("'{officer}' is not an active probation officer of the person's office"),
            format!("'{officer}' er ikke en aktiv saksbehandler ved personens friomsorgskontor"),
        ))
    }
}

/// The probation officers of a location's office: (username, display name).
pub(crate) async fn officers_of(
    state: &AppState,
    location: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    let office = office_of(location)
        .map(|(_, l)| l)
        .unwrap_or_else(|| vec![location.to_string()]);
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| {
            !u.is_disabled()
                && u.role == Role::Probation.as_str()
                && u.scope_id.as_ref().is_some_and(|s| office.contains(s))
        })
        .map(|u| {
            (
                u.username.clone(),
                format!("{} ({})", u.display_name, u.username),
            )
        })
        .collect())
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
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
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
    // A retry under the same Idempotency-Key writes nothing more and answers with the first
    // write's event (issue 6): `once` keeps `{"event", "version"}` with the write, and the
    // answer is the case as read after it, with that event.
    let route = format!("/api/v1/persons/{id}/community/events");
    let kept = crate::api::once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        axum::http::StatusCode::CREATED,
        event_answer,
        |key| async {
            let key = key;
            record_once(
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
                key.as_ref(),
            )
            .await
        },
    )
    .await?;
    let status = kept.status();
    let kept = axum::body::to_bytes(kept.into_body(), 64 * 1024)
        .await
        .map_err(|e| ApiError::Internal(format!("the kept answer: {e}")))?;
    let event = serde_json::from_slice::<Value>(&kept)
        .ok()
        .and_then(|v| v["event"].as_i64())
        .ok_or_else(|| ApiError::Internal("the kept answer names no event".into()))?;
    let view = community_view(&state, &caller, id, "api_community").await?;
    let mut answer = community_json(&view);
    if let Some(obj) = answer.as_object_mut() {
        obj.insert("event".into(), json!(event));
    }
    Ok((status, Json(answer)))
}

fn event_answer((event, version): &(i64, i64)) -> String {
    json!({"event": event, "version": version}).to_string()
}
