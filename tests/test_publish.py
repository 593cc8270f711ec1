"""Publishing: killed, failing and concurrent builds never leave the site missing or half
written; the machine failing is one line and exit 3; a bug in Spotlight is exit 4 and a file."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spotlight import publish
from spotlight.cli import main

from conftest import MOMENT, REPO, make_project

OLD = "2027-04-20T12:00:00Z"  # the campaign is upcoming: a different site from MOMENT's (live)
NEW = MOMENT

# A build in a subprocess whose publishing steps (publish.on_step) are logged and can pause:
# at PAUSE_AT it writes its pid to PAUSE_MARKER and waits until PAUSE_MARKER.release exists.
DRIVER = """
import os, sys, time
from pathlib import Path
from spotlight import publish
from spotlight.cli import main

def step(name, log=os.environ.get("STEP_LOG"), pause=os.environ.get("PAUSE_AT")):
    if log:
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {name}\\n")
    if name == pause:
        marker = Path(os.environ["PAUSE_MARKER"])
        marker.write_text(str(os.getpid()))
        while not marker.with_name(marker.name + ".release").exists():
            time.sleep(0.02)

publish.on_step = step
sys.exit(main(sys.argv[1:]))
"""


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def start_build(root: Path, as_of: str = NEW, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, "--root", str(root), "build", "--as-of", as_of],
                            cwd=root, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the build ended (exit {proc.returncode}) before {path.name}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no {path.name} after {timeout} s")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """A project with the OLD site published, the NEW site's digest, and how long a build takes."""
    root = tmp_path_factory.mktemp("published")
    make_project(root, None)
    assert main(["--root", str(root), "build", "--as-of", OLD]) == 0
    old = tree_digest(root / "site")
    reference = tmp_path_factory.mktemp("reference")
    make_project(reference, None)
    started = time.monotonic()
    proc = start_build(reference)
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    seconds = time.monotonic() - started
    new = tree_digest(reference / "site")
    assert old != new and len(old) > 30
    return root, old, new, seconds


@pytest.fixture
def published(sites, tmp_path):
    root, old, new, seconds = sites
    copy = tmp_path / "hub"
    shutil.copytree(root, copy, symlinks=True)
    return copy, old, new, seconds


def assert_whole_site(root: Path, old: dict, new: dict) -> str:
    site = tree_digest(root / "site")
    assert site in (old, new), "the published folder is neither the whole old site nor the whole new one"
    return "old" if site == old else "new"


def assert_next_build_cleans_up(root: Path, new: dict) -> None:
    assert main(["--root", str(root), "build", "--as-of", NEW]) == 0
    assert tree_digest(root / "site") == new
    assert leftovers(root) == []


@pytest.mark.parametrize("step", ["locked", "cleaned", "built", "swapping", "swapped", "done"])
def test_a_build_killed_at_each_step_of_publishing_leaves_a_whole_site(published, step):
    root, old, new, _ = published
    marker = root.parent / "paused"
    proc = start_build(root, PAUSE_AT=step, PAUSE_MARKER=str(marker))
    wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    which = assert_whole_site(root, old, new)
    assert which == ("new" if step in ("swapped", "done") else "old")
    if step in ("built", "swapping", "swapped"):
        assert [n for n in leftovers(root) if n.startswith(".site-build-")], "the killed build's folder is there"
    assert_next_build_cleans_up(root, new)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_build_killed_at_a_random_moment_leaves_a_whole_site(published, seed):
    root, old, new, seconds = published
    proc = start_build(root)
    time.sleep(random.Random(seed).uniform(0.1, seconds * 1.05))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert_whole_site(root, old, new)
    assert_next_build_cleans_up(root, new)


def test_two_builds_into_one_folder_take_turns(published):
    root, old, new, _ = published
    marker, log, said = root.parent / "paused", root.parent / "steps.log", root.parent / "second.err"
    first = start_build(root, PAUSE_AT="built", PAUSE_MARKER=str(marker), STEP_LOG=str(log))
    wait_for(marker, first)
    with said.open("w") as stderr:
        second = subprocess.Popen([sys.executable, "-c", DRIVER, "--root", str(root), "build", "--as-of", NEW],
                                  env={**os.environ, "STEP_LOG": str(log)}, stdout=subprocess.DEVNULL, stderr=stderr)
    waiting = f"build.py: another build is publishing site/ (process {first.pid}); waiting for it to finish\n"
    deadline = time.monotonic() + 120
    while said.read_text() != waiting:
        assert second.poll() is None and time.monotonic() < deadline, said.read_text()
        time.sleep(0.05)
    # The second build waits at the lock: it has not started a folder of its own or swapped.
    assert f"{second.pid} locked" not in log.read_text()
    assert len([n for n in leftovers(root) if n.startswith(".site-build-")]) == 1
    assert tree_digest(root / "site") == old
    marker.with_name(marker.name + ".release").write_text("")
    assert first.wait(timeout=120) == 0
    assert second.wait(timeout=300) == 0
    steps = log.read_text().split("\n")
    assert steps.index(f"{first.pid} done") < steps.index(f"{second.pid} locked")
    assert tree_digest(root / "site") == new
    assert leftovers(root) == []


def test_without_an_atomic_swap_a_build_killed_between_the_renames_is_undone_by_the_next(published):
    """The fallback of systems without renameat2: two renames. Between them `site/` is missing;
    the next build puts the previous site back, even when that build fails on its content."""
    root, old, new, _ = published
    marker = root.parent / "paused"
    no_exchange = DRIVER.replace("publish.on_step = step", "publish.on_step = step\npublish.exchange = lambda a, b: False")
    proc = subprocess.Popen([sys.executable, "-c", no_exchange, "--root", str(root), "build", "--as-of", NEW],
                            env={**os.environ, "PAUSE_AT": "moved-old", "PAUSE_MARKER": str(marker)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (root / "site").exists()
    (root / "creators" / "broken.md").write_text("---\nname: [unclosed\n---\n")
    assert main(["--root", str(root), "build", "--as-of", NEW]) == 1
    assert tree_digest(root / "site") == old
    assert leftovers(root) == []


def test_the_fallback_publishes_too(project, monkeypatch):
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    assert project.build("site", OLD).code == 0
    assert project.build("site", NEW).code == 0
    assert "Happening now" in (project.root / "site" / "campaigns" / "mham-2027" / "index.html").read_text()
    assert leftovers(project.root) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two").write_text("b")
    assert publish.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["two"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["one"]


def machine_failure(project, monkeypatch, owner, name: str, code: int, only: str = ""):
    """Build OLD, then NEW with `owner.name` failing with `code` (on paths containing `only`)."""
    assert project.build("site", OLD).code == 0
    before = tree_digest(project.root / "site")
    real = getattr(owner, name)

    def fail(*args, **kwargs):
        path = str(args[-1]) if args else ""
        if only not in path:
            return real(*args, **kwargs)
        raise OSError(code, os.strerror(code), path)

    monkeypatch.setattr(owner, name, fail)
    result = project.build("site", NEW)
    monkeypatch.undo()
    assert tree_digest(project.root / "site") == before
    assert leftovers(project.root) == []
    return result


def test_a_full_disk_is_one_line_and_exit_3(project, monkeypatch):
    import mkdocs.utils

    result = machine_failure(project, monkeypatch, mkdocs.utils, "write_file", errno.ENOSPC)
    assert (result.code, result.err) == (3, "build.py: cannot write site/: no space left on device\n")


def test_a_read_only_output_folder_is_one_line_and_exit_3(project, monkeypatch):
    result = machine_failure(project, monkeypatch, os, "mkdir", errno.EROFS, only=".site-build-")
    assert (result.code, result.err) == (3, "build.py: cannot write site/: read-only file system\n")


@pytest.mark.parametrize("code, words", [(errno.EACCES, "permission denied"), (errno.EPERM, "operation not permitted")])
def test_no_permission_to_swap_is_one_line_and_exit_3(project, monkeypatch, code, words):
    result = machine_failure(project, monkeypatch, publish, "exchange", code)
    assert (result.code, result.err) == (3, f"build.py: cannot write site/: {words}\n")


def test_a_real_file_size_limit_is_one_line_and_exit_3(published):
    """Not simulated: the kernel refuses writes past RLIMIT_FSIZE (EFBIG), as a full disk would."""
    root, old, _, _ = published

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--as-of", NEW],
                          capture_output=True, text=True, preexec_fn=limit_file_size, timeout=300)
    assert (proc.returncode, proc.stderr) == (3, "build.py: cannot write site/: file too large\n")
    assert tree_digest(root / "site") == old
    assert leftovers(root) == []


def test_an_internal_error_is_exit_4_with_the_traceback_in_a_file(project, monkeypatch, tmp_path):
    import tempfile

    assert project.build("site", OLD).code == 0
    before = tree_digest(project.root / "site")
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(reports))

    def bug(step):
        if step == "built":
            raise RuntimeError("an injected bug")

    monkeypatch.setattr(publish, "on_step", bug)
    result = project.build("site", NEW)
    assert result.code == 4
    [line] = result.err.splitlines()
    [report] = reports.iterdir()
    assert line == (f"build.py: internal error — please report it with the file {report} "
                    "(RuntimeError; the file holds the details)")
    details = report.read_text()
    assert "Traceback (most recent call last)" in details and "RuntimeError: an injected bug" in details
    assert f"command: build.py --root {project.root} build --out site --as-of {NEW}" in details
    assert tree_digest(project.root / "site") == before
    assert leftovers(project.root) == []


def test_a_previous_site_that_cannot_be_removed_is_said_and_the_new_one_stays(project, monkeypatch):
    assert project.build("site", OLD).code == 0
    real_rmtree = shutil.rmtree

    def refuse(path, *args, **kwargs):
        if Path(path).name.startswith(".site-build-"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", refuse)
    result = project.build("site", NEW)
    assert result.code == 0
    [line] = [line for line in result.err.splitlines() if "cannot remove" in line]
    assert line.startswith("build.py: cannot remove .site-build-")
    assert line.endswith("/ (permission denied); the next build will try again")
    assert "Happening now" in (project.root / "site" / "campaigns" / "mham-2027" / "index.html").read_text()
    monkeypatch.undo()
    assert project.build("site", NEW).code == 0
    assert leftovers(project.root) == []


def as_if_not_root(monkeypatch) -> None:
    """Removing an entry needs write permission on its folder, even for root, as for everyone
    else (the tests run as root in CI, for whom the kernel skips that check)."""
    for name in ("unlink", "rmdir"):
        real = getattr(os, name)

        def checked(path, *args, dir_fd=None, real=real, **kwargs):
            folder = os.fstat(dir_fd) if dir_fd is not None else os.stat(os.path.dirname(os.path.abspath(path)))
            if not folder.st_mode & stat.S_IWUSR:
                raise PermissionError(errno.EACCES, "Permission denied", path)
            return real(path, *args, dir_fd=dir_fd, **kwargs)

        monkeypatch.setattr(os, name, checked)


def test_a_read_only_previous_site_is_removed(project, monkeypatch):
    """A deploy tool may leave the published folders read-only; they are the build's own."""
    as_if_not_root(monkeypatch)
    assert project.build("site", OLD).code == 0
    for folder in [project.root / "site", *(p for p in (project.root / "site").rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    result = project.build("site", NEW)
    assert result.code == 0, result.err
    assert leftovers(project.root) == []


@pytest.mark.parametrize("out", ["content", ".", "..", "creators/site", "mkdocs.yml"])
def test_the_output_folder_cannot_be_a_source_folder(project, out):
    before = tree_digest(project.root / "content")
    result = project.build(out)
    assert result.code == 2
    assert result.err.startswith(f"build.py: --out {out}: ")
    assert tree_digest(project.root / "content") == before


def test_a_killed_builds_lock_file_does_not_block_the_next(published):
    root, _, new, _ = published
    (root / ".site.lock").write_text("99999\n")  # what a killed build leaves
    assert_next_build_cleans_up(root, new)
