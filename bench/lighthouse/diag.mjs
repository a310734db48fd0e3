import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
const [base, ...paths] = process.argv.slice(2);
const config = { extends: 'lighthouse:default', settings: { onlyCategories: ['performance'], formFactor: 'mobile', throttlingMethod: 'simulate',
  throttling: { rttMs: 400, throughputKbps: 400, cpuSlowdownMultiplier: 6, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 } } };
const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-dev-shm-usage'] });
for (const p of paths) {
  const { lhr } = await lighthouse(base + p, { port: chrome.port, output: 'json', logLevel: 'error' }, config);
  const a = lhr.audits;
  console.log('=====', p, 'perf', Math.round(lhr.categories.performance.score*100));
  for (const k of ['first-contentful-paint','largest-contentful-paint','total-blocking-time','speed-index','cumulative-layout-shift','interactive','max-potential-fid'])
    console.log(k, a[k]?.numericValue?.toFixed(0), 'score', a[k]?.score);
  console.log('weights', lhr.categories.performance.auditRefs.filter(r=>r.weight).map(r=>r.id+':'+r.weight).join(' '));
  const el = a['largest-contentful-paint-element']?.details?.items;
  console.log('LCP element', JSON.stringify(el)?.slice(0, 1500));
  console.log('render-blocking', JSON.stringify(a['render-blocking-resources']?.details?.items));
  for (const r of a['network-requests'].details.items) console.log('  req', r.url.replace(base,''), r.resourceType, r.transferSize, r.priority, r.networkRequestTime?.toFixed(0), r.networkEndTime?.toFixed(0));
  console.log('mainthread', JSON.stringify(a['mainthread-work-breakdown']?.details?.items?.map(i=>[i.group, Math.round(i.duration)])));
  console.log('bootup', JSON.stringify(a['bootup-time']?.details?.items?.map(i=>[i.url.replace(base,''), Math.round(i.total)])));
}
await chrome.kill();
