"""Bodies shaped to make Markdown slow or recurse are refused by check and build alike (issue 14).

Each case runs the real command in a child process on a small project, so a hang is caught by a
generous guard (never a speed assertion) and the child's peak memory is its own. The messages
are exact: the limit, the line where the body goes beyond it, and the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from conftest import MOMENT, REPO, SAMPLE, make_project
from test_lint import FRONT

from bench.corpus import generate
from spotlight.body_limits import MAX_BRACKET_NESTING, MAX_NESTING, body_problems

AT = "creators/zed.md"
HANG_GUARD = 60  # seconds: a body that hangs the renderer took minutes; a refusal takes about one
MEMORY_MB = 300
SLOW = "Markdown would take too long to read the body"
UNCLOSED_HINT = "(close each one with ']', or write '\\[' and '\\(' for brackets that are only text)"
UNCLOSED_PAREN_HINT = "(close each one with ')', or write '\\[' and '\\(' for brackets that are only text)"
NESTED_HINT = "(flatten it: a page needs a few levels at most)"
TAG_HINT = "(close each tag, or write '&lt;' for a '<' that is only text)"



def _indent(level: int) -> str:
    return "".join("\t" if i % 2 else "    " for i in range(level))


CASES = {
    "brackets": ("[" * 4000, [
        f"{AT}:9: body: '[' is nested 5 deep here (at most 4): {SLOW} "
        "(close the brackets, or write '\\[' for a '[' that is only text)",
        f"{AT}:9: body: '[' is never closed by ']' in its paragraph, and the body has 20 more like it "
        f"(at most 20): {SLOW} {UNCLOSED_HINT}",
    ]),
    "brackets-over-lines": ("A [note\n" * 1000, [
        f"{AT}:13: body: '[' is nested 5 deep here (at most 4): {SLOW} "
        "(close the brackets, or write '\\[' for a '[' that is only text)",
        f"{AT}:29: body: '[' is never closed by ']' in its paragraph, and the body has 20 more like it "
        f"(at most 20): {SLOW} {UNCLOSED_HINT}",
    ]),
    "link-addresses": ("[x](" * 2000, [
        f"{AT}:9: body: the link address '(' after ']' is never closed by ')' in its paragraph, and the body "
        f"has 20 more like it (at most 20): {SLOW} {UNCLOSED_PAREN_HINT}",
    ]),
    "unclosed-tags": ("Text <a x\n\n" * 2000, [
        f"{AT}:15: body: '<a' starts a tag that is never closed with '>', and so do 3 before it (at most 3): "
        f"{SLOW} {TAG_HINT}",
    ]),
    "cdata": ("<![CDATA[ " * 2000, [
        f"{AT}:9: body: '<![' starts a tag that is never closed with ']]>', and so do 3 before it (at most 3): "
        f"{SLOW} {TAG_HINT}",
        f"{AT}:9: body: '[' is nested 5 deep here (at most 4): {SLOW} "
        "(close the brackets, or write '\\[' for a '[' that is only text)",
        f"{AT}:9: body: '[' is never closed by ']' in its paragraph, and the body has 20 more like it "
        f"(at most 20): {SLOW} {UNCLOSED_HINT}",
    ]),
    "emphasis": ("*a " * 1000 + "x" + "*" * 1000, [
        f"{AT}:9: body: 51 '*' or '_' are open here, each inside the one before (at most 50) "
        "(close the emphasis, or write '\\*' for a '*' that is only text)",
    ]),
    "backticks": ("".join("`" * i + " " for i in range(1, 150)), [
        f"{AT}:9: body: a run of 17 backticks (at most 16) (use three at most, or put the code in a fenced block)",
    ]),
    "quotes": (">" * 1000 + " deep\n", [
        f"{AT}:9: body: lists, quotes or HTML blocks are nested 1000 levels deep here (at most {MAX_NESTING}) "
        f"{NESTED_HINT}",
    ]),
    "quote-lines": "".join(">" * i + " x\n" for i in range(1, 150)),
    "list-one-line": ("- " * 1000 + "x\n", [
        f"{AT}:9: body: lists, quotes or HTML blocks are nested 1000 levels deep here (at most {MAX_NESTING}) "
        f"{NESTED_HINT}",
    ]),
    "list-mixed-tabs": ("".join(_indent(i) + "- item\n" for i in range(120)), [
        f"{AT}:29: body: lists, quotes or HTML blocks are nested 21 levels deep here (at most {MAX_NESTING}) "
        f"{NESTED_HINT}",
    ]),
    "html-blocks": ('<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500, [
        f"{AT}:29: body: lists, quotes or HTML blocks are nested 21 levels deep here (at most {MAX_NESTING}) "
        f"{NESTED_HINT}",
    ]),
    "long-paragraph": ("word " * 5000, [
        f"{AT}:9: body: this paragraph is 25,000 characters long (at most 20,000) (split it with blank lines)",
    ]),
}
CASES["quote-lines"] = (CASES["quote-lines"], [
    f"{AT}:29: body: lists, quotes or HTML blocks are nested 21 levels deep here (at most {MAX_NESTING}) "
    f"{NESTED_HINT}",
])


def _run(root, *args: str) -> tuple[int, str, int]:
    """The command's exit status, its stderr, and its peak memory in MB (its own, via wait4)."""
    err_path = root.parent / f"{root.name}-stderr.txt"
    with open(err_path, "w", encoding="utf-8") as err, open(os.devnull, "w") as out:
        child = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                                 stdout=out, stderr=err, cwd=root)
    guard = threading.Timer(HANG_GUARD, child.kill)
    guard.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        guard.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, err_path.read_text(encoding="utf-8"), usage.ru_maxrss // 1024


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_body_shaped_to_stall_markdown_is_refused_at_its_line(tmp_path, capsys, case, command):
    body, expected = CASES[case]
    root = tmp_path / "project"
    root.mkdir()
    project = make_project(root, capsys)
    project.write(AT, FRONT + body)
    code, err, peak_mb = _run(root, command, "--as-of", MOMENT)
    assert "Traceback" not in err and "internal error" not in err
    assert code == 1, err[-2000:]
    assert [line for line in err.splitlines() if line.startswith(AT)] == expected
    assert peak_mb < MEMORY_MB
    if command == "build":
        assert not (root / "site").exists()


def test_a_recursion_the_limits_miss_is_still_the_files_content_error(project, monkeypatch):
    """Defence in depth: should the renderer recurse on a body the limits let through, build names
    the file (exit 1), never "internal error" (exit 4)."""
    import spotlight.render as render

    real = render.render_body

    def deep(text, *where):
        if "Plain text." in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *where)

    project.write(AT, FRONT + "Plain text.\n")
    monkeypatch.setattr(render, "render_body", deep)
    result = project.build()
    assert result.code == 1
    assert result.lines[:1] == [
        f"{AT}:7: body: the body nests lists, quotes or HTML too deeply to be rendered {NESTED_HINT}"]


@pytest.mark.sample
def test_the_sample_and_a_bench_corpus_are_within_every_limit(tmp_path, capsys):
    """No false positives: every body of the sample and of 200 creators' worth of hub passes."""
    generate(tmp_path / "corpus", 200, repo=REPO)
    bodies = 0
    for root in (SAMPLE, tmp_path / "corpus"):
        for path in [*root.glob("creators/*.md"), *root.glob("content/**/*.md")]:
            body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
            assert body_problems(body) == [], path
            bodies += 1
    assert bodies > 300
    result = _run(tmp_path / "corpus", "check", "--as-of", MOMENT)
    assert not [line for line in result[1].splitlines() if ": body: " in line], result[1][-2000:]


def test_text_at_the_limits_is_accepted():
    """The limits refuse only beyond them: real text with brackets, emphasis and lists passes."""
    body = ("A [link](/get-help/) and [another](https://example.org/a_(b)) with *some* **bold** "
            "and `code`, snake_case and 2*3*4.\n\n"
            + "".join("    " * i + "- level\n" for i in range(MAX_NESTING))
            + "\n" + "[" * MAX_BRACKET_NESTING + "x" + "]" * MAX_BRACKET_NESTING + "\n\n" + "Unclosed [ here.\n\n" * 20 + "x" * 19_999 + "\n"
            + "\n```\n" + "[" * 5000 + "<a " * 50 + "\n```\n")
    assert body_problems(body) == []


@pytest.mark.parametrize("line", [">" * 20 + "!!! note", "\t" * 20 + "-", "1. " * 21 + "x", "> - " * 10 + "> x"])
def test_the_shortest_lines_nested_too_deep_are_refused_without_any_tag(line):
    """The plain-body shortcut (a body without '<' or '[' whose lines start shallow) does not
    skip a line nested one level past the limit with the fewest characters a level can take."""
    problems = body_problems("Intro.\n\n" + line + "\n")
    assert [(p.line, p.message.split(" here")[0]) for p in problems] == [
        (2, f"lists, quotes or HTML blocks are nested {MAX_NESTING + 1} levels deep")]
