"""The benchmark stays runnable: a tiny run prints every row and goal (timings are not asserted)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import REPO

HUGO_SKIP = "skipped: hugo not installed (apt-get install hugo)"
VERDICT = re.compile(r": (met|NOT met|not measured)$")


def bench(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "bench", "--repeat", "1", *args],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def figures(out: str, creators: int, step: str) -> bool:
    """True when the table has a timed row (wall and CPU seconds, peak memory) for this step."""
    return re.search(rf"^\| {creators} \| {step} \| \d+\.\d\d \| \d+\.\d\d \| .* \| \d+ \|", out,
                     re.M) is not None


def skipped(creators: int, step: str, why: str) -> str:
    return f"| {creators} | {step} | - | - | - | - | - | - | - | {why} |"


def goal_lines(out: str, heading: str) -> list[str]:
    block = out.split(heading, 1)[1].split("\n\n", 1)[0]
    return [line for line in block.splitlines() if line.startswith("- ")]


def test_a_small_benchmark_run_prints_every_row_and_goal():
    out = bench("--creators", "10", "30", "--edits", "1")
    assert re.search(r"^Baselines: mkdocs \d[\d.]*, mkdocs-material \d[\d.]*, ", out, re.M)
    for creators in (10, 30):
        for step in ("check", "build", "rebuild", "mkdocs", "mkdocs generated"):
            assert figures(out, creators, step), (creators, step)
        if shutil.which("hugo"):
            assert figures(out, creators, "hugo"), creators
            assert re.search(r"^Baselines: .*, hugo v\d", out, re.M)
        else:
            assert skipped(creators, "hugo", HUGO_SKIP) in out
        assert f"| {creators} | serve edit |" in out and "median of 1" in out
    cache = "(no persistent cache yet: a full build|warm persistent cache)"
    assert re.search(rf"^\| 10 \| rebuild \|.*\| {cache} \|$", out, re.M)
    assert "a creator page transfers" in out and "search index" in out
    new = goal_lines(out, "Goals of issue 10")
    # Per size: build vs MkDocs, rebuild vs Hugo, memory, serve; once: 10,000 in 30 s, per-page time.
    assert len(new) == 4 * 2 + 2
    ten_thousand = "- clean full build at 10,000 <= 30 s: no size of 10,000 or more in this run"
    assert f"{ten_thousand}: not measured" in new
    assert any(line.startswith("- per-page build time at 30 vs at 10: ") for line in new)
    assert len(goal_lines(out, "Goals of issue 6")) == 3 * 2
    assert all(VERDICT.search(line) for line in new + goal_lines(out, "Goals of issue 6"))


def test_without_hugo_the_row_says_how_to_install_it():
    out = bench("--creators", "5", "--edits", "0", "--generated-max", "0",
                "--hugo", str(REPO / "no-such-hugo"))
    assert "hugo not installed" in out.split("\n", 2)[1]  # the line naming the baselines' versions
    assert skipped(5, "hugo", HUGO_SKIP) in out
    assert skipped(5, "mkdocs generated", "skipped: only up to --generated-max 0 creators") in out
    assert figures(out, 5, "build") and figures(out, 5, "mkdocs")
    rebuild = "- rebuild after a one-file edit at 5 vs Hugo's full build"
    assert f"{rebuild}: hugo not installed: not measured" in out
    assert "| 5 | serve edit |" not in out


def test_bench_readme_documents_every_option_and_no_other():
    readme = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(--[a-z-]+)", readme, re.M))
    help_text = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=REPO, capture_output=True,
                               text=True, check=True).stdout
    real = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert documented == real


def test_only_the_timeline_part_times_the_timeline_check_on_the_sample_and_each_size():
    out = bench("--only", "timeline", "--creators", "5")
    assert re.search(r"^\| sample hub \| \d+ \| \d+ \| \d+ \| \d+ \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \|$",
                     out, re.M)
    assert re.search(r"^\| 5 creators \| \d+ \|", out, re.M)
    assert "| build |" not in out and "mkdocs" not in out  # only that part ran
    (line,) = goal_lines(out, "Goal of issue 11")
    assert line.startswith("- checking the sample hub's whole timeline: ") and VERDICT.search(line)
