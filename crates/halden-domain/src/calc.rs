//! The sentence engine: from a validated [`Case`] to its key dates, each with the rule behind it.
//!
//! The computation produces figures, not prose: every [`KeyDate`] carries a [`Derivation`] with
//! the numbers used, and [`crate::explain`] turns it into a sentence in English or bokmål when
//! someone reads it. That keeps a bulk recalculation free of string formatting.

use jiff::civil::Date;

use crate::{
    calendar::{
        CalendarLength, OutOfRange, add_days, add_months, add_months_to_day_number,
        checked_day_number, day_number, from_day_number, length_in_days, nth_day,
    },
    case::{Case, NonCountingInterval, PreventiveDetention, SentenceKind},
    law::{self, RuleId},
    policy::{
        ExpectedRelease, MonthAnchor, MonthConversion, Policy, ProportionalRounding, ThresholdBase,
    },
    validate::{FieldError, Warning, validate},
};

/// Why a calculation could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalcError {
    /// The input breaks the law or the contract; every problem is listed.
    Invalid(Vec<FieldError>),
}

impl std::fmt::Display for CalcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalcError::Invalid(errors) => {
                f.write_str("invalid case:")?;
                for error in errors {
                    write!(f, "\n  {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CalcError {}

/// Whether and how parole (prøveløslatelse, strgjfl § 42) applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParoleStatus {
    /// Parole after 2/3 and at least 60 days, leaving at least 14 days (R-PAR-1).
    Ordinary,
    /// Parole would leave fewer than 14 days: only for compelling reasons (R-PAR-2).
    ExceptionalOnly,
    /// No parole: the sentence is served in full (or nothing is left to serve).
    None,
}

impl ParoleStatus {
    /// The contract's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParoleStatus::Ordinary => "ordinary",
            ParoleStatus::ExceptionalOnly => "exceptional_only",
            ParoleStatus::None => "none",
        }
    }
}

/// The name of each key date in the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKey {
    /// End of sentence (endt straffetid), C-4.
    EndOfSentence,
    /// Parole eligibility, R-PAR-1.
    ParoleEligibility,
    /// End of the probation period, R-PAR-4.
    ProbationEnd,
    /// Back-door EM eligibility, R-EM-3.
    EmBackDoor,
    /// § 16 home serving, R-HOME-1.
    HomeServingS16,
    /// Ordinary leave, R-LEAVE-1.
    LeaveEligibility,
    /// Day release (frigang), R-FRIGANG-1.
    FrigangEligibility,
    /// Lower-security review, R-SEC-3.
    LowerSecurityReview,
    /// Forvaring minimum term end, R-FORV-3.
    ForvaringMinimumEnd,
    /// Forvaring frame end, R-FORV-1.
    ForvaringFrameEnd,
    /// Forvaring extension deadline, R-FORV-2.
    ForvaringExtensionDeadline,
    /// Forvaring earliest parole petition, R-FORV-4.
    ForvaringEarliestPetition,
    /// Forvaring leave eligibility, R-LEAVE-6.
    ForvaringLeaveEligibility,
}

impl DateKey {
    /// Every key date, in the order the output lists them.
    pub const ALL: [DateKey; 13] = [
        DateKey::EndOfSentence,
        DateKey::ParoleEligibility,
        DateKey::ProbationEnd,
        DateKey::EmBackDoor,
        DateKey::HomeServingS16,
        DateKey::LeaveEligibility,
        DateKey::FrigangEligibility,
        DateKey::LowerSecurityReview,
        DateKey::ForvaringMinimumEnd,
        DateKey::ForvaringFrameEnd,
        DateKey::ForvaringExtensionDeadline,
        DateKey::ForvaringEarliestPetition,
        DateKey::ForvaringLeaveEligibility,
    ];

    /// Parses the contract's key.
    ///
    /// ```
    /// use halden_domain::calc::DateKey;
    /// assert_eq!(DateKey::parse("parole_eligibility"), Some(DateKey::ParoleEligibility));
    /// assert_eq!(DateKey::parse("parole"), None);
    /// ```
    pub fn parse(text: &str) -> Option<DateKey> {
        DateKey::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The contract's key.
    pub const fn as_str(self) -> &'static str {
        match self {
            DateKey::EndOfSentence => "end_of_sentence",
            DateKey::ParoleEligibility => "parole_eligibility",
            DateKey::ProbationEnd => "probation_end",
            DateKey::EmBackDoor => "em_back_door",
            DateKey::HomeServingS16 => "home_serving_s16",
            DateKey::LeaveEligibility => "leave_eligibility",
            DateKey::FrigangEligibility => "frigang_eligibility",
            DateKey::LowerSecurityReview => "lower_security_review",
            DateKey::ForvaringMinimumEnd => "forvaring_minimum_end",
            DateKey::ForvaringFrameEnd => "forvaring_frame_end",
            DateKey::ForvaringExtensionDeadline => "forvaring_extension_deadline",
            DateKey::ForvaringEarliestPetition => "forvaring_earliest_petition",
            DateKey::ForvaringLeaveEligibility => "forvaring_leave_eligibility",
        }
    }

    /// A short label in English and bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            DateKey::EndOfSentence => ("End of sentence", "Endt straffetid"),
            DateKey::ParoleEligibility => ("Parole eligibility", "Prøveløslatelse tidligst"),
            DateKey::ProbationEnd => ("End of probation", "Prøvetiden utløper"),
            DateKey::EmBackDoor => ("EM (back door) from", "Elektronisk kontroll (bakdør) fra"),
            DateKey::HomeServingS16 => ("§ 16 home serving from", "§ 16-soning fra"),
            DateKey::LeaveEligibility => ("Ordinary leave from", "Ordinær permisjon fra"),
            DateKey::FrigangEligibility => ("Day release (frigang) from", "Frigang fra"),
            DateKey::LowerSecurityReview => {
                ("Lower-security review", "Vurdering av lavere sikkerhet")
            }
            DateKey::ForvaringMinimumEnd => (
                "Forvaring: minimum term ends",
                "Forvaring: minstetid utløper",
            ),
            DateKey::ForvaringFrameEnd => {
                ("Forvaring: time frame ends", "Forvaring: tidsramme utløper")
            }
            DateKey::ForvaringExtensionDeadline => (
                "Forvaring: extension case by",
                "Forvaring: forlengelsessak senest",
            ),
            DateKey::ForvaringEarliestPetition => (
                "Forvaring: earliest parole petition",
                "Forvaring: tidligste begjæring om løslatelse",
            ),
            DateKey::ForvaringLeaveEligibility => {
                ("Forvaring: leave from", "Forvaring: permisjon fra")
            }
        }
    }
}

/// "Day k counted from the effective start" (admission − remand deduction, C-3): the figures
/// behind most dates.
///
/// Dates are kept as day numbers (see [`crate::calendar::day_number`]): the engine turns into a
/// [`Date`] only what it outputs ([`KeyDate::date`]), and [`crate::explain`] the rest when it
/// renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    /// The day number k (day 1 = effective start, C-2).
    pub k: i32,
    /// The day number of day k before non-counting days: `effective_start + k − 1`.
    pub unshifted_day_number: i32,
    /// Non-counting days that moved the date later (R-CALC-5).
    pub non_counting_days: i32,
    /// The date was before admission and moved to it ("eligible from start", C-5).
    pub moved_to_admission: bool,
    /// The day number of the resulting date; always within the calendar's range.
    pub day_number: i32,
}

impl DayCount {
    /// The resulting date.
    ///
    /// # Errors
    ///
    /// [`OutOfRange`] only for a `DayCount` not made by the engine, whose day numbers are checked.
    pub fn date(&self) -> Result<Date, OutOfRange> {
        from_day_number(self.day_number)
    }

    /// The date of day k before non-counting days and before any move to admission (the resulting
    /// date when that day lies outside the calendar's range).
    ///
    /// # Errors
    ///
    /// As [`DayCount::date`].
    pub fn unshifted(&self) -> Result<Date, OutOfRange> {
        from_day_number(self.unshifted_day_number).or_else(|OutOfRange| self.date())
    }
}

/// How a date was reached: the rule's arithmetic with its actual figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// C-4: day T.
    EndOfSentence {
        /// Day T.
        count: DayCount,
    },
    /// R-PAR-1 / C-5: day P with `P = max(ceil(2B/3), 60) + F`.
    Parole {
        /// The base B of the 2/3 fraction.
        base: i32,
        /// ceil(2B/3).
        two_thirds: i32,
        /// For a transferred sentence over 21 years: 14 years in days (R-PAR-6).
        foreign_cap: Option<i32>,
        /// Fine-default days served in full on top (R-CALC-4).
        fine_days: i32,
        /// Day P.
        count: DayCount,
        /// Days from the parole date to the end date.
        remaining: i32,
        /// The resulting status.
        status: ParoleStatus,
    },
    /// R-PAR-4: the end of the sentence.
    ProbationEnd {
        /// The end date it equals.
        end: Date,
    },
    /// R-EM-3: `max(expected release − L months, day ceil(B/3))`.
    EmBackDoor {
        /// The expected release date X.
        expected_release: Date,
        /// Whether X is the parole date (otherwise the end date).
        expected_is_parole: bool,
        /// L, the limit in force on the decision date.
        limit_months: u32,
        /// X − L months.
        limit_date: Date,
        /// The base B.
        base: i32,
        /// Day ceil(B/3).
        third: DayCount,
        /// The date moved to admission.
        moved_to_admission: bool,
    },
    /// C-6: day ceil(B·f) (R-HOME-1).
    Fraction {
        /// The fraction f.
        fraction: law::Fraction,
        /// The base B.
        base: i32,
        /// Day ceil(B·f).
        count: DayCount,
    },
    /// R-LEAVE-1: day max(ceil(B/3), minimum days), capped for long sentences under R-LEAVE-1b.
    Leave {
        /// The base B.
        base: i32,
        /// ceil(B/3).
        third: i32,
        /// The policy's minimum days (Q6).
        min_days: i32,
        /// 4 years in days when the 12-year cap applied.
        cap: Option<i32>,
        /// The day reached.
        count: DayCount,
    },
    /// R-FRIGANG-1: day max(ceil(B/3), 4 months in days).
    Frigang {
        /// The base B.
        base: i32,
        /// ceil(B/3).
        third: i32,
        /// 4 months in days.
        four_months: i32,
        /// The day reached.
        count: DayCount,
    },
    /// R-SEC-3: parole date − 12 months.
    LowerSecurityReview {
        /// The parole date.
        parole: Date,
        /// Parole − 12 months.
        raw: Date,
        /// Moved to admission.
        moved_to_admission: bool,
    },
    /// R-FORV-1/3: day N of a length in years counted from the effective start.
    ForvaringLength {
        /// Years.
        years: u32,
        /// The length in days.
        days: i32,
        /// Day N.
        count: DayCount,
    },
    /// R-FORV-2: frame end − 3 months.
    ForvaringExtension {
        /// The frame end.
        frame_end: Date,
    },
    /// R-FORV-4: final judgment + 1 year.
    ForvaringPetition {
        /// When the judgment became final.
        judgment_final: Date,
    },
    /// R-LEAVE-6: day ceil(2M/3) of the minimum term.
    ForvaringLeave {
        /// The minimum term in days.
        minimum_days: i32,
        /// The day reached.
        count: DayCount,
    },
}

/// One computed date with its rule and derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDate {
    /// The date.
    pub date: Date,
    /// The rule it applies.
    pub rule: RuleId,
    /// The figures.
    pub derivation: Derivation,
}

impl KeyDate {
    /// The statute reference in force for this case: the rule's §, or for EM the provision in
    /// force on the decision date (§ 16 second paragraph before 2020-09-01, § 16 a from then).
    pub fn reference(&self) -> &'static str {
        match self.derivation {
            Derivation::EmBackDoor { limit_months, .. } => {
                law::em_reference_for_limit(limit_months)
            }
            _ => self.rule.reference(),
        }
    }
}

/// Every key date of a case; each is present when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyDates {
    /// C-4.
    pub end_of_sentence: Option<KeyDate>,
    /// R-PAR-1.
    pub parole_eligibility: Option<KeyDate>,
    /// R-PAR-4.
    pub probation_end: Option<KeyDate>,
    /// R-EM-3.
    pub em_back_door: Option<KeyDate>,
    /// R-HOME-1.
    pub home_serving_s16: Option<KeyDate>,
    /// R-LEAVE-1.
    pub leave_eligibility: Option<KeyDate>,
    /// R-FRIGANG-1.
    pub frigang_eligibility: Option<KeyDate>,
    /// R-SEC-3.
    pub lower_security_review: Option<KeyDate>,
    /// R-FORV-3.
    pub forvaring_minimum_end: Option<KeyDate>,
    /// R-FORV-1.
    pub forvaring_frame_end: Option<KeyDate>,
    /// R-FORV-2.
    pub forvaring_extension_deadline: Option<KeyDate>,
    /// R-FORV-4.
    pub forvaring_earliest_petition: Option<KeyDate>,
    /// R-LEAVE-6.
    pub forvaring_leave_eligibility: Option<KeyDate>,
}

impl KeyDates {
    /// The present dates in contract order.
    pub fn iter(&self) -> impl Iterator<Item = (DateKey, &KeyDate)> {
        [
            (DateKey::EndOfSentence, &self.end_of_sentence),
            (DateKey::ParoleEligibility, &self.parole_eligibility),
            (DateKey::ProbationEnd, &self.probation_end),
            (DateKey::EmBackDoor, &self.em_back_door),
            (DateKey::HomeServingS16, &self.home_serving_s16),
            (DateKey::LeaveEligibility, &self.leave_eligibility),
            (DateKey::FrigangEligibility, &self.frigang_eligibility),
            (DateKey::LowerSecurityReview, &self.lower_security_review),
            (DateKey::ForvaringMinimumEnd, &self.forvaring_minimum_end),
            (DateKey::ForvaringFrameEnd, &self.forvaring_frame_end),
            (
                DateKey::ForvaringExtensionDeadline,
                &self.forvaring_extension_deadline,
            ),
            (
                DateKey::ForvaringEarliestPetition,
                &self.forvaring_earliest_petition,
            ),
            (
                DateKey::ForvaringLeaveEligibility,
                &self.forvaring_leave_eligibility,
            ),
        ]
        .into_iter()
        .filter_map(|(key, date)| date.as_ref().map(|d| (key, d)))
    }

    /// The date under `key`, if present.
    pub fn get(&self, key: DateKey) -> Option<&KeyDate> {
        self.iter().find(|(k, _)| *k == key).map(|(_, d)| d)
    }
}

/// How the aggregate term T was formed (R-CALC-2, C-1, C-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermBreakdown {
    /// The anchor for month conversion (admission, or the effective start under Q2's alternative).
    pub anchor: Date,
    /// All year and month parts, summed separately (R-CALC-2).
    pub length: CalendarLength,
    /// Those months in days from the anchor.
    pub months_in_days: i32,
    /// All day parts, summed (fine-default days included).
    pub days: i32,
    /// Fine-default days within T (R-CALC-4).
    pub fine_days: i32,
    /// T.
    pub total: i32,
    /// The fraction base B (Q17), excluding fine-default days.
    pub base: i32,
    /// A transferred foreign sentence over 21 years is part of T (R-PAR-6).
    pub long_foreign_transfer: bool,
    /// How many sentences make up T.
    pub sentence_count: usize,
}

/// A proportionally reduced figure: `value × numerator / denominator` kept exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactFraction {
    /// Numerator, reduced.
    pub numerator: u64,
    /// Denominator, reduced; never zero.
    pub denominator: u64,
}

impl ExactFraction {
    fn new(numerator: u64, denominator: u64) -> ExactFraction {
        let g = gcd(numerator, denominator).max(1);
        ExactFraction {
            numerator: numerator / g,
            denominator: (denominator / g).max(1),
        }
    }

    /// Rounded by the Q8 policy.
    pub fn rounded(self, rounding: ProportionalRounding) -> u64 {
        match rounding {
            ProportionalRounding::FavourConvicted => self.numerator / self.denominator,
            ProportionalRounding::Nearest => {
                (2 * self.numerator + self.denominator) / (2 * self.denominator)
            }
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// R-SAMF-4: the community sentence after the remand deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityReduction {
    /// Imposed hours.
    pub hours: u32,
    /// Imposed alternative imprisonment in days.
    pub alternative_days: i32,
    /// Imposed execution period in days.
    pub execution_period_days: i32,
    /// The part of the remand deduction left for the community sentence after the prison part.
    pub deduction_days: i32,
    /// alt' = max(alt − deduction, 0).
    pub reduced_alternative_days: i32,
    /// hours × alt' / alt, exact.
    pub reduced_hours: ExactFraction,
    /// execution period × alt' / alt, exact.
    pub reduced_execution_period: ExactFraction,
    /// The rounding applied (Q8).
    pub rounding: ProportionalRounding,
}

/// R-YOUTH-3: the youth sentence's execution period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YouthSentenceDates {
    /// The execution period in months.
    pub months: u32,
    /// In days from admission.
    pub days: i32,
    /// The last day of the execution period.
    pub end: Date,
}

/// R-INNK-1 and R-QUEUE-1, from the date the judgment was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummonsDates {
    /// When the correctional service received the judgment.
    pub received: Date,
    /// The latest serving start: received + 60 days.
    pub latest_start: Date,
    /// The latest day the summons may arrive for that start: 3 weeks earlier.
    pub latest_summons: Date,
    /// Counted in the serving queue from this day if not started (received + 2 months + 1 day).
    pub queue_from: Date,
}

/// R-SEC-2: direct-placement hints to be considered (never enforced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlacementHints {
    /// T ≤ 2 years: consider direct placement in lower security.
    pub consider_lower_security: bool,
    /// T ≤ 1 year: consider direct placement in a halfway house.
    pub consider_halfway_house: bool,
    /// 2 years from admission in days.
    pub two_years_days: i32,
    /// 1 year from admission in days.
    pub one_year_days: i32,
}

/// The result of a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calculation {
    /// T, the aggregate term in days (R-CALC-2).
    pub term_days: i32,
    /// max(T − R, 0).
    pub to_serve_days: i32,
    /// Nothing remains to serve.
    pub nothing_to_serve: bool,
    /// Parole status.
    pub parole: ParoleStatus,
    /// Front-door EM eligibility (R-EM-2).
    pub em_front_door_eligible: bool,
    /// The EM limit in months applied (R-EM-1).
    pub em_limit_months: u32,
    /// The key dates.
    pub dates: KeyDates,
    /// How T was formed.
    pub term: TermBreakdown,
    /// Admission (A).
    pub admission: Date,
    /// The remand deduction (R).
    pub remand_deduction_days: i32,
    /// The statute for the deduction in force on the decision date (R-CALC-3).
    pub remand_reference: &'static str,
    /// R-SAMF-4.
    pub community: Option<CommunityReduction>,
    /// R-YOUTH-3.
    pub youth: Option<YouthSentenceDates>,
    /// R-INNK-1 / R-QUEUE-1.
    pub summons: Option<SummonsDates>,
    /// R-SEC-2.
    pub placement: PlacementHints,
    /// Points to look at.
    pub warnings: Vec<Warning>,
    /// The policy used.
    pub policy: Policy,
}

/// Validates and computes. See `docs/calculation.md` for every formula.
///
/// # Errors
///
/// [`CalcError::Invalid`] with every problem found, each naming its field.
pub fn calculate(case: &Case) -> Result<Calculation, CalcError> {
    calculate_under(case, &RuleVersion::IN_FORCE)
}

/// A version of the rules other than the law in force: what a proposed change of law would make
/// of a case. Used by the population simulator's policy what-ifs (STATISTICS.md §4: "parole
/// fraction (e.g. 1/2) … as new rule versions in the engine"); the register and the API always
/// compute under [`RuleVersion::IN_FORCE`].
///
/// Only the parole fraction varies for now. Under another fraction the parole date's derivation
/// still reads `two_thirds` for the threshold `ceil(B·f)` it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleVersion {
    /// The fraction of the base to serve before parole (R-PAR-1: 2/3); `None` = no parole at all
    /// (every sentence served in full). The 60-day minimum and the 14-day remainder (R-PAR-1/2)
    /// apply under any fraction.
    pub parole_fraction: Option<law::Fraction>,
}

impl RuleVersion {
    /// The law in force.
    pub const IN_FORCE: RuleVersion = RuleVersion {
        parole_fraction: Some(law::PAROLE_FRACTION),
    };
}

impl Default for RuleVersion {
    fn default() -> RuleVersion {
        RuleVersion::IN_FORCE
    }
}

/// [`calculate`] under a rule version other than the law in force (see [`RuleVersion`]).
///
/// # Errors
///
/// As [`calculate`].
pub fn calculate_under(case: &Case, rules: &RuleVersion) -> Result<Calculation, CalcError> {
    let findings = validate(case);
    if !findings.errors.is_empty() {
        return Err(CalcError::Invalid(findings.errors));
    }
    compute(case, rules, findings.warnings).map_err(|OutOfRange| {
        CalcError::Invalid(vec![FieldError::bilingual(
            "admission",
            None,
            "the dates of this case fall outside the supported calendar range (years -9999 to 9999)",
            "datoene i saken ligger utenfor kalenderen som støttes (år -9999 til 9999)",
        )])
    })
}

/// Counting days from the effective start, with non-counting intervals (R-CALC-5), in day numbers.
struct Counter {
    admission: Date,
    admission_day: i32,
    effective_start_day: i32,
    intervals: Intervals,
}

impl Counter {
    /// Day k, moved by non-counting days; not before admission when `eligibility` (C-5).
    fn day(&self, k: i32, eligibility: bool) -> Result<DayCount, OutOfRange> {
        let unshifted = self
            .effective_start_day
            .checked_add(k.checked_sub(1).ok_or(OutOfRange)?)
            .ok_or(OutOfRange)?;
        if eligibility && unshifted < self.admission_day {
            return Ok(DayCount {
                k,
                unshifted_day_number: unshifted,
                non_counting_days: 0,
                moved_to_admission: true,
                day_number: self.admission_day,
            });
        }
        let (day, non_counting_days) = self.shift(unshifted)?;
        Ok(DayCount {
            k,
            unshifted_day_number: unshifted,
            non_counting_days,
            moved_to_admission: false,
            day_number: checked_day_number(day)?,
        })
    }

    /// The date of a count made by [`Counter::day`].
    fn date(&self, count: &DayCount) -> Result<Date, OutOfRange> {
        if count.moved_to_admission {
            Ok(self.admission)
        } else {
            count.date()
        }
    }

    /// Moves day number `day` later by every interval starting on or before it.
    fn shift(&self, mut day: i32) -> Result<(i32, i32), OutOfRange> {
        let mut added = 0;
        for &(from, length) in self.intervals.as_slice() {
            if from <= day {
                day = day.checked_add(length).ok_or(OutOfRange)?;
                added += length;
            }
        }
        Ok((day, added))
    }
}

/// How many non-counting intervals [`Intervals`] holds without allocating.
const INLINE_INTERVALS: usize = 4;

/// A case's non-counting intervals as (first day number, length in days), in date order. The
/// usual few are held inline, so that a calculation allocates nothing for them.
enum Intervals {
    /// Up to [`INLINE_INTERVALS`]: the first `len` of `items`.
    Inline {
        len: usize,
        items: [(i32, i32); INLINE_INTERVALS],
    },
    /// More than that.
    Heap(Vec<(i32, i32)>),
}

impl Intervals {
    /// The intervals of a case, sorted; validation guarantees they do not overlap.
    fn of(intervals: &[NonCountingInterval]) -> Intervals {
        let in_days = |interval: &NonCountingInterval| {
            let from = day_number(interval.from);
            (from, day_number(interval.to) - from + 1)
        };
        let mut result = if intervals.len() <= INLINE_INTERVALS {
            let mut items = [(0, 0); INLINE_INTERVALS];
            for (item, interval) in items.iter_mut().zip(intervals) {
                *item = in_days(interval);
            }
            Intervals::Inline {
                len: intervals.len(),
                items,
            }
        } else {
            Intervals::Heap(intervals.iter().map(in_days).collect())
        };
        result.as_mut_slice().sort_unstable();
        result
    }

    fn as_slice(&self) -> &[(i32, i32)] {
        match self {
            Intervals::Inline { len, items } => &items[..*len],
            Intervals::Heap(items) => items,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [(i32, i32)] {
        match self {
            Intervals::Inline { len, items } => &mut items[..*len],
            Intervals::Heap(items) => items,
        }
    }
}

fn compute(
    case: &Case,
    rules: &RuleVersion,
    warnings: Vec<Warning>,
) -> Result<Calculation, OutOfRange> {
    let policy = case.policy;
    let admission = case.admission;
    let admission_day = day_number(admission);
    let remand = case.remand_deduction_days as i32;
    // C-3: the effective start, admission − remand deduction.
    let effective_start_day =
        checked_day_number(admission_day.checked_sub(remand).ok_or(OutOfRange)?)?;
    let anchor = match policy.month_anchor {
        MonthAnchor::AdmissionDate => admission,
        MonthAnchor::RemandAdjustedStart => from_day_number(effective_start_day)?,
    };
    let months = MonthsToDays {
        anchor,
        anchor_day: day_number(anchor),
        conversion: policy.month_conversion,
    };

    let term = aggregate_term(case, &months)?;
    let t = term.total;
    let to_serve = if case.deemed_served {
        0
    } else {
        (t - remand).max(0)
    };

    let counter = Counter {
        admission,
        admission_day,
        effective_start_day,
        intervals: Intervals::of(&case.non_counting),
    };
    let em_limit = law::em_limit_months(case.decision_date);

    let mut dates = KeyDates::default();
    let PrisonOutcome {
        mut parole,
        em_front_door,
        placement,
    } = if t > 0 {
        prison_dates(
            case, rules, &term, to_serve, em_limit, &counter, &months, &mut dates,
        )?
    } else {
        PrisonOutcome::NONE
    };
    if let Some(pd) = case.preventive_detention {
        forvaring_dates(pd, &counter, &months, &mut dates)?;
    }

    let community = match case.community_sentence {
        Some(community) => {
            let alternative = community
                .alternative
                .in_days(anchor, policy.month_conversion)?;
            let execution = community
                .execution_period
                .in_days(anchor, policy.month_conversion)?;
            // R-REM-6: the deduction goes to the prison part first.
            let deduction = if t > 0 { (remand - t).max(0) } else { remand };
            let reduced = (alternative - deduction).max(0);
            let denominator = alternative.max(1) as u64;
            Some(CommunityReduction {
                hours: community.hours,
                alternative_days: alternative,
                execution_period_days: execution,
                deduction_days: deduction,
                reduced_alternative_days: reduced,
                reduced_hours: ExactFraction::new(
                    u64::from(community.hours) * reduced as u64,
                    denominator,
                ),
                reduced_execution_period: ExactFraction::new(
                    execution as u64 * reduced as u64,
                    denominator,
                ),
                rounding: policy.proportional_rounding,
            })
        }
        None => None,
    };

    let youth = match case.youth_sentence {
        Some(youth) => {
            let days = months.days(CalendarLength::months(youth.execution_period_months))?;
            Some(YouthSentenceDates {
                months: youth.execution_period_months,
                days,
                end: nth_day(admission, days)?,
            })
        }
        None => None,
    };

    let summons = match case.received {
        Some(received) => {
            let latest_start = crate::queue::checked_latest_start(received)?;
            Some(SummonsDates {
                received,
                latest_start,
                latest_summons: add_days(latest_start, -law::SUMMONS_NOTICE_DAYS)?,
                // STATISTICS.md's QUEUE: counted on D when r + 2 months ≤ D.
                queue_from: crate::queue::counted_from(received),
            })
        }
        None => None,
    };

    let community_left = community.is_some_and(|c| c.reduced_alternative_days > 0);
    let nothing_to_serve = case.deemed_served
        || (to_serve == 0
            && case.preventive_detention.is_none()
            && !community_left
            && case.youth_sentence.is_none());
    if case.deemed_served {
        parole = ParoleStatus::None;
    }

    Ok(Calculation {
        term_days: t,
        to_serve_days: to_serve,
        nothing_to_serve,
        parole,
        em_front_door_eligible: em_front_door && !nothing_to_serve,
        em_limit_months: em_limit,
        dates,
        term,
        admission,
        remand_deduction_days: remand,
        remand_reference: law::remand_deduction_reference(case.decision_date),
        community,
        youth,
        summons,
        placement,
        warnings,
        policy,
    })
}

/// What the prison term decides besides its key dates.
struct PrisonOutcome {
    parole: ParoleStatus,
    em_front_door: bool,
    placement: PlacementHints,
}

impl PrisonOutcome {
    /// No prison term to serve.
    const NONE: PrisonOutcome = PrisonOutcome {
        parole: ParoleStatus::None,
        em_front_door: false,
        placement: PlacementHints {
            consider_lower_security: false,
            consider_halfway_house: false,
            two_years_days: 0,
            one_year_days: 0,
        },
    };
}

/// The key dates of a prison term T > 0 (C-4 and the fractions of B), written into `dates`.
///
/// Kept out of line on purpose: `dates` then stays in memory, so each date is stored once as it is
/// computed and the whole set reaches the result in one block copy. Inlined into [`compute`], the
/// dates' fields are held in registers and stack slots across the computation and copied into the
/// result one by one, which measured about 5 % slower on a full key-date set (see the benchmark).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn prison_dates(
    case: &Case,
    rules: &RuleVersion,
    term: &TermBreakdown,
    to_serve: i32,
    em_limit: u32,
    counter: &Counter,
    months: &MonthsToDays,
    dates: &mut KeyDates,
) -> Result<PrisonOutcome, OutOfRange> {
    let policy = case.policy;
    let admission = case.admission;
    let t = term.total;
    let end = counter.day(t, false)?;
    let end_date = counter.date(&end)?;
    dates.end_of_sentence = Some(KeyDate {
        date: end_date,
        rule: RuleId::C4,
        derivation: Derivation::EndOfSentence { count: end },
    });
    if to_serve <= 0 {
        return Ok(PrisonOutcome::NONE);
    }

    let base = term.base;
    let third_k = law::ONE_THIRD.ceil_of(base);

    // Parole (R-PAR-1, C-5, R-PAR-2, R-PAR-6).
    let mut parole = ParoleStatus::None;
    let mut parole_date = None;
    let parolable = t - term.fine_days;
    if let (true, Some(fraction)) = (parolable > 0, rules.parole_fraction) {
        let two_thirds = fraction.ceil_of(base);
        let foreign_cap = if term.long_foreign_transfer {
            Some(months.days(CalendarLength::years(law::FOREIGN_PAROLE_YEARS))?)
        } else {
            None
        };
        let threshold = foreign_cap.map_or(two_thirds, |cap| two_thirds.min(cap));
        let p = threshold.max(law::PAROLE_MINIMUM_DAYS) + term.fine_days;
        if p < t {
            let count = counter.day(p, true)?;
            let date = counter.date(&count)?;
            let remaining = end.day_number - count.day_number;
            parole = if remaining < law::PAROLE_MINIMUM_REMAINDER_DAYS {
                ParoleStatus::ExceptionalOnly
            } else {
                ParoleStatus::Ordinary
            };
            let rule = match (parole, foreign_cap) {
                (ParoleStatus::ExceptionalOnly, _) => RuleId::Par2,
                (_, Some(_)) => RuleId::Par6,
                _ => RuleId::Par1,
            };
            dates.parole_eligibility = Some(KeyDate {
                date,
                rule,
                derivation: Derivation::Parole {
                    base,
                    two_thirds,
                    foreign_cap,
                    fine_days: term.fine_days,
                    count,
                    remaining,
                    status: parole,
                },
            });
            dates.probation_end = Some(KeyDate {
                date: end_date,
                rule: RuleId::Par4,
                derivation: Derivation::ProbationEnd { end: end_date },
            });
            parole_date = Some(date);
        }
    }

    // Front-door EM (R-EM-2, R-EM-1).
    let em_limit_days = months.days(CalendarLength::months(em_limit))?;
    let em_front_door = case.unfit_to_serve || t <= em_limit_days;

    // Back-door EM (R-EM-3, Q16).
    let (expected_release, expected_is_parole) =
        match (parole, parole_date, policy.expected_release) {
            (ParoleStatus::Ordinary, Some(p), ExpectedRelease::ParoleDateIfEligible) => (p, true),
            _ => (end_date, false),
        };
    let limit_date = add_months(expected_release, -i64::from(em_limit))?;
    let limit_day = day_number(limit_date);
    let third = counter.day(third_k, false)?;
    // The later of the two, but not before admission.
    let moved_to_admission = limit_day.max(third.day_number) < counter.admission_day;
    let em_date = if moved_to_admission {
        admission
    } else if limit_day >= third.day_number {
        limit_date
    } else {
        counter.date(&third)?
    };
    dates.em_back_door = Some(KeyDate {
        date: em_date,
        rule: RuleId::Em3,
        derivation: Derivation::EmBackDoor {
            expected_release,
            expected_is_parole,
            limit_months: em_limit,
            limit_date,
            base,
            third,
            moved_to_admission,
        },
    });

    // § 16 home serving (R-HOME-1, C-6).
    let half = counter.day(law::ONE_HALF.ceil_of(base), true)?;
    dates.home_serving_s16 = Some(KeyDate {
        date: counter.date(&half)?,
        rule: RuleId::Home1,
        derivation: Derivation::Fraction {
            fraction: law::ONE_HALF,
            base,
            count: half,
        },
    });

    // Ordinary leave (R-LEAVE-1, Q6).
    let min_days = i32::try_from(policy.leave_min_days).unwrap_or(i32::MAX);
    let mut leave_k = third_k.max(min_days);
    let mut cap = None;
    if policy.leave_long_sentence_cap
        && base > months.days(CalendarLength::years(law::LEAVE_LONG_SENTENCE_YEARS))?
    {
        let four_years = months.days(CalendarLength::years(law::LEAVE_LONG_SENTENCE_CAP_YEARS))?;
        leave_k = leave_k.min(four_years);
        cap = Some(four_years);
    }
    let leave = counter.day(leave_k, true)?;
    if leave.day_number <= end.day_number {
        let rule = if min_days > 0 || cap.is_some() {
            RuleId::Leave1b
        } else {
            RuleId::Leave1
        };
        dates.leave_eligibility = Some(KeyDate {
            date: counter.date(&leave)?,
            rule,
            derivation: Derivation::Leave {
                base,
                third: third_k,
                min_days,
                cap,
                count: leave,
            },
        });
    }

    // Frigang (R-FRIGANG-1).
    let four_months = months.days(CalendarLength::months(law::FRIGANG_MINIMUM_MONTHS))?;
    let frigang = counter.day(third_k.max(four_months), true)?;
    if frigang.day_number <= end.day_number {
        dates.frigang_eligibility = Some(KeyDate {
            date: counter.date(&frigang)?,
            rule: RuleId::Frigang1,
            derivation: Derivation::Frigang {
                base,
                third: third_k,
                four_months,
                count: frigang,
            },
        });
    }

    // Lower-security review (R-SEC-3).
    if let (ParoleStatus::Ordinary, Some(parole_date)) = (parole, parole_date) {
        let raw = add_months(parole_date, -i64::from(law::LOWER_SECURITY_REVIEW_MONTHS))?;
        dates.lower_security_review = Some(KeyDate {
            date: raw.max(admission),
            rule: RuleId::Sec3,
            derivation: Derivation::LowerSecurityReview {
                parole: parole_date,
                raw,
                moved_to_admission: raw < admission,
            },
        });
    }

    // Direct placement hints (R-SEC-2).
    let two_years_days = months.days(CalendarLength::years(law::DIRECT_LOWER_SECURITY_YEARS))?;
    let one_year_days = months.days(CalendarLength::years(law::DIRECT_HALFWAY_HOUSE_YEARS))?;
    let placement = PlacementHints {
        consider_lower_security: t <= two_years_days,
        consider_halfway_house: t <= one_year_days,
        two_years_days,
        one_year_days,
    };
    Ok(PrisonOutcome {
        parole,
        em_front_door,
        placement,
    })
}

/// The key dates of preventive detention (forvaring), written into `dates` as by
/// [`prison_dates`].
fn forvaring_dates(
    pd: PreventiveDetention,
    counter: &Counter,
    months: &MonthsToDays,
    dates: &mut KeyDates,
) -> Result<(), OutOfRange> {
    let frame_days = months.days(CalendarLength::years(pd.frame_years))?;
    let frame = counter.day(frame_days, false)?;
    let frame_date = counter.date(&frame)?;
    dates.forvaring_frame_end = Some(KeyDate {
        date: frame_date,
        rule: RuleId::Forv1,
        derivation: Derivation::ForvaringLength {
            years: pd.frame_years,
            days: frame_days,
            count: frame,
        },
    });
    let extension = add_months(
        frame_date,
        -i64::from(law::FORVARING_EXTENSION_NOTICE_MONTHS),
    )?;
    dates.forvaring_extension_deadline = Some(KeyDate {
        date: extension,
        rule: RuleId::Forv2,
        derivation: Derivation::ForvaringExtension {
            frame_end: frame_date,
        },
    });
    if let Some(minimum_years) = pd.minimum_years.filter(|&m| m > 0) {
        let minimum_days = months.days(CalendarLength::years(minimum_years))?;
        let minimum = counter.day(minimum_days, false)?;
        dates.forvaring_minimum_end = Some(KeyDate {
            date: counter.date(&minimum)?,
            rule: RuleId::Forv3,
            derivation: Derivation::ForvaringLength {
                years: minimum_years,
                days: minimum_days,
                count: minimum,
            },
        });
        let leave = counter.day(law::FORVARING_LEAVE_FRACTION.ceil_of(minimum_days), true)?;
        dates.forvaring_leave_eligibility = Some(KeyDate {
            date: counter.date(&leave)?,
            rule: RuleId::Leave6,
            derivation: Derivation::ForvaringLeave {
                minimum_days,
                count: leave,
            },
        });
    }
    if let Some(judgment_final) = pd.judgment_final {
        let petition = add_months(
            judgment_final,
            12 * i64::from(law::FORVARING_PETITION_YEARS),
        )?;
        dates.forvaring_earliest_petition = Some(KeyDate {
            date: petition,
            rule: RuleId::Forv4,
            derivation: Derivation::ForvaringPetition { judgment_final },
        });
    }
    Ok(())
}

/// Calendar lengths in days from the month anchor (C-1, C-7), or by fixed lengths (Q1).
struct MonthsToDays {
    anchor: Date,
    anchor_day: i32,
    conversion: MonthConversion,
}

impl MonthsToDays {
    /// `length` in days.
    fn days(&self, length: CalendarLength) -> Result<i32, OutOfRange> {
        match self.conversion {
            MonthConversion::Calendar => Ok(add_months_to_day_number(
                self.anchor,
                i64::from(length.total_months()),
            )? - self.anchor_day),
            MonthConversion::FixedLength => length_in_days(self.anchor, length, self.conversion),
        }
    }
}

/// R-CALC-2: months of all sentences summed and converted once from the anchor, days added.
fn aggregate_term(case: &Case, months: &MonthsToDays) -> Result<TermBreakdown, OutOfRange> {
    let mut length = CalendarLength::default();
    let mut days: i64 = 0;
    let mut fine_days: i64 = 0;
    let mut whole = CalendarLength::default();
    let mut whole_days: i64 = 0;
    let mut long_foreign_transfer = false;
    for sentence in &case.sentences {
        let executed = sentence.unconditional.unwrap_or(sentence.term);
        length = add_lengths(length, executed.calendar()).ok_or(OutOfRange)?;
        days += i64::from(executed.day_part());
        whole = add_lengths(whole, sentence.term.calendar()).ok_or(OutOfRange)?;
        whole_days += i64::from(sentence.term.day_part());
        match sentence.kind {
            SentenceKind::FineDefault => fine_days += i64::from(executed.day_part()),
            SentenceKind::ForeignTransfer => {
                let c = sentence.term.calendar();
                let over = c.total_months() > law::FOREIGN_LONG_SENTENCE_YEARS * 12
                    || (c.total_months() == law::FOREIGN_LONG_SENTENCE_YEARS * 12
                        && sentence.term.day_part() > 0);
                long_foreign_transfer |= over;
            }
            SentenceKind::Prison => {}
        }
    }
    let to_i32 = |v: i64| i32::try_from(v).map_err(|_| OutOfRange);
    let months_in_days = months.days(length)?;
    let total = months_in_days
        .checked_add(to_i32(days)?)
        .ok_or(OutOfRange)?;
    let fine_days = to_i32(fine_days)?;
    let base = match case.policy.threshold_base {
        ThresholdBase::UnconditionalPartOnly => total - fine_days,
        ThresholdBase::WholeSentence => {
            months
                .days(whole)?
                .checked_add(to_i32(whole_days)?)
                .ok_or(OutOfRange)?
                - fine_days
        }
    };
    Ok(TermBreakdown {
        anchor: months.anchor,
        length,
        months_in_days,
        days: to_i32(days)?,
        fine_days,
        total,
        base,
        long_foreign_transfer,
        sentence_count: case.sentences.len(),
    })
}

fn add_lengths(a: CalendarLength, b: CalendarLength) -> Option<CalendarLength> {
    Some(CalendarLength {
        years: a.years.checked_add(b.years)?,
        months: a.months.checked_add(b.months)?,
    })
}
