// The forms, each submitted wrongly and correctly: admission, movement, correction, court-file
// import, security level, remand order, time not counted, probation supervision. axe-core on each
// form empty and after a failed submit, and on the pages they lead to.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axe,
  checkErrorSummary,
  finish,
  errorSummary,
  freshIdentity,
  launch,
  localDateTime,
  newPage,
  personIds,
  signIn,
  submit,
  tag,
  visit,
  osloDate,
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

    const summary = await checkErrorSummary(page, [['identity_number', 'Fødselsnummer'], ['family_name', 'Etternavn']]);
    assert.ok(summary.includes('Etternavn: må fylles ut'), JSON.stringify(summary));
    assert.ok(summary.some((s) => s.startsWith('Fødselsnummer: må være 11 siffer')), JSON.stringify(summary));
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
    assert.equal(await fact(page, 'Grunnlag'), 'varetekt');
    const rows = await history(page);
    assert.deepEqual(rows.map((r) => r.kind), ['identitet', 'bevegelse'], JSON.stringify(rows));
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
      for (const label of ['Etternavn', 'Fornavn', 'Fødselsdato', 'Kjønn', 'Tidspunkt', 'Fengsel', 'Grunnlag']) {
        assert.ok(emptySummary.includes(`${label}: må fylles ut`), `the summary names ${label}:\n${emptySummary.join('\n')}`);
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
    const summary = await checkErrorSummary(page, [['identity_number', 'Fødselsnummer']]);
    assert.ok(summary.some((s) => s.includes('er allerede registrert')), JSON.stringify(summary));
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
    const summary = await checkErrorSummary(page, [['movement', 'Bevegelse']]);
    assert.ok(summary.some((s) => s.includes('«tilbake fra permisjon»')), `summary: ${summary}`);
    assert.equal(await page.inputValue('#movement'), 'leave_return');
    assert.equal(await page.inputValue('#at'), at);
    assert.equal(await page.inputValue('#note'), 'feil: ikke på permisjon');
    await axe(page, 'movement form (failed submit)');
    await visit(page, personPath);
    assert.equal(await fact(page, 'Status'), 'til stede');
  });

  test('leave out, then back', async () => {
    await visit(page, `${personPath}/movements/new`);
    await page.selectOption('#movement', 'leave_out');
    await page.fill('#at', localDateTime(2, 9));
    await page.fill('#note', 'Permisjon, nettleser-test');
    let response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, personPath);
    assert.equal(await fact(page, 'Status'), 'på permisjon');

    await visit(page, `${personPath}/movements/new`);
    await page.selectOption('#movement', 'leave_return');
    await page.fill('#at', localDateTime(2, 18));
    response = await submit(page, saveButton(page));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, personPath);
    assert.equal(await fact(page, 'Status'), 'til stede');
    const rows = await history(page);
    assert.equal(rows.length, 4, JSON.stringify(rows));
    assert.match(rows[2].summary, /Bevegelse: ut på permisjon/);
    assert.match(rows[3].summary, /Bevegelse: tilbake fra permisjon/);
    await axe(page, 'person page after movements');
  });

  let correctPath;
  test('the correction form, empty', async () => {
    await visit(page, personPath);
    const admission = (await history(page)).find((r) => /Bevegelse: innsettelse/.test(r.summary));
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
    const summary = await checkErrorSummary(page, [['reason', 'Begrunnelse']]);
    assert.deepEqual(summary, ['Begrunnelse: må fylles ut']);
    assert.equal(await page.inputValue('#payload'), text);
    await axe(page, 'correction form (failed submit: no reason)');

    // Broken JSON is refused too, naming the payload.
    await page.fill('#payload', '{"movement": ');
    await page.fill('#reason', 'test');
    const broken = await submit(page, saveButton(page));
    assert.equal(broken.status(), 400);
    const summary2 = await checkErrorSummary(page, [['payload', 'Rettet innhold (JSON)']]);
    assert.match(summary2[0], /^Rettet innhold \(JSON\): er ikke gyldig JSON \(linje 1, kolonne \d+\)$/);
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
    assert.match(correction.summary, /Merknad: Innsatt fra arrest/);
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
    const [count, ...summary] = await checkErrorSummary(page, [['file', 'Domsfil (JSON eller CSV)']]);
    assert.equal(count, `Domsfil (JSON eller CSV): ${summary.length} feil i filen, se listen over`);
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
    const summary = await checkErrorSummary(page, [['file', 'Domsfil (JSON eller CSV)']]);
    assert.deepEqual(summary, ['Domsfil (JSON eller CSV): velg en domsfil']);
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
    assert.ok(summary.some((s) => s.startsWith('judgments[0].case_number') && s.includes('er allerede registrert')), `summary: ${summary}`);
    await axe(page, 'import form (failed upload: duplicate judgment)');
  });
});


/** The form's submit, and the last history row after the save lands on the person page. */
async function saveAndLastRow(page, personPath) {
  const response = await submit(page, saveButton(page));
  assert.equal(response.status(), 200, `saved: ${JSON.stringify(await errorSummary(page))}`);
  assert.equal(new URL(page.url()).pathname, personPath);
  const rows = await history(page);
  return rows[rows.length - 1];
}

describe('security level, remand order and time not counted (leader)', () => {
  let page;
  let personPath;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'leader');
    await visit(page, '/roll');
    const ids = await personIds(page);
    assert.ok(ids.length > 0, 'the leader has residents');
    personPath = `/persons/${ids[ids.length - 1]}`;
  });
  after(async () => {
    await page?.context().close();
  });

  test('the person page links each form the leader may use', async () => {
    await visit(page, personPath);
    const links = await page.$$eval('main nav[aria-labelledby=record-heading] a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [
      `${personPath}/decisions`,
      ...[
        'movements',
        'security-levels',
        'remand-orders',
        'non-counting',
        'contact-officers',
        'expulsions',
        'release-plan',
        'release-handover',
      ].map(
        (slug) => `${personPath}/${slug}/new`,
      ),
    ]);
  });

  test('contact officer: wrong, then right', async () => {
    const path = `${personPath}/contact-officers/new`;
    await visit(page, path);
    await axe(page, 'contact officer form (empty)');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    await checkErrorSummary(page, [
      ['officer', 'Kontaktbetjent'],
      ['from', 'Fra og med'],
    ]);
    await axe(page, 'contact officer form (failed submit)');
    await page.selectOption('#officer', 'contact');
    await page.fill('#from', osloDate(0));
    const row = await saveAndLastRow(page, personPath);
    assert.equal(row.kind, 'kontaktbetjent');
    await axe(page, 'person page after assigning a contact officer');
  });

  test('security level: wrong, then right', async () => {
    const path = `${personPath}/security-levels/new`;
    await visit(page, path);
    await axe(page, 'security level form (empty)');
    await page.selectOption('#level', 'lower');
    await page.fill('#reason', 'Nettleser-test: lav risiko');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.deepEqual(await checkErrorSummary(page, [['from', 'Fra og med']]), ['Fra og med: må fylles ut']);
    assert.equal(await page.inputValue('#level'), 'lower');
    assert.equal(await page.inputValue('#reason'), 'Nettleser-test: lav risiko');
    await axe(page, 'security level form (failed submit)');

    await page.fill('#from', osloDate(0));
    const row = await saveAndLastRow(page, personPath);
    assert.equal(row.kind, 'sikkerhetsnivå');
    assert.match(row.summary, /Sikkerhetsnivå: lavere sikkerhetsnivå/);
    assert.equal(await fact(page, 'Sikkerhetsnivå'), 'lavere sikkerhetsnivå');
    await axe(page, 'person page after a security level');
  });

  test('remand order: wrong, then right', async () => {
    const path = `${personPath}/remand-orders/new`;
    await visit(page, path);
    assert.equal(await page.locator('fieldset legend').count(), 2, 'restrictions and the wish are grouped');
    await axe(page, 'remand order form (empty)');
    await page.fill('#court', 'Oslo tingrett');
    await page.fill('#from', osloDate(-10));
    await page.fill('#until', osloDate(-20));
    await page.check('#full_isolation');
    await page.check('#partial_isolation');
    await page.check('#visit_ban');
    await page.check('#placement_wish-2');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    const summary = await checkErrorSummary(page, [['until', 'Til og med'], ['partial_isolation', 'Restriksjoner']]);
    assert.ok(summary.includes('Til og med: kan ikke være før første dag'), JSON.stringify(summary));
    assert.equal(await page.inputValue('#court'), 'Oslo tingrett');
    assert.equal(await page.inputValue('#until'), osloDate(-20));
    for (const id of ['full_isolation', 'partial_isolation', 'visit_ban']) {
      assert.ok(await page.isChecked(`#${id}`), `#${id} kept`);
    }
    assert.ok(!(await page.isChecked('#letter_ban')));
    assert.ok(await page.isChecked('#placement_wish-2'), 'the wish is kept');
    await axe(page, 'remand order form (failed submit)');

    await page.fill('#until', osloDate(18));
    await page.uncheck('#full_isolation');
    const row = await saveAndLastRow(page, personPath);
    assert.equal(row.kind, 'varetektskjennelse');
    assert.match(row.summary, /Restriksjoner: Delvis isolasjon, Besøksforbud/);
    assert.match(row.summary, /kan plasseres sammen med domfelte/);
    await axe(page, 'person page after a remand order');
  });

  test('time not counted: wrong, then right', async () => {
    const path = `${personPath}/non-counting/new`;
    await visit(page, path);
    await axe(page, 'time not counted form (empty)');
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    const summary = await checkErrorSummary(page, [['from', 'Fra og med'], ['to', 'Til og med'], ['reason', 'Årsak']]);
    assert.equal(summary.length, 3, JSON.stringify(summary));
    await axe(page, 'time not counted form (failed submit)');

    await page.fill('#from', osloDate(-2));
    await page.fill('#to', osloDate(-1));
    await page.selectOption('#reason', 'interruption');
    const row = await saveAndLastRow(page, personPath);
    assert.equal(row.kind, 'tid som ikke regnes med');
    assert.match(row.summary, /Årsak: straffavbrudd/);
    await axe(page, 'person page after time not counted');
  });

  test('in English, the same form answers in English', async () => {
    const english = await newPage(browser);
    await signIn(english, 'leader');
    await visit(english, `${personPath}/non-counting/new`);
    await Promise.all([english.waitForNavigation(), english.click('header a[lang=en]')]);
    assert.equal(await english.getAttribute('html', 'lang'), 'en');
    await english.fill('#from', osloDate(-1));
    await english.fill('#to', osloDate(-3));
    await english.selectOption('#reason', 'escape');
    const response = await submit(english, english.locator('main form.form button[type=submit]'));
    assert.equal(response.status(), 400);
    const summary = await checkErrorSummary(english, [['to', 'To']]);
    assert.deepEqual(summary, ["To: is before 'from'"]);
    await axe(english, 'time not counted form in English (failed submit)');
    await english.context().close();
  });
});

describe('probation supervision (probation officer)', () => {
  let page;
  let personPath;

  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'probation');
    await visit(page, '/caseload');
    const ids = await personIds(page);
    assert.ok(ids.length > 0, 'the office has a caseload');
    personPath = `/persons/${ids[0]}`;
  });
  after(async () => {
    await page?.context().close();
  });

  test('supervision: wrong, then right', async () => {
    await visit(page, personPath);
    const links = await page.$$eval('main nav[aria-labelledby=record-heading] a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`${personPath}/decisions`, `${personPath}/supervisions/new`]);
    await Promise.all([page.waitForNavigation(), page.click(`main a[href="${personPath}/supervisions/new"]`)]);
    const offices = await page.$$eval('#office option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offices, ['F001'], 'only the officer\'s own office');
    assert.equal(await page.inputValue('#office'), 'F001');
    await axe(page, 'supervision form (empty)');

    await page.selectOption('#supervision', 'parole');
    await page.fill('#from', osloDate(0));
    const response = await submit(page, saveButton(page));
    assert.equal(response.status(), 400);
    assert.deepEqual(await checkErrorSummary(page, [['until', 'Til og med']]), ['Til og med: må fylles ut']);
    assert.equal(await page.inputValue('#supervision'), 'parole');
    assert.equal(await page.inputValue('#from'), osloDate(0));
    await axe(page, 'supervision form (failed submit)');

    await page.fill('#until', osloDate(180));
    const row = await saveAndLastRow(page, personPath);
    assert.equal(row.kind, 'oppfølging i friomsorgen');
    assert.match(row.summary, /Type oppfølging: prøveløslatelse/);
    await axe(page, 'person page after a supervision');
  });
});
