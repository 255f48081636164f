//! Durations from the sentence engine, memoised.
//!
//! The engine's days depend only on (kind, term in days, remand deduction, rule version, the EM
//! limit in force), never on the calendar date once the term is in days: so each distinct input
//! is computed once by [`halden_domain::calc::calculate_under`] and kept.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use halden_domain::{
    Case,
    calc::{ParoleStatus, RuleVersion, calculate_under},
    calendar::day_number,
    case::{Sentence, SentenceKind, Term},
    law,
    policy::{JudgmentFormCheck, Policy},
};
use jiff::civil::{Date, date};

use super::scenario::ParoleRule;

/// What the engine says about one sentence, in days counted from the first day served in this
/// custody (day 1 = the admission day, C-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    /// T, the term in days.
    pub term: u32,
    /// The end of sentence as day k (the last day served); 0 when nothing is left to serve.
    pub end: u32,
    /// The ordinary parole date as day k (R-PAR-1), if parole applies.
    pub parole: Option<u32>,
    /// The back-door EM date as day k (R-EM-3), if there is a prison term to serve.
    pub back_door: Option<u32>,
}

/// An engine input the simulator sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Input {
    /// Prison or fine default.
    pub fine_default: bool,
    /// The imposed term in days.
    pub term: u32,
    /// The court's remand deduction in days.
    pub remand: u32,
    /// The parole fraction of the rule version.
    pub parole: ParoleRule,
    /// Decided on or after 2020-09-01 (the 6-month EM limit, R-EM-1).
    pub six_month_em: bool,
}

impl Input {
    fn key(self) -> u64 {
        let parole = match self.parole {
            ParoleRule::TwoThirds => 0u64,
            ParoleRule::Half => 1,
            ParoleRule::None => 2,
        };
        u64::from(self.fine_default)
            | parole << 1
            | u64::from(self.six_month_em) << 3
            | u64::from(self.term) << 4
            | u64::from(self.remand) << 34
    }
}

/// The reference dates the engine is called with: one in each EM regime (R-EM-1). The days it
/// returns do not depend on which date within a regime, because the term is given in days.
fn reference_date(six_month_em: bool) -> Date {
    if six_month_em {
        date(2021, 3, 1)
    } else {
        date(2019, 3, 1)
    }
}

/// The engine's answer for one input, computed now.
///
/// # Errors
///
/// The engine's refusal, as text (the scenario checks make this unreachable for valid input).
pub fn compute(input: Input) -> Result<Durations, String> {
    let admission = reference_date(input.six_month_em);
    let case = Case {
        remand_deduction_days: input.remand,
        sentences: vec![Sentence {
            kind: if input.fine_default {
                SentenceKind::FineDefault
            } else {
                SentenceKind::Prison
            },
            term: Term::days(input.term),
            unconditional: None,
            legacy: false,
        }],
        // Terms arrive in days, as statistics give them: § 31's months-and-years form does not
        // apply to a simulated term (there is no court's wording to check).
        policy: Policy {
            judgment_form_check: JudgmentFormCheck::StatisticalDays,
            ..Policy::default()
        },
        ..Case::new(admission)
    };
    let rules = RuleVersion {
        parole_fraction: match input.parole {
            ParoleRule::TwoThirds => Some(law::PAROLE_FRACTION),
            ParoleRule::Half => Some(law::ONE_HALF),
            ParoleRule::None => None,
        },
    };
    let calc = calculate_under(&case, &rules).map_err(|e| e.to_string())?;
    let a = day_number(admission);
    let day = |d: Date| (day_number(d) - a + 1).max(1) as u32;
    if calc.nothing_to_serve {
        return Ok(Durations {
            term: calc.term_days.max(0) as u32,
            end: 0,
            parole: None,
            back_door: None,
        });
    }
    let end = calc.dates.end_of_sentence.map_or(0, |k| day(k.date));
    let parole = match calc.parole {
        ParoleStatus::Ordinary => calc.dates.parole_eligibility.map(|k| day(k.date)),
        _ => None,
    };
    Ok(Durations {
        term: calc.term_days.max(0) as u32,
        end,
        parole,
        back_door: calc.dates.em_back_door.map(|k| day(k.date)),
    })
}

/// A small multiplicative hasher for the packed `u64` keys (the std SipHash costs more than the
/// lookup it guards).
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl KeyHasher {
    fn hash_u64(mut self, n: u64) -> u64 {
        self.write_u64(n);
        self.finish()
    }
}

/// Shards of the shared map (a power of two): two workers rarely wait for each other.
const SHARDS: usize = 64;

/// Engine results kept per input, one memo for the whole run, shared by every worker thread
/// (the results are pure, so sharing is only a question of speed, never of the answer: the
/// first thread to need an input computes it, every later lookup only reads). Inputs without a
/// remand deduction, the most common, are kept in a dense table by term whose slots are written
/// once (`OnceLock`, lock-free reads); inputs with a deduction (a remand sentenced at its end,
/// the pairs term × deduction are too many to compute ahead) in a sharded map.
pub struct Memo {
    dense: Vec<OnceLock<Durations>>,
    map: Vec<Mutex<HashMap<u64, Durations, BuildHasherDefault<KeyHasher>>>>,
    calls: AtomicU64,
    /// When true, every lookup calls the engine (the benchmark's baseline).
    pub disabled: bool,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo::new()
    }
}

impl Memo {
    /// A memo that remembers.
    pub fn new() -> Memo {
        Memo {
            dense: (0..16 * (MAX_TERM + 1)).map(|_| OnceLock::new()).collect(),
            map: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            calls: AtomicU64::new(0),
            disabled: false,
        }
    }

    fn compute(&self, input: Input) -> Durations {
        self.calls.fetch_add(1, Ordering::Relaxed);
        compute(input).unwrap_or(FALLBACK)
    }

    /// The engine's durations for `input`.
    pub fn get(&self, input: Input) -> Durations {
        if self.disabled {
            return self.compute(input);
        }
        if input.remand == 0 && input.term <= super::scenario::MAX_SENTENCE_DAYS {
            let slot = (input.key() & 0xF) as usize * (MAX_TERM + 1) + input.term as usize;
            return *self.dense[slot].get_or_init(|| self.compute(input));
        }
        let key = input.key();
        let hash = KeyHasher::default().hash_u64(key);
        let shard = &self.map[(hash >> 58) as usize % SHARDS];
        if let Some(d) = shard.lock().ok().and_then(|m| m.get(&key).copied()) {
            return d;
        }
        // Computed outside the lock: two threads may both compute a new input (the same answer).
        let d = self.compute(input);
        if let Ok(mut m) = shard.lock() {
            m.insert(key, d);
        }
        d
    }

    /// Engine calls made (misses, over every thread).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Distinct inputs kept.
    pub fn len(&self) -> usize {
        self.map
            .iter()
            .map(|m| m.lock().map_or(0, |m| m.len()))
            .sum::<usize>()
            + self.dense.iter().filter(|d| d.get().is_some()).count()
    }

    /// Whether nothing was computed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const MAX_TERM: usize = super::scenario::MAX_SENTENCE_DAYS as usize;

/// Used only if the engine refused an input the scenario checks let through: nothing to serve.
const FALLBACK: Durations = Durations {
    term: 0,
    end: 0,
    parole: None,
    back_door: None,
};
