//! The reports of STATISTICS.md §3, each a pure function of (dataset, parameters).

use halden_domain::queue;
use jiff::civil::{Date, date as civil};

use crate::{
    bands,
    count::{self, Flow, Profile, Stock, category_included},
    model::{Category, Dataset, Day, Status, day},
    ratio::Ratio,
    report::{Metadata, ReconRow, Report, Table, Value, Warning},
};

/// The default age edges (SPACE I bands; the spec asks for 18, 50 and 65 among them).
pub const AGE_EDGES: [i32; 8] = [18, 21, 25, 30, 40, 50, 65, 80];

/// Which P the average length (Tournier) uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum P {
    /// The year's average daily population (`DAYS / days in year`): (a) and (b) coincide.
    Average,
    /// The stock on the reference date.
    ReferenceStock,
}

/// Which E the average length uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum E {
    /// New imprisonments.
    E1,
    /// E1 + re-imprisonments.
    E2,
    /// E2 + transfers in.
    E3,
}

impl E {
    /// The name printed.
    pub const fn as_str(self) -> &'static str {
        match self {
            E::E1 => "E1",
            E::E2 => "E2",
            E::E3 => "E3",
        }
    }
}

/// Parameters shared by the reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Stock date (SPACE I, SPACE II, KDI).
    pub date: Date,
    /// Flow year (SPACE I: default the year before the stock date; SSB, Nordic: the year).
    pub year: i16,
    /// Places (capacity) on the date.
    pub capacity: Option<i64>,
    /// Inhabitants on 1 January (SPACE: total; Nordic: aged 15+).
    pub inhabitants: Option<i64>,
    /// What is counted.
    pub profile: Profile,
    /// Age band edges.
    pub age_edges: Vec<i32>,
    /// P for the average length.
    pub p: P,
    /// E for the average length.
    pub e: E,
    /// Generation time, if the caller wants one printed.
    pub generated_at: Option<String>,
    /// Print a non-zero reconciliation residual instead of refusing the report.
    pub allow_residual: bool,
}

impl Params {
    /// SPACE-style defaults for a stock date: flow year the year before, SPACE I profile
    /// (EM out), SPACE age edges, P = average, E = E1.
    pub fn on(date: Date) -> Params {
        Params {
            date,
            year: date.year() - 1,
            capacity: None,
            inhabitants: None,
            profile: Profile::PRISON,
            age_edges: AGE_EDGES.to_vec(),
            p: P::Average,
            e: E::E1,
            generated_at: None,
            allow_residual: false,
        }
    }
}

/// A report that cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The reconciliation does not balance on the register's own log.
    #[error(
        "the stock-flow reconciliation does not balance ({0}); rerun with --allow-residual to print it with DQ-RESIDUAL"
    )]
    Residual(String),
    /// A parameter out of range.
    #[error("{0}: {1}")]
    Parameter(&'static str, String),
}

fn year_bounds(year: i16) -> (Day, Day) {
    (
        day(civil(year, 1, 1)),
        day(civil(year.saturating_add(1), 1, 1)),
    )
}

fn metadata(
    report: &'static str,
    ds: &Dataset,
    p: &Params,
    parameters: Vec<(&'static str, String)>,
) -> Metadata {
    Metadata {
        report,
        parameters,
        flags: p.profile.flags(),
        source: ds.source.kind,
        log_position: ds.source.log_position,
        digest: ds.source.digest.clone(),
        same_day_episodes: 0,
        generated_at: p.generated_at.clone(),
        notes: Vec::new(),
    }
}

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn pct(n: i64, d: i64) -> Value {
    Value::Ratio(Ratio::percent(n.into(), d.into()))
}

fn per(n: i64, d: Option<i64>, scale: i128, unit: &'static str) -> Value {
    match d {
        Some(d) => Value::Ratio(Ratio::new(n.into(), d.into(), scale, unit)),
        None => Value::NotAvailable,
    }
}

fn stock_warnings(s: &Stock, warnings: &mut Vec<Warning>) {
    for (what, n) in [
        ("citizenship", s.citizenship_unknown),
        ("sex", s.sex_unknown),
        ("birth date", s.birth_unknown),
    ] {
        // More than 1 %: 100·n > total.
        if s.total > 0 && 100 * n > s.total {
            warnings.push(Warning {
                code: "DQ-UNKNOWN",
                message: format!(
                    "{what} unknown for {n} of {} in the stock (more than 1 %); they stay in the denominators",
                    s.total
                ),
            });
        }
    }
}

fn band_label(edges: &[i32], i: usize) -> String {
    match (i.checked_sub(1).and_then(|j| edges.get(j)), edges.get(i)) {
        (None, Some(hi)) => format!("under_{hi}"),
        (Some(lo), Some(hi)) => format!("{lo}_{}", hi - 1),
        (Some(lo), None) => format!("{lo}_plus"),
        (None, None) => "all".into(),
    }
}

fn composition_table(s: &Stock, edges: &[i32], date: Date) -> (Table, Table, Table) {
    let mut legal = Table::new("legal_status", "Legal status", "Rettslig status");
    legal.reference_date = Some(date);
    for (i, st) in Status::ALL.iter().enumerate() {
        legal.push(st.as_str(), "count", Value::Count(s.by_status[i]));
        legal.push(st.as_str(), "percent", pct(s.by_status[i], s.total));
    }
    legal.push("pretrial", "count", Value::Count(s.by_status[0]));
    legal.push("pretrial", "percent", pct(s.by_status[0], s.total));
    legal.push("total", "count", Value::Count(s.total));

    let mut comp = Table::new(
        "composition",
        "Women, foreign citizens, under 18",
        "Kvinner, utenlandske statsborgere, under 18",
    );
    comp.reference_date = Some(date);
    for (row, n) in [
        ("women", s.women),
        ("men", s.men),
        ("sex_unknown", s.sex_unknown),
        ("foreign", s.foreign),
        ("norwegian", s.norwegian),
        ("citizenship_unknown", s.citizenship_unknown),
        ("under_18", s.under_18),
        ("birth_date_unknown", s.birth_unknown),
    ] {
        comp.push(row, "count", Value::Count(n));
        comp.push(row, "percent", pct(n, s.total));
    }

    let mut age = Table::new(
        "age",
        "Age on the day (completed years)",
        "Alder på dagen (fylte år)",
    );
    age.reference_date = Some(date);
    for (i, n) in s.age_bands.iter().enumerate() {
        let label = band_label(edges, i);
        age.push(&label, "count", Value::Count(*n));
        age.push(&label, "percent", pct(*n, s.total));
    }
    age.push("unknown", "count", Value::Count(s.birth_unknown));
    age.push("unknown", "percent", pct(s.birth_unknown, s.total));
    (legal, comp, age)
}

/// The average length of stay, (a) `DAYS / E` and (b) Tournier `d = 12 × P / E`, with the
/// statement of what P and E were.
fn average_length(
    table: &mut Table,
    flow: &Flow,
    p: &Params,
    ref_stock: i64,
    days_in_year: i64,
    year: i16,
) {
    let e = match p.e {
        E::E1 => flow.new,
        E::E2 => flow.entries(),
        E::E3 => flow.entries() + flow.transfers_in,
    };
    let em = if p.profile.em {
        "with EM"
    } else {
        "without EM"
    };
    table.push("entries_e1", "count", Value::Count(flow.new));
    table.push("entries_e2", "count", Value::Count(flow.entries()));
    table.push("transfers_in", "count", Value::Count(flow.transfers_in));
    table.push("days", "count", Value::Count(flow.days));
    let avg = Ratio::new(flow.days.into(), days_in_year.into(), 1, "persons");
    table.push("average_daily_population", "value", Value::Ratio(avg));
    table.push_note(
        "als_a",
        "days",
        Value::Ratio(Ratio::new(flow.days.into(), e.into(), 1, "days")),
        format!("(a) DAYS / E = {} / {e} ({} {em})", flow.days, p.e.as_str()),
    );
    table.push(
        "als_a",
        "months",
        Value::Ratio(Ratio::new(
            i128::from(flow.days) * 12,
            i128::from(e) * i128::from(days_in_year),
            1,
            "months",
        )),
    );
    // (b) d = 12 × P / E months.
    let (num, den, p_text) = match p.p {
        P::Average => (
            i128::from(flow.days) * 12,
            i128::from(e) * i128::from(days_in_year),
            format!("P = {year} average = {} / {days_in_year}", flow.days),
        ),
        P::ReferenceStock => (
            i128::from(ref_stock) * 12,
            i128::from(e),
            format!("P = reference-date stock {ref_stock}"),
        ),
    };
    let r = Ratio::new(num, den, 1, "months");
    table.push_note(
        "als_b_tournier",
        "months",
        Value::Ratio(r),
        format!(
            "d = 12 × P / E = {} months ({p_text}; E = {} {em} = {e}); assumes a stationary population (constant entries, same release pattern for every cohort)",
            r.display().unwrap_or_else(|| "n/a".into()),
            p.e.as_str()
        ),
    );
}

/// The final-sentenced stock on the reference date by the band of the aggregate imposed sentence (BAND,
/// STATISTICS.md §2), preventive detention and fine default on their own rows, and those whose
/// source gives no length (a CSV extract) counted as such, never guessed.
fn sentence_bands(
    ds: &Dataset,
    p: &Params,
    (id, title_en, title_nb): (&'static str, &'static str, &'static str),
) -> Table {
    let d = day(p.date);
    let stock = ds
        .episodes
        .iter()
        .filter(|e| e.covers(d) && p.profile.includes(e))
        .filter_map(|e| match e.status {
            Status::Remand => None,
            Status::PreventiveDetention => Some(bands::Serving::PreventiveDetention),
            Status::FineDefault => Some(bands::Serving::FineDefault),
            Status::Sentenced => Some(match bands::representative(e.band) {
                Some(imposed) => bands::Serving::Sentence(imposed),
                None => bands::Serving::Unknown,
            }),
        });
    bands::table(id, title_en, title_nb, p.date, stock)
}

/// SPACE I: the stock on the date with its composition, and the flow year.
///
/// # Errors
///
/// Never today; kept for parameters checked in future.
pub fn space1(ds: &Dataset, p: &Params) -> Result<Report, ReportError> {
    let d = day(p.date);
    let s = count::stock(ds, d, &p.profile, &p.age_edges);
    let mut warnings = Vec::new();
    stock_warnings(&s, &mut warnings);

    let mut ind = Table::new(
        "indicators",
        "Stock, rate and density",
        "Bestand, rate og tetthet",
    );
    ind.reference_date = Some(p.date);
    let rate = per(s.total, p.inhabitants, 100_000, "per_100k");
    let density = per(s.total, p.capacity, 100, "per_100_places");
    ind.push("stock", "value", Value::Count(s.total));
    ind.push(
        "population",
        "value",
        p.inhabitants.map_or(Value::NotAvailable, Value::Count),
    );
    ind.push("rate_per_100k", "value", rate.clone());
    ind.push(
        "capacity",
        "value",
        p.capacity.map_or(Value::NotAvailable, Value::Count),
    );
    ind.push("density_per_100_places", "value", density.clone());
    let (legal, comp, age) = composition_table(&s, &p.age_edges, p.date);

    let bands = sentence_bands(
        ds,
        p,
        (
            "sentence_bands",
            "Sentenced stock by imposed sentence",
            "Domfelte etter idømt straff",
        ),
    );
    let (from, to) = year_bounds(p.year);
    let diy = i64::from(to - from);
    let fl = count::flows(ds, from, to);
    let total = count::total(&fl, &p.profile);
    let mut flows = Table::new(
        "flows",
        "Entries, days and average length",
        "Innsettelser, dager og gjennomsnittlig lengde",
    );
    flows.period = Some(p.year.to_string());
    average_length(&mut flows, &total, p, s.total, diy, p.year);
    flows.push("escapes", "count", Value::Count(total.escapes));
    flows.push_note(
        "escapes",
        "per_10k",
        Value::Ratio(Ratio::new(
            total.escapes.into(),
            s.total.into(),
            10_000,
            "per_10k",
        )),
        format!("per 10 000 inmates; P = the stock on {}", p.date),
    );
    flows.push_note(
        "deaths",
        "count",
        Value::NotAvailable,
        "deaths are not recorded in the register".into(),
    );
    flows.push_note(
        "suicides",
        "count",
        Value::NotAvailable,
        "suicides are not recorded in the register".into(),
    );
    let mut staff = Table::new("staff", "Staff ratio", "Ansatte per innsatt");
    staff.push_note(
        "staff_ratio",
        "value",
        Value::NotAvailable,
        "staff are not in the register".into(),
    );

    let mut m = metadata(
        "space1",
        ds,
        p,
        vec![
            ("date", p.date.to_string()),
            ("flow_year", p.year.to_string()),
            ("capacity", opt(p.capacity)),
            ("inhabitants", opt(p.inhabitants)),
            (
                "age_edges",
                p.age_edges
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ("p", format!("{:?}", p.p)),
            ("e", p.e.as_str().into()),
        ],
    );
    m.same_day_episodes = total.same_day;
    Ok(Report {
        metadata: m,
        headline: vec![
            ("stock", Value::Count(s.total)),
            ("rate_per_100k", rate),
            ("density_per_100_places", density),
            ("pct_pretrial", pct(s.by_status[0], s.total)),
            ("pct_women", pct(s.women, s.total)),
            ("pct_foreign", pct(s.foreign, s.total)),
            ("pct_under_18", pct(s.under_18, s.total)),
        ],
        tables: vec![ind, legal, comp, age, bands, flows, staff],
        reconciliation: Vec::new(),
        warnings,
    })
}

/// SPACE II: persons under community measures on the date (unit: persons).
///
/// # Errors
///
/// Never today.
pub fn space2(ds: &Dataset, p: &Params) -> Result<Report, ReportError> {
    let d = day(p.date);
    let (parole, community, persons) = count::probation(ds, d);
    // EM belongs to SPACE II when SPACE I leaves it out.
    let em_here = !p.profile.em;
    let on_em: Vec<u32> = ds
        .in_year(p.date.year())
        .iter()
        .filter(|e| e.covers(d) && e.setting == crate::model::Setting::Em)
        .map(|e| e.person)
        .collect();
    let em = on_em.len() as i64;
    let mut all = persons.clone();
    if em_here {
        all.extend(on_em);
        all.sort_unstable();
        all.dedup();
    }
    let total = all.len() as i64;
    let inmates = count::stock(ds, d, &p.profile, &[]).total;
    let mut t = Table::new(
        "stock",
        "Persons under community measures",
        "Personer under straffegjennomføring i samfunnet",
    );
    t.reference_date = Some(p.date);
    t.push("community_sentence", "count", Value::Count(community));
    t.push("parole", "count", Value::Count(parole));
    if em_here {
        t.push("em", "count", Value::Count(em));
    } else {
        t.push_note(
            "em",
            "count",
            Value::NotApplicable,
            "EM is counted in SPACE I by this profile".into(),
        );
    }
    t.push_note(
        "other",
        "count",
        Value::NotAvailable,
        "other measures are not in the register".into(),
    );
    t.push("total", "count", Value::Count(total));
    t.push(
        "total",
        "per_100k",
        per(total, p.inhabitants, 100_000, "per_100k"),
    );
    t.push_note(
        "total",
        "per_100_inmates",
        Value::Ratio(Ratio::new(
            total.into(),
            inmates.into(),
            100,
            "per_100_inmates",
        )),
        format!("probationers / SPACE I stock on the same date ({inmates}) × 100"),
    );
    let women = all
        .iter()
        .filter(|&&i| {
            ds.persons
                .get(i as usize)
                .is_some_and(|x| x.sex == crate::model::Sex::Female)
        })
        .count() as i64;
    let foreign = all
        .iter()
        .filter(|&&i| ds.persons.get(i as usize).and_then(|x| x.foreign()) == Some(true))
        .count() as i64;
    t.push("women", "count", Value::Count(women));
    t.push("women", "percent", pct(women, total));
    t.push("foreign", "count", Value::Count(foreign));
    t.push("foreign", "percent", pct(foreign, total));

    let (from, to) = year_bounds(p.year);
    let mut f = Table::new("flows", "Entries and exits", "Tilgang og avgang");
    f.period = Some(p.year.to_string());
    let mut entries = ds
        .supervision
        .iter()
        .filter(|s| (from..to).contains(&s.start))
        .count() as i64;
    let mut exits = ds
        .supervision
        .iter()
        .filter(|s| s.end.is_some_and(|e| (from..to).contains(&e)))
        .count() as i64;
    if em_here {
        let fl = count::flows(ds, from, to)[Category::Em.index()];
        entries += fl.new + fl.reimprisonments + fl.transfers_in;
        exits += fl.exits() + fl.transfers_out;
    }
    f.push("entries", "count", Value::Count(entries));
    f.push(
        "entries",
        "per_100k",
        per(entries, p.inhabitants, 100_000, "per_100k"),
    );
    f.push("exits", "count", Value::Count(exits));
    f.push(
        "exits",
        "per_100k",
        per(exits, p.inhabitants, 100_000, "per_100k"),
    );
    let mut m = metadata(
        "space2",
        ds,
        p,
        vec![
            ("date", p.date.to_string()),
            ("flow_year", p.year.to_string()),
            ("inhabitants", opt(p.inhabitants)),
            ("unit", "persons".into()),
        ],
    );
    if ds.source.kind == "extract" {
        m.notes.push(
            "an episodes extract holds no parole or community sentences; only EM is counted".into(),
        );
    }
    Ok(Report {
        metadata: m,
        headline: vec![
            ("probationers", Value::Count(total)),
            ("per_100k", per(total, p.inhabitants, 100_000, "per_100k")),
            (
                "per_100_inmates",
                Value::Ratio(Ratio::new(
                    total.into(),
                    inmates.into(),
                    100,
                    "per_100_inmates",
                )),
            ),
        ],
        tables: vec![t, f],
        reconciliation: Vec::new(),
        warnings: Vec::new(),
    })
}

fn recon_rows(fl: &[Flow; 5], profile: &Profile) -> Vec<ReconRow> {
    let mut rows: Vec<ReconRow> = Category::ALL
        .iter()
        .map(|c| {
            let f = &fl[c.index()];
            ReconRow {
                category: c.as_str(),
                p0: f.p0,
                entries: f.entries(),
                transfers_in: f.transfers_in,
                exits: f.exits(),
                transfers_out: f.transfers_out,
                p1_observed: f.p1,
            }
        })
        .collect();
    let t = count::total(fl, profile);
    rows.push(ReconRow {
        category: if profile.em { "total" } else { "total_excl_em" },
        p0: t.p0,
        entries: t.entries(),
        transfers_in: t.transfers_in,
        exits: t.exits(),
        transfers_out: t.transfers_out,
        p1_observed: t.p1,
    });
    rows
}

fn check_residuals(
    rows: &[ReconRow],
    allow: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(), ReportError> {
    let bad: Vec<String> = rows
        .iter()
        .filter(|r| r.residual() != 0)
        .map(|r| format!("{}: residual {}", r.category, r.residual()))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    if !allow {
        return Err(ReportError::Residual(bad.join("; ")));
    }
    warnings.push(Warning {
        code: "DQ-RESIDUAL",
        message: bad.join("; "),
    });
    Ok(())
}

/// SSB-style annual figures (Fengslinger) for a year: stock per 1 January by type, entries,
/// departures, transfers, days (EM apart), averages, with the reconciliation.
///
/// # Errors
///
/// The reconciliation does not balance (and `allow_residual` is off).
pub fn annual(ds: &Dataset, p: &Params) -> Result<Report, ReportError> {
    let (from, to) = year_bounds(p.year);
    let diy = i64::from(to - from);
    let fl = count::flows(ds, from, to);
    let mut stock = Table::new(
        "stock_1_january",
        "Stock per 1 January (end of 31 December the year before)",
        "Bestand per 1. januar (ved utgangen av 31. desember året før)",
    );
    stock.reference_date = Some(crate::model::date(from - 1));
    let mut flows = Table::new(
        "flows",
        "Entries and departures by type",
        "Innsettelser og avganger etter type",
    );
    flows.period = Some(p.year.to_string());
    let mut days = Table::new(
        "days",
        "Days and average daily population",
        "Dager og gjennomsnittlig antall innsatte",
    );
    days.period = Some(p.year.to_string());
    for c in Category::ALL {
        let f = &fl[c.index()];
        let k = c.as_str();
        stock.push(k, "count", Value::Count(f.p0));
        flows.push(k, "new_imprisonments", Value::Count(f.new));
        flows.push(k, "reimprisonments", Value::Count(f.reimprisonments));
        flows.push(k, "transfers_in", Value::Count(f.transfers_in));
        flows.push(k, "discharges", Value::Count(f.discharges));
        flows.push(
            k,
            "other_departures",
            Value::Count(f.escapes + f.no_returns),
        );
        flows.push(k, "escapes", Value::Count(f.escapes));
        flows.push(k, "no_return_from_leave", Value::Count(f.no_returns));
        flows.push(k, "transfers_out", Value::Count(f.transfers_out));
        days.push(k, "days", Value::Count(f.days));
        days.push(
            k,
            "average",
            Value::Ratio(Ratio::new(f.days.into(), diy.into(), 1, "persons")),
        );
    }
    let all = count::total(&fl, &Profile::ALL);
    let excl = count::total(&fl, &p.profile.with_em(false));
    stock.push("total", "count", Value::Count(all.p0));
    stock.push("total_excl_em", "count", Value::Count(excl.p0));
    for (k, f) in [("total", &all), ("total_excl_em", &excl)] {
        flows.push(k, "new_imprisonments", Value::Count(f.new));
        flows.push(k, "reimprisonments", Value::Count(f.reimprisonments));
        flows.push(k, "transfers_in", Value::Count(f.transfers_in));
        flows.push(k, "discharges", Value::Count(f.discharges));
        flows.push(
            k,
            "other_departures",
            Value::Count(f.escapes + f.no_returns),
        );
        flows.push(k, "escapes", Value::Count(f.escapes));
        flows.push(k, "no_return_from_leave", Value::Count(f.no_returns));
        flows.push(k, "transfers_out", Value::Count(f.transfers_out));
    }
    days.push("total_excl_em", "days", Value::Count(excl.days));
    days.push_note(
        "total_excl_em",
        "average",
        Value::Ratio(Ratio::new(excl.days.into(), diy.into(), 1, "persons")),
        format!("DAYS / {diy} days in {}", p.year),
    );
    days.push(
        "em",
        "days_apart",
        Value::Count(fl[Category::Em.index()].days),
    );
    let mut als = Table::new(
        "average_length",
        "Average length of stay",
        "Gjennomsnittlig oppholdstid",
    );
    als.period = Some(p.year.to_string());
    let profile_flow = count::total(&fl, &p.profile);
    let ref_stock = profile_flow.p1;
    average_length(&mut als, &profile_flow, p, ref_stock, diy, p.year);

    let rows = recon_rows(&fl, &p.profile);
    let mut warnings = Vec::new();
    check_residuals(&rows, p.allow_residual, &mut warnings)?;
    let mut m = metadata(
        "annual",
        ds,
        p,
        vec![
            ("year", p.year.to_string()),
            ("p", format!("{:?}", p.p)),
            ("e", p.e.as_str().into()),
        ],
    );
    m.same_day_episodes = all.same_day;
    m.notes
        .push("days exclude EM (SSB); EM days are given apart".into());
    Ok(Report {
        metadata: m,
        headline: vec![
            ("stock_1_january", Value::Count(all.p0)),
            ("new_imprisonments", Value::Count(all.new)),
            ("reimprisonments", Value::Count(all.reimprisonments)),
            ("discharges", Value::Count(all.discharges)),
            (
                "other_departures",
                Value::Count(all.escapes + all.no_returns),
            ),
            ("days_excl_em", Value::Count(excl.days)),
            (
                "average_daily_population",
                Value::Ratio(Ratio::new(excl.days.into(), diy.into(), 1, "persons")),
            ),
        ],
        tables: vec![stock, flows, days, als],
        reconciliation: rows,
        warnings,
    })
}

/// Stock-flow reconciliation over `[from, to]` (inclusive days), per category, with the
/// days counted both ways (`Σ_D stock(D)` and `Σ_episodes |[start, end) ∩ period|`).
///
/// # Errors
///
/// The reconciliation does not balance (and `allow_residual` is off), or `to` is before `from`.
pub fn reconcile(
    ds: &Dataset,
    p: &Params,
    from_date: Date,
    to_date: Date,
) -> Result<Report, ReportError> {
    if to_date < from_date {
        return Err(ReportError::Parameter(
            "to",
            format!("{to_date} is before from {from_date}"),
        ));
    }
    let (from, to) = (day(from_date), day(to_date) + 1);
    let fl = count::flows(ds, from, to);
    let rows = recon_rows(&fl, &p.profile);
    let mut warnings = Vec::new();
    check_residuals(&rows, p.allow_residual, &mut warnings)?;
    let mut check = Table::new(
        "days_check",
        "Days counted two ways",
        "Dager telt på to måter",
    );
    check.period = Some(format!("{from_date}/{to_date}"));
    let by_episodes = count::total(&fl, &p.profile).days;
    let by_stock: i64 = count::daily(ds, from, to, &p.profile).iter().sum();
    check.push("days", "sum_of_episodes", Value::Count(by_episodes));
    check.push("days", "sum_of_daily_stock", Value::Count(by_stock));
    if by_episodes != by_stock {
        warnings.push(Warning {
            code: "DQ-RESIDUAL",
            message: format!("days by episodes {by_episodes} ≠ days by daily stock {by_stock}"),
        });
    }
    let mut m = metadata(
        "reconcile",
        ds,
        p,
        vec![("from", from_date.to_string()), ("to", to_date.to_string())],
    );
    m.same_day_episodes = count::total(&fl, &Profile::ALL).same_day;
    Ok(Report {
        metadata: m,
        headline: vec![(
            "residual",
            Value::Count(rows.iter().map(|r| r.residual().abs()).sum()),
        )],
        tables: vec![check],
        reconciliation: rows,
        warnings,
    })
}

/// Nordic Correctional Statistics, Norway's tables x.4 (2.1–2.8) for a year.
///
/// # Errors
///
/// Never today.
pub fn nordic(ds: &Dataset, p: &Params) -> Result<Report, ReportError> {
    let (from, to) = year_bounds(p.year);
    let diy = i64::from(to - from);
    let fl = count::flows(ds, from, to);
    let mut t21 = Table::new("2.1", "New entries", "Nye innsettelser");
    let mut t22 = Table::new(
        "2.2",
        "Average number of inmates by category, per 100 000 aged 15+",
        "Gjennomsnittlig antall innsatte etter kategori, per 100 000 over 15 år",
    );
    t21.period = Some(p.year.to_string());
    t22.period = Some(p.year.to_string());
    for c in Category::ALL {
        let f = &fl[c.index()];
        t21.push(c.as_str(), "count", Value::Count(f.new));
        t22.push(
            c.as_str(),
            "average",
            Value::Ratio(Ratio::new(f.days.into(), diy.into(), 1, "persons")),
        );
        // Average per 100 000 aged 15+: days / diy / pop × 100 000.
        t22.push(
            c.as_str(),
            "per_100k_15plus",
            match p.inhabitants {
                Some(pop) => Value::Ratio(Ratio::new(
                    f.days.into(),
                    i128::from(diy) * i128::from(pop),
                    100_000,
                    "per_100k",
                )),
                None => Value::NotAvailable,
            },
        );
    }
    let prison = count::total(&fl, &Profile::PRISON);
    t21.push("total_excl_em", "count", Value::Count(prison.new));
    t22.push(
        "total_excl_em",
        "average",
        Value::Ratio(Ratio::new(prison.days.into(), diy.into(), 1, "persons")),
    );
    let mut t23 = Table::new(
        "2.3",
        "Average number under probation",
        "Gjennomsnittlig antall under friomsorg",
    );
    t23.period = Some(p.year.to_string());
    let sup_days: i64 = ds
        .supervision
        .iter()
        .map(|s| i64::from((s.end.unwrap_or(Day::MAX).min(to) - s.start.max(from)).max(0)))
        .sum();
    t23.push(
        "all",
        "average",
        Value::Ratio(Ratio::new(sup_days.into(), diy.into(), 1, "persons")),
    );
    let t24 = sentence_bands(
        ds,
        p,
        (
            "2.4",
            "Sentenced on a day by sentence length",
            "Domfelte på en dag etter straffens lengde",
        ),
    );
    let mut t25 = Table::new(
        "2.5",
        "Escapes per 100 000 custody days (EM excluded)",
        "Rømninger per 100 000 fengselsdøgn (uten EK)",
    );
    t25.period = Some(p.year.to_string());
    t25.push("escapes", "count", Value::Count(prison.escapes));
    t25.push(
        "escapes",
        "per_100k_days",
        Value::Ratio(Ratio::new(
            prison.escapes.into(),
            prison.days.into(),
            100_000,
            "per_100k_days",
        )),
    );
    let mut t26 = Table::new("2.6", "Deaths", "Dødsfall");
    t26.push_note(
        "deaths",
        "count",
        Value::NotAvailable,
        "deaths are not recorded in the register".into(),
    );
    let mut t27 = Table::new("2.7", "Places at year end", "Plasser ved årets slutt");
    t27.push(
        "places",
        "count",
        p.capacity.map_or(Value::NotAvailable, Value::Count),
    );
    let mut t28 = Table::new(
        "2.8",
        "Average places and capacity use",
        "Gjennomsnittlig antall plasser og kapasitetsutnyttelse",
    );
    t28.period = Some(p.year.to_string());
    t28.push(
        "places",
        "average",
        p.capacity.map_or(Value::NotAvailable, Value::Count),
    );
    // CAPU = AVG inmates / (Σ daily places / diy) × 100 = DAYS / (places × diy) × 100.
    t28.push(
        "capacity_use",
        "percent",
        match p.capacity {
            Some(c) => Value::Ratio(Ratio::new(
                prison.days.into(),
                i128::from(c) * i128::from(diy),
                100,
                "percent",
            )),
            None => Value::NotAvailable,
        },
    );
    let mut m = metadata(
        "nordic",
        ds,
        p,
        vec![
            ("year", p.year.to_string()),
            ("inhabitants_15plus", opt(p.inhabitants)),
            ("capacity", opt(p.capacity)),
        ],
    );
    m.same_day_episodes = prison.same_day;
    m.notes
        .push("places are taken as constant over the year (the capacity given)".into());
    Ok(Report {
        metadata: m,
        headline: vec![
            ("new_entries", Value::Count(prison.new)),
            (
                "average_inmates",
                Value::Ratio(Ratio::new(prison.days.into(), diy.into(), 1, "persons")),
            ),
        ],
        tables: vec![t21, t22, t23, t24, t25, t26, t27, t28],
        reconciliation: Vec::new(),
        warnings: Vec::new(),
    })
}

/// KDI monthly key figures on a date: inmates (EM and the queue out), remand, foreign, women,
/// under 18, preventive detention by sex, places, occupancy (on the day and year to date), the
/// queue with its EM sub-count, community measures started in the month.
///
/// # Errors
///
/// Never today.
pub fn monthly(ds: &Dataset, p: &Params) -> Result<Report, ReportError> {
    let d = day(p.date);
    let profile = p.profile.with_em(false);
    let on = p.date;
    let jan1 = day(civil(p.date.year(), 1, 1));
    let month_start = day(civil(p.date.year(), p.date.month(), 1));
    // One pass: the stock and its breakdown, the inmate-days of the year to date (Σ daily
    // stock = Σ episode days, §1), EM on the day and EM started this month.
    let mut s = Stock::empty(2);
    let mut inmate_days: i64 = 0;
    let mut em_stock: i64 = 0;
    let mut em_starts: i64 = 0;
    for e in ds.in_year(p.date.year()) {
        // Arithmetic rather than branches where the answer is often either way.
        let held = e.covers(d);
        let counted = profile.includes(e);
        if held & counted {
            s.add(ds, e, on, &[18]);
        }
        inmate_days += i64::from(counted) * e.days_within(jan1, d + 1);
        let em = e.setting == crate::model::Setting::Em;
        em_stock += i64::from(em & held);
        em_starts += i64::from(
            em & (e.start >= month_start)
                & (e.start <= d)
                & (e.entry != crate::model::Entry::Transfer),
        );
    }
    let mut warnings = Vec::new();
    stock_warnings(&s, &mut warnings);
    let mut t = Table::new("key_figures", "Key figures", "Nøkkeltall");
    t.reference_date = Some(p.date);
    t.push("inmates", "count", Value::Count(s.total));
    for (k, n) in [
        ("remand", s.by_status[0]),
        ("foreign", s.foreign),
        ("women", s.women),
        ("under_18", s.under_18),
    ] {
        t.push(k, "count", Value::Count(n));
        t.push(k, "percent", pct(n, s.total));
    }
    t.push(
        "preventive_detention_men",
        "count",
        Value::Count(s.preventive_by_sex[0]),
    );
    t.push(
        "preventive_detention_women",
        "count",
        Value::Count(s.preventive_by_sex[1]),
    );
    t.push(
        "places",
        "count",
        p.capacity.map_or(Value::NotAvailable, Value::Count),
    );
    t.push(
        "occupancy",
        "percent",
        per(s.total, p.capacity, 100, "percent"),
    );
    // Year to date: Σ daily inmates / Σ daily places, 1 January to the date.
    let n_days = i64::from(d + 1 - jan1);
    t.push_note(
        "occupancy_year_to_date",
        "percent",
        match p.capacity {
            Some(c) => Value::Ratio(Ratio::new(
                inmate_days.into(),
                i128::from(c) * i128::from(n_days),
                100,
                "percent",
            )),
            None => Value::NotAvailable,
        },
        format!("Σ daily inmates {inmate_days} / Σ daily places over {n_days} days"),
    );
    let q = queue::count(&ds.judgments, p.date);
    t.push("queue", "count", Value::Count(q.queue.into()));
    t.push("queue_em", "count", Value::Count(q.queue_em.into()));
    t.push("em", "count", Value::Count(em_stock));
    // Community measures started in the month of the date, up to the date.
    let in_month = |x: Day| (month_start..=d).contains(&x);
    let cs_starts = ds
        .supervision
        .iter()
        .filter(|s| s.measure == crate::model::Measure::CommunitySentence && in_month(s.start))
        .count() as i64;
    let mut c = Table::new(
        "community_started",
        "Community measures started this month",
        "Straffegjennomføring i samfunnet startet denne måneden",
    );
    c.period = Some(format!("{}/{}", crate::model::date(month_start), p.date));
    c.push("em", "count", Value::Count(em_starts));
    c.push("community_sentence", "count", Value::Count(cs_starts));
    c.push_note(
        "other",
        "count",
        Value::NotAvailable,
        "other measures are not in the register".into(),
    );
    c.push("total", "count", Value::Count(em_starts + cs_starts));
    let mut m = metadata(
        "monthly",
        ds,
        p,
        vec![("date", p.date.to_string()), ("capacity", opt(p.capacity))],
    );
    m.flags = profile.flags();
    m.notes
        .push("inmates exclude EM and the queue (KDI)".into());
    Ok(Report {
        metadata: m,
        headline: vec![
            ("inmates", Value::Count(s.total)),
            ("pct_remand", pct(s.by_status[0], s.total)),
            ("pct_foreign", pct(s.foreign, s.total)),
            ("pct_women", pct(s.women, s.total)),
            ("under_18", Value::Count(s.under_18)),
            ("occupancy", per(s.total, p.capacity, 100, "percent")),
            ("queue", Value::Count(q.queue.into())),
            ("queue_em", Value::Count(q.queue_em.into())),
        ],
        tables: vec![t, c],
        reconciliation: Vec::new(),
        warnings,
    })
}

/// The serving queue on a date (R-QUEUE-1, counted by `halden_domain::queue`).
pub fn queue_report(
    judgments: &[queue::Waiting],
    date: Date,
    source: &crate::model::Source,
) -> Report {
    let q = queue::count(judgments, date);
    let mut t = Table::new("queue", "Serving queue", "Soningskø");
    t.reference_date = Some(date);
    t.push("queue", "count", Value::Count(q.queue.into()));
    t.push("queue_em", "count", Value::Count(q.queue_em.into()));
    Report {
        metadata: Metadata {
            report: "queue",
            parameters: vec![("date", date.to_string())],
            flags: vec![(
                "queue_excludes_postponed",
                serde_json::Value::Bool(false),
            )],
            source: source.kind,
            log_position: source.log_position,
            digest: source.digest.clone(),
            same_day_episodes: 0,
            generated_at: None,
            notes: vec!["final unconditional sentences received on r with r + 2 calendar months ≤ D (month-end clamped), not started by D (an EM start counts); waiting_all is never called the queue".into()],
        },
        headline: vec![("queue", Value::Count(q.queue.into())), ("queue_em", Value::Count(q.queue_em.into()))],
        tables: vec![t],
        reconciliation: Vec::new(),
        warnings: Vec::new(),
    }
}

/// A daily series of the stock for charts: `(date, stock)` for every `step`-th day of
/// `[from, to]`, and the last day.
pub fn stock_series(
    ds: &Dataset,
    from: Date,
    to: Date,
    profile: &Profile,
    step: usize,
) -> Vec<(Date, i64)> {
    let (a, b) = (day(from), day(to) + 1);
    let series = count::daily(ds, a, b, profile);
    let step = step.max(1);
    let mut out: Vec<(Date, i64)> = series
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, n)| (crate::model::date(a + i as Day), *n))
        .collect();
    if let Some(last) = series.last()
        && !(series.len() - 1).is_multiple_of(step)
    {
        out.push((to, *last));
    }
    out
}

/// Whether the profile counts a category (re-exported for pages).
pub fn counts_category(c: Category, profile: &Profile) -> bool {
    category_included(c, profile)
}
