#!/usr/bin/env node
// Fills in a survey with the keyboard only and JavaScript switched off, in headless Debian
// Chromium at a 360 px wide screen, as a parent with a phone and a keyboard (or switch) would.
//
//   node tests/browser/enquete-toetsenbord.mjs --base http://127.0.0.1:PORT [--vragenlijst ouders] [--taal ar]
//
// With --taal the form is opened as /enquete/<id>?taal=<taal> (Arabic: right to left); every
// page must then have that `lang` (and `dir="rtl"` for ar).
//
// Steps, each checked:
//   1. The first Tab reaches the skip link; Enter on it moves on to the main content.
//   2. Tab through the form: every radio group is answered with Space and arrow keys, except
//      the third one (left open on purpose), and text is typed into every open question.
//   3. Enter on the send button: the form comes back with an error summary at the top that has
//      focus, links to the open question, and every other answer and text still filled in.
//      axe (WCAG 2.2 AA tags) finds nothing on that page.
//   4. Tab to the link in the summary and Enter: focus lands on the question; Space answers it.
//   5. Tab to the send button and Enter: the thank-you page.
//   6. Kiosk: fill in and send; the form comes back empty for the next person.
//   7. No page needed horizontal scrolling at 360 px.
//
// Exit status: 0 when every step passed, 1 when one failed, 2 on a harness failure.

import { axeViolations, browserTest } from './chromium.mjs';

function parseArgs(argv) {
  const opts = { base: null, vragenlijst: 'ouders', taal: 'nl', kiosk: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base') opts.base = argv[++i];
    // The cookie staff give a kiosk device (NAME=VALUE), set before the kiosk step.
    else if (argv[i] === '--kiosk-cookie') {
      const c = argv[++i] || '';
      const eq = c.indexOf('=');
      opts.kiosk = { name: c.slice(0, eq), value: c.slice(eq + 1) };
    }
    else if (argv[i] === '--vragenlijst') opts.vragenlijst = argv[++i];
    else if (argv[i] === '--taal') opts.taal = argv[++i];
    else {
      console.error(`enquete-toetsenbord.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!opts.base) {
    console.error(
      'usage: node enquete-toetsenbord.mjs --base http://127.0.0.1:PORT [--vragenlijst ouders] [--taal nl] [--kiosk-cookie kiosk=…]',
    );
    process.exit(2);
  }
  return opts;
}

const { check, draai } = browserTest('toetsenbord');

/** What has focus now. Runs through DevTools, so it works with page scripts switched off. */
async function focus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return { tag: '' };
    return {
      tag: el.tagName,
      type: el.getAttribute('type') || '',
      name: el.getAttribute('name') || '',
      id: el.id || '',
      href: el.getAttribute('href') || '',
      cls: el.className || '',
      checked: !!el.checked,
      value: el.value || '',
    };
  });
}

async function formState(page) {
  return page.evaluate(() => ({
    groups: [...new Set([...document.querySelectorAll('input[type=radio]')].map((r) => r.name))],
    checked: Object.fromEntries(
      [...document.querySelectorAll('input[type=radio]:checked')].map((r) => [r.name, r.value]),
    ),
    texts: Object.fromEntries([...document.querySelectorAll('textarea')].map((t) => [t.name, t.value])),
    scrollsSideways: document.documentElement.scrollWidth > window.innerWidth + 1,
  }));
}

/** Presses Enter on the focused element and waits for the page that follows. */
async function enterAndWait(page) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 30000 }),
    page.keyboard.press('Enter'),
  ]);
  // Autofocus is applied at the next rendering update after load.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return response;
}

/**
 * Tabs through the form from the current focus to the send button. Unanswered radio groups get
 * an answer (Space on the first option, then ArrowDown to "Akkoord"), except `skip`; empty
 * textareas get `text`. Returns the groups answered and whether the button was reached.
 */
async function fillByKeyboard(page, { skip = null, text = '' } = {}) {
  const answered = [];
  for (let presses = 0; presses < 300; presses++) {
    await page.keyboard.press('Tab');
    const f = await focus(page);
    // The send button (the language switcher's buttons in the header submit the form too).
    if (f.tag === 'BUTTON' && f.type === 'submit' && f.cls.includes('enquete-knop')) return { answered, reachedButton: true };
    if (f.tag === 'INPUT' && f.type === 'radio' && !f.checked && f.name !== skip) {
      await page.keyboard.press('Space');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      answered.push(f.name);
    } else if (f.tag === 'TEXTAREA' && text && !f.value) {
      await page.keyboard.type(text);
    }
  }
  return { answered, reachedButton: false };
}

/** axe needs scripts: switched on for the check only, on the page as it is (no reload). */
async function run(browser, opts) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 360, height: 740, isMobile: true, hasTouch: true });
  page.setDefaultTimeout(30000);
  const base = opts.base.replace(/\/$/, '');
  const query = opts.taal === 'nl' ? '' : `?taal=${opts.taal}`;
  const formUrl = `${base}/enquete/${opts.vragenlijst}${query}`;
  const taalKlopt = async () =>
    page.evaluate(
      (taal) =>
        document.documentElement.lang === taal &&
        document.documentElement.dir === (taal === 'ar' ? 'rtl' : 'ltr'),
      opts.taal,
    );
  let sideways = [];

  // 1. Skip link.
  let response = await page.goto(formUrl, { waitUntil: 'load' });
  check('formulier laadt', response?.status() === 200, `status ${response?.status()}`);
  check(`taal ${opts.taal}: lang en dir kloppen`, await taalKlopt());
  const jsOff = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'document.documentElement.dataset.js = "aan"';
    document.head.appendChild(s);
    return document.documentElement.dataset.js !== 'aan';
  });
  check('JavaScript staat uit', jsOff);
  await page.keyboard.press('Tab');
  let f = await focus(page);
  check('eerste Tab: de link "Ga naar de inhoud"', f.tag === 'A' && f.href === '#inhoud', JSON.stringify(f));
  await page.keyboard.press('Enter');
  f = await focus(page);
  check('Enter op de link: de focus staat in de inhoud', f.id === 'inhoud', JSON.stringify(f));
  let state = await formState(page);
  if (state.scrollsSideways) sideways.push(formUrl);
  const groups = state.groups;
  const skip = groups[2];

  // 2. Fill in everything but the third question.
  const first = await fillByKeyboard(page, { skip, text: 'Getypt met het toetsenbord' });
  check('Tab bereikt de verstuurknop', first.reachedButton);
  check(
    'elke vraag behalve de derde beantwoord met Spatie en pijltjes',
    first.answered.length === groups.length - 1 && !first.answered.includes(skip),
    `${first.answered.length} van ${groups.length}`,
  );

  // 3. Send: errors come back, answers kept.
  response = await enterAndWait(page);
  check('versturen zonder vraag 3 geeft een foutpagina (400)', response?.status() === 400, `status ${response?.status()}`);
  f = await focus(page);
  check('de foutsamenvatting bovenaan heeft de focus', String(f.cls).includes('enquete-foutsamenvatting'), JSON.stringify(f));
  state = await formState(page);
  if (state.scrollsSideways) sideways.push(`${formUrl} (fouten)`);
  const kept = groups.filter((g) => g !== skip).every((g) => state.checked[g] === '4');
  check('alle andere antwoorden staan er nog', kept && !(skip in state.checked), JSON.stringify(state.checked));
  const textsKept = Object.values(state.texts).every((t) => t === 'Getypt met het toetsenbord');
  check('de getypte tekst staat er nog', textsKept && Object.keys(state.texts).length > 0, JSON.stringify(state.texts));
  const violations = await axeViolations(page);
  check('axe: geen problemen op de foutpagina', violations.length === 0, violations.join('; '));

  // 4. Follow the summary link to the question.
  await page.keyboard.press('Tab');
  f = await focus(page);
  check('Tab: de link in de foutsamenvatting', f.tag === 'A' && f.href === `#v-${skip}-1`, JSON.stringify(f));
  await page.keyboard.press('Enter');
  f = await focus(page);
  check('Enter: de focus staat op de vraag', f.id === `v-${skip}-1`, JSON.stringify(f));
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  state = await formState(page);
  check('de vraag is nu beantwoord', state.checked[skip] === '4', JSON.stringify(state.checked));

  // 5. Send again.
  const second = await fillByKeyboard(page);
  check('Tab bereikt opnieuw de verstuurknop', second.reachedButton && second.answered.length === 0);
  response = await enterAndWait(page);
  const thanks = await page.evaluate(() => document.querySelector('h1')?.textContent || '');
  check(
    'versturen: de bedankpagina',
    response?.status() === 200 &&
      new URL(page.url()).pathname.endsWith('/bedankt') &&
      (opts.taal === 'nl' ? thanks.includes('Bedankt') : thanks.length > 0) &&
      (await taalKlopt()),
    `${response?.status()} ${page.url()} "${thanks}"`,
  );

  // 6. Kiosk (a device staff switched on: it carries the kiosk cookie).
  if (opts.kiosk) await page.setCookie({ ...opts.kiosk, url: base });
  const kioskUrl = `${base}/enquete/${opts.vragenlijst}/kiosk${query}`;
  response = await page.goto(kioskUrl, { waitUntil: 'load' });
  check('kiosk laadt', response?.status() === 200);
  const kiosk = await fillByKeyboard(page, { text: 'Kiosktekst van de vorige ouder' });
  check('kiosk: alles beantwoord', kiosk.reachedButton && kiosk.answered.length === groups.length);
  response = await enterAndWait(page);
  state = await formState(page);
  if (state.scrollsSideways) sideways.push(`${kioskUrl} (na versturen)`);
  const status = await page.evaluate(() => document.querySelector('[role=status]')?.textContent || '');
  check(
    'kiosk: na versturen een leeg formulier voor de volgende persoon',
    response?.status() === 200 &&
      page.url().includes('/kiosk') &&
      Object.keys(state.checked).length === 0 &&
      Object.values(state.texts).every((t) => t === '') &&
      // The "saved" message in the form's language (no Dutch left on a translated kiosk).
      (opts.taal === 'nl' ? status.includes('bewaard') : status.length > 0 && !status.includes('bewaard')) &&
      (await taalKlopt()),
    `${page.url()} ${JSON.stringify(state.checked)} "${status}"`,
  );

  // 7. Reflow.
  check('geen horizontaal scrollen op 360 px', sideways.length === 0, sideways.join(', '));
  await page.close();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await draai((browser) => run(browser, opts));
}

main();
