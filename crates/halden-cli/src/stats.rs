//! `halden stats …`: the official statistics (issue 7) from a CSV extract or the register.
//! Argument parsing, files and exit codes only; the reports are `halden-stats`.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use halden_stats::{
    Dataset, Params, Profile, Report,
    extract::{self, ExtractError},
    model::Source,
    reports::{self, E, P},
};
use jiff::civil::Date;
use serde_json::json;

use crate::EXIT_INVALID;

/// The reports.
#[derive(Subcommand)]
pub enum StatsCommand {
    /// SPACE I (Council of Europe): the stock on a date, rate, density, legal status, women,
    /// foreign, under 18, age bands; entries, days and average length in the flow year.
    Space1 {
        /// The stock date (SPACE: 31 January).
        #[arg(long)]
        date: Date,
        /// The flow year (default: the year before the stock date).
        #[arg(long)]
        year: Option<i16>,
        #[command(flatten)]
        common: Common,
    },
    /// SPACE II: persons under community measures on a date (EM here when SPACE I leaves it out).
    Space2 {
        /// The stock date.
        #[arg(long)]
        date: Date,
        /// The flow year (default: the year before the stock date).
        #[arg(long)]
        year: Option<i16>,
        #[command(flatten)]
        common: Common,
    },
    /// Nordic Correctional Statistics, Norway's tables 2.1–2.8, for a year (`--inhabitants`
    /// is the population aged 15 and over).
    Nordic {
        /// The year.
        #[arg(long)]
        year: i16,
        #[command(flatten)]
        common: Common,
    },
    /// SSB-style annual figures (Fengslinger): stock per 1 January, entries, re-imprisonments,
    /// departures by type, days without EM, average daily population, with the reconciliation.
    Annual {
        /// The year.
        #[arg(long)]
        year: i16,
        #[command(flatten)]
        common: Common,
    },
    /// KDI monthly key figures on a date: inmates, remand, foreign, women, under 18,
    /// occupancy, the queue with its EM sub-count.
    Monthly {
        /// The day.
        #[arg(long)]
        date: Date,
        /// A judgments extract for the queue (`id,received,started,planned_form`).
        #[arg(long)]
        judgments: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Stock-flow reconciliation per category over a period, with the residual row.
    Reconcile {
        /// First day.
        #[arg(long)]
        from: Date,
        /// Last day.
        #[arg(long)]
        to: Date,
        #[command(flatten)]
        common: Common,
    },
    /// The serving queue on a date (R-QUEUE-1), with its EM sub-count.
    Queue {
        /// The day.
        #[arg(long)]
        date: Date,
        /// A judgments extract (`id,received,started,planned_form`); without it, the register.
        #[arg(long)]
        judgments: Option<PathBuf>,
        /// Database URL, when reading the register.
        #[arg(
            long,
            env = "HALDEN_DATABASE_URL",
            default_value = "sqlite://halden.sqlite"
        )]
        database: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Print long-format CSV.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
}

/// What every report takes.
#[derive(Args)]
pub struct Common {
    /// An episodes extract (`id,sex,citizenship,birth_date,status,admitted,released,setting`);
    /// without it, the register.
    #[arg(long)]
    episodes: Option<PathBuf>,
    /// Database URL, when reading the register.
    #[arg(
        long,
        env = "HALDEN_DATABASE_URL",
        default_value = "sqlite://halden.sqlite"
    )]
    database: String,
    /// Places (capacity); from the register's estate when reading the register.
    #[arg(long)]
    capacity: Option<i64>,
    /// Inhabitants on 1 January (Nordic: aged 15 and over).
    #[arg(long)]
    inhabitants: Option<i64>,
    /// Count EM (front and back door) in the stock.
    #[arg(long)]
    count_em: bool,
    /// P for the average length (Tournier).
    #[arg(long, value_enum, default_value_t = PArg::Average)]
    p: PArg,
    /// E for the average length: E1 new imprisonments, E2 + re-imprisonments, E3 + transfers.
    #[arg(long, value_enum, default_value_t = EArg::E1)]
    e: EArg,
    /// Age band edges in completed years, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = reports::AGE_EDGES)]
    age_edges: Vec<i32>,
    /// Published figures to check (`table,row,column,value[,numerator,denominator]`).
    #[arg(long)]
    published: Option<PathBuf>,
    /// The JSON this report printed when it was last published (`--json`): the cells that
    /// moved since, with the same parameters, are listed as DQ-REVISION warnings.
    #[arg(long)]
    previous: Option<PathBuf>,
    /// Print a non-zero reconciliation residual (DQ-RESIDUAL) instead of refusing.
    #[arg(long)]
    allow_residual: bool,
    /// A generation time to print in the metadata (the output is otherwise reproducible).
    #[arg(long)]
    generated_at: Option<String>,
    /// Print JSON `{…headline, metadata, tables, reconciliation, warnings}`.
    #[arg(long)]
    json: bool,
    /// Print long-format CSV.
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Write the metadata as CSV (`key,value`) to this file.
    #[arg(long)]
    meta: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PArg {
    /// The year's average daily population.
    Average,
    /// The stock on the reference date.
    Reference,
}

#[derive(Clone, Copy, ValueEnum)]
enum EArg {
    E1,
    E2,
    E3,
}

/// Runs a report.
pub fn run(command: StatsCommand) -> ExitCode {
    match run_inner(command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("halden: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Bad input: every problem to standard error (and as JSON on standard output with `--json`);
/// exit 2.
fn invalid(file: &std::path::Path, errors: &[ExtractError], json_out: bool) -> ExitCode {
    for e in errors {
        eprintln!("halden: {}: {e}", file.display());
    }
    if json_out {
        let list: Vec<_> = errors
            .iter()
            .map(|e| {
                json!({
                    "file": file.display().to_string(),
                    "line": e.line,
                    "column": e.column.as_ref().map(|c| c.0),
                    "field": e.column.as_ref().map(|c| c.1.clone()),
                    "message": e.message,
                })
            })
            .collect();
        println!("{}", json!({ "errors": list }));
    }
    ExitCode::from(EXIT_INVALID)
}

fn parameter_error(field: &str, message: &str, json_out: bool) -> ExitCode {
    eprintln!("halden: --{field}: {message}");
    if json_out {
        println!(
            "{}",
            json!({"errors": [{"field": field, "message": message}]})
        );
    }
    ExitCode::from(EXIT_INVALID)
}

enum Loaded {
    Data(Box<Dataset>, Option<i64>),
    Invalid(ExitCode),
}

fn load(common: &Common, judgments: Option<&PathBuf>) -> anyhow::Result<Loaded> {
    let (mut ds, places) = match &common.episodes {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            match extract::episodes(std::io::BufReader::new(file)) {
                Ok(ds) => (ds, None),
                Err(errors) => return Ok(Loaded::Invalid(invalid(path, &errors, common.json))),
            }
        }
        None => {
            let (ds, places) = crate::runtime()?.block_on(async {
                let store = crate::serve::open(&common.database).await?;
                let ds = store
                    .statistics_dataset()
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot read the register: {e}"))?;
                let ds = std::sync::Arc::unwrap_or_clone(ds);
                let places = store
                    .total_places()
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot read the estate: {e}"))?;
                anyhow::Ok((ds, places))
            })?;
            (ds, (places > 0).then_some(places))
        }
    };
    if let Some(path) = judgments {
        match read_judgments(path, common.json)? {
            Ok((list, _)) => ds.judgments = list,
            Err(code) => return Ok(Loaded::Invalid(code)),
        }
    }
    Ok(Loaded::Data(Box::new(ds), places))
}

type Judgments = Result<(Vec<halden_domain::queue::Waiting>, String), ExitCode>;

fn read_judgments(path: &PathBuf, json_out: bool) -> anyhow::Result<Judgments> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(match extract::judgments(std::io::BufReader::new(file)) {
        Ok(x) => Ok(x),
        Err(errors) => Err(invalid(path, &errors, json_out)),
    })
}

fn params(common: &Common, date: Date, year: i16, places: Option<i64>) -> Params {
    let mut p = Params::on(date);
    p.year = year;
    p.capacity = common.capacity.or(places);
    p.inhabitants = common.inhabitants;
    p.profile = Profile::PRISON.with_em(common.count_em);
    p.age_edges = common.age_edges.clone();
    p.p = match common.p {
        PArg::Average => P::Average,
        PArg::Reference => P::ReferenceStock,
    };
    p.e = match common.e {
        EArg::E1 => E::E1,
        EArg::E2 => E::E2,
        EArg::E3 => E::E3,
    };
    p.generated_at = common.generated_at.clone();
    p.allow_residual = common.allow_residual;
    p
}

fn check_parameters(common: &Common) -> Option<ExitCode> {
    for (field, v) in [
        ("capacity", common.capacity),
        ("inhabitants", common.inhabitants),
    ] {
        if v.is_some_and(|v| v <= 0) {
            return Some(parameter_error(
                field,
                "must be a whole number above 0",
                common.json,
            ));
        }
    }
    let edges = &common.age_edges;
    if edges.windows(2).any(|w| w[0] >= w[1]) || edges.iter().any(|e| *e <= 0) {
        return Some(parameter_error(
            "age-edges",
            "must be whole numbers above 0 in increasing order, e.g. 18,21,25,30,40,50,65,80",
            common.json,
        ));
    }
    None
}

fn run_inner(command: StatsCommand) -> anyhow::Result<ExitCode> {
    if let StatsCommand::Queue {
        date,
        judgments,
        database,
        json,
        csv,
    } = &command
    {
        let (list, source) = match judgments {
            Some(path) => match read_judgments(path, *json)? {
                Ok((list, digest)) => (
                    list,
                    Source {
                        kind: "extract",
                        log_position: None,
                        digest,
                    },
                ),
                Err(code) => return Ok(code),
            },
            None => {
                let ds = crate::runtime()?.block_on(async {
                    let store = crate::serve::open(database).await?;
                    store
                        .statistics_dataset()
                        .await
                        .map_err(|e| anyhow::anyhow!("cannot read the register: {e}"))
                })?;
                (ds.judgments.clone(), ds.source.clone())
            }
        };
        let report = reports::queue_report(&list, *date, &source);
        print(&report, *json, *csv, None)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (common, judgments) = match &command {
        StatsCommand::Space1 { common, .. }
        | StatsCommand::Space2 { common, .. }
        | StatsCommand::Nordic { common, .. }
        | StatsCommand::Annual { common, .. }
        | StatsCommand::Reconcile { common, .. } => (common, None),
        StatsCommand::Monthly {
            common, judgments, ..
        } => (common, judgments.as_ref()),
        StatsCommand::Queue { .. } => unreachable!("answered above"),
    };
    if let Some(code) = check_parameters(common) {
        return Ok(code);
    }
    let published = match &common.published {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            match extract::published(std::io::BufReader::new(file)) {
                Ok(p) => Some(p),
                Err(errors) => return Ok(invalid(path, &errors, common.json)),
            }
        }
        None => None,
    };
    let previous = match &common.previous {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let parsed = serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| e.to_string())
                .and_then(|v| halden_stats::dq::Publication::from_json(&v));
            match parsed {
                Ok(p) => Some(p),
                Err(message) => {
                    return Ok(parameter_error(
                        "previous",
                        &format!("{}: {message}", path.display()),
                        common.json,
                    ));
                }
            }
        }
        None => None,
    };
    let (ds, places) = match load(common, judgments)? {
        Loaded::Data(ds, places) => (ds, places),
        Loaded::Invalid(code) => return Ok(code),
    };
    let result = match &command {
        StatsCommand::Space1 { date, year, .. } => reports::space1(
            &ds,
            &params(common, *date, year.unwrap_or(date.year() - 1), places),
        ),
        StatsCommand::Space2 { date, year, .. } => reports::space2(
            &ds,
            &params(common, *date, year.unwrap_or(date.year() - 1), places),
        ),
        StatsCommand::Nordic { year, .. } => {
            reports::nordic(&ds, &params(common, year_end(*year), *year, places))
        }
        StatsCommand::Annual { year, .. } => {
            reports::annual(&ds, &params(common, year_end(*year), *year, places))
        }
        StatsCommand::Monthly { date, .. } => {
            reports::monthly(&ds, &params(common, *date, date.year(), places))
        }
        StatsCommand::Reconcile { from, to, .. } => {
            reports::reconcile(&ds, &params(common, *to, to.year(), places), *from, *to)
        }
        StatsCommand::Queue { .. } => unreachable!("answered above"),
    };
    let mut report = match result {
        Ok(r) => r,
        Err(reports::ReportError::Parameter(field, message)) => {
            return Ok(parameter_error(field, &message, common.json));
        }
        Err(e @ reports::ReportError::Residual(_)) => {
            eprintln!("halden: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Some(p) = &published {
        halden_stats::dq::check_published(&mut report, p);
    }
    if let Some(p) = &previous {
        halden_stats::dq::check_revision(&mut report, p);
    }
    if matches!(command, StatsCommand::Monthly { .. })
        && common.episodes.is_some()
        && judgments.is_none()
    {
        report
            .metadata
            .notes
            .push("no --judgments extract was given: the queue counts no judgments".into());
    }
    print(&report, common.json, common.csv, common.meta.as_ref())?;
    Ok(ExitCode::SUCCESS)
}

fn year_end(year: i16) -> Date {
    jiff::civil::date(year, 12, 31)
}

fn print(report: &Report, json_out: bool, csv: bool, meta: Option<&PathBuf>) -> anyhow::Result<()> {
    if let Some(path) = meta {
        std::fs::write(path, report.meta_csv())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if json_out {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else if csv {
        print!("{}", report.to_csv());
    } else {
        for (k, v) in &report.headline {
            println!("{k:<28} {}", v.display());
        }
        for t in &report.tables {
            println!();
            println!("{}", t.title_en);
            for c in &t.cells {
                println!(
                    "  {:<28} {:<20} {:>12} {}",
                    c.row,
                    c.column,
                    c.value.display(),
                    c.value.unit()
                );
            }
        }
        if !report.reconciliation.is_empty() {
            println!();
            println!(
                "Reconciliation: P0 + E + T_in − S − T_out = P1 computed | observed | residual"
            );
            for r in &report.reconciliation {
                println!(
                    "  {:<22} {} + {} + {} − {} − {} = {} | {} | {}",
                    r.category,
                    r.p0,
                    r.entries,
                    r.transfers_in,
                    r.exits,
                    r.transfers_out,
                    r.p1_computed(),
                    r.p1_observed,
                    r.residual()
                );
            }
        }
        for w in &report.warnings {
            println!("{}: {}", w.code, w.message);
        }
        println!();
        println!(
            "Counted: {} (EM {}); rounding half-up to one decimal.",
            report.metadata.source,
            if report.metadata.em_included() {
                "in"
            } else {
                "out"
            }
        );
    }
    Ok(())
}
