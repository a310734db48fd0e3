#!/usr/bin/env node
// Why one page is slow on the slow mobile profile of meet.mjs: one Lighthouse run, printing the
// metrics with their scores, the long tasks, the main-thread work by kind, the largest-paint
// element with its phases, and every request (priority, observed start and end in ms, bytes).
// A diagnostic, not a benchmark: the numbers of one run on a shared machine vary.
//
//   CHROME_PATH=/usr/bin/chromium node ontleed.mjs http://127.0.0.1:PORT/enquete/ouders
//
// Start the service as ../lighthouse.sh does. Lantern (Lighthouse's simulation) puts every
// request that ended before the observed largest paint on that paint's path, and the evaluation
// of every script that ran before it: what this prints is what to look at first.

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { config, chromeFlags } from './profiel.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node ontleed.mjs URL');
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags,
});
let lhr;
try {
  for (let attempt = 1; ; attempt++) {
    ({ lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' }, config));
    if (!lhr.runtimeError) break;
    if (attempt === 3) throw new Error(lhr.runtimeError.message);
  }
} finally {
  await chrome.kill();
}
const a = lhr.audits;
const ms = (x) => Math.round(x);
console.log(`performance ${Math.round(lhr.categories.performance.score * 100)}`);
for (const k of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'speed-index', 'cumulative-layout-shift']) {
  console.log(`  ${k}: ${a[k].displayValue} (score ${a[k].score})`);
}
console.log('long tasks (url, start, duration):');
for (const t of a['long-tasks']?.details?.items ?? []) console.log(`  ${t.url} ${ms(t.startTime)} ${ms(t.duration)}`);
console.log('main-thread work:');
for (const t of a['mainthread-work-breakdown']?.details?.items ?? []) console.log(`  ${t.group} ${ms(t.duration)} ms`);
const lcp = a['largest-contentful-paint-element']?.details?.items ?? [];
console.log(`largest paint: ${lcp[0]?.items?.[0]?.node?.snippet ?? '?'}`);
for (const p of lcp[1]?.items ?? []) console.log(`  ${p.phase} ${ms(p.timing)} ms`);
console.log('requests (priority, start, end, bytes):');
for (const r of a['network-requests'].details.items) {
  const naam = r.url.startsWith('data:') ? `${r.url.slice(0, 30)}…` : r.url.replace(/^https?:\/\/[^/]+/, '');
  console.log(`  ${naam} ${r.priority} ${ms(r.networkRequestTime)} ${ms(r.networkEndTime)} ${r.transferSize}`);
}
