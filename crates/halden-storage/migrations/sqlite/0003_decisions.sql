-- Decisions (vedtak), applications (søknader), appeals (klager), the catalogue of legal grounds
-- (hjemler) and the configured authority per kind of decision. Every table is append-only: a
-- ground is retired by a row in legal_ground_retirements, a new wording is a new ground that
-- names the one it replaces, an authority change is a new row in decision_authority (the latest
-- per kind is in force), an application's status follows from its decision.

CREATE TABLE legal_grounds (
    id INTEGER PRIMARY KEY,
    paragraph TEXT NOT NULL,
    title_en TEXT NOT NULL,
    title_nb TEXT NOT NULL,
    text_en TEXT NOT NULL,
    text_nb TEXT NOT NULL,
    kinds TEXT NOT NULL,
    replaces BIGINT REFERENCES legal_grounds (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE legal_ground_retirements (
    ground_id BIGINT PRIMARY KEY REFERENCES legal_grounds (id),
    at TEXT NOT NULL,
    by_username TEXT NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE decision_authority (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    at TEXT NOT NULL,
    by_username TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX decision_authority_kind ON decision_authority (kind, id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    wanted_from TEXT,
    wanted_until TEXT,
    authority TEXT NOT NULL,
    unit TEXT,
    filed_at TEXT NOT NULL,
    filed_by BIGINT NOT NULL,
    filed_by_name TEXT NOT NULL,
    on_behalf BIGINT NOT NULL
);
CREATE INDEX applications_person ON applications (person_id, id);
CREATE INDEX applications_route ON applications (authority, unit, id);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    restrictive BIGINT NOT NULL,
    legal_ground_id BIGINT REFERENCES legal_grounds (id),
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    authority TEXT NOT NULL,
    unit TEXT,
    application_id BIGINT UNIQUE REFERENCES applications (id),
    appeal_id BIGINT UNIQUE,
    appeal_deadline TEXT,
    decided_on TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by BIGINT NOT NULL,
    decided_by_name TEXT NOT NULL
);
CREATE INDEX decisions_person ON decisions (person_id, id);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    decision_id BIGINT NOT NULL UNIQUE REFERENCES decisions (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    grounds TEXT NOT NULL,
    late_reason TEXT,
    authority TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    filed_by BIGINT NOT NULL,
    filed_by_name TEXT NOT NULL
);
CREATE INDEX appeals_person ON appeals (person_id, id);
CREATE INDEX appeals_authority ON appeals (authority, id);

CREATE TRIGGER legal_grounds_no_update BEFORE UPDATE ON legal_grounds
BEGIN SELECT RAISE(ABORT, 'legal_grounds is append-only'); END;
CREATE TRIGGER legal_grounds_no_delete BEFORE DELETE ON legal_grounds
BEGIN SELECT RAISE(ABORT, 'legal_grounds is append-only'); END;
CREATE TRIGGER legal_ground_retirements_no_update BEFORE UPDATE ON legal_ground_retirements
BEGIN SELECT RAISE(ABORT, 'legal_ground_retirements is append-only'); END;
CREATE TRIGGER legal_ground_retirements_no_delete BEFORE DELETE ON legal_ground_retirements
BEGIN SELECT RAISE(ABORT, 'legal_ground_retirements is append-only'); END;
CREATE TRIGGER decision_authority_no_update BEFORE UPDATE ON decision_authority
BEGIN SELECT RAISE(ABORT, 'decision_authority is append-only'); END;
CREATE TRIGGER decision_authority_no_delete BEFORE DELETE ON decision_authority
BEGIN SELECT RAISE(ABORT, 'decision_authority is append-only'); END;
CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
BEGIN SELECT RAISE(ABORT, 'applications is append-only'); END;
CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
BEGIN SELECT RAISE(ABORT, 'applications is append-only'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER appeals_no_update BEFORE UPDATE ON appeals
BEGIN SELECT RAISE(ABORT, 'appeals is append-only'); END;
CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals
BEGIN SELECT RAISE(ABORT, 'appeals is append-only'); END;

-- The catalogue as Halden ships it: the grounds RULES.md gives for refusing or restricting, each
-- with its rule ids. The administrator maintains it from here (new grounds, new wordings, retired
-- grounds); these rows are never changed. Grounds marked "outside RULES.md" cite the statute by
-- its section only and are to be confirmed against the statute's text by the administrator.
INSERT INTO legal_grounds (paragraph, title_en, title_nb, text_en, text_nb, kinds, replaces, created_at, created_by) VALUES
('strgjfl § 33', 'Leave not security-wise sound', 'Permisjon ikke sikkerhetsmessig forsvarlig',
 'Leave is granted only when it is security-wise sound: the risk of new crime, of not returning, of breach of conditions or of misuse weighs against it (R-LEAVE-5). Ordinary leave only once 1/3 of the sentence has been served (R-LEAVE-1); up to 18 days a year, 30 in special cases (R-LEAVE-2).',
 'Permisjon gis bare når det er sikkerhetsmessig forsvarlig: risikoen for nye straffbare handlinger, for at personen ikke kommer tilbake, for brudd på vilkår eller for misbruk taler mot (R-LEAVE-5). Ordinær permisjon først når 1/3 av straffen er gjennomført (R-LEAVE-1); inntil 18 dager i året, 30 i særlige tilfeller (R-LEAVE-2).',
 'leave', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 42', 'Parole inadvisable', 'Prøveløslatelse utilrådelig',
 'No parole when, on an overall assessment, it is inadvisable; weight on conduct during execution and the risk of new offences in the probation period (R-PAR-3). Parole needs 2/3 of the sentence and at least 60 days served (R-PAR-1).',
 'Ingen prøveløslatelse når det etter en samlet vurdering ikke er tilrådelig; vekt på oppførsel under gjennomføringen og risikoen for nye straffbare handlinger i prøvetiden (R-PAR-3). Prøveløslatelse krever at 2/3 av straffen og minst 60 dager er gjennomført (R-PAR-1).',
 'parole', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 16 første ledd', 'Home serving not appropriate', 'Soning i hjemmet ikke hensiktsmessig',
 'Serving at home without EM may be granted once half the sentence has been served, when appropriate for continued particularly positive development and security-wise sound (R-HOME-1).',
 'Soning i hjemmet uten elektronisk kontroll kan innvilges når halvdelen av straffen er gjennomført, når det er hensiktsmessig for en videre særlig positiv utvikling og sikkerhetsmessig forsvarlig (R-HOME-1).',
 'home_serving', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 16 a', 'Electronic monitoring conditions not met', 'Vilkår for elektronisk kontroll ikke oppfylt',
 'Back-door EM when six months or less remain until expected release and 1/3 has been served (R-EM-3); the person must have work, school or other occupation, keep a total ban on intoxicants, and adults in the home must consent (R-EM-4).',
 'Elektronisk kontroll (bakdør) når det gjenstår seks måneder eller mindre til forventet løslatelse og 1/3 er gjennomført (R-EM-3); personen må ha arbeid, skole eller annen sysselsetting, holde totalforbud mot rusmidler, og voksne i hjemmet må samtykke (R-EM-4).',
 'em_back_door', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 14', 'Lower security refused: purpose, security or evasion', 'Lavere sikkerhet avslått: formål, sikkerhet eller unndragelse',
 'Transfer to a lower level or a halfway house is refused if the purpose of the sentence or security speaks against it, or there is reason to fear evasion; it must be appropriate to further positive development (R-SEC-4).',
 'Overføring til lavere sikkerhetsnivå eller overgangsbolig avslås hvis formålet med straffen eller sikkerhetsmessige hensyn taler mot det, eller det er grunn til å frykte unndragelse; det må være hensiktsmessig for en videre positiv utvikling (R-SEC-4).',
 'transfer,placement,frigang', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 11', 'Placement in high security', 'Plassering i høyt sikkerhetsnivå',
 'Direct placement in lower security shall be considered for sentences up to 2 years, in a halfway house up to 1 year (R-SEC-2); execution has historically started in high security (R-SEC-5). A higher placement than the lowest level the rules allow must say why the lower level is not sound.',
 'Direkte plassering i lavere sikkerhetsnivå skal vurderes for straffer inntil 2 år, i overgangsbolig inntil 1 år (R-SEC-2); gjennomføringen har historisk startet i høyt sikkerhetsnivå (R-SEC-5). En plassering høyere enn det laveste nivået reglene tillater, må si hvorfor det lavere nivået ikke er forsvarlig.',
 'placement', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 20', 'Day release (frigang) conditions not met', 'Vilkår for frigang ikke oppfylt',
 'Day release for work or school when 1/3 and at least 4 months have been served, normally from lower security or a halfway house, normally for no more than one year (R-FRIGANG-1).',
 'Frigang til arbeid eller skole når 1/3 og minst 4 måneder er gjennomført, normalt fra lavere sikkerhetsnivå eller overgangsbolig, normalt i høyst ett år (R-FRIGANG-1).',
 'frigang', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('forskriften kap. 2', 'Postponement without weighty reasons', 'Utsettelse uten vektige grunner',
 'Postponement is mandatory for serious illness, pregnancy with the due date before release, a child under 9 months, and military service for sentences under 90 days; otherwise it needs weighty reasons on a discretionary assessment (R-INNK-2).',
 'Utsettelse er obligatorisk ved alvorlig sykdom, graviditet med termin før løslatelse, barn under 9 måneder og militærtjeneste for straffer under 90 dager; ellers krever utsettelse vektige grunner etter en skjønnsmessig vurdering (R-INNK-2).',
 'postponement', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 37', 'Exclusion from company (outside RULES.md)', 'Utelukkelse fra fellesskapet (utenfor RULES.md)',
 'Exclusion from company as a preventive measure. Outside RULES.md: the administrator confirms this wording against the statute.',
 'Utelukkelse fra fellesskapet som forebyggende tiltak. Utenfor RULES.md: administratoren bekrefter ordlyden mot loven.',
 'exclusion_from_company,isolation', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 31', 'Visits (outside RULES.md)', 'Besøk (utenfor RULES.md)',
 'Visits may be refused or controlled where security requires it. Outside RULES.md: the administrator confirms this wording against the statute.',
 'Besøk kan nektes eller kontrolleres når sikkerheten krever det. Utenfor RULES.md: administratoren bekrefter ordlyden mot loven.',
 'visit,visit_control', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)'),
('strgjfl § 30', 'Control of letters (outside RULES.md)', 'Kontroll av forsendelser (utenfor RULES.md)',
 'Letters and parcels may be controlled where security requires it. Outside RULES.md: the administrator confirms this wording against the statute.',
 'Brev og pakker kan kontrolleres når sikkerheten krever det. Utenfor RULES.md: administratoren bekrefter ordlyden mot loven.',
 'letter_control', NULL, '2026-11-25T00:00:00Z', 'Halden (RULES.md)');
