//! Expected-value mode (STATISTICS.md §4, P4, V6) against answers worked out by hand, and
//! against the microsimulation of the same scenario (V6: within 2 % or 3 standard errors).

use halden_sim::population::{
    self, Band, Options,
    engine::Memo,
    expected::{self, day_masses, nodes},
    scenario::{Draw, Length},
};

const PRISON: usize = 0;
const REMAND: usize = 1;
const EM: usize = 2;
const PAROLE: usize = 3;
const TOTAL: usize = 5;
const WAITING: usize = 6;
const QUEUE: usize = 7;

fn expected_of(source: &str) -> expected::Expected {
    let scenario = population::parse(source).expect("valid scenario");
    expected::expected(&scenario, &Memo::new())
}

#[track_caller]
fn exactly(value: f64, hand: f64) {
    assert!((value - hand).abs() < 1e-9, "{value} is not {hand}");
}

/// The simulation agrees with the expectation within 2 % or 3 standard errors (V6).
#[track_caller]
fn agrees(band: &Band, expectation: f64) {
    let allowed = (3.0 * band.se).max(0.02 * expectation.abs()).max(0.05);
    assert!(
        (band.mean - expectation).abs() <= allowed,
        "simulated {} (se {}) against expected {expectation} ± {allowed}",
        band.mean,
        band.se
    );
}

#[test]
fn back_door_em_and_parole_from_the_engines_dates() {
    // 365-day sentences decided in 2019 (4-month EM limit, R-EM-1), parole at 2/3, everyone
    // taking back-door EM: parole day ceil(2·365/3) = 244; the engine's reference admission
    // 2019-03-01 puts day 244 on 2019-10-30. R-EM-3: max(2019-10-30 − 4 months = 2019-06-30,
    // day ceil(365/3) = 122); 2019-06-30 is day 122 (31 + 30 + 31 + 30) → EM from day 122.
    // Prison days 1–121, EM 122–244, parole 245–365; 1 a day; a 21-day summons lead waiting.
    let e = expected_of(
        "seed = 1\nyears = 1\nburn_in_days = 0\nreplications = 1\nstart_date = \"2019-01-01\"\n\
         [[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 365\n\
         [rules]\nem_back_door_uptake = 1\nsummons_lead_days = 21\n",
    );
    exactly(e.baseline[PRISON], 121.0);
    exactly(e.baseline[EM], 123.0);
    exactly(e.baseline[PAROLE], 121.0);
    exactly(e.baseline[TOTAL], 365.0);
    exactly(e.baseline[WAITING], 21.0);
    exactly(e.baseline[QUEUE], 0.0);
    assert!(e.policy.is_none() && e.delta.is_none());
}

#[test]
fn shares_split_the_cohort() {
    // 90 days at 2 a day (730 a year), parole at 2/3 taken by half: parole day
    // max(ceil(2·90/3), 60) = 60. Half serve days 1–60 then parole 61–90 (30 days), half serve
    // all 90: prison 2 × (½·60 + ½·90) = 150, parole 2 × ½·30 = 30.
    let e = expected_of(
        "seed = 1\nyears = 1\nburn_in_days = 0\nreplications = 1\n\
         [[admissions]]\nkind = \"prison\"\nper_year = 730\nsentence_days = 90\n\
         [rules]\nparole_uptake = 0.5\n",
    );
    exactly(e.baseline[PRISON], 150.0);
    exactly(e.baseline[PAROLE], 30.0);
}

#[test]
fn a_parole_change_moves_days_from_prison_to_parole_one_for_one() {
    // 180-day sentences, 1 a day. 2/3: parole day ceil(120) = 120 → prison 120, parole 60.
    // 1/2: parole day max(ceil(90), 60) = 90 → prison 90, parole 90. Δ prison −30, Δ parole +30,
    // Δ total 0 (R-PAR-4: parole runs to the end of the sentence).
    let source = "seed = 3\nyears = 3\nburn_in_days = 365\nreplications = 40\n\
         [[admissions]]\nkind = \"prison\"\nper_year = 365\nsentence_days = 180\n\
         [rules]\nparole_fraction = \"2/3\"\n\
         [policy]\nstart_day = 0\nretroactive = true\nparole_fraction = \"1/2\"\n";
    let e = expected_of(source);
    let delta = e.delta.expect("a policy gives a delta");
    exactly(e.baseline[PRISON], 120.0);
    exactly(e.baseline[PAROLE], 60.0);
    exactly(delta[PRISON], -30.0);
    exactly(delta[PAROLE], 30.0);
    exactly(delta[TOTAL], 0.0);
    // V6: the microsimulation's delta (same seed, retroactive from day 0, everyone from before
    // day 0 gone by the end of the 365-day burn-in) agrees with it.
    let scenario = population::parse(source).unwrap();
    let o = population::simulate(&scenario, Options::default(), &|_, _| {}).unwrap();
    let simulated = o.delta.unwrap();
    agrees(&simulated[PRISON], -30.0);
    agrees(&simulated[PAROLE], 30.0);
}

#[test]
fn log_uniform_masses_are_the_chances_of_each_day() {
    // Days 1–100 log-uniform: X = 101^U, the day is floor(X). floor(X) ≤ 9 iff X < 10 iff
    // U < ln 10 / ln 101; day 1 iff X < 2: ln 2 / ln 101.
    let length = Length::Bands {
        bands: vec![(1, 100, 1.0)],
        draw: Draw::LogUniform,
    };
    let masses = day_masses(&length);
    assert_eq!(masses.len(), 100);
    let total: f64 = masses.iter().map(|m| m.1).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    let up_to_9: f64 = masses.iter().filter(|m| m.0 <= 9).map(|m| m.1).sum();
    assert!((up_to_9 - 10f64.ln() / 101f64.ln()).abs() < 1e-12);
    assert!((masses[0].1 - 2f64.ln() / 101f64.ln()).abs() < 1e-12);
    // Two uniform bands: 10–19 with 0.25 (each day 0.025) and 20–29 with 0.75 (each 0.075).
    let uniform = Length::Bands {
        bands: vec![(10, 19, 0.25), (20, 29, 0.75)],
        draw: Draw::Uniform,
    };
    let masses = day_masses(&uniform);
    assert!((masses[0].1 - 0.025).abs() < 1e-12 && (masses[19].1 - 0.075).abs() < 1e-12);
    // Quadrature nodes keep each band's share: 12 nodes of 0.25/12 in 10–19, of 0.75/12 in 20–29.
    let n = nodes(&uniform);
    assert_eq!(n.len(), 2 * expected::NODES_PER_BAND);
    assert!(
        n[..12]
            .iter()
            .all(|&(d, m)| (10..=19).contains(&d) && (m - 0.25 / 12.0).abs() < 1e-12)
    );
    assert!(
        n[12..]
            .iter()
            .all(|&(d, m)| (20..=29).contains(&d) && (m - 0.75 / 12.0).abs() < 1e-12)
    );
}

#[test]
fn the_simulation_agrees_with_the_expectation_on_banded_and_remand_flows() {
    // Banded prison sentences with back-door EM and partial parole uptake, and a remand flow
    // half sentenced at the end of its stay (the quadrature's pairs), in one EM regime (2010).
    let source = r#"seed = 8
years = 3
burn_in_days = 400
replications = 40
start_date = "2010-01-01"

[[admissions]]
kind = "prison"
per_year = 2000
draw = "log_uniform"
sentence_bands = [
  { from = 14, to = 60, share = 0.5 },
  { from = 61, to = 365, share = 0.4 },
  { from = 366, to = 1500, share = 0.1 },
]

[[admissions]]
kind = "remand"
per_year = 900
stay_bands = [{ from = 3, to = 30, share = 0.6 }, { from = 31, to = 200, share = 0.4 }]
sentenced_share = 0.5
sentence_bands = [{ from = 30, to = 120, share = 0.7 }, { from = 121, to = 700, share = 0.3 }]

[rules]
em_back_door_uptake = 0.4
parole_uptake = 0.8
summons_lead_days = 21
"#;
    let e = expected_of(source);
    let scenario = population::parse(source).unwrap();
    let o = population::simulate(&scenario, Options::default(), &|_, _| {}).unwrap();
    for (i, name) in [
        "prison",
        "remand",
        "em",
        "parole",
        "fine_default",
        "total",
        "waiting_all",
    ]
    .iter()
    .enumerate()
    {
        let band = &o.baseline[i];
        let allowed = (3.0 * band.se).max(0.02 * e.baseline[i].abs()).max(0.05);
        assert!(
            (band.mean - e.baseline[i]).abs() <= allowed,
            "{name}: simulated {} (se {}) against expected {}",
            band.mean,
            band.se,
            e.baseline[i]
        );
    }
    assert!(e.baseline[REMAND] > 0.0 && e.baseline[EM] > 0.0);
}
