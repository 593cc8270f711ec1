"""Shared fixtures: scratch Spotlight projects in tmp_path, and running the real command."""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from spotlight.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The fixture hubs' configuration (tests/fixtures/mkdocs.yml), not the repository's hub's.
CONFIG = FIXTURES / "mkdocs.yml"
# The hub this repository holds: the sample, or whatever a team replaced it with. Only tests marked
# `sample` read it, and they assume nothing of it but that `check` accepts it;
# SPOTLIGHT_SAMPLE_ROOT points them at another hub (tests/test_sample_independence.py does).
SAMPLE = Path(os.environ.get("SPOTLIGHT_SAMPLE_ROOT") or Path(__file__).resolve().parent.parent).resolve()
# Every test fixes the moment; nothing depends on today's date.
MOMENT = "2027-05-15T12:00:00Z"


def reader_pages(site: Path, name: str = "*.html") -> list[Path]:
    """The built site's HTML files that readers get: all but the form editor's /admin/ (its own
    page, with its own policy and scripts: tests/test_editor.py)."""
    return sorted(p for p in site.rglob(name) if p.relative_to(site).parts[0] != "admin")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line and not line[0].isdigit() and "error(s)" not in line]


class Project:
    """A scratch project: the repo's mkdocs.yml and theme, plus the files a test needs."""

    def __init__(self, root: Path, capsys):
        self.root = root
        self.capsys = capsys

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = main(["--root", str(self.root), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def check(self, as_of: str = MOMENT) -> Result:
        return self.run("check", "--as-of", as_of)

    def build(self, out: str = "site", as_of: str = MOMENT, *extra: str) -> Result:
        return self.run("build", "--out", out, "--as-of", as_of, *extra)


def copy_hub(source: Path, root: Path) -> Path:
    """A scratch copy of a whole hub (its content, configuration and theme) to build or change."""
    for name in ("creators", "content"):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
    shutil.copytree(source / "theme" if (source / "theme").is_dir() else REPO / "theme", root / "theme")
    shutil.copy(source / "mkdocs.yml", root / "mkdocs.yml")
    return root


def make_project(root: Path, capsys, base: bool = True) -> Project:
    shutil.copy(CONFIG, root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    if base:
        shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    return Project(root, capsys)


@pytest.fixture
def project(tmp_path, capsys) -> Project:
    """The small valid base project (one item or two of every kind)."""
    return make_project(tmp_path, capsys)


@pytest.fixture
def empty_project(tmp_path, capsys) -> Project:
    return make_project(tmp_path, capsys, base=False)


def pytest_collection_modifyitems(config, items):
    # A test that builds the repository's hub (a `sample` fixture) is a sample test, marked or not.
    for item in items:
        if "sample" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.sample)
