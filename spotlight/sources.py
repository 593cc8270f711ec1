"""Find content files, split their front matter and keep a line number for every value."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

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


def _plain_yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str]:
    """Turn PyYAML's wording into plain words and a likely fix."""
    problem = (exc.problem or exc.context or "the YAML could not be read").strip()
    mark = exc.problem_mark or exc.context_mark
    line_text = ""
    if mark is not None:
        lines = text.splitlines()
        if 0 <= mark.line < len(lines):
            line_text = lines[mark.line]
    stripped = line_text.split(":", 1)[-1].strip() if ":" in line_text else line_text.strip()
    if "found character '\\t'" in problem or "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return "a tab is used for indentation", "indent with spaces, not tabs"
    if "cannot start any token" in problem and stripped[:1] in "@`":
        return f"a value cannot start with '{stripped[:1]}' unless it is quoted", f'put it in quotes: "{stripped}"'
    if "mapping values are not allowed" in problem:
        return "a value contains ': ' (colon and space), which YAML reads as a new field", 'put the whole value in double quotes'
    if "could not find expected ':'" in problem:
        return "a line is not written as 'field: value'", "check for a missing colon or a wrongly indented line"
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return problem, "quote values that start with * or {"
    if "while scanning a quoted scalar" in (exc.context or "") or "found unexpected end of stream" in problem:
        return "a quoted value is never closed", "add the closing quote"
    if "expected <block end>" in problem:
        return "the indentation is inconsistent", "line the fields up with the ones above"
    return f"the front matter is not valid YAML: {problem}", "check quoting and indentation on this line"


def _field_on_line(text: str, index: int) -> str:
    """The field a YAML problem is in: the key on that line, or the nearest one above it."""
    lines = text.splitlines()
    for i in range(min(index, len(lines) - 1), -1, -1):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[i])
        if match:
            return match.group(1)
    return FILE_FIELD


def split_front_matter(path: str, text: str, report: Report) -> tuple[str | None, int, str, int]:
    """Return (front matter text, its first line, body, body's first line), or None on error."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        report.error(path, 1, FILE_FIELD, "the file is empty", f"start it with a front matter block between '{BOUNDARY}' lines; `python build.py new` writes one")
        return None, 0, "", 0
    lines = text.splitlines(keepends=True)
    first = lines[0].rstrip("\r\n").rstrip()
    if first != BOUNDARY:
        report.error(path, 1, FILE_FIELD, "the file does not start with a front matter block",
                     f"put a line with '{BOUNDARY}' first, then the fields, then another '{BOUNDARY}' line")
        return None, 0, "", 0
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in (BOUNDARY, "..."):
            fm = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return fm, 2, body, index + 2
    report.error(path, 1, FILE_FIELD, "the front matter block is never closed",
                 f"add a line with '{BOUNDARY}' after the last field")
    return None, 0, "", 0


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
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(rel, line, "file", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                     "save the file with UTF-8 encoding")
        return None
    if not SLUG_RE.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-item"
        report.error(rel, 1, "slug", f"the file name '{name}' is not a valid slug",
                     f"use lowercase letters, digits and hyphens, e.g. '{suggestion}.md'")
    fm, fm_line, body, body_line = split_front_matter(rel, text, report)
    if fm is None:
        return None
    node = compose_fast(fm, fm_line)
    if node is None:  # no libyaml, an empty block, or a mistake: PyYAML's own parser words the problem
        try:
            node = yaml.compose(fm, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = fm_line + (mark.line if mark else 0)
            message, hint = _plain_yaml_problem(exc, fm)
            report.error(rel, line, _field_on_line(fm, mark.line if mark else 0), message, hint)
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks nearly everything
            report.error(rel, fm_line, FILE_FIELD, f"the front matter is not valid YAML: {exc}")
            return None
        if node is not None:
            shift_marks(node, fm_line - 1)
    if node is None:
        report.error(rel, fm_line, FILE_FIELD, "the front matter block is empty", "add the required fields; `python build.py new` shows them")
        return None
    if not isinstance(node, yaml.MappingNode):
        report.error(rel, fm_line, FILE_FIELD, "the front matter must be a list of 'field: value' lines")
        return None
    source = Source(kind, slug, rel, node, body, body_line, text)
    for key_node, _ in node.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        line = key_node.start_mark.line + 1
        if name in source.keys:
            report.error(rel, line, name, f"the field is given twice (first on line {source.keys[name]})",
                         "keep one of them")
        source.keys.setdefault(name, line)
    return source


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
else:  # pragma: no cover - PyYAML built without libyaml
    _C_LOADER = None


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


def _walk(root: Path, rel_dir: str, found: list[str], report: Report, reported: set[str]) -> None:
    # scandir and strings: at 10,000 files, pathlib's objects cost more than reading the files;
    # a DirEntry knows its type without another system call.
    try:
        with os.scandir(os.path.join(root, rel_dir)) as entries:
            listed = list(entries)
    except OSError as err:
        _report_once(report, reported, rel_dir, _os_problem(err, rel_dir, folder=True))
        return
    for entry in listed:
        if entry.name.startswith("."):
            continue
        rel = f"{rel_dir}/{entry.name}"
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(root, rel, found, report, reported)
            elif entry.is_file(follow_symlinks=False):
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
