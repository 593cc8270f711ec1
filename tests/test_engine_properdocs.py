"""ProperDocs, the engine Spotlight moves to before Material's end of life, builds the sample as MkDocs does.

docs/decisions/0001-engine-after-material.md: the two engines' sites must stay the same page for
page, byte for byte, but for the <meta name="generator"> line that names the engine. CI installs
ProperDocs (the `engines` extra), so there this test never skips.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spotlight.cli import main

from conftest import MOMENT, REPO

GENERATOR = re.compile(rb'\s*<meta name="generator" content="([^"]*)">\n')

if importlib.util.find_spec("properdocs") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI installs the `engines` extra: properdocs must be importable")
    pytest.skip("properdocs is not installed (pip install -e '.[engines]')", allow_module_level=True)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def generators(site: dict[str, bytes]) -> set[str]:
    return {m.decode() for text in site.values() for m in GENERATOR.findall(text)}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    out = tmp_path_factory.mktemp("engines")
    assert main(["--root", str(REPO), "build", "--out", str(out / "mkdocs"), "--as-of", MOMENT]) == 0
    # A process of its own: ProperDocs must be chosen before anything imports MkDocs, and this one
    # has. The command the decision record gives, so it is the one tested.
    result = subprocess.run(
        [sys.executable, "-m", "spotlight.engines.properdocs", "--root", str(REPO),
         "build", "--out", str(out / "properdocs"), "--as-of", MOMENT],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return files(out / "mkdocs"), files(out / "properdocs")


def test_each_engine_names_itself_in_every_page(sites):
    mkdocs, properdocs = sites
    assert len(generators(mkdocs)) == 1 and next(iter(generators(mkdocs))).startswith("mkdocs-1.")
    assert len(generators(properdocs)) == 1 and "ProperDocs" in next(iter(generators(properdocs)))
    pages = [name for name in properdocs if name.endswith(".html") and not name.startswith("admin/")]
    # Every page has the line, where MkDocs puts it: the comparison below sets exactly it aside.
    assert all(GENERATOR.search(properdocs[name]) for name in pages)


def test_properdocs_builds_the_same_files_as_mkdocs(sites):
    mkdocs, properdocs = sites
    assert sorted(properdocs) == sorted(mkdocs)
    pages = [name for name in mkdocs if name.endswith(".html")]
    assert len(pages) > 50, "the whole sample, not an empty hub"


def test_every_file_is_byte_identical_but_for_the_generator_line(sites):
    mkdocs, properdocs = sites
    differ = [name for name in sorted(mkdocs.keys() & properdocs.keys())
              if GENERATOR.sub(b"\n", mkdocs[name]) != GENERATOR.sub(b"\n", properdocs[name])]
    assert differ == []


def test_properdocs_is_chosen_before_mkdocs_is_imported():
    # This process has imported MkDocs (the fixture built with it): asking for ProperDocs now must
    # fail at once with a clear message, not halfway through a build.
    from spotlight.engines import get_engine
    from spotlight.engines.properdocs import EngineChosenTooLate

    import mkdocs.plugins  # noqa: F401 - the MkDocs engine imports it too

    with pytest.raises(EngineChosenTooLate, match="new process"):
        get_engine("properdocs")


def test_the_docs_site_builds_the_same_with_properdocs(tmp_path):
    """`make docs` (plain MkDocs + Material, --strict) moves to ProperDocs with the hub."""
    def build(engine: str) -> dict[str, bytes]:
        out = tmp_path / engine
        done = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--config-file",
                               str(REPO / "mkdocs.docs.yml"), "--site-dir", str(out)],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert done.returncode == 0, done.stderr
        return files(out)

    mkdocs, properdocs = build("mkdocs"), build("properdocs")
    assert sorted(properdocs) == sorted(mkdocs) and any(name.endswith(".html") for name in mkdocs)
    assert "ProperDocs" in " ".join(generators(properdocs))
    assert [name for name in mkdocs
            if GENERATOR.sub(b"\n", mkdocs[name]) != GENERATOR.sub(b"\n", properdocs[name])] == []
