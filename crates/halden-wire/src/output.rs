//! [`Calculation`] → the JSON result of the contract (`halden calc --json`).

use halden_domain::{
    Calculation,
    calc::ExactFraction,
    explain::{Bilingual, bilingual, explain, explain_community, explain_em_front_door},
    law::RuleId,
    policy::{
        ExpectedRelease, JudgmentFormCheck, MonthAnchor, MonthConversion, NonCountingDays, Policy,
        ProportionalRounding, ThresholdBase,
    },
    validate::FieldError,
};
use serde_json::{Map, Value, json};

fn text(b: Bilingual) -> Value {
    json!({"en": b.en, "nb": b.nb})
}

fn fraction(f: ExactFraction) -> Value {
    json!({"numerator": f.numerator, "denominator": f.denominator})
}

/// The success document.
pub fn calculation_json(calc: &Calculation, unfit_to_serve: bool) -> Value {
    let mut dates = Map::new();
    for (key, date) in calc.dates.iter() {
        dates.insert(
            key.as_str().to_owned(),
            json!({
                "date": date.date.to_string(),
                "rule": date.rule.id(),
                "reference": date.reference(),
                "explanation": text(bilingual(|lang| explain(calc, date, lang))),
            }),
        );
    }
    let mut out = Map::new();
    out.insert("term_days".into(), json!(calc.term_days));
    out.insert("to_serve_days".into(), json!(calc.to_serve_days));
    out.insert("nothing_to_serve".into(), json!(calc.nothing_to_serve));
    out.insert("parole".into(), json!(calc.parole.as_str()));
    out.insert(
        "em_front_door_eligible".into(),
        json!(calc.em_front_door_eligible),
    );
    out.insert("dates".into(), Value::Object(dates));
    if let Some(c) = &calc.community {
        out.insert(
            "community_sentence".into(),
            json!({
                "alternative_days": c.reduced_alternative_days,
                "hours": fraction(c.reduced_hours),
                "hours_rounded": c.reduced_hours.rounded(c.rounding),
                "execution_period_days": c.reduced_execution_period.rounded(c.rounding),
                "execution_period_exact": fraction(c.reduced_execution_period),
                "rule": RuleId::Samf4.id(),
                "reference": calc.remand_reference,
                "explanation": text(bilingual(|lang| explain_community(calc, c, lang))),
            }),
        );
    }
    if let Some(y) = &calc.youth {
        out.insert(
            "youth_sentence".into(),
            json!({
                "execution_period_days": y.days,
                "execution_period_end": y.end.to_string(),
                "rule": RuleId::Youth3.id(),
                "reference": RuleId::Youth3.reference(),
                "explanation": text(bilingual(|lang| match lang {
                    halden_domain::explain::Lang::En => format!(
                        "Youth sentence execution period (R-YOUTH-3, strl § 52 b): {} months from {} = {} days, last day {}; executed by the mediation service (konfliktrådet).",
                        y.months, calc.admission, y.days, y.end),
                    halden_domain::explain::Lang::Nb => format!(
                        "Gjennomføringstid for ungdomsstraff (R-YOUTH-3, strl § 52 b): {} måneder fra {} = {} dager, siste dag {}; gjennomføres av konfliktrådet.",
                        y.months, calc.admission, y.days, y.end),
                })),
            }),
        );
    }
    if let Some(s) = &calc.summons {
        out.insert(
            "summons".into(),
            json!({
                "latest_start": s.latest_start.to_string(),
                "latest_summons_arrival": s.latest_summons.to_string(),
                "queue_from": s.queue_from.to_string(),
                "rule": RuleId::Innk1.id(),
                "reference": RuleId::Innk1.reference(),
                "explanation": text(bilingual(|lang| match lang {
                    halden_domain::explain::Lang::En => format!(
                        "Received {}: serving must start by {} (60 days, R-INNK-1); the summons must arrive by {} (3 weeks before); not started by then, it is counted in the serving queue from {} (2 months, R-QUEUE-1).",
                        s.received, s.latest_start, s.latest_summons, s.queue_from),
                    halden_domain::explain::Lang::Nb => format!(
                        "Mottatt {}: soning skal starte senest {} (60 dager, R-INNK-1); innkallingen må være fremme senest {} (3 uker før); er soningen ikke startet, telles saken i soningskøen fra {} (2 måneder, R-QUEUE-1).",
                        s.received, s.latest_start, s.latest_summons, s.queue_from),
                })),
            }),
        );
    }
    let mut hints = Vec::new();
    let p = calc.placement;
    if p.consider_lower_security {
        hints.push(json!({
            "hint": "consider_lower_security",
            "rule": RuleId::Sec2.id(),
            "reference": RuleId::Sec2.reference(),
            "explanation": text(bilingual(|lang| match lang {
                halden_domain::explain::Lang::En => format!("The term of {} days is at most 2 years ({} days): direct placement in lower security shall be considered (R-SEC-2).", calc.term_days, p.two_years_days),
                halden_domain::explain::Lang::Nb => format!("Straffen på {} dager er høyst 2 år ({} dager): direkte plassering i fengsel med lavere sikkerhetsnivå skal vurderes (R-SEC-2).", calc.term_days, p.two_years_days),
            })),
        }));
    }
    if p.consider_halfway_house {
        hints.push(json!({
            "hint": "consider_halfway_house",
            "rule": RuleId::Sec2.id(),
            "reference": RuleId::Sec2.reference(),
            "explanation": text(bilingual(|lang| match lang {
                halden_domain::explain::Lang::En => format!("The term of {} days is at most 1 year ({} days): direct placement in a halfway house shall be considered (R-SEC-2).", calc.term_days, p.one_year_days),
                halden_domain::explain::Lang::Nb => format!("Straffen på {} dager er høyst 1 år ({} dager): direkte plassering i overgangsbolig skal vurderes (R-SEC-2).", calc.term_days, p.one_year_days),
            })),
        }));
    }
    out.insert("placement_hints".into(), Value::Array(hints));
    if calc.to_serve_days > 0 {
        out.insert(
            "em_front_door".into(),
            json!({
                "eligible": calc.em_front_door_eligible,
                "limit_months": calc.em_limit_months,
                "rule": RuleId::Em2.id(),
                "explanation": text(bilingual(|lang| explain_em_front_door(calc, unfit_to_serve, lang))),
            }),
        );
    }
    out.insert(
        "warnings".into(),
        Value::Array(calc.warnings.iter().map(field_error_json).collect()),
    );
    out.insert("policy".into(), policy_json(&calc.policy));
    out.insert(
        "engine".into(),
        json!({"name": "halden", "version": env!("CARGO_PKG_VERSION")}),
    );
    Value::Object(out)
}

/// One error or warning: `{"field", "message"}`, plus `"rule"` when a legal rule is broken.
pub fn field_error_json(error: &FieldError) -> Value {
    let mut m = Map::new();
    m.insert("field".into(), json!(error.field));
    m.insert("message".into(), json!(error.message));
    if let Some(rule) = error.rule {
        m.insert("rule".into(), json!(rule.id()));
        m.insert("reference".into(), json!(rule.reference()));
    }
    Value::Object(m)
}

/// The error document: `{"errors": [...]}`.
pub fn errors_json(errors: &[FieldError]) -> Value {
    json!({"errors": errors.iter().map(field_error_json).collect::<Vec<_>>()})
}

/// The policy values used, by their contract names.
pub fn policy_json(p: &Policy) -> Value {
    json!({
        "month_conversion": match p.month_conversion { MonthConversion::Calendar => "calendar", MonthConversion::FixedLength => "fixed_length" },
        "month_anchor": match p.month_anchor { MonthAnchor::AdmissionDate => "admission_date", MonthAnchor::RemandAdjustedStart => "remand_adjusted_start" },
        "non_counting_days": match p.non_counting_days { NonCountingDays::WholeDays => "whole_days", NonCountingDays::CommencedDays => "commenced_days" },
        "release_day_shift": "none",
        "early_parole": "off",
        "leave_min_days": p.leave_min_days,
        "leave_long_sentence_cap": p.leave_long_sentence_cap,
        "proportional_rounding": match p.proportional_rounding { ProportionalRounding::FavourConvicted => "favour_convicted", ProportionalRounding::Nearest => "nearest" },
        "judgment_form_check": match p.judgment_form_check { JudgmentFormCheck::Reject => "reject", JudgmentFormCheck::AcceptWithWarning => "accept_with_warning", JudgmentFormCheck::StatisticalDays => "statistical_days" },
        "expected_release": match p.expected_release { ExpectedRelease::ParoleDateIfEligible => "parole_date_if_eligible", ExpectedRelease::EndDate => "end_date" },
        "threshold_base": match p.threshold_base { ThresholdBase::UnconditionalPartOnly => "unconditional_part_only", ThresholdBase::WholeSentence => "whole_sentence" },
    })
}
