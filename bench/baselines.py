"""The projects the benchmark builds beside Spotlight: what a hub author would otherwise use.

Each function writes a complete project into an empty folder and returns the command that
builds it; nothing here downloads anything (no theme, module or font is fetched).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from .corpus import DEFAULT_AS_OF, CreatorPage

PY = sys.executable
SITE_NAME = "Plain creator hub"
HUGO_MISSING = "skipped: hugo not installed (apt-get install hugo)"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def plain_mkdocs(base: Path, pages: list[CreatorPage]) -> list[str]:
    """One Markdown file per creator (title and body), Material with its defaults, search, a short nav.

    The nav names the home page and the creators' list only, as a hub author would: a nav
    of every page makes Material render it into every page, which grows with the square
    of the hub and would flatter Spotlight."""
    docs = base / "docs"
    _write(docs / "index.md", f"# {SITE_NAME}\n\nStories from [every creator](creators/index.md).\n")
    listing = "\n".join(f"- [{page.name}]({page.slug}.md)" for page in pages)
    _write(docs / "creators" / "index.md", f"# Creators\n\n{listing}\n")
    for page in pages:
        _write(docs / "creators" / f"{page.slug}.md", f"# {page.name}\n\n{page.body}")
    config = {
        "site_name": SITE_NAME,
        "site_url": "https://hub.example.org/",
        "theme": {"name": "material"},
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}, {"Creators": "creators/index.md"}],
    }
    _write(base / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return mkdocs_command(base)


def mkdocs_command(base: Path) -> list[str]:
    return [PY, "-m", "mkdocs", "build", "-q", "-f", str(base / "mkdocs.yml"), "-d", str(base / "site")]


HUGO_CONFIG = f"""\
baseURL = "https://hub.example.org/"
title = "{SITE_NAME}"
# The pages have no tags or categories: without this Hugo writes empty lists of them.
disableKinds = ["taxonomy", "term"]
"""
HUGO_HEAD = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
</head>
<body>
<nav>
<a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<a href="{{ "/creators/" | relURL }}">Creators</a>
</nav>
<main>
<h1>{{ .Title }}</h1>
"""
HUGO_FOOT = """\
</main>
</body>
</html>
"""
# A creator's page, and the list of a section's pages (also the home page's layout).
HUGO_LAYOUTS = {
    "single.html": HUGO_HEAD + "{{ .Content }}\n" + HUGO_FOOT,
    "list.html": HUGO_HEAD + "{{ .Content }}\n<ul>\n{{ range .Pages }}"
                 '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n{{ end }}</ul>\n' + HUGO_FOOT,
}


def hugo_version(hugo: str | None) -> str | None:
    """`hugo version`'s line, or None when there is no Hugo to run."""
    if not hugo:
        return None
    try:
        result = subprocess.run([hugo, "version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    line = result.stdout.strip().splitlines()[:1]
    return line[0] if result.returncode == 0 and line else None


def plain_hugo(base: Path, pages: list[CreatorPage], hugo: str) -> list[str]:
    """The same Markdown files for Hugo, with a two-template layout written here (no theme)."""
    _write(base / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(base / "layouts" / "_default" / name, text)
    _write(base / "content" / "_index.md", f"---\ntitle: {SITE_NAME}\n---\n")
    _write(base / "content" / "creators" / "_index.md", "---\ntitle: Creators\n---\n")
    for page in pages:
        front = yaml.safe_dump({"title": page.name}, allow_unicode=True)
        _write(base / "content" / "creators" / f"{page.slug}.md", f"---\n{front}---\n{page.body}")
    # The cache folder inside the project, so that every build starts from nothing.
    return [hugo, "--quiet", "--source", str(base), "--destination", str(base / "public"),
            "--cacheDir", str(base / ".hugo-cache")]


class Unavailable(Exception):
    """A baseline that cannot be built from this version of Spotlight; the message says why."""


def _as_markdown(page) -> str:
    """A Spotlight page as a file for MkDocs: its Markdown (before render once) or its HTML."""
    markdown, html = getattr(page, "content", None), getattr(page, "html", None)
    if isinstance(markdown, str):
        # Spotlight's own page templates (search.html) are theme overrides the baseline lacks.
        return re.sub(r"(?m)^template: .*\n", "", markdown, count=1)
    if isinstance(html, str):
        return f"---\ntitle: {json.dumps(page.title)}\n---\n\n{html}\n"
    raise Unavailable("Spotlight's pages have neither Markdown nor HTML to hand to MkDocs")


def generated_mkdocs(root: Path, base: Path, repo: Path) -> list[str]:
    """Issue 6's baseline: plain MkDocs + Material on the pages Spotlight generates.

    Each page becomes a Markdown file for MkDocs, without Spotlight's plugin or theme: the
    generated Markdown as it was before Spotlight rendered HTML itself, or, since, the
    finished HTML with its title as front matter. It shows the cost of Spotlight's own
    steps on the same pages, not a comparison with a hub written without Spotlight."""
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    try:  # imported here, not at the top: a renderer that changed costs this row only
        from spotlight.pipeline import load
        from spotlight.render import Renderer
        from spotlight.schedule import parse_as_of
        from spotlight.settings import read_settings
    except ImportError as err:
        raise Unavailable(f"Spotlight's modules changed: {err}") from err

    settings = read_settings(root)
    content, _ = load(root, parse_as_of(DEFAULT_AS_OF, settings.tz), settings=settings)
    docs = base / "docs"
    for page in Renderer(content).render_all():
        _write(docs / page.src_uri, _as_markdown(page))
    config = yaml.safe_load((repo / "mkdocs.yml").read_text())
    config["docs_dir"] = "docs"
    features = config["theme"].get("features", [])
    config["theme"] = {"name": "material", "font": False, "features": features}
    config["plugins"] = ["search"]
    _write(base / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return mkdocs_command(base)
