// "Lees voor": a button beside each question that reads the question and its answers aloud with
// the browser's speech synthesis, in the page's language. A progressive enhancement: without
// JavaScript, without speech synthesis or without a voice for this language there is no button.
'use strict';
(function () {
  const synth = window.speechSynthesis;
  const form = document.querySelector('[data-voorlezen]');
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined' || !form) return;
  const taal = document.documentElement.lang;
  const knopTekst = form.getAttribute('data-voorlezen');

  function stem() {
    const stemmen = synth.getVoices();
    return stemmen.find((s) => s.lang && s.lang.toLowerCase().split(/[-_]/)[0] === taal) || null;
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
    synth.cancel();
    synth.speak(u);
  }

  function zetKnoppen() {
    const s = stem();
    if (!s || document.querySelector('.voorlees-knop')) return;
    for (const vraag of form.querySelectorAll('[data-voorlees-vraag]')) {
      const doel = vraag.querySelector('[data-voorlees-tekst]');
      if (!doel) continue;
      const knop = document.createElement('button');
      knop.type = 'button';
      knop.className = 'voorlees-knop';
      knop.textContent = knopTekst;
      knop.addEventListener('click', () => lees(vraag, s));
      doel.insertAdjacentElement('afterend', knop);
    }
  }

  zetKnoppen();
  synth.addEventListener?.('voiceschanged', zetKnoppen);
})();
