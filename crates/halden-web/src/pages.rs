//! The server-rendered pages: sign-in, a home page per role, the roll, the person page and the
//! forms (admission, movement, correction, court-file import), in bokmål with English switchable.
//!
//! Forms carry the session's CSRF token; a failed submit shows an error summary linking to each
//! field and keeps every value entered.

use askama::Template;
use axum::{
    Form, Router,
    body::Bytes,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use halden_storage::{AccessQuery, EntryRow, PersonRow, SessionKind, projection::next_key_date};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    AppState,
    access::{Caller, Role, View},
    api,
    auth::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE, same_token, sign_in, web_caller},
    error::ApiError,
    i18n::{Lang, Texts},
};

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch_language))
        .route("/home", get(home))
        .route("/roll", get(roll))
        .route("/caseload", get(caseload))
        .route("/persons/{id}", get(person_page))
        .route(
            "/persons/{id}/movements/new",
            get(movement_form).post(movement_submit),
        )
        .route(
            "/persons/{id}/entries/{entry}/correct",
            get(correction_form).post(correction_submit),
        )
        .route(
            "/admissions/new",
            get(admission_form).post(admission_submit),
        )
        .route("/import", get(import_form).post(import_submit))
        .route("/access-log", get(access_log_page))
        .route("/static/halden.css", get(stylesheet))
        .route("/static/htmx.min.js", get(htmx))
}

const STYLESHEET: &str = include_str!("../static/halden.css");
const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

async fn htmx() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        HTMX,
    )
        .into_response()
}

/// The language from the `halden_lang` cookie (bokmål by default).
fn lang(headers: &HeaderMap) -> Lang {
    auth::cookie(headers, "halden_lang")
        .map(Lang::parse)
        .unwrap_or(Lang::Nb)
}

/// What every page's frame shows.
pub struct Chrome {
    /// Words.
    pub t: &'static Texts,
    /// Language code.
    pub lang: &'static str,
    /// Page title.
    pub title: String,
    /// The signed-in user's display name and role.
    pub user: Option<(String, String)>,
    /// CSRF token for the sign-out form.
    pub csrf: String,
    /// Navigation links.
    pub nav: Vec<(String, &'static str)>,
    /// Link that switches the language and comes back here.
    pub switch_href: String,
}

fn chrome(headers: &HeaderMap, caller: Option<&Caller>, title: &str, here: &str) -> Chrome {
    let lang = lang(headers);
    let t = lang.texts();
    let mut nav: Vec<(String, &'static str)> = Vec::new();
    if let Some(caller) = caller {
        nav.push(("/home".into(), t.home));
        match caller.role {
            Role::Officer | Role::Contact | Role::Leader | Role::Health => {
                nav.push(("/roll".into(), t.roll))
            }
            Role::Placement => nav.push(("/roll".into(), t.persons)),
            Role::Probation => nav.push(("/caseload".into(), t.caseload)),
            _ => {}
        }
        if matches!(caller.role, Role::Officer | Role::Leader | Role::Placement) {
            nav.push(("/admissions/new".into(), t.register_admission));
        }
        if matches!(caller.role, Role::Leader | Role::Placement) {
            nav.push(("/import".into(), t.import_judgments));
        }
        if caller.role == Role::Admin {
            nav.push(("/access-log".into(), t.access_log));
        }
    }
    Chrome {
        t,
        lang: lang.code(),
        title: title.to_string(),
        user: caller.map(|c| (c.user.display_name.clone(), c.role.as_str().to_string())),
        csrf: caller.map(|c| c.csrf_token.clone()).unwrap_or_default(),
        nav,
        switch_href: format!("/lang/{}?back={}", t.other_language_code, url_encode(here)),
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A page-level refusal: the status and a message page.
#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    heading: String,
    message: String,
    break_glass_for: Option<i64>,
}

fn refusal(headers: &HeaderMap, caller: Option<&Caller>, error: ApiError, here: &str) -> Response {
    let t = lang(headers).texts();
    let (status, heading, message) = match &error {
        ApiError::Unauthenticated => return Redirect::to("/login").into_response(),
        ApiError::Forbidden => (StatusCode::FORBIDDEN, "403", t.page_forbidden),
        ApiError::NotFound => (StatusCode::NOT_FOUND, "404", t.page_not_found),
        ApiError::Conflict(_) | ApiError::KeyReused | ApiError::KeyTaken | ApiError::Invalid(_) => {
            (StatusCode::BAD_REQUEST, "400", t.page_bad_request)
        }
        ApiError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "500",
            t.page_server_error,
        ),
    };
    let break_glass_for = match (&error, caller) {
        (ApiError::NotFound, Some(c)) if c.role.may_break_glass() => here
            .strip_prefix("/persons/")
            .and_then(|rest| rest.parse::<i64>().ok()),
        _ => None,
    };
    let page = MessagePage {
        c: chrome(headers, caller, heading, here),
        heading: heading.to_string(),
        message: message.to_string(),
        break_glass_for,
    };
    (status, render(&page)).into_response()
}

/// The signed-in web caller, or a redirect to sign in.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    match web_caller(&state.store, headers).await {
        Ok(Some(caller)) => Ok(caller),
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(refusal(headers, None, e, "/")),
    }
}

/// Refuses a form post whose CSRF token does not match the session's.
fn check_csrf(caller: &Caller, submitted: &str) -> Result<(), ApiError> {
    if same_token(&caller.csrf_token, submitted) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

async fn root(State(state): State<AppState>, headers: HeaderMap) -> Redirect {
    match web_caller(&state.store, &headers).await {
        Ok(Some(_)) => Redirect::to("/home"),
        _ => Redirect::to("/login"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    csrf: String,
    username: String,
    errors: Vec<(String, String)>,
    demo: bool,
}

/// Sets the sign-in form's CSRF cookie (double submit: the form carries the same token).
fn with_login_csrf(mut response: Response, csrf: &str) -> Response {
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Ok(csrf) = auth::random_token() else {
        return refusal(
            &headers,
            None,
            ApiError::Internal("randomness".into()),
            "/login",
        );
    };
    let page = LoginPage {
        c: chrome(&headers, None, lang(&headers).texts().sign_in, "/login"),
        csrf: csrf.clone(),
        username: String::new(),
        errors: Vec::new(),
        demo: state.demo,
    };
    with_login_csrf(render(&page), &csrf)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let t = lang(&headers).texts();
    let cookie_token = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let mut errors = Vec::new();
    if cookie_token.is_empty() || !same_token(cookie_token, &form.csrf) {
        errors.push(("username".to_string(), t.form_expired.to_string()));
    }
    if form.username.trim().is_empty() {
        errors.push(("username".into(), format!("{}: {}", t.username, missing(t))));
    }
    if form.password.is_empty() {
        errors.push(("password".into(), format!("{}: {}", t.password, missing(t))));
    }
    if errors.is_empty() {
        match sign_in(
            &state.store,
            &form.username,
            &form.password,
            SessionKind::Web,
        )
        .await
        {
            Ok((token, _)) => {
                let mut response = Redirect::to("/home").into_response();
                let cookie = format!(
                    "{SESSION_COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
                    auth::SESSION_HOURS * 3600
                );
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
                return response;
            }
            Err(ApiError::Invalid(_)) => {
                errors.push(("password".into(), t.wrong_credentials.into()))
            }
            Err(e) => return refusal(&headers, None, e, "/login"),
        }
    }
    let csrf = auth::random_token().unwrap_or_default();
    let page = LoginPage {
        c: chrome(&headers, None, t.sign_in, "/login"),
        csrf: csrf.clone(),
        username: form.username,
        errors,
        demo: state.demo,
    };
    with_login_csrf(
        (StatusCode::BAD_REQUEST, render(&page)).into_response(),
        &csrf,
    )
}

fn missing(t: &Texts) -> &'static str {
    t.is_required
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Ok(Some(caller)) = web_caller(&state.store, &headers).await
        && check_csrf(&caller, &form.csrf).is_ok()
        && let Some(token) = auth::cookie(&headers, SESSION_COOKIE)
        && let Err(e) = state.store.close_session(token).await
    {
        return refusal(&headers, None, e.into(), "/login");
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "halden_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0",
        ),
    );
    response
}

#[derive(Deserialize)]
struct BackQuery {
    back: Option<String>,
}

async fn switch_language(Path(code): Path<String>, Query(query): Query<BackQuery>) -> Response {
    let lang = Lang::parse(&code);
    // Only local paths: never an open redirect.
    let back = query
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "halden_lang={}; SameSite=Lax; Path=/; Max-Age=31536000",
        lang.code()
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// One row of a person table.
pub struct PersonLine {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Status.
    pub status: String,
    /// Prison.
    pub prison: String,
    /// Security level.
    pub level: String,
    /// Next key date, `date (name)`.
    pub next: String,
}

fn person_line(p: &PersonRow, today: jiff::civil::Date, restricted: bool) -> PersonLine {
    let next = if restricted {
        p.end_of_sentence.clone().unwrap_or_default()
    } else {
        p.key_dates
            .as_deref()
            .and_then(|k| next_key_date(k, today))
            .map(|(name, date)| format!("{date} ({})", name.replace('_', " ")))
            .unwrap_or_default()
    };
    PersonLine {
        id: p.id,
        name: p.display_name(),
        status: p.status.replace('_', " "),
        prison: p.prison_id.clone().unwrap_or_default(),
        level: if restricted {
            String::new()
        } else {
            p.security_level.clone().unwrap_or_default()
        },
        next,
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    intro: String,
    counts: Vec<(String, i64)>,
    dates: Vec<DateLine>,
    readers: Vec<(String, String, String)>,
}

/// One key date on a page.
pub struct DateLine {
    /// Name of the date.
    pub name: String,
    /// The date.
    pub date: String,
    /// Rule id and §.
    pub rule: String,
    /// The explanation in the page's language.
    pub explanation: String,
}

fn date_lines(dates_json: Option<&str>, lang: Lang) -> Vec<DateLine> {
    let Some(doc) = dates_json.and_then(|d| serde_json::from_str::<Value>(d).ok()) else {
        return Vec::new();
    };
    let Some(dates) = doc.get("dates").and_then(Value::as_object) else {
        return Vec::new();
    };
    dates
        .iter()
        .map(|(name, d)| DateLine {
            name: name.replace('_', " "),
            date: d
                .get("date")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            rule: format!(
                "{} ({})",
                d.get("rule").and_then(Value::as_str).unwrap_or_default(),
                d.get("reference")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ),
            explanation: d
                .get("explanation")
                .and_then(|e| e.get(lang.code()))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let mut page = HomePage {
        c: chrome(&headers, Some(&caller), t.home, "/home"),
        intro: String::new(),
        counts: Vec::new(),
        dates: Vec::new(),
        readers: Vec::new(),
    };
    let result: Result<(), ApiError> = async {
        match caller.role {
            Role::Officer | Role::Contact | Role::Leader | Role::Health => {
                page.intro = format!("{}: {}", t.unit, caller.scope().unwrap_or_default());
                page.counts = counts(&state, caller.scope()).await?;
            }
            Role::Placement | Role::Analyst => {
                page.intro = if caller.role == Role::Analyst {
                    t.analyst_home.to_string()
                } else {
                    t.persons.to_string()
                };
                page.counts = counts(&state, None).await?;
            }
            Role::Probation => {
                page.intro = format!("{}: {}", t.caseload, caller.scope().unwrap_or_default());
            }
            Role::Admin => page.intro = t.admin_home.to_string(),
            Role::Prisoner => {
                page.intro = t.prisoner_home.to_string();
                if let Some(id) = caller.user.person_id {
                    let (person, _, _) =
                        api::read_person(&state, &caller, id, "self_service_home", None, true)
                            .await?;
                    page.dates = date_lines(person.dates_json.as_deref(), lang);
                    let log = state
                        .store
                        .access_log(AccessQuery {
                            person: Some(id),
                            user: None,
                            limit: 20,
                        })
                        .await?;
                    page.readers = log
                        .into_iter()
                        .map(|r| (r.at, format!("{} ({})", r.username, r.role), r.view))
                        .collect();
                }
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => render(&page),
        Err(e) => refusal(&headers, Some(&caller), e, "/home"),
    }
}

async fn counts(state: &AppState, unit: Option<&str>) -> Result<Vec<(String, i64)>, ApiError> {
    Ok(state
        .store
        .status_counts(unit)
        .await?
        .into_iter()
        .map(|c| (c.status.replace('_', " "), c.count))
        .collect())
}

#[derive(Template)]
#[template(path = "roll.html")]
struct RollPage {
    c: Chrome,
    heading: String,
    q: String,
    action: &'static str,
    restricted: bool,
    lines: Vec<PersonLine>,
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn roll(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
) -> Response {
    person_list(state, headers, query, "/roll").await
}

async fn caseload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
) -> Response {
    person_list(state, headers, query, "/caseload").await
}

async fn person_list(
    state: AppState,
    headers: HeaderMap,
    query: SearchQuery,
    action: &'static str,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let t = lang(&headers).texts();
    let allowed = match action {
        "/caseload" => matches!(caller.role, Role::Probation),
        _ => matches!(
            caller.role,
            Role::Officer | Role::Contact | Role::Leader | Role::Health | Role::Placement
        ),
    };
    if !allowed {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, action);
    }
    let today = state.today();
    let mut filter = match api::scope_filter(&caller, today) {
        Ok(f) => f,
        Err(e) => return refusal(&headers, Some(&caller), e, action),
    };
    filter.search = query.q.clone();
    filter.limit = 500;
    let rows = match state.store.persons(&filter).await {
        Ok(rows) => rows,
        Err(e) => return refusal(&headers, Some(&caller), e.into(), action),
    };
    let restricted = caller.role == Role::Health;
    let heading = match caller.role {
        Role::Probation => format!("{} – {}", t.caseload, caller.scope().unwrap_or_default()),
        Role::Placement => t.persons.to_string(),
        _ => format!("{} – {}", t.roll, caller.scope().unwrap_or_default()),
    };
    let page = RollPage {
        c: chrome(&headers, Some(&caller), &heading, action),
        heading,
        q: query.q.unwrap_or_default(),
        action,
        restricted,
        lines: rows
            .iter()
            .map(|p| person_line(p, today, restricted))
            .collect(),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonRow,
    restricted: bool,
    break_glass: bool,
    dates: Vec<DateLine>,
    history: Vec<HistoryLine>,
    may_move: bool,
    may_correct: bool,
}

/// One entry in the person page's history.
pub struct HistoryLine {
    /// Entry id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// What it says, compactly.
    pub summary: String,
    /// When recorded.
    pub recorded_at: String,
    /// By whom.
    pub recorded_by: String,
    /// The entry it corrects.
    pub corrects: Option<i64>,
    /// Why.
    pub reason: String,
    /// Whether a later entry corrects it.
    pub superseded: bool,
}

fn summary(e: &EntryRow) -> String {
    let payload = e.payload_json();
    match payload.as_object() {
        Some(map) if !map.is_empty() => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        _ => e.kind.replace('_', " "),
    }
}

#[derive(Deserialize)]
struct PurposeQuery {
    purpose: Option<String>,
}

async fn person_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<PurposeQuery>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}");
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    let lang = lang(&headers);
    let result = api::read_person(
        &state,
        &caller,
        id,
        "person_page",
        query.purpose.as_deref(),
        false,
    )
    .await;
    let (person, view, glass) = match result {
        Ok(x) => x,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let restricted = view == View::Restricted;
    let (dates, history) = if restricted {
        (Vec::new(), Vec::new())
    } else {
        let entries = match state.store.entries(person.id).await {
            Ok(e) => e,
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        };
        let corrected: std::collections::HashSet<i64> =
            entries.iter().filter_map(|e| e.corrects).collect();
        let history = entries
            .iter()
            .map(|e| HistoryLine {
                id: e.id,
                kind: e.kind.replace('_', " "),
                summary: summary(e),
                recorded_at: e
                    .recorded_at
                    .chars()
                    .take(19)
                    .collect::<String>()
                    .replace('T', " "),
                recorded_by: e.recorded_by_name.clone(),
                corrects: e.corrects,
                reason: e.reason.clone().unwrap_or_default(),
                superseded: corrected.contains(&e.id),
            })
            .collect();
        (date_lines(person.dates_json.as_deref(), lang), history)
    };
    let today = state.today();
    let may_move = caller.may_write("movement") && caller.may_write_for(&person, today);
    let may_correct = !restricted
        && ["movement", "identity", "judgment"]
            .iter()
            .any(|k| caller.may_write(k))
        && caller.may_write_for(&person, today);
    let title = person.display_name();
    let page = PersonPage {
        c: chrome(&headers, Some(&caller), &title, &here),
        p: person,
        restricted,
        break_glass: glass,
        dates,
        history,
        may_move,
        may_correct,
    };
    render(&page)
}

/// A field of a generic form.
pub struct Field {
    /// Name and id.
    pub name: String,
    /// Label.
    pub label: String,
    /// `text`, `date`, `datetime-local`, `select`, `textarea`, `file`, `checkbox`.
    pub kind: &'static str,
    /// Current value.
    pub value: String,
    /// Options for a select: (value, label).
    pub options: Vec<(String, String)>,
    /// Required.
    pub required: bool,
    /// Help text.
    pub help: String,
    /// This field's error, if any.
    pub error: String,
}

impl Field {
    fn new(name: &str, label: &str, kind: &'static str, value: &str, required: bool) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            kind,
            value: value.into(),
            options: Vec::new(),
            required,
            help: String::new(),
            error: String::new(),
        }
    }

    fn options(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self
    }

    fn help(mut self, help: &str) -> Field {
        self.help = help.into();
        self
    }
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    c: Chrome,
    heading: String,
    intro: String,
    action: String,
    multipart: bool,
    fields: Vec<Field>,
    errors: Vec<(String, String)>,
    hidden: Vec<(String, String)>,
    submit: String,
    done: String,
}

impl FormPage {
    /// Attaches errors to their fields; errors for unknown fields stay in the summary and link
    /// to the first field.
    fn with_errors(mut self, errors: Vec<(String, String)>) -> FormPage {
        let first = self
            .fields
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default();
        self.errors = errors
            .into_iter()
            .map(|(field, message)| {
                let key = field
                    .trim_start_matches("payload.")
                    .trim_start_matches("identity.")
                    .trim_start_matches("admission.")
                    .to_string();
                let target = match self.fields.iter_mut().find(|f| {
                    f.name == key || f.name == field || key.starts_with(&format!("{}[", f.name))
                }) {
                    Some(f) => {
                        f.error = message.clone();
                        f.name.clone()
                    }
                    None => first.clone(),
                };
                (target, format!("{field}: {message}"))
            })
            .collect();
        self
    }
}

fn form_errors(error: &ApiError) -> Vec<(String, String)> {
    error.problems()
}

async fn prison_options(state: &AppState, caller: &Caller) -> Vec<(String, String)> {
    let prisons = state.store.prisons().await.unwrap_or_default();
    prisons
        .into_iter()
        .filter(|p| !caller.role.is_unit_staff() || Some(p.unit.as_str()) == caller.scope())
        .map(|p| (p.id.clone(), format!("{} ({})", p.name, p.security_level)))
        .collect()
}

fn options_of(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), v.replace('_', " ")))
        .collect()
}

fn movement_fields(t: &Texts, form: &MovementForm, prisons: Vec<(String, String)>) -> Vec<Field> {
    let mut prison_options = vec![(String::new(), "—".to_string())];
    prison_options.extend(prisons);
    let mut basis_options = vec![(String::new(), "—".to_string())];
    basis_options.extend(options_of(&[
        "remand",
        "sentence",
        "preventive_detention",
        "fine_default",
    ]));
    vec![
        Field::new("movement", t.movement, "select", &form.movement, true).options(options_of(
            &halden_domain::register::MovementKind::ALL.map(|k| k.as_str()),
        )),
        Field::new("at", t.time, "datetime-local", &form.at, true),
        Field::new("prison", t.prison, "select", &form.prison, false)
            .options(prison_options)
            .help("admission, transfer"),
        Field::new("basis", t.basis, "select", &form.basis, false)
            .options(basis_options)
            .help("admission, basis change"),
        Field::new("note", t.note, "textarea", &form.note, false),
    ]
}

#[derive(Deserialize, Default)]
struct MovementForm {
    #[serde(default)]
    movement: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    prison: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    csrf: String,
}

fn movement_payload(form: &MovementForm) -> Value {
    let opt = |s: &str| {
        if s.trim().is_empty() {
            Value::Null
        } else {
            Value::String(s.trim().to_string())
        }
    };
    serde_json::json!({
        "movement": form.movement,
        "at": form.at,
        "prison": opt(&form.prison),
        "basis": opt(&form.basis),
        "note": opt(&form.note),
    })
}

async fn movement_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    movement_page(state, headers, id, None).await
}

async fn movement_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<MovementForm>,
) -> Response {
    movement_page(state, headers, id, Some(form)).await
}

async fn movement_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    submitted: Option<MovementForm>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}/movements/new");
    let t = lang(&headers).texts();
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    if !caller.may_write("movement") {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let person = match state.store.person(id).await {
        Ok(Some(p)) if caller.may_write_for(&p, state.today()) => p,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let mut errors = Vec::new();
    let form = match submitted {
        Some(form) => {
            let version = form.version.parse::<i64>().unwrap_or(-1);
            let outcome = match check_csrf(&caller, &form.csrf) {
                Ok(()) if form.at.trim().is_empty() => Err(ApiError::invalid(
                    "at",
                    format!("{} {}", t.time, missing(t)),
                )),
                Ok(()) => {
                    api::append(
                        &state,
                        &caller,
                        id,
                        "movement",
                        version,
                        movement_payload(&form),
                        None,
                        None,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            match outcome {
                Ok(_) => return Redirect::to(&format!("/persons/{id}")).into_response(),
                Err(ApiError::Forbidden) => {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                }
                Err(e) => errors = form_errors(&e),
            }
            form
        }
        None => MovementForm::default(),
    };
    let prisons = prison_options(&state, &caller).await;
    let page = FormPage {
        c: chrome(&headers, Some(&caller), t.record_movement, &here),
        heading: format!("{} – {}", t.record_movement, person.display_name()),
        intro: format!("{}: {}", t.status, person.status.replace('_', " ")),
        action: here.clone(),
        multipart: false,
        fields: movement_fields(t, &form, prisons),
        errors: Vec::new(),
        hidden: vec![
            ("version".into(), person.version.to_string()),
            ("csrf".into(), caller.csrf_token.clone()),
        ],
        submit: t.save.into(),
        done: String::new(),
    }
    .with_errors(errors.clone());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, render(&page)).into_response()
}

#[derive(Deserialize, Default)]
struct CorrectionForm {
    #[serde(default)]
    payload: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    retract: Option<String>,
    #[serde(default)]
    version: String,
    #[serde(default)]
    csrf: String,
}

async fn correction_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, String)>,
) -> Response {
    correction_page(state, headers, id, entry, None).await
}

async fn correction_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, String)>,
    Form(form): Form<CorrectionForm>,
) -> Response {
    correction_page(state, headers, id, entry, Some(form)).await
}

async fn correction_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    entry: String,
    submitted: Option<CorrectionForm>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}/entries/{entry}/correct");
    let t = lang(&headers).texts();
    let (Ok(id), Ok(entry_id)) = (id.parse::<i64>(), entry.parse::<i64>()) else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    let person = match state.store.person(id).await {
        Ok(Some(p)) if caller.may_write_for(&p, state.today()) && caller.role != Role::Health => p,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let entries = match state.store.entries(id).await {
        Ok(e) => e,
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let Some(target) = entries.iter().find(|e| e.id == entry_id) else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    if !caller.may_write(&target.kind) {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    // Start from the entry's content in effect (its latest correction).
    let current = entries
        .iter()
        .rev()
        .find(|e| e.corrects == Some(entry_id) || e.id == entry_id)
        .map(|e| serde_json::to_string_pretty(&e.payload_json()).unwrap_or_default())
        .unwrap_or_default();
    let mut errors = Vec::new();
    let form = match submitted {
        Some(form) => {
            let version = form.version.parse::<i64>().unwrap_or(-1);
            let retract = form.retract.is_some();
            let outcome = async {
                check_csrf(&caller, &form.csrf)?;
                let (kind, payload) = if retract {
                    (
                        "retraction".to_string(),
                        Value::Object(serde_json::Map::new()),
                    )
                } else {
                    let payload = serde_json::from_str::<Value>(&form.payload).map_err(|e| {
                        ApiError::invalid("payload", format!("not valid JSON: {e}"))
                    })?;
                    (target.kind.clone(), payload)
                };
                api::append(
                    &state,
                    &caller,
                    id,
                    &kind,
                    version,
                    payload,
                    Some(entry_id),
                    Some(form.reason.as_str()),
                )
                .await
            }
            .await;
            match outcome {
                Ok(_) => return Redirect::to(&format!("/persons/{id}")).into_response(),
                Err(ApiError::Forbidden) => {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                }
                Err(e) => errors = form_errors(&e),
            }
            form
        }
        None => CorrectionForm {
            payload: current,
            ..CorrectionForm::default()
        },
    };
    let mut retract = Field::new("retract", t.retract, "checkbox", "", false);
    if form.retract.is_some() {
        retract.value = "on".into();
    }
    let page = FormPage {
        c: chrome(&headers, Some(&caller), t.correct, &here),
        heading: format!(
            "{} – {} {} ({})",
            t.correct,
            t.kind.to_lowercase(),
            target.kind.replace('_', " "),
            entry_id
        ),
        intro: person.display_name(),
        action: here.clone(),
        multipart: false,
        fields: vec![
            Field::new("payload", t.payload_json, "textarea", &form.payload, false),
            retract,
            Field::new("reason", t.reason, "textarea", &form.reason, true),
        ],
        errors: Vec::new(),
        hidden: vec![
            ("version".into(), person.version.to_string()),
            ("csrf".into(), caller.csrf_token.clone()),
        ],
        submit: t.save.into(),
        done: String::new(),
    }
    .with_errors(errors.clone());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, render(&page)).into_response()
}

#[derive(Deserialize, Default)]
struct AdmissionForm {
    #[serde(default)]
    identity_number: String,
    #[serde(default)]
    temporary_id: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    citizenship: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    interpreter_needed: String,
    #[serde(default)]
    home_municipality: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    prison: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    csrf: String,
}

async fn admission_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    admission_page(state, headers, None).await
}

async fn admission_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AdmissionForm>,
) -> Response {
    admission_page(state, headers, Some(form)).await
}

async fn admission_page(
    state: AppState,
    headers: HeaderMap,
    submitted: Option<AdmissionForm>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = "/admissions/new";
    let t = lang(&headers).texts();
    if caller
        .require(&[Role::Officer, Role::Leader, Role::Placement])
        .is_err()
    {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
    }
    let mut errors = Vec::new();
    let form = match submitted {
        Some(form) => {
            // Every required field left empty is named, not only the first that fails to parse.
            let required = [
                ("family_name", t.family_name, &form.family_name),
                ("given_names", t.given_names, &form.given_names),
                ("birth_date", t.birth_date, &form.birth_date),
                ("sex", t.sex, &form.sex),
                ("citizenship", t.citizenship, &form.citizenship),
                ("at", t.time, &form.at),
                ("prison", t.prison, &form.prison),
                ("basis", t.basis, &form.basis),
            ];
            let empty: Vec<(String, String)> = required
                .iter()
                .filter(|(_, _, value)| value.trim().is_empty())
                .map(|(name, label, _)| (name.to_string(), format!("{label} {}", missing(t))))
                .collect();
            let opt = |s: &str| {
                if s.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(s.trim().to_string())
                }
            };
            let body = serde_json::json!({
                "identity": {
                    "identity_number": opt(&form.identity_number),
                    "temporary_id": opt(&form.temporary_id),
                    "family_name": form.family_name.trim(),
                    "given_names": form.given_names.trim(),
                    "birth_date": form.birth_date.trim(),
                    "sex": form.sex,
                    "citizenship": form.citizenship.trim(),
                    "languages": form.languages.split([',', ' ']).filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                    "interpreter_needed": form.interpreter_needed == "on",
                    "home_municipality": opt(&form.home_municipality),
                },
                "admission": {
                    "movement": "admission",
                    "at": form.at,
                    "prison": opt(&form.prison),
                    "basis": opt(&form.basis),
                }
            });
            let outcome = async {
                check_csrf(&caller, &form.csrf)?;
                let parsed = api::registration(&body);
                if !empty.is_empty() {
                    // The empty fields, then every other problem the rules find.
                    let mut problems: Vec<halden_domain::validate::FieldError> = empty
                        .iter()
                        .map(|(f, m)| {
                            halden_domain::validate::FieldError::new(f.as_str(), None, m.as_str())
                        })
                        .collect();
                    if let Err(ApiError::Invalid(more)) = parsed {
                        problems.extend(more.into_iter().filter(|e| {
                            let bare = e
                                .field
                                .trim_start_matches("identity.")
                                .trim_start_matches("admission.");
                            !empty.iter().any(|(f, _)| f == bare)
                                && !matches!(e.field.as_str(), "identity" | "admission")
                        }));
                    }
                    return Err(ApiError::Invalid(problems));
                }
                let (identity, admission) = parsed?;
                if let Some(halden_storage::facts::Fact::Movement(m)) = &admission {
                    api::check_admission_scope(&state, &caller, m.prison.as_deref()).await?;
                }
                let then: Vec<_> = admission.into_iter().collect();
                let actor = api::actor(&caller);
                Ok::<_, ApiError>(
                    state
                        .store
                        .register_person(&actor, &identity, &then, None)
                        .await?,
                )
            }
            .await;
            match outcome {
                Ok((person, _)) => {
                    return Redirect::to(&format!("/persons/{person}")).into_response();
                }
                Err(ApiError::Forbidden) => {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
                }
                Err(e) => errors = form_errors(&e),
            }
            form
        }
        None => AdmissionForm {
            citizenship: "NO".into(),
            languages: "nb".into(),
            ..AdmissionForm::default()
        },
    };
    let mut prisons = vec![(String::new(), "—".to_string())];
    prisons.extend(prison_options(&state, &caller).await);
    let mut interpreter = Field::new("interpreter_needed", t.interpreter, "checkbox", "", false);
    if form.interpreter_needed == "on" {
        interpreter.value = "on".into();
    }
    let mut basis_options = vec![(String::new(), "—".to_string())];
    basis_options.extend(options_of(&[
        "remand",
        "sentence",
        "preventive_detention",
        "fine_default",
    ]));
    let page = FormPage {
        c: chrome(&headers, Some(&caller), t.register_admission, here),
        heading: t.register_admission.into(),
        intro: String::new(),
        action: here.into(),
        multipart: false,
        fields: vec![
            Field::new(
                "identity_number",
                t.identity_number,
                "text",
                &form.identity_number,
                false,
            )
            .help("11 siffer / 11 digits"),
            Field::new(
                "temporary_id",
                t.temporary_id,
                "text",
                &form.temporary_id,
                false,
            ),
            Field::new(
                "family_name",
                t.family_name,
                "text",
                &form.family_name,
                true,
            ),
            Field::new(
                "given_names",
                t.given_names,
                "text",
                &form.given_names,
                true,
            ),
            Field::new("birth_date", t.birth_date, "date", &form.birth_date, true),
            Field::new("sex", t.sex, "select", &form.sex, true).options(options_of(&[
                "female",
                "male",
                "unspecified",
            ])),
            Field::new(
                "citizenship",
                t.citizenship,
                "text",
                &form.citizenship,
                true,
            )
            .help("ISO 3166, e.g. NO"),
            Field::new("languages", t.languages, "text", &form.languages, false)
                .help("ISO 639, e.g. nb, pl"),
            interpreter,
            Field::new(
                "home_municipality",
                t.home_municipality,
                "text",
                &form.home_municipality,
                false,
            ),
            Field::new("at", t.time, "datetime-local", &form.at, true),
            Field::new("prison", t.prison, "select", &form.prison, true).options(prisons),
            Field::new("basis", t.basis, "select", &form.basis, true).options(basis_options),
        ],
        errors: Vec::new(),
        hidden: vec![("csrf".into(), caller.csrf_token.clone())],
        submit: t.save.into(),
        done: String::new(),
    }
    .with_errors(errors.clone());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, render(&page)).into_response()
}

async fn import_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    import_page(state, headers, None).await
}

async fn import_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    import_page(state, headers, Some(multipart)).await
}

async fn import_page(
    state: AppState,
    headers: HeaderMap,
    submitted: Option<Multipart>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = "/import";
    let t = lang(&headers).texts();
    if caller.require(&[Role::Leader, Role::Placement]).is_err() {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
    }
    let mut errors = Vec::new();
    let mut done = String::new();
    if let Some(mut multipart) = submitted {
        let mut csrf = String::new();
        let mut file: Option<Bytes> = None;
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_string();
                    match field.bytes().await {
                        Ok(bytes) if name == "csrf" => {
                            csrf = String::from_utf8_lossy(&bytes).into_owned();
                        }
                        Ok(bytes) if name == "file" => file = Some(bytes),
                        Ok(_) => {}
                        Err(e) => {
                            errors.push(("file".to_string(), e.to_string()));
                            break;
                        }
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    errors.push(("file".to_string(), e.to_string()));
                    break;
                }
            }
        }
        if errors.is_empty() {
            let outcome = async {
                check_csrf(&caller, &csrf)?;
                let bytes = file
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| ApiError::invalid("file", "choose a court file"))?;
                let text = std::str::from_utf8(&bytes)
                    .map_err(|_| ApiError::invalid("file", "the file must be UTF-8 text"))?;
                api::import_text(&state, &caller, text).await
            }
            .await;
            match outcome {
                Ok(value) => {
                    let n = value
                        .get("imported")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    done = format!("{}: {n}", t.imported);
                }
                Err(ApiError::Forbidden) => {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
                }
                Err(e) => errors = form_errors(&e),
            }
        }
    }
    let page = FormPage {
        c: chrome(&headers, Some(&caller), t.import_judgments, here),
        heading: t.import_judgments.into(),
        intro: t.court_file_help.into(),
        action: here.into(),
        multipart: true,
        fields: vec![Field::new("file", t.court_file, "file", "", true)],
        errors: Vec::new(),
        hidden: vec![("csrf".into(), caller.csrf_token.clone())],
        submit: t.upload.into(),
        done,
    };
    // Problems name records and fields of the file; all are shown in the summary.
    let page = FormPage {
        errors: errors
            .iter()
            .map(|(f, m)| ("file".to_string(), format!("{f}: {m}")))
            .collect(),
        fields: page
            .fields
            .into_iter()
            .map(|mut f| {
                if !errors.is_empty() {
                    f.error = format!("{} problem(s)", errors.len());
                }
                f
            })
            .collect(),
        ..page
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, render(&page)).into_response()
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    c: Chrome,
    person: String,
    user: String,
    rows: Vec<halden_storage::AccessEntry>,
    users: Vec<(i64, String)>,
}

#[derive(Deserialize)]
struct AccessLogQuery {
    person: Option<String>,
    user: Option<String>,
}

async fn access_log_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<AccessLogQuery>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let t = lang(&headers).texts();
    if caller.role != Role::Admin {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, "/access-log");
    }
    let person = query.person.clone().unwrap_or_default();
    let user = query.user.clone().unwrap_or_default();
    let person_id = person.trim().parse::<i64>().ok();
    let user_id = user.trim().parse::<i64>().ok();
    let rows = if person_id.is_some() || user_id.is_some() {
        match state
            .store
            .access_log(AccessQuery {
                person: person_id,
                user: user_id,
                limit: 500,
            })
            .await
        {
            Ok(rows) => rows,
            Err(e) => return refusal(&headers, Some(&caller), e.into(), "/access-log"),
        }
    } else {
        Vec::new()
    };
    let users = state
        .store
        .users()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| (u.id, format!("{} ({})", u.username, u.role)))
        .collect();
    let page = AccessLogPage {
        c: chrome(&headers, Some(&caller), t.access_log, "/access-log"),
        person,
        user,
        rows,
        users,
    };
    render(&page)
}
