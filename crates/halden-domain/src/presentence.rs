//! Pre-sentence reports (personundersøkelse, straffeprosessloven § 161): a court asks the
//! probation office about the accused's situation and their suitability for a community sentence,
//! electronic monitoring or a programme, by a deadline.
//!
//! RULES.md has no rule id for § 161 (it is procedure, not execution); the checks here carry the
//! section in their messages instead. A request moves through three stages — requested, assigned
//! to a probation officer, delivered to the court — and is **overdue** on a day when its deadline
//! has passed and it is not delivered. Pure: "today" is a parameter.

use jiff::civil::Date;

use crate::{calendar::days_between, validate::FieldError};

/// The statute the requests follow (no RULES.md id).
pub const REFERENCE: &str = "straffeprosessloven § 161";

/// The longest free text accepted in one field of a report (characters).
pub const MAX_TEXT: usize = 20_000;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Received from the court; no officer yet.
    Requested,
    /// A probation officer writes it.
    Assigned,
    /// Sent to the court.
    Delivered,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 3] = [Stage::Requested, Stage::Assigned, Stage::Delivered];

    /// The stage from what has happened.
    pub fn of(assigned: bool, delivered: bool) -> Stage {
        match (assigned, delivered) {
            (_, true) => Stage::Delivered,
            (true, false) => Stage::Assigned,
            (false, false) => Stage::Requested,
        }
    }

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Requested => "requested",
            Stage::Assigned => "assigned",
            Stage::Delivered => "delivered",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Stage::Requested => ("requested", "bestilt"),
            Stage::Assigned => ("assigned to an officer", "tildelt saksbehandler"),
            Stage::Delivered => ("delivered to the court", "levert retten"),
        }
    }
}

/// The officer's assessment of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suitability {
    /// Suitable.
    Suitable,
    /// Not suitable.
    NotSuitable,
    /// Not assessed (the court did not ask, or the facts do not allow it).
    NotAssessed,
}

impl Suitability {
    /// Every value.
    pub const ALL: [Suitability; 3] = [
        Suitability::Suitable,
        Suitability::NotSuitable,
        Suitability::NotAssessed,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Suitability::Suitable => "suitable",
            Suitability::NotSuitable => "not_suitable",
            Suitability::NotAssessed => "not_assessed",
        }
    }

    /// Parses a machine name.
    pub fn parse(text: &str) -> Option<Suitability> {
        Suitability::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// (English, bokmål).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Suitability::Suitable => ("suitable", "egnet"),
            Suitability::NotSuitable => ("not suitable", "ikke egnet"),
            Suitability::NotAssessed => ("not assessed", "ikke vurdert"),
        }
    }
}

/// The situation fields of a report, in the order the document shows them: (name, English,
/// bokmål).
pub const SITUATION: [(&str, &str, &str); 6] = [
    ("housing", "Housing", "Bolig"),
    ("work", "Work or school", "Arbeid eller skole"),
    ("health", "Health", "Helse"),
    ("substance_use", "Substance use", "Rusmiddelbruk"),
    ("family", "Family and network", "Familie og nettverk"),
    ("motivation", "Motivation", "Motivasjon"),
];

/// The measures the officer assesses: (name, English, bokmål).
pub const MEASURES: [(&str, &str, &str); 3] = [
    (
        "community_sentence",
        "Suitability for a community sentence",
        "Egnethet for samfunnsstraff",
    ),
    (
        "electronic_monitoring",
        "Suitability for electronic monitoring",
        "Egnethet for elektronisk kontroll",
    ),
    (
        "programme",
        "Suitability for a programme",
        "Egnethet for program",
    ),
];

/// A report's content: the person's situation (texts by [`SITUATION`] name), the assessment of
/// each measure (by [`MEASURES`] name) and the officer's conclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The situation, one text per [`SITUATION`] entry, in that order.
    pub situation: [String; 6],
    /// The suitability for each of [`MEASURES`], in that order.
    pub suitability: [Suitability; 3],
    /// The officer's assessment in words.
    pub assessment: String,
}

fn required(field: &str, value: &str, problems: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        problems.push(FieldError::bilingual(
            field,
            None,
            "is required",
            "må fylles ut",
        ));
    } else if value.chars().count() > MAX_TEXT {
        problems.push(FieldError::bilingual(
            field,
            None,
            format!("is longer than {MAX_TEXT} characters"),
            format!("er lengre enn {MAX_TEXT} tegn"),
        ));
    }
}

/// A court's request: court and case number given, not received in the future, the deadline not
/// before the request. Every problem names its field.
pub fn check_request(
    court: &str,
    case_number: &str,
    requested: Date,
    deadline: Date,
    today: Date,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    required("court", court, &mut problems);
    required("case_number", case_number, &mut problems);
    if requested > today {
        problems.push(FieldError::bilingual(
            "requested",
            None,
            format!("the request cannot be dated after today ({today})"),
            format!("bestillingen kan ikke være datert etter i dag ({today})"),
        ));
    }
    if deadline < requested {
        problems.push(FieldError::bilingual(
            "deadline",
            None,
            format!("the deadline ({deadline}) is before the request ({requested})"),
            format!("fristen ({deadline}) er før bestillingen ({requested})"),
        ));
    }
    problems
}

/// A report's content: every situation field and the assessment written (each within
/// [`MAX_TEXT`]).
pub fn check_report(report: &Report) -> Vec<FieldError> {
    let mut problems = Vec::new();
    for ((name, _, _), text) in SITUATION.iter().zip(&report.situation) {
        required(name, text, &mut problems);
    }
    required("assessment", &report.assessment, &mut problems);
    problems
}

/// Delivery to the court: only a written report, once, dated from the request to today.
pub fn check_delivery(
    delivered: Date,
    requested: Date,
    today: Date,
    has_report: bool,
    stage: Stage,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if !has_report {
        problems.push(FieldError::bilingual(
            "report",
            None,
            format!("write the report before it is delivered ({REFERENCE})"),
            format!("skriv personundersøkelsen før den leveres ({REFERENCE})"),
        ));
    }
    if stage == Stage::Delivered {
        problems.push(FieldError::bilingual(
            "delivered",
            None,
            "the report is already delivered; correct the delivery instead",
            "personundersøkelsen er allerede levert; rett leveransen i stedet",
        ));
    }
    if delivered < requested {
        problems.push(FieldError::bilingual(
            "delivered",
            None,
            format!("the delivery ({delivered}) is before the request ({requested})"),
            format!("leveransen ({delivered}) er før bestillingen ({requested})"),
        ));
    }
    if delivered > today {
        problems.push(FieldError::bilingual(
            "delivered",
            None,
            format!("the delivery cannot be dated after today ({today})"),
            format!("leveransen kan ikke dateres etter i dag ({today})"),
        ));
    }
    problems
}

/// A report is written by the officer assigned, and no longer changed once delivered (the court
/// has the delivered version).
pub fn check_report_stage(stage: Stage) -> Vec<FieldError> {
    match stage {
        Stage::Requested => vec![FieldError::bilingual(
            "officer",
            None,
            "assign a probation officer before the report is written",
            "tildel en saksbehandler før personundersøkelsen skrives",
        )],
        Stage::Assigned => Vec::new(),
        Stage::Delivered => vec![FieldError::bilingual(
            "stage",
            None,
            "the report is delivered to the court; it can no longer be changed",
            "personundersøkelsen er levert retten og kan ikke lenger endres",
        )],
    }
}

/// Days overdue on `today`: `Some(n)` with n ≥ 1 when the deadline has passed (`today` after it)
/// and the report is not delivered; `None` otherwise. A report delivered on or before the
/// deadline, or not yet due, is not overdue.
pub fn overdue_days(deadline: Date, delivered: Option<Date>, today: Date) -> Option<i32> {
    if delivered.is_some() {
        return None;
    }
    let late = days_between(deadline, today);
    (late > 0).then_some(late)
}

/// Days after the deadline a delivered report reached the court (0 when on time).
pub fn days_late(deadline: Date, delivered: Date) -> i32 {
    days_between(deadline, delivered).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_deadline_passed_yesterday_is_overdue_by_one_day() {
        // Deadline 2026-12-01, today 2026-12-02: 2 − 1 = 1 day past, not delivered.
        assert_eq!(
            overdue_days(date(2026, 12, 1), None, date(2026, 12, 2)),
            Some(1)
        );
        // On the deadline itself nothing is late yet.
        assert_eq!(
            overdue_days(date(2026, 12, 1), None, date(2026, 12, 1)),
            None
        );
        // Across a month: deadline 2026-11-20, today 2026-12-02: 10 days of November left
        // (21..=30) + 2 = 12.
        assert_eq!(
            overdue_days(date(2026, 11, 20), None, date(2026, 12, 2)),
            Some(12)
        );
    }

    #[test]
    fn delivered_on_the_deadline_is_not_overdue() {
        let deadline = date(2026, 12, 1);
        assert_eq!(
            overdue_days(deadline, Some(date(2026, 12, 1)), date(2026, 12, 2)),
            None
        );
        assert_eq!(days_late(deadline, date(2026, 12, 1)), 0);
        // Delivered two days late (3 − 1 = 2): delivered, so not on the overdue list.
        assert_eq!(days_late(deadline, date(2026, 12, 3)), 2);
        assert_eq!(
            overdue_days(deadline, Some(date(2026, 12, 3)), date(2026, 12, 9)),
            None
        );
    }

    #[test]
    fn stages_follow_assignment_and_delivery() {
        assert_eq!(Stage::of(false, false), Stage::Requested);
        assert_eq!(Stage::of(true, false), Stage::Assigned);
        assert_eq!(Stage::of(true, true), Stage::Delivered);
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_request_names_each_field_it_lacks() {
        let today = date(2026, 12, 2);
        let problems = check_request(" ", "", date(2026, 12, 3), date(2026, 12, 1), today);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["court", "case_number", "requested", "deadline"]);
        assert!(problems.iter().all(|p| p.message_nb.is_some()));
        assert!(
            check_request(
                "Oslo tingrett",
                "26-1ENE-OTIR/01",
                date(2026, 11, 2),
                date(2026, 12, 1),
                today
            )
            .is_empty()
        );
    }

    #[test]
    fn delivery_needs_a_report_and_a_date_in_range() {
        let (requested, today) = (date(2026, 11, 2), date(2026, 12, 2));
        let fields = |p: Vec<FieldError>| p.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(check_delivery(
                date(2026, 11, 1),
                requested,
                today,
                false,
                Stage::Assigned
            )),
            ["report", "delivered"]
        );
        assert_eq!(
            fields(check_delivery(
                date(2026, 12, 3),
                requested,
                today,
                true,
                Stage::Assigned
            )),
            ["delivered"]
        );
        assert!(check_delivery(today, requested, today, true, Stage::Assigned).is_empty());
        assert_eq!(
            fields(check_delivery(
                today,
                requested,
                today,
                true,
                Stage::Delivered
            )),
            ["delivered"]
        );
        assert_eq!(check_report_stage(Stage::Delivered)[0].field, "stage");
        assert_eq!(check_report_stage(Stage::Requested)[0].field, "officer");
        assert!(check_report_stage(Stage::Assigned).is_empty());
    }

    #[test]
    fn a_report_needs_every_situation_field_and_the_assessment() {
        let mut report = Report {
            situation: std::array::from_fn(|_| "written".to_string()),
            suitability: [Suitability::Suitable; 3],
            assessment: "Suitable for a community sentence.".into(),
        };
        assert!(check_report(&report).is_empty());
        report.situation[3] = String::new();
        report.assessment = "  ".into();
        let fields: Vec<String> = check_report(&report).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["substance_use", "assessment"]);
    }
}
