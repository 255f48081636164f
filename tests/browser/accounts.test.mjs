// The administrator's account pages: the list, a new account wrong and right, and disabling it
// with and without a reason. axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, launch, newPage, signIn, submit, tag, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'accounts.test.mjs');
});

const button = (page) => page.locator('main form.form button[type=submit]');

describe('accounts (administrator)', () => {
  let page;
  const username = `nett${tag()}`.toLowerCase();

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'admin');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the list of accounts', async () => {
    await visit(page, '/accounts');
    const names = await page.$$eval('main table:first-of-type tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent.trim()),
    );
    for (const demo of ['officer', 'contact', 'leader', 'admin']) {
      assert.ok(names.includes(demo), `${demo} is listed: ${names}`);
    }
    await axe(page, 'accounts list');
  });

  test('a new account: wrong, then right', async () => {
    await visit(page, '/accounts/new');
    await axe(page, 'new account form (empty)');
    await page.fill('#display_name', 'Nettleser Testesen');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [
      ['username', 'Brukernavn'],
      ['password', 'Første passord'],
      ['role', 'Rolle'],
    ]);
    assert.equal(await page.inputValue('#display_name'), 'Nettleser Testesen', 'values are kept');
    await axe(page, 'new account form (failed submit)');

    await page.fill('#username', username);
    await page.fill('#password', 'et langt første passord');
    await page.selectOption('#role', 'officer');
    response = await submit(page, button(page));
    assert.equal(response.status(), 400, 'an officer needs a unit');
    await checkErrorSummary(page, [['scope', 'Ansvarsområde']]);

    await page.fill('#password', 'et langt første passord');
    await page.selectOption('#scope', 'Oslo fengsel');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/accounts');
    assert.ok((await page.textContent('main')).includes('Nettleser Testesen'));
    await axe(page, 'accounts list after creating one');
  });

  test('disabling the account needs a reason', async () => {
    await visit(page, '/accounts');
    await page.locator('main table tbody tr', { hasText: username }).locator('a').click();
    await page.waitForURL(/\/accounts\/\d+\/disable$/);
    await axe(page, 'disable account form');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['reason', 'Begrunnelse']]);
    await axe(page, 'disable account form (failed submit)');
    await page.fill('#reason', 'Nettleser-test: sluttet');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const row = page.locator('main table tbody tr', { hasText: username }).first();
    assert.match(await row.textContent(), /sperret/);
    assert.ok((await page.textContent('main')).includes('Nettleser-test: sluttet'), 'the reason is logged');
  });
});
