//! Official statistics (issue 7) from the live register: the reports of `halden-stats` as JSON
//! and CSV under `/api/v1/statistics/…` for analysts, and the published set (no sign-in) at
//! `/api/v1/statistics/public`. The pages (`pages::statistics`) show the same reports.
//!
//! Aggregates only: the register is read into anonymous episodes (persons become indices) and
//! every output is a count or a ratio; no person-level record leaves.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use halden_stats::{Dataset, Params, Profile, Report, reports};
use jiff::{ToSpan, civil::Date};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{AppState, access::Caller, auth::api_caller, error::ApiError};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statistics/public", get(public_api))
        .route("/api/v1/statistics/{report}", get(report_api))
}

/// The reports by id.
pub(crate) const REPORTS: [&str; 7] = [
    "space1",
    "space2",
    "nordic",
    "annual",
    "monthly",
    "reconcile",
    "queue",
];

/// The query of a report: every value as text, checked here so each problem names its field.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    pub date: Option<String>,
    pub year: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub count_em: Option<String>,
    pub capacity: Option<String>,
    pub inhabitants: Option<String>,
    pub format: Option<String>,
}

/// The checked parameters.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub date: Date,
    pub year: i16,
    pub from: Date,
    pub to: Date,
    pub count_em: bool,
    pub capacity: Option<i64>,
    pub inhabitants: Option<i64>,
}

fn date_field(field: &str, text: Option<&str>, default: Date) -> Result<Date, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t
            .parse::<Date>()
            .ok()
            .filter(|_| t.len() == 10)
            .ok_or_else(|| {
                ApiError::invalid_bilingual(
                    field,
                    format!("'{t}' is not a date (YYYY-MM-DD)"),
                    format!("'{t}' er ikke en dato (ÅÅÅÅ-MM-DD)"),
                )
            }),
    }
}

fn positive(field: &str, text: Option<&str>) -> Result<Option<i64>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => match t.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(ApiError::invalid_bilingual(
                field,
                format!("'{t}' is not a whole number above 0"),
                format!("'{t}' er ikke et helt tall over 0"),
            )),
        },
    }
}

impl ReportQuery {
    /// Checks the query against today's defaults: the date today, the year the one before.
    pub(crate) fn check(&self, today: Date) -> Result<Checked, ApiError> {
        let date = date_field("date", self.date.as_deref(), today)?;
        let year = match self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => today.year() - 1,
            Some(t) => t
                .parse::<i16>()
                .ok()
                .filter(|y| (1900..=2100).contains(y))
                .ok_or_else(|| {
                    ApiError::invalid_bilingual(
                        "year",
                        format!("'{t}' is not a year between 1900 and 2100"),
                        format!("'{t}' er ikke et år mellom 1900 og 2100"),
                    )
                })?,
        };
        let from = date_field("from", self.from.as_deref(), jiff::civil::date(year, 1, 1))?;
        let to = date_field("to", self.to.as_deref(), jiff::civil::date(year, 12, 31))?;
        if to < from {
            return Err(ApiError::invalid_bilingual(
                "to",
                format!("{to} is before from ({from})"),
                format!("{to} er før fra-datoen ({from})"),
            ));
        }
        let count_em = match self.count_em.as_deref().map(str::trim) {
            None | Some("" | "false" | "0" | "no") => false,
            Some("true" | "1" | "yes" | "on") => true,
            Some(other) => {
                return Err(ApiError::invalid_bilingual(
                    "count_em",
                    format!("'{other}' is not true or false"),
                    format!("'{other}' er ikke true eller false"),
                ));
            }
        };
        Ok(Checked {
            date,
            year,
            from,
            to,
            count_em,
            capacity: positive("capacity", self.capacity.as_deref())?,
            inhabitants: positive("inhabitants", self.inhabitants.as_deref())?,
        })
    }
}

/// The register as the statistics count it, and the estate's places.
pub(crate) async fn load(
    state: &AppState,
) -> Result<(std::sync::Arc<Dataset>, Option<i64>), ApiError> {
    let ds = state.store.statistics_dataset().await?;
    let places = state.store.total_places().await?;
    Ok((ds, (places > 0).then_some(places)))
}

/// One report from the register.
pub(crate) fn build(
    ds: &Dataset,
    report: &str,
    q: &Checked,
    places: Option<i64>,
) -> Result<Report, ApiError> {
    let params = |date: Date, year: i16| {
        let mut p = Params::on(date);
        p.year = year;
        p.capacity = q.capacity.or(places);
        p.inhabitants = q.inhabitants;
        p.profile = Profile::PRISON.with_em(q.count_em);
        p
    };
    let year_end = jiff::civil::date(q.year, 12, 31);
    let result = match report {
        "space1" => reports::space1(ds, &params(q.date, q.date.year() - 1)),
        "space2" => reports::space2(ds, &params(q.date, q.date.year() - 1)),
        "nordic" => reports::nordic(ds, &params(year_end, q.year)),
        "annual" => reports::annual(ds, &params(year_end, q.year)),
        "monthly" => reports::monthly(ds, &params(q.date, q.date.year())),
        "reconcile" => reports::reconcile(ds, &params(q.to, q.to.year()), q.from, q.to),
        "queue" => Ok(reports::queue_report(&ds.judgments, q.date, &ds.source)),
        _ => return Err(ApiError::NotFound),
    };
    result.map_err(|e| match e {
        reports::ReportError::Parameter(field, message) => ApiError::invalid(field, message),
        reports::ReportError::Residual(message) => ApiError::Internal(message),
    })
}

/// Only analysts see the reports (BRIEF §2: aggregates only).
async fn report_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(report): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    caller.require_statistics()?;
    report_response(&state, &caller, &report, &query).await
}

/// A report as JSON (default) or long-format CSV (`format=csv`; `format=meta.csv` for its
/// metadata).
pub(crate) async fn report_response(
    state: &AppState,
    caller: &Caller,
    report: &str,
    query: &ReportQuery,
) -> Result<Response, ApiError> {
    caller.require_statistics()?;
    if !REPORTS.contains(&report) {
        return Err(ApiError::NotFound);
    }
    let checked = query.check(state.today())?;
    let format = query.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "meta.csv") {
        return Err(ApiError::invalid(
            "format",
            format!("'{format}' is not json, csv or meta.csv"),
        ));
    }
    let (ds, places) = load(state).await?;
    let r = build(&ds, report, &checked, places)?;
    Ok(match format {
        "csv" | "meta.csv" => {
            let body = if format == "csv" {
                r.to_csv()
            } else {
                r.meta_csv()
            };
            let name = format!(
                "attachment; filename=\"halden-{report}.{}\"",
                if format == "csv" { "csv" } else { "meta.csv" }
            );
            let mut response =
                ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
            if let Ok(v) = HeaderValue::from_str(&name) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        _ => Json(r.to_json()).into_response(),
    })
}

/// The published set on `today`: the KDI key figures at the end of last month and the SSB
/// annual figures of last year, headline figures only.
pub(crate) struct Published {
    /// The KDI key figures.
    pub monthly: Report,
    /// The SSB annual figures.
    pub annual: Report,
    /// Month-end inmates (EM out) for the twelve months to the KDI date.
    pub series: Vec<(Date, i64)>,
}

/// The last day of the month before `today`.
pub(crate) fn last_month_end(today: Date) -> Date {
    today.first_of_month().yesterday().unwrap_or(today)
}

/// Month ends for the twelve months to `end` (a month end), oldest first.
pub(crate) fn month_ends(end: Date) -> Vec<Date> {
    (0..12)
        .rev()
        .filter_map(|k| {
            end.first_of_month()
                .checked_sub(k.months())
                .ok()
                .map(|d| d.last_of_month())
        })
        .collect()
}

/// The published set.
pub(crate) fn published(
    ds: &Dataset,
    places: Option<i64>,
    today: Date,
) -> Result<Published, ApiError> {
    let date = last_month_end(today);
    let q = Checked {
        date,
        year: today.year() - 1,
        from: jiff::civil::date(today.year() - 1, 1, 1),
        to: jiff::civil::date(today.year() - 1, 12, 31),
        count_em: false,
        capacity: None,
        inhabitants: None,
    };
    let monthly = build(ds, "monthly", &q, places)?;
    let annual = build(ds, "annual", &q, places)?;
    let series = month_ends(date)
        .into_iter()
        .map(|d| {
            let n =
                halden_stats::count::stock(ds, halden_stats::model::day(d), &Profile::PRISON, &[])
                    .total;
            (d, n)
        })
        .collect();
    Ok(Published {
        monthly,
        annual,
        series,
    })
}

fn headline(r: &Report) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in &r.headline {
        m.insert((*k).to_string(), v.json_number());
    }
    Value::Object(m)
}

/// The published set, for anyone (no sign-in).
async fn public_api(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let (ds, places) = load(&state).await?;
    let p = published(&ds, places, state.today())?;
    Ok(Json(json!({
        "monthly": {
            "date": p.monthly.metadata.parameters.iter().find(|(k, _)| *k == "date").map(|(_, v)| v.clone()),
            "figures": headline(&p.monthly),
        },
        "annual": {
            "year": p.annual.metadata.parameters.iter().find(|(k, _)| *k == "year").map(|(_, v)| v.clone()),
            "figures": headline(&p.annual),
        },
        "month_end_inmates": p.series.iter().map(|(d, n)| json!({"date": d.to_string(), "inmates": n})).collect::<Vec<_>>(),
        "metadata": {
            "em_included": false,
            "source": "register",
            "rounding": halden_stats::report::ROUNDING,
            "note": "inmates exclude EM and the queue (KDI); SSB days exclude EM",
        },
    })))
}
