//! The demo generator behind [`super::generate`].
//!
//! How the population is built (figures from STATISTICS.md §6):
//!
//! 1. **The roll today.** Every prison department gets 78–93 % of its capacity (youth units at most
//!    three). Each place is filled by one person whose basis of custody is drawn so that ≈ 21 % are
//!    on remand (only where `remand=yes`; Oslo fengsel takes more, Ila fewer), ≈ 150 serve
//!    preventive detention (forvaring, mostly at Ila, Bredtveit and Trondheim), and the rest serve
//!    a sentence whose length follows the sentenced stock of 31 January 2018. Women (≈ 5.5 %) are
//!    placed only where `women=yes`, mostly in the women's departments; the under-18s only in the two
//!    youth units; ≈ 26.5 % are foreign citizens (most at Kongsvinger's unit for foreign inmates).
//!    Each person's stay is sampled as a stock is: a uniformly random point of the stay, so that
//!    today falls before their release, after a plausible admission, remand, transfers
//!    (progression from high to lower security and halfway houses), leaves, hospital and court trips.
//! 2. **The probation caseloads today**: ≈ 400 serving at home with electronic monitoring (front door
//!    and back door), ≈ 750 on parole, ≈ 1 000 serving a community sentence, each under the
//!    probation office of their home municipality's county.
//! 3. **The serving queue today** (soningskø): final judgments to unconditional imprisonment
//!    received by the service in the last months and not started. Receipts arrive at a steady
//!    rate (short sentences, as the flow of sentences; about half of those short enough for EM,
//!    R-EM-1, are planned for EM) and each follows the service's course: a summons sent soon after
//!    receipt for a serving date three weeks or more ahead and within 60 days (R-INNK-1); for
//!    about a quarter of prison sentences no place at the right level within 60 days, so the
//!    summons comes later and names a later date with the reason; a few postponements
//!    (R-INNK-2) and non-appearances (R-INNK-3), the latter at large for weeks until brought in.
//!    Whoever has started by today is left out (their kind is in the history); the rest wait,
//!    those received two calendar months ago or more counted in the queue (R-QUEUE-1): ≈ 200
//!    of ≈ 800 waiting, STATISTICS.md V4b "tens to hundreds". Some were released earlier and
//!    came back with a new judgment.
//! 4. **History**: four years of people who came and went: remand episodes that ended in release
//!    (their days credited to a later sentence), remand that turned into a sentence, direct
//!    admissions from the queue, releases on parole or in full, EM sentences and community
//!    sentences, escapes and failures to return from leave followed by recapture.
//!
//! Everything is drawn from one seeded [`Rng`] in a fixed order, so the same seed and day give the
//! same population.

use std::collections::{BTreeMap, HashSet};

use halden_domain::{
    law,
    queue::{self, PlannedForm},
    register::{CustodyBasis, Movement, MovementKind, SecurityLevel, identity_number_is_valid},
};
use jiff::Span;
use jiff::civil::{Date, DateTime};

use super::rng::{Rng, Table};
use super::tables::{self, Bucket, Country, Court, LengthRange};
use super::{
    Expulsion, Identity, Judgment, NonAppearance, Person, Population, RemandOrder, Scale, Sex,
    Summons, Supervision, SupervisionKind,
};
use crate::estate::Estate;

/// Share of the roll on remand (KDI 2021–2023: 18–25 %).
const REMAND_SHARE: f64 = 0.21;
/// Share of women on the roll (KDI: 4.5–6.4 %).
const WOMEN_SHARE: f64 = 0.055;
/// Share of foreign citizens on the roll (KDI: 23–28 %).
const FOREIGN_SHARE: f64 = 0.265;
/// Persons in preventive detention in prison at national scale (KDI: 148–156).
const PREVENTIVE_DETENTION: f64 = 150.0;
/// Years of history before today.
const HISTORY_YEARS: i16 = 4;
/// Departments that are mainly for women (Bredtveit, Kragerø since 2016, Evje, Bergen eining D).
const WOMEN_DEPARTMENTS: &[&str] = &["P003", "P004", "P027", "P031", "P032", "P042"];
/// Relative propensity to hold remand prisoners, where it differs from 1: Oslo fengsel is the
/// country's main remand prison, Ila mainly holds preventive detainees.
const REMAND_WEIGHTS: &[(&str, f64)] = &[("P001", 2.3), ("P005", 0.15)];
/// Relative propensity to hold preventive detainees, where it differs from the level default:
/// the preventive-detention institutions (forvaringsanstalter) Ila, Bredtveit and Trondheim.
const PREVENTIVE_WEIGHTS: &[(&str, f64)] = &[
    ("P005", 30.0),
    ("P003", 8.0),
    ("P004", 5.0),
    ("P050", 5.0),
    ("P051", 3.0),
];
/// Final judgments to unconditional imprisonment the service receives a day that are served
/// from the queue rather than from remand, national scale: ≈ 4 400 a year, prison and front-door
/// EM (STATISTICS.md §6: ≈ 7 200 unconditional sentences in 2022, ≈ 3 700 EM starts a year).
const QUEUE_RECEIVED_PER_DAY: f64 = 12.0;
/// How many days back receipts are drawn: longer than anyone in the queue has waited.
const QUEUE_WINDOW_DAYS: i64 = 210;
/// Of the judgments short enough for EM (R-EM-1), the share planned for EM.
const QUEUE_EM_SHARE: f64 = 0.5;
/// Prison judgments with no place at the right level within the 60 days (R-INNK-1): the
/// summons comes when a place does, with the reason.
const QUEUE_NO_PLACE_SHARE: f64 = 0.25;
/// EM judgments waiting for a device past the 60 days (STATISTICS.md §4: EM starts wait for a
/// device).
const QUEUE_NO_DEVICE_SHARE: f64 = 0.015;
/// Summoned in time, then postponed on application (R-INNK-2).
const QUEUE_POSTPONED_SHARE: f64 = 0.015;
/// Who do not report on the serving date (R-INNK-3).
const QUEUE_NON_APPEARANCE_SHARE: f64 = 0.07;
/// How often a year a person sought after a non-appearance is brought in (mean 2½ months).
const QUEUE_BROUGHT_IN_PER_YEAR: f64 = 4.9;
/// Reasons for a serving date past the 60-day limit, as a caseworker writes them.
const NO_PLACE_REASONS: &[&str] = &[
    "Ingen ledig plass på riktig sikkerhetsnivå før denne datoen.",
    "Ingen ledig plass i fengsel i hjemregionen innen 60 dager.",
    "Fullt belegg på lavere sikkerhetsnivå i regionen; første ledige plass.",
];
const NO_DEVICE_REASONS: &[&str] = &[
    "Venter på ledig utstyr for elektronisk kontroll.",
    "Ingen ledig kapasitet for elektronisk kontroll ved friomsorgskontoret før denne datoen.",
];
const POSTPONEMENT_REASONS: &[&str] = &[
    "Utsettelse innvilget: barn født for under ni måneder siden.",
    "Utsettelse innvilget: dokumentert behandling som bør fullføres først.",
    "Utsettelse innvilget etter søknad: vektige grunner (avsluttende eksamen).",
    "Utsettelse innvilget: termin før løslatelsesdatoen.",
];
const NON_APPEARANCE_NOTES: &[&str] = &[
    "Møtte ikke til soningsstart. Etterlyst; politiet er bedt om å pågripe.",
    "Møtte ikke og har ikke svart på henvendelser. Begjæring om pågripelse sendt politiet.",
    "Meldte forfall uten dokumentasjon og møtte ikke. Sendt politiet for pågripelse.",
];
/// The prison the demo prisoner account lives in, and where the special demo persons are placed.
const DEMO_PRISON: &str = "P001";
/// The probation office given one person of each supervision kind.
const DEMO_OFFICE: &str = "F001";

/// Generates the population; see the module documentation.
pub(crate) fn generate(estate: &Estate, seed: u64, today: Date, scale: Scale) -> Population {
    if estate.prisons.is_empty()
        || estate.municipalities.is_empty()
        || estate.probation_offices.is_empty()
    {
        return Population {
            persons: Vec::new(),
            demo_prisoner: 0,
        };
    }
    let ctx = Ctx::new(estate, today);
    let sizes = Sizes::of(scale);
    let mut generator = Generator {
        ctx: &ctx,
        rng: Rng::new(seed ^ 0x4841_4C44_454E_0001),
        aside: Rng::new(seed ^ 0x4841_4C44_454E_0002),
        used_numbers: HashSet::new(),
        next_temporary_id: 0,
        next_case: 0,
    };
    let mut persons = Vec::new();
    let mut demo_prisoner = 0;

    for slot in generator.plan_roll(sizes.divisor) {
        if slot.special == Special::DemoPrisoner {
            demo_prisoner = persons.len();
        }
        let draft = generator.in_custody_today(&slot);
        persons.push(generator.finish(draft));
    }
    let office = ctx.demo_office;
    let electronic_monitoring = generator.around(sizes.electronic_monitoring);
    let parole = generator.around(sizes.parole);
    let community = generator.around(sizes.community);
    for i in 0..electronic_monitoring {
        let draft = generator.electronic_monitoring_today((i == 0).then_some(office));
        persons.push(generator.finish(draft));
    }
    for i in 0..parole {
        let draft = generator.parole_today((i == 0).then_some(office));
        persons.push(generator.finish(draft));
    }
    for i in 0..community {
        let draft = generator.community_sentence_today((i == 0).then_some(office));
        persons.push(generator.finish(draft));
    }
    for plan in generator.plan_queue(sizes.divisor) {
        let draft = generator.waiting_today(&plan);
        persons.push(generator.finish(draft));
    }
    let released = match scale {
        Scale::Persons(n) => n.saturating_sub(persons.len()),
        Scale::National | Scale::Small => sizes.released,
    };
    for _ in 0..released {
        let draft = generator.released();
        persons.push(generator.finish(draft));
    }
    Population {
        persons,
        demo_prisoner,
    }
}

/// How many of each kind of person a scale has.
struct Sizes {
    /// The roll is the estate's capacity × occupancy divided by this.
    divisor: f64,
    electronic_monitoring: usize,
    parole: usize,
    community: usize,
    released: usize,
}

impl Sizes {
    fn of(scale: Scale) -> Sizes {
        match scale {
            Scale::National | Scale::Persons(_) => Sizes {
                divisor: 1.0,
                electronic_monitoring: 400,
                parole: 750,
                community: 1000,
                released: 13_000,
            },
            Scale::Small => Sizes {
                divisor: 20.0,
                electronic_monitoring: 20,
                parole: 38,
                community: 50,
                released: 650,
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates

fn add_days(day: Date, days: i64) -> Date {
    date_from_day_number(day_number(day) + days).unwrap_or(day)
}

/// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's `days_from_civil`). Plain integer
/// arithmetic: the generator does hundreds of thousands of these, and `jiff`'s span machinery is
/// far slower for this one job in unoptimised builds.
fn day_number(day: Date) -> i64 {
    let (year, month, day) = (
        i64::from(day.year()),
        i64::from(day.month()),
        i64::from(day.day()),
    );
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`day_number`] (`civil_from_days`); `None` outside jiff's range.
fn date_from_day_number(number: i64) -> Option<Date> {
    let z = number + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn add_months(day: Date, months: i64) -> Date {
    Span::new()
        .try_months(months)
        .ok()
        .and_then(|span| day.checked_add(span).ok())
        .unwrap_or(day)
}

/// Days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    day_number(to) - day_number(from)
}

/// Whole years from `from` to `to`.
fn years_between(from: Date, to: Date) -> i64 {
    let mut years = i64::from(to.year()) - i64::from(from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

/// `ceil(numerator / denominator)` for non-negative numbers.
fn ceil_div(numerator: i64, denominator: i64) -> i64 {
    (numerator + denominator - 1) / denominator
}

/// A sentence length as the judgment gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Days(u32),
    Months(u32),
}

impl Length {
    /// The term in days counted from `anchor` (months are calendar months, C-1).
    fn days_from(self, anchor: Date) -> i64 {
        match self {
            Length::Days(days) => i64::from(days),
            Length::Months(months) => days_between(anchor, add_months(anchor, i64::from(months))),
        }
    }

    fn months(self) -> u32 {
        match self {
            Length::Days(days) => days / 30,
            Length::Months(months) => months,
        }
    }
}

/// The parole day number (R-PAR-1: two thirds, at least 60 days), when an ordinary parole exists:
/// not when it would leave nothing, or under 14 days (exceptional only).
fn parole_day(term_days: i64) -> Option<i64> {
    let parole = ceil_div(2 * term_days, 3).max(60);
    (term_days - parole >= 14).then_some(parole)
}

// ---------------------------------------------------------------------------------------------
// The estate, prepared for drawing

struct PrisonInfo<'a> {
    id: &'a str,
    unit: &'a str,
    name: &'a str,
    region: usize,
    level: SecurityLevel,
    capacity: u32,
    women: bool,
    mainly_women: bool,
    youth: bool,
    remand: bool,
}

struct MunicipalityInfo<'a> {
    name: &'a str,
    county: &'a str,
    region: Option<usize>,
}

struct OfficeInfo<'a> {
    id: &'a str,
    office: &'a str,
    municipality: &'a str,
    weight: f64,
}

struct Ctx<'a> {
    today: Date,
    window_start: Date,
    prisons: Vec<PrisonInfo<'a>>,
    municipalities: Vec<MunicipalityInfo<'a>>,
    all_municipalities: Table,
    /// Per region: municipality indices and their population weights.
    by_region: Vec<(Vec<usize>, Table)>,
    offices: Vec<OfficeInfo<'a>>,
    demo_office: usize,
    oslo: usize,
    countries: Table,
    stock: Table,
    flow: Table,
    em_front_door: Table,
    ages: Table,
}

impl<'a> Ctx<'a> {
    fn new(estate: &'a Estate, today: Date) -> Ctx<'a> {
        let mut regions: Vec<&str> = Vec::new();
        let mut region_of = |name: &'a str| match regions.iter().position(|r| *r == name) {
            Some(i) => i,
            None => {
                regions.push(name);
                regions.len() - 1
            }
        };
        let prisons: Vec<PrisonInfo<'a>> = estate
            .prisons
            .iter()
            .map(|p| PrisonInfo {
                id: &p.id,
                unit: &p.unit,
                name: &p.name,
                region: region_of(&p.region),
                level: p.security_level,
                capacity: p.capacity,
                women: p.women,
                mainly_women: p.women && WOMEN_DEPARTMENTS.contains(&p.id.as_str()),
                youth: p.youth,
                remand: p.remand,
            })
            .collect();
        let office_regions: Vec<usize> = estate
            .probation_offices
            .iter()
            .map(|o| region_of(&o.region))
            .collect();
        // Which region each county belongs to, learnt from the prisons and offices located in it.
        let mut county_region: BTreeMap<&str, usize> = BTreeMap::new();
        let located = prisons
            .iter()
            .map(|p| (estate.prisons.iter().find(|q| q.id == p.id), p.region))
            .filter_map(|(p, region)| p.map(|p| (p.municipality.as_str(), region)))
            .chain(
                estate
                    .probation_offices
                    .iter()
                    .zip(&office_regions)
                    .map(|(o, r)| (o.municipality.as_str(), *r)),
            );
        for (municipality, region) in located {
            if let Some(m) = estate.municipality(municipality) {
                county_region.entry(m.county.as_str()).or_insert(region);
            }
        }
        let region_count = regions.len();
        let municipalities: Vec<MunicipalityInfo<'a>> = estate
            .municipalities
            .iter()
            .map(|m| MunicipalityInfo {
                name: &m.name,
                county: &m.county,
                region: county_region.get(m.county.as_str()).copied(),
            })
            .collect();
        let all_municipalities = Table::new(
            estate
                .municipalities
                .iter()
                .map(|m| f64::from(m.population)),
        );
        let by_region = (0..region_count)
            .map(|region| {
                let members: Vec<usize> = (0..municipalities.len())
                    .filter(|i| municipalities[*i].region == Some(region))
                    .collect();
                let weights = Table::new(
                    members
                        .iter()
                        .map(|i| f64::from(estate.municipalities[*i].population)),
                );
                (members, weights)
            })
            .collect();
        let offices: Vec<OfficeInfo<'a>> = estate
            .probation_offices
            .iter()
            .map(|o| OfficeInfo {
                id: &o.id,
                office: &o.office,
                municipality: &o.municipality,
                weight: estate
                    .municipality(&o.municipality)
                    .map_or(15_000.0, |m| f64::from(m.population)),
            })
            .collect();
        let demo_office = offices
            .iter()
            .position(|o| o.id == DEMO_OFFICE)
            .unwrap_or(0);
        let oslo = municipalities
            .iter()
            .position(|m| Some(m.name) == offices.get(demo_office).map(|o| o.municipality))
            .unwrap_or(0);
        let shares = |buckets: &[Bucket]| Table::new(buckets.iter().map(|b| b.share));
        Ctx {
            today,
            window_start: today
                .checked_sub(Span::new().years(HISTORY_YEARS))
                .unwrap_or(today),
            prisons,
            municipalities,
            all_municipalities,
            by_region,
            offices,
            demo_office,
            oslo,
            countries: Table::new(tables::COUNTRIES.iter().map(|c| c.weight)),
            stock: shares(tables::SENTENCED_STOCK),
            flow: shares(tables::SENTENCE_FLOW),
            em_front_door: shares(tables::EM_FRONT_DOOR),
            ages: Table::new(tables::ADULT_AGES.iter().map(|(_, _, w)| *w)),
        }
    }

    fn prison_index(&self, id: &str) -> Option<usize> {
        self.prisons.iter().position(|p| p.id == id)
    }
}

// ---------------------------------------------------------------------------------------------
// People under construction

/// Persons with a part to play in the demo (see [`Population::demo_prisoner`] and the Small-scale
/// guarantees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    None,
    /// Serving a sentence with a final judgment, present today in Oslo fengsel.
    DemoPrisoner,
    /// On remand in Oslo fengsel under letter and visit bans and partial isolation.
    RestrictedRemand,
    /// Serving a sentence, out on leave today.
    OnLeave,
    /// Serving a sentence, escaped once and was recaptured.
    EscapedAndRecaptured,
}

/// One place on today's roll.
#[derive(Debug, Clone, Copy)]
struct Slot {
    prison: usize,
    female: bool,
    foreign: bool,
    basis: CustodyBasis,
    special: Special,
}

/// A person being generated; [`Generator::finish`] gives them an identity that fits their record.
struct Draft {
    female: bool,
    country: Option<&'static Country>,
    youth: bool,
    home: usize,
    court: Court,
    leave_taker: bool,
    needs_identity_number: bool,
    /// Remand days of a released remand episode not yet credited to a judgment, and its last day.
    credit: Option<(Date, i64)>,
    judgments: Vec<Judgment>,
    remand_orders: Vec<RemandOrder>,
    movements: Vec<Movement>,
    supervision: Vec<Supervision>,
    summonses: Vec<Summons>,
    non_appearances: Vec<NonAppearance>,
    /// The health institution of a handover to mandatory psychiatric care.
    handover_institution: Option<&'static str>,
}

/// A judgment received and not started by today: how it went since receipt.
struct QueuePlan {
    received: Date,
    length: Length,
    form: PlannedForm,
    /// The summonses sent by today: sent, serving date, reason when past the 60 days.
    summonses: Vec<(Date, Date, Option<&'static str>)>,
    /// The serving date missed, when the person did not report and is still at large.
    missed: Option<Date>,
}

/// Where a person is today, for those still in custody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Present,
    OnLeave,
    AtCourt,
    AtHospital,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EscapePlan {
    No,
    Maybe,
    Force,
}

/// A key movement of a custody episode.
#[derive(Debug, Clone, Copy)]
enum Step {
    Admit(usize, CustodyBasis),
    Change(CustodyBasis),
    Transfer(usize),
    Release,
}

#[derive(Debug, Clone, Copy)]
struct Key {
    day: Date,
    step: Step,
}

/// The shape of one custody episode; [`Generator::emit`] turns it into movements, adding leaves,
/// hospital and court trips and escapes between the key movements.
struct StayPlan {
    /// First day in custody.
    start: Date,
    /// The day remand turned into serving, and the new basis.
    change: Option<(Date, CustodyBasis)>,
    /// The basis at admission.
    first_basis: CustodyBasis,
    /// Release day, or today when still in custody.
    end: Date,
    /// `Some(status today)` when still in custody.
    open: Option<Status>,
    /// Admission prison first, the prison at the end last.
    prisons: Vec<usize>,
    /// From when leave may be taken.
    leave_from: Option<Date>,
    escape: EscapePlan,
    /// Multiplies the rates of leaves, court and hospital trips (the demo persons get more, so
    /// that their pages show something).
    activity: f64,
}

/// What a custody episode needs of a prison.
#[derive(Debug, Clone, Copy)]
struct Need {
    level: Option<SecurityLevel>,
    remand: bool,
    female: bool,
    youth: bool,
    region: Option<usize>,
}

/// Share of past remand episodes ending in a handover to mandatory psychiatric care (some
/// dozens a year nationally).
const HANDOVER_SHARE: f64 = 0.04;

/// Regional secure psychiatric units that receive persons handed over (tvungent psykisk
/// helsevern).
const SECURE_PSYCHIATRY: [&str; 4] = [
    "Oslo universitetssykehus, regional sikkerhetsavdeling",
    "Haukeland universitetssjukehus, regional sikkerheitsavdeling",
    "St. Olavs hospital, Brøset",
    "Universitetssykehuset Nord-Norge, regional sikkerhetsavdeling",
];

/// Share of foreign citizens with a judgment who are to be expelled after the sentence.
const EXPULSION_SHARE: f64 = 0.3;

struct Generator<'c, 'a> {
    ctx: &'c Ctx<'a>,
    rng: Rng,
    /// A second stream for the rare facts added after the population's shape was fixed
    /// (handovers to psychiatric care, expulsion decisions), so that adding them left every
    /// other draw of `rng`, and so the rest of the population, as it was.
    aside: Rng,
    used_numbers: HashSet<String>,
    next_temporary_id: u32,
    next_case: u32,
}

/// `k` such that `Σ count · min(cap, k · weight) = target` (bisection; the sum grows with `k`).
fn solve_rate(items: &[(f64, f64)], cap: f64, target: f64) -> f64 {
    let total = |k: f64| -> f64 { items.iter().map(|(n, w)| n * (k * w).min(cap)).sum() };
    let (mut low, mut high) = (0.0, 1000.0);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if total(mid) < target {
            low = mid;
        } else {
            high = mid;
        }
    }
    (low + high) / 2.0
}

fn weight_of(table: &[(&str, f64)], id: &str) -> Option<f64> {
    table.iter().find(|(i, _)| *i == id).map(|(_, w)| *w)
}

impl Generator<'_, '_> {
    // -----------------------------------------------------------------------------------------
    // Today's roll

    /// The places occupied today, with each occupant's sex, citizenship group and basis.
    fn plan_roll(&mut self, divisor: f64) -> Vec<Slot> {
        let prisons = &self.ctx.prisons;
        let demo_prison = self.ctx.prison_index(DEMO_PRISON).or_else(|| {
            (0..prisons.len())
                .filter(|i| prisons[*i].remand && !prisons[*i].youth)
                .max_by_key(|i| prisons[*i].capacity)
        });
        let halfway = demo_prison.and_then(|d| {
            (0..prisons.len()).find(|i| {
                prisons[*i].unit == prisons[d].unit && prisons[*i].level == SecurityLevel::Halfway
            })
        });
        let mut occupied: Vec<usize> = Vec::with_capacity(prisons.len());
        for (i, prison) in prisons.iter().enumerate() {
            let capacity = f64::from(prison.capacity);
            let rate = if prison.youth {
                0.5 + 0.25 * self.rng.unit()
            } else if Some(i) == demo_prison {
                0.86 + 0.08 * self.rng.unit()
            } else {
                0.78 + 0.15 * self.rng.unit()
            };
            let mut count = self.rng.round(capacity * rate / divisor);
            if prison.youth {
                count = count.min(3);
            }
            if Some(i) == demo_prison {
                count = count.max(3 + usize::from(halfway.is_none()));
            }
            if Some(i) == halfway {
                count = count.max(1);
            }
            occupied.push(count.min(prison.capacity as usize));
        }
        let total: f64 = occupied.iter().map(|n| *n as f64).sum();

        let remand_weight = |p: &PrisonInfo<'_>| {
            if !p.remand {
                0.0
            } else if p.youth {
                1.5
            } else {
                weight_of(REMAND_WEIGHTS, p.id).unwrap_or(1.0)
            }
        };
        let items: Vec<(f64, f64)> = prisons
            .iter()
            .zip(&occupied)
            .map(|(p, n)| (*n as f64, remand_weight(p)))
            .collect();
        let k = solve_rate(&items, 0.85, REMAND_SHARE * total);
        let remand_rate: Vec<f64> = items.iter().map(|(_, w)| (k * w).min(0.85)).collect();

        let fixed_women: f64 = prisons
            .iter()
            .zip(&occupied)
            .map(|(p, n)| {
                *n as f64
                    * if p.mainly_women {
                        0.97
                    } else if p.youth {
                        0.15
                    } else {
                        0.0
                    }
            })
            .sum();
        let items: Vec<(f64, f64)> = prisons
            .iter()
            .zip(&occupied)
            .map(|(p, n)| {
                let mixed = p.women && !p.mainly_women && !p.youth;
                (*n as f64, if mixed { 1.0 } else { 0.0 })
            })
            .collect();
        let k = solve_rate(&items, 0.6, (WOMEN_SHARE * total - fixed_women).max(0.0));
        let women_rate: Vec<f64> = prisons
            .iter()
            .zip(&items)
            .map(|(p, (_, w))| {
                if p.mainly_women {
                    0.97
                } else if p.youth {
                    0.15
                } else {
                    (k * w).min(0.6)
                }
            })
            .collect();

        let foreign_unit = |p: &PrisonInfo<'_>| p.name.contains("utenlandske");
        let fixed_foreign: f64 = prisons
            .iter()
            .zip(&occupied)
            .filter(|(p, _)| foreign_unit(p))
            .map(|(_, n)| *n as f64 * 0.95)
            .sum();
        let items: Vec<(f64, f64)> = prisons
            .iter()
            .zip(&occupied)
            .map(|(p, n)| (*n as f64, if foreign_unit(p) { 0.0 } else { 1.0 }))
            .collect();
        let k = solve_rate(
            &items,
            0.9,
            (FOREIGN_SHARE * total - fixed_foreign).max(0.0),
        );
        let foreign_rate: Vec<f64> = prisons
            .iter()
            .map(|p| if foreign_unit(p) { 0.95 } else { k.min(0.9) })
            .collect();

        let items: Vec<(f64, f64)> = prisons
            .iter()
            .zip(&occupied)
            .zip(&remand_rate)
            .map(|((p, n), r)| {
                let weight = if p.youth {
                    0.0
                } else {
                    weight_of(PREVENTIVE_WEIGHTS, p.id).unwrap_or(match p.level {
                        SecurityLevel::High => 1.0,
                        SecurityLevel::Lower => 0.6,
                        SecurityLevel::Halfway => 0.3,
                    })
                };
                (*n as f64 * (1.0 - r), weight)
            })
            .collect();
        let k = solve_rate(&items, 0.7, PREVENTIVE_DETENTION / divisor);
        let preventive_rate: Vec<f64> = items.iter().map(|(_, w)| (k * w).min(0.7)).collect();

        let mut slots = Vec::new();
        for (i, count) in occupied.iter().enumerate() {
            let mut specials: Vec<(Special, CustodyBasis)> = Vec::new();
            if Some(i) == demo_prison {
                specials.push((Special::DemoPrisoner, CustodyBasis::Sentence));
                specials.push((Special::RestrictedRemand, CustodyBasis::Remand));
                specials.push((Special::EscapedAndRecaptured, CustodyBasis::Sentence));
                if halfway.is_none() {
                    specials.push((Special::OnLeave, CustodyBasis::Sentence));
                }
            }
            if Some(i) == halfway {
                specials.push((Special::OnLeave, CustodyBasis::Sentence));
            }
            for place in 0..*count {
                let female = self.rng.chance(women_rate[i]);
                let foreign = self.rng.chance(foreign_rate[i]);
                let basis = if self.rng.chance(remand_rate[i]) {
                    CustodyBasis::Remand
                } else if self.rng.chance(preventive_rate[i]) {
                    CustodyBasis::PreventiveDetention
                } else {
                    CustodyBasis::Sentence
                };
                let slot = match specials.get(place) {
                    Some((special, basis)) => Slot {
                        prison: i,
                        // The demo persons are men: some pass through Oslo fengsel (men only).
                        female: false,
                        foreign: foreign && *special != Special::DemoPrisoner,
                        basis: *basis,
                        special: *special,
                    },
                    None => Slot {
                        prison: i,
                        female,
                        foreign,
                        basis,
                        special: Special::None,
                    },
                };
                slots.push(slot);
            }
        }
        slots
    }

    fn in_custody_today(&mut self, slot: &Slot) -> Draft {
        match slot.basis {
            CustodyBasis::Remand => self.remand_today(slot),
            CustodyBasis::PreventiveDetention => self.preventive_detention_today(slot),
            CustodyBasis::Sentence | CustodyBasis::FineDefault => self.sentence_today(slot),
        }
    }

    /// Someone on remand today.
    fn remand_today(&mut self, slot: &Slot) -> Draft {
        let today = self.ctx.today;
        let prison = &self.ctx.prisons[slot.prison];
        let youth = prison.youth;
        let days = if slot.special == Special::RestrictedRemand {
            self.rng.range(20, 60)
        } else if youth {
            self.rng.range(1, 45)
        } else {
            self.remand_length()
        };
        let start = add_days(today, -days);
        let home = self.home_near(slot);
        let mut draft = self.draft(slot.female, slot.foreign, youth, home);
        if slot.special == Special::RestrictedRemand {
            draft.home = self.ctx.oslo;
            draft.court = self.court_of(draft.home);
        }
        if !youth && self.rng.chance(0.3) {
            self.prior_history(&mut draft, add_days(start, -60));
        }
        let mut prisons = vec![slot.prison];
        if days >= 5 && slot.special == Special::None && self.rng.chance(0.15) {
            let need = Need {
                level: None,
                remand: true,
                female: slot.female,
                youth,
                region: Some(prison.region),
            };
            let first = self.pick_prison(need);
            if first != slot.prison {
                prisons.insert(0, first);
            }
        }
        let status = if slot.special != Special::None {
            Status::Present
        } else if self.rng.chance(0.03) {
            Status::AtCourt
        } else if self.rng.chance(0.005) {
            Status::AtHospital
        } else {
            Status::Present
        };
        let strict = slot.special == Special::RestrictedRemand;
        self.remand_orders(&mut draft, start, today, strict);
        self.emit(
            &mut draft,
            &StayPlan {
                start,
                change: None,
                first_basis: CustodyBasis::Remand,
                end: today,
                open: Some(status),
                prisons,
                leave_from: None,
                escape: EscapePlan::No,
                activity: if strict { 4.0 } else { 1.0 },
            },
        );
        draft
    }

    /// Someone serving a prison sentence today.
    fn sentence_today(&mut self, slot: &Slot) -> Draft {
        let today = self.ctx.today;
        let prison = &self.ctx.prisons[slot.prison];
        let youth = prison.youth;
        let special = slot.special;
        let length = match special {
            Special::DemoPrisoner => Length::Months(18),
            Special::OnLeave => Length::Months(self.rng.range(12, 24) as u32),
            Special::EscapedAndRecaptured => Length::Months(self.rng.range(24, 36) as u32),
            Special::None | Special::RestrictedRemand if youth => self.youth_length(),
            Special::None | Special::RestrictedRemand => self.length(Distribution::Stock),
        };
        let term = length.days_from(today);
        let parole = parole_day(term);
        let serve_full = parole.is_none() || (special == Special::None && self.rng.chance(0.2));
        let stay = if serve_full {
            term
        } else {
            parole.unwrap_or(term)
        };
        // A margin of five days keeps today before release whatever the month lengths.
        let latest = (stay - 5).max(2);
        let remand_chance = match term {
            ..=120 => 0.15,
            121..=365 => 0.45,
            366..=1826 => 0.7,
            _ => 0.9,
        };
        let wants_remand = match special {
            Special::DemoPrisoner => true,
            Special::None | Special::RestrictedRemand => self.rng.chance(remand_chance),
            Special::OnLeave | Special::EscapedAndRecaptured => false,
        };
        let most_remand = (stay / 2).min(540).min(latest - 3);
        let (since_start, remand_days) = if wants_remand && most_remand >= 7 {
            let remand = if special == Special::DemoPrisoner {
                45.min(most_remand)
            } else {
                self.rng.range(7, most_remand)
            };
            let since = match special {
                Special::DemoPrisoner => remand + 2 + (stay - remand) * 3 / 5,
                _ => self.rng.range(remand + 2, latest),
            };
            (since.min(latest), remand)
        } else {
            let since = match special {
                Special::OnLeave => stay * 4 / 5,
                Special::EscapedAndRecaptured => stay / 2,
                _ => self.rng.range(1, latest),
            };
            (since.clamp(1, latest), 0)
        };
        let start = add_days(today, -since_start);
        let home = match special {
            Special::None => self.home_near(slot),
            _ => self.ctx.oslo,
        };
        let mut draft = self.draft(slot.female, slot.foreign, youth, home);
        if special != Special::None {
            draft.needs_identity_number = true;
            draft.leave_taker = true;
        }
        let prior = match special {
            Special::DemoPrisoner => true,
            Special::None => !youth && self.rng.chance(0.3),
            _ => false,
        };
        if prior {
            self.prior_history(&mut draft, add_days(start, -60));
        }
        // A remand episode released earlier is credited when the sentence leaves room for it.
        let credit = if remand_days == 0 {
            self.take_credit(&mut draft, start, stay - since_start - 5)
        } else {
            None
        };
        let (deduction, change, effective_start) = match credit {
            Some((_, days)) => (days, None, add_days(start, -days)),
            None if remand_days > 0 => (
                remand_days,
                Some((add_days(start, remand_days), CustodyBasis::Sentence)),
                start,
            ),
            None => (0, None, start),
        };
        let serving_start = change.map_or(start, |(day, _)| day);
        let judgment_court = self.judgment_court(&draft, if term > 365 { 0.15 } else { 0.0 });
        let (decision, final_date) = match change {
            Some((day, _)) => (
                add_days(day, -self.rng.range(0, 20.min(remand_days - 1))),
                day,
            ),
            None => self.queue_dates(serving_start, term, credit.map(|(day, _)| day)),
        };
        draft.judgments.push(self.judgment(
            judgment_court,
            decision,
            final_date,
            deduction,
            Some(length),
            None,
        ));
        if let Some((day, _)) = change {
            self.remand_orders(&mut draft, start, add_days(day, -1), false);
        }
        let mut prisons = match special {
            Special::DemoPrisoner | Special::EscapedAndRecaptured => vec![slot.prison],
            Special::OnLeave => match self.ctx.prison_index(DEMO_PRISON) {
                Some(high) if high != slot.prison => vec![high, slot.prison],
                _ => vec![slot.prison],
            },
            _ => self.path_to(slot.prison, change.is_some(), stay, slot.female),
        };
        prisons.dedup();
        let leave_from = add_days(effective_start, ceil_div(term, 3) - 1);
        let status = match special {
            Special::OnLeave => Status::OnLeave,
            Special::None if draft.leave_taker && leave_from < today => {
                if self.rng.chance(0.02) {
                    Status::OnLeave
                } else {
                    self.rare_status()
                }
            }
            Special::None => self.rare_status(),
            _ => Status::Present,
        };
        let escape = match special {
            Special::EscapedAndRecaptured => EscapePlan::Force,
            Special::None if self.rng.chance(0.06) => EscapePlan::Maybe,
            _ => EscapePlan::No,
        };
        self.emit(
            &mut draft,
            &StayPlan {
                start,
                change,
                first_basis: if change.is_some() {
                    CustodyBasis::Remand
                } else {
                    CustodyBasis::Sentence
                },
                end: today,
                open: Some(status),
                prisons,
                leave_from: Some(leave_from),
                escape,
                activity: if special == Special::None { 1.0 } else { 4.0 },
            },
        );
        draft
    }

    /// Someone in preventive detention (forvaring) today.
    fn preventive_detention_today(&mut self, slot: &Slot) -> Draft {
        let today = self.ctx.today;
        let (frame, minimum) = self.preventive_terms();
        let frame_days = Length::Months(frame * 12).days_from(today);
        let remand_days = self.rng.range(90, 420);
        let since_start = self
            .rng
            .range(remand_days + 2, (frame_days - 120).max(remand_days + 2));
        let start = add_days(today, -since_start);
        let change_day = add_days(start, remand_days);
        let home = self.home_near(slot);
        let mut draft = self.draft(slot.female, slot.foreign, false, home);
        let court = self.judgment_court(&draft, 0.3);
        let decision = add_days(change_day, -self.rng.range(0, 40.min(remand_days - 1)));
        draft.judgments.push(self.judgment(
            court,
            decision,
            change_day,
            remand_days,
            None,
            Some((frame, minimum)),
        ));
        self.remand_orders(&mut draft, start, add_days(change_day, -1), false);
        let minimum_days = Length::Months(minimum * 12).days_from(start);
        let leave_from = add_days(start, ceil_div(2 * minimum_days, 3) - 1);
        let mut prisons = self.path_to(slot.prison, true, since_start, slot.female);
        prisons.dedup();
        let status = if draft.leave_taker && leave_from < today && self.rng.chance(0.02) {
            Status::OnLeave
        } else {
            self.rare_status()
        };
        self.emit(
            &mut draft,
            &StayPlan {
                start,
                change: Some((change_day, CustodyBasis::PreventiveDetention)),
                first_basis: CustodyBasis::Remand,
                end: today,
                open: Some(status),
                prisons,
                leave_from: Some(leave_from),
                escape: EscapePlan::No,
                activity: 1.0,
            },
        );
        draft
    }

    // -----------------------------------------------------------------------------------------
    // Today's probation caseloads

    /// Someone serving at home with electronic monitoring today: from the start (front door, a
    /// sentence of up to six months) or for the last months before parole (back door).
    fn electronic_monitoring_today(&mut self, office: Option<usize>) -> Draft {
        let today = self.ctx.today;
        let female = self.rng.chance(0.15);
        let foreign = self.rng.chance(0.14);
        let home = self.home_for_caseload(office);
        let mut draft = self.draft(female, foreign, false, home);
        if office.is_none() && self.rng.chance(0.25) {
            // Back door: released from prison to EM before the parole date (R-EM-3).
            for _ in 0..10 {
                let length = self.length(Distribution::Stock);
                if length.months() < 6 {
                    continue;
                }
                let term = length.days_from(today);
                let Some(parole) = parole_day(term) else {
                    continue;
                };
                let monitored = (parole - ceil_div(term, 3)).min(183);
                if monitored < 30 {
                    continue;
                }
                let release = add_days(today, -self.rng.range(0, monitored - 2));
                let parole_date = add_days(release, monitored);
                let effective_start = add_days(parole_date, -(parole - 1));
                self.past_stay_until(
                    &mut draft,
                    effective_start,
                    release,
                    term,
                    length,
                    EscapePlan::No,
                );
                let office = self.office_for(draft.home);
                self.supervise(
                    &mut draft,
                    SupervisionKind::ElectronicMonitoring,
                    office,
                    release,
                    add_days(parole_date, -1),
                );
                return draft;
            }
        }
        let length = self.length(Distribution::EmFrontDoor);
        let term = length.days_from(today);
        let stay = match parole_day(term) {
            Some(parole) if self.rng.chance(0.75) => parole,
            _ => term,
        };
        let since = self.rng.range(0, stay - 2);
        let start = add_days(today, -since);
        if office.is_none() && self.rng.chance(0.2) {
            self.prior_history(&mut draft, add_days(start, -60));
        }
        let credit = self.take_credit(&mut draft, start, stay - since - 2);
        let deduction = credit.map_or(0, |(_, days)| days);
        // Monitored until the day before the parole date, or to the end when served in full.
        let released_on_parole = i64::from(stay < term);
        let until = add_days(start, stay - 1 - released_on_parole - deduction);
        let court = self.judgment_court(&draft, 0.0);
        let (decision, final_date) = self.queue_dates(start, term, credit.map(|(day, _)| day));
        draft.judgments.push(self.judgment(
            court,
            decision,
            final_date,
            deduction,
            Some(length),
            None,
        ));
        let office = office.unwrap_or_else(|| self.office_for(draft.home));
        self.supervise(
            &mut draft,
            SupervisionKind::ElectronicMonitoring,
            office,
            start,
            until,
        );
        draft
    }

    /// Someone on parole today: released at two thirds, supervised until the end of the sentence.
    fn parole_today(&mut self, office: Option<usize>) -> Draft {
        let today = self.ctx.today;
        let female = self.rng.chance(0.07);
        let foreign = self.rng.chance(0.18);
        let home = self.home_for_caseload(office);
        let mut draft = self.draft(female, foreign, false, home);
        let mut drawn = None;
        for _ in 0..50 {
            let length = self.length(Distribution::Stock);
            let term = length.days_from(today);
            if let Some(parole) = parole_day(term) {
                drawn = Some((length, term, parole));
                break;
            }
        }
        let (length, term, parole) = drawn.unwrap_or_else(|| {
            let length = Length::Months(12);
            let term = length.days_from(today);
            (length, term, ceil_div(2 * term, 3))
        });
        let since_parole = self.rng.range(0, term - parole - 1);
        let parole_date = add_days(today, -since_parole);
        let end = add_days(parole_date, term - parole);
        let effective_start = add_days(parole_date, -(parole - 1));
        let monitored = (parole - ceil_div(term, 3)).min(120);
        let release = if office.is_none() && monitored >= 30 && self.rng.chance(0.15) {
            add_days(parole_date, -monitored)
        } else {
            parole_date
        };
        self.past_stay_until(
            &mut draft,
            effective_start,
            release,
            term,
            length,
            EscapePlan::No,
        );
        let office = office.unwrap_or_else(|| self.office_for(draft.home));
        if release < parole_date {
            self.supervise(
                &mut draft,
                SupervisionKind::ElectronicMonitoring,
                office,
                release,
                add_days(parole_date, -1),
            );
        }
        self.supervise(
            &mut draft,
            SupervisionKind::Parole,
            office,
            parole_date,
            end,
        );
        draft
    }

    /// Someone serving a community sentence (samfunnsstraff) today.
    fn community_sentence_today(&mut self, office: Option<usize>) -> Draft {
        let today = self.ctx.today;
        let female = self.rng.chance(0.16);
        let foreign = self.rng.chance(0.12);
        let home = self.home_for_caseload(office);
        let mut draft = self.draft(female, foreign, false, home);
        let period = if self.rng.chance(0.85) {
            self.rng.range(90, 365)
        } else {
            self.rng.range(366, 730)
        };
        let from = add_days(today, -self.rng.range(0, period - 1));
        if office.is_none() && self.rng.chance(0.2) {
            self.prior_history(&mut draft, add_days(from, -60));
        }
        let office = office.unwrap_or_else(|| self.office_for(draft.home));
        self.supervise(
            &mut draft,
            SupervisionKind::CommunitySentence,
            office,
            from,
            add_days(from, period - 1),
        );
        draft
    }

    // -----------------------------------------------------------------------------------------
    // The serving queue today

    /// The judgments received in the last [`QUEUE_WINDOW_DAYS`] and not started by today, oldest
    /// receipt first: every receipt is followed from its day, and those started by today (on
    /// their serving date, or when brought in after not appearing) are left out.
    fn plan_queue(&mut self, divisor: f64) -> Vec<QueuePlan> {
        let today = self.ctx.today;
        let mut plans = Vec::new();
        for back in (0..QUEUE_WINDOW_DAYS).rev() {
            let received = add_days(today, -back);
            for _ in 0..self.rng.round(QUEUE_RECEIVED_PER_DAY / divisor) {
                if let Some(plan) = self.queue_course(received) {
                    plans.push(plan);
                }
            }
        }
        plans
    }

    /// The course of one judgment received on `received`; `None` when it has started by today.
    fn queue_course(&mut self, received: Date) -> Option<QueuePlan> {
        let today = self.ctx.today;
        let length = self.queue_length();
        let em_eligible = match length {
            Length::Days(_) => true,
            Length::Months(months) => months <= law::EM_LIMIT_MONTHS,
        };
        let form = if em_eligible && self.rng.chance(QUEUE_EM_SHARE) {
            PlannedForm::ElectronicMonitoring
        } else {
            PlannedForm::Prison
        };
        let latest = queue::latest_start(received);
        let (delayed, reasons) = match form {
            PlannedForm::Prison => (QUEUE_NO_PLACE_SHARE, NO_PLACE_REASONS),
            PlannedForm::ElectronicMonitoring => (QUEUE_NO_DEVICE_SHARE, NO_DEVICE_REASONS),
        };
        let mut summonses: Vec<(Date, Date, Option<&'static str>)> = Vec::new();
        if self.rng.chance(delayed) {
            // Summoned three to four weeks ahead once a place (or device) is free, after the
            // 60 days: mostly soon after, some months later.
            let beyond = (self.rng.unit().powf(0.8) * 130.0) as i64;
            let serving = add_days(latest, 1 + beyond);
            let notice = i64::from(law::SUMMONS_NOTICE_DAYS);
            let sent = add_days(serving, -self.rng.range(notice, notice + 7));
            let reason = self.rng.pick(reasons).copied();
            summonses.push((sent, serving, reason));
        } else {
            // Summoned within two weeks of receipt for a date five to eight and a half weeks
            // after it, never less than three weeks ahead.
            let sent = add_days(received, self.rng.range(2, 12));
            let limit = i64::from(law::SUMMONS_LATEST_START_DAYS);
            let serving = add_days(received, self.rng.range(35, limit))
                .max(queue::earliest_start(sent))
                .min(latest);
            summonses.push((sent, serving, None));
            if self.rng.chance(QUEUE_POSTPONED_SHARE) {
                let again = add_days(sent, self.rng.range(5, 15));
                let later = add_days(latest, self.rng.range(20, 120));
                let reason = self.rng.pick(POSTPONEMENT_REASONS).copied();
                summonses.push((again, later, reason));
            }
        }
        let serving = summonses.last().map_or(latest, |(_, day, _)| *day);
        let mut start = serving;
        let mut missed = None;
        if serving < today && self.rng.chance(QUEUE_NON_APPEARANCE_SHARE) {
            let at_large = self
                .rng
                .days_until_next(QUEUE_BROUGHT_IN_PER_YEAR)
                .unwrap_or(1);
            start = add_days(serving, at_large);
            missed = Some(serving);
        }
        if start <= today {
            return None;
        }
        summonses.retain(|(sent, _, _)| *sent <= today);
        Some(QueuePlan {
            received,
            length,
            form,
            summonses,
            missed,
        })
    }

    /// A sentence served from the queue: the flow of sentences, short mostly (longer ones
    /// begin on remand).
    fn queue_length(&mut self) -> Length {
        for _ in 0..10 {
            let length = self.length(Distribution::Flow);
            if length.months() < 36 {
                return length;
            }
        }
        Length::Days(60)
    }

    /// Someone waiting today to serve the judgment of `plan`; some were released earlier and
    /// came back with a new judgment.
    fn waiting_today(&mut self, plan: &QueuePlan) -> Draft {
        let em = plan.form == PlannedForm::ElectronicMonitoring;
        let female = self.rng.chance(if em { 0.15 } else { 0.08 });
        let foreign = self.rng.chance(if em { 0.14 } else { 0.22 });
        let home = self.home_in(None);
        let mut draft = self.draft(female, foreign, false, home);
        let term = plan.length.days_from(plan.received);
        // The service receives a final judgment a few days after it became final.
        let final_date = add_days(plan.received, -self.rng.range(1, 10));
        let decision = add_days(final_date, -self.rng.range(0, 25));
        if self.rng.chance(0.35) {
            self.prior_history(&mut draft, add_days(decision, -30));
            // The register takes a judgment final after the last release as still to be served
            // unless EM has started since the earliest such judgment; a sentence served at home
            // with EM leaves its judgment so, and would hide the new one from the queue. Such a
            // history is not used.
            let released = draft
                .movements
                .iter()
                .filter(|m| m.kind.ends_episode())
                .map(|m| m.at.date())
                .max();
            if draft
                .judgments
                .iter()
                .any(|j| released.is_none_or(|day| j.final_date > day))
            {
                draft.judgments.clear();
                draft.remand_orders.clear();
                draft.movements.clear();
                draft.supervision.clear();
                draft.credit = None;
            }
        }
        let credit = self.take_credit(&mut draft, plan.received, term - 14);
        let court = self.judgment_court(&draft, if term > 365 { 0.1 } else { 0.0 });
        let mut judgment = self.judgment(
            court,
            decision,
            final_date,
            credit.map_or(0, |(_, days)| days),
            Some(plan.length),
            None,
        );
        judgment.received = Some(plan.received);
        draft.judgments.push(judgment);
        if !plan.summonses.is_empty() {
            let level = match plan.form {
                PlannedForm::ElectronicMonitoring => None,
                PlannedForm::Prison if self.rng.chance(if term > 365 { 0.4 } else { 0.15 }) => {
                    Some(SecurityLevel::High)
                }
                PlannedForm::Prison => Some(SecurityLevel::Lower),
            };
            let region = self.region_of_home(&draft);
            let prison = self.pick_prison(Need {
                level,
                remand: false,
                female,
                youth: false,
                region,
            });
            let prison = self.ctx.prisons[prison].id.to_owned();
            for (sent_on, serving_date, reason) in &plan.summonses {
                draft.summonses.push(Summons {
                    sent_on: *sent_on,
                    serving_date: *serving_date,
                    prison: prison.clone(),
                    form: plan.form,
                    late_reason: reason.map(str::to_owned),
                });
            }
        }
        if let Some(date) = plan.missed {
            let note = self.rng.pick(NON_APPEARANCE_NOTES).map(|n| (*n).to_owned());
            draft.non_appearances.push(NonAppearance { date, note });
        }
        draft
    }

    // -----------------------------------------------------------------------------------------
    // History

    /// Someone with one to three past episodes in the last four years, none ongoing today.
    fn released(&mut self) -> Draft {
        let female = self.rng.chance(0.09);
        let foreign = self.rng.chance(0.22);
        let home = self.home_in(None);
        let mut draft = self.draft(female, foreign, false, home);
        let episodes = match self.rng.unit() {
            u if u < 0.68 => 1,
            u if u < 0.9 => 2,
            _ => 3,
        };
        let before = add_days(self.ctx.today, -1);
        self.history(&mut draft, episodes, None, before);
        draft
    }

    /// One or two past episodes ending before `before`, for people with a current episode.
    fn prior_history(&mut self, draft: &mut Draft, before: Date) {
        if days_between(self.ctx.window_start, before) < 120 {
            return;
        }
        let episodes = if self.rng.chance(0.75) { 1 } else { 2 };
        self.history(draft, episodes, Some(self.ctx.window_start), before);
    }

    /// `episodes` past episodes in sub-windows between `earliest` (or anywhere before the window
    /// when `None`) and `latest`.
    fn history(&mut self, draft: &mut Draft, episodes: i64, earliest: Option<Date>, latest: Date) {
        let window_start = earliest.unwrap_or(self.ctx.window_start);
        let span = days_between(window_start, latest);
        let mut not_before = earliest;
        for i in 0..episodes {
            let part_end = add_days(window_start, span * (i + 1) / episodes);
            let boundary = match self.rng.weighted(&[70.0, 18.0, 12.0]) {
                Some(0) => self.past_prison_episode(draft, not_before, part_end),
                Some(1) => self.past_em_sentence(draft, not_before, part_end),
                _ => self.past_community_sentence(draft, not_before, part_end),
            };
            if let Some(day) = boundary {
                not_before = Some(add_days(day, self.rng.range(30, 120)));
            }
        }
    }

    /// A past custody episode: remand ending in release (its days credited to a later sentence),
    /// remand turning into a sentence, or a direct admission from the queue; ending in release on
    /// parole (sometimes to EM first) or in full, all before `latest`. Returns the last day of the
    /// episode and any supervision after it.
    fn past_prison_episode(
        &mut self,
        draft: &mut Draft,
        not_before: Option<Date>,
        latest: Date,
    ) -> Option<Date> {
        let earliest_release = add_days(self.ctx.window_start, 30);
        if self.rng.chance(0.25) {
            let days = self.remand_length();
            let lowest = match not_before {
                Some(day) => add_days(day, days + 1),
                None => earliest_release,
            };
            if lowest > latest {
                return None;
            }
            let release = add_days(lowest, self.rng.range(0, days_between(lowest, latest)));
            let start = add_days(release, -days);
            let region = self.region_of_home(draft);
            let need = Need {
                level: None,
                remand: true,
                female: draft.female,
                youth: false,
                region,
            };
            let last = self.pick_prison(need);
            let mut prisons = vec![last];
            if days > 10 && self.rng.chance(0.1) {
                let first = self.pick_prison(need);
                if first != last {
                    prisons.insert(0, first);
                }
            }
            self.remand_orders(draft, start, release, false);
            self.emit(
                draft,
                &StayPlan {
                    start,
                    change: None,
                    first_basis: CustodyBasis::Remand,
                    end: release,
                    open: None,
                    prisons,
                    leave_from: None,
                    escape: EscapePlan::No,
                    activity: 1.0,
                },
            );
            // A few remand episodes end with a judgment to mandatory psychiatric care (strl
            // § 62): the person is handed over to the health service and the case closes.
            if self.aside.chance(HANDOVER_SHARE)
                && let Some(last) = draft.movements.last_mut()
                && last.kind == MovementKind::Release
            {
                last.kind = MovementKind::Handover;
                let i = usize::try_from(self.aside.range(0, 3)).unwrap_or(0);
                draft.handover_institution = SECURE_PSYCHIATRY.get(i).copied();
                return Some(release);
            }
            draft.credit = Some((release, days));
            return Some(release);
        }
        for _ in 0..4 {
            let length = self.length(Distribution::Flow);
            let term = length.days_from(latest);
            let parole = parole_day(term).filter(|_| self.rng.chance(0.7));
            let stay = parole.unwrap_or(term);
            let tail = term - stay;
            let lowest = match not_before {
                Some(day) => day,
                None => add_days(earliest_release, -(stay - 1)),
            };
            let highest = add_days(latest, -(stay - 1) - tail);
            if lowest > highest {
                continue;
            }
            let effective_start =
                add_days(lowest, self.rng.range(0, days_between(lowest, highest)));
            let release_day = add_days(effective_start, stay - 1);
            let monitored = parole.map_or(0, |p| (p - ceil_div(term, 3)).min(120));
            let release = if monitored >= 30 && self.rng.chance(0.08) {
                add_days(release_day, -monitored)
            } else {
                release_day
            };
            let escape = if self.rng.chance(0.06) {
                EscapePlan::Maybe
            } else {
                EscapePlan::No
            };
            self.past_stay_until(draft, effective_start, release, term, length, escape);
            let office = self.office_for(draft.home);
            if release < release_day {
                self.supervise(
                    draft,
                    SupervisionKind::ElectronicMonitoring,
                    office,
                    release,
                    add_days(release_day, -1),
                );
            }
            if parole.is_some() {
                let end = add_days(effective_start, term - 1);
                self.supervise(draft, SupervisionKind::Parole, office, release_day, end);
                return Some(end);
            }
            return Some(release);
        }
        None
    }

    /// A past sentence served at home with EM from the start (then parole for the rest, if any).
    fn past_em_sentence(
        &mut self,
        draft: &mut Draft,
        not_before: Option<Date>,
        latest: Date,
    ) -> Option<Date> {
        let length = self.length(Distribution::EmFrontDoor);
        let term = length.days_from(latest);
        let parole = parole_day(term).filter(|_| self.rng.chance(0.75));
        let stay = parole.unwrap_or(term);
        let lowest = not_before.unwrap_or(add_days(self.ctx.window_start, 30));
        let highest = add_days(latest, -(term - 1));
        if lowest > highest {
            return None;
        }
        let start = add_days(lowest, self.rng.range(0, days_between(lowest, highest)));
        let credit = self.take_credit(draft, start, stay - 2);
        let deduction = credit.map_or(0, |(_, days)| days);
        let effective_start = add_days(start, -deduction);
        let court = self.judgment_court(draft, 0.0);
        let (decision, final_date) = self.queue_dates(start, term, credit.map(|(day, _)| day));
        draft.judgments.push(self.judgment(
            court,
            decision,
            final_date,
            deduction,
            Some(length),
            None,
        ));
        let office = self.office_for(draft.home);
        let em_end = add_days(effective_start, stay - 1 - i64::from(parole.is_some()));
        self.supervise(
            draft,
            SupervisionKind::ElectronicMonitoring,
            office,
            start,
            em_end,
        );
        let end = add_days(effective_start, term - 1);
        if parole.is_some() {
            self.supervise(
                draft,
                SupervisionKind::Parole,
                office,
                add_days(em_end, 1),
                end,
            );
        }
        Some(end)
    }

    /// A past community sentence.
    fn past_community_sentence(
        &mut self,
        draft: &mut Draft,
        not_before: Option<Date>,
        latest: Date,
    ) -> Option<Date> {
        let period = self.rng.range(90, 365);
        let lowest = not_before.unwrap_or(self.ctx.window_start);
        let highest = add_days(latest, -(period - 1));
        if lowest > highest {
            return None;
        }
        let from = add_days(lowest, self.rng.range(0, days_between(lowest, highest)));
        let until = add_days(from, period - 1);
        let office = self.office_for(draft.home);
        self.supervise(
            draft,
            SupervisionKind::CommunitySentence,
            office,
            from,
            until,
        );
        Some(until)
    }

    /// A past sentence served from `effective_start` (day 1) and released on `release`, admitted
    /// from the queue (with any remand credit) and ending in a lower-security prison or halfway
    /// house for longer terms.
    fn past_stay_until(
        &mut self,
        draft: &mut Draft,
        effective_start: Date,
        release: Date,
        term: i64,
        length: Length,
        escape: EscapePlan,
    ) {
        let stay = days_between(effective_start, release) + 1;
        if stay >= 60 && self.rng.chance(0.45) {
            self.past_stay_with_remand(draft, effective_start, release, term, length, escape);
            return;
        }
        let credit = self.take_credit(draft, effective_start, stay - 2);
        let deduction = credit.map_or(0, |(_, days)| days);
        let start = add_days(effective_start, deduction);
        let court = self.judgment_court(draft, if term > 365 { 0.1 } else { 0.0 });
        let (decision, final_date) = self.queue_dates(start, term, credit.map(|(day, _)| day));
        draft.judgments.push(self.judgment(
            court,
            decision,
            final_date,
            deduction,
            Some(length),
            None,
        ));
        let last = self.final_prison(draft, stay);
        let prisons = self.path_to(last, false, stay, draft.female);
        let leave_from = add_days(effective_start, ceil_div(term, 3) - 1);
        self.emit(
            draft,
            &StayPlan {
                start,
                change: None,
                first_basis: CustodyBasis::Sentence,
                end: release,
                open: None,
                prisons,
                leave_from: Some(leave_from),
                escape,
                activity: 1.0,
            },
        );
    }

    /// A past sentence that began as remand on `effective_start` and became a sentence when the
    /// judgment was final.
    fn past_stay_with_remand(
        &mut self,
        draft: &mut Draft,
        effective_start: Date,
        release: Date,
        term: i64,
        length: Length,
        escape: EscapePlan,
    ) {
        draft.credit = None;
        let stay = days_between(effective_start, release) + 1;
        let remand_days = self.rng.range(7, (stay / 2).clamp(7, 365));
        let change_day = add_days(effective_start, remand_days);
        let court = self.judgment_court(draft, if term > 365 { 0.1 } else { 0.0 });
        let decision = add_days(change_day, -self.rng.range(0, 20.min(remand_days - 1)));
        draft.judgments.push(self.judgment(
            court,
            decision,
            change_day,
            remand_days,
            Some(length),
            None,
        ));
        self.remand_orders(draft, effective_start, add_days(change_day, -1), false);
        let last = self.final_prison(draft, stay);
        let prisons = self.path_to(last, true, stay, draft.female);
        let leave_from = add_days(effective_start, ceil_div(term, 3) - 1);
        self.emit(
            draft,
            &StayPlan {
                start: effective_start,
                change: Some((change_day, CustodyBasis::Sentence)),
                first_basis: CustodyBasis::Remand,
                end: release,
                open: None,
                prisons,
                leave_from: Some(leave_from),
                escape,
                activity: 1.0,
            },
        );
    }

    /// Uses the pending remand credit (days of a released remand episode and its last day) when
    /// the days are fewer than `room` and the episode ended less than two years before `start`.
    /// The credit is gone afterwards either way: a later judgment cannot deduct it again.
    fn take_credit(&mut self, draft: &mut Draft, start: Date, room: i64) -> Option<(Date, i64)> {
        let (last_day, days) = draft.credit.take()?;
        (days < room && last_day < start && days_between(last_day, start) < 730)
            .then_some((last_day, days))
    }

    // -----------------------------------------------------------------------------------------
    // Movements

    /// Emits an episode's movements: the key movements of `plan` with transfers spread between
    /// them, and excursions (court, hospital, leave, escapes) in the gaps.
    fn emit(&mut self, draft: &mut Draft, plan: &StayPlan) {
        let today = self.ctx.today;
        let Some(&first_prison) = plan.prisons.first() else {
            return;
        };
        let mut keys = vec![Key {
            day: plan.start,
            step: Step::Admit(first_prison, plan.first_basis),
        }];
        if let Some((day, basis)) = plan.change {
            keys.push(Key {
                day,
                step: Step::Change(basis),
            });
        }
        let after = plan.change.map_or(plan.start, |(day, _)| day);
        let room = days_between(after, plan.end) - 1;
        // Transfers fall on distinct days after the basis change. When there are fewer days than
        // transfers, intermediate prisons are dropped first; an episode still open today keeps
        // the prison it ends in (today's roll), a closed one the prison it began in.
        let mut prisons = plan.prisons.clone();
        while prisons.len() > 1 && (prisons.len() - 1) as i64 > room.max(0) {
            if prisons.len() > 2 {
                prisons.remove(1);
            } else if plan.open.is_some() {
                prisons.remove(0);
            } else {
                prisons.pop();
            }
        }
        if let (Some(first), Some(admission)) = (prisons.first(), keys.first_mut()) {
            admission.step = Step::Admit(*first, plan.first_basis);
        }
        let transfers = prisons.get(1..).unwrap_or_default();
        let mut days: Vec<i64> = Vec::with_capacity(transfers.len());
        while days.len() < transfers.len() {
            let day = self.rng.range(1, room);
            if !days.contains(&day) {
                days.push(day);
            }
        }
        days.sort_unstable();
        for (offset, prison) in days.iter().zip(transfers) {
            keys.push(Key {
                day: add_days(after, *offset),
                step: Step::Transfer(*prison),
            });
        }
        if plan.open.is_none() {
            keys.push(Key {
                day: plan.end,
                step: Step::Release,
            });
        }
        let last_day = if plan.open.is_some() { today } else { plan.end };
        let years = days_between(plan.start, last_day) as f64 / 365.0;
        let rate = if years > 4.0 { 4.0 / years } else { 1.0 } * plan.activity;
        let mut escape = plan.escape;
        let mut state = FillState {
            basis: plan.first_basis,
            prison: first_prison,
        };
        for (i, key) in keys.iter().enumerate() {
            let movement = match key.step {
                Step::Admit(prison, basis) => {
                    state = FillState { basis, prison };
                    let at = self.at(key.day, 10, 15);
                    self.movement(MovementKind::Admission, at, Some(prison), Some(basis))
                }
                Step::Change(basis) => {
                    state.basis = basis;
                    let at = self.at(key.day, 11, 14);
                    self.movement(MovementKind::BasisChange, at, None, Some(basis))
                }
                Step::Transfer(prison) => {
                    state.prison = prison;
                    let at = self.at(key.day, 9, 13);
                    self.movement(MovementKind::Transfer, at, Some(prison), None)
                }
                Step::Release => {
                    let at = self.at(key.day, 8, 11);
                    self.movement(MovementKind::Release, at, None, None)
                }
            };
            draft.movements.push(movement);
            if matches!(key.step, Step::Release) {
                continue;
            }
            let until = match keys.get(i + 1) {
                Some(next) => next.day,
                None if plan.open.is_some() => today,
                None => continue,
            };
            let gap = Gap {
                from: key.day,
                until,
                rate,
                leave_from: plan.leave_from,
            };
            self.fill(draft, &gap, state, &mut escape);
        }
        if let Some(status) = plan.open {
            let kind = match status {
                Status::Present => None,
                Status::OnLeave => Some((MovementKind::LeaveOut, MovementKind::LeaveReturn)),
                Status::AtCourt => Some((MovementKind::CourtOut, MovementKind::CourtReturn)),
                Status::AtHospital => {
                    Some((MovementKind::HospitalOut, MovementKind::HospitalReturn))
                }
            };
            let last = draft.movements.last().map(|m| m.at.date());
            if let Some((out, _)) = kind
                && last.is_some_and(|day| day < today)
            {
                let at = self.at(today, 8, 9);
                draft.movements.push(self.movement(out, at, None, None));
            }
        }
    }

    /// Adds excursions on days strictly between `gap.from` and `gap.until`.
    fn fill(&mut self, draft: &mut Draft, gap: &Gap, state: FillState, escape: &mut EscapePlan) {
        let serving = state.basis.is_serving();
        let level = self.ctx.prisons[state.prison].level;
        let mut cursor = add_days(gap.from, 1);
        for _ in 0..400 {
            if cursor >= gap.until {
                break;
            }
            if *escape == EscapePlan::Force && serving && days_between(cursor, gap.until) >= 4 {
                let out = add_days(
                    cursor,
                    self.rng.range(1, days_between(cursor, gap.until) - 3),
                );
                let back = add_days(out, 1);
                let at = self.at(out, 13, 15);
                draft
                    .movements
                    .push(self.movement(MovementKind::Escape, at, None, None));
                let at = self.at(back, 9, 16);
                draft.movements.push(self.movement(
                    MovementKind::Recapture,
                    at,
                    Some(state.prison),
                    None,
                ));
                *escape = EscapePlan::No;
                cursor = add_days(back, 1);
                continue;
            }
            let leave_later = serving && draft.leave_taker && gap.leave_from.is_some();
            let leave_open = leave_later && gap.leave_from.is_some_and(|day| day <= cursor);
            let court = if serving { 0.4 } else { 3.0 };
            let hospital = 0.4;
            let leave = if leave_open {
                match level {
                    SecurityLevel::High => 3.0,
                    SecurityLevel::Lower => 6.0,
                    SecurityLevel::Halfway => 12.0,
                }
            } else {
                0.0
            };
            let Some(wait) = self
                .rng
                .days_until_next((court + hospital + leave) * gap.rate)
            else {
                break;
            };
            let day = add_days(cursor, wait - 1);
            if !leave_open
                && leave_later
                && let Some(leave_from) = gap.leave_from
                && day >= leave_from
                && leave_from < gap.until
            {
                // Leave opens before the next event: draw again from then (memoryless).
                cursor = leave_from;
                continue;
            }
            if day >= gap.until {
                break;
            }
            let wants_escape = *escape == EscapePlan::Maybe && serving && self.rng.chance(0.5);
            let mut excursion: Vec<(MovementKind, DateTime, Option<usize>)> = Vec::new();
            let last_day;
            if wants_escape {
                if leave_open && self.rng.chance(0.5) {
                    // Failure to return from leave (unnlatt retur).
                    let away = self.rng.range(1, 3);
                    let deadline = add_days(day, away);
                    let found = add_days(deadline, self.rng.range(1, 20));
                    excursion.push((MovementKind::LeaveOut, self.at(day, 9, 11), None));
                    excursion.push((MovementKind::Escape, deadline.at(18, 0, 0, 0), None));
                    excursion.push((
                        MovementKind::Recapture,
                        self.at(found, 8, 17),
                        Some(state.prison),
                    ));
                    last_day = found;
                } else {
                    let away = if self.rng.chance(0.3) {
                        0
                    } else {
                        self.rng.range(1, 10)
                    };
                    let found = add_days(day, away);
                    excursion.push((MovementKind::Escape, self.at(day, 13, 15), None));
                    let at = if away == 0 {
                        self.at(found, 16, 17)
                    } else {
                        self.at(found, 8, 17)
                    };
                    excursion.push((MovementKind::Recapture, at, Some(state.prison)));
                    last_day = found;
                }
            } else {
                match self.rng.weighted(&[court, hospital, leave]) {
                    Some(0) => {
                        excursion.push((MovementKind::CourtOut, self.at(day, 8, 10), None));
                        excursion.push((MovementKind::CourtReturn, self.at(day, 14, 17), None));
                        last_day = day;
                    }
                    Some(1) => {
                        let away = if self.rng.chance(0.7) {
                            0
                        } else {
                            self.rng.range(1, 4)
                        };
                        let back = add_days(day, away);
                        excursion.push((MovementKind::HospitalOut, self.at(day, 8, 11), None));
                        let at = if away == 0 {
                            self.at(back, 13, 17)
                        } else {
                            self.at(back, 9, 17)
                        };
                        excursion.push((MovementKind::HospitalReturn, at, None));
                        last_day = back;
                    }
                    _ => {
                        let away = if level == SecurityLevel::Halfway {
                            self.rng.range(2, 3)
                        } else {
                            self.rng.range(1, 3)
                        };
                        let back = add_days(day, away);
                        excursion.push((MovementKind::LeaveOut, self.at(day, 9, 11), None));
                        excursion.push((MovementKind::LeaveReturn, self.at(back, 12, 17), None));
                        last_day = back;
                    }
                }
            }
            if last_day >= gap.until {
                break;
            }
            if wants_escape {
                *escape = EscapePlan::No;
            }
            for (kind, at, prison) in excursion {
                draft.movements.push(self.movement(kind, at, prison, None));
            }
            cursor = add_days(last_day, 1);
        }
    }

    fn movement(
        &self,
        kind: MovementKind,
        at: DateTime,
        prison: Option<usize>,
        basis: Option<CustodyBasis>,
    ) -> Movement {
        Movement {
            kind,
            at,
            prison: prison.map(|i| self.ctx.prisons[i].id.to_owned()),
            basis,
            due_back: None,
        }
    }

    /// A time on `day` between `from_hour`:00 and `to_hour`:55, in five-minute steps.
    fn at(&mut self, day: Date, from_hour: i64, to_hour: i64) -> DateTime {
        let hour = self.rng.range(from_hour, to_hour).clamp(0, 23) as i8;
        let minute = (self.rng.range(0, 11) * 5) as i8;
        day.at(hour, minute, 0, 0)
    }

    /// A count within ± 5 % of `target` (at least 1).
    fn around(&mut self, target: usize) -> usize {
        let factor = 0.95 + 0.1 * self.rng.unit();
        self.rng.round(target as f64 * factor).max(1)
    }

    /// Status today of someone in custody who is not on leave: mostly present.
    fn rare_status(&mut self) -> Status {
        match self.rng.unit() {
            u if u < 0.004 => Status::AtHospital,
            u if u < 0.008 => Status::AtCourt,
            _ => Status::Present,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Prisons

    /// A prison meeting `need`, weighted by capacity (women's departments preferred for women);
    /// relaxes region, then level, when nothing fits.
    fn pick_prison(&mut self, need: Need) -> usize {
        let prisons = &self.ctx.prisons;
        let fits = |p: &PrisonInfo<'_>, region: bool, level: bool| {
            p.youth == need.youth
                && (!need.remand || p.remand)
                && (!need.female || p.women)
                && (!region || need.region.is_none_or(|r| r == p.region))
                && (!level || need.level.is_none_or(|l| l == p.level))
        };
        for (region, level) in [(true, true), (false, true), (true, false), (false, false)] {
            let weights: Vec<f64> = prisons
                .iter()
                .map(|p| {
                    if !fits(p, region, level) {
                        0.0
                    } else if need.female && p.mainly_women {
                        f64::from(p.capacity) * 4.0
                    } else {
                        f64::from(p.capacity)
                    }
                })
                .collect();
            if let Some(i) = self.rng.weighted(&weights) {
                return i;
            }
        }
        0
    }

    /// The prisons of an episode ending in `last`: progression from high security for longer
    /// stays in lower security or halfway houses, and a remand prison first when the episode
    /// begins on remand.
    fn path_to(&mut self, last: usize, remand_first: bool, stay: i64, female: bool) -> Vec<usize> {
        let prison = &self.ctx.prisons[last];
        if prison.youth {
            return vec![last];
        }
        let region = Some(prison.region);
        let need = |level| Need {
            level: Some(level),
            remand: false,
            female,
            youth: false,
            region,
        };
        let mut path = vec![last];
        if prison.level == SecurityLevel::Halfway && stay > 120 {
            let before = if self.rng.chance(0.7) {
                SecurityLevel::Lower
            } else {
                SecurityLevel::High
            };
            path.insert(0, self.pick_prison(need(before)));
        }
        if self.ctx.prisons[path[0]].level == SecurityLevel::Lower
            && stay > 300
            && self.rng.chance(0.6)
        {
            path.insert(0, self.pick_prison(need(SecurityLevel::High)));
        }
        if remand_first {
            let first = &self.ctx.prisons[path[0]];
            if !first.remand || self.rng.chance(0.3) {
                let remand = self.pick_prison(Need {
                    level: None,
                    remand: true,
                    female,
                    youth: false,
                    region,
                });
                path.insert(0, remand);
            }
        }
        path.dedup();
        path
    }

    /// Where a past sentence of `stay` days ended.
    fn final_prison(&mut self, draft: &Draft, stay: i64) -> usize {
        let weights: [f64; 3] = match stay {
            ..=120 => [0.0, 55.0, 45.0],
            121..=730 => [10.0, 55.0, 35.0],
            _ => [20.0, 50.0, 30.0],
        };
        let level = match self.rng.weighted(&weights) {
            Some(0) => SecurityLevel::Halfway,
            Some(1) => SecurityLevel::Lower,
            _ => SecurityLevel::High,
        };
        let region = if self.rng.chance(0.8) {
            self.region_of_home(draft)
        } else {
            None
        };
        self.pick_prison(Need {
            level: Some(level),
            remand: false,
            female: draft.female,
            youth: false,
            region,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Places and offices

    fn home_in(&mut self, region: Option<usize>) -> usize {
        if let Some((members, weights)) = region.and_then(|r| self.ctx.by_region.get(r))
            && let Some(i) = weights.draw(&mut self.rng)
            && let Some(m) = members.get(i)
        {
            return *m;
        }
        self.ctx.all_municipalities.draw(&mut self.rng).unwrap_or(0)
    }

    /// A home municipality for someone in `slot`: mostly in the prison's region.
    fn home_near(&mut self, slot: &Slot) -> usize {
        let region = self.ctx.prisons[slot.prison].region;
        if !slot.foreign && self.rng.chance(0.75) {
            self.home_in(Some(region))
        } else {
            self.home_in(None)
        }
    }

    fn home_for_caseload(&mut self, office: Option<usize>) -> usize {
        match office {
            Some(_) => self.ctx.oslo,
            None => self.home_in(None),
        }
    }

    fn region_of_home(&self, draft: &Draft) -> Option<usize> {
        self.ctx
            .municipalities
            .get(draft.home)
            .and_then(|m| m.region)
    }

    /// The probation office for a home municipality: the office located there, else one of the
    /// county's offices weighted by the population of its municipality.
    fn office_for(&mut self, home: usize) -> usize {
        let offices = &self.ctx.offices;
        let Some(municipality) = self.ctx.municipalities.get(home) else {
            return 0;
        };
        if let Some(i) = offices
            .iter()
            .position(|o| o.municipality == municipality.name)
        {
            return i;
        }
        let in_county: Vec<f64> = offices
            .iter()
            .map(|o| {
                if o.office.contains(municipality.county) {
                    o.weight
                } else {
                    0.0
                }
            })
            .collect();
        if let Some(i) = self.rng.weighted(&in_county) {
            return i;
        }
        let all: Vec<f64> = offices.iter().map(|o| o.weight).collect();
        self.rng.weighted(&all).unwrap_or(0)
    }

    fn supervise(
        &mut self,
        draft: &mut Draft,
        kind: SupervisionKind,
        office: usize,
        from: Date,
        until: Date,
    ) {
        if until < from {
            return;
        }
        draft.supervision.push(Supervision {
            kind,
            office_id: self
                .ctx
                .offices
                .get(office)
                .map_or_else(String::new, |o| o.id.to_owned()),
            from,
            until,
        });
    }

    // -----------------------------------------------------------------------------------------
    // Courts, judgments and remand orders

    fn court_of(&self, home: usize) -> Court {
        let municipality = &self.ctx.municipalities[home.min(self.ctx.municipalities.len() - 1)];
        tables::court_for(municipality.name, municipality.county)
    }

    /// The person's district court, and whether the judgment is the court of appeal's (with
    /// probability `appeal`).
    fn judgment_court(&mut self, draft: &Draft, appeal: f64) -> (Court, bool) {
        (draft.court, appeal > 0.0 && self.rng.chance(appeal))
    }

    /// Decision and final dates for a sentence served from `start` after waiting in the queue
    /// (soningskø); after `not_before` when a remand credit is involved.
    fn queue_dates(&mut self, start: Date, term: i64, not_before: Option<Date>) -> (Date, Date) {
        let queue = if term <= 120 {
            self.rng.range(20, 150)
        } else {
            self.rng.range(10, 90)
        };
        let mut final_date = add_days(start, -queue);
        let mut decision = add_days(final_date, -self.rng.range(0, 25));
        if let Some(floor) = not_before {
            if decision <= floor {
                decision = add_days(floor, 1).min(start);
            }
            if final_date < decision {
                final_date = decision;
            }
        }
        (decision, final_date)
    }

    fn judgment(
        &mut self,
        (court, appealed): (Court, bool),
        decision: Date,
        final_date: Date,
        deduction: i64,
        length: Option<Length>,
        preventive_detention: Option<(u32, u32)>,
    ) -> Judgment {
        // Multiplying by a number coprime with 900 000 spreads consecutive cases over the range
        // without repeating one.
        self.next_case += 1;
        let number = 100_000 + (u64::from(self.next_case) * 7919 + 4711) % 900_000;
        let year = decision.year().rem_euclid(100);
        let short = matches!(length, Some(Length::Days(_)));
        let (court_name, case_number) = if appealed {
            (
                court.appeal,
                format!(
                    "{year:02}-{number:06}AST-{}/{:02}",
                    court.appeal_code,
                    self.rng.range(1, 4)
                ),
            )
        } else {
            let kind = if short && self.rng.chance(0.45) {
                "ENE"
            } else {
                "MED"
            };
            (
                court.name,
                format!(
                    "{year:02}-{number:06}{kind}-{}/{:02}",
                    court.code,
                    self.rng.range(1, 12)
                ),
            )
        };
        let (days, years_months) = match length {
            Some(Length::Days(days)) => (Some(days), None),
            Some(Length::Months(months)) => (None, Some((months / 12, months % 12))),
            None => (None, None),
        };
        Judgment {
            case_number,
            court: court_name.to_owned(),
            decision_date: decision,
            final_date,
            remand_deduction_days: deduction.max(0) as u32,
            days,
            years_months,
            preventive_detention,
            received: None,
        }
    }

    /// Remand orders covering `from..=last_day`, four weeks at a time, the first ones with any
    /// restrictions (≈ 15 % letter or visit bans, ≈ 5 % isolation); `strict` gives letter and
    /// visit bans throughout and partial isolation at first.
    fn remand_orders(&mut self, draft: &mut Draft, from: Date, last_day: Date, strict: bool) {
        let bans = strict || self.rng.chance(0.15);
        let (letter, visit) = if strict {
            (true, true)
        } else {
            match self.rng.unit() {
                u if u < 0.6 => (bans, bans),
                u if u < 0.8 => (bans, false),
                _ => (false, bans),
            }
        };
        let isolation = strict || self.rng.chance(0.05);
        let full_isolation = isolation && !strict && self.rng.chance(0.4);
        let wish = match self.rng.unit() {
            u if u < 0.15 => Some(true),
            u if u < 0.3 => Some(false),
            _ => None,
        };
        let wish = if strict { Some(false) } else { wish };
        let orders = days_between(from, last_day) / 28 + 1;
        let restricted = if strict {
            orders
        } else {
            self.rng.range(1, orders.min(3))
        };
        let isolated = if full_isolation { 1 } else { restricted.min(2) };
        let mut start = from;
        for index in 0..orders {
            let until = add_days(start, 27);
            draft.remand_orders.push(RemandOrder {
                court: draft.court.name.to_owned(),
                from: start,
                until,
                full_isolation: full_isolation && index < isolated,
                partial_isolation: isolation && !full_isolation && index < isolated,
                letter_ban: letter && index < restricted,
                visit_ban: visit && index < restricted,
                wants_placement_with_convicted: wish,
            });
            start = add_days(until, 1);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Lengths

    fn length(&mut self, distribution: Distribution) -> Length {
        let (table, buckets) = match distribution {
            Distribution::Stock => (&self.ctx.stock, tables::SENTENCED_STOCK),
            Distribution::Flow => (&self.ctx.flow, tables::SENTENCE_FLOW),
            Distribution::EmFrontDoor => (&self.ctx.em_front_door, tables::EM_FRONT_DOOR),
        };
        let bucket = table
            .draw(&mut self.rng)
            .and_then(|i| buckets.get(i))
            .map_or(LengthRange::Days(30, 60), |b| b.length);
        match bucket {
            LengthRange::Days(low, high) => {
                Length::Days(self.rng.range(i64::from(low), i64::from(high)) as u32)
            }
            LengthRange::Months(low, high) => {
                Length::Months(self.rng.range(i64::from(low), i64::from(high)) as u32)
            }
        }
    }

    /// A sentence for someone under 18: under a year.
    fn youth_length(&mut self) -> Length {
        for _ in 0..20 {
            let length = self.length(Distribution::Stock);
            if length.months() < 12 {
                return length;
            }
        }
        Length::Days(60)
    }

    /// Days spent on remand, as remand episodes end (mean ≈ 100 days).
    fn remand_length(&mut self) -> i64 {
        match self.rng.weighted(&[30.0, 32.0, 22.0, 12.0, 4.0]) {
            Some(0) => self.rng.range(1, 30),
            Some(1) => self.rng.range(31, 90),
            Some(2) => self.rng.range(91, 180),
            Some(3) => self.rng.range(181, 365),
            _ => self.rng.range(366, 700),
        }
    }

    /// Preventive detention frame and minimum in years (straffeloven §§ 40, 43): the minimum at
    /// most 10 years, 14 when the frame exceeds 15.
    fn preventive_terms(&mut self) -> (u32, u32) {
        const FRAMES: &[(u32, f64)] = &[
            (5, 3.0),
            (6, 4.0),
            (7, 10.0),
            (8, 10.0),
            (9, 6.0),
            (10, 12.0),
            (12, 8.0),
            (14, 5.0),
            (15, 8.0),
            (16, 2.0),
            (18, 2.0),
            (21, 4.0),
        ];
        let weights: Vec<f64> = FRAMES.iter().map(|(_, w)| *w).collect();
        let frame = self
            .rng
            .weighted(&weights)
            .and_then(|i| FRAMES.get(i))
            .map_or(10, |(f, _)| *f);
        let limit = if frame > 15 { 14 } else { 10 };
        let low = i64::from((frame / 3).max(1));
        let high = i64::from((frame * 2 / 3).min(limit)).max(low);
        (frame, self.rng.range(low, high) as u32)
    }

    // -----------------------------------------------------------------------------------------
    // Identity

    fn draft(&mut self, female: bool, foreign: bool, youth: bool, home: usize) -> Draft {
        let country = if foreign {
            self.ctx
                .countries
                .draw(&mut self.rng)
                .and_then(|i| tables::COUNTRIES.get(i))
        } else {
            None
        };
        let leave_taker = self.rng.chance(if foreign { 0.35 } else { 0.65 });
        Draft {
            female,
            country,
            youth,
            home,
            court: self.court_of(home),
            leave_taker,
            needs_identity_number: false,
            credit: None,
            judgments: Vec::new(),
            remand_orders: Vec::new(),
            movements: Vec::new(),
            supervision: Vec::new(),
            summonses: Vec::new(),
            non_appearances: Vec::new(),
            handover_institution: None,
        }
    }

    /// For a foreign citizen with a judgment to imprisonment, sometimes a decision to expel
    /// them after the sentence: made some weeks after the first such judgment became final,
    /// final some weeks later (when those days have come).
    fn expulsion(&mut self, draft: &Draft) -> Option<Expulsion> {
        draft.country?;
        let first = draft.judgments.iter().map(|j| j.final_date).min()?;
        if !self.aside.chance(EXPULSION_SHARE) {
            return None;
        }
        let decided_on = add_days(first, self.aside.range(20, 150));
        let final_on = add_days(decided_on, self.aside.range(21, 120));
        (decided_on <= self.ctx.today).then(|| Expulsion {
            decided_on,
            final_on: (final_on <= self.ctx.today).then_some(final_on),
        })
    }

    /// Gives the draft an identity that fits its record (18 or older at the first entry, unless
    /// a youth) and makes movement times strictly increasing.
    fn finish(&mut self, mut draft: Draft) -> Person {
        let today = self.ctx.today;
        let earliest = draft
            .movements
            .iter()
            .map(|m| m.at.date())
            .chain(draft.supervision.iter().map(|s| s.from))
            .chain(draft.judgments.iter().map(|j| j.decision_date))
            .chain(draft.remand_orders.iter().map(|o| o.from))
            .min()
            .unwrap_or(today);
        let age = if draft.youth {
            self.rng.range(16, 17)
        } else {
            let minimum = 18 + years_between(earliest, today) + 1;
            let band = self
                .ctx
                .ages
                .draw(&mut self.rng)
                .and_then(|i| tables::ADULT_AGES.get(i))
                .copied()
                .unwrap_or((25, 40, 1.0));
            let age = self.rng.range(band.0, band.1);
            if age < minimum {
                minimum + self.rng.range(0, 8)
            } else {
                age
            }
        };
        let birth = add_days(
            today
                .checked_sub(Span::new().years(age.clamp(0, 120) as i16))
                .unwrap_or(today),
            -self.rng.range(0, 360),
        );
        let temporary_chance = if draft.country.is_some() { 0.12 } else { 0.004 };
        let identity_number = if !draft.needs_identity_number && self.rng.chance(temporary_chance) {
            None
        } else {
            self.identity_number(birth, draft.female)
        };
        let temporary_id = identity_number.is_none().then(|| {
            self.next_temporary_id += 1;
            format!("T-{:06}", self.next_temporary_id)
        });
        let (given_names, family_name, citizenship, languages, interpreter_needed) =
            match draft.country {
                None => {
                    let given = if draft.female {
                        tables::NORWEGIAN_FEMALE
                    } else {
                        tables::NORWEGIAN_MALE
                    };
                    let given_names = self.given_names(given);
                    let family = self.pick(tables::NORWEGIAN_FAMILY);
                    let family = if self.rng.chance(0.08) {
                        format!("{} {}", self.pick(tables::NORWEGIAN_FAMILY), family)
                    } else {
                        family.to_owned()
                    };
                    let mut languages = vec!["nb".to_owned()];
                    if self.rng.chance(0.35) {
                        languages.push("en".to_owned());
                    }
                    (given_names, family, "NO".to_owned(), languages, false)
                }
                Some(country) => {
                    let given = if draft.female {
                        country.female
                    } else {
                        country.male
                    };
                    let given_names = self.pick(given).to_owned();
                    let family = if draft.female && !country.family_female.is_empty() {
                        country.family_female
                    } else {
                        country.family
                    };
                    let family_name = self.pick(family).to_owned();
                    let mut languages = vec![country.language.to_owned()];
                    let speaks_norwegian = self.rng.chance(0.15);
                    if speaks_norwegian {
                        languages.push("nb".to_owned());
                    }
                    if country.language != "en" && self.rng.chance(0.45) {
                        languages.push("en".to_owned());
                    }
                    let interpreter = !speaks_norwegian && self.rng.chance(country.interpreter);
                    (
                        given_names,
                        family_name,
                        country.code.to_owned(),
                        languages,
                        interpreter,
                    )
                }
            };
        for i in 1..draft.movements.len() {
            let previous = draft.movements[i - 1].at;
            if draft.movements[i].at <= previous {
                draft.movements[i].at = previous
                    .checked_add(Span::new().minutes(5))
                    .unwrap_or(previous);
            }
        }
        let expulsion = self.expulsion(&draft);
        Person {
            identity: Identity {
                identity_number,
                temporary_id,
                family_name,
                given_names,
                birth_date: birth,
                sex: if draft.female { Sex::Female } else { Sex::Male },
                citizenship,
                languages,
                interpreter_needed,
                home_municipality: self.ctx.municipalities[draft.home].name.to_owned(),
            },
            judgments: draft.judgments,
            remand_orders: draft.remand_orders,
            movements: draft.movements,
            supervision: draft.supervision,
            summonses: draft.summonses,
            non_appearances: draft.non_appearances,
            expulsion,
            handover_institution: draft.handover_institution.map(String::from),
        }
    }

    fn pick(&mut self, names: &'static [&'static str]) -> &'static str {
        self.rng.pick(names).copied().unwrap_or("Hansen")
    }

    fn given_names(&mut self, names: &'static [&'static str]) -> String {
        let first = self.pick(names);
        if self.rng.chance(0.25) {
            let second = self.pick(names);
            if second != first {
                return format!("{first} {second}");
            }
        }
        first.to_owned()
    }

    /// A synthetic identity number: DDMMYY with month + 80, an individual number in the range for
    /// the birth year (outside [`super::RESERVED_INDIVIDUAL_NUMBERS`]) with its third digit odd
    /// for men and even for women, and valid control digits; unique in the population.
    fn identity_number(&mut self, birth: Date, female: bool) -> Option<String> {
        let year = i64::from(birth.year());
        let (low, high) = if year >= 2000 { (500, 899) } else { (0, 399) };
        for _ in 0..50 {
            let mut individual = self.rng.range(low, high);
            if (individual % 2 == 1) == female {
                individual = if individual > low {
                    individual - 1
                } else {
                    individual + 1
                };
            }
            let first_nine = format!(
                "{:02}{:02}{:02}{:03}",
                birth.day(),
                birth.month() + 80,
                year.rem_euclid(100),
                individual
            );
            if let Some(number) = with_control_digits(&first_nine)
                && identity_number_is_valid(&number)
                && self.used_numbers.insert(number.clone())
            {
                return Some(number);
            }
        }
        None
    }
}

/// The identity number with the two modulus-11 control digits appended to `first_nine`, or
/// `None` when a control digit would be 10. The same result as
/// `halden_domain::register::identity_number_with_controls` (a unit test checks it), computed
/// directly instead of by trying all hundred candidates: the demo builds tens of thousands.
fn with_control_digits(first_nine: &str) -> Option<String> {
    const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let mut digits: Vec<u32> = first_nine.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || first_nine.len() != 9 {
        return None;
    }
    for weights in [&K1[..], &K2[..]] {
        let sum: u32 = weights.iter().zip(&digits).map(|(w, d)| w * d).sum();
        match 11 - sum % 11 {
            11 => digits.push(0),
            10 => return None,
            control => digits.push(control),
        }
    }
    Some(
        digits
            .iter()
            .filter_map(|d| char::from_digit(*d, 10))
            .collect(),
    )
}

/// Which published distribution a length is drawn from.
#[derive(Debug, Clone, Copy)]
enum Distribution {
    Stock,
    Flow,
    EmFrontDoor,
}

/// The state the excursions between two key movements depend on.
#[derive(Debug, Clone, Copy)]
struct FillState {
    basis: CustodyBasis,
    prison: usize,
}

/// The days between two key movements.
struct Gap {
    from: Date,
    until: Date,
    /// Scales event rates down for very long stays, to keep the register's size reasonable.
    rate: f64,
    leave_from: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_agree_with_jiff() {
        let epoch = date(1970, 1, 1);
        let mut day = date(1899, 12, 25);
        while day < date(2101, 1, 10) {
            let expected = i64::from(day.since(epoch).unwrap().get_days());
            assert_eq!(day_number(day), expected, "{day}");
            assert_eq!(date_from_day_number(expected), Some(day));
            day = day.tomorrow().unwrap();
        }
        assert_eq!(add_days(date(2024, 2, 28), 1), date(2024, 2, 29));
        assert_eq!(add_days(date(2024, 3, 1), -366), date(2023, 3, 1));
        assert_eq!(days_between(date(2025, 6, 2), date(2024, 6, 2)), -365);
    }

    #[test]
    fn control_digits_agree_with_the_register() {
        let mut rng = Rng::new(3);
        for _ in 0..3000 {
            let first_nine = format!("{:09}", rng.below(1_000_000_000));
            assert_eq!(
                with_control_digits(&first_nine),
                halden_domain::register::identity_number_with_controls(&first_nine),
                "{first_nine}"
            );
        }
        assert_eq!(with_control_digits("12345678"), None);
        assert_eq!(with_control_digits("12345678x"), None);
    }

    #[test]
    fn parole_needs_fourteen_days_after_it() {
        assert_eq!(parole_day(60), None);
        assert_eq!(parole_day(73), None);
        assert_eq!(parole_day(74), Some(60));
        assert_eq!(parole_day(365), Some(244));
    }

    #[test]
    fn solve_rate_hits_its_target() {
        let items = [(100.0, 1.0), (50.0, 2.0), (10.0, 0.0)];
        let k = solve_rate(&items, 0.9, 60.0);
        let total: f64 = items.iter().map(|(n, w)| n * (k * w).min(0.9)).sum();
        assert!((total - 60.0).abs() < 1e-6, "{total}");
    }
}
