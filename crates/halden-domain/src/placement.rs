//! Placement by the normality principle (normalitetsprinsippet): the *lowest* security level the
//! rules allow, then the prisons at that level ranked by distance from the person's home.
//!
//! The recommendation is advice with its reasons (R-SEC-5: "compute a recommended level with its
//! rule, never enforce one"). Placing higher than recommended is a restrictive decision that needs
//! a legal ground and a written reason, decided elsewhere.
//!
//! The rules, in order (RULES.md §7, §8, §9):
//! - remand (R-VAR-1) and preventive detention (R-SEC-1) are placed in high security, in prisons
//!   that hold them;
//! - a ground of R-SEC-4 (the purpose of the sentence, security, or fear of evasion) keeps a
//!   sentenced person in high security;
//! - otherwise R-SEC-2: a sentence of up to 1 year is considered for a halfway house directly, up
//!   to 2 years for lower security; a deportation decision takes the halfway house off the table
//!   (progression towards release in Norway does not apply);
//! - a longer sentence starts in high security (R-SEC-5) until the lower-security review date,
//!   one year before parole (R-SEC-3), from which lower security is recommended.
//!
//! Prisons: under 18 only youth units (R-YOUTH-2); women only prisons that take women; remand
//! only prisons that take remand prisoners. A remand prisoner's wish to be kept apart from or
//! placed with convicted persons is met by the department inside the prison, so it travels with
//! the recommendation as a reason. A full prison is listed after those with room.

use jiff::civil::Date;

use crate::{
    law::{self, RuleId},
    register::{CustodyBasis, SecurityLevel},
};

/// A ground of R-SEC-4 that keeps a person in high security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalGround {
    /// The purpose of the sentence speaks against lower security.
    PurposeOfSentence,
    /// Security speaks against it.
    Security,
    /// There is reason to fear evasion (unndragelse).
    FearOfEvasion,
}

impl RefusalGround {
    /// Every ground.
    pub const ALL: [RefusalGround; 3] = [
        RefusalGround::PurposeOfSentence,
        RefusalGround::Security,
        RefusalGround::FearOfEvasion,
    ];

    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalGround::PurposeOfSentence => "purpose_of_sentence",
            RefusalGround::Security => "security",
            RefusalGround::FearOfEvasion => "fear_of_evasion",
        }
    }

    fn words(self) -> (&'static str, &'static str) {
        match self {
            RefusalGround::PurposeOfSentence => {
                ("the purpose of the sentence", "formålet med straffen")
            }
            RefusalGround::Security => ("security", "sikkerhetsmessige hensyn"),
            RefusalGround::FearOfEvasion => ("reason to fear evasion", "fare for unndragelse"),
        }
    }
}

/// A remand prisoner's wish about company (RULES.md §8, Q12: recorded and respected as a wish).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemandWish {
    /// To be kept apart from convicted persons.
    KeepApart,
    /// To be placed with convicted persons.
    PlaceWith,
}

/// The person as placement sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The basis of the custody to be served.
    pub basis: CustodyBasis,
    /// The aggregate term to serve, in days (sentence and fine default); `None` for remand and
    /// preventive detention.
    pub term_days: Option<i64>,
    /// Age in whole years on the day of placement.
    pub age: i16,
    /// Placed with women (the person is a woman).
    pub woman: bool,
    /// R-SEC-4 grounds found in the security assessment.
    pub refusal_grounds: Vec<RefusalGround>,
    /// A final expulsion (utvisning) decision.
    pub deportation: bool,
    /// The remand prisoner's wish, if any.
    pub remand_wish: Option<RemandWish>,
    /// The lower-security review date (R-SEC-3), when the engine computed one.
    pub lower_security_review: Option<Date>,
    /// Home municipality's position (latitude, longitude in degrees), when known.
    pub home: Option<(f64, f64)>,
}

/// A prison as placement sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prison {
    /// Estate id (`P001`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Security level.
    pub level: SecurityLevel,
    /// Places.
    pub capacity: i64,
    /// Occupied places today.
    pub occupied: i64,
    /// Takes women.
    pub women: bool,
    /// A youth unit.
    pub youth: bool,
    /// Takes remand prisoners.
    pub remand: bool,
    /// Position (latitude, longitude in degrees).
    pub position: (f64, f64),
}

/// One reason of a recommendation, with its rule, in English and bokmål.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The rule.
    pub rule: RuleId,
    /// English.
    pub en: String,
    /// Bokmål.
    pub nb: String,
}

impl Reason {
    fn new(rule: RuleId, en: impl Into<String>, nb: impl Into<String>) -> Reason {
        Reason {
            rule,
            en: format!("{} ({}, {})", en.into(), rule.id(), rule.reference()),
            nb: format!("{} ({}, {})", nb.into(), rule.id(), rule.reference()),
        }
    }
}

/// A prison that fits, with its distance and room.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Estate id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Distance from home in whole kilometres (great circle), when home is known.
    pub distance_km: Option<u32>,
    /// Free places today (negative when overbooked).
    pub free: i64,
}

/// The recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The lowest level the rules allow.
    pub level: SecurityLevel,
    /// Why, rule by rule.
    pub reasons: Vec<Reason>,
    /// Prisons at that level that fit the person: with room first, nearest first.
    pub prisons: Vec<Candidate>,
}

/// The lowest security level the rules allow for `person` on `day`, with its reasons.
pub fn recommended_level(person: &Person, day: Date) -> (SecurityLevel, Vec<Reason>) {
    use SecurityLevel::{Halfway, High, Lower};
    let mut reasons = Vec::new();
    if person.age < law::AGE_OF_MAJORITY {
        reasons.push(Reason::new(
            RuleId::Youth2,
            "under 18: placed in a youth unit",
            "under 18 år: plasseres i en ungdomsenhet",
        ));
    }
    match person.basis {
        CustodyBasis::Remand => {
            reasons.push(Reason::new(
                RuleId::Var1,
                "remand is held in high security, in a prison that takes remand prisoners",
                "varetekt gjennomføres med høyt sikkerhetsnivå, i et fengsel som tar imot varetektsinnsatte",
            ));
            match person.remand_wish {
                Some(RemandWish::KeepApart) => reasons.push(Reason::new(
                    RuleId::Var3,
                    "wishes to be kept apart from convicted persons: a remand department",
                    "ønsker å holdes atskilt fra domfelte: en varetektsavdeling",
                )),
                Some(RemandWish::PlaceWith) => reasons.push(Reason::new(
                    RuleId::Var3,
                    "wishes to be placed with convicted persons",
                    "ønsker å plasseres sammen med domfelte",
                )),
                None => {}
            }
            return (High, reasons);
        }
        CustodyBasis::PreventiveDetention => {
            reasons.push(Reason::new(
                RuleId::Sec1,
                "preventive detention is served in a high-security unit adapted for it",
                "forvaring gjennomføres i en tilrettelagt enhet med høyt sikkerhetsnivå",
            ));
            return (High, reasons);
        }
        CustodyBasis::Sentence | CustodyBasis::FineDefault => {}
    }
    if !person.refusal_grounds.is_empty() {
        let (en, nb): (Vec<&str>, Vec<&str>) =
            person.refusal_grounds.iter().map(|g| g.words()).unzip();
        reasons.push(Reason::new(
            RuleId::Sec4,
            format!("lower security is refused: {}", en.join(", ")),
            format!("lavere sikkerhetsnivå nektes: {}", nb.join(", ")),
        ));
        return (High, reasons);
    }
    let year = law::DIRECT_HALFWAY_HOUSE_YEARS;
    let two_years = law::DIRECT_LOWER_SECURITY_YEARS;
    // Calendar years from the placement day: the same measure as the engine's (C-1).
    let within = |years: u32| {
        person.term_days.is_some_and(|days| {
            day.checked_add(jiff::Span::new().years(i64::from(years)))
                .map(|end| i64::from((end - day).get_days()) >= days)
                .unwrap_or(false)
        })
    };
    if within(year) && !person.deportation {
        reasons.push(Reason::new(
            RuleId::Sec2,
            format!("a term of up to {year} year is considered for a halfway house directly"),
            format!(
                "en straff på inntil {year} år vurderes for direkte plassering i overgangsbolig"
            ),
        ));
        return (Halfway, reasons);
    }
    if within(two_years) {
        if person.deportation {
            reasons.push(Reason::new(
                RuleId::Sec2,
                "with an expulsion decision, a halfway house is not a step towards release here",
                "med vedtak om utvisning er overgangsbolig ikke et steg mot løslatelse her",
            ));
        }
        reasons.push(Reason::new(
            RuleId::Sec2,
            format!("a term of up to {two_years} years is considered for lower security directly"),
            format!(
                "en straff på inntil {two_years} år vurderes for direkte plassering i lavere sikkerhetsnivå"
            ),
        ));
        return (Lower, reasons);
    }
    match person.lower_security_review {
        Some(review) if day >= review => {
            reasons.push(Reason::new(
                RuleId::Sec3,
                format!("one year or less remains until parole (review date {review})"),
                format!(
                    "det gjenstår ett år eller mindre til prøveløslatelse (vurderingsdato {review})"
                ),
            ));
            (Lower, reasons)
        }
        review => {
            let (en, nb) = match review {
                Some(r) => (
                    format!("lower security is considered from {r}, one year before parole"),
                    format!("lavere sikkerhetsnivå vurderes fra {r}, ett år før prøveløslatelse"),
                ),
                None => (
                    "no parole date to count the lower-security review from".to_string(),
                    "ingen prøveløslatelsesdato å regne vurderingen av lavere sikkerhetsnivå fra"
                        .to_string(),
                ),
            };
            reasons.push(Reason::new(
                RuleId::Sec5,
                "a term over 2 years starts in high security",
                "en straff over 2 år starter med høyt sikkerhetsnivå",
            ));
            reasons.push(Reason::new(RuleId::Sec3, en, nb));
            (High, reasons)
        }
    }
}

/// Whether `prison` may hold `person` at all (youth, women, remand and the remand wish).
pub fn fits(person: &Person, prison: &Prison) -> bool {
    let youth = person.age < law::AGE_OF_MAJORITY;
    if youth != prison.youth {
        return false;
    }
    if person.woman && !prison.women {
        return false;
    }
    person.basis != CustodyBasis::Remand || prison.remand
}

/// The recommendation for `person` on `day` among `prisons`.
pub fn recommend(person: &Person, prisons: &[Prison], day: Date) -> Recommendation {
    let (level, reasons) = recommended_level(person, day);
    let youth = person.age < law::AGE_OF_MAJORITY;
    // A youth unit is the place for a person under 18, whatever its level.
    let mut candidates: Vec<Candidate> = prisons
        .iter()
        .filter(|p| (youth || p.level == level) && fits(person, p))
        .map(|p| Candidate {
            id: p.id.clone(),
            name: p.name.clone(),
            distance_km: person.home.map(|home| distance_km(home, p.position)),
            free: p.capacity - p.occupied,
        })
        .collect();
    candidates.sort_by(|a, b| {
        (a.free <= 0)
            .cmp(&(b.free <= 0))
            .then(a.distance_km.cmp(&b.distance_km))
            .then(a.id.cmp(&b.id))
    });
    Recommendation {
        level,
        reasons,
        prisons: candidates,
    }
}

/// Great-circle distance in whole kilometres (haversine, mean Earth radius 6 371 km). Only for
/// ranking; no legal day arithmetic uses it.
pub fn distance_km(from: (f64, f64), to: (f64, f64)) -> u32 {
    let (lat1, lon1) = (from.0.to_radians(), from.1.to_radians());
    let (lat2, lon2) = (to.0.to_radians(), to.1.to_radians());
    let a = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    let km = 2.0 * 6_371.0 * a.sqrt().clamp(0.0, 1.0).asin();
    // Rounded to a whole kilometre; a distance on Earth fits u32 with room to spare.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "0 ≤ km ≤ 20 016"
    )]
    let whole = km.round() as u32;
    whole
}

/// Whether a person born on `birth` must be placed in a youth unit on `day`: they are under 18
/// then (R-YOUTH-2: under-18s are imprisoned only on special grounds, and then in the youth units;
/// `law::AGE_OF_MAJORITY`). Placing them elsewhere needs a written reason.
pub fn needs_youth_unit(birth: Date, day: Date) -> bool {
    crate::validate::age_on(birth, day) < law::AGE_OF_MAJORITY
}
