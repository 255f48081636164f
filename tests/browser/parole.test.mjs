// The probation officer supervises a parolee through a missed report (issue 6, item 5): the
// office caseload links the parole supervision; the supervision shows the end of probation on the
// engine's date (R-PAR-4); the officer sets a daily reporting condition from the supervision's
// first day (a day before today, so that day passes unlogged), first with a wrong interval (the
// field named), then right; the missed report is flagged on the page and on the caseload; a
// breach and a warning (R-PAR-5) follow. Then the person, with their own account, sees their
// conditions and log read-only, and nobody else's. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, launch, newPage, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'parole.test.mjs');
});

const button = (page) => page.locator('main form.form button[type=submit]');
const PASSWORD = 'et langt første passord for prøveløslatt';

/** The supervision's first day, from the page's facts ("2026-11-01 – 2027-02-03"). */
async function supervisionStart(page) {
  const match = /(\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2})/.exec(await page.textContent('main dl.facts'));
  assert.ok(match, 'the page shows the supervision period');
  return match[1];
}

describe('parole supervision (probation officer, then the person)', () => {
  let page;
  let parole;
  let personId;
  let start;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the caseload links a parolee whose supervision began before today', async () => {
    await visit(page, '/probation');
    const links = await page.$$eval('main a[href$="/parole"]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0, 'someone is on parole at the office');
    for (const link of links) {
      await visit(page, `${link}/report`);
      const today = await page.inputValue('#date');
      await visit(page, link);
      const first = await supervisionStart(page);
      const untouched = (await page.locator('main ul.conditions').count()) === 0;
      if (first < today && untouched) {
        parole = link;
        start = first;
        break;
      }
    }
    assert.ok(parole, `a parolee supervised since before today, among ${links.length}`);
    personId = Number(parole.split('/')[2]);
    const text = await page.textContent('main');
    assert.ok(text.includes('R-PAR-4'), 'the end of probation names its rule');
    assert.ok(text.includes('Ingen uteblitte oppmøter'), 'nothing is due before a schedule is set');
    await axe(page, 'parole supervision before conditions');
  });

  test('a daily reporting duty: wrong, then right; the unlogged day is missed', async () => {
    assert.ok(parole);
    await visit(page, `${parole}/reporting`);
    assert.equal(await page.inputValue('#from'), start, 'the condition starts with the supervision');
    await axe(page, 'reporting condition form');
    await page.fill('#every_days', 'daglig');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['every_days', 'Antall dager mellom oppmøtene']]);
    await axe(page, 'reporting condition form (failed submit)');
    await page.fill('#every_days', '1');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, parole);

    // Every day from the supervision's first day, and nothing logged: that first day (before
    // today) is missed, and flagged.
    const missed = await page.$$eval('main ul.missed li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(missed.length >= 1, `missed reports are listed: ${missed}`);
    assert.equal(missed[0], `Ikke møtt: ${start}`);
    assert.ok((await page.locator('main table.due tr.missed').count()) >= 1, 'the schedule marks it');
    await axe(page, 'parole supervision with a missed report');

    await visit(page, '/probation');
    const row = page.locator('main tr', { has: page.locator(`a[href="${parole}"]`) });
    assert.ok((await row.textContent()).includes('uteblitte oppmøter'), 'the caseload flags the missed reports');
  });

  test('a breach of the reporting duty, then a warning (R-PAR-5)', async () => {
    assert.ok(parole);
    await visit(page, `${parole}/breach`);
    await page.selectOption('#condition', 'reporting');
    await page.fill('#description', `Møtte ikke ${start}`);
    let response = await submit(page, button(page));
    assert.equal(response.status(), 200);

    await visit(page, `${parole}/warning`);
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['description', 'Beskrivelse']]);
    await axe(page, 'warning form (failed submit)');
    await page.fill('#description', 'Skriftlig advarsel om meldeplikten');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const text = await page.textContent('main');
    assert.ok(text.includes('advart'), 'the stage is warned');
    assert.ok(text.includes('Skriftlig advarsel om meldeplikten'), 'the warning is in the log');
    await axe(page, 'parole supervision after a warning');
  });

  test('the person sees their own conditions and log, read-only, and nobody else', async () => {
    assert.ok(personId);
    // An account for the person (administrator).
    const admin = await newPage(browser);
    await signIn(admin, 'admin');
    await visit(admin, '/accounts/new');
    const username = `parolee${Date.now()}`;
    await admin.fill('#username', username);
    await admin.fill('#display_name', 'Prøveløslatt Nettleser');
    await admin.fill('#password', PASSWORD);
    await admin.selectOption('#role', 'prisoner');
    await admin.fill('#person_id', String(personId));
    const response = await submit(admin, button(admin));
    assert.equal(response.status(), 200);
    assert.equal(new URL(admin.url()).pathname, '/accounts');
    await admin.context().close();

    const own = await newPage(browser);
    try {
      await signIn(own, username, PASSWORD);
      await visit(own, parole);
      const text = await own.textContent('main');
      assert.ok(text.includes('Meldeplikt: hver 1. dag'), `the reporting condition: ${text}`);
      assert.ok(text.includes('Skriftlig advarsel om meldeplikten'), 'the log');
      assert.equal(await own.locator('main ul.actions').count(), 0, 'no forms');
      assert.equal(await own.locator('main a[href*="corrects="]').count(), 0, 'no corrections');
      await axe(own, 'own parole supervision (the person)');
      await visit(own, `${parole}/report`, 403);
      await visit(own, `/persons/${personId + 1}/parole`, 404);
    } finally {
      await own.context().close();
    }
  });
});
