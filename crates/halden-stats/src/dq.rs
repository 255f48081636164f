//! Data-quality checks (STATISTICS.md §2): listed as warnings, never changing a number.
//!
//! - `DQ-PCT` / `DQ-RATE`: a published share (rate, density) with k decimals is not
//!   `round_half_up(n·scale/N, k)`, either of its own published counts or of ours.
//! - `DQ-COUNT`: a published count differs from ours.
//! - `DQ-UNKNOWN`: more than 1 % of the stock has unknown citizenship, sex or birth date.
//! - `DQ-RESIDUAL`: a reconciliation row whose residual is not 0.
//! - `DQ-CAPACITY`: the capacity a published occupancy implies (`inmates / occupancy`, an
//!   interval because the occupancy is rounded) does not hold the register's places.
//! - `DQ-FLAGS`: two series compared differ in their inclusion flags.
//! - `DQ-REVISION`: cells that moved since the last publication with the same parameters.

use serde_json::Value as Json;

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

/// The places a published occupancy implies: `inmates / occupancy × 100`, as the whole numbers
/// of places `C` for which `round_half_up(100 · inmates / C, k)` is the published occupancy
/// with its k decimals. `None` when the occupancy is not a positive decimal.
///
/// With the occupancy `o` in units of `10^-k` %, `100·I·10^k / C ∈ [o − ½, o + ½)`, so
/// `C ∈ (200·I·10^k / (2o + 1), 200·I·10^k / (2o − 1)]`.
///
/// ```
/// use halden_stats::dq::implied_capacity;
/// // KDI 1 Dec 2022: 3 009 inmates at "84" %: 601 800 / 169 = 3 560.9…, 601 800 / 167 = 3 603.5….
/// assert_eq!(implied_capacity(3009, "84"), Some((3561, 3603)));
/// ```
pub fn implied_capacity(inmates: i128, occupancy: &str) -> Option<(i128, i128)> {
    let (o, k) = parse_decimal(occupancy)?;
    if o <= 0 || inmates < 0 {
        return None;
    }
    let top = 200 * inmates * 10_i128.checked_pow(k)?;
    let low = top / (2 * o + 1) + 1;
    let high = top / (2 * o - 1);
    Some((low, high))
}

/// `DQ-CAPACITY`: a warning when the register's `places` lie outside the capacity a published
/// `occupancy` of `inmates` implies.
pub fn check_capacity(place: &str, inmates: i128, occupancy: &str, places: i64) -> Option<Warning> {
    let (low, high) = implied_capacity(inmates, occupancy)?;
    let p = i128::from(places);
    (p < low || p > high).then(|| Warning {
        code: "DQ-CAPACITY",
        message: format!(
            "{place}: {inmates} inmates at a published occupancy of {occupancy} % imply {low}–{high} places; the capacity register has {places}"
        ),
    })
}

/// `DQ-FLAGS`: a warning naming every inclusion flag on which two compared series differ (a
/// flag set on one side only counts as a difference). `None` when they agree.
pub fn check_flags(
    ours: (&str, &[(&str, Json)]),
    theirs: (&str, &[(&str, Json)]),
) -> Option<Warning> {
    let value = |set: &[(&str, Json)], key: &str| {
        set.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
    };
    let mut keys: Vec<&str> = ours.1.iter().chain(theirs.1).map(|(k, _)| *k).collect();
    keys.sort_unstable();
    keys.dedup();
    let shown = |v: Option<Json>| v.map_or_else(|| "not given".to_string(), |v| v.to_string());
    let differ: Vec<String> = keys
        .into_iter()
        .filter_map(|k| {
            let (a, b) = (value(ours.1, k), value(theirs.1, k));
            (a != b).then(|| format!("{k} ({} {}, {} {})", ours.0, shown(a), theirs.0, shown(b)))
        })
        .collect();
    (!differ.is_empty()).then(|| Warning {
        code: "DQ-FLAGS",
        message: format!(
            "{} and {} count different things: {}",
            ours.0,
            theirs.0,
            differ.join("; ")
        ),
    })
}

/// The last publication of a report: its parameters and its cells as printed
/// (`table, row, column, value`, the long CSV's first four columns).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Publication {
    /// Parameters, as in the metadata.
    pub parameters: Vec<(String, String)>,
    /// Cells as printed.
    pub cells: Vec<(String, String, String, String)>,
}

impl Publication {
    /// The publication a report's JSON (as `halden stats … --json` prints it) records: its
    /// `metadata.parameters` and every cell of its `tables`, each value as the CSV prints it
    /// (a count whole, a ratio with one decimal, an unavailable figure empty).
    ///
    /// # Errors
    ///
    /// What is missing, when the JSON is not such a report.
    pub fn from_json(report: &Json) -> Result<Publication, String> {
        let parameters = report
            .pointer("/metadata/parameters")
            .and_then(Json::as_object)
            .ok_or("metadata.parameters is missing: not a report printed by --json")?
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect();
        let tables = report
            .get("tables")
            .and_then(Json::as_array)
            .ok_or("tables is missing: not a report printed by --json")?;
        let mut cells = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            let id = table
                .get("id")
                .and_then(Json::as_str)
                .ok_or(format!("tables[{i}].id is missing"))?;
            for (j, cell) in table
                .get("cells")
                .and_then(Json::as_array)
                .ok_or(format!("tables[{i}].cells is missing"))?
                .iter()
                .enumerate()
            {
                let field = |k: &str| {
                    cell.get(k)
                        .and_then(Json::as_str)
                        .ok_or(format!("tables[{i}].cells[{j}].{k} is missing"))
                };
                let value = match cell.get("value") {
                    Some(Json::Number(n)) if field("unit") == Ok("count") => n.to_string(),
                    Some(Json::Number(n)) => {
                        n.as_f64().map_or_else(String::new, |f| format!("{f:.1}"))
                    }
                    _ => String::new(),
                };
                cells.push((
                    id.to_owned(),
                    field("row")?.to_owned(),
                    field("column")?.to_owned(),
                    value,
                ));
            }
        }
        Ok(Publication { parameters, cells })
    }
}

/// `DQ-REVISION`: lists the cells that moved since `previous`, if it was published with the
/// same parameters, in any order (a backdated correction changes later reruns). Another set of
/// parameters is another publication: nothing to compare.
pub fn check_revision(report: &mut Report, previous: &Publication) {
    let mut theirs: Vec<(&str, &str)> = previous
        .parameters
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut ours: Vec<(&str, &str)> = report
        .metadata
        .parameters
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    if theirs != ours {
        return;
    }
    let mut warnings = Vec::new();
    for (table, row, column, value) in &previous.cells {
        let now = report
            .table(table)
            .and_then(|t| t.get(row, column))
            .map(Value::display);
        match now {
            Some(now) if &now == value => {}
            Some(now) => warnings.push(Warning {
                code: "DQ-REVISION",
                message: format!("{table}/{row}/{column}: published {value}, now {now}"),
            }),
            None => warnings.push(Warning {
                code: "DQ-REVISION",
                message: format!("{table}/{row}/{column}: published {value}, now no such cell"),
            }),
        }
    }
    report.warnings.extend(warnings);
}

/// Checks published figures against the report and against their own counts, adding a
/// warning for each disagreement (and for a published cell the report does not have), and
/// `DQ-CAPACITY` where a table's published `inmates` and `occupancy` imply a capacity the
/// report's `places` are outside of.
///
/// Rows of the table `flags` are the publisher's inclusion flags (`flags,em_front_door,included,1`
/// for counted, `0` for not): where they differ from the report's own, `DQ-FLAGS` says the two
/// count different things (a flag the publisher does not give is not compared).
pub fn check_published(report: &mut Report, published: &[Published]) {
    let mut warnings = Vec::new();
    let flag_rows: Vec<&Published> = published.iter().filter(|p| p.table == "flags").collect();
    if !flag_rows.is_empty() {
        let theirs: Vec<(&str, Json)> = flag_rows
            .iter()
            .map(|p| (p.row.as_str(), Json::Bool(p.value != "0")))
            .collect();
        let ours: Vec<(&str, Json)> = report
            .metadata
            .flags
            .iter()
            .filter(|(k, _)| theirs.iter().any(|(t, _)| t == k))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        // A flag the report does not know at all is named too (on their side only).
        warnings.extend(check_flags(
            ("this report", &ours),
            ("the published figures", &theirs),
        ));
    }
    let published: Vec<&Published> = published.iter().filter(|p| p.table != "flags").collect();
    let published = published.as_slice();
    for p in published
        .iter()
        .filter(|p| p.row == "occupancy" && p.column == "percent")
    {
        let inmates = published
            .iter()
            .find(|q| q.table == p.table && q.row == "inmates" && q.column == "count")
            .and_then(|q| parse_decimal(&q.value))
            .filter(|&(_, k)| k == 0);
        let places = report
            .table(&p.table)
            .and_then(|t| t.get("places", "count"))
            .and_then(Value::count);
        if let (Some((inmates, _)), Some(places)) = (inmates, places) {
            let place = format!("{}/occupancy (line {})", p.table, p.line);
            warnings.extend(check_capacity(&place, inmates, &p.value, places));
        }
    }
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
