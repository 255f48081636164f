//! The youth sentence (ungdomsstraff, strl §§ 52 a–c; R-YOUTH-3) at the mediation service's
//! boundary (issue 6, item 8), through the API and the pages, on the backend the run asks for:
//! registration (court file), the boundary (no serving queue, no roll, no probation caseload; no
//! youth-plan content), the handover to the mediation service, the § 52 c order entering the
//! queue, bad input naming its field, access and the access log.
//!
//! Hand-worked figures (today in these tests is 2025-06-01; the engine's day k is A + k − 1):
//!
//! - Execution period (R-YOUTH-3, strl § 52 b): the judgment became final on 2025-03-07, the
//!   first day (INFERENCE, `youth::execution_start`). 12 calendar months from 2025-03-07 reach
//!   2026-03-07; between them lies no 29 February (2025 and 2026 are common years), so the
//!   period is 365 days and its last day is 2025-03-07 + 365 − 1 = 2026-03-06.
//! - § 52 c order: 90 of the 120 alternative days ordered executed, received by the service on
//!   2025-03-03. R-INNK-1: serving by received + 60 days: March 3 + 28 = March 31 (28 days),
//!   then 30 more to April 30 (58) and 2 more to May 2 → 2025-05-02. R-QUEUE-1: counted from
//!   received + 2 calendar months = 2025-05-03; on 2025-06-01 the person is in it. Waiting
//!   without a summons, the dates are planned from the latest start 2025-05-02: 90 days end on
//!   2025-05-02 + 90 − 1: May 2 + 29 = May 31 (29), + 30 = June 30 (59), + 30 = July 30 (89)
//!   → end of sentence 2025-07-30.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::AccessQuery;
use serde_json::{Value, json};
use support::{World, world, youth_person};

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn message_of(body: &Value, field: &str) -> String {
    body["errors"]
        .as_array()
        .and_then(|list| list.iter().find(|e| e["field"] == field))
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

async fn view(w: &World, role: &str, id: i64) -> (StatusCode, Value) {
    w.api(
        Some(role),
        "GET",
        &format!("/api/v1/persons/{id}/youth"),
        None,
        &[],
    )
    .await
}

async fn record(w: &World, id: i64, kind: &str, payload: Value) -> (StatusCode, Value) {
    let (_, v) = view(w, "placement", id).await;
    let version = v["version"].as_i64().unwrap();
    w.api(
        Some("placement"),
        "POST",
        &format!("/api/v1/persons/{id}/youth/events"),
        Some(json!({"kind": kind, "version": version, "payload": payload})),
        &[],
    )
    .await
}

/// A court file with one youth-sentence record; `youth` and `extra` fill in the judgment.
fn court_file(serial: u32, birth: &str, judgment: Value) -> Value {
    let mut record = json!({
        "person": {
            "identity_number": support::number(serial),
            "family_name": "Ungdom", "given_names": "Fil", "birth_date": birth,
            "sex": "female", "citizenship": "NO", "home_municipality": "Oslo",
        },
        "case_number": format!("25-{serial}ENE-OTIR/01"),
        "decision_date": "2025-02-14", "final_date": "2025-03-07",
        "offence_date": "2025-01-10",
        "youth_sentence": {"execution_period_months": 12, "alternative_days": 120},
    });
    if let (Some(r), Some(more)) = (record.as_object_mut(), judgment.as_object()) {
        for (k, v) in more {
            if v.is_null() {
                r.remove(k);
            } else {
                r.insert(k.clone(), v.clone());
            }
        }
    }
    json!({"format": "halden-court-file/1", "court": "Oslo tingrett", "judgments": [record]})
}

async fn import(w: &World, file: &Value) -> (StatusCode, Value) {
    w.api_raw(
        "placement",
        "/api/v1/judgments/import",
        "application/json",
        &file.to_string(),
        &[],
    )
    .await
}

#[tokio::test]
async fn a_youth_sentence_is_registered_and_enters_no_queue_roll_or_caseload() {
    let w = world().await;
    let (status, imported) = import(&w, &court_file(50, "2008-03-15", json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    let id = imported["imported"][0]["person_id"].as_i64().unwrap();

    // Not waiting to serve, not in custody, no dates of serving.
    let (_, queue) = w
        .api(Some("placement"), "GET", "/api/v1/queue", None, &[])
        .await;
    assert!(
        !queue["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["person_id"] == id),
        "{queue}"
    );
    let row = w.store.person(id).await.unwrap().unwrap();
    assert_eq!(row.status, "not_admitted");
    assert!(row.queue_received.is_none());
    assert!(row.dates_json.is_none());
    assert!(row.supervision_office.is_none());

    // The youth view: the boundary and the engine's execution period (hand-worked above).
    let (status, youth) = view(&w, "placement", id).await;
    assert_eq!(status, StatusCode::OK, "{youth}");
    assert_eq!(youth["executed_by"]["reference"], "strl § 52 a");
    assert_eq!(youth["executed_by"]["rule"], "R-YOUTH-3");
    let sentence = &youth["youth_sentences"][0];
    assert_eq!(sentence["execution_period_months"], 12);
    let period = &sentence["execution_period"];
    assert_eq!(period["start"], "2025-03-07");
    assert_eq!(period["days"], 365);
    assert_eq!(period["end"], "2026-03-06");
    assert_eq!(period["rule"], "R-YOUTH-3");
    assert_eq!(period["reference"], "strl § 52 b");

    // The person page says who executes it, with the end date, rule and §.
    let page = w
        .page_in("placement", "en", &format!("/persons/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = support::text_of(&page.html);
    assert!(
        text.contains("Executed by the mediation service (konfliktrådet), strl § 52 a, R-YOUTH-3"),
        "{text}"
    );
    assert!(text.contains("2026-03-06"), "{text}");
    assert!(text.contains("R-YOUTH-3 (strl § 52 b)"), "{text}");
    assert!(
        text.contains("Halden holds no content of the youth plan"),
        "{text}"
    );

    // The person's home office (F001 for Oslo) has no caseload entry for them.
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
            .any(|p| p["person_id"] == id),
        "{caseload}"
    );
}

#[tokio::test]
async fn bad_youth_judgments_are_refused_naming_the_field() {
    let w = world().await;
    let (persons_before, entries_before) = w.store.register_size().await.unwrap();
    // 18 at the act: born 2007-01-09, the act on 2025-01-10.
    let (status, body) = import(&w, &court_file(51, "2007-01-09", json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        fields(&body).contains(&"judgments[0].offence_date".to_string()),
        "{body}"
    );
    assert!(
        message_of(&body, "judgments[0].offence_date").contains("was 18"),
        "{body}"
    );
    // 17 the day before the 18th birthday: accepted (born 2007-01-11, act 2025-01-10).
    let (status, body) = import(&w, &court_file(52, "2007-01-11", json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // No offence date.
    let (status, body) = import(
        &w,
        &court_file(53, "2008-03-15", json!({"offence_date": null})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["judgments[0].offence_date"], "{body}");
    // 30 months with an alternative of 120 days (not over 2 years): at most 24.
    let (status, body) = import(
        &w,
        &court_file(
            54,
            "2008-03-15",
            json!({"youth_sentence": {"execution_period_months": 30, "alternative_days": 120}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        fields(&body),
        ["judgments[0].youth_sentence.execution_period_months"],
        "{body}"
    );
    // 5 months: under the 6-month minimum.
    let (status, body) = import(
        &w,
        &court_file(
            55,
            "2008-03-15",
            json!({"youth_sentence": {"execution_period_months": 5, "alternative_days": 120}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        fields(&body),
        ["judgments[0].youth_sentence.execution_period_months"],
        "{body}"
    );
    // No alternative prison sentence.
    let (status, body) = import(
        &w,
        &court_file(
            56,
            "2008-03-15",
            json!({"youth_sentence": {"execution_period_months": 12}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        fields(&body)
            .iter()
            .all(|f| f.starts_with("judgments[0].youth_sentence.alternative")),
        "{body}"
    );
    assert!(!fields(&body).is_empty());
    // With a prison sentence in the same judgment: a youth sentence is instead of prison.
    let (status, body) = import(
        &w,
        &court_file(
            57,
            "2008-03-15",
            json!({"sentences": [{"kind": "prison", "days": 30}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        fields(&body).contains(&"judgments[0].youth_sentence".to_string()),
        "{body}"
    );
    // Nothing of the refused files was written: only the accepted record's person, with its
    // identity and judgment entries.
    assert_eq!(
        w.store.register_size().await.unwrap(),
        (persons_before + 1, entries_before + 2)
    );
}

#[tokio::test]
async fn the_handover_is_recorded_and_the_home_office_sees_only_it() {
    let w = world().await;
    let id = youth_person(&w, 60, "Oslo").await;
    let elsewhere = youth_person(&w, 61, "Bergen").await;

    let (status, body) = record(
        &w,
        id,
        "handover",
        json!({"date": "2025-03-10", "mediation_service": "Konfliktrådet i Oslo"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let handover = body["event"].as_i64().unwrap();

    let (status, youth) = view(&w, "placement", id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(youth["handovers"][0]["date"], "2025-03-10");
    assert_eq!(
        youth["handovers"][0]["mediation_service"],
        "Konfliktrådet i Oslo"
    );
    assert!(
        youth["handovers"][0]["recorded_by"]
            .as_str()
            .unwrap()
            .starts_with("Per Plassering"),
        "{youth}"
    );

    // The home office (F001) sees the handover, and nothing else of the sentence.
    let (status, seen) = view(&w, "probation", id).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["handovers"].as_array().unwrap().len(), 1);
    assert!(seen.get("youth_sentences").is_none(), "{seen}");
    assert!(seen.get("orders").is_none(), "{seen}");
    // … but has no caseload entry and cannot read the record itself.
    let (status, _) = w
        .api(
            Some("probation"),
            "GET",
            &format!("/api/v1/persons/{id}"),
            None,
            &[],
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
            .any(|p| p["person_id"] == id)
    );
    // Another office's person: not revealed.
    let (status, _) = view(&w, "probation", elsewhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The probation officer may not record.
    let (status, _) = w
        .api(
            Some("probation"),
            "POST",
            &format!("/api/v1/persons/{id}/youth/events"),
            Some(json!({"kind": "handover", "version": 1,
                "payload": {"date": "2025-03-10", "mediation_service": "Konfliktrådet i Oslo"}})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A correction points at what it corrects, with who and why; the old row stays.
    let (_, v) = view(&w, "placement", id).await;
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/youth/events"),
            Some(
                json!({"kind": "handover", "version": v["version"], "corrects": handover,
                "reason": "Wrong office: the family lives in Bærum.",
                "payload": {"date": "2025-03-10", "mediation_service": "Konfliktrådet i Øst"}}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, youth) = view(&w, "placement", id).await;
    let list = youth["handovers"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{youth}");
    assert_eq!(list[0]["mediation_service"], "Konfliktrådet i Øst");
    assert_eq!(list[0]["corrects"], handover);
    assert_eq!(
        list[0]["reason"],
        "Wrong office: the family lives in Bærum."
    );
    assert_eq!(w.store.probation_events(id).await.unwrap().len(), 2);
    // A correction without a reason is refused.
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/youth/events"),
            Some(
                json!({"kind": "handover", "version": 2, "corrects": handover,
                "payload": {"date": "2025-03-10", "mediation_service": "X"}}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["reason"]);

    // A handover in the future, before the judgment, or to no one: each field named.
    let (status, body) = record(
        &w,
        id,
        "handover",
        json!({"date": "2025-06-02", "mediation_service": " "}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fields(&body),
        ["payload.date", "payload.mediation_service"],
        "{body}"
    );
    let (status, body) = record(
        &w,
        id,
        "handover",
        json!({"date": "2025-02-13", "mediation_service": "Konfliktrådet i Oslo"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.date"], "{body}");

    // Every read is logged: the office's read of the handover too.
    let log = w
        .store
        .access_log(AccessQuery {
            person: Some(id),
            user: None,
            limit: 100,
        })
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|r| r.role == "probation" && r.view == "api_youth"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|r| r.role == "placement" && r.view == "api_youth")
    );
}

#[tokio::test]
async fn halden_holds_nothing_of_the_youth_plan() {
    let w = world().await;
    let id = youth_person(&w, 62, "Oslo").await;
    for kind in ["plan", "meeting", "follow_up_note", "youth_conference"] {
        let (status, body) = record(&w, id, kind, json!({"date": "2025-04-01", "text": "…"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{kind}: {body}");
        assert_eq!(fields(&body), ["kind"], "{body}");
        assert!(
            message_of(&body, "kind").contains("mediation service (konfliktrådet)"),
            "{body}"
        );
    }
    // No field for the plan in a handover either.
    let (status, body) = record(
        &w,
        id,
        "handover",
        json!({"date": "2025-03-10", "mediation_service": "Konfliktrådet i Oslo",
            "plan": "Meet the coordinator weekly"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.plan"], "{body}");
    // Nothing was written.
    assert!(w.store.probation_events(id).await.unwrap().is_empty());

    // No probation caseload: a supervision for the youth sentence is refused, naming why…
    let version = w.store.person(id).await.unwrap().unwrap().version;
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/entries"),
            Some(
                json!({"kind": "supervision", "version": version, "payload": {
                "supervision": "community_sentence", "office": "F001",
                "from": "2025-03-10", "until": "2026-03-06"}}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.supervision"], "{body}");
    assert!(message_of(&body, "payload.supervision").contains("R-YOUTH-3"));
    // … and the probation workflows do not know the person.
    for path in ["community/events", "parole/events", "em/events"] {
        let (status, _) = w
            .api(
                Some("probation"),
                "POST",
                &format!("/api/v1/persons/{id}/{path}"),
                Some(json!({"kind": "breach", "version": 0,
                    "payload": {"date": "2025-05-02", "description": "x"}})),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Nor any other youth workflow for a person without a youth sentence.
    let (status, body) = record(
        &w,
        w.oslo,
        "handover",
        json!({"date": "2025-03-10", "mediation_service": "Konfliktrådet i Oslo"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["kind"], "{body}");
}

#[tokio::test]
async fn a_section_52c_order_enters_the_serving_queue_with_the_engines_dates() {
    let w = world().await;
    let id = youth_person(&w, 63, "Oslo").await;
    let order = |days: Value, decided: &str, received: &str| {
        json!({"court": "Oslo tingrett", "case_number": "25-63ENE-OTIR/02",
            "decided_on": decided, "days": days, "received": received})
    };
    let before = w.store.person(id).await.unwrap().unwrap().version;

    // Bad orders, each naming its field; nothing is written.
    let (status, body) = record(
        &w,
        id,
        "alternative_ordered",
        order(json!(121), "2025-02-26", "2025-03-03"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.days"], "{body}");
    assert!(
        message_of(&body, "payload.days").contains("120 days"),
        "{body}"
    );
    let (status, body) = record(
        &w,
        id,
        "alternative_ordered",
        order(json!(0), "2025-02-26", "2025-03-03"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.days"], "{body}");
    let (status, body) = record(
        &w,
        id,
        "alternative_ordered",
        order(json!(-5), "2025-02-26", "2025-03-03"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.days"], "{body}");
    let (status, body) = record(
        &w,
        id,
        "alternative_ordered",
        order(json!(90), "2025-02-26", "2025-02-25"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.received"], "{body}");
    let (status, body) = record(
        &w,
        id,
        "alternative_ordered",
        order(json!(90), "2025-02-13", "2025-03-03"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["payload.decided_on"], "{body}");
    assert_eq!(w.store.person(id).await.unwrap().unwrap().version, before);
    assert!(w.store.probation_events(id).await.unwrap().is_empty());

    // 90 of the 120 alternative days, received 2025-03-03 (hand-worked at the top).
    let (_, v) = view(&w, "placement", id).await;
    let request = json!({"kind": "alternative_ordered", "version": v["version"],
        "payload": order(json!(90), "2025-02-26", "2025-03-03")});
    let (status, answer) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/youth/events"),
            Some(request.clone()),
            &[("Idempotency-Key", "order-63")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["serving"]["queue_received"], "2025-03-03");
    assert_eq!(answer["serving"]["summons"]["latest_start"], "2025-05-02");
    assert_eq!(answer["serving"]["summons"]["queue_from"], "2025-05-03");
    assert_eq!(answer["serving"]["end_of_sentence"], "2025-07-30");
    // A retry with the same key answers the same and writes nothing more.
    let (status, again) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{id}/youth/events"),
            Some(request),
            &[("Idempotency-Key", "order-63")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, answer);
    assert_eq!(w.store.probation_events(id).await.unwrap().len(), 1);
    assert_eq!(
        w.store.person(id).await.unwrap().unwrap().version,
        before + 1
    );

    // In the serving queue like any received judgment.
    let (_, queue) = w
        .api(Some("placement"), "GET", "/api/v1/queue", None, &[])
        .await;
    let line = queue["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["person_id"] == id)
        .unwrap_or_else(|| panic!("not in the queue: {queue}"))
        .clone();
    assert_eq!(line["received"], "2025-03-03");
    assert_eq!(line["latest_start"], "2025-05-02");
    assert_eq!(line["counted_from"], "2025-05-03");
    assert_eq!(line["in_queue"], true);

    // The youth view shows the order; the youth sentence itself is still the mediation
    // service's (its period unchanged).
    let (_, youth) = view(&w, "placement", id).await;
    assert_eq!(youth["orders"][0]["days"], 90);
    assert_eq!(youth["orders"][0]["court"], "Oslo tingrett");
    assert_eq!(
        youth["youth_sentences"][0]["execution_period"]["end"],
        "2026-03-06"
    );
    // The judgment entry the order appended names the days as a prison sentence.
    let entries = w.store.entries(id).await.unwrap();
    let judgment = entries.last().unwrap();
    assert_eq!(judgment.kind, "judgment");
    assert_eq!(
        judgment.payload_json()["sentences"],
        json!([{"kind": "prison", "days": 90}])
    );
    assert_eq!(youth["orders"][0]["entries"], json!([judgment.id]));
}

#[tokio::test]
async fn the_pages_show_the_boundary_and_take_the_order() {
    let w = world().await;
    let id = youth_person(&w, 64, "Oslo").await;
    let page = w
        .page_in("placement", "nb", &format!("/persons/{id}/youth"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = support::text_of(&page.html);
    assert!(
        text.contains("Gjennomføres av konfliktrådet, strl § 52 a, R-YOUTH-3"),
        "{text}"
    );
    assert!(text.contains("2026-03-06"), "{text}");

    // An empty order names every required field in the summary.
    let answer = w
        .submit(
            "placement",
            "nb",
            &format!("/persons/{id}/youth/order"),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let summary = support::summary(&answer.html);
    assert!(summary.len() >= 4, "{summary:?}");
    // Too many days: the API's problem shown on the field, values kept.
    let answer = w
        .submit(
            "placement",
            "nb",
            &format!("/persons/{id}/youth/order"),
            &[
                ("court", "Oslo tingrett"),
                ("case_number", "25-64ENE-OTIR/02"),
                ("decided_on", "2025-02-26"),
                ("days", "200"),
                ("received", "2025-03-03"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer
            .html
            .contains("den subsidiære fengselsstraffen på 120 dager"),
        "{}",
        answer.html
    );
    assert!(answer.html.contains("value=\"25-64ENE-OTIR/02\""));
    let answer = w
        .submit(
            "placement",
            "nb",
            &format!("/persons/{id}/youth/order"),
            &[
                ("court", "Oslo tingrett"),
                ("case_number", "25-64ENE-OTIR/02"),
                ("decided_on", "2025-02-26"),
                ("days", "90"),
                ("received", "2025-03-03"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let page = w
        .page_in("placement", "nb", &format!("/persons/{id}/youth"))
        .await;
    let text = support::text_of(&page.html);
    assert!(
        text.contains("seneste soningsstart (R-INNK-1) 2025-05-02"),
        "{text}"
    );
}
