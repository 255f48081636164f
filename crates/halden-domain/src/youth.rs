//! The youth sentence (ungdomsstraff, strl §§ 52 a–c; R-YOUTH-3) at the boundary of the
//! correctional service.
//!
//! A youth sentence is executed by the mediation service (konfliktrådet), **not** by
//! Kriminalomsorgen: Halden records the judgment, the engine's execution period (R-YOUTH-3,
//! `calc::YouthSentenceDates`), Kriminalomsorgen's handover to the mediation service, and, after
//! § 52 c, the district court's order that the alternative prison sentence be executed wholly or
//! partly, whose days then are a prison sentence like any other received judgment. Halden holds
//! nothing of the youth plan itself (the youth coordinator's plan, the youth conference, the
//! follow-up team's notes): [`check_kind`] refuses every other kind of record, naming why.
//!
//! Pure: "today" arrives as a parameter.

use jiff::civil::Date;

use crate::{
    calendar::{CalendarLength, length_in_days},
    case::Term,
    law::RuleId,
    policy::MonthConversion,
    validate::FieldError,
};

/// Where the law puts the youth sentence with the mediation service (strl § 52 a, R-YOUTH-3).
pub const BOUNDARY_REFERENCE: &str = "strl § 52 a";
/// The district court's order that the alternative sentence be executed (strl § 52 c).
pub const ORDER_REFERENCE: &str = "strl § 52 c";

/// The kinds Kriminalomsorgen records about a youth sentence: its handover to the mediation
/// service, and the § 52 c order.
pub const EVENT_KINDS: [&str; 2] = ["handover", "alternative_ordered"];

/// Kinds that would be the youth plan's content: the mediation service's own records, which
/// Halden does not hold. Named so that the refusal can say why.
pub const MEDIATION_SERVICE_KINDS: [&str; 8] = [
    "plan",
    "youth_plan",
    "meeting",
    "youth_conference",
    "follow_up",
    "follow_up_note",
    "coordinator_note",
    "note",
];

/// Whether `kind` is one Kriminalomsorgen records; otherwise the refusal, naming `kind` and why.
///
/// # Errors
///
/// The youth plan's content (the mediation service's records) or an unknown kind.
pub fn check_kind(kind: &str) -> Result<(), FieldError> {
    if EVENT_KINDS.contains(&kind) {
        return Ok(());
    }
    if MEDIATION_SERVICE_KINDS.contains(&kind) {
        return Err(FieldError::bilingual(
            "kind",
            Some(RuleId::Youth3),
            format!(
                "'{kind}' is the youth plan's content: a youth sentence is executed by the mediation service (konfliktrådet), {BOUNDARY_REFERENCE}, R-YOUTH-3, which keeps the youth coordinator's plan, the meetings and the follow-up team's notes; Halden holds none of it"
            ),
            format!(
                "«{kind}» hører til ungdomsplanen: ungdomsstraff gjennomføres av konfliktrådet ({BOUNDARY_REFERENCE}, R-YOUTH-3), som fører ungdomskoordinatorens plan, møtene og oppfølgingsteamets notater; Halden har ingen av dem"
            ),
        ));
    }
    Err(FieldError::bilingual(
        "kind",
        Some(RuleId::Youth3),
        format!(
            "unknown kind '{kind}'; Kriminalomsorgen records only {} for a youth sentence (the rest is the mediation service's)",
            EVENT_KINDS.join(" and ")
        ),
        format!(
            "ukjent type «{kind}»; for ungdomsstraff registrerer kriminalomsorgen bare overføring til konfliktrådet og kjennelse etter § 52 c"
        ),
    ))
}

/// The first day of the youth sentence's execution period: the day the judgment became final,
/// else the day of the judgment. INFERENCE: RULES.md §7 gives the period's length (R-YOUTH-3,
/// strl § 52 b), not its first day; a final judgment is executed from then.
pub fn execution_start(decision_date: Date, final_date: Option<Date>) -> Date {
    final_date.unwrap_or(decision_date)
}

/// The alternative prison sentence in days, its years and months counted as calendar months
/// from `anchor` (C-1), plus its days. `None` past the end of the calendar.
pub fn alternative_days(term: Term, anchor: Date) -> Option<i32> {
    let length = CalendarLength {
        years: term.years.unwrap_or(0),
        months: term.months.unwrap_or(0),
    };
    let months = length_in_days(anchor, length, MonthConversion::Calendar).ok()?;
    months.checked_add(i32::try_from(term.days.unwrap_or(0)).ok()?)
}

/// Kriminalomsorgen's handover of a youth sentence to the mediation service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The day of the handover.
    pub date: Date,
    /// Which mediation service (e.g. `Konfliktrådet i Oslo`).
    pub mediation_service: String,
}

/// Checks a handover against the youth judgment (`judged`: the day of the judgment) and today.
pub fn check_handover(handover: &Handover, judged: Date, today: Date) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if handover.date < judged {
        problems.push(FieldError::bilingual(
            "date",
            None,
            format!("is before the judgment ({judged})"),
            format!("er før dommen ({judged})"),
        ));
    }
    if handover.date > today {
        problems.push(FieldError::bilingual(
            "date",
            None,
            format!("is after today ({today})"),
            format!("er etter i dag ({today})"),
        ));
    }
    text(
        &mut problems,
        "mediation_service",
        &handover.mediation_service,
    );
    problems
}

/// The district court's order under strl § 52 c that the alternative sentence be executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// The district court (tingrett).
    pub court: String,
    /// The order's case number.
    pub case_number: String,
    /// The day of the order.
    pub decided_on: Date,
    /// The days ordered executed: all of the alternative sentence (wholly) or some (partly).
    pub days: u32,
    /// The day Kriminalomsorgen received the final order (starts R-INNK-1 and R-QUEUE-1).
    pub received: Date,
}

/// Checks a § 52 c order against the youth judgment (`judged`: the day of the judgment; its
/// alternative sentence) and today. The alternative's months count from the order's day.
pub fn check_order(order: &Order, judged: Date, alternative: Term, today: Date) -> Vec<FieldError> {
    let mut problems = Vec::new();
    text(&mut problems, "court", &order.court);
    text(&mut problems, "case_number", &order.case_number);
    if order.decided_on < judged {
        problems.push(FieldError::bilingual(
            "decided_on",
            None,
            format!("is before the youth sentence's judgment ({judged})"),
            format!("er før dommen på ungdomsstraff ({judged})"),
        ));
    }
    if order.decided_on > today {
        problems.push(FieldError::bilingual(
            "decided_on",
            None,
            format!("is after today ({today})"),
            format!("er etter i dag ({today})"),
        ));
    }
    if order.received < order.decided_on {
        problems.push(FieldError::bilingual(
            "received",
            None,
            format!("is before the order ({})", order.decided_on),
            format!("er før kjennelsen ({})", order.decided_on),
        ));
    }
    if order.received > today {
        problems.push(FieldError::bilingual(
            "received",
            None,
            format!("is after today ({today})"),
            format!("er etter i dag ({today})"),
        ));
    }
    match alternative_days(alternative, order.decided_on) {
        _ if order.days == 0 => problems.push(FieldError::bilingual(
            "days",
            Some(RuleId::Youth3),
            "must be at least 1 day",
            "må være minst 1 dag",
        )),
        Some(most) if i64::from(order.days) > i64::from(most) => {
            problems.push(FieldError::bilingual(
                "days",
                Some(RuleId::Youth3),
                format!(
                    "{} days is more than the alternative prison sentence of {most} days: the court orders it executed wholly or partly ({ORDER_REFERENCE})",
                    order.days
                ),
                format!(
                    "{} dager er mer enn den subsidiære fengselsstraffen på {most} dager: retten beslutter at den fullbyrdes helt eller delvis ({ORDER_REFERENCE})",
                    order.days
                ),
            ))
        }
        Some(_) => {}
        None => problems.push(FieldError::bilingual(
            "days",
            Some(RuleId::Youth3),
            "the alternative prison sentence is out of range",
            "den subsidiære fengselsstraffen er utenfor gyldig område",
        )),
    }
    problems
}

fn text(problems: &mut Vec<FieldError>, field: &str, value: &str) {
    if value.trim().is_empty() {
        problems.push(FieldError::bilingual(
            field,
            None,
            "must not be empty",
            "må fylles ut",
        ));
    } else if value.chars().count() > 200 {
        problems.push(FieldError::bilingual(
            field,
            None,
            "is longer than 200 characters",
            "er lengre enn 200 tegn",
        ));
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn order(days: u32) -> Order {
        Order {
            court: "Oslo tingrett".into(),
            case_number: "26-031234ENE-OTIR/02".into(),
            decided_on: date(2026, 2, 20),
            days,
            received: date(2026, 3, 2),
        }
    }

    #[test]
    fn the_days_ordered_are_at_most_the_alternative_sentence() {
        let alternative = Term {
            years: None,
            months: Some(4),
            days: None,
        };
        // 4 calendar months from 2026-02-20: to 2026-06-20, i.e. 8 (rest of Feb: 28 − 20) + 31
        // (Mar) + 30 (Apr) + 31 (May) + 20 (Jun) = 120 days.
        assert_eq!(alternative_days(alternative, date(2026, 2, 20)), Some(120));
        let today = date(2026, 3, 10);
        assert!(check_order(&order(120), date(2025, 6, 1), alternative, today).is_empty());
        assert!(check_order(&order(90), date(2025, 6, 1), alternative, today).is_empty());
        let too_many = check_order(&order(121), date(2025, 6, 1), alternative, today);
        assert_eq!(too_many.len(), 1);
        assert_eq!(too_many[0].field, "days");
        let none = check_order(&order(0), date(2025, 6, 1), alternative, today);
        assert_eq!(none[0].field, "days");
    }

    #[test]
    fn an_order_is_dated_after_the_judgment_and_received_after_the_order() {
        let alternative = Term {
            years: None,
            months: None,
            days: Some(120),
        };
        let mut o = order(90);
        o.received = date(2026, 2, 1);
        o.court = " ".into();
        let found = check_order(&o, date(2026, 3, 1), alternative, date(2026, 1, 1));
        let fields: Vec<&str> = found.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["court", "decided_on", "decided_on", "received", "received"]
        );
    }

    #[test]
    fn the_youth_plan_is_refused_with_its_reason() {
        assert!(check_kind("handover").is_ok());
        assert!(check_kind("alternative_ordered").is_ok());
        let plan = check_kind("plan").unwrap_err();
        assert_eq!(plan.field, "kind");
        assert!(plan.message.contains("mediation service"));
        assert!(check_kind("whatever").is_err());
    }
}
