//! Sentence-length bands (BAND) and the data-quality checks DQ-CAPACITY, DQ-FLAGS and
//! DQ-REVISION (STATISTICS.md §2), each on a toy example worked by hand.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures are written by the test itself"
)]

use halden_stats::{
    Params, Profile,
    bands::{self, Imposed, Serving, band_of},
    dq::{self, Publication},
    extract, reports,
};
use jiff::civil::date;
use serde_json::json;

const fn ymd(years: i64, months: i64, days: i64) -> Imposed {
    Imposed {
        years,
        months,
        days,
    }
}

#[test]
fn band_edges_are_exact_and_lower_inclusive() {
    // months = 12·y + m + d·12/365, compared in 365ths of a month (edge e ↔ 365·e).
    // 30 days: 360/365 < 1 → <1 m.  31 days: 372/365 ≥ 1 → 1–3 m.  1 month exactly → 1–3 m.
    assert_eq!(band_of(ymd(0, 0, 30)), 0);
    assert_eq!(band_of(ymd(0, 0, 31)), 1);
    assert_eq!(band_of(ymd(0, 1, 0)), 1);
    // 91 days: 1 092/365 = 2.99… → 1–3 m; 92 days: 1 104/365 = 3.02… → 3–6 m.
    assert_eq!(band_of(ymd(0, 0, 91)), 1);
    assert_eq!(band_of(ymd(0, 0, 92)), 2);
    // 364 days: 4 368/365 = 11.97 → 6–12 m; 365 days: 4 380/365 = 12 exactly → 1–3 y.
    assert_eq!(band_of(ymd(0, 0, 364)), 3);
    assert_eq!(band_of(ymd(0, 0, 365)), 4);
    // 2 y 11 m 30 d: 35 + 360/365 < 36 → 1–3 y; 3 y → 3–5 y; 4 y 12 m = 60 m → 5–10 y.
    assert_eq!(band_of(ymd(2, 11, 30)), 4);
    assert_eq!(band_of(ymd(3, 0, 0)), 5);
    assert_eq!(band_of(ymd(4, 12, 0)), 6);
    // 10 y → 10–20 y; 19 y 11 m 31 d = 239 + 372/365 ≥ 240 → ≥20 y; 21 y → ≥20 y.
    assert_eq!(band_of(ymd(10, 0, 0)), 7);
    assert_eq!(band_of(ymd(19, 11, 31)), 8);
    assert_eq!(band_of(ymd(21, 0, 0)), 8);
}

#[test]
fn the_2018_sentenced_stock_gives_the_published_shares() {
    // PI-NOR, 31 Jan 2018: 58, 244, 136, 344, 720, 403, 379, 210, 19 = 2 513 sentenced (excl.
    // preventive detention). Shares of 2 513: 58 → 2.308 → 2.3; 244 → 9.709 → 9.7;
    // 136 → 5.411 → 5.4; 344 → 13.688 → 13.7; 720 → 28.651 → 28.7; 403 → 16.036 → 16.0;
    // 379 → 15.081 → 15.1; 210 → 8.356 → 8.4; 19 → 0.756 → 0.8 (the published figures).
    // Plus 108 in preventive detention and 3 on fine default: own rows, not in the shares.
    let counts = [58, 244, 136, 344, 720, 403, 379, 210, 19];
    // One length inside each band: 20 d, 2 m, 4 m, 9 m, 2 y, 4 y, 7 y, 15 y, 21 y.
    let lengths = [
        ymd(0, 0, 20),
        ymd(0, 2, 0),
        ymd(0, 4, 0),
        ymd(0, 9, 0),
        ymd(2, 0, 0),
        ymd(4, 0, 0),
        ymd(7, 0, 0),
        ymd(15, 0, 0),
        ymd(21, 0, 0),
    ];
    let mut stock = Vec::new();
    for (n, length) in counts.iter().zip(lengths) {
        stock.extend(std::iter::repeat_n(Serving::Sentence(length), *n));
    }
    stock.extend(std::iter::repeat_n(Serving::PreventiveDetention, 108));
    stock.extend(std::iter::repeat_n(Serving::FineDefault, 3));
    let t = bands::table("sentence_bands", "t", "t", date(2018, 1, 31), stock);
    let shown = |row: &str, column: &str| t.get(row, column).unwrap().display();
    let published = [
        "2.3", "9.7", "5.4", "13.7", "28.7", "16.0", "15.1", "8.4", "0.8",
    ];
    for ((band, n), pct) in bands::BANDS.iter().zip(counts).zip(published) {
        assert_eq!(shown(band, "count"), n.to_string(), "{band}");
        assert_eq!(shown(band, "percent"), pct, "{band}");
    }
    assert_eq!(shown("banded_total", "count"), "2513");
    assert_eq!(shown("preventive_detention", "count"), "108");
    assert_eq!(shown("fine_default", "count"), "3");
    // 2 513 + 108 + 3 = 2 624.
    assert_eq!(shown("total", "count"), "2624");
}

#[test]
fn implied_capacity_outside_the_register_is_warned_about() {
    // KDI 1 Dec 2022: 3 009 inmates at "84" %: C with round(100·3 009 / C) = 84, i.e.
    // 601 800 / 169 = 3 560.9 < C ≤ 601 800 / 167 = 3 603.5: 3 561–3 603 places. Check:
    // 3 009 / 3 561 = 84.499 % → 84; 3 009 / 3 560 = 84.52 % → 85.
    assert_eq!(dq::implied_capacity(3009, "84"), Some((3561, 3603)));
    // KDI 1 Dec 2023: 3 000 at "81.5" % (one decimal): 6 000 000 / 1 631 = 3 678.7 …
    // 6 000 000 / 1 629 = 3 683.2: 3 679–3 683.
    assert_eq!(dq::implied_capacity(3000, "81.5"), Some((3679, 3683)));
    // The register's 3 616 (SPACE I 2024) is outside 3 561–3 603: DQ-CAPACITY.
    let w = dq::check_capacity("kdi", 3009, "84", 3616).unwrap();
    assert_eq!(w.code, "DQ-CAPACITY");
    assert!(w.message.contains("3561–3603"), "{}", w.message);
    // 3 580 is inside: no warning.
    assert_eq!(dq::check_capacity("kdi", 3009, "84", 3580), None);
}

#[test]
fn a_published_occupancy_is_checked_against_the_places_of_the_monthly_report() {
    // The KDI report on a toy extract with 4 places; published 3 inmates at 60 %: 3 / C at 0
    // decimals = 60 → 300 / 60.5 = 4.96 < C ≤ 300 / 59.5 = 5.04 → C = 5 places implied, the
    // register has 4 → DQ-CAPACITY. (Our own occupancy, 3 / 4 = 75 %, differs from the
    // published 60 too: DQ-PCT.) Published "75" % implies 600/151 = 3.97 < C ≤ 600/149 = 4.03,
    // C = 4: no DQ-CAPACITY.
    let ds = extract::episodes(
        "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
         a,M,NO,1990-05-01,remand,2024-01-02,,prison\n\
         b,F,NO,1990-05-01,sentenced,2024-01-02,,prison\n\
         c,M,NO,1990-05-01,sentenced,2024-01-02,,prison\n"
            .as_bytes(),
    )
    .unwrap();
    let mut p = Params::on(date(2024, 1, 31));
    p.capacity = Some(4);
    let r0 = reports::monthly(&ds, &p).unwrap();
    let check = |occupancy: &str| {
        let published = extract::published(
            format!(
                "table,row,column,value,numerator,denominator\n\
                 key_figures,inmates,count,3,,\n\
                 key_figures,occupancy,percent,{occupancy},,\n"
            )
            .as_bytes(),
        )
        .unwrap();
        let mut r = r0.clone();
        dq::check_published(&mut r, &published);
        r.warnings
            .iter()
            .filter(|w| w.code == "DQ-CAPACITY")
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    let at_60 = check("60");
    assert_eq!(at_60.len(), 1, "{at_60:?}");
    assert!(at_60[0].contains("imply 5–5 places"), "{}", at_60[0]);
    assert!(check("75").is_empty());
}

#[test]
fn series_that_count_different_things_are_warned_about() {
    // SPACE I (EM out, the default) against SSB's stock (EM in): the two EM flags differ;
    // the flags both give alike are not named.
    let space1 = reports::space1(
        &extract::episodes(
            "id,sex,citizenship,birth_date,status,admitted,released,setting\n".as_bytes(),
        )
        .unwrap(),
        &Params::on(date(2024, 1, 31)),
    )
    .unwrap();
    let ssb = Profile::PRISON.with_em(true).flags();
    let w = dq::check_flags(("space1", &space1.metadata.flags), ("ssb", &ssb)).unwrap();
    assert_eq!(w.code, "DQ-FLAGS");
    assert!(
        w.message.contains("em_front_door (space1 false, ssb true)"),
        "{}",
        w.message
    );
    assert!(w.message.contains("em_back_door"), "{}", w.message);
    assert!(!w.message.contains("fine_default"), "{}", w.message);
    // The same flags: nothing to say. A flag only one side gives: named as "not given".
    assert_eq!(dq::check_flags(("a", &ssb), ("b", &ssb)), None);
    let partial = [("em_front_door", json!(true))];
    let w = dq::check_flags(("a", &partial), ("b", &[])).unwrap();
    assert!(
        w.message.contains("em_front_door (a true, b not given)"),
        "{}",
        w.message
    );
}

#[test]
fn cells_moved_since_the_last_publication_are_listed() {
    // Published on 31 Jan 2024 with the same parameters: stock 2, pre-trial 1 (50.0 %). A
    // backdated correction since then adds c: now stock 3, pre-trial 1 of 3 = 33.3 %. The
    // moved cells are listed; the unchanged one (pre-trial count 1) is not.
    let before = "id,sex,citizenship,birth_date,status,admitted,released,setting\n\
         a,M,NO,1990-05-01,remand,2024-01-02,,prison\n\
         b,F,NO,1990-05-01,sentenced,2024-01-02,,prison\n";
    let after = format!("{before}c,M,NO,1990-05-01,sentenced,2024-01-02,,prison\n");
    let p = Params::on(date(2024, 1, 31));
    let published = reports::space1(&extract::episodes(before.as_bytes()).unwrap(), &p).unwrap();
    let previous = Publication {
        parameters: published
            .metadata
            .parameters
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
        cells: [
            ("legal_status", "pretrial", "count"),
            ("legal_status", "pretrial", "percent"),
            ("legal_status", "total", "count"),
        ]
        .iter()
        .map(|&(t, r, c)| {
            let v = published.table(t).unwrap().get(r, c).unwrap().display();
            (t.to_string(), r.to_string(), c.to_string(), v)
        })
        .collect(),
    };
    assert_eq!(previous.cells[1].3, "50.0");
    let mut now = reports::space1(&extract::episodes(after.as_bytes()).unwrap(), &p).unwrap();
    dq::check_revision(&mut now, &previous);
    let moved: Vec<&str> = now
        .warnings
        .iter()
        .filter(|w| w.code == "DQ-REVISION")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        moved,
        [
            "legal_status/pretrial/percent: published 50.0, now 33.3",
            "legal_status/total/count: published 2, now 3",
        ]
    );
    // Another reference date is another publication: nothing is compared.
    let mut other = reports::space1(
        &extract::episodes(after.as_bytes()).unwrap(),
        &Params::on(date(2024, 2, 29)),
    )
    .unwrap();
    dq::check_revision(&mut other, &previous);
    assert!(other.warnings.iter().all(|w| w.code != "DQ-REVISION"));
}
