//! `halden simulate` and `halden backtest`: files, progress bar and exit codes around
//! `halden_sim::population`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use halden_sim::population::{self, Options, Outcome, Scenario, engine, expected, report};

use crate::EXIT_INVALID;

/// What to print.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The projection (`halden simulate`).
    Simulate,
    /// The error by horizon against the scenario's targets (`halden backtest`).
    Backtest,
    /// The steady state by cohort arithmetic (`halden simulate --expected`).
    Expected,
}

/// Runs the command.
pub fn run(file: &Path, json: bool, threads: usize, mode: Mode) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let scenario = match population::parse(&text) {
        Ok(s) => s,
        Err(errors) => {
            let list: Vec<_> = errors
                .iter()
                .map(|e| {
                    serde_json::json!({"key": e.key, "line": e.line, "column": e.column, "message": e.message})
                })
                .collect();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "errors": list }))?
                );
            }
            eprintln!("halden: {} is not a valid scenario:", file.display());
            for e in &errors {
                eprintln!("  {e}");
            }
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    if mode == Mode::Expected {
        if let Err(e) = population::check_engine(&scenario) {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"errors": [{"key": e.key, "message": e.to_string()}]})
                );
            }
            eprintln!("halden: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        let e = expected::expected(&scenario, &engine::Memo::new());
        if json {
            println!("{}", serde_json::to_string_pretty(&expected::to_json(&e))?);
        } else {
            print!("{}", expected::table(&e));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = match simulate(&scenario, threads) {
        Ok(o) => o,
        Err(e) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"errors": [{"key": e.key, "message": e.to_string()}]})
                );
            }
            eprintln!("halden: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    match (mode, json) {
        (Mode::Simulate, true) => println!(
            "{}",
            serde_json::to_string_pretty(&report::to_json(&scenario, &outcome))?
        ),
        (Mode::Simulate, false) => print!("{}", report::table(&outcome)),
        (Mode::Backtest, true) => println!(
            "{}",
            serde_json::to_string_pretty(&report::backtest_json(&outcome))?
        ),
        (Mode::Backtest, false) => print!("{}", report::backtest_table(&outcome)),
        (Mode::Expected, _) => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn simulate(scenario: &Scenario, threads: usize) -> Result<Outcome, population::EngineRefusal> {
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let last = Mutex::new(0u32);
    let progress = |done: u32, total: u32| {
        if !tty {
            return;
        }
        // At most 100 redraws.
        let step = (total / 100).max(1);
        let Ok(mut last) = last.lock() else { return };
        if done != total && done < *last + step {
            return;
        }
        *last = done;
        let width = 40;
        let filled = (u64::from(done) * width / u64::from(total.max(1))) as usize;
        eprint!(
            "\r[{}{}] {done}/{total} replications, {:.1} s",
            "#".repeat(filled),
            " ".repeat(width as usize - filled),
            started.elapsed().as_secs_f64()
        );
        if done == total {
            eprintln!();
        }
    };
    population::simulate(
        scenario,
        Options {
            threads,
            memoise: true,
            ..Options::default()
        },
        &progress,
    )
}
