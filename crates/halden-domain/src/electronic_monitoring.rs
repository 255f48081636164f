//! EM home detention (elektronisk kontroll, strgjfl § 16 a; issue 6, item 4): the application
//! (front door or back door) with the home address, the written consent of every adult in the
//! home, the required daytime activity and the weekly schedule of when the person must be at home
//! (R-EM-4); eligibility from the engine's figures (R-EM-2 front door within the limit in force
//! R-EM-1, R-EM-3 back-door date); the device; breaches (absence, alcohol, tampering) and their
//! handling (warning, tightened schedule); and revocation back to prison.
//!
//! Pure: the events arrive as values with their ids, the engine's figures as a value, and
//! nothing here reads a clock. Every problem names its field (relative to the event's payload)
//! and, when a legal rule is broken, the rule and its §.

use jiff::civil::{Date, DateTime};

use crate::{law::RuleId, validate::FieldError};

/// The event kinds, as stored (`probation_events.kind`).
pub const EVENT_KINDS: [&str; 6] = [
    "em.application",
    "em.grant",
    "em.device",
    "em.breach",
    "em.handling",
    "em.revocation",
];

/// The weekdays, Monday first, as the schedule names them.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Minutes in a civil day: a range ends at the latest at `24:00`.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

macro_rules! labelled {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = ($text:literal, $en:literal, $nb:literal), )* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// As stored.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The label (English, bokmål).
            pub const fn label(self) -> (&'static str, &'static str) {
                match self { $($name::$variant => ($en, $nb),)* }
            }

            /// From its stored text.
            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// The stored texts, comma-separated (for messages).
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

labelled! {
    /// Which door: front door (serving starts at home) or back door (the rest after prison).
    Door {
        /// Front door (R-EM-2).
        Front = ("front_door", "front door", "fra start (front door)"),
        /// Back door (R-EM-3).
        Back = ("back_door", "back door", "bakdør (fra fengsel)"),
    }
}

labelled! {
    /// The required daytime activity (R-EM-4).
    ActivityKind {
        /// Work.
        Work = ("work", "work", "arbeid"),
        /// School or training.
        School = ("school", "school", "skole"),
        /// Another occupation.
        Other = ("other", "other occupation", "annen sysselsetting"),
    }
}

labelled! {
    /// The device.
    DeviceAction {
        /// Fitted (montert).
        Fitted = ("fitted", "fitted", "montert"),
        /// Removed (demontert).
        Removed = ("removed", "removed", "demontert"),
    }
}

labelled! {
    /// What a breach was.
    BreachKind {
        /// Away from home in a time the schedule says home.
        Absence = ("absence", "absence", "fravær"),
        /// Alcohol or other intoxicants (total ban, R-EM-4).
        Alcohol = ("alcohol", "alcohol or intoxicants", "alkohol eller rusmidler"),
        /// Tampering with the equipment.
        Tampering = ("tampering", "tampering with the equipment", "manipulering av utstyret"),
    }
}

labelled! {
    /// How a breach is handled short of revocation (revocation is its own event).
    HandlingAction {
        /// A warning.
        Warning = ("warning", "warning", "advarsel"),
        /// A tightened schedule.
        TightenedSchedule = ("tightened_schedule", "tightened schedule", "innskjerpet timeplan"),
    }
}

/// An adult living in the home, with the day they consented in writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adult {
    /// Name.
    pub name: String,
    /// The day of the written consent; required.
    pub consent_date: Option<Date>,
}

/// The required daytime activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Work, school or other.
    pub kind: ActivityKind,
    /// Where and when.
    pub description: String,
}

/// A time at home on one weekday: `[from, until)` in minutes since local midnight
/// (Europe/Oslo wall-clock time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    /// First minute.
    pub from: u16,
    /// The minute it ends (exclusive), at most [`MINUTES_PER_DAY`].
    pub until: u16,
}

/// `HH:MM` as minutes since midnight; `24:00` only when `end` (the end of a day).
pub fn parse_clock(text: &str, end: bool) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 {
        return None;
    }
    let minutes = h.checked_mul(60)?.checked_add(m)?;
    if minutes < MINUTES_PER_DAY || (end && minutes == MINUTES_PER_DAY) {
        Some(minutes)
    } else {
        None
    }
}

/// Minutes since midnight as `HH:MM`.
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl TimeRange {
    /// A range from its two clock times; problems name `<field>.from` / `<field>.until`.
    ///
    /// # Errors
    ///
    /// Each time not `HH:MM` within the day, or a range that does not end after it starts.
    pub fn parse(from: &str, until: &str, field: &str) -> Result<TimeRange, Vec<FieldError>> {
        let mut problems = Vec::new();
        let start = parse_clock(from, false);
        let end = parse_clock(until, true);
        if start.is_none() {
            problems.push(FieldError::bilingual(
                format!("{field}.from"),
                None,
                format!("'{from}' is not a time of day HH:MM (00:00 to 23:59)"),
                format!("«{from}» er ikke et klokkeslett TT:MM (00:00 til 23:59)"),
            ));
        }
        if end.is_none() {
            problems.push(FieldError::bilingual(
                format!("{field}.until"),
                None,
                format!("'{until}' is not a time of day HH:MM (00:01 to 24:00)"),
                format!("«{until}» er ikke et klokkeslett TT:MM (00:01 til 24:00)"),
            ));
        }
        match (start, end) {
            (Some(from), Some(until)) if until > from => Ok(TimeRange { from, until }),
            (Some(_), Some(_)) => Err(vec![FieldError::bilingual(
                format!("{field}.until"),
                None,
                "must be after the start within the same day; split a night at 24:00 / 00:00",
                "må være etter starten samme dag; del en natt ved 24:00 / 00:00",
            )]),
            _ => Err(problems),
        }
    }

    /// `18:00–24:00`.
    pub fn label(&self) -> String {
        format!("{}–{}", clock(self.from), clock(self.until))
    }

    /// Its length in minutes.
    pub fn minutes(&self) -> u32 {
        u32::from(self.until.saturating_sub(self.from))
    }
}

/// When the person must be at home, per weekday (Monday first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// The ranges of each weekday, Monday first.
    pub days: [Vec<TimeRange>; 7],
}

impl Schedule {
    /// Overlapping ranges on a day, or a week with no time at home; fields
    /// `<field>.<weekday>[i]`.
    pub fn problems(&self, field: &str) -> Vec<FieldError> {
        let mut problems = Vec::new();
        for (day, ranges) in WEEKDAYS.iter().zip(&self.days) {
            for (i, range) in ranges.iter().enumerate() {
                if range.until <= range.from || range.until > MINUTES_PER_DAY {
                    problems.push(FieldError::bilingual(
                        format!("{field}.{day}[{i}].until"),
                        None,
                        "must be after the start within the same day",
                        "må være etter starten samme dag",
                    ));
                }
                if let Some((j, other)) = ranges
                    .iter()
                    .enumerate()
                    .take(i)
                    .find(|(_, o)| o.from < range.until && range.from < o.until)
                {
                    problems.push(FieldError::bilingual(
                        format!("{field}.{day}[{i}]"),
                        None,
                        format!("{} overlaps {} ({day}[{j}])", range.label(), other.label()),
                        format!(
                            "{} overlapper {} ({day}[{j}])",
                            range.label(),
                            other.label()
                        ),
                    ));
                }
            }
        }
        if problems.is_empty() && self.days.iter().all(Vec::is_empty) {
            problems.push(FieldError::bilingual(
                field,
                Some(RuleId::Em4),
                "the schedule must say when the person is to be at home (R-EM-4, strgjfl § 16 a)",
                "timeplanen må si når personen skal være hjemme (R-EM-4, strgjfl § 16 a)",
            ));
        }
        problems
    }

    /// Minutes at home in a week.
    pub fn weekly_minutes(&self) -> u32 {
        self.days.iter().flatten().map(TimeRange::minutes).sum()
    }

    /// Every range of `self` within a range of `other` (the same day): the schedule asks at least
    /// the home time `other` asks.
    pub fn covers(&self, other: &Schedule) -> bool {
        self.days.iter().zip(&other.days).all(|(mine, theirs)| {
            theirs.iter().all(|t| {
                let mut at = t.from;
                let mut sorted = mine.clone();
                sorted.sort();
                for m in sorted {
                    if m.from <= at && m.until > at {
                        at = m.until;
                    }
                }
                at >= t.until
            })
        })
    }
}

/// An application for EM (R-EM-4: the person must apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The day applied.
    pub date: Date,
    /// Front door or back door.
    pub door: Door,
    /// The first day asked for.
    pub from: Date,
    /// The home address.
    pub address: String,
    /// The adults living in the home, each with their written consent.
    pub adults: Vec<Adult>,
    /// The daytime activity.
    pub activity: Activity,
    /// When the person must be at home.
    pub schedule: Schedule,
}

impl Application {
    /// What is missing or wrong (R-EM-4), fields relative to the payload.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.address.trim().is_empty() {
            problems.push(FieldError::bilingual(
                "address",
                Some(RuleId::Em4),
                "the home address is required (R-EM-4, strgjfl § 16 a)",
                "bostedsadressen må oppgis (R-EM-4, strgjfl § 16 a)",
            ));
        }
        for (i, adult) in self.adults.iter().enumerate() {
            if adult.name.trim().is_empty() {
                problems.push(FieldError::bilingual(
                    format!("adults[{i}].name"),
                    None,
                    "the adult's name is required",
                    "navnet til den voksne må oppgis",
                ));
            }
            match adult.consent_date {
                None => problems.push(FieldError::bilingual(
                    format!("adults[{i}].consent_date"),
                    Some(RuleId::Em4),
                    "every adult living in the home must consent in writing; give the day of the consent (R-EM-4, strgjfl § 16 a)",
                    "alle voksne i hjemmet må samtykke skriftlig; oppgi datoen for samtykket (R-EM-4, strgjfl § 16 a)",
                )),
                Some(day) if day > self.date => problems.push(FieldError::bilingual(
                    format!("adults[{i}].consent_date"),
                    Some(RuleId::Em4),
                    format!("the consent ({day}) must be given by the day of the application ({})", self.date),
                    format!("samtykket ({day}) må være gitt senest søknadsdagen ({})", self.date),
                )),
                Some(_) => {}
            }
        }
        if self.activity.description.trim().is_empty() {
            problems.push(FieldError::bilingual(
                "activity.description",
                Some(RuleId::Em4),
                "the daytime activity (work, school or other occupation) must be described (R-EM-4, strgjfl § 16 a)",
                "aktiviteten på dagtid (arbeid, skole eller annen sysselsetting) må beskrives (R-EM-4, strgjfl § 16 a)",
            ));
        }
        if self.from < self.date {
            problems.push(FieldError::bilingual(
                "from",
                None,
                format!(
                    "the first day asked for ({}) cannot be before the application ({})",
                    self.from, self.date
                ),
                format!(
                    "første dag det søkes om ({}) kan ikke være før søknaden ({})",
                    self.from, self.date
                ),
            ));
        }
        problems.extend(self.schedule.problems("schedule"));
        problems
    }
}

/// What the engine says about EM for the person's current (or planned) serving.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EngineFigures {
    /// Front-door eligibility (R-EM-2 within the R-EM-1 limit); `None` when nothing is to be
    /// served.
    pub front_door_eligible: Option<bool>,
    /// The engine's R-EM-2 explanation (English, bokmål).
    pub front_door_explanation: Option<(String, String)>,
    /// The back-door date (R-EM-3).
    pub back_door_date: Option<Date>,
    /// Whether the person is in custody (a back door leads out of prison).
    pub in_custody: bool,
}

/// Whether the law lets the person serve with EM from `from` through `door`; the refusal names
/// the rule and its §.
pub fn check_eligibility(door: Door, from: Date, figures: &EngineFigures) -> Vec<FieldError> {
    let em2 = RuleId::Em2;
    let em3 = RuleId::Em3;
    match door {
        Door::Front => match figures.front_door_eligible {
            Some(true) => Vec::new(),
            Some(false) => {
                let (en, nb) = figures.front_door_explanation.clone().unwrap_or_default();
                vec![FieldError::bilingual(
                    "door",
                    Some(em2),
                    format!(
                        "front-door EM is only for a sentence within the limit in force ({}, {}): {en}",
                        em2.id(),
                        em2.reference()
                    ),
                    format!(
                        "elektronisk kontroll fra start gjelder bare straff innenfor grensen som gjelder ({}, {}): {nb}",
                        em2.id(),
                        em2.reference()
                    ),
                )]
            }
            None => vec![FieldError::bilingual(
                "door",
                Some(em2),
                format!(
                    "no unconditional sentence to serve is computed for the person ({}, {})",
                    em2.id(),
                    em2.reference()
                ),
                format!(
                    "det er ikke beregnet noen ubetinget straff å sone for personen ({}, {})",
                    em2.id(),
                    em2.reference()
                ),
            )],
        },
        Door::Back => {
            let mut problems = Vec::new();
            if !figures.in_custody {
                problems.push(FieldError::bilingual(
                    "door",
                    Some(em3),
                    format!(
                        "back-door EM is for a person serving in prison ({}, {})",
                        em3.id(),
                        em3.reference()
                    ),
                    format!(
                        "elektronisk kontroll som bakdør gjelder den som soner i fengsel ({}, {})",
                        em3.id(),
                        em3.reference()
                    ),
                ));
            }
            match figures.back_door_date {
                None => problems.push(FieldError::bilingual(
                    "door",
                    Some(em3),
                    format!(
                        "no back-door EM date is computed for the person ({}, {})",
                        em3.id(),
                        em3.reference()
                    ),
                    format!(
                        "det er ikke beregnet noen dato for elektronisk kontroll som bakdør ({}, {})",
                        em3.id(),
                        em3.reference()
                    ),
                )),
                Some(date) if from < date => problems.push(FieldError::bilingual(
                    "from",
                    Some(em3),
                    format!(
                        "back-door EM is possible from {date}, not {from} ({}, {}: at most the limit in force left to expected release, and 1/3 served)",
                        em3.id(),
                        em3.reference()
                    ),
                    format!(
                        "elektronisk kontroll som bakdør er mulig fra {date}, ikke {from} ({}, {}: høyst grensen som gjelder igjen til forventet løslatelse, og 1/3 sonet)",
                        em3.id(),
                        em3.reference()
                    ),
                )),
                Some(_) => {}
            }
            problems
        }
    }
}

/// An EM event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The application.
    Application(Application),
    /// The application granted, from a day.
    Grant {
        /// The day of the decision.
        date: Date,
    },
    /// The device fitted or removed.
    Device {
        /// Fitted or removed.
        action: DeviceAction,
        /// The device's serial number.
        serial: String,
        /// When (Europe/Oslo).
        at: DateTime,
    },
    /// A breach of the conditions.
    Breach {
        /// What kind.
        kind: BreachKind,
        /// When (Europe/Oslo).
        at: DateTime,
        /// What happened.
        description: String,
    },
    /// A breach handled short of revocation.
    Handling {
        /// The breach (its event id).
        breach: i64,
        /// Warning or tightened schedule.
        action: HandlingAction,
        /// The day.
        date: Date,
        /// What was said or decided.
        description: String,
        /// The tightened schedule (required for that action).
        schedule: Option<Schedule>,
    },
    /// Revocation back to prison (the register records the end of the EM period and the
    /// admission in the same transaction).
    Revocation {
        /// The admission to prison (Europe/Oslo).
        at: DateTime,
        /// The breach it answers, if one.
        breach: Option<i64>,
        /// The written reason (a restrictive decision).
        reason: String,
    },
}

impl Event {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Application(_) => "em.application",
            Event::Grant { .. } => "em.grant",
            Event::Device { .. } => "em.device",
            Event::Breach { .. } => "em.breach",
            Event::Handling { .. } => "em.handling",
            Event::Revocation { .. } => "em.revocation",
        }
    }
}

/// Where an EM case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Applied, not decided.
    Applied,
    /// Granted, no device fitted.
    Granted,
    /// The device is fitted.
    Active,
    /// A breach waits for its handling.
    Breached,
    /// Revoked back to prison.
    Revoked,
}

impl Stage {
    /// As stored and in the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Granted => "granted",
            Stage::Active => "active",
            Stage::Breached => "breached",
            Stage::Revoked => "revoked",
        }
    }

    /// English, bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Stage::Applied => ("applied", "søkt"),
            Stage::Granted => ("granted", "innvilget"),
            Stage::Active => ("active (device fitted)", "aktiv (utstyr montert)"),
            Stage::Breached => ("breach awaiting handling", "brudd som venter på reaksjon"),
            Stage::Revoked => ("revoked back to prison", "omgjort, tilbake til fengsel"),
        }
    }
}

/// How a breach was handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// A warning or a tightened schedule (the handling event's id).
    By(i64, HandlingAction),
    /// By the revocation (its event id).
    Revocation(i64),
}

/// A breach and its handling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachState {
    /// The breach's event id.
    pub id: i64,
    /// What kind.
    pub kind: BreachKind,
    /// When.
    pub at: DateTime,
    /// What happened.
    pub description: String,
    /// How it was handled, once it is.
    pub handled: Option<Handled>,
}

/// A person's EM case, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// The stage; `None` before an application.
    pub stage: Option<Stage>,
    /// The application.
    pub application: Option<Application>,
    /// The day granted.
    pub granted: Option<Date>,
    /// The schedule in force (the application's, or the latest tightened one).
    pub schedule: Option<Schedule>,
    /// The device fitted now (serial, when).
    pub device: Option<(String, DateTime)>,
    /// The breaches, oldest first.
    pub breaches: Vec<BreachState>,
    /// When the person was admitted back to prison.
    pub revoked: Option<DateTime>,
}

/// The case after `events` (id, event), oldest first.
pub fn fold(events: &[(i64, &Event)]) -> State {
    let mut state = State::default();
    for (id, event) in events {
        match event {
            Event::Application(a) => {
                state = State {
                    stage: Some(Stage::Applied),
                    schedule: Some(a.schedule.clone()),
                    application: Some(a.clone()),
                    ..State::default()
                };
            }
            Event::Grant { date } => state.granted = Some(*date),
            Event::Device {
                action: DeviceAction::Fitted,
                serial,
                at,
            } => state.device = Some((serial.clone(), *at)),
            Event::Device {
                action: DeviceAction::Removed,
                ..
            } => state.device = None,
            Event::Breach {
                kind,
                at,
                description,
            } => state.breaches.push(BreachState {
                id: *id,
                kind: *kind,
                at: *at,
                description: description.clone(),
                handled: None,
            }),
            Event::Handling {
                breach,
                action,
                schedule,
                ..
            } => {
                if let Some(b) = state.breaches.iter_mut().find(|b| b.id == *breach) {
                    b.handled = Some(Handled::By(*id, *action));
                }
                if let Some(s) = schedule {
                    state.schedule = Some(s.clone());
                }
            }
            Event::Revocation { at, breach, .. } => {
                if let Some(b) = breach.and_then(|x| state.breaches.iter_mut().find(|b| b.id == x))
                {
                    b.handled = Some(Handled::Revocation(*id));
                }
                state.revoked = Some(*at);
            }
        }
        state.stage = stage_of(&state);
    }
    state
}

fn stage_of(state: &State) -> Option<Stage> {
    state.application.as_ref()?;
    Some(if state.revoked.is_some() {
        Stage::Revoked
    } else if state.breaches.iter().any(|b| b.handled.is_none()) {
        Stage::Breached
    } else if state.device.is_some() {
        Stage::Active
    } else if state.granted.is_some() {
        Stage::Granted
    } else {
        Stage::Applied
    })
}

fn stage_problem(
    kind: &str,
    stage: Option<Stage>,
    expected: &str,
    expected_nb: &str,
) -> FieldError {
    let (en, nb) = stage.map_or(("no application", "ingen søknad"), Stage::label);
    FieldError::bilingual(
        "kind",
        None,
        format!("a {kind} needs {expected}; the case is: {en}"),
        format!("{kind} krever {expected_nb}; saken er: {nb}"),
    )
}

fn required(field: &str, text: &str, en: &str, nb: &str) -> Option<FieldError> {
    text.trim()
        .is_empty()
        .then(|| FieldError::bilingual(field, None, en, nb))
}

/// Whether `event` may follow the case `state`; every problem names its field (relative to the
/// payload, or `kind` when the case is in the wrong stage).
pub fn check(state: &State, event: &Event) -> Vec<FieldError> {
    let stage = state.stage;
    let live = matches!(
        stage,
        Some(Stage::Granted | Stage::Active | Stage::Breached)
    );
    let open_breach = |breach: i64, field: &str| -> Option<FieldError> {
        match state.breaches.iter().find(|b| b.id == breach) {
            None => Some(FieldError::bilingual(
                field,
                None,
                format!("there is no breach {breach} in this EM case"),
                format!("det finnes ikke noe brudd {breach} i denne saken"),
            )),
            Some(b) if b.handled.is_some() => Some(FieldError::bilingual(
                field,
                None,
                format!("breach {breach} is already handled"),
                format!("brudd {breach} har allerede fått reaksjon"),
            )),
            Some(_) => None,
        }
    };
    let mut problems = Vec::new();
    match event {
        Event::Application(a) => {
            if stage.is_some_and(|s| s != Stage::Revoked) {
                problems.push(stage_problem(
                    "application",
                    stage,
                    "no open EM case",
                    "at ingen sak er åpen",
                ));
            }
            problems.extend(a.problems());
        }
        Event::Grant { date } => {
            if stage != Some(Stage::Applied) {
                problems.push(stage_problem(
                    "grant",
                    stage,
                    "an application not yet decided",
                    "en søknad som ikke er avgjort",
                ));
            } else if let Some(a) = &state.application
                && *date < a.date
            {
                problems.push(FieldError::bilingual(
                    "date",
                    None,
                    format!("cannot be before the application ({})", a.date),
                    format!("kan ikke være før søknaden ({})", a.date),
                ));
            }
        }
        Event::Device { action, serial, .. } => {
            if !live {
                problems.push(stage_problem(
                    "device",
                    stage,
                    "a granted EM",
                    "innvilget elektronisk kontroll",
                ));
            }
            problems.extend(required(
                "serial",
                serial,
                "the device's serial number is required",
                "utstyrets serienummer må oppgis",
            ));
            match (action, &state.device) {
                (DeviceAction::Fitted, Some((fitted, _))) if live => {
                    problems.push(FieldError::bilingual(
                        "action",
                        None,
                        format!("device {fitted} is fitted; remove it first"),
                        format!("utstyr {fitted} er montert; demonter det først"),
                    ));
                }
                (DeviceAction::Removed, None) if live => problems.push(FieldError::bilingual(
                    "action",
                    None,
                    "no device is fitted",
                    "ikke noe utstyr er montert",
                )),
                (DeviceAction::Removed, Some((fitted, _)))
                    if live && !serial.trim().is_empty() && fitted != serial.trim() =>
                {
                    problems.push(FieldError::bilingual(
                        "serial",
                        None,
                        format!("the device fitted is {fitted}"),
                        format!("utstyret som er montert er {fitted}"),
                    ));
                }
                _ => {}
            }
        }
        Event::Breach {
            at, description, ..
        } => {
            if !live {
                problems.push(stage_problem(
                    "breach",
                    stage,
                    "a granted EM",
                    "innvilget elektronisk kontroll",
                ));
            }
            if let Some(a) = &state.application
                && at.date() < a.from
            {
                problems.push(FieldError::bilingual(
                    "at",
                    None,
                    format!("cannot be before the EM period asked for ({})", a.from),
                    format!("kan ikke være før perioden det er søkt om ({})", a.from),
                ));
            }
            problems.extend(required(
                "description",
                description,
                "describe what happened",
                "beskriv hva som skjedde",
            ));
        }
        Event::Handling {
            breach,
            action,
            description,
            schedule,
            ..
        } => {
            if !live {
                problems.push(stage_problem(
                    "handling",
                    stage,
                    "a granted EM",
                    "innvilget elektronisk kontroll",
                ));
            }
            problems.extend(open_breach(*breach, "breach"));
            problems.extend(required(
                "description",
                description,
                "describe the reaction",
                "beskriv reaksjonen",
            ));
            match (action, schedule) {
                (HandlingAction::TightenedSchedule, None) => {
                    problems.push(FieldError::bilingual(
                        "schedule",
                        None,
                        "a tightened schedule must be given",
                        "den innskjerpede timeplanen må oppgis",
                    ));
                }
                (HandlingAction::TightenedSchedule, Some(s)) => {
                    let before = s.problems("schedule");
                    if before.is_empty()
                        && let Some(current) = &state.schedule
                        && !s.covers(current)
                    {
                        problems.push(FieldError::bilingual(
                            "schedule",
                            None,
                            "a tightened schedule must keep every time at home of the schedule in force",
                            "en innskjerpet timeplan må beholde all hjemmetid i gjeldende timeplan",
                        ));
                    }
                    problems.extend(before);
                }
                (HandlingAction::Warning, Some(_)) => problems.push(FieldError::bilingual(
                    "schedule",
                    None,
                    "a warning does not change the schedule; choose tightened_schedule",
                    "en advarsel endrer ikke timeplanen; velg innskjerpet timeplan",
                )),
                (HandlingAction::Warning, None) => {}
            }
        }
        Event::Revocation { at, breach, reason } => {
            if !live {
                problems.push(stage_problem(
                    "revocation",
                    stage,
                    "a granted EM",
                    "innvilget elektronisk kontroll",
                ));
            }
            if let Some(b) = breach {
                problems.extend(open_breach(*b, "breach"));
            }
            if let Some(a) = &state.application
                && at.date() < a.from
            {
                problems.push(FieldError::bilingual(
                    "at",
                    None,
                    format!("cannot be before the EM period asked for ({})", a.from),
                    format!("kan ikke være før perioden det er søkt om ({})", a.from),
                ));
            }
            problems.extend(required(
                "reason",
                reason,
                "a revocation is a restrictive decision and needs a written reason",
                "omgjøring er et inngripende vedtak og må begrunnes skriftlig",
            ));
        }
    }
    problems
}

/// How the EM period `[from, until]` in the register ends when the person is admitted to prison
/// on `admitted`: `Some(day before)` as its new last day, or `None` when the admission is on its
/// first day (no day was served at home: the period is retracted).
///
/// # Errors
///
/// `at` when the admission is not within the period or on the day after it.
pub fn ended_period(from: Date, until: Date, admitted: Date) -> Result<Option<Date>, FieldError> {
    let after = until.tomorrow().unwrap_or(until);
    if admitted < from || admitted > after {
        return Err(FieldError::bilingual(
            "at",
            None,
            format!("the admission ({admitted}) must fall within the EM period {from} – {until}"),
            format!("innsettelsen ({admitted}) må ligge innenfor perioden {from} – {until}"),
        ));
    }
    if admitted == from {
        return Ok(None);
    }
    Ok(admitted.yesterday().ok().map(|d| d.min(until)))
}

// ---------------------------------------------------------------------------------------------
// Corrections and retractions

/// A stored EM record: an event, or a retraction (`event: None`), possibly correcting another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its id (in recording order).
    pub id: i64,
    /// The record it replaces (same kind) or retracts.
    pub corrects: Option<i64>,
    /// The event, `None` for a retraction.
    pub event: Option<Event>,
}

/// The original record of `id`'s chain of corrections.
pub fn root_of(records: &[Recorded], id: i64) -> i64 {
    let mut at = id;
    // Each correction points at an earlier record, so the walk ends; bounded all the same.
    for _ in 0..records.len() {
        match records.iter().find(|r| r.id == at).and_then(|r| r.corrects) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The events in effect, by the id of the original record, in the order first recorded: the
/// latest correction of each replaces it; a retraction removes it. A breach keeps its original
/// id, so a handling or revocation that names it still does.
pub fn in_effect(records: &[Recorded]) -> Vec<(i64, &Event)> {
    let mut current: std::collections::HashMap<i64, Option<&Event>> =
        std::collections::HashMap::new();
    let mut order = Vec::new();
    for r in records {
        let root = match r.corrects {
            Some(_) => root_of(records, r.id),
            None => {
                order.push(r.id);
                r.id
            }
        };
        current.insert(root, r.event.as_ref());
    }
    order
        .into_iter()
        .filter_map(|root| current.get(&root).copied().flatten().map(|e| (root, e)))
        .collect()
}

/// Whether `replacement` (a correction; `None`: a retraction) may take the place of the event
/// `target` (any record of its chain): the event must be in effect and not the revocation (which
/// wrote the register: correct the register), a correction keeps the kind and fits the case as it
/// stood before the original, and every later event in effect still fits the case after the
/// change (the ledger stays consistent: no grant retracted while a device or breach depends on
/// it, no breach retracted that a handling answers). Fields: `corrects`, `kind`, or the payload's
/// own (relative).
pub fn check_correction(
    records: &[Recorded],
    target: i64,
    replacement: Option<&Event>,
) -> Vec<FieldError> {
    let root = root_of(records, target);
    let events = in_effect(records);
    let Some(position) = events.iter().position(|(id, _)| *id == root) else {
        return vec![FieldError::bilingual(
            "corrects",
            None,
            format!("there is no EM event {target} in effect (retracted, or not in this case)"),
            format!(
                "det finnes ingen gjeldende hendelse {target} i saken (trukket tilbake, eller ikke i saken)"
            ),
        )];
    };
    let original = events[position].1;
    if matches!(original, Event::Revocation { .. }) {
        return vec![FieldError::bilingual(
            "corrects",
            None,
            "a revocation ended the EM period and admitted the person in the register; correct the register's entries instead",
            "en omgjøring avsluttet perioden og registrerte innsettelsen; rett registerets oppføringer i stedet",
        )];
    }
    if let Some(new) = replacement
        && new.kind() != original.kind()
    {
        return vec![FieldError::bilingual(
            "kind",
            None,
            format!(
                "a correction of {} must be {} as well",
                original.kind(),
                original.kind()
            ),
            format!(
                "en rettelse av {} må også være {}",
                original.kind(),
                original.kind()
            ),
        )];
    }
    let mut after: Vec<(i64, &Event)> = events[..position].to_vec();
    if let Some(new) = replacement {
        let problems = check(&fold(&after), new);
        if !problems.is_empty() {
            return problems;
        }
        after.push((root, new));
    }
    for (id, later) in &events[position + 1..] {
        if let Some(first) = check(&fold(&after), later).first() {
            let nb = first
                .message_nb
                .clone()
                .unwrap_or_else(|| first.message.clone());
            return vec![FieldError::bilingual(
                "corrects",
                None,
                format!(
                    "event {id} ({}) would no longer fit the case: {}",
                    later.kind(),
                    first.message
                ),
                format!(
                    "hendelse {id} ({}) ville ikke lenger passe i saken: {nb}",
                    later.kind()
                ),
            )];
        }
        after.push((*id, later));
    }
    Vec::new()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn range(from: &str, until: &str) -> TimeRange {
        TimeRange::parse(from, until, "r").unwrap()
    }

    /// Home 18:00–24:00 and 00:00–07:00 every weekday, all weekend.
    fn evenings() -> Schedule {
        let mut s = Schedule::default();
        for day in 0..5 {
            s.days[day] = vec![range("00:00", "07:00"), range("18:00", "24:00")];
        }
        s.days[5] = vec![range("00:00", "24:00")];
        s.days[6] = vec![range("00:00", "24:00")];
        s
    }

    fn application() -> Application {
        Application {
            date: date(2025, 1, 10),
            door: Door::Front,
            from: date(2025, 2, 1),
            address: "Storgata 1, 0155 Oslo".into(),
            adults: vec![Adult {
                name: "Kari Nordmann".into(),
                consent_date: Some(date(2025, 1, 9)),
            }],
            activity: Activity {
                kind: ActivityKind::Work,
                description: "Snekker, mandag–fredag 07:30–15:30".into(),
            },
            schedule: evenings(),
        }
    }

    fn at(text: &str) -> DateTime {
        text.parse().unwrap()
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("07:30", false), Some(450)); // 7 × 60 + 30
        assert_eq!(parse_clock("24:00", true), Some(1440));
        assert_eq!(parse_clock("24:00", false), None);
        assert_eq!(parse_clock("23:60", false), None);
        assert_eq!(parse_clock("7", false), None);
        assert_eq!(clock(1080), "18:00");
    }

    #[test]
    fn ranges_are_within_the_day_and_named() {
        let e = TimeRange::parse("18:00", "07:00", "schedule.monday[0]").unwrap_err();
        assert_eq!(e[0].field, "schedule.monday[0].until");
        let e = TimeRange::parse("25:00", "26:00", "schedule.monday[1]").unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["schedule.monday[1].from", "schedule.monday[1].until"]
        );
    }

    #[test]
    fn overlapping_ranges_are_refused_by_weekday_and_index() {
        let mut s = evenings();
        s.days[2].push(range("06:00", "08:00")); // Wednesday: overlaps 00:00–07:00
        let p = s.problems("schedule");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "schedule.wednesday[2]");
        assert!(p[0].message.contains("00:00–07:00"));
        // Touching is not overlapping: 07:00–08:00 after 00:00–07:00.
        let mut s = evenings();
        s.days[2].push(range("07:00", "08:00"));
        assert!(s.problems("schedule").is_empty());
    }

    #[test]
    fn weekly_minutes_by_hand() {
        // Weekdays: 7 h + 6 h = 13 h = 780 min, × 5 = 3900; weekend 2 × 1440 = 2880; 6780.
        assert_eq!(evenings().weekly_minutes(), 6780);
        assert!(Schedule::default().problems("schedule")[0].rule == Some(RuleId::Em4));
    }

    #[test]
    fn every_adult_consents_in_writing() {
        let mut a = application();
        assert!(a.problems().is_empty());
        a.adults.push(Adult {
            name: "Per Nordmann".into(),
            consent_date: None,
        });
        a.adults.push(Adult {
            name: "Ola".into(),
            consent_date: Some(date(2025, 1, 11)), // after the application on the 10th
        });
        let p = a.problems();
        let fields: Vec<_> = p.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["adults[1].consent_date", "adults[2].consent_date"]);
        assert_eq!(p[0].rule, Some(RuleId::Em4));
        assert!(p[0].message.contains("strgjfl § 16 a"));
    }

    #[test]
    fn the_daytime_activity_and_address_are_required() {
        let mut a = application();
        a.address = " ".into();
        a.activity.description = String::new();
        let fields: Vec<_> = a.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["address", "activity.description"]);
    }

    #[test]
    fn eligibility_names_the_rule() {
        let within = EngineFigures {
            front_door_eligible: Some(true),
            ..EngineFigures::default()
        };
        assert!(check_eligibility(Door::Front, date(2025, 2, 1), &within).is_empty());
        let over = EngineFigures {
            front_door_eligible: Some(false),
            front_door_explanation: Some(("over 183 days".into(), "over 183 dager".into())),
            ..EngineFigures::default()
        };
        let p = check_eligibility(Door::Front, date(2025, 2, 1), &over);
        assert_eq!(p[0].field, "door");
        assert_eq!(p[0].rule, Some(RuleId::Em2));
        assert!(p[0].message.contains("R-EM-2, strgjfl § 16 a"));
        assert!(p[0].message.contains("over 183 days"));
        // Back door from 2025-05-01: the 30th of April is a day early.
        let back = EngineFigures {
            back_door_date: Some(date(2025, 5, 1)),
            in_custody: true,
            ..EngineFigures::default()
        };
        let p = check_eligibility(Door::Back, date(2025, 4, 30), &back);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "from");
        assert_eq!(p[0].rule, Some(RuleId::Em3));
        assert!(check_eligibility(Door::Back, date(2025, 5, 1), &back).is_empty());
        let home = EngineFigures {
            in_custody: false,
            ..back
        };
        assert_eq!(
            check_eligibility(Door::Back, date(2025, 5, 1), &home)[0].field,
            "door"
        );
    }

    #[test]
    fn a_case_from_application_to_revocation() {
        let app = Event::Application(application());
        let grant = Event::Grant {
            date: date(2025, 1, 20),
        };
        let fitted = Event::Device {
            action: DeviceAction::Fitted,
            serial: "EM-0042".into(),
            at: at("2025-02-01T09:00"),
        };
        let breach = Event::Breach {
            kind: BreachKind::Absence,
            at: at("2025-02-10T22:15"),
            description: "Not at home 22:15–23:40".into(),
        };
        let mut log: Vec<(i64, &Event)> = vec![(1, &app)];
        assert_eq!(fold(&log).stage, Some(Stage::Applied));
        // A breach before the grant is refused on the stage.
        assert_eq!(check(&fold(&log), &breach)[0].field, "kind");
        log.push((2, &grant));
        assert_eq!(fold(&log).stage, Some(Stage::Granted));
        assert!(check(&fold(&log), &fitted).is_empty());
        log.push((3, &fitted));
        assert_eq!(fold(&log).stage, Some(Stage::Active));
        // A second device while one is fitted.
        assert_eq!(check(&fold(&log), &fitted)[0].field, "action");
        log.push((4, &breach));
        let state = fold(&log);
        assert_eq!(state.stage, Some(Stage::Breached));
        assert_eq!(state.breaches[0].handled, None);
        // A warning for a breach that does not exist, then for breach 4.
        let warn = |breach| Event::Handling {
            breach,
            action: HandlingAction::Warning,
            date: date(2025, 2, 11),
            description: "Written warning".into(),
            schedule: None,
        };
        assert_eq!(check(&state, &warn(9))[0].field, "breach");
        let warning = warn(4);
        assert!(check(&state, &warning).is_empty());
        log.push((5, &warning));
        let state = fold(&log);
        assert_eq!(state.stage, Some(Stage::Active));
        assert_eq!(
            state.breaches[0].handled,
            Some(Handled::By(5, HandlingAction::Warning))
        );
        // Revocation without a reason is refused, naming the field.
        let bare = Event::Revocation {
            at: at("2025-02-20T10:00"),
            breach: None,
            reason: " ".into(),
        };
        assert_eq!(check(&state, &bare)[0].field, "reason");
        let revocation = Event::Revocation {
            at: at("2025-02-20T10:00"),
            breach: None,
            reason: "Repeated absence after a warning".into(),
        };
        assert!(check(&state, &revocation).is_empty());
        log.push((6, &revocation));
        let state = fold(&log);
        assert_eq!(state.stage, Some(Stage::Revoked));
        // Nothing more on a revoked case but a new application.
        assert_eq!(check(&state, &warn(4))[0].field, "kind");
    }

    #[test]
    fn a_tightened_schedule_keeps_the_old_home_time() {
        let app = Event::Application(application());
        let grant = Event::Grant {
            date: date(2025, 1, 20),
        };
        let breach = Event::Breach {
            kind: BreachKind::Alcohol,
            at: at("2025-02-03T20:00"),
            description: "Positive remote alcohol test".into(),
        };
        let log: Vec<(i64, &Event)> = vec![(1, &app), (2, &grant), (3, &breach)];
        let state = fold(&log);
        let mut looser = evenings();
        looser.days[0] = vec![range("00:00", "07:00"), range("20:00", "24:00")];
        let handling = |schedule| Event::Handling {
            breach: 3,
            action: HandlingAction::TightenedSchedule,
            date: date(2025, 2, 4),
            description: "Home from 17:00".into(),
            schedule,
        };
        assert_eq!(check(&state, &handling(Some(looser)))[0].field, "schedule");
        assert_eq!(check(&state, &handling(None))[0].field, "schedule");
        let mut tighter = evenings();
        for day in 0..5 {
            tighter.days[day] = vec![range("00:00", "07:00"), range("17:00", "24:00")];
        }
        let ok = handling(Some(tighter.clone()));
        assert!(check(&state, &ok).is_empty());
        let log: Vec<(i64, &Event)> = vec![(1, &app), (2, &grant), (3, &breach), (4, &ok)];
        let state = fold(&log);
        // 5 × (7 + 7) h + 48 h = 118 h = 7080 min.
        assert_eq!(state.schedule.unwrap().weekly_minutes(), 7080);
        assert_eq!(state.stage, Some(Stage::Granted));
    }

    #[test]
    fn the_register_period_ends_the_day_before_the_admission() {
        let (from, until) = (date(2025, 2, 1), date(2025, 4, 1));
        assert_eq!(
            ended_period(from, until, date(2025, 2, 20)),
            Ok(Some(date(2025, 2, 19)))
        );
        assert_eq!(ended_period(from, until, from), Ok(None));
        // The day after the last day: nothing left to shorten.
        assert_eq!(ended_period(from, until, date(2025, 4, 2)), Ok(Some(until)));
        assert_eq!(
            ended_period(from, until, date(2025, 1, 31))
                .unwrap_err()
                .field,
            "at"
        );
    }

    fn on(d: &str) -> Date {
        d.parse().unwrap()
    }

    fn ledger() -> Vec<Recorded> {
        let application = Application {
            date: on("2025-05-10"),
            door: Door::Front,
            from: on("2025-05-20"),
            address: "Storgata 1".into(),
            adults: Vec::new(),
            activity: Activity {
                kind: ActivityKind::Work,
                description: "Snekker".into(),
            },
            schedule: Schedule {
                days: std::array::from_fn(|_| {
                    vec![TimeRange {
                        from: 0,
                        until: 420,
                    }]
                }),
            },
        };
        let at: DateTime = "2025-05-20T09:00".parse().unwrap();
        let event = |id: i64, event: Event| Recorded {
            id,
            corrects: None,
            event: Some(event),
        };
        vec![
            event(1, Event::Application(application)),
            event(
                2,
                Event::Grant {
                    date: on("2025-05-15"),
                },
            ),
            event(
                3,
                Event::Device {
                    action: DeviceAction::Fitted,
                    serial: "EM-1".into(),
                    at,
                },
            ),
            event(
                4,
                Event::Breach {
                    kind: BreachKind::Absence,
                    at: "2025-05-25T22:00".parse().unwrap(),
                    description: "Borte".into(),
                },
            ),
            event(
                5,
                Event::Handling {
                    breach: 4,
                    action: HandlingAction::Warning,
                    date: on("2025-05-26"),
                    description: "Advarsel".into(),
                    schedule: None,
                },
            ),
        ]
    }

    #[test]
    fn a_grant_with_a_device_after_it_cannot_be_retracted_but_a_handling_can() {
        let records = ledger();
        let problems = check_correction(&records, 2, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "corrects");
        assert!(
            problems[0].message.contains("event 3 (em.device)"),
            "{problems:?}"
        );
        // A breach answered by a handling cannot go either.
        let problems = check_correction(&records, 4, None);
        assert!(
            problems[0].message.contains("event 5 (em.handling)"),
            "{problems:?}"
        );
        assert!(check_correction(&records, 5, None).is_empty());
    }

    #[test]
    fn a_correction_replaces_its_original_and_keeps_the_breach_id() {
        let mut records = ledger();
        // The breach's time corrected: the handling still names breach 4.
        let fixed = Event::Breach {
            kind: BreachKind::Absence,
            at: "2025-05-25T23:00".parse().unwrap(),
            description: "Borte til 23:40".into(),
        };
        assert!(check_correction(&records, 4, Some(&fixed)).is_empty());
        records.push(Recorded {
            id: 6,
            corrects: Some(4),
            event: Some(fixed),
        });
        let state = fold(&in_effect(&records));
        assert_eq!(state.breaches.len(), 1);
        assert_eq!(state.breaches[0].id, 4);
        assert_eq!(state.breaches[0].description, "Borte til 23:40");
        assert!(state.breaches[0].handled.is_some());
        // A correction of the correction corrects the original; another kind is refused.
        let grant = Event::Grant {
            date: on("2025-05-16"),
        };
        assert_eq!(check_correction(&records, 6, Some(&grant))[0].field, "kind");
        // A grant before the application is named on its own field.
        let early = Event::Grant {
            date: on("2025-05-01"),
        };
        assert_eq!(check_correction(&records, 2, Some(&early))[0].field, "date");
        // The handling retracted: the breach waits again, and the handling is no longer there
        // to retract.
        records.push(Recorded {
            id: 7,
            corrects: Some(5),
            event: None,
        });
        let state = fold(&in_effect(&records));
        assert_eq!(state.stage, Some(Stage::Breached));
        assert_eq!(check_correction(&records, 5, None)[0].field, "corrects");
    }
}
