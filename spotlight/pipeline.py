"""load -> validate -> site map -> review -> render -> engine (build or serve) -> publish (publish.py)."""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .deployed import RECORD, build_record
from .diagnostics import ContentError, Report
from .editor import admin_files
from .engines import Engine, ServeOptions, Site, get_engine
from .crisis import help_bar
from .images import make_images
from .lint import lint_content, prescan
from .outputs import CSP, render_outputs
from .publish import (MachineError, build_lock, clean_leftovers, is_machine_failure, machine_reason, new_scratch,
                      publish, remove_tree)
from .render import TEMPLATES, Generated, Renderer
from .settings import Settings, read_settings
from .site import SiteMap
from .sources import list_sources
from .state import BuildState, Cache
from .timeline import check_timeline, upcoming
from .validate import Content, demote_drafts, load_content, report_unchecked

log = logging.getLogger("spotlight.preview")
# Free pages the theme links from every page's footer, in this order, when they exist.
# "Help and safety" in every page's footer, each when the hub has it: a parent or a young
# reader looking for help for someone else finds those pages beside the crisis lines.
FOOTER_PAGES = ("worried-about-someone", "young-people", "about", "staying-safe-online", "privacy",
                "editorial-policy")
SAFETY_PAGE = "staying-safe-online"


def load(root: Path, moment: datetime, drafts: bool = False, strict_freshness: bool = False,
         settings: Settings | None = None, cache: dict | None = None) -> tuple[Content, Report]:
    """Load and validate the content, build its site map (content.site), review it, then check
    its references at every later moment up to the horizon (timeline.check_timeline).

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
    links = lint_content(root, content, content.site, report,
                         cache.setdefault("lint", {}) if cache is not None else None, scanned())
    check_timeline(content, report, links)  # every later moment, up to the horizon
    report_unchecked(content, report)
    demote_drafts(content, report)
    return content, report


def _nothing() -> None:
    return None


def every_page(content: Content, errors: list[str]) -> dict:
    """What every page shows besides its own content (the contract's Site.every_page)."""
    settings, pages = content.settings, content.visible.get("page", {})
    help_where, help_links = help_bar(content)
    return {
        "help_label": settings.help_label,
        "help_href": settings.help_href,
        # The help bar: "<where>: Call 988 · Text 988" (crisis.help_bar).
        "help_where": help_where,
        "help_links": help_links,
        "quick_exit_url": settings.exit_url,
        "drafts": content.drafts,
        "as_of": content.moment.isoformat(),
        # The theme puts the policy in every page's <meta>; _headers sends it too.
        "csp": CSP,
        "errors": errors,
        # Paths relative to the site root (the theme's `url` filter).
        "safety_url": f"{SAFETY_PAGE}/" if SAFETY_PAGE in pages else "",
        "footer_pages": [{"title": pages[slug].data["title"], "url": f"{slug}/"}
                         for slug in FOOTER_PAGES if slug in pages],
    }


def render_site(root: Path, content: Content, errors: list[str] | None = None,
                state: BuildState | None = None, record: bool = False, report: Report | None = None) -> Site:
    """Every page and file of the site, finished, for an engine. `state`: the last build's record,
    whose unchanged pages are reused (serve, and build with its cache); it records this build.
    `record` (a build to publish, not a preview): add spotlight-build.json (deployed.py)."""
    images = make_images(root, content, report)  # `report` hears of an image it cannot decode
    renderer = Renderer(content, state, images)
    pages = renderer.render_all()
    files = render_outputs(renderer) + list(images.files)
    editor, missing = admin_files(root, content.settings)  # /admin/: the form editor (editor.py)
    files.extend(editor)
    if missing:
        log.warning(missing)
    if record:
        changes = upcoming(content)
        files.append(Generated(RECORD, build_record(root, content.moment, changes[0].at if changes else None),
                               is_page=False))
    return Site(root=root, moment=content.moment, drafts=content.drafts, settings=content.settings,
                every_page=every_page(content, errors or []), pages=pages, files=files,
                assets=list(content.assets), state=state)


def build_site(root: Path, out: Path, moment: datetime, drafts: bool = False,
               tell: Callable[[str], None] | None = None, engine: Engine | None = None,
               cache: bool = True) -> Report:
    """Validate, render, build with the engine into a scratch folder beside `out`, then swap it in
    (publish.py).

    Nothing under `out` changes unless the whole build succeeded. Builds into the same folder
    take turns (a lock beside it), and each first removes what killed builds left there.
    `tell` hears what a person should know (waiting for another build, leftovers removed).
    `cache`: reuse what the last build made of unchanged inputs (state.Cache, `.spotlight-cache/`)
    and keep this build's record there once it is published; the site is the same either way.
    """
    tell = tell or _tell
    engine = engine or get_engine()
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(out, tell):
            clean_leftovers(out, tell)
            content, report = load(root, moment, drafts)
            if report.errors:
                raise ContentError(report.sorted())
            store = Cache(root, tell) if cache else None
            state = None
            if store is not None:
                store.clean_leftovers()
                state = store.load()
            site = render_site(root, content, state=state, record=True, report=report)
            del content  # every page is HTML now: the parsed content is not needed again
            scratch = new_scratch(out)
            try:
                engine.build(site, scratch)
                for note in state.notes if state is not None else ():
                    tell(f"cache: {note}")
                publish(scratch, out, tell)
            except BaseException:
                remove_tree(scratch, tell)
                raise
            if store is not None and state is not None:
                store.save(state, out)  # only now: the record describes the published site
    except OSError as err:
        if is_machine_failure(err) and _writing(err, out):
            raise MachineError(f"cannot write {_shown(out, root)}/: {machine_reason(err)}") from err
        raise
    return report


class Preview:
    """`serve`'s producer: the site again after every change, reusing what did not change.

    Keeps one build state (state.py): what the load stage read of each file (its parsed item
    and the review's reading), what each page read and became; and the last content without
    errors: a save with errors gives that version, with the errors on every page and in the
    terminal.
    """

    def __init__(self, root: Path, moment: datetime | None = None, drafts: bool = False):
        self.root, self.moment, self.drafts = root, moment, drafts  # moment None: now, at each rebuild
        self.state = BuildState()
        self.last_good: Content | None = None
        self.report = Report()  # the last rebuild's diagnostics

    def __call__(self) -> Site:
        settings = read_settings(self.root)
        moment = self.moment or datetime.now(timezone.utc).replace(microsecond=0)
        content, report = load(self.root, moment, self.drafts, settings=settings, cache=self.state.read)
        self.report = report
        for warning in report.warnings:
            log.warning(warning.text())
        errors = [d.text() for d in report.errors]
        for line in errors:
            log.error(line)
        if not errors:
            self.last_good = content
        elif self.last_good is not None:
            content = self.last_good
        else:  # nothing good yet: an empty hub (and its site map) under the errors
            content = Content(moment, self.drafts, settings, {k: {} for k in content.all}, {k: {} for k in content.all})
            content.site = SiteMap.build(content)
        images = Report()
        site = render_site(self.root, content, errors, state=self.state, report=images)
        for warning in images.warnings:
            log.warning(warning.text())
        return site


def serve_site(root: Path, moment: datetime | None, drafts: bool, host: str, port: int, poll: bool,
               engine: Engine | None = None) -> None:
    """Preview the site on host:port until interrupted, made again after every save."""
    watch = tuple(p for p in (root / "creators", root / "content", root / "theme", root / "mkdocs.yml", TEMPLATES)
                  if p.exists())
    (engine or get_engine()).serve(Preview(root, moment, drafts), ServeOptions(host, port, poll, watch))


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
