/* Rows a person adds and removes in a Django formset (the declaration's goods lines and containers).
 *
 * Markup (templates/traffic/declaration_form.html):
 *   <section data-formset="PREFIX" data-max="N">  the formset, with its management form inside
 *     <div data-formset-rows> rows: <fieldset data-formset-row> ... <button data-formset-remove hidden>
 *     <template data-formset-empty> the formset's empty_form as one row, with __prefix__ for its index
 *     <button data-formset-add hidden>
 * Without script the page shows its rows and each row's "remove" checkbox (DELETE); the script shows
 * the buttons instead: "add" clones the empty row at index TOTAL_FORMS and raises TOTAL_FORMS; "remove"
 * ticks the row's DELETE box and hides the row, so the server drops it and the indexes never shift.
 */
(function () {
  "use strict";

  function setUp(section) {
    var prefix = section.getAttribute("data-formset");
    var total = section.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = section.querySelector("[data-formset-rows]");
    var empty = section.querySelector("template[data-formset-empty]");
    var add = section.querySelector("[data-formset-add]");
    var max = parseInt(section.getAttribute("data-max"), 10) || 1000;
    if (!total || !rows || !empty || !add) return;

    function deleteBox(row) {
      return row.querySelector("input[data-row-delete]");
    }

    function visibleRows() {
      return Array.prototype.filter.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
        return !row.hidden;
      });
    }

    function refresh() {
      var shown = visibleRows();
      shown.forEach(function (row, i) {
        var number = row.querySelector("[data-row-number]");
        if (number) number.textContent = String(i + 1);
      });
      add.disabled = shown.length >= max;
    }

    function enhance(row) {
      var box = deleteBox(row);
      if (box) {
        var field = box.closest(".field");
        if (field) field.hidden = true;
        if (box.checked) row.hidden = true;
      }
      var remove = row.querySelector("[data-formset-remove]");
      if (remove) {
        remove.hidden = false;
        remove.addEventListener("click", function () {
          var target = deleteBox(row);
          if (target) target.checked = true;
          row.hidden = true;
          refresh();
          add.focus();
        });
      }
    }

    add.addEventListener("click", function () {
      if (visibleRows().length >= max) return;
      var index = parseInt(total.value, 10) || 0;
      var html = empty.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      enhance(row);
      refresh();
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (first) first.focus();
    });

    Array.prototype.forEach.call(rows.querySelectorAll("[data-formset-row]"), enhance);
    add.hidden = false;
    refresh();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
