//! The programme against intoxicated driving (R-PROG-1; issue 6, item 6) through the API and the
//! pages, on the backend the run asks for: the judgment's condition (date-effective from
//! 2008-11-01), enrolment, sessions, completion, breach → warning → the court, bad input naming
//! its field, corrections, access, idempotency, the caseload.
//!
//! The fixture, worked by hand: a suspended sentence of 45 days decided 2025-02-03 on the
//! condition of 24 hours of programme and 12 months of supervision. 24 h × 60 = 1 440 minutes
//! required. Enrolled 2025-03-03: the supervision period is 2025-03-03 + 12 months = 2026-03-03,
//! less a day = 2026-03-02. Today in these tests is 2025-06-01.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    AccessQuery, Actor, NewUser, SessionKind,
    facts::{DrivingProgramme, Fact, Judgment, SupervisionFact},
};
use halden_web::auth;
use jiff::civil::date;
use serde_json::{Value, json};
use support::{World, identity, number, world};

fn programme_judgment(serial: u32) -> Judgment {
    Judgment {
        case_number: format!("25-{serial}MED-OTIR/01"),
        court: "Oslo tingrett".into(),
        decision_date: date(2025, 2, 3),
        final_date: Some(date(2025, 2, 20)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: Vec::new(),
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: Some(DrivingProgramme {
            hours: 24,
            supervision_months: 12,
            suspended_days: 45,
        }),
    }
}

/// A person with the programme condition, supervised by `office` from 2025-03-03.
async fn participant(w: &World, serial: u32, municipality: &str, office: &str) -> i64 {
    let mut who = identity(&number(serial), "Programdeltaker");
    who.home_municipality = Some(municipality.into());
    let (id, _) = w
        .store
        .register_person(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &who,
            &[
                Fact::Judgment(programme_judgment(serial)),
                Fact::Supervision(SupervisionFact {
                    supervision: "driving_programme".into(),
                    office: office.into(),
                    from: date(2025, 3, 3),
                    until: date(2026, 3, 2),
                    office_reason: None,
                }),
            ],
            None,
        )
        .await
        .unwrap();
    id
}

async fn view(w: &World, role: &str, id: i64) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "GET",
        &format!("/api/v1/persons/{id}/programme"),
        None,
        &[],
    )
    .await
}

async fn record(w: &World, id: i64, body: Value, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    w.api(
        Some("probation"),
        "POST",
        &format!("/api/v1/persons/{id}/programme/events"),
        Some(body),
        headers,
    )
    .await
}

/// Records `kind` with `payload` at the current version.
async fn event(w: &World, id: i64, kind: &str, payload: Value) -> (StatusCode, Value) {
    let (_, v) = view(w, "probation", id).await;
    let version = v["version"].as_i64().unwrap();
    record(
        w,
        id,
        json!({"kind": kind, "version": version, "payload": payload}),
        &[],
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
async fn enrolment_sessions_and_completion_when_every_hour_is_credited() {
    let w = world().await;
    let id = participant(&w, 40, "Oslo", "F001").await;
    let (status, v) = view(&w, "probation", id).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["condition"]["hours"], 24);
    assert_eq!(v["condition"]["rule"], "R-PROG-1");
    assert!(
        v["condition"]["reference"]
            .as_str()
            .unwrap()
            .contains("unconfirmed"),
        "the § is marked unconfirmed (Q15)"
    );
    assert_eq!(v["programme"]["stage"], "awaiting_enrolment");
    // Nothing before the enrolment.
    let (status, answer) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-04", "kind": "teaching", "minutes": 60}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(fields(&answer), ["kind"]);

    let (status, answer) = event(
        &w,
        id,
        "enrolment",
        json!({"date": "2025-03-03", "group": "Oslo vår 2025"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    for (date, kind, minutes) in [
        ("2025-03-04", "teaching", 180),
        ("2025-03-11", "treatment", 150),
        ("2025-03-12", "supervision_meeting", 45),
    ] {
        let (status, answer) = event(
            &w,
            id,
            "session",
            json!({"date": date, "kind": kind, "minutes": minutes}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    // 180 + 150 = 330 credited of 1 440; the 45-minute meeting is not programme hours.
    let (_, v) = view(&w, "probation", id).await;
    let p = &v["programme"];
    assert_eq!(p["stage"], "in_progress");
    assert_eq!(p["required_minutes"], 1440);
    assert_eq!(p["credited_minutes"], 330);
    assert_eq!(p["remaining_minutes"], 1110);
    assert_eq!(p["supervision_meetings"], 1);
    assert_eq!(p["enrolled"], "2025-03-03");
    assert_eq!(p["supervision_end"], "2026-03-02");
    assert_eq!(p["group"], "Oslo vår 2025");

    // Completion with 1 110 minutes left is refused, naming why.
    let (status, answer) = event(&w, id, "completion", json!({"date": "2025-04-01"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["kind"]);
    assert!(
        answer.to_string().contains("330 of 1440 minutes"),
        "{answer}"
    );
    // 1 110 = 720 + 390; 391 after the 720 is one too many.
    let (status, _) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-18", "kind": "teaching", "minutes": 720}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-25", "kind": "treatment", "minutes": 391}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["payload.minutes"]);
    let (status, _) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-03-25", "kind": "treatment", "minutes": 390}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = event(&w, id, "completion", json!({"date": "2025-04-01"})).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["programme"]["stage"], "completed");
    assert_eq!(v["programme"]["credited_minutes"], 1440);
    assert_eq!(v["programme"]["completed"], "2025-04-01");
    // Nothing more after completion.
    let (status, answer) = event(&w, id, "absence", json!({"date": "2025-04-08"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["kind"]);
}

#[tokio::test]
async fn a_breach_a_warning_and_the_case_to_the_court() {
    let w = world().await;
    let id = participant(&w, 41, "Oslo", "F001").await;
    event(
        &w,
        id,
        "enrolment",
        json!({"date": "2025-03-03", "group": "Oslo vår 2025"}),
    )
    .await;
    // A warning and the court case need a breach first.
    let warning = json!({"date": "2025-04-02", "description": "Skriftlig advarsel"});
    let (status, answer) = event(&w, id, "warning", warning.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["payload.date"]);
    let court = json!({"date": "2025-05-02", "description": "Gjentatt brudd på vilkåret"});
    let (status, answer) = event(&w, id, "court_case", court.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["payload.date"]);

    let (status, _) = event(
        &w,
        id,
        "breach",
        json!({"date": "2025-04-01", "description": "Møtte ruspåvirket", "note": "Politiet varslet"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = event(&w, id, "warning", warning).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["programme"]["stage"], "warned");
    let (status, _) = event(&w, id, "court_case", court.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["programme"]["stage"], "with_court");
    assert_eq!(v["programme"]["court_case"], "2025-05-02");
    assert_eq!(v["programme"]["breaches"], 1);
    assert_eq!(v["programme"]["warnings"], 1);
    // Not twice; no sessions while the court decides.
    let (status, answer) = event(&w, id, "court_case", court).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["kind"]);
    let (status, answer) = event(
        &w,
        id,
        "session",
        json!({"date": "2025-05-06", "kind": "teaching", "minutes": 60}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["kind"]);
    // The caseload shows the stage, in one read for the location.
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
    assert_eq!(line["supervision"], "driving_programme");
    assert_eq!(line["programme_stage"], "with_court");
    let page = w.page_in("probation", "nb", "/probation").await;
    assert!(
        page.html.contains(&format!("/persons/{id}/programme")),
        "the caseload links the programme"
    );
    assert!(page.html.contains("saken er sendt retten"), "{}", page.html);
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let w = world().await;
    let id = participant(&w, 42, "Oslo", "F001").await;
    let cases = [
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-03-03"}}),
            "payload.group",
        ),
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-03-03", "group": " "}}),
            "payload.group",
        ),
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-07-01", "group": "G"}}),
            "payload.date",
        ),
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-02-01", "group": "G"}}),
            "payload.date",
        ),
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "03.03.2025", "group": "G"}}),
            "payload.date",
        ),
        (
            json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-03-03", "group": "G", "hours": 3}}),
            "payload.hours",
        ),
        (
            json!({"kind": "lecture", "version": 0, "payload": {"date": "2025-03-03"}}),
            "kind",
        ),
        (json!({"kind": "retraction", "version": 0}), "corrects"),
        (json!({"kind": "enrolment", "payload": {}}), "version"),
    ];
    for (body, field) in cases {
        let (status, answer) = record(&w, id, body.clone(), &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(
            fields(&answer).iter().any(|f| f == field),
            "{body}: {field} not in {answer}"
        );
    }
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["version"], 0, "nothing written");
    event(
        &w,
        id,
        "enrolment",
        json!({"date": "2025-03-03", "group": "Oslo vår 2025"}),
    )
    .await;
    for (payload, field) in [
        (
            json!({"date": "2025-03-04", "kind": "lecture", "minutes": 60}),
            "payload.kind",
        ),
        (
            json!({"date": "2025-03-04", "kind": "teaching", "minutes": 0}),
            "payload.minutes",
        ),
        (
            json!({"date": "2025-03-04", "kind": "teaching", "minutes": 721}),
            "payload.minutes",
        ),
        (
            json!({"date": "2025-03-04", "kind": "teaching", "minutes": -5}),
            "payload.minutes",
        ),
        (
            json!({"date": "2025-03-02", "kind": "teaching", "minutes": 60}),
            "payload.date",
        ),
    ] {
        let (status, answer) = event(&w, id, "session", payload.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{payload}");
        assert_eq!(fields(&answer), [field], "{payload}: {answer}");
    }
    // A correction needs a reason and the same kind.
    let (_, v) = view(&w, "probation", id).await;
    let enrolment = v["events"][0]["id"].as_i64().unwrap();
    let (status, answer) = record(
        &w,
        id,
        json!({"kind": "enrolment", "version": 1, "corrects": enrolment,
               "payload": {"date": "2025-03-04", "group": "Oslo vår 2025"}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["reason"]);
    let (status, answer) = record(
        &w,
        id,
        json!({"kind": "absence", "version": 1, "corrects": enrolment, "reason": "feil",
               "payload": {"date": "2025-03-04"}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&answer), ["kind"]);
    // A stale version is a conflict.
    let (status, _) = record(
        &w,
        id,
        json!({"kind": "absence", "version": 0, "payload": {"date": "2025-03-04"}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["version"], 1, "nothing written");
}

#[tokio::test]
async fn the_condition_exists_from_1_november_2008() {
    // Decided 2008-10-31, the day before commencement: refused on `driving_programme`.
    let mut before = programme_judgment(43);
    before.decision_date = date(2008, 10, 31);
    before.final_date = Some(date(2008, 11, 20));
    let payload = serde_json::to_value(&before).unwrap();
    let problems = Fact::from_payload("judgment", &payload, "payload").unwrap_err();
    let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(named, ["payload.driving_programme"]);
    // Decided on the day itself: accepted.
    let mut on = before.clone();
    on.decision_date = date(2008, 11, 1);
    assert!(Fact::from_payload("judgment", &serde_json::to_value(&on).unwrap(), "payload").is_ok());
    // Implausible figures name their fields.
    let mut wrong = on.clone();
    wrong.driving_programme = Some(DrivingProgramme {
        hours: 300,
        supervision_months: 0,
        suspended_days: 5,
    });
    let problems = Fact::from_payload(
        "judgment",
        &serde_json::to_value(&wrong).unwrap(),
        "payload",
    )
    .unwrap_err();
    let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        named,
        [
            "payload.driving_programme.hours",
            "payload.driving_programme.supervision_months",
            "payload.driving_programme.suspended_days"
        ]
    );

    // Through the court file (halden-court-file/1): all or nothing, the record's field named.
    let w = world().await;
    let record = |decided: &str, serial: u32| {
        json!({
            "person": {"identity_number": number(serial), "family_name": "Promille", "given_names": "Per",
                       "birth_date": "1980-05-06", "sex": "male", "citizenship": "NO"},
            "case_number": format!("08-{serial}MED-OTIR/01"), "decision_date": decided,
            "driving_programme": {"hours": 24, "supervision_months": 12, "suspended_days": 45}
        })
    };
    let file = json!({"format": "halden-court-file/1", "court": "Oslo tingrett",
        "judgments": [record("2008-11-01", 44), record("2008-10-31", 45)]});
    let (status, answer) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/judgments/import",
            Some(file),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(fields(&answer), ["judgments[1].driving_programme"]);
    let file = json!({"format": "halden-court-file/1", "court": "Oslo tingrett",
        "judgments": [record("2008-11-01", 44)]});
    let (status, answer) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/judgments/import",
            Some(file),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

#[tokio::test]
async fn an_idempotency_key_records_once() {
    let w = world().await;
    let id = participant(&w, 46, "Oslo", "F001").await;
    let body = json!({"kind": "enrolment", "version": 0,
        "payload": {"date": "2025-03-03", "group": "Oslo vår 2025"}});
    let (first_status, first) = record(&w, id, body.clone(), &[("idempotency-key", "p-1")]).await;
    assert_eq!(first_status, StatusCode::CREATED, "{first}");
    let (again_status, again) = record(&w, id, body, &[("idempotency-key", "p-1")]).await;
    assert_eq!(again_status, StatusCode::CREATED);
    assert_eq!(again, first);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(v["version"], 1);
    // The same key with another request is refused.
    let other = json!({"kind": "absence", "version": 1, "payload": {"date": "2025-03-04"}});
    let (status, _) = record(&w, id, other, &[("idempotency-key", "p-1")]).await;
    assert_eq!(status.as_u16() / 100, 4);
    assert_ne!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn another_office_sees_nothing_and_the_person_reads_their_own_without_staff_notes() {
    let mut w = world().await;
    let bergen_location = {
        let offices = w.store.probation_offices().await.unwrap();
        offices
            .into_iter()
            .find(|o| o.municipality == "Bergen")
            .unwrap()
            .id
    };
    let elsewhere = participant(&w, 47, "Bergen", &bergen_location).await;
    let own = participant(&w, 48, "Oslo", "F001").await;
    let (status, _) = view(&w, "probation", elsewhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = record(
        &w,
        elsewhere,
        json!({"kind": "enrolment", "version": 0, "payload": {"date": "2025-03-03", "group": "G"}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .page(
            Some("probation"),
            &format!("/persons/{elsewhere}/programme"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .page(
            Some("probation"),
            &format!("/persons/{elsewhere}/programme/session"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // National placement reads; a prison officer may not write.
    let (status, _) = view(&w, "placement", elsewhere).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{elsewhere}/programme/events"),
            Some(json!({"kind": "absence", "version": 0, "payload": {"date": "2025-03-04"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    event(
        &w,
        own,
        "enrolment",
        json!({"date": "2025-03-03", "group": "Oslo vår 2025", "note": "INTERN-MERKNAD-1"}),
    )
    .await;
    let (status, _) = event(
        &w,
        own,
        "session",
        json!({"date": "2025-03-04", "kind": "teaching", "minutes": 150, "note": "INTERN-MERKNAD-2"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The officer sees the notes.
    let (_, v) = view(&w, "probation", own).await;
    assert!(v.to_string().contains("INTERN-MERKNAD-2"));
    let page = w
        .page_in("probation", "nb", &format!("/persons/{own}/programme"))
        .await;
    assert!(page.html.contains("INTERN-MERKNAD-1"));

    // The person's own account (self-service).
    let hash = auth::hash_password("secret-pw").unwrap();
    w.store
        .ensure_user(&NewUser {
            username: "deltaker".into(),
            display_name: "Programdeltaker".into(),
            password_hash: hash,
            role: "prisoner".into(),
            scope_kind: "self".into(),
            scope_id: None,
            person_id: Some(own),
            demo: false,
        })
        .await
        .unwrap();
    let (api, _) = auth::sign_in(&w.store, "deltaker", "secret-pw", SessionKind::Api)
        .await
        .unwrap();
    let (web, _) = auth::sign_in(&w.store, "deltaker", "secret-pw", SessionKind::Web)
        .await
        .unwrap();
    w.tokens.push(("deltaker", api, web));
    let (status, v) = view(&w, "deltaker", own).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // 150 minutes credited of 1 440; the sessions and hours shown, the notes not.
    assert_eq!(v["programme"]["credited_minutes"], 150);
    assert_eq!(v["programme"]["sessions"][0]["minutes"], 150);
    assert!(!v.to_string().contains("INTERN-MERKNAD"), "{v}");
    let (status, _) = view(&w, "deltaker", elsewhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .api(
            Some("deltaker"),
            "POST",
            &format!("/api/v1/persons/{own}/programme/events"),
            Some(json!({"kind": "absence", "version": 2, "payload": {"date": "2025-03-05"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, html) = w
        .page(Some("deltaker"), &format!("/persons/{own}/programme"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2:30"), "the hours: {html}");
    assert!(html.contains("2026-03-02"), "the supervision end: {html}");
    assert!(!html.contains("INTERN-MERKNAD"), "{html}");
    assert!(
        !html.contains(&format!("/persons/{own}/programme/session")),
        "no forms for the person"
    );
    // Every read is in the access log.
    let log = w
        .store
        .access_log(AccessQuery {
            person: Some(own),
            user: None,
            limit: 100,
        })
        .await
        .unwrap();
    for (view_name, user) in [
        ("programme", "deltaker"),
        ("api_programme", "deltaker"),
        ("api_programme", "probation"),
    ] {
        assert!(
            log.iter()
                .any(|l| l.view == view_name && l.username == user),
            "{view_name} by {user}: {log:?}"
        );
    }
}

#[tokio::test]
async fn the_officer_records_through_the_forms_and_corrects_a_wrong_session() {
    let w = world().await;
    let id = participant(&w, 49, "Oslo", "F001").await;
    let person_page = w
        .page_in("probation", "nb", &format!("/persons/{id}"))
        .await;
    assert!(
        person_page
            .html
            .contains(&format!("/persons/{id}/programme")),
        "the person page links the programme"
    );
    let enrol = format!("/persons/{id}/programme/enrolment");
    let wrong = w
        .submit("probation", "nb", &enrol, &[("date", "2025-03-03")])
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let summary = support::summary(&wrong.html);
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(summary[0].contains("Gruppe eller kurs"), "{summary:?}");
    let done = w
        .submit(
            "probation",
            "nb",
            &enrol,
            &[("date", "2025-03-03"), ("group", "Oslo vår 2025")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let session = format!("/persons/{id}/programme/session");
    // Hours that are not a time: the field named in bokmål.
    let wrong = w
        .submit(
            "probation",
            "nb",
            &session,
            &[
                ("date", "2025-03-04"),
                ("session_kind", "teaching"),
                ("hours", "to timer"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let summary = support::summary(&wrong.html);
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(summary[0].contains("Timer"), "{summary:?}");
    assert!(summary[0].contains("2:30"), "{summary:?}");
    // 25 hours is more than the 24 required (1 500 > 1 440 minutes) — and over 12 h a session.
    let wrong = w
        .submit(
            "probation",
            "nb",
            &session,
            &[
                ("date", "2025-03-04"),
                ("session_kind", "teaching"),
                ("hours", "25"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let summary = support::summary(&wrong.html);
    assert!(summary[0].contains("Timer"), "{summary:?}");
    // A wrong session (5 hours instead of 2:30) is recorded, then corrected.
    let done = w
        .submit(
            "probation",
            "nb",
            &session,
            &[
                ("date", "2025-03-04"),
                ("session_kind", "teaching"),
                ("hours", "5"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["programme"]["credited_minutes"], 300);
    let wrong_id = v["events"][1]["id"].as_i64().unwrap();
    let correct = format!("{session}?corrects={wrong_id}");
    let form = w.page_in("probation", "nb", &correct).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.html.contains("value=\"5:00\""),
        "the form starts from the record"
    );
    let no_reason = w
        .submit(
            "probation",
            "nb",
            &correct,
            &[
                ("date", "2025-03-04"),
                ("session_kind", "teaching"),
                ("hours", "2,5"),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(support::summary(&no_reason.html)[0].contains("Begrunnelse"));
    let done = w
        .submit(
            "probation",
            "nb",
            &correct,
            &[
                ("date", "2025-03-04"),
                ("session_kind", "teaching"),
                ("hours", "2,5"),
                ("correction_reason", "Feil antall timer"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    // 2,5 h = 150 minutes replaces the 300; the log keeps both, the correction pointing at the
    // first with who and why.
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["programme"]["credited_minutes"], 150);
    assert_eq!(v["programme"]["sessions"].as_array().unwrap().len(), 1);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2]["corrects"], wrong_id);
    assert_eq!(events[2]["reason"], "Feil antall timer");
    assert!(!events[2]["recorded_by"].as_str().unwrap().is_empty());
    let page = w
        .page_in("probation", "nb", &format!("/persons/{id}/programme"))
        .await;
    assert!(
        page.html
            .contains(&format!("retter #{wrong_id}: Feil antall timer")),
        "{}",
        page.html
    );
    assert!(page.html.contains("2:30 av 24:00"), "{}", page.html);
    // In English too.
    let page = w
        .page_in("probation", "en", &format!("/persons/{id}/programme"))
        .await;
    assert!(page.html.contains("2:30 of 24:00"), "{}", page.html);
    assert!(page.html.contains("R-PROG-1"));
}
