"""The reader theme in the built HTML: help and quick exit everywhere, privacy, discovery data.

These read the files a build writes (fast, no browser); tests/browser/ checks the same
pages in Chromium (layout, scripts, keyboard, axe, Lighthouse).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from spotlight.outputs import CSP
from spotlight.settings import read_settings

from conftest import reader_pages


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []      # <link>
        self.anchors: list[dict] = []    # <a>
        self.scripts: list[dict] = []    # {"attrs": {...}, "text": "..."}
        self.handlers: list[str] = []    # on* attributes anywhere
        self.ids: set[str] = set()
        self._script: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.handlers += [f"<{tag} {k}>" for k in a if k.startswith("on")]
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("http-equiv")
            if key:
                self.meta.setdefault(key.lower(), a.get("content", ""))
        elif tag == "link":
            self.links.append(a)
        elif tag == "a":
            self.anchors.append(a)
        elif tag == "script":
            self._script = {"attrs": a, "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The base fixture project, built once as of a fixed moment."""
    import shutil

    from conftest import CONFIG, FIXTURES, REPO

    from spotlight.cli import main

    root = tmp_path_factory.mktemp("theme")
    shutil.copy(CONFIG, root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    (root / "content/pages/staying-safe-online.md").write_text(
        "---\ntitle: Staying safe online\nsummary: What quick exit does and does not do.\n---\nQuick exit replaces this page.\n")
    assert main(["--root", str(root), "build", "--out", "site", "--as-of", "2027-05-15T12:00:00Z"]) == 0
    return root / "site"


def pages(site: Path) -> list[Path]:
    found = reader_pages(site)
    assert len(found) > 15
    return found


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def test_every_page_has_help_and_quick_exit(site):
    for path in pages(site):
        page = parse(path)
        hrefs = [a.get("href", "") for a in page.anchors]
        here = "https://hub.example.org/" + path.relative_to(site).as_posix()
        targets = {urljoin(here, h) for h in hrefs}
        assert "https://hub.example.org/get-help/" in targets, f"{path}: no link to /get-help/"
        assert "tel:988" in hrefs, f"{path}: the site's default crisis line (mkdocs.yml help_href) is missing"
        exits = [a for a in page.anchors if "data-quick-exit" in a]
        assert len(exits) == 1, f"{path}: {len(exits)} quick-exit links"
        assert exits[0]["href"] == read_settings(site.parent).exit_url
        assert set(exits[0]["rel"].split()) >= {"noreferrer", "nofollow"}
        assert "https://hub.example.org/staying-safe-online/" in targets, f"{path}: quick exit's safety page not linked"


def test_every_page_has_a_content_security_policy_and_no_referrer(site):
    for path in pages(site):
        page = parse(path)
        assert page.meta.get("content-security-policy") == CSP, path
        assert page.meta.get("referrer") == "no-referrer", path
    headers = (site / "_headers").read_text()
    assert f"Content-Security-Policy: {CSP}" in headers and "Referrer-Policy: no-referrer" in headers


def test_no_inline_script_and_no_event_handlers(site):
    """script-src 'self' blocks inline scripts: every executable script is a file of this site."""
    for path in pages(site):
        page = parse(path)
        assert not page.handlers, f"{path}: {page.handlers}"
        for script in page.scripts:
            attrs = script["attrs"]
            if attrs.get("type") == "application/ld+json":
                json.loads(script["text"])
                continue
            assert attrs.get("src", "").endswith(("assets/spotlight/spotlight.js", "assets/spotlight/status.js")), \
                f"{path}: unexpected script {attrs}"
            assert not script["text"].strip(), f"{path}: inline script"
            src = attrs["src"]
            target = site / src.lstrip("/") if src.startswith("/") else path.parent / src
            assert target.resolve().is_file(), f"{path}: {src} does not exist"


def test_nothing_is_fetched_from_another_origin_and_no_web_fonts(site):
    for path in pages(site):
        page = parse(path)
        for link in page.links:
            if {"stylesheet", "preconnect", "icon", "preload"} & set(link.get("rel", "").split()):
                assert "//" not in link["href"], f"{path}: {link}"
    css = "".join(p.read_text() for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css
    assert not (site / "assets/javascripts").exists(), "Material's unused scripts should not be published"


def test_discovery_data_in_every_head(site):
    for path in pages(site):
        page = parse(path)
        for key in ("description", "og:title", "og:type", "og:site_name", "twitter:card"):
            assert page.meta.get(key), f"{path}: no {key}"
        types = {link.get("type") for link in page.links if link.get("rel") == "alternate"}
        assert {"application/atom+xml", "text/calendar"} <= types, path
    creator = parse(site / "creators/maya/index.html")
    assert creator.meta["og:type"] == "profile"
    assert creator.meta["og:url"] == "https://hub.example.org/creators/maya/"
    assert any(link.get("rel") == "canonical" and link["href"] == "https://hub.example.org/creators/maya/" for link in creator.links)


@pytest.mark.parametrize("path, kind", [
    ("creators/maya/index.html", "Person"),
    ("organizations/nami/index.html", "Organization"),
    ("events/training-2027/index.html", "Event"),
    ("campaigns/mham-2027/index.html", "ItemList"),
])
def test_json_ld_per_kind(site, path, kind):
    blocks = [json.loads(s["text"]) for s in parse(site / path).scripts if s["attrs"].get("type") == "application/ld+json"]
    assert [b["@type"] for b in blocks] == [kind]


def test_event_page_offers_its_calendar_file(site):
    page = parse(site / "events/training-2027/index.html")
    ics = [a for a in page.anchors if a.get("href", "").endswith("training-2027.ics")]
    assert ics and (site / "events/training-2027.ics").is_file()


def test_drafts_build_is_marked_and_not_indexed(project):
    project.write("content/pages/secret-plan.md", "---\ntitle: Draft page\nstatus: draft\n---\nNot yet.\n")
    assert project.build("site", "2027-05-15T12:00:00Z", "--drafts").code == 0
    page = parse(project.root / "site/index.html")
    assert "noindex" in page.meta.get("robots", "")
    assert "This build includes unpublished drafts" in (project.root / "site/index.html").read_text()
    assert project.build("site", "2027-05-15T12:00:00Z").code == 0
    assert "robots" not in parse(project.root / "site/index.html").meta


def test_search_page_has_a_form_and_is_not_indexed_itself(site):
    text = (site / "search/index.html").read_text()
    assert 'data-search' in text and 'id="sl-q"' in text and 'id="sl-results"' in text
    # A box without a name: submitting the form (even before the script runs) adds no ?q= words
    # to the address, so they stay out of the history.
    assert 'name="q"' not in text
    index = json.loads((site / "search/search_index.json").read_text())
    assert not any(d["location"].startswith("search/") for d in index["docs"])
    assert any(d["location"] == "creators/maya/" for d in index["docs"])


def test_not_found_page_points_to_help_with_site_absolute_links(site):
    page = parse(site / "404.html")
    hrefs = {a.get("href") for a in page.anchors}
    assert "/get-help/" in hrefs, hrefs  # a 404 is served at any path: its links cannot be relative


def test_content_warning_notice_and_cards(site):
    topic = (site / "topics/eating-disorders/index.html").read_text()
    assert topic.index("data-content-warning") < topic.index("<h1")
    assert "eating disorders" in topic[topic.index("data-content-warning"):][:400].lower()


def test_every_page_has_a_skip_link_to_an_existing_target(site):
    for path in pages(site):
        page = parse(path)
        skips = [a for a in page.anchors if "md-skip" in a.get("class", "")]
        assert skips, f"{path}: no skip link"
        assert skips[0]["href"].lstrip("#") in page.ids, f"{path}: skip link target {skips[0]['href']} missing"
        first_link = next(a for a in page.anchors if a.get("href"))
        assert first_link is skips[0], f"{path}: the skip link is not the first link"
