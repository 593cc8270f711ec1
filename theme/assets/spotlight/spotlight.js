/*
 * Spotlight's only script. Every page works without it; it adds:
 *  - quick exit: the "Exit this page" link blanks the page, shows "Exiting this page" and
 *    replaces the page in the history (location.replace), so Back does not return to it;
 *    pressing Shift three times (each within 5 seconds of the last, alone, not in a text
 *    field) does the same;
 *  - on /get-help/: a region picker, remembered only in this browser (localStorage);
 *  - on /search/: results from the site's own search index, fetched from this site, after
 *    a help card when the words are crisis words; the words never go into the address.
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
  // GOV.UK's "Exit this page": three Shift presses, each within 5 seconds of the last. A Shift
  // used with another key (a capital letter, a shortcut) never counts, and presses while the
  // focus is in a text field do not count either and announce nothing: there Shift is for
  // typing, and a count the reader cannot hear about must not leave under their hands.

  var EXIT_WINDOW_MS = 5000;
  var EXIT_PRESSES = 3;
  var exits = doc.querySelectorAll("a[data-quick-exit]");
  var exitTo = exits.length ? exits[0].href : null;
  var status = doc.getElementById("sl-exit-status");
  var title = doc.title;
  var overlay = null;

  function announce(text) {
    if (status) status.textContent = text;
  }

  function leave(url) {
    // Blank the page at once (CSS hides everything but the overlay), then replace this page in
    // the history so that Back does not bring it back.
    root.classList.add("sl-exiting");
    if (!overlay) {
      overlay = doc.createElement("div");
      overlay.className = "sl-exit-overlay";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("data-exit-overlay", "");
      overlay.textContent = "Exiting this page";
      doc.body.appendChild(overlay);
    }
    announce("Exiting this page");
    doc.title = "Exiting this page";
    window.location.replace(url);
  }

  Array.prototype.forEach.call(exits, function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab or window: the reader's choice
      event.preventDefault();
      leave(link.href);
    });
  });

  var presses = 0;
  var expiry = null;
  var held = {}; // keys other than Shift that are down now
  var shiftClean = false; // this Shift went down alone and no other key came while it was down

  function inTextField(element) {
    if (!element || element === doc.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA") return true;
    if (tag !== "INPUT") return false;
    return !/^(button|checkbox|color|file|hidden|image|radio|range|reset|submit)$/i.test(element.type || "");
  }

  function resetPresses(said) {
    clearTimeout(expiry);
    expiry = null;
    var counted = presses > 0;
    presses = 0;
    if (counted) announce(said || "");
  }

  doc.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      held[event.code || event.key] = true;
      shiftClean = false;
      resetPresses();
      return;
    }
    if (event.repeat) return;
    shiftClean = Object.keys(held).length === 0 && !inTextField(doc.activeElement);
  }, true);

  doc.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      delete held[event.code || event.key];
      return;
    }
    var counts = shiftClean && exitTo && !inTextField(doc.activeElement);
    shiftClean = false;
    if (!counts) {
      resetPresses();
      return;
    }
    presses += 1;
    clearTimeout(expiry);
    if (presses >= EXIT_PRESSES) {
      presses = 0;
      expiry = null;
      leave(exitTo);
      return;
    }
    var left = EXIT_PRESSES - presses;
    announce("Shift, press " + left + " more " + (left === 1 ? "time" : "times") + " to exit.");
    expiry = setTimeout(function () { resetPresses("Exit this page expired."); }, EXIT_WINDOW_MS);
  }, true);

  // Keys let go of while the window was not looking would otherwise stay "held".
  window.addEventListener("blur", function () { held = {}; shiftClean = false; resetPresses(); });

  // Shown again from the back/forward cache: the page as it was, no overlay, no count.
  window.addEventListener("pageshow", function () {
    root.classList.remove("sl-exiting");
    if (overlay) { overlay.remove(); overlay = null; }
    doc.title = title;
    held = {};
    resetPresses();
    announce("");
  });

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
  // The words never go into the address: the form is handled here (its box has no name, so
  // even a submit before this script ran adds nothing to the address). Crisis words
  // (spotlight/crisis_terms.py, published in the index) show the help card before any result.

  var results = doc.getElementById("sl-results");
  var form = doc.querySelector("form[data-search]");
  var crisisCard = doc.querySelector("[data-crisis-card]");
  var nothing = doc.querySelector("[data-search-empty]");
  var searchIndex = null;
  if (results && form) {
    var input = form.querySelector("input[type=search]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search(input.value);
    });
    // An address from elsewhere may carry ?q=: search for it, and take the words out of this
    // page's entry in the history (the browser may have recorded the address already).
    var params = new URLSearchParams(location.search);
    if (params.has("q")) {
      var query = params.get("q") || "";
      params.delete("q");
      var rest = params.toString();
      history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
      input.value = query;
      search(query);
    }
  }

  // The same steps as crisis_terms.normalise(): lower case, no accents, no apostrophes, other
  // punctuation and runs of spaces as one space.
  function normalise(text) {
    return String(text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/['\u2018\u2019\u02bc`]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // crisis_terms.term_matches(): whole words, the last one continued where the term ends with
  // "*"; a phrase of several words also with its spaces left out.
  function termMatches(term, words) {
    var prefix = term.slice(-1) === "*";
    var stem = prefix ? term.slice(0, -1) : term;
    if ((" " + words + " ").indexOf(prefix ? " " + stem : " " + stem + " ") >= 0) return true;
    return stem.indexOf(" ") >= 0 && words.split(" ").join("").indexOf(stem.split(" ").join("")) >= 0;
  }

  function anyMatches(terms, words) {
    for (var i = 0; i < (terms || []).length; i++) if (termMatches(terms[i], words)) return true;
    return false;
  }

  function plain(text) {
    return String(text || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  }

  // views.join_words(), as the cards say it: "suicide, death and grief", "death and grief, and trauma".
  function joinWords(list) {
    if (list.length < 2) return list.join("");
    var head = list.slice(0, -1);
    var last = list[list.length - 1];
    if (last.indexOf(" and ") >= 0) return list.join(", ");
    var commaAnd = head.some(function (w) { return w.indexOf(" and ") >= 0; });
    return head.join(", ") + (commaAnd ? ", and " : " and ") + last;
  }

  function loadIndex() {
    if (!searchIndex) {
      searchIndex = fetch(new URL("search/search_index.json", base).href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("search index: HTTP " + response.status);
          return response.json();
        });
      searchIndex.catch(function () { searchIndex = null; }); // try again on the next search
    }
    return searchIndex;
  }

  function search(query) {
    var words = normalise(query);
    if (crisisCard) crisisCard.hidden = true;
    if (nothing) nothing.hidden = true;
    results.textContent = "";
    if (!words) return;
    results.textContent = "Searching…";
    loadIndex()
      .then(function (index) {
        var extra = index.spotlight || {};
        if (crisisCard) crisisCard.hidden = !anyMatches(extra.crisis_terms, words);
        var terms = words.split(" ");
        var seen = {};
        var found = [];
        var entries = {};
        (index.docs || []).forEach(function (entry) { entries[String(entry.location || "")] = entry; });
        (extra.pointers || []).forEach(function (pointer) {
          if (seen[pointer.location] || !anyMatches(pointer.words, words)) return;
          seen[pointer.location] = true;
          var own = entries[pointer.location] || {}; // the page's own entry: its warnings come along
          found.push({ page: pointer.location, title: plain(pointer.title), text: plain(pointer.text), score: 1000,
                       warnings: own.warnings });
        });
        (index.docs || []).forEach(function (entry) {
          var page = String(entry.location || "").split("#")[0];
          if (seen[page]) return;
          var title = plain(entry.title);
          var text = plain(entry.text);
          var haystack = normalise(title + " " + text);
          for (var i = 0; i < terms.length; i++) if (haystack.indexOf(terms[i]) < 0) return;
          var inTitle = normalise(title);
          var score = 0;
          terms.forEach(function (term) { if (inTitle.indexOf(term) >= 0) score += 10; });
          seen[page] = true;
          found.push({ page: page, title: title, text: text, score: score, warnings: entry.warnings });
        });
        found.sort(function (a, b) { return b.score - a.score; });
        show(found.slice(0, 50), found.length);
      })
      .catch(function () {
        results.textContent = "Search is not available right now. Browse the menu instead, or get help now.";
        if (nothing) nothing.hidden = false;
        setWords("");
      });

    function setWords(text) {
      var slot = nothing && nothing.querySelector("[data-search-words]");
      if (slot) slot.textContent = text;
    }

    function show(list, total) {
      results.textContent = "";
      if (total === 0) {
        setWords(query.trim());
        if (nothing) nothing.hidden = false;
        else results.textContent = "Nothing found.";
        return;
      }
      var summary = doc.createElement("p");
      summary.textContent = total + (total === 1 ? " page" : " pages") + " found for “" + query.trim() + "”" +
        (total > list.length ? " (showing the first " + list.length + ")." : ".");
      results.appendChild(summary);
      var ol = doc.createElement("ol");
      ol.className = "sl-results";
      list.forEach(function (hit) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = new URL(hit.page, base).href;
        a.textContent = hit.title || hit.page;
        li.appendChild(a);
        // A content warning comes before the summary it warns about (as on the cards).
        var warnings = Array.isArray(hit.warnings) ? hit.warnings.map(plain).filter(Boolean)
          : (hit.warnings ? [plain(hit.warnings)] : []);
        if (warnings.length) {
          var cw = doc.createElement("p");
          cw.className = "sl-card__cw";
          cw.setAttribute("data-content-warning", "");
          var said = doc.createElement("span");
          said.className = "sl-visually-hidden";
          said.textContent = "Content warning: ";
          var shown = doc.createElement("span");
          shown.setAttribute("aria-hidden", "true");
          shown.textContent = "CW: ";
          cw.appendChild(said);
          cw.appendChild(shown);
          cw.appendChild(doc.createTextNode(joinWords(warnings)));
          li.appendChild(cw);
        }
        if (hit.text) {
          var p = doc.createElement("p");
          p.textContent = hit.text.length > 200 ? hit.text.slice(0, 200) + "…" : hit.text;
          li.appendChild(p);
        }
        ol.appendChild(li);
      });
      results.appendChild(ol);
    }
  }
})();
