//! A small seeded pseudo-random generator (SplitMix64) and the sampling helpers the demo needs.
//!
//! Hand-written so that the population depends on nothing but the seed: no `rand` crate whose
//! algorithms could change between versions, no clock, no operating-system entropy.

/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit state advanced by a Weyl sequence and mixed.
/// Fast, tiny and good enough for synthetic data.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose whole output is determined by `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (0 when `n` is 0), by multiply-shift (Lemire), without modulo
    /// bias worth mentioning for the small ranges used here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform whole number in `low..=high` (`low` when the range is empty).
    pub(crate) fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + self.below(span) as i64
    }

    /// A uniform number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice, uniformly; `None` for an empty one.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An index drawn with probability proportional to `weights` (non-negative); `None` when they
    /// are all zero or there are none.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        let mut target = self.unit() * total;
        let mut last = None;
        for (i, w) in weights.iter().enumerate() {
            if *w <= 0.0 {
                continue;
            }
            last = Some(i);
            if target < *w {
                return Some(i);
            }
            target -= w;
        }
        last
    }

    /// A count drawn to be `expected` on average: the whole part plus one with the probability of
    /// the fractional part (stochastic rounding).
    pub(crate) fn round(&mut self, expected: f64) -> usize {
        let expected = expected.max(0.0);
        let whole = expected.floor();
        whole as usize + usize::from(self.chance(expected - whole))
    }

    /// A waiting time in whole days (at least 1) for events happening `per_year` times a year
    /// (exponential); `None` when the rate is zero.
    pub(crate) fn days_until_next(&mut self, per_year: f64) -> Option<i64> {
        if per_year <= 0.0 {
            return None;
        }
        let u = 1.0 - self.unit(); // (0, 1]
        let days = (-u.ln() * 365.0 / per_year).ceil();
        Some(if days >= 1.0e6 {
            1_000_000
        } else {
            (days as i64).max(1)
        })
    }
}

/// Precomputed cumulative weights for drawing many times from the same distribution.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    cumulative: Vec<f64>,
}

impl Table {
    /// A table over `weights` (negative weights count as zero).
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Table {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Table { cumulative }
    }

    /// An index drawn by weight; `None` when every weight is zero.
    pub(crate) fn draw(&self, rng: &mut Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        if total <= 0.0 {
            return None;
        }
        let target = rng.unit() * total;
        let index = self.cumulative.partition_point(|c| *c <= target);
        Some(index.min(self.cumulative.len() - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn ranges_stay_inside_and_cover_their_ends() {
        let mut rng = Rng::new(1);
        let draws: Vec<i64> = (0..2000).map(|_| rng.range(3, 6)).collect();
        assert!(draws.iter().all(|d| (3..=6).contains(d)));
        assert!(draws.contains(&3) && draws.contains(&6));
        assert_eq!(rng.range(5, 5), 5);
        assert_eq!(rng.range(5, 2), 5);
    }

    #[test]
    fn weights_are_respected() {
        let mut rng = Rng::new(2);
        let table = Table::new([1.0, 0.0, 3.0]);
        let mut counts = [0usize; 3];
        for _ in 0..4000 {
            if let Some(i) = table.draw(&mut rng) {
                counts[i] += 1;
            }
        }
        assert_eq!(counts[1], 0);
        assert!((2700..3300).contains(&counts[2]), "{counts:?}");
        assert_eq!(Table::new([0.0, 0.0]).draw(&mut rng), None);
        assert_eq!(rng.weighted(&[0.0, 2.0]), Some(1));
    }
}
