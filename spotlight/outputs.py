"""Non-page outputs: Atom feed, iCalendar, the JSON API, robots.txt and security headers.

Which items each lists, in which order, and which documents exist, are the site map's
(content.site): the sitemap lists its pages, search its items, the API its sections with `api`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, vText

from . import crisis_terms, editor, views
from .models import KINDS, object_schema
from .render import Generated, Renderer
from .schedule import as_moment
from .site import SECTIONS, SiteMap
from .sources import SLUG_RE
from .validate import Content

API_VERSION = 1
# Sent by hosts that read a _headers file; the same policy is in every page's <meta>.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; "
       "frame-src 'none'; worker-src 'self'; manifest-src 'self'")
CSP_HEADER = CSP + "; frame-ancestors 'none'"


def _absolute(content: Content, path: str) -> str:
    base = content.settings.site_url.rstrip("/")
    return f"{base}{path}" if base else path


def atom_feed(r: Renderer) -> bytes:
    content = r.content
    fg = FeedGenerator()
    base = content.settings.site_url.rstrip("/") or "https://example.org"
    fg.id(base + "/updates/")
    fg.title(f"{content.settings.site_name}: updates")
    # RFC 4287 §4.1.1: a feed needs an author unless every entry has one. The hub writes and
    # publishes its updates, so it is the feed's author, which every entry inherits.
    fg.author({"name": content.settings.site_name, "uri": base + "/"})
    fg.link(href=base + "/updates/", rel="alternate")
    fg.link(href=base + "/feed.xml", rel="self")
    fg.language("en")
    updates = content.site.listed("update")  # newest first, as /updates/ lists them
    newest = updates[0].data["date"] if updates else content.moment
    fg.updated(newest)
    for u in reversed(updates[:50]):
        entry = fg.add_entry()
        url = base + views.item_url(u)
        entry.id(url)
        entry.title(u.data["title"])
        entry.link(href=url)
        entry.summary(u.data["summary"])
        entry.published(u.data["date"])
        entry.updated(u.data["date"])
    return fg.atom_str(pretty=True)


def _calendar(content: Content, name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Spotlight//Events//EN")
    cal.add("version", "2.0")
    # icalendar writes an unknown X- property as it is given; as TEXT (RFC 5545 §3.3.11) its
    # commas, semicolons and backslashes are escaped, so no reader cuts the name at a comma.
    cal.add("x-wr-calname", vText(name))
    return cal


def _event(content: Content, e) -> Event:
    base = content.settings.site_url.rstrip("/") or "https://example.org"
    ev = Event()
    host = base.split("//", 1)[-1].split("/", 1)[0]
    ev.add("uid", f"{e.slug}@{host}")
    # DTSTAMP must be stable for byte-identical builds: the build's moment, not the clock.
    ev.add("dtstamp", content.moment.astimezone(timezone.utc))
    ev.add("dtstart", e.data["starts"].astimezone(timezone.utc))
    ev.add("dtend", e.data["ends"].astimezone(timezone.utc))
    ev.add("summary", e.data["title"])
    ev.add("description", e.data["summary"])
    ev.add("url", base + views.item_url(e))
    if e.get("location"):
        ev.add("location", e.data["location"])
    return ev


def calendars(r: Renderer) -> list[Generated]:
    content = r.content
    site: SiteMap = content.site
    cal = _calendar(content, f"{content.settings.site_name}: events")
    for e in site.listed("event"):
        cal.add_component(_event(content, e))
    out = []
    for entry in site.outputs():  # one calendar beside each event's page: /events/<slug>.ics
        if entry.name == "event.ics":
            e = content.visible["event"][entry.key]
            single = _calendar(content, e.data["title"])
            single.add_component(_event(content, e))
            out.append(Generated(entry.path, single.to_ical(), is_page=False))
    out.append(Generated("events.ics", cal.to_ical(), is_page=False))
    return out


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


PUBLIC_FIELDS = {  # what the API publishes per kind; scheduling fields stay internal
    # Consent dates stay internal: they are between the creator and the editors.
    "creator": ["name", "handle", "summary", "topics", "links", "pronouns", "languages", "organizations", "content_warnings",
                "perspective", "credentials", "compensation", "sponsorship", "affiliations", "why_featured",
                "last_reviewed"],
    "resource": ["title", "summary", "kind", "regions", "organization", "topics", "languages", "hours", "cost", "contacts",
                 "routes", "what_happens", "crisis", "last_verified", "source", "content_warnings"],
    "organization": ["name", "short_name", "summary", "website", "regions", "topics"],
    "event": ["title", "summary", "starts", "ends", "campaign", "audience", "location", "registration_url"],
}
# The documents are the sections declared with `api` (site.SECTIONS): /api/<folder>.json.
API_NAMES = {s.kind: s.folder for s in SECTIONS if s.api and s.kind}


def api_record(content: Content, item) -> dict:
    record = {"slug": item.slug, "url": _absolute(content, views.item_url(item))}
    for name in PUBLIC_FIELDS[item.kind]:
        if item.data.get(name) is not None:
            record[name] = _plain(item.data[name])
    return record


def _schema_path(name: str) -> str:
    return f"/api/schema/{name}.schema.json"


def _schema_head(content: Content, name: str, title: str) -> dict:
    # $id: where the schema is published, so a reader of a document can fetch and cite it.
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _absolute(content, _schema_path(name)),
            "title": title}


def _link_format(content: Content) -> str:
    return "uri" if content.settings.site_url else "uri-reference"  # without site_url, paths


def api_schema(content: Content, kind: str) -> dict:
    """The schema of api/<name>.json, from the same field types as the validator (models.py)."""
    fields = {k: v for k, v in KINDS[kind].fields.items() if k in PUBLIC_FIELDS[kind]}
    record = object_schema(fields)
    record["properties"]["slug"] = {"type": "string", "pattern": SLUG_RE.pattern,
                                    "description": "stable identifier (the file name)"}
    record["properties"]["url"] = {"type": "string", "format": _link_format(content),
                                   "description": "address of the item's page"}
    record["required"] = ["slug", "url"] + record["required"]
    return {
        **_schema_head(content, API_NAMES[kind], f"Spotlight API: {API_NAMES[kind]}"),
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "generated_as_of", API_NAMES[kind]],
        "properties": {
            "version": {"const": API_VERSION},
            "generated_as_of": {"type": "string", "format": "date-time"},
            API_NAMES[kind]: {"type": "array", "items": record},
        },
    }


def index_schema(content: Content) -> dict:
    """The schema of api/index.json: which documents exist, where, with how many records."""
    def endpoint(name: str) -> dict:
        return {"type": "object", "additionalProperties": False, "required": ["data", "schema", "count"],
                "properties": {"data": {"const": f"/api/{name}.json"}, "schema": {"const": _schema_path(name)},
                               "count": {"type": "integer", "minimum": 0}}}

    names = list(API_NAMES.values())
    return {
        **_schema_head(content, "index", "Spotlight API: index"),
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "schema", "endpoints"],
        "properties": {
            "version": {"const": API_VERSION},
            "schema": {"const": _schema_path("index")},
            "endpoints": {"type": "object", "additionalProperties": False, "required": names,
                          "properties": {name: endpoint(name) for name in names}},
        },
    }


def api(r: Renderer) -> list[Generated]:
    content = r.content
    site: SiteMap = content.site
    out = []
    index: dict = {"version": API_VERSION, "schema": _schema_path("index"), "endpoints": {}}
    for section in site.sections:
        if not (section.api and section.kind):
            continue
        kind, name, items = section.kind, section.folder, site.listed(section.kind)
        doc = {"version": API_VERSION, "generated_as_of": content.moment.isoformat(),
               name: [api_record(content, i) for i in items]}
        out.append(Generated(f"api/{name}.json", _json(doc), is_page=False))
        out.append(Generated(_schema_path(name).lstrip("/"), _json(api_schema(content, kind)), is_page=False))
        index["endpoints"][name] = {"data": f"/api/{name}.json", "schema": _schema_path(name), "count": len(items)}
    out.append(Generated("api/index.json", _json(index), is_page=False))
    out.append(Generated(_schema_path("index").lstrip("/"), _json(index_schema(content)), is_page=False))
    return out


def robots(content: Content, drafts: bool) -> Generated:
    if drafts:
        text = "User-agent: *\nDisallow: /\n"
    else:
        text = "User-agent: *\nAllow: /\n"
        if content.settings.site_url:
            text += f"Sitemap: {content.settings.site_url.rstrip('/')}/sitemap.xml\n"
    return Generated("robots.txt", text, is_page=False)


def headers_file(extra: str = "") -> Generated:
    """_headers: every page's policy; `extra`, the rules of /admin/ (editor.headers)."""
    text = (
        "/*\n"
        f"  Content-Security-Policy: {CSP_HEADER}\n"
        "  Referrer-Policy: no-referrer\n"
        "  X-Content-Type-Options: nosniff\n"
        "  X-Frame-Options: DENY\n"
        "  Permissions-Policy: geolocation=(), camera=(), microphone=(), interest-cohort=()\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
        # Editors' images (content/assets/, published under /assets/): opened on their own, a
        # file there is a sandboxed document with a unique origin and no script. The allow-list
        # (assets.py) already refuses SVG and HTML; this holds where a host reads _headers.
        # (On the theme's CSS and JavaScript, also under /assets/, browsers ignore the policy.)
        "/assets/*\n"
        "  Content-Security-Policy: sandbox\n"
        "  X-Content-Type-Options: nosniff\n"
    ) + extra
    return Generated("_headers", text, is_page=False)


def content_dates(content: Content, item) -> list[date | datetime]:
    """The dates on which the item's page changed by what its file says, up to the build's moment:
    when it was published, dated or verified, when an event began and ended, when a campaign
    went live and ended."""
    found: list[tuple[datetime, date | datetime]] = []
    tz = content.settings.tz
    for name in ("publish_at", "date", "last_verified", "starts"):
        value = item.get(name)
        if isinstance(value, (date, datetime)):
            found.append((as_moment(value, tz=tz), value))
    ends = item.get("ends")
    if isinstance(ends, datetime):
        found.append((ends, ends))
    elif isinstance(ends, date):  # a campaign's last day, inclusive: it has ended the day after
        after = ends + timedelta(days=1)
        found.append((as_moment(after, tz=tz), after))
    return [value for moment, value in sorted(found, key=lambda f: f[0]) if moment <= content.moment]


def _w3c_datetime(value: date | datetime) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


def sitemap(content: Content) -> Generated | None:
    """sitemap.xml: every page, with `lastmod` from the dates in its own file (none where its
    file has none, as for listing pages): the build's date would tell search engines that
    every page changed on every build. None without a site_url: a sitemap needs full addresses."""
    base = content.settings.site_url.rstrip("/")
    if not base:
        return None
    urlset = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for entry in content.site.pages():
        if not entry.src:  # the engine's own pages (404.html) are no address to index
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = base + entry.url
        dates = content_dates(content, entry.item) if entry.item is not None else []
        if dates:
            ET.SubElement(url, "lastmod").text = _w3c_datetime(dates[-1])
    ET.indent(urlset)
    return Generated("sitemap.xml", ET.tostring(urlset, encoding="UTF-8", xml_declaration=True) + b"\n", is_page=False)


def render_outputs(r: Renderer) -> list[Generated]:
    content = r.content
    out = [Generated("feed.xml", atom_feed(r), is_page=False)]
    out.extend(calendars(r))
    out.extend(api(r))
    out.append(robots(content, content.drafts))
    out.append(headers_file(editor.headers(content.settings) if content.settings.editor is not False else ""))
    out.append(Generated("search/search_index.json", search_index(content), is_page=False))
    if (map_file := sitemap(content)) is not None:
        out.append(map_file)
    return out


SEARCH_CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"]}


def search_index(content: Content, config: dict = SEARCH_CONFIG) -> bytes:
    """search/search_index.json, bounded: one short entry per item (title, summary, handle, topics),
    and `warnings` (the content-warning labels, in plain words) for an item that has any; under
    "spotlight", the crisis terms and the pages for particular readers (crisis_terms.py).

    MkDocs' search plugin indexes the full text of every section of every page (26 MB, 1.7 MB
    compressed at 10,000 creators) by parsing each page's HTML; readers search for a name, a
    topic or a kind of help, which titles and summaries answer. Written from the content, it
    costs a few milliseconds. The format is MkDocs' own; theme/assets/spotlight/spotlight.js reads it.
    """
    docs = [{"location": "get-help/", "title": "Get help now",
             "text": "Crisis lines, helplines and text lines by country, and what to do in an emergency."}]
    topics = content.visible.get("topic", {})
    for kind in KINDS:
        for item in content.site.items(kind):  # by slug
            words = [item.get("summary") or ""]
            if item.get("handle"):
                words.append(item.data["handle"])
            words.extend(topics[t].title for t in item.get("topics", []) if t in topics)
            doc = {"location": content.site.entry_for(item).url.lstrip("/"), "title": item.title,
                   "text": " ".join(w for w in words if w)}
            # The result shows the page's content warning before its summary, as every card does;
            # only items that have one carry the field, which keeps the index small.
            terms = views.warning_terms(item, (topics[t] for t in item.get("topics", []) if t in topics))
            if terms:
                doc["warnings"] = [views.warning_label(t) for t in terms]
            docs.append(doc)
    # The crisis terms and the pages for particular readers (crisis_terms.py), for spotlight.js.
    pages = {p.slug: (content.site.entry_for(p).url.lstrip("/"), p.title, p.get("summary") or "")
             for p in content.site.items("page")}
    return json.dumps({"config": config, "docs": docs, "spotlight": crisis_terms.browser_data(pages)},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
