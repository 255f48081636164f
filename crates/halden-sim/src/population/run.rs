//! One replication, and many on worker threads.
//!
//! A replication walks day by day. Each day's arrivals are drawn once (their own random stream)
//! and fed to every world (the baseline and, if given, the policy): common random numbers. A
//! person's whole path is written when it starts (the engine's dates say when each compartment
//! ends), as +1/−1 in a per-day difference array, so a person costs a few array writes and
//! nothing per day; stocks are the running sums.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use halden_domain::law;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{RngCore, SeedableRng};

use super::engine::{Durations, Input, Memo};
use super::scenario::{Capacity, Kind, PolicySpec, Rules, Scenario};

/// Compartments, as the simulator tracks them.
pub const REMAND: usize = 0;
/// Serving a prison sentence at any level or in a halfway house.
pub const PRISON: usize = 1;
/// Serving alternative imprisonment for an unpaid fine.
pub const FINE: usize = 2;
/// Serving on front-door EM.
pub const EM_FRONT: usize = 3;
/// On back-door EM.
pub const EM_BACK: usize = 4;
/// On parole until the end of the sentence (R-PAR-4).
pub const PAROLE: usize = 5;
/// Sentenced, waiting to start (`waiting_all`).
pub const WAITING: usize = 6;
/// Waiting longer than two months (61 days) since receipt: the queue (R-QUEUE-1).
pub const QUEUE: usize = 7;
/// How many compartments.
pub const COMPARTMENTS: usize = 8;
/// Compartment names.
pub const COMPARTMENT_NAMES: [&str; COMPARTMENTS] = [
    "remand",
    "prison",
    "fine_default",
    "em_front",
    "em_back",
    "parole",
    "waiting_all",
    "queue",
];
/// Sentence bands (BAND, STATISTICS.md §2) of the sentenced prison stock.
pub const BANDS: usize = 9;
/// Band labels.
pub const BAND_NAMES: [&str; BANDS] = [
    "<1 m",
    "1–3 m",
    "3–6 m",
    "6–12 m",
    "1–3 y",
    "3–5 y",
    "5–10 y",
    "10–20 y",
    "≥20 y",
];
/// Band lower edges in months (the first band starts at 0).
const BAND_EDGES_MONTHS: [u32; BANDS - 1] = [1, 3, 6, 12, 36, 60, 120, 240];
const COLUMNS: usize = COMPARTMENTS + BANDS;

/// Output series.
pub const SERIES: usize = 8;
/// Output series names: the contract's six, then the queue's two.
pub const SERIES_NAMES: [&str; SERIES] = [
    "prison",
    "remand",
    "em",
    "parole",
    "fine_default",
    "total",
    "waiting_all",
    "queue",
];
/// Days after receipt from which a waiting sentence is in the queue: two months, taken as 61
/// days (R-QUEUE-1 counts calendar months from receipt; the simulator's months are days).
pub const QUEUE_AFTER_DAYS: u32 = 61;

/// The band of a term of `days` days: months = days × 12 / 365, lower edge inclusive.
pub fn band_of(days: u32) -> usize {
    let twelve = u64::from(days) * 12;
    BAND_EDGES_MONTHS
        .iter()
        .take_while(|&&edge| twelve >= u64::from(edge) * 365)
        .count()
}

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads (the result does not depend on it).
    pub threads: usize,
    /// Memoise engine calls (off only for the benchmark's baseline).
    pub memoise: bool,
    /// Start from a stationary stock drawn for day 0 (see [`stationary_stock`]); off, the
    /// system starts empty and only the burn-in fills it (the test and benchmark comparison).
    pub stationary_start: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            threads: 2,
            memoise: true,
            stationary_start: true,
        }
    }
}

/// One world's figures from one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldRep {
    /// Mean daily stock over the reported days, per series.
    pub mean: [f64; SERIES],
    /// Mean daily stock per reported month (twelfths of a 365-day year).
    pub monthly: Vec<[f32; SERIES]>,
    /// Mean daily stock per reported year.
    pub yearly: Vec<[f64; SERIES]>,
    /// Mean daily sentenced prison stock per band.
    pub bands: [f64; BANDS],
    /// Per compartment: mean stock L, entries a day λ, mean stay W of those entering.
    pub little: [(f64, f64, f64); COMPARTMENTS],
    /// Per compartment: `P_end − P_start − entries + exits` over the reported days (must be 0).
    pub residual: [i64; COMPARTMENTS],
    /// Persons created − (in the system at the end + released) (must be 0).
    pub persons_residual: i64,
    /// Persons created.
    pub created: u64,
    /// Days on which prison occupancy exceeded the places.
    pub overflow_days: u64,
    /// Persons released on the policy's start day by a retroactive recalculation.
    pub surge: u64,
}

/// Every replication's figures, in replication order.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    /// `[replication][world]`, world 0 the baseline, 1 the policy.
    pub reps: Vec<Vec<WorldRep>>,
    /// Engine calls made (memo misses, over all threads).
    pub engine_calls: u64,
}

/// Runs every replication of `scenario`; `progress(done, total)` is called as each finishes
/// (from the worker threads). Pure: the same scenario gives the same figures on any number of
/// threads.
pub fn run(scenario: &Scenario, options: Options, progress: &(dyn Fn(u32, u32) + Sync)) -> Runs {
    let total = scenario.replications;
    let next = AtomicU32::new(0);
    let done = AtomicU32::new(0);
    let results: Mutex<Vec<(u32, Vec<WorldRep>)>> = Mutex::new(Vec::new());
    let threads = options.threads.clamp(1, 64).min(total as usize);
    // One memo for the run, shared by the threads; the strata of the stationary stock once.
    let mut memo = Memo::new();
    memo.disabled = !options.memoise;
    let memo = &memo;
    let strata = if options.stationary_start {
        strata(scenario, memo)
    } else {
        Vec::new()
    };
    let strata = &strata[..];
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= total {
                        break;
                    }
                    local.push((r, replication(scenario, r, memo, strata)));
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(d, total);
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(local);
                }
            });
        }
    });
    let mut all = results.into_inner().unwrap_or_default();
    all.sort_by_key(|(r, _)| *r);
    Runs {
        reps: all.into_iter().map(|(_, w)| w).collect(),
        engine_calls: memo.calls(),
    }
}

/// Uniforms drawn for each arrival candidate, in this fixed order, whether or not it is admitted.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    flow: usize,
    accept: f64,
    length: (f64, f64),
    em: f64,
    parole: f64,
    back_door: f64,
    sentenced: f64,
    sentence: (f64, f64),
}

struct Stream(Xoshiro256PlusPlus);

/// SplitMix64's output function: a bijection of `u64` that spreads every input bit.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Stream {
    /// The stream `stream` of replication `replication` under `seed`: xoshiro256++ seeded (by
    /// SplitMix64, as its authors advise) from a mix of the three, so that every
    /// (seed, replication, stream) starts at an unrelated point of a 2²⁵⁶ − 1 period.
    fn new(seed: u64, replication: u32, stream: u64) -> Stream {
        let key = mix(mix(mix(seed) ^ u64::from(replication)) ^ stream);
        Stream(Xoshiro256PlusPlus::seed_from_u64(key))
    }

    /// A uniform on [0, 1) from the top 53 bits of one 64-bit draw (every double of that grid).
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A Poisson count with mean `mean`, by inversion (pieces of at most 16).
    fn poisson(&mut self, mean: f64) -> u32 {
        let mut left = mean;
        let mut n = 0;
        while left > 0.0 {
            let m = left.min(16.0);
            left -= m;
            let mut p = (-m).exp();
            let mut cdf = p;
            let u = self.unit();
            let mut k = 0u32;
            while u > cdf && k < 200 {
                k += 1;
                p *= m / f64::from(k);
                cdf += p;
            }
            n += k;
        }
        n
    }
}

/// Which rules, capacity and multiplier a world has on a day.
struct Regime<'a> {
    rules: Rules,
    capacity: Capacity,
    policy: Option<&'a PolicySpec>,
}

impl Regime<'_> {
    fn rules(&self, day: i64) -> &Rules {
        match self.policy {
            Some(p) if day >= i64::from(p.start_day) => &p.rules,
            _ => &self.rules,
        }
    }
    fn capacity(&self, day: u32) -> &Capacity {
        match self.policy {
            Some(p) if day >= p.start_day => &p.capacity,
            _ => &self.capacity,
        }
    }
    fn multiplier(&self, day: u32) -> f64 {
        match self.policy {
            Some(p) if day >= p.start_day => p.admissions_multiplier,
            _ => 1.0,
        }
    }
}

/// A sentence received and not started.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    /// Day of receipt (before day 0 for the stationary stock).
    arrival: i64,
    ready: u32,
    fine: bool,
    em_front: bool,
    term: u32,
    parole_u: f64,
    back_u: f64,
    parole_uptake: Option<f64>,
}

/// A piece of a path: compartment, first day, first day out.
type Segment = (usize, u32, u32);

struct World<'a> {
    regime: Regime<'a>,
    horizon: u32,
    window: u32,
    six_month_from: i64,
    diff: Vec<[i32; COLUMNS]>,
    /// The stock at the start of day 0 (the stationary stock, by column).
    initial: [i64; COLUMNS],
    /// Writing the stationary stock: a segment from day 0 is part of [`World::initial`].
    seeding: bool,
    current: [i64; EM_BACK + 1],
    queue: VecDeque<Waiting>,
    em_queue: VecDeque<Waiting>,
    entries: [u64; COMPARTMENTS],
    exits: [u64; COMPARTMENTS],
    stay_days: [u64; COMPARTMENTS],
    created: u64,
    released: u64,
    overflow_days: u64,
    surge: u64,
}

impl World<'_> {
    /// Writes one segment. `initial`: it is the part from day 0 of a stay that began before
    /// day 0 (the stationary stock): it is in the starting stock, not an entry.
    fn schedule(&mut self, segment: Segment, band: Option<usize>, today: u32, initial: bool) {
        let (c, from, to) = segment;
        if to <= from {
            return;
        }
        let h = self.horizon;
        if initial && from == 0 {
            self.initial[c] += 1;
            if let Some(b) = band {
                self.initial[COMPARTMENTS + b] += 1;
            }
            if to < h {
                self.diff[to as usize][c] -= 1;
                if let Some(b) = band {
                    self.diff[to as usize][COMPARTMENTS + b] -= 1;
                }
                if to >= self.window {
                    self.exits[c] += 1;
                }
            }
            return;
        }
        if from < h {
            self.diff[from as usize][c] += 1;
            if let Some(b) = band {
                self.diff[from as usize][COMPARTMENTS + b] += 1;
            }
            if to < h {
                self.diff[to as usize][c] -= 1;
                if let Some(b) = band {
                    self.diff[to as usize][COMPARTMENTS + b] -= 1;
                }
            }
            if from == today && c <= EM_BACK {
                self.current[c] += 1;
            }
        }
        if from >= self.window && from < h {
            self.entries[c] += 1;
            self.stay_days[c] += u64::from(to - from);
        }
        if to >= self.window && to < h {
            self.exits[c] += 1;
        }
    }

    /// Writes a person's path (absolute segments, in order, not overlapping) and counts them out
    /// if it ends before the horizon.
    fn person(&mut self, segments: &[Segment], band: Option<usize>, today: u32) {
        let mut last_end = today;
        let mut merged = [(0, 0, 0); 8];
        let mut n = 0;
        for &s in segments.iter().filter(|s| s.2 > s.1) {
            if n > 0 && merged[n - 1].0 == s.0 && merged[n - 1].2 == s.1 {
                merged[n - 1].2 = s.2;
            } else if n < merged.len() {
                merged[n] = s;
                n += 1;
            }
        }
        for &s in &merged[..n] {
            let b = if s.0 == PRISON { band } else { None };
            self.schedule(s, b, today, self.seeding);
            last_end = last_end.max(s.2);
        }
        if last_end < self.horizon {
            self.released += 1;
        }
    }

    fn six_month(&self, day: i64) -> bool {
        day >= self.six_month_from
    }

    fn occupancy(&self) -> i64 {
        self.current[REMAND] + self.current[PRISON] + self.current[FINE]
    }
}

/// The path of a sentence started on day `start`: segments relative to `start`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sentence_path(
    d: &Durations,
    em_front: bool,
    fine: bool,
    parole_u: f64,
    back_u: f64,
    parole_uptake: f64,
    back_uptake: f64,
    out: &mut [Segment; 3],
) -> usize {
    if d.end == 0 {
        return 0;
    }
    let release = match d.parole {
        Some(p) if parole_u < parole_uptake && p < d.end => p,
        _ => d.end,
    };
    let main = if em_front {
        EM_FRONT
    } else if fine {
        FINE
    } else {
        PRISON
    };
    let mut n = 0;
    match d.back_door {
        Some(k) if !em_front && !fine && back_u < back_uptake && k >= 2 && k <= release => {
            out[0] = (main, 0, k - 1);
            out[1] = (EM_BACK, k - 1, release);
            n = 2;
        }
        _ => {
            out[0] = (main, 0, release);
            n += 1;
        }
    }
    if release < d.end {
        out[n] = (PAROLE, release, d.end);
        n += 1;
    }
    n
}

/// Starts a sentence on `start` decided on `decision` (the rules for its durations: the day of
/// decision, or under a retroactive policy recalculated on the policy's start day). Days before
/// day 0 (the stationary stock) are cut off at day 0.
#[allow(clippy::too_many_arguments)]
fn serve(
    world: &mut World,
    memo: &Memo,
    start: i64,
    decision: i64,
    term: u32,
    remand: u32,
    fine: bool,
    em_front: bool,
    parole_u: f64,
    back_u: f64,
    parole_uptake: Option<f64>,
    before: &mut Vec<Segment>,
    today: u32,
) {
    let six_month_em = world.six_month(decision);
    let path_under = |rules: &Rules, out: &mut [Segment; 3]| {
        let d = memo.get(Input {
            fine_default: fine,
            term,
            remand,
            parole: rules.parole_fraction,
            six_month_em,
        });
        sentence_path(
            &d,
            em_front,
            fine,
            parole_u,
            back_u,
            parole_uptake.unwrap_or(rules.parole_uptake),
            rules.em_back_door_uptake,
            out,
        )
    };
    // Absolute days, cut at day 0.
    let mut push = |c: usize, a: i64, b: i64| {
        let (a, b) = (a.max(0), b.max(0));
        if b > a {
            before.push((c, a as u32, b as u32));
        }
    };
    let mut rel = [(0, 0, 0); 3];
    let retro = world.regime.policy.filter(|p| p.retroactive);
    let rules_day = match retro {
        Some(_) => start,
        None => decision,
    };
    let rules = *world.regime.rules(rules_day);
    let n = path_under(&rules, &mut rel);
    let band = Some(band_of(term));
    let at = |x: u32| start + i64::from(x);
    match retro {
        Some(p)
            if start < i64::from(p.start_day)
                && n > 0
                && at(rel[n - 1].2) > i64::from(p.start_day) =>
        {
            // Recalculated on t0 under the new rules: up to t0 the old path, from t0 the new;
            // whoever the new rules have already released leaves on t0.
            let t0 = i64::from(p.start_day);
            let mut new = [(0, 0, 0); 3];
            let m = path_under(&p.rules, &mut new);
            for &(c, a, b) in &rel[..n] {
                push(c, at(a), at(b).min(t0));
            }
            // The release surge: custody (prison, EM) ended before t0 by the new rules, not
            // by the old; they leave on t0.
            let custody_end = |segs: &[Segment]| {
                segs.iter()
                    .filter(|s| s.0 != PAROLE)
                    .map(|s| at(s.2))
                    .max()
                    .unwrap_or(start)
            };
            if custody_end(&new[..m]) <= t0 && custody_end(&rel[..n]) > t0 {
                world.surge += 1;
            }
            for &(c, a, b) in &new[..m] {
                push(c, at(a).max(t0), at(b));
            }
        }
        _ => {
            for &(c, a, b) in &rel[..n] {
                push(c, at(a), at(b));
            }
        }
    }
    world.person(before, band, today);
}

/// One replication: every world's figures.
fn replication(
    scenario: &Scenario,
    replication: u32,
    memo: &Memo,
    strata: &[Stratum],
) -> Vec<WorldRep> {
    let horizon = scenario.horizon_days();
    let window = scenario.burn_in_days;
    let first_day = scenario
        .start_date
        .checked_sub(jiff::Span::new().days(i64::from(window)))
        .unwrap_or(scenario.start_date);
    let six_month_from = i64::from(halden_domain::calendar::days_between(
        first_day,
        law::EM_SIX_MONTHS_FROM,
    ));
    let mut regimes = vec![Regime {
        rules: scenario.rules,
        capacity: scenario.capacity,
        policy: None,
    }];
    if let Some(p) = &scenario.policy {
        regimes.push(Regime {
            rules: scenario.rules,
            capacity: scenario.capacity,
            policy: Some(p),
        });
    }
    let mut worlds: Vec<World> = regimes
        .into_iter()
        .map(|regime| World {
            regime,
            horizon,
            window,
            six_month_from,
            diff: vec![[0; COLUMNS]; horizon as usize + 1],
            initial: [0; COLUMNS],
            seeding: false,
            current: [0; EM_BACK + 1],
            queue: VecDeque::new(),
            em_queue: VecDeque::new(),
            entries: [0; COMPARTMENTS],
            exits: [0; COMPARTMENTS],
            stay_days: [0; COMPARTMENTS],
            created: 0,
            released: 0,
            overflow_days: 0,
            surge: 0,
        })
        .collect();
    let max_multiplier = scenario
        .policy
        .map_or(1.0, |p| p.admissions_multiplier.max(1.0));
    let mut arrivals = Stream::new(scenario.seed, replication, 0);
    let mut persons = Stream::new(scenario.seed, replication, 1);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut scratch: Vec<Segment> = Vec::with_capacity(8);

    if !strata.is_empty() {
        // The stationary stock: drawn once (its own stream) and given to every world, as the
        // arrivals are (common random numbers).
        let mut stock = Stream::new(scenario.seed, replication, 2);
        let people = stationary_stock(scenario, memo, strata, &mut stock);
        for w in worlds.iter_mut() {
            w.seeding = true;
            let mut waiting = Vec::new();
            for person in &people {
                w.created += 1;
                if let Some(p) = person.admit(scenario, w, memo, &mut scratch) {
                    waiting.push(p);
                }
            }
            w.seeding = false;
            // Still waiting on day 0: into the queues in receipt order.
            waiting.sort_by_key(|p| p.arrival);
            for p in waiting {
                if p.em_front {
                    w.em_queue.push_back(p);
                } else {
                    w.queue.push_back(p);
                }
            }
            for (current, initial) in w.current.iter_mut().zip(w.initial.iter()) {
                *current = *initial;
            }
        }
    }

    for day in 0..horizon {
        for w in worlds.iter_mut() {
            let row = w.diff[day as usize];
            for (current, change) in w.current.iter_mut().zip(row.iter()) {
                *current += i64::from(*change);
            }
        }
        candidates.clear();
        for (f, flow) in scenario.admissions.iter().enumerate() {
            let n = arrivals.poisson(flow.per_year / 365.0 * max_multiplier);
            for _ in 0..n {
                candidates.push(Candidate::draw(f, &mut persons));
            }
        }
        for w in worlds.iter_mut() {
            let accept = w.regime.multiplier(day) / max_multiplier;
            for cand in &candidates {
                if cand.accept >= accept {
                    continue;
                }
                let flow = &scenario.admissions[cand.flow];
                w.created += 1;
                let arrival = Arrival {
                    cand: *cand,
                    day: i64::from(day),
                    length: flow.length.draw(cand.length.0, cand.length.1),
                    sentence: match &flow.sentence {
                        Some(sentence) if cand.sentenced < flow.sentenced_share => {
                            Some(sentence.draw(cand.sentence.0, cand.sentence.1))
                        }
                        _ => None,
                    },
                };
                if let Some(waiting) = arrival.admit(scenario, w, memo, &mut scratch) {
                    if waiting.em_front {
                        w.em_queue.push_back(waiting);
                    } else {
                        w.queue.push_back(waiting);
                    }
                }
            }
            start_from_queues(w, memo, day, &mut scratch);
            let cap = *w.regime.capacity(day);
            if let Some(places) = cap.places {
                if day >= window && w.occupancy() > i64::from(places) {
                    w.overflow_days += 1;
                }
            }
        }
    }
    worlds
        .iter_mut()
        .map(|w| {
            let remaining: Vec<Waiting> = w.queue.drain(..).chain(w.em_queue.drain(..)).collect();
            for p in remaining {
                wait_segments(w, &p, horizon);
            }
            summarise(w, scenario.years)
        })
        .collect()
}

impl Candidate {
    /// The uniforms of one arrival candidate, in their fixed order.
    fn draw(flow: usize, persons: &mut Stream) -> Candidate {
        Candidate {
            flow,
            accept: persons.unit(),
            length: (persons.unit(), persons.unit()),
            em: persons.unit(),
            parole: persons.unit(),
            back_door: persons.unit(),
            sentenced: persons.unit(),
            sentence: (persons.unit(), persons.unit()),
        }
    }
}

/// A person arriving on `day` with their lengths drawn: the remand stay or imposed term
/// (`length`), and for a remand the sentence at its end, if sentenced.
#[derive(Debug, Clone, Copy)]
struct Arrival {
    cand: Candidate,
    day: i64,
    length: u32,
    sentence: Option<u32>,
}

impl Arrival {
    /// Writes the person into `world`: a remand's whole path, or a received sentence, which
    /// waits (returned, for the queue) unless it began before day 0 and has started by then
    /// (the stationary stock: it started on receipt + the summons lead, as with no queue).
    fn admit(
        &self,
        scenario: &Scenario,
        w: &mut World,
        memo: &Memo,
        scratch: &mut Vec<Segment>,
    ) -> Option<Waiting> {
        let cand = &self.cand;
        let flow = &scenario.admissions[cand.flow];
        let today = self.day.max(0) as u32;
        match flow.kind {
            Kind::Remand => {
                let stay = self.length;
                let end = self.day + i64::from(stay);
                scratch.clear();
                if end > 0 {
                    scratch.push((REMAND, self.day.max(0) as u32, end as u32));
                }
                match self.sentence {
                    Some(term) => serve(
                        w,
                        memo,
                        end,
                        end,
                        term,
                        stay,
                        false,
                        false,
                        cand.parole,
                        cand.back_door,
                        flow.parole_uptake,
                        scratch,
                        today,
                    ),
                    None => w.person(scratch, None, today),
                }
                None
            }
            Kind::Prison | Kind::FineDefault => {
                let rules = *w.regime.rules(self.day);
                let term = self.length;
                let em_front = flow.kind == Kind::Prison
                    && rules.em_front_door_limit_days > 0
                    && term <= rules.em_front_door_limit_days
                    && cand.em < rules.em_uptake;
                let ready = self.day + i64::from(rules.summons_lead_days);
                let waiting = Waiting {
                    arrival: self.day,
                    ready: ready.max(0) as u32,
                    fine: flow.kind == Kind::FineDefault,
                    em_front,
                    term,
                    parole_u: cand.parole,
                    back_u: cand.back_door,
                    parole_uptake: flow.parole_uptake,
                };
                if self.day < 0 && ready <= 0 {
                    scratch.clear();
                    serve(
                        w,
                        memo,
                        ready,
                        self.day,
                        term,
                        0,
                        waiting.fine,
                        em_front,
                        cand.parole,
                        cand.back_door,
                        flow.parole_uptake,
                        scratch,
                        0,
                    );
                    None
                } else {
                    Some(waiting)
                }
            }
        }
    }
}

/// One stratum of a flow for the stationary stock: a band of its length (and, for a remand,
/// whether sentenced and the sentence's band), its arrivals a day, and a bound on the whole
/// stay in the system of anyone in it.
#[derive(Debug, Clone, Copy)]
pub struct Stratum {
    flow: usize,
    band: usize,
    sentence: Option<usize>,
    per_day: f64,
    bound: u32,
}

/// The strata of every flow (see [`stationary_stock`]).
fn strata(scenario: &Scenario, memo: &Memo) -> Vec<Stratum> {
    let rules = scenario.rules;
    let end = |term: u32, fine: bool| {
        memo.get(Input {
            fine_default: fine,
            term,
            remand: 0,
            parole: rules.parole_fraction,
            six_month_em: false,
        })
        .end
        .max(term)
    };
    let mut out = Vec::new();
    for (f, flow) in scenario.admissions.iter().enumerate() {
        let per_day = flow.per_year / 365.0;
        for (b, &(_, high, share)) in flow.length.bands().iter().enumerate() {
            match flow.kind {
                Kind::Prison | Kind::FineDefault => out.push(Stratum {
                    flow: f,
                    band: b,
                    sentence: None,
                    per_day: per_day * share,
                    bound: rules.summons_lead_days + end(high, flow.kind == Kind::FineDefault) + 1,
                }),
                Kind::Remand => {
                    let sentenced = match &flow.sentence {
                        Some(_) => flow.sentenced_share,
                        None => 0.0,
                    };
                    out.push(Stratum {
                        flow: f,
                        band: b,
                        sentence: None,
                        per_day: per_day * share * (1.0 - sentenced),
                        bound: high + 1,
                    });
                    if let Some(sentence) = &flow.sentence {
                        for (c, &(_, term, s)) in sentence.bands().iter().enumerate() {
                            out.push(Stratum {
                                flow: f,
                                band: b,
                                sentence: Some(c),
                                per_day: per_day * share * sentenced * s,
                                bound: high + end(term, false) + 1,
                            });
                        }
                    }
                }
            }
        }
    }
    out.retain(|s| s.per_day > 0.0);
    out
}

/// The stationary stock on day 0: everyone still in the system from a flow that has run at its
/// day-0 rate forever (STATISTICS.md §4 "draw a stationary stock").
///
/// **Derivation.** Arrivals of a flow are Poisson, λ a day, and each person's whole stay in the
/// system (waiting, remand, serving, EM, parole) is D days, drawn independently of the arrival
/// day. A person who arrived on day −t (t ≥ 1) is still in on day 0 iff D > t. Thinning a
/// Poisson process independently gives Poisson processes, so the persons from day −t still in
/// are Poisson with mean λ·P(D > t), independent across days, and the stock is Poisson with mean
/// λ·Σ_{t≥1} P(D > t) = λ·(E[D] − 1) (for D ≥ 1 whole days; with day 0's own arrivals, drawn by
/// the run, the day's stock has mean λ·E[D], Little's law). Given that a person is in the stock,
/// P(D = d, elapsed = t) = λ·P(D = d) / (λ·(E[D] − 1)) for 1 ≤ t < d: the stay is **length
/// biased** (probability ∝ (d − 1)·P(D = d)) and, given d, the elapsed time t is uniform on
/// 1…d − 1, so the remaining time r = d − t is uniform on 1…d − 1 too; unconditionally
/// P(r ≥ k) = Σ_{d>k} P(D ≥ d)… i.e. the residual has the equilibrium density
/// P(R = r) = P(D > r) / (E[D] − 1), the discrete form of the renewal-theory residual
/// f_R(r) = (1 − F_D(r)) / E[D]. For a fixed stay d it is uniform: r uniform on 1…d − 1
/// (in continuous time, uniform on [0, d)).
///
/// **Sampling.** E[D] is not known in closed form (the stay comes from the engine and the
/// behaviour draws), so the stock is drawn by thinning, stratified so that little is thrown
/// away: in a stratum s (a length band) every stay is below a bound B_s, so draw
/// N_s ~ Poisson(λ_s·(B_s − 1)) candidates, each with t uniform on 1…B_s − 1 (together, a
/// Poisson process of rate λ_s on days −1…−(B_s − 1)), draw the person's stay D as a new
/// arrival of that stratum would, and keep them iff D > t. This is exact (no one in the
/// stratum arrived before −B_s and is still in). The stay assumes no capacity wait: a received
/// sentence starts on receipt + the summons lead (R-INNK-1), and EM devices do not bind; the
/// burn-in (`burn_in_days`) lets the queue form where the ceiling binds.
fn stationary_stock(
    scenario: &Scenario,
    memo: &Memo,
    strata: &[Stratum],
    stream: &mut Stream,
) -> Vec<Arrival> {
    let rules = scenario.rules;
    let six_month_from = {
        let first_day = scenario
            .start_date
            .checked_sub(jiff::Span::new().days(i64::from(scenario.burn_in_days)))
            .unwrap_or(scenario.start_date);
        i64::from(halden_domain::calendar::days_between(
            first_day,
            law::EM_SIX_MONTHS_FROM,
        ))
    };
    let mut out = Vec::new();
    for s in strata {
        let flow = &scenario.admissions[s.flow];
        let span = s.bound.saturating_sub(1);
        if span == 0 {
            continue;
        }
        let n = stream.poisson(s.per_day * f64::from(span));
        for _ in 0..n {
            let t = 1 + ((stream.unit() * f64::from(span)) as u32).min(span - 1);
            let cand = Candidate::draw(s.flow, stream);
            let length = flow.length.draw_in(s.band, cand.length.1);
            let sentence = match (s.sentence, &flow.sentence) {
                (Some(c), Some(sentence)) => Some(sentence.draw_in(c, cand.sentence.1)),
                _ => None,
            };
            let day = -i64::from(t);
            let stay = match flow.kind {
                Kind::Remand => {
                    length
                        + sentence.map_or(0, |term| {
                            memo.get(Input {
                                fine_default: false,
                                term,
                                remand: length,
                                parole: rules.parole_fraction,
                                six_month_em: day + i64::from(length) >= six_month_from,
                            })
                            .end
                        })
                }
                Kind::Prison | Kind::FineDefault => {
                    rules.summons_lead_days
                        + memo
                            .get(Input {
                                fine_default: flow.kind == Kind::FineDefault,
                                term: length,
                                remand: 0,
                                parole: rules.parole_fraction,
                                six_month_em: day >= six_month_from,
                            })
                            .end
                }
            };
            if stay > t {
                out.push(Arrival {
                    cand,
                    day,
                    length,
                    sentence,
                });
            }
        }
    }
    out
}

fn wait_segments(w: &mut World, p: &Waiting, until: u32) {
    let today = until;
    let until = i64::from(until);
    // Received before day 0 (the stationary stock): the part from day 0 is in the starting stock.
    let initial = p.arrival < 0;
    if until > p.arrival {
        w.schedule(
            (WAITING, p.arrival.max(0) as u32, until as u32),
            None,
            today,
            initial,
        );
    }
    let q = p.arrival + i64::from(QUEUE_AFTER_DAYS);
    if until > q {
        w.schedule((QUEUE, q.max(0) as u32, until as u32), None, today, q < 0);
    }
}

fn start_from_queues(w: &mut World, memo: &Memo, day: u32, scratch: &mut Vec<Segment>) {
    let cap = *w.regime.capacity(day);
    while let Some(&p) = w.queue.front() {
        if p.ready > day {
            break;
        }
        if let Some(places) = cap.places {
            if w.occupancy() as f64 >= cap.ceiling * f64::from(places) {
                break;
            }
        }
        w.queue.pop_front();
        start(w, memo, &p, day, scratch);
    }
    while let Some(&p) = w.em_queue.front() {
        if p.ready > day {
            break;
        }
        if let Some(devices) = cap.em_devices {
            if w.current[EM_FRONT] + w.current[EM_BACK] >= i64::from(devices) {
                break;
            }
        }
        w.em_queue.pop_front();
        start(w, memo, &p, day, scratch);
    }
}

fn start(w: &mut World, memo: &Memo, p: &Waiting, day: u32, scratch: &mut Vec<Segment>) {
    wait_segments(w, p, day);
    scratch.clear();
    serve(
        w,
        memo,
        i64::from(day),
        p.arrival,
        p.term,
        0,
        p.fine,
        p.em_front,
        p.parole_u,
        p.back_u,
        p.parole_uptake,
        scratch,
        day,
    );
}

fn summarise(w: &World, years: u32) -> WorldRep {
    let mut stock = w.initial;
    let window = w.window as usize;
    let horizon = w.horizon as usize;
    let mut at_window_start = [0i64; COMPARTMENTS];
    let mut sum = [0f64; SERIES];
    let mut bands = [0f64; BANDS];
    let months = years as usize * 12;
    let mut monthly = vec![[0f64; SERIES]; months];
    let mut month_days = vec![0u32; months];
    let mut yearly = vec![[0f64; SERIES]; years as usize];
    let mut compartment_sum = [0f64; COMPARTMENTS];
    for day in 0..horizon {
        if day == window {
            at_window_start.copy_from_slice(&stock[..COMPARTMENTS]);
        }
        for (s, d) in stock.iter_mut().zip(w.diff[day].iter()) {
            *s += i64::from(*d);
        }
        if day < window {
            continue;
        }
        let series = series_of(&stock);
        let offset = day - window;
        let m = (offset * 12 / 365).min(months - 1);
        let y = (offset / 365).min(years as usize - 1);
        month_days[m] += 1;
        for s in 0..SERIES {
            sum[s] += series[s];
            monthly[m][s] += series[s];
            yearly[y][s] += series[s];
        }
        for c in 0..COMPARTMENTS {
            compartment_sum[c] += stock[c] as f64;
        }
        for b in 0..BANDS {
            bands[b] += stock[COMPARTMENTS + b] as f64;
        }
    }
    let days = (horizon - window) as f64;
    let mut residual = [0i64; COMPARTMENTS];
    let mut little = [(0.0, 0.0, 0.0); COMPARTMENTS];
    for c in 0..COMPARTMENTS {
        residual[c] = stock[c] - at_window_start[c] - w.entries[c] as i64 + w.exits[c] as i64;
        let entries = w.entries[c] as f64;
        little[c] = (
            compartment_sum[c] / days,
            entries / days,
            if entries > 0.0 {
                w.stay_days[c] as f64 / entries
            } else {
                0.0
            },
        );
    }
    let in_system: i64 = stock[..=WAITING].iter().sum();
    WorldRep {
        mean: sum.map(|s| s / days),
        monthly: monthly
            .iter()
            .zip(&month_days)
            .map(|(m, &n)| m.map(|v| (v / f64::from(n.max(1))) as f32))
            .collect(),
        yearly: yearly.iter().map(|y| y.map(|v| v / 365.0)).collect(),
        bands: bands.map(|b| b / days),
        little,
        residual,
        persons_residual: w.created as i64 - in_system - w.released as i64,
        created: w.created,
        overflow_days: w.overflow_days,
        surge: w.surge,
    }
}

fn series_of(stock: &[i64; COLUMNS]) -> [f64; SERIES] {
    let prison = stock[PRISON] as f64;
    let remand = stock[REMAND] as f64;
    let em = (stock[EM_FRONT] + stock[EM_BACK]) as f64;
    let parole = stock[PAROLE] as f64;
    let fine = stock[FINE] as f64;
    [
        prison,
        remand,
        em,
        parole,
        fine,
        prison + remand + em + parole + fine,
        stock[WAITING] as f64,
        stock[QUEUE] as f64,
    ]
}
