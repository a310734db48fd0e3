// Shared by the browser scripts: how Debian's Chromium is started here (the flags, in
// chromium-vlaggen.mjs, are shared with the Lighthouse bench) and which axe rules run.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium-vlaggen.mjs';

const require = createRequire(import.meta.url);

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = require('axe-core/package.json').version;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export { CHROMIUM_FLAGS };

/**
 * The axe violations of the page as it is now (wcag 2.2 AA tags), one line each; scripts are
 * switched on for axe only and off again afterwards.
 */
export async function axeViolations(page) {
  await page.setJavaScriptEnabled(true);
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    AXE_TAGS,
  );
  await page.setJavaScriptEnabled(false);
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Speech synthesis replaced by a fake before any script of the page runs: it offers a voice for
 * each language in `stemmen` and records what would be spoken in `window.__gesproken`
 * (`{ tekst, lang }`).
 */
export async function fakeSpeech(page, stemmen) {
  await page.evaluateOnNewDocument((stemmen) => {
    window.__gesproken = [];
    const nep = {
      getVoices: () => stemmen.map((lang) => ({ lang, name: `stem ${lang}`, default: false, localService: true, voiceURI: lang })),
      speak: (u) => window.__gesproken.push({ tekst: u.text, lang: u.lang }),
      cancel: () => {},
      addEventListener: () => {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: nep, configurable: true });
  }, stemmen);
}

/**
 * The frame every browser script shares. `check(step, ok, detail)` records one step, prints it
 * (only when it fails if `stil`) and returns `ok`. `draai(run, { args })` starts a headless
 * Chromium with a profile folder of its own, calls `run(browser)`, prints
 * `<naam>: N stappen, F fout`, closes the browser, removes the profile and exits with 0 (every
 * step passed), 1 (a step failed) or 2 (the script itself failed).
 */
export function browserTest(naam, { stil = false } = {}) {
  const results = [];
  function check(step, ok, detail = '') {
    results.push({ step, ok });
    if (!ok || !stil) console.log(`${ok ? 'ok  ' : 'FOUT'} ${step}${detail ? ` — ${detail}` : ''}`);
    return ok;
  }
  async function draai(run, { args = [] } = {}) {
    const userDataDir = mkdtempSync(join(tmpdir(), `zorg-${naam.replaceAll(' ', '-')}-chromium-`));
    let browser;
    let code = 0;
    try {
      browser = await puppeteer.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        userDataDir,
        args: [...CHROMIUM_FLAGS, ...args],
        timeout: 60000,
      });
      await run(browser);
      const failed = results.filter((r) => !r.ok).length;
      console.log(`${naam}: ${results.length} stappen, ${failed} fout`);
      code = failed > 0 ? 1 : 0;
    } catch (err) {
      console.error(`${naam}: harness failure: ${err?.stack ?? err}`);
      code = 2;
    } finally {
      if (browser) await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      rmSync(userDataDir, { recursive: true, force: true });
    }
    process.exit(code);
  }
  return { check, draai };
}
