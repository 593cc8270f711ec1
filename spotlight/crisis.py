"""Which crisis lines a reader meets first: /get-help/'s order and the help bar's links, from the settings.

The hub's primary region (settings.primary_region) is its main audience: its lines come first
on /get-help/ and its first line is the help bar's on every page. Everything here is decided
from the visible content and the settings, so the get-help page, the help bar, the home page
and search (a crisis-word card) all show the same lines in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Item
from .views import contact_href, contact_text, region_name

# The group of lines for readers in none of the regions the hub lists ("global" resources such
# as an international directory), always offered after the regions.
ELSEWHERE = "global"


@dataclass
class Region:
    code: str  # ISO 3166-1 alpha-2, or ELSEWHERE
    name: str
    lines: list[Item]
    # The settings' emergency numbers that name this region ({number, where, regions}).
    emergency: list[dict] = field(default_factory=list)


def crisis_lines(content) -> list[Item]:
    """Every visible `crisis: true` resource, by title (then slug): the order within a region."""
    lines = [r for r in content.items("resource") if r.get("crisis")]
    return sorted(lines, key=lambda i: (str(i.title).casefold(), i.slug))


def regions(content) -> tuple[Region | None, list[Region]]:
    """(the primary region, the others): the primary region when it has a visible line, then the
    other regions by name; the lines for everywhere else (ELSEWHERE) come last of all."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for line in crisis_lines(content):
        for code in line.data["regions"]:
            groups[code].append(line)
    numbers = content.settings.emergency_numbers or []
    made = [Region(code, "Worldwide" if code == ELSEWHERE else region_name(code), items,
                   [n for n in numbers if code in (n.get("regions") or [])])
            for code, items in groups.items()]
    made.sort(key=lambda r: (r.code == ELSEWHERE, r.name.casefold()))
    wanted = content.settings.primary_region
    primary = next((r for r in made if r.code == wanted and r.code != ELSEWHERE), None)
    return primary, [r for r in made if r is not primary]


def primary_line(content) -> Item | None:
    """The first line of the primary region (what the help bar offers), if the hub names one."""
    primary, _ = regions(content)
    return primary.lines[0] if primary is not None else None


def help_bar(content) -> tuple[str, list[dict]]:
    """(where, [{text, href}]): the help bar's lead-in and links.

    help_label/help_href in the settings still win (a hub that wrote them keeps its bar);
    otherwise the primary region's first line, with its first call and its first text contact,
    so a line that takes both is reachable both ways from every page."""
    settings = content.settings
    if settings.help_label and settings.help_href:
        return "", [{"text": settings.help_label, "href": settings.help_href}]
    line = primary_line(content)
    if line is None:
        return "", []
    links = []
    for method in ("call", "text"):
        contact = next((c for c in line.get("contacts", []) if c and c.get("method") == method), None)
        if contact is not None:
            links.append({"text": contact_text(contact), "href": contact_href(contact)})
    return region_name(settings.primary_region), links
