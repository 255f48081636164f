//! The population simulator (STATISTICS.md §4–5): people arrive, wait, serve and leave, each
//! person's dates from the real sentence engine; Monte Carlo replications give bands, a policy
//! what-if runs on the same random numbers, and every run checks itself (conservation, Little's
//! law, the length-biased stock, published targets).
//!
//! Pure: a scenario in, figures out; no I/O, no clock. The scenario format is in
//! `docs/simulator.md`.
//!
//! ```
//! use halden_sim::population::{self, Options};
//! // 365 sentences of 90 days a year, parole at 2/3 (day max(ceil(2·90/3), 60) = 60):
//! // L = λW gives 1 × 60 = 60 in prison and 1 × 30 = 30 on parole.
//! let scenario = population::parse(r#"
//! seed = 1
//! years = 2
//! burn_in_days = 200
//! replications = 4
//! [[admissions]]
//! kind = "prison"
//! per_year = 365
//! sentence_days = 90
//! "#).unwrap();
//! let outcome = population::simulate(&scenario, Options::default(), &|_, _| {}).unwrap();
//! assert!((outcome.baseline[0].mean - 60.0).abs() < 6.0);
//! assert!((outcome.baseline[3].mean - 30.0).abs() < 4.0);
//! assert_eq!(outcome.residual, 0);
//! ```

pub mod engine;
pub mod expected;
pub mod report;
pub mod run;
pub mod scenario;

pub use report::{Band, Outcome};
pub use run::Options;
pub use scenario::{Scenario, ScenarioError, parse};

/// A scenario the engine refuses (a length the scenario checks let through but the law does not).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: the sentence engine refuses {days} days: {message}")]
pub struct EngineRefusal {
    /// The flow's key.
    pub key: String,
    /// The length refused.
    pub days: u32,
    /// The engine's reason.
    pub message: String,
}

/// Checks that the engine takes the shortest and longest length of every flow, under every rule
/// version the scenario uses.
///
/// # Errors
///
/// The first length refused.
pub fn check_engine(scenario: &Scenario) -> Result<(), EngineRefusal> {
    let mut rules = vec![scenario.rules.parole_fraction];
    if let Some(p) = &scenario.policy {
        rules.push(p.rules.parole_fraction);
    }
    for (i, flow) in scenario.admissions.iter().enumerate() {
        let (length, fine, key) = match (&flow.kind, &flow.sentence) {
            (scenario::Kind::Remand, Some(s)) => (s, false, "sentence_days"),
            (scenario::Kind::Remand, None) => continue,
            (kind, _) => (
                &flow.length,
                *kind == scenario::Kind::FineDefault,
                "sentence_days",
            ),
        };
        let (low, high) = length.range();
        let max_remand = match flow.kind {
            scenario::Kind::Remand => flow.length.range().1,
            _ => 0,
        };
        for &days in &[low, high] {
            for &parole in &rules {
                for six_month_em in [false, true] {
                    for remand in [0, max_remand] {
                        engine::compute(engine::Input {
                            fine_default: fine,
                            term: days,
                            remand,
                            parole,
                            six_month_em,
                        })
                        .map_err(|message| EngineRefusal {
                            key: format!("admissions[{i}].{key}"),
                            days,
                            message,
                        })?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs a scenario: every replication (on `options.threads` threads; the figures do not depend
/// on it), then bands, deltas and validation. `progress(done, total)` is called as replications
/// finish.
///
/// # Errors
///
/// [`EngineRefusal`] when a flow's length is refused by the engine.
pub fn simulate(
    scenario: &Scenario,
    options: Options,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Outcome, EngineRefusal> {
    check_engine(scenario)?;
    let runs = run::run(scenario, options, progress);
    Ok(report::summarise(scenario, &runs))
}
