//! Statistics from the register (issue 7), through storage on the backend the environment names
//! (SQLite or PostgreSQL): the counting edges on real movements, the reports through the API
//! for analysts, the public set signed out, and no person-level data on any of it.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use halden_storage::{
    Actor,
    facts::{Fact, MovementFact},
};
use jiff::civil::{Date, date};
use support::{admission, identity, judgment, number, world};

fn movement(kind: &str, at: Date, hour: i8, basis: Option<&str>, prison: Option<&str>) -> Fact {
    Fact::Movement(MovementFact {
        movement: kind.into(),
        at: at.at(hour, 0, 0, 0),
        prison: prison.map(Into::into),
        basis: basis.map(Into::into),
        due_back: None,
        note: None,
        capacity_override: None,
        youth_exception: None,
        institution: None,
    })
}

/// The world of the fixture (on 1 June 2025: Oslomann and Uten-Kontakt serving in P001 since
/// March and April, Bergensen in P041 since March, Friomsorg on EM 1 May–1 Aug), plus:
/// - Remandsen: remand from 1 Feb, sentence from 1 Apr (basis change), out on leave 31 May,
///   due back 2 June: on leave on the day, so in.
/// - Ung: a Swedish woman born 2008-01-01 (17), admitted on 1 June: in.
/// - Ut: admitted 10 Jan, released on 1 June: out.
/// - Venter: a judgment final 31 Jan 2025 (received then), never started: in the queue from
///   31 March.
async fn populated() -> support::World {
    let w = world().await;
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    let mut leave = movement("leave_out", date(2025, 5, 31), 10, None, None);
    if let Fact::Movement(m) = &mut leave {
        m.due_back = Some(date(2025, 6, 2).at(18, 0, 0, 0));
    }
    w.store
        .register_person(
            &actor,
            &identity(&number(11), "Remandsen"),
            &[
                movement(
                    "admission",
                    date(2025, 2, 1),
                    9,
                    Some("remand"),
                    Some("P001"),
                ),
                movement("basis_change", date(2025, 4, 1), 9, Some("sentence"), None),
                leave,
            ],
            None,
        )
        .await
        .unwrap();
    let mut young = identity(&number(12), "Ung");
    young.sex = "female".into();
    young.citizenship = "SE".into();
    young.birth_date = date(2008, 1, 1);
    w.store
        .register_person(&actor, &young, &[admission("P001", date(2025, 6, 1))], None)
        .await
        .unwrap();
    w.store
        .register_person(
            &actor,
            &identity(&number(13), "Ut"),
            &[
                admission("P001", date(2025, 1, 10)),
                movement("release", date(2025, 6, 1), 8, None, None),
            ],
            None,
        )
        .await
        .unwrap();
    w.store
        .register_person(
            &actor,
            &identity(&number(14), "Venter"),
            &[Fact::Judgment(judgment("25-14MED-OTIR/01"))],
            None,
        )
        .await
        .unwrap();
    w
}

#[tokio::test]
async fn the_register_is_counted_by_the_counting_model() {
    let w = populated().await;
    let ds = w.store.statistics_dataset().await.unwrap();
    assert_eq!(ds.source.kind, "register");
    assert!(ds.source.log_position.is_some());
    let on = |d: Date, em: bool| {
        let p = halden_stats::Profile::PRISON.with_em(em);
        halden_stats::count::stock(&ds, halden_stats::model::day(d), &p, &[18]).total
    };
    // 1 June: Oslomann, Uten-Kontakt, Bergensen, Remandsen (on leave: stays in), Ung (admitted
    // on the day: in) = 5; Ut released on the day: out. With EM, Friomsorg too: 6.
    assert_eq!(on(date(2025, 6, 1), false), 5);
    assert_eq!(on(date(2025, 6, 1), true), 6);
    // 31 May: Ut still in, Ung not yet: 5 again (Oslomann, Uten-Kontakt, Bergensen, Remandsen, Ut).
    assert_eq!(on(date(2025, 5, 31), false), 5);
    // The basis change is a category change, not a new imprisonment: in 2025 Remandsen's
    // remand ends in a transfer out and the sentence begins with a transfer in.
    let flows = halden_stats::count::flows(
        &ds,
        halden_stats::model::day(date(2025, 1, 1)),
        halden_stats::model::day(date(2026, 1, 1)),
    );
    let remand = flows[halden_stats::model::Category::Remand.index()];
    assert_eq!((remand.new, remand.transfers_out), (1, 1));
    // Institution: new Oslomann, Uten-Kontakt, Bergensen, Ung, Ut = 5; one transfer in; Ut
    // discharged.
    let inst = flows[halden_stats::model::Category::Institution.index()];
    assert_eq!((inst.new, inst.transfers_in, inst.discharges), (5, 1, 1));
    // The queue on 1 June: Venter (received 31 Jan, counted from 31 Mar, not started).
    // Oslomann's and the others' judgments started on their admissions.
    let q = halden_domain::queue::count(&ds.judgments, date(2025, 6, 1));
    assert_eq!((q.queue, q.queue_em), (1, 0));
    let q = halden_domain::queue::count(&ds.judgments, date(2025, 3, 30));
    assert_eq!(q.queue, 0, "not two calendar months yet");

    // The dataset is kept under the register's size: read again unchanged, it is the same one;
    // after an append it is read afresh (one more in the stock of 1 June).
    let again = w.store.statistics_dataset().await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&ds, &again));
    w.store
        .register_person(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &identity(&number(15), "Etterpå"),
            &[admission("P041", date(2025, 5, 20))],
            None,
        )
        .await
        .unwrap();
    let after = w.store.statistics_dataset().await.unwrap();
    let stock = halden_stats::count::stock(
        &after,
        halden_stats::model::day(date(2025, 6, 1)),
        &halden_stats::Profile::PRISON,
        &[],
    );
    assert_eq!(stock.total, 6);
}

#[tokio::test]
async fn space1_counts_the_sentenced_stock_by_the_length_the_judgment_imposed() {
    use halden_stats::report::Value;
    let w = populated().await;
    let ds = w.store.statistics_dataset().await.unwrap();
    let bands_on = |em: bool| {
        let mut p = halden_stats::reports::Params::on(date(2025, 6, 1));
        p.profile = halden_stats::Profile::PRISON.with_em(em);
        let report = halden_stats::reports::space1(&ds, &p).unwrap();
        let table = report
            .tables
            .into_iter()
            .find(|t| t.id == "sentence_bands")
            .expect("SPACE I has the bands");
        move |row: &str| match table.get(row, "count") {
            Some(Value::Count(n)) => *n,
            other => panic!("{row}: {other:?}"),
        }
    };
    // 1 June, prison only: Oslomann, Uten-Kontakt and Bergensen each serve a 120-day judgment:
    // 120·12/365 = 3.95 months, in "3–6 m" (3 ≤ x < 6). Remandsen (sentenced by a basis change)
    // and Ung (admitted) have no judgment in the register: their length is unknown, counted as
    // such and outside the shares.
    let count = bands_on(false);
    assert_eq!(count("3m_6m"), 3);
    assert_eq!(count("1m_3m") + count("6m_12m") + count("lt_1m"), 0);
    assert_eq!(count("banded_total"), 3);
    assert_eq!(count("length_unknown"), 2);
    assert_eq!(count("total"), 5);
    // With EM: Friomsorg on EM, no judgment either.
    let count = bands_on(true);
    assert_eq!(
        (count("3m_6m"), count("length_unknown"), count("total")),
        (3, 3, 6)
    );
}

#[tokio::test]
async fn analysts_get_the_reports_as_json_and_csv() {
    let w = populated().await;
    let (status, v) = w
        .api(
            Some("analyst"),
            "GET",
            "/api/v1/statistics/space1?date=2025-06-01&capacity=10&inhabitants=1000",
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // Stock 5; 5 / 1 000 × 100 000 = 500.0; 5 / 10 × 100 = 50.0; pre-trial 0 / 5 = 0.0
    // (Remandsen is sentenced since 1 April); women (Ung) 1 / 5 = 20.0; foreign (Ung, SE) 20.0;
    // under 18 (Ung, 17) 20.0.
    assert_eq!(v["stock"], 5);
    assert_eq!(v["rate_per_100k"], 500.0);
    assert_eq!(v["density_per_100_places"], 50.0);
    assert_eq!(v["pct_pretrial"], 0.0);
    assert_eq!(v["pct_women"], 20.0);
    assert_eq!(v["pct_foreign"], 20.0);
    assert_eq!(v["pct_under_18"], 20.0);
    assert_eq!(v["metadata"]["em_included"], false);
    assert_eq!(v["metadata"]["source"], "register");
    let (_, v) = w
        .api(
            Some("analyst"),
            "GET",
            "/api/v1/statistics/space1?date=2025-06-01&count_em=true",
            None,
            &[],
        )
        .await;
    assert_eq!(v["stock"], 6);
    let (_, v) = w
        .api(
            Some("analyst"),
            "GET",
            "/api/v1/statistics/queue?date=2025-06-01",
            None,
            &[],
        )
        .await;
    assert_eq!(
        (v["queue"].clone(), v["queue_em"].clone()),
        (1.into(), 0.into())
    );
    // Bad parameters name their field.
    let (status, v) = w
        .api(
            Some("analyst"),
            "GET",
            "/api/v1/statistics/monthly?date=2025-02-30",
            None,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["errors"][0]["field"], "date");
    // No person-level data: no name, identity number or id anywhere in any report.
    for report in [
        "space1",
        "space2",
        "nordic",
        "annual",
        "monthly",
        "reconcile",
        "queue",
    ] {
        let (status, v) = w
            .api(
                Some("analyst"),
                "GET",
                &format!("/api/v1/statistics/{report}?date=2025-06-01&year=2025"),
                None,
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{report}: {v}");
        let text = v.to_string();
        for secret in ["Oslomann", "Remandsen", "Ung", &number(11), "P001"] {
            assert!(!text.contains(secret), "{report} leaks {secret}");
        }
    }
}

#[tokio::test]
async fn the_pages_show_charts_and_the_public_set_needs_no_sign_in() {
    let w = populated().await;
    let (status, body) = w
        .page(Some("analyst"), "/statistics?date=2025-06-01&year=2025")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<svg"), "charts are inline SVG");
    assert!(body.contains("SPACE I"));
    assert!(!body.contains("Oslomann") && !body.contains("Remandsen"));
    let (status, csv) = w
        .page(
            Some("analyst"),
            "/statistics/export/annual?format=csv&year=2025",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with(
        "table,row,column,value,unit,numerator,denominator,status,reference_date,period,note"
    ));
    let (status, body) = w.page(None, "/statistics/public").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<svg"));
    assert!(!body.contains("Oslomann"));
    let (status, v) = w
        .api(None, "GET", "/api/v1/statistics/public", None, &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    // Published month: May 2025 (TODAY is 1 June). On 31 May: Oslomann, Uten-Kontakt,
    // Bergensen, Remandsen, Ut = 5 inmates.
    assert_eq!(v["monthly"]["date"], "2025-05-31");
    assert_eq!(v["monthly"]["figures"]["inmates"], 5);
}
