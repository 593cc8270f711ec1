"""Drafts are validated and reported, but what is wrong in one does not stop the rest from being published."""

from __future__ import annotations

from conftest import MOMENT

DRAFT = """
    ---
    name: Jo Park
    handle: "@jo.park"
    summary: Jo talks about grief.
    topics: [grief]
    organizations: [nami, nowhere]
    status: draft
    ---
    Jo talks about grief.
"""
PREFIX = "warning: in a draft (an error once published, or with --drafts): "
WARNINGS = [
    f"creators/jo.md:5: topics[0]: {PREFIX}there is no topic 'grief' (expected one of: anxiety, eating-disorders)",
    f"creators/jo.md:6: organizations[1]: {PREFIX}there is no organization 'nowhere' (expected one of: nami)",
]


def test_a_drafts_errors_are_warnings_in_check_and_build(project):
    project.write("creators/jo.md", DRAFT)
    checked = project.check()
    assert checked.code == 0, checked.err
    assert checked.lines == WARNINGS
    built = project.build()
    assert built.code == 0, built.err
    assert built.lines[:2] == WARNINGS
    assert (project.root / "site/creators/maya/index.html").is_file()
    assert not (project.root / "site/creators/jo").exists()


def test_a_drafts_errors_block_a_drafts_build(project):
    project.write("creators/jo.md", DRAFT)
    result = project.run("build", "--out", "site", "--as-of", MOMENT, "--drafts")
    assert result.code == 1
    assert [line for line in result.lines if line.startswith("creators/")] == [
        w.replace(PREFIX, "") for w in WARNINGS]


def test_published_the_same_errors_block(project):
    project.write("creators/jo.md", DRAFT.replace("status: draft", "status: published"))
    checked = project.check()
    assert checked.code == 1
    assert checked.lines == [w.replace(PREFIX, "") for w in WARNINGS]


def test_a_reference_to_a_draft_is_still_an_error(project):
    project.write("creators/jo.md", DRAFT.replace("[grief]", "[anxiety]").replace("nami, nowhere", "nami"))
    project.write("content/updates/jo.md", """
        ---
        title: Jo joins
        date: 2027-05-10T09:00:00-04:00
        summary: Meet Jo.
        creators: [jo]
        ---
        Jo joins.
    """)
    checked = project.check()
    assert checked.code == 1
    assert checked.lines == [
        "content/updates/jo.md:5: creators[0]: the creator 'jo' is a draft, so it cannot be shown here as of "
        "2027-05-15T12:00:00+00:00 (publish creators/jo.md first, or schedule this item for later)"]
