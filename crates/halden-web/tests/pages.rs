//! The pages in-process: every entry form submitted wrongly and rightly, messages in the page's
//! language, errors attached to their fields, break-glass purposes, the person's own access log.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

mod support;

use axum::{
    body::Body,
    http::{HeaderValue, Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::Value;
use support::{Answer, World, summary, tag_with_id, text_of, world};
use tower::ServiceExt;

/// Asserts a failed submit: 400, each `(id, label)` field named in the summary and marked
/// invalid, described by its error.
fn assert_refused(answer: &Answer, fields: &[(&str, &str)]) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.html);
    let lines = summary(&answer.html);
    for (id, label) in fields {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{label}: "))),
            "the summary names {label}: {lines:?}"
        );
        assert!(
            answer.html.contains(&format!("href=\"#{id}\"")),
            "the summary links #{id}: {lines:?}"
        );
        let tag = tag_with_id(&answer.html, id).unwrap_or_else(|| panic!("no #{id}"));
        assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
    }
    // Nothing on a bokmål form is left in English.
    assert!(
        !answer.html.contains("<span lang=\"en\">"),
        "an untranslated message: {lines:?}"
    );
}

fn assert_saved(answer: &Answer, w: &World) {
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&answer.html)
    );
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/persons/{}", w.oslo).as_str())
    );
}

/// The history rows of a person page, as text.
async fn history(w: &World, role: &str, person: i64) -> Vec<String> {
    let page = w.page_in(role, "nb", &format!("/persons/{person}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page.html.find("id=\"history\"").unwrap();
    page.html[start..]
        .split("<tr")
        .skip(2)
        .map(|row| text_of(&format!("<tr{}", row.split("</tr>").next().unwrap())))
        .collect()
}

#[tokio::test]
async fn a_security_level_is_refused_without_its_fields_and_saved_with_them() {
    let w = world().await;
    let path = format!("/persons/{}/security-levels/new", w.oslo);
    let wrong = w
        .submit("leader", "nb", &path, &[("reason", "Lav risiko")])
        .await;
    assert_refused(
        &wrong,
        &[("level", "Sikkerhetsnivå"), ("from", "Fra og med")],
    );
    assert!(
        wrong.html.contains(">Lav risiko</textarea>"),
        "the reason is kept"
    );
    let right = w
        .submit(
            "leader",
            "nb",
            &path,
            &[
                ("level", "lower"),
                ("from", "2025-05-20"),
                ("reason", "Lav risiko"),
            ],
        )
        .await;
    assert_saved(&right, &w);
    let rows = history(&w, "leader", w.oslo).await;
    let last = rows.last().unwrap();
    assert!(last.contains("sikkerhetsnivå"), "{last}");
    assert!(
        last.contains("Sikkerhetsnivå: lavere sikkerhetsnivå"),
        "{last}"
    );
    let page = w
        .page_in("leader", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(page.html.contains("<dd>lavere sikkerhetsnivå</dd>"));
}

#[tokio::test]
async fn a_leader_assigns_a_contact_officer_who_then_sees_the_person() {
    let w = world().await;
    let person = format!("/persons/{}", w.oslo_unassigned);
    assert_eq!(
        w.page_in("contact", "nb", &person).await.status,
        StatusCode::NOT_FOUND
    );
    let page = w.page_in("leader", "nb", &person).await;
    assert!(page.html.contains("<dt>Kontaktbetjent</dt><dd>–</dd>"));
    let path = format!("{person}/contact-officers/new");
    let form = w.page_in("leader", "nb", &path).await;
    assert!(
        form.html.contains("<option value=\"contact\""),
        "the unit's contact officers are offered"
    );
    assert!(
        !form.html.contains("<option value=\"officer\""),
        "only contact officers"
    );
    let wrong = w.submit("leader", "nb", &path, &[]).await;
    assert_refused(
        &wrong,
        &[("officer", "Kontaktbetjent"), ("from", "Fra og med")],
    );
    let right = w
        .submit(
            "leader",
            "nb",
            &path,
            &[("officer", "contact"), ("from", "2025-06-01")],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some(person.as_str()));
    let page = w.page_in("contact", "nb", &person).await;
    assert_eq!(page.status, StatusCode::OK);
    // The person page names the contact officer (issue 5, item 8).
    assert!(
        page.html
            .contains("<dt>Kontaktbetjent</dt><dd>Kari Kontakt (contact)</dd>"),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn the_person_page_shows_a_new_entry_at_once() {
    // The page's history is kept in memory by the person's version; an append makes a new
    // version, so the next read shows the new entry, and never the history before it.
    let w = world().await;
    let before = history(&w, "leader", w.oslo).await;
    assert!(!before.is_empty());
    assert_eq!(history(&w, "leader", w.oslo).await, before);
    let path = format!("/persons/{}/security-levels/new", w.oslo);
    for (n, from) in ["2025-05-20", "2025-06-20"].into_iter().enumerate() {
        let saved = w
            .submit(
                "leader",
                "nb",
                &path,
                &[("level", "lower"), ("from", from), ("reason", "Lav risiko")],
            )
            .await;
        assert_saved(&saved, &w);
        let after = history(&w, "leader", w.oslo).await;
        assert_eq!(after.len(), before.len() + n + 1, "{after:?}");
        assert!(after.last().unwrap().contains(from), "{after:?}");
    }
}

#[tokio::test]
async fn a_remand_order_keeps_every_value_when_refused() {
    let w = world().await;
    let path = format!("/persons/{}/remand-orders/new", w.oslo);
    let wrong = w
        .submit(
            "leader",
            "nb",
            &path,
            &[
                ("court", "Oslo tingrett"),
                ("from", "2025-05-01"),
                ("until", "2025-04-01"),
                ("full_isolation", "on"),
                ("partial_isolation", "on"),
                ("letter_ban", "on"),
                ("placement_wish", "apart"),
            ],
        )
        .await;
    assert_refused(
        &wrong,
        &[
            ("until", "Til og med"),
            ("partial_isolation", "Restriksjoner"),
        ],
    );
    let lines = summary(&wrong.html);
    assert!(
        lines.contains(&"Til og med: kan ikke være før første dag".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(
            &"Restriksjoner: full og delvis isolasjon kan ikke begge være besluttet".to_string()
        ),
        "{lines:?}"
    );
    for id in ["full_isolation", "partial_isolation", "letter_ban"] {
        assert!(
            tag_with_id(&wrong.html, id).unwrap().contains(" checked"),
            "#{id} kept"
        );
    }
    assert!(
        !tag_with_id(&wrong.html, "visit_ban")
            .unwrap()
            .contains(" checked")
    );
    assert!(
        tag_with_id(&wrong.html, "placement_wish-1")
            .unwrap()
            .contains(" checked")
    );
    assert!(
        tag_with_id(&wrong.html, "court")
            .unwrap()
            .contains("value=\"Oslo tingrett\"")
    );
    assert!(
        tag_with_id(&wrong.html, "until")
            .unwrap()
            .contains("value=\"2025-04-01\"")
    );

    let right = w
        .submit(
            "leader",
            "nb",
            &path,
            &[
                ("court", "Oslo tingrett"),
                ("from", "2025-05-01"),
                ("until", "2025-05-28"),
                ("partial_isolation", "on"),
                ("letter_ban", "on"),
                ("placement_wish", "apart"),
            ],
        )
        .await;
    assert_saved(&right, &w);
    let last = history(&w, "leader", w.oslo).await.pop().unwrap();
    assert!(
        last.contains("Restriksjoner: Delvis isolasjon, Brevforbud"),
        "{last}"
    );
    assert!(last.contains("holdes atskilt fra domfelte"), "{last}");
}

#[tokio::test]
async fn time_not_counted_names_every_empty_field_at_once() {
    let w = world().await;
    let path = format!("/persons/{}/non-counting/new", w.oslo);
    let wrong = w.submit("placement", "nb", &path, &[]).await;
    assert_refused(
        &wrong,
        &[
            ("from", "Fra og med"),
            ("to", "Til og med"),
            ("reason", "Årsak"),
        ],
    );
    let right = w
        .submit(
            "placement",
            "nb",
            &path,
            &[
                ("from", "2025-04-01"),
                ("to", "2025-04-03"),
                ("reason", "interruption"),
            ],
        )
        .await;
    assert_saved(&right, &w);
    let last = history(&w, "placement", w.oslo).await.pop().unwrap();
    assert!(last.contains("Årsak: straffavbrudd"), "{last}");
}

#[tokio::test]
async fn probation_records_supervision_for_its_own_office_only() {
    let w = world().await;
    let path = format!("/persons/{}/supervisions/new", w.supervised);
    let form = w.page_in("probation", "nb", &path).await;
    assert_eq!(form.status, StatusCode::OK);
    // Only the officer's own office is offered, and chosen.
    assert!(
        form.html.contains("<option value=\"F001\" selected>"),
        "{}",
        form.html
    );
    assert!(!form.html.contains("value=\"F002\""));
    // Writing reaches further than reading: for someone outside the caseload the form shows the
    // person's number, not their name.
    let outside = w
        .page_in(
            "probation",
            "nb",
            &format!("/persons/{}/supervisions/new", w.oslo),
        )
        .await;
    assert_eq!(outside.status, StatusCode::OK);
    assert!(!outside.html.contains("Oslomann"));
    assert!(outside.html.contains(&format!("person nr. {}", w.oslo)));
    assert!(
        form.html.contains("Friomsorg, Test"),
        "the caseload's own person is named"
    );

    let wrong = w
        .submit(
            "probation",
            "nb",
            &path,
            &[("office", "F001"), ("from", "2025-06-01")],
        )
        .await;
    assert_refused(
        &wrong,
        &[("supervision", "Type oppfølging"), ("until", "Til og med")],
    );
    assert!(
        tag_with_id(&wrong.html, "from")
            .unwrap()
            .contains("value=\"2025-06-01\"")
    );

    // Another office, sent by hand, is refused by the shared append path; its message exists
    // only in English and is marked so.
    let other = w
        .submit(
            "probation",
            "nb",
            &path,
            &[
                ("supervision", "parole"),
                ("office", "F002"),
                ("from", "2025-06-01"),
                ("until", "2025-12-01"),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST);
    assert!(
        other.html.contains("<span lang=\"en\">"),
        "{:?}",
        summary(&other.html)
    );

    let right = w
        .submit(
            "probation",
            "nb",
            &path,
            &[
                ("supervision", "parole"),
                ("office", "F001"),
                ("from", "2025-06-01"),
                ("until", "2025-12-01"),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    let last = history(&w, "probation", w.supervised).await.pop().unwrap();
    assert!(last.contains("Type oppfølging: prøveløslatelse"), "{last}");
}

#[tokio::test]
async fn a_movement_that_cannot_follow_is_named_in_bokmal_and_in_english() {
    let w = world().await;
    let path = format!("/persons/{}/movements/new", w.oslo);
    let fields = [
        ("movement", "leave_return"),
        ("at", "2025-05-30T10:00"),
        ("note", "feil"),
    ];
    let nb = w.submit("officer", "nb", &path, &fields).await;
    assert_refused(&nb, &[("movement", "Bevegelse")]);
    assert!(
        summary(&nb.html).contains(
            &"Bevegelse: «tilbake fra permisjon» kan ikke registreres når personens status er «til stede»"
                .to_string()
        ),
        "{:?}",
        summary(&nb.html)
    );
    assert!(nb.html.contains(">feil</textarea>"));
    let en = w.submit("officer", "en", &path, &fields).await;
    assert_eq!(en.status, StatusCode::BAD_REQUEST);
    assert!(
        summary(&en.html).contains(
            &"Movement: leave_return cannot follow the person's current status (present)"
                .to_string()
        ),
        "{:?}",
        summary(&en.html)
    );
    assert!(en.html.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn a_stale_version_is_explained_in_the_pages_language() {
    let w = world().await;
    let path = format!("/persons/{}/movements/new", w.oslo);
    let csrf = w.csrf("officer", &path).await;
    let pairs: Vec<(String, String)> = [
        ("csrf", csrf.as_str()),
        ("version", "0"),
        ("movement", "leave_out"),
        ("at", "2025-05-30T10:00"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let stale = w.post_form("officer", "nb", &path, &pairs).await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    let lines = summary(&stale.html);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("noen andre har endret registreringen")),
        "{lines:?}"
    );
    // The values are kept for the second try, with the current version.
    assert!(stale.html.contains("<option value=\"leave_out\" selected>"));
    let version = support::hidden(&stale.html, "version").unwrap();
    assert_ne!(version, "0");
}

#[tokio::test]
async fn a_form_post_without_the_session_csrf_token_is_refused() {
    let w = world().await;
    let path = format!("/persons/{}/security-levels/new", w.oslo);
    let before = history(&w, "leader", w.oslo).await.len();
    let pairs = vec![
        ("csrf".to_string(), "forged".to_string()),
        ("level".to_string(), "lower".to_string()),
        ("from".to_string(), "2025-05-20".to_string()),
    ];
    let forged = w.post_form("leader", "nb", &path, &pairs).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        history(&w, "leader", w.oslo).await.len(),
        before,
        "nothing recorded"
    );
}

#[tokio::test]
async fn the_person_page_offers_each_role_the_forms_it_may_use() {
    let w = world().await;
    let links = |html: &str| -> Vec<&str> {
        [
            "movements",
            "security-levels",
            "remand-orders",
            "non-counting",
            "supervisions",
            "contact-officers",
        ]
        .into_iter()
        .filter(|slug| html.contains(&format!("/{slug}/new\"")))
        .collect()
    };
    let oslo = format!("/persons/{}", w.oslo);
    for (role, expected) in [
        ("officer", vec!["movements"]),
        ("contact", vec!["movements"]),
        (
            "leader",
            vec![
                "movements",
                "security-levels",
                "remand-orders",
                "non-counting",
                "contact-officers",
            ],
        ),
        (
            "placement",
            vec![
                "movements",
                "security-levels",
                "remand-orders",
                "non-counting",
                "supervisions",
                "contact-officers",
            ],
        ),
        ("prisoner", vec![]),
        ("health", vec![]),
    ] {
        let page = w.page_in(role, "nb", &oslo).await;
        assert_eq!(page.status, StatusCode::OK, "{role}");
        assert_eq!(links(&page.html), expected, "{role}");
    }
    let page = w
        .page_in("probation", "nb", &format!("/persons/{}", w.supervised))
        .await;
    assert_eq!(links(&page.html), ["supervisions"]);
    // Correction links only on entries the role may record: an officer corrects movements and
    // identities, not judgments or contact-officer assignments.
    let page = w.page_in("officer", "nb", &oslo).await;
    let entries = w.store.entries(w.oslo).await.unwrap();
    for e in &entries {
        let href = format!("/persons/{}/entries/{}/correct", w.oslo, e.id);
        assert_eq!(
            page.html.contains(&href),
            matches!(e.kind.as_str(), "movement" | "identity"),
            "{}",
            e.kind
        );
    }
}

#[tokio::test]
async fn key_dates_are_named_and_explained_in_the_pages_language() {
    let w = world().await;
    let path = format!("/persons/{}", w.oslo);
    let nb = w.page_in("officer", "nb", &path).await;
    assert!(
        nb.html
            .contains("<td>Endt straffetid</td><td>2025-06-30</td>"),
        "{}",
        nb.html
    );
    assert!(
        nb.html
            .contains("<td>Prøveløslatelse tidligst</td><td>2025-05-21</td>")
    );
    assert!(nb.html.contains("Endt straffetid (C-4, R-CALC-1)"));
    assert!(!nb.html.contains("end_of_sentence") && !nb.html.contains("end of sentence"));
    assert!(nb.html.contains("<dd>til stede</dd>"));
    let en = w.page_in("officer", "en", &path).await;
    assert!(
        en.html
            .contains("<td>End of sentence</td><td>2025-06-30</td>")
    );
    assert!(en.html.contains("End of sentence (C-4, R-CALC-1)"));
    assert!(en.html.contains("<dd>present</dd>"));
    // The roll names the next key date in words too.
    let roll = w.page_in("officer", "nb", "/roll").await;
    assert!(
        roll.html.contains("2025-06-30 (Endt straffetid)"),
        "{}",
        roll.html
    );
}

#[tokio::test]
async fn a_correction_needs_a_reason_and_valid_json_and_an_identity_cannot_be_retracted() {
    let w = world().await;
    let entries = w.store.entries(w.oslo).await.unwrap();
    let identity = entries.iter().find(|e| e.kind == "identity").unwrap();
    let movement = entries.iter().find(|e| e.kind == "movement").unwrap();
    let identity_path = format!("/persons/{}/entries/{}/correct", w.oslo, identity.id);
    let form = w.page_in("officer", "nb", &identity_path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        !form.html.contains("id=\"retract\""),
        "no retraction of an identity"
    );

    let path = format!("/persons/{}/entries/{}/correct", w.oslo, movement.id);
    let no_reason = w
        .submit(
            "officer",
            "nb",
            &path,
            &[("payload", "{\"movement\": \"admission\"}")],
        )
        .await;
    assert_refused(&no_reason, &[("reason", "Begrunnelse")]);
    let broken = w
        .submit(
            "officer",
            "nb",
            &path,
            &[("payload", "{\"movement\": "), ("reason", "x")],
        )
        .await;
    assert_refused(&broken, &[("payload", "Rettet innhold (JSON)")]);
    assert!(
        summary(&broken.html)[0].starts_with("Rettet innhold (JSON): er ikke gyldig JSON (linje 1"),
        "{:?}",
        summary(&broken.html)
    );
    let retracted = w
        .submit(
            "officer",
            "nb",
            &path,
            &[("retract", "on"), ("reason", "Feilregistrert")],
        )
        .await;
    // Retracting the admission (recorded in error) leaves the person not admitted; the entry
    // stays in the history, struck through, with the retraction's reason.
    assert_eq!(
        retracted.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&retracted.html)
    );
    // Not in custody, the person has left the officer's scope; placement sees the whole estate.
    let page = w
        .page_in("placement", "nb", &format!("/persons/{}", w.oslo))
        .await;
    assert!(page.html.contains("<dd>ikke innsatt</dd>"));
    let rows = history(&w, "placement", w.oslo).await;
    assert!(
        rows.iter()
            .any(|r| r.contains("(rettet)") && r.contains("innsettelse")),
        "{rows:?}"
    );
    assert!(
        rows.last()
            .unwrap()
            .contains(&format!("#{}: Feilregistrert", movement.id))
    );
}

#[tokio::test]
async fn sign_in_errors_are_attached_to_their_fields() {
    let w = world().await;
    let form = w.app.clone().oneshot(
        Request::builder()
            .uri("/login")
            .body(Body::empty())
            .unwrap(),
    );
    let form = form.await.unwrap();
    let cookie = form
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = String::from_utf8(
        form.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    let csrf = support::hidden(&html, "csrf").unwrap();
    let post = |body: String| {
        w.app.clone().oneshot(
            Request::builder()
                .method("POST")
                .uri("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookie.clone())
                .body(Body::from(body))
                .unwrap(),
        )
    };
    let empty = post(format!("csrf={csrf}&username=&password="))
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let html = String::from_utf8(
        empty
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert_eq!(
        summary(&html),
        ["Brukernavn: må fylles ut", "Passord: må fylles ut"]
    );
    for id in ["username", "password"] {
        let tag = tag_with_id(&html, id).unwrap();
        assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
        assert!(
            tag.contains(&format!("aria-describedby=\"{id}-error\"")),
            "{tag}"
        );
    }
    assert!(
        tag_with_id(&html, "username")
            .unwrap()
            .contains("autocomplete=\"username\"")
    );

    let wrong = post(format!("csrf={csrf}&username=officer&password=nope"))
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let html = String::from_utf8(
        wrong
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert_eq!(summary(&html), ["Passord: feil brukernavn eller passord"]);
    assert!(
        tag_with_id(&html, "username")
            .unwrap()
            .contains("value=\"officer\"")
    );
    assert!(
        !tag_with_id(&html, "username")
            .unwrap()
            .contains("aria-invalid")
    );
    assert!(
        tag_with_id(&html, "password")
            .unwrap()
            .contains("aria-invalid=\"true\"")
    );
    assert!(
        !tag_with_id(&html, "password").unwrap().contains("value="),
        "no password echoed"
    );
}

#[tokio::test]
async fn an_empty_break_glass_purpose_is_refused_as_such() {
    let w = world().await;
    for path in [
        format!("/persons/{}?purpose=", w.bergen),
        format!("/persons/{}?purpose=+++", w.bergen),
        // The same answer for a person who does not exist: nothing is revealed.
        "/persons/999999?purpose=".to_string(),
    ] {
        let page = w.page_in("officer", "nb", &path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(summary(&page.html), ["Formål: må fylles ut"], "{path}");
        let tag = tag_with_id(&page.html, "purpose").unwrap();
        assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
        assert!(tag.contains("purpose-error"), "{tag}");
        assert!(!page.html.contains("Bergensen"), "no name");
    }
    let long = format!("/persons/{}?purpose={}", w.bergen, "x".repeat(501));
    let page = w.page_in("officer", "nb", &long).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    // A role that may not break the glass gets the plain refusal.
    let page = w
        .page_in("health", "nb", &format!("/persons/{}?purpose=", w.bergen))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.html.contains("id=\"purpose\""));
    // Nothing was logged by the refusals; a stated purpose opens the record, flagged.
    let before = w
        .api(
            Some("admin"),
            "GET",
            &format!("/api/v1/access-log?person={}", w.bergen),
            None,
            &[],
        )
        .await
        .1;
    assert_eq!(before["entries"].as_array().unwrap().len(), 0, "{before}");
    let page = w
        .page_in(
            "officer",
            "nb",
            &format!("/persons/{}?purpose=Overf%C3%B8ringsm%C3%B8te", w.bergen),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let after = w
        .api(
            Some("admin"),
            "GET",
            &format!("/api/v1/access-log?person={}", w.bergen),
            None,
            &[],
        )
        .await
        .1;
    assert_eq!(after["entries"][0]["purpose"], "Overføringsmøte");
    assert_eq!(after["entries"][0]["break_glass"], true);
}

/// Calls the API with one header given as raw bytes (a UTF-8 purpose).
async fn api_with_purpose(w: &World, path: &str, purpose: &[u8]) -> (StatusCode, Value) {
    let request = Request::builder()
        .uri(path)
        .header(
            "authorization",
            format!("Bearer {}", w.api_token("officer")),
        )
        .header(
            "x-break-glass-purpose",
            HeaderValue::from_bytes(purpose).unwrap(),
        )
        .body(Body::empty())
        .unwrap();
    let response = w.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_blank_break_glass_header_is_refused_naming_the_header() {
    let w = world().await;
    for route in ["", "/dates", "/entries"] {
        let path = format!("/api/v1/persons/{}{route}", w.bergen);
        for blank in [&b""[..], b"   "] {
            let (status, body) = api_with_purpose(&w, &path, blank).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
            assert_eq!(body["errors"][0]["field"], "X-Break-Glass-Purpose");
        }
    }
    // A purpose in Norwegian (UTF-8) is a purpose.
    let (status, body) = api_with_purpose(
        &w,
        &format!("/api/v1/persons/{}", w.bergen),
        "Overføring".as_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["break_glass"], true);
}

#[tokio::test]
async fn the_person_sees_who_has_read_their_record() {
    let w = world().await;
    let oslo = format!("/persons/{}", w.oslo);
    assert_eq!(
        w.page_in("officer", "nb", &oslo).await.status,
        StatusCode::OK
    );
    // Probation has no one in Oslo fengsel: its read breaks the glass.
    let glass = w
        .page_in(
            "probation",
            "nb",
            &format!("{oslo}?purpose=Forberede+prøveløslatelse"),
        )
        .await;
    assert_eq!(glass.status, StatusCode::OK);

    let home = w.page_in("prisoner", "nb", "/home").await;
    assert_eq!(home.status, StatusCode::OK);
    let start = home.html.find("id=\"readers\"").unwrap();
    let rows: Vec<String> = home.html[start..]
        .split("<tr")
        .skip(2)
        .map(|r| text_of(&format!("<tr{}", r.split("</tr>").next().unwrap())))
        .collect();
    // Newest first: the person's own home page, probation (flagged), the officer.
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].contains("selvbetjening") && rows[0].contains("egen forside"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("friomsorgen") && rows[1].ends_with("Ja"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("Ola Betjent") && rows[2].contains("fengselsbetjent"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("personside") && rows[2].ends_with("Nei"),
        "{rows:?}"
    );
    assert!(
        home.html.contains(&format!("href=\"{oslo}\"")),
        "a link to the whole record"
    );
    // The purpose itself is not shown to the person.
    assert!(!home.html.contains("Forberede"));

    // The person page shows the same to the person, and to nobody else.
    let own = w.page_in("prisoner", "nb", &oslo).await;
    assert!(own.html.contains("id=\"readers\""));
    let officer = w.page_in("officer", "nb", &oslo).await;
    assert!(!officer.html.contains("id=\"readers\""));
}

#[tokio::test]
async fn the_favicon_and_script_are_served_and_linked() {
    let w = world().await;
    for (path, kind) in [
        ("/static/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/svg+xml"),
        ("/static/halden.js", "text/javascript; charset=utf-8"),
    ] {
        let response = w
            .app
            .clone()
            .oneshot(Request::builder().uri(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], kind, "{path}");
    }
    let (_, login) = w.page(None, "/login").await;
    assert!(login.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""));
    assert!(login.contains("<script src=\"/static/halden.js\" defer></script>"));
}

#[tokio::test]
async fn an_administrator_creates_and_disables_an_account_through_the_forms() {
    let w = world().await;
    let wrong = w
        .submit(
            "admin",
            "nb",
            "/accounts/new",
            &[("username", "Ny Bruker"), ("display_name", "Nina")],
        )
        .await;
    assert_refused(&wrong, &[("password", "Første passord"), ("role", "Rolle")]);
    assert!(wrong.html.contains("value=\"Nina\""), "values are kept");
    let bad_scope = w
        .submit(
            "admin",
            "nb",
            "/accounts/new",
            &[
                ("username", "Ny Bruker"),
                ("display_name", "Nina"),
                ("password", "et langt første passord"),
                ("role", "officer"),
            ],
        )
        .await;
    assert_refused(
        &bad_scope,
        &[("username", "Brukernavn"), ("scope", "Ansvarsområde")],
    );
    let right = w
        .submit(
            "admin",
            "nb",
            "/accounts/new",
            &[
                ("username", "nina"),
                ("display_name", "Nina Nyansatt"),
                ("password", "et langt første passord"),
                ("role", "officer"),
                ("scope", "Oslo fengsel"),
            ],
        )
        .await;
    assert_eq!(
        right.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        summary(&right.html)
    );
    let list = w.page_in("admin", "nb", "/accounts").await;
    assert!(list.html.contains("Nina Nyansatt"));
    assert!(list.html.contains("opprettet"), "the change is logged");
    let nina = w.store.user_by_name("nina").await.unwrap().unwrap();
    let path = format!("/accounts/{}/disable", nina.id);
    let no_reason = w.submit("admin", "nb", &path, &[]).await;
    assert_refused(&no_reason, &[("reason", "Begrunnelse")]);
    let disabled = w
        .submit("admin", "nb", &path, &[("reason", "Sluttet")])
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert!(
        w.store
            .user_by_name("nina")
            .await
            .unwrap()
            .unwrap()
            .is_disabled()
    );
    let list = w.page_in("admin", "nb", "/accounts").await;
    assert!(list.html.contains("Sluttet"), "the reason is in the log");
}
