//! Every indicator on a toy population worked out by hand (the arithmetic in the comments),
//! the stock counting edges, the reconciliation and the extract errors.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are written by the test itself"
)]

use halden_domain::queue::{PlannedForm, Waiting};
use halden_stats::{
    Params, Profile,
    count::{daily, stock},
    dq, extract,
    model::day,
    report::{Report, Value},
    reports::{self, E, P},
};
use jiff::civil::date;

/// The toy population on 31 January 2024:
/// - a: man, NO, remand, admitted on the day → in.
/// - b: woman, SE, born 2006-02-01 (17 on the day), sentenced since 2023-06-01 → in.
/// - c: man, NO, sentenced 2023-01-01, released on the day → out.
/// - d: man, PL, EM since 2023-12-01 → in only with EM.
/// - e: woman, NO, born 2006-01-31 (18 on the day), preventive detention since 2020 → in.
/// - f: man, citizenship unknown, fine default admitted and released on the day → never in.
const TOY: &str = "\
id,sex,citizenship,birth_date,status,admitted,released,setting
a,M,NO,1990-05-01,remand,2024-01-31,,prison
b,F,SE,2006-02-01,sentenced,2023-06-01,,prison
c,M,NO,1980-01-01,sentenced,2023-01-01,2024-01-31,prison
d,M,PL,1975-03-03,sentenced,2023-12-01,,em
e,F,NO,2006-01-31,preventive_detention,2020-01-01,,prison
f,M,,1985-07-07,fine_default,2024-01-31,2024-01-31,prison
";

fn toy() -> halden_stats::Dataset {
    extract::episodes(TOY.as_bytes()).unwrap()
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read() {
    let text = format!("\u{feff}{}", TOY.replace('\n', "\r\n"));
    let ds = extract::episodes(text.as_bytes()).unwrap();
    assert_eq!(ds.episodes, toy().episodes);
}

fn figure(report: &Report, key: &str) -> Option<String> {
    report
        .headline
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.display())
}

fn cell(report: &Report, table: &str, row: &str, column: &str) -> String {
    report
        .table(table)
        .unwrap_or_else(|| panic!("no table {table}"))
        .get(row, column)
        .unwrap_or_else(|| panic!("no cell {table}/{row}/{column}"))
        .display()
}

fn space1_params(em: bool) -> Params {
    let mut p = Params::on(date(2024, 1, 31));
    p.capacity = Some(4);
    p.inhabitants = Some(7000);
    p.profile = Profile::PRISON.with_em(em);
    p
}

#[test]
fn space1_on_the_toy_population() {
    let r = reports::space1(&toy(), &space1_params(false)).unwrap();
    // Stock: a (admitted on the day), b, e = 3; c released on the day, d EM, f same day.
    assert_eq!(figure(&r, "stock").as_deref(), Some("3"));
    // Rate: 3 / 7 000 × 100 000 = 42.857… → 42.9.
    assert_eq!(figure(&r, "rate_per_100k").as_deref(), Some("42.9"));
    // Density: 3 / 4 × 100 = 75.0.
    assert_eq!(
        figure(&r, "density_per_100_places").as_deref(),
        Some("75.0")
    );
    // Pre-trial: a = 1 / 3 = 33.33… → 33.3.
    assert_eq!(figure(&r, "pct_pretrial").as_deref(), Some("33.3"));
    // Women: b, e = 2 / 3 = 66.66… → 66.7 (half-up).
    assert_eq!(figure(&r, "pct_women").as_deref(), Some("66.7"));
    // Foreign: b (SE) = 1 / 3 → 33.3.
    assert_eq!(figure(&r, "pct_foreign").as_deref(), Some("33.3"));
    // Under 18: b (17); e turns 18 on the day → 1 / 3 → 33.3.
    assert_eq!(figure(&r, "pct_under_18").as_deref(), Some("33.3"));
    assert!(!r.metadata.em_included());
    // Legal status: remand 1, sentenced 1, preventive detention 1, fine default 0.
    assert_eq!(cell(&r, "legal_status", "sentenced", "count"), "1");
    assert_eq!(cell(&r, "legal_status", "fine_default", "percent"), "0.0");
    // Age bands on the day: a 33 (30_39), b 17 (under_18), e 18 (18_20).
    assert_eq!(cell(&r, "age", "under_18", "count"), "1");
    assert_eq!(cell(&r, "age", "18_20", "count"), "1");
    assert_eq!(cell(&r, "age", "30_39", "count"), "1");
    assert_eq!(cell(&r, "age", "50_64", "count"), "0");
}

#[test]
fn space1_counts_em_only_by_its_flag() {
    let r = reports::space1(&toy(), &space1_params(true)).unwrap();
    // With d: 4 in the stock.
    assert_eq!(figure(&r, "stock").as_deref(), Some("4"));
    // 4 / 7 000 × 100 000 = 57.142… → 57.1; 4 / 4 × 100 = 100.0.
    assert_eq!(figure(&r, "rate_per_100k").as_deref(), Some("57.1"));
    assert_eq!(
        figure(&r, "density_per_100_places").as_deref(),
        Some("100.0")
    );
    // Pre-trial 1/4 = 25.0; women 2/4 = 50.0; foreign b, d = 2/4 = 50.0; under 18 1/4 = 25.0.
    assert_eq!(figure(&r, "pct_pretrial").as_deref(), Some("25.0"));
    assert_eq!(figure(&r, "pct_women").as_deref(), Some("50.0"));
    assert_eq!(figure(&r, "pct_foreign").as_deref(), Some("50.0"));
    assert_eq!(figure(&r, "pct_under_18").as_deref(), Some("25.0"));
    assert!(r.metadata.em_included());
}

#[test]
fn stock_counting_edges() {
    let ds = toy();
    let d = day(date(2024, 1, 31));
    let s = stock(&ds, d, &Profile::PRISON, &[]);
    // Admitted on the day in (a), released on the day out (c), same-day never (f).
    assert_eq!(s.total, 3);
    // The day before: b, c, e (a not yet admitted).
    assert_eq!(stock(&ds, d - 1, &Profile::PRISON, &[]).total, 3);
    // The day after: a, b, e.
    assert_eq!(stock(&ds, d + 1, &Profile::PRISON, &[]).total, 3);
    // Unknown citizenship stays in the denominator as its own row: f is never in a stock, so
    // on the day there is none.
    assert_eq!(s.citizenship_unknown, 0);
    // With EM: d is in.
    assert_eq!(stock(&ds, d, &Profile::ALL, &[]).total, 4);
}

/// The flow toy for 2023:
/// - p: remand 2022-12-01 → 2023-03-01, then sentenced 2023-03-01 → 2023-09-01 (a category
///   change: transfer out of remand, into institution), released.
/// - q: sentenced 2023-05-10 → 2023-05-20.
/// - r: EM from 2023-12-30, open.
/// - s: sentenced from 2022-06-01, open.
/// - t: fine default admitted and released 2023-07-07.
const FLOWS: &str = "\
id,sex,citizenship,birth_date,status,admitted,released,setting
p,M,NO,1990-01-01,remand,2022-12-01,2023-03-01,prison
p,M,NO,1990-01-01,sentenced,2023-03-01,2023-09-01,prison
q,F,NO,1991-01-01,sentenced,2023-05-10,2023-05-20,prison
r,M,NO,1992-01-01,sentenced,2023-12-30,,em
s,M,LT,1993-01-01,sentenced,2022-06-01,,prison
t,M,NO,1994-01-01,fine_default,2023-07-07,2023-07-07,prison
";

fn annual_params() -> Params {
    let mut p = Params::on(date(2024, 1, 31));
    p.year = 2023;
    p.capacity = Some(2);
    p.inhabitants = Some(1000);
    p
}

#[test]
fn ssb_annual_stock_flows_days_and_averages() {
    let ds = extract::episodes(FLOWS.as_bytes()).unwrap();
    let r = reports::annual(&ds, &annual_params()).unwrap();
    // Stock per 1 January 2023 (end of 31 Dec 2022): p remand, s institution.
    assert_eq!(cell(&r, "stock_1_january", "remand", "count"), "1");
    assert_eq!(cell(&r, "stock_1_january", "institution", "count"), "1");
    assert_eq!(cell(&r, "stock_1_january", "total", "count"), "2");
    // Institution: new q; transfer in p; discharges p (1 Sep) and q (20 May).
    assert_eq!(cell(&r, "flows", "institution", "new_imprisonments"), "1");
    assert_eq!(cell(&r, "flows", "institution", "transfers_in"), "1");
    assert_eq!(cell(&r, "flows", "institution", "discharges"), "2");
    // Remand: the category change is a transfer out, not a departure.
    assert_eq!(cell(&r, "flows", "remand", "transfers_out"), "1");
    assert_eq!(cell(&r, "flows", "remand", "discharges"), "0");
    // Fine default: one entry, one exit the same day; EM: r new.
    assert_eq!(cell(&r, "flows", "fine_default", "new_imprisonments"), "1");
    assert_eq!(cell(&r, "flows", "fine_default", "discharges"), "1");
    assert_eq!(cell(&r, "flows", "em", "new_imprisonments"), "1");
    // All: new q, r, t = 3 (p entered in 2022; the transfer is not new).
    assert_eq!(figure(&r, "new_imprisonments").as_deref(), Some("3"));
    assert_eq!(r.metadata.same_day_episodes, 1);
    // Days 2023: remand p 1 Jan–28 Feb = 31 + 28 = 59; institution p 1 Mar–31 Aug =
    // 31+30+31+30+31+31 = 184, q 10, s 365 → 559; EM r 30–31 Dec = 2; fine 0.
    assert_eq!(cell(&r, "days", "remand", "days"), "59");
    assert_eq!(cell(&r, "days", "institution", "days"), "559");
    assert_eq!(cell(&r, "days", "em", "days"), "2");
    assert_eq!(cell(&r, "days", "fine_default", "days"), "0");
    // Excluding EM: 59 + 559 = 618; average 618 / 365 = 1.693… → 1.7.
    assert_eq!(figure(&r, "days_excl_em").as_deref(), Some("618"));
    assert_eq!(
        figure(&r, "average_daily_population").as_deref(),
        Some("1.7")
    );
    assert_eq!(cell(&r, "days", "em", "days_apart"), "2");
    // Average length, E1 without EM = q, t = 2: (a) 618 / 2 = 309.0 days; months
    // 618 × 12 / (2 × 365) = 7 416 / 730 = 10.158… → 10.2; Tournier with P = the average
    // 618/365: 12 × (618/365) / 2 = the same 10.2.
    assert_eq!(cell(&r, "average_length", "als_a", "days"), "309.0");
    assert_eq!(cell(&r, "average_length", "als_a", "months"), "10.2");
    assert_eq!(
        cell(&r, "average_length", "als_b_tournier", "months"),
        "10.2"
    );
    // Reconciliation: every residual 0; institution 1 + 1 + 1 − 2 − 0 = 1 (s at year end).
    let inst = r
        .reconciliation
        .iter()
        .find(|x| x.category == "institution")
        .unwrap();
    assert_eq!(
        (
            inst.p0,
            inst.entries,
            inst.transfers_in,
            inst.exits,
            inst.transfers_out
        ),
        (1, 1, 1, 2, 0)
    );
    assert_eq!(inst.p1_computed(), 1);
    assert_eq!(inst.p1_observed, 1);
    assert!(r.reconciliation.iter().all(|x| x.residual() == 0));
}

#[test]
fn tournier_with_the_reference_date_stock_and_e2() {
    let ds = extract::episodes(FLOWS.as_bytes()).unwrap();
    let mut p = annual_params();
    p.p = P::ReferenceStock;
    p.e = E::E3;
    let r = reports::annual(&ds, &p).unwrap();
    // P = stock at the end of 2023 without EM = s = 1; E3 = E2 (q, t) + transfers in (p) = 3:
    // d = 12 × 1 / 3 = 4.0 months.
    assert_eq!(
        cell(&r, "average_length", "als_b_tournier", "months"),
        "4.0"
    );
}

#[test]
fn days_two_ways_agree_and_reconcile_balances() {
    let ds = extract::episodes(FLOWS.as_bytes()).unwrap();
    let r =
        reports::reconcile(&ds, &annual_params(), date(2023, 1, 1), date(2023, 12, 31)).unwrap();
    // 618 both ways (see the annual test).
    assert_eq!(cell(&r, "days_check", "days", "sum_of_episodes"), "618");
    assert_eq!(cell(&r, "days_check", "days", "sum_of_daily_stock"), "618");
    assert!(r.warnings.is_empty());
    let total: i64 = daily(
        &ds,
        day(date(2023, 1, 1)),
        day(date(2024, 1, 1)),
        &Profile::ALL,
    )
    .iter()
    .sum();
    // With EM: 618 + 2.
    assert_eq!(total, 620);
}

#[test]
fn nordic_capacity_use_and_averages() {
    let ds = extract::episodes(FLOWS.as_bytes()).unwrap();
    let r = reports::nordic(&ds, &annual_params()).unwrap();
    // 2.2 institution average 559 / 365 = 1.531… → 1.5; per 100 000 aged 15+ (1 000):
    // 559 / (365 × 1 000) × 100 000 = 153.15… → 153.2.
    assert_eq!(cell(&r, "2.2", "institution", "average"), "1.5");
    assert_eq!(cell(&r, "2.2", "institution", "per_100k_15plus"), "153.2");
    // 2.1 new entries excluding EM: q, t = 2.
    assert_eq!(cell(&r, "2.1", "total_excl_em", "count"), "2");
    // 2.8 capacity use: 618 / (2 × 365) × 100 = 84.657… → 84.7.
    assert_eq!(cell(&r, "2.8", "capacity_use", "percent"), "84.7");
    // 2.5 no escapes: 0 / 618 × 100 000 = 0.0.
    assert_eq!(cell(&r, "2.5", "escapes", "per_100k_days"), "0.0");
    assert_eq!(
        r.table("2.6").unwrap().get("deaths", "count"),
        Some(&Value::NotAvailable)
    );
}

#[test]
fn kdi_monthly_key_figures() {
    let mut ds = toy();
    // Queue on 31 Jan 2024: received 30 Nov 2023 (+2 months = 30 Jan) waiting → in; received
    // 1 Dec 2023 (+2 months = 1 Feb) → not yet; received 15 Nov started 31 Jan → out; received
    // 1 Oct planned EM → in, EM.
    ds.judgments = vec![
        Waiting {
            received: date(2023, 11, 30),
            started: None,
            form: PlannedForm::Prison,
        },
        Waiting {
            received: date(2023, 12, 1),
            started: None,
            form: PlannedForm::Prison,
        },
        Waiting {
            received: date(2023, 11, 15),
            started: Some(date(2024, 1, 31)),
            form: PlannedForm::Prison,
        },
        Waiting {
            received: date(2023, 10, 1),
            started: None,
            form: PlannedForm::ElectronicMonitoring,
        },
    ];
    let mut p = Params::on(date(2024, 1, 31));
    p.capacity = Some(4);
    let r = reports::monthly(&ds, &p).unwrap();
    // Inmates excluding EM: a, b, e = 3; remand 1 (33.3 %); foreign b (33.3 %); women b, e
    // (66.7 %); under 18 b.
    assert_eq!(figure(&r, "inmates").as_deref(), Some("3"));
    assert_eq!(figure(&r, "pct_remand").as_deref(), Some("33.3"));
    assert_eq!(figure(&r, "pct_foreign").as_deref(), Some("33.3"));
    assert_eq!(figure(&r, "pct_women").as_deref(), Some("66.7"));
    assert_eq!(figure(&r, "under_18").as_deref(), Some("1"));
    // Preventive detention by sex: e is a woman.
    assert_eq!(
        cell(&r, "key_figures", "preventive_detention_women", "count"),
        "1"
    );
    assert_eq!(
        cell(&r, "key_figures", "preventive_detention_men", "count"),
        "0"
    );
    // Occupancy 3 / 4 × 100 = 75.0. Year to date, 1–31 January: b 31 days, e 31, c 30 (out
    // on the 31st), a 1 → 93 inmate-days / (4 places × 31 days = 124) × 100 = 75.0.
    assert_eq!(figure(&r, "occupancy").as_deref(), Some("75.0"));
    assert_eq!(
        cell(&r, "key_figures", "occupancy_year_to_date", "percent"),
        "75.0"
    );
    assert_eq!(figure(&r, "queue").as_deref(), Some("2"));
    assert_eq!(figure(&r, "queue_em").as_deref(), Some("1"));
    // EM on the day: d. EM started in January: none (d started in December).
    assert_eq!(cell(&r, "key_figures", "em", "count"), "1");
    assert_eq!(cell(&r, "community_started", "em", "count"), "0");
}

#[test]
fn space2_counts_em_when_space1_does_not() {
    let r = reports::space2(&toy(), &space1_params(false)).unwrap();
    // d on EM; SPACE I stock 3: 1 / 3 × 100 = 33.3 per 100 inmates; 1 / 7 000 × 100 000 = 14.3.
    assert_eq!(figure(&r, "probationers").as_deref(), Some("1"));
    assert_eq!(figure(&r, "per_100_inmates").as_deref(), Some("33.3"));
    assert_eq!(figure(&r, "per_100k").as_deref(), Some("14.3"));
    let with_em = reports::space2(&toy(), &space1_params(true)).unwrap();
    assert_eq!(figure(&with_em, "probationers").as_deref(), Some("0"));
}

#[test]
fn published_figures_that_disagree_are_warned_about() {
    let r0 = reports::space1(&toy(), &space1_params(false)).unwrap();
    let published = extract::published(
        "table,row,column,value,numerator,denominator\n\
         legal_status,pretrial,percent,33,,\n\
         legal_status,pretrial,percent,34,,\n\
         indicators,stock,value,4,,\n\
         composition,women,percent,24,781,2948\n"
            .as_bytes(),
    )
    .unwrap();
    let mut r = r0.clone();
    dq::check_published(&mut r, &published);
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code).collect();
    // "33": 1/3 at 0 decimals = 33 → fine. "34" → DQ-PCT. Stock 4 vs 3 → DQ-COUNT. Women "24"
    // vs ours 2/3 = 67 → DQ-PCT, and vs its own 781/2948 = 26 → DQ-PCT.
    assert_eq!(
        codes,
        ["DQ-PCT", "DQ-COUNT", "DQ-PCT", "DQ-PCT"],
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings[0].message.contains("line 3"),
        "{}",
        r.warnings[0].message
    );
    assert!(
        r.warnings[3].message.contains("781/2948 give 26"),
        "{}",
        r.warnings[3].message
    );
    // The figures themselves are unchanged.
    assert_eq!(r.headline, r0.headline);
}

#[test]
fn unknowns_above_one_percent_are_warned_about() {
    let csv = "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
               a,M,,1990-01-01,sentenced,2024-01-01,,prison\n\
               b,M,NO,,sentenced,2024-01-01,,prison\n";
    let r = reports::space1(
        &extract::episodes(csv.as_bytes()).unwrap(),
        &Params::on(date(2024, 1, 31)),
    )
    .unwrap();
    // 1 of 2 unknown citizenship and 1 of 2 unknown birth date: both > 1 %.
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["DQ-UNKNOWN", "DQ-UNKNOWN"]);
    // Unknowns stay in the denominator: foreign 0 / 2 = 0.0, under 18 0 / 2 = 0.0.
    assert_eq!(figure(&r, "pct_foreign").as_deref(), Some("0.0"));
}

#[test]
fn json_and_csv_carry_the_figures_and_the_metadata() {
    let r = reports::space1(&toy(), &space1_params(false)).unwrap();
    let j = r.to_json();
    assert_eq!(j["stock"], 3);
    assert_eq!(j["rate_per_100k"].to_string(), "42.9");
    assert_eq!(j["density_per_100_places"].to_string(), "75.0");
    assert_eq!(j["metadata"]["em_included"], false);
    assert_eq!(j["metadata"]["report"], "space1");
    assert_eq!(j["metadata"]["source"], "extract");
    let csv = r.to_csv();
    assert!(csv.starts_with(
        "table,row,column,value,unit,numerator,denominator,status,reference_date,period,note\r\n"
    ));
    // density: numerator 3 × 100 = 300, denominator 4.
    assert!(
        csv.contains(
            "indicators,density_per_100_places,value,75.0,per_100_places,300,4,ok,2024-01-31,,\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("flows,deaths,count,,,,,not_available,"),
        "{csv}"
    );
    let meta = r.meta_csv();
    assert!(meta.contains("em_included,false"), "{meta}");
    // Same inputs, same bytes.
    let again = reports::space1(&toy(), &space1_params(false)).unwrap();
    assert_eq!(again.to_json().to_string(), j.to_string());
}

#[test]
fn extract_errors_name_line_and_column() {
    let csv = "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
               a,X,NO,1990-01-01,sentenced,2024-01-01,,prison\n\
               b,M,NOR,1990-01-01,serving,2024-02-30,,jail\n\
               c,M,NO,1990-01-01,remand,2024-01-10,2024-01-05,prison\n";
    let errors = extract::episodes(csv.as_bytes()).unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "line 2, column 2 (sex): `X` is not M or F (empty when unknown)",
            "line 3, column 3 (citizenship): `NOR` is not an ISO 3166 alpha-2 code such as NO (empty when unknown)",
            "line 3, column 5 (status): `serving` is not one of remand, sentenced, preventive_detention, fine_default",
            "line 3, column 6 (admitted): `2024-02-30` is not a date (YYYY-MM-DD)",
            "line 3, column 8 (setting): `jail` is not prison or em",
            "line 4, column 7 (released): 2024-01-05 is before the admission on 2024-01-10",
        ]
    );
    let header = extract::episodes("id,sex,nationality\n".as_bytes()).unwrap_err();
    assert!(
        header[0]
            .to_string()
            .starts_with("line 1, column 3 (citizenship): the header must be"),
        "{}",
        header[0]
    );
    let overlap = "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
                   a,M,NO,1990-01-01,remand,2024-01-01,2024-02-01,prison\n\
                   a,M,NO,1990-01-01,sentenced,2024-01-15,,prison\n";
    let e = extract::episodes(overlap.as_bytes()).unwrap_err();
    assert_eq!(e[0].line, 3);
    assert!(
        e[0].to_string().contains("overlaps the episode on line 2"),
        "{}",
        e[0]
    );
    let judgments = "id,received,started,planned_form\nj1,2024-01-01,,car\nj1,2024-13-01,,prison\n";
    let e = extract::judgments(judgments.as_bytes()).unwrap_err();
    let text: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "line 2, column 4 (planned_form): `car` is not prison or em",
            "line 3, column 1 (id): `j1` is already on line 2",
            "line 3, column 2 (received): `2024-13-01` is not a date (YYYY-MM-DD)",
        ]
    );
}

#[test]
fn the_year_index_answers_as_a_full_scan_does() {
    let ds = extract::episodes(FLOWS.as_bytes()).unwrap();
    let (a, b) = (day(date(2022, 11, 1)), day(date(2024, 2, 1)));
    for d in a..b {
        for profile in [Profile::PRISON, Profile::ALL] {
            let direct = ds
                .episodes
                .iter()
                .filter(|e| e.covers(d) && profile.includes(e))
                .count();
            assert_eq!(
                stock(&ds, d, &profile, &[]).total as usize,
                direct,
                "day {d}"
            );
        }
    }
    // Days of 2023 by the (indexed) flows and by a direct sum: 618 + 2 EM = 620.
    let f = halden_stats::count::flows(&ds, day(date(2023, 1, 1)), day(date(2024, 1, 1)));
    let indexed: i64 = f.iter().map(|x| x.days).sum();
    let direct: i64 = ds
        .episodes
        .iter()
        .map(|e| e.days_within(day(date(2023, 1, 1)), day(date(2024, 1, 1))))
        .sum();
    assert_eq!((indexed, direct), (620, 620));
}
