"""The editor's review that `check` (and every build) runs over each file's text.

- Safe messaging: phrasing that suicide and eating-disorder guidance advises against, each
  with a suggested alternative (the rules, their sources and examples: safe_messaging.py);
  code blocks included, since readers see them.
- Warnings: a page whose words tell of suicide, self-harm or an eating disorder must carry
  the matching content warning (missing_warning), help and directories excepted.
- Addresses: only https:, tel:, sms: and mailto: links; never javascript: or data:. A link
  does what it shows: no hidden mail fields, no other number than the one shown, no user name
  before a web address's host.
- Raw HTML: no script, iframe, style, form (and the like) or event-handler attributes.
- Internal links and images: the page or file must exist as of the build's moment; images
  need alt text, must stay within a size budget and come from content/assets/.

Each body is read line by line, which gives exact lines, and, when it holds what that cannot
see (HTML, an entity, an attribute list, a reference definition, a link over two lines), also
as the HTML that body.py renders for the build, before sanitising: the review sees what the
build sees, and reports it on the line that holds it.

A finding is silenced only in the file itself, with a reason, on the line before it (or at
the end of its own line):

    <!-- spotlight: allow suicide-crime-language: quoting a 1990s headline -->

In front matter the same words go in a YAML comment: `# spotlight: allow RULE: reason`.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import posixpath
import re
import threading
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from .body import markdown_to_html
from .body_limits import body_problems
from .diagnostics import Report, did_you_mean
from .models import CONTENT_WARNINGS, KINDS, Group, Item, ListOf, Text
from .safe_messaging import SAFE_MESSAGING, Rule, told_subjects  # noqa: F401 - Rule: the rules' type, for importers
from .schedule import why_hidden
from .site import SiteMap, normal_url
from .sources import CONTENT_FILE_LIMIT, UnsafeFile, normalise_newlines, read_regular_file, split_front_matter
from .views import INHERITS_TOPIC_WARNINGS, ascii_digits, warning_terms

IMAGE_BUDGET_BYTES = 300_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"}
ALLOWED_SCHEMES = {"https", "tel", "sms", "mailto"}


# Words without which a rule cannot match: a file (then a line) is searched with a rule's pattern
# only when its lowercased text contains one of them. Substring tests are far cheaper than regexes.
RULE_KEYS: dict[str, tuple[str, ...]] = {rule.id: rule.keys for rule in SAFE_MESSAGING}
_ALL_KEYS = tuple(sorted({key for keys in RULE_KEYS.values() for key in keys}))
# Every rule a finding can name (and a silencing comment can allow).
RULE_IDS = frozenset(rule.id for rule in SAFE_MESSAGING) | {
    "url-scheme", "raw-html", "broken-link", "image", "misleading-link", "missing-warning"}

# Elements that run code, load other documents, style the page or take input.
BAD_TAGS = ("script", "iframe", "style", "form", "object", "embed", "input", "button", "textarea", "select",
            "link", "meta", "base", "frame", "frameset", "svg", "math", "applet", "noscript", "template", "portal")
_BAD_TAG_SET = frozenset(BAD_TAGS)
# Attributes holding an address, and those of them that load it into the page (checked as images).
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
                            "cite", "longdesc", "ping", "xlink:href", "lowsrc", "dynsrc", "manifest", "icon"})
EMBEDDING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "background", "lowsrc", "dynsrc"})

_ALLOW = re.compile(r"(?:<!--|#)\s*spotlight:\s*allow\b\s*([\w-]*)\s*(?::\s*(.*?))?\s*(?:-->|$)")
# [text](address "title"): the address in <...>, or with balanced parentheses, as Markdown reads it.
_MD_LINK = re.compile(r"(!?)\[((?:[^\]\\]|\\.)*)\]\(\s*(?:<([^>]*)>|((?:[^()\s]|\([^()\s]*\))*))"
                      r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^>\s]*)>")
_HTML_URL = re.compile(r"\b(href|src|srcset|action|formaction|poster|data)\s*=\s*[\"']?\s*([^\"'\s>]+)", re.IGNORECASE)
_BAD_TAG = re.compile(r"<\s*/?\s*(" + "|".join(BAD_TAGS) + r")\b", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
_HTML_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
# What the line pass cannot see: an HTML tag with attributes (or split over lines), an entity,
# an attribute list, a reference definition. Comments and bare tags like <kbd> or </em> hold
# nothing to review. A body with none of these (and whose every "](" the line pass read as a
# link) renders to nothing the line pass has not reviewed; most bodies skip the Markdown renderer.
_NEEDS_HTML_REVIEW = re.compile(
    r"<(?!!--|/?(?:b|i|em|strong|kbd|br|sup|sub|mark|small|s|u|q|code|abbr|p|hr|wbr|span|div)\s*/?>)[A-Za-z/!?]"
    r"|&(?:#|[A-Za-z][A-Za-z0-9]*;)|\{|\]:")
# Lists nested deep enough to break the renderer (see _review_html): a substring test, since a
# pattern anchored at every line start would cost more than the rest of the prefilter.
_DEEP_INDENTS = (" " * 100, "\t" * 25)
_DEEP_INDENT = re.compile(r"^[ \t]{100}", re.MULTILINE)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_NEWLINES = re.compile(r"\r\n?|[\x85\u2028\u2029]")

_NO_ALT = "this image has no alt text"
_HTML_HINT = "remove it: content may use Markdown and simple HTML, never code, frames, styles or forms"
_HANDLER_HINT = "remove it: content cannot run script"


@dataclass
class Finding:
    line: int
    rule: str
    field: str
    message: str
    hint: str


@dataclass
class TextScan:
    """What a file's text alone says: safe-messaging and raw-HTML findings (`field` is "" for a
    line of front matter: the item's field table names it), and the links to check against the site."""

    findings: list[Finding] = field(default_factory=list)
    # (line, address as a browser reads it, whether the page loads it (an image), the link's visible text)
    urls: list[tuple[int, str, bool, str]] = field(default_factory=list)


def one_newline(text: str) -> str:
    """A file's text with every line ending as "\n": CRLF, a lone CR (old Mac files), NEL,
    U+2028 and U+2029 each end a line, as they do for the YAML reader and the front-matter split."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return _NEWLINES.sub("\n", text)
    return text


def text_lines(text: str) -> list[str]:
    return one_newline(text).split("\n")


def browser_url(value: str) -> str:
    """An address as a browser reads it (entities are already decoded): no leading or trailing
    spaces or control characters, and no tab or newline anywhere (WHATWG URL parsing)."""
    value = value.strip(_C0_AND_SPACE)
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "").replace("\n", "").replace("\r", "")
    return value


def _scheme(url: str) -> str:
    match = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    # Spaces and control characters inside a scheme ("java\x01script:", "java script:") would
    # be a relative link at best: read them as the scheme they spell.
    if match is None:
        squeezed = re.sub(r"[\x00-\x20]", "", url)
        match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", squeezed)
    return match.group(1).lower() if match else ""


def _shown(url: str, limit: int = 60) -> str:
    """An address fit for a one-line message: control characters written as escapes."""
    url = url[:limit]
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], url) if re.search(r"[\x00-\x1f\x7f]", url) else url


def scan_text(text: str, body_line: int) -> TextScan:
    """Read one file's text (front matter and body; the body starts on `body_line`)."""
    # Whole-text searches, each match placed on its line: a phrase broken across two lines
    # is still found, and a file with nothing to find costs a few substring tests.
    text = one_newline(text)
    lines = text.split("\n")
    starts: list[int] = []  # where each line begins, computed once something is found
    code, allows = _skipped_lines(lines, body_line, text)
    skip = code | allows
    lowered = text.lower()
    present = {key for key in _ALL_KEYS if key in lowered}
    scan = TextScan()
    for rule in SAFE_MESSAGING:
        if present.isdisjoint(RULE_KEYS[rule.id]):
            continue
        for match in rule.matches(text):
            starts = starts or _line_starts(lines)
            number = bisect_right(starts, match.start())
            # Code blocks are shown to readers as they are: their words are reviewed like any
            # other (only their markup is not markup, below).
            if number in allows:
                continue
            scan.findings.append(Finding(number, rule.id, "body" if number >= body_line else "",
                                         rule.message.format(match=" ".join(match.group(0).split())), rule.fix))
    if not body_line:
        return scan
    # A body beyond the limits Markdown can read in time is refused before anything reads it
    # as Markdown (the line pass included): in check and in build alike, as build runs this too.
    refused = body_problems("\n".join(lines[body_line - 1:]))
    if refused:
        scan.findings.extend(Finding(body_line + p.line, "", "body", p.message, p.hint) for p in refused)
        return scan
    links = _Links()
    if "<" in text or "](" in text:
        for number in range(body_line, len(lines) + 1):
            line = lines[number - 1]
            if ("<" in line or "](" in line) and number not in skip:
                _markup_line(scan, links, number, line)
    body = "\n".join(lines[body_line - 1:])
    if links.unread or _NEEDS_HTML_REVIEW.search(body) or any(deep in body for deep in _DEEP_INDENTS):
        _review_html(scan, links, body, text, starts or _line_starts(lines), body_line, skip)
    else:
        scan.urls = links.markdown + links.html
    return scan


def _line_starts(lines: list[str]) -> list[int]:
    return list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


def _skipped_lines(lines: list[str], body_line: int, text: str) -> tuple[set[int], set[int]]:
    """Lines of fenced code (whose markup is shown, not read as markup) and lines that hold
    only a silencing comment."""
    code: set[int] = set()
    allows: set[int] = set()
    if body_line and ("```" in text or "~~~" in text):
        in_fence = False
        for number in range(body_line, len(lines) + 1):
            if _FENCE.match(lines[number - 1]):
                in_fence = not in_fence
                code.add(number)
            elif in_fence:
                code.add(number)
    if "spotlight:" in text:
        for number, line in enumerate(lines, start=1):
            if "spotlight:" in line and _ALLOW.search(line) and _ALLOW.sub("", line).strip() == "":
                allows.add(number)
    return code, allows


@dataclass
class _Links:
    """The addresses the line pass read: Markdown links, HTML attributes, and how many "](" it could not read."""

    markdown: list[tuple[int, str, bool, str]] = field(default_factory=list)
    html: list[tuple[int, str, bool, str]] = field(default_factory=list)
    unread: int = 0


def _markdown_url(raw: str) -> str:
    """A Markdown link's address as the page will carry it: escapes and entities resolved."""
    if "\\" in raw:
        raw = _MD_ESCAPE.sub(r"\1", raw)
    if "&" in raw:
        raw = html.unescape(raw)
    return browser_url(raw)


def _markup_line(scan: TextScan, links: _Links, number: int, line: str) -> None:
    """A body line's forbidden HTML and images without alt text; its links, to check against the site."""
    if "<" in line:
        for match in _BAD_TAG.finditer(line):
            scan.findings.append(Finding(number, "raw-html", "body", f"<{match.group(1).lower()}> is not allowed in content",
                                         _HTML_HINT))
        for match in _EVENT_ATTR.finditer(line):
            scan.findings.append(Finding(number, "raw-html", "body",
                                         f"the event-handler attribute '{match.group(1).lower()}' is not allowed", _HANDLER_HINT))
        for match in _AUTOLINK.finditer(line):
            links.html.append((number, browser_url(html.unescape(match.group(1))), False, ""))
        for match in _HTML_IMG.finditer(line):
            alt = re.search(r"\balt\s*=\s*[\"']([^\"']*)", match.group(1), re.IGNORECASE)
            if alt is None or not alt.group(1).strip():
                scan.findings.append(Finding(number, "image", "body", _NO_ALT, 'add alt="..." that says what the image shows'))
    for match in _HTML_URL.finditer(line):
        links.html.append((number, browser_url(html.unescape(match.group(2))), False, ""))
    if "](" in line:
        found = 0
        for match in _MD_LINK.finditer(line):
            found += 1
            is_image = match.group(1) == "!"
            if is_image and not match.group(2).strip():
                scan.findings.append(Finding(number, "image", "body", _NO_ALT,
                                             "write what it shows: ![A person smiling at a laptop](...)"))
            address = match.group(3) if match.group(3) is not None else match.group(4)
            label = html.unescape(match.group(2)) if "&" in match.group(2) else match.group(2)
            links.markdown.append((number, _markdown_url(address), is_image, label))
        # A link whose text or address the line pass cannot read (it spans lines, nests brackets
        # or holds a tab): the rendered HTML is reviewed instead.
        links.unread += max(0, line.count("](") - found)


# -- the review of the rendered body ------------------------------------------------------------


@dataclass
class _Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    raw: str  # the start tag as written in the HTML
    text: list[str] = field(default_factory=list)  # a link's visible text


class _Elements(HTMLParser):
    """A body's HTML as a browser reads it: every start tag, its attributes with entities decoded,
    and each link's text. Only elements that may hold something to review are kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Element] = []
        self._link: _Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BAD_TAG_SET or tag == "img" or any(
                name in URL_ATTRIBUTES or name.startswith("on") or name == "style" for name, _ in attrs):
            element = _Element(tag, attrs, self.get_starttag_text() or "")
            self.found.append(element)
            if tag == "a":
                self._link = element
        elif tag == "a":
            self._link = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text.append(data)


_ENTITY = r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?"
_LOADING_STYLE = re.compile(r"url\s*\(|image-set|expression\s*\(|@import", re.IGNORECASE)


def _loose(value: str) -> re.Pattern:
    """A pattern for `value` as an editor may have written it: characters as entities or with a
    backslash, spaces and control characters in between, any case."""
    chars = re.sub(r"[\x00-\x20]", "", value)[:40]
    return re.compile(r"[\x00-\x20]*".join(rf"(?:\\?{re.escape(c)}|{_ENTITY})" for c in chars), re.IGNORECASE)


class _Locator:
    """Places what the rendered HTML holds on the body line that holds it: the HTML keeps the
    source's order, so each search starts where the last one was found."""

    def __init__(self, text: str, starts: list[int], body_line: int, skip: set[int]):
        self.text, self.starts, self.skip = text, starts, skip
        self.body_start = starts[body_line - 1] if body_line - 1 < len(starts) else len(text)
        self.cursor = self.body_start

    def line(self, position: int) -> int:
        return bisect_right(self.starts, position)

    def _search(self, needle: str | re.Pattern, start: int) -> int:
        while True:
            if isinstance(needle, str):
                position = self.text.find(needle, start)
            else:
                match = needle.search(self.text, start)
                position = match.start() if match else -1
            if position < 0 or self.line(position) not in self.skip:
                return position
            start = position + 1  # fenced code shows markup; it is not the markup

    def find(self, needle: str | re.Pattern, advance: bool = True) -> int:
        """The position of `needle` after the last one found (else anywhere in the body), or -1."""
        position = self._search(needle, self.cursor)
        if position >= 0:
            if advance:
                self.cursor = position + 1
            return position
        return self._search(needle, self.body_start)

    def fallback(self) -> int:
        """Where to report what cannot be found: the line of the last thing found."""
        return self.line(max(self.body_start, self.cursor - 1))


def _review_html(scan: TextScan, links: _Links, body: str, text: str, starts: list[int], body_line: int,
                 skip: set[int]) -> None:
    """Review the body as the build renders it: what the line pass missed is reported on the line
    that holds it, and the addresses of the HTML replace those the line pass guessed."""
    try:
        rendered = markdown_to_html(body)
    except RecursionError:  # Python-Markdown recurses once per level of lists or HTML blocks
        deep = _DEEP_INDENT.search(body)  # where lists go deep; HTML blocks: the body's first line
        number = body_line + (body.count("\n", 0, deep.start()) if deep else 0)
        scan.findings.append(Finding(number, "", "body", "the body nests lists or HTML blocks too deeply to be rendered",
                                     "flatten it: a page needs a few levels at most"))
        return
    parser = _Elements()
    parser.feed(rendered)
    parser.close()
    review = _HtmlReview(scan, links, _Locator(text, starts, body_line, skip))
    for element in parser.found:
        review.element(element)
    # Markdown links that the HTML does not hold as links (inside code, say) are reviewed as written.
    review.urls.extend(entry for entry in links.markdown if entry[0] in review.anchors.get(entry[1], ()))
    scan.urls = list(dict.fromkeys(review.urls))


class _HtmlReview:
    """The findings and addresses of one body's rendered elements, each placed on its line."""

    def __init__(self, scan: TextScan, links: _Links, where: _Locator):
        self.scan, self.where = scan, where
        self.urls: list[tuple[int, str, bool, str]] = []
        self.seen = {(f.line, f.rule, f.message) for f in scan.findings}  # what the line pass found
        self.anchors: dict[str, list[int]] = {}  # address -> lines of the Markdown links the line pass read
        for number, url, _, _ in links.markdown:
            self.anchors.setdefault(url, []).append(number)

    def report(self, number: int, rule: str, message: str, hint: str) -> None:
        if (number, rule, message) not in self.seen:
            self.seen.add((number, rule, message))
            self.scan.findings.append(Finding(number, rule, "body", message, hint))

    def element(self, element: _Element) -> None:
        where = self.where
        # Raw HTML is in the body as written; an element Markdown made (a link, an image, one
        # with an attribute list) is found by its attributes and addresses instead.
        start = where.find(element.raw) if element.raw else -1
        if element.tag in _BAD_TAG_SET:
            position = start if start >= 0 else where.find(re.compile(rf"<\s*{element.tag}\b", re.IGNORECASE))
            self.report(where.line(position) if position >= 0 else where.fallback(), "raw-html",
                        f"<{element.tag}> is not allowed in content", _HTML_HINT)
        first_url_line = 0
        for name, value in element.attrs:
            if name.startswith("on"):
                self.report(self.attribute_line(element, start, name), "raw-html",
                            f"the event-handler attribute '{name}' is not allowed", _HANDLER_HINT)
            elif name == "style" and value and _LOADING_STYLE.search(value):
                self.report(self.attribute_line(element, start, name), "raw-html", "a style that loads an address is not allowed",
                            "remove the style: the theme styles content, and nothing may load from another site")
            elif name in URL_ATTRIBUTES and value is not None:
                label = " ".join("".join(element.text).split())
                for url in _attribute_urls(name, value):
                    number = self.attribute_line(element, start, name) if start >= 0 else self.url_line(url)
                    first_url_line = first_url_line or number
                    self.urls.append((number, url, name in EMBEDDING_ATTRIBUTES, label))
        if element.tag == "img" and not (dict(element.attrs).get("alt") or "").strip():
            number = where.line(start) if start >= 0 else first_url_line or where.fallback()
            self.report(number, "image", _NO_ALT, 'add alt="..." that says what the image shows')

    def attribute_line(self, element: _Element, start: int, name: str) -> int:
        if start >= 0:
            match = re.search(rf"(?<![\w:-]){re.escape(name)}(?![\w:-])", element.raw, re.IGNORECASE)
            return self.where.line(start + (match.start() if match else 0))
        position = self.where.find(re.compile(rf"(?<![\w:-]){re.escape(name)}\s*=", re.IGNORECASE))
        return self.where.line(position) if position >= 0 else self.where.fallback()

    def url_line(self, url: str) -> int:
        """The line of an address in an element Markdown made: that of the Markdown link the line
        pass read, else (a reference definition, an autolink) the address searched as written,
        then without its scheme (Markdown writes mailto: itself)."""
        if self.anchors.get(url):
            number = self.anchors[url].pop(0)
            self.where.cursor = max(self.where.cursor, self.where.starts[number - 1] + 1)
            return number
        for needle in (url, url.split(":", 1)[1] if _scheme(url) else ""):
            if re.sub(r"[\x00-\x20/]", "", needle):
                position = self.where.find(_loose(needle), advance=False)
                if position >= 0:
                    return self.where.line(position)
        return self.where.fallback()


def _attribute_urls(name: str, value: str) -> list[str]:
    if name == "srcset":  # "a.png 1x, b.png 2x": each candidate's address
        return [browser_url(part.split()[0]) for part in value.split(",") if part.split()]
    if name == "ping":
        return [browser_url(part) for part in value.split()]
    return [browser_url(value)]


# -- links that do not do what they say ----------------------------------------------------------

_PHONE_RUN = re.compile(r"\+?\d+(?:[ \u00a0().\-]*\d+)*")


def _numbers_shown(text: str) -> set[str]:
    """Every number a reader may take the text to show: each run of digit groups joined by the
    separators phone numbers are written with ("Call 988 (24/7)" shows 988, 98824, 24 and 7)."""
    found: set[str] = set()
    for match in _PHONE_RUN.finditer(text):
        groups = [ascii_digits(group) for group in re.findall(r"\d+", match.group())]
        for first in range(len(groups)):
            for last in range(first + 1, len(groups) + 1):
                found.add("".join(groups[first:last]))
    return found


def _misleading(number: int, url: str, scheme: str, text: str) -> list[Finding]:
    """An allowed address that does more than it shows: a mail link that adds recipients or
    words, a phone link to another number than the one shown, a web address whose real host
    hides behind a user name."""
    rest = url.split(":", 1)[1]
    if scheme == "mailto" and "?" in rest:
        address, query = rest.split("?", 1)
        names = sorted({unquote(name).lower() for name, _ in parse_qsl(query, keep_blank_values=True)})
        return [Finding(number, "misleading-link", "body",
                        f"'{_shown(url)}' adds {', '.join(names) or 'a query'} to the reader's email",
                        f"link the plain address: mailto:{_shown(unquote(address))}")]
    if scheme in ("tel", "sms"):
        dialled = ascii_digits(re.split(r"[;?]", unquote(rest), maxsplit=1)[0])
        shown = _numbers_shown(text)
        if any(len(n) >= 3 for n in shown) and dialled not in shown:
            verb = "calls" if scheme == "tel" else "texts"
            longest = max(shown, key=len)
            return [Finding(number, "misleading-link", "body", f"the link shows {longest} but {verb} {dialled or 'nothing'}",
                            f"link the number it shows: {scheme}:{longest}")]
    if scheme == "https":
        # Browsers read any run of / and \ after "https:" as the start of the host.
        authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0]
        if "@" in authority:
            host = authority.rsplit("@", 1)[1]
            return [Finding(number, "misleading-link", "body",
                            f"'{_shown(url)}' goes to {_shown(host)}: what comes before '@' is a user name, not the site",
                            "link the site's own address, with no '@' before its first '/'")]
    return []


class Linter:
    """Reviews one project's items against the site map: the pages that exist as of the build's moment."""

    def __init__(self, root: Path, content, site: SiteMap, report: Report):
        self.root = root
        self.content = content
        self.site = site
        self.report = report
        # Items not published as of the moment, by the address they will have: a link to one
        # is reported with the reason (a draft, scheduled for later) rather than as broken.
        self._unpublished = {site.url_for(item): item for items in content.all.values() for item in items.values()
                             if site.entry_for(item) is None}
        # Each body link to an item's page: (item, line, address, item linked to), for the
        # check of the whole timeline (timeline.check_timeline), which runs after the review.
        self.item_links: list[tuple[Item, int, str, Item]] = []

    # -- the review --------------------------------------------------------------------------

    def lint(self, item: Item, memo: dict | None = None, scanned: dict | None = None) -> None:
        """Review one item. Its text is read by scan_text unless it already was: in `serve`, `memo`
        keeps the scan of each item (an unchanged file gives the same Item object, see
        validate.parse_cached); in a large check, `scanned` holds prescan()'s results. Links are
        checked here every time: their targets can change while the text does not."""
        scan = None
        if memo is not None and item.path in memo and memo[item.path][0] is item:
            scan = memo[item.path][1]
        elif scanned is not None and item.path in scanned and scanned[item.path][0] == (len(item.text), hash(item.text)):
            scan = scanned[item.path][1]
        if scan is None:
            scan = scan_text(item.text, item.body_line)
            if memo is not None:
                memo[item.path] = (item, scan)
        findings = [f if f.field else Finding(f.line, f.rule, self._field_at(item, f.line), f.message, f.hint)
                    for f in scan.findings]
        for number, url, is_image, alt in scan.urls:
            findings.extend(self._url(item, number, url, is_image, alt))
        missing = missing_warning(item, self._topics(item))
        if missing is not None:
            findings.append(missing)
        if findings or "spotlight:" in item.text:
            self._report(item, text_lines(item.text), findings)

    def _topics(self, item: Item) -> list[Item]:
        if item.kind not in INHERITS_TOPIC_WARNINGS:
            return []
        topics = self.content.all.get("topic", {})
        return [topics[slug] for slug in item.get("topics", []) if slug in topics]

    def _field_at(self, item: Item, number: int) -> str:
        best, best_line = "front matter", 0
        for label, line in item.lines.items():
            if best_line < line <= number:
                best, best_line = label, line
        return best

    def _url(self, item: Item, number: int, url: str, is_image: bool, text: str) -> list[Finding]:
        scheme = _scheme(url)
        if is_image and (scheme in ("https", "http") or url.startswith("//")):
            return [Finding(number, "image", "body", f"'{_shown(url)}' is an image from another site",
                            "save it in content/assets/ and use /assets/...: nothing on the hub loads from another site")]
        if scheme:
            if scheme in ALLOWED_SCHEMES:
                return _misleading(number, url, scheme, text)
            hint = "use the https:// address" if scheme == "http" else "links may use https:, tel:, sms: or mailto: only"
            return [Finding(number, "url-scheme", "body", f"'{scheme}:' addresses are not allowed ({_shown(url)})", hint)]
        if not url or url.startswith("#") or url.startswith("//"):
            if url.startswith("//"):
                return [Finding(number, "url-scheme", "body", f"'{_shown(url)}' has no scheme", "write it with https://")]
            return []
        path = unquote(urlsplit(url).path)
        if is_image or Path(path).suffix.lower() in IMAGE_SUFFIXES:
            return self._image(item, number, path)
        return self._link(item, number, url, path)

    def _site_path(self, item: Item, path: str) -> str:
        """Where a link in `item`'s body points on the site, as a site-absolute path."""
        if path.startswith("/"):
            target = path
        elif path.endswith(".md"):
            target = "/" + posixpath.normpath(posixpath.join(posixpath.dirname(self.site.src_for(item)), path))
        else:
            target = posixpath.normpath(posixpath.join(self.site.url_for(item), path))
            target = target if target.startswith("/") else "/" + target
            if path.endswith("/"):
                target += "/"
        if target.endswith(".md"):
            target = target[:-3]
            target = target[: -len("index")] if target.endswith("/index") else target + "/"
        return target

    def _link(self, item: Item, number: int, url: str, path: str) -> list[Finding]:
        target = self._site_path(item, path)
        if target.startswith("/assets/"):
            if (self.root / "content" / target.lstrip("/")).is_file():
                return []
            return [Finding(number, "broken-link", "body", f"there is no file content{target}", "add the file or fix the link")]
        key = normal_url(target)
        entry = self.site.lookup(key)
        page = entry.item if entry is not None else self._unpublished.get(key)
        if page is not None:
            self.item_links.append((item, number, url, page))
        if self.site.exists(key):
            return []
        if page is None:
            hint = did_you_mean(key, [*self._link_targets(), *self._unpublished]) or "link to a page of this hub"
            return [Finding(number, "broken-link", "body", f"'{_shown(url, 200)}' points to no page on this hub", hint)]
        if why_hidden(item, self.content.moment, self.content.drafts) is None:
            reason = why_hidden(page, self.content.moment, self.content.drafts)
            if reason:
                return [Finding(number, "broken-link", "body",
                                f"'{_shown(url, 200)}' points to {page.path}, which {reason} (as of {self.content.moment.isoformat()})",
                                "publish it first, or schedule this text for the same moment")]
        return []

    def _link_targets(self) -> list[str]:
        """What a broken link's hint suggests: the site's pages and its top-level feeds and files."""
        return [e.url for e in self.site.pages() if e.name != "404"] + [
            e.url for e in self.site.outputs() if e.url.count("/") == 1 and not e.url.startswith("/_")]

    def _image(self, item: Item, number: int, path: str) -> list[Finding]:
        out: list[Finding] = []
        target = self._site_path(item, path)
        if not target.startswith("/assets/"):
            out.append(Finding(number, "image", "body", f"images must be in content/assets/ ({path})", "move the image to content/assets/"))
            return out
        file = self.root / "content" / target.lstrip("/").rstrip("/")
        if not file.is_file():
            out.append(Finding(number, "image", "body", f"there is no image content{target.rstrip('/')}", "add the image or fix the path"))
        elif file.stat().st_size > IMAGE_BUDGET_BYTES:
            size = file.stat().st_size // 1000
            out.append(Finding(number, "image", "body", f"content{target.rstrip('/')} is {size} kB (budget {IMAGE_BUDGET_BYTES // 1000} kB)",
                               "resize or compress it: most readers are on phones"))
        return out

    # -- silencing ---------------------------------------------------------------------------

    def _report(self, item: Item, lines: list[str], findings: list[Finding]) -> None:
        allowed: dict[int, set[str]] = {}
        used: set[tuple[int, str]] = set()
        allow_at: dict[tuple[int, str], int] = {}
        for number, line in enumerate(lines, start=1):
            for match in (_ALLOW.finditer(line) if "spotlight:" in line else ()):
                rule_id, reason = match.group(1), (match.group(2) or "").strip()
                if rule_id not in RULE_IDS:
                    self.report.error(item.path, number, "spotlight: allow", f"there is no rule '{rule_id}'",
                                      did_you_mean(rule_id, RULE_IDS) or "name the rule from the finding")
                    continue
                if not reason:
                    self.report.error(item.path, number, "spotlight: allow", f"silencing '{rule_id}' needs a reason",
                                      f"write <!-- spotlight: allow {rule_id}: why this wording is needed here -->")
                    continue
                own_line = _ALLOW.sub("", line).strip() != ""
                covered = [number] if own_line else self._next_paragraph(lines, number, item.body_line)
                for target in covered:
                    allowed.setdefault(target, set()).add(rule_id)
                allow_at[(number, rule_id)] = covered
        for f in findings:
            if f.rule in allowed.get(f.line, set()):
                used.add((f.line, f.rule))
                continue
            # A finding without a rule (a body the renderer cannot read) cannot be silenced.
            self.report.error(item.path, f.line, f.field, f"{f.message} [{f.rule}]" if f.rule else f.message, f.hint)
        for (number, rule_id), covered in allow_at.items():
            if not any((target, rule_id) in used for target in covered):
                where = f"line {covered[0]}" if len(covered) == 1 else f"lines {covered[0]}-{covered[-1]}"
                self.report.warning(item.path, number, "spotlight: allow", f"nothing to silence: no '{rule_id}' finding on {where}",
                                    "remove the comment")

    @staticmethod
    def _next_paragraph(lines: list[str], number: int, body_line: int) -> list[int]:
        """What a comment on a line of its own covers: the next front-matter line, or the next paragraph."""
        covered: list[int] = []
        for following in range(number + 1, len(lines) + 1):
            if not lines[following - 1].strip():
                if covered:
                    break
                continue
            covered.append(following)
            if following < body_line:  # front matter: one field line
                break
        return covered or [number]


# Help and directories: what they offer is help, so their words may name any subject without
# a warning (views.INHERITS_TOPIC_WARNINGS says why no topic's warning reaches them either).
HELP_KINDS = frozenset({"resource", "organization"})


def _text_fields(fields: dict) -> set[str]:
    names = set()
    for name, spec in fields.items():
        inner = spec.type.of if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, Group):
            names |= _text_fields(inner.fields)
        elif isinstance(inner, Text):
            names.add(name)
    return names


# Fields whose values are words a reader reads (a title, a summary, a partner's contribution);
# the others hold slugs and choices ("topics: [self-harm]"), which tell of nothing.
TEXT_FIELDS = frozenset(name for kind in KINDS.values() for name in _text_fields(kind.fields))


def _words_of_page(item: Item) -> str:
    """The item's text with its front matter's non-text lines blanked (line numbers kept)."""
    lines = text_lines(item.text)
    starts = sorted((line, label.rsplit(".", 1)[-1].split("[")[0]) for label, line in item.lines.items())
    field = ""
    for number in range(1, min(item.body_line or len(lines) + 1, len(lines) + 1)):
        while starts and starts[0][0] <= number:
            field = starts.pop(0)[1]
        if field not in TEXT_FIELDS:
            lines[number - 1] = ""
    return "\n".join(lines)


def missing_warning(item: Item, topics: list[Item]) -> Finding | None:
    """A finding when the item's words tell of suicide, self-harm or an eating disorder
    (safe_messaging.told_subjects) and its page carries no such warning, with the value to add."""
    if item.kind in HELP_KINDS or not item.text:
        return None
    text = _words_of_page(item)
    told = told_subjects(text)
    if not told:
        return None
    shown = set(warning_terms(item, topics))
    missing = {subject: match for subject, match in told.items() if subject not in shown}
    if not missing:
        return None
    first = min(missing.values(), key=lambda m: m.start())
    number = text.count("\n", 0, first.start()) + 1
    labels = " and ".join(CONTENT_WARNINGS[s] for s in CONTENT_WARNINGS if s in missing)
    wanted = [t for t in CONTENT_WARNINGS if t in missing or t in (item.get("content_warnings") or [])]
    return Finding(number, "missing-warning", "content_warnings",
                   f"'{' '.join(first.group(0).split())}': these words are about {labels}, and the page carries no "
                   f"warning for {'it' if len(missing) == 1 else 'them'}", f"add content_warnings: [{', '.join(wanted)}] to the front matter, so readers "
                   "see the warning first and can skip to help")


def lint_content(root: Path, content, site: SiteMap, report: Report, memo: dict | None = None,
                 scanned: dict | None = None) -> list[tuple[Item, int, str, Item]]:
    """Review every item, visible or not: an editor wants the review before publishing. Runs
    after the site map is built (pipeline.load), which says what a link may point to. Returns
    the body links to items' pages (Linter.item_links)."""
    linter = Linter(root, content, site, report)
    for items in content.all.values():
        for item in items.values():
            linter.lint(item, memo, scanned)
    return linter.item_links


# Reading every text takes about a third of a check; from this many files on, a second
# process does it while the first parses the front matter.
PRESCAN_MIN_FILES = 2000


def prescan(root: Path, rels: list[str]) -> Callable[[], dict | None]:
    """Start scanning the files' texts in a forked process; the returned function waits for
    {path: ((length, hash) of the text, TextScan)}, or gives None when no second process was used.

    Only where it pays and is safe: many files, a second CPU, `fork` (Linux), and no threads
    (forking a threaded process is unsafe). `serve` never asks: it keeps each scan between
    rebuilds instead (pipeline.load). A file that changed between
    the two readings does not match its text's length and hash, and is scanned again by lint()."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if (len(rels) < PRESCAN_MIN_FILES or cpus < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return lambda: None
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_scan_files, args=(str(root), rels, sender), daemon=True)
    child.start()
    sender.close()

    def result() -> dict | None:
        try:
            # The parent parsed meanwhile, which takes longer; a stuck child only costs time.
            return receiver.recv() if receiver.poll(PRESCAN_TIMEOUT) else None
        except (EOFError, OSError):  # the child died: lint() scans each text itself
            return None
        finally:
            receiver.close()
            child.join(1)
            if child.is_alive():
                child.kill()
                child.join()

    return result


PRESCAN_TIMEOUT = 120  # seconds


def _scan_files(root: str, rels: list[str], sender) -> None:
    out = {}
    for rel in rels:
        try:
            text = normalise_newlines(read_regular_file(root, rel, CONTENT_FILE_LIMIT).decode("utf-8"))
        except (UnsafeFile, OSError, UnicodeDecodeError):
            continue  # the parser reports it
        body_line = split_front_matter(rel, text, Report())[3]
        if body_line:
            # hash() agrees between the two processes: a forked child keeps the parent's hash seed.
            out[rel] = ((len(text), hash(text)), scan_text(text, body_line))
    sender.send(out)
    sender.close()


# -- what a person must review ----------------------------------------------------------------

SENSITIVE_WARNINGS = ("suicide", "self-harm", "eating-disorders")
_SENSITIVE_WORDS = re.compile(
    r"\bsuicid\w*|\bself[- ]harm\w*|\bkill(?:ing|ed)?\s+(?:my|him|her|them)sel(?:f|ves)\b|\beating[- ]disorders?\b"
    r"|\banorexi\w*|\bbulimi\w*|\bbinge[- ]eating\b|\bpurg(?:e|ing)\b",
    re.IGNORECASE)


def sensitive_subjects(item: Item, content) -> list[str]:
    """Which of suicide, self-harm and eating disorders a file touches (warnings, topics or words)."""
    found: set[str] = {w for w in item.get("content_warnings", []) if w in SENSITIVE_WARNINGS}
    if item.kind == "topic" and item.get("content_warning") in SENSITIVE_WARNINGS:
        found.add(item.data["content_warning"])
    for slug in item.get("topics", []):
        topic = content.all["topic"].get(slug)
        if topic is not None and topic.get("content_warning") in SENSITIVE_WARNINGS:
            found.add(topic.data["content_warning"])
    for match in _SENSITIVE_WORDS.finditer(item.text):
        word = match.group(0).lower()
        found.add("suicide" if word.startswith("suicid") else
                  "self-harm" if word.startswith(("self", "kill")) else "eating-disorders")
    return [w for w in SENSITIVE_WARNINGS if w in found]


def review_notices(content, changed: set[str] | None) -> list[tuple[str, list[str]]]:
    """(path, subjects) for every changed file (all files when `changed` is None) touching a sensitive subject."""
    out = []
    for items in content.all.values():
        for item in items.values():
            if changed is not None and item.path not in changed:
                continue
            subjects = sensitive_subjects(item, content)
            if subjects:
                out.append((item.path, subjects))
    return sorted(out)
