"""Small pure helpers the templates call: addresses, readable names, help links, warnings."""

from __future__ import annotations

import re
from functools import lru_cache

import langcodes
import pycountry

from .models import CONTACT_METHODS, CONTENT_WARNINGS, PLATFORMS, RESOURCE_KINDS, Item

SECTION = {
    "creator": "creators", "topic": "topics", "organization": "organizations", "resource": "resources",
    "campaign": "campaigns", "event": "events", "update": "updates",
}


def item_url(item: Item) -> str:
    """Site-absolute address of an item's page (made relative per page when written)."""
    if item.kind == "page":
        return f"/{item.slug}/"
    return f"/{SECTION[item.kind]}/{item.slug}/"


def item_src(item: Item) -> str:
    """The generated Markdown file's path inside the MkDocs build."""
    if item.kind == "page":
        return f"{item.slug}.md"
    return f"{SECTION[item.kind]}/{item.slug}.md"


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


def platform_label(platform: str) -> str:
    return PLATFORMS.get(platform, platform)


def resource_kind_label(kind: str) -> str:
    return RESOURCE_KINDS.get(kind, kind)


def digits(value: str) -> str:
    return re.sub(r"[^\d+]", "", value)


def contact_href(contact: dict) -> str:
    """tel:/sms: with digits only (no body=, which Apple says SMS links must not carry)."""
    method, value = contact["method"], contact["value"]
    if method == "call":
        return "tel:" + digits(value)
    if method == "text":
        return "sms:" + digits(value)
    if method == "email":
        return "mailto:" + value
    return value


def contact_text(contact: dict) -> str:
    """What the reader sees: the keyword is in the visible text, never hidden in the link."""
    method, value = contact["method"], contact["value"]
    if method == "call":
        return f"Call {value}"
    if method == "text":
        keyword = contact.get("keyword")
        return f"Text {keyword} to {value}" if keyword else f"Text {value}"
    if method == "chat":
        return "Chat online"
    if method == "email":
        return f"Email {value}"
    return "Visit the website"


def contact_method_label(method: str) -> str:
    return CONTACT_METHODS.get(method, method)
