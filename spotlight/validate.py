"""Load every content file and check what no single field can: slugs, references, freshness.

Validation looks back, never forward: the site map (site.py) and the review (lint.py) run after
it, in pipeline.load."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pycountry

from .assets import AssetFile, read_assets
from .characters import skeleton
from .diagnostics import Report, did_you_mean
from .models import KINDS, Item, parse_item
from .scaffold import check_placeholders
from .schedule import consent_hides, why_hidden
from .settings import Settings
from .site import SiteMap
from .sources import list_sources, parse_source

# Days before a crisis line's re-check is due from which `check` warns.
FRESH_NOTICE_DAYS = 30
# How long before a creator's consent review date `check` starts to remind the editors.
CONSENT_WARN_DAYS = 30


@dataclass
class Content:
    """All items, and the ones that exist as of the build's moment."""

    moment: datetime
    drafts: bool
    settings: Settings
    all: dict[str, dict[str, Item]] = field(default_factory=dict)
    visible: dict[str, dict[str, Item]] = field(default_factory=dict)
    # The images of content/assets/ that may be published, as validation read them (assets.py).
    assets: list[AssetFile] = field(default_factory=list)
    # Every URL and what it shows: built from this content once it is valid (pipeline.load).
    site: SiteMap | None = field(default=None, repr=False, compare=False)
    # Files that could not be read (no front matter, broken YAML, ...), by (kind, slug): references
    # to them are not checked, and `unchecked` collects, by such file, the files that refer to it.
    unreadable: dict[tuple[str, str], str] = field(default_factory=dict)
    unchecked: dict[str, set[str]] = field(default_factory=dict)
    # While set (render.py, in `serve`): every get() and what it found, i.e. what a page looked up.
    lookups: dict[tuple[str, str], Item | None] | None = field(default=None, repr=False, compare=False)

    def get(self, kind: str, slug: str) -> Item | None:
        found = self.visible.get(kind, {}).get(slug)
        if self.lookups is not None:
            self.lookups[(kind, slug)] = found
        return found

    def items(self, kind: str) -> list[Item]:
        return list(self.visible.get(kind, {}).values())


def load_content(root: Path, settings: Settings, moment: datetime, drafts: bool, report: Report,
                 strict_freshness: bool = False, cache: dict | None = None,
                 sources: list[tuple[str, str]] | None = None) -> Content:
    """`cache` (serve only) keeps each file's parsed item until the file changes (parse_cached).
    `sources`: the files list_sources found, when the caller listed them already."""
    content = Content(moment, drafts, settings, {k: {} for k in KINDS}, {k: {} for k in KINDS})
    sources = list_sources(root, report) if sources is None else sources
    content.assets = read_assets(root, report, cache.setdefault("assets", {}) if cache is not None else None)
    parsed: set[str] = set()
    for item in parse_all(root, report, settings.tz, cache.setdefault("parsed", {}) if cache is not None else None, sources):
        parsed.add(item.path)
        existing = content.all[item.kind].get(item.slug)
        if existing is not None:
            report.error(item.path, 1, "slug", f"the {item.kind} slug '{item.slug}' is already used by {existing.path}",
                         "rename one of the files")
            continue
        content.all[item.kind][item.slug] = item
    content.unreadable = {(kind, Path(rel).stem): rel for kind, rel in sources if rel not in parsed}
    for kind, items in content.all.items():
        content.visible[kind] = {s: i for s, i in sorted(items.items()) if why_hidden(i, moment, drafts) is None}
    check_references(content, report)
    check_placeholders([i for items in content.all.values() for i in items.values()], report)
    check_lookalikes(content, report)
    check_settings(content, report)
    check_freshness(content, report, strict_freshness)
    check_consent(content, report)
    return content


def parse_all(root: Path, report: Report, tz, cache: dict | None = None,
              sources: list[tuple[str, str]] | None = None) -> Iterator[Item]:
    """Every file's Item, in the order of list_sources; each file's node graph is freed once its
    item is built. (Parsing in worker processes was tried: sending 10,000 items back cost more
    than the second core saved. The review's reading of the texts is sent back instead: lint.prescan.)"""
    for kind, rel in sources if sources is not None else list_sources(root, report):
        if cache is not None:
            item = parse_cached(root, kind, rel, report, tz, cache)
        else:
            source = parse_source(root, rel, kind, report)
            item = parse_item(source, root, report, tz) if source is not None else None
        if item is not None:
            yield item


def parse_cached(root: Path, kind: str, rel: str, report: Report, tz, cache: dict) -> Item | None:
    """`serve`: a file's Item and its diagnostics are kept until the file changes, or an asset it
    names appears or disappears. An unchanged file gives the very same Item object on every
    rebuild, which is how render.py knows a page's inputs did not change."""
    try:
        stat = os.stat(os.path.join(root, rel))
    except OSError:  # removed since the folder was listed: the removal starts the next rebuild
        cache.pop(rel, None)
        return None
    # An editor that saves by writing a new file and renaming it changes the inode too.
    key = (kind, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, str(tz))
    hit = cache.get(rel)
    if hit is not None and hit.key == key and hit.found == [os.path.isfile(p) for p in hit.looked_for]:
        report.extend(hit.diagnostics)
        return hit.item
    own = Report()
    looked_for: list[str] = []
    source = parse_source(root, rel, kind, own)
    item = parse_item(source, root, own, tz, looked_for) if source is not None else None
    cache[rel] = _Parsed(key, item, own.items, looked_for, [os.path.isfile(p) for p in looked_for])
    report.extend(own.items)
    return item


@dataclass
class _Parsed:
    key: tuple
    item: Item | None
    diagnostics: list
    looked_for: list[str]
    found: list[bool]


def check_repeats(item: Item, report: Report) -> None:
    """A creator, topic, resource or organisation listed twice in one field of an item."""
    seen: dict[tuple[str, str], int] = {}
    for field_name, target_kind, slug, line in item.refs:
        key = (field_name.split("[")[0].split(".")[0], slug)
        if key in seen and target_kind in ("creator", "topic", "resource", "organization"):
            report.error(item.path, line, field_name, f"'{slug}' is listed twice (first on line {seen[key]})",
                         "remove the repeat")
        seen.setdefault(key, line)


def check_references(content: Content, report: Report) -> None:
    """Every reference from a visible item must point at an item visible at the same moment.
    Drafts are checked too, as a --drafts build would show them (demote_drafts makes what is
    wrong in them warnings in other builds)."""
    for kind in KINDS:
        for item in referring(content, kind):
            check_repeats(item, report)
            for field_name, target_kind, slug, line in item.refs:
                target = content.all[target_kind].get(slug)
                if target is None and (target_kind, slug) in content.unreadable:
                    note_unchecked(content, content.unreadable[(target_kind, slug)], item.path)
                    continue
                if target is None:
                    hint = did_you_mean(slug, content.all[target_kind])
                    report.error(item.path, line, field_name, f"there is no {target_kind} '{slug}'",
                                 hint or f"create {KINDS[target_kind].folder}/{slug}.md")
                    continue
                reason = why_hidden(target, content.moment, content.drafts or item.status == "draft")
                if reason and reason == consent_hides(target, content.moment):
                    # Consent ends on its own date whatever refers to the creator: the lists leave
                    # the profile out, and a build that failed instead would keep the old site, with
                    # the profile, online. check_consent warns before and after.
                    continue
                if reason:
                    report.error(item.path, line, field_name,
                                 f"the {target_kind} '{slug}' {reason}, so it cannot be shown here as of {content.moment.isoformat()}",
                                 f"publish {target.path} first, or schedule this item for later")


def referring(content: Content, kind: str) -> list[Item]:
    """The items of `kind` whose references are checked: the visible ones, and the drafts that a
    --drafts build would show."""
    items = list(content.visible[kind].values())
    if not content.drafts:
        items += [i for i in content.all[kind].values()
                  if i.status == "draft" and why_hidden(i, content.moment, drafts=True) is None]
    return items


def demote_drafts(content: Content, report: Report) -> None:
    """A draft reaches no reader of a normal build: what is wrong in it is reported there as a
    warning, so one unfinished file does not stop the rest from being published. A --drafts
    build (the preview of drafts) keeps them errors, and so does publishing the draft."""
    if content.drafts:
        return
    drafts = {i.path for items in content.all.values() for i in items.values() if i.status == "draft"}
    report.items = [replace(d, severity="warning", message=f"{DRAFT_PREFIX}{d.message}")
                    if d.severity == "error" and d.path in drafts else d for d in report.items]


# Begins the message of each problem found in a draft, shown as a warning (demote_drafts).
DRAFT_PREFIX = "in a draft (an error once published, or with --drafts): "


def note_unchecked(content: Content, unreadable: str, referrer: str) -> None:
    """A reference to a file that could not be read is neither right nor wrong yet: no "there is
    no creator 'x'" for a file that is there; report_unchecked says so once, on that file."""
    content.unchecked.setdefault(unreadable, set()).add(referrer)


def report_unchecked(content: Content, report: Report) -> None:
    for path, referrers in sorted(content.unchecked.items()):
        names = sorted(referrers)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        report.warning(path, 1, "", f"the references to this file from {shown} were not checked, because it "
                                    f"could not be read", "fix this file's error, then check again")


def check_lookalikes(content: Content, report: Report) -> None:
    """No creator's name or handle may look like another's: a copy with a Cyrillic 'а' or a
    '1' for an 'l' would pass for the real creator. One skeleton per value (UTS #39), so the
    check is a dictionary look-up per creator, not a comparison of every pair. Two creators may
    share a name exactly (a large hub has homonyms; their handles tell them apart), never a
    handle. Drafts are left out: they reach no reader, and `new creator` starts from the example."""
    creators = sorted((i for i in content.all["creator"].values() if i.status != "draft"), key=lambda i: i.path)
    if len(creators) < 2:
        return
    for field_name in ("name", "handle"):
        seen: dict[str, dict[str, Item]] = {}  # skeleton -> each way it was written -> first creator
        for item in creators:
            value = item.data.get(field_name)
            if not value:
                continue
            written = seen.setdefault(skeleton(value), {})
            other = next((i for v, i in written.items() if v != value or field_name == "handle"), None)
            if other is not None:  # both files are named, so the one a pull request changed is marked
                _report_lookalike(report, item, other, field_name)
                _report_lookalike(report, other, item, field_name)
            written.setdefault(value, item)


def _report_lookalike(report: Report, item: Item, other: Item, field_name: str) -> None:
    value, theirs = item.data[field_name], other.data[field_name]
    if value == theirs:
        message = f"'{value}' is also the {field_name} of {other.path}"
    else:
        message = f"'{value}' looks like '{theirs}', the {field_name} of {other.path}{_differences(value, theirs)}"
    report.error(item.path, item.lines.get(field_name, 1), field_name, message,
                 "if they are different creators, make the difference visible; if not, keep one file")


def _differences(value: str, other: str) -> str:
    """' (it has ...)': the characters of `value` that `other` lacks, named, for the look-alike message."""
    extra = [c for c in dict.fromkeys(value) if c not in other][:3]
    if not extra:
        return ""
    names = ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED').lower()}" for c in extra)
    return f" (it has {names})"


def check_freshness(content: Content, report: Report, strict: bool) -> None:
    """Crisis lines change: the editorial policy promises every line is re-checked at least every
    `verify_every_days` (a setting). A line is due that many days after its last_verified; `check`
    (strict) warns from FRESH_NOTICE_DAYS before the due date and fails after it, so that an
    editor has a month to re-check. A build only warns: the published help stays up."""
    settings = content.settings
    today = content.moment.astimezone(settings.tz).date()
    every = settings.verify_every_days
    if not valid_interval(every):
        return  # check_settings reported it
    for item in content.visible["resource"].values():
        verified = item.data.get("last_verified")
        if not item.data.get("crisis") or verified is None:
            continue
        due = verified + timedelta(days=every)
        left = (due - today).days
        if left > FRESH_NOTICE_DAYS:
            continue
        line = item.lines.get("last_verified", 1)
        hint = "call or text the line, check its official page, then update last_verified and source"
        policy = f"the policy is every {every} days: verify_every_days in mkdocs.yml"
        if left < 0 and strict:
            report.error(item.path, line, "last_verified",
                         f"this crisis line was last verified on {verified.isoformat()}, {(today - verified).days} days "
                         f"ago, and was due to be re-checked by {due.isoformat()} ({policy})", hint)
        elif left < 0:
            report.warning(item.path, line, "last_verified",
                           f"this crisis line was due to be re-checked by {due.isoformat()} ({policy})", hint)
        else:
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            report.warning(item.path, line, "last_verified",
                           f"this crisis line is due to be re-checked by {due.isoformat()}, {when} ({policy})", hint)


def is_web_address(value, schemes: tuple[str, ...]) -> bool:
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in schemes and bool(parts.hostname)


def valid_interval(days) -> bool:
    return isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 36500


def check_settings(content: Content, report: Report) -> None:
    """The settings that decide what a reader in crisis meets first, checked like content fields."""
    settings = content.settings
    where, line = settings.config_file, settings.lines.get
    code = settings.primary_region
    if not isinstance(code, str):  # `NO` unquoted is YAML's false
        report.error(where, line("primary_region", 1), "primary_region", f"'{code}' is not a region code",
                     'write the code in quotes, e.g. primary_region: "NO"')
    elif code and (code != code.upper() or len(code) != 2 or pycountry.countries.get(alpha_2=code) is None):
        report.error(where, line("primary_region", 1), "primary_region", f"'{code}' is not a region code",
                     "use the ISO 3166-1 alpha-2 code of the hub's main audience, e.g. US, GB, CA")
    elif code and not any(code in r.get("regions", []) for r in content.visible["resource"].values() if r.get("crisis")):
        report.warning(where, line("primary_region", 1), "primary_region",
                       f"no crisis line lists {code}, so /get-help/ and the help bar cannot start with one",
                       f"add {code} to a crisis line's regions, or set primary_region to a region that has lines")
    # Links every page carries: a value that is not an address would be written into the quick
    # exit (a `javascript:` one would run) or the help bar as it is.
    exit_url = settings.quick_exit_url
    if exit_url and not is_web_address(exit_url, schemes=("https", "http")):
        report.error(where, line("quick_exit_url", 1), "quick_exit_url", f"'{exit_url}' is not a web address",
                     "write the neutral site's whole address, e.g. quick_exit_url: https://www.weather.gov/")
    help_href = settings.help_href
    if help_href and not (help_href.startswith(("tel:", "sms:", "/")) or is_web_address(help_href, schemes=("https",))):
        report.error(where, line("help_href", 1), "help_href", f"'{help_href}' is not a link to a line",
                     'write tel: or sms: and the number (help_href: "tel:988"), an https address, or a page of the '
                     "hub (/get-help/); or leave it out to use the primary region's first line")
    if not valid_interval(settings.verify_every_days):
        report.error(where, line("verify_every_days", 1), "verify_every_days",
                     f"'{settings.verify_every_days}' is not a number of days",
                     "write how often every crisis line is re-checked, e.g. verify_every_days: 180")


def check_consent(content: Content, report: Report) -> None:
    """A profile stops being published after its consent review date: remind the editors in time,
    and say why a profile has gone."""
    today = content.moment.astimezone(content.settings.tz).date()
    for item in content.all["creator"].values():
        review = item.data.get("consent_review")
        if item.status == "draft" or review is None:
            continue
        line, days = item.lines.get("consent_review", 1), (review - today).days
        hint = "confirm consent with the creator, then set consent_review to the next review date"
        if days < 0:
            report.warning(item.path, line, "consent_review", f"consent was due for review on {review.isoformat()}, "
                           "so the profile is no longer published", hint)
        elif days <= CONSENT_WARN_DAYS:
            when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
            report.warning(item.path, line, "consent_review", f"consent is due for review {when} "
                           f"({review.isoformat()}); after that day the profile is not published", hint)
