"""The benchmark stays runnable: a tiny run prints every row and every goal (timings are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_a_small_benchmark_run_prints_the_table_and_goals():
    result = subprocess.run([sys.executable, "-m", "bench", "--creators", "10", "30", "--edits", "1"],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for row in ("| 10 | check |", "| 10 | spotlight |", "| 10 | mkdocs | ", "| 30 | spotlight |", "serve edit (median of 1)"):
        assert row in out, row
    assert "a creator page transfers" in out and "search index" in out
    goals = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(goals) == 2 + 1 + 2 * 5  # two ratio goals, linearity, five per size
    assert all(line.endswith(("met", "NOT met")) for line in goals)
