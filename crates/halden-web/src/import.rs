//! Court files: the documented JSON and CSV formats (see `docs/court-files.md`), read into import
//! records with every problem named by its record or line and field. Shared by `halden import`,
//! the API and the upload form.

use halden_domain::validate::FieldError;
use halden_storage::{
    ImportRecord,
    facts::{Fact, Identity, Judgment},
};
use serde_json::{Map, Value, json};

/// Reads a court file; the format is JSON unless the text starts like a CSV header.
///
/// # Errors
///
/// Every problem found, each naming `judgments[i].field` (JSON) or `line n: field` (CSV).
pub fn read_court_file(text: &str) -> Result<Vec<ImportRecord>, Vec<FieldError>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        read_json(trimmed)
    } else {
        read_csv(trimmed)
    }
}

/// Stamps each judgment with the day the service received it (the import), unless the file
/// says: the 60-day limit and the queue count start there (R-INNK-1, R-QUEUE-1).
pub fn received_on(records: &mut [ImportRecord], day: jiff::civil::Date) {
    for record in records {
        record.judgment.received.get_or_insert(day);
    }
}

/// Reads the JSON format: `{"judgments": [{"person": {…}, "case_number": …, …}]}`.
///
/// # Errors
///
/// Every problem, each naming its record and field.
pub fn read_json(text: &str) -> Result<Vec<ImportRecord>, Vec<FieldError>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![FieldError::bilingual(
            "$",
            None,
            format!("not valid JSON: {e}"),
            format!(
                "er ikke gyldig JSON (linje {}, kolonne {})",
                e.line(),
                e.column()
            ),
        )]
    })?;
    let Some(object) = value.as_object() else {
        return Err(vec![FieldError::bilingual(
            "$",
            None,
            "must be an object with a 'judgments' list",
            "må være et objekt med en liste 'judgments'",
        )]);
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !matches!(k.as_str(), "judgments" | "format" | "court"))
    {
        return Err(vec![FieldError::bilingual(
            unknown.as_str(),
            None,
            "unknown field; expected 'format', 'court' and 'judgments'",
            "ukjent felt; forventet 'format', 'court' og 'judgments'",
        )]);
    }
    let Some(list) = object.get("judgments").and_then(Value::as_array) else {
        return Err(vec![FieldError::bilingual(
            "judgments",
            None,
            "is required and must be a list",
            "må fylles ut og være en liste",
        )]);
    };
    if list.is_empty() {
        return Err(vec![FieldError::bilingual(
            "judgments",
            None,
            "the file holds no judgment",
            "filen inneholder ingen dom",
        )]);
    }
    let default_court = object.get("court").cloned();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let prefix = format!("judgments[{i}]");
        let Some(fields) = item.as_object() else {
            problems.push(FieldError::bilingual(
                prefix,
                None,
                "must be an object",
                "må være et objekt",
            ));
            continue;
        };
        let mut judgment: Map<String, Value> = fields.clone();
        let person = judgment.remove("person");
        if let (false, Some(court)) = (judgment.contains_key("court"), &default_court) {
            judgment.insert("court".into(), court.clone());
        }
        let identity = match person {
            None => {
                problems.push(FieldError::bilingual(
                    format!("{prefix}.person"),
                    None,
                    "is required",
                    "må fylles ut",
                ));
                None
            }
            Some(person) => {
                match Fact::from_payload("identity", &person, &format!("{prefix}.person")) {
                    Ok(Fact::Identity(identity)) => Some(identity),
                    Ok(_) => None,
                    Err(list) => {
                        problems.extend(list);
                        None
                    }
                }
            }
        };
        let judgment = match Fact::from_payload("judgment", &Value::Object(judgment), &prefix) {
            Ok(Fact::Judgment(judgment)) => Some(judgment),
            Ok(_) => None,
            Err(list) => {
                problems.extend(list);
                None
            }
        };
        if let (Some(identity), Some(judgment)) = (identity, judgment) {
            records.push(ImportRecord { identity, judgment });
        }
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// The CSV format's columns, in order.
pub const CSV_COLUMNS: [&str; 21] = [
    "case_number",
    "court",
    "decision_date",
    "final_date",
    "remand_deduction_days",
    "offence_class",
    "identity_number",
    "temporary_id",
    "family_name",
    "given_names",
    "birth_date",
    "sex",
    "citizenship",
    "languages",
    "interpreter_needed",
    "home_municipality",
    "sentence_kind",
    "years",
    "months",
    "days",
    "unconditional_days",
];

/// Reads the CSV format: one row per sentence; consecutive rows with the same case number and
/// person make one judgment.
///
/// # Errors
///
/// Every problem, each naming `line n: column`.
pub fn read_csv(text: &str) -> Result<Vec<ImportRecord>, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![unreadable_row("line 1", &e)]),
    };
    let header_list: Vec<&str> = headers.iter().map(str::trim).collect();
    if header_list != CSV_COLUMNS {
        return Err(vec![FieldError::bilingual(
            "line 1",
            None,
            format!("the header must be exactly: {}", CSV_COLUMNS.join(",")),
            format!("overskriften må være nøyaktig: {}", CSV_COLUMNS.join(",")),
        )]);
    }
    let mut problems = Vec::new();
    // (line of first row, identity JSON, judgment JSON)
    let mut groups: Vec<(u64, Value, Map<String, Value>)> = Vec::new();
    for (index, row) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(unreadable_row(&format!("line {line}"), &e));
                continue;
            }
        };
        let cell = |name: &str| -> Option<String> {
            let i = CSV_COLUMNS.iter().position(|c| *c == name)?;
            row.get(i)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(ToString::to_string)
        };
        let number = |name: &str, problems: &mut Vec<FieldError>| -> Option<Value> {
            let text = cell(name)?;
            match text.parse::<u32>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    problems.push(FieldError::bilingual(
                        format!("line {line}: {name}"),
                        None,
                        format!("'{text}' is not a whole number"),
                        format!("'{text}' er ikke et heltall"),
                    ));
                    None
                }
            }
        };
        let mut person = Map::new();
        for key in [
            "identity_number",
            "temporary_id",
            "family_name",
            "given_names",
            "birth_date",
            "sex",
            "citizenship",
            "home_municipality",
        ] {
            if let Some(v) = cell(key) {
                person.insert(key.into(), Value::String(v));
            }
        }
        if let Some(languages) = cell("languages") {
            person.insert(
                "languages".into(),
                Value::Array(
                    languages
                        .split(['|', ' '])
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.to_string()))
                        .collect(),
                ),
            );
        }
        match cell("interpreter_needed").as_deref() {
            None | Some("no") | Some("false") => {}
            Some("yes") | Some("true") => {
                person.insert("interpreter_needed".into(), Value::Bool(true));
            }
            Some(other) => problems.push(FieldError::bilingual(
                format!("line {line}: interpreter_needed"),
                None,
                format!("'{other}' must be yes or no"),
                format!("'{other}' må være yes eller no"),
            )),
        }
        let mut sentence = Map::new();
        sentence.insert(
            "kind".into(),
            Value::String(cell("sentence_kind").unwrap_or_else(|| "prison".into())),
        );
        for key in ["years", "months", "days"] {
            if let Some(n) = number(key, &mut problems) {
                sentence.insert(key.into(), n);
            }
        }
        if let Some(n) = number("unconditional_days", &mut problems) {
            sentence.insert("unconditional".into(), json!({"days": n}));
        }
        let case_number = cell("case_number").unwrap_or_default();
        let person = Value::Object(person);
        let continues = groups.last().is_some_and(|(_, p, j)| {
            *p == person && j.get("case_number") == Some(&Value::String(case_number.clone()))
        });
        if continues {
            if let Some((_, _, judgment)) = groups.last_mut()
                && let Some(Value::Array(list)) = judgment.get_mut("sentences")
            {
                list.push(Value::Object(sentence));
            }
            continue;
        }
        let mut judgment = Map::new();
        for key in [
            "case_number",
            "court",
            "decision_date",
            "final_date",
            "offence_class",
        ] {
            if let Some(v) = cell(key) {
                judgment.insert(key.into(), Value::String(v));
            }
        }
        if let Some(n) = number("remand_deduction_days", &mut problems) {
            judgment.insert("remand_deduction_days".into(), n);
        }
        judgment.insert(
            "sentences".into(),
            Value::Array(vec![Value::Object(sentence)]),
        );
        groups.push((line, person, judgment));
    }
    if groups.is_empty() && problems.is_empty() {
        problems.push(FieldError::bilingual(
            "line 2",
            None,
            "the file holds no judgment",
            "filen inneholder ingen dom",
        ));
    }
    let mut records = Vec::new();
    for (line, person, judgment) in groups {
        let prefix = format!("line {line}");
        let identity: Option<Identity> = match Fact::from_payload("identity", &person, &prefix) {
            Ok(Fact::Identity(i)) => Some(i),
            Ok(_) => None,
            Err(list) => {
                problems.extend(list.into_iter().map(|e| csv_field(e, &prefix)));
                None
            }
        };
        let judgment: Option<Judgment> =
            match Fact::from_payload("judgment", &Value::Object(judgment), &prefix) {
                Ok(Fact::Judgment(j)) => Some(j),
                Ok(_) => None,
                Err(list) => {
                    problems.extend(list.into_iter().map(|e| csv_field(e, &prefix)));
                    None
                }
            };
        if let (Some(identity), Some(judgment)) = (identity, judgment) {
            records.push(ImportRecord { identity, judgment });
        }
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// `line 3.family_name` → `line 3: family_name`.
fn csv_field(error: FieldError, prefix: &str) -> FieldError {
    let field = match error.field.strip_prefix(prefix) {
        Some(rest) => format!("{prefix}: {}", rest.trim_start_matches('.')),
        None => error.field,
    };
    FieldError { field, ..error }
}

/// A CSV row the reader cannot read (e.g. a wrong number of cells), named by its line.
fn unreadable_row(line: &str, error: &csv::Error) -> FieldError {
    let nb = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("raden har {len} felt, men overskriften har {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "raden er ikke gyldig UTF-8-tekst".to_string(),
        _ => "raden kan ikke leses".to_string(),
    };
    FieldError::bilingual(line, None, error.to_string(), nb)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test fixtures")]
    use super::*;

    const HEADER: &str = "case_number,court,decision_date,final_date,remand_deduction_days,offence_class,identity_number,temporary_id,family_name,given_names,birth_date,sex,citizenship,languages,interpreter_needed,home_municipality,sentence_kind,years,months,days,unconditional_days";

    #[test]
    fn csv_rows_of_one_case_make_one_judgment() {
        let text = format!(
            "{HEADER}\n\
             25-1MED-OTIR/01,Oslo tingrett,2025-02-01,2025-02-20,10,ordinary,15076500565,,Nordmann,Kari,1965-07-15,female,NO,nb,no,Oslo,prison,1,,,\n\
             25-1MED-OTIR/01,Oslo tingrett,2025-02-01,2025-02-20,10,ordinary,15076500565,,Nordmann,Kari,1965-07-15,female,NO,nb,no,Oslo,fine_default,,,20,\n"
        );
        let records = read_csv(&text).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].judgment.sentences.len(), 2);
        assert_eq!(records[0].judgment.remand_deduction_days, 10);
    }

    #[test]
    fn csv_problems_name_line_and_column() {
        let text = format!(
            "{HEADER}\n\
             25-1MED-OTIR/01,Oslo tingrett,2025-02-01,,x,ordinary,15076500566,,Nordmann,Kari,1965-07-15,female,NO,nb,no,Oslo,prison,,,30,\n"
        );
        let problems = read_csv(&text).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"line 2: remand_deduction_days"),
            "{fields:?}"
        );
        assert!(fields.contains(&"line 2: identity_number"), "{fields:?}");
    }

    #[test]
    fn json_records_need_a_person() {
        let problems = read_json(
            r#"{"judgments": [{"case_number": "1", "court": "Oslo tingrett", "decision_date": "2025-01-01", "sentences": [{"kind": "prison", "days": 30}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(problems[0].field, "judgments[0].person");
    }

    #[test]
    fn every_problem_with_a_court_file_is_named_in_english_and_bokmal() {
        let row = "25-1,Oslo tingrett,2025-01-10,2025-01-31,ten,ordinary,12345678901,,,Test,1985-01-01,male,NO,nb,maybe,Oslo,prison,,,x,";
        let files = [
            "{".to_string(),
            "[]".to_string(),
            r#"{"colour": 1}"#.to_string(),
            r#"{"judgments": {}}"#.to_string(),
            r#"{"judgments": []}"#.to_string(),
            r#"{"judgments": [7, {"case_number": "1"}]}"#.to_string(),
            "a,b\n1,2".to_string(),
            format!("{HEADER}\n1,2,3"),
            HEADER.to_string(),
            format!("{HEADER}\n{row}"),
        ];
        let mut seen = 0;
        for file in &files {
            let problems = read_court_file(file).unwrap_err();
            assert!(!problems.is_empty(), "{file}");
            for p in problems {
                seen += 1;
                let nb = p.message_in(halden_domain::explain::Lang::Nb);
                assert!(
                    nb.is_some_and(|nb| !nb.is_empty() && nb != p.message),
                    "{file}: {}: {}",
                    p.field,
                    p.message
                );
            }
        }
        assert!(seen > files.len(), "{seen}");
    }
}
