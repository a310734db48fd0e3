// How Debian's Chromium is started here, for the browser tests (chromium.mjs) and the
// Lighthouse bench (bench/lighthouse/profiel.mjs). Flags from ../shared/tooling-notes.md:
// without the background-networking ones Chromium floods the closed network with refused
// connections.

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];
