//! The pre-sentence report pages (personundersøkelse, straffeprosessloven § 161; issue 6,
//! item 2): the office's list with the overdue requests first (`/presentence`), the court's
//! request form (`/presentence/new`), a request (`/presentence/{id}`), its forms
//! (`/presentence/{id}/{kind}`: the request changed, the officer assigned, the report written, the
//! delivery) and the printable report (`/presentence/{id}/document`).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::presentence::{MEASURES, SITUATION, Stage, Suitability};
use serde_json::{Map, Value};

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, local_time, refusal, render,
    signed_in,
};
use crate::{
    AppState,
    access::{Caller, Role},
    api::parse_id,
    error::ApiError,
    i18n::{Lang, Vocab},
    presentence::{
        EventRequest, NewRequest, RequestView, create, list_view, record, report_of, request_view,
    },
    probation::{location_name, officers_of},
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/presentence", get(list_page))
        .route("/presentence/new", get(new_form).post(new_submit))
        .route("/presentence/{id}", get(request_page))
        .route(
            "/presentence/{id}/{kind}",
            get(event_form).post(event_submit),
        )
}

/// The words of these pages.
pub struct Words {
    pub nav: &'static str,
    pub heading: &'static str,
    pub national: &'static str,
    pub overdue: &'static str,
    pub overdue_none: &'static str,
    pub overdue_by: &'static str,
    pub all: &'static str,
    pub none: &'static str,
    pub new: &'static str,
    pub person: &'static str,
    pub court: &'static str,
    pub case_number: &'static str,
    pub requested: &'static str,
    pub deadline: &'static str,
    pub officer: &'static str,
    pub unassigned: &'static str,
    pub stage: &'static str,
    pub delivered: &'static str,
    pub location: &'static str,
    pub report: &'static str,
    pub no_report: &'static str,
    pub version: &'static str,
    pub document: &'static str,
    pub history: &'static str,
    pub what: &'static str,
    pub recorded: &'static str,
    pub reason: &'static str,
    pub reason_help: &'static str,
    pub replaces: &'static str,
    pub record: &'static str,
    pub save: &'static str,
    pub person_help: &'static str,
    pub situation: &'static str,
    pub assessment_heading: &'static str,
    pub assessment: &'static str,
    pub print_note: &'static str,
    pub back: &'static str,
    pub statute: &'static str,
    pub kinds: [(&'static str, &'static str); 4],
}

const NB: Words = Words {
    nav: "Personundersøkelser",
    heading: "Personundersøkelser",
    national: "hele landet",
    overdue: "Over fristen, ikke levert",
    overdue_none: "Ingen personundersøkelser er over fristen.",
    overdue_by: "{} dager over fristen",
    all: "Alle bestillinger",
    none: "Ingen bestillinger.",
    new: "Ny bestilling fra retten",
    person: "Person",
    court: "Domstol",
    case_number: "Saksnummer",
    requested: "Bestilt",
    deadline: "Frist",
    officer: "Saksbehandler",
    unassigned: "ikke tildelt",
    stage: "Status",
    delivered: "Levert retten",
    location: "Kontorsted",
    report: "Personundersøkelsen",
    no_report: "Ikke skrevet ennå.",
    version: "Versjon",
    document: "Utskriftsvennlig personundersøkelse",
    history: "Historikk",
    what: "Hva",
    recorded: "Registrert",
    reason: "Begrunnelse for endringen",
    reason_help: "Kreves når noe som er registrert, endres.",
    replaces: "erstatter",
    record: "Registrer",
    save: "Lagre",
    person_help: "Er personen registrert, brukes registreringen (fødselsnummeret eller den midlertidige id-en avgjør); ellers registreres personen.",
    situation: "Personens situasjon",
    assessment_heading: "Vurdering",
    assessment: "Saksbehandlerens vurdering",
    print_note: "Skriv ut med nettleserens utskriftsfunksjon.",
    back: "Tilbake til bestillingen",
    statute: "Personundersøkelse etter straffeprosessloven § 161",
    kinds: [
        ("request", "Endre bestillingen"),
        ("assignment", "Tildel saksbehandler"),
        ("report", "Skriv personundersøkelsen"),
        ("delivery", "Lever til retten"),
    ],
};

const EN: Words = Words {
    nav: "Pre-sentence reports",
    heading: "Pre-sentence reports",
    national: "the whole country",
    overdue: "Past the deadline, not delivered",
    overdue_none: "No pre-sentence report is past its deadline.",
    overdue_by: "{} days past the deadline",
    all: "All requests",
    none: "No requests.",
    new: "New request from a court",
    person: "Person",
    court: "Court",
    case_number: "Case number",
    requested: "Requested",
    deadline: "Deadline",
    officer: "Officer",
    unassigned: "not assigned",
    stage: "Stage",
    delivered: "Delivered to the court",
    location: "Location",
    report: "The report",
    no_report: "Not written yet.",
    version: "Version",
    document: "Printable pre-sentence report",
    history: "History",
    what: "What",
    recorded: "Recorded",
    reason: "Reason for the change",
    reason_help: "Required when something recorded is changed.",
    replaces: "replaces",
    record: "Record",
    save: "Save",
    person_help: "If the person is registered, the registration is used (the identity number or temporary id decides); otherwise the person is registered.",
    situation: "The person's situation",
    assessment_heading: "Assessment",
    assessment: "The officer's assessment",
    print_note: "Print with the browser's print function.",
    back: "Back to the request",
    statute: "Pre-sentence report under the Criminal Procedure Act § 161",
    kinds: [
        ("request", "Change the request"),
        ("assignment", "Assign an officer"),
        ("report", "Write the report"),
        ("delivery", "Deliver to the court"),
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
}

fn pick(lang: Lang, (en, nb): (&'static str, &'static str)) -> &'static str {
    if lang == Lang::Nb { nb } else { en }
}

fn stage_words(lang: Lang, stage: Stage) -> &'static str {
    pick(lang, stage.label())
}

// ---------------------------------------------------------------------------------------------
// The list

struct Line {
    id: i64,
    person: String,
    court: String,
    case_number: String,
    requested: String,
    deadline: String,
    officer: String,
    stage: String,
    overdue: String,
}

#[derive(Template)]
#[template(path = "presentence_list.html")]
struct ListPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    overdue: Vec<Line>,
    lines: Vec<Line>,
    may_create: bool,
}

async fn list_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/presentence";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let view = match list_view(&state, &caller).await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let lang = lang(&headers);
    let w = words(lang);
    let line = |l: &crate::presentence::Line| Line {
        id: l.row.id,
        person: l.row.display_name(),
        court: l.row.court.clone(),
        case_number: l.row.case_number.clone(),
        requested: l.row.requested_on.clone(),
        deadline: l.row.deadline.clone(),
        officer: l
            .row
            .officer
            .clone()
            .unwrap_or_else(|| w.unassigned.to_string()),
        stage: stage_words(lang, l.stage).to_string(),
        overdue: l
            .overdue
            .map(|d| w.overdue_by.replace("{}", &d.to_string()))
            .unwrap_or_default(),
    };
    let heading = format!(
        "{} – {} ({})",
        w.heading,
        view.office
            .clone()
            .unwrap_or_else(|| w.national.to_string()),
        view.date
    );
    render(&ListPage {
        c: chrome(&headers, Some(&caller), &heading, here),
        w,
        overdue: view.overdue().map(line).collect(),
        lines: view.lines.iter().map(line).collect(),
        heading,
        may_create: caller.role == Role::Probation,
    })
}

// ---------------------------------------------------------------------------------------------
// A request

struct Event {
    id: i64,
    what: String,
    recorded: String,
    change: String,
}

#[derive(Template)]
#[template(path = "presentence.html")]
struct RequestPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    id: i64,
    facts: Vec<(String, String)>,
    overdue: String,
    report: Vec<(String, String)>,
    report_version: String,
    actions: Vec<(String, String)>,
    events: Vec<Event>,
}

/// The report's sections in `lang`: (heading, text).
fn report_sections(view: &RequestView, lang: Lang) -> Vec<(String, String)> {
    let Some(written) = &view.report else {
        return Vec::new();
    };
    let r = &written.report;
    let mut out: Vec<(String, String)> = SITUATION
        .iter()
        .zip(&r.situation)
        .map(|((_, en, nb), text)| (pick(lang, (en, nb)).to_string(), text.clone()))
        .collect();
    out.extend(MEASURES.iter().zip(r.suitability).map(|((_, en, nb), s)| {
        (
            pick(lang, (en, nb)).to_string(),
            pick(lang, s.label()).to_string(),
        )
    }));
    out.push((words(lang).assessment.to_string(), r.assessment.clone()));
    out
}

fn facts_of(view: &RequestView, lang: Lang) -> Vec<(String, String)> {
    let w = words(lang);
    let r = &view.row;
    vec![
        (w.person.to_string(), r.display_name()),
        (w.location.to_string(), location_name(&r.location)),
        (w.court.to_string(), r.court.clone()),
        (w.case_number.to_string(), r.case_number.clone()),
        (w.requested.to_string(), r.requested_on.clone()),
        (w.deadline.to_string(), r.deadline.clone()),
        (
            w.officer.to_string(),
            r.officer
                .clone()
                .unwrap_or_else(|| w.unassigned.to_string()),
        ),
        (
            w.stage.to_string(),
            stage_words(lang, view.stage).to_string(),
        ),
        (
            w.delivered.to_string(),
            r.delivered_on.clone().unwrap_or_else(|| "–".into()),
        ),
    ]
}

fn describe(kind: &str, payload: &Value, w: &Words, lang: Lang) -> String {
    let text = |k: &str| payload[k].as_str().unwrap_or_default().to_string();
    match kind {
        "request" => format!(
            "{}: {} {}, {} {}, {} {}",
            w.kind("request"),
            text("court"),
            text("case_number"),
            w.requested.to_lowercase(),
            text("requested"),
            w.deadline.to_lowercase(),
            text("deadline")
        ),
        "assignment" => format!("{}: {}", w.officer, text("officer")),
        "report" => report_of(payload)
            .map(|r| {
                let measures: Vec<String> = MEASURES
                    .iter()
                    .zip(r.suitability)
                    .map(|((_, en, nb), s)| {
                        format!("{}: {}", pick(lang, (en, nb)), pick(lang, s.label()))
                    })
                    .collect();
                format!("{} – {}", w.report, measures.join("; "))
            })
            .unwrap_or_else(|| w.report.to_string()),
        _ => format!("{}: {}", w.delivered, text("delivered")),
    }
}

async fn request_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/presentence/{id}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view = match request_view(&state, &caller, id, "presentence").await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let lang = lang(&headers);
    let w = words(lang);
    let heading = format!("{} – {}", w.report, view.row.display_name());
    let actions = if view.may_write {
        w.kinds
            .iter()
            .filter(|(k, _)| match *k {
                "report" => view.stage == Stage::Assigned,
                "delivery" => view.stage == Stage::Assigned && view.report.is_some(),
                _ => view.stage != Stage::Delivered,
            })
            .map(|(k, label)| (format!("/presentence/{id}/{k}"), (*label).to_string()))
            .collect()
    } else {
        Vec::new()
    };
    let events = view
        .events
        .iter()
        .rev()
        .map(|e| Event {
            id: e.id,
            what: describe(&e.kind, &e.payload_json(), w, lang),
            recorded: format!("{} {}", local_time(&e.recorded_at), e.recorded_by_name),
            change: match (e.corrects, &e.reason) {
                (Some(target), Some(reason)) => format!("{} #{target}: {reason}", w.replaces),
                _ => String::new(),
            },
        })
        .collect();
    render(&RequestPage {
        c: chrome(&headers, Some(&caller), &heading, &here),
        w,
        id,
        facts: facts_of(&view, lang),
        overdue: view
            .overdue
            .map(|d| w.overdue_by.replace("{}", &d.to_string()))
            .unwrap_or_default(),
        report: report_sections(&view, lang),
        report_version: view
            .report
            .as_ref()
            .map(|r| {
                format!(
                    "{} {} – {} {}",
                    w.version,
                    r.version,
                    local_time(&r.recorded_at),
                    r.recorded_by
                )
            })
            .unwrap_or_default(),
        actions,
        events,
        heading,
    })
}

#[derive(Template)]
#[template(path = "presentence_document.html")]
struct DocumentPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    id: i64,
    facts: Vec<(String, String)>,
    situation: Vec<(String, String)>,
    measures: Vec<(String, String)>,
    assessment: String,
    version: String,
}

fn document_page(view: &RequestView, headers: &HeaderMap, caller: &Caller, here: &str) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let sections = report_sections(view, lang);
    let (situation, rest) = sections.split_at(sections.len().min(SITUATION.len()));
    let (measures, assessment) = rest.split_at(rest.len().min(MEASURES.len()));
    let heading = format!("{} – {}", w.statute, view.row.display_name());
    let facts = facts_of(view, lang);
    render(&DocumentPage {
        c: chrome(headers, Some(caller), &heading, here),
        w,
        id: view.row.id,
        facts,
        situation: situation.to_vec(),
        measures: measures.to_vec(),
        assessment: assessment.first().map(|a| a.1.clone()).unwrap_or_default(),
        version: view
            .report
            .as_ref()
            .map(|r| {
                format!(
                    "{} {} – {} {}",
                    w.version,
                    r.version,
                    local_time(&r.recorded_at),
                    r.recorded_by
                )
            })
            .unwrap_or_default(),
        heading,
    })
}

// ---------------------------------------------------------------------------------------------
// The request form

const IDENTITY_KEYS: [&str; 7] = [
    "identity_number",
    "temporary_id",
    "family_name",
    "given_names",
    "birth_date",
    "sex",
    "citizenship",
];

fn request_fields(lang: Lang, v: &Values, with_identity: bool) -> Vec<Field> {
    let w = words(lang);
    let t = lang.texts();
    let mut fields = Vec::new();
    if with_identity {
        fields.extend([
            Field::new(
                "identity_number",
                t.identity_number,
                "text",
                v.get("identity_number"),
                false,
            )
            .help(w.person_help),
            Field::new(
                "temporary_id",
                t.temporary_id,
                "text",
                v.get("temporary_id"),
                false,
            )
            .help(t.temporary_id_help),
            Field::new(
                "family_name",
                t.family_name,
                "text",
                v.get("family_name"),
                true,
            ),
            Field::new(
                "given_names",
                t.given_names,
                "text",
                v.get("given_names"),
                true,
            ),
            Field::new(
                "birth_date",
                t.birth_date,
                "date",
                v.get("birth_date"),
                true,
            ),
            Field::new("sex", t.sex, "select", v.get("sex"), true)
                .choose_from(lang.options(Vocab::Sex, &halden_storage::facts::SEXES)),
            Field::new(
                "citizenship",
                t.citizenship,
                "text",
                v.get("citizenship"),
                true,
            )
            .help(t.citizenship_help),
            Field::new(
                "home_municipality",
                t.home_municipality,
                "text",
                v.get("home_municipality"),
                false,
            ),
        ]);
    }
    fields.extend([
        Field::new("court", w.court, "text", v.get("court"), true),
        Field::new(
            "case_number",
            w.case_number,
            "text",
            v.get("case_number"),
            true,
        ),
        Field::new("requested", w.requested, "date", v.get("requested"), true),
        Field::new("deadline", w.deadline, "date", v.get("deadline"), true),
    ]);
    fields
}

fn text_map(values: &Values, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| {
            let value = values.get(k).trim();
            (!value.is_empty()).then(|| ((*k).to_string(), Value::String(value.to_string())))
        })
        .collect()
}

/// The new request a submitted form makes (dates already filled in: checked as required first).
fn new_request_of(values: &Values) -> Result<NewRequest, ApiError> {
    let mut identity = text_map(values, &IDENTITY_KEYS);
    identity.insert("languages".into(), Value::Array(Vec::new()));
    identity.insert("interpreter_needed".into(), Value::Bool(false));
    if let Some(home) = text_map(values, &["home_municipality"]).remove("home_municipality") {
        identity.insert("home_municipality".into(), home);
    }
    let mut body = text_map(values, &["court", "case_number", "requested", "deadline"]);
    body.insert("identity".into(), Value::Object(identity));
    for k in ["court", "case_number"] {
        body.entry(k)
            .or_insert_with(|| Value::String(String::new()));
    }
    crate::presentence::new_request(&Value::Object(body))
}

async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    new_page(state, headers, None).await
}

async fn new_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(values): Form<Values>,
) -> Response {
    new_page(state, headers, Some(values)).await
}

async fn new_page(state: AppState, headers: HeaderMap, submitted: Option<Values>) -> Response {
    let here = "/presentence/new";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if caller.role != Role::Probation {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
    }
    let lang = lang(&headers);
    let w = words(lang);
    let t = lang.texts();
    let mut problems = Vec::new();
    let values = match submitted {
        None => Values::of(&[
            ("citizenship", "NO"),
            ("requested", state.today().to_string().as_str()),
        ]),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
            }
            let fields = request_fields(lang, &values, true);
            problems = form::required_problems(&fields, t);
            if problems.is_empty() {
                let outcome = match new_request_of(&values) {
                    Ok(request) => create(&state, &caller, request, None).await,
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok((id, _)) => {
                        return Redirect::to(&format!("/presentence/{id}")).into_response();
                    }
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
                    }
                    Err(e) => form::merge(&mut problems, form::problems(&e, lang), &fields),
                }
            }
            values
        }
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.new, here),
        w.new,
        here,
        request_fields(lang, &values, true),
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}

// ---------------------------------------------------------------------------------------------
// The forms on a request

fn event_fields(
    kind: &str,
    lang: Lang,
    v: &Values,
    officers: &[(String, String)],
    needs_reason: bool,
) -> Vec<Field> {
    let w = words(lang);
    let mut fields = match kind {
        "request" => request_fields(lang, v, false),
        "assignment" => vec![
            Field::new("officer", w.officer, "select", v.get("officer"), true)
                .choose_from(officers.to_vec()),
        ],
        "report" => {
            let mut f: Vec<Field> = SITUATION
                .iter()
                .map(|(name, en, nb)| {
                    Field::new(name, pick(lang, (en, nb)), "textarea", v.get(name), true)
                })
                .collect();
            f.extend(MEASURES.iter().map(|(name, en, nb)| {
                Field::new(name, pick(lang, (en, nb)), "select", v.get(name), true).choose_from(
                    Suitability::ALL
                        .iter()
                        .map(|s| (s.as_str().to_string(), pick(lang, s.label()).to_string()))
                        .collect(),
                )
            }));
            f.push(Field::new(
                "assessment",
                w.assessment,
                "textarea",
                v.get("assessment"),
                true,
            ));
            f
        }
        _ => vec![Field::new(
            "delivered",
            w.delivered,
            "date",
            v.get("delivered"),
            true,
        )],
    };
    if needs_reason {
        fields.push(
            Field::new("reason", w.reason, "textarea", v.get("reason"), true).help(w.reason_help),
        );
    }
    fields
}

fn payload_of(kind: &str, v: &Values) -> Value {
    let keys: Vec<&str> = match kind {
        "request" => vec!["court", "case_number", "requested", "deadline"],
        "assignment" => vec!["officer"],
        "report" => SITUATION
            .iter()
            .chain(MEASURES.iter())
            .map(|(n, _, _)| *n)
            .chain(["assessment"])
            .collect(),
        _ => vec!["delivered"],
    };
    Value::Object(
        keys.iter()
            .map(|k| ((*k).to_string(), Value::String(v.get(k).trim().to_string())))
            .collect(),
    )
}

/// The form's starting values: what stands now.
fn current_values(kind: &str, view: &RequestView, today: &str) -> Values {
    let r = &view.row;
    let pairs: Vec<(String, String)> = match kind {
        "request" => vec![
            ("court".into(), r.court.clone()),
            ("case_number".into(), r.case_number.clone()),
            ("requested".into(), r.requested_on.clone()),
            ("deadline".into(), r.deadline.clone()),
        ],
        "assignment" => vec![("officer".into(), r.officer.clone().unwrap_or_default())],
        "report" => match view.events.iter().rev().find(|e| e.kind == "report") {
            Some(e) => {
                let p = e.payload_json();
                p.as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            None => MEASURES
                .iter()
                .map(|(n, _, _)| ((*n).to_string(), "not_assessed".to_string()))
                .collect(),
        },
        _ => vec![("delivered".into(), today.to_string())],
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
) -> Response {
    event_page(state, headers, id, kind, None).await
}

async fn event_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Form(values): Form<Values>,
) -> Response {
    event_page(state, headers, id, kind, Some(values)).await
}

async fn event_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    kind: String,
    submitted: Option<Values>,
) -> Response {
    let here = format!("/presentence/{id}/{kind}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    let document = kind == "document";
    if !document && !w.kinds.iter().any(|(k, _)| *k == kind) {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    if !document && caller.role != Role::Probation {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view_name = if document {
        "presentence_document"
    } else {
        "presentence_form"
    };
    let view = match request_view(&state, &caller, id, view_name).await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    if document {
        if submitted.is_some() {
            return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
        }
        return document_page(&view, &headers, &caller, &here);
    }
    let officers = if kind == "assignment" {
        officers_of(&state, &view.row.location)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    // A change of something recorded (all but the first of each kind; a delivery only once).
    let needs_reason = kind != "delivery" && view.events.iter().any(|e| e.kind == kind);
    let mut problems = Vec::new();
    let values = match submitted {
        None => current_values(&kind, &view, &state.today().to_string()),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let fields = event_fields(&kind, lang, &values, &officers, needs_reason);
            problems = form::required_problems(&fields, lang.texts());
            if problems.is_empty() {
                let version = values.get("version").parse::<i64>().unwrap_or(-1);
                let outcome = record(
                    &state,
                    &caller,
                    id,
                    EventRequest {
                        kind: &kind,
                        version,
                        payload: payload_of(&kind, &values),
                        corrects: None,
                        reason: Some(values.get("reason")),
                    },
                    None,
                )
                .await;
                match outcome {
                    Ok(_) => return Redirect::to(&format!("/presentence/{id}")).into_response(),
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => form::merge(&mut problems, form::problems(&e, lang), &fields),
                }
            }
            values
        }
    };
    let title = w.kind(&kind);
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), &title, &here),
        &format!("{title} – {}", view.row.display_name()),
        &here,
        event_fields(&kind, lang, &values, &officers, needs_reason),
    );
    page.intro = format!(
        "{}: {} {}; {}: {}; {}: {}",
        w.court,
        view.row.court,
        view.row.case_number,
        w.deadline,
        view.row.deadline,
        w.stage,
        stage_words(lang, view.stage)
    );
    page.hidden = vec![
        ("version".into(), view.row.events.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
