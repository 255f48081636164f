//! Placement by the normality principle: hand-worked cases from RULES.md §7–§9, and properties
//! that hold for every person: the recommendation is the lowest level the rules allow, never
//! higher; a refusal ground or a longer term never lowers it; every prison offered fits.

#![allow(clippy::unwrap_used, reason = "fixtures are built by the test itself")]

use halden_domain::{
    law::RuleId,
    placement::{
        Person, Prison, RefusalGround, RemandWish, distance_km, recommend, recommended_level,
    },
    register::{CustodyBasis, SecurityLevel},
};
use jiff::civil::{Date, date};
use proptest::prelude::*;

const DAY: Date = date(2025, 6, 2);
const OSLO: (f64, f64) = (59.9139, 10.7522);
const BERGEN: (f64, f64) = (60.3913, 5.3221);

fn sentenced(term_days: i64) -> Person {
    Person {
        basis: CustodyBasis::Sentence,
        term_days: Some(term_days),
        age: 30,
        woman: false,
        refusal_grounds: Vec::new(),
        deportation: false,
        remand_wish: None,
        lower_security_review: None,
        home: Some(OSLO),
    }
}

fn level(person: &Person) -> SecurityLevel {
    recommended_level(person, DAY).0
}

fn rules(person: &Person) -> Vec<RuleId> {
    recommended_level(person, DAY)
        .1
        .iter()
        .map(|r| r.rule)
        .collect()
}

#[test]
fn one_year_or_less_goes_to_a_halfway_house_directly() {
    // 2025-06-02 + 1 year = 2026-06-02: 365 days. R-SEC-2: up to 1 year → halfway house.
    let person = sentenced(365);
    assert_eq!(level(&person), SecurityLevel::Halfway);
    assert_eq!(rules(&person), [RuleId::Sec2]);
    // One day more is over a year: lower security (up to 2 years, 730 days from this day).
    assert_eq!(level(&sentenced(366)), SecurityLevel::Lower);
    assert_eq!(level(&sentenced(730)), SecurityLevel::Lower);
    // Over 2 years: high security until the review date (R-SEC-5, R-SEC-3).
    let long = sentenced(731);
    assert_eq!(level(&long), SecurityLevel::High);
    assert_eq!(rules(&long), [RuleId::Sec5, RuleId::Sec3]);
}

#[test]
fn the_year_counts_a_leap_day_when_it_crosses_one() {
    // From 2027-06-02 the next year holds 2028-02-29: 366 days is still "up to 1 year".
    let person = sentenced(366);
    assert_eq!(
        recommended_level(&person, date(2027, 6, 2)).0,
        SecurityLevel::Halfway
    );
}

#[test]
fn a_long_sentence_is_recommended_lower_security_from_the_review_date() {
    // Parole 2026-06-01, review 12 months earlier: 2025-06-01 (R-SEC-3). On 2025-06-02: lower.
    let mut person = sentenced(3 * 365);
    person.lower_security_review = Some(date(2025, 6, 1));
    assert_eq!(level(&person), SecurityLevel::Lower);
    assert_eq!(rules(&person), [RuleId::Sec3]);
    person.lower_security_review = Some(date(2025, 6, 3));
    assert_eq!(level(&person), SecurityLevel::High);
}

#[test]
fn a_refusal_ground_keeps_high_security_and_names_the_ground() {
    let mut person = sentenced(100);
    person.refusal_grounds = vec![RefusalGround::FearOfEvasion];
    let (level, reasons) = recommended_level(&person, DAY);
    assert_eq!(level, SecurityLevel::High);
    assert_eq!(reasons[0].rule, RuleId::Sec4);
    assert!(reasons[0].en.contains("evasion"), "{}", reasons[0].en);
    assert!(reasons[0].nb.contains("unndragelse"), "{}", reasons[0].nb);
    assert!(reasons[0].en.contains("strgjfl § 14"));
}

#[test]
fn remand_and_preventive_detention_are_high_security() {
    let mut remand = sentenced(0);
    remand.basis = CustodyBasis::Remand;
    remand.term_days = None;
    remand.remand_wish = Some(RemandWish::KeepApart);
    assert_eq!(level(&remand), SecurityLevel::High);
    assert_eq!(rules(&remand), [RuleId::Var1, RuleId::Var3]);
    let mut forvaring = sentenced(0);
    forvaring.basis = CustodyBasis::PreventiveDetention;
    forvaring.term_days = None;
    assert_eq!(level(&forvaring), SecurityLevel::High);
    assert_eq!(rules(&forvaring), [RuleId::Sec1]);
}

#[test]
fn an_expulsion_decision_takes_the_halfway_house_off_the_table() {
    let mut person = sentenced(200);
    person.deportation = true;
    assert_eq!(level(&person), SecurityLevel::Lower);
}

fn prison(id: &str, level: SecurityLevel, position: (f64, f64), free: i64) -> Prison {
    Prison {
        id: id.into(),
        name: format!("Fengsel {id}"),
        level,
        capacity: 50,
        occupied: 50 - free,
        women: false,
        youth: false,
        remand: level == SecurityLevel::High,
        position,
    }
}

#[test]
fn prisons_at_the_level_are_ranked_by_room_then_distance_from_home() {
    let estate = [
        prison("BERGEN-LOW", SecurityLevel::Lower, BERGEN, 5),
        prison("OSLO-LOW-FULL", SecurityLevel::Lower, OSLO, 0),
        prison("NEAR-OSLO-LOW", SecurityLevel::Lower, (59.7, 10.6), 3),
        prison("OSLO-HIGH", SecurityLevel::High, OSLO, 10),
    ];
    let advice = recommend(&sentenced(500), &estate, DAY);
    assert_eq!(advice.level, SecurityLevel::Lower);
    let order: Vec<&str> = advice.prisons.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(order, ["NEAR-OSLO-LOW", "BERGEN-LOW", "OSLO-LOW-FULL"]);
    // Oslo–Bergen is about 305 km as the crow flies.
    let bergen = advice.prisons[1].distance_km.unwrap();
    assert!((300..=310).contains(&bergen), "{bergen}");
    assert_eq!(advice.prisons[2].free, 0);
}

#[test]
fn youth_women_and_remand_go_only_where_they_may_be_held() {
    let mut youth_unit = prison("YOUTH", SecurityLevel::High, BERGEN, 2);
    youth_unit.youth = true;
    let mut women = prison("WOMEN", SecurityLevel::Lower, OSLO, 2);
    women.women = true;
    let estate = [
        youth_unit,
        women,
        prison("MEN-LOW", SecurityLevel::Lower, OSLO, 2),
        prison("HIGH", SecurityLevel::High, OSLO, 2),
    ];
    let mut minor = sentenced(500);
    minor.age = 17;
    let ids = |p: &Person| -> Vec<String> {
        recommend(p, &estate, DAY)
            .prisons
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(ids(&minor), ["YOUTH"]);
    let mut woman = sentenced(500);
    woman.woman = true;
    assert_eq!(ids(&woman), ["WOMEN"]);
    let mut remand = sentenced(0);
    remand.basis = CustodyBasis::Remand;
    assert_eq!(ids(&remand), ["HIGH"]);
}

#[test]
fn distances_are_symmetric_and_zero_at_home() {
    assert_eq!(distance_km(OSLO, OSLO), 0);
    assert_eq!(distance_km(OSLO, BERGEN), distance_km(BERGEN, OSLO));
}

/// The lowest level the rules allow, written from RULES.md §8–§9 for the properties below.
fn lowest_allowed(person: &Person, day: Date) -> SecurityLevel {
    if matches!(
        person.basis,
        CustodyBasis::Remand | CustodyBasis::PreventiveDetention
    ) || !person.refusal_grounds.is_empty()
    {
        return SecurityLevel::High;
    }
    let days_in =
        |years: i64| (day.checked_add(jiff::Span::new().years(years)).unwrap() - day).get_days();
    let term = person.term_days.unwrap();
    if term <= i64::from(days_in(1)) && !person.deportation {
        SecurityLevel::Halfway
    } else if term <= i64::from(days_in(2))
        || person
            .lower_security_review
            .is_some_and(|review| day >= review)
    {
        SecurityLevel::Lower
    } else {
        SecurityLevel::High
    }
}

fn any_person() -> impl Strategy<Value = Person> {
    (
        prop_oneof![
            Just(CustodyBasis::Sentence),
            Just(CustodyBasis::FineDefault),
            Just(CustodyBasis::Remand),
            Just(CustodyBasis::PreventiveDetention),
        ],
        14i64..8_000,
        15i16..80,
        any::<bool>(),
        proptest::sample::subsequence(RefusalGround::ALL.to_vec(), 0..=3),
        any::<bool>(),
        proptest::option::of(-800i64..800),
    )
        .prop_map(
            |(basis, term, age, woman, grounds, deportation, review)| Person {
                basis,
                term_days: Some(term),
                age,
                woman,
                refusal_grounds: grounds,
                deportation,
                remand_wish: None,
                lower_security_review: review
                    .map(|offset| DAY.checked_add(jiff::Span::new().days(offset)).unwrap()),
                home: Some(OSLO),
            },
        )
}

proptest! {
    #[test]
    fn the_recommendation_is_the_lowest_level_the_rules_allow(person in any_person()) {
        prop_assert_eq!(level(&person), lowest_allowed(&person, DAY));
    }

    #[test]
    fn a_refusal_ground_or_a_longer_term_never_lowers_the_level(
        person in any_person(),
        ground in proptest::sample::select(RefusalGround::ALL.to_vec()),
        more in 1i64..3_000,
    ) {
        let base = level(&person);
        let mut riskier = person.clone();
        riskier.refusal_grounds.push(ground);
        prop_assert!(level(&riskier) >= base);
        let mut longer = person.clone();
        longer.term_days = person.term_days.map(|t| t + more);
        prop_assert!(level(&longer) >= base);
    }

    #[test]
    fn every_prison_offered_fits_the_person(person in any_person(), free in proptest::collection::vec(-2i64..5, 8)) {
        let levels = [SecurityLevel::High, SecurityLevel::Lower, SecurityLevel::Halfway];
        let estate: Vec<Prison> = free
            .iter()
            .enumerate()
            .map(|(i, room)| {
                let mut p = prison(&format!("P{i}"), levels[i % 3], (59.0 + i as f64 / 4.0, 10.0), *room);
                p.women = i % 2 == 0;
                p.youth = i == 7;
                p
            })
            .collect();
        let advice = recommend(&person, &estate, DAY);
        for candidate in &advice.prisons {
            let p = estate.iter().find(|p| p.id == candidate.id).unwrap();
            prop_assert_eq!(p.youth, person.age < 18);
            prop_assert!(p.youth || p.level == advice.level, "never above or below the recommendation");
            prop_assert!(!person.woman || p.women);
            prop_assert!(person.basis != CustodyBasis::Remand || p.remand);
        }
        // Room first, then nearest.
        let keys: Vec<(bool, Option<u32>)> = advice.prisons.iter().map(|c| (c.free <= 0, c.distance_km)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
    }
}

#[test]
fn a_youth_unit_is_needed_until_the_eighteenth_birthday() {
    use halden_domain::placement::needs_youth_unit;
    let born = date(2008, 3, 15);
    // 2026-03-14 is the day before the 18th birthday (2008 + 18 = 2026): still 17.
    assert!(needs_youth_unit(born, date(2026, 3, 14)));
    assert!(!needs_youth_unit(born, date(2026, 3, 15)));
    // Born on 29 February: 18 on 1 March in a common year.
    let leap = date(2008, 2, 29);
    assert!(needs_youth_unit(leap, date(2026, 2, 28)));
    assert!(!needs_youth_unit(leap, date(2026, 3, 1)));
}
