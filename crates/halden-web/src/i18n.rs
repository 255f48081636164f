//! The UI's words in Norwegian bokmål (the default) and English.
//!
//! Three sources, one rule (the page's language throughout):
//! - [`Texts`]: the pages' own words;
//! - [`Lang::value`]: the machine values the register stores (statuses, movement kinds, roles …),
//!   from the domain's labels where the domain has them;
//! - field errors carry their own bokmål ([`halden_domain::validate::FieldError::message_in`]).

use halden_domain::{
    calc::DateKey,
    case::NonCountingReason,
    register::{CustodyBasis, CustodyStatus, MovementKind, SecurityLevel},
};

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Norsk bokmål.
    Nb,
    /// English.
    En,
}

/// The kinds of stored machine value a page shows in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    /// Custody status (`present`, `on_leave`, …).
    Status,
    /// Movement kind (`admission`, `leave_out`, …).
    Movement,
    /// Basis of custody (`remand`, `sentence`, …).
    Basis,
    /// Security level (`high`, `lower`, `halfway`).
    Level,
    /// Entry kind (`movement`, `remand_order`, …).
    EntryKind,
    /// Sex (`female`, `male`, `unspecified`).
    Sex,
    /// Kind of supervision (`parole`, …).
    Supervision,
    /// Reason days are not counted (`interruption`, …).
    NonCounting,
    /// A remand prisoner's placement wish (`apart`, `with_convicted`).
    PlacementWish,
    /// Role (`officer`, …).
    Role,
    /// The view an access-log line records (`person_page`, …).
    View,
    /// Key date (`parole_eligibility`, …).
    KeyDate,
    /// An area of a release plan (`housing`, …).
    PlanArea,
    /// How far an area of a release plan has come (`arranged`, …).
    PlanStatus,
}

/// (code, English, bokmål) for the values the domain has no label for.
const WORDS: &[(Vocab, &str, &str, &str)] = &[
    (Vocab::EntryKind, "identity", "identity", "identitet"),
    (Vocab::EntryKind, "judgment", "judgment", "dom"),
    (
        Vocab::EntryKind,
        "remand_order",
        "remand order",
        "varetektskjennelse",
    ),
    (Vocab::EntryKind, "movement", "movement", "bevegelse"),
    (
        Vocab::EntryKind,
        "security_level",
        "security level",
        "sikkerhetsnivå",
    ),
    (
        Vocab::EntryKind,
        "non_counting",
        "time not counted",
        "tid som ikke regnes med",
    ),
    (
        Vocab::EntryKind,
        "supervision",
        "probation supervision",
        "oppfølging i friomsorgen",
    ),
    (
        Vocab::EntryKind,
        "contact_officer",
        "contact officer",
        "kontaktbetjent",
    ),
    (
        Vocab::EntryKind,
        "summons",
        "summons to serve",
        "innkalling til soning",
    ),
    (
        Vocab::EntryKind,
        "non_appearance",
        "did not report",
        "møtte ikke",
    ),
    (
        Vocab::EntryKind,
        "expulsion",
        "expulsion decision",
        "vedtak om utvisning",
    ),
    (
        Vocab::EntryKind,
        "release_plan",
        "release plan",
        "løslatelsesplan",
    ),
    (
        Vocab::EntryKind,
        "release_handover",
        "handover to probation",
        "overføring til friomsorgen",
    ),
    (Vocab::PlanArea, "housing", "housing", "bolig"),
    (
        Vocab::PlanArea,
        "work_or_school",
        "work or school",
        "arbeid eller skole",
    ),
    (Vocab::PlanArea, "health", "health", "helse"),
    (
        Vocab::PlanArea,
        "nav",
        "NAV (income and benefits)",
        "NAV (inntekt og ytelser)",
    ),
    (Vocab::PlanStatus, "arranged", "arranged", "ordnet"),
    (
        Vocab::PlanStatus,
        "in_progress",
        "in progress",
        "under arbeid",
    ),
    (
        Vocab::PlanStatus,
        "needs_help",
        "needs help",
        "trenger hjelp",
    ),
    (
        Vocab::PlanStatus,
        "not_needed",
        "not needed",
        "ikke aktuelt",
    ),
    (
        Vocab::EntryKind,
        "retraction",
        "retraction",
        "tilbaketrekking",
    ),
    (Vocab::Sex, "female", "female", "kvinne"),
    (Vocab::Sex, "male", "male", "mann"),
    (Vocab::Sex, "unspecified", "unspecified", "ikke oppgitt"),
    (
        Vocab::Supervision,
        "electronic_monitoring",
        "electronic monitoring",
        "elektronisk kontroll",
    ),
    (Vocab::Supervision, "parole", "parole", "prøveløslatelse"),
    (
        Vocab::Supervision,
        "community_sentence",
        "community sentence",
        "samfunnsstraff",
    ),
    (
        Vocab::Supervision,
        "driving_programme",
        "programme against intoxicated driving",
        "program mot ruspåvirket kjøring",
    ),
    (
        Vocab::PlacementWish,
        "apart",
        "kept apart from convicted persons",
        "holdes atskilt fra domfelte",
    ),
    (
        Vocab::PlacementWish,
        "with_convicted",
        "may be placed with convicted persons",
        "kan plasseres sammen med domfelte",
    ),
    (Vocab::Role, "officer", "prison officer", "fengselsbetjent"),
    (Vocab::Role, "contact", "contact officer", "kontaktbetjent"),
    (Vocab::Role, "leader", "prison leader", "fengselsleder"),
    (
        Vocab::Role,
        "placement",
        "national placement",
        "nasjonal plassering",
    ),
    (Vocab::Role, "probation", "probation officer", "friomsorgen"),
    (Vocab::Role, "health", "health service", "helsetjenesten"),
    (Vocab::Role, "prisoner", "self-service", "selvbetjening"),
    (Vocab::Role, "analyst", "analyst", "analytiker"),
    (Vocab::Role, "admin", "administrator", "administrator"),
    (Vocab::View, "person_page", "person page", "personside"),
    (
        Vocab::View,
        "self_service_home",
        "own home page",
        "egen forside",
    ),
    (
        Vocab::View,
        "api_person",
        "API: record",
        "API: opplysninger",
    ),
    (
        Vocab::View,
        "api_dates",
        "API: key dates",
        "API: nøkkeldatoer",
    ),
    (Vocab::View, "api_entries", "API: history", "API: historikk"),
    (Vocab::View, "youth", "youth sentence", "ungdomsstraff"),
    (
        Vocab::View,
        "youth_form",
        "youth sentence: form",
        "ungdomsstraff: skjema",
    ),
    (
        Vocab::View,
        "api_youth",
        "API: youth sentence",
        "API: ungdomsstraff",
    ),
];

impl Lang {
    /// The language code (`nb`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// Parses a code; anything else is bokmål.
    pub fn parse(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Nb }
    }

    /// The words.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Nb => &NB,
            Lang::En => &EN,
        }
    }

    /// The domain's language (explanations, field errors).
    pub fn domain(self) -> halden_domain::explain::Lang {
        match self {
            Lang::Nb => halden_domain::explain::Lang::Nb,
            Lang::En => halden_domain::explain::Lang::En,
        }
    }

    /// One of an (English, bokmål) pair.
    pub fn pick(self, (en, nb): (&'static str, &'static str)) -> &'static str {
        match self {
            Lang::Nb => nb,
            Lang::En => en,
        }
    }

    /// A stored machine value in words; an unknown value is shown as it is stored.
    ///
    /// ```
    /// use halden_web::i18n::{Lang, Vocab};
    /// assert_eq!(Lang::Nb.value(Vocab::Status, "on_leave"), "på permisjon");
    /// assert_eq!(Lang::En.value(Vocab::Movement, "leave_out"), "out on leave");
    /// assert_eq!(Lang::Nb.value(Vocab::KeyDate, "parole_eligibility"), "Prøveløslatelse tidligst");
    /// assert_eq!(Lang::Nb.value(Vocab::Level, "P001"), "P001");
    /// ```
    pub fn value(self, vocab: Vocab, code: &str) -> String {
        self.label(vocab, code)
            .map(|pair| self.pick(pair).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    /// The (English, bokmål) label of a machine value, if it has one.
    pub fn label(self, vocab: Vocab, code: &str) -> Option<(&'static str, &'static str)> {
        match vocab {
            Vocab::Status => CustodyStatus::parse(code).map(CustodyStatus::label),
            Vocab::Movement => MovementKind::parse(code).map(MovementKind::label),
            Vocab::Basis => CustodyBasis::parse(code).map(CustodyBasis::label),
            Vocab::Level => SecurityLevel::parse(code).map(SecurityLevel::label),
            Vocab::KeyDate => DateKey::parse(code).map(DateKey::label),
            Vocab::NonCounting => NonCountingReason::ALL
                .into_iter()
                .find(|r| r.as_str() == code)
                .map(NonCountingReason::describe),
            _ => WORDS
                .iter()
                .find(|(v, c, _, _)| *v == vocab && *c == code)
                .map(|(_, _, en, nb)| (*en, *nb)),
        }
    }

    /// Choices for a select: every `codes` value with its words.
    pub fn options(self, vocab: Vocab, codes: &[&str]) -> Vec<(String, String)> {
        codes
            .iter()
            .map(|code| (code.to_string(), self.value(vocab, code)))
            .collect()
    }
}

/// Every word on the pages.
#[allow(missing_docs, reason = "each field is the UI text it names")]
#[derive(Debug)]
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub other_language: &'static str,
    pub other_language_code: &'static str,
    pub home: &'static str,
    pub roll: &'static str,
    pub caseload: &'static str,
    pub persons: &'static str,
    pub register_admission: &'static str,
    pub import_judgments: &'static str,
    pub access_log: &'static str,
    pub signed_in_as: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub name: &'static str,
    pub status: &'static str,
    pub prison: &'static str,
    pub unit: &'static str,
    pub security_level: &'static str,
    pub basis: &'static str,
    pub next_key_date: &'static str,
    pub end_of_sentence: &'static str,
    pub release_date: &'static str,
    pub identity: &'static str,
    pub identity_number: &'static str,
    pub temporary_id: &'static str,
    pub family_name: &'static str,
    pub given_names: &'static str,
    pub birth_date: &'static str,
    pub sex: &'static str,
    pub citizenship: &'static str,
    pub languages: &'static str,
    pub interpreter: &'static str,
    pub home_municipality: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub key_dates: &'static str,
    pub rule: &'static str,
    pub date: &'static str,
    pub explanation: &'static str,
    pub history: &'static str,
    pub incidents: &'static str,
    pub planned_dates: &'static str,
    pub progression: &'static str,
    pub progression_above: &'static str,
    pub step: &'static str,
    pub reviews_this_week: &'static str,
    pub no_reviews: &'static str,
    pub forvaring_deadlines: &'static str,
    pub contact_officers: &'static str,
    pub residents: &'static str,
    pub without_contact_officer: &'static str,
    pub incidents_help: &'static str,
    pub recorded: &'static str,
    pub recorded_by: &'static str,
    pub kind: &'static str,
    pub details: &'static str,
    pub corrects: &'static str,
    pub corrected: &'static str,
    pub reason: &'static str,
    pub correct: &'static str,
    pub record: &'static str,
    pub record_movement: &'static str,
    pub record_security_level: &'static str,
    pub record_remand_order: &'static str,
    pub record_non_counting: &'static str,
    pub record_supervision: &'static str,
    pub record_contact_officer: &'static str,
    pub record_summons: &'static str,
    pub record_non_appearance: &'static str,
    pub serving_date: &'static str,
    pub serving_date_help: &'static str,
    pub serving_form: &'static str,
    pub form_prison: &'static str,
    pub form_em: &'static str,
    pub sent_on: &'static str,
    pub sent_on_help: &'static str,
    pub late_reason: &'static str,
    pub late_reason_help: &'static str,
    pub missed_date: &'static str,
    pub missed_date_help: &'static str,
    pub queue: &'static str,
    pub accounts: &'static str,
    pub new_account: &'static str,
    pub display_name: &'static str,
    pub first_password: &'static str,
    pub first_password_help: &'static str,
    pub scope_help: &'static str,
    pub person_id: &'static str,
    pub person_id_help: &'static str,
    pub disable_account: &'static str,
    pub enable_account: &'static str,
    pub account_active: &'static str,
    pub account_disabled: &'static str,
    pub account_changes: &'static str,
    pub account_reason_help: &'static str,
    pub action: &'static str,
    pub create: &'static str,
    pub unit_prefix: &'static str,
    pub contact_officer: &'static str,
    pub contact_officer_help: &'static str,
    pub movement: &'static str,
    pub time: &'static str,
    pub note: &'static str,
    pub save: &'static str,
    pub errors_title: &'static str,
    pub no_key_dates: &'static str,
    pub none_found: &'static str,
    pub search: &'static str,
    pub court_file: &'static str,
    pub court_file_help: &'static str,
    pub upload: &'static str,
    pub imported: &'static str,
    pub saved: &'static str,
    pub person: &'static str,
    pub user: &'static str,
    pub view: &'static str,
    pub purpose: &'static str,
    pub break_glass: &'static str,
    pub break_glass_help: &'static str,
    pub restricted_view: &'static str,
    pub analyst_home: &'static str,
    pub admin_home: &'static str,
    pub prisoner_home: &'static str,
    pub count: &'static str,
    pub who_read_my_record: &'static str,
    pub who_read_help: &'static str,
    pub nobody_read: &'static str,
    pub my_record: &'static str,
    pub payload_json: &'static str,
    pub payload_help: &'static str,
    pub retract: &'static str,
    pub retract_help: &'static str,
    pub correction_reason_help: &'static str,
    pub version: &'static str,
    pub supervision: &'static str,
    pub supervision_kind: &'static str,
    pub office: &'static str,
    pub office_help_own: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub court: &'static str,
    pub restrictions: &'static str,
    pub restrictions_help: &'static str,
    pub full_isolation: &'static str,
    pub partial_isolation: &'static str,
    pub letter_ban: &'static str,
    pub visit_ban: &'static str,
    pub placement_wish: &'static str,
    pub placement_wish_help: &'static str,
    pub not_stated: &'static str,
    pub remand_dates_help: &'static str,
    pub level_help: &'static str,
    pub decision_reason_help: &'static str,
    pub non_counting_reason: &'static str,
    pub non_counting_help: &'static str,
    pub supervision_dates_help: &'static str,
    pub identity_number_help: &'static str,
    pub temporary_id_help: &'static str,
    pub citizenship_help: &'static str,
    pub languages_help: &'static str,
    pub time_help: &'static str,
    pub due_back: &'static str,
    pub due_back_help: &'static str,
    pub movement_prison_help: &'static str,
    pub capacity_override: &'static str,
    pub capacity_override_help: &'static str,
    /// Record the release plan (one area)
    pub record_release_plan: &'static str,
    /// Hand over to probation before release
    pub record_release_handover: &'static str,
    /// Area
    pub plan_area: &'static str,
    /// Status
    pub plan_status: &'static str,
    /// What is arranged or needed. A new entry for the same area replaces the last; the history keeps everything.
    pub plan_note_help: &'static str,
    /// The probation office that will follow the person after release. From the handover the office may read the record and work on the plan.
    pub release_handover_help: &'static str,
    /// Release plan
    pub release_plan_heading: &'static str,
    /// Note on dates of a serving that began on EM.
    pub serving_began_on_em: &'static str,
    /// Handed over to probation
    pub release_plan_office: &'static str,
    /// not assessed
    pub release_plan_not_assessed: &'static str,
    /// Record an expulsion decision
    pub record_expulsion: &'static str,
    /// Decided on
    pub decided_on: &'static str,
    /// A decision to expel the person after the sentence (Immigration Act §§ 66–67). With it, day release, home serving (§ 16), electronic monitoring (§ 16 a) and the halfway house are not planned. A decision revoked is retracted as a correction.
    pub expulsion_help: &'static str,
    /// Decided by
    pub expulsion_authority: &'static str,
    /// Final from
    pub final_on: &'static str,
    /// Case number
    pub case_reference: &'static str,
    /// Receiving health institution
    pub receiving_institution: &'static str,
    /// Special grounds for placing an under-18 outside a youth unit.
    pub youth_exception: &'static str,
    /// Its help.
    pub youth_exception_help: &'static str,
    /// Only for a handover to mandatory psychiatric care: the institution that receives the person. The handover closes the case in the correctional service.
    pub receiving_institution_help: &'static str,
    /// Expulsion decision
    pub expulsion_notice: &'static str,
    /// not final
    pub expulsion_pending: &'static str,
    /// Case closed: handed over to mandatory psychiatric care
    pub handover_notice: &'static str,
    pub movement_basis_help: &'static str,
    pub case_number: &'static str,
    pub decision_date: &'static str,
    pub final_date: &'static str,
    pub remand_deduction_days: &'static str,
    pub offence_class: &'static str,
    pub sentences: &'static str,
    pub preventive_detention: &'static str,
    pub community_sentence: &'static str,
    pub page_forbidden: &'static str,
    pub page_not_found: &'static str,
    pub page_bad_request: &'static str,
    pub page_server_error: &'static str,
    pub form_expired: &'static str,
    pub wrong_credentials: &'static str,
    pub is_required: &'static str,
    pub too_long: &'static str,
    pub characters: &'static str,
    pub not_json: &'static str,
    pub line: &'static str,
    pub column: &'static str,
    pub version_conflict: &'static str,
    pub choose_file: &'static str,
    pub file_not_utf8: &'static str,
    pub file_not_read: &'static str,
    pub problems_in_file: &'static str,
    pub demo_accounts: &'static str,
    pub person_number: &'static str,
}

/// Norsk bokmål.
pub static NB: Texts = Texts {
    app_name: "Halden",
    skip_to_content: "Hopp til innholdet",
    sign_in: "Logg inn",
    sign_out: "Logg ut",
    username: "Brukernavn",
    password: "Passord",
    other_language: "English",
    other_language_code: "en",
    home: "Forside",
    roll: "Oversikt over innsatte",
    caseload: "Saksmengde",
    persons: "Personer",
    register_admission: "Registrer innsettelse",
    import_judgments: "Importer dommer",
    access_log: "Tilgangslogg",
    signed_in_as: "Innlogget som",
    role: "Rolle",
    scope: "Ansvarsområde",
    name: "Navn",
    status: "Status",
    prison: "Fengsel",
    unit: "Enhet",
    security_level: "Sikkerhetsnivå",
    basis: "Grunnlag",
    next_key_date: "Neste nøkkeldato",
    end_of_sentence: "Straffens slutt",
    release_date: "Løslatelsesdato",
    identity: "Identitet",
    identity_number: "Fødselsnummer",
    temporary_id: "Midlertidig id",
    family_name: "Etternavn",
    given_names: "Fornavn",
    birth_date: "Fødselsdato",
    sex: "Kjønn",
    citizenship: "Statsborgerskap",
    languages: "Språk",
    interpreter: "Tolkebehov",
    home_municipality: "Bostedskommune",
    yes: "Ja",
    no: "Nei",
    key_dates: "Nøkkeldatoer",
    rule: "Regel",
    date: "Dato",
    explanation: "Forklaring",
    history: "Historikk",
    incidents: "Hendelser",
    planned_dates: "Dommen venter på soning: datoene er planlagte, regnet som om soningen starter (innkallingens dato, ellers siste soningsdato etter R-INNK-1)",
    progression: "Progresjonsplan",
    progression_above: "Personen er plassert over det laveste nivået reglene tillater: det krever et vedtak med hjemmel og begrunnelse.",
    step: "Steg",
    reviews_this_week: "Vurderinger som forfaller de neste sju dagene",
    no_reviews: "Ingen vurderinger forfaller de neste sju dagene.",
    forvaring_deadlines: "Forvaring: frister for å begjære forlengelse (R-FORV-2)",
    contact_officers: "Kontaktbetjenter og innsatte",
    residents: "Innsatte",
    without_contact_officer: "Uten kontaktbetjent (nye, eller overført hit): tildel en",
    incidents_help: "Dager utenfor uten lov regnes ikke som sonet tid (R-CALC-5); nøkkeldatoene over er flyttet tilsvarende.",
    recorded: "Registrert",
    recorded_by: "Registrert av",
    kind: "Type",
    details: "Innhold",
    corrects: "Retter",
    corrected: "rettet",
    reason: "Begrunnelse",
    correct: "Rett opp",
    record: "Registrer",
    record_movement: "Registrer bevegelse",
    record_security_level: "Registrer sikkerhetsnivå",
    record_remand_order: "Registrer varetektskjennelse",
    record_non_counting: "Registrer tid som ikke regnes med",
    record_supervision: "Registrer oppfølging i friomsorgen",
    record_contact_officer: "Tildel kontaktbetjent",
    record_summons: "Send innkalling",
    record_non_appearance: "Registrer at personen ikke møtte",
    serving_date: "Soningsdato",
    serving_date_help: "Dagen personen skal møte. Minst tre uker etter at innkallingen sendes, og senest 60 dager etter at dommen ble mottatt (R-INNK-1).",
    serving_form: "Gjennomføring",
    form_prison: "i fengsel",
    form_em: "med elektronisk kontroll",
    sent_on: "Sendt",
    sent_on_help: "Dagen innkallingen sendes: i dag.",
    late_reason: "Begrunnelse for sen soningsdato",
    late_reason_help: "Må fylles ut når soningsdatoen er senere enn 60 dager etter mottak.",
    missed_date: "Soningsdato som ikke ble overholdt",
    missed_date_help: "Personen møtte ikke til soning denne dagen (R-INNK-3): skal etterlyses og pågripes.",
    queue: "Soningskø",
    accounts: "Kontoer",
    new_account: "Ny konto",
    display_name: "Navn som vises",
    first_password: "Første passord",
    first_password_help: "Minst 12 tegn. Gi det til kontoinnehaveren på en sikker måte.",
    scope_help: "Fengselsenheten for fengselsansatte og helsetjenesten, friomsorgskontoret for friomsorgen; ingen for andre roller.",
    person_id: "Person-id",
    person_id_help: "Bare for en innsatts konto: personens id i registeret.",
    disable_account: "Sperr konto",
    enable_account: "Åpne konto",
    account_active: "aktiv",
    account_disabled: "sperret",
    account_changes: "Endringer i kontoer",
    account_reason_help: "Hvorfor. Skrives i kontologgen sammen med hvem og når.",
    action: "Handling",
    create: "Opprett",
    unit_prefix: "Enhet",
    contact_officer: "Kontaktbetjent",
    contact_officer_help: "Kontaktbetjentene i enheten der personen sitter. En ny tildeling erstatter den forrige; den opphører ved løslatelse.",
    movement: "Bevegelse",
    time: "Tidspunkt",
    note: "Merknad",
    save: "Lagre",
    errors_title: "Skjemaet har feil",
    no_key_dates: "Ingen nøkkeldatoer: personen soner ikke en registrert dom.",
    none_found: "Ingen funnet.",
    search: "Søk",
    court_file: "Domsfil (JSON eller CSV)",
    court_file_help: "Hele filen kontrolleres først. En fil med feil lagrer ingenting.",
    upload: "Last opp",
    imported: "Importert",
    saved: "Lagret",
    person: "Person",
    user: "Bruker",
    view: "Visning",
    purpose: "Formål",
    break_glass: "Nødtilgang",
    break_glass_help: "Personen er utenfor ditt ansvarsområde. Oppgi formål for nødtilgang; oppslaget flagges i tilgangsloggen.",
    restricted_view: "Begrenset visning for tjenesteyter: navn, sted og løslatelsesdato.",
    analyst_home: "Analytikere ser bare aggregerte tall, aldri enkeltpersoner.",
    admin_home: "Administratorer forvalter brukere og referansedata og kan lese tilgangsloggen.",
    prisoner_home: "Dine datoer, med regel og utregning.",
    count: "Antall",
    who_read_my_record: "Hvem har lest opplysningene mine",
    who_read_help: "Hver gang noen åpner opplysningene dine, blir det logget. Nødtilgang betyr at noen utenfor ditt fengsel eller kontor har lest dem og oppgitt et formål.",
    nobody_read: "Ingen har lest opplysningene dine ennå.",
    my_record: "Mine opplysninger",
    payload_json: "Rettet innhold (JSON)",
    payload_help: "Hele registreringen slik den skal være, som JSON. Felter og verdier som i API-et.",
    retract: "Trekk tilbake (registrert ved en feil)",
    retract_help: "Registreringen skal ikke gjelde. Den blir stående i historikken, markert som rettet.",
    correction_reason_help: "Hvorfor registreringen rettes. Vises i historikken.",
    version: "Versjon",
    supervision: "Oppfølging",
    supervision_kind: "Type oppfølging",
    office: "Friomsorgskontor",
    office_help_own: "Du kan registrere oppfølging bare for ditt eget kontor.",
    from: "Fra og med",
    to: "Til og med",
    court: "Domstol",
    restrictions: "Restriksjoner",
    restrictions_help: "Restriksjonene retten har besluttet (straffeprosessloven §§ 186 og 186 a). Full og delvis isolasjon utelukker hverandre.",
    full_isolation: "Full isolasjon",
    partial_isolation: "Delvis isolasjon",
    letter_ban: "Brevforbud",
    visit_ban: "Besøksforbud",
    placement_wish: "Ønske om plassering",
    placement_wish_help: "Den varetektsinnsattes eget ønske (straffegjennomføringsloven § 3 femte ledd).",
    not_stated: "Ikke oppgitt",
    remand_dates_help: "Første og siste dag kjennelsen gjelder.",
    level_help: "Vedtak om sikkerhetsnivå (straffegjennomføringsloven § 10). Laveste mulige nivå er utgangspunktet.",
    decision_reason_help: "Den skriftlige begrunnelsen for vedtaket.",
    non_counting_reason: "Årsak",
    non_counting_help: "Dager som ikke regnes som sonet tid, f.eks. straffavbrudd (straffegjennomføringsloven § 35). Rømning registreres som bevegelse.",
    supervision_dates_help: "Første og siste dag under friomsorgskontoret.",
    identity_number_help: "11 siffer (fødselsnummer eller D-nummer).",
    temporary_id_help: "Når fødselsnummeret ikke er kjent, f.eks. T-000123.",
    citizenship_help: "Landkode med to store bokstaver (ISO 3166), f.eks. NO; XX når ukjent.",
    languages_help: "Språkkoder (ISO 639) skilt med komma, f.eks. nb, pl.",
    time_help: "Dato og klokkeslett, norsk tid.",
    due_back: "Skal være tilbake",
    due_back_help: "Bare for utgang på permisjon: når personen skal være tilbake. Kommer personen senere, registreres en hendelse, og hele dager utenfor regnes ikke som sonet tid (R-CALC-5).",
    movement_prison_help: "For innsettelse og overføring.",
    capacity_override: "Begrunnelse for overbelegg",
    capacity_override_help: "Bare når avdelingen er full den dagen: hvorfor personen likevel skal settes inn eller overføres dit. Uten begrunnelse avvises en innsettelse eller overføring til en full avdeling. Begrunnelsen lagres med bevegelsen og vises i historikken.",
    record_release_plan: "Registrer løslatelsesplan (ett område)",
    record_release_handover: "Overfør til friomsorgen før løslatelse",
    plan_area: "Område",
    plan_status: "Status",
    plan_note_help: "Hva som er ordnet eller trengs. En ny registrering for samme område erstatter den forrige; historikken beholder alt.",
    release_handover_help: "Friomsorgskontoret som skal følge opp personen etter løslatelse. Fra overføringen kan kontoret lese journalen og arbeide med planen.",
    release_plan_heading: "Løslatelsesplan",
    serving_began_on_em: "Dagene med elektronisk kontroll regnes som sonet (straffegjennomføringsloven § 16 a): soningen, og datoene, regnes fra første dag med EK,",
    release_plan_office: "Overført til friomsorgen",
    release_plan_not_assessed: "ikke vurdert",
    record_expulsion: "Registrer vedtak om utvisning",
    decided_on: "Vedtaksdato",
    expulsion_help: "Vedtak om utvisning etter straffen (utlendingsloven §§ 66–67). Med vedtaket planlegges ikke frigang, soning i hjemmet (§ 16), elektronisk kontroll (§ 16 a) eller overgangsbolig. Et opphevet vedtak trekkes tilbake som en rettelse.",
    expulsion_authority: "Vedtaksmyndighet",
    final_on: "Endelig fra",
    case_reference: "Saksnummer",
    receiving_institution: "Mottakende helseinstitusjon",
    youth_exception: "Særlige grunner (under 18)",
    youth_exception_help: "Bare når personen er under 18 år den dagen og avdelingen ikke er en ungdomsenhet: de særlige grunnene (R-YOUTH-2). Uten dem avvises innsettelsen eller overføringen.",
    receiving_institution_help: "Bare ved overføring til tvungent psykisk helsevern: institusjonen som tar imot personen. Overføringen avslutter saken i kriminalomsorgen.",
    expulsion_notice: "Vedtak om utvisning",
    expulsion_pending: "ikke endelig",
    handover_notice: "Saken er avsluttet: overført til tvungent psykisk helsevern",
    movement_basis_help: "For innsettelse og endret grunnlag.",
    case_number: "Saksnummer",
    decision_date: "Domsdato",
    final_date: "Rettskraftig",
    remand_deduction_days: "Varetektsfradrag (dager)",
    offence_class: "Lovbruddsklasse",
    sentences: "Straffer",
    preventive_detention: "Forvaring",
    community_sentence: "Samfunnsstraff",
    page_forbidden: "Rollen din gir ikke tilgang til denne siden.",
    page_not_found: "Fant ikke siden, eller den er utenfor ditt ansvarsområde.",
    page_bad_request: "Forespørselen kunne ikke behandles.",
    page_server_error: "Noe gikk galt. Feilen er logget.",
    form_expired: "Skjemaet er utløpt. Prøv igjen.",
    wrong_credentials: "feil brukernavn eller passord",
    is_required: "må fylles ut",
    too_long: "er for lang; høyst",
    characters: "tegn",
    not_json: "er ikke gyldig JSON",
    line: "linje",
    column: "kolonne",
    version_conflict: "noen andre har endret registreringen mens du arbeidet; last siden på nytt og prøv igjen",
    choose_file: "velg en domsfil",
    file_not_utf8: "filen må være UTF-8-tekst",
    file_not_read: "filen kunne ikke leses",
    problems_in_file: "feil i filen, se listen over",
    demo_accounts: "Demo-kontoer (passord halden-demo)",
    person_number: "person nr.",
};

/// English.
pub static EN: Texts = Texts {
    app_name: "Halden",
    skip_to_content: "Skip to content",
    sign_in: "Sign in",
    sign_out: "Sign out",
    username: "Username",
    password: "Password",
    other_language: "Norsk",
    other_language_code: "nb",
    home: "Home",
    roll: "Roll",
    caseload: "Caseload",
    persons: "Persons",
    register_admission: "Register admission",
    import_judgments: "Import judgments",
    access_log: "Access log",
    signed_in_as: "Signed in as",
    role: "Role",
    scope: "Scope",
    name: "Name",
    status: "Status",
    prison: "Prison",
    unit: "Unit",
    security_level: "Security level",
    basis: "Basis",
    next_key_date: "Next key date",
    end_of_sentence: "End of sentence",
    release_date: "Release date",
    identity: "Identity",
    identity_number: "Identity number",
    temporary_id: "Temporary id",
    family_name: "Family name",
    given_names: "Given names",
    birth_date: "Birth date",
    sex: "Sex",
    citizenship: "Citizenship",
    languages: "Languages",
    interpreter: "Interpreter needed",
    home_municipality: "Home municipality",
    yes: "Yes",
    no: "No",
    key_dates: "Key dates",
    rule: "Rule",
    date: "Date",
    explanation: "Explanation",
    history: "History",
    incidents: "Incidents",
    planned_dates: "The judgment waits to be served: the dates are planned, counted as if serving starts (the summons date, else the latest serving date under R-INNK-1)",
    progression: "Progression plan",
    progression_above: "The person is placed above the lowest level the rules allow: that needs a decision with a legal ground and a reason.",
    step: "Step",
    reviews_this_week: "Reviews falling due in the next seven days",
    no_reviews: "No reviews fall due in the next seven days.",
    forvaring_deadlines: "Preventive detention: deadlines to petition for extension (R-FORV-2)",
    contact_officers: "Contact officers and residents",
    residents: "Residents",
    without_contact_officer: "Without a contact officer (new, or transferred here): assign one",
    incidents_help: "Days outside without leave do not count as time served (R-CALC-5); the key dates above are moved by as many days.",
    recorded: "Recorded",
    recorded_by: "Recorded by",
    kind: "Kind",
    details: "Details",
    corrects: "Corrects",
    corrected: "corrected",
    reason: "Reason",
    correct: "Correct",
    record: "Record",
    record_movement: "Record movement",
    record_security_level: "Record security level",
    record_remand_order: "Record remand order",
    record_non_counting: "Record time not counted",
    record_supervision: "Record probation supervision",
    record_contact_officer: "Assign a contact officer",
    record_summons: "Send a summons",
    record_non_appearance: "Record that the person did not report",
    serving_date: "Serving date",
    serving_date_help: "The day the person is to report. At least three weeks after the summons is sent, and at the latest 60 days after the judgment was received (R-INNK-1).",
    serving_form: "Serving",
    form_prison: "in prison",
    form_em: "with electronic monitoring",
    sent_on: "Sent",
    sent_on_help: "The day the summons is sent: today.",
    late_reason: "Reason for a late serving date",
    late_reason_help: "Required when the serving date is more than 60 days after receipt.",
    missed_date: "Serving date missed",
    missed_date_help: "The person did not report on this day (R-INNK-3): to be sought and arrested.",
    queue: "Serving queue",
    accounts: "Accounts",
    new_account: "New account",
    display_name: "Display name",
    first_password: "First password",
    first_password_help: "At least 12 characters. Give it to the holder of the account in a safe way.",
    scope_help: "The prison unit for prison staff and health services, the probation office for probation; none for other roles.",
    person_id: "Person id",
    person_id_help: "Only for a prisoner's account: the person's id in the register.",
    disable_account: "Disable account",
    enable_account: "Enable account",
    account_active: "active",
    account_disabled: "disabled",
    account_changes: "Changes to accounts",
    account_reason_help: "Why. Written to the account log with who and when.",
    action: "Action",
    create: "Create",
    unit_prefix: "Unit",
    contact_officer: "Contact officer",
    contact_officer_help: "The contact officers of the unit where the person is held. A new assignment replaces the last; it ends on release.",
    movement: "Movement",
    time: "Time",
    note: "Note",
    save: "Save",
    errors_title: "The form has errors",
    no_key_dates: "No key dates: the person is not serving a registered judgment.",
    none_found: "None found.",
    search: "Search",
    court_file: "Court file (JSON or CSV)",
    court_file_help: "The whole file is checked first. A file with errors saves nothing.",
    upload: "Upload",
    imported: "Imported",
    saved: "Saved",
    person: "Person",
    user: "User",
    view: "View",
    purpose: "Purpose",
    break_glass: "Break the glass",
    break_glass_help: "This person is outside your scope. State a purpose to read the record; the read is flagged in the access log.",
    restricted_view: "Restricted view for service providers: name, location and release date.",
    analyst_home: "Analysts see aggregates only, never a person.",
    admin_home: "Administrators manage users and reference data and can read the access log.",
    prisoner_home: "Your dates, with their rule and arithmetic.",
    count: "Count",
    who_read_my_record: "Who has read my record",
    who_read_help: "Every time someone opens your record, it is logged. Break the glass means someone outside your prison or office read it and stated a purpose.",
    nobody_read: "Nobody has read your record yet.",
    my_record: "My record",
    payload_json: "Corrected content (JSON)",
    payload_help: "The whole entry as it should be, as JSON. Fields and values as in the API.",
    retract: "Retract (recorded in error)",
    retract_help: "The entry shall not count. It stays in the history, marked as corrected.",
    correction_reason_help: "Why the entry is corrected. Shown in the history.",
    version: "Version",
    supervision: "Supervision",
    supervision_kind: "Kind of supervision",
    office: "Probation office",
    office_help_own: "You can record supervision only for your own office.",
    from: "From",
    to: "To",
    court: "Court",
    restrictions: "Restrictions",
    restrictions_help: "The restrictions the court ordered (Criminal Procedure Act §§ 186 and 186 a). Full and partial isolation exclude each other.",
    full_isolation: "Full isolation",
    partial_isolation: "Partial isolation",
    letter_ban: "Ban on letters",
    visit_ban: "Ban on visits",
    placement_wish: "Placement wish",
    placement_wish_help: "The remand prisoner's own wish (Execution of Sentences Act § 3 fifth paragraph).",
    not_stated: "Not stated",
    remand_dates_help: "First and last day of the order.",
    level_help: "Decision on the security level (Execution of Sentences Act § 10). The lowest possible level is the starting point.",
    decision_reason_help: "The written reason for the decision.",
    non_counting_reason: "Reason",
    non_counting_help: "Days that do not count as time served, e.g. an interruption (Execution of Sentences Act § 35). Escapes are recorded as movements.",
    supervision_dates_help: "First and last day under the probation office.",
    identity_number_help: "11 digits (national identity number or D number).",
    temporary_id_help: "When the identity number is not known, e.g. T-000123.",
    citizenship_help: "Two-letter country code (ISO 3166), e.g. NO; XX when unknown.",
    languages_help: "Language codes (ISO 639) separated by commas, e.g. nb, pl.",
    time_help: "Date and time, Norwegian time.",
    due_back: "Due back",
    due_back_help: "Only for leave out: when the person must be back. A later return is recorded as an incident, and whole days outside do not count as time served (R-CALC-5).",
    movement_prison_help: "For admission and transfer.",
    capacity_override: "Reason for overbooking",
    capacity_override_help: "Only when the department is full on the day: why the person is to be admitted or transferred there anyway. Without a reason, an admission or transfer into a full department is refused. The reason is kept with the movement and shown in the history.",
    record_release_plan: "Record the release plan (one area)",
    record_release_handover: "Hand over to probation before release",
    plan_area: "Area",
    plan_status: "Status",
    plan_note_help: "What is arranged or needed. A new entry for the same area replaces the last; the history keeps everything.",
    release_handover_help: "The probation office that will follow the person after release. From the handover the office may read the record and work on the plan.",
    release_plan_heading: "Release plan",
    serving_began_on_em: "The days on electronic monitoring are served days (Execution of Sentences Act § 16 a): the serving, and the dates, count from the first EM day,",
    release_plan_office: "Handed over to probation",
    release_plan_not_assessed: "not assessed",
    record_expulsion: "Record an expulsion decision",
    decided_on: "Decided on",
    expulsion_help: "A decision to expel the person after the sentence (Immigration Act §§ 66–67). With it, day release, home serving (§ 16), electronic monitoring (§ 16 a) and the halfway house are not planned. A decision revoked is retracted as a correction.",
    expulsion_authority: "Decided by",
    final_on: "Final from",
    case_reference: "Case number",
    receiving_institution: "Receiving health institution",
    youth_exception: "Special grounds (under 18)",
    youth_exception_help: "Only when the person is under 18 on the day and the department is not a youth unit: the special grounds (R-YOUTH-2). Without them the admission or transfer is refused.",
    receiving_institution_help: "Only for a handover to mandatory psychiatric care: the institution that receives the person. The handover closes the case in the correctional service.",
    expulsion_notice: "Expulsion decision",
    expulsion_pending: "not final",
    handover_notice: "Case closed: handed over to mandatory psychiatric care",
    movement_basis_help: "For admission and change of basis.",
    case_number: "Case number",
    decision_date: "Decision date",
    final_date: "Final",
    remand_deduction_days: "Remand deduction (days)",
    offence_class: "Offence class",
    sentences: "Sentences",
    preventive_detention: "Preventive detention",
    community_sentence: "Community sentence",
    page_forbidden: "Your role does not give access to this page.",
    page_not_found: "Not found, or outside your scope.",
    page_bad_request: "The request could not be handled.",
    page_server_error: "Something went wrong. The error is logged.",
    form_expired: "The form has expired. Try again.",
    wrong_credentials: "wrong username or password",
    is_required: "is required",
    too_long: "is too long; at most",
    characters: "characters",
    not_json: "is not valid JSON",
    line: "line",
    column: "column",
    version_conflict: "someone else changed the record while you worked; reload the page and try again",
    choose_file: "choose a court file",
    file_not_utf8: "the file must be UTF-8 text",
    file_not_read: "the file could not be read",
    problems_in_file: "problem(s) in the file, see the list above",
    demo_accounts: "Demo accounts (password halden-demo)",
    person_number: "person no.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_value_has_words_in_both_languages() {
        let all: Vec<(Vocab, &str)> = CustodyStatus::ALL
            .iter()
            .map(|s| (Vocab::Status, s.as_str()))
            .chain(
                MovementKind::ALL
                    .iter()
                    .map(|k| (Vocab::Movement, k.as_str())),
            )
            .chain(CustodyBasis::ALL.iter().map(|b| (Vocab::Basis, b.as_str())))
            .chain(
                SecurityLevel::ALL
                    .iter()
                    .map(|l| (Vocab::Level, l.as_str())),
            )
            .chain(DateKey::ALL.iter().map(|k| (Vocab::KeyDate, k.as_str())))
            .chain(
                NonCountingReason::ALL
                    .iter()
                    .map(|r| (Vocab::NonCounting, r.as_str())),
            )
            .chain(
                halden_storage::facts::KINDS
                    .iter()
                    .map(|k| (Vocab::EntryKind, *k)),
            )
            .chain(
                halden_storage::facts::SEXES
                    .iter()
                    .map(|s| (Vocab::Sex, *s)),
            )
            .chain(
                halden_storage::facts::SUPERVISION_KINDS
                    .iter()
                    .map(|s| (Vocab::Supervision, *s)),
            )
            .chain(
                halden_storage::facts::PLACEMENT_WISHES
                    .iter()
                    .map(|w| (Vocab::PlacementWish, *w)),
            )
            .chain(
                crate::access::Role::ALL
                    .iter()
                    .map(|r| (Vocab::Role, r.as_str())),
            )
            .collect();
        assert!(all.len() > 60, "{}", all.len());
        for (vocab, code) in all {
            assert!(
                Lang::Nb.label(vocab, code).is_some(),
                "{vocab:?} {code} has no words"
            );
            assert_ne!(Lang::Nb.value(vocab, code), code, "{vocab:?} {code}");
        }
    }
}
