//! The progression plan of a person in prison (issue 5, item 7): the level now, the lowest level
//! the rules allow ([`crate::placement_advice`]) and the steps towards release from the engine's
//! key dates ([`halden_domain::progression`]), each with its rule, § and explanation; and the
//! steps falling due in the week, for the leader's home page.
//!
//! `GET /api/v1/persons/{id}/progression` (logged) and the person page show the same
//! [`Progression`].

use axum::{
    Json, Router,
    extract::{Path, State},
    http::HeaderMap,
    routing::get,
};
use halden_domain::{
    calc::DateKey,
    placement::Reason,
    progression::{self, PlannedStep},
    register::SecurityLevel,
};
use halden_storage::PersonRow;
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::{
    AppState,
    api::{parse_id, read_person},
    auth::api_caller,
    error::ApiError,
    placement_advice::recommended_level_for,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/persons/{id}/progression", get(progression_api))
}

/// One step with the engine's words for its date.
pub struct StepLine {
    /// The step and its date.
    pub planned: PlannedStep,
    /// The rule id of the engine's date (`R-PAR-1`, …).
    pub rule: String,
    /// Its statute reference.
    pub reference: String,
    /// The engine's explanation in English.
    pub explanation_en: String,
    /// The same in bokmål.
    pub explanation_nb: String,
}

/// A person's progression plan.
pub struct Progression {
    /// The level the person is held at.
    pub level_now: Option<SecurityLevel>,
    /// The lowest level the rules allow today.
    pub recommended: SecurityLevel,
    /// Why, rule by rule.
    pub reasons: Vec<Reason>,
    /// The steps towards release, in date order.
    pub steps: Vec<StepLine>,
}

impl Progression {
    /// Held above the lowest level the rules allow: a restrictive placement, which needs a
    /// decision with a legal ground (BRIEF §1).
    pub fn above_recommended(&self) -> bool {
        self.level_now.is_some_and(|now| now > self.recommended)
    }
}

/// What limits `person`'s steps: an expulsion decision in effect.
fn limits(person: &PersonRow) -> progression::Limits {
    progression::Limits {
        expulsion: person.expulsion.is_some(),
    }
}

/// The plan of `person` on `today`: `None` unless they are serving in custody with key dates.
pub fn plan(person: &PersonRow, today: Date) -> Option<Progression> {
    let doc: Value = serde_json::from_str(person.dates_json.as_deref()?).ok()?;
    plan_with(person, &doc, today)
}

/// [`plan`] with the person's engine document already parsed.
pub fn plan_with(person: &PersonRow, doc: &Value, today: Date) -> Option<Progression> {
    if !person.in_custody() || person.serving_start.is_none() {
        return None;
    }
    let dates = doc.get("dates")?.as_object()?;
    let lookup = |key: DateKey| {
        dates
            .get(key.as_str())?
            .get("date")?
            .as_str()?
            .parse::<Date>()
            .ok()
    };
    let text = |key: DateKey, path: &str| {
        dates
            .get(key.as_str())
            .and_then(|d| d.pointer(path))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let steps = progression::plan(lookup, today, limits(person))
        .into_iter()
        .map(|planned| StepLine {
            rule: text(planned.key, "/rule"),
            reference: text(planned.key, "/reference"),
            explanation_en: text(planned.key, "/explanation/en"),
            explanation_nb: text(planned.key, "/explanation/nb"),
            planned,
        })
        .collect();
    let (recommended, reasons) = recommended_level_for(person, today);
    Some(Progression {
        level_now: person
            .security_level
            .as_deref()
            .and_then(SecurityLevel::parse),
        recommended,
        reasons,
        steps,
    })
}

/// The steps of `person` falling due in the seven days from `today`, from the compact key dates
/// every list row carries (no engine document needed).
pub fn due_this_week(person: &PersonRow, today: Date) -> Vec<PlannedStep> {
    let Some(list) = person.key_dates.as_deref() else {
        return Vec::new();
    };
    let lookup = |key: DateKey| {
        list.split(';').find_map(|pair| {
            let (name, date) = pair.split_once('=')?;
            (name == key.as_str()).then(|| date.parse::<Date>().ok())?
        })
    };
    progression::due(lookup, today, 7, limits(person))
}

async fn progression_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let id = parse_id(&id)?;
    let (person, _, _) = read_person(&state, &caller, id, "api_progression", None, true).await?;
    let today = state.today();
    let Some(p) = plan(&person, today) else {
        return Ok(Json(json!({
            "date": today.to_string(),
            "in_prison": false,
            "steps": [],
        })));
    };
    Ok(Json(json!({
        "date": today.to_string(),
        "in_prison": true,
        "level_now": p.level_now.map(SecurityLevel::as_str),
        "recommended_level": p.recommended.as_str(),
        "above_recommended": p.above_recommended(),
        "reasons": p.reasons.iter().map(|r| json!({
            "rule": r.rule.id(), "reference": r.rule.reference(), "en": r.en, "nb": r.nb,
        })).collect::<Vec<_>>(),
        "steps": p.steps.iter().map(|s| json!({
            "step": s.planned.step.as_str(),
            "date": s.planned.date.to_string(),
            "reached": s.planned.reached,
            "closed": s.planned.closed.map(|c| {
                let (en, nb) = c.label();
                json!({"reason": "expulsion", "en": en, "nb": nb})
            }),
            "key_date": s.planned.key.as_str(),
            "rule": s.rule,
            "reference": s.reference,
            "explanation": {"en": s.explanation_en, "nb": s.explanation_nb},
        })).collect::<Vec<_>>(),
    })))
}
