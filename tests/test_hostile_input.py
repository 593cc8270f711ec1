"""Hostile content through the real command: `check` and `build` in a child process answer with
exit status 1 and `path:line: field:` messages, never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import CONFIG, FIXTURES, MOMENT, REPO

MEMORY_LIMIT_MB = 300
HANG_GUARD_SECONDS = 60  # a guard against hanging for ever, not a speed requirement
SECRET = "SECRET_TOKEN_d41d8cd98f00"


def page(title: str, extra: str = "", body: str = "Text.\n") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}"


def alias_bomb(as_key: bool) -> str:
    """Nine-fold references, seven levels deep: some 4.8 million values once expanded."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for depth in range(1, 7):
        name, previous = "abcdefg"[depth], "abcdefg"[depth - 1]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    last = "? [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n: boom\n" if as_key else "summary: [*g, *g, *g, *g]\n"
    return "---\ntitle: Bomb\n" + "\n".join(levels) + "\n" + last + "---\nText.\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")


def _fifo(root: Path) -> None:
    os.mkfifo(root / "content/pages/pipe.md")


def _link(target: str, rel: str):
    def make(root: Path) -> None:
        os.symlink(target, root / rel)
    return make


def _big_body(root: Path) -> None:
    with open(root / "content/pages/big.md", "wb") as handle:
        handle.write(page("Big").encode())
        handle.truncate(50 * 1000 * 1000)  # 50 MB, sparse: nothing to write, and nothing may be read


def _text(rel: str, text: str):
    def make(root: Path) -> None:
        write(root, rel, text)
    return make


def _lookalike(root: Path) -> None:
    write(root, "creators/maya-copy.md", "---\nname: M\u0430ya Torres\nhandle: \"@maya.ta1ks\"\n"
          "summary: Not the real Maya.\ntopics: [anxiety]\n---\nText.\n")


# (case, how to make it, the first message's `path:line: field:` prefix)
CASES = [
    ("alias-bomb-as-field-name", _text("content/pages/bomb.md", alias_bomb(True)), "content/pages/bomb.md:3: a:"),
    ("alias-bomb-as-value", _text("content/pages/bomb.md", alias_bomb(False)), "content/pages/bomb.md:3: a:"),
    ("named-pipe", _fifo, "content/pages/pipe.md:1: file:"),
    ("link-to-dev-zero", _link("/dev/zero", "creators/zero.md"), "creators/zero.md:1: file:"),
    ("link-to-environ", _link("/proc/self/environ", "content/pages/env.md"), "content/pages/env.md:1: file:"),
    ("dangling-link", _link("nowhere.md", "content/topics/gone.md"), "content/topics/gone.md:1: file:"),
    ("50-mb-body", _big_body, "content/pages/big.md:1: file:"),
    ("1000-level-nesting", _text("content/pages/deep.md", page("Deep", "summary: " + "[" * 1000 + "]" * 1000 + "\n")),
     "content/pages/deep.md:3: summary:"),
    ("campaign-ending-9999", _text("content/campaigns/forever.md", "---\ntitle: Forever\nsummary: Never ends.\n"
                                   "starts: 2027-05-01\nends: 9999-12-31\n---\nText.\n"), "content/campaigns/forever.md:5: ends:"),
    ("event-in-9999", _text("content/events/far.md", "---\ntitle: Far\nsummary: Far.\nstarts: 9999-12-31T20:00-04:00\n"
                            "ends: 9999-12-31T22:00-04:00\n---\nText.\n"), "content/events/far.md:4: starts:"),
    ("update-in-year-1", _text("content/updates/old.md", "---\ntitle: Old\ndate: 0001-01-01T00:00+14:00\nsummary: Old.\n"
                               "---\nText.\n"), "content/updates/old.md:3: date:"),
    ("control-character-in-title", _text("content/updates/ctl.md", '---\ntitle: "A \\x01 title"\n'
                                         "date: 2027-05-01T09:00:00-04:00\nsummary: Fine.\n---\nText.\n"),
     "content/updates/ctl.md:2: title:"),
    ("raw-nul-in-value", _text("content/pages/nul.md", page("Nul", "summary: a\x00b\n")), "content/pages/nul.md:3: summary:"),
    ("lone-surrogate-in-name", _text("creators/sur.md", '---\nname: "Sur\\uD800"\nhandle: "@sur"\nsummary: Fine.\n'
                                     "topics: [anxiety]\n---\nText.\n"), "creators/sur.md:2: name:"),
    ("bidi-override-in-title", _text("content/topics/bidi.md", page("Calm \u202eevil", "summary: Calm.\n")),
     "content/topics/bidi.md:2: title:"),
    ("zero-width-in-handle", _text("creators/zw.md", '---\nname: Zed\nhandle: "@ze\u200bd"\nsummary: Fine.\n'
                                   "topics: [anxiety]\n---\nText.\n"), "creators/zw.md:3: handle:"),
    ("look-alike-creator", _lookalike, "creators/maya-copy.md:2: name:"),
]


def fresh_project() -> Path:
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    shutil.copy(CONFIG, root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    return root


def run(root: Path, *args: str) -> tuple[int, str, str, float]:
    """Exit status, stdout, stderr and peak memory (MB) of one `python build.py` child."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env={**os.environ, "SECRET_TOKEN": SECRET,
                                     "PYTHONIOENCODING": "utf-8:strict"})  # as on a CI runner
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"`{' '.join(args)}` still running after {HANG_GUARD_SECONDS} s")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                usage.ru_maxrss / 1024)  # KiB on Linux


@pytest.mark.parametrize("name,make,prefix", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["check", "build"])
def test_hostile_content_is_a_content_error_with_its_line(name, make, prefix, command):
    root = fresh_project()
    try:
        make(root)
        args = ["check"] if command == "check" else ["build", "--out", "site"]
        code, out, err, peak_mb = run(root, *args, "--as-of", MOMENT)
        assert "Traceback" not in err + out
        assert code == 1, err
        assert any(line.startswith(prefix + " ") for line in err.splitlines()), err
        assert SECRET not in err + out
        assert peak_mb < MEMORY_LIMIT_MB, f"{peak_mb:.0f} MB"
        assert not (root / "site").exists()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_lone_surrogate_in_a_message_prints_in_both_formats():
    """A file name that is not UTF-8 reaches Python as a lone surrogate (b'\\xe9' -> '\\udce9'),
    and the slug message quotes it; printing it to a UTF-8 stdout (--format github) crashed."""
    root = fresh_project()
    try:
        with open(os.path.join(os.fsencode(root), b"content/pages/caf\xe9.md"), "wb") as handle:
            handle.write(page("Cafe").encode())
        for fmt in ("text", "github"):
            code, out, err, _ = run(root, "check", "--format", fmt, "--as-of", MOMENT)
            assert "Traceback" not in err + out
            assert code == 1
            shown = out if fmt == "github" else err
            assert "the file name 'caf\\uDCE9.md' is not a valid slug" in shown, shown
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_documented_limits_are_the_ones_the_code_applies():
    from spotlight.models import EARLIEST, LATEST, MAX_VALUE_LENGTH, Ref
    from spotlight.sources import CONTENT_FILE_LIMIT, MAX_DEPTH, MAX_KEY_LENGTH

    docs = (REPO / "docs/security.md").read_text(encoding="utf-8")
    section = docs.split("## What Spotlight refuses to read", 1)[1].split("\n## ", 1)[0]
    guide = (REPO / "docs/editor-guide.md").read_text(encoding="utf-8")
    assert CONTENT_FILE_LIMIT == 1024 * 1024 and "**1 MiB**" in section and "at most 1 MiB" in guide
    assert f"more than **{MAX_DEPTH} levels**" in section and f"nest at most\n  {MAX_DEPTH} levels" in guide
    assert f"over **{MAX_KEY_LENGTH} characters**" in section and f"at most {MAX_KEY_LENGTH} characters" in guide
    assert f"**{EARLIEST.isoformat()} and {LATEST.isoformat()}**" in section
    assert f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}" in guide
    assert f"at most **{Ref.max_value_length}**" in section and f"at most **{MAX_VALUE_LENGTH:,}**" in section


@pytest.mark.parametrize("as_of", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+14:00", "1899-12-31"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_moment_outside_the_content_range_is_misuse_not_a_crash(tmp_path, as_of, command):
    root = tmp_path / "hub"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copy(CONFIG, root / "mkdocs.yml")
    code, _, err, _ = run(root, command, "--as-of", as_of)
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert f"--as-of: '{as_of}' is out of range: Spotlight works with moments from 1900-01-01 to 2200-12-31" in err
