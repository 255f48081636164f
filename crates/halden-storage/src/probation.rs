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

    /// The projections of everyone supervised on `today` by one of `locations` (office ids).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn probation_cases_at(
        &self,
        locations: &[String],
        today: jiff::civil::Date,
    ) -> Result<Vec<ProbationCase>, StorageError> {
        let mut all = Vec::new();
        for location in locations {
            let rows: Vec<ProbationCase> = sqlx::query_as(
                "SELECT c.person_id, c.events, c.officer, c.stage, c.required_minutes, \
                 c.credited_minutes FROM probation_cases c JOIN persons p ON p.id = c.person_id \
                 WHERE p.supervision_office = $1 AND p.supervision_until >= $2",
            )
            .bind(location.as_str())
            .bind(today.to_string())
            .fetch_all(&self.read)
            .await?;
            all.extend(rows);
        }
        Ok(all)
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
            .append_probation_event_keeping(actor, person_id, event, None)
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
    pub async fn append_probation_event_keeping(
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
