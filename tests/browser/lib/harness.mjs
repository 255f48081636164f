// Shared helpers for the browser tests: the browser, signing in, axe-core checks, identity numbers.
//
// Run through `scripts/test-browser`, which starts a demo server and sets BASE_URL.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set: run the browser tests through scripts/test-browser');
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'halden-demo';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Launches the system chromium; never downloads a browser, never skips. */
export async function launch() {
  const options = {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
    ],
  };
  try {
    return await chromium.launch(options);
  } catch (e) {
    throw new Error(`Chromium (${CHROMIUM}) cannot start; the browser tests cannot run.\n${e.message}`);
  }
}

/** Closes the browser and prints which pages axe-core checked in this file. */
export async function finish(browser, file) {
  await browser?.close();
  const pages = checked.map((c) => `  ${c.violations === 0 ? 'ok ' : 'BAD'} ${c.where}`).join('\n');
  console.log(`axe-core (${AXE_TAGS.join(', ')}) checked ${checked.length} page states in ${file}:\n${pages}`);
}

/**
 * A fresh browser context (own cookies) and page on BASE_URL. Failing requests for the page's
 * own assets and uncaught script errors are collected in `page.problems` and checked by `axe()`.
 */
export async function newPage(browser) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'nb-NO' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // A Content-Security-Policy refusal shows up only in the console.
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      page.problems.push(`console on ${page.url()}: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    const url = new URL(r.url());
    if ((url.pathname.startsWith('/static/') || url.pathname.startsWith('/favicon')) && r.status() >= 400) {
      page.problems.push(`${r.status()} for ${url.pathname}`);
    }
  });
  return page;
}

/** Goes to `path` and asserts the HTTP status of the final answer (after redirects). */
export async function visit(page, path, status = 200) {
  const response = await page.goto(path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), status, `GET ${path}: status ${response.status()}, expected ${status} (at ${page.url()})`);
  return response;
}

/** The path (and query) the page is at. */
export function here(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Submits a form by clicking `button` and waits for the answer; returns the HTTP response. */
export async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    button.click(),
  ]);
  assert.ok(response, `no response after submitting a form on ${page.url()}`);
  return response;
}

/** Every page checked, with the number of violations, for the summary printed at the end. */
export const checked = [];

/** Formats axe violations so a failure says what is wrong, where, and how to fix it. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary ?? '').split('\n').map((l) => `          ${l}`).join('\n');
          return `      - target: ${n.target.join(' ')}\n        html: ${n.html}\n${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the current page and asserts no violation.
 * Also asserts no script error, CSP refusal or missing static asset was seen on the page.
 */
export async function axe(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  // Proof that axe really ran on this page (and was not, say, blocked by the CSP).
  assert.ok(results.passes.length > 0, `axe-core checked nothing on ${label} (${here(page)})`);
  const where = `${label} (${here(page)})`;
  checked.push({ where, violations: results.violations.length });
  const problems = page.problems.splice(0);
  assert.deepEqual(problems, [], `page problems on ${where}`);
  if (results.violations.length > 0) {
    assert.fail(
      `axe-core found ${results.violations.length} accessibility violation(s) on ${where}:\n` +
        formatViolations(results.violations),
    );
  }
  return results;
}

/** Signs in through the login form; asserts the landing on /home. */
export async function signIn(page, username, password = PASSWORD) {
  await visit(page, '/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  const response = await submit(page, page.locator('main form button[type=submit]'));
  assert.equal(response.status(), 200, `signing in as ${username}: status ${response.status()}`);
  assert.equal(new URL(page.url()).pathname, '/home', `signing in as ${username} lands on ${page.url()}`);
  return page;
}

/** The navigation links in the header: [{href, text}]. */
export async function navLinks(page) {
  return page.$$eval('header nav a', (links) =>
    links.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
  );
}

/** The person ids linked from a roll/caseload table, in order. */
export async function personIds(page) {
  const hrefs = await page.$$eval('#people a[href^="/persons/"]', (links) => links.map((a) => a.getAttribute('href')));
  return hrefs.map((h) => Number(h.split('/')[2])).filter((n) => Number.isInteger(n));
}

/** The error summary's items' text (empty when there is none). */
export async function errorSummary(page) {
  return page.$$eval('.error-summary li', (items) => items.map((li) => li.textContent.trim()));
}

/**
 * After a failed submit: the error summary has the focus (moved there by /static/halden.js), and
 * each of its links moves the focus to its field. `expected` lists `[id, label]` pairs the summary
 * must name; each such field is marked invalid and described by its error.
 */
export async function checkErrorSummary(page, expected) {
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  const items = await errorSummary(page);
  for (const [id, label] of expected) {
    assert.ok(items.some((s) => s.startsWith(`${label}: `)), `the summary names ${label}: ${JSON.stringify(items)}`);
    const link = page.locator(`.error-summary a[href="#${id}"]`).first();
    assert.equal(await link.count(), 1, `the summary links #${id}: ${JSON.stringify(items)}`);
    assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'true', `#${id} is marked invalid`);
    const group = await page.$eval(`#${id}`, (el) => el.closest('fieldset')?.id ?? null);
    const describedBy = (await page.getAttribute(group ? `#${group}` : `#${id}`, 'aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').some((d) => d.endsWith('-error')), `#${id} is described by its error: ${describedBy}`);
  }
  // Every message on the page is in the page's language (none marked as another).
  assert.equal(await page.locator('.error-summary [lang]').count(), 0, `a message not in the page's language: ${JSON.stringify(items)}`);
  // The first link moves the focus to its field.
  const first = page.locator('.error-summary a').first();
  const target = (await first.getAttribute('href')).slice(1);
  await first.click();
  await page.waitForFunction((id) => document.activeElement?.id === id, target);
  return items;
}

// ---- Norwegian identity numbers (fødselsnummer) --------------------------------------------

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function control(digits, weights) {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i], 0);
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c; // 10 has no control digit
}

/** The mod-11 rule: 11 digits whose two last ones are the control digits. */
export function identityNumberIsValid(text) {
  if (!/^\d{11}$/.test(text)) return false;
  const d = [...text].map(Number);
  const c1 = control(d, K1);
  if (c1 === 10 || c1 !== d[9]) return false;
  const c2 = control(d, K2);
  return c2 !== 10 && c2 === d[10];
}

/** Completes nine digits with their control digits, or null when none exists. */
export function withControls(firstNine) {
  const d = [...firstNine].map(Number);
  const c1 = control(d, K1);
  if (c1 === 10) return null;
  const c2 = control([...d, c1], K2);
  if (c2 === 10) return null;
  return `${firstNine}${c1}${c2}`;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * A fresh synthetic identity number (month + 80, as the test numbers of the population register)
 * with valid control digits, and the birth date it encodes (born 1940–1999).
 */
export function freshIdentity() {
  for (;;) {
    const day = randomInt(1, 29);
    const month = randomInt(1, 13);
    const year = randomInt(40, 100);
    // 400–499: born 1900–1999, in the range the demo never gives
    // (halden_sim::demo::RESERVED_INDIVIDUAL_NUMBERS), so a test's person is never a demo person.
    const individual = randomInt(400, 500);
    const number = withControls(`${pad(day)}${pad(month + 80)}${pad(year)}${pad(individual, 3)}`);
    if (number) {
      return { number, birthDate: `19${pad(year)}-${pad(month)}-${pad(day)}` };
    }
  }
}

/** A short random tag of capital-initial letters, for unique names in a shared database. */
export function tag(length = 6) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < length; i++) s += letters[randomInt(0, letters.length)];
  return s[0].toUpperCase() + s.slice(1);
}

/**
 * `YYYY-MM-DD`, `days` days from today (negative: ago) by the calendar, where today is the
 * server's: the day in Europe/Oslo (the machine running the tests may keep UTC, which is
 * yesterday from 22:00 or 23:00 UTC on).
 */
export function osloDate(days = 0) {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local value, Oslo time) `daysAgo` days ago at `hour`:00. */
export function localDateTime(daysAgo, hour) {
  return `${osloDate(-daysAgo)}T${pad(hour)}:00`;
}
