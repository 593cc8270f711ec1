"""`build.py diff --base REF`: what a change does for readers, now and at each scheduled moment.

Each test makes a git repository of the base fixture hub, commits it, edits the working tree
and compares the two as of the fixed moment."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import MOMENT, SAMPLE, Project, copy_hub, make_project  # 2027-05-15 12:00 UTC, 08:00 in the hub's New York

SCHEDULED = """
---
title: Week three in the spotlight
date: 2027-05-20T09:00:00-04:00
summary: A scheduled update.
---
Coming soon.
"""


def git(project, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          cwd=project.root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    return project


def diff(project, base: str = "main"):
    result = project.run("diff", "--base", base, "--as-of", MOMENT)
    return result


def section(out: str, title: str) -> list[str]:
    """The lines of one `### title` section, without blank lines."""
    lines = out.splitlines()
    start = lines.index(f"### {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start:end] if line]


def test_nothing_changed_says_so(repo):
    result = diff(repo)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:3] == ["## What readers will see", "",
                                            "Compared with `main`, as of 2027-05-15 08:00 (-04:00)."]
    assert section(result.out, "Now") == ["No page changes now."]
    assert section(result.out, "Later (scheduled)") == ["No scheduled change is added, moved or cancelled."]
    assert "### Needs a person's review first" not in result.out


def test_a_scheduled_update_is_listed_at_its_moment_and_changes_nothing_now(repo):
    repo.write("content/updates/week-3.md", SCHEDULED)
    result = diff(repo)
    assert section(result.out, "Now") == ["No page changes now."]
    assert section(result.out, "Later (scheduled)") == [
        "- **2027-05-20 09:00 (-04:00)**: Update 'Week three in the spotlight' goes live, `/updates/week-3/` "
        "(new in this change)"]


def test_a_scheduled_update_edited_moved_or_cancelled(repo):
    repo.write("content/updates/week-3.md", SCHEDULED)
    repo.write("content/updates/week-4.md", SCHEDULED.replace("Week three", "Week four").replace("05-20", "05-27"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "schedule two")
    repo.write("content/updates/week-3.md", SCHEDULED.replace("Coming soon.", "Coming very soon."))
    repo.write("content/updates/week-4.md", SCHEDULED.replace("Week three", "Week four").replace("05-20", "05-28"))
    result = diff(repo)
    assert section(result.out, "Later (scheduled)") == [
        "- **2027-05-20 09:00 (-04:00)**: Update 'Week three in the spotlight' goes live, `/updates/week-3/` "
        "(its text changed)",
        "- **2027-05-28 09:00 (-04:00)**: Update 'Week four in the spotlight' goes live, `/updates/week-4/` "
        "(moved from 2027-05-27 09:00 (-04:00))"]
    repo.remove("content/updates/week-3.md")
    assert section(diff(repo).out, "Later (scheduled)")[0] == (
        "- ~~2027-05-20 09:00 (-04:00)~~: Update 'Week three in the spotlight' no longer goes live then, "
        "`/updates/week-3/` (cancelled)")


def test_a_campaign_that_ends_later(repo):
    path = repo.root / "content/campaigns/mham-2027.md"
    path.write_text(path.read_text().replace("ends: 2027-05-31", "ends: 2027-06-07"))
    result = diff(repo)
    assert section(result.out, "Later (scheduled)") == [
        "- **2027-06-08 00:00 (-04:00)**: Campaign 'Mental Health Awareness Month 2027' ends, "
        "`/campaigns/mham-2027/` (moved from 2027-06-01 00:00 (-04:00))"]
    # Its own page shows the new dates now.
    assert section(result.out, "Now")[0] == (
        "- **Changed**: Campaign 'Mental Health Awareness Month 2027', `/campaigns/mham-2027/`")


def test_an_edited_creator_comes_first_and_the_pages_that_show_it_after(repo):
    path = repo.root / "creators/maya.md"
    path.write_text(path.read_text().replace("summary: ", "summary: Newly edited. ", 1))
    lines = section(diff(repo).out, "Now")
    name = lines[0].split("'")[1]
    assert lines[0] == f"- **Changed**: Creator '{name}', `/creators/maya/`"
    assert lines[1].endswith("other page(s) that show them:")
    others = lines[2:]
    assert len(others) == int(lines[1].split()[0]) and "- Changed: Creators, `/creators/`" in others
    assert all(line.startswith("- Changed: ") for line in others)


def test_added_and_removed_pages(repo):
    repo.remove("content/pages/about.md")
    repo.write("content/updates/today.md", SCHEDULED.replace("2027-05-20", "2027-05-14").replace("Week three", "Today"))
    lines = section(diff(repo).out, "Now")
    assert lines[:2] == ["- **Added**: Update 'Today in the spotlight', `/updates/today/`",
                         "- **Removed**: Page 'About this hub', `/about/`"]


def test_files_for_a_persons_review_come_first(repo):
    repo.write("content/updates/week-3.md", SCHEDULED.replace("summary: A scheduled update.",
                                                            "summary: Living with an eating disorder.\ntopics: [eating-disorders]\n"
                                                            "content_warnings: [eating-disorders]"))
    out = diff(repo).out
    review = section(out, "Needs a person's review first")
    assert len(review) == 1 and review[0].startswith("- `content/updates/week-3.md` touches eating disorders")
    assert out.index("### Needs a person's review first") < out.index("### Now")


def test_titles_cannot_inject_markdown_or_html(repo):
    repo.write("content/updates/week-3.md", SCHEDULED.replace("Week three in the spotlight",
                                                            "\"*Big* [news](https://evil.example) <img src=x>\""))
    line = section(diff(repo).out, "Later (scheduled)")[0]
    assert "Update '\\*Big\\* \\[news\\](https://evil.example) \\<img src=x\\>' goes live" in line


def test_a_base_with_errors_still_lists_the_scheduled_changes(repo):
    repo.remove("creators/maya.md")  # the campaign and others name maya: the base is broken
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "break")
    git(repo, "checkout", "-q", "HEAD~1", "--", "creators/maya.md")  # the working tree is whole again
    repo.write("content/updates/week-3.md", SCHEDULED)
    out = diff(repo).out
    assert section(out, "Now")[0].startswith("The hub at `main` has ")
    assert "content error(s), so its pages cannot be compared" in section(out, "Now")[0]
    assert section(out, "Later (scheduled)")[0].startswith("- **2027-05-20 09:00 (-04:00)**: Update 'Week three")


def test_errors_in_the_working_tree_exit_1(repo):
    repo.write("content/updates/week-3.md", SCHEDULED.replace("date: 2027-05-20T09:00:00-04:00", "date: someday"))
    result = diff(repo)
    assert result.code == 1 and result.out == ""
    assert "content/updates/week-3.md:3: date:" in result.err and "fix them first" in result.err


def test_an_unknown_ref_is_misuse(repo):
    result = diff(repo, "no-such-branch")
    assert result.code == 2 and result.err.startswith("build.py: diff --base no-such-branch: ")


def test_outside_a_repository_is_misuse(tmp_path_factory, capsys):
    outside = make_project(tmp_path_factory.mktemp("not-a-repository"), capsys)
    result = outside.run("diff", "--base", "main", "--as-of", MOMENT)
    assert result.code == 2 and result.err.startswith("build.py: diff --base main: ")


def test_a_project_inside_a_larger_repository(project, tmp_path):
    """--root names a folder inside the repository: the base is that folder at the ref."""
    git(project, "init", "-q", "-b", "main")
    outer = project.root
    hub = outer / "hub"
    hub.mkdir()
    for name in ("mkdocs.yml", "theme", "creators", "content"):
        (outer / name).rename(hub / name)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    (hub / "content/updates/week-3.md").write_text(SCHEDULED.lstrip("\n"))
    project.root = hub
    result = diff(project)
    assert result.code == 0, result.err
    assert section(result.out, "Later (scheduled)")[0].startswith("- **2027-05-20 09:00 (-04:00)**: Update 'Week three")


@pytest.mark.sample
def test_the_pull_request_that_schedules_the_samples_changes_lists_them(tmp_path, capsys):
    """Whatever hub the repository holds: a pull request adding its scheduled items (the base
    lacks them) lists each at its moment, as `timeline` gives them."""
    hub = Project(copy_hub(SAMPLE, tmp_path), capsys)
    timeline = hub.run("timeline", "--as-of", MOMENT, "--format", "json")
    appears = [c for c in json.loads(timeline.out) if c["change"] == "appears"]
    if not appears:
        pytest.skip("the repository's hub schedules nothing after the tests' moment")
    scheduled = {tmp_path / c["path"]: (tmp_path / c["path"]).read_bytes() for c in appears}
    for path in scheduled:
        path.unlink()
    git(hub, "init", "-q", "-b", "main")
    git(hub, "add", "-A")
    git(hub, "commit", "-q", "-m", "base without the scheduled items")
    for path, data in scheduled.items():
        path.write_bytes(data)
    result = diff(hub)
    assert result.code == 0, result.err
    later = section(result.out, "Later (scheduled)")
    # The first ten: each removed item adds at most two lines (it goes live, it is taken down), so
    # they are all within the section's first 40 lines (reader_diff.LIMIT) however big the hub.
    for c in appears[:10]:
        assert any(f"goes live, `{c['url']}` (new in this change)" in line for line in later), (c, later)
