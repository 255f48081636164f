// EM home detention (issue 6, item 4): a person on front-door EM is set up through the API
// (national placement registers the judgment and the EM period; the probation officer records
// the application, the grant and the device). Then, as the probation officer in the browser: the
// EM page with the weekly schedule, a breach (wrong first, the field named, then right), and
// revocation back to prison with a written reason (refused without one), after which the page
// shows the new custody state and the recomputed key dates with their rule and §. A second
// person's application is recorded through its form (a wrong weekly schedule named on its
// weekday's field, then right), granted through the grant form, and the grant corrected from the
// event log (a new record pointing at it, with its reason). axe-core on each state.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD, axe, checkErrorSummary, finish, freshIdentity, launch, newPage, signIn, submit, tag, visit,
  osloDate,
} from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'electronic_monitoring.test.mjs');
});

/** The civil date `days` days from today (negative: ago), the server's day (Europe/Oslo). */
const day = (days) => osloDate(days);

const button = (page) => page.locator('main form.form button[type=submit]');

async function token(request, username) {
  const r = await request.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  assert.equal(r.status(), 200, `login ${username}`);
  return (await r.json()).token;
}

async function call(request, bearer, method, path, data) {
  const r = await request.fetch(path, { method, headers: { authorization: `Bearer ${bearer}` }, data });
  const body = await r.json().catch(() => null);
  return [r.status(), body];
}

describe('EM breach and revocation (probation officer)', () => {
  let page;
  let person;
  let prison;

  before(async () => {
    page = await newPage(browser);
    const request = page.request;
    const placement = await token(request, 'placement');
    const probation = await token(request, 'probation');
    // A 60-day sentence on front-door EM from 10 days ago (within the six months, R-EM-2).
    const who = freshIdentity();
    let [status, body] = await call(request, placement, 'POST', '/api/v1/persons', {
      identity: {
        identity_number: who.number, family_name: `Hjemme${tag()}`, given_names: 'Test',
        birth_date: who.birthDate, sex: 'male', citizenship: 'NO', languages: ['nb'],
        home_municipality: 'Oslo',
      },
    });
    assert.equal(status, 201, JSON.stringify(body));
    person = body.id;
    let version = body.version;
    for (const [kind, payload] of [
      ['judgment', {
        case_number: `26-${tag()}MED-OTIR/01`, court: 'Oslo tingrett', decision_date: day(-60),
        final_date: day(-45), remand_deduction_days: 0, offence_class: 'ordinary',
        sentences: [{ kind: 'prison', days: 60 }],
      }],
      ['supervision', { supervision: 'electronic_monitoring', office: 'F001', from: day(-10), until: day(49) }],
    ]) {
      [status, body] = await call(request, placement, 'POST', `/api/v1/persons/${person}/entries`, { kind, version, payload });
      assert.equal(status, 201, `${kind}: ${JSON.stringify(body)}`);
      version = body.version;
    }
    const weekday = [{ from: '00:00', until: '07:00' }, { from: '18:00', until: '24:00' }];
    const whole = [{ from: '00:00', until: '24:00' }];
    let events = 0;
    for (const [kind, payload] of [
      ['application', {
        date: day(-20), door: 'front_door', from: day(-10), address: 'Storgata 1, 0155 Oslo',
        adults: [{ name: 'Kari Hjemme', consent_date: day(-21) }],
        activity: { kind: 'work', description: 'Snekker, hverdager 07:30–15:30' },
        schedule: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: whole, sunday: whole },
      }],
      ['grant', { date: day(-15) }],
      ['device', { action: 'fitted', serial: `EM-${tag()}`, at: `${day(-10)}T09:00` }],
    ]) {
      [status, body] = await call(request, probation, 'POST', `/api/v1/persons/${person}/em/events`, { kind, version: events, payload });
      assert.equal(status, 201, `${kind}: ${JSON.stringify(body)}`);
      events = body.version;
    }
    // A department with a free place today, for the admission.
    [status, body] = await call(request, placement, 'GET', '/api/v1/capacity');
    assert.equal(status, 200);
    const free = body.units.flatMap((u) => u.departments)
      .find((d) => d.free > 0 && !/ungdom|youth/i.test(d.name));
    assert.ok(free, 'a department with a free place');
    prison = free.id;
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the EM page shows the schedule as a weekly table', async () => {
    await visit(page, `/persons/${person}/em`);
    const rows = await page.$$eval('main table.schedule tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    assert.deepEqual(rows[0], ['mandag', '00:00–07:00, 18:00–24:00']);
    assert.deepEqual(rows[6], ['søndag', '00:00–24:00']);
    assert.equal(rows.length, 7);
    assert.ok((await page.textContent('main dl.facts')).includes('aktiv'), 'the device is fitted');
    await axe(page, 'EM case, active');
  });

  test('a breach: the missing description is named, then recorded', async () => {
    await visit(page, `/persons/${person}/em/breach`);
    await axe(page, 'breach form');
    await page.selectOption('#kind', 'absence');
    await page.fill('#at', `${day(-1)}T23:00`);
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['description', 'Beskrivelse']]);
    await axe(page, 'breach form (failed submit)');
    await page.fill('#description', 'Ikke hjemme 23:00–00:40');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/persons/${person}/em`);
    const breaches = await page.textContent('main table.breaches');
    assert.ok(breaches.includes('venter på reaksjon'), breaches);
    assert.ok((await page.textContent('main dl.facts')).includes('brudd'), 'the stage is breached');
  });

  test('revocation needs its reason; then custody and the recomputed dates with their §', async () => {
    await visit(page, `/persons/${person}/em`);
    const breach = (await page.textContent('main table.breaches tbody tr td')).trim();
    await visit(page, `/persons/${person}/em/revocation`);
    await axe(page, 'revocation form');
    await page.fill('#breach', breach);
    await page.fill('#at', `${day(0)}T08:00`);
    await page.selectOption('#prison', prison);
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['reason', 'Begrunnelse (skriftlig, kreves)']]);
    await axe(page, 'revocation form (failed submit)');
    await page.fill('#reason', 'Fravær om natten etter innvilget elektronisk kontroll');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    const main = await page.textContent('main');
    assert.ok(main.includes('Elektronisk kontroll er omgjort'), 'the revocation is confirmed');
    const custody = await page.textContent('main dl.custody');
    assert.ok(custody.includes(prison), `admitted to ${prison}: ${custody}`);
    // The end of the sentence: 60 days from the first EM day, 10 days ago, so day + 49 — the EM
    // days count as served (strgjfl § 16 a).
    const dates = await page.$$eval('main table.dates tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    const end = dates.find((d) => d[0] === day(49));
    assert.ok(end, `the end of the sentence on ${day(49)}: ${JSON.stringify(dates)}`);
    assert.ok(/C-4|R-/.test(end[2]) && end[2].includes('('), `the end date names its rule and §: ${end[2]}`);
    assert.ok(end[3].length > 0, 'with its explanation');
    assert.ok((await page.textContent('main table.breaches')).includes('omgjort'), 'the breach is answered by the revocation');
    await axe(page, 'EM revoked, custody and dates');
  });
});

describe('EM application form and a correction (probation officer)', () => {
  let page;
  let person;

  before(async () => {
    page = await newPage(browser);
    const request = page.request;
    const placement = await token(request, 'placement');
    // A 60-day sentence on front-door EM from 10 days ago, registered by national placement.
    const who = freshIdentity();
    let [status, body] = await call(request, placement, 'POST', '/api/v1/persons', {
      identity: {
        identity_number: who.number, family_name: `Soknad${tag()}`, given_names: 'Test',
        birth_date: who.birthDate, sex: 'female', citizenship: 'NO', languages: ['nb'],
        home_municipality: 'Oslo',
      },
    });
    assert.equal(status, 201, JSON.stringify(body));
    person = body.id;
    let version = body.version;
    for (const [kind, payload] of [
      ['judgment', {
        case_number: `26-${tag()}MED-OTIR/01`, court: 'Oslo tingrett', decision_date: day(-60),
        final_date: day(-45), remand_deduction_days: 0, offence_class: 'ordinary',
        sentences: [{ kind: 'prison', days: 60 }],
      }],
      ['supervision', { supervision: 'electronic_monitoring', office: 'F001', from: day(-10), until: day(49) }],
    ]) {
      [status, body] = await call(request, placement, 'POST', `/api/v1/persons/${person}/entries`, { kind, version, payload });
      assert.equal(status, 201, `${kind}: ${JSON.stringify(body)}`);
      version = body.version;
    }
    await signIn(page, 'probation');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the application: an overlapping range is named on its weekday, then recorded', async () => {
    await visit(page, `/persons/${person}/em`);
    await page.click(`main a[href="/persons/${person}/em/application"]`);
    await page.waitForURL(`**/persons/${person}/em/application`);
    await axe(page, 'EM application form');
    await page.fill('#date', day(-20));
    await page.selectOption('#door', 'front_door');
    await page.fill('#from', day(-10));
    await page.fill('#address', 'Storgata 1, 0155 Oslo');
    await page.fill('#adults_0_name', 'Kari Hjemme');
    await page.fill('#adults_0_consent_date', day(-21));
    await page.selectOption('#activity_kind', 'work');
    await page.fill('#activity_description', 'Snekker, hverdager 07:30–15:30');
    const weekday = '00:00–07:00, 18:00–24:00';
    for (const d of ['monday', 'wednesday', 'thursday', 'friday']) await page.fill(`#schedule_${d}`, weekday);
    await page.fill('#schedule_tuesday', '00:00–07:00, 06:00–08:00');
    await page.fill('#schedule_saturday', '00:00–24:00');
    await page.fill('#schedule_sunday', '00:00–24:00');
    let response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    const items = await checkErrorSummary(page, [['schedule_tuesday', 'Hjemme tirsdag']]);
    assert.ok(items.some((i) => i.includes('schedule.tuesday[1]')), JSON.stringify(items));
    assert.equal(await page.inputValue('#schedule_tuesday'), '00:00–07:00, 06:00–08:00', 'the value is kept');
    await axe(page, 'EM application form (failed submit)');
    await page.fill('#schedule_tuesday', weekday);
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/persons/${person}/em`);
    const rows = await page.$$eval('main table.schedule tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    assert.deepEqual(rows[1], ['tirsdag', weekday]);
    assert.ok((await page.textContent('main dl.facts')).includes('søkt'), 'the stage is applied');
  });

  test('the grant, then corrected from the event log with its reason', async () => {
    await visit(page, `/persons/${person}/em/grant`);
    await page.fill('#date', day(-15));
    let response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.ok((await page.textContent('main dl.facts')).includes('innvilget'), 'granted');
    const grantRow = page.locator('main table.log tbody tr', { hasText: 'Innvilgelse' });
    const grant = (await grantRow.locator('td').first().textContent()).trim();
    await grantRow.locator(`a:has-text("Korriger #${grant}")`).click();
    await page.waitForURL(`**/persons/${person}/em/grant?corrects=${grant}`);
    assert.equal(await page.inputValue('#date'), day(-15), 'the form starts from the stored grant');
    await axe(page, 'EM grant correction form');
    await page.fill('#date', day(-14));
    response = await submit(page, button(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [['reason', 'Begrunnelse for rettelsen (kreves)']]);
    await page.fill('#reason', 'Vedtaket ble fattet dagen etter');
    response = await submit(page, button(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/persons/${person}/em`);
    const log = await page.textContent('main table.log');
    assert.ok(log.includes(`retter #${grant}: Vedtaket ble fattet dagen etter`), log);
    await axe(page, 'EM case with a correction in the log');
  });
});
