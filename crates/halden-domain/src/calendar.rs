//! Day arithmetic on civil dates (Europe/Oslo calendar days), integer only.
//!
//! Calendar lengths ([`CalendarLength`]) and day counts (`i32` days) are kept apart on purpose:
//! "1 month" is not "30 days" (C-1). Converting one into the other needs an anchor date and a
//! [`MonthConversion`] policy.

use jiff::civil::Date;

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
    from_day_number(day_number(date).checked_add(days).ok_or(OutOfRange)?)
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
    // Straight from year, month and day to the new ones: no day number in between.
    let (year, month, day) = shift_months(date, months)?;
    // The parts are in range by construction; `Date::new` re-checks them rather than trusting it.
    Date::new(year as i16, month as i8, day as i8).map_err(|_| OutOfRange)
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
    day_number(to) - day_number(from)
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
            let end = add_months_to_day_number(anchor, i64::from(length.total_months()))?;
            Ok(end - day_number(anchor))
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
/// use halden_domain::calendar::nth_day;
/// use jiff::civil::date;
/// assert_eq!(nth_day(date(2025, 3, 3), 1), Ok(date(2025, 3, 3)));
/// assert_eq!(nth_day(date(2025, 3, 3), 74), Ok(date(2025, 5, 15)));
/// ```
pub fn nth_day(effective_start: Date, k: i32) -> Result<Date, OutOfRange> {
    add_days(effective_start, k.checked_sub(1).ok_or(OutOfRange)?)
}

// The engine's hot path counts in day numbers: whole days since 1970-01-01 in the proleptic
// Gregorian calendar, the same calendar jiff uses. Converting once in and once out per date keeps
// a full key-date set within a few jiff additions' time (see the benchmark); the property test
// `calendar_agrees_with_jiff` checks these functions against jiff over its whole range.

/// The day number of a date: days since 1970-01-01 (negative before).
///
/// ```
/// use halden_domain::calendar::day_number;
/// use jiff::civil::date;
/// assert_eq!(day_number(date(1970, 1, 1)), 0);
/// assert_eq!(day_number(date(2000, 3, 1)), 11_017);
/// ```
pub fn day_number(date: Date) -> i32 {
    days_from_civil(
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    )
}

/// The date of a day number.
///
/// # Errors
///
/// [`OutOfRange`] outside jiff's years −9999 to 9999.
pub fn from_day_number(n: i32) -> Result<Date, OutOfRange> {
    let (year, month, day) = civil_from_days(checked_day_number(n)?);
    // In range by construction; `Date::new` re-checks the parts rather than trusting that.
    Date::new(year as i16, month as i8, day as i8).map_err(|_| OutOfRange)
}

/// `n` itself when it is the day number of a date jiff supports (years −9999 to 9999).
///
/// The engine counts in day numbers and turns only the dates it outputs into [`Date`]s; it checks
/// every other day number it reaches with this, so a case fails with [`OutOfRange`] exactly when
/// one of its dates would leave the calendar.
pub(crate) fn checked_day_number(n: i32) -> Result<i32, OutOfRange> {
    if (MIN_DAY_NUMBER..=MAX_DAY_NUMBER).contains(&n) {
        Ok(n)
    } else {
        Err(OutOfRange)
    }
}

/// The day number of -9999-01-01, jiff's first date.
const MIN_DAY_NUMBER: i32 = -4_371_587;
/// The day number of 9999-12-31, jiff's last date.
const MAX_DAY_NUMBER: i32 = 2_932_896;

// Both conversions are Neri and Schneider's ("Euclidean affine functions and their application to
// calendar algorithms", 2022), as jiff uses them: no branches and no divisions by variables. The
// day count is shifted by `ERA_SHIFT` 400-year eras so that all arithmetic stays in unsigned
// integers over jiff's whole range; years start on 1 March, so the leap day is the last day of a
// year.

/// Eras of 400 years added to keep the computation in unsigned integers.
const ERA_SHIFT: u32 = 82;
/// Days from 0000-03-01 to 1970-01-01, plus `ERA_SHIFT` eras of 146 097 days.
const DAY_SHIFT: u32 = 719_468 + 146_097 * ERA_SHIFT;
/// The shift in years.
const YEAR_SHIFT: u32 = 400 * ERA_SHIFT;

/// The day number of a valid year, month (1–12) and day.
fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let january_or_february = month <= 2;
    let year = (year as u32)
        .wrapping_add(YEAR_SHIFT)
        .wrapping_sub(u32::from(january_or_february));
    let month = if january_or_february {
        month as u32 + 12
    } else {
        month as u32
    };
    let century = year / 100;
    let days_before_year = 1_461 * year / 4 - century + century / 4;
    let days_before_month = (979 * month - 2_919) / 32;
    let n = days_before_year + days_before_month + day as u32 - 1;
    n.wrapping_sub(DAY_SHIFT) as i32
}

/// The year, month (1–12) and day of a day number within jiff's range.
fn civil_from_days(n: i32) -> (i32, i32, i32) {
    let n = (n as u32).wrapping_add(DAY_SHIFT);
    let n1 = 4 * n + 3;
    let century = n1 / 146_097;
    let day_of_century = n1 % 146_097 / 4;
    let n2 = 4 * day_of_century + 3;
    let p2 = 2_939_745 * u64::from(n2);
    let year_of_century = (p2 >> 32) as u32;
    let day_of_year = (p2 as u32) / 2_939_745 / 4;
    let n3 = 2_141 * day_of_year + 197_913;
    let march_month = n3 >> 16;
    let day = (n3 & 0xFFFF) / 2_141 + 1;
    let after_december = day_of_year >= 306;
    let year = (100 * century + year_of_century)
        .wrapping_sub(YEAR_SHIFT)
        .wrapping_add(u32::from(after_december)) as i32;
    let month = if after_december {
        march_month - 12
    } else {
        march_month
    };
    (year, month as i32, day as i32)
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The first year jiff supports; months are indexed from its January.
const FIRST_YEAR: i32 = -9_999;
/// Months from -9999-01 to 9999-12, jiff's range.
const MONTH_COUNT: i64 = 12 * 19_999;

/// The year, month and day of `date + months` (C-1 clamp), with the year checked against jiff's
/// range.
fn shift_months(date: Date, months: i64) -> Result<(i32, i32, i32), OutOfRange> {
    // Months counted from -9999-01, so that a valid result is an index in 0..MONTH_COUNT and the
    // division by 12 is unsigned. `months` is clamped first so that the sum cannot overflow; a
    // clamped value is out of range either way.
    let index = i64::from(i32::from(date.year()) - FIRST_YEAR) * 12
        + i64::from(date.month() - 1)
        + months.clamp(-MONTH_COUNT, MONTH_COUNT);
    if !(0..MONTH_COUNT).contains(&index) {
        return Err(OutOfRange);
    }
    let index = index as u32;
    let year = (index / 12) as i32 + FIRST_YEAR;
    let month = (index % 12) as i32 + 1;
    let day = i32::from(date.day());
    // Every month has 28 days; only a later day can need the clamp.
    let day = if day > 28 {
        day.min(days_in_month(year, month))
    } else {
        day
    };
    Ok((year, month, day))
}

/// The day number of `date + months` (C-1 clamp), range-checked against jiff's years.
pub fn add_months_to_day_number(date: Date, months: i64) -> Result<i32, OutOfRange> {
    let (year, month, day) = shift_months(date, months)?;
    Ok(days_from_civil(year, month, day))
}
