//! The serving queue page for national placement: [`crate::queue::QueueView`] as a table, each
//! person linked to their page (where the summons and placement forms are).

use askama::Template;
use axum::{extract::State, http::HeaderMap, response::Response};

use super::{Chrome, chrome, lang, refusal, render, signed_in};
use crate::{AppState, i18n::Lang, queue::queue_view};

/// The words of the page.
pub struct Words {
    pub summary: &'static str,
    pub waiting_all: &'static str,
    pub of_which_em: &'static str,
    pub received: &'static str,
    pub latest_start: &'static str,
    pub summons_by: &'static str,
    pub in_queue: &'static str,
    pub from: &'static str,
    pub yes: &'static str,
    pub not_yet: &'static str,
    pub summons: &'static str,
    pub none: &'static str,
    pub did_not_report: &'static str,
    pub home: &'static str,
    pub em: &'static str,
    pub nobody: &'static str,
    pub recommended: &'static str,
    pub of: &'static str,
    pub longest_first: &'static str,
}

const NB: Words = Words {
    summary: "I soningskøen i dag: dommer mottatt for minst to kalendermåneder siden som ikke er påbegynt (R-QUEUE-1)",
    waiting_all: "Venter på soning i alt (alle mottatte, ikke påbegynte dommer)",
    of_which_em: "herav elektronisk kontroll",
    received: "Mottatt",
    latest_start: "Soning senest (60 dager, R-INNK-1)",
    summons_by: "Innkalling fremme senest (3 uker før)",
    in_queue: "I køen",
    from: "fra",
    yes: "ja",
    not_yet: "ikke ennå",
    summons: "Innkalling",
    none: "ingen",
    did_not_report: "møtte ikke",
    home: "Hjemkommune",
    em: "elektronisk kontroll",
    nobody: "Ingen venter på soning.",
    recommended: "Laveste nivå reglene tillater; avdeling som passer",
    of: "av",
    longest_first: "de som har ventet lengst",
};

const EN: Words = Words {
    summary: "In the serving queue today: judgments received two calendar months ago or more and not started (R-QUEUE-1)",
    waiting_all: "Waiting to serve in all (every judgment received and not started)",
    of_which_em: "of which electronic monitoring",
    received: "Received",
    latest_start: "Serving by (60 days, R-INNK-1)",
    summons_by: "Summons to arrive by (3 weeks before)",
    in_queue: "In the queue",
    from: "from",
    yes: "yes",
    not_yet: "not yet",
    summons: "Summons",
    none: "none",
    did_not_report: "did not report",
    home: "Home municipality",
    em: "electronic monitoring",
    nobody: "Nobody is waiting to serve.",
    recommended: "Lowest level the rules allow; a department that fits",
    of: "of",
    longest_first: "those waiting longest",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

struct Line {
    person_id: i64,
    name: String,
    interpreter: String,
    home: String,
    received: String,
    latest_start: String,
    summons_by: String,
    in_queue: String,
    summons: String,
    recommended: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    c: Chrome,
    w: &'static Words,
    heading: String,
    queue: u32,
    queue_em: u32,
    waiting_all: usize,
    lines: Vec<Line>,
}

pub(super) async fn queue_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let here = "/queue";
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let view = match queue_view(&state, &caller).await {
        Ok(v) => v,
        Err(e) => return refusal(&headers, Some(&caller), e, here),
    };
    let lang = lang(&headers);
    let w = words(lang);
    let heading = format!("{} {}", lang.texts().queue, view.date);
    let lines = view
        .lines
        .iter()
        .map(|l| {
            let mut summons = match (&l.summons_date, &l.summons_prison) {
                (Some(date), Some(prison)) => format!("{date}, {prison}"),
                _ => w.none.to_string(),
            };
            if l.form == halden_domain::queue::PlannedForm::ElectronicMonitoring {
                summons.push_str(&format!(" ({})", w.em));
            }
            if let Some(missed) = &l.non_appearance {
                summons.push_str(&format!("; {} {missed} (R-INNK-3)", w.did_not_report));
            }
            Line {
                person_id: l.person_id,
                name: l.name.clone(),
                interpreter: l
                    .interpreter
                    .as_ref()
                    .map(|langs| super::person::interpreter_words(langs, lang))
                    .unwrap_or_default(),
                home: l.home_municipality.clone(),
                received: l.received.to_string(),
                latest_start: l.latest_start.to_string(),
                summons_by: l.latest_summons_arrival.to_string(),
                in_queue: if l.in_queue {
                    format!("{} ({} {})", w.yes, w.from, l.counted_from)
                } else {
                    format!("{} ({} {})", w.not_yet, w.from, l.counted_from)
                },
                summons,
                recommended: {
                    let level =
                        lang.value(crate::i18n::Vocab::Level, l.recommendation.level.as_str());
                    match l.recommendation.prisons.first() {
                        Some(c) => format!("{level}; {} {}", c.id, c.name),
                        None => level,
                    }
                },
            }
        })
        .collect();
    render(&QueuePage {
        c: chrome(&headers, Some(&caller), &heading, here),
        w,
        heading,
        queue: view.count.queue,
        queue_em: view.count.queue_em,
        waiting_all: view.waiting_all,
        lines,
    })
}
