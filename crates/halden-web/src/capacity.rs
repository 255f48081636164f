//! Capacity and the roll (issue 5, item 3; BRIEF §3.3): for a day, today or past, every
//! department's places, how many are held and how many are free, with subtotals per prison unit
//! and per security level and a total. National placement sees the whole estate, a prison
//! leader their own unit ([`Caller::capacity_scope`]).
//!
//! Who holds a place on a day comes from the `stays` projection ([`halden_storage::Store::occupancy`]):
//! admitted or transferred in on D counts on D; released, transferred out or escaped on D does
//! not; on leave, at hospital or at court the place is still held.
//!
//! `GET /api/v1/capacity?date=` and the page `/capacity?date=` show the same [`CapacityView`].

use std::collections::BTreeMap;

use axum::{
    Json, Router,
    extract::{Query, State},
    http::HeaderMap,
    routing::get,
};
use halden_domain::{register::SecurityLevel, validate::FieldError};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{AppState, access::Caller, auth::api_caller, error::ApiError};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/capacity", get(capacity_api))
}

/// Places and how many are held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Figures {
    pub places: i64,
    pub occupied: i64,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.places += other.places;
        self.occupied += other.occupied;
    }

    /// Places not held; negative when overbooked.
    pub fn free(self) -> i64 {
        self.places - self.occupied
    }

    /// Occupancy in tenths of a per cent, rounded half up (integers only); `None` without places.
    pub fn per_mille(self) -> Option<i64> {
        (self.places > 0).then(|| (self.occupied * 1000 + self.places / 2) / self.places)
    }

    /// Occupancy as a per cent with one decimal, `93.8`; `–` without places.
    pub fn percent_text(self) -> String {
        self.per_mille()
            .map_or_else(|| "–".to_string(), |p| format!("{}.{}", p / 10, p % 10))
    }

    fn json(self) -> Value {
        json!({
            "places": self.places,
            "occupied": self.occupied,
            "free": self.free(),
            "occupancy_percent": self.per_mille().map(|p| p as f64 / 10.0),
        })
    }
}

/// One department on the day.
pub(crate) struct Department {
    pub id: String,
    pub name: String,
    pub level: String,
    pub figures: Figures,
}

/// A prison unit's departments and their subtotal.
pub(crate) struct Unit {
    pub name: String,
    pub departments: Vec<Department>,
    pub figures: Figures,
}

/// Capacity and occupancy on a day, for the caller's part of the estate.
pub(crate) struct CapacityView {
    pub date: Date,
    /// The unit the view is limited to; `None`: the whole estate.
    pub unit: Option<String>,
    pub units: Vec<Unit>,
    /// Per security level, high, lower, halfway (levels without departments left out).
    pub levels: Vec<(SecurityLevel, Figures)>,
    pub total: Figures,
}

/// The order the levels are listed in: high, lower, halfway.
const LEVEL_ORDER: [SecurityLevel; 3] = [
    SecurityLevel::High,
    SecurityLevel::Lower,
    SecurityLevel::Halfway,
];

/// The day asked for: empty means today; else a date, not after today.
pub(crate) fn parse_day(text: Option<&str>, today: Date) -> Result<Date, FieldError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(today);
    };
    let day: Date = text.parse().map_err(|_| {
        FieldError::bilingual(
            "date",
            None,
            format!("'{text}' is not a date (YYYY-MM-DD)"),
            format!("«{text}» er ikke en dato (ÅÅÅÅ-MM-DD)"),
        )
    })?;
    if day > today {
        return Err(FieldError::bilingual(
            "date",
            None,
            format!("is after today ({today}): occupancy is known for today and past days"),
            format!("er etter i dag ({today}): belegg kan vises for i dag og tidligere dager"),
        ));
    }
    Ok(day)
}

/// The view on `day` for the caller: 403 for roles that do not see capacity.
pub(crate) async fn capacity_view(
    state: &AppState,
    caller: &Caller,
    day: Date,
) -> Result<CapacityView, ApiError> {
    let scope = caller.capacity_scope()?;
    let prisons = state.store.prisons().await?;
    let occupancy = state.store.occupancy(day).await?;
    let mut units: BTreeMap<String, Unit> = BTreeMap::new();
    let mut levels: Vec<(SecurityLevel, Figures)> = Vec::new();
    let mut total = Figures::default();
    for p in prisons
        .into_iter()
        .filter(|p| scope.is_none_or(|unit| p.unit == unit))
    {
        let figures = Figures {
            places: p.capacity,
            occupied: occupancy.get(&p.id).copied().unwrap_or(0),
        };
        total.add(figures);
        if let Some(level) = SecurityLevel::parse(&p.security_level) {
            match levels.iter_mut().find(|(l, _)| *l == level) {
                Some((_, sum)) => sum.add(figures),
                None => levels.push((level, figures)),
            }
        }
        let unit = units.entry(p.unit.clone()).or_insert_with(|| Unit {
            name: p.unit.clone(),
            departments: Vec::new(),
            figures: Figures::default(),
        });
        unit.figures.add(figures);
        unit.departments.push(Department {
            id: p.id,
            name: p.name,
            level: p.security_level,
            figures,
        });
    }
    levels.sort_by_key(|(level, _)| LEVEL_ORDER.iter().position(|l| l == level));
    Ok(CapacityView {
        date: day,
        unit: scope.map(str::to_string),
        units: units.into_values().collect(),
        levels,
        total,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct CapacityQuery {
    pub date: Option<String>,
}

async fn capacity_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CapacityQuery>,
) -> Result<Json<Value>, ApiError> {
    let caller = api_caller(&state.store, &headers).await?;
    // Role first: a role that never sees capacity is refused before its input is read.
    caller.capacity_scope()?;
    let day =
        parse_day(query.date.as_deref(), state.today()).map_err(|e| ApiError::Invalid(vec![e]))?;
    let view = capacity_view(&state, &caller, day).await?;
    Ok(Json(json!({
        "date": view.date.to_string(),
        "scope": view.unit.as_ref().map_or_else(|| json!("estate"), |unit| json!({"unit": unit})),
        "convention": "a place is held from the day of admission or transfer in until, not including, the day of release, transfer out or escape; on leave, at hospital or at court the place is still held",
        "units": view.units.iter().map(|u| {
            let mut line = u.figures.json();
            line["unit"] = json!(u.name);
            line["departments"] = u.departments.iter().map(|d| {
                let mut line = d.figures.json();
                line["id"] = json!(d.id);
                line["name"] = json!(d.name);
                line["security_level"] = json!(d.level);
                line
            }).collect();
            line
        }).collect::<Vec<_>>(),
        "security_levels": view.levels.iter().map(|(level, figures)| {
            let mut line = figures.json();
            line["security_level"] = json!(level.as_str());
            line
        }).collect::<Vec<_>>(),
        "total": view.total.json(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn occupancy_is_rounded_to_a_tenth_of_a_per_cent_in_integers() {
        let f = |places, occupied| Figures { places, occupied };
        assert_eq!(f(240, 225).percent_text(), "93.8"); // 93.75 rounds up
        assert_eq!(f(4, 5).percent_text(), "125.0");
        assert_eq!(f(4, 5).free(), -1);
        assert_eq!(f(0, 0).percent_text(), "–");
        assert_eq!(f(3, 1).per_mille(), Some(333));
    }

    #[test]
    fn the_day_is_today_by_default_and_never_after_it() {
        let today = date(2025, 6, 1);
        assert_eq!(parse_day(None, today), Ok(today));
        assert_eq!(parse_day(Some(" "), today), Ok(today));
        assert_eq!(parse_day(Some("2025-01-31"), today), Ok(date(2025, 1, 31)));
        assert_eq!(
            parse_day(Some("2025-02-30"), today).err().map(|e| e.field),
            Some("date".into())
        );
        assert!(parse_day(Some("2025-06-02"), today).is_err());
    }
}
