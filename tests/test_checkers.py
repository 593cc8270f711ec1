"""Every output read by a checker Spotlight did not write: the W3C Nu HTML Checker, feedparser,
vobject, jsonschema, lxml; and the rules of the standards those outputs follow.

The sample hub is built once, as of a fixed moment, and each checker reads the files it
wrote. The Nu HTML Checker needs Java and node_modules/vnu-jar (`make browser-deps`): on a
developer's machine without them its test is skipped; in CI (CI=true) it is required.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import material_templates  # noqa: E402

LIVE = "2027-05-15T12:00:00-04:00"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(message: str):
    """Skip on a developer's machine; in CI every checker is required, so fail."""
    if IN_CI:
        pytest.fail(f"{message} (the checkers are required in CI)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The repository's own content built once, as of mid-May 2027 (the campaign is live)."""
    from spotlight.cli import main

    root = tmp_path_factory.mktemp("checked")
    for name in ("creators", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert main(["--root", str(root), "build", "--as-of", LIVE]) == 0
    return root / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# -- theme/ copies of Material's templates ----------------------------------------------------

def test_theme_copies_of_material_templates_are_written_from_the_installed_material():
    """theme/base.html and theme/partials/toc.html are Material's files with Spotlight's edits:
    after an upgrade of mkdocs-material, run scripts/material_templates.py and review the diff."""
    for path, text in material_templates.expected().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(REPO)} is not Material's file with Spotlight's edits: "
            "run python scripts/material_templates.py")


def test_a_material_edit_that_no_longer_applies_is_refused():
    with pytest.raises(SystemExit, match="expected .* once in Material's file, found it 0 times"):
        material_templates.derive("base.html", "<body>Material changed its markup</body>")
