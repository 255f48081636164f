// Pre-sentence reports (personundersøkelse, straffeprosessloven § 161; issue 6, item 2): the
// probation officer records a court's request (wrong first: a deadline before the request, named),
// assigns it, writes the report (wrong first: a field left empty, named), prints it and delivers
// it; a request past its deadline is listed as overdue with its days. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, freshIdentity, launch, newPage, signIn, submit, tag, visit, osloDate } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'presentence.test.mjs');
});

const button = (page) => page.locator('main form.form button[type=submit]');

/** Fills the request form for a new person. */
async function fillRequest(page, family, requested, deadline) {
  const who = freshIdentity();
  await page.fill('#identity_number', who.number);
  await page.fill('#family_name', family);
  await page.fill('#given_names', 'Test');
  await page.fill('#birth_date', who.birthDate);
  await page.selectOption('#sex', 'female');
  await page.fill('#court', 'Oslo tingrett');
  await page.fill('#case_number', `26-${tag(4)}ENE-OTIR/01`);
  await page.fill('#requested', requested);
  await page.fill('#deadline', deadline);
}

describe('pre-sentence reports (probation officer)', () => {
  let page;
  let request;
  const family = `Undersøkt${tag()}`;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('a court request: a deadline before the request is named, then recorded', async () => {
    await visit(page, '/presentence');
    await axe(page, 'pre-sentence list');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main a[href="/presentence/new"]')]);
    await axe(page, 'request form');
    await fillRequest(page, family, osloDate(-10), osloDate(-12));
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['deadline', 'Frist']]);
    assert.equal(await page.inputValue('#family_name'), family, 'the values are kept');
    await axe(page, 'request form (failed submit)');
    await page.fill('#deadline', osloDate(20));
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    request = new URL(page.url()).pathname;
    assert.match(request, /^\/presentence\/\d+$/);
    const text = await page.textContent('main');
    assert.ok(text.includes(`Test ${family}`), 'the person is named');
    assert.ok(text.includes('bestilt'), 'the stage is requested');
    await axe(page, 'request page (requested)');
  });

  test('assign, write the report (an empty field named first), print and deliver', async () => {
    assert.ok(request);
    await visit(page, `${request}/assignment`);
    await axe(page, 'assignment form');
    await page.selectOption('#officer', 'probation');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main')).includes('tildelt saksbehandler'));

    await visit(page, `${request}/report`);
    await page.fill('#housing', 'Leier leilighet i Oslo.');
    await page.fill('#work', 'Fast ansatt som snekker.');
    await page.fill('#health', 'Ingen kjent sykdom.');
    await page.fill('#family', 'Bor med samboer og barn.');
    await page.fill('#motivation', 'Vil beholde jobben.');
    await page.selectOption('#community_sentence', 'suitable');
    await page.selectOption('#electronic_monitoring', 'not_suitable');
    await page.fill('#assessment', 'Egnet for samfunnsstraff med program.');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['substance_use', 'Rusmiddelbruk']]);
    await axe(page, 'report form (failed submit)');
    await page.fill('#substance_use', 'Ingen bruk oppgitt.');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    await axe(page, 'request page with the report');

    await visit(page, `${request}/document`);
    const doc = await page.textContent('main');
    for (const text of ['straffeprosessloven § 161', `Test ${family}`, 'Ingen bruk oppgitt.', 'Egnet for samfunnsstraff med program.', 'ikke egnet']) {
      assert.ok(doc.includes(text), `the printable report shows ${text}`);
    }
    await axe(page, 'printable report');

    await visit(page, `${request}/delivery`);
    assert.equal(await page.inputValue('#delivered'), osloDate(0), 'the form starts with today');
    await axe(page, 'delivery form');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main')).includes('levert retten'));
    await axe(page, 'request page (delivered)');
  });

  test('a request past its deadline and not delivered is listed as overdue', async () => {
    const late = `Forsinket${tag()}`;
    await visit(page, '/presentence/new');
    // Deadline three days ago (today − 3): overdue by 3 days.
    await fillRequest(page, late, osloDate(-30), osloDate(-3));
    const response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    await visit(page, '/presentence');
    const overdue = await page.textContent('#overdue');
    assert.ok(overdue.includes(`Test ${late}`), 'the late one is in the overdue table');
    assert.ok(overdue.includes('3 dager over fristen'), `its days are shown: ${overdue}`);
    assert.ok(!overdue.includes(`Test ${family}`), 'the delivered one is not');
    await axe(page, 'pre-sentence list with an overdue request');
  });
});
