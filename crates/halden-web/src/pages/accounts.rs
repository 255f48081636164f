//! The administrator's account pages: every account with its role, scope and status; a form to
//! create one; disabling and enabling with a reason; and the log of every change. The checks are
//! the API's (`crate::accounts::validate`, `Store::create_account`, `Store::set_account_disabled`).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_storage::User;

use super::{
    Chrome, Field, FormPage, Values, check_csrf, chrome, form, lang, local_time, refusal, render,
    signed_in,
};
use crate::{
    AppState,
    access::{Caller, Role},
    accounts::{AccountRequest, validate},
    api,
    error::ApiError,
    i18n::{Lang, Vocab},
};

/// The account pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list))
        .route("/accounts/new", get(new_form).post(new_submit))
        .route(
            "/accounts/{id}/disable",
            get(disable_form).post(disable_submit),
        )
        .route(
            "/accounts/{id}/enable",
            get(enable_form).post(enable_submit),
        )
}

/// One account in the list.
pub struct AccountLine {
    username: String,
    name: String,
    role: String,
    scope: String,
    status: String,
    disabled: bool,
    action: &'static str,
    action_href: String,
}

/// One change in the log.
pub struct ChangeLine {
    at: String,
    by: String,
    username: String,
    action: &'static str,
    detail: String,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    c: Chrome,
    rows: Vec<AccountLine>,
    changes: Vec<ChangeLine>,
}

fn action_words(lang: Lang, action: &str) -> &'static str {
    match (lang, action) {
        (Lang::Nb, "created") => "opprettet",
        (Lang::Nb, "disabled") => "sperret",
        (Lang::Nb, "enabled") => "åpnet",
        (_, "created") => "created",
        (_, "disabled") => "disabled",
        (_, "enabled") => "enabled",
        _ => "—",
    }
}

/// The signed-in administrator, or the refusal to send.
async fn administrator(
    state: &AppState,
    headers: &HeaderMap,
    here: &str,
) -> Result<Caller, Response> {
    let caller = signed_in(state, headers).await?;
    if caller.role != Role::Admin {
        return Err(refusal(headers, Some(&caller), ApiError::Forbidden, here));
    }
    Ok(caller)
}

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/accounts";
    let caller = match administrator(&state, &headers, here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let (users, changes) = match (
        state.store.users().await,
        state.store.account_log(None, 50).await,
    ) {
        (Ok(users), Ok(changes)) => (users, changes),
        (Err(e), _) | (_, Err(e)) => return refusal(&headers, Some(&caller), e.into(), here),
    };
    let rows = users
        .iter()
        .map(|u| {
            let (status, action, href) = match &u.disabled_at {
                Some(at) => (
                    format!("{} {}", t.account_disabled, local_time(at)),
                    t.enable_account,
                    format!("/accounts/{}/enable", u.id),
                ),
                None => (
                    t.account_active.to_string(),
                    t.disable_account,
                    // Nobody disables their own account.
                    if u.id == caller.user.id {
                        String::new()
                    } else {
                        format!("/accounts/{}/disable", u.id)
                    },
                ),
            };
            AccountLine {
                username: u.username.clone(),
                name: u.display_name.clone(),
                role: lang.value(Vocab::Role, &u.role),
                scope: u.scope_id.clone().unwrap_or_default(),
                status,
                disabled: u.is_disabled(),
                action,
                action_href: href,
            }
        })
        .collect();
    let changes = changes
        .into_iter()
        .map(|ch| ChangeLine {
            at: local_time(&ch.at),
            by: ch.by_username,
            username: ch.username,
            action: action_words(lang, &ch.action),
            detail: ch.detail,
        })
        .collect();
    render(&AccountsPage {
        c: chrome(&headers, Some(&caller), t.accounts, here),
        rows,
        changes,
    })
}

async fn scope_options(state: &AppState, lang: Lang) -> Vec<(String, String)> {
    let t = lang.texts();
    let mut options = vec![(String::new(), "—".to_string())];
    let mut units: Vec<String> = state
        .store
        .prisons()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.unit)
        .collect();
    units.sort();
    units.dedup();
    options.extend(
        units
            .into_iter()
            .map(|u| (u.clone(), format!("{}: {u}", t.unit_prefix))),
    );
    options.extend(
        state
            .store
            .probation_offices()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|o| (o.id.clone(), format!("{} ({})", o.office, o.id))),
    );
    options
}

/// The account form's fields holding `v`; the password only for checking (`with_password`),
/// never in a page sent back.
fn account_fields(
    lang: Lang,
    v: &Values,
    scopes: Vec<(String, String)>,
    with_password: bool,
) -> Vec<Field> {
    let t = lang.texts();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    vec![
        Field::new("username", t.username, "text", v.get("username"), true).autocomplete("off"),
        Field::new(
            "display_name",
            t.display_name,
            "text",
            v.get("display_name"),
            true,
        ),
        Field::new(
            "password",
            t.first_password,
            "password",
            if with_password { v.get("password") } else { "" },
            true,
        )
        .autocomplete("new-password")
        .help(t.first_password_help),
        Field::new("role", t.role, "select", v.get("role"), true)
            .choose_from(lang.options(Vocab::Role, &roles)),
        Field::new("scope", t.scope, "select", v.get("scope"), false)
            .options(scopes)
            .help(t.scope_help),
        Field::new("person_id", t.person_id, "text", v.get("person_id"), false)
            .help(t.person_id_help),
    ]
}

async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    new_page(state, headers, None).await
}

async fn new_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(values): Form<Values>,
) -> Response {
    new_page(state, headers, Some(values)).await
}

async fn new_page(state: AppState, headers: HeaderMap, submitted: Option<Values>) -> Response {
    let here = "/accounts/new";
    let caller = match administrator(&state, &headers, here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let scopes = scope_options(&state, lang).await;
    let mut problems = Vec::new();
    let values = match submitted {
        None => Values::default(),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, here);
            }
            let fields = account_fields(lang, &values, Vec::new(), true);
            problems = form::required_problems(&fields, t);
            let person_id = values.get("person_id").trim();
            let person = if person_id.is_empty() {
                None
            } else {
                match person_id.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        problems.extend(form::problems(
                            &ApiError::invalid_bilingual(
                                "person_id",
                                "must be a whole number",
                                "må være et heltall",
                            ),
                            lang,
                        ));
                        None
                    }
                }
            };
            if problems.is_empty() {
                let request = AccountRequest {
                    username: values.get("username").to_string(),
                    display_name: values.get("display_name").to_string(),
                    password: values.get("password").to_string(),
                    role: values.get("role").to_string(),
                    scope: Some(values.get("scope").to_string()),
                    person_id: person,
                };
                let created = match validate(&state, &request).await {
                    Ok(user) => state
                        .store
                        .create_account(&api::actor(&caller), &user, None)
                        .await
                        .map_err(ApiError::from),
                    Err(e) => Err(e),
                };
                match created {
                    Ok(_) => return Redirect::to("/accounts").into_response(),
                    Err(e) => problems = form::problems(&e, lang),
                }
            }
            values
        }
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), t.new_account, here),
        t.new_account,
        here,
        account_fields(lang, &values, scopes, false),
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = t.create.into();
    page.with_problems(problems).respond()
}

async fn disable_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    status_page(state, headers, id, true, None).await
}

async fn disable_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    status_page(state, headers, id, true, Some(values)).await
}

async fn enable_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    status_page(state, headers, id, false, None).await
}

async fn enable_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    status_page(state, headers, id, false, Some(values)).await
}

/// Disabling (`disable`) or enabling an account, with the reason.
async fn status_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    disable: bool,
    submitted: Option<Values>,
) -> Response {
    let verb = if disable { "disable" } else { "enable" };
    let here = format!("/accounts/{id}/{verb}");
    let caller = match administrator(&state, &headers, &here).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lang = lang(&headers);
    let t = lang.texts();
    let account: User = match id.parse::<i64>() {
        Ok(id) => match state.store.user(id).await {
            Ok(Some(user)) => user,
            Ok(None) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
        Err(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
    };
    let heading = if disable {
        t.disable_account
    } else {
        t.enable_account
    };
    let fields = |v: &Values| {
        vec![
            Field::new("reason", t.reason, "textarea", v.get("reason"), true)
                .help(t.account_reason_help),
        ]
    };
    let mut problems = Vec::new();
    let values = match submitted {
        None => Values::default(),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            problems = form::required_problems(&fields(&values), t);
            if problems.is_empty() {
                let outcome = state
                    .store
                    .set_account_disabled(
                        &api::actor(&caller),
                        account.id,
                        disable,
                        values.get("reason"),
                    )
                    .await;
                match outcome.map_err(ApiError::from) {
                    Ok(_) => return Redirect::to("/accounts").into_response(),
                    Err(e) => problems = form::problems(&e, lang),
                }
            }
            values
        }
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), heading, &here),
        &format!("{heading}: {}", account.username),
        &here,
        fields(&values),
    );
    page.intro = format!(
        "{} ({}, {})",
        account.display_name,
        lang.value(Vocab::Role, &account.role),
        account.scope_id.as_deref().unwrap_or("—")
    );
    page.hidden = vec![("csrf".into(), caller.csrf_token.clone())];
    page.submit = heading.into();
    page.with_problems(problems).respond()
}
