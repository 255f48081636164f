//! CSV extracts: the same report code runs on data that is not in this register.
//!
//! Episodes: `id,sex,citizenship,birth_date,status,admitted,released,setting`, one row per
//! custody episode (`sex` M/F, empty if unknown; `citizenship` ISO 3166 alpha-2, empty if
//! unknown; `birth_date` YYYY-MM-DD, empty if unknown; `status` `remand`, `sentenced`,
//! `preventive_detention` or `fine_default`; `admitted` YYYY-MM-DD; `released` empty while still
//! held; `setting` `prison` or `em`). Rows with the same `id` are one person: their sex,
//! citizenship and birth date must agree and their episodes must not overlap. An episode that
//! starts the day the person's previous one ends is a category change (a transfer out and in),
//! not a new imprisonment; every other episode is a new imprisonment (an extract cannot tell a
//! re-imprisonment after an escape from a new one, so E2 = E1 on extracts).
//!
//! Judgments (the queue): `id,received,started,planned_form` (`started` empty if not started;
//! `planned_form` `prison` or `em`).
//!
//! Published figures (data-quality checks): `table,row,column,value[,numerator,denominator]`.
//!
//! Every problem names its line and column; nothing is returned unless the whole file is good.

use std::{collections::HashMap, fmt, io::Read};

use halden_domain::queue::{PlannedForm, Waiting};
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::model::{Dataset, Day, Entry, Episode, Exit, Person, Setting, Sex, Source, Status, day};

/// One problem in an extract, at its line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError {
    /// The line of the file.
    pub line: u64,
    /// The column (1-based) and its name, when the problem is in one field.
    pub column: Option<(usize, String)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some((n, name)) => write!(
                f,
                "line {}, column {n} ({name}): {}",
                self.line, self.message
            ),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// The header of an episodes extract.
pub const EPISODES_HEADER: [&str; 8] = [
    "id",
    "sex",
    "citizenship",
    "birth_date",
    "status",
    "admitted",
    "released",
    "setting",
];

/// The header of a judgments extract.
pub const JUDGMENTS_HEADER: [&str; 4] = ["id", "received", "started", "planned_form"];

/// The header of a published-figures file (the last two columns are optional).
pub const PUBLISHED_HEADER: [&str; 6] = [
    "table",
    "row",
    "column",
    "value",
    "numerator",
    "denominator",
];

struct Rows {
    rows: Vec<(u64, csv::StringRecord)>,
}

fn read_all(mut input: impl Read) -> Result<(Vec<u8>, String), Vec<ExtractError>> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|e| {
        vec![ExtractError {
            line: 0,
            column: None,
            message: format!("cannot read the file: {e}"),
        }]
    })?;
    let digest = hex::encode(Sha256::digest(&bytes));
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the header.
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    Ok((bytes, digest))
}

/// Reads the records after checking the header against `expected` (the first `required`
/// columns must be present, in order).
fn records(bytes: &[u8], expected: &[&str], required: usize) -> Result<Rows, Vec<ExtractError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut header: Option<usize> = None;
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(ExtractError {
                    line,
                    column: None,
                    message: format!("not valid CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        match header {
            None => {
                let got: Vec<&str> = record.iter().map(str::trim).collect();
                let width = got.len();
                for (i, want) in expected.iter().enumerate() {
                    match got.get(i) {
                        Some(g) if g == want => {}
                        Some(g) if i < required || !g.is_empty() => errors.push(ExtractError {
                            line,
                            column: Some((i + 1, (*want).to_string())),
                            message: format!(
                                "the header must be `{}`; found `{g}`",
                                expected[..required.max(i + 1)].join(",")
                            ),
                        }),
                        None if i < required => errors.push(ExtractError {
                            line,
                            column: Some((i + 1, (*want).to_string())),
                            message: format!(
                                "the header must be `{}`; this column is missing",
                                expected[..required].join(",")
                            ),
                        }),
                        _ => {}
                    }
                }
                if width > expected.len() {
                    errors.push(ExtractError {
                        line,
                        column: Some((expected.len() + 1, got[expected.len()].to_string())),
                        message: format!(
                            "unexpected column; the header is `{}`",
                            expected.join(",")
                        ),
                    });
                }
                header = Some(width.min(expected.len()).max(required));
            }
            Some(width) => {
                if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
                    continue; // a blank line
                }
                if record.len() != width {
                    errors.push(ExtractError {
                        line,
                        column: None,
                        message: format!("{} fields; the header has {width}", record.len()),
                    });
                    continue;
                }
                rows.push((line, record));
            }
        }
    }
    if header.is_none() {
        errors.push(ExtractError {
            line: 1,
            column: None,
            message: format!(
                "the file is empty; the header must be `{}`",
                expected[..required].join(",")
            ),
        });
    }
    if errors.is_empty() {
        Ok(Rows { rows })
    } else {
        Err(errors)
    }
}

struct Fields<'a> {
    line: u64,
    record: &'a csv::StringRecord,
    header: &'a [&'a str],
    errors: &'a mut Vec<ExtractError>,
}

impl Fields<'_> {
    fn get(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("").trim()
    }

    fn fail(&mut self, i: usize, message: String) {
        self.errors.push(ExtractError {
            line: self.line,
            column: Some((i + 1, self.header[i].to_string())),
            message,
        });
    }

    fn date(&mut self, i: usize, required: bool) -> Option<Date> {
        let text = self.get(i).to_string();
        if text.is_empty() {
            if required {
                self.fail(i, "is required (a date, YYYY-MM-DD)".into());
            }
            return None;
        }
        match text.parse::<Date>() {
            Ok(d) if text.len() == 10 => Some(d),
            _ => {
                self.fail(i, format!("`{text}` is not a date (YYYY-MM-DD)"));
                None
            }
        }
    }
}

struct Row {
    line: u64,
    id: String,
    person: Person,
    status: Status,
    setting: Setting,
    start: Day,
    end: Option<Day>,
}

/// Reads an episodes extract.
///
/// # Errors
///
/// Every problem, each naming its line and column.
pub fn episodes(input: impl Read) -> Result<Dataset, Vec<ExtractError>> {
    let (bytes, digest) = read_all(input)?;
    let rows = records(&bytes, &EPISODES_HEADER, EPISODES_HEADER.len())?;
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (line, record) in &rows.rows {
        let mut f = Fields {
            line: *line,
            record,
            header: &EPISODES_HEADER,
            errors: &mut errors,
        };
        let id = f.get(0).to_string();
        if id.is_empty() {
            f.fail(0, "is required".into());
        }
        let sex = match f.get(1) {
            "M" | "m" => Some(Sex::Male),
            "F" | "f" => Some(Sex::Female),
            "" => Some(Sex::Unknown),
            other => {
                let other = other.to_string();
                f.fail(1, format!("`{other}` is not M or F (empty when unknown)"));
                None
            }
        };
        let citizenship = match f.get(2) {
            "" => Some(None),
            c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                let b = c.as_bytes();
                Some(Some([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
            }
            other => {
                let other = other.to_string();
                f.fail(
                    2,
                    format!(
                        "`{other}` is not an ISO 3166 alpha-2 code such as NO (empty when unknown)"
                    ),
                );
                None
            }
        };
        let birth = f.date(3, false);
        let birth_ok = f.get(3).is_empty() || birth.is_some();
        let status = Status::parse(f.get(4));
        if status.is_none() {
            let got = f.get(4).to_string();
            f.fail(
                4,
                format!(
                    "`{got}` is not one of remand, sentenced, preventive_detention, fine_default"
                ),
            );
        }
        let admitted = f.date(5, true);
        let released = f.date(6, false);
        let released_ok = f.get(6).is_empty() || released.is_some();
        if let (Some(a), Some(r)) = (admitted, released)
            && r < a
        {
            f.fail(6, format!("{r} is before the admission on {a}"));
        }
        let setting = match f.get(7) {
            "prison" => Some(Setting::Prison),
            "em" => Some(Setting::Em),
            other => {
                let other = other.to_string();
                f.fail(7, format!("`{other}` is not prison or em"));
                None
            }
        };
        if let (
            Some(sex),
            Some(citizenship),
            true,
            Some(status),
            Some(admitted),
            true,
            Some(setting),
        ) = (
            sex,
            citizenship,
            birth_ok,
            status,
            admitted,
            released_ok,
            setting,
        ) && !id.is_empty()
        {
            parsed.push(Row {
                line: *line,
                id,
                person: Person {
                    sex,
                    citizenship,
                    birth,
                },
                status,
                setting,
                start: day(admitted),
                end: released.map(day),
            });
        }
    }
    // Persons, consistent across their rows.
    let mut index: HashMap<&str, (u32, u64)> = HashMap::new();
    let mut persons: Vec<Person> = Vec::new();
    let mut person_of = Vec::with_capacity(parsed.len());
    for row in &parsed {
        match index.get(row.id.as_str()) {
            Some(&(i, first_line)) => {
                let known = persons[i as usize];
                let checks = [
                    (1, "sex", known.sex != row.person.sex),
                    (
                        2,
                        "citizenship",
                        known.citizenship != row.person.citizenship,
                    ),
                    (3, "birth_date", known.birth != row.person.birth),
                ];
                for (col, name, differs) in checks {
                    if differs {
                        errors.push(ExtractError {
                            line: row.line,
                            column: Some((col + 1, name.to_string())),
                            message: format!(
                                "differs from line {first_line} for the same id `{}`",
                                row.id
                            ),
                        });
                    }
                }
                person_of.push(i);
            }
            None => {
                let i = u32::try_from(persons.len()).unwrap_or(u32::MAX);
                index.insert(row.id.as_str(), (i, row.line));
                persons.push(row.person);
                person_of.push(i);
            }
        }
    }
    // Episodes per person in time order: overlaps refused, category changes marked.
    let mut order: Vec<usize> = (0..parsed.len()).collect();
    order.sort_by_key(|&i| {
        (
            person_of[i],
            parsed[i].start,
            parsed[i].end.unwrap_or(Day::MAX),
        )
    });
    let mut episodes: Vec<Episode> = Vec::with_capacity(parsed.len());
    let mut previous: Option<usize> = None;
    for &i in &order {
        let row = &parsed[i];
        let mut entry = Entry::New;
        if let Some(p) = previous
            && person_of[p] == person_of[i]
        {
            let before = &parsed[p];
            match before.end {
                None => errors.push(ExtractError {
                    line: row.line,
                    column: Some((6, "admitted".into())),
                    message: format!(
                        "overlaps the episode on line {} of the same id, which is still open (one row per episode; two legal bases at once are one row)",
                        before.line
                    ),
                }),
                Some(end) if row.start < end => errors.push(ExtractError {
                    line: row.line,
                    column: Some((6, "admitted".into())),
                    message: format!(
                        "overlaps the episode on line {} of the same id, released {} (one row per episode; two legal bases at once are one row)",
                        before.line,
                        crate::model::date(end)
                    ),
                }),
                Some(end) if row.start == end && before.start < end => {
                    entry = Entry::Transfer;
                    if let Some(last) = episodes.last_mut() {
                        last.exit = Some(Exit::Transfer);
                    }
                }
                Some(_) => {}
            }
        }
        episodes.push(Episode {
            person: person_of[i],
            status: row.status,
            setting: row.setting,
            start: row.start,
            end: row.end,
            entry,
            exit: row.end.map(|_| Exit::Discharge),
            // The extract's header has no sentence length.
            band: crate::bands::UNKNOWN,
        });
        previous = Some(i);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column.as_ref().map(|c| c.0)));
        return Err(errors);
    }
    let source = Source {
        kind: "extract",
        log_position: None,
        digest,
    };
    Dataset::new(persons, episodes, Vec::new(), Vec::new(), source).map_err(|e| {
        vec![ExtractError {
            line: 0,
            column: None,
            message: e.to_string(),
        }]
    })
}

/// Reads a judgments extract for the queue.
///
/// # Errors
///
/// Every problem, each naming its line and column.
pub fn judgments(input: impl Read) -> Result<(Vec<Waiting>, String), Vec<ExtractError>> {
    let (bytes, digest) = read_all(input)?;
    let rows = records(&bytes, &JUDGMENTS_HEADER, JUDGMENTS_HEADER.len())?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, record) in &rows.rows {
        let mut f = Fields {
            line: *line,
            record,
            header: &JUDGMENTS_HEADER,
            errors: &mut errors,
        };
        let id = f.get(0).to_string();
        if id.is_empty() {
            f.fail(0, "is required".into());
        } else if let Some(first) = seen.get(&id) {
            let first = *first;
            f.fail(0, format!("`{id}` is already on line {first}"));
        } else {
            seen.insert(id.clone(), *line);
        }
        let received = f.date(1, true);
        let started = f.date(2, false);
        let started_ok = f.get(2).is_empty() || started.is_some();
        let form = PlannedForm::parse(f.get(3));
        if form.is_none() {
            let got = f.get(3).to_string();
            f.fail(3, format!("`{got}` is not prison or em"));
        }
        if let (Some(received), true, Some(form)) = (received, started_ok, form) {
            out.push(Waiting {
                received,
                started,
                form,
            });
        }
    }
    if errors.is_empty() {
        Ok((out, digest))
    } else {
        Err(errors)
    }
}

/// A figure someone published, to be checked against the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The line it was on.
    pub line: u64,
    /// Table id.
    pub table: String,
    /// Row key.
    pub row: String,
    /// Column key.
    pub column: String,
    /// The value as published (its decimals say how it was rounded).
    pub value: String,
    /// The published counts behind a published share, if given.
    pub counts: Option<(i128, i128)>,
}

/// Reads a published-figures file.
///
/// # Errors
///
/// Every problem, each naming its line and column.
pub fn published(input: impl Read) -> Result<Vec<Published>, Vec<ExtractError>> {
    let (bytes, _) = read_all(input)?;
    let rows = records(&bytes, &PUBLISHED_HEADER, 4)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (line, record) in &rows.rows {
        let mut f = Fields {
            line: *line,
            record,
            header: &PUBLISHED_HEADER,
            errors: &mut errors,
        };
        for i in 0..3 {
            if f.get(i).is_empty() {
                f.fail(i, "is required".into());
            }
        }
        let value = f.get(3).to_string();
        if crate::dq::parse_decimal(&value).is_none() {
            f.fail(
                3,
                format!("`{value}` is not a number (digits, optionally `.` and decimals)"),
            );
        }
        let mut counts = None;
        if record.len() > 4 {
            let (n, d) = (f.get(4).to_string(), f.get(5).to_string());
            match (n.is_empty(), d.is_empty()) {
                (true, true) => {}
                _ => match (n.parse::<i128>(), d.parse::<i128>()) {
                    (Ok(n), Ok(d)) if d > 0 && n >= 0 => counts = Some((n, d)),
                    (Err(_), _) => f.fail(4, format!("`{n}` is not a whole number")),
                    _ => f.fail(5, format!("`{d}` is not a whole number above 0")),
                },
            }
        }
        out.push(Published {
            line: *line,
            table: f.get(0).to_string(),
            row: f.get(1).to_string(),
            column: f.get(2).to_string(),
            value,
            counts,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
