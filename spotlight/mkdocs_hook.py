"""The MkDocs plugin: the only module that imports mkdocs. Adds Spotlight's pages to a build."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from html import escape
from datetime import datetime, timezone
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from .assets import AssetFile, write_asset
from .render import TEMPLATE_CACHE, Page, Renderer, files_stamp
from .outputs import CSP, render_outputs
from .schedule import parse_as_of
from .settings import Settings, from_options
from .pipeline import load
from .site import SiteMap
from .validate import Content

log = logging.getLogger("mkdocs.plugins.spotlight")
# `serve` only: whether this process is previewing, the last content without errors, the
# generated pages of the last build (digest, output path), what pipeline.load keeps between
# rebuilds (parsed items, the lint's readings) and the rendered pages (render.py's memo).
_PREVIEW: dict = {"serving": False, "last_good": None, "pages": {}, "stamp": "", "loaded": {}, "rendered": {}}


def _unmodified() -> bool:
    return False


def shared_stamp(theme_data: dict, root: Path) -> str:
    """A digest of what every page shows besides its own text: the theme's data (help bar, error
    banner, footer links), the theme's files and mkdocs.yml. When it changes, every page is rebuilt.

    The build's moment (`as_of`) is left out: it moves on every rebuild of a preview of "now", no
    template prints it, and what it changes (statuses, lists) changes the generated pages themselves.
    """
    shared = {k: v for k, v in theme_data.items() if k != "as_of"}
    stamp = hashlib.sha256(json.dumps(shared, sort_keys=True, default=str).encode())
    stamp.update(files_stamp(root / "theme").encode())
    stamp.update(str((root / "mkdocs.yml").stat().st_mtime_ns).encode())
    return stamp.hexdigest()


class CheckedAsset(File):
    """An image from content/assets/, published with the bytes validation accepted (assets.write_asset)."""

    asset: AssetFile

    @classmethod
    def of(cls, config, asset: AssetFile) -> CheckedAsset:
        root = Path(config.config_file_path).parent
        file = cls.generated(config, asset.uri, abs_src_path=str(root / asset.path))
        file.asset, file.root = asset, root
        return file

    def copy_file(self, dirty: bool = False) -> None:
        if not (dirty and not self.is_modified()):
            write_asset(self.root, self.asset, self.abs_dest_path)


class SpotlightConfig(Config):
    as_of = c.Optional(c.Type(str))
    drafts = c.Type(bool, default=False)
    timezone = c.Type(str, default="UTC")
    help_label = c.Type(str, default="")
    help_href = c.Type(str, default="")
    quick_exit_url = c.Type(str, default="https://www.bbc.co.uk/weather")
    page_size = c.Type(int, default=48)
    emergency_numbers = c.Type(list, default=[])


# Free pages the theme links from every page's footer, in this order, when they exist.
FOOTER_PAGES = ("about", "staying-safe-online", "privacy", "editorial-policy")
SAFETY_PAGE = "staying-safe-online"
# Material's scripts (bundle, search worker, lunr languages): theme/main.html does not load them.
UNUSED_THEME_ASSETS = ("assets/javascripts/",)


def theme_links(content: Content) -> dict:
    """Links the theme needs on every page; paths relative to the site root (the theme's `url` filter)."""
    pages = content.visible.get("page", {})
    return {
        "safety_url": f"{SAFETY_PAGE}/" if SAFETY_PAGE in pages else "",
        "footer_pages": [{"title": pages[slug].data["title"], "url": f"{slug}/"} for slug in FOOTER_PAGES if slug in pages],
    }


def _empty(content: Content, settings: Settings) -> Content:
    """A hub with nothing in it (and its site map), shown by `serve` until the content has no errors."""
    empty = Content(content.moment, content.drafts, settings, {k: {} for k in content.all}, {k: {} for k in content.all})
    empty.site = SiteMap.build(empty)
    return empty


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
    """Loads and validates the content, then hands MkDocs one generated file per output."""

    def __init__(self) -> None:
        super().__init__()
        self.preloaded: Content | None = None  # set by pipeline.py, which has validated already
        self.content: Content | None = None
        self._saved_epoch: str | None = None
        self.errors: list[str] = []
        # Spotlight's finished pages by name, until MkDocs has taken each one's HTML.
        self.pages: dict[str, Page] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs makes a new plugin for every rebuild of `serve`, so the preview state is the module's.
        _PREVIEW["serving"] = command == "serve"

    def settings(self, config) -> Settings:
        options = {k: self.config[k] for k in ("timezone", "help_label", "help_href", "quick_exit_url", "page_size", "emergency_numbers")}
        return from_options(options, config.site_name, config.site_url or "")

    def moment(self, settings: Settings) -> datetime:
        text = self.config.as_of or os.environ.get("SPOTLIGHT_AS_OF")
        if text:
            return parse_as_of(text, settings.tz)
        return datetime.now(timezone.utc).replace(microsecond=0)

    def on_config(self, config):
        settings = self.settings(config)
        moment = self.moment(settings)
        if self.preloaded is None:
            root = Path(config.config_file_path).parent
            # `mkdocs build` and `serve` run the pipeline's first stages here: load, validate,
            # site map, review (pipeline.load); build.py has run them before MkDocs starts.
            content, report = load(root, moment, self.config.drafts or os.environ.get("SPOTLIGHT_DRAFTS") == "1",
                                   settings=settings, cache=_PREVIEW["loaded"] if _PREVIEW["serving"] else None)
            for warning in report.warnings:
                log.warning(warning.text())
            errors = [d.text() for d in report.errors]
            if errors and not _PREVIEW["serving"]:
                raise PluginError("Spotlight found content errors:\n" + "\n".join(errors))
            if errors:
                # `serve` keeps running: the terminal and every page show the errors over the
                # last version without errors (or an empty hub), and the next save rebuilds.
                for line in errors:
                    log.error(line)
                content = _PREVIEW["last_good"] or _empty(content, settings)
            else:
                _PREVIEW["last_good"] = content
            self.content = content
            self.errors = errors
        else:
            self.content = self.preloaded
        # Each page reaches MkDocs as empty Markdown (its HTML goes in at on_page_content): no
        # extension has anything to do, and MkDocs would still set each one up for every page.
        config.markdown_extensions, config.mdx_configs = [], {}
        # Dates MkDocs writes (sitemap lastmod, gzip headers) follow the build's moment, not the clock.
        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(self.content.moment.timestamp()))
        config.extra["spotlight"] = {
            "help_label": settings.help_label,
            "help_href": settings.help_href,
            "quick_exit_url": settings.quick_exit_url,
            "drafts": self.content.drafts,
            "as_of": self.content.moment.isoformat(),
            # The theme puts the policy in every page's <meta>; _headers sends it too.
            # `serve` injects MkDocs' inline live-reload script; only that local preview allows it.
            "csp": CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") if _PREVIEW["serving"] else CSP,
            "errors": self.errors,
            **theme_links(self.content),
        }
        return config

    def on_files(self, files: Files, config) -> Files:
        assert self.content is not None
        # Nothing is copied from content/ as it is: the theme's own files, then only the images
        # that validation accepted (assets.py). Material's JavaScript is never loaded by the theme.
        kept = Files([f for f in files if f.src_dir != config.docs_dir and not f.src_uri.startswith(UNUSED_THEME_ASSETS)])
        for asset in self.content.assets:
            kept.append(CheckedAsset.of(config, asset))
        renderer = Renderer(self.content, memo=_PREVIEW["rendered"] if _PREVIEW["serving"] else None)
        pages = renderer.render_all()
        for page in pages:
            # MkDocs gets an empty Markdown file per page, so it parses nothing: the page's HTML
            # goes in at on_page_content, and its title and data at on_page_markdown.
            self.pages[page.src_uri] = page
            kept.append(File.generated(config, page.src_uri, content=""))
        for generated in render_outputs(renderer, [page.src_uri for page in pages]):
            kept.append(File.generated(config, generated.src_uri, content=generated.content))
        if _PREVIEW["serving"]:
            self._skip_unchanged(kept, config)
        else:
            # Every page and output now exists as text: the parsed content is not needed again,
            # and MkDocs is about to hold every page in memory at once.
            self.content = self.preloaded = None
        return kept

    def _skip_unchanged(self, files: Files, config) -> None:
        """`serve` only: MkDocs rebuilds just the pages whose generated text changed since the last build.

        `serve` runs MkDocs' dirty builds; a page counts as modified when its Markdown, or anything
        every page shows (the theme, mkdocs.yml, the help bar and error banner data), changed.
        Pages that no longer exist are removed from the preview's folder.
        """
        stamp = shared_stamp(config.extra.get("spotlight", {}), Path(config.config_file_path).parent)
        previous: dict[str, tuple[str, str]] = _PREVIEW["pages"] if _PREVIEW["stamp"] == stamp else {}
        current: dict[str, tuple[str, str]] = {}
        for file in files:
            if file.abs_src_path is not None:
                continue  # theme assets: MkDocs compares their times itself
            page = self.pages.get(file.src_uri)
            content = repr(page).encode() if page is not None else file.content_bytes
            digest = hashlib.sha256(content).hexdigest()
            current[file.src_uri] = (digest, file.abs_dest_path)
            if previous.get(file.src_uri, ("", ""))[0] == digest:
                file.is_modified = _unmodified  # type: ignore[method-assign]
        if previous:
            pages = [f for f in files if f.abs_src_path is None and f.src_uri.endswith(".md")]
            changed = sum(1 for f in pages if f.is_modified is not _unmodified)
            log.info(f"Spotlight: rebuilding {changed} of {len(pages)} pages (the others are unchanged)")
        for src_uri, (_, dest) in previous.items():
            if src_uri not in current and os.path.isfile(dest):
                os.remove(dest)
        _PREVIEW["pages"], _PREVIEW["stamp"] = current, stamp

    def on_env(self, env, config, files):
        # MkDocs makes a new theme environment for every build; in `serve` that recompiled the
        # theme's templates on every save. Compiled code is shared (keyed by each source's checksum).
        env.bytecode_cache = TEMPLATE_CACHE
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
        if self._saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch

    def on_serve(self, server, config, builder):
        root = Path(config.config_file_path).parent
        for folder in ("creators", "theme"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        server.watch(str(Path(__file__).parent / "templates"))
        if os.environ.get("SPOTLIGHT_POLL") != "1":
            native_watcher(server)
        return server


def native_watcher(server) -> None:
    """Let `serve` hear of a save at once, from the system's file events (inotify on Linux).

    MkDocs looks at every watched file every half second, so a rebuild started on average a
    quarter of a second after the save. Where native events cannot be had (the system's limit
    on watches, say), it keeps polling.
    `serve --poll` keeps polling for folders whose events never arrive (network drives, some
    container mounts). Uses MkDocs' record of watched paths (mkdocs is pinned below 2).
    """
    from watchdog import events  # noqa: PLC0415 - only `serve` needs watchdog
    from watchdog.observers import Observer  # noqa: PLC0415
    from watchdog.observers.polling import PollingObserver  # noqa: PLC0415

    CHANGE_EVENTS = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
                     events.FileMovedEvent, events.FileClosedEvent]

    class StartedObserver(Observer):  # type: ignore[misc,valid-type]
        """Started here, to learn at once whether native events work; MkDocs' start() is then a no-op."""

        def start(self) -> None:
            if not self.is_alive():
                super().start()

        def schedule(self, event_handler, path, *, recursive=False, **kwargs):
            # Changes only: native events also report files being opened and read, and every
            # build reads the watched files, so a build would start the next one for ever.
            kwargs.setdefault("event_filter", CHANGE_EVENTS)
            return super().schedule(event_handler, path, recursive=recursive, **kwargs)

    watched = dict(server._watched_paths)
    polling_every = server.observer.timeout

    def watch_all(observer) -> None:
        # The observer MkDocs made has not started: it is dropped with the watches it holds.
        server._watched_paths, server._watch_refs = {}, {}
        server.observer = observer
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)

    native = StartedObserver()
    try:
        native.start()
        watch_all(native)  # schedule() starts each watch at once, so a failure shows here
    except OSError as err:
        log.warning(f"Spotlight: no native file events ({err}); looking for changes every {polling_every} s")
        native.stop()
        watch_all(PollingObserver(timeout=polling_every))
