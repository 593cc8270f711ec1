"""`python -m bench --only timeline`: the whole-timeline check (spotlight/timeline.py) timed alone.

`python -m bench.timeline ROOT AS_OF REPEAT` loads the hub at ROOT once, as `check` does, then
times, in this process, what checking every later moment adds to it (timeline.check_timeline
over every reference and body link) and listing the changes ahead (timeline.upcoming), the
median of REPEAT runs each; it prints one JSON object. bench/__main__.py runs it in a process
of its own per hub, so that one hub's memory does not slow the next.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from spotlight.diagnostics import Report
from spotlight.lint import lint_content
from spotlight.pipeline import load
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.timeline import check_timeline, upcoming


def measure(root: Path, as_of: str, repeat: int) -> dict:
    settings = read_settings(root)
    moment = parse_as_of(as_of, settings.tz)
    start = time.perf_counter()
    content, report = load(root, moment, strict_freshness=True, settings=settings)
    load_seconds = time.perf_counter() - start
    # The body links to items' pages, as the review found them while loading (untimed).
    links = lint_content(root, content, content.site, Report())
    checks, lists = [], []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        check_timeline(content, Report(), links)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        ahead = upcoming(content)
        lists.append(time.perf_counter() - start)
    items = [item for by_slug in content.all.values() for item in by_slug.values()]
    return {
        "items": len(items),
        "refs": sum(len(item.refs) for item in items),
        "links": len(links),
        "changes": len(ahead),
        "errors": len(report.errors),
        "check_ms": 1000 * statistics.median(checks),
        "upcoming_ms": 1000 * statistics.median(lists),
        "load_s": load_seconds,
    }


if __name__ == "__main__":  # pragma: no cover - run by bench/__main__.py
    print(json.dumps(measure(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))))
