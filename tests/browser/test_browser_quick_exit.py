"""The quick exit: a reader who must hide the page at once can, by tap or by keyboard.

Pattern: GOV.UK "Exit this page" (shared/reference/quick-exit-and-privacy.md). The
control is any element with `data-quick-exit`; it leaves for a neutral site with
`location.replace()`, so Back does not bring the page back; Shift pressed three times
does the same; a Shift used with another key (typing a capital) does not count.

No real network: a top-level navigation to another origin gets a stub page (conftest).
"""

from __future__ import annotations

from .browsing import load

EXIT = "[data-quick-exit]"


def left_site(page, site_url: str) -> bool:
    return not page.url.startswith(site_url + "/")


def wait_until_left(page, site_url: str, timeout: float = 5_000) -> None:
    page.wait_for_url(lambda url: not url.startswith(site_url + "/"), timeout=timeout, wait_until="commit")


def exit_control(page):
    """The first visible quick-exit control, failing at once (not after a timeout) if none."""
    visible = page.locator(f"{EXIT}:visible")
    assert visible.count() > 0, f"{page.url}: no visible element matches {EXIT}"
    return visible.first


def visit_home_then(page, path: str) -> None:
    load(page, "/")
    load(page, path)


def test_quick_exit_is_visible_in_first_phone_screen(page, page_path):
    path = page_path("creator")
    load(page, path)
    controls = page.locator(EXIT)
    assert controls.count() > 0, f"{path}: no element matches {EXIT}"
    visible = page.locator(f"{EXIT}:visible")
    assert visible.count() > 0, f"{path}: {EXIT} exists but is not visible at 390px width"
    box = visible.first.bounding_box()
    viewport = page.viewport_size
    assert box and box["width"] > 0 and box["height"] > 0, f"{path}: {EXIT} has no size"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"{path}: {EXIT} is not in the first screen (box {box}, viewport {viewport})"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{path}: {EXIT} is off screen sideways ({box})"
    tag = visible.first.evaluate("el => el.tagName.toLowerCase()")
    role = visible.first.get_attribute("role")
    assert tag in ("a", "button") or role in ("button", "link"), f"{path}: {EXIT} is a <{tag}>, not a link or button"


def test_quick_exit_leaves_and_back_does_not_return(page, page_path, site_url):
    path = page_path("creator")
    visit_home_then(page, path)
    creator_url = page.url
    exit_control(page).click()
    wait_until_left(page, site_url)
    assert "Neutral page" in page.title(), f"quick exit went to {page.url}, which is not the (stubbed) neutral site"

    page.go_back(wait_until="load")
    page.wait_for_timeout(300)
    assert page.url != creator_url, (
        f"Back after the quick exit returned to {creator_url}: the exit must replace the page in the history "
        "(location.replace), not push a new entry"
    )
    assert page.url in (site_url + "/", "about:blank"), f"Back after the quick exit landed on {page.url}"


def test_quick_exit_sends_no_referrer(page, page_path, site_url):
    """The neutral site must not learn which page the reader was on (paths such as
    /topics/eating-disorders/ are themselves sensitive)."""
    path = page_path("creator")
    load(page, path)
    exit_control(page).click()
    wait_until_left(page, site_url)
    assert page.external_navigations, "the quick exit made no navigation to another origin"
    url, headers = page.external_navigations[-1]
    referer = {k.lower(): v for k, v in headers.items()}.get("referer")
    assert referer is None, f"the quick exit to {url} sent Referer: {referer}"


def test_shift_three_times_exits(page, page_path, site_url):
    path = page_path("creator")
    visit_home_then(page, path)
    creator_url = page.url
    for _ in range(3):
        page.keyboard.press("Shift")
        page.wait_for_timeout(150)
    wait_until_left(page, site_url)
    page.go_back(wait_until="load")
    page.wait_for_timeout(300)
    assert page.url != creator_url, f"Back after the Shift-Shift-Shift exit returned to {creator_url}"


def test_typing_capitals_does_not_exit(page, page_path, site_url):
    """Shift used with another key does not count: a reader typing "ABC" stays."""
    path = page_path("creator")
    load(page, path)
    for key in ("Shift+KeyA", "Shift+KeyB", "Shift+KeyC"):
        page.keyboard.press(key)
        page.wait_for_timeout(150)
    page.wait_for_timeout(1_000)
    assert not left_site(page, site_url), f"typing capital letters left the page for {page.url}"
