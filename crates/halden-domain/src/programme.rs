//! The programme against intoxicated driving (program mot ruspåvirket kjøring, R-PROG-1; issue 6,
//! item 6): a suspended sentence whose condition is completing the programme, run by the
//! probation office.
//!
//! - [`Condition`]: what the court's condition sets — the programme's hours of teaching and
//!   treatment, the supervision period in months and the suspended prison term in days —
//!   checked by [`check_condition`] (date-effective: not before [`DRIVING_PROGRAMME_FROM`]; the
//!   figures plausible, each problem naming its field).
//! - [`Event`], [`Recorded`], [`in_effect`]: the append-only log (enrolment, sessions of
//!   teaching, treatment or supervision meetings, absences, breaches, warnings, the case to the
//!   court, completion); a correction is a new record naming the one it replaces or retracts.
//! - [`fold`] gives the [`Progress`] on a day (hours credited of those required, the supervision
//!   period's end, the [`Stage`]); [`check`] refuses an event the log cannot take, each problem
//!   naming its field in English and bokmål.
//!
//! The law: RULES.md R-PROG-1 (CONFIRMED) gives the sanction, its commencement on 2008-11-01 and
//! that a breach may send the case to the court for unconditional imprisonment. It does **not**
//! confirm the strl § (Q15: "probably strl § 37", the conditions of a suspended sentence), so
//! [`RuleId::Prog1`]'s reference says "unconfirmed". The 1996 content (20–30 hours of teaching
//! and treatment, one year of supervision) is HISTORICAL: here the court's condition gives the
//! hours and the period, and the bounds below are INFERENCE plausibility checks, never law.
//!
//! All arithmetic is in whole minutes, days and calendar months; no floating point.

use jiff::civil::Date;

use crate::{
    calendar::{add_days, add_months},
    law::{DRIVING_PROGRAMME_FROM, PRISON_MINIMUM_DAYS, RuleId},
    validate::FieldError,
};

pub use crate::community::{MINUTES_PER_HOUR, SESSION_MAXIMUM_MINUTES, hours_and_minutes};

/// The longest free text of an event (group, description, note).
pub const TEXT_MAXIMUM: usize = 2000;

/// The fewest programme hours a condition may set. INFERENCE: the 1996 programme had 20–30 hours
/// (HISTORICAL); no source gives a bound for today's programme. Half the historic floor, as a
/// check against typing errors — not a legal limit.
pub const HOURS_MINIMUM: u32 = 10;
/// The most programme hours a condition may set. INFERENCE, as [`HOURS_MINIMUM`]: twice the
/// historic ceiling of 30 hours.
pub const HOURS_MAXIMUM: u32 = 60;
/// The shortest supervision period in months. INFERENCE: the 1996 programme had one year of
/// supervision (HISTORICAL); a plausibility check, not a legal limit.
pub const SUPERVISION_MONTHS_MINIMUM: u32 = 1;
/// The longest supervision period in months. INFERENCE: five years, the longest probation period
/// (prøvetid) commonly given with a suspended sentence; not confirmed in RULES.md.
pub const SUPERVISION_MONTHS_MAXIMUM: u32 = 60;
/// The longest suspended prison term in days. INFERENCE: a plausibility check against typing
/// errors (three years); the programme replaces short unconditional sentences.
pub const SUSPENDED_DAYS_MAXIMUM: u32 = 3 * 365;

/// The court's programme condition on a suspended sentence (R-PROG-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    /// Hours of teaching and treatment to complete.
    pub hours: u32,
    /// The supervision period in calendar months, from the enrolment.
    pub supervision_months: u32,
    /// The prison term suspended on the condition, in days (what the court may convert to).
    pub suspended_days: u32,
}

impl Condition {
    /// The hours in minutes.
    pub fn required_minutes(self) -> u64 {
        u64::from(self.hours) * MINUTES_PER_HOUR
    }

    /// The supervision period's last day when enrolled on `enrolled`: enrolment + months − 1 day
    /// (months by the calendar, clamped to a shorter month's end, C-1). `None` out of range.
    pub fn supervision_end(self, enrolled: Date) -> Option<Date> {
        let after = add_months(enrolled, i64::from(self.supervision_months)).ok()?;
        add_days(after, -1).ok()
    }
}

/// Whether a judgment decided on `decision_date` may carry `condition`; each problem names its
/// field (`decision_date`, `hours`, `supervision_months`, `suspended_days`) in English and
/// bokmål. The date rule is R-PROG-1; the bounds are INFERENCE plausibility checks.
pub fn check_condition(decision_date: Date, condition: &Condition) -> Vec<FieldError> {
    let mut p = Vec::new();
    if decision_date < DRIVING_PROGRAMME_FROM {
        p.push(FieldError::bilingual(
            "decision_date",
            Some(RuleId::Prog1),
            format!(
                "the programme against intoxicated driving exists from {DRIVING_PROGRAMME_FROM}; a judgment of {decision_date} cannot carry it (the 1996 promilleprogram is a different sanction)"
            ),
            format!(
                "program mot ruspåvirket kjøring gjelder fra {DRIVING_PROGRAMME_FROM}; en dom av {decision_date} kan ikke ha det som vilkår (promilleprogrammet fra 1996 er en annen reaksjon)"
            ),
        ));
    }
    if !(HOURS_MINIMUM..=HOURS_MAXIMUM).contains(&condition.hours) {
        p.push(FieldError::bilingual(
            "hours",
            Some(RuleId::Prog1),
            format!(
                "{} hours is outside {HOURS_MINIMUM}–{HOURS_MAXIMUM} (a plausibility check: the 1996 programme had 20–30 hours)",
                condition.hours
            ),
            format!(
                "{} timer er utenfor {HOURS_MINIMUM}–{HOURS_MAXIMUM} (en rimelighetskontroll: programmet fra 1996 hadde 20–30 timer)",
                condition.hours
            ),
        ));
    }
    if !(SUPERVISION_MONTHS_MINIMUM..=SUPERVISION_MONTHS_MAXIMUM)
        .contains(&condition.supervision_months)
    {
        p.push(FieldError::bilingual(
            "supervision_months",
            Some(RuleId::Prog1),
            format!(
                "{} months is outside {SUPERVISION_MONTHS_MINIMUM}–{SUPERVISION_MONTHS_MAXIMUM} (a plausibility check: the 1996 programme had one year)",
                condition.supervision_months
            ),
            format!(
                "{} måneder er utenfor {SUPERVISION_MONTHS_MINIMUM}–{SUPERVISION_MONTHS_MAXIMUM} (en rimelighetskontroll: programmet fra 1996 hadde ett år)",
                condition.supervision_months
            ),
        ));
    }
    if !(PRISON_MINIMUM_DAYS..=SUSPENDED_DAYS_MAXIMUM).contains(&condition.suspended_days) {
        p.push(FieldError::bilingual(
            "suspended_days",
            Some(RuleId::Len1),
            format!(
                "{} days is outside {PRISON_MINIMUM_DAYS}–{SUSPENDED_DAYS_MAXIMUM} (prison is at least {PRISON_MINIMUM_DAYS} days, strl § 31)",
                condition.suspended_days
            ),
            format!(
                "{} dager er utenfor {PRISON_MINIMUM_DAYS}–{SUSPENDED_DAYS_MAXIMUM} (fengsel er minst {PRISON_MINIMUM_DAYS} dager, strl § 31)",
                condition.suspended_days
            ),
        ));
    }
    p
}

/// What a session was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Teaching (undervisning): credited to the programme's hours.
    Teaching,
    /// Treatment (behandling): credited to the programme's hours.
    Treatment,
    /// A supervision meeting (oppfølgingssamtale): part of the supervision period, not of the
    /// hours.
    SupervisionMeeting,
}

impl SessionKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [SessionKind; 3] = [
        SessionKind::Teaching,
        SessionKind::Treatment,
        SessionKind::SupervisionMeeting,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Teaching => "teaching",
            SessionKind::Treatment => "treatment",
            SessionKind::SupervisionMeeting => "supervision_meeting",
        }
    }

    /// From its machine name.
    pub fn parse(text: &str) -> Option<SessionKind> {
        SessionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            SessionKind::Teaching => ("teaching", "undervisning"),
            SessionKind::Treatment => ("treatment", "behandling"),
            SessionKind::SupervisionMeeting => ("supervision meeting", "oppfølgingssamtale"),
        }
    }

    /// Credited to the programme's hours.
    pub fn credits_hours(self) -> bool {
        self != SessionKind::SupervisionMeeting
    }
}

/// One event of the programme's log. Every event may carry a staff-only `note`, which the
/// person's own view leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The person starts the programme; the supervision period runs from `date`.
    Enrolment {
        /// The day.
        date: Date,
        /// The office's group or course.
        group: String,
        /// Staff-only note.
        note: String,
    },
    /// A session attended.
    Session {
        /// The day.
        date: Date,
        /// What it was.
        kind: SessionKind,
        /// Minutes attended.
        minutes: u32,
        /// Staff-only note.
        note: String,
    },
    /// A session not attended.
    Absence {
        /// The day.
        date: Date,
        /// Staff-only note.
        note: String,
    },
    /// A breach of the condition (R-PROG-1).
    Breach {
        /// The day.
        date: Date,
        /// What happened.
        description: String,
        /// Staff-only note.
        note: String,
    },
    /// A warning given after a breach or an absence.
    Warning {
        /// The day.
        date: Date,
        /// What the person was told.
        description: String,
        /// Staff-only note.
        note: String,
    },
    /// The case sent to the court, which may convert the sentence to unconditional imprisonment
    /// (R-PROG-1).
    CourtCase {
        /// The day.
        date: Date,
        /// Why.
        description: String,
        /// Staff-only note.
        note: String,
    },
    /// The programme is completed: every hour credited.
    Completion {
        /// The day.
        date: Date,
        /// Staff-only note.
        note: String,
    },
}

/// The event kinds as stored (`programme.` + this).
pub const EVENT_KINDS: [&str; 7] = [
    "enrolment",
    "session",
    "absence",
    "breach",
    "warning",
    "court_case",
    "completion",
];

impl Event {
    /// The kind (one of [`EVENT_KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Enrolment { .. } => "enrolment",
            Event::Session { .. } => "session",
            Event::Absence { .. } => "absence",
            Event::Breach { .. } => "breach",
            Event::Warning { .. } => "warning",
            Event::CourtCase { .. } => "court_case",
            Event::Completion { .. } => "completion",
        }
    }

    /// The day it happened.
    pub fn date(&self) -> Date {
        match self {
            Event::Enrolment { date, .. }
            | Event::Session { date, .. }
            | Event::Absence { date, .. }
            | Event::Breach { date, .. }
            | Event::Warning { date, .. }
            | Event::CourtCase { date, .. }
            | Event::Completion { date, .. } => *date,
        }
    }

    /// The staff-only note.
    pub fn note(&self) -> &str {
        match self {
            Event::Enrolment { note, .. }
            | Event::Session { note, .. }
            | Event::Absence { note, .. }
            | Event::Breach { note, .. }
            | Event::Warning { note, .. }
            | Event::CourtCase { note, .. }
            | Event::Completion { note, .. } => note,
        }
    }
}

/// A stored record: an event, or a retraction (`event: None`), possibly correcting another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its id (in recording order).
    pub id: i64,
    /// The record it replaces (same kind) or retracts.
    pub corrects: Option<i64>,
    /// The event, `None` for a retraction.
    pub event: Option<Event>,
}

/// The events in effect, by the id of the original record, in the order first recorded: the
/// latest correction of each replaces it; a retraction removes it.
pub fn in_effect(records: &[Recorded]) -> Vec<(i64, &Event)> {
    let mut root_of: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    let mut current: std::collections::HashMap<i64, Option<&Event>> =
        std::collections::HashMap::new();
    let mut order = Vec::new();
    for r in records {
        let root = match r.corrects {
            Some(target) => root_of.get(&target).copied().unwrap_or(target),
            None => {
                order.push(r.id);
                r.id
            }
        };
        root_of.insert(r.id, root);
        current.insert(root, r.event.as_ref());
    }
    order
        .into_iter()
        .filter_map(|root| current.get(&root).copied().flatten().map(|e| (root, e)))
        .collect()
}

/// Where the programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Not enrolled yet.
    AwaitingEnrolment,
    /// Enrolled, in the programme.
    InProgress,
    /// Warned after a breach or an absence.
    Warned,
    /// The case is with the court (R-PROG-1).
    WithCourt,
    /// Completed: every hour credited.
    Completed,
}

impl Stage {
    /// Every stage.
    pub const ALL: [Stage; 5] = [
        Stage::AwaitingEnrolment,
        Stage::InProgress,
        Stage::Warned,
        Stage::WithCourt,
        Stage::Completed,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::AwaitingEnrolment => "awaiting_enrolment",
            Stage::InProgress => "in_progress",
            Stage::Warned => "warned",
            Stage::WithCourt => "with_court",
            Stage::Completed => "completed",
        }
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Stage::AwaitingEnrolment => ("awaiting enrolment", "venter på oppstart"),
            Stage::InProgress => ("in the programme", "i programmet"),
            Stage::Warned => ("warned", "advart"),
            Stage::WithCourt => ("case with the court", "saken er sendt retten"),
            Stage::Completed => ("completed", "fullført"),
        }
    }
}

/// The stage from the events in effect alone (the caseload reads it without the judgment).
pub fn stage(events: &[&Event]) -> Stage {
    let has = |f: fn(&Event) -> bool| events.iter().any(|e| f(e));
    if has(|e| matches!(e, Event::Completion { .. })) {
        Stage::Completed
    } else if has(|e| matches!(e, Event::CourtCase { .. })) {
        Stage::WithCourt
    } else if !has(|e| matches!(e, Event::Enrolment { .. })) {
        Stage::AwaitingEnrolment
    } else if has(|e| matches!(e, Event::Warning { .. })) {
        Stage::Warned
    } else {
        Stage::InProgress
    }
}

/// The programme on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The court's condition.
    pub condition: Condition,
    /// Where it stands.
    pub stage: Stage,
    /// The enrolment day (the supervision period's first day).
    pub enrolled: Option<Date>,
    /// The group or course.
    pub group: Option<String>,
    /// The supervision period's last day: enrolment + months − 1 day.
    pub supervision_end: Option<Date>,
    /// The supervision period is over on the day.
    pub supervision_over: bool,
    /// Minutes required ([`Condition::required_minutes`]).
    pub required_minutes: u64,
    /// Minutes of teaching and treatment credited.
    pub credited_minutes: u64,
    /// Minutes still to complete.
    pub remaining_minutes: u64,
    /// Supervision meetings attended.
    pub supervision_meetings: usize,
    /// Absences recorded.
    pub absences: usize,
    /// Breaches recorded.
    pub breaches: usize,
    /// Warnings given.
    pub warnings: usize,
    /// The day the case went to the court.
    pub court_case: Option<Date>,
    /// The day the programme was completed.
    pub completed: Option<Date>,
}

/// The progress under `condition` on `today` from the events in effect.
pub fn fold(condition: Condition, events: &[&Event], today: Date) -> Progress {
    let mut p = Progress {
        condition,
        stage: stage(events),
        enrolled: None,
        group: None,
        supervision_end: None,
        supervision_over: false,
        required_minutes: condition.required_minutes(),
        credited_minutes: 0,
        remaining_minutes: 0,
        supervision_meetings: 0,
        absences: 0,
        breaches: 0,
        warnings: 0,
        court_case: None,
        completed: None,
    };
    for event in events {
        match event {
            Event::Enrolment { date, group, .. } => {
                p.enrolled = Some(*date);
                p.group = Some(group.clone());
            }
            Event::Session { kind, minutes, .. } => {
                if kind.credits_hours() {
                    p.credited_minutes += u64::from(*minutes);
                } else {
                    p.supervision_meetings += 1;
                }
            }
            Event::Absence { .. } => p.absences += 1,
            Event::Breach { .. } => p.breaches += 1,
            Event::Warning { .. } => p.warnings += 1,
            Event::CourtCase { date, .. } => p.court_case = Some(*date),
            Event::Completion { date, .. } => p.completed = Some(*date),
        }
    }
    p.supervision_end = p.enrolled.and_then(|e| condition.supervision_end(e));
    p.supervision_over = p.supervision_end.is_some_and(|end| today > end);
    p.remaining_minutes = p.required_minutes.saturating_sub(p.credited_minutes);
    p
}

/// Whether the log in effect (`events`) can take `new` on `today` for a judgment decided on
/// `decided`; every problem names its field (`date`, `minutes`, `kind`, …) in English and bokmål.
/// `replacing` is the original id of the record a correction replaces (left out while checking).
pub fn check(
    condition: Condition,
    decided: Date,
    events: &[(i64, &Event)],
    new: &Event,
    replacing: Option<i64>,
    today: Date,
) -> Vec<FieldError> {
    let others: Vec<&Event> = events
        .iter()
        .filter(|(id, _)| Some(*id) != replacing)
        .map(|(_, e)| *e)
        .collect();
    let now = fold(condition, &others, today);
    let mut p = Vec::new();
    let mut add = |field: &str, rule: Option<RuleId>, en: String, nb: String| {
        p.push(FieldError::bilingual(field, rule, en, nb));
    };
    let date = new.date();
    if date > today {
        add(
            "date",
            None,
            format!("{date} is in the future; record it on the day or after"),
            format!("{date} er fram i tid; registrer det på dagen eller senere"),
        );
    }
    let long = |text: &str| text.chars().count() > TEXT_MAXIMUM;
    if long(new.note()) {
        add(
            "note",
            None,
            format!("is longer than {TEXT_MAXIMUM} characters"),
            format!("er lengre enn {TEXT_MAXIMUM} tegn"),
        );
    }
    let required_text = match new {
        Event::Enrolment { group, .. } => Some(("group", group)),
        Event::Breach { description, .. }
        | Event::Warning { description, .. }
        | Event::CourtCase { description, .. } => Some(("description", description)),
        _ => None,
    };
    if let Some((field, text)) = required_text {
        if text.trim().is_empty() {
            add(
                field,
                None,
                "must not be empty".into(),
                "må fylles ut".into(),
            );
        } else if long(text) {
            add(
                field,
                None,
                format!("is longer than {TEXT_MAXIMUM} characters"),
                format!("er lengre enn {TEXT_MAXIMUM} tegn"),
            );
        }
    }
    if now.stage == Stage::Completed {
        add(
            "kind",
            None,
            "the programme is completed; correct the completion first".into(),
            "programmet er fullført; rett fullføringen først".into(),
        );
        return p;
    }
    let Some(enrolled) = now.enrolled.or(match new {
        Event::Enrolment { date, .. } => Some(*date),
        _ => None,
    }) else {
        add(
            "kind",
            None,
            "record the enrolment first".into(),
            "registrer oppstarten først".into(),
        );
        return p;
    };
    if !matches!(new, Event::Enrolment { .. }) && date < enrolled {
        add(
            "date",
            None,
            format!("{date} is before the enrolment ({enrolled})"),
            format!("{date} er før oppstarten ({enrolled})"),
        );
    }
    let breach_by = |day: Date, absence_too: bool| {
        others.iter().any(|e| match e {
            Event::Breach { date: b, .. } => *b <= day,
            Event::Absence { date: a, .. } => absence_too && *a <= day,
            _ => false,
        })
    };
    match new {
        Event::Enrolment { date, .. } => {
            if now.enrolled.is_some() {
                add(
                    "kind",
                    None,
                    "the enrolment is recorded; correct it instead".into(),
                    "oppstarten er registrert; rett den i stedet".into(),
                );
            }
            if *date < decided {
                add(
                    "date",
                    Some(RuleId::Prog1),
                    format!("{date} is before the judgment ({decided})"),
                    format!("{date} er før dommen ({decided})"),
                );
            }
            // A corrected enrolment must still come before everything recorded.
            if let Some(first) = others
                .iter()
                .filter(|e| !matches!(e, Event::Enrolment { .. }))
                .map(|e| e.date())
                .min()
                && first < *date
            {
                add(
                    "date",
                    None,
                    format!("an event on {first} would come before the enrolment"),
                    format!("en hendelse {first} ville komme før oppstarten"),
                );
            }
        }
        Event::Session { minutes, kind, .. } => {
            if *minutes == 0 || *minutes > SESSION_MAXIMUM_MINUTES {
                add(
                    "minutes",
                    None,
                    format!(
                        "{minutes} minutes is outside 1–{SESSION_MAXIMUM_MINUTES} (at most 12 hours a session)"
                    ),
                    format!(
                        "{minutes} minutter er utenfor 1–{SESSION_MAXIMUM_MINUTES} (høyst 12 timer per økt)"
                    ),
                );
            } else if kind.credits_hours() && u64::from(*minutes) > now.remaining_minutes {
                add(
                    "minutes",
                    Some(RuleId::Prog1),
                    format!(
                        "{minutes} minutes is more than the {} minutes left of the {} the court set",
                        now.remaining_minutes, now.required_minutes
                    ),
                    format!(
                        "{minutes} minutter er mer enn de {} minuttene som gjenstår av {} fastsatt i dommen",
                        now.remaining_minutes, now.required_minutes
                    ),
                );
            }
            if let Some(end) = now.supervision_end
                && date > end
            {
                add(
                    "date",
                    None,
                    format!("{date} is after the supervision period ({enrolled} – {end})"),
                    format!("{date} er etter oppfølgingsperioden ({enrolled} – {end})"),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Prog1),
                    "the case is with the court; no sessions are credited meanwhile".into(),
                    "saken er sendt retten; ingen økter godskrives i mellomtiden".into(),
                );
            }
        }
        Event::Absence { .. } | Event::Breach { .. } => {}
        Event::Warning { .. } => {
            if !breach_by(date, true) {
                add(
                    "date",
                    Some(RuleId::Prog1),
                    "a warning answers a breach or an absence: record it first".into(),
                    "en advarsel gis for et brudd eller fravær: registrer det først".into(),
                );
            }
        }
        Event::CourtCase { .. } => {
            if !breach_by(date, false) {
                add(
                    "date",
                    Some(RuleId::Prog1),
                    "the case goes to the court after a breach of the condition: record the breach first"
                        .into(),
                    "saken sendes retten etter brudd på vilkåret: registrer bruddet først".into(),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Prog1),
                    "the case is already with the court".into(),
                    "saken er allerede sendt retten".into(),
                );
            }
        }
        Event::Completion { .. } => {
            if now.remaining_minutes > 0 {
                add(
                    "kind",
                    Some(RuleId::Prog1),
                    format!(
                        "{} of {} minutes are credited; {} remain",
                        now.credited_minutes, now.required_minutes, now.remaining_minutes
                    ),
                    format!(
                        "{} av {} minutter er godskrevet; {} gjenstår",
                        now.credited_minutes, now.required_minutes, now.remaining_minutes
                    ),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Prog1),
                    "the case is with the court".into(),
                    "saken er sendt retten".into(),
                );
            }
            let last_session = others
                .iter()
                .filter_map(|e| match e {
                    Event::Session { date, .. } => Some(*date),
                    _ => None,
                })
                .max();
            if let Some(last) = last_session
                && date < last
            {
                add(
                    "date",
                    None,
                    format!("{date} is before the last session ({last})"),
                    format!("{date} er før siste økt ({last})"),
                );
            }
        }
    }
    p
}

/// Whether the record `target` (an original id in `events`) may be retracted: not while the
/// programme is completed (retract the completion first), and not the enrolment while anything
/// else is recorded.
pub fn check_retraction(events: &[(i64, &Event)], target: i64) -> Vec<FieldError> {
    let all: Vec<&Event> = events.iter().map(|(_, e)| *e).collect();
    let Some(event) = events.iter().find(|(id, _)| *id == target).map(|(_, e)| *e) else {
        return Vec::new();
    };
    let mut p = Vec::new();
    if stage(&all) == Stage::Completed && !matches!(event, Event::Completion { .. }) {
        p.push(FieldError::bilingual(
            "corrects",
            None,
            "the programme is completed; retract the completion first",
            "programmet er fullført; trekk tilbake fullføringen først",
        ));
    }
    if matches!(event, Event::Enrolment { .. }) && events.len() > 1 {
        p.push(FieldError::bilingual(
            "corrects",
            None,
            "the enrolment cannot be retracted while other events are recorded; correct it instead",
            "oppstarten kan ikke trekkes tilbake når andre hendelser er registrert; rett den i stedet",
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The court's condition in the tests: 24 hours, 12 months, 60 days suspended.
    const CONDITION: Condition = Condition {
        hours: 24,
        supervision_months: 12,
        suspended_days: 60,
    };
    const DECIDED: Date = date(2025, 1, 10);

    fn enrol(day: Date) -> Event {
        Event::Enrolment {
            date: day,
            group: "Gruppe Oslo vår".into(),
            note: String::new(),
        }
    }

    fn session(day: Date, kind: SessionKind, minutes: u32) -> Event {
        Event::Session {
            date: day,
            kind,
            minutes,
            note: String::new(),
        }
    }

    fn fields(p: &[FieldError]) -> Vec<&str> {
        p.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn the_programme_exists_from_1_november_2008() {
        // The day before commencement is refused on `decision_date`, with R-PROG-1.
        let before = check_condition(date(2008, 10, 31), &CONDITION);
        assert_eq!(fields(&before), ["decision_date"]);
        assert_eq!(before[0].rule, Some(RuleId::Prog1));
        // The commencement day itself may carry it.
        assert!(check_condition(date(2008, 11, 1), &CONDITION).is_empty());
    }

    #[test]
    fn the_condition_is_checked_for_plausibility_naming_each_field() {
        let wrong = Condition {
            hours: 240,
            supervision_months: 0,
            suspended_days: 13,
        };
        assert_eq!(
            fields(&check_condition(DECIDED, &wrong)),
            ["hours", "supervision_months", "suspended_days"]
        );
        // The bounds themselves pass: 10 and 60 hours, 1 and 60 months, 14 days.
        for (hours, months) in [(10, 1), (60, 60)] {
            let c = Condition {
                hours,
                supervision_months: months,
                suspended_days: 14,
            };
            assert!(check_condition(DECIDED, &c).is_empty());
        }
    }

    #[test]
    fn the_supervision_period_runs_from_the_enrolment_by_the_calendar() {
        // Enrolled 2025-03-03; 12 months later is 2026-03-03; the last day is the day before,
        // 2026-03-02.
        assert_eq!(
            CONDITION.supervision_end(date(2025, 3, 3)),
            Some(date(2026, 3, 2))
        );
        // Enrolled 2024-02-29 (leap day), 12 months: 2025-02-28 (clamped, C-1) − 1 = 2025-02-27.
        assert_eq!(
            CONDITION.supervision_end(date(2024, 2, 29)),
            Some(date(2025, 2, 27))
        );
    }

    #[test]
    fn hours_are_credited_from_teaching_and_treatment_only() {
        // Required 24 h × 60 = 1 440 minutes. Teaching 3 h (180) + treatment 2:30 (150) = 330;
        // the supervision meeting (45) is not credited. Remaining 1 440 − 330 = 1 110.
        let events = [
            enrol(date(2025, 3, 3)),
            session(date(2025, 3, 4), SessionKind::Teaching, 180),
            session(date(2025, 3, 11), SessionKind::Treatment, 150),
            session(date(2025, 3, 18), SessionKind::SupervisionMeeting, 45),
        ];
        let list: Vec<&Event> = events.iter().collect();
        let p = fold(CONDITION, &list, date(2025, 4, 1));
        assert_eq!(p.required_minutes, 1440);
        assert_eq!(p.credited_minutes, 330);
        assert_eq!(p.remaining_minutes, 1110);
        assert_eq!(p.supervision_meetings, 1);
        assert_eq!(p.supervision_end, Some(date(2026, 3, 2)));
        assert!(!p.supervision_over);
        assert_eq!(p.stage, Stage::InProgress);
        // The day after the period's last day it is over.
        assert!(fold(CONDITION, &list, date(2026, 3, 3)).supervision_over);
        assert!(!fold(CONDITION, &list, date(2026, 3, 2)).supervision_over);
    }

    #[test]
    fn completion_only_when_every_hour_is_credited() {
        let today = date(2025, 6, 1);
        let mut events = vec![(1, enrol(date(2025, 3, 3)))];
        // Eight teaching sessions of 2:45 = 165 minutes each = 1 320; 120 remain of 1 440.
        for i in 0..8 {
            events.push((
                2 + i,
                session(date(2025, 3, 4 + i as i8), SessionKind::Teaching, 165),
            ));
        }
        let done = Event::Completion {
            date: today,
            note: String::new(),
        };
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        let refused = check(CONDITION, DECIDED, &view, &done, None, today);
        assert_eq!(fields(&refused), ["kind"]);
        assert!(refused[0].message.contains("1320 of 1440 minutes"));
        // 121 minutes is one too many; 120 fits exactly.
        let too_many = session(date(2025, 3, 20), SessionKind::Treatment, 121);
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &too_many, None, today)),
            ["minutes"]
        );
        // A supervision meeting is not held against the hours left.
        let meeting = session(date(2025, 3, 20), SessionKind::SupervisionMeeting, 121);
        assert!(check(CONDITION, DECIDED, &view, &meeting, None, today).is_empty());
        events.push((20, session(date(2025, 3, 20), SessionKind::Treatment, 120)));
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        assert!(check(CONDITION, DECIDED, &view, &done, None, today).is_empty());
        // Completion before the last session is refused on `date`.
        let early = Event::Completion {
            date: date(2025, 3, 19),
            note: String::new(),
        };
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &early, None, today)),
            ["date"]
        );
    }

    #[test]
    fn a_breach_then_a_warning_then_the_court() {
        let today = date(2025, 6, 1);
        let mut events = vec![(1, enrol(date(2025, 3, 3)))];
        let warning = Event::Warning {
            date: date(2025, 4, 2),
            description: "Skriftlig advarsel".into(),
            note: String::new(),
        };
        let court = Event::CourtCase {
            date: date(2025, 5, 2),
            description: "Gjentatt brudd".into(),
            note: String::new(),
        };
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        // Nothing to answer yet: both refused on `date`.
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &warning, None, today)),
            ["date"]
        );
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &court, None, today)),
            ["date"]
        );
        events.push((
            2,
            Event::Breach {
                date: date(2025, 4, 1),
                description: "Møtte beruset".into(),
                note: String::new(),
            },
        ));
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        assert!(check(CONDITION, DECIDED, &view, &warning, None, today).is_empty());
        events.push((3, warning));
        let list: Vec<&Event> = events.iter().map(|(_, e)| e).collect();
        assert_eq!(stage(&list), Stage::Warned);
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        assert!(check(CONDITION, DECIDED, &view, &court, None, today).is_empty());
        events.push((4, court.clone()));
        let view: Vec<(i64, &Event)> = events.iter().map(|(i, e)| (*i, e)).collect();
        let list: Vec<&Event> = events.iter().map(|(_, e)| e).collect();
        assert_eq!(stage(&list), Stage::WithCourt);
        // Not twice, and no sessions meanwhile.
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &court, None, today)),
            ["kind"]
        );
        let s = session(date(2025, 5, 3), SessionKind::Teaching, 60);
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &view, &s, None, today)),
            ["kind"]
        );
    }

    #[test]
    fn nothing_before_the_enrolment_and_a_correction_replaces_its_record() {
        let today = date(2025, 6, 1);
        let s = session(date(2025, 3, 4), SessionKind::Teaching, 60);
        assert_eq!(
            fields(&check(CONDITION, DECIDED, &[], &s, None, today)),
            ["kind"]
        );
        // Enrolment before the judgment: refused on `date`.
        assert_eq!(
            fields(&check(
                CONDITION,
                DECIDED,
                &[],
                &enrol(date(2025, 1, 9)),
                None,
                today
            )),
            ["date"]
        );
        let records = vec![
            Recorded {
                id: 1,
                corrects: None,
                event: Some(enrol(date(2025, 3, 3))),
            },
            Recorded {
                id: 2,
                corrects: None,
                event: Some(session(date(2025, 3, 4), SessionKind::Teaching, 600)),
            },
            // The wrong 600 minutes corrected to 180.
            Recorded {
                id: 3,
                corrects: Some(2),
                event: Some(session(date(2025, 3, 4), SessionKind::Teaching, 180)),
            },
        ];
        let effective = in_effect(&records);
        assert_eq!(effective.len(), 2);
        assert_eq!(effective[1].0, 2);
        let list: Vec<&Event> = effective.iter().map(|(_, e)| *e).collect();
        assert_eq!(fold(CONDITION, &list, today).credited_minutes, 180);
        // Moving the enrolment after the session is refused.
        assert_eq!(
            fields(&check(
                CONDITION,
                DECIDED,
                &effective,
                &enrol(date(2025, 3, 5)),
                Some(1),
                today
            )),
            ["date"]
        );
        // The enrolment cannot be retracted while the session stands.
        assert_eq!(fields(&check_retraction(&effective, 1)), ["corrects"]);
        assert!(check_retraction(&effective, 2).is_empty());
    }
}
