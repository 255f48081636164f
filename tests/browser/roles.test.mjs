// Every role signs in, lands on /home and walks every page its navigation links to, and a person
// page from its roll or caseload; refusals (403, 404 and breaking the glass). axe-core on each page.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, checkErrorSummary, finish, launch, navLinks, newPage, personIds, signIn, submit, visit } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'roles.test.mjs');
});

/** Each role as the header names it, in bokmål. */
const ROLE_NAMES = {
  officer: 'fengselsbetjent',
  contact: 'kontaktbetjent',
  leader: 'fengselsleder',
  health: 'helsetjenesten',
  placement: 'nasjonal plassering',
  probation: 'friomsorgen',
  prisoner: 'selvbetjening',
  analyst: 'analytiker',
  admin: 'administrator',
};

/** What each role's navigation must link to, in order (`{id}`: the person's own id). */
const ROLES = {
  officer: ['/home', '/roll', '/admissions/new'],
  contact: ['/home', '/roll'],
  leader: ['/home', '/roll', '/capacity', '/simulation', '/admissions/new', '/import', '/in-tray', '/legal-grounds'],
  health: ['/home', '/roll'],
  placement: ['/home', '/roll', '/queue', '/presentence', '/capacity', '/admissions/new', '/import', '/in-tray', '/legal-grounds'],
  probation: ['/home', '/caseload', '/probation', '/presentence'],
  prisoner: ['/home', '/persons/{id}/decisions'],
  analyst: ['/home', '/statistics', '/simulation'],
  admin: ['/home', '/legal-grounds', '/accounts', '/access-log'],
};

describe('each role walks its pages', () => {
  for (const [role, expected] of Object.entries(ROLES)) {
    test(role, async () => {
      const page = await newPage(browser);
      await signIn(page, role);
      assert.equal(await page.getAttribute('html', 'lang'), 'nb');
      const session = (await page.textContent('header .session span')).trim();
      assert.ok(session.endsWith(`(${ROLE_NAMES[role]})`), `header names the role: ${session}`);
      await axe(page, `${role}: home`);

      const links = await navLinks(page);
      assert.deepEqual(links.map((l) => l.href.replace(/^\/persons\/\d+\//, '/persons/{id}/')), expected, `${role}'s navigation`);
      for (const link of links) {
        await visit(page, link.href);
        assert.ok((await page.textContent('main h1')).trim().length > 0, `${link.href} has a heading`);
        await axe(page, `${role}: ${link.href}`);
        if (link.href === '/roll' || link.href === '/caseload') {
          const ids = await personIds(page);
          assert.ok(ids.length > 0, `${role}'s ${link.href} lists persons`);
          await visit(page, `/persons/${ids[0]}`);
          await axe(page, `${role}: person page from ${link.href}`);
          await checkPersonPage(page, role);
          // Back to the list, and a search that finds nothing.
          await visit(page, `${link.href}?q=${encodeURIComponent('zzz-ingen-treff')}`);
          assert.equal(await personIds(page).then((l) => l.length), 0);
          await axe(page, `${role}: ${link.href} (no match)`);
        }
      }

      if (role === 'prisoner') {
        // The person's own dates, with rule and arithmetic, and who has read the record.
        await visit(page, '/home');
        const headings = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent.trim()));
        assert.deepEqual(headings, ['Nøkkeldatoer', 'Hvem har lest opplysningene mine']);
        assert.ok((await page.locator('main table').first().locator('tbody tr').count()) > 0, 'key dates listed');
        // Who read the record: at least the person's own home page, just now.
        const reads = await page.$$eval('#readers ~ table tbody tr', (trs) =>
          trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())),
        );
        assert.ok(reads.length > 0, 'the reads are listed');
        assert.deepEqual(reads[0].slice(2), ['selvbetjening', 'egen forside', 'Nei'], JSON.stringify(reads[0]));
        // The whole record, with the same list.
        await Promise.all([page.waitForNavigation(), page.click('main a[href^="/persons/"]')]);
        assert.equal(await page.locator('#history').count(), 1, 'the person sees their history');
        assert.equal(await page.locator('#readers').count(), 1, 'and who has read it');
        await axe(page, 'prisoner: own record');
        await visit(page, '/roll', 403);
        await axe(page, 'prisoner: /roll (403)');
      }
      if (role === 'admin') {
        await visit(page, '/access-log');
        await page.selectOption('#user', { label: 'officer (fengselsbetjent)' });
        await submit(page, page.locator('main form button[type=submit]'));
        assert.match(new URL(page.url()).search, /user=\d+/);
        await axe(page, 'admin: access log filtered by user');
      }
      await page.context().close();
    });
  }
});

async function checkPersonPage(page, role) {
  const h1 = (await page.textContent('main h1')).trim();
  assert.match(h1, /.+, .+/, `a person page's heading is the name: ${h1}`);
  if (role === 'health') {
    // Service providers see name, location and release date only.
    assert.equal(await page.locator('#history').count(), 0, 'health sees no history');
    assert.equal(await page.locator('main p.note').count(), 1, 'health sees the restricted-view note');
  } else {
    assert.equal(await page.locator('#history').count(), 1, `${role} sees the history`);
  }
}

describe('refusals', () => {
  test('an analyst may not open the roll (403)', async () => {
    const page = await newPage(browser);
    await signIn(page, 'analyst');
    await visit(page, '/roll', 403);
    assert.equal((await page.textContent('main h1')).trim(), '403');
    assert.equal(await page.locator('#purpose').count(), 0, 'no break-glass form on a 403');
    await axe(page, 'analyst: /roll (403)');
    await visit(page, '/persons/1', 403);
    await axe(page, 'analyst: a person (403)');
    await page.context().close();
  });

  test('an officer may not open the access log (403)', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    await visit(page, '/access-log', 403);
    assert.equal((await page.textContent('main h1')).trim(), '403');
    await axe(page, 'officer: /access-log (403)');
    await visit(page, '/import', 403);
    await axe(page, 'officer: /import (403)');
    await visit(page, '/caseload', 403);
    await axe(page, 'officer: /caseload (403)');
    await page.context().close();
  });

  test('a probation officer may not register an admission (403)', async () => {
    const page = await newPage(browser);
    await signIn(page, 'probation');
    await visit(page, '/admissions/new', 403);
    await axe(page, 'probation: /admissions/new (403)');
    await page.context().close();
  });

  test('an unknown person and a malformed id are 404', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    await visit(page, '/persons/not-a-number', 404);
    assert.equal((await page.textContent('main h1')).trim(), '404');
    assert.equal(await page.locator('#purpose').count(), 0);
    await axe(page, 'officer: /persons/not-a-number (404)');
    await page.context().close();
  });

  test('a person outside the scope is 404 with the break-glass form; a purpose opens it', async () => {
    // Placement sees the whole country; find a person in custody outside Oslo fengsel.
    const officer = await newPage(browser);
    await signIn(officer, 'officer');
    await visit(officer, '/admissions/new');
    const osloPrisons = (await officer.$$eval('#prison option', (os) => os.map((o) => o.value))).filter(Boolean);
    assert.ok(osloPrisons.length > 0, 'the officer can admit to some Oslo fengsel prison');

    const placement = await newPage(browser);
    await signIn(placement, 'placement');
    await visit(placement, '/roll');
    const rows = await placement.$$eval('#people tbody tr', (trs) =>
      trs.map((tr) => ({
        href: tr.querySelector('a')?.getAttribute('href'),
        prison: tr.children[2]?.textContent.trim(),
      })),
    );
    const outside = rows.find((r) => r.href && r.prison && !osloPrisons.includes(r.prison));
    assert.ok(outside, 'placement sees someone in a prison outside Oslo fengsel');
    await visit(placement, outside.href);
    await axe(placement, 'placement: a person in another unit');
    const name = (await placement.textContent('main h1')).trim();
    await placement.context().close();

    await visit(officer, outside.href, 404);
    assert.equal((await officer.textContent('main h1')).trim(), '404');
    assert.ok(!(await officer.textContent('main')).includes(name), 'the 404 does not reveal the name');
    assert.equal(await officer.locator('#purpose').count(), 1, 'the break-glass form is offered');
    await axe(officer, 'officer: person outside scope (404 with break-glass form)');

    // An empty purpose is refused as such: the form again, the field named and marked.
    const empty = await submit(officer, officer.locator('section form button[type=submit]'));
    assert.equal(empty.status(), 400);
    const summary = await checkErrorSummary(officer, [['purpose', 'Formål']]);
    assert.deepEqual(summary, ['Formål: må fylles ut']);
    assert.ok(!(await officer.textContent('main')).includes(name), 'the refusal does not reveal the name');
    await axe(officer, 'officer: break-glass with an empty purpose (400)');

    await officer.fill('#purpose', 'Nettleser-test: kontroll av nødtilgang');
    const response = await submit(officer, officer.locator('section form button[type=submit]'));
    assert.equal(response.status(), 200);
    assert.equal(new URL(officer.url()).pathname, outside.href);
    assert.equal((await officer.textContent('main h1')).trim(), name);
    // The break-glass notice (a status); the person page may hold other warnings (e.g. a
    // security level above the lowest the rules allow), depending on whom the roll gave.
    const warning = officer.locator('main p.warning[role=status]');
    assert.equal(await warning.count(), 1, 'the break-glass warning is shown');
    assert.match(await warning.textContent(), /Nødtilgang/);
    await axe(officer, 'officer: person read by breaking the glass');
    await officer.context().close();

    // The administrator sees the read flagged in the access log.
    const admin = await newPage(browser);
    await signIn(admin, 'admin');
    const id = outside.href.split('/')[2];
    await visit(admin, `/access-log?person=${id}`);
    const flagged = admin.locator('main table tbody tr.flagged');
    assert.ok((await flagged.count()) >= 1, 'the break-glass read is flagged in the access log');
    assert.match(await flagged.first().textContent(), /kontroll av nødtilgang/);
    await axe(admin, 'admin: access log for a person');
    await admin.context().close();
  });
});

describe('the roll search', () => {
  test('htmx (embedded from node_modules) filters the roll as one types', async () => {
    const page = await newPage(browser);
    await signIn(page, 'officer');
    await visit(page, '/roll');
    const version = await page.evaluate(() => window.htmx?.version);
    assert.match(String(version), /^2\./, `htmx 2 is served at /static/htmx.min.js (got ${version}); run npm ci before cargo build`);
    const before = await personIds(page);
    const first = (await page.textContent('#people tbody tr a')).trim();
    const family = first.split(',')[0];
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/roll' && r.request().headers()['hx-request'] === 'true'),
      page.locator('#q').pressSequentially(family, { delay: 20 }),
    ]);
    assert.equal(response.status(), 200);
    await page.waitForFunction(
      (family) => {
        const names = [...document.querySelectorAll('#people tbody tr a')].map((a) => a.textContent);
        return names.length > 0 && names.every((n) => n.toLowerCase().includes(family.toLowerCase()));
      },
      family,
    );
    assert.equal(new URL(page.url()).pathname, '/roll', 'the page itself stays (no navigation)');
    const after = await personIds(page);
    assert.ok(after.length <= before.length && after.length > 0, `${before.length} → ${after.length}`);
    await axe(page, 'officer: roll filtered by htmx');
    await page.context().close();
  });
});
