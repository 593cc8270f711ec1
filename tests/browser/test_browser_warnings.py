"""Content warnings on a phone: on every kind of card the warning shows above the summary, and a
page's warning offers choices that work without JavaScript.

A fixture hub of its own (tests/fixtures/base with tests/fixtures/warnings on top), built once;
the expected words are read from its files, never from the repository's sample."""

from __future__ import annotations

import shutil

import pytest
import yaml

from .browsing import PHONE, served_build
from .conftest import REPO
from .test_browser_accessibility import AXE_TAGS, RUN_AXE, describe

FIXTURES = REPO / "tests/fixtures"
BUILT_AS_OF = "2027-05-15T12:00:00Z"


def front_matter(rel: str) -> dict:
    for layer in ("warnings", "base"):
        path = FIXTURES / layer / rel
        if path.is_file():
            return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    raise FileNotFoundError(rel)


ZED = front_matter("creators/zed.md")
STORY = front_matter("content/updates/zed-story.md")
EVENT = front_matter("content/events/grief-circle.md")
CAMPAIGN = front_matter("content/campaigns/remembering.md")
GRIEF = front_matter("content/topics/grief.md")

# (listing, the card's title, the card's summary): one card of every kind that can carry a warning.
CARDS = [
    ("/creators/", ZED["name"], ZED["summary"]),
    ("/campaigns/remembering/", ZED["name"], ZED["summary"]),  # the campaign's spotlight
    ("/updates/", STORY["title"], STORY["summary"]),
    ("/events/", EVENT["title"], EVENT["summary"]),
    ("/campaigns/", CAMPAIGN["title"], CAMPAIGN["summary"]),
    ("/topics/", GRIEF["title"], GRIEF["summary"]),
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("warnings-hub")
    shutil.copy(FIXTURES / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "warnings", root, dirs_exist_ok=True)
    with served_build(root, BUILT_AS_OF) as address:
        yield address


@pytest.fixture
def phone(browser, hub):
    """phone(javascript=..., **options) -> a page at phone size on the fixture hub; nothing leaves it."""
    contexts = []

    def make(javascript: bool = True, **options):
        context = browser.new_context(base_url=hub, java_script_enabled=javascript, viewport=dict(PHONE), **options)
        context.route(lambda url: not url.startswith(hub + "/"), lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


CARD_PLACE = """([title, summary]) => {
    const card = [...document.querySelectorAll("li.sl-card")].find(li => {
        const link = li.querySelector(".sl-card__title a");
        return link && link.textContent.trim() === title;
    });
    if (!card) return null;
    const warning = card.querySelector("[data-content-warning]");
    const said = [...card.querySelectorAll("p")].find(p => p.textContent.trim() === summary);
    const box = (e) => e && e.checkVisibility() ? e.getBoundingClientRect() : null;
    const w = box(warning), s = box(said);
    return {
        warning: w && {top: w.top, bottom: w.bottom, text: warning.innerText.trim()},
        summary: s && {top: s.top},
    };
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path,title,summary", CARDS, ids=[f"{p}{t}" for p, t, _ in CARDS])
def test_on_a_phone_every_card_shows_its_warning_above_its_summary(phone, path, title, summary, javascript):
    page = phone(javascript)
    page.goto(path)
    place = page.evaluate(CARD_PLACE, [title, summary])
    assert place is not None, f"{path}: no card titled {title!r}"
    assert place["warning"] is not None, f"{path}: the card {title!r} shows no content warning"
    assert place["summary"] is not None, f"{path}: the card {title!r} does not show its summary {summary!r}"
    assert place["warning"]["bottom"] <= place["summary"]["top"], (
        f"{path}: on {title!r} the warning ({place['warning']}) is not above the summary ({place['summary']})")
    assert "CW: " in place["warning"]["text"], place["warning"]


def test_a_crisis_line_filed_under_a_warned_topic_opens_with_its_call_button(phone):
    page = phone(False)
    page.goto("/resources/warm-line/")
    assert page.locator("[data-content-warning]").count() == 0
    assert page.locator("a[href^='tel:']").first.is_visible()


def test_without_javascript_a_reader_can_skip_past_the_story(phone):
    page = phone(False)
    page.goto("/creators/zed/")
    notice = page.locator("aside.sl-cw")
    assert notice.is_visible() and notice.bounding_box()["y"] < PHONE["height"]  # on the first screen
    assert notice.bounding_box()["y"] < page.locator("main h1").bounding_box()["y"]
    story = page.get_by_text("brother died by suicide", exact=False).last
    page.get_by_role("link", name="Skip past this part").click()
    assert page.url.endswith("#sl-cw-end")
    end = page.locator("#sl-cw-end")
    assert end.is_visible()
    assert page.evaluate("document.activeElement.id") == "sl-cw-end"  # a keyboard or screen reader goes on from here
    # The line is not hidden under the sticky header, and the story is above the screen.
    header_bottom = page.evaluate("document.querySelector('header').getBoundingClientRect().bottom")
    top = page.evaluate("document.getElementById('sl-cw-end').getBoundingClientRect().top")
    assert top >= header_bottom - 1, (top, header_bottom)
    assert page.evaluate("(e) => e.getBoundingClientRect().bottom", story.element_handle()) <= top


def test_without_javascript_skip_to_help_goes_to_get_help(phone):
    page = phone(False)
    page.goto("/updates/zed-story/")
    page.get_by_role("link", name="Skip to help").click()
    page.wait_for_url("**/get-help/")
    assert page.locator("main h1").first.inner_text().strip() != ""


def test_by_keyboard_the_choices_come_before_the_story(phone):
    page = phone(True)
    page.goto("/creators/zed/")
    page.locator("aside.sl-cw a").first.focus()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to help"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip past this part"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sl-cw-end"


@pytest.mark.parametrize("path", ["/creators/zed/", "/updates/", "/campaigns/remembering/"])
def test_warnings_and_their_choices_pass_axe(phone, axe_js, path):
    page = phone(True, bypass_csp=True)  # axe is injected inline, which the site's CSP rightly blocks
    page.goto(path)
    page.add_script_tag(path=str(axe_js))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, f"{path}: {len(violations)} axe violation(s):\n{describe(violations)}"
