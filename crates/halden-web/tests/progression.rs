//! The progression plan (issue 5, item 7) through the API and pages, on the backend
//! `HALDEN_TEST_BACKEND` names. Today is 2025-06-01 (`support::TODAY`).
//!
//! The Oslo fixture serves 120 days from 2025-03-03 (day 1), in Oslo fengsel (high security):
//! - leave (R-LEAVE-1): 1/3, ceil(120/3) = day 40 = 2025-04-11 (March 3–31 is days 1–29);
//! - § 16 home serving (R-HOME-1): 1/2, day 60 = 2025-05-01 (April ends on day 59);
//! - parole (R-PAR-1): 2/3, ceil(240/3) = day 80 = 2025-05-21 (≥ 60 days);
//! - end (C-4): day 120 = 2025-06-30 (May ends on day 90).
//!
//! A term of 120 days is up to one year: a halfway house is to be considered directly (R-SEC-2),
//! so high security is above the lowest level the rules allow.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{Actor, facts::Fact};
use jiff::civil::date;
use serde_json::Value;
use support::{admission, identity, judgment, number, world};

fn step<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {plan}"))
}

#[tokio::test]
async fn the_plan_gives_each_step_its_date_and_rule_and_the_lowest_level_allowed() {
    let w = world().await;
    let (status, plan) = w
        .api(
            Some("contact"),
            "GET",
            &format!("/api/v1/persons/{}/progression", w.oslo),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["level_now"], "high");
    assert_eq!(plan["recommended_level"], "halfway");
    assert_eq!(plan["above_recommended"], true);
    assert!(plan["reasons"].to_string().contains("R-SEC-2"), "{plan}");
    for (name, day, rule, reached) in [
        ("leave", "2025-04-11", "R-LEAVE-1", true),
        ("home_serving", "2025-05-01", "R-HOME-1", true),
        ("parole", "2025-05-21", "R-PAR-1", true),
        ("release", "2025-06-30", "C-4", false),
    ] {
        let s = step(&plan, name);
        assert_eq!(s["date"], day, "{name}");
        assert_eq!(s["rule"], rule, "{name}");
        assert_eq!(s["reached"], reached, "{name}");
        assert!(
            s["explanation"]["nb"].as_str().unwrap().contains(day),
            "{name}: {s}"
        );
    }
    // In date order.
    let dates: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);

    // The person sees their own plan; service providers, analysts and others do not.
    let path = format!("/api/v1/persons/{}/progression", w.oslo);
    for (role, status) in [
        ("prisoner", StatusCode::OK),
        ("health", StatusCode::FORBIDDEN),
        ("analyst", StatusCode::FORBIDDEN),
        ("probation", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            w.api(Some(role), "GET", &path, None, &[]).await.0,
            status,
            "{role}"
        );
    }

    // The person page shows it in the page's language.
    let page = w
        .page_in("contact", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(page.html.contains("Progresjonsplan"), "{}", page.html);
    assert!(page.html.contains("prøveløslatelse mulig"));
    assert!(
        page.html
            .contains("plassert over det laveste nivået reglene tillater")
    );
}

#[tokio::test]
async fn the_leaders_home_page_lists_the_reviews_of_the_week() {
    let w = world().await;
    // Admitted 2025-03-16 for 120 days: parole on day 80 = 2025-06-03 (March 16–31 is days
    // 1–16, April ends on day 46, May on day 77), within the week from 2025-06-01.
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    store_person(&w, &actor).await;
    let page = w.page_in("leader", "nb", "/home").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.html;
    assert!(
        html.contains("Vurderinger som forfaller de neste sju dagene"),
        "{html}"
    );
    let row = html
        .split("<tr>")
        .find(|r| r.contains("Ukesvurdering"))
        .unwrap_or_else(|| panic!("no row for the person: {html}"));
    assert!(
        row.contains("prøveløslatelse mulig") && row.contains("2025-06-03"),
        "{row}"
    );
    // The Oslo fixture's next step (end 2025-06-30) is not this week.
    assert!(!html.contains("Oslomann"), "{html}");
    // Other roles' home pages have no such list.
    let officer = w.page_in("officer", "nb", "/home").await;
    assert!(!officer.html.contains("Vurderinger som forfaller"));
}

async fn store_person(w: &support::World, actor: &Actor) {
    w.store
        .register_person(
            actor,
            &identity(&number(21), "Ukesvurdering"),
            &[
                Fact::Judgment(judgment("25-21MED-OTIR/01")),
                admission("P001", date(2025, 3, 16)),
            ],
            None,
        )
        .await
        .unwrap();
}

async fn transfer(w: &support::World, prison: &str, at: &str) {
    let (_, person) = w
        .api(
            Some("placement"),
            "GET",
            &format!("/api/v1/persons/{}", w.oslo),
            None,
            &[],
        )
        .await;
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{}/entries", w.oslo),
            Some(
                serde_json::json!({"kind": "movement", "version": person["version"],
                "payload": {"movement": "transfer", "at": at, "prison": prison}}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn contact_officers_caseloads_and_a_transfer_to_another_unit_ending_the_assignment() {
    let w = world().await;
    // Oslo's leader sees the caseload (the contact officer has the Oslo fixture) and the
    // resident without one.
    let html = w.page_in("leader", "nb", "/home").await.html;
    let row = html
        .split("<tr>")
        .find(|r| r.contains("(contact)"))
        .unwrap_or_else(|| panic!("no caseload row: {html}"));
    assert!(row.contains(">1<"), "{row}");
    assert!(
        html.contains("Uten kontaktbetjent") && html.contains("Uten-Kontakt"),
        "{html}"
    );

    let person = format!("/api/v1/persons/{}", w.oslo);
    // To the halfway house of the same unit (P002, Oslo fengsel): the assignment holds.
    transfer(&w, "P002", "2025-05-20T10:00").await;
    assert_eq!(
        w.api(Some("contact"), "GET", &person, None, &[]).await.0,
        StatusCode::OK
    );
    // To Bergen fengsel (another unit): it ends; Bergen's leader assigns one of theirs.
    transfer(&w, "P041", "2025-06-01T10:00").await;
    let row = w.store.person(w.oslo).await.unwrap().unwrap();
    assert_eq!(row.contact_officer, None);
    assert_eq!(
        w.api(Some("contact"), "GET", &person, None, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    let html = w.page_in("leader", "nb", "/home").await.html;
    assert!(
        !html.contains("(contact)"),
        "Oslo's caseload is empty now: {html}"
    );

    // Back to Oslo fengsel on 2025-06-01 12:00: an assignment dated before that is refused (it
    // would never take effect); from that day it holds.
    transfer(&w, "P001", "2025-06-01T12:00").await;
    let (_, p) = w.api(Some("leader"), "GET", &person, None, &[]).await;
    let assign = |from: &str| {
        serde_json::json!({"kind": "contact_officer", "version": p["version"],
            "payload": {"officer": "contact", "from": from}})
    };
    let path = format!("/api/v1/persons/{}/entries", w.oslo);
    let (status, body) = w
        .api(
            Some("leader"),
            "POST",
            &path,
            Some(assign("2025-05-31")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["field"], "payload.from", "{body}");
    assert!(body.to_string().contains("2025-06-01"), "{body}");
    let (status, body) = w
        .api(
            Some("leader"),
            "POST",
            &path,
            Some(assign("2025-06-01")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        w.api(Some("contact"), "GET", &person, None, &[]).await.0,
        StatusCode::OK
    );
}
