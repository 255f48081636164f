//! Pre-sentence reports (personundersøkelse, straffeprosessloven § 161; issue 6, item 2): a
//! court's request to a probation office location, as append-only `presentence_events` with the
//! `presentence_requests` projection written in the same transaction (migration 0023).
//!
//! The rules (what a request, a report and a delivery must say; overdue) live in
//! `halden_domain::presentence`; the caller checks there and hands over the projection's new
//! values with the event, so this module keeps the log, its version and the idempotent answer.

use crate::{
    Actor, AnswerKey, StorageError, Store,
    facts::Identity,
    idempotency::{claim_key_in, keep_answer_in},
    now_text,
};

/// A request as it stands (the projection), with the person's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PresentenceRow {
    /// Id.
    pub id: i64,
    /// The person the report is about.
    pub person_id: i64,
    /// The person's family name.
    pub family_name: String,
    /// The person's given names.
    pub given_names: String,
    /// The probation office location the court asked (e.g. `F001`).
    pub location: String,
    /// How many events are recorded (the version).
    pub events: i64,
    /// The court.
    pub court: String,
    /// The court's case number.
    pub case_number: String,
    /// The day the court asked (ISO date).
    pub requested_on: String,
    /// The deadline (ISO date).
    pub deadline: String,
    /// The officer assigned (username).
    pub officer: Option<String>,
    /// How many versions of the report are written.
    pub report_versions: i64,
    /// The day it was delivered to the court (ISO date).
    pub delivered_on: Option<String>,
}

impl PresentenceRow {
    /// "Given Family".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_names, self.family_name)
    }
}

/// One stored event of a request.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PresentenceEventRow {
    /// Id.
    pub id: i64,
    /// The request.
    pub request_id: i64,
    /// `request`, `assignment`, `report` or `delivery`.
    pub kind: String,
    /// The payload as JSON text.
    pub payload: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// Who, by name.
    pub recorded_by_name: String,
    /// The event it replaces.
    pub corrects: Option<i64>,
    /// Why (changes).
    pub reason: Option<String>,
}

impl PresentenceEventRow {
    /// The payload as JSON (`null` when unreadable).
    pub fn payload_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

/// Whom a new request is about.
#[derive(Debug, Clone)]
pub enum PersonRef {
    /// A person in the register, by id.
    Existing(i64),
    /// A person by identity: the registered person with this identity number (or temporary
    /// id), else a new registration with it, in the request's transaction.
    Identity(Identity),
}

/// The projection's values after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentenceState {
    /// The court.
    pub court: String,
    /// The case number.
    pub case_number: String,
    /// The day the court asked.
    pub requested_on: jiff::civil::Date,
    /// The deadline.
    pub deadline: jiff::civil::Date,
    /// The officer assigned.
    pub officer: Option<String>,
    /// Report versions written.
    pub report_versions: i64,
    /// Delivered on.
    pub delivered_on: Option<jiff::civil::Date>,
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewPresentenceRequest<'a> {
    /// Whom it is about.
    pub person: &'a PersonRef,
    /// The location the court asked.
    pub location: &'a str,
    /// The request's values.
    pub state: &'a PresentenceState,
    /// The `request` event's payload.
    pub payload: &'a serde_json::Value,
}

/// A new event on a request: what to record and the projection after it.
#[derive(Debug, Clone)]
pub struct NewPresentenceEvent<'a> {
    /// The kind.
    pub kind: &'a str,
    /// The payload.
    pub payload: &'a serde_json::Value,
    /// The event it replaces (same kind).
    pub corrects: Option<i64>,
    /// Why (required with `corrects`).
    pub reason: Option<&'a str>,
    /// The events the writer read (the version); another count is a conflict.
    pub expected_events: i64,
    /// The projection after the event.
    pub state: &'a PresentenceState,
}

const ROW_COLUMNS: &str = "r.id, r.person_id, p.family_name, p.given_names, r.location, \
    r.events, r.court, r.case_number, r.requested_on, r.deadline, r.officer, r.report_versions, \
    r.delivered_on";

impl Store {
    /// Records a court's request (and registers the person when asked), in one transaction:
    /// (request id, version 1).
    ///
    /// # Errors
    ///
    /// `Invalid` when the person does not exist or the identity cannot be registered (named
    /// `person_id` / `identity…`); `KeyTaken` when a retry under the same key committed first;
    /// a database failure. Nothing is written then.
    pub async fn create_presentence_request(
        &self,
        actor: &Actor,
        new: &NewPresentenceRequest<'_>,
        key: Option<&AnswerKey<(i64, i64)>>,
    ) -> Result<(i64, i64), StorageError> {
        if let PersonRef::Identity(identity) = new.person {
            let problems = crate::facts::Fact::Identity(identity.clone()).problems("identity");
            if !problems.is_empty() {
                return Err(StorageError::Invalid(problems));
            }
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        let person_id = match new.person {
            PersonRef::Existing(id) => {
                let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM persons WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                found.map(|(id,)| id).ok_or_else(|| {
                    StorageError::invalid_bilingual(
                        "person_id",
                        format!("no person {id} in the register"),
                        format!("ingen person {id} i registeret"),
                    )
                })?
            }
            PersonRef::Identity(identity) => match Self::find_person_in(&mut tx, identity).await? {
                Some(id) => id,
                None => {
                    let id = Self::create_person_in(&mut tx, actor, identity).await?;
                    Self::reproject(&mut tx, id, 0, 1).await?;
                    id
                }
            },
        };
        let s = new.state;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO presentence_requests (person_id, location, events, court, case_number, \
             requested_on, deadline, officer, report_versions, delivered_on) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(person_id)
        .bind(new.location)
        .bind(s.court.as_str())
        .bind(s.case_number.as_str())
        .bind(s.requested_on.to_string())
        .bind(s.deadline.to_string())
        .bind(s.officer.as_deref())
        .bind(s.report_versions)
        .bind(s.delivered_on.map(|d| d.to_string()))
        .fetch_one(&mut *tx)
        .await?;
        Self::insert_presentence_event(&mut tx, actor, id, "request", new.payload, None, None)
            .await?;
        keep_answer_in(key, &mut tx, &(id, 1)).await?;
        tx.commit().await?;
        Ok((id, 1))
    }

    async fn insert_presentence_event(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        request_id: i64,
        kind: &str,
        payload: &serde_json::Value,
        corrects: Option<i64>,
        reason: Option<&str>,
    ) -> Result<i64, StorageError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO presentence_events (request_id, kind, payload, recorded_at, \
             recorded_by, recorded_by_name, corrects, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(request_id)
        .bind(kind)
        .bind(payload.to_string())
        .bind(now_text())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .bind(corrects)
        .bind(reason)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Appends an event to a request and writes the projection, in one transaction:
    /// (event id, new version).
    ///
    /// # Errors
    ///
    /// `NotFound` for no such request; `Conflict` when another event was recorded since the
    /// writer read `expected_events`; `Invalid` for a change without a reason or naming another
    /// request's event, or of another kind; `KeyTaken`; a database failure. Nothing is written
    /// then.
    pub async fn append_presentence_event(
        &self,
        actor: &Actor,
        request_id: i64,
        event: &NewPresentenceEvent<'_>,
        key: Option<&AnswerKey<(i64, i64)>>,
    ) -> Result<(i64, i64), StorageError> {
        let reason = event.reason.map(str::trim).filter(|r| !r.is_empty());
        if event.corrects.is_some() && reason.is_none() {
            return Err(StorageError::invalid_bilingual(
                "reason",
                "a change needs a reason",
                "en endring må begrunnes",
            ));
        }
        let mut tx = self.write.begin().await?;
        claim_key_in(key, &mut tx).await?;
        if let Some(target) = event.corrects {
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT request_id, kind FROM presentence_events WHERE id = $1")
                    .bind(target)
                    .fetch_optional(&mut *tx)
                    .await?;
            match row {
                Some((owner, kind)) if owner == request_id && kind == event.kind => {}
                Some((owner, kind)) if owner == request_id => {
                    return Err(StorageError::invalid_bilingual(
                        "corrects",
                        format!(
                            "event {target} is a {kind}; a {} cannot replace it",
                            event.kind
                        ),
                        format!(
                            "hendelse {target} er av typen {kind} og kan ikke erstattes av {}",
                            event.kind
                        ),
                    ));
                }
                _ => {
                    return Err(StorageError::invalid_bilingual(
                        "corrects",
                        format!("this request has no event {target}"),
                        format!("bestillingen har ingen hendelse {target}"),
                    ));
                }
            }
        }
        let s = event.state;
        // The version check: the writer's count, or nothing is written (and the row is locked
        // for the rest of the transaction on PostgreSQL).
        let updated = sqlx::query(
            "UPDATE presentence_requests SET events = events + 1, court = $3, case_number = $4, \
             requested_on = $5, deadline = $6, officer = $7, report_versions = $8, \
             delivered_on = $9 WHERE id = $1 AND events = $2",
        )
        .bind(request_id)
        .bind(event.expected_events)
        .bind(s.court.as_str())
        .bind(s.case_number.as_str())
        .bind(s.requested_on.to_string())
        .bind(s.deadline.to_string())
        .bind(s.officer.as_deref())
        .bind(s.report_versions)
        .bind(s.delivered_on.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            let current: Option<(i64,)> =
                sqlx::query_as("SELECT events FROM presentence_requests WHERE id = $1")
                    .bind(request_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match current {
                None => StorageError::NotFound,
                Some((current,)) => StorageError::Conflict {
                    expected: event.expected_events,
                    current,
                },
            });
        }
        let id = Self::insert_presentence_event(
            &mut tx,
            actor,
            request_id,
            event.kind,
            event.payload,
            event.corrects,
            reason,
        )
        .await?;
        let version = event.expected_events + 1;
        keep_answer_in(key, &mut tx, &(id, version)).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// A request as it stands.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn presentence_request(
        &self,
        id: i64,
    ) -> Result<Option<PresentenceRow>, StorageError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ROW_COLUMNS} FROM presentence_requests r JOIN persons p ON p.id = r.person_id \
             WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.write)
        .await?)
    }

    /// The requests of `locations` (every request when `None`), by deadline.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn presentence_requests(
        &self,
        locations: Option<&[String]>,
    ) -> Result<Vec<PresentenceRow>, StorageError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM presentence_requests r JOIN persons p ON p.id = r.person_id"
        );
        let order = " ORDER BY r.deadline, r.id";
        match locations {
            None => Ok(sqlx::query_as(&format!("{sql}{order}"))
                .fetch_all(&self.read)
                .await?),
            Some(locations) => {
                let mut all = Vec::new();
                for location in locations {
                    let rows: Vec<PresentenceRow> =
                        sqlx::query_as(&format!("{sql} WHERE r.location = $1{order}"))
                            .bind(location.as_str())
                            .fetch_all(&self.read)
                            .await?;
                    all.extend(rows);
                }
                all.sort_by(|a, b| (&a.deadline, a.id).cmp(&(&b.deadline, b.id)));
                Ok(all)
            }
        }
    }

    /// A request's events, oldest first.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn presentence_events(
        &self,
        request_id: i64,
    ) -> Result<Vec<PresentenceEventRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT id, request_id, kind, payload, recorded_at, recorded_by_name, corrects, \
             reason FROM presentence_events WHERE request_id = $1 ORDER BY id",
        )
        .bind(request_id)
        .fetch_all(&self.write)
        .await?)
    }
}
