"""/get-help/ as a reader in the hub's primary region meets it on a phone: their lines first (the
first call link on the first screen), the region picker next, every route of every line shown,
and the help bar's call and text links on every page. Every expectation is read from the content
and settings the site was built from (spotlight.crisis), never from the sample's numbers."""

from __future__ import annotations

import pytest

from spotlight import crisis
from spotlight.diagnostics import Report
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content
from spotlight.views import contact_href, contact_text

from .browsing import load
from .conftest import MOMENT

SMALL_PHONE = {"width": 375, "height": 700}
TRACKING = """els => els.flatMap(e => {
    const bad = e.getAttributeNames().filter(n =>
        n.startsWith("on") || n.startsWith("data-analytics") || n.startsWith("data-track") || n === "ping");
    return bad.length ? [e.getAttribute("href") + ": " + bad.join(", ")] : [];
})"""


@pytest.fixture(scope="session")
def built_content(built_site, project_root):
    """The content the browser site was built from, as of the same moment."""
    return load_content(project_root, read_settings(project_root), parse_as_of(MOMENT), False, Report())


@pytest.fixture(scope="session")
def primary(built_content):
    region, _ = crisis.regions(built_content)
    if region is None:
        pytest.skip("the hub names no primary_region with crisis lines: nothing is ordered first")
    return region


def first_link(line) -> dict:
    """The first call contact of a line (what a reader in crisis reaches for), else its first contact."""
    contacts = [c for c in line.get("contacts", []) if c]
    return next((c for c in contacts if c["method"] == "call"), contacts[0])


def test_the_primary_regions_first_call_is_on_the_first_phone_screen(new_page, primary):
    page = new_page(viewport=SMALL_PHONE)
    load(page, "/get-help/")
    contact = first_link(primary.lines[0])
    link = page.locator(f"#sl-region-{primary.code.lower()} a[href='{contact_href(contact)}']").first
    assert link.is_visible(), f"{contact_text(contact)} is not visible on /get-help/"
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"], (
        f"'{contact_text(contact)}' of {primary.lines[0].path} is at y={box and box['y']:.0f}, "
        f"outside the first {SMALL_PHONE['width']}x{SMALL_PHONE['height']} screen")


def test_the_picker_comes_after_the_primary_region_and_before_the_others(new_page, primary, built_content):
    page = new_page(viewport=SMALL_PHONE)
    load(page, "/get-help/")
    _, others = crisis.regions(built_content)
    top = lambda selector: page.locator(selector).first.bounding_box()["y"]  # noqa: E731
    primary_top, picker_top = top(f"#sl-region-{primary.code.lower()}"), top("#sl-region")
    assert primary_top < picker_top, "the region picker is above the primary region's lines"
    for region in others:
        if region.code != crisis.ELSEWHERE:
            assert picker_top < top(f"#sl-region-{region.code.lower()}"), region.name
    assert picker_top < top("#sl-region-elsewhere")


def test_choosing_a_region_keeps_the_primary_lines_and_shows_only_that_region(new_page, primary, built_content):
    _, others = crisis.regions(built_content)
    chosen = next((r for r in others if r.code != crisis.ELSEWHERE), None)
    if chosen is None:
        pytest.skip("the hub lists no region besides its primary one")
    page = new_page()
    load(page, "/get-help/")
    page.select_option("#sl-region", chosen.code)
    assert page.locator(f"#sl-region-{primary.code.lower()}").is_visible()
    assert page.locator(f"#sl-region-{chosen.code.lower()}").is_visible()
    assert not page.locator("#sl-region-elsewhere").is_visible()


def test_every_route_of_the_primary_lines_is_shown_with_its_source(new_page, primary):
    page = new_page(java_script_enabled=False)
    load(page, "/get-help/")
    routes = [(line, route) for line in primary.lines for route in line.get("routes", [])]
    if not routes:
        pytest.skip("no line of the primary region has other routes")
    for line, route in routes:
        card = page.locator(f"#sl-region-{primary.code.lower()} [data-line='{line.slug}']")
        assert card.get_by_text(route["name"], exact=False).first.is_visible(), route["name"]
        assert card.get_by_text(f"Source: {route['source']}", exact=False).first.is_visible(), route["source"]
        for contact in route["contacts"]:
            link = card.locator(f"a[href='{contact_href(contact)}']", has_text=contact_text(contact))
            assert link.count() > 0 and link.first.is_visible(), f"{route['name']}: {contact_text(contact)}"


def test_what_happens_when_you_reach_out_shows_each_fact_with_its_source(new_page, primary):
    facts = [f for line in primary.lines for f in line.get("what_happens", [])]
    if not facts:
        pytest.skip("no line of the primary region says what happens when you reach out")
    page = new_page(java_script_enabled=False)
    load(page, "/get-help/")
    section = page.locator("#sl-reach-out")
    assert section.is_visible()
    text = section.inner_text()
    for fact in facts:
        assert fact["fact"] in text and f"Source: {fact['source']}" in text, fact["fact"]


def test_each_line_shows_when_it_was_last_checked_and_its_source(new_page, built_content):
    page = new_page(java_script_enabled=False)
    load(page, "/get-help/")
    for line in crisis.crisis_lines(built_content):
        card = page.locator(f"[data-line='{line.slug}']").first
        stamp = card.locator(f"time[datetime='{line.data['last_verified'].isoformat()}']")
        assert stamp.count() == 1 and stamp.is_visible(), line.path
        assert line.data["source"] in card.inner_text(), line.path


@pytest.mark.parametrize("path", ["/", "/get-help/", "/about/"])
def test_the_help_bar_links_call_and_text_of_the_primary_line(new_page, built_content, path):
    where, expected = crisis.help_bar(built_content)
    if not any(link["href"].startswith("sms:") for link in expected):
        pytest.skip("the help bar's line takes no text messages")
    page = new_page(viewport=SMALL_PHONE)
    load(page, path)
    bar = page.locator(".sl-helpbar")
    anchors = bar.locator("a[href^='tel:'], a[href^='sms:']")
    found = anchors.evaluate_all("els => els.map(e => [e.getAttribute('href'), e.innerText.trim()])")
    assert found == [[link["href"], link["text"]] for link in expected]
    for link in expected:
        anchor = bar.locator(f"a[href='{link['href']}']")
        box = anchor.bounding_box()
        assert anchor.is_visible() and box["y"] + box["height"] <= SMALL_PHONE["height"], link
    assert anchors.evaluate_all(TRACKING) == []
