//! The pages of applications, decisions and appeals (BRIEF §3.4): a person's applications,
//! decisions and appeals on one page, with forms to apply, decide, appeal and decide the appeal;
//! the decider's in-tray; the administrator's catalogue of legal grounds and authority.
//!
//! Every check is the API's (`crate::decisions`), so a page and the API cannot disagree.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::decisions::{
    AppealOutcome, AuthorityLevel, DecisionKind, Family, Outcome, REASON_MIN_CHARS,
};
use halden_storage::{AppealRow, ApplicationRow, DecisionRow, LegalGroundRow, PersonRow};
use serde::Deserialize;

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, local_time, refusal, render,
    signed_in,
};
use crate::{
    AppState,
    access::{Caller, Role},
    api,
    decisions::{
        self as rules, AppealDecisionRequest, AppealRequest, ApplicationRequest, AuthorityRequest,
        DecisionRequest, GroundRequest,
    },
    error::ApiError,
    i18n::Lang,
};

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/decisions", get(person_page))
        .route(
            "/persons/{id}/applications/new",
            get(application_form).post(application_submit),
        )
        .route(
            "/persons/{id}/decisions/new",
            get(decision_form).post(decision_submit),
        )
        .route(
            "/decisions/{id}/appeal",
            get(appeal_form).post(appeal_submit),
        )
        .route(
            "/appeals/{id}/decide",
            get(appeal_decision_form).post(appeal_decision_submit),
        )
        .route("/in-tray", get(in_tray))
        .route("/legal-grounds", get(grounds_page))
        .route("/legal-grounds/new", get(ground_form).post(ground_submit))
        .route(
            "/legal-grounds/{id}/retire",
            get(retire_form).post(retire_submit),
        )
        .route(
            "/decision-authority",
            get(authority_form).post(authority_submit),
        )
}

/// The words of these pages.
pub struct Words {
    pub applications_and_decisions: &'static str,
    pub my_applications: &'static str,
    pub applications: &'static str,
    pub decisions: &'static str,
    pub appeals: &'static str,
    pub new_application: &'static str,
    pub new_decision: &'static str,
    pub apply: &'static str,
    pub decide: &'static str,
    pub appeal: &'static str,
    pub decide_appeal: &'static str,
    pub in_tray: &'static str,
    pub legal_grounds: &'static str,
    pub legal_ground: &'static str,
    pub new_ground: &'static str,
    pub retire: &'static str,
    pub retired: &'static str,
    pub in_force: &'static str,
    pub authority: &'static str,
    pub change_authority: &'static str,
    pub kind: &'static str,
    pub details: &'static str,
    pub details_help: &'static str,
    pub decided_content: &'static str,
    pub what_the_rules_say: &'static str,
    pub postponement_ground: &'static str,
    pub postponement_ground_help: &'static str,
    pub ground_date: &'static str,
    pub ground_date_help: &'static str,
    pub leave_kind: &'static str,
    pub leave_kind_help: &'static str,
    pub leave_hours: &'static str,
    pub leave_hours_help: &'static str,
    pub departments_that_fit: &'static str,
    pub free_places: &'static str,
    pub appeal_against: &'static str,
    pub wanted_from: &'static str,
    pub wanted_until: &'static str,
    pub filed: &'static str,
    pub on_behalf: &'static str,
    pub status: &'static str,
    pub pending: &'static str,
    pub decided: &'static str,
    pub eligible_from: &'static str,
    pub engine_dates: &'static str,
    pub outcome: &'static str,
    pub reason: &'static str,
    pub reason_help: &'static str,
    pub ground_help: &'static str,
    pub level: &'static str,
    pub unit: &'static str,
    pub from: &'static str,
    pub until: &'static str,
    pub decided_on: &'static str,
    pub appeal_deadline: &'static str,
    pub appealed: &'static str,
    pub not_appealable: &'static str,
    pub grounds: &'static str,
    pub grounds_help: &'static str,
    pub late_reason: &'static str,
    pub late_reason_help: &'static str,
    pub appeal_to: &'static str,
    pub paragraph: &'static str,
    pub title_nb: &'static str,
    pub title_en: &'static str,
    pub text_nb: &'static str,
    pub text_en: &'static str,
    pub kinds: &'static str,
    pub replaces: &'static str,
    pub replaces_help: &'static str,
    pub none: &'static str,
    pub person: &'static str,
    pub action: &'static str,
    pub the_application: &'static str,
    pub the_decision: &'static str,
    pub default_level: &'static str,
    pub changed: &'static str,
    pub change_reason: &'static str,
    pub save: &'static str,
    pub recommended_level: &'static str,
    pub back_to_person: &'static str,
}

const NB: Words = Words {
    applications_and_decisions: "Søknader og vedtak",
    my_applications: "Mine søknader og vedtak",
    applications: "Søknader",
    decisions: "Vedtak",
    appeals: "Klager",
    new_application: "Ny søknad",
    new_decision: "Nytt vedtak",
    apply: "Send søknad",
    decide: "Fatt vedtak",
    appeal: "Klag på vedtaket",
    decide_appeal: "Avgjør klagen",
    in_tray: "Til avgjørelse",
    legal_grounds: "Hjemler",
    legal_ground: "Hjemmel",
    new_ground: "Ny hjemmel",
    retire: "Ta ut av katalogen",
    retired: "Tatt ut",
    in_force: "Gjeldende",
    authority: "Vedtaksmyndighet",
    change_authority: "Endre vedtaksmyndighet",
    kind: "Gjelder",
    details: "Hva søkes det om, og hvorfor",
    decided_content: "Innhold",
    what_the_rules_say: "Reglene sier",
    postponement_ground: "Grunn for utsettelse",
    postponement_ground_help: "Bare for utsettelse: reglene sier om utsettelsen er obligatorisk eller krever vektige grunner (R-INNK-2).",
    ground_date: "Termin eller barnets fødselsdato",
    ground_date_help: "Ved graviditet: termin. Ved barn under 9 måneder: barnets fødselsdato.",
    leave_kind: "Type permisjon",
    leave_kind_help: "Bare for permisjon. Ordinær permisjon regnes i kvoten på 18 dager i året (R-LEAVE-2); velferdspermisjon (fødsel, alvorlig sykdom, begravelse) før ordinær permisjonstid og korttidspermisjon på noen timer etter den regnes ikke (R-LEAVE-4). Tomt: ordinær.",
    leave_hours: "Timer (korttidspermisjon)",
    leave_hours_help: "Bare for korttidspermisjon: hvor mange timer (reglene: inntil 5, R-LEAVE-4).",
    departments_that_fit: "Avdelinger på dette nivået som passer, ledig plass først og nærmest hjemmet",
    free_places: "ledige",
    appeal_against: "klage på vedtak",
    details_help: "Skriv med egne ord. Kontaktbetjenten kan hjelpe.",
    wanted_from: "Ønsket fra",
    wanted_until: "Ønsket til",
    filed: "Sendt",
    on_behalf: "på vegne av personen",
    status: "Status",
    pending: "Til behandling",
    decided: "Avgjort",
    eligible_from: "Mulig fra",
    engine_dates: "Tidligste datoer etter reglene",
    outcome: "Utfall",
    reason: "Begrunnelse",
    reason_help: "Påkrevd når vedtaket avslår, begrenser eller plasserer høyere enn anbefalt: minst 20 tegn.",
    ground_help: "Påkrevd når vedtaket avslår, begrenser eller plasserer høyere enn anbefalt. Å innvilge krever ingen hjemmel.",
    level: "Sikkerhetsnivå",
    unit: "Enhet",
    from: "Fra",
    until: "Til",
    decided_on: "Vedtatt",
    appeal_deadline: "Klagefrist",
    appealed: "Påklaget",
    not_appealable: "Kan ikke påklages i kriminalomsorgen",
    grounds: "Hva er galt med vedtaket",
    grounds_help: "Skriv hvorfor vedtaket bør endres.",
    late_reason: "Hvorfor klagen kommer etter fristen",
    late_reason_help: "Bare når klagefristen er ute (forvaltningsloven § 31).",
    appeal_to: "Klage går til",
    paragraph: "Paragraf",
    title_nb: "Tittel (bokmål)",
    title_en: "Tittel (engelsk)",
    text_nb: "Innhold (bokmål)",
    text_en: "Innhold (engelsk)",
    kinds: "Gjelder vedtak om",
    replaces: "Erstatter",
    replaces_help: "En ny ordlyd erstatter den gamle, som tas ut av katalogen.",
    none: "Ingen.",
    person: "Person",
    action: "Handling",
    the_application: "Søknaden",
    the_decision: "Vedtaket",
    default_level: "standard",
    changed: "Endret",
    change_reason: "Hvorfor",
    save: "Lagre",
    recommended_level: "Laveste nivå reglene tillater",
    back_to_person: "Tilbake til personen",
};

const EN: Words = Words {
    applications_and_decisions: "Applications and decisions",
    my_applications: "My applications and decisions",
    applications: "Applications",
    decisions: "Decisions",
    appeals: "Appeals",
    new_application: "New application",
    new_decision: "New decision",
    apply: "Send application",
    decide: "Decide",
    appeal: "Appeal the decision",
    decide_appeal: "Decide the appeal",
    in_tray: "To decide",
    legal_grounds: "Legal grounds",
    legal_ground: "Legal ground",
    new_ground: "New legal ground",
    retire: "Retire from the catalogue",
    retired: "Retired",
    in_force: "In force",
    authority: "Decision authority",
    change_authority: "Change decision authority",
    kind: "Concerns",
    details: "What is applied for, and why",
    decided_content: "Content",
    what_the_rules_say: "What the rules say",
    postponement_ground: "Ground for postponement",
    postponement_ground_help: "Only for a postponement: the rules say whether it is mandatory or needs weighty reasons (R-INNK-2).",
    ground_date: "Due date or the child's birth date",
    ground_date_help: "For a pregnancy: the due date. For a child under 9 months: the birth date.",
    leave_kind: "Kind of leave",
    leave_kind_help: "Only for leave. Ordinary leave counts in the quota of 18 days a year (R-LEAVE-2); welfare leave (a birth, serious illness, a funeral) before ordinary leave time and short leave of a few hours after it do not (R-LEAVE-4). Empty: ordinary.",
    leave_hours: "Hours (short leave)",
    leave_hours_help: "Only for short leave: how many hours (the rules: up to 5, R-LEAVE-4).",
    departments_that_fit: "Departments at that level that fit, room first and nearest home first",
    free_places: "free",
    appeal_against: "appeal against decision",
    details_help: "In your own words. The contact officer can help.",
    wanted_from: "Wanted from",
    wanted_until: "Wanted until",
    filed: "Filed",
    on_behalf: "on the person's behalf",
    status: "Status",
    pending: "Pending",
    decided: "Decided",
    eligible_from: "Possible from",
    engine_dates: "Earliest dates by the rules",
    outcome: "Outcome",
    reason: "Reason",
    reason_help: "Required when the decision refuses, restricts or places higher than recommended: at least 20 characters.",
    ground_help: "Required when the decision refuses, restricts or places higher than recommended. Granting needs no ground.",
    level: "Security level",
    unit: "Unit",
    from: "From",
    until: "Until",
    decided_on: "Decided",
    appeal_deadline: "Appeal deadline",
    appealed: "Appealed",
    not_appealable: "Cannot be appealed within the service",
    grounds: "What is wrong with the decision",
    grounds_help: "Say why the decision should change.",
    late_reason: "Why the appeal comes after the deadline",
    late_reason_help: "Only when the deadline has passed (forvaltningsloven § 31).",
    appeal_to: "Appeal goes to",
    paragraph: "Section",
    title_nb: "Title (bokmål)",
    title_en: "Title (English)",
    text_nb: "Content (bokmål)",
    text_en: "Content (English)",
    kinds: "Grounds decisions on",
    replaces: "Replaces",
    replaces_help: "A new wording replaces the old one, which is retired.",
    none: "None.",
    person: "Person",
    action: "Action",
    the_application: "The application",
    the_decision: "The decision",
    default_level: "default",
    changed: "Changed",
    change_reason: "Why",
    save: "Save",
    recommended_level: "Lowest level the rules allow",
    back_to_person: "Back to the person",
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// What an application is for, in words: its kind, and for leave the kind of leave (and the
/// hours of a short leave).
fn application_kind_label(lang: Lang, a: &halden_storage::ApplicationRow) -> String {
    let kind = kind_label(lang, &a.kind);
    if a.kind != "leave" {
        return kind;
    }
    let leave = leave_kind_label(lang, a.leave_kind.as_deref().unwrap_or("ordinary"));
    match (a.leave_hours, lang) {
        (Some(h), Lang::Nb) => format!("{kind}: {leave}, {h} timer"),
        (Some(h), Lang::En) => format!("{kind}: {leave}, {h} hours"),
        (None, _) => format!("{kind}: {leave}"),
    }
}

/// A kind of leave in words (R-LEAVE-4).
fn leave_kind_label(lang: Lang, kind: &str) -> &'static str {
    match (kind, lang) {
        ("welfare", Lang::Nb) => "velferdspermisjon",
        ("welfare", Lang::En) => "welfare leave",
        ("short", Lang::Nb) => "korttidspermisjon",
        ("short", Lang::En) => "short leave",
        (_, Lang::Nb) => "ordinær permisjon",
        (_, Lang::En) => "ordinary leave",
    }
}

/// A postponement ground in words (R-INNK-2).
fn postponement_ground_label(lang: Lang, ground: &str) -> &'static str {
    match (ground, lang) {
        ("serious_illness", Lang::Nb) => "alvorlig sykdom",
        ("serious_illness", Lang::En) => "serious illness",
        ("pregnancy", Lang::Nb) => "graviditet",
        ("pregnancy", Lang::En) => "pregnancy",
        ("infant", Lang::Nb) => "barn under 9 måneder",
        ("infant", Lang::En) => "a child under 9 months",
        ("military_service", Lang::Nb) => "militærtjeneste",
        ("military_service", Lang::En) => "military service",
        (_, Lang::Nb) => "andre grunner",
        (_, Lang::En) => "other reasons",
    }
}

fn kind_label(lang: Lang, kind: &str) -> String {
    match (DecisionKind::parse(kind), lang) {
        (Some(k), Lang::Nb) => k.label_nb().to_string(),
        (Some(k), Lang::En) => k.label_en().to_string(),
        (None, _) => kind.to_string(),
    }
}

fn outcome_label(lang: Lang, outcome: &str) -> String {
    if let Some(o) = Outcome::parse(outcome) {
        return match lang {
            Lang::Nb => o.label_nb(),
            Lang::En => o.label_en(),
        }
        .to_string();
    }
    match (AppealOutcome::parse(outcome), lang) {
        (Some(o), Lang::Nb) => o.label_nb().to_string(),
        (Some(o), Lang::En) => o.label_en().to_string(),
        (None, _) => outcome.to_string(),
    }
}

fn level_label(lang: Lang, level: &str) -> String {
    match (AuthorityLevel::parse(level), lang) {
        (Some(l), Lang::Nb) => l.label_nb().to_string(),
        (Some(l), Lang::En) => l.label_en().to_string(),
        (None, _) => level.to_string(),
    }
}

fn ground_label(lang: Lang, g: &LegalGroundRow) -> String {
    let title = match lang {
        Lang::Nb => &g.title_nb,
        Lang::En => &g.title_en,
    };
    format!("{}: {title}", g.paragraph)
}

/// A line of the engine's date for a kind: "2025-06-23 (R-LEAVE-1, strgjfl § 33)".
fn eligibility_line(person: &PersonRow, kind: DecisionKind) -> Option<String> {
    let e = rules::eligibility(person, kind)?;
    Some(format!(
        "{} ({}, {})",
        e.get("date")?.as_str()?,
        e.get("rule")?.as_str()?,
        e.get("reference")?.as_str()?
    ))
}

// --- The person's page ----------------------------------------------------------------------

struct ApplicationLine {
    id: i64,
    kind: String,
    details: String,
    wanted: String,
    filed: String,
    filed_by: String,
    eligible: String,
    status: String,
    decide_href: String,
}

struct DecisionLine {
    id: i64,
    kind: String,
    outcome: String,
    restrictive: bool,
    ground: String,
    ground_text: String,
    reason: String,
    details: String,
    decided_on: String,
    decided_by: String,
    appeal: String,
    appeal_href: String,
}

struct AppealLine {
    id: i64,
    decision: i64,
    person: String,
    person_href: String,
    kind: String,
    grounds: String,
    filed: String,
    authority: String,
    status: String,
    decide_href: String,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct PersonPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    person_href: String,
    apply_href: String,
    decide_href: String,
    eligibility: Vec<(String, String)>,
    applications: Vec<ApplicationLine>,
    decisions: Vec<DecisionLine>,
    appeals: Vec<AppealLine>,
}

/// May the caller decide the application (holds its level), as a link or nothing.
fn decide_href(caller: &Caller, a: &ApplicationRow) -> String {
    let level = AuthorityLevel::parse(&a.authority);
    match level {
        Some(level)
            if a.decision_id.is_none()
                && rules::deciding_refusal(caller, level, a.unit.as_deref()).is_ok() =>
        {
            format!(
                "/persons/{}/decisions/new?application={}",
                a.person_id, a.id
            )
        }
        _ => String::new(),
    }
}

fn application_line(
    caller: &Caller,
    lang: Lang,
    a: &ApplicationRow,
    person: Option<&PersonRow>,
) -> ApplicationLine {
    let w = words(lang);
    let wanted = match (&a.wanted_from, &a.wanted_until) {
        (Some(f), Some(u)) => format!("{f} – {u}"),
        (Some(f), None) => f.clone(),
        (None, Some(u)) => format!("– {u}"),
        (None, None) => String::new(),
    };
    ApplicationLine {
        id: a.id,
        kind: application_kind_label(lang, a),
        details: a.details.clone(),
        wanted,
        filed: local_time(&a.filed_at),
        filed_by: if a.is_on_behalf() {
            format!("{} ({})", a.filed_by_name, w.on_behalf)
        } else {
            a.filed_by_name.clone()
        },
        eligible: person
            .zip(DecisionKind::parse(&a.kind))
            .and_then(|(p, k)| eligibility_line(p, k))
            .unwrap_or_default(),
        status: match &a.decision_outcome {
            Some(o) => format!("{}: {}", w.decided, outcome_label(lang, o)),
            None => format!("{} ({})", w.pending, level_label(lang, &a.authority)),
        },
        decide_href: decide_href(caller, a),
    }
}

fn decision_line(caller: &Caller, lang: Lang, d: &DecisionRow, person: &PersonRow) -> DecisionLine {
    let w = words(lang);
    let ground = match (&d.ground_paragraph, lang) {
        (Some(p), Lang::Nb) => format!("{p}: {}", d.ground_title_nb.clone().unwrap_or_default()),
        (Some(p), Lang::En) => format!("{p}: {}", d.ground_title_en.clone().unwrap_or_default()),
        (None, _) => String::new(),
    };
    let details: serde_json::Value = serde_json::from_str(&d.details).unwrap_or_default();
    let mut parts = Vec::new();
    let level_words = |code: &str| lang.value(crate::i18n::Vocab::Level, code);
    if let Some(level) = details.get("level").and_then(|v| v.as_str()) {
        parts.push(format!("{}: {}", w.level, level_words(level)));
    }
    if let Some(level) = details.get("recommended_level").and_then(|v| v.as_str()) {
        parts.push(format!("{}: {}", w.recommended_level, level_words(level)));
    }
    if let Some(unit) = details.get("unit").and_then(|v| v.as_str()) {
        parts.push(format!("{}: {unit}", w.unit));
    }
    if let Some(from) = details.get("from").and_then(|v| v.as_str()) {
        parts.push(format!("{}: {from}", w.from));
    }
    if let Some(until) = details.get("until").and_then(|v| v.as_str()) {
        parts.push(format!("{}: {until}", w.until));
    }
    if let Some(id) = details.get("appealed_decision").and_then(|v| v.as_i64()) {
        parts.push(format!("{} #{id}", w.appeal_against));
    }
    let appeal = match (&d.appeal_deadline, d.appealed_by) {
        (_, Some(_)) => w.appealed.to_string(),
        (Some(deadline), None) => {
            let to = AuthorityLevel::parse(&d.authority)
                .and_then(AuthorityLevel::next)
                .map(|l| level_label(lang, l.as_str()))
                .unwrap_or_default();
            format!(
                "{} {deadline} ({}); {} {to}",
                w.appeal_deadline,
                halden_domain::law::APPEAL_REFERENCE,
                w.appeal_to.to_lowercase()
            )
        }
        (None, None) if d.is_restrictive() => w.not_appealable.to_string(),
        (None, None) => String::new(),
    };
    let may_appeal = d.appeal_deadline.is_some()
        && d.appealed_by.is_none()
        && rules::appeal_refusal(caller, person).is_ok();
    DecisionLine {
        id: d.id,
        kind: kind_label(lang, &d.kind),
        outcome: outcome_label(lang, &d.outcome),
        restrictive: d.is_restrictive(),
        ground,
        ground_text: match lang {
            Lang::Nb => d.ground_text_nb.clone(),
            Lang::En => d.ground_text_en.clone(),
        }
        .unwrap_or_default(),
        reason: d.reason.clone(),
        details: parts.join("; "),
        decided_on: d.decided_on.clone(),
        decided_by: format!(
            "{} ({})",
            d.decided_by_name,
            level_label(lang, &d.authority)
        ),
        appeal,
        appeal_href: if may_appeal {
            format!("/decisions/{}/appeal", d.id)
        } else {
            String::new()
        },
    }
}

fn appeal_line(caller: &Caller, lang: Lang, a: &AppealRow) -> AppealLine {
    let w = words(lang);
    let may_decide = a.appeal_decision_id.is_none()
        && AuthorityLevel::parse(&a.authority)
            .is_some_and(|l| rules::deciding_refusal(caller, l, None).is_ok())
        && a.appealed_decided_by != caller.user.id;
    AppealLine {
        id: a.id,
        decision: a.decision_id,
        person: a.person_name.clone(),
        person_href: format!("/persons/{}/decisions", a.person_id),
        kind: kind_label(lang, &a.kind),
        grounds: a.grounds.clone(),
        filed: a.filed_on.clone(),
        authority: level_label(lang, &a.authority),
        status: match &a.appeal_outcome {
            Some(o) => format!("{}: {}", w.decided, outcome_label(lang, o)),
            None => w.pending.to_string(),
        },
        decide_href: if may_decide {
            format!("/appeals/{}/decide", a.id)
        } else {
            String::new()
        },
    }
}

/// The person behind `id`, read and logged under `view`, or the refusal page.
async fn person_for(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    id: &str,
    view: &str,
    here: &str,
) -> Result<PersonRow, Response> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(refusal(headers, Some(caller), ApiError::NotFound, here));
    };
    match api::read_person(state, caller, id, view, None, true).await {
        Ok((person, _, _)) => Ok(person),
        Err(e) => Err(refusal(headers, Some(caller), e, here)),
    }
}

async fn person_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/persons/{id}/decisions");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let person = match person_for(&state, &headers, &caller, &id, "decisions_page", &here).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    let loaded = async {
        Ok::<_, ApiError>((
            state.store.applications_for(person.id).await?,
            state.store.decisions_for(person.id).await?,
            state.store.appeals_for(person.id).await?,
        ))
    }
    .await;
    let (applications, decisions, appeals) = match loaded {
        Ok(x) => x,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let title = if caller.role == Role::Prisoner {
        w.my_applications
    } else {
        w.applications_and_decisions
    };
    let may_decide_here = matches!(caller.role, Role::Leader | Role::Placement);
    let page = PersonPage {
        c: chrome(&headers, Some(&caller), title, &here),
        w,
        heading: format!("{title}: {}", person.display_name()),
        person_href: format!("/persons/{}", person.id),
        apply_href: if rules::filing_refusal(&caller, &person).is_ok() {
            format!("/persons/{}/applications/new", person.id)
        } else {
            String::new()
        },
        decide_href: if may_decide_here {
            format!("/persons/{}/decisions/new", person.id)
        } else {
            String::new()
        },
        eligibility: DecisionKind::ALL
            .iter()
            .filter_map(|&k| {
                eligibility_line(&person, k).map(|l| (kind_label(lang, k.as_str()), l))
            })
            .collect(),
        applications: applications
            .iter()
            .map(|a| application_line(&caller, lang, a, Some(&person)))
            .collect(),
        decisions: decisions
            .iter()
            .map(|d| decision_line(&caller, lang, d, &person))
            .collect(),
        appeals: appeals
            .iter()
            .map(|a| appeal_line(&caller, lang, a))
            .collect(),
    };
    render(&page)
}

// --- Applying -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct KindQuery {
    kind: Option<String>,
    application: Option<String>,
}

async fn application_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<KindQuery>,
) -> Response {
    let start = Values::of(&[("kind", query.kind.as_deref().unwrap_or(""))]);
    application_page(state, headers, id, start, false).await
}

async fn application_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    application_page(state, headers, id, values, true).await
}

async fn application_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    values: Values,
    submitted: bool,
) -> Response {
    let here = format!("/persons/{id}/applications/new");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = caller.require(rules::FILERS) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let person = match person_for(&state, &headers, &caller, &id, "decisions_page", &here).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Err(e) = rules::filing_refusal(&caller, &person) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let kinds: Vec<(String, String)> = DecisionKind::ALL
        .iter()
        .filter(|k| k.may_be_applied_for())
        .map(|k| (k.as_str().to_string(), kind_label(lang, k.as_str())))
        .collect();
    let fields = vec![
        Field::new("kind", w.kind, "select", values.get("kind"), true).choose_from(kinds),
        Field::new(
            "details",
            w.details,
            "textarea",
            values.get("details"),
            true,
        )
        .help(w.details_help),
        Field::new(
            "wanted_from",
            w.wanted_from,
            "date",
            values.get("wanted_from"),
            false,
        ),
        Field::new(
            "wanted_until",
            w.wanted_until,
            "date",
            values.get("wanted_until"),
            false,
        ),
        Field::new(
            "postponement_ground",
            w.postponement_ground,
            "select",
            values.get("postponement_ground"),
            false,
        )
        .choose_from(
            halden_storage::POSTPONEMENT_GROUNDS
                .iter()
                .map(|g| {
                    (
                        g.to_string(),
                        postponement_ground_label(lang, g).to_string(),
                    )
                })
                .collect(),
        )
        .help(w.postponement_ground_help),
        Field::new(
            "ground_date",
            w.ground_date,
            "date",
            values.get("ground_date"),
            false,
        )
        .help(w.ground_date_help),
        Field::new(
            "leave_kind",
            w.leave_kind,
            "select",
            values.get("leave_kind"),
            false,
        )
        .choose_from(
            halden_storage::LEAVE_KINDS
                .iter()
                .map(|k| (k.to_string(), leave_kind_label(lang, k).to_string()))
                .collect(),
        )
        .help(w.leave_kind_help),
        Field::new(
            "leave_hours",
            w.leave_hours,
            "number",
            values.get("leave_hours"),
            false,
        )
        .help(w.leave_hours_help),
    ];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
        }
        problems = form::required_problems(&fields, t);
        let hours_text = values.get("leave_hours").trim();
        let leave_hours = if hours_text.is_empty() {
            None
        } else if let Ok(hours) = hours_text.parse::<i64>() {
            Some(hours)
        } else {
            problems.push(form::Problem::new(
                "leave_hours",
                if lang == Lang::Nb {
                    "må være et helt antall timer"
                } else {
                    "must be a whole number of hours"
                },
            ));
            None
        };
        if problems.is_empty() {
            let request = ApplicationRequest {
                kind: values.get("kind").to_string(),
                details: values.get("details").to_string(),
                wanted_from: Some(values.get("wanted_from").to_string()),
                wanted_until: Some(values.get("wanted_until").to_string()),
                postponement_ground: Some(values.get("postponement_ground").to_string()),
                ground_date: Some(values.get("ground_date").to_string()),
                leave_kind: Some(values.get("leave_kind").to_string()),
                leave_hours,
            };
            match rules::file(&state, &caller, &person, &request, None).await {
                Ok(_) => {
                    return Redirect::to(&format!("/persons/{}/decisions", person.id))
                        .into_response();
                }
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.new_application, &here),
        &format!("{}: {}", w.new_application, person.display_name()),
        &here,
        fields,
    );
    let dates: Vec<String> = DecisionKind::ALL
        .iter()
        .filter_map(|&k| {
            eligibility_line(&person, k).map(|l| format!("{} {}", kind_label(lang, k.as_str()), l))
        })
        .collect();
    if !dates.is_empty() {
        page.intro = format!("{}: {}.", w.engine_dates, dates.join("; "));
    }
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.apply.into();
    page.with_problems(problems).respond()
}

// --- Deciding -------------------------------------------------------------------------------

async fn decision_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<KindQuery>,
) -> Response {
    let start = Values::of(&[
        ("kind", query.kind.as_deref().unwrap_or("")),
        ("application", query.application.as_deref().unwrap_or("")),
    ]);
    decision_page(state, headers, id, start, false).await
}

async fn decision_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    decision_page(state, headers, id, values, true).await
}

/// The catalogue's grounds in force, as choices, for `kind` when known.
async fn ground_options(
    state: &AppState,
    lang: Lang,
    kind: Option<DecisionKind>,
) -> Result<Vec<(String, String)>, ApiError> {
    Ok(state
        .store
        .legal_grounds()
        .await?
        .iter()
        .filter(|g| !g.is_retired())
        .filter(|g| kind.is_none_or(|k| g.decision_kinds().contains(&k)))
        .map(|g| (g.id.to_string(), ground_label(lang, g)))
        .collect())
}

async fn decision_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    values: Values,
    submitted: bool,
) -> Response {
    let here = format!("/persons/{id}/decisions/new");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = caller.require(&[Role::Leader, Role::Placement]) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let person = match person_for(&state, &headers, &caller, &id, "decisions_page", &here).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    // The application decided, if any: it fixes the kind.
    let application_id = values.get("application").trim().parse::<i64>().ok();
    let application = match application_id {
        None => None,
        Some(aid) => match state.store.application(aid).await {
            Ok(Some(a)) if a.person_id == person.id => Some(a),
            Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
    };
    let kind = application
        .as_ref()
        .and_then(|a| DecisionKind::parse(&a.kind))
        .or_else(|| DecisionKind::parse(values.get("kind")));
    let outcomes: Vec<(String, String)> = match kind {
        Some(k) => Outcome::for_family(k.family()).to_vec(),
        None => Outcome::ALL.to_vec(),
    }
    .into_iter()
    .map(|o| (o.as_str().to_string(), outcome_label(lang, o.as_str())))
    .collect();
    let grounds = match ground_options(&state, lang, kind).await {
        Ok(g) => g,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let mut fields = Vec::new();
    if application.is_none() {
        let kinds: Vec<(String, String)> = DecisionKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), kind_label(lang, k.as_str())))
            .collect();
        fields.push(
            Field::new("kind", w.kind, "select", values.get("kind"), true).choose_from(kinds),
        );
    }
    fields.push(
        Field::new("outcome", w.outcome, "select", values.get("outcome"), true)
            .choose_from(outcomes),
    );
    if kind.is_none_or(|k| k.family() == Family::Placement) {
        let (recommended, _) =
            crate::placement_advice::recommended_level_for(&person, state.today());
        let levels = ["halfway", "lower", "high"]
            .iter()
            .map(|l| {
                (
                    l.to_string(),
                    super::super::i18n::Lang::value(lang, super::super::i18n::Vocab::Level, l),
                )
            })
            .collect();
        let recommended_name = recommended.as_str();
        fields.push(
            Field::new("level", w.level, "select", values.get("level"), false)
                .choose_from(levels)
                .help(&format!(
                    "{}: {}",
                    w.recommended_level,
                    lang.value(super::super::i18n::Vocab::Level, recommended_name)
                )),
        );
        let prisons =
            match crate::placement_advice::prisons_today(&state.store, state.today()).await {
                Ok(p) => p,
                Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
            };
        let ranked = crate::placement_advice::recommendation_for(&person, &prisons, state.today());
        let offered: Vec<String> = ranked
            .prisons
            .iter()
            .take(5)
            .map(|c| {
                let km = c
                    .distance_km
                    .map(|d| format!(", {d} km"))
                    .unwrap_or_default();
                format!("{} {} ({} {}{km})", c.id, c.name, c.free, w.free_places)
            })
            .collect();
        fields.push(
            Field::new("unit", w.unit, "text", values.get("unit"), false).help(&format!(
                "{}: {}",
                w.departments_that_fit,
                if offered.is_empty() {
                    "–".to_string()
                } else {
                    offered.join("; ")
                }
            )),
        );
    }
    fields.push(Field::new(
        "from",
        w.from,
        "date",
        values.get("from"),
        false,
    ));
    fields.push(Field::new(
        "until",
        w.until,
        "date",
        values.get("until"),
        false,
    ));
    fields.push(
        Field::new(
            "legal_ground",
            w.legal_ground,
            "select",
            values.get("legal_ground"),
            false,
        )
        .choose_from(grounds)
        .help(w.ground_help),
    );
    fields.push(
        Field::new("reason", w.reason, "textarea", values.get("reason"), false).help(w.reason_help),
    );
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
        }
        problems = form::required_problems(&fields, t);
        let legal_ground = match values.get("legal_ground").trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    problems.push(form::Problem::new("legal_ground", t.is_required));
                    None
                }
            },
        };
        if problems.is_empty() {
            let optional =
                |name: &str| Some(values.get(name).trim().to_string()).filter(|v| !v.is_empty());
            let request = DecisionRequest {
                kind: if application.is_some() {
                    None
                } else {
                    optional("kind")
                },
                outcome: values.get("outcome").to_string(),
                legal_ground,
                reason: values.get("reason").to_string(),
                application: application_id,
                level: optional("level"),
                unit: optional("unit"),
                from: optional("from"),
                until: optional("until"),
            };
            match rules::record(&state, &caller, &person, &request, None).await {
                Ok(_) => {
                    return Redirect::to(&format!("/persons/{}/decisions", person.id))
                        .into_response();
                }
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.new_decision, &here),
        &format!("{}: {}", w.new_decision, person.display_name()),
        &here,
        fields,
    );
    if let Some(a) = &application {
        let eligible = kind
            .and_then(|k| eligibility_line(&person, k))
            .map(|l| format!(" {}: {l}.", w.eligible_from))
            .unwrap_or_default();
        let decisions = match state.store.decisions_for(person.id).await {
            Ok(d) => d,
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        };
        let mut findings = rules::leave_findings(&person, a, &decisions)
            .map(|(findings, _)| findings)
            .unwrap_or_default();
        if let Some(rule) = rules::postponement_rule(&person, a) {
            findings.push(rules::postponement_finding(&rule).clone());
        }
        let rules = if findings.is_empty() {
            String::new()
        } else {
            let lines: Vec<&str> = findings
                .iter()
                .map(|f| {
                    if lang == Lang::Nb {
                        f.nb.as_str()
                    } else {
                        f.en.as_str()
                    }
                })
                .collect();
            format!(" {}: {}.", w.what_the_rules_say, lines.join("; "))
        };
        page.intro = format!(
            "{} ({}, {}): «{}».{eligible}{rules}",
            w.the_application,
            application_kind_label(lang, a),
            local_time(&a.filed_at),
            a.details
        );
    }
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    if let Some(aid) = application_id {
        page.hidden.push(("application".into(), aid.to_string()));
    }
    page.submit = w.decide.into();
    page.note = format!(
        "{} {REASON_MIN_CHARS}",
        match lang {
            Lang::Nb => "Minste lengde på en begrunnelse, i tegn:",
            Lang::En => "Shortest reason, in characters:",
        }
    );
    page.with_problems(problems).respond()
}

// --- Appealing ------------------------------------------------------------------------------

async fn appeal_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    appeal_page(state, headers, id, Values::default(), false).await
}

async fn appeal_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    appeal_page(state, headers, id, values, true).await
}

async fn appeal_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    values: Values,
    submitted: bool,
) -> Response {
    let here = format!("/decisions/{id}/appeal");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = caller.require(&[Role::Prisoner, Role::Contact]) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let decision = match id.parse::<i64>() {
        Ok(did) => match state.store.decision(did).await {
            Ok(Some(d)) => d,
            Ok(None) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
        Err(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
    };
    let person = match person_for(
        &state,
        &headers,
        &caller,
        &decision.person_id.to_string(),
        "decisions_page",
        &here,
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Err(e) = rules::appeal_refusal(&caller, &person) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let fields = vec![
        Field::new(
            "grounds",
            w.grounds,
            "textarea",
            values.get("grounds"),
            true,
        )
        .help(w.grounds_help),
        Field::new(
            "late_reason",
            w.late_reason,
            "textarea",
            values.get("late_reason"),
            false,
        )
        .help(w.late_reason_help),
    ];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
        }
        problems = form::required_problems(&fields, t);
        if problems.is_empty() {
            let request = AppealRequest {
                grounds: values.get("grounds").to_string(),
                late_reason: values.get("late_reason").to_string(),
            };
            match rules::file_appeal(&state, &caller, &person, &decision, &request, None).await {
                Ok(_) => {
                    return Redirect::to(&format!("/persons/{}/decisions", person.id))
                        .into_response();
                }
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let line = decision_line(&caller, lang, &decision, &person);
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.appeal, &here),
        w.appeal,
        &here,
        fields,
    );
    page.intro = format!(
        "{} {} ({}): {}. {}: {}. {}",
        w.the_decision,
        line.decided_on,
        line.kind,
        line.outcome,
        w.reason,
        if line.reason.is_empty() {
            "—"
        } else {
            &line.reason
        },
        line.appeal
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.appeal.into();
    page.with_problems(problems).respond()
}

async fn appeal_decision_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    appeal_decision_page(state, headers, id, Values::default(), false).await
}

async fn appeal_decision_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    appeal_decision_page(state, headers, id, values, true).await
}

async fn appeal_decision_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    values: Values,
    submitted: bool,
) -> Response {
    let here = format!("/appeals/{id}/decide");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = caller.require(&[Role::Leader, Role::Placement]) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let appeal = match id.parse::<i64>() {
        Ok(aid) => match state.store.appeal(aid).await {
            Ok(Some(a)) => a,
            Ok(None) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
        Err(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
    };
    let person = match person_for(
        &state,
        &headers,
        &caller,
        &appeal.person_id.to_string(),
        "decisions_page",
        &here,
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return r,
    };
    let level = AuthorityLevel::parse(&appeal.authority);
    if let Err(e) = level
        .ok_or(ApiError::Forbidden)
        .and_then(|l| rules::deciding_refusal(&caller, l, person.unit.as_deref()))
    {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let kind = DecisionKind::parse(&appeal.kind);
    let grounds = match ground_options(&state, lang, kind).await {
        Ok(g) => g,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let outcomes = AppealOutcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), outcome_label(lang, o.as_str())))
        .collect();
    let fields = vec![
        Field::new("outcome", w.outcome, "select", values.get("outcome"), true)
            .choose_from(outcomes),
        Field::new(
            "legal_ground",
            w.legal_ground,
            "select",
            values.get("legal_ground"),
            false,
        )
        .choose_from(grounds)
        .help(w.ground_help),
        Field::new("reason", w.reason, "textarea", values.get("reason"), false).help(w.reason_help),
    ];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
        }
        problems = form::required_problems(&fields, t);
        if problems.is_empty() {
            let request = AppealDecisionRequest {
                outcome: values.get("outcome").to_string(),
                legal_ground: values.get("legal_ground").trim().parse::<i64>().ok(),
                reason: values.get("reason").to_string(),
            };
            match rules::record_appeal_decision(&state, &caller, &person, &appeal, &request, None)
                .await
            {
                Ok(_) => {
                    return Redirect::to(&format!("/persons/{}/decisions", person.id))
                        .into_response();
                }
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.decide_appeal, &here),
        &format!("{}: {}", w.decide_appeal, person.display_name()),
        &here,
        fields,
    );
    page.intro = format!(
        "{} ({}, {} {}): «{}»",
        w.appeals,
        kind_label(lang, &appeal.kind),
        w.filed.to_lowercase(),
        appeal.filed_on,
        appeal.grounds
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.decide_appeal.into();
    page.with_problems(problems).respond()
}

// --- The in-tray ----------------------------------------------------------------------------

struct TrayLine {
    person: String,
    person_href: String,
    line: ApplicationLine,
}

#[derive(Template)]
#[template(path = "in_tray.html")]
struct InTrayPage {
    c: Chrome,
    w: &'static Words,
    applications: Vec<TrayLine>,
    appeals: Vec<AppealLine>,
}

async fn in_tray(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/in-tray";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    let (applications, appeals) = match rules::in_tray_lists(&state, &caller).await {
        Ok(x) => x,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    render(&InTrayPage {
        c: chrome(&headers, Some(&caller), w.in_tray, here),
        w,
        applications: applications
            .iter()
            .map(|a| TrayLine {
                person: a.person_name.clone(),
                person_href: format!("/persons/{}/decisions", a.person_id),
                line: application_line(&caller, lang, a, None),
            })
            .collect(),
        appeals: appeals
            .iter()
            .map(|a| appeal_line(&caller, lang, a))
            .collect(),
    })
}

// --- The catalogue and the authority --------------------------------------------------------

struct GroundLine {
    id: i64,
    paragraph: String,
    title: String,
    text: String,
    kinds: String,
    status: String,
    retired: bool,
    retire_href: String,
}

#[derive(Template)]
#[template(path = "legal_grounds.html")]
struct GroundsPage {
    c: Chrome,
    w: &'static Words,
    admin: bool,
    grounds: Vec<GroundLine>,
    authority: Vec<(String, String, String, String)>,
}

async fn grounds_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/legal-grounds";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let w = words(lang);
    let loaded = async {
        Ok::<_, ApiError>((
            state.store.legal_grounds().await?,
            state.store.decision_authorities().await?,
        ))
    }
    .await;
    let (grounds, authority) = match loaded {
        Ok(x) => x,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let admin = caller.role == Role::Admin;
    render(&GroundsPage {
        c: chrome(&headers, Some(&caller), w.legal_grounds, here),
        w,
        admin,
        grounds: grounds
            .iter()
            .map(|g| GroundLine {
                id: g.id,
                paragraph: g.paragraph.clone(),
                title: match lang {
                    Lang::Nb => g.title_nb.clone(),
                    Lang::En => g.title_en.clone(),
                },
                text: match lang {
                    Lang::Nb => g.text_nb.clone(),
                    Lang::En => g.text_en.clone(),
                },
                kinds: g
                    .decision_kinds()
                    .iter()
                    .map(|k| kind_label(lang, k.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                status: match &g.retired_at {
                    Some(at) => format!(
                        "{} {} ({})",
                        w.retired,
                        local_time(at),
                        g.retired_reason.clone().unwrap_or_default()
                    ),
                    None => w.in_force.to_string(),
                },
                retired: g.is_retired(),
                retire_href: if admin && !g.is_retired() {
                    format!("/legal-grounds/{}/retire", g.id)
                } else {
                    String::new()
                },
            })
            .collect(),
        authority: authority
            .iter()
            .map(|a| {
                (
                    kind_label(lang, a.kind.as_str()),
                    level_label(lang, a.level.as_str()),
                    a.level
                        .next()
                        .map(|l| level_label(lang, l.as_str()))
                        .unwrap_or_else(|| "—".into()),
                    match &a.changed {
                        Some(c) => format!(
                            "{} {} ({}): {}",
                            w.changed,
                            local_time(&c.at),
                            c.by_username,
                            c.reason
                        ),
                        None => w.default_level.to_string(),
                    },
                )
            })
            .collect(),
    })
}

/// The signed-in administrator, or the refusal to send.
async fn administrator(
    state: &AppState,
    headers: &HeaderMap,
    here: &str,
) -> Result<Caller, Response> {
    let caller = signed_in(state, headers).await?;
    if caller.role != Role::Admin {
        return Err(refusal(headers, Some(&caller), ApiError::Forbidden, here));
    }
    Ok(caller)
}

async fn ground_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    ground_page(state, headers, Values::default(), false).await
}

async fn ground_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(values): Form<Values>,
) -> Response {
    ground_page(state, headers, values, true).await
}

async fn ground_page(
    state: AppState,
    headers: HeaderMap,
    values: Values,
    submitted: bool,
) -> Response {
    let here = "/legal-grounds/new";
    let caller = match administrator(&state, &headers, here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let in_force = match ground_options(&state, lang, None).await {
        Ok(g) => g,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let boxes: Vec<(String, String)> = DecisionKind::ALL
        .iter()
        .map(|k| (format!("kind_{}", k.as_str()), kind_label(lang, k.as_str())))
        .collect();
    let box_refs: Vec<(&str, &str)> = boxes
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let fields = vec![
        Field::new(
            "paragraph",
            w.paragraph,
            "text",
            values.get("paragraph"),
            true,
        ),
        Field::new("title_nb", w.title_nb, "text", values.get("title_nb"), true),
        Field::new("title_en", w.title_en, "text", values.get("title_en"), true),
        Field::new(
            "text_nb",
            w.text_nb,
            "textarea",
            values.get("text_nb"),
            true,
        ),
        Field::new(
            "text_en",
            w.text_en,
            "textarea",
            values.get("text_en"),
            true,
        ),
        Field::new("kinds", w.kinds, "checkgroup", "", true).boxes(&box_refs, &values),
        Field::new(
            "replaces",
            w.replaces,
            "select",
            values.get("replaces"),
            false,
        )
        .choose_from(in_force)
        .help(w.replaces_help),
    ];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
        }
        problems = form::required_problems(&fields, t);
        if problems.is_empty() {
            let request = GroundRequest {
                paragraph: values.get("paragraph").to_string(),
                title_en: values.get("title_en").to_string(),
                title_nb: values.get("title_nb").to_string(),
                text_en: values.get("text_en").to_string(),
                text_nb: values.get("text_nb").to_string(),
                kinds: DecisionKind::ALL
                    .iter()
                    .filter(|k| values.on(&format!("kind_{}", k.as_str())))
                    .map(|k| k.as_str().to_string())
                    .collect(),
                replaces: values.get("replaces").trim().parse::<i64>().ok(),
            };
            let added = match rules::new_ground(&request) {
                Ok(ground) => state
                    .store
                    .add_legal_ground(&api::actor(&caller), &ground, None)
                    .await
                    .map_err(ApiError::from),
                Err(e) => Err(e),
            };
            match added {
                Ok(_) => return Redirect::to("/legal-grounds").into_response(),
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.new_ground, here),
        w.new_ground,
        here,
        fields,
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}

async fn retire_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    retire_page(state, headers, id, Values::default(), false).await
}

async fn retire_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    retire_page(state, headers, id, values, true).await
}

async fn retire_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    values: Values,
    submitted: bool,
) -> Response {
    let here = format!("/legal-grounds/{id}/retire");
    let caller = match administrator(&state, &headers, &here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let ground = match id.parse::<i64>() {
        Ok(gid) => match state.store.legal_ground(gid).await {
            Ok(Some(g)) => g,
            Ok(None) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
        Err(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
    };
    let fields = vec![Field::new(
        "reason",
        w.change_reason,
        "textarea",
        values.get("reason"),
        true,
    )];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
        }
        problems = form::required_problems(&fields, t);
        if problems.is_empty() {
            match state
                .store
                .retire_legal_ground(&api::actor(&caller), ground.id, values.get("reason"))
                .await
            {
                Ok(()) => return Redirect::to("/legal-grounds").into_response(),
                Err(e) => problems = form::problems(&e.into(), lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.retire, &here),
        &format!("{}: {}", w.retire, ground_label(lang, &ground)),
        &here,
        fields,
    );
    page.intro = match lang {
        Lang::Nb => ground.text_nb.clone(),
        Lang::En => ground.text_en.clone(),
    };
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.retire.into();
    page.with_problems(problems).respond()
}

async fn authority_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    authority_page(state, headers, Values::default(), false).await
}

async fn authority_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(values): Form<Values>,
) -> Response {
    authority_page(state, headers, values, true).await
}

async fn authority_page(
    state: AppState,
    headers: HeaderMap,
    values: Values,
    submitted: bool,
) -> Response {
    let here = "/decision-authority";
    let caller = match administrator(&state, &headers, here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let w = words(lang);
    let kinds: Vec<(String, String)> = DecisionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(lang, k.as_str())))
        .collect();
    let levels: Vec<(String, String)> = AuthorityLevel::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), level_label(lang, l.as_str())))
        .collect();
    let fields = vec![
        Field::new("kind", w.kind, "select", values.get("kind"), true).choose_from(kinds),
        Field::new("level", w.authority, "select", values.get("level"), true).choose_from(levels),
        Field::new(
            "reason",
            w.change_reason,
            "textarea",
            values.get("reason"),
            true,
        ),
    ];
    let mut problems = Vec::new();
    if submitted {
        if check_csrf(&caller, values.get("csrf")).is_err() {
            return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
        }
        problems = form::required_problems(&fields, t);
        if problems.is_empty() {
            let request = AuthorityRequest {
                kind: values.get("kind").to_string(),
                level: values.get("level").to_string(),
                reason: values.get("reason").to_string(),
            };
            let changed = match rules::authority_change(&request) {
                Ok((kind, level)) => state
                    .store
                    .set_decision_authority(&api::actor(&caller), kind, level, &request.reason)
                    .await
                    .map_err(ApiError::from),
                Err(e) => Err(e),
            };
            match changed {
                Ok(()) => return Redirect::to("/legal-grounds").into_response(),
                Err(e) => problems = form::problems(&e, lang),
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), w.change_authority, here),
        w.change_authority,
        here,
        fields,
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = w.save.into();
    page.with_problems(problems).respond()
}
