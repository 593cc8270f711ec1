"""`python build.py ...` with any Python: it runs again inside the project's .venv, or says in one line what to run."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from spotlight.environment import MODULES, REEXEC_VARIABLE

from conftest import MOMENT, REPO


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_modules_checked_are_pyprojects_dependencies():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    required = {normal(re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0]) for dep in pyproject["project"]["dependencies"]}
    assert {normal(p) for p in MODULES.values()} == required
    # ...and each module is the one its package installs.
    given = importlib.metadata.packages_distributions()
    for module, package in MODULES.items():
        assert normal(package) in {normal(d) for d in given.get(module, [])}, module


def scratch_checkout(tmp_path: Path, venv_python: str | None) -> Path:
    """build.py and spotlight/ as in a checkout, with a .venv whose python runs `venv_python`."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(REPO / "build.py", checkout / "build.py")
    (checkout / "spotlight").symlink_to(REPO / "spotlight")
    if venv_python is not None:
        python = checkout / ".venv" / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text(f'#!/bin/sh\nexec {venv_python} "$@"\n', encoding="utf-8")
        python.chmod(0o755)
    return checkout


def run_without_packages(checkout: Path, project) -> subprocess.CompletedProcess:
    # -S: this Python leaves out site-packages, so it has none of Spotlight's packages.
    env = {k: v for k, v in os.environ.items() if k not in (REEXEC_VARIABLE, "PYTHONPATH")}
    return subprocess.run([sys.executable, "-S", str(checkout / "build.py"), "--root", str(project.root),
                           "check", "--as-of", MOMENT], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.skipif(os.name == "nt", reason="the scratch .venv's python is a shell script")
def test_a_python_without_the_packages_runs_the_command_with_the_venvs_python(project, tmp_path):
    checkout = scratch_checkout(tmp_path, sys.executable)
    done = run_without_packages(checkout, project)
    assert done.returncode == 0, done.stderr
    assert "0 error(s), 0 warning(s)" in done.stderr


@pytest.mark.skipif(os.name == "nt", reason="the scratch .venv's python is a shell script")
def test_a_venv_without_the_packages_is_one_line_and_not_a_loop(project, tmp_path):
    checkout = scratch_checkout(tmp_path, f"{sys.executable} -S")
    done = run_without_packages(checkout, project)
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        f"build.py: the project's .venv ({checkout}/.venv/bin/python) lacks 'mkdocs', a package Spotlight needs; "
        "run `make install` to bring .venv up to date, then run the command again"]


def test_without_a_venv_the_missing_package_is_one_line_saying_what_to_run(project, tmp_path):
    checkout = scratch_checkout(tmp_path, None)
    done = run_without_packages(checkout, project)
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        f"build.py: this Python ({sys.executable}) lacks 'mkdocs', a package Spotlight needs; "
        "run `make install` once (it makes .venv with them), then run the command again"]
