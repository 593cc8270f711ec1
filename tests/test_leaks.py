"""Nothing unpublished leaks, and no front-matter value can inject code, in any output file."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from conftest import reader_pages

KINDS = ["creator", "topic", "organization", "resource", "campaign", "event", "update", "page"]
FOLDER = {"creator": "creators", "page": "content/pages"}
MOMENT = "2027-05-15T12:00:00Z"
# Each hidden state: how it is written, and a moment at which the same item is visible.
STATES = {
    "draft": ("status: draft", None),
    "scheduled": ("publish_at: 2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z"),
    "expired": ("expire_at: 2027-05-01T00:00:00Z", "2027-04-30T00:00:00Z"),
}


def folder(kind: str) -> str:
    return FOLDER.get(kind, f"content/{kind}s" if kind != "update" else "content/updates")


def plant(project, kind: str, state: str, line: str) -> str:
    """A valid item of `kind` (from `build.py new`) whose title, summary and body carry a marker."""
    slug = f"zq{state}{kind}"
    marker = f"Qmarker{state.capitalize()}{kind.capitalize()}"
    assert project.run("new", kind, slug).code == 0
    path = project.root / folder(kind) / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    lines = front.splitlines()
    # The first field is the item's title (name or title); summary is present in every scaffold.
    key = lines[1].split(":", 1)[0]
    lines[1] = f"{key}: {marker} title"
    lines = [f"summary: {marker} summary" if l.startswith("summary:") else l for l in lines]
    # Updates are dated in the past, so that only the state decides.
    lines = ["date: 2027-04-01T09:00:00-04:00" if l.startswith("date:") else l for l in lines]
    lines = [l for l in lines if not l.startswith("status:")] + [line]
    path.write_text("\n".join(lines) + "\n---\n" + body + f"\n{marker} body text.\n", encoding="utf-8")
    return marker.lower()


def every_file(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            yield path, data.decode("utf-8", errors="replace")


def leaks(site: Path, markers: list[str]) -> list[str]:
    found = []
    for path, text in every_file(site):
        lowered = text.lower()
        rel = path.relative_to(site).as_posix().lower()
        for marker in markers:
            slug = "zq" + marker.removeprefix("qmarker")
            if marker in lowered or slug in lowered or slug in rel:
                found.append(f"{path.relative_to(site)}: {marker}")
    return found


@pytest.fixture
def planted(project):
    markers: dict[str, list[str]] = {state: [] for state in STATES}
    for state, (line, _) in STATES.items():
        for kind in KINDS:
            markers[state].append(plant(project, kind, state, line))
    # An update dated in the future is scheduled too, without publish_at.
    project.write("content/updates/zqfutureupdate.md", """
        ---
        title: Qmarkerfutureupdate title
        date: 2027-05-20T09:00:00-04:00
        summary: Qmarkerfutureupdate summary
        ---
        Qmarkerfutureupdate body.
        """)
    markers["scheduled"].append("qmarkerfutureupdate")
    check = project.check(MOMENT)
    assert check.code == 0, check.err
    return project, markers


def test_no_draft_scheduled_or_expired_text_in_any_output_file(planted):
    project, markers = planted
    result = project.build("site", MOMENT)
    assert result.code == 0, result.err
    site = project.root / "site"
    assert len(list(site.rglob("*"))) > 30
    assert leaks(site, [m for group in markers.values() for m in group]) == []


@pytest.mark.parametrize("state", ["scheduled", "expired"])
def test_the_same_items_appear_when_they_are_live(planted, state):
    """The leak test can fail: at a moment when the items are visible, every marker is found."""
    project, markers = planted
    moment = STATES[state][1]
    result = project.build("later", moment)
    assert result.code == 0, result.err
    found = leaks(project.root / "later", markers[state])
    for marker in markers[state]:
        if marker == "qmarkerfutureupdate" and state != "scheduled":
            continue
        assert any(line.endswith(marker) for line in found), f"{marker} not found as of {moment}"
    for place in ("sitemap.xml", "search/search_index.json"):
        assert any(line.startswith(place) for line in found), place


def test_drafts_build_shows_drafts(planted):
    project, markers = planted
    assert project.build("preview", MOMENT, "--drafts").code == 0
    found = leaks(project.root / "preview", markers["draft"])
    assert {line.split(": ")[1] for line in found} == set(markers["draft"])


# -- injection ---------------------------------------------------------------------------------

PAYLOAD = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;{{ 7*7 }}'


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        self.handlers.extend(f"<{tag} {a}>" for a in attributes if a.lower().startswith("on"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def test_front_matter_values_cannot_inject_code_anywhere(project):
    quoted = json.dumps(PAYLOAD)  # a YAML double-quoted string
    project.write("creators/zinject.md", f"""
        ---
        name: {quoted}
        handle: "@inject"
        summary: {quoted}
        topics: [anxiety]
        ---
        *Fictional.* <script>alert(3)</script> <img src=x onerror=alert(4) alt="x"> [x](javascript:alert(5))
        """)
    project.write("content/events/zinject.md", f"""
        ---
        title: {quoted}
        summary: {quoted}
        starts: 2027-06-10T15:00:00-04:00
        ends: 2027-06-10T16:00:00-04:00
        location: {quoted}
        ---
        Details.
        """)
    project.write("content/updates/zinject.md", f"""
        ---
        title: {quoted}
        summary: {quoted}
        date: 2027-05-10T09:00:00-04:00
        ---
        News.
        """)
    # The body's script, handler and javascript: link are refused by check with their lines...
    refused = project.check(MOMENT)
    assert refused.code == 1
    assert sum("creators/zinject.md:7: body:" in l for l in refused.lines) >= 3, refused.lines
    # ...so take them out, and build with the hostile front matter only.
    path = project.root / "creators/zinject.md"
    path.write_text(path.read_text().replace(
        '<script>alert(3)</script> <img src=x onerror=alert(4) alt="x"> [x](javascript:alert(5))', "Hello."))
    result = project.build("site", MOMENT)
    assert result.code == 0, result.err
    site = project.root / "site"
    seen_in_html = 0
    for file in reader_pages(site):
        text = file.read_text(encoding="utf-8")
        parser = Elements()
        parser.feed(text)
        for attrs in parser.scripts:
            allowed = attrs.get("type") == "application/ld+json" or (attrs.get("src") or "").endswith(("assets/spotlight/spotlight.js", "assets/spotlight/status.js"))
            assert allowed, f"{file.relative_to(site)}: unexpected <script {attrs}>"
        assert parser.handlers == [], f"{file.relative_to(site)}: {parser.handlers}"
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            # Valid JSON up to its real end: a "</script>" in a value would have cut it short.
            assert "<" not in block, f"{file.relative_to(site)}: raw '<' in JSON-LD"
            json.loads(block)
        if "onerror=alert(2)" in html.unescape(text):
            seen_in_html += 1
    assert seen_in_html >= 3  # the text is there, as text
    # Feeds, calendar and API carry the exact text, properly encoded.
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert PAYLOAD in titles
    calendar = icalendar.Calendar.from_ical((site / "events.ics").read_bytes())
    assert PAYLOAD in [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    api = json.loads((site / "api/creators.json").read_text())
    assert PAYLOAD in [c["name"] for c in api["creators"]]
