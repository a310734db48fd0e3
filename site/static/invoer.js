// Staff entry of paper forms (/beheer/invoer/<vragenlijst>/papier): one key per answer.
// On an answer option, a digit chooses the option with that number on the paper (1–5 on the
// scale, 0 = "weet ik niet") and moves to the next question, so a stack of forms is typed in
// quickly. Without this script the form works as it is (Tab, arrows, Space).
'use strict';
(function () {
  const form = document.querySelector('form.enquete-formulier');
  if (!form) return;
  document.getElementById('sneltoetsen')?.removeAttribute('hidden');
  const vragen = () => [...form.querySelectorAll('fieldset.enquete-vraag, textarea, .enquete-knop')];
  form.addEventListener('keydown', (e) => {
    const radio = e.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== 'radio') return;
    if (e.altKey || e.ctrlKey || e.metaKey || !/^[0-9]$/.test(e.key)) return;
    const keuze = form.querySelector(`input[type=radio][name="${CSS.escape(radio.name)}"][value="${e.key}"]`);
    if (!keuze) return;
    e.preventDefault();
    keuze.checked = true;
    keuze.dispatchEvent(new Event('change', { bubbles: true }));
    const lijst = vragen();
    const hier = lijst.indexOf(radio.closest('fieldset'));
    const volgende = lijst[hier + 1];
    if (!volgende) return;
    const doel = volgende.matches('fieldset')
      ? volgende.querySelector('input[type=radio]:checked') || volgende.querySelector('input[type=radio]')
      : volgende;
    doel.focus();
  });
})();
