"""load -> validate -> site map -> review -> render -> engine build -> atomic publish (publish.py)."""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable

from .diagnostics import ContentError, Report
from .lint import lint_content, prescan
from .publish import (MachineError, build_lock, clean_leftovers, is_machine_failure, machine_reason, new_scratch,
                      publish, remove_tree)
from .settings import Settings, read_settings
from .site import SiteMap
from .sources import list_sources
from .validate import Content, load_content


def load(root: Path, moment: datetime, drafts: bool = False, strict_freshness: bool = False,
         settings: Settings | None = None, cache: dict | None = None) -> tuple[Content, Report]:
    """Load and validate the content, build its site map (content.site), then review it.

    `cache` (serve only) keeps what validation parsed and what the review read of each file
    (validate.parse_cached, lint.Linter.lint) until the file changes. Without it, a large
    project's texts are read for the review in a second process while this one parses them."""
    settings = settings or read_settings(root)
    report = Report()
    sources = list_sources(root, report)
    scanned = prescan(root, [rel for _, rel in sources]) if cache is None else _nothing
    content = load_content(root, settings, moment, drafts, report, strict_freshness=strict_freshness, cache=cache,
                           sources=sources)
    content.site = SiteMap.build(content, report)
    lint_content(root, content, content.site, report, cache.setdefault("lint", {}) if cache is not None else None,
                 scanned())
    return content, report


def _nothing() -> None:
    return None


def build_site(root: Path, out: Path, moment: datetime, drafts: bool = False,
               tell: Callable[[str], None] | None = None) -> Report:
    """Validate, build into a scratch folder beside `out`, then swap it in (publish.py).

    Nothing under `out` changes unless the whole build succeeded. Builds into the same folder
    take turns (a lock beside it), and each first removes what killed builds left there.
    `tell` hears what a person should know (waiting for another build, leftovers removed).
    """
    from mkdocs.commands.build import build as mkdocs_build  # noqa: PLC0415 - keep mkdocs at the edge
    from mkdocs.config import load_config  # noqa: PLC0415

    tell = tell or _tell
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(out, tell):
            clean_leftovers(out, tell)
            content, report = load(root, moment, drafts)
            if report.errors:
                raise ContentError(report.sorted())
            scratch = new_scratch(out)
            try:
                logging.getLogger("mkdocs").setLevel(logging.WARNING)
                config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(scratch))
                plugin = config.plugins.get("spotlight")
                if plugin is None:
                    raise RuntimeError("mkdocs.yml does not enable the spotlight plugin")
                plugin.preloaded = content
                plugin.config.drafts = drafts
                del content  # the plugin lets go of it once the pages are generated
                mkdocs_build(config)
                publish(scratch, out, tell)
            except BaseException:
                remove_tree(scratch, tell)
                raise
    except OSError as err:
        if is_machine_failure(err) and _writing(err, out):
            raise MachineError(f"cannot write {_shown(out, root)}/: {machine_reason(err)}") from err
        raise
    return report


def _tell(message: str) -> None:
    print(f"build.py: {message}", file=sys.stderr)


def _writing(err: OSError, out: Path) -> bool:
    """Whether a failure was in writing the site: the output folder, its scratch copy, the lock."""
    names = [str(n) for n in (err.filename, err.filename2) if n]
    mine = str(out.parent / f".{out.name}")  # .site-build-*, .site-old-*, .site.lock
    return not names or any(n.startswith((str(out) + os.sep, mine)) or out.is_relative_to(n) for n in names)


def _shown(out: Path, root: Path) -> str:
    """The output folder as the person named it: relative to the project when inside it."""
    try:
        return out.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(out)
