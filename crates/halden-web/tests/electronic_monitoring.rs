//! EM home detention (issue 6, item 4): the application with consents, daytime activity and the
//! weekly schedule, eligibility (R-EM-2), device, breaches and their handling, and revocation back
//! to prison in one transaction with the dates recomputed; through the API and the pages, on the
//! backend the run asks for.
//!
//! Expected dates are worked by hand: a 60-day unconditional sentence served from the first EM
//! day D ends on D + 59 (strgjfl § 16 a: EM days are served days; C-4 end of sentence).

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    Actor, NewEntry, NewProbationEvent,
    facts::{Fact, Judgment, SupervisionFact},
};
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use support::{World, admission, hidden, identity, number, summary, world};

fn fixture() -> Actor {
    Actor {
        user_id: None,
        name: "fixture".into(),
    }
}

/// A person sentenced to `sentence` (decided 50 days before `from`, final 36 days before it),
/// on EM under `office` from `from` to `until`.
async fn em_person(
    w: &World,
    serial: u32,
    sentence: Value,
    office: &str,
    from: Date,
    until: Date,
) -> i64 {
    let who = identity(&number(serial), "Hjemme");
    let judgment = Judgment {
        case_number: format!("25-{serial}MED-OTIR/01"),
        court: "Oslo tingrett".into(),
        decision_date: from.checked_sub(jiff::Span::new().days(50)).unwrap(),
        final_date: Some(from.checked_sub(jiff::Span::new().days(36)).unwrap()),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: vec![sentence],
        preventive_detention: None,
        community_sentence: None,
        driving_programme: None,
    };
    let (id, _) = w
        .store
        .register_person(
            &fixture(),
            &who,
            &[
                Fact::Judgment(judgment),
                Fact::Supervision(SupervisionFact {
                    supervision: "electronic_monitoring".into(),
                    office: office.into(),
                    from,
                    until,
                    office_reason: None,
                }),
            ],
            None,
        )
        .await
        .unwrap();
    id
}

/// Home 00:00–07:00 and 18:00–24:00 on weekdays, all weekend.
fn schedule() -> Value {
    let weekday = json!([{"from": "00:00", "until": "07:00"}, {"from": "18:00", "until": "24:00"}]);
    let all = json!([{"from": "00:00", "until": "24:00"}]);
    json!({
        "monday": weekday, "tuesday": weekday, "wednesday": weekday, "thursday": weekday,
        "friday": weekday, "saturday": all, "sunday": all,
    })
}

fn application(from: &str) -> Value {
    json!({
        "date": "2025-05-10",
        "door": "front_door",
        "from": from,
        "address": "Storgata 1, 0155 Oslo",
        "adults": [{"name": "Kari Hjemme", "consent_date": "2025-05-09"}],
        "activity": {"kind": "work", "description": "Snekker, mandag–fredag 07:30–15:30"},
        "schedule": schedule(),
    })
}

async fn get(w: &World, role: &str, id: i64) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "GET",
        &format!("/api/v1/persons/{id}/em"),
        None,
        &[],
    )
    .await
}

async fn post(w: &World, id: i64, kind: &str, payload: Value) -> (StatusCode, Value) {
    let (_, view) = get(w, "probation", id).await;
    let version = view["version"].as_i64().unwrap();
    w.api(
        Some("probation"),
        "POST",
        &format!("/api/v1/persons/{id}/em/events"),
        Some(json!({"kind": kind, "version": version, "payload": payload})),
        &[],
    )
    .await
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn date_of(body: &Value, key: &str) -> Value {
    body["dates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == key)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_em_case_from_application_to_revocation_recomputes_the_dates() {
    let w = world().await;
    // 60 days on EM from 2025-05-20: 12 days of May + 30 of June = 42, + 18 of July = 60, so the
    // sentence ends on 2025-07-18.
    let id = em_person(
        &w,
        40,
        json!({"kind": "prison", "days": 60}),
        "F001",
        date(2025, 5, 20),
        date(2025, 7, 18),
    )
    .await;
    let (status, view) = get(&w, "probation", id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["stage"], Value::Null);
    assert_eq!(view["end_of_sentence"], "2025-07-18");
    assert_eq!(view["eligibility"]["front_door"]["eligible"], true);

    // The application: an adult without a consent, an overlapping range and a range past midnight
    // are each named.
    let mut wrong = application("2025-05-20");
    wrong["adults"] =
        json!([{"name": "Kari Hjemme", "consent_date": "2025-05-09"}, {"name": "Per Hjemme"}]);
    wrong["schedule"]["tuesday"] =
        json!([{"from": "00:00", "until": "07:00"}, {"from": "06:00", "until": "08:00"}]);
    wrong["schedule"]["friday"] = json!([{"from": "18:00", "until": "07:00"}]);
    let (status, body) = post(&w, id, "application", wrong.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.schedule.friday[0].until"]);
    wrong["schedule"]["friday"] = schedule()["friday"].clone();
    let (status, body) = post(&w, id, "application", wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        fields(&body),
        [
            "payload.adults[1].consent_date",
            "payload.schedule.tuesday[1]"
        ]
    );
    assert!(body.to_string().contains("R-EM-4"));
    let (status, body) = post(&w, id, "application", application("2025-05-20")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = post(&w, id, "grant", json!({"date": "2025-05-15"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let device = json!({"action": "fitted", "serial": "EM-0042", "at": "2025-05-20T09:00"});
    let (status, body) = post(&w, id, "device", device).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A breach: an unknown kind is named, then recorded; a warning handles it.
    let breach =
        json!({"kind": "late", "at": "2025-05-25T22:15", "description": "Ikke hjemme 22:15–23:40"});
    let (status, body) = post(&w, id, "breach", breach.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.kind"]);
    let mut breach = breach;
    breach["kind"] = json!("absence");
    let (status, body) = post(&w, id, "breach", breach).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let first = body["event"].as_i64().unwrap();
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "breached");
    let warning = json!({"breach": first, "action": "warning", "date": "2025-05-26", "description": "Skriftlig advarsel"});
    let (status, body) = post(&w, id, "handling", warning).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let alcohol =
        json!({"kind": "alcohol", "at": "2025-05-31T21:00", "description": "Positiv alkoholtest"});
    let (status, body) = post(&w, id, "breach", alcohol).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let second = body["event"].as_i64().unwrap();
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["breaches"][0]["handled"]["action"], "warning");
    assert_eq!(view["breaches"][1]["handled"], Value::Null);
    // 5 × (7 + 6) h + 2 × 24 h = 65 + 48 = 113 h = 6780 minutes at home a week.
    assert_eq!(view["schedule_weekly_minutes"], 6780);

    // Revocation: without a reason it is refused (a restrictive decision), and so is a stale
    // register version.
    let (version, register_version) = (
        view["version"].as_i64().unwrap(),
        view["register_version"].as_i64().unwrap(),
    );
    let revocation = |reason: &str, register_version: i64| {
        json!({"version": version, "register_version": register_version,
               "at": "2025-06-01T10:00", "prison": "P001", "breach": second, "reason": reason})
    };
    let path = format!("/api/v1/persons/{id}/em/revocation");
    let (status, body) = w
        .api(
            Some("probation"),
            "POST",
            &path,
            Some(revocation(" ", register_version)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["reason"]);
    let (status, _) = w
        .api(
            Some("probation"),
            "POST",
            &path,
            Some(revocation("Brudd etter advarsel", register_version - 1)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let key = [("Idempotency-Key", "revoke-40")];
    let body_in = revocation("Nytt brudd etter skriftlig advarsel", register_version);
    let (status, answer) = w
        .api(
            Some("probation"),
            "POST",
            &path,
            Some(body_in.clone()),
            &key,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // Two register entries (the EM period ended on 2025-05-31, the admission) in one step.
    assert_eq!(answer["register_version"], register_version + 2);
    assert_eq!(answer["entries"].as_array().unwrap().len(), 2);
    assert_eq!(answer["custody"]["status"], "present");
    assert_eq!(answer["custody"]["prison"], "P001");
    // The end date is unchanged: the 12 EM days of May count as served.
    assert_eq!(answer["end_of_sentence"], "2025-07-18");
    let end = date_of(&answer, "end_of_sentence");
    assert_eq!(end["date"], "2025-07-18");
    assert!(!end["rule"].as_str().unwrap().is_empty());
    assert!(!end["explanation"]["nb"].as_str().unwrap().is_empty());
    // The same key replays the answer and writes nothing more.
    let (status, again) = w
        .api(Some("probation"), "POST", &path, Some(body_in), &key)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, answer);
    let entries = w.store.entries(id).await.unwrap();
    assert_eq!(entries.len() as i64, register_version + 2);
    let correction = entries.iter().rev().find(|e| e.corrects.is_some()).unwrap();
    assert_eq!(correction.payload_json()["until"], "2025-05-31");
    assert!(
        correction
            .reason
            .as_deref()
            .unwrap()
            .contains("strgjfl § 16 a")
    );

    // The EM period has ended: the office no longer reads the record (404); national placement
    // reads the revoked case with the breach answered by the revocation.
    assert_eq!(get(&w, "probation", id).await.0, StatusCode::NOT_FOUND);
    let (status, view) = get(&w, "placement", id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["stage"], "revoked");
    assert_eq!(view["breaches"][1]["handled"]["action"], "revocation");
    assert_eq!(view["periods"][0]["until"], "2025-05-31");
    assert_eq!(view["end_of_sentence"], "2025-07-18");
    assert_eq!(view["custody"]["status"], "present");
}

#[tokio::test]
async fn front_door_over_the_limit_is_refused_with_the_rule() {
    let w = world().await;
    // 8 months is over the six months in force for a decision after 2020-09-01 (R-EM-1).
    let id = em_person(
        &w,
        41,
        json!({"kind": "prison", "months": 8}),
        "F001",
        date(2025, 5, 20),
        date(2025, 12, 31),
    )
    .await;
    let (status, body) = post(&w, id, "application", application("2025-05-20")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.door"]);
    let text = body.to_string();
    assert!(
        text.contains("R-EM-2") && text.contains("strgjfl § 16 a"),
        "{text}"
    );
    // A back door needs a person in prison (R-EM-3).
    let mut back = application("2025-05-20");
    back["door"] = json!("back_door");
    let (status, body) = post(&w, id, "application", back).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(fields(&body).contains(&"payload.door".to_string()));
    assert!(body.to_string().contains("R-EM-3"));
}

#[tokio::test]
async fn the_briefs_example_revoked_on_day_twenty_still_ends_on_the_first_of_april() {
    // 60 days from 2025-02-01: 28 days of February + 31 of March = 59, so day 60 is 2025-04-01.
    // Revoked with admission on 2025-02-20: the EM period ends on 2025-02-19 and the serving
    // continues, still ending on 2025-04-01.
    let w = world().await;
    let id = em_person(
        &w,
        42,
        json!({"kind": "prison", "days": 60}),
        "F001",
        date(2025, 2, 1),
        date(2025, 4, 1),
    )
    .await;
    let before = w.store.person(id).await.unwrap().unwrap();
    assert_eq!(before.end_of_sentence.as_deref(), Some("2025-04-01"));
    let entries = w.store.entries(id).await.unwrap();
    let em_entry = entries.iter().find(|e| e.kind == "supervision").unwrap();
    let ended = Fact::Supervision(SupervisionFact {
        supervision: "electronic_monitoring".into(),
        office: "F001".into(),
        from: date(2025, 2, 1),
        until: date(2025, 2, 19),
        office_reason: None,
    });
    let admitted = admission("P001", date(2025, 2, 20));
    let payload = json!({"at": "2025-02-20T09:00", "prison": "P001", "reason": "Brudd"});
    let event = NewProbationEvent {
        kind: "em.revocation",
        payload: &payload,
        corrects: None,
        reason: None,
        expected_events: 0,
        officer: None,
        stage: None,
        required_minutes: None,
        credited_minutes: 0,
    };
    let entries_in = [
        NewEntry {
            fact: &ended,
            corrects: Some(em_entry.id),
            reason: Some("EM revoked"),
        },
        NewEntry {
            fact: &admitted,
            corrects: None,
            reason: None,
        },
    ];
    // A stale register version writes nothing, neither entries nor event.
    let stale = w
        .store
        .append_entries_with_event(
            &fixture(),
            id,
            before.version - 1,
            &entries_in,
            &event,
            None,
        )
        .await;
    assert!(stale.is_err());
    assert!(w.store.probation_events(id).await.unwrap().is_empty());
    // A correction without its reason writes nothing either.
    let unreasoned = [
        NewEntry {
            reason: None,
            ..entries_in[0]
        },
        entries_in[1],
    ];
    let refused = w
        .store
        .append_entries_with_event(&fixture(), id, before.version, &unreasoned, &event, None)
        .await;
    assert!(refused.is_err());
    assert_eq!(w.store.entries(id).await.unwrap().len(), entries.len());
    let done = w
        .store
        .append_entries_with_event(&fixture(), id, before.version, &entries_in, &event, None)
        .await
        .unwrap();
    assert_eq!(done.version, before.version + 2);
    assert_eq!(done.person.end_of_sentence.as_deref(), Some("2025-04-01"));
    assert_eq!(done.person.status, "present");
    let events = w.store.probation_events(id).await.unwrap();
    assert_eq!(events[0].payload_json()["entries"], json!(done.entries));
}

#[tokio::test]
async fn another_office_sees_nothing_and_the_person_reads_their_own_schedule() {
    let w = world().await;
    // Supervised by F002 (another office): the F001 officer gets 404 on read and write.
    let elsewhere = em_person(
        &w,
        43,
        json!({"kind": "prison", "days": 60}),
        "F002",
        date(2025, 5, 20),
        date(2025, 7, 18),
    )
    .await;
    assert_eq!(
        get(&w, "probation", elsewhere).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/persons/{elsewhere}/em/events"),
            Some(json!({"kind": "grant", "version": 0, "payload": {"date": "2025-05-15"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Unit staff are refused (403); national placement reads.
    assert_eq!(get(&w, "officer", elsewhere).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&w, "placement", elsewhere).await.0, StatusCode::OK);

    // The prisoner account is the Oslo person: an application recorded for them is theirs to
    // read (the schedule), not to write.
    let payload = application("2025-05-20");
    w.store
        .append_probation_event(
            &fixture(),
            w.oslo,
            &NewProbationEvent {
                kind: "em.application",
                payload: &payload,
                corrects: None,
                reason: None,
                expected_events: 0,
                officer: None,
                stage: None,
                required_minutes: None,
                credited_minutes: 0,
            },
        )
        .await
        .unwrap();
    let (status, own) = get(&w, "prisoner", w.oslo).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["schedule"]["saturday"][0]["until"], "24:00");
    assert_eq!(own["stage"], "applied");
    assert_eq!(get(&w, "prisoner", w.bergen).await.0, StatusCode::NOT_FOUND);
    let (status, _) = w
        .api(
            Some("prisoner"),
            "POST",
            &format!("/api/v1/persons/{}/em/events", w.oslo),
            Some(json!({"kind": "grant", "version": 1, "payload": {"date": "2025-05-15"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let page = w
        .page_in("prisoner", "en", &format!("/persons/{}/em", w.oslo))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("<th scope=\"row\">Saturday</th><td>00:00–24:00</td>")
    );
    assert!(
        !page.html.contains("/em/breach"),
        "read-only for the person"
    );
}

#[tokio::test]
async fn the_pages_record_a_breach_and_revoke_with_the_dates_shown() {
    let w = world().await;
    let id = em_person(
        &w,
        44,
        json!({"kind": "prison", "days": 60}),
        "F001",
        date(2025, 5, 20),
        date(2025, 7, 18),
    )
    .await;
    for (kind, payload) in [
        ("application", application("2025-05-20")),
        ("grant", json!({"date": "2025-05-15"})),
        (
            "device",
            json!({"action": "fitted", "serial": "EM-7", "at": "2025-05-20T09:00"}),
        ),
    ] {
        assert_eq!(post(&w, id, kind, payload).await.0, StatusCode::CREATED);
    }
    // The office's caseload links the EM case.
    let caseload = w.page_in("probation", "nb", "/probation").await;
    assert!(
        caseload
            .html
            .contains(&format!("<a href=\"/persons/{id}/em\">"))
    );
    let page = w
        .page_in("probation", "nb", &format!("/persons/{id}/em"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("<th scope=\"row\">mandag</th><td>00:00–07:00, 18:00–24:00</td>")
    );
    // A breach without its description is named; then recorded.
    let form = format!("/persons/{id}/em/breach");
    let answer = w
        .submit(
            "probation",
            "nb",
            &form,
            &[
                ("kind", "absence"),
                ("at", "2025-05-30T23:00"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(summary(&answer.html).len(), 1);
    assert!(summary(&answer.html)[0].contains("Beskrivelse"));
    let answer = w
        .submit(
            "probation",
            "nb",
            &form,
            &[
                ("kind", "absence"),
                ("at", "2025-05-30T23:00"),
                ("description", "Ikke hjemme"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    // Revocation: the reason is required; then the page shows custody and the dates with §.
    let form = format!("/persons/{id}/em/revocation");
    let page = w.page_in("probation", "nb", &form).await;
    // `submit` carries the form's csrf and version; the register's version is this form's own.
    let register_version = hidden(&page.html, "register_version").unwrap();
    let answer = w
        .submit(
            "probation",
            "nb",
            &form,
            &[
                ("at", "2025-06-01T10:00"),
                ("prison", "P001"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(summary(&answer.html)[0].contains("Begrunnelse"));
    let answer = w
        .submit(
            "probation",
            "nb",
            &form,
            &[
                ("register_version", register_version.as_str()),
                ("at", "2025-06-01T10:00"),
                ("prison", "P001"),
                ("reason", "Gjentatt fravær"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", summary(&answer.html));
    assert!(answer.html.contains("Elektronisk kontroll er omgjort"));
    assert!(answer.html.contains("<td>2025-07-18</td>"));
    assert!(answer.html.contains("strgjfl"));
    assert!(answer.html.contains("<dd>P001</dd>"));
}
