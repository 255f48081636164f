//! Capacity and the roll (issue 5, item 3) through the API and the pages, on the backend
//! `HALDEN_TEST_BACKEND` names. Today is 2025-06-01 (`support::TODAY`).
//!
//! The convention: a place is held from the day of admission or transfer in (in on that day)
//! until the day of release, transfer out or escape (out on that day); leave, hospital and court
//! keep it.
//!
//! The story, in Romerike fengsel, Ungdomsenhet øst (P008: high, 4 places), with national
//! placement recording, worked by hand below. Everyone is admitted at 09:00 and moves at 10:00.
//! They are 17 (born 2008-01-01): a youth unit takes no one of 18 or over, and anywhere else an
//! under-18 needs the special grounds of R-YOUTH-2.
//!
//! | day   | what happens                                   | held in P008 on the day  |
//! |-------|------------------------------------------------|--------------------------|
//! | 04-30 | —                                              | 0                        |
//! | 05-01 | A admitted                                     | A = 1                    |
//! | 05-02 | B admitted                                     | A B = 2                  |
//! | 05-03 | C admitted                                     | A B C = 3                |
//! | 05-05 | D admitted: full                               | A B C D = 4              |
//! | 05-10 | E refused (4 of 4), then admitted with a reason| A B C D E = 5            |
//! | 05-12 | A leaves on leave (back 05-14): keeps the place| 5                        |
//! | 05-20 | B transferred to Kroksrud (P007, lower)        | A C D E = 4; P007: B = 1 |
//! | 05-25 | C released                                     | A D E = 3                |
//! | 05-26 | F admitted (3 of 4: accepted)                  | A D E F = 4              |
//! | 05-28 | B's transfer back refused (4 of 4), then made  | A B D E F = 5; P007: 0   |
//! |       | with a reason                                  |                          |
//! | 05-30 | D escapes                                      | A B E F = 4              |
//!
//! The fixture holds three more: two in Oslo fengsel (P001, admitted 03-03 and 04-01) and one
//! in Bergen (P041, 03-03).

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{World, identity, number, summary, tag_with_id, world};

/// Registers a person with an admission through the API, as placement: (status, body).
async fn admit(
    w: &World,
    serial: u32,
    family: &str,
    at: &str,
    prison: &str,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let mut admission = json!({"movement": "admission", "at": at, "prison": prison,
        "basis": "sentence"});
    if let Some(reason) = reason {
        admission["capacity_override"] = json!(reason);
    }
    if prison != "P008" {
        admission["youth_exception"] = json!("Ingen ledig ungdomsplass; eget opplegg.");
    }
    let mut person = serde_json::to_value(identity(&number(serial), family)).unwrap();
    person["birth_date"] = json!("2008-01-01");
    w.api(
        Some("placement"),
        "POST",
        "/api/v1/persons",
        Some(json!({
            "identity": person,
            "admission": admission,
        })),
        &[],
    )
    .await
}

async fn admitted(w: &World, serial: u32, family: &str, at: &str) -> i64 {
    let (status, body) = admit(w, serial, family, at, "P008", None).await;
    assert_eq!(status, StatusCode::CREATED, "{family}: {body}");
    body["id"].as_i64().unwrap()
}

/// Appends a movement for `person` as placement, at the person's current version.
async fn movement(w: &World, person: i64, payload: Value) -> (StatusCode, Value) {
    let (_, p) = w
        .api(
            Some("placement"),
            "GET",
            &format!("/api/v1/persons/{person}"),
            None,
            &[],
        )
        .await;
    let version = p["version"].as_i64().unwrap();
    w.api(
        Some("placement"),
        "POST",
        &format!("/api/v1/persons/{person}/entries"),
        Some(json!({"kind": "movement", "version": version, "payload": payload})),
        &[],
    )
    .await
}

async fn moved(w: &World, person: i64, payload: Value) {
    let (status, body) = movement(w, person, payload.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{payload}: {body}");
}

async fn capacity(w: &World, role: &str, date: &str) -> Value {
    let (status, body) = w
        .api(
            Some(role),
            "GET",
            &format!("/api/v1/capacity?date={date}"),
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{date}: {body}");
    body
}

fn department<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["departments"].as_array().unwrap())
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no department {id}"))
}

fn occupied(view: &Value, id: &str) -> i64 {
    department(view, id)["occupied"].as_i64().unwrap()
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(String::from))
        .collect()
}

fn message(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The story of the module comment, up to and including B's transfer back; D's escape is left
/// to the caller. Returns (A, B, C, D, E, F).
async fn story(w: &World) -> [i64; 6] {
    let a = admitted(w, 21, "Alfa", "2025-05-01T09:00").await;
    let b = admitted(w, 22, "Bravo", "2025-05-02T09:00").await;
    let c = admitted(w, 23, "Charlie", "2025-05-03T09:00").await;
    let d = admitted(w, 24, "Delta", "2025-05-05T09:00").await;

    // Full: E is refused, the problem on the admission's prison, naming places and occupancy.
    let (status, body) = admit(w, 25, "Echo", "2025-05-10T09:00", "P008", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["admission.prison"]);
    assert!(
        message(&body).contains("is full on 2025-05-10: 4 places, 4 occupied"),
        "{body}"
    );
    assert!(message(&body).contains("capacity_override"), "{body}");
    // An empty reason is no reason.
    let (status, body) = admit(w, 25, "Echo", "2025-05-10T09:00", "P008", Some("  ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["admission.capacity_override"]);
    // Nothing was written by the refusals: E is registered once, with the reason.
    let (status, body) = admit(
        w,
        25,
        "Echo",
        "2025-05-10T09:00",
        "P008",
        Some("The only youth place in the region; the court ordered custody today."),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let e = body["id"].as_i64().unwrap();

    moved(
        w,
        a,
        json!({"movement": "leave_out", "at": "2025-05-12T10:00", "due_back": "2025-05-14T18:00"}),
    )
    .await;
    moved(
        w,
        a,
        json!({"movement": "leave_return", "at": "2025-05-14T10:00"}),
    )
    .await;
    moved(
        w,
        b,
        json!({"movement": "transfer", "at": "2025-05-20T10:00", "prison": "P007",
            "youth_exception": "Needs Kroksrud's school programme; staffed as a youth place."}),
    )
    .await;
    moved(
        w,
        c,
        json!({"movement": "release", "at": "2025-05-25T10:00"}),
    )
    .await;
    let f = admitted(w, 26, "Foxtrot", "2025-05-26T09:00").await;

    // B's transfer back: refused while full, on the payload's prison; made with a reason.
    let back = json!({"movement": "transfer", "at": "2025-05-28T10:00", "prison": "P008"});
    let (status, body) = movement(w, b, back.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), ["payload.prison"]);
    assert!(
        message(&body).contains("is full on 2025-05-28: 4 places, 4 occupied"),
        "{body}"
    );
    let mut with_reason = back;
    with_reason["capacity_override"] = json!("Kroksrud cannot keep him apart from a co-accused.");
    moved(w, b, with_reason).await;
    [a, b, c, d, e, f]
}

#[tokio::test]
async fn occupancy_on_each_day_follows_the_stays_and_overbooking_needs_a_reason() {
    let w = world().await;
    let [_, _, _, d, e, _] = story(&w).await;
    moved(
        &w,
        d,
        json!({"movement": "escape", "at": "2025-05-30T10:00"}),
    )
    .await;

    // P008 on each day, as worked in the table above.
    let expected = [
        ("2025-04-30", 0),
        ("2025-05-01", 1), // admitted on the day: in
        ("2025-05-02", 2),
        ("2025-05-04", 3),
        ("2025-05-05", 4),
        ("2025-05-09", 4),
        ("2025-05-10", 5), // overbooked with a reason
        ("2025-05-13", 5), // A on leave keeps the place
        ("2025-05-19", 5),
        ("2025-05-20", 4), // B transferred out on the day: out
        ("2025-05-24", 4),
        ("2025-05-25", 3), // C released on the day: out
        ("2025-05-26", 4),
        ("2025-05-28", 5),
        ("2025-05-29", 5),
        ("2025-05-30", 4), // D escaped on the day: out
        ("2025-06-01", 4),
    ];
    let mut found = Vec::new();
    for (day, _) in expected {
        let view = capacity(&w, "placement", day).await;
        assert_eq!(view["date"], day);
        found.push((day, occupied(&view, "P008")));
    }
    assert_eq!(found, expected);

    // Kroksrud holds B from the transfer until B goes back.
    for (day, n) in [
        ("2025-05-19", 0),
        ("2025-05-20", 1),
        ("2025-05-27", 1),
        ("2025-05-28", 0),
    ] {
        assert_eq!(
            occupied(&capacity(&w, "placement", day).await, "P007"),
            n,
            "{day}"
        );
    }

    // One day in full: 2025-05-20.
    let view = capacity(&w, "placement", "2025-05-20").await;
    assert_eq!(view["scope"], "estate");
    let p008 = department(&view, "P008");
    assert_eq!(
        (&p008["places"], &p008["occupied"], &p008["free"]),
        (&json!(4), &json!(4), &json!(0))
    );
    assert_eq!(p008["occupancy_percent"], json!(100.0));
    assert_eq!(p008["security_level"], "high");
    // Romerike fengsel: Ullersmo 238 + Kroksrud 62 + Ungdomsenhet 4 places; 0 + 1 + 4 held.
    let romerike = view["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "Romerike fengsel")
        .unwrap();
    assert_eq!(
        (
            &romerike["places"],
            &romerike["occupied"],
            &romerike["free"]
        ),
        (&json!(304), &json!(5), &json!(299))
    );
    // The whole estate: the estate's own places; held: the fixture's three (two in Oslo
    // fengsel, one in Bergen, all high) and the five in Romerike (four high, one lower).
    let (_, estate) = w
        .api(Some("placement"), "GET", "/api/v1/prisons", None, &[])
        .await;
    let places_of = |level: Option<&str>| -> i64 {
        estate["prisons"]
            .as_array()
            .or_else(|| estate.as_array())
            .unwrap()
            .iter()
            .filter(|p| level.is_none_or(|l| p["security_level"] == l))
            .map(|p| p["capacity"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(view["total"]["places"], places_of(None));
    assert_eq!(view["total"]["occupied"], 8);
    let levels: Vec<(String, i64, i64)> = view["security_levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["security_level"].as_str().unwrap().to_string(),
                l["places"].as_i64().unwrap(),
                l["occupied"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("high".to_string(), places_of(Some("high")), 7),
            ("lower".to_string(), places_of(Some("lower")), 1),
            ("halfway".to_string(), places_of(Some("halfway")), 0),
        ]
    );
    // Before anyone of the story: the fixture's two admitted on 03-03 (the third came 04-01).
    assert_eq!(
        capacity(&w, "placement", "2025-03-31").await["total"]["occupied"],
        2
    );
    assert_eq!(
        capacity(&w, "placement", "2025-03-02").await["total"]["occupied"],
        0
    );
    // No date: today.
    let (status, today) = w
        .api(Some("placement"), "GET", "/api/v1/capacity", None, &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(today["date"], "2025-06-01");
    assert_eq!(occupied(&today, "P008"), 4);

    // The reason is kept on the entry and shown in the history.
    let entries = w.store.entries(e).await.unwrap();
    let admission = entries.iter().find(|x| x.kind == "movement").unwrap();
    assert_eq!(
        admission.payload_json()["capacity_override"],
        "The only youth place in the region; the court ordered custody today."
    );
    let page = w.page_in("placement", "nb", &format!("/persons/{e}")).await;
    assert!(
        page.html.contains(
            "Begrunnelse for overbelegg: The only youth place in the region; the court ordered custody today."
        ),
        "the history shows the reason"
    );
}

#[tokio::test]
async fn a_bad_or_future_date_is_named_and_roles_without_capacity_are_refused() {
    let w = world().await;
    for date in ["2025-13-01", "yesterday", "2025-06-02"] {
        let (status, body) = w
            .api(
                Some("placement"),
                "GET",
                &format!("/api/v1/capacity?date={date}"),
                None,
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{date}: {body}");
        assert_eq!(fields(&body), ["date"], "{date}");
    }
    for role in [
        "officer",
        "contact",
        "probation",
        "health",
        "prisoner",
        "analyst",
        "admin",
    ] {
        let (status, _) = w
            .api(Some(role), "GET", "/api/v1/capacity?date=bad", None, &[])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }
}

#[tokio::test]
async fn a_prison_leader_sees_their_own_unit_only() {
    let w = world().await;
    let view = capacity(&w, "leader", "2025-06-01").await;
    assert_eq!(view["scope"], json!({"unit": "Oslo fengsel"}));
    let units: Vec<&str> = view["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["Oslo fengsel"]);
    // Oslo fengsel (P001, 240 places, both fixture persons) and Sandaker overgangsbolig (P002,
    // halfway, 18 places, nobody).
    assert_eq!(occupied(&view, "P001"), 2);
    assert_eq!(occupied(&view, "P002"), 0);
    assert_eq!(
        (&view["total"]["places"], &view["total"]["occupied"]),
        (&json!(258), &json!(2))
    );
    let levels: Vec<&str> = view["security_levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["security_level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["high", "halfway"]);
}

#[tokio::test]
async fn the_capacity_page_shows_the_day_and_names_a_bad_date_keeping_it() {
    let w = world().await;
    let page = w.page_in("leader", "nb", "/capacity").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html
            .contains("Kapasitet og belegg – Oslo fengsel, 2025-06-01")
    );
    assert!(page.html.contains("Sandaker overgangsbolig (P002)"));
    assert!(page.html.contains("Sum for enheten"));
    assert!(
        !page.html.contains("Romerike"),
        "a leader sees their own unit"
    );
    assert!(
        page.html.contains("href=\"/capacity\""),
        "linked in the nav"
    );
    // Today is filled in, so the form shows which day it is.
    let input = tag_with_id(&page.html, "date").unwrap();
    assert!(input.contains("value=\"2025-06-01\""), "{input}");

    let en = w
        .page_in("placement", "en", "/capacity?date=2025-03-31")
        .await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(
        en.html
            .contains("Capacity and occupancy – the whole estate, 2025-03-31")
    );
    assert!(en.html.contains("National total"));
    assert!(en.html.contains("Romerike fengsel"));

    let bad = w
        .page_in("placement", "nb", "/capacity?date=2025-13-01")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        summary(&bad.html),
        ["Dato: «2025-13-01» er ikke en dato (ÅÅÅÅ-MM-DD)"]
    );
    assert!(bad.html.contains("href=\"#date\""));
    let input = tag_with_id(&bad.html, "date").unwrap();
    assert!(input.contains("aria-invalid=\"true\""), "{input}");
    assert!(
        input.contains("value=\"2025-13-01\""),
        "what was typed is kept: {input}"
    );
    let future = w
        .page_in("placement", "en", "/capacity?date=2025-06-02")
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        summary(&future.html),
        ["Date: is after today (2025-06-01): occupancy is known for today and past days"]
    );

    // Not linked for a role that may not see it.
    let officer = w.page_in("officer", "nb", "/home").await;
    assert!(!officer.html.contains("href=\"/capacity\""));
}

#[tokio::test]
async fn the_movement_form_refuses_a_transfer_into_a_full_department_until_a_reason_is_given() {
    let w = world().await;
    // Fill the youth unit (4 places) from 05-01; a fifth 17-year-old waits in Oslo fengsel.
    for (serial, family) in [(31, "En"), (32, "To"), (33, "Tre"), (34, "Fire")] {
        admitted(&w, serial, family, "2025-05-01T09:00").await;
    }
    let (status, body) = admit(&w, 35, "Fem", "2025-05-01T09:00", "P001", None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let waiting = body["id"].as_i64().unwrap();
    let path = format!("/persons/{waiting}/movements/new");
    let fields = [
        ("movement", "transfer"),
        ("at", "2025-05-30T10:00"),
        ("prison", "P008"),
    ];
    let refused = w.submit("placement", "nb", &path, &fields).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    let lines = summary(&refused.html);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("Fengsel: ")
            && lines[0].contains("er full 2025-05-30: 4 plasser, 4 belagt"),
        "{lines:?}"
    );
    assert!(refused.html.contains("href=\"#prison\""));
    assert!(
        !refused.html.contains("<span lang=\"en\">"),
        "the refusal is in bokmål"
    );
    let mut with_reason = fields.to_vec();
    with_reason.push(("capacity_override", "Needs the youth unit's programme now."));
    let saved = w.submit("placement", "nb", &path, &with_reason).await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&saved.html)
    );
    // Oslo fengsel holds the fixture's two (Oslomann, Uten-Kontakt) and Fem until the transfer.
    let view = capacity(&w, "placement", "2025-05-30").await;
    assert_eq!((occupied(&view, "P008"), occupied(&view, "P001")), (5, 2));
    let view = capacity(&w, "placement", "2025-05-29").await;
    assert_eq!((occupied(&view, "P008"), occupied(&view, "P001")), (4, 3));
}
