"""`serve` reuses work between rebuilds: parsed items, the lint's reading of each text, rendered pages.

Reuse must never show a reader or an editor anything a fresh build would not: after every edit
below, the preview's diagnostics and every generated page are compared with a build from nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest

from bench.corpus import generate
from conftest import MOMENT, make_project
from spotlight.pipeline import Preview, load, render_site
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings


class Rebuilds:
    """`serve`'s producer (pipeline.Preview), each rebuild checked against a build from nothing."""

    def __init__(self, root):
        self.root = root
        self.preview = Preview(root)
        self.last: dict[str, object] = {}
        self.errors: list[str] = []

    def rebuild(self, as_of: str = MOMENT) -> int:
        """Rebuild with reuse, check it against a fresh build, and return how many pages were rendered anew.
        Its content errors are kept in `errors`."""
        moment = parse_as_of(as_of, read_settings(self.root).tz)
        self.preview.moment = moment
        site = self.preview()
        fresh_content, fresh_report = load(self.root, moment)
        assert sorted(self.preview.report.items) == sorted(fresh_report.items)
        self.errors = site.every_page["errors"]
        if self.errors:
            return 0  # serve shows the errors over the last good preview
        fresh = render_site(self.root, fresh_content)
        assert site.pages == fresh.pages  # every field: name, HTML, headings, title, data for the theme
        assert site.files == fresh.files and site.assets == fresh.assets and site.every_page == fresh.every_page
        anew = sum(1 for page in site.pages if self.last.get(page.src_uri) is not page)
        self.last = {page.src_uri: page for page in site.pages}
        return anew


@pytest.fixture
def sample(tmp_path, capsys):
    """A hub of 30 creators and every other kind (the benchmark's generator: not the repository's hub)."""
    project = make_project(tmp_path, capsys, base=False)
    generate(tmp_path, 30)
    return project


def first_creator(root) -> str:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("creators/*.md"))[0]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_renders_nothing_again(sample):
    preview = Rebuilds(sample.root)
    first = preview.rebuild()
    assert first > 30
    assert preview.rebuild() == 0


def test_every_edit_gives_what_a_fresh_build_gives_and_renders_only_what_it_touches(sample):
    root = sample.root
    preview = Rebuilds(root)
    total = preview.rebuild()
    # One creator's summary: their page, and the lists that show the summary.
    edit(root / first_creator(root), "summary: ", "summary: Edited. ")
    assert 0 < preview.rebuild() < total / 3
    # A topic's title shows on every creator, resource and update that names the topic.
    edit(root / "content/topics/anxiety.md", "title: Anxiety", "title: Worry and anxiety")
    assert preview.rebuild() > 1
    # A new creator, then gone again.
    sample.write("creators/zed-example.md", "---\nname: Zed Example\nhandle: \"@zed\"\nsummary: Zed talks.\ntopics: [anxiety]\n---\nZed.\n")
    preview.rebuild()
    (root / "creators/zed-example.md").unlink()
    preview.rebuild()
    # The moment moves: the campaign ends, events pass (nothing is edited).
    preview.rebuild("2027-06-15T12:00:00Z")
    preview.rebuild("2026-09-01T12:00:00Z")
    # Settings every page uses.
    edit(root / "mkdocs.yml", "site_name: ", "site_name: Edited ")
    assert preview.rebuild() == total


def test_a_template_edit_renders_every_page_again(sample, tmp_path, monkeypatch):
    import spotlight.render as render

    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, templates)
    monkeypatch.setattr(render, "TEMPLATES", templates)
    preview = Rebuilds(sample.root)
    total = preview.rebuild()
    page = templates / "pages/creator.html.j2"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    assert preview.rebuild() == 0  # saved again unchanged: its content is what a page depends on
    page.write_text("{# edited #}\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    assert preview.rebuild() == total


def test_an_asset_that_appears_or_goes_is_noticed_by_a_cached_item(sample):
    root = sample.root
    preview = Rebuilds(root)
    edit(root / first_creator(root), "summary: ", "avatar: tess.png\navatar_alt: Tess, smiling\nsummary: ")
    preview.rebuild()
    assert any("there is no file content/assets/tess.png" in e for e in preview.errors)
    (root / "content/assets/tess.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    preview.rebuild()
    assert preview.errors == []
    (root / "content/assets/tess.png").unlink()
    preview.rebuild()
    assert any("there is no file content/assets/tess.png" in e for e in preview.errors)


def test_a_link_to_a_page_that_goes_is_reported_though_the_linking_text_did_not_change(sample):
    root = sample.root
    sample.write("content/updates/a-link.md", """\
        ---
        title: A link
        summary: Links to a creator.
        date: 2027-05-02T12:00:00-04:00
        ---
        Read [Zed](/creators/zed-example/).
        """)
    sample.write("creators/zed-example.md", "---\nname: Zed Example\nhandle: \"@zed\"\nsummary: Zed talks.\ntopics: [anxiety]\n---\nZed.\n")
    preview = Rebuilds(root)
    preview.rebuild()
    (root / "creators/zed-example.md").unlink()
    settings = read_settings(root)
    _, report = load(root, parse_as_of(MOMENT, settings.tz), settings=settings, cache=preview.preview.state.read)
    assert any(d.path == "content/updates/a-link.md" and "broken-link" in d.message for d in report.errors)
