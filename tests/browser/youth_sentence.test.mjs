// The youth sentence at the mediation service's boundary (issue 6, item 8; R-YOUTH-3): national
// placement imports a court file with a youth sentence (ungdomsstraff, strl § 52 a), sees on the
// person page that the mediation service (konfliktrådet) executes it, with the execution period's
// end (R-YOUTH-3, strl § 52 b), and that the person is not in the serving queue; records the
// handover to the mediation service; records the district court's § 52 c order, first with more
// days than the alternative sentence (the field named), then 90 of the 120 days; and finds the
// person in the serving queue with the R-INNK-1 and R-QUEUE-1 dates. Every expected date is
// computed here from the rules, never read back from the page. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axe,
  checkErrorSummary,
  errorSummary,
  finish,
  freshIdentity,
  launch,
  newPage,
  signIn,
  submit,
  tag,
  visit,
} from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'youth_sentence.test.mjs');
});

const saveButton = (page) => page.locator('main form.form button[type=submit]');
const pad = (n) => String(n).padStart(2, '0');

/** Today in Norway, `YYYY-MM-DD` (the server's `today`). */
function osloToday() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
}

/** `YYYY-MM-DD`, `days` days from `from`. */
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

describe('a youth sentence: the boundary, the handover and the § 52 c order (placement)', () => {
  const run = tag();
  const today = osloToday();
  const family = `Ungdom${run}`;
  const identity = freshIdentity();
  // 16 at the act: born 16 years and 100 days before it.
  const offence = addDays(today, -200);
  const birth = addDays(addMonths(offence, -16 * 12), -100);
  const decision = addDays(today, -120);
  const final = addDays(today, -100);
  // R-YOUTH-3 (strl § 52 b): 12 months from the first day (the day the judgment became final);
  // day k of the period is start + k − 1, so the last day is start + 12 months − 1 day.
  const periodEnd = addDays(addMonths(final, 12), -1);
  // § 52 c: ordered 30 days ago, received 10 days ago; R-INNK-1: serving within 60 days of
  // receipt; R-QUEUE-1: counted two calendar months after receipt.
  const decidedOn = addDays(today, -30);
  const received = addDays(today, -10);
  const latestStart = addDays(received, 60);
  const countedFrom = addMonths(received, 2);
  let page;
  let personId;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'placement');
  });
  after(async () => {
    await page?.context().close();
  });

  test('placement imports a court file with a youth sentence', async () => {
    const file = {
      format: 'halden-court-file/1',
      court: 'Oslo tingrett',
      judgments: [
        {
          person: {
            identity_number: identity.number,
            family_name: family,
            given_names: 'Nettleser',
            birth_date: birth,
            sex: 'female',
            citizenship: 'NO',
            languages: ['nb'],
            home_municipality: 'Oslo',
          },
          case_number: `26-${Date.now() % 1_000_000}ENE-OTIR/${run}`,
          decision_date: decision,
          final_date: final,
          offence_date: offence,
          youth_sentence: { execution_period_months: 12, alternative_days: 120 },
        },
      ],
    };
    await visit(page, '/import');
    await page.setInputFiles('#file', {
      name: `${run}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file, null, 2)),
    });
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, `imported: ${JSON.stringify(await errorSummary(page))}`);
    assert.equal((await page.textContent('main p.success')).trim(), 'Importert: 1');
    await axe(page, 'placement: import form (youth sentence imported)');
  });

  test('the queue does not list the person; the person page shows the boundary', async () => {
    await visit(page, '/queue');
    assert.ok(!(await page.textContent('main')).includes(family), 'a youth sentence waits in no queue');
    await visit(page, `/roll?q=${family}`);
    const link = page.locator(`main a:has-text("${family}")`).first();
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /^\/persons\/\d+$/);
    personId = Number(href.split('/')[2]);
    await visit(page, `/persons/${personId}`);
    const section = await page.textContent('main section[aria-labelledby="youth-sentence"]');
    assert.ok(section.includes('Gjennomføres av konfliktrådet, strl § 52 a, R-YOUTH-3'), section);
    assert.ok(section.includes('Halden har ikke noe innhold fra ungdomsplanen'), section);
    assert.ok(section.includes(periodEnd), `the execution period ends ${periodEnd}: ${section}`);
    assert.ok(section.includes('R-YOUTH-3 (strl § 52 b)'), section);
    await axe(page, 'placement: person page with a youth sentence');
  });

  test('placement records the handover to the mediation service', async () => {
    await visit(page, `/persons/${personId}/youth`);
    assert.ok((await page.textContent('main')).includes(periodEnd));
    await axe(page, 'placement: youth sentence page');
    await visit(page, `/persons/${personId}/youth/handover`);
    await axe(page, 'placement: handover form');
    await page.fill('#mediation_service', 'Konfliktrådet i Oslo');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, JSON.stringify(await errorSummary(page)));
    assert.ok((await page.textContent('main ul.handovers')).includes(`Konfliktrådet i Oslo overført ${today}`));
  });

  test('the § 52 c order: too many days is named, then 90 of 120 days', async () => {
    await visit(page, `/persons/${personId}/youth/order`);
    await axe(page, 'placement: § 52 c order form');
    await page.fill('#court', 'Oslo tingrett');
    await page.fill('#case_number', `26-${run}ENE-OTIR/02`);
    await page.fill('#decided_on', decidedOn);
    await page.fill('#days', '121');
    await page.fill('#received', received);
    let response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['days', 'Dager som skal fullbyrdes']]);
    await axe(page, 'placement: § 52 c order form (failed submit)');
    await page.fill('#days', '90');
    response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200, JSON.stringify(await errorSummary(page)));
    const text = await page.textContent('main');
    assert.ok(text.includes(`seneste soningsstart (R-INNK-1) ${latestStart}`), text);
    assert.ok(text.includes(`i soningskøen fra (R-QUEUE-1) ${countedFrom}`), text);
    await axe(page, 'placement: youth sentence page with the order');
  });

  test('the ordered days wait in the serving queue like any received judgment', async () => {
    await visit(page, '/queue');
    const rows = await page.$$eval('main table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    const row = rows.find((cells) => cells[0].includes(family));
    assert.ok(row, 'the person is in the serving queue');
    assert.equal(row[2], received, 'received the day the order was');
    assert.equal(row[3], latestStart, 'R-INNK-1: serving within 60 days of receipt');
    assert.equal(row[5], `ikke ennå (fra ${countedFrom})`, 'R-QUEUE-1: two calendar months after receipt');
    await axe(page, 'placement: queue with the ordered days');
  });
});
