"""The engine contract: what the pipeline hands a site engine to build or serve, and nothing of any engine.

Spotlight makes every page's HTML and every other file itself (render.py, outputs.py); an
engine only wraps each page in the site's theme (header, navigation, footer) and writes the
result, and for `serve` rebuilds and serves it while files change. The pipeline depends on
this module alone; each engine lives in a module of its own here (mkdocs.py is the only code
that imports MkDocs), so another one can be written against the same seam. docs/development.md
says how; tests/test_engine_contract.py drives the pipeline with a fake engine.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Protocol

from ..assets import AssetFile, write_asset
from ..diagnostics import ConfigError
from ..render import Generated, Page
from ..settings import Settings
from ..state import BuildState

__all__ = ["DEFAULT_ENGINE", "ENGINES", "AssetFile", "ConfigError", "Engine", "Generated", "Page", "ServeOptions",
           "Site", "get_engine", "write_asset"]


@dataclass
class Site:
    """Everything one build publishes, finished. An engine adds the theme around each page."""

    root: Path  # the project folder: mkdocs.yml (the site's name, nav and theme), theme/
    moment: datetime  # the build's "now": whatever an engine dates (archives, headers) uses it, not the clock
    drafts: bool  # built with drafts: never to be deployed
    settings: Settings
    # What every page shows besides its own content, for the theme: help_where and help_links (the
    # help bar), help_label, help_href,
    # quick_exit_url, drafts, as_of, csp (the Content-Security-Policy), errors (content errors a
    # preview shows over the last good version), safety_url and footer_pages (site-relative).
    every_page: dict[str, Any]
    # HTML made and made safe by Spotlight: place it as it is, never parse it again. An engine may
    # empty the list as it takes the pages, so that a large site holds each page's HTML once.
    pages: list[Page]
    files: list[Generated]  # feed, calendars, JSON API, robots.txt, _headers, search index: copy as they are
    assets: list[AssetFile]  # images `check` accepted: publish each with write_asset(root, asset, path)
    # The build state (state.py), when outputs may be reused: the pages' render is recorded in it
    # already; an engine records there what it wrote (BuildState.written) and may take an
    # unchanged page's file from the last build (`state.outputs`) instead of making it again.
    state: BuildState | None = None


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    poll: bool  # look for changes by polling, not the system's file events (network drives)
    watch: tuple[Path, ...]  # folders and files whose change means the site must be made again


class Engine(Protocol):
    def build(self, site: Site, out: Path) -> None:
        """Write the whole site into the empty folder `out`: each page at its address (`page.url`,
        a directory: `out/creators/maya/index.html`) in the theme, every file at its `src_uri`,
        every asset at its `uri`, plus what the engine itself adds (theme assets, 404 page, sitemap).
        Raise on failure; the pipeline then leaves the published site as it was."""

    def serve(self, produce: Callable[[], Site], options: ServeOptions) -> None:
        """Serve the site on options.host:options.port until interrupted, calling produce() for
        the site first and again after every change under options.watch. produce() returns the
        last good content with the errors in every_page["errors"] rather than raising."""


# name -> "module:class"; an engine's module is imported only when it is used.
ENGINES = {
    "mkdocs": "spotlight.engines.mkdocs:MkDocsEngine",
    # The same engine on ProperDocs, MkDocs 1.x's maintained continuation; chosen before anything
    # imports MkDocs (docs/decisions/0001-engine-after-material.md).
    "properdocs": "spotlight.engines.properdocs:ProperDocsEngine",
}


# The engine the pipeline uses unless told otherwise. ProperDocs is to take its place by
# 1 March 2027 (docs/decisions/0001-engine-after-material.md).
DEFAULT_ENGINE = "mkdocs"


def get_engine(name: str | None = None) -> Engine:
    module, _, cls = ENGINES[name or DEFAULT_ENGINE].partition(":")
    return getattr(importlib.import_module(module), cls)()
