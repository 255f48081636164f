// The forms, each submitted wrongly and correctly: admission, movement, correction, court-file
// import. axe-core on each form empty and after a failed submit, and on the pages they lead to.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axe,
  finish,
  errorSummary,
  freshIdentity,
  launch,
  localDateTime,
  newPage,
  signIn,
  submit,
  tag,
  visit,
} from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await finish(browser, 'forms.test.mjs');
});

const saveButton = (page) => page.locator('main form.form button[type=submit]');

/** The text of the person page's definition list entry `term`. */
async function fact(page, term) {
  return page.$$eval(
    'main dl dt',
    (dts, term) => dts.find((dt) => dt.textContent.trim() === term)?.nextElementSibling?.textContent.trim(),
    term,
  );
}

/** The history table's rows: {id, kind, summary, corrects, correctHref, superseded}. */
async function history(page) {
  return page.$$eval('#history ~ table tbody tr', (trs) =>
    trs.map((tr) => ({
      id: Number(tr.children[0].textContent.trim()),
      kind: tr.children[1].textContent.trim(),
      summary: tr.children[2].textContent.trim(),
      corrects: tr.children[5].textContent.trim(),
      correctHref: tr.querySelector('a[href*="/correct"]')?.getAttribute('href') ?? null,
      superseded: tr.classList.contains('superseded'),
    })),
  );
}

describe('admission, movement and correction (officer)', () => {
  let page;
  let personPath;
  const family = `Nettleser${tag()}`;
  const given = 'Test Person';
  const identity = freshIdentity();
  const admittedAt = localDateTime(3, 8);
  let prison;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'officer');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the empty admission form is accessible', async () => {
    await visit(page, '/admissions/new');
    assert.equal(await page.inputValue('#citizenship'), 'NO');
    assert.equal(await page.inputValue('#languages'), 'nb');
    assert.deepEqual(await errorSummary(page), []);
    const prisons = (await page.$$eval('#prison option', (os) => os.map((o) => o.value))).filter(Boolean);
    assert.ok(prisons.length > 0, 'the officer may admit to a prison of the unit');
    prison = prisons[0];
    await axe(page, 'admission form (empty)');
  });

  test('a wrong admission names the fields and keeps the values', async () => {
    await visit(page, '/admissions/new');
    await page.fill('#identity_number', '12345678901');
    await page.fill('#family_name', '');
    await page.fill('#given_names', given);
    await page.fill('#birth_date', identity.birthDate);
    await page.selectOption('#sex', 'female');
    await page.fill('#at', admittedAt);
    await page.selectOption('#prison', prison);
    await page.selectOption('#basis', 'remand');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.equal(new URL(page.url()).pathname, '/admissions/new');

    const summary = await errorSummary(page);
    assert.ok(summary.some((s) => s.includes('identity_number')), `summary names identity_number: ${summary}`);
    assert.ok(summary.some((s) => s.includes('family_name')), `summary names family_name: ${summary}`);
    const targets = await page.$$eval('.error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(targets.includes('#identity_number') && targets.includes('#family_name'), `links: ${targets}`);
    for (const id of ['identity_number', 'family_name']) {
      assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'true', `#${id} is marked invalid`);
      const describedBy = (await page.getAttribute(`#${id}`, 'aria-describedby')) ?? '';
      assert.ok(describedBy.split(' ').includes(`${id}-error`), `#${id} is described by its error: ${describedBy}`);
    }
    // Every value entered is kept.
    assert.equal(await page.inputValue('#identity_number'), '12345678901');
    assert.equal(await page.inputValue('#given_names'), given);
    assert.equal(await page.inputValue('#birth_date'), identity.birthDate);
    assert.equal(await page.inputValue('#sex'), 'female');
    assert.equal(await page.inputValue('#at'), admittedAt);
    assert.equal(await page.inputValue('#prison'), prison);
    assert.equal(await page.inputValue('#basis'), 'remand');
    await axe(page, 'admission form (failed submit)');
  });

  test('a correct admission leads to the new person page', async () => {
    await page.fill('#identity_number', identity.number);
    await page.fill('#family_name', family);
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    const match = new URL(page.url()).pathname.match(/^\/persons\/(\d+)$/);
    assert.ok(match, `redirected to the person page, not ${page.url()}`);
    personPath = match[0];
    assert.equal((await page.textContent('main h1')).trim(), `${family}, ${given}`);
    assert.equal(await fact(page, 'Fødselsnummer'), identity.number);
    assert.match(await fact(page, 'Fengsel'), new RegExp(`^${prison}`));
    const rows = await history(page);
    assert.deepEqual(rows.map((r) => r.kind), ['identity', 'movement'], JSON.stringify(rows));
    await axe(page, 'new person page');
  });

  let emptySummary = [];
  test('an empty admission is refused', async () => {
    await visit(page, '/admissions/new');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    emptySummary = await errorSummary(page);
    assert.ok(emptySummary.length > 0, 'the error summary is shown');
    await axe(page, 'admission form (empty submit)');
  });

  test(
    'an empty admission names every required field',
    () => {
      const summary = emptySummary.join('\n');
      for (const field of ['family_name', 'given_names', 'birth_date', 'at', 'prison', 'basis']) {
        assert.ok(summary.includes(field), `the summary names ${field}:\n${summary}`);
      }
    },
  );

  test('the same identity number cannot be registered twice', async () => {
    assert.ok(personPath, 'the admission was registered');
    await visit(page, '/admissions/new');
    await page.fill('#identity_number', identity.number);
    await page.fill('#family_name', family);
    await page.fill('#given_names', given);
    await page.fill('#birth_date', identity.birthDate);
    await page.selectOption('#sex', 'female');
    await page.fill('#at', admittedAt);
    await page.selectOption('#prison', prison);
    await page.selectOption('#basis', 'remand');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.ok((await errorSummary(page)).length > 0);
    await axe(page, 'admission form (duplicate identity number)');
  });

  test('the movement form, empty', async () => {
    assert.ok(personPath, 'the admission was registered');
    await visit(page, personPath);
    const link = page.locator(`main a[href="${personPath}/movements/new"]`);
    assert.equal(await link.count(), 1, 'the person page links to the movement form');
    await Promise.all([page.waitForNavigation(), link.click()]);
    assert.equal(new URL(page.url()).pathname, `${personPath}/movements/new`);
    assert.match(await page.textContent('main h1'), new RegExp(family));
    await axe(page, 'movement form (empty)');
  });

  test('a return from leave without a leave is refused', async () => {
    await visit(page, `${personPath}/movements/new`);
    const at = localDateTime(2, 9);
    await page.selectOption('#movement', 'leave_return');
    await page.fill('#at', at);
    await page.fill('#note', 'feil: ikke på permisjon');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    const summary = await errorSummary(page);
    assert.ok(summary.some((s) => s.includes('leave_return')), `summary: ${summary}`);
    assert.equal(await page.inputValue('#movement'), 'leave_return');
    assert.equal(await page.inputValue('#at'), at);
    assert.equal(await page.inputValue('#note'), 'feil: ikke på permisjon');
    await axe(page, 'movement form (failed submit)');
    await visit(page, personPath);
    assert.equal(await fact(page, 'Status'), 'present');
  });

  test('leave out, then back', async () => {
    await visit(page, `${personPath}/movements/new`);
    await page.selectOption('#movement', 'leave_out');
    await page.fill('#at', localDateTime(2, 9));
    await page.fill('#note', 'Permisjon, nettleser-test');
    let response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, personPath);
    assert.equal(await fact(page, 'Status'), 'on leave');

    await visit(page, `${personPath}/movements/new`);
    await page.selectOption('#movement', 'leave_return');
    await page.fill('#at', localDateTime(2, 18));
    response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, personPath);
    assert.equal(await fact(page, 'Status'), 'present');
    const rows = await history(page);
    assert.equal(rows.length, 4, JSON.stringify(rows));
    assert.match(rows[2].summary, /movement: leave_out/);
    assert.match(rows[3].summary, /movement: leave_return/);
    await axe(page, 'person page after movements');
  });

  let correctPath;
  test('the correction form, empty', async () => {
    await visit(page, personPath);
    const admission = (await history(page)).find((r) => /movement: admission/.test(r.summary));
    assert.ok(admission?.correctHref, 'the admission entry has a correct link');
    correctPath = admission.correctHref;
    await Promise.all([page.waitForNavigation(), page.locator(`a[href="${correctPath}"]`).click()]);
    assert.equal(new URL(page.url()).pathname, correctPath);
    const payload = JSON.parse(await page.inputValue('#payload'));
    assert.equal(payload.movement, 'admission');
    assert.equal(payload.prison, prison);
    await axe(page, 'correction form (empty)');
  });

  test('a correction without a reason is refused, keeping the payload', async () => {
    await visit(page, correctPath);
    const payload = JSON.parse(await page.inputValue('#payload'));
    payload.note = 'Innsatt fra arrest';
    const text = JSON.stringify(payload, null, 2);
    await page.fill('#payload', text);
    await page.fill('#reason', '');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    const summary = await errorSummary(page);
    assert.ok(summary.some((s) => /reason/.test(s)), `summary names the reason: ${summary}`);
    assert.equal(await page.inputValue('#payload'), text);
    await axe(page, 'correction form (failed submit: no reason)');

    // Broken JSON is refused too, naming the payload.
    await page.fill('#payload', '{"movement": ');
    await page.fill('#reason', 'test');
    const broken = await submit(page, saveButton(page));
    assert.equal(broken.status(), 400);
    const summary2 = await errorSummary(page);
    assert.ok(summary2.some((s) => /payload/.test(s) && /JSON/.test(s)), `summary: ${summary2}`);
    assert.equal(await page.inputValue('#reason'), 'test');
    await axe(page, 'correction form (failed submit: broken JSON)');
  });

  test('a correction with a reason supersedes the entry', async () => {
    await visit(page, correctPath);
    const payload = JSON.parse(await page.inputValue('#payload'));
    payload.note = 'Innsatt fra arrest';
    await page.fill('#payload', JSON.stringify(payload, null, 2));
    await page.fill('#reason', 'Manglet merknad');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, personPath);
    const rows = await history(page);
    const entry = Number(correctPath.split('/')[4]);
    const original = rows.find((r) => r.id === entry);
    const correction = rows.find((r) => r.corrects.startsWith(`#${entry}:`));
    assert.ok(original?.superseded, `entry ${entry} is shown as corrected: ${JSON.stringify(rows)}`);
    assert.ok(correction, 'the correction is listed');
    assert.match(correction.corrects, /Manglet merknad/);
    assert.match(correction.summary, /note: Innsatt fra arrest/);
    await axe(page, 'person page after a correction');
  });
});

describe('court-file import (leader)', () => {
  let page;
  const run = tag();
  const case_number = `26-${Date.now() % 1_000_000}MED-NETT/${run}`;
  const person = () => {
    const id = freshIdentity();
    return {
      identity_number: id.number,
      family_name: `Importert${run}`,
      given_names: 'Nettleser',
      birth_date: id.birthDate,
      sex: 'male',
      citizenship: 'NO',
      languages: ['nb'],
    };
  };
  const judgment = (p) => ({
    person: p,
    case_number,
    court: 'Oslo tingrett',
    decision_date: '2026-01-15',
    final_date: '2026-02-05',
    remand_deduction_days: 0,
    sentences: [{ kind: 'prison', days: 60 }],
  });
  const good = judgment(person());
  const validFile = { judgments: [good] };
  const invalidFile = {
    judgments: [
      judgment({ ...person(), identity_number: '12345678901', family_name: '' }),
      good, // valid, but the file is all or nothing
    ],
  };
  const upload = async (name, content) => {
    await page.setInputFiles('#file', {
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(content, null, 2)),
    });
    return submit(page, saveButton(page));
  };

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'leader');
  });
  after(async () => {
    await page?.context().close();
  });

  test('the empty import form is accessible', async () => {
    await visit(page, '/import');
    assert.equal(await page.getAttribute('main form.form', 'enctype'), 'multipart/form-data');
    await axe(page, 'import form (empty)');
  });

  test('an invalid file names its records and fields, and imports nothing', async () => {
    await visit(page, '/import');
    const response = await upload('invalid.json', invalidFile);
    assert.equal(response.status(), 400);
    const summary = await errorSummary(page);
    assert.ok(summary.length >= 2, `summary: ${summary}`);
    assert.ok(summary.every((s) => s.startsWith('judgments[0]')), `every problem is in record 0: ${summary}`);
    assert.ok(summary.some((s) => s.startsWith('judgments[0].person.identity_number')), `summary: ${summary}`);
    assert.ok(summary.some((s) => s.startsWith('judgments[0].person.family_name')), `summary: ${summary}`);
    assert.equal(await page.locator('main p.success').count(), 0, 'nothing reported imported');
    await axe(page, 'import form (failed upload)');
  });

  test('no file is refused', async () => {
    await visit(page, '/import');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.ok((await errorSummary(page)).some((s) => s.startsWith('file')));
    await axe(page, 'import form (failed submit: no file)');
  });

  test('a valid file is imported once', async () => {
    await visit(page, '/import');
    const response = await upload('valid.json', validFile);
    assert.equal(response.status(), 200);
    assert.deepEqual(await errorSummary(page), []);
    // Had the invalid file's valid record been imported, this would be a duplicate.
    assert.equal((await page.textContent('main p.success')).trim(), 'Importert: 1');
    await axe(page, 'import form (imported)');

    const again = await upload('valid.json', validFile);
    assert.equal(again.status(), 400);
    const summary = await errorSummary(page);
    assert.ok(summary.some((s) => s.startsWith('judgments[0].case_number') && s.includes('already registered')), `summary: ${summary}`);
    await axe(page, 'import form (failed upload: duplicate judgment)');
  });
});
