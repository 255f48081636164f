//! The parole supervision pages (issue 6, item 5): a person's supervision
//! (`/persons/{id}/parole`: the probation end on the engine's R-PAR-4 date, the conditions in
//! effect, the reporting schedule with missed reports highlighted, the reporting log and every
//! event; read-only for the person themselves) and its forms (`/persons/{id}/parole/{form}`: one
//! per condition type, a report, a breach, a warning, the case to the court; `?corrects=ID`
//! corrects or retracts an event).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::parole::{self, Condition, ConditionKind, Event, Frequency};
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
    parole::{EventRequest, PREFIX, ParoleView, event_from_payload, parole_view, record},
    probation::location_name,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/parole", get(parole_page))
        .route(
            "/persons/{id}/parole/{form}",
            get(event_form).post(event_submit),
        )
}

/// The words of the parole pages.
pub struct Words {
    pub title: &'static str,
    pub no_supervision: &'static str,
    pub office: &'static str,
    pub period: &'static str,
    pub probation_end: &'static str,
    pub no_end: &'static str,
    pub stage: &'static str,
    pub next_due: &'static str,
    pub missed_heading: &'static str,
    pub missed_none: &'static str,
    pub conditions: &'static str,
    pub schedule: &'static str,
    pub reports: &'static str,
    pub log: &'static str,
    pub date: &'static str,
    pub what: &'static str,
    pub recorded: &'static str,
    pub corrects: &'static str,
    pub correct: &'static str,
    pub record: &'static str,
    pub none: &'static str,
    pub reported: &'static str,
    pub missed: &'static str,
    pub met: &'static str,
    pub sober: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub from: &'static str,
    pub until: &'static str,
    pub until_help: &'static str,
    pub reason: &'static str,
    pub reason_help: &'static str,
    pub weekday: &'static str,
    pub weekday_help: &'static str,
    pub every_days: &'static str,
    pub every_days_help: &'static str,
    pub weekly_on: &'static str,
    pub every_n: &'static str,
    pub location: &'static str,
    pub substances: &'static str,
    pub testing: &'static str,
    pub address: &'static str,
    pub municipality: &'static str,
    pub provider: &'static str,
    pub place: &'static str,
    pub description: &'static str,
    pub persons: &'static str,
    pub persons_help: &'static str,
    pub note: &'static str,
    pub condition: &'static str,
    pub correction_reason: &'static str,
    pub retract: &'static str,
    pub retracted: &'static str,
    pub save: &'static str,
    pub breaches: &'static str,
    pub warnings: &'static str,
    pub weekdays: [&'static str; 7],
    pub forms: [(&'static str, &'static str); 10],
    pub stages: [(&'static str, &'static str); 4],
}

const NB: Words = Words {
    title: "Prøveløslatelse",
    no_supervision: "Personen er ikke registrert med prøveløslatelse.",
    office: "Kontorsted",
    period: "Oppfølging",
    probation_end: "Prøvetiden utløper",
    no_end: "Straffeberegningen gir ingen dato for prøvetidens slutt.",
    stage: "Status",
    next_due: "Neste oppmøte",
    missed_heading: "Uteblitte oppmøter",
    missed_none: "Ingen uteblitte oppmøter.",
    conditions: "Vilkår som gjelder i dag",
    schedule: "Oppmøteplan",
    reports: "Oppmøter",
    log: "Logg (vilkår, oppmøter, brudd, advarsler, rettelser)",
    date: "Dato",
    what: "Hva",
    recorded: "Registrert",
    corrects: "retter",
    correct: "Rett",
    record: "Registrer",
    none: "ingen",
    reported: "Møtt",
    missed: "Ikke møtt",
    met: "møtt",
    sober: "Edru",
    yes: "Ja",
    no: "Nei",
    from: "Gjelder fra",
    until: "Gjelder til og med",
    until_help: "Tom: hele prøvetiden.",
    reason: "Begrunnelse",
    reason_help: "Kreves for et nytt vilkår fastsatt etter at oppfølgingen startet (R-PAR-5).",
    weekday: "Ukedag (ukentlig oppmøte)",
    weekday_help: "Velg en ukedag, eller oppgi antall dager mellom oppmøtene.",
    every_days: "Antall dager mellom oppmøtene",
    every_days_help: "Første oppmøte er første dag vilkåret gjelder.",
    weekly_on: "hver {}",
    every_n: "hver {}. dag",
    location: "Oppmøtested",
    substances: "Rusmidler",
    testing: "Kontroll",
    address: "Adresse",
    municipality: "Kommune",
    provider: "Behandlingssted",
    place: "Arbeidsgiver eller skole",
    description: "Beskrivelse",
    persons: "Personer",
    persons_help: "Ett navn per linje.",
    note: "Merknad",
    condition: "Vilkår",
    correction_reason: "Begrunnelse for rettelsen",
    retract: "Trekk tilbake (registrert ved en feil)",
    retracted: "Trukket tilbake",
    save: "Lagre",
    breaches: "Brudd",
    warnings: "Advarsler",
    weekdays: [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ],
    forms: [
        ("reporting", "Vilkår: meldeplikt"),
        ("sobriety", "Vilkår: avholdsvilkår"),
        ("residence", "Vilkår: bosted"),
        ("treatment", "Vilkår: behandling"),
        ("work_or_training", "Vilkår: arbeid eller opplæring"),
        ("no_contact", "Vilkår: kontaktforbud"),
        ("report", "Oppmøte"),
        ("breach", "Brudd på vilkår"),
        ("warning", "Advarsel (R-PAR-5)"),
        (
            "court_case",
            "Sak om gjeninnsettelse sendt retten (R-PAR-5)",
        ),
    ],
    stages: [
        ("active", "under oppfølging"),
        ("warned", "advart"),
        ("with_court", "sak om gjeninnsettelse hos retten"),
        ("ended", "prøvetiden er utløpt"),
    ],
};

const EN: Words = Words {
    title: "Parole supervision",
    no_supervision: "The person is not registered as on parole.",
    office: "Location",
    period: "Supervision",
    probation_end: "End of probation",
    no_end: "The sentence calculation gives no end of probation.",
    stage: "Stage",
    next_due: "Next report",
    missed_heading: "Missed reports",
    missed_none: "No missed reports.",
    conditions: "Conditions in effect today",
    schedule: "Reporting schedule",
    reports: "Reports",
    log: "Log (conditions, reports, breaches, warnings, corrections)",
    date: "Date",
    what: "What",
    recorded: "Recorded",
    corrects: "corrects",
    correct: "Correct",
    record: "Record",
    none: "none",
    reported: "Reported",
    missed: "Missed",
    met: "reported",
    sober: "Sober",
    yes: "Yes",
    no: "No",
    from: "In effect from",
    until: "In effect until",
    until_help: "Empty: the whole probation period.",
    reason: "Reason",
    reason_help: "Required for a new condition set after supervision began (R-PAR-5).",
    weekday: "Weekday (weekly reporting)",
    weekday_help: "Choose a weekday, or give the number of days between reports.",
    every_days: "Days between reports",
    every_days_help: "The first report is on the condition's first day.",
    weekly_on: "every {}",
    every_n: "every {} days",
    location: "Where to report",
    substances: "Substances",
    testing: "Testing",
    address: "Address",
    municipality: "Municipality",
    provider: "Treatment provider",
    place: "Employer or school",
    description: "Description",
    persons: "Persons",
    persons_help: "One name per line.",
    note: "Note",
    condition: "Condition",
    correction_reason: "Reason for the correction",
    retract: "Retract (recorded in error)",
    retracted: "Retracted",
    save: "Save",
    breaches: "Breaches",
    warnings: "Warnings",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    forms: [
        ("reporting", "Condition: reporting"),
        ("sobriety", "Condition: sobriety"),
        ("residence", "Condition: residence"),
        ("treatment", "Condition: treatment"),
        ("work_or_training", "Condition: work or training"),
        ("no_contact", "Condition: no contact"),
        ("report", "Report"),
        ("breach", "Breach of conditions"),
        ("warning", "Warning (R-PAR-5)"),
        (
            "court_case",
            "Case for re-imprisonment sent to the court (R-PAR-5)",
        ),
    ],
    stages: [
        ("active", "under supervision"),
        ("warned", "warned"),
        ("with_court", "case for re-imprisonment with the court"),
        ("ended", "probation period over"),
    ],
};

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

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

    fn stage(&self, stage: &str) -> String {
        self.stages
            .iter()
            .find(|(k, _)| *k == stage)
            .map_or_else(|| stage.to_string(), |(_, w)| (*w).to_string())
    }

    fn weekday(&self, day: &str) -> String {
        WEEKDAYS
            .iter()
            .position(|d| *d == day)
            .map_or_else(|| day.to_string(), |i| self.weekdays[i].to_string())
    }
}

fn label(kind: ConditionKind, lang: Lang) -> &'static str {
    let (en, nb) = kind.label();
    if lang == Lang::Nb { nb } else { en }
}

/// A condition in words.
fn describe_condition(condition: &Condition, w: &Words, lang: Lang) -> String {
    let kind = label(condition.kind(), lang);
    let join = |parts: &[&str]| {
        parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let details = match condition {
        Condition::Reporting(s) => {
            let how = match s.frequency {
                Frequency::Weekly(day) => w
                    .weekly_on
                    .replace("{}", &w.weekday(parole::weekday_name(day))),
                Frequency::EveryDays(n) => w.every_n.replace("{}", &n.to_string()),
            };
            format!("{how}, {}", location_name(&s.location))
        }
        Condition::Sobriety {
            substances,
            testing,
        } => join(&[substances, testing]),
        Condition::Residence {
            address,
            municipality,
        } => join(&[address, municipality]),
        Condition::Treatment {
            provider,
            description,
        } => join(&[provider, description]),
        Condition::WorkOrTraining { place, description } => join(&[place, description]),
        Condition::NoContact { persons } => persons.join(", "),
    };
    format!("{kind}: {details}")
}

fn describe(event: &Event, w: &Words, lang: Lang) -> String {
    match event {
        Event::Condition {
            condition,
            from,
            until,
            reason,
        } => {
            let mut s = format!(
                "{} ({} {from}",
                describe_condition(condition, w, lang),
                w.from.to_lowercase()
            );
            if let Some(u) = until {
                s.push_str(&format!(", {} {u}", w.until.to_lowercase()));
            }
            s.push(')');
            if !reason.is_empty() {
                s.push_str(&format!(" – {reason}"));
            }
            s
        }
        Event::Report { sober, note, .. } => {
            let base = format!(
                "{}; {}: {}",
                w.form("report"),
                w.sober.to_lowercase(),
                if *sober { w.yes } else { w.no }
            );
            if note.is_empty() {
                base
            } else {
                format!("{base} – {note}")
            }
        }
        Event::Breach {
            condition,
            description,
            ..
        } => format!(
            "{} ({}): {description}",
            w.form("breach"),
            label(*condition, lang)
        ),
        Event::Warning { description, .. } => format!("{}: {description}", w.form("warning")),
        Event::CourtCase { description, .. } => {
            format!("{}: {description}", w.form("court_case"))
        }
    }
}

/// The form a stored event is corrected through.
fn form_of(kind: &str, payload: &Value) -> String {
    if kind == "condition" {
        payload["type"].as_str().unwrap_or_default().to_string()
    } else {
        kind.to_string()
    }
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

struct DueLine {
    date: String,
    reported: String,
    missed: bool,
}

#[derive(Template)]
#[template(path = "parole.html")]
struct ParolePage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_id: i64,
    person_name: String,
    has_supervision: bool,
    facts: Vec<(String, String)>,
    end: String,
    end_rule: String,
    end_explanation: String,
    missed: Vec<String>,
    conditions: Vec<String>,
    due: Vec<DueLine>,
    reports: Vec<(String, String, String)>,
    log: Vec<LogLine>,
    actions: Vec<(String, String)>,
}

fn parole_page_of(
    view: &ParoleView,
    headers: &HeaderMap,
    caller: &crate::access::Caller,
    here: &str,
) -> Response {
    let lang = lang(headers);
    let w = words(lang);
    let heading = format!("{} – {}", w.title, view.person.display_name());
    let mut facts = Vec::new();
    if let Some(s) = &view.supervision {
        facts.push((w.office.to_string(), location_name(&s.office)));
        facts.push((w.period.to_string(), format!("{} – {}", s.from, s.until)));
    }
    let (mut end, mut end_rule, mut end_explanation) =
        (String::new(), String::new(), String::new());
    if let Some(e) = &view.end {
        end = e.date.to_string();
        end_rule = format!("{} ({})", e.rule, e.reference);
        end_explanation = if lang == Lang::Nb {
            e.explanation.1.clone()
        } else {
            e.explanation.0.clone()
        };
    }
    let mut missed = Vec::new();
    let mut conditions = Vec::new();
    let mut due = Vec::new();
    if let Some(s) = &view.state {
        facts.push((w.stage.to_string(), w.stage(s.stage.as_str())));
        facts.push((
            w.next_due.to_string(),
            s.next_due
                .map_or_else(|| w.none.to_string(), |d| d.to_string()),
        ));
        facts.push((w.breaches.to_string(), s.breaches.to_string()));
        facts.push((w.warnings.to_string(), s.warnings.to_string()));
        missed = s.missed().iter().map(ToString::to_string).collect();
        conditions = s
            .conditions
            .iter()
            .map(|(_, c)| describe_condition(c, w, lang))
            .collect();
        due = s
            .due
            .iter()
            .rev()
            .map(|d| DueLine {
                date: d.date.to_string(),
                reported: d.reported.map(|r| r.to_string()).unwrap_or_default(),
                missed: d.missed(),
            })
            .collect();
    }
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
    let reports = view
        .events
        .iter()
        .zip(&parsed)
        .filter(|(e, _)| e.kind == "parole.report")
        .filter_map(|(_, ev)| match ev {
            Some(Event::Report { date, sober, note }) => Some((
                date.to_string(),
                (if *sober { w.yes } else { w.no }).to_string(),
                note.clone(),
            )),
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
            what: ev
                .as_ref()
                .map_or_else(|| w.retracted.to_string(), |x| describe(x, w, lang)),
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
                    "/persons/{}/parole/{}?corrects={}",
                    view.person.id,
                    form_of(e.kind.trim_start_matches(PREFIX), &e.payload_json()),
                    e.id
                )
            }),
        })
        .collect();
    let actions = if view.may_write && view.supervision.is_some() {
        let id = view.person.id;
        w.forms
            .iter()
            .map(|(k, label)| (format!("/persons/{id}/parole/{k}"), (*label).to_string()))
            .collect()
    } else {
        Vec::new()
    };
    render(&ParolePage {
        c: chrome(headers, Some(caller), &heading, here),
        w,
        heading,
        person_id: view.person.id,
        person_name: view.person.display_name(),
        has_supervision: view.supervision.is_some(),
        facts,
        end,
        end_rule,
        end_explanation,
        missed,
        conditions,
        due,
        reports,
        log,
        actions,
    })
}

async fn parole_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/parole");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    match parole_view(&state, &caller, id, "parole").await {
        Ok(view) => parole_page_of(&view, &headers, &caller, &here),
        Err(e) => refusal(&headers, Some(&caller), e, &here),
    }
}

// ---------------------------------------------------------------------------------------------
// The forms

#[derive(Deserialize, Default)]
struct CorrectsQuery {
    corrects: Option<String>,
}

fn is_condition(form: &str) -> bool {
    ConditionKind::parse(form).is_some()
}

fn fields_of(form: &str, lang: Lang, v: &Values) -> Vec<Field> {
    let w = words(lang);
    let text = |name: &str, label: &str, required: bool| {
        Field::new(name, label, "text", v.get(name), required)
    };
    let area = |name: &str, label: &str, required: bool| {
        Field::new(name, label, "textarea", v.get(name), required)
    };
    let date = || Field::new("date", w.date, "date", v.get("date"), true);
    let mut fields = Vec::new();
    if is_condition(form) {
        fields.push(Field::new("from", w.from, "date", v.get("from"), true));
        fields.push(Field::new("until", w.until, "date", v.get("until"), false).help(w.until_help));
    }
    match form {
        "reporting" => {
            let mut days = vec![(String::new(), "–".to_string())];
            days.extend(WEEKDAYS.iter().map(|d| ((*d).to_string(), w.weekday(d))));
            fields.push(
                Field::new("weekday", w.weekday, "select", v.get("weekday"), false)
                    .options(days)
                    .help(w.weekday_help),
            );
            fields.push(
                Field::new(
                    "every_days",
                    w.every_days,
                    "text",
                    v.get("every_days"),
                    false,
                )
                .help(w.every_days_help),
            );
            fields.push(text("location", w.location, true));
        }
        "sobriety" => {
            fields.push(text("substances", w.substances, true));
            fields.push(text("testing", w.testing, false));
        }
        "residence" => {
            fields.push(text("address", w.address, true));
            fields.push(text("municipality", w.municipality, true));
        }
        "treatment" => {
            fields.push(text("provider", w.provider, true));
            fields.push(area("description", w.description, false));
        }
        "work_or_training" => {
            fields.push(text("place", w.place, true));
            fields.push(area("description", w.description, false));
        }
        "no_contact" => {
            fields.push(area("persons", w.persons, true).help(w.persons_help));
        }
        "report" => {
            fields.push(date());
            fields.push(
                Field::new("sober", w.sober, "select", v.get("sober"), true).choose_from(vec![
                    ("yes".into(), w.yes.into()),
                    ("no".into(), w.no.into()),
                ]),
            );
            fields.push(text("note", w.note, false));
        }
        "breach" => {
            fields.push(date());
            fields.push(
                Field::new("condition", w.condition, "select", v.get("condition"), true)
                    .choose_from(
                        ConditionKind::ALL
                            .iter()
                            .map(|k| (k.as_str().to_string(), label(*k, lang).to_string()))
                            .collect(),
                    ),
            );
            fields.push(area("description", w.description, true));
        }
        "warning" | "court_case" => {
            fields.push(date());
            fields.push(area("description", w.description, true));
        }
        _ => {}
    }
    if is_condition(form) {
        fields.push(area("reason", w.reason, false).help(w.reason_help));
    }
    fields
}

/// The form's values as the API's (kind, payload).
fn payload_of(form: &str, v: &Values) -> Result<(&'static str, Value), ApiError> {
    let mut map = Map::new();
    let mut put = |key: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            map.insert(key.into(), Value::String(value.into()));
        }
    };
    let kind = if let Some(k) = ConditionKind::parse(form) {
        put("type", k.as_str());
        put("from", v.get("from"));
        put("until", v.get("until"));
        put("reason", v.get("reason"));
        for key in [
            "weekday",
            "location",
            "substances",
            "testing",
            "address",
            "municipality",
            "provider",
            "place",
            "description",
        ] {
            put(key, v.get(key));
        }
        let every = v.get("every_days").trim();
        if !every.is_empty() {
            let n = every.parse::<u16>().map_err(|_| {
                ApiError::invalid_bilingual(
                    "payload.every_days",
                    "give a whole number of days, e.g. 14",
                    "oppgi et helt antall dager, f.eks. 14",
                )
            })?;
            map.insert("every_days".into(), Value::from(n));
        }
        if k == ConditionKind::NoContact {
            let persons: Vec<Value> = v
                .get("persons")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.into()))
                .collect();
            map.insert("persons".into(), Value::Array(persons));
        }
        "condition"
    } else {
        put("date", v.get("date"));
        match form {
            "report" => {
                put("note", v.get("note"));
                match v.get("sober") {
                    "yes" => {
                        map.insert("sober".into(), Value::Bool(true));
                    }
                    "no" => {
                        map.insert("sober".into(), Value::Bool(false));
                    }
                    _ => {}
                }
                "report"
            }
            "breach" => {
                put("condition", v.get("condition"));
                put("description", v.get("description"));
                "breach"
            }
            "warning" => {
                put("description", v.get("description"));
                "warning"
            }
            _ => {
                put("description", v.get("description"));
                "court_case"
            }
        }
    };
    Ok((kind, Value::Object(map)))
}

/// The corrected event's values, to start a correction form from.
fn values_of(payload: &Value) -> Values {
    let pairs: Vec<(String, String)> = payload
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Bool(true) => "yes".into(),
                        Value::Bool(false) => "no".into(),
                        Value::Array(a) => a
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n"),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default();
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
    let here = format!("/persons/{id}/parole/{form_name}");
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
    let view = match parole_view(&state, &caller, id, "parole_form").await {
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
        && corrected.is_none_or(|e| {
            form_of(e.kind.trim_start_matches(PREFIX), &e.payload_json()) != form_name
        })
    {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    }
    let today = state.today().to_string();
    let mut problems = Vec::new();
    let values = match submitted {
        None => match corrected {
            Some(e) => values_of(&e.payload_json()),
            None if is_condition(&form_name) => {
                let start = view
                    .supervision
                    .as_ref()
                    .map_or_else(|| today.clone(), |s| s.from.to_string());
                let office = view
                    .supervision
                    .as_ref()
                    .map(|s| s.office.clone())
                    .unwrap_or_default();
                Values::of(&[("from", start.as_str()), ("location", office.as_str())])
            }
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
                let outcome = match payload_of(&form_name, &values) {
                    Ok((kind, payload)) => {
                        let version = values.get("version").parse::<i64>().unwrap_or(-1);
                        record(
                            &state,
                            &caller,
                            id,
                            EventRequest {
                                kind: if retract { "retraction" } else { kind },
                                version,
                                payload: if retract {
                                    Value::Object(Map::new())
                                } else {
                                    payload
                                },
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
                        return Redirect::to(&format!("/persons/{id}/parole")).into_response();
                    }
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
                                if p.field.starts_with("persons[") {
                                    p.field = "persons".into();
                                }
                                if p.field == "type" {
                                    p.field = "kind".into();
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
    if let Some(s) = &view.state {
        let missed = s.missed();
        page.intro = format!(
            "{}: {}; {}: {}",
            w.stage,
            w.stage(s.stage.as_str()),
            w.missed_heading,
            if missed.is_empty() {
                w.none.to_string()
            } else {
                missed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    page.hidden = vec![
        ("version".into(), view.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
