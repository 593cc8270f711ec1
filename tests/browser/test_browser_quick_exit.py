"""The quick exit: a reader who must hide the page at once can, by tap or by keyboard.

Pattern: GOV.UK "Exit this page" (shared/reference/quick-exit-and-privacy.md). The
control is any element with `data-quick-exit`; it blanks the page, shows and announces
"Exiting this page" and leaves for the neutral site (the `quick_exit_url` setting, or the
primary region's default) with `location.replace()`, so Back does not bring the page back.
Shift pressed three times, each within 5 seconds of the last, does the same; a Shift used
with another key never counts, and presses in a text field neither count nor announce.
Timing uses Playwright's fake clock (page.clock), not waits.

No real network: a top-level navigation to another origin gets a stub page (conftest).
"""

from __future__ import annotations

import pytest

from spotlight.settings import read_settings

from .browsing import load

WINDOW_MS = 5_000  # GOV.UK: each press within 5 seconds of the last
STATUS = "#sl-exit-status"


@pytest.fixture(scope="session")
def neutral_url(project_root) -> str:
    """Where the built site's quick exit goes, from its settings (mkdocs.yml)."""
    return read_settings(project_root).exit_url


def status(page) -> str:
    return page.locator(STATUS).text_content().strip()


def held_exit(page, neutral_url: str) -> list:
    """The neutral site answers "204 No Content", so the browser stays on the page as the exit
    left it, to be looked at. Returns the list of requests made to the neutral site."""
    asked: list = []

    def no_content(route):
        asked.append(route.request.url)
        route.fulfill(status=204)

    page.route(lambda url: url.rstrip("/") == neutral_url.rstrip("/"), no_content)
    return asked


def leaving_state(page) -> dict:
    return page.evaluate("""() => {
        const overlay = document.querySelector('[data-exit-overlay]');
        const main = document.querySelector('main') || document.body.firstElementChild;
        return {
            blanked: document.documentElement.classList.contains('sl-exiting'),
            contentHidden: getComputedStyle(main).visibility === 'hidden',
            overlay: overlay ? overlay.textContent.trim() : null,
            overlayVisible: overlay ? getComputedStyle(overlay).visibility === 'visible' : false,
            status: document.getElementById('sl-exit-status').textContent.trim(),
        };
    }""")

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


def test_the_exit_goes_to_the_configured_neutral_site(page, page_path, site_url, neutral_url):
    load(page, page_path("creator"))
    assert exit_control(page).get_attribute("href") == neutral_url
    exit_control(page).click()
    wait_until_left(page, site_url)
    assert page.external_navigations[-1][0].rstrip("/") == neutral_url.rstrip("/")


@pytest.mark.parametrize("route", ["click", "keyboard"])
def test_leaving_blanks_the_page_shows_an_overlay_and_announces_it(page, page_path, neutral_url, route):
    held = held_exit(page, neutral_url)
    load(page, page_path("creator"))
    if route == "click":
        exit_control(page).click(no_wait_after=True)
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_function("() => document.documentElement.classList.contains('sl-exiting')")
    state = leaving_state(page)
    assert state == {"blanked": True, "contentHidden": True, "overlay": "Exiting this page",
                     "overlayVisible": True, "status": "Exiting this page"}, state
    page.wait_for_function("() => true")  # the exit's navigation has been answered
    assert held, "the page blanked but did not go to the neutral site"


def test_shown_again_from_the_back_forward_cache_the_page_has_no_overlay(page, page_path, neutral_url):
    """pageshow: a page the browser brings back as it was (bfcache) after the exit had blanked it
    shows its content again. Chromium drops a page that location.replace() left, so the event
    the browser would send is sent here."""
    held = held_exit(page, neutral_url)
    load(page, page_path("creator"))
    title = page.title()
    exit_control(page).click(no_wait_after=True)
    page.wait_for_function("() => document.documentElement.classList.contains('sl-exiting')")
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    state = leaving_state(page)
    assert not state["blanked"] and not state["contentHidden"] and state["overlay"] is None, state
    assert page.title() == title
    assert held


def test_back_after_the_exit_shows_the_earlier_hub_page_without_overlay(page, page_path, site_url):
    visit_home_then(page, page_path("creator"))
    exit_control(page).click()
    wait_until_left(page, site_url)
    page.go_back(wait_until="load")
    assert page.url == site_url + "/", f"Back after the exit landed on {page.url}, not the page before"
    state = leaving_state(page)
    assert not state["blanked"] and state["overlay"] is None and not state["contentHidden"], state


def test_presses_each_within_five_seconds_of_the_last_exit(page, page_path, site_url):
    page.clock.install()
    load(page, page_path("creator"))
    page.keyboard.press("Shift")
    page.clock.run_for(WINDOW_MS - 200)
    page.keyboard.press("Shift")
    page.clock.run_for(WINDOW_MS - 200)  # 9.6 s after the first: each is within 5 s of the last
    page.keyboard.press("Shift")
    wait_until_left(page, site_url)


def test_presses_more_than_five_seconds_apart_start_again(page, page_path, site_url):
    page.clock.install()
    load(page, page_path("creator"))
    for _ in range(3):
        page.keyboard.press("Shift")
        assert status(page) == "Shift, press 2 more times to exit."  # each press is the first again
        page.clock.run_for(WINDOW_MS + 100)
    assert not left_site(page, site_url)


def test_the_announcement_follows_the_real_count_and_resets_with_it(page, page_path, site_url):
    page.clock.install()
    load(page, page_path("creator"))
    assert status(page) == ""
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 1 more time to exit."
    page.clock.run_for(WINDOW_MS + 100)
    assert status(page) == "Exit this page expired."
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 2 more times to exit."
    page.keyboard.press("KeyJ")  # another key resets the count and the announcement
    assert status(page) == ""
    page.keyboard.press("Shift")
    assert status(page) == "Shift, press 2 more times to exit."
    assert not left_site(page, site_url)


@pytest.mark.parametrize("third", ["Shift+KeyA", "held-A"])
def test_shift_used_with_another_key_never_counts(page, page_path, site_url, third):
    """The issue's case: Shift, Shift, Shift+A did exit. Also a Shift let go of while a letter
    is still held down."""
    page.clock.install()
    load(page, page_path("creator"))
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    if third == "Shift+KeyA":
        page.keyboard.press("Shift+KeyA")
    else:
        page.keyboard.down("Shift")
        page.keyboard.down("KeyA")
        page.keyboard.up("Shift")
        page.keyboard.up("KeyA")
    page.clock.run_for(500)
    assert not left_site(page, site_url), f"Shift used with A left for {page.url}"
    assert "1 more time" not in status(page)


def test_typing_in_a_text_field_announces_nothing_and_does_not_count(page, site_url):
    """In the search box Shift is for typing: capitals, and Shift on its own, neither count nor
    announce; a count started before the box was focused is dropped."""
    page.clock.install()
    load(page, "/search/")
    page.keyboard.press("Shift")
    box = page.locator("form[data-search] input[type=search]")
    box.focus()
    box.type("Kill ABC")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.clock.run_for(500)
    assert not left_site(page, site_url), f"Shift in the search box left for {page.url}"
    assert "more time" not in status(page)
    box.blur()
    for _ in range(3):
        page.keyboard.press("Shift")
    wait_until_left(page, site_url)


def test_without_javascript_the_exit_is_a_plain_link_and_back_returns(new_page, page_path, site_url, neutral_url):
    """What "Staying safe online" says: without JavaScript the exit is an ordinary link (no
    referrer), so the page it left stays in the history and Back returns to it."""
    page = new_page(java_script_enabled=False)
    visit_home_then(page, page_path("creator"))
    creator_url = page.url
    link = exit_control(page)
    assert link.get_attribute("href") == neutral_url
    assert set((link.get_attribute("rel") or "").split()) >= {"nofollow", "noreferrer"}
    link.click()
    wait_until_left(page, site_url)
    referer = {k.lower(): v for k, v in page.external_navigations[-1][1].items()}.get("referer")
    assert referer is None
    page.go_back(wait_until="load")
    assert page.url == creator_url
