#!/usr/bin/env node
// Accessibility check for the generated site: axe-core (WCAG 2.2 AA tag set) in headless
// Debian Chromium, at a mobile (360x740) and a desktop (1280x900) viewport.
//
//   node tests/browser/axe.mjs --base http://127.0.0.1:PORT [--lang-check[=nl]] [--jobs N]
//        [--timeout MS] [--paths-file FILE] [--cookie NAME=VALUE] /path1 /path2 ...
//
// --cookie sets a cookie for the base URL before every page (e.g. a dashboard session).
//
// Besides axe violations, each of these counts as a failure:
//   - a page that does not load, or answers with HTTP status >= 400;
//   - a subresource (CSS, image, script, font ...) that fails or answers >= 400;
//   - any request to a non-loopback host (the site must not load anything from outside;
//     such requests are blocked and reported);
//   - console errors and uncaught page errors;
//   - horizontal scrolling of the whole page at 360 px (WCAG 1.4.10 Reflow);
//   - with --lang-check: <html lang> missing or not the expected language (default "nl").
//
// Exit status: 0 all clean, 1 violations or failures, 2 usage error or harness failure.
// Chromium: env CHROMIUM, else /usr/bin/chromium. Nothing is downloaded.

import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { AXE_SOURCE, AXE_VERSION, AXE_TAGS, CHROMIUM_FLAGS } from './chromium.mjs';

const VIEWPORTS = [
  { name: 'mobile', width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  { name: 'desktop', width: 1280, height: 900, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
];

function usage(msg) {
  if (msg) console.error(`axe.mjs: ${msg}`);
  console.error(
    'usage: node axe.mjs --base http://127.0.0.1:PORT [--lang-check[=nl]] [--jobs N] ' +
      '[--timeout MS] [--paths-file FILE] [--cookie NAME=VALUE] [/path ...]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { base: null, lang: null, langPrefixes: [], rtl: [], jobs: 2, timeout: 30000, paths: [], cookies: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--base') opts.base = value();
    else if (a === '--lang-check') opts.lang = 'nl';
    else if (a.startsWith('--lang-check=')) opts.lang = a.slice('--lang-check='.length);
    // Pages under /<code>/ are in that language (Zola's layout): --lang-prefixes=en,fr,tr,ar
    else if (a.startsWith('--lang-prefixes=')) opts.langPrefixes = a.slice('--lang-prefixes='.length).split(',');
    // Right-to-left languages: their pages need <html dir="rtl">, all others dir="ltr".
    else if (a.startsWith('--rtl=')) opts.rtl = a.slice('--rtl='.length).split(',');
    else if (a === '--jobs') opts.jobs = Number(value());
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--cookie') {
      const c = value();
      const eq = c.indexOf('=');
      if (eq < 1) usage('--cookie needs NAME=VALUE');
      opts.cookies.push({ name: c.slice(0, eq), value: c.slice(eq + 1) });
    }
    else if (a === '--paths-file') {
      const file = value();
      for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
        const p = line.trim();
        if (p && !p.startsWith('#')) opts.paths.push(p);
      }
    } else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!opts.base) usage('--base is required');
  try {
    new URL(opts.base);
  } catch {
    usage(`--base is not a URL: ${opts.base}`);
  }
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) usage('--jobs must be a positive integer');
  if (!Number.isFinite(opts.timeout) || opts.timeout < 1000) usage('--timeout must be >= 1000 ms');
  if (opts.paths.length === 0) usage('no paths given');
  return opts;
}

function isLoopbackHost(hostname) {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

/** true when loading this URL would leave the machine */
function isExternal(url, baseOrigin) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:', 'javascript:'].includes(u.protocol)) return false;
  if (u.origin === baseOrigin) return false;
  return !isLoopbackHost(u.hostname);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function shortHtml(html) {
  const s = String(html ?? '').replace(/\s+/g, ' ').trim();
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Load one URL at one viewport and check it. Returns {failures, violations, review}. */
async function checkOne(browser, url, vp, opts, baseOrigin) {
  const failures = [];
  const violations = [];
  let review = [];
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(opts.timeout);
    page.setDefaultNavigationTimeout(opts.timeout);
    await page.setViewport({
      width: vp.width,
      height: vp.height,
      isMobile: vp.isMobile,
      hasTouch: vp.hasTouch,
      deviceScaleFactor: vp.deviceScaleFactor,
    });
    for (const c of opts.cookies) await page.setCookie({ ...c, url: opts.base });
    await page.setRequestInterception(true);
    const blocked = new Set();
    page.on('request', (req) => {
      const u = req.url();
      if (isExternal(u, baseOrigin)) {
        blocked.add(u);
        req.abort('blockedbyclient').catch(() => {});
      } else {
        req.continue().catch(() => {});
      }
    });
    page.on('requestfailed', (req) => {
      const u = req.url();
      if (blocked.has(u)) return;
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return; // reported by goto
      failures.push(`request failed: ${u} (${req.failure()?.errorText ?? 'unknown error'})`);
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return; // checked below
      if (res.status() < 400) return;
      // Chromium asks for /favicon.ico on its own when a page declares no icon; not the site's request.
      if (new URL(res.url()).pathname === '/favicon.ico' && req.resourceType() === 'other') return;
      failures.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // Failed loads are reported above with their URL; do not count them twice.
      if (/^Failed to load resource/.test(text)) return;
      const loc = msg.location();
      const where = loc?.url ? ` (${loc.url}${loc.lineNumber != null ? `:${loc.lineNumber + 1}` : ''})` : '';
      failures.push(`console error: ${text}${where}`);
    });
    page.on('pageerror', (err) => {
      failures.push(`page error: ${err?.message ?? err}`);
    });

    let response;
    try {
      response = await withTimeout(
        page.goto(url, { waitUntil: 'load', timeout: opts.timeout }),
        opts.timeout + 2000,
        `loading ${url}`,
      );
    } catch (err) {
      failures.push(`page did not load: ${err.message.split('\n')[0]}`);
      return { failures, violations, review };
    }
    if (!response) {
      failures.push('page did not load: no response');
      return { failures, violations, review };
    }
    if (response.status() >= 400) {
      failures.push(`page answered HTTP ${response.status()}`);
      return { failures, violations, review };
    }
    // Let late requests (lazy images, fonts) show up before judging the page.
    await page.waitForNetworkIdle({ idleTime: 100, timeout: 3000 }).catch(() => {});

    for (const u of blocked) failures.push(`external request blocked: ${u}`);

    if (vp.name === 'mobile') {
      const m = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        meta: document.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
        // The outermost elements that stick out on the right, to say where the problem is.
        culprits: (() => {
          const limit = document.documentElement.clientWidth + 1;
          const describe = (el) => {
            let d = el.tagName.toLowerCase();
            if (el.id) d += `#${el.id}`;
            for (const c of [...el.classList].slice(0, 3)) d += `.${c}`;
            return d;
          };
          const found = [];
          // Depth-first; descendants of a scroll or clip container are contained by it.
          const visit = (el) => {
            if (found.length >= 3) return;
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > limit) {
              found.push(el);
              return;
            }
            const ox = getComputedStyle(el).overflowX;
            if (ox !== 'visible') return;
            for (const child of el.children) visit(child);
          };
          if (document.body) for (const child of document.body.children) visit(child);
          const path = (el) => {
            const parent = el.parentElement;
            return (parent && parent !== document.body ? `${describe(parent)} > ` : '') + describe(el);
          };
          return found.map((el) => `${path(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
        })(),
      }));
      if (!m.meta || !/width\s*=\s*device-width/.test(m.meta)) {
        failures.push(
          `reflow (WCAG 1.4.10): no <meta name="viewport" content="width=device-width, initial-scale=1">; ` +
            `the layout is ${m.inner} px wide on a ${vp.width} px screen`,
        );
      } else if (Math.max(m.scroll, m.inner) > vp.width + 1) {
        failures.push(
          `reflow (WCAG 1.4.10): page scrolls horizontally at ${vp.width} px ` +
            `(content ${Math.max(m.scroll, m.inner)} px wide)` +
            (m.culprits.length ? `; sticking out: ${m.culprits.join(', ')}` : ''),
        );
      }
    }

    if (opts.lang) {
      const first = new URL(url).pathname.split('/')[1] ?? '';
      const expected = opts.langPrefixes.includes(first) ? first : opts.lang;
      const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
      const primary = (lang ?? '').trim().toLowerCase().split('-')[0];
      if (!lang || !lang.trim()) failures.push(`lang check: <html> has no lang attribute (expected "${expected}")`);
      else if (primary !== expected.toLowerCase().split('-')[0])
        failures.push(`lang check: <html lang="${lang}">, expected "${expected}"`);
      if (opts.rtl.length > 0) {
        const dir = await page.evaluate(() => document.documentElement.getAttribute('dir'));
        const want = opts.rtl.includes(expected) ? 'rtl' : 'ltr';
        if (dir !== want) failures.push(`dir check: <html dir="${dir}">, expected "${want}"`);
      }
    }

    // Runtime.evaluate is not subject to the page's Content-Security-Policy.
    await page.evaluate(AXE_SOURCE);
    const results = await withTimeout(
      page.evaluate(
        (tags) =>
          window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations', 'incomplete'],
          }),
        AXE_TAGS,
      ),
      opts.timeout,
      `axe.run on ${url}`,
    );
    for (const v of results.violations) {
      violations.push({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        helpUrl: String(v.helpUrl ?? "").replace(/\?application=axeAPI$/, ""),
        nodes: v.nodes.map((n) => ({
          target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '),
          html: shortHtml(n.html),
          summary: n.failureSummary ?? '',
        })),
      });
    }
    review = results.incomplete.map((v) => v.id);
  } catch (err) {
    failures.push(`check failed: ${err?.message?.split('\n')[0] ?? err}`);
  } finally {
    await withTimeout(context.close(), 10000, 'closing browser context').catch(() => {});
  }
  return { failures, violations, review };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const baseOrigin = new URL(opts.base).origin;
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(
      `axe.mjs: Chromium not found at ${executablePath}. Install it with ` +
        '`apt-get install chromium` or set CHROMIUM=/path/to/chromium.',
    );
    process.exit(2);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'zorg-axe-chromium-'));
  let browser;
  const cleanup = async () => {
    if (browser) {
      const proc = browser.process();
      await withTimeout(browser.close(), 10000, 'closing browser').catch(() => proc?.kill('SIGKILL'));
      browser = undefined;
    }
    try {
      rmSync(userDataDir, { recursive: true, force: true });
    } catch {
      /* ignore */
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      cleanup().finally(() => process.exit(2));
    });
  }

  const urls = opts.paths.map((p) => ({ path: p, url: new URL(p, opts.base).href }));
  const tasks = [];
  for (const [i, u] of urls.entries()) for (const vp of VIEWPORTS) tasks.push({ i, ...u, vp });
  const results = urls.map(() => ({}));

  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: CHROMIUM_FLAGS,
      protocolTimeout: opts.timeout * 2,
      timeout: 60000,
    });
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const t = tasks[next++];
        results[t.i][t.vp.name] = await checkOne(browser, t.url, t.vp, opts, baseOrigin);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.jobs, tasks.length) }, worker));
  } catch (err) {
    console.error(`axe.mjs: harness failure: ${err?.stack ?? err}`);
    await cleanup();
    process.exit(2);
  }
  await cleanup();

  // Report, in the order the paths were given.
  let violationCount = 0;
  let elementCount = 0;
  let failureCount = 0;
  let badPages = 0;
  const out = [];
  for (const [i, u] of urls.entries()) {
    const perVp = VIEWPORTS.map((vp) => ({ vp, r: results[i][vp.name] }));
    const clean = perVp.every(({ r }) => r.failures.length === 0 && r.violations.length === 0);
    const review = [...new Set(perVp.flatMap(({ r }) => r.review))];
    const reviewNote = review.length ? ` (axe could not decide, review by hand: ${review.join(', ')})` : '';
    if (clean) {
      out.push(`ok    ${u.path}${reviewNote}`);
      continue;
    }
    badPages++;
    out.push(`FAIL  ${u.path}  ${u.url}${reviewNote}`);
    for (const { vp, r } of perVp) {
      if (r.failures.length === 0 && r.violations.length === 0) continue;
      out.push(`  [${vp.name} ${vp.width}x${vp.height}]`);
      for (const f of r.failures) {
        failureCount++;
        out.push(`    ! ${f}`);
      }
      for (const v of r.violations) {
        violationCount++;
        elementCount += v.nodes.length;
        out.push(`    x ${v.id} (${v.impact}): ${v.help}`);
        out.push(`      ${v.helpUrl}`);
        for (const n of v.nodes.slice(0, 10)) {
          out.push(`      - ${n.target}`);
          out.push(`        ${n.html}`);
        }
        if (v.nodes.length > 10) out.push(`      ... and ${v.nodes.length - 10} more elements`);
      }
    }
  }
  out.push(
    `axe: ${urls.length} pages, ${violationCount} violations` +
      (elementCount ? ` (${elementCount} elements)` : '') +
      `, ${failureCount} other failures; ${badPages} of ${urls.length} pages failed ` +
      `[axe-core ${AXE_VERSION}, ${AXE_TAGS.join(',')}, viewports ${VIEWPORTS.map((v) => `${v.width}x${v.height}`).join(' ')}]`,
  );
  console.log(out.join('\n'));
  process.exitCode = violationCount + failureCount > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(`axe.mjs: ${err?.stack ?? err}`);
  process.exit(2);
});
