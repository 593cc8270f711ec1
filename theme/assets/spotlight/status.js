/*
 * Statuses that depend on the clock, kept right between builds. A campaign's "Coming soon /
 * Happening now / Ended" and an event's "Upcoming / Happening now / Ended" are written by the
 * build as of its moment (the text readers without JavaScript see); each carries its start
 * (data-starts) and the first moment it is over (data-over), with every state's label. This
 * script shows the state as of the reader's clock, and again when that state would change
 * while the page is open. It reads nothing else and sends nothing anywhere.
 */
(function () {
  "use strict";

  var STATES = ["upcoming", "live", "ended"];
  var statuses = document.querySelectorAll("[data-sl-status]");

  function stateAt(element, now) {
    var starts = Date.parse(element.getAttribute("data-starts"));
    var over = Date.parse(element.getAttribute("data-over"));
    if (isNaN(starts) || isNaN(over)) return null; // leave the build's text as it is
    return now < starts ? "upcoming" : now < over ? "live" : "ended";
  }

  function show(element, state) {
    var label = element.getAttribute("data-label-" + state);
    if (!label) return;
    STATES.forEach(function (other) { element.classList.remove("sl-status--" + other); });
    element.classList.add("sl-status--" + state);
    if (element.textContent !== label) element.textContent = label;
  }

  function update() {
    var now = Date.now();
    var next = Infinity;
    Array.prototype.forEach.call(statuses, function (element) {
      var state = stateAt(element, now);
      if (state === null) return;
      show(element, state);
      ["data-starts", "data-over"].forEach(function (name) {
        var at = Date.parse(element.getAttribute(name));
        if (at > now && at < next) next = at;
      });
    });
    // A page left open across a start or an end changes with it (timers wait at most ~24 days).
    if (next !== Infinity) setTimeout(update, Math.min(next - now + 50, 2147483647));
  }

  if (statuses.length) update();
})();
