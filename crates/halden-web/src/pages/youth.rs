//! The youth sentence pages (issue 6, item 8; R-YOUTH-3): `/persons/{id}/youth` (the boundary:
//! executed by the mediation service; the execution period's end from the engine; the handovers
//! to the mediation service; the § 52 c orders and the serving they started) and its two forms,
//! `/persons/{id}/youth/handover` (`?corrects=ID` corrects or retracts one) and
//! `/persons/{id}/youth/order`. Halden has no form for the youth plan's content.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_storage::EntryRow;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, refusal, render, signed_in,
};
use crate::{
    AppState,
    access::YouthRead,
    api::parse_id,
    error::ApiError,
    i18n::Lang,
    youth::{
        BOUNDARY, EventRequest, YouthSentence, YouthView, record_handover, record_order,
        youth_sentences, youth_view,
    },
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/youth", get(youth_page))
        .route(
            "/persons/{id}/youth/{form}",
            get(event_form).post(event_submit),
        )
}

/// The words of the youth pages.
pub struct Words {
    pub title: &'static str,
    pub sentences: &'static str,
    pub case_number: &'static str,
    pub court: &'static str,
    pub decision_date: &'static str,
    pub period: &'static str,
    pub alternative: &'static str,
    pub period_end: &'static str,
    pub no_end: &'static str,
    pub handovers: &'static str,
    pub orders: &'static str,
    pub none: &'static str,
    pub record: &'static str,
    pub correct: &'static str,
    pub handover_form: &'static str,
    pub order_form: &'static str,
    pub date: &'static str,
    pub mediation_service: &'static str,
    pub mediation_service_help: &'static str,
    pub decided_on: &'static str,
    pub days: &'static str,
    pub days_help: &'static str,
    pub received: &'static str,
    pub received_help: &'static str,
    pub order_court_help: &'static str,
    pub order_intro: &'static str,
    pub correction_reason: &'static str,
    pub retract: &'static str,
    pub save: &'static str,
    pub handed_over: &'static str,
    pub recorded_by: &'static str,
    pub ordered: &'static str,
    pub serving_status: &'static str,
    pub latest_start: &'static str,
    pub queue_from: &'static str,
    pub months: &'static str,
    pub days_word: &'static str,
    pub years: &'static str,
    pub open_page: &'static str,
}

const NB: Words = Words {
    title: "Ungdomsstraff",
    sentences: "Dommer på ungdomsstraff",
    case_number: "Saksnummer",
    court: "Domstol",
    decision_date: "Domsdato",
    period: "Gjennomføringstid (måneder)",
    alternative: "Subsidiær fengselsstraff",
    period_end: "Gjennomføringstiden slutter",
    no_end: "Straffeberegningen gir ingen slutt på gjennomføringstiden.",
    handovers: "Overført til konfliktrådet",
    orders: "Kjennelse om fullbyrding av subsidiær straff (strl § 52 c)",
    none: "Ingen.",
    record: "Registrer",
    correct: "Rett",
    handover_form: "Overføring til konfliktrådet",
    order_form: "Kjennelse etter strl § 52 c",
    date: "Dato",
    mediation_service: "Konfliktråd",
    mediation_service_help: "Hvilket konfliktråd saken er overført til, f.eks. Konfliktrådet i Oslo.",
    decided_on: "Kjennelsesdato",
    days: "Dager som skal fullbyrdes",
    days_help: "Hele eller deler av den subsidiære fengselsstraffen.",
    received: "Mottatt av kriminalomsorgen",
    received_help: "Fra denne dagen gjelder fristen på 60 dager (R-INNK-1) og soningskøen (R-QUEUE-1).",
    order_court_help: "Tingretten som avsa kjennelsen.",
    order_intro: "Tingretten kan ved brudd eller ny straffbar handling beslutte at den subsidiære fengselsstraffen fullbyrdes helt eller delvis (strl § 52 c). Dagene som fullbyrdes er en fengselsstraff som venter på soning fra den dagen kriminalomsorgen mottok kjennelsen.",
    correction_reason: "Begrunnelse for rettelsen",
    retract: "Trekk tilbake (registrert ved en feil)",
    save: "Lagre",
    handed_over: "overført",
    recorded_by: "registrert av",
    ordered: "dager skal fullbyrdes",
    serving_status: "Soning",
    latest_start: "seneste soningsstart (R-INNK-1)",
    queue_from: "i soningskøen fra (R-QUEUE-1)",
    months: "måneder",
    days_word: "dager",
    years: "år",
    open_page: "Ungdomsstraff: overføring og kjennelser",
};

const EN: Words = Words {
    title: "Youth sentence",
    sentences: "Judgments to a youth sentence",
    case_number: "Case number",
    court: "Court",
    decision_date: "Decision date",
    period: "Execution period (months)",
    alternative: "Alternative prison sentence",
    period_end: "End of the execution period",
    no_end: "The sentence calculation gives no end of the execution period.",
    handovers: "Handed over to the mediation service",
    orders: "Order to execute the alternative sentence (strl § 52 c)",
    none: "None.",
    record: "Record",
    correct: "Correct",
    handover_form: "Handover to the mediation service",
    order_form: "Order under strl § 52 c",
    date: "Date",
    mediation_service: "Mediation service",
    mediation_service_help: "Which konfliktråd the case is handed over to, e.g. Konfliktrådet i Oslo.",
    decided_on: "Date of the order",
    days: "Days to be executed",
    days_help: "All or part of the alternative prison sentence.",
    received: "Received by the correctional service",
    received_help: "The 60-day limit (R-INNK-1) and the serving queue (R-QUEUE-1) run from this day.",
    order_court_help: "The district court that made the order.",
    order_intro: "On a breach or a new offence the district court may order the alternative prison sentence executed wholly or partly (strl § 52 c). The days ordered are a prison sentence waiting to be served from the day the correctional service received the order.",
    correction_reason: "Reason for the correction",
    retract: "Retract (recorded in error)",
    save: "Save",
    handed_over: "handed over",
    recorded_by: "recorded by",
    ordered: "days to be executed",
    serving_status: "Serving",
    latest_start: "latest serving start (R-INNK-1)",
    queue_from: "in the serving queue from (R-QUEUE-1)",
    months: "months",
    days_word: "days",
    years: "years",
    open_page: "Youth sentence: handover and orders",
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// One youth sentence on a page.
pub struct SentenceLine {
    pub case_number: String,
    pub court: String,
    pub decision_date: String,
    pub months: u32,
    pub alternative: String,
    /// The execution period's last day (or the words for none).
    pub end: String,
    /// Rule and §.
    pub rule: String,
    pub explanation: String,
}

fn sentence_line(s: &YouthSentence, lang: Lang) -> SentenceLine {
    let w = words(lang);
    let parts: Vec<String> = [
        (s.alternative.years, w.years),
        (s.alternative.months, w.months),
        (s.alternative.days, w.days_word),
    ]
    .into_iter()
    .filter_map(|(n, unit)| n.map(|n| format!("{n} {unit}")))
    .collect();
    let (end, rule, explanation) = match &s.period {
        Some(p) => (
            p.end.to_string(),
            format!("{} ({})", p.rule, p.reference),
            if lang == Lang::Nb {
                p.explanation.1.clone()
            } else {
                p.explanation.0.clone()
            },
        ),
        None => (w.no_end.to_string(), String::new(), String::new()),
    };
    SentenceLine {
        case_number: s.judgment.case_number.clone(),
        court: s.judgment.court.clone(),
        decision_date: s.judgment.decision_date.to_string(),
        months: s.months,
        alternative: parts.join(" "),
        end,
        rule,
        explanation,
    }
}

/// The person page's youth section: the boundary, each youth sentence's execution period end,
/// and the link to the youth page. `None` without a youth sentence.
pub struct PersonSection {
    pub boundary: &'static str,
    pub sentences: Vec<SentenceLine>,
    pub link: String,
    pub link_text: &'static str,
    pub heading: &'static str,
    pub period_end: &'static str,
}

/// The youth section of the person page, from the person's entries.
pub fn person_section(person_id: i64, entries: &[EntryRow], lang: Lang) -> Option<PersonSection> {
    let sentences = youth_sentences(entries);
    if sentences.is_empty() {
        return None;
    }
    let w = words(lang);
    Some(PersonSection {
        boundary: lang.pick(BOUNDARY),
        sentences: sentences.iter().map(|s| sentence_line(s, lang)).collect(),
        link: format!("/persons/{person_id}/youth"),
        link_text: w.open_page,
        heading: w.title,
        period_end: w.period_end,
    })
}

#[derive(Template)]
#[template(path = "youth.html")]
struct YouthPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_id: i64,
    person_name: String,
    boundary: &'static str,
    full: bool,
    sentences: Vec<SentenceLine>,
    /// (text, correction href).
    handovers: Vec<(String, Option<String>)>,
    orders: Vec<String>,
    serving: String,
    actions: Vec<(String, &'static str)>,
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn youth_page_of(
    view: &YouthView,
    headers: &HeaderMap,
    caller: &crate::access::Caller,
    here: &str,
) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let handovers = view
        .handovers()
        .into_iter()
        .map(|e| {
            let p = e.payload_json();
            (
                format!(
                    "{} {} {} · {} {}",
                    text(&p, "mediation_service"),
                    w.handed_over,
                    text(&p, "date"),
                    w.recorded_by,
                    e.recorded_by_name
                ),
                view.may_write.then(|| {
                    format!(
                        "/persons/{}/youth/handover?corrects={}",
                        view.person.id, e.id
                    )
                }),
            )
        })
        .collect();
    let orders: Vec<String> = view
        .orders()
        .into_iter()
        .map(|e| {
            let p = e.payload_json();
            format!(
                "{} {} ({}), {}: {} {} · {}: {}",
                text(&p, "court"),
                text(&p, "decided_on"),
                text(&p, "case_number"),
                w.ordered,
                text(&p, "days"),
                w.days_word,
                w.received,
                text(&p, "received"),
            )
        })
        .collect();
    let serving = if orders.is_empty() {
        String::new()
    } else {
        let doc: Option<Value> = view
            .person
            .dates_json
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok());
        let summons = doc.as_ref().and_then(|d| d.get("summons"));
        match summons {
            Some(s) => format!(
                "{}: {} {} · {} {}",
                w.serving_status,
                w.latest_start,
                text(s, "latest_start"),
                w.queue_from,
                text(s, "queue_from"),
            ),
            None => String::new(),
        }
    };
    let actions = if view.may_write {
        vec![
            (
                format!("/persons/{}/youth/handover", view.person.id),
                w.handover_form,
            ),
            (
                format!("/persons/{}/youth/order", view.person.id),
                w.order_form,
            ),
        ]
    } else {
        Vec::new()
    };
    let name = view.person.display_name();
    render(&YouthPage {
        c: chrome(headers, Some(caller), w.title, here),
        w,
        heading: format!("{} – {name}", w.title),
        person_id: view.person.id,
        person_name: name,
        boundary: lang.pick(BOUNDARY),
        full: view.read == YouthRead::Full,
        sentences: view
            .sentences
            .iter()
            .map(|s| sentence_line(s, lang))
            .collect(),
        handovers,
        orders,
        serving,
        actions,
    })
}

async fn youth_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/youth");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    match youth_view(&state, &caller, id, "youth").await {
        Ok(view) => youth_page_of(&view, &headers, &caller, &here),
        Err(e) => refusal(&headers, Some(&caller), e, &here),
    }
}

#[derive(Deserialize, Default)]
struct CorrectsQuery {
    corrects: Option<String>,
}

fn fields_of(form: &str, lang: Lang, v: &Values) -> Vec<Field> {
    let w = words(lang);
    match form {
        "handover" => vec![
            Field::new("date", w.date, "date", v.get("date"), true),
            Field::new(
                "mediation_service",
                w.mediation_service,
                "text",
                v.get("mediation_service"),
                true,
            )
            .help(w.mediation_service_help),
        ],
        _ => vec![
            Field::new("court", w.court, "text", v.get("court"), true).help(w.order_court_help),
            Field::new(
                "case_number",
                w.case_number,
                "text",
                v.get("case_number"),
                true,
            ),
            Field::new(
                "decided_on",
                w.decided_on,
                "date",
                v.get("decided_on"),
                true,
            ),
            Field::new("days", w.days, "number", v.get("days"), true).help(w.days_help),
            Field::new("received", w.received, "date", v.get("received"), true)
                .help(w.received_help),
        ],
    }
}

/// The payload a form's values make (a number that is not one is passed as text, so that the
/// API's own check names the field).
fn payload_of(form: &str, v: &Values) -> Value {
    let trimmed = |k: &str| v.get(k).trim().to_string();
    match form {
        "handover" => {
            json!({"date": trimmed("date"), "mediation_service": trimmed("mediation_service")})
        }
        _ => json!({
            "court": trimmed("court"),
            "case_number": trimmed("case_number"),
            "decided_on": trimmed("decided_on"),
            "days": trimmed("days").parse::<i64>().map_or_else(|_| json!(trimmed("days")), |n| json!(n)),
            "received": trimmed("received"),
        }),
    }
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
    let here = format!("/persons/{id}/youth/{form_name}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    if form_name != "handover" && form_name != "order" {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    if !caller.may_record_youth() {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view = match youth_view(&state, &caller, id, "youth_form").await {
        Ok(v) if !v.sentences.is_empty() => v,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let corrects = query
        .corrects
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok());
    let corrected = corrects.and_then(|c| {
        view.events
            .iter()
            .find(|e| e.id == c && e.kind == "youth.handover")
    });
    if corrects.is_some() && (corrected.is_none() || form_name != "handover") {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    let today = state.today().to_string();
    let mut problems = Vec::new();
    let values = match submitted {
        None => match corrected {
            Some(e) => {
                let p = e.payload_json();
                Values::of(&[
                    ("date", text(&p, "date").as_str()),
                    ("mediation_service", text(&p, "mediation_service").as_str()),
                ])
            }
            None if form_name == "handover" => Values::of(&[("date", today.as_str())]),
            None => Values::of(&[("received", today.as_str())]),
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
                let version = values.get("version").parse::<i64>().unwrap_or(-1);
                let payload = if retract {
                    json!({})
                } else {
                    payload_of(&form_name, &values)
                };
                let request = EventRequest {
                    kind: match (form_name.as_str(), retract) {
                        (_, true) => "retraction",
                        ("handover", false) => "handover",
                        _ => "alternative_ordered",
                    },
                    version,
                    payload,
                    corrects,
                    reason: Some(values.get("correction_reason")),
                };
                let outcome = if form_name == "handover" {
                    record_handover(&state, &caller, id, request, None)
                        .await
                        .map(|_| ())
                } else {
                    record_order(&state, &caller, id, request, None)
                        .await
                        .map(|_| ())
                };
                match outcome {
                    Ok(()) => return Redirect::to(&format!("/persons/{id}/youth")).into_response(),
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => {
                        problems = form::problems(&e, lang)
                            .into_iter()
                            .map(|mut p| {
                                p.field = p.field.trim_start_matches("payload.").to_string();
                                if p.field == "reason" && corrects.is_some() {
                                    p.field = "correction_reason".into();
                                }
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
    let title = if form_name == "handover" {
        w.handover_form
    } else {
        w.order_form
    };
    let action = match corrects {
        Some(c) => format!("{here}?corrects={c}"),
        None => here.clone(),
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), title, &here),
        &format!("{title} – {}", view.person.display_name()),
        &action,
        fields,
    );
    page.intro = if form_name == "order" {
        let alternative = view
            .sentences
            .last()
            .map(|s| sentence_line(s, lang).alternative)
            .unwrap_or_default();
        format!("{} {}: {alternative}.", w.order_intro, w.alternative)
    } else {
        lang.pick(BOUNDARY).to_string()
    };
    page.hidden = vec![
        ("version".into(), view.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
