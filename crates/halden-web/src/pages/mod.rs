//! The server-rendered pages: sign-in, a home page per role, the roll, the person page and the
//! forms (admission, each kind of entry, correction, court-file import), in bokmål with English
//! switchable.
//!
//! Every form goes through [`form`]: labels, help, an error summary naming and linking each field,
//! every value kept on a failed submit, and the session's CSRF token.

mod accounts;
mod capacity;
mod decisions;
pub(crate) mod electronic_monitoring;
mod entry;
mod form;
pub(crate) mod parole;
mod person;
mod presentence;
pub(crate) mod probation;
pub(crate) mod programme;
mod queue;
mod simulation;
mod statistics;
pub(crate) mod youth;

use askama::Template;
use axum::{
    Form, Router,
    body::Bytes,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use halden_storage::{AccessQuery, PersonRow, SessionKind, projection::next_key_date};
use serde::Deserialize;
use serde_json::{Map, Value};

pub use entry::{ENTRY_FORMS, EntryForm};
pub use form::{Field, FormPage, Message, Problem, SummaryItem, Values};

use crate::{
    AppState,
    access::{Caller, Role},
    api,
    auth::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE, same_token, sign_in, web_caller},
    error::ApiError,
    i18n::{Lang, Texts, Vocab},
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
        .route("/persons/{id}", get(person::person_page))
        .merge(entry::routes())
        .merge(accounts::routes())
        .merge(decisions::routes())
        // Pre-sentence reports (issue 6, item 2).
        .merge(presentence::routes())
        .route("/queue", get(queue::queue_page))
        .route("/capacity", get(capacity::capacity_page))
        // Official statistics (issue 7): analysts' reports and exports; the public published set.
        .route("/statistics", get(statistics::statistics_page))
        .route("/statistics/public", get(statistics::public_page))
        .route("/statistics/export/{report}", get(statistics::export))
        // The population simulator (issue 7).
        .route(
            "/simulation",
            get(simulation::form_page).post(simulation::submit),
        )
        .route("/simulation/runs/{id}", get(simulation::run_page))
        .route(
            "/simulation/runs/{id}/progress",
            get(simulation::progress_fragment),
        )
        .route(
            "/admissions/new",
            get(admission_form).post(admission_submit),
        )
        .route("/import", get(import_form).post(import_submit))
        .route("/access-log", get(access_log_page))
        .route("/static/halden.css", get(stylesheet))
        .route("/static/halden.js", get(script))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/favicon.svg", get(favicon))
        // Browsers ask for /favicon.ico on pages that do not link an icon (e.g. raw JSON).
        .route("/favicon.ico", get(favicon))
}

const STYLESHEET: &str = include_str!("../../static/halden.css");
const SCRIPT: &str = include_str!("../../static/halden.js");
const FAVICON: &str = include_str!("../../static/favicon.svg");
const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));

/// A static asset, cached for an hour.
fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET.as_bytes())
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT.as_bytes())
}

async fn htmx() -> Response {
    asset("text/javascript; charset=utf-8", HTMX)
}

async fn favicon() -> Response {
    asset("image/svg+xml", FAVICON.as_bytes())
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
    /// The signed-in user's display name and role, in words.
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
            Role::Placement => {
                nav.push(("/roll".into(), t.persons));
                nav.push(("/queue".into(), t.queue));
                nav.push(("/presentence".into(), presentence::words(lang).nav));
            }
            Role::Probation => {
                nav.push(("/caseload".into(), t.caseload));
                nav.push(("/probation".into(), probation::words(lang).nav));
                nav.push(("/presentence".into(), presentence::words(lang).nav));
            }
            _ => {}
        }
        if caller.require_statistics().is_ok() {
            nav.push(("/statistics".into(), statistics::words(lang).nav));
        }
        if caller.capacity_scope().is_ok() {
            nav.push(("/capacity".into(), capacity::words(lang).nav));
        }
        if crate::simulation::ROLES.contains(&caller.role) {
            nav.push(("/simulation".into(), simulation::words(lang).nav));
        }
        if matches!(caller.role, Role::Officer | Role::Leader | Role::Placement) {
            nav.push(("/admissions/new".into(), t.register_admission));
        }
        if matches!(caller.role, Role::Leader | Role::Placement) {
            nav.push(("/import".into(), t.import_judgments));
        }
        let w = decisions::words(lang);
        match caller.role {
            Role::Leader | Role::Placement => nav.push(("/in-tray".into(), w.in_tray)),
            Role::Prisoner => {
                if let Some(id) = caller.user.person_id {
                    nav.push((format!("/persons/{id}/decisions"), w.my_applications));
                }
            }
            _ => {}
        }
        if matches!(caller.role, Role::Leader | Role::Placement | Role::Admin) {
            nav.push(("/legal-grounds".into(), w.legal_grounds));
        }
        if caller.role == Role::Admin {
            nav.push(("/accounts".into(), t.accounts));
            nav.push(("/access-log".into(), t.access_log));
        }
    }
    Chrome {
        t,
        lang: lang.code(),
        title: title.to_string(),
        user: caller.map(|c| {
            (
                c.user.display_name.clone(),
                lang.value(Vocab::Role, c.role.as_str()),
            )
        }),
        csrf: caller.map(|c| c.csrf_token.clone()).unwrap_or_default(),
        nav,
        switch_href: format!("/lang/{}?back={}", t.other_language_code, url_encode(here)),
    }
}

#[cfg(test)]
fn chrome_for_tests() -> Chrome {
    chrome(&HeaderMap::new(), None, "test", "/")
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

/// A stored instant (RFC 3339, UTC) as Norwegian local time, `2025-06-01 14:05`.
fn local_time(stored: &str) -> String {
    stored
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(|ts| ts.in_tz("Europe/Oslo").ok())
        .map(|z| z.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| stored.to_string())
}

/// A page-level refusal, or the break-glass form.
#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    heading: String,
    message: String,
    break_glass_for: Option<i64>,
    summary: Vec<SummaryItem>,
    purpose: String,
    purpose_error: String,
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
        summary: Vec::new(),
        purpose: String::new(),
        purpose_error: String::new(),
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

/// Sets the sign-in form's CSRF cookie (double submit: the form carries the same token).
fn with_login_csrf(mut response: Response, csrf: &str) -> Response {
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// The sign-in form with `problems`, and a fresh CSRF token.
fn login_page(headers: &HeaderMap, demo: bool, username: &str, problems: Vec<Problem>) -> Response {
    let Ok(csrf) = auth::random_token() else {
        return refusal(
            headers,
            None,
            ApiError::Internal("randomness".into()),
            "/login",
        );
    };
    let t = lang(headers).texts();
    let fields = vec![
        Field::new("username", t.username, "text", username, true).autocomplete("username"),
        Field::new("password", t.password, "password", "", true).autocomplete("current-password"),
    ];
    let mut page = FormPage::new(
        chrome(headers, None, t.sign_in, "/login"),
        t.sign_in,
        "/login",
        fields,
    );
    page.hidden = vec![("csrf".into(), csrf.clone())];
    page.submit = t.sign_in.into();
    if demo {
        page.note = format!(
            "{}: officer, contact, leader, placement, probation, health, prisoner, analyst, admin",
            t.demo_accounts
        );
    }
    with_login_csrf(page.with_problems(problems).respond(), &csrf)
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_page(&headers, state.demo, "", Vec::new())
}

async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Values>,
) -> Response {
    let t = lang(&headers).texts();
    let (username, password) = (form.get("username"), form.get("password"));
    let cookie_token = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let mut problems = Vec::new();
    if cookie_token.is_empty() || !same_token(cookie_token, form.get("csrf")) {
        problems.push(Problem::new("", t.form_expired));
    }
    if username.trim().is_empty() {
        problems.push(Problem::new("username", t.is_required));
    }
    if password.is_empty() {
        problems.push(Problem::new("password", t.is_required));
    }
    if problems.is_empty() {
        match sign_in(&state.store, username, password, SessionKind::Web).await {
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
            // Which of the two was wrong is not told; the problem is placed on the password.
            Err(ApiError::Invalid(_)) => {
                problems.push(Problem::new("password", t.wrong_credentials));
            }
            Err(e) => return refusal(&headers, None, e, "/login"),
        }
    }
    login_page(&headers, state.demo, username, problems)
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Values>,
) -> Response {
    if let Ok(Some(caller)) = web_caller(&state.store, &headers).await
        && check_csrf(&caller, form.get("csrf")).is_ok()
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
    /// Status, in words.
    pub status: String,
    /// Prison.
    pub prison: String,
    /// Security level, in words.
    pub level: String,
    /// Next key date, `date (name)`.
    pub next: String,
    /// The interpreter the person needs, in words (empty when none): shown wherever the person
    /// is met (BRIEF §3.7).
    pub interpreter: String,
}

fn person_line(
    p: &PersonRow,
    today: jiff::civil::Date,
    restricted: bool,
    lang: Lang,
) -> PersonLine {
    let next = if restricted {
        p.end_of_sentence.clone().unwrap_or_default()
    } else {
        p.key_dates
            .as_deref()
            .and_then(|k| next_key_date(k, today))
            .map(|(name, date)| format!("{date} ({})", lang.value(Vocab::KeyDate, &name)))
            .unwrap_or_default()
    };
    PersonLine {
        id: p.id,
        name: p.display_name(),
        status: lang.value(Vocab::Status, &p.status),
        prison: p.prison_id.clone().unwrap_or_default(),
        level: if restricted {
            String::new()
        } else {
            p.security_level
                .as_deref()
                .map(|l| lang.value(Vocab::Level, l))
                .unwrap_or_default()
        },
        next,
        interpreter: person::interpreter_note(p, lang),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    intro: String,
    counts: Vec<(String, i64)>,
    /// The leader's: (person id, name, what, date, rule) falling due in seven days.
    reviews: Option<Vec<ReviewRow>>,
    /// The leader's: (person id, name, date) of forvaring extension deadlines to come (R-FORV-2).
    forvaring: Vec<(i64, String, String)>,
    /// The leader's: (contact officer, residents assigned) in the unit.
    caseloads: Vec<(String, usize)>,
    /// The leader's: residents with no contact officer (new, or transferred in), (id, name).
    unassigned: Vec<(i64, String)>,
    dates: Vec<person::DateLine>,
    own_record: Option<i64>,
    readers: Option<Vec<person::ReaderLine>>,
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
        reviews: None,
        forvaring: Vec::new(),
        caseloads: Vec::new(),
        unassigned: Vec::new(),
        dates: Vec::new(),
        own_record: None,
        readers: None,
    };
    let result: Result<(), ApiError> = async {
        match caller.role {
            Role::Officer | Role::Contact | Role::Leader | Role::Health => {
                page.intro = format!("{}: {}", t.unit, caller.scope().unwrap_or_default());
                page.counts = counts(&state, caller.scope(), lang).await?;
            }
            _ => {}
        }
        if caller.role == Role::Leader {
            let lists = leader_lists(&state, &caller, lang).await?;
            page.reviews = Some(lists.reviews);
            page.forvaring = lists.forvaring;
            page.caseloads = lists.caseloads;
            page.unassigned = lists.unassigned;
        }
        match caller.role {
            Role::Officer | Role::Contact | Role::Leader | Role::Health => {}
            Role::Placement | Role::Analyst => {
                page.intro = if caller.role == Role::Analyst {
                    t.analyst_home.to_string()
                } else {
                    t.persons.to_string()
                };
                page.counts = counts(&state, None, lang).await?;
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
                    page.dates = person::date_lines(person.dates_json.as_deref(), lang);
                    page.own_record = Some(id);
                    page.readers = Some(person::readers(&state, id, lang).await?);
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

/// A review falling due: (person id, name, step, date, key date in words).
type ReviewRow = (i64, String, String, String, String);

/// What a prison leader's home page lists for the unit.
struct LeaderLists {
    reviews: Vec<ReviewRow>,
    forvaring: Vec<(i64, String, String)>,
    caseloads: Vec<(String, usize)>,
    unassigned: Vec<(i64, String)>,
}

/// What falls due for a leader's unit: the progression steps of the next seven days (BRIEF §1:
/// "reviews fall due automatically"), the forvaring extension deadlines to come (R-FORV-2), and
/// the contact officers' caseloads with the residents who have none (issue 5, item 8).
async fn leader_lists(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
) -> Result<LeaderLists, ApiError> {
    let today = state.today();
    let mut filter = api::scope_filter(caller, today)?;
    filter.limit = 1000;
    let rows = state.store.persons(&filter).await?;
    let mut reviews = Vec::new();
    let mut forvaring = Vec::new();
    let mut caseloads: std::collections::BTreeMap<String, usize> = Default::default();
    let mut unassigned = Vec::new();
    let users = state.store.users().await?;
    let display = |username: &str| {
        users.iter().find(|u| u.username == username).map_or_else(
            || username.to_string(),
            |u| format!("{} ({username})", u.display_name),
        )
    };
    for p in &rows {
        match &p.contact_officer {
            Some(officer) => *caseloads.entry(display(officer)).or_default() += 1,
            None => unassigned.push((p.id, p.display_name())),
        }
        for due in crate::progression::due_this_week(p, today) {
            let (en, nb) = due.step.label();
            reviews.push((
                p.id,
                p.display_name(),
                (if lang == Lang::Nb { nb } else { en }).to_string(),
                due.date.to_string(),
                lang.value(Vocab::KeyDate, due.key.as_str()),
            ));
        }
        if let Some(deadline) = p
            .key_dates
            .as_deref()
            .and_then(|k| {
                halden_storage::projection::next_key_date_named(k, "forvaring_extension_deadline")
            })
            .filter(|d| *d >= today)
        {
            forvaring.push((p.id, p.display_name(), deadline.to_string()));
        }
    }
    reviews.sort_by(|a, b| a.3.cmp(&b.3).then_with(|| a.1.cmp(&b.1)));
    forvaring.sort_by(|a, b| a.2.cmp(&b.2));
    Ok(LeaderLists {
        reviews,
        forvaring,
        caseloads: caseloads.into_iter().collect(),
        unassigned,
    })
}

async fn counts(
    state: &AppState,
    unit: Option<&str>,
    lang: Lang,
) -> Result<Vec<(String, i64)>, ApiError> {
    Ok(state
        .store
        .status_counts(unit)
        .await?
        .into_iter()
        .map(|c| (lang.value(Vocab::Status, &c.status), c.count))
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
    let lang = lang(&headers);
    let t = lang.texts();
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
            .map(|p| person_line(p, today, restricted, lang))
            .collect(),
    };
    render(&page)
}

/// The prisons a caller may choose: unit staff their own unit's, others every prison.
async fn prison_options(state: &AppState, caller: &Caller, lang: Lang) -> Vec<(String, String)> {
    let prisons = state.store.prisons().await.unwrap_or_default();
    prisons
        .into_iter()
        .filter(|p| !caller.role.is_unit_staff() || Some(p.unit.as_str()) == caller.scope())
        .map(|p| {
            let level = lang.value(Vocab::Level, &p.security_level);
            (p.id.clone(), format!("{} ({level})", p.name))
        })
        .collect()
}

/// A payload object from the form's values for `keys`.
///
/// An empty optional value is left out. An empty required one (already named by
/// [`form::required_problems`]) is sent empty when it is text, so that the rules still check the
/// other fields, and left out when it is a date, which the payload cannot hold empty.
fn payload(values: &Values, fields: &[Field], keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|key| {
            let value = values.get(key).trim();
            let send_empty = fields.iter().any(|f| {
                f.name == *key
                    && f.required
                    && matches!(f.kind, "text" | "textarea" | "select" | "radio")
            });
            (!value.is_empty() || send_empty)
                .then(|| (key.to_string(), Value::String(value.to_string())))
        })
        .collect()
}

const ADMISSION_KEYS: [&str; 15] = [
    "identity_number",
    "temporary_id",
    "family_name",
    "given_names",
    "birth_date",
    "sex",
    "citizenship",
    "languages",
    "interpreter_needed",
    "home_municipality",
    "at",
    "prison",
    "basis",
    "capacity_override",
    "youth_exception",
];

fn admission_fields(
    t: &Texts,
    lang: Lang,
    values: &Values,
    prisons: Vec<(String, String)>,
) -> Vec<Field> {
    let v = |k| values.get(k);
    vec![
        Field::new(
            "identity_number",
            t.identity_number,
            "text",
            v("identity_number"),
            false,
        )
        .help(t.identity_number_help),
        Field::new(
            "temporary_id",
            t.temporary_id,
            "text",
            v("temporary_id"),
            false,
        )
        .help(t.temporary_id_help),
        Field::new("family_name", t.family_name, "text", v("family_name"), true),
        Field::new("given_names", t.given_names, "text", v("given_names"), true),
        Field::new("birth_date", t.birth_date, "date", v("birth_date"), true),
        Field::new("sex", t.sex, "select", v("sex"), true)
            .choose_from(lang.options(Vocab::Sex, &halden_storage::facts::SEXES)),
        Field::new("citizenship", t.citizenship, "text", v("citizenship"), true)
            .help(t.citizenship_help),
        Field::new("languages", t.languages, "text", v("languages"), false).help(t.languages_help),
        Field::new(
            "interpreter_needed",
            t.interpreter,
            "checkbox",
            if values.on("interpreter_needed") {
                "on"
            } else {
                ""
            },
            false,
        ),
        Field::new(
            "home_municipality",
            t.home_municipality,
            "text",
            v("home_municipality"),
            false,
        ),
        Field::new("at", t.time, "datetime-local", v("at"), true).help(t.time_help),
        Field::new("prison", t.prison, "select", v("prison"), true).choose_from(prisons),
        Field::new("basis", t.basis, "select", v("basis"), true).choose_from(lang.options(
            Vocab::Basis,
            &halden_domain::register::CustodyBasis::ALL.map(|b| b.as_str()),
        )),
        Field::new(
            "capacity_override",
            t.capacity_override,
            "textarea",
            v("capacity_override"),
            false,
        )
        .help(t.capacity_override_help),
        Field::new(
            "youth_exception",
            t.youth_exception,
            "textarea",
            v("youth_exception"),
            false,
        )
        .help(t.youth_exception_help),
    ]
}

/// The registration request an admission form makes.
fn admission_request(values: &Values, fields: &[Field]) -> Value {
    let mut identity = payload(values, fields, &ADMISSION_KEYS[..10]);
    identity.insert(
        "languages".into(),
        Value::Array(
            values
                .get("languages")
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
    );
    identity.insert(
        "interpreter_needed".into(),
        Value::Bool(values.on("interpreter_needed")),
    );
    let mut admission = payload(values, fields, &ADMISSION_KEYS[10..]);
    admission.insert("movement".into(), Value::String("admission".into()));
    serde_json::json!({"identity": identity, "admission": admission})
}

async fn admission_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    admission_page(state, headers, None).await
}

async fn admission_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Values>,
) -> Response {
    admission_page(state, headers, Some(form)).await
}

async fn admission_page(
    state: AppState,
    headers: HeaderMap,
    submitted: Option<Values>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = "/admissions/new";
    let lang = lang(&headers);
    let t = lang.texts();
    if caller
        .require(&[Role::Officer, Role::Leader, Role::Placement])
        .is_err()
    {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
    }
    let prisons = prison_options(&state, &caller, lang).await;
    let mut problems = Vec::new();
    let values = match submitted {
        None => Values::of(&[("citizenship", "NO"), ("languages", "nb")]),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
            }
            let fields = admission_fields(t, lang, &values, prisons.clone());
            // Every required field left empty is named, then every other problem the rules find.
            problems = form::required_problems(&fields, t);
            let request = admission_request(&values, &fields);
            let outcome = match api::registration(&request) {
                Err(e) => Err(e),
                Ok(_) if !problems.is_empty() => Ok(None),
                Ok((identity, admission)) => {
                    let registered = async {
                        if let Some(halden_storage::facts::Fact::Movement(m)) = &admission {
                            api::check_admission_scope(&state, &caller, m.prison.as_deref())
                                .await?;
                            api::check_youth_unit(&state, identity.birth_date, m, "admission")
                                .await?;
                        }
                        let then: Vec<_> = admission.into_iter().collect();
                        Ok::<_, ApiError>(
                            state
                                .store
                                .register_person(&api::actor(&caller), &identity, &then, None)
                                .await?,
                        )
                    };
                    registered.await.map(Some)
                }
            };
            match outcome {
                Ok(Some((person, _))) => {
                    return Redirect::to(&format!("/persons/{person}")).into_response();
                }
                Ok(None) => {}
                Err(ApiError::Forbidden) => {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
                }
                Err(e) => {
                    // The envelope's own fields (`identity`, `admission`) are the form itself.
                    let more = form::problems(&e, lang)
                        .into_iter()
                        .filter(|p| !matches!(p.field.as_str(), "identity" | "admission"))
                        .collect();
                    form::merge(&mut problems, more, &fields);
                }
            }
            values
        }
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), t.register_admission, here),
        t.register_admission,
        here,
        admission_fields(t, lang, &values, prisons),
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = t.save.into();
    page.with_problems(problems).respond()
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

/// The CSRF token and the file of an upload.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Option<Bytes>), ()> {
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|_| ())?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = Some(bytes),
            _ => {}
        }
    }
    Ok((csrf, file))
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
    let lang = lang(&headers);
    let t = lang.texts();
    if caller.require(&[Role::Leader, Role::Placement]).is_err() {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
    }
    let mut problems = Vec::new();
    let mut done = String::new();
    if let Some(multipart) = submitted {
        match read_upload(multipart).await {
            Err(()) => problems.push(Problem::new("file", t.file_not_read)),
            Ok((csrf, file)) => {
                if check_csrf(&caller, &csrf).is_err() {
                    return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
                }
                match file.filter(|b| !b.is_empty()) {
                    None => problems.push(Problem::new("file", t.choose_file)),
                    Some(bytes) => match std::str::from_utf8(&bytes) {
                        Err(_) => problems.push(Problem::new("file", t.file_not_utf8)),
                        Ok(text) if text.trim().is_empty() => {
                            problems.push(Problem::new("file", t.choose_file));
                        }
                        Ok(text) => match api::import_text(&state, &caller, text).await {
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
                            // The problems name records and fields of the file, not of the form:
                            // each is listed under its path, and the file field says where to look.
                            Err(e) => problems = file_problems(form::problems(&e, lang), t),
                        },
                    },
                }
            }
        }
    }
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), t.import_judgments, here),
        t.import_judgments,
        here,
        vec![Field::new("file", t.court_file, "file", "", true)],
    );
    page.intro = t.court_file_help.into();
    page.multipart = true;
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = t.upload.into();
    page.done = done;
    page.with_problems(problems).respond()
}

/// A court file's problems: each in the summary under its path in the file, plus one on the file
/// field itself saying how many there are.
fn file_problems(found: Vec<Problem>, t: &Texts) -> Vec<Problem> {
    if found.iter().all(|p| p.field == "file") {
        return found;
    }
    let count = Problem::new("file", format!("{} {}", found.len(), t.problems_in_file));
    // Listed under its path, linked to the file field: a path the form does not show.
    std::iter::once(count)
        .chain(found.into_iter().map(|p| Problem {
            field: if p.field.is_empty() || p.field == "$" {
                "file".into()
            } else {
                p.field
            },
            ..p
        }))
        .collect()
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    c: Chrome,
    person: String,
    user: String,
    rows: Vec<AccessLine>,
    users: Vec<(i64, String)>,
}

/// One read in the access log, in words.
struct AccessLine {
    at: String,
    username: String,
    role: String,
    person_id: i64,
    view: String,
    break_glass: bool,
    purpose: String,
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
    let lang = lang(&headers);
    let t = lang.texts();
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
        .map(|u| {
            (
                u.id,
                format!("{} ({})", u.username, lang.value(Vocab::Role, &u.role)),
            )
        })
        .collect();
    let page = AccessLogPage {
        c: chrome(&headers, Some(&caller), t.access_log, "/access-log"),
        person,
        user,
        rows: rows
            .into_iter()
            .map(|r| AccessLine {
                at: local_time(&r.at),
                break_glass: r.is_break_glass(),
                role: lang.value(Vocab::Role, &r.role),
                view: lang.value(Vocab::View, &r.view),
                username: r.username,
                person_id: r.person_id,
                purpose: r.purpose.unwrap_or_default(),
            })
            .collect(),
        users,
    };
    render(&page)
}
