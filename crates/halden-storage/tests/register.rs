//! The register on the backend the run asks for (`HALDEN_TEST_BACKEND=sqlite|postgres`).

#![allow(clippy::unwrap_used, reason = "test fixtures")]

use halden_storage::{
    AccessQuery, Actor, AnswerKey, ImportRecord, PersonFilter, PrisonRow, StorageError, Store,
    facts::{Fact, Identity, Judgment, MovementFact},
    request_hash,
    testing::{fresh_store, fresh_store_twice},
};
use jiff::civil::{DateTime, date, datetime};
use serde_json::json;

fn prison(id: &str, unit: &str, level: &str) -> PrisonRow {
    PrisonRow {
        id: id.into(),
        name: format!("{unit} {id}"),
        unit: unit.into(),
        municipality: "Oslo".into(),
        region: "region øst".into(),
        security_level: level.into(),
        capacity: 100,
        women: 0,
        youth: 0,
        remand: 1,
    }
}

async fn store() -> Store {
    let store = fresh_store().await.unwrap();
    seed_estate(&store).await;
    store
}

async fn seed_estate(store: &Store) {
    store
        .seed_estate(
            &[
                prison("P001", "Oslo fengsel", "high"),
                prison("P002", "Oslo fengsel", "halfway"),
                prison("P010", "Bergen fengsel", "high"),
            ],
            &[],
            &[],
        )
        .await
        .unwrap();
}

fn officer() -> Actor {
    Actor {
        user_id: None,
        name: "Test Officer".into(),
    }
}

fn kari() -> Identity {
    Identity {
        identity_number: Some("15076500565".into()),
        temporary_id: None,
        family_name: "Nordmann".into(),
        given_names: "Kari".into(),
        birth_date: date(1965, 7, 15),
        sex: "female".into(),
        citizenship: "NO".into(),
        languages: vec!["nb".into()],
        interpreter_needed: false,
        home_municipality: Some("Oslo".into()),
    }
}

fn movement(kind: &str, at: DateTime, prison: Option<&str>, basis: Option<&str>) -> Fact {
    Fact::Movement(MovementFact {
        movement: kind.into(),
        at,
        prison: prison.map(Into::into),
        basis: basis.map(Into::into),
        due_back: None,
        note: None,
        capacity_override: None,
        youth_exception: None,
        institution: None,
    })
}

fn one_year(case_number: &str) -> Judgment {
    Judgment {
        case_number: case_number.into(),
        court: "Oslo tingrett".into(),
        decision_date: date(2025, 2, 1),
        final_date: Some(date(2025, 2, 20)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: vec![json!({"kind": "prison", "years": 1})],
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    }
}

#[tokio::test]
async fn an_admission_projects_to_the_roll_with_key_dates_from_the_engine() {
    let store = store().await;
    let (id, version) = store
        .register_person(
            &officer(),
            &kari(),
            &[
                Fact::Judgment(one_year("25-000001MED-OTIR/01")),
                movement(
                    "admission",
                    datetime(2025, 3, 3, 10, 0, 0, 0),
                    Some("P001"),
                    Some("sentence"),
                ),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(version, 3, "identity, judgment and admission");
    let person = store.person(id).await.unwrap().unwrap();
    assert_eq!(person.status, "present");
    assert_eq!(person.unit.as_deref(), Some("Oslo fengsel"));
    assert_eq!(person.security_level.as_deref(), Some("high"));
    // One year from 2025-03-03: 365 days, the last day served is 2026-03-02 (strgjfl § 42 / C-4:
    // admission + 365 − 1 days).
    assert_eq!(person.end_of_sentence.as_deref(), Some("2026-03-02"));
    let roll = store
        .persons(&PersonFilter {
            unit: Some("Oslo fengsel".into()),
            in_custody: true,
            limit: 100,
            ..PersonFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(roll.len(), 1);
    let elsewhere = store
        .persons(&PersonFilter {
            unit: Some("Bergen fengsel".into()),
            in_custody: true,
            limit: 100,
            ..PersonFilter::default()
        })
        .await
        .unwrap();
    assert!(elsewhere.is_empty());
}

#[tokio::test]
async fn a_stale_version_is_refused_and_writes_nothing() {
    let store = store().await;
    let (id, version) = store
        .register_person(
            &officer(),
            &kari(),
            &[movement(
                "admission",
                datetime(2025, 3, 3, 10, 0, 0, 0),
                Some("P001"),
                Some("remand"),
            )],
            None,
        )
        .await
        .unwrap();
    let leave = movement("leave_out", datetime(2025, 3, 5, 10, 0, 0, 0), None, None);
    store
        .append(&officer(), id, version, &leave, None, None, None)
        .await
        .unwrap();
    let again = store
        .append(&officer(), id, version, &leave, None, None, None)
        .await;
    assert!(
        matches!(again, Err(StorageError::Conflict { expected, current }) if expected == version && current == version + 1),
        "{again:?}"
    );
    assert_eq!(store.entries(id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_movement_that_cannot_follow_is_refused_naming_the_field() {
    let store = store().await;
    let (id, version) = store
        .register_person(&officer(), &kari(), &[], None)
        .await
        .unwrap();
    let back = movement(
        "leave_return",
        datetime(2025, 3, 5, 10, 0, 0, 0),
        None,
        None,
    );
    match store
        .append(&officer(), id, version, &back, None, None, None)
        .await
    {
        Err(StorageError::Invalid(errors)) => assert_eq!(errors[0].field, "kind"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(store.entries(id).await.unwrap().len(), 1, "nothing written");
    assert_eq!(store.person(id).await.unwrap().unwrap().version, version);
}

#[tokio::test]
async fn corrections_keep_history_and_retractions_void() {
    let store = store().await;
    let (id, v1) = store
        .register_person(
            &officer(),
            &kari(),
            &[movement(
                "admission",
                datetime(2025, 3, 3, 10, 0, 0, 0),
                Some("P010"),
                Some("remand"),
            )],
            None,
        )
        .await
        .unwrap();
    let entries = store.entries(id).await.unwrap();
    let admission_id = entries[1].id;
    // Wrong prison: correct it to Oslo, with a reason.
    let corrected = movement(
        "admission",
        datetime(2025, 3, 3, 10, 0, 0, 0),
        Some("P001"),
        Some("remand"),
    );
    let without_reason = store
        .append(
            &officer(),
            id,
            v1,
            &corrected,
            Some(admission_id),
            None,
            None,
        )
        .await;
    assert!(matches!(without_reason, Err(StorageError::Invalid(ref e)) if e[0].field == "reason"));
    let (_, v2) = store
        .append(
            &officer(),
            id,
            v1,
            &corrected,
            Some(admission_id),
            Some("registered in the wrong prison"),
            None,
        )
        .await
        .unwrap();
    let person = store.person(id).await.unwrap().unwrap();
    assert_eq!(person.prison_id.as_deref(), Some("P001"));
    assert_eq!(person.unit.as_deref(), Some("Oslo fengsel"));
    // The history still holds the original and the correction pointing at it.
    let history = store.entries(id).await.unwrap();
    assert_eq!(history.len(), 3);
    assert!(history[1].payload.contains("P010"));
    assert_eq!(history[2].corrects, Some(admission_id));
    // Retract the admission altogether.
    store
        .append(
            &officer(),
            id,
            v2,
            &Fact::Retraction,
            Some(admission_id),
            Some("person was never admitted"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        store.person(id).await.unwrap().unwrap().status,
        "not_admitted"
    );
}

#[tokio::test]
async fn entries_and_the_access_log_cannot_be_rewritten() {
    let store = store().await;
    let (id, _) = store
        .register_person(&officer(), &kari(), &[], None)
        .await
        .unwrap();
    store
        .log_access(1, "officer", "officer", id, "test", None)
        .await
        .unwrap();
    for sql in [
        "UPDATE entries SET kind = 'x'",
        "DELETE FROM entries",
        "UPDATE access_log SET view = 'x'",
        "DELETE FROM access_log",
    ] {
        let result = halden_storage::testing::execute_raw(&store, sql).await;
        assert!(result.is_err(), "{sql} must be refused");
    }
    let log = store
        .access_log(AccessQuery {
            person: Some(id),
            user: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert!(!log[0].is_break_glass());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_are_each_logged_once_before_they_return() {
    let store = store().await;
    let (id, _) = store
        .register_person(&officer(), &kari(), &[], None)
        .await
        .unwrap();
    // Many reads at once share commits (group commit); each returns only when its row is
    // committed, so every one is in the log as soon as all have returned.
    let mut reads = tokio::task::JoinSet::new();
    for n in 0..200 {
        let store = store.clone();
        reads.spawn(async move {
            let purpose = (n % 10 == 0).then(|| format!("purpose {n}"));
            store
                .log_access(
                    7,
                    "officer",
                    "officer",
                    id,
                    &format!("view {n}"),
                    purpose.as_deref(),
                )
                .await
        });
    }
    while let Some(result) = reads.join_next().await {
        result.unwrap().unwrap();
    }
    let log = store
        .access_log(AccessQuery {
            person: Some(id),
            user: Some(7),
            limit: 1000,
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 200);
    let mut views: Vec<&str> = log.iter().map(|e| e.view.as_str()).collect();
    views.sort_unstable();
    views.dedup();
    assert_eq!(views.len(), 200, "each read exactly once");
    for entry in &log {
        let n: usize = entry.view.trim_start_matches("view ").parse().unwrap();
        assert_eq!(entry.is_break_glass(), n % 10 == 0, "{}", entry.view);
        assert_eq!(entry.purpose.is_some(), n % 10 == 0, "{}", entry.view);
    }
    // A lone read afterwards is written at once, on its own.
    store
        .log_access(7, "officer", "officer", id, "alone", None)
        .await
        .unwrap();
    let newest = store
        .access_log(AccessQuery {
            person: Some(id),
            user: None,
            limit: 1,
        })
        .await
        .unwrap();
    assert_eq!(newest[0].view, "alone");
}

#[tokio::test]
async fn an_import_with_one_bad_record_writes_nothing() {
    let store = store().await;
    let mut bad = one_year("25-000002MED-OTIR/01");
    bad.sentences = vec![json!({"kind": "prison", "days": 0})];
    let mut other = kari();
    other.identity_number = Some("15076500566".into()); // control digit wrong
    let records = vec![
        ImportRecord {
            identity: kari(),
            judgment: one_year("25-000001MED-OTIR/01"),
        },
        ImportRecord {
            identity: other,
            judgment: bad,
        },
    ];
    match store.import_judgments(&officer(), &records, None).await {
        Err(StorageError::Invalid(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert!(
                fields.contains(&"judgments[1].person.identity_number"),
                "{fields:?}"
            );
            assert!(
                fields
                    .iter()
                    .any(|f| f.starts_with("judgments[1].sentences[0]")),
                "{fields:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(store.is_empty().await.unwrap());
    // The good record alone imports, once; the same judgment again is refused.
    let ok = store
        .import_judgments(&officer(), &records[..1], None)
        .await
        .unwrap();
    assert_eq!(ok.len(), 1);
    let again = store
        .import_judgments(&officer(), &records[..1], None)
        .await;
    assert!(
        matches!(again, Err(StorageError::Invalid(ref e)) if e[0].field == "judgments[0].case_number")
    );
}

#[tokio::test]
async fn an_idempotent_answer_is_kept_with_the_create_and_only_then() {
    let store = store().await;
    let body = br#"{"identity":"kari"}"#;
    assert!(
        store
            .idempotent_answer(1, "k1", "POST /x", body)
            .await
            .unwrap()
            .is_none()
    );
    let key = AnswerKey {
        user_id: 1,
        key: "k1".into(),
        request_hash: request_hash("POST /x", body),
        status: 201,
        render: |(id, version): &(i64, i64)| format!(r#"{{"id":{id},"version":{version}}}"#),
    };
    // A create that fails keeps no answer: a retry must run the request again.
    let mut nameless = kari();
    nameless.family_name = String::new();
    assert!(matches!(
        store
            .register_person(&officer(), &nameless, &[], Some(&key))
            .await,
        Err(StorageError::Invalid(_))
    ));
    assert!(
        store
            .idempotent_answer(1, "k1", "POST /x", body)
            .await
            .unwrap()
            .is_none()
    );
    // The create commits its answer with it.
    let (id, version) = store
        .register_person(&officer(), &kari(), &[], Some(&key))
        .await
        .unwrap();
    let same = store
        .idempotent_answer(1, "k1", "POST /x", body)
        .await
        .unwrap()
        .unwrap();
    assert!(same.same_request);
    assert_eq!(same.status, 201);
    assert_eq!(same.body, format!(r#"{{"id":{id},"version":{version}}}"#));
    // A racing retry that reaches the store anyway writes nothing and is told to replay.
    let mut other = kari();
    other.identity_number = None;
    other.temporary_id = Some("T-RETRY".into());
    assert!(matches!(
        store
            .register_person(&officer(), &other, &[], Some(&key))
            .await,
        Err(StorageError::KeyTaken)
    ));
    let everyone = store
        .persons(&PersonFilter {
            limit: 100,
            ..PersonFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(everyone.len(), 1, "the refused retry registered nobody");
    // The same key under another request, or another user, is not the same answer.
    let different = store
        .idempotent_answer(1, "k1", "POST /x", b"{}")
        .await
        .unwrap()
        .unwrap();
    assert!(!different.same_request);
    assert!(
        store
            .idempotent_answer(2, "k1", "POST /x", body)
            .await
            .unwrap()
            .is_none()
    );
}

/// Occupancy of `prisons` on each of `days`, as a list to compare.
async fn occupancy(store: &Store, prisons: &[&str], days: &[jiff::civil::Date]) -> Vec<Vec<i64>> {
    let mut all = Vec::new();
    for day in days {
        let counts = store.occupancy(*day).await.unwrap();
        all.push(
            prisons
                .iter()
                .map(|p| counts.get(*p).copied().unwrap_or(0))
                .collect(),
        );
    }
    all
}

fn temporary(id: &str, family: &str) -> Identity {
    Identity {
        identity_number: None,
        temporary_id: Some(id.into()),
        family_name: family.into(),
        ..kari()
    }
}

#[tokio::test]
async fn stays_follow_appends_corrections_retractions_and_the_bulk_seed_and_rebuild_the_same() {
    let store = store().await;
    // Kari: admitted to P001 on 03-03, transferred to P002 on 04-01.
    let (id, v) = store
        .register_person(
            &officer(),
            &kari(),
            &[movement(
                "admission",
                datetime(2025, 3, 3, 10, 0, 0, 0),
                Some("P001"),
                Some("sentence"),
            )],
            None,
        )
        .await
        .unwrap();
    let (transfer, v) = store
        .append(
            &officer(),
            id,
            v,
            &movement(
                "transfer",
                datetime(2025, 4, 1, 10, 0, 0, 0),
                Some("P002"),
                None,
            ),
            None,
            None,
            None,
        )
        .await
        .unwrap();
    let days = [
        date(2025, 3, 2),
        date(2025, 3, 3),
        date(2025, 4, 5),
        date(2025, 4, 10),
    ];
    let prisons = ["P001", "P002", "P010"];
    assert_eq!(
        occupancy(&store, &prisons, &days).await,
        [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
    );
    // The transfer was on 04-10, not 04-01: corrected, Kari is in P001 on 04-05.
    let (_, v) = store
        .append(
            &officer(),
            id,
            v,
            &movement(
                "transfer",
                datetime(2025, 4, 10, 10, 0, 0, 0),
                Some("P002"),
                None,
            ),
            Some(transfer),
            Some("wrong day"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        occupancy(&store, &prisons, &days).await,
        [[0, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]]
    );
    // And then there was no transfer at all.
    store
        .append(
            &officer(),
            id,
            v,
            &Fact::Retraction,
            Some(transfer),
            Some("never happened"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        occupancy(&store, &prisons, &days).await,
        [[0, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]
    );
    // Two seeded in bulk into P010 on 01-01, one released on 02-01.
    let seeded = |tid: &str, family: &str, released: bool| {
        let mut facts = vec![
            Fact::Identity(temporary(tid, family)),
            movement(
                "admission",
                datetime(2025, 1, 1, 10, 0, 0, 0),
                Some("P010"),
                Some("remand"),
            ),
        ];
        if released {
            facts.push(movement(
                "release",
                datetime(2025, 2, 1, 10, 0, 0, 0),
                None,
                None,
            ));
        }
        facts
    };
    store
        .seed_people(
            &officer(),
            &[seeded("T-1", "En", false), seeded("T-2", "To", true)],
        )
        .await
        .unwrap();
    let days = [
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 1, 31),
        date(2025, 2, 1),
        date(2025, 4, 5),
    ];
    let before = occupancy(&store, &prisons, &days).await;
    assert_eq!(
        before,
        [[0, 0, 0], [0, 0, 2], [0, 0, 2], [0, 0, 1], [1, 0, 1]]
    );
    // Rebuilt from the entries alone (the backfill of migration 0005): the same.
    store.rebuild_stays().await.unwrap();
    assert_eq!(occupancy(&store, &prisons, &days).await, before);
}

#[tokio::test]
async fn a_full_department_refuses_a_new_place_but_not_a_correction_of_one_held() {
    let store = fresh_store().await.unwrap();
    let mut small = prison("P020", "Liten fengsel", "lower");
    small.capacity = 1;
    store.seed_estate(&[small], &[], &[]).await.unwrap();
    let at = datetime(2025, 5, 1, 9, 0, 0, 0);
    let (first, v) = store
        .register_person(
            &officer(),
            &temporary("T-1", "Først"),
            &[movement("admission", at, Some("P020"), Some("sentence"))],
            None,
        )
        .await
        .unwrap();
    let refused = store
        .register_person(
            &officer(),
            &temporary("T-2", "Sist"),
            &[movement("admission", at, Some("P020"), Some("sentence"))],
            None,
        )
        .await;
    match refused {
        Err(StorageError::Invalid(list)) => {
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].field, "admission.prison");
            assert!(
                list[0].message.contains(
                    "Liten fengsel P020 (P020) is full on 2025-05-01: 1 places, 1 occupied"
                ),
                "{}",
                list[0].message
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        store
            .persons(&PersonFilter {
                search: Some("Sist".into()),
                limit: 10,
                ..PersonFilter::default()
            })
            .await
            .unwrap()
            .is_empty(),
        "nothing of the refused registration was written"
    );
    // Correcting the first person's admission (a note) takes no new place.
    let admission = store.entries(first).await.unwrap()[1].id;
    let Fact::Movement(mut noted) = movement("admission", at, Some("P020"), Some("sentence"))
    else {
        unreachable!()
    };
    noted.note = Some("came by ferry".into());
    store
        .append(
            &officer(),
            first,
            v,
            &Fact::Movement(noted),
            Some(admission),
            Some("add the note"),
            None,
        )
        .await
        .unwrap();
    // With a reason, the second place is taken.
    let Fact::Movement(mut overbooked) = movement("admission", at, Some("P020"), Some("sentence"))
    else {
        unreachable!()
    };
    overbooked.capacity_override = Some("court order".into());
    store
        .register_person(
            &officer(),
            &temporary("T-2", "Sist"),
            &[Fact::Movement(overbooked)],
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        store.occupancy(date(2025, 5, 1)).await.unwrap().get("P020"),
        Some(&2)
    );
}

#[tokio::test]
async fn a_kept_history_is_never_served_after_an_append() {
    // Two stores on one database: two servers, each with its own history cache.
    let (a, b) = fresh_store_twice().await.unwrap();
    seed_estate(&a).await;
    let admission = movement(
        "admission",
        datetime(2025, 3, 3, 10, 0, 0, 0),
        Some("P001"),
        Some("remand"),
    );
    let (id, v1) = a
        .register_person(&officer(), &kari(), std::slice::from_ref(&admission), None)
        .await
        .unwrap();
    // Read twice on `a`: the second read is the kept history, and the same.
    let first = a.entries_at(id, v1).await.unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(a.entries_at(id, v1).await.unwrap(), first);
    assert_eq!(b.entries_at(id, v1).await.unwrap(), first);

    // An append through the other server: `a` reads the new version and the new entry.
    let out = movement("leave_out", datetime(2025, 4, 1, 9, 0, 0, 0), None, None);
    let back = movement("leave_return", datetime(2025, 4, 2, 9, 0, 0, 0), None, None);
    let (entry, v2) = b
        .append(&officer(), id, v1, &out, None, None, None)
        .await
        .unwrap();
    let person = a.person(id).await.unwrap().unwrap();
    assert_eq!(person.version, v2);
    let second = a.entries_at(id, person.version).await.unwrap();
    assert_eq!(second.len(), 3);
    assert_eq!(second.last().unwrap().id, entry);
    assert_eq!(&second[..], &a.entries(id).await.unwrap()[..]);
    // And through its own server too.
    let (entry, v3) = a
        .append(&officer(), id, v2, &back, None, None, None)
        .await
        .unwrap();
    let third = b.entries_at(id, v3).await.unwrap();
    assert_eq!(third.len(), 4);
    assert_eq!(third.last().unwrap().id, entry);
    assert_eq!(a.entries_at(id, v3).await.unwrap(), third);

    // Kept under v3, on both servers: the history as of v3, for a reader that read v3.
    // A reader that read the person at v4 and the history after a further append gets the newer
    // history (as without the cache), which is not kept under v4.
    let again = movement("leave_out", datetime(2025, 4, 9, 9, 0, 0, 0), None, None);
    let (_, v4) = b
        .append(&officer(), id, v3, &again, None, None, None)
        .await
        .unwrap();
    let home = movement(
        "leave_return",
        datetime(2025, 4, 10, 9, 0, 0, 0),
        None,
        None,
    );
    let (_, v5) = a
        .append(&officer(), id, v4, &home, None, None, None)
        .await
        .unwrap();
    let late = b.entries_at(id, v4).await.unwrap();
    assert_eq!(late.len(), 6, "read after the append: the newer history");
    assert_eq!(
        b.entries_at(id, v4).await.unwrap().len(),
        6,
        "not kept under v4"
    );
    assert_eq!(b.entries_at(id, v5).await.unwrap(), late);
}
