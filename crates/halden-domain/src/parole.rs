//! Parole supervision (prøveløslatelse med prøvetid, strgjfl §§ 42–44): the conditions set for
//! the probation period, the reporting schedule and its log, the reports missed, breaches,
//! warnings and the case for re-imprisonment (issue 6, item 5).
//!
//! - [`Condition`]: reporting (with its [`Schedule`]), sobriety, residence, treatment, work or
//!   training, no contact with named persons; each with its own required fields (R-PAR-5).
//! - [`Event`], [`Recorded`], [`in_effect`]: the append-only log; a correction is a new record
//!   naming the one it replaces or retracts.
//! - [`fold`] gives the [`Supervision`] on a day: the conditions in effect, the schedule, the
//!   reports due and missed, and the [`Stage`]; [`check`] refuses an event the log cannot take,
//!   each problem naming its field in English and bokmål.
//! - The probation period ends on the engine's date (R-PAR-4, [`crate::calc::DateKey::ProbationEnd`]);
//!   no report falls due after it.
//!
//! Rule ids: RULES.md gives R-PAR-5 (CONFIRMED secondary) for the conditions and for what follows
//! a breach (a warning, new conditions, or the case to the court for re-imprisonment of the rest),
//! under its section heading "Parole — strgjfl §§ 42–44"; it names no single § for R-PAR-5, so
//! [`RuleId::Par5`] carries the section's §§ 42–44. RULES.md has no id for a missed report:
//! a report day is missed when no report is logged in its window (see [`fold`]) — a reading of
//! the reporting duty, not a rule of its own.
//!
//! All arithmetic is in whole days (day numbers); no floating point.

use jiff::civil::{Date, Weekday};

use crate::{
    calendar::{add_days, day_number, from_day_number},
    law::RuleId,
    validate::FieldError,
};

/// The longest free text (description, note, reason, address …).
pub const TEXT_MAXIMUM: usize = 2000;

/// The longest interval of a reporting schedule in days (INFERENCE: no source gives one; a
/// plausibility check against typing errors, e.g. 700 for 7).
pub const EVERY_DAYS_MAXIMUM: u16 = 366;

/// The kinds of condition (R-PAR-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConditionKind {
    /// Reporting (meldeplikt) on a schedule.
    Reporting,
    /// Sobriety (avholdsvilkår; reporting in a sober state).
    Sobriety,
    /// Residence (bosted).
    Residence,
    /// Treatment (behandling).
    Treatment,
    /// Work or training (arbeid eller opplæring).
    WorkOrTraining,
    /// No contact with named persons (kontaktforbud).
    NoContact,
}

impl ConditionKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [ConditionKind; 6] = [
        ConditionKind::Reporting,
        ConditionKind::Sobriety,
        ConditionKind::Residence,
        ConditionKind::Treatment,
        ConditionKind::WorkOrTraining,
        ConditionKind::NoContact,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionKind::Reporting => "reporting",
            ConditionKind::Sobriety => "sobriety",
            ConditionKind::Residence => "residence",
            ConditionKind::Treatment => "treatment",
            ConditionKind::WorkOrTraining => "work_or_training",
            ConditionKind::NoContact => "no_contact",
        }
    }

    /// From its machine name.
    pub fn parse(text: &str) -> Option<ConditionKind> {
        ConditionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ConditionKind::Reporting => ("Reporting", "Meldeplikt"),
            ConditionKind::Sobriety => ("Sobriety", "Avholdsvilkår"),
            ConditionKind::Residence => ("Residence", "Bosted"),
            ConditionKind::Treatment => ("Treatment", "Behandling"),
            ConditionKind::WorkOrTraining => ("Work or training", "Arbeid eller opplæring"),
            ConditionKind::NoContact => ("No contact with named persons", "Kontaktforbud"),
        }
    }
}

/// How often the person reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Every week on this weekday, from the first such day on or after the schedule's start.
    Weekly(Weekday),
    /// Every `n` days from the schedule's start (its first day is a report day).
    EveryDays(u16),
}

/// Parses an English weekday name (`monday` … `sunday`).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    Some(match text {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// A weekday's machine name.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

/// A reporting schedule: how often, and where (the office location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// How often.
    pub frequency: Frequency,
    /// Where to report: the office location (e.g. `F001`) or its address.
    pub location: String,
}

/// A condition of the probation period (R-PAR-5), with its own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Report on the schedule.
    Reporting(Schedule),
    /// Stay sober: which substances, and how it is checked.
    Sobriety {
        /// E.g. "alcohol and narcotics".
        substances: String,
        /// How it is checked (e.g. "urine samples at reporting"); may be empty.
        testing: String,
    },
    /// Live at an address.
    Residence {
        /// The address.
        address: String,
        /// The municipality.
        municipality: String,
    },
    /// Undergo treatment.
    Treatment {
        /// Who treats (institution or service).
        provider: String,
        /// What (may be empty).
        description: String,
    },
    /// Work or training.
    WorkOrTraining {
        /// Where (employer or school).
        place: String,
        /// What (may be empty).
        description: String,
    },
    /// No contact with the persons named.
    NoContact {
        /// The persons, one name each.
        persons: Vec<String>,
    },
}

impl Condition {
    /// Its kind.
    pub fn kind(&self) -> ConditionKind {
        match self {
            Condition::Reporting(_) => ConditionKind::Reporting,
            Condition::Sobriety { .. } => ConditionKind::Sobriety,
            Condition::Residence { .. } => ConditionKind::Residence,
            Condition::Treatment { .. } => ConditionKind::Treatment,
            Condition::WorkOrTraining { .. } => ConditionKind::WorkOrTraining,
            Condition::NoContact { .. } => ConditionKind::NoContact,
        }
    }
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A condition from a day (to a day, when limited). A condition of a kind already set
    /// replaces it from its day: "new conditions" (R-PAR-5). A condition from after the
    /// supervision's first day needs its reason.
    Condition {
        /// First day.
        from: Date,
        /// Last day (a reporting duty for a limited period is the norm, R-PAR-5).
        until: Option<Date>,
        /// What.
        condition: Condition,
        /// Why (required for a new condition set after the start).
        reason: String,
    },
    /// The person reported on a day.
    Report {
        /// The day.
        date: Date,
        /// Sober when reporting.
        sober: bool,
        /// A note (may be empty).
        note: String,
    },
    /// A breach of a condition.
    Breach {
        /// The day.
        date: Date,
        /// The condition broken.
        condition: ConditionKind,
        /// What happened.
        description: String,
    },
    /// A warning after a breach (R-PAR-5).
    Warning {
        /// The day.
        date: Date,
        /// What it says.
        description: String,
    },
    /// The case sent to the court for re-imprisonment of the rest (R-PAR-5).
    CourtCase {
        /// The day.
        date: Date,
        /// What it says.
        description: String,
    },
}

/// The event kinds as stored (`parole.` + this).
pub const EVENT_KINDS: [&str; 5] = ["condition", "report", "breach", "warning", "court_case"];

impl Event {
    /// The kind (one of [`EVENT_KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Condition { .. } => "condition",
            Event::Report { .. } => "report",
            Event::Breach { .. } => "breach",
            Event::Warning { .. } => "warning",
            Event::CourtCase { .. } => "court_case",
        }
    }

    /// The day it happened (a condition: its first day).
    pub fn date(&self) -> Date {
        match self {
            Event::Condition { from, .. } => *from,
            Event::Report { date, .. }
            | Event::Breach { date, .. }
            | Event::Warning { date, .. }
            | Event::CourtCase { date, .. } => *date,
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

/// The supervision's term: its first day (the parole date, from the supervision entry) and the
/// probation period's end, the engine's R-PAR-4 date (`None` when the engine gives none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// First day of supervision.
    pub start: Date,
    /// The last day of the probation period (R-PAR-4), from the engine.
    pub end: Option<Date>,
}

/// Where the supervision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Under supervision.
    Active,
    /// Warned after a breach (R-PAR-5).
    Warned,
    /// The case for re-imprisonment is with the court (R-PAR-5).
    WithCourt,
    /// The probation period is over (R-PAR-4).
    Ended,
}

impl Stage {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Active => "active",
            Stage::Warned => "warned",
            Stage::WithCourt => "with_court",
            Stage::Ended => "ended",
        }
    }
}

/// One report day and the report that met it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The report day.
    pub date: Date,
    /// The report logged in its window, if any.
    pub reported: Option<Date>,
}

impl Due {
    /// No report in its window.
    pub fn missed(&self) -> bool {
        self.reported.is_none()
    }
}

/// The supervision on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    /// The term.
    pub term: Term,
    /// The stage.
    pub stage: Stage,
    /// The conditions in effect on the day, by record id, in [`ConditionKind::ALL`] order.
    pub conditions: Vec<(i64, Condition)>,
    /// Every report day before the day (and not after the probation end), oldest first.
    pub due: Vec<Due>,
    /// The next report day from the day on (within the probation period), if any.
    pub next_due: Option<Date>,
    /// The reports logged (record id, day, sober), oldest first.
    pub reports: Vec<(i64, Date, bool)>,
    /// Breaches, warnings in effect.
    pub breaches: usize,
    /// Warnings in effect.
    pub warnings: usize,
    /// The day the case went to the court, when it did.
    pub court_case: Option<Date>,
}

impl Supervision {
    /// The report days missed, oldest first.
    pub fn missed(&self) -> Vec<Date> {
        self.due
            .iter()
            .filter(|d| d.missed())
            .map(|d| d.date)
            .collect()
    }
}

/// The condition of `kind` in effect on `day`: of those whose span holds the day, the one with
/// the latest first day (on the same first day, the one recorded last).
fn condition_on(events: &[(i64, &Event)], kind: ConditionKind, day: Date) -> Option<(i64, Date)> {
    events
        .iter()
        .filter_map(|(id, e)| match e {
            Event::Condition {
                from,
                until,
                condition,
                ..
            } if condition.kind() == kind && *from <= day && until.is_none_or(|u| day <= u) => {
                Some((*id, *from))
            }
            _ => None,
        })
        .max_by_key(|(id, from)| (*from, *id))
}

/// The first report day of `frequency` on or after `from` (day numbers).
fn first_due(frequency: Frequency, from: i32) -> i32 {
    match frequency {
        Frequency::EveryDays(_) => from,
        Frequency::Weekly(weekday) => {
            // Days since Monday: 0..=6 on both sides; the gap is their difference modulo 7.
            let target = i32::from(weekday.to_monday_zero_offset());
            let have = from_day_number(from)
                .map(|d| i32::from(d.weekday().to_monday_zero_offset()))
                .unwrap_or(target);
            from + (target - have).rem_euclid(7)
        }
    }
}

fn step(frequency: Frequency) -> i32 {
    match frequency {
        Frequency::Weekly(_) => 7,
        Frequency::EveryDays(n) => i32::from(n.max(1)),
    }
}

/// The report days of the schedules in effect within `[first, last]` (day numbers), each with
/// the start of its window: a report day D is met by a report logged in (the previous report
/// day of the same schedule, D], the first by a report from the schedule's first day.
fn report_days(events: &[(i64, &Event)], first: i32, last: i32) -> Vec<(i32, i32)> {
    let mut spans: Vec<(i32, i32, Frequency, i64)> = Vec::new();
    // The reporting conditions by first day; each runs until the next one's first day, or its
    // own last day.
    let mut reporting: Vec<(i32, Option<i32>, Frequency, i64)> = events
        .iter()
        .filter_map(|(id, e)| match e {
            Event::Condition {
                from,
                until,
                condition: Condition::Reporting(s),
                ..
            } => Some((day_number(*from), until.map(day_number), s.frequency, *id)),
            _ => None,
        })
        .collect();
    reporting.sort_by_key(|(from, _, _, id)| (*from, *id));
    for (i, (from, until, frequency, id)) in reporting.iter().enumerate() {
        let next = reporting[i + 1..]
            .iter()
            .find(|(f, ..)| f > from)
            .map(|(f, ..)| f - 1);
        // A later record on the same first day replaces this one.
        if reporting[i + 1..].iter().any(|(f, ..)| f == from) {
            continue;
        }
        let end = [*until, next, Some(last)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(last);
        let start = (*from).max(first);
        if start <= end {
            spans.push((*from, end, *frequency, *id));
        }
    }
    let mut days = Vec::new();
    for (from, end, frequency, _) in spans {
        let mut window = from;
        let mut day = first_due(frequency, from);
        let step = step(frequency);
        while day <= end {
            if day >= first {
                days.push((day, window));
            }
            window = day + 1;
            day += step;
        }
    }
    days.sort_unstable();
    days
}

/// The supervision on `today`, from the events in effect.
///
/// Report days run from the reporting condition's first day (weekly: the first such weekday on
/// or after it; every N days: that day and each N days on), until the condition ends, a new
/// reporting condition replaces it, or the probation period ends (R-PAR-4). A report day D
/// before `today` is *missed* when no report is logged in its window: after the previous report
/// day of the same schedule (or from the schedule's first day) up to and including D. `today`
/// itself is not yet missed.
pub fn fold(events: &[(i64, &Event)], term: Term, today: Date) -> Supervision {
    let today_n = day_number(today);
    let end_n = term.end.map(day_number);
    let start_n = day_number(term.start);
    let before_today = today_n - 1;
    let last = end_n.map_or(before_today, |e| e.min(before_today));
    let mut reports: Vec<(i64, Date, bool)> = events
        .iter()
        .filter_map(|(id, e)| match e {
            Event::Report { date, sober, .. } => Some((*id, *date, *sober)),
            _ => None,
        })
        .collect();
    reports.sort_by_key(|(id, d, _)| (*d, *id));
    let report_days_n: Vec<i32> = reports.iter().map(|(_, d, _)| day_number(*d)).collect();
    let due = report_days(events, start_n, last)
        .into_iter()
        .filter_map(|(day, window)| {
            let reported = report_days_n
                .iter()
                .rev()
                .find(|r| **r >= window && **r <= day)
                .and_then(|r| from_day_number(*r).ok());
            Some(Due {
                date: from_day_number(day).ok()?,
                reported,
            })
        })
        .collect();
    // The next report day: the first on or after today, within the period.
    let horizon = end_n.unwrap_or(today_n + 400).min(today_n + 400);
    let next_due = report_days(events, today_n.max(start_n), horizon)
        .first()
        .and_then(|(d, _)| from_day_number(*d).ok());
    let conditions = ConditionKind::ALL
        .iter()
        .filter_map(|kind| {
            let (id, _) = condition_on(events, *kind, today)?;
            events.iter().find_map(|(i, e)| match e {
                Event::Condition { condition, .. } if *i == id => Some((id, condition.clone())),
                _ => None,
            })
        })
        .collect();
    let count = |kind: &str| events.iter().filter(|(_, e)| e.kind() == kind).count();
    let court_case = events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::CourtCase { date, .. } => Some(*date),
            _ => None,
        })
        .min();
    let warnings = count("warning");
    let stage = if end_n.is_some_and(|e| today_n > e) {
        Stage::Ended
    } else if court_case.is_some() {
        Stage::WithCourt
    } else if warnings > 0 {
        Stage::Warned
    } else {
        Stage::Active
    };
    Supervision {
        term,
        stage,
        conditions,
        due,
        next_due,
        reports,
        breaches: count("breach"),
        warnings,
        court_case,
    }
}

fn problem(field: &str, rule: Option<RuleId>, en: String, nb: String) -> FieldError {
    FieldError::bilingual(field, rule, en, nb)
}

fn text_problems(field: &str, text: &str, required: bool, problems: &mut Vec<FieldError>) {
    if required && text.trim().is_empty() {
        problems.push(problem(
            field,
            None,
            "is required".into(),
            "må fylles ut".into(),
        ));
    } else if text.chars().count() > TEXT_MAXIMUM {
        problems.push(problem(
            field,
            None,
            format!("at most {TEXT_MAXIMUM} characters"),
            format!("høyst {TEXT_MAXIMUM} tegn"),
        ));
    }
}

/// What refuses `event` as new (or as the correction of the record `corrects`, by its
/// original id) against the events in effect, on `today`; empty when it may be recorded.
/// Fields are named as in the payload (`date`, `from`, `address`, `persons`, …).
pub fn check(
    events: &[(i64, &Event)],
    term: Term,
    event: &Event,
    corrects: Option<i64>,
    today: Date,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let others: Vec<(i64, &Event)> = events
        .iter()
        .filter(|(id, _)| Some(*id) != corrects)
        .map(|(id, e)| (*id, *e))
        .collect();
    let date_field = if matches!(event, Event::Condition { .. }) {
        "from"
    } else {
        "date"
    };
    let date = event.date();
    if date < term.start {
        problems.push(problem(
            date_field,
            None,
            format!("is before the supervision began ({})", term.start),
            format!("er før oppfølgingen startet ({})", term.start),
        ));
    }
    if let Some(end) = term.end
        && date > end
    {
        problems.push(problem(
            date_field,
            Some(RuleId::Par4),
            format!("is after the probation period ended ({end}, R-PAR-4)"),
            format!("er etter at prøvetiden løp ut ({end}, R-PAR-4)"),
        ));
    }
    if !matches!(event, Event::Condition { .. }) && date > today {
        problems.push(problem(
            "date",
            None,
            format!("is in the future (today is {today})"),
            format!("er fram i tid (i dag er {today})"),
        ));
    }
    match event {
        Event::Condition {
            from,
            until,
            condition,
            reason,
        } => {
            if let Some(u) = until
                && u < from
            {
                problems.push(problem(
                    "until",
                    None,
                    format!("is before the first day ({from})"),
                    format!("er før første dag ({from})"),
                ));
            }
            if *from > term.start && reason.trim().is_empty() {
                problems.push(problem(
                    "reason",
                    Some(RuleId::Par5),
                    format!(
                        "a new condition set after the supervision began ({}) needs its reason (R-PAR-5)",
                        term.start
                    ),
                    format!(
                        "et nytt vilkår fastsatt etter at oppfølgingen startet ({}) må begrunnes (R-PAR-5)",
                        term.start
                    ),
                ));
            }
            text_problems("reason", reason, false, &mut problems);
            match condition {
                Condition::Reporting(s) => {
                    text_problems("location", &s.location, true, &mut problems);
                    if let Frequency::EveryDays(n) = s.frequency
                        && (n == 0 || n > EVERY_DAYS_MAXIMUM)
                    {
                        problems.push(problem(
                            "every_days",
                            None,
                            format!("must be 1 to {EVERY_DAYS_MAXIMUM} days"),
                            format!("må være 1 til {EVERY_DAYS_MAXIMUM} dager"),
                        ));
                    }
                }
                Condition::Sobriety {
                    substances,
                    testing,
                } => {
                    text_problems("substances", substances, true, &mut problems);
                    text_problems("testing", testing, false, &mut problems);
                }
                Condition::Residence {
                    address,
                    municipality,
                } => {
                    text_problems("address", address, true, &mut problems);
                    text_problems("municipality", municipality, true, &mut problems);
                }
                Condition::Treatment {
                    provider,
                    description,
                } => {
                    text_problems("provider", provider, true, &mut problems);
                    text_problems("description", description, false, &mut problems);
                }
                Condition::WorkOrTraining { place, description } => {
                    text_problems("place", place, true, &mut problems);
                    text_problems("description", description, false, &mut problems);
                }
                Condition::NoContact { persons } => {
                    if persons.iter().all(|p| p.trim().is_empty()) {
                        problems.push(problem(
                            "persons",
                            Some(RuleId::Par5),
                            "name at least one person".into(),
                            "oppgi minst én person".into(),
                        ));
                    }
                    for (i, p) in persons.iter().enumerate() {
                        text_problems(&format!("persons[{i}]"), p, false, &mut problems);
                    }
                }
            }
        }
        Event::Report { date, note, .. } => {
            text_problems("note", note, false, &mut problems);
            if others
                .iter()
                .any(|(_, e)| matches!(e, Event::Report { date: d, .. } if d == date))
            {
                problems.push(problem(
                    "date",
                    None,
                    format!("a report on {date} is already logged"),
                    format!("et oppmøte {date} er allerede registrert"),
                ));
            }
        }
        Event::Breach {
            date,
            condition,
            description,
        } => {
            text_problems("description", description, true, &mut problems);
            if condition_on(&others, *condition, *date).is_none() {
                let (en, nb) = condition.label();
                problems.push(problem(
                    "condition",
                    Some(RuleId::Par5),
                    format!("no condition '{en}' was in effect on {date}"),
                    format!("vilkåret «{nb}» gjaldt ikke {date}"),
                ));
            }
        }
        Event::Warning { date, description } | Event::CourtCase { date, description } => {
            text_problems("description", description, true, &mut problems);
            let breach_before = others
                .iter()
                .any(|(_, e)| matches!(e, Event::Breach { date: d, .. } if d <= date));
            if !breach_before {
                problems.push(problem(
                    "kind",
                    Some(RuleId::Par5),
                    format!(
                        "a {} follows a breach of the conditions (R-PAR-5); none is recorded on or before {date}",
                        if event.kind() == "warning" { "warning" } else { "case for re-imprisonment" }
                    ),
                    format!(
                        "{} forutsetter brudd på vilkårene (R-PAR-5); ingen brudd er registrert til og med {date}",
                        if event.kind() == "warning" { "en advarsel" } else { "en sak om gjeninnsettelse" }
                    ),
                ));
            }
            if event.kind() == "court_case"
                && others
                    .iter()
                    .any(|(_, e)| matches!(e, Event::CourtCase { .. }))
            {
                problems.push(problem(
                    "kind",
                    None,
                    "the case is already with the court".into(),
                    "saken er allerede sendt retten".into(),
                ));
            }
        }
    }
    problems
}

/// Adds whole days, for callers that build dates (saturating at jiff's range).
pub fn plus_days(date: Date, days: i32) -> Date {
    add_days(date, days).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use jiff::civil::date;

    fn reporting(from: Date, frequency: Frequency) -> Event {
        Event::Condition {
            from,
            until: None,
            condition: Condition::Reporting(Schedule {
                frequency,
                location: "F001".into(),
            }),
            reason: String::new(),
        }
    }

    fn report(d: Date) -> Event {
        Event::Report {
            date: d,
            sober: true,
            note: String::new(),
        }
    }

    fn list(events: &[Event]) -> Vec<(i64, &Event)> {
        events
            .iter()
            .enumerate()
            .map(|(i, e)| (i64::try_from(i).unwrap() + 1, e))
            .collect()
    }

    const TERM: Term = Term {
        start: date(2026, 11, 2),
        end: Some(date(2027, 3, 1)),
    };

    #[test]
    fn weekly_monday_reporting_misses_the_ninth_and_the_twenty_third() {
        // 2026-11-02 is a Monday. Report days before today (Tue 2026-11-24): 11-02, 11-09,
        // 11-16, 11-23. Reports on 11-02 and 11-16 → missed 11-09 and 11-23.
        let events = vec![
            reporting(date(2026, 11, 2), Frequency::Weekly(Weekday::Monday)),
            report(date(2026, 11, 2)),
            report(date(2026, 11, 16)),
        ];
        let s = fold(&list(&events), TERM, date(2026, 11, 24));
        assert_eq!(
            s.due.iter().map(|d| d.date).collect::<Vec<_>>(),
            vec![
                date(2026, 11, 2),
                date(2026, 11, 9),
                date(2026, 11, 16),
                date(2026, 11, 23)
            ]
        );
        assert_eq!(s.missed(), vec![date(2026, 11, 9), date(2026, 11, 23)]);
        // The next: Monday 11-23 + 7 = 11-30.
        assert_eq!(s.next_due, Some(date(2026, 11, 30)));
        assert_eq!(s.stage, Stage::Active);
    }

    #[test]
    fn a_report_day_today_is_not_yet_missed_and_a_late_report_does_not_meet_it() {
        // Today Monday 11-09: due before today only 11-02 (met). A report on Tue 11-10 is in
        // the window (11-09, 11-16], so on 11-17 the 11-09 is missed and 11-16 is met.
        let events = vec![
            reporting(date(2026, 11, 2), Frequency::Weekly(Weekday::Monday)),
            report(date(2026, 11, 2)),
        ];
        let s = fold(&list(&events), TERM, date(2026, 11, 9));
        assert!(s.missed().is_empty());
        assert_eq!(s.next_due, Some(date(2026, 11, 9)));
        let mut events = events;
        events.push(report(date(2026, 11, 10)));
        let s = fold(&list(&events), TERM, date(2026, 11, 17));
        assert_eq!(s.missed(), vec![date(2026, 11, 9)]);
        assert_eq!(s.due[2].reported, Some(date(2026, 11, 10)));
    }

    #[test]
    fn weekly_from_a_wednesday_begins_on_the_next_friday() {
        // From Wed 2026-11-04, weekly Friday: 11-06, 11-13, 11-20; today 11-21: none logged.
        let events = vec![reporting(
            date(2026, 11, 4),
            Frequency::Weekly(Weekday::Friday),
        )];
        let term = Term {
            start: date(2026, 11, 4),
            end: None,
        };
        let s = fold(&list(&events), term, date(2026, 11, 21));
        assert_eq!(
            s.missed(),
            vec![date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20)]
        );
    }

    #[test]
    fn every_fourteen_days_stops_at_the_probation_end() {
        // Every 14 days from 2026-11-02: 11-02, 11-16, 11-30, 12-14, 12-28 …; the probation
        // period ends 2026-12-20 (R-PAR-4), so 12-28 is never due. Today 2027-01-10: four
        // days due, only 11-02 met → missed 11-16, 11-30, 12-14; stage ended.
        let events = vec![
            reporting(date(2026, 11, 2), Frequency::EveryDays(14)),
            report(date(2026, 11, 2)),
        ];
        let term = Term {
            start: date(2026, 11, 2),
            end: Some(date(2026, 12, 20)),
        };
        let s = fold(&list(&events), term, date(2027, 1, 10));
        assert_eq!(s.due.len(), 4);
        assert_eq!(
            s.missed(),
            vec![date(2026, 11, 16), date(2026, 11, 30), date(2026, 12, 14)]
        );
        assert_eq!(s.next_due, None);
        assert_eq!(s.stage, Stage::Ended);
    }

    #[test]
    fn a_new_schedule_replaces_the_old_from_its_first_day() {
        // Weekly Monday from 11-02; from Thu 11-12 (new condition, with reason) every 7 days
        // from 11-12: due 11-02, 11-09 (old), then 11-12, 11-19 (new); today 11-20, reports
        // 11-02, 11-09, 11-19 → missed 11-12.
        let mut new = reporting(date(2026, 11, 12), Frequency::EveryDays(7));
        if let Event::Condition { reason, .. } = &mut new {
            *reason = "Ny arbeidstid".into();
        }
        let events = vec![
            reporting(date(2026, 11, 2), Frequency::Weekly(Weekday::Monday)),
            report(date(2026, 11, 2)),
            report(date(2026, 11, 9)),
            new,
            report(date(2026, 11, 19)),
        ];
        let s = fold(&list(&events), TERM, date(2026, 11, 20));
        assert_eq!(
            s.due.iter().map(|d| d.date).collect::<Vec<_>>(),
            vec![
                date(2026, 11, 2),
                date(2026, 11, 9),
                date(2026, 11, 12),
                date(2026, 11, 19)
            ]
        );
        assert_eq!(s.missed(), vec![date(2026, 11, 12)]);
        // The condition in effect is the new one (record 4).
        assert_eq!(s.conditions.len(), 1);
        assert_eq!(s.conditions[0].0, 4);
    }

    #[test]
    fn a_limited_reporting_duty_ends_on_its_last_day() {
        // Every 7 days from 11-02 until 11-15: due 11-02, 11-09 only; today 12-01.
        let events = vec![Event::Condition {
            from: date(2026, 11, 2),
            until: Some(date(2026, 11, 15)),
            condition: Condition::Reporting(Schedule {
                frequency: Frequency::EveryDays(7),
                location: "F001".into(),
            }),
            reason: String::new(),
        }];
        let s = fold(&list(&events), TERM, date(2026, 12, 1));
        assert_eq!(s.missed(), vec![date(2026, 11, 2), date(2026, 11, 9)]);
        assert!(s.conditions.is_empty());
    }

    #[test]
    fn a_warning_needs_a_breach_and_a_breach_a_condition_in_effect() {
        let events = vec![reporting(
            date(2026, 11, 2),
            Frequency::Weekly(Weekday::Monday),
        )];
        let today = date(2026, 11, 24);
        let warning = Event::Warning {
            date: today,
            description: "Muntlig advarsel".into(),
        };
        let problems = check(&list(&events), TERM, &warning, None, today);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "kind");
        assert_eq!(problems[0].rule, Some(RuleId::Par5));
        let sober_breach = Event::Breach {
            date: date(2026, 11, 23),
            condition: ConditionKind::Sobriety,
            description: "Påvirket".into(),
        };
        let problems = check(&list(&events), TERM, &sober_breach, None, today);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "condition");
        let breach = Event::Breach {
            date: date(2026, 11, 23),
            condition: ConditionKind::Reporting,
            description: "Møtte ikke 9. og 23. november".into(),
        };
        assert!(check(&list(&events), TERM, &breach, None, today).is_empty());
        let mut events = events;
        events.push(breach);
        assert!(check(&list(&events), TERM, &warning, None, today).is_empty());
        events.push(warning);
        let s = fold(&list(&events), TERM, today);
        assert_eq!((s.stage, s.breaches, s.warnings), (Stage::Warned, 1, 1));
        events.push(Event::CourtCase {
            date: today,
            description: "Begjæring om gjeninnsettelse".into(),
        });
        assert_eq!(fold(&list(&events), TERM, today).stage, Stage::WithCourt);
    }

    #[test]
    fn conditions_name_their_missing_fields() {
        let today = date(2026, 11, 24);
        let fields = |condition: Condition, from: Date, reason: &str| {
            let e = Event::Condition {
                from,
                until: None,
                condition,
                reason: reason.into(),
            };
            check(&[], TERM, &e, None, today)
                .into_iter()
                .map(|p| p.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(
                Condition::Residence {
                    address: " ".into(),
                    municipality: String::new()
                },
                TERM.start,
                ""
            ),
            vec!["address", "municipality"]
        );
        assert_eq!(
            fields(
                Condition::NoContact {
                    persons: vec![String::new()]
                },
                TERM.start,
                ""
            ),
            vec!["persons"]
        );
        // A condition after the start is a new condition: it needs its reason (R-PAR-5).
        assert_eq!(
            fields(
                Condition::Sobriety {
                    substances: "alkohol".into(),
                    testing: String::new()
                },
                date(2026, 11, 20),
                ""
            ),
            vec!["reason"]
        );
        // After the probation end (2027-03-01, R-PAR-4).
        assert_eq!(
            fields(
                Condition::Treatment {
                    provider: "DPS".into(),
                    description: String::new()
                },
                date(2027, 3, 2),
                "ny"
            ),
            vec!["from"]
        );
        // A report in the future, and a second report on the same day.
        let events = vec![report(date(2026, 11, 2))];
        let p = check(
            &list(&events),
            TERM,
            &report(date(2026, 11, 25)),
            None,
            today,
        );
        assert_eq!(p[0].field, "date");
        let p = check(
            &list(&events),
            TERM,
            &report(date(2026, 11, 2)),
            None,
            today,
        );
        assert_eq!(p[0].field, "date");
        // … but correcting that report to the same day is fine.
        assert!(
            check(
                &list(&events),
                TERM,
                &report(date(2026, 11, 2)),
                Some(1),
                today
            )
            .is_empty()
        );
    }

    #[test]
    fn a_retraction_removes_and_a_correction_replaces() {
        let records = vec![
            Recorded {
                id: 1,
                corrects: None,
                event: Some(report(date(2026, 11, 2))),
            },
            Recorded {
                id: 2,
                corrects: None,
                event: Some(report(date(2026, 11, 9))),
            },
            Recorded {
                id: 3,
                corrects: Some(1),
                event: Some(report(date(2026, 11, 3))),
            },
            Recorded {
                id: 4,
                corrects: Some(2),
                event: None,
            },
        ];
        let list = in_effect(&records);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].0, 1);
        assert_eq!(list[0].1.date(), date(2026, 11, 3));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// With weekly reporting and a report logged on every report day, nothing is missed;
            /// removing the reports leaves every report day before today missed, and their
            /// number is the count of that weekday in [start, today − 1] (worked as
            /// ⌊(today − first − 1) / 7⌋ + 1 when first < today).
            #[test]
            fn weekly_reporting_counts(offset in 0i32..3000, weekday in 0i8..7, span in 1i32..200) {
                let start = plus_days(date(2020, 1, 1), offset);
                let weekday = Weekday::from_monday_zero_offset(weekday).unwrap();
                let today = plus_days(start, span);
                let term = Term { start, end: None };
                let schedule = reporting(start, Frequency::Weekly(weekday));
                let bare = fold(&list(std::slice::from_ref(&schedule)), term, today);
                let first = day_number(start)
                    + (i32::from(weekday.to_monday_zero_offset())
                        - i32::from(start.weekday().to_monday_zero_offset())).rem_euclid(7);
                let expected = if first < day_number(today) {
                    (day_number(today) - first - 1) / 7 + 1
                } else {
                    0
                };
                prop_assert_eq!(bare.missed().len(), usize::try_from(expected).unwrap());
                for d in &bare.due {
                    prop_assert_eq!(d.date.weekday(), weekday);
                    prop_assert!(d.date < today && d.date >= start);
                }
                let mut events = vec![schedule];
                events.extend(bare.due.iter().map(|d| report(d.date)));
                let met = fold(&list(&events), term, today);
                prop_assert!(met.missed().is_empty());
                prop_assert_eq!(met.due.len(), bare.due.len());
            }

            /// No report day is after the probation end, and the stage is ended after it.
            #[test]
            fn nothing_falls_due_after_the_end(every in 1u16..30, length in 0i32..200, after in 0i32..100) {
                let start = date(2026, 1, 5);
                let end = plus_days(start, length);
                let today = plus_days(end, after);
                let term = Term { start, end: Some(end) };
                let events = [reporting(start, Frequency::EveryDays(every))];
                let s = fold(&list(&events), term, today);
                prop_assert!(s.due.iter().all(|d| d.date <= end));
                // Every `every` days from the start up to min(end, today − 1).
                let last = day_number(end).min(day_number(today) - 1);
                let expected = if last >= day_number(start) {
                    (last - day_number(start)) / i32::from(every) + 1
                } else { 0 };
                prop_assert_eq!(s.due.len(), usize::try_from(expected).unwrap());
                prop_assert_eq!(s.stage == Stage::Ended, after > 0);
            }
        }
    }
}
