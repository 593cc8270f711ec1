"""Site settings: the `spotlight` plugin's options in mkdocs.yml, readable without MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml


@dataclass
class Settings:
    site_name: str = "Spotlight"
    site_url: str = ""
    timezone: str = "UTC"
    # The line every page shows beside "Get help now"; from the checked crisis-line facts.
    help_label: str = ""
    help_href: str = ""
    quick_exit_url: str = "https://www.bbc.co.uk/weather"
    page_size: int = 48
    # [{number, where}] for the "in immediate danger" line of /get-help/.
    emergency_numbers: list[dict] = field(default_factory=list)
    # The form editor at /admin/ (editor.py): true, false (left out of the build), or the GitHub
    # backend's options {repo, branch, base_url, auth_endpoint}.
    editor: bool | dict = True
    repo_url: str = ""  # mkdocs.yml's repo_url: a github.com address names the editor's repository
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


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
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    return from_options(plugin_options(config), config.get("site_name") or "Spotlight", config.get("site_url") or "",
                        config.get("repo_url") or "")
