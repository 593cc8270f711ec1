"""Every output read by a checker Spotlight did not write: the W3C Nu HTML Checker, feedparser,
vobject, jsonschema, lxml; and the rules of the standards those outputs follow.

The sample hub is built once, as of a fixed moment, and each checker reads the files it
wrote. The Nu HTML Checker needs Java and node_modules/vnu-jar (`make browser-deps`): on a
developer's machine without them its test is skipped; in CI (CI=true) it is required.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timezone
from pathlib import Path

import feedparser
import jsonschema
import pytest
import vobject
from lxml import etree

from spotlight.diagnostics import Report
from spotlight.outputs import API_NAMES, _plain, api_schema
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content

from conftest import REPO, SAMPLE, copy_hub, reader_pages

sys.path.insert(0, str(REPO / "scripts"))
import material_templates  # noqa: E402

LIVE = "2027-05-15T12:00:00-04:00"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(message: str):
    """Skip on a developer's machine; in CI every checker is required, so fail."""
    if IN_CI:
        pytest.fail(f"{message} (the checkers are required in CI)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The repository's own content built once, as of mid-May 2027 (the campaign is live)."""
    from spotlight.cli import main

    root = copy_hub(SAMPLE, tmp_path_factory.mktemp("checked") / "hub")
    assert main(["--root", str(root), "build", "--as-of", LIVE]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def content():
    """What the sample's files say, read by Spotlight, to compare with what a checker read."""
    report = Report()
    loaded = load_content(SAMPLE, read_settings(SAMPLE), parse_as_of(LIVE), False, report)
    assert not report.errors
    return loaded


def html_pages(site: Path) -> list[Path]:
    return reader_pages(site)


# -- theme/ copies of Material's templates ----------------------------------------------------

def test_theme_copies_of_material_templates_are_written_from_the_installed_material():
    """theme/base.html and theme/partials/toc.html are Material's files with Spotlight's edits:
    after an upgrade of mkdocs-material, run scripts/material_templates.py and review the diff."""
    for path, text in material_templates.expected().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(REPO)} is not Material's file with Spotlight's edits: "
            "run python scripts/material_templates.py")


def test_a_material_edit_that_no_longer_applies_is_refused():
    with pytest.raises(SystemExit, match="expected .* once in Material's file, found it 0 times"):
        material_templates.derive("base.html", "<body>Material changed its markup</body>")


# -- W3C Nu HTML Checker -----------------------------------------------------------------------

def test_every_page_is_valid_html_for_the_nu_html_checker(sample):
    java = shutil.which("java")
    if java is None:
        unavailable("java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        unavailable(f"{VNU_JAR.relative_to(REPO)} is missing (make browser-deps)")
    pages = html_pages(sample)
    assert len(pages) > 10
    # One run for every page: the checker's start-up (a JVM) costs more than checking a page.
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
                          *map(str, pages)], capture_output=True, text=True, check=False)
    report = json.loads(run.stderr or run.stdout)
    errors = [f"{m['url'].rsplit(str(sample), 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
              f"\n    {m.get('extract', '').strip()}" for m in report["messages"]]
    if errors:
        pages_with_errors = {e.split(":")[0] for e in errors}
        pytest.fail(f"{len(errors)} error(s) on {len(pages_with_errors)} page(s):\n" + "\n".join(errors), pytrace=False)
    assert run.returncode == 0, run.stderr


# -- Page titles and JSON-LD ------------------------------------------------------------------

def page_head(page: Path):
    return etree.parse(str(page), etree.HTMLParser())


def test_every_page_title_is_unique_and_says_what_the_page_is(sample, content):
    site_name = content.settings.site_name
    titles: dict[str, list[str]] = {}
    for page in html_pages(sample):
        tree = page_head(page)
        found = tree.xpath("//head/title/text()")
        assert len(found) == 1, page
        title = " ".join(found[0].split())
        path = str(page.relative_to(sample))
        titles.setdefault(title, []).append(path)
        assert title.count(site_name) == 1, (path, title)  # the home page is not "Hub - Hub"
        if path == "index.html":
            assert title == site_name
            continue
        name = title.removesuffix(f" - {site_name}")
        assert name and name != title, (path, title)
        headings = [" ".join("".join(h.itertext()).split()) for h in tree.xpath("//article//h1")]
        # The title names what the page's heading names (either may add a note in brackets).
        assert len(headings) == 1 and name.split(" (")[0] == headings[0].split(" (")[0], (path, title, headings)
    assert {t: p for t, p in titles.items() if len(p) > 1} == {}
    # Items of different kinds may share a name (an organisation and its helpline); their titles
    # say which is which.
    by_path = {path: title for title, paths in titles.items() for path in paths}
    named: dict[str, list[str]] = {}
    for kind, section in (("organization", "organizations"), ("resource", "resources"), ("creator", "creators")):
        for item in content.visible[kind].values():
            named.setdefault(str(item.title).casefold(), []).append(by_path[f"{section}/{item.slug}/index.html"])
    for shared in (found for found in named.values() if len(found) > 1):
        assert all(" (" in title.removesuffix(f" - {site_name}") for title in shared), shared


def json_ld(page: Path) -> list[dict]:
    return [json.loads(text) for text in page_head(page).xpath("//script[@type='application/ld+json']/text()")]


def test_updates_json_ld_names_the_hub_as_author_and_publisher_with_an_image_it_holds(sample, content):
    base = content.settings.site_url
    hub = {"@type": "Organization", "name": content.settings.site_name, "url": base}
    updates = content.items("update")
    assert updates
    for update in updates:
        [article] = json_ld(sample / f"updates/{update.slug}/index.html")
        assert article["@type"] == "Article" and article["headline"] == update.data["title"]
        assert article["datePublished"] == update.data["date"].isoformat()
        assert article["url"] == f"{base}updates/{update.slug}/"
        for role in ("author", "publisher"):
            assert {k: article[role][k] for k in hub} == hub, role
        images = article["image"] + [article["publisher"]["logo"]["url"]]
        for url in images:
            assert url.startswith(base) and png_size(sample / url.removeprefix(base)) == (1200, 630), url


# -- Link previews -----------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_every_page_names_a_share_image_that_the_build_holds(sample, content):
    base = content.settings.site_url
    images = set()
    for page in html_pages(sample):
        tree = etree.parse(str(page), etree.HTMLParser())
        found = tree.xpath("//meta[@property='og:image']/@content")
        assert len(found) == 1, page
        images.add(found[0])
    assert len(images) == 1 and next(iter(images)).startswith(base)
    image = sample / next(iter(images)).removeprefix(base)
    assert png_size(image) == (1200, 630)  # what og:image:width and og:image:height say


# -- Atom feed ---------------------------------------------------------------------------------

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_feed_has_an_author_for_every_entry_rfc_4287(sample, content):
    feed = etree.fromstring((sample / "feed.xml").read_bytes())
    entries = feed.findall("a:entry", ATOM)
    assert entries
    # RFC 4287 §4.1.1 (its Schematron rule): a feed has an atom:author, or every entry has one.
    feed_authors = feed.findall("a:author", ATOM)
    assert feed_authors or all(e.find("a:author", ATOM) is not None for e in entries)
    # Spotlight's choice: the hub is the feed's author, with its name and address.
    assert [a.findtext("a:name", namespaces=ATOM) for a in feed_authors] == [content.settings.site_name]
    assert [a.findtext("a:uri", namespaces=ATOM) for a in feed_authors] == [content.settings.site_url]


def test_feedparser_reads_the_feed_as_written(sample, content):
    parsed = feedparser.parse((sample / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.author_detail == {"name": content.settings.site_name, "href": content.settings.site_url}
    updates = sorted(content.items("update"), key=lambda u: u.data["date"], reverse=True)
    assert len(updates) >= 3
    assert [(e.title, e.link, e.summary) for e in parsed.entries] == [
        (u.data["title"], f"{content.settings.site_url}updates/{u.slug}/", u.data["summary"]) for u in updates]
    assert [e.published_parsed[:6] for e in parsed.entries] == [
        u.data["date"].astimezone(timezone.utc).timetuple()[:6] for u in updates]


# -- iCalendar ---------------------------------------------------------------------------------

def calendar_name(calendar) -> str:
    return calendar.contents["x-wr-calname"][0].value


def test_vobject_reads_every_calendar_as_the_content_says(sample, content):
    events = sorted(content.items("event"), key=lambda e: (e.data["starts"], e.slug))
    assert len(events) >= 2 and any("," in e.data["title"] for e in events)  # the case RFC 5545 escapes

    def as_written(e):
        return (e.data["title"], e.data["starts"], e.data["ends"], e.data["summary"])

    def as_read(vevent):
        return (vevent.summary.value, vevent.dtstart.value, vevent.dtend.value, vevent.description.value)

    every = vobject.readOne((sample / "events.ics").read_text(encoding="utf-8"))
    assert calendar_name(every) == f"{content.settings.site_name}: events"
    assert [as_read(v) for v in every.vevent_list] == [as_written(e) for e in events]
    for e in events:
        single = vobject.readOne((sample / f"events/{e.slug}.ics").read_text(encoding="utf-8"))
        assert calendar_name(single) == e.data["title"]
        assert [as_read(v) for v in single.vevent_list] == [as_written(e)]


def test_calendar_names_keep_commas_semicolons_and_backslashes(project):
    title = r"Q&A, part 1; paths like C:\temp, and more"
    project.write("content/events/tricky.md", f"""
        ---
        title: '{title}'
        summary: A title with every character RFC 5545 escapes in TEXT.
        starts: 2027-09-01T15:00:00-04:00
        ends: 2027-09-01T16:00:00-04:00
        ---
        Fixture event.
        """)
    assert project.build().code == 0
    raw = (project.root / "site/events/tricky.ics").read_bytes().decode("utf-8")
    unfolded = raw.replace("\r\n ", "").splitlines()
    assert r"X-WR-CALNAME:Q&A\, part 1\; paths like C:\\temp\, and more" in unfolded
    single = vobject.readOne(raw)
    assert calendar_name(single) == title and single.vevent.summary.value == title
    every = vobject.readOne((project.root / "site/events.ics").read_text(encoding="utf-8"))
    assert title in [v.summary.value for v in every.vevent_list]


# -- JSON API and its schemas ------------------------------------------------------------------

FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def schema_validator(schema: dict) -> jsonschema.Draft202012Validator:
    # Formats are asserted, not only annotated: "uri" and "date-time" need rfc3986-validator and
    # rfc3339-validator (test dependencies), without which jsonschema passes any string.
    assert {"date", "date-time", "uri"} <= set(FORMATS.checkers)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def test_every_api_document_is_valid_against_its_published_schema(sample, content):
    base = content.settings.site_url.rstrip("/")
    index = json.loads((sample / "api/index.json").read_text(encoding="utf-8"))
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (sample / "api/schema").iterdir()}
    # Every schema says where it is published; index.json has one too.
    assert {name: s["$id"] for name, s in schemas.items()} == {name: f"{base}/api/schema/{name}" for name in schemas}
    assert index["schema"] == "/api/schema/index.schema.json"
    documents = {"/api/index.json": (index, schemas["index.schema.json"])}
    for name, endpoint in index["endpoints"].items():
        data = json.loads((sample / endpoint["data"].lstrip("/")).read_text(encoding="utf-8"))
        documents[endpoint["data"]] = (data, schemas[endpoint["schema"].rsplit("/", 1)[-1]])
        assert len(data[name]) == endpoint["count"] > 0
    assert set(index["endpoints"]) == set(API_NAMES.values())
    for path, (data, schema) in documents.items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema_validator(schema).iter_errors(data)]
        assert errors == [], path


# A valid item of each kind; each case below replaces one field of it.
BASE_ITEMS = {
    "creator": ("creators", {"name": "Case", "handle": "@case", "summary": "A creator for one schema case.",
                             "topics": ["anxiety"]}),
    "organization": ("content/organizations", {"name": "Case", "summary": "An organisation for one schema case.",
                                               "website": "https://example.org"}),
    "resource": ("content/resources", {"title": "Case", "summary": "A resource for one schema case.",
                                       "kind": "website", "regions": ["US"], "last_verified": "2026-11-24",
                                       "source": "The case's own page",
                                       "contacts": [{"method": "web", "value": "https://example.org"}]}),
    "event": ("content/events", {"title": "Case", "summary": "An event for one schema case.",
                                 "starts": "2027-09-01T15:00:00-04:00", "ends": "2027-09-01T16:00:00-04:00"}),
}
# Values that tell a loose schema from the validator: each is read by the validator (as front
# matter) and by the field's schema in the published API schema, and the two must agree.
# A list field's values are tried one at a time, as a list of one.
CASES = {
    ("creator", "handle"): ["@sam.talks", "@a_b.c", "@" + "a" * 30, "not a handle @ab!!", "@ab!!", "@",
                            "@" + "a" * 31, "maya", "@maya talks"],
    ("creator", "name"): ["Maya", "x" * 100, "x" * 101, "   "],
    ("creator", "languages"): ["en", "es-419", "fr-CA", "zh-Hant-TW", "english", "en_US", "e", "en-"],
    ("creator", "topics"): ["anxiety", "Anxiety", "eating disorders", "anxiety-"],
    ("organization", "website"): ["https://example.org", "https://example.org/a/b?c=d#e", "https://example.com/@maya",
                                  "HTTPS://EXAMPLE.ORG/", "https://[2001:db8::1]/", "https://example.org:8443/x",
                                  "http://example.org", "https://", "https:///path", "https://exa mple.org",
                                  "example.org", "ftp://example.org", "https://example.org/a b", "javascript:alert(1)"],
    ("organization", "short_name"): ["NAMI", "x" * 41],
    ("resource", "regions"): ["US", "NO", "GB", "global", "UK", "XX", "us", "Global", "USA", ""],
    ("resource", "kind"): ["helpline", "text-line", "Helpline", "hotline"],
    ("resource", "crisis"): ["true", "false", "yes", "1"],
    ("resource", "last_verified"): ["2026-11-24", "2026-02-30", "24/11/2026", "2026-1-5", "2026-11-24T10:00:00Z"],
    ("resource", "routes"): [{"name": "Spanish", "contacts": [{"method": "call", "value": "988", "press": "2"}],
                              "source": "A page"},
                             {"name": "Spanish", "contacts": [{"method": "call", "value": "988", "press": "two"}],
                              "source": "A page"},
                             {"name": "Spanish", "contacts": [], "source": "A page"},
                             {"name": "Spanish", "contacts": [{"method": "call", "value": "988"}]}],
    ("event", "starts"): ["2027-08-10T15:00:00-04:00", "2027-08-10T19:00:00Z", "2027-08-10T15:00-04:00",
                          "2027-08-10", "2027-08-10T15:00:00", "10 Aug 2027 15:00"],
    ("event", "registration_url"): ["https://example.org/register", "http://example.org/register", "/register"],
}


def front_matter(fields: dict) -> str:
    # JSON is YAML: every value is written as a quoted string or a list of them, as typed.
    return "---\n" + "".join(f"{name}: {json.dumps(value)}\n" for name, value in fields.items()) + "---\nA case.\n"


def test_api_schemas_accept_exactly_what_the_validator_accepts(project):
    cases = {}  # path -> (kind, field, value as written)
    for (kind, name), values in CASES.items():
        folder, base = BASE_ITEMS[kind]
        listed = isinstance(base.get(name), list) or name in ("languages", "topics", "regions", "routes")
        for n, value in enumerate(values):
            path = f"{folder}/case-{kind}-{name.replace('_', '-')}-{n}.md"
            # Each creator its own name and handle: check refuses look-alike (and equal) creators.
            own = {"name": f"Case {name} {n}", "handle": f"@case.{name}.{n}"[:31]} if kind == "creator" else {}
            project.write(path, front_matter({**base, **own, name: [value] if listed else value}))
            cases[path] = (kind, name, [value] if listed else value)
    report = Report()
    loaded = load_content(project.root, read_settings(project.root), parse_as_of(LIVE), False, report)
    refused = {}
    for d in report.errors:
        assert d.path in cases, d.text()  # the base project itself is valid
        kind, name, _ = cases[d.path]
        assert d.field.split("[")[0] == name, f"the case is broken, not the field: {d.text()}"
        refused[d.path] = d.text()
    properties = {kind: api_schema(loaded, kind)["properties"][API_NAMES[kind]]["items"]["properties"]
                  for kind in BASE_ITEMS}
    disagreements = []
    for path, (kind, name, written) in cases.items():
        check = schema_validator(properties[kind][name])
        if path in refused:
            if check.is_valid(written):
                disagreements.append(f"{name}: {written!r}: refused by the validator ({refused[path]}), "
                                     "accepted by the schema")
        else:
            published = _plain(loaded.all[kind][Path(path).stem].data[name])
            errors = [e.message for e in check.iter_errors(published)]
            if errors:
                disagreements.append(f"{name}: {written!r}: accepted by the validator, published as {published!r}, "
                                     f"refused by the schema: {errors}")
    assert not disagreements, "\n".join(disagreements)
    # The cases tell the two apart: each field has values the validator takes and values it refuses.
    for kind, name in CASES:
        verdicts = {p in refused for p, case in cases.items() if case[:2] == (kind, name)}
        assert verdicts == {True, False}, (kind, name)
    assert any(written == "not a handle @ab!!" for p, (_, _, written) in cases.items() if p in refused)


# -- sitemap.xml -------------------------------------------------------------------------------

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?")


def sitemap_entries(site: Path) -> dict[str, str | None]:
    """loc -> lastmod, read with libxml2 (lxml), not the ElementTree that wrote it."""
    urlset = etree.fromstring((site / "sitemap.xml").read_bytes())
    assert urlset.tag == "{%s}urlset" % SITEMAP["s"]
    entries = {}
    for url in urlset.findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP)
        assert loc not in entries, f"{loc} twice"
        entries[loc] = url.findtext("s:lastmod", namespaces=SITEMAP)
    return entries


def test_sitemap_lists_every_page_with_the_dates_its_content_gives(sample, content):
    base = content.settings.site_url
    entries = sitemap_entries(sample)
    pages = {base + str(p.parent.relative_to(sample)).removeprefix(".").lstrip("/") + ("/" if p.parent != sample else "")
             for p in html_pages(sample) if p.name == "index.html"}
    assert set(entries) == pages
    for loc, lastmod in entries.items():
        assert lastmod is None or W3C_DATETIME.fullmatch(lastmod), (loc, lastmod)
    # Each page's own date, never the build's (mid-May 2027):
    for update in content.items("update"):
        assert entries[f"{base}updates/{update.slug}/"] == update.data["date"].isoformat()
    verified = [r for r in content.items("resource") if r.get("last_verified") and not r.get("publish_at")]
    assert verified
    for resource in verified:
        assert entries[f"{base}resources/{resource.slug}/"] == resource.data["last_verified"].isoformat()
    past = [e for e in content.items("event") if e.data["ends"] < content.moment]
    assert past
    for event in past:
        assert entries[f"{base}events/{event.slug}/"] == event.data["ends"].isoformat()
    # Creators, topics and listings carry no date of their own: no lastmod rather than a made-up one.
    undated = [f"{base}creators/{c.slug}/" for c in content.items("creator") if not c.get("publish_at")]
    assert undated and all(entries[loc] is None for loc in [base, f"{base}creators/", *undated])


def test_sitemap_lastmod_does_not_move_with_the_build_date(project):
    assert project.build("one", "2027-05-15T12:00:00Z").code == 0
    assert project.build("two", "2027-07-01T12:00:00Z").code == 0
    one, two = sitemap_entries(project.root / "one"), sitemap_entries(project.root / "two")
    assert one["https://hub.example.org/updates/launch/"] == "2027-05-01T09:00:00-04:00"
    assert one["https://hub.example.org/resources/lifeline/"] == "2027-04-01"
    # The campaign (1 to 31 May 2027) ended between the two builds: its page changed on 1 June.
    assert one["https://hub.example.org/campaigns/mham-2027/"] == "2027-05-01"
    assert two["https://hub.example.org/campaigns/mham-2027/"] == "2027-06-01"
    assert {loc: m for loc, m in one.items() if "campaigns/mham" not in loc} == \
           {loc: m for loc, m in two.items() if "campaigns/mham" not in loc}
