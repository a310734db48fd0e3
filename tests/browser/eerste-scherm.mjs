#!/usr/bin/env node
// The survey form on a 390 x 844 phone (headless Debian Chromium, JavaScript off):
//   1. the first question (its whole box: text and every answer) is visible without scrolling;
//   2. there is exactly one language switcher;
//   3. answering two questions and pressing another language in the switcher brings the form
//      back in that language with both answers still chosen (the switcher submits the form).
//
//   node tests/browser/eerste-scherm.mjs --base http://127.0.0.1:PORT [--taal ar] --naar nl
//
// Prints `eerste scherm: N stappen, F fout`. Exit status: 0 all passed, 1 a check failed, 2 on a
// harness failure.

import { browserTest } from './chromium.mjs';

function parseArgs(argv) {
  const opts = { base: null, taal: 'nl', naar: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base') opts.base = argv[++i];
    else if (argv[i] === '--taal') opts.taal = argv[++i];
    else if (argv[i] === '--naar') opts.naar = argv[++i];
    else {
      console.error(`eerste-scherm.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!opts.base || !opts.naar) {
    console.error('usage: node eerste-scherm.mjs --base http://127.0.0.1:PORT [--taal nl] --naar ar');
    process.exit(2);
  }
  return opts;
}

const { check, draai } = browserTest('eerste scherm');

async function run(browser, opts) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  const query = opts.taal === 'nl' ? '' : `?taal=${opts.taal}`;
  await page.goto(`${opts.base}/enquete/ouders${query}`, { waitUntil: 'load' });
  const eerste = await page.evaluate(() => {
    const vraag = document.querySelector('.enquete-vraag:not(.enquete-code)');
    const r = vraag.getBoundingClientRect();
    return {
      bottom: Math.round(r.bottom),
      top: Math.round(r.top),
      hoogte: window.innerHeight,
      switchers: document.querySelectorAll('nav.taalkeuze').length,
      lang: document.documentElement.lang,
    };
  });
  check(`taal ${opts.taal}: de eerste vraag staat helemaal op het eerste scherm`, eerste.bottom <= eerste.hoogte, JSON.stringify(eerste));
  check(`taal ${opts.taal}: één taalkeuze`, eerste.switchers === 1, String(eerste.switchers));

  // Answer the first two questions ("Akkoord"), then switch language.
  const gekozen = await page.evaluate(() => {
    const namen = [...new Set([...document.querySelectorAll('input[type=radio]')].map((r) => r.name))].slice(0, 2);
    return namen;
  });
  for (const naam of gekozen) await page.click(`label[for="v-${naam}-4"]`);
  await page.type('textarea', 'Dit blijft staan');
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 30000 }),
    page.click(`nav.taalkeuze button[value="${opts.naar}"]`),
  ]);
  const na = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    checked: Object.fromEntries([...document.querySelectorAll('input[type=radio]:checked')].map((r) => [r.name, r.value])),
    tekst: document.querySelector('textarea').value,
    fout: !!document.querySelector('.enquete-foutsamenvatting'),
  }));
  check(`taal ${opts.taal} → ${opts.naar}: de pagina is in de gekozen taal`, na.lang === opts.naar && na.dir === (opts.naar === 'ar' ? 'rtl' : 'ltr'), `${na.lang} ${na.dir}`);
  check(
    `taal ${opts.taal} → ${opts.naar}: de antwoorden staan er nog`,
    gekozen.every((n) => na.checked[n] === '4') && na.tekst === 'Dit blijft staan' && !na.fout,
    JSON.stringify(na),
  );
  await page.close();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await draai((browser) => run(browser, opts));
}

main();
