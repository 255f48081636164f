//! Expected-value mode (STATISTICS.md §4, P4, V6): the steady state of a scenario by
//! deterministic cohort arithmetic, with no random numbers.
//!
//! In a steady state each compartment's stock is its arrivals a day times the expected days a
//! person spends in it (Little's law, L = λ·W). The expected days come from the same engine
//! durations ([`Memo`]) and the same path ([`run::sentence_path`]) the microsimulation uses, so
//! the two agree up to the simulation's noise — which is what V6 checks:
//!
//! - a length's distribution is summed exactly, day by day: a band drawn uniformly gives each of
//!   its days the same mass; a log-uniform band gives day `d` the mass
//!   `(ln(d + 1) − ln d) / (ln(b + 1) − ln a)`, the chance that `exp(U)` floors to `d`;
//! - each behavioural share (front-door EM, parole, back-door EM uptake) splits the cohort into
//!   those who take it and those who do not;
//! - a remand sentenced at the end of its stay depends on the pair (stay, sentence); the pairs
//!   are too many to sum, so each of the two lengths is reduced to [`NODES_PER_BAND`] nodes per
//!   band, each the median day of an equal share of the band (a deterministic quadrature; the
//!   only approximation here);
//! - the summons lead is spent waiting (and in the queue past [`run::QUEUE_AFTER_DAYS`]).
//!
//! Not modelled: the capacity ceiling (a binding ceiling has no steady state: the queue grows
//! without end, V8) and the switch of EM regime within a run: the baseline is computed under the
//! regime in force on the scenario's `start_date`, the policy under the one on its start day.

use halden_domain::calendar::days_between;
use halden_domain::law;
use jiff::civil::Date;

use super::engine::{Input, Memo};
use super::run::{
    self, COMPARTMENTS, EM_BACK, EM_FRONT, FINE, PAROLE, PRISON, QUEUE, REMAND, SERIES, WAITING,
};
use super::scenario::{Draw, Kind, Length, Rules, Scenario, ln_table};

/// Quadrature nodes per band for the (stay, sentence) pairs of a sentenced remand.
pub const NODES_PER_BAND: usize = 12;

/// The steady states: the baseline, and under a policy its steady state and the difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// Expected stock per output series ([`run::SERIES_NAMES`]) under the baseline.
    pub baseline: [f64; SERIES],
    /// The same under the policy's rules and admissions, if the scenario has a policy.
    pub policy: Option<[f64; SERIES]>,
    /// `policy − baseline`.
    pub delta: Option<[f64; SERIES]>,
}

/// The scenario's steady states (the memo may be shared with a microsimulation).
pub fn expected(scenario: &Scenario, memo: &Memo) -> Expected {
    let first_day = scenario
        .start_date
        .checked_sub(jiff::Span::new().days(i64::from(scenario.burn_in_days)))
        .unwrap_or(scenario.start_date);
    let baseline = steady(
        scenario,
        memo,
        &scenario.rules,
        six_month(scenario.start_date),
        1.0,
    );
    let policy = scenario.policy.as_ref().map(|p| {
        let day = first_day
            .checked_add(jiff::Span::new().days(i64::from(p.start_day)))
            .unwrap_or(first_day);
        steady(
            scenario,
            memo,
            &p.rules,
            six_month(day),
            p.admissions_multiplier,
        )
    });
    let delta = policy.map(|p| std::array::from_fn(|i| p[i] - baseline[i]));
    Expected {
        baseline,
        policy,
        delta,
    }
}

/// Whether the 6-month front-door EM limit is in force on `day` (R-EM-1).
fn six_month(day: Date) -> bool {
    days_between(law::EM_SIX_MONTHS_FROM, day) >= 0
}

/// The mass of each day of a length: `(day, probability)`, days ascending, masses summing to 1.
pub fn day_masses(length: &Length) -> Vec<(u32, f64)> {
    match length {
        Length::Fixed(d) => vec![(*d, 1.0)],
        Length::Bands { bands, draw } => {
            let mut out = Vec::new();
            for &(a, b, share) in bands {
                if b <= a {
                    out.push((a, share));
                    continue;
                }
                match draw {
                    Draw::Uniform => {
                        let each = share / f64::from(b - a + 1);
                        out.extend((a..=b).map(|d| (d, each)));
                    }
                    Draw::LogUniform => {
                        // exp(ln a + U·(ln(b + 1) − ln a)) floors to d with chance
                        // (ln(d + 1) − ln d) / (ln(b + 1) − ln a); the draw clamps to a..=b.
                        let (la, lb) = (ln_table(a), ln_table(b + 1));
                        out.extend((a..=b).map(|d| {
                            let from = ln_table(d).max(la);
                            let to = ln_table(d + 1).min(lb);
                            (d, share * (to - from).max(0.0) / (lb - la))
                        }));
                    }
                }
            }
            out.sort_by_key(|&(d, _)| d);
            out
        }
    }
}

/// A length reduced to [`NODES_PER_BAND`] nodes per band: each node carries an equal share of
/// its band's mass and sits on the median day of that share.
pub fn nodes(length: &Length) -> Vec<(u32, f64)> {
    let bands = match length {
        Length::Fixed(d) => return vec![(*d, 1.0)],
        Length::Bands { bands, .. } => bands,
    };
    let masses = day_masses(length);
    let mut out = Vec::new();
    for &(a, b, share) in bands {
        let band: Vec<(u32, f64)> = masses
            .iter()
            .copied()
            .filter(|&(d, _)| (a..=b).contains(&d))
            .collect();
        let total: f64 = band.iter().map(|m| m.1).sum();
        if total <= 0.0 {
            continue;
        }
        let step = total / NODES_PER_BAND as f64;
        let mut acc = 0.0;
        let mut k = 0;
        for &(d, m) in &band {
            acc += m;
            // The median of node k is at (k + ½)·step of the band's cumulative mass.
            while k < NODES_PER_BAND && acc >= (k as f64 + 0.5) * step {
                out.push((d, share * step / total));
                k += 1;
            }
        }
        while k < NODES_PER_BAND {
            out.push((b, share * step / total));
            k += 1;
        }
    }
    out
}

/// Expected days in each compartment of one sentence started with `remand` days deducted.
#[allow(clippy::too_many_arguments)]
fn sentence_days(
    memo: &Memo,
    rules: &Rules,
    six_month_em: bool,
    term: u32,
    remand: u32,
    fine: bool,
    em_front_share: f64,
    parole_uptake: f64,
    days: &mut [f64; COMPARTMENTS],
    weight: f64,
) {
    let d = memo.get(Input {
        fine_default: fine,
        term,
        remand,
        parole: rules.parole_fraction,
        six_month_em,
    });
    let back = rules.em_back_door_uptake;
    let mut out = [(0, 0, 0); 3];
    for (em_front, p_front) in [(true, em_front_share), (false, 1.0 - em_front_share)] {
        for (parole_u, p_parole) in [(0.0, parole_uptake), (1.0, 1.0 - parole_uptake)] {
            for (back_u, p_back) in [(0.0, back), (1.0, 1.0 - back)] {
                let p = weight * p_front * p_parole * p_back;
                if p <= 0.0 {
                    continue;
                }
                let n = run::sentence_path(
                    &d,
                    em_front,
                    fine,
                    parole_u,
                    back_u,
                    parole_uptake,
                    back,
                    &mut out,
                );
                for &(c, from, to) in &out[..n] {
                    days[c] += p * f64::from(to.saturating_sub(from));
                }
            }
        }
    }
}

/// The steady state under `rules`: each flow's arrivals a day times its expected days.
fn steady(
    scenario: &Scenario,
    memo: &Memo,
    rules: &Rules,
    six_month_em: bool,
    multiplier: f64,
) -> [f64; SERIES] {
    let mut stock = [0.0; COMPARTMENTS];
    for flow in &scenario.admissions {
        let per_day = flow.per_year * multiplier / 365.0;
        let parole_uptake = flow.parole_uptake.unwrap_or(rules.parole_uptake);
        let mut days = [0.0; COMPARTMENTS];
        match flow.kind {
            Kind::Remand => {
                days[REMAND] = day_masses(&flow.length)
                    .iter()
                    .map(|&(d, m)| m * f64::from(d))
                    .sum();
                if let Some(sentence) = &flow.sentence {
                    let stays = nodes(&flow.length);
                    let terms = nodes(sentence);
                    for &(stay, ms) in &stays {
                        for &(term, mt) in &terms {
                            sentence_days(
                                memo,
                                rules,
                                six_month_em,
                                term,
                                stay,
                                false,
                                0.0,
                                parole_uptake,
                                &mut days,
                                flow.sentenced_share * ms * mt,
                            );
                        }
                    }
                }
            }
            Kind::Prison | Kind::FineDefault => {
                let fine = flow.kind == Kind::FineDefault;
                let lead = f64::from(rules.summons_lead_days);
                days[WAITING] = lead;
                days[QUEUE] = (lead - f64::from(run::QUEUE_AFTER_DAYS)).max(0.0);
                for (term, m) in day_masses(&flow.length) {
                    let front = !fine
                        && rules.em_front_door_limit_days > 0
                        && term <= rules.em_front_door_limit_days;
                    let share = if front { rules.em_uptake } else { 0.0 };
                    sentence_days(
                        memo,
                        rules,
                        six_month_em,
                        term,
                        0,
                        fine,
                        share,
                        parole_uptake,
                        &mut days,
                        m,
                    );
                }
            }
        }
        for (s, d) in stock.iter_mut().zip(days) {
            *s += per_day * d;
        }
    }
    let em = stock[EM_FRONT] + stock[EM_BACK];
    [
        stock[PRISON],
        stock[REMAND],
        em,
        stock[PAROLE],
        stock[FINE],
        stock[PRISON] + stock[REMAND] + em + stock[PAROLE] + stock[FINE],
        stock[WAITING],
        stock[QUEUE],
    ]
}

/// The JSON of the steady states: `{"mode": "expected", "baseline": {"stock": {series: value}},
/// "policy": …, "delta": …}` (`policy` and `delta` only with a policy), stocks to 2 decimals.
pub fn to_json(e: &Expected) -> serde_json::Value {
    let stock = |values: &[f64; SERIES]| {
        let map: serde_json::Map<String, serde_json::Value> = run::SERIES_NAMES
            .iter()
            .zip(values)
            .map(|(name, v)| {
                (
                    (*name).to_owned(),
                    serde_json::json!((v * 100.0).round() / 100.0),
                )
            })
            .collect();
        serde_json::json!({ "stock": map })
    };
    let mut out = serde_json::json!({
        "mode": "expected",
        "method": "steady state by cohort arithmetic (Little's law) with the engine's durations; no capacity ceiling; remand sentenced at the end of the stay by quadrature",
        "baseline": stock(&e.baseline),
    });
    if let (Some(p), Some(d)) = (&e.policy, &e.delta) {
        out["policy"] = stock(p);
        out["delta"] = stock(d);
    }
    out
}

/// The steady states as a table.
pub fn table(e: &Expected) -> String {
    let mut s = format!(
        "Expected steady state (cohort arithmetic, no capacity ceiling)\n{:<14} {:>10}",
        "stock", "baseline"
    );
    if e.policy.is_some() {
        s.push_str(&format!(" {:>10} {:>10}", "policy", "delta"));
    }
    s.push('\n');
    for (i, name) in run::SERIES_NAMES.iter().enumerate() {
        s.push_str(&format!("{name:<14} {:>10.1}", e.baseline[i]));
        if let (Some(p), Some(d)) = (&e.policy, &e.delta) {
            s.push_str(&format!(" {:>10.1} {:>+10.1}", p[i], d[i]));
        }
        s.push('\n');
    }
    s
}
