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
/// (R-SEC-4 refusal grounds, a deportation decision, a remand wish) count as absent, which leans
/// towards the lower level: the normality principle's default.
pub(crate) fn placement_person(person: &PersonRow, today: Date) -> placement::Person {
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
        deportation: false,
        remand_wish: None,
        lower_security_review,
        home: None,
    }
}

/// The lowest level the rules allow for `person` on `today`, with its reasons.
pub(crate) fn recommended_level_for(
    person: &PersonRow,
    today: Date,
) -> (SecurityLevel, Vec<Reason>) {
    placement::recommended_level(&placement_person(person, today), today)
}
