"""Load every content file and check what no single field can: slugs, references, freshness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from .diagnostics import Report, did_you_mean
from .lint import lint_content
from .models import KINDS, Item, parse_item
from .schedule import why_hidden
from .settings import Settings
from .sources import list_sources, read_source

# Top-level paths that generated pages own; a free page may not take one of these slugs.
RESERVED_PAGE_SLUGS = {
    "creators", "topics", "organizations", "resources", "get-help", "campaigns", "events",
    "updates", "api", "assets", "search", "404", "feed", "sitemap", "index", "robots",
}
RESERVED_CREATOR_SLUGS = {"page", "language", "topic"}
FRESH_WARN_DAYS = 180
FRESH_FAIL_DAYS = 365


@dataclass
class Content:
    """All items, and the ones that exist as of the build's moment."""

    moment: datetime
    drafts: bool
    settings: Settings
    all: dict[str, dict[str, Item]] = field(default_factory=dict)
    visible: dict[str, dict[str, Item]] = field(default_factory=dict)

    def get(self, kind: str, slug: str) -> Item | None:
        return self.visible.get(kind, {}).get(slug)

    def items(self, kind: str) -> list[Item]:
        return list(self.visible.get(kind, {}).values())


def load_content(root: Path, settings: Settings, moment: datetime, drafts: bool, report: Report,
                 strict_freshness: bool = False, cache: dict | None = None) -> Content:
    """`cache` (serve only) keeps each file's parsed front matter until the file changes."""
    content = Content(moment, drafts, settings, {k: {} for k in KINDS}, {k: {} for k in KINDS})
    for item in parse_all(root, report, settings.tz, cache):
        existing = content.all[item.kind].get(item.slug)
        if existing is not None:
            report.error(item.path, 1, "slug", f"the {item.kind} slug '{item.slug}' is already used by {existing.path}",
                         "rename one of the files")
            continue
        content.all[item.kind][item.slug] = item
        if item.kind == "page" and item.slug in RESERVED_PAGE_SLUGS:
            report.error(item.path, 1, "slug", f"'{item.slug}' is a reserved address on the site", "rename the file")
        if item.kind == "creator" and item.slug in RESERVED_CREATOR_SLUGS:
            report.error(item.path, 1, "slug", f"'{item.slug}' is a reserved address under /creators/", "rename the file")
    for kind, items in content.all.items():
        content.visible[kind] = {s: i for s, i in sorted(items.items()) if why_hidden(i, moment, drafts) is None}
    check_references(content, report)
    check_freshness(content, report, strict_freshness)
    lint_content(root, content, report)
    return content


def parse_all(root: Path, report: Report, tz, cache: dict | None = None) -> Iterator[Item]:
    """Every file's Item, in the order of list_sources; each file's node graph is freed once its
    item is built. (Parsing in worker processes was tried: sending 10,000 items back cost more
    than the second core saved.)"""
    for kind, rel in list_sources(root):
        source = read_source(root, kind, rel, report, cache)
        if source is not None:
            yield parse_item(source, root, report, tz)


def check_references(content: Content, report: Report) -> None:
    """Every reference from a visible item must point at an item visible at the same moment."""
    for kind in KINDS:
        for item in content.visible[kind].values():
            seen: dict[tuple[str, str], int] = {}
            for field_name, target_kind, slug, line in item.refs:
                base_field = field_name.split("[")[0].split(".")[0]
                key = (base_field, slug)
                if key in seen and target_kind in ("creator", "topic", "resource", "organization"):
                    report.error(item.path, line, field_name, f"'{slug}' is listed twice (first on line {seen[key]})",
                                 "remove the repeat")
                seen.setdefault(key, line)
                target = content.all[target_kind].get(slug)
                if target is None:
                    hint = did_you_mean(slug, content.all[target_kind])
                    report.error(item.path, line, field_name, f"there is no {target_kind} '{slug}'",
                                 hint or f"create {KINDS[target_kind].folder}/{slug}.md")
                    continue
                reason = why_hidden(target, content.moment, content.drafts)
                if reason:
                    report.error(item.path, line, field_name,
                                 f"the {target_kind} '{slug}' {reason}, so it cannot be shown here as of {content.moment.isoformat()}",
                                 f"publish {target.path} first, or schedule this item for later")


def check_freshness(content: Content, report: Report, strict: bool) -> None:
    """Crisis lines change; a line nobody has checked for months must be re-verified."""
    today = content.moment.astimezone(content.settings.tz).date()
    for item in content.visible["resource"].values():
        verified = item.data.get("last_verified")
        if not item.data.get("crisis") or verified is None:
            continue
        age = (today - verified).days
        line = item.lines.get("last_verified", 1)
        hint = "call or text the line, check its official page, then update last_verified"
        if age > FRESH_FAIL_DAYS and strict:
            report.error(item.path, line, "last_verified", f"this crisis line was last verified {age} days ago (limit {FRESH_FAIL_DAYS})", hint)
        elif age > FRESH_WARN_DAYS:
            report.warning(item.path, line, "last_verified", f"this crisis line was last verified {age} days ago", hint)
