//! `calculate_under`: the engine under a rule version other than the law in force (the
//! simulator's policy what-ifs). Expected dates worked by hand.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are built by the test itself, never outside input"
)]

use halden_domain::{
    Case,
    calc::{ParoleStatus, RuleVersion, calculate, calculate_under},
    case::{Sentence, SentenceKind, Term},
    law,
    policy::{JudgmentFormCheck, Policy},
};
use jiff::civil::date;

fn case(days: u32) -> Case {
    Case {
        sentences: vec![Sentence {
            kind: SentenceKind::Prison,
            term: Term::days(days),
            unconditional: None,
            legacy: false,
        }],
        policy: Policy {
            judgment_form_check: JudgmentFormCheck::AcceptWithWarning,
            ..Policy::default()
        },
        ..Case::new(date(2024, 1, 1))
    }
}

#[test]
fn in_force_is_the_plain_calculation() {
    let c = case(180);
    assert_eq!(
        calculate_under(&c, &RuleVersion::IN_FORCE).unwrap(),
        calculate(&c).unwrap()
    );
}

#[test]
fn parole_at_one_half() {
    // 180 days from 2024-01-01 (day 1): 1/2 → day max(ceil(180/2), 60) = 90 = 2024-03-30
    // (January 31 + February 29 = 60, so day 90 is March 30). End: day 180 = 2024-06-28
    // (60 + March 31 + April 30 + May 31 = 152; day 180 is June 28).
    let half = RuleVersion {
        parole_fraction: Some(law::ONE_HALF),
    };
    let calc = calculate_under(&case(180), &half).unwrap();
    assert_eq!(calc.parole, ParoleStatus::Ordinary);
    assert_eq!(
        calc.dates.parole_eligibility.unwrap().date,
        date(2024, 3, 30)
    );
    assert_eq!(calc.dates.end_of_sentence.unwrap().date, date(2024, 6, 28));
    // The 60-day minimum still holds: 100 days at 1/2 → day max(50, 60) = 60 = 2024-02-29.
    let calc = calculate_under(&case(100), &half).unwrap();
    assert_eq!(
        calc.dates.parole_eligibility.unwrap().date,
        date(2024, 2, 29)
    );
}

#[test]
fn no_parole_serves_in_full() {
    let none = RuleVersion {
        parole_fraction: None,
    };
    let calc = calculate_under(&case(180), &none).unwrap();
    assert_eq!(calc.parole, ParoleStatus::None);
    assert!(calc.dates.parole_eligibility.is_none());
    assert!(calc.dates.probation_end.is_none());
    assert_eq!(calc.dates.end_of_sentence.unwrap().date, date(2024, 6, 28));
}

#[test]
fn a_statistical_term_in_days_is_not_held_to_section_31_form() {
    use halden_domain::validate::validate;
    let with = |days: u32, check: JudgmentFormCheck| {
        let mut c = case(days);
        c.policy.judgment_form_check = check;
        validate(&c)
    };
    // 400 days is over § 31's 120 days in days: a judgment gets a warning (Q10 relaxed) …
    let judgment = with(400, JudgmentFormCheck::AcceptWithWarning);
    assert!(judgment.errors.is_empty());
    assert_eq!(judgment.warnings.len(), 1, "{judgment:?}");
    assert_eq!(judgment.warnings[0].field, "sentences[0].days");
    // … a term from statistics has no wording to check: nothing.
    let statistical = with(400, JudgmentFormCheck::StatisticalDays);
    assert!(
        statistical.errors.is_empty() && statistical.warnings.is_empty(),
        "{statistical:?}"
    );
    // The 14-day minimum (R-LEN-1) still holds for it: 10 days is refused.
    let short = with(10, JudgmentFormCheck::StatisticalDays);
    assert_eq!(short.errors.len(), 1, "{short:?}");
    assert_eq!(short.errors[0].field, "sentences[0].days");
    // And the engine's dates are the same either way: 400 days from 2024-01-01 end on day 400
    // = 2025-02-03 (2024 has 366 days: day 367 is 2025-01-01, day 400 is 33 days later).
    let mut c = case(400);
    c.policy.judgment_form_check = JudgmentFormCheck::StatisticalDays;
    assert_eq!(
        calculate(&c).unwrap().dates.end_of_sentence.unwrap().date,
        date(2025, 2, 3)
    );
}
