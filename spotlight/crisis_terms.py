"""Search words that must never lead to a dead end: crisis terms and the pages for particular readers.

A reader who searches the hub for "kill myself" or "quiero morir" is shown a card with the
primary region's crisis lines before any results (theme/assets/spotlight/spotlight.js).
The list is published with the search index (outputs.search_index) in its normalised form,
and the script normalises the reader's words the same way before it compares them.

Extending the list (docs/reader-experience.md): add a phrase in plain lower case to its
language; end it with `*` to let its last word continue ("suicid*": suicide, suicidal,
suicidio). Capitals, accents, punctuation, apostrophes and extra spaces need no variants:
normalise() removes them, and a phrase of several words also matches with its spaces left
out ("selfharm"). tests/test_crisis_terms.py holds the phrasings each entry must catch and
the ordinary searches none may catch.
"""

from __future__ import annotations

import re
import unicodedata

# Phrases, by language: English, and Spanish because the 988 Lifeline has a Spanish route
# (press 2, or text AYUDA; shared/reference/crisis-lines.md). Words about harm to oneself
# and wanting to die; not words that are ordinary on a mental-health hub ("depression",
# "grief"), which the search answers with pages.
CRISIS_TERMS: dict[str, tuple[str, ...]] = {
    "en": (
        "suicid*",
        "kill myself", "killing myself", "killed myself",
        "want to die", "wanna die", "want to be dead", "wish i was dead", "wish i were dead",
        "better off dead", "ready to die",
        "end it all", "ending it all", "end my life", "ending my life",
        "take my life", "take my own life", "taking my own life",
        "dont want to live", "dont want to be alive", "dont want to be here anymore",
        "no reason to live", "not worth living", "cant go on",
        "self harm*", "self injur*", "hurt myself", "hurting myself", "harm myself", "harming myself",
        "cutting", "cut myself", "cuts on my",
        "overdos*", "hang myself", "hanging myself",
        "unaliv*", "sewer slide",
        "crisis",
    ),
    "es": (
        "quiero morir*", "me quiero morir", "quisiera morir*", "ganas de morir",
        "quiero matarme", "me quiero matar", "matarme",
        "no quiero vivir", "no quiero seguir viviendo", "acabar con mi vida", "quitarme la vida",
        "hacerme dano", "autolesi*", "cortarme", "me corto",
        "ya no puedo mas",
        "crisis",
    ),
}

# Readers who search for who they are or whom they worry about: each group of words points at
# one page the site has (content/pages/<slug>.md): the first of its slugs that exists, else the
# first page (by slug) whose title has one of its title words. A group whose page the hub does
# not have points nowhere; its words still get the answer every search gets.
AUDIENCE_POINTERS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("parent*", "mum", "mom", "dad", "carer*", "caregiver*", "guardian*", "worried about*", "my child*",
      "my son", "my daughter", "my friend*", "someone i know", "padre*", "madre*", "mi hijo", "mi hija"),
     ("worried-about-someone", "supporting-someone", "for-parents", "parents", "worried"),
     ("worried about*", "supporting someone", "parents", "carers", "families")),
    (("teen*", "young*", "youth", "kid", "kids", "child", "children", "student*", "school*", "adolescen*",
      "joven*"),
     ("young-people", "for-young-people", "teens", "young"),
     ("young people", "young readers", "teens", "teenagers", "youth")),
    (("teacher*", "educator*", "school*", "counselor*", "counsellor*", "coach*", "maestro*", "profesor*"),
     ("educators", "for-educators", "schools", "for-schools", "teachers", "back-to-school"),
     ("educators", "teachers", "schools")),
)

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case without accents, apostrophes or punctuation, words one space apart.

    spotlight.js's normalise() does the same, step by step: keep them in step."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M")).lower()
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def normalised_terms(terms) -> list[str]:
    """The phrases as the browser compares them: normalised, a trailing `*` kept, no repeats."""
    out: list[str] = []
    for term in terms:
        stem = normalise(term.rstrip("*"))
        if not stem:
            continue
        entry = stem + ("*" if term.endswith("*") else "")
        if entry not in out:
            out.append(entry)
    return out


def all_crisis_terms() -> list[str]:
    return normalised_terms(term for language in CRISIS_TERMS.values() for term in language)


def term_matches(term: str, words: str) -> bool:
    """Does one normalised term occur in normalised words? Whole words, the last one continued
    where the term ends with `*`; a phrase of several words also with its spaces left out."""
    prefix = term.endswith("*")
    stem = term.rstrip("*")
    padded = f" {words} "
    if (f" {stem}" if prefix else f" {stem} ") in padded:
        return True
    if " " in stem:
        return stem.replace(" ", "") in words.replace(" ", "")
    return False


def is_crisis_search(query: str, terms: list[str] | None = None) -> bool:
    """What spotlight.js decides before it shows any result (the same rule, for tests and tools)."""
    words = normalise(query)
    return bool(words) and any(term_matches(t, words) for t in (terms or all_crisis_terms()))


def audience_pointers(pages: dict[str, tuple[str, str, str]]) -> list[dict]:
    """[{words, location, title, text}] for the groups whose page the site has; `pages`: slug ->
    (location relative to the site's root, title, summary) of the free pages it publishes."""
    out = []
    for words, slugs, title_words in AUDIENCE_POINTERS:
        slug = next((s for s in slugs if s in pages), None)
        if slug is None:
            wanted = normalised_terms(title_words)
            slug = next((s for s in sorted(pages) if any(term_matches(t, normalise(pages[s][1])) for t in wanted)),
                        None)
        if slug is not None:
            location, title, text = pages[slug]
            out.append({"words": normalised_terms(words), "location": location, "title": title, "text": text})
    return out


def browser_data(pages: dict[str, tuple[str, str, str]]) -> dict:
    """What the search index carries for spotlight.js besides its entries."""
    return {"crisis_terms": all_crisis_terms(), "pointers": audience_pointers(pages)}
