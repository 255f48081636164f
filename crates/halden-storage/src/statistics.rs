//! The register read for statistics (issue 7): every person's sex, citizenship and birth date,
//! and their movements, EM and community measures, judgments and summonses in effect, turned
//! into the episodes of STATISTICS.md §1 by `halden_stats::fold`. Nothing that identifies a
//! person leaves this function: persons become dense indices.

use std::collections::HashMap;

use halden_domain::queue::{PlannedForm, Waiting};
use halden_stats::{
    Dataset,
    model::{self, Measure, Person, Sex, Source, Supervision},
};
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::{
    StorageError, Store,
    facts::Fact,
    projection::{EntryFact, effective, movement_of},
};

/// The entry kinds the statistics read (a retraction can void any of them).
const KINDS: &str = "'movement', 'supervision', 'judgment', 'summons', 'retraction'";

impl Store {
    /// The register as the statistics count it, read up to the last entry now.
    ///
    /// # Errors
    ///
    /// A database failure, or a stored entry that no longer parses.
    pub async fn statistics_dataset(&self) -> Result<Dataset, StorageError> {
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
                let value: serde_json::Value = serde_json::from_str(payload)
                    .map_err(|e| StorageError::Corrupt(format!("entry {id}: {e}")))?;
                let fact = Fact::from_payload(kind, &value, "").map_err(|e| {
                    StorageError::Corrupt(format!(
                        "entry {id}: {}",
                        e.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ))
                })?;
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
            for (_, fact) in &in_effect {
                match fact {
                    Fact::Movement(m) => movements.extend(movement_of(m)),
                    Fact::Supervision(s) => match s.supervision.as_str() {
                        "electronic_monitoring" => em.push((s.from, s.until)),
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
                        received.push(j.received.or(j.final_date).unwrap_or(j.decision_date));
                    }
                    Fact::Summons(s) => summonses.push((s.sent_on, s.form.clone())),
                    _ => {}
                }
            }
            movements.sort_by_key(|m| m.at);
            let mine = halden_stats::fold::episodes(person, &movements, &em);
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
        let (places,): (Option<i64>,) = sqlx::query_as("SELECT SUM(capacity) FROM prisons")
            .fetch_one(&self.read)
            .await?;
        Ok(places.unwrap_or(0))
    }
}
