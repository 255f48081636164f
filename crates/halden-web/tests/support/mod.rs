//! A small register and one account per role, on the backend the run asks for
//! (`HALDEN_TEST_BACKEND`), and helpers to call the app in-process.

#![allow(clippy::unwrap_used, dead_code, reason = "test fixtures")]

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use halden_storage::{
    Actor, NewUser, SessionKind, Store,
    facts::{ContactOfficerFact, Fact, Identity, Judgment, MovementFact, SupervisionFact},
    testing::fresh_store,
};
use halden_web::{AppState, app, auth, demo};
use http_body_util::BodyExt;
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The fixed "today" of these tests.
pub const TODAY: Date = date(2025, 6, 1);

/// The fixture: ids of the persons and every role's tokens.
pub struct World {
    pub app: Router,
    pub store: Store,
    /// Serving in Oslo fengsel (P001); the prisoner account is this person, and the contact
    /// officer (`contact`) is assigned to them.
    pub oslo: i64,
    /// Also serving in Oslo fengsel, with no contact officer.
    pub oslo_unassigned: i64,
    /// Serving in Bergen fengsel (P041).
    pub bergen: i64,
    /// Released, on EM under Oslo friomsorgskontor (F001).
    pub supervised: i64,
    /// (role, API bearer token, web session token)
    pub tokens: Vec<(&'static str, String, String)>,
}

pub fn identity(number: &str, family: &str) -> Identity {
    Identity {
        identity_number: Some(number.into()),
        temporary_id: None,
        family_name: family.into(),
        given_names: "Test".into(),
        birth_date: date(1985, 1, 1),
        sex: "male".into(),
        citizenship: "NO".into(),
        languages: vec!["nb".into()],
        interpreter_needed: false,
        home_municipality: Some("Oslo".into()),
    }
}

pub fn judgment(case_number: &str) -> Judgment {
    Judgment {
        case_number: case_number.into(),
        court: "Oslo tingrett".into(),
        decision_date: date(2025, 1, 10),
        final_date: Some(date(2025, 1, 31)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: vec![json!({"kind": "prison", "days": 120})],
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: None,
        offence_date: None,
        driving_programme: None,
    }
}

pub fn admission(prison: &str, day: Date) -> Fact {
    Fact::Movement(MovementFact {
        movement: "admission".into(),
        at: day.at(9, 0, 0, 0),
        prison: Some(prison.into()),
        basis: Some("sentence".into()),
        due_back: None,
        note: None,
        capacity_override: None,
        youth_exception: None,
        institution: None,
    })
}

/// A valid synthetic identity number from a serial (1..=999).
pub fn number(serial: u32) -> String {
    for day in 1..=28 {
        let first_nine = format!("{day:02}8985{serial:03}");
        if let Some(n) = halden_domain::register::identity_number_with_controls(&first_nine) {
            return n;
        }
    }
    panic!("no identity number for serial {serial}");
}

pub async fn world() -> World {
    let store = fresh_store().await.unwrap();
    demo::seed_estate(&store).await.unwrap();
    let actor = Actor {
        user_id: None,
        name: "fixture".into(),
    };
    let (oslo, _) = store
        .register_person(
            &actor,
            &identity(&number(1), "Oslomann"),
            &[
                Fact::Judgment(judgment("25-1MED-OTIR/01")),
                admission("P001", date(2025, 3, 3)),
                Fact::ContactOfficer(ContactOfficerFact {
                    officer: "contact".into(),
                    from: date(2025, 3, 3),
                }),
            ],
            None,
        )
        .await
        .unwrap();
    let (oslo_unassigned, _) = store
        .register_person(
            &actor,
            &identity(&number(4), "Uten-Kontakt"),
            &[
                Fact::Judgment(judgment("25-4MED-OTIR/01")),
                admission("P001", date(2025, 4, 1)),
            ],
            None,
        )
        .await
        .unwrap();
    let (bergen, _) = store
        .register_person(
            &actor,
            &identity(&number(2), "Bergensen"),
            &[
                Fact::Judgment(judgment("25-2MED-BTIR/01")),
                admission("P041", date(2025, 3, 3)),
            ],
            None,
        )
        .await
        .unwrap();
    let (supervised, _) = store
        .register_person(
            &actor,
            &identity(&number(3), "Friomsorg"),
            &[Fact::Supervision(SupervisionFact {
                supervision: "electronic_monitoring".into(),
                office: "F001".into(),
                from: date(2025, 5, 1),
                until: date(2025, 8, 1),
                office_reason: None,
            })],
            None,
        )
        .await
        .unwrap();
    let hash = auth::hash_password("secret-pw").unwrap();
    let mut tokens = Vec::new();
    for (username, display, role, scope_kind, scope) in demo::DEMO_ACCOUNTS {
        store
            .ensure_user(&NewUser {
                username: username.into(),
                display_name: display.into(),
                password_hash: hash.clone(),
                role: role.into(),
                scope_kind: scope_kind.into(),
                scope_id: scope.map(Into::into),
                person_id: (role == "prisoner").then_some(oslo),
                demo: false,
            })
            .await
            .unwrap();
        let (api, _) = auth::sign_in(&store, username, "secret-pw", SessionKind::Api)
            .await
            .unwrap();
        let (web, _) = auth::sign_in(&store, username, "secret-pw", SessionKind::Web)
            .await
            .unwrap();
        tokens.push((role, api, web));
    }
    let state = AppState {
        store: store.clone(),
        demo: false,
        today_override: Some(TODAY),
    };
    World {
        app: app(state),
        store,
        oslo,
        oslo_unassigned,
        bergen,
        supervised,
        tokens,
    }
}

impl World {
    pub fn api_token(&self, role: &str) -> &str {
        &self.tokens.iter().find(|t| t.0 == role).unwrap().1
    }

    pub fn web_token(&self, role: &str) -> &str {
        &self.tokens.iter().find(|t| t.0 == role).unwrap().2
    }

    /// Calls the API as `role` (or anonymously) and returns status and JSON body.
    pub async fn api(
        &self,
        role: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(role) = role {
            request = request.header("authorization", format!("Bearer {}", self.api_token(role)));
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let body = match body {
            Some(v) => {
                request = request.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let response = self
            .app
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }

    /// Calls the API with a raw body.
    pub async fn api_raw(
        &self,
        role: &str,
        path: &str,
        content_type: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method("POST")
            .uri(path)
            .header("authorization", format!("Bearer {}", self.api_token(role)))
            .header("content-type", content_type);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Loads a page as `role` (web session) and returns status and HTML.
    pub async fn page(&self, role: Option<&str>, path: &str) -> (StatusCode, String) {
        let mut request = Request::builder().method("GET").uri(path);
        if let Some(role) = role {
            request = request.header("cookie", format!("halden_session={}", self.web_token(role)));
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A page's answer: status, where it redirects to, and the HTML.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub html: String,
}

impl World {
    /// Loads a page as `role` in `lang` (`nb` or `en`).
    pub async fn page_in(&self, role: &str, lang: &str, path: &str) -> Answer {
        let request = Request::builder()
            .method("GET")
            .uri(path)
            .header(
                "cookie",
                format!(
                    "halden_session={}; halden_lang={lang}",
                    self.web_token(role)
                ),
            )
            .body(Body::empty())
            .unwrap();
        answer(self.app.clone().oneshot(request).await.unwrap()).await
    }

    /// The CSRF token the form at `path` carries for `role`.
    pub async fn csrf(&self, role: &str, path: &str) -> String {
        let page = self.page_in(role, "nb", path).await;
        hidden(&page.html, "csrf")
            .unwrap_or_else(|| panic!("no csrf field on {path} for {role}: {}", page.status))
    }

    /// Submits a form (urlencoded) as `role` in `lang`, with the form's own CSRF token and record
    /// version (read from the form first), plus `fields`.
    pub async fn submit(
        &self,
        role: &str,
        lang: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Answer {
        let page = self.page_in(role, lang, path).await;
        let mut pairs: Vec<(String, String)> = ["csrf", "version"]
            .iter()
            .filter_map(|name| hidden(&page.html, name).map(|v| (name.to_string(), v)))
            .collect();
        pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.post_form(role, lang, path, &pairs).await
    }

    /// Posts exactly `pairs` (urlencoded) as `role` in `lang`.
    pub async fn post_form(
        &self,
        role: &str,
        lang: &str,
        path: &str,
        pairs: &[(String, String)],
    ) -> Answer {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::builder()
            .method("POST")
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(
                "cookie",
                format!(
                    "halden_session={}; halden_lang={lang}",
                    self.web_token(role)
                ),
            )
            .body(Body::from(body))
            .unwrap();
        answer(self.app.clone().oneshot(request).await.unwrap()).await
    }
}

async fn answer(response: axum::response::Response) -> Answer {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(ToString::to_string);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The value of hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The error summary's lines (text without tags).
pub fn summary(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"error-summary\"") else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</div>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<li>")
        .skip(1)
        .map(|item| text_of(item.split("</li>").next().unwrap_or_default()))
        .collect()
}

/// Text without tags, entities decoded (the few askama writes).
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .trim()
        .to_string()
}

/// The opening tag of the element with `id`.
pub fn tag_with_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..=end])
}

impl World {
    /// The id of the catalogue's ground in force for `paragraph`.
    pub async fn ground(&self, paragraph: &str) -> i64 {
        let (_, body) = self
            .api(Some("leader"), "GET", "/api/v1/legal-grounds", None, &[])
            .await;
        body["legal_grounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["paragraph"] == paragraph && g["retired"].is_null())
            .unwrap_or_else(|| panic!("no ground {paragraph} in force"))["id"]
            .as_i64()
            .unwrap()
    }

    /// The Oslo prisoner applies for leave, the unit's leader refuses it with a ground and a
    /// reason, and the prisoner appeals: (decision id, appeal id).
    pub async fn refused_and_appealed(&self) -> (i64, i64) {
        let (status, filed) = self
            .api(
                Some("prisoner"),
                "POST",
                &format!("/api/v1/persons/{}/applications", self.oslo),
                Some(serde_json::json!({"kind": "leave", "details": "Visit my mother."})),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{filed}");
        let ground = self.ground("strgjfl § 33").await;
        let (status, decided) = self
            .api(
                Some("leader"),
                "POST",
                &format!("/api/v1/persons/{}/decisions", self.oslo),
                Some(serde_json::json!({
                    "application": filed["id"], "outcome": "refused", "legal_ground": ground,
                    "reason": "Recent positive drug test; leave is not security-wise sound now.",
                })),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{decided}");
        let decision = decided["id"].as_i64().unwrap();
        let (status, appealed) = self
            .api(
                Some("prisoner"),
                "POST",
                &format!("/api/v1/decisions/{decision}/appeals"),
                Some(serde_json::json!({"grounds": "The test was a false positive."})),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{appealed}");
        (decision, appealed["id"].as_i64().unwrap())
    }
}

/// A youth sentence (ungdomsstraff, R-YOUTH-3) for an offender born 2008-03-15 who was 16 at
/// the act on 2025-01-10: 12 months' execution period, alternative prison sentence 120 days;
/// judged 2025-02-14, final 2025-03-07.
pub fn youth_judgment(case_number: &str) -> Judgment {
    Judgment {
        case_number: case_number.into(),
        court: "Oslo tingrett".into(),
        decision_date: date(2025, 2, 14),
        final_date: Some(date(2025, 3, 7)),
        received: None,
        remand_deduction_days: 0,
        offence_class: "ordinary".into(),
        sentences: Vec::new(),
        preventive_detention: None,
        community_sentence: None,
        youth_sentence: Some(json!({"execution_period_months": 12, "alternative_days": 120})),
        offence_date: Some(date(2025, 1, 10)),
        driving_programme: None,
    }
}

/// A person with only a youth sentence, living in `municipality`.
pub async fn youth_person(w: &World, serial: u32, municipality: &str) -> i64 {
    let mut who = identity(&number(serial), "Ungdom");
    who.birth_date = date(2008, 3, 15);
    who.home_municipality = Some(municipality.into());
    let (id, _) = w
        .store
        .register_person(
            &Actor {
                user_id: None,
                name: "fixture".into(),
            },
            &who,
            &[Fact::Judgment(youth_judgment(&format!(
                "25-{serial}ENE-OTIR/01"
            )))],
            None,
        )
        .await
        .unwrap();
    id
}
