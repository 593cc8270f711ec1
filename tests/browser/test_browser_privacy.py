"""Nothing leaves the reader's browser for another origin.

A visit must be known only to the host that serves the site (SPEC: "Nothing in the
output loads anything from another origin"). Every request a page makes is recorded;
none may go elsewhere. The static scan covers every built page, including those the
browser does not visit.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browsing import PAGE_KEYS, load


def offsite(urls: list[str], site_url: str) -> list[str]:
    origin = site_url.rstrip("/")
    return [u for u in urls if not (u == origin or u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_no_third_party_requests(page, page_path, site_url, key):
    path = page_path(key)
    load(page, path)
    # Lazy images and anything loaded on scroll count too.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    others = offsite(page.requests, site_url)
    assert not others, f"{path} requested {len(others)} URL(s) from another origin:\n" + "\n".join(f"  {u}" for u in others)


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_pages_load_without_script_errors(page, page_path, key):
    """No console error on load: a script blocked by the site's own Content-Security-Policy
    (the served `_headers`), a missing file or an exception means a feature (search, the
    quick exit's keyboard shortcut) silently does not work."""
    path = page_path(key)
    load(page, path)
    assert not page.console_errors, f"{path}: {len(page.console_errors)} console error(s):\n" + "\n".join(
        f"  {e[:400]}" for e in page.console_errors
    )


# Elements and attributes through which a page makes the browser fetch (or pre-connect).
FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
FETCHING_LINK_RELS = {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch", "modulepreload", "icon",
                      "apple-touch-icon", "manifest", "prerender"}
CSS_URL = re.compile(r"""url\(\s*['"]?(?:https?:)?//""", re.I)


class FetchFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        urls = []
        if tag == "link" and FETCHING_LINK_RELS & set(attrs.get("rel", "").lower().split()):
            urls.append(attrs.get("href", ""))
        for name in FETCHING.get(tag, ()):
            value = attrs.get(name, "")
            if name == "srcset":
                urls.extend(part.strip().split(" ")[0] for part in value.split(","))
            else:
                urls.append(value)
        for url in urls:
            if urlsplit(url.strip()).netloc:
                self.found.append(f"<{tag}> {url.strip()}")
        if CSS_URL.search(attrs.get("style", "")):
            self.found.append(f"<{tag} style> {attrs['style'][:120]}")
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and CSS_URL.search(data):
            self.found.append(f"<style> {CSS_URL.search(data).group(0)}...")


def test_built_pages_reference_no_other_origin(built_site: Path):
    problems = []
    for html in sorted(built_site.rglob("*.html")):
        finder = FetchFinder()
        finder.feed(html.read_text(encoding="utf-8", errors="replace"))
        problems += [f"{html.relative_to(built_site)}: {what}" for what in finder.found]
    for css in sorted(built_site.rglob("*.css")):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{css.relative_to(built_site)}: {match.group(0)}...")
    assert not problems, f"{len(problems)} reference(s) to another origin that a browser would fetch:\n" + "\n".join(
        f"  {p}" for p in problems[:60]
    )
