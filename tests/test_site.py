"""The site map (site.py): every URL and what it shows, built once; the review and reserved slugs ask it."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from conftest import MOMENT
from spotlight.diagnostics import Report
from spotlight.lint import lint_content
from spotlight.pipeline import load
from spotlight import render
from spotlight import site as site_module
from spotlight.render import TEMPLATES, Renderer
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.site import SECTIONS, Section, SiteMap, check_slugs

ZED = """\
    ---
    name: Zed Example
    handle: "@zed"
    summary: Zed talks about anxiety.
    topics: [anxiety]
    languages: [en]
    ---
    Zed.
    """


def loaded(project, page_size: int | None = None):
    settings = read_settings(project.root)
    if page_size is not None:
        settings = dataclasses.replace(settings, page_size=page_size)
    content, report = load(project.root, parse_as_of(MOMENT, settings.tz), settings=settings)
    assert not report.errors, [d.text() for d in report.errors]
    return content


def test_every_item_page_has_one_url_and_the_file_it_is_built_into(project):
    content = loaded(project)
    site = content.site
    maya = content.all["creator"]["maya"]
    assert site.url_for(maya) == "/creators/maya/"
    entry = site.lookup("/creators/maya/")
    assert (entry.name, entry.item, entry.src, entry.path) == ("creator", maya, "creators/maya.md",
                                                               "creators/maya/index.html")
    assert site.entry_for(maya) is entry
    assert site.url_for(content.all["page"]["about"]) == "/about/"
    assert site.lookup("/creators").name == "creators-directory"  # a link without its last slash
    assert site.path_for("/") == "index.html"
    assert site.path_for("/feed.xml") == "feed.xml"
    assert site.path_for("/creators/nobody/") is None


def test_generated_pages_and_outputs_are_on_the_map(project):
    site = loaded(project).site
    pages = {e.url: e.name for e in site.pages()}
    assert {pages[u] for u in ("/", "/get-help/", "/search/", "/creators/", "/events/")} == {
        "home", "get-help", "search", "creators-directory", "events"}
    assert pages["/creators/language/es/"] == "language"
    outputs = {e.url for e in site.outputs()}
    assert {"/feed.xml", "/events.ics", "/events/training-2027.ics", "/api/creators.json",
            "/api/schema/creators.schema.json", "/search/search_index.json", "/sitemap.xml"} <= outputs
    assert not site.exists("/api/topics.json")  # topics have no API document
    assert site.exists("/assets/spotlight/spotlight.css")  # the theme's files are published there too


def test_a_listing_is_paginated_by_the_page_size(project):
    project.write("creators/zed.md", ZED)
    site = loaded(project, page_size=1).site
    second = site.lookup("/creators/page/2/")
    assert (second.name, second.number, second.src) == ("creators-directory", 2, "creators/page/2.md")
    assert not site.exists("/creators/page/3/")  # two creators, one a page
    assert site.lookup("/creators/language/en/page/2/").key == "en"  # Maya and Zed both create in English
    assert not site.exists("/creators/language/es/page/2/")  # only Maya in Spanish
    assert not loaded(project).site.exists("/creators/page/2/")  # 48 a page: one page


def test_the_renderer_makes_each_page_the_map_lists_as_its_entry_says(project):
    """Which pages exist is the map's; each is rendered by the template its entry names, with its
    arguments: the listing's key (a language) and page number give the heading and its creators."""
    project.write("creators/zed.md", ZED)
    content = loaded(project, page_size=1)
    made = {page.src_uri: page for page in Renderer(content).render_all()}
    assert list(made) == [e.src for e in content.site.pages() if e.src]  # in the map's order
    second = made["creators/language/en/page/2.md"]  # Maya, then Zed, in English: one a page
    assert second.title == "Creators in English (page 2 of 2)" and second.url == "creators/language/en/page/2/"
    assert "Zed Example" in second.html and "Maya" not in second.html
    assert made["creators/zed.md"].title == "Zed Example"


def test_an_unpublished_item_has_an_address_but_no_page(project):
    project.write("creators/zed.md", ZED.replace("languages: [en]", "languages: [en]\n    status: draft"))
    content = loaded(project)
    zed = content.all["creator"]["zed"]
    assert content.site.url_for(zed) == "/creators/zed/"
    assert content.site.entry_for(zed) is None
    assert not content.site.exists("/creators/zed/")


def test_reserved_names_are_what_the_map_generates(project):
    site = loaded(project).site
    top = site.reserved_top()
    assert {s.folder for s in SECTIONS} <= set(top)
    # Outputs reserve their stem, the home page its file name, the engine's 404 page its own.
    assert {"feed", "sitemap", "robots", "index", "get-help", "search", "404", "api", "assets"} <= set(top)
    assert (top["feed"].url, top["feed"].title) == ("/feed.xml", "Atom feed of updates")
    assert set(site.reserved_for("creator")) == {"page", "language"}  # pagination and the language listings
    assert site.reserved_for("topic") == {}  # /topics/ has nothing but its items under it


def test_a_new_section_is_one_declaration(project):
    """Adding /partners/ to the sections is all it takes for the URL to exist for link checks,
    to be listed for the sitemap, and for its name to be reserved from free pages."""
    content = loaded(project)
    partners = Section("partners", "partners", "partners list", paginated=True)
    site = SiteMap.build(content, sections=SECTIONS + (partners,))
    assert site.exists("/partners/") and not content.site.exists("/partners/")
    assert "/partners/" in [e.url for e in site.pages()]
    assert site.lookup("/partners/").src == "partners/index.md"
    assert site.reserved_top()["partners"].url == "/partners/"
    assert "partners" not in content.site.reserved_top()

    project.write("content/updates/see-partners.md", """\
        ---
        title: Our partners
        summary: Who we work with.
        date: 2027-05-02T12:00:00-04:00
        ---
        See [our partners](/partners/).
        """)
    content = load(project.root, parse_as_of(MOMENT, content.settings.tz),
                                        settings=content.settings)[0]
    for site, broken in ((content.site, True), (SiteMap.build(content, sections=SECTIONS + (partners,)), False)):
        report = Report()
        lint_content(project.root, content, site, report)
        assert any("see-partners.md:6" in d.text() and "[broken-link]" in d.text() for d in report.errors) == broken

    project.write("content/pages/partners.md", "---\ntitle: Partners by hand\n---\nHello.\n")
    content = loaded(project)
    report = Report()
    site = SiteMap.build(content, report, sections=SECTIONS + (partners,))
    assert [d.text() for d in report.errors] == [
        "content/pages/partners.md:1: slug: 'partners' is a reserved address on the site, "
        "taken by the partners list (/partners/) (rename the file)"]
    assert site.lookup("/partners/").name == "partners"  # the section's page, not the free page


def test_a_new_section_with_its_template_is_built(project, monkeypatch, tmp_path):
    """One Section(...) line plus pages/partners.html.j2: /partners/ is a page of the build,
    in the theme, and listed in the sitemap."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "pages" / "partners.html.j2").write_text(
        "<h1>{{ heading }}</h1>\n<p>Charities we work with.</p>\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", templates)
    monkeypatch.setattr(site_module, "SECTIONS", SECTIONS + (Section("partners", "partners", "partners list"),))

    result = project.build()
    assert result.code == 0, result.err
    page = (project.root / "site/partners/index.html").read_text(encoding="utf-8")
    assert "<h1>Partners</h1>" in page and "<p>Charities we work with.</p>" in page
    assert "<title>Partners" in page  # wrapped in the theme like every page
    assert "https://hub.example.org/partners/</loc>" in (project.root / "site/sitemap.xml").read_text()


@pytest.mark.parametrize(("link", "broken"), [("/creators/page/2/", False), ("/creators/page/3/", True),
                                              ("/creators/language/es/", False), ("/api/creators.json", False),
                                              ("/creators/language/fr/", True)])
def test_the_review_checks_links_against_the_map(project, link, broken):
    project.write("creators/zed.md", ZED)
    project.write("content/pages/links.md", f"---\ntitle: Links\n---\nSee [this]({link}).\n")
    settings = dataclasses.replace(read_settings(project.root), page_size=1)
    content, report = load(project.root, parse_as_of(MOMENT, settings.tz), settings=settings)
    assert any("links.md" in d.path and "broken-link" in d.message for d in report.errors) == broken


def test_check_slugs_names_every_item_that_takes_a_generated_name(project):
    project.write("creators/page.md", ZED.replace("@zed", "@zedpage"))
    settings = read_settings(project.root)
    content, report = load(project.root, parse_as_of(MOMENT, settings.tz), settings=settings)
    assert [d.text() for d in report.errors] == [
        "creators/page.md:1: slug: 'page' is a reserved address under /creators/, taken by the creators "
        "directory's pages 2 and on (/creators/page/2/) (rename the file)"]
    assert content.site.lookup("/creators/page/") is None  # the refused creator is left off the map
    again = Report()
    assert check_slugs(content.site, content, again) == {("creator", "page")}
