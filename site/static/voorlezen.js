// "Lees voor": a button beside each question that reads the question and its answers aloud, in
// the page's language. A question with the school's own recording (`[data-voorlees-opname]`:
// the file's address, its type in `data-voorlees-soort`) plays that recording; any other
// question uses the browser's speech synthesis. A progressive enhancement: without JavaScript
// the recording has the browser's own player (in <noscript>) and there is no speech; without a
// voice for this language only the recorded questions get a button.
'use strict';
(function () {
  const form = document.querySelector('[data-voorlezen]');
  if (!form) return;
  const synth = window.speechSynthesis;
  const spraak = !!synth && typeof SpeechSynthesisUtterance !== 'undefined';
  const taal = document.documentElement.lang;
  const knopTekst = form.getAttribute('data-voorlezen');

  function stem() {
    if (!spraak) return null;
    const stemmen = synth.getVoices();
    return stemmen.find((s) => s.lang && s.lang.toLowerCase().split(/[-_]/)[0] === taal) || null;
  }

  function stilte() {
    if (spraak) synth.cancel();
    for (const a of form.querySelectorAll('[data-voorlees-opname] audio')) a.pause();
  }

  function lees(vraag, s) {
    const tekst = [vraag.querySelector('[data-voorlees-tekst]')]
      .concat([...vraag.querySelectorAll('[data-voorlees-antwoord]')])
      .filter(Boolean)
      .map((el) => el.textContent.trim())
      .join('. ');
    const u = new SpeechSynthesisUtterance(tekst);
    u.lang = s.lang;
    try {
      u.voice = s;
    } catch {
      // Only a real SpeechSynthesisVoice can be set; the language alone picks one too.
    }
    stilte();
    synth.speak(u);
  }

  function knop(vraag, actie) {
    const doel = vraag.querySelector('[data-voorlees-tekst]');
    if (!doel || vraag.querySelector('.voorlees-knop')) return;
    const k = document.createElement('button');
    k.type = 'button';
    k.className = 'voorlees-knop';
    k.textContent = knopTekst;
    k.addEventListener('click', actie);
    doel.insertAdjacentElement('afterend', k);
  }

  // The school's recording as an <audio> without controls, which the browser does not draw
  // (made once; this runs again when the voices change), when this browser can play its format
  // (not every browser plays every format). Nothing is loaded before the button is pressed.
  // The box stays as it is: hiding it would move the text below it after the first paint.
  function opname(vraag) {
    const houder = vraag.querySelector('[data-voorlees-opname]');
    if (!houder) return null;
    const soort = houder.getAttribute('data-voorlees-soort') || '';
    let audio = houder.querySelector('audio');
    if (!audio) {
      audio = document.createElement('audio');
      audio.preload = 'none';
      const bron = document.createElement('source');
      bron.src = houder.getAttribute('data-voorlees-opname');
      bron.type = soort;
      audio.append(bron);
      houder.append(audio);
    }
    return audio.canPlayType(soort) ? audio : null;
  }

  function zetKnoppen() {
    const s = stem();
    for (const vraag of form.querySelectorAll('[data-voorlees-vraag]')) {
      const audio = opname(vraag);
      if (audio) {
        knop(vraag, () => {
          stilte();
          audio.currentTime = 0;
          audio.play().catch(() => {
            const t = stem();
            if (t) lees(vraag, t);
          });
        });
      } else if (s) {
        knop(vraag, () => lees(vraag, s));
      }
    }
  }

  zetKnoppen();
  if (spraak) synth.addEventListener?.('voiceschanged', zetKnoppen);
})();
