#!/usr/bin/env node
// Staff enter a paper form with the keyboard alone (headless Debian Chromium, desktop size,
// scripts on for the one-key-per-answer enhancement of static/invoer.js):
//   1. Tab from the top reaches the first answer of question 1;
//   2. for every scale question one digit (from --cijfers, in paper order) chooses the box and
//      moves the focus to the next question;
//   3. text is typed into the open questions, Tab reaches the send button, Enter saves;
//   4. the empty form comes back with "Bewaard", the focus order starts again.
//
//   node tests/browser/papier-invoer.mjs --base http://127.0.0.1:PORT --cookie NAME=VALUE --cijfers 1234505...
//
// Prints `papier-invoer: N stappen, F fout`. Exit status: 0 all passed, 1 a check failed, 2 on
// a harness failure.

import { browserTest } from './chromium.mjs';

function parseArgs(argv) {
  const opts = { base: null, cookie: null, cijfers: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base') opts.base = argv[++i];
    else if (argv[i] === '--cookie') {
      const c = argv[++i] || '';
      const eq = c.indexOf('=');
      opts.cookie = { name: c.slice(0, eq), value: c.slice(eq + 1) };
    } else if (argv[i] === '--cijfers') opts.cijfers = argv[++i];
    else {
      console.error(`papier-invoer.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!opts.base || !opts.cookie || !opts.cijfers) {
    console.error('usage: node papier-invoer.mjs --base URL --cookie NAME=VALUE --cijfers DIGITS');
    process.exit(2);
  }
  return opts;
}

const { check, draai } = browserTest('papier-invoer');

async function focus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName ?? '', type: el?.getAttribute('type') ?? '', name: el?.getAttribute('name') ?? '', cls: el?.className ?? '' };
  });
}

async function run(browser, opts) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.setCookie({ ...opts.cookie, url: opts.base });
  await page.goto(`${opts.base}/beheer/invoer/ouders/papier`, { waitUntil: 'load' });
  const hint = await page.evaluate(() => !document.getElementById('sneltoetsen')?.hidden);
  check('de uitleg over de sneltoetsen staat er (met script)', hint);

  let f;
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    f = await focus(page);
    if (f.tag === 'INPUT' && f.type === 'radio') break;
  }
  check('Tab bereikt het eerste antwoord', f.tag === 'INPUT' && f.type === 'radio', JSON.stringify(f));
  const vragen = await page.evaluate(() => [...document.querySelectorAll('fieldset.enquete-vraag')].map((v) => v.querySelector('input[type=radio]').name));
  const cijfers = [...opts.cijfers];
  let goed = true;
  for (let i = 0; i < vragen.length; i++) {
    f = await focus(page);
    if (f.name !== vragen[i]) {
      goed = check(`vraag ${i + 1}: de focus staat op de vraag`, false, `${f.name} ≠ ${vragen[i]}`);
      break;
    }
    await page.keyboard.press(cijfers[i]);
  }
  if (goed) check(`${vragen.length} vragen met één toets per antwoord`, true);
  f = await focus(page);
  check('na de laatste keuzevraag: de eerste open vraag', f.tag === 'TEXTAREA', JSON.stringify(f));
  await page.keyboard.type('Van papier');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Ook van papier');
  // Past the privacy note's link to the send button.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    f = await focus(page);
    if (f.tag === 'BUTTON') break;
  }
  check('Tab bereikt de verstuurknop', f.tag === 'BUTTON' && f.cls.includes('enquete-knop'), JSON.stringify(f));
  const gekozen = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')].map((r) => [r.name, r.value])));
  check('elke keuze staat zoals op papier', vragen.every((v, i) => gekozen[v] === cijfers[i]), JSON.stringify(gekozen));
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  const na = await page.evaluate(() => ({
    url: location.search,
    leeg: document.querySelectorAll('input[type=radio]:checked').length === 0,
    melding: document.querySelector('.enquete-melding')?.textContent ?? '',
  }));
  check('bewaard, en het formulier is weer leeg', na.url.includes('klaar=1') && na.leeg && na.melding.includes('Bewaard'), JSON.stringify(na));
  await page.close();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await draai((browser) => run(browser, opts));
}

main();
