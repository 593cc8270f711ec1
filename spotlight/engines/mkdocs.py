"""The MkDocs engine: the only module that imports mkdocs. Material wraps Spotlight's finished pages.

Two ways in, one plugin (`spotlight` in mkdocs.yml's plugins):
- MkDocsEngine (the contract's Engine): `build.py build` and `build.py serve` hand it a Site.
- `mkdocs build` / `mkdocs serve` run by MkDocs itself: the plugin makes the Site with the
  pipeline (as of the plugin's `as_of` option or SPOTLIGHT_AS_OF, a documented user input).

Each page reaches MkDocs as an empty Markdown file, so MkDocs parses nothing of Spotlight's:
the page's data goes into page.meta at on_page_markdown, its HTML in at on_page_content.
Only public MkDocs interfaces are used (mkdocs is pinned below 2, which drops plugins).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
import threading
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Callable

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, pass_context
from markdown.extensions.toc import nest_toc_tokens
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from . import AssetFile, ConfigError, Page, ServeOptions, Site, write_asset
from ..render import TEMPLATE_CACHE
from ..state import BuildState, Written, digest, file_digest, folder_digest
from ..schedule import parse_as_of
from ..settings import from_options

log = logging.getLogger("mkdocs.plugins.spotlight")
# Material's scripts (bundle, search worker, lunr languages): theme/main.html does not load them.
UNUSED_THEME_ASSETS = ("assets/javascripts/",)
# The package that builds: "mkdocs", or "properdocs" when engines/properdocs.py made `import mkdocs`
# give ProperDocs' modules. Pages a build reuses must have been made by the same one.
ENGINE = mkdocs_build.__module__.partition(".")[0]
SETTINGS = ("timezone", "help_label", "help_href", "primary_region", "verify_every_days", "quick_exit_url", "page_size",
            "emergency_numbers", "check_horizon_days", "editor")


class SpotlightConfig(Config):
    as_of = c.Optional(c.Type(str))
    drafts = c.Type(bool, default=False)
    timezone = c.Type(str, default="UTC")
    help_label = c.Type(str, default="")
    help_href = c.Type(str, default="")
    primary_region = c.Type(str, default="")
    verify_every_days = c.Type(int, default=180)
    quick_exit_url = c.Type(str, default="")
    page_size = c.Type(int, default=48)
    emergency_numbers = c.Type(list, default=[])
    check_horizon_days = c.Type(int, default=366)
    editor = c.Type((bool, dict), default=True)  # the form editor at /admin/ (spotlight/editor.py)


class MkDocsEngine:
    """Builds and serves a Site with MkDocs and the theme mkdocs.yml names (Material)."""

    def build(self, site: Site, out: Path) -> None:
        """With a build state (site.state), pages as the last build wrote them are taken from
        state.outputs and MkDocs' dirty build leaves them as they are."""
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
        config = _config(site.root, out)
        state = site.state
        _plugin(config).start(site, serving=False)
        mkdocs_build(config, dirty=state is not None)
        if state is not None:
            record_outputs(state, out)

    def serve(self, produce: Callable[[], Site], options: ServeOptions) -> None:
        """MkDocs' live-reloading server, driven here: the config is loaded and the site made again
        for every rebuild, and each save is heard from the system's file events (see file_observer)."""
        logging.getLogger("mkdocs").setLevel(logging.INFO)
        logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
        site = produce()
        site_dir = tempfile.mkdtemp(prefix="spotlight-serve-")
        host = f"[{options.host}]" if ":" in options.host else options.host
        serve_url = f"http://{host}:{options.port}/"

        def config_with(site: Site):
            config = _config(site.root, Path(site_dir))
            config.site_url = serve_url  # canonical links in the preview point at the preview
            if site.state is not None:
                site.state.outputs = Path(site_dir)  # dirty builds: the last build's pages are in place
            _plugin(config).start(site, serving=True)
            return config

        def builder() -> None:
            log.info("Building documentation...")
            mkdocs_build(config_with(produce()), serve_url=serve_url, dirty=True)

        config = config_with(site)
        config.plugins.on_startup(command="serve", dirty=True)
        server = LiveReloadServer(builder=builder, host=options.host, port=options.port, root=site_dir)
        server.error_handler = lambda code: _error_page(site_dir, code)
        # Before any watch: the server's own observer polls every half second.
        server.observer = file_observer([str(p) for p in options.watch], poll=options.poll)
        # Stopped by a signal (a terminal closed, a test or a supervisor ending it), serve still
        # removes its folder: SIGTERM ends it as Ctrl-C does, through the finally below.
        main = threading.current_thread() is threading.main_thread()  # where Python runs handlers
        stopping = signal.signal(signal.SIGTERM, _interrupt) if main else None
        try:
            mkdocs_build(config, serve_url=serve_url, dirty=True)
            for path in options.watch:
                server.watch(str(path))
            server = config.plugins.on_serve(server, config=config, builder=builder)
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            if main:
                signal.signal(signal.SIGTERM, stopping)
            config.plugins.on_shutdown()
            shutil.rmtree(site_dir, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _config(root: Path, out: Path):
    """mkdocs.yml as MkDocs reads it; a value MkDocs refuses is the hub's mistake, in one line."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    # MkDocs logs each refused value, then aborts: the messages go into the one line below.
    saved = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [collect], False
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out))
    except (Abort, ConfigurationError) as err:
        said = "; ".join(collect.messages) or str(err)
        raise ConfigError(f"mkdocs.yml: {said} (fix the value, or make the folder it names: a hub "
                          "needs content/ and Spotlight's theme/; see docs/make-your-hub.md)") from None
    finally:
        logger.handlers, logger.propagate = saved
    _plugin(config)
    return config


def _plugin(config) -> SpotlightPlugin:
    plugin = config.plugins.get("spotlight")
    if plugin is None:
        raise RuntimeError("mkdocs.yml does not enable the spotlight plugin")
    return plugin


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns that dirty builds may leave navigation stale; Spotlight's nav is fixed and it
    rebuilds every page whose content or shared parts changed, so the warning would only mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def engine_digest(every_page: dict, root: Path, site_url: str, nav_pages: list[str]) -> str:
    """What every page MkDocs writes shows besides its own content: the Site's every_page data
    (help bar, error banner, footer links), the theme's files, mkdocs.yml, the address the site
    is served at, and which of the pages mkdocs.yml's nav names exist. When it changes, every
    page is made again.

    The build's moment (`as_of`) is left out: it moves on every build of "now", no template
    prints it, and what it changes (statuses, lists) changes the generated pages themselves.
    """
    return digest(json.dumps({
        "engine": ENGINE, "every_page": {k: v for k, v in every_page.items() if k != "as_of"},
        "theme": folder_digest(root / "theme"), "config": file_digest(root / "mkdocs.yml"),
        "site_url": site_url, "nav": sorted(nav_pages),
    }, sort_keys=True, default=str))


def _nav_files(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in _nav_files(value)]
    if isinstance(nav, list):
        return [f for value in nav for f in _nav_files(value)]
    return []


def record_outputs(state: BuildState, out: Path) -> None:
    """The digest of each page file this build wrote (the reused ones are known already)."""
    for src_uri, written in list(state.written.items()):
        if not written.output:
            try:
                written.output = file_digest(out / written.dest)
            except OSError:  # MkDocs writes no file for an empty page
                del state.written[src_uri]


class PageFile(File):
    """A generated page's file. `serve` clears `changed` when the page is as the last build wrote it,
    and MkDocs' dirty build then leaves it as it is."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class CheckedAsset(File):
    """An image from content/assets/, published with the bytes validation accepted (assets.write_asset)."""

    asset: AssetFile
    root: Path

    @classmethod
    def of(cls, config, root: Path, asset: AssetFile) -> CheckedAsset:
        file = cls.generated(config, asset.uri, abs_src_path=str(root / asset.path))
        file.asset, file.root = asset, root
        return file

    def copy_file(self, dirty: bool = False) -> None:
        if not (dirty and not self.is_modified()):
            write_asset(self.root, self.asset, self.abs_dest_path)


def page_meta(page: Page) -> dict:
    """What the theme reads of a page (page.meta), as a page's front matter would give it."""
    meta: dict = {
        # Material prints titles and descriptions unescaped in places; escape them once here.
        "title": escape(page.title, quote=True),
        "description": escape(page.description, quote=True),
        "spotlight": {"og_type": page.og_type, "warnings": list(page.warnings), "draft": page.draft},
    }
    if page.jsonld is not None:
        meta["spotlight"]["jsonld"] = page.jsonld
    if not page.search:
        meta["search"] = {"exclude": True}
    if page.template:
        meta["template"] = page.template
    return meta


class SpotlightPlugin(BasePlugin[SpotlightConfig]):
    """Hands MkDocs Spotlight's finished site: pages, files and images, nothing from docs_dir itself.

    MkDocs keeps one instance for the whole process (it has on_startup), so everything a build
    needs is set by start() or made in on_config, and let go of after the build.
    """

    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.serving = False  # a preview: its pages carry MkDocs' live-reload script
        self.serving_itself = False  # `mkdocs serve`, run by MkDocs
        self.in_place = False  # `mkdocs serve --dirty`: the last build's pages are in site_dir
        self.made = None  # `mkdocs serve`: the pipeline's Preview, kept between rebuilds
        self.pages: dict[str, Page] = {}  # by name, until MkDocs has taken each one's HTML
        self._saved_epoch: str | None = None

    def start(self, site: Site, serving: bool) -> None:
        """The site the next build publishes (MkDocsEngine): built or previewed (`serve`)."""
        self.site = site
        self.serving, self.serving_itself = serving, False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if command == "serve" and self.site is None:  # `mkdocs serve`; MkDocsEngine.serve has started it
            self.serving = self.serving_itself = True
            self.in_place = dirty  # `--dirty`: rebuild only the pages that changed

    def on_config(self, config):
        if self.site is None:
            self.site = self._make_site(config)
        site = self.site
        # Each page reaches MkDocs as empty Markdown (its HTML goes in at on_page_content): no
        # extension has anything to do, and MkDocs would still set each one up for every page.
        config.markdown_extensions, config.mdx_configs = [], {}
        # Dates MkDocs writes (sitemap lastmod, gzip headers) follow the build's moment, not the clock.
        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(site.moment.timestamp()))
        every_page = dict(site.every_page)
        if self.serving:
            # The preview's pages carry MkDocs' inline live-reload script; only they allow it.
            every_page["csp"] = every_page["csp"].replace("script-src 'self'",
                                                          "script-src 'self' 'unsafe-inline'")
        config.extra["spotlight"] = every_page
        return config

    def _make_site(self, config) -> Site:
        """`mkdocs build` or `mkdocs serve`, run by MkDocs: the site from the pipeline."""
        from ..pipeline import Preview, load, render_site  # noqa: PLC0415 - the pipeline imports the contract

        root = Path(config.config_file_path).parent
        options = {k: self.config[k] for k in SETTINGS}
        settings = from_options(options, config.site_name, config.site_url or "", config.repo_url or "")
        text = self.config.as_of or os.environ.get("SPOTLIGHT_AS_OF")
        moment = parse_as_of(text, settings.tz) if text else None
        if self.serving_itself:
            if self.made is None:
                self.made = Preview(root, moment, self.config.drafts)
            site = self.made()
            if site.state is not None:
                site.state.outputs = Path(config.site_dir) if self.in_place else None
            return site
        content, report = load(root, moment or datetime.now(timezone.utc).replace(microsecond=0),
                               self.config.drafts, settings=settings)
        for warning in report.warnings:
            log.warning(warning.text())
        if report.errors:
            lines = "\n".join(d.text() for d in report.sorted())
            raise PluginError(f"Spotlight found content errors:\n{lines}")
        return render_site(root, content, record=True)

    def on_files(self, files: Files, config) -> Files:
        site = self.site
        assert site is not None
        # Nothing is copied from docs_dir (content/) as it is: the theme's own files, then the
        # site's images, pages and files. Material's JavaScript is never loaded by the theme.
        kept = Files([f for f in files
                      if f.src_dir != config.docs_dir and not f.src_uri.startswith(UNUSED_THEME_ASSETS)])
        for asset in site.assets:
            kept.append(CheckedAsset.of(config, site.root, asset))
        for page in site.pages:
            self.pages[page.src_uri] = page
            kept.append(PageFile.generated(config, page.src_uri, content=""))
        for generated in site.files:
            kept.append(File.generated(config, generated.src_uri, content=generated.content))
        # The pages are held here until MkDocs takes each one's HTML; then it holds them alone.
        site.pages = []
        if site.state is not None:
            self._reuse(kept, config, site.state)
        return kept

    def _reuse(self, files: Files, config, state: BuildState) -> None:
        """Pages as the last build wrote them are not made again (MkDocs' dirty build skips them).

        A page is as it was when its Page (HTML and data) is, and so is everything every page
        shows (engine_digest). Its file is taken from state.outputs: in `serve` the folder being
        built, where it is already; in a build, the cache, where it must still have the digest
        recorded for it. Pages that no longer exist are removed from a folder built in place.
        """
        site = self.site
        assert site is not None
        out = Path(config.site_dir)
        named = set(_nav_files(config.nav or [])).intersection(self.pages)
        stamp = engine_digest(config.extra["spotlight"], site.root, config.site_url or "", list(named))
        previous = state.written if state.engine == stamp else {}
        current: dict[str, Written] = {}
        refused = 0
        for file in files:
            if not isinstance(file, PageFile):
                continue
            page_digest = digest(repr(self.pages[file.src_uri]))
            last = previous.get(file.src_uri)
            if last is not None and last.page == page_digest and last.dest == file.dest_uri:
                if _take(state.outputs, out, last):
                    file.changed = False
                    current[file.src_uri] = last
                    continue
                refused += 1
            current[file.src_uri] = Written(page_digest, file.dest_uri, "")
        if refused:
            state.notes.append(f"{refused} cached page(s) did not match their recorded digest; made again")
        if previous:
            changed = sum(1 for f in files if isinstance(f, PageFile) and f.changed)
            log.info(f"Spotlight: rebuilding {changed} of {len(current)} pages (the others are unchanged)")
        if state.outputs == out:
            for src_uri, written in previous.items():
                if src_uri not in current and (out / written.dest).is_file():
                    os.remove(out / written.dest)
        state.written, state.engine = current, stamp

    def on_env(self, env, config, files):
        # MkDocs makes a new theme environment for every build; in `serve` that recompiled the
        # theme's templates on every save. Compiled code is shared (keyed by each source's checksum).
        env.bytecode_cache = TEMPLATE_CACHE
        # "material/<name>" is the theme's own file, without theme/'s override of it: theme/'s
        # partials/nav.html wraps Material's in spotlight_once.
        parents = [d for d in config.theme.dirs if d != config.theme.custom_dir]
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(parents)})])
        shared = SharedParts(env.filters["url"])  # a new one each build: nothing stale
        env.filters["url"], env.globals["spotlight_once"] = shared.url, shared.once
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        ours = self.pages.get(page.file.src_uri)
        if ours is not None:
            page.meta = page_meta(ours)
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        ours = self.pages.pop(page.file.src_uri, None)
        if ours is None:
            return html
        page.toc = get_toc(nest_toc_tokens([
            # MkDocs' templates print a heading's name as it is: it must be HTML.
            {"level": h.level, "id": h.id, "name": escape(h.title), "children": []} for h in ours.headings]))
        return ours.html

    def on_post_build(self, config) -> None:
        self.site, self.pages = None, {}
        if self._saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch

    def on_build_error(self, error) -> None:
        self.site, self.pages = None, {}

    def on_serve(self, server, config, builder):
        if self.serving_itself:  # `mkdocs serve` watches docs_dir and mkdocs.yml; the rest is ours
            from ..render import TEMPLATES  # noqa: PLC0415

            root = Path(config.config_file_path).parent
            for path in (root / "creators", root / "theme", TEMPLATES):
                if path.is_dir():
                    server.watch(str(path))
        return server


def _take(outputs: Path | None, out: Path, written: Written) -> bool:
    """Put the last build's file for a page at its place in `out`, if it is the one recorded."""
    if outputs is None:
        return False
    if outputs == out:  # `serve`: built in place, and nothing but the preview writes there
        return (out / written.dest).is_file()
    source, target = outputs / written.output, out / written.dest  # the cache names files by digest
    try:
        if file_digest(source) != written.output:
            source.unlink()  # damaged: the cache saves the good file again after this build
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)  # the build never writes over a page it took: no copy needed
        except OSError:
            shutil.copyfile(source, target)
    except OSError:
        return False
    return True


class SharedParts:
    """Parts of the page template rendered once per build instead of once per page.

    The navigation, tabs, header and footer print the same HTML on every page but in two ways:
    the nav item of the page itself is marked (and Material nests the page's table of contents
    there), and every address is written relative to the page (the `url` filter). So a part is
    reused on a page outside the nav when every address it printed comes out the same from that
    page; the nav's own pages render it themselves. A template wraps only parts that read
    nothing else of the page: `{% call spotlight_once("name") %}...{% endcall %}`.
    """

    def __init__(self, url_filter: Callable) -> None:
        self._url_filter = url_filter
        # name -> (the addresses the part passed to `url`, {what they gave on a page: the HTML})
        self.parts: dict[str, tuple[tuple[str, ...], dict[tuple[str, ...], str]]] = {}
        self._recording: list[list[str]] = []
        self._nav = None
        self._nav_pages: set[int] = set()

    @pass_context
    def url(self, context, value) -> str:
        """The theme's `url` filter, noting each address a part being rendered passes to it."""
        for addresses in self._recording:
            addresses.append(str(value))
        return self._url_filter(context, value)

    @pass_context
    def once(self, context, name: str, caller) -> str:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None:
            return caller()
        if nav is not self._nav:
            self._nav, self._nav_pages = nav, {id(p) for p in nav.pages}
        if id(page) in self._nav_pages:
            return caller()
        known = self.parts.get(name)
        if known is not None:
            html = known[1].get(tuple(normalize_url(a, page=page) for a in known[0]))
            if html is not None:
                return html
        self._recording.append([])
        try:
            html = caller()
        finally:
            addresses = tuple(dict.fromkeys(self._recording.pop()))
        if known is None:
            known = self.parts[name] = (addresses, {})
        if addresses == known[0]:
            known[1][tuple(normalize_url(a, page=page) for a in addresses)] = html
        return html


def file_observer(paths: list[str], *, poll: bool, interval: float = 0.5):
    """What tells `serve` of a save: the system's file events (inotify on Linux), heard at once.

    MkDocs' own observer looks at every watched file every half second, so a rebuild started on
    average a quarter of a second after the save. Where native events cannot be had for `paths`
    (the system's limit on watches, say) it polls, and so does `serve --poll`, for folders whose
    events never arrive (network drives, some container mounts).
    """
    from watchdog import events  # noqa: PLC0415 - only `serve` needs watchdog
    from watchdog.observers import Observer  # noqa: PLC0415
    from watchdog.observers.polling import PollingObserver  # noqa: PLC0415

    if poll:
        return PollingObserver(timeout=interval)
    change_events = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
                     events.FileMovedEvent, events.FileClosedEvent]

    class StartedObserver(Observer):  # type: ignore[misc,valid-type]
        """Started here, to learn at once whether native events work; the server's start() is then a no-op."""

        def start(self) -> None:
            if not self.is_alive():
                super().start()

        def schedule(self, event_handler, path, *, recursive=False, **kwargs):
            # Changes only: native events also report files being opened and read, and every
            # build reads the watched files, so a build would start the next one for ever.
            kwargs.setdefault("event_filter", change_events)
            return super().schedule(event_handler, path, recursive=recursive, **kwargs)

    native = StartedObserver()
    try:
        native.start()
        for path in paths:  # a running observer sets each watch up at once, so a failure shows here
            native.unschedule(native.schedule(events.FileSystemEventHandler(), path, recursive=True))
    except OSError as err:
        log.warning(f"Spotlight: no native file events ({err}); looking for changes every {interval} s")
        native.stop()
        return PollingObserver(timeout=interval)
    return native
