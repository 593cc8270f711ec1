"""Search in the reader's browser: no dead ends, and no words in the address.

- Words from the crisis-term list (spotlight/crisis_terms.py), however typed, show the get-help
  card with the primary region's lines (from the built content and settings) before any result.
- A search that finds nothing offers get-help and the directories.
- Words for particular readers ("parent", "teen") lead to their pages where the site has them.
- The words never go into the address or add a history entry, with or without JavaScript.
- A result's content warning comes before its summary.
"""

from __future__ import annotations

import json

import pytest

from spotlight import views
from spotlight.crisis_terms import CRISIS_TERMS
from spotlight.pipeline import load as load_content
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings

from .browsing import load
from .conftest import MOMENT

CARD = "[data-crisis-card]"
EMPTY = "[data-search-empty]"
BOX = "form[data-search] input[type=search]"


@pytest.fixture(scope="session")
def help_hrefs(project_root) -> set[str]:
    """The links the card must offer: every contact and route (988's Spanish route, say) of the
    crisis lines for the primary region and its emergency numbers, or (a hub without that setting
    or lines for it) the help bar's line."""
    settings = read_settings(project_root)
    content, _ = load_content(project_root, parse_as_of(MOMENT))
    region = settings.primary_region
    lines = [r for r in content.items("resource") if r.get("crisis") and region in r.data["regions"]]
    contacts = [c for r in lines for c in r.data.get("contacts") or []]
    contacts += [c for r in lines for route in r.data.get("routes") or [] for c in route.get("contacts") or []]
    hrefs = {views.contact_href(c) for c in contacts}
    if hrefs:
        hrefs |= {f"tel:{n['number']}" for n in settings.emergency_numbers if region in (n.get("regions") or [])}
    return hrefs or ({settings.help_href} - {""})


@pytest.fixture(scope="session")
def search_index(built_site) -> dict:
    return json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))


def search(page, words: str) -> None:
    """Type the words and press Enter, then wait until the script has answered."""
    page.locator(BOX).fill(words)
    page.locator(BOX).press("Enter")
    page.wait_for_function(
        "() => { const r = document.getElementById('sl-results'); return r.textContent !== 'Searching…'"
        " && (r.textContent || !document.querySelector('[data-search-empty]').hidden); }")


def untidy(term: str) -> str:
    """A term as a distressed reader might type it: capitals, stray punctuation, extra spaces."""
    words = term.rstrip("*").split()
    return "  " + "  ".join(w.upper() if i % 2 == 0 else w.capitalize() for i, w in enumerate(words)) + "!! "


def test_every_crisis_term_shows_the_help_card_before_any_result(page, site_url, help_hrefs):
    load(page, "/search/")
    start_url, start_length = page.url, page.evaluate("history.length")
    for language, terms in CRISIS_TERMS.items():
        for term in terms:
            query = untidy(term)
            search(page, query)
            card = page.locator(CARD)
            assert card.is_visible(), f"{language} crisis term {term!r} typed as {query!r}: no get-help card"
            # Before the results (and the answer to a search that finds nothing) in the page.
            assert page.evaluate(
                "() => !!(document.querySelector('[data-crisis-card]').compareDocumentPosition("
                "document.getElementById('sl-results')) & Node.DOCUMENT_POSITION_FOLLOWING)")
            assert page.url == start_url and page.evaluate("history.length") == start_length, (
                f"searching for {query!r} changed the address or the history: {page.url}")
    card_hrefs = {a.get_attribute("href") for a in page.locator(f"{CARD} a").all()}
    assert help_hrefs <= card_hrefs, f"the card lacks the primary region's lines: {help_hrefs - card_hrefs}"
    assert any(h.endswith("get-help/") for h in card_hrefs), "the card does not link the get-help page"
    assert all(url.startswith(site_url + "/") for url in page.requests), "search asked another site"


def test_an_ordinary_search_shows_results_without_the_card(page, page_path):
    creator = page_path("creator")
    load(page, creator)
    name = page.locator("article h1").first.inner_text().strip()
    load(page, "/search/")
    search(page, name)
    assert not page.locator(CARD).is_visible()
    hrefs = [a.get_attribute("href") for a in page.locator("#sl-results a").all()]
    assert any(h.endswith(creator) for h in hrefs), (creator, hrefs)


def test_a_search_that_finds_nothing_offers_help_and_the_directories(page):
    load(page, "/search/")
    search(page, "qqzx wvvy")
    empty = page.locator(EMPTY)
    assert empty.is_visible(), "a search that found nothing does not offer help"
    assert "qqzx wvvy" in empty.inner_text()
    hrefs = [a.get_attribute("href") for a in empty.locator("a").all()]
    for path in ("get-help/", "resources/", "organizations/"):
        assert any(h.endswith(path) for h in hrefs), f"nothing found: no link to /{path} ({hrefs})"
    assert page.locator("#sl-results li").count() == 0


def test_reader_words_lead_to_their_pages_or_to_help(page, search_index):
    """Each published pointer (a page the site has for parents, young people, educators) comes
    first for its words; where the site has none, the answer is results or the help offer."""
    load(page, "/search/")
    pointers = search_index["spotlight"]["pointers"]
    entries = {d["location"]: d for d in search_index["docs"]}
    for pointer in pointers:
        word = pointer["words"][0].rstrip("*")
        search(page, word.upper())
        first = page.locator("#sl-results li").first
        assert first.locator("a").get_attribute("href").endswith(pointer["location"]), (word, pointer)
        # The page's own content warning comes with it, before its summary.
        warned = bool(entries.get(pointer["location"], {}).get("warnings"))
        assert (first.locator("p[data-content-warning]").count() == 1) == warned, first.inner_html()
    for word in ("parent", "teen"):
        search(page, word)
        found = page.locator("#sl-results li").count()
        assert found > 0 or page.locator(EMPTY).is_visible(), f"{word!r}: neither results nor help"


def test_words_from_an_address_are_searched_then_taken_out_of_it(page):
    """A link carrying ?q= (from elsewhere, or a bookmark) still searches, and the words leave the
    page's address and its entry in the history."""
    load(page, "/search/?q=" + "want%20to%20die")
    page.locator(CARD).wait_for()
    assert "q=" not in page.url and "die" not in page.url, page.url
    assert page.evaluate("location.search") == ""


def test_without_javascript_submitting_adds_no_words_to_the_address(new_page):
    page = new_page(java_script_enabled=False)
    load(page, "/search/")
    page.locator(BOX).fill("self harm")
    with page.expect_navigation():
        page.locator("form[data-search] button").click()
    assert "self" not in page.url and "q=" not in page.url, f"the words went into the address: {page.url}"
    assert "Search needs JavaScript" in page.locator("article").inner_text()


def test_a_result_shows_its_content_warning_before_its_summary(page, search_index):
    """warnings: the labels an entry of the index carries (a warnings-review field); the index is
    served here with warnings on its first item entry, as a build with warnings writes it."""
    index = json.loads(json.dumps(search_index))
    entry = next(d for d in index["docs"] if d["location"] != "get-help/" and d["text"])
    entry["warnings"] = ["death and grief", "self-harm"]
    page.route("**/search/search_index.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(index)))
    load(page, "/search/")
    search(page, entry["title"])
    item = page.locator("#sl-results li").filter(has=page.locator(f"a[href$='{entry['location']}']")).first
    paragraphs = item.locator("p")
    assert paragraphs.count() == 2, item.inner_html()
    warning = paragraphs.nth(0)
    assert warning.get_attribute("data-content-warning") is not None, item.inner_html()
    assert "Content warning" in warning.text_content() and "death and grief, and self-harm" in warning.text_content()
    assert paragraphs.nth(1).text_content().strip()[:40] == entry["text"][:40].strip()


def test_a_pointer_comes_first_for_its_words(page, search_index):
    """The browser side of a pointer, whatever pages the sample has: the index is served with a
    pointer to the about page for the word "guardian" (any word of the list's)."""
    index = json.loads(json.dumps(search_index))
    index["spotlight"]["pointers"] = [{"words": ["guardian*"], "location": "about/", "title": "For carers",
                                       "text": "What to look for and what to say."}]
    page.route("**/search/search_index.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(index)))
    load(page, "/search/")
    search(page, "Guardians")
    first = page.locator("#sl-results li").first
    assert first.locator("a").get_attribute("href").endswith("/about/")
    assert first.locator("a").inner_text() == "For carers"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_card_and_the_empty_answer_pass_axe(new_page, axe_js, scheme):
    from .test_browser_accessibility import AXE_TAGS, RUN_AXE, describe

    page = new_page(bypass_csp=True, color_scheme=scheme)  # axe is an inline script (see there)
    load(page, "/search/")
    page.add_script_tag(path=str(axe_js))
    for words in ("suicide", "qqzx wvvy kill myself"):  # card with results; card with nothing found
        search(page, words)
        assert page.locator(CARD).is_visible()
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        assert not violations, f"/search/ for {words!r} ({scheme}):\n{describe(violations)}"
