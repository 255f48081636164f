//! The one form machinery every page form uses: fields with their label, help and errors; an
//! error summary that names each field and links to it (focused after a failed submit by
//! `/static/halden.js`); and every value entered kept when a submit fails.

use askama::Template;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{Chrome, render};
use crate::{
    error::ApiError,
    i18n::{Lang, Texts},
};

/// A message shown to a person, with the language it is in when that is not the page's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The text.
    pub text: String,
    /// `Some("en")` for a message that exists only in English on a bokmål page (marked, so that
    /// it is read out as English; a test keeps the forms free of them).
    pub lang: Option<&'static str>,
}

impl Message {
    /// A message in the page's language.
    pub fn new(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            lang: None,
        }
    }
}

/// A problem with one input field (by its path, e.g. `payload.from`), in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field's path as the checks name it; empty for the whole form.
    pub field: String,
    /// What is wrong.
    pub message: Message,
}

impl Problem {
    /// A problem with `field`, in the page's language.
    pub fn new(field: &str, text: impl Into<String>) -> Problem {
        Problem {
            field: field.to_string(),
            message: Message::new(text),
        }
    }
}

/// A refusal's problems in `lang`: field errors in their own words in that language, a stale
/// version and the other refusals in the page's words.
pub fn problems(error: &ApiError, lang: Lang) -> Vec<Problem> {
    let t = lang.texts();
    match error {
        ApiError::Invalid(list) => list
            .iter()
            .map(|e| Problem {
                field: e.field.clone(),
                message: match e.message_in(lang.domain()) {
                    Some(text) => Message::new(text),
                    None => Message {
                        text: e.message.clone(),
                        lang: Some("en"),
                    },
                },
            })
            .collect(),
        ApiError::Conflict(_) => vec![Problem::new("version", t.version_conflict)],
        // Pages send no idempotency keys; shown as a conflict should one ever arrive.
        ApiError::KeyReused | ApiError::KeyTaken => {
            vec![Problem::new("", t.version_conflict)]
        }
        ApiError::Unauthenticated | ApiError::Forbidden => {
            vec![Problem::new("", t.page_forbidden)]
        }
        ApiError::NotFound => vec![Problem::new("", t.page_not_found)],
        ApiError::Internal(_) => vec![Problem::new("", t.page_server_error)],
    }
}

/// A submitted form's values, in the order sent (a checkbox is sent only when ticked).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Values(Vec<(String, String)>);

impl Values {
    /// The value of `name`, or empty.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether checkbox `name` is ticked.
    pub fn on(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Values from pairs (a form's starting values).
    pub fn of(pairs: &[(&str, &str)]) -> Values {
        Values(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

/// A field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name and id.
    pub name: String,
    /// Label (the legend of a group).
    pub label: String,
    /// `text`, `password`, `date`, `datetime-local`, `select`, `textarea`, `file`, `checkbox`,
    /// `checkgroup` (several checkboxes, each named by its option) or `radio`.
    pub kind: &'static str,
    /// Current value (`on` for a ticked checkbox).
    pub value: String,
    /// A select's or radio group's choices, (value, label); a check group's boxes, (name, label).
    pub options: Vec<(String, String)>,
    /// A check group's ticked boxes.
    pub checked: Vec<String>,
    /// Required.
    pub required: bool,
    /// Help text.
    pub help: String,
    /// This field's problems.
    pub errors: Vec<Message>,
    /// The `autocomplete` token, if any.
    pub autocomplete: &'static str,
    /// Other names the checks use for this field (e.g. `kind` for a movement's `movement`).
    pub aliases: Vec<&'static str>,
}

impl Field {
    /// A field.
    pub fn new(name: &str, label: &str, kind: &'static str, value: &str, required: bool) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            kind,
            value: value.into(),
            options: Vec::new(),
            checked: Vec::new(),
            required,
            help: String::new(),
            errors: Vec::new(),
            autocomplete: "",
            aliases: Vec::new(),
        }
    }

    /// A select's or radio group's choices.
    pub fn options(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self
    }

    /// The choices after an empty first one (nothing chosen yet).
    pub fn choose_from(self, options: Vec<(String, String)>) -> Field {
        let mut all = vec![(String::new(), "—".to_string())];
        all.extend(options);
        self.options(all)
    }

    /// A check group's boxes, (name, label), ticked where `values` says so.
    pub fn boxes(mut self, boxes: &[(&str, &str)], values: &Values) -> Field {
        self.checked = boxes
            .iter()
            .filter(|(name, _)| values.on(name))
            .map(|(name, _)| name.to_string())
            .collect();
        self.options = boxes
            .iter()
            .map(|(name, label)| (name.to_string(), label.to_string()))
            .collect();
        self
    }

    /// Help text.
    pub fn help(mut self, help: &str) -> Field {
        self.help = help.into();
        self
    }

    /// The `autocomplete` token.
    pub fn autocomplete(mut self, token: &'static str) -> Field {
        self.autocomplete = token;
        self
    }

    /// Another name the checks use for this field.
    pub fn alias(mut self, name: &'static str) -> Field {
        self.aliases.push(name);
        self
    }

    /// Whether the field has a problem.
    pub fn invalid(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The ids that describe the control: its help, then its error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.help.is_empty() {
            ids.push(format!("{}-help", self.name));
        }
        if self.invalid() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }

    /// Whether a check group's box is ticked.
    pub fn is_checked(&self, name: &str) -> bool {
        self.checked.iter().any(|c| c == name)
    }

    /// Whether the field is empty (for a required check).
    fn is_empty(&self) -> bool {
        match self.kind {
            "checkbox" | "file" => false,
            "checkgroup" => self.checked.is_empty(),
            _ => self.value.trim().is_empty(),
        }
    }

    /// The id a link to this field goes to: the control itself, or a group's first (or `part`)
    /// box.
    fn target(&self, part: &str) -> String {
        match self.kind {
            "checkgroup" => self
                .options
                .iter()
                .find(|(name, _)| name == part)
                .or_else(|| self.options.first())
                .map_or_else(|| self.name.clone(), |(name, _)| name.clone()),
            "radio" => format!("{}-0", self.name),
            _ => self.name.clone(),
        }
    }

    fn answers_to(&self, key: &str, head: &str) -> bool {
        self.name == key
            || self.name == head
            || self.aliases.iter().any(|a| *a == key || *a == head)
            || (self.kind == "checkgroup" && self.options.iter().any(|(n, _)| n == key))
    }
}

/// Every required field left empty, named in `t`'s words.
pub fn required_problems(fields: &[Field], t: &Texts) -> Vec<Problem> {
    fields
        .iter()
        .filter(|f| f.required && f.is_empty())
        .map(|f| Problem::new(&f.name, t.is_required))
        .collect()
}

/// Adds `more` to `problems`, leaving out those on a field that already has one.
pub fn merge(problems: &mut Vec<Problem>, more: Vec<Problem>, fields: &[Field]) {
    for problem in more {
        let (key, head) = key_of(&problem.field);
        let already = problems.iter().any(|p| {
            let (k, h) = key_of(&p.field);
            k == key
                || fields
                    .iter()
                    .any(|f| f.answers_to(key, head) && f.answers_to(k, h))
        });
        if !already {
            problems.push(problem);
        }
    }
}

/// A problem path without the request's envelope (`payload.`, `identity.`, `admission.`), and its
/// first segment.
fn key_of(path: &str) -> (&str, &str) {
    let key = ["payload.", "identity.", "admission."]
        .iter()
        .find_map(|p| path.strip_prefix(p))
        .unwrap_or(path);
    let head = key.split(['.', '[']).next().unwrap_or(key);
    (key, head)
}

/// One line of the error summary: a link to the field, its label and the message.
#[derive(Debug, Clone)]
pub struct SummaryItem {
    /// The id linked to.
    pub target: String,
    /// The field's label, or the path of a field the form does not show; empty for the form.
    pub label: String,
    /// What is wrong.
    pub message: Message,
}

/// A page with one form.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    /// The frame.
    pub c: Chrome,
    /// The heading.
    pub heading: String,
    /// A paragraph under the heading.
    pub intro: String,
    /// Where the form posts.
    pub action: String,
    /// A file upload form.
    pub multipart: bool,
    /// The fields.
    pub fields: Vec<Field>,
    /// The error summary.
    pub summary: Vec<SummaryItem>,
    /// Hidden fields.
    pub hidden: Vec<(String, String)>,
    /// The submit button's text.
    pub submit: String,
    /// A success message.
    pub done: String,
    /// A note under the form.
    pub note: String,
}

impl FormPage {
    /// A form page.
    pub fn new(c: Chrome, heading: &str, action: &str, fields: Vec<Field>) -> FormPage {
        FormPage {
            c,
            heading: heading.into(),
            intro: String::new(),
            action: action.into(),
            multipart: false,
            fields,
            summary: Vec::new(),
            hidden: Vec::new(),
            submit: String::new(),
            done: String::new(),
            note: String::new(),
        }
    }

    /// Attaches each problem to its field and lists it in the summary, linked to the field. A
    /// problem with a field the form does not show stays in the summary under its path, linked
    /// to the first field.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> FormPage {
        let first = self
            .fields
            .first()
            .map(|f| f.target(""))
            .unwrap_or_default();
        for problem in problems {
            let (key, head) = key_of(&problem.field);
            let part = key.rsplit(['.', '[']).next().unwrap_or(key);
            let item = match self.fields.iter_mut().find(|f| f.answers_to(key, head)) {
                Some(field) => {
                    field.errors.push(problem.message.clone());
                    SummaryItem {
                        target: field.target(part),
                        label: field.label.clone(),
                        message: problem.message,
                    }
                }
                None => SummaryItem {
                    target: first.clone(),
                    label: problem.field,
                    message: problem.message,
                },
            };
            self.summary.push(item);
        }
        self
    }

    /// The page: 400 with its error summary after a failed submit, else 200.
    pub fn respond(self) -> Response {
        let status = if self.summary.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        (status, render(&self)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use halden_domain::validate::FieldError;

    fn fields() -> Vec<Field> {
        vec![
            Field::new("movement", "Bevegelse", "select", "", true).alias("kind"),
            Field::new("from", "Fra og med", "date", "2025-01-01", true),
            Field::new("restrictions", "Restriksjoner", "checkgroup", "", false).boxes(
                &[("full_isolation", "Full"), ("partial_isolation", "Delvis")],
                &Values::default(),
            ),
        ]
    }

    #[test]
    fn each_problem_goes_to_its_field_and_the_summary_names_the_field() {
        let error = ApiError::Invalid(vec![
            FieldError::bilingual("payload.kind", None, "cannot follow", "kan ikke følge"),
            FieldError::bilingual(
                "payload.restrictions.partial_isolation",
                None,
                "both",
                "begge",
            ),
            FieldError::new("payload.colour", None, "unknown field"),
        ]);
        let page = FormPage::new(super::super::chrome_for_tests(), "x", "/x", fields())
            .with_problems(problems(&error, Lang::Nb));
        let summary: Vec<(&str, &str, &str)> = page
            .summary
            .iter()
            .map(|s| (s.target.as_str(), s.label.as_str(), s.message.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("movement", "Bevegelse", "kan ikke følge"),
                ("partial_isolation", "Restriksjoner", "begge"),
                ("movement", "payload.colour", "unknown field"),
            ]
        );
        // Untranslated text is marked as English; translated text is not marked.
        assert_eq!(page.summary[2].message.lang, Some("en"));
        assert_eq!(page.summary[0].message.lang, None);
        assert_eq!(page.fields[0].described_by(), "movement-error");
        assert!(!page.fields[1].invalid());
    }

    #[test]
    fn required_fields_left_empty_are_named_once() {
        let fields = fields();
        let mut found = required_problems(&fields, Lang::Nb.texts());
        assert_eq!(found, vec![Problem::new("movement", "må fylles ut")]);
        merge(
            &mut found,
            vec![
                Problem::new("payload.kind", "kan ikke følge"),
                Problem::new("payload.from", "er feil"),
            ],
            &fields,
        );
        let named: Vec<&str> = found.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(named, ["movement", "payload.from"]);
    }
}
