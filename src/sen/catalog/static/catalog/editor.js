// A text box marked data-max-bytes is checked before its form is sent. Past that size the
// server cannot read the form at all and answers a page of its own (413): the officer would
// leave the editor, and the text pasted into it. Here the form stays, with the text and the
// box's message (data-too-large) above it. The server checks the same limit.
"use strict";

const encoder = new TextEncoder();

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  for (const old of form.querySelectorAll("ul[data-size-error]")) {
    old.remove();
  }
  for (const box of form.querySelectorAll("textarea[data-max-bytes]")) {
    // A form sends a line break as CR LF, whatever the box holds.
    const size = encoder.encode(box.value.replace(/\r?\n/g, "\r\n")).length;
    if (size <= Number(box.dataset.maxBytes)) {
      box.removeAttribute("aria-invalid");
      continue;
    }
    event.preventDefault();
    const list = document.createElement("ul");
    list.className = "errorlist";
    list.dataset.sizeError = "";
    list.setAttribute("role", "alert");
    const item = document.createElement("li");
    item.textContent = box.dataset.tooLarge;
    list.append(item);
    const row = box.closest(".form-row");
    row?.classList.add("errors");
    (row ?? box.parentElement).prepend(list);
    box.setAttribute("aria-invalid", "true");
    box.focus();
  }
});
