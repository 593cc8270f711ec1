"""The README is part of the contract: its field tables, commands and examples are checked against the code."""

from __future__ import annotations

import argparse
import re
import shutil

from spotlight.cli import make_parser
from spotlight.docgen import block

from conftest import REPO, make_project

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_field_tables_are_generated_from_the_models():
    assert block() in README, "run: python -m spotlight.docgen README.md"


def test_every_command_and_option_is_documented():
    parser = make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        assert f"build.py {name}" in README or (name == "build" and "python build.py [build]" in README), name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option} is not in the README"


def test_first_screen_gives_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make site" in first_screen and "make test" in first_screen


def examples() -> list[tuple[str, str]]:
    """(path, text) of every complete example in the editor guide."""
    found = []
    for match in re.finditer(r"\(`([a-z0-9-]+/[a-z0-9/.-]+\.md)`[^)]*\)(?:(?!```).)*?```markdown\n(.*?)```", README, re.S):
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
