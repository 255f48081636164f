//! The rules a decision-maker applies to two common applications, as pure functions that say
//! what the rules require and why, in English and bokmål. The decision itself (grant or refuse,
//! with a legal ground and a written reason when it refuses) is the decision-maker's.
//!
//! - Postponement of the serving date (utsettelse), R-INNK-2: mandatory on the listed grounds,
//!   otherwise only for weighty reasons (vektige grunner), a discretionary assessment.
//! - Leave (permisjon), R-LEAVE-1/2/4/6: when ordinary, welfare and short leave are possible, and
//!   the yearly quota. The quota year is the calendar year (an inference; RULES.md says "per
//!   year").

use jiff::civil::Date;

use crate::{
    calendar::add_months,
    law::{self, RuleId},
};

/// A statement of the rules, with its rule, in English and bokmål.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// English.
    pub en: String,
    /// Bokmål.
    pub nb: String,
}

impl Finding {
    fn new(rule: RuleId, en: impl Into<String>, nb: impl Into<String>) -> Finding {
        Finding {
            rule,
            en: format!("{} ({}, {})", en.into(), rule.id(), rule.reference()),
            nb: format!("{} ({}, {})", nb.into(), rule.id(), rule.reference()),
        }
    }
}

/// A ground for postponing the serving date (R-INNK-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostponementGround {
    /// Serious mental illness or another health condition that makes serving inadvisable.
    SeriousIllness,
    /// Pregnancy with the due date before the release date.
    Pregnancy {
        /// The due date.
        due: Date,
        /// The release date if the sentence were served from the summons date.
        release: Date,
    },
    /// A child born less than 9 months before the serving date.
    Infant {
        /// The child's birth date.
        born: Date,
        /// The serving date in the summons.
        serving: Date,
    },
    /// Military service, for a term under 90 days.
    MilitaryService {
        /// The term in days.
        term_days: i64,
    },
    /// Any other reason: weighty reasons are needed.
    Other,
}

/// What the rules say about a postponement request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostponementRule {
    /// The rules require postponement: it must be granted.
    Mandatory(Finding),
    /// Only weighty reasons justify it: the decision-maker assesses, and a refusal needs a ground.
    WeightyReasonsNeeded(Finding),
}

/// The rule for a postponement request on `ground`.
pub fn postponement(ground: PostponementGround) -> PostponementRule {
    use PostponementRule::{Mandatory, WeightyReasonsNeeded};
    let weighty =
        |en: String, nb: String| WeightyReasonsNeeded(Finding::new(RuleId::Innk2, en, nb));
    match ground {
        PostponementGround::SeriousIllness => Mandatory(Finding::new(
            RuleId::Innk2,
            "serious illness that makes serving inadvisable: postponement is mandatory",
            "alvorlig sykdom som gjør soning utilrådelig: utsettelse er obligatorisk",
        )),
        PostponementGround::Pregnancy { due, release } if due < release => Mandatory(Finding::new(
            RuleId::Innk2,
            format!(
                "due date {due} is before the release date {release}: postponement is mandatory"
            ),
            format!("termin {due} er før løslatelsesdatoen {release}: utsettelse er obligatorisk"),
        )),
        PostponementGround::Pregnancy { due, release } => weighty(
            format!("due date {due} is not before the release date {release}"),
            format!("termin {due} er ikke før løslatelsesdatoen {release}"),
        ),
        PostponementGround::Infant { born, serving } => {
            let months = law::POSTPONEMENT_INFANT_MONTHS;
            // The child is under 9 months on the serving date when 9 calendar months after the
            // birth is still ahead (C-1 month arithmetic).
            match add_months(born, i64::from(months)) {
                Ok(limit) if serving < limit => Mandatory(Finding::new(
                    RuleId::Innk2,
                    format!(
                        "the child born {born} is under {months} months on the serving date \
                         {serving} (until {limit}): postponement is mandatory"
                    ),
                    format!(
                        "barnet født {born} er under {months} måneder på soningsdatoen {serving} \
                         (til {limit}): utsettelse er obligatorisk"
                    ),
                )),
                _ => weighty(
                    format!("the child born {born} is {months} months or older on {serving}"),
                    format!("barnet født {born} er {months} måneder eller eldre {serving}"),
                ),
            }
        }
        PostponementGround::MilitaryService { term_days }
            if term_days < law::POSTPONEMENT_MILITARY_TERM_DAYS =>
        {
            Mandatory(Finding::new(
                RuleId::Innk2,
                format!(
                    "military service with a term of {term_days} days (under {}): it is accommodated",
                    law::POSTPONEMENT_MILITARY_TERM_DAYS
                ),
                format!(
                    "militærtjeneste med en straff på {term_days} dager (under {}): den tas hensyn til",
                    law::POSTPONEMENT_MILITARY_TERM_DAYS
                ),
            ))
        }
        PostponementGround::MilitaryService { term_days } => weighty(
            format!(
                "military service, but the term of {term_days} days is not under {}",
                law::POSTPONEMENT_MILITARY_TERM_DAYS
            ),
            format!(
                "militærtjeneste, men straffen på {term_days} dager er ikke under {}",
                law::POSTPONEMENT_MILITARY_TERM_DAYS
            ),
        ),
        PostponementGround::Other => weighty(
            "no mandatory ground: weighty reasons are needed".into(),
            "ingen obligatorisk grunn: det kreves vektige grunner".into(),
        ),
    }
}

/// A kind of leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveKind {
    /// Ordinary leave (ordinær permisjon), counted in the quota.
    Ordinary,
    /// Welfare leave (velferdspermisjon): births, serious illness, funerals.
    Welfare,
    /// Short leave (korttidspermisjon), a few hours, outside the quota.
    Short,
}

/// A leave request as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaveRequest {
    /// The kind.
    pub kind: LeaveKind,
    /// First day.
    pub from: Date,
    /// Whole days of leave, not counting travel time (0 for short leave).
    pub days: u32,
    /// Hours, for short leave.
    pub hours: u32,
}

/// The person's leave position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeavePosition {
    /// The engine's ordinary-leave date (R-LEAVE-1, or R-LEAVE-6 for forvaring).
    pub ordinary_leave_from: Date,
    /// The rule that date comes from.
    pub ordinary_leave_rule: RuleId,
    /// Days of ordinary leave already granted in the request's calendar year.
    pub used_this_year: u32,
    /// Documented special grounds (e.g. children) for the larger quota.
    pub special_grounds: bool,
}

/// The yearly quota (R-LEAVE-2).
pub fn leave_quota(special_grounds: bool) -> u32 {
    if special_grounds {
        law::LEAVE_QUOTA_SPECIAL_DAYS
    } else {
        law::LEAVE_QUOTA_DAYS
    }
}

/// Whether the rules allow the request: `Ok` with what was checked, or `Err` with every rule it
/// breaks. Security (R-LEAVE-5) is the decision-maker's assessment, not decided here.
///
/// # Errors
///
/// The findings of each rule the request breaks.
pub fn check_leave(
    request: &LeaveRequest,
    position: &LeavePosition,
) -> Result<Vec<Finding>, Vec<Finding>> {
    let eligible = position.ordinary_leave_from;
    let rule = position.ordinary_leave_rule;
    let reached = request.from >= eligible;
    let mut ok = Vec::new();
    let mut broken = Vec::new();
    match request.kind {
        LeaveKind::Ordinary => {
            if reached {
                ok.push(Finding::new(
                    rule,
                    format!("ordinary leave is possible from {eligible}"),
                    format!("ordinær permisjon er mulig fra {eligible}"),
                ));
            } else {
                broken.push(Finding::new(
                    rule,
                    format!("ordinary leave is possible only from {eligible}"),
                    format!("ordinær permisjon er mulig først fra {eligible}"),
                ));
            }
            let quota = leave_quota(position.special_grounds);
            let after = position.used_this_year.saturating_add(request.days);
            let year = request.from.year();
            if after <= quota {
                ok.push(Finding::new(
                    RuleId::Leave2,
                    format!(
                        "{} + {} days is within the quota of {quota} days for {year}",
                        position.used_this_year, request.days
                    ),
                    format!(
                        "{} + {} dager er innenfor kvoten på {quota} dager for {year}",
                        position.used_this_year, request.days
                    ),
                ));
            } else {
                broken.push(Finding::new(
                    RuleId::Leave2,
                    format!(
                        "{} days used and {} asked exceed the quota of {quota} days for {year} by {}",
                        position.used_this_year,
                        request.days,
                        after - quota
                    ),
                    format!(
                        "{} dager brukt og {} søkt overskrider kvoten på {quota} dager for {year} med {}",
                        position.used_this_year,
                        request.days,
                        after - quota
                    ),
                ));
            }
        }
        LeaveKind::Welfare => {
            if reached {
                broken.push(Finding::new(
                    RuleId::Leave4,
                    format!(
                        "welfare leave is for the time before ordinary leave ({eligible}); apply for ordinary leave"
                    ),
                    format!(
                        "velferdspermisjon gjelder tiden før ordinær permisjon ({eligible}); søk ordinær permisjon"
                    ),
                ));
            } else {
                ok.push(Finding::new(
                    RuleId::Leave4,
                    format!("welfare leave may be granted before ordinary leave time ({eligible})"),
                    format!(
                        "velferdspermisjon kan innvilges før ordinær permisjonstid ({eligible})"
                    ),
                ));
            }
        }
        LeaveKind::Short => {
            let most = law::SHORT_LEAVE_MAXIMUM_HOURS;
            if !reached {
                broken.push(Finding::new(
                    RuleId::Leave4,
                    format!("short leave is possible only once ordinary leave time is reached ({eligible})"),
                    format!("korttidspermisjon er mulig først når ordinær permisjonstid er nådd ({eligible})"),
                ));
            }
            if request.hours == 0 || request.hours > most {
                broken.push(Finding::new(
                    RuleId::Leave4,
                    format!("short leave lasts 1 to {most} hours, not {}", request.hours),
                    format!(
                        "korttidspermisjon varer 1 til {most} timer, ikke {}",
                        request.hours
                    ),
                ));
            } else if reached {
                ok.push(Finding::new(
                    RuleId::Leave4,
                    format!("short leave of {} hours, outside the quota", request.hours),
                    format!(
                        "korttidspermisjon på {} timer, utenfor kvoten",
                        request.hours
                    ),
                ));
            }
        }
    }
    if broken.is_empty() {
        Ok(ok)
    } else {
        Err(broken)
    }
}
