//! Sentence-length bands (BAND, STATISTICS.md §2): the sentenced stock by aggregate imposed
//! sentence (R-CALC-2), as SPACE I and the Nordic table 2.4 give it.
//!
//! The length in months is `12·years + months + days·12/365`, kept exact as a fraction with
//! denominator 365 (`365·(12·years + months) + 12·days` 365ths of a month). The bands are
//! `<1 m, 1–3 m, 3–6 m, 6–12 m, 1–3 y, 3–5 y, 5–10 y, 10–20 y, ≥20 y`, lower edge inclusive;
//! preventive detention (forvaring) and fine default (subsidiær fengsel) are their own rows,
//! outside the nine bands and outside the shares' denominator.

use jiff::civil::Date;

use crate::ratio::Ratio;
use crate::report::{Table, Value};

/// The band keys, shortest first (as printed in the tables).
pub const BANDS: [&str; 9] = [
    "lt_1m", "1m_3m", "3m_6m", "6m_12m", "1y_3y", "3y_5y", "5y_10y", "10y_20y", "ge_20y",
];

/// [`crate::model::Episode::band`] when the source does not give the sentence's length.
pub const UNKNOWN: u8 = u8::MAX;

/// The lower edges of the second to the ninth band, in months.
pub const EDGES_MONTHS: [i64; 8] = [1, 3, 6, 12, 36, 60, 120, 240];

/// An aggregate imposed sentence as the judgment states it (R-CALC-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imposed {
    /// Years.
    pub years: i64,
    /// Months.
    pub months: i64,
    /// Days.
    pub days: i64,
}

/// What a sentenced person in the stock is serving, for the bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serving {
    /// A determinate prison sentence of this aggregate length.
    Sentence(Imposed),
    /// Preventive detention (own row).
    PreventiveDetention,
    /// Alternative imprisonment for an unpaid fine (own row).
    FineDefault,
    /// A determinate sentence whose length the source does not give (own row, outside the
    /// shares: e.g. a CSV extract, whose header has no length).
    Unknown,
}

/// The length in 365ths of a month: `365·(12·years + months) + 12·days`.
pub fn in_365ths_of_a_month(s: Imposed) -> i64 {
    365 * (12 * s.years + s.months) + 12 * s.days
}

/// The band (an index of [`BANDS`]) of an imposed sentence; lower edges inclusive.
///
/// ```
/// use halden_stats::bands::{Imposed, band_of};
/// // 30 days = 360/365 months < 1 → "<1 m"; 31 days = 372/365 ≥ 1 → "1–3 m".
/// assert_eq!(band_of(Imposed { years: 0, months: 0, days: 30 }), 0);
/// assert_eq!(band_of(Imposed { years: 0, months: 0, days: 31 }), 1);
/// ```
pub fn band_of(s: Imposed) -> usize {
    let x = in_365ths_of_a_month(s);
    EDGES_MONTHS.iter().take_while(|&&e| x >= 365 * e).count()
}

/// The shortest sentence of band `band` (its lower edge; a day for the first), or `None` for
/// [`UNKNOWN`] or an index outside the bands: what [`table`] needs to count an episode that
/// carries only its band.
pub fn representative(band: u8) -> Option<Imposed> {
    let band = usize::from(band);
    if band >= BANDS.len() {
        return None;
    }
    let months = if band == 0 { 0 } else { EDGES_MONTHS[band - 1] };
    Some(Imposed {
        years: 0,
        months,
        days: i64::from(band == 0),
    })
}

/// The sentenced-stock table by band on `date`: a count and a share of the nine bands' total
/// per band, then preventive detention, fine default and sentences of unknown length (counts
/// only) and the total.
pub fn table(
    id: &'static str,
    title_en: &'static str,
    title_nb: &'static str,
    date: Date,
    stock: impl IntoIterator<Item = Serving>,
) -> Table {
    let mut counts = [0i64; BANDS.len()];
    let (mut preventive, mut fine, mut unknown) = (0i64, 0i64, 0i64);
    for s in stock {
        match s {
            Serving::Sentence(imposed) => counts[band_of(imposed)] += 1,
            Serving::PreventiveDetention => preventive += 1,
            Serving::FineDefault => fine += 1,
            Serving::Unknown => unknown += 1,
        }
    }
    let banded: i64 = counts.iter().sum();
    let mut t = Table::new(id, title_en, title_nb);
    t.reference_date = Some(date);
    for (key, n) in BANDS.iter().zip(counts) {
        t.push(key, "count", Value::Count(n));
        t.push(
            key,
            "percent",
            Value::Ratio(Ratio::percent(n.into(), banded.into())),
        );
    }
    t.push("banded_total", "count", Value::Count(banded));
    t.push("preventive_detention", "count", Value::Count(preventive));
    t.push("fine_default", "count", Value::Count(fine));
    t.push("length_unknown", "count", Value::Count(unknown));
    t.push(
        "total",
        "count",
        Value::Count(banded + preventive + fine + unknown),
    );
    t
}
