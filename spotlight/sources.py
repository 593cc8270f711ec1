"""Find content files, split their front matter and keep a line number for every value."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import yaml

from .characters import FORBIDDEN, SEPARATORS, describe, first_forbidden
from .diagnostics import Report

# Where each kind lives, relative to the project root. Order is the order of the SPEC.
KIND_FOLDERS: dict[str, str] = {
    "creator": "creators",
    "topic": "content/topics",
    "organization": "content/organizations",
    "resource": "content/resources",
    "campaign": "content/campaigns",
    "event": "content/events",
    "update": "content/updates",
    "page": "content/pages",
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BOUNDARY = "---"
FILE_FIELD = "front matter"  # the `field` of problems that belong to no single field
# A content file is text an editor wrote: 1 MiB is some 150,000 words, far more than any page
# needs, and small enough that a mistaken or hostile file cannot slow a build or exhaust memory.
CONTENT_FILE_LIMIT = 1024 * 1024


# ---------------------------------------------------------------------------
# Reading only regular files inside the project
# ---------------------------------------------------------------------------

class UnsafeFile(Exception):
    """A path Spotlight refuses to read: `message` says why in plain words, `hint` the fix.
    `reason` is one of: symlink, folder, pipe, device, socket, unreadable, too-big, missing, outside."""

    def __init__(self, reason: str, message: str, hint: str):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.hint = hint


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a named pipe that slipped in between lstat and open returns at once
# instead of waiting for a writer; fstat then refuses it.
_FILE_FLAGS = _READ_FLAGS | getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = _READ_FLAGS | getattr(os, "O_DIRECTORY", 0)
_AT_SUPPORTED = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd


def _kind_problem(mode: int, path: str, rel: str, expect_folder: bool = False) -> UnsafeFile | None:
    """The problem with a file of this type (`mode` from lstat), or None when Spotlight may read it."""
    if stat.S_ISLNK(mode):
        return _link_problem(path, rel)
    if stat.S_ISDIR(mode) if expect_folder else stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return UnsafeFile("folder", "is a folder, not a file", "rename the folder so its name does not end in .md")
    remove = f"remove it from the repository: git rm {rel}"
    if stat.S_ISFIFO(mode):
        return UnsafeFile("pipe", "is a named pipe (FIFO), not a regular file", remove)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return UnsafeFile("device", "is a device file, not a regular file", remove)
    if stat.S_ISSOCK(mode):
        return UnsafeFile("socket", "is a socket, not a regular file", remove)
    if expect_folder:
        return UnsafeFile("folder", "is a file where a folder is expected", "move the file or fix the path")
    return UnsafeFile("other", "is not a regular file", remove)


def _link_problem(path: str, rel: str) -> UnsafeFile:
    """Links are refused whatever they point to: git carries them, and a link can reach any file
    on the build machine (its environment, its keys). The message says where it points."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    copy = "a copy of the file"
    if os.path.isdir(path):
        what, copy = f"a symbolic link to a folder ({target})", "a real folder"
    elif os.path.exists(path):
        what = f"a symbolic link (to {target})"
    else:
        what = f"a symbolic link to {target}, which does not exist"
    return UnsafeFile("symlink", f"is {what}; Spotlight reads only regular files inside the project",
                      f"replace the link with {copy}, or remove it: git rm {rel}")


def _size_problem(size: int, limit: int) -> UnsafeFile:
    return UnsafeFile("too-big", f"is {_size_text(size)}, over the limit of {_size_text(limit)}",
                      "make it smaller")


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB".replace(".0 MiB", " MiB")
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"


def _os_problem(err: OSError, rel: str, folder: bool = False) -> UnsafeFile:
    """The system's refusal in plain words; the subject of every message is the path itself."""
    what = "folder" if folder else "file"
    if isinstance(err, PermissionError):
        mode = "a+rx" if folder else "a+r"
        return UnsafeFile("unreadable", f"cannot be read: the {what} has no read permission",
                          f"make it readable: chmod {mode} {rel}")
    if isinstance(err, FileNotFoundError):
        return UnsafeFile("missing", "does not exist", "check the path")
    return UnsafeFile("unreadable", f"cannot be read ({err.strerror or err})", f"check {rel}")


def read_regular_file(root: str | Path, rel: str, limit: int) -> bytes:
    """The bytes of `rel` (a '/'-separated path relative to `root`), read only if every folder on
    the way is a real folder, the file is a regular file (no link, pipe, device or socket), and it
    is at most `limit` bytes; otherwise UnsafeFile. Its type and size are known before a byte is
    read (lstat), and checked again on the opened file (fstat), so a swap in between is caught."""
    parts = rel.split("/")
    if not rel or rel[0] == "/" or any(part in ("", ".", "..") for part in parts):
        raise UnsafeFile("outside", "is not a path inside the project", "use a path relative to the project folder")
    if not _AT_SUPPORTED:  # pragma: no cover - systems without openat: check the path, then open it
        return _read_by_path(os.path.join(root, *parts), rel, limit)
    try:
        folder = os.open(root, _DIR_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))  # the project may be reached by a link
    except OSError as err:
        raise _os_problem(err, ".", folder=True) from None
    try:
        # Each folder is opened relative to the one before, without following links: no link
        # anywhere on the path can lead outside the project.
        for depth, part in enumerate(parts[:-1]):
            here = "/".join(parts[: depth + 1])
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=folder)
            except OSError as err:
                problem = _path_problem(err, part, folder, here, root, folder=True)
                problem.message = f"is in {here}/, which {problem.message}"
                raise problem from None
            os.close(folder)
            folder = inner
        name = parts[-1]
        try:
            before = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError as err:
            raise _os_problem(err, rel) from None
        if not stat.S_ISREG(before.st_mode):
            raise _kind_problem(before.st_mode, os.path.join(root, *parts), rel) or UnsafeFile(
                "other", "is not a regular file", "remove it")
        if before.st_size > limit:
            raise _size_problem(before.st_size, limit)
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=folder)
        except OSError as err:
            raise _path_problem(err, name, folder, rel, root) from None
        try:
            return _read_opened(fd, before, rel, limit)
        finally:
            os.close(fd)
    finally:
        os.close(folder)


def _path_problem(err: OSError, name: str, dir_fd: int, rel: str, root, folder: bool = False) -> UnsafeFile:
    """Why opening one step of a path failed: a link or a file of the wrong type, or the OS's reason."""
    try:
        found = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return _os_problem(err, rel, folder)
    return _kind_problem(found.st_mode, os.path.join(root, rel), rel, folder) or _os_problem(err, rel, folder)


def _read_opened(fd: int, before: os.stat_result, rel: str, limit: int) -> bytes:
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(now.st_mode):
        raise UnsafeFile("changed", "was replaced while it was being read", "run the command again")
    if now.st_size > limit:
        raise _size_problem(now.st_size, limit)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    chunks, total = [], 0
    while True:  # read at most limit + 1 bytes: a file that grows after fstat is still caught
        wanted = min(limit + 1 - total, max(now.st_size + 1, 65536))
        chunk = os.read(fd, wanted)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _size_problem(total, limit)
        if len(chunk) < wanted:  # a regular file reads short only at its end
            return b"".join(chunks)


def _read_by_path(path: str, rel: str, limit: int) -> bytes:  # pragma: no cover - see read_regular_file
    try:
        before = os.lstat(path)
    except OSError as err:
        raise _os_problem(err, rel) from None
    problem = _kind_problem(before.st_mode, path, rel)
    if problem is not None:
        raise problem
    if before.st_size > limit:
        raise _size_problem(before.st_size, limit)
    try:
        fd = os.open(path, _FILE_FLAGS | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise _os_problem(err, rel) from None
    try:
        return _read_opened(fd, before, rel, limit)
    finally:
        os.close(fd)


@dataclass
class Source:
    """One content file, split but not yet interpreted."""

    kind: str
    slug: str
    path: str  # relative to the project root, with forward slashes
    mapping: yaml.MappingNode | None
    body: str
    body_line: int  # line number of the body's first line
    raw_text: str = ""
    keys: dict[str, int] = field(default_factory=dict)  # field name -> line


# ---------------------------------------------------------------------------
# Lines as editors see them, and characters no text may hold
# ---------------------------------------------------------------------------

def normalise_newlines(text: str) -> str:
    """CRLF (Windows) and a lone CR (old Macs) become LF, as every editor shows them, before any
    line is counted or the body goes to the review and the renderer. A leading BOM is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


MAX_CHARACTER_REPORTS = 10  # lines per file; a file full of NULs needs one fix, not a million lines


def check_characters(rel: str, text: str, body_line: int, report: Report) -> bool:
    """Report each line holding a character no text may hold, naming it and its column; line
    and paragraph separators only in front matter (before `body_line`). True if the front matter
    holds one, which YAML would refuse or count as a line break."""
    # Nearly every file is printable once its tabs and line breaks are set aside, which
    # str.isprintable decides faster than any regular expression can search.
    if text.replace("\n", "").replace("\t", "").isprintable() or not (FORBIDDEN.search(text) or SEPARATORS.search(text)):
        return False
    lines = text.split("\n")
    in_front, reported = False, 0
    for index, line in enumerate(lines):
        if line.isprintable():
            continue
        number = index + 1
        front = number < body_line or not body_line
        found = FORBIDDEN.search(line)
        separator = SEPARATORS.search(line) if front else None
        if separator and (not found or separator.start() < found.start()):
            found = separator
        if not found:
            continue
        in_front = in_front or front
        reported += 1
        if reported > MAX_CHARACTER_REPORTS:
            continue
        char = found.group(0)
        hint = "remove it: it is invisible in most editors"
        if separator is found:
            hint = "replace it with a space, or with a real line break"
        field = _field_on_line(lines, index) if front else "body"
        report.error(rel, number, field, f"{describe(char)} at column {found.start() + 1}", hint)
    if reported > MAX_CHARACTER_REPORTS:
        report.error(rel, 1, "file", f"{reported - MAX_CHARACTER_REPORTS} more lines hold such characters",
                     "remove them all, e.g. with your editor's search for control characters")
    return in_front


# ---------------------------------------------------------------------------
# YAML: only what editors need, and every mistake in plain words
# ---------------------------------------------------------------------------

MAX_DEPTH = 10  # levels of lists and groups; no field needs more than 3
MAX_KEY_LENGTH = 100  # characters in a field name; the longest real one has 16

_NOT_NEEDED = "editors never need YAML anchors, aliases or tags: write each value out in full"


def _may_use_yaml_features(fm: str) -> bool:
    """Anchors (&), aliases (*), tags (!), merge keys (<<) and directives (%) can only be written
    with these characters: a file without them needs no closer look. (`in` is ten times faster
    than one regular expression here.)"""
    return "&" in fm or "*" in fm or "!" in fm or "<<" in fm or fm.startswith("%") or "\n%" in fm


def refuse_yaml_features(rel: str, fm: str, fm_line: int, report: Report) -> bool:
    """Report every anchor, alias, tag, merge key and directive, found by YAML's own scanner
    before anything is composed (an alias "bomb" of a few hundred bytes expands to gigabytes).
    True if there was one. A mistake the scanner meets is left to the composer to word."""
    if not _may_use_yaml_features(fm):
        return False
    lines = fm.split("\n")
    loader = (_C_SCANNER or yaml.SafeLoader)(fm)
    found = False
    previous = None
    try:
        while True:
            token = loader.get_token()
            if token is None or isinstance(token, yaml.StreamEndToken):
                break
            problem = _feature_problem(token, previous, lines)
            previous = token
            if problem is not None:
                line = token.start_mark.line
                report.error(rel, fm_line + line, _field_on_line(lines, line), *problem)
                found = True
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found


def _feature_problem(token, previous, lines: list[str]) -> tuple[str, str] | None:
    if isinstance(token, yaml.AnchorToken):
        return (f"'&{token.value}' is a YAML anchor, which front matter does not allow",
                f"{_NOT_NEEDED}; if '&' is part of the text, put the value in double quotes")
    if isinstance(token, yaml.AliasToken):
        value = _value_text(lines, token.start_mark.line)
        return (f"'*{token.value}' is read by YAML as an alias (a reference to an anchor), which front matter "
                "does not allow", f'if it is text, put it in double quotes: "{value}"' if value.startswith("*")
                else _NOT_NEEDED)
    if isinstance(token, yaml.TagToken):
        handle, suffix = token.value
        return (f"'{handle or ''}{suffix}' is a YAML tag, which front matter does not allow",
                "remove it: every field already has its type; if '!' starts the text, put the value in double quotes")
    if isinstance(token, yaml.DirectiveToken):
        return (f"'%{token.name}' is a YAML directive, which front matter does not allow", "remove the line")
    if (isinstance(token, yaml.ScalarToken) and token.plain and token.value == "<<"
            and isinstance(previous, yaml.KeyToken)):
        return "'<<' is a YAML merge key, which front matter does not allow", _NOT_NEEDED
    return None


def too_deep(fm: str) -> int | None:
    """The 0-based line where the front matter's nesting passes MAX_DEPTH, or None. Its events
    are walked only when the text shows a sign of deep nesting: many brackets, a deep indent or
    compact nested lists. (A case missed costs nothing: no field accepts more than 3 levels, so
    models.py reports deeper values, and libyaml stops at 1,000 levels.)"""
    if (fm.count("[") + fm.count("{") < MAX_DEPTH and "\n        " not in fm and "- - " not in fm
            and "? " not in fm):
        return None
    loader = (_C_SCANNER or yaml.SafeLoader)(fm)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        # libyaml reads ahead and stops at 1,000 levels before handing over the 11th; the mark
        # is still inside the too-deep value. Any other mistake is for the composer to word.
        mark = getattr(exc, "problem_mark", None)
        return mark.line if mark is not None and "nesting depth" in str(exc) else None
    finally:
        loader.dispose()


def _too_deep_message(count: str = f"more than {MAX_DEPTH}") -> tuple[str, str]:
    return (f"values are nested {count} levels deep; front matter allows at most {MAX_DEPTH}",
            "no field needs more than 3 levels: check the indentation and the [ ] and { } brackets")


def _value_text(lines: list[str], index: int) -> str:
    """The value written on a line: what follows 'field:' (or the whole line)."""
    line = lines[index] if 0 <= index < len(lines) else ""
    match = re.match(r"^\s*(?:- +)?[A-Za-z_][\w-]*\s*:\s*(.*)$", line)
    return (match.group(1) if match else line.strip().removeprefix("- ")).strip()


# PyYAML's problems, most specific first: (words in PyYAML's message, plain message, fix).
# Each parser words some problems differently; both are listed. Context marks are used for
# problems that PyYAML only notices lines later (an unclosed quote is found at the end).
_YAML_PROBLEMS: list[tuple[tuple[str, ...], str, str]] = [
    (("block sequence entries are not allowed", "but found '-'"), "a '- ' list item is not allowed here",
     "put list items on their own lines under the field, indented the same"),
    (("found unknown escape character",), "a backslash starts an escape that YAML does not know",
     "inside double quotes write \\\\ for a backslash, or put the value in single quotes"),
    (("expected escape sequence", "invalid Unicode character escape"), "a \\x, \\u or \\U escape is not complete",
     "write it with all its hexadecimal digits, e.g. \\u00e9, or type the character itself"),
    (("found unexpected end of stream", "found unexpected document separator"),
     "a quoted value is never closed", "add the closing quote at the end of the value"),
    (("found unhashable key",), "a field name must be plain text", "write 'field: value'"),
    (("expected ',' or ']'", "did not find expected ',' or ']'"), "a list in [ ] is not closed, or misses a comma",
     "close it with ] on the same line and separate the items with commas"),
    (("expected ',' or '}'", "did not find expected ',' or '}'"), "a group in { } is not closed, or misses a comma",
     "close it with } on the same line and separate the fields with commas"),
    (("expected chomping or indentation", "did not find expected comment or line break"),
     "after | or > the text must start on the next line", "move the text to the next line, indented"),
    (("expected '<document start>'", "did not find expected <document start>", "expected a single document"),
     "a line starting with '---' or '%' starts a new YAML document",
     "the front matter ends at a line with exactly '---'; put other text in quotes"),
    (("found undefined tag handle", "found duplicate", "found incompatible YAML document"),
     "a value starts with a YAML tag or directive, which front matter does not allow",
     "if '!' or '%' is part of the text, put the value in double quotes"),
    (("expected <block end>", "did not find expected key"), "the indentation is inconsistent",
     "line the fields up with the ones above"),
    (("mapping keys are not allowed",), "a '?' cannot start a field name here", "put the value in double quotes"),
]


def _plain_yaml_problem(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str, str]:
    """PyYAML's problem as (0-based line, plain message, fix): its own wording (marks such as
    'position 65', node names) never reaches an editor."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark is not None else 0
    if exc.context_mark is not None and (context.startswith("while parsing a flow") or (
            context.startswith("while scanning a") and ("quoted" in context or "simple key" in context))):
        line = exc.context_mark.line  # where the quote or bracket was opened, or the line without its colon
    if "exceeded maximum nesting depth" in problem:
        return (line, *_too_deep_message())
    line_text = lines[line] if 0 <= line < len(lines) else ""
    stripped = _value_text(lines, line)
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    if "found character '\\t'" in problem or "\t" in indent:
        return line, "a tab is used for indentation", "indent with spaces, not tabs"
    key_length = len(line_text.split(":", 1)[0].strip()) if ":" in line_text else 0
    if key_length > 1024 and ("mapping values" in problem or "expected ':'" in problem):
        return (line, f"this field name is {key_length:,} characters long; YAML reads field names of at most "
                "1,024 characters", "field names are short words such as title: check for a missing line break")
    if "cannot start any token" in problem or "found character" in problem or "node content" in problem:
        char = re.search(r"found character '(.+?)'", problem)
        first = stripped[:1] or (char.group(1) if char else "")
        return line, f"a value cannot start with '{first}' unless it is quoted", f'put it in quotes: "{stripped}"'
    if "mapping values are not allowed" in problem:
        return (line, "a value contains ': ' (colon and space), which YAML reads as a new field",
                "put the whole value in double quotes")
    if "could not find expected ':'" in problem:
        return line, "a line is not written as 'field: value'", "check for a missing colon or a wrongly indented line"
    if "found undefined alias" in problem or ("alias" in context and "expected" in problem):
        return line, "a value cannot start with '*' unless it is quoted", f'put it in quotes: "{stripped}"'
    if "anchor" in context and "expected" in problem:
        return line, "a value cannot start with '&' unless it is quoted", f'put it in quotes: "{stripped}"'
    if "tag" in context and "expected" in problem:
        return line, "a value cannot start with '!' unless it is quoted", f'put it in quotes: "{stripped}"'
    for words, message, hint in _YAML_PROBLEMS:
        if any(w in problem or w in context for w in words):
            return line, message, hint
    return line, "YAML cannot read this line", "check the quoting and indentation; put values with : # [ ] { } in double quotes"


def _field_on_line(lines: list[str], index: int) -> str:
    """The field a problem is in: the key on that line, or the nearest one above it."""
    for i in range(min(index, len(lines) - 1), -1, -1):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[i])
        if match:
            name = match.group(1)
            return name if len(name) <= MAX_KEY_LENGTH else name[:20] + "..."
    return FILE_FIELD


_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_front_matter(path: str, text: str, report: Report) -> tuple[str | None, int, str, int]:
    """Return (front matter text, its first line, body, body's first line), or None on error.
    Lines end at '\\n' only: `text` has been through normalise_newlines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        report.error(path, 1, FILE_FIELD, "the file is empty", f"start it with a front matter block between '{BOUNDARY}' lines; `python build.py new` writes one")
        return None, 0, "", 0
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != BOUNDARY:
        if text.rstrip() == BOUNDARY:  # a lone '---': a block that is opened, never closed
            first_end = len(text)
        else:
            report.error(path, 1, FILE_FIELD, "the file does not start with a front matter block",
                         f"put a line with '{BOUNDARY}' first, then the fields, then another '{BOUNDARY}' line")
            return None, 0, "", 0
    closing = _CLOSING.search(text, first_end + 1)
    if closing is None:
        report.error(path, 1, FILE_FIELD, "the front matter block is never closed",
                     f"add a line with '{BOUNDARY}' after the last field")
        return None, 0, "", 0
    fm = text[first_end + 1:closing.start()]
    body_line = 3 + fm.count("\n")
    return fm, 2, text[closing.end() + 1:], body_line


def parse_source(root: Path, rel: str, kind: str, report: Report) -> Source | None:
    """Read one file (`rel`, a path relative to `root` with '/') into a Source, reporting any problem with its line."""
    name = rel.rsplit("/", 1)[-1]
    slug = name[:-3] if name.endswith(".md") else name
    try:
        data = read_regular_file(root, rel, CONTENT_FILE_LIMIT)
    except UnsafeFile as err:
        hint = err.hint
        if err.reason == "too-big":
            hint = "split it into several pages; images and other media belong in content/assets/"
        report.error(rel, 1, "file", err.message, hint)
        return None
    try:
        text = normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        report.error(rel, line, "file", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                     "save the file with UTF-8 encoding")
        return None
    if not SLUG_RE.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-item"
        report.error(rel, 1, "slug", f"the file name '{name}' is not a valid slug",
                     f"use lowercase letters, digits and hyphens, e.g. '{suggestion}.md'")
    fm, fm_line, body, body_line = split_front_matter(rel, text, report)
    if check_characters(rel, text, body_line, report) or fm is None:
        return None
    if refuse_yaml_features(rel, fm, fm_line, report):
        return None
    deep = too_deep(fm)
    if deep is not None:
        lines = fm.split("\n")
        report.error(rel, fm_line + deep, _field_on_line(lines, deep), *_too_deep_message())
        return None
    node = compose_fast(fm, fm_line)
    if node is None:  # no libyaml, an empty block, or a mistake: PyYAML's own parser finds the problem
        node = _compose_pure(rel, fm, fm_line, report)
        if node is False:
            return None
    if node is None:
        report.error(rel, fm_line, FILE_FIELD, "the front matter block is empty", "add the required fields; `python build.py new` shows them")
        return None
    if not isinstance(node, yaml.MappingNode):
        report.error(rel, fm_line, FILE_FIELD, "the front matter must be a list of 'field: value' lines")
        return None
    source = Source(kind, slug, rel, node, body, body_line, text)
    plain = True
    for key_node, _ in node.value:
        line = key_node.start_mark.line + 1
        problem = key_problem(key_node)
        if problem is not None:
            report.error(rel, line, problem[0], problem[1], problem[2])
            plain = False
            continue
        name = key_node.value
        if name in source.keys:
            report.error(rel, line, name, f"the field is given twice (first on line {source.keys[name]})",
                         "keep one of them")
        source.keys.setdefault(name, line)
    return source if plain else None


def key_problem(key_node: yaml.Node) -> tuple[str, str, str] | None:
    """(field, message, fix) if a field name is not short plain text. A list or group as a name
    is never turned into text: with aliases that text could be gigabytes, and its form
    (`[ScalarNode(...)]`) means nothing to an editor."""
    if key_node.__class__ is yaml.ScalarNode and len(key_node.value) <= MAX_KEY_LENGTH and key_node.value.isprintable():
        return None  # nearly every name: decided without a call
    if not isinstance(key_node, yaml.ScalarNode):
        kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a group of fields"
        return (FILE_FIELD, f"a field name must be plain text, not {kind}",
                "write 'field: value'; if the name really starts with [ or {, there is a typo")
    if len(key_node.value) > MAX_KEY_LENGTH:
        return (key_node.value[:20] + "...", f"this field name is {len(key_node.value):,} characters long; "
                f"field names have at most {MAX_KEY_LENGTH}", "field names are short words such as title: "
                "check for a missing line break or colon")
    index = first_forbidden(key_node.value, invisible=True)
    if index is not None:
        return (FILE_FIELD, f"a field name holds {describe(key_node.value[index])}",
                "retype the field name: it holds a character that does not show")
    return None


def _compose_pure(rel: str, fm: str, fm_line: int, report: Report):
    """PyYAML's pure-Python composer, which marks its problems best; False after reporting one."""
    lines = fm.split("\n")
    try:
        node = yaml.compose(fm, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, message, hint = _plain_yaml_problem(exc, lines)
        report.error(rel, fm_line + line, _field_on_line(lines, line), message, hint)
        return False
    except RecursionError:  # nesting past what the pure parser can follow (and too_deep missed)
        report.error(rel, fm_line, FILE_FIELD, *_too_deep_message())
        return False
    except yaml.YAMLError:  # pragma: no cover - a reader error: check_characters refused the file first
        report.error(rel, fm_line, FILE_FIELD, "YAML cannot read the front matter",
                     "check it for characters that do not show and retype them")
        return False
    if node is not None:
        shift_marks(node, fm_line - 1)
    return node


# libyaml composes the same node graph several times faster than PyYAML's pure-Python parser
# (most of `check`'s time at 10,000 files); PyYAML's parser stays the one that reports mistakes.
# No implicit tag resolution either: models.py reads every scalar as written (its type comes
# from the field table, never from YAML's guess), so the resolver's regexes would be wasted.
if hasattr(yaml, "CBaseLoader"):
    class _CLoader(yaml.CBaseLoader):  # libyaml's parser, BaseResolver, and no implicit tags at all
        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    _C_LOADER = _CLoader
    _C_SCANNER = yaml.CBaseLoader  # libyaml's scanner and parser, for the token and event checks
else:  # pragma: no cover - PyYAML built without libyaml
    _C_LOADER = None
    _C_SCANNER = None


def compose_fast(fm: str, fm_line: int) -> yaml.Node | None:
    """The front matter's node graph with file line numbers, via libyaml; None if that is not possible."""
    if _C_LOADER is None:
        return None
    try:
        # Blank lines in front put every mark on its line in the file: no shifting afterwards.
        node = yaml.compose("\n" * (fm_line - 1) + fm, Loader=_C_LOADER)
    except yaml.YAMLError:
        return None
    return node


def shift_marks(node: yaml.Node, offset: int) -> None:
    """Make node marks count lines from the top of the file rather than of the block."""
    stack = [node]
    seen_nodes: set[int] = set()
    seen_marks: set[int] = set()  # PyYAML may share one Mark between a node's start and end
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        for mark in (current.start_mark, current.end_mark):
            if mark is not None and id(mark) not in seen_marks:
                seen_marks.add(id(mark))
                mark.line += offset
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.extend((k, v))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def list_sources(root: Path, report: Report) -> list[tuple[str, str]]:
    """(kind, path relative to root) of every content file, in a stable order (that of sorted paths).

    Anything under the content folders that Spotlight would not read (a link, a pipe, a device,
    a folder it cannot open) is reported here, so nothing vanishes silently. Names starting with
    a dot are left alone: editors keep lock files and backups there (Emacs' `.#name.md` links)."""
    out: list[tuple[str, str]] = []
    reported: set[str] = set()
    for kind, folder in KIND_FOLDERS.items():
        if not _real_folder(root, folder, report, reported):
            continue
        found: list[str] = []
        _walk(root, folder, found, report, reported)
        out.extend((kind, rel) for rel in sorted(found, key=lambda r: r.split("/")))
    return out


def _real_folder(root: Path, folder: str, report: Report, reported: set[str]) -> bool:
    """Whether each step of `folder` (e.g. content, content/topics) exists and is a real folder."""
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        rel = "/".join(parts[:depth])
        path = os.path.join(root, rel)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return False
        except OSError as err:
            _report_once(report, reported, rel, _os_problem(err, rel, folder=True))
            return False
        problem = _kind_problem(mode, path, rel, expect_folder=True)
        if problem is not None:
            _report_once(report, reported, rel, problem)
            return False
    return True


def walk_files(root: Path, rel_dir: str,
               on_error: Callable[[str, OSError, bool], None]) -> Iterator[tuple[str, os.DirEntry]]:
    """(path relative to root, DirEntry) of everything under `rel_dir` that is not a folder, in
    name order, without following links into folders; names starting with a dot are skipped.
    A folder that cannot be listed, or an entry whose type cannot be read, goes to
    `on_error(rel, err, is_folder)`. The content files (here) and the assets (assets.py) walk with it."""
    # scandir and strings: at 10,000 files, pathlib's objects cost more than reading the files;
    # a DirEntry knows its type without another system call.
    try:
        with os.scandir(os.path.join(root, rel_dir)) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except OSError as err:
        on_error(rel_dir, err, True)
        return
    for entry in listed:
        if entry.name.startswith("."):
            continue
        rel = f"{rel_dir}/{entry.name}"
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError as err:
            on_error(rel, err, False)
            continue
        if is_folder:
            yield from walk_files(root, rel, on_error)
        else:
            yield rel, entry


def _walk(root: Path, rel_dir: str, found: list[str], report: Report, reported: set[str]) -> None:
    def on_error(rel: str, err: OSError, is_folder: bool) -> None:
        _report_once(report, reported, rel, _os_problem(err, rel, folder=is_folder))

    for rel, entry in walk_files(root, rel_dir, on_error):
        try:
            if entry.is_file(follow_symlinks=False):
                if entry.name.endswith(".md"):
                    found.append(rel)
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
                _report_once(report, reported, rel, _kind_problem(mode, entry.path, rel))
        except OSError as err:
            _report_once(report, reported, rel, _os_problem(err, rel))


def _report_once(report: Report, reported: set[str], rel: str, problem: UnsafeFile | None) -> None:
    if problem is not None and rel not in reported:
        reported.add(rel)
        report.error(rel, 1, "file", problem.message, problem.hint)
