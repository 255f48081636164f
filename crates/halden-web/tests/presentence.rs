//! Pre-sentence reports (personundersøkelse, straffeprosessloven § 161; issue 6, item 2) through
//! the API and the pages, on the backend the run asks for: request → assign → write → deliver,
//! the overdue list, access by office, the access log, idempotency keys and named field errors.
//!
//! "Today" is the fixture's 2025-06-01; days overdue are worked by hand in each test.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    AccessQuery, Actor, NewPresentenceRequest, NewUser, PersonRef, PresentenceState, SessionKind,
};
use halden_web::auth;
use jiff::civil::date;
use serde_json::{Value, json};
use support::{World, number, world};

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

fn new_identity(serial: u32, family: &str) -> Value {
    json!({
        "identity_number": number(serial), "family_name": family, "given_names": "Test",
        "birth_date": "1990-04-01", "sex": "female", "citizenship": "NO", "languages": [],
        "interpreter_needed": false, "home_municipality": "Oslo"
    })
}

async fn create(w: &World, body: Value) -> (StatusCode, Value) {
    w.api(
        Some("probation"),
        "POST",
        "/api/v1/presentence-reports",
        Some(body),
        &[],
    )
    .await
}

async fn get(w: &World, role: &str, id: i64) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "GET",
        &format!("/api/v1/presentence-reports/{id}"),
        None,
        &[],
    )
    .await
}

async fn event(
    w: &World,
    id: i64,
    kind: &str,
    payload: Value,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let (_, view) = get(w, "probation", id).await;
    let mut body = json!({"kind": kind, "version": view["version"], "payload": payload});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    w.api(
        Some("probation"),
        "POST",
        &format!("/api/v1/presentence-reports/{id}/events"),
        Some(body),
        &[],
    )
    .await
}

fn report(assessment: &str) -> Value {
    json!({
        "housing": "Rents a flat in Oslo.", "work": "Works full time as a carpenter.",
        "health": "No known illness.", "substance_use": "None reported.",
        "family": "Lives with a partner and a child.", "motivation": "Wants to keep the job.",
        "community_sentence": "suitable", "electronic_monitoring": "suitable",
        "programme": "not_assessed", "assessment": assessment
    })
}

/// A probation officer of another office (Bergen's location), signed in: their API token.
async fn other_office_token(w: &World) -> String {
    let office = w
        .store
        .probation_offices()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.municipality == "Bergen")
        .unwrap()
        .id;
    w.store
        .ensure_user(&NewUser {
            username: "bergen-probation".into(),
            display_name: "Berit Bergen".into(),
            password_hash: auth::hash_password("secret-pw").unwrap(),
            role: "probation".into(),
            scope_kind: "office".into(),
            scope_id: Some(office),
            person_id: None,
            demo: false,
        })
        .await
        .unwrap();
    auth::sign_in(&w.store, "bergen-probation", "secret-pw", SessionKind::Api)
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn a_request_is_assigned_written_in_versions_and_delivered_with_its_history_kept() {
    let w = world().await;
    let (status, created) = create(
        &w,
        json!({"identity": new_identity(40, "Undersøkt"), "court": "Oslo tingrett",
               "case_number": "25-40ENE-OTIR/01", "requested": "2025-05-20", "deadline": "2025-06-20"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["version"], 1);

    // The person was registered with the request, in the same transaction.
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "requested");
    assert_eq!(view["person"]["name"], "Test Undersøkt");
    assert_eq!(view["location"], "F001");
    // Deadline 2025-06-20 is after today (2025-06-01): not overdue.
    assert_eq!(view["overdue_days"], Value::Null);
    let person = view["person"]["id"].as_i64().unwrap();
    assert!(w.store.person(person).await.unwrap().is_some());

    // No report before an officer is assigned.
    let (status, body) = event(&w, id, "report", report("Suitable."), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["officer"]);

    // Only an active probation officer of the office may be assigned.
    let (status, body) = event(&w, id, "assignment", json!({"officer": "officer"}), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.officer"]);
    let (status, body) = event(&w, id, "assignment", json!({"officer": "probation"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 2);

    // A report with a situation field left empty names it.
    let mut incomplete = report("Suitable.");
    incomplete["substance_use"] = json!(" ");
    incomplete["programme"] = json!("maybe");
    let (status, body) = event(&w, id, "report", incomplete, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        fields(&body),
        ["payload.programme", "payload.substance_use"]
    );

    let (status, first) = event(
        &w,
        id,
        "report",
        report("Suitable for a community sentence."),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // A second version replaces the first and needs a reason.
    let (status, body) = event(
        &w,
        id,
        "report",
        report("Suitable, with a programme."),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["reason"]);
    let (status, second) = event(
        &w,
        id,
        "report",
        report("Suitable, with a programme."),
        Some("The employer confirmed the hours."),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "assigned");
    assert_eq!(view["report"]["version"], 2);
    assert_eq!(view["report"]["assessment"], "Suitable, with a programme.");
    assert_eq!(view["report_versions"], 2);
    let events = view["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["request", "assignment", "report", "report"]);
    // The second version points at the first, with who and why; the first is kept as written.
    assert_eq!(events[3]["corrects"], first["event"]);
    assert_eq!(events[3]["reason"], "The employer confirmed the hours.");
    assert_eq!(
        events[2]["payload"]["assessment"],
        "Suitable for a community sentence."
    );
    assert!(
        events[3]["recorded_by"]
            .as_str()
            .unwrap()
            .contains("probation")
    );

    // Delivery: not before the request (2025-05-20), not after today (2025-06-01).
    let (status, body) = event(&w, id, "delivery", json!({"delivered": "2025-06-02"}), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.delivered"]);
    let (status, body) = event(&w, id, "delivery", json!({"delivered": "2025-05-30"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["stage"], "delivered");
    assert_eq!(view["delivered"], "2025-05-30");

    // Delivered: the report is closed, and a second delivery is refused.
    let (status, body) = event(&w, id, "report", report("Late change."), Some("x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["stage"]);
    let (status, body) = event(&w, id, "delivery", json!({"delivered": "2025-05-31"}), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.delivered"]);

    // A stale version writes nothing.
    let (status, body) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/presentence-reports/{id}/events"),
            Some(json!({"kind": "assignment", "version": 1, "payload": {"officer": "probation"}, "reason": "x"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn the_office_list_shows_requests_past_their_deadline_and_not_delivered() {
    let w = world().await;
    let mut ids = Vec::new();
    // Deadlines around today, 2025-06-01.
    for (serial, deadline) in [(41, "2025-05-30"), (42, "2025-06-01"), (43, "2025-05-20")] {
        let (status, created) = create(
            &w,
            json!({"identity": new_identity(serial, "Frist"), "court": "Oslo tingrett",
                   "case_number": format!("25-{serial}ENE-OTIR/01"), "requested": "2025-05-02",
                   "deadline": deadline}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(created["id"].as_i64().unwrap());
    }
    // The third is delivered on its deadline, 2025-05-20: delivered, so not overdue.
    event(
        &w,
        ids[2],
        "assignment",
        json!({"officer": "probation"}),
        None,
    )
    .await;
    event(&w, ids[2], "report", report("Suitable."), None).await;
    let (status, body) = event(
        &w,
        ids[2],
        "delivery",
        json!({"delivered": "2025-05-20"}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (status, list) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/presentence-reports",
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    // Deadline 2025-05-30, today 2025-06-01: 31 May and 1 June past it, 2 days overdue. The
    // deadline of today (2025-06-01) is not passed yet; the delivered one is not overdue.
    assert_eq!(list["overdue"], json!([ids[0]]));
    let line = |id: i64| {
        list["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(line(ids[0])["overdue_days"], 2);
    assert_eq!(line(ids[1])["overdue_days"], Value::Null);
    assert_eq!(line(ids[2])["overdue_days"], Value::Null);
    assert_eq!(line(ids[2])["stage"], "delivered");

    // The page lists the overdue one in its own table, with its days, in both languages.
    let page = w.page_in("probation", "nb", "/presentence").await;
    assert_eq!(page.status, StatusCode::OK);
    let overdue = &page.html[page.html.find("id=\"overdue\"").unwrap()..];
    let overdue = &overdue[..overdue.find("</table>").unwrap()];
    assert!(
        overdue.contains(&format!("/presentence/{}", ids[0])),
        "{overdue}"
    );
    assert!(overdue.contains("2 dager over fristen"), "{overdue}");
    assert!(
        !overdue.contains(&format!("/presentence/{}\"", ids[1])),
        "{overdue}"
    );
    assert!(
        !overdue.contains(&format!("/presentence/{}\"", ids[2])),
        "{overdue}"
    );
    let page = w.page_in("probation", "en", "/presentence").await;
    assert!(page.html.contains("2 days past the deadline"));
}

#[tokio::test]
async fn only_the_office_and_national_placement_read_a_request_and_every_read_is_logged() {
    let w = world().await;
    let (_, created) = create(
        &w,
        json!({"person_id": w.supervised, "court": "Oslo tingrett",
               "case_number": "25-44ENE-OTIR/01", "requested": "2025-05-20", "deadline": "2025-06-20"}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    for (role, expected) in [
        ("probation", 200),
        ("placement", 200),
        ("officer", 403),
        ("leader", 403),
        ("prisoner", 403),
        ("analyst", 403),
        ("admin", 403),
    ] {
        let (status, body) = get(&w, role, id).await;
        assert_eq!(status.as_u16(), expected, "{role}: {body}");
    }
    // Another office's probation officer: 404, and the list does not show it.
    let token = other_office_token(&w).await;
    let auth = format!("Bearer {token}");
    let (status, _) = w
        .api(
            None,
            "GET",
            &format!("/api/v1/presentence-reports/{id}"),
            None,
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = w
        .api(
            None,
            "GET",
            "/api/v1/presentence-reports",
            None,
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(list["requests"], json!([]));
    let (status, _) = w
        .api(
            None,
            "POST",
            &format!("/api/v1/presentence-reports/{id}/events"),
            Some(json!({"kind": "assignment", "version": 1, "payload": {"officer": "probation"}})),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Placement reads, never writes.
    let (status, _) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/presentence-reports/{id}/events"),
            Some(json!({"kind": "assignment", "version": 1, "payload": {"officer": "probation"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The two successful API reads and the document page are in the access log for the person.
    let (status, _) = w
        .page(Some("placement"), &format!("/presentence/{id}/document"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let log = w
        .store
        .access_log(AccessQuery {
            person: Some(w.supervised),
            user: None,
            limit: 100,
        })
        .await
        .unwrap();
    let views: Vec<&str> = log
        .iter()
        .filter(|e| e.view.starts_with("api_presentence") || e.view.starts_with("presentence"))
        .map(|e| e.view.as_str())
        .collect();
    assert_eq!(views.len(), 3, "{views:?}");
    assert!(views.contains(&"presentence_document"));
}

#[tokio::test]
async fn a_request_names_each_wrong_field_and_a_retried_key_creates_one_request() {
    let w = world().await;
    // No court, a deadline before the request, a request after today (2025-06-01).
    let (status, body) = create(
        &w,
        json!({"person_id": w.supervised, "court": "", "case_number": "25-45ENE-OTIR/01",
               "requested": "2025-06-03", "deadline": "2025-06-02"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["court", "requested", "deadline"]);
    let (status, body) = create(
        &w,
        json!({"court": "Oslo tingrett", "case_number": "x", "requested": "2025-05-03", "deadline": "2025-06-02"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["person_id"]);
    let (status, body) = create(
        &w,
        json!({"person_id": 999_999, "court": "Oslo tingrett", "case_number": "x",
               "requested": "2025-05-03", "deadline": "2025-06-02"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["person_id"]);

    let request = json!({"identity": new_identity(46, "Gjentatt"), "court": "Oslo tingrett",
        "case_number": "25-46ENE-OTIR/01", "requested": "2025-05-03", "deadline": "2025-06-02"});
    let headers = [("idempotency-key", "presentence-46")];
    let (first_status, first) = w
        .api(
            Some("probation"),
            "POST",
            "/api/v1/presentence-reports",
            Some(request.clone()),
            &headers,
        )
        .await;
    let (again_status, again) = w
        .api(
            Some("probation"),
            "POST",
            "/api/v1/presentence-reports",
            Some(request),
            &headers,
        )
        .await;
    assert_eq!(first_status, StatusCode::CREATED, "{first}");
    assert_eq!(again_status, StatusCode::CREATED);
    assert_eq!(first, again);
    let (_, list) = w
        .api(
            Some("probation"),
            "GET",
            "/api/v1/presentence-reports",
            None,
            &[],
        )
        .await;
    assert_eq!(list["requests"].as_array().unwrap().len(), 1);

    // The same identity again finds the registered person rather than registering a second.
    let (status, second) = create(
        &w,
        json!({"identity": new_identity(46, "Gjentatt"), "court": "Oslo tingrett",
               "case_number": "25-47ENE-OTIR/01", "requested": "2025-05-03", "deadline": "2025-06-02"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (_, a) = get(&w, "probation", first["id"].as_i64().unwrap()).await;
    let (_, b) = get(&w, "probation", second["id"].as_i64().unwrap()).await;
    assert_eq!(a["person"]["id"], b["person"]["id"]);

    // Events honour the key too: one assignment for two identical posts.
    let id = first["id"].as_i64().unwrap();
    let body = json!({"kind": "assignment", "version": 1, "payload": {"officer": "probation"}});
    let path = format!("/api/v1/presentence-reports/{id}/events");
    let headers = [("idempotency-key", "assign-46")];
    let (s1, b1) = w
        .api(
            Some("probation"),
            "POST",
            &path,
            Some(body.clone()),
            &headers,
        )
        .await;
    let (s2, b2) = w
        .api(Some("probation"), "POST", &path, Some(body), &headers)
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{b1} {b2}"
    );
    assert_eq!(b1, b2);
    let (_, view) = get(&w, "probation", id).await;
    assert_eq!(view["version"], 2);
}

#[tokio::test]
async fn the_forms_name_the_wrong_field_and_the_document_prints_the_report() {
    let w = world().await;
    // The request form: a deadline before the request names the deadline, in bokmål.
    let answer = w
        .submit(
            "probation",
            "nb",
            "/presentence/new",
            &[
                ("identity_number", &number(48)),
                ("family_name", "Skjema"),
                ("given_names", "Test"),
                ("birth_date", "1991-02-03"),
                ("sex", "male"),
                ("citizenship", "NO"),
                ("court", "Oslo tingrett"),
                ("case_number", "25-48ENE-OTIR/01"),
                ("requested", "2025-05-10"),
                ("deadline", "2025-05-01"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.html.contains("href=\"#deadline\""),
        "{}",
        answer.html
    );
    assert!(
        answer
            .html
            .contains("fristen (2025-05-01) er før bestillingen (2025-05-10)")
    );
    assert!(answer.html.contains("value=\"Skjema\""), "values are kept");

    let answer = w
        .submit(
            "probation",
            "nb",
            "/presentence/new",
            &[
                ("identity_number", &number(48)),
                ("family_name", "Skjema"),
                ("given_names", "Test"),
                ("birth_date", "1991-02-03"),
                ("sex", "male"),
                ("citizenship", "NO"),
                ("court", "Oslo tingrett"),
                ("case_number", "25-48ENE-OTIR/01"),
                ("requested", "2025-05-10"),
                ("deadline", "2025-06-10"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let here = answer.location.unwrap();
    let id: i64 = here.trim_start_matches("/presentence/").parse().unwrap();

    let answer = w
        .submit(
            "probation",
            "nb",
            &format!("{here}/assignment"),
            &[("officer", "probation")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);

    // The report form: an empty field is named.
    let mut pairs: Vec<(&str, &str)> = vec![
        ("housing", "Bor i kommunal leilighet."),
        ("work", "I arbeid."),
        ("health", "God."),
        ("substance_use", ""),
        ("family", "Samboer."),
        ("motivation", "Motivert."),
        ("community_sentence", "suitable"),
        ("electronic_monitoring", "not_suitable"),
        ("programme", "not_assessed"),
        ("assessment", "Egnet for samfunnsstraff."),
    ];
    let answer = w
        .submit("probation", "nb", &format!("{here}/report"), &pairs)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.html.contains("href=\"#substance_use\""),
        "{}",
        answer.html
    );
    pairs[3].1 = "Ingen bruk oppgitt.";
    let answer = w
        .submit("probation", "nb", &format!("{here}/report"), &pairs)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);

    let page = w
        .page_in("placement", "nb", &format!("{here}/document"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "straffeprosessloven § 161",
        "Test Skjema",
        "25-48ENE-OTIR/01",
        "Ingen bruk oppgitt.",
        "Egnethet for elektronisk kontroll</dt><dd>ikke egnet",
        "Egnet for samfunnsstraff.",
    ] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }
    // Placement reads the request page but is offered no forms.
    let page = w
        .page_in("placement", "nb", &format!("/presentence/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("/assignment\""));
}

/// The store refuses to rewrite an event: the table is append-only on both backends.
#[tokio::test]
async fn presentence_events_cannot_be_rewritten() {
    let w = world().await;
    let state = PresentenceState {
        court: "Oslo tingrett".into(),
        case_number: "25-49ENE-OTIR/01".into(),
        requested_on: date(2025, 5, 2),
        deadline: date(2025, 6, 2),
        officer: None,
        report_versions: 0,
        delivered_on: None,
    };
    let (id, _) = w
        .store
        .create_presentence_request(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &NewPresentenceRequest {
                person: &PersonRef::Existing(w.supervised),
                location: "F001",
                state: &state,
                payload: &json!({}),
            },
            None,
        )
        .await
        .unwrap();
    let events = w.store.presentence_events(id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        halden_storage::testing::execute_raw(&w.store, "UPDATE presentence_events SET kind = 'x'")
            .await
            .is_err()
    );
    assert!(
        halden_storage::testing::execute_raw(&w.store, "DELETE FROM presentence_events")
            .await
            .is_err()
    );
}
