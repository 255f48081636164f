//! The youth sentence (ungdomsstraff, strl §§ 52 a–c; R-YOUTH-3) at the mediation service's
//! boundary (issue 6, item 8). The rules are `halden_domain::youth`; the API and the pages
//! (`pages::youth`) share the views here.
//!
//! A youth sentence is executed by the mediation service (konfliktrådet), not by
//! Kriminalomsorgen: its judgment never waits in the serving queue, holds no place on a roll and
//! opens no probation caseload (the projection leaves it out of `judgments_after`; a supervision
//! entry for a person whose only judgments are youth sentences is refused). Kriminalomsorgen's
//! part is recorded as `youth.*` probation events: the handover to the mediation service
//! (`youth.handover`: date, which konfliktråd; who recorded it), and the district court's § 52 c
//! order that the alternative prison sentence be executed wholly or partly
//! (`youth.alternative_ordered`), appended in one transaction with a judgment entry of the days
//! ordered, which from then waits to be served like any received judgment (R-INNK-1,
//! R-QUEUE-1). Nothing of the youth plan is accepted: every other kind is refused, naming why.
//!
//! Access: national placement reads and records; the person reads their own; the probation
//! office of the person's home municipality (the location nearest it) sees the handovers only;
//! the mediation service has no account. Every read is logged.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use halden_domain::{
    case::Term,
    validate::FieldError,
    youth::{self, Handover, Order},
};
use halden_storage::{
    Appended, EntryRow, NewEntry, NewProbationEvent, PersonRow, ProbationEventRow,
    facts::{Fact, Judgment},
    projection::effective,
};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role, YouthRead},
    api::{actor, json_body, once, parse_id},
    auth::api_caller,
    error::ApiError,
};

/// The prefix of the stored kinds.
pub(crate) const PREFIX: &str = "youth.";

/// The boundary in words (English, bokmål).
pub(crate) const BOUNDARY: (&str, &str) = (
    "Executed by the mediation service (konfliktrådet), strl § 52 a, R-YOUTH-3 – not by Kriminalomsorgen. Halden holds no content of the youth plan (the youth coordinator's plan, the meetings, the follow-up team's notes).",
    "Gjennomføres av konfliktrådet, strl § 52 a, R-YOUTH-3 – ikke av kriminalomsorgen. Halden har ikke noe innhold fra ungdomsplanen (ungdomskoordinatorens plan, møtene, oppfølgingsteamets notater).",
);

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/persons/{id}/youth", get(youth_api))
        .route("/api/v1/persons/{id}/youth/events", post(record_api))
}

/// The youth sentence's execution period as the engine gives it (R-YOUTH-3).
#[derive(Debug, Clone)]
pub(crate) struct ExecutionPeriod {
    pub start: Date,
    pub end: Date,
    pub days: i64,
    pub rule: String,
    pub reference: String,
    /// (English, bokmål).
    pub explanation: (String, String),
}

/// A youth sentence in effect.
#[derive(Debug, Clone)]
pub(crate) struct YouthSentence {
    /// The judgment entry.
    pub entry: i64,
    pub judgment: Judgment,
    pub months: u32,
    pub alternative: Term,
    pub period: Option<ExecutionPeriod>,
}

fn count(v: &Value, key: &str) -> Option<u32> {
    v.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// The engine's execution period of a youth judgment: from the day it became final
/// (`youth::execution_start`, an INFERENCE), the engine's R-YOUTH-3 document.
fn execution_period(judgment: &Judgment) -> Option<ExecutionPeriod> {
    let start = youth::execution_start(judgment.decision_date, judgment.final_date);
    let doc = match halden_wire::calculate_case_json(&judgment.engine_input(start)) {
        halden_wire::Outcome::Computed(doc) => doc,
        halden_wire::Outcome::Invalid(_) => return None,
    };
    let y = doc.get("youth_sentence")?;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let explanation = y.get("explanation");
    Some(ExecutionPeriod {
        start,
        end: text(y, "execution_period_end")?.parse().ok()?,
        days: y.get("execution_period_days").and_then(Value::as_i64)?,
        rule: text(y, "rule").unwrap_or_default(),
        reference: text(y, "reference").unwrap_or_default(),
        explanation: (
            explanation.and_then(|e| text(e, "en")).unwrap_or_default(),
            explanation.and_then(|e| text(e, "nb")).unwrap_or_default(),
        ),
    })
}

/// The youth sentences in effect among a person's entries, oldest first.
pub(crate) fn youth_sentences(entries: &[EntryRow]) -> Vec<YouthSentence> {
    let facts = crate::probation::entry_facts(entries);
    effective(&facts)
        .into_iter()
        .filter_map(|(id, f)| match f {
            Fact::Judgment(j) => {
                let y = j.youth_sentence.as_ref()?;
                Some(YouthSentence {
                    entry: id,
                    months: count(y, "execution_period_months")?,
                    alternative: Term {
                        years: count(y, "alternative_years"),
                        months: count(y, "alternative_months"),
                        days: count(y, "alternative_days"),
                    },
                    period: execution_period(j),
                    judgment: j.clone(),
                })
            }
            _ => None,
        })
        .collect()
}

/// A supervision opens a probation caseload: refused for a person whose only judgments are youth
/// sentences, which the mediation service executes (R-YOUTH-3, strl § 52 a).
pub(crate) fn check_no_caseload(entries: &[EntryRow]) -> Result<(), ApiError> {
    let facts = crate::probation::entry_facts(entries);
    let judgments: Vec<&Judgment> = effective(&facts)
        .into_iter()
        .filter_map(|(_, f)| match f {
            Fact::Judgment(j) => Some(j),
            _ => None,
        })
        .collect();
    if !judgments.is_empty() && judgments.iter().all(|j| j.youth_sentence.is_some()) {
        return Err(ApiError::invalid_bilingual(
            "payload.supervision",
            "the person's sentence is a youth sentence, executed by the mediation service (konfliktrådet), strl § 52 a, R-YOUTH-3: it opens no probation caseload",
            "personens straff er ungdomsstraff, som gjennomføres av konfliktrådet (strl § 52 a, R-YOUTH-3): den gir ingen oppfølging hos friomsorgen",
        ));
    }
    Ok(())
}

/// The events in effect: neither corrected by a later one nor a retraction.
fn in_effect(events: &[ProbationEventRow]) -> Vec<&ProbationEventRow> {
    events
        .iter()
        .filter(|e| !e.kind.ends_with("retraction"))
        .filter(|e| !events.iter().any(|later| later.corrects == Some(e.id)))
        .collect()
}

/// A person's youth sentence as the caller may see it.
pub(crate) struct YouthView {
    pub person: PersonRow,
    pub read: YouthRead,
    pub sentences: Vec<YouthSentence>,
    /// All the person's probation events (the version is their count).
    pub version: i64,
    /// The youth events, oldest first.
    pub events: Vec<ProbationEventRow>,
    /// The caller may record (national placement).
    pub may_write: bool,
}

impl YouthView {
    /// The handovers in effect.
    pub fn handovers(&self) -> Vec<&ProbationEventRow> {
        in_effect(&self.events)
            .into_iter()
            .filter(|e| e.kind == "youth.handover")
            .collect()
    }

    /// The § 52 c orders (none for a caller who sees the handovers only).
    pub fn orders(&self) -> Vec<&ProbationEventRow> {
        if self.read == YouthRead::HandoverOnly {
            return Vec::new();
        }
        in_effect(&self.events)
            .into_iter()
            .filter(|e| e.kind == "youth.alternative_ordered")
            .collect()
    }
}

/// The probation location of the person's home municipality.
fn home_location(person: &PersonRow) -> Option<String> {
    person
        .home_municipality
        .as_deref()
        .and_then(crate::probation::nearest_location)
        .map(|(location, _)| location)
}

/// Loads a person's youth sentence for `caller` (the read is logged as `view_name`).
pub(crate) async fn youth_view(
    state: &AppState,
    caller: &Caller,
    id: i64,
    view_name: &str,
) -> Result<YouthView, ApiError> {
    if matches!(caller.role, Role::Analyst | Role::Admin | Role::Health) {
        return Err(ApiError::Forbidden);
    }
    let person = state.store.person(id).await?.ok_or(ApiError::NotFound)?;
    let today = state.today();
    let read = caller.read_youth(&person, today, home_location(&person).as_deref())?;
    let entries = state.store.entries(id).await?;
    let sentences = youth_sentences(&entries);
    // The home office knows of a person only through a youth sentence's handover.
    if read == YouthRead::HandoverOnly && sentences.is_empty() {
        return Err(ApiError::NotFound);
    }
    state
        .store
        .log_access(
            caller.user.id,
            &caller.user.username,
            caller.role.as_str(),
            person.id,
            view_name,
            None,
        )
        .await?;
    let all = state.store.probation_events(id).await?;
    let version = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let events = all
        .into_iter()
        .filter(|e| e.kind.starts_with(PREFIX))
        .collect();
    Ok(YouthView {
        may_write: caller.may_record_youth(),
        sentences: if read == YouthRead::Full {
            sentences
        } else {
            Vec::new()
        },
        person,
        read,
        version,
        events,
    })
}

fn term_json(t: Term) -> Value {
    json!({"years": t.years, "months": t.months, "days": t.days})
}

fn event_json(e: &ProbationEventRow) -> Value {
    let mut v = e.payload_json();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("id".into(), json!(e.id));
        obj.insert("recorded_at".into(), json!(e.recorded_at));
        obj.insert("recorded_by".into(), json!(e.recorded_by_name));
        obj.insert("corrects".into(), json!(e.corrects));
        obj.insert("reason".into(), json!(e.reason));
    }
    v
}

/// The person's serving of the ordered days: what the projection gives (R-INNK-1, R-QUEUE-1).
fn serving_json(person: &PersonRow) -> Value {
    let doc: Option<Value> = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let summons = doc.as_ref().and_then(|d| d.get("summons")).cloned();
    json!({
        "status": person.status,
        "queue_received": person.queue_received,
        "summons": summons,
        "end_of_sentence": person.end_of_sentence,
    })
}

pub(crate) fn youth_json(view: &YouthView) -> Value {
    let mut answer = json!({
        "person_id": view.person.id,
        "version": view.version,
        "executed_by": {
            "rule": "R-YOUTH-3",
            "reference": youth::BOUNDARY_REFERENCE,
            "en": BOUNDARY.0,
            "nb": BOUNDARY.1,
        },
        "handovers": view.handovers().into_iter().map(event_json).collect::<Vec<_>>(),
    });
    if view.read == YouthRead::Full
        && let Some(obj) = answer.as_object_mut()
    {
        obj.insert("register_version".into(), json!(view.person.version));
        obj.insert(
            "youth_sentences".into(),
            view.sentences
                .iter()
                .map(|s| {
                    json!({
                        "entry_id": s.entry,
                        "case_number": s.judgment.case_number,
                        "court": s.judgment.court,
                        "decision_date": s.judgment.decision_date.to_string(),
                        "final_date": s.judgment.final_date.map(|d| d.to_string()),
                        "offence_date": s.judgment.offence_date.map(|d| d.to_string()),
                        "execution_period_months": s.months,
                        "alternative": term_json(s.alternative),
                        "execution_period": s.period.as_ref().map(|p| json!({
                            "start": p.start.to_string(),
                            "end": p.end.to_string(),
                            "days": p.days,
                            "rule": p.rule,
                            "reference": p.reference,
                            "explanation": {"en": p.explanation.0, "nb": p.explanation.1},
                        })),
                    })
                })
                .collect::<Vec<_>>()
                .into(),
        );
        obj.insert(
            "orders".into(),
            view.orders()
                .into_iter()
                .map(event_json)
                .collect::<Vec<_>>()
                .into(),
        );
        obj.insert("serving".into(), serving_json(&view.person));
    }
    answer
}

async fn youth_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let view = youth_view(&state, &caller, id, "api_youth").await?;
    Ok(Json(youth_json(&view)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoverPayload {
    date: Date,
    mediation_service: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderPayload {
    /// The youth judgment's entry; the latest youth sentence when absent.
    #[serde(default)]
    judgment: Option<i64>,
    court: String,
    case_number: String,
    decided_on: Date,
    days: u32,
    received: Date,
}

fn read<T: serde::de::DeserializeOwned>(value: &Value, prefix: &str) -> Result<T, ApiError> {
    halden_storage::facts::read_payload(value, prefix).map_err(|e| ApiError::Invalid(vec![e]))
}

fn under_payload(problems: Vec<FieldError>) -> ApiError {
    ApiError::Invalid(problems.into_iter().map(|e| e.under("payload")).collect())
}

/// One youth event to record, as a request names it.
pub(crate) struct EventRequest<'a> {
    pub kind: &'a str,
    pub version: i64,
    pub payload: Value,
    pub corrects: Option<i64>,
    pub reason: Option<&'a str>,
}

/// The person and their youth sentences, for a writer: national placement only; the kind must
/// be Kriminalomsorgen's (the youth plan is refused, naming why); the person must have a youth
/// sentence.
async fn writable(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    kind: &str,
) -> Result<(PersonRow, Vec<YouthSentence>, Vec<ProbationEventRow>), ApiError> {
    if !caller.may_record_youth() {
        return Err(ApiError::Forbidden);
    }
    let person = state
        .store
        .person(person_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if kind != "retraction" {
        youth::check_kind(kind).map_err(|e| ApiError::Invalid(vec![e]))?;
    }
    let entries = state.store.entries(person_id).await?;
    let sentences = youth_sentences(&entries);
    if sentences.is_empty() {
        return Err(ApiError::invalid_bilingual(
            "kind",
            "the person has no youth sentence in the register",
            "personen er ikke registrert med ungdomsstraff",
        ));
    }
    let events = state.store.probation_events(person_id).await?;
    Ok((person, sentences, events))
}

/// Records a handover to the mediation service (or corrects or retracts one).
pub(crate) async fn record_handover(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
    key: Option<halden_storage::AnswerKey<(i64, i64)>>,
) -> Result<(i64, i64), ApiError> {
    let (_, sentences, events) = writable(state, caller, person_id, request.kind).await?;
    let reason = request.reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(target) = request.corrects {
        if !events
            .iter()
            .any(|e| e.id == target && e.kind == "youth.handover")
        {
            return Err(ApiError::invalid_bilingual(
                "corrects",
                format!("this person has no handover {target}"),
                format!("personen har ingen overføring {target}"),
            ));
        }
        if reason.is_none() {
            return Err(ApiError::invalid_bilingual(
                "reason",
                "a correction needs a reason",
                "en rettelse må begrunnes",
            ));
        }
    } else if request.kind == "retraction" {
        return Err(ApiError::invalid_bilingual(
            "corrects",
            "a retraction must name the handover it retracts",
            "en tilbaketrekking må angi overføringen",
        ));
    }
    let payload = if request.kind == "retraction" {
        json!({})
    } else {
        let p: HandoverPayload = read(&request.payload, "payload")?;
        let handover = Handover {
            date: p.date,
            mediation_service: p.mediation_service.trim().to_string(),
        };
        let judged = sentences
            .iter()
            .map(|s| s.judgment.decision_date)
            .min()
            .unwrap_or(Date::MIN);
        let problems = youth::check_handover(&handover, judged, state.today());
        if !problems.is_empty() {
            return Err(under_payload(problems));
        }
        json!({"date": handover.date.to_string(), "mediation_service": handover.mediation_service})
    };
    let kind = format!("{PREFIX}{}", request.kind);
    let case = state.store.probation_case(person_id).await?;
    let event = NewProbationEvent {
        kind: &kind,
        payload: &payload,
        corrects: request.corrects,
        reason,
        expected_events: request.version,
        officer: case.officer.as_deref(),
        stage: case.stage.as_deref(),
        required_minutes: case.required_minutes,
        credited_minutes: case.credited_minutes,
    };
    Ok(state
        .store
        .append_probation_event_once(&actor(caller), person_id, &event, key.as_ref())
        .await?)
}

/// Records the district court's § 52 c order: a judgment entry of the days ordered executed
/// (received on the order's `received` day, so it waits to be served from then, R-INNK-1 /
/// R-QUEUE-1) and the `youth.alternative_ordered` event naming it, in one transaction.
pub(crate) async fn record_order(
    state: &AppState,
    caller: &Caller,
    person_id: i64,
    request: EventRequest<'_>,
    key: Option<halden_storage::AnswerKey<Appended>>,
) -> Result<Appended, ApiError> {
    let (person, sentences, _) = writable(state, caller, person_id, request.kind).await?;
    if request.corrects.is_some() {
        return Err(ApiError::invalid_bilingual(
            "corrects",
            "an order is corrected through its judgment entry on the person page",
            "en kjennelse rettes gjennom dommen den ga, på personsiden",
        ));
    }
    let p: OrderPayload = read(&request.payload, "payload")?;
    let youth_sentence = match p.judgment {
        Some(entry) => sentences.iter().find(|s| s.entry == entry).ok_or_else(|| {
            ApiError::invalid_bilingual(
                "payload.judgment",
                format!("entry {entry} is not a youth sentence of this person in effect"),
                format!("oppføring {entry} er ikke en gjeldende ungdomsstraff for personen"),
            )
        })?,
        None => sentences
            .iter()
            .max_by_key(|s| s.judgment.decision_date)
            .ok_or(ApiError::NotFound)?,
    };
    let order = Order {
        court: p.court.trim().to_string(),
        case_number: p.case_number.trim().to_string(),
        decided_on: p.decided_on,
        days: p.days,
        received: p.received,
    };
    let problems = youth::check_order(
        &order,
        youth_sentence.judgment.decision_date,
        youth_sentence.alternative,
        state.today(),
    );
    if !problems.is_empty() {
        return Err(under_payload(problems));
    }
    // The days ordered are a prison sentence, received by the service on `received`.
    let judgment = Fact::Judgment(Judgment {
        case_number: order.case_number.clone(),
        court: order.court.clone(),
        decision_date: order.decided_on,
        final_date: Some(order.decided_on),
        received: Some(order.received),
        remand_deduction_days: 0,
        offence_class: youth_sentence.judgment.offence_class.clone(),
        sentences: vec![json!({"kind": "prison", "days": order.days})],
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    });
    let found = judgment.problems("payload");
    if !found.is_empty() {
        return Err(ApiError::Invalid(found));
    }
    let payload = json!({
        "youth_judgment": youth_sentence.entry,
        "court": order.court,
        "case_number": order.case_number,
        "decided_on": order.decided_on.to_string(),
        "days": order.days,
        "received": order.received.to_string(),
    });
    let kind = format!("{PREFIX}alternative_ordered");
    let case = state.store.probation_case(person_id).await?;
    let event = NewProbationEvent {
        kind: &kind,
        payload: &payload,
        corrects: None,
        reason: None,
        expected_events: request.version,
        officer: case.officer.as_deref(),
        stage: case.stage.as_deref(),
        required_minutes: case.required_minutes,
        credited_minutes: case.credited_minutes,
    };
    Ok(state
        .store
        .append_entries_with_event(
            &actor(caller),
            person_id,
            person.version,
            &[NewEntry {
                fact: &judgment,
                corrects: None,
                reason: None,
            }],
            &event,
            key.as_ref(),
        )
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

fn handover_answer(answer: &(i64, i64)) -> String {
    json!({"event": answer.0, "version": answer.1}).to_string()
}

/// The answer to a § 52 c order: the event, the judgment entry, and the serving it starts.
pub(crate) fn order_json(a: &Appended) -> Value {
    json!({
        "event": a.event,
        "entries": a.entries,
        "version": a.events,
        "register_version": a.version,
        "serving": serving_json(&a.person),
    })
}

fn order_answer(a: &Appended) -> String {
    order_json(a).to_string()
}

async fn record_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    if !caller.may_record_youth() {
        return Err(ApiError::Forbidden);
    }
    let id = parse_id(&id)?;
    let value = json_body(&body)?;
    let request: RecordBody = read(&value, "")?;
    let payload = if request.payload.is_null() {
        Value::Object(serde_json::Map::new())
    } else {
        request.payload
    };
    let route = format!("/api/v1/persons/{id}/youth/events");
    let event = EventRequest {
        kind: &request.kind,
        version: request.version,
        payload,
        corrects: request.corrects,
        reason: request.reason.as_deref(),
    };
    if request.kind == "alternative_ordered" {
        once(
            &state,
            &caller,
            &headers,
            &route,
            &body,
            StatusCode::CREATED,
            order_answer,
            |key| async { record_order(&state, &caller, id, event, key).await },
        )
        .await
    } else {
        once(
            &state,
            &caller,
            &headers,
            &route,
            &body,
            StatusCode::CREATED,
            handover_answer,
            |key| async { record_handover(&state, &caller, id, event, key).await },
        )
        .await
    }
}
