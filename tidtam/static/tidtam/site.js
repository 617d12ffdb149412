// tidtam's own behaviour, from a file: the Content Security Policy allows no inline script and
// no inline event handler (hx-on), so pages mark elements with data- attributes instead.
"use strict";

// A search box inside a form (e.g. the policy tree) searches as one types; Enter there must
// not submit the whole form and save a half-made choice.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter") return;
  var target = event.target;
  if (target instanceof Element && target.closest("[data-enter-does-not-submit]")) {
    event.preventDefault();
  }
});
