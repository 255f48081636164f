//! The simulator's pages: a scenario form (prefilled with the Norway example), a run page that
//! shows progress (htmx polls a fragment) and then the fan charts with their bands and the
//! policy delta, each followed by its figures as a table. See [`crate::simulation`].

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use halden_sim::population::run::{SERIES, SERIES_NAMES};
use serde::Deserialize;

use super::{Chrome, check_csrf, chrome, lang, refusal, render, signed_in};
use crate::{
    AppState,
    charts::{self, FanLine},
    i18n::Lang,
    simulation::{self, StartError, Status},
};

/// The words of the pages.
pub struct Words {
    pub nav: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub scenario: &'static str,
    pub scenario_help: &'static str,
    pub run: &'static str,
    pub errors: &'static str,
    pub busy: &'static str,
    pub running: &'static str,
    pub replications: &'static str,
    pub refresh: &'static str,
    pub failed: &'static str,
    pub result: &'static str,
    pub baseline: &'static str,
    pub policy: &'static str,
    pub delta: &'static str,
    pub total_chart: &'static str,
    pub delta_chart: &'static str,
    pub chart_desc: &'static str,
    pub year: &'static str,
    pub series: &'static str,
    pub mean: &'static str,
    pub validation: &'static str,
    pub conservation: &'static str,
    pub target: &'static str,
    pub published: &'static str,
    pub simulated: &'static str,
    pub error: &'static str,
    pub again: &'static str,
    pub expected: &'static str,
    pub expected_caption: &'static str,
    pub series_names: [&'static str; SERIES],
}

const NB: Words = Words {
    nav: "Simulering",
    heading: "Befolkningssimulering",
    intro: "Hver person går gjennom den virkelige straffeberegningen (prøveløslatelse, varetektsfradrag, elektronisk kontroll); Monte Carlo-replikasjoner gir P10–P90-bånd, og et tiltak ([policy]) kjøres på de samme tilfeldige tallene som grunnlaget. Bare aggregater, aldri en person.",
    scenario: "Scenario (TOML)",
    scenario_help: "Nøklene er beskrevet i docs/simulator.md. Ukjente nøkler og ugyldige verdier avvises med nøkkel og linje.",
    run: "Kjør simuleringen",
    errors: "Scenarioet er ugyldig",
    busy: "Serveren kjører så mange simuleringer som den tillater. Prøv igjen om litt.",
    running: "Simuleringen kjører",
    replications: "replikasjoner ferdig",
    refresh: "Oppdater",
    failed: "Simuleringen feilet",
    result: "Resultat",
    baseline: "Grunnlag",
    policy: "Tiltak",
    delta: "Endring (tiltak − grunnlag)",
    total_chart: "Samlet bestand per måned",
    delta_chart: "Endring per måned (tiltak − grunnlag, per replikasjon)",
    chart_desc: "Median (P50) som linje og P10–P90 som bånd over replikasjonene; tallene står i tabellen under.",
    year: "år",
    series: "Bestand",
    mean: "Gjennomsnitt",
    validation: "Kontroll",
    conservation: "Bevaring (P slutt = P start + inn − ut), største avvik",
    target: "Publisert tall",
    published: "Publisert",
    simulated: "Simulert",
    error: "Avvik",
    again: "Ny simulering",
    expected: "Forventet likevekt",
    expected_caption: "Likevekten ved kohortregning (Littles lov med straffeberegningens datoer, uten tilfeldige tall og uten kapasitetstak): det simuleringen skal nærme seg når ingen plassgrense binder.",
    series_names: [
        "fengsel",
        "varetekt",
        "elektronisk kontroll",
        "prøveløslatt",
        "subsidiær fengsel for bot",
        "i alt",
        "venter på soning",
        "soningskø",
    ],
};

const EN: Words = Words {
    nav: "Simulation",
    heading: "Population simulation",
    intro: "Each person goes through the real sentence engine (parole, remand credit, electronic monitoring); Monte Carlo replications give P10–P90 bands, and a policy ([policy]) runs on the same random numbers as the baseline. Aggregates only, never a person.",
    scenario: "Scenario (TOML)",
    scenario_help: "The keys are described in docs/simulator.md. Unknown keys and bad values are refused with the key and line.",
    run: "Run the simulation",
    errors: "The scenario is invalid",
    busy: "The server is running as many simulations as it allows. Try again shortly.",
    running: "The simulation is running",
    replications: "replications done",
    refresh: "Refresh",
    failed: "The simulation failed",
    result: "Result",
    baseline: "Baseline",
    policy: "Policy",
    delta: "Delta (policy − baseline)",
    total_chart: "Total stock by month",
    delta_chart: "Delta by month (policy − baseline, per replication)",
    chart_desc: "Median (P50) as a line and P10–P90 as a band over the replications; the figures are in the table below.",
    year: "year",
    series: "Stock",
    mean: "Mean",
    validation: "Checks",
    conservation: "Conservation (P end = P start + in − out), largest residual",
    target: "Published figure",
    published: "Published",
    simulated: "Simulated",
    error: "Error",
    again: "New simulation",
    expected: "Expected steady state",
    expected_caption: "The steady state by cohort arithmetic (Little's law with the sentence engine's dates, no random numbers and no capacity ceiling): what the simulation tends to when no place limit binds.",
    series_names: [
        "prison",
        "remand",
        "electronic monitoring",
        "parole",
        "fine default",
        "total",
        "waiting to serve",
        "serving queue",
    ],
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

#[derive(Template)]
#[template(path = "simulation.html")]
struct FormPage {
    c: Chrome,
    w: &'static Words,
    scenario: String,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "simulation_run.html")]
struct RunPage {
    c: Chrome,
    w: &'static Words,
    progress: Progress,
    result: Option<ResultView>,
    failed: Option<String>,
}

#[derive(Template)]
#[template(path = "simulation_progress.html")]
struct ProgressFragment {
    w: &'static Words,
    progress: Progress,
}

struct Progress {
    id: String,
    done: u32,
    total: u32,
}

struct Row {
    name: &'static str,
    cells: Vec<String>,
}

struct TargetRow {
    label: String,
    published: String,
    simulated: String,
    error: String,
    passed: bool,
}

struct ResultView {
    total_svg: String,
    delta_svg: Option<String>,
    has_policy: bool,
    /// One per column group (baseline; policy and delta).
    groups: Vec<u8>,
    rows: Vec<Row>,
    residual: i64,
    targets: Vec<TargetRow>,
    /// The expected steady state per series: baseline, then policy and delta.
    expected: Vec<Row>,
}

#[derive(Deserialize)]
pub(super) struct Submitted {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    scenario: String,
}

fn refuse_role(caller: &crate::access::Caller) -> Result<(), crate::error::ApiError> {
    caller.require(&simulation::ROLES)
}

pub(super) async fn form_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/simulation";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = refuse_role(&caller) {
        return refusal(&headers, Some(&caller), e, here);
    }
    let w = words(lang(&headers));
    render(&FormPage {
        c: chrome(&headers, Some(&caller), w.heading, here),
        w,
        scenario: simulation::EXAMPLE.to_string(),
        problems: Vec::new(),
    })
}

pub(super) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Submitted>,
) -> Response {
    let here = "/simulation";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = refuse_role(&caller).and_then(|()| check_csrf(&caller, &form.csrf)) {
        return refusal(&headers, Some(&caller), e, here);
    }
    let lang = lang(&headers);
    let w = words(lang);
    let problems = match simulation::start(&caller, &form.scenario) {
        Ok(id) => return Redirect::to(&format!("/simulation/runs/{id}")).into_response(),
        Err(StartError::Invalid(errors)) => errors
            .iter()
            .map(|e| {
                let line = match lang {
                    Lang::Nb => "linje",
                    Lang::En => "line",
                };
                format!("{} ({line} {}): {}", e.key, e.line, e.message)
            })
            .collect(),
        Err(StartError::TooLarge(en, nb)) => vec![match lang {
            Lang::Nb => nb.to_string(),
            Lang::En => en.to_string(),
        }],
        Err(StartError::Busy) => vec![w.busy.to_string()],
    };
    let page = render(&FormPage {
        c: chrome(&headers, Some(&caller), w.heading, here),
        w,
        scenario: form.scenario,
        problems,
    });
    (StatusCode::BAD_REQUEST, page).into_response()
}

pub(super) async fn run_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/simulation/runs/{id}");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = refuse_role(&caller) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let lang = lang(&headers);
    let w = words(lang);
    let Some(status) = simulation::status(&caller, &id) else {
        return refusal(
            &headers,
            Some(&caller),
            crate::error::ApiError::NotFound,
            &here,
        );
    };
    let (progress, result, failed) = match status {
        Status::Running(done, total) => (Progress { id, done, total }, None, None),
        Status::Done(f) => (
            Progress {
                id,
                done: f.scenario.replications,
                total: f.scenario.replications,
            },
            Some(result_view(&f, w)),
            None,
        ),
        Status::Failed(e) => (
            Progress {
                id,
                done: 0,
                total: 0,
            },
            None,
            Some(e),
        ),
    };
    render(&RunPage {
        c: chrome(&headers, Some(&caller), w.heading, &here),
        w,
        progress,
        result,
        failed,
    })
}

pub(super) async fn progress_fragment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/simulation/runs/{id}/progress");
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = refuse_role(&caller) {
        return refusal(&headers, Some(&caller), e, &here);
    }
    let w = words(lang(&headers));
    match simulation::status(&caller, &id) {
        None => refusal(
            &headers,
            Some(&caller),
            crate::error::ApiError::NotFound,
            &here,
        ),
        Some(Status::Running(done, total)) => render(&ProgressFragment {
            w,
            progress: Progress { id, done, total },
        }),
        Some(_) => {
            // Finished: htmx reloads the page, which shows the result.
            let mut response = render(&ProgressFragment {
                w,
                progress: Progress {
                    id,
                    done: 1,
                    total: 1,
                },
            });
            response
                .headers_mut()
                .insert("HX-Refresh", HeaderValue::from_static("true"));
            response
        }
    }
}

fn result_view(f: &simulation::Finished, w: &Words) -> ResultView {
    let o = &f.outcome;
    let total = simulation::series_index("total");
    let has_policy = o.policy.is_some();
    let mut lines = Vec::new();
    if let Some((p10, p50, p90)) = simulation::monthly(o, 0, total) {
        lines.push(FanLine {
            label: w.baseline,
            colour: "#1d4f91",
            p10,
            p50,
            p90,
        });
    }
    if has_policy {
        if let Some((p10, p50, p90)) = simulation::monthly(o, 1, total) {
            lines.push(FanLine {
                label: w.policy,
                colour: "#b35900",
                p10,
                p50,
                p90,
            });
        }
    }
    let total_svg = charts::fan("chart-total", w.total_chart, w.chart_desc, w.year, &lines);
    let delta_svg = if has_policy {
        let prison = simulation::series_index("prison");
        let mut lines = Vec::new();
        for (series, label, colour) in [
            (total, w.series_names[total], "#1d4f91"),
            (prison, w.series_names[prison], "#b35900"),
        ] {
            if let Some((p10, p50, p90)) = simulation::monthly(o, 2, series) {
                lines.push(FanLine {
                    label,
                    colour,
                    p10,
                    p50,
                    p90,
                });
            }
        }
        Some(charts::fan(
            "chart-delta",
            w.delta_chart,
            w.chart_desc,
            w.year,
            &lines,
        ))
    } else {
        None
    };
    let fmt =
        |b: &halden_sim::population::Band| [b.mean, b.p10, b.p50, b.p90].map(|v| format!("{v:.1}"));
    let rows = (0..SERIES)
        .map(|s| {
            let mut cells: Vec<String> = fmt(&o.baseline[s]).to_vec();
            if let (Some(p), Some(d)) = (&o.policy, &o.delta) {
                cells.extend(fmt(&p[s]));
                cells.extend(fmt(&d[s]));
            }
            Row {
                name: w.series_names[s],
                cells,
            }
        })
        .collect();
    let _ = SERIES_NAMES;
    ResultView {
        total_svg,
        delta_svg,
        has_policy,
        groups: if has_policy { vec![0, 1, 2] } else { vec![0] },
        rows,
        residual: o.residual.max(o.persons_residual),
        expected: (0..SERIES)
            .map(|s| {
                let e = &f.expected;
                let mut cells = vec![format!("{:.1}", e.baseline[s])];
                if let (Some(p), Some(d)) = (&e.policy, &e.delta) {
                    cells.push(format!("{:.1}", p[s]));
                    cells.push(format!("{:+.1}", d[s]));
                }
                Row {
                    name: w.series_names[s],
                    cells,
                }
            })
            .collect(),
        targets: o
            .targets
            .iter()
            .map(|t| TargetRow {
                label: t.target.label.clone(),
                published: format!("{:.1}", t.target.value),
                simulated: format!(
                    "{:.1} ({:.1}–{:.1})",
                    t.simulated.mean, t.simulated.p10, t.simulated.p90
                ),
                error: format!("{:+.1} %", 100.0 * t.error),
                passed: t.passed,
            })
            .collect(),
    }
}
