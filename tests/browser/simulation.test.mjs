// The population simulator's pages (issue 7): an analyst opens the scenario form (prefilled with
// the Norway example), submits a broken scenario and is told the key and line, then runs a small
// toy scenario, sees the progress and then the fan charts with the figures. The toy's answer is
// worked by hand: 365 sentences a year of 90 days, parole at 2/3 on day max(ceil(2·90/3), 60) = 60,
// so about 60 in prison and 30 on parole (Little's law); the policy (parole at 1/2) gives the same
// because the 60-day minimum binds, so the delta is 0. axe-core on every page state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, errorSummary, finish, launch, newPage, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'simulation.test.mjs');
});

const TOY = `seed = 1
years = 2
burn_in_days = 200
replications = 20

[[admissions]]
kind = "prison"
per_year = 365
sentence_days = 90

[rules]
parole_fraction = "2/3"

[policy]
start_day = 0
retroactive = false
parole_fraction = "1/2"
`;

describe('simulation', () => {
  test('an analyst runs a scenario, sees progress, then the chart with its bands', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await visit(page, '/simulation');
    const text = await page.inputValue('#scenario');
    assert.match(text, /Norway 2019/, 'the form starts from the Norway example');
    await axe(page, 'analyst: /simulation');

    // A broken scenario: the key and its line are named, the text is kept.
    const broken = TOY.replace('per_year = 365', 'per_year = -1');
    await page.fill('#scenario', broken);
    const refused = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(refused.status(), 400);
    const items = await errorSummary(page);
    assert.ok(items.some((s) => s.startsWith('admissions[0].per_year (linje 8)')), JSON.stringify(items));
    assert.equal(await page.inputValue('#scenario'), broken);
    await axe(page, 'analyst: /simulation with errors');

    // The toy runs: the run page shows progress, then (htmx reloads it) the result.
    await page.fill('#scenario', TOY);
    const started = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(started.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/simulation\/runs\/[0-9a-f]{24}$/);
    const progress = page.locator('#progress');
    if ((await progress.count()) > 0) {
      assert.equal(await progress.getAttribute('role'), 'status');
      await axe(page, 'analyst: a simulation in progress');
    }
    await page.waitForSelector('svg.chart', { timeout: 60_000 });
    assert.equal(await page.locator('svg.chart').count(), 2, 'the total and the delta charts');
    assert.ok((await page.locator('svg.chart polygon').count()) >= 2, 'P10–P90 bands');
    const cells = await page.$$eval('main table tbody tr', (rows) =>
      rows.map((r) => [r.querySelector('th').textContent.trim(), ...[...r.querySelectorAll('td')].map((td) => Number(td.textContent))]),
    );
    const prison = cells.find((r) => r[0] === 'fengsel');
    const parole = cells.find((r) => r[0] === 'prøveløslatt');
    assert.ok(Math.abs(prison[1] - 60) < 4, `prison ≈ 60: ${prison}`);
    assert.ok(Math.abs(parole[1] - 30) < 3, `parole ≈ 30: ${parole}`);
    assert.equal(prison[9], 0, `the delta of prison is 0 (the 60-day minimum binds): ${prison}`);
    // Beside the bands, the expected steady state by cohort arithmetic, exact: 1 a day × 90 days,
    // parole day max(ceil(2·90/3), 60) = 60 under 2/3 and max(45, 60) = 60 under 1/2 →
    // prison 60, parole 30, and no difference.
    const steady = await page.$$eval('main table', (tables) => {
      const t = tables.find((x) => x.querySelector('caption')?.textContent.startsWith('Forventet likevekt'));
      return t
        ? [...t.querySelectorAll('tbody tr')].map((r) => [r.querySelector('th').textContent.trim(), ...[...r.querySelectorAll('td')].map((td) => td.textContent.trim())])
        : null;
    });
    assert.ok(steady, 'the expected steady state is shown');
    assert.deepEqual(steady.find((r) => r[0] === 'fengsel'), ['fengsel', '60.0', '60.0', '+0.0']);
    assert.deepEqual(steady.find((r) => r[0] === 'prøveløslatt'), ['prøveløslatt', '30.0', '30.0', '+0.0']);
    await axe(page, 'analyst: a finished simulation');
    await page.context().close();
  });

  test('an officer may not simulate (403)', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    await visit(page, '/simulation', 403);
    await axe(page, 'officer: /simulation (403)');
    await page.context().close();
  });
});
