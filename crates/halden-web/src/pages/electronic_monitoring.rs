//! The EM pages (issue 6, item 4): a person's EM case (`/persons/{id}/em`: the application, the
//! weekly schedule as a table, the device, breaches and their handling, custody and key dates;
//! read-only for the person themselves) and the probation officer's forms for a breach
//! (`/persons/{id}/em/breach`) and for revocation back to prison (`/persons/{id}/em/revocation`),
//! whose answer shows the new custody state and the recomputed dates with their §.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::{
    calc::DateKey,
    electronic_monitoring::{self as em, BreachKind, Handled, WEEKDAYS},
};
use serde_json::{Map, Value};

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, refusal, render, signed_in,
};
use crate::{
    AppState,
    api::parse_id,
    electronic_monitoring::{
        EmView, EventRequest, RevocationRequest, em_view, key_dates, record, revoke,
    },
    error::ApiError,
    i18n::Lang,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/em", get(em_page))
        .route("/persons/{id}/em/{kind}", get(form_get).post(form_post))
}

/// The words of the EM pages.
pub struct Words {
    pub title: &'static str,
    pub none: &'static str,
    pub stage: &'static str,
    pub door: &'static str,
    pub from: &'static str,
    pub address: &'static str,
    pub adults: &'static str,
    pub consent: &'static str,
    pub activity: &'static str,
    pub device: &'static str,
    pub period: &'static str,
    pub front_door: &'static str,
    pub schedule: &'static str,
    pub weekday: &'static str,
    pub at_home: &'static str,
    pub weekdays: [&'static str; 7],
    pub breaches: &'static str,
    pub when: &'static str,
    pub kind: &'static str,
    pub description: &'static str,
    pub handling: &'static str,
    pub unhandled: &'static str,
    pub custody: &'static str,
    pub status: &'static str,
    pub prison: &'static str,
    pub serving_start: &'static str,
    pub dates: &'static str,
    pub date: &'static str,
    pub rule: &'static str,
    pub explanation: &'static str,
    pub record: &'static str,
    pub breach_form: &'static str,
    pub revocation_form: &'static str,
    pub revocation_intro: &'static str,
    pub at: &'static str,
    pub reason: &'static str,
    pub reason_help: &'static str,
    pub breach: &'static str,
    pub save: &'static str,
    pub revoked: &'static str,
    pub revocation: &'static str,
}

const NB: Words = Words {
    title: "Elektronisk kontroll",
    none: "ingen",
    stage: "Status",
    door: "Ordning",
    from: "Fra",
    address: "Bostedsadresse",
    adults: "Voksne i hjemmet (skriftlig samtykke)",
    consent: "samtykke",
    activity: "Aktivitet på dagtid (R-EM-4)",
    device: "Utstyr (fotlenke)",
    period: "Periode i registeret",
    front_door: "Fra start (R-EM-2)",
    schedule: "Timeplan: når personen skal være hjemme (norsk tid)",
    weekday: "Ukedag",
    at_home: "Hjemme",
    weekdays: [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ],
    breaches: "Brudd og reaksjoner",
    when: "Når",
    kind: "Type",
    description: "Beskrivelse",
    handling: "Reaksjon",
    unhandled: "venter på reaksjon",
    custody: "Varetekt og soning",
    status: "Status",
    prison: "Fengsel",
    serving_start: "Soning startet",
    dates: "Nøkkeldatoer",
    date: "Dato",
    rule: "Regel",
    explanation: "Forklaring",
    record: "Registrer",
    breach_form: "Brudd på vilkår",
    revocation_form: "Omgjøring: tilbake til fengsel",
    revocation_intro: "Avslutter perioden med elektronisk kontroll dagen før innsettelsen og registrerer innsettelsen i fengsel, i én transaksjon. Datoene beregnes på nytt; dagene med elektronisk kontroll er sonte dager (strgjfl § 16 a).",
    at: "Tidspunkt",
    reason: "Begrunnelse (skriftlig, kreves)",
    reason_help: "Omgjøring er et inngripende vedtak og må begrunnes.",
    breach: "Bruddet omgjøringen gjelder (nr.)",
    save: "Lagre",
    revoked: "Elektronisk kontroll er omgjort. Personen er satt inn i fengsel, og datoene er beregnet på nytt.",
    revocation: "omgjort",
};

const EN: Words = Words {
    title: "Electronic monitoring",
    none: "none",
    stage: "Stage",
    door: "Scheme",
    from: "From",
    address: "Home address",
    adults: "Adults in the home (written consent)",
    consent: "consent",
    activity: "Daytime activity (R-EM-4)",
    device: "Device (ankle tag)",
    period: "Period in the register",
    front_door: "Front door (R-EM-2)",
    schedule: "Schedule: when the person must be at home (Norwegian time)",
    weekday: "Weekday",
    at_home: "At home",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    breaches: "Breaches and their handling",
    when: "When",
    kind: "Kind",
    description: "Description",
    handling: "Handling",
    unhandled: "awaiting handling",
    custody: "Custody and serving",
    status: "Status",
    prison: "Prison",
    serving_start: "Serving began",
    dates: "Key dates",
    date: "Date",
    rule: "Rule",
    explanation: "Explanation",
    record: "Record",
    breach_form: "Breach of conditions",
    revocation_form: "Revocation: back to prison",
    revocation_intro: "Ends the EM period the day before the admission and records the admission to prison, in one transaction. The dates are recomputed; the days on EM are served days (strgjfl § 16 a).",
    at: "Time",
    reason: "Reason (written, required)",
    reason_help: "Revocation is a restrictive decision and must give its reason.",
    breach: "The breach it answers (no.)",
    save: "Save",
    revoked: "EM is revoked. The person is admitted to prison and the dates are recomputed.",
    revocation: "revoked",
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

fn pick(lang: Lang, (en, nb): (&str, &str)) -> String {
    if lang == Lang::Nb { nb } else { en }.to_string()
}

struct BreachLine {
    id: i64,
    at: String,
    kind: String,
    description: String,
    handling: String,
}

struct DateLine {
    label: String,
    date: String,
    rule: String,
    explanation: String,
}

#[derive(Template)]
#[template(path = "electronic_monitoring.html")]
struct EmPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_id: i64,
    person_name: String,
    done: String,
    facts: Vec<(String, String)>,
    schedule: Vec<(String, String)>,
    has_schedule: bool,
    breaches: Vec<BreachLine>,
    custody: Vec<(String, String)>,
    dates: Vec<DateLine>,
    actions: Vec<(String, String)>,
}

fn em_page_of(
    view: &EmView,
    headers: &HeaderMap,
    caller: &crate::access::Caller,
    here: &str,
    done: &str,
) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let s = &view.state;
    let heading = format!("{} – {}", w.title, view.person.display_name());
    let mut facts = vec![(
        w.stage.to_string(),
        s.stage
            .map_or_else(|| w.none.to_string(), |st| pick(lang, st.label())),
    )];
    if let Some(a) = &s.application {
        facts.push((w.door.to_string(), pick(lang, a.door.label())));
        facts.push((w.from.to_string(), a.from.to_string()));
        facts.push((w.address.to_string(), a.address.clone()));
        let adults: Vec<String> = a
            .adults
            .iter()
            .map(|x| {
                format!(
                    "{} ({} {})",
                    x.name,
                    w.consent,
                    x.consent_date.map(|d| d.to_string()).unwrap_or_default()
                )
            })
            .collect();
        facts.push((
            w.adults.to_string(),
            if adults.is_empty() {
                w.none.to_string()
            } else {
                adults.join("; ")
            },
        ));
        facts.push((
            w.activity.to_string(),
            format!(
                "{}: {}",
                pick(lang, a.activity.kind.label()),
                a.activity.description
            ),
        ));
    }
    facts.push((
        w.device.to_string(),
        s.device.as_ref().map_or_else(
            || w.none.to_string(),
            |(serial, at)| format!("{serial} ({at})"),
        ),
    ));
    for (_, p) in &view.periods {
        facts.push((
            w.period.to_string(),
            format!("{} – {} ({})", p.from, p.until, p.office),
        ));
    }
    if let Some((en, nb)) = &view.figures.front_door_explanation {
        facts.push((
            w.front_door.to_string(),
            if lang == Lang::Nb {
                nb.clone()
            } else {
                en.clone()
            },
        ));
    }
    let schedule = s
        .schedule
        .as_ref()
        .map(|sch| {
            WEEKDAYS
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    let ranges: Vec<String> =
                        sch.days[i].iter().map(em::TimeRange::label).collect();
                    (
                        w.weekdays[i].to_string(),
                        if ranges.is_empty() {
                            w.none.to_string()
                        } else {
                            ranges.join(", ")
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let breaches = s
        .breaches
        .iter()
        .map(|b| BreachLine {
            id: b.id,
            at: b.at.to_string(),
            kind: pick(lang, b.kind.label()),
            description: b.description.clone(),
            handling: match &b.handled {
                None => w.unhandled.to_string(),
                Some(Handled::By(id, action)) => format!("{} (#{id})", pick(lang, action.label())),
                Some(Handled::Revocation(id)) => format!("{} (#{id})", w.revocation),
            },
        })
        .collect();
    let p = &view.person;
    let custody = vec![
        (w.status.to_string(), p.status.clone()),
        (
            w.prison.to_string(),
            p.prison_id.clone().unwrap_or_default(),
        ),
        (
            w.serving_start.to_string(),
            p.serving_start.clone().unwrap_or_default(),
        ),
    ];
    let dates = key_dates(p)
        .into_iter()
        .map(|d| DateLine {
            label: DateKey::parse(&d.key).map_or_else(|| d.key.clone(), |k| pick(lang, k.label())),
            date: d.date,
            rule: format!("{} ({})", d.rule, d.reference),
            explanation: if lang == Lang::Nb {
                d.explanation.1
            } else {
                d.explanation.0
            },
        })
        .collect();
    let actions = if view.may_write {
        let id = p.id;
        vec![
            (
                format!("/persons/{id}/em/breach"),
                w.breach_form.to_string(),
            ),
            (
                format!("/persons/{id}/em/revocation"),
                w.revocation_form.to_string(),
            ),
        ]
    } else {
        Vec::new()
    };
    render(&EmPage {
        c: chrome(headers, Some(caller), &heading, here),
        w,
        heading,
        person_id: p.id,
        person_name: p.display_name(),
        done: done.to_string(),
        facts,
        has_schedule: s.schedule.is_some(),
        schedule,
        breaches,
        custody,
        dates,
        actions,
    })
}

async fn em_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/em");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    match em_view(&state, &caller, id, "em").await {
        Ok(view) => em_page_of(&view, &headers, &caller, &here, ""),
        Err(e) => refusal(&headers, Some(&caller), e, &here),
    }
}

// ---------------------------------------------------------------------------------------------
// The forms

fn fields_of(kind: &str, w: &Words, lang: Lang, v: &Values) -> Vec<Field> {
    match kind {
        "breach" => vec![
            Field::new("kind", w.kind, "select", v.get("kind"), true).choose_from(
                BreachKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), pick(lang, k.label())))
                    .collect(),
            ),
            Field::new("at", w.at, "datetime-local", v.get("at"), true),
            Field::new(
                "description",
                w.description,
                "textarea",
                v.get("description"),
                true,
            ),
        ],
        _ => vec![
            Field::new("at", w.at, "datetime-local", v.get("at"), true),
            Field::new("prison", w.prison, "text", v.get("prison"), true),
            Field::new("breach", w.breach, "text", v.get("breach"), false),
            Field::new("reason", w.reason, "textarea", v.get("reason"), true).help(w.reason_help),
        ],
    }
}

async fn form_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    form_page(state, headers, id, kind, None).await
}

async fn form_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Form(values): Form<Values>,
) -> Response {
    form_page(state, headers, id, kind, Some(values)).await
}

/// A `datetime-local` value (`2025-02-20T10:00`) as the API's civil time.
fn datetime_of(text: &str) -> Result<jiff::civil::DateTime, ApiError> {
    text.trim().parse().map_err(|_| {
        ApiError::invalid_bilingual(
            "at",
            "give a date and time, YYYY-MM-DDTHH:MM",
            "oppgi dato og klokkeslett, ÅÅÅÅ-MM-DDTTT:MM",
        )
    })
}

async fn form_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    kind: String,
    submitted: Option<Values>,
) -> Response {
    let here = format!("/persons/{id}/em/{kind}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    if kind != "breach" && kind != "revocation" {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    if caller.role != crate::access::Role::Probation {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let view = match em_view(&state, &caller, id, "em_form").await {
        Ok(v) if v.may_write => v,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let mut problems = Vec::new();
    let values = match submitted {
        None => Values::default(),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let fields = fields_of(&kind, w, lang, &values);
            problems = form::required_problems(&fields, lang.texts());
            if problems.is_empty() {
                let version = values.get("version").parse::<i64>().unwrap_or(-1);
                let outcome = if kind == "breach" {
                    let mut map = Map::new();
                    for k in ["kind", "at", "description"] {
                        map.insert(k.into(), Value::String(values.get(k).trim().to_string()));
                    }
                    record(
                        &state,
                        &caller,
                        id,
                        EventRequest {
                            kind: "breach",
                            version,
                            payload: Value::Object(map),
                        },
                        None,
                    )
                    .await
                    .map(|_| None)
                } else {
                    let breach = values.get("breach").trim();
                    let register_version =
                        values.get("register_version").parse::<i64>().unwrap_or(-1);
                    match (
                        datetime_of(values.get("at")),
                        if breach.is_empty() {
                            Ok(None)
                        } else {
                            breach
                                .trim_start_matches('#')
                                .parse::<i64>()
                                .map(Some)
                                .map_err(|_| {
                                    ApiError::invalid_bilingual(
                                        "breach",
                                        "give the breach's number",
                                        "oppgi bruddets nummer",
                                    )
                                })
                        },
                    ) {
                        (Ok(at), Ok(breach)) => revoke(
                            &state,
                            &caller,
                            id,
                            RevocationRequest {
                                version,
                                register_version,
                                at,
                                prison: values.get("prison").to_string(),
                                breach,
                                reason: values.get("reason").to_string(),
                            },
                            None,
                        )
                        .await
                        .map(Some),
                        (Err(e), _) | (_, Err(e)) => Err(e),
                    }
                };
                match outcome {
                    Ok(None) => return Redirect::to(&format!("/persons/{id}/em")).into_response(),
                    Ok(Some(appended)) => {
                        // The author of the revocation sees its result, read after the write (the
                        // EM period has ended, so the office's scope may have ended with it).
                        if let Err(e) = state
                            .store
                            .log_access(
                                caller.user.id,
                                &caller.user.username,
                                caller.role.as_str(),
                                id,
                                "em_revoked",
                                None,
                            )
                            .await
                        {
                            return refusal(&headers, Some(&caller), e.into(), &here);
                        }
                        let after = match crate::electronic_monitoring::view_after(
                            &state,
                            &caller,
                            appended.person,
                        )
                        .await
                        {
                            Ok(v) => v,
                            Err(e) => return refusal(&headers, Some(&caller), e, &here),
                        };
                        let page = format!("/persons/{id}/em");
                        return em_page_of(&after, &headers, &caller, &page, w.revoked);
                    }
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => {
                        problems = form::problems(&e, lang)
                            .into_iter()
                            .map(|mut p| {
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
    let fields = fields_of(&kind, w, lang, &values);
    let title = if kind == "breach" {
        w.breach_form
    } else {
        w.revocation_form
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), title, &here),
        &format!("{title} – {}", view.person.display_name()),
        &here,
        fields,
    );
    if kind == "revocation" {
        page.intro = w.revocation_intro.to_string();
    }
    page.hidden = vec![
        ("version".into(), view.events.len().to_string()),
        ("register_version".into(), view.person.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
