//! Explanations: every computed date as one sentence with its rule, § and arithmetic, in English
//! and Norwegian bokmål.
//!
//! Rendering happens here, on demand, from the figures a [`Derivation`] carries; the engine itself
//! formats nothing.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::{
    calc::{
        Calculation, CommunityReduction, DayCount, Derivation, KeyDate, ParoleStatus, TermBreakdown,
    },
    calendar::{CalendarLength, OutOfRange, add_days, add_months, day_number, from_day_number},
    law::{self, Fraction, RuleId},
    policy::{MonthConversion, ProportionalRounding},
};

/// The language of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Norwegian bokmål, the UI's first language.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    fn pick<'a>(self, en: &'a str, nb: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Nb => nb,
        }
    }
}

/// An explanation in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    /// English.
    pub en: String,
    /// Bokmål.
    pub nb: String,
}

/// Renders `f` in both languages.
pub fn bilingual(f: impl Fn(Lang) -> String) -> Bilingual {
    Bilingual {
        en: f(Lang::En),
        nb: f(Lang::Nb),
    }
}

/// `n/d of B days = 243.33, rounded up to 244` (or `= 60` when exact).
fn fraction_of(lang: Lang, fraction: Fraction, base: i32) -> String {
    let product = i64::from(base) * i64::from(fraction.numerator);
    let d = i64::from(fraction.denominator);
    let ceil = fraction.ceil_of(base);
    let of = lang.pick("of", "av");
    let days = lang.pick("days", "dager");
    if product % d == 0 {
        format!("{fraction} {of} {base} {days} = {ceil}")
    } else {
        // Shown to two decimals, rounded half up (365/3 = 121.67); the day count itself is the
        // integer ceiling above, never this figure.
        let hundredths = (product * 200 + d) / (2 * d);
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        let (sep, rounded) = match lang {
            Lang::En => (".", "rounded up to"),
            Lang::Nb => (",", "rundet opp til"),
        };
        format!("{fraction} {of} {base} {days} = {whole}{sep}{frac:02}, {rounded} {ceil}")
    }
}

/// `1 year 6 months` / `1 år og 6 måneder`.
fn length_words(lang: Lang, length: CalendarLength) -> String {
    let (y, m) = (length.years, length.months);
    let year = match (lang, y) {
        (Lang::En, 1) => "year",
        (Lang::En, _) => "years",
        (Lang::Nb, _) => "år",
    };
    let month = match (lang, m) {
        (Lang::En, 1) => "month",
        (Lang::En, _) => "months",
        (Lang::Nb, 1) => "måned",
        (Lang::Nb, _) => "måneder",
    };
    match (y, m) {
        (0, m) => format!("{m} {month}"),
        (y, 0) => format!("{y} {year}"),
        (y, m) => format!("{y} {year} {} {m} {month}", lang.pick("", "og")).replace("  ", " "),
    }
}

/// A date as text, or nothing if it is outside the calendar (which the engine never produces).
fn date_text(date: Result<Date, OutOfRange>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// `18 months from 2025-03-03 (to 2026-09-03) = 549 days` under C-1, or the fixed-length sum.
fn length_in_days_words(
    lang: Lang,
    anchor: Date,
    length: CalendarLength,
    days: i32,
    conversion: MonthConversion,
) -> String {
    let words = length_words(lang, length);
    let d = lang.pick("days", "dager");
    match conversion {
        MonthConversion::Calendar => {
            let to = date_text(add_months(anchor, i64::from(length.total_months())));
            match lang {
                Lang::En => format!("{words} from {anchor} (to {to}, C-1) = {days} {d}"),
                Lang::Nb => format!("{words} fra {anchor} (til {to}, C-1) = {days} {d}"),
            }
        }
        MonthConversion::FixedLength => match lang {
            Lang::En => format!("{words} at 365 days a year and 30 a month (Q1) = {days} {d}"),
            Lang::Nb => format!("{words} med 365 dager i året og 30 i måneden (Q1) = {days} {d}"),
        },
    }
}

/// The case-wide facts an explanation needs besides its own figures.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Admission.
    pub admission: Date,
    /// Remand deduction in days.
    pub remand: i32,
    /// The deduction's statute.
    pub remand_reference: &'static str,
    /// The anchor for months.
    pub anchor: Date,
    /// Q1.
    pub conversion: MonthConversion,
}

impl Context {
    /// The context of a calculation.
    pub fn of(calc: &Calculation) -> Context {
        Context {
            admission: calc.admission,
            remand: calc.remand_deduction_days,
            remand_reference: calc.remand_reference,
            anchor: calc.term.anchor,
            conversion: calc.policy.month_conversion,
        }
    }
}

/// `day 244 counted from 2025-02-22 (admission 2025-06-02 minus 100 days' remand) = 2025-10-23`,
/// with non-counting days and the move to admission when they apply.
fn day_count(lang: Lang, ctx: &Context, count: &DayCount) -> String {
    let mut s = String::new();
    let k = count.k;
    let e = date_text(add_days(ctx.admission, -ctx.remand));
    let u = date_text(count.unshifted());
    let _ = match (lang, ctx.remand) {
        (Lang::En, 0) => write!(s, "day {k} counted from admission {e} (C-2) = {u}"),
        (Lang::En, r) => write!(
            s,
            "day {k} counted from {e} (admission {} minus {r} days' remand, {}; C-3) = {u}",
            ctx.admission, ctx.remand_reference
        ),
        (Lang::Nb, 0) => write!(s, "dag {k} regnet fra innsettelsen {e} (C-2) = {u}"),
        (Lang::Nb, r) => write!(
            s,
            "dag {k} regnet fra {e} (innsettelse {} minus {r} dagers varetektsfradrag, {}; C-3) = {u}",
            ctx.admission, ctx.remand_reference
        ),
    };
    if count.non_counting_days > 0 {
        let n = count.non_counting_days;
        let _ = match lang {
            Lang::En => write!(
                s,
                ", moved {n} days later for time not counted (R-CALC-5) to {}",
                date_text(count.date())
            ),
            Lang::Nb => write!(
                s,
                ", flyttet {n} dager senere for tid som ikke regnes som straffetid (R-CALC-5) til {}",
                date_text(count.date())
            ),
        };
    }
    if count.moved_to_admission {
        let _ = match lang {
            Lang::En => write!(
                s,
                "; that is before admission, so from admission {} (C-5)",
                ctx.admission
            ),
            Lang::Nb => write!(
                s,
                "; det er før innsettelsen, altså fra innsettelsen {} (C-5)",
                ctx.admission
            ),
        };
    }
    s
}

/// How T was formed: `18 months from … = 549 days + 74 days = 623 days`.
pub fn term_words(lang: Lang, ctx: &Context, term: &TermBreakdown) -> String {
    let d = lang.pick("days", "dager");
    let mut parts = Vec::new();
    if term.length.total_months() > 0 {
        parts.push(length_in_days_words(
            lang,
            term.anchor,
            term.length,
            term.months_in_days,
            ctx.conversion,
        ));
    }
    if term.days > 0 {
        parts.push(format!("{} {d}", term.days));
    }
    let mut s = parts.join(" + ");
    if parts.len() > 1 {
        let _ = write!(s, " = {} {d}", term.total);
    }
    s
}

/// One sentence explaining `key_date` of `calc` in `lang`.
pub fn explain(calc: &Calculation, key_date: &KeyDate, lang: Lang) -> String {
    let ctx = Context::of(calc);
    let ctx = &ctx;
    let rule = key_date.rule;
    let reference = key_date.reference();
    let date = key_date.date;
    let d = lang.pick("days", "dager");
    match key_date.derivation {
        Derivation::EndOfSentence { count } => {
            let term = term_words(lang, ctx, &calc.term);
            let several = if calc.term.sentence_count > 1 {
                lang.pick(
                    " served as one (R-CALC-2)",
                    " sonet i sammenheng (R-CALC-2)",
                )
            } else {
                ""
            };
            let mut s = match lang {
                Lang::En => format!(
                    "End of sentence (C-4, R-CALC-1): T = {term}{several}; {}.",
                    day_count(lang, ctx, &count)
                ),
                Lang::Nb => format!(
                    "Endt straffetid (C-4, R-CALC-1): T = {term}{several}; {}.",
                    day_count(lang, ctx, &count)
                ),
            };
            if calc.to_serve_days == 0 {
                s.pop();
                s.push_str(lang.pick(
                    "; the remand deduction covers the whole sentence, so nothing remains to serve.",
                    "; varetektsfradraget dekker hele straffen, så det gjenstår ingenting å sone.",
                ));
            }
            s
        }
        Derivation::Parole {
            base,
            foreign_cap,
            fine_days,
            count,
            remaining,
            status,
            ..
        } => {
            let mut s = String::new();
            let _ = write!(
                s,
                "{} ({rule}, {reference}; C-5): {}",
                lang.pick("Parole", "Prøveløslatelse"),
                fraction_of(lang, law::PAROLE_FRACTION, base)
            );
            if let Some(cap) = foreign_cap {
                let _ = match lang {
                    Lang::En => write!(
                        s,
                        "; a transferred sentence over 21 years needs at most 14 years = {cap} days (R-PAR-6)"
                    ),
                    Lang::Nb => write!(
                        s,
                        "; en overført straff over 21 år krever høyst 14 år = {cap} dager (R-PAR-6)"
                    ),
                };
            }
            let _ = write!(
                s,
                "; {} {} {d}",
                lang.pick("at least", "minst"),
                law::PAROLE_MINIMUM_DAYS
            );
            if fine_days > 0 {
                let _ = match lang {
                    Lang::En => write!(
                        s,
                        "; plus {fine_days} days of fine default served in full (R-CALC-4)"
                    ),
                    Lang::Nb => write!(
                        s,
                        "; pluss {fine_days} dager subsidiær fengselsstraff som sones fullt ut (R-CALC-4)"
                    ),
                };
            }
            let _ = write!(s, ": {}", day_count(lang, ctx, &count));
            let _ = match (lang, status) {
                (Lang::En, ParoleStatus::ExceptionalOnly) => write!(
                    s,
                    "; only {remaining} days would remain (under 14), so parole needs compelling reasons (R-PAR-2)."
                ),
                (Lang::Nb, ParoleStatus::ExceptionalOnly) => write!(
                    s,
                    "; bare {remaining} dager ville gjenstå (under 14), så prøveløslatelse krever tungtveiende grunner (R-PAR-2)."
                ),
                (Lang::En, _) => write!(
                    s,
                    "; {remaining} days remain to the end of sentence (at least 14, R-PAR-2)."
                ),
                (Lang::Nb, _) => write!(
                    s,
                    "; {remaining} dager gjenstår til endt straffetid (minst 14, R-PAR-2)."
                ),
            };
            s
        }
        Derivation::ProbationEnd { end } => match lang {
            Lang::En => format!(
                "The probation period ends when the full sentence would have been served (R-PAR-4, {reference}): the end of sentence, {end}."
            ),
            Lang::Nb => format!(
                "Prøvetiden løper til straffen ville vært sonet fullt ut (R-PAR-4, {reference}): endt straffetid, {end}."
            ),
        },
        Derivation::EmBackDoor {
            expected_release,
            expected_is_parole,
            limit_months,
            limit_date,
            base,
            third,
            moved_to_admission,
        } => {
            let which = match (lang, expected_is_parole) {
                (Lang::En, true) => "the parole date",
                (Lang::En, false) => "the end of sentence",
                (Lang::Nb, true) => "prøveløslatelsesdatoen",
                (Lang::Nb, false) => "endt straffetid",
            };
            let version = if limit_months == law::EM_LIMIT_MONTHS {
                lang.pick(
                    "6 months, in force from 2020-09-01",
                    "6 måneder, gjeldende fra 2020-09-01",
                )
            } else {
                lang.pick(
                    "4 months, for decisions before 2020-09-01",
                    "4 måneder, for vedtak før 2020-09-01",
                )
            };
            let later = date_text(from_day_number(
                day_number(limit_date).max(third.day_number),
            ));
            let mut s = match lang {
                Lang::En => format!(
                    "Back-door EM ({rule}, {reference}): expected release {expected_release} ({which}, Q16) minus {limit_months} months ({version}, R-EM-1) = {limit_date}; 1/3 served: {}, {}; the later of the two is {}",
                    fraction_of(lang, law::ONE_THIRD, base),
                    day_count(lang, ctx, &third),
                    later
                ),
                Lang::Nb => format!(
                    "Elektronisk kontroll bakdør ({rule}, {reference}): forventet løslatelse {expected_release} ({which}, Q16) minus {limit_months} måneder ({version}, R-EM-1) = {limit_date}; 1/3 sonet: {}, {}; den seneste av de to er {}",
                    fraction_of(lang, law::ONE_THIRD, base),
                    day_count(lang, ctx, &third),
                    later
                ),
            };
            if moved_to_admission {
                let _ = write!(
                    s,
                    "{} {date}",
                    lang.pick(
                        ", before admission, so from admission",
                        ", før innsettelsen, altså fra innsettelsen"
                    )
                );
            }
            s.push('.');
            s
        }
        Derivation::Fraction {
            fraction,
            base,
            count,
        } => {
            let what = if rule == RuleId::Home1 {
                lang.pick("§ 16 home serving", "§ 16-soning i hjemmet")
            } else {
                ""
            };
            format!(
                "{what} ({rule}, {reference}; C-6): {}; {}.",
                fraction_of(lang, fraction, base),
                day_count(lang, ctx, &count)
            )
        }
        Derivation::Leave {
            base,
            min_days,
            cap,
            count,
            ..
        } => {
            let mut s = format!(
                "{} ({rule}, {reference}; C-6): {}",
                lang.pick("Ordinary leave", "Ordinær permisjon"),
                fraction_of(lang, law::ONE_THIRD, base)
            );
            if min_days > 0 {
                let _ = write!(
                    s,
                    "; {} {min_days} {d} (Q6)",
                    lang.pick("at least", "minst")
                );
            }
            if let Some(cap) = cap {
                let _ = match lang {
                    Lang::En => write!(
                        s,
                        "; a sentence over 12 years reaches leave after at most 4 years = {cap} days (R-LEAVE-1b, Q6)"
                    ),
                    Lang::Nb => write!(
                        s,
                        "; en straff over 12 år gir permisjon etter høyst 4 år = {cap} dager (R-LEAVE-1b, Q6)"
                    ),
                };
            }
            let _ = write!(s, ": {}.", day_count(lang, ctx, &count));
            s
        }
        Derivation::Frigang {
            base,
            four_months,
            count,
            ..
        } => format!(
            "{} ({rule}, {reference}): {}; {} 4 {} = {four_months} {d}: {}.",
            lang.pick("Day release (frigang)", "Frigang"),
            fraction_of(lang, law::ONE_THIRD, base),
            lang.pick("at least", "minst"),
            lang.pick("months", "måneder"),
            day_count(lang, ctx, &count)
        ),
        Derivation::LowerSecurityReview {
            parole,
            raw,
            moved_to_admission,
        } => {
            let mut s = match lang {
                Lang::En => format!(
                    "Transfer to lower security is considered one year before parole ({rule}, {reference}): {parole} minus 12 months = {raw}"
                ),
                Lang::Nb => format!(
                    "Overføring til lavere sikkerhetsnivå vurderes ett år før prøveløslatelse ({rule}, {reference}): {parole} minus 12 måneder = {raw}"
                ),
            };
            if moved_to_admission {
                let _ = write!(
                    s,
                    "{} {date}",
                    lang.pick(
                        ", before admission, so at admission",
                        ", før innsettelsen, altså ved innsettelsen"
                    )
                );
            }
            s.push('.');
            s
        }
        Derivation::ForvaringLength { years, days, count } => {
            let what = if rule == RuleId::Forv1 {
                lang.pick("Forvaring time frame", "Forvaring, tidsramme")
            } else {
                lang.pick("Forvaring minimum term", "Forvaring, minstetid")
            };
            let length = length_in_days_words(
                lang,
                ctx.anchor,
                CalendarLength::years(years),
                days,
                ctx.conversion,
            );
            let deducted = if ctx.remand > 0 {
                lang.pick(
                    ", remand deducted in full (R-FORV-5)",
                    ", varetekt fratrukket fullt ut (R-FORV-5)",
                )
            } else {
                ""
            };
            format!(
                "{what} ({rule}, {reference}): {length}{deducted}; {}.",
                day_count(lang, ctx, &count)
            )
        }
        Derivation::ForvaringExtension { frame_end } => match lang {
            Lang::En => format!(
                "A case to extend the frame must be brought no later than 3 months before it expires ({rule}, {reference}): {frame_end} minus 3 months = {date}."
            ),
            Lang::Nb => format!(
                "Sak om forlengelse av tidsrammen må reises senest 3 måneder før den utløper ({rule}, {reference}): {frame_end} minus 3 måneder = {date}."
            ),
        },
        Derivation::ForvaringPetition { judgment_final } => match lang {
            Lang::En => format!(
                "The convicted may petition for parole 1 year after the judgment became final ({rule}, {reference}): {judgment_final} plus 1 year = {date}; parole itself never before the minimum term."
            ),
            Lang::Nb => format!(
                "Domfelte kan begjære prøveløslatelse 1 år etter at dommen ble rettskraftig ({rule}, {reference}): {judgment_final} pluss 1 år = {date}; løslatelse aldri før minstetiden."
            ),
        },
        Derivation::ForvaringLeave {
            minimum_days,
            count,
        } => format!(
            "{} ({rule}, {reference}): {}; {}.",
            lang.pick(
                "Forvaring leave, not before 2/3 of the minimum term",
                "Permisjon i forvaring, tidligst etter 2/3 av minstetiden"
            ),
            fraction_of(lang, law::FORVARING_LEAVE_FRACTION, minimum_days),
            day_count(lang, ctx, &count)
        ),
    }
}

/// R-SAMF-4: the proportional reduction, with the exact fraction and the rounding policy.
pub fn explain_community(calc: &Calculation, c: &CommunityReduction, lang: Lang) -> String {
    let rounding = match (lang, c.rounding) {
        (Lang::En, ProportionalRounding::FavourConvicted) => "rounded down (Q8)",
        (Lang::En, ProportionalRounding::Nearest) => "rounded to nearest (Q8)",
        (Lang::Nb, ProportionalRounding::FavourConvicted) => "rundet ned (Q8)",
        (Lang::Nb, ProportionalRounding::Nearest) => "rundet til nærmeste (Q8)",
    };
    let h = c.reduced_hours;
    let x = c.reduced_execution_period;
    let fraction = |f: crate::calc::ExactFraction| {
        if f.denominator == 1 {
            f.numerator.to_string()
        } else {
            format!("{}/{}", f.numerator, f.denominator)
        }
    };
    if c.deduction_days == 0 {
        return match lang {
            Lang::En => format!(
                "Community sentence (R-SAMF-2, strl § 49): {} hours, alternative imprisonment {} days, execution period {} days; no remand deduction to apply.",
                c.hours, c.alternative_days, c.execution_period_days
            ),
            Lang::Nb => format!(
                "Samfunnsstraff (R-SAMF-2, strl § 49): {} timer, subsidiær fengselsstraff {} dager, gjennomføringstid {} dager; intet varetektsfradrag å trekke fra.",
                c.hours, c.alternative_days, c.execution_period_days
            ),
        };
    }
    let prison_first = if calc.term_days > 0 {
        match lang {
            Lang::En => format!(
                " ({} days' deduction minus {} days taken first by the prison sentence, R-REM-6)",
                calc.remand_deduction_days, calc.term_days
            ),
            Lang::Nb => format!(
                " ({} dagers fradrag minus {} dager som først går til fengselsstraffen, R-REM-6)",
                calc.remand_deduction_days, calc.term_days
            ),
        }
    } else {
        String::new()
    };
    match lang {
        Lang::En => format!(
            "Community sentence reduced in proportion (R-SAMF-4, {}): alternative {} − {} days{prison_first} = {} days; hours {} × {}/{} = {} = {} {rounding}; execution period {} × {}/{} = {} = {} days {rounding}.",
            calc.remand_reference,
            c.alternative_days,
            c.deduction_days,
            c.reduced_alternative_days,
            c.hours,
            c.reduced_alternative_days,
            c.alternative_days,
            fraction(h),
            h.rounded(c.rounding),
            c.execution_period_days,
            c.reduced_alternative_days,
            c.alternative_days,
            fraction(x),
            x.rounded(c.rounding)
        ),
        Lang::Nb => format!(
            "Samfunnsstraff redusert forholdsmessig (R-SAMF-4, {}): subsidiær straff {} − {} dager{prison_first} = {} dager; timer {} × {}/{} = {} = {} {rounding}; gjennomføringstid {} × {}/{} = {} = {} dager {rounding}.",
            calc.remand_reference,
            c.alternative_days,
            c.deduction_days,
            c.reduced_alternative_days,
            c.hours,
            c.reduced_alternative_days,
            c.alternative_days,
            fraction(h),
            h.rounded(c.rounding),
            c.execution_period_days,
            c.reduced_alternative_days,
            c.alternative_days,
            fraction(x),
            x.rounded(c.rounding)
        ),
    }
}

/// R-EM-2 front-door eligibility, explained.
pub fn explain_em_front_door(calc: &Calculation, unfit_to_serve: bool, lang: Lang) -> String {
    let limit = calc.em_limit_months;
    let limit_days = crate::calendar::length_in_days(
        calc.term.anchor,
        CalendarLength::months(limit),
        calc.policy.month_conversion,
    )
    .unwrap_or(0);
    let version = if limit == law::EM_LIMIT_MONTHS {
        "strgjfl § 16 a"
    } else {
        "strgjfl § 16 annet ledd"
    };
    match (lang, calc.em_front_door_eligible, unfit_to_serve) {
        (Lang::En, true, true) => format!(
            "Front-door EM (R-EM-2, {version}): permanently unfit to serve, so exempt from the {limit}-month limit."
        ),
        (Lang::Nb, true, true) => format!(
            "Elektronisk kontroll fra start (R-EM-2, {version}): varig soningsudyktig, derfor unntatt fra grensen på {limit} måneder."
        ),
        (Lang::En, eligible, _) => format!(
            "Front-door EM (R-EM-2, {version}): the unconditional term of {} days is {} the limit of {limit} months = {limit_days} days (R-EM-1, by the decision date).",
            calc.term_days,
            if eligible { "within" } else { "over" }
        ),
        (Lang::Nb, eligible, _) => format!(
            "Elektronisk kontroll fra start (R-EM-2, {version}): ubetinget straff på {} dager er {} grensen på {limit} måneder = {limit_days} dager (R-EM-1, etter vedtaksdatoen).",
            calc.term_days,
            if eligible { "innenfor" } else { "over" }
        ),
    }
}
