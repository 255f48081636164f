//! The register read for statistics (issue 7): every person's sex, citizenship and birth date,
//! and their movements, EM and community measures, judgments and summonses in effect, turned
//! into the episodes of STATISTICS.md §1 by `halden_stats::fold`. Nothing that identifies a
//! person leaves this function: persons become dense indices.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use halden_domain::queue::{PlannedForm, Waiting};
use halden_stats::{
    Dataset,
    model::{self, Measure, Person, Sex, Source, Supervision},
};
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::{
    StorageError, Store,
    facts::{Fact, Judgment, MovementFact, SummonsFact, SupervisionFact},
    projection::{EntryFact, effective, movement_of},
};

/// The last dataset read, under the register's size when it was read: (entries, last entry id,
/// persons). Entries are append-only and every change to a person is an entry, so the same
/// size is the same register; a transaction committing late with a lower id still changes the
/// count. Never stale, only reused.
#[derive(Debug, Default)]
pub(crate) struct Cache(Mutex<Option<(RegisterSize, Arc<Dataset>)>>);

/// (entries, last entry id, persons).
type RegisterSize = (i64, i64, i64);

/// A stored payload of one of the kinds the statistics read.
fn parse(kind: &str, payload: &str) -> Result<Fact, String> {
    let fact = match kind {
        "movement" => Fact::Movement(
            serde_json::from_str::<MovementFact>(payload).map_err(|e| e.to_string())?,
        ),
        "supervision" => Fact::Supervision(
            serde_json::from_str::<SupervisionFact>(payload).map_err(|e| e.to_string())?,
        ),
        "judgment" => {
            Fact::Judgment(serde_json::from_str::<Judgment>(payload).map_err(|e| e.to_string())?)
        }
        "summons" => {
            Fact::Summons(serde_json::from_str::<SummonsFact>(payload).map_err(|e| e.to_string())?)
        }
        "retraction" => Fact::Retraction,
        other => return Err(format!("unexpected kind {other}")),
    };
    Ok(fact)
}

/// The entry kinds the statistics read (a retraction can void any of them).
const KINDS: &str = "'movement', 'supervision', 'judgment', 'summons', 'retraction'";

impl Store {
    /// The register as the statistics count it, read up to the last entry now (or the same
    /// dataset as last time, when the register has not changed since).
    ///
    /// # Errors
    ///
    /// A database failure, or a stored entry that no longer parses.
    pub async fn statistics_dataset(&self) -> Result<Arc<Dataset>, StorageError> {
        let (count, last): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(id) FROM entries")
                .fetch_one(&self.read)
                .await?;
        let (persons,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM persons")
            .fetch_one(&self.read)
            .await?;
        let key = (count, last.unwrap_or(0), persons);
        if let Ok(guard) = self.statistics_cache.0.lock()
            && let Some((k, ds)) = guard.as_ref()
            && *k == key
        {
            return Ok(Arc::clone(ds));
        }
        let ds = Arc::new(self.read_statistics_dataset().await?);
        // Kept only if the register did not change while it was read.
        let (count_after, last_after): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(id) FROM entries")
                .fetch_one(&self.read)
                .await?;
        if (count_after, last_after.unwrap_or(0)) == (key.0, key.1)
            && let Ok(mut guard) = self.statistics_cache.0.lock()
        {
            *guard = Some((key, Arc::clone(&ds)));
        }
        Ok(ds)
    }

    async fn read_statistics_dataset(&self) -> Result<Dataset, StorageError> {
        let persons: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, sex, citizenship, birth_date FROM persons ORDER BY id")
                .fetch_all(&self.read)
                .await?;
        let entries: Vec<(i64, i64, String, String, Option<i64>)> = sqlx::query_as(&format!(
            "SELECT id, person_id, kind, payload, corrects FROM entries \
             WHERE kind IN ({KINDS}) ORDER BY person_id, id"
        ))
        .fetch_all(&self.read)
        .await?;
        let (position,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM entries")
            .fetch_one(&self.read)
            .await?;
        let mut hash = Sha256::new();
        let mut index: HashMap<i64, u32> = HashMap::with_capacity(persons.len());
        let mut out_persons = Vec::with_capacity(persons.len());
        for (id, sex, citizenship, birth) in &persons {
            hash.update(format!("p{id},{sex},{citizenship},{birth}\n"));
            index.insert(*id, u32::try_from(out_persons.len()).unwrap_or(u32::MAX));
            let c = citizenship.trim().as_bytes();
            out_persons.push(Person {
                sex: match sex.as_str() {
                    "female" => Sex::Female,
                    "male" => Sex::Male,
                    _ => Sex::Unknown,
                },
                citizenship: (c.len() == 2 && c.iter().all(u8::is_ascii_alphabetic))
                    .then(|| [c[0].to_ascii_uppercase(), c[1].to_ascii_uppercase()]),
                birth: birth.parse::<Date>().ok(),
            });
        }
        let mut episodes = Vec::new();
        let mut supervision = Vec::new();
        let mut judgments = Vec::new();
        let mut start = 0;
        while start < entries.len() {
            let person_id = entries[start].1;
            let end = entries[start..]
                .iter()
                .position(|e| e.1 != person_id)
                .map_or(entries.len(), |n| start + n);
            let mut facts = Vec::with_capacity(end - start);
            for (id, _, kind, payload, corrects) in &entries[start..end] {
                hash.update(format!(
                    "e{id},{person_id},{kind},{}\n",
                    corrects.unwrap_or(0)
                ));
                hash.update(payload.as_bytes());
                let fact = parse(kind, payload)
                    .map_err(|e| StorageError::Corrupt(format!("entry {id}: {e}")))?;
                facts.push(EntryFact {
                    id: *id,
                    corrects: *corrects,
                    fact,
                });
            }
            start = end;
            let Some(&person) = index.get(&person_id) else {
                continue;
            };
            let in_effect = effective(&facts);
            let mut movements = Vec::new();
            let mut em = Vec::new();
            let mut received = Vec::new();
            let mut summonses = Vec::new();
            let mut imposed = Vec::new();
            for (_, fact) in &in_effect {
                match fact {
                    Fact::Movement(m) => movements.extend(movement_of(m)),
                    Fact::Supervision(s) => match s.supervision.as_str() {
                        "electronic_monitoring" => em.push((s.from, s.until)),
                        // A suspended sentence with the programme condition (R-PROG-1) is
                        // neither a community sentence nor parole in the statistics.
                        "driving_programme" => {}
                        kind => supervision.push(Supervision {
                            person,
                            measure: if kind == "parole" {
                                Measure::Parole
                            } else {
                                Measure::CommunitySentence
                            },
                            start: model::day(s.from),
                            end: Some(model::day(s.until) + 1),
                        }),
                    },
                    // Judgments to imprisonment (as the queue of the projection reads them).
                    Fact::Judgment(j)
                        if !j.sentences.is_empty() || j.preventive_detention.is_some() =>
                    {
                        let on = j.received.or(j.final_date).unwrap_or(j.decision_date);
                        received.push(on);
                        if let Some(term) = imposed_prison_term(j) {
                            imposed.push((on, term));
                        }
                    }
                    Fact::Summons(s) => summonses.push((s.sent_on, s.form.clone())),
                    _ => {}
                }
            }
            movements.sort_by_key(|m| m.at);
            let mut mine = halden_stats::fold::episodes(person, &movements, &em);
            halden_stats::fold::assign_bands(&mut mine, &imposed);
            // One serving per start: judgments served together count once, from the earliest
            // receipt (as the register's queue counts persons).
            received.sort_unstable();
            let mut seen_starts: Vec<Option<Date>> = Vec::new();
            for r in received {
                let started = halden_stats::fold::started(&mine, r);
                if started.is_some() && seen_starts.contains(&started) {
                    continue;
                }
                if started.is_none() && seen_starts.contains(&None) {
                    continue;
                }
                seen_starts.push(started);
                let form = summonses
                    .iter()
                    .filter(|(sent, _)| *sent >= r)
                    .max_by_key(|(sent, _)| *sent)
                    .and_then(|(_, f)| PlannedForm::parse(f))
                    .unwrap_or(PlannedForm::Prison);
                judgments.push(Waiting {
                    received: r,
                    started,
                    form,
                });
            }
            episodes.extend(mine);
        }
        let source = Source {
            kind: "register",
            log_position: position,
            digest: hex::encode(hash.finalize()),
        };
        Dataset::new(out_persons, episodes, supervision, judgments, source)
            .map_err(|e| StorageError::Corrupt(format!("statistics: {e}")))
    }

    /// The estate's places: the sum of every department's capacity.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn total_places(&self) -> Result<i64, StorageError> {
        // PostgreSQL sums BIGINT as NUMERIC: cast back, so both backends answer a 64-bit integer.
        let (places,): (Option<i64>,) =
            sqlx::query_as("SELECT CAST(SUM(capacity) AS BIGINT) FROM prisons")
                .fetch_one(&self.read)
                .await?;
        Ok(places.unwrap_or(0))
    }
}

/// The prison term a judgment imposes, as the judgment states it, for the sentence bands:
/// the sum of its prison and transferred sentences (their unconditional part when partly
/// suspended), `None` for preventive detention (its own row) or a judgment of fine default only.
fn imposed_prison_term(j: &crate::facts::Judgment) -> Option<halden_stats::bands::Imposed> {
    if j.preventive_detention.is_some() {
        return None;
    }
    let part = |v: &serde_json::Value, key: &str| {
        v.get(key).and_then(serde_json::Value::as_i64).unwrap_or(0)
    };
    let mut total = halden_stats::bands::Imposed {
        years: 0,
        months: 0,
        days: 0,
    };
    let mut any = false;
    for sentence in &j.sentences {
        let kind = sentence.get("kind").and_then(serde_json::Value::as_str);
        if !matches!(kind, Some("prison" | "foreign_transfer")) {
            continue;
        }
        let term = sentence
            .get("unconditional")
            .filter(|u| u.is_object())
            .unwrap_or(sentence);
        total.years += part(term, "years");
        total.months += part(term, "months");
        total.days += part(term, "days");
        any = true;
    }
    any.then_some(total)
}
