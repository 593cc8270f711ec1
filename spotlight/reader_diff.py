"""What a change does for readers: `python build.py diff --base REF`, as Markdown for a pull request.

The hub at the git ref REF is taken from git into a temporary folder (`git archive`) and loaded
beside the working tree, both as of the same moment, with this checkout's Spotlight. Now: every
page of both is rendered and compared (added, removed, changed). Later: the two timelines are
compared, so a change that only shows at a scheduled moment (an update that goes live next
week, a campaign that now ends a day later) is listed at that moment. Files a person must
review (lint.review_notices) come first."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Iterator

from .lint import review_notices
from .pipeline import load
from .render import Renderer
from .timeline import Change, horizon, readable, upcoming
from .validate import Content

# Each section lists at most this many lines, then says how many more: a comment on a pull
# request holds at most 65,536 characters.
LIMIT = 40
CHANGE_WORDS = {"appears": "goes live", "disappears": "is taken down", "starts": "starts", "ends": "ends"}


class BaseUnavailable(Exception):
    """git cannot give the hub at the ref (no repository, no such ref)."""


class HeadErrors(Exception):
    """The working tree's content has errors: there is nothing sound to compare."""

    def __init__(self, diagnostics):
        super().__init__(f"{len(diagnostics)} diagnostics")
        self.diagnostics = diagnostics


@contextmanager
def hub_at(root: Path, ref: str) -> Iterator[Path]:
    """The project folder as it is at the git ref `ref`, in a temporary folder, for the length of
    the `with`. Only committed files: what a merge would publish."""
    def git(*args: str, cwd: Path = root) -> bytes:
        try:
            done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)
        except OSError as exc:
            raise BaseUnavailable(f"cannot run git ({exc.strerror})") from None
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise BaseUnavailable(message[-1] if message else f"git {args[0]} failed") from None
        return done.stdout

    prefix = git("rev-parse", "--show-prefix").decode().strip()  # the project inside a larger repository
    commit = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    top = Path(git("rev-parse", "--show-toplevel").decode().strip())
    # From the top: run in a subfolder, git archive would keep only that subfolder of the tree given.
    archive = git("archive", "--format=tar", f"{commit}:{prefix.rstrip('/')}" if prefix else commit, cwd=top)
    with tempfile.TemporaryDirectory(prefix="spotlight-base-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


@dataclass(frozen=True)
class PageChange:
    what: str  # added, removed, changed
    url: str
    label: str  # "Creator 'Maya Torres'", or a page's title
    item: bool  # an item's own page (listings that show it change with it)


@dataclass(frozen=True)
class Later:
    at: datetime
    label: str
    change: str
    url: str
    how: str  # new, moved (from ...), changed, cancelled


@dataclass
class Summary:
    moment: datetime
    tz: tzinfo
    review: list[tuple[str, list[str]]] = field(default_factory=list)
    now: list[PageChange] = field(default_factory=list)
    later: list[Later] = field(default_factory=list)
    base_errors: int = 0


def summarise(root: Path, base_root: Path, moment: datetime, changed: set[str] | None) -> Summary:
    """Compare the hub at `base_root` with the one at `root`, both as of `moment`; HeadErrors if
    the working tree's content has errors (the base's only leave its pages uncompared)."""
    head, head_report = load(root, moment)
    if head_report.errors:
        raise HeadErrors(head_report.sorted())
    base, base_report = load(base_root, moment)
    summary = Summary(moment, head.settings.tz, review=review_notices(head, changed))
    head_files = _texts(root, head)
    base_files = _texts(base_root, base)
    edited = {key for key, data in head_files.items() if base_files.get(key) != data}
    if base_report.errors:
        summary.base_errors = len(base_report.errors)
    else:
        summary.now = compare_pages(base, head, edited)
    summary.later = compare_timelines(base, head, edited)
    return summary


def _texts(root: Path, content: Content) -> dict[tuple[str, str], bytes]:
    """Each item's file as it is, by (kind, slug): a scheduled item whose file changed shows
    the change when it goes live."""
    out = {}
    for kind, items in content.all.items():
        for slug, item in items.items():
            try:
                out[(kind, slug)] = (root / item.path).read_bytes()
            except OSError:
                out[(kind, slug)] = b""
    return out


def _pages(content: Content) -> dict[str, tuple[str, str, tuple[str, str] | None]]:
    """url -> (label, html, (kind, slug) of an item's own page) of every page as of the content's moment."""
    out = {}
    for page in Renderer(content).render_all():
        url = "/" + page.url  # site-absolute, as the site map and readers' address bars have it
        entry = content.site.entries.get(url)
        item = entry.item if entry is not None and entry.number == 1 else None
        label = item_label(item.kind, item.title) if item is not None else page.title
        out[url] = (label, page.html, (item.kind, item.slug) if item is not None else None)
    return out


def item_label(kind: str, title: str) -> str:
    return f"{kind.capitalize()} '{title}'"


def compare_pages(base: Content, head: Content, edited: set[tuple[str, str]]) -> list[PageChange]:
    """Pages added, removed and changed. An item's page counts as the change itself when the
    page is new or gone or its file was `edited`; the other changed pages show the change (a
    listing, a topic that lists a creator) and come after."""
    before, after = _pages(base), _pages(head)
    out = []
    for url in sorted(before.keys() | after.keys()):
        if url not in before:
            out.append(PageChange("added", url, after[url][0], after[url][2] is not None))
        elif url not in after:
            out.append(PageChange("removed", url, before[url][0], before[url][2] is not None))
        elif before[url][1] != after[url][1] or before[url][0] != after[url][0]:
            out.append(PageChange("changed", url, after[url][0], after[url][2] in edited))
    order = {"added": 0, "removed": 1, "changed": 2}
    return sorted(out, key=lambda c: (not c.item, order[c.what], c.url))


def compare_timelines(base: Content, head: Content, edited: set[tuple[str, str]]) -> list[Later]:
    """Scheduled changes up to the horizon that are new, moved or cancelled, and items going
    live whose file was `edited` (no page shows that edit before they do)."""
    until = horizon(head.settings, head.moment)
    before, after = upcoming(base, until), upcoming(head, until)
    old = {(c.kind, c.slug, c.change): c for c in before}
    new = {(c.kind, c.slug, c.change): c for c in after}
    out = []
    for key, c in new.items():
        was = old.get(key)
        if was is None:
            how = "new"
        elif was.at != c.at:
            how = f"moved from {readable(was.at, head.settings.tz)}"
        elif c.change == "appears" and key[:2] in edited:
            how = "changed"  # not visible yet, so no page shows the change now
        else:
            continue
        out.append(_later(c, how))
    out.extend(_later(c, "cancelled") for key, c in old.items() if key not in new)
    return sorted(out, key=lambda x: (x.at, x.url, x.change))


def _later(c: Change, how: str) -> Later:
    return Later(c.at, item_label(c.kind, c.title), c.change, c.url, how)


# -- Markdown ------------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")


def text(value: str) -> str:
    """An editor's words inside Markdown: every character Markdown or HTML would act on escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))


def code(value: str) -> str:
    return "`" + str(value).replace("`", "'") + "`"


def markdown(summary: Summary, ref: str) -> str:
    tz = summary.tz
    lines = ["## What readers will see", "",
             f"Compared with {code(ref)}, as of {readable(summary.moment, tz)}."]
    if summary.review:
        lines += ["", "### Needs a person's review first", ""]
        for path, subjects in summary.review:
            what = ", ".join(s.replace("-", " ") for s in subjects)
            lines.append(f"- {code(path)} touches {what}: read its tone and detail against the "
                         f"safe-messaging guidance before merging (`check` cannot judge them).")
    lines += ["", "### Now", ""]
    if summary.base_errors:
        lines.append(f"The hub at {code(ref)} has {summary.base_errors} content error(s), so its pages "
                     f"cannot be compared; the scheduled changes below still are.")
    elif not summary.now:
        lines.append("No page changes now.")
    else:
        items = [c for c in summary.now if c.item]
        others = [c for c in summary.now if not c.item]
        lines += _bounded([f"- **{c.what.capitalize()}**: {text(c.label)}, {code(c.url)}" for c in items])
        if others:
            if items:
                lines += ["", f"{len(others)} other page(s) that show them:", ""]
            lines += _bounded([f"- {c.what.capitalize()}: {text(c.label)}, {code(c.url)}" for c in others])
    lines += ["", "### Later (scheduled)", ""]
    if not summary.later:
        lines.append("No scheduled change is added, moved or cancelled.")
    else:
        lines += _bounded([_later_line(x, tz) for x in summary.later])
    return "\n".join(lines) + "\n"


def _later_line(x: Later, tz) -> str:
    when = readable(x.at, tz)
    what = f"{text(x.label)} {CHANGE_WORDS[x.change]}"
    if x.how == "cancelled":
        return f"- ~~{when}~~: {text(x.label)} no longer {CHANGE_WORDS[x.change]} then, {code(x.url)} (cancelled)"
    how = {"new": "new in this change", "changed": "its text changed"}.get(x.how, x.how)
    return f"- **{when}**: {what}, {code(x.url)} ({how})"


def _bounded(lines: list[str]) -> list[str]:
    out = lines[:LIMIT]
    if len(lines) > LIMIT:
        out.append(f"- … and {len(lines) - LIMIT} more")
    return out

