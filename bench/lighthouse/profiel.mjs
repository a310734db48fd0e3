// The slow mobile profile of issue 16, shared by meet.mjs and ontleed.mjs: Lighthouse's
// simulated throttling with 400 ms round trips, 400 kbit/s and the CPU slowed 6×, mobile
// screen; and the flags for Debian's headless Chromium (shared with the browser tests).

export const config = {
  extends: 'lighthouse:default',
  settings: {
    onlyCategories: ['performance', 'accessibility'],
    formFactor: 'mobile',
    throttlingMethod: 'simulate',
    throttling: {
      rttMs: 400,
      throughputKbps: 400,
      cpuSlowdownMultiplier: 6,
      requestLatencyMs: 0,
      downloadThroughputKbps: 0,
      uploadThroughputKbps: 0,
    },
  },
};

export { CHROMIUM_FLAGS as chromeFlags } from '../../tests/browser/chromium-vlaggen.mjs';
