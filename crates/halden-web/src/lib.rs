//! Halden's web application and JSON API.
//!
//! - [`access`]: roles and scopes; every route asks it.
//! - [`auth`]: passwords, sessions, tokens, CSRF.
//! - `accounts`: administering accounts (API), with the account log.
//! - [`api`]: `/api/v1`, JSON, bearer tokens, idempotency keys, versions.
//! - [`pages`]: the server-rendered pages (askama templates, bokmål and English).
//! - [`import`]: court files (JSON, CSV).
//! - [`demo`]: the demo estate, population and accounts.
//! - `electronic_monitoring`: EM home detention and its revocation back to prison (issue 6).
//! - `probation`: probation offices, caseloads and community sentences (issue 6).
//! - `parole`: parole supervision: conditions, reporting, missed reports, breaches (issue 6).
//! - `programme`: the programme against intoxicated driving (R-PROG-1; issue 6, item 6).
//! - `presentence`: pre-sentence reports requested by courts (issue 6, item 2).
//! - `youth`: the youth sentence at the mediation service's boundary (issue 6, item 8).
//! - [`openapi`]: the API's OpenAPI document.
//! - [`simulation`]: the population simulator's runs (background, progress, fan charts).

pub mod access;
mod accounts;
pub mod api;
pub mod auth;
mod capacity;
pub mod charts;
mod decisions;
pub mod demo;
mod electronic_monitoring;
pub mod error;
pub mod i18n;
pub mod import;
pub mod openapi;
pub mod pages;
mod parole;
pub mod placement_advice;
mod presentence;
mod probation;
mod programme;
pub mod progression;
mod queue;
pub mod simulation;
mod statistics;
mod youth;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use halden_storage::Store;
use jiff::civil::Date;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Demo mode (demo accounts exist).
    pub demo: bool,
    /// A fixed "today" for tests; `None` is today in Europe/Oslo.
    pub today_override: Option<Date>,
}

impl AppState {
    /// A state on `store`.
    pub fn new(store: Store, demo: bool) -> AppState {
        AppState {
            store,
            demo,
            today_override: None,
        }
    }

    /// Today, in Europe/Oslo.
    pub fn today(&self) -> Date {
        self.today_override
            .unwrap_or_else(halden_storage::today_in_oslo)
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .merge(api::routes())
        .merge(decisions::routes())
        .merge(queue::routes())
        .merge(progression::routes())
        .merge(capacity::routes())
        // The population simulator (issue 7).
        .merge(simulation::routes())
        // Probation offices and community sentences (issue 6): API and pages.
        .merge(probation::routes())
        .merge(pages::probation::routes())
        // Parole supervision (issue 6, item 5): API and pages.
        .merge(parole::routes())
        .merge(pages::parole::routes())
        .merge(programme::routes())
        .merge(pages::programme::routes())
        // EM home detention (issue 6, item 4): API and pages.
        .merge(electronic_monitoring::routes())
        .merge(pages::electronic_monitoring::routes())
        // Pre-sentence reports (issue 6, item 2): the API.
        .merge(presentence::routes())
        // The youth sentence at the mediation service's boundary (issue 6, item 8).
        .merge(youth::routes())
        .merge(pages::youth::routes())
        .merge(accounts::routes())
        // Official statistics (issue 7): analysts' reports and the public published set.
        .merge(statistics::routes())
        .merge(pages::routes())
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok"}))
}

/// Strict security headers on every answer (BRIEF §4): no framing, no sniffing, no referrer,
/// scripts and styles only from Halden itself.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let pairs = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    for (name, value) in pairs {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Serves the application on `listener` until Ctrl-C or SIGTERM.
///
/// # Errors
///
/// The listener fails.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
