//! Decisions (vedtak) and appeals (klage): one model for every kind, and the rule that carries the
//! normality principle into every decision (BRIEF §1): **a decision that refuses, restricts, or
//! places higher than recommended cannot be saved without a legal ground from the catalogue and a
//! written reason; granting needs neither.**
//!
//! Pure: the catalogue's grounds, the recommendation and the dates arrive as parameters. The
//! storage keeps decisions append-only; the web layer checks the decider's authority against the
//! configured [`AuthorityLevel`] of the kind.
//!
//! Appeals follow the general administrative law, which RULES.md does not restate: the deadline
//! is three weeks from the day the decision was made known ([`law::APPEAL_DEADLINE_DAYS`],
//! forvaltningsloven § 29), and the appeal is decided one level up ([`AuthorityLevel::next`]).

use jiff::civil::Date;

use crate::{calendar::add_days, law, register::SecurityLevel, validate::FieldError};

/// The fewest characters a written reason may have: enough for a sentence, so that "no" or "x"
/// cannot stand for a reason. A convention of Halden, not a legal figure.
pub const REASON_MIN_CHARS: usize = 20;
/// The most characters a written reason (or an appeal's grounds) may have.
pub const TEXT_MAX_CHARS: usize = 8000;

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident = ($name:literal, $en:literal, $nb:literal, $family:ident, $level:ident), )*) => {
        /// What a decision decides. One list for decisions, applications and the authority
        /// configuration.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum DecisionKind {
            $( $(#[$doc])* $variant, )*
        }

        impl DecisionKind {
            /// Every kind, in the order forms list them.
            pub const ALL: &'static [DecisionKind] = &[$(DecisionKind::$variant),*];

            /// The machine name (API, database).
            pub const fn as_str(self) -> &'static str {
                match self { $(DecisionKind::$variant => $name,)* }
            }

            /// The name in English.
            pub const fn label_en(self) -> &'static str {
                match self { $(DecisionKind::$variant => $en,)* }
            }

            /// The name in bokmål.
            pub const fn label_nb(self) -> &'static str {
                match self { $(DecisionKind::$variant => $nb,)* }
            }

            /// How the kind is decided.
            pub const fn family(self) -> Family {
                match self { $(DecisionKind::$variant => Family::$family,)* }
            }

            /// Who decides it unless the administrator has configured otherwise.
            pub const fn default_authority(self) -> AuthorityLevel {
                match self { $(DecisionKind::$variant => AuthorityLevel::$level,)* }
            }
        }
    };
}

kinds! {
    /// Placement at a prison and security level (strgjfl §§ 10–14).
    Placement = ("placement", "placement", "plassering", Placement, Region),
    /// Transfer to another prison or level (strgjfl § 14).
    Transfer = ("transfer", "transfer", "overføring", Application, Region),
    /// Leave of any kind (strgjfl § 33).
    Leave = ("leave", "leave", "permisjon", Application, Prison),
    /// Day release for work or school (frigang, strgjfl § 20).
    Frigang = ("frigang", "day release (frigang)", "frigang", Application, Prison),
    /// Serving at home without EM (strgjfl § 16 first paragraph).
    HomeServing = ("home_serving", "home serving (§ 16)", "soning i hjemmet (§ 16)", Application, Prison),
    /// Back-door electronic monitoring (strgjfl § 16 a).
    EmBackDoor = ("em_back_door", "electronic monitoring (back door)", "elektronisk kontroll (bakdør)", Application, Prison),
    /// Release on parole (strgjfl § 42).
    Parole = ("parole", "parole", "prøveløslatelse", Application, Prison),
    /// A visit.
    Visit = ("visit", "visit", "besøk", Application, Prison),
    /// A programme (e.g. against intoxicated driving).
    Programme = ("programme", "programme", "program", Application, Prison),
    /// Postponement of the serving date (utsettelse, R-INNK-2).
    Postponement = ("postponement", "postponement", "utsettelse", Application, Region),
    /// Isolation (isolasjon).
    Isolation = ("isolation", "isolation", "isolasjon", Restriction, Prison),
    /// Exclusion from company (utelukkelse fra fellesskapet).
    ExclusionFromCompany = ("exclusion_from_company", "exclusion from company", "utelukkelse fra fellesskapet", Restriction, Prison),
    /// Control of visits (besøkskontroll).
    VisitControl = ("visit_control", "visit control", "besøkskontroll", Restriction, Prison),
    /// Control of letters (brevkontroll).
    LetterControl = ("letter_control", "letter control", "brevkontroll", Restriction, Prison),
}

impl DecisionKind {
    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<DecisionKind> {
        DecisionKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == text)
    }

    /// Whether the person (or their contact officer for them) may apply for it. Placements and
    /// restrictions are decided by the service, not applied for.
    pub const fn may_be_applied_for(self) -> bool {
        matches!(self.family(), Family::Application)
    }
}

/// How a kind is decided, and so which outcomes it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// An application: granted, partly granted or refused.
    Application,
    /// A restriction the service imposes or lifts.
    Restriction,
    /// A placement at a level, compared with the recommendation.
    Placement,
}

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Granted in full (innvilget).
    Granted,
    /// Granted in part (delvis innvilget): restrictive for the part refused.
    PartlyGranted,
    /// Refused (avslått).
    Refused,
    /// A restriction imposed (ilagt).
    Imposed,
    /// A restriction lifted (opphevet).
    Lifted,
    /// Placed (plassert), at the level the decision names.
    Placed,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 6] = [
        Outcome::Granted,
        Outcome::PartlyGranted,
        Outcome::Refused,
        Outcome::Imposed,
        Outcome::Lifted,
        Outcome::Placed,
    ];

    /// The machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::PartlyGranted => "partly_granted",
            Outcome::Refused => "refused",
            Outcome::Imposed => "imposed",
            Outcome::Lifted => "lifted",
            Outcome::Placed => "placed",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// In English.
    pub const fn label_en(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::PartlyGranted => "partly granted",
            Outcome::Refused => "refused",
            Outcome::Imposed => "imposed",
            Outcome::Lifted => "lifted",
            Outcome::Placed => "placed",
        }
    }

    /// In bokmål.
    pub const fn label_nb(self) -> &'static str {
        match self {
            Outcome::Granted => "innvilget",
            Outcome::PartlyGranted => "delvis innvilget",
            Outcome::Refused => "avslått",
            Outcome::Imposed => "ilagt",
            Outcome::Lifted => "opphevet",
            Outcome::Placed => "plassert",
        }
    }

    /// The outcomes a kind of the family may have.
    pub const fn for_family(family: Family) -> &'static [Outcome] {
        match family {
            Family::Application => &[Outcome::Granted, Outcome::PartlyGranted, Outcome::Refused],
            Family::Restriction => &[Outcome::Imposed, Outcome::Lifted],
            Family::Placement => &[Outcome::Placed],
        }
    }
}

/// The outcome of an appeal (klage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppealOutcome {
    /// The appeal succeeds: the decision is reversed in the person's favour (omgjort).
    Reversed,
    /// The appeal succeeds in part (delvis omgjort).
    PartlyReversed,
    /// The appeal fails: the decision stands (opprettholdt). Restrictive.
    Upheld,
}

impl AppealOutcome {
    /// Every outcome.
    pub const ALL: [AppealOutcome; 3] = [
        AppealOutcome::Reversed,
        AppealOutcome::PartlyReversed,
        AppealOutcome::Upheld,
    ];

    /// The machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Reversed => "reversed",
            AppealOutcome::PartlyReversed => "partly_reversed",
            AppealOutcome::Upheld => "upheld",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<AppealOutcome> {
        AppealOutcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// In English.
    pub const fn label_en(self) -> &'static str {
        match self {
            AppealOutcome::Reversed => "reversed",
            AppealOutcome::PartlyReversed => "partly reversed",
            AppealOutcome::Upheld => "upheld",
        }
    }

    /// In bokmål.
    pub const fn label_nb(self) -> &'static str {
        match self {
            AppealOutcome::Reversed => "omgjort",
            AppealOutcome::PartlyReversed => "delvis omgjort",
            AppealOutcome::Upheld => "opprettholdt",
        }
    }

    /// Whether the person loses, wholly or in part: then the appeal decision needs a ground and
    /// a reason, like any restrictive decision.
    pub const fn is_restrictive(self) -> bool {
        matches!(self, AppealOutcome::PartlyReversed | AppealOutcome::Upheld)
    }
}

/// The administrative level that decides (vedtaksmyndighet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthorityLevel {
    /// The prison's leader (fengselsleder).
    Prison,
    /// The regional office (regionkontor).
    Region,
    /// The national office (Kriminalomsorgsdirektoratet).
    National,
}

impl AuthorityLevel {
    /// Every level, lowest first.
    pub const ALL: [AuthorityLevel; 3] = [
        AuthorityLevel::Prison,
        AuthorityLevel::Region,
        AuthorityLevel::National,
    ];

    /// The machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuthorityLevel::Prison => "prison",
            AuthorityLevel::Region => "region",
            AuthorityLevel::National => "national",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<AuthorityLevel> {
        AuthorityLevel::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// In English.
    pub const fn label_en(self) -> &'static str {
        match self {
            AuthorityLevel::Prison => "prison leader",
            AuthorityLevel::Region => "regional office",
            AuthorityLevel::National => "national office",
        }
    }

    /// In bokmål.
    pub const fn label_nb(self) -> &'static str {
        match self {
            AuthorityLevel::Prison => "fengselsleder",
            AuthorityLevel::Region => "regionkontor",
            AuthorityLevel::National => "Kriminalomsorgsdirektoratet",
        }
    }

    /// The level an appeal goes to (klageinstans): the next one up. A decision of the national
    /// office is appealed to the ministry, outside the correctional service: `None`.
    pub const fn next(self) -> Option<AuthorityLevel> {
        match self {
            AuthorityLevel::Prison => Some(AuthorityLevel::Region),
            AuthorityLevel::Region => Some(AuthorityLevel::National),
            AuthorityLevel::National => None,
        }
    }
}

/// What the rules need to know of a catalogue ground (hjemmel) chosen for a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroundFacts<'a> {
    /// The kinds of decision it may ground.
    pub kinds: &'a [DecisionKind],
    /// Whether it has been retired from the catalogue.
    pub retired: bool,
}

/// A decision as the decider submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft<'a> {
    /// The kind.
    pub kind: DecisionKind,
    /// The outcome.
    pub outcome: Outcome,
    /// For a placement: the level chosen and the level recommended (the lowest the rules allow).
    pub placement: Option<PlacementLevels>,
    /// The ground chosen, if any (`None`: none chosen; `Some(None)`: an id that is not in the
    /// catalogue).
    pub legal_ground: Option<Option<GroundFacts<'a>>>,
    /// The written reason (may be empty).
    pub reason: &'a str,
}

/// The levels a placement compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementLevels {
    /// The level the decision places the person at.
    pub chosen: SecurityLevel,
    /// The lowest level the rules allow (`placement::recommended_level`).
    pub recommended: SecurityLevel,
}

/// Why a decision is restrictive: what its reason must answer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// It refuses an application, wholly or in part.
    Refuses,
    /// It imposes a restriction.
    Restricts,
    /// It places the person above the lowest level the rules allow.
    PlacesAboveRecommended,
    /// An appeal decision that upholds, wholly or in part, what was appealed.
    UpholdsOnAppeal,
}

impl Restriction {
    /// In English, as the reason a ground is asked for.
    pub const fn en(self) -> &'static str {
        match self {
            Restriction::Refuses => "a decision that refuses",
            Restriction::Restricts => "a decision that imposes a restriction",
            Restriction::PlacesAboveRecommended => {
                "a placement above the lowest security level the rules allow"
            }
            Restriction::UpholdsOnAppeal => "an appeal decision that upholds the decision",
        }
    }

    /// In bokmål.
    pub const fn nb(self) -> &'static str {
        match self {
            Restriction::Refuses => "et vedtak som avslår",
            Restriction::Restricts => "et vedtak som ilegger en restriksjon",
            Restriction::PlacesAboveRecommended => {
                "en plassering over det laveste sikkerhetsnivået reglene tillater"
            }
            Restriction::UpholdsOnAppeal => "et klagevedtak som opprettholder vedtaket",
        }
    }
}

/// Whether a decision of `kind` with `outcome` is restrictive, or an error on `outcome` when the
/// kind cannot have it (or on `level` when a placement lacks its levels).
///
/// ```
/// use halden_domain::decisions::{DecisionKind, Outcome, Restriction, restriction};
/// assert_eq!(restriction(DecisionKind::Leave, Outcome::Granted, None), Ok(None));
/// assert_eq!(
///     restriction(DecisionKind::Leave, Outcome::Refused, None),
///     Ok(Some(Restriction::Refuses))
/// );
/// assert!(restriction(DecisionKind::Leave, Outcome::Imposed, None).is_err());
/// ```
pub fn restriction(
    kind: DecisionKind,
    outcome: Outcome,
    placement: Option<PlacementLevels>,
) -> Result<Option<Restriction>, FieldError> {
    if !Outcome::for_family(kind.family()).contains(&outcome) {
        let allowed: Vec<&str> = Outcome::for_family(kind.family())
            .iter()
            .map(|o| o.as_str())
            .collect();
        return Err(FieldError::bilingual(
            "outcome",
            None,
            format!(
                "a {} decision cannot be '{}': choose one of {}",
                kind.label_en(),
                outcome.as_str(),
                allowed.join(", ")
            ),
            format!(
                "et vedtak om {} kan ikke være «{}»: velg en av {}",
                kind.label_nb(),
                outcome.label_nb(),
                Outcome::for_family(kind.family())
                    .iter()
                    .map(|o| o.label_nb())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(match outcome {
        Outcome::Granted | Outcome::Lifted => None,
        Outcome::PartlyGranted | Outcome::Refused => Some(Restriction::Refuses),
        Outcome::Imposed => Some(Restriction::Restricts),
        Outcome::Placed => {
            let levels = placement.ok_or_else(|| {
                FieldError::bilingual(
                    "level",
                    None,
                    "a placement names the security level",
                    "en plassering må angi sikkerhetsnivå",
                )
            })?;
            (levels.chosen > levels.recommended).then_some(Restriction::PlacesAboveRecommended)
        }
    })
}

/// Checks a decision before it is saved: the outcome fits the kind, and a restrictive decision has
/// a legal ground from the catalogue that applies to the kind and a written reason. Returns what
/// makes it restrictive, if anything. Every problem is reported, each naming its field.
pub fn check_decision(draft: &DecisionDraft<'_>) -> Result<Option<Restriction>, Vec<FieldError>> {
    let restrictive =
        restriction(draft.kind, draft.outcome, draft.placement).map_err(|e| vec![e])?;
    let mut errors = check_ground_and_reason(
        restrictive,
        &draft.legal_ground,
        draft.reason,
        Some(draft.kind),
    );
    if errors.is_empty() {
        Ok(restrictive)
    } else {
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        Err(errors)
    }
}

/// Checks an appeal decision: like any decision, upholding (wholly or in part) needs a ground and
/// a reason; reversing needs neither. `kind` is the appealed decision's kind.
pub fn check_appeal_decision(
    kind: DecisionKind,
    outcome: AppealOutcome,
    legal_ground: &Option<Option<GroundFacts<'_>>>,
    reason: &str,
) -> Result<Option<Restriction>, Vec<FieldError>> {
    let restrictive = outcome
        .is_restrictive()
        .then_some(Restriction::UpholdsOnAppeal);
    let errors = check_ground_and_reason(restrictive, legal_ground, reason, Some(kind));
    if errors.is_empty() {
        Ok(restrictive)
    } else {
        Err(errors)
    }
}

fn check_ground_and_reason(
    restrictive: Option<Restriction>,
    legal_ground: &Option<Option<GroundFacts<'_>>>,
    reason: &str,
    kind: Option<DecisionKind>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let reason_chars = reason.trim().chars().count();
    if reason_chars > TEXT_MAX_CHARS {
        errors.push(FieldError::bilingual(
            "reason",
            None,
            format!("is longer than {TEXT_MAX_CHARS} characters"),
            format!("er lengre enn {TEXT_MAX_CHARS} tegn"),
        ));
    }
    // A ground named must exist and fit, restrictive or not: a granting decision may cite one.
    match legal_ground {
        Some(None) => errors.push(FieldError::bilingual(
            "legal_ground",
            None,
            "is not in the catalogue of legal grounds",
            "finnes ikke i katalogen over hjemler",
        )),
        Some(Some(ground)) if ground.retired => errors.push(FieldError::bilingual(
            "legal_ground",
            None,
            "has been retired from the catalogue: choose one in force",
            "er tatt ut av katalogen: velg en hjemmel som gjelder",
        )),
        Some(Some(ground)) => {
            if let Some(kind) = kind
                && !ground.kinds.contains(&kind)
            {
                errors.push(FieldError::bilingual(
                    "legal_ground",
                    None,
                    format!("does not ground a {} decision", kind.label_en()),
                    format!("er ikke hjemmel for vedtak om {}", kind.label_nb()),
                ));
            }
        }
        None => {}
    }
    if let Some(restriction) = restrictive {
        if legal_ground.is_none() {
            errors.push(FieldError::bilingual(
                "legal_ground",
                None,
                format!(
                    "is required: {} cannot be saved without a legal ground from the catalogue",
                    restriction.en()
                ),
                format!(
                    "må velges: {} kan ikke lagres uten hjemmel fra katalogen",
                    restriction.nb()
                ),
            ));
        }
        if reason_chars < REASON_MIN_CHARS {
            errors.push(FieldError::bilingual(
                "reason",
                None,
                format!(
                    "is required: {} needs a written reason of at least {REASON_MIN_CHARS} characters",
                    restriction.en()
                ),
                format!(
                    "må fylles ut: {} krever en skriftlig begrunnelse på minst {REASON_MIN_CHARS} tegn",
                    restriction.nb()
                ),
            ));
        }
    }
    errors
}

/// The last day to appeal a decision made known on `notified_on`: three weeks later
/// (forvaltningsloven § 29).
///
/// ```
/// use halden_domain::decisions::appeal_deadline;
/// use jiff::civil::date;
/// assert_eq!(appeal_deadline(date(2026, 11, 25)), date(2026, 12, 16));
/// ```
pub fn appeal_deadline(notified_on: Date) -> Date {
    // Three weeks from any day jiff can hold, bar its last three weeks; there, the last day.
    add_days(notified_on, law::APPEAL_DEADLINE_DAYS).unwrap_or(Date::MAX)
}

/// Checks an appeal filed on `filed_on` against a decision: only a restrictive decision can be
/// appealed by the person it concerns (a decision wholly in their favour leaves nothing to
/// appeal), only once, and within the deadline, unless a reason for the delay is given
/// (forvaltningsloven § 31 lets the appeal body hear a late appeal).
pub fn check_appeal(
    decision_restrictive: bool,
    already_appealed: bool,
    deadline: Date,
    filed_on: Date,
    grounds: &str,
    late_reason: &str,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if !decision_restrictive {
        errors.push(FieldError::bilingual(
            "decision",
            None,
            "was wholly in the person's favour: there is nothing to appeal",
            "gikk fullt ut i personens favør: det er ingenting å klage på",
        ));
    }
    if already_appealed {
        errors.push(FieldError::bilingual(
            "decision",
            None,
            "has already been appealed",
            "er allerede påklaget",
        ));
    }
    let grounds_chars = grounds.trim().chars().count();
    if grounds_chars == 0 {
        errors.push(FieldError::bilingual(
            "grounds",
            None,
            "is required: say what is wrong with the decision",
            "må fylles ut: si hva som er galt med vedtaket",
        ));
    } else if grounds_chars > TEXT_MAX_CHARS {
        errors.push(FieldError::bilingual(
            "grounds",
            None,
            format!("is longer than {TEXT_MAX_CHARS} characters"),
            format!("er lengre enn {TEXT_MAX_CHARS} tegn"),
        ));
    }
    if filed_on > deadline && late_reason.trim().is_empty() {
        errors.push(FieldError::bilingual(
            "late_reason",
            None,
            format!(
                "is required: the appeal deadline was {deadline} (three weeks, {}); say why the appeal comes late",
                law::APPEAL_REFERENCE
            ),
            format!(
                "må fylles ut: klagefristen var {deadline} (tre uker, {}); si hvorfor klagen kommer for sent",
                law::APPEAL_REFERENCE
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
