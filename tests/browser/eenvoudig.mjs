#!/usr/bin/env node
// Walks the simple mode of a survey (/enquete/<id>/eenvoudig) in headless Debian Chromium at a
// 390 x 844 phone screen with JavaScript off, pressing the big answer buttons as a parent does,
// and checks every screen on the way:
//   - axe (WCAG 2.2 AA tags) finds nothing (scripts are switched on for the check only);
//   - `lang` (and `dir="rtl"` for ar) are right;
//   - every button and text field is at least 44 x 44 CSS px;
//   - the question and its first answer button are visible without scrolling;
//   - nothing scrolls sideways.
// The walk ends on the thank-you page.
//
//   node tests/browser/eenvoudig.mjs --base http://127.0.0.1:PORT [--vragenlijst ouders] [--taal ar]
//
// Prints `eenvoudig: N stappen, F fout`. Exit status: 0 when every check passed, 1 when one
// failed, 2 on a harness failure.

import { axeViolations, browserTest } from './chromium.mjs';

function parseArgs(argv) {
  const opts = { base: null, vragenlijst: 'ouders', taal: 'nl' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base') opts.base = argv[++i];
    else if (argv[i] === '--vragenlijst') opts.vragenlijst = argv[++i];
    else if (argv[i] === '--taal') opts.taal = argv[++i];
    else {
      console.error(`eenvoudig.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!opts.base) {
    console.error('usage: node eenvoudig.mjs --base http://127.0.0.1:PORT [--vragenlijst ouders] [--taal nl]');
    process.exit(2);
  }
  return opts;
}

const { check, draai } = browserTest('eenvoudig', { stil: !process.env.EENVOUDIG_VERBOSE });

/** What a screen offers, measured in the page. */
async function screenState(page) {
  return page.evaluate(() => {
    const visible = (el) => el.getClientRects().length > 0;
    const small = [...document.querySelectorAll('button, input:not([type=hidden]), textarea')]
      .filter(visible)
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el.tagName.toLowerCase()}[${el.name}=${el.value}] ${Math.round(r.width)}x${Math.round(r.height)}`);
    const h1 = document.querySelector('h1');
    const eerste = document.querySelector('.eenvoudig-keuze, textarea, #code, .eenvoudig-verder');
    const onder = (el) => (el ? el.getBoundingClientRect().bottom : Infinity);
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      stap: document.querySelector('input[name=_stap]')?.value ?? null,
      small,
      zichtbaar: onder(h1) <= window.innerHeight && onder(eerste) <= window.innerHeight,
      scrollsSideways: document.documentElement.scrollWidth > window.innerWidth + 1,
      textarea: !!document.querySelector('.eenvoudig-stap textarea'),
      antwoord: !!document.querySelector('button[name=_antwoord]'),
    };
  });
}

async function clickAndWait(page, selector) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 30000 }),
    page.click(selector),
  ]);
}

async function run(browser, opts) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  const query = opts.taal === 'nl' ? '' : `?taal=${opts.taal}`;
  const resp = await page.goto(`${opts.base}/enquete/${opts.vragenlijst}/eenvoudig${query}`, { waitUntil: 'load' });
  check('de eenvoudige vorm opent', resp && resp.status() === 200, String(resp && resp.status()));
  const dir = opts.taal === 'ar' ? 'rtl' : 'ltr';
  let schermen = 0;
  for (let i = 0; i < 40; i++) {
    const s = await screenState(page);
    const naam = `scherm ${s.stap}`;
    schermen++;
    check(`${naam}: lang ${opts.taal}, dir ${dir}`, s.lang === opts.taal && s.dir === dir, `${s.lang} ${s.dir}`);
    const violations = await axeViolations(page);
    check(`${naam}: axe`, violations.length === 0, violations.join('; '));
    check(`${naam}: knoppen minstens 44 x 44 px`, s.small.length === 0, s.small.join(', '));
    check(`${naam}: vraag en eerste knop zonder scrollen`, s.zichtbaar);
    check(`${naam}: niet horizontaal scrollen`, !s.scrollsSideways);
    if (s.stap === 'klaar') {
      await clickAndWait(page, 'button[name=_ga][value=versturen]');
      break;
    }
    if (s.textarea) {
      await page.type('.eenvoudig-stap textarea', 'Goed');
      await clickAndWait(page, '.eenvoudig-stap button[name=_ga][value=verder]');
    } else if (s.antwoord) {
      await clickAndWait(page, 'button[name=_antwoord][value="4"]');
    } else {
      check(`${naam}: iets om te kiezen`, false);
      break;
    }
  }
  const bedankt = await page.evaluate(() => ({
    pad: location.pathname,
    lang: document.documentElement.lang,
  }));
  check('de bedankpagina', bedankt.pad.endsWith('/bedankt') && bedankt.lang === opts.taal, JSON.stringify(bedankt));
  console.log(`taal ${opts.taal}: ${schermen} schermen nagekeken`);
  await page.close();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await draai((browser) => run(browser, opts));
}

main();
