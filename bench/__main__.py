"""python -m bench --creators 1000 10000: Spotlight beside plain MkDocs and Hugo, in one run.

For each size it generates a fictional hub (bench/corpus.py), then times, each in its own
process (wall time and peak resident memory from the kernel), one after the other:

- check            `build.py check`: loading, validating and reviewing every file, nothing written;
- build            `build.py build` from nothing, as CI runs it;
- rebuild          `build.py build` again after one creator file is edited: with a warm
                   persistent cache once the build has one, until then the full build again;
- mkdocs           the baseline a hub author would otherwise use: every published creator as a
                   plain Markdown file (title and body), built by MkDocs + Material with their
                   defaults, the search plugin and a two-entry nav;
- hugo             the same Markdown files built by Hugo with a two-template layout (skipped,
                   saying so, when `hugo` is not installed);
- mkdocs generated issue 6's baseline, up to --generated-max creators: plain MkDocs + Material
                   on the pages Spotlight generates;
- serve edit       `build.py serve`: from saving one creator file to the changed page being served.

Then it prints one table, the page weight of a creator page, the search index's size, and
every goal of the performance issues with its measured figure. Nothing here is asserted:
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
from importlib import metadata
from pathlib import Path

from . import baselines
from .corpus import DEFAULT_AS_OF, generate
from .serving import REPO, fetch, serve_process

PY = sys.executable
BUILD = [PY, str(REPO / "build.py")]
# The rows of each size, in the order they run and are printed.
STEPS = ("check", "build", "rebuild", "mkdocs", "hugo", "mkdocs generated")
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}  # MkDocs' notice about 2.0, printed on every build


@dataclass
class Run:
    seconds: float
    peak_mb: float
    # User and system CPU time: on a shared machine wall time stretches with the load, this
    # much less. Hugo uses every core, so its CPU time can exceed its wall time.
    cpu_seconds: float = 0.0


@dataclass
class Row:
    """One timed step at one size: the median run, or why it was skipped."""

    runs: list[Run] = field(default_factory=list)
    pages: int = 0  # HTML pages written, 0 where the step writes none
    note: str = ""
    skipped: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)


@dataclass
class Size:
    creators: int
    files: int = 0
    out_bytes: int = 0
    rows: dict[str, Row] = field(default_factory=dict)
    serve_seconds: list[float] = field(default_factory=list)
    page_weight: dict[str, int] = field(default_factory=dict)
    search_bytes: tuple[int, int] | None = None
    loads: list[float] = field(default_factory=list)  # the 1-minute load average, now and then

    def measured(self, step: str) -> Row | None:
        row = self.rows.get(step)
        return row if row and row.runs else None


@dataclass(frozen=True)
class CacheOptions:
    """How to ask `build.py build` for a build from nothing and for a warm persistent cache.

    Issue 10 plans a persistent cache used by default with `--no-cache` to bypass it; this
    reads the build's own --help, so the rebuild row times the cache as soon as it exists."""

    clean: tuple[str, ...] = ()
    warm: tuple[str, ...] = ()
    exists: bool = False

    @property
    def note(self) -> str:
        return "warm persistent cache" if self.exists else "no persistent cache yet: a full build"


def cache_options() -> CacheOptions:
    help_text = subprocess.run([*BUILD, "build", "--help"], capture_output=True, text=True,
                               cwd=REPO).stdout
    if re.search(r"--no-cache\b", help_text):
        return CacheOptions(clean=("--no-cache",), exists=True)
    if re.search(r"--cache\b(?!-)", help_text):
        return CacheOptions(warm=("--cache",), exists=True)
    return CacheOptions()


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall time and peak RSS of one child process; stops the benchmark if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode()[-3000:]
            sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    # ru_maxrss is in KiB on Linux; it and the CPU times cover the children the process waited for.
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def time_build(cmd: list[str], cwd: Path, out: Path, repeat: int, env: dict | None = None) -> Row:
    """`repeat` builds from nothing (the output folder removed before each)."""
    row = Row()
    for _ in range(repeat):
        fresh(out)
        row.runs.append(timed(cmd, cwd, env))
    row.pages = html_pages(out)
    return row


def time_rebuild(root: Path, slug: str, cache: CacheOptions, repeat: int) -> Row:
    """`build.py build` after one creator file changed, the site (and cache) from the build before."""
    source = root / "creators" / f"{slug}.md"
    original = source.read_text(encoding="utf-8")
    build = [*BUILD, "build", "--out", "site", "--as-of", DEFAULT_AS_OF, *cache.warm]
    row = Row(note=cache.note)
    try:
        if cache.exists:
            timed(build, root)  # fill the cache: the clean build was asked not to use it
        for i in range(repeat):
            source.write_text(original + f"\nBenchmark rebuild number {i}.\n", encoding="utf-8")
            row.runs.append(timed(build, root))
    finally:
        source.write_text(original, encoding="utf-8")
    row.pages = html_pages(root / "site")
    return row


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
    """Compressed bytes a first visit to `page` transfers: its HTML and every stylesheet, script
    and font it loads."""
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


@dataclass
class Options:
    workdir: Path
    repeat: int
    edits: int
    generated_max: int
    hugo: str | None
    cache: CacheOptions


def measure(creators: int, opts: Options) -> Size:
    size = Size(creators)
    root = opts.workdir / f"hub-{creators}"
    corpus = generate(fresh(root), creators, repo=REPO)
    size.files = corpus.files
    pages = corpus.creator_pages
    print(f"  {creators} creators: {corpus.files} source files, {len(pages)} published creators "
          f"in {root}", flush=True)
    repeat = opts.repeat if creators <= 1000 else 1
    edited = corpus.creators[len(corpus.creators) // 2]

    size.loads.append(os.getloadavg()[0])
    check = [*BUILD, "check", "--as-of", DEFAULT_AS_OF]
    size.rows["check"] = Row(runs=[timed(check, root) for _ in range(repeat)])
    build = [*BUILD, "build", "--out", "site", "--as-of", DEFAULT_AS_OF, *opts.cache.clean]
    size.rows["build"] = time_build(build, root, root / "site", repeat)
    site = root / "site"
    size.out_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    size.page_weight = page_weight(site, f"creators/{corpus.creators[0]}")
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = index.read_bytes()
        size.search_bytes = (len(data), gz(data))
    size.rows["rebuild"] = time_rebuild(root, edited, opts.cache, repeat)
    size.loads.append(os.getloadavg()[0])

    plain = f"{len(pages):,} creators as plain Markdown"
    base = fresh(opts.workdir / f"mkdocs-{creators}")
    mkdocs = baselines.plain_mkdocs(base, pages)
    size.rows["mkdocs"] = time_build(mkdocs, base, base / "site", repeat, MKDOCS_ENV)
    size.rows["mkdocs"].note = f"the baseline: {plain}"
    if opts.hugo:
        base = fresh(opts.workdir / f"hugo-{creators}")
        hugo = baselines.plain_hugo(base, pages, opts.hugo)
        size.rows["hugo"] = time_build(hugo, base, base / "public", repeat)
        size.rows["hugo"].note = plain
    else:
        size.rows["hugo"] = Row(skipped=baselines.HUGO_MISSING)
    base = fresh(opts.workdir / f"generated-{creators}")
    generated = generated_row(root, base, creators, opts.generated_max, repeat)
    if generated.runs:
        spotlight = size.rows["build"].seconds / generated.seconds
        generated.note = f"issue 6's baseline, Spotlight's pages; build is {spotlight:.2f}x this"
    size.rows["mkdocs generated"] = generated
    size.loads.append(os.getloadavg()[0])
    if opts.edits:
        size.serve_seconds = serve_edits(root, edited, opts.edits,
                                         first_build_timeout=60 + creators / 20)
    size.loads.append(os.getloadavg()[0])
    print(f"  {creators} creators: done", flush=True)
    return size


def generated_row(root: Path, base: Path, creators: int, generated_max: int, repeat: int) -> Row:
    if creators > generated_max:
        return Row(skipped=f"skipped: only up to --generated-max {generated_max:,} creators")
    try:
        cmd = baselines.generated_mkdocs(root, base, REPO)
    except baselines.Unavailable as why:
        return Row(skipped=f"skipped: {why}")
    return time_build(cmd, base, base / "site", repeat, MKDOCS_ENV)


def ratio(row: Row, base: Row | None) -> str:
    return f"{row.seconds / base.seconds:.2f}x" if base else "-"


def cells(*values: str) -> str:
    return "| " + " | ".join(values) + " |"


def report(sizes: list[Size], cache: CacheOptions) -> str:
    lines = []
    add = lines.append
    add(cells("creators", "step", "wall s", "cpu s", "vs MkDocs", "vs Hugo", "peak MB", "pages", "ms/page",
              "note"))
    add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for s in sizes:
        n = f"{s.creators:,}"
        mkdocs, hugo = s.measured("mkdocs"), s.measured("hugo")
        for step in STEPS:
            row = s.rows[step]
            if row.skipped:
                add(cells(n, step, *["-"] * 7, row.skipped))
                continue
            pages = f"{row.pages:,}" if row.pages else "-"
            per_page = f"{1000 * row.seconds / row.pages:.2f}" if row.pages else "-"
            # Issue 6's baseline builds other pages than the plain baselines: no ratio between them.
            compared = step not in ("check", "mkdocs generated")
            vs_mkdocs, vs_hugo = (ratio(row, mkdocs), ratio(row, hugo)) if compared else ("-", "-")
            add(cells(n, step, f"{row.seconds:.2f}", f"{row.cpu_seconds:.2f}", vs_mkdocs, vs_hugo,
                      f"{row.peak_mb:.0f}", pages, per_page, row.note))
        if s.serve_seconds:
            median = statistics.median(s.serve_seconds)
            add(cells(n, "serve edit", f"{median:.2f}", *["-"] * 6, f"median of {len(s.serve_seconds)}"))
    add("")
    for s in sizes:
        w = s.page_weight
        index = "no search/search_index.json"
        if s.search_bytes:
            index = (f"search index {s.search_bytes[0] / 1e6:.2f} MB, "
                     f"{s.search_bytes[1] / 1e6:.2f} MB compressed")
        add(f"{s.creators:,} creators: Spotlight writes {s.out_bytes / 1e6:.1f} MB; a creator page "
            f"transfers {w['total'] / 1024:.1f} KiB compressed on a first visit "
            f"(HTML {w['html'] / 1024:.1f} KiB, CSS/JS/fonts {w['css, js and fonts'] / 1024:.1f} KiB); "
            f"{index}")
    cpus = os.cpu_count()
    for s in sizes:
        add(f"{s.creators:,} creators: load average (1 minute) {min(s.loads):.1f} to {max(s.loads):.1f} "
            f"on {cpus} CPU(s) during the runs (the benchmark itself counts for about 1)")
    add("")
    add("Goals of issue 10 (measured, not asserted):")
    lines += goals(sizes, cache)
    add("")
    add("Goals of issue 6 (measured, not asserted):")
    lines += earlier_goals(sizes)
    return "\n".join(lines)


def goal(what: str, value: float, limit: float, unit: str, detail: str = "") -> str:
    mark = "met" if value <= limit else "NOT met"
    detail = f" ({detail})" if detail else ""
    limit_text = f"{limit:.1f}" if unit == "x" else f"{limit:g}"
    return f"- {what}: {value:.2f}{unit}{detail} (goal <= {limit_text}{unit}): {mark}"


def unmeasured(what: str, why: str) -> str:
    return f"- {what}: {why}: not measured"


def goals(sizes: list[Size], cache: CacheOptions) -> list[str]:
    out = []
    for s in sizes:
        build, mkdocs = s.rows["build"], s.measured("mkdocs")
        cpu = build.cpu_seconds / mkdocs.cpu_seconds
        out.append(goal(f"clean full build at {s.creators:,} vs plain MkDocs",
                        build.seconds / mkdocs.seconds, 1.0, "x",
                        f"{build.seconds:.2f} s vs {mkdocs.seconds:.2f} s; CPU time {cpu:.2f}x"))
    for s in sizes:
        what = f"rebuild after a one-file edit at {s.creators:,} vs Hugo's full build"
        rebuild, hugo = s.rows["rebuild"], s.measured("hugo")
        if hugo is None:
            out.append(unmeasured(what, "hugo not installed"))
            continue
        out.append(goal(what, rebuild.seconds / hugo.seconds, 1.0, "x",
                        f"{rebuild.seconds:.2f} s vs {hugo.seconds:.2f} s; {cache.note}"))
    large = [s for s in sizes if s.creators >= 10_000]
    if large:
        for s in large:
            out.append(goal(f"clean full build at {s.creators:,}", s.rows["build"].seconds, 30, " s"))
    else:
        out.append(unmeasured("clean full build at 10,000 <= 30 s",
                              "no size of 10,000 or more in this run"))
    for s in sizes:
        out.append(goal(f"peak memory of the clean build at {s.creators:,}", s.rows["build"].peak_mb,
                        300, " MB"))
    if len(sizes) >= 2:
        small, big = sizes[0], sizes[-1]
        per_small = small.rows["build"].seconds / small.rows["build"].pages
        per_big = big.rows["build"].seconds / big.rows["build"].pages
        out.append(goal(f"per-page build time at {big.creators:,} vs at {small.creators:,}",
                        per_big / per_small, 1.2, "x",
                        f"{1000 * per_big:.2f} vs {1000 * per_small:.2f} ms/page"))
    else:
        out.append(unmeasured("per-page build time, largest size vs smallest",
                              "only one size in this run"))
    served = [s for s in sizes if s.serve_seconds]
    for s in served:
        out.append(goal(f"serve edit at {s.creators:,}", statistics.median(s.serve_seconds), 0.3, " s"))
    if not served:
        out.append(unmeasured("serve edit <= 0.3 s", "no serve edits in this run (--edits 0)"))
    return out


def earlier_goals(sizes: list[Size]) -> list[str]:
    out = []
    for s in sizes:
        out.append(goal(f"validating {s.files:,} files", s.rows["check"].seconds, 2.0, " s"))
        out.append(goal(f"creator page weight at {s.creators:,}", s.page_weight["total"] / 1024, 60,
                        " KiB"))
        what = f"search index compressed at {s.creators:,}"
        if s.search_bytes:
            out.append(goal(what, s.search_bytes[1] / 1e6, 1.0, " MB"))
        else:
            out.append(unmeasured(what, "no search/search_index.json"))
    return out


def versions(hugo_line: str | None) -> str:
    found = []
    for package in ("mkdocs", "mkdocs-material"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} not installed")
    found.append(hugo_line or "hugo not installed")
    return ", ".join(found)


def timeline_report(creators: list[int], workdir: Path, repeat: int) -> str:
    """`--only timeline`: what checking the whole timeline costs, on the sample hub and on each
    size's generated hub (bench/timeline.py times it in a process of its own), and the wall
    time of the `timeline` command beside `check`'s."""
    hubs: list[tuple[str, Path]] = [("sample hub", REPO)]
    for n in sorted(creators):
        hubs.append((f"{n:,} creators", generate(fresh(workdir / f"hub-{n}"), n, repo=REPO).root))
    lines = [cells("hub", "items", "references", "body links", "changes ahead", "timeline check ms",
                   "changes list ms", "check s", "timeline s"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    sample_ms = 0.0
    loads = [os.getloadavg()[0]]
    for name, root in hubs:
        done = subprocess.run([PY, "-m", "bench.timeline", str(root), DEFAULT_AS_OF, str(repeat)], cwd=REPO,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"bench: bench.timeline {root} failed:\n{done.stderr[-3000:]}")
        got = json.loads(done.stdout)
        sample_ms = sample_ms or got["check_ms"]
        check = [timed([*BUILD, "--root", str(root), "check", "--as-of", DEFAULT_AS_OF], REPO)
                 for _ in range(repeat)]
        listing = [timed([*BUILD, "--root", str(root), "timeline", "--as-of", DEFAULT_AS_OF, "--format", "json"],
                         REPO) for _ in range(repeat)]
        lines.append(cells(name, f"{got['items']:,}", f"{got['refs']:,}", f"{got['links']:,}",
                           f"{got['changes']:,}", f"{got['check_ms']:.2f}", f"{got['upcoming_ms']:.2f}",
                           f"{statistics.median(r.seconds for r in check):.2f}",
                           f"{statistics.median(r.seconds for r in listing):.2f}"))
        loads.append(os.getloadavg()[0])
    lines += ["", f"load average (1 minute) {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} CPU(s) "
              "during the runs (the benchmark itself counts for about 1)"]
    lines += ["", "Goal of issue 11 (measured, not asserted):",
              goal("checking the sample hub's whole timeline", sample_ms, 1000, " ms")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, nargs="+", default=[1000, 10000],
                        help="hub sizes (default: 1000 10000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each step at sizes up to 1,000 creators, the median shown "
                             "(default 3; larger sizes run once)")
    parser.add_argument("--edits", type=int, default=5,
                        help="serve edits to time per size (0 skips serve; default 5)")
    parser.add_argument("--serve-max", type=int, default=1000,
                        help="time serve only up to this many creators (default 1000, the goal's size)")
    parser.add_argument("--generated-max", type=int, default=1000,
                        help="build issue 6's baseline only up to this many creators (default 1000)")
    parser.add_argument("--hugo", default=shutil.which("hugo"),
                        help="the hugo program (default: hugo on PATH)")
    parser.add_argument("--workdir", help="keep the generated hubs here (default: a temporary folder)")
    parser.add_argument("--only", choices=["timeline"],
                        help="run only this part: 'timeline' times the whole-timeline check on the sample hub "
                             "and each size's hub, without the builds and baselines")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="spotlight-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.only == "timeline":
        print(f"Spotlight timeline benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
              f"as of {DEFAULT_AS_OF}", flush=True)
        try:
            print(timeline_report(args.creators, workdir, max(1, args.repeat)))
        finally:
            if not args.workdir:
                shutil.rmtree(workdir, ignore_errors=True)
        return 0
    hugo_line = baselines.hugo_version(args.hugo)
    cache = cache_options()
    print(f"Spotlight benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
          f"as of {DEFAULT_AS_OF}", flush=True)
    print(f"Baselines: {versions(hugo_line)}", flush=True)
    hugo = args.hugo if hugo_line else None
    try:
        sizes = [measure(n, Options(workdir, max(1, args.repeat), args.edits if n <= args.serve_max else 0,
                                    args.generated_max, hugo, cache))
                 for n in sorted(args.creators)]
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report(sizes, cache))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
