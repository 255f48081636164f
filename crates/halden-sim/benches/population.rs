//! The simulator's performance figures (STATISTICS.md §7), printed with a baseline from the
//! same run. Not a test: nothing here asserts a time.
//!
//! Workload "Norway-10y": `examples/norway-2019.toml` projected 10 years (after its 12-year
//! burn-in), ≈ 9 400 admissions a year, every person through the sentence engine.
//!
//! `cargo bench -p halden-sim --bench population` (`-- quick` for 100 replications).

#![allow(clippy::unwrap_used, reason = "a benchmark on the shipped example")]

use std::time::Instant;

use halden_sim::population::{self, Options, Scenario, run};

fn scenario(replications: u32, policy: bool) -> Scenario {
    let text = include_str!("../../../examples/norway-2019.toml")
        .replace("years = 3 ", "years = 10 ")
        .replace(
            "replications = 1000",
            &format!("replications = {replications}"),
        );
    let text = if policy {
        text
    } else {
        // Drop the policy and the targets on it.
        let (head, tail) = text.split_once("[policy]").unwrap();
        let targets = tail
            .split("[[targets]]")
            .skip(1)
            .filter(|t| !t.contains("world = \"policy\""))
            .map(|t| format!("[[targets]]{t}"))
            .collect::<String>();
        format!("{head}{targets}")
    };
    population::parse(&text).unwrap()
}

fn time(label: &str, scenario: &Scenario, options: Options) -> f64 {
    let started = Instant::now();
    let runs = run::run(scenario, options, &|_, _| {});
    let seconds = started.elapsed().as_secs_f64();
    let journeys = scenario.journeys();
    println!(
        "{label:<58} {seconds:>8.3} s  {:>6.0} ns/journey  ({} engine calls)",
        seconds * 1e9 * options.threads.min(scenario.replications as usize) as f64 / journeys,
        runs.engine_calls
    );
    seconds
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "profile") {
        // `-- profile N`: N replications on one thread, nothing else (for callgrind).
        let n = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(1);
        time("profile", &scenario(n, false), Options { threads: 1, memoise: true });
        return;
    }
    let quick = args.iter().any(|a| a == "quick");
    let reps = if quick { 100 } else { 1000 };
    let one = Options {
        threads: 1,
        memoise: true,
    };
    let two = Options {
        threads: 2,
        memoise: true,
    };
    println!("Norway-10y: 10 years after a 12-year burn-in, ≈ 9 400 admissions a year");
    let base = scenario(1, false);
    let unmemoised = time(
        "baseline: 1 replication, 1 thread, engine called per person",
        &base,
        Options {
            threads: 1,
            memoise: false,
        },
    );
    let p1 = time("P1 1 replication, 1 thread (target ≤ 20 ms)", &base, one);
    println!("   memoisation speed-up: {:.1}×", unmemoised / p1);
    let p2 = time(
        &format!("P2 {reps} replications, 2 threads (target ≤ 10 s)"),
        &scenario(reps, false),
        two,
    );
    println!(
        "   against {reps} × P1: {:.2}× (2 threads)",
        reps as f64 * p1 / p2
    );
    let p3 = time(
        &format!("P3 baseline + policy (CRN), {reps} replications, 2 threads (≤ 20 s)"),
        &scenario(reps, true),
        two,
    );
    println!("   P3 / P2: {:.2}", p3 / p2);
    let p6 = time(
        &format!(
            "P6 {} replications, 2 threads (≤ 11 × P2 / 10… scaled)",
            reps / 10
        ),
        &scenario(reps / 10, false),
        two,
    );
    println!(
        "   P2 / (P2 at a tenth of the replications): {:.2} (≤ 11 is linear)",
        p2 / p6
    );
    if let Some(mib) = peak_rss_mib() {
        println!("P5 peak memory (whole process): {mib:.0} MiB (target ≤ 1 GiB)");
    }
}
