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
        youth_sentence: None,
        offence_date: None,
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

#[tokio::test]
async fn the_forms_record_an_application_with_its_schedule_a_grant_a_device_and_a_handling() {
    let w = world().await;
    // 60 days on EM from 2025-05-20, as in the first test: the sentence ends on 2025-07-18.
    let id = em_person(
        &w,
        45,
        json!({"kind": "prison", "days": 60}),
        "F001",
        date(2025, 5, 20),
        date(2025, 7, 18),
    )
    .await;
    let page = w
        .page_in("probation", "nb", &format!("/persons/{id}/em"))
        .await;
    assert!(page.html.contains(&format!("/persons/{id}/em/application")));
    assert!(!page.html.contains(&format!("/persons/{id}/em/grant")));
    let form = format!("/persons/{id}/em/application");
    let weekday = "00:00–07:00, 18:00–24:00";
    let mut fields: Vec<(&str, &str)> = vec![
        ("date", "2025-05-10"),
        ("door", "front_door"),
        ("from", "2025-05-20"),
        ("address", "Storgata 1, 0155 Oslo"),
        ("adults_0_name", "Kari Hjemme"),
        ("adults_0_consent_date", "2025-05-09"),
        // Row 2 left empty; row 3 has no consent: named on its own row.
        ("adults_2_name", "Per Hjemme"),
        ("activity_kind", "work"),
        ("activity_description", "Snekker, mandag–fredag 07:30–15:30"),
        ("schedule_monday", "18:00"),
        ("schedule_tuesday", "00:00–07:00, 06:00–08:00"),
        ("schedule_wednesday", weekday),
        ("schedule_thursday", weekday),
        ("schedule_friday", "18:00-07:00"),
        ("schedule_saturday", "00:00–24:00"),
        ("schedule_sunday", "00:00–24:00"),
    ];
    // A range not written as a range is named on Monday's field, range 1.
    let answer = w.submit("probation", "nb", &form, &fields).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("Hjemme mandag"), "{items:?}");
    assert!(items[0].contains("schedule.monday[0]"), "{items:?}");
    assert!(answer.html.contains("id=\"schedule_monday-error\""));
    // Every value entered is kept.
    assert!(answer.html.contains("value=\"00:00–07:00, 06:00–08:00\""));
    // Friday's range runs past midnight: the domain names friday[0].until.
    fields[9].1 = weekday;
    let answer = w.submit("probation", "nb", &form, &fields).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("Hjemme fredag"), "{items:?}");
    assert!(items[0].contains("schedule.friday[0]"), "{items:?}");
    // Then the overlap on Tuesday (range 2) and the adult on row 3 without a consent (R-EM-4).
    fields[13].1 = weekday;
    let answer = w.submit("probation", "nb", &form, &fields).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].contains("Voksen 3: dato for skriftlig samtykke") && items[0].contains("R-EM-4"),
        "{items:?}"
    );
    assert!(
        items[1].contains("Hjemme tirsdag") && items[1].contains("tidsrom 2 (schedule.tuesday[1])"),
        "{items:?}"
    );
    fields[10].1 = weekday;
    fields[6].1 = "";
    let answer = w.submit("probation", "nb", &form, &fields).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&answer.html)
    );
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "applied");
    // 5 × (7 + 6) h + 2 × 24 h = 113 h = 6780 minutes, as through the API.
    assert_eq!(view["schedule_weekly_minutes"], 6780);
    assert_eq!(
        view["application"]["adults"][0]["consent_date"],
        "2025-05-09"
    );
    assert_eq!(view["application"]["adults"].as_array().unwrap().len(), 1);

    // The grant (not before the application), then the device.
    let grant = format!("/persons/{id}/em/grant");
    let answer = w
        .submit("probation", "nb", &grant, &[("date", "2025-05-01")])
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(summary(&answer.html)[0].contains("Vedtaksdato"));
    let answer = w
        .submit("probation", "nb", &grant, &[("date", "2025-05-15")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let device = format!("/persons/{id}/em/device");
    let answer = w
        .submit(
            "probation",
            "en",
            &device,
            &[
                ("action", "fitted"),
                ("serial", "EM-45"),
                ("at", "2025-05-20T09:00"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let breach = json!({"kind": "absence", "at": "2025-05-25T22:15", "description": "Ikke hjemme"});
    let (status, body) = post(&w, id, "breach", breach).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let breach = body["event"].as_i64().unwrap().to_string();

    // The handling form starts from the schedule in force; a tightened schedule that drops
    // home time is refused on it, a warning is recorded.
    let handling = format!("/persons/{id}/em/handling");
    let page = w.page_in("probation", "nb", &handling).await;
    assert!(
        page.html
            .contains(&format!("<option value=\"{breach}\">#{breach}"))
    );
    assert!(page.html.contains(&format!("value=\"{weekday}\"")));
    let answer = w
        .submit(
            "probation",
            "nb",
            &handling,
            &[
                ("breach", breach.as_str()),
                ("action", "tightened_schedule"),
                ("date", "2025-05-26"),
                ("description", "Innskjerpet"),
                ("schedule_monday", "20:00–24:00"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(summary(&answer.html)[0].contains("Hjemme mandag"));
    let answer = w
        .submit(
            "probation",
            "nb",
            &handling,
            &[
                ("breach", breach.as_str()),
                ("action", "warning"),
                ("date", "2025-05-26"),
                ("description", "Skriftlig advarsel"),
            ],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&answer.html)
    );
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "active");
    assert_eq!(view["device"]["serial"], "EM-45");
    assert_eq!(view["breaches"][0]["handled"]["action"], "warning");

    // The revocation form chooses the prison by name; an unknown one is named.
    let revocation = format!("/persons/{id}/em/revocation");
    let page = w.page_in("probation", "nb", &revocation).await;
    assert!(
        page.html.contains("<option value=\"P001\">") && page.html.contains("(P001)</option>"),
        "{}",
        page.html
    );
    let answer = w
        .submit(
            "probation",
            "nb",
            &revocation,
            &[
                (
                    "register_version",
                    hidden(&page.html, "register_version").unwrap().as_str(),
                ),
                ("at", "2025-06-01T10:00"),
                ("prison", "P999"),
                ("reason", "Gjentatt fravær"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("Fengsel") && items[0].contains("P999"),
        "{items:?}"
    );
    assert_eq!(get(&w, "probation", id).await.1["stage"], "active");
}

#[tokio::test]
async fn the_application_form_shows_the_refusal_with_its_rule_and_section() {
    let w = world().await;
    // 8 months is over the six months in force for a decision after 2020-09-01 (R-EM-1).
    let id = em_person(
        &w,
        46,
        json!({"kind": "prison", "months": 8}),
        "F001",
        date(2025, 5, 20),
        date(2025, 12, 31),
    )
    .await;
    let answer = w
        .submit(
            "probation",
            "nb",
            &format!("/persons/{id}/em/application"),
            &[
                ("date", "2025-05-10"),
                ("door", "front_door"),
                ("from", "2025-05-20"),
                ("address", "Storgata 1"),
                ("activity_kind", "school"),
                ("activity_description", "Skole"),
                ("schedule_saturday", "00:00–24:00"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("Ordning")
            && items[0].contains("R-EM-2")
            && items[0].contains("strgjfl § 16 a"),
        "{items:?}"
    );
    assert!(answer.html.contains("id=\"door-error\""));
}

/// Serving 8 months in Oslo fengsel from 2025-01-06, handed over to F001 before release (so the
/// office may record the back-door application).
async fn back_door_person(w: &World, serial: u32) -> i64 {
    let who = identity(&number(serial), "Bakdor");
    let judgment = Judgment {
        case_number: format!("25-{serial}MED-OTIR/01"),
        court: "Oslo tingrett".into(),
        decision_date: date(2024, 12, 1),
        final_date: Some(date(2024, 12, 16)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: vec![json!({"kind": "prison", "months": 8})],
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    };
    let handover = Fact::from_payload(
        "release_handover",
        &json!({"office": "F001", "date": "2025-05-01"}),
        "",
    )
    .unwrap();
    let (id, _) = w
        .store
        .register_person(
            &fixture(),
            &who,
            &[
                Fact::Judgment(judgment),
                admission("P001", date(2025, 1, 6)),
                handover,
            ],
            None,
        )
        .await
        .unwrap();
    id
}

/// EM persons counted with `--count-em` minus without, on `day` (the register's SPACE I stock).
async fn on_em(w: &World, day: Date) -> i64 {
    let ds = w.store.statistics_dataset().await.unwrap();
    let count = |em: bool| {
        halden_stats::count::stock(
            &ds,
            halden_stats::model::day(day),
            &halden_stats::Profile::PRISON.with_em(em),
            &[],
        )
        .total as i64
    };
    count(true) - count(false)
}

#[tokio::test]
async fn the_grant_writes_the_em_period_and_the_revocation_still_ends_it() {
    let w = world().await;
    // Serving 8 months in Oslo fengsel from 2025-01-06, handed over to F001 before release (so
    // the office may record the back-door application).
    // C-1: T = 2025-09-06 − 2025-01-06 = 31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 = 243 days; C-2:
    // the last day is 2025-01-06 + 243 − 1 = 2025-09-05.
    let id = back_door_person(&w, 47).await;
    let (status, view) = get(&w, "probation", id).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["end_of_sentence"], "2025-09-05");
    assert!(view["periods"].as_array().unwrap().is_empty());
    let mut back = application("2025-05-20");
    back["door"] = json!("back_door");
    let (status, body) = post(&w, id, "application", back).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let before = w.store.person(id).await.unwrap().unwrap().version;
    let em_before = on_em(&w, date(2025, 5, 25)).await;
    // A grant cannot carry register entries of its own.
    let (status, body) = post(
        &w,
        id,
        "grant",
        json!({"date": "2025-05-15", "entries": [1]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.entries"]);
    // Granted on 2025-05-15 from the day applied for, 2025-05-20: the register gets the EM
    // period 2025-05-20 – 2025-09-05 under F001 with the grant, one step. A retry under the same
    // Idempotency-Key answers as the first time and writes neither again.
    let (_, view) = get(&w, "probation", id).await;
    let request =
        json!({"kind": "grant", "version": view["version"], "payload": {"date": "2025-05-15"}});
    let key = [("Idempotency-Key", "grant-47")];
    let path = format!("/api/v1/persons/{id}/em/events");
    let (status, body) = w
        .api(
            Some("probation"),
            "POST",
            &path,
            Some(request.clone()),
            &key,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, again) = w
        .api(Some("probation"), "POST", &path, Some(request), &key)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again, body);
    let person = w.store.person(id).await.unwrap().unwrap();
    assert_eq!(person.version, before + 1);
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "granted");
    assert_eq!(
        view["periods"],
        json!([{"entry": view["periods"][0]["entry"], "from": "2025-05-20", "until": "2025-09-05", "office": "F001"}])
    );
    let events = w.store.probation_events(id).await.unwrap();
    assert_eq!(
        events.last().unwrap().payload_json()["entries"],
        json!([view["periods"][0]["entry"]])
    );
    // The prison records the departure on the first EM day; from that day the statistics count
    // the person on EM (with --count-em), not the day before.
    let release = Fact::from_payload(
        "movement",
        &json!({"movement": "release", "at": "2025-05-20T09:00"}),
        "",
    )
    .unwrap();
    w.store
        .append(&fixture(), id, person.version, &release, None, None, None)
        .await
        .unwrap();
    assert_eq!(on_em(&w, date(2025, 5, 25)).await, em_before + 1);
    assert_eq!(
        on_em(&w, date(2025, 5, 19)).await,
        em_before,
        "in prison the day before"
    );
    // The end of sentence is unchanged: EM days are served days.
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["end_of_sentence"], "2025-09-05");
    assert_eq!(view["custody"]["status"], "released");

    // Revocation with admission on 2025-06-01: the period ends on 2025-05-31, the person is
    // counted in prison from 2025-06-01 and on EM no more.
    let (status, answer) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/persons/{id}/em/revocation"),
            Some(
                json!({"version": view["version"], "register_version": view["register_version"],
                "at": "2025-06-01T10:00", "prison": "P001", "reason": "Brudd"}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["custody"]["status"], "present");
    assert_eq!(answer["end_of_sentence"], "2025-09-05");
    let (_, view) = get(&w, "placement", id).await;
    assert_eq!(view["periods"][0]["until"], "2025-05-31");
    assert_eq!(on_em(&w, date(2025, 5, 31)).await, em_before + 1);
    assert_eq!(on_em(&w, date(2025, 6, 1)).await, em_before);
}

fn as_refs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn correct(
    w: &World,
    id: i64,
    kind: &str,
    corrects: i64,
    reason: &str,
    payload: Value,
) -> (StatusCode, Value) {
    let (_, view) = get(w, "probation", id).await;
    w.api(
        Some("probation"),
        "POST",
        &format!("/api/v1/persons/{id}/em/events"),
        Some(
            json!({"kind": kind, "version": view["version"], "corrects": corrects,
            "reason": reason, "payload": payload}),
        ),
        &[],
    )
    .await
}

#[tokio::test]
async fn corrections_and_retractions_keep_the_ledger_consistent() {
    let w = world().await;
    let id = em_person(
        &w,
        48,
        json!({"kind": "prison", "days": 60}),
        "F001",
        date(2025, 5, 20),
        date(2025, 7, 18),
    )
    .await;
    let mut ids = Vec::new();
    for (kind, payload) in [
        ("application", application("2025-05-20")),
        ("grant", json!({"date": "2025-05-15"})),
        (
            "device",
            json!({"action": "fitted", "serial": "EM-48", "at": "2025-05-20T09:00"}),
        ),
        (
            "breach",
            json!({"kind": "absence", "at": "2025-05-25T22:15", "description": "Ikke hjemme"}),
        ),
    ] {
        let (status, body) = post(&w, id, kind, payload).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["event"].as_i64().unwrap());
    }
    let (grant, device, breach) = (ids[1], ids[2], ids[3]);
    let (status, body) = post(
        &w,
        id,
        "handling",
        json!({"breach": breach, "action": "warning", "date": "2025-05-26", "description": "Advarsel"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let handling = body["event"].as_i64().unwrap();

    // The grant cannot be retracted while the device depends on it; nor without a reason.
    let (status, body) = correct(&w, id, "retraction", grant, "Feil", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["corrects"]);
    assert!(
        body.to_string()
            .contains(&format!("event {device} (em.device)")),
        "{body}"
    );
    let (status, body) = correct(&w, id, "retraction", handling, " ", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["reason"]);
    // A correction keeps the kind.
    let (status, body) = correct(
        &w,
        id,
        "grant",
        breach,
        "Feil type",
        json!({"date": "2025-05-16"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["kind"]);
    // The breach's time corrected: a new record pointing at it, the warning still answers it.
    let (status, body) = correct(
        &w,
        id,
        "breach",
        breach,
        "Feil klokkeslett",
        json!({"kind": "absence", "at": "2025-05-25T23:15", "description": "Ikke hjemme 23:15"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let fixed = body["event"].as_i64().unwrap();
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["breaches"].as_array().unwrap().len(), 1);
    assert_eq!(view["breaches"][0]["id"], breach);
    assert_eq!(view["breaches"][0]["at"], "2025-05-25T23:15:00");
    assert_eq!(view["breaches"][0]["handled"]["action"], "warning");
    let stored = w.store.probation_events(id).await.unwrap();
    let row = stored.iter().find(|e| e.id == fixed).unwrap();
    assert_eq!(row.corrects, Some(breach));
    assert_eq!(row.reason.as_deref(), Some("Feil klokkeslett"));
    assert_eq!(row.recorded_by_name, stored[0].recorded_by_name);
    // The warning retracted: the breach waits for its handling again.
    let (status, body) = correct(
        &w,
        id,
        "retraction",
        handling,
        "Gitt ved en feil",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(get(&w, "probation", id).await.1["stage"], "breached");

    // The page: each event in effect has its links; the device corrected through its form,
    // which starts from the stored values and requires a reason.
    let page = w
        .page_in("probation", "nb", &format!("/persons/{id}/em"))
        .await;
    assert!(page.html.contains(&format!("Korriger #{device}")));
    assert!(page.html.contains(&format!("Trekk tilbake #{fixed}")));
    assert!(
        !page.html.contains(&format!("Korriger #{breach}<")),
        "the latest of a chain"
    );
    assert!(
        !page.html.contains(&format!("Korriger #{handling}<")),
        "retracted"
    );
    let form = format!("/persons/{id}/em/device?corrects={device}");
    let page = w.page_in("probation", "nb", &form).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("value=\"EM-48\""));
    let path = format!("/persons/{id}/em/device");
    let mut fields_in = vec![
        ("corrects", device.to_string()),
        ("action", "fitted".to_string()),
        ("serial", "EM-84".to_string()),
        ("at", "2025-05-20T09:00".to_string()),
    ];
    let answer = w
        .submit("probation", "nb", &path, &as_refs(&fields_in))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let items = summary(&answer.html);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("Begrunnelse for rettelsen"), "{items:?}");
    fields_in.push(("reason", "Feil serienummer".to_string()));
    let answer = w
        .submit("probation", "nb", &path, &as_refs(&fields_in))
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&answer.html)
    );
    assert_eq!(
        get(&w, "probation", id).await.1["device"]["serial"],
        "EM-84"
    );
    // The grant's retraction form names the device that depends on it.
    let answer = w
        .submit(
            "probation",
            "nb",
            &format!("/persons/{id}/em/retraction"),
            &[("corrects", grant.to_string().as_str()), ("reason", "Feil")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(summary(&answer.html)[0].contains(&format!("hendelse {device} (em.device)")));
    // A revocation is not corrected here (it wrote the register); an unknown event is not found.
    let page = w
        .page_in(
            "probation",
            "nb",
            &format!("/persons/{id}/em/retraction?corrects=999999"),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_grant_that_wrote_the_register_moves_or_retracts_its_period_with_it() {
    let w = world().await;
    let id = back_door_person(&w, 49).await;
    let mut back = application("2025-05-20");
    back["door"] = json!("back_door");
    assert_eq!(
        post(&w, id, "application", back).await.0,
        StatusCode::CREATED
    );
    let (status, body) = post(&w, id, "grant", json!({"date": "2025-05-15"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let grant = body["event"].as_i64().unwrap();
    // Granted on 2025-05-22 instead: the start moves to max(2025-05-20, 2025-05-22) = 2025-05-22.
    let (status, body) = correct(
        &w,
        id,
        "grant",
        grant,
        "Vedtaket ble fattet 22. mai",
        json!({"date": "2025-05-22"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["granted"], "2025-05-22");
    assert_eq!(view["periods"].as_array().unwrap().len(), 1, "{view}");
    assert_eq!(view["periods"][0]["from"], "2025-05-22");
    assert_eq!(view["periods"][0]["until"], "2025-09-05");
    let entries = w.store.entries(id).await.unwrap();
    let moved = entries.last().unwrap();
    assert!(moved.corrects.is_some());
    assert!(
        moved
            .reason
            .as_deref()
            .unwrap()
            .contains("Vedtaket ble fattet 22. mai")
    );
    // The application's first day cannot move under the grant.
    let mut later = application("2025-05-25");
    later["door"] = json!("back_door");
    let application_id = w.store.probation_events(id).await.unwrap()[0].id;
    let (status, body) = correct(&w, id, "application", application_id, "Ny dato", later).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.from"]);
    // Retracted (nothing depends on it yet): the period goes with it, in the same step.
    let before = w.store.person(id).await.unwrap().unwrap().version;
    let (status, body) = correct(
        &w,
        id,
        "retraction",
        grant,
        "Innvilget ved en feil",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "applied");
    assert!(view["periods"].as_array().unwrap().is_empty(), "{view}");
    assert_eq!(
        w.store.person(id).await.unwrap().unwrap().version,
        before + 1
    );
}
