//! The handover before release (issue 6, item 7; BRIEF §3.5): the prison's contact officer makes
//! the plan for housing, work or school, health and NAV, and hands the person over to the
//! probation office that will follow them; from then on the office reads the record and works on
//! the plan, before supervision starts. On the backend `HALDEN_TEST_BACKEND` names; today is
//! 2025-06-01, the Oslo fixture is in custody in Oslo fengsel with `contact` as contact officer,
//! and `probation` works at Oslo friomsorgskontor (F001).

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{World, world};

async fn post_entry(
    w: &World,
    role: &str,
    person: i64,
    kind: &str,
    payload: Value,
) -> (StatusCode, Value) {
    let version = w.store.person(person).await.unwrap().unwrap().version;
    w.api(
        Some(role),
        "POST",
        &format!("/api/v1/persons/{person}/entries"),
        Some(json!({"kind": kind, "version": version, "payload": payload})),
        &[],
    )
    .await
}

async fn read(w: &World, role: &str, person: i64) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "GET",
        &format!("/api/v1/persons/{person}"),
        None,
        &[],
    )
    .await
}

#[tokio::test]
async fn the_plan_is_made_inside_and_handed_over_to_the_probation_office_which_then_reads_it() {
    let w = world().await;
    let person = w.oslo;
    // Before the handover the office does not see the person.
    assert_eq!(read(&w, "probation", person).await.0, StatusCode::NOT_FOUND);
    let (status, _) = post_entry(
        &w,
        "probation",
        person,
        "release_plan",
        json!({"area": "housing", "status": "arranged", "date": "2025-06-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Bad input names the field and saves nothing.
    let (status, body) = post_entry(
        &w,
        "contact",
        person,
        "release_plan",
        json!({"area": "garden", "status": "done", "date": "2025-06-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("payload.area") && text.contains("payload.status"),
        "{text}"
    );
    let (status, body) = post_entry(
        &w,
        "contact",
        person,
        "release_handover",
        json!({"office": "F999", "date": "2025-06-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("payload.office"), "{body}");
    // The officer on the floor contributes to the plan but does not hand over.
    let (status, _) = post_entry(
        &w,
        "officer",
        person,
        "release_handover",
        json!({"office": "F001", "date": "2025-06-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The contact officer assesses housing twice (the later replaces the earlier) and NAV.
    for (area, status, date, note) in [
        (
            "housing",
            "needs_help",
            "2025-05-20",
            "No address after release.",
        ),
        (
            "housing",
            "arranged",
            "2025-05-28",
            "Municipal flat from 2025-06-30.",
        ),
        (
            "nav",
            "in_progress",
            "2025-05-28",
            "Application for benefits sent.",
        ),
    ] {
        let (code, body) = post_entry(
            &w,
            "contact",
            person,
            "release_plan",
            json!({"area": area, "status": status, "date": date, "note": note}),
        )
        .await;
        assert_eq!(code, StatusCode::CREATED, "{body}");
    }
    let (status, body) = post_entry(
        &w,
        "contact",
        person,
        "release_handover",
        json!({"office": "F001", "date": "2025-06-01", "note": "Meeting held in the prison."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Now the office reads the record (logged like every read) and works on the plan.
    let (status, record) = read(&w, "probation", person).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    let plan = &record["release_plan"];
    assert_eq!(plan["handover"]["office"], "F001", "{plan}");
    let areas = plan["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2, "{plan}");
    assert_eq!(areas[0]["area"], "housing");
    assert_eq!(areas[0]["status"], "arranged");
    assert_eq!(areas[1]["area"], "nav");
    let (status, body) = post_entry(
        &w,
        "probation",
        person,
        "release_plan",
        json!({"area": "work_or_school", "status": "in_progress", "date": "2025-06-01",
               "note": "Meeting with the school on 2025-06-10."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The person sees their own plan; the page shows every area, unassessed ones so.
    let (status, own) = read(&w, "prisoner", w.oslo).await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["release_plan"]["areas"].as_array().unwrap().len(), 3);
    let page = w
        .page_in("contact", "nb", &format!("/persons/{person}"))
        .await;
    assert!(page.html.contains("Løslatelsesplan"), "{}", page.html);
    assert!(page.html.contains("F001 · 2025-06-01"), "{}", page.html);
    assert!(
        page.html.contains("ikke vurdert"),
        "health is not assessed yet"
    );
    assert!(page.html.contains("Municipal flat from 2025-06-30."));
}
