"""Helpers shared by the browser tests (plain functions and constants; fixtures are in conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from .siteserver import SiteServer

REPO = Path(__file__).resolve().parent.parent.parent

PHONE = {"width": 390, "height": 844}
# What a top-level navigation to another origin (the quick exit's neutral site) gets
# instead of the internet.
NEUTRAL_STUB = "<!doctype html><html lang=en><title>Neutral page (test stub)</title><p>Weather: sunny.</p></html>"

# Page key -> (section whose first item page is used, or a fixed path).
ITEM_SECTIONS = {
    "creator": "creators",
    "topic": "topics",
    "organization": "organizations",
    "resource": "resources",
    "event": "events",
    "update": "updates",
    "campaign": "campaigns",
}
FIXED_PAGES = {
    "home": "/",
    "creators": "/creators/",
    "topics": "/topics/",
    "organizations": "/organizations/",
    "resources": "/resources/",
    "get-help": "/get-help/",
    "events": "/events/",
    "updates": "/updates/",
    "about": "/about/",
    "404": "/404.html",
}
# Every page type, in the order a reader meets them.
PAGE_KEYS = [
    "home", "creators", "creator", "topics", "topic", "organizations", "organization",
    "resources", "resource", "get-help", "campaign", "events", "event", "updates", "update",
    "about", "404",
]


def load(page, path: str) -> None:
    """Go to a site path and wait until the page and its network are quiet."""
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    page.wait_for_load_state("networkidle")


@contextmanager
def served_build(root: Path, as_of: str):
    """Build the scratch hub at `root` as of a moment and serve it on 127.0.0.1 (its `_headers`
    apply); the address while the block runs."""
    out = root / "site"
    subprocess.run([sys.executable, "build.py", "--root", str(root), "build", "--out", str(out), "--as-of", as_of],
                   cwd=REPO, check=True, capture_output=True, timeout=600)
    server = SiteServer(out)
    try:
        yield server.start()
    finally:
        server.stop()
