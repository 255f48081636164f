//! What a register entry records: one typed payload per kind, with validation that names the
//! field at fault.
//!
//! Payloads are stored as JSON in `entries.payload`; the JSON shape is the API's shape, so an entry
//! read back is exactly what was submitted. A correction carries a payload of the same kind as the
//! entry it corrects (the whole corrected record), or `Retraction` to void it.

use halden_domain::{
    case::NonCountingReason,
    queue::PlannedForm,
    register::{CustodyBasis, MovementKind, SecurityLevel, identity_number_is_valid},
    validate::FieldError,
};
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A person's identity (personopplysninger).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// National identity number (fødselsnummer or D-nummer, 11 digits), when known.
    #[serde(default)]
    pub identity_number: Option<String>,
    /// A temporary id, when the identity number is not known (e.g. `T-000123`).
    #[serde(default)]
    pub temporary_id: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Given names.
    pub given_names: String,
    /// Birth date.
    pub birth_date: Date,
    /// `female`, `male` or `unspecified`.
    pub sex: String,
    /// Citizenship, ISO 3166-1 alpha-2 (`NO`), or `XX` when stateless or unknown.
    pub citizenship: String,
    /// Languages, ISO 639-1 codes (`nb`, `pl`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Whether an interpreter is needed (tolkebehov).
    #[serde(default)]
    pub interpreter_needed: bool,
    /// Home municipality (bostedskommune), by name.
    #[serde(default)]
    pub home_municipality: Option<String>,
}

/// A judgment (dom): the court's decision, in the sentence engine's input shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgment {
    /// The court's case number (saksnummer).
    pub case_number: String,
    /// The court (e.g. `Oslo tingrett`).
    pub court: String,
    /// Day of the judgment.
    pub decision_date: Date,
    /// Day it became final (rettskraftig).
    #[serde(default)]
    pub final_date: Option<Date>,
    /// Day the correctional service received the final judgment: starts the 60-day limit and
    /// the queue count (R-INNK-1, R-QUEUE-1). When absent, the day it became final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Date>,
    /// Remand days the court deducted (straffeloven § 83).
    #[serde(default)]
    pub remand_deduction_days: u32,
    /// `ordinary` or `max_30`, as in `halden calc`.
    #[serde(default = "ordinary")]
    pub offence_class: String,
    /// The sentences, exactly as `halden calc` takes them.
    #[serde(default)]
    pub sentences: Vec<Value>,
    /// Preventive detention, as `halden calc` takes it.
    #[serde(default)]
    pub preventive_detention: Option<Value>,
    /// A community sentence, as `halden calc` takes it.
    #[serde(default)]
    pub community_sentence: Option<Value>,
    /// A youth sentence (ungdomsstraff, strl § 52 a), as `halden calc` takes it
    /// (`execution_period_months`, `alternative_days` / `_months` / `_years`). Executed by the
    /// mediation service (konfliktrådet), not Kriminalomsorgen: such a judgment never enters the
    /// serving queue or the engine's serving dates (R-YOUTH-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub youth_sentence: Option<Value>,
    /// Day of the (latest) offence: with the birth date it gives the age at the act, which a
    /// youth sentence needs (under 18, R-YOUTH-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offence_date: Option<Date>,
    /// A suspended sentence with the condition of completing the programme against intoxicated
    /// driving (R-PROG-1), run by the probation office. Not before 2008-11-01.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driving_programme: Option<DrivingProgramme>,
}

/// The condition of a suspended sentence that the person completes the programme against
/// intoxicated driving (program mot ruspåvirket kjøring, R-PROG-1): as the court sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrivingProgramme {
    /// Hours of teaching and treatment (the 1996 programme had 20–30).
    pub hours: u32,
    /// The supervision period in months from the enrolment (the 1996 programme had 12).
    pub supervision_months: u32,
    /// The prison term suspended on the condition, in days.
    pub suspended_days: u32,
}

impl DrivingProgramme {
    /// As the domain's condition.
    pub fn condition(self) -> halden_domain::programme::Condition {
        halden_domain::programme::Condition {
            hours: self.hours,
            supervision_months: self.supervision_months,
            suspended_days: self.suspended_days,
        }
    }
}

fn ordinary() -> String {
    "ordinary".into()
}

/// Restrictions a remand order imposes (straffeprosessloven §§ 186, 186 a).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemandRestrictions {
    /// Full isolation (fullstendig isolasjon).
    #[serde(default)]
    pub full_isolation: bool,
    /// Partial isolation (delvis isolasjon).
    #[serde(default)]
    pub partial_isolation: bool,
    /// Ban on letters (brevforbud).
    #[serde(default)]
    pub letter_ban: bool,
    /// Ban on visits (besøksforbud).
    #[serde(default)]
    pub visit_ban: bool,
}

/// A remand order (kjennelse om varetektsfengsling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemandOrder {
    /// The court.
    pub court: String,
    /// First day.
    pub from: Date,
    /// Last day ordered.
    pub until: Date,
    /// Restrictions.
    #[serde(default)]
    pub restrictions: RemandRestrictions,
    /// The remand prisoner's wish: `apart` (kept apart from convicted persons) or
    /// `with_convicted`; absent when not stated (strgjfl § 3 fifth paragraph).
    #[serde(default)]
    pub placement_wish: Option<String>,
}

/// A movement (bevegelse) in or out of custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementFact {
    /// One of the movement kinds (`admission`, `transfer`, `leave_out`, …).
    pub movement: String,
    /// When, Europe/Oslo civil time.
    pub at: DateTime,
    /// The prison (estate id) moved to: required for admission and transfer.
    #[serde(default)]
    pub prison: Option<String>,
    /// The basis of custody: required for admission and basis change.
    #[serde(default)]
    pub basis: Option<String>,
    /// For leave out: when the person is due back (Europe/Oslo civil time). A later return
    /// raises an incident and moves the dates (R-CALC-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_back: Option<DateTime>,
    /// A free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// For an admission or transfer into a department that is full on the day: why the person is
    /// placed there anyway (overbooking). Without it such a movement is refused; with it, it is
    /// kept on the entry and shown in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_override: Option<String>,
    /// For an admission or transfer of a person under 18 into a department that is not a youth
    /// unit: the special grounds for it (R-YOUTH-2). Without it such a movement is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub youth_exception: Option<String>,
    /// For a handover to mandatory psychiatric care: the health institution that receives the
    /// person (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
}

/// The longest reason for overbooking a department.
pub const CAPACITY_OVERRIDE_MAX: usize = 2000;

/// A security level decision (sikkerhetsnivå).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityLevelFact {
    /// `high`, `lower` or `halfway`.
    pub level: String,
    /// From which day.
    pub from: Date,
    /// The written reason.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Days that do not count toward the sentence, recorded directly (e.g. an interruption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonCountingFact {
    /// First day not counted.
    pub from: Date,
    /// Last day not counted.
    pub to: Date,
    /// As in `halden calc`: `escape`, `evasion`, `failure_to_return`, `interruption`, ….
    pub reason: String,
}

/// A period under a probation office (friomsorgskontor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionFact {
    /// `electronic_monitoring`, `parole`, `community_sentence` or `driving_programme` (the
    /// programme against intoxicated driving, R-PROG-1).
    pub supervision: String,
    /// The office's estate id (`F001`).
    pub office: String,
    /// First day.
    pub from: Date,
    /// Last day.
    pub until: Date,
    /// Why the person is supervised by this office rather than the location nearest their home
    /// municipality (issue 6, item 1): the decision's reason, required for another location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_reason: Option<String>,
}

/// The contact officer (kontaktbetjent) assigned to a person in custody, from a day in the
/// current custody episode; a later assignment replaces it, and it lapses with the episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOfficerFact {
    /// The officer's username.
    pub officer: String,
    /// First day of the assignment.
    pub from: Date,
}

/// A summons to start serving (innkalling til soning, R-INNK-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummonsFact {
    /// The day the person is to report.
    pub serving_date: Date,
    /// Where to report: a prison of the estate (for EM, the prison that runs it).
    pub prison: String,
    /// `prison` or `em` (home detention with electronic monitoring).
    #[serde(default = "prison_form")]
    pub form: String,
    /// The day the summons was sent: the three weeks' notice counts from it.
    pub sent_on: Date,
    /// Why the serving date is past the 60-day limit, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<String>,
}

fn prison_form() -> String {
    "prison".into()
}

/// The person did not report on the serving date (R-INNK-3): to be sought and brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonAppearanceFact {
    /// The serving date missed.
    pub date: Date,
    /// What is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A decision to expel the person from Norway after the sentence (utvisningsvedtak,
/// utlendingsloven §§ 66–67), made by the immigration authority or a court. It limits the
/// progression steps (BRIEF §3.7, see `halden_domain::progression::Closure`); a decision
/// revoked or quashed is retracted (a correction), so the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpulsionFact {
    /// The day of the decision.
    pub decided_on: Date,
    /// Who decided (e.g. `UDI`, `Oslo tingrett`).
    pub authority: String,
    /// The day it became final (endelig), when it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_on: Option<Date>,
    /// The authority's case number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One area of the plan for life after release (BRIEF §3.5: housing, work or school, health,
/// NAV), as the prison's contact officer and the probation office assess it: a later entry for
/// the same area replaces it. Entries dated before the current custody episode lapse with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleasePlanFact {
    /// One of [`RELEASE_PLAN_AREAS`].
    pub area: String,
    /// One of [`RELEASE_PLAN_STATUSES`].
    pub status: String,
    /// The day of the assessment.
    pub date: Date,
    /// What is arranged or needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The areas of a release plan.
pub const RELEASE_PLAN_AREAS: [&str; 4] = ["housing", "work_or_school", "health", "nav"];

/// How far an area of a release plan has come.
pub const RELEASE_PLAN_STATUSES: [&str; 4] =
    ["arranged", "in_progress", "needs_help", "not_needed"];

/// The handover of a person in custody to the probation office that will follow them after
/// release (overføring til friomsorgen): from then on the office reads the record and the
/// release plan, before supervision starts. A later handover replaces it; it lapses with the
/// custody episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseHandoverFact {
    /// The probation office's estate id (`F001`).
    pub office: String,
    /// The day of the handover (the meeting, or the day the plan was sent).
    pub date: Date,
    /// What the office should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The payload of one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// The person is registered, or their identity corrected.
    Identity(Identity),
    /// A judgment.
    Judgment(Judgment),
    /// A remand order.
    RemandOrder(RemandOrder),
    /// A movement.
    Movement(MovementFact),
    /// A security level.
    SecurityLevel(SecurityLevelFact),
    /// Non-counting days.
    NonCounting(NonCountingFact),
    /// Supervision by a probation office.
    Supervision(SupervisionFact),
    /// The assigned contact officer.
    ContactOfficer(ContactOfficerFact),
    /// A summons to start serving.
    Summons(SummonsFact),
    /// Did not report on the serving date.
    NonAppearance(NonAppearanceFact),
    /// A decision to expel the person after the sentence.
    Expulsion(ExpulsionFact),
    /// One area of the plan for life after release.
    ReleasePlan(ReleasePlanFact),
    /// The handover to the probation office before release.
    ReleaseHandover(ReleaseHandoverFact),
    /// Voids the entry it corrects (registered in error).
    Retraction,
}

/// Every entry kind's machine name.
pub const KINDS: [&str; 14] = [
    "identity",
    "judgment",
    "remand_order",
    "movement",
    "security_level",
    "non_counting",
    "supervision",
    "contact_officer",
    "summons",
    "non_appearance",
    "expulsion",
    "release_plan",
    "release_handover",
    "retraction",
];

impl Fact {
    /// The entry kind's machine name.
    pub fn kind(&self) -> &'static str {
        match self {
            Fact::Identity(_) => "identity",
            Fact::Judgment(_) => "judgment",
            Fact::RemandOrder(_) => "remand_order",
            Fact::Movement(_) => "movement",
            Fact::SecurityLevel(_) => "security_level",
            Fact::NonCounting(_) => "non_counting",
            Fact::Supervision(_) => "supervision",
            Fact::ContactOfficer(_) => "contact_officer",
            Fact::Summons(_) => "summons",
            Fact::NonAppearance(_) => "non_appearance",
            Fact::Expulsion(_) => "expulsion",
            Fact::ReleasePlan(_) => "release_plan",
            Fact::ReleaseHandover(_) => "release_handover",
            Fact::Retraction => "retraction",
        }
    }

    /// The payload as JSON.
    pub fn payload(&self) -> Value {
        let value = match self {
            Fact::Identity(x) => serde_json::to_value(x),
            Fact::Judgment(x) => serde_json::to_value(x),
            Fact::RemandOrder(x) => serde_json::to_value(x),
            Fact::Movement(x) => serde_json::to_value(x),
            Fact::SecurityLevel(x) => serde_json::to_value(x),
            Fact::NonCounting(x) => serde_json::to_value(x),
            Fact::Supervision(x) => serde_json::to_value(x),
            Fact::ContactOfficer(x) => serde_json::to_value(x),
            Fact::Summons(x) => serde_json::to_value(x),
            Fact::NonAppearance(x) => serde_json::to_value(x),
            Fact::Expulsion(x) => serde_json::to_value(x),
            Fact::ReleasePlan(x) => serde_json::to_value(x),
            Fact::ReleaseHandover(x) => serde_json::to_value(x),
            Fact::Retraction => Ok(Value::Object(serde_json::Map::new())),
        };
        // Serialising these plain structs cannot fail; fall back to null rather than panic.
        value.unwrap_or(Value::Null)
    }

    /// Reads a payload of `kind`, reporting problems under `prefix` (e.g. `payload`).
    ///
    /// # Errors
    ///
    /// The problems found: unknown kind, shape (types, unknown or missing fields) and content.
    pub fn from_payload(
        kind: &str,
        payload: &Value,
        prefix: &str,
    ) -> Result<Fact, Vec<FieldError>> {
        fn read<T: serde::de::DeserializeOwned>(
            payload: &Value,
            prefix: &str,
        ) -> Result<T, Vec<FieldError>> {
            read_payload(payload, prefix).map_err(|e| vec![e])
        }
        let fact = match kind {
            "identity" => Fact::Identity(read(payload, prefix)?),
            "judgment" => Fact::Judgment(read(payload, prefix)?),
            "remand_order" => Fact::RemandOrder(read(payload, prefix)?),
            "movement" => Fact::Movement(read(payload, prefix)?),
            "security_level" => Fact::SecurityLevel(read(payload, prefix)?),
            "non_counting" => Fact::NonCounting(read(payload, prefix)?),
            "supervision" => Fact::Supervision(read(payload, prefix)?),
            "contact_officer" => Fact::ContactOfficer(read(payload, prefix)?),
            "summons" => Fact::Summons(read(payload, prefix)?),
            "non_appearance" => Fact::NonAppearance(read(payload, prefix)?),
            "expulsion" => Fact::Expulsion(read(payload, prefix)?),
            "release_plan" => Fact::ReleasePlan(read(payload, prefix)?),
            "release_handover" => Fact::ReleaseHandover(read(payload, prefix)?),
            "retraction" => Fact::Retraction,
            other => {
                return Err(vec![FieldError::bilingual(
                    "kind",
                    None,
                    format!(
                        "unknown entry kind '{other}'; expected one of {}",
                        KINDS.join(", ")
                    ),
                    format!(
                        "ukjent type '{other}'; forventet én av {}",
                        KINDS.join(", ")
                    ),
                )]);
            }
        };
        let problems = fact.problems(prefix);
        if problems.is_empty() {
            Ok(fact)
        } else {
            Err(problems)
        }
    }

    /// Content problems (beyond shape), each naming its field under `prefix`.
    pub fn problems(&self, prefix: &str) -> Vec<FieldError> {
        let mut p = Problems {
            prefix,
            list: Vec::new(),
        };
        match self {
            Fact::Identity(x) => x.check(&mut p),
            Fact::Judgment(x) => x.check(&mut p),
            Fact::RemandOrder(x) => {
                p.text("court", &x.court, 200);
                if x.until < x.from {
                    p.add("until", "is before 'from'", "kan ikke være før første dag");
                }
                // Complete isolation excludes the person from all other inmates, partial from
                // named ones (straffeprosessloven § 186 a): one order cannot impose both.
                if x.restrictions.full_isolation && x.restrictions.partial_isolation {
                    p.add(
                        "restrictions.partial_isolation",
                        "full and partial isolation cannot both be ordered",
                        "full og delvis isolasjon kan ikke begge være besluttet",
                    );
                }
                if let Some(wish) = &x.placement_wish
                    && !PLACEMENT_WISHES.contains(&wish.as_str())
                {
                    p.add(
                        "placement_wish",
                        "must be 'apart' or 'with_convicted'",
                        "må være 'apart' eller 'with_convicted'",
                    );
                }
            }
            Fact::Movement(x) => {
                match MovementKind::parse(&x.movement) {
                    None => {
                        let kinds = MovementKind::ALL.map(MovementKind::as_str).join(", ");
                        p.add(
                            "movement",
                            format!("unknown movement '{}'; expected one of {kinds}", x.movement),
                            format!("ukjent bevegelse '{}'; forventet én av {kinds}", x.movement),
                        );
                    }
                    Some(kind) => {
                        if kind.needs_prison() && x.prison.is_none() {
                            p.add(
                                "prison",
                                "is required for this movement",
                                "må fylles ut for denne bevegelsen",
                            );
                        }
                        if kind.needs_basis() && x.basis.is_none() {
                            p.add(
                                "basis",
                                "is required for this movement",
                                "må fylles ut for denne bevegelsen",
                            );
                        }
                    }
                }
                if let Some(basis) = &x.basis
                    && CustodyBasis::parse(basis).is_none()
                {
                    let bases = CustodyBasis::ALL.map(CustodyBasis::as_str).join(", ");
                    p.add(
                        "basis",
                        format!("unknown basis '{basis}'; expected one of {bases}"),
                        format!("ukjent grunnlag '{basis}'; forventet én av {bases}"),
                    );
                }
                if let Some(note) = &x.note {
                    p.text("note", note, 2000);
                }
                let handover = MovementKind::parse(&x.movement) == Some(MovementKind::Handover);
                match &x.institution {
                    Some(institution) if handover => p.text("institution", institution, 200),
                    Some(_) => p.add(
                        "institution",
                        "is only for a handover to mandatory psychiatric care",
                        "gjelder bare overføring til tvungent psykisk helsevern",
                    ),
                    None if handover => p.add(
                        "institution",
                        "is required for a handover: the health institution that receives the person",
                        "må fylles ut ved overføring: helseinstitusjonen som tar imot personen",
                    ),
                    None => {}
                }
                // Reasons that belong to a place taken in a department.
                let takes_place = matches!(
                    MovementKind::parse(&x.movement),
                    Some(MovementKind::Admission | MovementKind::Transfer)
                );
                for (field, reason) in [
                    ("youth_exception", &x.youth_exception),
                    ("capacity_override", &x.capacity_override),
                ] {
                    if let Some(reason) = reason {
                        p.text(field, reason, CAPACITY_OVERRIDE_MAX);
                        if !takes_place {
                            p.add(
                                field,
                                "is only for an admission or a transfer (a place taken in a department)",
                                "gjelder bare innsettelse og overføring (når en plass tas i en avdeling)",
                            );
                        }
                    }
                }
            }
            Fact::SecurityLevel(x) => {
                if SecurityLevel::parse(&x.level).is_none() {
                    p.add(
                        "level",
                        "must be 'high', 'lower' or 'halfway'",
                        "må være 'high', 'lower' eller 'halfway'",
                    );
                }
                if let Some(reason) = &x.reason {
                    p.text("reason", reason, 4000);
                }
            }
            Fact::NonCounting(x) => {
                if x.to < x.from {
                    p.add("to", "is before 'from'", "kan ikke være før første dag");
                }
                if !NonCountingReason::ALL
                    .iter()
                    .any(|r| r.as_str() == x.reason)
                {
                    let reasons = NonCountingReason::ALL
                        .map(NonCountingReason::as_str)
                        .join(", ");
                    p.add(
                        "reason",
                        format!("must be one of {reasons}"),
                        format!("må være én av {reasons}"),
                    );
                }
            }
            Fact::Supervision(x) => {
                if !SUPERVISION_KINDS.contains(&x.supervision.as_str()) {
                    p.add(
                        "supervision",
                        "must be 'electronic_monitoring', 'parole', 'community_sentence' or 'driving_programme'",
                        "må være 'electronic_monitoring', 'parole', 'community_sentence' eller 'driving_programme'",
                    );
                }
                p.text("office", &x.office, 20);
                if let Some(reason) = &x.office_reason {
                    p.text("office_reason", reason, 2000);
                }
                if x.until < x.from {
                    p.add("until", "is before 'from'", "kan ikke være før første dag");
                }
            }
            Fact::ContactOfficer(x) => p.text("officer", &x.officer, 40),
            Fact::Summons(x) => {
                p.text("prison", &x.prison, 20);
                if PlannedForm::parse(&x.form).is_none() {
                    p.add(
                        "form",
                        format!("unknown form '{}'; expected prison or em", x.form),
                        format!(
                            "ukjent gjennomføringsform '{}'; forventet prison eller em",
                            x.form
                        ),
                    );
                }
                if let Some(reason) = &x.late_reason {
                    p.text("late_reason", reason, 2000);
                }
            }
            Fact::NonAppearance(x) => {
                if let Some(note) = &x.note {
                    p.text("note", note, 2000);
                }
            }
            Fact::Expulsion(x) => {
                p.text("authority", &x.authority, 200);
                if let Some(reference) = &x.reference {
                    p.text("reference", reference, 100);
                }
                if x.final_on.is_some_and(|f| f < x.decided_on) {
                    p.add(
                        "final_on",
                        "is before the decision ('decided_on')",
                        "kan ikke være før vedtaksdagen",
                    );
                }
            }
            Fact::ReleasePlan(x) => {
                if !RELEASE_PLAN_AREAS.contains(&x.area.as_str()) {
                    let areas = RELEASE_PLAN_AREAS.join(", ");
                    p.add(
                        "area",
                        format!("must be one of {areas}"),
                        format!("må være én av {areas}"),
                    );
                }
                if !RELEASE_PLAN_STATUSES.contains(&x.status.as_str()) {
                    let statuses = RELEASE_PLAN_STATUSES.join(", ");
                    p.add(
                        "status",
                        format!("must be one of {statuses}"),
                        format!("må være én av {statuses}"),
                    );
                }
                if let Some(note) = &x.note {
                    p.text("note", note, 2000);
                }
            }
            Fact::ReleaseHandover(x) => {
                p.text("office", &x.office, 20);
                if let Some(note) = &x.note {
                    p.text("note", note, 2000);
                }
            }
            Fact::Retraction => {}
        }
        p.list
    }
}

impl Identity {
    fn check(&self, p: &mut Problems<'_>) {
        match (&self.identity_number, &self.temporary_id) {
            (None, None) => p.add(
                "identity_number",
                "give an identity number, or a temporary id when it is not known",
                "oppgi fødselsnummer, eller en midlertidig id når det ikke er kjent",
            ),
            (Some(number), _) if !identity_number_is_valid(number) => p.add(
                "identity_number",
                "must be 11 digits with valid control digits (fødselsnummer or D-nummer)",
                "må være 11 siffer med gyldige kontrollsifre (fødselsnummer eller D-nummer)",
            ),
            _ => {}
        }
        if let Some(id) = &self.temporary_id {
            p.text("temporary_id", id, 40);
        }
        p.text("family_name", &self.family_name, 100);
        p.text("given_names", &self.given_names, 100);
        if self.birth_date.year() < 1900 {
            p.add("birth_date", "is before 1900", "kan ikke være før 1900");
        }
        if !SEXES.contains(&self.sex.as_str()) {
            p.add(
                "sex",
                "must be 'female', 'male' or 'unspecified'",
                "må være 'female', 'male' eller 'unspecified'",
            );
        }
        if self.citizenship.len() != 2 || !self.citizenship.chars().all(|c| c.is_ascii_uppercase())
        {
            p.add(
                "citizenship",
                "must be a two-letter ISO 3166 code in capitals, e.g. NO (XX when unknown)",
                "må være en landkode på to store bokstaver etter ISO 3166, f.eks. NO (XX når ukjent)",
            );
        }
        for (i, language) in self.languages.iter().enumerate() {
            if !(2..=3).contains(&language.len())
                || !language.chars().all(|c| c.is_ascii_lowercase())
            {
                p.add(
                    &format!("languages[{i}]"),
                    "must be an ISO 639 code in lower case, e.g. nb",
                    "må være en språkkode etter ISO 639 med små bokstaver, f.eks. nb",
                );
            }
        }
        if let Some(home) = &self.home_municipality {
            p.text("home_municipality", home, 100);
        }
    }
}

impl Judgment {
    fn check(&self, p: &mut Problems<'_>) {
        p.text("case_number", &self.case_number, 60);
        p.text("court", &self.court, 200);
        if let Some(final_date) = self.final_date
            && final_date < self.decision_date
        {
            p.add(
                "final_date",
                "is before the decision date",
                "kan ikke være før domsdatoen",
            );
        }
        let executed = !self.sentences.is_empty()
            || self.preventive_detention.is_some()
            || self.community_sentence.is_some()
            || self.youth_sentence.is_some();
        if !executed && self.driving_programme.is_none() {
            p.add(
                "sentences",
                "a judgment needs at least one sentence, preventive detention, a community sentence, a youth sentence or the programme against intoxicated driving",
                "en dom må ha minst én fengselsstraff, forvaring, samfunnsstraff, ungdomsstraff eller program mot ruspåvirket kjøring",
            );
        }
        if self.youth_sentence.is_some() {
            if !self.sentences.is_empty()
                || self.preventive_detention.is_some()
                || self.community_sentence.is_some()
                || self.driving_programme.is_some()
            {
                p.add(
                    "youth_sentence",
                    "a youth sentence is imposed instead of prison (strl § 52 a, R-YOUTH-3): register the other sanctions as their own judgment",
                    "ungdomsstraff idømmes i stedet for fengsel (strl § 52 a, R-YOUTH-3): registrer andre straffer som en egen dom",
                );
            }
            if self.offence_date.is_none() {
                p.add(
                    "offence_date",
                    "is required with a youth sentence: R-YOUTH-3 needs the offender's age at the act",
                    "må fylles ut ved ungdomsstraff: R-YOUTH-3 krever domfeltes alder på handlingstidspunktet",
                );
            }
        }
        if let Some(offence) = self.offence_date
            && offence > self.decision_date
        {
            p.add(
                "offence_date",
                "is after the decision date",
                "kan ikke være etter domsdatoen",
            );
        }
        if let Some(programme) = &self.driving_programme {
            for e in halden_domain::programme::check_condition(
                self.decision_date,
                &programme.condition(),
            ) {
                // The date rule refuses the programme itself (the decision date is not wrong);
                // the figures name their own fields under it.
                let e = if e.field == "decision_date" {
                    FieldError {
                        field: String::new(),
                        ..e
                    }
                    .under("driving_programme")
                } else {
                    e.under("driving_programme")
                };
                p.push(e);
            }
        }
        if !executed {
            // A wholly suspended sentence: nothing for the engine to compute.
            return;
        }
        // The sentence part is checked by the engine's own contract parser and validation, with a
        // provisional admission on the day the judgment became final.
        let probe = self.engine_input(self.final_date.unwrap_or(self.decision_date));
        let errors = match halden_wire::parse_case(&probe) {
            Ok(case) => halden_domain::validate::validate(&case).errors,
            Err(errors) => errors,
        };
        for e in errors {
            p.push(e);
        }
    }

    /// The judgment as `halden calc` input, with `admission` on the given day.
    pub fn engine_input(&self, admission: Date) -> Value {
        // (`received` is passed on so the result carries the summons dates, R-INNK-1.)
        let mut input = serde_json::json!({
            "admission": admission.to_string(),
            "decision_date": self.decision_date.to_string(),
            "remand_deduction_days": self.remand_deduction_days,
            "offence_class": self.offence_class,
            "sentences": self.sentences,
        });
        if let Some(obj) = input.as_object_mut() {
            if let Some(received) = self.received {
                obj.insert("received".into(), received.to_string().into());
            }
            if let Some(pd) = &self.preventive_detention {
                obj.insert("preventive_detention".into(), pd.clone());
            }
            if let Some(cs) = &self.community_sentence {
                obj.insert("community_sentence".into(), cs.clone());
            }
            if let Some(youth) = &self.youth_sentence {
                obj.insert("youth_sentence".into(), youth.clone());
            }
        }
        input
    }

    /// The checks that need the person: with a youth sentence, the offender must have been under
    /// 18 at the act (R-YOUTH-3, strl § 52 a), from `birth_date` and the judgment's
    /// `offence_date`. Each problem is named under `prefix` (`offence_date`, `youth_sentence`).
    pub fn offender_problems(&self, birth_date: Date, prefix: &str) -> Vec<FieldError> {
        let mut p = Problems {
            prefix,
            list: Vec::new(),
        };
        let (Some(_), Some(offence)) = (&self.youth_sentence, self.offence_date) else {
            return p.list;
        };
        if offence < birth_date {
            p.add(
                "offence_date",
                format!("is before the offender's birth date ({birth_date})"),
                format!("er før domfeltes fødselsdato ({birth_date})"),
            );
            return p.list;
        }
        let age = halden_domain::validate::age_on(birth_date, offence);
        if age >= halden_domain::law::AGE_OF_MAJORITY {
            p.add(
                "offence_date",
                format!(
                    "the offender (born {birth_date}) was {age} at the act on {offence}: a youth sentence is only for an offender under 18 at the act (R-YOUTH-3, strl § 52 a)"
                ),
                format!(
                    "domfelte (født {birth_date}) var {age} år på handlingstidspunktet {offence}: ungdomsstraff kan bare idømmes den som var under 18 år da (R-YOUTH-3, strl § 52 a)"
                ),
            );
        }
        p.list
    }
}

/// The field a deserialisation error belongs to: its path under `prefix`. The path of a missing
/// field is its parent's (the field is named in the message and appended); the path of an
/// unknown field already ends with it.
pub fn field_path(prefix: &str, path: &str, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    let inner = match (path, missing.or(unknown)) {
        (".", Some(name)) => name.to_string(),
        (".", None) => String::new(),
        (p, Some(name)) if missing.is_some() => format!("{p}.{name}"),
        (p, Some(name)) if p != name && !p.ends_with(&format!(".{name}")) => {
            format!("{p}.{name}")
        }
        (p, _) => p.to_string(),
    };
    match (prefix.is_empty(), inner.is_empty()) {
        (true, true) => "$".to_string(),
        (true, false) => inner,
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}.{inner}"),
    }
}

struct Problems<'a> {
    prefix: &'a str,
    list: Vec<FieldError>,
}

impl Problems<'_> {
    /// A problem with `field` (under the prefix), in English and bokmål.
    fn add(&mut self, field: &str, en: impl Into<String>, nb: impl Into<String>) {
        self.push(FieldError::bilingual(field, None, en, nb));
    }

    /// A problem found by someone else (the engine), moved under the prefix.
    fn push(&mut self, error: FieldError) {
        self.list.push(error.under(self.prefix));
    }

    fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "must not be empty", "må fylles ut");
        } else if value.chars().count() > max {
            self.add(
                field,
                format!("is longer than {max} characters"),
                format!("er lengre enn {max} tegn"),
            );
        }
    }
}

/// Reads a payload of type `T`: serde's first failure as a problem named by its field under
/// `prefix` (`payload.hours`), in serde's English and, in bokmål, what the field needs. Every
/// typed payload of the API (register entries, probation workflows) is read through it.
///
/// # Errors
///
/// The first field that does not fit.
pub fn read_payload<T: serde::de::DeserializeOwned>(
    payload: &Value,
    prefix: &str,
) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        shape_error(prefix, &path, e.into_inner().to_string())
    })
}

/// A payload that does not have the shape of its kind (serde's first failure), named by field.
///
/// The English keeps serde's own words (the API's contract); the bokmål says what the field
/// needs, from what the payload structs declare it to be.
fn shape_error(prefix: &str, path: &str, message: String) -> FieldError {
    let field = field_path(prefix, path, &message);
    let leaf = field
        .rsplit(['.', '['])
        .next()
        .unwrap_or_default()
        .trim_end_matches(']');
    let nb = if message.starts_with("missing field `") {
        "må fylles ut"
    } else if message.starts_with("unknown field `") {
        "ukjent felt"
    } else if DATE_FIELDS.contains(&leaf) {
        "må være en dato (ÅÅÅÅ-MM-DD)"
    } else if leaf == "at" {
        "må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)"
    } else if FLAG_FIELDS.contains(&leaf) {
        "må være true eller false"
    } else if leaf == "remand_deduction_days" {
        "må være et heltall, 0 eller mer"
    } else {
        "har feil form eller type"
    };
    FieldError::bilingual(field, None, message, nb)
}

/// The payload fields that are dates.
const DATE_FIELDS: [&str; 6] = [
    "from",
    "to",
    "until",
    "birth_date",
    "decision_date",
    "final_date",
];

/// The payload fields that are true or false.
const FLAG_FIELDS: [&str; 5] = [
    "interpreter_needed",
    "full_isolation",
    "partial_isolation",
    "letter_ban",
    "visit_ban",
];

/// A remand prisoner's stated wish (strgjfl § 3 fifth paragraph).
pub const PLACEMENT_WISHES: [&str; 2] = ["apart", "with_convicted"];

/// The kinds of supervision a probation office carries out.
pub const SUPERVISION_KINDS: [&str; 4] = [
    "electronic_monitoring",
    "parole",
    "community_sentence",
    "driving_programme",
];

/// The values of `sex`.
pub const SEXES: [&str; 3] = ["female", "male", "unspecified"];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test fixtures")]

    use super::*;
    use halden_domain::explain::Lang;
    use serde_json::json;

    fn problems(kind: &str, payload: Value) -> Vec<FieldError> {
        Fact::from_payload(kind, &payload, "payload").unwrap_err()
    }

    #[test]
    fn an_unknown_field_is_named_once_and_a_missing_one_under_its_parent() {
        // serde_path_to_error: an unknown field's path ends with it; a missing field's path is
        // its parent's.
        let unknown = problems(
            "movement",
            json!({"movement": "admission", "at": "2025-01-01T09:00", "extra": 1}),
        );
        assert_eq!(unknown[0].field, "payload.extra");
        assert_eq!(
            field_path(
                "payload",
                "extra",
                "unknown field `extra`, expected one of `a`"
            ),
            "payload.extra"
        );
        assert_eq!(
            field_path("payload", "plan.extra", "unknown field `extra`"),
            "payload.plan.extra"
        );
        assert_eq!(
            field_path("payload", "plan", "missing field `hours`"),
            "payload.plan.hours"
        );
        assert_eq!(
            field_path("payload", ".", "missing field `kind`"),
            "payload.kind"
        );
        assert_eq!(field_path("", ".", "invalid type"), "$");
    }

    #[test]
    fn every_payload_problem_names_its_field_in_english_and_bokmal() {
        let cases = [
            ("nonsense", json!({})),
            (
                "remand_order",
                json!({"from": "2025-01-01", "until": "2025-01-10"}),
            ),
            (
                "remand_order",
                json!({"court": "Oslo", "from": "2025-01-01", "until": "x"}),
            ),
            (
                "remand_order",
                json!({"court": "Oslo", "from": "2025-01-01", "until": "2025-01-10",
                                     "restrictions": {"full_isolation": "yes"}}),
            ),
            (
                "remand_order",
                json!({"court": " ", "from": "2025-02-01", "until": "2025-01-10",
                                     "restrictions": {"full_isolation": true, "partial_isolation": true},
                                     "placement_wish": "alone"}),
            ),
            (
                "movement",
                json!({"movement": "fly", "at": "2025-01-01T10:00", "basis": "whim",
                                "note": "x".repeat(2001)}),
            ),
            (
                "movement",
                json!({"movement": "admission", "at": "2025-01-01T10:00"}),
            ),
            (
                "movement",
                json!({"movement": "leave_out", "at": "yesterday"}),
            ),
            (
                "security_level",
                json!({"level": "medium", "from": "2025-01-01"}),
            ),
            (
                "security_level",
                json!({"level": "high", "from": "2025-01-01", "colour": "red"}),
            ),
            (
                "non_counting",
                json!({"from": "2025-02-01", "to": "2025-01-01", "reason": "sleep"}),
            ),
            (
                "supervision",
                json!({"supervision": "house_arrest", "office": "",
                                   "from": "2025-02-01", "until": "2025-01-01"}),
            ),
            (
                "identity",
                json!({"family_name": "", "given_names": "A", "birth_date": "1890-01-01",
                                "sex": "x", "citizenship": "no", "languages": ["Norsk"]}),
            ),
            (
                "identity",
                json!({"identity_number": "12345678901", "family_name": "A",
                                "given_names": "B", "birth_date": "1990-01-01", "sex": "male",
                                "citizenship": "NO", "interpreter_needed": "no"}),
            ),
            (
                "judgment",
                json!({"case_number": "1", "court": "Oslo tingrett",
                                "decision_date": "2025-01-10", "final_date": "2025-01-01"}),
            ),
            (
                "judgment",
                json!({"case_number": "1", "court": "Oslo tingrett",
                                "decision_date": "2025-01-10",
                                "sentences": [{"kind": "prison", "days": 3}]}),
            ),
        ];
        let mut missing = Vec::new();
        for (kind, payload) in cases {
            let found = problems(kind, payload.clone());
            assert!(!found.is_empty(), "{kind} {payload}");
            for p in found {
                match p.message_in(Lang::Nb) {
                    Some(nb) if !nb.is_empty() && nb != p.message => {}
                    _ => missing.push(format!("{kind}: {}: {}", p.field, p.message)),
                }
                if kind != "nonsense" {
                    assert!(p.field.starts_with("payload"), "{kind}: {}", p.field);
                }
            }
        }
        assert!(missing.is_empty(), "\n{}", missing.join("\n"));
    }

    #[test]
    fn a_missing_or_malformed_field_says_what_it_needs() {
        let found = problems(
            "non_counting",
            json!({"to": "2025-01-01", "reason": "escape"}),
        );
        assert_eq!(found[0].field, "payload.from");
        assert_eq!(found[0].message_in(Lang::Nb), Some("må fylles ut"));
        let found = problems(
            "non_counting",
            json!({"from": "1. mai", "to": "2025-01-01", "reason": "escape"}),
        );
        assert_eq!(found[0].field, "payload.from");
        assert_eq!(
            found[0].message_in(Lang::Nb),
            Some("må være en dato (ÅÅÅÅ-MM-DD)")
        );
    }

    #[test]
    fn an_order_cannot_impose_full_and_partial_isolation_at_once() {
        let order = |full, partial| {
            json!({"court": "Oslo tingrett", "from": "2025-01-01", "until": "2025-01-28",
                   "restrictions": {"full_isolation": full, "partial_isolation": partial}})
        };
        assert!(Fact::from_payload("remand_order", &order(true, false), "payload").is_ok());
        assert!(Fact::from_payload("remand_order", &order(false, true), "payload").is_ok());
        let found = problems("remand_order", order(true, true));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "payload.restrictions.partial_isolation");
    }
}
