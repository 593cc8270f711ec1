"""`build` reuses the last build's work from `.spotlight-cache/`, and the site is byte for byte the
one a build from nothing (`--no-cache`) makes, after every kind of edit; a damaged or stale cache
is noticed, named in one line and ignored."""

from __future__ import annotations

import filecmp
import json
import os
from pathlib import Path

import pytest

from conftest import MOMENT, Project
from spotlight.state import CACHE_DIR, FORMAT, Cache


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_fresh(project: Project, as_of: str = MOMENT) -> str:
    """Build with the cache into site/, and from nothing into fresh/; the two folders hold the same
    files with the same bytes. Returns the cached build's stderr (its notes)."""
    cached = project.build("site", as_of)
    assert cached.code == 0, cached.err
    fresh = project.build("fresh", as_of, "--no-cache")
    assert fresh.code == 0, fresh.err
    site, scratch = tree(project.root / "site"), tree(project.root / "fresh")
    assert sorted(site) == sorted(scratch)
    different = [name for name in site if site[name] != scratch[name]]
    assert different == []
    return cached.err


def reused(project: Project) -> set[str]:
    """The pages the next build would not make again: the cache's record of them."""
    state = Cache(project.root, print).load()
    return set(state.written)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


LEO = """\
    ---
    name: Leo Park
    handle: "@leo.park"
    summary: Leo talks about sleep and low mood.
    topics: [anxiety]
    publish_at: 2027-06-01T09:00:00-04:00
    ---
    Leo's story.
    """


def page(project: Project, rel: str) -> os.stat_result:
    return (project.root / "site" / rel).stat()


def test_a_warm_build_makes_only_what_changed_and_equals_a_build_from_nothing(project):
    root = project.root
    project.write("creators/leo.md", LEO)
    assert_same_as_fresh(project)
    assert (root / CACHE_DIR / "state.json").is_file()
    # Nothing changed: every page file is the one the last build wrote (taken from the cache).
    before = page(project, "creators/maya/index.html")
    assert_same_as_fresh(project)
    assert page(project, "creators/maya/index.html").st_ino == before.st_ino
    # A creator's body: their page is made again, other creators' pages are not.
    about = page(project, "about/index.html")
    edit(root / "creators/maya.md", "Maya talks about anxiety.", "Maya talks about anxiety and work.")
    assert_same_as_fresh(project)
    assert page(project, "creators/maya/index.html").st_ino != before.st_ino
    assert page(project, "about/index.html").st_ino == about.st_ino
    # A field other pages list (the summary shows on the topic's and the directory's pages).
    edit(root / "creators/maya.md", "summary: Maya shares", "summary: Maya, a nurse, shares")
    assert_same_as_fresh(project)
    # A topic's title shows on every page that names the topic.
    edit(root / "content/topics/anxiety.md", "title: Anxiety", "title: Worry and anxiety")
    assert_same_as_fresh(project)
    # A setting every page shows (mkdocs.yml), then one a page template uses.
    edit(root / "mkdocs.yml", "primary_region: US", 'primary_region: "NO"')
    assert_same_as_fresh(project)
    edit(root / "mkdocs.yml", "page_size: 48", "page_size: 1")
    assert_same_as_fresh(project)
    # The theme every page is wrapped in.
    footer = root / "theme/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    assert_same_as_fresh(project)
    # An addition, then a deletion.
    project.write("creators/zed.md", '---\nname: Zed Example\nhandle: "@zed"\nsummary: Zed talks.\n'
                                     "topics: [anxiety]\n---\nZed.\n")
    assert_same_as_fresh(project)
    assert (root / "site/creators/zed/index.html").is_file()
    project.remove("creators/zed.md")
    assert_same_as_fresh(project)
    assert not (root / "site/creators/zed").exists()
    # A new moment, nothing edited: Leo is published, the campaign ends, the event passes.
    assert "Leo Park" not in (root / "site/creators/index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(project, "2027-09-01T12:00:00Z")
    assert "Leo Park" in (root / "site/creators/index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(project, "2027-04-01T12:00:00Z")


def test_a_page_template_edit_makes_every_page_again(project, monkeypatch, tmp_path):
    import shutil

    import spotlight.render as render

    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, templates)
    monkeypatch.setattr(render, "TEMPLATES", templates)
    assert_same_as_fresh(project)
    state = Cache(project.root, print).load()
    (templates / "pages/creator.html.j2").write_text("{# edited #}\n" + (templates / "pages/creator.html.j2")
                                                     .read_text(encoding="utf-8"), encoding="utf-8")
    from spotlight.pipeline import load, render_site  # noqa: PLC0415
    from spotlight.schedule import parse_as_of  # noqa: PLC0415
    from spotlight.settings import read_settings  # noqa: PLC0415

    content, _ = load(project.root, parse_as_of(MOMENT, read_settings(project.root).tz))
    last = {src: r.page for src, r in state.rendered.items()}
    site = render_site(project.root, content, state=state)
    assert last and not any(last.get(p.src_uri) is p for p in site.pages)


def damage_truncated(state: Path) -> None:
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])


def damage_garbage(state: Path) -> None:
    state.write_bytes(os.urandom(2000))


def damage_format(state: Path) -> None:
    head, _, body = state.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["format"] = FORMAT + 1
    state.write_bytes(json.dumps(header).encode() + b"\n" + body)


def damage_versions(state: Path) -> None:
    head, _, body = state.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["versions"]["mkdocs-material"] = "0.0.1"
    state.write_bytes(json.dumps(header).encode() + b"\n" + body)


def damage_body(state: Path) -> None:
    """The record says a page is unchanged when it is not: the checksum gives it away."""
    head, _, body = state.read_bytes().partition(b"\n")
    stale = body.replace(b"Maya talks about anxiety.", b"Maya talks about stale things.")
    state.write_bytes(head + b"\n" + stale)


@pytest.mark.parametrize(("damage", "note"), [
    (damage_truncated, "checksum does not match"),
    (damage_garbage, "cannot be read"),
    (damage_format, "another format"),
    (damage_versions, "other versions (mkdocs-material)"),
    (damage_body, "checksum does not match"),
])
def test_a_damaged_or_stale_cache_is_named_and_ignored(project, damage, note):
    assert_same_as_fresh(project)
    edit(project.root / "creators/maya.md", "Maya talks about anxiety.", "Maya talks about anxiety and work.")
    damage(project.root / CACHE_DIR / "state.json")
    err = assert_same_as_fresh(project)
    lines = [line for line in err.splitlines() if "cache:" in line]
    assert len(lines) == 1 and note in lines[0] and "building everything" in lines[0]
    assert reused(project)  # and the build left a good cache for the next one
    assert "cache:" not in project.build("site").err


def test_a_cached_page_file_that_changed_is_not_trusted(project):
    assert_same_as_fresh(project)
    state = Cache(project.root, print).load()
    cached = project.root / CACHE_DIR / "pages" / state.written["creators/maya.md"].output
    os.unlink(cached)  # a hard link to the published page: write a copy, as an editor would
    cached.write_text("<p>tampered</p>", encoding="utf-8")
    err = assert_same_as_fresh(project)
    assert "1 cached page(s) did not match their recorded digest" in err
    assert "tampered" not in (project.root / "site/creators/maya/index.html").read_text(encoding="utf-8")
    assert "cache:" not in project.build("site").err  # the good file was saved again


def test_no_cache_neither_reads_nor_writes_it(project):
    assert project.build("site", MOMENT, "--no-cache").code == 0
    assert not (project.root / CACHE_DIR).exists()


def test_a_failed_build_keeps_the_site_and_the_cache(project):
    assert_same_as_fresh(project)
    state = (project.root / CACHE_DIR / "state.json").read_bytes()
    site = tree(project.root / "site")
    project.write("creators/broken.md", "---\nname: Broken\n---\n")
    assert project.build("site").code == 1
    assert tree(project.root / "site") == site
    assert (project.root / CACHE_DIR / "state.json").read_bytes() == state
    project.remove("creators/broken.md")
    assert_same_as_fresh(project)
    assert filecmp.cmp(project.root / "site/index.html", project.root / "fresh/index.html", shallow=False)
