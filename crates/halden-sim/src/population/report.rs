//! From replications to bands, validation, JSON and a readable table.

use serde_json::{Map, Value, json};

use super::run::{
    BAND_NAMES, BANDS, COMPARTMENT_NAMES, EM_BACK, EM_FRONT, FINE, PAROLE, PRISON, REMAND, Runs,
    SERIES, SERIES_NAMES, WorldRep,
};
use super::scenario::{Scenario, Target, World};

/// The contract's six stock series (the first six of [`SERIES_NAMES`]).
pub const CONTRACT_SERIES: usize = 6;

/// Mean and nearest-rank percentiles of one figure over the replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Mean.
    pub mean: f64,
    /// Standard error of the mean.
    pub se: f64,
    /// 10th percentile (the ⌈0.1·R⌉-th smallest).
    pub p10: f64,
    /// Median (the ⌈0.5·R⌉-th smallest).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Band {
    /// The band of `values` (not empty).
    pub fn of(values: &[f64]) -> Band {
        let n = values.len().max(1);
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = if n > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |p: usize| {
            let k = (p * n).div_ceil(100).max(1);
            sorted.get(k - 1).copied().unwrap_or(0.0)
        };
        Band {
            mean,
            se: (var / n as f64).sqrt(),
            p10: rank(10),
            p50: rank(50),
            p90: rank(90),
        }
    }

    fn json(&self) -> Value {
        json!({"mean": r2(self.mean), "p10": r2(self.p10), "p50": r2(self.p50), "p90": r2(self.p90)})
    }
}

/// Rounds to two decimals for output.
fn r2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A target compared with the run.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCheck {
    /// The target.
    pub target: Target,
    /// The simulated figure (over replications).
    pub simulated: Band,
    /// `(simulated mean − value) / value`.
    pub error: f64,
    /// Within the tolerance.
    pub passed: bool,
}

/// What a run gives: bands per world, deltas, validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Baseline bands per series.
    pub baseline: [Band; SERIES],
    /// Policy bands per series.
    pub policy: Option<[Band; SERIES]>,
    /// Per-replication deltas (policy − baseline), then bands.
    pub delta: Option<[Band; SERIES]>,
    /// Monthly bands per world (`[world][month][series]`), and deltas last when a policy is given.
    pub monthly: Vec<Vec<[Band; SERIES]>>,
    /// Mean overflow days per world.
    pub overflow_days: Vec<Band>,
    /// Release surge per world (retroactive policy).
    pub surge: Vec<Band>,
    /// The largest absolute conservation residual over every replication, world and compartment.
    pub residual: i64,
    /// The largest absolute persons residual.
    pub persons_residual: i64,
    /// Little's law per compartment (baseline): (L, λ, W, SE of L − λW).
    pub little: Vec<(&'static str, Band, f64, f64, f64)>,
    /// Mean sentenced prison stock share per band (baseline).
    pub band_shares: [f64; BANDS],
    /// Targets.
    pub targets: Vec<TargetCheck>,
    /// Engine calls made.
    pub engine_calls: u64,
    /// Replications.
    pub replications: u32,
}

/// The sentenced prison stock by band, 31 January 2018 (PI-NOR, STATISTICS.md §6), in percent.
pub const LENGTH_BIAS_REFERENCE: [f64; BANDS] = [2.3, 9.7, 5.4, 13.7, 28.7, 16.0, 15.1, 8.4, 0.8];

fn series_value(rep: &[f64; SERIES], series: &str) -> f64 {
    match series {
        "custody" => rep[0] + rep[1] + rep[4],
        name => SERIES_NAMES
            .iter()
            .position(|s| *s == name)
            .map_or(0.0, |i| rep[i]),
    }
}

/// Bands, deltas and validation of `runs`.
pub fn summarise(scenario: &Scenario, runs: &Runs) -> Outcome {
    let worlds = runs.reps.first().map_or(1, Vec::len);
    let per_world = |w: usize, f: &dyn Fn(&WorldRep) -> f64| -> Band {
        let v: Vec<f64> = runs.reps.iter().map(|r| f(&r[w])).collect();
        Band::of(&v)
    };
    let bands_of = |w: usize| -> [Band; SERIES] {
        std::array::from_fn(|s| per_world(w, &|r: &WorldRep| r.mean[s]))
    };
    let baseline = bands_of(0);
    let policy = (worlds > 1).then(|| bands_of(1));
    let delta = (worlds > 1).then(|| {
        std::array::from_fn(|s| {
            let v: Vec<f64> = runs
                .reps
                .iter()
                .map(|r| r[1].mean[s] - r[0].mean[s])
                .collect();
            Band::of(&v)
        })
    });
    let months = scenario.years as usize * 12;
    let mut monthly = Vec::new();
    for w in 0..worlds {
        monthly.push(
            (0..months)
                .map(|m| {
                    std::array::from_fn(|s| {
                        per_world(w, &|r: &WorldRep| f64::from(r.monthly[m][s]))
                    })
                })
                .collect(),
        );
    }
    if worlds > 1 {
        monthly.push(
            (0..months)
                .map(|m| {
                    std::array::from_fn(|s| {
                        let v: Vec<f64> = runs
                            .reps
                            .iter()
                            .map(|r| f64::from(r[1].monthly[m][s]) - f64::from(r[0].monthly[m][s]))
                            .collect();
                        Band::of(&v)
                    })
                })
                .collect(),
        );
    }
    let residual = runs
        .reps
        .iter()
        .flatten()
        .flat_map(|w| w.residual)
        .map(i64::abs)
        .max()
        .unwrap_or(0);
    let persons_residual = runs
        .reps
        .iter()
        .flatten()
        .map(|w| w.persons_residual.abs())
        .max()
        .unwrap_or(0);
    let little = [REMAND, PRISON, FINE, EM_FRONT, EM_BACK, PAROLE]
        .into_iter()
        .map(|c| {
            let l = per_world(0, &|r: &WorldRep| r.little[c].0);
            let lambda = per_world(0, &|r: &WorldRep| r.little[c].1).mean;
            let w = per_world(0, &|r: &WorldRep| r.little[c].2).mean;
            let gap = per_world(0, &|r: &WorldRep| {
                r.little[c].0 - r.little[c].1 * r.little[c].2
            });
            (COMPARTMENT_NAMES[c], l, lambda, w, gap.se)
        })
        .collect();
    let band_means: [f64; BANDS] =
        std::array::from_fn(|b| per_world(0, &|r: &WorldRep| r.bands[b]).mean);
    let band_total: f64 = band_means.iter().sum();
    let band_shares = band_means.map(|b| {
        if band_total > 0.0 {
            100.0 * b / band_total
        } else {
            0.0
        }
    });
    let targets = scenario
        .targets
        .iter()
        .map(|t| {
            let w = match t.world {
                World::Baseline => 0,
                World::Policy => 1.min(worlds - 1),
            };
            let y = t.year as usize - 1;
            let simulated = per_world(w, &|r: &WorldRep| series_value(&r.yearly[y], &t.series));
            let error = if t.value > 0.0 {
                (simulated.mean - t.value) / t.value
            } else {
                0.0
            };
            TargetCheck {
                target: t.clone(),
                simulated,
                error,
                passed: error.abs() <= t.tolerance,
            }
        })
        .collect();
    Outcome {
        baseline,
        policy,
        delta,
        monthly,
        overflow_days: (0..worlds)
            .map(|w| per_world(w, &|r: &WorldRep| r.overflow_days as f64))
            .collect(),
        surge: (0..worlds)
            .map(|w| per_world(w, &|r: &WorldRep| r.surge as f64))
            .collect(),
        residual,
        persons_residual,
        little,
        band_shares,
        targets,
        engine_calls: runs.engine_calls,
        replications: scenario.replications,
    }
}

fn world_json(bands: &[Band; SERIES], overflow: Option<&Band>, surge: Option<&Band>) -> Value {
    let mut stock = Map::new();
    for (name, band) in SERIES_NAMES.iter().zip(bands).take(CONTRACT_SERIES) {
        stock.insert((*name).to_owned(), band.json());
    }
    let mut out = Map::new();
    out.insert("stock".into(), Value::Object(stock));
    out.insert(
        "queue".into(),
        json!({"waiting_all": bands[6].json(), "queue": bands[7].json()}),
    );
    if let Some(o) = overflow {
        out.insert("overflow_days".into(), o.json());
    }
    if let Some(s) = surge {
        out.insert("release_surge".into(), s.json());
    }
    Value::Object(out)
}

fn monthly_json(months: &[[Band; SERIES]]) -> Value {
    let mut out = Map::new();
    for (s, name) in SERIES_NAMES.iter().enumerate() {
        out.insert(
            (*name).to_owned(),
            json!({
                "mean": months.iter().map(|m| r2(m[s].mean)).collect::<Vec<_>>(),
                "p10": months.iter().map(|m| r2(m[s].p10)).collect::<Vec<_>>(),
                "p50": months.iter().map(|m| r2(m[s].p50)).collect::<Vec<_>>(),
                "p90": months.iter().map(|m| r2(m[s].p90)).collect::<Vec<_>>(),
            }),
        );
    }
    Value::Object(out)
}

/// The JSON answer of `halden simulate --json` (the contract's keys first; `validation`,
/// `monthly` and `metadata` added).
pub fn to_json(scenario: &Scenario, o: &Outcome) -> Value {
    let mut root = Map::new();
    root.insert(
        "baseline".into(),
        world_json(&o.baseline, o.overflow_days.first(), None),
    );
    if let (Some(policy), Some(delta)) = (&o.policy, &o.delta) {
        root.insert(
            "policy".into(),
            world_json(policy, o.overflow_days.get(1), o.surge.get(1)),
        );
        root.insert("delta".into(), world_json(delta, None, None));
    }
    root.insert("validation".into(), validation_json(o));
    let mut monthly = Map::new();
    let names = ["baseline", "policy", "delta"];
    for (name, months) in names.iter().zip(&o.monthly) {
        monthly.insert((*name).to_owned(), monthly_json(months));
    }
    root.insert("monthly".into(), Value::Object(monthly));
    root.insert(
        "metadata".into(),
        json!({
            "seed": scenario.seed,
            "replications": scenario.replications,
            "years": scenario.years,
            "burn_in_days": scenario.burn_in_days,
            "start_date": scenario.start_date.to_string(),
            "averaged_over": "every simulated day after the burn-in (years × 365 days)",
            "months": "twelfths of a 365-day year",
            "bands": "P10/P50/P90 by nearest rank over replications; delta bands are of per-replication differences; process noise only",
            "rng": "xoshiro256++, seeded by SplitMix64 from seed, replication and stream; stream 0 arrivals, stream 1 persons' uniforms (drawn at arrival in a fixed order; common random numbers for baseline and policy)",
            "series": "prison = serving a prison sentence in an institution or halfway house; em = front- and back-door EM; parole = on parole until the end of the sentence; total = prison + remand + em + parole + fine_default; queue = waiting more than 61 days since receipt",
        }),
    );
    Value::Object(root)
}

fn validation_json(o: &Outcome) -> Value {
    let little: Map<String, Value> = o
        .little
        .iter()
        .map(|(name, l, lambda, w, se)| {
            let lw = lambda * w;
            let gap = l.mean - lw;
            let rel = if l.mean > 0.0 { gap / l.mean } else { 0.0 };
            (
                (*name).to_owned(),
                json!({
                    "stock": r2(l.mean),
                    "entries_per_day": (lambda * 1e4).round() / 1e4,
                    "mean_stay_days": r2(*w),
                    "lambda_w": r2(lw),
                    "relative_error": (rel * 1e4).round() / 1e4,
                    "passed": gap.abs() <= (0.01 * l.mean).max(3.0 * se) + 1e-9,
                }),
            )
        })
        .collect();
    let bands: Vec<Value> = (0..BANDS)
        .map(|b| {
            json!({
                "band": BAND_NAMES[b],
                "share_pct": r2(o.band_shares[b]),
                "reference_pct": LENGTH_BIAS_REFERENCE[b],
                "difference_points": r2(o.band_shares[b] - LENGTH_BIAS_REFERENCE[b]),
            })
        })
        .collect();
    json!({
        "conservation": {
            "residual": o.residual,
            "persons_residual": o.persons_residual,
            "checked": "per replication, world and compartment on the run's own events: P_end = P_start + entries − exits over the reported days; persons created = in the system + released",
            "passed": o.residual == 0 && o.persons_residual == 0,
        },
        "littles_law": little,
        "length_bias": {
            "what": "mean sentenced prison stock by imposed sentence band over the reported days",
            "reference": "PI-NOR, sentenced stock 31 January 2018 (meaningful for a national scenario only)",
            "bands": bands,
        },
        "targets": o.targets.iter().map(target_json).collect::<Vec<_>>(),
    })
}

fn target_json(t: &TargetCheck) -> Value {
    json!({
        "label": t.target.label,
        "world": match t.target.world { World::Baseline => "baseline", World::Policy => "policy" },
        "series": t.target.series,
        "year": t.target.year,
        "published": t.target.value,
        "simulated": t.simulated.json(),
        "error": (t.error * 1e4).round() / 1e4,
        "tolerance": t.target.tolerance,
        "out_of_sample": t.target.out_of_sample,
        "passed": t.passed,
    })
}

/// The error by horizon (year) over the scenario's targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Horizon {
    /// Year after the burn-in.
    pub year: u32,
    /// Targets in that year.
    pub count: usize,
    /// Mean absolute percentage error.
    pub mape: f64,
    /// Mean signed error (percent): positive = the simulation is above.
    pub bias: f64,
    /// Share of targets inside the simulated P10–P90.
    pub coverage: f64,
}

/// Groups the target checks by year.
pub fn backtest(o: &Outcome) -> Vec<Horizon> {
    let mut years: Vec<u32> = o.targets.iter().map(|t| t.target.year).collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let ts: Vec<&TargetCheck> =
                o.targets.iter().filter(|t| t.target.year == year).collect();
            let n = ts.len() as f64;
            Horizon {
                year,
                count: ts.len(),
                mape: 100.0 * ts.iter().map(|t| t.error.abs()).sum::<f64>() / n,
                bias: 100.0 * ts.iter().map(|t| t.error).sum::<f64>() / n,
                coverage: ts
                    .iter()
                    .filter(|t| {
                        t.target.value >= t.simulated.p10 && t.target.value <= t.simulated.p90
                    })
                    .count() as f64
                    / n,
            }
        })
        .collect()
}

/// The backtest as JSON.
pub fn backtest_json(o: &Outcome) -> Value {
    json!({
        "horizons": backtest(o).iter().map(|h| json!({
            "year": h.year,
            "targets": h.count,
            "mape_pct": r2(h.mape),
            "bias_pct": r2(h.bias),
            "p10_p90_coverage": r2(h.coverage),
        })).collect::<Vec<_>>(),
        "targets": o.targets.iter().map(target_json).collect::<Vec<_>>(),
    })
}

/// The backtest as a table.
pub fn backtest_table(o: &Outcome) -> String {
    let mut s = String::from("Error by horizon (year after the burn-in)\n");
    s.push_str(&format!(
        "{:>5} {:>8} {:>8} {:>8} {:>9}\n",
        "year", "targets", "MAPE %", "bias %", "coverage"
    ));
    for h in backtest(o) {
        s.push_str(&format!(
            "{:>5} {:>8} {:>8.2} {:>8.2} {:>9.2}\n",
            h.year, h.count, h.mape, h.bias, h.coverage
        ));
    }
    s.push('\n');
    s.push_str(&targets_table(o));
    s
}

fn targets_table(o: &Outcome) -> String {
    let mut s = String::new();
    if o.targets.is_empty() {
        return s;
    }
    s.push_str("Targets\n");
    for t in &o.targets {
        s.push_str(&format!(
            "  {:<58} year {} {:>9.1} sim {:>9.1} ({:+.1} %) {}{}\n",
            t.target.label,
            t.target.year,
            t.target.value,
            t.simulated.mean,
            100.0 * t.error,
            if t.passed { "ok" } else { "OUTSIDE" },
            if t.target.out_of_sample {
                " (out of sample)"
            } else {
                ""
            }
        ));
    }
    s
}

/// The readable table of `halden simulate` without `--json`.
pub fn table(o: &Outcome) -> String {
    let mut s = String::new();
    let header = format!(
        "{:<14} {:>10} {:>10} {:>10} {:>10}\n",
        "stock", "mean", "P10", "P50", "P90"
    );
    let mut block = |title: &str, bands: &[Band; SERIES]| {
        s.push_str(title);
        s.push('\n');
        s.push_str(&header);
        for (name, b) in SERIES_NAMES.iter().zip(bands) {
            s.push_str(&format!(
                "{:<14} {:>10.1} {:>10.1} {:>10.1} {:>10.1}\n",
                name, b.mean, b.p10, b.p50, b.p90
            ));
        }
        s.push('\n');
    };
    block("Baseline (mean daily stock after the burn-in)", &o.baseline);
    if let (Some(p), Some(d)) = (&o.policy, &o.delta) {
        block("Policy", p);
        block("Delta (policy − baseline, per replication)", d);
    }
    s.push_str(&format!(
        "Conservation residual {} (persons {}): {}\n",
        o.residual,
        o.persons_residual,
        if o.residual == 0 && o.persons_residual == 0 {
            "ok"
        } else {
            "FAILED"
        }
    ));
    s.push_str("Little's law (baseline): L vs λ·W\n");
    for (name, l, lambda, w, _) in &o.little {
        s.push_str(&format!(
            "  {:<13} L {:>9.1}  λW {:>9.1}\n",
            name,
            l.mean,
            lambda * w
        ));
    }
    s.push_str(&targets_table(o));
    s
}
