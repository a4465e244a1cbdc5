/* The trade pages' charts (statistics, computed turnover) and their period form.
 *
 * Markup (templates/trade/_charts.html and the pages that include it):
 *   <canvas id="chart-months">, <canvas id="chart-gates">    where the charts go (either may be absent)
 *   <script type="application/json" id="chart-months-data">  {labels, export, import} from json_script
 *   <div id="chart-text" data-export data-import data-unit>   the series' names and the unit, translated
 * Numbers on the value axis and in the tooltips are grouped in the page's language (<html lang>):
 * 1.234,5 in Vietnamese, 1,234.5 in English and Chinese, as the tables beside them are.
 */
(function () {
  "use strict";

  var LOCALES = {vi: "vi-VN", en: "en-US", "zh-hans": "zh-Hans-CN"};

  function pageLocale() {
    var lang = (document.documentElement.lang || "vi").toLowerCase();
    return LOCALES[lang] || lang;
  }

  // the period form shows only the fields of the chosen kind (without script, all of them)
  function periodForm() {
    var kind = document.getElementById("kind");
    if (!kind) return;
    function showKind() {
      document.querySelectorAll(".period-form [data-kind]").forEach(function (f) {
        f.hidden = f.dataset.kind.split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", showKind);
    showKind();
  }

  function draw(id, horizontal, text, locale, fmt) {
    var el = document.getElementById(id), src = document.getElementById(id + "-data");
    if (!el || !src) return;
    var d = JSON.parse(src.textContent);
    var value = horizontal ? "x" : "y";
    var scales = {x: {stacked: true, ticks: {font: {size: 13}}}, y: {stacked: true, ticks: {font: {size: 13}}}};
    scales[value].ticks.callback = function (v) { return fmt.format(v); };
    el.dataset.points = d.labels.length;
    new window.Chart(el, {
      type: "bar",
      data: {labels: d.labels, datasets: [
        {label: text.export, data: d.export, backgroundColor: "#0b5394"},
        {label: text.import, data: d.import, backgroundColor: "#e69138"}]},
      options: {locale: locale, indexAxis: horizontal ? "y" : "x", responsive: true, maintainAspectRatio: false,
        animation: false, scales: scales,
        plugins: {legend: {position: "bottom", labels: {font: {size: 14}}},
          tooltip: {callbacks: {label: function (c) {
            return c.dataset.label + ": " + fmt.format(c.parsed[value]) + " " + text.unit;
          }}}}}
    });
    el.dataset.ready = "1";
  }

  function start() {
    periodForm();
    var holder = document.getElementById("chart-text");
    if (!window.Chart || !holder) return;
    var locale = pageLocale();
    var fmt = new Intl.NumberFormat(locale, {maximumFractionDigits: 1});
    var text = {export: holder.dataset.export, import: holder.dataset.import, unit: holder.dataset.unit};
    draw("chart-months", false, text, locale, fmt);
    draw("chart-gates", true, text, locale, fmt);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
