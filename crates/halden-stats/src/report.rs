//! The report as data, and its renderings: JSON `{metadata, tables[], reconciliation[],
//! warnings[]}` and long-format CSV (STATISTICS.md §3).

use jiff::civil::Date;
use serde_json::{Map, Value as Json, json};

use crate::ratio::{Ratio, format_tenths};

/// The version of the report definitions; printed in every metadata block.
pub const REPORT_VERSION: u32 = 1;

/// The rounding rule, printed in every metadata block.
pub const ROUNDING: &str = "ratios exact (numerator/denominator) until output, then half-up to one decimal (away from zero for negatives): floor((20·n·k + d) / (2·d)) / 10 for scale k; counts never rounded; shares not forced to 100";

/// The §1 counting conventions, printed in every metadata block.
pub const CONVENTIONS: [&str; 7] = [
    "a count at the end of day D: admitted on D is in, released on D is out",
    "admitted and released on the same day: one entry, one exit, 0 days, never in a stock (same_day_episodes)",
    "temporary leave, hospital, court and escort stay in; a transfer between prisons is neither exit nor entry",
    "escape: exit on the escape date, recapture a re-imprisonment; failure to return from leave: exit on the day recorded",
    "a category change (remand to sentence, prison to EM) is a transfer out and in, never a new imprisonment or departure",
    "two legal bases at once are counted once: a final sentence before remand",
    "stock per 1 January Y is the stock at the end of 31 December Y-1",
];

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count (never rounded).
    Count(i64),
    /// An exact ratio.
    Ratio(Ratio),
    /// The data cannot say (e.g. deaths are not in the register).
    NotAvailable,
    /// The figure does not apply here.
    NotApplicable,
}

impl Value {
    /// The status column: `ok`, `not_available` or `not_applicable` (a ratio over 0 is not
    /// applicable).
    pub fn status(&self) -> &'static str {
        match self {
            Value::Count(_) => "ok",
            Value::Ratio(r) if r.denominator != 0 => "ok",
            Value::Ratio(_) | Value::NotApplicable => "not_applicable",
            Value::NotAvailable => "not_available",
        }
    }

    /// The figure as printed ("" when there is none).
    pub fn display(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Ratio(r) => r.display().unwrap_or_default(),
            Value::NotAvailable | Value::NotApplicable => String::new(),
        }
    }

    /// The unit.
    pub fn unit(&self) -> &'static str {
        match self {
            Value::Count(_) => "count",
            Value::Ratio(r) => r.unit,
            Value::NotAvailable | Value::NotApplicable => "",
        }
    }

    /// The count, if it is one.
    pub fn count(&self) -> Option<i64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// The figure as a JSON number (a ratio with one decimal), or null.
    pub fn json_number(&self) -> Json {
        match self {
            Value::Count(n) => json!(n),
            Value::Ratio(r) => r.value().map_or(Json::Null, |v| json!(v)),
            Value::NotAvailable | Value::NotApplicable => Json::Null,
        }
    }

    fn json(&self) -> Json {
        match self {
            Value::Count(n) => json!({"value": n, "unit": "count", "status": "ok"}),
            Value::Ratio(r) => json!({
                "value": r.value(),
                "numerator": i64::try_from(r.numerator).ok(),
                "denominator": i64::try_from(r.denominator).ok(),
                "scale": i64::try_from(r.scale).ok(),
                "unit": r.unit,
                "status": self.status(),
            }),
            Value::NotAvailable | Value::NotApplicable => {
                json!({"value": null, "status": self.status()})
            }
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Row key.
    pub row: String,
    /// Column key.
    pub column: String,
    /// The figure.
    pub value: Value,
    /// A note (e.g. what P and E an average length used).
    pub note: Option<String>,
}

/// A table of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable id (`stock`, `legal_status`, `flows` …).
    pub id: &'static str,
    /// Title in English.
    pub title_en: &'static str,
    /// Title in bokmål.
    pub title_nb: &'static str,
    /// The day counted, for stock tables.
    pub reference_date: Option<Date>,
    /// The period counted (`2023`, `2024-01-01/2024-01-31`), for flow tables.
    pub period: Option<String>,
    /// The cells, in display order.
    pub cells: Vec<Cell>,
}

impl Table {
    /// An empty table.
    pub fn new(id: &'static str, title_en: &'static str, title_nb: &'static str) -> Table {
        Table {
            id,
            title_en,
            title_nb,
            reference_date: None,
            period: None,
            cells: Vec::new(),
        }
    }

    /// Adds a cell.
    pub fn push(&mut self, row: &str, column: &str, value: Value) -> &mut Table {
        self.cells.push(Cell {
            row: row.to_string(),
            column: column.to_string(),
            value,
            note: None,
        });
        self
    }

    /// Adds a cell with a note.
    pub fn push_note(&mut self, row: &str, column: &str, value: Value, note: String) {
        self.cells.push(Cell {
            row: row.to_string(),
            column: column.to_string(),
            value,
            note: Some(note),
        });
    }

    /// The cell at (row, column).
    pub fn get(&self, row: &str, column: &str) -> Option<&Value> {
        self.cells
            .iter()
            .find(|c| c.row == row && c.column == column)
            .map(|c| &c.value)
    }

    /// The row keys, in order, once each.
    pub fn rows(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.cells {
            if !out.contains(&c.row.as_str()) {
                out.push(&c.row);
            }
        }
        out
    }

    /// The column keys, in order, once each.
    pub fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.cells {
            if !out.contains(&c.column.as_str()) {
                out.push(&c.column);
            }
        }
        out
    }
}

/// One line of the stock-flow reconciliation: `P1 = P0 + E + T_in − S − T_out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconRow {
    /// The category (`remand`, `institution`, …, or `total`).
    pub category: &'static str,
    /// Stock at the start (end of the day before the period).
    pub p0: i64,
    /// Entries (new imprisonments and re-imprisonments).
    pub entries: i64,
    /// Transfers in (category changes).
    pub transfers_in: i64,
    /// Exits (discharges and other departures).
    pub exits: i64,
    /// Transfers out.
    pub transfers_out: i64,
    /// Stock at the end of the last day, counted.
    pub p1_observed: i64,
}

impl ReconRow {
    /// `P0 + E + T_in − S − T_out`.
    pub fn p1_computed(&self) -> i64 {
        self.p0 + self.entries + self.transfers_in - self.exits - self.transfers_out
    }

    /// Observed minus computed: 0 on a consistent log.
    pub fn residual(&self) -> i64 {
        self.p1_observed - self.p1_computed()
    }
}

/// A data-quality warning (listed, never changing a number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `DQ-PCT`, `DQ-RATE`, `DQ-COUNT`, `DQ-RESIDUAL`, `DQ-UNKNOWN`, ….
    pub code: &'static str,
    /// What disagrees, with the figures.
    pub message: String,
}

/// What every output carries about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// Report id (`space1`, `space2`, `nordic`, `annual`, `monthly`, `reconcile`, `queue`).
    pub report: &'static str,
    /// Parameters as given or defaulted, in order.
    pub parameters: Vec<(&'static str, String)>,
    /// The inclusion flags (STATISTICS.md §1), in order.
    pub flags: Vec<(&'static str, Json)>,
    /// Where the data came from: `extract` or `register`.
    pub source: &'static str,
    /// The register's log position read up to.
    pub log_position: Option<i64>,
    /// SHA-256 of the input.
    pub digest: String,
    /// Episodes admitted and released on the same day in the period (never in a stock).
    pub same_day_episodes: i64,
    /// Generation time, when the caller gives one (an input, so outputs stay reproducible).
    pub generated_at: Option<String>,
    /// Notes on what the data cannot say.
    pub notes: Vec<String>,
}

impl Metadata {
    /// Whether EM was counted in the stock.
    pub fn em_included(&self) -> bool {
        self.flags
            .iter()
            .any(|(k, v)| *k == "em_front_door" && v == &Json::Bool(true))
    }

    fn json(&self) -> Json {
        let mut parameters = Map::new();
        for (k, v) in &self.parameters {
            parameters.insert((*k).to_string(), json!(v));
        }
        let mut flags = Map::new();
        for (k, v) in &self.flags {
            flags.insert((*k).to_string(), v.clone());
        }
        json!({
            "report": self.report,
            "version": REPORT_VERSION,
            "em_included": self.em_included(),
            "parameters": parameters,
            "flags": flags,
            "source": self.source,
            "log_position": self.log_position,
            "input_sha256": self.digest,
            "same_day_episodes": self.same_day_episodes,
            "conventions": CONVENTIONS,
            "rounding": ROUNDING,
            "units": {
                "percent": "share × 100 of the stock on the day; unknowns stay in the denominator",
                "per_100k": "per 100 000 inhabitants (1 January population as given)",
                "per_100_places": "inmates per 100 places; above 100 is overcrowding",
                "per_10k": "per 10 000 inmates",
                "days": "days",
                "months": "months",
            },
            "generated_at": self.generated_at,
            "notes": self.notes,
        })
    }
}

/// A report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// What it is and how it was counted.
    pub metadata: Metadata,
    /// Headline figures, printed at the top level of the JSON (the CLI contracts).
    pub headline: Vec<(&'static str, Value)>,
    /// The tables.
    pub tables: Vec<Table>,
    /// Stock-flow reconciliation, per category and in total.
    pub reconciliation: Vec<ReconRow>,
    /// Data-quality warnings.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The table with `id`.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The JSON document: headline figures at the top level, then
    /// `{metadata, tables, reconciliation, warnings}`.
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        for (k, v) in &self.headline {
            out.insert((*k).to_string(), v.json_number());
        }
        let mut metadata = self.metadata.json();
        if let Json::Object(m) = &mut metadata {
            m.insert(
                "warnings".into(),
                json!(self.warnings.iter().map(|w| w.code).collect::<Vec<_>>()),
            );
        }
        out.insert("metadata".into(), metadata);
        out.insert(
            "tables".into(),
            Json::Array(
                self.tables
                    .iter()
                    .map(|t| {
                        json!({
                            "id": t.id,
                            "title": t.title_en,
                            "title_nb": t.title_nb,
                            "reference_date": t.reference_date.map(|d| d.to_string()),
                            "period": t.period,
                            "cells": t.cells.iter().map(|c| {
                                let mut v = c.value.json();
                                if let Json::Object(m) = &mut v {
                                    m.insert("row".into(), json!(c.row));
                                    m.insert("column".into(), json!(c.column));
                                    if let Some(note) = &c.note {
                                        m.insert("note".into(), json!(note));
                                    }
                                }
                                v
                            }).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            ),
        );
        out.insert(
            "reconciliation".into(),
            Json::Array(
                self.reconciliation
                    .iter()
                    .map(|r| {
                        json!({
                            "category": r.category,
                            "p0": r.p0,
                            "entries": r.entries,
                            "transfers_in": r.transfers_in,
                            "exits": r.exits,
                            "transfers_out": r.transfers_out,
                            "p1_computed": r.p1_computed(),
                            "p1_observed": r.p1_observed,
                            "residual": r.residual(),
                        })
                    })
                    .collect(),
            ),
        );
        out.insert(
            "warnings".into(),
            Json::Array(
                self.warnings
                    .iter()
                    .map(|w| json!({"code": w.code, "message": w.message}))
                    .collect(),
            ),
        );
        Json::Object(out)
    }

    /// The long-format CSV (RFC 4180, UTF-8, comma, `.` decimal):
    /// `table,row,column,value,unit,numerator,denominator,status,reference_date,period,note`.
    /// The reconciliation is the table `reconciliation` (one row per category).
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut put = |fields: [&str; 11]| {
            // Writing to a Vec cannot fail.
            let _ = w.write_record(fields);
        };
        put([
            "table",
            "row",
            "column",
            "value",
            "unit",
            "numerator",
            "denominator",
            "status",
            "reference_date",
            "period",
            "note",
        ]);
        for t in &self.tables {
            let date = t.reference_date.map(|d| d.to_string()).unwrap_or_default();
            let period = t.period.clone().unwrap_or_default();
            for c in &t.cells {
                let (n, d) = match &c.value {
                    Value::Ratio(r) => (
                        (r.numerator * r.scale).to_string(),
                        r.denominator.to_string(),
                    ),
                    _ => (String::new(), String::new()),
                };
                put([
                    t.id,
                    &c.row,
                    &c.column,
                    &c.value.display(),
                    c.value.unit(),
                    &n,
                    &d,
                    c.value.status(),
                    &date,
                    &period,
                    c.note.as_deref().unwrap_or(""),
                ]);
            }
        }
        let period = self
            .tables
            .iter()
            .find_map(|t| t.period.clone())
            .unwrap_or_default();
        for r in &self.reconciliation {
            let cells = [
                ("p0", r.p0),
                ("entries", r.entries),
                ("transfers_in", r.transfers_in),
                ("exits", r.exits),
                ("transfers_out", r.transfers_out),
                ("p1_computed", r.p1_computed()),
                ("p1_observed", r.p1_observed),
                ("residual", r.residual()),
            ];
            for (column, v) in cells {
                put([
                    "reconciliation",
                    r.category,
                    column,
                    &v.to_string(),
                    "count",
                    "",
                    "",
                    "ok",
                    "",
                    &period,
                    "",
                ]);
            }
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The metadata as CSV (`key,value`), the `*.meta.csv` beside the data.
    pub fn meta_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let m = &self.metadata;
        let mut rows: Vec<(String, String)> = vec![
            ("report".into(), m.report.into()),
            ("version".into(), REPORT_VERSION.to_string()),
            ("em_included".into(), m.em_included().to_string()),
            ("source".into(), m.source.into()),
            (
                "log_position".into(),
                m.log_position.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("input_sha256".into(), m.digest.clone()),
            ("same_day_episodes".into(), m.same_day_episodes.to_string()),
            ("rounding".into(), ROUNDING.into()),
            (
                "generated_at".into(),
                m.generated_at.clone().unwrap_or_default(),
            ),
        ];
        for (k, v) in &m.parameters {
            rows.push((format!("parameter.{k}"), v.clone()));
        }
        for (k, v) in &m.flags {
            rows.push((format!("flag.{k}"), v.to_string()));
        }
        for (i, c) in CONVENTIONS.iter().enumerate() {
            rows.push((format!("convention.{}", i + 1), (*c).into()));
        }
        for (i, n) in m.notes.iter().enumerate() {
            rows.push((format!("note.{}", i + 1), n.clone()));
        }
        for w in &self.warnings {
            rows.push((format!("warning.{}", w.code), w.message.clone()));
        }
        let _ = w.write_record(["key", "value"]);
        for (k, v) in rows {
            let _ = w.write_record([k, v]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Formats a one-decimal figure from tenths (re-exported for pages).
pub fn tenths(t: i128) -> String {
    format_tenths(t)
}
