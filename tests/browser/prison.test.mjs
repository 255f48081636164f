// The rest of issue 5's prison workflows, walked through the pages as the people involved would:
// national placement fills a department and overbooks it only with a reason (item 3); a transfer
// to another unit ends the contact officer's assignment (item 8); the prison leader records an
// expulsion decision that closes frigang, § 16 and EM in the progression plan, and a handover to
// mandatory psychiatric care that closes the case (item 9); the demo prisoner applies for short
// leave and the leader's decision form says what R-LEAVE-4 says. Every person changed here is a
// fresh one registered by this file; the demo's own people are only read (and the demo prisoner
// gets two pending applications). Expected figures and texts are worked out here from the rules,
// never read back from the page under test. axe-core on every page state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  axe,
  checkErrorSummary,
  errorSummary,
  finish,
  freshIdentity,
  here,
  launch,
  newPage,
  personIds,
  signIn,
  submit,
  tag,
  visit,
  withControls,
} from './lib/harness.mjs';

let browser;
// The demo prisoner's person id, read once from the prisoner's own navigation.
let prisonerId;
before(async () => {
  browser = await launch();
  const page = await newPage(browser);
  await signIn(page, 'prisoner');
  await visit(page, '/home');
  const href = await page.getAttribute('header nav a:has-text("Mine søknader og vedtak")', 'href');
  const match = href?.match(/^\/persons\/(\d+)\/decisions$/);
  assert.ok(match, `the prisoner's navigation links their own decisions page: ${href}`);
  prisonerId = Number(match[1]);
  await page.context().close();
});
after(async () => {
  await finish(browser, 'prison.test.mjs');
});

const saveButton = (page) => page.locator('main form.form button[type=submit]');

/** Follows a link (a locator matching exactly one element) and asserts where it lands. */
async function follow(page, link, status = 200) {
  assert.equal(await link.count(), 1, `exactly one link to follow on ${here(page)}`);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  assert.ok(response, `no response after following a link on ${here(page)}`);
  assert.equal(response.status(), status, `following a link to ${here(page)}`);
  return response;
}

/** The follow-the-navigation step every role starts from. */
async function viaNav(page, href, text) {
  await visit(page, '/home');
  const link = page.locator(`header nav a[href="${href}"]`);
  assert.equal((await link.textContent())?.trim(), text, `the navigation names ${href}`);
  await follow(page, link);
  assert.equal(here(page), href);
}

// ---- dates, by the calendar (the service's "today" is the date in Oslo) ----------------------

const pad = (n) => String(n).padStart(2, '0');

/** Today in Norway, `YYYY-MM-DD` (the server's `today`). */
function osloToday() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
}

/** `YYYY-MM-DD`, `days` days from `from` (a `YYYY-MM-DD`). */
function addDays(from, days) {
  const d = new Date(`${from}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A datetime-local value in Norwegian time: `daysAgo` days before today at `hour`:00. */
function osloDateTime(daysAgo, hour) {
  return `${addDays(osloToday(), -daysAgo)}T${pad(hour)}:00`;
}

// ---- page reading ---------------------------------------------------------------------------

/** The text of the first definition list entry `term` in `main` (null when there is none). */
async function fact(page, term) {
  return page.$$eval(
    'main dl dt',
    (dts, term) => dts.find((dt) => dt.textContent.trim() === term)?.nextElementSibling?.textContent.trim() ?? null,
    term,
  );
}

/** The rows of the table under `selector`: each row's cells' text, and its links. */
async function tableRows(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (trs) =>
    trs.map((tr) => ({
      cells: [...tr.children].map((td) => td.textContent.trim()),
      links: [...tr.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    })),
  );
}

/** The one row of `rows` whose text includes `text`. */
function rowWith(rows, text) {
  const found = rows.filter((r) => r.cells.some((c) => c.includes(text)));
  assert.equal(found.length, 1, `exactly one row mentions «${text}»: ${JSON.stringify(rows)}`);
  return found[0];
}

/** The select's options: [{value, label}], without the empty «—». */
async function options(page, id) {
  return page.$$eval(`#${id} option`, (os) =>
    os.map((o) => ({ value: o.value, label: o.textContent.trim() })).filter((o) => o.value !== ''),
  );
}

/** The person page's history: [{kind, summary}], oldest first. */
async function history(page) {
  return page.$$eval('#history ~ table tbody tr', (trs) =>
    trs.map((tr) => ({ kind: tr.children[1].textContent.trim(), summary: tr.children[2].textContent.trim() })),
  );
}

/** The person's id from the person page the browser is on. */
function personIdOf(page) {
  const match = new URL(page.url()).pathname.match(/^\/persons\/(\d+)$/);
  assert.ok(match, `on a person page, not ${page.url()}`);
  return Number(match[1]);
}

/**
 * Fills the admission form (/admissions/new) for `person` and submits it; returns the response.
 * `person`: {identity, family, given, at, prison, basis, reason?, youthException?}.
 */
async function admit(page, person) {
  await visit(page, '/admissions/new');
  await page.fill('#identity_number', person.identity.number);
  await page.fill('#family_name', person.family);
  await page.fill('#given_names', person.given);
  await page.fill('#birth_date', person.identity.birthDate);
  await page.selectOption('#sex', 'male');
  await page.fill('#home_municipality', 'Oslo');
  await page.fill('#at', person.at);
  await page.selectOption('#prison', person.prison);
  await page.selectOption('#basis', person.basis);
  if (person.reason) await page.fill('#capacity_override', person.reason);
  if (person.youthException) await page.fill('#youth_exception', person.youthException);
  return submit(page, saveButton(page));
}

/** Admits `person` (the form answers with the new person page); returns the person's id. */
async function admitted(page, person) {
  const response = await admit(page, person);
  assert.equal(response.status(), 200, `admitted ${person.family}: ${JSON.stringify(await errorSummary(page))}`);
  assert.equal((await page.textContent('main h1')).trim(), `${person.family}, ${person.given}`);
  assert.match(await fact(page, 'Fengsel'), new RegExp(`^${person.prison} `));
  return personIdOf(page);
}

/** A fresh person to register: a unique family name, an identity number, admitted `at`. */
function freshPerson(prefix, fields) {
  return { identity: freshIdentity(), family: `${prefix}${tag()}`, given: 'Nettleser', ...fields };
}

/**
 * A fresh synthetic identity number (month + 80) of someone who turned 17 between 10 and 300
 * days ago (17 years are at most 17·365 + 5 = 6 210 days), born 2000 or later (individual
 * number 900–999: born from 2000, in the range the demo never gives), with its birth date.
 */
function youngIdentity() {
  for (;;) {
    const birthDate = addDays(osloToday(), -(17 * 365 + 5 + randomInt(10, 301)));
    const [year, month, day] = birthDate.split('-');
    const number = withControls(`${day}${pad(Number(month) + 80)}${year.slice(2)}${randomInt(900, 1000)}`);
    if (number) return { number, birthDate };
  }
}

// ---- 1. Capacity and overbooking ---------------------------------------------------------------

// Occupancy in tenths of a per cent, rounded half up, in integers: 225 of 240 is
// (225·1000 + 120) div 240 = 938 → «93.8».
function percent(places, occupied) {
  if (places === 0) return '–';
  const perMille = Math.floor((occupied * 1000 + Math.floor(places / 2)) / places);
  return `${Math.floor(perMille / 10)}.${perMille % 10}`;
}

/** A row of figures as the page shows them. */
function figures(cells) {
  const [places, occupied, free] = cells.slice(0, 3).map(Number);
  return { places, occupied, free, percent: cells[3] };
}

/**
 * The capacity page: each unit's departments and subtotal, the rows per security level and the
 * total. Departments: {unit, id, name, level, places, occupied, free, percent, over}.
 */
async function readCapacity(page) {
  const tables = await page.$$eval('main table.capacity', (ts) =>
    ts.map((t) => {
      const row = (tr) => ({ cells: [...tr.children].map((c) => c.textContent.trim()), over: tr.classList.contains('flagged') });
      return {
        caption: t.querySelector('caption').textContent.trim(),
        body: [...t.querySelectorAll('tbody tr')].map(row),
        foot: [...t.querySelectorAll('tfoot tr')].map(row),
      };
    }),
  );
  assert.ok(tables.length >= 2, 'a table per unit and one per security level');
  const levelTable = tables[tables.length - 1];
  assert.equal(levelTable.caption, 'Per sikkerhetsnivå');
  const units = tables.slice(0, -1).map((t) => {
    const match = t.caption.match(/^Fengselsenhet: (.+)$/);
    assert.ok(match, `a unit's table: ${t.caption}`);
    const departments = t.body.map((r) => {
      const label = r.cells[0].match(/^(.+) \((P\d{3})\)$/);
      assert.ok(label, `a department is named with its id: ${r.cells[0]}`);
      return { unit: match[1], name: label[1], id: label[2], level: r.cells[1], ...figures(r.cells.slice(2)), over: r.over };
    });
    assert.equal(t.foot.length, 1);
    assert.equal(t.foot[0].cells[0], 'Sum for enheten');
    return { name: match[1], departments, subtotal: { ...figures(t.foot[0].cells.slice(1)), over: t.foot[0].over } };
  });
  const levels = levelTable.body.map((r) => ({ label: r.cells[0], ...figures(r.cells.slice(1)), over: r.over }));
  assert.equal(levelTable.foot.length, 1);
  const total = { label: levelTable.foot[0].cells[0], ...figures(levelTable.foot[0].cells.slice(1)), over: levelTable.foot[0].over };
  return { units, departments: units.flatMap((u) => u.departments), levels, total };
}

/** Sums the places and occupied of `rows`. */
function sum(rows) {
  return rows.reduce((s, r) => ({ places: s.places + r.places, occupied: s.occupied + r.occupied }), { places: 0, occupied: 0 });
}

/** The figures a row must show for `places` and `occupied`: free, per cent, overbooked. */
function expectedFigures({ places, occupied }) {
  return { places, occupied, free: places - occupied, percent: percent(places, occupied), over: occupied > places };
}

/** Every row of the page adds up: each row's free places and per cent, each sum of its rows. */
function checkSums(view, totalLabel) {
  const shown = (r) => ({ places: r.places, occupied: r.occupied, free: r.free, percent: r.percent, over: r.over });
  for (const d of view.departments) {
    assert.deepEqual(shown(d), expectedFigures(d), `${d.name} (${d.id})`);
  }
  for (const u of view.units) {
    assert.deepEqual(shown(u.subtotal), expectedFigures(sum(u.departments)), `the subtotal of ${u.name}`);
  }
  const order = ['høyt sikkerhetsnivå', 'lavere sikkerhetsnivå', 'overgangsbolig'];
  const levels = order
    .map((label) => ({ label, departments: view.departments.filter((d) => d.level === label) }))
    .filter((l) => l.departments.length > 0);
  assert.deepEqual(view.levels.map((l) => l.label), levels.map((l) => l.label), 'the levels, high first');
  for (const [i, l] of levels.entries()) {
    assert.deepEqual(shown(view.levels[i]), expectedFigures(sum(l.departments)), `the level ${l.label}`);
  }
  assert.equal(view.total.label, totalLabel);
  assert.deepEqual(shown(view.total), expectedFigures(sum(view.departments)), 'the total');
}

describe('capacity and overbooking (placement)', () => {
  const run = tag();
  const today = osloToday();
  const pastDay = addDays(today, -7);
  const overbookReason = `Eneste plass nær familien; retten krever innsettelse i dag (${run}).`;
  const transferReason = `Må holdes adskilt fra en medtiltalt i den andre avdelingen (${run}).`;
  // The persons placed here are adults (the youth rule has its own test at the end).
  let page;
  // The department to fill and overbook (outside Oslo fengsel, which the other files use), as
  // it was before this file touched it; another department with room for the transfer's start.
  let target;
  let other;
  let pastOccupied;
  let filled = 0;
  let overbookedId;
  let transferredId;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'placement');
  });
  after(async () => {
    await page?.context().close();
  });

  /** The department `id` on the capacity page for `date` (today when absent). */
  async function department(id, date) {
    await visit(page, date ? `/capacity?date=${date}` : '/capacity');
    const view = await readCapacity(page);
    const found = view.departments.find((d) => d.id === id);
    assert.ok(found, `the page lists ${id}`);
    return { view, department: found, unit: view.units.find((u) => u.name === found.unit) };
  }

  test('the whole estate today: every row adds up; the fullest department outside Oslo fengsel is chosen', async () => {
    await viaNav(page, '/capacity', 'Kapasitet');
    assert.equal((await page.textContent('main h1')).trim(), `Kapasitet og belegg – hele landet, ${today}`);
    assert.equal(await page.inputValue('#date'), today, 'the form shows the day');
    const view = await readCapacity(page);
    checkSums(view, 'Sum for hele landet');
    assert.ok(view.units.length > 10, 'national placement sees the whole estate');
    await axe(page, 'placement: capacity today');

    // The persons placed are adults: never in a youth unit (Romerike's and Bjørgvin's
    // «Ungdomsenhet»/«Ungdomseininga», which take only under-18s).
    const adults = (d) => d.unit !== 'Oslo fengsel' && !/Ungdom/.test(d.name);
    const candidates = view.departments.filter(adults);
    target = candidates.reduce((best, d) => (d.free < best.free ? d : best));
    assert.ok(target.free <= 5, `a department with at most five free places to fill: ${JSON.stringify(target)}`);
    const room = (d) => d.id !== target.id && adults(d) && d.free > 0;
    const siblings = view.departments.filter((d) => room(d) && d.unit === target.unit);
    const pool = siblings.length > 0 ? siblings : view.departments.filter(room);
    other = pool.reduce((best, d) => (d.free > best.free ? d : best));
  });

  test('a past day: the form keeps the day, the rows add up; a day after today is refused', async () => {
    await visit(page, `/capacity?date=${pastDay}`);
    assert.equal((await page.textContent('main h1')).trim(), `Kapasitet og belegg – hele landet, ${pastDay}`);
    assert.equal(await page.inputValue('#date'), pastDay);
    const view = await readCapacity(page);
    checkSums(view, 'Sum for hele landet');
    pastOccupied = view.departments.find((d) => d.id === target.id).occupied;
    await axe(page, 'placement: capacity on a past day');

    const tomorrow = addDays(today, 1);
    await visit(page, `/capacity?date=${tomorrow}`, 400);
    const summary = await checkErrorSummary(page, [['date', 'Dato']]);
    assert.deepEqual(summary, [`Dato: er etter i dag (${today}): belegg kan vises for i dag og tidligere dager`]);
    assert.equal(await page.inputValue('#date'), tomorrow, 'what was typed is kept');
    assert.equal(await page.locator('main table.capacity').count(), 0, 'no figures for a day to come');
    await axe(page, 'placement: capacity for a day after today (refused)');
  });

  test('while there is room, admissions need no reason: the department fills up', async () => {
    // target.free admissions take the free places (none when it was full already).
    for (let i = 0; i < target.free; i++) {
      await admitted(page, freshPerson('Fyller', { at: osloDateTime(0, 8), prison: target.id, basis: 'sentence' }));
      filled++;
    }
    const { department: now } = await department(target.id);
    assert.equal(now.occupied, target.occupied + filled, `${target.occupied} + ${filled} admitted today`);
    assert.ok(now.occupied >= now.places, `${target.id} is full: ${now.occupied} of ${now.places}`);
  });

  test('an admission into the full department is refused, naming the prison, until a reason is given', async () => {
    const person = freshPerson('Overbelagt', { at: osloDateTime(0, 9), prison: target.id, basis: 'sentence' });
    const occupied = target.occupied + filled;
    let response = await admit(page, person);
    assert.equal(response.status(), 400);
    assert.equal(here(page), '/admissions/new');
    const summary = await checkErrorSummary(page, [['prison', 'Fengsel']]);
    assert.deepEqual(summary, [
      `Fengsel: ${target.name} (${target.id}) er full ${today}: ${target.places} plasser, ${occupied} belagt; ` +
        'for å plassere personen der likevel, oppgi begrunnelsen for overbelegg',
    ]);
    assert.equal(await page.inputValue('#identity_number'), person.identity.number, 'values are kept');
    assert.equal(await page.inputValue('#prison'), target.id, 'the prison is kept');
    assert.equal(await page.inputValue('#at'), person.at, 'the time is kept');
    await axe(page, 'admission form (failed submit: the department is full)');

    // Nothing was saved: the department holds as many as before.
    assert.equal((await department(target.id)).department.occupied, occupied);

    // With a reason: saved, and the reason is in the history. (Registering the same identity
    // number again also shows that the refusal registered nobody.)
    response = await admit(page, { ...person, reason: overbookReason });
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(page))}`);
    overbookedId = personIdOf(page);
    assert.match(await fact(page, 'Fengsel'), new RegExp(`^${target.id} `));
    const admission = (await history(page)).find((h) => h.summary.includes('Bevegelse: innsettelse'));
    assert.ok(admission, 'the admission is in the history');
    assert.ok(admission.summary.includes(`Begrunnelse for overbelegg: ${overbookReason}`), `the reason is kept: ${admission.summary}`);
    await axe(page, 'placement: person page after an admission with a reason for overbooking');
  });

  test('a transfer into the full department is refused, naming the prison, until a reason is given', async () => {
    // An adult: which department is fullest changes with the day, and a person under 18 would need
    // R-YOUTH-2's special grounds for any department but a youth unit (tested in its own section).
    const person = freshPerson('Overflyttet', {
      at: osloDateTime(0, 8),
      prison: other.id,
      basis: 'sentence',
    });
    transferredId = await admitted(page, person);
    const path = `/persons/${transferredId}/movements/new`;
    await follow(page, page.locator(`main a[href="${path}"]`));
    const at = osloDateTime(0, 10);
    await page.selectOption('#movement', 'transfer');
    await page.fill('#at', at);
    await page.selectOption('#prison', target.id);
    let response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.equal(here(page), path);
    // Held now: those before, those filling it, and the one overbooked with a reason.
    const occupied = target.occupied + filled + 1;
    const summary = await checkErrorSummary(page, [['prison', 'Fengsel']]);
    assert.deepEqual(summary, [
      `Fengsel: ${target.name} (${target.id}) er full ${today}: ${target.places} plasser, ${occupied} belagt; ` +
        'for å plassere personen der likevel, oppgi begrunnelsen for overbelegg',
    ]);
    assert.equal(await page.inputValue('#movement'), 'transfer', 'values are kept');
    assert.equal(await page.inputValue('#at'), at);
    assert.equal(await page.inputValue('#prison'), target.id);
    await axe(page, 'movement form (failed submit: transfer into a full department)');

    await page.fill('#capacity_override', transferReason);
    response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(page))}`);
    assert.equal(here(page), `/persons/${transferredId}`);
    assert.match(await fact(page, 'Fengsel'), new RegExp(`^${target.id} `));
    const transfer = (await history(page)).find((h) => h.summary.includes('Bevegelse: overføring'));
    assert.ok(transfer, 'the transfer is in the history');
    assert.ok(transfer.summary.includes(`Begrunnelse for overbelegg: ${transferReason}`), `the reason is kept: ${transfer.summary}`);
    await axe(page, 'placement: person page after a transfer with a reason for overbooking');
  });

  test('the capacity page counts both, over the places; the past day is unchanged', async () => {
    assert.ok(overbookedId && transferredId, 'both were placed');
    const { department: now, unit, view } = await department(target.id);
    checkSums(view, 'Sum for hele landet');
    // Before, plus those filling it, the admission and the transfer with a reason.
    const occupied = target.occupied + filled + 2;
    assert.deepEqual(
      { places: now.places, occupied: now.occupied, free: now.free, percent: now.percent, over: now.over },
      expectedFigures({ places: target.places, occupied }),
      `${target.id}: ${occupied} held of ${target.places}`,
    );
    assert.ok(now.free < 0 && now.over, 'negative free places, and the row is marked');
    // The transfer's first department: admitted and transferred out on the same day, so not held
    // that day (out on the day of a transfer out).
    if (other.unit === target.unit) {
      const start = unit.departments.find((d) => d.id === other.id);
      assert.equal(start.occupied, other.occupied, `${other.id} does not count the person transferred out today`);
    }
    await axe(page, 'placement: capacity today, overbooked');

    // A week ago, none of this had happened.
    const { department: past } = await department(target.id, pastDay);
    assert.equal(past.occupied, pastOccupied, `${target.id} on ${pastDay} is as it was`);
  });

  test('a 17-year-old outside a youth unit needs the special grounds R-YOUTH-2 asks for', async () => {
    // After the counts above, so this admission does not change them: a department of another
    // unit than the target's, with room, that is not a youth unit.
    const { view } = await department(target.id);
    // P008 and P044 are the youth units (R-YOUTH-2).
    const adult = view.departments.find(
      (d) => d.free > 0 && d.unit !== target.unit && !['P008', 'P044'].includes(d.id) && !/ungdom/i.test(`${d.unit} ${d.name}`),
    );
    assert.ok(adult, 'an adult department with room');
    const person = freshPerson('Ungdom', { identity: youngIdentity(), at: osloDateTime(0, 11), prison: adult.id, basis: 'sentence' });
    const response = await admit(page, person);
    assert.equal(response.status(), 400);
    assert.equal(here(page), '/admissions/new');
    const summary = await checkErrorSummary(page, [['prison', 'Fengsel']]);
    assert.equal(summary.length, 1);
    assert.match(summary[0], /^Fengsel: personen er under 18 år .*\(R-YOUTH-2\).*særlige grunner \(under 18\)/);
    await axe(page, 'admission of a 17-year-old outside a youth unit (refused)');
    await page.fill('#youth_exception', 'Ingen ledig plass i ungdomsenhet i dag; eget opplegg med ekstra bemanning.');
    const saved = await submit(page, saveButton(page));
    assert.equal(saved.status(), 200, `saved: ${JSON.stringify(await errorSummary(page))}`);
    assert.match(here(page), /^\/persons\/\d+$/);
  });
});

// ---- 2. Contact officers: reallocation on transfer ---------------------------------------------

describe('a transfer to another unit ends the contact officer\'s assignment (leader, contact, placement)', () => {
  const today = osloToday();
  const person = freshPerson('Kontaktflytt', { at: osloDateTime(2, 8), prison: 'P001', basis: 'sentence' });
  const name = `${person.family}, ${person.given}`;
  let leader;
  let contact;
  let placement;
  let personId;
  let caseloadBefore;
  let bergen;

  before(async () => {
    leader = await newPage(browser);
    await signIn(leader, 'leader');
    contact = await newPage(browser);
    await signIn(contact, 'contact');
    placement = await newPage(browser);
    await signIn(placement, 'placement');
  });
  after(async () => {
    for (const p of [leader, contact, placement]) await p?.context().close();
  });

  /** The leader's home page: the contact officer's caseload, and who has no contact officer. */
  async function leaderHome() {
    await visit(leader, '/home');
    const rows = await tableRows(leader, 'main h2:has-text("Kontaktbetjenter og innsatte") + table');
    const row = rowWith(rows, '(contact)');
    assert.equal(row.cells[0], 'Kari Kontakt (contact)');
    assert.match(row.cells[1], /^\d+$/);
    const unassigned = await leader.$$eval('main h3:has-text("Uten kontaktbetjent") + ul a', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    return { caseload: Number(row.cells[1]), unassigned };
  }

  test('the leader admits a resident; the home page lists them without a contact officer', async () => {
    personId = await admitted(leader, person);
    assert.equal(await fact(leader, 'Kontaktbetjent'), '–', 'a new resident has no contact officer');
    await axe(leader, 'leader: person page of a new resident');
    const home = await leaderHome();
    caseloadBefore = home.caseload;
    assert.ok(home.unassigned.includes(`/persons/${personId}/contact-officers/new`), 'the new resident has no contact officer');
    await axe(leader, 'leader: home page with the new resident unassigned');
  });

  test('the leader assigns the contact officer: the caseload grows by one', async () => {
    await follow(leader, leader.locator(`main a[href="/persons/${personId}/contact-officers/new"]`));
    assert.equal((await leader.textContent('main h1')).trim(), `Tildel kontaktbetjent – ${name}`);
    // From yesterday, the day before the transfer. (Assignments are dated by the day: today one
    // dated on the day of a transfer counts as made in the new unit, and outlasts the transfer.)
    await leader.selectOption('#officer', 'contact');
    await leader.fill('#from', addDays(today, -1));
    const response = await submit(leader, saveButton(leader));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(leader))}`);
    assert.equal(here(leader), `/persons/${personId}`);
    const rows = await history(leader);
    assert.equal(rows[rows.length - 1].kind, 'kontaktbetjent');
    assert.equal(await fact(leader, 'Kontaktbetjent'), 'Kari Kontakt (contact)');
    await axe(leader, 'leader: person page after assigning the contact officer');

    const home = await leaderHome();
    assert.equal(home.caseload, caseloadBefore + 1, `${caseloadBefore} + 1`);
    assert.ok(!home.unassigned.includes(`/persons/${personId}/contact-officers/new`), 'no longer unassigned');
    // The contact officer finds the resident on their roll.
    await viaNav(contact, '/roll', 'Oversikt over innsatte');
    assert.ok((await personIds(contact)).includes(personId), 'the resident is on the contact officer\'s roll');
    await axe(contact, 'contact: roll with the new resident');
  });

  test('placement transfers the resident to Bergen fengsel', async () => {
    await visit(placement, `/persons/${personId}`);
    assert.equal(await fact(placement, 'Kontaktbetjent'), 'Kari Kontakt (contact)', 'assigned in Oslo');
    assert.equal(await fact(placement, 'Fengsel'), 'P001 (Oslo fengsel)');
    await follow(placement, placement.locator(`main a[href="/persons/${personId}/movements/new"]`));
    const prisons = await options(placement, 'prison');
    bergen = prisons.find((p) => p.label.startsWith('Bergen fengsel (høyt'));
    assert.ok(bergen, `placement may transfer to Bergen fengsel: ${JSON.stringify(prisons)}`);
    await placement.selectOption('#movement', 'transfer');
    await placement.fill('#at', osloDateTime(0, 10));
    await placement.selectOption('#prison', bergen.value);
    const response = await submit(placement, saveButton(placement));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(placement))}`);
    assert.equal(here(placement), `/persons/${personId}`);
    assert.equal(await fact(placement, 'Fengsel'), `${bergen.value} (Bergen fengsel)`);
    assert.equal(await fact(placement, 'Status'), 'til stede');
    await axe(placement, 'placement: person page after the transfer to Bergen');
  });

  test('the Oslo leader and the contact officer no longer have the person; nobody is their contact officer', async () => {
    const home = await leaderHome();
    assert.equal(home.caseload, caseloadBefore, `${caseloadBefore} + 1 − 1: the assignment ended with the transfer`);
    assert.ok(!home.unassigned.some((h) => h === `/persons/${personId}/contact-officers/new`), 'not the Oslo leader\'s to assign');
    await axe(leader, 'leader: home page after the transfer');
    await visit(leader, `/roll?q=${encodeURIComponent(person.family)}`);
    assert.deepEqual(await personIds(leader), [], 'not on the Oslo roll');
    await visit(leader, `/persons/${personId}`, 404);
    await axe(leader, 'leader: person page of someone transferred away (not found)');

    await visit(contact, '/roll');
    assert.ok(!(await personIds(contact)).includes(personId), 'not on the contact officer\'s roll');
    await visit(contact, `/persons/${personId}`, 404);

    await visit(placement, `/persons/${personId}`);
    assert.equal(await fact(placement, 'Kontaktbetjent'), '–', 'no contact officer in Bergen yet');
    await axe(placement, 'placement: person page without a contact officer');
  });
});

// ---- 3. An expulsion decision limits the progression plan --------------------------------------

/** The plan's steps (bokmål): the key date each follows, and whether an expulsion closes it. */
const STEPS = {
  'lavere sikkerhetsnivå skal vurderes': { key: 'Vurdering av lavere sikkerhet', closed: false },
  'ordinær permisjon mulig': { key: 'Ordinær permisjon fra', closed: false },
  'frigang mulig': { key: 'Frigang fra', closed: true },
  'soning i hjemmet (§ 16) mulig': { key: '§ 16-soning fra', closed: true },
  'elektronisk kontroll (bakdør) mulig': { key: 'Elektronisk kontroll (bakdør) fra', closed: true },
  'prøveløslatelse mulig': { key: 'Prøveløslatelse tidligst', closed: false },
  'endt straffetid': { key: 'Endt straffetid', closed: false },
};
const CLOSED_BY_EXPULSION = 'planlegges ikke: personen skal utvises etter straffen';

describe('an expulsion decision closes frigang, § 16 and EM (leader)', () => {
  const run = tag();
  const today = osloToday();
  // Admitted a month ago to serve ten months: up to one year, so a halfway house is considered
  // directly (R-SEC-2); with an expulsion decision the halfway house is not planned, and a term
  // up to two years is considered for lower security directly (R-SEC-2).
  const person = freshPerson('Utvist', { at: osloDateTime(30, 8), prison: 'P001', basis: 'sentence' });
  const decidedOn = addDays(today, -10);
  const finalOn = addDays(today, -3);
  const authority = 'Utlendingsdirektoratet';
  const reference = `26/${Date.now() % 100_000}-${run}`;
  let page;
  let personPath;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'leader');
  });
  after(async () => {
    await page?.context().close();
  });

  /** The plan on the open person page: the lowest level allowed, the reasons and the steps. */
  async function plan() {
    const section = 'main section[aria-labelledby=progression]';
    assert.equal(await page.locator(section).count(), 1, 'the person page has a progression plan');
    const levels = (await page.textContent(`${section} > p:not(.warning)`)).trim();
    const match = levels.match(/Laveste nivå reglene tillater i dag: (.+)\.$/);
    assert.ok(match, `the plan names the lowest level allowed: «${levels}»`);
    const reasons = await page.$$eval(`${section} ul li`, (lis) => lis.map((li) => li.textContent.trim()));
    const steps = (await tableRows(page, `${section} table`)).map((r) => {
      const [step, date, rule, status] = r.cells;
      return { step, date, rule, status };
    });
    const dates = Object.fromEntries(
      (await tableRows(page, 'main section[aria-labelledby=dates] table')).map((r) => [r.cells[0], r.cells[1]]),
    );
    // Each step on its key date, closed or not: a closed step still shows its date.
    for (const s of steps) {
      assert.ok(s.step in STEPS, `a known step: ${s.step}`);
      assert.equal(s.date, dates[STEPS[s.step].key], `«${s.step}» falls on «${STEPS[s.step].key}»`);
    }
    return { lowest: match[1], reasons, steps };
  }

  test('the leader admits the person and imports the judgment; the plan has every step open', async () => {
    const id = await admitted(page, person);
    personPath = `/persons/${id}`;
    const file = {
      format: 'halden-court-file/1',
      court: 'Oslo tingrett',
      judgments: [
        {
          person: {
            identity_number: person.identity.number,
            family_name: person.family,
            given_names: person.given,
            birth_date: person.identity.birthDate,
            sex: 'male',
            citizenship: 'LT',
            languages: ['lt'],
            interpreter_needed: false,
            home_municipality: 'Oslo',
          },
          case_number: `26-${Date.now() % 1_000_000}MED-UTV/${run}`,
          decision_date: addDays(today, -60),
          final_date: addDays(today, -40),
          remand_deduction_days: 0,
          offence_class: 'ordinary',
          sentences: [{ kind: 'prison', months: 10 }],
        },
      ],
    };
    await viaNav(page, '/import', 'Importer dommer');
    await page.setInputFiles('#file', {
      name: `${run}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file, null, 2)),
    });
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, `imported: ${JSON.stringify(await errorSummary(page))}`);
    assert.equal((await page.textContent('main p.success')).trim(), 'Importert: 1');

    await visit(page, personPath);
    const { lowest, steps } = await plan();
    assert.equal(lowest, 'overgangsbolig', 'ten months is up to one year: a halfway house directly (R-SEC-2)');
    const names = steps.map((s) => s.step);
    for (const step of ['ordinær permisjon mulig', 'frigang mulig', 'soning i hjemmet (§ 16) mulig', 'elektronisk kontroll (bakdør) mulig', 'prøveløslatelse mulig']) {
      assert.ok(names.includes(step), `ten months has the step «${step}»: ${JSON.stringify(names)}`);
    }
    for (const s of steps) {
      assert.equal(s.status, s.date <= today ? 'nådd' : 'kommer', `open before the decision: ${JSON.stringify(s)}`);
    }
    assert.equal(await fact(page, 'Vedtak om utvisning'), null, 'no expulsion decision yet');
    await axe(page, 'leader: person page with the plan before an expulsion decision');
  });

  test('the expulsion form: no authority and a final date before the decision are refused', async () => {
    await visit(page, personPath);
    await follow(page, page.locator('main nav a', { hasText: 'Registrer vedtak om utvisning' }));
    assert.equal(here(page), `${personPath}/expulsions/new`);
    assert.equal((await page.textContent('main h1')).trim().startsWith('Registrer vedtak om utvisning'), true);
    await axe(page, 'expulsion form (empty)');

    await page.fill('#decided_on', decidedOn);
    await page.fill('#final_on', addDays(decidedOn, -1));
    await page.fill('#reference', reference);
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.equal(here(page), `${personPath}/expulsions/new`);
    const summary = await checkErrorSummary(page, [
      ['authority', 'Vedtaksmyndighet'],
      ['final_on', 'Endelig fra'],
    ]);
    assert.deepEqual(summary, ['Vedtaksmyndighet: må fylles ut', 'Endelig fra: kan ikke være før vedtaksdagen']);
    assert.equal(await page.inputValue('#decided_on'), decidedOn, 'values are kept');
    assert.equal(await page.inputValue('#final_on'), addDays(decidedOn, -1));
    assert.equal(await page.inputValue('#reference'), reference);
    await axe(page, 'expulsion form (failed submit)');

    // Nothing was saved.
    await visit(page, personPath);
    assert.equal(await fact(page, 'Vedtak om utvisning'), null);
  });

  test('recorded rightly, the plan marks frigang, § 16 and EM as not planned; leave and parole stay', async () => {
    await visit(page, `${personPath}/expulsions/new`);
    await page.fill('#decided_on', decidedOn);
    await page.fill('#authority', authority);
    await page.fill('#final_on', finalOn);
    await page.fill('#reference', reference);
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(page))}`);
    assert.equal(here(page), personPath);

    assert.equal(await fact(page, 'Vedtak om utvisning'), `${decidedOn} (${authority}), endelig fra ${finalOn}`);
    const rows = await history(page);
    assert.equal(rows[rows.length - 1].kind, 'vedtak om utvisning');

    const { lowest, reasons, steps } = await plan();
    assert.equal(lowest, 'lavere sikkerhetsnivå', 'no halfway house; up to two years: lower security directly (R-SEC-2)');
    assert.ok(reasons.some((r) => r.includes('utvis')), `the plan says why: ${JSON.stringify(reasons)}`);
    for (const s of steps) {
      const expected = STEPS[s.step].closed ? CLOSED_BY_EXPULSION : s.date <= today ? 'nådd' : 'kommer';
      assert.equal(s.status, expected, JSON.stringify(s));
    }
    const closed = steps.filter((s) => s.status === CLOSED_BY_EXPULSION).map((s) => s.step);
    assert.deepEqual(
      closed.sort(),
      ['elektronisk kontroll (bakdør) mulig', 'frigang mulig', 'soning i hjemmet (§ 16) mulig'],
      'exactly frigang, § 16 and EM are closed',
    );
    await axe(page, 'leader: person page with the plan after an expulsion decision');
  });
});

// ---- 4. A handover to mandatory psychiatric care closes the case ------------------------------

describe('a handover to mandatory psychiatric care closes the case (leader, placement)', () => {
  const today = osloToday();
  const person = freshPerson('Overlevert', { at: osloDateTime(5, 8), prison: 'P001', basis: 'remand' });
  const institution = 'Oslo universitetssykehus, Gaustad';
  const at = osloDateTime(0, 9);
  let leader;
  let placement;
  let personPath;

  before(async () => {
    leader = await newPage(browser);
    await signIn(leader, 'leader');
    placement = await newPage(browser);
    await signIn(placement, 'placement');
  });
  after(async () => {
    for (const p of [leader, placement]) await p?.context().close();
  });

  test('without the receiving institution the handover is refused, naming the field', async () => {
    personPath = `/persons/${await admitted(leader, person)}`;
    assert.equal(await fact(leader, 'Grunnlag'), 'varetekt');
    await follow(leader, leader.locator(`main a[href="${personPath}/movements/new"]`));
    const kinds = await options(leader, 'movement');
    assert.ok(
      kinds.some((k) => k.value === 'handover' && k.label === 'overføring til tvungent psykisk helsevern'),
      `the handover is a movement: ${JSON.stringify(kinds)}`,
    );
    await leader.selectOption('#movement', 'handover');
    await leader.fill('#at', at);
    const response = await submit(leader, saveButton(leader));
    assert.equal(response.status(), 400);
    assert.equal(here(leader), `${personPath}/movements/new`);
    const summary = await checkErrorSummary(leader, [['institution', 'Mottakende helseinstitusjon']]);
    assert.equal(summary.length, 1, JSON.stringify(summary));
    assert.match(summary[0], /^Mottakende helseinstitusjon: må fylles ut/);
    assert.equal(await leader.inputValue('#movement'), 'handover', 'values are kept');
    assert.equal(await leader.inputValue('#at'), at);
    await axe(leader, 'movement form (failed submit: handover without the institution)');

    // Nothing was saved.
    await visit(leader, personPath);
    assert.equal(await fact(leader, 'Status'), 'til stede');
  });

  test('with it the handover is saved, and the prison no longer reads the record', async () => {
    await visit(leader, `${personPath}/movements/new`);
    await leader.selectOption('#movement', 'handover');
    await leader.fill('#at', at);
    await leader.fill('#institution', institution);
    const response = await submit(leader, saveButton(leader));
    // Saved: the form sends the leader to the person page, which is no longer theirs to read.
    assert.equal(here(leader), personPath);
    assert.equal(response.status(), 404, `saved, then not found: ${JSON.stringify(await errorSummary(leader))}`);
    await axe(leader, 'leader: person page after the handover (not found)');

    await visit(leader, `/roll?q=${encodeURIComponent(person.family)}`);
    assert.deepEqual(await personIds(leader), [], 'not on the Oslo roll');
    await axe(leader, 'leader: roll without the person handed over');
  });

  test('placement sees the case closed: released, handed over, no plan', async () => {
    await visit(placement, personPath);
    assert.equal(await fact(placement, 'Saken er avsluttet: overført til tvungent psykisk helsevern'), `${today} · ${institution}`);
    assert.equal(await fact(placement, 'Status'), 'løslatt');
    assert.equal(await placement.locator('#progression').count(), 0, 'no progression plan for a closed case');
    const rows = await history(placement);
    const last = rows[rows.length - 1];
    assert.equal(last.kind, 'bevegelse');
    assert.ok(last.summary.includes('Bevegelse: overføring til tvungent psykisk helsevern'), last.summary);
    assert.ok(last.summary.includes(`Mottakende helseinstitusjon: ${institution}`), last.summary);
    await axe(placement, 'placement: person page of a case closed by a handover');
  });
});

// ---- 5. Short leave (R-LEAVE-4) ----------------------------------------------------------------

// R-LEAVE-4: short leave of a few hours (up to 5) once ordinary leave time is reached, outside
// the quota.
const SHORT_LEAVE_MAXIMUM_HOURS = 5;

describe('short leave: the prisoner applies, the leader\'s form says what R-LEAVE-4 says', () => {
  const run = tag();
  const today = osloToday();
  const details = `Korttidspermisjon til mors 70-årsdag (${run}).`;
  const tooLong = `Korttidspermisjon hele ettermiddagen (${run}).`;
  let prisoner;
  let leader;
  let leaveDate;
  let leaveRule;
  let wanted;

  before(async () => {
    prisoner = await newPage(browser);
    await signIn(prisoner, 'prisoner');
    leader = await newPage(browser);
    await signIn(leader, 'leader');
  });
  after(async () => {
    for (const p of [prisoner, leader]) await p?.context().close();
  });

  /** The application form, reached from the prisoner's own decisions page. */
  async function applicationForm() {
    await viaNav(prisoner, `/persons/${prisonerId}/decisions`, 'Mine søknader og vedtak');
    await follow(prisoner, prisoner.locator('main a', { hasText: 'Ny søknad' }));
    assert.equal(here(prisoner), `/persons/${prisonerId}/applications/new`);
  }

  /** Fills a short leave application for `hours` (none when null). */
  async function fillShortLeave(text, hours) {
    await prisoner.selectOption('#kind', 'leave');
    await prisoner.selectOption('#leave_kind', 'short');
    await prisoner.fill('#details', text);
    await prisoner.fill('#wanted_from', wanted);
    await prisoner.fill('#wanted_until', wanted);
    if (hours !== null) await prisoner.fill('#leave_hours', String(hours));
  }

  /** The leader's decision form for the application `text`, from the in-tray; returns its intro. */
  async function decisionForm(text) {
    await viaNav(leader, '/in-tray', 'Til avgjørelse');
    const row = rowWith(await tableRows(leader, 'main section[aria-labelledby=applications] table'), text);
    const decide = row.links.find((h) => h.includes('/decisions/new?application='));
    assert.ok(decide, `the in-tray links the decision form: ${JSON.stringify(row)}`);
    await follow(leader, leader.locator(`main a[href="${decide}"]`));
    assert.equal(new URL(leader.url()).pathname, `/persons/${prisonerId}/decisions/new`);
    return (await leader.textContent('main h1 + p')).trim();
  }

  test('a short leave without hours is refused, naming the hours; with 4 hours it is filed', async () => {
    await applicationForm();
    const intro = (await prisoner.textContent('main h1 + p')).trim();
    const match = intro.match(/(?:: |; )permisjon (\d{4}-\d{2}-\d{2}) \((R-LEAVE-[16]), ([^)]+)\)/);
    assert.ok(match, `the form shows the leave date: ${intro}`);
    [, leaveDate, leaveRule] = match;
    const kinds = await options(prisoner, 'leave_kind');
    assert.deepEqual(kinds.map((k) => k.label), ['ordinær permisjon', 'velferdspermisjon', 'korttidspermisjon']);
    await axe(prisoner, 'prisoner: application form (empty)');

    // A day two weeks from now, or the leave date if later: ordinary leave time is reached.
    const fortnight = addDays(today, 14);
    wanted = fortnight > leaveDate ? fortnight : leaveDate;
    await fillShortLeave(details, null);
    let response = await submit(prisoner, saveButton(prisoner));
    assert.equal(response.status(), 400);
    assert.equal(here(prisoner), `/persons/${prisonerId}/applications/new`);
    const summary = await checkErrorSummary(prisoner, [['leave_hours', 'Timer (korttidspermisjon)']]);
    assert.deepEqual(summary, ['Timer (korttidspermisjon): må fylles ut for korttidspermisjon']);
    assert.equal(await prisoner.inputValue('#leave_kind'), 'short', 'values are kept');
    assert.equal(await prisoner.inputValue('#details'), details);
    assert.equal(await prisoner.inputValue('#wanted_from'), wanted);
    await axe(prisoner, 'application form (failed submit: short leave without hours)');

    await prisoner.fill('#leave_hours', '4');
    response = await submit(prisoner, saveButton(prisoner));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(prisoner))}`);
    assert.equal(here(prisoner), `/persons/${prisonerId}/decisions`);
    const row = rowWith(await tableRows(prisoner, 'main section[aria-labelledby=applications] table'), details);
    assert.equal(row.cells[1], 'permisjon: korttidspermisjon, 4 timer');
    assert.equal(row.cells[3], `${wanted} – ${wanted}`);
    assert.equal(row.cells[6], 'Til behandling (fengselsleder)');
    await axe(prisoner, 'prisoner: decisions page with the short leave application');
  });

  test('the leader\'s form: short leave within five hours, outside the quota', async () => {
    const intro = await decisionForm(details);
    const reference = leaveRule === 'R-LEAVE-1' ? 'strgjfl § 33' : 'forvaringsforskriften § 11';
    assert.ok(intro.startsWith('Søknaden (permisjon: korttidspermisjon, 4 timer, '), intro);
    assert.ok(intro.includes(`«${details}»`), `the form quotes the application: ${intro}`);
    assert.ok(intro.includes(`Mulig fra: ${leaveDate} (${leaveRule}, ${reference}).`), `the form shows the leave date: ${intro}`);
    // From ${wanted} ≥ the leave date, 4 ≤ 5 hours: allowed, and not counted in the quota (no
    // «dager er innenfor kvoten» line as for ordinary leave).
    assert.ok(4 <= SHORT_LEAVE_MAXIMUM_HOURS && wanted >= leaveDate);
    const rules = 'Reglene sier: korttidspermisjon på 4 timer, utenfor kvoten (R-LEAVE-4, strgjfl § 33).';
    assert.ok(intro.endsWith(rules), `the form says what the rules say:\n  ${intro}\nexpected it to end with\n  ${rules}`);
    assert.ok(!intro.includes('R-LEAVE-2'), `short leave is outside the quota: ${intro}`);
    await axe(leader, 'leader: decision form for a short leave');
  });

  test('six hours is filed, but the leader\'s form says short leave lasts one to five hours', async () => {
    await applicationForm();
    const hours = SHORT_LEAVE_MAXIMUM_HOURS + 1;
    await fillShortLeave(tooLong, hours);
    const response = await submit(prisoner, saveButton(prisoner));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(prisoner))}`);
    const row = rowWith(await tableRows(prisoner, 'main section[aria-labelledby=applications] table'), tooLong);
    assert.equal(row.cells[1], `permisjon: korttidspermisjon, ${hours} timer`);

    const intro = await decisionForm(tooLong);
    const rules =
      `Reglene sier: korttidspermisjon varer 1 til ${SHORT_LEAVE_MAXIMUM_HOURS} timer, ikke ${hours} (R-LEAVE-4, strgjfl § 33).`;
    assert.ok(intro.endsWith(rules), `the form says what the rules say:\n  ${intro}\nexpected it to end with\n  ${rules}`);
    await axe(leader, 'leader: decision form for a short leave over five hours');
  });
});
