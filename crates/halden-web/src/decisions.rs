//! Applications, decisions and appeals in the API (BRIEF §3.4), and the administrator's catalogue
//! of legal grounds and authority configuration.
//!
//! Routes:
//! - `GET|POST /api/v1/persons/{id}/applications`: the person's applications; file one (the
//!   person, or staff on their behalf). Routed to the authority configured for the kind.
//! - `GET|POST /api/v1/persons/{id}/decisions`: the person's decisions; decide (the authority).
//! - `POST /api/v1/decisions/{id}/appeals`: appeal (the person, or their contact officer).
//! - `GET /api/v1/appeals/{id}`, `POST /api/v1/appeals/{id}/decision`: the appeal and its decision
//!   (the level above, never the one who decided).
//! - `GET /api/v1/in-tray`: what waits for the caller's decision.
//! - `GET|POST /api/v1/legal-grounds`, `POST /api/v1/legal-grounds/{id}/retire`,
//!   `GET|POST /api/v1/decision-authority`: the catalogue and who decides what.
//!
//! Every read of a person's applications, decisions or appeals is logged as a read of the person.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use halden_domain::{
    decisions::{AppealOutcome, AuthorityLevel, DecisionKind, Outcome, PlacementLevels},
    register::SecurityLevel,
    validate::FieldError,
};
use halden_storage::{
    AppealRow, ApplicationRow, DecisionRow, LegalGroundRow, NewAppeal, NewApplication, NewDecision,
    NewLegalGround, PersonRow,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    api::{actor, json_body, once, parse_id, read_person, typed},
    auth::api_caller,
    error::ApiError,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/persons/{id}/applications",
            get(list_applications).post(file_application),
        )
        .route(
            "/api/v1/persons/{id}/decisions",
            get(list_decisions).post(decide),
        )
        .route("/api/v1/decisions/{id}/appeals", post(appeal))
        .route("/api/v1/appeals/{id}", get(get_appeal))
        .route("/api/v1/appeals/{id}/decision", post(decide_appeal))
        .route("/api/v1/in-tray", get(in_tray))
        .route("/api/v1/legal-grounds", get(list_grounds).post(add_ground))
        .route("/api/v1/legal-grounds/{id}/retire", post(retire_ground))
        .route(
            "/api/v1/decision-authority",
            get(list_authority).post(set_authority),
        )
}

// --- Requests -------------------------------------------------------------------------------

/// An application, as the API and the form send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplicationRequest {
    /// What is applied for (`leave`, `parole`, …).
    pub kind: String,
    /// What and why, in the applicant's words.
    pub details: String,
    /// From (YYYY-MM-DD).
    #[serde(default)]
    pub wanted_from: Option<String>,
    /// Until (YYYY-MM-DD).
    #[serde(default)]
    pub wanted_until: Option<String>,
    /// A postponement's ground (R-INNK-2): `serious_illness`, `pregnancy`, `infant`,
    /// `military_service` or `other`.
    #[serde(default)]
    pub postponement_ground: Option<String>,
    /// The due date (pregnancy) or the child's birth date (infant), YYYY-MM-DD.
    #[serde(default)]
    pub ground_date: Option<String>,
    /// For leave (R-LEAVE-4): `ordinary` (the default), `welfare` or `short`.
    #[serde(default)]
    pub leave_kind: Option<String>,
    /// For a short leave: its hours.
    #[serde(default)]
    pub leave_hours: Option<i64>,
}

/// A decision, as the API and the form send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionRequest {
    /// Kind; taken from the application when one is named.
    #[serde(default)]
    pub kind: Option<String>,
    /// `granted`, `partly_granted`, `refused`, `imposed`, `lifted` or `placed`.
    pub outcome: String,
    /// The catalogue ground's id.
    #[serde(default)]
    pub legal_ground: Option<i64>,
    /// The written reason.
    #[serde(default)]
    pub reason: String,
    /// The application decided.
    #[serde(default)]
    pub application: Option<i64>,
    /// For a placement: `high`, `lower` or `halfway`.
    #[serde(default)]
    pub level: Option<String>,
    /// For a placement: the prison unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// From (YYYY-MM-DD), for what is granted for a time.
    #[serde(default)]
    pub from: Option<String>,
    /// Until (YYYY-MM-DD).
    #[serde(default)]
    pub until: Option<String>,
}

/// An appeal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppealRequest {
    /// What is wrong with the decision.
    pub grounds: String,
    /// Why late, when after the deadline.
    #[serde(default)]
    pub late_reason: String,
}

/// An appeal's decision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppealDecisionRequest {
    /// `reversed`, `partly_reversed` or `upheld`.
    pub outcome: String,
    /// The catalogue ground's id.
    #[serde(default)]
    pub legal_ground: Option<i64>,
    /// The written reason.
    #[serde(default)]
    pub reason: String,
}

/// A new catalogue ground.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroundRequest {
    /// Statute and section.
    pub paragraph: String,
    /// Title in English.
    pub title_en: String,
    /// Title in bokmål.
    pub title_nb: String,
    /// The provision's content, in English.
    pub text_en: String,
    /// The same in bokmål.
    pub text_nb: String,
    /// The kinds it grounds.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The ground it replaces.
    #[serde(default)]
    pub replaces: Option<i64>,
}

/// A reason for an administrative change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonRequest {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// An authority change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthorityRequest {
    /// The kind.
    pub kind: String,
    /// `prison`, `region` or `national`.
    pub level: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

// --- Access ---------------------------------------------------------------------------------

/// The roles that may ever file an application: checked before the person is looked up, so a role
/// that never may is refused (403) rather than told the person is out of its scope (404).
pub(crate) const FILERS: &[Role] = &[
    Role::Prisoner,
    Role::Officer,
    Role::Contact,
    Role::Placement,
];

/// Who may file an application for `person`: the person themselves, or unit staff for a resident
/// (officers take applications in; the contact officer helps write them). Returns whether it is
/// filed on the person's behalf.
pub(crate) fn filing_refusal(caller: &Caller, person: &PersonRow) -> Result<bool, ApiError> {
    match caller.role {
        Role::Prisoner if caller.user.person_id == Some(person.id) => Ok(false),
        Role::Officer if person.in_custody() && person.unit.as_deref() == caller.scope() => {
            Ok(true)
        }
        Role::Contact if person.in_custody() && caller.is_contact_officer_of(person) => Ok(true),
        // National placement registers what reaches it by letter, such as a postponement request
        // from someone waiting to serve (BRIEF §2: the queue and summons are theirs).
        Role::Placement => Ok(true),
        Role::Prisoner | Role::Officer | Role::Contact => Err(ApiError::NotFound),
        _ => Err(ApiError::Forbidden),
    }
}

/// What the rules say about a postponement application (R-INNK-2), with the person's serving date
/// (the summons date, else the date the planned dates count from) and planned release date.
pub(crate) fn postponement_rule(
    person: &PersonRow,
    application: &ApplicationRow,
) -> Option<halden_domain::applications::PostponementRule> {
    use halden_domain::applications::{PostponementGround, postponement};
    if application.kind != DecisionKind::Postponement.as_str() {
        return None;
    }
    let doc: Option<Value> = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let serving: Option<jiff::civil::Date> = person
        .summons_date
        .as_deref()
        .or_else(|| doc.as_ref()?.get("planned_from")?.as_str())
        .and_then(|d| d.parse().ok());
    let release: Option<jiff::civil::Date> = person
        .end_of_sentence
        .as_deref()
        .and_then(|d| d.parse().ok());
    let date: Option<jiff::civil::Date> = application
        .ground_date
        .as_deref()
        .and_then(|d| d.parse().ok());
    let ground = match application.postponement_ground.as_deref()? {
        "serious_illness" => PostponementGround::SeriousIllness,
        "pregnancy" => PostponementGround::Pregnancy {
            due: date?,
            release: release?,
        },
        "infant" => PostponementGround::Infant {
            born: date?,
            serving: serving?,
        },
        "military_service" => PostponementGround::MilitaryService {
            term_days: doc.as_ref()?.get("term_days")?.as_i64()?,
        },
        _ => PostponementGround::Other,
    };
    Some(postponement(ground))
}

/// The finding a postponement rule states.
pub(crate) fn postponement_finding(
    rule: &halden_domain::applications::PostponementRule,
) -> &halden_domain::applications::Finding {
    use halden_domain::applications::PostponementRule;
    match rule {
        PostponementRule::Mandatory(f) | PostponementRule::WeightyReasonsNeeded(f) => f,
    }
}

/// Who may appeal a decision about `person`: the person, or their contact officer for them.
pub(crate) fn appeal_refusal(caller: &Caller, person: &PersonRow) -> Result<bool, ApiError> {
    match caller.role {
        Role::Prisoner if caller.user.person_id == Some(person.id) => Ok(false),
        Role::Contact if person.in_custody() && caller.is_contact_officer_of(person) => Ok(true),
        Role::Prisoner | Role::Contact => Err(ApiError::NotFound),
        _ => Err(ApiError::Forbidden),
    }
}

/// The level an appeal about `person` is decided at, if the caller holds it (403 otherwise).
pub(crate) fn appeal_authority(
    caller: &Caller,
    appeal: &AppealRow,
    person: &PersonRow,
) -> Result<AuthorityLevel, ApiError> {
    let level = AuthorityLevel::parse(&appeal.authority)
        .ok_or_else(|| ApiError::Internal(format!("stored authority '{}'", appeal.authority)))?;
    deciding_refusal(caller, level, person.unit.as_deref())?;
    Ok(level)
}

/// Who holds the authority `level` for a person in `unit`: the unit's leader for the prison
/// level, the placement office for the region and the nation. Anyone else is refused (403).
pub(crate) fn deciding_refusal(
    caller: &Caller,
    level: AuthorityLevel,
    unit: Option<&str>,
) -> Result<(), ApiError> {
    let holds = match level {
        AuthorityLevel::Prison => {
            caller.role == Role::Leader && unit.is_some() && unit == caller.scope()
        }
        AuthorityLevel::Region | AuthorityLevel::National => caller.role == Role::Placement,
    };
    if holds {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The levels whose in-tray the caller sees, and the unit for the prison level.
pub(crate) fn in_tray_levels(caller: &Caller) -> Vec<(AuthorityLevel, Option<String>)> {
    match caller.role {
        Role::Leader => vec![(
            AuthorityLevel::Prison,
            caller.scope().map(ToString::to_string),
        )],
        Role::Placement => vec![
            (AuthorityLevel::Region, None),
            (AuthorityLevel::National, None),
        ],
        _ => Vec::new(),
    }
}

// --- Parsing --------------------------------------------------------------------------------

fn parse_kind(field: &str, text: &str) -> Result<DecisionKind, FieldError> {
    DecisionKind::parse(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
        FieldError::bilingual(
            field,
            None,
            format!("must be one of {}", names.join(", ")),
            format!("må være en av {}", names.join(", ")),
        )
    })
}

fn parse_date(field: &str, text: Option<&str>) -> Result<Option<jiff::civil::Date>, FieldError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| {
            FieldError::bilingual(
                field,
                None,
                format!("'{t}' is not a date (YYYY-MM-DD)"),
                format!("«{t}» er ikke en dato (ÅÅÅÅ-MM-DD)"),
            )
        }),
    }
}

// --- JSON -----------------------------------------------------------------------------------

/// The engine's date that says when `kind` becomes possible, from the person's key dates.
pub(crate) fn eligibility(person: &PersonRow, kind: DecisionKind) -> Option<Value> {
    let key = match kind {
        DecisionKind::Leave => "leave_eligibility",
        DecisionKind::Parole => "parole_eligibility",
        DecisionKind::EmBackDoor => "em_back_door",
        DecisionKind::HomeServing => "home_serving_s16",
        DecisionKind::Frigang => "frigang_eligibility",
        DecisionKind::Transfer => "lower_security_review",
        _ => return None,
    };
    let document: Value = serde_json::from_str(person.dates_json.as_deref()?).ok()?;
    let dates = document.get("dates")?;
    // Preventive detention has its own leave threshold (R-LEAVE-6).
    let date = match (kind, dates.get("forvaring_leave_eligibility")) {
        (DecisionKind::Leave, Some(forvaring)) => forvaring,
        _ => dates.get(key)?,
    };
    Some(json!({
        "date": date.get("date"),
        "rule": date.get("rule"),
        "reference": date.get("reference"),
        "explanation": date.get("explanation"),
    }))
}

/// Days of ordinary leave already granted to `person` in `year`: each granted (or partly granted)
/// decision on ordinary leave counts its days from `from` to `until`, both included (R-LEAVE-2);
/// welfare and short leave are outside the quota (R-LEAVE-4).
fn leave_days_granted(decisions: &[DecisionRow], year: i16) -> u32 {
    decisions
        .iter()
        .filter(|d| {
            d.kind == DecisionKind::Leave.as_str()
                && matches!(
                    Outcome::parse(&d.outcome),
                    Some(Outcome::Granted | Outcome::PartlyGranted)
                )
        })
        .filter_map(|d| {
            let details: Value = serde_json::from_str(&d.details).ok()?;
            if details
                .get("leave_kind")
                .and_then(Value::as_str)
                .is_some_and(|k| k != "ordinary")
            {
                return None;
            }
            let from: jiff::civil::Date = details.get("from")?.as_str()?.parse().ok()?;
            let until: jiff::civil::Date = details
                .get("until")
                .and_then(Value::as_str)
                .and_then(|u| u.parse().ok())
                .unwrap_or(from);
            (from.year() == year).then(|| leave_days(from, until))
        })
        .sum()
}

/// Whole days of leave from `from` to `until`, both included.
fn leave_days(from: jiff::civil::Date, until: jiff::civil::Date) -> u32 {
    u32::try_from(halden_domain::calendar::days_between(from, until) + 1).unwrap_or(0)
}

/// What the leave rules say about a leave application (R-LEAVE-1 or R-LEAVE-6 for the date,
/// R-LEAVE-2 for the quota): `(findings, whether a rule is broken)`; nothing when the application
/// names no first day or the person has no leave date. Security (R-LEAVE-5) stays the decider's
/// assessment. The quota is the ordinary 18 days; documented special grounds (30) are the
/// decider's to weigh.
pub(crate) fn leave_findings(
    person: &PersonRow,
    application: &ApplicationRow,
    decisions: &[DecisionRow],
) -> Option<(Vec<halden_domain::applications::Finding>, bool)> {
    use halden_domain::applications::{LeaveKind, LeavePosition, LeaveRequest, check_leave};
    if application.kind != DecisionKind::Leave.as_str() {
        return None;
    }
    let from: jiff::civil::Date = application.wanted_from.as_deref()?.parse().ok()?;
    let until = application
        .wanted_until
        .as_deref()
        .and_then(|u| u.parse().ok())
        .unwrap_or(from);
    let eligible = eligibility(person, DecisionKind::Leave)?;
    let ordinary_leave_from = eligible.get("date")?.as_str()?.parse().ok()?;
    let ordinary_leave_rule = if eligible.get("rule").and_then(Value::as_str) == Some("R-LEAVE-6") {
        halden_domain::law::RuleId::Leave6
    } else {
        halden_domain::law::RuleId::Leave1
    };
    let kind = match application.leave_kind.as_deref() {
        Some("welfare") => LeaveKind::Welfare,
        Some("short") => LeaveKind::Short,
        _ => LeaveKind::Ordinary,
    };
    let request = LeaveRequest {
        kind,
        from,
        days: if kind == LeaveKind::Short {
            0
        } else {
            leave_days(from, until)
        },
        hours: application
            .leave_hours
            .and_then(|h| u32::try_from(h).ok())
            .unwrap_or(0),
    };
    let position = LeavePosition {
        ordinary_leave_from,
        ordinary_leave_rule,
        used_this_year: leave_days_granted(decisions, from.year()),
        special_grounds: false,
    };
    Some(match check_leave(&request, &position) {
        Ok(findings) => (findings, false),
        Err(findings) => (findings, true),
    })
}

pub(crate) fn application_json(a: &ApplicationRow, person: Option<&PersonRow>) -> Value {
    let ground = a
        .postponement_ground
        .as_ref()
        .map(|g| json!({"ground": g, "date": a.ground_date}));
    let kind = DecisionKind::parse(&a.kind);
    json!({
        "id": a.id,
        "person_id": a.person_id,
        "kind": a.kind,
        "details": a.details,
        "wanted_from": a.wanted_from,
        "wanted_until": a.wanted_until,
        "authority": a.authority,
        "unit": a.unit,
        "filed_at": a.filed_at,
        "filed_by": a.filed_by_name,
        "on_behalf": a.is_on_behalf(),
        "postponement": ground,
        "leave": (a.kind == DecisionKind::Leave.as_str()).then(|| json!({
            "kind": a.leave_kind.as_deref().unwrap_or("ordinary"),
            "hours": a.leave_hours,
        })),
        "status": if a.decision_id.is_some() { "decided" } else { "pending" },
        "decision": a.decision_id.map(|id| json!({"id": id, "outcome": a.decision_outcome})),
        "eligible_from": person.zip(kind).and_then(|(p, k)| eligibility(p, k)),
    })
}

pub(crate) fn decision_json(d: &DecisionRow) -> Value {
    let details: Value = serde_json::from_str(&d.details).unwrap_or_else(|_| json!({}));
    json!({
        "id": d.id,
        "person_id": d.person_id,
        "kind": d.kind,
        "outcome": d.outcome,
        "restrictive": d.is_restrictive(),
        "legal_ground": d.legal_ground_id.map(|id| json!({
            "id": id,
            "paragraph": d.ground_paragraph,
            "title": {"en": d.ground_title_en, "nb": d.ground_title_nb},
            "text": {"en": d.ground_text_en, "nb": d.ground_text_nb},
        })),
        "reason": d.reason,
        "details": details,
        "authority": d.authority,
        "unit": d.unit,
        "application": d.application_id,
        "decides_appeal": d.appeal_id,
        "appeal": {
            "deadline": d.appeal_deadline,
            "to": d.appeal_deadline.as_ref().and_then(|_| {
                AuthorityLevel::parse(&d.authority).and_then(AuthorityLevel::next).map(AuthorityLevel::as_str)
            }),
            "reference": d.appeal_deadline.as_ref().map(|_| halden_domain::law::APPEAL_REFERENCE),
            "appealed": d.appealed_by,
        },
        "decided_on": d.decided_on,
        "decided_at": d.decided_at,
        "decided_by": d.decided_by_name,
    })
}

pub(crate) fn appeal_json(a: &AppealRow) -> Value {
    json!({
        "id": a.id,
        "decision": a.decision_id,
        "person_id": a.person_id,
        "kind": a.kind,
        "grounds": a.grounds,
        "late_reason": a.late_reason,
        "authority": a.authority,
        "filed_on": a.filed_on,
        "filed_by": a.filed_by_name,
        "status": if a.appeal_decision_id.is_some() { "decided" } else { "pending" },
        "decision": a.appeal_decision_id.map(|id| json!({"id": id, "outcome": a.appeal_outcome})),
    })
}

pub(crate) fn ground_json(g: &LegalGroundRow) -> Value {
    json!({
        "id": g.id,
        "paragraph": g.paragraph,
        "title": {"en": g.title_en, "nb": g.title_nb},
        "text_en": g.text_en,
        "text_nb": g.text_nb,
        "kinds": g.decision_kinds().iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "replaces": g.replaces,
        "created_at": g.created_at,
        "created_by": g.created_by,
        "retired": g.retired_at.as_ref().map(|at| json!({"at": at, "reason": g.retired_reason})),
    })
}

fn id_json(id: &i64) -> String {
    json!({ "id": id }).to_string()
}

// --- Operations shared by the API and the pages ---------------------------------------------

/// Files an application for `person` from `request`; returns its id.
pub(crate) async fn file(
    state: &AppState,
    caller: &Caller,
    person: &PersonRow,
    request: &ApplicationRequest,
    key: Option<halden_storage::AnswerKey<i64>>,
) -> Result<i64, ApiError> {
    let on_behalf = filing_refusal(caller, person)?;
    let mut problems = Vec::new();
    let kind = parse_kind("kind", &request.kind)
        .map_err(|e| problems.push(e))
        .ok();
    let from = parse_date("wanted_from", request.wanted_from.as_deref())
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let until = parse_date("wanted_until", request.wanted_until.as_deref())
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let ground_date = parse_date("ground_date", request.ground_date.as_deref())
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let Some(kind) = kind else {
        return Err(ApiError::Invalid(problems));
    };
    let application = NewApplication {
        person_id: person.id,
        kind,
        details: request.details.clone(),
        wanted_from: from,
        wanted_until: until,
        authority: state.store.decision_authority(kind).await?,
        unit: person.unit.clone(),
        on_behalf,
        postponement_ground: request
            .postponement_ground
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(String::from),
        ground_date,
        leave_kind: request
            .leave_kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(String::from),
        leave_hours: request.leave_hours,
    };
    problems.extend(application.validate());
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    Ok(state
        .store
        .file_application(&actor(caller), &application, key.as_ref())
        .await?)
}

/// Records a decision about `person` from `request`; returns its id.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    person: &PersonRow,
    request: &DecisionRequest,
    key: Option<halden_storage::AnswerKey<i64>>,
) -> Result<i64, ApiError> {
    let today = state.today();
    let mut problems = Vec::new();
    // The application fixes the kind and the level it was routed to.
    let application = match request.application {
        None => None,
        Some(id) => match state.store.application(id).await? {
            Some(a) if a.person_id == person.id => Some(a),
            _ => {
                return Err(ApiError::Invalid(vec![FieldError::bilingual(
                    "application",
                    None,
                    "is not an application of this person",
                    "er ikke en søknad fra denne personen",
                )]));
            }
        },
    };
    let kind = match (&application, request.kind.as_deref()) {
        (Some(a), _) => DecisionKind::parse(&a.kind)
            .ok_or_else(|| ApiError::Internal(format!("stored kind '{}'", a.kind)))?,
        (None, Some(text)) => parse_kind("kind", text).map_err(|e| ApiError::Invalid(vec![e]))?,
        (None, None) => {
            return Err(ApiError::Invalid(vec![FieldError::bilingual(
                "kind",
                None,
                "is required when no application is decided",
                "må fylles ut når vedtaket ikke gjelder en søknad",
            )]));
        }
    };
    if let (Some(a), Some(text)) = (&application, request.kind.as_deref())
        && text.trim() != a.kind
    {
        problems.push(FieldError::bilingual(
            "kind",
            None,
            format!("the application is for {}", a.kind),
            format!("søknaden gjelder {}", a.kind),
        ));
    }
    let authority = match &application {
        Some(a) => AuthorityLevel::parse(&a.authority)
            .ok_or_else(|| ApiError::Internal(format!("stored authority '{}'", a.authority)))?,
        None => state.store.decision_authority(kind).await?,
    };
    let unit = application
        .as_ref()
        .and_then(|a| a.unit.clone())
        .or_else(|| person.unit.clone());
    deciding_refusal(caller, authority, unit.as_deref())?;
    let outcome = Outcome::parse(request.outcome.trim());
    if outcome.is_none() {
        let names: Vec<&str> = halden_domain::decisions::Outcome::for_family(kind.family())
            .iter()
            .map(|o| o.as_str())
            .collect();
        problems.push(FieldError::bilingual(
            "outcome",
            None,
            format!("must be one of {}", names.join(", ")),
            format!("må være en av {}", names.join(", ")),
        ));
    }
    // A postponement the rules make mandatory (R-INNK-2) is granted, never refused.
    if let (Some(Outcome::Refused | Outcome::PartlyGranted), Some(a)) = (outcome, &application)
        && let Some(halden_domain::applications::PostponementRule::Mandatory(finding)) =
            postponement_rule(person, a)
    {
        problems.push(FieldError::bilingual(
            "outcome",
            Some(halden_domain::law::RuleId::Innk2),
            format!("cannot refuse: {}; it must be granted", finding.en),
            format!("kan ikke avslås: {}; den skal innvilges", finding.nb),
        ));
    }
    let from = parse_date("from", request.from.as_deref())
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let until = parse_date("until", request.until.as_deref())
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        problems.push(FieldError::bilingual(
            "until",
            None,
            format!("is before the first day ({from})"),
            format!("er før første dag ({from})"),
        ));
    }
    let mut details = serde_json::Map::new();
    if let Some(from) = from {
        details.insert("from".into(), json!(from.to_string()));
    }
    // The kind of leave decided, so the quota counts only ordinary leave (R-LEAVE-2, R-LEAVE-4).
    if kind == DecisionKind::Leave {
        let leave_kind = application
            .as_ref()
            .and_then(|a| a.leave_kind.clone())
            .unwrap_or_else(|| "ordinary".into());
        details.insert("leave_kind".into(), json!(leave_kind));
        if let Some(hours) = application.as_ref().and_then(|a| a.leave_hours) {
            details.insert("leave_hours".into(), json!(hours));
        }
    }
    if let Some(until) = until {
        details.insert("until".into(), json!(until.to_string()));
    }
    let placement = if kind == DecisionKind::Placement {
        let chosen = request
            .level
            .as_deref()
            .and_then(|l| SecurityLevel::parse(l.trim()));
        if chosen.is_none() {
            problems.push(FieldError::bilingual(
                "level",
                None,
                "must be high, lower or halfway",
                "må være high, lower eller halfway",
            ));
        }
        let recommended = crate::placement_advice::recommended_level_for(person, today);
        details.insert(
            "recommended_level".into(),
            json!(SecurityLevel::as_str(recommended.0)),
        );
        details.insert(
            "recommendation_reasons".into(),
            json!(
                recommended
                    .1
                    .iter()
                    .map(|r| json!({"rule": r.rule.id(), "en": r.en, "nb": r.nb}))
                    .collect::<Vec<_>>()
            ),
        );
        if let Some(chosen) = chosen {
            details.insert("level".into(), json!(SecurityLevel::as_str(chosen)));
        }
        if let Some(unit) = request
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            details.insert("unit".into(), json!(unit));
        }
        chosen.map(|chosen| PlacementLevels {
            chosen,
            recommended: recommended.0,
        })
    } else {
        None
    };
    let Some(outcome) = outcome else {
        return Err(ApiError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let decision = NewDecision {
        person_id: person.id,
        kind,
        outcome,
        legal_ground_id: request.legal_ground,
        reason: request.reason.clone(),
        details: Value::Object(details).to_string(),
        placement,
        authority,
        unit,
        application_id: request.application,
        appeal: None,
        decided_on: today,
    };
    Ok(state
        .store
        .record_decision(&actor(caller), &decision, key.as_ref())
        .await?)
}

/// Files an appeal against `decision` of `person`.
pub(crate) async fn file_appeal(
    state: &AppState,
    caller: &Caller,
    person: &PersonRow,
    decision: &DecisionRow,
    request: &AppealRequest,
    key: Option<halden_storage::AnswerKey<i64>>,
) -> Result<i64, ApiError> {
    appeal_refusal(caller, person)?;
    let appeal = NewAppeal {
        decision_id: decision.id,
        grounds: request.grounds.clone(),
        late_reason: request.late_reason.clone(),
        filed_on: state.today(),
    };
    Ok(state
        .store
        .file_appeal(&actor(caller), &appeal, key.as_ref())
        .await?)
}

/// Decides `appeal` of `person`.
pub(crate) async fn record_appeal_decision(
    state: &AppState,
    caller: &Caller,
    person: &PersonRow,
    appeal: &AppealRow,
    request: &AppealDecisionRequest,
    key: Option<halden_storage::AnswerKey<i64>>,
) -> Result<i64, ApiError> {
    let level = appeal_authority(caller, appeal, person)?;
    if appeal.appealed_decided_by == caller.user.id {
        return Err(ApiError::Invalid(vec![FieldError::bilingual(
            "appeal",
            None,
            "you made the decision appealed: another must decide the appeal",
            "du fattet vedtaket som er påklaget: en annen må avgjøre klagen",
        )]));
    }
    let Some(outcome) = AppealOutcome::parse(request.outcome.trim()) else {
        let names: Vec<&str> = AppealOutcome::ALL.iter().map(|o| o.as_str()).collect();
        return Err(ApiError::Invalid(vec![FieldError::bilingual(
            "outcome",
            None,
            format!("must be one of {}", names.join(", ")),
            format!("må være en av {}", names.join(", ")),
        )]));
    };
    let kind = DecisionKind::parse(&appeal.kind)
        .ok_or_else(|| ApiError::Internal(format!("stored kind '{}'", appeal.kind)))?;
    let decision = NewDecision {
        person_id: person.id,
        kind,
        // The appeal's outcome is what is stored; this is not used for an appeal decision.
        outcome: Outcome::Granted,
        legal_ground_id: request.legal_ground,
        reason: request.reason.clone(),
        details: json!({"appealed_decision": appeal.decision_id}).to_string(),
        placement: None,
        authority: level,
        unit: person.unit.clone(),
        application_id: None,
        appeal: Some((appeal.id, outcome)),
        decided_on: state.today(),
    };
    Ok(state
        .store
        .record_decision(&actor(caller), &decision, key.as_ref())
        .await?)
}

// --- Handlers -------------------------------------------------------------------------------

/// The person, read and logged under `view` (full record only: service providers are refused).
async fn person_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    view: &str,
) -> Result<PersonRow, ApiError> {
    let id = parse_id(id)?;
    let (person, _, _) = read_person(state, caller, id, view, None, true).await?;
    Ok(person)
}

async fn list_applications(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let person = person_for(&state, &caller, &id, "api_applications").await?;
    let list = state.store.applications_for(person.id).await?;
    let decisions = state.store.decisions_for(person.id).await?;
    Ok(Json(json!({
        "applications": list.iter().map(|a| {
            let mut item = application_json(a, Some(&person));
            if a.decision_id.is_none()
                && let Some(rule) = postponement_rule(&person, a)
            {
                let finding = postponement_finding(&rule);
                item["rules"] = json!({
                    "mandatory": matches!(rule, halden_domain::applications::PostponementRule::Mandatory(_)),
                    "findings": [{"rule": finding.rule.id(), "en": finding.en, "nb": finding.nb}],
                });
            }
            if a.decision_id.is_none()
                && let Some((findings, broken)) = leave_findings(&person, a, &decisions)
            {
                item["rules"] = json!({
                    "breaks_a_rule": broken,
                    "findings": findings.iter().map(|f| json!({
                        "rule": f.rule.id(), "en": f.en, "nb": f.nb,
                    })).collect::<Vec<_>>(),
                });
            }
            item
        }).collect::<Vec<_>>(),
    })))
}

async fn file_application(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(FILERS)?;
    let person = person_for(&state, &caller, &id, "api_applications").await?;
    filing_refusal(&caller, &person)?;
    let request: ApplicationRequest = typed(json_body(&body)?)?;
    let route = format!("/api/v1/persons/{}/applications", person.id);
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        id_json,
        |key| async { file(&state, &caller, &person, &request, key).await },
    )
    .await
}

async fn list_decisions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let person = person_for(&state, &caller, &id, "api_decisions").await?;
    let decisions = state.store.decisions_for(person.id).await?;
    let appeals = state.store.appeals_for(person.id).await?;
    Ok(Json(json!({
        "decisions": decisions.iter().map(decision_json).collect::<Vec<_>>(),
        "appeals": appeals.iter().map(appeal_json).collect::<Vec<_>>(),
    })))
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Leader, Role::Placement])?;
    let person = person_for(&state, &caller, &id, "api_decisions").await?;
    let request: DecisionRequest = typed(json_body(&body)?)?;
    let route = format!("/api/v1/persons/{}/decisions", person.id);
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        id_json,
        |key| async { record(&state, &caller, &person, &request, key).await },
    )
    .await
}

/// The decision and its person, the person read and logged under `view`.
async fn decision_and_person(
    state: &AppState,
    caller: &Caller,
    id: &str,
    view: &str,
) -> Result<(DecisionRow, PersonRow), ApiError> {
    let id = parse_id(id)?;
    let decision = state.store.decision(id).await?.ok_or(ApiError::NotFound)?;
    let (person, _, _) = read_person(state, caller, decision.person_id, view, None, true).await?;
    Ok((decision, person))
}

async fn appeal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Prisoner, Role::Contact])?;
    let (decision, person) = decision_and_person(&state, &caller, &id, "api_decisions").await?;
    appeal_refusal(&caller, &person)?;
    let request: AppealRequest = typed(json_body(&body)?)?;
    let route = format!("/api/v1/decisions/{}/appeals", decision.id);
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        id_json,
        |key| async { file_appeal(&state, &caller, &person, &decision, &request, key).await },
    )
    .await
}

/// The appeal and its person, the person read and logged.
async fn appeal_and_person(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(AppealRow, PersonRow), ApiError> {
    let id = parse_id(id)?;
    let appeal = state.store.appeal(id).await?.ok_or(ApiError::NotFound)?;
    let (person, _, _) =
        read_person(state, caller, appeal.person_id, "api_decisions", None, true).await?;
    Ok((appeal, person))
}

async fn get_appeal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let (appeal, _) = appeal_and_person(&state, &caller, &id).await?;
    let decision = state
        .store
        .decision(appeal.decision_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(json!({
        "appeal": appeal_json(&appeal),
        "appealed_decision": decision_json(&decision),
    })))
}

async fn decide_appeal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Leader, Role::Placement])?;
    let (appeal, person) = appeal_and_person(&state, &caller, &id).await?;
    appeal_authority(&caller, &appeal, &person)?;
    let request: AppealDecisionRequest = typed(json_body(&body)?)?;
    let route = format!("/api/v1/appeals/{}/decision", appeal.id);
    once(
        &state,
        &caller,
        &headers,
        &route,
        &body,
        StatusCode::CREATED,
        id_json,
        |key| async {
            record_appeal_decision(&state, &caller, &person, &appeal, &request, key).await
        },
    )
    .await
}

/// What waits for the caller's decision: applications routed to their level (and unit) and
/// appeals to their level. The list names persons, so only deciders see it.
pub(crate) async fn in_tray_lists(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<ApplicationRow>, Vec<AppealRow>), ApiError> {
    caller.require(&[Role::Leader, Role::Placement])?;
    let mut applications = Vec::new();
    let mut appeals = Vec::new();
    for (level, unit) in in_tray_levels(caller) {
        applications.extend(
            state
                .store
                .pending_applications(level, unit.as_deref(), 200)
                .await?,
        );
        // Appeals at the prison level do not exist (the prison is the lowest level).
        if level != AuthorityLevel::Prison {
            appeals.extend(state.store.pending_appeals(level, 200).await?);
        }
    }
    Ok((applications, appeals))
}

async fn in_tray(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let (applications, appeals) = in_tray_lists(&state, &caller).await?;
    Ok(Json(json!({
        "applications": applications.iter().map(|a| application_json(a, None)).collect::<Vec<_>>(),
        "appeals": appeals.iter().map(appeal_json).collect::<Vec<_>>(),
    })))
}

async fn list_grounds(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    // The law is public; analysts have no use for it in Halden, but it reveals nothing.
    let _ = caller;
    let grounds = state.store.legal_grounds().await?;
    Ok(Json(json!({
        "legal_grounds": grounds.iter().map(ground_json).collect::<Vec<_>>(),
    })))
}

/// Checks a ground request; every problem names its field.
pub(crate) fn new_ground(request: &GroundRequest) -> Result<NewLegalGround, ApiError> {
    let mut problems = Vec::new();
    let mut kinds = Vec::new();
    for (i, text) in request.kinds.iter().enumerate() {
        match parse_kind(&format!("kinds[{i}]"), text) {
            Ok(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
    }
    let ground = NewLegalGround {
        paragraph: request.paragraph.clone(),
        title_en: request.title_en.clone(),
        title_nb: request.title_nb.clone(),
        text_en: request.text_en.clone(),
        text_nb: request.text_nb.clone(),
        kinds,
        replaces: request.replaces,
    };
    if problems.is_empty() {
        problems = ground.validate();
    }
    if problems.is_empty() {
        Ok(ground)
    } else {
        Err(ApiError::Invalid(problems))
    }
}

async fn add_ground(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Admin])?;
    let request: GroundRequest = typed(json_body(&body)?)?;
    let ground = new_ground(&request)?;
    once(
        &state,
        &caller,
        &headers,
        "/api/v1/legal-grounds",
        &body,
        StatusCode::CREATED,
        id_json,
        |key| {
            let (state, caller, ground) = (&state, &caller, &ground);
            async move {
                Ok(state
                    .store
                    .add_legal_ground(&actor(caller), ground, key.as_ref())
                    .await?)
            }
        },
    )
    .await
}

async fn retire_ground(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Admin])?;
    let id = parse_id(&id)?;
    let request: ReasonRequest = typed(json_body(&body)?)?;
    state
        .store
        .retire_legal_ground(&actor(&caller), id, &request.reason)
        .await?;
    let ground = state
        .store
        .legal_ground(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ground_json(&ground)).into_response())
}

async fn list_authority(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let _ = caller;
    let list = state.store.decision_authorities().await?;
    Ok(Json(json!({
        "authority": list.iter().map(|a| json!({
            "kind": a.kind.as_str(),
            "level": a.level.as_str(),
            "appeal_to": a.level.next().map(AuthorityLevel::as_str),
            "default": a.changed.is_none(),
            "changed": a.changed.as_ref().map(|c| json!({
                "at": c.at, "by": c.by_username, "reason": c.reason,
            })),
        })).collect::<Vec<_>>(),
    })))
}

/// Parses an authority change; every problem names its field.
pub(crate) fn authority_change(
    request: &AuthorityRequest,
) -> Result<(DecisionKind, AuthorityLevel), ApiError> {
    let mut problems = Vec::new();
    let kind = parse_kind("kind", &request.kind)
        .map_err(|e| problems.push(e))
        .ok();
    let level = AuthorityLevel::parse(request.level.trim());
    if level.is_none() {
        problems.push(FieldError::bilingual(
            "level",
            None,
            "must be prison, region or national",
            "må være prison, region eller national",
        ));
    }
    if request.reason.trim().is_empty() {
        problems.push(FieldError::bilingual(
            "reason",
            None,
            "is required",
            "må fylles ut",
        ));
    }
    match (kind, level) {
        (Some(kind), Some(level)) if problems.is_empty() => Ok((kind, level)),
        _ => Err(ApiError::Invalid(problems)),
    }
}

async fn set_authority(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&[Role::Admin])?;
    let request: AuthorityRequest = typed(json_body(&body)?)?;
    let (kind, level) = authority_change(&request)?;
    state
        .store
        .set_decision_authority(&actor(&caller), kind, level, &request.reason)
        .await?;
    Ok(Json(json!({"kind": kind.as_str(), "level": level.as_str()})).into_response())
}
