"""A hub that rewrites the sample keeps `make test` green while its content is valid.

A campaign team forks the repository and makes the hub its own. This test does what they do to a
copy of whatever hub the repository holds — spotlights an eleventh creator, renames the hub and
moves its address, drops the Canadian lines (and the mentions of them) — checks that the copy is
still valid, and then runs every test that reads the repository's hub (marker `sample`) against
the copy. Browser tests read the hub the same way (SPOTLIGHT_SAMPLE_ROOT); they are left out here
only for time: they run on the repository's hub in the same suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLE, copy_hub

MOMENT = "2027-05-15T12:00:00-04:00"
NEW_CREATOR = """---
name: Zoe Newcomer
handle: "@zoe.newcomer"
summary: Zoe is a fictional creator added by a test, who talks about finding community.
topics: [{topic}]
links:
  - platform: website
    url: https://example.com/zoe-newcomer
---
Zoe is a fictional example: a test adds her to show that an eleventh spotlighted creator is fine.
"""


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---", 1)[0]


def spotlight_one_more(root: Path) -> str:
    """Add a creator and put them first in every campaign's spotlight list."""
    topic = sorted(root.glob("content/topics/*.md"))[0].stem
    (root / "creators/zoe-newcomer.md").write_text(NEW_CREATOR.format(topic=topic), encoding="utf-8")
    changed = 0
    for path in root.glob("content/campaigns/*.md"):
        text = path.read_text(encoding="utf-8")
        block = re.sub(r"^(spotlight:[ \t]*\n)([ \t]*)- ", r"\1\2- zoe-newcomer\n\2- ", text, count=1, flags=re.M)
        flow = re.sub(r"^(spotlight:[ \t]*\[)", r"\1zoe-newcomer, ", block, count=1, flags=re.M)
        if flow != text:
            path.write_text(flow, encoding="utf-8")
            changed += 1
    return f"{changed} campaign(s) spotlight zoe-newcomer"


def rename(root: Path) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^site_name:.*$", "site_name: Our Own Wellbeing Hub", text, count=1, flags=re.M)
    text = re.sub(r"^site_url:.*$", "site_url: https://wellbeing.example.com/campaign/", text, count=1, flags=re.M)
    config.write_text(text, encoding="utf-8")


def drop_region(root: Path, region: str) -> list[str]:
    """Remove the resources only for `region`, and every line elsewhere that names them."""
    gone = [p for p in root.glob("content/resources/*.md")
            if re.search(rf"^regions:\s*\[\s*{region}\s*\]\s*$", front_matter(p), flags=re.M)]
    for path in gone:
        path.unlink()
    slugs = [p.stem for p in gone]
    if slugs:
        names = "|".join(map(re.escape, slugs))
        mention = re.compile(rf"^\s*-\s*(?:{names})\s*$|/resources/(?:{names})/", flags=re.M)
        for path in [*root.glob("creators/*.md"), *root.glob("content/**/*.md")]:
            text = path.read_text(encoding="utf-8")
            kept = "\n".join(line for line in text.split("\n") if not mention.search(line))
            if kept != text:
                path.write_text(kept, encoding="utf-8")
    return slugs


def test_a_hub_that_changed_the_sample_keeps_the_tests_green(tmp_path):
    hub = copy_hub(SAMPLE, tmp_path / "hub")
    spotlighted = spotlight_one_more(hub)
    rename(hub)
    dropped = drop_region(hub, "CA")
    build = [sys.executable, str(REPO / "build.py"), "--root", str(hub)]
    check = subprocess.run([*build, "check", "--as-of", MOMENT], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, f"the changed hub ({spotlighted}; dropped {dropped}) is not valid:\n{check.stderr}"
    built = subprocess.run([*build, "build", "--out", str(tmp_path / "site"), "--as-of", MOMENT],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Our Own Wellbeing Hub" in home and "https://wellbeing.example.com/campaign/" in home
    assert not any((tmp_path / "site/resources" / slug).exists() for slug in dropped)

    env = {**os.environ, "SPOTLIGHT_SAMPLE_ROOT": str(hub)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                          "-m", "sample and not browser", "tests"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    tail = run.stdout[-4000:]
    assert run.returncode == 0, f"the hub's tests fail on a valid changed hub:\n{tail}\n{run.stderr[-2000:]}"
    assert re.search(r"\b\d+ passed\b", tail) and " failed" not in tail, tail


def test_no_test_reads_the_hub_but_through_SAMPLE():
    """A test that opened the repository's content/ or creators/ directly would escape the proof above."""
    direct = re.compile(r"""REPO\s*/\s*["'](?:content|creators)\b|project_root\s*/\s*["']creators["']\s*\)\s*\.glob\(.*\)\s*\[0\]""")
    found = [f"{path.relative_to(REPO)}:{number}" for path in sorted((REPO / "tests").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if direct.search(line)]
    assert found == []
