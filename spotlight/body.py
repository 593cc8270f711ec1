"""An editor's Markdown body, turned into safe HTML once: one Markdown renderer, then the sanitiser.

The review (lint.py) looks at the HTML `markdown_to_html` makes before it is sanitised, so it
sees exactly what the build would publish (attribute lists, reference-style links, multi-line
tags); the pages receive `render_body`'s sanitised fragment, which the page templates place
as it is (nothing parses a page again after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from .sanitize import clean_fragment

# The extensions an editor's body may use: the same set for the review and for the pages.
# md_in_html lets a body wrap Markdown in a <div>; attr_list gives headings and links classes
# and ids ({: .note }), which is also why the review must look at the rendered HTML.
MARKDOWN_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition"]
MARKDOWN_CONFIG = {"toc": {"permalink": False}}
# Raw HTML whose content is never Markdown, open or not.
_RAW_CONTENT = {"pre", "script", "style", "textarea"}
_FENCE = re.compile(r"^(`{3,}|~{3,})")


class _OpenTags(HTMLParser):
    """The block-level start tags still open at the end of one paragraph of raw HTML."""

    def __init__(self, block_tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.block_tags = block_tags
        self.open: list[tuple[str, int, int]] = []  # tag, line (from 1), column

    def handle_starttag(self, tag, attrs):
        if tag in self.block_tags:
            self.open.append((tag, *self.getpos()))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return


class _OpenBlocksAreMarkdown(Preprocessor):
    """A block tag left open at the end of its paragraph holds Markdown, as on GitHub (CommonMark).

    Python-Markdown keeps everything from a block-level start tag to its end tag as raw HTML:
    an editor's `<div>` that is never closed turned the rest of the body into raw text
    (`**anxiety**` printed with its asterisks). Such a tag gets md_in_html's `markdown="1"`,
    so the paragraphs after it are Markdown; the sanitiser closes it at the end of the body.
    A tag opened and closed within one paragraph stays raw HTML, as in CommonMark.
    """

    def run(self, lines: list[str]) -> list[str]:
        block_tags = set(self.md.block_level_elements) - _RAW_CONTENT
        out: list[str] = []
        paragraph: list[str] = []
        fence = ""

        def flush() -> None:
            if paragraph and paragraph[0].startswith("<"):
                parser = _OpenTags(block_tags)
                parser.feed("\n".join(paragraph))
                parser.close()
                for tag, line, column in parser.open:
                    text = paragraph[line - 1]
                    start = re.compile(rf"<{tag}\b(?![^>]*\bmarkdown\s*=)", re.IGNORECASE).match(text, column)
                    if start:
                        paragraph[line - 1] = f'{text[:start.end()]} markdown="1"{text[start.end():]}'
            out.extend(paragraph)
            paragraph.clear()

        for line in lines:
            if fence:
                out.append(line)
                if line.startswith(fence):
                    fence = ""
            elif opening := _FENCE.match(line):
                flush()
                fence = opening.group(1)
                out.append(line)
            elif not line.strip():
                flush()
                out.append(line)
            else:
                paragraph.append(line)
        flush()
        return out


class _OpenBlocks(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before fenced code (25) and raw HTML (20), which stash blocks; fences are skipped here too.
        md.preprocessors.register(_OpenBlocksAreMarkdown(md), "spotlight_open_blocks", 27)


_RENDERER: list[markdown.Markdown] = []  # one per process: making one costs a fifth of a body


def markdown_to_html(text: str) -> str:
    """The body's HTML exactly as Markdown makes it: not yet sanitised, never published as is."""
    if not _RENDERER:
        _RENDERER.append(markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _OpenBlocks()],
                                           extension_configs=MARKDOWN_CONFIG))
    md = _RENDERER[0]
    try:
        return md.convert(text)
    except BaseException:
        # A conversion that failed part-way (a RecursionError on deep nesting) leaves state that
        # reset() does not clear (the inline processor's), and later bodies lose their links.
        _RENDERER.clear()
        raise
    finally:
        md.reset()  # its state (toc ids, reference links, raw HTML) must not leak into the next body


@dataclass(frozen=True)
class Heading:
    """A heading of a body that has an id: the page's table of contents lists it."""

    level: int
    id: str
    title: str  # plain text


@dataclass(frozen=True)
class Body:
    html: Markup  # sanitised, balanced, with ids no template uses: safe to place in a template
    headings: tuple[Heading, ...]


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" and self._open is None:
            ident = dict(attrs).get("id")
            if ident:
                self._open, self._text = (int(tag[1]), ident), []

    def handle_endtag(self, tag):
        if self._open is not None and tag == f"h{self._open[0]}":
            self.found.append(Heading(self._open[0], self._open[1], " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)


def render_body(text: str, src_uri: str, file_path: str = "") -> Body:
    """The editor's Markdown for the page named `src_uri` (from the file `file_path`) as safe
    HTML: rendered once, sanitised once, on its own.

    Sanitising the fragment on its own re-serialises a parsed tree, so its tags are balanced:
    an unclosed `<div>` ends with the body instead of swallowing the template after it.
    """
    html = clean_fragment(markdown_to_html(text), src_uri, file_path)
    headings = _Headings()
    headings.feed(html)
    headings.close()
    return Body(Markup(html), tuple(headings.found))
