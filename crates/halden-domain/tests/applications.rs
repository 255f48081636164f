//! Postponement (R-INNK-2) and leave (R-LEAVE-1/2/4) rules, hand-worked from RULES.md §4 and §11.

use halden_domain::{
    applications::{
        LeaveKind, LeavePosition, LeaveRequest, PostponementGround, PostponementRule, check_leave,
        leave_quota, postponement,
    },
    law::RuleId,
};
use jiff::civil::date;

fn mandatory(ground: PostponementGround) -> bool {
    matches!(postponement(ground), PostponementRule::Mandatory(_))
}

#[test]
fn postponement_is_mandatory_on_the_listed_grounds_only() {
    assert!(mandatory(PostponementGround::SeriousIllness));
    // Due 2025-09-01, release 2025-10-15: due before release → mandatory.
    assert!(mandatory(PostponementGround::Pregnancy {
        due: date(2025, 9, 1),
        release: date(2025, 10, 15),
    }));
    // Due on the release day is not before it.
    assert!(!mandatory(PostponementGround::Pregnancy {
        due: date(2025, 10, 15),
        release: date(2025, 10, 15),
    }));
    // Born 2025-01-31; + 9 months = 2025-10-31 (C-1). Serving 2025-10-30: under 9 months.
    let born = date(2025, 1, 31);
    assert!(mandatory(PostponementGround::Infant {
        born,
        serving: date(2025, 10, 30),
    }));
    // On 2025-10-31 the child is 9 months: weighty reasons needed.
    assert!(!mandatory(PostponementGround::Infant {
        born,
        serving: date(2025, 10, 31),
    }));
    // Born 2025-05-31; + 9 months = 2026-02-28 (clamped to the month's end, C-1).
    assert!(mandatory(PostponementGround::Infant {
        born: date(2025, 5, 31),
        serving: date(2026, 2, 27),
    }));
    assert!(!mandatory(PostponementGround::Infant {
        born: date(2025, 5, 31),
        serving: date(2026, 2, 28),
    }));
    // Military service: accommodated for terms under 90 days.
    assert!(mandatory(PostponementGround::MilitaryService {
        term_days: 89
    }));
    assert!(!mandatory(PostponementGround::MilitaryService {
        term_days: 90
    }));
    match postponement(PostponementGround::Other) {
        PostponementRule::WeightyReasonsNeeded(finding) => {
            assert_eq!(finding.rule, RuleId::Innk2);
            assert!(finding.nb.contains("vektige grunner"));
            assert!(finding.en.contains("R-INNK-2"));
        }
        other => panic!("{other:?}"),
    }
}

fn position(used: u32, special: bool) -> LeavePosition {
    LeavePosition {
        ordinary_leave_from: date(2025, 6, 23),
        ordinary_leave_rule: RuleId::Leave1,
        used_this_year: used,
        special_grounds: special,
    }
}

fn ordinary(from: jiff::civil::Date, days: u32) -> LeaveRequest {
    LeaveRequest {
        kind: LeaveKind::Ordinary,
        from,
        days,
        hours: 0,
    }
}

#[test]
fn ordinary_leave_needs_the_leave_date_and_room_in_the_quota() {
    assert_eq!(leave_quota(false), 18);
    assert_eq!(leave_quota(true), 30);
    // From the leave date, 12 used + 6 asked = 18: within the quota.
    let granted = check_leave(&ordinary(date(2025, 6, 23), 6), &position(12, false)).unwrap();
    assert_eq!(
        granted.iter().map(|f| f.rule).collect::<Vec<_>>(),
        [RuleId::Leave1, RuleId::Leave2]
    );
    // The day before the leave date, and 12 + 7 = 19 > 18: both rules named, the excess is 1.
    let refused = check_leave(&ordinary(date(2025, 6, 22), 7), &position(12, false)).unwrap_err();
    assert_eq!(refused.len(), 2);
    assert!(
        refused[0].en.contains("only from 2025-06-23"),
        "{}",
        refused[0].en
    );
    assert!(
        refused[1].en.ends_with("by 1 (R-LEAVE-2, strgjfl § 33)"),
        "{}",
        refused[1].en
    );
    // With special grounds the quota is 30.
    assert!(check_leave(&ordinary(date(2025, 7, 1), 7), &position(12, true)).is_ok());
}

#[test]
fn welfare_leave_comes_before_the_leave_date_and_short_leave_after_it() {
    let welfare = |from| LeaveRequest {
        kind: LeaveKind::Welfare,
        from,
        days: 1,
        hours: 0,
    };
    assert!(check_leave(&welfare(date(2025, 6, 22)), &position(0, false)).is_ok());
    assert!(check_leave(&welfare(date(2025, 6, 23)), &position(0, false)).is_err());
    let short = |from, hours| LeaveRequest {
        kind: LeaveKind::Short,
        from,
        days: 0,
        hours,
    };
    // Outside the quota: allowed with the quota used up.
    assert!(check_leave(&short(date(2025, 6, 23), 5), &position(18, false)).is_ok());
    assert!(check_leave(&short(date(2025, 6, 23), 6), &position(0, false)).is_err());
    assert!(check_leave(&short(date(2025, 6, 22), 3), &position(0, false)).is_err());
}
