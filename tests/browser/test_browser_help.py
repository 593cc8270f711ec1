"""How to get help now: on every page, and on /get-help/ even without JavaScript."""

from __future__ import annotations

import re

import pytest

from .browsing import PAGE_KEYS, load

FIND_HELP_LINKS = """() => {
    const found = [];
    for (const a of document.querySelectorAll("a[href]")) {
        const url = new URL(a.href, location.href);
        if (url.origin !== location.origin || !url.pathname.endsWith("/get-help/")) continue;
        const r = a.getBoundingClientRect();
        const shown = a.checkVisibility({opacityProperty: true, visibilityProperty: true});
        found.push({
            text: (a.innerText || a.getAttribute("aria-label") || "").trim().slice(0, 60),
            shown, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            width: r.width, height: r.height,
        });
    }
    return {links: found, width: window.innerWidth, height: window.innerHeight};
}"""


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_help_link_in_first_screen(page, page_path, save_screenshot, key):
    path = page_path(key)
    load(page, path)
    if key in ("home", "creator", "get-help"):
        save_screenshot(page, f"phone-390-{key}")
    result = page.evaluate(FIND_HELP_LINKS)
    w, h = result["width"], result["height"]
    in_view = [
        link for link in result["links"]
        if link["shown"] and link["width"] > 0 and link["height"] > 0
        and link["top"] >= 0 and link["bottom"] <= h and link["left"] >= 0 and link["right"] <= w
    ]
    assert in_view, (
        f"{path}: no visible link to /get-help/ within the first {w}x{h} screen; links to it: "
        + (", ".join(f"{link['text']!r} at top={link['top']:.0f} left={link['left']:.0f} shown={link['shown']}"
                     for link in result["links"]) or "none")
    )


EMERGENCY_NUMBERS = ["911", "999", "112", "000"]
TEL = re.compile(r"^tel:\+?[0-9]+$")
SMS = re.compile(r"^sms:\+?[0-9]+$")


@pytest.fixture
def get_help_no_js(new_page, page_path):
    page = new_page(java_script_enabled=False)
    load(page, page_path("get-help"))
    return page


def test_get_help_shows_emergency_numbers_without_javascript(get_help_no_js):
    text = get_help_no_js.locator("body").inner_text()
    missing = [n for n in EMERGENCY_NUMBERS if not re.search(rf"(?<![0-9]){n}(?![0-9])", text)]
    assert not missing, f"/get-help/ without JavaScript does not show the emergency number(s) {missing}"


def test_get_help_call_and_text_links_without_javascript(get_help_no_js):
    page = get_help_no_js
    tel = page.eval_on_selector_all("a[href^='tel:' i]", "els => els.map(e => e.getAttribute('href'))")
    sms = page.eval_on_selector_all("a[href^='sms:' i]", "els => els.map(e => e.getAttribute('href'))")
    assert tel, "/get-help/ has no tel: link"
    assert sms, "/get-help/ has no sms: link"
    bad = [h for h in tel if not TEL.match(h)] + [h for h in sms if not SMS.match(h)]
    assert not bad, f"/get-help/: malformed call/text links (digits only, optional +, no body=): {bad}"


def test_get_help_shows_text_keyword_without_javascript(get_help_no_js):
    keyword = get_help_no_js.get_by_text("Text HOME to 741741")
    assert keyword.count() > 0, "/get-help/ does not say \"Text HOME to 741741\""
    assert keyword.first.is_visible(), "\"Text HOME to 741741\" is on /get-help/ but not visible"


def test_help_links_are_never_tracked(get_help_no_js):
    """No click handlers, analytics attributes or ping on tel:/sms: anchors."""
    tracked = get_help_no_js.eval_on_selector_all(
        "a[href^='tel:' i], a[href^='sms:' i]",
        """els => els.flatMap(e => {
            const bad = e.getAttributeNames().filter(n =>
                n.startsWith("on") || n.startsWith("data-analytics") || n.startsWith("data-track") || n === "ping");
            return bad.length ? [e.getAttribute("href") + ": " + bad.join(", ")] : [];
        })""",
    )
    assert not tracked, f"tracked help links on /get-help/: {tracked}"
