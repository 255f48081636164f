// The prison-side pages added with issue 5, walked through the pages as the people involved would:
// national placement imports a judgment, finds it in the serving queue and sends a summons (the
// R-INNK-1 notice and 60-day rules, the R-QUEUE-1 queue date); the contact officer reads a
// resident's progression plan against the key dates; the prison leader's home page lists the
// reviews of the week and the contact officers' caseloads; a leave application shows the leave
// date (R-LEAVE-1) and the yearly quota (R-LEAVE-2) on the decision form. Every expected date is
// computed here from the rules, never read back from the page. axe-core on every page state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
  await finish(browser, 'progression.test.mjs');
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

/** `YYYY-MM-DD`, `months` calendar months from `from`; a day the month lacks is its last (C-1). */
function addMonths(from, months) {
  const [y, m, d] = from.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

// The serving rules (R-INNK-1, R-QUEUE-1): serve within 60 days of receipt; a summons gives three
// weeks' notice; the queue counts a judgment two calendar months after receipt.
const LATEST_START_DAYS = 60;
const NOTICE_DAYS = 21;
const QUEUE_MONTHS = 2;

// ---- page reading ---------------------------------------------------------------------------

/** The text of the first definition list entry `term` in `main`. */
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

/** The table's column headings. */
async function tableHeadings(page, selector) {
  return page.$$eval(`${selector} thead th`, (ths) => ths.map((th) => th.textContent.trim()));
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

/** The person page's key dates: name → {date, rule}. */
async function keyDates(page) {
  const rows = await tableRows(page, 'main section[aria-labelledby=dates] table');
  return Object.fromEntries(rows.map((r) => [r.cells[0], { date: r.cells[1], rule: r.cells[2] }]));
}

/** The follow-the-navigation step every role starts from. */
async function viaNav(page, href, text) {
  await visit(page, '/home');
  const link = page.locator(`header nav a[href="${href}"]`);
  assert.equal((await link.textContent())?.trim(), text, `the navigation names ${href}`);
  await follow(page, link);
  assert.equal(here(page), href);
}

// ---- 1. The serving queue and the summons -----------------------------------------------------

describe('a judgment received today: the queue and the summons (placement)', () => {
  const run = tag();
  const today = osloToday();
  const identity = freshIdentity();
  const family = `Innkalt${run}`;
  const name = `${family}, Nettleser`;
  const caseNumber = `26-${Date.now() % 1_000_000}MED-KO/${run}`;
  const latest = addDays(today, LATEST_START_DAYS);
  const summonsBy = addDays(latest, -NOTICE_DAYS);
  const countedFrom = addMonths(today, QUEUE_MONTHS);
  const earliest = addDays(today, NOTICE_DAYS);
  const tooSoon = addDays(today, 10);
  const tooLate = addDays(latest, 1);
  const servingDate = addDays(today, 30);
  let placement;
  let officer;
  let personId;
  let prison;

  before(async () => {
    placement = await newPage(browser);
    await signIn(placement, 'placement');
    officer = await newPage(browser);
    await signIn(officer, 'officer');
  });
  after(async () => {
    for (const p of [placement, officer]) await p?.context().close();
  });

  /** Placement's queue, reached from the navigation; the person's row. */
  async function queueRow() {
    await viaNav(placement, '/queue', 'Soningskø');
    assert.equal((await placement.textContent('main h1')).trim(), `Soningskø ${today}`);
    assert.deepEqual(await tableHeadings(placement, 'main table'), [
      'Navn',
      'Hjemkommune',
      'Mottatt',
      'Soning senest (60 dager, R-INNK-1)',
      'Innkalling fremme senest (3 uker før)',
      'I køen',
      'Innkalling',
      'Laveste nivå reglene tillater; avdeling som passer',
    ]);
    return rowWith(await tableRows(placement, 'main table'), name);
  }

  test('placement uploads a court file; the judgment is received today', async () => {
    const file = {
      format: 'halden-court-file/1',
      court: 'Oslo tingrett',
      judgments: [
        {
          person: {
            identity_number: identity.number,
            family_name: family,
            given_names: 'Nettleser',
            birth_date: identity.birthDate,
            sex: 'female',
            citizenship: 'NO',
            languages: ['nb'],
            interpreter_needed: false,
            home_municipality: 'Oslo',
          },
          case_number: caseNumber,
          decision_date: addDays(today, -30),
          final_date: addDays(today, -9),
          remand_deduction_days: 0,
          offence_class: 'ordinary',
          sentences: [{ kind: 'prison', days: 90 }],
        },
      ],
    };
    await viaNav(placement, '/import', 'Importer dommer');
    await placement.setInputFiles('#file', {
      name: `${run}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file, null, 2)),
    });
    const response = await submit(placement, saveButton(placement));
    assert.equal(response.status(), 200, `imported: ${JSON.stringify(await errorSummary(placement))}`);
    assert.equal((await placement.textContent('main p.success')).trim(), 'Importert: 1');
    await axe(placement, 'placement: import form (imported)');
  });

  test('the queue lists the person: received today, serving by today + 60 days, not in the queue yet', async () => {
    const row = await queueRow();
    const [, home, received, latestStart, summonsArrival, inQueue, summons, recommended] = row.cells;
    assert.equal(home, 'Oslo');
    assert.equal(received, today, 'received the day it was imported');
    assert.equal(latestStart, latest, 'R-INNK-1: serving within 60 days of receipt');
    assert.equal(summonsArrival, summonsBy, 'the summons must arrive three weeks before that');
    assert.equal(inQueue, `ikke ennå (fra ${countedFrom})`, 'R-QUEUE-1: counted two calendar months after receipt');
    assert.equal(summons, 'ingen');
    // 90 days is up to one year: a halfway house directly (R-SEC-2), one that takes women.
    assert.match(recommended, /^overgangsbolig; P\d{3} /, 'the lowest level allowed and a department that fits');
    const link = row.links.find((h) => /^\/persons\/\d+$/.test(h));
    assert.ok(link, `the row links the person: ${JSON.stringify(row)}`);
    personId = Number(link.split('/')[2]);
    await axe(placement, 'placement: queue with the new judgment');

    await follow(placement, placement.locator(`main table a[href="/persons/${personId}"]`));
    assert.equal((await placement.textContent('main h1')).trim(), name);
    assert.equal(
      await fact(placement, 'Soningskø'),
      `dom mottatt ${today}; soning senest ${latest} (R-INNK-1); i soningskøen fra ${countedFrom} (R-QUEUE-1)`,
    );
    assert.equal(await placement.locator('#progression').count(), 0, 'no progression plan before serving');
    await axe(placement, 'placement: person page of a person waiting to serve');
  });

  test('the summons needs three weeks\' notice, and a reason past the 60 days; then it is saved', async () => {
    await visit(placement, `/persons/${personId}`);
    await follow(placement, placement.locator('main nav a', { hasText: 'Send innkalling' }));
    assert.equal(here(placement), `/persons/${personId}/summonses/new`);
    assert.equal(await placement.inputValue('#sent_on'), today, 'sent today, by default');
    assert.equal(await placement.inputValue('#form'), 'prison');
    const prisons = await options(placement, 'prison');
    assert.ok(prisons.length > 1, `placement may summon to any prison: ${JSON.stringify(prisons)}`);
    prison = prisons[0].value;
    await axe(placement, 'summons form (empty)');

    // Ten days ahead: too short notice.
    await placement.fill('#serving_date', tooSoon);
    await placement.selectOption('#prison', prison);
    let response = await submit(placement, saveButton(placement));
    assert.equal(response.status(), 400);
    assert.equal(here(placement), `/persons/${personId}/summonses/new`);
    let summary = await checkErrorSummary(placement, [['serving_date', 'Soningsdato']]);
    assert.deepEqual(summary, [
      `Soningsdato: må gi tre ukers varsel: en innkalling sendt ${today} kan tidligst gjelde ${earliest} (R-INNK-1)`,
    ]);
    assert.equal(await placement.inputValue('#serving_date'), tooSoon, 'the date is kept');
    assert.equal(await placement.inputValue('#prison'), prison, 'the prison is kept');
    await axe(placement, 'summons form (failed submit: too short notice)');

    // One day past the latest serving date, with no reason.
    await placement.fill('#serving_date', tooLate);
    response = await submit(placement, saveButton(placement));
    assert.equal(response.status(), 400);
    summary = await checkErrorSummary(placement, [['late_reason', 'Begrunnelse for sen soningsdato']]);
    assert.deepEqual(summary, [
      `Begrunnelse for sen soningsdato: må fylles ut: ${tooLate} er etter siste soningsdato ${latest} ` +
        `(60 dager etter mottak ${today}, R-INNK-1); si hvorfor`,
    ]);
    assert.equal(await placement.inputValue('#serving_date'), tooLate, 'the date is kept');
    await axe(placement, 'summons form (failed submit: late date without a reason)');

    // Nothing was saved.
    await visit(placement, '/queue');
    assert.equal(rowWith(await tableRows(placement, 'main table'), name).cells[6], 'ingen');

    // Thirty days ahead: within both limits.
    await visit(placement, `/persons/${personId}/summonses/new`);
    await placement.fill('#serving_date', servingDate);
    await placement.selectOption('#prison', prison);
    response = await submit(placement, saveButton(placement));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(placement))}`);
    assert.equal(here(placement), `/persons/${personId}`);
    assert.equal(
      await fact(placement, 'Soningskø'),
      `dom mottatt ${today}; soning senest ${latest} (R-INNK-1); i soningskøen fra ${countedFrom} (R-QUEUE-1); ` +
        `innkalt til ${servingDate} i ${prison}`,
    );
    await axe(placement, 'placement: person page after the summons');
  });

  test('the queue shows the summons date and prison', async () => {
    const row = await queueRow();
    assert.equal(row.cells[6], `${servingDate}, ${prison}`);
    // The dates of the judgment are unchanged by the summons.
    assert.deepEqual(row.cells.slice(2, 6), [today, latest, summonsBy, `ikke ennå (fra ${countedFrom})`]);
    await axe(placement, 'placement: queue with the summons');
  });

  test('an officer may not send a summons', async () => {
    await visit(officer, `/persons/${personId}/summonses/new`, 403);
    assert.equal(await officer.locator('main form.form').count(), 0, 'no summons form for an officer');
    await axe(officer, 'officer: summons form refused');
    // Nor does the queue open to an officer.
    await visit(officer, '/home');
    assert.equal(await officer.locator('header nav a[href="/queue"]').count(), 0, 'no queue in the officer\'s navigation');
  });
});

// ---- 2. The progression plan ----------------------------------------------------------------

/** Each step of the plan (bokmål, English) and the key date it follows (bokmål, English). */
const STEP_KEY_DATES = [
  [['lavere sikkerhetsnivå skal vurderes', 'lower security to be considered'], ['Vurdering av lavere sikkerhet', 'Lower-security review']],
  [['ordinær permisjon mulig', 'ordinary leave possible'], ['Ordinær permisjon fra', 'Ordinary leave from'], ['Forvaring: permisjon fra', 'Forvaring: leave from']],
  [['frigang mulig', 'day release (frigang) possible'], ['Frigang fra', 'Day release (frigang) from']],
  [['soning i hjemmet (§ 16) mulig', 'home serving (§ 16) possible'], ['§ 16-soning fra', '§ 16 home serving from']],
  [['elektronisk kontroll (bakdør) mulig', 'electronic monitoring (back door) possible'], ['Elektronisk kontroll (bakdør) fra', 'EM (back door) from']],
  [['prøveløslatelse mulig', 'parole possible'], ['Prøveløslatelse tidligst', 'Parole eligibility'], ['Forvaring: tidligste begjæring om løslatelse', 'Forvaring: earliest parole petition']],
  [['endt straffetid', 'end of sentence'], ['Endt straffetid', 'End of sentence'], ['Forvaring: tidsramme utløper', 'Forvaring: time frame ends']],
];

const LEVELS = [
  { nb: 'overgangsbolig', en: 'halfway house' },
  { nb: 'lavere sikkerhetsnivå', en: 'lower security' },
  { nb: 'høyt sikkerhetsnivå', en: 'high security' },
];

describe('the progression plan of a resident (contact officer)', () => {
  const today = osloToday();
  let page;
  let personPath;
  let stepsNb;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'contact');
  });
  after(async () => {
    await page?.context().close();
  });

  /**
   * Reads and checks the plan on the open person page in `lang` (0 = bokmål, 1 = English):
   * the levels sentence, the steps in date order with their rules, each step's date and rule
   * those of its key date. Returns the steps.
   */
  async function checkPlan(lang) {
    const section = 'main section[aria-labelledby=progression]';
    assert.equal(await page.locator(section).count(), 1, 'the person page has a progression plan');
    assert.equal((await page.textContent('#progression')).trim(), ['Progresjonsplan', 'Progression plan'][lang]);

    // The level now and the lowest level the rules allow.
    const levels = (await page.textContent(`${section} > p:not(.warning)`)).trim();
    const key = ['nb', 'en'][lang];
    const names = LEVELS.map((l) => l[key]).join('|');
    const re = [
      new RegExp(`^Nå: (${names}|–)\\. Laveste nivå reglene tillater i dag: (${names})\\.$`),
      new RegExp(`^Now: (${names}|–)\\. The lowest level the rules allow today: (${names})\\.$`),
    ][lang];
    const match = levels.match(re);
    assert.ok(match, `the plan names the level now and the lowest allowed: «${levels}»`);
    const [, now, lowest] = match;
    // The level now is the person's recorded level.
    const recorded = await fact(page, ['Sikkerhetsnivå', 'Security level'][lang]);
    assert.equal(now, recorded === '–' ? '–' : recorded, 'the level now is the one on record');
    // Held above the lowest allowed level: said so.
    const rank = (label) => LEVELS.findIndex((l) => l[key] === label);
    const above = now !== '–' && rank(now) > rank(lowest);
    assert.equal(await page.locator(`${section} p.warning`).count(), above ? 1 : 0, `warning iff ${now} is above ${lowest}`);
    // Why that level: each reason names its rule.
    const reasons = await page.$$eval(`${section} ul li`, (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(reasons.length >= 1, 'the plan says why that level');
    for (const r of reasons) assert.match(r, /^R-[A-Z0-9]+-\d+ \([^)]+\): .+/, `a reason with its rule: ${r}`);

    // The steps.
    assert.deepEqual(await tableHeadings(page, `${section} table`), [
      ['Steg', 'Dato', 'Regel', 'Status', 'Forklaring'],
      ['Step', 'Date', 'Rule', 'Status', 'Explanation'],
    ][lang]);
    const steps = (await tableRows(page, `${section} table`)).map((r) => {
      const [step, date, rule, status, explanation] = r.cells;
      return { step, date, rule, status, explanation };
    });
    assert.ok(steps.length >= 2, `the plan has steps: ${JSON.stringify(steps)}`);
    const dates = await keyDates(page);
    for (const [i, s] of steps.entries()) {
      assert.match(s.date, /^\d{4}-\d{2}-\d{2}$/, JSON.stringify(s));
      if (i > 0) assert.ok(steps[i - 1].date <= s.date, `steps in date order: ${steps[i - 1].date} then ${s.date}`);
      // A rule id (R-… for the rules; the end of the sentence is the calculation's C-4) and its §.
      assert.match(s.rule, /^(R-[A-Z0-9]+-\d+|C-\d+) \(.+\)$/, `the step names its rule: ${JSON.stringify(s)}`);
      assert.equal(s.status, (s.date <= today ? ['nådd', 'reached'] : ['kommer', 'to come'])[lang], JSON.stringify(s));
      assert.ok(s.explanation.length > 0, `the step is explained: ${JSON.stringify(s)}`);
      // The same date and rule as the key date it follows.
      const entry = STEP_KEY_DATES.find(([labels]) => labels[lang] === s.step);
      assert.ok(entry, `a known step: ${s.step}`);
      const keys = entry.slice(1).map((k) => k[lang]).filter((k) => k in dates);
      assert.equal(keys.length, 1, `exactly one key date for «${s.step}» among ${JSON.stringify(Object.keys(dates))}`);
      assert.equal(s.date, dates[keys[0]].date, `«${s.step}» falls on «${keys[0]}»`);
      assert.equal(s.rule, dates[keys[0]].rule, `«${s.step}» follows the rule of «${keys[0]}»`);
    }
    // Parole and the end of the sentence are steps of every ordinary sentence.
    const stepNames = steps.map((s) => s.step);
    assert.ok(
      stepNames.includes(['prøveløslatelse mulig', 'parole possible'][lang]) && stepNames.includes(['endt straffetid', 'end of sentence'][lang]),
      `parole and the end of the sentence are steps: ${JSON.stringify(stepNames)}`,
    );
    return steps;
  }

  test('the demo prisoner\'s page shows the levels and the steps, dated as the key dates', async () => {
    await viaNav(page, '/roll', 'Oversikt over innsatte');
    assert.ok((await personIds(page)).includes(prisonerId), 'the demo prisoner is on the contact officer\'s roll');
    personPath = `/persons/${prisonerId}`;
    await follow(page, page.locator(`#people a[href="${personPath}"]`));
    assert.equal(here(page), personPath);
    stepsNb = await checkPlan(0);
    await axe(page, 'contact: person page with the progression plan');
  });

  test('in English, the plan is the "Progression plan" with the same dates', async () => {
    await visit(page, personPath);
    await Promise.all([page.waitForNavigation(), page.click('header a[lang=en]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(here(page), personPath);
    const stepsEn = await checkPlan(1);
    assert.deepEqual(stepsEn.map((s) => [s.date, s.rule]), stepsNb.map((s) => [s.date, s.rule]), 'the same steps in both languages');
    await axe(page, 'contact: person page with the progression plan (English)');
    // Back to bokmål, for the rest of this file's pages.
    await Promise.all([page.waitForNavigation(), page.click('header a[lang=nb]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
  });
});

// ---- 3. The leader's home page ----------------------------------------------------------------

describe('the prison leader\'s home page', () => {
  const today = osloToday();
  let page;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'leader');
  });
  after(async () => {
    await page?.context().close();
  });

  /** The element right after the `h2` (or `h3`) with the text `text`: its tag and its selector. */
  async function nextTo(heading, text) {
    const found = await page.$$eval(
      `main ${heading}`,
      (hs, text) => {
        const h = hs.find((x) => x.textContent.trim().startsWith(text));
        if (!h) return null;
        const next = h.nextElementSibling;
        return { heading: h.textContent.trim(), tag: next?.tagName.toLowerCase() ?? null, text: next?.textContent.trim() ?? '' };
      },
      text,
    );
    assert.ok(found, `the home page has the heading «${text}»`);
    return found;
  }

  test('the reviews of the week and the contact officers\' caseloads', async () => {
    await visit(page, '/home');
    assert.equal((await page.textContent('main h1')).trim(), 'Forside');
    await axe(page, 'leader: home page');

    // The reviews: a table of steps due from today to six days on, or a sentence saying none.
    const reviews = await nextTo('h2', 'Vurderinger som forfaller de neste sju dagene');
    if (reviews.tag === 'p') {
      assert.equal(reviews.text, 'Ingen vurderinger forfaller de neste sju dagene.');
    } else {
      assert.equal(reviews.tag, 'table', `a table or a sentence after the reviews heading: ${JSON.stringify(reviews)}`);
      const selector = 'main h2:has-text("Vurderinger som forfaller") + table';
      assert.deepEqual(await tableHeadings(page, selector), ['Navn', 'Steg', 'Dato', 'Nøkkeldatoer']);
      const rows = await tableRows(page, selector);
      assert.ok(rows.length > 0, 'a table has rows');
      const week = addDays(today, 7);
      for (const r of rows) {
        assert.ok(r.cells[2] >= today && r.cells[2] < week, `due in the next seven days: ${JSON.stringify(r)}`);
        assert.ok(STEP_KEY_DATES.some(([labels]) => labels[0] === r.cells[1]), `a step of the plan: ${JSON.stringify(r)}`);
        assert.match(r.links[0] ?? '', /^\/persons\/\d+$/, `the row links the person: ${JSON.stringify(r)}`);
      }
      const sorted = [...rows].sort((a, b) => a.cells[2].localeCompare(b.cells[2]));
      assert.deepEqual(rows.map((r) => r.cells[2]), sorted.map((r) => r.cells[2]), 'the soonest first');
    }

    // The contact officers: the demo contact officer has residents.
    const caseloads = await nextTo('h2', 'Kontaktbetjenter og innsatte');
    assert.equal(caseloads.tag, 'table', JSON.stringify(caseloads));
    const selector = 'main h2:has-text("Kontaktbetjenter og innsatte") + table';
    assert.deepEqual(await tableHeadings(page, selector), ['Kontaktbetjent', 'Innsatte']);
    const contact = rowWith(await tableRows(page, selector), '(contact)');
    assert.equal(contact.cells[0], 'Kari Kontakt (contact)');
    assert.match(contact.cells[1], /^\d+$/);
    assert.ok(Number(contact.cells[1]) >= 1, `the contact officer's caseload: ${contact.cells[1]}`);
  });

  test('a resident without a contact officer links the assignment form', async () => {
    await visit(page, '/home');
    const unassigned = await nextTo('h3', 'Uten kontaktbetjent');
    const count = unassigned.heading.match(/^Uten kontaktbetjent \(nye, eller overført hit\): tildel en \((\d+)\)$/);
    assert.ok(count, `the list says how many: ${unassigned.heading}`);
    assert.equal(unassigned.tag, 'ul');
    const links = page.locator('main h3:has-text("Uten kontaktbetjent") + ul a');
    assert.equal(await links.count(), Number(count[1]), 'one link per resident');
    const first = links.first();
    const href = await first.getAttribute('href');
    const match = href.match(/^\/persons\/(\d+)\/contact-officers\/new$/);
    assert.ok(match, `the link leads to the assignment form: ${href}`);
    const name = (await first.textContent()).trim();
    await follow(page, page.locator(`main a[href="${href}"]`));
    assert.equal(here(page), href);
    assert.equal((await page.textContent('main h1')).trim(), `Tildel kontaktbetjent – ${name}`);
    const officers = await options(page, 'officer');
    assert.ok(officers.some((o) => o.value === 'contact'), `the unit's contact officer is offered: ${JSON.stringify(officers)}`);
    await axe(page, 'leader: contact-officer assignment form');
  });
});

// ---- 4. A leave application and the quota ------------------------------------------------------

describe('a leave application shows the leave date and the quota (prisoner, leader)', () => {
  const run = tag();
  const today = osloToday();
  const details = `Permisjon for å besøke familien (${run}).`;
  let prisoner;
  let leader;
  let leaveDate;
  let leaveRule;
  let wantedFrom;
  let wantedUntil;

  before(async () => {
    prisoner = await newPage(browser);
    await signIn(prisoner, 'prisoner');
    leader = await newPage(browser);
    await signIn(leader, 'leader');
  });
  after(async () => {
    for (const p of [prisoner, leader]) await p?.context().close();
  });

  test('the prisoner applies for leave after the leave date shown', async () => {
    await viaNav(prisoner, `/persons/${prisonerId}/decisions`, 'Mine søknader og vedtak');
    await follow(prisoner, prisoner.locator('main a', { hasText: 'Ny søknad' }));
    assert.equal(here(prisoner), `/persons/${prisonerId}/applications/new`);
    // The form says when leave becomes possible.
    const intro = (await prisoner.textContent('main h1 + p')).trim();
    const match = intro.match(/(?:: |; )permisjon (\d{4}-\d{2}-\d{2}) \((R-LEAVE-[16]), ([^)]+)\)/);
    assert.ok(match, `the form shows the leave date: ${intro}`);
    [, leaveDate, leaveRule] = match;
    assert.ok(intro.startsWith('Tidligste datoer etter reglene: '), intro);
    await axe(prisoner, 'prisoner: application form with the leave date');

    // Three days, starting a month from now or the day after the leave date, whichever is later.
    const month = addDays(today, 30);
    const dayAfter = addDays(leaveDate, 1);
    wantedFrom = month > dayAfter ? month : dayAfter;
    wantedUntil = addDays(wantedFrom, 2);
    await prisoner.selectOption('#kind', 'leave');
    await prisoner.fill('#details', details);
    await prisoner.fill('#wanted_from', wantedFrom);
    await prisoner.fill('#wanted_until', wantedUntil);
    const response = await submit(prisoner, saveButton(prisoner));
    assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(prisoner))}`);
    assert.equal(here(prisoner), `/persons/${prisonerId}/decisions`);
    const row = rowWith(await tableRows(prisoner, 'main section[aria-labelledby=applications] table'), details);
    assert.equal(row.cells[3], `${wantedFrom} – ${wantedUntil}`);
    assert.equal(row.cells[6], 'Til behandling (fengselsleder)');
    await axe(prisoner, 'prisoner: decisions page with the leave application');
  });

  test('the leader\'s decision form says what the rules say: the leave date and the quota', async () => {
    await viaNav(leader, '/in-tray', 'Til avgjørelse');
    const row = rowWith(await tableRows(leader, 'main section[aria-labelledby=applications] table'), details);
    const decide = row.links.find((h) => h.includes('/decisions/new?application='));
    assert.ok(decide, `the in-tray links the decision form: ${JSON.stringify(row)}`);
    await follow(leader, leader.locator(`main a[href="${decide}"]`));
    assert.equal(new URL(leader.url()).pathname, `/persons/${prisonerId}/decisions/new`);
    const intro = (await leader.textContent('main h1 + p')).trim();
    assert.ok(intro.includes(`«${details}»`), `the form quotes the application: ${intro}`);
    const reference = leaveRule === 'R-LEAVE-1' ? 'strgjfl § 33' : 'forvaringsforskriften § 11';
    assert.ok(intro.includes(`Mulig fra: ${leaveDate} (${leaveRule}, ${reference}).`), `the form shows the leave date: ${intro}`);
    // Three days of leave (from and until both count); none granted yet in that year.
    const year = wantedFrom.slice(0, 4);
    const rules =
      `Reglene sier: ordinær permisjon er mulig fra ${leaveDate} (${leaveRule}, ${reference}); ` +
      `0 + 3 dager er innenfor kvoten på 18 dager for ${year} (R-LEAVE-2, strgjfl § 33).`;
    assert.ok(intro.endsWith(rules), `the form says what the rules say:\n  ${intro}\nexpected it to end with\n  ${rules}`);
    await axe(leader, 'leader: decision form for the leave application');
  });
});
