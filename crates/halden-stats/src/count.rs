//! The counting passes: the stock on a day, the flows and days of a period, the daily series.
//! Each is one pass over the episodes.

use crate::model::{Category, Dataset, Day, Entry, Episode, Exit, Setting, Sex, Status};

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
        (self.em || e.setting != Setting::Em)
            && match e.status {
                Status::Remand => self.remand,
                Status::Sentenced => true,
                Status::PreventiveDetention => self.preventive_detention,
                Status::FineDefault => self.fine_default,
            }
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

/// The stock at the end of `d` under `profile`, with ages in bands cut at `edges`.
pub fn stock(ds: &Dataset, d: Day, profile: &Profile, edges: &[i32]) -> Stock {
    let on = crate::model::date(d);
    let mut s = Stock {
        age_bands: vec![0; edges.len() + 1],
        ..Stock::default()
    };
    for e in ds
        .episodes
        .iter()
        .filter(|e| e.covers(d) && profile.includes(e))
    {
        s.total += 1;
        s.by_status[status_index(e.status)] += 1;
        s.by_category[e.category().index()] += 1;
        let Some(p) = ds.persons.get(e.person as usize) else {
            continue;
        };
        match p.sex {
            Sex::Female => s.women += 1,
            Sex::Male => s.men += 1,
            Sex::Unknown => s.sex_unknown += 1,
        }
        match p.foreign() {
            Some(true) => s.foreign += 1,
            Some(false) => s.norwegian += 1,
            None => s.citizenship_unknown += 1,
        }
        match p.age_on(on) {
            Some(age) => {
                let band = edges.iter().take_while(|&&edge| age >= edge).count();
                s.age_bands[band] += 1;
                if age < 18 {
                    s.under_18 += 1;
                }
            }
            None => s.birth_unknown += 1,
        }
        if e.category() == Category::PreventiveDetention {
            match p.sex {
                Sex::Female => s.preventive_by_sex[1] += 1,
                _ => s.preventive_by_sex[0] += 1,
            }
        }
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
    let mut out = [Flow::default(); 5];
    for e in &ds.episodes {
        let f = &mut out[e.category().index()];
        if e.covers(from - 1) {
            f.p0 += 1;
        }
        if e.covers(to - 1) {
            f.p1 += 1;
        }
        if (from..to).contains(&e.start) {
            match e.entry {
                Entry::New => f.new += 1,
                Entry::Reimprisonment => f.reimprisonments += 1,
                Entry::Transfer => f.transfers_in += 1,
            }
            if e.end == Some(e.start) {
                f.same_day += 1;
            }
        }
        if let Some(end) = e.end
            && (from..to).contains(&end)
        {
            match e.exit.unwrap_or(Exit::Discharge) {
                Exit::Discharge | Exit::Parole => f.discharges += 1,
                Exit::Escape => f.escapes += 1,
                Exit::NoReturn => f.no_returns += 1,
                Exit::Transfer => f.transfers_out += 1,
            }
        }
        f.days += e.days_within(from, to);
    }
    out
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
    for e in ds.episodes.iter().filter(|e| profile.includes(e)) {
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
