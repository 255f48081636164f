//! The serving queue and the summons (issue 5, item 1) through the API, on the backend
//! `HALDEN_TEST_BACKEND` names. Today is 2025-06-01 (`support::TODAY`).
//!
//! Two persons wait (besides the fixture's, who are all in custody or on EM):
//! - A, received 2025-03-15: serving by 2025-05-14 (March 15 + 60 days: 16 days left of March,
//!   30 of April, 14 of May), counted in the queue from 2025-05-15 (+ 2 calendar months), so in
//!   the queue today;
//! - B, received 2025-05-01: serving by 2025-06-30 (30 days left of May, 30 of June), counted from
//!   2025-07-01, so waiting but not yet in the queue.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{Actor, facts::Fact};
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use support::{World, identity, judgment, number, world};

async fn waiting(w: &World, serial: u32, family: &str, received: Date) -> i64 {
    let mut judgment = judgment(&format!("25-{serial}MED-OTIR/01"));
    judgment.received = Some(received);
    judgment.decision_date = date(2025, 1, 10);
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    w.store
        .register_person(
            &actor,
            &identity(&number(serial), family),
            &[Fact::Judgment(judgment)],
            None,
        )
        .await
        .unwrap()
        .0
}

async fn queue_of(w: &World) -> Value {
    let (status, body) = w
        .api(Some("placement"), "GET", "/api/v1/queue", None, &[])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn line(queue: &Value, person: i64) -> Value {
    queue["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["person_id"] == person)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn entry(
    w: &World,
    role: &str,
    person: i64,
    kind: &str,
    payload: Value,
) -> (StatusCode, Value) {
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
        Some(role),
        "POST",
        &format!("/api/v1/persons/{person}/entries"),
        Some(json!({"kind": kind, "version": version, "payload": payload})),
        &[],
    )
    .await
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn the_queue_counts_two_months_after_receipt_and_lists_every_one_waiting() {
    let w = world().await;
    let a = waiting(&w, 11, "Avventer", date(2025, 3, 15)).await;
    let b = waiting(&w, 12, "Bakerst", date(2025, 5, 1)).await;
    let q = queue_of(&w).await;
    assert_eq!(q["date"], "2025-06-01");
    assert_eq!(
        (q["queue"].as_u64(), q["queue_em"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(q["waiting_all"], 2);
    let la = line(&q, a);
    assert_eq!(la["received"], "2025-03-15");
    assert_eq!(la["latest_start"], "2025-05-14");
    assert_eq!(la["latest_summons_arrival"], "2025-04-23");
    assert_eq!(la["counted_from"], "2025-05-15");
    assert_eq!(la["in_queue"], true);
    // Placement: 120 days is up to one year, so a halfway house directly (R-SEC-2); A lives in
    // Oslo, and the nearest halfway house with room is Sandaker (P002, Oslo), next Solholmen
    // (P034, Kristiansand, about 250 km), then Auklend (P036, Stavanger).
    assert_eq!(la["recommendation"]["level"], "halfway", "{la}");
    let offered: Vec<&str> = la["recommendation"]["prisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(offered, vec!["P002", "P034", "P036"], "{la}");
    assert!(
        la["recommendation"]["reasons"]
            .to_string()
            .contains("R-SEC-2")
    );
    let lb = line(&q, b);
    assert_eq!(lb["latest_start"], "2025-06-30");
    assert_eq!(lb["counted_from"], "2025-07-01");
    assert_eq!(lb["in_queue"], false);
    // A's dates are planned from the latest serving date, 2025-05-14 (no summons): 120 days
    // end on day 120 = 2025-09-10 (May 14–31 is days 1–18, June ends on day 48, July on 79,
    // August on 110).
    let (_, dates) = w
        .api(
            Some("placement"),
            "GET",
            &format!("/api/v1/persons/{a}/dates"),
            None,
            &[],
        )
        .await;
    assert_eq!(dates["planned_from"], "2025-05-14", "{dates}");
    assert_eq!(
        dates["dates"]["end_of_sentence"]["date"], "2025-09-10",
        "{dates}"
    );
    let page = w.page_in("placement", "en", &format!("/persons/{a}")).await;
    assert!(page.html.contains("the dates are planned"), "{}", page.html);
    // The longest waiting first.
    let order: Vec<i64> = q["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["person_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![a, b]);

    // Once admitted, A has started and leaves the queue.
    let (status, body) = entry(
        &w,
        "placement",
        a,
        "movement",
        json!({"movement": "admission", "at": "2025-06-01T09:00", "prison": "P001", "basis": "sentence"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let q = queue_of(&w).await;
    assert_eq!(
        (q["queue"].as_u64(), q["waiting_all"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(line(&q, a).is_null());

    // Only national placement works the queue.
    for role in [
        "officer",
        "leader",
        "probation",
        "analyst",
        "admin",
        "prisoner",
    ] {
        let (status, _) = w.api(Some(role), "GET", "/api/v1/queue", None, &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }
}

#[tokio::test]
async fn a_summons_gives_three_weeks_notice_and_a_late_date_needs_a_reason() {
    let w = world().await;
    let b = waiting(&w, 12, "Bakerst", date(2025, 5, 1)).await;
    let summons = |serving: &str, late: Option<&str>| {
        let mut p = json!({"serving_date": serving, "prison": "P001", "sent_on": "2025-06-01"});
        if let Some(reason) = late {
            p["late_reason"] = json!(reason);
        }
        p
    };
    // Sent 2025-06-01: the earliest serving date is 2025-06-22.
    let (status, body) = entry(&w, "placement", b, "summons", summons("2025-06-21", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.serving_date"], "{body}");
    assert!(body.to_string().contains("2025-06-22"), "{body}");
    // After the latest serving date (2025-06-30), only with a reason.
    let (status, body) = entry(&w, "placement", b, "summons", summons("2025-07-01", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.late_reason"], "{body}");
    // A summons is recorded the day it is sent.
    let mut yesterday = summons("2025-06-23", None);
    yesterday["sent_on"] = json!("2025-05-31");
    let (status, body) = entry(&w, "placement", b, "summons", yesterday).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        fields(&body).contains(&"payload.sent_on".to_string()),
        "{body}"
    );
    // Only placement sends summons.
    let (status, _) = entry(&w, "officer", b, "summons", summons("2025-06-23", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = entry(&w, "placement", b, "summons", summons("2025-06-30", None)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let l = line(&queue_of(&w).await, b);
    assert_eq!(
        l["summons"],
        json!({"serving_date": "2025-06-30", "prison": "P001"})
    );
    // B's dates now count from the summons date: 120 days from 2025-06-30 end on 2025-10-27
    // (June 30 is day 1, July ends on day 32, August on 63, September on 93, October 27 is 120).
    let (_, dates) = w
        .api(
            Some("placement"),
            "GET",
            &format!("/api/v1/persons/{b}/dates"),
            None,
            &[],
        )
        .await;
    assert_eq!(dates["planned_from"], "2025-06-30", "{dates}");
    assert_eq!(
        dates["dates"]["end_of_sentence"]["date"], "2025-10-27",
        "{dates}"
    );

    let (status, body) = entry(
        &w,
        "placement",
        b,
        "summons",
        summons(
            "2025-07-10",
            Some("No place in a prison near home before July."),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        line(&queue_of(&w).await, b)["summons"]["serving_date"],
        "2025-07-10"
    );
}

#[tokio::test]
async fn a_missed_serving_date_is_recorded_once_it_has_passed() {
    let w = world().await;
    let a = waiting(&w, 11, "Avventer", date(2025, 3, 15)).await;
    let (status, body) = entry(
        &w,
        "officer",
        a,
        "non_appearance",
        json!({"date": "2025-06-02"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["payload.date"], "{body}");
    let (status, body) = entry(
        &w,
        "officer",
        a,
        "non_appearance",
        json!({"date": "2025-05-14", "note": "Did not come; not at home."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(line(&queue_of(&w).await, a)["non_appearance"], "2025-05-14");
    // Someone in custody has nothing waiting.
    let (status, body) = entry(
        &w,
        "leader",
        w.oslo,
        "non_appearance",
        json!({"date": "2025-05-14"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // The person page shows the wait in words.
    let page = w.page_in("placement", "en", &format!("/persons/{a}")).await;
    assert!(
        page.html.contains("judgment received 2025-03-15; serving by 2025-05-14 (R-INNK-1); in the queue from 2025-05-15 (R-QUEUE-1)")
            && page.html.contains("did not report on 2025-05-14 (R-INNK-3)"),
        "{}",
        page.html
    );
    // And the queue page lists them.
    let page = w.page_in("placement", "nb", "/queue").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Avventer") && page.html.contains("møtte ikke 2025-05-14"));
}

#[tokio::test]
async fn an_interpreter_need_is_shown_on_the_queue_and_the_roll() {
    let w = world().await;
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    let mut waiting_person = identity(&number(31), "Tolkesen");
    waiting_person.interpreter_needed = true;
    waiting_person.languages = vec!["pl".into(), "ru".into()];
    let mut j = judgment("25-31MED-OTIR/01");
    j.received = Some(date(2025, 4, 1));
    let (waiting_id, _) = w
        .store
        .register_person(&actor, &waiting_person, &[Fact::Judgment(j)], None)
        .await
        .unwrap();
    let queue = w.page_in("placement", "nb", "/queue").await.html;
    let row = queue
        .split("<tr>")
        .find(|r| r.contains("Tolkesen"))
        .unwrap();
    assert!(row.contains("tolk: pl, ru"), "{row}");
    assert_eq!(
        line(&queue_of(&w).await, waiting_id)["interpreter"],
        "pl,ru"
    );

    let mut resident = identity(&number(32), "Tolkemann");
    resident.interpreter_needed = true;
    resident.languages = vec!["ar".into()];
    w.store
        .register_person(
            &actor,
            &resident,
            &[
                Fact::Judgment(judgment("25-32MED-OTIR/01")),
                support::admission("P001", date(2025, 5, 2)),
            ],
            None,
        )
        .await
        .unwrap();
    let roll = w.page_in("officer", "en", "/roll").await.html;
    let row = roll
        .split("<tr>")
        .find(|r| r.contains("Tolkemann"))
        .unwrap();
    assert!(row.contains("interpreter: ar"), "{row}");
    let row = roll.split("<tr>").find(|r| r.contains("Oslomann")).unwrap();
    assert!(!row.contains("interpreter"), "{row}");
}

/// The demo register (`serve --demo`) has a serving queue: every person the simulator generates
/// waiting to serve is waiting in the register too, received the same day and planned for the
/// same form, with the summons and missed date carried over; some are in the queue today.
#[tokio::test]
async fn the_demo_register_has_a_serving_queue() {
    let store = halden_storage::testing::fresh_store().await.unwrap();
    let scale = halden_sim::demo::Scale::Small;
    halden_web::demo::seed(&store, support::TODAY, scale)
        .await
        .unwrap();
    let estate = halden_sim::estate::Estate::embedded().unwrap();
    let population =
        halden_sim::demo::generate(&estate, halden_web::demo::DEMO_SEED, support::TODAY, scale);
    let mut expected: Vec<(String, String, Option<String>, Option<String>)> = population
        .persons
        .iter()
        .filter_map(|p| {
            let received = p.judgments.iter().find_map(|j| j.received)?;
            let summons = p.summonses.last();
            Some((
                received.to_string(),
                summons.map_or("prison", |s| s.form.as_str()).to_string(),
                summons.map(|s| s.serving_date.to_string()),
                p.non_appearances.last().map(|n| n.date.to_string()),
            ))
        })
        .collect();
    let (rows, _) = store.awaiting(1000).await.unwrap();
    let mut found: Vec<(String, String, Option<String>, Option<String>)> = rows
        .iter()
        .map(|p| {
            (
                p.queue_received.clone().unwrap(),
                p.queue_form.clone().unwrap_or_else(|| "prison".into()),
                p.summons_date.clone(),
                p.non_appearance.clone(),
            )
        })
        .collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected);
    let waiting: Vec<halden_domain::queue::Waiting> = found
        .iter()
        .map(|(received, form, _, _)| halden_domain::queue::Waiting {
            received: received.parse().unwrap(),
            started: None,
            form: halden_domain::queue::PlannedForm::parse(form).unwrap(),
        })
        .collect();
    let count = halden_domain::queue::count(&waiting, support::TODAY);
    assert!(count.queue >= 3, "{count:?} of {}", waiting.len());
    assert!(found.iter().any(|(_, _, summons, _)| summons.is_some()));
}

/// A postponement request from someone waiting to serve (R-INNK-2), registered by placement. A
/// waits with planned dates from 2025-05-14 (no summons; see the first test).
#[tokio::test]
async fn a_mandatory_postponement_cannot_be_refused_and_another_needs_weighty_reasons() {
    let w = world().await;
    let a = waiting(&w, 11, "Avventer", date(2025, 3, 15)).await;
    let apply = |ground: &str, date: Option<&str>| {
        let mut body = json!({"kind": "postponement", "details": "Asks to start later.",
            "postponement_ground": ground});
        if let Some(d) = date {
            body["ground_date"] = json!(d);
        }
        body
    };
    let path = format!("/api/v1/persons/{a}/applications");
    // A ground is required for a postponement, and an infant needs the birth date.
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &path,
            Some(json!({"kind": "postponement", "details": "x"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["postponement_ground"], "{body}");
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &path,
            Some(apply("infant", None)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), vec!["ground_date"], "{body}");

    // A child born 2025-03-01 is under 9 months on the serving date 2025-05-14 (until
    // 2025-12-01): postponement is mandatory.
    let (status, infant) = w
        .api(
            Some("placement"),
            "POST",
            &path,
            Some(apply("infant", Some("2025-03-01"))),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{infant}");
    let (_, list) = w.api(Some("placement"), "GET", &path, None, &[]).await;
    let pending = &list["applications"][0];
    assert_eq!(pending["rules"]["mandatory"], true, "{list}");
    assert!(
        pending["rules"].to_string().contains("2025-12-01"),
        "{pending}"
    );
    let ground = {
        let (_, grounds) = w
            .api(Some("placement"), "GET", "/api/v1/legal-grounds", None, &[])
            .await;
        grounds["legal_grounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["paragraph"] == "forskriften kap. 2")
            .unwrap()["id"]
            .clone()
    };
    let decide = |application: &Value, outcome: &str| {
        json!({"application": application["id"], "outcome": outcome, "legal_ground": ground,
               "reason": "We need the place and see no reason to wait any longer."})
    };
    let decisions = format!("/api/v1/persons/{a}/decisions");
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &decisions,
            Some(decide(&infant, "refused")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(fields(&body), vec!["outcome"], "{body}");
    assert!(body.to_string().contains("must be granted"), "{body}");
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &decisions,
            Some(json!({"application": infant["id"], "outcome": "granted"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Any other ground needs weighty reasons: refusing it with a ground and a reason is saved.
    let (status, other) = w
        .api(
            Some("placement"),
            "POST",
            &path,
            Some(apply("other", None)),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &decisions,
            Some(decide(&other, "refused")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// A summons sent earlier is corrected with the day it was sent (with who and why); a new one
/// must be sent today.
#[tokio::test]
async fn a_summons_sent_earlier_can_be_corrected() {
    let w = world().await;
    let b = waiting(&w, 12, "Bakerst", date(2025, 5, 1)).await;
    // Sent 2025-05-10 for 2025-06-20 (recorded by the fixture on that day).
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    let person = w.store.person(b).await.unwrap().unwrap();
    let (entry_id, _) = w
        .store
        .append(
            &actor,
            b,
            person.version,
            &Fact::Summons(halden_storage::facts::SummonsFact {
                serving_date: date(2025, 6, 20),
                prison: "P001".into(),
                form: "prison".into(),
                sent_on: date(2025, 5, 10),
                late_reason: None,
            }),
            None,
            None,
            None,
        )
        .await
        .unwrap();
    let (_, p) = w
        .api(
            Some("placement"),
            "GET",
            &format!("/api/v1/persons/{b}"),
            None,
            &[],
        )
        .await;
    let correction = json!({"kind": "summons", "version": p["version"], "corrects": entry_id,
        "reason": "Wrong prison typed; the letter named Bredtveit.",
        "payload": {"serving_date": "2025-06-20", "prison": "P003", "sent_on": "2025-05-10"}});
    let (status, body) = w
        .api(
            Some("placement"),
            "POST",
            &format!("/api/v1/persons/{b}/entries"),
            Some(correction),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        line(&queue_of(&w).await, b)["summons"],
        json!({"serving_date": "2025-06-20", "prison": "P003"})
    );
}
