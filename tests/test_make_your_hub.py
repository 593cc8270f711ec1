"""docs/make-your-hub.md: the page a campaign team follows to make the hub its own is true."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

from spotlight.settings import Settings

from conftest import REPO, SAMPLE, copy_hub

PAGE = (REPO / "docs" / "make-your-hub.md").read_text(encoding="utf-8")


def test_every_setting_is_explained():
    documented = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", PAGE, flags=re.M))
    names = {name for pair in documented for name in pair if name}
    settings = {f.name for f in dataclasses.fields(Settings)} - {"extra"}
    assert settings - names == set(), "document these settings in docs/make-your-hub.md ('Your settings')"
    assert names - settings - {"site_description"} == set(), "docs/make-your-hub.md names settings Spotlight does not have"


def test_removing_the_sample_as_the_page_says_leaves_a_valid_hub(tmp_path):
    block = re.search(r"## Remove the sample.*?```sh\n(.*?)```", PAGE, flags=re.S)
    assert block, "docs/make-your-hub.md has no sh block under 'Remove the sample'"
    # The moment is fixed, as in every test; the page's reader checks as of now.
    script = block.group(1).replace("python build.py check", "python build.py check --as-of 2027-05-15T12:00:00Z")
    script = script.replace("python build.py", f'"{sys.executable}" "{REPO / "build.py"}"')
    assert "--as-of" in script
    hub = copy_hub(SAMPLE, tmp_path / "hub")
    creators = len(list((hub / "creators").glob("*.md")))
    done = subprocess.run(["bash", "-euc", script], cwd=hub, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list((hub / "creators").glob("*.md")) == [] and (creators == 0 or "0 error(s)" in done.stderr)
    built = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--as-of", "2027-05-15T12:00:00Z"],
                           cwd=hub, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (hub / "site/get-help/index.html").is_file() and (hub / "site/staying-safe-online/index.html").is_file()
