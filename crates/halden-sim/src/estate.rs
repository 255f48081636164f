//! The reference estate, embedded from `data/estate/` (see its README for sources and caveats).
//!
//! INTERFACE: `Estate::embedded()` and the fields below; the server seeds its reference tables
//! from them.

/// One prison department (a row of `prisons.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Prison {
    /// Estate id, `P001`…
    pub id: String,
    /// Department name.
    pub name: String,
    /// The prison unit (fengselsenhet) it belongs to; staff scopes are units.
    pub unit: String,
    /// Municipality.
    pub municipality: String,
    /// Region.
    pub region: String,
    /// `high`, `lower` or `halfway`.
    pub security_level: halden_domain::register::SecurityLevel,
    /// Ordinary places.
    pub capacity: u32,
    /// Has places for women.
    pub women: bool,
    /// A youth unit.
    pub youth: bool,
    /// Takes remand prisoners.
    pub remand: bool,
    /// Position (latitude, longitude in degrees), for ranking by distance from home.
    pub position: (f64, f64),
}

/// One probation office (a row of `probation_offices.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbationOffice {
    /// Estate id, `F001`…
    pub id: String,
    /// Office name, e.g. `Oslo friomsorgskontor`.
    pub office: String,
    /// Location (town).
    pub location: String,
    /// Municipality.
    pub municipality: String,
    /// Region.
    pub region: String,
    /// Position (latitude, longitude in degrees), for the location nearest a home municipality.
    pub position: (f64, f64),
}

/// One municipality (a row of `municipalities.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Estate id, `M001`…
    pub id: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Population.
    pub population: u32,
    /// Position (latitude, longitude in degrees).
    pub position: (f64, f64),
}

/// The whole reference estate.
#[derive(Debug, Clone, PartialEq)]
pub struct Estate {
    /// Prison departments.
    pub prisons: Vec<Prison>,
    /// Probation offices.
    pub probation_offices: Vec<ProbationOffice>,
    /// Municipalities.
    pub municipalities: Vec<Municipality>,
}

/// A problem in an estate file.
#[derive(Debug, thiserror::Error)]
#[error("{file} line {line}: {message}")]
pub struct EstateError {
    /// Which file.
    pub file: &'static str,
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl Estate {
    /// The estate embedded from `data/estate/`.
    ///
    /// # Errors
    ///
    /// An [`EstateError`] naming the file and line of the first row that cannot be read: a missing
    /// column, an unknown security level, a boolean other than `yes`/`no`, a capacity or population
    /// that is not a whole number, or a duplicate id.
    pub fn embedded() -> Result<Estate, EstateError> {
        Estate::parse(PRISONS_CSV, PROBATION_OFFICES_CSV, MUNICIPALITIES_CSV)
    }

    /// Parses the three estate files from their text (the layout of `data/estate/`).
    fn parse(
        prisons: &str,
        probation_offices: &str,
        municipalities: &str,
    ) -> Result<Estate, EstateError> {
        let prisons = parse_rows(PRISONS_FILE, prisons, |row| {
            Ok(Prison {
                id: row.text("id")?,
                name: row.text("name")?,
                unit: row.text("unit")?,
                municipality: row.text("municipality")?,
                region: row.text("region")?,
                security_level: row.security_level("security_level")?,
                capacity: row.number("capacity")?,
                women: row.yes_no("women")?,
                youth: row.yes_no("youth")?,
                remand: row.yes_no("remand")?,
                position: row.position()?,
            })
        })?;
        let probation_offices = parse_rows(PROBATION_OFFICES_FILE, probation_offices, |row| {
            Ok(ProbationOffice {
                id: row.text("id")?,
                office: row.text("office")?,
                location: row.text("location")?,
                municipality: row.text("municipality")?,
                region: row.text("region")?,
                position: row.position()?,
            })
        })?;
        let municipalities = parse_rows(MUNICIPALITIES_FILE, municipalities, |row| {
            Ok(Municipality {
                id: row.text("id")?,
                name: row.text("name")?,
                county: row.text("county")?,
                population: row.number("population")?,
                position: row.position()?,
            })
        })?;
        check_unique_ids(PRISONS_FILE, prisons.iter().map(|p| p.id.as_str()))?;
        check_unique_ids(
            PROBATION_OFFICES_FILE,
            probation_offices.iter().map(|o| o.id.as_str()),
        )?;
        check_unique_ids(
            MUNICIPALITIES_FILE,
            municipalities.iter().map(|m| m.id.as_str()),
        )?;
        Ok(Estate {
            prisons,
            probation_offices,
            municipalities,
        })
    }

    /// The prison department with estate id `id`.
    #[cfg(test)]
    pub(crate) fn prison(&self, id: &str) -> Option<&Prison> {
        self.prisons.iter().find(|p| p.id == id)
    }

    /// The probation office location with estate id `id`.
    pub fn probation_office(&self, id: &str) -> Option<&ProbationOffice> {
        self.probation_offices.iter().find(|o| o.id == id)
    }

    /// The municipality called `name`.
    pub fn municipality(&self, name: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.name == name)
    }
}

const PRISONS_FILE: &str = "prisons.csv";
const PROBATION_OFFICES_FILE: &str = "probation_offices.csv";
const MUNICIPALITIES_FILE: &str = "municipalities.csv";

const PRISONS_CSV: &str = include_str!("../../../data/estate/prisons.csv");
const PROBATION_OFFICES_CSV: &str = include_str!("../../../data/estate/probation_offices.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../../../data/estate/municipalities.csv");

/// One data row with its header, for reading fields by column name.
struct Row<'a> {
    file: &'static str,
    line: u64,
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn error(&self, message: String) -> EstateError {
        EstateError {
            file: self.file,
            line: self.line,
            message,
        }
    }

    fn field(&self, column: &str) -> Result<&str, EstateError> {
        let index = self
            .headers
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| self.error(format!("the header has no column `{column}`")))?;
        self.record
            .get(index)
            .ok_or_else(|| self.error(format!("column `{column}` is missing in this row")))
    }

    /// A non-empty text field, trimmed.
    fn text(&self, column: &str) -> Result<String, EstateError> {
        let value = self.field(column)?.trim();
        if value.is_empty() {
            return Err(self.error(format!("column `{column}` is empty")));
        }
        Ok(value.to_owned())
    }

    fn number(&self, column: &str) -> Result<u32, EstateError> {
        let value = self.field(column)?.trim();
        value.parse().map_err(|_| {
            self.error(format!(
                "column `{column}`: `{value}` is not a whole number"
            ))
        })
    }

    /// The `lat` and `lon` columns, in degrees, within their ranges.
    fn position(&self) -> Result<(f64, f64), EstateError> {
        let degrees = |column: &str, limit: f64| {
            let value = self.field(column)?.trim();
            value
                .parse::<f64>()
                .ok()
                .filter(|d| d.is_finite() && d.abs() <= limit)
                .ok_or_else(|| {
                    self.error(format!(
                        "column `{column}`: `{value}` is not a number of degrees within ±{limit}"
                    ))
                })
        };
        Ok((degrees("lat", 90.0)?, degrees("lon", 180.0)?))
    }

    fn yes_no(&self, column: &str) -> Result<bool, EstateError> {
        match self.field(column)?.trim() {
            "yes" => Ok(true),
            "no" => Ok(false),
            other => Err(self.error(format!("column `{column}`: `{other}` is not `yes` or `no`"))),
        }
    }

    fn security_level(
        &self,
        column: &str,
    ) -> Result<halden_domain::register::SecurityLevel, EstateError> {
        let value = self.field(column)?.trim();
        halden_domain::register::SecurityLevel::parse(value).ok_or_else(|| {
            self.error(format!(
                "column `{column}`: `{value}` is not `high`, `lower` or `halfway`"
            ))
        })
    }
}

/// Reads every data row of `text` (a CSV file with a header row) through `read`.
fn parse_rows<T>(
    file: &'static str,
    text: &str,
    mut read: impl FnMut(&Row<'_>) -> Result<T, EstateError>,
) -> Result<Vec<T>, EstateError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let csv_error = |error: csv::Error| EstateError {
        file,
        line: error.position().map_or(0, csv::Position::line),
        message: error.to_string(),
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let row = Row {
            file,
            line: record.position().map_or(0, csv::Position::line),
            headers: &headers,
            record: &record,
        };
        rows.push(read(&row)?);
    }
    Ok(rows)
}

fn check_unique_ids<'a>(
    file: &'static str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), EstateError> {
    let mut seen = std::collections::BTreeSet::new();
    for (index, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(EstateError {
                file,
                // Data rows start on line 2, after the header.
                line: index as u64 + 2,
                message: format!("duplicate id `{id}`"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests unwrap their own fixtures")]

    use super::*;
    use halden_domain::register::SecurityLevel;

    #[test]
    fn the_embedded_estate_has_every_row() {
        let estate = Estate::embedded().unwrap();
        assert_eq!(estate.prisons.len(), 61);
        assert_eq!(estate.probation_offices.len(), 34);
        assert_eq!(estate.municipalities.len(), 77);
        let units: std::collections::BTreeSet<&str> =
            estate.prisons.iter().map(|p| p.unit.as_str()).collect();
        assert_eq!(units.len(), 28);
        let oslo: Vec<&str> = estate
            .prisons
            .iter()
            .filter(|p| p.unit == "Oslo fengsel")
            .map(|p| p.id.as_str())
            .collect();
        assert!(oslo.contains(&"P001"), "{oslo:?}");
        assert_eq!(
            estate.probation_office("F001").unwrap().office,
            "Oslo friomsorgskontor"
        );
    }

    #[test]
    fn fields_are_read_by_column() {
        let estate = Estate::embedded().unwrap();
        let oslo = estate.prison("P001").unwrap();
        assert_eq!(oslo.name, "Oslo fengsel");
        assert_eq!(oslo.security_level, SecurityLevel::High);
        assert_eq!(oslo.capacity, 240);
        assert!(!oslo.women && !oslo.youth && oslo.remand);
        // A quoted name with a comma.
        let bredtveit = estate.prison("P003").unwrap();
        assert_eq!(
            bredtveit.name,
            "Bredtveit fengsel og forvaringsanstalt, høy sikkerhet"
        );
        assert!(bredtveit.women);
        let youth = estate.prison("P008").unwrap();
        assert!(youth.youth && youth.remand);
        assert_eq!(
            estate.prison("P002").unwrap().security_level,
            SecurityLevel::Halfway
        );
        assert_eq!(estate.municipality("Oslo").unwrap().population, 717_700);
        assert_eq!(oslo.position, (59.9114, 10.7579));
        let total: u32 = estate.prisons.iter().map(|p| p.capacity).sum();
        assert_eq!(total, 3611);
    }

    #[test]
    fn a_bad_row_is_reported_with_file_and_line() {
        let prisons = "id,name,unit,municipality,region,security_level,capacity,women,youth,remand,lat,lon\n\
                       P001,A,U,Oslo,region øst,high,10,no,no,yes,59.9,10.7\n\
                       P002,B,U,Oslo,region øst,medium,10,no,no,yes,59.9,10.7\n";
        let error = Estate::parse(prisons, "", "").unwrap_err();
        assert_eq!((error.file, error.line), ("prisons.csv", 3));
        assert!(error.message.contains("medium"), "{error}");

        let prisons = "id,name,unit,municipality,region,security_level,capacity,women,youth,remand,lat,lon\n\
                       P001,A,U,Oslo,region øst,high,ten,no,no,yes,59.9,10.7\n";
        let error = Estate::parse(prisons, "", "").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error.to_string().starts_with("prisons.csv line 2:"),
            "{error}"
        );

        let prisons = "id,name,unit,municipality,region,security_level,capacity,women,youth,remand,lat,lon\n\
                       P001,A,U,Oslo,region øst,high,10,ja,no,yes,59.9,10.7\n";
        assert!(Estate::parse(prisons, "", "").is_err());

        let prisons = "id,name,unit,municipality,region,security_level,capacity,women,youth,remand,lat,lon\n\
                       P001,A,U,Oslo,region øst,high,10,no,no,yes,95.0,10.7\n";
        let error = Estate::parse(prisons, "", "").unwrap_err();
        assert!(error.message.contains("lat"), "{error}");

        let offices = "id,office,location,municipality\nF001,X,Y,Z\n";
        let error = Estate::parse("id\n", offices, "").unwrap_err();
        assert_eq!(error.file, "probation_offices.csv");
        assert!(error.message.contains("region"), "{error}");
    }

    #[test]
    fn a_ragged_row_or_duplicate_id_is_an_error_not_a_panic() {
        let municipalities =
            "id,name,county,population,lat,lon\nM001,Oslo,Oslo,1,59.9,10.7\nM002,Bergen\n";
        let error = Estate::parse("id\n", "id\n", municipalities).unwrap_err();
        assert_eq!(error.file, "municipalities.csv");
        assert_eq!(error.line, 3);

        let municipalities = "id,name,county,population,lat,lon\nM001,Oslo,Oslo,1,59.9,10.7\nM001,Bergen,Vestland,2,60.4,5.3\n";
        let error = Estate::parse("id\n", "id\n", municipalities).unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("duplicate"), "{error}");
    }
}
