// A form marked data-send-once is sent once. A second click while the first request is on
// its way would post the same action again: the dossier already moved on, its answer would
// say someone else had changed it. The pages work without this script; it only spares that.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-send-once")) {
    return;
  }
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  // Not the buttons' disabled state: a disabled submitter would not be sent.
  form.dataset.sending = "true";
  form.setAttribute("aria-busy", "true");
});

// Back on a page the browser kept (the back button), its forms may be sent again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-sending]")) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }
});
