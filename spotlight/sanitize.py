"""Make an editor's HTML safe (no script, balanced tags, no borrowed ids) and a page's site links relative."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

import nh3

# Tags Markdown, its extensions and editors produce; nothing that runs code.
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

# Ids the page templates and the theme write: every template id starts with "sl-", Material's
# with "__", and these few are the theme's own. A body never gets one of them, so a heading
# in a body cannot become a second target of the template's links or aria-labelledby.
RESERVED_ID_PREFIXES = ("sl-", "__")
THEME_IDS = frozenset({"main-content", "search", "page-not-found"})


def is_reserved_id(value: str) -> bool:
    return value.startswith(RESERVED_ID_PREFIXES) or value in THEME_IDS


def page_url(src_uri: str) -> str:
    """A page's address from its name, as directory URLs: "about.md" is "about/", "index.md" is ""."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def md_link(href: str, src_uri: str) -> str:
    """A link to another page by its file name ("../topics/anxiety.md#help", as editors may write
    it, relative to the page's own name `src_uri`) as the page's site-absolute address; other
    links as they are."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return href
    if parts.path.startswith("/"):
        target = posixpath.normpath(parts.path).lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), parts.path))
    if target.startswith("../"):
        return href  # outside the site: the review reports it
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"/{page_url(target)}{query}{fragment}"


ASSETS_FOLDER = "content/assets/"


def asset_from_file(path: str, file_path: str) -> str | None:
    """An image path written relative to the editor's file (`../assets/a.png` in
    content/updates/x.md) that lands in content/assets/, as its site address (/assets/a.png);
    None for any other path. Editors' tools complete paths from the file, not from the page."""
    parts = urlsplit(path)
    if not file_path or parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(file_path), unquote(parts.path)))
    if not target.startswith(ASSETS_FOLDER):
        return None
    return "/" + quote(target.removeprefix("content/"))


class _BodyAttributes:
    """nh3's attribute filter for one body: links by file name become addresses, as do images by
    their path from the file; ids stay as written unless another element of the body has it
    already or it is reserved (see above)."""

    def __init__(self, src_uri: str, file_path: str = "") -> None:
        self.src_uri = src_uri
        self.file_path = file_path
        self.seen: set[str] = set()

    def __call__(self, tag: str, attribute: str, value: str) -> str:
        if attribute == "href":
            return md_link(value, self.src_uri)
        if attribute == "src" and tag == "img":
            return asset_from_file(value, self.file_path) or value
        if attribute != "id":
            return value
        base = f"body-{value}" if is_reserved_id(value) else value
        unique, n = base, 1
        while unique in self.seen:
            n += 1
            unique = f"{base}-{n}"
        self.seen.add(unique)
        return unique


def clean_fragment(html: str, src_uri: str, file_path: str = "") -> str:
    """An editor's HTML for the page named `src_uri`, parsed and written again: script, style,
    iframes, forms, event handlers and javascript:/data: URLs removed, every element closed inside
    the fragment, ids unique and not reserved, links by file name made addresses."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_BodyAttributes(src_uri, file_path),
    )


_SITE_LINK = re.compile(r'(\s(?:href|src))="/(?!/)([^"#?]*)([^"]*)"')


def relative_url(target: str, page_url: str) -> str:
    """`target` (a site path without its leading slash) as seen from the page at `page_url`
    (a directory address, "" for the home page): "get-help/" from "creators/maya/" is "../../get-help/"."""
    rel = posixpath.relpath("/" + target, "/" + page_url)
    if (not target or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel


_SRCSET = re.compile(r'(\ssrcset)="([^"]*)"')


def relative_links(html: str, page_url: str) -> str:
    """Site-absolute links (/get-help/) become relative, so the site works under any base path;
    so do the addresses in a srcset (an image's copies by width)."""

    def repl(match: re.Match) -> str:
        return f'{match.group(1)}="{relative_url(match.group(2), page_url)}{match.group(3)}"'

    def candidate(text: str) -> str:
        address, _, descriptor = text.strip().partition(" ")
        if address.startswith("/") and not address.startswith("//"):
            address = relative_url(address[1:], page_url)
        return f"{address} {descriptor}".strip()

    def srcset(match: re.Match) -> str:
        return f'{match.group(1)}="{", ".join(candidate(c) for c in match.group(2).split(","))}"'

    html = _SITE_LINK.sub(repl, html)
    return _SRCSET.sub(srcset, html) if " srcset=" in html else html
