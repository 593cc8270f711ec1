"""Find content files, split their front matter and keep a line number for every value."""

from __future__ import annotations

import os
import re
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
    with open(os.path.join(root, rel), "rb") as handle:
        data = handle.read()
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


def list_sources(root: Path) -> list[tuple[str, str]]:
    """(kind, path relative to root) of every content file, in a stable order (that of sorted paths)."""
    out: list[tuple[str, str]] = []
    for kind, folder in KIND_FOLDERS.items():
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        found: list[str] = []
        # os.walk and strings: at 10,000 files, pathlib's objects cost more than reading the files.
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            prefix = os.path.relpath(dirpath, root).replace(os.sep, "/")
            found.extend(f"{prefix}/{name}" for name in filenames if name.endswith(".md") and not name.startswith("."))
        out.extend((kind, rel) for rel in sorted(found, key=lambda r: r.split("/")))
    return out

