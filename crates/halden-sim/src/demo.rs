//! The demo population: people, judgments, remand orders, movements, supervision, and the serving
//! queue's summonses and missed serving dates, generated from a seed for a given day.
//!
//! INTERFACE (used by the server's demo seeding; keep these types and `generate` stable).

use halden_domain::{queue::PlannedForm, register::Movement};
use jiff::civil::Date;

use crate::estate::Estate;

mod generator;
mod rng;
mod tables;

/// How large a population to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The national demo: ≈ 3 000 in custody (≈ 20 % remand), EM, parole and community caseloads,
    /// the serving queue, and several years of history of released people.
    National,
    /// A small population for tests, same proportions at about 1/20 of the size: ≈ 150 in custody,
    /// ≈ 900 people. Always has the persons the demo pages need (see [`generate`]).
    Small,
    /// A register of `n` persons, for load benchmarks: the [`Scale::National`] population with
    /// as many released people as it takes to make `n` persons in all. Its persons are the
    /// national population's, in the same order (today's roll, caseloads and serving queue, then
    /// released people), continued by more released people drawn the same way; it never has
    /// fewer than the national roll, caseloads and queue (≈ 6 000). The extra histories fall in the same four
    /// years, so the register is denser than a real one rather than older.
    Persons(usize),
}

/// The sex recorded for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Individual numbers (digits 7–9 of an identity number) the demo never gives: 400–499 for
/// people born 1900–1999 and 900–999 for those born from 2000. Tests and hand-entered examples
/// take their synthetic numbers from here, so a person they register can never be a demo person
/// (an import with a demo person's number would add the judgment to that person instead).
pub const RESERVED_INDIVIDUAL_NUMBERS: [std::ops::RangeInclusive<u32>; 2] = [400..=499, 900..=999];

/// A person's identity as the register records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// A synthetic identity number (11 digits, valid control digits, month + 80 as in the Norwegian
    /// test-number convention), or `None` when only a temporary id is known. Its individual
    /// number is never in [`RESERVED_INDIVIDUAL_NUMBERS`].
    pub identity_number: Option<String>,
    /// A temporary id (e.g. `T-000123`) for people without a known identity number.
    pub temporary_id: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Given names.
    pub given_names: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex.
    pub sex: Sex,
    /// Citizenship, ISO 3166-1 alpha-2 (e.g. `NO`, `PL`, `LT`, `SE`).
    pub citizenship: String,
    /// Languages, ISO 639-1 (e.g. `nb`, `pl`, `en`).
    pub languages: Vec<String>,
    /// Whether an interpreter is needed.
    pub interpreter_needed: bool,
    /// Home municipality name (from the estate's municipalities).
    pub home_municipality: String,
}

/// A judgment as a court file would carry it (one prison sentence per judgment in the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgment {
    /// Court case number, e.g. `24-123456MED-OTIR/05`.
    pub case_number: String,
    /// The court, e.g. `Oslo tingrett`.
    pub court: String,
    /// Day of the judgment.
    pub decision_date: Date,
    /// Day it became final (rettskraftig).
    pub final_date: Date,
    /// Days of remand the court deducted (straffeloven § 83).
    pub remand_deduction_days: u32,
    /// The unconditional prison term in days: used for terms of 14 to 120 days, which straffeloven
    /// § 31 fixes in days.
    pub days: Option<u32>,
    /// The term in years and months: used for terms over 4 months (§ 31), e.g. `(0, 6)` for six
    /// months or `(2, 3)` for two years and three months. Exactly one of `days` and
    /// `years_months` is set, or neither when the judgment is preventive detention.
    pub years_months: Option<(u32, u32)>,
    /// Preventive detention (forvaring) frame and minimum in years, when sentenced to it.
    pub preventive_detention: Option<(u32, u32)>,
    /// The day the correctional service received the final judgment (R-INNK-1, R-QUEUE-1): set
    /// for the judgments waiting to be served today; `None` where the demo does not record it
    /// (the register then takes the day it became final).
    pub received: Option<Date>,
}

/// A summons to start serving (innkalling til soning, R-INNK-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summons {
    /// The day the summons was sent: on or after the judgment was received.
    pub sent_on: Date,
    /// The day the person is to report: three weeks after `sent_on` at the earliest, and no
    /// later than 60 days after receipt unless `late_reason` says why.
    pub serving_date: Date,
    /// Where to report: an estate prison id (`P001`…); for EM, the prison that runs it.
    pub prison: String,
    /// In prison or at home with electronic monitoring.
    pub form: PlannedForm,
    /// Why the serving date is past the 60-day limit (in bokmål, as a caseworker writes it).
    pub late_reason: Option<String>,
}

/// A serving date the person did not report on (R-INNK-3): they are sought and brought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonAppearance {
    /// The serving date missed.
    pub date: Date,
    /// What is known (in bokmål).
    pub note: Option<String>,
}

/// A remand order (varetektsfengsling) with its restrictions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemandOrder {
    /// The court that ordered it.
    pub court: String,
    /// First day.
    pub from: Date,
    /// Last day ordered (the order runs to a date; it is renewed by new orders).
    pub until: Date,
    /// Full isolation (fullstendig isolasjon).
    pub full_isolation: bool,
    /// Partial isolation (delvis isolasjon).
    pub partial_isolation: bool,
    /// Letter ban (brev- og besøksforbud: letters).
    pub letter_ban: bool,
    /// Visit ban.
    pub visit_ban: bool,
    /// The remand prisoner's wish: `Some(true)` to be placed with convicted persons,
    /// `Some(false)` to be kept apart, `None` when not stated.
    pub wants_placement_with_convicted: Option<bool>,
}

/// What kind of supervision by a probation office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisionKind {
    /// Home detention with electronic monitoring (strgjfl § 16 annet ledd / § 16 a).
    ElectronicMonitoring,
    /// Parole supervision (prøveløslatelse, strgjfl § 42).
    Parole,
    /// Community sentence (samfunnsstraff, straffeloven § 48).
    CommunitySentence,
}

/// A period under a probation office (friomsorgskontor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    /// The kind.
    pub kind: SupervisionKind,
    /// The probation office's estate id (e.g. `F001`).
    pub office_id: String,
    /// First day.
    pub from: Date,
    /// Last day.
    pub until: Date,
}

/// One synthetic person with everything recorded about them, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Who.
    pub identity: Identity,
    /// Judgments, oldest first.
    pub judgments: Vec<Judgment>,
    /// Remand orders, oldest first.
    pub remand_orders: Vec<RemandOrder>,
    /// Movements, in time order; folding them with
    /// `halden_domain::register::CustodyState::project` always succeeds. Prison ids are estate ids
    /// (`P001`…).
    pub movements: Vec<Movement>,
    /// Supervision periods, oldest first.
    pub supervision: Vec<Supervision>,
    /// Summonses to serve a judgment waiting in the queue, oldest first (a postponement gives a
    /// second one); empty for everyone else.
    pub summonses: Vec<Summons>,
    /// Serving dates missed, oldest first.
    pub non_appearances: Vec<NonAppearance>,
    /// A decision to expel the person after the sentence, for some foreign citizens.
    pub expulsion: Option<Expulsion>,
    /// The receiving health institution, when an episode ended in a handover to mandatory
    /// psychiatric care (the `Handover` movement).
    pub handover_institution: Option<String>,
}

/// A decision to expel a person after the sentence (utvisningsvedtak).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expulsion {
    /// The day of the decision.
    pub decided_on: Date,
    /// The day it became final, when it has by the population's day.
    pub final_on: Option<Date>,
}

/// A generated population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    /// Everyone, in a stable order.
    pub persons: Vec<Person>,
    /// The index in `persons` of the person the demo `prisoner` account is linked to: someone
    /// serving a sentence, present today in Oslo fengsel (`P001`), with a final judgment.
    pub demo_prisoner: usize,
}

/// Generates the population of `scale` as it stands on `today`, from `seed`.
///
/// Deterministic: the same estate, seed, day and scale always give the same population (a
/// hand-written SplitMix64 generator, no clock). Every person's movements fold with
/// `CustodyState::project`; every judgment is valid input for the sentence engine.
///
/// [`Scale::National`] follows STATISTICS.md §6: ≈ 3 100 in custody at 78–93 % of each prison's
/// capacity (≈ 21 % on remand, only where the estate takes remand; ≈ 5.5 % women, only where it
/// has places for women; at most 6 under 18, only in the youth units; ≈ 26 % foreign citizens;
/// ≈ 150 in preventive detention; sentence lengths as in the sentenced stock), ≈ 400 on EM,
/// ≈ 750 on parole and ≈ 1 000 serving a community sentence, ≈ 800 waiting to serve a final
/// judgment received in the last months (of whom ≈ 200 received two calendar months ago or
/// more: the queue of R-QUEUE-1, STATISTICS.md V4b; some planned for EM; most summoned under
/// R-INNK-1, a few having missed their serving date, R-INNK-3), and ≈ 13 000 people with
/// episodes in the four years before `today`: ≈ 19 000 persons and ≈ 90 000 movements in all.
///
/// Every scale contains, besides the [`Population::demo_prisoner`]: a remand prisoner in Oslo
/// fengsel (`P001`) under letter and visit bans and partial isolation, a sentenced person out on
/// leave today, one who escaped and was recaptured, and one person of each [`SupervisionKind`]
/// under Oslo friomsorgskontor (`F001`).
///
/// An estate without prisons, probation offices or municipalities gives an empty population
/// (and `demo_prisoner` 0, which then points at nobody).
pub fn generate(estate: &Estate, seed: u64, today: Date, scale: Scale) -> Population {
    generator::generate(estate, seed, today, scale)
}
