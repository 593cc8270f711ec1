"""Every content mistake gives `path:line: field: message (hint)`; each case folder is one mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spotlight.diagnostics import Diagnostic

CASES = sorted((Path(__file__).parent / "cases" / "invalid").iterdir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_gives_exactly_its_messages(project, case):
    for file in case.rglob("*"):
        if file.is_file() and file.name != "expected.txt":
            target = project.root / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = project.check()
    assert result.code == 1
    assert result.lines == expected
    assert "Traceback" not in result.err


def test_base_fixture_is_valid(project):
    result = project.check()
    assert result.code == 0, result.err
    assert result.lines == []


def test_all_errors_are_listed_sorted_by_path_and_line(project):
    project.write("creators/zed.md", """
        ---
        name: Zed
        handle: zed
        summary: Zed talks about anxiety.
        topics: [nope]
        ---
    """)
    project.write("creators/abe.md", """
        ---
        name: Abe
        handle: "@abe"
        summary: Abe talks about anxiety.
        topics: [anxiety]
        colour: blue
        ---
    """)
    result = project.check()
    assert result.code == 1
    assert result.lines == [
        "creators/abe.md:6: colour: is not a known field (expected one of: affiliations, avatar, avatar_alt, compensation, consent_given, consent_review, content_warnings, credentials, expire_at, handle, languages, last_reviewed, ...)",
        "creators/zed.md:3: handle: 'zed' is not a handle starting with @ (write it like \"@maya.talks\" (in quotes))",
        "creators/zed.md:5: topics[0]: there is no topic 'nope' (expected one of: anxiety, eating-disorders)",
    ]


def test_a_build_with_errors_reports_them_and_exits_1(project):
    project.write("content/topics/anxiety.md", "---\ntitle: Anxiety\n---\n")
    result = project.build()
    assert result.code == 1
    assert "content/topics/anxiety.md:2: summary: is required but missing" in result.err
    assert "previous site was left as it was" in result.err


def test_github_format_is_a_workflow_annotation():
    d = Diagnostic("creators/a,b.md", 4, "handle", "50% wrong: yes", "quote it")
    assert d.github() == "::error file=creators/a%2Cb.md,line=4,title=handle::50%25 wrong: yes (quote it)"
    assert d.text() == "creators/a,b.md:4: handle: 50% wrong: yes (quote it)"
