//! Parole supervision (issue 6, item 5) through the API and the pages, on the backend the run
//! asks for: conditions (R-PAR-5), the reporting schedule, missed reports, a breach, a warning,
//! the case to the court, corrections, the end of probation on the engine's date (R-PAR-4),
//! access, idempotency.
//!
//! The fixture, worked by hand (the engine's day k is A + k − 1, cases/parole/year_1.toml):
//! one year from admission A = 2024-09-02: T = 2025-09-02 − 2024-09-02 = 365 days (no 29
//! February between); P = max(⌈2 × 365 / 3⌉ = ⌈243.33⌉ = 244, 60) = 244 → parole date
//! A + 243 = 2025-05-03 (Sep 2 + 28 = Sep 30, +31 Oct, +30 Nov, +31 Dec, +31 Jan, +28 Feb,
//! +31 Mar, +30 Apr = +240 on Apr 30, +3 = May 3); end of sentence A + 364 = 2025-09-01, which is
//! the end of probation (R-PAR-4). Today in these tests is 2025-06-01 (a Sunday).

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    AccessQuery, Actor, NewUser, SessionKind,
    facts::{Fact, Judgment, MovementFact, SupervisionFact},
};
use halden_web::auth;
use jiff::civil::date;
use serde_json::{Value, json};
use support::{World, admission, identity, number, world};

/// A person released on parole on 2025-05-03 and supervised by `office` until 2025-09-01.
async fn parolee(w: &World, serial: u32, municipality: &str, office: &str) -> i64 {
    let mut who = identity(&number(serial), "Prøveløslatt");
    who.home_municipality = Some(municipality.into());
    let judgment = Judgment {
        case_number: format!("24-{serial}MED-OTIR/01"),
        court: "Oslo tingrett".into(),
        decision_date: date(2024, 7, 1),
        final_date: Some(date(2024, 7, 22)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: vec![json!({"kind": "prison", "years": 1})],
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    };
    let release = Fact::Movement(MovementFact {
        movement: "release".into(),
        at: date(2025, 5, 3).at(10, 0, 0, 0),
        prison: None,
        basis: None,
        due_back: None,
        note: None,
        capacity_override: None,
        youth_exception: None,
        institution: None,
    });
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
                admission("P001", date(2024, 9, 2)),
                release,
                Fact::Supervision(SupervisionFact {
                    supervision: "parole".into(),
                    office: office.into(),
                    from: date(2025, 5, 3),
                    until: date(2025, 9, 1),
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
        &format!("/api/v1/persons/{id}/parole"),
        None,
        &[],
    )
    .await
}

async fn record(w: &World, id: i64, body: Value, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    w.api(
        Some("probation"),
        "POST",
        &format!("/api/v1/persons/{id}/parole/events"),
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
async fn a_parolee_reports_weekly_misses_two_mondays_and_is_warned() {
    let w = world().await;
    let id = parolee(&w, 30, "Oslo", "F001").await;

    let (status, v) = view(&w, "probation", id).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // The end of probation is the engine's R-PAR-4 date: the end of sentence, 2025-09-01.
    assert_eq!(v["probation_end"]["date"], "2025-09-01");
    assert_eq!(v["probation_end"]["rule"], "R-PAR-4");
    assert!(
        v["probation_end"]["explanation"]["nb"]
            .as_str()
            .unwrap()
            .contains("R-PAR-4"),
        "{v}"
    );
    assert_eq!(v["supervision"]["from"], "2025-05-03");
    assert_eq!(v["parole"]["stage"], "active");
    assert_eq!(v["parole"]["due"], json!([]));

    // Conditions at the start (the parole date: no reason needed).
    let (status, body) = event(
        &w,
        id,
        "condition",
        json!({"type": "reporting", "from": "2025-05-03", "weekday": "monday", "location": "F001"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A residence without its municipality names the field.
    let (status, body) = event(
        &w,
        id,
        "condition",
        json!({"type": "residence", "from": "2025-05-03", "address": "Storgata 1"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.municipality"]);
    let (status, body) = event(
        &w,
        id,
        "condition",
        json!({"type": "residence", "from": "2025-05-03", "address": "Storgata 1", "municipality": "Oslo"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = event(
        &w,
        id,
        "condition",
        json!({"type": "no_contact", "from": "2025-05-03", "persons": ["Kari Nordmann", " "]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Reports on Monday 5 May and Monday 19 May.
    for day in ["2025-05-05", "2025-05-19"] {
        let (status, body) = event(&w, id, "report", json!({"date": day, "sober": true})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // Weekly on Monday from Saturday 2025-05-03: the first Monday is 05-05, then 05-12, 05-19,
    // 05-26; today Sunday 06-01 → all four are before today. Reported 05-05 and 05-19 →
    // missed 05-12 and 05-26. The next is Monday 06-02.
    let (_, v) = view(&w, "probation", id).await;
    let p = &v["parole"];
    assert_eq!(p["missed"], json!(["2025-05-12", "2025-05-26"]), "{v}");
    assert_eq!(p["due"].as_array().unwrap().len(), 4);
    assert_eq!(p["next_due"], "2025-06-02");
    assert_eq!(p["conditions"].as_array().unwrap().len(), 3);
    assert_eq!(p["conditions"][2]["persons"], json!(["Kari Nordmann"]));

    // The caseload counts the two missed reports.
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
    assert_eq!(line["missed_reports"], 2, "{line}");

    // A warning needs a breach first (R-PAR-5).
    let (status, body) = event(
        &w,
        id,
        "warning",
        json!({"date": "2025-05-30", "description": "Skriftlig advarsel"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["kind"]);
    // A breach of a condition not set is refused, naming the condition.
    let (status, body) = event(
        &w,
        id,
        "breach",
        json!({"date": "2025-05-27", "condition": "sobriety", "description": "Ruspåvirket"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.condition"]);
    let (status, body) = event(
        &w,
        id,
        "breach",
        json!({"date": "2025-05-27", "condition": "reporting", "description": "Møtte ikke 12. og 26. mai"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = event(
        &w,
        id,
        "warning",
        json!({"date": "2025-05-30", "description": "Skriftlig advarsel"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["parole"]["stage"], "warned");
    assert_eq!(v["parole"]["breaches"], 1);
    assert_eq!(v["parole"]["warnings"], 1);

    // A new condition after the start needs its reason (R-PAR-5), then applies from its day.
    let new =
        json!({"type": "sobriety", "from": "2025-05-30", "substances": "alkohol og narkotika"});
    let (status, body) = event(&w, id, "condition", new.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.reason"]);
    let mut with_reason = new;
    with_reason["reason"] = json!("Nytt vilkår etter brudd");
    let (status, body) = event(&w, id, "condition", with_reason).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The case for re-imprisonment goes to the court.
    let (status, body) = event(
        &w,
        id,
        "court_case",
        json!({"date": "2025-06-01", "description": "Begjæring om gjeninnsettelse"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["parole"]["stage"], "with_court");
    assert_eq!(v["parole"]["court_case"], "2025-06-01");
    // Nothing after today, nothing after the end of probation.
    let (status, body) = event(
        &w,
        id,
        "report",
        json!({"date": "2025-06-02", "sober": true}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.date"]);
    let (status, body) = event(
        &w,
        id,
        "condition",
        json!({"type": "treatment", "from": "2025-09-02", "provider": "DPS", "reason": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.from"]);
}

#[tokio::test]
async fn a_correction_points_at_what_it_corrects_and_the_log_keeps_both() {
    let w = world().await;
    let id = parolee(&w, 31, "Oslo", "F001").await;
    let (status, _) = event(
        &w,
        id,
        "condition",
        json!({"type": "reporting", "from": "2025-05-03", "every_days": 14, "location": "F001"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Every 14 days from 2025-05-03: 05-03, 05-17, 05-31 (before today 06-01); next 06-14.
    let (status, body) = event(
        &w,
        id,
        "report",
        json!({"date": "2025-05-16", "sober": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let wrong = body["event"].as_i64().unwrap();
    // The report of 05-16 lies in 05-17's window (05-04 … 05-17): missed 05-03 and 05-31.
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["parole"]["missed"], json!(["2025-05-03", "2025-05-31"]));
    assert_eq!(v["parole"]["next_due"], "2025-06-14");

    // Without a reason a correction is refused; with one it replaces the report (05-16 → 05-31).
    let version = v["version"].as_i64().unwrap();
    let (status, body) = record(
        &w,
        id,
        json!({"kind": "report", "version": version, "corrects": wrong,
               "payload": {"date": "2025-05-31", "sober": true}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["reason"]);
    let (status, body) = record(
        &w,
        id,
        json!({"kind": "report", "version": version, "corrects": wrong, "reason": "Feil dato",
               "payload": {"date": "2025-05-31", "sober": true}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Now 05-31 is met; 05-03 and 05-17 are missed.
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["parole"]["missed"], json!(["2025-05-03", "2025-05-17"]));
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "the corrected report stays in the log");
    assert_eq!(events[2]["corrects"], wrong);
    assert_eq!(events[2]["reason"], "Feil dato");

    // A stale version is a conflict.
    let (status, _) = record(
        &w,
        id,
        json!({"kind": "report", "version": version, "payload": {"date": "2025-05-20", "sober": false}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A retraction removes the report again.
    let version = v["version"].as_i64().unwrap();
    let (status, body) = record(
        &w,
        id,
        json!({"kind": "retraction", "version": version, "corrects": wrong, "reason": "Registrert på feil person"}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(
        v["parole"]["missed"],
        json!(["2025-05-03", "2025-05-17", "2025-05-31"])
    );
}

#[tokio::test]
async fn an_idempotency_key_records_once() {
    let w = world().await;
    let id = parolee(&w, 32, "Oslo", "F001").await;
    let body = json!({"kind": "condition", "version": 0,
        "payload": {"type": "reporting", "from": "2025-05-03", "weekday": "friday", "location": "F001"}});
    let (first_status, first) = record(&w, id, body.clone(), &[("idempotency-key", "k-1")]).await;
    assert_eq!(first_status, StatusCode::CREATED, "{first}");
    let (again_status, again) = record(&w, id, body, &[("idempotency-key", "k-1")]).await;
    assert_eq!(again_status, StatusCode::CREATED);
    assert_eq!(again, first);
    let (_, v) = view(&w, "probation", id).await;
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(v["version"], 1);
    // The same key with another request is refused.
    let other =
        json!({"kind": "report", "version": 1, "payload": {"date": "2025-05-09", "sober": true}});
    let (status, _) = record(&w, id, other, &[("idempotency-key", "k-1")]).await;
    assert_eq!(status.as_u16() / 100, 4);
    assert_ne!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn another_office_sees_nothing_and_the_person_reads_only_their_own() {
    let mut w = world().await;
    let bergen_location = {
        let offices = w.store.probation_offices().await.unwrap();
        offices
            .into_iter()
            .find(|o| o.municipality == "Bergen")
            .unwrap()
            .id
    };
    let elsewhere = parolee(&w, 33, "Bergen", &bergen_location).await;
    let own = parolee(&w, 34, "Oslo", "F001").await;
    let (status, _) = view(&w, "probation", elsewhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = record(
        &w,
        elsewhere,
        json!({"kind": "report", "version": 0, "payload": {"date": "2025-05-05", "sober": true}}),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .page(Some("probation"), &format!("/persons/{elsewhere}/parole"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // National placement reads.
    let (status, _) = view(&w, "placement", elsewhere).await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = event(
        &w,
        own,
        "condition",
        json!({"type": "reporting", "from": "2025-05-03", "weekday": "monday", "location": "F001"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The parolee's own account (self-service).
    let hash = auth::hash_password("secret-pw").unwrap();
    w.store
        .ensure_user(&NewUser {
            username: "parolee".into(),
            display_name: "Prøveløslatt".into(),
            password_hash: hash,
            role: "prisoner".into(),
            scope_kind: "self".into(),
            scope_id: None,
            person_id: Some(own),
            demo: false,
        })
        .await
        .unwrap();
    let (api, _) = auth::sign_in(&w.store, "parolee", "secret-pw", SessionKind::Api)
        .await
        .unwrap();
    let (web, _) = auth::sign_in(&w.store, "parolee", "secret-pw", SessionKind::Web)
        .await
        .unwrap();
    w.tokens.push(("parolee", api, web));
    let (status, v) = view(&w, "parolee", own).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["parole"]["conditions"][0]["weekday"], "monday");
    let (status, _) = view(&w, "parolee", elsewhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .api(
            Some("parolee"),
            "POST",
            &format!("/api/v1/persons/{own}/parole/events"),
            Some(json!({"kind": "report", "version": 1, "payload": {"date": "2025-05-05", "sober": true}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Their page shows the schedule and no forms.
    let (status, html) = w
        .page(Some("parolee"), &format!("/persons/{own}/parole"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("hver mandag"), "{html}");
    assert!(
        !html.contains(&format!("/persons/{own}/parole/report")),
        "{html}"
    );
    // The read is in the access log.
    let log = w
        .store
        .access_log(AccessQuery {
            person: Some(own),
            user: None,
            limit: 100,
        })
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|l| l.view == "parole" && l.username == "parolee"),
        "{log:?}"
    );
}

#[tokio::test]
async fn the_officer_records_through_the_forms_in_bokmal() {
    let w = world().await;
    let id = parolee(&w, 35, "Oslo", "F001").await;
    let path = format!("/persons/{id}/parole/residence");
    let wrong = w
        .submit(
            "probation",
            "nb",
            &path,
            &[("from", "2025-05-03"), ("address", "Storgata 1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let summary = support::summary(&wrong.html);
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(summary[0].contains("Kommune"), "{summary:?}");
    let done = w
        .submit(
            "probation",
            "nb",
            &path,
            &[
                ("from", "2025-05-03"),
                ("address", "Storgata 1"),
                ("municipality", "Oslo"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let path = format!("/persons/{id}/parole/reporting");
    let done = w
        .submit(
            "probation",
            "nb",
            &path,
            &[
                ("from", "2025-05-03"),
                ("every_days", "7"),
                ("location", "F001"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let done = w
        .submit(
            "probation",
            "nb",
            &format!("/persons/{id}/parole/report"),
            &[
                ("date", "2025-05-24"),
                ("sober", "no"),
                ("note", "Luktet alkohol"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    // Every 7 days from 05-03: 05-03, 05-10, 05-17, 05-24, 05-31 before today 06-01; only
    // 05-24 reported → four missed, shown on the page.
    let page = w
        .page_in("probation", "nb", &format!("/persons/{id}/parole"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for day in ["2025-05-03", "2025-05-10", "2025-05-17", "2025-05-31"] {
        assert!(
            page.html.contains(&format!("Ikke møtt: {day}")),
            "{day} missed: {}",
            page.html
        );
    }
    assert!(page.html.contains("2025-09-01"), "the end of probation");
    assert!(page.html.contains("R-PAR-4"));
}
