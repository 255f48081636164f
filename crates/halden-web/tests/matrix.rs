//! The role × route matrix: every route, every role, the status BRIEF §2 calls for.
//!
//! Expected statuses are written here from the brief, not read from the code: 200 allowed;
//! 403 the role never may; 404 outside the caller's scope (existence not revealed); 401 without a
//! token; 400 / 409 when the role and scope pass and the (deliberately bad or stale) request is
//! then refused on its content, which proves the route let the role through.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::world;

const ROLES: [&str; 9] = [
    "officer",
    "contact",
    "leader",
    "placement",
    "probation",
    "health",
    "prisoner",
    "analyst",
    "admin",
];

/// One row: a route and the status for each role in `ROLES` order.
struct Row {
    method: &'static str,
    path: String,
    body: Option<serde_json::Value>,
    expected: [u16; 9],
}

#[tokio::test]
async fn every_api_route_answers_each_role_as_the_brief_says() {
    let w = world().await;
    let (oslo, bergen, supervised) = (w.oslo, w.bergen, w.supervised);
    let unassigned = w.oslo_unassigned;
    let stale_assignment = json!({"kind": "contact_officer", "version": 999,
        "payload": {"officer": "contact", "from": "2025-06-01"}});
    let stale_leave = json!({"kind": "movement", "version": 999,
        "payload": {"movement": "leave_out", "at": "2025-06-01T10:00"}});
    let (refused, appeal) = decided_and_appealed(&w).await;
    let elsewhere = supervised_elsewhere(&w).await;
    let (own_report, other_report) = presentence_requests(&w).await;
    let youth = support::youth_person(&w, 40, "Oslo").await;
    let youth_elsewhere = support::youth_person(&w, 41, "Bergen").await;
    let rows = vec![
        // officer, contact, leader, placement, probation, health, prisoner, analyst, admin
        Row {
            method: "GET",
            path: "/api/v1/persons".into(),
            body: None,
            expected: [200, 200, 200, 200, 200, 200, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}"),
            body: None,
            expected: [200, 200, 200, 200, 404, 200, 200, 403, 403],
        },
        // A contact officer sees the residents assigned to them, not the whole unit.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{unassigned}"),
            body: None,
            expected: [200, 404, 200, 200, 404, 200, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{bergen}"),
            body: None,
            expected: [404, 404, 404, 200, 404, 404, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{supervised}"),
            body: None,
            expected: [404, 404, 404, 200, 200, 404, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/dates"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/entries"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{bergen}/entries"),
            body: None,
            expected: [404, 404, 404, 200, 404, 403, 404, 403, 403],
        },
        // Writing a movement: unit staff and placement pass role and scope, then meet the stale
        // version (409); probation and the others may not record movements.
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{oslo}/entries"),
            body: Some(stale_leave.clone()),
            expected: [409, 409, 409, 409, 403, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{bergen}/entries"),
            body: Some(stale_leave),
            expected: [404, 404, 404, 409, 403, 403, 403, 403, 403],
        },
        // Assigning a contact officer: the unit's leader and placement (then the stale version).
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{oslo}/entries"),
            body: Some(stale_assignment),
            expected: [403, 403, 409, 409, 403, 403, 403, 403, 403],
        },
        // Accounts and their log: administrators only; the empty request is then refused (400).
        Row {
            method: "GET",
            path: "/api/v1/users".into(),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 200],
        },
        Row {
            method: "POST",
            path: "/api/v1/users".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        Row {
            method: "POST",
            path: "/api/v1/users/1/disable".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        Row {
            method: "POST",
            path: "/api/v1/users/1/enable".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        Row {
            method: "GET",
            path: "/api/v1/account-log".into(),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 200],
        },
        // Registering a person: officer, leader, placement; the empty body is then refused (400).
        Row {
            method: "POST",
            path: "/api/v1/persons".into(),
            body: Some(json!({})),
            expected: [400, 403, 400, 400, 403, 403, 403, 403, 403],
        },
        // Importing judgments: leader and placement; the empty file is then refused (400).
        Row {
            method: "POST",
            path: "/api/v1/judgments/import".into(),
            body: Some(json!({"judgments": []})),
            expected: [403, 403, 400, 400, 403, 403, 403, 403, 403],
        },
        // The access log: administrators; a person for their own record.
        Row {
            method: "GET",
            path: format!("/api/v1/access-log?person={oslo}"),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 200, 403, 200],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/access-log?person={bergen}"),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 404, 403, 200],
        },
        // Applications (BRIEF §2, §3.4): the person files their own; the unit's officers take
        // them in and the assigned contact officer helps write them; national placement registers
        // what reaches it by letter (a postponement from someone waiting to serve); deciders read
        // them; service providers, analysts and administrators never see them.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/applications"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{unassigned}/applications"),
            body: None,
            expected: [200, 404, 200, 200, 404, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{bergen}/applications"),
            body: None,
            expected: [404, 404, 404, 200, 404, 403, 404, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{oslo}/applications"),
            body: Some(json!({})),
            expected: [400, 400, 403, 400, 403, 403, 400, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{unassigned}/applications"),
            body: Some(json!({})),
            expected: [400, 404, 403, 400, 403, 403, 404, 403, 403],
        },
        // Decisions: read as applications are; made by the unit's leader and by placement.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/decisions"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{oslo}/decisions"),
            body: Some(json!({})),
            expected: [403, 403, 400, 400, 403, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{bergen}/decisions"),
            body: Some(json!({})),
            expected: [403, 403, 404, 400, 403, 403, 403, 403, 403],
        },
        // Appeals: the person, or their contact officer for them; decided one level up (a
        // leave refused by the prison goes to the region: placement), never by the prison.
        Row {
            method: "POST",
            path: format!("/api/v1/decisions/{refused}/appeals"),
            body: Some(json!({})),
            expected: [403, 400, 403, 403, 403, 403, 400, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/appeals/{appeal}"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/appeals/{appeal}/decision"),
            body: Some(json!({})),
            expected: [403, 403, 403, 400, 403, 403, 403, 403, 403],
        },
        Row {
            method: "GET",
            path: "/api/v1/in-tray".into(),
            body: None,
            expected: [403, 403, 200, 200, 403, 403, 403, 403, 403],
        },
        // The catalogue of legal grounds and who decides what: public law, read by anyone signed
        // in; maintained by administrators (the empty request then refused, 400).
        Row {
            method: "GET",
            path: "/api/v1/legal-grounds".into(),
            body: None,
            expected: [200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Row {
            method: "POST",
            path: "/api/v1/legal-grounds".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        Row {
            method: "POST",
            path: "/api/v1/legal-grounds/1/retire".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        Row {
            method: "GET",
            path: "/api/v1/decision-authority".into(),
            body: None,
            expected: [200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Row {
            method: "POST",
            path: "/api/v1/decision-authority".into(),
            body: Some(json!({})),
            expected: [403, 403, 403, 403, 403, 403, 403, 403, 400],
        },
        // The progression plan: as the person's record, never for service providers.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/progression"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{bergen}/progression"),
            body: None,
            expected: [404, 404, 404, 200, 404, 403, 404, 403, 403],
        },
        // The serving queue: national placement only (BRIEF §2).
        Row {
            method: "GET",
            path: "/api/v1/queue".into(),
            body: None,
            expected: [403, 403, 403, 200, 403, 403, 403, 403, 403],
        },
        // Capacity and occupancy: national placement (the estate) and prison leaders (their
        // unit) (BRIEF §2).
        Row {
            method: "GET",
            path: "/api/v1/capacity?date=2025-05-01".into(),
            body: None,
            expected: [403, 403, 200, 200, 403, 403, 403, 403, 403],
        },
        // A bad date is refused on its content once the role passes.
        Row {
            method: "GET",
            path: "/api/v1/capacity?date=2025-02-30".into(),
            body: None,
            expected: [403, 403, 400, 400, 403, 403, 403, 403, 403],
        },
        Row {
            method: "GET",
            path: "/api/v1/prisons".into(),
            body: None,
            expected: [200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        // Official statistics (issue 7): analysts only (BRIEF §2: aggregates, never a person);
        // a bad date is refused on its content once the role passes.
        Row {
            method: "GET",
            path: "/api/v1/statistics/space1?date=2025-06-01".into(),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 403, 200, 403],
        },
        Row {
            method: "GET",
            path: "/api/v1/statistics/monthly?date=2025-02-30".into(),
            body: None,
            expected: [403, 403, 403, 403, 403, 403, 403, 400, 403],
        },
        // The population simulator: analysts and prison leaders (aggregates only). A scenario
        // that is not TOML is refused on its content (400); no run has a numeric id (404).
        Row {
            method: "POST",
            path: "/api/v1/simulations".into(),
            body: Some(json!({"scenario": "seed ="})),
            expected: [403, 403, 400, 403, 403, 403, 403, 400, 403],
        },
        Row {
            method: "GET",
            path: "/api/v1/simulations/123456".into(),
            body: None,
            expected: [403, 403, 404, 403, 403, 403, 403, 404, 403],
        },
        // Probation (issue 6): the caseload is the probation officer's; a community sentence
        // is read by the person, their office and placement, and written by the office only;
        // prison staff are refused by role (403, least privilege, issue 6 item 9).
        Row {
            method: "GET",
            path: "/api/v1/probation/caseload".into(),
            body: None,
            expected: [403, 403, 403, 403, 200, 403, 403, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{supervised}/community"),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/community"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 200, 403, 403],
        },
        // Another office's person: the probation officer of F001 sees nothing.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{elsewhere}/community"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 404, 403, 403],
        },
        // Role and scope pass for the office's own officer; the request is then refused on its
        // content (the person has no community sentence).
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{supervised}/community/events"),
            body: Some(json!({"kind": "breach", "version": 999,
                "payload": {"date": "2025-05-02", "description": "x"}})),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{elsewhere}/community/events"),
            body: Some(json!({"kind": "breach", "version": 0,
                "payload": {"date": "2025-05-02", "description": "x"}})),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
        // Parole supervision (issue 6, item 5): read by the person, their office and placement,
        // written by the office only. Least privilege (issue 6, item 9): prison staff are refused
        // by role (403), even for a resident of their own unit, as for EM.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{supervised}/parole"),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/parole"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{elsewhere}/parole"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 404, 403, 403],
        },
        // Role and scope pass for the office's own officer; refused on content (not on parole).
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{supervised}/parole/events"),
            body: Some(json!({"kind": "warning", "version": 0,
                "payload": {"date": "2025-05-02", "description": "x"}})),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{elsewhere}/parole/events"),
            body: Some(json!({"kind": "warning", "version": 0,
                "payload": {"date": "2025-05-02", "description": "x"}})),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
        // Youth sentence (issue 6, item 8; R-YOUTH-3): executed by the mediation service.
        // National placement reads and records; the probation office of the person's home (F001
        // for Oslo) sees the handovers only; no one else's scope holds the person (404).
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{youth}/youth"),
            body: None,
            expected: [404, 404, 404, 200, 200, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{youth_elsewhere}/youth"),
            body: None,
            expected: [404, 404, 404, 200, 404, 403, 404, 403, 403],
        },
        // The person in custody with no youth sentence: their unit and themselves read (an empty
        // view); the office has nothing to see.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/youth"),
            body: None,
            expected: [200, 200, 200, 200, 404, 403, 200, 403, 403],
        },
        // Placement passes and is refused on content (the youth plan is not Halden's).
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{youth}/youth/events"),
            body: Some(json!({"kind": "plan", "version": 0,
                "payload": {"date": "2025-05-02"}})),
            expected: [403, 403, 403, 400, 403, 403, 403, 403, 403],
        },
        // The programme against intoxicated driving (issue 6, item 6; R-PROG-1): exactly as
        // parole — read by the person, their office and placement (prison staff refused),
        // written by the office only.
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{supervised}/programme"),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/programme"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{elsewhere}/programme"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 404, 403, 403],
        },
        // Role and scope pass for the office's own officer; refused on content (no programme).
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{supervised}/programme/events"),
            body: Some(json!({"kind": "absence", "version": 0,
                "payload": {"date": "2025-05-02"}})),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{elsewhere}/programme/events"),
            body: Some(json!({"kind": "absence", "version": 0,
                "payload": {"date": "2025-05-02"}})),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
        // EM home detention (issue 6, item 4): read by the person, their office and placement;
        // unit staff are refused; written by the office only (the fixture's EM person has no
        // application, so a breach and a revocation are refused on their content).
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{supervised}/em"),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 404, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{oslo}/em"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 200, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/persons/{elsewhere}/em"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 404, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{supervised}/em/events"),
            body: Some(json!({"kind": "breach", "version": 0, "payload":
                {"kind": "absence", "at": "2025-05-02T23:00", "description": "x"}})),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{elsewhere}/em/events"),
            body: Some(json!({"kind": "breach", "version": 0, "payload":
                {"kind": "absence", "at": "2025-05-02T23:00", "description": "x"}})),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{supervised}/em/revocation"),
            body: Some(
                json!({"version": 0, "register_version": 1, "at": "2025-06-01T10:00",
                "prison": "P001", "reason": "x"}),
            ),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/persons/{elsewhere}/em/revocation"),
            body: Some(
                json!({"version": 0, "register_version": 1, "at": "2025-06-01T10:00",
                "prison": "P001", "reason": "x"}),
            ),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
        // Pre-sentence reports (issue 6, item 2): the office the court asked and national
        // placement read; only the office's probation officers write. Another office's: 404.
        Row {
            method: "GET",
            path: "/api/v1/presentence-reports".into(),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: "/api/v1/presentence-reports".into(),
            body: Some(
                json!({"person_id": supervised, "court": "", "case_number": "x",
                "requested": "2025-05-01", "deadline": "2025-06-01"}),
            ),
            expected: [403, 403, 403, 403, 400, 403, 403, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/presentence-reports/{own_report}"),
            body: None,
            expected: [403, 403, 403, 200, 200, 403, 403, 403, 403],
        },
        Row {
            method: "GET",
            path: format!("/api/v1/presentence-reports/{other_report}"),
            body: None,
            expected: [403, 403, 403, 200, 404, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/presentence-reports/{own_report}/events"),
            body: Some(
                json!({"kind": "assignment", "version": 999, "payload": {"officer": "probation"}}),
            ),
            expected: [403, 403, 403, 403, 409, 403, 403, 403, 403],
        },
        Row {
            method: "POST",
            path: format!("/api/v1/presentence-reports/{other_report}/events"),
            body: Some(
                json!({"kind": "assignment", "version": 1, "payload": {"officer": "probation"}}),
            ),
            expected: [403, 403, 403, 403, 404, 403, 403, 403, 403],
        },
    ];
    let mut failures = Vec::new();
    for row in &rows {
        // Without a token: 401 on every one of these routes.
        let (anonymous, _) = w
            .api(None, row.method, &row.path, row.body.clone(), &[])
            .await;
        if anonymous != StatusCode::UNAUTHORIZED {
            failures.push(format!(
                "{} {} anonymous: {anonymous}",
                row.method, row.path
            ));
        }
        for (role, expected) in ROLES.iter().zip(row.expected) {
            let (status, body) = w
                .api(Some(role), row.method, &row.path, row.body.clone(), &[])
                .await;
            if status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {role}: expected {expected}, got {status} {body}",
                    row.method, row.path
                ));
            }
            if !status.is_success() && body.get("errors").and_then(|e| e.as_array()).is_none() {
                failures.push(format!(
                    "{} {} as {role}: refusal without an errors list",
                    row.method, row.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // Public routes.
    for path in [
        "/health",
        "/api/v1/openapi.json",
        "/api/v1/statistics/public",
    ] {
        let (status, _) = w.api(None, "GET", path, None, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }

    // Every route of the matrix, with its method, is in the OpenAPI document.
    let (_, openapi) = w.api(None, "GET", "/api/v1/openapi.json", None, &[]).await;
    for row in &rows {
        let template = row
            .path
            .split('?')
            .next()
            .unwrap()
            .split('/')
            .map(|s| if s.parse::<i64>().is_ok() { "{id}" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let method = row.method.to_ascii_lowercase();
        assert!(
            openapi["paths"][&template][&method].is_object(),
            "{} {template} is not in the OpenAPI document",
            row.method
        );
    }
}

#[tokio::test]
async fn every_page_answers_each_role_as_the_brief_says() {
    let w = world().await;
    let (oslo, bergen, supervised) = (w.oslo, w.bergen, w.supervised);
    let entries = w.store.entries(oslo).await.unwrap();
    let entry = |kind: &str| entries.iter().find(|e| e.kind == kind).unwrap().id;
    let (oslo_movement, oslo_judgment) = (entry("movement"), entry("judgment"));
    let bergen_entries = w.store.entries(bergen).await.unwrap();
    let bergen_movement = bergen_entries
        .iter()
        .find(|e| e.kind == "movement")
        .unwrap()
        .id;
    let (refused, appeal) = decided_and_appealed(&w).await;
    let (own_report, other_report) = presentence_requests(&w).await;
    let youth = support::youth_person(&w, 40, "Oslo").await;
    let rows: Vec<(String, [u16; 9])> = vec![
        // officer, contact, leader, placement, probation, health, prisoner, analyst, admin
        (
            "/home".into(),
            [200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/roll".into(),
            [200, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        (
            "/caseload".into(),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        // Pre-sentence reports (issue 6, item 2).
        (
            "/presentence".into(),
            [403, 403, 403, 200, 200, 403, 403, 403, 403],
        ),
        (
            "/presentence/new".into(),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/presentence/{own_report}"),
            [403, 403, 403, 200, 200, 403, 403, 403, 403],
        ),
        (
            format!("/presentence/{own_report}/document"),
            [403, 403, 403, 200, 200, 403, 403, 403, 403],
        ),
        (
            format!("/presentence/{own_report}/assignment"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/presentence/{other_report}"),
            [403, 403, 403, 200, 404, 403, 403, 403, 403],
        ),
        // Probation (issue 6).
        (
            "/probation".into(),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/community"),
            [403, 403, 403, 200, 200, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{supervised}/community/intake"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        // Parole supervision (issue 6, item 5); prison staff refused by role (item 9).
        (
            format!("/persons/{supervised}/parole"),
            [403, 403, 403, 200, 200, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{oslo}/parole"),
            [403, 403, 403, 200, 404, 403, 200, 403, 403],
        ),
        (
            format!("/persons/{supervised}/parole/report"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        // Youth sentence (issue 6, item 8): the page and placement's two forms.
        (
            format!("/persons/{youth}/youth"),
            [404, 404, 404, 200, 200, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{youth}/youth/handover"),
            [403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{youth}/youth/order"),
            [403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        // The programme against intoxicated driving (issue 6, item 6).
        (
            format!("/persons/{supervised}/programme"),
            [403, 403, 403, 200, 200, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{supervised}/programme/session"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        // EM (issue 6, item 4): the case page and the office's forms.
        (
            format!("/persons/{supervised}/em"),
            [403, 403, 403, 200, 200, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{oslo}/em"),
            [403, 403, 403, 200, 404, 403, 200, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/breach"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/revocation"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/application"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/grant"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/device"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/handling"),
            [403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        // A retraction names the event it retracts; without one there is nothing to show.
        (
            format!("/persons/{supervised}/em/retraction"),
            [403, 403, 403, 403, 404, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}"),
            [200, 200, 200, 200, 404, 200, 200, 403, 403],
        ),
        (
            format!("/persons/{bergen}"),
            [404, 404, 404, 200, 404, 404, 404, 403, 403],
        ),
        (
            format!("/persons/{supervised}"),
            [404, 404, 404, 200, 200, 404, 404, 403, 403],
        ),
        (
            format!("/persons/{oslo}/movements/new"),
            [200, 200, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/movements/new"),
            [404, 404, 404, 200, 403, 403, 403, 403, 403],
        ),
        // Someone not in custody may be admitted by any unit's staff (no name is shown).
        (
            format!("/persons/{supervised}/movements/new"),
            [200, 200, 200, 200, 403, 403, 403, 403, 403],
        ),
        // Security level, remand order and time not counted: prison leaders (their unit) and
        // placement.
        (
            format!("/persons/{oslo}/security-levels/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/security-levels/new"),
            [403, 403, 404, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/remand-orders/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/remand-orders/new"),
            [403, 403, 404, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/non-counting/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/non-counting/new"),
            [403, 403, 404, 200, 403, 403, 403, 403, 403],
        ),
        // Supervision: probation and placement. A probation officer may take anyone onto the
        // office's caseload (the form then shows no name).
        (
            format!("/persons/{supervised}/supervisions/new"),
            [403, 403, 403, 200, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/supervisions/new"),
            [403, 403, 403, 200, 200, 403, 403, 403, 403],
        ),
        // Corrections: whoever may record the entry's kind for the person.
        (
            format!("/persons/{oslo}/entries/{oslo_movement}/correct"),
            [200, 200, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/entries/{oslo_judgment}/correct"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/entries/{bergen_movement}/correct"),
            [404, 404, 404, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/entries/999999/correct"),
            [404, 404, 404, 404, 404, 403, 403, 403, 403],
        ),
        (
            "/admissions/new".into(),
            [200, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/import".into(),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/access-log".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/accounts".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/accounts/new".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/accounts/1/disable".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/accounts/1/enable".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            format!("/persons/{oslo}/contact-officers/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{}", w.oslo_unassigned),
            [200, 404, 200, 200, 404, 200, 404, 403, 403],
        ),
        // Applications, decisions and appeals, as in the API.
        (
            format!("/persons/{oslo}/decisions"),
            [200, 200, 200, 200, 404, 403, 200, 403, 403],
        ),
        (
            format!("/persons/{bergen}/decisions"),
            [404, 404, 404, 200, 404, 403, 404, 403, 403],
        ),
        (
            format!("/persons/{oslo}/applications/new"),
            [200, 200, 403, 200, 403, 403, 200, 403, 403],
        ),
        (
            format!("/persons/{oslo}/decisions/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/decisions/{refused}/appeal"),
            [403, 200, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            format!("/appeals/{appeal}/decide"),
            [403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/in-tray".into(),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/legal-grounds".into(),
            [200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/legal-grounds/new".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/legal-grounds/1/retire".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/decision-authority".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        // The queue and summons: national placement; a missed serving date is recorded by the
        // prison staff too.
        (
            "/queue".into(),
            [403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        // Capacity: national placement and prison leaders.
        (
            "/capacity".into(),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/capacity?date=2025-05-01".into(),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        // Official statistics: analysts; the published set is public (below).
        (
            "/statistics?date=2025-06-01".into(),
            [403, 403, 403, 403, 403, 403, 403, 200, 403],
        ),
        (
            "/statistics/export/annual?format=csv&year=2024".into(),
            [403, 403, 403, 403, 403, 403, 403, 200, 403],
        ),
        (
            format!("/persons/{supervised}/summonses/new"),
            [403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/non-appearances/new"),
            [200, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        // An expulsion decision: registered by a prison leader or national placement.
        (
            format!("/persons/{supervised}/expulsions/new"),
            [403, 403, 200, 200, 403, 403, 403, 403, 403],
        ),
        // The release plan: the prison's staff and the probation office (its caseload, and the
        // persons handed over to it); the handover: the contact officer and the leader.
        (
            format!("/persons/{supervised}/release-plan/new"),
            [200, 200, 200, 403, 200, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/release-handover/new"),
            [403, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        // The population simulator (no run has this id: 404 to those who may simulate).
        (
            "/simulation".into(),
            [403, 403, 200, 403, 403, 403, 403, 200, 403],
        ),
        (
            "/simulation/runs/123456".into(),
            [403, 403, 404, 403, 403, 403, 403, 404, 403],
        ),
        (
            "/simulation/runs/123456/progress".into(),
            [403, 403, 404, 403, 403, 403, 403, 404, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (path, expected) in &rows {
        // Signed out: every page sends the browser to sign in.
        let (anonymous, _) = w.page(None, path).await;
        if anonymous != StatusCode::SEE_OTHER {
            failures.push(format!("{path} anonymous: {anonymous}"));
        }
        for (role, expected) in ROLES.iter().zip(expected) {
            let (status, _) = w.page(Some(role), path).await;
            if status.as_u16() != *expected {
                failures.push(format!(
                    "{path} as {role}: expected {expected}, got {status}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // The sign-in page and the static assets are public.
    for path in [
        "/login",
        "/static/halden.css",
        "/static/halden.js",
        "/static/favicon.svg",
        "/favicon.ico",
        "/statistics/public",
    ] {
        assert_eq!(w.page(None, path).await.0, StatusCode::OK, "{path}");
    }
}

/// The forms' posts: an empty form with the session's CSRF token. A role that passes role and
/// scope then meets the empty required fields (400); 403 the role never may; 404 out of scope.
#[tokio::test]
async fn every_form_post_answers_each_role_as_the_brief_says() {
    let w = world().await;
    let (oslo, bergen, supervised) = (w.oslo, w.bergen, w.supervised);
    let entries = w.store.entries(oslo).await.unwrap();
    let movement = entries.iter().find(|e| e.kind == "movement").unwrap().id;
    let (refused, appeal) = decided_and_appealed(&w).await;
    let (own_report, _) = presentence_requests(&w).await;
    let youth = support::youth_person(&w, 40, "Oslo").await;
    let rows: Vec<(String, [u16; 9])> = vec![
        // officer, contact, leader, placement, probation, health, prisoner, analyst, admin
        (
            format!("/persons/{oslo}/movements/new"),
            [400, 400, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/security-levels/new"),
            [403, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{bergen}/remand-orders/new"),
            [403, 403, 404, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/non-counting/new"),
            [403, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/contact-officers/new"),
            [403, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            "/accounts/new".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "/accounts/1/disable".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            format!("/persons/{supervised}/supervisions/new"),
            [403, 403, 403, 400, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/entries/{movement}/correct"),
            [400, 400, 400, 400, 403, 403, 403, 403, 403],
        ),
        // Pre-sentence reports (issue 6, item 2): only the office's probation officers.
        (
            "/presentence/new".into(),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/presentence/{own_report}/assignment"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        // Probation (issue 6): only the person's own probation office records.
        (
            format!("/persons/{supervised}/community/breach"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/parole/breach"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/programme/breach"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/breach"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/revocation"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/application"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/grant"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/device"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/handling"),
            [403, 403, 403, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/em/retraction"),
            [403, 403, 403, 403, 404, 403, 403, 403, 403],
        ),
        (
            "/admissions/new".into(),
            [400, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{oslo}/applications/new"),
            [400, 400, 403, 400, 403, 403, 400, 403, 403],
        ),
        (
            format!("/persons/{oslo}/decisions/new"),
            [403, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/decisions/{refused}/appeal"),
            [403, 400, 403, 403, 403, 403, 400, 403, 403],
        ),
        (
            format!("/appeals/{appeal}/decide"),
            [403, 403, 403, 400, 403, 403, 403, 403, 403],
        ),
        (
            "/legal-grounds/new".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "/legal-grounds/1/retire".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            "/decision-authority".into(),
            [403, 403, 403, 403, 403, 403, 403, 403, 400],
        ),
        (
            format!("/persons/{supervised}/summonses/new"),
            [403, 403, 403, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/non-appearances/new"),
            [400, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/expulsions/new"),
            [403, 403, 400, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/release-plan/new"),
            [400, 400, 400, 403, 400, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{supervised}/release-handover/new"),
            [403, 400, 400, 403, 403, 403, 403, 403, 403],
        ),
        // Youth sentence (issue 6, item 8): placement's forms, refused on their (empty) content.
        (
            format!("/persons/{youth}/youth/handover"),
            [403, 403, 403, 400, 403, 403, 403, 403, 403],
        ),
        (
            format!("/persons/{youth}/youth/order"),
            [403, 403, 403, 400, 403, 403, 403, 403, 403],
        ),
        // An empty scenario is refused on its content.
        (
            "/simulation".into(),
            [403, 403, 400, 403, 403, 403, 403, 400, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (path, expected) in &rows {
        for (role, expected) in ROLES.iter().zip(expected) {
            // The session's token, from the sign-out form every page carries.
            let home = w.page_in(role, "nb", "/home").await;
            let csrf = support::hidden(&home.html, "csrf").unwrap();
            let answer = w
                .post_form(role, "nb", path, &[("csrf".into(), csrf)])
                .await;
            if answer.status.as_u16() != *expected {
                failures.push(format!(
                    "POST {path} as {role}: expected {expected}, got {}",
                    answer.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A refused decision about the Oslo prisoner that is not yet appealed, and an appeal (against
/// another refusal) that waits for the region: (decision id, appeal id).
async fn decided_and_appealed(w: &support::World) -> (i64, i64) {
    let (_, appeal) = w.refused_and_appealed().await;
    let (status, filed) = w
        .api(
            Some("prisoner"),
            "POST",
            &format!("/api/v1/persons/{}/applications", w.oslo),
            Some(json!({"kind": "visit", "details": "My sister from Tromsø."})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let ground = w.ground("strgjfl § 31").await;
    let (status, decided) = w
        .api(
            Some("leader"),
            "POST",
            &format!("/api/v1/persons/{}/decisions", w.oslo),
            Some(json!({
                "application": filed["id"], "outcome": "refused", "legal_ground": ground,
                "reason": "The visiting room is closed for building works this month.",
            })),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{decided}");
    (decided["id"].as_i64().unwrap(), appeal)
}

/// A person supervised by Bergen's probation location (not the fixture officer's F001).
async fn supervised_elsewhere(w: &support::World) -> i64 {
    use halden_storage::facts::{Fact, SupervisionFact};
    let mut who = support::identity(&support::number(30), "Bergenhus");
    who.home_municipality = Some("Bergen".into());
    let office = w
        .store
        .probation_offices()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.municipality == "Bergen")
        .unwrap()
        .id;
    let (id, _) = w
        .store
        .register_person(
            &halden_storage::Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &who,
            &[Fact::Supervision(SupervisionFact {
                supervision: "parole".into(),
                office,
                from: jiff::civil::date(2025, 5, 1),
                until: jiff::civil::date(2025, 12, 1),
                office_reason: None,
            })],
            None,
        )
        .await
        .unwrap();
    id
}

/// Two pre-sentence requests: one to the fixture officer's location (F001), one to Bergen's.
async fn presentence_requests(w: &support::World) -> (i64, i64) {
    use halden_storage::{NewPresentenceRequest, PersonRef, PresentenceState};
    let bergen = w
        .store
        .probation_offices()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.municipality == "Bergen")
        .unwrap()
        .id;
    let state = PresentenceState {
        court: "Oslo tingrett".into(),
        case_number: "25-50ENE-OTIR/01".into(),
        requested_on: jiff::civil::date(2025, 5, 2),
        deadline: jiff::civil::date(2025, 6, 2),
        officer: None,
        report_versions: 0,
        delivered_on: None,
    };
    let mut ids = Vec::new();
    for location in ["F001", bergen.as_str()] {
        let (id, _) = w
            .store
            .create_presentence_request(
                &halden_storage::Actor {
                    user_id: None,
                    name: "fixture".into(),
                },
                &NewPresentenceRequest {
                    person: &PersonRef::Existing(w.supervised),
                    location,
                    state: &state,
                    payload: &json!({}),
                },
                None,
            )
            .await
            .unwrap();
        ids.push(id);
    }
    (ids[0], ids[1])
}
