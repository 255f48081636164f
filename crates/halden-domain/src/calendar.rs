//! Day arithmetic on civil dates (Europe/Oslo calendar days), integer only.
//!
//! Calendar lengths ([`CalendarLength`]) and day counts (`i32` days) are kept apart on purpose:
//! "1 month" is not "30 days" (C-1). Converting one into the other needs an anchor date and a
//! [`MonthConversion`] policy.

use jiff::{Span, civil::Date};

use crate::policy::MonthConversion;

/// A date computation left the range of dates jiff supports (years −9999 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;


impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the computed date is outside the supported range of years")
    }
}

impl std::error::Error for OutOfRange {}

/// A length in calendar years and months, as a court writes it ("1 år og 6 måneder").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CalendarLength {
    /// Whole years.
    pub years: u32,
    /// Months on top of the years; may exceed 11 ("18 måneder").
    pub months: u32,
}

impl CalendarLength {
    /// A length of whole years.
    pub const fn years(years: u32) -> CalendarLength {
        CalendarLength { years, months: 0 }
    }

    /// A length of months.
    pub const fn months(months: u32) -> CalendarLength {
        CalendarLength { years: 0, months }
    }

    /// The length in months (years × 12 + months), saturating.
    pub const fn total_months(self) -> u32 {
        self.years.saturating_mul(12).saturating_add(self.months)
    }
}

/// `date + n days`.
///
/// ```
/// use halden_domain::calendar::add_days;
/// use jiff::civil::date;
/// assert_eq!(add_days(date(2024, 2, 28), 1), Ok(date(2024, 2, 29)));
/// ```
pub fn add_days(date: Date, days: i32) -> Result<Date, OutOfRange> {
    date.checked_add(Span::new().try_days(days).map_err(|_| OutOfRange)?).map_err(|_| OutOfRange)
}

/// `date + n calendar months`, keeping the day of the month and clamping to the last day of a
/// shorter month (C-1; domstolloven § 148 (2)).
///
/// ```
/// use halden_domain::calendar::add_months;
/// use jiff::civil::date;
/// // 31 January + 1 month = 28 February (29 in a leap year).
/// assert_eq!(add_months(date(2025, 1, 31), 1), Ok(date(2025, 2, 28)));
/// assert_eq!(add_months(date(2024, 1, 31), 1), Ok(date(2024, 2, 29)));
/// // 29 February + 1 year = 28 February.
/// assert_eq!(add_months(date(2024, 2, 29), 12), Ok(date(2025, 2, 28)));
/// // Backwards: 31 May − 3 months = 28 February.
/// assert_eq!(add_months(date(2025, 5, 31), -3), Ok(date(2025, 2, 28)));
/// ```
pub fn add_months(date: Date, months: i64) -> Result<Date, OutOfRange> {
    let span = Span::new().try_months(months).map_err(|_| OutOfRange)?;
    date.checked_add(span).map_err(|_| OutOfRange)
}

/// The number of days from `from` to `to` (negative when `to` is earlier).
///
/// ```
/// use halden_domain::calendar::days_between;
/// use jiff::civil::date;
/// assert_eq!(days_between(date(2025, 3, 3), date(2026, 9, 3)), 549);
/// assert_eq!(days_between(date(2025, 3, 3), date(2025, 3, 1)), -2);
/// ```
pub fn days_between(from: Date, to: Date) -> i32 {
    // Civil dates span at most ±20 000 years, so whole days always fit in i32.
    (from.duration_until(to).as_secs() / 86_400) as i32
}

/// A calendar length as days, counted from `anchor` (C-1) or by fixed lengths (Q1).
///
/// ```
/// use halden_domain::{calendar::{length_in_days, CalendarLength}, policy::MonthConversion};
/// use jiff::civil::date;
/// let six_months = CalendarLength::months(6);
/// assert_eq!(length_in_days(date(2025, 3, 3), six_months, MonthConversion::Calendar), Ok(184));
/// assert_eq!(length_in_days(date(2025, 3, 3), six_months, MonthConversion::FixedLength), Ok(180));
/// ```
pub fn length_in_days(
    anchor: Date,
    length: CalendarLength,
    conversion: MonthConversion,
) -> Result<i32, OutOfRange> {
    match conversion {
        MonthConversion::Calendar => {
            let end = add_months(anchor, i64::from(length.total_months()))?;
            Ok(days_between(anchor, end))
        }
        MonthConversion::FixedLength => {
            let days = i64::from(length.years) * 365 + i64::from(length.months) * 30;
            i32::try_from(days).map_err(|_| OutOfRange)
        }
    }
}

/// Day `k` of a term that starts (day 1) on `effective_start` (C-2): `effective_start + k − 1`.
///
/// ```
/// use halden_domain::calendar::day_number;
/// use jiff::civil::date;
/// assert_eq!(day_number(date(2025, 3, 3), 1), Ok(date(2025, 3, 3)));
/// assert_eq!(day_number(date(2025, 3, 3), 74), Ok(date(2025, 5, 15)));
/// ```
pub fn day_number(effective_start: Date, k: i32) -> Result<Date, OutOfRange> {
    add_days(effective_start, k.checked_sub(1).ok_or(OutOfRange)?)
}
