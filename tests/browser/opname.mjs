#!/usr/bin/env node
// The school's own recordings in headless Debian Chromium. The example school has one: the Dutch
// recording of `zorg-zorgcoordinator` in `ouders` (content/enquetes/audio/ouders/). Chromium here
// has no voices, so speech synthesis is replaced before any script runs by a stand-in that
// reports the voices given and records what it is asked to say (as in voorlezen.mjs).
//
// Checks:
//   - the form (nl, scripts on, a Dutch voice): the recorded item has an <audio> whose source is
//     /enquete/ouders/audio/zorg-zorgcoordinator.nl.<hash>.mp3 (audio/mpeg), made by the script
//     without the browser's player (the page holds no <audio controls> at all, so none is built
//     and hidden again); its "Lees voor" button plays that file (the audio element plays it, no
//     speech); the button of an item without a recording speaks, and stops the recording;
//   - the same without any voice: only the recorded item has a button, and it plays;
//   - the simple mode (nl): the recorded item's screen has the same <audio> and button;
//   - Arabic (form and simple mode): no recording, so no <audio>;
//   - scripts off: the recording keeps the browser's own player, visible.
//
//   node tests/browser/opname.mjs --base http://127.0.0.1:PORT
//
// Prints `opname: N stappen, F fout`. Exit status 0, 1 (a check failed) or 2 (harness).

import { browserTest, fakeSpeech } from './chromium.mjs';

const opts = { base: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--base') opts.base = argv[++i];
  else {
    console.error(`opname.mjs: unknown argument ${argv[i]}`);
    process.exit(2);
  }
}
if (!opts.base) {
  console.error('usage: node opname.mjs --base URL');
  process.exit(2);
}

const VRAAG = 'zorg-zorgcoordinator';
const BRON = new RegExp(`^/enquete/ouders/audio/${VRAAG}\\.nl\\.[0-9a-f]{10}\\.mp3$`);

const { check, draai } = browserTest('opname');

async function pagina(browser, { stemmen = [], scripts = true } = {}) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(scripts);
  await fakeSpeech(page, stemmen);
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  return page;
}

// The recorded item's question element and what the page shows for it.
async function opnameVan(page) {
  return page.evaluate(() => {
    const audios = [...document.querySelectorAll('[data-voorlees-vraag] audio')];
    const a = audios[0];
    const vraag = a?.closest('[data-voorlees-vraag]');
    const bron = a?.querySelector('source');
    return {
      aantal: audios.length,
      src: bron ? new URL(bron.src).pathname : null,
      type: bron?.getAttribute('type') ?? null,
      preload: a?.getAttribute('preload') ?? null,
      // Not drawn: no browser controls and no size (an <audio> without controls is not shown).
      verborgen: a ? !a.controls && a.getBoundingClientRect().height === 0 : null,
      spelers: document.querySelectorAll('audio[controls]').length,
      knop: !!vraag?.querySelector('.voorlees-knop'),
      knoppen: document.querySelectorAll('.voorlees-knop').length,
      vragen: document.querySelectorAll('[data-voorlees-vraag]').length,
    };
  });
}

// Presses the recorded item's button and waits until its <audio> plays the file.
async function speelt(page) {
  await page.evaluate(() => {
    document.querySelector('[data-voorlees-opname]').closest('[data-voorlees-vraag]').querySelector('.voorlees-knop').click();
  });
  try {
    await page.waitForFunction(
      () => {
        const a = document.querySelector('[data-voorlees-opname] audio');
        return a && !a.paused && a.currentTime > 0;
      },
      { timeout: 15000 },
    );
  } catch {
    // Reported below with the element's state.
  }
  return page.evaluate(() => {
    const a = document.querySelector('[data-voorlees-opname] audio');
    return {
      speelt: !a.paused && a.currentTime > 0,
      bron: a.currentSrc ? new URL(a.currentSrc).pathname : '',
      fout: a.error ? a.error.code : null,
      gesproken: window.__gesproken.length,
    };
  });
}

async function run(browser) {
  // 1. The form in Dutch with a Dutch voice.
  let page = await pagina(browser, { stemmen: ['nl-BE'] });
  await page.goto(`${opts.base}/enquete/ouders`, { waitUntil: 'load' });
  let o = await opnameVan(page);
  check('formulier: één <audio>, bij de vraag met een opname', o.aantal === 1, JSON.stringify(o));
  check('formulier: de bron is het MP3-bestand van de school', BRON.test(o.src ?? '') && o.type === 'audio/mpeg', JSON.stringify(o));
  check('formulier: preload="none" (niets laden voor iemand drukt)', o.preload === 'none', JSON.stringify(o));
  check('formulier: de speler van de browser is verborgen, de knop staat er', o.verborgen === true && o.knop, JSON.stringify(o));
  check('formulier: met JavaScript bouwt de pagina geen speler van de browser', o.spelers === 0, JSON.stringify(o));
  check('formulier: elke vraag heeft een knop', o.knoppen === o.vragen && o.vragen > 1, JSON.stringify(o));
  let s = await speelt(page);
  check('de knop speelt de opname af, zonder spraak', s.speelt && BRON.test(s.bron) && s.fout === null && s.gesproken === 0, JSON.stringify(s));
  const ander = await page.evaluate(() => {
    const vraag = [...document.querySelectorAll('[data-voorlees-vraag]')].find((v) => !v.querySelector('audio'));
    vraag.querySelector('.voorlees-knop').click();
    const a = document.querySelector('[data-voorlees-opname] audio');
    return {
      gesproken: window.__gesproken.map((g) => g.lang),
      tekst: window.__gesproken[0]?.tekst.startsWith(vraag.querySelector('[data-voorlees-tekst]').textContent.trim()) ?? false,
      gepauzeerd: a.paused,
    };
  });
  check(
    'een vraag zonder opname wordt door de browser voorgelezen, en de opname stopt',
    ander.gesproken.length === 1 && ander.gesproken[0].startsWith('nl') && ander.tekst && ander.gepauzeerd,
    JSON.stringify(ander),
  );
  await page.close();

  // 2. No voice at all: only the recorded item gets a button, and it still plays.
  page = await pagina(browser, { stemmen: [] });
  await page.goto(`${opts.base}/enquete/ouders`, { waitUntil: 'load' });
  o = await opnameVan(page);
  check('zonder stem: alleen de vraag met een opname heeft een knop', o.knoppen === 1 && o.knop, JSON.stringify(o));
  s = await speelt(page);
  check('zonder stem: de knop speelt de opname', s.speelt && BRON.test(s.bron), JSON.stringify(s));
  await page.close();

  // 3. The simple mode in Dutch: answer the first question, the second is the recorded one.
  page = await pagina(browser, { stemmen: ['nl-NL'] });
  await page.goto(`${opts.base}/enquete/ouders/eenvoudig`, { waitUntil: 'load' });
  o = await opnameVan(page);
  check('eenvoudig: de eerste vraag heeft geen opname', o.aantal === 0 && o.knoppen === 1, JSON.stringify(o));
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[name="_antwoord"][value="4"]')]);
  o = await opnameVan(page);
  const id = await page.evaluate(() => document.querySelector('[data-voorlees-vraag] [id^="vraag-"]')?.id ?? '');
  check(`eenvoudig: het scherm van ${VRAAG} heeft de opname en de knop`, id === `vraag-${VRAAG}` && o.aantal === 1 && BRON.test(o.src ?? '') && o.verborgen === true && o.knop, JSON.stringify({ id, ...o }));
  s = await speelt(page);
  check('eenvoudig: de knop speelt de opname', s.speelt && s.gesproken === 0, JSON.stringify(s));
  await page.close();

  // 4. Arabic: the school recorded nothing in Arabic.
  page = await pagina(browser, { stemmen: ['ar-SA'] });
  for (const pad of ['/enquete/ouders?taal=ar', '/enquete/ouders/eenvoudig?taal=ar']) {
    await page.goto(`${opts.base}${pad}`, { waitUntil: 'load' });
    o = await opnameVan(page);
    check(`${pad}: geen opname, de browser leest voor`, o.aantal === 0 && o.knoppen === o.vragen && o.vragen > 0, JSON.stringify(o));
  }
  await page.close();

  // 5. Scripts off: the browser's own player, visible, with the same source.
  page = await pagina(browser, { scripts: false });
  await page.goto(`${opts.base}/enquete/ouders`, { waitUntil: 'load' });
  o = await opnameVan(page);
  const speler = await page.evaluate(() => {
    const a = document.querySelector('[data-voorlees-opname] audio');
    const r = a.getBoundingClientRect();
    return { controls: a.controls, breed: r.width, hoog: r.height };
  });
  check(
    'zonder JavaScript: de speler van de browser is zichtbaar, met dezelfde bron',
    o.aantal === 1 && o.spelers === 1 && o.verborgen === false && BRON.test(o.src ?? '') && o.knoppen === 0 && speler.controls && speler.breed > 100 && speler.hoog > 20,
    JSON.stringify({ ...o, ...speler }),
  );
  await page.close();
}

// A press on "Lees voor" is the gesture that allows playing; no sound card here.
await draai(run, { args: ['--mute-audio'] });
