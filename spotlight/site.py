"""The site map: every URL of the site and what it shows, built once from the validated content.

MkDocs computes each file's URL in one place (structure/files.py); so does Spotlight, here.
The map is built after validation and before the review; the review's link checks, reserved
slugs, views, the renderer, search index, sitemap and feeds ask it. Each URL shows an item's
page (kind, slug), a generated page (a name such as 'creators-directory', with a group key
and a page number for listings) or a non-page output (feed.xml, api/*.json, assets).

What the site can hold is declared once, in SECTIONS and SITE_ROUTES: a section is a folder
of item pages with its listing (`/creators/`), and may be paginated (`/creators/page/2/`) or
grouped (`/creators/language/es/`). Each page's entry names the template that renders it and
its arguments (item, page number, group key); the renderer iterates the map's pages. A new
section is one Section(...) line plus its template: its pages are then rendered, its URLs exist
for link checks, it iterates into the sitemap, search and API, and its names are reserved,
because every one of those asks this map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from math import ceil
from posixpath import splitext
from typing import Any, Callable, Iterable, Iterator

from .diagnostics import Report
from .models import KINDS, Item
from .schedule import as_moment

PAGE_KIND = "page"  # free pages live at the top: /about/


@dataclass(frozen=True)
class Group:
    """A listing per key under a section: /creators/language/<tag>/ for each language."""

    name: str  # the URL segment, and the generated page's name: 'language'
    keys: Callable[[Item], Iterable[str]]  # the keys an item is listed under
    title: str  # what a person calls one of these pages


@dataclass(frozen=True)
class Section:
    """A folder of the site: its listing page at /<folder>/ and, when `kind` is set, one page
    per item of that kind at /<folder>/<slug>/."""

    folder: str
    listing: str  # the generated page at /<folder>/: 'creators-directory'
    title: str  # what a person calls the listing
    kind: str | None = None
    paginated: bool = False  # /<folder>/page/<n>/ from page 2 on (settings.page_size per page)
    groups: tuple[Group, ...] = ()
    item_files: tuple[str, ...] = ()  # outputs beside each item page: ('.ics',) -> /events/<slug>.ics
    api: bool = False  # /api/<folder>.json and its schema
    # The order the listing shows the items in, which the sitemap, feeds and API keep too:
    # a sort key of (item, the site's time zone); newest first when `reverse`.
    order: Callable[[Item, tzinfo], Any] = lambda item, tz: (str(item.title).casefold(), item.slug)
    reverse: bool = False
    template: str = ""  # the listing's template, pages/<template>.html.j2; "" : the folder's name
    heading: str = ""  # the listing's heading; "": the folder's name, capitalised

    @property
    def listing_template(self) -> str:
        return self.template or self.folder

    @property
    def listing_heading(self) -> str:
        return self.heading or self.folder.replace("-", " ").capitalize()


def _languages(item: Item) -> list[str]:
    return [tag.lower() for tag in item.get("languages", [])]


# Orders take any item: the map of content with errors (for the review, and `serve`'s banner)
# holds items whose fields failed; those go last, by slug.

def _moment(value: Any, tz: tzinfo) -> datetime | None:
    if not isinstance(value, date) or (isinstance(value, datetime) and value.tzinfo is None):
        return None
    return as_moment(value, tz=tz)


def _by_start(item: Item, tz: tzinfo) -> tuple:
    starts = _moment(item.get("starts"), tz)
    return (0, starts, item.slug) if starts is not None else (1, item.slug)


def _by_date(item: Item, tz: tzinfo) -> tuple:
    when = _moment(item.get("date"), tz)
    return (1, when, item.slug) if when is not None else (0, item.slug)  # newest first: reversed


def _by_name(item: Item, tz: tzinfo) -> tuple:  # noqa: ARG001 - an order's signature
    return str(item.get("name") or "").casefold(), item.slug


# In the order the site lists them; SITE_ROUTES' pages come first and last (see SiteMap.build).
SECTIONS: tuple[Section, ...] = (
    Section("creators", "creators-directory", "creators directory", kind="creator", paginated=True,
            groups=(Group("language", _languages, "listings by language"),), api=True, order=_by_name),
    Section("topics", "topics", "topics list", kind="topic"),
    Section("organizations", "organizations", "organizations list", kind="organization", api=True),
    Section("resources", "resources", "resources list", kind="resource", api=True),
    Section("campaigns", "campaigns", "campaigns list", kind="campaign", order=_by_start),
    Section("events", "events", "events list", kind="event", item_files=(".ics",), api=True, order=_by_start),
    Section("updates", "updates", "updates list", kind="update", order=_by_date, reverse=True),
)


@dataclass(frozen=True)
class Route:
    """A page or output the site always has, whatever the content."""

    name: str
    url: str
    title: str
    src: str = ""  # the file the engine builds a page from; "" for outputs and the engine's own pages
    page: bool = True
    template: str = ""  # pages/<template>.html.j2 renders it; "" for outputs and the engine's own pages


# Pages and outputs outside the sections. `before`: listed before the sections, the rest after.
SITE_ROUTES: tuple[Route, ...] = (
    Route("home", "/", "home page", "index.md", template="home"),
    Route("get-help", "/get-help/", "Get help page", "get-help.md", template="get-help"),
    Route("search", "/search/", "search page", "search.md", template="search"),
    Route("404", "/404.html", "page for missing addresses"),  # the theme's (Material's 404.html)
    Route("feed", "/feed.xml", "Atom feed of updates", page=False),
    Route("calendar", "/events.ics", "calendar of events", page=False),
    Route("search-index", "/search/search_index.json", "search index", page=False),
    Route("sitemap", "/sitemap.xml", "sitemap", page=False),
    Route("robots", "/robots.txt", "robots.txt", page=False),
    Route("headers", "/_headers", "security headers file", page=False),
    Route("api-index", "/api/index.json", "API index", page=False),
    Route("api-index-schema", "/api/schema/index.schema.json", "API index schema", page=False),
)
# Routes listed before the sections (the rest follow the free pages), as the site lists them.
_LEADING = ("home", "get-help")
# Folders other outputs share: the theme's and the editors' files are published under /assets/.
ASSETS = "/assets/"


@dataclass(frozen=True)
class Entry:
    """One URL of the site and what it shows."""

    url: str  # site-absolute: '/creators/maya-torres/', '/creators/page/2/', '/feed.xml'
    name: str  # an item page: its kind ('creator'); else the generated page's or output's name
    item: Item | None = None
    key: str = ""  # a grouped listing's key: the language tag of /creators/language/es/
    number: int = 1  # a paginated listing's page number
    src: str = ""  # the file the engine builds the page from ('creators/page/2.md'); "" if none
    page: bool = True  # an HTML page (in the sitemap) or another output
    template: str = ""  # what renders it: pages/<template>.html.j2 ('creators', 'creator'); "" if not Spotlight
    section: str = ""  # the folder of the section it is in: 'creators'
    pages: int = 1  # how many pages its listing has (a paginated listing's 'page 2 of 3')

    @property
    def listing_url(self) -> str:
        """A listing's first page: /creators/language/es/ for /creators/language/es/page/2/."""
        return self.url if self.number == 1 else self.url.removesuffix(f"page/{self.number}/")

    @property
    def path(self) -> str:
        """The file the URL is served from, inside the built site: creators/page/2/index.html."""
        return url_path(self.url)


def url_path(url: str) -> str:
    """The built file behind a site-absolute URL (directory URLs): /a/b/ -> a/b/index.html."""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


def section_of(kind: str, sections: Iterable[Section] = SECTIONS) -> Section | None:
    return next((s for s in sections if s.kind == kind), None)


def item_url(kind: str, slug: str, sections: Iterable[Section] = SECTIONS) -> str:
    """Site-absolute address of an item's page: /about/, /creators/maya-torres/."""
    if kind == PAGE_KIND:
        return f"/{slug}/"
    section = section_of(kind, sections)
    if section is None:
        raise KeyError(f"no section shows {kind} items")
    return f"/{section.folder}/{slug}/"


def item_src(kind: str, slug: str, sections: Iterable[Section] = SECTIONS) -> str:
    """The file the engine builds an item's page from: about.md, creators/maya-torres.md."""
    return item_url(kind, slug, sections).strip("/") + ".md"


@dataclass(frozen=True)
class Reserved:
    """A name an item's slug may not take, because a generated URL holds it."""

    name: str
    url: str  # an example of the generated URL
    title: str  # what a person calls what is there


@dataclass
class SiteMap:
    """Every URL of the site, in the order the site lists them, and what each shows."""

    sections: tuple[Section, ...]
    page_size: int
    entries: dict[str, Entry] = field(default_factory=dict)
    _by_item: dict[tuple[str, str], Entry] = field(default_factory=dict, repr=False)
    _refused: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @classmethod
    def build(cls, content, report: Report | None = None, sections: Iterable[Section] | None = None) -> SiteMap:
        """The map of what `content` (validated: content.visible) publishes. An item whose slug
        a generated URL holds is an error in `report`, and left off the map. `sections`: SECTIONS."""
        site = cls(tuple(SECTIONS if sections is None else sections), max(1, content.settings.page_size))
        site._refused = check_slugs(site, content, report or Report())
        routes = {r.name: r for r in SITE_ROUTES}
        for name in _LEADING:
            site._add_route(routes[name])
        for section in site.sections:
            site._add_section(content, section, content.settings.tz)
        for section in site.sections:
            if section.api:
                site._add(Entry(f"/api/{section.folder}.json", "api", key=section.folder, page=False))
                site._add(Entry(f"/api/schema/{section.folder}.schema.json", "api-schema", key=section.folder,
                                page=False))
        for item in _by_title(content.visible.get(PAGE_KIND, {}).values()):
            site._add_item(item)
        for route in SITE_ROUTES:
            if route.name not in _LEADING:
                site._add_route(route)
        for asset in getattr(content, "assets", []):
            site._add(Entry("/" + asset.uri, "asset", page=False))
        return site

    # -- building -------------------------------------------------------------------------

    def _add(self, entry: Entry) -> None:
        # Reserved names keep items off generated URLs (check_slugs), so a clash here is a bug.
        assert entry.url not in self.entries, f"two things at {entry.url}"
        self.entries[entry.url] = entry
        if entry.item is not None:
            self._by_item[(entry.item.kind, entry.item.slug)] = entry

    def _add_route(self, route: Route) -> None:
        self._add(Entry(route.url, route.name, src=route.src, page=route.page, template=route.template))

    def _add_item(self, item: Item, section: Section | None = None) -> None:
        if (item.kind, item.slug) in self._refused:
            return
        self._add(Entry(self.url_for(item), item.kind, item=item, src=item_src(item.kind, item.slug, self.sections),
                        template=item.kind, section=section.folder if section is not None else ""))

    def _add_listing(self, section: Section, base: str, name: str, count: int, key: str = "") -> None:
        """A listing at `base` ('creators/'), over as many pages as `count` items fill."""
        pages = max(1, ceil(count / self.page_size))
        for number in range(1, pages + 1):
            url = f"/{base}" if number == 1 else f"/{base}page/{number}/"
            src = f"{base}index.md" if number == 1 else f"{base}page/{number}.md"
            self._add(Entry(url, name, key=key, number=number, src=src, template=section.listing_template,
                            section=section.folder, pages=pages))

    def _add_section(self, content, section: Section, tz: tzinfo) -> None:
        items = sorted(content.visible.get(section.kind, {}).values(), key=lambda i: section.order(i, tz),
                       reverse=section.reverse) if section.kind else []
        base = f"{section.folder}/"
        self._add_listing(section, base, section.listing, len(items) if section.paginated else 0)
        for group in section.groups:
            members: dict[str, int] = {}
            for item in items:
                for key in dict.fromkeys(group.keys(item)):
                    members[key] = members.get(key, 0) + 1
            for key in sorted(members):
                self._add_listing(section, f"{base}{group.name}/{key}/", group.name,
                                  members[key] if section.paginated else 0, key)
        for item in items:
            self._add_item(item, section)
        for item in items:
            for suffix in section.item_files:
                self._add(Entry(f"/{section.folder}/{item.slug}{suffix}", f"{item.kind}{suffix}", page=False,
                                key=item.slug))

    # -- questions ------------------------------------------------------------------------

    def url_for(self, item: Item) -> str:
        """An item's address, whether or not it is published as of the build's moment."""
        return item_url(item.kind, item.slug, self.sections)

    def src_for(self, item: Item) -> str:
        return item_src(item.kind, item.slug, self.sections)

    def entry_for(self, item: Item) -> Entry | None:
        """The item's published page, or None when it is not published as of the build's moment."""
        return self._by_item.get((item.kind, item.slug))

    def lookup(self, url: str) -> Entry | None:
        """What the site shows at a site-absolute URL; '/creators' is read as '/creators/'."""
        url = normal_url(url)
        return self.entries.get(url)

    def exists(self, url: str) -> bool:
        """Whether a link to `url` lands on something the site publishes. Everything under
        /assets/ counts: the theme's files are published there too (the review checks editors'
        images on disk)."""
        url = normal_url(url)
        return url in self.entries or url.startswith(ASSETS)

    def path_for(self, url: str) -> str | None:
        """The built file behind a URL of the site, or None when the site has no such URL."""
        entry = self.lookup(url)
        return entry.path if entry is not None else None

    def pages(self) -> Iterator[Entry]:
        """HTML pages in the order the site lists them (sitemap, search)."""
        return (e for e in self.entries.values() if e.page)

    def outputs(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if not e.page)

    def section(self, folder: str) -> Section:
        return next(s for s in self.sections if s.folder == folder)

    def listed(self, kind: str) -> list[Item]:
        """The published items of a kind, in the order their section lists them (Section.order)."""
        return [e.item for e in self.entries.values() if e.item is not None and e.name == kind]

    def items(self, kind: str) -> list[Item]:
        """The published items of a kind, by slug."""
        return sorted((e.item for e in self.entries.values() if e.item is not None and e.name == kind),
                      key=lambda i: i.slug)

    def urls(self) -> list[str]:
        return list(self.entries)

    # -- reserved names -------------------------------------------------------------------

    def reserved_top(self) -> dict[str, Reserved]:
        """Names a free page (/<slug>/) may not take: the first segment of every URL the site
        generates, and its stem (a page 'feed' beside /feed.xml, 'index' beside index.md)."""
        out: dict[str, Reserved] = {}
        for route in SITE_ROUTES:
            first = route.url.strip("/").split("/")[0]
            for name in (first, splitext(first)[0], splitext(route.src)[0]):
                if name and not splitext(name)[1]:  # a slug has no dot: '404', never '404.html'
                    out.setdefault(name, Reserved(name, route.url, route.title))
        for section in self.sections:
            out.setdefault(section.folder, Reserved(section.folder, f"/{section.folder}/", section.title))
        if any(s.api for s in self.sections):
            out.setdefault("api", Reserved("api", "/api/index.json", "API"))
        out.setdefault("assets", Reserved("assets", ASSETS, "folder of images, styles and scripts"))
        # The form editor's address (editor.py), kept even where a hub turns the editor off.
        out.setdefault("admin", Reserved("admin", "/admin/", "form editor"))
        return out

    def reserved_in(self, section: Section) -> dict[str, Reserved]:
        """Names an item of `section` may not take: the generated folders inside the section."""
        out: dict[str, Reserved] = {}
        if section.paginated:
            out["page"] = Reserved("page", f"/{section.folder}/page/2/", f"{section.title}'s pages 2 and on")
        for group in section.groups:
            out[group.name] = Reserved(group.name, f"/{section.folder}/{group.name}/", f"{section.title}'s {group.title}")
        return out

    def reserved_for(self, kind: str) -> dict[str, Reserved]:
        if kind == PAGE_KIND:
            return self.reserved_top()
        section = section_of(kind, self.sections)
        return self.reserved_in(section) if section is not None else {}


def normal_url(url: str) -> str:
    """A site-absolute URL as the map keys it: a path without a file suffix ends with '/'."""
    if not url.startswith("/"):
        url = "/" + url
    last = url.rsplit("/", 1)[1]
    if last and not splitext(last)[1] and last != "_headers":
        url += "/"
    return url


def check_slugs(site: SiteMap, content, report: Report) -> set[tuple[str, str]]:
    """No item, published or not, may take a name the site generates a URL under: the items
    that do, as (kind, slug)."""
    refused: set[tuple[str, str]] = set()
    for kind in KINDS:
        reserved = site.reserved_for(kind)
        for item in content.all.get(kind, {}).values():
            taken = reserved.get(item.slug)
            if taken is not None:
                where = "on the site" if kind == PAGE_KIND else f"under /{section_of(kind, site.sections).folder}/"
                report.error(item.path, 1, "slug",
                             f"'{item.slug}' is a reserved address {where}, taken by the {taken.title} ({taken.url})",
                             "rename the file")
                refused.add((kind, item.slug))
    return refused


def _by_title(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (str(i.title).casefold(), i.slug))
