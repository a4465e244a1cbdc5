/* The small behaviours the pages ask for with data- attributes, so that no page needs inline script
 * (the Content-Security-Policy allows scripts from this site's files only: docs/security.md).
 * Loaded by base.html on every page; the handlers sit on the document, so markup that htmx swaps in
 * later works the same.
 *
 *   <button data-nav-toggle aria-controls="sidenav">   opens and closes the menu on a phone
 *   <select data-autosubmit>                            submits its form when the choice changes
 *   <select data-navigate>                              goes to the address that is the chosen value
 *   <form data-confirm="question">                      asks before submitting; "Cancel" stops it
 *   <button data-print>                                 prints the page
 *   <form hx-post=... data-remove-on-success>           removes itself once its htmx request succeeded
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || !el.matches) return;
    if (el.matches("select[data-navigate]") && el.value) {
      window.location.href = el.value;
    } else if (el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && event.detail.successful && el.hasAttribute && el.hasAttribute("data-remove-on-success")) {
      el.remove();
    }
  });
})();
