"""The shape a body must keep before Markdown reads it: one linear pass, shared by check and build.

Python-Markdown is quadratic or recursive on some shapes of text (issue 14): each '[' that is
never closed makes its link reader scan to the end of the paragraph (4,000 of them took 2.7 s,
more hung for minutes); each '<' that starts a tag never closed by '>' makes its HTML reader
scan to the end of the body; lists, quotes and HTML blocks nested a few hundred deep exhaust
Python's stack. Real text comes nowhere near these shapes, so a body that does is refused with
the line and the fix, before any Markdown runs (lint.scan_text, which check and build both run).
The limits are documented in docs/security.md and docs/editor-guide.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each limit is far above real text (the sample and the bench corpus stay far below) and far
# below where the renderer slows down or recurses (lists: about 250 levels; brackets: a second
# from about 1,500 unclosed '[' in one paragraph; 50 paragraphs of 20,000 characters each inside
# 10 brackets took 3.6 s, inside 4 about 1 s). The shapes are tested in tests/test_hostile_bodies.py.
MAX_PARAGRAPH = 20_000  # characters in one paragraph: lines without a blank line between them
MAX_NESTING = 20  # levels of lists, quotes, notes and HTML blocks inside one another
MAX_BRACKET_NESTING = 4  # '[' inside '[' in one paragraph
MAX_UNCLOSED = 20  # '[' or a link's '](' not closed in its paragraph, in the whole body
MAX_UNCLOSED_TAGS = 3  # '<' starting a tag or comment that nothing after it closes, in the body
MAX_EMPHASIS = 50  # '*' and '_' opened and not yet closed in one paragraph
MAX_BACKTICKS = 16  # backticks in one run (code spans need three at most)

# Tags that hold blocks (Python-Markdown's list, less empty ones like <hr> and those whose end
# tag HTML lets an editor leave out, like <p> and <li>, which never nest).
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|canvas|center|details|dialog|dir|div|dl|"
    "figcaption|figure|footer|form|frameset|h[1-6]|header|hgroup|html|iframe|legend|"
    "main|map|menu|nav|noscript|object|ol|section|summary|table|ul|video")
_BLOCK_TAG = re.compile(rf"<(/?)(?:{_BLOCK_TAGS})(?![a-zA-Z0-9-])(?:[^<>]*?(/)?>)?", re.IGNORECASE)
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# Where a tag, comment or declaration starts, and what ends it.
_TAG_START = re.compile(r"<(?:(!--)|(!\[)|(\?)|[!/]?[a-zA-Z])")
_LIST_NUMBER = re.compile(r"\d{1,9}[.)](?=[ \t]|$)")
_INLINE = re.compile(r"\\.|[\[\]()]|\*+|_+|`+", re.DOTALL)
_SPACE = " \t\n"
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_TOO_SLOW = "Markdown would take too long to read the body"
# A line opens at most one container per character of its start (markers, '>', digits, and
# indentation: a tab is at most one level of four columns), plus one for a note's '!!!'; so only
# a line starting with this many such characters can be nested too deep without an HTML tag.
_DEEP_START = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING}}}", re.MULTILINE)


@dataclass(frozen=True)
class Problem:
    line: int  # from 0, the body's first line
    message: str
    hint: str


def body_problems(body: str) -> list[Problem]:
    """What in `body` (the text after the front matter, lines ending in "\n") is beyond the limits:
    at most one problem per limit, at the line where the body first goes beyond it."""
    problems: dict[str, Problem] = {}
    if _within_limits(body):
        return []

    def found(limit: str, line: int, message: str, hint: str) -> None:
        problems.setdefault(limit, Problem(line, message, hint))

    lines = body.split("\n")
    fenced = _fenced_lines(lines)
    lines = ["" if number in fenced else line for number, line in enumerate(lines)]
    _unclosed_tags("\n".join(lines), found)
    html_depth = 0
    unclosed = 0
    # Without a line start deep enough (_DEEP_START), only open HTML blocks can add up to a
    # nesting beyond the limit: lines outside any then need no count of their own.
    deep_starts = _DEEP_START.search(body) is not None
    paragraph: list[str] = []
    first = 0
    for number, line in enumerate([*lines, ""]):
        if line.strip():
            if not paragraph:
                first = number
            paragraph.append(line)
            deepest = html_depth  # the most block tags open at once on this line
            for tag in _BLOCK_TAG.finditer(line) if "<" in line else ():
                if tag.group(1):
                    html_depth = max(0, html_depth - 1)
                elif not tag.group(2) and tag.group(0).endswith(">"):
                    html_depth += 1
                    deepest = max(deepest, html_depth)
            if not (deepest or deep_starts):
                continue
            depth = _line_nesting(line) + deepest
            if depth > MAX_NESTING:
                found("nesting", number, f"lists, quotes or HTML blocks are nested {depth} levels "
                      f"deep here (at most {MAX_NESTING})", "flatten it: a page needs a few levels at most")
            continue
        if paragraph:
            unclosed = _paragraph(paragraph, first, unclosed, found)
            paragraph = []
    return sorted(problems.values(), key=lambda p: p.line)


def _within_limits(body: str) -> bool:
    """Whether `body` is plainly within every limit, as nearly every real body is: no '<', no
    '[' or '](', no long backtick run, few '*' and '_', no deep line start, and shorter than one
    paragraph may be. Decided by substring tests in C rather than a Python loop over its lines."""
    return (len(body) <= MAX_PARAGRAPH and "<" not in body and not _inline_possible(body)
            and not _DEEP_START.search(body))


def _inline_possible(text: str) -> bool:
    """Whether `text` could go beyond a bracket, backtick or emphasis limit: it needs a '[' or a
    link's '](' , a backtick run longer than allowed, or more '*' and '_' than may be open."""
    return ("[" in text or "](" in text or "`" * (MAX_BACKTICKS + 1) in text
            or text.count("*") + text.count("_") > MAX_EMPHASIS)


def _fenced_lines(lines: list[str]) -> set[int]:
    """The lines of fenced code blocks that are closed (Python-Markdown reads an unclosed fence as
    text): code is never read as Markdown, so it may be as long and as odd as it likes."""
    fenced: set[int] = set()
    opening: tuple[int, str] | None = None
    for number, line in enumerate(lines):
        if opening is None:
            match = _FENCE.match(line)
            if match:
                opening = (number, match.group(1))
        elif line.startswith(opening[1]) and not line[len(opening[1]):].strip():
            fenced.update(range(opening[0], number + 1))
            opening = None
    return fenced


def _line_nesting(line: str) -> int:
    """How many containers a line opens or continues: quotes ('>'), list markers and notes ('!!!')
    at its start, and its indentation (a level per four columns, a tab reaching the next multiple
    of four, as Python-Markdown counts) when a marker follows it."""
    levels = columns = 0
    i = 0
    while i < len(line):
        c = line[i]
        if c in " \t":
            if not levels:  # the indentation before the first marker; after it, one space or a few
                columns += 1 if c == " " else 4 - columns % 4
        elif c == ">":
            levels += 1
        elif c in "-+*" and (i + 1 == len(line) or line[i + 1] in " \t"):
            levels += 1
        elif c.isdigit() and (number := _LIST_NUMBER.match(line, i)):
            levels += 1
            i = number.end()
            continue
        else:
            if line.startswith(("!!!", "???"), i):
                levels += 1
            break
        i += 1
    return levels + columns // 4 if levels else 0


def _unclosed_tags(body: str, found) -> None:
    """'<' that starts a tag, comment or declaration with nothing after it to close it: the HTML
    reader scans the rest of the body for each one."""
    ends = {"comment": body.rfind("-->"), "cdata": body.rfind("]]>"), "pi": body.rfind("?>"), "tag": body.rfind(">")}
    count = 0
    for match in _TAG_START.finditer(body):
        kind = "comment" if match.group(1) else "cdata" if match.group(2) else "pi" if match.group(3) else "tag"
        if ends[kind] < match.end():
            count += 1
            if count > MAX_UNCLOSED_TAGS:
                closer = {"comment": "-->", "cdata": "]]>", "pi": "?>", "tag": ">"}[kind]
                line = body.count("\n", 0, match.start())
                found("tags", line, f"'{match.group(0)}' starts a tag that is never closed with '{closer}', "
                      f"and so do {count - 1} before it (at most {MAX_UNCLOSED_TAGS}): {_TOO_SLOW}",
                      "close each tag, or write '&lt;' for a '<' that is only text")
                return


def _paragraph(lines: list[str], first: int, unclosed: int, found) -> int:
    """Check one paragraph (lines without a blank line between them); gives the body's count of
    unclosed brackets so far."""
    text = "\n".join(lines)

    def line_of(position: int) -> int:
        return first + text.count("\n", 0, position)

    if len(text) > MAX_PARAGRAPH:
        found("paragraph", first, f"this paragraph is {len(text):,} characters long (at most {MAX_PARAGRAPH:,})",
              "split it with blank lines")
        return unclosed
    if not _inline_possible(text):  # most paragraphs: nothing the loop below could count
        return unclosed
    brackets: list[int] = []  # where each open '[' is
    parens: list[tuple[int, bool]] = []  # each open '(', and whether it opens a link's address
    emphasis = 0
    for match in _INLINE.finditer(text):
        token, start = match.group(0), match.start()
        c = token[0]
        if c == "\\":
            continue
        if c == "[":
            brackets.append(start)
            if len(brackets) > MAX_BRACKET_NESTING:
                found("brackets", line_of(start), f"'[' is nested {len(brackets)} deep here (at most "
                      f"{MAX_BRACKET_NESTING}): {_TOO_SLOW}", "close the brackets, or write '\\[' for a '[' that is only text")
        elif c == "]":
            if brackets:
                brackets.pop()
        elif c == "(":
            parens.append((start, start > 0 and text[start - 1] == "]"))
        elif c == ")":
            if parens:
                parens.pop()
        elif c == "`":
            if len(token) > MAX_BACKTICKS:
                found("backticks", line_of(start), f"a run of {len(token)} backticks (at most {MAX_BACKTICKS})",
                      "use three at most, or put the code in a fenced block")
        else:
            emphasis = _emphasis(text, match, emphasis)
            if emphasis > MAX_EMPHASIS:
                found("emphasis", line_of(start), f"{emphasis} '*' or '_' are open here, each inside the one "
                      f"before (at most {MAX_EMPHASIS})", "close the emphasis, or write '\\*' for a '*' that is only text")
    for start in [*brackets, *(start for start, link in parens if link)]:
        unclosed += 1
        if unclosed > MAX_UNCLOSED:
            what = "'['" if text[start] == "[" else "the link address '(' after ']'"
            closer = "']'" if text[start] == "[" else "')'"
            found("unclosed", line_of(start), f"{what} is never closed by {closer} in its paragraph, and the body has "
                  f"{unclosed - 1} more like it (at most {MAX_UNCLOSED}): {_TOO_SLOW}",
                  f"close each one with {closer}, or write '\\[' and '\\(' for brackets that are only text")
            break
    return unclosed


def _emphasis(text: str, match: re.Match, open_count: int) -> int:
    """The count of open emphasis characters after one run of '*' or '_' (CommonMark's flanking rules,
    simplified: a run that can both open and close, like 'snake_case', changes nothing)."""
    start, end = match.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = after not in _SPACE and (before in _SPACE or before in _PUNCTUATION)
    closes = before not in _SPACE and (after in _SPACE or after in _PUNCTUATION)
    if opens and not closes:
        return open_count + (end - start)
    if closes and not opens:
        return max(0, open_count - (end - start))
    return open_count
