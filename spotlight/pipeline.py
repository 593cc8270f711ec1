"""load -> validate -> render -> engine build -> atomic publish."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from .diagnostics import ContentError, Report
from .settings import Settings, read_settings
from .validate import Content, load_content


def load(root: Path, moment: datetime, drafts: bool = False, strict_freshness: bool = False,
         settings: Settings | None = None) -> tuple[Content, Report]:
    settings = settings or read_settings(root)
    report = Report()
    content = load_content(root, settings, moment, drafts, report, strict_freshness=strict_freshness)
    return content, report


def build_site(root: Path, out: Path, moment: datetime, drafts: bool = False) -> Report:
    """Validate, build into a scratch folder beside `out`, then swap it in.

    Nothing under `out` changes unless the whole build succeeded.
    """
    from mkdocs.commands.build import build as mkdocs_build  # noqa: PLC0415 - keep mkdocs at the edge
    from mkdocs.config import load_config  # noqa: PLC0415

    content, report = load(root, moment, drafts)
    if report.errors:
        raise ContentError(report.sorted())
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
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
        publish(scratch, out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return report


def publish(new: Path, out: Path) -> None:
    """Replace `out` with `new` using renames, so readers never see half a site."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}-old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
