// A form marked data-fresh-on-return starts empty when the page comes back from history.
// At the desk one applicant follows another at the same computer: back after entering a
// dossier, the browser would fill the form again with what was typed, ticked and chosen for
// the last applicant (the declaration, the scans), and the next dossier would carry them.
"use strict";

function fromHistory(event) {
  if (event.persisted) {
    return true; // kept whole in the back-forward cache
  }
  const [navigation] = performance.getEntriesByType("navigation");
  return navigation !== undefined && navigation.type === "back_forward";
}

// After "load", once the browser has put back what it remembered of the form.
window.addEventListener("pageshow", (event) => {
  if (!fromHistory(event)) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-fresh-on-return]")) {
    form.reset();
  }
});
