// The probation officer runs the programme against intoxicated driving (R-PROG-1; issue 6, item
// 6): the office caseload links a participant awaiting enrolment; the programme page shows the
// court's condition (24 hours, 12 months of supervision) with its rule and unconfirmed §; the
// officer enrols them (first without the group: the field named), records a session whose hours
// are not a time (the field named), then a wrong session (10 hours for 12) and corrects it with a
// reason; completion is refused while hours remain; a second session of 12 hours credits all 24
// (12:00 + 12:00 = 24:00 of 24:00) and the programme is completed. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, launch, newPage, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'programme.test.mjs');
});

const button = (page) => page.locator('main form.form button[type=submit]');

describe('the programme against intoxicated driving (probation officer)', () => {
  let page;
  let programme;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the caseload links a participant awaiting enrolment', async () => {
    await visit(page, '/probation');
    const links = await page.$$eval('main a[href$="/programme"]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0, 'someone at the office is in the programme');
    for (const link of links) {
      const row = page.locator('main tr', { has: page.locator(`a[href="${link}"]`) });
      if ((await row.textContent()).includes('venter på oppstart')) {
        programme = link;
        break;
      }
    }
    assert.ok(programme, `a participant awaiting enrolment, among ${links.length}`);
    await visit(page, programme);
    const text = await page.textContent('main');
    assert.ok(text.includes('24 timer undervisning og behandling, 12 måneders oppfølging'), `the condition: ${text}`);
    assert.ok(text.includes('R-PROG-1'), 'the rule is named');
    assert.ok(text.includes('ikke bekreftet'), 'the § is marked unconfirmed');
    assert.ok(text.includes('0:00 av 24:00'), 'nothing credited yet');
    await axe(page, 'programme awaiting enrolment');
  });

  test('enrolment: without the group, then with it; the supervision period is shown', async () => {
    assert.ok(programme);
    await visit(page, `${programme}/enrolment`);
    await axe(page, 'enrolment form');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['group', 'Gruppe eller kurs']]);
    await axe(page, 'enrolment form (failed submit)');
    await page.fill('#group', 'Nettlesergruppen');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, programme);
    const facts = await page.textContent('main dl.facts');
    assert.ok(facts.includes('i programmet'), `the stage: ${facts}`);
    assert.ok(/\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/.test(facts), 'the supervision period with its end date');
    await axe(page, 'programme after enrolment');
  });

  test('a session: hours that are not a time, then a wrong one corrected', async () => {
    assert.ok(programme);
    await visit(page, `${programme}/session`);
    await axe(page, 'session form');
    await page.selectOption('#session_kind', 'teaching');
    await page.fill('#hours', 'tolv timer');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['hours', 'Timer']]);
    await axe(page, 'session form (failed submit)');
    // Recorded wrongly as 10 hours …
    await page.fill('#hours', '10');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main dl.facts')).includes('10:00 av 24:00'));
    // … and corrected to 12, with a reason.
    const correct = page.locator('main table.log a[href*="/session?corrects="]').first();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), correct.click()]);
    assert.equal(await page.inputValue('#hours'), '10:00', 'the correction starts from the record');
    await page.fill('#hours', '12');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['correction_reason', 'Begrunnelse for rettelsen']]);
    await axe(page, 'session correction (failed submit)');
    await page.fill('#correction_reason', 'Feil antall timer');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const text = await page.textContent('main');
    assert.ok(text.includes('12:00 av 24:00'), `12 hours credited: ${text}`);
    assert.ok(text.includes('Feil antall timer'), 'the correction with its reason is in the log');
    await axe(page, 'programme after a corrected session');
  });

  test('completion only when every hour is credited', async () => {
    assert.ok(programme);
    await visit(page, `${programme}/completion`);
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400, 'refused with 12 hours left');
    const summary = await page.textContent('.error-summary');
    assert.ok(summary.includes('720 av 1440 minutter'), summary);
    await axe(page, 'completion form (refused)');

    await visit(page, `${programme}/session`);
    await page.selectOption('#session_kind', 'treatment');
    await page.fill('#hours', '12:00');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main dl.facts')).includes('24:00 av 24:00'));

    await visit(page, `${programme}/completion`);
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const facts = await page.textContent('main dl.facts');
    assert.ok(facts.includes('fullført'), `completed: ${facts}`);
    await axe(page, 'programme completed');

    await visit(page, '/probation');
    const row = page.locator('main tr', { has: page.locator(`a[href="${programme}"]`) });
    assert.ok((await row.textContent()).includes('fullført'), 'the caseload shows the stage');
  });
});
