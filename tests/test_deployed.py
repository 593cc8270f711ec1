"""spotlight-build.json and `due`: the scheduled publish run builds only when something is due."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest

from conftest import MOMENT, REPO
from spotlight.deployed import source_digest

# The base fixture's campaign runs 2027-05-01 to 2027-05-31 in New York: it ends at the next midnight.
CAMPAIGN_ENDS = "2027-06-01T00:00:00-04:00"
SCHEDULED = """
---
title: Week three in the spotlight
date: 2027-05-20T09:00:00-04:00
summary: A scheduled update.
---
Coming soon.
"""


def record_of(project, out: str = "site") -> dict:
    return json.loads((project.root / out / "spotlight-build.json").read_text())


def due(project, *args: str, as_of: str = "2027-05-15T12:20:00Z"):
    """(decision line, what --output received)."""
    output = project.root / "github-output.txt"
    output.unlink(missing_ok=True)
    result = project.run("due", "--as-of", as_of, "--output", str(output), *args)
    assert result.code == 0, result.err
    return result.out.strip(), output.read_text()


def test_the_build_records_its_sources_moment_and_next_change(project):
    assert project.build().code == 0
    record = record_of(project)
    assert record == {"format": 1, "sources": source_digest(project.root), "as_of": "2027-05-15T12:00:00+00:00",
                      "next_change": CAMPAIGN_ENDS}


def test_the_next_change_is_the_earliest_scheduled_one_and_is_not_named(project):
    project.write("content/updates/week-3.md", SCHEDULED)
    assert project.build().code == 0
    text = (project.root / "site/spotlight-build.json").read_text()
    assert json.loads(text)["next_change"] == "2027-05-20T09:00:00-04:00"
    # What is scheduled is not public before its moment: neither its title nor its file.
    assert "week-3" not in text and "Week three" not in text


def test_nothing_due_when_the_deployed_site_is_current(project):
    project.build()
    line, output = due(project, "--deployed", str(project.root / "site/spotlight-build.json"))
    assert line.startswith("nothing due") and CAMPAIGN_ENDS in line
    assert output == "due=false\n"


@pytest.mark.parametrize("edit", ["creators/maya.md", "theme/main.html", "mkdocs.yml", "content/assets/new.png"])
def test_due_when_a_source_changed_since_the_deploy(project, edit):
    project.build()
    path = project.root / edit
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as handle:
        handle.write(b"\n")
    line, output = due(project, "--deployed", str(project.root / "site/spotlight-build.json"))
    assert line.startswith("due: the sources changed since the deployed build")
    assert output == "due=true\n"


def test_the_digest_ignores_file_times_and_caches(project):
    before = source_digest(project.root)
    os.utime(project.root / "creators/maya.md", (0, 0))
    (project.root / ".spotlight-cache").mkdir()
    (project.root / ".spotlight-cache/x").write_text("x")
    (project.root / "site").mkdir()
    (project.root / "site/index.html").write_text("x")
    assert source_digest(project.root) == before


@pytest.mark.parametrize("as_of, expected", [
    ("2027-05-31T23:59:00-04:00", "nothing due"),
    (CAMPAIGN_ENDS, "due: the scheduled change of 2027-06-01T00:00:00-04:00 has come"),
])
def test_due_from_the_moment_of_the_recorded_next_change(project, as_of, expected):
    # A record as a deploy of that day left it (built the same day, so the daily rule stays out).
    project.build(as_of="2027-05-31T12:00:00-04:00")
    line, output = due(project, "--deployed", str(project.root / "site/spotlight-build.json"), as_of=as_of)
    assert line.startswith(expected)
    assert output == f"due={'false' if expected == 'nothing due' else 'true'}\n"


def test_due_once_a_day_even_with_nothing_scheduled(project):
    project.build()
    deployed = str(project.root / "site/spotlight-build.json")
    assert due(project, "--deployed", deployed, as_of="2027-05-16T11:59:00Z")[1] == "due=false\n"
    line, output = due(project, "--deployed", deployed, as_of="2027-05-16T12:00:00Z")
    assert line.startswith("due: the deployed site was built as of 2027-05-15T12:00:00+00:00, a day or more ago")
    assert output == "due=true\n"


@pytest.mark.parametrize("text, why", [
    (None, "No such file"),
    ("<html>404</html>", "not JSON"),
    ('{"format": 99}', "no record of its build"),
    ('{"format": 1, "sources": "x"}', "damaged"),
])
def test_due_when_the_deployed_record_is_missing_or_unreadable(project, text, why):
    deployed = project.root / "deployed.json"
    if text is not None:
        deployed.write_text(text)
    line, output = due(project, "--deployed", str(deployed))
    assert line.startswith("due: the deployed site") and why in line
    assert output == "due=true\n"


@contextmanager
def serving(folder):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_asks_the_site_at_its_site_url_by_default(project):
    project.build()
    with serving(project.root / "site") as address:
        config = project.root / "mkdocs.yml"
        config.write_text(config.read_text().replace("https://hub.example.org/", address + "/"))
        # mkdocs.yml is a source: the site built from the edited file is the deployed one.
        project.build()
        line, output = due(project)
        assert line.startswith("nothing due"), line
        (project.root / "site/spotlight-build.json").unlink()
        line, output = due(project)
    assert line == f"due: the deployed site cannot tell what it was built from ({address}/spotlight-build.json: HTTP 404)"
    assert output == "due=true\n"


def test_without_a_site_url_it_says_so_and_builds(project):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://hub.example.org/", "site_url: ''"))
    line, output = due(project)
    assert "mkdocs.yml has no site_url" in line and output == "due=true\n"


def test_the_workflow_entry_point_needs_neither_the_engine_nor_the_models(project):
    """`python -m spotlight.deployed` is what the scheduled run calls before installing anything."""
    project.build()
    code = ("import sys, spotlight.deployed as d\n"
            f"d.main(['--root', {str(project.root)!r}, '--deployed', {str(project.root / 'site/spotlight-build.json')!r},"
            " '--as-of', '2027-05-15T12:30:00Z'])\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'jinja2', 'markdown', 'langcodes',"
            " 'pycountry', 'nh3', 'material') or m in ('spotlight.models', 'spotlight.cli')]\n"
            "print('heavy:', heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.splitlines() == [
        f"nothing due: the deployed site (as of {MOMENT.replace('Z', '+00:00')}) is current; the next change is at "
        f"{CAMPAIGN_ENDS}", "heavy: []"]
