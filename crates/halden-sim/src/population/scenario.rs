//! The scenario file (TOML): what the simulator runs. Every key is documented in
//! `docs/simulator.md`; unknown keys and bad values are refused with the key, line and column.

use std::ops::Range;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

/// The most replications a scenario may ask for.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// The most simulated years after the burn-in.
pub const MAX_YEARS: u32 = 50;
/// The longest burn-in in days (100 years).
pub const MAX_BURN_IN_DAYS: u32 = 36_500;
/// The most admission flows.
pub const MAX_FLOWS: usize = 64;
/// The most admissions a year in one flow.
pub const MAX_PER_YEAR: f64 = 1_000_000.0;
/// The longest prison sentence in days the simulator takes: 30 years of 365 days (R-LEN-2).
pub const MAX_SENTENCE_DAYS: u32 = 30 * 365;
/// The longest fine-default term in days.
pub const MAX_FINE_DAYS: u32 = 365;
/// The longest remand stay in days (10 years).
pub const MAX_STAY_DAYS: u32 = 3_650;

/// A scenario, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The master seed.
    pub seed: u64,
    /// Years simulated after the burn-in (each 365 days).
    pub years: u32,
    /// Days simulated first and not reported.
    pub burn_in_days: u32,
    /// Monte Carlo replications.
    pub replications: u32,
    /// The calendar date of the first reported day (the day after the burn-in); it decides which
    /// law is in force on each simulated day (R-EM-1 for the back door). Default 2019-01-01.
    pub start_date: Date,
    /// Admission flows.
    pub admissions: Vec<Flow>,
    /// The rules and behaviour of the baseline.
    pub rules: Rules,
    /// Places and devices of the baseline.
    pub capacity: Capacity,
    /// The what-if, if any.
    pub policy: Option<PolicySpec>,
    /// Published figures the run is compared with (validation).
    pub targets: Vec<Target>,
}

/// What arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An unconditional prison sentence received (it waits in the queue, then is served in
    /// prison or on front-door EM).
    Prison,
    /// A new remand (always admitted); some are sentenced at its end and transferred to prison
    /// with the remand deducted.
    Remand,
    /// Alternative imprisonment for an unpaid fine, served in full (R-CALC-4).
    FineDefault,
}

impl Kind {
    /// The scenario's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Prison => "prison",
            Kind::Remand => "remand",
            Kind::FineDefault => "fine_default",
        }
    }
}

/// A length in days: fixed, or drawn from bands.
#[derive(Debug, Clone, PartialEq)]
pub enum Length {
    /// Always this many days.
    Fixed(u32),
    /// Drawn: a band by its share, then a day within it by the rule.
    Bands {
        /// `(from, to, share)`: days `from..=to`, shares normalised to sum 1.
        bands: Vec<(u32, u32, f64)>,
        /// How a day is drawn within a band.
        draw: Draw,
    },
}

impl Length {
    /// The shortest and longest day this length can give.
    pub fn range(&self) -> (u32, u32) {
        match self {
            Length::Fixed(d) => (*d, *d),
            Length::Bands { bands, .. } => (
                bands.iter().map(|b| b.0).min().unwrap_or(0),
                bands.iter().map(|b| b.1).max().unwrap_or(0),
            ),
        }
    }

    /// The mean in days (exact for the uniform rule; the log-uniform mean otherwise).
    pub fn mean(&self) -> f64 {
        match self {
            Length::Fixed(d) => f64::from(*d),
            Length::Bands { bands, draw } => bands
                .iter()
                .map(|&(a, b, w)| {
                    let (a, b) = (f64::from(a), f64::from(b));
                    let m = match draw {
                        Draw::Uniform => (a + b) / 2.0,
                        Draw::LogUniform if b > a => (b - a) / (b.ln() - a.ln()),
                        Draw::LogUniform => a,
                    };
                    w * m
                })
                .sum(),
        }
    }

    /// The day for uniforms `u` (band) and `v` (within the band).
    pub fn draw(&self, u: f64, v: f64) -> u32 {
        match self {
            Length::Fixed(d) => *d,
            Length::Bands { bands, .. } => {
                let mut acc = 0.0;
                let mut chosen = bands.len() - 1;
                for (i, band) in bands.iter().enumerate() {
                    acc += band.2;
                    if u < acc {
                        chosen = i;
                        break;
                    }
                }
                self.draw_in(chosen, v)
            }
        }
    }

    /// The bands as `(from, to, share)`; a fixed length is one band of share 1.
    pub fn bands(&self) -> Vec<(u32, u32, f64)> {
        match self {
            Length::Fixed(d) => vec![(*d, *d, 1.0)],
            Length::Bands { bands, .. } => bands.clone(),
        }
    }

    /// The day within band `band` (an index of [`Length::bands`]) for the uniform `v`.
    pub fn draw_in(&self, band: usize, v: f64) -> u32 {
        match self {
            Length::Fixed(d) => *d,
            Length::Bands { bands, draw } => {
                let (a, b, _) = bands[band.min(bands.len() - 1)];
                if b <= a {
                    return a;
                }
                let x = match draw {
                    Draw::Uniform => f64::from(a) + v * f64::from(b - a + 1),
                    Draw::LogUniform => {
                        // ln(a) and ln(b + 1) without a call: a, b ≤ 10 950 come from a table.
                        let (la, lb) = (ln_table(a), ln_table(b + 1));
                        (la + v * (lb - la)).exp()
                    }
                };
                (x.floor() as u32).clamp(a, b)
            }
        }
    }
}

/// `ln(n)` for the whole numbers a band can hold, computed once.
pub(crate) fn ln_table(n: u32) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=MAX_SENTENCE_DAYS.max(MAX_STAY_DAYS) + 1)
            .map(|i| f64::from(i.max(1)).ln())
            .collect()
    });
    table
        .get(n as usize)
        .copied()
        .unwrap_or_else(|| f64::from(n).ln())
}

/// How a length is drawn within its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// Every day of the band equally likely.
    Uniform,
    /// The logarithm uniform (more short stays within the band).
    LogUniform,
}

/// One admission flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// A label for tables (default `<kind> <index>`).
    pub name: String,
    /// What arrives.
    pub kind: Kind,
    /// Mean arrivals a year (Poisson).
    pub per_year: f64,
    /// Imposed sentence (prison, fine default) or remand stay (remand).
    pub length: Length,
    /// Remand only: the share sentenced to prison at the end of remand (transferred with the
    /// remand deducted).
    pub sentenced_share: f64,
    /// Remand only: the sentence of those sentenced.
    pub sentence: Option<Length>,
    /// Overrides the rules' `parole_uptake` for this flow.
    pub parole_uptake: Option<f64>,
}

/// The parole fraction of a rule version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParoleRule {
    /// 2/3 (R-PAR-1, the law in force).
    TwoThirds,
    /// 1/2 (a what-if).
    Half,
    /// No parole: every sentence served in full.
    None,
}

impl ParoleRule {
    /// The scenario's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParoleRule::TwoThirds => "2/3",
            ParoleRule::Half => "1/2",
            ParoleRule::None => "none",
        }
    }
}

/// Rules (law as a rule version) and behaviour (calibrated probabilities, never law).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// The parole fraction (rule version in the engine).
    pub parole_fraction: ParoleRule,
    /// Front-door EM for sentences of at most this many days (0 = off).
    pub em_front_door_limit_days: u32,
    /// Share of those eligible who serve on front-door EM (0 = off).
    pub em_uptake: f64,
    /// Share of prisoners who move to back-door EM on the engine's date (R-EM-3).
    pub em_back_door_uptake: f64,
    /// Share of those eligible released on parole at the earliest date (else served in full).
    pub parole_uptake: f64,
    /// Days from receipt to the earliest start (the summons lead, R-INNK-1: 21).
    pub summons_lead_days: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            parole_fraction: ParoleRule::TwoThirds,
            em_front_door_limit_days: 0,
            em_uptake: 0.0,
            em_back_door_uptake: 0.0,
            parole_uptake: 1.0,
            summons_lead_days: 0,
        }
    }
}

/// Places and devices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    /// Prison places (remand, prison, fine default); `None` = unlimited.
    pub places: Option<u32>,
    /// The operating ceiling κ: sentence starts only while occupancy < κ × places.
    pub ceiling: f64,
    /// EM devices; `None` = unlimited.
    pub em_devices: Option<u32>,
}

impl Default for Capacity {
    fn default() -> Capacity {
        Capacity {
            places: None,
            ceiling: 1.0,
            em_devices: None,
        }
    }
}

/// A what-if: from `start_day` the rules and capacity change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicySpec {
    /// The simulation day (0 = the first burn-in day) from which the policy applies.
    pub start_day: u32,
    /// Retroactive: everyone in the system on `start_day` is recalculated; prospective: only
    /// decisions (receipt of the sentence, or sentencing at the end of remand) from `start_day`.
    pub retroactive: bool,
    /// The rules under the policy (keys not given keep the baseline's).
    pub rules: Rules,
    /// Capacity under the policy.
    pub capacity: Capacity,
    /// Multiplies every flow's admissions from `start_day` (default 1).
    pub admissions_multiplier: f64,
}

/// A published figure to compare with.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What it is, with its source.
    pub label: String,
    /// `baseline` or `policy`.
    pub world: World,
    /// Which series: `prison`, `remand`, `em`, `parole`, `fine_default`, `total`, `custody`
    /// (prison + remand + fine default, i.e. excluding EM and parole).
    pub series: String,
    /// The reported year it refers to (1 = the first after the burn-in).
    pub year: u32,
    /// The published value (average daily population).
    pub value: f64,
    /// Relative tolerance (default 0.05).
    pub tolerance: f64,
    /// Calibration (in-sample) or out-of-sample.
    pub out_of_sample: bool,
}

/// Which run a target refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// The baseline.
    Baseline,
    /// The policy run.
    Policy,
}

/// A problem in a scenario: the key, where it is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key} (line {line}, column {column}): {message}")]
pub struct ScenarioError {
    /// The key's path, e.g. `admissions[1].per_year`.
    pub key: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The problem.
    pub message: String,
}

/// The series names a target may use.
pub const TARGET_SERIES: [&str; 8] = [
    "prison",
    "remand",
    "em",
    "parole",
    "fine_default",
    "total",
    "custody",
    "queue",
];

// ---- raw, as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    seed: Spanned<i64>,
    years: Spanned<i64>,
    burn_in_days: Spanned<i64>,
    replications: Spanned<i64>,
    start_date: Option<Spanned<String>>,
    admissions: Vec<Spanned<RawFlow>>,
    rules: Option<RawRules>,
    capacity: Option<RawCapacity>,
    policy: Option<Spanned<RawPolicy>>,
    #[serde(default)]
    targets: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    name: Option<String>,
    kind: Spanned<String>,
    per_year: Spanned<Num>,
    sentence_days: Option<Spanned<i64>>,
    stay_days: Option<Spanned<i64>>,
    sentence_bands: Option<Spanned<Vec<RawBand>>>,
    stay_bands: Option<Spanned<Vec<RawBand>>>,
    draw: Option<Spanned<String>>,
    sentenced_share: Option<Spanned<Num>>,
    parole_uptake: Option<Spanned<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    from: Spanned<i64>,
    to: Spanned<i64>,
    share: Spanned<Num>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    parole_fraction: Option<Spanned<String>>,
    em_front_door_limit_days: Option<Spanned<i64>>,
    em_uptake: Option<Spanned<Num>>,
    em_back_door_uptake: Option<Spanned<Num>>,
    parole_uptake: Option<Spanned<Num>>,
    summons_lead_days: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCapacity {
    places: Option<Spanned<i64>>,
    ceiling: Option<Spanned<Num>>,
    em_devices: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    start_day: Spanned<i64>,
    retroactive: bool,
    parole_fraction: Option<Spanned<String>>,
    em_front_door_limit_days: Option<Spanned<i64>>,
    em_uptake: Option<Spanned<Num>>,
    em_back_door_uptake: Option<Spanned<Num>>,
    parole_uptake: Option<Spanned<Num>>,
    summons_lead_days: Option<Spanned<i64>>,
    places: Option<Spanned<i64>>,
    ceiling: Option<Spanned<Num>>,
    em_devices: Option<Spanned<i64>>,
    admissions_multiplier: Option<Spanned<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    label: String,
    world: Option<Spanned<String>>,
    series: Spanned<String>,
    year: Spanned<i64>,
    value: Spanned<Num>,
    tolerance: Option<Spanned<Num>>,
    #[serde(default)]
    out_of_sample: bool,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn get(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// Parses and checks a scenario.
///
/// # Errors
///
/// Every problem found, each with its key, line and column (a syntax or type error stops at the
/// first).
pub fn parse(source: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let raw: Raw = toml::from_str(source).map_err(|e| vec![from_toml(source, &e)])?;
    let mut c = Checker {
        source,
        errors: Vec::new(),
    };
    let seed = c.int(&raw.seed, "seed", 0, i64::MAX) as u64;
    let years = c.int(&raw.years, "years", 1, i64::from(MAX_YEARS)) as u32;
    let burn_in_days = c.int(
        &raw.burn_in_days,
        "burn_in_days",
        0,
        i64::from(MAX_BURN_IN_DAYS),
    ) as u32;
    let replications = c.int(
        &raw.replications,
        "replications",
        1,
        i64::from(MAX_REPLICATIONS),
    ) as u32;
    let start_date = match &raw.start_date {
        None => jiff::civil::date(2019, 1, 1),
        Some(s) => match s.get_ref().parse::<Date>() {
            Ok(d) if d.year() >= 1900 && d.year() <= 2200 => d,
            _ => {
                c.error(
                    "start_date",
                    s.span(),
                    "must be a date YYYY-MM-DD between 1900 and 2200",
                );
                jiff::civil::date(2019, 1, 1)
            }
        },
    };
    if raw.admissions.is_empty() {
        c.error(
            "admissions",
            0..0,
            "at least one [[admissions]] flow is required",
        );
    }
    if raw.admissions.len() > MAX_FLOWS {
        c.error(
            "admissions",
            raw.admissions[MAX_FLOWS].span(),
            &format!("at most {MAX_FLOWS} flows"),
        );
    }
    let mut admissions = Vec::new();
    for (i, flow) in raw.admissions.iter().enumerate() {
        if let Some(flow) = c.flow(i, flow) {
            admissions.push(flow);
        }
    }
    let rules = c.rules(raw.rules.as_ref(), &Rules::default(), "rules");
    let capacity = c.capacity(raw.capacity.as_ref());
    let policy = raw.policy.as_ref().map(|p| c.policy(p, &rules, &capacity));
    let targets = raw
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| c.target(i, t, years, policy.is_some()))
        .collect();
    if c.errors.is_empty() {
        Ok(Scenario {
            seed,
            years,
            burn_in_days,
            replications,
            start_date,
            admissions,
            rules,
            capacity,
            policy,
            targets,
        })
    } else {
        Err(c.errors)
    }
}

impl Scenario {
    /// Days simulated in all (burn-in and reported years).
    pub fn horizon_days(&self) -> u32 {
        self.burn_in_days + self.years * 365
    }

    /// A rough size of the run: expected person journeys over all replications (for limits).
    pub fn journeys(&self) -> f64 {
        let per_year: f64 = self.admissions.iter().map(|f| f.per_year).sum();
        let multiplier = self
            .policy
            .map_or(1.0, |p| p.admissions_multiplier.max(1.0));
        per_year * multiplier * f64::from(self.horizon_days()) / 365.0
            * f64::from(self.replications)
            * if self.policy.is_some() { 2.0 } else { 1.0 }
    }
}

struct Checker<'a> {
    source: &'a str,
    errors: Vec<ScenarioError>,
}

impl Checker<'_> {
    fn error(&mut self, key: &str, span: Range<usize>, message: &str) {
        let (line, column) = line_column(self.source, span.start);
        self.errors.push(ScenarioError {
            key: key.to_owned(),
            line,
            column,
            message: message.to_owned(),
        });
    }

    fn int(&mut self, value: &Spanned<i64>, key: &str, low: i64, high: i64) -> i64 {
        let v = *value.get_ref();
        if v < low || v > high {
            self.error(
                key,
                value.span(),
                &format!("{v} is out of range: must be from {low} to {high}"),
            );
            return low;
        }
        v
    }

    fn num(&mut self, value: &Spanned<Num>, key: &str, low: f64, high: f64) -> f64 {
        let v = value.get_ref().get();
        if !v.is_finite() || v < low || v > high {
            self.error(
                key,
                value.span(),
                &format!("{v} is out of range: must be from {low} to {high}"),
            );
            return low;
        }
        v
    }

    fn share(&mut self, value: Option<&Spanned<Num>>, key: &str, default: f64) -> f64 {
        value.map_or(default, |v| self.num(v, key, 0.0, 1.0))
    }

    fn flow(&mut self, i: usize, flow: &Spanned<RawFlow>) -> Option<Flow> {
        let key = |k: &str| format!("admissions[{i}].{k}");
        let f = flow.get_ref();
        let kind = match f.kind.get_ref().as_str() {
            "prison" => Kind::Prison,
            "remand" => Kind::Remand,
            "fine_default" => Kind::FineDefault,
            other => {
                self.error(
                    &key("kind"),
                    f.kind.span(),
                    &format!("`{other}` is not a kind: `prison`, `remand` or `fine_default`"),
                );
                return None;
            }
        };
        let per_year = self.num(&f.per_year, &key("per_year"), 0.0, MAX_PER_YEAR);
        let draw = match f.draw.as_ref().map(|d| d.get_ref().as_str()) {
            None | Some("log_uniform") => Draw::LogUniform,
            Some("uniform") => Draw::Uniform,
            Some(other) => {
                let span = f.draw.as_ref().map_or(0..0, |d| d.span());
                self.error(
                    &key("draw"),
                    span,
                    &format!("`{other}` is not a rule: `uniform` or `log_uniform`"),
                );
                Draw::LogUniform
            }
        };
        let (max_sentence, min_sentence) = match kind {
            Kind::FineDefault => (MAX_FINE_DAYS, 1),
            _ => (MAX_SENTENCE_DAYS, halden_domain::law::PRISON_MINIMUM_DAYS),
        };
        let length_keys = |k: Kind| match k {
            Kind::Remand => ("stay_days", "stay_bands"),
            _ => ("sentence_days", "sentence_bands"),
        };
        let (days_key, bands_key) = length_keys(kind);
        let (days, bands, other_days, other_bands) = match kind {
            Kind::Remand => (
                &f.stay_days,
                &f.stay_bands,
                &f.sentence_days,
                &f.sentence_bands,
            ),
            _ => (
                &f.sentence_days,
                &f.sentence_bands,
                &f.stay_days,
                &f.stay_bands,
            ),
        };
        let (low, high) = match kind {
            Kind::Remand => (1, MAX_STAY_DAYS),
            _ => (min_sentence, max_sentence),
        };
        let length = self.length(
            flow.span(),
            days,
            bands,
            draw,
            (&key(days_key), &key(bands_key)),
            (low, high),
        );
        let mut sentence = None;
        let mut sentenced_share = 0.0;
        match kind {
            Kind::Remand => {
                sentenced_share =
                    self.share(f.sentenced_share.as_ref(), &key("sentenced_share"), 0.0);
                if other_days.is_some() || other_bands.is_some() {
                    sentence = self.length(
                        flow.span(),
                        other_days,
                        other_bands,
                        draw,
                        (&key("sentence_days"), &key("sentence_bands")),
                        (min_sentence, max_sentence),
                    );
                } else if sentenced_share > 0.0 {
                    self.error(
                        &key("sentence_days"),
                        flow.span(),
                        "a remand flow with sentenced_share > 0 needs sentence_days or sentence_bands",
                    );
                }
            }
            _ => {
                if let Some(s) = &f.sentenced_share {
                    self.error(
                        &key("sentenced_share"),
                        s.span(),
                        "only a remand flow has a sentenced_share",
                    );
                }
                if let Some(s) = other_days {
                    self.error(
                        &key("stay_days"),
                        s.span(),
                        "only a remand flow has stay_days; a sentence is given by sentence_days",
                    );
                }
                if let Some(s) = other_bands {
                    self.error(
                        &key("stay_bands"),
                        s.span(),
                        "only a remand flow has stay_bands; a sentence is given by sentence_bands",
                    );
                }
            }
        }
        let parole_uptake = f
            .parole_uptake
            .as_ref()
            .map(|v| self.num(v, &key("parole_uptake"), 0.0, 1.0));
        Some(Flow {
            name: f
                .name
                .clone()
                .unwrap_or_else(|| format!("{} {}", kind.as_str(), i + 1)),
            kind,
            per_year,
            length: length?,
            sentenced_share,
            sentence,
            parole_uptake,
        })
    }

    fn length(
        &mut self,
        flow_span: Range<usize>,
        days: &Option<Spanned<i64>>,
        bands: &Option<Spanned<Vec<RawBand>>>,
        draw: Draw,
        (days_key, bands_key): (&str, &str),
        (low, high): (u32, u32),
    ) -> Option<Length> {
        match (days, bands) {
            (Some(d), None) => {
                Some(Length::Fixed(
                    self.int(d, days_key, i64::from(low), i64::from(high)) as u32,
                ))
            }
            (None, Some(b)) => {
                let list = b.get_ref();
                if list.is_empty() {
                    self.error(bands_key, b.span(), "at least one band is required");
                    return None;
                }
                let mut out = Vec::new();
                let before = self.errors.len();
                for (j, band) in list.iter().enumerate() {
                    let k = |x: &str| format!("{bands_key}[{j}].{x}");
                    let from =
                        self.int(&band.from, &k("from"), i64::from(low), i64::from(high)) as u32;
                    let to = self.int(&band.to, &k("to"), i64::from(low), i64::from(high)) as u32;
                    if to < from {
                        self.error(&k("to"), band.to.span(), "must not be before `from`");
                    }
                    let share = self.num(&band.share, &k("share"), 0.0, 1e12);
                    out.push((from, to, share));
                }
                let total: f64 = out.iter().map(|b| b.2).sum();
                if total <= 0.0 {
                    self.error(bands_key, b.span(), "the shares must not all be 0");
                }
                if self.errors.len() > before || total <= 0.0 {
                    return None;
                }
                for band in &mut out {
                    band.2 /= total;
                }
                Some(Length::Bands { bands: out, draw })
            }
            (Some(d), Some(_)) => {
                self.error(
                    days_key,
                    d.span(),
                    &format!("give {days_key} or {bands_key}, not both"),
                );
                None
            }
            (None, None) => {
                self.error(
                    days_key,
                    flow_span,
                    &format!("{days_key} (or {bands_key}) is required"),
                );
                None
            }
        }
    }

    fn parole(&mut self, value: &Spanned<String>, key: &str) -> ParoleRule {
        match value.get_ref().as_str() {
            "2/3" => ParoleRule::TwoThirds,
            "1/2" => ParoleRule::Half,
            "none" => ParoleRule::None,
            other => {
                self.error(
                    key,
                    value.span(),
                    &format!("`{other}` is not a parole fraction: \"2/3\", \"1/2\" or \"none\""),
                );
                ParoleRule::TwoThirds
            }
        }
    }

    fn rules(&mut self, raw: Option<&RawRules>, base: &Rules, table: &str) -> Rules {
        let empty = RawRules::default();
        let r = raw.unwrap_or(&empty);
        self.rule_keys(
            base,
            table,
            (
                &r.parole_fraction,
                &r.em_front_door_limit_days,
                &r.em_uptake,
                &r.em_back_door_uptake,
                &r.parole_uptake,
                &r.summons_lead_days,
            ),
        )
    }

    #[allow(clippy::type_complexity)]
    fn rule_keys(
        &mut self,
        base: &Rules,
        table: &str,
        (parole, limit, uptake, back, parole_uptake, lead): (
            &Option<Spanned<String>>,
            &Option<Spanned<i64>>,
            &Option<Spanned<Num>>,
            &Option<Spanned<Num>>,
            &Option<Spanned<Num>>,
            &Option<Spanned<i64>>,
        ),
    ) -> Rules {
        let key = |k: &str| format!("{table}.{k}");
        Rules {
            parole_fraction: parole.as_ref().map_or(base.parole_fraction, |p| {
                self.parole(p, &key("parole_fraction"))
            }),
            em_front_door_limit_days: limit.as_ref().map_or(base.em_front_door_limit_days, |v| {
                self.int(
                    v,
                    &key("em_front_door_limit_days"),
                    0,
                    i64::from(MAX_SENTENCE_DAYS),
                ) as u32
            }),
            em_uptake: uptake
                .as_ref()
                .map_or(base.em_uptake, |v| self.num(v, &key("em_uptake"), 0.0, 1.0)),
            em_back_door_uptake: back.as_ref().map_or(base.em_back_door_uptake, |v| {
                self.num(v, &key("em_back_door_uptake"), 0.0, 1.0)
            }),
            parole_uptake: parole_uptake.as_ref().map_or(base.parole_uptake, |v| {
                self.num(v, &key("parole_uptake"), 0.0, 1.0)
            }),
            summons_lead_days: lead.as_ref().map_or(base.summons_lead_days, |v| {
                self.int(v, &key("summons_lead_days"), 0, 365) as u32
            }),
        }
    }

    fn capacity_keys(
        &mut self,
        base: &Capacity,
        table: &str,
        places: &Option<Spanned<i64>>,
        ceiling: &Option<Spanned<Num>>,
        devices: &Option<Spanned<i64>>,
    ) -> Capacity {
        let key = |k: &str| format!("{table}.{k}");
        Capacity {
            places: places.as_ref().map_or(base.places, |v| {
                Some(self.int(v, &key("places"), 1, 10_000_000) as u32)
            }),
            ceiling: ceiling
                .as_ref()
                .map_or(base.ceiling, |v| self.num(v, &key("ceiling"), 0.01, 2.0)),
            em_devices: devices.as_ref().map_or(base.em_devices, |v| {
                Some(self.int(v, &key("em_devices"), 0, 10_000_000) as u32)
            }),
        }
    }

    fn capacity(&mut self, raw: Option<&RawCapacity>) -> Capacity {
        let empty = RawCapacity::default();
        let r = raw.unwrap_or(&empty);
        self.capacity_keys(
            &Capacity::default(),
            "capacity",
            &r.places,
            &r.ceiling,
            &r.em_devices,
        )
    }

    fn policy(&mut self, raw: &Spanned<RawPolicy>, rules: &Rules, cap: &Capacity) -> PolicySpec {
        let p = raw.get_ref();
        let start_day = self.int(&p.start_day, "policy.start_day", 0, i64::from(u32::MAX)) as u32;
        PolicySpec {
            start_day,
            retroactive: p.retroactive,
            rules: self.rule_keys(
                rules,
                "policy",
                (
                    &p.parole_fraction,
                    &p.em_front_door_limit_days,
                    &p.em_uptake,
                    &p.em_back_door_uptake,
                    &p.parole_uptake,
                    &p.summons_lead_days,
                ),
            ),
            capacity: self.capacity_keys(cap, "policy", &p.places, &p.ceiling, &p.em_devices),
            admissions_multiplier: p.admissions_multiplier.as_ref().map_or(1.0, |v| {
                self.num(v, "policy.admissions_multiplier", 0.0, 10.0)
            }),
        }
    }

    fn target(
        &mut self,
        i: usize,
        raw: &Spanned<RawTarget>,
        years: u32,
        has_policy: bool,
    ) -> Option<Target> {
        let t = raw.get_ref();
        let key = |k: &str| format!("targets[{i}].{k}");
        let before = self.errors.len();
        let world = match t.world.as_ref().map(|w| w.get_ref().as_str()) {
            None | Some("baseline") => World::Baseline,
            Some("policy") if has_policy => World::Policy,
            Some(other) => {
                let span = t.world.as_ref().map_or(0..0, |w| w.span());
                self.error(
                    &key("world"),
                    span,
                    &format!(
                        "`{other}` is not a run of this scenario: `baseline`{}",
                        if has_policy { " or `policy`" } else { "" }
                    ),
                );
                World::Baseline
            }
        };
        if !TARGET_SERIES.contains(&t.series.get_ref().as_str()) {
            self.error(
                &key("series"),
                t.series.span(),
                &format!(
                    "`{}` is not a series: one of {}",
                    t.series.get_ref(),
                    TARGET_SERIES.join(", ")
                ),
            );
        }
        let year = self.int(&t.year, &key("year"), 1, i64::from(years)) as u32;
        let value = self.num(&t.value, &key("value"), 0.0, 1e12);
        let tolerance = t
            .tolerance
            .as_ref()
            .map_or(0.05, |v| self.num(v, &key("tolerance"), 0.0, 1.0));
        (self.errors.len() == before).then(|| Target {
            label: t.label.clone(),
            world,
            series: t.series.get_ref().clone(),
            year,
            value,
            tolerance,
            out_of_sample: t.out_of_sample,
        })
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The key path at a byte offset: the table headers above it and the key on its line, e.g.
/// `admissions[1].per_year`.
fn key_at(source: &str, offset: usize) -> String {
    let offset = offset.min(source.len());
    let mut table = String::new();
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let end = line_start + line.len();
        let trimmed = line.trim();
        if line_start > offset {
            break;
        }
        if let Some(name) = trimmed
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
        {
            let name = name.trim().to_owned();
            let n = counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_owned();
        }
        if offset < end || end == source.len() {
            let key = line
                .split_once('=')
                .filter(|(k, _)| line_start + k.len() >= offset.min(line_start + k.len()))
                .map(|(k, _)| k.trim().to_owned())
                .filter(|k| !k.is_empty() && !k.starts_with('['));
            return match (table.is_empty(), key) {
                (true, Some(k)) => k,
                (false, Some(k)) => format!("{table}.{k}"),
                (false, None) => table,
                (true, None) => String::from("(scenario)"),
            };
        }
        line_start = end;
    }
    if table.is_empty() {
        String::from("(scenario)")
    } else {
        table
    }
}

fn from_toml(source: &str, error: &toml::de::Error) -> ScenarioError {
    let message = error.message().trim().to_owned();
    let offset = error.span().map_or(0, |s| s.start);
    let (line, column) = line_column(source, offset);
    // serde names the key in its message for unknown and missing fields.
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|r| r.split('`').next())
        .map(str::to_owned);
    let at = key_at(source, offset);
    let key = match named {
        Some(name) if message.starts_with("unknown") => {
            if at.ends_with(&name) {
                at
            } else {
                name
            }
        }
        Some(name) => {
            if at == "(scenario)" {
                name
            } else {
                format!("{at}.{name}")
            }
        }
        None => at,
    };
    ScenarioError {
        key,
        line,
        column,
        message,
    }
}
