//! The probation pages (issue 6): the office's caseload (`/probation`), a person's community
//! sentence (`/persons/{id}/community`, read-only for the person themselves) and its forms
//! (`/persons/{id}/community/{kind}`: intake, plan item, session of hours, breach, warning, case
//! to the court, completion, officer; `?corrects=ID` corrects or retracts an event).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::community::{self, Activity, Event, hours_and_minutes};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, refusal, render, signed_in,
};
use crate::{
    AppState,
    api::parse_id,
    error::ApiError,
    i18n::{Lang, Vocab},
    probation::{
        CommunityView, EventRequest, caseload_view, community_view, location_name, officers_of,
        record,
    },
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/probation", get(caseload_page))
        .route("/persons/{id}/community", get(community_page))
        .route(
            "/persons/{id}/community/{kind}",
            get(event_form).post(event_submit),
        )
}

/// The words of the probation pages.
pub struct Words {
    pub nav: &'static str,
    pub own_location: &'static str,
    pub per_location: &'static str,
    pub per_officer: &'static str,
    pub location: &'static str,
    pub persons: &'static str,
    pub officer: &'static str,
    pub unassigned: &'static str,
    pub name: &'static str,
    pub supervision: &'static str,
    pub until: &'static str,
    pub hours: &'static str,
    pub not_nearest: &'static str,
    pub nobody: &'static str,
    pub community: &'static str,
    pub no_sentence: &'static str,
    pub judgment: &'static str,
    pub ordered: &'static str,
    pub reduction: &'static str,
    pub progress: &'static str,
    pub stage: &'static str,
    pub period: &'static str,
    pub elapsed: &'static str,
    pub credited: &'static str,
    pub remaining: &'static str,
    pub expected: &'static str,
    pub behind: &'static str,
    pub breaches: &'static str,
    pub warnings: &'static str,
    pub plan: &'static str,
    pub ledger: &'static str,
    pub date: &'static str,
    pub what: &'static str,
    pub recorded: &'static str,
    pub corrects: &'static str,
    pub correct: &'static str,
    pub record: &'static str,
    pub none: &'static str,
    pub office_reason: &'static str,
    pub office_reason_help: &'static str,
    pub start: &'static str,
    pub start_help: &'static str,
    pub activity: &'static str,
    pub description: &'static str,
    pub hours_help: &'static str,
    pub session_hours: &'static str,
    pub note: &'static str,
    pub reason: &'static str,
    pub retract: &'static str,
    pub save: &'static str,
    pub minutes_word: &'static str,
    pub days: &'static str,
    pub kinds: [(&'static str, &'static str); 8],
    pub stages: [(&'static str, &'static str); 5],
}

const NB: Words = Words {
    nav: "Kontorets saker",
    own_location: "Personer ved ditt kontorsted",
    per_location: "Personer under oppfølging per kontorsted",
    per_officer: "Saksmengde per saksbehandler (hele kontoret)",
    location: "Kontorsted",
    persons: "Personer",
    officer: "Saksbehandler",
    unassigned: "uten saksbehandler",
    name: "Navn",
    supervision: "Oppfølging",
    until: "Til og med",
    hours: "Timer (godskrevet / pålagt)",
    not_nearest: "ikke nærmeste kontorsted (nærmeste: {})",
    nobody: "Ingen under oppfølging i dag.",
    community: "Samfunnsstraff",
    no_sentence: "Ingen dom på samfunnsstraff er registrert for personen.",
    judgment: "Dom",
    ordered: "Pålagt etter varetektsfradrag",
    reduction: "Forholdsmessig reduksjon (R-SAMF-4)",
    progress: "Framdrift",
    stage: "Status",
    period: "Gjennomføringstid",
    elapsed: "Dager gått",
    credited: "Godskrevet",
    remaining: "Gjenstår",
    expected: "Forventet ved jevnt tempo",
    behind: "Etter jevnt tempo",
    breaches: "Brudd",
    warnings: "Advarsler",
    plan: "Innholdsplan",
    ledger: "Logg (timer, brudd, advarsler, rettelser)",
    date: "Dato",
    what: "Hva",
    recorded: "Registrert",
    corrects: "retter",
    correct: "Rett",
    record: "Registrer",
    none: "ingen",
    office_reason: "Begrunnelse for et annet kontorsted enn det nærmeste",
    office_reason_help: "Kreves når kontorstedet ikke er det nærmeste personens bostedskommune.",
    start: "Gjennomføringstiden starter",
    start_help: "Tom: samme dag som oppstartsamtalen.",
    activity: "Tiltak",
    description: "Beskrivelse",
    hours_help: "Timer og minutter, f.eks. 4, 4:30 eller 4,5.",
    session_hours: "Timer",
    note: "Merknad",
    reason: "Begrunnelse for rettelsen",
    retract: "Trekk tilbake (registrert ved en feil)",
    save: "Lagre",
    minutes_word: "timer:minutter",
    days: "dager",
    kinds: [
        ("intake", "Oppstartsamtale"),
        ("plan", "Tiltak i innholdsplanen"),
        ("session", "Timer utført"),
        ("breach", "Brudd på vilkår"),
        ("warning", "Advarsel"),
        ("court_case", "Saken sendt retten (R-SAMF-5)"),
        ("completion", "Fullført"),
        ("officer", "Saksbehandler"),
    ],
    stages: [
        ("awaiting_intake", "venter på oppstartsamtale"),
        ("in_progress", "under gjennomføring"),
        ("period_over", "gjennomføringstiden er ute, timer gjenstår"),
        ("with_court", "sendt retten"),
        ("completed", "fullført"),
    ],
};

const EN: Words = Words {
    nav: "Office caseload",
    own_location: "Persons at your location",
    per_location: "Persons under supervision per location",
    per_officer: "Caseload per officer (the whole office)",
    location: "Location",
    persons: "Persons",
    officer: "Officer",
    unassigned: "no officer",
    name: "Name",
    supervision: "Supervision",
    until: "Until",
    hours: "Hours (credited / ordered)",
    not_nearest: "not the nearest location (nearest: {})",
    nobody: "Nobody is under supervision today.",
    community: "Community sentence",
    no_sentence: "No judgment with a community sentence is registered for the person.",
    judgment: "Judgment",
    ordered: "Ordered after the remand deduction",
    reduction: "Proportional reduction (R-SAMF-4)",
    progress: "Progress",
    stage: "Stage",
    period: "Execution period",
    elapsed: "Days elapsed",
    credited: "Credited",
    remaining: "Remaining",
    expected: "Expected at an even pace",
    behind: "Behind an even pace",
    breaches: "Breaches",
    warnings: "Warnings",
    plan: "Content plan",
    ledger: "Log (hours, breaches, warnings, corrections)",
    date: "Date",
    what: "What",
    recorded: "Recorded",
    corrects: "corrects",
    correct: "Correct",
    record: "Record",
    none: "none",
    office_reason: "Reason for a location other than the nearest",
    office_reason_help: "Required when the location is not the one nearest the home municipality.",
    start: "Execution period starts",
    start_help: "Empty: the day of the intake meeting.",
    activity: "Activity",
    description: "Description",
    hours_help: "Hours and minutes, e.g. 4, 4:30 or 4.5.",
    session_hours: "Hours",
    note: "Note",
    reason: "Reason for the correction",
    retract: "Retract (recorded in error)",
    save: "Save",
    minutes_word: "hours:minutes",
    days: "days",
    kinds: [
        ("intake", "Intake meeting"),
        ("plan", "Content plan item"),
        ("session", "Hours worked"),
        ("breach", "Breach of conditions"),
        ("warning", "Warning"),
        ("court_case", "Case sent to the court (R-SAMF-5)"),
        ("completion", "Completed"),
        ("officer", "Officer"),
    ],
    stages: [
        ("awaiting_intake", "awaiting the intake meeting"),
        ("in_progress", "in progress"),
        ("period_over", "execution period over, hours remain"),
        ("with_court", "with the court"),
        ("completed", "completed"),
    ],
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

impl Words {
    fn kind(&self, kind: &str) -> String {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or_else(|| kind.to_string(), |(_, w)| (*w).to_string())
    }

    fn stage(&self, stage: &str) -> String {
        self.stages
            .iter()
            .find(|(k, _)| *k == stage)
            .map_or_else(|| stage.to_string(), |(_, w)| (*w).to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// The caseload

struct Line {
    person_id: i64,
    name: String,
    supervision: String,
    until: String,
    officer: String,
    hours: String,
    note: String,
    /// Serving a community sentence: linked to it.
    community: bool,
    /// On parole: linked to the supervision, with the reports missed.
    parole: Option<usize>,
    /// On EM home detention: linked to the EM case.
    em: bool,
    /// In the programme against intoxicated driving: linked to it, with its stage in words.
    programme: Option<String>,
}

#[derive(Template)]
#[template(path = "probation_caseload.html")]
struct CaseloadPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    lines: Vec<Line>,
    per_location: Vec<(String, i64)>,
    per_officer: Vec<(String, i64)>,
}

async fn caseload_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/probation";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let view = match caseload_view(&state, &caller).await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let lang = lang(&headers);
    let w = words(lang);
    let heading = format!("{} – {} ({})", w.nav, view.office, view.date);
    let lines = view
        .lines
        .iter()
        .map(|l| Line {
            community: l.kind == "community_sentence" || l.stage.is_some(),
            parole: l.missed_reports,
            em: l.kind == "electronic_monitoring",
            programme: l.programme_stage.map(|s| {
                let (en, nb) = s.label();
                (if lang == Lang::Nb { nb } else { en }).to_string()
            }),
            person_id: l.person_id,
            name: l.name.clone(),
            supervision: lang.value(Vocab::Supervision, &l.kind),
            until: l.until.clone(),
            officer: l
                .officer
                .clone()
                .unwrap_or_else(|| w.unassigned.to_string()),
            hours: match (&l.stage, l.required_minutes) {
                (Some(stage), Some(required)) => format!(
                    "{} / {} ({})",
                    hours_and_minutes(u64::try_from(l.credited_minutes).unwrap_or(0)),
                    hours_and_minutes(u64::try_from(required).unwrap_or(0)),
                    w.stage(stage)
                ),
                _ => String::new(),
            },
            note: l
                .not_nearest
                .as_deref()
                .map(|n| w.not_nearest.replace("{}", &location_name(n)))
                .unwrap_or_default(),
        })
        .collect();
    render(&CaseloadPage {
        c: chrome(&headers, Some(&caller), &heading, here),
        w,
        heading,
        lines,
        per_location: view
            .per_location
            .iter()
            .map(|(l, n)| (location_name(l), *n))
            .collect(),
        per_officer: view
            .per_officer
            .iter()
            .map(|(o, n)| (o.clone().unwrap_or_else(|| w.unassigned.to_string()), *n))
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// A community sentence

struct LogLine {
    id: i64,
    kind: String,
    date: String,
    what: String,
    recorded: String,
    correction: String,
    /// The event may be corrected from here (not retractions or corrections of retractions).
    correctable: bool,
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_id: i64,
    person_name: String,
    has_sentence: bool,
    judgment: String,
    ordered: String,
    explanation: String,
    problems: Vec<String>,
    facts: Vec<(String, String)>,
    behind: bool,
    plan: Vec<String>,
    log: Vec<LogLine>,
    officer: String,
    actions: Vec<(String, String)>,
}

fn describe(event: &Event, w: &Words, lang: Lang) -> String {
    let kind = w.kind(event.kind());
    match event {
        Event::Intake { start, .. } => format!("{kind}; {} {start}", w.start.to_lowercase()),
        Event::Plan {
            activity,
            description,
        } => {
            let (en, nb) = activity.label();
            format!(
                "{kind}: {} – {description}",
                if lang == Lang::Nb { nb } else { en }
            )
        }
        Event::Session { minutes, note, .. } => {
            let base = format!("{kind}: {}", hours_and_minutes(u64::from(*minutes)));
            if note.is_empty() {
                base
            } else {
                format!("{base} – {note}")
            }
        }
        Event::Breach { description, .. }
        | Event::Warning { description, .. }
        | Event::CourtCase { description, .. } => format!("{kind}: {description}"),
        Event::Completion { .. } => kind,
    }
}

fn community_page_of(
    view: &CommunityView,
    headers: &HeaderMap,
    caller: &crate::access::Caller,
    here: &str,
) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let heading = format!("{} – {}", w.community, view.person.display_name());
    let mut facts = Vec::new();
    let (mut judgment, mut ordered, mut explanation) =
        (String::new(), String::new(), String::new());
    if let Some(s) = &view.sentence {
        let r = &s.reduction;
        judgment = format!(
            "{}, {} {}: {} h, {} {}, {} {}",
            s.judgment.court,
            s.judgment.case_number,
            s.judgment.decision_date,
            r.hours,
            r.alternative_days,
            w.days,
            r.execution_period_days,
            w.days
        );
        ordered = format!(
            "{} ({}), {} {} {}",
            hours_and_minutes(s.order.required_minutes),
            w.minutes_word,
            w.period.to_lowercase(),
            s.order.execution_days,
            w.days
        );
        explanation = if lang == Lang::Nb {
            s.explanation.1.clone()
        } else {
            s.explanation.0.clone()
        };
    }
    let mut behind = false;
    if let Some(p) = &view.progress {
        behind = p.behind();
        facts.push((w.stage.to_string(), w.stage(p.stage.as_str())));
        if let (Some(start), Some(end)) = (p.start, p.end) {
            facts.push((w.period.to_string(), format!("{start} – {end}")));
            facts.push((
                w.elapsed.to_string(),
                format!("{} / {}", p.elapsed_days, p.order.execution_days),
            ));
        }
        facts.push((
            w.credited.to_string(),
            hours_and_minutes(p.credited_minutes),
        ));
        facts.push((
            w.remaining.to_string(),
            hours_and_minutes(p.remaining_minutes),
        ));
        facts.push((
            w.expected.to_string(),
            hours_and_minutes(p.expected_minutes),
        ));
        facts.push((w.breaches.to_string(), p.breaches.to_string()));
        facts.push((w.warnings.to_string(), p.warnings.to_string()));
    }
    let plan = view
        .in_effect
        .iter()
        .filter(|(_, e)| matches!(e, Event::Plan { .. }))
        .map(|(_, e)| describe(e, w, lang))
        .collect();
    let log = view
        .log()
        .rev()
        .map(|e| {
            let event = if e.kind == "retraction" || e.kind == "officer" {
                None
            } else {
                crate::probation::event_from_payload(&e.kind, &e.payload_json()).ok()
            };
            let what = match (&event, e.kind.as_str()) {
                (Some(ev), _) => describe(ev, w, lang),
                (None, "officer") => format!(
                    "{}: {}",
                    w.kind("officer"),
                    e.payload_json()["officer"].as_str().unwrap_or_default()
                ),
                (None, _) => w.retract.to_string(),
            };
            LogLine {
                id: e.id,
                kind: e.kind.clone(),
                date: event
                    .as_ref()
                    .and_then(Event::date)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                what,
                recorded: format!(
                    "{} {}",
                    super::local_time(&e.recorded_at),
                    e.recorded_by_name
                ),
                correction: match (e.corrects, &e.reason) {
                    (Some(target), Some(reason)) => format!("{} #{target}: {reason}", w.corrects),
                    _ => String::new(),
                },
                correctable: view.may_write && event.is_some(),
            }
        })
        .collect();
    let actions = if view.may_write {
        let id = view.person.id;
        w.kinds
            .iter()
            .map(|(k, label)| (format!("/persons/{id}/community/{k}"), (*label).to_string()))
            .collect()
    } else {
        Vec::new()
    };
    render(&CommunityPage {
        c: chrome(headers, Some(caller), &heading, here),
        w,
        heading,
        person_id: view.person.id,
        person_name: view.person.display_name(),
        has_sentence: view.sentence.is_some(),
        judgment,
        ordered,
        explanation,
        problems: view
            .problems
            .iter()
            .map(|p| {
                p.message_in(lang.domain())
                    .unwrap_or(&p.message)
                    .to_string()
            })
            .collect(),
        facts,
        behind,
        plan,
        log,
        officer: view
            .officer
            .clone()
            .unwrap_or_else(|| w.unassigned.to_string()),
        actions,
    })
}

async fn community_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/community");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    match community_view(&state, &caller, id, "community").await {
        Ok(view) => community_page_of(&view, &headers, &caller, &here),
        Err(e) => refusal(&headers, Some(&caller), e, &here),
    }
}

// ---------------------------------------------------------------------------------------------
// The forms

#[derive(Deserialize, Default)]
struct CorrectsQuery {
    corrects: Option<String>,
}

fn fields_of(kind: &str, lang: Lang, v: &Values, officers: &[(String, String)]) -> Vec<Field> {
    let w = words(lang);
    let t = lang.texts();
    let date = || Field::new("date", w.date, "date", v.get("date"), true);
    let description = || {
        Field::new(
            "description",
            w.description,
            "textarea",
            v.get("description"),
            true,
        )
    };
    match kind {
        "intake" => vec![
            date(),
            Field::new("start", w.start, "date", v.get("start"), false).help(w.start_help),
        ],
        "plan" => vec![
            Field::new("activity", w.activity, "select", v.get("activity"), true).choose_from(
                Activity::ALL
                    .iter()
                    .map(|a| {
                        let (en, nb) = a.label();
                        (
                            a.as_str().to_string(),
                            (if lang == Lang::Nb { nb } else { en }).to_string(),
                        )
                    })
                    .collect(),
            ),
            description(),
        ],
        "session" => vec![
            date(),
            Field::new("hours", w.session_hours, "text", v.get("hours"), true).help(w.hours_help),
            Field::new("note", w.note, "text", v.get("note"), false),
        ],
        "breach" | "warning" | "court_case" => vec![date(), description()],
        "completion" => vec![date()],
        "officer" => vec![
            Field::new("officer", w.officer, "select", v.get("officer"), true)
                .choose_from(officers.to_vec()),
        ],
        _ => {
            let _ = t;
            Vec::new()
        }
    }
}

/// The form's values as the API's payload (hours in minutes).
fn payload_of(kind: &str, v: &Values) -> Result<Value, ApiError> {
    let mut map = Map::new();
    let mut put = |key: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            map.insert(key.into(), Value::String(value.into()));
        }
    };
    match kind {
        "intake" => {
            put("date", v.get("date"));
            put("start", v.get("start"));
        }
        "plan" => {
            put("activity", v.get("activity"));
            put("description", v.get("description"));
        }
        "session" => {
            put("date", v.get("date"));
            put("note", v.get("note"));
            let minutes = community::parse_hours(v.get("hours")).ok_or_else(|| {
                ApiError::invalid_bilingual(
                    "payload.minutes",
                    "give hours and minutes, e.g. 4, 4:30 or 4.5",
                    "oppgi timer og minutter, f.eks. 4, 4:30 eller 4,5",
                )
            })?;
            map.insert("minutes".into(), Value::from(minutes));
        }
        "breach" | "warning" | "court_case" => {
            put("date", v.get("date"));
            put("description", v.get("description"));
        }
        "completion" => put("date", v.get("date")),
        "officer" => put("officer", v.get("officer")),
        _ => {}
    }
    Ok(Value::Object(map))
}

/// The corrected event's values, to start a correction form from.
fn values_of(kind: &str, payload: &Value) -> Values {
    let text = |k: &str| payload[k].as_str().unwrap_or_default().to_string();
    let pairs: Vec<(String, String)> = match kind {
        "session" => vec![
            ("date".into(), text("date")),
            (
                "hours".into(),
                payload["minutes"]
                    .as_u64()
                    .map(hours_and_minutes)
                    .unwrap_or_default(),
            ),
            ("note".into(), text("note")),
        ],
        _ => ["date", "start", "activity", "description", "officer"]
            .iter()
            .map(|k| (k.to_string(), text(k)))
            .collect(),
    };
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Values::of(&refs)
}

async fn event_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Query(query): Query<CorrectsQuery>,
) -> Response {
    event_page(state, headers, id, kind, query, None).await
}

async fn event_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Query(query): Query<CorrectsQuery>,
    Form(values): Form<Values>,
) -> Response {
    event_page(state, headers, id, kind, query, Some(values)).await
}

async fn event_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    kind: String,
    query: CorrectsQuery,
    submitted: Option<Values>,
) -> Response {
    let here = format!("/persons/{id}/community/{kind}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    if !w.kinds.iter().any(|(k, _)| *k == kind) {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    if caller.role != crate::access::Role::Probation {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view = match community_view(&state, &caller, id, "community_form").await {
        Ok(v) if v.may_write => v,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let corrects = query
        .corrects
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok());
    let corrected = corrects.and_then(|c| view.log().find(|e| e.id == c));
    if corrects.is_some() && corrected.is_none_or(|e| e.kind != kind) {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    let officers = if kind == "officer" {
        officers_of(
            &state,
            view.person
                .supervision_office
                .as_deref()
                .unwrap_or_default(),
        )
        .await
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut problems = Vec::new();
    let values = match submitted {
        None => match corrected {
            Some(e) => values_of(&kind, &e.payload_json()),
            None => Values::of(&[("date", state.today().to_string().as_str())]),
        },
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let mut fields = fields_of(&kind, lang, &values, &officers);
            if corrects.is_some() {
                fields.push(Field::new(
                    "reason",
                    w.reason,
                    "textarea",
                    values.get("reason"),
                    true,
                ));
            }
            problems = form::required_problems(&fields, lang.texts());
            let retract = values.on("retract");
            if retract {
                problems.retain(|p| p.field == "reason");
            }
            if problems.is_empty() {
                let outcome = match payload_of(&kind, &values) {
                    Ok(payload) => {
                        let version = values.get("version").parse::<i64>().unwrap_or(-1);
                        record(
                            &state,
                            &caller,
                            id,
                            EventRequest {
                                kind: if retract { "retraction" } else { &kind },
                                version,
                                payload: if retract {
                                    Value::Object(Map::new())
                                } else {
                                    payload
                                },
                                corrects,
                                reason: Some(values.get("reason")),
                            },
                        )
                        .await
                    }
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(_) => {
                        return Redirect::to(&format!("/persons/{id}/community")).into_response();
                    }
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => {
                        problems = form::problems(&e, lang)
                            .into_iter()
                            .map(|mut p| {
                                if p.field == "payload.minutes" {
                                    p.field = "hours".into();
                                }
                                p.field = p.field.trim_start_matches("payload.").to_string();
                                p
                            })
                            .collect();
                    }
                }
            }
            values
        }
    };
    let mut fields = fields_of(&kind, lang, &values, &officers);
    if corrects.is_some() {
        fields.push(Field::new(
            "reason",
            w.reason,
            "textarea",
            values.get("reason"),
            true,
        ));
        fields.push(Field::new(
            "retract",
            w.retract,
            "checkbox",
            values.get("retract"),
            false,
        ));
    }
    let title = w.kind(&kind);
    let action = match corrects {
        Some(c) => format!("{here}?corrects={c}"),
        None => here.clone(),
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), &title, &here),
        &format!("{title} – {}", view.person.display_name()),
        &action,
        fields,
    );
    if let Some(p) = &view.progress {
        page.intro = format!(
            "{}: {}; {}: {}",
            w.stage,
            w.stage(p.stage.as_str()),
            w.remaining,
            hours_and_minutes(p.remaining_minutes)
        );
    }
    page.hidden = vec![
        ("version".into(), view.events.len().to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
