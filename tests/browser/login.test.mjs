// Sign-in, sign-out and the language switch.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axe,
  checkErrorSummary,
  finish,
  identityNumberIsValid,
  freshIdentity,
  launch,
  newPage,
  signIn,
  submit,
  visit,
} from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'login.test.mjs');
});

describe('the identity-number helper', () => {
  test('implements the mod-11 rule', () => {
    assert.ok(identityNumberIsValid('15076500565'));
    assert.ok(!identityNumberIsValid('15076500566'));
    assert.ok(!identityNumberIsValid('1507650056'));
    for (let i = 0; i < 50; i++) {
      const { number, birthDate } = freshIdentity();
      assert.ok(identityNumberIsValid(number), number);
      assert.ok(Number(number.slice(2, 4)) > 80, number);
      assert.match(birthDate, /^19\d\d-\d\d-\d\d$/);
    }
  });
});

describe('sign in', () => {
  test('the empty login form is accessible', async () => {
    const page = await newPage(browser);
    await visit(page, '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    assert.equal(await page.locator('input[type=hidden][name=csrf]').count(), 1, 'hidden csrf field');
    await axe(page, 'login (empty)');
    await page.context().close();
  });

  test('the root sends a visitor to sign in, and a signed-out page too', async () => {
    const page = await newPage(browser);
    await visit(page, '/');
    assert.equal(new URL(page.url()).pathname, '/login');
    await visit(page, '/home');
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.context().close();
  });

  test('a wrong password shows the error summary and keeps the username', async () => {
    const page = await newPage(browser);
    await visit(page, '/login');
    await page.fill('#username', 'officer');
    await page.fill('#password', 'not-the-password');
    const response = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(response.status(), 400);
    assert.equal(new URL(page.url()).pathname, '/login');
    const summary = await checkErrorSummary(page, [['password', 'Passord']]);
    assert.deepEqual(summary, ['Passord: feil brukernavn eller passord']);
    assert.equal(await page.getAttribute('#username', 'aria-invalid'), null, 'the username is not blamed');
    assert.equal(await page.inputValue('#username'), 'officer');
    assert.equal(await page.inputValue('#password'), '');
    await axe(page, 'login (wrong password)');

    // The page answers with a fresh form that works.
    await page.fill('#password', 'halden-demo');
    const ok = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(ok.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/home');
    await page.context().close();
  });

  test('an empty submit names both fields', async () => {
    const page = await newPage(browser);
    await visit(page, '/login');
    // The fields are `required`: submit without the browser's own validation.
    await page.$eval('main form', (f) => f.setAttribute('novalidate', ''));
    const response = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(response.status(), 400);
    const summary = await checkErrorSummary(page, [['username', 'Brukernavn'], ['password', 'Passord']]);
    assert.deepEqual(summary, ['Brukernavn: må fylles ut', 'Passord: må fylles ut']);
    await axe(page, 'login (empty submit)');
    await page.context().close();
  });

  test('in English, the errors are in English', async () => {
    const page = await newPage(browser);
    await visit(page, '/login');
    await Promise.all([page.waitForNavigation(), page.click('header a[lang=en]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const response = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(response.status(), 400);
    const summary = await checkErrorSummary(page, [['username', 'Username'], ['password', 'Password']]);
    assert.deepEqual(summary, ['Username: is required', 'Password: is required']);
    await axe(page, 'login in English (empty submit)');
    await page.context().close();
  });

  test('signing out ends the session', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'halden_session');
    assert.ok(session, `session cookie set: ${cookies.map((c) => c.name)}`);
    assert.ok(session.secure && session.httpOnly, 'the session cookie is Secure and HttpOnly');
    await submit(page, page.locator('header form[action="/logout"] button'));
    assert.equal(new URL(page.url()).pathname, '/login');
    await visit(page, '/home');
    assert.equal(new URL(page.url()).pathname, '/login', 'signed out: /home sends to /login');
    await page.context().close();
  });
});

describe('language', () => {
  test('switching to English and back', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    await visit(page, '/lang/en?back=/home');
    assert.equal(new URL(page.url()).pathname, '/home');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const signOut = page.locator('header form[action="/logout"] button');
    assert.equal((await signOut.textContent()).trim(), 'Sign out');
    assert.equal((await page.textContent('main h1')).trim(), 'Home');
    await axe(page, 'home (English)');

    // English survives navigation, and the pages stay accessible in English.
    await visit(page, '/roll');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await axe(page, 'roll (English)');
    await visit(page, '/admissions/new');
    await axe(page, 'admission form (English)');

    // The header link switches back, to the same page.
    const back = page.locator('header .session a[lang="nb"]');
    assert.equal(await back.getAttribute('href'), '/lang/nb?back=/admissions/new');
    await Promise.all([page.waitForNavigation(), back.click()]);
    assert.equal(new URL(page.url()).pathname, '/admissions/new');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    await page.context().close();
  });

  test('the login page in English', async () => {
    const page = await newPage(browser);
    await visit(page, '/lang/en?back=/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('main h1')).trim(), 'Sign in');
    await axe(page, 'login (English)');
    await page.context().close();
  });

  test('the switch never redirects off the site', async () => {
    const page = await newPage(browser);
    await visit(page, '/lang/en?back=//example.org/');
    assert.equal(new URL(page.url()).origin, new URL(process.env.BASE_URL).origin);
    await page.context().close();
  });
});
