"""Turn validated content into finished HTML pages (Jinja2 templates, StrictUndefined) and files."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import crisis, views
from .body import Heading, render_body
from .diagnostics import ContentError, Diagnostic
from .models import Item
from .sanitize import page_url, relative_links
from .schedule import as_moment, campaign_span, campaign_status, event_is_upcoming, event_status
from .site import Entry
from .state import BuildState, Rendered, Unrecordable, digest, folder_digest, versions
from .validate import Content

# The site's image (theme/assets/spotlight/share.png): link previews and updates' JSON-LD show it.
SHARE_IMAGE = "/assets/spotlight/share.png"
STATUS_LABELS = {"upcoming": "Coming soon", "live": "Happening now", "ended": "Ended"}
EVENT_LABELS = {"upcoming": "Upcoming", "live": "Happening now", "ended": "Ended"}


def clock_status(state: str, labels: dict[str, str], starts: datetime, over: datetime) -> dict:
    """A status that the reader's browser keeps right between builds (theme/assets/spotlight/status.js,
    the `clock_status` macro): the build's state and label (the text without JavaScript), each
    state's label, the start and the first moment it is over."""
    return {"state": state, "label": labels[state], "labels": labels, "starts": starts.isoformat(),
            "over": over.isoformat()}


@dataclass
class Generated:
    """A finished file the engine publishes as it is: feed, calendar, JSON, robots.txt..."""

    src_uri: str
    content: str | bytes
    is_page: bool = False


@dataclass(frozen=True)
class Page:
    """A generated page, finished: its HTML is made and made safe here; an engine only wraps it
    in the site's theme (header, navigation, footer) and writes it at its address."""

    src_uri: str  # the page's name, as mkdocs.yml's nav names it: "about.md", "creators/index.md"
    title: str  # plain text, for <title> and link previews
    description: str  # plain text
    html: str  # the page's main content; site links are relative to `url`
    headings: tuple[Heading, ...] = ()  # headings of the editor's body, for a table of contents
    og_type: str = "website"
    jsonld: str | None = None  # JSON-LD text, safe inside <script type="application/ld+json">
    warnings: tuple[str, ...] = ()  # content-warning terms of the page's item and its topics
    draft: bool = False  # the page shows an unpublished draft (builds with --drafts only)
    search: bool = True  # False: search engines and site search leave it out
    template: str | None = None  # the theme's template for it instead of the default (search.html)
    # Its link-preview image: (site path, width, height, alt) of the item's avatar or logo;
    # None: the hub's share image (images.py).
    image: tuple[str, int, int, str] | None = None

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


@dataclass
class Pagination:
    number: int
    count: int
    base: str

    def url(self, n: int) -> str:
        return self.base if n == 1 else f"{self.base}page/{n}/"


class _MemoryStore(dict):
    """What MemcachedBytecodeCache needs of a client: get and set."""

    def set(self, key, value, timeout=None):  # noqa: ARG002 - memcached's signature
        self[key] = value


# Compiled templates, kept for the life of the process: `serve` makes a Renderer per rebuild,
# and compiling the templates again took a third of a rebuild. Keys include a checksum of the
# template's source, so an edited template is compiled afresh.
TEMPLATE_CACHE = jinja2.MemcachedBytecodeCache(_MemoryStore())


TEMPLATES = Path(__file__).parent / "templates"


def shared_digest(content: Content) -> str:
    """What every page's render reads besides its arguments: the settings, the page templates,
    Spotlight's code and the packages' versions (state.versions)."""
    return digest(repr(content.settings) + folder_digest(TEMPLATES) + json.dumps(versions(), sort_keys=True)
                  # an image's copies are named by its bytes, which a page's arguments do not show
                  + "".join(a.sha256 for a in content.assets))


class Renderer:
    def __init__(self, content: Content, state: BuildState | None = None, images: Any = None):
        """`state` (serve, and build with its cache) is the last build's record: a page is rendered
        again only when its arguments or the items it looked up are not the same as last time,
        and what each page read is recorded for the next build."""
        self.content = content
        self.state = state
        self.images = images  # images.Images: avatars' and logos' copies; None: pages show none
        self._last: dict[str, Rendered] = {}
        self._next: dict[str, Rendered] = {}
        if state is not None:
            shared = shared_digest(content)
            self._last = state.rendered if state.shared == shared else {}
            state.shared = shared
        self.tz = content.settings.tz
        self._creator_lists: dict | None = None  # the creators listings' shared lists, made once
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=TEMPLATE_CACHE,
        )
        self.env.filters.update({
            "url": views.item_url,
            "region_name": views.region_name,
            "language_name": views.language_name,
            "language_autonym": views.language_autonym,
            "platform_label": views.platform_label,
            "perspective_label": views.perspective_label,
            "resource_kind_label": views.resource_kind_label,
            "contact_href": views.contact_href,
            "contact_text": views.contact_text,
            "offsite": lambda contact: views.offsite_host(contact, self.content.settings.site_url),
            "warnings": lambda item: [views.warning_label(t) for t in self.warnings(item)],
            "topics": lambda item: self.refs(item, "topics", "topic"),
            "join_words": views.join_words,
            "day": self.day,
            "when": self.when,
            "picture": self.picture,
        })
        self._index()

    # -- lookups ------------------------------------------------------------------------------

    def _index(self) -> None:
        """Reverse references, built once so every list below is linear in the content."""
        c = self.content
        self.creators_by_topic: dict[str, list[Item]] = defaultdict(list)
        self.creators_by_org: dict[str, list[Item]] = defaultdict(list)
        self.creators_by_language: dict[str, list[Item]] = defaultdict(list)
        for creator in self.sorted_creators():
            for t in creator.get("topics", []):
                self.creators_by_topic[t].append(creator)
            for o in creator.get("organizations", []):
                self.creators_by_org[o].append(creator)
            for lang in creator.get("languages", []):
                self.creators_by_language[lang].append(creator)
        self.resources_by_topic: dict[str, list[Item]] = defaultdict(list)
        self.resources_by_org: dict[str, list[Item]] = defaultdict(list)
        for r in self.sorted_by_title("resource"):
            for t in r.get("topics", []):
                self.resources_by_topic[t].append(r)
            if r.get("organization"):
                self.resources_by_org[r.data["organization"]].append(r)
        self.orgs_by_topic: dict[str, list[Item]] = defaultdict(list)
        for o in self.sorted_by_title("organization"):
            for t in o.get("topics", []):
                self.orgs_by_topic[t].append(o)
        self.updates = sorted(c.items("update"), key=lambda u: (u.data["date"], u.slug), reverse=True)
        self.updates_by_topic: dict[str, list[Item]] = defaultdict(list)
        self.updates_by_campaign: dict[str, list[Item]] = defaultdict(list)
        for u in self.updates:
            for t in u.get("topics", []):
                self.updates_by_topic[t].append(u)
            if u.get("campaign"):
                self.updates_by_campaign[u.data["campaign"]].append(u)
        self.events = sorted(c.items("event"), key=lambda e: (e.data["starts"], e.slug))
        self.events_by_campaign: dict[str, list[Item]] = defaultdict(list)
        for e in self.events:
            if e.get("campaign"):
                self.events_by_campaign[e.data["campaign"]].append(e)
        self.campaigns_by_creator: dict[str, list[Item]] = defaultdict(list)
        self.partnerships_by_org: dict[str, list[dict]] = defaultdict(list)
        for camp in self.sorted_campaigns():
            for s in camp.get("spotlight", []):
                self.campaigns_by_creator[s].append(camp)
            for p in camp.get("partners", []):
                self.partnerships_by_org[p["organization"]].append({"campaign": camp, "contribution": p["contribution"]})

        # Names that items of different kinds share (an organisation and its helpline are both
        # "Samaritans"): those pages' titles say which is which, so every page's <title> differs.
        names = Counter(str(i.title).casefold() for kind in c.visible.values() for i in kind.values())
        self.shared_names = {name for name, count in names.items() if count > 1}

    def picture(self, item: Item):
        """The item's avatar or logo as pages show it (images.Picture), or None."""
        return self.images.of(item) if self.images is not None else None

    def title(self, item: Item) -> str:
        """The item's page title: its name, and what it is when another item has the same name."""
        if str(item.title).casefold() not in self.shared_names:
            return item.title
        what = views.resource_kind_label(item.data["kind"]).lower() if item.kind == "resource" else item.kind
        return f"{item.title} ({what})"

    def hub(self) -> dict:
        """The hub as schema.org sees it: the organisation that writes and publishes its pages."""
        settings = self.content.settings
        return {"@type": "Organization", "name": settings.site_name, "url": self.absolute("/"),
                "logo": {"@type": "ImageObject", "url": self.absolute(SHARE_IMAGE)}}

    def sorted_creators(self) -> list[Item]:
        return sorted(self.content.items("creator"), key=lambda i: (i.data["name"].casefold(), i.slug))

    def sorted_by_title(self, kind: str) -> list[Item]:
        return sorted(self.content.items(kind), key=lambda i: (str(i.title).casefold(), i.slug))

    def sorted_campaigns(self) -> list[Item]:
        return sorted(self.content.items("campaign"), key=lambda i: (as_moment(i.data["starts"], tz=self.tz), i.slug))

    def refs(self, item: Item, field_name: str, kind: str) -> list[Item]:
        value = item.get(field_name, [])
        slugs = value if isinstance(value, list) else [value]
        return [t for t in (self.content.get(kind, s) for s in slugs) if t is not None]

    def warnings(self, item: Item) -> list[str]:
        """The content-warning terms of the item's page and cards (views.warning_terms)."""
        topics = self.refs(item, "topics", "topic") if item.kind in views.INHERITS_TOPIC_WARNINGS else []
        return views.warning_terms(item, topics)

    # -- formatting ---------------------------------------------------------------------------

    def day(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            value = value.astimezone(self.tz).date()
        return f"{value.day} {value:%B %Y}"

    def when(self, value: datetime) -> str:
        local = value.astimezone(self.tz)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"

    # -- pages --------------------------------------------------------------------------------

    def page(self, src_uri: str, template: str, title: str, description: str, *, item: Item | None = None,
             og_type: str = "website", jsonld: Any = None, search: bool = True, theme_template: str | None = None,
             **context: Any) -> Page:
        arguments = (template, title, description, item, og_type, jsonld, search, theme_template, context)
        if self.state is None:
            return self._page(src_uri, *arguments)
        prints = self.state.prints
        last = self._last.get(src_uri)
        try:
            same = last is not None and last.arguments is not None and last.arguments == arguments
            inputs = last.inputs if same else prints.of(arguments)  # type: ignore[union-attr]
        except Unrecordable:
            inputs = ""  # rendered anew every time
        visible = self.content.visible
        if inputs and last is not None and last.inputs == inputs and all(
                prints.item(visible.get(kind, {}).get(slug)) == found
                for (kind, slug), found in last.lookups.items()):
            self._next[src_uri] = Rendered(last.inputs, last.lookups, last.page, arguments)
            return last.page
        self.content.lookups = {}
        try:
            page = self._page(src_uri, *arguments)
            if inputs:
                looked_up = {key: prints.item(found) for key, found in self.content.lookups.items()}
                self._next[src_uri] = Rendered(inputs, looked_up, page, arguments)
        finally:
            self.content.lookups = None
        return page

    def _page(self, src_uri: str, template: str, title: str, description: str, item: Item | None, og_type: str,
              jsonld: Any, search: bool, theme_template: str | None, context: dict) -> Page:
        warnings = self.warnings(item) if item is not None else []
        # The editor's body is rendered and sanitised on its own; the template, which is trusted, places it.
        body = _rendered_body(item, src_uri) if item is not None else None
        text = self.env.get_template(f"pages/{template}.html.j2").render(
            item=item, body=body.html if body is not None else Markup(""),
            warnings=[views.warning_label(w) for w in warnings],
            site_name=self.content.settings.site_name, **context)
        if jsonld is not None:
            # Inside <script type="application/ld+json">, "<" must not appear or "</script>" could end it.
            jsonld = (json.dumps(jsonld, ensure_ascii=False, sort_keys=True)
                      .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
        return Page(src_uri, title, description, relative_links(text, page_url(src_uri)),
                    headings=body.headings if body is not None else (), og_type=og_type, jsonld=jsonld,
                    warnings=tuple(warnings), draft=bool(item is not None and item.status == "draft"),
                    search=search, template=theme_template, image=self._share(item))

    def _share(self, item: Item | None) -> tuple[str, int, int, str] | None:
        picture = self.picture(item) if item is not None else None
        if picture is None:
            return None
        return (picture.original, *picture.original_size, picture.alt)

    def absolute(self, path: str) -> str:
        base = self.content.settings.site_url.rstrip("/")
        return f"{base}{path}" if base else path

    def render_all(self) -> list[Page]:
        """Every page the site map lists that Spotlight makes (the engine makes its own 404 page),
        each by the view its entry names, in the map's order."""
        out = [self.render(entry) for entry in self.content.site.pages() if entry.src]
        if self.state is not None:
            self.state.rendered = self._next  # pages that no longer exist drop out
            every = self.content.all
            self.state.prints.forget_others(lambda item: every.get(item.kind, {}).get(item.slug) is item)
        return out

    def render(self, entry: Entry) -> Page:
        """The page at one entry of the site map: the view named after its template gathers what
        the template shows; a template with no view of its own gets the generic one."""
        views_ = {
            "home": self.home, "get-help": self.get_help, "search": self.search_page,
            "creators": self.creators_listing, "creator": self.creator_page,
            "topics": self.topics_listing, "topic": self.topic_page,
            "organizations": self.organizations_listing, "organization": self.organization_page,
            "resources": self.resources_listing, "resource": self.resource_page,
            "campaigns": self.campaigns_listing, "campaign": self.campaign_page,
            "events": self.events_listing, "event": self.event_page,
            "updates": self.updates_listing, "update": self.update_page,
            "page": self.free_page,
        }
        view = views_.get(entry.template)
        if view is not None:
            return view(entry)
        return self.item_view(entry) if entry.item is not None else self.listing_view(entry)

    def campaign_view(self, camp: Item) -> dict:
        status = campaign_status(camp, self.content.moment, self.tz)
        return {"item": camp, "status": status, "status_label": STATUS_LABELS[status],
                "clock": clock_status(status, STATUS_LABELS, *campaign_span(camp, self.tz)),
                "spotlight": self.refs(camp, "spotlight", "creator")}

    def home(self, entry: Entry) -> Page:
        moment = self.content.moment
        campaigns = [self.campaign_view(c) for c in self.sorted_campaigns()]
        live = [c for c in campaigns if c["status"] == "live"] or [c for c in campaigns if c["status"] == "upcoming"][:1]
        if not live and campaigns:
            live = campaigns[-1:]
        settings = self.content.settings
        help_where, help_links = crisis.help_bar(self.content)
        return self.page(
            entry.src, entry.template, settings.site_name,
            f"{settings.site_name}: stories from mental-health creators, trusted organisations, and where to get help now.",
            live_campaigns=live, featured=self.sorted_creators()[:12], updates=self.updates[:5],
            events=[e for e in self.events if event_is_upcoming(e, moment)][:5],
            topics=self.sorted_by_title("topic"), help_where=help_where, help_links=help_links,
        )

    def get_help(self, entry: Entry) -> Page:
        """The primary region's lines first, then the others, then everywhere else (crisis.py)."""
        settings = self.content.settings
        primary, others = crisis.regions(self.content)
        worldwide = next((r.lines for r in others if r.code == crisis.ELSEWHERE), [])
        reach_out = [line for line in (primary.lines if primary is not None else []) if line.get("what_happens")]
        return self.page(entry.src, entry.template, "Get help now",
                         "Crisis lines by country, with numbers to call or text now, and what happens when you "
                         "reach out.",
                         primary=primary, regions=others, worldwide=worldwide, reach_out=reach_out,
                         emergency=settings.emergency_numbers or [], verify_every_days=settings.verify_every_days)

    def creators_listing(self, entry: Entry) -> Page:
        """/creators/ and /creators/language/<tag>/, a page of `page_size` creators each."""
        if self._creator_lists is None:
            by_topic = [(t, len(self.creators_by_topic[t.slug])) for t in self.sorted_by_title("topic")
                        if self.creators_by_topic[t.slug]]
            by_language = sorted(((tag, len(items)) for tag, items in self.creators_by_language.items()),
                                 key=lambda x: (-x[1], x[0]))
            self._creator_lists = {"by_topic": by_topic, "by_language": by_language}
            # A listing's key is the tag in lower case (site.py); its heading names the tag as written.
            self._by_language_key: dict[str, tuple[str, list[Item]]] = {}
            for tag, items in self.creators_by_language.items():
                first, listed = self._by_language_key.get(tag.lower(), (tag, []))
                if listed:  # 'en' and 'EN': one listing
                    items = sorted({id(c): c for c in listed + items}.values(),
                                   key=lambda i: (i.data["name"].casefold(), i.slug))
                self._by_language_key[tag.lower()] = (first, items)
        if entry.key:
            tag, creators = self._by_language_key[entry.key]
            name = views.language_name(tag)
            heading, description = f"Creators in {name}", f"Mental-health creators who create in {name}."
        else:
            creators = self.sorted_creators()
            heading, description = "Creators", "Mental-health creators featured on this hub, by topic and language."
        number, count = entry.number, entry.pages
        size = max(1, self.content.settings.page_size)
        title = heading if number == 1 else f"{heading} (page {number} of {count})"
        return self.page(entry.src, entry.template, title, description, heading=title,
                         intro=description if number == 1 else "",
                         creators=creators[(number - 1) * size: number * size],
                         pagination=Pagination(number, count, entry.listing_url),
                         search=number == 1, **self._creator_lists)

    def creator_page(self, entry: Entry) -> Page:
        c = entry.item
        jsonld = {"@context": "https://schema.org", "@type": "Person", "name": c.data["name"],
                  "alternateName": c.data["handle"], "description": c.data["summary"],
                  "url": self.absolute(views.item_url(c)),
                  "sameAs": [link["url"] for link in c.get("links", [])]}
        return self.page(entry.src, entry.template, self.title(c), c.data["summary"], item=c,
                         og_type="profile", jsonld=jsonld,
                         topics=self.refs(c, "topics", "topic"),
                         organizations=self.refs(c, "organizations", "organization"),
                         affiliations=[{"organization": o, "role": a["role"]} for a in c.get("affiliations", [])
                                       if (o := self.content.get("organization", a["organization"]))],
                         campaigns=self.campaigns_by_creator.get(c.slug, []))

    def topics_listing(self, entry: Entry) -> Page:
        topics = self.sorted_by_title("topic")
        return self.page(entry.src, entry.template, "Topics", "Mental-health topics covered on this hub.",
                         topics=[(t, len(self.creators_by_topic[t.slug])) for t in topics])

    def topic_page(self, entry: Entry) -> Page:
        t = entry.item
        return self.page(entry.src, entry.template, self.title(t), t.data["summary"], item=t,
                         creators=self.creators_by_topic[t.slug], resources=self.resources_by_topic[t.slug],
                         organizations=self.orgs_by_topic[t.slug], updates=self.updates_by_topic[t.slug][:10])

    def organizations_listing(self, entry: Entry) -> Page:
        return self.page(entry.src, entry.template, "Organizations",
                         "Partner and resource organizations featured on this hub.",
                         organizations=self.sorted_by_title("organization"))

    def organization_page(self, entry: Entry) -> Page:
        o = entry.item
        jsonld = {"@context": "https://schema.org", "@type": "Organization", "name": o.data["name"],
                  "description": o.data["summary"], "url": o.data["website"]}
        return self.page(entry.src, entry.template, self.title(o), o.data["summary"], item=o,
                         jsonld=jsonld, topics=self.refs(o, "topics", "topic"),
                         resources=self.resources_by_org[o.slug], creators=self.creators_by_org[o.slug],
                         partnerships=self.partnerships_by_org.get(o.slug, []))

    def resources_listing(self, entry: Entry) -> Page:
        resources = self.sorted_by_title("resource")
        kinds: dict[str, list[Item]] = defaultdict(list)
        regions: dict[str, list[Item]] = defaultdict(list)
        for r in resources:
            kinds[r.data["kind"]].append(r)
            for code in r.data["regions"]:
                regions[code].append(r)
        from .models import RESOURCE_KINDS  # noqa: PLC0415
        by_kind = [(k, label, kinds[k]) for k, label in RESOURCE_KINDS.items() if kinds[k]]
        by_region = sorted(((code, views.region_name(code), len(items)) for code, items in regions.items()),
                           key=lambda g: (g[0] == "global", g[1]))
        return self.page(entry.src, entry.template, "Resources",
                         "Helplines, text lines, guides and tools, by type and region.",
                         by_kind=by_kind, by_region=by_region, region_items=regions,
                         by_topic=[(t, len(self.resources_by_topic[t.slug])) for t in self.sorted_by_title("topic")
                                   if self.resources_by_topic[t.slug]])

    def resource_page(self, entry: Entry) -> Page:
        r = entry.item
        return self.page(entry.src, entry.template, self.title(r), r.data["summary"], item=r,
                         organization=self.content.get("organization", r.get("organization", "")) if r.get("organization") else None,
                         topics=self.refs(r, "topics", "topic"), verify_every_days=self.content.settings.verify_every_days)

    def campaigns_listing(self, entry: Entry) -> Page:
        return self.page(entry.src, entry.template, "Campaigns", "Awareness campaigns on this hub.",
                         campaigns=[self.campaign_view(c) for c in self.sorted_campaigns()])

    def campaign_page(self, entry: Entry) -> Page:
        v = self.campaign_view(entry.item)
        camp = v["item"]
        moment = self.content.moment
        events = self.events_by_campaign[camp.slug]
        jsonld = {"@context": "https://schema.org", "@type": "ItemList", "name": f"{camp.data['title']}: spotlight",
                  "itemListOrder": "https://schema.org/ItemListOrderAscending",
                  "itemListElement": [{"@type": "ListItem", "position": n + 1, "name": c.data["name"],
                                       "url": self.absolute(views.item_url(c))} for n, c in enumerate(v["spotlight"])]}
        partners = [{"organization": o, "contribution": p["contribution"]}
                    for p in camp.get("partners", []) if (o := self.content.get("organization", p["organization"]))]
        return self.page(entry.src, entry.template, self.title(camp), camp.data["summary"], item=camp,
                         jsonld=jsonld, status=v["status"], status_label=v["status_label"], clock=v["clock"],
                         spotlight=v["spotlight"], partners=partners,
                         resources=self.refs(camp, "resources", "resource"),
                         upcoming_events=[e for e in events if event_is_upcoming(e, moment)],
                         past_events=[e for e in events if not event_is_upcoming(e, moment)],
                         updates=self.updates_by_campaign[camp.slug])

    def events_listing(self, entry: Entry) -> Page:
        moment = self.content.moment
        upcoming = [e for e in self.events if event_is_upcoming(e, moment)]
        past = [e for e in reversed(self.events) if not event_is_upcoming(e, moment)]
        return self.page(entry.src, entry.template, "Events", "Upcoming and past trainings and live events.",
                         upcoming=upcoming, past=past)

    def event_page(self, entry: Entry) -> Page:
        e = entry.item
        moment = self.content.moment
        jsonld = {"@context": "https://schema.org", "@type": "Event", "name": e.data["title"],
                  "description": e.data["summary"], "startDate": e.data["starts"].isoformat(),
                  "endDate": e.data["ends"].isoformat(), "url": self.absolute(views.item_url(e))}
        if e.get("location"):
            online = e.data["location"].strip().lower() == "online"
            jsonld["eventAttendanceMode"] = "https://schema.org/" + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode")
            jsonld["location"] = ({"@type": "VirtualLocation", "url": e.get("registration_url") or self.absolute(views.item_url(e))}
                                  if online else {"@type": "Place", "name": e.data["location"]})
        return self.page(entry.src, entry.template, self.title(e), e.data["summary"], item=e,
                         og_type="website", jsonld=jsonld, past=not event_is_upcoming(e, moment),
                         clock=clock_status(event_status(e, moment), EVENT_LABELS, e.data["starts"], e.data["ends"]),
                         campaign=self.content.get("campaign", e.data["campaign"]) if e.get("campaign") else None)

    def updates_listing(self, entry: Entry) -> Page:
        return self.page(entry.src, entry.template, "Updates", "News and updates from the hub.", updates=self.updates)

    def update_page(self, entry: Entry) -> Page:
        u = entry.item
        # The hub writes and publishes its updates: author and publisher, with the site's image.
        jsonld = {"@context": "https://schema.org", "@type": "Article", "headline": u.data["title"],
                  "description": u.data["summary"], "datePublished": u.data["date"].isoformat(),
                  "url": self.absolute(views.item_url(u)), "image": [self.absolute(SHARE_IMAGE)],
                  "author": self.hub(), "publisher": self.hub()}
        return self.page(entry.src, entry.template, self.title(u), u.data["summary"], item=u,
                         og_type="article", jsonld=jsonld,
                         campaign=self.content.get("campaign", u.data["campaign"]) if u.get("campaign") else None,
                         creators=self.refs(u, "creators", "creator"), topics=self.refs(u, "topics", "topic"))

    def search_page(self, entry: Entry) -> Page:
        """/search/: runs in the reader's browser over MkDocs' search index (nothing is sent anywhere)."""
        # The form is the theme's (theme/search.html): page content is sanitised and may not hold forms.
        # The same lines, in the same order, as /get-help/ and the help bar (crisis.py).
        primary, _ = crisis.regions(self.content)
        _, help_links = crisis.help_bar(self.content)
        return self.page(entry.src, entry.template, "Search",
                         "Search the hub's creators, topics, resources and updates.",
                         search=False, theme_template="search.html", primary=primary, help_links=help_links)

    def free_page(self, entry: Entry) -> Page:
        p = entry.item
        # The editorial policy states the re-check interval from the setting `check` enforces,
        # so the promise and the check cannot drift apart.
        every = self.content.settings.verify_every_days if p.slug == POLICY_PAGE else None
        return self.page(entry.src, entry.template, self.title(p), p.get("summary") or p.data["title"], item=p,
                         verify_every_days=every)

    # -- a section declared with a template and no view of its own (site.SECTIONS) ---------------

    def listing_view(self, entry: Entry) -> Page:
        """A section's listing: its items in the section's order, `page_size` a page if paginated."""
        section = self.content.site.section(entry.section)
        items = self.content.site.listed(section.kind) if section.kind else []
        if section.paginated:
            size = max(1, self.content.settings.page_size)
            items = items[(entry.number - 1) * size: entry.number * size]
        heading = section.listing_heading
        title = heading if entry.pages == 1 else f"{heading} (page {entry.number} of {entry.pages})"
        return self.page(entry.src, entry.template, title, title, heading=title, items=items,
                         pagination=Pagination(entry.number, entry.pages, entry.listing_url),
                         search=entry.number == 1)

    def item_view(self, entry: Entry) -> Page:
        item = entry.item
        return self.page(entry.src, entry.template, str(item.title), item.get("summary") or str(item.title),
                         item=item)


# The free page (content/pages/<slug>.md) that states the hub's editorial policy.
POLICY_PAGE = "editorial-policy"


def render_pages(content: Content) -> list[Page]:
    return Renderer(content).render_all()


def _rendered_body(item: Item, src_uri: str):
    """render_body, with a body too deep for the renderer reported as the file's content error.

    body_limits refuses such bodies before the build starts; this is the second line of defence,
    so a shape it missed is still a message naming the file, never "internal error"."""
    try:
        return render_body(item.body, src_uri, item.path)
    except RecursionError:
        raise ContentError([Diagnostic(item.path, item.body_line, "body",
                                       "the body nests lists, quotes or HTML too deeply to be rendered",
                                       "flatten it: a page needs a few levels at most")]) from None
