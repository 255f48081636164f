//! The counting model of STATISTICS.md §1: persons, and their custody episodes as half-open
//! day intervals `[start, end)` in one category each.
//!
//! A person is in a category on day D iff one of their episodes in it contains D: a count at
//! the end of day D. Admitted on D is in the stock of D; released on D is out of it; admitted and
//! released on D is one entry, one exit, 0 days, never in a stock. Temporary leave, hospital and
//! court are no episode boundary (the person stays in); a transfer between prisons is none
//! either; a change of category (remand → sentence, prison → EM) ends one episode and starts the
//! next on the same day, marked as a transfer out and in, never a new imprisonment.
//!
//! A person's episodes never overlap: two legal bases at once are one episode, in the category
//! the precedence rule picks (default: a final sentence before remand), decided where the
//! episodes are built. [`Dataset::new`] checks this.

use halden_domain::{calendar, queue::Waiting};
use jiff::civil::Date;

/// A day as a day number (days since 1970-01-01): the hot path counts in integers.
pub type Day = i32;

/// The day number of a date.
pub fn day(date: Date) -> Day {
    calendar::day_number(date)
}

/// The date of a day number (days far outside jiff's range clamp to its ends).
pub fn date(day: Day) -> Date {
    calendar::from_day_number(day).unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

/// Legal status (SPACE "pre-trial" = no final sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Remand in custody (varetekt): untried or convicted, not final.
    Remand,
    /// Serving a final prison sentence.
    Sentenced,
    /// Preventive detention (forvaring).
    PreventiveDetention,
    /// Serving a default sentence for an unpaid fine.
    FineDefault,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 4] = [
        Status::Remand,
        Status::Sentenced,
        Status::PreventiveDetention,
        Status::FineDefault,
    ];

    /// The machine name (as in extracts).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Remand => "remand",
            Status::Sentenced => "sentenced",
            Status::PreventiveDetention => "preventive_detention",
            Status::FineDefault => "fine_default",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Where the episode is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// In a prison (any level, halfway houses included).
    Prison,
    /// At home with electronic monitoring (front or back door).
    Em,
}

impl Setting {
    /// The machine name (as in extracts).
    pub const fn as_str(self) -> &'static str {
        match self {
            Setting::Prison => "prison",
            Setting::Em => "em",
        }
    }
}

/// Sex as recorded; unknowns stay in every denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
    /// Not recorded.
    Unknown,
}

/// What the statistics know of a person: nothing that identifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// Sex.
    pub sex: Sex,
    /// Citizenship, ISO 3166 alpha-2 upper case; `None` when unknown.
    pub citizenship: Option<[u8; 2]>,
    /// Birth date; `None` when unknown.
    pub birth: Option<Date>,
}

impl Person {
    /// Whether the person is a foreign citizen (`None` when citizenship is unknown).
    pub fn foreign(&self) -> Option<bool> {
        self.citizenship.map(|c| &c != b"NO")
    }

    /// Completed years on `on`; 29 February births age on 1 March in non-leap years.
    pub fn age_on(&self, on: Date) -> Option<i32> {
        self.birth.map(|b| age(b, on))
    }
}

/// Completed years between `birth` and `on` (STATISTICS.md AGE).
///
/// ```
/// use halden_stats::model::age;
/// use jiff::civil::date;
/// assert_eq!(age(date(2006, 1, 31), date(2024, 1, 31)), 18);
/// assert_eq!(age(date(2006, 2, 1), date(2024, 1, 31)), 17);
/// // Born 29 February 2004: 18 on 1 March 2022, not on 28 February.
/// assert_eq!(age(date(2004, 2, 29), date(2022, 2, 28)), 17);
/// assert_eq!(age(date(2004, 2, 29), date(2022, 3, 1)), 18);
/// ```
pub fn age(birth: Date, on: Date) -> i32 {
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// How an episode began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// A new imprisonment (new remand; new start of a sentence, preventive detention, fine
    /// default).
    New,
    /// A re-imprisonment: after an escape, a failure to return, an interruption.
    Reimprisonment,
    /// A category change in (remand → sentence, prison → EM …).
    Transfer,
}

/// How an episode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// Discharged (full time, parole or pardon: the register does not say which).
    Discharge,
    /// Released on parole.
    Parole,
    /// Escaped (the escape date).
    Escape,
    /// Did not return from leave (the due-back date, Halden convention).
    NoReturn,
    /// A category change out.
    Transfer,
}

impl Exit {
    /// Whether the exit is a discharge (SSB "løslatelse"), as opposed to another departure.
    pub fn is_discharge(self) -> bool {
        matches!(self, Exit::Discharge | Exit::Parole)
    }
}

/// One custody episode `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Episode {
    /// Index of the person in [`Dataset::persons`].
    pub person: u32,
    /// Legal status.
    pub status: Status,
    /// Prison or EM.
    pub setting: Setting,
    /// The first day in.
    pub start: Day,
    /// The first day out; `None` while still held.
    pub end: Option<Day>,
    /// How it began.
    pub entry: Entry,
    /// How it ended (`None` while still held).
    pub exit: Option<Exit>,
    /// For a sentenced episode, the band of the aggregate imposed sentence it serves (an index
    /// of [`crate::bands::BANDS`]), or [`crate::bands::UNKNOWN`] when the source does not give
    /// the length (a CSV extract; an EM period without its judgment).
    pub band: u8,
}

impl Episode {
    /// Whether the episode holds the person at the end of `d`.
    #[inline]
    pub fn covers(&self, d: Day) -> bool {
        (self.start <= d) & (d < self.end.unwrap_or(Day::MAX))
    }

    /// The SSB type the episode counts under (EM whatever the status; else by status).
    #[inline]
    pub fn category(&self) -> Category {
        // A table rather than a match: the hot loops stay free of unpredictable branches.
        const BY_STATUS: [Category; 4] = [
            Category::Remand,
            Category::Institution,
            Category::PreventiveDetention,
            Category::FineDefault,
        ];
        if self.setting == Setting::Em {
            Category::Em
        } else {
            BY_STATUS[self.status as usize]
        }
    }

    /// Days of the episode inside `[from, to)`.
    #[inline]
    pub fn days_within(&self, from: Day, to: Day) -> i64 {
        let s = self.start.max(from);
        let e = self.end.unwrap_or(Day::MAX).min(to);
        i64::from((e - s).max(0))
    }
}

/// The SSB types of imprisonment (Fengslinger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Remand.
    Remand,
    /// A sentence served in an institution.
    Institution,
    /// A sentence served with electronic monitoring.
    Em,
    /// Preventive detention.
    PreventiveDetention,
    /// Fine default.
    FineDefault,
}

impl Category {
    /// Every category, in SSB's order.
    pub const ALL: [Category; 5] = [
        Category::Remand,
        Category::Institution,
        Category::Em,
        Category::PreventiveDetention,
        Category::FineDefault,
    ];

    /// The machine name used as a row key.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Remand => "remand",
            Category::Institution => "institution",
            Category::Em => "em",
            Category::PreventiveDetention => "preventive_detention",
            Category::FineDefault => "fine_default",
        }
    }

    /// Index into per-category arrays.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A community measure (SPACE II).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Parole (prøveløslatelse) under supervision.
    Parole,
    /// Community sentence (samfunnsstraff).
    CommunitySentence,
}

/// A period under a community measure `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supervision {
    /// Index of the person.
    pub person: u32,
    /// The measure.
    pub measure: Measure,
    /// First day.
    pub start: Day,
    /// First day no longer under it; `None` while running.
    pub end: Option<Day>,
}

impl Supervision {
    /// Whether the measure runs at the end of `d`.
    pub fn covers(&self, d: Day) -> bool {
        self.start <= d && self.end.is_none_or(|e| d < e)
    }
}

/// Where the data came from: printed in every report's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `extract` or `register`.
    pub kind: &'static str,
    /// The register's log position (the last entry id) the data was read up to.
    pub log_position: Option<i64>,
    /// SHA-256 of the input (an extract's bytes; the register's episodes as read).
    pub digest: String,
}

/// Everything a report counts: persons, episodes, community measures and judgments waiting.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The persons.
    pub persons: Vec<Person>,
    /// Their custody episodes.
    pub episodes: Vec<Episode>,
    /// Community measures.
    pub supervision: Vec<Supervision>,
    /// Judgments received, for the queue (R-QUEUE-1).
    pub judgments: Vec<Waiting>,
    /// Where it came from.
    pub source: Source,
    /// For each calendar year, a copy of the episodes that can count in it (start before its
    /// end, end on or after its start), built by [`Dataset::new`]; used only while `episodes`
    /// still has the length it was built for.
    year_index: (usize, std::collections::HashMap<i16, Vec<Episode>>),
}

/// A dataset that breaks the counting model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// An episode names a person that is not there.
    #[error("episode {0} names person {1}, who is not in the dataset")]
    UnknownPerson(usize, u32),
    /// An episode ends before it starts.
    #[error("episode {0} ends before it starts")]
    Backwards(usize),
    /// Two episodes of one person overlap.
    #[error("episodes {0} and {1} of one person overlap")]
    Overlap(usize, usize),
}

impl Dataset {
    /// A dataset, checked: every episode's person exists, no episode ends before it starts, and
    /// no two episodes of a person overlap.
    ///
    /// # Errors
    ///
    /// The first problem found.
    pub fn new(
        persons: Vec<Person>,
        episodes: Vec<Episode>,
        supervision: Vec<Supervision>,
        judgments: Vec<Waiting>,
        source: Source,
    ) -> Result<Dataset, ModelError> {
        for (i, e) in episodes.iter().enumerate() {
            if e.person as usize >= persons.len() {
                return Err(ModelError::UnknownPerson(i, e.person));
            }
            if e.end.is_some_and(|end| end < e.start) {
                return Err(ModelError::Backwards(i));
            }
        }
        let mut order: Vec<usize> = (0..episodes.len()).collect();
        order.sort_unstable_by_key(|&i| (episodes[i].person, episodes[i].start, episodes[i].end));
        for pair in order.windows(2) {
            let (a, b) = (&episodes[pair[0]], &episodes[pair[1]]);
            // Same person, and the later one starts before the earlier one ends. A zero-length
            // episode on the day another starts does not overlap it.
            if a.person == b.person
                && a.end.is_none_or(|end| b.start < end)
                && a.end != Some(a.start)
            {
                return Err(ModelError::Overlap(pair[0], pair[1]));
            }
        }
        let year_index = (episodes.len(), year_index(&episodes));
        Ok(Dataset {
            persons,
            episodes,
            supervision,
            judgments,
            source,
            year_index,
        })
    }

    /// How many episode copies the year index holds (for memory figures).
    pub fn indexed_episodes(&self) -> usize {
        self.year_index.1.values().map(Vec::len).sum()
    }

    /// The episodes that can count in the calendar year `year` (every figure of a day or a
    /// period inside the year comes from these alone), or all of them when the index does not
    /// apply.
    pub fn in_year(&self, year: i16) -> &[Episode] {
        if self.year_index.0 == self.episodes.len() && (INDEX_FROM..=INDEX_TO).contains(&year) {
            self.year_index.1.get(&year).map_or(&[][..], Vec::as_slice)
        } else {
            &self.episodes
        }
    }
}

/// The years the index covers (others are answered by a full scan).
const INDEX_FROM: i16 = 1990;
const INDEX_TO: i16 = 2060;

/// Episodes by the years they can count in: `[start, end)` meets `[1 Jan Y, 1 Jan Y+1)` or
/// ends on 1 January Y (an exit in Y).
fn year_index(episodes: &[Episode]) -> std::collections::HashMap<i16, Vec<Episode>> {
    let mut index: std::collections::HashMap<i16, Vec<Episode>> = std::collections::HashMap::new();
    for e in episodes {
        // Years outside the indexed range are answered by a full scan.
        let first = date(e.start).year().max(INDEX_FROM);
        let last = match e.end {
            Some(end) => date(end).year().min(INDEX_TO),
            None => INDEX_TO,
        };
        for y in first..=last.max(first) {
            index.entry(y).or_default().push(*e);
        }
    }
    index
}
