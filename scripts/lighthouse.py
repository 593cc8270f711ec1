#!/usr/bin/env python3
"""Lighthouse audit of a built Spotlight site, offline, in Debian's chromium.

    python scripts/lighthouse.py SITE_DIR [--min 0.98] [--page /path/ ...] [--reports DIR]

Serves SITE_DIR on 127.0.0.1 (a free port; the same host as the browser tests, so the
site's `_headers` are in force and text is gzip-compressed as real hosts do), then runs
the npm `lighthouse` CLI (node_modules/.bin/lighthouse, pinned in package.json) once per
page: mobile form factor and Lighthouse's default simulated throttling; categories
performance, accessibility, best-practices and SEO.

Pages, unless --page is given: `/`, the first creator page (sorted), `/get-help/` and
`/resources/`.

Prints a table of scores. Exit status: 0 every score >= --min; 1 some score is below it,
a page is missing or a run failed; 2 the command was misused (no site, no lighthouse,
no chromium).

Nothing here needs the internet: chromium runs with its background networking off, and
the audited pages only load from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
from siteserver import SiteServer, first_item_dir  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ATTEMPTS = 3  # runs of one page when Lighthouse itself fails (not when a score is low)
RUN_TIMEOUT = 240  # seconds for one page; a normal run takes 10-20 s


def default_pages(site: Path) -> list[str]:
    creator = first_item_dir(site, "creators")
    return [
        "/",
        f"/creators/{creator.name}/" if creator else "/creators/<none built>/",
        "/get-help/",
        "/resources/",
    ]


def page_exists(site: Path, page: str) -> bool:
    rel = page.strip("/")
    target = site / rel
    return (target / "index.html").is_file() if not rel.endswith(".html") else target.is_file()


def failing_audits(report: dict, category: str) -> list[str]:
    """The weighted audits that cost points in a category, worst first."""
    cat = report["categories"][category]
    rows = []
    for ref in cat["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            shown = audit.get("displayValue") or ""
            text = f"{audit['id']} ({score:.2f}{', ' + shown if shown else ''}): {audit.get('title', '')}"
            items = (audit.get("details") or {}).get("items") or []
            for item in items[:3]:
                text += "\n        " + describe_item(item)
            if len(items) > 3:
                text += f"\n        ... and {len(items) - 3} more"
            rows.append((score, text))
    return [text for _, text in sorted(rows, key=lambda row: row[0])]


def describe_item(item: dict) -> str:
    """One line about one finding of an audit: where it is and what is wrong."""
    node = item.get("node") if isinstance(item.get("node"), dict) else {}
    where = node.get("selector") or item.get("url") or (item.get("sourceLocation") or {}).get("url") or ""
    what = item.get("description") or (node.get("explanation") or "").replace("Fix any of the following:", "").strip()
    what = " ".join(str(what).split())
    line = f"{where}: {what}" if where and what else where or what or json.dumps(item)[:160]
    return line if len(line) <= 240 else line[:237] + "..."


def lighthouse_version(binary: Path) -> str:
    try:
        pkg = binary.resolve().parent.parent / "package.json"
        return json.loads(pkg.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "(version unknown)"


def run_lighthouse(binary: Path, chrome: str, url: str, out: Path, extra: list[str]) -> tuple[int, str]:
    cmd = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        *extra,
    ]
    env = dict(os.environ, CHROME_PATH=chrome)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=REPO)
    except subprocess.TimeoutExpired:
        return 124, f"lighthouse did not finish within {RUN_TIMEOUT} s"
    return proc.returncode, (proc.stderr or proc.stdout).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (python build.py build --out DIR)")
    parser.add_argument("--min", type=float, default=0.98, help="lowest passing category score, 0-1 (default 0.98)")
    parser.add_argument("--page", action="append", dest="pages", metavar="PATH", help="a page to audit (repeatable); default: home, first creator, get-help, resources")
    parser.add_argument("--reports", type=Path, help="keep each page's JSON report in this folder")
    parser.add_argument("--lighthouse", type=Path, default=REPO / "node_modules" / ".bin" / "lighthouse", help="the lighthouse CLI (default: node_modules/.bin/lighthouse)")
    parser.add_argument("--chrome-path", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"), help="chromium binary (default: $CHROME_PATH or /usr/bin/chromium)")
    parser.add_argument("--no-headers", action="store_true", help="do not apply the site's _headers file")
    parser.add_argument("lighthouse_args", nargs="*", help="after --: extra arguments for lighthouse")
    args = parser.parse_args(argv)

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"lighthouse.py: {args.site}: not a built site (no index.html); build it with: python build.py build --out {args.site}", file=sys.stderr)
        return 2
    if not args.lighthouse.exists():
        print(f"lighthouse.py: {args.lighthouse} not found; run `make browser-deps` (npm ci)", file=sys.stderr)
        return 2
    chrome = shutil.which(args.chrome_path) or args.chrome_path
    if not Path(chrome).is_file():
        print(f"lighthouse.py: chromium not found at {args.chrome_path}; install it (apt-get install chromium) or set CHROME_PATH", file=sys.stderr)
        return 2
    if not 0 <= args.min <= 1:
        print("lighthouse.py: --min must be between 0 and 1", file=sys.stderr)
        return 2

    pages = args.pages or default_pages(site)
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)

    results: list[tuple[str, dict[str, float | None], str]] = []
    problems: list[str] = []
    started = time.monotonic()
    with SiteServer(site, apply_headers=not args.no_headers) as base, tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        print(f"Lighthouse {lighthouse_version(args.lighthouse)} on {base} ({site}): mobile, simulated throttling, minimum score {args.min:.2f}", flush=True)
        for page in pages:
            if not page_exists(site, page):
                problems.append(f"{page}: not in the built site")
                results.append((page, {c: None for c in CATEGORIES}, "missing"))
                continue
            out = Path(tmp) / "report.json"
            t0 = time.monotonic()
            # Lighthouse itself sometimes fails to record a trace (NO_NAVSTART, about one run
            # in ten here): such a run says nothing about the page, so it is run again. A low
            # score is never retried.
            for attempt in range(1, ATTEMPTS + 1):
                out.unlink(missing_ok=True)
                code, log = run_lighthouse(args.lighthouse, chrome, base + page, out, args.lighthouse_args)
                report = json.loads(out.read_text(encoding="utf-8")) if code == 0 and out.is_file() else None
                error = (report or {}).get("runtimeError")
                if report is not None and not error:
                    break
                reason = f"{error.get('code')}: {error.get('message')}" if error else f"exited {code}: {log[-2000:]}"
                print(f"  {page}: lighthouse run {attempt}/{ATTEMPTS} failed ({reason})", flush=True)
            took = time.monotonic() - t0
            if report is None:
                problems.append(f"{page}: lighthouse {reason}")
                results.append((page, {c: None for c in CATEGORIES}, f"{took:.0f}s"))
                continue
            if args.reports:
                name = page.strip("/").replace("/", "_") or "home"
                shutil.copy(out, args.reports / f"{name}.json")
            if report.get("runtimeError"):
                problems.append(f"{page}: {report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}")
            for warning in report.get("runWarnings", []):
                print(f"  warning ({page}): {warning}")
            scores = {c: report["categories"].get(c, {}).get("score") for c in CATEGORIES}
            results.append((page, scores, f"{took:.0f}s"))
            for cat, score in scores.items():
                if score is None:
                    problems.append(f"{page}: {cat}: no score (the audit could not run)")
                elif score < args.min:
                    details = "\n      ".join(failing_audits(report, cat)) or "(no single weighted audit below 1)"
                    problems.append(f"{page}: {cat} {score:.2f} < {args.min:.2f}; points lost on:\n      {details}")
            print(f"  {page}: done in {took:.0f}s", flush=True)

    width = max(len(p) for p, _, _ in results) + 2
    header = "page".ljust(width) + "".join(c.rjust(16) for c in CATEGORIES) + "time".rjust(8)
    print()
    print(header)
    print("-" * len(header))
    for page, scores, took in results:
        cells = "".join(("-" if s is None else f"{s:.2f}{' !' if s < args.min else '  '}").rjust(16) for s in scores.values())
        print(page.ljust(width) + cells + took.rjust(8))
    print(f"\n{len(results)} page(s) in {time.monotonic() - started:.0f}s")
    if problems:
        print(f"\nFAILED: {len(problems)} problem(s) (minimum score {args.min:.2f}):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"OK: every score >= {args.min:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
