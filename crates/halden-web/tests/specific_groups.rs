//! Specific groups (issue 5, item 9; BRIEF §3.7) through the API and pages, on the backend
//! `HALDEN_TEST_BACKEND` names. Today is 2025-06-01 (`support::TODAY`).
//!
//! The Oslo fixture serves 120 days from 2025-03-03 in Oslo fengsel (high security), so:
//! - § 16 home serving (R-HOME-1): 1/2, day 60 = 2025-05-01; parole (R-PAR-1): day 80 =
//!   2025-05-21 (see `progression.rs` for the arithmetic);
//! - a term of 120 days is up to one year: a halfway house is considered directly (R-SEC-2);
//!   with an expulsion decision the halfway house is not a step, and a term up to two years is
//!   considered for lower security directly (R-SEC-2), so lower becomes the lowest level.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{World, world};

async fn version(w: &World, person: i64) -> i64 {
    w.store.person(person).await.unwrap().unwrap().version
}

async fn post_entry(
    w: &World,
    role: &str,
    person: i64,
    kind: &str,
    payload: Value,
) -> (StatusCode, Value) {
    let body = json!({"kind": kind, "version": version(w, person).await, "payload": payload});
    w.api(
        Some(role),
        "POST",
        &format!("/api/v1/persons/{person}/entries"),
        Some(body),
        &[],
    )
    .await
}

async fn progression(w: &World, role: &str, person: i64) -> Value {
    let (status, plan) = w
        .api(
            Some(role),
            "GET",
            &format!("/api/v1/persons/{person}/progression"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    plan
}

fn step<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {plan}"))
}

#[tokio::test]
async fn an_expulsion_decision_closes_home_serving_em_and_the_halfway_house_until_retracted() {
    let w = world().await;
    let decision = json!({"decided_on": "2025-05-10", "authority": "UDI",
        "final_on": "2025-05-30", "reference": "25/01234"});

    // Bad input names the field and saves nothing.
    let before = version(&w, w.oslo).await;
    let (status, body) = post_entry(
        &w,
        "leader",
        w.oslo,
        "expulsion",
        json!({"decided_on": "2025-05-10", "authority": " ", "final_on": "2025-05-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let text = body.to_string();
    assert!(text.contains("payload.authority"), "{text}");
    assert!(text.contains("payload.final_on"), "{text}");
    assert_eq!(version(&w, w.oslo).await, before);
    // The officer on the floor does not register it; the leader does.
    let (status, _) = post_entry(&w, "officer", w.oslo, "expulsion", decision.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post_entry(&w, "leader", w.oslo, "expulsion", decision.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let entry = body["entry_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"));

    let plan = progression(&w, "leader", w.oslo).await;
    assert_eq!(plan["recommended_level"], "lower", "{plan}");
    assert!(plan["reasons"].to_string().contains("utvisning"), "{plan}");
    assert_eq!(step(&plan, "home_serving")["closed"]["reason"], "expulsion");
    assert_eq!(step(&plan, "home_serving")["date"], "2025-05-01");
    assert_eq!(step(&plan, "parole")["closed"], Value::Null);
    assert_eq!(step(&plan, "leave")["closed"], Value::Null);

    let (_, person) = w
        .api(
            Some("leader"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(person["expulsion"]["authority"], "UDI", "{person}");
    let page = w
        .page_in("leader", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(page.html.contains("Vedtak om utvisning"), "{}", page.html);
    assert!(
        page.html
            .contains("planlegges ikke: personen skal utvises etter straffen")
    );

    // The decision is quashed: retracted (the history keeps it), and the steps open again.
    let body = json!({"kind": "retraction", "version": version(&w, w.oslo).await,
        "corrects": entry, "reason": "Vedtaket ble opphevet av UNE 2025-06-01.", "payload": {}});
    let (status, answer) = w
        .api(
            Some("leader"),
            "POST",
            &format!("/api/v1/persons/{}/entries", w.oslo),
            Some(body),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let plan = progression(&w, "leader", w.oslo).await;
    assert_eq!(plan["recommended_level"], "halfway", "{plan}");
    assert_eq!(step(&plan, "home_serving")["closed"], Value::Null);
}

#[tokio::test]
async fn a_handover_to_psychiatric_care_closes_the_case() {
    let w = world().await;
    let handover = json!({"movement": "handover", "at": "2025-05-31T09:00",
        "institution": "Oslo universitetssykehus, Gaustad"});

    // Recorded by the leader or national placement only, with the receiving institution.
    let (status, body) = post_entry(&w, "contact", w.oslo, "movement", handover.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("payload.movement"), "{body}");
    let (status, body) = post_entry(
        &w,
        "leader",
        w.oslo,
        "movement",
        json!({"movement": "handover", "at": "2025-05-31T09:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("payload.institution"), "{body}");
    let (status, body) = post_entry(
        &w,
        "leader",
        w.oslo,
        "movement",
        json!({"movement": "release", "at": "2025-05-31T09:00", "institution": "Gaustad"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("payload.institution"), "{body}");

    let (status, body) = post_entry(&w, "leader", w.oslo, "movement", handover).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let row = w.store.person(w.oslo).await.unwrap().unwrap();
    assert_eq!(row.status, "released");
    assert_eq!(row.queue_received, None, "nothing waits to be served");
    let h = row.handover().unwrap();
    assert_eq!(h.institution, "Oslo universitetssykehus, Gaustad");
    assert_eq!(h.at.to_string(), "2025-05-31T09:00:00");

    // No plan, no reviews: the case has left the service, and the prison (whose resident the
    // person no longer is) no longer reads the record; national placement does.
    let (status, _) = w
        .api(
            Some("leader"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let plan = progression(&w, "placement", w.oslo).await;
    assert_eq!(plan["in_prison"], false);
    let page = w
        .page_in("placement", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(
        page.html
            .contains("Saken er avsluttet: overført til tvungent psykisk helsevern"),
        "{}",
        page.html
    );
    // A summons for the judgment already served in part is refused: nothing waits.
    let (status, body) = post_entry(
        &w,
        "placement",
        w.oslo,
        "summons",
        json!({"serving_date": "2025-07-01", "prison": "P001", "sent_on": "2025-06-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

/// R-YOUTH-2: a person under 18 is placed in a youth unit (Romerike fengsel, Ungdomsenhet øst,
/// P008; Bjørgvin fengsel, Ungdomseininga, P044); anywhere else only with the special grounds
/// written. Born 2008-03-15, the person is 17 on 2025-05-30 and 2025-06-01 (18 on 2026-03-15).
#[tokio::test]
async fn an_under_18_is_placed_in_a_youth_unit_or_elsewhere_only_with_special_grounds() {
    let w = world().await;
    let registration = |exception: Option<&str>| {
        let mut admission = json!({"movement": "admission", "at": "2025-05-30T10:00",
            "prison": "P001", "basis": "remand"});
        if let Some(reason) = exception {
            admission["youth_exception"] = json!(reason);
        }
        json!({
            "identity": {"temporary_id": "T-900001", "family_name": "Ungdom", "given_names": "Test",
                "birth_date": "2008-03-15", "sex": "male", "citizenship": "NO"},
            "admission": admission,
        })
    };
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/persons",
            Some(registration(None)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let text = body.to_string();
    assert!(text.contains("admission.prison"), "{text}");
    assert!(text.contains("P008") && text.contains("P044"), "{text}");
    assert!(text.contains("R-YOUTH-2"), "{text}");

    let reason =
        "Ungdomsenhetene er fulle; plassert i Oslo fengsel med eget opplegg i påvente av plass.";
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/persons",
            Some(registration(Some(reason))),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let person = body["id"].as_i64().unwrap_or_else(|| panic!("{body}"));

    // A transfer to Bergen fengsel (not a youth unit) is refused; to Bjørgvin's youth unit not.
    let (status, body) = post_entry(
        &w,
        "placement",
        person,
        "movement",
        json!({"movement": "transfer", "at": "2025-06-01T10:00", "prison": "P042"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("payload.prison") && text.contains("R-YOUTH-2"),
        "{text}"
    );
    let (status, body) = post_entry(
        &w,
        "placement",
        person,
        "movement",
        json!({"movement": "transfer", "at": "2025-06-01T10:00", "prison": "P044"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// The other way round: a youth unit takes no one who is 18 or over on the day (children are
/// kept apart from adults). Born 2007-06-01, the person turns 18 on 2025-06-01: admitted to
/// Romerike's youth unit (P008) on 2025-05-31 (17) is right; on 2025-06-01 (18) refused,
/// naming the field and the unit, and nothing is written.
#[tokio::test]
async fn a_youth_unit_takes_no_adult() {
    let w = world().await;
    let registration = |at: &str, id: &str| {
        json!({
            "identity": {"temporary_id": id, "family_name": "Atten", "given_names": "Test",
                "birth_date": "2007-06-01", "sex": "male", "citizenship": "NO"},
            "admission": {"movement": "admission", "at": at, "prison": "P008", "basis": "remand"},
        })
    };
    let before = w.store.register_size().await.unwrap();
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/persons",
            Some(registration("2025-06-01T10:00", "T-900011")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("admission.prison") && text.contains("P008") && text.contains("18 or over"),
        "{text}"
    );
    assert_eq!(
        w.store.register_size().await.unwrap(),
        before,
        "nothing written"
    );
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            "/api/v1/persons",
            Some(registration("2025-05-31T10:00", "T-900012")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // An adult transferred into a youth unit is refused the same way.
    let adult = body["id"].as_i64().unwrap();
    let (status, body) = post_entry(
        &w,
        "placement",
        adult,
        "movement",
        json!({"movement": "transfer", "at": "2025-06-02T10:00", "prison": "P044"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("payload.prison"), "{body}");
}
