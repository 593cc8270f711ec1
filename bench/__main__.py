"""python -m bench --creators 1000 10000: Spotlight against plain MkDocs, in one run, on this machine.

For each size it generates a fictional hub (bench/corpus.py), then times, each in its own
process (wall time and peak resident memory from the kernel):

- check      `build.py check`: loading and validating every file, nothing written;
- spotlight  `build.py build`: the full build, as CI runs it;
- mkdocs     the baseline: plain `mkdocs build` with Material on the same pages Spotlight
             generates (written out as Markdown files), same nav and Markdown extensions,
             without Spotlight's plugin or theme overrides;
- serve      `build.py serve`: from saving one creator file to the changed page being served.

Then it prints one table, the page weight of a creator page, the search index's size, and
every goal of the performance issue with its measured figure. Nothing here is asserted:
timing on a shared machine varies, so the figures are for reading, not for failing a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .corpus import DEFAULT_AS_OF, generate
from .serving import REPO, fetch, serve_process

PY = sys.executable


@dataclass
class Run:
    seconds: float
    peak_mb: float


@dataclass
class Size:
    creators: int
    files: int = 0
    pages: int = 0
    out_bytes: int = 0
    runs: dict[str, Run] = field(default_factory=dict)
    serve_seconds: list[float] = field(default_factory=list)
    page_weight: dict[str, int] = field(default_factory=dict)
    search_bytes: tuple[int, int] = (0, 0)


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall time and peak RSS of one child process; stops the benchmark if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{err.read().decode()[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def baseline_project(root: Path, base: Path) -> None:
    """The same generated pages as plain Markdown files, built by MkDocs and Material alone."""
    sys.path.insert(0, str(REPO))
    from spotlight.pipeline import load  # noqa: PLC0415
    from spotlight.render import Renderer  # noqa: PLC0415
    from spotlight.schedule import parse_as_of  # noqa: PLC0415
    from spotlight.settings import read_settings  # noqa: PLC0415

    settings = read_settings(root)
    content, _ = load(root, parse_as_of(DEFAULT_AS_OF, settings.tz), settings=settings)
    docs = base / "docs"
    for page in Renderer(content).render_all():
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        # The page's HTML with its title as front matter; Spotlight's own page templates
        # (search.html) are theme overrides the baseline lacks.
        path.write_text(f"---\ntitle: {json.dumps(page.title)}\n---\n\n{page.html}\n", encoding="utf-8")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    config["docs_dir"] = "docs"
    config["theme"] = {"name": "material", "font": False, "features": config["theme"].get("features", [])}
    config["plugins"] = ["search"]
    (base / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def serve_edits(root: Path, slug: str, edits: int, first_build_timeout: float) -> list[float]:
    """Seconds from saving a creator file to `serve` answering with the changed page."""
    source = root / "creators" / f"{slug}.md"
    original = source.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        with serve_process(root, as_of=DEFAULT_AS_OF) as (base, proc):
            url = f"{base}/creators/{slug}/"
            deadline = time.monotonic() + first_build_timeout
            while "</html>" not in fetch(url):
                if time.monotonic() > deadline or proc.poll() is not None:
                    sys.exit(f"bench: serve did not answer {url}")
                time.sleep(0.2)
            for i in range(edits):
                marker = f"Benchmark edit number {i} {time.time_ns()}."
                start = time.perf_counter()
                source.write_text(original + f"\n{marker}\n", encoding="utf-8")
                while marker not in fetch(url):
                    if time.perf_counter() - start > first_build_timeout:
                        sys.exit("bench: the edit never appeared in serve")
                    time.sleep(0.02)
                times.append(time.perf_counter() - start)
                time.sleep(1.0)  # let the server settle before the next save
    finally:
        source.write_text(original, encoding="utf-8")
    return times


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def page_weight(site: Path, page: str) -> dict[str, int]:
    """Compressed bytes a first visit to `page` transfers: the HTML and every stylesheet, script and font it loads."""
    html_path = site / page / "index.html"
    html = html_path.read_text(encoding="utf-8")
    weight = {"html": gz(html.encode())}
    css_js = 0
    for ref in re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html):
        path = (html_path.parent / ref.split("?")[0]).resolve()
        if path.is_file():
            data = path.read_bytes()
            css_js += gz(data)
            for font in re.findall(rb"url\(([^)]+\.woff2?)\)", data):  # fonts a stylesheet loads
                font_path = (path.parent / font.decode().strip("'\"")).resolve()
                if font_path.is_file():
                    css_js += font_path.stat().st_size
    weight["css, js and fonts"] = css_js
    weight["total"] = weight["html"] + css_js
    return weight


def measure(creators: int, workdir: Path, edits: int) -> Size:
    size = Size(creators)
    root = workdir / f"hub-{creators}"
    corpus = generate(root, creators, repo=REPO)
    size.files = corpus.files
    print(f"  {creators} creators: {corpus.files} source files in {root}", flush=True)
    size.runs["check"] = timed([PY, str(REPO / "build.py"), "check", "--as-of", DEFAULT_AS_OF], root)
    size.runs["spotlight"] = timed([PY, str(REPO / "build.py"), "build", "--out", "site", "--as-of", DEFAULT_AS_OF], root)
    base = workdir / f"baseline-{creators}"
    baseline_project(root, base)
    size.runs["mkdocs"] = timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(base / "mkdocs.yml"), "-d", str(base / "site")],
                                base, {"NO_MKDOCS_2_WARNING": "1"})
    site = root / "site"
    html = list(site.rglob("*.html"))
    size.pages = len(html)
    size.out_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    size.page_weight = page_weight(site, f"creators/{corpus.creators[0]}")
    index = (site / "search/search_index.json").read_bytes()
    size.search_bytes = (len(index), gz(index))
    if edits:
        size.serve_seconds = serve_edits(root, corpus.creators[len(corpus.creators) // 2], edits,
                                         first_build_timeout=60 + creators / 20)
    print(f"  {creators} creators: done", flush=True)
    return size


def report(sizes: list[Size]) -> str:
    lines = []
    add = lines.append
    add("| creators | step | wall s | vs mkdocs | peak MB | pages | output MB | bytes/page |")
    add("|---:|---|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        base = s.runs["mkdocs"].seconds
        for step in ("check", "spotlight", "mkdocs"):
            run = s.runs[step]
            ratio = f"{run.seconds / base:.2f}x" if step != "check" else "-"
            pages = f"{s.pages}" if step != "check" else "-"
            out = f"{s.out_bytes / 1e6:.1f}" if step == "spotlight" else "-"
            per = f"{s.out_bytes // max(s.pages, 1):,}" if step == "spotlight" else "-"
            add(f"| {s.creators:,} | {step} | {run.seconds:.2f} | {ratio} | {run.peak_mb:.0f} | {pages} | {out} | {per} |")
        if s.serve_seconds:
            add(f"| {s.creators:,} | serve edit (median of {len(s.serve_seconds)}) | {statistics.median(s.serve_seconds):.2f} | - | - | - | - | - |")
    add("")
    for s in sizes:
        w = s.page_weight
        add(f"{s.creators:,} creators: a creator page transfers {w['total'] / 1024:.1f} KiB compressed on a first visit "
            f"(HTML {w['html'] / 1024:.1f} KiB, CSS/JS/fonts {w['css, js and fonts'] / 1024:.1f} KiB); "
            f"search index {s.search_bytes[0] / 1e6:.2f} MB, {s.search_bytes[1] / 1e6:.2f} MB compressed")
    add("")
    add("Goals (measured, not asserted):")
    for s in sizes:
        run, base = s.runs["spotlight"], s.runs["mkdocs"]
        add(goal(f"full build <= 1.10x plain MkDocs at {s.creators:,}", run.seconds / base.seconds, 1.10, "x"))
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        per_small = small.runs["spotlight"].seconds / small.pages
        per_large = large.runs["spotlight"].seconds / large.pages
        add(goal(f"per-page build time at {large.creators:,} <= 1.2x that at {small.creators:,}", per_large / per_small, 1.2, "x"))
    for s in sizes:
        add(goal(f"peak memory of the build at {s.creators:,}", s.runs["spotlight"].peak_mb, 300, " MB"))
        add(goal(f"validating {s.files:,} files", s.runs["check"].seconds, 2.0, " s"))
        if s.serve_seconds:
            add(goal(f"one-file edit visible in serve at {s.creators:,}", statistics.median(s.serve_seconds), 0.5, " s"))
        add(goal(f"creator page weight at {s.creators:,}", s.page_weight["total"] / 1024, 60, " KiB"))
        add(goal(f"search index compressed at {s.creators:,}", s.search_bytes[1] / 1e6, 1.0, " MB"))
    return "\n".join(lines)


def goal(what: str, value: float, limit: float, unit: str) -> str:
    mark = "met" if value <= limit else "NOT met"
    return f"- {what}: {value:.2f}{unit} (goal <= {limit:g}{unit}): {mark}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, nargs="+", default=[1000, 10000], help="hub sizes (default: 1000 10000)")
    parser.add_argument("--edits", type=int, default=3, help="serve edits to time per size (0 skips serve; default 3)")
    parser.add_argument("--serve-max", type=int, default=1000,
                        help="time serve only up to this many creators (default 1000, the goal's size)")
    parser.add_argument("--workdir", help="keep the generated hubs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="spotlight-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"Spotlight benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, as of {DEFAULT_AS_OF}", flush=True)
    try:
        sizes = [measure(n, workdir, args.edits if n <= args.serve_max else 0) for n in sorted(args.creators)]
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report(sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
