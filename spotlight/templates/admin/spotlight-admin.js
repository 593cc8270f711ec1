// Spotlight's additions to Decap CMS (/admin/): the hub's own stylesheets in the preview, a
// creator preview that shows the profile as readers see it, and a date-and-time widget that
// writes the hub's time zone offset. Loaded after decap-cms.js; plain ES2017, no build step.
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS) return;
  var body = document.body.dataset;
  var warningLabels = JSON.parse(body.warnings || "{}");

  // The preview pane uses the stylesheets every reader page loads: read them from the home page.
  fetch(new URL("../", document.baseURI).href, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : ""; })
    .then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      page.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var href = new URL(link.getAttribute("href"), new URL("../", document.baseURI)).href;
        if (new URL(href).origin === location.origin) CMS.registerPreviewStyle(href);
      });
    })
    .catch(function () { /* the preview keeps Decap's own styles */ });

  function list(value) {
    if (!value) return [];
    return typeof value.toJS === "function" ? value.toJS() : value;
  }

  function joinWords(values) {
    if (values.length <= 1) return values.join("");
    return values.slice(0, -1).join(", ") + " and " + values[values.length - 1];
  }

  // What every reader page starts with (theme/partials/header.html), then the item's own warning
  // (spotlight/templates/_macros.html.j2 cw_notice), then the profile.
  function helpBar() {
    return h("aside", { className: "sl-helpbar", "aria-label": "Get help and quick exit" },
      h("div", { className: "sl-helpbar__inner md-grid" },
        h("a", { className: "sl-helpbar__now", href: "#" }, "Get help now"),
        h("a", { className: "sl-exit", href: "#" }, "Exit this page"),
        body.helpLabel ? h("a", { className: "sl-helpbar__line", href: "#" }, body.helpLabel) : null));
  }

  function warningNotice(terms) {
    var labels = terms.map(function (t) { return warningLabels[t] || t; });
    if (!labels.length) return null;
    return h("aside", { className: "sl-cw", "data-content-warning": "", role: "note", "aria-label": "Content warning" },
      h("p", {}, h("strong", {}, "Content warning:"),
        " this page talks about " + joinWords(labels) + ". Take care while reading. If you need support now, ",
        h("a", { href: "#" }, "get help"), "."));
  }

  var CreatorPreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var handle = data.get("handle") || "";
      var pronouns = data.get("pronouns");
      return h("div", { className: "sl-preview", "data-spotlight-preview": "creator" },
        helpBar(),
        h("main", { className: "md-main" }, h("div", { className: "md-content md-grid" },
          h("article", { className: "md-content__inner md-typeset" },
            warningNotice(list(data.get("content_warnings"))),
            h("header", { className: "sl-profile" },
              h("h1", {}, data.get("name") || ""),
              h("p", { className: "sl-profile__handle" }, handle,
                pronouns ? [" · ", h("span", { className: "sl-profile__pronouns", key: "p" }, pronouns)] : null),
              h("p", { className: "sl-lede" }, data.get("summary") || "")),
            this.props.widgetFor("body")))));
    }
  });
  CMS.registerPreviewTemplate("creator", CreatorPreview);

  // -- spotlight-moment: a date and time in the hub's time zone, written with its offset --------

  // The zone's offset from UTC, in minutes, at the instant `utcMillis`.
  function offsetAt(zone, utcMillis) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(new Date(utcMillis)).forEach(function (p) { parts[p.type] = p.value; });
    var asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return Math.round((asUtc - Math.floor(utcMillis / 1000) * 1000) / 60000);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // "2027-05-01T09:00" (a wall-clock time in `zone`) -> "2027-05-01T09:00:00-04:00".
  function withOffset(local, zone) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
    if (!m) return "";
    var wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    var offset = offsetAt(zone, wall);
    offset = offsetAt(zone, wall - offset * 60000);  // the offset in force at that wall time
    var sign = offset < 0 ? "-" : "+", abs = Math.abs(offset);
    return local.slice(0, 16) + ":00" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  // A stored moment, shown as the wall-clock time in `zone` for the input.
  function inZone(value, zone) {
    if (!value) return "";
    var millis = Date.parse(String(value));
    if (isNaN(millis)) return "";
    var local = new Date(millis + offsetAt(zone, millis) * 60000).toISOString();
    return local.slice(0, 16);
  }

  var MomentControl = createClass({
    render: function () {
      var zone = this.props.field.get("time_zone") || "UTC";
      var self = this;
      return h("div", { className: this.props.classNameWrapper },
        h("input", {
          type: "datetime-local", id: this.props.forID, value: inZone(this.props.value, zone),
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          onChange: function (event) { self.props.onChange(withOffset(event.target.value, zone)); },
          style: { border: 0, font: "inherit", width: "100%" }
        }),
        h("p", { style: { margin: "4px 0 0", fontSize: "0.85em" } }, "Time in " + zone + (this.props.value ? ": " + this.props.value : "")));
    }
  });
  var MomentPreview = createClass({
    render: function () { return h("span", {}, this.props.value || ""); }
  });
  CMS.registerWidget("spotlight-moment", MomentControl, MomentPreview);
}());
