//! The simulator's performance figures (STATISTICS.md §7), printed with a baseline from the
//! same run. Not a test: nothing here asserts a time.
//!
//! Workload "Norway-10y": `examples/norway-2019.toml` projected 10 years from a stationary stock
//! (after its one-year burn-in), ≈ 9 400 admissions a year, every person through the sentence
//! engine. "Before" is the same projection started empty with a 12-year burn-in (how the
//! simulator ran until the stationary start), timed in the same run.
//!
//! `cargo bench -p halden-sim --bench population` (`-- quick` for 100 replications;
//! `-- profile N` runs only N replications on one thread, for `valgrind --tool=callgrind`;
//! `-- norway` runs the shipped example and prints its calibration targets; `-- p2` only P1, P2
//! and P4).

#![allow(clippy::unwrap_used, reason = "a benchmark on the shipped example")]

use std::time::Instant;

use halden_sim::population::{self, Options, Scenario, run};

/// The 12-year burn-in the example used before it started from a stationary stock.
const OLD_BURN_IN: &str = "burn_in_days = 4380 ";

fn scenario(replications: u32, policy: bool) -> Scenario {
    scenario_text(replications, policy, "burn_in_days = 365 ")
}

fn scenario_text(replications: u32, policy: bool, burn_in: &str) -> Scenario {
    let text = include_str!("../../../examples/norway-2019.toml")
        .replace("years = 3 ", "years = 10 ")
        .replace("burn_in_days = 365 ", burn_in)
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
    let cpu = cpu_seconds();
    let started = Instant::now();
    let runs = run::run(scenario, options, &|_, _| {});
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let journeys = scenario.journeys();
    println!(
        "{label:<66} {seconds:>8.3} s  {:>6.0} ns/journey  CPU {:>6.1} ms/replication  ({} engine calls)",
        seconds * 1e9 * options.threads.min(scenario.replications as usize) as f64 / journeys,
        cpu * 1e3 / f64::from(scenario.replications),
        runs.engine_calls
    );
    seconds
}

/// User + system CPU time of this process (all threads), from /proc (clock ticks of 1/100 s):
/// unlike wall time, it hardly moves when other jobs share the machine.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which is in parentheses): utime is the 12th, stime 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --all-targets` runs this binary without `--bench` to check that it works: one
    // short replication from the stationary start, nothing timed (timings only mean something in
    // an optimised `cargo bench` run, and the full run takes minutes).
    if !args.iter().any(|a| a == "--bench") {
        let runs = run::run(
            &scenario_text(1, false, "burn_in_days = 30 "),
            Options {
                threads: 1,
                stationary_start: true,
                ..Options::default()
            },
            &|_, _| {},
        );
        assert!(runs.engine_calls > 0, "the smoke run called the engine");
        println!(
            "population: smoke run done; `cargo bench -p halden-sim --bench population` times"
        );
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "profile") {
        // `-- profile N`: N replications on one thread, nothing else (for callgrind).
        let n = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(1);
        let old = args.iter().any(|a| a == "old");
        let (burn_in, stationary_start) = if old {
            (OLD_BURN_IN, false)
        } else {
            ("burn_in_days = 365 ", true)
        };
        time(
            "profile",
            &scenario_text(n, false, burn_in),
            Options {
                threads: 1,
                stationary_start,
                ..Options::default()
            },
        );
        return;
    }
    if args.iter().any(|a| a == "norway") {
        // `-- norway`: the shipped example as it is (3 years, 1 000 replications, policy
        // included), with its calibration targets (Norway 2019 ±5 %, 2021 out of sample).
        let shipped =
            population::parse(include_str!("../../../examples/norway-2019.toml")).unwrap();
        let started = Instant::now();
        let outcome = population::simulate(&shipped, Options::default(), &|_, _| {}).unwrap();
        println!(
            "examples/norway-2019.toml in {:.1} s\n{}",
            started.elapsed().as_secs_f64(),
            population::report::table(&outcome)
        );
        return;
    }
    if args.iter().any(|a| a == "p2") {
        // `-- p2`: only P1, P2 and P4 (the full run's baselines take many minutes).
        if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
            println!("load average: {}", load.trim());
        }
        let base = scenario(1, false);
        let p1 = time(
            "P1 1 replication, 1 thread (target ≤ 20 ms)",
            &base,
            Options {
                threads: 1,
                ..Options::default()
            },
        );
        let p2 = time(
            "P2 1000 replications, 2 threads (target ≤ 10 s)",
            &scenario(1000, false),
            Options {
                threads: 2,
                ..Options::default()
            },
        );
        println!("   against 1000 × P1: {:.2}× (2 threads)", 1000.0 * p1 / p2);
        let started = Instant::now();
        population::expected::expected(&base, &population::engine::Memo::new());
        println!(
            "{:<66} {:>8.3} s",
            "P4 expected-value mode, 10 years (target ≤ 100 ms)",
            started.elapsed().as_secs_f64()
        );
        if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
            println!("load average: {}", load.trim());
        }
        return;
    }
    let quick = args.iter().any(|a| a == "quick");
    let reps = if quick { 100 } else { 1000 };
    let one = Options {
        threads: 1,
        ..Options::default()
    };
    let two = Options {
        threads: 2,
        ..Options::default()
    };
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
    println!(
        "Norway-10y: 10 years from a stationary stock after a 1-year burn-in, ≈ 9 400 admissions a year"
    );
    let base = scenario(1, false);
    let unmemoised = time(
        "baseline: 1 replication, 1 thread, engine called per person",
        &base,
        Options {
            threads: 1,
            memoise: false,
            ..Options::default()
        },
    );
    let before_options = Options {
        stationary_start: false,
        ..two
    };
    let before1 = time(
        "before: 1 replication, 1 thread, empty start, 12-year burn-in",
        &scenario_text(1, false, OLD_BURN_IN),
        Options {
            threads: 1,
            ..before_options
        },
    );
    let p1 = time("P1 1 replication, 1 thread (target ≤ 20 ms)", &base, one);
    println!("   memoisation speed-up: {:.1}×", unmemoised / p1);
    // P4: the same scenario's steady state by cohort arithmetic, engine calls included (a fresh
    // memo), against P1 in the same run.
    let started = Instant::now();
    let steady = population::expected::expected(&base, &population::engine::Memo::new());
    let p4 = started.elapsed().as_secs_f64();
    println!(
        "{:<66} {:>8.3} s  ({:.1} ms; prison {:.0}, total {:.0})",
        "P4 expected-value mode, 10 years (target ≤ 100 ms)",
        p4,
        p4 * 1e3,
        steady.baseline[0],
        steady.baseline[5]
    );
    println!("   P1 / P4: {:.1}×", p1 / p4);
    println!(
        "   stationary start speed-up (1 replication): {:.1}×",
        before1 / p1
    );
    let before2 = time(
        &format!("before: P2 {reps} replications, 2 threads, empty start, 12-year burn-in"),
        &scenario_text(reps, false, OLD_BURN_IN),
        before_options,
    );
    let p2 = time(
        &format!("P2 {reps} replications, 2 threads (target ≤ 10 s)"),
        &scenario(reps, false),
        two,
    );
    println!("   P2 speed-up against before: {:.1}×", before2 / p2);
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
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
}
