//! The counting passes: the stock on a day, the flows and days of a period, the daily series.
//! Each is one pass over the episodes.

use crate::model::{Category, Dataset, Day, Episode, Setting, Sex, Status};

/// Which categories a report counts (STATISTICS.md §1 inclusion flags). The flags the data
/// cannot tell apart (halfway houses, § 12 institutions, police cells, youth units, places
/// abroad, psychiatric care) count wherever the register places the person and are printed as
/// `"as_recorded"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// EM, front and back door (`em_front_door`, `em_back_door`).
    pub em: bool,
    /// Remand (pre-trial).
    pub remand: bool,
    /// Preventive detention.
    pub preventive_detention: bool,
    /// Fine default.
    pub fine_default: bool,
}

impl Profile {
    /// SPACE I, SSB days and KDI inmates: everything held in a prison, EM out.
    pub const PRISON: Profile = Profile {
        em: false,
        remand: true,
        preventive_detention: true,
        fine_default: true,
    };

    /// Everything, EM in.
    pub const ALL: Profile = Profile {
        em: true,
        ..Profile::PRISON
    };

    /// The profile with EM counted or not.
    pub const fn with_em(self, em: bool) -> Profile {
        Profile { em, ..self }
    }

    /// Whether the profile counts `e`.
    #[inline]
    pub fn includes(&self, e: &Episode) -> bool {
        let by_status = [
            self.remand,
            true,
            self.preventive_detention,
            self.fine_default,
        ];
        by_status[e.status as usize] & (self.em | (e.setting != Setting::Em))
    }

    /// The flag set printed with every table.
    pub fn flags(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        let as_recorded = json!("as_recorded");
        vec![
            ("em_front_door", json!(self.em)),
            ("em_back_door", json!(self.em)),
            ("remand", json!(self.remand)),
            ("preventive_detention", json!(self.preventive_detention)),
            ("fine_default", json!(self.fine_default)),
            ("halfway_house", as_recorded.clone()),
            ("treatment_institution_s12", as_recorded.clone()),
            ("home_serving_s16", as_recorded.clone()),
            ("remand_in_police_cells", json!(false)),
            ("youth_units", as_recorded.clone()),
            ("places_abroad", as_recorded.clone()),
            ("psychiatric_care", as_recorded),
        ]
    }
}

/// The stock at the end of a day, broken down.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stock {
    /// Persons counted.
    pub total: i64,
    /// By legal status (index: [`Status`] order).
    pub by_status: [i64; 4],
    /// By SSB category (index: [`Category::index`]).
    pub by_category: [i64; 5],
    /// Women, men, sex unknown.
    pub women: i64,
    /// Men.
    pub men: i64,
    /// Sex not recorded.
    pub sex_unknown: i64,
    /// Foreign citizens.
    pub foreign: i64,
    /// Norwegian citizens.
    pub norwegian: i64,
    /// Citizenship unknown.
    pub citizenship_unknown: i64,
    /// By age band: `bands[i]` counts ages in `[edges[i-1], edges[i])` (band 0 below the first
    /// edge, the last at or above the last edge).
    pub age_bands: Vec<i64>,
    /// Birth date unknown.
    pub birth_unknown: i64,
    /// Under 18 on the day.
    pub under_18: i64,
    /// Preventive detention in prison: men, women.
    pub preventive_by_sex: [i64; 2],
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Remand => 0,
        Status::Sentenced => 1,
        Status::PreventiveDetention => 2,
        Status::FineDefault => 3,
    }
}

impl Stock {
    /// An empty count with `bands` age bands.
    pub fn empty(bands: usize) -> Stock {
        Stock {
            age_bands: vec![0; bands],
            ..Stock::default()
        }
    }

    /// Counts one episode held on `on` (the caller checks that it is).
    #[inline]
    pub fn add(&mut self, ds: &Dataset, e: &Episode, on: jiff::civil::Date, edges: &[i32]) {
        self.total += 1;
        self.by_status[status_index(e.status)] += 1;
        self.by_category[e.category().index()] += 1;
        let Some(p) = ds.persons.get(e.person as usize) else {
            return;
        };
        match p.sex {
            Sex::Female => self.women += 1,
            Sex::Male => self.men += 1,
            Sex::Unknown => self.sex_unknown += 1,
        }
        match p.foreign() {
            Some(true) => self.foreign += 1,
            Some(false) => self.norwegian += 1,
            None => self.citizenship_unknown += 1,
        }
        match p.age_on(on) {
            Some(age) => {
                let band = edges.iter().take_while(|&&edge| age >= edge).count();
                if let Some(b) = self.age_bands.get_mut(band) {
                    *b += 1;
                }
                if age < 18 {
                    self.under_18 += 1;
                }
            }
            None => self.birth_unknown += 1,
        }
        if e.category() == Category::PreventiveDetention {
            match p.sex {
                Sex::Female => self.preventive_by_sex[1] += 1,
                _ => self.preventive_by_sex[0] += 1,
            }
        }
    }
}

/// The stock at the end of `d` under `profile`, with ages in bands cut at `edges`.
pub fn stock(ds: &Dataset, d: Day, profile: &Profile, edges: &[i32]) -> Stock {
    let on = crate::model::date(d);
    let mut s = Stock::empty(edges.len() + 1);
    for e in ds
        .episodes
        .iter()
        .filter(|e| e.covers(d) && profile.includes(e))
    {
        s.add(ds, e, on, edges);
    }
    s
}

/// Flows and days of one category over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flow {
    /// Stock at the end of the day before the period.
    pub p0: i64,
    /// New imprisonments.
    pub new: i64,
    /// Re-imprisonments (after escape, no return, interruption).
    pub reimprisonments: i64,
    /// Category changes in.
    pub transfers_in: i64,
    /// Discharges (full time, parole, pardon).
    pub discharges: i64,
    /// Escapes.
    pub escapes: i64,
    /// Failures to return from leave.
    pub no_returns: i64,
    /// Category changes out.
    pub transfers_out: i64,
    /// Stock at the end of the period's last day.
    pub p1: i64,
    /// Days held in the period.
    pub days: i64,
    /// Admitted and released on the same day in the period.
    pub same_day: i64,
}

impl Flow {
    /// Entries (E2: new imprisonments and re-imprisonments).
    pub fn entries(&self) -> i64 {
        self.new + self.reimprisonments
    }

    /// Departures other than transfers (discharges and other departures).
    pub fn exits(&self) -> i64 {
        self.discharges + self.escapes + self.no_returns
    }

    fn add(&mut self, o: &Flow) {
        self.p0 += o.p0;
        self.new += o.new;
        self.reimprisonments += o.reimprisonments;
        self.transfers_in += o.transfers_in;
        self.discharges += o.discharges;
        self.escapes += o.escapes;
        self.no_returns += o.no_returns;
        self.transfers_out += o.transfers_out;
        self.p1 += o.p1;
        self.days += o.days;
        self.same_day += o.same_day;
    }
}

/// Flows of the period `[from, to)` per SSB category (index: [`Category::index`]).
pub fn flows(ds: &Dataset, from: Day, to: Day) -> [Flow; 5] {
    // Counters per category, updated without branches (the episodes come in no useful order,
    // so a branch per test would be mispredicted often): P0, P1, new, re-imprisonments,
    // transfers in, same day, discharges, escapes, no returns, transfers out, days.
    const P0: usize = 0;
    const P1: usize = 1;
    const ENTRY: usize = 2; // + Entry as usize (New, Reimprisonment, Transfer)
    const SAME: usize = 5;
    const EXIT: usize = 6; // + the exit's slot below
    const DAYS: usize = 10;
    // Exit as usize: Discharge, Parole, Escape, NoReturn, Transfer → slot.
    const EXIT_SLOT: [usize; 5] = [0, 0, 1, 2, 3];
    let mut acc = [[0_i64; 11]; 5];
    for e in episodes_of(ds, from, to) {
        let a = &mut acc[e.category().index()];
        let end = e.end.unwrap_or(Day::MAX);
        let started = (e.start >= from) & (e.start < to);
        let ended = (end >= from) & (end < to);
        a[P0] += i64::from((e.start < from) & (end >= from));
        a[P1] += i64::from((e.start < to) & (end >= to));
        a[ENTRY + e.entry as usize] += i64::from(started);
        a[SAME] += i64::from(started & (end == e.start));
        a[EXIT + EXIT_SLOT[e.exit.map_or(0, |x| x as usize)]] += i64::from(ended);
        a[DAYS] += i64::from((end.min(to) - e.start.max(from)).max(0));
    }
    acc.map(|a| Flow {
        p0: a[P0],
        p1: a[P1],
        new: a[ENTRY],
        reimprisonments: a[ENTRY + 1],
        transfers_in: a[ENTRY + 2],
        same_day: a[SAME],
        discharges: a[EXIT],
        escapes: a[EXIT + 1],
        no_returns: a[EXIT + 2],
        transfers_out: a[EXIT + 3],
        days: a[DAYS],
    })
}

/// The episodes that can count in `[from, to)`: the year's when the period lies in one calendar
/// year, else all.
fn episodes_of(ds: &Dataset, from: Day, to: Day) -> &[Episode] {
    let (a, b) = (crate::model::date(from), crate::model::date(to - 1));
    if to > from && a.year() == b.year() {
        ds.in_year(a.year())
    } else {
        &ds.episodes
    }
}

/// The sum of the categories `profile` counts.
pub fn total(flows: &[Flow; 5], profile: &Profile) -> Flow {
    let mut t = Flow::default();
    for c in Category::ALL {
        if category_included(c, profile) {
            t.add(&flows[c.index()]);
        }
    }
    t
}

/// Whether the profile counts a category.
pub fn category_included(c: Category, profile: &Profile) -> bool {
    match c {
        Category::Remand => profile.remand,
        Category::Institution => true,
        Category::Em => profile.em,
        Category::PreventiveDetention => profile.preventive_detention,
        Category::FineDefault => profile.fine_default,
    }
}

/// The stock at the end of every day of `[from, to)` under `profile`: one pass with a
/// difference array.
pub fn daily(ds: &Dataset, from: Day, to: Day, profile: &Profile) -> Vec<i64> {
    let n = usize::try_from((to - from).max(0)).unwrap_or(0);
    let mut diff = vec![0_i64; n + 1];
    for e in episodes_of(ds, from, to)
        .iter()
        .filter(|e| profile.includes(e))
    {
        let s = e.start.max(from);
        let t = e.end.unwrap_or(Day::MAX).min(to);
        if s < t {
            diff[(s - from) as usize] += 1;
            diff[(t - from) as usize] -= 1;
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut running = 0;
    for d in diff.iter().take(n) {
        running += d;
        out.push(running);
    }
    out
}

/// Persons under each community measure at the end of `d`: (parole, community sentence,
/// distinct persons under either, women, foreign).
pub fn probation(ds: &Dataset, d: Day) -> (i64, i64, Vec<u32>) {
    let mut parole = 0;
    let mut community = 0;
    let mut persons = Vec::new();
    for s in ds.supervision.iter().filter(|s| s.covers(d)) {
        match s.measure {
            crate::model::Measure::Parole => parole += 1,
            crate::model::Measure::CommunitySentence => community += 1,
        }
        persons.push(s.person);
    }
    persons.sort_unstable();
    persons.dedup();
    (parole, community, persons)
}
