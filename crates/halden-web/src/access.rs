//! Who may do what, on whom: roles and scopes (BRIEF §2). Every route asks here; nothing else
//! decides access.
//!
//! A refusal by role is 403 (the role never may); a person outside the caller's scope is 404, so
//! that a refusal does not reveal whether the person exists. Staff may read outside their scope by
//! "breaking the glass" with a stated purpose; such reads are flagged in the access log.

use halden_storage::{PersonRow, User};
use jiff::civil::Date;

use crate::error::ApiError;

/// The roles of BRIEF §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Prison officer: their unit's residents.
    Officer,
    /// Contact officer (kontaktbetjent): the residents of their unit assigned to them, plus
    /// progression work.
    Contact,
    /// Prison leader: their unit; decisions.
    Leader,
    /// National placement: the whole estate.
    Placement,
    /// Probation officer: their office's caseload.
    Probation,
    /// Health service provider (import model): persons in the prisons they serve, restricted view.
    Health,
    /// A prisoner: themselves.
    Prisoner,
    /// Analyst: aggregates only, never a person.
    Analyst,
    /// Administrator: users and reference data, the access log; no person records.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 9] = [
        Role::Officer,
        Role::Contact,
        Role::Leader,
        Role::Placement,
        Role::Probation,
        Role::Health,
        Role::Prisoner,
        Role::Analyst,
        Role::Admin,
    ];

    /// The machine name stored on accounts.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Contact => "contact",
            Role::Leader => "leader",
            Role::Placement => "placement",
            Role::Probation => "probation",
            Role::Health => "health",
            Role::Prisoner => "prisoner",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Prison staff scoped to a unit.
    pub fn is_unit_staff(self) -> bool {
        matches!(self, Role::Officer | Role::Contact | Role::Leader)
    }

    /// Whether the role may break the glass (read outside scope with a stated purpose).
    pub fn may_break_glass(self) -> bool {
        matches!(
            self,
            Role::Officer | Role::Contact | Role::Leader | Role::Probation
        )
    }
}

/// The roles that may read the probation office's case pages of a person (community, parole, EM).
pub const PROBATION_READERS: [Role; 3] = [Role::Probation, Role::Prisoner, Role::Placement];

/// How much of a person's record the caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The whole record.
    Full,
    /// Service provider: name, location and release date only.
    Restricted,
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub user: User,
    /// The role.
    pub role: Role,
    /// The CSRF token forms must carry (web sessions).
    pub csrf_token: String,
}

impl Caller {
    /// Builds a caller from an account; an account with an unknown role is refused.
    pub fn new(user: User, csrf_token: String) -> Result<Caller, ApiError> {
        let role = Role::parse(&user.role).ok_or(ApiError::Forbidden)?;
        Ok(Caller {
            user,
            role,
            csrf_token,
        })
    }

    /// The unit or office the caller's scope names.
    pub fn scope(&self) -> Option<&str> {
        self.user.scope_id.as_deref()
    }

    /// Refuses unless the caller has one of `roles` (403).
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The probation office's case pages of a person (community sentence, parole, EM):
    /// least privilege (BRIEF §2, issue 6 item 9) — the probation office of the person (scope is
    /// checked after, on the person), national placement (read) and the person themselves (own).
    /// Prison staff, even of the person's unit, health services, analysts and administrators
    /// are refused (403).
    pub fn require_probation_reader(&self) -> Result<(), ApiError> {
        self.require(&PROBATION_READERS)
    }

    /// The official statistics (issue 7): analysts only (BRIEF §2: aggregates, never a person).
    /// The published set is public and asks nobody.
    pub fn require_statistics(&self) -> Result<(), ApiError> {
        self.require(&[Role::Analyst])
    }

    /// Which part of the estate's capacity and occupancy the caller sees (BRIEF §2): national
    /// placement the whole estate (`None`), a prison leader their own unit (`Some(unit)`);
    /// every other role is refused (403). Counts only, never a person.
    pub fn capacity_scope(&self) -> Result<Option<&str>, ApiError> {
        match self.role {
            Role::Placement => Ok(None),
            Role::Leader => Ok(Some(self.scope().unwrap_or_default())),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// Whether the caller is the contact officer assigned to `person`.
    pub fn is_contact_officer_of(&self, person: &PersonRow) -> bool {
        person.contact_officer.as_deref() == Some(self.user.username.as_str())
    }

    /// Whether `person` is in the caller's scope today.
    pub fn in_scope(&self, person: &PersonRow, today: Date) -> bool {
        match self.role {
            Role::Officer | Role::Leader | Role::Health => {
                person.in_custody() && person.unit.as_deref() == self.scope()
            }
            Role::Contact => {
                person.in_custody()
                    && person.unit.as_deref() == self.scope()
                    && self.is_contact_officer_of(person)
            }
            // Their caseload, and the persons in custody handed over to their office before
            // release (issue 6, item 7).
            Role::Probation => self.scope().is_some_and(|office| {
                person.supervised_by(office, today) || person.handed_over_to(office)
            }),
            Role::Placement => true,
            Role::Prisoner => self.user.person_id == Some(person.id),
            Role::Analyst | Role::Admin => false,
        }
    }

    /// May the caller read `person`'s record, and how much? `purpose` breaks the glass.
    ///
    /// Returns the view and whether the glass was broken.
    pub fn read_person(
        &self,
        person: &PersonRow,
        today: Date,
        purpose: Option<&str>,
    ) -> Result<(View, bool), ApiError> {
        if matches!(self.role, Role::Analyst | Role::Admin) {
            return Err(ApiError::Forbidden);
        }
        let view = if self.role == Role::Health {
            View::Restricted
        } else {
            View::Full
        };
        if self.in_scope(person, today) {
            return Ok((view, false));
        }
        match purpose.map(str::trim).filter(|p| !p.is_empty()) {
            Some(_) if self.role.may_break_glass() => Ok((view, true)),
            _ => Err(ApiError::NotFound),
        }
    }

    /// May the caller read the full record (dates, history)? Service providers never may.
    pub fn read_full(
        &self,
        person: &PersonRow,
        today: Date,
        purpose: Option<&str>,
    ) -> Result<bool, ApiError> {
        if self.role == Role::Health {
            return Err(ApiError::Forbidden);
        }
        self.read_person(person, today, purpose)
            .map(|(_, glass)| glass)
    }

    /// Roles that may record each kind of entry (BRIEF §2).
    pub fn may_write(&self, kind: &str) -> bool {
        use Role::*;
        let allowed: &[Role] = match kind {
            "movement" => &[Officer, Contact, Leader, Placement],
            "identity" => &[Officer, Leader, Placement],
            "judgment" | "remand_order" | "security_level" | "non_counting" => &[Leader, Placement],
            "supervision" => &[Probation, Placement],
            "contact_officer" => &[Leader, Placement],
            // National placement runs the queue and sends summons (BRIEF §2); the prison the
            // person should have reported to records that they did not.
            "summons" => &[Placement],
            "non_appearance" => &[Officer, Leader, Placement],
            // The immigration authority's or court's decision, registered by the prison's
            // leader or national placement (BRIEF §3.7).
            "expulsion" => &[Leader, Placement],
            // The plan for life after release: the prison's staff and the probation office it
            // is handed over to; the handover itself is the prison's (BRIEF §3.5).
            "release_plan" => &[Officer, Contact, Leader, Probation],
            "release_handover" => &[Contact, Leader],
            _ => &[],
        };
        allowed.contains(&self.role)
    }

    /// May the caller write entries for `person` (scope)? Unit staff write for persons in their
    /// unit, probation for their caseload, placement for everyone.
    pub fn may_write_for(&self, person: &PersonRow, today: Date) -> bool {
        match self.role {
            Role::Officer | Role::Leader => {
                // A person not in custody may be admitted by any unit's staff.
                !person.in_custody() || person.unit.as_deref() == self.scope()
            }
            Role::Contact => {
                !person.in_custody()
                    || (person.unit.as_deref() == self.scope()
                        && self.is_contact_officer_of(person))
            }
            Role::Probation => true,
            Role::Placement => true,
            _ => self.in_scope(person, today),
        }
    }
}

/// What a caller may read of a person's youth sentence (R-YOUTH-3, issue 6 item 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YouthRead {
    /// The judgment, its execution period, the handovers and the § 52 c orders.
    Full,
    /// The handovers to the mediation service only: the probation office of the person's home,
    /// which has no caseload entry for a youth sentence.
    HandoverOnly,
}

impl Caller {
    /// Who reads a person's youth sentence: national placement, the person themselves and staff
    /// whose scope holds the person read it all; the probation office of the person's home
    /// location (`home_location`, nearest the home municipality) sees the handovers only; others
    /// get 404 (existence not revealed). The mediation service has no account in Halden.
    pub fn read_youth(
        &self,
        person: &PersonRow,
        today: Date,
        home_location: Option<&str>,
    ) -> Result<YouthRead, ApiError> {
        match self.role {
            Role::Analyst | Role::Admin | Role::Health => Err(ApiError::Forbidden),
            Role::Placement => Ok(YouthRead::Full),
            _ if self.in_scope(person, today) => Ok(YouthRead::Full),
            Role::Probation if home_location.is_some() && self.scope() == home_location => {
                Ok(YouthRead::HandoverOnly)
            }
            _ => Err(ApiError::NotFound),
        }
    }

    /// Kriminalomsorgen's part of a youth sentence (the handover to the mediation service, the
    /// § 52 c order) is recorded by national placement.
    pub fn may_record_youth(&self) -> bool {
        self.role == Role::Placement
    }
}

/// Why an account cannot be assigned as a person's contact officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOfficerRefusal {
    /// The account is disabled.
    Disabled,
    /// The account is not a contact officer's.
    NotContactOfficer,
    /// The person is not in custody in the account's unit.
    OtherUnit,
}

/// Whether `account` may be assigned as `person`'s contact officer: an active contact-officer
/// account of the unit the person is held in. `None` when it may; else why not. The assignment
/// API and the form's choices both ask here.
pub fn contact_officer_refusal(
    account: &User,
    person: &PersonRow,
) -> Option<ContactOfficerRefusal> {
    if account.is_disabled() {
        Some(ContactOfficerRefusal::Disabled)
    } else if account.role != Role::Contact.as_str() {
        Some(ContactOfficerRefusal::NotContactOfficer)
    } else if !person.in_custody() || account.scope_id.is_none() || account.scope_id != person.unit
    {
        Some(ContactOfficerRefusal::OtherUnit)
    } else {
        None
    }
}
