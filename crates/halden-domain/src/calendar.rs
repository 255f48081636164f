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
    from_day_number(add_months_to_day_number(date, months)?)
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
    // Civil-from-days over 400-year eras of 146 097 days, with years starting 1 March so that the
    // leap day is the last day of the year. jiff's range (±9999 years) keeps all of it in i32.
    if !(MIN_DAY_NUMBER..=MAX_DAY_NUMBER).contains(&n) {
        return Err(OutOfRange);
    }
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    Date::new(year as i16, month as i8, day as i8).map_err(|_| OutOfRange)
}

/// The day number of -9999-01-01, jiff's first date.
const MIN_DAY_NUMBER: i32 = -4_371_587;
/// The day number of 9999-12-31, jiff's last date.
const MAX_DAY_NUMBER: i32 = 2_932_896;

fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let year = year - i32::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let march_month = (month + 9) % 12;
    let day_of_year = (153 * march_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day number of `date + months` (C-1 clamp), range-checked against jiff's years.
pub fn add_months_to_day_number(date: Date, months: i64) -> Result<i32, OutOfRange> {
    // Years beyond ±9999 are out of range anyway, so months beyond ±240 000 can be refused early
    // and the rest done in i32.
    if !(-240_000..=240_000).contains(&months) {
        return Err(OutOfRange);
    }
    let index = i32::from(date.year()) * 12 + i32::from(date.month()) - 1 + months as i32;
    let year = index.div_euclid(12);
    if !(-9_999..=9_999).contains(&year) {
        return Err(OutOfRange);
    }
    let month = index.rem_euclid(12) + 1;
    let day = i32::from(date.day()).min(days_in_month(year, month));
    Ok(days_from_civil(year, month, day))
}
