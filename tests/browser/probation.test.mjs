// The probation officer runs a community sentence from intake to completion (issue 6): the
// office's caseload, the sentence with its R-SAMF-4 reduction, the intake meeting, a plan item,
// hours wrong and right, a correction with its reason, and sessions until every hour is credited;
// then completion. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, launch, newPage, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'probation.test.mjs');
});

const button = (page) => page.locator('main form.form button[type=submit]');

/** The minutes left, read from the form's intro ("Gjenstår: 112:00"). */
async function remaining(page) {
  const intro = await page.textContent('main p');
  const match = /Gjenstår: (\d+):(\d\d)/.exec(intro ?? '');
  assert.ok(match, `the form says what remains: ${intro}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

describe('community sentence (probation officer)', () => {
  let page;
  let community;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the office caseload links the community sentences', async () => {
    await visit(page, '/probation');
    await axe(page, 'office caseload');
    const headings = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent.trim()));
    assert.deepEqual(headings, [
      'Personer ved ditt kontorsted',
      'Personer under oppfølging per kontorsted',
      'Saksmengde per saksbehandler (hele kontoret)',
    ]);
    const links = await page.$$eval('main a[href$="/community"]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0, 'someone serves a community sentence');
    // The first one whose judgment is registered (the demo gives one to those without history).
    for (const link of links) {
      await visit(page, link);
      if ((await page.locator('main dl.facts').count()) > 0) {
        community = link;
        break;
      }
    }
    assert.ok(community, `a community sentence with its judgment among ${links.length}`);
    const text = await page.textContent('main');
    assert.ok(text.includes('R-SAMF'), 'the reduction names its rule');
    await axe(page, 'community sentence before intake');
  });

  test('intake, a plan item, hours wrong and right, a correction, completion', async () => {
    assert.ok(community);
    await visit(page, `${community}/intake`);
    await axe(page, 'intake form');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 200, 'the intake on today (the form starts with today)');
    assert.equal(new URL(page.url()).pathname, community);

    await visit(page, `${community}/plan`);
    await page.selectOption('#activity', 'unpaid_work');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['description', 'Beskrivelse']]);
    await axe(page, 'plan form (failed submit)');
    await page.fill('#description', 'Kirkens bymisjon, kafé');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);

    await visit(page, `${community}/session`);
    await page.fill('#hours', 'fire');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['hours', 'Timer']]);
    await axe(page, 'session form (failed submit)');
    await page.fill('#hours', '4,5');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);

    // Correct the 4,5 hours to 4 with a reason.
    const correct = page.locator('main table a', { hasText: 'Rett' }).first();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), correct.click()]);
    assert.equal(await page.inputValue('#hours'), '4:30');
    await axe(page, 'correction form');
    await page.fill('#hours', '4');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['reason', 'Begrunnelse for rettelsen']]);
    await page.fill('#hours', '4');
    await page.fill('#reason', 'gikk en halvtime tidligere');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main')).includes('gikk en halvtime tidligere'));
    await axe(page, 'community sentence with a correction');

    // Completion is refused while hours remain.
    await visit(page, `${community}/completion`);
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await axe(page, 'completion refused');

    // Sessions of up to 12 hours until nothing remains.
    for (;;) {
      await visit(page, `${community}/session`);
      const left = await remaining(page);
      if (left === 0) break;
      const minutes = Math.min(left, 720);
      await page.fill('#hours', `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`);
      response = await submit(page, button(page));
      assert.equal(response.status(), 200, `a session of ${minutes} minutes`);
    }
    await visit(page, `${community}/completion`);
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const text = await page.textContent('main');
    assert.ok(text.includes('fullført'), 'the stage is completed');
    await axe(page, 'community sentence completed');
  });
});
