"""Small pure helpers the templates call: addresses, readable names, help links, warnings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable
from urllib.parse import quote, urlsplit

import langcodes
import pycountry

from . import site
from .models import CONTACT_METHODS, CONTENT_WARNINGS, PERSPECTIVES, PLATFORMS, RESOURCE_KINDS, Item

def item_url(item: Item) -> str:
    """Site-absolute address of an item's page (made relative per page when written); the site
    map (site.py) is where addresses are decided."""
    return site.item_url(item.kind, item.slug)


def item_src(item: Item) -> str:
    """The file the engine builds the item's page from (site.py)."""
    return site.item_src(item.kind, item.slug)


@lru_cache(maxsize=None)
def region_name(code: str) -> str:
    if code == "global":
        return "Worldwide"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def language_name(tag: str) -> str:
    try:
        return langcodes.Language.get(tag).display_name()
    except (LookupError, ValueError):  # pragma: no cover - tags are validated on load
        return tag


@lru_cache(maxsize=None)
def language_autonym(tag: str) -> str:
    """The language's name in itself, for readers who do not read English."""
    try:
        name = langcodes.Language.get(tag).autonym()
        return name[:1].upper() + name[1:]
    except (LookupError, ValueError):  # pragma: no cover
        return tag


def warning_label(term: str) -> str:
    return CONTENT_WARNINGS.get(term, term)


# Kinds whose topics are the subjects of what they say: a creator's topics are what their
# stories are about, so a creator carries the warnings of its topics. Every other kind's topics
# only file it (a crisis line under "Suicide prevention", a note that the lines were checked, a
# partners announcement): those carry only their own `content_warnings`, and the review
# (lint.missing_warnings) asks for one where their words are about suicide, self-harm or eating
# disorders. Help resources and directories therefore never open with a warning meant for stories.
INHERITS_TOPIC_WARNINGS = frozenset({"creator"})


def warning_terms(item: Item, topics: Iterable[Item]) -> list[str]:
    """The content-warning terms a page (and every card of it) shows, in vocabulary order: the
    item's own `content_warnings`, a topic's own `content_warning`, and, for the kinds above,
    the warnings of `topics` (the item's topics, looked up by the caller)."""
    terms = set(item.get("content_warnings", []))
    if item.kind == "topic" and item.get("content_warning"):
        terms.add(item.data["content_warning"])
    if item.kind in INHERITS_TOPIC_WARNINGS:
        terms.update(t.data["content_warning"] for t in topics if t.get("content_warning"))
    return [t for t in CONTENT_WARNINGS if t in terms]


def join_words(values: Iterable[str]) -> str:
    """A list as a sentence says it: "suicide", "suicide and self-harm", "suicide, self-harm and
    trauma". A phrase that holds "and" itself ("death and grief") must not blur into the list:
    last, it brings its own "and" ("suicide, death and grief"); elsewhere the last item gets a
    comma before "and" ("death and grief, and trauma")."""
    values = list(values)
    if len(values) <= 1:
        return "".join(values)
    head, last = values[:-1], values[-1]
    if " and " in last:
        return ", ".join(values)
    if any(" and " in v for v in head):
        return ", ".join(head) + ", and " + last
    return ", ".join(head) + " and " + last


def platform_label(platform: str) -> str:
    return PLATFORMS.get(platform, platform)


def perspective_label(term: str) -> str:
    return PERSPECTIVES.get(term, term)


def resource_kind_label(kind: str) -> str:
    return RESOURCE_KINDS.get(kind, kind)


def ascii_digits(value: str) -> str:
    """The digits of a value, in ASCII whatever script they are written in ("٩٨٨" is 988)."""
    return "".join(str(unicodedata.decimal(char)) for char in value if char.isdecimal())


def dial_number(shown: str) -> str:
    """The number a tel:/sms: link dials, taken from the number the reader is shown: its digits,
    and a + when the shown number starts with one. Nothing else of the value reaches the link."""
    return ("+" if shown.strip().startswith("+") else "") + ascii_digits(shown)


def email_address(value: str) -> str:
    """The plain address of an email contact: anything from a '?' or '#' on (a hidden bcc, cc,
    subject or body) is not part of it."""
    return re.split(r"[?#]", value, maxsplit=1)[0].strip()


def contact_href(contact: dict) -> str:
    """A contact link that does what its text says: tel:/sms: dial the number shown (no body=,
    which Apple says SMS links must not carry), mailto: writes to the address shown, nothing more."""
    method, value = contact["method"], contact["value"]
    if method == "call":
        return "tel:" + dial_number(value)
    if method == "text":
        return "sms:" + dial_number(value)
    if method == "email":
        # Percent-encoded so that a mail program reads back exactly the address shown.
        return "mailto:" + quote(email_address(value), safe="@+")
    return value


def contact_text(contact: dict) -> str:
    """What the reader sees: the keyword is in the visible text, never hidden in the link."""
    method, value = contact["method"], contact["value"]
    if method == "call":
        press = contact.get("press")
        return f"Call {value}, then press {press}" if press else f"Call {value}"
    if method == "text":
        keyword = contact.get("keyword")
        return f"Text {keyword} to {value}" if keyword else f"Text {value}"
    if method == "chat":
        return "Chat online"
    if method == "email":
        return f"Email {email_address(value)}"
    return f"Visit {urlsplit(value).hostname or 'the website'}"


def offsite_host(contact: dict, site_url: str) -> str:
    """The host a chat or web contact leads to when it is not this hub's own ("" otherwise):
    the reader is told they are going to another organisation's site."""
    if contact["method"] not in ("chat", "web"):
        return ""
    host = (urlsplit(contact["value"]).hostname or "").removeprefix("www.")
    own = (urlsplit(site_url).hostname or "").removeprefix("www.")
    return "" if not host or host == own else host


def contact_method_label(method: str) -> str:
    return CONTACT_METHODS.get(method, method)
