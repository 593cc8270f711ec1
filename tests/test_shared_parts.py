"""The parts of the page template rendered once per build (SharedParts) print what rendering them
on every page prints, byte for byte, and are in fact reused."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project
from jinja2 import pass_context

from spotlight.engines.mkdocs import SharedParts


def built(root: Path, capsys) -> dict[str, bytes]:
    root.mkdir()
    project = make_project(root, capsys)
    assert project.build().code == 0
    site = project.root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_shared_parts_are_what_each_page_would_render(tmp_path, capsys, monkeypatch):
    once = SharedParts.once
    calls = {"parts": 0, "rendered": 0}

    @pass_context
    def counted(self, context, name, caller):
        def render():
            calls["rendered"] += 1
            return caller()
        calls["parts"] += 1
        return once(self, context, name, render)

    monkeypatch.setattr(SharedParts, "once", counted)
    shared = built(tmp_path / "shared", capsys)

    @pass_context
    def every_page(self, context, name, caller):
        return caller()

    monkeypatch.setattr(SharedParts, "once", every_page)
    each = built(tmp_path / "each", capsys)

    assert shared.keys() == each.keys()
    assert [name for name in shared if shared[name] != each[name]] == []
    # Reused, not only rendered (the fixture's pages are in few folders each; a hub's are not).
    assert calls["rendered"] < calls["parts"]
    # Pages outside the nav whose header links to themselves (search/) are among those compared.
    search = each["search/index.html"].decode()
    assert 'class="sl-header__link" href="./"' in search
    assert 'class="sl-header__link" href="../search/"' in each["about/index.html"].decode()
