"""The crisis-term list (spotlight/crisis_terms.py): what it must catch, what it must leave alone,
and what the search index carries of it. The browser side is tests/browser/test_browser_search.py."""

from __future__ import annotations

import json

import pytest

from spotlight.crisis_terms import (
    AUDIENCE_POINTERS, CRISIS_TERMS, all_crisis_terms, audience_pointers, is_crisis_search, normalise,
    term_matches,
)
from spotlight.settings import NEUTRAL_SITE_ELSEWHERE, NEUTRAL_SITES, Settings

from conftest import MOMENT

# How readers in crisis type: capitals, punctuation, curly apostrophes, extra spaces, words run
# together, accents left out or put in, the word inside a longer sentence.
MUST_CATCH = [
    "kill myself", "KILL MYSELF", "i want to kill   myself", "killmyself", "how to kill myself?",
    "want to die", "I want to die.", "i just wanna die", "I wish I was dead",
    "suicide", "Suicidal", "suicidal thoughts", "suicide hotline",
    "self harm", "self-harm", "selfharm", "Self Harming", "self-injury",
    "cutting", "I've been cutting", "cut myself",
    "end it all", "END. IT. ALL", "ending it all",
    "I don't want to live anymore", "I don\u2019t want to live", "dont want to be here anymore",
    "can't go on", "no reason to live", "overdose", "unalive", "unaliving myself",
    "quiero morir", "Quiero morirme", "me quiero morir", "QUIERO  MORIR!!", "tengo ganas de morir",
    "quiero matarme", "no quiero vivir", "autolesión", "autolesion", "hacerme daño", "ya no puedo más",
    "suicidio", "pensamientos suicidas",
]

# Ordinary searches on a mental-health hub: they get results, not the crisis card.
MUST_NOT_CATCH = [
    "anxiety", "depression", "grief", "eating disorders", "body image", "ADHD study tips",
    "parent", "teen", "school", "the only way out of the car park", "live Q&A", "die Welt",
    "studio", "cut", "self care", "harmony", "my life", "end of the month", "kills", "skill",
    "hang out with friends", "squad goals",
]


@pytest.mark.parametrize("query", MUST_CATCH)
def test_crisis_phrasings_are_caught(query):
    assert is_crisis_search(query), f"{query!r} should show the get-help card"


@pytest.mark.parametrize("query", MUST_NOT_CATCH)
def test_ordinary_searches_are_not(query):
    assert not is_crisis_search(query), f"{query!r} is an ordinary search, not a crisis term"


def test_every_listed_term_catches_itself_written_untidily():
    """Each entry of the list, as a reader might type it: capitals, punctuation between the
    words, doubled spaces, a trailing question mark, inside a sentence."""
    for language, terms in CRISIS_TERMS.items():
        for term in terms:
            words = term.rstrip("*")
            untidy = "  " + words.upper().replace(" ", " ,  ") + "?? "
            for query in (words, untidy, f"help i {words} now"):
                assert is_crisis_search(query), f"{language} term {term!r} does not catch {query!r}"


def test_the_published_list_is_normalised_and_without_repeats():
    terms = all_crisis_terms()
    assert len(terms) == len(set(terms))
    for term in terms:
        stem = term.rstrip("*")
        assert stem == normalise(stem), term
        # A stem this short would catch ordinary words ("od" in "mood", "cut" in "shortcut").
        assert len(stem.replace(" ", "")) >= 5, f"{term!r} is too short to be safe from ordinary words"
    assert set(CRISIS_TERMS) >= {"en", "es"}


def test_normalise_removes_what_readers_type_differently():
    assert normalise("  Don\u2019t   WANT—to die!! ") == "dont want to die"
    assert normalise("Autolesión / daño") == "autolesion dano"
    assert normalise("self_harm") == "self harm"
    assert normalise("") == ""


def test_a_starred_term_continues_only_its_last_word():
    assert term_matches("suicid*", "suicidal thoughts")
    assert not term_matches("suicid*", "presuicide")  # whole words from the start
    assert term_matches("self harm*", "self harming")
    assert not term_matches("cutting", "cuttings")


def test_pointers_lead_only_to_pages_the_site_has():
    first_group_words, first_group_slugs, _ = AUDIENCE_POINTERS[0]
    assert audience_pointers({}) == []
    # The second candidate is used when the first is missing; unknown slugs are ignored.
    pages = {first_group_slugs[-1]: ("somewhere/", "For worried people", "Signs and what to say."),
             "about": ("about/", "About", "")}
    pointers = audience_pointers(pages)
    assert len(pointers) == 1
    assert pointers[0]["location"] == "somewhere/" and pointers[0]["title"] == "For worried people"
    assert "parent*" in pointers[0]["words"]


def test_a_page_without_a_known_slug_is_found_by_its_title():
    pages = {"a-guide": ("a-guide/", "A guide for teachers and school staff", ""),
             "help-for-teens": ("help-for-teens/", "When you are a teen", ""),
             "young-hub": ("young-hub/", "For Young People", "")}
    pointers = {p["location"]: p for p in audience_pointers(pages)}
    assert set(pointers) == {"a-guide/", "young-hub/"}  # "a teen" is no title word: "teens" is
    assert "teacher*" in pointers["a-guide/"]["words"] and "teen*" in pointers["young-hub/"]["words"]


def test_the_search_index_carries_the_terms_and_pointers(project):
    project.write("content/pages/worried-about-someone.md", """
        ---
        title: Worried about someone
        summary: Signs to look for and what to say.
        ---
        Text.
        """)
    assert project.build("site", MOMENT).code == 0
    index = json.loads((project.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    published = index["spotlight"]
    assert published["crisis_terms"] == all_crisis_terms()
    assert [p["location"] for p in published["pointers"]] == ["worried-about-someone/"]
    assert published["pointers"][0]["title"] == "Worried about someone"
    # The entries are MkDocs' format still: the pointers add no entry.
    assert all(set(d) >= {"location", "title", "text"} for d in index["docs"])


def test_the_quick_exit_default_suits_the_primary_region():
    us, gb, elsewhere = Settings(primary_region="US"), Settings(primary_region="gb"), Settings(primary_region="AU")
    assert us.exit_url == NEUTRAL_SITES["US"] == "https://www.weather.gov/"
    assert gb.exit_url == "https://www.bbc.co.uk/weather"
    assert elsewhere.exit_url == NEUTRAL_SITE_ELSEWHERE and Settings().exit_url == NEUTRAL_SITE_ELSEWHERE
    chosen = Settings(quick_exit_url="https://example.org/weather", primary_region="US")
    assert chosen.exit_url == "https://example.org/weather"
