//! `halden`: the command-line entry point. A thin shell: argument parsing, files and exit codes.
//! All logic lives in the library crates.

use std::{io::Read, path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use halden_domain::explain::{Lang, bilingual, explain, explain_community, explain_em_front_door};

/// Halden: software for a correctional service on the Norwegian model.
#[derive(Parser)]
#[command(name = "halden", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute a case's key dates, each with its rule, § and arithmetic.
    ///
    /// Reads one case in the JSON contract (see docs/calculation.md) from FILE, or from standard
    /// input when FILE is `-`. Exit code 0 on success, 2 on invalid input.
    Calc {
        /// The case file (JSON), or `-` for standard input.
        file: PathBuf,
        /// Print the JSON result of the contract instead of a table.
        #[arg(long)]
        json: bool,
        /// Language of the table's explanations.
        #[arg(long, value_enum, default_value_t = LangArg::Nb)]
        lang: LangArg,
    },
    /// Run the web application and API.
    ///
    /// Migrates the database first. With `--demo`, seeds an empty database with the reference
    /// estate, a synthetic national population and one demo account per role.
    Serve {
        /// Database URL: `sqlite://FILE` (created when missing) or `postgres://…`.
        #[arg(
            long,
            env = "HALDEN_DATABASE_URL",
            default_value = "sqlite://halden.sqlite"
        )]
        database: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Demo mode: seed the demo estate, population and accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Seed an empty database with the demo register: the reference estate, a synthetic
    /// population and one demo account per role (password `halden-demo`), then exit.
    ///
    /// Without `--persons`, the national demo population (what `serve --demo` seeds); with it, a
    /// register of that many persons for load benchmarks (the national population continued by
    /// more released people; ≈ 8.5 entries a person). Prints the time taken and the counts of
    /// persons and entries. Refuses a database that already holds persons.
    Seed {
        /// Database URL: `sqlite://FILE` (created when missing) or `postgres://…`.
        #[arg(
            long,
            env = "HALDEN_DATABASE_URL",
            default_value = "sqlite://halden.sqlite"
        )]
        database: String,
        /// How many persons (at least the national roll, caseloads and queue, ≈ 6 000).
        #[arg(long)]
        persons: Option<usize>,
    },
    /// Import a court file (JSON or CSV, see docs/court-files.md) into the register.
    ///
    /// The whole file is validated first; an invalid file writes nothing and every problem is
    /// printed with its record or line and field. Exit code 0 on success, 2 on invalid input.
    Import {
        /// The court file.
        file: PathBuf,
        /// Database URL.
        #[arg(
            long,
            env = "HALDEN_DATABASE_URL",
            default_value = "sqlite://halden.sqlite"
        )]
        database: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Official statistics (issue 7): SPACE I and II, Nordic, SSB annual, KDI monthly, the
    /// queue and the stock-flow reconciliation, from a CSV extract or the register.
    ///
    /// Exit code 0 on success, 2 on invalid input (every problem named with its line and
    /// column).
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// Run the population simulator on a scenario (TOML, see docs/simulator.md).
    ///
    /// Prints the mean daily stock after the burn-in with P10/P50/P90 bands over the
    /// replications, for the baseline and, when the scenario has a `[policy]`, the policy and the
    /// per-replication delta, with the run's validation. A progress bar on standard error when it
    /// is a terminal. Exit code 0 on success, 2 on an invalid scenario (each problem named with
    /// its key, line and column).
    Simulate {
        /// The scenario file.
        #[arg(long)]
        scenario: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Worker threads (the figures do not depend on it).
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Print the steady state by cohort arithmetic (expected-value mode, no random numbers)
        /// instead of running the replications.
        #[arg(long)]
        expected: bool,
    },
    /// Run a scenario and print its error against the published figures it declares
    /// (`[[targets]]`), by horizon (year after the burn-in): MAPE, bias and P10–P90 coverage.
    Backtest {
        /// The scenario file.
        #[arg(long)]
        scenario: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// Norwegian bokmål.
    Nb,
    /// English.
    En,
}

/// Exit code for invalid input, as the contract fixes it.
const EXIT_INVALID: u8 = 2;

mod serve;
mod simulate;
mod stats;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Calc { file, json, lang } => match calc(&file, json, lang) {
            Ok(code) => code,
            Err(error) => {
                if json {
                    let errors = [halden_domain::validate::FieldError::new(
                        "file",
                        None,
                        format!("{error:#}"),
                    )];
                    println!("{}", halden_wire::errors_json(&errors));
                } else {
                    eprintln!("halden: {error:#}");
                }
                ExitCode::from(EXIT_INVALID)
            }
        },
        Command::Serve {
            database,
            bind,
            demo,
        } => match runtime().and_then(|rt| rt.block_on(serve::serve(&database, &bind, demo))) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("halden: {error:#}");
                ExitCode::FAILURE
            }
        },
        Command::Seed { database, persons } => {
            match runtime().and_then(|rt| rt.block_on(serve::seed(&database, persons))) {
                Ok(code) => code,
                Err(error) => {
                    eprintln!("halden: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Simulate {
            scenario,
            json,
            threads,
            expected,
        } => simulate_command(
            &scenario,
            json,
            threads,
            if expected {
                simulate::Mode::Expected
            } else {
                simulate::Mode::Simulate
            },
        ),
        Command::Backtest {
            scenario,
            json,
            threads,
        } => simulate_command(&scenario, json, threads, simulate::Mode::Backtest),
        Command::Import {
            file,
            database,
            json,
        } => match runtime().and_then(|rt| rt.block_on(serve::import(&file, &database, json))) {
            Ok(code) => code,
            Err(error) => {
                eprintln!("halden: {error:#}");
                ExitCode::FAILURE
            }
        },
        Command::Stats(command) => stats::run(command),
    }
}

fn simulate_command(
    scenario: &std::path::Path,
    json: bool,
    threads: usize,
    mode: simulate::Mode,
) -> ExitCode {
    match simulate::run(scenario, json, threads, mode) {
        Ok(code) => code,
        Err(error) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"errors": [{"key": "scenario", "message": format!("{error:#}")}]})
                );
            }
            eprintln!("halden: {error:#}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn read_input(file: &PathBuf) -> anyhow::Result<String> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
    } else {
        text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
    }
    Ok(text)
}

fn calc(file: &PathBuf, json: bool, lang: LangArg) -> anyhow::Result<ExitCode> {
    let text = read_input(file)?;
    if json {
        let (document, code) = match halden_wire::calculate_json(&text) {
            halden_wire::Outcome::Computed(v) => (v, ExitCode::SUCCESS),
            halden_wire::Outcome::Invalid(v) => (v, ExitCode::from(EXIT_INVALID)),
        };
        println!("{}", serde_json::to_string_pretty(&document)?);
        return Ok(code);
    }
    let lang = match lang {
        LangArg::Nb => Lang::Nb,
        LangArg::En => Lang::En,
    };
    let case = match halden_wire::parse_case_str(&text) {
        Ok(case) => case,
        Err(errors) => return Ok(print_errors(&errors, lang)),
    };
    match halden_domain::calculate(&case) {
        Ok(calc) => {
            print_table(&calc, case.unfit_to_serve, lang);
            Ok(ExitCode::SUCCESS)
        }
        Err(halden_domain::CalcError::Invalid(errors)) => Ok(print_errors(&errors, lang)),
    }
}

fn print_errors(errors: &[halden_domain::validate::FieldError], lang: Lang) -> ExitCode {
    eprintln!(
        "{}",
        if lang == Lang::En {
            "The case is invalid:"
        } else {
            "Saken er ugyldig:"
        }
    );
    for error in errors {
        // In the asked language where the message has it, else as written (English).
        let message = error.message_in(lang).unwrap_or(&error.message);
        match error.rule {
            Some(rule) => eprintln!(
                "  {}: {message} ({rule}, {})",
                error.field,
                rule.reference()
            ),
            None => eprintln!("  {}: {message}", error.field),
        }
    }
    ExitCode::from(EXIT_INVALID)
}

fn print_table(calc: &halden_domain::Calculation, unfit: bool, lang: Lang) {
    let pick = |en: &'static str, nb: &'static str| if lang == Lang::En { en } else { nb };
    let parole = match (lang, calc.parole) {
        (Lang::En, p) => p.as_str().replace('_', " "),
        (Lang::Nb, halden_domain::calc::ParoleStatus::Ordinary) => "ordinær".into(),
        (Lang::Nb, halden_domain::calc::ParoleStatus::ExceptionalOnly) => {
            "bare ved tungtveiende grunner".into()
        }
        (Lang::Nb, halden_domain::calc::ParoleStatus::None) => "ingen (sones fullt ut)".into(),
    };
    println!(
        "{} {} {}; {} {} {}; {} {parole}{}",
        pick("Term", "Straffetid"),
        calc.term_days,
        pick("days", "dager"),
        pick("to serve", "å sone"),
        calc.to_serve_days,
        pick("days", "dager"),
        pick("parole:", "prøveløslatelse:"),
        if calc.nothing_to_serve {
            pick("; nothing to serve", "; ingenting å sone")
        } else {
            ""
        },
    );
    println!();
    println!(
        "{:<12} {:<40} {:<12} §",
        pick("Date", "Dato"),
        pick("What", "Hva"),
        pick("Rule", "Regel"),
    );
    println!("{}", "-".repeat(96));
    for (key, date) in calc.dates.iter() {
        let (en, nb) = key.label();
        println!(
            "{:<12} {:<40} {:<12} {}",
            date.date.to_string(),
            pick(en, nb),
            date.rule.id(),
            date.reference()
        );
        println!("{:<12} {}", "", explain(calc, date, lang));
        println!();
    }
    if calc.to_serve_days > 0 {
        let b = bilingual(|l| explain_em_front_door(calc, unfit, l));
        println!("{}", if lang == Lang::En { b.en } else { b.nb });
    }
    if let Some(c) = &calc.community {
        println!("{}", explain_community(calc, c, lang));
    }
    if !calc.warnings.is_empty() {
        println!();
        println!("{}", pick("Warnings:", "Advarsler:"));
        for warning in &calc.warnings {
            println!("  {warning}");
        }
    }
}
