//! Serving in the community: which probation office a person belongs to, and a community
//! sentence (samfunnsstraff) in execution from the intake meeting to completion.
//!
//! - [`nearest_location`]: the probation office location nearest a home municipality (issue 6,
//!   item 1); another location is a decision with a reason, made elsewhere.
//! - [`Order`]: what is to be served, from the engine's R-SAMF-4 reduction
//!   ([`crate::calc::CommunityReduction`]): the hours rounded by the Q8 policy, in minutes, and
//!   the execution period in days. The engine already validates the judgment against strl
//!   §§ 48–49 (R-SAMF-1/2); this module never re-derives the fraction.
//! - [`Event`], [`Recorded`], [`in_effect`]: the execution's append-only ledger (intake, plan,
//!   sessions of hours, breaches, warnings, the case to the court, completion); a correction
//!   is a new record naming the one it replaces or retracts.
//! - [`fold`] gives the [`Progress`] on a day; [`check`] refuses an event the ledger cannot take,
//!   each problem naming its field in English and bokmål.
//!
//! All arithmetic is in whole minutes and whole days; no floating point except the distance used
//! to rank offices (not legal arithmetic).

use jiff::civil::Date;

use crate::{
    calc::CommunityReduction,
    calendar::{add_days, days_between},
    law::RuleId,
    validate::FieldError,
};

/// Minutes in an hour.
pub const MINUTES_PER_HOUR: u64 = 60;

/// The most minutes one session may credit: 12 hours. INFERENCE: no source gives a daily cap;
/// this is a plausibility check against typing errors (e.g. 600 hours for 6), not a legal limit.
pub const SESSION_MAXIMUM_MINUTES: u32 = 12 * 60;

/// The longest free text of an event (description, plan item, reason).
pub const TEXT_MAXIMUM: usize = 2000;

/// The probation office location nearest `home`, by great-circle distance; a tie goes to the
/// first in `locations` (the estate lists them by id). `None` when there are none.
pub fn nearest_location(home: (f64, f64), locations: &[(String, (f64, f64))]) -> Option<&str> {
    locations
        .iter()
        .enumerate()
        .min_by_key(|(i, (_, position))| (crate::placement::distance_km(home, *position), *i))
        .map(|(_, (id, _))| id.as_str())
}

/// What the person is to serve, after the remand deduction (R-SAMF-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// Hours to work, in minutes: the reduced hours rounded by the Q8 policy, times 60.
    pub required_minutes: u64,
    /// The execution period in days: the reduced period rounded by the Q8 policy.
    pub execution_days: i32,
}

impl Order {
    /// The order from the engine's reduction. With no remand the fractions are whole (hours × alt
    /// / alt), so this is the judgment's own figures.
    pub fn from_reduction(reduction: &CommunityReduction) -> Order {
        let hours = reduction.reduced_hours.rounded(reduction.rounding);
        let days = reduction
            .reduced_execution_period
            .rounded(reduction.rounding);
        Order {
            required_minutes: hours.saturating_mul(MINUTES_PER_HOUR),
            execution_days: i32::try_from(days).unwrap_or(i32::MAX),
        }
    }
}

/// What a plan item is (innhold i samfunnsstraffen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Unpaid work for the community (samfunnsnyttig arbeid).
    UnpaidWork,
    /// A programme (e.g. anger management, cognitive skills).
    Programme,
    /// Treatment (e.g. for substance use).
    Treatment,
    /// Another measure that prevents re-offending.
    Other,
}

impl Activity {
    /// Every activity.
    pub const ALL: [Activity; 4] = [
        Activity::UnpaidWork,
        Activity::Programme,
        Activity::Treatment,
        Activity::Other,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::UnpaidWork => "unpaid_work",
            Activity::Programme => "programme",
            Activity::Treatment => "treatment",
            Activity::Other => "other",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Activity> {
        Activity::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Activity::UnpaidWork => ("unpaid work", "samfunnsnyttig arbeid"),
            Activity::Programme => ("programme", "program"),
            Activity::Treatment => ("treatment", "behandling"),
            Activity::Other => ("other measure", "annet tiltak"),
        }
    }
}

/// One event of a community sentence's execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The intake meeting (oppstartsamtale); the execution period runs from `start`.
    Intake {
        /// Day of the meeting.
        date: Date,
        /// First day of the execution period.
        start: Date,
    },
    /// An item of the content plan.
    Plan {
        /// What kind.
        activity: Activity,
        /// Where and what (e.g. the placement's name).
        description: String,
    },
    /// Hours worked or attended on a day, credited to the sentence.
    Session {
        /// The day.
        date: Date,
        /// Minutes credited.
        minutes: u32,
        /// What was done.
        note: String,
    },
    /// A breach of the conditions (R-SAMF-5).
    Breach {
        /// The day.
        date: Date,
        /// What happened.
        description: String,
    },
    /// A warning given for a breach (R-SAMF-5).
    Warning {
        /// The day.
        date: Date,
        /// What the person was told.
        description: String,
    },
    /// The case sent to the district court, asking that the alternative imprisonment be executed
    /// wholly or partly (R-SAMF-5, strl § 52).
    CourtCase {
        /// The day.
        date: Date,
        /// Why.
        description: String,
    },
    /// The sentence is completed: every hour ordered credited.
    Completion {
        /// The day.
        date: Date,
    },
}

impl Event {
    /// Machine name of the event's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Intake { .. } => "intake",
            Event::Plan { .. } => "plan",
            Event::Session { .. } => "session",
            Event::Breach { .. } => "breach",
            Event::Warning { .. } => "warning",
            Event::CourtCase { .. } => "court_case",
            Event::Completion { .. } => "completion",
        }
    }

    /// The event's day (a plan item has none).
    pub fn date(&self) -> Option<Date> {
        match self {
            Event::Intake { date, .. }
            | Event::Session { date, .. }
            | Event::Breach { date, .. }
            | Event::Warning { date, .. }
            | Event::CourtCase { date, .. }
            | Event::Completion { date } => Some(*date),
            Event::Plan { .. } => None,
        }
    }
}

/// Every event kind's machine name.
pub const EVENT_KINDS: [&str; 7] = [
    "intake",
    "plan",
    "session",
    "breach",
    "warning",
    "court_case",
    "completion",
];

/// An event as the ledger holds it: its id, the record it corrects (if any), and the event, or
/// `None` for a retraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The record's id.
    pub id: i64,
    /// The record it corrects or retracts.
    pub corrects: Option<i64>,
    /// The event, or `None` when the record retracts the one it corrects.
    pub event: Option<Event>,
}

/// The events in effect, oldest record first: each original with its latest correction applied,
/// retracted ones left out, paired with the original's id.
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

/// Where the execution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No intake meeting yet.
    AwaitingIntake,
    /// Serving: the execution period has begun (or begins on its start day).
    InProgress,
    /// The execution period is over and hours remain.
    PeriodOver,
    /// The case is with the court (R-SAMF-5).
    WithCourt,
    /// Completed.
    Completed,
}

impl Stage {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::AwaitingIntake => "awaiting_intake",
            Stage::InProgress => "in_progress",
            Stage::PeriodOver => "period_over",
            Stage::WithCourt => "with_court",
            Stage::Completed => "completed",
        }
    }
}

/// The execution on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The order.
    pub order: Order,
    /// Where it stands.
    pub stage: Stage,
    /// First day of the execution period (from the intake).
    pub start: Option<Date>,
    /// Last day of the execution period: start + execution days − 1.
    pub end: Option<Date>,
    /// Days of the period elapsed by the day, the day included, at most the period (0 before it).
    pub elapsed_days: i32,
    /// Minutes credited.
    pub credited_minutes: u64,
    /// Minutes still to serve.
    pub remaining_minutes: u64,
    /// Minutes that would be credited by the day at an even pace: ⌊required × elapsed / days⌋.
    pub expected_minutes: u64,
    /// Breaches recorded.
    pub breaches: usize,
    /// Warnings given.
    pub warnings: usize,
}

impl Progress {
    /// Behind an even pace.
    pub fn behind(&self) -> bool {
        self.stage == Stage::InProgress && self.credited_minutes < self.expected_minutes
    }
}

/// The progress of `order` on `today` from the events in effect.
pub fn fold(order: Order, events: &[&Event], today: Date) -> Progress {
    let mut start = None;
    let mut credited: u64 = 0;
    let (mut breaches, mut warnings) = (0, 0);
    let (mut court, mut completed) = (false, false);
    for event in events {
        match event {
            Event::Intake { start: s, .. } => start = Some(*s),
            Event::Session { minutes, .. } => credited += u64::from(*minutes),
            Event::Breach { .. } => breaches += 1,
            Event::Warning { .. } => warnings += 1,
            Event::CourtCase { .. } => court = true,
            Event::Completion { .. } => completed = true,
            Event::Plan { .. } => {}
        }
    }
    let end = start.and_then(|s| add_days(s, order.execution_days.saturating_sub(1)).ok());
    let elapsed_days = start.map_or(0, |s| {
        (days_between(s, today) + 1).clamp(0, order.execution_days.max(0))
    });
    let expected_minutes = if order.execution_days > 0 {
        order.required_minutes * elapsed_days.max(0) as u64 / order.execution_days as u64
    } else {
        order.required_minutes
    };
    let stage = if completed {
        Stage::Completed
    } else if court {
        Stage::WithCourt
    } else if start.is_none() {
        Stage::AwaitingIntake
    } else if end.is_some_and(|e| today > e) {
        Stage::PeriodOver
    } else {
        Stage::InProgress
    };
    Progress {
        order,
        stage,
        start,
        end,
        elapsed_days,
        credited_minutes: credited,
        remaining_minutes: order.required_minutes.saturating_sub(credited),
        expected_minutes,
        breaches,
        warnings,
    }
}

/// Whether the ledger in effect (`events`) can take `new` on `today`; every problem names its
/// field (`date`, `minutes`, …) in English and bokmål. `replacing` is the original id of the
/// record a correction replaces (left out of the ledger while checking).
pub fn check(
    order: Order,
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
    let now = fold(order, &others, today);
    let mut p = Vec::new();
    let mut add = |field: &str, rule: Option<RuleId>, en: String, nb: String| {
        p.push(FieldError::bilingual(field, rule, en, nb));
    };
    if let Some(date) = new.date()
        && date > today
    {
        add(
            "date",
            None,
            format!("{date} is in the future; record it on the day or after"),
            format!("{date} er fram i tid; registrer det på dagen eller senere"),
        );
    }
    let text = match new {
        Event::Plan { description, .. }
        | Event::Session {
            note: description, ..
        }
        | Event::Breach { description, .. }
        | Event::Warning { description, .. }
        | Event::CourtCase { description, .. } => Some(description),
        _ => None,
    };
    if let Some(text) = text {
        let field = if matches!(new, Event::Session { .. }) {
            "note"
        } else {
            "description"
        };
        let required = !matches!(new, Event::Session { .. });
        if required && text.trim().is_empty() {
            add(
                field,
                None,
                "must not be empty".into(),
                "må fylles ut".into(),
            );
        } else if text.chars().count() > TEXT_MAXIMUM {
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
            "the community sentence is completed; correct the completion first".into(),
            "samfunnsstraffen er fullført; rett fullføringen først".into(),
        );
        return p;
    }
    let needs_intake = !matches!(new, Event::Intake { .. });
    if needs_intake && now.start.is_none() {
        add(
            "kind",
            None,
            "record the intake meeting first".into(),
            "registrer oppstartsamtalen først".into(),
        );
        return p;
    }
    match new {
        Event::Intake { date, start } => {
            if now.start.is_some() {
                add(
                    "kind",
                    None,
                    "the intake meeting is recorded; correct it instead".into(),
                    "oppstartsamtalen er registrert; rett den i stedet".into(),
                );
            }
            let end = add_days(*start, order.execution_days.saturating_sub(1)).ok();
            let outside = others.iter().find_map(|e| match e {
                Event::Session { date: d, .. } if *d < *start || end.is_some_and(|e| *d > e) => {
                    Some(*d)
                }
                _ => None,
            });
            if let Some(day) = outside {
                add(
                    "start",
                    Some(RuleId::Samf2),
                    format!("a session on {day} would fall outside the execution period"),
                    format!("en økt {day} ville falle utenfor gjennomføringstiden"),
                );
            }
            if start < date {
                add(
                    "start",
                    None,
                    format!(
                        "the execution period cannot start ({start}) before the intake meeting ({date})"
                    ),
                    format!(
                        "gjennomføringstiden kan ikke starte ({start}) før oppstartsamtalen ({date})"
                    ),
                );
            }
        }
        Event::Plan { .. } => {}
        Event::Session { date, minutes, .. } => {
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
            } else if u64::from(*minutes) > now.remaining_minutes {
                add(
                    "minutes",
                    Some(RuleId::Samf4),
                    format!(
                        "{minutes} minutes is more than the {} minutes left of the {} ordered",
                        now.remaining_minutes, now.order.required_minutes
                    ),
                    format!(
                        "{minutes} minutter er mer enn de {} minuttene som gjenstår av {}",
                        now.remaining_minutes, now.order.required_minutes
                    ),
                );
            }
            if let (Some(start), Some(end)) = (now.start, now.end)
                && (*date < start || *date > end)
            {
                add(
                    "date",
                    Some(RuleId::Samf2),
                    format!("{date} is outside the execution period {start} – {end}"),
                    format!("{date} er utenfor gjennomføringstiden {start} – {end}"),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Samf5),
                    "the case is with the court; no hours are credited meanwhile".into(),
                    "saken er sendt retten; ingen timer godskrives i mellomtiden".into(),
                );
            }
        }
        Event::Breach { .. } => {}
        Event::Warning { date, .. } => {
            let breach_before = others
                .iter()
                .any(|e| matches!(e, Event::Breach { date: b, .. } if b <= date));
            if !breach_before {
                add(
                    "date",
                    Some(RuleId::Samf5),
                    "a warning answers a breach: record the breach first".into(),
                    "en advarsel gis for et brudd: registrer bruddet først".into(),
                );
            }
        }
        Event::CourtCase { date, .. } => {
            // R-SAMF-5: a warning first; a repeated breach (after the warning) goes to the court.
            let warned = others
                .iter()
                .filter_map(|e| match e {
                    Event::Warning { date: w, .. } if w <= date => Some(*w),
                    _ => None,
                })
                .min();
            let repeated = warned.is_some_and(|w| {
                others
                    .iter()
                    .any(|e| matches!(e, Event::Breach { date: b, .. } if *b >= w && b <= date))
            });
            if !repeated {
                add(
                    "date",
                    Some(RuleId::Samf5),
                    "the case goes to the court after a warning and a breach repeated after it"
                        .into(),
                    "saken sendes retten etter en advarsel og et nytt brudd etter den".into(),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Samf5),
                    "the case is already with the court".into(),
                    "saken er allerede sendt retten".into(),
                );
            }
        }
        Event::Completion { date } => {
            if now.remaining_minutes > 0 {
                add(
                    "kind",
                    Some(RuleId::Samf4),
                    format!(
                        "{} of {} minutes are credited; {} remain",
                        now.credited_minutes, now.order.required_minutes, now.remaining_minutes
                    ),
                    format!(
                        "{} av {} minutter er godskrevet; {} gjenstår",
                        now.credited_minutes, now.order.required_minutes, now.remaining_minutes
                    ),
                );
            }
            if now.stage == Stage::WithCourt {
                add(
                    "kind",
                    Some(RuleId::Samf5),
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
                && *date < last
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
/// sentence is completed (retract the completion first), and not the intake while anything
/// else is recorded.
pub fn check_retraction(
    order: Order,
    events: &[(i64, &Event)],
    target: i64,
    today: Date,
) -> Vec<FieldError> {
    let all: Vec<&Event> = events.iter().map(|(_, e)| *e).collect();
    let Some(event) = events.iter().find(|(id, _)| *id == target).map(|(_, e)| *e) else {
        return Vec::new();
    };
    let mut p = Vec::new();
    if fold(order, &all, today).stage == Stage::Completed
        && !matches!(event, Event::Completion { .. })
    {
        p.push(FieldError::bilingual(
            "corrects",
            None,
            "the community sentence is completed; retract the completion first",
            "samfunnsstraffen er fullført; trekk tilbake fullføringen først",
        ));
    }
    if matches!(event, Event::Intake { .. }) && events.len() > 1 {
        p.push(FieldError::bilingual(
            "corrects",
            None,
            "the intake cannot be retracted while other events are recorded; correct it instead",
            "oppstartsamtalen kan ikke trekkes tilbake når andre hendelser er registrert; rett den i stedet",
        ));
    }
    p
}

/// Minutes as `h:mm`, e.g. `112:30`.
pub fn hours_and_minutes(minutes: u64) -> String {
    format!(
        "{}:{:02}",
        minutes / MINUTES_PER_HOUR,
        minutes % MINUTES_PER_HOUR
    )
}

/// Reads hours written as `7`, `7:30`, `7.5` or `7,5` (quarters and halves, or any whole
/// minutes after a colon) into minutes, without floating point. `None` when it is not a time.
pub fn parse_hours(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Some((h, m)) = text.split_once(':') {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().parse().ok()?;
        if m >= 60 {
            return None;
        }
        return h.checked_mul(60)?.checked_add(m);
    }
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let h: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    // Hundredths of an hour to minutes: only those that are whole minutes (multiples of 5/3).
    let hundredths: u32 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u32>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    if !(hundredths * 60).is_multiple_of(100) {
        return None;
    }
    h.checked_mul(60)?.checked_add(hundredths * 60 / 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{calc::ExactFraction, policy::ProportionalRounding};
    use jiff::civil::date;

    /// The spec example (R-SAMF-4): 150 hours, alternative 120 days, execution period 120 days,
    /// 30 days' remand. alt' = 120 − 30 = 90; hours 150 × 90/120 = 13 500/120 = 225/2 = 112.5,
    /// rounded down (Q8 FavourConvicted) = 112 hours = 6 720 minutes; period 120 × 90/120 = 90.
    fn example() -> CommunityReduction {
        CommunityReduction {
            hours: 150,
            alternative_days: 120,
            execution_period_days: 120,
            deduction_days: 30,
            reduced_alternative_days: 90,
            reduced_hours: ExactFraction {
                numerator: 225,
                denominator: 2,
            },
            reduced_execution_period: ExactFraction {
                numerator: 90,
                denominator: 1,
            },
            rounding: ProportionalRounding::FavourConvicted,
        }
    }

    #[test]
    fn the_order_is_the_reduced_hours_rounded_by_the_policy() {
        let order = Order::from_reduction(&example());
        // 112 h × 60 = 6 720 minutes; 90 days.
        assert_eq!(
            order,
            Order {
                required_minutes: 6720,
                execution_days: 90
            }
        );
        // Nearest (halves up): 112.5 → 113 h = 6 780 minutes.
        let nearest = CommunityReduction {
            rounding: ProportionalRounding::Nearest,
            ..example()
        };
        assert_eq!(Order::from_reduction(&nearest).required_minutes, 6780);
    }

    fn session(id: i64, day: Date, minutes: u32) -> Recorded {
        Recorded {
            id,
            corrects: None,
            event: Some(Event::Session {
                date: day,
                minutes,
                note: String::new(),
            }),
        }
    }

    fn intake(id: i64) -> Recorded {
        Recorded {
            id,
            corrects: None,
            event: Some(Event::Intake {
                date: date(2025, 3, 3),
                start: date(2025, 3, 3),
            }),
        }
    }

    #[test]
    fn hours_are_credited_session_by_session_and_corrections_replace() {
        let order = Order::from_reduction(&example());
        let records = vec![
            intake(1),
            session(2, date(2025, 3, 5), 240),
            session(3, date(2025, 3, 6), 600),
            // A correction of record 3: 6 hours, not 10.
            Recorded {
                id: 4,
                corrects: Some(3),
                event: Some(Event::Session {
                    date: date(2025, 3, 6),
                    minutes: 360,
                    note: String::new(),
                }),
            },
            session(5, date(2025, 3, 7), 120),
            // Record 5 retracted.
            Recorded {
                id: 6,
                corrects: Some(5),
                event: None,
            },
        ];
        let effective = in_effect(&records);
        assert_eq!(
            effective.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let events: Vec<&Event> = effective.iter().map(|(_, e)| *e).collect();
        // On 2025-03-12: started 2025-03-03, so elapsed = 12 − 3 + 1 = 10 days of 90.
        let progress = fold(order, &events, date(2025, 3, 12));
        // Credited 240 + 360 = 600; remaining 6 720 − 600 = 6 120.
        assert_eq!(progress.credited_minutes, 600);
        assert_eq!(progress.remaining_minutes, 6120);
        assert_eq!(progress.elapsed_days, 10);
        // Even pace: ⌊6 720 × 10 / 90⌋ = ⌊746.67⌋ = 746; 600 < 746, behind.
        assert_eq!(progress.expected_minutes, 746);
        assert!(progress.behind());
        // Last day: 2025-03-03 + 90 − 1 days = 2025-05-31 (March 29 days left incl. 3rd, April 30,
        // May 31: 29 + 30 + 31 = 90).
        assert_eq!(progress.end, Some(date(2025, 5, 31)));
        assert_eq!(progress.stage, Stage::InProgress);
        assert_eq!(
            fold(order, &events, date(2025, 6, 1)).stage,
            Stage::PeriodOver
        );
    }

    #[test]
    fn a_session_is_refused_outside_the_period_past_the_hours_or_before_intake() {
        let order = Order {
            required_minutes: 30 * 60,
            execution_days: 120,
        };
        let today = date(2025, 4, 1);
        let s = |day, minutes| Event::Session {
            date: day,
            minutes,
            note: String::new(),
        };
        // Before intake.
        let problems = check(order, &[], &s(date(2025, 3, 5), 60), None, today);
        assert_eq!(problems[0].field, "kind");
        let start = Event::Intake {
            date: date(2025, 3, 3),
            start: date(2025, 3, 3),
        };
        let ledger = [(1, &start)];
        assert!(check(order, &ledger, &s(date(2025, 3, 5), 60), None, today).is_empty());
        // Zero minutes, and more than 12 hours.
        assert_eq!(
            check(order, &ledger, &s(date(2025, 3, 5), 0), None, today)[0].field,
            "minutes"
        );
        assert_eq!(
            check(order, &ledger, &s(date(2025, 3, 5), 721), None, today)[0].field,
            "minutes"
        );
        // Before the period, and in the future.
        assert_eq!(
            check(order, &ledger, &s(date(2025, 3, 2), 60), None, today)[0].field,
            "date"
        );
        assert_eq!(
            check(order, &ledger, &s(date(2025, 4, 2), 60), None, today)[0].field,
            "date"
        );
        // 30 h = 1 800 minutes; after 1 500 credited, 301 is too many and 300 fits.
        let done = s(date(2025, 3, 10), 720);
        let more = s(date(2025, 3, 11), 720);
        let rest = s(date(2025, 3, 12), 60);
        let ledger = [(1, &start), (2, &done), (3, &more), (4, &rest)];
        let too_many = check(order, &ledger, &s(date(2025, 3, 13), 301), None, today);
        assert_eq!(too_many.len(), 1);
        assert_eq!(too_many[0].field, "minutes");
        assert!(check(order, &ledger, &s(date(2025, 3, 13), 300), None, today).is_empty());
        // A correction of record 4 (60 minutes) may say 360: 1 440 + 360 = 1 800.
        assert!(check(order, &ledger, &s(date(2025, 3, 12), 360), Some(4), today).is_empty());
    }

    #[test]
    fn the_case_goes_to_court_only_after_a_warning_and_a_repeated_breach() {
        let order = Order {
            required_minutes: 60 * 60,
            execution_days: 120,
        };
        let today = date(2025, 5, 1);
        let start = Event::Intake {
            date: date(2025, 3, 3),
            start: date(2025, 3, 3),
        };
        let text = |t: &str| t.to_string();
        let breach1 = Event::Breach {
            date: date(2025, 3, 10),
            description: text("did not turn up"),
        };
        let warning = Event::Warning {
            date: date(2025, 3, 11),
            description: text("written warning"),
        };
        let breach2 = Event::Breach {
            date: date(2025, 3, 20),
            description: text("did not turn up again"),
        };
        let court = Event::CourtCase {
            date: date(2025, 3, 25),
            description: text("repeated absence"),
        };
        // A warning without a breach before it.
        assert_eq!(
            check(order, &[(1, &start)], &warning, None, today)[0].field,
            "date"
        );
        // The court before any warning.
        let problems = check(order, &[(1, &start), (2, &breach1)], &court, None, today);
        assert_eq!(problems[0].rule, Some(RuleId::Samf5));
        // A warning, but no breach after it.
        let ledger = [(1, &start), (2, &breach1), (3, &warning)];
        assert_eq!(check(order, &ledger, &court, None, today).len(), 1);
        let ledger = [(1, &start), (2, &breach1), (3, &warning), (4, &breach2)];
        assert!(check(order, &ledger, &court, None, today).is_empty());
        // With the court: no sessions, no completion.
        let ledger = [
            (1, &start),
            (2, &breach1),
            (3, &warning),
            (4, &breach2),
            (5, &court),
        ];
        let events: Vec<&Event> = ledger.iter().map(|(_, e)| *e).collect();
        assert_eq!(fold(order, &events, today).stage, Stage::WithCourt);
        let s = Event::Session {
            date: date(2025, 3, 26),
            minutes: 60,
            note: String::new(),
        };
        assert!(!check(order, &ledger, &s, None, today).is_empty());
    }

    #[test]
    fn completion_needs_every_hour_and_closes_the_ledger() {
        let order = Order {
            required_minutes: 30 * 60,
            execution_days: 120,
        };
        let today = date(2025, 5, 1);
        let start = Event::Intake {
            date: date(2025, 3, 3),
            start: date(2025, 3, 3),
        };
        let a = Event::Session {
            date: date(2025, 3, 4),
            minutes: 720,
            note: String::new(),
        };
        let b = Event::Session {
            date: date(2025, 3, 5),
            minutes: 720,
            note: String::new(),
        };
        let done = Event::Completion {
            date: date(2025, 3, 6),
        };
        // 1 440 of 1 800: 360 remain.
        let problems = check(order, &[(1, &start), (2, &a), (3, &b)], &done, None, today);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("360 remain"),
            "{}",
            problems[0].message
        );
        let c = Event::Session {
            date: date(2025, 3, 6),
            minutes: 360,
            note: String::new(),
        };
        let ledger = [(1, &start), (2, &a), (3, &b), (4, &c)];
        assert!(check(order, &ledger, &done, None, today).is_empty());
        let closed = [(1, &start), (2, &a), (3, &b), (4, &c), (5, &done)];
        let events: Vec<&Event> = closed.iter().map(|(_, e)| *e).collect();
        assert_eq!(fold(order, &events, today).stage, Stage::Completed);
        assert!(!check(order, &closed, &c, None, today).is_empty());
    }

    #[test]
    fn the_intake_cannot_move_the_period_away_from_sessions_or_be_retracted_under_them() {
        let order = Order {
            required_minutes: 30 * 60,
            execution_days: 30,
        };
        let today = date(2025, 5, 1);
        let start = Event::Intake {
            date: date(2025, 3, 3),
            start: date(2025, 3, 3),
        };
        let worked = Event::Session {
            date: date(2025, 3, 4),
            minutes: 60,
            note: String::new(),
        };
        let ledger = [(1, &start), (2, &worked)];
        // Moved to start 2025-03-05: the session of 2025-03-04 falls before it.
        let later = Event::Intake {
            date: date(2025, 3, 3),
            start: date(2025, 3, 5),
        };
        assert_eq!(
            check(order, &ledger, &later, Some(1), today)[0].field,
            "start"
        );
        // Moved to 2025-02-01 (if met then): 30 days end 2025-03-02, before the session.
        let earlier = Event::Intake {
            date: date(2025, 2, 1),
            start: date(2025, 2, 1),
        };
        assert_eq!(
            check(order, &ledger, &earlier, Some(1), today)[0].field,
            "start"
        );
        assert_eq!(
            check_retraction(order, &ledger, 1, today)[0].field,
            "corrects"
        );
        assert!(check_retraction(order, &ledger, 2, today).is_empty());
    }

    #[test]
    fn hours_are_read_without_floating_point() {
        assert_eq!(parse_hours("7"), Some(420));
        assert_eq!(parse_hours("7:30"), Some(450));
        assert_eq!(parse_hours("7.5"), Some(450));
        assert_eq!(parse_hours("7,25"), Some(435));
        assert_eq!(parse_hours("0,75"), Some(45));
        // 0.01 h = 0.6 minutes: not a whole minute.
        assert_eq!(parse_hours("1.01"), None);
        assert_eq!(parse_hours("7:60"), None);
        assert_eq!(parse_hours("sju"), None);
        assert_eq!(hours_and_minutes(6720), "112:00");
        assert_eq!(hours_and_minutes(450), "7:30");
    }

    #[test]
    fn the_nearest_location_wins_and_a_tie_goes_to_the_first() {
        let locations = vec![
            ("F001".to_string(), (59.9139, 10.7522)),
            ("F002".to_string(), (59.2839, 11.1096)),
            ("F003".to_string(), (59.2181, 10.9298)),
        ];
        // Fredrikstad itself: 0 km to F003.
        assert_eq!(
            nearest_location((59.2181, 10.9298), &locations),
            Some("F003")
        );
        // Oslo.
        assert_eq!(
            nearest_location((59.9139, 10.7522), &locations),
            Some("F001")
        );
        let twins = vec![
            ("F010".to_string(), (60.0, 10.0)),
            ("F011".to_string(), (60.0, 10.0)),
        ];
        assert_eq!(nearest_location((61.0, 10.0), &twins), Some("F010"));
        assert_eq!(nearest_location((61.0, 10.0), &[]), None);
    }
}
