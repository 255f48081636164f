//! The pages of the programme against intoxicated driving (R-PROG-1; issue 6, item 6): a
//! person's programme (`/persons/{id}/programme`: the court's condition with rule and §, the
//! stage, hours credited of those required, the supervision period with its end date, the
//! sessions and every event; read-only for the person themselves, without the staff-only notes)
//! and its forms (`/persons/{id}/programme/{form}`: enrolment, session, absence, breach, warning,
//! the case to the court, completion; `?corrects=ID` corrects or retracts an event).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::{
    community::parse_hours,
    law::RuleId,
    programme::{Event, SessionKind, hours_and_minutes},
};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, refusal, render, signed_in,
};
use crate::{
    AppState,
    api::parse_id,
    error::ApiError,
    i18n::Lang,
    probation::location_name,
    programme::{EventRequest, PREFIX, ProgrammeView, event_from_payload, programme_view, record},
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/programme", get(programme_page))
        .route(
            "/persons/{id}/programme/{form}",
            get(event_form).post(event_submit),
        )
}

/// The words of the programme pages.
pub struct Words {
    pub title: &'static str,
    pub no_programme: &'static str,
    pub judgment: &'static str,
    pub condition: &'static str,
    pub condition_text: &'static str,
    pub rule_note: &'static str,
    pub office: &'static str,
    pub stage: &'static str,
    pub enrolled: &'static str,
    pub group: &'static str,
    pub supervision: &'static str,
    pub supervision_over: &'static str,
    pub hours: &'static str,
    pub hours_of: &'static str,
    pub remaining: &'static str,
    pub meetings: &'static str,
    pub absences: &'static str,
    pub breaches: &'static str,
    pub warnings: &'static str,
    pub court_case: &'static str,
    pub completed: &'static str,
    pub sessions: &'static str,
    pub log: &'static str,
    pub date: &'static str,
    pub kind: &'static str,
    pub what: &'static str,
    pub recorded: &'static str,
    pub corrects: &'static str,
    pub correct: &'static str,
    pub record: &'static str,
    pub none: &'static str,
    pub not_yet: &'static str,
    pub note: &'static str,
    pub note_help: &'static str,
    pub group_help: &'static str,
    pub session_hours: &'static str,
    pub hours_help: &'static str,
    pub hours_invalid: &'static str,
    pub description: &'static str,
    pub correction_reason: &'static str,
    pub retract: &'static str,
    pub retracted: &'static str,
    pub save: &'static str,
    pub forms: [(&'static str, &'static str); 7],
}

const NB: Words = Words {
    title: "Program mot ruspåvirket kjøring",
    no_programme: "Personen har ingen dom med program mot ruspåvirket kjøring i registeret.",
    judgment: "Dom",
    condition: "Vilkår i dommen",
    condition_text: "{h} timer undervisning og behandling, {m} måneders oppfølging; {d} dager fengsel betinget",
    rule_note: "Paragrafen er ikke bekreftet (Q15: trolig strl § 37). Et brudd kan føre til at saken sendes retten, som kan omgjøre dommen til ubetinget fengsel.",
    office: "Kontorsted",
    stage: "Status",
    enrolled: "Oppstart",
    group: "Gruppe eller kurs",
    supervision: "Oppfølgingsperiode",
    supervision_over: "utløpt",
    hours: "Timer godskrevet",
    hours_of: "av",
    remaining: "Gjenstår",
    meetings: "Oppfølgingssamtaler",
    absences: "Fravær",
    breaches: "Brudd",
    warnings: "Advarsler",
    court_case: "Sendt retten",
    completed: "Fullført",
    sessions: "Økter",
    log: "Logg (oppstart, økter, fravær, brudd, advarsler, rettelser)",
    date: "Dato",
    kind: "Type økt",
    what: "Hva",
    recorded: "Registrert",
    corrects: "retter",
    correct: "Rett",
    record: "Registrer",
    none: "ingen",
    not_yet: "ikke ennå",
    note: "Intern merknad",
    note_help: "Vises ikke for domfelte.",
    group_help: "Kontorets gruppe eller kurs, f.eks. «Oslo vår 2025».",
    session_hours: "Timer",
    hours_help: "Timer og minutter, f.eks. 2:30 eller 2,5.",
    hours_invalid: "oppgi timer som 2:30 eller 2,5",
    description: "Beskrivelse",
    correction_reason: "Begrunnelse for rettelsen",
    retract: "Trekk tilbake (registrert ved en feil)",
    retracted: "Trukket tilbake",
    save: "Lagre",
    forms: [
        ("enrolment", "Oppstart i programmet"),
        ("session", "Økt"),
        ("absence", "Fravær"),
        ("breach", "Brudd på vilkåret"),
        ("warning", "Advarsel"),
        ("court_case", "Saken sendt retten (R-PROG-1)"),
        ("completion", "Programmet fullført"),
    ],
};

const EN: Words = Words {
    title: "Programme against intoxicated driving",
    no_programme: "The person has no judgment with the programme against intoxicated driving in the register.",
    judgment: "Judgment",
    condition: "The court's condition",
    condition_text: "{h} hours of teaching and treatment, {m} months of supervision; {d} days' imprisonment suspended",
    rule_note: "The § is not confirmed (Q15: probably strl § 37). A breach can send the case to the court, which may convert the sentence to unconditional imprisonment.",
    office: "Location",
    stage: "Stage",
    enrolled: "Enrolled",
    group: "Group or course",
    supervision: "Supervision period",
    supervision_over: "over",
    hours: "Hours credited",
    hours_of: "of",
    remaining: "Remaining",
    meetings: "Supervision meetings",
    absences: "Absences",
    breaches: "Breaches",
    warnings: "Warnings",
    court_case: "Sent to the court",
    completed: "Completed",
    sessions: "Sessions",
    log: "Log (enrolment, sessions, absences, breaches, warnings, corrections)",
    date: "Date",
    kind: "Session kind",
    what: "What",
    recorded: "Recorded",
    corrects: "corrects",
    correct: "Correct",
    record: "Record",
    none: "none",
    not_yet: "not yet",
    note: "Staff note",
    note_help: "Not shown to the person.",
    group_help: "The office's group or course, e.g. \"Oslo spring 2025\".",
    session_hours: "Hours",
    hours_help: "Hours and minutes, e.g. 2:30 or 2.5.",
    hours_invalid: "give hours as 2:30 or 2.5",
    description: "Description",
    correction_reason: "Reason for the correction",
    retract: "Retract (recorded in error)",
    retracted: "Retracted",
    save: "Save",
    forms: [
        ("enrolment", "Enrolment in the programme"),
        ("session", "Session"),
        ("absence", "Absence"),
        ("breach", "Breach of the condition"),
        ("warning", "Warning"),
        ("court_case", "Case sent to the court (R-PROG-1)"),
        ("completion", "Programme completed"),
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
    fn form(&self, form: &str) -> String {
        self.forms
            .iter()
            .find(|(k, _)| *k == form)
            .map_or_else(|| form.to_string(), |(_, w)| (*w).to_string())
    }
}

fn in_lang(pair: (&'static str, &'static str), lang: Lang) -> &'static str {
    if lang == Lang::Nb { pair.1 } else { pair.0 }
}

/// An event in words; the staff-only note only for staff.
fn describe(event: &Event, w: &Words, lang: Lang, staff: bool) -> String {
    let mut s = match event {
        Event::Enrolment { group, .. } => format!("{}: {group}", w.form("enrolment")),
        Event::Session { kind, minutes, .. } => format!(
            "{} ({}): {}",
            w.form("session"),
            in_lang(kind.label(), lang),
            hours_and_minutes(u64::from(*minutes))
        ),
        Event::Absence { .. } => w.form("absence"),
        Event::Breach { description, .. } => format!("{}: {description}", w.form("breach")),
        Event::Warning { description, .. } => format!("{}: {description}", w.form("warning")),
        Event::CourtCase { description, .. } => {
            format!("{}: {description}", w.form("court_case"))
        }
        Event::Completion { .. } => w.form("completion"),
    };
    if staff && !event.note().trim().is_empty() {
        s.push_str(&format!(" – {}: {}", w.note, event.note()));
    }
    s
}

struct LogLine {
    id: i64,
    date: String,
    what: String,
    recorded: String,
    correction: String,
    /// The correction form, when the caller may correct the event.
    correct_href: Option<String>,
}

struct SessionLine {
    date: String,
    kind: String,
    hours: String,
    note: String,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_id: i64,
    person_name: String,
    has_programme: bool,
    staff: bool,
    facts: Vec<(String, String)>,
    rule: String,
    sessions: Vec<SessionLine>,
    log: Vec<LogLine>,
    actions: Vec<(String, String)>,
}

fn programme_page_of(
    view: &ProgrammeView,
    headers: &HeaderMap,
    caller: &crate::access::Caller,
    here: &str,
) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let heading = format!("{} – {}", w.title, view.person.display_name());
    let mut facts = Vec::new();
    if let Some(j) = &view.judgment {
        facts.push((
            w.judgment.to_string(),
            format!("{} {}, {}", j.case_number, j.court, j.decision_date),
        ));
        if let Some(c) = j.driving_programme {
            facts.push((
                w.condition.to_string(),
                w.condition_text
                    .replace("{h}", &c.hours.to_string())
                    .replace("{m}", &c.supervision_months.to_string())
                    .replace("{d}", &c.suspended_days.to_string()),
            ));
        }
    }
    if let Some(s) = &view.supervision {
        facts.push((w.office.to_string(), location_name(&s.office)));
    }
    if let Some(p) = &view.progress {
        facts.push((w.stage.to_string(), in_lang(p.stage.label(), lang).into()));
        facts.push((
            w.enrolled.to_string(),
            match (&p.enrolled, &p.group) {
                (Some(d), Some(g)) => format!("{d} ({g})"),
                _ => w.not_yet.to_string(),
            },
        ));
        facts.push((
            w.supervision.to_string(),
            match (p.enrolled, p.supervision_end) {
                (Some(from), Some(end)) if p.supervision_over => {
                    format!("{from} – {end} ({})", w.supervision_over)
                }
                (Some(from), Some(end)) => format!("{from} – {end}"),
                _ => w.not_yet.to_string(),
            },
        ));
        facts.push((
            w.hours.to_string(),
            format!(
                "{} {} {}",
                hours_and_minutes(p.credited_minutes),
                w.hours_of,
                hours_and_minutes(p.required_minutes)
            ),
        ));
        facts.push((
            w.remaining.to_string(),
            hours_and_minutes(p.remaining_minutes),
        ));
        facts.push((w.meetings.to_string(), p.supervision_meetings.to_string()));
        facts.push((w.absences.to_string(), p.absences.to_string()));
        facts.push((w.breaches.to_string(), p.breaches.to_string()));
        facts.push((w.warnings.to_string(), p.warnings.to_string()));
        if let Some(d) = p.court_case {
            facts.push((w.court_case.to_string(), d.to_string()));
        }
        if let Some(d) = p.completed {
            facts.push((w.completed.to_string(), d.to_string()));
        }
    }
    let rule = format!(
        "{} ({}): {}",
        RuleId::Prog1.id(),
        RuleId::Prog1.reference(),
        w.rule_note
    );
    let parsed: Vec<Option<Event>> = view
        .events
        .iter()
        .map(|e| {
            let kind = e.kind.trim_start_matches(PREFIX);
            (kind != "retraction")
                .then(|| event_from_payload(kind, &e.payload_json()).ok())
                .flatten()
        })
        .collect();
    // The sessions in effect (a corrected session shows its latest version once).
    let records: Vec<halden_domain::programme::Recorded> = view
        .events
        .iter()
        .zip(&parsed)
        .map(|(e, ev)| halden_domain::programme::Recorded {
            id: e.id,
            corrects: e.corrects,
            event: ev.clone(),
        })
        .collect();
    let sessions = halden_domain::programme::in_effect(&records)
        .into_iter()
        .filter_map(|(_, e)| match e {
            Event::Session {
                date,
                kind,
                minutes,
                note,
            } => Some(SessionLine {
                date: date.to_string(),
                kind: in_lang(kind.label(), lang).to_string(),
                hours: hours_and_minutes(u64::from(*minutes)),
                note: if view.staff {
                    note.clone()
                } else {
                    String::new()
                },
            }),
            _ => None,
        })
        .collect();
    let log = view
        .events
        .iter()
        .zip(&parsed)
        .rev()
        .map(|(e, ev)| LogLine {
            id: e.id,
            date: ev
                .as_ref()
                .map(|x| x.date().to_string())
                .unwrap_or_default(),
            what: ev.as_ref().map_or_else(
                || w.retracted.to_string(),
                |x| describe(x, w, lang, view.staff),
            ),
            recorded: format!(
                "{} {}",
                super::local_time(&e.recorded_at),
                e.recorded_by_name
            ),
            correction: match (e.corrects, &e.reason) {
                (Some(target), Some(reason)) => format!("{} #{target}: {reason}", w.corrects),
                _ => String::new(),
            },
            correct_href: (view.may_write && ev.is_some()).then(|| {
                format!(
                    "/persons/{}/programme/{}?corrects={}",
                    view.person.id,
                    e.kind.trim_start_matches(PREFIX),
                    e.id
                )
            }),
        })
        .collect();
    let actions = if view.may_write && view.judgment.is_some() {
        let id = view.person.id;
        w.forms
            .iter()
            .map(|(k, label)| (format!("/persons/{id}/programme/{k}"), (*label).to_string()))
            .collect()
    } else {
        Vec::new()
    };
    render(&ProgrammePage {
        c: chrome(headers, Some(caller), &heading, here),
        w,
        heading,
        person_id: view.person.id,
        person_name: view.person.display_name(),
        has_programme: view.judgment.is_some(),
        staff: view.staff,
        facts,
        rule,
        sessions,
        log,
        actions,
    })
}

async fn programme_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/programme");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    match programme_view(&state, &caller, id, "programme").await {
        Ok(view) => programme_page_of(&view, &headers, &caller, &here),
        Err(e) => refusal(&headers, Some(&caller), e, &here),
    }
}

// ---------------------------------------------------------------------------------------------
// The forms

#[derive(Deserialize, Default)]
struct CorrectsQuery {
    corrects: Option<String>,
}

fn fields_of(form: &str, lang: Lang, v: &Values) -> Vec<Field> {
    let w = words(lang);
    let area = |name: &str, label: &str, required: bool| {
        Field::new(name, label, "textarea", v.get(name), required)
    };
    let mut fields = vec![Field::new("date", w.date, "date", v.get("date"), true)];
    match form {
        "enrolment" => {
            fields.push(
                Field::new("group", w.group, "text", v.get("group"), true).help(w.group_help),
            );
        }
        "session" => {
            fields.push(
                Field::new(
                    "session_kind",
                    w.kind,
                    "select",
                    v.get("session_kind"),
                    true,
                )
                .choose_from(
                    SessionKind::ALL
                        .iter()
                        .map(|k| (k.as_str().to_string(), in_lang(k.label(), lang).into()))
                        .collect(),
                ),
            );
            fields.push(
                Field::new("hours", w.session_hours, "text", v.get("hours"), true)
                    .help(w.hours_help),
            );
        }
        "breach" | "warning" | "court_case" => {
            fields.push(area("description", w.description, true));
        }
        _ => {}
    }
    fields.push(area("note", w.note, false).help(w.note_help));
    fields
}

/// The form's values as the API's payload.
fn payload_of(form: &str, v: &Values) -> Result<Value, ApiError> {
    let mut map = Map::new();
    let mut put = |key: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            map.insert(key.into(), Value::String(value.into()));
        }
    };
    put("date", v.get("date"));
    put("note", v.get("note"));
    match form {
        "enrolment" => put("group", v.get("group")),
        "session" => {
            put("kind", v.get("session_kind"));
            let minutes = parse_hours(v.get("hours")).ok_or_else(|| {
                ApiError::Invalid(vec![halden_domain::validate::FieldError::bilingual(
                    "hours",
                    None,
                    EN.hours_invalid,
                    NB.hours_invalid,
                )])
            })?;
            map.insert("minutes".into(), Value::from(minutes));
        }
        "breach" | "warning" | "court_case" => put("description", v.get("description")),
        _ => {}
    }
    Ok(Value::Object(map))
}

/// The corrected event's values, to start a correction form from.
fn values_of(payload: &Value) -> Values {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(o) = payload.as_object() {
        for (k, v) in o {
            match (k.as_str(), v) {
                ("minutes", Value::Number(n)) => {
                    pairs.push((
                        "hours".into(),
                        hours_and_minutes(n.as_u64().unwrap_or_default()),
                    ));
                }
                ("kind", Value::String(s)) => pairs.push(("session_kind".into(), s.clone())),
                (_, Value::String(s)) => pairs.push((k.clone(), s.clone())),
                (_, other) => pairs.push((k.clone(), other.to_string())),
            }
        }
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Values::of(&refs)
}

async fn event_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, form)): Path<(String, String)>,
    Query(query): Query<CorrectsQuery>,
) -> Response {
    event_page(state, headers, id, form, query, None).await
}

async fn event_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, form)): Path<(String, String)>,
    Query(query): Query<CorrectsQuery>,
    Form(values): Form<Values>,
) -> Response {
    event_page(state, headers, id, form, query, Some(values)).await
}

async fn event_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    form_name: String,
    query: CorrectsQuery,
    submitted: Option<Values>,
) -> Response {
    let here = format!("/persons/{id}/programme/{form_name}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    if !w.forms.iter().any(|(k, _)| *k == form_name) {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    if caller.role != crate::access::Role::Probation {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view = match programme_view(&state, &caller, id, "programme_form").await {
        Ok(v) if v.may_write => v,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let corrects = query
        .corrects
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok());
    let corrected = corrects.and_then(|c| view.events.iter().find(|e| e.id == c));
    if corrects.is_some()
        && corrected.is_none_or(|e| e.kind.trim_start_matches(PREFIX) != form_name)
    {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    let today = state.today().to_string();
    let mut problems = Vec::new();
    let values = match submitted {
        None => match corrected {
            Some(e) => values_of(&e.payload_json()),
            None => Values::of(&[("date", today.as_str())]),
        },
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let mut fields = fields_of(&form_name, lang, &values);
            if corrects.is_some() {
                fields.push(Field::new(
                    "correction_reason",
                    w.correction_reason,
                    "textarea",
                    values.get("correction_reason"),
                    true,
                ));
            }
            problems = form::required_problems(&fields, lang.texts());
            let retract = values.on("retract");
            if retract {
                problems.retain(|p| p.field == "correction_reason");
            }
            if problems.is_empty() {
                let payload = if retract {
                    Ok(Value::Object(Map::new()))
                } else {
                    payload_of(&form_name, &values)
                };
                let outcome = match payload {
                    Ok(payload) => {
                        let version = values.get("version").parse::<i64>().unwrap_or(-1);
                        record(
                            &state,
                            &caller,
                            id,
                            EventRequest {
                                kind: if retract { "retraction" } else { &form_name },
                                version,
                                payload,
                                corrects,
                                reason: Some(values.get("correction_reason")),
                            },
                            None,
                        )
                        .await
                    }
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(_) => {
                        return Redirect::to(&format!("/persons/{id}/programme")).into_response();
                    }
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => {
                        problems = form::problems(&e, lang)
                            .into_iter()
                            .map(|mut p| {
                                p.field = match p.field.as_str() {
                                    "payload.kind" => "session_kind".into(),
                                    "payload.minutes" => "hours".into(),
                                    "reason" if corrects.is_some() => "correction_reason".into(),
                                    other => other.trim_start_matches("payload.").to_string(),
                                };
                                p
                            })
                            .collect();
                    }
                }
            }
            values
        }
    };
    let mut fields = fields_of(&form_name, lang, &values);
    if corrects.is_some() {
        fields.push(Field::new(
            "correction_reason",
            w.correction_reason,
            "textarea",
            values.get("correction_reason"),
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
    let title = w.form(&form_name);
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
            "{}: {}; {}: {} {} {}",
            w.stage,
            in_lang(p.stage.label(), lang),
            w.hours,
            hours_and_minutes(p.credited_minutes),
            w.hours_of,
            hours_and_minutes(p.required_minutes)
        );
    }
    page.hidden = vec![
        ("version".into(), view.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
