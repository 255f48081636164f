//! Leave out and back (issue 5, item 6): a late return raises an incident, and the whole days
//! outside without leave are not counted, which moves the person's dates (R-CALC-5 b), on the
//! backend `HALDEN_TEST_BACKEND` names.
//!
//! The Oslo fixture serves 120 days from 2025-03-03. End of sentence (C-4): the first day plus
//! 120 − 1 days: March 3–31 is 29 days, April 30, May 31, so day 120 is 30 June 2025.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{World, world};

async fn version(w: &World) -> i64 {
    let (_, person) = w
        .api(
            Some("officer"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    person["version"].as_i64().unwrap()
}

async fn movement(w: &World, payload: Value) -> (StatusCode, Value) {
    let version = version(w).await;
    w.api(
        Some("officer"),
        "POST",
        &format!("/api/v1/persons/{}/entries", w.oslo),
        Some(json!({"kind": "movement", "version": version, "payload": payload})),
        &[],
    )
    .await
}

async fn end_of_sentence(w: &World) -> String {
    let (status, dates) = w
        .api(
            Some("officer"),
            "GET",
            &format!("/api/v1/persons/{}/dates", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{dates}");
    dates["dates"]["end_of_sentence"]["date"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_late_return_from_leave_is_an_incident_and_moves_the_dates() {
    let w = world().await;
    assert_eq!(end_of_sentence(&w).await, "2025-06-30");

    // Out Friday 9 May 10:00, due back Sunday 11 May 18:00.
    let (status, body) = movement(
        &w,
        json!({"movement": "leave_out", "at": "2025-05-09T10:00", "due_back": "2025-05-11T18:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Back Wednesday 14 May 10:00: 12 and 13 May are whole days outside without leave.
    let (status, body) = movement(
        &w,
        json!({"movement": "leave_return", "at": "2025-05-14T10:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Two days not counted: the end moves from 30 June to 2 July.
    assert_eq!(end_of_sentence(&w).await, "2025-07-02");
    // The record carries the incident.
    let (_, person) = w
        .api(
            Some("officer"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(
        person["incidents"],
        json!([{"kind": "late_return", "due": "2025-05-11T18:00:00", "at": "2025-05-14T10:00:00",
                "not_counted": {"from": "2025-05-12", "to": "2025-05-13", "days": 2}}])
    );

    // The person page names the incident and the days, in the page's language.
    let page = w
        .page_in("officer", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(page.html.contains("Hendelser"), "{}", page.html);
    assert!(
        page.html
            .contains("For sen retur fra permisjon: skulle vært tilbake 2025-05-11 18:00")
            && page
                .html
                .contains("2 hele dager utenfor (2025-05-12–2025-05-13)"),
        "{}",
        page.html
    );
    let page = w
        .page_in("officer", "en", &format!("/persons/{}", w.oslo))
        .await;
    assert!(
        page.html
            .contains("2 whole days outside (2025-05-12 to 2025-05-13)"),
        "{}",
        page.html
    );
    // The person sees it on their own page too.
    let page = w
        .page_in("prisoner", "en", &format!("/persons/{}", w.oslo))
        .await;
    assert!(
        page.html.contains("Late return from leave"),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn a_return_on_time_moves_nothing() {
    let w = world().await;
    let (status, _) = movement(
        &w,
        json!({"movement": "leave_out", "at": "2025-05-09T10:00", "due_back": "2025-05-11T18:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = movement(
        &w,
        json!({"movement": "leave_return", "at": "2025-05-11T17:30"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(end_of_sentence(&w).await, "2025-06-30");
    let page = w
        .page_in("officer", "en", &format!("/persons/{}", w.oslo))
        .await;
    assert!(!page.html.contains("Incidents"));
}

#[tokio::test]
async fn a_due_back_time_before_the_leave_is_refused_naming_the_field() {
    let w = world().await;
    let before = version(&w).await;
    let (status, body) = movement(
        &w,
        json!({"movement": "leave_out", "at": "2025-05-09T10:00", "due_back": "2025-05-09T09:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let errors = body["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["field"].as_str().unwrap().ends_with("due_back")),
        "{body}"
    );
    assert_eq!(version(&w).await, before, "nothing written");
}
