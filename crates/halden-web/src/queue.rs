//! The serving queue (soningskø) for national placement (BRIEF §2, §3.3): everyone with a
//! judgment received and not started, longest waiting first, with the latest serving date and
//! summons deadline (R-INNK-1), whether and since when they count in the queue (R-QUEUE-1), the
//! summons sent and any missed serving date (R-INNK-3); and the day's count with its EM
//! sub-count.
//!
//! `GET /api/v1/queue` and the page `/queue` show the same [`QueueView`].

use axum::{Json, Router, extract::State, http::HeaderMap, routing::get};
use halden_domain::queue::{self, PlannedForm, QueueCount, Waiting};
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    auth::api_caller,
    error::ApiError,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/queue", get(queue_api))
}

/// One person waiting.
pub(crate) struct WaitingLine {
    pub person_id: i64,
    pub name: String,
    pub interpreter: Option<String>,
    pub home_municipality: String,
    pub received: Date,
    pub latest_start: Date,
    pub latest_summons_arrival: Date,
    pub counted_from: Date,
    pub in_queue: bool,
    pub form: PlannedForm,
    pub summons_date: Option<String>,
    pub summons_prison: Option<String>,
    pub non_appearance: Option<String>,
    /// The placement recommendation: the lowest level the rules allow and the departments that
    /// fit, room first and nearest home first.
    pub recommendation: halden_domain::placement::Recommendation,
}

/// The queue on a day.
pub(crate) struct QueueView {
    pub date: Date,
    pub count: QueueCount,
    pub waiting_all: usize,
    pub lines: Vec<WaitingLine>,
}

/// Only national placement works the queue; the list names persons (the 1 000 waiting longest).
pub(crate) async fn queue_view(state: &AppState, caller: &Caller) -> Result<QueueView, ApiError> {
    caller.require(&[Role::Placement])?;
    let today = state.today();
    let (rows, all) = state.store.awaiting(1000).await?;
    let prisons = crate::placement_advice::prisons_today(&state.store, today).await?;
    let waiting_of = |received: &str, form: &str| {
        Some(Waiting {
            received: received.parse().ok()?,
            started: None,
            form: PlannedForm::parse(form).unwrap_or(PlannedForm::Prison),
        })
    };
    let every: Vec<Waiting> = all
        .iter()
        .filter_map(|(received, form)| waiting_of(received, form))
        .collect();
    let lines = rows
        .iter()
        .filter_map(|p| {
            let w = waiting_of(
                p.queue_received.as_deref()?,
                p.queue_form.as_deref().unwrap_or("prison"),
            )?;
            let latest_start = queue::latest_start(w.received);
            Some(WaitingLine {
                person_id: p.id,
                name: p.display_name(),
                interpreter: p.needs_interpreter().then(|| p.languages.clone()),
                home_municipality: p.home_municipality.clone().unwrap_or_default(),
                received: w.received,
                latest_start,
                latest_summons_arrival: queue::latest_summons_arrival(latest_start),
                counted_from: queue::counted_from(w.received),
                in_queue: queue::in_queue(&w, today),
                form: w.form,
                summons_date: p.summons_date.clone(),
                summons_prison: p.summons_prison.clone(),
                non_appearance: p.non_appearance.clone(),
                recommendation: crate::placement_advice::recommendation_for(p, &prisons, today),
            })
        })
        .collect();
    Ok(QueueView {
        date: today,
        count: queue::count(&every, today),
        waiting_all: every.len(),
        lines,
    })
}

async fn queue_api(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    let view = queue_view(&state, &caller).await?;
    Ok(Json(json!({
        "date": view.date.to_string(),
        "queue": view.count.queue,
        "queue_em": view.count.queue_em,
        "waiting_all": view.waiting_all,
        "rule": "R-QUEUE-1",
        "definition": "judgments received two calendar months or more before the date and not started by it (R-QUEUE-1); waiting_all counts every judgment received and not started",
        "waiting": view.lines.iter().map(|l| json!({
            "person_id": l.person_id,
            "name": l.name,
            "interpreter": l.interpreter,
            "home_municipality": l.home_municipality,
            "received": l.received.to_string(),
            "latest_start": l.latest_start.to_string(),
            "latest_summons_arrival": l.latest_summons_arrival.to_string(),
            "counted_from": l.counted_from.to_string(),
            "in_queue": l.in_queue,
            "form": l.form.as_str(),
            "summons": l.summons_date.as_ref().map(|d| json!({"serving_date": d, "prison": l.summons_prison})),
            "non_appearance": l.non_appearance,
            "recommendation": {
                "level": l.recommendation.level.as_str(),
                "reasons": l.recommendation.reasons.iter().map(|r| json!({
                    "rule": r.rule.id(), "en": r.en, "nb": r.nb,
                })).collect::<Vec<_>>(),
                "prisons": l.recommendation.prisons.iter().take(3).map(|c| json!({
                    "id": c.id, "name": c.name, "free": c.free, "distance_km": c.distance_km,
                })).collect::<Vec<_>>(),
            },
        })).collect::<Vec<_>>(),
    })))
}
