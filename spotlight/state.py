"""The build state: what each output read (and what it came out as), so a build redoes only what changed.

One record per output, as Lektor's build state keeps one (builder.py, ctx.record_dependency):
- each generated page: the digest of what its render was given (items by the digest of what
  was parsed from their files, as of the build's moment, lists, values), the items it looked
  up in the content (and what it found), and the finished Page;
- each page the engine wrote: the digest of the Page it wrapped and of the file it wrote;
- what every output shares: Spotlight's code and templates, the settings, package versions,
  and the engine's own (theme, mkdocs.yml, every page's data).

`serve` keeps a BuildState in memory between rebuilds; `build` keeps it in `.spotlight-cache/`
(Cache below) with a copy of each page it wrote, unless asked for --no-cache. A cache is only
ever a suggestion: a wrong format, other package versions or code, a checksum that does not
match the bytes, a page file that is not the one recorded: each is ignored and built again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import platform
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from .body import Heading
from .models import Item

FORMAT = 1  # the cache file's layout; a change of it makes every older cache stale
CACHE_DIR = ".spotlight-cache"
PACKAGES = ("spotlight", "mkdocs", "properdocs", "mkdocs-material", "markdown", "jinja2", "markupsafe", "nh3",
            "pyyaml")
CODE = Path(__file__).parent  # Spotlight's modules and page templates: a page depends on all of them


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def folder_digest(folder: Path, pattern: str = "*") -> str:
    """Every file under `folder` by name and content: changes when one is edited, added or removed."""
    if not folder.is_dir():
        return ""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(f"{path.relative_to(folder).as_posix()}\0{file_digest(path)}\n".encode())
    return h.hexdigest()


@functools.cache
def versions() -> dict[str, str]:
    """The packages whose code makes the outputs, and Spotlight's own code (a checkout's version
    number does not change while its code does). Read once per process: code is loaded once too;
    the page templates, which `serve` reloads, are in each build's shared digest (render.py)."""
    found = {"python": platform.python_version(), "code": folder_digest(CODE, "*.py")}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


class Unrecordable(Exception):
    """A value whose content cannot be told from its text: the page is rendered anew every time."""


class Fingerprints:
    """Digests of what a render was given. An item's is the digest of everything parsed from its
    file (its data, body, status as of the moment), kept per Item object: in `serve` an unchanged
    file gives the same object (validate.parse_cached), so it is computed once."""

    def __init__(self) -> None:
        self._items: dict[int, tuple[Item, str]] = {}

    def item(self, item: Item | None) -> str:
        if item is None:
            return ""
        hit = self._items.get(id(item))
        if hit is not None and hit[0] is item:
            return hit[1]
        h = hashlib.sha256(f"{item.kind}\0{item.slug}\0{item.path}\0{item.status}\0".encode())
        _feed(h, item.data, self)
        h.update(f"\0{item.body_line}\0{item.body}".encode())
        found = h.hexdigest()
        self._items[id(item)] = (item, found)
        return found

    def of(self, value: Any) -> str:
        h = hashlib.sha256()
        _feed(h, value, self)
        return h.hexdigest()

    def forget_others(self, keep: Callable[[Item], bool]) -> None:
        self._items = {k: v for k, v in self._items.items() if keep(v[0])}


def _feed(h, value: Any, prints: Fingerprints) -> None:
    """Feed a value's content to the hash, with its type, so that [1] and "1" differ."""
    if isinstance(value, Item):
        h.update(b"I" + prints.item(value).encode())
    elif value is None or isinstance(value, (bool, int, float, str, date, datetime)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            _feed(h, v, prints)
        h.update(b"]")
    elif isinstance(value, dict):
        h.update(b"{")
        for k, v in value.items():
            _feed(h, k, prints)
            _feed(h, v, prints)
        h.update(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(type(value).__qualname__.encode() + b"(")
        for f in dataclasses.fields(value):
            _feed(h, getattr(value, f.name), prints)
        h.update(b")")
    else:
        text = repr(value)
        if " at 0x" in text:  # an object's identity, not its content
            raise Unrecordable(type(value).__name__)
        h.update(f"{type(value).__qualname__}:{text};".encode())


@dataclass
class Rendered:
    """A page as last rendered and what it read."""

    inputs: str  # digest of the render's arguments
    lookups: dict[tuple[str, str], str]  # (kind, slug) looked up -> digest of the item found ("" none)
    page: Any  # render.Page
    # `serve`: the arguments themselves (not kept on disk). The same objects again, as an
    # unchanged file gives (validate.parse_cached), compare equal at once, without digests.
    arguments: tuple | None = field(default=None, compare=False)


@dataclass
class Written:
    """A page as the engine last wrote it."""

    page: str  # digest of the Page it wrapped
    dest: str  # the file, relative to the output folder
    output: str  # digest of the file's bytes


@dataclass
class BuildState:
    """What each output of the last build read and became (see the module's docstring)."""

    shared: str = ""  # what every page's render read: code, templates, settings, versions
    rendered: dict[str, Rendered] = field(default_factory=dict)
    engine: str = ""  # what every page the engine wrote shares: its name, theme, config, page data
    written: dict[str, Written] = field(default_factory=dict)
    # Not kept on disk:
    # `serve`: what the load stage read of each source file (pipeline.load's cache: the parsed
    # Item by the file's inode, times and size, validate.parse_cached; the review's reading of
    # it, lint.Linter.lint; the images). An unchanged file gives the same Item object again.
    read: dict = field(default_factory=dict, repr=False, compare=False)
    prints: Fingerprints = field(default_factory=Fingerprints, repr=False, compare=False)
    outputs: Path | None = field(default=None, compare=False)  # the files `written` describes
    notes: list[str] = field(default_factory=list, compare=False)  # for the person: reuse refused

    def to_json(self) -> dict:
        return {
            "shared": self.shared,
            "rendered": {src: {"inputs": r.inputs, "lookups": [[k, s, d] for (k, s), d in r.lookups.items()],
                               "page": _page_json(r.page)} for src, r in self.rendered.items()},
            "engine": self.engine,
            "written": {src: [w.page, w.dest, w.output] for src, w in self.written.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> BuildState:
        return cls(
            shared=data["shared"],
            rendered={src: Rendered(r["inputs"], {(k, s): d for k, s, d in r["lookups"]}, _page(r["page"]))
                      for src, r in data["rendered"].items()},
            engine=data["engine"],
            written={src: Written(*w) for src, w in data["written"].items()},
        )


def _page_json(page) -> dict:
    # Not dataclasses.asdict: it deep-copies every value, a third of a warm build's time at 1,000 pages.
    data = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
    data["headings"] = [{"level": h.level, "id": h.id, "title": h.title} for h in page.headings]
    return data


def _page(data: dict):
    from .render import Page  # noqa: PLC0415 - render.py uses this module

    fields = dict(data)
    fields["headings"] = tuple(Heading(**h) for h in fields["headings"])
    fields["warnings"] = tuple(fields["warnings"])
    return Page(**fields)


class Cache:
    """`build`'s persistent build state: `.spotlight-cache/` in the project (git ignores it).

    state.json is one line of header (format, versions, checksum of the rest) and the state;
    pages/ holds each page file the last build wrote, named by the digest of its bytes (hard
    links to the published site's files where the file system allows, copies otherwise), so
    an unchanged page costs no new file and no folder is made or removed per page. The state
    is replaced by a rename, only after the site it describes was published, and only then
    are the files no state names any more removed.
    """

    def __init__(self, root: Path, tell: Callable[[str], None]):
        self.folder = root / CACHE_DIR
        self.tell = tell

    @property
    def pages(self) -> Path:
        return self.folder / "pages"

    def load(self) -> BuildState:
        """The last build's state, or an empty one (with a note saying why) if it cannot be trusted."""
        path = self.folder / "state.json"
        if not path.is_file():
            return BuildState()
        reason = None
        try:
            raw = path.read_bytes()
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                found = header.get("format") if isinstance(header, dict) else "?"
                reason = f"it was written in another format ({found})"
            elif header.get("checksum") != digest(body):
                reason = "its checksum does not match (truncated or damaged)"
            elif header.get("versions") != versions():
                changed = sorted(k for k, v in versions().items() if header["versions"].get(k) != v)
                reason = f"it was made by other versions ({', '.join(changed)})"
            else:
                state = BuildState.from_json(json.loads(body))
                state.outputs = self.pages
                return state
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            reason = f"it cannot be read ({type(err).__name__})"
        self.tell(f"cache: ignoring {CACHE_DIR}/ ({reason}); building everything")
        return BuildState()

    def save(self, state: BuildState, out: Path) -> None:
        """Keep the state and the pages it describes, as published at `out`. A failure only costs
        the next build its reuse: the site is published already."""
        temporary = self.folder / f"state-{secrets.token_hex(4)}.json"
        try:
            self.pages.mkdir(parents=True, exist_ok=True)
            # Ignored by git even where the project's .gitignore does not say so.
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            kept = {written.output for written in state.written.values()}
            have = set(os.listdir(self.pages))
            linked = True
            for written in state.written.values():
                if written.output in have:
                    continue
                have.add(written.output)
                target = self.pages / written.output
                if linked:
                    try:
                        os.link(out / written.dest, target)
                        continue
                    except OSError:
                        linked = False  # another file system: copies from now on
                shutil.copyfile(out / written.dest, target)
            body = json.dumps(state.to_json(), separators=(",", ":"), ensure_ascii=False).encode()
            header = json.dumps({"format": FORMAT, "versions": versions(), "checksum": digest(body)}).encode()
            temporary.write_bytes(header + b"\n" + body)
            os.replace(temporary, self.folder / "state.json")
            for name in have - kept:
                os.unlink(self.pages / name)
        except OSError as err:
            self.tell(f"cache: could not save {CACHE_DIR}/ ({err.strerror or err}); "
                      "the next build starts from nothing")
            with contextlib.suppress(OSError):
                temporary.unlink()

    def clean_leftovers(self, older_than: float = 3600) -> None:
        """What killed builds left: half-written states (an hour old: a build into another output
        folder may be saving its cache right now)."""
        if self.folder.is_dir():
            for path in self.folder.glob("state-*.json"):
                with contextlib.suppress(OSError):
                    if time.time() - path.stat().st_mtime > older_than:
                        path.unlink()
