//! The demo population against the published figures it claims to reproduce (STATISTICS.md §6),
//! the register's movement rules and the sentence engine's input rules.

#![allow(clippy::unwrap_used, reason = "tests unwrap their own fixtures")]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::Instant;

use halden_domain::queue::{self, PlannedForm, Waiting};
use halden_domain::register::{
    CustodyBasis, CustodyState, CustodyStatus, MovementKind, identity_number_is_valid,
};
use halden_sim::demo::{
    Person, Population, RESERVED_INDIVIDUAL_NUMBERS, Scale, Sex, SupervisionKind, generate,
};
use halden_sim::estate::{Estate, Prison};
use jiff::civil::{Date, date};
use serde_json::{Value, json};

const SEED: u64 = 20_250_602;

fn today() -> Date {
    date(2025, 6, 2)
}

fn estate() -> &'static Estate {
    static ESTATE: OnceLock<Estate> = OnceLock::new();
    ESTATE.get_or_init(|| Estate::embedded().unwrap())
}

fn national() -> &'static Population {
    static NATIONAL: OnceLock<Population> = OnceLock::new();
    NATIONAL.get_or_init(|| {
        let started = Instant::now();
        let population = generate(estate(), SEED, today(), Scale::National);
        eprintln!("national generation: {:?}", started.elapsed());
        population
    })
}

fn small() -> &'static Population {
    static SMALL: OnceLock<Population> = OnceLock::new();
    SMALL.get_or_init(|| generate(estate(), SEED, today(), Scale::Small))
}

fn prison(id: &str) -> &'static Prison {
    estate().prisons.iter().find(|p| p.id == id).unwrap()
}

fn state(person: &Person) -> CustodyState {
    CustodyState::project(&person.movements).unwrap()
}

/// Everyone in custody today with their state.
fn roll(population: &Population) -> Vec<(&Person, CustodyState)> {
    population
        .persons
        .iter()
        .map(|p| (p, state(p)))
        .filter(|(_, s)| s.status.in_custody())
        .collect()
}

fn age_on(birth: Date, day: Date) -> i16 {
    let mut years = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

fn active(population: &Population, kind: SupervisionKind) -> Vec<(&Person, &str)> {
    population
        .persons
        .iter()
        .flat_map(|p| {
            p.supervision
                .iter()
                .filter(move |s| s.kind == kind && s.from <= today() && today() <= s.until)
                .map(move |s| (p, s.office_id.as_str()))
        })
        .collect()
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

/// What a person waits to serve, read as the register's projection reads it
/// (`halden_storage::projection`, `awaiting`): someone not in custody with a judgment final after
/// their last release and no EM started since its receipt; received on the day recorded, else
/// the day it became final; planned for the form of the latest summons sent since, else prison.
fn waiting(person: &Person) -> Option<Waiting> {
    if state(person).status.in_custody() {
        return None;
    }
    let last_release = person
        .movements
        .iter()
        .filter(|m| m.kind.ends_episode())
        .map(|m| m.at.date())
        .max();
    let received = person
        .judgments
        .iter()
        .filter(|j| last_release.is_none_or(|released| j.final_date > released))
        .map(|j| j.received.unwrap_or(j.final_date))
        .min()?;
    if person
        .supervision
        .iter()
        .any(|s| s.kind == SupervisionKind::ElectronicMonitoring && s.from >= received)
    {
        return None;
    }
    let form = person
        .summonses
        .iter()
        .filter(|s| s.sent_on >= received)
        .max_by_key(|s| s.sent_on)
        .map_or(PlannedForm::Prison, |s| s.form);
    Some(Waiting {
        received,
        started: None,
        form,
    })
}

/// Everyone waiting to serve on `today`, with what they wait for.
fn waiting_list(population: &Population) -> Vec<(&Person, Waiting)> {
    population
        .persons
        .iter()
        .filter_map(|p| waiting(p).map(|w| (p, w)))
        .collect()
}

/// Checks every waiting person's judgment, summonses and missed dates against R-INNK-1,
/// R-INNK-3 and R-QUEUE-1 on `day`; returns (summonses, late ones, non-appearances).
fn check_waiting(population: &Population, day: Date) -> (usize, usize, usize) {
    let (mut summonses, mut late, mut missed) = (0, 0, 0);
    for person in &population.persons {
        let received = person.judgments.iter().filter_map(|j| j.received).max();
        let Some(received) = received else {
            assert!(person.summonses.is_empty() && person.non_appearances.is_empty());
            continue;
        };
        // Waiting: received recently, not started, nothing in custody or on EM since receipt.
        let w = waiting(person).unwrap_or_else(|| panic!("not waiting: {person:?}"));
        assert_eq!(w.received, received, "{person:?}");
        assert!(received <= day && received > day.saturating_sub(jiff::Span::new().days(240)));
        let judgment = person.judgments.last().unwrap();
        assert_eq!(judgment.received, Some(received));
        assert!(judgment.final_date < received && judgment.decision_date <= judgment.final_date);
        assert!(
            person
                .movements
                .iter()
                .all(|m| m.at.date() < judgment.decision_date),
            "custody after the judgment: {person:?}"
        );
        assert!(
            person
                .supervision
                .iter()
                .all(|s| s.until < judgment.decision_date),
            "supervision after the judgment: {person:?}"
        );
        for pair in person.summonses.windows(2) {
            assert!(pair[0].sent_on < pair[1].sent_on, "{person:?}");
        }
        for summons in &person.summonses {
            summonses += 1;
            assert!(summons.sent_on <= day, "{summons:?} not sent yet");
            assert!(summons.sent_on >= received, "{summons:?}");
            // R-INNK-1: three weeks' notice; past 60 days from receipt only with a reason.
            let reason = summons.late_reason.as_deref().unwrap_or("");
            assert_eq!(
                queue::check_summons(received, summons.sent_on, summons.serving_date, reason),
                Ok(()),
                "{summons:?} received {received}"
            );
            if summons.serving_date > queue::latest_start(received) {
                late += 1;
                assert!(!reason.trim().is_empty(), "{summons:?}");
            } else {
                assert!(summons.late_reason.is_none(), "{summons:?}");
            }
            assert!(estate().prisons.iter().any(|p| p.id == summons.prison));
            if summons.form == PlannedForm::ElectronicMonitoring {
                // R-EM-1: EM for imposed sentences up to six months.
                let months = match (judgment.days, judgment.years_months) {
                    (Some(days), None) => days / 30,
                    (None, Some((y, m))) => y * 12 + m,
                    other => panic!("{other:?}"),
                };
                assert!(
                    months <= halden_domain::law::EM_LIMIT_MONTHS,
                    "{judgment:?}"
                );
            }
        }
        // The latest serving date is still ahead, or was missed and the person is sought
        // (R-INNK-3).
        match (person.summonses.last(), person.non_appearances.as_slice()) {
            (Some(last), []) => assert!(last.serving_date > day, "{person:?}"),
            (Some(last), [missed_date]) => {
                missed += 1;
                assert_eq!(missed_date.date, last.serving_date);
                assert!(missed_date.date < day && missed_date.date >= received);
                assert!(missed_date.note.as_ref().is_some_and(|n| !n.is_empty()));
            }
            (None, []) => {}
            other => panic!("{other:?}"),
        }
    }
    (summonses, late, missed)
}

#[test]
fn the_same_seed_gives_the_same_population_and_another_seed_another() {
    let again = generate(estate(), SEED, today(), Scale::Small);
    assert_eq!(&again, small());
    let other = generate(estate(), SEED + 1, today(), Scale::Small);
    assert_ne!(&other, small());
    let national_again = generate(estate(), SEED, today(), Scale::National);
    assert!(
        national_again == *national(),
        "national differs between two runs"
    );
    // The serving queue is part of what is compared.
    assert!(
        national_again
            .persons
            .iter()
            .any(|p| !p.summonses.is_empty())
    );
    assert!(small().persons.iter().any(|p| waiting(p).is_some()));
}

#[test]
fn the_serving_queue_today_is_tens_to_hundreds() {
    let population = national();
    let list = waiting_list(population);
    let waiting: Vec<Waiting> = list.iter().map(|(_, w)| *w).collect();
    let count = queue::count(&waiting, today());
    let em_waiting = waiting
        .iter()
        .filter(|w| w.form == PlannedForm::ElectronicMonitoring)
        .count();
    eprintln!(
        "queue {} (EM {}), waiting in all {} (EM {em_waiting})",
        count.queue,
        count.queue_em,
        waiting.len()
    );
    // STATISTICS.md §5 V4b: "queue tens to hundreds"; §6 (KDI monthly) Sep 2022 – Jan 2024: 78 to
    // 244, ≈ 200 in January 2024. The demo aims at 150–300.
    assert!((150..=300).contains(&count.queue), "queue {count:?}");
    // §6 (KDI monthly): of which EM 4 (Dec 2022), 9 (Feb 2023), 11 (Aug 2023), 15 (Nov 2023),
    // 35 of 470 (Dec 2021): a few per cent to a tenth of the queue.
    assert!(
        count.queue_em >= 3 && f64::from(count.queue_em) <= 0.2 * f64::from(count.queue),
        "queue {count:?}"
    );
    // Everyone received and not started (`waiting_all`, never called the queue): a few hundred,
    // received in the last months (R-INNK-1: serving is to start within 60 days).
    assert!((300..=1000).contains(&waiting.len()), "{}", waiting.len());
    assert!(em_waiting >= 50, "{em_waiting} waiting for EM");
    let older = waiting
        .iter()
        .filter(|w| w.received < today().saturating_sub(jiff::Span::new().months(4)))
        .count();
    assert!(
        share(older, waiting.len()) < 0.15,
        "{older} waiting over four months"
    );
    // Only the generated queue waits: nobody else in the population has an unstarted judgment.
    for (person, _) in &list {
        assert!(
            person.judgments.iter().any(|j| j.received.is_some()),
            "{person:?}"
        );
    }
    // Some came back after an earlier sentence or remand.
    let returning = list.iter().filter(|(p, _)| !p.movements.is_empty()).count();
    assert!(
        returning >= 50,
        "{returning} waiting with an earlier custody episode"
    );
}

#[test]
fn summonses_give_three_weeks_notice_within_sixty_days_but_for_a_stated_reason() {
    let population = national();
    let waiting = waiting_list(population).len();
    let (summonses, late, missed) = check_waiting(population, today());
    eprintln!("summonses {summonses}, late {late}, non-appearances {missed}");
    // Most waiting have been summoned (the service summons soon after receipt, R-INNK-1).
    assert!(share(summonses, waiting) >= 0.4, "{summonses} of {waiting}");
    // Past the 60 days is the exception (R-INNK-1, RULES.md: "unless postponed"), but happens
    // while there is a queue.
    assert!(
        late >= 10 && share(late, summonses) <= 0.2,
        "{late} of {summonses}"
    );
    // A few did not report on the serving date and are sought (R-INNK-3).
    assert!(
        missed >= 5 && share(missed, waiting) <= 0.1,
        "{missed} of {waiting}"
    );
    let (small_summonses, _, _) = check_waiting(small(), today());
    assert!(
        small_summonses >= 5,
        "{small_summonses} in the small population"
    );
}

#[test]
fn every_persons_movements_fold_and_are_well_formed() {
    let prison_ids: BTreeSet<&str> = estate().prisons.iter().map(|p| p.id.as_str()).collect();
    for population in [small(), national()] {
        for person in &population.persons {
            CustodyState::project(&person.movements).unwrap_or_else(|e| {
                panic!("{:?}: {e:?}\n{:#?}", person.identity, person.movements)
            });
            for pair in person.movements.windows(2) {
                assert!(pair[0].at < pair[1].at, "{:?}", person.movements);
            }
            for m in &person.movements {
                let hour = m.at.hour();
                assert!(
                    (8..18).contains(&hour) || (hour == 18 && m.at.minute() == 0),
                    "{m:?}"
                );
                assert!(m.at.date() <= today(), "{m:?} is in the future");
                match m.kind {
                    MovementKind::Admission => {
                        assert!(m.prison.is_some() && m.basis.is_some(), "{m:?}")
                    }
                    MovementKind::Transfer => {
                        assert!(m.prison.is_some() && m.basis.is_none(), "{m:?}")
                    }
                    MovementKind::BasisChange => {
                        assert!(m.prison.is_none() && m.basis.is_some(), "{m:?}")
                    }
                    MovementKind::Recapture => assert!(m.basis.is_none(), "{m:?}"),
                    _ => assert!(m.prison.is_none() && m.basis.is_none(), "{m:?}"),
                }
                if let Some(id) = &m.prison {
                    assert!(prison_ids.contains(id.as_str()), "{m:?}");
                }
            }
        }
    }
}

#[test]
fn the_national_roll_matches_the_published_figures() {
    let population = national();
    let roll = roll(population);
    let total = roll.len();
    let remand = roll
        .iter()
        .filter(|(_, s)| s.basis == Some(CustodyBasis::Remand))
        .count();
    let women = roll
        .iter()
        .filter(|(p, _)| p.identity.sex == Sex::Female)
        .count();
    let foreign = roll
        .iter()
        .filter(|(p, _)| p.identity.citizenship != "NO")
        .count();
    let preventive = roll
        .iter()
        .filter(|(_, s)| s.basis == Some(CustodyBasis::PreventiveDetention))
        .count();
    eprintln!(
        "in custody {total}, remand {remand} ({:.1} %), women {women} ({:.1} %), foreign {foreign} ({:.1} %), preventive detention {preventive}",
        100.0 * share(remand, total),
        100.0 * share(women, total),
        100.0 * share(foreign, total),
    );
    assert!((2700..=3300).contains(&total), "{total} in custody");
    assert!(
        (0.18..=0.25).contains(&share(remand, total)),
        "remand {remand}"
    );
    assert!(
        (0.04..=0.07).contains(&share(women, total)),
        "women {women}"
    );
    assert!(
        (0.23..=0.30).contains(&share(foreign, total)),
        "foreign {foreign}"
    );
    assert!(
        (120..=180).contains(&preventive),
        "preventive detention {preventive}"
    );

    let mut per_prison: BTreeMap<&str, usize> = BTreeMap::new();
    for (person, state) in &roll {
        let id = state.prison.as_deref().unwrap();
        *per_prison.entry(id).or_default() += 1;
        let prison = prison(id);
        if state.basis == Some(CustodyBasis::Remand) {
            assert!(prison.remand, "remand prisoner in {id}");
        }
        if person.identity.sex == Sex::Female {
            assert!(prison.women, "woman in {id}");
        }
        let age = age_on(person.identity.birth_date, today());
        if age < 18 {
            assert!(prison.youth, "{age}-year-old in {id}");
        } else {
            assert!(!prison.youth, "{age}-year-old adult in youth unit {id}");
        }
        assert!((15..=85).contains(&age), "age {age}");
        if matches!(
            state.basis,
            Some(CustodyBasis::Sentence | CustodyBasis::PreventiveDetention)
        ) {
            assert!(!person.judgments.is_empty(), "{:?}", person.identity);
        }
    }
    let under_18 = roll
        .iter()
        .filter(|(p, _)| age_on(p.identity.birth_date, today()) < 18)
        .count();
    assert!((1..=6).contains(&under_18), "{under_18} under 18");
    for prison in &estate().prisons {
        let count = per_prison.get(prison.id.as_str()).copied().unwrap_or(0);
        assert!(
            count <= prison.capacity as usize,
            "{} over capacity",
            prison.id
        );
        if !prison.youth && prison.capacity >= 20 {
            let rate = share(count, prison.capacity as usize);
            assert!((0.7..=0.96).contains(&rate), "{}: {count}", prison.id);
        }
    }
    let oslo_unit: usize = roll
        .iter()
        .filter(|(_, s)| prison(s.prison.as_deref().unwrap()).unit == "Oslo fengsel")
        .count();
    assert!(oslo_unit >= 100, "{oslo_unit} in Oslo fengsel");
}

#[test]
fn sentence_lengths_on_the_roll_follow_the_sentenced_stock() {
    let roll = roll(national());
    let mut months: Vec<u32> = Vec::new();
    for (person, state) in &roll {
        if state.basis == Some(CustodyBasis::Sentence) {
            let judgment = person.judgments.last().unwrap();
            months.push(match (judgment.days, judgment.years_months) {
                (Some(days), None) => days / 30,
                (None, Some((y, m))) => y * 12 + m,
                other => panic!("{other:?}"),
            });
        }
    }
    let n = months.len();
    let under_year = months.iter().filter(|m| **m < 12).count();
    let one_to_five = months.iter().filter(|m| (12..60).contains(*m)).count();
    let ten_plus = months.iter().filter(|m| **m >= 120).count();
    eprintln!("sentenced {n}: <1y {under_year}, 1–5y {one_to_five}, ≥10y {ten_plus}");
    // Published: < 1 year 33 %, 1–5 years 45 %, 10 years and more 9 %.
    assert!((0.28..=0.38).contains(&share(under_year, n)));
    assert!((0.40..=0.50).contains(&share(one_to_five, n)));
    assert!((0.06..=0.12).contains(&share(ten_plus, n)));
}

#[test]
fn the_national_caseloads_match_the_published_figures() {
    let population = national();
    let em = active(population, SupervisionKind::ElectronicMonitoring);
    let parole = active(population, SupervisionKind::Parole);
    let community = active(population, SupervisionKind::CommunitySentence);
    eprintln!(
        "EM {}, parole {}, community {}",
        em.len(),
        parole.len(),
        community.len()
    );
    assert!((340..=460).contains(&em.len()), "EM {}", em.len());
    assert!(
        (600..=900).contains(&parole.len()),
        "parole {}",
        parole.len()
    );
    assert!(
        (850..=1150).contains(&community.len()),
        "community {}",
        community.len()
    );
    let mut per_office: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, office) in em.iter().chain(&parole).chain(&community) {
        *per_office.entry(office).or_default() += 1;
    }
    let offices: BTreeSet<&str> = estate()
        .probation_offices
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert!(per_office.keys().all(|id| offices.contains(id)));
    let oslo = per_office.get("F001").copied().unwrap_or(0);
    assert!(oslo >= 30, "{oslo} under F001");
    // Oslo, the largest municipality, has the largest caseload; most offices have someone.
    assert_eq!(per_office.values().max(), Some(&oslo));
    assert!(per_office.len() >= 28, "{per_office:?}");
    // Nobody is on the roll and under supervision at home at once.
    for (person, _) in em.iter().chain(&parole).chain(&community) {
        assert!(!state(person).status.in_custody(), "{:?}", person.identity);
    }
}

#[test]
fn the_national_population_has_years_of_history() {
    let population = national();
    let persons = population.persons.len();
    let movements: usize = population.persons.iter().map(|p| p.movements.len()).sum();
    let judgments: usize = population.persons.iter().map(|p| p.judgments.len()).sum();
    eprintln!("persons {persons}, movements {movements}, judgments {judgments}");
    assert!((15_000..=25_000).contains(&persons), "{persons}");
    assert!(movements >= 30_000, "{movements}");
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut released = 0;
    let mut escaped_and_recaptured = 0;
    for person in &population.persons {
        for m in &person.movements {
            *kinds.entry(m.kind.as_str()).or_default() += 1;
        }
        if state(person).status == CustodyStatus::Released {
            released += 1;
        }
        if person
            .movements
            .windows(2)
            .any(|w| w[0].kind == MovementKind::Escape && w[1].kind == MovementKind::Recapture)
        {
            escaped_and_recaptured += 1;
        }
    }
    eprintln!("{kinds:?}; released {released}; escaped and recaptured {escaped_and_recaptured}");
    for kind in MovementKind::ALL {
        assert!(
            kinds.get(kind.as_str()).copied().unwrap_or(0) >= 20,
            "{kind:?}"
        );
    }
    assert!(released >= 8_000, "{released}");
    assert!(escaped_and_recaptured >= 20);
    let first = population
        .persons
        .iter()
        .filter_map(|p| p.movements.first())
        .map(|m| m.at.date())
        .min()
        .unwrap();
    assert!(first <= date(2022, 6, 2), "history starts {first}");
    // Releases spread over the years, not bunched at the start or end.
    for year in 2022..=2025 {
        let releases = population
            .persons
            .iter()
            .flat_map(|p| &p.movements)
            .filter(|m| m.kind == MovementKind::Release && m.at.year() == year)
            .count();
        assert!(releases >= 1_000, "{releases} releases in {year}");
    }
}

/// The engine's input for a judgment, as the task describes it.
fn calc_input(
    judgment: &halden_sim::demo::Judgment,
    admission: Date,
    non_counting: &[Value],
) -> Value {
    let mut input = json!({
        "admission": admission.to_string(),
        "decision_date": judgment.decision_date.to_string(),
        "remand_deduction_days": judgment.remand_deduction_days,
    });
    let sentence = match (judgment.days, judgment.years_months) {
        (Some(days), None) => Some(json!({"kind": "prison", "days": days})),
        (None, Some((years, months))) => {
            Some(json!({"kind": "prison", "years": years, "months": months}))
        }
        (None, None) => None,
        other => panic!("both forms set: {other:?}"),
    };
    input["sentences"] = json!(sentence.into_iter().collect::<Vec<_>>());
    if let Some((frame, minimum)) = judgment.preventive_detention {
        input["preventive_detention"] = json!({
            "frame_years": frame,
            "minimum_years": minimum,
            "judgment_final": judgment.final_date.to_string(),
            "under_18_at_offence": false,
        });
    }
    if !non_counting.is_empty() {
        input["non_counting"] = json!(non_counting);
    }
    input
}

fn computed(input: &Value) -> Value {
    match halden_wire::calculate_json(&input.to_string()) {
        halden_wire::Outcome::Computed(result) => result,
        halden_wire::Outcome::Invalid(errors) => panic!("{input}\n{errors}"),
    }
}

#[test]
fn every_judgment_is_valid_input_for_the_sentence_engine() {
    for population in [small(), national()] {
        for person in &population.persons {
            for judgment in &person.judgments {
                assert!(
                    judgment.decision_date <= judgment.final_date,
                    "{judgment:?}"
                );
                assert!(judgment.final_date <= today(), "{judgment:?}");
                match (
                    judgment.days,
                    judgment.years_months,
                    judgment.preventive_detention,
                ) {
                    (Some(days), None, None) => assert!((14..=120).contains(&days)),
                    (None, Some((y, m)), None) => assert!(m < 12 && y * 12 + m > 4 && y <= 21),
                    (None, None, Some((frame, minimum))) => {
                        assert!(minimum <= frame && frame <= 21 && minimum <= 14)
                    }
                    other => panic!("{other:?}"),
                }
                let (prefix, rest) = judgment.case_number.split_once('-').unwrap();
                assert_eq!(prefix.len(), 2, "{}", judgment.case_number);
                assert!(rest[..6].chars().all(|c| c.is_ascii_digit()));
                assert!(
                    ["MED-", "ENE-", "AST-"].contains(&&rest[6..10]),
                    "{}",
                    judgment.case_number
                );
                assert!(
                    judgment.court.ends_with("tingrett")
                        || judgment.court.ends_with("lagmannsrett")
                );
                computed(&calc_input(judgment, judgment.final_date, &[]));
            }
        }
    }
}

#[test]
fn nobody_is_held_past_the_end_of_their_sentence() {
    for (person, state) in roll(national()).iter().chain(&roll(small())) {
        let Some(basis) = state.basis.filter(|b| b.is_serving()) else {
            continue;
        };
        let judgment = person.judgments.last().unwrap();
        let serving_start = state.serving_start.unwrap();
        assert!(
            judgment.final_date <= serving_start,
            "{judgment:?} {state:?}"
        );
        let non_counting: Vec<Value> = state
            .non_counting
            .iter()
            .map(|i| json!({"from": i.from.to_string(), "to": i.to.to_string(), "reason": i.reason.as_str()}))
            .collect();
        let result = computed(&calc_input(judgment, serving_start, &non_counting));
        let key = if basis == CustodyBasis::PreventiveDetention {
            "forvaring_frame_end"
        } else {
            "end_of_sentence"
        };
        let end = result["dates"][key]["date"].as_str().unwrap();
        assert!(
            end > today().to_string().as_str(),
            "{:?} held past {end}",
            person.identity
        );
    }
}

#[test]
fn remand_is_deducted_and_covered_by_orders() {
    let mut remand_then_sentence = 0;
    let mut with_bans = 0;
    let mut with_isolation = 0;
    let mut episodes = 0;
    for person in &national().persons {
        let moves = &person.movements;
        for (i, m) in moves.iter().enumerate() {
            if m.kind != MovementKind::Admission || m.basis != Some(CustodyBasis::Remand) {
                continue;
            }
            episodes += 1;
            let start = m.at.date();
            let end = moves[i + 1..]
                .iter()
                .find(|n| n.kind == MovementKind::BasisChange || n.kind.ends_episode())
                .map(|n| (n.kind, n.at.date()));
            if let Some((MovementKind::BasisChange, change)) = end {
                remand_then_sentence += 1;
                let judgment = person
                    .judgments
                    .iter()
                    .find(|j| j.final_date == change)
                    .unwrap_or_else(|| panic!("no judgment final on {change}: {person:?}"));
                assert_eq!(
                    i64::from(judgment.remand_deduction_days),
                    i64::from(start.until(change).unwrap().get_days()),
                );
            }
            let last = match end {
                Some((MovementKind::BasisChange, day)) => day.yesterday().unwrap(),
                Some((_, day)) => day,
                None => today(),
            };
            let orders: Vec<_> = person
                .remand_orders
                .iter()
                .filter(|o| o.until >= start && o.from <= last)
                .collect();
            assert!(!orders.is_empty(), "{person:?}");
            let mut day = start;
            for order in &orders {
                assert!(order.from <= order.until);
                assert!(order.from <= day, "gap before {}: {person:?}", order.from);
                day = order.until.tomorrow().unwrap();
            }
            assert!(day > last, "orders end before {last}");
            if orders.iter().any(|o| o.letter_ban || o.visit_ban) {
                with_bans += 1;
            }
            if orders
                .iter()
                .any(|o| o.full_isolation || o.partial_isolation)
            {
                with_isolation += 1;
            }
        }
    }
    eprintln!(
        "remand episodes {episodes}, then sentence {remand_then_sentence}, bans {with_bans}, isolation {with_isolation}"
    );
    assert!((0.10..=0.20).contains(&share(with_bans, episodes)));
    assert!((0.03..=0.08).contains(&share(with_isolation, episodes)));
    assert!(remand_then_sentence >= 1000);
}

#[test]
fn identities_are_valid_unique_and_plausible() {
    let population = national();
    let mut numbers = BTreeSet::new();
    let mut temporary = 0;
    let municipalities: BTreeSet<&str> = estate()
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    for person in &population.persons {
        let identity = &person.identity;
        match (&identity.identity_number, &identity.temporary_id) {
            (Some(number), None) => {
                assert!(identity_number_is_valid(number), "{number}");
                assert!(numbers.insert(number.clone()), "duplicate {number}");
                let birth = identity.birth_date;
                assert_eq!(
                    &number[..6],
                    format!(
                        "{:02}{:02}{:02}",
                        birth.day(),
                        birth.month() + 80,
                        birth.year() % 100
                    )
                );
                let odd = (number.as_bytes()[8] - b'0') % 2 == 1;
                assert_eq!(odd, identity.sex == Sex::Male, "{number}");
                // Tests register their own people with these individual numbers: never a demo
                // person's.
                let individual: u32 = number[6..9].parse().unwrap();
                assert!(
                    !RESERVED_INDIVIDUAL_NUMBERS
                        .iter()
                        .any(|r| r.contains(&individual)),
                    "{number} uses a reserved individual number"
                );
            }
            (None, Some(id)) => {
                temporary += 1;
                assert!(id.starts_with("T-") && id.len() == 8, "{id}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!identity.family_name.is_empty() && !identity.given_names.is_empty());
        assert!(municipalities.contains(identity.home_municipality.as_str()));
        assert_eq!(identity.citizenship.len(), 2);
        assert!(!identity.languages.is_empty());
        let age = age_on(identity.birth_date, today());
        assert!((15..=85).contains(&age), "{age}");
        // Nobody was under 15 at their first movement.
        if let Some(first) = person.movements.first() {
            assert!(age_on(identity.birth_date, first.at.date()) >= 15);
        }
    }
    let temporary_share = share(temporary, population.persons.len());
    eprintln!(
        "temporary ids {temporary} ({:.1} %)",
        100.0 * temporary_share
    );
    assert!((0.01..=0.05).contains(&temporary_share));
    let interpreters = population
        .persons
        .iter()
        .filter(|p| p.identity.interpreter_needed)
        .count();
    assert!(interpreters >= 1000, "{interpreters}");
}

fn check_demo_prisoner(population: &Population) {
    let person = &population.persons[population.demo_prisoner];
    let state = state(person);
    assert_eq!(state.status, CustodyStatus::Present);
    assert_eq!(state.prison.as_deref(), Some("P001"));
    assert_eq!(state.basis, Some(CustodyBasis::Sentence));
    let judgment = person.judgments.last().unwrap();
    assert!(judgment.final_date <= today());
    assert!(person.identity.identity_number.is_some());
}

#[test]
fn the_demo_prisoner_serves_a_sentence_in_oslo_fengsel() {
    check_demo_prisoner(national());
    check_demo_prisoner(small());
}

#[test]
fn the_small_population_has_the_persons_the_demo_needs() {
    let population = small();
    let roll = roll(population);
    eprintln!(
        "small: {} persons, {} in custody",
        population.persons.len(),
        roll.len()
    );
    assert!((120..=190).contains(&roll.len()), "{}", roll.len());
    assert!(roll.iter().any(|(p, s)| {
        s.prison.as_deref() == Some("P001")
            && s.basis == Some(CustodyBasis::Remand)
            && p.remand_orders.last().is_some_and(|o| {
                o.until >= today()
                    && (o.letter_ban || o.visit_ban || o.full_isolation || o.partial_isolation)
            })
    }));
    assert!(roll.iter().any(|(_, s)| s.status == CustodyStatus::OnLeave));
    assert!(population.persons.iter().any(|p| {
        p.movements
            .windows(2)
            .any(|w| w[0].kind == MovementKind::Escape && w[1].kind == MovementKind::Recapture)
    }));
    for kind in [
        SupervisionKind::ElectronicMonitoring,
        SupervisionKind::Parole,
        SupervisionKind::CommunitySentence,
    ] {
        assert!(
            active(population, kind)
                .iter()
                .any(|(_, office)| *office == "F001"),
            "{kind:?}"
        );
    }
    let units: BTreeSet<&str> = roll
        .iter()
        .map(|(_, s)| prison(s.prison.as_deref().unwrap()).unit.as_str())
        .collect();
    assert!(units.len() >= 10, "{units:?}");
    check_demo_prisoner(population);
}

#[test]
fn remand_credited_to_a_later_sentence_was_spent_in_a_released_remand_episode() {
    let mut credited = 0;
    for person in &national().persons {
        let moves = &person.movements;
        let mut released_remand: Vec<(Date, u32)> = Vec::new();
        for (i, m) in moves.iter().enumerate() {
            if m.kind == MovementKind::Admission && m.basis == Some(CustodyBasis::Remand) {
                let end = moves[i + 1..]
                    .iter()
                    .find(|n| n.kind == MovementKind::BasisChange || n.kind.ends_episode());
                if let Some(release) = end.filter(|n| n.kind == MovementKind::Release) {
                    let days = m.at.date().until(release.at.date()).unwrap().get_days();
                    released_remand.push((release.at.date(), days as u32));
                }
            }
        }
        for judgment in &person.judgments {
            let changed_that_day = moves
                .iter()
                .any(|m| m.kind == MovementKind::BasisChange && m.at.date() == judgment.final_date);
            if judgment.remand_deduction_days == 0 || changed_that_day {
                continue;
            }
            credited += 1;
            assert!(
                released_remand.iter().any(|(day, days)| {
                    *days == judgment.remand_deduction_days && *day < judgment.decision_date
                }),
                "{judgment:?} deducts remand that is not in the register: {person:?}"
            );
        }
    }
    eprintln!("judgments crediting an earlier remand episode: {credited}");
    assert!(credited >= 100, "{credited}");
}

#[test]
fn em_and_parole_periods_follow_the_sentence_engine() {
    let mut checked = 0;
    for person in &national().persons {
        let state = state(person);
        let Some(judgment) = person.judgments.last() else {
            continue;
        };
        for supervision in &person.supervision {
            if supervision.from > today() || supervision.until < today() {
                continue;
            }
            // The serving start: the last custody episode's, or the EM start for front door.
            let admission = match (supervision.kind, state.serving_start) {
                (SupervisionKind::Parole, Some(start)) => start,
                (SupervisionKind::ElectronicMonitoring, None) => supervision.from,
                _ => continue,
            };
            let result = computed(&calc_input(judgment, admission, &[]));
            let date_of = |key: &str| -> Option<Date> {
                result["dates"][key]["date"]
                    .as_str()
                    .map(|d| d.parse().unwrap())
            };
            let end = date_of("end_of_sentence").unwrap();
            let near = |a: Date, b: Date| a.until(b).unwrap().get_days().abs() <= 4;
            match supervision.kind {
                SupervisionKind::Parole => {
                    let parole = date_of("parole_eligibility").unwrap();
                    assert!(near(supervision.from, parole), "{supervision:?} {parole}");
                    assert!(near(supervision.until, end), "{supervision:?} {end}");
                }
                _ => {
                    let last_day = match date_of("parole_eligibility") {
                        Some(parole)
                            if supervision.until
                                < end.saturating_sub(jiff::Span::new().days(7)) =>
                        {
                            parole.yesterday().unwrap()
                        }
                        _ => end,
                    };
                    assert!(
                        near(supervision.until, last_day),
                        "{supervision:?} {result}"
                    );
                }
            }
            checked += 1;
        }
    }
    eprintln!("EM and parole periods checked against the engine: {checked}");
    assert!(checked >= 900, "{checked}");
}

#[test]
fn supervision_periods_are_consistent() {
    let offices: BTreeSet<&str> = estate()
        .probation_offices
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    for person in &national().persons {
        for pair in person.supervision.windows(2) {
            assert!(pair[0].from <= pair[1].from, "{:?}", person.supervision);
            assert!(
                pair[0].until < pair[1].from,
                "overlap {:?}",
                person.supervision
            );
        }
        for supervision in &person.supervision {
            assert!(supervision.from <= supervision.until);
            assert!(supervision.from <= today());
            assert!(offices.contains(supervision.office_id.as_str()));
        }
        // Whoever is supervised today is not also in a prison today.
        if person
            .supervision
            .iter()
            .any(|s| s.from <= today() && today() <= s.until)
        {
            assert!(!state(person).status.in_custody());
        }
    }
}

#[test]
fn other_seeds_and_days_give_valid_small_populations() {
    for (seed, day) in [
        (1, date(2024, 2, 29)),
        (2, date(2030, 12, 31)),
        (3, date(2021, 1, 1)),
        (u64::MAX, date(2025, 3, 1)),
    ] {
        let population = generate(estate(), seed, day, Scale::Small);
        for person in &population.persons {
            CustodyState::project(&person.movements).unwrap();
            assert!(person.movements.iter().all(|m| m.at.date() <= day));
            for judgment in &person.judgments {
                assert!(judgment.final_date <= day);
                computed(&calc_input(judgment, judgment.final_date, &[]));
            }
        }
        check_waiting(&population, day);
        let demo = &population.persons[population.demo_prisoner];
        let state = state(demo);
        assert_eq!(state.prison.as_deref(), Some("P001"));
        assert_eq!(state.status, CustodyStatus::Present);
        assert_eq!(state.basis, Some(CustodyBasis::Sentence));
    }
}

#[test]
fn placements_respect_the_estate_at_every_step_of_history() {
    let mut steps = 0;
    for population in [national(), small()] {
        for person in &population.persons {
            let mut state = CustodyState::default();
            for movement in &person.movements {
                state.apply(movement).unwrap();
                let Some(id) = state.prison.as_deref() else {
                    continue;
                };
                if !state.status.in_custody() {
                    continue;
                }
                steps += 1;
                let prison = prison(id);
                if state.basis == Some(CustodyBasis::Remand) {
                    assert!(prison.remand, "remand in {id} on {}", movement.at);
                }
                if person.identity.sex == Sex::Female {
                    assert!(prison.women, "woman in {id} on {}", movement.at);
                }
                let adult = age_on(person.identity.birth_date, movement.at.date()) >= 18;
                assert_eq!(!adult, prison.youth, "{:?} in {id}", person.identity);
            }
        }
    }
    assert!(steps > 50_000, "{steps}");
}

#[test]
fn an_empty_estate_gives_an_empty_population_rather_than_a_panic() {
    let empty = Estate {
        prisons: Vec::new(),
        probation_offices: Vec::new(),
        municipalities: Vec::new(),
    };
    assert!(
        generate(&empty, 1, today(), Scale::Small)
            .persons
            .is_empty()
    );
}

#[test]
fn a_scale_of_n_persons_continues_the_national_population() {
    let national = national();
    let more = generate(
        estate(),
        SEED,
        today(),
        Scale::Persons(national.persons.len() + 300),
    );
    assert_eq!(more.persons.len(), national.persons.len() + 300);
    assert_eq!(more.demo_prisoner, national.demo_prisoner);
    assert!(
        more.persons[..national.persons.len()] == national.persons[..],
        "the first persons are the national population's"
    );
    for person in &more.persons[national.persons.len()..] {
        let state = state(person);
        assert!(!state.status.in_custody(), "the extra persons are released");
    }
    // Fewer than the roll and caseloads: the roll and caseloads all the same, nobody released.
    let least = generate(estate(), SEED, today(), Scale::Persons(1));
    assert!(least.persons.len() > 5_000, "{}", least.persons.len());
    assert!(least.persons[..] == national.persons[..least.persons.len()]);
}
