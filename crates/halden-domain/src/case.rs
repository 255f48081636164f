//! The input of a sentence calculation: one person's judgments and the facts of their custody.
//!
//! These are plain values. [`crate::validate`] checks them against the law and
//! [`crate::calc::calculate`] computes from them; neither reads a clock or a database.

use jiff::civil::{Date, DateTime};

use crate::{
    calendar::CalendarLength,
    policy::{NonCountingDays, Policy},
};

/// Everything the engine needs for one person's key dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// First day in custody for this execution (innsettelse); day 1 when there is no remand.
    pub admission: Date,
    /// The date whose law applies to date-effective rules (R-EM-1, R-CALC-3); never "today".
    pub decision_date: Date,
    /// The court's remand deduction (varetektsfradrag, strl § 83) in days; an input, never
    /// recomputed (R-REM-4).
    pub remand_deduction_days: u32,
    /// The penalty range class of the offences (strafferamme), which sets the maximum.
    pub offence_class: OffenceClass,
    /// Judgments served consecutively as one aggregate term (samlet straffetid, R-CALC-2).
    pub sentences: Vec<Sentence>,
    /// Preventive detention (forvaring), strl §§ 40–47.
    pub preventive_detention: Option<PreventiveDetention>,
    /// Community sentence (samfunnsstraff), strl §§ 48–53.
    pub community_sentence: Option<CommunitySentence>,
    /// Youth sentence (ungdomsstraff), strl §§ 52 a–c.
    pub youth_sentence: Option<YouthSentence>,
    /// Time not counted as sentence time (R-CALC-5).
    pub non_counting: Vec<NonCountingInterval>,
    /// Birth date, for the age checks of R-YOUTH-1/2.
    pub offender_birth_date: Option<Date>,
    /// Date of the (latest) offence, for the age checks.
    pub offence_date: Option<Date>,
    /// Permanently unfit to serve (varig soningsudyktig): exempt from the EM length limit (R-EM-2).
    pub unfit_to_serve: bool,
    /// The court deemed the sentence served by the remand (R-REM-5).
    pub deemed_served: bool,
    /// When the correctional service received the final judgment (R-INNK-1, R-QUEUE-1).
    pub received: Option<Date>,
    /// The policy choices for the open questions.
    pub policy: Policy,
}

impl Case {
    /// A case with the given admission date (also the decision date), no sentences and the
    /// default policy. Fill in the rest with struct update syntax.
    pub fn new(admission: Date) -> Case {
        Case {
            admission,
            decision_date: admission,
            remand_deduction_days: 0,
            offence_class: OffenceClass::Ordinary,
            sentences: Vec::new(),
            preventive_detention: None,
            community_sentence: None,
            youth_sentence: None,
            non_counting: Vec::new(),
            offender_birth_date: None,
            offence_date: None,
            unfit_to_serve: false,
            deemed_served: false,
            received: None,
            policy: Policy::default(),
        }
    }
}

/// The penalty range class (strafferamme), which sets the maximum sentence (R-LEN-2/3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffenceClass {
    /// 21 years.
    #[default]
    Ordinary,
    /// 26 years for several offences each with a range of 15 years or more (R-LEN-3; enactment
    /// unconfirmed, Q7).
    MultipleGrave,
    /// 30 years: genocide, crimes against humanity, grave war crimes, aggravated terrorism.
    Max30,
}

/// What a sentence in the aggregate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceKind {
    /// Imprisonment (fengsel), possibly partially suspended.
    Prison,
    /// Alternative imprisonment for an unpaid fine (subsidiær fengselsstraff), served in full.
    FineDefault,
    /// A foreign sentence transferred for execution in Norway (R-LEN-4).
    ForeignTransfer,
}

impl SentenceKind {
    /// The contract's name for the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            SentenceKind::Prison => "prison",
            SentenceKind::FineDefault => "fine_default",
            SentenceKind::ForeignTransfer => "foreign_transfer",
        }
    }
}

/// A term as the judgment writes it: in days, or in years and months (strl § 31), or — for a
/// foreign transfer — any mix. Each part is `None` when the judgment does not give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Term {
    /// Years, if given.
    pub years: Option<u32>,
    /// Months, if given.
    pub months: Option<u32>,
    /// Days, if given.
    pub days: Option<u32>,
}

impl Term {
    /// A term in days.
    pub const fn days(days: u32) -> Term {
        Term {
            years: None,
            months: None,
            days: Some(days),
        }
    }

    /// A term in years and months.
    pub const fn years_months(years: u32, months: u32) -> Term {
        Term {
            years: Some(years),
            months: Some(months),
            days: None,
        }
    }

    /// The calendar part (years and months; zero when absent).
    pub fn calendar(self) -> CalendarLength {
        CalendarLength {
            years: self.years.unwrap_or(0),
            months: self.months.unwrap_or(0),
        }
    }

    /// The day part (zero when absent).
    pub fn day_part(self) -> u32 {
        self.days.unwrap_or(0)
    }

    /// The term in days from `anchor`: its calendar part converted by `conversion` (C-1, Q1),
    /// plus its day part.
    ///
    /// # Errors
    ///
    /// [`crate::calendar::OutOfRange`] when the length leaves the calendar's range.
    pub fn in_days(
        self,
        anchor: Date,
        conversion: crate::policy::MonthConversion,
    ) -> Result<i32, crate::calendar::OutOfRange> {
        let days = i32::try_from(self.day_part()).map_err(|_| crate::calendar::OutOfRange)?;
        crate::calendar::length_in_days(anchor, self.calendar(), conversion)?
            .checked_add(days)
            .ok_or(crate::calendar::OutOfRange)
    }

    /// Whether years or months are given.
    pub fn has_calendar_part(self) -> bool {
        self.years.is_some() || self.months.is_some()
    }
}

/// One judgment's sentence within the aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// What it is.
    pub kind: SentenceKind,
    /// The imposed term.
    pub term: Term,
    /// For a partially suspended sentence (delvis betinget), the unconditional part executed.
    pub unconditional: Option<Term>,
    /// A legacy judgment imported from an older system: § 31 form errors become warnings (Q10).
    pub legacy: bool,
}

impl Sentence {
    /// An unconditional prison sentence.
    pub const fn prison(term: Term) -> Sentence {
        Sentence {
            kind: SentenceKind::Prison,
            term,
            unconditional: None,
            legacy: false,
        }
    }
}

/// Preventive detention (forvaring), strl § 43.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreventiveDetention {
    /// The time frame (tidsramme) in years.
    pub frame_years: u32,
    /// The minimum term (minstetid) in years, if the court fixed one.
    pub minimum_years: Option<u32>,
    /// When the judgment became final (rettskraftig), for the earliest parole petition (R-FORV-4).
    pub judgment_final: Option<Date>,
    /// The offender was under 18 at the time of the act (R-FORV-1 youth limits).
    pub under_18_at_offence: bool,
}

/// Community sentence (samfunnsstraff), strl § 49.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunitySentence {
    /// Hours of community service, 30–420.
    pub hours: u32,
    /// The alternative prison sentence (subsidiær fengselsstraff).
    pub alternative: Term,
    /// The execution period (gjennomføringstid).
    pub execution_period: Term,
}

/// Youth sentence (ungdomsstraff), strl § 52 b.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YouthSentence {
    /// The execution period in months (6–24, up to 36).
    pub execution_period_months: u32,
    /// The alternative prison sentence.
    pub alternative: Term,
}

/// Why a period is not counted as sentence time (R-CALC-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonCountingReason {
    /// Escape (rømning).
    Escape,
    /// Evasion (unndragelse).
    Evasion,
    /// Failure to return from lawful absence such as leave.
    FailureToReturn,
    /// Interruption granted under strgjfl § 35 (straffavbrudd).
    Interruption,
    /// Transferred to remand in another case.
    RemandOtherCase,
    /// Transferred to another sanction.
    OtherSanction,
}

impl NonCountingReason {
    /// Every reason, for parsing and documentation.
    pub const ALL: [NonCountingReason; 6] = [
        NonCountingReason::Escape,
        NonCountingReason::Evasion,
        NonCountingReason::FailureToReturn,
        NonCountingReason::Interruption,
        NonCountingReason::RemandOtherCase,
        NonCountingReason::OtherSanction,
    ];

    /// The contract's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            NonCountingReason::Escape => "escape",
            NonCountingReason::Evasion => "evasion",
            NonCountingReason::FailureToReturn => "failure_to_return",
            NonCountingReason::Interruption => "interruption",
            NonCountingReason::RemandOtherCase => "remand_other_case",
            NonCountingReason::OtherSanction => "other_sanction",
        }
    }

    /// The reason in English and bokmål.
    pub const fn describe(self) -> (&'static str, &'static str) {
        match self {
            NonCountingReason::Escape => ("escape", "rømning"),
            NonCountingReason::Evasion => ("evasion", "unndragelse"),
            NonCountingReason::FailureToReturn => ("failure to return", "uteblivelse"),
            NonCountingReason::Interruption => ("interruption", "straffavbrudd"),
            NonCountingReason::RemandOtherCase => {
                ("remand in another case", "varetekt i annen sak")
            }
            NonCountingReason::OtherSanction => ("another sanction", "annen reaksjon"),
        }
    }
}

/// Days not counted as sentence time: `from` and `to` are the first and last such day, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonCountingInterval {
    /// First day not counted.
    pub from: Date,
    /// Last day not counted.
    pub to: Date,
    /// Why.
    pub reason: NonCountingReason,
}

impl NonCountingInterval {
    /// The number of days in the interval (`to − from + 1`).
    pub fn days(&self) -> i32 {
        crate::calendar::days_between(self.from, self.to) + 1
    }

    /// Turns an absence recorded with times of day into the days not counted, by the Q3 policy:
    /// `WholeDays` counts only days wholly absent, `CommencedDays` every day the person was away
    /// for any part of. `None` when no day qualifies (e.g. a few hours' absence under `WholeDays`).
    ///
    /// ```
    /// use halden_domain::{case::{NonCountingInterval, NonCountingReason::Escape},
    ///                     policy::NonCountingDays};
    /// use jiff::civil::{date, datetime};
    /// let left = datetime(2025, 4, 10, 14, 0, 0, 0);
    /// let back = datetime(2025, 4, 14, 9, 30, 0, 0);
    /// let whole = NonCountingInterval::from_absence(left, back, Escape, NonCountingDays::WholeDays).unwrap();
    /// assert_eq!((whole.from, whole.to), (date(2025, 4, 11), date(2025, 4, 13)));
    /// let commenced = NonCountingInterval::from_absence(left, back, Escape, NonCountingDays::CommencedDays).unwrap();
    /// assert_eq!((commenced.from, commenced.to), (date(2025, 4, 10), date(2025, 4, 14)));
    /// ```
    pub fn from_absence(
        left: DateTime,
        returned: DateTime,
        reason: NonCountingReason,
        policy: NonCountingDays,
    ) -> Option<NonCountingInterval> {
        if returned <= left {
            return None;
        }
        let (from, to) = match policy {
            NonCountingDays::WholeDays => {
                let midnight = jiff::civil::Time::midnight();
                let from = if left.time() == midnight {
                    left.date()
                } else {
                    left.date().tomorrow().ok()?
                };
                let to = returned.date().yesterday().ok()?;
                (from, to)
            }
            NonCountingDays::CommencedDays => (left.date(), returned.date()),
        };
        (from <= to).then_some(NonCountingInterval { from, to, reason })
    }
}
