//! The API contract of issue 4, in-process, on the backend the run asks for.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{identity, number, world};

#[tokio::test]
async fn login_returns_a_token_and_refuses_wrong_passwords() {
    let w = world().await;
    let (status, body) = w
        .api(
            None,
            "POST",
            "/api/v1/auth/login",
            Some(json!({"username": "officer", "password": "secret-pw"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["token"].as_str().is_some_and(|t| t.len() == 64));
    let (status, body) = w
        .api(
            None,
            "POST",
            "/api/v1/auth/login",
            Some(json!({"username": "officer", "password": "wrong"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["field"], "password");
    let (status, body) = w
        .api(None, "POST", "/api/v1/auth/login", Some(json!({})), &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"].as_array().unwrap().len(), 2, "{body}");
}

#[tokio::test]
async fn dates_have_the_shape_of_halden_calc() {
    let w = world().await;
    let (status, body) = w
        .api(
            Some("officer"),
            "GET",
            &format!("/api/v1/persons/{}/dates", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // 120 days from admission 2025-03-03: the last day served is day 120 = 2025-06-30;
    // parole at 2/3 of 120 = 80 days (≥ 60 days' minimum) → day 80 = 2025-05-21.
    assert_eq!(body["term_days"], 120);
    assert_eq!(body["dates"]["end_of_sentence"]["date"], "2025-06-30");
    assert_eq!(body["dates"]["parole_eligibility"]["date"], "2025-05-21");
    assert!(
        body["dates"]["end_of_sentence"]["explanation"]["nb"]
            .as_str()
            .is_some()
    );
}

#[tokio::test]
async fn every_read_is_logged_and_break_glass_is_flagged() {
    let w = world().await;
    let path = format!("/api/v1/persons/{}", w.bergen);
    let (status, _) = w.api(Some("officer"), "GET", &path, None, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "outside scope");
    let (status, body) = w
        .api(
            Some("officer"),
            "GET",
            &path,
            None,
            &[("x-break-glass-purpose", "transfer meeting")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["break_glass"], true);
    w.api(Some("placement"), "GET", &path, None, &[]).await;
    let (status, log) = w
        .api(
            Some("admin"),
            "GET",
            &format!("/api/v1/access-log?person={}", w.bergen),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        2,
        "the refused read shows nothing and logs nothing: {log}"
    );
    let glass: Vec<&Value> = entries
        .iter()
        .filter(|e| e["break_glass"] == true)
        .collect();
    assert_eq!(glass.len(), 1);
    assert_eq!(glass[0]["purpose"], "transfer meeting");
    assert_eq!(glass[0]["username"], "officer");
}

#[tokio::test]
async fn service_providers_see_only_name_location_and_release_date() {
    let w = world().await;
    let (status, body) = w
        .api(
            Some("health"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["view"], "restricted");
    assert!(body.get("identity_number").is_none());
    assert!(body.get("custody").and_then(|c| c.get("basis")).is_none());
    assert_eq!(body["release_date"], "2025-06-30");
}

fn leave(version: i64) -> Value {
    json!({"kind": "movement", "version": version,
           "payload": {"movement": "leave_out", "at": "2025-06-01T10:00"}})
}

#[tokio::test]
async fn an_idempotency_key_creates_once_and_a_stale_version_is_refused() {
    let w = world().await;
    let path = format!("/api/v1/persons/{}/entries", w.oslo);
    let (_, person) = w
        .api(
            Some("officer"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    let version = person["version"].as_i64().unwrap();
    let key = [("idempotency-key", "leave-2025-06-01")];
    let (first, a) = w
        .api(Some("officer"), "POST", &path, Some(leave(version)), &key)
        .await;
    let (second, b) = w
        .api(Some("officer"), "POST", &path, Some(leave(version)), &key)
        .await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(a, b, "the same answer");
    let (_, entries) = w.api(Some("officer"), "GET", &path, None, &[]).await;
    let leaves = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["payload"]["movement"] == "leave_out")
        .count();
    assert_eq!(leaves, 1, "created once");
    // The same key for a different request is refused.
    let (status, reused) = w
        .api(
            Some("officer"),
            "POST",
            &path,
            Some(leave(version + 1)),
            &key,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(reused["errors"][0]["field"], "Idempotency-Key");
    // Without a key, the old version is stale.
    let (status, body) = w
        .api(Some("officer"), "POST", &path, Some(leave(version)), &[])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["errors"][0]["field"], "version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_retries_under_one_key_register_one_person_and_get_one_answer() {
    let w = world().await;
    let registration = json!({"identity": identity(&number(40), "Retrysen")});
    let key = [("idempotency-key", "register-retrysen")];
    let post = || {
        w.api(
            Some("officer"),
            "POST",
            "/api/v1/persons",
            Some(registration.clone()),
            &key,
        )
    };
    let (a, b, c, d) = tokio::join!(post(), post(), post(), post());
    for (status, body) in [&a, &b, &c, &d] {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
        assert_eq!(body, &a.1, "every retry gets the first answer");
    }
    let (_, found) = w
        .api(
            Some("placement"),
            "GET",
            "/api/v1/persons?q=Retrysen",
            None,
            &[],
        )
        .await;
    assert_eq!(
        found["persons"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );
}

#[tokio::test]
async fn bad_entries_are_refused_naming_the_field_and_write_nothing() {
    let w = world().await;
    let path = format!("/api/v1/persons/{}/entries", w.oslo);
    let (_, before) = w.api(Some("officer"), "GET", &path, None, &[]).await;
    let version = before["version"].as_i64().unwrap();
    let cases = [
        (
            json!({"kind": "movement", "version": version, "payload": {"movement": "leave_return", "at": "2025-06-01T10:00"}}),
            "kind",
        ),
        (
            json!({"kind": "movement", "version": version, "payload": {"movement": "teleport", "at": "2025-06-01T10:00"}}),
            "payload.movement",
        ),
        (
            json!({"kind": "movement", "version": version, "payload": {"movement": "leave_out", "at": "yesterday"}}),
            "payload.at",
        ),
        (
            json!({"kind": "movement", "version": version, "payload": {"movement": "leave_out", "at": "2025-06-01T10:00", "colour": 1}}),
            "payload",
        ),
        (json!({"kind": "movement"}), "version"),
        (json!({"kind": "movement", "version": "x"}), "version"),
    ];
    for (body, field) in cases {
        let (status, answer) = w
            .api(Some("officer"), "POST", &path, Some(body.clone()), &[])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer}");
        let fields: Vec<&str> = answer["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{body}: expected {field}, got {fields:?}"
        );
    }
    let (status, answer) = w
        .api_raw("officer", &path, "application/json", "{not json", &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["errors"][0]["field"], "$");
    let (_, after) = w.api(Some("officer"), "GET", &path, None, &[]).await;
    assert_eq!(before["entries"], after["entries"], "nothing written");
}

#[tokio::test]
async fn a_court_file_imports_all_or_nothing_in_json_and_csv() {
    let w = world().await;
    let good = json!({"court": "Oslo tingrett", "judgments": [{
        "person": {"identity_number": number(10), "family_name": "Ny", "given_names": "Person",
                   "birth_date": "1990-02-03", "sex": "female", "citizenship": "NO"},
        "case_number": "25-10MED-OTIR/01", "decision_date": "2025-04-01", "final_date": "2025-04-20",
        "sentences": [{"kind": "prison", "days": 60}]}]});
    let mut bad = good.clone();
    bad["judgments"].as_array_mut().unwrap().push(json!({
        "person": {"identity_number": "12345678901", "family_name": "", "given_names": "X",
                   "birth_date": "1990-02-03", "sex": "other", "citizenship": "Norway"},
        "case_number": "25-11MED-OTIR/01", "decision_date": "2025-04-01",
        "sentences": [{"kind": "prison", "days": 0}]}));
    let (status, answer) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/judgments/import",
            Some(bad),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for expected in [
        "judgments[1].person.identity_number",
        "judgments[1].person.family_name",
        "judgments[1].person.sex",
        "judgments[1].person.citizenship",
        "judgments[1].sentences[0].days",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} missing from {fields:?}"
        );
    }
    let (_, list) = w
        .api(Some("placement"), "GET", "/api/v1/persons?q=Ny", None, &[])
        .await;
    assert!(
        list["persons"].as_array().unwrap().is_empty(),
        "nothing written"
    );

    let key = [("idempotency-key", "court-file-1")];
    let (status, first) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/judgments/import",
            Some(good.clone()),
            &key,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/judgments/import",
            Some(good),
            &key,
        )
        .await;
    assert_eq!((status, &again), (StatusCode::CREATED, &first));

    let csv = format!(
        "case_number,court,decision_date,final_date,remand_deduction_days,offence_class,identity_number,temporary_id,family_name,given_names,birth_date,sex,citizenship,languages,interpreter_needed,home_municipality,sentence_kind,years,months,days,unconditional_days\n\
         25-12MED-OTIR/01,Oslo tingrett,2025-04-01,2025-04-20,0,ordinary,{},,Csv,Person,1991-03-04,male,PL,pl|en,yes,Oslo,prison,,,45,\n",
        number(11)
    );
    let (status, answer) = w
        .api_raw("leader", "/api/v1/judgments/import", "text/csv", &csv, &[])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, list) = w
        .api(Some("placement"), "GET", "/api/v1/persons?q=Csv", None, &[])
        .await;
    assert_eq!(list["persons"][0]["citizenship"], "PL");
    assert_eq!(list["persons"][0]["interpreter_needed"], true);
}

#[tokio::test]
async fn a_correction_shows_the_corrected_value_and_keeps_the_history() {
    let w = world().await;
    let path = format!("/api/v1/persons/{}/entries", w.oslo);
    let (_, before) = w.api(Some("leader"), "GET", &path, None, &[]).await;
    let version = before["version"].as_i64().unwrap();
    let admission = before["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["payload"]["movement"] == "admission")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // Admitted to Sandaker (P002, the same unit's halfway house) rather than P001.
    let correction = json!({"kind": "movement", "version": version, "corrects": admission,
        "reason": "registered in the wrong department",
        "payload": {"movement": "admission", "at": "2025-03-03T09:00", "prison": "P002", "basis": "sentence"}});
    let (status, answer) = w
        .api(Some("leader"), "POST", &path, Some(correction), &[])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, person) = w
        .api(
            Some("leader"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(person["custody"]["prison"], "P002");
    assert_eq!(person["custody"]["security_level"], "halfway");
    let (_, after) = w.api(Some("leader"), "GET", &path, None, &[]).await;
    let entries = after["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        before["entries"].as_array().unwrap().len() + 1
    );
    assert!(
        entries
            .iter()
            .any(|e| e["id"] == admission && e["payload"]["prison"] == "P001"),
        "the original stays"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["corrects"] == admission
                && e["reason"] == "registered in the wrong department")
    );
}

#[tokio::test]
async fn the_person_page_shows_dates_with_explanations_and_logs_the_read() {
    let w = world().await;
    let (status, html) = w
        .page(Some("contact"), &format!("/persons/{}", w.oslo))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2025-06-30"), "end of sentence shown");
    assert!(html.contains("strgjfl"), "with its §");
    let (_, log) = w
        .api(
            Some("admin"),
            "GET",
            &format!("/api/v1/access-log?person={}", w.oslo),
            None,
            &[],
        )
        .await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["view"] == "person_page" && e["username"] == "contact")
    );
}
