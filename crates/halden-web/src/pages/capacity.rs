//! The capacity page for national placement and prison leaders: [`crate::capacity::CapacityView`]
//! on a day chosen in a one-field form (today by default), a table per prison unit with its
//! subtotal, then the security levels and the total. A date that is not one keeps what was typed
//! and is named in the error summary, linked to the field.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{Chrome, Field, Message, SummaryItem, chrome, lang, refusal, render, signed_in};
use crate::{
    AppState,
    capacity::{CapacityQuery, Figures, capacity_view, parse_day},
    i18n::{Lang, Vocab},
};

/// The words of the page.
pub struct Words {
    pub nav: &'static str,
    pub heading: &'static str,
    pub whole_estate: &'static str,
    pub unit: &'static str,
    pub date: &'static str,
    pub date_help: &'static str,
    pub show: &'static str,
    pub department: &'static str,
    pub level: &'static str,
    pub places: &'static str,
    pub occupied: &'static str,
    pub free: &'static str,
    pub percent: &'static str,
    pub subtotal: &'static str,
    pub per_level: &'static str,
    pub total: &'static str,
    pub national_total: &'static str,
    pub convention: &'static str,
    pub none: &'static str,
}

const NB: Words = Words {
    nav: "Kapasitet",
    heading: "Kapasitet og belegg",
    whole_estate: "hele landet",
    unit: "Fengselsenhet",
    date: "Dato",
    date_help: "Belegget ved dagens slutt den dagen: i dag eller en tidligere dag (ÅÅÅÅ-MM-DD).",
    show: "Vis",
    department: "Avdeling",
    level: "Sikkerhetsnivå",
    places: "Plasser",
    occupied: "Belagt",
    free: "Ledige",
    percent: "Belegg %",
    subtotal: "Sum for enheten",
    per_level: "Per sikkerhetsnivå",
    total: "Sum",
    national_total: "Sum for hele landet",
    convention: "En plass er belagt fra dagen for innsettelse eller overføring inn, til og med dagen før løslatelse, overføring ut eller rømning. Den som er på permisjon, på sykehus eller i retten, beholder plassen. Negative ledige plasser betyr overbelegg.",
    none: "Ingen avdelinger å vise.",
};

const EN: Words = Words {
    nav: "Capacity",
    heading: "Capacity and occupancy",
    whole_estate: "the whole estate",
    unit: "Prison unit",
    date: "Date",
    date_help: "Occupancy on that day: today or an earlier day (YYYY-MM-DD).",
    show: "Show",
    department: "Department",
    level: "Security level",
    places: "Places",
    occupied: "Occupied",
    free: "Free",
    percent: "Occupancy %",
    subtotal: "Unit total",
    per_level: "By security level",
    total: "Total",
    national_total: "National total",
    convention: "A place is held from the day of admission or transfer in until the day before release, transfer out or escape. A person on leave, at hospital or at court keeps the place. Negative free places mean overbooking.",
    none: "No departments to show.",
};

/// The page's words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// A row of figures, as shown.
struct Row {
    label: String,
    level: String,
    places: i64,
    occupied: i64,
    free: i64,
    percent: String,
    /// More places held than there are.
    over: bool,
}

impl Row {
    fn of(label: String, level: String, f: Figures) -> Row {
        Row {
            label,
            level,
            places: f.places,
            occupied: f.occupied,
            free: f.free(),
            percent: f.percent_text(),
            over: f.free() < 0,
        }
    }
}

struct UnitTable {
    name: String,
    rows: Vec<Row>,
    subtotal: Row,
}

#[derive(Template)]
#[template(path = "capacity.html")]
struct CapacityPage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    date: Field,
    summary: Vec<SummaryItem>,
    units: Vec<UnitTable>,
    levels: Vec<Row>,
    total: Option<Row>,
    total_label: &'static str,
}

pub(super) async fn capacity_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CapacityQuery>,
) -> Response {
    let here = "/capacity";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // Role first: a role that never sees capacity is refused before its input is read.
    let scope = match caller.capacity_scope() {
        Ok(scope) => scope.map(str::to_string),
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let lang = lang(&headers);
    let w = words(lang);
    let typed = query.date.clone().unwrap_or_default();
    let mut date = Field::new("date", w.date, "date", &typed, false).help(w.date_help);
    let whose = scope.as_deref().unwrap_or(w.whole_estate).to_string();
    let mut page = CapacityPage {
        c: chrome(&headers, Some(&caller), w.heading, here),
        w,
        heading: format!("{} – {whose}", w.heading),
        date: date.clone(),
        summary: Vec::new(),
        units: Vec::new(),
        levels: Vec::new(),
        total: None,
        total_label: if scope.is_some() {
            w.total
        } else {
            w.national_total
        },
    };
    let day = match parse_day(query.date.as_deref(), state.today()) {
        Ok(day) => day,
        Err(problem) => {
            let message = match problem.message_in(lang.domain()) {
                Some(text) => Message::new(text),
                None => Message {
                    text: problem.message.clone(),
                    lang: Some("en"),
                },
            };
            date.errors.push(message.clone());
            page.summary.push(SummaryItem {
                target: "date".into(),
                label: w.date.into(),
                message,
            });
            page.date = date;
            return (StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
    };
    let view = match capacity_view(&state, &caller, day).await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    if typed.trim().is_empty() {
        date.value = day.to_string();
    }
    page.date = date;
    page.heading = format!("{} – {whose}, {day}", w.heading);
    page.units = view
        .units
        .iter()
        .map(|u| UnitTable {
            name: u.name.clone(),
            rows: u
                .departments
                .iter()
                .map(|d| {
                    Row::of(
                        format!("{} ({})", d.name, d.id),
                        lang.value(Vocab::Level, &d.level),
                        d.figures,
                    )
                })
                .collect(),
            subtotal: Row::of(w.subtotal.into(), String::new(), u.figures),
        })
        .collect();
    page.levels = view
        .levels
        .iter()
        .map(|(level, f)| Row::of(lang.value(Vocab::Level, level.as_str()), String::new(), *f))
        .collect();
    page.total = Some(Row::of(page.total_label.into(), String::new(), view.total));
    render(&page)
}
