"""Small phones and content warnings."""

from __future__ import annotations

import pytest

from .browsing import load

WIDEST = """(limit) => [...document.querySelectorAll("body *")]
    .map(e => ({e, r: e.getBoundingClientRect()}))
    .filter(({r}) => r.right > limit + 0.5 && r.width > 0)
    .sort((a, b) => b.r.right - a.r.right)
    .slice(0, 8)
    .map(({e, r}) => {
        const cls = typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "";
        return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${cls} right=${Math.round(r.right)}`;
    })"""


@pytest.mark.parametrize("key", ["home", "creator", "get-help"])
def test_no_horizontal_scrolling_at_320px(new_page, page_path, save_screenshot, key):
    path = page_path(key)
    page = new_page(viewport={"width": 320, "height": 640})
    load(page, path)
    save_screenshot(page, f"phone-320-{key}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width}px wide at a 320px viewport; widest elements: {page.evaluate(WIDEST, 320)}"


CONTENT_WARNING = "[data-content-warning]"
WARNING_PLACE = """(sel) => {
    const warning = [...document.querySelectorAll(sel)].find(e => e.checkVisibility());
    if (!warning) return null;
    const root = document.querySelector("main article") || document.querySelector("main") || document.body;
    const body = [...root.querySelectorAll("p")].find(p => !warning.contains(p) && p.innerText.trim());
    return {
        top: warning.getBoundingClientRect().top + window.scrollY,
        before_body: !body || Boolean(warning.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING),
        body: body ? body.innerText.trim().slice(0, 80) : null,
        text: warning.innerText.trim().slice(0, 120),
    };
}"""


@pytest.fixture(scope="module")
def warned_topic(project_root, built_site) -> str:
    """The first topic of the built hub whose front matter carries a content warning."""
    for source in sorted((project_root / "content/topics").glob("*.md")):
        if "\ncontent_warning:" in source.read_text(encoding="utf-8").split("\n---", 1)[0] \
                and (built_site / "topics" / source.stem / "index.html").is_file():
            return f"/topics/{source.stem}/"
    pytest.skip("the hub has no topic with a content warning")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_content_warning_before_topic_text(new_page, site_url, javascript, warned_topic):
    path = warned_topic
    page = new_page(java_script_enabled=javascript)
    load(page, path)
    assert page.locator(CONTENT_WARNING).count() > 0, f"{path}: no {CONTENT_WARNING} element"
    place = page.evaluate(WARNING_PLACE, CONTENT_WARNING)
    assert place is not None, f"{path}: {CONTENT_WARNING} is not visible"
    assert place["before_body"], f"{path}: the content warning comes after the body text {place['body']!r}"
    screen = page.viewport_size["height"]
    assert place["top"] < screen, f"{path}: the content warning starts {place['top']:.0f}px down, below the first {screen}px screen"
