#!/usr/bin/env node
// Lighthouse on a slow mobile profile for the pages of issue 16, each measured twice in the
// same run: as served, and as a baseline without compression (the browser asks for
// `Accept-Encoding: identity`). Prints one table; not a test. Started by ../lighthouse.sh,
// which builds and starts the survey service (it serves the site too).
//
//   CHROME_PATH=/usr/bin/chromium node meet.mjs --base http://127.0.0.1:PORT [--runs 3] [--json out.json]
//
// Profile: Lighthouse's simulated throttling with 400 ms round trips, 400 kbit/s and the CPU
// slowed 6×, mobile screen; the median of --runs runs per page (by performance score).

import { writeFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { config, chromeFlags } from './profiel.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const base = arg('--base')?.replace(/\/$/, '');
const runs = Number(arg('--runs', '3'));
const jsonOut = arg('--json');
if (!base || !(runs >= 1)) {
  console.error('usage: node meet.mjs --base http://127.0.0.1:PORT [--runs 3] [--json out.json]');
  process.exit(2);
}

const PAGES = [
  ['home nl', '/'],
  ['home ar', '/ar/'],
  ['stappenplan nl', '/stappenplan/ouder/'],
  ['stappenplan ar', '/ar/stappenplan/ouder/'],
  ['poster nl', '/poster/'],
  ['poster ar', '/ar/poster/'],
  ['survey nl', '/enquete/ouders'],
  ['survey ar', '/enquete/ouders?taal=ar'],
];

const GOAL_PERFORMANCE = 95;
const GOAL_SURVEY_KB = 15;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags,
});

async function measure(path, plain) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error' };
    if (plain) flags.extraHeaders = { 'Accept-Encoding': 'identity' };
    // On a busy machine Chromium's trace sometimes misses its start (NO_NAVSTART): try again.
    let lhr;
    for (let attempt = 1; ; attempt++) {
      ({ lhr } = await lighthouse(base + path, flags, config));
      if (!lhr.runtimeError) break;
      if (attempt === 3) throw new Error(`${path}: ${lhr.runtimeError.message}`);
      process.stderr.write(`${path}: ${lhr.runtimeError.code}, once more\n`);
    }
    const a = lhr.audits;
    results.push({
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      fcp: a['first-contentful-paint'].numericValue,
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      kb: a['total-byte-weight'].numericValue / 1024,
      requests: a['network-requests'].details.items.length,
    });
  }
  results.sort((x, y) => x.performance - y.performance);
  return results[Math.floor(results.length / 2)];
}

const rows = [];
try {
  for (const [name, path] of PAGES) {
    const served = await measure(path, false);
    const plain = await measure(path, true);
    rows.push({ name, path, served, plain });
    process.stderr.write(`measured ${name}\n`);
  }
} finally {
  await chrome.kill();
}

const s = (ms) => (ms / 1000).toFixed(1);
const head = ['page', 'perf', 'a11y', 'FCP s', 'LCP s', 'TBT ms', 'KB', 'req', '| baseline: perf', 'LCP s', 'KB', 'goal'];
console.log(head.join('\t'));
let met = true;
for (const { name, served: m, plain: b } of rows) {
  const survey = name.startsWith('survey');
  const ok = m.performance >= GOAL_PERFORMANCE && m.accessibility === 100 && (!survey || m.kb <= GOAL_SURVEY_KB);
  met &&= ok;
  console.log(
    [name, m.performance, m.accessibility, s(m.fcp), s(m.lcp), Math.round(m.tbt), m.kb.toFixed(1), m.requests,
      `| ${b.performance}`, s(b.lcp), b.kb.toFixed(1), ok ? 'met' : 'NOT met'].join('\t'),
  );
}
console.log(
  `goals (performance >= ${GOAL_PERFORMANCE}, accessibility 100, survey <= ${GOAL_SURVEY_KB} KB on a first visit): ${met ? 'all met' : 'NOT all met'}`,
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ runs, rows }, null, 2));
