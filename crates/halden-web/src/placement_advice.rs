//! The placement rules' inputs from a person's register row: what `halden_domain::placement`
//! needs to know to recommend the lowest security level the rules allow.

use halden_domain::{
    placement::{self, Reason},
    register::{CustodyBasis, SecurityLevel},
};
use halden_storage::PersonRow;
use jiff::civil::Date;
use serde_json::Value;

/// The placement rules' view of `person` on `today`. Facts the register does not hold yet
/// (R-SEC-4 refusal grounds, a remand wish) count as absent, which leans towards the lower
/// level: the normality principle's default. An expulsion decision in effect is the register's.
pub fn placement_person(person: &PersonRow, today: Date) -> placement::Person {
    let document: Option<Value> = person
        .dates_json
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let term_days = document
        .as_ref()
        .and_then(|d| d.get("term_days"))
        .and_then(Value::as_i64);
    let lower_security_review = document
        .as_ref()
        .and_then(|d| d.pointer("/dates/lower_security_review/date"))
        .and_then(Value::as_str)
        .and_then(|d| d.parse().ok());
    // An unreadable birth date counts as an adult's: youth rules need a known age.
    let age = person.birth_date.parse::<Date>().map_or(i16::MAX, |born| {
        halden_domain::validate::age_on(born, today)
    });
    placement::Person {
        // Not yet in custody: the judgment is to be served.
        basis: person
            .basis
            .as_deref()
            .and_then(CustodyBasis::parse)
            .unwrap_or(CustodyBasis::Sentence),
        term_days,
        age,
        woman: person.sex == "female",
        refusal_grounds: Vec::new(),
        deportation: person.expulsion.is_some(),
        remand_wish: None,
        lower_security_review,
        home: None,
    }
}

/// The lowest level the rules allow for `person` on `today`, with its reasons.
pub fn recommended_level_for(person: &PersonRow, today: Date) -> (SecurityLevel, Vec<Reason>) {
    placement::recommended_level(&placement_person(person, today), today)
}

/// The embedded reference estate, for the positions the database does not hold.
fn estate() -> Option<&'static halden_sim::estate::Estate> {
    static ESTATE: std::sync::OnceLock<Option<halden_sim::estate::Estate>> =
        std::sync::OnceLock::new();
    ESTATE
        .get_or_init(|| halden_sim::estate::Estate::embedded().ok())
        .as_ref()
}

/// The position of a municipality by name, from the reference estate.
fn municipality_position(name: &str) -> Option<(f64, f64)> {
    estate()?
        .municipalities
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        .map(|m| m.position)
}

/// The estate's departments as placement sees them on `today`: places and level from the
/// register's estate, places held from the stays projection, position from the reference estate
/// (the department's own, else its municipality's; a department with neither is left out).
pub async fn prisons_today(
    store: &halden_storage::Store,
    today: Date,
) -> Result<Vec<placement::Prison>, halden_storage::StorageError> {
    let occupied = store.occupancy(today).await?;
    Ok(store
        .prisons()
        .await?
        .into_iter()
        .filter_map(|p| {
            let position = estate()
                .and_then(|e| e.prisons.iter().find(|q| q.id == p.id))
                .map(|q| q.position)
                .or_else(|| municipality_position(&p.municipality))?;
            Some(placement::Prison {
                level: SecurityLevel::parse(&p.security_level)?,
                capacity: p.capacity,
                occupied: occupied.get(&p.id).copied().unwrap_or(0),
                women: p.women != 0,
                youth: p.youth != 0,
                remand: p.remand != 0,
                position,
                id: p.id,
                name: p.name,
            })
        })
        .collect())
}

/// The recommendation for `person` on `today` among `prisons`: the lowest level the rules allow
/// with its reasons, and the departments that fit, with room first and nearest home first.
pub fn recommendation_for(
    person: &PersonRow,
    prisons: &[placement::Prison],
    today: Date,
) -> placement::Recommendation {
    let mut facts = placement_person(person, today);
    facts.home = person
        .home_municipality
        .as_deref()
        .and_then(municipality_position);
    placement::recommend(&facts, prisons, today)
}
