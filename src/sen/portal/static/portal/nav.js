// On a phone the main menu is one row, scrolled sideways within itself (sen.css): an item
// past the screen's edge is out of sight. Bring the current page's item into view, so the
// visitor sees where they are. Only the menu scrolls, never the page (which may have opened
// at an anchor further down). The pages work without this script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector('.main-nav a[aria-current="page"]');
  const list = current && current.closest(".main-nav__list");
  if (!list) {
    return;
  }
  const past = current.getBoundingClientRect().right - list.getBoundingClientRect().right;
  if (past > 0) {
    // And a little more, so that the next item shows the menu goes on.
    list.scrollLeft += past + 24;
  }
});
