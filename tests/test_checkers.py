"""Every output read by a checker Spotlight did not write: the W3C Nu HTML Checker, feedparser,
vobject, jsonschema, lxml; and the rules of the standards those outputs follow.

The sample hub is built once, as of a fixed moment, and each checker reads the files it
wrote. The Nu HTML Checker needs Java and node_modules/vnu-jar (`make browser-deps`): on a
developer's machine without them its test is skipped; in CI (CI=true) it is required.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timezone
from pathlib import Path

import feedparser
import pytest
import vobject
from lxml import etree

from spotlight.diagnostics import Report
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content

from conftest import REPO

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

    root = tmp_path_factory.mktemp("checked")
    for name in ("creators", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert main(["--root", str(root), "build", "--as-of", LIVE]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def content():
    """What the sample's files say, read by Spotlight, to compare with what a checker read."""
    report = Report()
    loaded = load_content(REPO, read_settings(REPO), parse_as_of(LIVE), False, report)
    assert not report.errors
    return loaded


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


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
