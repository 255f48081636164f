//! Issue 5, item 11: the placement recommendation for the whole serving queue and the progression
//! review of every person in custody, on the national demo register.
//!
//! `cargo bench -p halden-web --bench reviews` seeds the national demo population into a
//! temporary SQLite database (as `halden serve --demo` does for today), then times, each as the
//! median of several rounds:
//! - reading every person in custody (full rows, with the engine's document) and every person
//!   waiting in the queue from the database;
//! - the progression plan of every person in custody (`progression::plan`), against the baseline
//!   of only parsing their stored engine documents (`serde_json`) in the same run;
//! - the placement recommendation (lowest level allowed, prisons that fit ranked by room and
//!   distance from home) for everyone waiting, against the same kind of baseline;
//! - the reviews falling due in the week for every person in custody (from the list rows).
//!
//! It prints the counts, the times and the ratios. Not part of CI; no test asserts timings.

#![allow(clippy::unwrap_used, reason = "a benchmark's own fixtures")]
#![allow(missing_docs, reason = "a benchmark binary")]

use std::time::{Duration, Instant};

use halden_sim::demo::Scale;
use halden_storage::{PersonFilter, PersonRow, Store};
use halden_web::{demo, placement_advice, progression};

const ROUNDS: usize = 15;

/// The median of `ROUNDS` runs of `f`, and its last result.
fn median<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut last = None;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let out = std::hint::black_box(f());
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[ROUNDS / 2], last.unwrap())
}

fn per(d: Duration, n: usize) -> String {
    if n == 0 {
        return "–".into();
    }
    format!("{:.2} µs", d.as_secs_f64() * 1e6 / n as f64)
}

async fn in_custody(store: &Store, today: jiff::civil::Date) -> Vec<PersonRow> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .persons(&PersonFilter {
                in_custody: true,
                today: Some(today),
                limit: 1000,
                offset,
                ..PersonFilter::default()
            })
            .await
            .unwrap();
        let n = page.len();
        ids.extend(page.into_iter().map(|p| p.id));
        if n < 1000 {
            break;
        }
        offset += 1000;
    }
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.push(store.person(id).await.unwrap().unwrap());
    }
    rows
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("halden-bench-reviews-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("register.sqlite");
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let today = halden_storage::today_in_oslo();
    let seeding = Instant::now();
    demo::seed(&store, today, Scale::National).await.unwrap();
    let seeded = seeding.elapsed();
    let (persons, entries) = store.register_size().await.unwrap();
    println!(
        "national demo register for {today}: {persons} persons, {entries} entries, seeded in {:.1} s",
        seeded.as_secs_f64()
    );

    // Reading.
    let start = Instant::now();
    let custody = in_custody(&store, today).await;
    let read_custody = start.elapsed();
    let start = Instant::now();
    let (waiting, _) = store.awaiting(1000).await.unwrap();
    let read_waiting = start.elapsed();
    let prisons = placement_advice::prisons_today(&store, today)
        .await
        .unwrap();
    println!(
        "read {} persons in custody in {:.1} ms ({} each); {} waiting in {:.1} ms",
        custody.len(),
        read_custody.as_secs_f64() * 1e3,
        per(read_custody, custody.len()),
        waiting.len(),
        read_waiting.as_secs_f64() * 1e3,
    );

    // Progression plans against parsing their documents.
    let (parse, parsed) = median(|| {
        custody
            .iter()
            .filter_map(|p| {
                serde_json::from_str::<serde_json::Value>(p.dates_json.as_deref()?).ok()
            })
            .count()
    });
    let (plans, planned) = median(|| {
        custody
            .iter()
            .filter_map(|p| progression::plan(p, today))
            .map(|p| p.steps.len())
            .sum::<usize>()
    });
    let (week, due) = median(|| {
        custody
            .iter()
            .map(|p| progression::due_this_week(p, today).len())
            .sum::<usize>()
    });
    println!(
        "progression plans: {} persons, {planned} steps: {:.2} ms ({} a person); baseline, parsing {parsed} engine documents: {:.2} ms; ratio {:.2}",
        custody.len(),
        plans.as_secs_f64() * 1e3,
        per(plans, custody.len()),
        parse.as_secs_f64() * 1e3,
        plans.as_secs_f64() / parse.as_secs_f64().max(1e-9),
    );
    println!(
        "reviews of the week: {due} due among {} persons: {:.2} ms",
        custody.len(),
        week.as_secs_f64() * 1e3
    );

    // Placement for the whole queue.
    let (recommend, ranked) = median(|| {
        waiting
            .iter()
            .map(|p| {
                placement_advice::recommendation_for(p, &prisons, today)
                    .prisons
                    .len()
            })
            .sum::<usize>()
    });
    let (baseline, _) = median(|| {
        waiting
            .iter()
            .filter_map(|p| {
                serde_json::from_str::<serde_json::Value>(p.dates_json.as_deref()?).ok()
            })
            .count()
    });
    println!(
        "placement recommendations: {} waiting, {ranked} prisons offered in all: {:.2} ms ({} a person); baseline, parsing their documents: {:.2} ms",
        waiting.len(),
        recommend.as_secs_f64() * 1e3,
        per(recommend, waiting.len()),
        baseline.as_secs_f64() * 1e3,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
