//! Data-quality checks (STATISTICS.md §2): listed as warnings, never changing a number.
//!
//! - `DQ-PCT` / `DQ-RATE`: a published share (rate, density) with k decimals is not
//!   `round_half_up(n·scale/N, k)`, either of its own published counts or of ours.
//! - `DQ-COUNT`: a published count differs from ours.
//! - `DQ-UNKNOWN`: more than 1 % of the stock has unknown citizenship, sex or birth date.
//! - `DQ-RESIDUAL`: a reconciliation row whose residual is not 0.

use crate::{
    extract::Published,
    ratio::round_half_up,
    report::{Report, Value, Warning},
};

/// A published decimal as (units of `10^-k`, k): "24" → (24, 0), "26.5" → (265, 1).
pub fn parse_decimal(text: &str) -> Option<(i128, u32)> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (body.contains('.') && frac.is_empty())
    {
        return None;
    }
    let k = u32::try_from(frac.len()).ok()?;
    let units: i128 = format!("{int}{frac}").parse().ok()?;
    Some((if neg { -units } else { units }, k))
}

/// Whether a published share `published` (with its own decimals) is what its counts give:
/// `round_half_up(n·scale/d, k)`. Returns the figure the counts give, at the published
/// precision, when it is not.
///
/// ```
/// use halden_stats::dq::check_published_share;
/// // KDI 30 Aug 2023: 781 of 2 948 on remand published as "24 %"; 781/2948 = 26.49… → "26".
/// assert_eq!(check_published_share("24", 781, 2948, 100), Some("26".into()));
/// assert_eq!(check_published_share("26", 781, 2948, 100), None);
/// ```
pub fn check_published_share(published: &str, n: i128, d: i128, scale: i128) -> Option<String> {
    let (units, k) = parse_decimal(published)?;
    let expected = round_half_up(n * scale, d, k)?;
    (expected != units).then(|| decimal(expected, k))
}

fn decimal(units: i128, k: u32) -> String {
    if k == 0 {
        return units.to_string();
    }
    let p = 10_i128.pow(k);
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    format!("{sign}{}.{:0width$}", a / p, a % p, width = k as usize)
}

fn code_for(unit: &str) -> &'static str {
    if unit == "percent" {
        "DQ-PCT"
    } else {
        "DQ-RATE"
    }
}

/// Checks published figures against the report and against their own counts, adding a
/// warning for each disagreement (and for a published cell the report does not have).
pub fn check_published(report: &mut Report, published: &[Published]) {
    let mut warnings = Vec::new();
    for p in published {
        let place = format!("{}/{}/{} (line {})", p.table, p.row, p.column, p.line);
        let ours = report
            .table(&p.table)
            .and_then(|t| t.get(&p.row, &p.column))
            .cloned();
        match &ours {
            Some(Value::Ratio(r)) => {
                if let Some(expected) =
                    check_published_share(&p.value, r.numerator, r.denominator, r.scale)
                {
                    warnings.push(Warning {
                        code: code_for(r.unit),
                        message: format!(
                            "{place}: published {} but our counts {}/{} give {expected}",
                            p.value, r.numerator, r.denominator
                        ),
                    });
                }
                if let Some((n, d)) = p.counts
                    && let Some(expected) = check_published_share(&p.value, n, d, r.scale)
                {
                    warnings.push(Warning {
                        code: code_for(r.unit),
                        message: format!(
                            "{place}: published {} but its own counts {n}/{d} give {expected}",
                            p.value
                        ),
                    });
                }
            }
            Some(Value::Count(c)) => {
                if parse_decimal(&p.value) != Some((i128::from(*c), 0)) {
                    warnings.push(Warning {
                        code: "DQ-COUNT",
                        message: format!("{place}: published {} but we count {c}", p.value),
                    });
                }
            }
            Some(_) | None => {
                if let Some((n, d)) = p.counts
                    && let Some(expected) = check_published_share(&p.value, n, d, 100)
                {
                    warnings.push(Warning {
                        code: "DQ-PCT",
                        message: format!(
                            "{place}: published {} but its own counts {n}/{d} give {expected}",
                            p.value
                        ),
                    });
                }
                if ours.is_none() {
                    warnings.push(Warning {
                        code: "DQ-DEFINITION",
                        message: format!("{place}: this report has no such cell to compare"),
                    });
                }
            }
        }
    }
    report.warnings.extend(warnings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_decimals_are_parsed_with_their_precision() {
        assert_eq!(parse_decimal("24"), Some((24, 0)));
        assert_eq!(parse_decimal("26.5"), Some((265, 1)));
        assert_eq!(parse_decimal("83.08"), Some((8308, 2)));
        assert_eq!(parse_decimal("-0.5"), Some((-5, 1)));
        assert_eq!(parse_decimal("2 948"), None);
        assert_eq!(parse_decimal("1,5"), None);
        assert_eq!(parse_decimal("3."), None);
        assert_eq!(parse_decimal(""), None);
    }

    #[test]
    fn kdi_published_shares_are_checked_at_their_own_precision() {
        // 1 Dec 2022: remand 645 of 3 009 = 21.44 % → published "21" (0 decimals) is right.
        assert_eq!(check_published_share("21", 645, 3009, 100), None);
        // Women 183 of 3 009 = 6.082 % → "6.1" right at 1 decimal.
        assert_eq!(check_published_share("6.1", 183, 3009, 100), None);
        // 1 Dec 2021: foreign 772 of 3 302 = 23.379… % → "23.4" right.
        assert_eq!(check_published_share("23.4", 772, 3302, 100), None);
        // 30 Aug 2023: 781 of 2 948 = 26.492… % → "26", not the published "24".
        assert_eq!(
            check_published_share("24", 781, 2948, 100),
            Some("26".into())
        );
        // SPACE I 2024 density 3 004 / 3 616 × 100 = 83.075… → "83.08" at two decimals.
        assert_eq!(check_published_share("83.08", 3004, 3616, 100), None);
        assert_eq!(
            check_published_share("83.07", 3004, 3616, 100),
            Some("83.08".into())
        );
    }
}
