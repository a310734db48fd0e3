#!/usr/bin/env node
// Screenshots of the Arabic poster, parent flowchart and parent survey next to the Dutch ones,
// in headless Debian Chromium at 1280 × 900, and checks that the Arabic pages are mirrored:
//   - flowchart: every step box sits at the mirrored place (x → width − x, within 5 %: the
//     Arabic texts differ in length), off-centre boxes on the other side, and some boxes are
//     off-centre, so the check means something;
//   - poster: phase 0 is left of phase 1 in Dutch and right of it in Arabic;
//   - survey: the radio button is left of its label in Dutch and right of it in Arabic;
//   - every page: <html lang dir> right, the first line of the h1 starts on the reading side.
//
//   node tests/browser/spiegel.mjs --base http://127.0.0.1:PORT --shots DIR
//
// Exit status: 0 when every check passed, 1 when one failed, 2 on a harness failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium.mjs';

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : null;
};
const base = arg('--base')?.replace(/\/$/, '');
const shots = arg('--shots');
if (!base || !shots) {
  console.error('usage: node spiegel.mjs --base http://127.0.0.1:PORT --shots DIR');
  process.exit(2);
}

let failed = 0;
function check(step, ok, detail = '') {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FOUT'} ${step}${detail ? ` — ${detail}` : ''}`);
}

const PAGES = [
  { name: 'stappenplan', nl: '/stappenplan/ouder/', ar: '/ar/stappenplan/ouder/' },
  { name: 'poster', nl: '/poster/', ar: '/ar/poster/' },
  { name: 'enquete', nl: '/enquete/ouders', ar: '/enquete/ouders?taal=ar' },
];

async function measure(page) {
  return page.evaluate(() => {
    const rect = (el) => (el ? el.getBoundingClientRect().toJSON() : null);
    const h1 = document.querySelector('h1');
    const range = document.createRange();
    range.selectNodeContents(h1);
    const first = range.getClientRects()[0];
    const svg = document.querySelector('svg.stappenplan-breed');
    const boxes = svg
      ? [...svg.querySelectorAll('g.stap')].map((g) => {
          const s = svg.getBoundingClientRect();
          const b = g.getBoundingClientRect();
          return (b.left + b.width / 2 - s.left) / s.width;
        })
      : [];
    const radio = document.querySelector('input[type=radio]');
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      h1: rect(h1),
      h1First: first ? first.toJSON() : null,
      boxes,
      fase0: rect(document.querySelector('.fase-0')),
      fase1: rect(document.querySelector('.fase-1')),
      radio: rect(radio),
      label: rect(radio ? document.querySelector(`label[for="${radio.id}"]`) : null),
    };
  });
}

const profile = mkdtempSync(join(tmpdir(), 'spiegel-'));
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  for (const p of PAGES) {
    const m = {};
    for (const taal of ['nl', 'ar']) {
      const response = await page.goto(base + p[taal], { waitUntil: 'load' });
      check(`${p.name} ${taal}: laadt`, response?.status() === 200, `${response?.status()}`);
      await page.screenshot({ path: join(shots, `${p.name}-${taal}.png`), fullPage: true });
      m[taal] = await measure(page);
    }
    const { nl, ar } = m;
    check(`${p.name}: lang/dir`, nl.lang === 'nl' && nl.dir === 'ltr' && ar.lang === 'ar' && ar.dir === 'rtl', `${ar.lang} ${ar.dir}`);
    check(
      `${p.name}: titel begint links in nl, rechts in ar`,
      Math.abs(nl.h1First.left - nl.h1.left) < 3 && Math.abs(ar.h1First.right - ar.h1.right) < 3,
      JSON.stringify({ nl: [nl.h1.left, nl.h1First.left], ar: [ar.h1.right, ar.h1First.right] }),
    );
    if (p.name === 'stappenplan') {
      const mirrored =
        nl.boxes.length > 3 &&
        nl.boxes.length === ar.boxes.length &&
        // Arabic boxes hold other text, so sizes differ a little: mirrored within 5 %, and every
        // off-centre box on the other side.
        nl.boxes.every((x, i) => Math.abs(x + ar.boxes[i] - 1) < 0.05) &&
        nl.boxes.every((x, i) => Math.abs(x - 0.5) < 0.05 || (x - 0.5) * (ar.boxes[i] - 0.5) < 0);
      const offCentre = nl.boxes.some((x) => Math.abs(x - 0.5) > 0.1);
      check('stappenplan: elke stap staat gespiegeld', mirrored && offCentre, JSON.stringify({ nl: nl.boxes, ar: ar.boxes }));
    }
    if (p.name === 'poster') {
      check(
        'poster: fase 0 links in nl, rechts in ar',
        nl.fase0.left < nl.fase1.left && ar.fase0.left > ar.fase1.left,
        JSON.stringify({ nl: [nl.fase0.left, nl.fase1.left], ar: [ar.fase0.left, ar.fase1.left] }),
      );
    }
    if (p.name === 'enquete') {
      check(
        'enquete: keuzerondje links van het label in nl, rechts in ar',
        nl.radio.left < nl.label.left && ar.radio.left > ar.label.left,
        JSON.stringify({ nl: [nl.radio.left, nl.label.left], ar: [ar.radio.left, ar.label.left] }),
      );
    }
  }
} catch (e) {
  console.error(`spiegel.mjs: ${e.stack || e}`);
  process.exitCode = 2;
} finally {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
}
if (process.exitCode !== 2) {
  console.log(`spiegel: ${failed} fout`);
  process.exitCode = failed ? 1 : 0;
}
