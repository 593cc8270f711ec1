#!/usr/bin/env python3
"""Write theme/'s copies of Material templates that have no block to override: Material's own file plus a few edits.

    python scripts/material_templates.py           write them from the installed mkdocs-material
    python scripts/material_templates.py --check   exit 1 if a copy differs from what would be written

Material puts some markup outside any Jinja block (the drawer and search toggles in
base.html), so the only way to change it is a whole copy of the file in theme/. A copy made
by hand would silently keep an old Material's markup and asset names after an upgrade; these
copies are made from the installed Material by the edits below, each of which must apply
exactly once, and tests/test_checkers.py fails when a copy in theme/ is not what this script
writes now (run it after upgrading mkdocs-material, then review the diff).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from importlib.metadata import version

REPO = Path(__file__).resolve().parent.parent
THEME = REPO / "theme"

# (file under Material's templates/, [(text to find, replacement, why)]): the reasons are
# what the W3C Nu HTML Checker reported on Material's unchanged markup.
EDITS: dict[str, list[tuple[str, str, str]]] = {
    "base.html": [
        ('data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
         'data-md-toggle="drawer" type="checkbox" id="__drawer">',
         "autocomplete is not allowed on a checkbox"),
        ('data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
         'data-md-toggle="search" type="checkbox" id="__search">',
         "autocomplete is not allowed on a checkbox"),
    ],
    "partials/toc.html": [
        ('<label class="md-nav__title" for="__toc">',
         # partials/nav-item.html writes the __toc checkbox only for a page in the navigation;
         # a label for a control that does not exist is an error.
         '<label class="md-nav__title"{% if nav and page in nav.pages %} for="__toc"{% endif %}>',
         "a label's for= must name a form control on the page"),
    ],
}


def material_templates() -> Path:
    import material  # noqa: PLC0415 - only this script and its test need Material's files

    return Path(material.__file__).parent / "templates"


def derive(name: str, original: str) -> str:
    """Material's `name` with Spotlight's edits; refuses if an edit does not apply exactly once."""
    text = original
    for old, new, why in EDITS[name]:
        count = text.count(old)
        if count != 1:
            raise SystemExit(f"{name}: expected {old!r} once in Material's file, found it {count} times "
                             f"(the edit is there because {why}); update scripts/material_templates.py")
        text = text.replace(old, new)
    reasons = "; ".join(sorted({why for _, _, why in EDITS[name]}))
    header = (f"{{#- Written by scripts/material_templates.py from mkdocs-material {version('mkdocs-material')}'s "
              f"{name}: do not edit. Changed: {reasons}. -#}}\n")
    return header + text


def expected() -> dict[Path, str]:
    source = material_templates()
    return {THEME / name: derive(name, (source / name).read_text(encoding="utf-8")) for name in EDITS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report copies that differ")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path.relative_to(REPO))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'differs from' if args.check else 'written from'} the installed mkdocs-material")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
