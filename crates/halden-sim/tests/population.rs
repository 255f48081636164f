//! The population simulator against answers worked out by hand: Little's law (stock = arrivals a
//! day × days in the compartment) with the engine's dates, policy deltas, the queue when the
//! ceiling binds, determinism, conservation and the scenario checks.
//!
//! Arrivals are Poisson, so a figure is compared with its closed form within 3 standard errors
//! of the mean over replications, or 1 % when that is larger (STATISTICS.md V2).

use halden_sim::population::{self, Band, Options, Outcome, report};

const PRISON: usize = 0;
const REMAND: usize = 1;
const EM: usize = 2;
const PAROLE: usize = 3;
const FINE: usize = 4;
const TOTAL: usize = 5;
const WAITING: usize = 6;

fn run(source: &str) -> Outcome {
    run_with(source, 2)
}

fn run_with(source: &str, threads: usize) -> Outcome {
    run_options(
        source,
        Options {
            threads,
            ..Options::default()
        },
    )
}

/// Runs from an empty system (no stationary stock): only the burn-in fills it.
fn run_empty(source: &str) -> Outcome {
    run_options(
        source,
        Options {
            stationary_start: false,
            ..Options::default()
        },
    )
}

fn run_options(source: &str, options: Options) -> Outcome {
    let scenario = population::parse(source).expect("valid scenario");
    population::simulate(&scenario, options, &|_, _| {}).expect("runs")
}

#[track_caller]
fn near(band: &Band, expected: f64) {
    let allowed = (3.0 * band.se).max(0.01 * expected).max(0.05);
    assert!(
        (band.mean - expected).abs() <= allowed,
        "mean {} (se {}) is not {expected} ± {allowed}",
        band.mean,
        band.se
    );
}

fn scenario(flows: &str, rules: &str) -> String {
    format!(
        "seed = 11\nyears = 4\nburn_in_days = 400\nreplications = 40\n{flows}\n[rules]\n{rules}\n"
    )
}

const PRISON_90: &str = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 90\n";

#[test]
fn no_parole_stock_is_rate_times_sentence() {
    // 365 a year = 1 a day, 90 days each, served in full: prison = 1 × 90 = 90.
    let o = run(&scenario(PRISON_90, "parole_fraction = \"none\""));
    near(&o.baseline[PRISON], 90.0);
    near(&o.baseline[PAROLE], 0.0);
    near(&o.baseline[TOTAL], 90.0);
    assert_eq!(o.residual, 0);
    assert_eq!(o.persons_residual, 0);
}

#[test]
fn parole_at_two_thirds_splits_prison_and_parole() {
    // R-PAR-1: parole on day max(ceil(2·90/3), 60) = max(60, 60) = 60, leaving 30 ≥ 14 days.
    // prison = 1 × 60 = 60; parole = 1 × 30 = 30 (R-PAR-4: until the end of the sentence).
    let o = run(&scenario(PRISON_90, "parole_fraction = \"2/3\""));
    near(&o.baseline[PRISON], 60.0);
    near(&o.baseline[PAROLE], 30.0);
    near(&o.baseline[TOTAL], 90.0);
}

#[test]
fn the_sixty_day_minimum_keeps_a_sixty_day_sentence_in_prison() {
    // 60 days at 2/3: day max(ceil(120/3), 60) = max(40, 60) = 60 = T: no parole date before
    // the end, so the whole sentence is served: prison = 1 × 60 = 60, parole 0. (The naive
    // 2/3 × 60 = 40 is not the law: R-PAR-1 needs at least 60 days served.)
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 60\n";
    let o = run(&scenario(flows, "parole_fraction = \"2/3\""));
    near(&o.baseline[PRISON], 60.0);
    near(&o.baseline[PAROLE], 0.0);
}

#[test]
fn parole_uptake_is_behaviour_not_law() {
    // Half of those eligible are paroled on day 60 of 90, the rest serve 90:
    // prison = 0.5 × 60 + 0.5 × 90 = 75; parole = 0.5 × 30 = 15.
    let o = run(&scenario(
        PRISON_90,
        "parole_fraction = \"2/3\"\nparole_uptake = 0.5",
    ));
    near(&o.baseline[PRISON], 75.0);
    near(&o.baseline[PAROLE], 15.0);
}

#[test]
fn a_parole_policy_moves_days_from_prison_to_parole_one_for_one() {
    // 180 days. 2/3: day ceil(360/3) = 120 → prison 120, parole 60.
    // 1/2 (from day 0, prospective): day max(ceil(180/2), 60) = 90 → prison 90, parole 90.
    // Delta: prison −30, parole +30, total 0 in every replication (R-PAR-4: the sentence still
    // ends on day 180; common random numbers: the same persons in both runs).
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 180\n";
    let source = format!(
        "{}\n[policy]\nstart_day = 0\nretroactive = false\nparole_fraction = \"1/2\"\n",
        scenario(flows, "parole_fraction = \"2/3\"")
    );
    let o = run(&source);
    near(&o.baseline[PRISON], 120.0);
    near(&o.baseline[PAROLE], 60.0);
    let policy = o.policy.expect("policy");
    near(&policy[PRISON], 90.0);
    near(&policy[PAROLE], 90.0);
    let delta = o.delta.expect("delta");
    near(&delta[PRISON], -30.0);
    near(&delta[PAROLE], 30.0);
    assert_eq!((delta[TOTAL].p10, delta[TOTAL].p90), (0.0, 0.0));
}

#[test]
fn a_null_policy_changes_nothing_in_any_replication() {
    let source = format!(
        "{}\n[policy]\nstart_day = 100\nretroactive = true\n",
        scenario(PRISON_90, "parole_fraction = \"2/3\"")
    );
    let o = run(&source);
    let delta = o.delta.expect("delta");
    for band in delta {
        assert_eq!((band.p10, band.p90, band.mean), (0.0, 0.0, 0.0));
    }
}

#[test]
fn remand_is_credited_against_the_sentence() {
    // 730 remands a year = 2 a day, 30 days each: remand = 2 × 30 = 60.
    // All sentenced to 120 days with the 30 days deducted (R-REM-4, C-3): parole on day
    // max(ceil(2·120/3), 60) = 80 counted from the effective start (admission − 30), so
    // 80 − 30 = 50 days in prison after the transfer and 120 − 80 = 40 on parole:
    // prison = 2 × 50 = 100, parole = 2 × 40 = 80.
    let flows = "[[admissions]]\nkind = \"remand\"\nper_year = 730\nstay_days = 30\nsentenced_share = 1\nsentence_days = 120\n";
    let o = run(&scenario(flows, "parole_fraction = \"2/3\""));
    near(&o.baseline[REMAND], 60.0);
    near(&o.baseline[PRISON], 100.0);
    near(&o.baseline[PAROLE], 80.0);
}

#[test]
fn remand_not_sentenced_leaves_at_the_end_of_remand() {
    // 365 a year × 45 days, none sentenced: remand = 45, nothing else.
    let flows = "[[admissions]]\nkind = \"remand\"\nper_year = 365\nstay_days = 45\n";
    let o = run(&scenario(flows, ""));
    near(&o.baseline[REMAND], 45.0);
    near(&o.baseline[PRISON], 0.0);
    near(&o.baseline[TOTAL], 45.0);
}

#[test]
fn fine_default_is_served_in_full() {
    // R-CALC-4: 75 days of fine default with parole at 2/3 in force: no parole; 1 a day × 75.
    let flows = "[[admissions]]\nkind = \"fine_default\"\nper_year = 365\nsentence_days = 75\n";
    let o = run(&scenario(flows, "parole_fraction = \"2/3\""));
    near(&o.baseline[FINE], 75.0);
    near(&o.baseline[PAROLE], 0.0);
    near(&o.baseline[PRISON], 0.0);
}

#[test]
fn front_door_em_takes_the_sentences_under_the_limit() {
    // 30-day sentences, limit 60 days, uptake 1: all on EM, 30 days each (no parole: day
    // max(20, 60) = 60 > 30): em = 30, prison = 0. Uptake 0.25: em = 7.5, prison = 22.5.
    // Limit 0 or uptake 0: all in prison, 30.
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 30\n";
    let all = run(&scenario(
        flows,
        "em_front_door_limit_days = 60\nem_uptake = 1",
    ));
    near(&all.baseline[EM], 30.0);
    near(&all.baseline[PRISON], 0.0);
    let quarter = run(&scenario(
        flows,
        "em_front_door_limit_days = 60\nem_uptake = 0.25",
    ));
    near(&quarter.baseline[EM], 7.5);
    near(&quarter.baseline[PRISON], 22.5);
    for rules in [
        "em_front_door_limit_days = 0\nem_uptake = 1",
        "em_front_door_limit_days = 60\nem_uptake = 0",
        "em_front_door_limit_days = 29\nem_uptake = 1",
    ] {
        let off = run(&scenario(flows, rules));
        near(&off.baseline[EM], 0.0);
        near(&off.baseline[PRISON], 30.0);
    }
}

#[test]
fn back_door_em_from_the_engines_date() {
    // 365-day sentences decided in 2019 (4-month EM limit, R-EM-1), parole at 2/3:
    // parole day ceil(2·365/3) = 244; the engine's reference admission 2019-03-01 puts day 244
    // on 2019-10-30. R-EM-3: max(2019-10-30 − 4 months = 2019-06-30, day ceil(365/3) = 122);
    // 2019-06-30 is day 122 (March 31 + April 30 + May 31 + June 30 = 122) → EM from day 122.
    // Prison days 1–121, EM days 122–244, parole days 245–365:
    // prison = 121, em = 123, parole = 121 (1 a day, everyone takes back-door EM).
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 365\n";
    // The run lies wholly before 2020-09-01, so the 4-month limit holds throughout.
    let source = format!(
        "seed = 5\nyears = 4\nburn_in_days = 800\nreplications = 40\nstart_date = \"2000-01-01\"\n{flows}\n[rules]\nem_back_door_uptake = 1\n"
    );
    let o = run(&source);
    near(&o.baseline[PRISON], 121.0);
    near(&o.baseline[EM], 123.0);
    near(&o.baseline[PAROLE], 121.0);
}

#[test]
fn the_queue_grows_when_the_ceiling_binds() {
    // 1 a day × 90 days served in full needs 90 places; there are 50 at ceiling 1.0: starts
    // happen only as places free, 50 / 90 a day, so prison stays at 50 (full) and the queue
    // grows by 1 − 50/90 = 4/9 a day (V8): after the 400-day burn-in and over 4 years, the
    // waiting stock averages far above 0 and keeps growing.
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 90\n";
    let source = format!(
        "{}\n[capacity]\nplaces = 50\nceiling = 1.0\n",
        scenario(flows, "parole_fraction = \"none\"")
    );
    let o = run_empty(&source);
    assert!(o.baseline[PRISON].mean <= 50.0);
    assert!(o.baseline[PRISON].mean >= 49.0, "{:?}", o.baseline[PRISON]);
    // Started by day t: 50 in the first 50 days of each 90-day cycle (a start only when a place
    // frees), S(t) = 50k + min(x, 50) for t = 90k + x. Over a cycle min(x, 50) averages
    // (50²/2 + 40 × 50) / 90 = 36.1 against (50/90) × 45 = 25 for the straight line, so
    // S(t) ≈ (50/90) t + 11.1 and the queue t − S(t) ≈ (4/9) t − 11.1. Averaged over the
    // reported days t = 400 … 1859 (mean 1129.5): (4/9) × 1129.5 − 11.1 = 490.9.
    // (From an empty system: with the ceiling binding there is no stationary stock to start
    // from, the queue grows without end.)
    let waiting = o.baseline[WAITING].mean;
    assert!((waiting - 490.9).abs() < 15.0, "{waiting}");
    let months = &o.monthly[0];
    assert!(months[months.len() - 1][WAITING].mean > months[0][WAITING].mean + 500.0);
}

#[test]
fn retroactive_steps_at_once_and_prospective_follows_the_longest_stay() {
    // 180-day sentences, 2/3 → 1/2 from day 400 (the first reported day). Retroactive: on day
    // 400 everyone past day 90 leaves prison for parole at once: the first month already shows
    // prison ≈ 90. Prospective: only sentences received from day 400 get 1/2; those still in
    // prison in the first month were received before, so prison stays ≈ 120 for 90 days and is
    // 90 only after 120 days. Released by the recalculation on day 400 (the surge): those
    // between day 90 and 119 of their sentence, 1 a day × 30 = 30.
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 180\n";
    let base = scenario(flows, "parole_fraction = \"2/3\"");
    let retro = run(&format!(
        "{base}\n[policy]\nstart_day = 400\nretroactive = true\nparole_fraction = \"1/2\"\n"
    ));
    let pro = run(&format!(
        "{base}\n[policy]\nstart_day = 400\nretroactive = false\nparole_fraction = \"1/2\"\n"
    ));
    let first = |o: &Outcome| o.monthly[1][0][PRISON].mean;
    assert!((first(&retro) - 90.0).abs() < 4.0, "{}", first(&retro));
    assert!((first(&pro) - 120.0).abs() < 4.0, "{}", first(&pro));
    // Month 6 (days 152–182 after t0): both at the new steady state.
    let sixth = |o: &Outcome| o.monthly[1][5][PRISON].mean;
    assert!((sixth(&retro) - 90.0).abs() < 4.0);
    assert!((sixth(&pro) - 90.0).abs() < 4.0);
    near(&retro.surge[1], 30.0);
    assert_eq!(pro.surge[1].mean, 0.0);
}

#[test]
fn a_demand_multiplier_scales_the_flows() {
    // × 1.5 from day 0: 1.5 a day × 90 days = 135 (no parole); delta +45.
    let source = format!(
        "{}\n[policy]\nstart_day = 0\nretroactive = false\nadmissions_multiplier = 1.5\n",
        scenario(PRISON_90, "parole_fraction = \"none\"")
    );
    let o = run(&source);
    near(&o.baseline[PRISON], 90.0);
    near(&o.policy.expect("policy")[PRISON], 135.0);
    near(&o.delta.expect("delta")[PRISON], 45.0);
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_number_of_threads() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/norway-2019.toml"
    ))
    .expect("example")
    .replace("replications = 1000", "replications = 6")
    .replace("burn_in_days = 4380", "burn_in_days = 700");
    let scenario = population::parse(&source).expect("valid");
    let json = |threads| {
        let o = run_with(&source, threads);
        serde_json::to_string(&report::to_json(&scenario, &o)).expect("json")
    };
    let one = json(1);
    assert_eq!(one, json(2));
    assert_eq!(one, json(8));
    let other = population::parse(&source.replace("seed = 2019", "seed = 2020")).expect("valid");
    let o = population::simulate(&other, Options::default(), &|_, _| {}).expect("runs");
    assert_ne!(
        one,
        serde_json::to_string(&report::to_json(&other, &o)).expect("json")
    );
}

#[test]
fn conservation_holds_on_a_busy_run() {
    // Everything at once: remand with transfers, EM both doors, a binding ceiling, a
    // retroactive policy with a multiplier: the residual is 0 in every replication and world.
    let source = r#"
seed = 3
years = 2
burn_in_days = 300
replications = 8
[[admissions]]
kind = "remand"
per_year = 500
stay_bands = [{ from = 1, to = 60, share = 1 }, { from = 61, to = 400, share = 1 }]
sentenced_share = 0.5
sentence_bands = [{ from = 30, to = 400, share = 1 }]
[[admissions]]
kind = "prison"
per_year = 1500
sentence_bands = [{ from = 14, to = 120, share = 3 }, { from = 121, to = 900, share = 1 }]
[[admissions]]
kind = "fine_default"
per_year = 100
sentence_days = 20
[rules]
em_front_door_limit_days = 120
em_uptake = 0.5
em_back_door_uptake = 0.5
summons_lead_days = 21
[capacity]
places = 250
ceiling = 0.9
em_devices = 40
[policy]
start_day = 500
retroactive = true
parole_fraction = "1/2"
admissions_multiplier = 1.2
places = 300
"#;
    let o = run(source);
    assert_eq!(o.residual, 0);
    assert_eq!(o.persons_residual, 0);
    assert!(o.baseline[WAITING].mean > 0.0);
}

#[test]
fn littles_law_holds_per_compartment_in_a_stationary_run() {
    // L = λW for every compartment (V2), with W the mean stay of those entering.
    let flows = "[[admissions]]\nkind = \"prison\"\nper_year = 2000\nsentence_bands = [{ from = 14, to = 200, share = 1 }]\n[[admissions]]\nkind = \"remand\"\nper_year = 500\nstay_days = 40\nsentenced_share = 0.5\nsentence_days = 150\n";
    let o = run(&scenario(
        flows,
        "em_front_door_limit_days = 60\nem_uptake = 0.5\nem_back_door_uptake = 0.5",
    ));
    for (name, l, lambda, w, se) in &o.little {
        let gap = (l.mean - lambda * w).abs();
        assert!(
            gap <= (0.01 * l.mean).max(3.0 * se) + 0.05,
            "{name}: L {} vs λW {}",
            l.mean,
            lambda * w
        );
    }
}

#[test]
fn bad_scenarios_name_the_key_and_line() {
    let err = |s: &str| population::parse(s).expect_err("invalid");
    let base = "seed = 1\nyears = 1\nburn_in_days = 0\nreplications = 1\n";
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"prison\"\nper_year = 10\nsentence_days = 30\n[rules]\nem_uptake = 2\n"
    ));
    assert_eq!(e[0].key, "rules.em_uptake");
    assert_eq!(e[0].line, 10);
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"prison\"\nper_year = 10\nsentence_days = 30\nsentense = 1\n"
    ));
    assert!(e[0].key.ends_with("sentense"), "{:?}", e[0]);
    assert_eq!(e[0].line, 9);
    assert!(e[0].message.contains("unknown field"));
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"jail\"\nper_year = 10\nsentence_days = 30\n"
    ));
    assert_eq!((e[0].key.as_str(), e[0].line), ("admissions[0].kind", 6));
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"prison\"\nper_year = 10\nsentence_days = 5\n"
    ));
    assert_eq!(e[0].key, "admissions[0].sentence_days");
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"prison\"\nper_year = 10\nsentence_days = 30\n[rules]\nparole_fraction = \"3/4\"\n"
    ));
    assert_eq!(e[0].key, "rules.parole_fraction");
    let e = err(
        "seed = 1\nyears = 1\nburn_in_days = 0\n[[admissions]]\nkind = \"prison\"\nper_year = 1\nsentence_days = 30\n",
    );
    assert!(e[0].key.contains("replications"), "{:?}", e[0]);
    let e = err(&format!(
        "{base}[[admissions]]\nkind = \"remand\"\nper_year = 10\nsentence_days = 30\n"
    ));
    assert!(
        e.iter().any(|e| e.key == "admissions[0].stay_days"),
        "{e:?}"
    );
}

/// A prison flow and a remand flow with a two-humped stay, reported from day 0.
const STATIONARY: &str = r#"seed = 3
years = 2
burn_in_days = 0
replications = 40
[[admissions]]
kind = "prison"
per_year = 365
sentence_days = 90
[[admissions]]
kind = "remand"
per_year = 730
draw = "uniform"
stay_bands = [{ from = 1, to = 10, share = 1 }, { from = 91, to = 100, share = 1 }]
[rules]
summons_lead_days = 21
"#;

#[test]
fn a_stationary_start_is_in_the_steady_state_from_day_0() {
    // Little's law per compartment, L = λ × W:
    // prison flow, 1 a day: waits the 21-day summons lead (waiting_all = 1 × 21 = 21), then
    // parole on day max(ceil(2·90/3), 60) = 60 (R-PAR-1): prison = 1 × 60 = 60, parole =
    // 1 × (90 − 60) = 30.
    // remand, 2 a day, stay uniform on 1…10 (mean 5.5) or on 91…100 (mean 95.5), half each:
    // W = (5.5 + 95.5) / 2 = 50.5, remand = 2 × 50.5 = 101.
    // total (the contract's: no waiting) = 60 + 30 + 101 = 191.
    // With no burn-in, the stationary stock must hold these from the first month on: the stock
    // of long stays is length-biased (a 95-day remand is 17 times as likely to be in the stock
    // as a 5.5-day one), and a drawn stay's remaining time uniform.
    let o = run(STATIONARY);
    let first_month = &o.monthly[0][0];
    for (series, expected) in [
        (PRISON, 60.0),
        (PAROLE, 30.0),
        (REMAND, 101.0),
        (TOTAL, 191.0),
        (WAITING, 21.0),
    ] {
        near(&o.baseline[series], expected);
        near(&first_month[series], expected);
    }
    assert_eq!(o.residual, 0);
    assert_eq!(o.persons_residual, 0);

    // The same flows from an empty system: the first month is far from the steady state (the
    // 90-day paths and the long remands have not filled: about half), which is what the
    // stationary start spares ...
    let empty = run_empty(STATIONARY);
    assert!(empty.monthly[0][0][TOTAL].mean < 0.7 * 191.0);
    // ... and after a burn-in of 400 days (over 2 × the longest stay, 111 days) it agrees with
    // the stationary start's within sampling error (3 SE of the difference, or 1 %).
    let burnt_in = run_empty(&STATIONARY.replace("burn_in_days = 0", "burn_in_days = 400"));
    for series in [PRISON, PAROLE, REMAND, TOTAL, WAITING] {
        let (a, b) = (&o.baseline[series], &burnt_in.baseline[series]);
        let allowed = (3.0 * (a.se * a.se + b.se * b.se).sqrt()).max(0.01 * b.mean);
        assert!(
            (a.mean - b.mean).abs() <= allowed,
            "series {series}: stationary {} against burn-in {} ± {allowed}",
            a.mean,
            b.mean
        );
    }
}
