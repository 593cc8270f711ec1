/*
 * Spotlight's only script. Every page works without it; it adds:
 *  - quick exit: the "Exit this page" link blanks the page and replaces it in the
 *    history (location.replace), so Back does not return to it; pressing Shift three
 *    times (each within 2 seconds, with no other key between) does the same;
 *  - on /get-help/: a region picker, remembered only in this browser (localStorage);
 *  - on /search/: results from the site's own search index, fetched from this site.
 * It sends nothing anywhere, sets no cookie and loads nothing from another site.
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var script = doc.currentScript || doc.querySelector("script[data-base]");
  // The site's root, from MkDocs' relative base_url ("../.." on /creators/x/), so a site
  // published under a sub-path works too.
  var baseUrl = (script && script.getAttribute("data-base")) || ".";
  var base = new URL(baseUrl.slice(-1) === "/" ? baseUrl : baseUrl + "/", location.href);
  root.classList.remove("no-js");

  // ---- quick exit ------------------------------------------------------------------------

  var exits = doc.querySelectorAll("a[data-quick-exit]");
  var exitTo = exits.length ? exits[0].href : null;
  var status = doc.getElementById("sl-exit-status");

  function leave(url) {
    root.classList.add("sl-exiting");
    doc.title = "";
    window.location.replace(url);
  }

  function announce(text) {
    if (status) status.textContent = text;
  }

  Array.prototype.forEach.call(exits, function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey) return; // the reader asked for a new tab: leave that to them
      event.preventDefault();
      leave(link.href);
    });
  });

  var presses = 0;
  var last = 0;
  var clearTimer = null;
  doc.addEventListener("keydown", function (event) {
    if (!exitTo) return;
    if (event.key !== "Shift") {
      presses = 0; // Shift used with another key (typing a capital) does not count
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses = now - last <= 2000 ? presses + 1 : 1;
    last = now;
    if (presses >= 3) {
      presses = 0;
      announce("Exiting this page.");
      leave(exitTo);
      return;
    }
    announce("Shift pressed " + presses + (presses === 1 ? " time" : " times") +
      ". Press it " + (3 - presses) + " more " + (3 - presses === 1 ? "time" : "times") + " to exit this page.");
    clearTimeout(clearTimer);
    clearTimer = setTimeout(function () { presses = 0; announce(""); }, 5000);
  }, true);

  // Coming back (bfcache) after leaving: show the page again.
  window.addEventListener("pageshow", function () { root.classList.remove("sl-exiting"); });

  // ---- region picker on /get-help/ ---------------------------------------------------------

  var STORE_KEY = "spotlight.region";

  function remembered() {
    try { return window.localStorage.getItem(STORE_KEY) || ""; } catch (e) { return ""; }
  }

  function remember(value) {
    try {
      if (value) window.localStorage.setItem(STORE_KEY, value); else window.localStorage.removeItem(STORE_KEY);
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }

  var picker = doc.querySelector("[data-region-picker]");
  if (picker) {
    var sections = picker.querySelectorAll("section[data-region]");
    var wrap = doc.createElement("p");
    wrap.className = "sl-region-picker";
    var label = doc.createElement("label");
    label.htmlFor = "sl-region";
    label.textContent = "Show crisis lines for";
    var select = doc.createElement("select");
    select.id = "sl-region";
    var all = doc.createElement("option");
    all.value = "";
    // "All other places" when the primary region's lines stand above the picker (get-help page).
    all.textContent = picker.getAttribute("data-all-label") || "All places";
    select.appendChild(all);
    Array.prototype.forEach.call(sections, function (section) {
      var option = doc.createElement("option");
      option.value = section.getAttribute("data-region");
      var heading = section.querySelector("h2");
      option.textContent = heading ? heading.textContent : option.value;
      select.appendChild(option);
    });
    var note = doc.createElement("span");
    note.className = "sl-card__meta";
    note.textContent = "Your choice is remembered only in this browser.";
    wrap.appendChild(label);
    wrap.appendChild(select);
    wrap.appendChild(note);
    picker.parentNode.insertBefore(wrap, picker);

    var show = function (value) {
      Array.prototype.forEach.call(sections, function (section) {
        section.hidden = Boolean(value) && section.getAttribute("data-region") !== value;
      });
    };
    var saved = remembered();
    if (saved && select.querySelector("option[value='" + saved.replace(/[^A-Za-z-]/g, "") + "']")) {
      select.value = saved;
      show(saved);
    }
    select.addEventListener("change", function () {
      remember(select.value);
      show(select.value);
    });
  }

  // ---- search on /search/ -------------------------------------------------------------------

  var results = doc.getElementById("sl-results");
  var form = doc.querySelector("form[data-search]");
  if (results && form) {
    var input = form.querySelector("input[name=q]");
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    if (query.trim()) search(query);
  }

  function plain(text) {
    return String(text || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  }

  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    results.textContent = "Searching…";
    fetch(new URL("search/search_index.json", base).href, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (index) {
        var seen = {};
        var found = [];
        (index.docs || []).forEach(function (entry) {
          var page = String(entry.location || "").split("#")[0];
          if (seen[page]) return;
          var title = plain(entry.title);
          var text = plain(entry.text);
          var haystack = (title + " " + text).toLowerCase();
          for (var i = 0; i < terms.length; i++) if (haystack.indexOf(terms[i]) < 0) return;
          var score = 0;
          terms.forEach(function (term) { if (title.toLowerCase().indexOf(term) >= 0) score += 10; });
          seen[page] = true;
          found.push({ page: page, title: title, text: text, score: score });
        });
        found.sort(function (a, b) { return b.score - a.score; });
        show(found.slice(0, 50), found.length);
      })
      .catch(function () {
        results.textContent = "Search is not available right now. Browse the menu instead.";
      });

    function show(list, total) {
      results.textContent = "";
      var summary = doc.createElement("p");
      summary.textContent = total === 0
        ? "Nothing found for “" + query + "”."
        : total + (total === 1 ? " page" : " pages") + " found for “" + query + "”" + (total > list.length ? " (showing the first " + list.length + ")." : ".");
      results.appendChild(summary);
      var ol = doc.createElement("ol");
      ol.className = "sl-results";
      list.forEach(function (hit) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = new URL(hit.page, base).href;
        a.textContent = hit.title || hit.page;
        var p = doc.createElement("p");
        p.textContent = hit.text.length > 200 ? hit.text.slice(0, 200) + "…" : hit.text;
        li.appendChild(a);
        li.appendChild(p);
        ol.appendChild(li);
      });
      results.appendChild(ol);
    }
  }
})();
