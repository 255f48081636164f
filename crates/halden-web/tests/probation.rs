//! Probation offices and a community sentence from intake to completion (issue 6, items 1 and 3),
//! through the API and the pages, on the backend the run asks for.
//!
//! Expected figures are worked by hand from strl §§ 49, 83 (R-SAMF-2, R-SAMF-4) and Q8.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    Actor,
    facts::{Fact, Judgment, SupervisionFact},
};
use jiff::civil::date;
use serde_json::{Value, json};
use support::{World, identity, number, world};

/// A person at home in `municipality` with a community sentence of 150 hours, alternative 120
/// days and execution period 120 days, 30 days' remand deducted; supervised by `office` from
/// 2025-03-03.
async fn community_person(w: &World, serial: u32, municipality: &str, office: &str) -> i64 {
    let mut who = identity(&number(serial), "Samfunn");
    who.home_municipality = Some(municipality.into());
    let judgment = Judgment {
        case_number: format!("25-{serial}MED-OTIR/01"),
        court: "Oslo tingrett".into(),
        decision_date: date(2025, 2, 3),
        final_date: Some(date(2025, 2, 20)),
        received: None,
        remand_deduction_days: 30,
        offence_class: "ordinary".into(),
        sentences: Vec::new(),
        preventive_detention: None,
        community_sentence: Some(json!({
            "hours": 150, "alternative_days": 120, "execution_period_days": 120
        })),
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    };
    let (id, _) = w
        .store
        .register_person(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &who,
            &[
                Fact::Judgment(judgment),
                Fact::Supervision(SupervisionFact {
                    supervision: "community_sentence".into(),
                    office: office.into(),
                    from: date(2025, 3, 3),
                    until: date(2025, 8, 31),
                    office_reason: None,
                }),
            ],
            None,
        )
        .await
        .unwrap();
    id
}

async fn post(w: &World, role: &str, id: i64, body: Value) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "POST",
        &format!("/api/v1/persons/{id}/community/events"),
        Some(body),
        &[],
    )
    .await
}

async fn version(w: &World, id: i64) -> i64 {
    let (_, view) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{id}/community"),
            None,
            &[],
        )
        .await;
    view["version"].as_i64().unwrap()
}

async fn event(w: &World, id: i64, kind: &str, payload: Value) -> (StatusCode, Value) {
    let v = version(w, id).await;
    post(
        w,
        "probation",
        id,
        json!({"kind": kind, "version": v, "payload": payload}),
    )
    .await
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_community_sentence_runs_from_intake_to_completion_with_the_remand_reduction() {
    let w = world().await;
    let id = community_person(&w, 20, "Oslo", "F001").await;

    let (status, view) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{id}/community"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    // R-SAMF-4: alt' = 120 − 30 = 90; hours 150 × 90/120 = 225/2 = 112.5 → 112 (Q8, rounded
    // down) = 6 720 minutes; execution period 120 × 90/120 = 90 days.
    let s = &view["community_sentence"];
    assert_eq!(s["reduced"]["alternative_days"], 90);
    assert_eq!(
        s["reduced"]["hours"],
        json!({"numerator": 225, "denominator": 2})
    );
    assert_eq!(s["reduced"]["rounding"], "favour_convicted");
    assert_eq!(s["required_minutes"], 6720);
    assert_eq!(s["execution_days"], 90);
    assert!(
        s["explanation"]["nb"].as_str().unwrap().contains("225/2"),
        "{s}"
    );
    assert_eq!(view["progress"]["stage"], "awaiting_intake");

    // Hours before the intake meeting are refused.
    let (status, body) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-04", "minutes": 60}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["kind"]);

    let (status, body) = event(&w, id, "intake", json!({"date": "2025-03-03"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The period: 2025-03-03 + 90 − 1 days = 2025-05-31.
    assert_eq!(body["progress"]["end"], "2025-05-31");
    let (status, body) = event(
        &w,
        id,
        "plan",
        json!({"activity": "unpaid_work", "description": "Kirkens Bymisjon, Grønland"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A session of 6 hours, then its correction to 5 (a new entry naming the first, with why).
    let (status, body) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-05", "minutes": 360}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let first = body["event"].as_i64().unwrap();
    let v = version(&w, id).await;
    let (status, body) = post(
        &w,
        "probation",
        id,
        json!({"kind": "session", "version": v, "corrects": first,
               "payload": {"date": "2025-03-05", "minutes": 300}}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a correction needs a reason: {body}"
    );
    assert_eq!(fields(&body), ["reason"]);
    let (status, body) = post(
        &w,
        "probation",
        id,
        json!({"kind": "session", "version": v, "corrects": first, "reason": "left an hour early",
               "payload": {"date": "2025-03-05", "minutes": 300}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["progress"]["credited_minutes"], 300);
    // A stale version is refused.
    let (status, _) = post(
        &w,
        "probation",
        id,
        json!({"kind": "session", "version": v, "payload": {"date": "2025-03-06", "minutes": 60}}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Breach, warning, a repeated breach; the court is not asked here, the person goes on.
    for (kind, day) in [("breach", "2025-03-10"), ("warning", "2025-03-11")] {
        let (status, body) = event(
            &w,
            id,
            kind,
            json!({"date": day, "description": "did not turn up"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{kind}: {body}");
    }
    let (status, body) = event(
        &w,
        id,
        "court_case",
        json!({"date": "2025-03-12", "description": "x"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "no breach after the warning yet: {body}"
    );
    assert_eq!(fields(&body), ["payload.date"]);

    // 6 720 − 300 = 6 420 minutes remain; more than that is refused, and completion too.
    let (status, body) = event(&w, id, "completion", json!({"date": "2025-03-20"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("6420 remain"), "{body}");
    let mut day = date(2025, 3, 13);
    let mut left = 6420;
    while left > 0 {
        let minutes = left.min(720);
        let (status, body) = event(
            &w,
            id,
            "session",
            json!({"date": day.to_string(), "minutes": minutes}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{day}: {body}");
        left -= minutes;
        day = day.tomorrow().unwrap();
    }
    let (status, body) = event(
        &w,
        id,
        "session",
        json!({"date": day.to_string(), "minutes": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.minutes"]);
    let (status, body) = event(&w, id, "completion", json!({"date": "2025-05-01"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["progress"]["stage"], "completed");
    assert_eq!(body["progress"]["credited_minutes"], 6720);

    // Completed: a session cannot be retracted under the completion.
    let v = version(&w, id).await;
    let (status, body) = post(
        &w,
        "probation",
        id,
        json!({"kind": "retraction", "version": v, "corrects": first, "reason": "wrong person"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["corrects"]);

    // The caseload shows the person with their hours.
    let (status, caseload) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/probation/caseload",
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let line = caseload["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(line["community_sentence"]["stage"], "completed");
    assert_eq!(line["community_sentence"]["credited_minutes"], 6720);

    // The page shows the exact fraction and the log with the correction and its reason.
    let (status, html) = w
        .page(Some("probation"), &format!("/persons/{id}/community"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("225/2"), "{html}");
    assert!(html.contains("left an hour early"));
    assert!(html.contains("112:00"));
}

#[tokio::test]
async fn a_retried_community_write_with_its_idempotency_key_answers_as_the_first_time() {
    let w = world().await;
    let id = community_person(&w, 27, "Oslo", "F001").await;
    let v = version(&w, id).await;
    let path = format!("/api/v1/persons/{id}/community/events");
    let body = json!({"kind": "intake", "version": v, "payload": {"date": "2025-03-03"}});
    let key = [("Idempotency-Key", "intake-27")];
    let (status, first) = w
        .api(Some("probation"), "POST", &path, Some(body.clone()), &key)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // 2025-03-03 + 90 − 1 days = 2025-05-31 (as in the first test).
    assert_eq!(first["progress"]["end"], "2025-05-31");
    // The retry (its version is now stale) is answered as the first time, with the same event,
    // and writes nothing.
    let (status, again) = w
        .api(Some("probation"), "POST", &path, Some(body.clone()), &key)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again, first);
    assert_eq!(version(&w, id).await, v + 1);
    assert_eq!(
        w.store.probation_events(id).await.unwrap().len() as i64,
        v + 1
    );
    // Without the key the same request is a second intake, refused; the key with another body
    // is refused too; neither writes anything.
    let (status, _) = post(&w, "probation", id, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let other = json!({"kind": "intake", "version": v + 1, "payload": {"date": "2025-03-04"}});
    let (status, _) = w
        .api(Some("probation"), "POST", &path, Some(other), &key)
        .await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(version(&w, id).await, v + 1);
}

#[tokio::test]
async fn supervision_is_by_the_nearest_location_unless_a_reason_is_given() {
    let w = world().await;
    // Fredrikstad's nearest location is F003 (the same town); the fixture's probation officer is
    // F001 (Oslo) and may only record supervision for their own location.
    let id = community_person(&w, 21, "Oslo", "F001").await;
    let person = w.store.person(id).await.unwrap().unwrap();
    let mut moved = identity(&number(21), "Samfunn");
    moved.home_municipality = Some("Fredrikstad".into());
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/entries"),
            Some(json!({"kind": "identity", "version": person.version,
                        "payload": serde_json::to_value(&moved).unwrap()})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let supervision = |reason: Option<&str>, version: i64| {
        let mut payload = json!({"supervision": "community_sentence", "office": "F001",
                                 "from": "2025-06-01", "until": "2025-08-31"});
        if let Some(r) = reason {
            payload["office_reason"] = json!(r);
        }
        json!({"kind": "supervision", "version": version, "payload": payload})
    };
    let version = w.store.person(id).await.unwrap().unwrap().version;
    let (status, body) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/persons/{id}/entries"),
            Some(supervision(None, version)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.office_reason"]);
    assert!(body.to_string().contains("F003"), "{body}");
    let (status, body) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/persons/{id}/entries"),
            Some(supervision(
                Some("works in Oslo; reports after work"),
                version,
            )),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The caseload flags the person as not at the nearest location.
    let (_, caseload) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/probation/caseload",
            None,
            &[],
        )
        .await;
    let line = caseload["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(line["nearest_location"], "F003");
}

#[tokio::test]
async fn another_office_sees_nothing_and_the_person_reads_only_their_own() {
    let w = world().await;
    // Bergen's location (not the fixture officer's F001).
    let bergen_location = {
        let offices = w.store.probation_offices().await.unwrap();
        offices
            .into_iter()
            .find(|o| o.municipality == "Bergen")
            .unwrap()
            .id
    };
    let elsewhere = community_person(&w, 22, "Bergen", &bergen_location).await;
    let (status, _) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{elsewhere}/community"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(
        &w,
        "probation",
        elsewhere,
        json!({"kind": "intake", "version": 0, "payload": {"date": "2025-03-03"}}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, caseload) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/probation/caseload",
            None,
            &[],
        )
        .await;
    assert!(
        !caseload["persons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["person_id"] == elsewhere),
        "{caseload}"
    );
    let (status, _) = w
        .page(
            Some("probation"),
            &format!("/persons/{elsewhere}/community"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The prisoner account is the Oslo resident: their own page answers, another's does not,
    // and they record nothing.
    let (status, own) = w
        .api(
            Some("prisoner"),
            "GET",
            &format!("/api/v1/persons/{}/community", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    let (status, _) = w
        .api(
            Some("prisoner"),
            "GET",
            &format!("/api/v1/persons/{elsewhere}/community"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(
        &w,
        "prisoner",
        w.oslo,
        json!({"kind": "intake", "version": 0, "payload": {"date": "2025-03-03"}}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn hours_are_recorded_through_the_form_in_bokmal() {
    let w = world().await;
    let id = community_person(&w, 23, "Oslo", "F001").await;
    let path = format!("/persons/{id}/community/intake");
    let done = w
        .submit("probation", "nb", &path, &[("date", "2025-03-03")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let path = format!("/persons/{id}/community/session");
    let wrong = w
        .submit(
            "probation",
            "nb",
            &path,
            &[("date", "2025-03-04"), ("hours", "fire")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.html.contains("oppgi timer og minutter"),
        "{}",
        wrong.html
    );
    let done = w
        .submit(
            "probation",
            "nb",
            &path,
            &[("date", "2025-03-04"), ("hours", "4,5")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let (_, view) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{id}/community"),
            None,
            &[],
        )
        .await;
    // 4,5 hours = 4 × 60 + 30 = 270 minutes.
    assert_eq!(view["progress"]["credited_minutes"], 270);
}

#[tokio::test]
async fn the_caseload_counts_per_location_and_per_officer_with_the_unassigned() {
    let w = world().await;
    let count = |caseload: &Value, list: &str, key: &str, name: Value| {
        caseload[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[key] == name)
            .map_or(0, |c| c["persons"].as_i64().unwrap())
    };
    // The fixture world's own supervised persons, before ours.
    let before = caseload(&w).await;
    let at_f001 = count(&before, "per_location", "location", json!("F001"));
    let unassigned = count(&before, "per_officer", "officer", Value::Null);
    let assigned = count(&before, "per_officer", "officer", json!("probation"));

    let ids = [
        community_person(&w, 40, "Oslo", "F001").await,
        community_person(&w, 41, "Oslo", "F001").await,
        community_person(&w, 42, "Oslo", "F001").await,
    ];
    // One of the three is assigned to the fixture's probation officer.
    let (status, body) = event(&w, ids[1], "officer", json!({"officer": "probation"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let after = caseload(&w).await;
    // Three more supervised at F001; one of them assigned, so two more unassigned (3 − 1).
    assert_eq!(
        count(&after, "per_location", "location", json!("F001")),
        at_f001 + 3
    );
    assert_eq!(
        count(&after, "per_officer", "officer", Value::Null),
        unassigned + 2
    );
    assert_eq!(
        count(&after, "per_officer", "officer", json!("probation")),
        assigned + 1
    );
    // Every line is counted once: the officer counts add up to the location's.
    let officers: i64 = after["per_officer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["persons"].as_i64().unwrap())
        .sum();
    assert_eq!(officers, at_f001 + 3);
    // Ours, by name and then id (the same names): in the order registered.
    let ours: Vec<&Value> = after["persons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| ids.contains(&p["person_id"].as_i64().unwrap()))
        .collect();
    let listed: Vec<i64> = ours
        .iter()
        .map(|p| p["person_id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(ours[0]["officer"], Value::Null);
    assert_eq!(ours[1]["officer"], "probation");
    // The assignment opens the probation case: the community sentence awaits its intake, with the
    // 6 720 minutes worked in the test above (150 h less the R-SAMF-4 share of 30/120 remand days,
    // rounded as Q8 says); the others have no case yet.
    assert_eq!(
        ours[1]["community_sentence"],
        json!({"stage": "awaiting_intake", "required_minutes": 6720, "credited_minutes": 0})
    );
    assert_eq!(ours[0]["community_sentence"], Value::Null);
}

async fn caseload(w: &World) -> Value {
    let (status, caseload) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/probation/caseload",
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{caseload}");
    caseload
}

/// The community sentence's log shows its own events only: another workflow's event of the same
/// person (here an EM one) counts in the version a writer checks, but is not listed as if it
/// were a community event.
#[tokio::test]
async fn the_community_log_lists_only_the_community_sentences_events() {
    let w = world().await;
    let id = community_person(&w, 71, "Oslo", "F001").await;
    let before = version(&w, id).await;
    let payload = json!({"date": "2025-05-02", "description": "x"});
    w.store
        .append_probation_event(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            id,
            &halden_storage::NewProbationEvent {
                kind: "em.breach",
                payload: &payload,
                corrects: None,
                reason: None,
                expected_events: before,
                officer: None,
                stage: None,
                required_minutes: None,
                credited_minutes: 0,
            },
        )
        .await
        .unwrap();
    let (status, view) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{id}/community"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["version"].as_i64().unwrap(), before + 1);
    let kinds: Vec<&str> = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"em.breach"), "{kinds:?}");
    let (status, html) = w
        .page(Some("probation"), &format!("/persons/{id}/community"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("Trukket tilbake"),
        "no other workflow's event as a retraction"
    );
}
