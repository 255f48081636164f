//! JSON → [`Case`], collecting every problem with the field path it belongs to.
//!
//! Parsing is done by hand over `serde_json::Value` rather than with derived `Deserialize`, so
//! that an error says `sentences[1].unconditional.days: must be a whole number` instead of
//! serde's first-failure message, and so that every problem is reported at once.

use halden_domain::{
    case::{
        Case, CommunitySentence, NonCountingInterval, NonCountingReason, OffenceClass,
        PreventiveDetention, Sentence, SentenceKind, Term, YouthSentence,
    },
    policy::{
        EarlyParole, ExpectedRelease, JudgmentFormCheck, MonthAnchor, MonthConversion,
        NonCountingDays, Policy, ProportionalRounding, ReleaseDayShift, ThresholdBase,
    },
    validate::FieldError,
};
use jiff::civil::Date;
use serde_json::{Map, Value};

/// Parses a case from JSON text. Every problem is returned, each naming its field.
///
/// # Errors
///
/// The list of problems: JSON syntax, types, unknown fields and missing fields. Legal validation
/// happens afterwards, in [`halden_domain::calculate`].
pub fn parse_case_str(text: &str) -> Result<Case, Vec<FieldError>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![FieldError::bilingual(
            "$",
            None,
            format!("not valid JSON: {e}"),
            format!("ikke gyldig JSON: {e}"),
        )]
    })?;
    parse_case(&value)
}

/// Parses a case from a JSON value. See [`parse_case_str`].
///
/// # Errors
///
/// Every problem found, each naming its field.
pub fn parse_case(value: &Value) -> Result<Case, Vec<FieldError>> {
    let mut r = Reader::default();
    let case = r.case(value);
    match (case, r.errors.is_empty()) {
        (Some(case), true) => Ok(case),
        _ => Err(r.errors),
    }
}

#[derive(Default)]
struct Reader {
    errors: Vec<FieldError>,
}

/// An object's fields, checked against the allowed names.
struct Object<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl Reader {
    fn error(&mut self, field: impl Into<String>, en: impl Into<String>, nb: impl Into<String>) {
        self.errors.push(FieldError::bilingual(field, None, en, nb));
    }

    fn object<'a>(&mut self, path: &str, value: &'a Value, allowed: &[&str]) -> Option<Object<'a>> {
        let Some(map) = value.as_object() else {
            self.error(
                if path.is_empty() { "$" } else { path },
                format!("must be an object, not {}", kind(value).0),
                format!("må være et objekt, ikke {}", kind(value).1),
            );
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                self.error(
                    join(path, key),
                    format!("unknown field; expected one of: {}", allowed.join(", ")),
                    format!("ukjent felt; forventet ett av: {}", allowed.join(", ")),
                );
            }
        }
        Some(Object {
            path: path.to_owned(),
            map,
        })
    }

    fn date(&mut self, obj: &Object<'_>, key: &str) -> Option<Date> {
        let value = obj.map.get(key).filter(|v| !v.is_null())?;
        let field = join(&obj.path, key);
        match value.as_str() {
            Some(text) => match parse_date(text) {
                Some(date) => Some(date),
                None => {
                    self.error(
                        field,
                        format!("`{text}` is not a valid date (YYYY-MM-DD)"),
                        format!("`{text}` er ikke en gyldig dato (ÅÅÅÅ-MM-DD)"),
                    );
                    None
                }
            },
            None => {
                self.error(
                    field,
                    format!("must be a date string YYYY-MM-DD, not {}", kind(value).0),
                    format!("må være en dato ÅÅÅÅ-MM-DD, ikke {}", kind(value).1),
                );
                None
            }
        }
    }

    fn required_date(&mut self, obj: &Object<'_>, key: &str) -> Option<Date> {
        if obj.map.get(key).is_none_or(Value::is_null) {
            self.error(
                join(&obj.path, key),
                "is required (a date YYYY-MM-DD)",
                "må fylles ut (en dato ÅÅÅÅ-MM-DD)",
            );
            return None;
        }
        self.date(obj, key)
    }

    /// A non-negative whole number that fits `u32`; `None` when absent or wrong (reported).
    fn count(&mut self, obj: &Object<'_>, key: &str) -> Option<u32> {
        let value = obj.map.get(key).filter(|v| !v.is_null())?;
        let field = join(&obj.path, key);
        if let Some(n) = value.as_u64() {
            return match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(
                        field,
                        format!("{n} is too large"),
                        format!("{n} er for stort"),
                    );
                    None
                }
            };
        }
        let (en, nb) = match value {
            Value::Number(n) if n.as_i64().is_some() => (
                format!("{n} must not be negative"),
                format!("{n} kan ikke være negativt"),
            ),
            Value::Number(n) => (
                format!("{n} must be a whole number"),
                format!("{n} må være et heltall"),
            ),
            other => (
                format!("must be a whole number, not {}", kind(other).0),
                format!("må være et heltall, ikke {}", kind(other).1),
            ),
        };
        self.error(field, en, nb);
        None
    }

    fn required_count(&mut self, obj: &Object<'_>, key: &str) -> Option<u32> {
        if obj.map.get(key).is_none_or(Value::is_null) {
            self.error(
                join(&obj.path, key),
                "is required (a whole number)",
                "må fylles ut (et heltall)",
            );
            return None;
        }
        self.count(obj, key)
    }

    fn flag(&mut self, obj: &Object<'_>, key: &str) -> bool {
        match obj.map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.error(
                    join(&obj.path, key),
                    format!("must be true or false, not {}", kind(other).0),
                    format!("må være true eller false, ikke {}", kind(other).1),
                );
                false
            }
        }
    }

    /// A string that must be one of `choices`; returns its index.
    fn choice(&mut self, obj: &Object<'_>, key: &str, choices: &[&str]) -> Option<usize> {
        let value = obj.map.get(key).filter(|v| !v.is_null())?;
        let field = join(&obj.path, key);
        match value
            .as_str()
            .and_then(|s| choices.iter().position(|c| *c == s))
        {
            Some(i) => Some(i),
            None => {
                self.error(
                    field,
                    format!("must be one of: {}; got {value}", choices.join(", ")),
                    format!("må være én av: {}; fikk {value}", choices.join(", ")),
                );
                None
            }
        }
    }

    fn case(&mut self, value: &Value) -> Option<Case> {
        const FIELDS: &[&str] = &[
            "admission",
            "decision_date",
            "remand_deduction_days",
            "offence_class",
            "sentences",
            "preventive_detention",
            "community_sentence",
            "youth_sentence",
            "non_counting",
            "offender_birth_date",
            "offence_date",
            "unfit_to_serve",
            "deemed_served",
            "received",
            "policy",
        ];
        let obj = self.object("", value, FIELDS)?;
        let admission = self.required_date(&obj, "admission");
        let decision_date = self.date(&obj, "decision_date");
        let remand_deduction_days = self.count(&obj, "remand_deduction_days").unwrap_or(0);
        let offence_class = match self.choice(
            &obj,
            "offence_class",
            &["ordinary", "multiple_grave", "max_30"],
        ) {
            Some(1) => OffenceClass::MultipleGrave,
            Some(2) => OffenceClass::Max30,
            _ => OffenceClass::Ordinary,
        };
        let sentences = self.array(&obj, "sentences", |r, path, v| r.sentence(path, v));
        let preventive_detention = obj
            .map
            .get("preventive_detention")
            .filter(|v| !v.is_null())
            .and_then(|v| self.preventive_detention(v));
        let community_sentence = obj
            .map
            .get("community_sentence")
            .filter(|v| !v.is_null())
            .and_then(|v| self.community(v));
        let youth_sentence = obj
            .map
            .get("youth_sentence")
            .filter(|v| !v.is_null())
            .and_then(|v| self.youth(v));
        let non_counting = self.array(&obj, "non_counting", |r, path, v| r.interval(path, v));
        let offender_birth_date = self.date(&obj, "offender_birth_date");
        let offence_date = self.date(&obj, "offence_date");
        let unfit_to_serve = self.flag(&obj, "unfit_to_serve");
        let deemed_served = self.flag(&obj, "deemed_served");
        let received = self.date(&obj, "received");
        let policy = match obj.map.get("policy").filter(|v| !v.is_null()) {
            Some(v) => self.policy(v),
            None => Policy::default(),
        };
        let admission = admission?;
        Some(Case {
            admission,
            decision_date: decision_date.unwrap_or(admission),
            remand_deduction_days,
            offence_class,
            sentences,
            preventive_detention,
            community_sentence,
            youth_sentence,
            non_counting,
            offender_birth_date,
            offence_date,
            unfit_to_serve,
            deemed_served,
            received,
            policy,
        })
    }

    fn array<T>(
        &mut self,
        obj: &Object<'_>,
        key: &str,
        mut item: impl FnMut(&mut Reader, &str, &Value) -> Option<T>,
    ) -> Vec<T> {
        let Some(value) = obj.map.get(key).filter(|v| !v.is_null()) else {
            return Vec::new();
        };
        let path = join(&obj.path, key);
        let Some(items) = value.as_array() else {
            self.error(
                path,
                format!("must be a list, not {}", kind(value).0),
                format!("må være en liste, ikke {}", kind(value).1),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| item(self, &format!("{path}[{i}]"), v))
            .collect()
    }

    fn term(&mut self, obj: &Object<'_>, prefix: &str) -> Term {
        Term {
            years: self.count(obj, &format!("{prefix}years")),
            months: self.count(obj, &format!("{prefix}months")),
            days: self.count(obj, &format!("{prefix}days")),
        }
    }

    fn sentence(&mut self, path: &str, value: &Value) -> Option<Sentence> {
        let obj = self.object(
            path,
            value,
            &["kind", "days", "years", "months", "unconditional", "legacy"],
        )?;
        let kinds = [
            SentenceKind::Prison,
            SentenceKind::FineDefault,
            SentenceKind::ForeignTransfer,
        ];
        let names = kinds.map(SentenceKind::as_str);
        if obj.map.get("kind").is_none_or(Value::is_null) {
            self.error(
                join(path, "kind"),
                format!("is required: one of {}", names.join(", ")),
                format!("må fylles ut: én av {}", names.join(", ")),
            );
        }
        let kind = self.choice(&obj, "kind", &names).map(|i| kinds[i]);
        let term = self.term(&obj, "");
        let unconditional = match obj.map.get("unconditional").filter(|v| !v.is_null()) {
            Some(v) => {
                let upath = join(path, "unconditional");
                let uobj = self.object(&upath, v, &["days", "years", "months"])?;
                Some(self.term(&uobj, ""))
            }
            None => None,
        };
        let legacy = self.flag(&obj, "legacy");
        Some(Sentence {
            kind: kind?,
            term,
            unconditional,
            legacy,
        })
    }

    fn preventive_detention(&mut self, value: &Value) -> Option<PreventiveDetention> {
        let obj = self.object(
            "preventive_detention",
            value,
            &[
                "frame_years",
                "minimum_years",
                "judgment_final",
                "under_18_at_offence",
            ],
        )?;
        let frame_years = self.required_count(&obj, "frame_years");
        let minimum_years = self.count(&obj, "minimum_years");
        let judgment_final = self.date(&obj, "judgment_final");
        let under_18_at_offence = self.flag(&obj, "under_18_at_offence");
        Some(PreventiveDetention {
            frame_years: frame_years?,
            minimum_years,
            judgment_final,
            under_18_at_offence,
        })
    }

    fn community(&mut self, value: &Value) -> Option<CommunitySentence> {
        let obj = self.object(
            "community_sentence",
            value,
            &[
                "hours",
                "alternative_days",
                "alternative_months",
                "alternative_years",
                "execution_period_days",
                "execution_period_months",
            ],
        )?;
        let hours = self.required_count(&obj, "hours");
        let alternative = self.term(&obj, "alternative_");
        let execution_period = Term {
            years: None,
            months: self.count(&obj, "execution_period_months"),
            days: self.count(&obj, "execution_period_days"),
        };
        Some(CommunitySentence {
            hours: hours?,
            alternative,
            execution_period,
        })
    }

    fn youth(&mut self, value: &Value) -> Option<YouthSentence> {
        let obj = self.object(
            "youth_sentence",
            value,
            &[
                "execution_period_months",
                "alternative_days",
                "alternative_months",
                "alternative_years",
            ],
        )?;
        let months = self.required_count(&obj, "execution_period_months");
        let alternative = self.term(&obj, "alternative_");
        Some(YouthSentence {
            execution_period_months: months?,
            alternative,
        })
    }

    fn interval(&mut self, path: &str, value: &Value) -> Option<NonCountingInterval> {
        let obj = self.object(path, value, &["from", "to", "reason"])?;
        let from = self.required_date(&obj, "from");
        let to = self.required_date(&obj, "to");
        let names = NonCountingReason::ALL.map(NonCountingReason::as_str);
        if obj.map.get("reason").is_none_or(Value::is_null) {
            self.error(
                join(path, "reason"),
                format!("is required: one of {}", names.join(", ")),
                format!("må fylles ut: én av {}", names.join(", ")),
            );
        }
        let reason = self
            .choice(&obj, "reason", &names)
            .map(|i| NonCountingReason::ALL[i]);
        Some(NonCountingInterval {
            from: from?,
            to: to?,
            reason: reason?,
        })
    }

    fn policy(&mut self, value: &Value) -> Policy {
        const FIELDS: &[&str] = &[
            "month_conversion",
            "month_anchor",
            "non_counting_days",
            "release_day_shift",
            "early_parole",
            "leave_min_days",
            "leave_long_sentence_cap",
            "proportional_rounding",
            "judgment_form_check",
            "expected_release",
            "threshold_base",
        ];
        let mut policy = Policy::default();
        let Some(obj) = self.object("policy", value, FIELDS) else {
            return policy;
        };
        if let Some(i) = self.choice(&obj, "month_conversion", &["calendar", "fixed_length"]) {
            policy.month_conversion = [MonthConversion::Calendar, MonthConversion::FixedLength][i];
        }
        if let Some(i) = self.choice(
            &obj,
            "month_anchor",
            &["admission_date", "remand_adjusted_start"],
        ) {
            policy.month_anchor = [MonthAnchor::AdmissionDate, MonthAnchor::RemandAdjustedStart][i];
        }
        if let Some(i) = self.choice(&obj, "non_counting_days", &["whole_days", "commenced_days"]) {
            policy.non_counting_days =
                [NonCountingDays::WholeDays, NonCountingDays::CommencedDays][i];
        }
        if self.choice(&obj, "release_day_shift", &["none"]).is_some() {
            policy.release_day_shift = ReleaseDayShift::None;
        }
        if self.choice(&obj, "early_parole", &["off"]).is_some() {
            policy.early_parole = EarlyParole::Off;
        }
        if let Some(days) = self.count(&obj, "leave_min_days") {
            policy.leave_min_days = days;
        }
        policy.leave_long_sentence_cap = self.flag(&obj, "leave_long_sentence_cap");
        if let Some(i) = self.choice(
            &obj,
            "proportional_rounding",
            &["favour_convicted", "nearest"],
        ) {
            policy.proportional_rounding = [
                ProportionalRounding::FavourConvicted,
                ProportionalRounding::Nearest,
            ][i];
        }
        if let Some(i) = self.choice(
            &obj,
            "judgment_form_check",
            &["reject", "accept_with_warning"],
        ) {
            policy.judgment_form_check = [
                JudgmentFormCheck::Reject,
                JudgmentFormCheck::AcceptWithWarning,
            ][i];
        }
        if let Some(i) = self.choice(
            &obj,
            "expected_release",
            &["parole_date_if_eligible", "end_date"],
        ) {
            policy.expected_release = [
                ExpectedRelease::ParoleDateIfEligible,
                ExpectedRelease::EndDate,
            ][i];
        }
        if let Some(i) = self.choice(
            &obj,
            "threshold_base",
            &["unconditional_part_only", "whole_sentence"],
        ) {
            policy.threshold_base = [
                ThresholdBase::UnconditionalPartOnly,
                ThresholdBase::WholeSentence,
            ][i];
        }
        policy
    }
}

/// A strict `YYYY-MM-DD` date: no times, no offsets, a real calendar day.
fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let year: i16 = text[0..4].parse().ok()?;
    let month: i8 = text[5..7].parse().ok()?;
    let day: i8 = text[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// What a JSON value is, in English and bokmål.
fn kind(value: &Value) -> (&'static str, &'static str) {
    match value {
        Value::Null => ("null", "null"),
        Value::Bool(_) => ("a boolean", "en sannhetsverdi"),
        Value::Number(_) => ("a number", "et tall"),
        Value::String(_) => ("a string", "en tekst"),
        Value::Array(_) => ("a list", "en liste"),
        Value::Object(_) => ("an object", "et objekt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("2025-2-3"), None);
        assert_eq!(parse_date("2025-02-03T00:00"), None);
        assert_eq!(
            parse_date("2024-02-29"),
            Some(jiff::civil::date(2024, 2, 29))
        );
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let errors = parse_case_str(
            r#"{"admission": "2025-13-01", "remand_deduction_days": -3,
                "sentences": [{"kind": "prison", "days": 30.5}, {"kind": "jail", "days": 20}],
                "colour": "red"}"#,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "colour",
                "admission",
                "remand_deduction_days",
                "sentences[0].days",
                "sentences[1].kind"
            ]
        );
    }
}
