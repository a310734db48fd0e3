#!/usr/bin/env node
// "Lees voor" in headless Debian Chromium (scripts on). Chromium here has no voices, so the
// page's speech synthesis is replaced before any script runs by a stand-in that reports the
// voices given with --stemmen and records what it is asked to say:
//   - with a voice for the page's language: a "Lees voor" button beside every question;
//     pressing the first one speaks the question and its answers in that language;
//   - with no voice for the language (--stemmen without it): no button at all.
//
//   node tests/browser/voorlezen.mjs --base http://127.0.0.1:PORT --pad /enquete/ouders/eenvoudig?taal=ar --stemmen ar-SA,nl-BE --verwacht knop|geen
//
// Prints `voorlezen: N stappen, F fout`. Exit status 0, 1 (a check failed) or 2 (harness).

import { browserTest, fakeSpeech } from './chromium.mjs';

const opts = { base: null, pad: null, stemmen: [], verwacht: 'knop' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--base') opts.base = argv[++i];
  else if (argv[i] === '--pad') opts.pad = argv[++i];
  else if (argv[i] === '--stemmen') opts.stemmen = argv[++i].split(',').filter(Boolean);
  else if (argv[i] === '--verwacht') opts.verwacht = argv[++i];
  else {
    console.error(`voorlezen.mjs: unknown argument ${argv[i]}`);
    process.exit(2);
  }
}
if (!opts.base || !opts.pad) {
  console.error('usage: node voorlezen.mjs --base URL --pad PATH --stemmen ar-SA --verwacht knop|geen');
  process.exit(2);
}

const { check, draai } = browserTest('voorlezen');

async function run(browser) {
  const page = await browser.newPage();
  await fakeSpeech(page, opts.stemmen);
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await page.goto(`${opts.base}${opts.pad}`, { waitUntil: 'load' });
  const knoppen = await page.evaluate(() => ({
    aantal: document.querySelectorAll('.voorlees-knop').length,
    vragen: document.querySelectorAll('[data-voorlees-vraag]').length,
    lang: document.documentElement.lang,
  }));
  if (opts.verwacht === 'geen') {
    check('geen stem voor deze taal: geen knop', knoppen.aantal === 0, JSON.stringify(knoppen));
    return;
  }
  check('een knop bij elke vraag', knoppen.aantal > 0 && knoppen.aantal === knoppen.vragen, JSON.stringify(knoppen));
  await page.click('.voorlees-knop');
  const na = await page.evaluate(() => ({
    gesproken: window.__gesproken,
    vraag: document.querySelector('[data-voorlees-tekst]').textContent.trim(),
    antwoord: document.querySelector('[data-voorlees-antwoord]')?.textContent.trim() ?? '',
  }));
  const g = na.gesproken[0] || { tekst: '', lang: '' };
  check(
    'de knop leest de vraag en de antwoorden voor, in de taal van de pagina',
    na.gesproken.length === 1 && g.tekst.startsWith(na.vraag) && g.tekst.includes(na.antwoord) && g.lang.startsWith(knoppen.lang),
    JSON.stringify(na),
  );
}

await draai(run);
