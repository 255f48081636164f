//! `halden simulate` and `halden backtest` through the real binary: the JSON contract on a toy
//! whose answer is known in closed form, the table, determinism, and exit 2 naming the key.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are built by the test itself, never outside input"
)]

use std::process::{Command, Output};

use serde_json::Value;

fn halden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_halden"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .unwrap()
}

fn scenario_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("halden-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const TOY: &str = r#"
seed = 42
years = 4
burn_in_days = 300
replications = 40

[[admissions]]
kind = "prison"
per_year = 365
sentence_days = 180

[rules]
parole_fraction = "2/3"
em_front_door_limit_days = 0
em_uptake = 0

[policy]
start_day = 0
retroactive = false
parole_fraction = "1/2"
"#;

fn mean(v: &Value, world: &str, series: &str) -> f64 {
    v[world]["stock"][series]["mean"].as_f64().unwrap()
}

#[test]
fn the_json_contract_on_a_closed_form_toy() {
    let path = scenario_file("toy.toml", TOY);
    let out = halden(&["simulate", "--scenario", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Every contract key, with mean, p10, p50, p90.
    for world in ["baseline", "policy", "delta"] {
        for series in ["prison", "remand", "em", "parole", "fine_default", "total"] {
            for stat in ["mean", "p10", "p50", "p90"] {
                assert!(
                    v[world]["stock"][series][stat].is_number(),
                    "{world}.{series}.{stat}"
                );
            }
        }
    }
    // 1 a day × 180 days; 2/3: parole day 120 → prison 120, parole 60; 1/2: day 90 → 90 / 90.
    let close = |a: f64, b: f64| (a - b).abs() <= 0.02 * b + 1.0;
    assert!(close(mean(&v, "baseline", "prison"), 120.0));
    assert!(close(mean(&v, "baseline", "parole"), 60.0));
    assert!(close(mean(&v, "policy", "prison"), 90.0));
    assert!(close(mean(&v, "policy", "parole"), 90.0));
    assert!((mean(&v, "delta", "prison") + 30.0).abs() <= 1.0);
    assert_eq!(mean(&v, "delta", "total"), 0.0);
    assert_eq!(mean(&v, "baseline", "remand"), 0.0);
    assert_eq!(v["validation"]["conservation"]["residual"], 0);
    assert_eq!(v["validation"]["conservation"]["passed"], true);

    // The same seed gives the same bytes, on any number of threads.
    let again = halden(&[
        "simulate",
        "--scenario",
        path.to_str().unwrap(),
        "--json",
        "--threads",
        "1",
    ]);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn without_a_policy_only_the_baseline() {
    let text = TOY.split("[policy]").next().unwrap();
    let path = scenario_file("baseline.toml", text);
    let out = halden(&["simulate", "--scenario", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("baseline").is_some());
    assert!(v.get("policy").is_none());
    assert!(v.get("delta").is_none());
    let table = halden(&["simulate", "--scenario", path.to_str().unwrap()]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("Baseline"));
    assert!(text.contains("Conservation residual 0"));
}

#[test]
fn a_bad_scenario_exits_2_naming_the_key_and_line() {
    let path = scenario_file(
        "bad.toml",
        &TOY.replace("em_uptake = 0\n", "em_uptake = 1.5\n"),
    );
    let out = halden(&["simulate", "--scenario", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["key"], "rules.em_uptake");
    assert_eq!(v["errors"][0]["line"], 15);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rules.em_uptake (line 15"), "{stderr}");

    let path = scenario_file(
        "unknown.toml",
        &TOY.replace("seed = 42", "seed = 42\nsede = 1"),
    );
    let out = halden(&["simulate", "--scenario", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sede"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");

    let out = halden(&["simulate", "--scenario", "/nonexistent/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_backtest_prints_error_by_horizon() {
    let text = format!(
        "{TOY}\n[[targets]]\nlabel = \"toy prison\"\nseries = \"prison\"\nyear = 1\nvalue = 120\n[[targets]]\nlabel = \"toy policy\"\nworld = \"policy\"\nseries = \"custody\"\nyear = 2\nvalue = 100\ntolerance = 0.2\nout_of_sample = true\n"
    );
    let path = scenario_file("targets.toml", &text);
    let out = halden(&["backtest", "--scenario", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["horizons"][0]["year"], 1);
    assert_eq!(v["horizons"][1]["year"], 2);
    // Year 2 under the policy: custody = prison 90 against 100 published: about −10 %.
    let bias = v["horizons"][1]["bias_pct"].as_f64().unwrap();
    assert!((bias + 10.0).abs() < 2.5, "{bias}");
    assert_eq!(v["targets"][1]["passed"], true);
}

#[test]
fn expected_value_mode_prints_the_steady_state_by_hand() {
    // The toy: 1 a day, 180 days. 2/3: parole day ceil(120) = 120 → prison 120, parole 60;
    // the policy's 1/2: day max(90, 60) = 90 → prison 90, parole 90; no random numbers.
    let path = scenario_file("toy-expected.toml", TOY);
    let out = halden(&[
        "simulate",
        "--scenario",
        path.to_str().unwrap(),
        "--expected",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mode"], "expected");
    let stock = |world: &str, series: &str| v[world]["stock"][series].as_f64().unwrap();
    assert_eq!(stock("baseline", "prison"), 120.0);
    assert_eq!(stock("baseline", "parole"), 60.0);
    assert_eq!(stock("policy", "prison"), 90.0);
    assert_eq!(stock("delta", "prison"), -30.0);
    assert_eq!(stock("delta", "parole"), 30.0);
    assert_eq!(stock("delta", "total"), 0.0);
    // The table says the same.
    let out = halden(&[
        "simulate",
        "--scenario",
        path.to_str().unwrap(),
        "--expected",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("prison"), "{text}");
    assert!(text.contains("120.0") && text.contains("-30.0"), "{text}");
}
