"""Site settings: the `spotlight` plugin's options in mkdocs.yml, readable without MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import yaml


# The quick exit's default neutral sites by primary region: the national weather service's page
# for the US (weather.gov), and elsewhere GOV.UK's own default, BBC Weather, which forecasts
# for places worldwide. A hub sets `quick_exit_url` to choose another.
NEUTRAL_SITES = {"US": "https://www.weather.gov/", "GB": "https://www.bbc.co.uk/weather"}
NEUTRAL_SITE_ELSEWHERE = "https://www.bbc.co.uk/weather"


@dataclass
class Settings:
    site_name: str = "Spotlight"
    site_url: str = ""
    timezone: str = "UTC"
    # The line every page shows beside "Get help now"; from the checked crisis-line facts.
    help_label: str = ""
    help_href: str = ""
    # ISO 3166-1 alpha-2 code of the hub's main audience ("US"): its crisis lines come first on
    # /get-help/, and its first line is the help bar's when help_label/help_href are not set.
    primary_region: str = ""
    # The editorial policy's promise: every crisis line is re-checked at least this often.
    # `check` warns 30 days before a line's last_verified + this and fails after it.
    verify_every_days: int = 180
    # Where the quick exit goes; empty: the neutral site that suits the primary region (exit_url).
    quick_exit_url: str = ""
    page_size: int = 48
    # [{number, where, regions}] for the "in immediate danger" lines of /get-help/ (regions: optional
    # codes whose lines the number stands beside; the primary region's opens the page).
    emergency_numbers: list[dict] = field(default_factory=list)
    # The form editor at /admin/ (editor.py): true, false (left out of the build), or the GitHub
    # backend's options {repo, branch, base_url, auth_endpoint}.
    editor: bool | dict = True
    repo_url: str = ""  # mkdocs.yml's repo_url: a github.com address names the editor's repository
    # How far ahead `check` and `build` check the timeline (spotlight/timeline.py); 0: only now.
    check_horizon_days: int = 366
    extra: dict[str, Any] = field(default_factory=dict)
    # Not options (so not dataclass fields): where the settings were read, and each option's line
    # there, for messages about them; read_settings sets both on the instance.
    config_file: ClassVar[str] = "mkdocs.yml"
    lines: ClassVar[dict[str, int]] = {}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def exit_url(self) -> str:
        """The quick exit's neutral site: `quick_exit_url`, or a weather page for the hub's primary
        region, as GOV.UK's "Exit this page" uses one: it shows nothing personal, loads quickly, and
        is an ordinary page to have open in the reader's own country."""
        region = (self.primary_region or "").upper()
        return self.quick_exit_url or NEUTRAL_SITES.get(region, NEUTRAL_SITE_ELSEWHERE)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; settings never need their values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_options(config: dict) -> dict:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "spotlight" in entry:
            return entry["spotlight"] or {}
    return {}


def from_options(options: dict, site_name: str = "Spotlight", site_url: str = "", repo_url: str = "") -> Settings:
    known = {k: v for k, v in options.items() if k in Settings.__dataclass_fields__ and v is not None}
    known.pop("repo_url", None)  # mkdocs.yml's own, not the plugin's
    return Settings(site_name=site_name or "Spotlight", site_url=site_url or "", repo_url=repo_url or "", **known)


def read_settings(root: Path, config_file: str = "mkdocs.yml") -> Settings:
    path = root / config_file
    if not path.is_file():
        return Settings()
    text = path.read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_TolerantLoader) or {}
    settings = from_options(plugin_options(config), config.get("site_name") or "Spotlight", config.get("site_url") or "",
                            config.get("repo_url") or "")
    settings.config_file = config_file
    settings.lines = option_lines(text)
    return settings


def option_lines(text: str) -> dict[str, int]:
    """The line of each settings option in mkdocs.yml (the first line that sets it), for messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        name = line.strip().partition(":")[0]
        if name in Settings.__dataclass_fields__ and ":" in line:
            lines.setdefault(name, number)
    return lines
