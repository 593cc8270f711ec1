"""The documentation is part of the contract: its field tables, commands and examples are checked against the code."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from spotlight.cli import make_parser
from spotlight.docgen import block, review_block

from conftest import REPO, make_project

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"
CONFIG = REPO / "mkdocs.docs.yml"
# The pages other parts of the project write into; each must exist and be built.
PAGES = ["index.md", "commands.md", "editor-guide.md", "editorial-workflow.md", "reader-experience.md",
         "hosting.md", "development.md", "security.md", "decisions/index.md"]


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_field_tables_are_generated_from_the_models():
    assert block() in page("editor-guide.md"), "run: python -m spotlight.docgen docs/editor-guide.md"


def test_review_rule_table_is_generated_from_the_rules_and_measured():
    assert review_block() in page("editorial-workflow.md"), "run: python -m spotlight.docgen docs/editorial-workflow.md"


def test_every_command_and_option_is_documented():
    commands = page("commands.md")
    for name, command in subcommands().items():
        assert f"build.py {name}" in commands or (name == "build" and "python build.py [build]" in commands), name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in commands, f"{name} {option} is not in docs/commands.md"
    assert "--root" in commands


# `python build.py ...` (or python3, .venv/bin/python) up to the end of a code span or a comment.
COMMAND_LINE = re.compile(r"(?:^|[\s`(])(?:\S*/)?python3? build\.py([^`\n#]*)")


def build_py_lines() -> list[tuple[str, str]]:
    """(where, arguments) of every `python build.py` command line shown in docs/ and the README."""
    found = []
    for path in [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in COMMAND_LINE.finditer(line):
                found.append((f"{path.relative_to(REPO)}:{number}", match.group(1)))
    return found


def parse_command_line(arguments: str) -> tuple[str, list[str]]:
    """(command, options) as cli.main reads them: `build` when no command is named; [x] is optional x."""
    tokens = [t.strip("[]").rstrip(".,:;)") for t in arguments.split()]
    tokens = [t for t in tokens if t]
    while tokens and tokens[0] == "--root":
        tokens = tokens[2:]
    command = "build" if not tokens or tokens[0].startswith("-") else tokens[0].split("|")[0]
    options = [t.split("=")[0] for t in tokens if t.startswith("--")]
    return command, options


def test_every_build_py_command_line_in_the_docs_is_real():
    commands = subcommands()
    top_level = {o for a in make_parser()._actions for o in a.option_strings}
    lines = build_py_lines()
    assert {parse_command_line(arguments)[0] for _, arguments in lines} == set(commands), \
        "every command is shown, and only real ones"
    for where, arguments in lines:
        command, options = parse_command_line(arguments)
        known = top_level | {o for a in commands[command]._actions for o in a.option_strings}
        unknown = [o for o in options if o not in known]
        assert not unknown, f"{where}: python build.py{arguments}: {command} has no {', '.join(unknown)}"


def test_the_command_line_check_catches_a_wrong_option():
    commands = subcommands()
    command, options = parse_command_line(" serve --out x [--drafts]")
    assert command == "serve" and options == ["--out", "--drafts"]
    assert "--out" not in {o for a in commands[command]._actions for o in a.option_strings}
    assert parse_command_line(" --as-of 2027-05-12")[0] == "build"
    assert parse_command_line(" [build] [--out DIR]") == ("build", ["--out"])


def test_first_screen_gives_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make site" in first_screen and "make test" in first_screen
    assert "Python 3.10+" in first_screen and "chromium" in first_screen


def test_the_readme_links_to_pages_that_exist():
    targets = [t for t in re.findall(r"\]\(([^)\s]+)\)", README) if "://" not in t]
    assert {f"docs/{name}" for name in PAGES} <= {t.split("#")[0] for t in targets}
    for target in targets:
        assert (REPO / target.split("#")[0]).is_file(), f"README links to {target}, which does not exist"
    assert len(README.encode()) < 5000, "the README stays short: guides go into docs/"


def examples() -> list[tuple[str, str]]:
    """(path, text) of every complete example in the editor guide."""
    found = []
    pattern = r"\(`([a-z0-9-]+/[a-z0-9/.-]+\.md)`[^)]*\)(?:(?!```).)*?```markdown\n(.*?)```"
    for match in re.finditer(pattern, page("editor-guide.md"), re.S):
        found.append((match.group(1), match.group(2)))
    return found


def test_the_editor_guide_examples_pass_check(tmp_path, capsys):
    paths = [p for p, _ in examples()]
    assert {p.split("/")[0] if p.startswith("creators") else p.split("/")[1] for p in paths} == {
        "creators", "topics", "organizations", "resources", "campaigns", "events", "updates", "pages"}
    project = make_project(tmp_path, capsys, base=False)
    for folder in ("creators", "content"):
        shutil.copytree(REPO / folder, tmp_path / folder, dirs_exist_ok=True)
    for path, text in examples():
        project.write(path, text)
    result = project.check("2027-05-15T12:00:00Z")
    errors = [line for line in result.lines if ": warning:" not in line]
    assert errors == []


def build_docs(config: Path, out: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the documentation site, as `make docs` runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                           "--site-dir", str(out)], capture_output=True, text=True, env=env, timeout=300)


def test_the_docs_site_builds_strictly_without_the_network(tmp_path):
    result = build_docs(CONFIG, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for name in PAGES:
        assert (tmp_path / "out" / name.replace(".md", ".html")).is_file(), name
    external = []
    for html in (tmp_path / "out").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        # Anything the browser loads by itself (scripts, styles, fonts, images) stays on the site.
        external += re.findall(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=\"(?:https?:)?//[^\"]+", text)
    assert external == []
    plugins = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["plugins"]
    assert "spotlight" not in plugins, "the docs are not a hub: no spotlight plugin"


def test_a_broken_link_in_the_docs_fails_the_build(tmp_path):
    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    shutil.copytree(DOCS, tmp_path / "docs")
    with (tmp_path / "docs" / "index.md").open("a", encoding="utf-8") as index:
        index.write("\n[gone](no-such-page.md) and [no heading](commands.md#no-such-heading)\n")
    result = build_docs(tmp_path / CONFIG.name, tmp_path / "out")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr and "no-such-heading" in result.stderr
