#!/usr/bin/env node
// The stappenplan on phones, in headless Debian Chromium at 360 × 740 and 390 × 844:
//   - the page does not scroll sideways, and neither does the drawing's frame;
//   - the one-column drawing (svg.stappenplan-smal) is shown, the layered one is not;
//   - every text in the drawing is drawn at 14 CSS px or larger (its font size times the
//     scale at which the SVG is shown);
//   - one frame: the SVG itself has no border; the text version follows below the drawing;
//   - right-to-left pages draw right to left;
// and at 1280 × 900 and when printed, the layered drawing is shown instead.
//
//   node tests/browser/stappenplan-smal.mjs --base http://127.0.0.1:PORT /stappenplan/ouder/ …
//
// Exit status: 0 when every check passed, 1 when one failed, 2 on a harness failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium.mjs';

const args = process.argv.slice(2);
const i = args.indexOf('--base');
const base = i >= 0 ? args[i + 1]?.replace(/\/$/, '') : null;
const paths = args.filter((_, k) => k !== i && k !== i + 1);
if (!base || paths.length === 0) {
  console.error('usage: node stappenplan-smal.mjs --base http://127.0.0.1:PORT /path …');
  process.exit(2);
}

const MIN_PX = 14;
const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];

let failed = 0;
function check(step, ok, detail = '') {
  if (!ok) failed++;
  console.log(ok ? `ok   ${step}` : `FOUT ${step}${detail ? ` — ${detail}` : ""}`);
}

// What the page shows of its stappenplan right now.
function measure() {
  const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().width > 0;
  const frame = document.querySelector('.stappenplan-tekening');
  const smal = document.querySelector('svg.stappenplan-smal');
  const breed = document.querySelector('svg.stappenplan-breed');
  const stappen = document.querySelector('.stappenplan-stappen');
  const result = {
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    frameScroll: frame ? frame.scrollWidth - frame.clientWidth : null,
    frameBorder: frame ? parseFloat(getComputedStyle(frame).borderTopWidth) : null,
    smalShown: shown(smal),
    breedShown: shown(breed),
    svgBorders: [smal, breed].filter(Boolean).map((s) => {
      const c = getComputedStyle(s);
      return parseFloat(c.borderTopWidth) + parseFloat(c.borderLeftWidth) + parseFloat(c.paddingTop);
    }),
    rtl: document.documentElement.dir === 'rtl',
    smalDirection: smal?.getAttribute('direction') ?? null,
    texts: 0,
    smallest: null,
    right: null,
    textBelow: null,
  };
  if (result.smalShown) {
    const scale = smal.getScreenCTM().a;
    const sizes = [...smal.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    result.texts = sizes.length;
    result.smallest = Math.min(...sizes);
    result.right = smal.getBoundingClientRect().right;
    result.textBelow = stappen ? stappen.getBoundingClientRect().top >= smal.getBoundingClientRect().bottom : false;
  }
  return result;
}

const profile = mkdtempSync(join(tmpdir(), 'stappenplan-smal-'));
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
  });
  const page = await browser.newPage();
  for (const path of paths) {
    for (const { width, height } of PHONES) {
      await page.setViewport({ width, height });
      const response = await page.goto(base + path, { waitUntil: 'load' });
      const where = `${path} @${width}px`;
      if (response?.status() !== 200) {
        check(`${where}: laadt`, false, `${response?.status()}`);
        continue;
      }
      const m = await page.evaluate(measure);
      check(`${where}: pagina schuift niet opzij`, m.pageWidth <= m.viewport, `${m.pageWidth} > ${m.viewport}`);
      check(`${where}: tekening schuift niet opzij`, m.frameScroll === 0, `${m.frameScroll}px`);
      check(`${where}: smalle tekening getoond, brede niet`, m.smalShown && !m.breedShown, JSON.stringify(m));
      check(`${where}: tekening binnen het scherm`, m.right !== null && m.right <= m.viewport, `${m.right}`);
      check(
        `${where}: alle tekst in de tekening ≥ ${MIN_PX}px`,
        m.texts > 0 && m.smallest >= MIN_PX - 0.01,
        `${m.texts} teksten, kleinste ${m.smallest?.toFixed(2)}px`,
      );
      check(`${where}: één kader`, m.frameBorder > 0 && m.svgBorders.every((b) => b === 0), JSON.stringify(m.svgBorders));
      check(`${where}: tekstversie onder de tekening`, m.textBelow === true);
      check(`${where}: richting`, m.rtl === (m.smalDirection === 'rtl'), `${m.smalDirection}`);
    }
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(base + path, { waitUntil: 'load' });
    let m = await page.evaluate(measure);
    check(`${path} @1280px: brede tekening`, m.breedShown && !m.smalShown);
    await page.setViewport({ width: 390, height: 844 });
    await page.emulateMediaType('print');
    m = await page.evaluate(measure);
    check(`${path} afgedrukt: brede tekening`, m.breedShown && !m.smalShown);
    await page.emulateMediaType(null);
  }
} catch (e) {
  console.error(`stappenplan-smal.mjs: ${e.stack || e}`);
  process.exitCode = 2;
} finally {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
}
if (process.exitCode !== 2) {
  console.log(`stappenplan-smal: ${paths.length} pagina's, ${failed} fout`);
  process.exitCode = failed ? 1 : 0;
}
