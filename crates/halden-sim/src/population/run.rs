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
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

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
}

impl Default for Options {
    fn default() -> Options {
        Options {
            threads: 2,
            memoise: true,
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
    let calls = std::sync::atomic::AtomicU64::new(0);
    let threads = options.threads.clamp(1, 64).min(total as usize);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut memo = Memo::new();
                memo.disabled = !options.memoise;
                let mut local = Vec::new();
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= total {
                        break;
                    }
                    local.push((r, replication(scenario, r, &mut memo)));
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(d, total);
                }
                calls.fetch_add(memo.calls, Ordering::Relaxed);
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
        engine_calls: calls.into_inner(),
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

struct Stream(ChaCha8Rng);

impl Stream {
    /// The stream `stream` of replication `replication` under `seed` (ChaCha8, 256-bit key =
    /// seed ‖ replication ‖ 0).
    fn new(seed: u64, replication: u32, stream: u64) -> Stream {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..12].copy_from_slice(&replication.to_le_bytes());
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream);
        Stream(rng)
    }

    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
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
    fn rules(&self, day: u32) -> &Rules {
        match self.policy {
            Some(p) if day >= p.start_day => &p.rules,
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
    arrival: u32,
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
    six_month_from: u32,
    diff: Vec<[i32; COLUMNS]>,
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
    fn schedule(&mut self, segment: Segment, band: Option<usize>, today: u32) {
        let (c, from, to) = segment;
        if to <= from {
            return;
        }
        let h = self.horizon;
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
            self.schedule(s, b, today);
            last_end = last_end.max(s.2);
        }
        if last_end < self.horizon {
            self.released += 1;
        }
    }

    fn six_month(&self, day: u32) -> bool {
        day >= self.six_month_from
    }

    fn occupancy(&self) -> i64 {
        self.current[REMAND] + self.current[PRISON] + self.current[FINE]
    }
}

/// The path of a sentence started on day `start`: segments relative to `start`.
#[allow(clippy::too_many_arguments)]
fn sentence_path(
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
/// decision, or under a retroactive policy recalculated on the policy's start day).
#[allow(clippy::too_many_arguments)]
fn serve(
    world: &mut World,
    memo: &mut Memo,
    start: u32,
    decision: u32,
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
    let path_under = |rules: &Rules, memo: &mut Memo, out: &mut [Segment; 3]| {
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
    let mut rel = [(0, 0, 0); 3];
    let retro = world.regime.policy.filter(|p| p.retroactive);
    let rules_day = match retro {
        Some(_) => start,
        None => decision,
    };
    let rules = *world.regime.rules(rules_day);
    let n = path_under(&rules, memo, &mut rel);
    let band = Some(band_of(term));
    match retro {
        Some(p) if start < p.start_day && n > 0 && start + rel[n - 1].2 > p.start_day => {
            // Recalculated on t0 under the new rules: up to t0 the old path, from t0 the new;
            // whoever the new rules have already released leaves on t0.
            let t0 = p.start_day;
            let mut new = [(0, 0, 0); 3];
            let m = path_under(&p.rules, memo, &mut new);
            for &(c, a, b) in &rel[..n] {
                let (a, b) = (start + a, (start + b).min(t0));
                if b > a {
                    before.push((c, a, b));
                }
            }
            // The release surge: custody (prison, EM) ended before t0 by the new rules, not
            // by the old; they leave on t0.
            let custody_end = |segs: &[Segment]| {
                segs.iter()
                    .filter(|s| s.0 != PAROLE)
                    .map(|s| start + s.2)
                    .max()
                    .unwrap_or(start)
            };
            if custody_end(&new[..m]) <= t0 && custody_end(&rel[..n]) > t0 {
                world.surge += 1;
            }
            for &(c, a, b) in &new[..m] {
                let (a, b) = ((start + a).max(t0), start + b);
                if b > a {
                    before.push((c, a, b));
                }
            }
        }
        _ => {
            for &(c, a, b) in &rel[..n] {
                before.push((c, start + a, start + b));
            }
        }
    }
    world.person(before, band, today);
}

/// One replication: every world's figures.
fn replication(scenario: &Scenario, replication: u32, memo: &mut Memo) -> Vec<WorldRep> {
    let horizon = scenario.horizon_days();
    let window = scenario.burn_in_days;
    let first_day = scenario
        .start_date
        .checked_sub(jiff::Span::new().days(i64::from(window)))
        .unwrap_or(scenario.start_date);
    let six_month_from = u32::try_from(
        halden_domain::calendar::days_between(first_day, law::EM_SIX_MONTHS_FROM).max(0),
    )
    .unwrap_or(u32::MAX);
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
                candidates.push(Candidate {
                    flow: f,
                    accept: persons.unit(),
                    length: (persons.unit(), persons.unit()),
                    em: persons.unit(),
                    parole: persons.unit(),
                    back_door: persons.unit(),
                    sentenced: persons.unit(),
                    sentence: (persons.unit(), persons.unit()),
                });
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
                match flow.kind {
                    Kind::Remand => {
                        let stay = flow.length.draw(cand.length.0, cand.length.1);
                        scratch.clear();
                        scratch.push((REMAND, day, day + stay));
                        match &flow.sentence {
                            Some(sentence) if cand.sentenced < flow.sentenced_share => {
                                let term = sentence.draw(cand.sentence.0, cand.sentence.1);
                                serve(
                                    w,
                                    memo,
                                    day + stay,
                                    day + stay,
                                    term,
                                    stay,
                                    false,
                                    false,
                                    cand.parole,
                                    cand.back_door,
                                    flow.parole_uptake,
                                    &mut scratch,
                                    day,
                                );
                            }
                            _ => w.person(&scratch, None, day),
                        }
                    }
                    Kind::Prison | Kind::FineDefault => {
                        let rules = *w.regime.rules(day);
                        let term = flow.length.draw(cand.length.0, cand.length.1);
                        let em_front = flow.kind == Kind::Prison
                            && rules.em_front_door_limit_days > 0
                            && term <= rules.em_front_door_limit_days
                            && cand.em < rules.em_uptake;
                        let waiting = Waiting {
                            arrival: day,
                            ready: day + rules.summons_lead_days,
                            fine: flow.kind == Kind::FineDefault,
                            em_front,
                            term,
                            parole_u: cand.parole,
                            back_u: cand.back_door,
                            parole_uptake: flow.parole_uptake,
                        };
                        if em_front {
                            w.em_queue.push_back(waiting);
                        } else {
                            w.queue.push_back(waiting);
                        }
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

fn wait_segments(w: &mut World, p: &Waiting, until: u32) {
    let today = until;
    if until > p.arrival {
        w.schedule((WAITING, p.arrival, until), None, today);
    }
    let q = p.arrival + QUEUE_AFTER_DAYS;
    if until > q {
        w.schedule((QUEUE, q, until), None, today);
    }
}

fn start_from_queues(w: &mut World, memo: &mut Memo, day: u32, scratch: &mut Vec<Segment>) {
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

fn start(w: &mut World, memo: &mut Memo, p: &Waiting, day: u32, scratch: &mut Vec<Segment>) {
    wait_segments(w, p, day);
    scratch.clear();
    serve(
        w,
        memo,
        day,
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
    let mut stock = [0i64; COLUMNS];
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
