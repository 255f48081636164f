//! `halden serve` and `halden import`: the edges where the binary meets the database.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use halden_storage::{Actor, StorageError, Store};
use halden_web::{AppState, demo};

pub(crate) async fn open(database: &str) -> anyhow::Result<Store> {
    let store = Store::connect(database)
        .await
        .with_context(|| format!("cannot open the database {}", redact(database)))?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    Ok(store)
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Runs the web application.
pub async fn serve(database: &str, bind: &str, demo_mode: bool) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let store = open(database).await?;
    demo::seed_estate(&store)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write the reference estate: {e}"))?;
    if demo_mode {
        let started = std::time::Instant::now();
        let today = halden_storage::today_in_oslo();
        demo::seed(&store, today, halden_sim::demo::Scale::National)
            .await
            .map_err(|e| anyhow::anyhow!("cannot seed the demo: {e}"))?;
        tracing::info!(seconds = started.elapsed().as_secs_f64(), "demo ready");
    }
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let address = listener.local_addr().context("no local address")?;
    println!(
        "Halden is running at http://{address}/  (database: {})",
        redact(database)
    );
    if demo_mode {
        println!("Demo accounts (password '{}'):", demo::DEMO_PASSWORD);
        for (username, name, role, _, scope) in demo::DEMO_ACCOUNTS {
            println!(
                "  {username:<10} {role:<10} {name}{}",
                scope.map(|s| format!(" · {s}")).unwrap_or_default()
            );
        }
    }
    halden_web::serve(listener, AppState::new(store, demo_mode))
        .await
        .context("the server stopped with an error")
}

/// Seeds an empty database with the demo register (`persons` of them, or the national demo),
/// and reports the time taken and the register's size.
pub async fn seed(database: &str, persons: Option<usize>) -> anyhow::Result<ExitCode> {
    let store = open(database).await?;
    if !store.is_empty().await.context("cannot read the database")? {
        let (persons, entries) = store.register_size().await?;
        eprintln!(
            "halden seed: {} already holds {persons} persons and {entries} entries;              seed an empty database",
            redact(database)
        );
        return Ok(ExitCode::FAILURE);
    }
    let scale = match persons {
        Some(n) => halden_sim::demo::Scale::Persons(n),
        None => halden_sim::demo::Scale::National,
    };
    let started = std::time::Instant::now();
    demo::seed(&store, halden_storage::today_in_oslo(), scale)
        .await
        .map_err(|e| anyhow::anyhow!("cannot seed the demo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let (persons, entries) = store.register_size().await?;
    println!(
        "seeded {persons} persons and {entries} entries in {seconds:.1} s ({})",
        redact(database)
    );
    println!(
        "demo accounts: {} (password '{}')",
        demo::DEMO_ACCOUNTS
            .iter()
            .map(|a| a.0)
            .collect::<Vec<_>>()
            .join(", "),
        demo::DEMO_PASSWORD
    );
    Ok(ExitCode::SUCCESS)
}

/// Imports a court file.
pub async fn import(file: &Path, database: &str, json: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut records = match halden_web::import::read_court_file(&text) {
        Ok(records) => records,
        Err(problems) => return Ok(report_problems(&problems, json)),
    };
    halden_web::import::received_on(&mut records, halden_storage::today_in_oslo());
    let store = open(database).await?;
    demo::seed_estate(&store)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write the reference estate: {e}"))?;
    let actor = Actor {
        user_id: None,
        name: format!("halden import {}", file.display()),
    };
    match store.import_judgments(&actor, &records, None).await {
        Ok(ids) => {
            if json {
                let imported: Vec<_> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, (person, entry))| {
                        serde_json::json!({"record": i, "person_id": person, "entry_id": entry})
                    })
                    .collect();
                println!("{}", serde_json::json!({"imported": imported}));
            } else {
                println!("imported {} judgment(s)", ids.len());
                for (i, (person, entry)) in ids.iter().enumerate() {
                    println!("  record {i}: person {person}, entry {entry}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StorageError::Invalid(problems)) => Ok(report_problems(&problems, json)),
        Err(other) => Err(other.into()),
    }
}

fn report_problems(problems: &[halden_domain::validate::FieldError], json: bool) -> ExitCode {
    if json {
        println!("{}", halden_wire::errors_json(problems));
    } else {
        eprintln!("the file was not imported; nothing was written:");
        for p in problems {
            eprintln!("  {}: {}", p.field, p.message);
        }
    }
    ExitCode::from(2)
}
