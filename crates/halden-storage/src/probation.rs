//! A probation office's work on a person (issue 6): the officer assigned and a community
//! sentence's execution, as append-only `probation_events` with the `probation_cases`
//! projection written in the same transaction.
//!
//! The rules (what an event may say, what the ledger can take) live in
//! `halden_domain::community`; the caller checks there and hands over the projection's new values
//! with the event, so this module only keeps the log and its version.

use sqlx::{Any, Transaction};

use crate::{
    Actor, StorageError, Store,
    idempotency::{AnswerKey, claim_key_in, keep_answer_in},
    now_text,
};

/// One stored probation event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProbationEventRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// `officer`, an event kind of `halden_domain::community::EVENT_KINDS`, or `retraction`.
    pub kind: String,
    /// The payload as JSON text.
    pub payload: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// Who, by name.
    pub recorded_by_name: String,
    /// The event it corrects or retracts.
    pub corrects: Option<i64>,
    /// Why (corrections).
    pub reason: Option<String>,
}

impl ProbationEventRow {
    /// The payload as JSON (`null` when unreadable).
    pub fn payload_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

/// A person's probation projection.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct ProbationCase {
    /// The person.
    pub person_id: i64,
    /// How many events are recorded (the version).
    pub events: i64,
    /// The officer assigned (username).
    pub officer: Option<String>,
    /// The community sentence's stage (`halden_domain::community::Stage`), when there is one.
    pub stage: Option<String>,
    /// Minutes ordered.
    pub required_minutes: Option<i64>,
    /// Minutes credited.
    pub credited_minutes: i64,
}

/// One person on a location's caseload: only what the caseload shows, read in one narrow query
/// (the person row whole costs ten times as much to decode, measured by `scripts/bench-probation`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseloadRow {
    /// The person.
    pub person_id: i64,
    /// Family name.
    pub family_name: String,
    /// Given names.
    pub given_names: String,
    /// The home municipality, when known.
    pub home_municipality: Option<String>,
    /// `electronic_monitoring`, `parole`, `community_sentence` or `driving_programme`.
    pub supervision_kind: Option<String>,
    /// The supervising location.
    pub supervision_office: Option<String>,
    /// The supervision's last day.
    pub supervision_until: Option<String>,
    /// The officer assigned (username).
    pub officer: Option<String>,
    /// The community sentence's stage.
    pub stage: Option<String>,
    /// Minutes ordered.
    pub required_minutes: Option<i64>,
    /// Minutes credited (0 without a probation case).
    pub credited_minutes: i64,
    /// The engine's key dates, compact (`name=date;…`).
    pub key_dates: Option<String>,
}

impl CaseloadRow {
    /// `Family, Given`.
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.family_name, self.given_names)
    }

    /// The engine's end of the probation period (R-PAR-4), when it has one.
    pub fn probation_end(&self) -> Option<jiff::civil::Date> {
        crate::projection::next_key_date_named(self.key_dates.as_deref()?, "probation_end")
    }
}

/// A new event: what to record and the projection after it.
#[derive(Debug, Clone)]
pub struct NewProbationEvent<'a> {
    /// The kind.
    pub kind: &'a str,
    /// The payload.
    pub payload: &'a serde_json::Value,
    /// The event it corrects or retracts.
    pub corrects: Option<i64>,
    /// Why (required for a correction).
    pub reason: Option<&'a str>,
    /// The events the writer read (the version); another count is a conflict.
    pub expected_events: i64,
    /// The officer assigned after the event.
    pub officer: Option<&'a str>,
    /// The stage after the event.
    pub stage: Option<&'a str>,
    /// Minutes ordered.
    pub required_minutes: Option<i64>,
    /// Minutes credited after the event.
    pub credited_minutes: i64,
}

const CASE_COLUMNS: &str = "person_id, events, officer, stage, required_minutes, credited_minutes";

impl Store {
    /// A person's probation events, oldest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn probation_events(
        &self,
        person_id: i64,
    ) -> Result<Vec<ProbationEventRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT id, person_id, kind, payload, recorded_at, recorded_by_name, corrects, reason \
             FROM probation_events WHERE person_id = $1 ORDER BY id",
        )
        .bind(person_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// A person's probation projection (`events` 0 when none is recorded).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn probation_case(&self, person_id: i64) -> Result<ProbationCase, StorageError> {
        let row: Option<ProbationCase> = sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM probation_cases WHERE person_id = $1"
        ))
        .bind(person_id)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.unwrap_or(ProbationCase {
            person_id,
            ..ProbationCase::default()
        }))
    }

    /// How many persons each officer is assigned among everyone supervised on `today` by one of
    /// `locations` (office ids), by officer; the unassigned are not counted.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn officer_counts(
        &self,
        locations: &[String],
        today: jiff::civil::Date,
    ) -> Result<Vec<(String, i64)>, StorageError> {
        let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
        for location in locations {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT c.officer, COUNT(*) FROM probation_cases c \
                 JOIN persons p ON p.id = c.person_id \
                 WHERE p.supervision_office = $1 AND p.supervision_until >= $2 \
                 AND c.officer IS NOT NULL GROUP BY c.officer",
            )
            .bind(location.as_str())
            .bind(today.to_string())
            .fetch_all(&self.read)
            .await?;
            for (officer, n) in rows {
                *counts.entry(officer).or_default() += n;
            }
        }
        Ok(counts.into_iter().collect())
    }

    /// Everyone `location` supervises on `today`, by name, with their probation projection: the
    /// caseload, whole (not capped like the person lists).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn caseload(
        &self,
        location: &str,
        today: jiff::civil::Date,
    ) -> Result<Vec<CaseloadRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT p.id AS person_id, p.family_name, p.given_names, p.home_municipality, \
             p.supervision_kind, p.supervision_office, p.supervision_until, c.officer, c.stage, \
             c.required_minutes, COALESCE(c.credited_minutes, 0) AS credited_minutes, p.key_dates \
             FROM persons p LEFT JOIN probation_cases c ON c.person_id = p.id \
             WHERE p.supervision_office = $1 AND p.supervision_until >= $2 \
             ORDER BY p.family_name, p.given_names, p.id",
        )
        .bind(location)
        .bind(today.to_string())
        .fetch_all(&self.read)
        .await?)
    }

    /// The probation events whose kind starts with `prefix` (a `LIKE` pattern's start: no `%` or
    /// `_` in it) of everyone `location` supervises
    /// on `today` under `supervision` (e.g. `parole`), by person and then in order: one read for a
    /// whole caseload.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn probation_events_at(
        &self,
        location: &str,
        today: jiff::civil::Date,
        supervision: &str,
        prefix: &str,
    ) -> Result<Vec<ProbationEventRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.person_id, e.kind, e.payload, e.recorded_at, e.recorded_by_name, \
             e.corrects, e.reason FROM probation_events e JOIN persons p ON p.id = e.person_id \
             WHERE p.supervision_office = $1 AND p.supervision_until >= $2 \
             AND p.supervision_kind = $3 AND e.kind LIKE $4 \
             ORDER BY e.person_id, e.id",
        )
        .bind(location)
        .bind(today.to_string())
        .bind(supervision)
        .bind(format!("{prefix}%"))
        .fetch_all(&self.read)
        .await?)
    }

    /// How many persons each of `locations` supervises on `today`, by location.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn supervised_counts(
        &self,
        locations: &[String],
        today: jiff::civil::Date,
    ) -> Result<Vec<(String, i64)>, StorageError> {
        let mut counts = Vec::new();
        for location in locations {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM persons WHERE supervision_office = $1 \
                 AND supervision_until >= $2",
            )
            .bind(location.as_str())
            .bind(today.to_string())
            .fetch_one(&self.read)
            .await?;
            counts.push((location.clone(), n));
        }
        Ok(counts)
    }

    /// Appends a probation event and writes the projection, in one transaction; the id of the
    /// new event. The person must exist.
    ///
    /// # Errors
    ///
    /// [`StorageError::Conflict`] when another event was recorded since the writer read
    /// `expected_events` (nothing is written); a correction without a reason, or naming another
    /// person's event; a database failure.
    pub async fn append_probation_event(
        &self,
        actor: &Actor,
        person_id: i64,
        event: &NewProbationEvent<'_>,
    ) -> Result<i64, StorageError> {
        Ok(self
            .append_probation_event_once(actor, person_id, event, None)
            .await?
            .0)
    }

    /// [`Store::append_probation_event`], keeping the API's idempotent answer (the new event's id
    /// and the event count after it) in the same transaction.
    ///
    /// # Errors
    ///
    /// As [`Store::append_probation_event`]; [`StorageError::KeyTaken`] when a request under the
    /// same key committed first.
    pub async fn append_probation_event_once(
        &self,
        actor: &Actor,
        person_id: i64,
        event: &NewProbationEvent<'_>,
        key: Option<&AnswerKey<(i64, i64)>>,
    ) -> Result<(i64, i64), StorageError> {
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let id = Self::probation_event_in(&mut tx, actor, person_id, event).await?;
        let outcome = (id, event.expected_events + 1);
        keep_answer_in(key, &mut tx, &outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Appends a probation event and writes the projection inside `tx` (version-checked).
    pub(crate) async fn probation_event_in(
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person_id: i64,
        event: &NewProbationEvent<'_>,
    ) -> Result<i64, StorageError> {
        if event.corrects.is_some() && event.reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(StorageError::invalid_bilingual(
                "reason",
                "a correction needs a reason",
                "en rettelse må begrunnes",
            ));
        }
        if let Some(target) = event.corrects {
            let owner: Option<(i64,)> =
                sqlx::query_as("SELECT person_id FROM probation_events WHERE id = $1")
                    .bind(target)
                    .fetch_optional(&mut **tx)
                    .await?;
            if owner.map(|(p,)| p) != Some(person_id) {
                return Err(StorageError::invalid_bilingual(
                    "corrects",
                    format!("this person has no probation event {target}"),
                    format!("personen har ingen hendelse {target}"),
                ));
            }
        }
        sqlx::query(
            "INSERT INTO probation_cases (person_id, events, credited_minutes) VALUES ($1, 0, 0) \
             ON CONFLICT (person_id) DO NOTHING",
        )
        .bind(person_id)
        .execute(&mut **tx)
        .await?;
        // The version check: the writer's count, or nothing is written (and the row is locked
        // for the rest of the transaction on PostgreSQL).
        let updated = sqlx::query(
            "UPDATE probation_cases SET events = events + 1, officer = $3, stage = $4, \
             required_minutes = $5, credited_minutes = $6 WHERE person_id = $1 AND events = $2",
        )
        .bind(person_id)
        .bind(event.expected_events)
        .bind(event.officer)
        .bind(event.stage)
        .bind(event.required_minutes)
        .bind(event.credited_minutes)
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() != 1 {
            let (current,): (i64,) =
                sqlx::query_as("SELECT events FROM probation_cases WHERE person_id = $1")
                    .bind(person_id)
                    .fetch_one(&mut **tx)
                    .await?;
            return Err(StorageError::Conflict {
                expected: event.expected_events,
                current,
            });
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO probation_events (person_id, kind, payload, recorded_at, recorded_by, \
             recorded_by_name, corrects, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        )
        .bind(person_id)
        .bind(event.kind)
        .bind(event.payload.to_string())
        .bind(now_text())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .bind(event.corrects)
        .bind(event.reason)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }
}
