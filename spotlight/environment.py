"""Before anything imports Spotlight's packages: a Python that lacks them becomes the project's .venv Python.

`python build.py ...` is what the README and the guides tell editors to type, and `python` is
often the system's, without Spotlight's packages. Rather than a ModuleNotFoundError traceback,
build.py runs itself again with `.venv/bin/python` (which `make site` / `make install` made)
when that exists, or prints one line saying what to run (exit 3: the machine is not set up).
Only the standard library is used here: nothing else may be importable yet.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

# The module each of pyproject.toml's dependencies gives, and the package that gives it
# (tests/test_environment.py keeps this list and pyproject.toml the same).
MODULES = {
    "mkdocs": "mkdocs",
    "material": "mkdocs-material",
    "yaml": "PyYAML",
    "frontmatter": "python-frontmatter",
    "jinja2": "Jinja2",
    "markdown": "Markdown",
    "feedgen": "feedgen",
    "icalendar": "icalendar",
    "pycountry": "pycountry",
    "langcodes": "langcodes",
    "language_data": "language_data",
    "jsonschema": "jsonschema",
    "nh3": "nh3",
    "confusable_homoglyphs": "confusable-homoglyphs",
    "PIL": "Pillow",
}
EXIT_MACHINE = 3  # as spotlight.cli: the machine is not able to run the command
# Set in the process build.py started with the .venv Python: it never starts another (no loop,
# even when that .venv is itself incomplete).
REEXEC_VARIABLE = "BUILD_PY_REEXECUTED"


def missing_package() -> str | None:
    """The first package Spotlight needs that this Python cannot import, or None."""
    for module, package in MODULES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a broken install: as good as missing
            found = False
        if not found:
            return package
    return None


def venv_python(project: Path) -> Path | None:
    """The Python of the project's virtual environment, made by `make install`, if there is one."""
    for rel in ("bin/python", "Scripts/python.exe"):  # POSIX, Windows
        python = project / ".venv" / rel
        if python.is_file():
            return python
    return None


def ensure_packages(script: Path, argv: list[str]) -> None:
    """Return if this Python has every package; else run `script` again with the project's .venv
    Python (never returns), or print one line and exit 3."""
    package = missing_package()
    if package is None:
        return
    project = script.parent
    python = venv_python(project)
    in_venv = Path(sys.prefix).resolve() == (project / ".venv").resolve()
    if python is not None and not in_venv and os.environ.get(REEXEC_VARIABLE) != str(python):
        command = [str(python), str(script), *argv]
        env = {**os.environ, REEXEC_VARIABLE: str(python)}
        if os.name == "nt":  # Windows has no exec that keeps the console's process
            raise SystemExit(subprocess.call(command, env=env))
        os.execve(python, command, env)
    if python is None:
        fix = "run `make install` once (it makes .venv with them), then run the command again"
        where = f"this Python ({sys.executable})"
    else:
        fix = "run `make install` to bring .venv up to date, then run the command again"
        where = f"the project's .venv ({python})"
    print(f"build.py: {where} lacks '{package}', a package Spotlight needs; {fix}", file=sys.stderr)
    raise SystemExit(EXIT_MACHINE)
