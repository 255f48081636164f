//! The population simulator on the web (issue 7): analysts (and prison leaders) run a scenario
//! in the background and follow its progress; the result is a fan chart with its P10–P90 bands
//! and the policy delta. Aggregates only: a simulation holds no person.
//!
//! Runs live in this process's memory (they are cheap to repeat, and hold nothing to keep):
//! at most [`MAX_RUNNING`] at once over the whole server, scenarios up to [`MAX_SCENARIO_BYTES`]
//! and [`MAX_JOURNEYS`] person-journeys, the latest [`MAX_KEPT`] kept; a run is seen only by
//! the account that started it (404 to anyone else).
//!
//! `POST /api/v1/simulations` starts one, `GET /api/v1/simulations/{id}` follows it; the pages
//! are in `pages::simulation`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use halden_sim::population::{
    self, Options, Outcome, Scenario, ScenarioError, report,
    run::{SERIES, SERIES_NAMES},
};
use serde_json::{Value, json};

use crate::{
    AppState,
    access::{Caller, Role},
    auth::api_caller,
    error::ApiError,
};

/// Simulations running at once, over the whole server.
pub const MAX_RUNNING: usize = 2;
/// Finished runs kept (the oldest is forgotten first).
pub const MAX_KEPT: usize = 32;
/// The largest scenario text.
pub const MAX_SCENARIO_BYTES: usize = 64 * 1024;
/// The most person-journeys a web run may simulate (all replications and worlds): about half a
/// minute on two cores.
pub const MAX_JOURNEYS: f64 = 4.0e8;

/// Who may simulate.
pub const ROLES: [Role; 2] = [Role::Analyst, Role::Leader];

/// The Norway example, the form's starting point.
pub const EXAMPLE: &str = include_str!("../../../examples/norway-2019.toml");

/// Where a run is.
#[derive(Clone)]
pub enum Status {
    /// Replications done of the total.
    Running(u32, u32),
    /// Finished.
    Done(Arc<Finished>),
    /// The engine refused a length.
    Failed(String),
}

/// A finished run.
pub struct Finished {
    /// The scenario.
    pub scenario: Scenario,
    /// The figures.
    pub outcome: Outcome,
    /// The steady state by cohort arithmetic, beside the simulated bands.
    pub expected: population::expected::Expected,
}

struct Run {
    owner: i64,
    done: Arc<AtomicU32>,
    total: u32,
    result: Option<Result<Arc<Finished>, String>>,
}

#[derive(Default)]
struct Registry {
    runs: HashMap<String, Run>,
    order: VecDeque<String>,
}

static RUNS: LazyLock<Mutex<Registry>> = LazyLock::new(|| Mutex::new(Registry::default()));

/// Why a run did not start.
pub enum StartError {
    /// The scenario is invalid: every problem with its key, line and column.
    Invalid(Vec<ScenarioError>),
    /// Too large for the web (the message says which limit).
    TooLarge(&'static str, &'static str),
    /// As many runs as allowed are running.
    Busy,
}

impl StartError {
    /// As an API error (field `scenario`, or the scenario's key).
    pub fn api(self) -> ApiError {
        match self {
            StartError::Invalid(errors) => ApiError::Invalid(
                errors
                    .into_iter()
                    .map(|e| {
                        halden_domain::validate::FieldError::new(
                            format!("scenario.{}", e.key),
                            None,
                            format!("line {}, column {}: {}", e.line, e.column, e.message),
                        )
                    })
                    .collect(),
            ),
            StartError::TooLarge(en, nb) => ApiError::invalid_bilingual("scenario", en, nb),
            StartError::Busy => ApiError::Conflict(
                "the server is running as many simulations as it allows; try again shortly".into(),
            ),
        }
    }
}

/// Parses `text` and starts it in the background for `caller`.
///
/// # Errors
///
/// [`StartError`].
pub fn start(caller: &Caller, text: &str) -> Result<String, StartError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(StartError::TooLarge(
            "the scenario is over 64 KiB",
            "scenarioet er over 64 KiB",
        ));
    }
    let scenario = population::parse(text).map_err(StartError::Invalid)?;
    if scenario.journeys() > MAX_JOURNEYS {
        return Err(StartError::TooLarge(
            "the scenario is too large for the web (over 400 million person-journeys: admissions × days × replications); run it with `halden simulate`",
            "scenarioet er for stort for nettet (over 400 millioner forløp: innsettelser × dager × replikasjoner); kjør det med `halden simulate`",
        ));
    }
    let id = {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).map_err(|_| StartError::Busy)?;
        hex::encode(bytes)
    };
    let done = Arc::new(AtomicU32::new(0));
    {
        let mut reg = RUNS.lock().map_err(|_| StartError::Busy)?;
        let running = reg.runs.values().filter(|r| r.result.is_none()).count();
        if running >= MAX_RUNNING {
            return Err(StartError::Busy);
        }
        while reg.order.len() >= MAX_KEPT {
            let Some(oldest) = reg
                .order
                .iter()
                .position(|id| reg.runs.get(id).is_none_or(|r| r.result.is_some()))
            else {
                break;
            };
            if let Some(old) = reg.order.remove(oldest) {
                reg.runs.remove(&old);
            }
        }
        reg.runs.insert(
            id.clone(),
            Run {
                owner: caller.user.id,
                done: done.clone(),
                total: scenario.replications,
                result: None,
            },
        );
        reg.order.push_back(id.clone());
    }
    let run_id = id.clone();
    tokio::task::spawn_blocking(move || {
        let progress = |d: u32, _: u32| done.store(d, Ordering::Relaxed);
        let result = population::simulate(&scenario, Options::default(), &progress)
            .map(|outcome| {
                let expected =
                    population::expected::expected(&scenario, &population::engine::Memo::new());
                Arc::new(Finished {
                    scenario,
                    outcome,
                    expected,
                })
            })
            .map_err(|e| e.to_string());
        if let Ok(mut reg) = RUNS.lock() {
            if let Some(run) = reg.runs.get_mut(&run_id) {
                run.result = Some(result);
            }
        }
    });
    Ok(id)
}

/// Where the caller's run `id` is; `None` when there is no such run of theirs.
pub fn status(caller: &Caller, id: &str) -> Option<Status> {
    let reg = RUNS.lock().ok()?;
    let run = reg.runs.get(id).filter(|r| r.owner == caller.user.id)?;
    Some(match &run.result {
        None => Status::Running(run.done.load(Ordering::Relaxed), run.total),
        Some(Ok(f)) => Status::Done(f.clone()),
        Some(Err(e)) => Status::Failed(e.clone()),
    })
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/simulations", post(start_api))
        .route("/api/v1/simulations/{id}", get(status_api))
}

async fn start_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&ROLES)?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid("body", format!("not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(ApiError::invalid("body", "must be an object"));
    };
    if let Some(other) = object.keys().find(|k| *k != "scenario") {
        return Err(ApiError::invalid(other, "unknown field"));
    }
    let text = object
        .get("scenario")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("scenario", "required: the scenario as TOML text"))?;
    let id = start(&caller, text).map_err(StartError::api)?;
    let body = status_json(&id, &Status::Running(0, 0));
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

async fn status_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require(&ROLES)?;
    let status = status(&caller, &id).ok_or(ApiError::NotFound)?;
    Ok(Json(status_json(&id, &status)))
}

fn status_json(id: &str, status: &Status) -> Value {
    let href = format!("/api/v1/simulations/{id}");
    match status {
        Status::Running(done, total) => json!({"id": id, "status": "running",
            "progress": {"done": done, "total": total}, "href": href}),
        Status::Done(f) => json!({"id": id, "status": "done", "href": href,
            "result": report::to_json(&f.scenario, &f.outcome),
            "expected": population::expected::to_json(&f.expected)}),
        Status::Failed(message) => json!({"id": id, "status": "failed", "href": href,
            "errors": [{"field": "scenario", "message": message}]}),
    }
}

/// The monthly bands of `series` in world `world` (0 baseline, 1 policy, 2 delta).
pub fn monthly(
    outcome: &Outcome,
    world: usize,
    series: usize,
) -> Option<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let months = outcome.monthly.get(world)?;
    let s = series.min(SERIES - 1);
    Some((
        months.iter().map(|m| m[s].p10).collect(),
        months.iter().map(|m| m[s].p50).collect(),
        months.iter().map(|m| m[s].p90).collect(),
    ))
}

/// The index of a series by name.
pub fn series_index(name: &str) -> usize {
    SERIES_NAMES.iter().position(|s| *s == name).unwrap_or(0)
}
