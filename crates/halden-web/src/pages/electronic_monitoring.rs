//! The EM pages (issue 6, item 4): a person's EM case (`/persons/{id}/em`: the application, the
//! weekly schedule as a table, the device, breaches and their handling, custody and key dates;
//! read-only for the person themselves) and the probation officer's forms for a breach
//! (`/persons/{id}/em/breach`) and for revocation back to prison (`/persons/{id}/em/revocation`),
//! whose answer shows the new custody state and the recomputed dates with their §.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
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
    pub application_form: &'static str,
    pub grant_form: &'static str,
    pub device_form: &'static str,
    pub handling_form: &'static str,
    pub applied_on: &'static str,
    pub first_day: &'static str,
    pub adult: &'static str,
    pub adult_name: &'static str,
    pub adult_consent: &'static str,
    pub adults_help: &'static str,
    pub activity_description: &'static str,
    pub home_on: &'static str,
    pub schedule_help: &'static str,
    pub tightened_help: &'static str,
    pub range: &'static str,
    pub range_form: (&'static str, &'static str),
    pub decided_on: &'static str,
    pub action: &'static str,
    pub serial: &'static str,
    pub prison_help: &'static str,
    pub application_intro: &'static str,
    pub log: &'static str,
    pub recorded: &'static str,
    pub event: &'static str,
    pub note: &'static str,
    pub correct: &'static str,
    pub retract: &'static str,
    pub retraction: &'static str,
    pub corrects_note: &'static str,
    pub retracts_note: &'static str,
    pub correction_reason: &'static str,
    pub correction_of: &'static str,
    pub correction_intro: &'static str,
    pub retraction_intro: &'static str,
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
    application_form: "Søknad om elektronisk kontroll",
    grant_form: "Innvilgelse",
    device_form: "Utstyr montert eller demontert",
    handling_form: "Reaksjon på brudd",
    applied_on: "Søknadsdato",
    first_day: "Første dag det søkes om",
    adult: "Voksen",
    adult_name: "navn",
    adult_consent: "dato for skriftlig samtykke",
    adults_help: "Alle voksne som bor i hjemmet, må samtykke skriftlig (R-EM-4). La ubrukte rader stå tomme.",
    activity_description: "Aktiviteten: hvor og når",
    home_on: "Hjemme",
    schedule_help: "Tidsrom som TT:MM–TT:MM, flere skilt med komma (for eksempel 00:00–07:00, 18:00–24:00); 24:00 avslutter døgnet. Tomt: ingen hjemmetid den dagen.",
    tightened_help: "Fylles bare ut ved innskjerpet timeplan, og må beholde all hjemmetid i gjeldende timeplan.",
    range: "tidsrom",
    range_form: (
        "write each range as HH:MM–HH:MM",
        "skriv hvert tidsrom som TT:MM–TT:MM",
    ),
    decided_on: "Vedtaksdato",
    action: "Hva",
    serial: "Serienummer",
    prison_help: "Fengselet personen settes inn i.",
    log: "Logg over hendelser",
    recorded: "Registrert",
    event: "Hendelse",
    note: "Merknad",
    correct: "Korriger",
    retract: "Trekk tilbake",
    retraction: "Tilbaketrekking",
    corrects_note: "retter",
    retracts_note: "trekker tilbake",
    correction_reason: "Begrunnelse for rettelsen (kreves)",
    correction_of: "Rettelse",
    correction_intro: "Rettelsen blir en ny hendelse som peker på den den retter, med hvem og hvorfor; den opprinnelige blir stående i loggen.",
    retraction_intro: "Tilbaketrekkingen blir en ny hendelse som peker på den den trekker tilbake, med hvem og hvorfor. Det går ikke å trekke tilbake noe som senere hendelser bygger på (for eksempel innvilgelsen når utstyret er montert).",
    application_intro: "Personen må søke selv (R-EM-4). Søknaden prøves mot reglene for fra start (R-EM-2) og bakdør (R-EM-3), med regel og paragraf i svaret.",
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
    application_form: "Application for EM",
    grant_form: "Grant",
    device_form: "Device fitted or removed",
    handling_form: "Handling of a breach",
    applied_on: "Day of the application",
    first_day: "First day asked for",
    adult: "Adult",
    adult_name: "name",
    adult_consent: "day of written consent",
    adults_help: "Every adult living in the home must consent in writing (R-EM-4). Leave unused rows empty.",
    activity_description: "The activity: where and when",
    home_on: "At home on",
    schedule_help: "Ranges as HH:MM–HH:MM, several separated by commas (e.g. 00:00–07:00, 18:00–24:00); 24:00 ends the day. Empty: no time at home that day.",
    tightened_help: "Only for a tightened schedule, which must keep every time at home of the schedule in force.",
    range: "range",
    range_form: (
        "write each range as HH:MM–HH:MM",
        "skriv hvert tidsrom som TT:MM–TT:MM",
    ),
    decided_on: "Day of the decision",
    action: "What",
    serial: "Serial number",
    prison_help: "The prison the person is admitted to.",
    log: "Event log",
    recorded: "Recorded",
    event: "Event",
    note: "Note",
    correct: "Correct",
    retract: "Retract",
    retraction: "Retraction",
    corrects_note: "corrects",
    retracts_note: "retracts",
    correction_reason: "Reason for the correction (required)",
    correction_of: "Correction",
    correction_intro: "The correction is a new event that points at the one it corrects, with who and why; the original stays in the log.",
    retraction_intro: "The retraction is a new event that points at the one it retracts, with who and why. Nothing later events depend on can be retracted (for example the grant once the device is fitted).",
    application_intro: "The person must apply themselves (R-EM-4). The application is tried against the rules for the front door (R-EM-2) and the back door (R-EM-3), with the rule and § in the answer.",
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

struct LogLine {
    id: i64,
    kind: String,
    recorded: String,
    what: String,
    note: String,
    links: Vec<(String, String)>,
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
    log: Vec<LogLine>,
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
        let live = matches!(
            s.stage,
            Some(em::Stage::Granted | em::Stage::Active | em::Stage::Breached)
        );
        FORMS
            .iter()
            .filter(|kind| match **kind {
                "retraction" => false,
                "application" => matches!(s.stage, None | Some(em::Stage::Revoked)),
                "grant" => s.stage == Some(em::Stage::Applied),
                "handling" => live && s.breaches.iter().any(|b| b.handled.is_none()),
                _ => live,
            })
            .map(|kind| {
                (
                    format!("/persons/{id}/em/{kind}"),
                    title_of(kind, w).to_string(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let log = log_of(view, w);
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
        log,
    })
}

/// A stored payload in one line.
fn summary_of(payload: &Value) -> String {
    let Some(map) = payload.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "entries" | "schedule" | "adults"))
        .filter_map(|(k, v)| match v {
            Value::String(t) if !t.is_empty() => Some(format!("{k}: {t}")),
            Value::Number(n) => Some(format!("{k}: {n}")),
            Value::Object(o) => Some(format!(
                "{k}: {}",
                o.values()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The log of EM records, each with what it corrects or retracts, and for the office the links
/// to correct or retract the latest record of each event in effect.
fn log_of(view: &EmView, w: &Words) -> Vec<LogLine> {
    let records = crate::electronic_monitoring::em_records(&view.events);
    let live: Vec<i64> = em::in_effect(&records).iter().map(|(id, _)| *id).collect();
    let pid = view.person.id;
    view.events
        .iter()
        .filter(|e| e.kind.starts_with("em."))
        .map(|e| {
            let kind = e.kind.trim_start_matches("em.");
            let root = em::root_of(&records, e.id);
            let latest = records
                .iter()
                .rev()
                .find(|r| em::root_of(&records, r.id) == root)
                .map(|r| r.id);
            let correctable = view.may_write
                && latest == Some(e.id)
                && live.contains(&root)
                && kind != "revocation"
                && kind != "retraction";
            let links = if correctable {
                vec![
                    (
                        format!("/persons/{pid}/em/{kind}?corrects={}", e.id),
                        format!("{} #{}", w.correct, e.id),
                    ),
                    (
                        format!("/persons/{pid}/em/retraction?corrects={}", e.id),
                        format!("{} #{}", w.retract, e.id),
                    ),
                ]
            } else {
                Vec::new()
            };
            let note = match (e.corrects, &e.reason) {
                (Some(target), reason) => format!(
                    "{} #{target}: {}",
                    if kind == "retraction" {
                        w.retracts_note
                    } else {
                        w.corrects_note
                    },
                    reason.clone().unwrap_or_default()
                ),
                (None, _) => String::new(),
            };
            LogLine {
                id: e.id,
                kind: if kind == "retraction" {
                    w.retraction.to_string()
                } else {
                    title_of(kind, w).to_string()
                },
                recorded: format!("{} ({})", e.recorded_at, e.recorded_by_name),
                what: summary_of(&e.payload_json()),
                note,
                links,
            }
        })
        .collect()
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

/// The forms under `/persons/{id}/em/{kind}`: one per event kind, and revocation.
pub(crate) const FORMS: [&str; 7] = [
    "application",
    "grant",
    "device",
    "breach",
    "handling",
    "revocation",
    "retraction",
];

/// Rows for the adults of the home on the application form.
const ADULT_ROWS: usize = 3;

fn title_of(kind: &str, w: &Words) -> &'static str {
    match kind {
        "application" => w.application_form,
        "grant" => w.grant_form,
        "device" => w.device_form,
        "breach" => w.breach_form,
        "handling" => w.handling_form,
        "retraction" => w.retraction,
        _ => w.revocation_form,
    }
}

/// What a form chooses from: the estate's prisons (revocation), the breaches awaiting handling.
#[derive(Default)]
struct Choices {
    prisons: Vec<(String, String)>,
    breaches: Vec<(String, String)>,
}

fn labelled<T: Copy>(
    all: &[T],
    lang: Lang,
    of: impl Fn(T) -> (&'static str, (&'static str, &'static str)),
) -> Vec<(String, String)> {
    all.iter()
        .map(|k| {
            let (value, label) = of(*k);
            (value.to_string(), pick(lang, label))
        })
        .collect()
}

/// One text field per weekday (`schedule_<weekday>`), `HH:MM–HH:MM` ranges separated by commas.
fn schedule_fields(w: &Words, v: &Values, help: &str) -> Vec<Field> {
    WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let name = format!("schedule_{day}");
            let field = Field::new(
                &name,
                &format!("{} {}", w.home_on, w.weekdays[i]),
                "text",
                v.get(&name),
                false,
            );
            if i == 0 { field.help(help) } else { field }
        })
        .collect()
}

fn fields_of(kind: &str, w: &Words, lang: Lang, v: &Values, choices: &Choices) -> Vec<Field> {
    match kind {
        "application" => {
            let mut fields =
                vec![
                    Field::new("date", w.applied_on, "date", v.get("date"), true),
                    Field::new("door", w.door, "select", v.get("door"), true)
                        .choose_from(labelled(em::Door::ALL, lang, |d| (d.as_str(), d.label()))),
                    Field::new("from", w.first_day, "date", v.get("from"), true),
                    Field::new("address", w.address, "text", v.get("address"), true)
                        .autocomplete("street-address"),
                ];
            for row in 0..ADULT_ROWS {
                let name = format!("adults_{row}_name");
                let consent = format!("adults_{row}_consent_date");
                let field = Field::new(
                    &name,
                    &format!("{} {}: {}", w.adult, row + 1, w.adult_name),
                    "text",
                    v.get(&name),
                    false,
                );
                fields.push(if row == 0 {
                    field.help(w.adults_help)
                } else {
                    field
                });
                fields.push(Field::new(
                    &consent,
                    &format!("{} {}: {}", w.adult, row + 1, w.adult_consent),
                    "date",
                    v.get(&consent),
                    false,
                ));
            }
            fields.push(
                Field::new(
                    "activity_kind",
                    w.activity,
                    "select",
                    v.get("activity_kind"),
                    true,
                )
                .choose_from(labelled(em::ActivityKind::ALL, lang, |k| {
                    (k.as_str(), k.label())
                })),
            );
            fields.push(Field::new(
                "activity_description",
                w.activity_description,
                "text",
                v.get("activity_description"),
                true,
            ));
            fields.extend(schedule_fields(w, v, w.schedule_help));
            fields
        }
        "grant" => vec![Field::new(
            "date",
            w.decided_on,
            "date",
            v.get("date"),
            true,
        )],
        "device" => {
            vec![
                Field::new("action", w.action, "select", v.get("action"), true).choose_from(
                    labelled(em::DeviceAction::ALL, lang, |a| (a.as_str(), a.label())),
                ),
                Field::new("serial", w.serial, "text", v.get("serial"), true),
                Field::new("at", w.at, "datetime-local", v.get("at"), true),
            ]
        }
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
        "handling" => {
            let mut fields = vec![
                Field::new("breach", w.breach, "select", v.get("breach"), true)
                    .choose_from(choices.breaches.clone()),
                Field::new("action", w.handling, "select", v.get("action"), true).choose_from(
                    labelled(em::HandlingAction::ALL, lang, |a| (a.as_str(), a.label())),
                ),
                Field::new("date", w.date, "date", v.get("date"), true),
                Field::new(
                    "description",
                    w.description,
                    "textarea",
                    v.get("description"),
                    true,
                ),
            ];
            fields.extend(schedule_fields(w, v, w.tightened_help));
            fields
        }
        "retraction" => Vec::new(),
        _ => vec![
            Field::new("at", w.at, "datetime-local", v.get("at"), true),
            Field::new("prison", w.prison, "select", v.get("prison"), true)
                .choose_from(choices.prisons.clone())
                .help(w.prison_help),
            Field::new("breach", w.breach, "text", v.get("breach"), false),
            Field::new("reason", w.reason, "textarea", v.get("reason"), true).help(w.reason_help),
        ],
    }
}

/// The schedule's fields as the API's `{weekday: [{from, until}]}`; a range not written as
/// `HH:MM–HH:MM` is named `schedule.<weekday>[i]` (the times themselves are the domain's to
/// check).
fn schedule_payload(v: &Values, w: &Words) -> Result<Value, ApiError> {
    let mut days = Map::new();
    let mut problems = Vec::new();
    for day in WEEKDAYS {
        let text = v.get(&format!("schedule_{day}"));
        let mut ranges = Vec::new();
        for (i, part) in text
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let times: Vec<&str> = part.split(['–', '-', '—']).map(str::trim).collect();
            match times.as_slice() {
                [from, until] if !from.is_empty() && !until.is_empty() => {
                    ranges.push(serde_json::json!({"from": from, "until": until}));
                }
                _ => problems.push(halden_domain::validate::FieldError::bilingual(
                    format!("schedule.{day}[{i}]"),
                    None,
                    format!("'{part}': {}", w.range_form.0),
                    format!("«{part}»: {}", w.range_form.1),
                )),
            }
        }
        days.insert(day.to_string(), Value::Array(ranges));
    }
    if problems.is_empty() {
        Ok(Value::Object(days))
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// The rows of the adults' fields that are filled in, in order (the payload's `adults[k]` is
/// the form's row `rows[k]`).
fn adult_rows(v: &Values) -> Vec<usize> {
    (0..ADULT_ROWS)
        .filter(|row| {
            !v.get(&format!("adults_{row}_name")).trim().is_empty()
                || !v
                    .get(&format!("adults_{row}_consent_date"))
                    .trim()
                    .is_empty()
        })
        .collect()
}

fn text_of(v: &Values, name: &str) -> Value {
    Value::String(v.get(name).trim().to_string())
}

/// A form's values as the API's payload for `kind` (not revocation).
fn payload_of(kind: &str, v: &Values, w: &Words) -> Result<Value, ApiError> {
    let mut map = Map::new();
    match kind {
        "application" => {
            for k in ["date", "door", "from", "address"] {
                map.insert(k.into(), text_of(v, k));
            }
            let adults: Vec<Value> = adult_rows(v)
                .into_iter()
                .map(|row| {
                    let consent = v.get(&format!("adults_{row}_consent_date")).trim();
                    serde_json::json!({
                        "name": v.get(&format!("adults_{row}_name")).trim(),
                        "consent_date": if consent.is_empty() { Value::Null } else { Value::String(consent.to_string()) },
                    })
                })
                .collect();
            map.insert("adults".into(), Value::Array(adults));
            map.insert(
                "activity".into(),
                serde_json::json!({
                    "kind": v.get("activity_kind").trim(),
                    "description": v.get("activity_description").trim(),
                }),
            );
            map.insert("schedule".into(), schedule_payload(v, w)?);
        }
        "grant" => {
            map.insert("date".into(), text_of(v, "date"));
        }
        "device" => {
            for k in ["action", "serial", "at"] {
                map.insert(k.into(), text_of(v, k));
            }
        }
        "breach" => {
            for k in ["kind", "at", "description"] {
                map.insert(k.into(), text_of(v, k));
            }
        }
        "retraction" => {}
        _ => {
            let breach = v.get("breach").trim().parse::<i64>().map_err(|_| {
                ApiError::invalid_bilingual("breach", "choose the breach", "velg bruddet")
            })?;
            map.insert("breach".into(), Value::from(breach));
            for k in ["action", "date", "description"] {
                map.insert(k.into(), text_of(v, k));
            }
            if v.get("action") == em::HandlingAction::TightenedSchedule.as_str() {
                map.insert("schedule".into(), schedule_payload(v, w)?);
            }
        }
    }
    Ok(Value::Object(map))
}

/// A problem placed on the form's field: the payload's adult `k` on its row, a schedule range
/// (`schedule.<weekday>[i]…`) on its weekday's field, naming the range.
fn placed(mut p: form::Problem, w: &Words, rows: &[usize]) -> form::Problem {
    let field = p.field.trim_start_matches("payload.").to_string();
    if let Some(rest) = field.strip_prefix("adults[")
        && let Some((k, tail)) = rest.split_once(']')
        && let Ok(k) = k.parse::<usize>()
    {
        p.field = format!(
            "adults_{}_{}",
            rows.get(k).copied().unwrap_or(k),
            tail.trim_start_matches('.')
        );
        return p;
    }
    if field == "schedule" {
        p.field = format!("schedule_{}", WEEKDAYS[0]);
        return p;
    }
    if let Some(rest) = field.strip_prefix("schedule.") {
        let (day, tail) = rest.split_once('[').unwrap_or((rest, ""));
        if let Some((i, _)) = tail.split_once(']')
            && let Ok(i) = i.parse::<usize>()
        {
            p.message.text = format!(
                "{} {} (schedule.{day}[{i}]): {}",
                w.range,
                i + 1,
                p.message.text
            );
        }
        p.field = format!("schedule_{day}");
        return p;
    }
    p.field = if field.starts_with("activity.") {
        field.replace('.', "_")
    } else {
        field
    };
    p
}

/// A correction's or retraction's fields end with its written reason.
fn with_reason(mut fields: Vec<Field>, correcting: bool, w: &Words, v: &Values) -> Vec<Field> {
    if correcting {
        fields.push(Field::new(
            "reason",
            w.correction_reason,
            "textarea",
            v.get("reason"),
            true,
        ));
    }
    fields
}

/// A schedule as the form's weekday fields.
fn schedule_values(schedule: &em::Schedule) -> Vec<(String, String)> {
    WEEKDAYS
        .iter()
        .zip(&schedule.days)
        .map(|(day, ranges)| {
            (
                format!("schedule_{day}"),
                ranges
                    .iter()
                    .map(em::TimeRange::label)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect()
}

/// A stored payload as the form's values (a correction starts from what it corrects).
fn values_of(payload: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let Some(map) = payload.as_object() else {
        return pairs;
    };
    let scalar = |v: &Value| match v {
        Value::String(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    for (key, value) in map {
        match (key.as_str(), value) {
            ("entries", _) => {}
            ("schedule", Value::Object(days)) => {
                for (day, ranges) in days {
                    let text = ranges
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .map(|r| format!("{}–{}", scalar(&r["from"]), scalar(&r["until"])))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    pairs.push((format!("schedule_{day}"), text));
                }
            }
            ("adults", Value::Array(adults)) => {
                for (i, a) in adults.iter().enumerate() {
                    pairs.push((format!("adults_{i}_name"), scalar(&a["name"])));
                    pairs.push((
                        format!("adults_{i}_consent_date"),
                        scalar(&a["consent_date"]),
                    ));
                }
            }
            (_, Value::Object(inner)) => {
                for (k, v) in inner {
                    pairs.push((format!("{key}_{k}"), scalar(v)));
                }
            }
            _ => pairs.push((key.clone(), scalar(value))),
        }
    }
    pairs
}

async fn form_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let corrects = query
        .into_iter()
        .find(|(k, _)| k == "corrects")
        .map(|(_, v)| v);
    form_page(state, headers, id, kind, corrects, None).await
}

async fn form_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Form(values): Form<Values>,
) -> Response {
    let corrects = Some(values.get("corrects").to_string()).filter(|c| !c.is_empty());
    form_page(state, headers, id, kind, corrects, Some(values)).await
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
    corrects: Option<String>,
    submitted: Option<Values>,
) -> Response {
    let here = format!("/persons/{id}/em/{kind}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    if !FORMS.contains(&kind.as_str()) {
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
    // A correction or retraction names an EM event of the person (a correction: of this form's
    // kind); a retraction always does, a revocation never.
    let corrects = match corrects.map(|c| c.trim().parse::<i64>()) {
        None => None,
        Some(Ok(target)) => Some(target),
        Some(Err(_)) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
    };
    let target = match corrects {
        Some(target) => {
            let found = view.events.iter().find(|e| {
                e.id == target
                    && e.kind.starts_with("em.")
                    && e.kind != crate::electronic_monitoring::RETRACTION
                    && (kind == "retraction" || e.kind == format!("em.{kind}"))
            });
            match found {
                Some(e) if kind != "revocation" => Some(e.clone()),
                _ => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            }
        }
        None if kind == "retraction" => {
            return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
        }
        None => None,
    };
    let mut choices = Choices::default();
    if kind == "revocation" {
        match state.store.prisons().await {
            Ok(prisons) => {
                choices.prisons = prisons
                    .into_iter()
                    .map(|p| {
                        let label = format!("{} ({})", p.name, p.id);
                        (p.id, label)
                    })
                    .collect();
            }
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        }
    }
    choices.breaches = view
        .state
        .breaches
        .iter()
        .filter(|b| {
            b.handled.is_none()
                || target
                    .as_ref()
                    .is_some_and(|t| t.payload_json()["breach"].as_i64() == Some(b.id))
        })
        .map(|b| {
            (
                b.id.to_string(),
                format!("#{} {} – {}", b.id, b.at, pick(lang, b.kind.label())),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let values = match submitted {
        None => {
            // A correction starts from what it corrects; a tightened schedule from the schedule
            // in force.
            let start = match (&target, &kind[..], &view.state.schedule) {
                (Some(t), _, _) if kind != "retraction" => values_of(&t.payload_json()),
                (None, "handling", Some(schedule)) => schedule_values(schedule),
                _ => Vec::new(),
            };
            let pairs: Vec<(&str, &str)> = start
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            Values::of(&pairs)
        }
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let fields = with_reason(
                fields_of(&kind, w, lang, &values, &choices),
                target.is_some(),
                w,
                &values,
            );
            problems = form::required_problems(&fields, lang.texts());
            if problems.is_empty() {
                let version = values.get("version").parse::<i64>().unwrap_or(-1);
                let outcome = if kind != "revocation" {
                    match payload_of(&kind, &values, w) {
                        Ok(payload) => record(
                            &state,
                            &caller,
                            id,
                            EventRequest {
                                kind: &kind,
                                version,
                                payload,
                                corrects,
                                reason: Some(values.get("reason")),
                            },
                            None,
                        )
                        .await
                        .map(|_| None),
                        Err(e) => Err(e),
                    }
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
                        let rows = adult_rows(&values);
                        problems = form::problems(&e, lang)
                            .into_iter()
                            .map(|p| placed(p, w, &rows))
                            .collect();
                    }
                }
            }
            values
        }
    };
    let fields = with_reason(
        fields_of(&kind, w, lang, &values, &choices),
        target.is_some(),
        w,
        &values,
    );
    let title = match (&target, kind.as_str()) {
        (Some(t), "retraction") => format!("{} #{}", w.retraction, t.id),
        (Some(t), _) => format!("{}: {} #{}", w.correction_of, title_of(&kind, w), t.id),
        _ => title_of(&kind, w).to_string(),
    };
    let title = title.as_str();
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), title, &here),
        &format!("{title} – {}", view.person.display_name()),
        &here,
        fields,
    );
    match (kind.as_str(), &target) {
        ("retraction", Some(t)) => {
            page.intro = format!(
                "{} {} #{}: {}",
                w.retraction_intro,
                title_of(t.kind.trim_start_matches("em."), w),
                t.id,
                summary_of(&t.payload_json())
            );
        }
        (_, Some(_)) => page.intro = w.correction_intro.to_string(),
        ("revocation", _) => page.intro = w.revocation_intro.to_string(),
        ("application", _) => page.intro = w.application_intro.to_string(),
        _ => {}
    }
    page.hidden = vec![
        ("version".into(), view.events.len().to_string()),
        ("register_version".into(), view.person.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    if let Some(t) = &target {
        page.hidden.push(("corrects".into(), t.id.to_string()));
    }
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
