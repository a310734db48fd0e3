#!/usr/bin/env node
// The dashboard's summary matrix in headless Debian Chromium, with the keyboard only and
// JavaScript switched off, as a care team member at a laptop (1280 px) or a large screen.
//
//   node tests/browser/beheer-matrix.mjs --base http://127.0.0.1:PORT --cookie NAME=VALUE
//        [--pad /beheer/resultaten/ouders] [--breedte 1280]
//
// Steps, each checked:
//   1. The page loads; at the given width the page itself never scrolls sideways, and nothing
//      sticks out to the right except inside a table marked to scroll (`data-scroll="tabel"`).
//   2. Tab to the sort link "grootste verandering eerst", Enter: the page comes back sorted
//      (the address has sorteer=verandering, the link is the current one, the column has
//      aria-sort) and the matrix is in view.
//   3. Tab on to the first item of the matrix, Enter: that item's page with all its numbers
//      (and again no sideways scrolling).
//   4. axe (WCAG 2.2 AA tags) finds nothing on the item's page.
//
// Exit status: 0 when every step passed, 1 when one failed, 2 on a harness failure.

import { axeViolations, browserTest } from './chromium.mjs';

function parseArgs(argv) {
  const opts = { base: null, cookie: null, pad: '/beheer/resultaten/ouders', breedte: 1280 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--base') opts.base = argv[++i];
    else if (a === '--pad') opts.pad = argv[++i];
    else if (a === '--breedte') opts.breedte = Number(argv[++i]);
    // A PNG of the top 1500 px of the first load, to look at by eye.
    else if (a === '--screenshot') opts.screenshot = argv[++i];
    // Only print the page (--pad) to this PDF file as the browser's print dialog would (the
    // page's own @page size), then stop.
    else if (a === '--pdf') opts.pdf = argv[++i];
    else if (a === '--cookie') {
      const c = argv[++i] || '';
      const eq = c.indexOf('=');
      opts.cookie = { name: c.slice(0, eq), value: c.slice(eq + 1) };
    } else {
      console.error(`beheer-matrix.mjs: unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (!opts.base || !opts.cookie) {
    console.error('usage: node beheer-matrix.mjs --base http://127.0.0.1:PORT --cookie NAME=VALUE [--pad P] [--breedte 1280]');
    process.exit(2);
  }
  return opts;
}

const { check, draai } = browserTest('matrix');

/** What has focus now (through DevTools: works with page scripts off). */
async function focus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName || '',
      href: el?.getAttribute('href') || '',
      text: (el?.textContent || '').trim(),
      inMatrix: !!el?.closest('#samenvatting table'),
    };
  });
}

/** Sideways overflow: the page's own, and elements reaching past the right edge outside a
 *  table marked to scroll. */
async function overflow(page) {
  return page.evaluate(() => {
    const breedte = document.documentElement.clientWidth;
    const page = document.documentElement.scrollWidth > breedte + 1;
    const uit = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('[data-scroll="tabel"]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > breedte + 1) {
        uit.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ')[0] : ''} (${Math.round(r.right)} px)`);
      }
    }
    const gemarkeerd = [...document.querySelectorAll('[data-scroll="tabel"]')].map((el) => ({
      id: el.getAttribute('aria-labelledby') || '',
      scrolls: el.scrollWidth > el.clientWidth + 1,
    }));
    return { page, uit: uit.slice(0, 10), gemarkeerd };
  });
}

/** Presses Enter on the focused element and waits for the page that follows. */
async function enterAndWait(page) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 30000 }),
    page.keyboard.press('Enter'),
  ]);
  return response;
}

/** Tabs until `wanted(focus)` holds (at most 400 presses). */
async function tabTo(page, wanted) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const f = await focus(page);
    if (wanted(f)) return f;
  }
  return null;
}

async function run(browser, opts) {
  const base = opts.base.replace(/\/$/, '');
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: opts.breedte, height: 900 });
  page.setDefaultTimeout(30000);
  await page.setCookie({ ...opts.cookie, url: base });
  if (opts.pdf) {
    const response = await page.goto(`${base}${opts.pad}`, { waitUntil: 'load' });
    check('verslag laadt', response?.status() === 200, `status ${response?.status()}`);
    await page.pdf({ path: opts.pdf, preferCSSPageSize: true, printBackground: true });
    check('afgedrukt als PDF', true, opts.pdf);
    const violations = await axeViolations(page);
    check('axe: geen problemen op het verslag', violations.length === 0, violations.join('; '));
    await page.close();
    return;
  }

  // 1. Width.
  let response = await page.goto(`${base}${opts.pad}`, { waitUntil: 'load' });
  check('resultaten laden', response?.status() === 200, `status ${response?.status()}`);
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot, clip: { x: 0, y: 0, width: opts.breedte, height: 1500 }, captureBeyondViewport: true });
  let o = await overflow(page);
  check(`geen horizontaal scrollen op ${opts.breedte} px`, !o.page, JSON.stringify(o));
  check(`niets steekt uit buiten een scrollende tabel op ${opts.breedte} px`, o.uit.length === 0, o.uit.join(', '));
  const matrix = o.gemarkeerd.find((g) => g.id === 'matrix-titel');
  check('de samenvatting is een gemarkeerde scrollende tabel', !!matrix, JSON.stringify(o.gemarkeerd));
  console.log(`info: tabellen die scrollen: ${JSON.stringify(o.gemarkeerd.filter((g) => g.scrolls))}`);

  // 2. Sort by keyboard.
  let f = await tabTo(page, (f) => f.tag === 'A' && f.text === 'grootste verandering eerst');
  check('Tab bereikt "grootste verandering eerst"', !!f);
  if (f) {
    response = await enterAndWait(page);
    const sorted = await page.evaluate(() => ({
      url: location.href,
      current: document.querySelector('.beheer-sorteer a[aria-current="true"]')?.textContent.trim(),
      ariaSort: !!document.querySelector('#samenvatting th[aria-sort]'),
      matrixInView: (() => {
        const r = document.querySelector('#samenvatting')?.getBoundingClientRect();
        return !!r && r.top < window.innerHeight && r.bottom > 0;
      })(),
    }));
    check(
      'Enter sorteert de samenvatting op de server',
      response?.status() === 200 &&
        sorted.url.includes('sorteer=verandering') &&
        sorted.current === 'grootste verandering eerst' &&
        sorted.ariaSort &&
        sorted.matrixInView,
      JSON.stringify(sorted),
    );
    o = await overflow(page);
    check('gesorteerd: geen horizontaal scrollen', !o.page && o.uit.length === 0, JSON.stringify(o));
  }

  // 3. Open an item's detail page by keyboard: focus starts at the fragment (#samenvatting).
  f = await tabTo(page, (f) => f.tag === 'A' && f.inMatrix && f.href.includes('/vraag/'));
  check('Tab bereikt de eerste vraag in de samenvatting', !!f);
  if (f) {
    response = await enterAndWait(page);
    const id = f.href.split('/vraag/')[1].split('?')[0];
    const detail = await page.evaluate((id) => ({
      pad: location.pathname,
      kop: document.querySelector('h1')?.id,
      tabel: !!document.querySelector(`#item-${id} table`),
    }), id);
    check(
      'Enter opent de cijfers van die vraag',
      response?.status() === 200 && detail.pad.endsWith(`/vraag/${id}`) && detail.kop === `item-${id}-kop` && detail.tabel,
      `${f.href} ${JSON.stringify(detail)}`,
    );
    o = await overflow(page);
    check('vraag: geen horizontaal scrollen', !o.page && o.uit.length === 0, JSON.stringify(o));
  }

  // 4. axe on the item's page (the results page itself is checked by axe.mjs).
  const violations = await axeViolations(page);
  check('axe: geen problemen', violations.length === 0, violations.join('; '));
  await page.close();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await draai((browser) => run(browser, opts));
}

main();
