//! The `halden stats` contracts through the real binary: SPACE I from an extract (EM out and
//! in), the queue, the other reports, CSV, and bad input (exit 2, line and column).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are built by the test itself, never outside input"
)]

use std::process::{Command, Output};

use serde_json::Value;

fn halden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_halden"))
        .args(args)
        .env_remove("HALDEN_DATABASE_URL")
        .output()
        .unwrap()
}

fn file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("halden-stats-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// On 31 January 2024: a remand admitted on the day (in); b a Swedish woman of 17 (in); c
/// released on the day (out); d on EM (in only with --count-em); e a Norwegian woman of 18 on
/// the day in preventive detention (in); f admitted and released on the day (never in).
const EPISODES: &str = "\
id,sex,citizenship,birth_date,status,admitted,released,setting
a,M,NO,1990-05-01,remand,2024-01-31,,prison
b,F,SE,2006-02-01,sentenced,2023-06-01,,prison
c,M,NO,1980-01-01,sentenced,2023-01-01,2024-01-31,prison
d,M,PL,1975-03-03,sentenced,2023-12-01,,em
e,F,NO,2006-01-31,preventive_detention,2020-01-01,,prison
f,M,,1985-07-07,fine_default,2024-01-31,2024-01-31,prison
";

#[test]
fn space1_from_an_extract_prints_the_contract() {
    let path = file("space1.csv", EPISODES);
    let args = [
        "stats",
        "space1",
        "--date",
        "2024-01-31",
        "--capacity",
        "4",
        "--inhabitants",
        "7000",
        "--episodes",
        &path,
        "--json",
    ];
    let v = json(&halden(&args));
    // Stock a, b, e = 3. Rate 3 / 7 000 × 100 000 = 42.857… → 42.9. Density 3 / 4 × 100 = 75.0.
    // Pre-trial 1/3 → 33.3; women 2/3 → 66.7; foreign (b) 1/3 → 33.3; under 18 (b) 1/3 → 33.3.
    assert_eq!(v["stock"], 3);
    assert_eq!(v["rate_per_100k"], 42.9);
    assert_eq!(v["density_per_100_places"], 75.0);
    assert_eq!(v["pct_pretrial"], 33.3);
    assert_eq!(v["pct_women"], 66.7);
    assert_eq!(v["pct_foreign"], 33.3);
    assert_eq!(v["pct_under_18"], 33.3);
    assert_eq!(v["metadata"]["em_included"], false);

    let mut with_em = args.to_vec();
    with_em.push("--count-em");
    let v = json(&halden(&with_em));
    // With d: 4; 4 / 7 000 × 100 000 = 57.142… → 57.1; 4 / 4 × 100 = 100.0; pre-trial 1/4 =
    // 25.0; women 2/4 = 50.0; foreign b, d 2/4 = 50.0; under 18 1/4 = 25.0.
    assert_eq!(v["stock"], 4);
    assert_eq!(v["rate_per_100k"], 57.1);
    assert_eq!(v["density_per_100_places"], 100.0);
    assert_eq!(v["pct_pretrial"], 25.0);
    assert_eq!(v["pct_women"], 50.0);
    assert_eq!(v["pct_foreign"], 50.0);
    assert_eq!(v["pct_under_18"], 25.0);
    assert_eq!(v["metadata"]["em_included"], true);
}

#[test]
fn the_queue_from_an_extract() {
    // On 2024-03-31: j1 received 2024-01-31 (+2 months = 31 Mar) → in; j2 received 2024-02-01
    // (+2 months = 1 Apr) → not yet; j3 received 2024-01-01, started 2024-03-31 → out (started
    // on the day); j4 received 2023-12-31 (+2 months = 29 Feb 2024, clamped), EM → in, EM;
    // j5 received 2024-01-15, started 2024-04-02 → in.
    let path = file(
        "judgments.csv",
        "id,received,started,planned_form\n\
         j1,2024-01-31,,prison\n\
         j2,2024-02-01,,prison\n\
         j3,2024-01-01,2024-03-31,prison\n\
         j4,2023-12-31,,em\n\
         j5,2024-01-15,2024-04-02,em\n",
    );
    let v = json(&halden(&[
        "stats",
        "queue",
        "--date",
        "2024-03-31",
        "--judgments",
        &path,
        "--json",
    ]));
    assert_eq!(v["queue"], 3);
    assert_eq!(v["queue_em"], 2);
}

#[test]
fn bad_input_exits_2_naming_line_and_column() {
    let path = file(
        "bad.csv",
        "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
         a,M,NO,1990-05-01,remand,2024-01-31,,prison\n\
         b,F,SE,2006-02-01,convicted,2023-06-01,,prison\n",
    );
    let out = halden(&[
        "stats",
        "space1",
        "--date",
        "2024-01-31",
        "--episodes",
        &path,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3, column 5 (status): `convicted` is not one of"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["line"], 3);
    assert_eq!(v["errors"][0]["column"], 5);
    assert_eq!(v["errors"][0]["field"], "status");

    let judgments = file(
        "badj.csv",
        "id,received,started,planned_form\nj1,2024-01-31,31.03.2024,prison\n",
    );
    let out = halden(&[
        "stats",
        "queue",
        "--date",
        "2024-03-31",
        "--judgments",
        &judgments,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2, column 3 (started): `31.03.2024` is not a date"),
        "{stderr}"
    );

    // A capacity of 0 is refused, naming the option.
    let good = file("good.csv", EPISODES);
    let out = halden(&[
        "stats",
        "space1",
        "--date",
        "2024-01-31",
        "--capacity",
        "0",
        "--episodes",
        &good,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--capacity"));
}

#[test]
fn annual_reconcile_and_csv() {
    // p: remand 1 Dec 2022 → 1 Mar 2023, then sentenced → 1 Sep 2023 (a category change);
    // q: sentenced 10–20 May 2023; s: sentenced since 1 Jun 2022.
    let path = file(
        "annual.csv",
        "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
         p,M,NO,1990-01-01,remand,2022-12-01,2023-03-01,prison\n\
         p,M,NO,1990-01-01,sentenced,2023-03-01,2023-09-01,prison\n\
         q,F,NO,1991-01-01,sentenced,2023-05-10,2023-05-20,prison\n\
         s,M,LT,1993-01-01,sentenced,2022-06-01,,prison\n",
    );
    let v = json(&halden(&[
        "stats",
        "annual",
        "--year",
        "2023",
        "--episodes",
        &path,
        "--json",
    ]));
    // Stock 1 Jan: p, s = 2. New: q only = 1. Discharges p, q = 2. Days: remand 59 (31 Jan +
    // 28 Feb); institution p 184 + q 10 + s 365 = 559; 618 in all; 618 / 365 = 1.69… → 1.7.
    assert_eq!(v["stock_1_january"], 2);
    assert_eq!(v["new_imprisonments"], 1);
    assert_eq!(v["discharges"], 2);
    assert_eq!(v["days_excl_em"], 618);
    assert_eq!(v["average_daily_population"], 1.7);
    let recon = v["reconciliation"].as_array().unwrap();
    assert!(recon.iter().all(|r| r["residual"] == 0), "{recon:?}");
    let inst = recon
        .iter()
        .find(|r| r["category"] == "institution")
        .unwrap();
    // 1 + 1 + 1 − 2 − 0 = 1.
    assert_eq!(inst["p1_computed"], 1);
    assert_eq!(inst["p1_observed"], 1);

    let out = halden(&[
        "stats",
        "reconcile",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--episodes",
        &path,
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains("days_check,days,sum_of_episodes,618,count"),
        "{csv}"
    );
    assert!(
        csv.contains("reconciliation,remand,transfers_out,1,count"),
        "{csv}"
    );
    assert!(
        csv.contains("reconciliation,total_excl_em,residual,0,count"),
        "{csv}"
    );

    for report in [
        vec!["space2", "--date", "2024-01-31"],
        vec!["nordic", "--year", "2023", "--capacity", "2"],
        vec!["monthly", "--date", "2023-08-31", "--capacity", "2"],
    ] {
        let mut args = vec!["stats"];
        args.extend(report);
        args.extend(["--episodes", &path, "--json"]);
        let v = json(&halden(&args));
        assert!(v["metadata"]["report"].is_string());
    }
    // KDI 31 Aug 2023: p (sentenced) and s in; q out → 2 inmates; 2 / 2 places = 100.0.
    let v = json(&halden(&[
        "stats",
        "monthly",
        "--date",
        "2023-08-31",
        "--capacity",
        "2",
        "--episodes",
        &path,
        "--json",
    ]));
    assert_eq!(v["inmates"], 2);
    assert_eq!(v["occupancy"], 100.0);
}

#[test]
fn without_an_extract_the_register_is_read() {
    let dir = std::env::temp_dir().join(format!("halden-stats-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("empty.sqlite").display());
    let v = json(&halden(&[
        "stats",
        "queue",
        "--date",
        "2024-03-31",
        "--database",
        &url,
        "--json",
    ]));
    assert_eq!(v["queue"], 0);
    assert_eq!(v["metadata"]["source"], "register");
    let v = json(&halden(&[
        "stats",
        "space1",
        "--date",
        "2024-01-31",
        "--database",
        &url,
        "--json",
    ]));
    assert_eq!(v["stock"], 0);
    // No persons: the shares are not applicable (null), never a division by zero.
    assert_eq!(v["pct_women"], Value::Null);
}

fn warnings(v: &Value, code: &str) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == code)
        .map(|w| w["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_rerun_lists_the_cells_moved_since_the_last_publication() {
    // Published on 31 January 2024 from EPISODES: stock 3 (a, b, e). A backdated correction
    // since adds g, sentenced from 2024-01-10: stock 4, and the sentenced count 1 → 2.
    let extract = file("published-extract.csv", EPISODES);
    let args = |f: &str| {
        vec![
            "stats".to_owned(),
            "space1".into(),
            "--date".into(),
            "2024-01-31".into(),
            "--episodes".into(),
            f.to_owned(),
            "--json".into(),
        ]
    };
    let run = |a: Vec<String>| halden(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let first = run(args(&extract));
    let published = json(&first);
    assert_eq!(published["stock"], 3);
    let previous = file("published.json", &String::from_utf8(first.stdout).unwrap());
    let corrected = file(
        "corrected-extract.csv",
        &format!("{EPISODES}g,M,NO,1970-01-01,sentenced,2024-01-10,,prison\n"),
    );
    let mut again = args(&corrected);
    again.extend(["--previous".into(), previous.clone()]);
    let v = json(&run(again));
    assert_eq!(v["stock"], 4);
    let moved = warnings(&v, "DQ-REVISION");
    assert!(
        moved
            .iter()
            .any(|m| m == "indicators/stock/value: published 3, now 4"),
        "{moved:?}"
    );
    assert!(
        moved
            .iter()
            .all(|m| !m.starts_with("indicators/population")),
        "{moved:?}"
    );
    // Rerun unchanged: nothing moved.
    let mut same = args(&extract);
    same.extend(["--previous".into(), previous.clone()]);
    assert!(warnings(&json(&run(same)), "DQ-REVISION").is_empty());
    // Another date is another publication: nothing compared.
    let mut other = args(&corrected);
    other[3] = "2024-02-29".into();
    other.extend(["--previous".into(), previous]);
    assert!(warnings(&json(&run(other)), "DQ-REVISION").is_empty());
    // Not a report: exit 2 naming the parameter.
    let junk = file("junk.json", "{\"stock\": 3}");
    let mut bad = args(&extract);
    bad.extend(["--previous".into(), junk]);
    let out = run(bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--previous"));
}

#[test]
fn published_figures_counted_with_other_flags_are_named() {
    // The publisher counted EM (em_front_door 1); this report does not (no --count-em): the
    // two count different things, and the warning says on which flag.
    let extract = file("flags-extract.csv", EPISODES);
    let published = file(
        "flags-published.csv",
        "table,row,column,value\nflags,em_front_door,included,1\nindicators,stock,value,4\n",
    );
    let run = |extra: &[&str]| {
        let mut a = vec![
            "stats",
            "space1",
            "--date",
            "2024-01-31",
            "--episodes",
            &extract,
            "--published",
            &published,
            "--json",
        ];
        a.extend(extra);
        json(&halden(&a))
    };
    let v = run(&[]);
    let flags = warnings(&v, "DQ-FLAGS");
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(
        flags[0].contains("em_front_door (this report false, the published figures true)"),
        "{}",
        flags[0]
    );
    // The published stock 4 is d included: a count that differs (DQ-COUNT) as well.
    assert_eq!(warnings(&v, "DQ-COUNT").len(), 1);
    // Counted the same way: no DQ-FLAGS, and 4 = 4.
    let v = run(&["--count-em"]);
    assert!(warnings(&v, "DQ-FLAGS").is_empty(), "{:?}", v["warnings"]);
    assert!(warnings(&v, "DQ-COUNT").is_empty(), "{:?}", v["warnings"]);
}
