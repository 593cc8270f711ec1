"""The hub's timeline: when each item is visible, the moments what readers see changes, and
the references that break at one of them.

An item is visible over one interval (schedule.why_hidden): from the later of its
`publish_at` and, for an update, its `date`, until its `expire_at`; a draft never (unless a
build shows drafts). Campaigns and events also start and end while visible (a date-only
campaign day begins and ends at midnight in the hub's time zone). `changes()` lists those
moments in order; `check_timeline()` checks every reference over the referrer's whole
interval up to the horizon, instead of validating the hub again at each moment: a
reference is broken exactly where the referrer's interval leaves the target's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Iterable

from .diagnostics import ConfigError, Report, did_you_mean
from .models import KINDS, Item
from .schedule import as_moment, consent_period
from .site import item_url
from .validate import check_repeats, note_unchecked

DEFAULT_HORIZON_DAYS = 366
MAX_HORIZON_DAYS = 36_600  # a hundred years: further, moments leave the dates Spotlight works with
# The order of changes at the same moment: what goes, then what comes.
CHANGES = ("disappears", "ends", "starts", "appears")


@dataclass(frozen=True)
class Window:
    """When an item is visible: from `start` (None: always was) until `end` (None: for ever)."""

    start: datetime | None
    end: datetime | None

    def __contains__(self, moment: datetime) -> bool:
        return (self.start is None or self.start <= moment) and (self.end is None or moment < self.end)

    @property
    def empty(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start


@dataclass(frozen=True)
class Change:
    """One moment at which what readers see changes."""

    at: datetime  # aware, in the hub's time zone
    change: str  # appears, disappears, starts, ends
    kind: str
    slug: str
    title: str
    path: str  # the item's file: content/updates/week-3.md
    url: str  # its page, site-absolute: /updates/week-3/

    def as_json(self) -> dict[str, str]:
        return {"at": self.at.isoformat(), "change": self.change, "kind": self.kind, "slug": self.slug,
                "title": str(self.title), "path": self.path, "url": self.url}


def _moment(value: Any, tz: tzinfo | None, end_of_day: bool = False) -> datetime | None:
    """A field's moment; a bare date is its day in the hub's zone (its end: the next midnight).
    None for a missing value or one that failed to parse."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if isinstance(value, date):
        day = value + timedelta(days=1) if end_of_day else value
        return as_moment(day, tz=tz)
    return None


def window(item: Item, drafts: bool = False, consent: bool = True) -> Window | None:
    """When `item` is visible (schedule.why_hidden, as an interval), or None if never. With
    `consent` False, a creator's consent period (schedule.consent_period) is left out."""
    if item.status == "draft" and not drafts:
        return None
    given, lapses = consent_period(item) if consent and item.kind == "creator" else (None, None)
    starts = [m for m in (_moment(item.data.get("publish_at"), None),
                          _moment(item.data.get("date"), None) if item.kind == "update" else None, given) if m]
    start = max(starts) if starts else None
    ends = [m for m in (_moment(item.data.get("expire_at"), None), lapses) if m]
    # An item that expires before it appears is never visible: an empty window, not None.
    return Window(start, min(ends) if ends else None)


def changes(items: Iterable[Item], after: datetime, tz: tzinfo, until: datetime | None = None,
            drafts: bool = False) -> list[Change]:
    """Every change strictly after `after` (and not after `until`), in order: items appearing
    and disappearing, and campaigns and events starting and ending while they are visible."""
    out: list[Change] = []

    def add(at: datetime | None, change: str, item: Item) -> None:
        if at is not None and at > after and (until is None or at <= until):
            out.append(Change(at.astimezone(tz), change, item.kind, item.slug, item.title, item.path,
                              item_url(item.kind, item.slug)))

    for item in items:
        visible = window(item, drafts)
        if visible is None or visible.empty:
            continue
        add(visible.start, "appears", item)
        add(visible.end, "disappears", item)
        if item.kind in ("campaign", "event"):
            for field_name, change, end_of_day in (("starts", "starts", False), ("ends", "ends", True)):
                at = _moment(item.data.get(field_name), tz, end_of_day and item.kind == "campaign")
                if at is not None and at in visible and at != visible.start:
                    add(at, change, item)
    return sorted(out, key=lambda c: (c.at, CHANGES.index(c.change), c.path))


def horizon(settings, moment: datetime) -> datetime:
    """The last moment `check` looks at: settings' check_horizon_days after `moment`."""
    days = getattr(settings, "check_horizon_days", DEFAULT_HORIZON_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_HORIZON_DAYS:
        raise ConfigError(f"mkdocs.yml: check_horizon_days: '{days}' is not a number of days from 0 to "
                          f"{MAX_HORIZON_DAYS} (the default is {DEFAULT_HORIZON_DAYS})")
    return moment + timedelta(days=days)


def upcoming(content, until: datetime | None = None) -> list[Change]:
    """The changes after the content's moment (validate.Content), in order; the first is the next."""
    items = (item for by_slug in content.all.values() for item in by_slug.values())
    return changes(items, content.moment, content.settings.tz, until, content.drafts)


def readable(moment: datetime, tz: tzinfo) -> str:
    """A moment as an editor reads it: 2027-05-20 14:30 (-04:00), in the hub's time zone."""
    local = moment.astimezone(tz)
    clock = "%H:%M:%S" if local.second or local.microsecond else "%H:%M"
    offset = local.strftime("%z")
    return f"{local.strftime('%Y-%m-%d ' + clock)} ({offset[:3]}:{offset[3:]})"


# -- the whole timeline, checked ---------------------------------------------------------------


def check_timeline(content, report: Report, links: Iterable[tuple[Item, int, str, Item]] = ()) -> None:
    """Report every reference that breaks after the content's moment and before the horizon:
    each front-matter reference (item.refs) and each body link to an item's page (`links`:
    (item, line, address, the item linked to), from lint.Linter). What is already broken at the
    moment itself was reported by validate.check_references and the review, in their words."""
    moment, tz, drafts = content.moment, content.settings.tz, content.drafts
    last = horizon(content.settings, moment)
    # One window per item, computed once; a reference is then two comparisons in the usual
    # case (the target is visible for the whole time the item is), a look at the gaps otherwise.
    # Consent ending is never a broken reference (validate.check_references): lists leave the
    # profile out, and a build that failed would keep it online. So windows here leave it out.
    windows = {(kind, slug): window(item, drafts, consent=False) for kind, by_slug in content.all.items()
               for slug, item in by_slug.items()}

    def checked(item: Item) -> tuple[Window, bool] | None:
        """The part of the item's window the check covers, [moment, last), and whether the item
        is visible at the moment itself; None when it is not visible in that time."""
        own = windows.get((item.kind, item.slug))
        if own is None:
            return None
        start = moment if own.start is None or own.start < moment else own.start
        end = last if own.end is None or own.end > last else own.end
        return (Window(start, end), start == moment) if start < end else None

    def covers(theirs: Window | None, span: Window) -> bool:
        return theirs is not None and (theirs.start is None or theirs.start <= span.start) and (
            theirs.end is None or theirs.end >= span.end)  # type: ignore[operator]

    for kind in KINDS:
        for item in content.all[kind].values():
            found = checked(item)
            if found is None:
                continue
            span, visible_now = found
            if not visible_now:
                check_repeats(item, report)  # check_references did, for the items visible now
            for field_name, target_kind, slug, line in item.refs:
                target = content.all[target_kind].get(slug)
                if target is None and (target_kind, slug) in content.unreadable:  # its own error says why
                    note_unchecked(content, content.unreadable[(target_kind, slug)], item.path)
                    continue
                if target is not None and covers(windows[(target_kind, slug)], span):
                    continue
                if target is None and visible_now:
                    continue  # "there is no ...", as of the moment (validate.check_references)
                missing = "" if target is not None else (did_you_mean(slug, content.all[target_kind])
                                                         or f"create {KINDS[target_kind].folder}/{slug}.md")
                theirs = windows[(target_kind, slug)] if target is not None else None
                for at, what, hint in _gaps(span, visible_now, target, theirs, tz, missing):
                    report.error(item.path, line, field_name,
                                 f"from {readable(at, tz)} this names '{slug}', which {what}", hint)
    for item, line, url, target in links:
        found = checked(item)
        theirs = windows.get((target.kind, target.slug))
        if found is None or covers(theirs, found[0]):
            continue
        for at, what, hint in _gaps(found[0], found[1], target, theirs, tz):
            report.error(item.path, line, "body", f"from {readable(at, tz)} '{url}' points to {target.path}, which {what}",
                         hint)


def _gaps(span: Window, visible_now: bool, target: Item | None, theirs: Window | None, tz: tzinfo,
          missing: str = ""):
    """(from when, what the target is then, the fix) for each stretch of `span` in which the
    target is not visible; a stretch that begins at the moment itself when the referrer is
    visible now was reported as of now, and is left out."""
    start = span.start
    assert start is not None and span.end is not None
    if target is None:
        if not visible_now:
            yield start, "does not exist", missing
        return
    if theirs is None:
        if not visible_now:
            yield start, "is a draft", f"set status: published in {target.path} by then, or remove it here"
        return
    if theirs.empty:
        if not visible_now:
            yield (start, f"is never shown: it expires at {readable(theirs.end, tz)}, before it is published",
                   f"fix the expire_at of {target.path}")
        return
    if theirs.start is not None and start < theirs.start and not visible_now:
        yield (start, f"is not published until {readable(theirs.start, tz)}",
               f"publish {target.path} by {readable(start, tz)}, or schedule this item for {readable(theirs.start, tz)} or later")
    if theirs.end is not None and theirs.end < span.end:
        at = max(theirs.end, start)
        if at == start and visible_now:
            return
        expiry = readable(theirs.end, tz)
        what = f"expires at {expiry}" if at == theirs.end else f"expired at {expiry}"
        yield (at, what, f"move the expire_at of {target.path} later, or give this item an expire_at of {expiry} "
                         f"or earlier")
