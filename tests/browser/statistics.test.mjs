// Official statistics (issue 7): the analyst opens the statistics page, every chart renders as
// inline SVG with its title and is followed by its data table, a report downloads as CSV, the
// page answers a bad date with an error naming the field; the published set opens signed out
// and shows the same figures as the public API. axe-core on every page state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, finish, launch, newPage, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'statistics.test.mjs');
});

/** Every chart on the page: its accessible name, how many marks it draws, and whether a data
 * table follows it inside the same figure. */
async function charts(page) {
  return page.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('svg');
      const id = svg?.getAttribute('aria-labelledby')?.split(' ')[0];
      return {
        role: svg?.getAttribute('role'),
        title: id ? document.getElementById(id)?.textContent?.trim() : undefined,
        marks: svg ? svg.querySelectorAll('path[d^="M"], rect').length : 0,
        table: f.querySelector('svg + table') !== null,
        rows: f.querySelectorAll('table tbody tr').length,
      };
    }),
  );
}

describe('statistics', () => {
  test('the analyst opens the statistics, the charts render, a report downloads', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await page.click('header nav a[href="/statistics"]');
    await page.waitForLoadState('load');
    assert.equal((await page.textContent('main h1')).trim(), 'Offisiell statistikk fra registeret');
    const found = await charts(page);
    // Month-end stock, queue, age bands and flows.
    assert.ok(found.length >= 4, `charts: ${JSON.stringify(found)}`);
    for (const c of found) {
      assert.equal(c.role, 'img');
      assert.ok(c.title && c.title.length > 0, 'every chart has a title');
      assert.ok(c.marks > 0, `${c.title} draws something`);
      assert.ok(c.table && c.rows > 0, `${c.title} is followed by its data table`);
    }
    const sections = await page.$$eval('main section h2', (hs) => hs.map((h) => h.textContent.trim()));
    assert.deepEqual(sections, [
      'Månedlige nøkkeltall (KDI)',
      'SPACE I (Europarådet)',
      'SPACE II (Europarådet)',
      'Årstall (SSB Fengslinger)',
      'Nordisk kriminalomsorgsstatistikk (tabell x.4)',
    ]);
    // No person: the page links to no person page.
    assert.equal(await page.locator('main a[href^="/persons/"]').count(), 0);
    await axe(page, 'analyst: /statistics');

    // The annual report as CSV, through the page's own download link (the session's cookie).
    const href = await page.getAttribute('#annual a:has-text("CSV")', 'href');
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    const text = await csv.text();
    assert.ok(text.startsWith('table,row,column,value,unit,numerator,denominator,status,reference_date,period,note'), text.slice(0, 200));
    assert.match(text, /\nreconciliation,total_excl_em,residual,0,count/);

    // Counting EM in: the form keeps the choice; a bad year names its field.
    await page.check('#stat-em');
    await submit(page, page.locator('main form.inline-form button[type=submit]'));
    assert.equal(await page.isChecked('#stat-em'), true);
    assert.match(await page.textContent('#space1'), /elektronisk kontroll er med/);
    await axe(page, 'analyst: /statistics with EM');
    await visit(page, '/statistics?year=12345');
    assert.match(await page.textContent('main .error-summary'), /year/);
    await axe(page, 'analyst: /statistics with a bad year');
    await page.context().close();
  });

  test('the published statistics open signed out and agree with the public API', async () => {
    const page = await newPage(browser);
    await visit(page, '/statistics/public');
    assert.equal((await page.textContent('main h1')).trim(), 'Publisert statistikk');
    assert.equal(await page.locator('header .session form').count(), 0, 'nobody is signed in');
    const found = await charts(page);
    assert.ok(found.length >= 1 && found.every((c) => c.marks > 0 && c.table));
    await axe(page, 'signed out: /statistics/public');
    const api = await (await page.request.get('/api/v1/statistics/public')).json();
    const inmates = await page.$eval('#monthly > table', (t) => {
      const row = [...t.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')?.textContent.trim() === 'innsatte');
      return row?.querySelector('td')?.textContent.trim();
    });
    assert.equal(inmates, String(api.monthly.figures.inmates));
    assert.ok(api.monthly.figures.inmates > 0, 'the demo has people in custody');
    await page.context().close();
  });
});
