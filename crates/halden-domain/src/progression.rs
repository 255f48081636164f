//! The progression plan (BRIEF §1, §3.3): for a person serving in prison, the steps towards
//! release in the order their key dates fall — lower security (R-SEC-3), leave (R-LEAVE-1 or,
//! for forvaring, R-LEAVE-6), day release (R-FRIGANG-1), § 16 home serving (R-HOME-1), EM back
//! door (R-EM-3), parole (R-PAR-1) and the end of the sentence (C-4) — each from the engine's key
//! date, and which of them fall due in a window (the reviews of the week).
//!
//! A decision to expel the person after the sentence (utvisningsvedtak) limits the steps
//! (BRIEF §3.7): see [`Limits`].
//!
//! Pure: the key dates arrive as a lookup; the recommendation of the level comes from
//! [`crate::placement`].

use jiff::civil::Date;

use crate::{calc::DateKey, calendar::add_days};

/// A step towards release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Transfer to lower security is to be considered (R-SEC-3).
    LowerSecurity,
    /// Ordinary leave becomes possible (R-LEAVE-1; R-LEAVE-6 for forvaring).
    Leave,
    /// Day release for work or school (frigang, R-FRIGANG-1).
    Frigang,
    /// Serving at home without EM (strgjfl § 16, R-HOME-1).
    HomeServing,
    /// Serving the rest at home with EM (back door, R-EM-3).
    ElectronicMonitoring,
    /// Release on parole (R-PAR-1; forvaring: the earliest petition, R-FORV-4).
    Parole,
    /// The end of the sentence (C-4; forvaring: the frame, R-FORV-1).
    Release,
}

impl Step {
    /// Every step, in the usual order of progression.
    pub const ALL: [Step; 7] = [
        Step::LowerSecurity,
        Step::Leave,
        Step::Frigang,
        Step::HomeServing,
        Step::ElectronicMonitoring,
        Step::Parole,
        Step::Release,
    ];

    /// The key dates the step follows, first found wins (ordinary sentence, then forvaring).
    pub const fn date_keys(self) -> &'static [DateKey] {
        match self {
            Step::LowerSecurity => &[DateKey::LowerSecurityReview],
            Step::Leave => &[
                DateKey::LeaveEligibility,
                DateKey::ForvaringLeaveEligibility,
            ],
            Step::Frigang => &[DateKey::FrigangEligibility],
            Step::HomeServing => &[DateKey::HomeServingS16],
            Step::ElectronicMonitoring => &[DateKey::EmBackDoor],
            Step::Parole => &[
                DateKey::ParoleEligibility,
                DateKey::ForvaringEarliestPetition,
            ],
            Step::Release => &[DateKey::EndOfSentence, DateKey::ForvaringFrameEnd],
        }
    }

    /// The machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::LowerSecurity => "lower_security",
            Step::Leave => "leave",
            Step::Frigang => "frigang",
            Step::HomeServing => "home_serving",
            Step::ElectronicMonitoring => "electronic_monitoring",
            Step::Parole => "parole",
            Step::Release => "release",
        }
    }

    /// (English, bokmål): what becomes possible.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Step::LowerSecurity => (
                "lower security to be considered",
                "lavere sikkerhetsnivå skal vurderes",
            ),
            Step::Leave => ("ordinary leave possible", "ordinær permisjon mulig"),
            Step::Frigang => ("day release (frigang) possible", "frigang mulig"),
            Step::HomeServing => (
                "home serving (§ 16) possible",
                "soning i hjemmet (§ 16) mulig",
            ),
            Step::ElectronicMonitoring => (
                "electronic monitoring (back door) possible",
                "elektronisk kontroll (bakdør) mulig",
            ),
            Step::Parole => ("parole possible", "prøveløslatelse mulig"),
            Step::Release => ("end of sentence", "endt straffetid"),
        }
    }
}

/// What limits a person's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// A decision to expel the person after the sentence is in effect (utvisningsvedtak,
    /// utlendingsloven § 66/§ 67).
    pub expulsion: bool,
}

/// Why a step is not planned for this person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    /// The person is to be expelled after the sentence. The steps whose purpose is a life in
    /// Norway after release — day release for work or school (frigang, strgjfl § 20), home
    /// serving (§ 16) and electronic monitoring (§ 16 a) — are not planned; lower security,
    /// leave and parole are, each assessed as usual (parole ends in removal from Norway). The
    /// halfway house is closed in [`crate::placement`] (R-SEC-2). RULES.md has no rule id for
    /// this: BRIEF §3.7 states it, and the list of steps is Halden's reading of it.
    Expulsion,
}

impl Closure {
    /// (English, bokmål): why the step is not planned.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Closure::Expulsion => (
                "not planned: the person is to be expelled after the sentence",
                "planlegges ikke: personen skal utvises etter straffen",
            ),
        }
    }
}

impl Step {
    /// Whether `limits` close this step, and why.
    pub const fn closed_by(self, limits: Limits) -> Option<Closure> {
        match self {
            Step::Frigang | Step::HomeServing | Step::ElectronicMonitoring if limits.expulsion => {
                Some(Closure::Expulsion)
            }
            _ => None,
        }
    }
}

/// A step with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedStep {
    /// The step.
    pub step: Step,
    /// The key it was read from (its rule and explanation are the engine's).
    pub key: DateKey,
    /// The day it becomes possible.
    pub date: Date,
    /// Whether that day has come (`date ≤ today`).
    pub reached: bool,
    /// Why the step is not planned for this person, when it is not (the date is still shown:
    /// it is what the sentence alone would allow).
    pub closed: Option<Closure>,
}

/// The plan: every step whose key date the engine gave, in date order (steps on the same day in
/// [`Step::ALL`] order), each marked closed when `limits` close it.
pub fn plan(
    dates: impl Fn(DateKey) -> Option<Date>,
    today: Date,
    limits: Limits,
) -> Vec<PlannedStep> {
    let mut steps: Vec<PlannedStep> = Step::ALL
        .into_iter()
        .filter_map(|step| {
            step.date_keys().iter().find_map(|&key| {
                dates(key).map(|date| PlannedStep {
                    step,
                    key,
                    date,
                    reached: date <= today,
                    closed: step.closed_by(limits),
                })
            })
        })
        .collect();
    steps.sort_by_key(|s| s.date);
    steps
}

/// The open steps falling due in the `days` days from `today` (today included): the reviews of
/// the week for `days = 7`. A closed step needs no review.
pub fn due(
    dates: impl Fn(DateKey) -> Option<Date>,
    today: Date,
    days: i32,
    limits: Limits,
) -> Vec<PlannedStep> {
    let end = add_days(today, days).unwrap_or(Date::MAX);
    plan(dates, today, limits)
        .into_iter()
        .filter(|s| s.closed.is_none() && s.date >= today && s.date < end)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The key dates of the 623-day case in `cases/aggregate/days_plus_months.toml` (worked there
    /// by hand): admission 2025-03-03.
    fn case(key: DateKey) -> Option<Date> {
        match key {
            DateKey::EndOfSentence => Some(date(2026, 11, 15)),
            DateKey::ParoleEligibility => Some(date(2026, 4, 22)),
            DateKey::EmBackDoor => Some(date(2025, 10, 22)),
            DateKey::HomeServingS16 => Some(date(2026, 1, 8)),
            DateKey::LeaveEligibility => Some(date(2025, 9, 26)),
            DateKey::FrigangEligibility => Some(date(2025, 9, 26)),
            DateKey::LowerSecurityReview => Some(date(2025, 4, 22)),
            _ => None,
        }
    }

    #[test]
    fn the_steps_come_in_date_order_and_know_whether_they_are_reached() {
        let steps = plan(case, date(2025, 9, 26), Limits::default());
        let order: Vec<(Step, Date, bool)> =
            steps.iter().map(|s| (s.step, s.date, s.reached)).collect();
        assert_eq!(
            order,
            vec![
                (Step::LowerSecurity, date(2025, 4, 22), true),
                (Step::Leave, date(2025, 9, 26), true),
                (Step::Frigang, date(2025, 9, 26), true),
                (Step::ElectronicMonitoring, date(2025, 10, 22), false),
                (Step::HomeServing, date(2026, 1, 8), false),
                (Step::Parole, date(2026, 4, 22), false),
                (Step::Release, date(2026, 11, 15), false),
            ]
        );
    }

    #[test]
    fn the_week_holds_the_steps_from_today_to_six_days_on() {
        // 2025-10-16 + 7 days = 2025-10-23: the EM date 2025-10-22 is in, today's too.
        let week = due(case, date(2025, 10, 16), 7, Limits::default());
        assert_eq!(week.len(), 1);
        assert_eq!(week[0].step, Step::ElectronicMonitoring);
        assert!(due(case, date(2025, 10, 23), 7, Limits::default()).is_empty());
        assert_eq!(
            due(case, date(2025, 10, 22), 7, Limits::default())[0].date,
            date(2025, 10, 22)
        );
    }

    #[test]
    fn forvaring_reads_its_own_keys() {
        let forvaring = |key| match key {
            DateKey::ForvaringLeaveEligibility => Some(date(2030, 1, 1)),
            DateKey::ForvaringEarliestPetition => Some(date(2031, 1, 1)),
            DateKey::ForvaringFrameEnd => Some(date(2035, 1, 1)),
            _ => None,
        };
        let steps = plan(forvaring, date(2026, 1, 1), Limits::default());
        let keys: Vec<DateKey> = steps.iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            vec![
                DateKey::ForvaringLeaveEligibility,
                DateKey::ForvaringEarliestPetition,
                DateKey::ForvaringFrameEnd
            ]
        );
    }

    #[test]
    fn an_expulsion_closes_frigang_home_serving_and_em_but_not_leave_or_parole() {
        let limits = Limits { expulsion: true };
        let closed: Vec<(Step, bool)> = plan(case, date(2025, 9, 26), limits)
            .iter()
            .map(|s| (s.step, s.closed.is_some()))
            .collect();
        assert_eq!(
            closed,
            vec![
                (Step::LowerSecurity, false),
                (Step::Leave, false),
                (Step::Frigang, true),
                (Step::ElectronicMonitoring, true),
                (Step::HomeServing, true),
                (Step::Parole, false),
                (Step::Release, false),
            ]
        );
        // The EM date 2025-10-22 falls in the week of 2025-10-16, but a closed step needs no
        // review: the week is empty.
        assert!(due(case, date(2025, 10, 16), 7, limits).is_empty());
    }
}
