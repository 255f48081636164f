//! Applications (søknader), decisions (vedtak), appeals (klager), the catalogue of legal grounds
//! (hjemler) and the authority per kind of decision (BRIEF §3.4). All append-only.
//!
//! The rule that a restrictive decision needs a legal ground and a written reason
//! ([`halden_domain::decisions::check_decision`]) is checked here, inside the transaction that
//! writes the decision, against the ground as it stands in that transaction: a ground retired a
//! moment earlier cannot slip through. One decision per application and one appeal per decision
//! are unique keys, so two deciders racing cannot both decide.

use halden_domain::{
    decisions::{
        self, AppealOutcome, AuthorityLevel, DecisionDraft, DecisionKind, GroundFacts, Outcome,
        PlacementLevels,
    },
    validate::FieldError,
};
use jiff::civil::Date;
use sqlx::{Any, Transaction};

use crate::{
    StorageError, Store, flag,
    idempotency::{AnswerKey, claim_key_in, keep_answer_in},
    now_text,
    register::{Actor, unique_violation},
};

/// A ground of the catalogue, with its retirement if it has been retired.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LegalGroundRow {
    /// Id.
    pub id: i64,
    /// The statute and section (`strgjfl § 33`).
    pub paragraph: String,
    /// Title in English.
    pub title_en: String,
    /// Title in bokmål.
    pub title_nb: String,
    /// The provision's content as the decision cites it, in English.
    pub text_en: String,
    /// The same in bokmål.
    pub text_nb: String,
    /// The kinds of decision it may ground, comma-separated machine names.
    pub kinds: String,
    /// The ground this one replaces (a new wording).
    pub replaces: Option<i64>,
    /// When added.
    pub created_at: String,
    /// By whom.
    pub created_by: String,
    /// When retired, if it has been.
    pub retired_at: Option<String>,
    /// Why retired.
    pub retired_reason: Option<String>,
}

impl LegalGroundRow {
    /// The kinds it may ground (unknown names, from a newer version, are skipped).
    pub fn decision_kinds(&self) -> Vec<DecisionKind> {
        self.kinds
            .split(',')
            .filter_map(|k| DecisionKind::parse(k.trim()))
            .collect()
    }

    /// Whether it is retired.
    pub fn is_retired(&self) -> bool {
        self.retired_at.is_some()
    }
}

const GROUND_COLUMNS: &str = "g.id, g.paragraph, g.title_en, g.title_nb, g.text_en, g.text_nb, g.kinds, \
     g.replaces, g.created_at, g.created_by, r.at AS retired_at, r.reason AS retired_reason";
const GROUND_FROM: &str =
    "legal_grounds g LEFT JOIN legal_ground_retirements r ON r.ground_id = g.id";

/// A new ground for the catalogue, validated by [`NewLegalGround::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLegalGround {
    /// The statute and section.
    pub paragraph: String,
    /// Title in English.
    pub title_en: String,
    /// Title in bokmål.
    pub title_nb: String,
    /// The provision's content, in English.
    pub text_en: String,
    /// The same in bokmål.
    pub text_nb: String,
    /// The kinds it may ground (at least one).
    pub kinds: Vec<DecisionKind>,
    /// The ground it replaces, which is retired with it.
    pub replaces: Option<i64>,
}

impl NewLegalGround {
    /// Every problem with the new ground, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("paragraph", &self.paragraph, 100),
            ("title_en", &self.title_en, 200),
            ("title_nb", &self.title_nb, 200),
            ("text_en", &self.text_en, decisions::TEXT_MAX_CHARS),
            ("text_nb", &self.text_nb, decisions::TEXT_MAX_CHARS),
        ] {
            let chars = value.trim().chars().count();
            if chars == 0 {
                errors.push(FieldError::bilingual(
                    field,
                    None,
                    "is required",
                    "må fylles ut",
                ));
            } else if chars > max {
                errors.push(FieldError::bilingual(
                    field,
                    None,
                    format!("is longer than {max} characters"),
                    format!("er lengre enn {max} tegn"),
                ));
            }
        }
        if self.kinds.is_empty() {
            errors.push(FieldError::bilingual(
                "kinds",
                None,
                "name at least one kind of decision the ground applies to",
                "velg minst én vedtakstype hjemmelen gjelder",
            ));
        }
        errors
    }
}

/// The authority configured for a kind of decision: the latest change, or the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// The kind.
    pub kind: DecisionKind,
    /// Who decides it.
    pub level: AuthorityLevel,
    /// The change that set it; `None` while the default holds.
    pub changed: Option<AuthorityChange>,
}

/// One change of the authority configuration.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuthorityChange {
    /// Id.
    pub id: i64,
    /// The kind (machine name).
    pub kind: String,
    /// The level (machine name).
    pub level: String,
    /// When.
    pub at: String,
    /// By whom.
    pub by_username: String,
    /// Why.
    pub reason: String,
}

/// An application as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    /// The person it is for.
    pub person_id: i64,
    /// What is applied for.
    pub kind: DecisionKind,
    /// What the person asks for, in their words.
    pub details: String,
    /// From when (leave, frigang …), if it matters.
    pub wanted_from: Option<Date>,
    /// Until when.
    pub wanted_until: Option<Date>,
    /// The level it is routed to (the authority configured for the kind at filing).
    pub authority: AuthorityLevel,
    /// The person's unit at filing: a prison-level application goes to that unit's leader.
    pub unit: Option<String>,
    /// Whether staff filed it on the person's behalf (the contact officer).
    pub on_behalf: bool,
    /// For a postponement: its ground (R-INNK-2), see [`POSTPONEMENT_GROUNDS`].
    pub postponement_ground: Option<String>,
    /// For a postponement on pregnancy: the due date; on an infant: the child's birth date.
    pub ground_date: Option<Date>,
    /// For leave: its kind, see [`LEAVE_KINDS`] (absent: ordinary).
    pub leave_kind: Option<String>,
    /// For a short leave: its hours.
    pub leave_hours: Option<i64>,
}

/// The kinds of leave an application may name (R-LEAVE-4): ordinary leave counts in the quota
/// (R-LEAVE-2), welfare and short leave do not.
pub const LEAVE_KINDS: [&str; 3] = ["ordinary", "welfare", "short"];

/// The longest a short leave can be asked for, in hours: within one day. What the rules allow
/// (R-LEAVE-4, up to 5 hours) is shown to the decider as a finding, not enforced on filing.
pub const SHORT_LEAVE_MAX_ASKED_HOURS: i64 = 24;

/// The grounds a postponement may name (R-INNK-2).
pub const POSTPONEMENT_GROUNDS: [&str; 5] = [
    "serious_illness",
    "pregnancy",
    "infant",
    "military_service",
    "other",
];

impl NewApplication {
    /// Every problem with the application's own fields.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !self.kind.may_be_applied_for() {
            errors.push(FieldError::bilingual(
                "kind",
                None,
                format!(
                    "'{}' is decided by the service, not applied for",
                    self.kind.as_str()
                ),
                format!(
                    "{} avgjøres av kriminalomsorgen, det søkes ikke om",
                    self.kind.label_nb()
                ),
            ));
        }
        let chars = self.details.trim().chars().count();
        if chars == 0 {
            errors.push(FieldError::bilingual(
                "details",
                None,
                "is required: say what you apply for and why",
                "må fylles ut: si hva du søker om og hvorfor",
            ));
        } else if chars > decisions::TEXT_MAX_CHARS {
            errors.push(FieldError::bilingual(
                "details",
                None,
                format!("is longer than {} characters", decisions::TEXT_MAX_CHARS),
                format!("er lengre enn {} tegn", decisions::TEXT_MAX_CHARS),
            ));
        }
        match (&self.postponement_ground, self.kind) {
            (None, DecisionKind::Postponement) => errors.push(FieldError::bilingual(
                "postponement_ground",
                None,
                format!(
                    "is required for a postponement: one of {}",
                    POSTPONEMENT_GROUNDS.join(", ")
                ),
                format!(
                    "må fylles ut for utsettelse: én av {}",
                    POSTPONEMENT_GROUNDS.join(", ")
                ),
            )),
            (Some(_), kind) if kind != DecisionKind::Postponement => {
                errors.push(FieldError::bilingual(
                    "postponement_ground",
                    None,
                    "is only for a postponement",
                    "gjelder bare utsettelse",
                ));
            }
            (Some(ground), _) if !POSTPONEMENT_GROUNDS.contains(&ground.as_str()) => {
                errors.push(FieldError::bilingual(
                    "postponement_ground",
                    None,
                    format!("must be one of {}", POSTPONEMENT_GROUNDS.join(", ")),
                    format!("må være én av {}", POSTPONEMENT_GROUNDS.join(", ")),
                ));
            }
            (Some(ground), _)
                if matches!(ground.as_str(), "pregnancy" | "infant")
                    && self.ground_date.is_none() =>
            {
                errors.push(FieldError::bilingual(
                    "ground_date",
                    None,
                    "is required: the due date for a pregnancy, the birth date for an infant",
                    "må fylles ut: termin ved graviditet, fødselsdato for et spedbarn",
                ));
            }
            _ => {}
        }
        match (&self.leave_kind, self.kind) {
            (Some(_), kind) if kind != DecisionKind::Leave => errors.push(FieldError::bilingual(
                "leave_kind",
                None,
                "is only for leave",
                "gjelder bare permisjon",
            )),
            (Some(k), _) if !LEAVE_KINDS.contains(&k.as_str()) => {
                errors.push(FieldError::bilingual(
                    "leave_kind",
                    None,
                    format!("must be one of {}", LEAVE_KINDS.join(", ")),
                    format!("må være én av {}", LEAVE_KINDS.join(", ")),
                ));
            }
            _ => {}
        }
        let short = self.leave_kind.as_deref() == Some("short");
        match self.leave_hours {
            None if short => errors.push(FieldError::bilingual(
                "leave_hours",
                None,
                "is required for a short leave",
                "må fylles ut for korttidspermisjon",
            )),
            Some(_) if !short => errors.push(FieldError::bilingual(
                "leave_hours",
                None,
                "is only for a short leave",
                "gjelder bare korttidspermisjon",
            )),
            Some(h) if !(1..=SHORT_LEAVE_MAX_ASKED_HOURS).contains(&h) => {
                errors.push(FieldError::bilingual(
                    "leave_hours",
                    None,
                    format!("must be 1 to {SHORT_LEAVE_MAX_ASKED_HOURS} hours"),
                    format!("må være 1 til {SHORT_LEAVE_MAX_ASKED_HOURS} timer"),
                ));
            }
            _ => {}
        }
        if let (Some(from), Some(until)) = (self.wanted_from, self.wanted_until)
            && until < from
        {
            errors.push(FieldError::bilingual(
                "wanted_until",
                None,
                format!("is before the first day ({from})"),
                format!("er før første dag ({from})"),
            ));
        }
        errors
    }
}

/// An application with how far it has come.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApplicationRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name, for lists.
    pub person_name: String,
    /// Kind (machine name).
    pub kind: String,
    /// What is asked for.
    pub details: String,
    /// From.
    pub wanted_from: Option<String>,
    /// Until.
    pub wanted_until: Option<String>,
    /// The level it is routed to.
    pub authority: String,
    /// The unit at filing.
    pub unit: Option<String>,
    /// When filed.
    pub filed_at: String,
    /// By whom (display name).
    pub filed_by_name: String,
    /// Filed by staff for the person.
    pub on_behalf: i64,
    /// For a postponement: its ground (R-INNK-2).
    pub postponement_ground: Option<String>,
    /// The due date or the child's birth date of that ground.
    pub ground_date: Option<String>,
    /// For leave: `ordinary`, `welfare` or `short` (NULL on leave: ordinary).
    pub leave_kind: Option<String>,
    /// For a short leave: its hours.
    pub leave_hours: Option<i64>,
    /// The decision, once decided.
    pub decision_id: Option<i64>,
    /// Its outcome.
    pub decision_outcome: Option<String>,
}

impl ApplicationRow {
    /// Whether staff filed it for the person.
    pub fn is_on_behalf(&self) -> bool {
        flag(self.on_behalf)
    }
}

/// A decision as the decider submits it. The storage checks it by the domain's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    /// The person.
    pub person_id: i64,
    /// Kind.
    pub kind: DecisionKind,
    /// Outcome (for an appeal decision, see `appeal`).
    pub outcome: Outcome,
    /// The ground chosen, if any.
    pub legal_ground_id: Option<i64>,
    /// The written reason.
    pub reason: String,
    /// What was decided in detail (JSON object text: dates, level, unit …).
    pub details: String,
    /// For a placement: the level chosen and the lowest the rules allow.
    pub placement: Option<PlacementLevels>,
    /// The level that decided.
    pub authority: AuthorityLevel,
    /// The person's unit at the decision.
    pub unit: Option<String>,
    /// The application decided, if any (it must be the person's and undecided).
    pub application_id: Option<i64>,
    /// The appeal decided, with its outcome, when this is an appeal decision.
    pub appeal: Option<(i64, AppealOutcome)>,
    /// The day the decision is made (and made known).
    pub decided_on: Date,
}

/// A decision with its ground and its appeal, as the person and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// Kind (machine name).
    pub kind: String,
    /// Outcome (machine name; for an appeal decision, the appeal's outcome).
    pub outcome: String,
    /// Whether it refuses, restricts or places above the recommendation (or upholds on appeal).
    pub restrictive: i64,
    /// The ground's id.
    pub legal_ground_id: Option<i64>,
    /// The ground's statute and section.
    pub ground_paragraph: Option<String>,
    /// The ground's title in English.
    pub ground_title_en: Option<String>,
    /// The ground's title in bokmål.
    pub ground_title_nb: Option<String>,
    /// The ground's text in English.
    pub ground_text_en: Option<String>,
    /// The ground's text in bokmål.
    pub ground_text_nb: Option<String>,
    /// The written reason.
    pub reason: String,
    /// Details (JSON object text).
    pub details: String,
    /// The level that decided.
    pub authority: String,
    /// The unit at the decision.
    pub unit: Option<String>,
    /// The application it decides.
    pub application_id: Option<i64>,
    /// The appeal it decides.
    pub appeal_id: Option<i64>,
    /// The last day to appeal; `None` when it cannot be appealed within the service.
    pub appeal_deadline: Option<String>,
    /// The day decided.
    pub decided_on: String,
    /// When recorded.
    pub decided_at: String,
    /// Who decided (account id).
    pub decided_by: i64,
    /// Who decided (display name).
    pub decided_by_name: String,
    /// The appeal against it, if any.
    pub appealed_by: Option<i64>,
}

impl DecisionRow {
    /// Whether it is restrictive.
    pub fn is_restrictive(&self) -> bool {
        flag(self.restrictive)
    }
}

const DECISION_COLUMNS: &str = "d.id, d.person_id, d.kind, d.outcome, d.restrictive, \
     d.legal_ground_id, g.paragraph AS ground_paragraph, g.title_en AS ground_title_en, \
     g.title_nb AS ground_title_nb, g.text_en AS ground_text_en, g.text_nb AS ground_text_nb, d.reason, d.details, d.authority, \
     d.unit, d.application_id, d.appeal_id, d.appeal_deadline, d.decided_on, d.decided_at, \
     d.decided_by, d.decided_by_name, a.id AS appealed_by";
const DECISION_FROM: &str = "decisions d LEFT JOIN legal_grounds g ON g.id = d.legal_ground_id \
     LEFT JOIN appeals a ON a.decision_id = d.id";

/// An appeal as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppeal {
    /// The decision appealed.
    pub decision_id: i64,
    /// What is wrong with it.
    pub grounds: String,
    /// Why the appeal comes after the deadline, when it does.
    pub late_reason: String,
    /// The day filed.
    pub filed_on: Date,
}

/// An appeal with the decision it appeals and, once decided, its own decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AppealRow {
    /// Id.
    pub id: i64,
    /// The decision appealed.
    pub decision_id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name, for lists.
    pub person_name: String,
    /// The appealed decision's kind.
    pub kind: String,
    /// The appealed decision's decider (account id): they may not decide the appeal.
    pub appealed_decided_by: i64,
    /// What is wrong with the decision, in the appellant's words.
    pub grounds: String,
    /// Why late, if late.
    pub late_reason: Option<String>,
    /// The level that decides the appeal.
    pub authority: String,
    /// The day filed.
    pub filed_on: String,
    /// Filed by (display name).
    pub filed_by_name: String,
    /// The appeal's own decision, once decided.
    pub appeal_decision_id: Option<i64>,
    /// Its outcome.
    pub appeal_outcome: Option<String>,
}

const APPEAL_SELECT: &str = "SELECT a.id, a.decision_id, a.person_id, \
     p.given_names || ' ' || p.family_name AS person_name, d.kind, \
     d.decided_by AS appealed_decided_by, a.grounds, a.late_reason, a.authority, a.filed_on, \
     a.filed_by_name, ad.id AS appeal_decision_id, ad.outcome AS appeal_outcome \
     FROM appeals a JOIN decisions d ON d.id = a.decision_id \
     JOIN persons p ON p.id = a.person_id \
     LEFT JOIN decisions ad ON ad.appeal_id = a.id";

const APPLICATION_SELECT: &str = "SELECT ap.id, ap.person_id, \
     p.given_names || ' ' || p.family_name AS person_name, ap.kind, ap.details, \
     ap.wanted_from, ap.wanted_until, ap.authority, ap.unit, ap.filed_at, ap.filed_by_name, \
     ap.on_behalf, ap.postponement_ground, ap.ground_date, ap.leave_kind, ap.leave_hours, \
     d.id AS decision_id, \
     d.outcome AS decision_outcome \
     FROM applications ap JOIN persons p ON p.id = ap.person_id \
     LEFT JOIN decisions d ON d.application_id = ap.id";

impl Store {
    /// The catalogue, in force first then retired, each by statute.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn legal_grounds(&self) -> Result<Vec<LegalGroundRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {GROUND_COLUMNS} FROM {GROUND_FROM} \
             ORDER BY (r.at IS NOT NULL), g.paragraph, g.id"
        ))
        .fetch_all(&self.read)
        .await?)
    }

    /// One ground.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn legal_ground(&self, id: i64) -> Result<Option<LegalGroundRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {GROUND_COLUMNS} FROM {GROUND_FROM} WHERE g.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?)
    }

    /// Adds a ground to the catalogue; when it replaces one, that one is retired with it.
    ///
    /// # Errors
    ///
    /// `Invalid` naming each field at fault (`replaces` when that ground is unknown or already
    /// retired); `KeyTaken`; database failures. Nothing is written then.
    pub async fn add_legal_ground(
        &self,
        by: &Actor,
        ground: &NewLegalGround,
        key: Option<&AnswerKey<i64>>,
    ) -> Result<i64, StorageError> {
        let errors = ground.validate();
        if !errors.is_empty() {
            return Err(StorageError::Invalid(errors));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        if let Some(old) = ground.replaces {
            let found = ground_in(&mut tx, old).await?;
            match found {
                None => {
                    return Err(StorageError::invalid_bilingual(
                        "replaces",
                        format!("ground {old} is not in the catalogue"),
                        format!("hjemmel {old} finnes ikke i katalogen"),
                    ));
                }
                Some(g) if g.is_retired() => {
                    return Err(StorageError::invalid_bilingual(
                        "replaces",
                        format!("ground {old} is already retired"),
                        format!("hjemmel {old} er allerede tatt ut"),
                    ));
                }
                Some(_) => {}
            }
        }
        let kinds: Vec<&str> = ground.kinds.iter().map(|k| k.as_str()).collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO legal_grounds (paragraph, title_en, title_nb, text_en, text_nb, kinds, \
             replaces, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(ground.paragraph.trim())
        .bind(ground.title_en.trim())
        .bind(ground.title_nb.trim())
        .bind(ground.text_en.trim())
        .bind(ground.text_nb.trim())
        .bind(kinds.join(","))
        .bind(ground.replaces)
        .bind(now_text())
        .bind(by.name.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(old) = ground.replaces {
            insert_retirement(&mut tx, by, old, &format!("replaced by ground {id}")).await?;
        }
        keep_answer_in(key, &mut tx, &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Retires a ground: it stays in the catalogue (decisions cite it) but grounds nothing new.
    ///
    /// # Errors
    ///
    /// `NotFound`; `Invalid` naming `reason` when blank, `id` when already retired.
    pub async fn retire_legal_ground(
        &self,
        by: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<(), StorageError> {
        if reason.trim().is_empty() {
            return Err(StorageError::invalid_bilingual(
                "reason",
                "is required",
                "må fylles ut",
            ));
        }
        let mut tx = self.write.begin().await?;
        let ground = ground_in(&mut tx, id)
            .await?
            .ok_or(StorageError::NotFound)?;
        if ground.is_retired() {
            return Err(StorageError::invalid_bilingual(
                "id",
                "the ground is already retired",
                "hjemmelen er allerede tatt ut",
            ));
        }
        insert_retirement(&mut tx, by, id, reason.trim()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The authority in force for every kind.
    ///
    /// # Errors
    ///
    /// A database failure; `Corrupt` for a stored level that is not one.
    pub async fn decision_authorities(&self) -> Result<Vec<Authority>, StorageError> {
        let changes: Vec<AuthorityChange> = sqlx::query_as(
            "SELECT id, kind, level, at, by_username, reason FROM decision_authority ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        DecisionKind::ALL
            .iter()
            .map(|&kind| {
                let latest = changes.iter().rev().find(|c| c.kind == kind.as_str());
                let level = match latest {
                    Some(c) => AuthorityLevel::parse(&c.level).ok_or_else(|| {
                        StorageError::Corrupt(format!("authority level '{}'", c.level))
                    })?,
                    None => kind.default_authority(),
                };
                Ok(Authority {
                    kind,
                    level,
                    changed: latest.cloned(),
                })
            })
            .collect()
    }

    /// The authority in force for one kind.
    ///
    /// # Errors
    ///
    /// As [`Store::decision_authorities`].
    pub async fn decision_authority(
        &self,
        kind: DecisionKind,
    ) -> Result<AuthorityLevel, StorageError> {
        let level: Option<String> = sqlx::query_scalar(
            "SELECT level FROM decision_authority WHERE kind = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(kind.as_str())
        .fetch_optional(&self.read)
        .await?;
        match level {
            None => Ok(kind.default_authority()),
            Some(level) => AuthorityLevel::parse(&level)
                .ok_or_else(|| StorageError::Corrupt(format!("authority level '{level}'"))),
        }
    }

    /// Changes who decides a kind, with the reason.
    ///
    /// # Errors
    ///
    /// `Invalid` naming `reason` when blank, `level` when it is already so.
    pub async fn set_decision_authority(
        &self,
        by: &Actor,
        kind: DecisionKind,
        level: AuthorityLevel,
        reason: &str,
    ) -> Result<(), StorageError> {
        if reason.trim().is_empty() {
            return Err(StorageError::invalid_bilingual(
                "reason",
                "is required",
                "må fylles ut",
            ));
        }
        let mut tx = self.write.begin().await?;
        let current: Option<String> = sqlx::query_scalar(
            "SELECT level FROM decision_authority WHERE kind = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(kind.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let current = current
            .as_deref()
            .and_then(AuthorityLevel::parse)
            .unwrap_or(kind.default_authority());
        if current == level {
            return Err(StorageError::invalid_bilingual(
                "level",
                format!(
                    "{} is already decided by the {}",
                    kind.label_en(),
                    level.label_en()
                ),
                format!(
                    "{} avgjøres allerede av {}",
                    kind.label_nb(),
                    level.label_nb()
                ),
            ));
        }
        sqlx::query(
            "INSERT INTO decision_authority (kind, level, at, by_username, reason) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(kind.as_str())
        .bind(level.as_str())
        .bind(now_text())
        .bind(by.name.as_str())
        .bind(reason.trim())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Files an application.
    ///
    /// # Errors
    ///
    /// `Invalid` naming each field at fault; `KeyTaken`; database failures.
    pub async fn file_application(
        &self,
        by: &Actor,
        application: &NewApplication,
        key: Option<&AnswerKey<i64>>,
    ) -> Result<i64, StorageError> {
        let errors = application.validate();
        if !errors.is_empty() {
            return Err(StorageError::Invalid(errors));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (person_id, kind, details, wanted_from, wanted_until, \
             authority, unit, filed_at, filed_by, filed_by_name, on_behalf, postponement_ground, \
             ground_date, leave_kind, leave_hours) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             RETURNING id",
        )
        .bind(application.person_id)
        .bind(application.kind.as_str())
        .bind(application.details.trim())
        .bind(application.wanted_from.map(|d| d.to_string()))
        .bind(application.wanted_until.map(|d| d.to_string()))
        .bind(application.authority.as_str())
        .bind(application.unit.as_deref())
        .bind(now_text())
        .bind(by.user_id.unwrap_or(0))
        .bind(by.name.as_str())
        .bind(i64::from(application.on_behalf))
        .bind(application.postponement_ground.as_deref())
        .bind(application.ground_date.map(|d| d.to_string()))
        .bind(application.leave_kind.as_deref())
        .bind(application.leave_hours)
        .fetch_one(&mut *tx)
        .await?;
        keep_answer_in(key, &mut tx, &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A person's applications, newest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn applications_for(
        &self,
        person_id: i64,
    ) -> Result<Vec<ApplicationRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "{APPLICATION_SELECT} WHERE ap.person_id = $1 ORDER BY ap.id DESC"
        ))
        .bind(person_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// One application.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn application(&self, id: i64) -> Result<Option<ApplicationRow>, StorageError> {
        Ok(
            sqlx::query_as(&format!("{APPLICATION_SELECT} WHERE ap.id = $1"))
                .bind(id)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Undecided applications routed to `authority` (and, for a prison, to `unit`), oldest first:
    /// a decider's in-tray.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn pending_applications(
        &self,
        authority: AuthorityLevel,
        unit: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ApplicationRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "{APPLICATION_SELECT} WHERE d.id IS NULL AND ap.authority = $1 \
             AND ($2 IS NULL OR ap.unit = $2) ORDER BY ap.id LIMIT $3"
        ))
        .bind(authority.as_str())
        .bind(unit)
        .bind(limit)
        .fetch_all(&self.read)
        .await?)
    }

    /// Records a decision, checked by the domain's rules against the catalogue as it stands in
    /// this transaction.
    ///
    /// # Errors
    ///
    /// `Invalid` naming each field at fault (`legal_ground`, `reason`, `outcome`, `level`;
    /// `application` when it is not the person's, not of this kind, or already decided; `appeal`
    /// likewise); `KeyTaken`; database failures. Nothing is written then.
    pub async fn record_decision(
        &self,
        by: &Actor,
        decision: &NewDecision,
        key: Option<&AnswerKey<i64>>,
    ) -> Result<i64, StorageError> {
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let ground = match decision.legal_ground_id {
            None => None,
            Some(id) => Some(ground_in(&mut tx, id).await?),
        };
        let kinds = ground
            .as_ref()
            .and_then(|g| g.as_ref().map(LegalGroundRow::decision_kinds))
            .unwrap_or_default();
        let facts = ground.as_ref().map(|g| {
            g.as_ref().map(|g| GroundFacts {
                kinds: &kinds,
                retired: g.is_retired(),
            })
        });
        let restrictive = match decision.appeal {
            Some((_, outcome)) => {
                decisions::check_appeal_decision(decision.kind, outcome, &facts, &decision.reason)
            }
            None => decisions::check_decision(&DecisionDraft {
                kind: decision.kind,
                outcome: decision.outcome,
                placement: decision.placement,
                legal_ground: facts.clone(),
                reason: &decision.reason,
            }),
        }
        .map_err(StorageError::Invalid)?;
        if let Some(application_id) = decision.application_id {
            check_application_in(&mut tx, application_id, decision).await?;
        }
        if let Some((appeal_id, _)) = decision.appeal {
            check_appeal_in(&mut tx, appeal_id, decision).await?;
        }
        // A restrictive decision can be appealed one level up, if there is a level up; an appeal
        // decision is final within the service.
        let appeal_deadline = (restrictive.is_some()
            && decision.appeal.is_none()
            && decision.authority.next().is_some())
        .then(|| decisions::appeal_deadline(decision.decided_on).to_string());
        let outcome = match decision.appeal {
            Some((_, outcome)) => outcome.as_str(),
            None => decision.outcome.as_str(),
        };
        let inserted = sqlx::query_scalar(
            "INSERT INTO decisions (person_id, kind, outcome, restrictive, legal_ground_id, \
             reason, details, authority, unit, application_id, appeal_id, appeal_deadline, \
             decided_on, decided_at, decided_by, decided_by_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(decision.person_id)
        .bind(decision.kind.as_str())
        .bind(outcome)
        .bind(i64::from(restrictive.is_some()))
        .bind(decision.legal_ground_id)
        .bind(decision.reason.trim())
        .bind(decision.details.as_str())
        .bind(decision.authority.as_str())
        .bind(decision.unit.as_deref())
        .bind(decision.application_id)
        .bind(decision.appeal.map(|(id, _)| id))
        .bind(appeal_deadline)
        .bind(decision.decided_on.to_string())
        .bind(now_text())
        .bind(by.user_id.unwrap_or(0))
        .bind(by.name.as_str())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            // Another decider decided the same application or appeal first.
            Err(e) if unique_violation(&e) => {
                let field = if decision.appeal.is_some() {
                    "appeal"
                } else {
                    "application"
                };
                return Err(StorageError::invalid_bilingual(
                    field,
                    "has already been decided",
                    "er allerede avgjort",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        keep_answer_in(key, &mut tx, &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A person's decisions, newest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn decisions_for(&self, person_id: i64) -> Result<Vec<DecisionRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {DECISION_COLUMNS} FROM {DECISION_FROM} WHERE d.person_id = $1 \
             ORDER BY d.id DESC"
        ))
        .bind(person_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// One decision.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn decision(&self, id: i64) -> Result<Option<DecisionRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {DECISION_COLUMNS} FROM {DECISION_FROM} WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?)
    }

    /// Files an appeal against a decision, to the level above the one that decided.
    ///
    /// # Errors
    ///
    /// `NotFound` for an unknown decision; `Invalid` naming `decision` (not appealable, already
    /// appealed), `grounds` or `late_reason`; `KeyTaken`; database failures.
    pub async fn file_appeal(
        &self,
        by: &Actor,
        appeal: &NewAppeal,
        key: Option<&AnswerKey<i64>>,
    ) -> Result<i64, StorageError> {
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let target: AppealTarget = sqlx::query_as(
            "SELECT d.person_id, d.restrictive, d.authority, d.appeal_deadline, \
             d.appeal_id AS decides_appeal, a.id AS appealed FROM decisions d \
             LEFT JOIN appeals a ON a.decision_id = d.id WHERE d.id = $1",
        )
        .bind(appeal.decision_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StorageError::NotFound)?;
        let AppealTarget {
            person_id,
            restrictive,
            authority,
            appeal_deadline: deadline,
            decides_appeal,
            appealed,
        } = target;
        let level = AuthorityLevel::parse(&authority)
            .ok_or_else(|| StorageError::Corrupt(format!("authority level '{authority}'")))?;
        let (Some(deadline), Some(next), None) = (deadline, level.next(), decides_appeal) else {
            return Err(StorageError::invalid_bilingual(
                "decision",
                "cannot be appealed within the correctional service",
                "kan ikke påklages innenfor kriminalomsorgen",
            ));
        };
        let deadline: Date = deadline
            .parse()
            .map_err(|_| StorageError::Corrupt(format!("appeal deadline '{deadline}'")))?;
        decisions::check_appeal(
            flag(restrictive),
            appealed.is_some(),
            deadline,
            appeal.filed_on,
            &appeal.grounds,
            &appeal.late_reason,
        )
        .map_err(StorageError::Invalid)?;
        let late_reason = (appeal.filed_on > deadline).then(|| appeal.late_reason.trim());
        let inserted = sqlx::query_scalar(
            "INSERT INTO appeals (decision_id, person_id, grounds, late_reason, authority, \
             filed_on, filed_at, filed_by, filed_by_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(appeal.decision_id)
        .bind(person_id)
        .bind(appeal.grounds.trim())
        .bind(late_reason)
        .bind(next.as_str())
        .bind(appeal.filed_on.to_string())
        .bind(now_text())
        .bind(by.user_id.unwrap_or(0))
        .bind(by.name.as_str())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            Err(e) if unique_violation(&e) => {
                return Err(StorageError::invalid_bilingual(
                    "decision",
                    "has already been appealed",
                    "er allerede påklaget",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        keep_answer_in(key, &mut tx, &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One appeal.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn appeal(&self, id: i64) -> Result<Option<AppealRow>, StorageError> {
        Ok(sqlx::query_as(&format!("{APPEAL_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// A person's appeals, newest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn appeals_for(&self, person_id: i64) -> Result<Vec<AppealRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "{APPEAL_SELECT} WHERE a.person_id = $1 ORDER BY a.id DESC"
        ))
        .bind(person_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Undecided appeals at `authority`, oldest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn pending_appeals(
        &self,
        authority: AuthorityLevel,
        limit: i64,
    ) -> Result<Vec<AppealRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "{APPEAL_SELECT} WHERE ad.id IS NULL AND a.authority = $1 ORDER BY a.id LIMIT $2"
        ))
        .bind(authority.as_str())
        .bind(limit)
        .fetch_all(&self.read)
        .await?)
    }
}

/// What filing an appeal needs to know of the decision appealed.
#[derive(sqlx::FromRow)]
struct AppealTarget {
    person_id: i64,
    restrictive: i64,
    authority: String,
    appeal_deadline: Option<String>,
    decides_appeal: Option<i64>,
    appealed: Option<i64>,
}

async fn ground_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<LegalGroundRow>, StorageError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {GROUND_COLUMNS} FROM {GROUND_FROM} WHERE g.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

async fn insert_retirement(
    tx: &mut Transaction<'static, Any>,
    by: &Actor,
    id: i64,
    reason: &str,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO legal_ground_retirements (ground_id, at, by_username, reason) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(now_text())
    .bind(by.name.as_str())
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The application must be the person's, of the decision's kind, and undecided.
async fn check_application_in(
    tx: &mut Transaction<'static, Any>,
    application_id: i64,
    decision: &NewDecision,
) -> Result<(), StorageError> {
    let found: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT ap.person_id, ap.kind, d.id FROM applications ap \
         LEFT JOIN decisions d ON d.application_id = ap.id WHERE ap.id = $1",
    )
    .bind(application_id)
    .fetch_optional(&mut **tx)
    .await?;
    let problem = match found {
        Some((person, _, _)) if person != decision.person_id => {
            Some(("is not this person's", "gjelder ikke denne personen"))
        }
        None => Some(("does not exist", "finnes ikke")),
        Some((_, kind, _)) if kind != decision.kind.as_str() => Some((
            "is for another kind of decision",
            "gjelder en annen vedtakstype",
        )),
        Some((_, _, Some(_))) => Some(("has already been decided", "er allerede avgjort")),
        Some(_) => None,
    };
    match problem {
        Some((en, nb)) => Err(StorageError::invalid_bilingual("application", en, nb)),
        None => Ok(()),
    }
}

/// The appeal must be against this person's decision of this kind, undecided, and at the level
/// deciding it.
async fn check_appeal_in(
    tx: &mut Transaction<'static, Any>,
    appeal_id: i64,
    decision: &NewDecision,
) -> Result<(), StorageError> {
    let found: Option<(i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT a.person_id, d.kind, a.authority, ad.id FROM appeals a \
         JOIN decisions d ON d.id = a.decision_id \
         LEFT JOIN decisions ad ON ad.appeal_id = a.id WHERE a.id = $1",
    )
    .bind(appeal_id)
    .fetch_optional(&mut **tx)
    .await?;
    let problem = match found {
        None => Some(("does not exist", "finnes ikke")),
        Some((person, ..)) if person != decision.person_id => {
            Some(("is not this person's", "gjelder ikke denne personen"))
        }
        Some((_, kind, ..)) if kind != decision.kind.as_str() => Some((
            "is against another kind of decision",
            "gjelder en annen vedtakstype",
        )),
        Some((_, _, authority, _)) if authority != decision.authority.as_str() => {
            Some(("is decided at another level", "avgjøres på et annet nivå"))
        }
        Some((.., Some(_))) => Some(("has already been decided", "er allerede avgjort")),
        Some(_) => None,
    };
    match problem {
        Some((en, nb)) => Err(StorageError::invalid_bilingual("appeal", en, nb)),
        None => Ok(()),
    }
}
