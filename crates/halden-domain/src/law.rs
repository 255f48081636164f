//! The legal catalogue: every rule the engine applies, with its id, statute reference and the
//! status RULES.md gives it, plus the legal figures and commencement dates, each named once.
//!
//! Nothing else in the crate writes a legal number as a literal: it names a constant here.

use jiff::civil::{Date, date};

/// How firmly a rule is established (RULES.md, "How to read this").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    /// Stated in the statute or an official translation or page.
    Confirmed,
    /// Stated by a reliable secondary source.
    ConfirmedSecondary,
    /// Confirmed for an older version of the law; may have changed.
    Historical,
    /// An interpretation or engineering convention (RULES.md §1.4); configurable where it matters.
    Inference,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = ($id:literal, $reference:literal, $status:ident), )*) => {
        /// A rule of RULES.md, by its id.
        ///
        /// Each variant's doc comment says what the rule decides; [`RuleId::id`] gives the id as
        /// written in RULES.md and [`RuleId::reference`] the statute.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $( $(#[$doc])* $variant, )*
        }

        impl RuleId {
            /// Every rule, in RULES.md order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The id as written in RULES.md, e.g. `"R-PAR-1"`.
            pub const fn id(self) -> &'static str {
                match self { $(RuleId::$variant => $id,)* }
            }

            /// The statute and section, e.g. `"strgjfl § 42"`.
            pub const fn reference(self) -> &'static str {
                match self { $(RuleId::$variant => $reference,)* }
            }

            /// How firmly the rule is established.
            pub const fn status(self) -> RuleStatus {
                match self { $(RuleId::$variant => RuleStatus::$status,)* }
            }
        }
    };
}

rules! {
    /// § 31 form: 14 days minimum, up to 120 days in days, over 4 months in months and years.
    Len1 = ("R-LEN-1", "strl § 31", Confirmed),
    /// Ordinary maximum 21 years; 30 years for offences with a 30-year range.
    Len2 = ("R-LEN-2", "strl § 31", ConfirmedSecondary),
    /// Several grave offences: up to 26 years (enactment unconfirmed, Q7).
    Len3 = ("R-LEN-3", "strl § 79", ConfirmedSecondary),
    /// Transferred foreign sentences over 21 years: parole after at least 14 years.
    Len4 = ("R-LEN-4", "strgjfl § 42", Confirmed),
    /// Several sentences are served consecutively as one aggregate term (samlet straffetid).
    Calc2 = ("R-CALC-2", "forskriften kap. 3", Confirmed),
    /// Remand deduction per strl § 83 (1902 code: § 60).
    Calc3 = ("R-CALC-3", "strl § 83", Confirmed),
    /// Alternative imprisonment for an unpaid fine is served in full.
    Calc4 = ("R-CALC-4", "forskriften kap. 3", Confirmed),
    /// Interruption, escape and the like are not counted as sentence time.
    Calc5 = ("R-CALC-5", "forskriften kap. 3", Confirmed),
    /// The deduction is fixed by the court; the engine takes it as given.
    Rem4 = ("R-REM-4", "strl § 83", Confirmed),
    /// The court may deem the sentence fully served.
    Rem5 = ("R-REM-5", "strl § 83", Confirmed),
    /// Allocation of the deduction: prison part first, then community sentence.
    Rem6 = ("R-REM-6", "strl § 83", Confirmed),
    /// Parole (prøveløslatelse) after 2/3 and at least 60 days, remand included.
    Par1 = ("R-PAR-1", "strgjfl § 42", Confirmed),
    /// Parole leaving less than 14 days only for compelling reasons (tungtveiende grunner).
    Par2 = ("R-PAR-2", "strgjfl § 42", Confirmed),
    /// The probation period (prøvetid) ends when the full sentence would have been served.
    Par4 = ("R-PAR-4", "strgjfl § 42", Confirmed),
    /// Conditions of parole (residence, reporting sober, treatment, work or training, no contact
    /// with named persons); a breach leads to a warning, new conditions or the case to the court
    /// for re-imprisonment. RULES.md gives no single § for it: its section is strgjfl §§ 42–44.
    Par5 = ("R-PAR-5", "strgjfl §§ 42–44", ConfirmedSecondary),
    /// Transferred foreign sentences over 21 years: parole after at least 14 years.
    Par6 = ("R-PAR-6", "strgjfl § 42", Confirmed),
    /// EM limit 4 months before 2020-09-01 (§ 16 second paragraph), 6 months from then (§ 16 a).
    Em1 = ("R-EM-1", "strgjfl § 16 a", Confirmed),
    /// Front-door EM (elektronisk kontroll) for an unconditional sentence up to the limit.
    Em2 = ("R-EM-2", "strgjfl § 16 a", Confirmed),
    /// Back-door EM: at most the limit left to expected release, and 1/3 served.
    Em3 = ("R-EM-3", "strgjfl § 16 a", Confirmed),
    /// EM conditions: the person applies, has work, school or other occupation, is at home
    /// otherwise, and the adults in the home consent.
    Em4 = ("R-EM-4", "strgjfl § 16 a", Confirmed),
    /// § 16 home serving without EM after half the sentence.
    Home1 = ("R-HOME-1", "strgjfl § 16 første ledd", ConfirmedSecondary),
    /// Ordinary leave (permisjon) after 1/3 of the sentence.
    Leave1 = ("R-LEAVE-1", "strgjfl § 33", Confirmed),
    /// Older threshold: 1/3 and at least 4 months; 4 years for sentences over 12 years.
    Leave1b = ("R-LEAVE-1b", "strgjfl § 33", Historical),
    /// Leave quota: up to 18 days a year, 30 in special cases (e.g. children), plus travel time.
    Leave2 = ("R-LEAVE-2", "strgjfl § 33", Confirmed),
    /// Welfare leave at any time before ordinary leave time; short leave (≤ 5 hours) after it,
    /// outside the quota.
    Leave4 = ("R-LEAVE-4", "strgjfl § 33", Confirmed),
    /// Forvaring: no leave before 2/3 of the minimum term.
    Leave6 = ("R-LEAVE-6", "forvaringsforskriften § 11", ConfirmedSecondary),
    /// Day release (frigang) after 1/3 and at least 4 months.
    Frigang1 = ("R-FRIGANG-1", "strgjfl § 20", ConfirmedSecondary),
    /// Forms of execution: high security, lower security, halfway house, § 16, parole; special units.
    Sec1 = ("R-SEC-1", "strgjfl § 10", ConfirmedSecondary),
    /// Direct placement in lower security (≤ 2 years) or a halfway house (≤ 1 year) to be considered.
    Sec2 = ("R-SEC-2", "strgjfl § 11", Confirmed),
    /// Transfer to lower security considered one year before parole.
    Sec3 = ("R-SEC-3", "strgjfl § 14", Confirmed),
    /// Lower security refused when the purpose of the sentence, security or fear of evasion speak
    /// against it.
    Sec4 = ("R-SEC-4", "strgjfl § 14", Confirmed),
    /// Historical main rule: execution starts in high security (a recommendation, never enforced).
    Sec5 = ("R-SEC-5", "strgjfl § 11", ConfirmedSecondary),
    /// Remand: a place without undue delay once a remand order exists.
    Var1 = ("R-VAR-1", "strgjfl kap. 4", Confirmed),
    /// Remand prisoners without restrictions have the same access to company as the convicted.
    Var3 = ("R-VAR-3", "forskriften kap. 4", Confirmed),
    /// Forvaring frame (tidsramme): normally ≤ 15 years, never > 21 (30); under 18: ≤ 10, never > 15.
    Forv1 = ("R-FORV-1", "strl § 43", Confirmed),
    /// Frame extension of up to 5 years; the case must be brought 3 months before the frame expires.
    Forv2 = ("R-FORV-2", "strl § 43", Confirmed),
    /// Minimum term (minstetid) ≤ 10 years; ≤ 14 if the frame exceeds 15; ≤ 20 if it exceeds 21.
    Forv3 = ("R-FORV-3", "strl § 43", Confirmed),
    /// Forvaring parole never before the minimum term; petition 1 year after the judgment became final.
    Forv4 = ("R-FORV-4", "strl § 44", Confirmed),
    /// Remand is deducted in full from both the minimum term and the frame.
    Forv5 = ("R-FORV-5", "strl § 83", Confirmed),
    /// Community sentence (samfunnsstraff) replaces prison of normally at most 1 year.
    Samf1 = ("R-SAMF-1", "strl § 48", Confirmed),
    /// 30–420 hours, an alternative prison sentence and an execution period.
    Samf2 = ("R-SAMF-2", "strl § 49", Confirmed),
    /// Remand reduces the alternative sentence, and hours and execution period proportionately.
    Samf4 = ("R-SAMF-4", "strl § 83", Confirmed),
    /// Breach of a community sentence: warning, tightened conditions; repeated breach → the case
    /// to the district court for the alternative imprisonment.
    Samf5 = ("R-SAMF-5", "strl § 52", ConfirmedSecondary),
    /// Programme against intoxicated driving (program mot ruspåvirket kjøring), from 2008-11-01
    /// replacing the 1996 promilleprogram: a suspended sentence with the condition of completing
    /// the programme, run by the probation office; a breach can send the case to the court, which
    /// may convert it to unconditional imprisonment. RULES.md does not confirm the § (Q15:
    /// "probably strl § 37", the conditions of a suspended sentence); the reference says so.
    Prog1 = ("R-PROG-1", "strl § 37 (unconfirmed, Q15)", Confirmed),
    /// Age of criminal responsibility: 15.
    Youth1 = ("R-YOUTH-1", "strl § 20", ConfirmedSecondary),
    /// Persons under 18 are imprisoned only when particularly necessary.
    Youth2 = ("R-YOUTH-2", "strl § 33", ConfirmedSecondary),
    /// Youth sentence (ungdomsstraff): execution period 6 months to 2 years (3 in grave cases).
    Youth3 = ("R-YOUTH-3", "strl § 52 b", Confirmed),
    /// Serving date at most 60 days after receipt; summons at least 3 weeks ahead.
    Innk1 = ("R-INNK-1", "forskriften kap. 2", ConfirmedSecondary),
    /// Postponement: mandatory for serious illness, pregnancy due before release, a child under 9
    /// months, military service for terms under 90 days; otherwise only for weighty reasons.
    Innk2 = ("R-INNK-2", "forskriften kap. 2", ConfirmedSecondary),
    /// The serving queue (soningskø): not started within two months of receipt.
    Queue1 = ("R-QUEUE-1", "KDI, soningskø", ConfirmedSecondary),
    /// C-1: months convert to days by the calendar, clamped to the month's end (Q1).
    C1 = ("C-1", "strl § 13 / domstolloven § 148 (analogy)", Inference),
    /// C-2: the admission day is day 1.
    C2 = ("C-2", "RULES.md §1.4", Inference),
    /// C-3: effective start = admission − remand deduction.
    C3 = ("C-3", "strl § 83", Inference),
    /// C-4: end of sentence = day T.
    C4 = ("C-4", "strgjfl § 42", Inference),
    /// C-5: parole threshold max(ceil(2T/3), 60), not before admission.
    C5 = ("C-5", "strgjfl § 42", Inference),
    /// C-6: other fractions ceil(T·f), counted the same way.
    C6 = ("C-6", "RULES.md §1.4", Inference),
    /// C-7: months with remand are counted from the admission date (Q2).
    C7 = ("C-7", "RULES.md §1.4", Inference),
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Parole: the fraction that must be served, two thirds (R-PAR-1, strgjfl § 42, CONFIRMED).
pub const PAROLE_FRACTION: Fraction = Fraction::new(2, 3);
/// Parole: at least 60 days served, remand included (R-PAR-1, strgjfl § 42, CONFIRMED).
pub const PAROLE_MINIMUM_DAYS: i32 = 60;
/// Parole leaving fewer days than this needs compelling reasons (R-PAR-2, strgjfl § 42, CONFIRMED).
pub const PAROLE_MINIMUM_REMAINDER_DAYS: i32 = 14;
/// Transferred foreign sentences longer than this many years have the 14-year parole rule
/// (R-LEN-4 / R-PAR-6, strgjfl § 42, CONFIRMED).
pub const FOREIGN_LONG_SENTENCE_YEARS: u32 = 21;
/// … and may be paroled after this many years (R-PAR-6, strgjfl § 42, CONFIRMED).
pub const FOREIGN_PAROLE_YEARS: u32 = 14;
/// One third: leave, EM back door, frigang (R-LEAVE-1, R-EM-3, R-FRIGANG-1).
pub const ONE_THIRD: Fraction = Fraction::new(1, 3);
/// One half: § 16 home serving (R-HOME-1, strgjfl § 16 first paragraph, CONFIRMED secondary).
pub const ONE_HALF: Fraction = Fraction::new(1, 2);
/// Frigang needs at least this many months served (R-FRIGANG-1, strgjfl § 20, CONFIRMED secondary).
pub const FRIGANG_MINIMUM_MONTHS: u32 = 4;
/// R-LEAVE-1b: sentences over this many years reach leave after [`LEAVE_LONG_SENTENCE_CAP_YEARS`]
/// (HISTORICAL; applied only when the policy says so, Q6).
pub const LEAVE_LONG_SENTENCE_YEARS: u32 = 12;
/// R-LEAVE-1b: the cap for long sentences (HISTORICAL, Q6).
pub const LEAVE_LONG_SENTENCE_CAP_YEARS: u32 = 4;
/// Lower-security review this many months before parole (R-SEC-3, CONFIRMED; calendar months: inference).
pub const LOWER_SECURITY_REVIEW_MONTHS: u32 = 12;
/// Direct placement in lower security is considered up to this many years (R-SEC-2, CONFIRMED).
pub const DIRECT_LOWER_SECURITY_YEARS: u32 = 2;
/// Direct placement in a halfway house is considered up to this many years (R-SEC-2, CONFIRMED).
pub const DIRECT_HALFWAY_HOUSE_YEARS: u32 = 1;
/// EM limit in months for decisions before [`EM_SIX_MONTHS_FROM`] (R-EM-1, old § 16 (2), CONFIRMED).
pub const EM_LIMIT_MONTHS_BEFORE_2020: u32 = 4;
/// EM limit in months for decisions from [`EM_SIX_MONTHS_FROM`] (R-EM-1, § 16 a, CONFIRMED).
pub const EM_LIMIT_MONTHS: u32 = 6;
/// Commencement of § 16 a with the 6-month EM limit, Prop. 132 L (2018–2019) (R-EM-1, CONFIRMED).
pub const EM_SIX_MONTHS_FROM: Date = date(2020, 9, 1);
/// Commencement of the 2005 Penal Code (straffeloven 2005); earlier decisions cite the 1902 code
/// (R-CALC-3).
pub const PENAL_CODE_2005_FROM: Date = date(2015, 10, 1);

/// Commencement of the programme against intoxicated driving (program mot ruspåvirket kjøring),
/// which replaced the 1996 promilleprogram (R-PROG-1, CONFIRMED): a judgment decided before it
/// cannot carry the programme condition.
pub const DRIVING_PROGRAMME_FROM: Date = date(2008, 11, 1);

/// § 31: the shortest prison sentence in days (R-LEN-1, CONFIRMED).
pub const PRISON_MINIMUM_DAYS: u32 = 14;
/// § 31: sentences up to and including this many days are fixed in days (R-LEN-1, CONFIRMED).
pub const PRISON_MAXIMUM_DAYS_FORM: u32 = 120;
/// § 31: sentences over this many months are fixed in months and years (R-LEN-1, CONFIRMED).
pub const PRISON_MINIMUM_MONTHS_FORM: u32 = 4;
/// Ordinary maximum sentence in years (R-LEN-2, CONFIRMED secondary).
pub const MAXIMUM_YEARS_ORDINARY: u32 = 21;
/// Maximum for several grave offences (R-LEN-3, enactment unconfirmed: Q7).
pub const MAXIMUM_YEARS_MULTIPLE_GRAVE: u32 = 26;
/// Maximum for offences with a 30-year range (R-LEN-2, CONFIRMED secondary).
pub const MAXIMUM_YEARS_RANGE_30: u32 = 30;

/// Forvaring frame: should normally not exceed (R-FORV-1, strl § 43, CONFIRMED).
pub const FORVARING_FRAME_NORMAL_YEARS: u32 = 15;
/// Forvaring frame for an offender under 18 at the act: normally at most (R-FORV-1).
pub const FORVARING_FRAME_YOUTH_NORMAL_YEARS: u32 = 10;
/// Forvaring frame for an offender under 18 at the act: never more than (R-FORV-1).
pub const FORVARING_FRAME_YOUTH_MAXIMUM_YEARS: u32 = 15;
/// Forvaring minimum term limits (R-FORV-3, strl § 43, CONFIRMED): at most 10 years …
pub const FORVARING_MINIMUM_YEARS: u32 = 10;
/// … at most 14 years when the frame exceeds 15 years …
pub const FORVARING_MINIMUM_YEARS_FRAME_OVER_15: u32 = 14;
/// … at most 20 years when the frame exceeds 21 years.
pub const FORVARING_MINIMUM_YEARS_FRAME_OVER_21: u32 = 20;
/// The extension case must be brought this many months before the frame expires (R-FORV-2).
pub const FORVARING_EXTENSION_NOTICE_MONTHS: u32 = 3;
/// The convicted may petition for parole this many years after the judgment became final (R-FORV-4).
pub const FORVARING_PETITION_YEARS: u32 = 1;
/// Forvaring leave after this fraction of the minimum term (R-LEAVE-6).
pub const FORVARING_LEAVE_FRACTION: Fraction = Fraction::new(2, 3);

/// Community sentence hours (R-SAMF-2, strl § 49, CONFIRMED): at least …
pub const COMMUNITY_MINIMUM_HOURS: u32 = 30;
/// … and at most.
pub const COMMUNITY_MAXIMUM_HOURS: u32 = 420;
/// An alternative sentence shorter than this still allows an execution period up to it (R-SAMF-2).
pub const COMMUNITY_EXECUTION_PERIOD_FLOOR_DAYS: u32 = 120;
/// Community sentence normally replaces at most 1 year of prison (R-SAMF-1, strl § 48).
pub const COMMUNITY_NORMAL_MAXIMUM_YEARS: u32 = 1;

/// Age of criminal responsibility (R-YOUTH-1, strl § 20, CONFIRMED secondary).
pub const AGE_OF_CRIMINAL_RESPONSIBILITY: i16 = 15;
/// Age below which youth rules apply (R-YOUTH-2/3).
pub const AGE_OF_MAJORITY: i16 = 18;
/// Youth sentence execution period (R-YOUTH-3, strl § 52 b): from …
pub const YOUTH_EXECUTION_MINIMUM_MONTHS: u32 = 6;
/// … to …
pub const YOUTH_EXECUTION_MAXIMUM_MONTHS: u32 = 24;
/// … or up to this when the prison sentence would clearly have exceeded 2 years.
pub const YOUTH_EXECUTION_EXTENDED_MONTHS: u32 = 36;

/// The serving date may be at most this many days after receipt (R-INNK-1).
pub const SUMMONS_LATEST_START_DAYS: i32 = 60;
/// The summons must arrive at least this many days (3 weeks) before the date (R-INNK-1).
pub const SUMMONS_NOTICE_DAYS: i32 = 21;
/// Days to appeal an individual decision, from the day it was made known: three weeks
/// (forvaltningsloven § 29 first paragraph). General administrative law, not restated in RULES.md;
/// it applies to every decision of the correctional service (strgjfl § 7).
pub const APPEAL_DEADLINE_DAYS: i32 = 21;
/// The statute behind [`APPEAL_DEADLINE_DAYS`], as shown beside the deadline.
pub const APPEAL_REFERENCE: &str = "forvaltningsloven § 29";
/// Postponement is mandatory while the person's child is younger than this many months (R-INNK-2).
pub const POSTPONEMENT_INFANT_MONTHS: u32 = 9;
/// Military service is accommodated for terms shorter than this many days (R-INNK-2).
pub const POSTPONEMENT_MILITARY_TERM_DAYS: i64 = 90;
/// Ordinary leave quota in days a year (R-LEAVE-2, CONFIRMED) …
pub const LEAVE_QUOTA_DAYS: u32 = 18;
/// … and in special cases, e.g. prisoners with children (R-LEAVE-2, CONFIRMED).
pub const LEAVE_QUOTA_SPECIAL_DAYS: u32 = 30;
/// Short leave lasts at most this many hours and is outside the quota (R-LEAVE-4, FFP).
pub const SHORT_LEAVE_MAXIMUM_HOURS: u32 = 5;
/// A judgment not started within this many months of receipt is in the queue (R-QUEUE-1).
pub const QUEUE_MONTHS: u32 = 2;

/// The EM length limit in force on the decision date (R-EM-1).
pub fn em_limit_months(decision_date: Date) -> u32 {
    if decision_date < EM_SIX_MONTHS_FROM {
        EM_LIMIT_MONTHS_BEFORE_2020
    } else {
        EM_LIMIT_MONTHS
    }
}

/// The statute reference for EM in force on the decision date (R-EM-1): § 16 second paragraph
/// before 2020-09-01, § 16 a from then.
pub fn em_reference(decision_date: Date) -> &'static str {
    if decision_date < EM_SIX_MONTHS_FROM {
        "strgjfl § 16 annet ledd"
    } else {
        "strgjfl § 16 a"
    }
}

/// The EM provision that sets a given limit (R-EM-1): 4 months was § 16 second paragraph, 6 months
/// is § 16 a.
pub fn em_reference_for_limit(limit_months: u32) -> &'static str {
    if limit_months == EM_LIMIT_MONTHS_BEFORE_2020 {
        "strgjfl § 16 annet ledd"
    } else {
        "strgjfl § 16 a"
    }
}

/// The remand-deduction provision in force on the decision date (R-CALC-3).
pub fn remand_deduction_reference(decision_date: Date) -> &'static str {
    if decision_date < PENAL_CODE_2005_FROM {
        "strl 1902 § 60"
    } else {
        "strl § 83"
    }
}

/// A proper fraction of a term, applied with integer ceiling (C-5, C-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    /// The numerator.
    pub numerator: i32,
    /// The denominator; never zero.
    pub denominator: i32,
}

impl Fraction {
    /// A fraction; the denominator must be positive (checked at compile time for constants).
    pub const fn new(numerator: i32, denominator: i32) -> Fraction {
        assert!(denominator > 0);
        Fraction {
            numerator,
            denominator,
        }
    }

    /// `ceil(days × n / d)` in integers: "has served two thirds" means at least that many whole
    /// days (C-5: fractions round up, never release before a full fraction).
    ///
    /// ```
    /// use halden_domain::law::PAROLE_FRACTION;
    /// assert_eq!(PAROLE_FRACTION.ceil_of(365), 244); // 243.33 → 244
    /// assert_eq!(PAROLE_FRACTION.ceil_of(90), 60);
    /// ```
    pub const fn ceil_of(self, days: i32) -> i32 {
        let product = days as i64 * self.numerator as i64;
        let d = self.denominator as i64;
        ((product + d - 1).div_euclid(d)) as i32
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}
