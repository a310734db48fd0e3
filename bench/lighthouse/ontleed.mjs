#!/usr/bin/env node
// Why one page is slow on the slow mobile profile of meet.mjs: one Lighthouse run, printing the
// metrics with their scores, the long tasks, the main-thread work by kind, the largest-paint
// element with its phases, every request (priority, observed start and end in ms, bytes), and
// Lantern's simulation of the largest paint: each node of its pessimistic graph with its
// simulated start and end and what it waits for (a `cpu@T+D` node is a main-thread task that
// started at T ms in the trace and took D ms there; Lantern multiplies D by the CPU slowdown).
// A diagnostic, not a benchmark: the numbers of one run on a shared machine vary.
//
//   CHROME_PATH=/usr/bin/chromium node ontleed.mjs http://127.0.0.1:PORT/enquete/ouders
//
// Start the service as ../lighthouse.sh does. Lantern (Lighthouse's simulation) puts every
// request that ended before the observed largest paint on that paint's path, and the evaluation
// of every script that ran before it: what this prints is what to look at first.

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { LanternLargestContentfulPaint } from 'lighthouse/core/computed/metrics/lantern-largest-contentful-paint.js';
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
let artifacts;
try {
  for (let attempt = 1; ; attempt++) {
    ({ lhr, artifacts } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' }, config));
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

// The same simulation Lighthouse ran, again from the run's trace, to show its graph.
const settings = lhr.configSettings;
const lantern = await LanternLargestContentfulPaint.request(
  {
    trace: artifacts.Trace,
    devtoolsLog: artifacts.DevtoolsLog,
    gatherContext: artifacts.GatherContext,
    settings,
    simulator: null,
    URL: artifacts.URL,
    SourceMaps: artifacts.SourceMaps,
  },
  { computedCache: new Map(), settings },
);
const timings = [...lantern.pessimisticEstimate.nodeTimings.entries()];
const begin = Math.min(...timings.map(([node]) => node.startTime));
const label = (node) =>
  node.type === 'network'
    ? node.request.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 40)
    : `cpu@${ms((node.startTime - begin) / 1000)}+${ms(node.duration / 1000)}`;
console.log(`largest paint, Lantern's pessimistic graph (${ms(lantern.pessimisticEstimate.timeInMs)} ms; optimistic ${ms(lantern.optimisticEstimate.timeInMs)} ms):`);
for (const [node, t] of timings.sort((x, y) => x[1].startTime - y[1].startTime)) {
  console.log(`  ${ms(t.startTime)}-${ms(t.endTime)} ${label(node)} <- ${node.getDependencies().map(label).join(', ')}`);
}
