//! The `halden calc` contract, exercised through the real binary: file and stdin input, exit
//! codes, the JSON shapes of success and error, and the human-readable table; and `halden seed`.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are built by the test itself, never outside input"
)]

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use serde_json::Value;

fn halden(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_halden"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_74_day_sentence_from_stdin_gives_the_contract_shape() {
    // 74 days from 2025-03-03 (C-2, C-4): 2025-03-03 + 73 days = 2025-05-15.
    // Parole (R-PAR-1, C-5): max(ceil(2 × 74 / 3) = 50, 60) = 60 → 2025-03-03 + 59 days = 2025-05-01.
    let out = halden(
        &["calc", "--json", "-"],
        Some(r#"{"admission": "2025-03-03", "sentences": [{"kind": "prison", "days": 74}]}"#),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["term_days"], 74);
    assert_eq!(v["to_serve_days"], 74);
    assert_eq!(v["nothing_to_serve"], false);
    assert_eq!(v["parole"], "ordinary");
    assert_eq!(v["em_front_door_eligible"], true);
    assert_eq!(v["dates"]["end_of_sentence"]["date"], "2025-05-15");
    assert_eq!(v["dates"]["end_of_sentence"]["rule"], "C-4");
    assert_eq!(v["dates"]["end_of_sentence"]["reference"], "strgjfl § 42");
    assert_eq!(v["dates"]["parole_eligibility"]["date"], "2025-05-01");
    for lang in ["en", "nb"] {
        assert!(
            v["dates"]["parole_eligibility"]["explanation"][lang]
                .as_str()
                .unwrap()
                .contains("2025-05-01")
        );
    }
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn invalid_input_exits_2_with_errors_naming_fields() {
    let out = halden(
        &["calc", "--json", "-"],
        Some(r#"{"admission": "2025-03-03", "sentences": [{"kind": "prison", "days": 121}]}"#),
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["errors"][0]["field"], "sentences[0].days");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("120"));
}

#[test]
fn the_table_names_invalid_fields_in_the_asked_language() {
    let case = r#"{"admission": "2025-03-03", "sentences": [{"kind": "prison", "days": 121}]}"#;
    let nb = halden(&["calc", "--lang", "nb", "-"], Some(case));
    assert_eq!(nb.status.code(), Some(2));
    let nb = String::from_utf8_lossy(&nb.stderr).into_owned();
    assert!(nb.starts_with("Saken er ugyldig:"), "{nb}");
    let en = halden(&["calc", "--lang", "en", "-"], Some(case));
    let en = String::from_utf8_lossy(&en.stderr).into_owned();
    assert!(en.starts_with("The case is invalid:"), "{en}");
    // The same field and rule in both, each message in its own language.
    for text in [&nb, &en] {
        assert!(text.contains("sentences[0].days: "), "{text}");
        assert!(text.contains("(R-LEN-1, strl § 31)"), "{text}");
    }
    let message = |text: &str| {
        text.lines()
            .find(|l| l.contains("sentences[0].days"))
            .unwrap()
            .to_string()
    };
    assert_ne!(
        message(&nb),
        message(&en),
        "the bokmål run is not in English"
    );
}

#[test]
fn broken_json_and_missing_files_are_errors_not_crashes() {
    let out = halden(&["calc", "--json", "-"], Some("{not json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        json(&out)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );

    let out = halden(&["calc", "--json", "no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["errors"][0]["field"], "file");
}

#[test]
fn the_example_files_compute_and_the_table_explains_each_date() {
    for file in [
        "examples/calc-one-year-with-remand.json",
        "examples/calc-contract-example.json",
    ] {
        let out = halden(&["calc", "--json", file], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // RULES.md's worked example: 1 year from 2025-06-02 with 100 days' remand → parole 2025-10-23.
    let out = halden(
        &[
            "calc",
            "--lang",
            "en",
            "examples/calc-one-year-with-remand.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("2025-10-23"));
    assert!(table.contains("2/3 of 365 days = 243.33, rounded up to 244"));
    let out = halden(&["calc", "examples/calc-one-year-with-remand.json"], None);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("Prøveløslatelse")
    );
}

#[test]
fn seed_fills_an_empty_database_once_and_reports_its_size() {
    let path = std::env::temp_dir().join(format!("halden-cli-seed-{}.sqlite", std::process::id()));
    let database = format!("sqlite://{}", path.display());
    // The smallest register of persons: today's roll and caseloads, nobody released.
    let first = halden(&["seed", "--database", &database, "--persons", "1"], None);
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let counts: Vec<i64> = out
        .lines()
        .find_map(|l| l.strip_prefix("seeded "))
        .unwrap()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(counts[0] > 5_000 && counts[1] > counts[0], "{out}");
    assert!(
        out.contains("officer"),
        "the demo accounts are named: {out}"
    );
    let again = halden(&["seed", "--database", &database], None);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
