//! `halden import`: the example court files import, a bad file writes nothing and names every
//! problem, and the same file twice is refused rather than recorded twice.

#![allow(clippy::unwrap_used, reason = "fixtures are built by the test itself")]

use std::process::{Command, Output};

use serde_json::Value;

fn halden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_halden"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .unwrap()
}

fn database(name: &str) -> String {
    let path =
        std::env::temp_dir().join(format!("halden-cli-{}-{name}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}", path.display())
}

#[test]
fn the_example_files_import_once() {
    let db = database("examples");
    for file in ["examples/court-file.json", "examples/court-file.csv"] {
        let out = halden(&["import", file, "--database", &db, "--json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer["imported"].as_array().unwrap().len(), 2, "{file}");
    }
    // Kari Nordmann (15076500565) is in both files: one person, two judgments.
    let again = halden(&[
        "import",
        "examples/court-file.json",
        "--database",
        &db,
        "--json",
    ]);
    assert_eq!(again.status.code(), Some(2));
    let answer: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(answer["errors"][0]["field"], "judgments[0].case_number");
}

#[test]
fn a_bad_file_names_every_problem_and_writes_nothing() {
    let db = database("bad");
    let path = std::env::temp_dir().join(format!("halden-cli-{}-bad.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"judgments": [{"person": {"identity_number": "15076500566", "family_name": "A",
            "given_names": "B", "birth_date": "1990-01-01", "sex": "female", "citizenship": "NO"},
            "case_number": "1", "court": "Oslo tingrett", "decision_date": "2025-01-01",
            "sentences": [{"kind": "prison", "dayz": 30}]}]}"#,
    )
    .unwrap();
    let out = halden(&[
        "import",
        path.to_str().unwrap(),
        "--database",
        &db,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"judgments[0].person.identity_number"),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("judgments[0].sentences[0]")),
        "{fields:?}"
    );
    // The valid example imports into the same database afterwards: nothing was half written.
    let ok = halden(&[
        "import",
        "examples/court-file.json",
        "--database",
        &db,
        "--json",
    ]);
    assert_eq!(ok.status.code(), Some(0));
}
