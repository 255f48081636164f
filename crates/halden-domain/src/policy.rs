//! Policy: every convention and open question of RULES.md as a named, documented choice.
//!
//! The defaults are RULES.md's recommended conventions. A computation records the policy it used,
//! so a stored result can always be explained and recomputed under the same choices.

/// Q1 — how a sentence in months and years becomes a number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MonthConversion {
    /// C-1 (default): calendar months from the anchor date, clamped to the month's last day
    /// (domstolloven § 148 (2) by analogy, strl § 13).
    #[default]
    Calendar,
    /// 30-day months and 365-day years (hinted by the Orderud figure, S35).
    FixedLength,
}

/// Q2 — where months are counted from when there is a remand deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MonthAnchor {
    /// C-7 (default): from the admission date; the deduction is then subtracted in days.
    #[default]
    AdmissionDate,
    /// From the remand-adjusted effective start (admission − deduction).
    RemandAdjustedStart,
}

/// Q3 — how a non-counting absence given with times of day becomes whole days.
///
/// The engine itself receives whole days (first and last day not counted); this policy is applied
/// by whoever turns recorded times into an interval, see
/// [`crate::case::NonCountingInterval::from_absence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NonCountingDays {
    /// Default (provisional, least burdensome): only days wholly absent are not counted.
    #[default]
    WholeDays,
    /// Every commenced day of absence is not counted.
    CommencedDays,
}

/// Q4 — moving release dates off weekends and holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReleaseDayShift {
    /// C-8 (default, and the only choice until a rule is found): dates are not moved.
    #[default]
    None,
}

/// Q5 — parole before two thirds for special reasons (R-PAR-7, historical).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EarlyParole {
    /// Default: not computed.
    #[default]
    Off,
}

/// Q8 — rounding of proportionally reduced community-sentence hours and execution period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProportionalRounding {
    /// Default (provisional): remaining hours and days are rounded down.
    #[default]
    FavourConvicted,
    /// Rounded to the nearest whole number, halves up.
    Nearest,
}

/// Q10 — a judgment that violates § 31's days/months form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JudgmentFormCheck {
    /// Default: an error for new entries (legacy imports and foreign transfers always get a
    /// warning only).
    #[default]
    Reject,
    /// A warning for every judgment.
    AcceptWithWarning,
    /// The term is not a judgment's but a length in days from statistics (the population
    /// simulator draws terms in days): § 31's days-or-months form is not checked, because there
    /// is no court's wording to check; the 14-day minimum and every other rule still are.
    StatisticalDays,
}

/// Q16 — "expected release" (forventet løslatelse) for back-door EM (R-EM-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedRelease {
    /// Default: the parole date when ordinary parole applies, otherwise the end date.
    #[default]
    ParoleDateIfEligible,
    /// Always the end date.
    EndDate,
}

/// Q17 — which term the fractions (2/3, 1/3, 1/2) of a partially suspended sentence apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdBase {
    /// Default (inference): only the unconditional part that is executed.
    #[default]
    UnconditionalPartOnly,
    /// The whole imposed sentence, suspended part included.
    WholeSentence,
}

/// Every policy choice the engine makes. `Policy::default()` is RULES.md's recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Q1 (C-1).
    pub month_conversion: MonthConversion,
    /// Q2 (C-7).
    pub month_anchor: MonthAnchor,
    /// Q3.
    pub non_counting_days: NonCountingDays,
    /// Q4 (C-8).
    pub release_day_shift: ReleaseDayShift,
    /// Q5 (R-PAR-7).
    pub early_parole: EarlyParole,
    /// Q6 (R-LEAVE-1 / 1b): least days served before ordinary leave; default 0 (1/3 only).
    pub leave_min_days: u32,
    /// Q6 (R-LEAVE-1b): sentences over 12 years reach leave after 4 years; default off.
    pub leave_long_sentence_cap: bool,
    /// Q8.
    pub proportional_rounding: ProportionalRounding,
    /// Q10.
    pub judgment_form_check: JudgmentFormCheck,
    /// Q16.
    pub expected_release: ExpectedRelease,
    /// Q17.
    pub threshold_base: ThresholdBase,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            month_conversion: MonthConversion::Calendar,
            month_anchor: MonthAnchor::AdmissionDate,
            non_counting_days: NonCountingDays::WholeDays,
            release_day_shift: ReleaseDayShift::None,
            early_parole: EarlyParole::Off,
            leave_min_days: 0,
            leave_long_sentence_cap: false,
            proportional_rounding: ProportionalRounding::FavourConvicted,
            judgment_form_check: JudgmentFormCheck::Reject,
            expected_release: ExpectedRelease::ParoleDateIfEligible,
            threshold_base: ThresholdBase::UnconditionalPartOnly,
        }
    }
}
