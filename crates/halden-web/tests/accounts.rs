//! Accounts (administrators) and contact officers (kontaktbetjent), through the API, on the
//! backend the run asks for.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::world;

fn fields(body: &Value) -> Vec<&str> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_administrator_creates_disables_and_enables_accounts_and_every_change_is_logged() {
    let w = world().await;
    // Every problem names its field, and nothing is created.
    let (status, body) = w
        .api(
            Some("admin"),
            "POST",
            "/api/v1/users",
            Some(
                json!({"username": "Å", "display_name": " ", "password": "short",
                        "role": "warden", "scope": "Oslo fengsel"}),
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fields(&body),
        ["username", "display_name", "password", "role"]
    );
    let (_, body) = w
        .api(
            Some("admin"),
            "POST",
            "/api/v1/users",
            Some(json!({"username": "nina", "display_name": "Nina Nyansatt",
                        "password": "a long first password", "role": "officer",
                        "scope": "Narnia fengsel"})),
            &[],
        )
        .await;
    assert_eq!(fields(&body), ["scope"]);
    let (_, body) = w
        .api(
            Some("admin"),
            "POST",
            "/api/v1/users",
            Some(json!({"username": "nina", "display_name": "Nina Nyansatt",
                        "password": "a long first password", "role": "analyst",
                        "scope": "Oslo fengsel", "person_id": w.oslo})),
            &[],
        )
        .await;
    assert_eq!(fields(&body), ["scope", "person_id"]);

    // A good request creates one account, also when retried under its key.
    let nina = json!({"username": "nina", "display_name": "Nina Nyansatt",
                      "password": "a long first password", "role": "officer",
                      "scope": "Oslo fengsel"});
    let key = [("idempotency-key", "create-nina")];
    let (status, created) = w
        .api(
            Some("admin"),
            "POST",
            "/api/v1/users",
            Some(nina.clone()),
            &key,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, again) = w
        .api(
            Some("admin"),
            "POST",
            "/api/v1/users",
            Some(nina.clone()),
            &key,
        )
        .await;
    assert_eq!((status, &again), (StatusCode::CREATED, &created));
    let (status, taken) = w
        .api(Some("admin"), "POST", "/api/v1/users", Some(nina), &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&taken), ["username"]);
    let id = created["id"].as_i64().unwrap();

    // The new officer signs in and works in their unit.
    let login = json!({"username": "nina", "password": "a long first password"});
    let (status, session) = w
        .api(None, "POST", "/api/v1/auth/login", Some(login.clone()), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    let bearer = format!("Bearer {}", session["token"].as_str().unwrap());
    let as_nina = [("authorization", bearer.as_str())];
    let path = format!("/api/v1/persons/{}", w.oslo);
    let (status, _) = w.api(None, "GET", &path, None, &as_nina).await;
    assert_eq!(status, StatusCode::OK);
    // The list never shows password hashes.
    let (_, users) = w
        .api(Some("admin"), "GET", "/api/v1/users", None, &[])
        .await;
    assert!(!users.to_string().contains("argon2"));

    // Nobody disables their own account.
    let admin = w.store.user_by_name("admin").await.unwrap().unwrap();
    let (status, body) = w
        .api(
            Some("admin"),
            "POST",
            &format!("/api/v1/users/{}/disable", admin.id),
            Some(json!({"reason": "testing"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["id"]);
    // Disabling needs a reason, ends the sessions at once and refuses sign-in.
    let disable = format!("/api/v1/users/{id}/disable");
    let (status, body) = w
        .api(
            Some("admin"),
            "POST",
            &disable,
            Some(json!({"reason": " "})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fields(&body), ["reason"]);
    let (status, account) = w
        .api(
            Some("admin"),
            "POST",
            &disable,
            Some(json!({"reason": "left the service"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert!(account["disabled_at"].is_string());
    let (status, _) = w.api(None, "GET", &path, None, &as_nina).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = w
        .api(None, "POST", "/api/v1/auth/login", Some(login.clone()), &[])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Enabled again, the account signs in.
    let (status, _) = w
        .api(
            Some("admin"),
            "POST",
            &format!("/api/v1/users/{id}/enable"),
            Some(json!({"reason": "came back"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = w
        .api(None, "POST", "/api/v1/auth/login", Some(login), &[])
        .await;
    assert_eq!(status, StatusCode::OK);

    // The log holds every change, newest first, with who and why.
    let (_, log) = w
        .api(
            Some("admin"),
            "GET",
            &format!("/api/v1/account-log?user={id}"),
            None,
            &[],
        )
        .await;
    let changes: Vec<(&str, &str)> = log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["action"].as_str().unwrap(), c["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("enabled", "came back"),
            ("disabled", "left the service"),
            ("created", "role officer, scope unit Oslo fengsel"),
        ]
    );
    assert!(log["changes"][0]["by"].as_str().unwrap().contains("admin"));
}

#[tokio::test]
async fn a_contact_officer_sees_the_residents_assigned_to_them() {
    let w = world().await;
    let ids = |list: &Value| -> Vec<i64> {
        list["persons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let (_, list) = w
        .api(Some("contact"), "GET", "/api/v1/persons", None, &[])
        .await;
    assert_eq!(ids(&list), [w.oslo]);
    let other = format!("/api/v1/persons/{}", w.oslo_unassigned);
    let (status, _) = w.api(Some("contact"), "GET", &other, None, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The leader assigns only a contact officer of the person's own unit.
    let (_, person) = w.api(Some("leader"), "GET", &other, None, &[]).await;
    let version = person["version"].as_i64().unwrap();
    let entries = format!("{other}/entries");
    let assign = |officer: &str| {
        json!({"kind": "contact_officer", "version": version,
               "payload": {"officer": officer, "from": "2025-06-01"}})
    };
    for officer in ["officer", "nobody"] {
        let (status, body) = w
            .api(Some("leader"), "POST", &entries, Some(assign(officer)), &[])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{officer}");
        assert_eq!(fields(&body), ["payload.officer"]);
    }
    let (status, _) = w
        .api(
            Some("officer"),
            "POST",
            &entries,
            Some(assign("contact")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an officer does not assign");
    let (status, body) = w
        .api(
            Some("leader"),
            "POST",
            &entries,
            Some(assign("contact")),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = w.api(Some("contact"), "GET", &other, None, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = w
        .api(Some("contact"), "GET", "/api/v1/persons", None, &[])
        .await;
    assert_eq!(ids(&list).len(), 2);

    // The assignment lapses with the custody episode.
    let release = json!({"kind": "movement", "version": version + 1,
        "payload": {"movement": "release", "at": "2025-06-01T12:00"}});
    let (status, body) = w
        .api(Some("leader"), "POST", &entries, Some(release), &[])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = w.api(Some("contact"), "GET", &other, None, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
