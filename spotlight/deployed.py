"""The deployed site's record (spotlight-build.json) and whether a publish run has anything to do.

A build writes `spotlight-build.json` at the site's root: a digest of the sources it was made
from, the moment it was built as of, and the next moment at which what readers see changes
(the first entry of the timeline). The scheduled publish run asks the deployed site for that
record and builds only when the sources changed since, the next change has come, or the
record is missing or a day old. This module imports only the standard library and PyYAML
(for mkdocs.yml's site_url), so a workflow can decide in seconds without installing
Spotlight: `python -m spotlight.deployed --output "$GITHUB_OUTPUT"` (`build.py due` is the same).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

RECORD = "spotlight-build.json"
FORMAT = 1
# What a site is made from, inside the project folder (package-lock.json: the form editor's
# bundle from npm is published under /admin/); the Spotlight package itself is added.
SOURCES = ("mkdocs.yml", "pyproject.toml", "package-lock.json", "creators", "content", "theme")
PACKAGE = Path(__file__).resolve().parent
# Rebuilt at least this often even when nothing is scheduled: what depends on the date alone
# (a crisis line's last_verified growing old) is checked by the build every day.
MAX_AGE = timedelta(days=1)


def source_digest(root: Path) -> str:
    """sha256 over every source file's path and bytes, in a fixed order: the same sources give the
    same digest on any machine, whatever the files' times. Hidden files and Python's caches are
    left out: they are not in a fresh clone."""
    digest = hashlib.sha256()
    places = [("project", root, name) for name in SOURCES] + [("spotlight", PACKAGE, ".")]
    for label, base, name in places:
        for path in _files(base / name):
            digest.update(f"{label}/{path.relative_to(base).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found.extend(Path(folder, f) for f in sorted(files) if not f.startswith(".") and not f.endswith(".pyc"))
    return found


def build_record(root: Path, as_of: datetime, next_change: datetime | None) -> bytes:
    """The record a build writes. Only the moment of the next change, never what changes: a
    scheduled item's name or file must not be readable before it is published."""
    record = {"format": FORMAT, "sources": source_digest(root), "as_of": as_of.isoformat(),
              "next_change": next_change.isoformat() if next_change else None}
    return (json.dumps(record, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Decision:
    due: bool
    reason: str


def decide(record: dict | None, sources: str, now: datetime, unreadable: str = "") -> Decision:
    """Whether a publish run must build and deploy, and why, in one line."""
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        why = unreadable or "it has no record of its build (spotlight-build.json) that this version reads"
        return Decision(True, f"due: the deployed site cannot tell what it was built from ({why})")
    try:
        as_of = _aware(record["as_of"])
        next_change = _aware(record["next_change"]) if record.get("next_change") else None
    except (KeyError, TypeError, ValueError) as exc:
        return Decision(True, f"due: the deployed site's record is damaged ({exc})")
    if record.get("sources") != sources:
        return Decision(True, f"due: the sources changed since the deployed build (as of {as_of.isoformat()})")
    if next_change is not None and next_change <= now:
        return Decision(True, f"due: the scheduled change of {next_change.isoformat()} has come "
                              f"(the deployed site was built as of {as_of.isoformat()})")
    if now - as_of >= MAX_AGE:
        return Decision(True, f"due: the deployed site was built as of {as_of.isoformat()}, a day or more ago "
                              f"(a daily build checks what depends on the date alone)")
    until = f"; the next change is at {next_change.isoformat()}" if next_change else "; nothing is scheduled"
    return Decision(False, f"nothing due: the deployed site (as of {as_of.isoformat()}) is current{until}")


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no time zone offset")
    return moment


def read_record(where: str, now: datetime) -> tuple[dict | None, str]:
    """The record at a file path or an http(s) address, or (None, why it could not be read)."""
    try:
        if where.startswith(("https://", "http://")):
            # Past any cache between here and the host (GitHub Pages' CDN keeps files 10 minutes).
            url = f"{where}{'&' if '?' in where else '?'}at={int(now.timestamp())}"
            request = urllib.request.Request(url, headers={"Cache-Control": "no-cache",
                                                           "User-Agent": "spotlight-publish-check"})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s) only, above
                text = response.read(1 << 20).decode("utf-8")
        else:
            text = Path(where).read_text(encoding="utf-8")
        return json.loads(text), ""
    except urllib.error.HTTPError as exc:
        return None, f"{where}: HTTP {exc.code}"
    except (OSError, urllib.error.URLError) as exc:
        return None, f"{where}: {getattr(exc, 'reason', None) or getattr(exc, 'strerror', None) or exc}"
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{where}: not JSON ({exc})"


def deployed_address(root: Path) -> str | None:
    """Where the published site keeps its record: mkdocs.yml's site_url + spotlight-build.json."""
    from .settings import read_settings  # noqa: PLC0415 - PyYAML only when the address is needed

    url = read_settings(root).site_url
    return f"{url.rstrip('/')}/{RECORD}" if url else None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--deployed", metavar="FILE_OR_URL",
                        help="the deployed site's spotlight-build.json, a file or an address "
                             "(default: site_url in mkdocs.yml + /spotlight-build.json)")
    parser.add_argument("--as-of", dest="as_of", help="decide as of this moment (datetime with offset; default: now)")
    parser.add_argument("--output", metavar="FILE",
                        help="also append due=true|false to FILE (a workflow passes \"$GITHUB_OUTPUT\")")


def run(args: argparse.Namespace, root: Path, now: datetime) -> int:
    """Print the decision; with --output, write it for the workflow. A failure to ask the deployed
    site means a build: publishing again is safe, missing a scheduled change is not."""
    where = args.deployed or deployed_address(root)
    if where:
        record, unreadable = read_record(where, now)
    else:
        record, unreadable = None, "mkdocs.yml has no site_url to ask; set it, or pass --deployed"
    decision = decide(record, source_digest(root), now, unreadable)
    print(decision.reason)
    if args.output:
        with open(args.output, "a", encoding="utf-8") as handle:
            handle.write(f"due={'true' if decision.due else 'false'}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spotlight.deployed",
                                     description="Whether the deployed site needs a new build (exit 0 either way).")
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        now = _aware(args.as_of) if args.as_of else datetime.now(timezone.utc).replace(microsecond=0)
    except ValueError as exc:
        parser.error(f"--as-of: {exc}")
    return run(args, Path(args.root).resolve(), now)


if __name__ == "__main__":
    sys.exit(main())
