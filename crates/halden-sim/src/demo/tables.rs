//! Hand-written reference lists for the demo population: names, citizenships with their languages,
//! courts, and the published length distributions (STATISTICS.md §6) as buckets.
//!
//! The names are common Norwegian and foreign first and family names; any person they describe is
//! invented.

/// Norwegian given names for men.
pub(crate) const NORWEGIAN_MALE: &[&str] = &[
    "Ola",
    "Per",
    "Jan",
    "Lars",
    "Kjetil",
    "Knut",
    "Bjørn",
    "Arne",
    "Morten",
    "Tor",
    "Thomas",
    "Martin",
    "Kristian",
    "Anders",
    "Espen",
    "Geir",
    "Hans",
    "Jon",
    "Magnus",
    "Jonas",
    "Sindre",
    "Henrik",
    "Emil",
    "Mathias",
    "Tobias",
    "Andreas",
    "Sander",
    "Eirik",
    "Håkon",
    "Even",
    "Stian",
    "Ole",
    "Rune",
    "Terje",
    "Trond",
    "Øyvind",
    "Vegard",
    "Fredrik",
    "Daniel",
    "Marius",
    "Kristoffer",
    "Erlend",
    "Sigurd",
    "Petter",
];

/// Norwegian given names for women.
pub(crate) const NORWEGIAN_FEMALE: &[&str] = &[
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Hilde",
    "Nina",
    "Randi",
    "Silje",
    "Ida",
    "Ingvild",
    "Camilla",
    "Marte",
    "Kristin",
    "Tone",
    "Heidi",
    "Elisabeth",
    "Hanne",
    "Mari",
    "Nora",
    "Emma",
    "Thea",
    "Sofie",
    "Maria",
    "Julie",
    "Sara",
    "Ane",
    "Karoline",
    "Maren",
    "Tuva",
    "Guro",
    "Solveig",
    "Ragnhild",
    "Siri",
    "Line",
    "Linn",
];

/// Norwegian family names.
pub(crate) const NORWEGIAN_FAMILY: &[&str] = &[
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Rasmussen",
    "Lunde",
    "Kristensen",
    "Bakke",
    "Berge",
    "Moe",
    "Nygård",
    "Fredriksen",
    "Solheim",
    "Holm",
    "Jenssen",
    "Aas",
    "Myhre",
    "Hauge",
    "Haugland",
    "Ødegård",
    "Sæther",
    "Brekke",
    "Tangen",
    "Aasen",
    "Vik",
    "Løken",
];

/// A citizenship with the names and language its people are given.
pub(crate) struct Country {
    /// ISO 3166-1 alpha-2.
    pub(crate) code: &'static str,
    /// Relative frequency among foreign citizens in Norwegian prisons (rough, for demo data).
    pub(crate) weight: f64,
    /// First language, ISO 639-1.
    pub(crate) language: &'static str,
    /// The share who need an interpreter.
    pub(crate) interpreter: f64,
    /// Given names for men.
    pub(crate) male: &'static [&'static str],
    /// Given names for women.
    pub(crate) female: &'static [&'static str],
    /// Family names for men (and for women when `family_female` is empty).
    pub(crate) family: &'static [&'static str],
    /// Family names for women where the language inflects them.
    pub(crate) family_female: &'static [&'static str],
}

/// Foreign citizenships, most frequent first.
pub(crate) const COUNTRIES: &[Country] = &[
    Country {
        code: "PL",
        weight: 16.0,
        language: "pl",
        interpreter: 0.6,
        male: &[
            "Piotr",
            "Krzysztof",
            "Tomasz",
            "Paweł",
            "Marcin",
            "Michał",
            "Łukasz",
            "Adam",
        ],
        female: &["Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna"],
        family: &[
            "Nowak",
            "Wójcik",
            "Mazur",
            "Krawczyk",
            "Kaczmarek",
            "Dudek",
            "Pawlak",
            "Wróbel",
        ],
        family_female: &[],
    },
    Country {
        code: "LT",
        weight: 12.0,
        language: "lt",
        interpreter: 0.7,
        male: &[
            "Tomas", "Mantas", "Darius", "Andrius", "Jonas", "Marius", "Paulius",
        ],
        female: &["Rūta", "Lina", "Jurgita", "Asta", "Ieva"],
        family: &[
            "Kazlauskas",
            "Jankauskas",
            "Petrauskas",
            "Stankevičius",
            "Vasiliauskas",
            "Žukauskas",
        ],
        family_female: &[
            "Kazlauskienė",
            "Jankauskaitė",
            "Petrauskienė",
            "Stankevičiūtė",
        ],
    },
    Country {
        code: "RO",
        weight: 10.0,
        language: "ro",
        interpreter: 0.75,
        male: &[
            "Ion",
            "Andrei",
            "Alexandru",
            "Mihai",
            "Florin",
            "Gheorghe",
            "Constantin",
        ],
        female: &["Maria", "Elena", "Ioana", "Andreea"],
        family: &[
            "Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Stoica", "Munteanu",
        ],
        family_female: &[],
    },
    Country {
        code: "AL",
        weight: 6.0,
        language: "sq",
        interpreter: 0.55,
        male: &["Arben", "Besnik", "Ardit", "Gentian", "Klodian", "Erion"],
        female: &["Elira", "Anila", "Jonida"],
        family: &["Hoxha", "Shehu", "Gashi", "Krasniqi", "Berisha", "Dervishi"],
        family_female: &[],
    },
    Country {
        code: "SO",
        weight: 6.0,
        language: "so",
        interpreter: 0.4,
        male: &["Abdi", "Mohamed", "Ahmed", "Abdullahi", "Hassan", "Yusuf"],
        female: &["Fadumo", "Hodan", "Amina", "Sahra"],
        family: &["Ali", "Hussein", "Warsame", "Farah", "Jama", "Osman"],
        family_female: &[],
    },
    Country {
        code: "SE",
        weight: 5.0,
        language: "sv",
        interpreter: 0.0,
        male: &["Erik", "Johan", "Lars", "Oskar", "Karl", "Anders", "Viktor"],
        female: &["Anna", "Emma", "Maja", "Elin", "Linnea"],
        family: &[
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Lindqvist",
        ],
        family_female: &[],
    },
    Country {
        code: "IQ",
        weight: 5.0,
        language: "ar",
        interpreter: 0.5,
        male: &["Ali", "Hussein", "Karim", "Mustafa", "Omar", "Haider"],
        female: &["Zainab", "Fatima", "Noor"],
        family: &["Hassan", "Abbas", "Jaafar", "Kadhim", "Saleh", "Mahmoud"],
        family_female: &[],
    },
    Country {
        code: "SY",
        weight: 4.0,
        language: "ar",
        interpreter: 0.55,
        male: &["Ahmad", "Khaled", "Omar", "Mahmoud", "Yaser"],
        female: &["Rania", "Lina", "Huda"],
        family: &["Haddad", "Khalil", "Darwish", "Nasser", "Ibrahim"],
        family_female: &[],
    },
    Country {
        code: "ER",
        weight: 4.0,
        language: "ti",
        interpreter: 0.6,
        male: &["Yonas", "Tesfaye", "Dawit", "Samuel", "Filmon"],
        female: &["Helen", "Senait", "Yordanos"],
        family: &["Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Berhane"],
        family_female: &[],
    },
    Country {
        code: "AF",
        weight: 4.0,
        language: "fa",
        interpreter: 0.6,
        male: &["Ahmad", "Mohammad", "Ali", "Sayed", "Farid"],
        female: &["Fatima", "Maryam", "Zahra"],
        family: &["Rahimi", "Ahmadi", "Hosseini", "Sultani", "Karimi", "Noori"],
        family_female: &[],
    },
    Country {
        code: "NG",
        weight: 3.0,
        language: "en",
        interpreter: 0.0,
        male: &["Chinedu", "Emeka", "Oluwaseun", "Ibrahim", "Tunde"],
        female: &["Ngozi", "Chioma", "Blessing"],
        family: &["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze"],
        family_female: &[],
    },
    Country {
        code: "LV",
        weight: 3.0,
        language: "lv",
        interpreter: 0.7,
        male: &["Jānis", "Andris", "Mārtiņš", "Edgars"],
        female: &["Ilze", "Anna", "Kristīne"],
        family: &["Bērziņš", "Kalniņš", "Ozoliņš", "Liepiņš"],
        family_female: &["Bērziņa", "Kalniņa", "Ozoliņa", "Liepiņa"],
    },
    Country {
        code: "BG",
        weight: 3.0,
        language: "bg",
        interpreter: 0.7,
        male: &["Georgi", "Ivan", "Dimitar", "Nikolai"],
        female: &["Maria", "Ivanka", "Desislava"],
        family: &["Ivanov", "Georgiev", "Dimitrov", "Petrov"],
        family_female: &["Ivanova", "Georgieva", "Dimitrova", "Petrova"],
    },
    Country {
        code: "MA",
        weight: 3.0,
        language: "ar",
        interpreter: 0.6,
        male: &["Youssef", "Mohamed", "Hamza", "Rachid"],
        female: &["Fatima", "Khadija", "Samira"],
        family: &["El Amrani", "Benali", "Alaoui", "Idrissi"],
        family_female: &[],
    },
    Country {
        code: "IR",
        weight: 3.0,
        language: "fa",
        interpreter: 0.5,
        male: &["Reza", "Ali", "Mehdi", "Hamid"],
        female: &["Maryam", "Shirin", "Leila"],
        family: &["Hosseini", "Ahmadi", "Mohammadi", "Rezaei"],
        family_female: &[],
    },
    Country {
        code: "VN",
        weight: 3.0,
        language: "vi",
        interpreter: 0.7,
        male: &["Minh", "Tuan", "Hung", "Duc"],
        female: &["Linh", "Huong", "Lan"],
        family: &["Nguyen", "Tran", "Le", "Pham"],
        family_female: &[],
    },
    Country {
        code: "RU",
        weight: 2.0,
        language: "ru",
        interpreter: 0.7,
        male: &["Aleksandr", "Dmitrij", "Sergej", "Andrej"],
        female: &["Olga", "Natalja", "Jelena"],
        family: &["Ivanov", "Smirnov", "Kuznetsov", "Popov"],
        family_female: &["Ivanova", "Smirnova", "Kuznetsova", "Popova"],
    },
    Country {
        code: "UA",
        weight: 2.0,
        language: "uk",
        interpreter: 0.6,
        male: &["Oleksandr", "Andrij", "Serhij", "Volodymyr"],
        female: &["Olena", "Iryna", "Oksana"],
        family: &["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko"],
        family_female: &[],
    },
    Country {
        code: "GB",
        weight: 2.0,
        language: "en",
        interpreter: 0.0,
        male: &["James", "David", "Mark", "Daniel"],
        female: &["Sarah", "Emma", "Claire"],
        family: &["Smith", "Jones", "Williams", "Brown", "Taylor"],
        family_female: &[],
    },
    Country {
        code: "DE",
        weight: 2.0,
        language: "de",
        interpreter: 0.1,
        male: &["Thomas", "Michael", "Stefan", "Jan"],
        female: &["Sabine", "Julia", "Katrin"],
        family: &["Müller", "Schmidt", "Schneider", "Fischer"],
        family_female: &[],
    },
    Country {
        code: "ES",
        weight: 2.0,
        language: "es",
        interpreter: 0.6,
        male: &["Carlos", "Javier", "José", "Pablo"],
        female: &["María", "Laura", "Lucía"],
        family: &["García", "Fernández", "López", "Martínez"],
        family_female: &[],
    },
    Country {
        code: "TR",
        weight: 2.0,
        language: "tr",
        interpreter: 0.5,
        male: &["Mehmet", "Mustafa", "Ahmet", "Emre"],
        female: &["Ayşe", "Fatma", "Elif"],
        family: &["Yılmaz", "Kaya", "Demir", "Şahin"],
        family_female: &[],
    },
    Country {
        code: "PK",
        weight: 2.0,
        language: "ur",
        interpreter: 0.4,
        male: &["Muhammad", "Imran", "Asif", "Bilal"],
        female: &["Ayesha", "Sana", "Nadia"],
        family: &["Khan", "Butt", "Chaudhry", "Malik", "Iqbal"],
        family_female: &[],
    },
    Country {
        code: "DK",
        weight: 2.0,
        language: "da",
        interpreter: 0.0,
        male: &["Mads", "Rasmus", "Søren", "Mikkel"],
        female: &["Mette", "Louise", "Camilla"],
        family: &["Nielsen", "Christensen", "Rasmussen", "Poulsen"],
        family_female: &[],
    },
    Country {
        code: "EE",
        weight: 2.0,
        language: "et",
        interpreter: 0.6,
        male: &["Andres", "Mart", "Priit", "Rasmus"],
        female: &["Kadri", "Triin", "Liis"],
        family: &["Tamm", "Saar", "Sepp", "Mägi"],
        family_female: &[],
    },
];

/// A district court (tingrett) and the court of appeal (lagmannsrett) above it, with the codes
/// used in case numbers (`24-123456MED-OTIR/05`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Court {
    /// District court name.
    pub(crate) name: &'static str,
    /// District court code in case numbers.
    pub(crate) code: &'static str,
    /// Court of appeal name.
    pub(crate) appeal: &'static str,
    /// Court of appeal code.
    pub(crate) appeal_code: &'static str,
}

const fn court(
    name: &'static str,
    code: &'static str,
    appeal: &'static str,
    appeal_code: &'static str,
) -> Court {
    Court {
        name,
        code,
        appeal,
        appeal_code,
    }
}

const BORGARTING: (&str, &str) = ("Borgarting lagmannsrett", "BORG");
const EIDSIVATING: (&str, &str) = ("Eidsivating lagmannsrett", "ELAG");
const AGDER: (&str, &str) = ("Agder lagmannsrett", "ALAG");
const GULATING: (&str, &str) = ("Gulating lagmannsrett", "GULA");
const FROSTATING: (&str, &str) = ("Frostating lagmannsrett", "FROS");
const HALOGALAND: (&str, &str) = ("Hålogaland lagmannsrett", "HALO");

/// The district court for a home municipality (by name, then by county); Oslo tingrett when
/// neither is known.
pub(crate) fn court_for(municipality: &str, county: &str) -> Court {
    let by_municipality = match municipality {
        "Bærum" | "Asker" => Some(("Asker og Bærum tingrett", "ABTR", BORGARTING)),
        "Nordre Follo" | "Ås" | "Frogn" | "Vestby" | "Moss" | "Indre Østfold" => {
            Some(("Follo og Nordre Østfold tingrett", "FNTR", BORGARTING))
        }
        "Gjøvik" | "Lillehammer" => Some(("Vestre Innlandet tingrett", "VITR", EIDSIVATING)),
        "Kongsvinger" => Some(("Romerike og Glåmdal tingrett", "RGTR", EIDSIVATING)),
        "Haugesund" | "Karmøy" | "Stord" => {
            Some(("Haugaland og Sunnhordland tingrett", "HSTR", GULATING))
        }
        "Bergen" => Some(("Bergen tingrett", "BETR", GULATING)),
        "Sunnfjord" | "Kinn" => Some(("Sogn og Fjordane tingrett", "SFTR", GULATING)),
        "Rana" | "Vefsn" => Some(("Helgeland tingrett", "HETR", HALOGALAND)),
        "Narvik" | "Harstad" => Some(("Midtre Hålogaland tingrett", "MHTR", HALOGALAND)),
        "Vadsø" => Some(("Østre Finnmark tingrett", "ØFTR", HALOGALAND)),
        _ => None,
    };
    let (name, code, (appeal, appeal_code)) = by_municipality.unwrap_or(match county {
        "Akershus" => ("Romerike og Glåmdal tingrett", "RGTR", EIDSIVATING),
        "Østfold" => ("Søndre Østfold tingrett", "SØTR", BORGARTING),
        "Innlandet" => ("Østre Innlandet tingrett", "ØITR", EIDSIVATING),
        "Buskerud" => ("Buskerud tingrett", "BUTR", BORGARTING),
        "Vestfold" => ("Vestfold tingrett", "VETR", AGDER),
        "Telemark" => ("Telemark tingrett", "TETR", AGDER),
        "Agder" => ("Agder tingrett", "AGTR", AGDER),
        "Rogaland" => ("Sør-Rogaland tingrett", "SRTR", GULATING),
        "Vestland" => ("Hordaland tingrett", "HOTR", GULATING),
        "Møre og Romsdal" => ("Møre og Romsdal tingrett", "MRTR", FROSTATING),
        "Trøndelag" => ("Trøndelag tingrett", "TRTR", FROSTATING),
        "Nordland" => ("Salten og Lofoten tingrett", "SLTR", HALOGALAND),
        "Troms" => ("Nord-Troms og Senja tingrett", "NSTR", HALOGALAND),
        "Finnmark" => ("Vestre Finnmark tingrett", "VFTR", HALOGALAND),
        _ => ("Oslo tingrett", "OTIR", BORGARTING),
    });
    court(name, code, appeal, appeal_code)
}

/// A bucket of a length distribution: a share and a range of lengths.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    /// Relative share.
    pub(crate) share: f64,
    /// The length form and range.
    pub(crate) length: LengthRange,
}

/// A range of sentence lengths in the form a judgment gives them (straffeloven § 31).
#[derive(Debug, Clone, Copy)]
pub(crate) enum LengthRange {
    /// Days, `low..=high` (14..=120).
    Days(u32, u32),
    /// Months, `low..=high` (over 4).
    Months(u32, u32),
}

/// The sentenced stock by sentence length, 31 January 2018 (PI-NOR, STATISTICS.md §6), excluding
/// preventive detention. Buckets under 4 months are in days, longer ones in months; the 3–6
/// month bucket is split between 91–120 days and 5–6 months.
pub(crate) const SENTENCED_STOCK: &[Bucket] = &[
    Bucket {
        share: 2.3,
        length: LengthRange::Days(14, 30),
    },
    Bucket {
        share: 9.7,
        length: LengthRange::Days(31, 90),
    },
    Bucket {
        share: 2.2,
        length: LengthRange::Days(91, 120),
    },
    Bucket {
        share: 3.2,
        length: LengthRange::Months(5, 6),
    },
    Bucket {
        share: 13.7,
        length: LengthRange::Months(6, 11),
    },
    Bucket {
        share: 28.7,
        length: LengthRange::Months(12, 35),
    },
    Bucket {
        share: 16.0,
        length: LengthRange::Months(36, 59),
    },
    Bucket {
        share: 15.1,
        length: LengthRange::Months(60, 119),
    },
    Bucket {
        share: 8.4,
        length: LengthRange::Months(120, 239),
    },
    Bucket {
        share: 0.8,
        length: LengthRange::Months(240, 252),
    },
];

/// Unconditional prison sentences by length as they flow in (SSB-STRAFF-2010, STATISTICS.md §6):
/// ≈ 70 % up to 90 days, ≈ 89 % under a year.
pub(crate) const SENTENCE_FLOW: &[Bucket] = &[
    Bucket {
        share: 25.0,
        length: LengthRange::Days(14, 30),
    },
    Bucket {
        share: 44.0,
        length: LengthRange::Days(31, 90),
    },
    Bucket {
        share: 5.0,
        length: LengthRange::Days(91, 120),
    },
    Bucket {
        share: 13.0,
        length: LengthRange::Months(5, 11),
    },
    Bucket {
        share: 9.0,
        length: LengthRange::Months(12, 35),
    },
    Bucket {
        share: 2.5,
        length: LengthRange::Months(36, 59),
    },
    Bucket {
        share: 1.0,
        length: LengthRange::Months(60, 119),
    },
    Bucket {
        share: 0.5,
        length: LengthRange::Months(120, 252),
    },
];

/// Sentences served at home with electronic monitoring from the start (front door): up to
/// 6 months (R-EM-2).
pub(crate) const EM_FRONT_DOOR: &[Bucket] = &[
    Bucket {
        share: 45.0,
        length: LengthRange::Days(14, 30),
    },
    Bucket {
        share: 40.0,
        length: LengthRange::Days(31, 90),
    },
    Bucket {
        share: 8.0,
        length: LengthRange::Days(91, 120),
    },
    Bucket {
        share: 7.0,
        length: LengthRange::Months(5, 6),
    },
];

/// Ages of adults in the register, in bands `(from, to, weight)`: most 20–50, ≈ 17 % over 50
/// (SPACE I 2020: 50+ 19.5 %).
pub(crate) const ADULT_AGES: &[(i64, i64, f64)] = &[
    (18, 19, 3.0),
    (20, 24, 14.0),
    (25, 29, 17.0),
    (30, 34, 16.0),
    (35, 39, 14.0),
    (40, 44, 11.0),
    (45, 49, 9.0),
    (50, 54, 7.0),
    (55, 59, 5.0),
    (60, 64, 3.0),
    (65, 69, 1.5),
    (70, 80, 0.8),
];
