//! The serving queue (soningskø) and the summons (innkalling): R-QUEUE-1 and R-INNK-1.
//!
//! A final judgment to unconditional imprisonment is *received* by the correctional service on
//! a day `r`. Serving must start by `r + 60 days`, and the summons must reach the person at least
//! three weeks before the serving date (R-INNK-1). A judgment not started within two calendar
//! months of receipt is counted in the serving queue: on a day `D` it is in the queue when
//! `r + 2 months ≤ D` (month-end clamped, C-1) and it has not started by `D` (an EM start counts
//! as a start), as STATISTICS.md defines QUEUE for the KDI figures; the sub-count is those
//! waiting to serve with EM.
//!
//! Pure: the days arrive as parameters; the register decides what was received and started.

use jiff::civil::Date;

use crate::{
    calendar::{add_days, add_months},
    law::{self, RuleId},
    validate::FieldError,
};

/// The first day a judgment received on `received` counts in the queue if it has not started:
/// two calendar months later, clamped to the month's end (R-QUEUE-1, C-1).
///
/// ```
/// use halden_domain::queue::counted_from;
/// use jiff::civil::date;
/// assert_eq!(counted_from(date(2024, 1, 10)), date(2024, 3, 10));
/// // 31 December + 2 months: 29 February in a leap year.
/// assert_eq!(counted_from(date(2023, 12, 31)), date(2024, 2, 29));
/// ```
pub fn counted_from(received: Date) -> Date {
    add_months(received, i64::from(law::QUEUE_MONTHS)).unwrap_or(Date::MAX)
}

/// The latest serving date for a judgment received on `received`: 60 days later (R-INNK-1).
///
/// ```
/// use halden_domain::queue::latest_start;
/// use jiff::civil::date;
/// assert_eq!(latest_start(date(2025, 1, 10)), date(2025, 3, 11));
/// ```
pub fn latest_start(received: Date) -> Date {
    checked_latest_start(received).unwrap_or(Date::MAX)
}

/// [`latest_start`], or an error past the end of the calendar (the engine's way: no date rather
/// than a saturated one).
pub fn checked_latest_start(received: Date) -> Result<Date, crate::calendar::OutOfRange> {
    add_days(received, law::SUMMONS_LATEST_START_DAYS)
}

/// The earliest serving date a summons sent on `sent_on` may name: three weeks later, so that
/// it arrives in time (R-INNK-1).
///
/// ```
/// use halden_domain::queue::earliest_start;
/// use jiff::civil::date;
/// assert_eq!(earliest_start(date(2025, 1, 10)), date(2025, 1, 31));
/// ```
pub fn earliest_start(sent_on: Date) -> Date {
    add_days(sent_on, law::SUMMONS_NOTICE_DAYS).unwrap_or(Date::MAX)
}

/// How a waiting judgment is planned to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannedForm {
    /// In prison.
    Prison,
    /// At home with electronic monitoring (strgjfl § 16 a).
    ElectronicMonitoring,
}

impl PlannedForm {
    /// The machine name (`prison`, `em`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PlannedForm::Prison => "prison",
            PlannedForm::ElectronicMonitoring => "em",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<PlannedForm> {
        match text {
            "prison" => Some(PlannedForm::Prison),
            "em" => Some(PlannedForm::ElectronicMonitoring),
            _ => None,
        }
    }
}

/// The last day a summons for serving on `start` may arrive: three weeks before (R-INNK-1).
///
/// ```
/// use halden_domain::queue::latest_summons_arrival;
/// use jiff::civil::date;
/// assert_eq!(latest_summons_arrival(date(2025, 3, 11)), date(2025, 2, 18));
/// ```
pub fn latest_summons_arrival(start: Date) -> Date {
    add_days(start, -law::SUMMONS_NOTICE_DAYS).unwrap_or(Date::MIN)
}

/// A judgment received and, perhaps, started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// The day the service received the final judgment.
    pub received: Date,
    /// The day serving started (in prison or with EM), if it has.
    pub started: Option<Date>,
    /// How it is planned to be served.
    pub form: PlannedForm,
}

/// Whether `waiting` is counted in the queue on `day` (R-QUEUE-1): received two calendar months
/// or more before, and not started by `day`.
///
/// ```
/// use halden_domain::queue::{PlannedForm, Waiting, in_queue};
/// use jiff::civil::date;
/// let w = Waiting { received: date(2024, 1, 10), started: None, form: PlannedForm::Prison };
/// assert!(!in_queue(&w, date(2024, 3, 9)));
/// assert!(in_queue(&w, date(2024, 3, 10)));
/// let started = Waiting { started: Some(date(2024, 3, 10)), ..w };
/// assert!(!in_queue(&started, date(2024, 3, 10)));
/// ```
pub fn in_queue(waiting: &Waiting, day: Date) -> bool {
    counted_from(waiting.received) <= day && waiting.started.is_none_or(|s| s > day)
}

/// The queue on a day, with its EM sub-count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueCount {
    /// Judgments in the queue.
    pub queue: u32,
    /// Of which planned for EM.
    pub queue_em: u32,
}

/// Counts the queue on `day` (R-QUEUE-1).
pub fn count<'a>(judgments: impl IntoIterator<Item = &'a Waiting>, day: Date) -> QueueCount {
    let mut count = QueueCount::default();
    for w in judgments.into_iter().filter(|w| in_queue(w, day)) {
        count.queue += 1;
        if w.form == PlannedForm::ElectronicMonitoring {
            count.queue_em += 1;
        }
    }
    count
}

/// Checks a summons sent on `sent_on` for a judgment received on `received` that names
/// `serving_date` (R-INNK-1): the date must give three weeks' notice, and a date past the
/// 60-day limit needs a written reason (the person is not to wait longer than the law says
/// without the service saying why). Every problem names its field, in English and bokmål.
pub fn check_summons(
    received: Date,
    sent_on: Date,
    serving_date: Date,
    late_reason: &str,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let rule = RuleId::Innk1;
    if sent_on < received {
        errors.push(FieldError::bilingual(
            "sent_on",
            Some(rule),
            format!("is before the judgment was received ({received})"),
            format!("er før dommen ble mottatt ({received})"),
        ));
    }
    let earliest = earliest_start(sent_on);
    if serving_date < earliest {
        errors.push(FieldError::bilingual(
            "serving_date",
            Some(rule),
            format!(
                "must give three weeks' notice: a summons sent {sent_on} can name {earliest} at the earliest (R-INNK-1)"
            ),
            format!(
                "må gi tre ukers varsel: en innkalling sendt {sent_on} kan tidligst gjelde {earliest} (R-INNK-1)"
            ),
        ));
    }
    let latest = latest_start(received);
    if serving_date > latest && late_reason.trim().is_empty() {
        errors.push(FieldError::bilingual(
            "late_reason",
            Some(rule),
            format!(
                "is required: {serving_date} is after the latest serving date {latest} (60 days from receipt on {received}, R-INNK-1); say why"
            ),
            format!(
                "må fylles ut: {serving_date} er etter siste soningsdato {latest} (60 dager etter mottak {received}, R-INNK-1); si hvorfor"
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn waiting(received: Date, started: Option<Date>, form: PlannedForm) -> Waiting {
        Waiting {
            received,
            started,
            form,
        }
    }

    #[test]
    fn the_queue_counts_from_two_calendar_months_after_receipt_until_the_start() {
        // Received 31 March: + 2 months is 31 May. Started 3 June.
        let w = waiting(
            date(2025, 3, 31),
            Some(date(2025, 6, 3)),
            PlannedForm::Prison,
        );
        assert!(!in_queue(&w, date(2025, 5, 30)));
        assert!(in_queue(&w, date(2025, 5, 31)));
        assert!(in_queue(&w, date(2025, 6, 2)));
        assert!(!in_queue(&w, date(2025, 6, 3)), "started on the day");
        // Received 30 April: + 2 months is 30 June, not 1 July.
        assert_eq!(counted_from(date(2025, 4, 30)), date(2025, 6, 30));
    }

    #[test]
    fn the_count_has_an_em_sub_count() {
        // On 1 June 2025: received 1 April (counted from 1 June) and 15 March (from 15 May)
        // are in; 10 April (from 10 June) is not yet; 1 March started 20 May is out.
        let day = date(2025, 6, 1);
        let list = [
            waiting(date(2025, 4, 1), None, PlannedForm::Prison),
            waiting(date(2025, 3, 15), None, PlannedForm::ElectronicMonitoring),
            waiting(date(2025, 4, 10), None, PlannedForm::ElectronicMonitoring),
            waiting(
                date(2025, 3, 1),
                Some(date(2025, 5, 20)),
                PlannedForm::Prison,
            ),
        ];
        assert_eq!(
            count(&list, day),
            QueueCount {
                queue: 2,
                queue_em: 1
            }
        );
    }

    #[test]
    fn a_summons_gives_three_weeks_notice_within_sixty_days() {
        // Received 10 January 2025: latest start 11 March (10 Jan + 60 days: 21 days left of
        // January, 28 of February, 11 of March). Sent 20 January: earliest date 10 February.
        let received = date(2025, 1, 10);
        let sent = date(2025, 1, 20);
        assert_eq!(check_summons(received, sent, date(2025, 2, 10), ""), Ok(()));
        assert_eq!(check_summons(received, sent, date(2025, 3, 11), ""), Ok(()));
        let early = check_summons(received, sent, date(2025, 2, 9), "").unwrap_err();
        assert_eq!(early.len(), 1);
        assert_eq!(early[0].field, "serving_date");
        assert!(
            early[0].message.contains("2025-02-10"),
            "{}",
            early[0].message
        );
        let late = check_summons(received, sent, date(2025, 3, 12), "").unwrap_err();
        assert_eq!(late[0].field, "late_reason");
        assert!(
            late[0].message.contains("2025-03-11"),
            "{}",
            late[0].message
        );
        assert_eq!(
            check_summons(
                received,
                sent,
                date(2025, 3, 12),
                "No place in a prison near home."
            ),
            Ok(())
        );
    }
}
