//! The register: persons and their append-only entries, with the projection written in the same
//! transaction as each entry.

use std::collections::HashMap;

use halden_domain::{
    register::{CustodyStatus, SecurityLevel},
    validate::FieldError,
};
use jiff::civil::Date;
use sqlx::{Any, Transaction};

use crate::{
    Backend, StorageError, Store,
    facts::{Fact, Identity, Judgment, MovementFact},
    flag,
    idempotency::{AnswerKey, claim_key_in, keep_answer_in},
    now_text,
    projection::{
        EntryFact, PrisonFacts, Projection, Stay, effective, movement_of, project, stays,
    },
};

/// Who writes: the user (absent for the system itself, e.g. the demo seed) and their name as
/// shown in histories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user_id: Option<i64>,
    /// The name recorded with the entry.
    pub name: String,
}

/// One entry of several appended together ([`Store::append_entries_with_event`]).
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    /// What it records.
    pub fact: &'a Fact,
    /// The entry it corrects or retracts.
    pub corrects: Option<i64>,
    /// Why (required for a correction).
    pub reason: Option<&'a str>,
}

/// What [`Store::append_entries_with_event`] appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The new entries' ids, in order.
    pub entries: Vec<i64>,
    /// The person's register version after them.
    pub version: i64,
    /// The probation event's id.
    pub event: i64,
    /// The probation event count after it.
    pub events: i64,
    /// The person's row after them (the projection: custody and key dates recomputed).
    pub person: PersonRow,
}

/// A person's projection row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonRow {
    /// Id.
    pub id: i64,
    /// Number of entries appended for the person.
    pub version: i64,
    /// When registered.
    pub created_at: String,
    /// Identity number.
    pub identity_number: Option<String>,
    /// Temporary id.
    pub temporary_id: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Given names.
    pub given_names: String,
    /// Birth date.
    pub birth_date: String,
    /// Sex.
    pub sex: String,
    /// Citizenship.
    pub citizenship: String,
    /// Languages, comma-separated.
    pub languages: String,
    /// 1 when an interpreter is needed.
    pub interpreter_needed: i64,
    /// Home municipality.
    pub home_municipality: Option<String>,
    /// Custody status (`present`, `on_leave`, …).
    pub status: String,
    /// Current prison.
    pub prison_id: Option<String>,
    /// Current prison unit.
    pub unit: Option<String>,
    /// Basis of custody.
    pub basis: Option<String>,
    /// Security level.
    pub security_level: Option<String>,
    /// Start of the custody episode.
    pub episode_start: Option<String>,
    /// Start of serving.
    pub serving_start: Option<String>,
    /// Latest supervision kind.
    pub supervision_kind: Option<String>,
    /// Latest supervision office.
    pub supervision_office: Option<String>,
    /// Latest supervision's last day.
    pub supervision_until: Option<String>,
    /// End of sentence.
    pub end_of_sentence: Option<String>,
    /// Key dates, `name=date;…`.
    pub key_dates: Option<String>,
    /// The engine's document (not read in lists: see [`Store::persons`]).
    pub dates_json: Option<String>,
    /// The assigned contact officer's username (kontaktbetjent), while in custody.
    pub contact_officer: Option<String>,
    /// The day the judgment still to be served was received (R-INNK-1, R-QUEUE-1).
    pub queue_received: Option<String>,
    /// Its planned form: `prison` or `em`.
    pub queue_form: Option<String>,
    /// The serving date of the latest summons.
    pub summons_date: Option<String>,
    /// The prison of the latest summons.
    pub summons_prison: Option<String>,
    /// The serving date missed (R-INNK-3).
    pub non_appearance: Option<String>,
    /// The incidents of the custody fold, JSON (see [`crate::projection::incidents_json`]).
    pub incidents: Option<String>,
    /// The expulsion decision in effect, JSON (the `expulsion` entry's payload).
    pub expulsion: Option<String>,
    /// The handover to mandatory psychiatric care that closed the case, JSON
    /// (`{"at", "institution"}`).
    pub handover: Option<String>,
    /// The probation office the person in custody is handed over to before release.
    pub release_office: Option<String>,
    /// The release plan of the current custody episode, JSON
    /// (see [`crate::projection::ReleasePlan`]).
    pub release_plan: Option<String>,
}

impl PersonRow {
    /// Whether an interpreter is needed.
    pub fn needs_interpreter(&self) -> bool {
        flag(self.interpreter_needed)
    }

    /// Whether the person is in a custody episode today.
    pub fn in_custody(&self) -> bool {
        !matches!(self.status.as_str(), "not_admitted" | "released")
    }

    /// The expulsion decision in effect.
    pub fn expulsion(&self) -> Option<crate::facts::ExpulsionFact> {
        serde_json::from_str(self.expulsion.as_deref()?).ok()
    }

    /// The handover to mandatory psychiatric care that closed the case.
    pub fn handover(&self) -> Option<crate::projection::Handover> {
        serde_json::from_str(self.handover.as_deref()?).ok()
    }

    /// Whether the person, in custody, has been handed over to the given probation office before
    /// release (the office then reads the record and the release plan).
    pub fn handed_over_to(&self, office: &str) -> bool {
        self.in_custody() && self.release_office.as_deref() == Some(office)
    }

    /// Whether the person is under the given probation office on `today`.
    pub fn supervised_by(&self, office: &str, today: Date) -> bool {
        self.supervision_office.as_deref() == Some(office)
            && self
                .supervision_until
                .as_deref()
                .is_some_and(|until| until >= today.to_string().as_str())
    }

    /// "Family, Given".
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.family_name, self.given_names)
    }
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// Kind.
    pub kind: String,
    /// Payload, JSON.
    pub payload: String,
    /// When recorded (RFC 3339).
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by_name: String,
    /// The entry it corrects.
    pub corrects: Option<i64>,
    /// Why (for corrections).
    pub reason: Option<String>,
}

impl EntryRow {
    /// The payload as JSON.
    pub fn payload_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

impl EntryRow {
    fn fact(&self) -> Result<EntryFact, StorageError> {
        let payload = self.payload_json();
        let fact = Fact::from_payload(&self.kind, &payload, "").map_err(|e| {
            StorageError::Corrupt(format!(
                "entry {}: {}",
                self.id,
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        Ok(EntryFact {
            id: self.id,
            corrects: self.corrects,
            fact,
        })
    }
}

/// One record of a court file: who, and the judgment.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    /// The person, matched by identity number or temporary id, registered when new.
    pub identity: Identity,
    /// The judgment.
    pub judgment: Judgment,
}

/// Which persons to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    /// Only persons in custody in this prison unit.
    pub unit: Option<String>,
    /// Only persons in custody in this prison.
    pub prison: Option<String>,
    /// Only persons this contact officer (username) is assigned to.
    pub contact_officer: Option<String>,
    /// Only persons under this probation office on `today`.
    pub supervision_office: Option<String>,
    /// The day supervision is checked against.
    pub today: Option<Date>,
    /// Only this person.
    pub person: Option<i64>,
    /// Only persons in custody.
    pub in_custody: bool,
    /// Name or identity number begins with this.
    pub search: Option<String>,
    /// At most this many (capped at 1 000).
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}

/// A count of persons by custody status.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusCount {
    /// Status.
    pub status: String,
    /// Count.
    pub count: i64,
}

const PERSON_COLUMNS: &str = "id, version, created_at, identity_number, temporary_id, family_name, \
    given_names, birth_date, sex, citizenship, languages, interpreter_needed, home_municipality, \
    status, prison_id, unit, basis, security_level, episode_start, serving_start, \
    supervision_kind, supervision_office, supervision_until, end_of_sentence, key_dates, dates_json, \
    contact_officer, queue_received, queue_form, summons_date, summons_prison, non_appearance, \
    incidents, expulsion, handover, release_office, release_plan";

/// [`PERSON_COLUMNS`] for lists: the same, without the engine's document.
const LIST_COLUMNS: &str = "id, version, created_at, identity_number, temporary_id, family_name, \
    given_names, birth_date, sex, citizenship, languages, interpreter_needed, home_municipality, \
    status, prison_id, unit, basis, security_level, episode_start, serving_start, \
    supervision_kind, supervision_office, supervision_until, end_of_sentence, key_dates, \
    CAST(NULL AS TEXT) AS dates_json, contact_officer, queue_received, queue_form, summons_date, \
    summons_prison, non_appearance, incidents, expulsion, handover, release_office, \
    CAST(NULL AS TEXT) AS release_plan";

const ENTRY_COLUMNS: &str =
    "id, person_id, kind, payload, recorded_at, recorded_by_name, corrects, reason";

/// The projection's column values, in the order of `PROJECTION_COLUMNS`.
struct ProjectionValues {
    text: [Option<String>; 18],
    interpreter: i64,
}

const PROJECTION_COLUMNS: [&str; 18] = [
    "identity_number",
    "temporary_id",
    "family_name",
    "given_names",
    "birth_date",
    "sex",
    "citizenship",
    "languages",
    "home_municipality",
    "status",
    "prison_id",
    "unit",
    "basis",
    "security_level",
    "episode_start",
    "serving_start",
    "supervision_kind",
    "supervision_office",
];

const PROJECTION_TAIL: [&str; 15] = [
    "supervision_until",
    "end_of_sentence",
    "key_dates",
    "dates_json",
    "contact_officer",
    "queue_received",
    "queue_form",
    "summons_date",
    "summons_prison",
    "non_appearance",
    "incidents",
    "expulsion",
    "handover",
    "release_office",
    "release_plan",
];

fn projection_values(p: &Projection) -> (ProjectionValues, [Option<String>; 15]) {
    let i = &p.identity;
    let c = &p.custody;
    let text = [
        i.identity_number.clone(),
        i.temporary_id.clone(),
        Some(i.family_name.clone()),
        Some(i.given_names.clone()),
        Some(i.birth_date.to_string()),
        Some(i.sex.clone()),
        Some(i.citizenship.clone()),
        Some(i.languages.join(",")),
        i.home_municipality.clone(),
        Some(c.status.as_str().to_string()),
        c.prison.clone(),
        p.unit.clone(),
        c.basis.map(|b| b.as_str().to_string()),
        p.security_level.map(|l| l.as_str().to_string()),
        c.episode_start.map(|d| d.to_string()),
        c.serving_start.map(|d| d.to_string()),
        p.supervision.as_ref().map(|s| s.supervision.clone()),
        p.supervision.as_ref().map(|s| s.office.clone()),
    ];
    let tail = [
        p.supervision.as_ref().map(|s| s.until.to_string()),
        p.end_of_sentence.map(|d| d.to_string()),
        p.key_dates.clone(),
        p.dates.as_ref().map(ToString::to_string),
        p.contact_officer.clone(),
        p.awaiting.as_ref().map(|a| a.received.to_string()),
        p.awaiting.as_ref().map(|a| a.form.as_str().to_string()),
        p.awaiting
            .as_ref()
            .and_then(|a| a.summons.as_ref())
            .map(|s| s.serving_date.to_string()),
        p.awaiting
            .as_ref()
            .and_then(|a| a.summons.as_ref())
            .map(|s| s.prison.clone()),
        p.awaiting
            .as_ref()
            .and_then(|a| a.missed)
            .map(|d| d.to_string()),
        crate::projection::incidents_json(&p.custody.incidents),
        p.expulsion
            .as_ref()
            .and_then(|e| serde_json::to_string(e).ok()),
        p.handover
            .as_ref()
            .and_then(|h| serde_json::to_string(h).ok()),
        p.release_plan
            .as_ref()
            .and_then(|r| r.handover.as_ref())
            .map(|h| h.office.clone()),
        p.release_plan
            .as_ref()
            .and_then(|r| serde_json::to_string(r).ok()),
    ];
    (
        ProjectionValues {
            text,
            interpreter: i64::from(i.interpreter_needed),
        },
        tail,
    )
}

pub(crate) fn unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            let message = db.message().to_ascii_lowercase();
            message.contains("unique") || message.contains("duplicate key")
        }
        _ => false,
    }
}

impl Store {
    /// The estate's prisons as the projection needs them.
    async fn prison_facts(
        tx: &mut Transaction<'static, Any>,
    ) -> Result<HashMap<String, PrisonFacts>, StorageError> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, unit, security_level FROM prisons")
                .fetch_all(&mut **tx)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, unit, level)| {
                Some((
                    id,
                    PrisonFacts {
                        unit,
                        level: SecurityLevel::parse(&level)?,
                    },
                ))
            })
            .collect())
    }

    async fn insert_entry(
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person_id: i64,
        fact: &Fact,
        corrects: Option<i64>,
        reason: Option<&str>,
    ) -> Result<i64, StorageError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO entries (person_id, kind, payload, recorded_at, recorded_by, \
             recorded_by_name, corrects, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        )
        .bind(person_id)
        .bind(fact.kind())
        .bind(fact.payload().to_string())
        .bind(now_text())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .bind(corrects)
        .bind(reason)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn entries_in(
        tx: &mut Transaction<'static, Any>,
        person_id: i64,
    ) -> Result<Vec<EntryRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE person_id = $1 ORDER BY id"
        ))
        .bind(person_id)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// Re-projects the person from all their entries and writes the projection with the new
    /// version, provided the stored version is still `expected`.
    pub(crate) async fn reproject(
        tx: &mut Transaction<'static, Any>,
        person_id: i64,
        expected: i64,
        new_version: i64,
    ) -> Result<(), StorageError> {
        let rows = Self::entries_in(tx, person_id).await?;
        let facts = rows
            .iter()
            .map(EntryRow::fact)
            .collect::<Result<Vec<_>, _>>()?;
        let prisons = Self::prison_facts(tx).await?;
        let projection = project(&facts, &prisons).map_err(StorageError::Invalid)?;
        let (values, tail) = projection_values(&projection);
        let mut sets: Vec<String> = PROJECTION_COLUMNS
            .iter()
            .chain(PROJECTION_TAIL.iter())
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let n = sets.len();
        sets.push(format!("interpreter_needed = ${}", n + 1));
        sets.push(format!("version = ${}", n + 2));
        let sql = format!(
            "UPDATE persons SET {} WHERE id = ${} AND version = ${}",
            sets.join(", "),
            n + 3,
            n + 4
        );
        let mut query = sqlx::query(&sql);
        for value in values.text.iter().chain(tail.iter()) {
            query = query.bind(value.clone());
        }
        let result = query
            .bind(values.interpreter)
            .bind(new_version)
            .bind(person_id)
            .bind(expected)
            .execute(&mut **tx)
            .await
            .map_err(|e| {
                if unique_violation(&e) {
                    StorageError::invalid_bilingual(
                        "identity_number",
                        "another person is registered with this identity number or temporary id",
                        "en annen person er registrert med dette fødselsnummeret eller denne midlertidige id-en",
                    )
                } else {
                    e.into()
                }
            })?;
        if result.rows_affected() == 0 {
            let current = Self::version_in(tx, person_id).await?;
            return Err(StorageError::Conflict { expected, current });
        }
        Self::write_stays(tx, person_id, &projection.stays).await
    }

    /// Replaces a person's stays (the `stays` projection) with `stays`.
    async fn write_stays(
        tx: &mut Transaction<'static, Any>,
        person_id: i64,
        stays: &[Stay],
    ) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM stays WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut **tx)
            .await?;
        let rows: Vec<(i64, &Stay)> = stays.iter().map(|s| (person_id, s)).collect();
        Self::insert_stays(tx, &rows).await
    }

    /// Inserts stays, many rows per statement.
    async fn insert_stays(
        tx: &mut Transaction<'static, Any>,
        rows: &[(i64, &Stay)],
    ) -> Result<(), StorageError> {
        const BATCH: usize = 200;
        for batch in rows.chunks(BATCH) {
            let values: Vec<String> = (0..batch.len())
                .map(|r| {
                    let b = r * 4;
                    format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
                })
                .collect();
            let sql = format!(
                "INSERT INTO stays (person_id, prison_id, from_day, to_day) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for (person, stay) in batch {
                query = query
                    .bind(*person)
                    .bind(stay.prison.clone())
                    .bind(stay.from.to_string())
                    .bind(stay.to.map(|d| d.to_string()));
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Rebuilds every person's stays from their entries, in one transaction: the backfill for a
    /// database that held persons before the `stays` projection existed (migration 0005 asks for
    /// it through `projection_due`; see [`Store::migrate`]), and a repair should one ever be
    /// needed. Only movements and retractions are read: they are all the stays depend on.
    ///
    /// # Errors
    ///
    /// A stored entry that cannot be read back, or a database failure (nothing changes then).
    pub async fn rebuild_stays(&self) -> Result<(), StorageError> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM stays").execute(&mut *tx).await?;
        const PAGE: i64 = 2000;
        let mut after = 0_i64;
        loop {
            let ids: Vec<(i64,)> = sqlx::query_as(&format!(
                "SELECT id FROM persons WHERE id > $1 ORDER BY id LIMIT {PAGE}"
            ))
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let (Some((first,)), Some((last,))) = (ids.first(), ids.last()) else {
                break;
            };
            let rows: Vec<EntryRow> = sqlx::query_as(&format!(
                "SELECT {ENTRY_COLUMNS} FROM entries WHERE person_id BETWEEN $1 AND $2 \
                 AND kind IN ('movement', 'retraction') ORDER BY person_id, id"
            ))
            .bind(*first)
            .bind(*last)
            .fetch_all(&mut *tx)
            .await?;
            let mut found: Vec<(i64, Stay)> = Vec::new();
            for person in rows.chunk_by(|a, b| a.person_id == b.person_id) {
                let Some(person_id) = person.first().map(|e| e.person_id) else {
                    continue;
                };
                let facts = person
                    .iter()
                    .map(EntryRow::fact)
                    .collect::<Result<Vec<_>, _>>()?;
                let mut movements: Vec<_> = effective(&facts)
                    .into_iter()
                    .filter_map(|(_, f)| match f {
                        Fact::Movement(m) => movement_of(m),
                        _ => None,
                    })
                    .collect();
                movements.sort_by_key(|m| m.at);
                found.extend(stays(&movements).into_iter().map(|s| (person_id, s)));
            }
            let rows: Vec<(i64, &Stay)> = found.iter().map(|(p, s)| (*p, s)).collect();
            Self::insert_stays(&mut tx, &rows).await?;
            after = *last;
        }
        sqlx::query("DELETE FROM projection_due WHERE name = 'stays'")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses a movement that takes a place in a department full on its day (every place held
    /// by someone else: see [`stays`] for who holds one), unless it carries a reason for
    /// overbooking (`capacity_override`). The problem is named `field`. Nothing is refused when
    /// the person already holds a place there that day (a correction of the same admission).
    ///
    /// The department's row is locked first (an update that changes nothing), so two
    /// movements into one department are counted one after the other, never both against the
    /// same last place; SQLite has one writer anyway.
    async fn check_capacity(
        tx: &mut Transaction<'static, Any>,
        person_id: Option<i64>,
        fact: &Fact,
        field: &str,
    ) -> Result<(), StorageError> {
        let Fact::Movement(MovementFact {
            movement,
            at,
            prison: Some(prison),
            capacity_override: None,
            ..
        }) = fact
        else {
            return Ok(());
        };
        if !matches!(movement.as_str(), "admission" | "transfer") {
            return Ok(());
        }
        let day = at.date().to_string();
        let person = person_id.unwrap_or(0);
        let (held,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM stays WHERE person_id = $1 AND prison_id = $2 \
             AND from_day <= $3 AND (to_day IS NULL OR to_day > $3)",
        )
        .bind(person)
        .bind(prison.as_str())
        .bind(day.as_str())
        .fetch_one(&mut **tx)
        .await?;
        if held > 0 {
            return Ok(());
        }
        let department: Option<(String, i64)> = sqlx::query_as(
            "UPDATE prisons SET capacity = capacity WHERE id = $1 RETURNING name, capacity",
        )
        .bind(prison.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        // An unknown prison is named by the projection.
        let Some((name, places)) = department else {
            return Ok(());
        };
        let (occupied,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM stays WHERE prison_id = $1 AND person_id <> $2 \
             AND from_day <= $3 AND (to_day IS NULL OR to_day > $3)",
        )
        .bind(prison.as_str())
        .bind(person)
        .bind(day.as_str())
        .fetch_one(&mut **tx)
        .await?;
        if occupied < places {
            return Ok(());
        }
        Err(StorageError::invalid_bilingual(
            field,
            format!(
                "{name} ({prison}) is full on {day}: {places} places, {occupied} occupied; \
                 to place the person there anyway, give the reason in capacity_override"
            ),
            format!(
                "{name} ({prison}) er full {day}: {places} plasser, {occupied} belagt; \
                 for å plassere personen der likevel, oppgi begrunnelsen for overbelegg"
            ),
        ))
    }

    async fn version_in(
        tx: &mut Transaction<'static, Any>,
        person_id: i64,
    ) -> Result<i64, StorageError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT version FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?;
        row.map(|(v,)| v).ok_or(StorageError::NotFound)
    }

    pub(crate) async fn find_person_in(
        tx: &mut Transaction<'static, Any>,
        identity: &Identity,
    ) -> Result<Option<i64>, StorageError> {
        let row: Option<(i64,)> = if let Some(number) = &identity.identity_number {
            sqlx::query_as("SELECT id FROM persons WHERE identity_number = $1")
                .bind(number.as_str())
                .fetch_optional(&mut **tx)
                .await?
        } else if let Some(temporary) = &identity.temporary_id {
            sqlx::query_as("SELECT id FROM persons WHERE temporary_id = $1")
                .bind(temporary.as_str())
                .fetch_optional(&mut **tx)
                .await?
        } else {
            None
        };
        Ok(row.map(|(id,)| id))
    }

    pub(crate) async fn create_person_in(
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        identity: &Identity,
    ) -> Result<i64, StorageError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO persons (version, created_at, identity_number, temporary_id, \
             family_name, given_names, birth_date, sex, citizenship, languages, \
             interpreter_needed, home_municipality, status) \
             VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'not_admitted') RETURNING id",
        )
        .bind(now_text())
        .bind(identity.identity_number.clone())
        .bind(identity.temporary_id.clone())
        .bind(identity.family_name.as_str())
        .bind(identity.given_names.as_str())
        .bind(identity.birth_date.to_string())
        .bind(identity.sex.as_str())
        .bind(identity.citizenship.as_str())
        .bind(identity.languages.join(","))
        .bind(i64::from(identity.interpreter_needed))
        .bind(identity.home_municipality.clone())
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| {
            if unique_violation(&e) {
                StorageError::invalid_bilingual(
                    "identity_number",
                    "a person with this identity number or temporary id is already registered",
                    "en person med dette fødselsnummeret eller denne midlertidige id-en er allerede registrert",
                )
            } else {
                e.into()
            }
        })?;
        Self::insert_entry(tx, actor, id, &Fact::Identity(identity.clone()), None, None).await?;
        Ok(id)
    }

    /// Registers a person with their identity and, optionally, further facts (e.g. the
    /// admission), all in one transaction. Returns the person's id and version.
    ///
    /// # Errors
    ///
    /// `Invalid` when a fact breaks a rule, the identity is already registered, or the admission
    /// is into a department full on its day without a `capacity_override` reason (named
    /// `admission.prison`); nothing is written then.
    pub async fn register_person(
        &self,
        actor: &Actor,
        identity: &Identity,
        then: &[Fact],
        key: Option<&AnswerKey<(i64, i64)>>,
    ) -> Result<(i64, i64), StorageError> {
        let problems = Fact::Identity(identity.clone()).problems("identity");
        if !problems.is_empty() {
            return Err(StorageError::Invalid(problems));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        for fact in then {
            Self::check_capacity(&mut tx, None, fact, "admission.prison").await?;
        }
        let id = Self::create_person_in(&mut tx, actor, identity).await?;
        for fact in then {
            Self::insert_entry(&mut tx, actor, id, fact, None, None).await?;
        }
        let version = 1 + then.len() as i64;
        Self::reproject(&mut tx, id, 0, version).await?;
        keep_answer_in(key, &mut tx, &(id, version)).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// Appends one entry for a person whose version is `expected_version`; `corrects` makes it a
    /// correction of an earlier entry of the same kind (or a retraction), which needs a reason.
    /// Returns the new entry's id and the person's new version.
    ///
    /// # Errors
    ///
    /// `NotFound`, `Conflict` on a stale version, `Invalid` when the entry breaks a rule (e.g.
    /// a movement that cannot follow the ones before it, or an admission or transfer into a
    /// department full on its day without a `capacity_override` reason, named
    /// `payload.prison`); nothing is written then.
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of one append and its answer key"
    )]
    pub async fn append(
        &self,
        actor: &Actor,
        person_id: i64,
        expected_version: i64,
        fact: &Fact,
        corrects: Option<i64>,
        reason: Option<&str>,
        key: Option<&AnswerKey<(i64, i64)>>,
    ) -> Result<(i64, i64), StorageError> {
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let current = Self::version_in(&mut tx, person_id).await?;
        if current != expected_version {
            return Err(StorageError::Conflict {
                expected: expected_version,
                current,
            });
        }
        if let Some(target) = corrects {
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT kind, person_id FROM entries WHERE id = $1")
                    .bind(target)
                    .fetch_optional(&mut *tx)
                    .await?;
            match row {
                Some((kind, owner)) if owner == person_id => {
                    if !matches!(fact, Fact::Retraction) && kind != fact.kind() {
                        return Err(StorageError::invalid(
                            "kind",
                            format!(
                                "entry {target} is a {kind}; correct it with a {kind} or a retraction"
                            ),
                        ));
                    }
                    if kind == "identity" && matches!(fact, Fact::Retraction) {
                        return Err(StorageError::invalid(
                            "kind",
                            "an identity cannot be retracted; correct it instead",
                        ));
                    }
                }
                _ => {
                    return Err(StorageError::invalid(
                        "corrects",
                        format!("this person has no entry {target}"),
                    ));
                }
            }
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(StorageError::invalid(
                    "reason",
                    "a correction needs a reason",
                ));
            }
        } else if matches!(fact, Fact::Retraction) {
            return Err(StorageError::invalid(
                "corrects",
                "a retraction must name the entry it retracts",
            ));
        }
        Self::check_capacity(&mut tx, Some(person_id), fact, "payload.prison").await?;
        let entry_id =
            Self::insert_entry(&mut tx, actor, person_id, fact, corrects, reason).await?;
        let version = current + 1;
        Self::reproject(&mut tx, person_id, current, version).await?;
        keep_answer_in(key, &mut tx, &(entry_id, version)).await?;
        tx.commit().await?;
        Ok((entry_id, version))
    }

    /// Appends several entries for a person whose version is `expected_version`, and a probation
    /// event with them, all in one transaction (EM revoked back to prison: the correction that
    /// ends the EM period and the admission, with the revocation in the probation log). Each
    /// entry is checked as [`Store::append`] checks one (a correction names an entry of the same
    /// kind and has a reason; capacity); the projection is rebuilt once after all of them. The
    /// event's payload gets `"entries"`: the ids of the entries appended with it.
    ///
    /// # Errors
    ///
    /// `Conflict` on a stale register version or a stale probation event count; `Invalid` when
    /// an entry breaks a rule (field `entries[i].…`, or the projection's own field); nothing is
    /// written then.
    pub async fn append_entries_with_event(
        &self,
        actor: &Actor,
        person_id: i64,
        expected_version: i64,
        entries: &[NewEntry<'_>],
        event: &crate::NewProbationEvent<'_>,
        key: Option<&AnswerKey<Appended>>,
    ) -> Result<Appended, StorageError> {
        if entries.is_empty() {
            return Err(StorageError::invalid("entries", "no entry to append"));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let current = Self::version_in(&mut tx, person_id).await?;
        if current != expected_version {
            return Err(StorageError::Conflict {
                expected: expected_version,
                current,
            });
        }
        let mut ids = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let at = |field: &str| format!("entries[{i}].{field}");
            if let Some(target) = entry.corrects {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT kind, person_id FROM entries WHERE id = $1")
                        .bind(target)
                        .fetch_optional(&mut *tx)
                        .await?;
                match row {
                    Some((kind, owner))
                        if owner == person_id
                            && (kind == entry.fact.kind()
                                || (matches!(entry.fact, Fact::Retraction)
                                    && kind != "identity")) => {}
                    _ => {
                        return Err(StorageError::invalid(
                            &at("corrects"),
                            format!("this person has no entry {target} of that kind"),
                        ));
                    }
                }
                if entry.reason.is_none_or(|r| r.trim().is_empty()) {
                    return Err(StorageError::invalid(
                        &at("reason"),
                        "a correction needs a reason",
                    ));
                }
            } else if matches!(entry.fact, Fact::Retraction) {
                return Err(StorageError::invalid(
                    &at("corrects"),
                    "a retraction must name the entry it retracts",
                ));
            }
            Self::check_capacity(&mut tx, Some(person_id), entry.fact, &at("payload.prison"))
                .await?;
            ids.push(
                Self::insert_entry(
                    &mut tx,
                    actor,
                    person_id,
                    entry.fact,
                    entry.corrects,
                    entry.reason,
                )
                .await?,
            );
        }
        let version = current + entries.len() as i64;
        Self::reproject(&mut tx, person_id, current, version).await?;
        let mut payload = event.payload.clone();
        if let Some(obj) = payload.as_object_mut() {
            obj.insert("entries".into(), serde_json::json!(ids));
        }
        let with_entries = crate::NewProbationEvent {
            payload: &payload,
            ..event.clone()
        };
        let event_id = Self::probation_event_in(&mut tx, actor, person_id, &with_entries).await?;
        let person: PersonRow = sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1"
        ))
        .bind(person_id)
        .fetch_one(&mut *tx)
        .await?;
        let outcome = Appended {
            entries: ids,
            version,
            event: event_id,
            events: event.expected_events + 1,
            person,
        };
        keep_answer_in(key, &mut tx, &outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Imports a court file: every record's person is found (by identity number or temporary
    /// id) or registered, and the judgment appended, all in one transaction. Returns, per record,
    /// the person's id and the judgment entry's id.
    ///
    /// # Errors
    ///
    /// `Invalid` with every problem, each naming `judgments[i].<field>`; nothing is written then.
    pub async fn import_judgments(
        &self,
        actor: &Actor,
        records: &[ImportRecord],
        key: Option<&AnswerKey<Vec<(i64, i64)>>>,
    ) -> Result<Vec<(i64, i64)>, StorageError> {
        let mut problems: Vec<FieldError> = Vec::new();
        for (i, record) in records.iter().enumerate() {
            problems.extend(
                Fact::Identity(record.identity.clone()).problems(&format!("judgments[{i}].person")),
            );
            problems.extend(
                Fact::Judgment(record.judgment.clone()).problems(&format!("judgments[{i}]")),
            );
            // A youth sentence: under 18 at the act, from the record's birth date (R-YOUTH-3).
            problems.extend(
                record
                    .judgment
                    .offender_problems(record.identity.birth_date, &format!("judgments[{i}]")),
            );
        }
        if !problems.is_empty() {
            return Err(StorageError::Invalid(problems));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let mut answer = Vec::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            let person = match Self::find_person_in(&mut tx, &record.identity).await? {
                Some(id) => id,
                None => {
                    let id = Self::create_person_in(&mut tx, actor, &record.identity).await?;
                    Self::reproject(&mut tx, id, 0, 1).await?;
                    id
                }
            };
            let existing = Self::entries_in(&mut tx, person).await?;
            let duplicate = existing.iter().any(|e| {
                e.kind == "judgment"
                    && e.payload_json().get("case_number").and_then(|v| v.as_str())
                        == Some(record.judgment.case_number.as_str())
            });
            if duplicate {
                problems.push(FieldError::bilingual(
                    format!("judgments[{i}].case_number"),
                    None,
                    format!(
                        "judgment {} is already registered for this person",
                        record.judgment.case_number
                    ),
                    format!(
                        "dom {} er allerede registrert for denne personen",
                        record.judgment.case_number
                    ),
                ));
                continue;
            }
            let version = Self::version_in(&mut tx, person).await?;
            let entry = Self::insert_entry(
                &mut tx,
                actor,
                person,
                &Fact::Judgment(record.judgment.clone()),
                None,
                None,
            )
            .await?;
            Self::reproject(&mut tx, person, version, version + 1)
                .await
                .map_err(|e| match e {
                    StorageError::Invalid(list) => StorageError::Invalid(
                        list.into_iter()
                            .map(|f| f.under(&format!("judgments[{i}]")))
                            .collect(),
                    ),
                    other => other,
                })?;
            answer.push((person, entry));
        }
        if !problems.is_empty() {
            // Dropping the transaction rolls every record back.
            return Err(StorageError::Invalid(problems));
        }
        keep_answer_in(key, &mut tx, &answer).await?;
        tx.commit().await?;
        Ok(answer)
    }

    /// The kind of one of a person's entries, if the person has it.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn entry_kind(
        &self,
        person_id: i64,
        entry_id: i64,
    ) -> Result<Option<String>, StorageError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT kind FROM entries WHERE id = $1 AND person_id = $2")
                .bind(entry_id)
                .bind(person_id)
                .fetch_optional(&self.read)
                .await?;
        Ok(row.map(|(kind,)| kind))
    }

    /// One person's projection.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn person(&self, id: i64) -> Result<Option<PersonRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?)
    }

    /// One person's entries, oldest first (corrections included: the history).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn entries(&self, person_id: i64) -> Result<Vec<EntryRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE person_id = $1 ORDER BY id"
        ))
        .bind(person_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The first day `person` held a place in their current unit (the episode's start, or the
    /// day of their last move in from another unit), as of `version`: a contact officer's
    /// assignment holds from then on (issue 5, item 8). `None` when not in custody.
    ///
    /// # Errors
    ///
    /// A database failure or a stored entry that no longer reads.
    pub async fn arrival_in_unit(
        &self,
        person_id: i64,
        version: i64,
    ) -> Result<Option<Date>, StorageError> {
        let entries = self.entries_at(person_id, version).await?;
        let facts = entries
            .iter()
            .map(EntryRow::fact)
            .collect::<Result<Vec<_>, _>>()?;
        let mut movements: Vec<_> = effective(&facts)
            .into_iter()
            .filter_map(|(_, f)| match f {
                Fact::Movement(m) => movement_of(m),
                _ => None,
            })
            .collect();
        movements.sort_by_key(|m| m.at);
        let Ok(custody) = halden_domain::register::CustodyState::project(&movements) else {
            return Ok(None);
        };
        if !custody.status.in_custody() {
            return Ok(None);
        }
        let mut tx = self.read.begin().await?;
        let prisons = Self::prison_facts(&mut tx).await?;
        tx.rollback().await?;
        Ok(crate::projection::unit_since(
            &movements, &custody, &prisons,
        ))
    }

    /// One person's history as of `version` (the version just read with the person), oldest
    /// first, as [`Store::entries`] gives it. Kept in memory by (person, version), so a repeated
    /// read of an unchanged person does not go to the database; an append makes a new version,
    /// which is read afresh (see the history cache's invariant in `history_cache`). Should an
    /// append come between reading the person and this, the newer history is returned, as
    /// [`Store::entries`] would, and not kept under the older version.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn entries_at(
        &self,
        person_id: i64,
        version: i64,
    ) -> Result<std::sync::Arc<[EntryRow]>, StorageError> {
        if let Some(entries) = self.history_cache.get(person_id, version) {
            return Ok(entries);
        }
        let entries: std::sync::Arc<[EntryRow]> = self.entries(person_id).await?.into();
        self.history_cache.keep(person_id, version, &entries);
        Ok(entries)
    }

    /// Persons matching a filter, by name. For lists: `dates_json`, the engine's whole document
    /// (several kilobytes a person), is not read and is always `None` here; read one person with
    /// [`Store::person`] for it. `key_dates` and `end_of_sentence` are read.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn persons(&self, filter: &PersonFilter) -> Result<Vec<PersonRow>, StorageError> {
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let bind = |binds: &mut Vec<String>, value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(unit) = &filter.unit {
            let p = bind(&mut binds, unit.clone());
            conditions.push(format!("unit = {p}"));
        }
        if let Some(prison) = &filter.prison {
            let p = bind(&mut binds, prison.clone());
            conditions.push(format!("prison_id = {p}"));
        }
        if let Some(officer) = &filter.contact_officer {
            let p = bind(&mut binds, officer.clone());
            conditions.push(format!("contact_officer = {p}"));
        }
        if let Some(office) = &filter.supervision_office {
            let p = bind(&mut binds, office.clone());
            let today = filter.today.map(|d| d.to_string()).unwrap_or_default();
            let q = bind(&mut binds, today);
            conditions.push(format!(
                "supervision_office = {p} AND supervision_until >= {q}"
            ));
        }
        if let Some(person) = filter.person {
            // An integer, so it can be written into the statement.
            conditions.push(format!("id = {person}"));
        }
        if filter.in_custody {
            // The statuses in custody, listed: `unit` keeps a released person's last unit, so a
            // unit's index entries are mostly people long gone, and a positive list lets the
            // (unit, status) index reach the roll directly instead of filtering them all.
            let statuses: Vec<String> = CustodyStatus::ALL
                .into_iter()
                .filter(|s| s.in_custody())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            conditions.push(format!("status IN ({})", statuses.join(", ")));
        }
        if let Some(search) = filter.search.as_ref().filter(|s| !s.trim().is_empty()) {
            let prefix = format!("{}%", search.trim());
            let p = bind(&mut binds, prefix);
            conditions.push(format!(
                "(family_name LIKE {p} OR given_names LIKE {p} OR identity_number LIKE {p})"
            ));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM persons {where_clause} \
             ORDER BY family_name, given_names, id LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 1000),
            filter.offset.max(0)
        );
        let mut query = sqlx::query_as(&sql);
        for value in binds {
            query = query.bind(value);
        }
        Ok(query.fetch_all(&self.read).await?)
    }

    /// Everyone with a judgment waiting to be served, longest waiting first (at most `limit`,
    /// capped at 1 000; full rows, with the planned engine document placement reads the term
    /// from), and the (received, form) of every one of them for the counts.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn awaiting(
        &self,
        limit: i64,
    ) -> Result<(Vec<PersonRow>, Vec<(String, String)>), StorageError> {
        let list = sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE queue_received IS NOT NULL \
             ORDER BY queue_received, id LIMIT {}",
            limit.clamp(1, 1000)
        ))
        .fetch_all(&self.read)
        .await?;
        let all = sqlx::query_as(
            "SELECT queue_received, COALESCE(queue_form, 'prison') FROM persons \
             WHERE queue_received IS NOT NULL",
        )
        .fetch_all(&self.read)
        .await?;
        Ok((list, all))
    }

    /// The register's size: how many persons and how many entries.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn register_size(&self) -> Result<(i64, i64), StorageError> {
        let (persons,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM persons")
            .fetch_one(&self.read)
            .await?;
        let (entries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM entries")
            .fetch_one(&self.read)
            .await?;
        Ok((persons, entries))
    }

    /// How many persons are in each custody status, for a prison unit or the whole estate.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn status_counts(
        &self,
        unit: Option<&str>,
    ) -> Result<Vec<StatusCount>, StorageError> {
        let rows =
            match unit {
                Some(unit) => {
                    sqlx::query_as(
                        "SELECT status, COUNT(*) AS count FROM persons WHERE unit = $1 \
                     GROUP BY status ORDER BY status",
                    )
                    .bind(unit)
                    .fetch_all(&self.read)
                    .await?
                }
                None => sqlx::query_as(
                    "SELECT status, COUNT(*) AS count FROM persons GROUP BY status ORDER BY status",
                )
                .fetch_all(&self.read)
                .await?,
            };
        Ok(rows)
    }

    /// Writes many people at once, each with their entries, computing each projection in
    /// memory: the demo seed and benchmarks. Entries are attributed to `actor`. Returns the new
    /// persons' ids, in order.
    ///
    /// # Errors
    ///
    /// A person whose facts do not project (nothing of the batch is written then), or a
    /// database failure.
    pub async fn seed_people(
        &self,
        actor: &Actor,
        people: &[Vec<Fact>],
    ) -> Result<Vec<i64>, StorageError> {
        let mut tx = self.write.begin().await?;
        let prisons = Self::prison_facts(&mut tx).await?;
        let (max_person,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM persons")
            .fetch_one(&mut *tx)
            .await?;
        let (max_entry,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM entries")
            .fetch_one(&mut *tx)
            .await?;
        let mut next_person = max_person.unwrap_or(0) + 1;
        let mut ids = Vec::with_capacity(people.len());
        let mut next_entry = max_entry.unwrap_or(0) + 1;
        let now = now_text();
        const BATCH: usize = 100;
        for chunk in people.chunks(BATCH) {
            let mut person_rows: Vec<(i64, Projection, i64)> = Vec::with_capacity(chunk.len());
            let mut entry_rows: Vec<(i64, i64, &Fact)> = Vec::new();
            for facts in chunk {
                let person = next_person;
                next_person += 1;
                ids.push(person);
                let mut entry_facts = Vec::with_capacity(facts.len());
                for fact in facts {
                    entry_facts.push(EntryFact {
                        id: next_entry,
                        corrects: None,
                        fact: fact.clone(),
                    });
                    entry_rows.push((next_entry, person, fact));
                    next_entry += 1;
                }
                let projection = project(&entry_facts, &prisons).map_err(StorageError::Invalid)?;
                person_rows.push((person, projection, facts.len() as i64));
            }
            // Persons, many rows per statement.
            let columns: Vec<&str> = PROJECTION_COLUMNS
                .iter()
                .chain(PROJECTION_TAIL.iter())
                .copied()
                .collect();
            let per_row = columns.len() + 4;
            let mut sql = format!(
                "INSERT INTO persons (id, version, created_at, interpreter_needed, {}) VALUES ",
                columns.join(", ")
            );
            for (r, _) in person_rows.iter().enumerate() {
                let placeholders: Vec<String> = (1..=per_row)
                    .map(|c| format!("${}", r * per_row + c))
                    .collect();
                if r > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                sql.push_str(&placeholders.join(", "));
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for (id, projection, version) in &person_rows {
                let (values, tail) = projection_values(projection);
                query = query
                    .bind(*id)
                    .bind(*version)
                    .bind(now.clone())
                    .bind(values.interpreter);
                for value in values.text.into_iter().chain(tail) {
                    query = query.bind(value);
                }
            }
            query.execute(&mut *tx).await?;
            let stays: Vec<(i64, &Stay)> = person_rows
                .iter()
                .flat_map(|(id, projection, _)| projection.stays.iter().map(|s| (*id, s)))
                .collect();
            Self::insert_stays(&mut tx, &stays).await?;
            // Entries, many rows per statement.
            for entries in entry_rows.chunks(BATCH) {
                let mut sql = String::from(
                    "INSERT INTO entries (id, person_id, kind, payload, recorded_at, \
                     recorded_by, recorded_by_name) VALUES ",
                );
                for r in 0..entries.len() {
                    if r > 0 {
                        sql.push_str(", ");
                    }
                    let b = r * 7;
                    sql.push_str(&format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7
                    ));
                }
                let mut query = sqlx::query(&sql);
                for (id, person, fact) in entries {
                    query = query
                        .bind(*id)
                        .bind(*person)
                        .bind(fact.kind())
                        .bind(fact.payload().to_string())
                        .bind(now.clone())
                        .bind(actor.user_id)
                        .bind(actor.name.clone());
                }
                query.execute(&mut *tx).await?;
            }
        }
        if self.backend == Backend::Postgres {
            for table in ["persons", "entries"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(ids)
    }
}
