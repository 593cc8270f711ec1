"""What readers get from a body: each folder in tests/cases/pages/ is one case, built and read back.

A case holds files at their project paths (laid over the base fixture) and `expected.txt`, one
line per fact about the built HTML: `PAGE: SELECTOR "TEXT"` (such an element exists, with that
text when given) or `PAGE: no SELECTOR`. Selectors are CSS's simplest: `tag#id.class`, joined by
a space (descendant) or `>` (child). Every page of every case must also have unique ids, and
each aria-labelledby must name exactly one element.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

CASES = sorted((Path(__file__).parent / "cases" / "pages").iterdir())
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # its own text and all its descendants'

    def matches(self, simple: str) -> bool:
        tag, ident, classes = re.fullmatch(r"([a-z0-9]*)(?:#([\w-]+))?((?:\.[\w-]+)*)", simple).groups()
        return ((not tag or self.tag == tag) and (not ident or self.attrs.get("id") == ident)
                and set(classes.split(".")[1:]) <= set(self.attrs.get("class", "").split()))


class Tree(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.all: list[Element] = []
        self._open = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self._open)
        self._open.children.append(element)
        self.all.append(element)
        if tag not in VOID:
            self._open = element

    def handle_endtag(self, tag):
        node = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._open = node.parent

    def handle_data(self, data):
        node = self._open
        while node is not None:
            node.text.append(data)
            node = node.parent

    def select(self, selector: str) -> list[Element]:
        steps = re.findall(r">|[^\s>]+", selector)
        found = []
        for element in self.all:
            if _matches_chain(element, steps):
                found.append(element)
        return found


def _matches_chain(element: Element | None, steps: list[str]) -> bool:
    """Whether `element` is the last step of `steps`, with its ancestors matching the steps before it."""
    if element is None or not element.matches(steps[-1]):
        return False
    rest = steps[:-1]
    if not rest:
        return True
    if rest[-1] == ">":
        return _matches_chain(element.parent, rest[:-1])
    ancestor = element.parent
    while ancestor is not None:
        if _matches_chain(ancestor, rest):
            return True
        ancestor = ancestor.parent
    return False


def text_of(element: Element) -> str:
    return " ".join("".join(element.text).split())


def id_problems(tree: Tree) -> list[str]:
    counts = Counter(e.attrs["id"] for e in tree.all if "id" in e.attrs)
    problems = [f"id '{i}' is on {n} elements" for i, n in counts.items() if n > 1]
    for e in tree.all:
        for ref in e.attrs.get("aria-labelledby", "").split():
            if counts[ref] != 1:
                problems.append(f"aria-labelledby '{ref}' names {counts[ref]} elements")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_case_holds(project, case):
    for file in case.rglob("*"):
        if file.is_file() and file.name != "expected.txt":
            target = project.root / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)
    result = project.build()
    assert result.code == 0, result.err
    site = project.root / "site"
    for path in sorted(site.rglob("*.html")):
        assert id_problems(Tree(path.read_text(encoding="utf-8"))) == [], path.relative_to(site)
    lines = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines
    for line in lines:
        page, fact = line.split(": ", 1)
        tree = Tree((site / page).read_text(encoding="utf-8"))
        if fact.startswith("no "):
            assert tree.select(fact[3:]) == [], line
            continue
        selector, _, text = fact.partition(' "')
        found = tree.select(selector)
        assert found, f"{line}: no such element"
        if text:
            assert text.removesuffix('"') in [text_of(e) for e in found], f"{line}: {[text_of(e) for e in found]}"


def test_the_selectors_can_fail():
    """The runner's own check: a selector finds what it names and nothing else."""
    tree = Tree('<article><div class="note"><p>a <strong>b</strong></p></div><section id="x"><h2>c</h2></section></article>')
    assert [text_of(e) for e in tree.select("article > div.note > p > strong")] == ["b"]
    assert tree.select("article > strong") == []
    assert tree.select("div.note section") == []
    assert [e.tag for e in tree.select("article section#x h2")] == ["h2"]
    assert id_problems(Tree('<p id="a"></p><p id="a" aria-labelledby="b"></p>')) == [
        "id 'a' is on 2 elements", "aria-labelledby 'b' names 0 elements"]


@pytest.mark.sample
def test_every_sample_page_has_unique_ids_and_labels_that_name_one_element(tmp_path):
    from conftest import SAMPLE, copy_hub
    from spotlight.cli import main

    copy_hub(SAMPLE, tmp_path)
    assert main(["--root", str(tmp_path), "build", "--as-of", "2027-05-15T12:00:00Z"]) == 0
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    problems = {p.relative_to(tmp_path).as_posix(): id_problems(Tree(p.read_text(encoding="utf-8"))) for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}


def test_theme_ids_are_reserved_so_no_body_can_take_them():
    """The ids the theme writes cannot come out of a body (spotlight.sanitize renames them there)."""
    from conftest import REPO
    from spotlight.sanitize import is_reserved_id

    ids = set()
    for path in (REPO / "theme").rglob("*.html"):
        ids |= set(re.findall(r'\bid="([^"{]+)"', path.read_text(encoding="utf-8")))
    assert "main-content" in ids
    assert sorted(i for i in ids if not is_reserved_id(i)) == []
