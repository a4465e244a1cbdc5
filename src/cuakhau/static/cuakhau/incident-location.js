/* The public incident report's "use my location" button (templates/incidents/public_report.html).
 * The messages it shows are the page's, translated there, in the button's data- attributes:
 *   <button id="use-location" hidden data-busy="..." data-done="..." data-failed="...">
 *   <small id="location-status">
 * Without geolocation (or without script) the button stays hidden and the fields are typed in or left empty.
 */
(function () {
  "use strict";

  function start() {
    var button = document.getElementById("use-location");
    if (!("geolocation" in navigator) || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.getElementById("location-status");
      status.textContent = button.dataset.busy;
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6).replace(".", ",");
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6).replace(".", ",");
        status.textContent = button.dataset.done;
      }, function () { status.textContent = button.dataset.failed; },
      {enableHighAccuracy: true, timeout: 10000});
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
