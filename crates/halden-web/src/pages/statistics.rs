//! The statistics pages (issue 7): `/statistics` for analysts (every report of
//! `crate::statistics`, each chart followed by its data table, downloads as JSON and CSV) and
//! `/statistics/public`, the published set for anyone, signed in or not. Counts and ratios only.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use halden_stats::{
    Dataset, Profile, Report, count,
    model::day,
    report::{Table, Value},
};
use jiff::civil::Date;

use super::{Chrome, chrome, lang, refusal, render, signed_in};
use crate::{
    AppState,
    auth::web_caller,
    charts::{Chart, Kind, Series},
    error::ApiError,
    i18n::Lang,
    statistics::{self, Checked, ReportQuery},
};

/// The words of the pages.
pub struct Words {
    pub nav: &'static str,
    pub heading: &'static str,
    pub public_heading: &'static str,
    pub intro: &'static str,
    pub public_intro: &'static str,
    pub date: &'static str,
    pub year: &'static str,
    pub count_em: &'static str,
    pub show: &'static str,
    pub download: &'static str,
    pub monthly: &'static str,
    pub stock_chart: &'static str,
    pub stock_desc: &'static str,
    pub queue_chart: &'static str,
    pub queue_desc: &'static str,
    pub space1: &'static str,
    pub space2: &'static str,
    pub annual: &'static str,
    pub nordic: &'static str,
    pub reconciliation: &'static str,
    pub age_chart: &'static str,
    pub flows_chart: &'static str,
    pub prison: &'static str,
    pub em: &'static str,
    pub queue: &'static str,
    pub queue_em: &'static str,
    pub persons: &'static str,
    pub counted: &'static str,
    pub em_in: &'static str,
    pub em_out: &'static str,
    pub warnings: &'static str,
    pub not_available: &'static str,
    pub new_imprisonments: &'static str,
    pub discharges: &'static str,
    pub rounding: &'static str,
}

const NB: Words = Words {
    nav: "Statistikk",
    heading: "Offisiell statistikk fra registeret",
    public_heading: "Publisert statistikk",
    intro: "Tall fra registeret slik STATISTICS.md definerer dem: telling ved utgangen av dagen (innsatt på dagen teller, løslatt på dagen teller ikke; permisjon teller). Bare antall og andeler, aldri en person.",
    public_intro: "Kriminalomsorgens nøkkeltall ved utgangen av forrige måned og årstallene for i fjor, fra registeret. Innsatte regnes uten elektronisk kontroll og uten soningskøen.",
    date: "Dato",
    year: "År (flyt)",
    count_em: "Tell elektronisk kontroll med i bestanden",
    show: "Vis",
    download: "Last ned",
    monthly: "Månedlige nøkkeltall (KDI)",
    stock_chart: "Innsatte ved månedsslutt",
    stock_desc: "Antall innsatte i fengsel og antall på elektronisk kontroll ved utgangen av hver av de tolv siste månedene.",
    queue_chart: "Soningskø ved månedsslutt",
    queue_desc: "Dommer mottatt for minst to kalendermåneder siden og ikke påbegynt, og hvor mange av dem som skal sones med elektronisk kontroll, ved utgangen av hver av de tolv siste månedene.",
    space1: "SPACE I (Europarådet)",
    space2: "SPACE II (Europarådet)",
    annual: "Årstall (SSB Fengslinger)",
    nordic: "Nordisk kriminalomsorgsstatistikk (tabell x.4)",
    reconciliation: "Bestand og strøm: P1 = P0 + tilgang + overført inn − avgang − overført ut",
    age_chart: "Alder på dagen",
    flows_chart: "Nye innsettelser og løslatelser etter type",
    prison: "I fengsel",
    em: "Elektronisk kontroll",
    queue: "Soningskø",
    queue_em: "herav elektronisk kontroll",
    persons: "personer",
    counted: "Hva er talt",
    em_in: "elektronisk kontroll er med",
    em_out: "elektronisk kontroll er ikke med",
    warnings: "Datakvalitet",
    not_available: "ikke tilgjengelig",
    new_imprisonments: "Nye innsettelser",
    discharges: "Løslatelser",
    rounding: "Andeler og rater avrundes halvt opp til én desimal.",
};

const EN: Words = Words {
    nav: "Statistics",
    heading: "Official statistics from the register",
    public_heading: "Published statistics",
    intro: "Figures from the register as STATISTICS.md defines them: a count at the end of the day (admitted on the day is in, released on the day is out; leave stays in). Counts and shares only, never a person.",
    public_intro: "The correctional service's key figures at the end of last month and last year's annual figures, from the register. Inmates exclude electronic monitoring and the serving queue.",
    date: "Date",
    year: "Year (flows)",
    count_em: "Count electronic monitoring in the stock",
    show: "Show",
    download: "Download",
    monthly: "Monthly key figures (KDI)",
    stock_chart: "Inmates at month end",
    stock_desc: "Persons held in prison and persons on electronic monitoring at the end of each of the last twelve months.",
    queue_chart: "Serving queue at month end",
    queue_desc: "Judgments received two calendar months ago or more and not started, and how many of them are to be served with electronic monitoring, at the end of each of the last twelve months.",
    space1: "SPACE I (Council of Europe)",
    space2: "SPACE II (Council of Europe)",
    annual: "Annual figures (SSB Fengslinger)",
    nordic: "Nordic Correctional Statistics (table x.4)",
    reconciliation: "Stock and flow: P1 = P0 + entries + transfers in − exits − transfers out",
    age_chart: "Age on the day",
    flows_chart: "New imprisonments and discharges by type",
    prison: "In prison",
    em: "Electronic monitoring",
    queue: "Serving queue",
    queue_em: "of which electronic monitoring",
    persons: "persons",
    counted: "What was counted",
    em_in: "electronic monitoring is included",
    em_out: "electronic monitoring is not included",
    warnings: "Data quality",
    not_available: "not available",
    new_imprisonments: "New imprisonments",
    discharges: "Discharges",
    rounding: "Shares and rates are rounded half up to one decimal.",
};

/// The words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// Row and column keys of the reports in words (the key itself when it has none).
fn label(key: &str, lang: Lang) -> String {
    let (en, nb) = match key {
        "remand" => ("remand", "varetekt"),
        "sentenced" => ("sentenced", "domfelte"),
        "institution" => ("sentence in an institution", "straff i anstalt"),
        "em" => ("electronic monitoring", "elektronisk kontroll"),
        "preventive_detention" => ("preventive detention", "forvaring"),
        "fine_default" => ("fine default", "subsidiær fengselsstraff"),
        "total" => ("total", "i alt"),
        "total_excl_em" => ("total without EM", "i alt uten EK"),
        "count" => ("count", "antall"),
        "percent" => ("%", "%"),
        "value" => ("value", "verdi"),
        "stock" => ("stock", "bestand"),
        "population" => ("population", "befolkning"),
        "rate_per_100k" => ("per 100 000 inhabitants", "per 100 000 innbyggere"),
        "capacity" | "places" => ("places", "plasser"),
        "density_per_100_places" => ("per 100 places", "per 100 plasser"),
        "pretrial" => ("pre-trial", "ikke rettskraftig dømt"),
        "women" => ("women", "kvinner"),
        "men" => ("men", "menn"),
        "sex_unknown" => ("sex unknown", "kjønn ukjent"),
        "foreign" => ("foreign citizens", "utenlandske statsborgere"),
        "norwegian" => ("Norwegian citizens", "norske statsborgere"),
        "citizenship_unknown" => ("citizenship unknown", "statsborgerskap ukjent"),
        "under_18" => ("under 18", "under 18"),
        "birth_date_unknown" | "unknown" => ("unknown", "ukjent"),
        "inmates" => ("inmates", "innsatte"),
        "occupancy" => ("occupancy", "belegg"),
        "occupancy_year_to_date" => ("occupancy, year to date", "belegg hittil i år"),
        "queue" => ("serving queue", "soningskø"),
        "queue_em" => ("of which EM", "herav EK"),
        "new_imprisonments" => ("new imprisonments", "nye innsettelser"),
        "reimprisonments" => ("re-imprisonments", "gjeninnsettelser"),
        "transfers_in" => ("transfers in", "overført inn"),
        "transfers_out" => ("transfers out", "overført ut"),
        "discharges" => ("discharges", "løslatelser"),
        "other_departures" => ("other departures", "andre avganger"),
        "escapes" => ("escapes", "rømninger"),
        "no_return_from_leave" => ("no return from leave", "uteblitt fra permisjon"),
        "days" => ("days", "døgn"),
        "average" => ("average", "gjennomsnitt"),
        "days_apart" => ("days (apart)", "døgn (for seg)"),
        "average_daily_population" => (
            "average daily population",
            "gjennomsnittlig antall innsatte",
        ),
        "entries_e1" => ("entries E1", "innsettelser E1"),
        "entries_e2" => ("entries E2", "innsettelser E2"),
        "als_a" => ("average length (a)", "gjennomsnittlig lengde (a)"),
        "als_b_tournier" => (
            "average length (b, Tournier)",
            "gjennomsnittlig lengde (b, Tournier)",
        ),
        "months" => ("months", "måneder"),
        "deaths" => ("deaths", "dødsfall"),
        "suicides" => ("suicides", "selvmord"),
        "per_10k" => ("per 10 000 inmates", "per 10 000 innsatte"),
        "community_sentence" => ("community sentence", "samfunnsstraff"),
        "parole" => ("parole", "prøveløslatelse"),
        "other" => ("other", "annet"),
        "per_100k" => ("per 100 000", "per 100 000"),
        "per_100_inmates" => ("per 100 inmates", "per 100 innsatte"),
        "entries" => ("entries", "tilgang"),
        "exits" => ("exits", "avgang"),
        "preventive_detention_men" => ("preventive detention, men", "forvaring, menn"),
        "preventive_detention_women" => ("preventive detention, women", "forvaring, kvinner"),
        _ => ("", ""),
    };
    let chosen = if lang == Lang::En { en } else { nb };
    if chosen.is_empty() {
        key.replace('_', " ")
    } else {
        chosen.to_string()
    }
}

/// A table as the template shows it.
pub struct TableView {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
    pub notes: Vec<String>,
}

fn table_view(t: &Table, lang: Lang, w: &Words) -> TableView {
    let columns: Vec<&str> = t.columns();
    let mut notes = Vec::new();
    let rows = t
        .rows()
        .into_iter()
        .map(|row| {
            let cells = columns
                .iter()
                .map(|col| match t.get(row, col) {
                    Some(Value::NotAvailable) => w.not_available.to_string(),
                    Some(v) => v.display(),
                    None => String::new(),
                })
                .collect();
            (label(row, lang), cells)
        })
        .collect();
    for c in t.cells.iter().filter(|c| c.note.is_some()) {
        if let Some(n) = &c.note {
            notes.push(format!(
                "{} / {}: {n}",
                label(&c.row, lang),
                label(&c.column, lang)
            ));
        }
    }
    let when = t
        .reference_date
        .map(|d| d.to_string())
        .or_else(|| t.period.clone())
        .unwrap_or_default();
    let title = if lang == Lang::En {
        t.title_en
    } else {
        t.title_nb
    };
    TableView {
        caption: if when.is_empty() {
            title.to_string()
        } else {
            format!("{title} ({when})")
        },
        columns: columns.iter().map(|c| label(c, lang)).collect(),
        rows,
        notes,
    }
}

fn recon_view(r: &Report, lang: Lang, w: &Words) -> Option<TableView> {
    if r.reconciliation.is_empty() {
        return None;
    }
    let columns = [
        "P0",
        "+E",
        "+T_in",
        "−S",
        "−T_out",
        "P1 (computed)",
        "P1 (observed)",
        "residual",
    ];
    Some(TableView {
        caption: w.reconciliation.to_string(),
        columns: columns.iter().map(|c| (*c).to_string()).collect(),
        rows: r
            .reconciliation
            .iter()
            .map(|x| {
                (
                    label(x.category, lang),
                    [
                        x.p0,
                        x.entries,
                        x.transfers_in,
                        x.exits,
                        x.transfers_out,
                        x.p1_computed(),
                        x.p1_observed,
                        x.residual(),
                    ]
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                )
            })
            .collect(),
        notes: Vec::new(),
    })
}

/// A chart and its data table.
pub struct Figure {
    pub svg: String,
    pub table: TableView,
}

/// One report on the page.
pub struct Section {
    pub id: &'static str,
    pub heading: &'static str,
    pub counted: String,
    pub figures: Vec<Figure>,
    pub tables: Vec<TableView>,
    pub warnings: Vec<String>,
    pub downloads: Vec<(String, &'static str)>,
}

fn counted(r: &Report, w: &Words) -> String {
    let params: Vec<String> = r
        .metadata
        .parameters
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    format!(
        "{}: {}; {}; {}",
        w.counted,
        if r.metadata.em_included() {
            w.em_in
        } else {
            w.em_out
        },
        params.join(", "),
        w.rounding
    )
}

fn section(
    id: &'static str,
    heading: &'static str,
    r: &Report,
    lang: Lang,
    w: &Words,
    query: &str,
) -> Section {
    let mut tables: Vec<TableView> = r.tables.iter().map(|t| table_view(t, lang, w)).collect();
    tables.extend(recon_view(r, lang, w));
    Section {
        id,
        heading,
        counted: counted(r, w),
        figures: Vec::new(),
        tables,
        warnings: r
            .warnings
            .iter()
            .map(|x| format!("{}: {}", x.code, x.message))
            .collect(),
        downloads: vec![
            (
                format!("/statistics/export/{id}?format=json&{query}"),
                "JSON",
            ),
            (format!("/statistics/export/{id}?format=csv&{query}"), "CSV"),
            (
                format!("/statistics/export/{id}?format=meta.csv&{query}"),
                "meta CSV",
            ),
        ],
    }
}

/// Month-end stock (EM out) and EM for the twelve months to `date`'s month.
fn stock_figure(ds: &Dataset, end: Date, w: &Words) -> Figure {
    let ends = statistics::month_ends(end.last_of_month());
    let prison: Vec<i64> = ends
        .iter()
        .map(|d| count::stock(ds, day(*d), &Profile::PRISON, &[]).total)
        .collect();
    let em: Vec<i64> = ends
        .iter()
        .map(|d| {
            count::stock(ds, day(*d), &Profile::ALL, &[]).by_category
                [halden_stats::model::Category::Em.index()]
        })
        .collect();
    let labels: Vec<String> = ends
        .iter()
        .map(|d| d.strftime("%Y-%m").to_string())
        .collect();
    let chart = Chart {
        id: "chart-stock".into(),
        title: w.stock_chart.into(),
        description: w.stock_desc.into(),
        kind: Kind::Line,
        labels: labels.clone(),
        series: vec![
            Series {
                name: w.prison.into(),
                values: prison.iter().map(|n| Some(*n as f64)).collect(),
            },
            Series {
                name: w.em.into(),
                values: em.iter().map(|n| Some(*n as f64)).collect(),
            },
        ],
        unit: w.persons.into(),
    };
    Figure {
        svg: chart.svg(),
        table: TableView {
            caption: w.stock_chart.into(),
            columns: vec![w.prison.into(), w.em.into()],
            rows: labels
                .into_iter()
                .zip(prison.iter().zip(&em))
                .map(|(l, (p, e))| (l, vec![p.to_string(), e.to_string()]))
                .collect(),
            notes: Vec::new(),
        },
    }
}

fn queue_figure(ds: &Dataset, end: Date, w: &Words) -> Figure {
    let ends = statistics::month_ends(end.last_of_month());
    let counts: Vec<_> = ends
        .iter()
        .map(|d| halden_domain::queue::count(&ds.judgments, *d))
        .collect();
    let labels: Vec<String> = ends
        .iter()
        .map(|d| d.strftime("%Y-%m").to_string())
        .collect();
    let chart = Chart {
        id: "chart-queue".into(),
        title: w.queue_chart.into(),
        description: w.queue_desc.into(),
        kind: Kind::Line,
        labels: labels.clone(),
        series: vec![
            Series {
                name: w.queue.into(),
                values: counts.iter().map(|c| Some(f64::from(c.queue))).collect(),
            },
            Series {
                name: w.queue_em.into(),
                values: counts.iter().map(|c| Some(f64::from(c.queue_em))).collect(),
            },
        ],
        unit: w.persons.into(),
    };
    Figure {
        svg: chart.svg(),
        table: TableView {
            caption: w.queue_chart.into(),
            columns: vec![w.queue.into(), w.queue_em.into()],
            rows: labels
                .into_iter()
                .zip(&counts)
                .map(|(l, c)| (l, vec![c.queue.to_string(), c.queue_em.to_string()]))
                .collect(),
            notes: Vec::new(),
        },
    }
}

fn bar_figure(
    id: &str,
    title: &str,
    description: &str,
    t: &Table,
    columns: &[(&str, &str)],
    lang: Lang,
    w: &Words,
) -> Figure {
    let rows = t.rows();
    let labels: Vec<String> = rows.iter().map(|r| label(r, lang)).collect();
    let series: Vec<Series> = columns
        .iter()
        .map(|(col, name)| Series {
            name: (*name).to_string(),
            values: rows
                .iter()
                .map(|r| t.get(r, col).and_then(Value::count).map(|n| n as f64))
                .collect(),
        })
        .collect();
    let chart = Chart {
        id: id.into(),
        title: title.into(),
        description: description.into(),
        kind: Kind::Bar,
        labels: labels.clone(),
        series,
        unit: w.persons.into(),
    };
    Figure {
        svg: chart.svg(),
        table: TableView {
            caption: title.into(),
            columns: columns.iter().map(|(_, n)| (*n).to_string()).collect(),
            rows: rows
                .iter()
                .zip(labels)
                .map(|(r, l)| {
                    (
                        l,
                        columns
                            .iter()
                            .map(|(c, _)| t.get(r, c).map(Value::display).unwrap_or_default())
                            .collect(),
                    )
                })
                .collect(),
            notes: Vec::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    c: Chrome,
    w: &'static Words,
    heading: &'static str,
    intro: &'static str,
    form: Option<(String, String, bool)>,
    errors: Vec<String>,
    sections: Vec<Section>,
}

fn query_string(q: &Checked) -> String {
    format!(
        "date={}&year={}{}",
        q.date,
        q.year,
        if q.count_em { "&count_em=true" } else { "" }
    )
}

fn build_sections(
    ds: &Dataset,
    q: &Checked,
    places: Option<i64>,
    lang: Lang,
    w: &'static Words,
) -> Result<Vec<Section>, ApiError> {
    let qs = query_string(q);
    let mut sections = Vec::new();
    let monthly = statistics::build(ds, "monthly", q, places)?;
    let mut s = section("monthly", w.monthly, &monthly, lang, w, &qs);
    s.figures.push(stock_figure(ds, q.date, w));
    s.figures.push(queue_figure(ds, q.date, w));
    sections.push(s);

    let space1 = statistics::build(ds, "space1", q, places)?;
    let mut s = section("space1", w.space1, &space1, lang, w, &qs);
    if let Some(age) = space1.table("age") {
        s.figures.push(bar_figure(
            "chart-age",
            w.age_chart,
            w.age_chart,
            age,
            &[("count", w.persons)],
            lang,
            w,
        ));
    }
    sections.push(s);

    let space2 = statistics::build(ds, "space2", q, places)?;
    sections.push(section("space2", w.space2, &space2, lang, w, &qs));

    let annual = statistics::build(ds, "annual", q, places)?;
    let mut s = section("annual", w.annual, &annual, lang, w, &qs);
    if let Some(flows) = annual.table("flows") {
        s.figures.push(bar_figure(
            "chart-flows",
            w.flows_chart,
            w.flows_chart,
            flows,
            &[
                ("new_imprisonments", w.new_imprisonments),
                ("discharges", w.discharges),
            ],
            lang,
            w,
        ));
    }
    sections.push(s);

    let nordic = statistics::build(ds, "nordic", q, places)?;
    sections.push(section("nordic", w.nordic, &nordic, lang, w, &qs));
    Ok(sections)
}

/// `/statistics`: every report for analysts.
pub(super) async fn statistics_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> Response {
    let here = "/statistics";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(e) = caller.require_statistics() {
        return refusal(&headers, Some(&caller), e, here);
    }
    let lang = lang(&headers);
    let w = words(lang);
    let today = state.today();
    let (checked, errors) = match query.check(today) {
        Ok(c) => (c, Vec::new()),
        Err(e) => (
            ReportQuery::default()
                .check(today)
                .unwrap_or_else(|_| unreachable!("defaults are valid")),
            match e {
                ApiError::Invalid(list) => list
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            f.field,
                            f.message_in(lang.domain()).unwrap_or(&f.message)
                        )
                    })
                    .collect(),
                other => vec![other.to_string()],
            },
        ),
    };
    let result = async {
        let (ds, places) = statistics::load(&state).await?;
        build_sections(&ds, &checked, places, lang, w)
    }
    .await;
    match result {
        Ok(sections) => render(&StatisticsPage {
            c: chrome(&headers, Some(&caller), w.heading, here),
            w,
            heading: w.heading,
            intro: w.intro,
            form: Some((
                checked.date.to_string(),
                checked.year.to_string(),
                checked.count_em,
            )),
            errors,
            sections,
        }),
        Err(e) => refusal(&headers, Some(&caller), e, here),
    }
}

/// `/statistics/public`: the published set, signed in or not.
pub(super) async fn public_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/statistics/public";
    let caller = web_caller(&state.store, &headers).await.ok().flatten();
    let lang = lang(&headers);
    let w = words(lang);
    let result = async {
        let (ds, places) = statistics::load(&state).await?;
        let p = statistics::published(&ds, places, state.today())?;
        let mut monthly = section("monthly", w.monthly, &p.monthly, lang, w, "");
        monthly.downloads.clear();
        monthly.figures.push(stock_figure(
            &ds,
            statistics::last_month_end(state.today()),
            w,
        ));
        let mut annual = section("annual", w.annual, &p.annual, lang, w, "");
        annual.downloads.clear();
        Ok::<_, ApiError>(vec![monthly, annual])
    }
    .await;
    match result {
        Ok(sections) => render(&StatisticsPage {
            c: chrome(&headers, caller.as_ref(), w.public_heading, here),
            w,
            heading: w.public_heading,
            intro: w.public_intro,
            form: None,
            errors: Vec::new(),
            sections,
        }),
        Err(e) => refusal(&headers, caller.as_ref(), e, here),
    }
}

/// `/statistics/export/{report}`: a report as JSON or CSV for a signed-in analyst.
pub(super) async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(report): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let here = "/statistics";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match statistics::report_response(&state, &caller, &report, &query).await {
        Ok(r) => r,
        Err(e) => refusal(&headers, Some(&caller), e, here),
    }
}
