//! Input validation against the law: every problem names the field and the rule.
//!
//! Validation never stops at the first problem: a clerk fixing a judgment wants the whole list.
//! It allocates nothing for a valid case, so it can sit on the hot path of bulk recalculation.

use jiff::civil::Date;

use crate::{
    calendar::{CalendarLength, length_in_days},
    case::{Case, OffenceClass, SentenceKind, Term},
    explain::Lang,
    law::{self, RuleId},
    policy::JudgmentFormCheck,
};

/// A problem with one input field.
///
/// The message is written where the problem is found, in English (the language of the API and
/// the CLI's JSON) and, for the UI, in bokmål, side by side, so that the two cannot drift apart
/// and no layer above has to guess what an English sentence meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the input contract, e.g. `sentences[0].days`.
    pub field: String,
    /// The rule that the value breaks, if it is a legal rule rather than a format problem.
    pub rule: Option<RuleId>,
    /// What is wrong, in English, in a sentence a clerk can act on.
    pub message: String,
    /// The same in Norwegian bokmål. `None` only for a message nobody has translated yet; the UI
    /// then shows the English, marked as English.
    pub message_nb: Option<String>,
}

impl FieldError {
    /// A problem with `field`, in English only (API-only messages; see [`FieldError::bilingual`]
    /// for anything a person may see in the UI).
    pub fn new(
        field: impl Into<String>,
        rule: Option<RuleId>,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            rule,
            message: message.into(),
            message_nb: None,
        }
    }

    /// A problem with `field`, in English and bokmål.
    pub fn bilingual(
        field: impl Into<String>,
        rule: Option<RuleId>,
        en: impl Into<String>,
        nb: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            rule,
            message: en.into(),
            message_nb: Some(nb.into()),
        }
    }

    /// The message in `lang`, or `None` when it has not been written in that language.
    ///
    /// ```
    /// use halden_domain::{explain::Lang, validate::FieldError};
    /// let e = FieldError::bilingual("from", None, "is required", "må fylles ut");
    /// assert_eq!(e.message_in(Lang::Nb), Some("må fylles ut"));
    /// assert_eq!(e.message_in(Lang::En), Some("is required"));
    /// assert_eq!(FieldError::new("from", None, "is required").message_in(Lang::Nb), None);
    /// ```
    pub fn message_in(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => Some(&self.message),
            Lang::Nb => self.message_nb.as_deref(),
        }
    }

    /// The same problem with its field under `prefix` (`judgments[0]` + `court` →
    /// `judgments[0].court`).
    pub fn under(self, prefix: &str) -> FieldError {
        let field = match (prefix.is_empty(), self.field.as_str()) {
            (true, _) => self.field,
            (false, "" | "$") => prefix.to_owned(),
            (false, field) if field.starts_with('[') => format!("{prefix}{field}"),
            (false, field) => format!("{prefix}.{field}"),
        };
        FieldError { field, ..self }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.rule {
            Some(rule) => write!(
                f,
                "{}: {} ({}, {})",
                self.field,
                self.message,
                rule,
                rule.reference()
            ),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// A warning has the same shape as an error but does not stop the calculation.
pub type Warning = FieldError;

/// The outcome of validation: errors stop the calculation, warnings travel with the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Problems that make the case uncomputable.
    pub errors: Vec<FieldError>,
    /// Points a person should look at; the case is still computed.
    pub warnings: Vec<Warning>,
}

impl Findings {
    fn error(
        &mut self,
        field: impl Into<String>,
        rule: Option<RuleId>,
        en: impl Into<String>,
        nb: impl Into<String>,
    ) {
        self.errors.push(FieldError::bilingual(field, rule, en, nb));
    }

    fn warn(
        &mut self,
        field: impl Into<String>,
        rule: Option<RuleId>,
        en: impl Into<String>,
        nb: impl Into<String>,
    ) {
        self.warnings
            .push(FieldError::bilingual(field, rule, en, nb));
    }

    /// An error, or a warning when the form check is relaxed (Q10).
    fn form_problem(&mut self, relaxed: bool, field: String, rule: RuleId, en: String, nb: String) {
        if relaxed {
            self.warn(
                field,
                Some(rule),
                format!("{en} (accepted with a warning, Q10)"),
                format!("{nb} (godtatt med advarsel, Q10)"),
            );
        } else {
            self.error(field, Some(rule), en, nb);
        }
    }
}

/// The largest remand deduction accepted: 100 years, far beyond any real custody, so that date
/// arithmetic stays in range.
const REMAND_DEDUCTION_SANITY_DAYS: u32 = 36_525;

/// Checks a case against the law. See `docs/calculation.md`, "Validation".
pub fn validate(case: &Case) -> Findings {
    let mut findings = Findings::default();
    let anchor = case.admission;
    let conversion = case.policy.month_conversion;

    let has_sanction = !case.sentences.is_empty()
        || case.preventive_detention.is_some()
        || case.community_sentence.is_some()
        || case.youth_sentence.is_some();
    if !has_sanction {
        findings.error(
            "sentences",
            None,
            "at least one sentence, a preventive detention, a community sentence or a youth sentence is required",
            "minst én fengselsstraff, forvaring, samfunnsstraff eller ungdomsstraff må oppgis",
        );
    }
    if case.remand_deduction_days > REMAND_DEDUCTION_SANITY_DAYS {
        findings.error(
            "remand_deduction_days",
            Some(RuleId::Rem4),
            format!(
                "{} days is more than 100 years of custody",
                case.remand_deduction_days
            ),
            format!(
                "{} dager er mer enn 100 års frihetsberøvelse",
                case.remand_deduction_days
            ),
        );
    }
    if case.offence_class == OffenceClass::MultipleGrave {
        findings.warn(
            "offence_class",
            Some(RuleId::Len3),
            "the 26-year maximum for several grave offences was proposed in Prop. 137 L (2016–2017); its enactment is unconfirmed (Q7)",
            "strafferammen på 26 år for flere grove lovbrudd ble foreslått i Prop. 137 L (2016–2017); det er ikke bekreftet at den er vedtatt (Q7)",
        );
    }

    let max_years = maximum_years(case.offence_class);
    for (i, sentence) in case.sentences.iter().enumerate() {
        let path = |part: &str| format!("sentences[{i}].{part}");
        match sentence.kind {
            SentenceKind::Prison => {
                let relaxed = sentence.legacy
                    || case.policy.judgment_form_check == JudgmentFormCheck::AcceptWithWarning;
                // A statistical term in days has no court's wording to check: only its minimum.
                let statistical = case.policy.judgment_form_check
                    == JudgmentFormCheck::StatisticalDays
                    && !sentence.term.has_calendar_part()
                    && sentence
                        .term
                        .days
                        .is_some_and(|d| d >= law::PRISON_MINIMUM_DAYS);
                if !statistical {
                    check_section_31_form(&mut findings, sentence.term, relaxed, &path);
                }
                if sentence.term.calendar().total_months() > max_years * 12 {
                    findings.error(
                        path(if sentence.term.years.is_some() {
                            "years"
                        } else {
                            "months"
                        }),
                        Some(if case.offence_class == OffenceClass::Ordinary {
                            RuleId::Len2
                        } else {
                            RuleId::Len3
                        }),
                        format!(
                            "{} exceeds the maximum of {max_years} years for offence class {}",
                            describe_term(sentence.term, Lang::En),
                            offence_class_name(case.offence_class)
                        ),
                        format!(
                            "{} overstiger strafferammen på {max_years} år for lovbruddsklassen {}",
                            describe_term(sentence.term, Lang::Nb),
                            offence_class_name(case.offence_class)
                        ),
                    );
                }
                if let Some(unconditional) = sentence.unconditional {
                    let upath = |part: &str| format!("sentences[{i}].unconditional.{part}");
                    check_section_31_form_shape(
                        &mut findings,
                        unconditional,
                        relaxed,
                        &upath,
                        false,
                    );
                    let whole = term_days(anchor, sentence.term, conversion);
                    let part = term_days(anchor, unconditional, conversion);
                    if let (Some(whole), Some(part)) = (whole, part) {
                        if part >= whole && part > 0 {
                            findings.error(
                                format!("sentences[{i}].unconditional"),
                                Some(RuleId::Len1),
                                format!(
                                    "the unconditional part ({part} days) must be shorter than the sentence ({whole} days); give an unsuspended sentence without `unconditional`"
                                ),
                                format!(
                                    "den ubetingede delen ({part} dager) må være kortere enn straffen ({whole} dager); en straff uten betinget del gis uten `unconditional`"
                                ),
                            );
                        } else if part > 0 && part < law::PRISON_MINIMUM_DAYS as i32 {
                            findings.warn(
                                format!("sentences[{i}].unconditional"),
                                Some(RuleId::Len1),
                                format!(
                                    "an unconditional part of {part} days is under {} days; the minimum for a partially suspended sentence under strl 2005 is unsettled (Q17)",
                                    law::PRISON_MINIMUM_DAYS
                                ),
                                format!(
                                    "en ubetinget del på {part} dager er under {} dager; minstetiden for en delvis betinget dom etter strl. 2005 er uavklart (Q17)",
                                    law::PRISON_MINIMUM_DAYS
                                ),
                            );
                        }
                    }
                }
            }
            SentenceKind::FineDefault => {
                if sentence.term.has_calendar_part() {
                    findings.error(
                        path(if sentence.term.years.is_some() {
                            "years"
                        } else {
                            "months"
                        }),
                        Some(RuleId::Calc4),
                        "alternative imprisonment for a fine is given in days",
                        "subsidiær fengselsstraff for bot fastsettes i dager",
                    );
                }
                match sentence.term.days {
                    None => findings.error(
                        path("days"),
                        Some(RuleId::Calc4),
                        "the number of days is required",
                        "antall dager må oppgis",
                    ),
                    Some(0) => findings.error(
                        path("days"),
                        Some(RuleId::Calc4),
                        "must be at least 1 day",
                        "må være minst 1 dag",
                    ),
                    Some(_) => {}
                }
                if sentence.unconditional.is_some() {
                    findings.error(
                        path("unconditional"),
                        None,
                        "only a prison sentence can be partially suspended",
                        "bare fengselsstraff kan gjøres delvis betinget",
                    );
                }
            }
            SentenceKind::ForeignTransfer => {
                let t = sentence.term;
                if t.calendar().total_months() == 0 && t.day_part() == 0 {
                    findings.error(
                        format!("sentences[{i}]"),
                        Some(RuleId::Len4),
                        "a transferred sentence needs a length in `years`, `months` or `days` greater than zero",
                        "en overført dom må ha en lengde i `years`, `months` eller `days` større enn null",
                    );
                }
                if sentence.unconditional.is_some() {
                    findings.error(
                        path("unconditional"),
                        None,
                        "only a prison sentence can be partially suspended",
                        "bare fengselsstraff kan gjøres delvis betinget",
                    );
                }
            }
        }
    }

    let age_at_offence = match (case.offender_birth_date, case.offence_date) {
        (Some(birth), Some(offence)) => {
            if offence < birth {
                findings.error(
                    "offence_date",
                    None,
                    "the offence date is before the birth date",
                    "gjerningsdatoen er før fødselsdatoen",
                );
                None
            } else {
                Some(age_on(birth, offence))
            }
        }
        _ => None,
    };
    if let Some(age) = age_at_offence {
        if age < law::AGE_OF_CRIMINAL_RESPONSIBILITY {
            findings.error(
                "offence_date",
                Some(RuleId::Youth1),
                format!(
                    "the offender was {age} at the time of the act, under the age of criminal responsibility ({})",
                    law::AGE_OF_CRIMINAL_RESPONSIBILITY
                ),
                format!(
                    "domfelte var {age} år på handlingstidspunktet, under den kriminelle lavalderen ({} år)",
                    law::AGE_OF_CRIMINAL_RESPONSIBILITY
                ),
            );
        } else if age < law::AGE_OF_MAJORITY
            && case
                .sentences
                .iter()
                .any(|s| s.kind == SentenceKind::Prison)
        {
            findings.warn(
                "offence_date",
                Some(RuleId::Youth2),
                format!("the offender was {age} at the time of the act: imprisonment of a person under 18 needs special grounds and a youth-unit placement"),
                format!("domfelte var {age} år på handlingstidspunktet: fengsel for en person under 18 år krever særlige grunner og plass i ungdomsenhet"),
            );
        }
    }
    let under_18 = age_at_offence.map(|age| age < law::AGE_OF_MAJORITY);

    if let Some(pd) = case.preventive_detention {
        check_preventive_detention(&mut findings, case, pd, under_18);
    }
    if let Some(community) = case.community_sentence {
        check_community_sentence(&mut findings, anchor, conversion, community);
    }
    if let Some(youth) = case.youth_sentence {
        if under_18 == Some(false) {
            findings.error(
                "youth_sentence",
                Some(RuleId::Youth3),
                "a youth sentence is only for an offender under 18 at the time of the act",
                "ungdomsstraff kan bare idømmes den som var under 18 år på handlingstidspunktet",
            );
        }
        check_section_31_form_shape(
            &mut findings,
            youth.alternative,
            false,
            &|part: &str| format!("youth_sentence.alternative_{part}"),
            false,
        );
        let alternative = term_days(anchor, youth.alternative, conversion);
        let two_years = length_in_days(anchor, CalendarLength::years(2), conversion).ok();
        let longest = match (alternative, two_years) {
            (Some(a), Some(two)) if a > two => law::YOUTH_EXECUTION_EXTENDED_MONTHS,
            _ => law::YOUTH_EXECUTION_MAXIMUM_MONTHS,
        };
        let months = youth.execution_period_months;
        if months < law::YOUTH_EXECUTION_MINIMUM_MONTHS || months > longest {
            findings.error(
                "youth_sentence.execution_period_months",
                Some(RuleId::Youth3),
                format!(
                    "{months} months is outside the execution period of {} to {longest} months{}",
                    law::YOUTH_EXECUTION_MINIMUM_MONTHS,
                    if longest == law::YOUTH_EXECUTION_MAXIMUM_MONTHS {
                        " (up to 36 only when the alternative prison sentence exceeds 2 years)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{months} måneder er utenfor gjennomføringstiden på {} til {longest} måneder{}",
                    law::YOUTH_EXECUTION_MINIMUM_MONTHS,
                    if longest == law::YOUTH_EXECUTION_MAXIMUM_MONTHS {
                        " (inntil 36 bare når den subsidiære fengselsstraffen er over 2 år)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }

    check_non_counting(&mut findings, case);
    findings
}

/// The maximum sentence in years for an offence class (R-LEN-2/3).
pub fn maximum_years(class: OffenceClass) -> u32 {
    match class {
        OffenceClass::Ordinary => law::MAXIMUM_YEARS_ORDINARY,
        OffenceClass::MultipleGrave => law::MAXIMUM_YEARS_MULTIPLE_GRAVE,
        OffenceClass::Max30 => law::MAXIMUM_YEARS_RANGE_30,
    }
}

fn offence_class_name(class: OffenceClass) -> &'static str {
    match class {
        OffenceClass::Ordinary => "ordinary",
        OffenceClass::MultipleGrave => "multiple_grave",
        OffenceClass::Max30 => "max_30",
    }
}

/// A term in days from the anchor, or `None` if out of range (reported elsewhere).
fn term_days(anchor: Date, term: Term, conversion: crate::policy::MonthConversion) -> Option<i32> {
    term.in_days(anchor, conversion).ok()
}

fn describe_term(term: Term, lang: Lang) -> String {
    let c = term.calendar();
    let (years, months, days) = match lang {
        Lang::En => ("years", "months", "days"),
        Lang::Nb => ("år", "måneder", "dager"),
    };
    match (term.has_calendar_part(), term.days) {
        (false, Some(d)) => format!("{d} {days}"),
        (_, None) => format!("{} {years} {} {months}", c.years, c.months),
        (true, Some(d)) => format!("{} {years} {} {months} {d} {days}", c.years, c.months),
    }
}

/// R-LEN-1 (strl § 31) for a whole prison sentence: the form and the 14-day minimum.
fn check_section_31_form(
    findings: &mut Findings,
    term: Term,
    relaxed: bool,
    path: &dyn Fn(&str) -> String,
) {
    check_section_31_form_shape(findings, term, relaxed, path, true);
}

/// R-LEN-1 (strl § 31): days 14..=120, or years/months totalling more than 4 months; exactly one
/// form. `path(part)` names the field of `days`, `years` or `months`.
fn check_section_31_form_shape(
    findings: &mut Findings,
    term: Term,
    relaxed: bool,
    path: &dyn Fn(&str) -> String,
    whole_sentence: bool,
) {
    match (term.days, term.has_calendar_part()) {
        (Some(_), true) => findings.error(
            whole_path(path),
            Some(RuleId::Len1),
            "give either `days` or `years`/`months`, not both (strl § 31: up to 120 days in days, over 4 months in months and years)",
            "oppgi enten `days` eller `years`/`months`, ikke begge (strl. § 31: inntil 120 dager i dager, over 4 måneder i måneder og år)",
        ),
        (None, false) => findings.error(
            whole_path(path),
            Some(RuleId::Len1),
            "a length is required: `days`, or `years`/`months`",
            "en lengde må oppgis: `days` eller `years`/`months`",
        ),
        (Some(days), false) => {
            if days < law::PRISON_MINIMUM_DAYS {
                if whole_sentence || days == 0 {
                    findings.form_problem(
                        relaxed && days > 0,
                        path("days"),
                        RuleId::Len1,
                        format!("{days} days is under the minimum of {} days", law::PRISON_MINIMUM_DAYS),
                        format!("{days} dager er under minstestraffen på {} dager", law::PRISON_MINIMUM_DAYS),
                    );
                }
            } else if days > law::PRISON_MAXIMUM_DAYS_FORM {
                findings.form_problem(
                    relaxed,
                    path("days"),
                    RuleId::Len1,
                    format!(
                        "{days} days is over {} days; a sentence over 4 months is fixed in months and years",
                        law::PRISON_MAXIMUM_DAYS_FORM
                    ),
                    format!(
                        "{days} dager er over {} dager; en straff over 4 måneder fastsettes i måneder og år",
                        law::PRISON_MAXIMUM_DAYS_FORM
                    ),
                );
            }
        }
        (None, true) => {
            let months = term.calendar().total_months();
            let field = if term.months.is_some() { "months" } else { "years" };
            if months == 0 {
                findings.error(
                    path(field),
                    Some(RuleId::Len1),
                    "the length must be greater than zero",
                    "lengden må være større enn null",
                );
            } else if months <= law::PRISON_MINIMUM_MONTHS_FORM {
                findings.form_problem(
                    relaxed,
                    path(field),
                    RuleId::Len1,
                    format!(
                        "{months} months is not over {} months; a sentence up to 120 days is fixed in days",
                        law::PRISON_MINIMUM_MONTHS_FORM
                    ),
                    format!(
                        "{months} måneder er ikke over {} måneder; en straff inntil 120 dager fastsettes i dager",
                        law::PRISON_MINIMUM_MONTHS_FORM
                    ),
                );
            }
        }
    }
}

/// The path of the object (or field group) a term belongs to: `sentences[0]`,
/// `sentences[0].unconditional`, `community_sentence.alternative`.
fn whole_path(path: &dyn Fn(&str) -> String) -> String {
    path("").trim_end_matches(['.', '_']).to_owned()
}

fn check_preventive_detention(
    findings: &mut Findings,
    case: &Case,
    pd: crate::case::PreventiveDetention,
    computed_under_18: Option<bool>,
) {
    let frame = pd.frame_years;
    let max = match case.offence_class {
        OffenceClass::Max30 => law::MAXIMUM_YEARS_RANGE_30,
        OffenceClass::MultipleGrave => law::MAXIMUM_YEARS_MULTIPLE_GRAVE,
        OffenceClass::Ordinary => law::MAXIMUM_YEARS_ORDINARY,
    };
    if frame == 0 {
        findings.error(
            "preventive_detention.frame_years",
            Some(RuleId::Forv1),
            "the time frame must be at least 1 year",
            "tidsrammen må være minst 1 år",
        );
    } else if pd.under_18_at_offence && frame > law::FORVARING_FRAME_YOUTH_MAXIMUM_YEARS {
        findings.error(
            "preventive_detention.frame_years",
            Some(RuleId::Forv1),
            format!(
                "a time frame of {frame} years exceeds the {} years allowed for an offender under 18 at the act",
                law::FORVARING_FRAME_YOUTH_MAXIMUM_YEARS
            ),
            format!(
                "en tidsramme på {frame} år overstiger de {} årene som er tillatt for den som var under 18 år på handlingstidspunktet",
                law::FORVARING_FRAME_YOUTH_MAXIMUM_YEARS
            ),
        );
    } else if frame > max {
        findings.error(
            "preventive_detention.frame_years",
            Some(RuleId::Forv1),
            format!("a time frame of {frame} years exceeds the maximum of {max} years for offence class {}", offence_class_name(case.offence_class)),
            format!("en tidsramme på {frame} år overstiger strafferammen på {max} år for lovbruddsklassen {}", offence_class_name(case.offence_class)),
        );
    } else if pd.under_18_at_offence && frame > law::FORVARING_FRAME_YOUTH_NORMAL_YEARS {
        findings.warn(
            "preventive_detention.frame_years",
            Some(RuleId::Forv1),
            format!(
                "for an offender under 18 the time frame should normally not exceed {} years",
                law::FORVARING_FRAME_YOUTH_NORMAL_YEARS
            ),
            format!(
                "for den som var under 18 år, bør tidsrammen normalt ikke overstige {} år",
                law::FORVARING_FRAME_YOUTH_NORMAL_YEARS
            ),
        );
    } else if !pd.under_18_at_offence && frame > law::FORVARING_FRAME_NORMAL_YEARS {
        findings.warn(
            "preventive_detention.frame_years",
            Some(RuleId::Forv1),
            format!(
                "the time frame should normally not exceed {} years",
                law::FORVARING_FRAME_NORMAL_YEARS
            ),
            format!(
                "tidsrammen bør normalt ikke overstige {} år",
                law::FORVARING_FRAME_NORMAL_YEARS
            ),
        );
    }
    if let Some(minimum) = pd.minimum_years {
        let limit = if frame > law::MAXIMUM_YEARS_ORDINARY {
            law::FORVARING_MINIMUM_YEARS_FRAME_OVER_21
        } else if frame > law::FORVARING_FRAME_NORMAL_YEARS {
            law::FORVARING_MINIMUM_YEARS_FRAME_OVER_15
        } else {
            law::FORVARING_MINIMUM_YEARS
        };
        if minimum > limit {
            findings.error(
                "preventive_detention.minimum_years",
                Some(RuleId::Forv3),
                format!("a minimum term of {minimum} years exceeds the {limit} years allowed with a time frame of {frame} years"),
                format!("en minstetid på {minimum} år overstiger de {limit} årene som er tillatt med en tidsramme på {frame} år"),
            );
        } else if minimum > frame {
            findings.error(
                "preventive_detention.minimum_years",
                Some(RuleId::Forv3),
                format!("the minimum term ({minimum} years) may not exceed the time frame ({frame} years)"),
                format!("minstetiden ({minimum} år) kan ikke overstige tidsrammen ({frame} år)"),
            );
        }
    }
    match computed_under_18 {
        Some(true) if !pd.under_18_at_offence => findings.error(
            "preventive_detention.under_18_at_offence",
            Some(RuleId::Forv1),
            "the birth and offence dates show the offender was under 18 at the act",
            "fødsels- og gjerningsdatoen viser at domfelte var under 18 år på handlingstidspunktet",
        ),
        Some(false) if pd.under_18_at_offence => findings.error(
            "preventive_detention.under_18_at_offence",
            Some(RuleId::Forv1),
            "the birth and offence dates show the offender was 18 or older at the act",
            "fødsels- og gjerningsdatoen viser at domfelte var 18 år eller eldre på handlingstidspunktet",
        ),
        _ => {}
    }
    if !case.sentences.is_empty() {
        findings.warn(
            "preventive_detention",
            Some(RuleId::Forv1),
            "forvaring normally replaces other prison sentences (R-FORV-7); both are computed separately here",
            "forvaring erstatter normalt annen fengselsstraff (R-FORV-7); her beregnes begge hver for seg",
        );
    }
}

fn check_community_sentence(
    findings: &mut Findings,
    anchor: Date,
    conversion: crate::policy::MonthConversion,
    community: crate::case::CommunitySentence,
) {
    if community.hours < law::COMMUNITY_MINIMUM_HOURS
        || community.hours > law::COMMUNITY_MAXIMUM_HOURS
    {
        findings.error(
            "community_sentence.hours",
            Some(RuleId::Samf2),
            format!(
                "{} hours is outside {}–{} hours",
                community.hours,
                law::COMMUNITY_MINIMUM_HOURS,
                law::COMMUNITY_MAXIMUM_HOURS
            ),
            format!(
                "{} timer er utenfor {}–{} timer",
                community.hours,
                law::COMMUNITY_MINIMUM_HOURS,
                law::COMMUNITY_MAXIMUM_HOURS
            ),
        );
    }
    let alt_path = |part: &str| format!("community_sentence.alternative_{part}");
    let errors_before = findings.errors.len();
    check_section_31_form(findings, community.alternative, false, &alt_path);
    let exec = community.execution_period;
    let exec_path = |part: &str| format!("community_sentence.execution_period_{part}");
    if exec.days.is_some() && exec.has_calendar_part() {
        findings.error(
            exec_path("days"),
            Some(RuleId::Samf2),
            "give either days or months, not both",
            "oppgi enten dager eller måneder, ikke begge",
        );
        return;
    }
    if exec.days.is_none() && !exec.has_calendar_part() {
        findings.error(
            exec_path("days"),
            Some(RuleId::Samf2),
            "the execution period is required",
            "gjennomføringstiden må oppgis",
        );
        return;
    }
    if findings.errors.len() > errors_before {
        return;
    }
    let (Some(alt_days), Some(exec_days)) = (
        term_days(anchor, community.alternative, conversion),
        term_days(anchor, exec, conversion),
    ) else {
        return;
    };
    let exec_field = exec_path(if exec.days.is_some() {
        "days"
    } else {
        "months"
    });
    let longest = alt_days.max(law::COMMUNITY_EXECUTION_PERIOD_FLOOR_DAYS as i32);
    if exec_days == 0 {
        findings.error(
            exec_field,
            Some(RuleId::Samf2),
            "the execution period must be at least 1 day",
            "gjennomføringstiden må være minst 1 dag",
        );
    } else if exec_days > longest {
        findings.error(
            exec_field,
            Some(RuleId::Samf2),
            format!(
                "an execution period of {exec_days} days exceeds the alternative sentence ({alt_days} days) and the 120 days allowed for a shorter one"
            ),
            format!(
                "en gjennomføringstid på {exec_days} dager overstiger den subsidiære straffen ({alt_days} dager) og de 120 dagene som er tillatt for en kortere straff"
            ),
        );
    } else if exec_days < alt_days {
        findings.warn(
            exec_field,
            Some(RuleId::Samf2),
            format!("the execution period ({exec_days} days) is normally equal to the alternative sentence ({alt_days} days)"),
            format!("gjennomføringstiden ({exec_days} dager) er normalt lik den subsidiære straffen ({alt_days} dager)"),
        );
    }
    let one_year = length_in_days(
        anchor,
        CalendarLength::years(law::COMMUNITY_NORMAL_MAXIMUM_YEARS),
        conversion,
    );
    if one_year.is_ok_and(|one_year| alt_days > one_year) {
        let field = if community.alternative.days.is_some() {
            "days"
        } else {
            "years"
        };
        findings.warn(
            alt_path(field),
            Some(RuleId::Samf1),
            "a community sentence normally replaces at most 1 year of imprisonment",
            "samfunnsstraff erstatter normalt høyst 1 års fengsel",
        );
    }
}

fn check_non_counting(findings: &mut Findings, case: &Case) {
    for (i, interval) in case.non_counting.iter().enumerate() {
        if interval.to < interval.from {
            findings.error(
                format!("non_counting[{i}].to"),
                Some(RuleId::Calc5),
                format!("{} is before `from` ({})", interval.to, interval.from),
                format!("{} er før `from` ({})", interval.to, interval.from),
            );
        }
        if interval.from < case.admission {
            findings.error(
                format!("non_counting[{i}].from"),
                Some(RuleId::Calc5),
                format!("{} is before the admission ({}); only time during execution can be left uncounted", interval.from, case.admission),
                format!("{} er før innsettelsen ({}); bare tid under gjennomføringen kan holdes utenfor", interval.from, case.admission),
            );
        }
    }
    for (i, a) in case.non_counting.iter().enumerate() {
        for (j, b) in case.non_counting.iter().enumerate().skip(i + 1) {
            if a.from <= b.to && b.from <= a.to {
                findings.error(
                    format!("non_counting[{j}].from"),
                    Some(RuleId::Calc5),
                    format!("overlaps non_counting[{i}] ({} to {})", a.from, a.to),
                    format!("overlapper non_counting[{i}] ({} til {})", a.from, a.to),
                );
            }
        }
    }
}

/// Age in whole years on `day` for a person born on `birth` (a 29 February birthday is reached on
/// 1 March in common years).
pub fn age_on(birth: Date, day: Date) -> i16 {
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    day.year() - birth.year() - i16::from(before_birthday)
}
