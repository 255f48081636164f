//! The register's rules (BRIEF §3.2): identity numbers, movements and the custody state they
//! project to.
//!
//! The register itself is append-only and lives in storage; this module decides, without any I/O,
//! whether a movement may follow the ones before it and what the person's current custody state
//! is. Storage folds a person's effective movements through [`CustodyState::apply`] in the same
//! transaction that appends a new one, so the projection and the log never disagree.

use jiff::civil::{Date, DateTime};

use crate::case::{NonCountingInterval, NonCountingReason};
use crate::policy::NonCountingDays;

/// Why a person is held (grunnlag for frihetsberøvelsen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustodyBasis {
    /// Remand in custody (varetektsfengsling), straffeprosessloven § 171.
    Remand,
    /// Serving a prison sentence (fengselsstraff).
    Sentence,
    /// Preventive detention (forvaring), straffeloven § 40.
    PreventiveDetention,
    /// Serving a default sentence for an unpaid fine (subsidiær fengselsstraff).
    FineDefault,
}

/// The security level of a place (sikkerhetsnivå), strgjfl § 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecurityLevel {
    /// Halfway house (overgangsbolig), the lowest level.
    Halfway,
    /// Lower security (lavere sikkerhetsnivå, open prison).
    Lower,
    /// High security (høyt sikkerhetsnivå, closed prison).
    High,
}

/// The kinds of movement the register records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    /// Admission to a prison (innsettelse); opens a custody episode.
    Admission,
    /// The basis of custody changes, e.g. remand becomes a sentence when the judgment is final.
    BasisChange,
    /// Transfer to another prison (overføring).
    Transfer,
    /// Leaves on leave (permisjon).
    LeaveOut,
    /// Returns from leave.
    LeaveReturn,
    /// Escapes, or fails to return from leave (rømning / unnlatt retur).
    Escape,
    /// Recaptured or returned after an escape (pågripelse).
    Recapture,
    /// Taken to hospital.
    HospitalOut,
    /// Back from hospital.
    HospitalReturn,
    /// Taken to court.
    CourtOut,
    /// Back from court.
    CourtReturn,
    /// Released (løslatelse); closes the custody episode.
    Release,
    /// Handed over to the health service for mandatory psychiatric care (overføring til
    /// tvungent psykisk helsevern, straffeloven § 62): closes the custody episode, and the case
    /// leaves the correctional service (BRIEF §3.7).
    Handover,
}

impl MovementKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [MovementKind; 13] = [
        MovementKind::Admission,
        MovementKind::BasisChange,
        MovementKind::Transfer,
        MovementKind::LeaveOut,
        MovementKind::LeaveReturn,
        MovementKind::Escape,
        MovementKind::Recapture,
        MovementKind::HospitalOut,
        MovementKind::HospitalReturn,
        MovementKind::CourtOut,
        MovementKind::CourtReturn,
        MovementKind::Release,
        MovementKind::Handover,
    ];

    /// The stable machine name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Admission => "admission",
            MovementKind::BasisChange => "basis_change",
            MovementKind::Transfer => "transfer",
            MovementKind::LeaveOut => "leave_out",
            MovementKind::LeaveReturn => "leave_return",
            MovementKind::Escape => "escape",
            MovementKind::Recapture => "recapture",
            MovementKind::HospitalOut => "hospital_out",
            MovementKind::HospitalReturn => "hospital_return",
            MovementKind::CourtOut => "court_out",
            MovementKind::CourtReturn => "court_return",
            MovementKind::Release => "release",
            MovementKind::Handover => "handover",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A short label in English and bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            MovementKind::Admission => ("admission", "innsettelse"),
            MovementKind::BasisChange => ("change of basis", "endret grunnlag"),
            MovementKind::Transfer => ("transfer", "overføring"),
            MovementKind::LeaveOut => ("out on leave", "ut på permisjon"),
            MovementKind::LeaveReturn => ("back from leave", "tilbake fra permisjon"),
            MovementKind::Escape => ("escape", "rømning"),
            MovementKind::Recapture => ("recapture", "pågripelse"),
            MovementKind::HospitalOut => ("to hospital", "til sykehus"),
            MovementKind::HospitalReturn => ("back from hospital", "tilbake fra sykehus"),
            MovementKind::CourtOut => ("to court", "til retten"),
            MovementKind::CourtReturn => ("back from court", "tilbake fra retten"),
            MovementKind::Release => ("release", "løslatelse"),
            MovementKind::Handover => (
                "handover to mandatory psychiatric care",
                "overføring til tvungent psykisk helsevern",
            ),
        }
    }

    /// Whether the movement names the prison the person goes to.
    pub fn needs_prison(self) -> bool {
        matches!(self, MovementKind::Admission | MovementKind::Transfer)
    }

    /// Whether the movement closes the custody episode (release, or handover to the health
    /// service).
    pub fn ends_episode(self) -> bool {
        matches!(self, MovementKind::Release | MovementKind::Handover)
    }

    /// Whether the movement names a basis of custody.
    pub fn needs_basis(self) -> bool {
        matches!(self, MovementKind::Admission | MovementKind::BasisChange)
    }
}

impl CustodyBasis {
    /// Every basis.
    pub const ALL: [CustodyBasis; 4] = [
        CustodyBasis::Remand,
        CustodyBasis::Sentence,
        CustodyBasis::PreventiveDetention,
        CustodyBasis::FineDefault,
    ];

    /// The stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            CustodyBasis::Remand => "remand",
            CustodyBasis::Sentence => "sentence",
            CustodyBasis::PreventiveDetention => "preventive_detention",
            CustodyBasis::FineDefault => "fine_default",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<CustodyBasis> {
        CustodyBasis::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// A short label in English and bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            CustodyBasis::Remand => ("remand", "varetekt"),
            CustodyBasis::Sentence => ("sentence", "fengselsstraff"),
            CustodyBasis::PreventiveDetention => ("preventive detention", "forvaring"),
            CustodyBasis::FineDefault => (
                "alternative imprisonment for a fine",
                "subsidiær fengselsstraff for bot",
            ),
        }
    }

    /// Whether the days held count toward a sentence being served (remand does not: it is
    /// deducted by the court instead, straffeloven § 83).
    pub fn is_serving(self) -> bool {
        !matches!(self, CustodyBasis::Remand)
    }
}

impl SecurityLevel {
    /// Every level, lowest first (the normality principle: the lowest level is the default).
    pub const ALL: [SecurityLevel; 3] = [
        SecurityLevel::Halfway,
        SecurityLevel::Lower,
        SecurityLevel::High,
    ];

    /// The stable machine name (as in the estate's `prisons.csv`).
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityLevel::Halfway => "halfway",
            SecurityLevel::Lower => "lower",
            SecurityLevel::High => "high",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<SecurityLevel> {
        SecurityLevel::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// A short label in English and bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            SecurityLevel::Halfway => ("halfway house", "overgangsbolig"),
            SecurityLevel::Lower => ("lower security", "lavere sikkerhetsnivå"),
            SecurityLevel::High => ("high security", "høyt sikkerhetsnivå"),
        }
    }
}

/// Where a person stands today, as far as custody goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustodyStatus {
    /// Never admitted, or nothing recorded yet.
    NotAdmitted,
    /// In prison.
    Present,
    /// Out on leave.
    OnLeave,
    /// Escaped or failed to return.
    Escaped,
    /// At hospital.
    AtHospital,
    /// At court.
    AtCourt,
    /// Released; the last custody episode is closed.
    Released,
}

impl CustodyStatus {
    /// Every status.
    pub const ALL: [CustodyStatus; 7] = [
        CustodyStatus::NotAdmitted,
        CustodyStatus::Present,
        CustodyStatus::OnLeave,
        CustodyStatus::Escaped,
        CustodyStatus::AtHospital,
        CustodyStatus::AtCourt,
        CustodyStatus::Released,
    ];

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<CustodyStatus> {
        CustodyStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A short label in English and bokmål.
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            CustodyStatus::NotAdmitted => ("not admitted", "ikke innsatt"),
            CustodyStatus::Present => ("present", "til stede"),
            CustodyStatus::OnLeave => ("on leave", "på permisjon"),
            CustodyStatus::Escaped => ("escaped", "rømt"),
            CustodyStatus::AtHospital => ("at hospital", "på sykehus"),
            CustodyStatus::AtCourt => ("at court", "i retten"),
            CustodyStatus::Released => ("released", "løslatt"),
        }
    }

    /// The stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            CustodyStatus::NotAdmitted => "not_admitted",
            CustodyStatus::Present => "present",
            CustodyStatus::OnLeave => "on_leave",
            CustodyStatus::Escaped => "escaped",
            CustodyStatus::AtHospital => "at_hospital",
            CustodyStatus::AtCourt => "at_court",
            CustodyStatus::Released => "released",
        }
    }

    /// Whether the person is in a custody episode (counted on the prison's roll).
    pub fn in_custody(self) -> bool {
        !matches!(self, CustodyStatus::NotAdmitted | CustodyStatus::Released)
    }
}

/// One movement as the fold needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// What happened.
    pub kind: MovementKind,
    /// When (Europe/Oslo civil time).
    pub at: DateTime,
    /// The prison moved to, for admissions, transfers and (optionally) recaptures.
    pub prison: Option<String>,
    /// The basis of custody, for admissions and basis changes.
    pub basis: Option<CustodyBasis>,
    /// For leave: when the person is due back. A later return raises an incident, and the whole
    /// days between are not counted as sentence time (R-CALC-5 b, strgjfl § 40).
    pub due_back: Option<DateTime>,
}

/// What happened that the service must act on (BRIEF §1, safety): raised by the fold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// What kind.
    pub kind: IncidentKind,
    /// When the person was due back.
    pub due: DateTime,
    /// When they returned, or when the failure to return was recorded as an escape.
    pub at: DateTime,
    /// The whole days not counted for it, if any (R-CALC-5): only while serving, and only for
    /// the days wholly outside (the policy of RULES.md Q3, as for escapes).
    pub not_counted: Option<NonCountingInterval>,
}

/// The kinds of incident the fold raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentKind {
    /// Came back from leave after the time due (for sent tilbake).
    LateReturn,
    /// Did not come back from leave at all (unnlatt retur): recorded as an escape.
    FailureToReturn,
}

impl IncidentKind {
    /// The machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            IncidentKind::LateReturn => "late_return",
            IncidentKind::FailureToReturn => "failure_to_return",
        }
    }

    /// (English, bokmål).
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            IncidentKind::LateReturn => ("late return from leave", "for sen retur fra permisjon"),
            IncidentKind::FailureToReturn => (
                "failure to return from leave",
                "unnlatt retur fra permisjon",
            ),
        }
    }
}

/// Why a movement cannot follow the ones before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementError {
    /// The field at fault (`kind`, `at`, `prison` or `basis`).
    pub field: &'static str,
    /// What is wrong, in English.
    pub message: String,
    /// The same in bokmål.
    pub message_nb: String,
}

impl From<MovementError> for crate::validate::FieldError {
    fn from(e: MovementError) -> Self {
        crate::validate::FieldError::bilingual(e.field, None, e.message, e.message_nb)
    }
}

/// A person's custody state: the projection of their movements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyState {
    /// Where they stand.
    pub status: CustodyStatus,
    /// The prison they belong to in the current episode (also while on leave, escaped, …).
    pub prison: Option<String>,
    /// The basis of the current episode.
    pub basis: Option<CustodyBasis>,
    /// The first day of the current custody episode.
    pub episode_start: Option<Date>,
    /// The first day of serving in the current episode (admission on a serving basis, or the
    /// day remand turned into serving); the engine's `admission`.
    pub serving_start: Option<Date>,
    /// The time of the last movement; a new one may not be earlier.
    pub last_at: Option<DateTime>,
    /// Days that do not count toward the sentence, from escapes in the current serving
    /// (strgjfl § 40; whole days outside, RULES.md Q-policy default).
    pub non_counting: Vec<NonCountingInterval>,
    /// Late and missed returns from leave, in every episode, oldest first.
    pub incidents: Vec<Incident>,
    /// When the last episode ended in a handover to mandatory psychiatric care: the case has
    /// left the correctional service (until a new admission).
    pub handed_over: Option<DateTime>,
    escaped_at: Option<DateTime>,
    due_back: Option<DateTime>,
}

impl Default for CustodyState {
    fn default() -> Self {
        CustodyState {
            status: CustodyStatus::NotAdmitted,
            prison: None,
            basis: None,
            episode_start: None,
            serving_start: None,
            last_at: None,
            non_counting: Vec::new(),
            incidents: Vec::new(),
            handed_over: None,
            escaped_at: None,
            due_back: None,
        }
    }
}

impl CustodyState {
    /// Folds movements, in order, into a state; stops at the first that cannot follow.
    pub fn project<'a>(
        movements: impl IntoIterator<Item = &'a Movement>,
    ) -> Result<CustodyState, MovementError> {
        let mut state = CustodyState::default();
        for movement in movements {
            state.apply(movement)?;
        }
        Ok(state)
    }

    /// Checks that `movement` may follow the current state and applies it.
    pub fn apply(&mut self, movement: &Movement) -> Result<(), MovementError> {
        use CustodyStatus as S;
        use MovementKind as K;
        if let Some(last) = self.last_at
            && movement.at < last
        {
            return Err(MovementError {
                field: "at",
                message: format!(
                    "is before the last recorded movement ({last}); record movements in order"
                ),
                message_nb: format!(
                    "er før siste registrerte bevegelse ({last}); bevegelser registreres i rekkefølge"
                ),
            });
        }
        if movement.kind.needs_prison() && movement.prison.is_none() {
            return Err(MovementError {
                field: "prison",
                message: "is required for this kind of movement".into(),
                message_nb: "må fylles ut for denne bevegelsen".into(),
            });
        }
        if movement.kind.needs_basis() && movement.basis.is_none() {
            return Err(MovementError {
                field: "basis",
                message: "is required for this kind of movement".into(),
                message_nb: "må fylles ut for denne bevegelsen".into(),
            });
        }
        if let Some(due) = movement.due_back {
            if movement.kind != K::LeaveOut {
                return Err(MovementError {
                    field: "due_back",
                    message: "is only for leave_out".into(),
                    message_nb: "gjelder bare utgang på permisjon".into(),
                });
            }
            if due <= movement.at {
                return Err(MovementError {
                    field: "due_back",
                    message: format!("must be after the leave starts ({})", movement.at),
                    message_nb: format!("må være etter at permisjonen starter ({})", movement.at),
                });
            }
        }
        let allowed: &[CustodyStatus] = match movement.kind {
            K::Admission => &[S::NotAdmitted, S::Released],
            K::BasisChange | K::Transfer | K::LeaveOut | K::HospitalOut | K::CourtOut => {
                &[S::Present]
            }
            K::LeaveReturn => &[S::OnLeave],
            K::Escape => &[S::Present, S::OnLeave, S::AtHospital, S::AtCourt],
            K::Recapture => &[S::Escaped],
            K::HospitalReturn => &[S::AtHospital],
            K::CourtReturn => &[S::AtCourt],
            K::Release | K::Handover => &[S::Present, S::OnLeave, S::AtHospital, S::AtCourt],
        };
        if !allowed.contains(&self.status) {
            return Err(MovementError {
                field: "kind",
                message: format!(
                    "{} cannot follow the person's current status ({})",
                    movement.kind.as_str(),
                    self.status.as_str()
                ),
                message_nb: format!(
                    "«{}» kan ikke registreres når personens status er «{}»",
                    movement.kind.label().1,
                    self.status.label().1
                ),
            });
        }
        let date = movement.at.date();
        match movement.kind {
            K::Admission => {
                *self = CustodyState {
                    status: S::Present,
                    prison: movement.prison.clone(),
                    basis: movement.basis,
                    episode_start: Some(date),
                    serving_start: movement.basis.filter(|b| b.is_serving()).map(|_| date),
                    last_at: None,
                    non_counting: Vec::new(),
                    incidents: std::mem::take(&mut self.incidents),
                    escaped_at: None,
                    due_back: None,
                    handed_over: None,
                };
            }
            K::BasisChange => {
                let becomes_serving = movement.basis.is_some_and(CustodyBasis::is_serving);
                if becomes_serving && self.serving_start.is_none() {
                    self.serving_start = Some(date);
                }
                self.basis = movement.basis;
            }
            K::Transfer => self.prison = movement.prison.clone(),
            K::LeaveOut => {
                self.status = S::OnLeave;
                self.due_back = movement.due_back;
            }
            K::HospitalOut => self.status = S::AtHospital,
            K::CourtOut => self.status = S::AtCourt,
            K::LeaveReturn => {
                if let Some(due) = self.due_back.take()
                    && movement.at > due
                {
                    let not_counted =
                        self.not_counted(due, movement.at, NonCountingReason::FailureToReturn);
                    self.incidents.push(Incident {
                        kind: IncidentKind::LateReturn,
                        due,
                        at: movement.at,
                        not_counted,
                    });
                }
                self.status = S::Present;
            }
            K::HospitalReturn | K::CourtReturn => self.status = S::Present,
            K::Escape => {
                // A failure to return from leave: the absence began when the person was due.
                let due = self.due_back.take().filter(|due| *due < movement.at);
                if let Some(due) = due {
                    self.incidents.push(Incident {
                        kind: IncidentKind::FailureToReturn,
                        due,
                        at: movement.at,
                        not_counted: None,
                    });
                }
                self.status = S::Escaped;
                self.escaped_at = Some(due.unwrap_or(movement.at));
            }
            K::Recapture => {
                if let Some(prison) = &movement.prison {
                    self.prison = Some(prison.clone());
                }
                if let Some(left) = self.escaped_at.take() {
                    let reason = match self.incidents.last_mut() {
                        Some(i) if i.kind == IncidentKind::FailureToReturn && i.due == left => {
                            NonCountingReason::FailureToReturn
                        }
                        _ => NonCountingReason::Escape,
                    };
                    let interval = self.not_counted(left, movement.at, reason);
                    if reason == NonCountingReason::FailureToReturn
                        && let Some(incident) = self.incidents.last_mut()
                    {
                        incident.not_counted = interval;
                    }
                }
                self.status = S::Present;
            }
            K::Release => self.status = S::Released,
            K::Handover => {
                self.status = S::Released;
                self.handed_over = Some(movement.at);
            }
        }
        self.last_at = Some(movement.at);
        Ok(())
    }

    /// Records the whole days of an absence from `left` to `back` as not counted, when the
    /// person is serving (remand days are deducted by the court, not counted here), and returns
    /// them (R-CALC-5; whole days, the default of RULES.md Q3).
    fn not_counted(
        &mut self,
        left: DateTime,
        back: DateTime,
        reason: NonCountingReason,
    ) -> Option<NonCountingInterval> {
        self.serving_start?;
        let interval =
            NonCountingInterval::from_absence(left, back, reason, NonCountingDays::WholeDays)?;
        self.non_counting.push(interval);
        Some(interval)
    }
}

/// Checks a Norwegian identity number (fødselsnummer or D-nummer): 11 digits whose two control
/// digits satisfy the modulus-11 rule. Synthetic test numbers (month + 40 or + 80) pass too.
///
/// ```
/// use halden_domain::register::identity_number_is_valid;
/// assert!(identity_number_is_valid("15076500565"));
/// assert!(!identity_number_is_valid("15076500566"));
/// assert!(!identity_number_is_valid("1507650056"));
/// ```
pub fn identity_number_is_valid(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 11 || text.len() != 11 {
        return false;
    }
    const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let control = |weights: &[u32]| {
        let sum: u32 = weights.iter().zip(&digits).map(|(w, d)| w * d).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            c => Some(c),
        }
    };
    control(&K1) == Some(digits[9]) && control(&K2) == Some(digits[10])
}

/// Builds an identity number with valid control digits from its first nine digits, or `None`
/// when no control digit exists for them (the modulus gives 10).
pub fn identity_number_with_controls(first_nine: &str) -> Option<String> {
    if first_nine.len() != 9 || !first_nine.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    for c1 in 0..10 {
        for c2 in 0..10 {
            let candidate = format!("{first_nine}{c1}{c2}");
            if identity_number_is_valid(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, datetime};

    fn movement(kind: MovementKind, at: DateTime) -> Movement {
        Movement {
            kind,
            at,
            prison: kind.needs_prison().then(|| "P001".to_string()),
            basis: kind.needs_basis().then_some(CustodyBasis::Sentence),
            due_back: None,
        }
    }

    #[test]
    fn every_custody_status_is_listed_once() {
        for status in CustodyStatus::ALL {
            // A new variant fails to compile here until it is listed in `ALL` too.
            match status {
                CustodyStatus::NotAdmitted
                | CustodyStatus::Present
                | CustodyStatus::OnLeave
                | CustodyStatus::Escaped
                | CustodyStatus::AtHospital
                | CustodyStatus::AtCourt
                | CustodyStatus::Released => {}
            }
            let same = CustodyStatus::ALL.iter().filter(|s| **s == status).count();
            assert_eq!(same, 1, "{status:?}");
        }
    }

    #[test]
    fn an_escape_of_four_nights_is_three_whole_non_counting_days() {
        // Out 10 April 14:00, back 14 April 09:30: the whole days outside are 11, 12 and 13 April.
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            movement(MovementKind::Escape, datetime(2025, 4, 10, 14, 0, 0, 0)),
            movement(MovementKind::Recapture, datetime(2025, 4, 14, 9, 30, 0, 0)),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert_eq!(state.status, CustodyStatus::Present);
        assert_eq!(state.serving_start, Some(date(2025, 3, 3)));
        assert_eq!(state.non_counting.len(), 1);
        assert_eq!(
            (state.non_counting[0].from, state.non_counting[0].to),
            (date(2025, 4, 11), date(2025, 4, 13))
        );
    }

    fn leave(out: DateTime, due: DateTime) -> Movement {
        Movement {
            due_back: Some(due),
            ..movement(MovementKind::LeaveOut, out)
        }
    }

    #[test]
    fn a_return_two_nights_late_raises_an_incident_and_two_days_do_not_count() {
        // Out Friday 6 June 10:00, due back Sunday 8 June 18:00, back Wednesday 11 June 10:00.
        // Outside lawfully until 8 June 18:00; the whole days outside without leave are 9 and
        // 10 June (R-CALC-5 b; whole days, Q3): two days not counted. 11 June counts (back).
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            leave(
                datetime(2025, 6, 6, 10, 0, 0, 0),
                datetime(2025, 6, 8, 18, 0, 0, 0),
            ),
            movement(
                MovementKind::LeaveReturn,
                datetime(2025, 6, 11, 10, 0, 0, 0),
            ),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert_eq!(state.status, CustodyStatus::Present);
        assert_eq!(state.incidents.len(), 1);
        let incident = &state.incidents[0];
        assert_eq!(incident.kind, IncidentKind::LateReturn);
        assert_eq!(incident.due, datetime(2025, 6, 8, 18, 0, 0, 0));
        let days = incident.not_counted.unwrap();
        assert_eq!((days.from, days.to), (date(2025, 6, 9), date(2025, 6, 10)));
        assert_eq!(days.reason, NonCountingReason::FailureToReturn);
        assert_eq!(state.non_counting, vec![days]);
    }

    #[test]
    fn a_return_hours_late_is_an_incident_without_days_lost() {
        // Due back 8 June 18:00, back 9 June 08:00: no whole day outside, so nothing moves, but
        // the late return is still an incident for the unit to act on.
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            leave(
                datetime(2025, 6, 6, 10, 0, 0, 0),
                datetime(2025, 6, 8, 18, 0, 0, 0),
            ),
            movement(MovementKind::LeaveReturn, datetime(2025, 6, 9, 8, 0, 0, 0)),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert_eq!(state.incidents.len(), 1);
        assert_eq!(state.incidents[0].not_counted, None);
        assert!(state.non_counting.is_empty());
    }

    #[test]
    fn a_return_on_time_raises_nothing() {
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            leave(
                datetime(2025, 6, 6, 10, 0, 0, 0),
                datetime(2025, 6, 8, 18, 0, 0, 0),
            ),
            movement(MovementKind::LeaveReturn, datetime(2025, 6, 8, 18, 0, 0, 0)),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert!(state.incidents.is_empty() && state.non_counting.is_empty());
    }

    #[test]
    fn a_failure_to_return_counts_from_the_time_due_not_from_the_record() {
        // Due back 8 June 18:00, recorded as an escape 9 June 09:00, recaptured 13 June 15:00:
        // the whole days outside without leave are 9–12 June (four), counted from the time due.
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            leave(
                datetime(2025, 6, 6, 10, 0, 0, 0),
                datetime(2025, 6, 8, 18, 0, 0, 0),
            ),
            movement(MovementKind::Escape, datetime(2025, 6, 9, 9, 0, 0, 0)),
            movement(MovementKind::Recapture, datetime(2025, 6, 13, 15, 0, 0, 0)),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert_eq!(state.incidents.len(), 1);
        assert_eq!(state.incidents[0].kind, IncidentKind::FailureToReturn);
        let days = state.incidents[0].not_counted.unwrap();
        assert_eq!((days.from, days.to), (date(2025, 6, 9), date(2025, 6, 12)));
        assert_eq!(state.non_counting, vec![days]);
    }

    #[test]
    fn a_due_back_time_belongs_to_a_leave_and_follows_it() {
        let mut early = leave(
            datetime(2025, 6, 6, 10, 0, 0, 0),
            datetime(2025, 6, 6, 9, 0, 0, 0),
        );
        let admission = movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0));
        let error = CustodyState::project(&[admission.clone(), early.clone()]).unwrap_err();
        assert_eq!(error.field, "due_back");
        early.kind = MovementKind::HospitalOut;
        early.due_back = Some(datetime(2025, 6, 7, 9, 0, 0, 0));
        let error = CustodyState::project(&[admission, early]).unwrap_err();
        assert_eq!(error.field, "due_back");
    }

    #[test]
    fn remand_starts_serving_on_the_basis_change() {
        let mut admission = movement(MovementKind::Admission, datetime(2025, 1, 5, 9, 0, 0, 0));
        admission.basis = Some(CustodyBasis::Remand);
        let change = movement(
            MovementKind::BasisChange,
            datetime(2025, 2, 20, 12, 0, 0, 0),
        );
        let state = CustodyState::project(&[admission, change]).unwrap();
        assert_eq!(state.episode_start, Some(date(2025, 1, 5)));
        assert_eq!(state.serving_start, Some(date(2025, 2, 20)));
        assert_eq!(state.basis, Some(CustodyBasis::Sentence));
    }

    #[test]
    fn a_return_without_a_leave_is_refused_naming_the_kind() {
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            movement(MovementKind::LeaveReturn, datetime(2025, 3, 4, 10, 0, 0, 0)),
        ];
        let error = CustodyState::project(&moves).unwrap_err();
        assert_eq!(error.field, "kind");
        assert!(error.message.contains("present"), "{}", error.message);
        // The same in bokmål, with the kind and status in words.
        assert_eq!(
            error.message_nb,
            "«tilbake fra permisjon» kan ikke registreres når personens status er «til stede»"
        );
    }

    #[test]
    fn every_label_is_given_in_both_languages() {
        let labels = MovementKind::ALL
            .map(MovementKind::label)
            .into_iter()
            .chain(CustodyBasis::ALL.map(CustodyBasis::label))
            .chain(SecurityLevel::ALL.map(SecurityLevel::label))
            .chain(CustodyStatus::ALL.map(CustodyStatus::label));
        for (en, nb) in labels {
            assert!(!en.is_empty() && !nb.is_empty() && en != nb, "{en} / {nb}");
        }
        for status in CustodyStatus::ALL {
            assert_eq!(CustodyStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn movements_out_of_order_are_refused() {
        let moves = [
            movement(MovementKind::Admission, datetime(2025, 3, 3, 10, 0, 0, 0)),
            movement(MovementKind::LeaveOut, datetime(2025, 3, 2, 10, 0, 0, 0)),
        ];
        assert_eq!(CustodyState::project(&moves).unwrap_err().field, "at");
    }

    #[test]
    fn released_people_can_be_admitted_again() {
        let moves = [
            movement(MovementKind::Admission, datetime(2024, 3, 3, 10, 0, 0, 0)),
            movement(MovementKind::Release, datetime(2024, 6, 3, 10, 0, 0, 0)),
            movement(MovementKind::Admission, datetime(2025, 1, 3, 10, 0, 0, 0)),
        ];
        let state = CustodyState::project(&moves).unwrap();
        assert_eq!(state.episode_start, Some(date(2025, 1, 3)));
        assert!(state.status.in_custody());
    }

    #[test]
    fn a_handover_to_psychiatric_care_closes_the_episode_until_a_new_admission() {
        let remand = Movement {
            basis: Some(CustodyBasis::Remand),
            prison: Some("P001".into()),
            ..movement(MovementKind::Admission, datetime(2025, 1, 3, 10, 0, 0, 0))
        };
        let handover = movement(MovementKind::Handover, datetime(2025, 5, 20, 9, 0, 0, 0));
        let state = CustodyState::project([&remand, &handover]).unwrap();
        assert_eq!(state.status, CustodyStatus::Released);
        assert!(!state.status.in_custody());
        assert_eq!(state.handed_over, Some(datetime(2025, 5, 20, 9, 0, 0, 0)));
        // Nothing but an admission may follow: not a second handover, not a leave.
        let again = movement(MovementKind::Handover, datetime(2025, 5, 21, 9, 0, 0, 0));
        let err = CustodyState::project([&remand, &handover, &again]).unwrap_err();
        assert_eq!(err.field, "kind");
        let readmitted = Movement {
            at: datetime(2026, 2, 1, 10, 0, 0, 0),
            ..remand.clone()
        };
        let state = CustodyState::project([&remand, &handover, &readmitted]).unwrap();
        assert_eq!(state.handed_over, None);
        assert!(state.status.in_custody());
    }

    #[test]
    fn control_digits_follow_modulus_eleven() {
        // 150765 005 → k1 = 11 − (3·1+7·5+6·0+1·7+8·6+9·5+4·0+5·0+2·5) mod 11
        //            = 11 − (3+35+0+7+48+45+0+0+10 = 148) mod 11 = 11 − 5 = 6,
        // k2 = 11 − (5·1+4·5+3·0+2·7+7·6+6·5+5·0+4·0+3·5+2·6) mod 11
        //    = 11 − (5+20+0+14+42+30+0+0+15+12 = 138) mod 11 = 11 − 6 = 5.
        assert_eq!(
            identity_number_with_controls("150765005").as_deref(),
            Some("15076500565")
        );
    }
}
