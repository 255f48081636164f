//! Exact ratios and the one rounding rule of STATISTICS.md §2: ratios stay exact (`i128` n/d)
//! until output, then **half-up to one decimal** (away from zero for negatives):
//! `floor((20·n·k + d) / (2·d)) / 10` for scale k.

/// A ratio `numerator / denominator × scale`, kept exact until it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// The count on top.
    pub numerator: i128,
    /// The count below; 0 makes the ratio not applicable.
    pub denominator: i128,
    /// The scale: 100 for a percentage, 100 000 for a rate per 100 000, 1 for a plain ratio.
    pub scale: i128,
    /// The unit as printed: `percent`, `per_100k`, `per_100_places`, `days`, `months`, ….
    pub unit: &'static str,
}

impl Ratio {
    /// `numerator / denominator × scale` in `unit`.
    pub fn new(numerator: i128, denominator: i128, scale: i128, unit: &'static str) -> Ratio {
        Ratio {
            numerator,
            denominator,
            scale,
            unit,
        }
    }

    /// A percentage `100 · n / d`.
    pub fn percent(numerator: i128, denominator: i128) -> Ratio {
        Ratio::new(numerator, denominator, 100, "percent")
    }

    /// The value in tenths, rounded half-up (away from zero); `None` when the denominator is 0.
    ///
    /// ```
    /// use halden_stats::ratio::Ratio;
    /// // 3 004 / 3 616 × 100 = 83.0752… → 83.1 (830.75 tenths, half-up → 831).
    /// assert_eq!(Ratio::new(3004, 3616, 100, "per_100_places").tenths(), Some(831));
    /// ```
    pub fn tenths(&self) -> Option<i128> {
        round_half_up(self.numerator * self.scale, self.denominator, 1)
    }

    /// The value as printed: always one decimal ("83.0"); `None` when not applicable.
    pub fn display(&self) -> Option<String> {
        self.tenths().map(format_tenths)
    }

    /// The value as a JSON number with one decimal.
    pub fn value(&self) -> Option<f64> {
        // Exact tenths as f64 divided by ten: the nearest double to the one-decimal figure,
        // which prints as that figure.
        self.tenths().map(|t| t as f64 / 10.0)
    }
}

/// Formats tenths as a one-decimal figure: 831 → "83.1", -5 → "-0.5", 830 → "83.0".
pub fn format_tenths(tenths: i128) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

/// `n / d` rounded half-up (away from zero) to `k` decimals, as an integer in units of
/// `10^-k`; `None` when `d` is 0.
///
/// For `n, d > 0`: `floor((2·10^k·n + d) / (2·d))`.
///
/// ```
/// use halden_stats::ratio::round_half_up;
/// assert_eq!(round_half_up(1, 8, 2), Some(13)); // 0.125 → 0.13
/// assert_eq!(round_half_up(-1, 8, 2), Some(-13)); // away from zero
/// assert_eq!(round_half_up(1, 0, 1), None);
/// ```
pub fn round_half_up(n: i128, d: i128, k: u32) -> Option<i128> {
    if d == 0 {
        return None;
    }
    let negative = (n < 0) != (d < 0);
    let (n, d) = (n.abs(), d.abs());
    let p = 10_i128.checked_pow(k)?;
    let r = (2 * p * n + d) / (2 * d);
    Some(if negative { -r } else { r })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_to_one_decimal() {
        // 1/8 × 100 = 12.5 exactly → 12.5 (already one decimal).
        assert_eq!(Ratio::percent(1, 8).display().as_deref(), Some("12.5"));
        // 1/16 × 100 = 6.25 → half-up → 6.3.
        assert_eq!(Ratio::percent(1, 16).display().as_deref(), Some("6.3"));
        // 1/3 × 100 = 33.33… → 33.3; 2/3 × 100 = 66.66… → 66.7.
        assert_eq!(Ratio::percent(1, 3).display().as_deref(), Some("33.3"));
        assert_eq!(Ratio::percent(2, 3).display().as_deref(), Some("66.7"));
        // 83 / 100 × 100 = 83 → "83.0", always one decimal.
        assert_eq!(Ratio::percent(83, 100).display().as_deref(), Some("83.0"));
        // -1/16 × 100 = -6.25 → away from zero → -6.3.
        assert_eq!(Ratio::percent(-1, 16).display().as_deref(), Some("-6.3"));
        assert_eq!(Ratio::percent(1, 0).display(), None);
        assert_eq!(Ratio::percent(1, 16).value(), Some(6.3));
    }
}
