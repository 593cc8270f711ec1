"""Make rendered page HTML safe (no script from content) and its site links relative."""

from __future__ import annotations

import re

import nh3
from mkdocs.utils import get_relative_url  # noqa: F401 - imported lazily by callers too

# Tags Markdown, Material's extensions and our templates produce; nothing that runs code.
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {
    "section", "nav", "aside", "header", "footer", "main", "article", "figure", "figcaption", "time",
    "details", "summary", "mark", "abbr", "kbd", "sup", "sub", "span", "div", "p", "img", "picture", "source",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "dl", "dt", "dd", "hr", "br", "pre", "code", "blockquote", "ol", "ul", "li", "h1", "h2", "h3", "h4", "h5", "h6",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"},
    "a": {"href", "download", "hreflang", "type"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "type", "media"},
    "time": {"datetime"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "details": {"open"},
    "abbr": {"title"},
}
URL_SCHEMES = {"https", "http", "tel", "sms", "mailto"}


def clean_html(html: str) -> str:
    """Strip script, style, iframes, forms, event handlers and javascript:/data: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_SITE_LINK = re.compile(r'(\s(?:href|src))="/(?!/)([^"#?]*)([^"]*)"')


def relative_links(html: str, page_url: str) -> str:
    """Site-absolute links (/get-help/) become relative, so the site works under any base path."""

    def repl(match: re.Match) -> str:
        target = match.group(2)
        rel = get_relative_url(target or ".", page_url)
        if (not target or target.endswith("/")) and not rel.endswith("/"):
            rel += "/"
        return f'{match.group(1)}="{rel}{match.group(3)}"'

    return _SITE_LINK.sub(repl, html)
