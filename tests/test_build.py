"""The build command: every output of the SPEC, atomic publishing, determinism, mkdocs parity, `new`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import jsonschema
import pytest

from spotlight.models import KINDS

from conftest import MOMENT, REPO, reader_pages


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def built(project):
    result = project.build()
    assert result.code == 0, result.err
    return project.root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_spec_output_exists(built):
    expected = [
        "index.html", "creators/index.html", "creators/maya/index.html", "creators/language/es/index.html",
        "topics/index.html", "topics/anxiety/index.html", "organizations/index.html", "organizations/nami/index.html",
        "resources/index.html", "resources/lifeline/index.html", "get-help/index.html",
        "campaigns/index.html", "campaigns/mham-2027/index.html", "events/index.html",
        "events/training-2027/index.html", "events.ics", "events/training-2027.ics", "updates/index.html",
        "updates/launch/index.html", "feed.xml", "api/index.json", "api/creators.json", "api/resources.json",
        "api/organizations.json", "api/events.json", "sitemap.xml", "search/search_index.json", "404.html",
        "robots.txt", "_headers", "about/index.html",
    ]
    missing = [rel for rel in expected if not (built / rel).is_file()]
    assert missing == []


def test_pages_carry_their_content(built):
    profile = read(built, "creators/maya/index.html")
    assert "Maya Torres" in profile and "@maya.talks" in profile and "she/her" in profile
    assert 'href="../../topics/anxiety/"' in profile
    assert "Maya talks about anxiety." in profile  # the Markdown body
    campaign = read(built, "campaigns/mham-2027/index.html")
    assert "Happening now" in campaign  # 15 May 2027 is inside 1-31 May
    assert "Advertising credits to share its support resources." in campaign
    assert "Back-to-school partner training" in campaign and "The spotlight is live" in campaign
    help_page = read(built, "get-help/index.html")
    assert 'href="tel:988"' in help_page and 'href="sms:741741"' in help_page
    assert "Text HOME to 741741" in help_page and 'href="tel:+18006686868"' in help_page
    assert "United States" in help_page and "Norway" in help_page  # region names, not codes
    topic = read(built, "topics/eating-disorders/index.html")
    assert "data-content-warning" in topic and "eating disorders" in topic
    home = read(built, "index.html")
    assert "Mental Health Awareness Month 2027" in home and "get-help/" in home


def test_campaign_status_follows_the_moment(project):
    for moment, label in [("2027-04-30T23:00:00-04:00", "Coming soon"), ("2027-05-31T23:00:00-04:00", "Happening now"),
                          ("2027-06-01T00:30:00-04:00", "Ended")]:
        assert project.build("site", moment).code == 0
        assert label in read(project.root / "site", "campaigns/mham-2027/index.html"), moment


def test_feed_calendar_and_api_are_valid(built):
    feed = ET.fromstring((built / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == ["The spotlight is live"]
    cal = icalendar.Calendar.from_ical((built / "events.ics").read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Back-to-school partner training"]
    assert events[0].decoded("dtstart").isoformat() == "2027-08-10T19:00:00+00:00"
    index = json.loads(read(built, "api/index.json"))
    for name, endpoint in index["endpoints"].items():
        data = json.loads(read(built, endpoint["data"].lstrip("/")))
        schema = json.loads(read(built, endpoint["schema"].lstrip("/")))
        jsonschema.validate(data, schema)
        assert len(data[name]) == endpoint["count"]
    creators = json.loads(read(built, "api/creators.json"))["creators"]
    assert creators[0]["handle"] == "@maya.talks" and creators[0]["languages"] == ["en", "es"]
    resources = json.loads(read(built, "api/resources.json"))["resources"]
    assert resources[0]["regions"] == ["US", "NO"]  # YAML's "NO" stays Norway, not false


def test_sitemap_and_robots(built):
    sitemap = read(built, "sitemap.xml")
    assert "https://hub.example.org/creators/maya/" in sitemap
    # lastmod is the content's own date (tests/test_checkers.py), never the build's or the clock's.
    assert "<lastmod>2027-05-01T09:00:00-04:00</lastmod>" in sitemap and "2027-05-15" not in sitemap
    assert "Sitemap: https://hub.example.org/sitemap.xml" in read(built, "robots.txt")
    index = json.loads(read(built, "search/search_index.json"))
    assert any(doc["location"] == "creators/maya/" for doc in index["docs"])


def test_two_builds_are_byte_identical(project):
    assert project.build("one").code == 0
    assert project.build("two").code == 0
    one, two = tree_digest(project.root / "one"), tree_digest(project.root / "two")
    assert one == two and len(one) > 30


def test_a_failing_build_leaves_the_published_site_untouched(project):
    assert project.build().code == 0
    before = tree_digest(project.root / "site")
    project.write("creators/broken.md", "---\nname: [unclosed\n---\n")
    result = project.build()
    assert result.code == 1
    assert tree_digest(project.root / "site") == before
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_an_engine_failure_leaves_the_published_site_untouched(project, monkeypatch, tmp_path_factory):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("reports")))  # the traceback's file
    assert project.build().code == 0
    before = tree_digest(project.root / "site")
    # A broken theme template only fails inside MkDocs, after validation passed.
    (project.root / "theme" / "main.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope( }}{% endblock %}")
    result = project.build()
    assert result.code == 4 and "internal error — please report it with the file" in result.err
    assert tree_digest(project.root / "site") == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_mkdocs_build_gives_the_same_site(project):
    assert project.build("via-spotlight").code == 0
    env = {**os.environ, "SPOTLIGHT_AS_OF": MOMENT}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "via-mkdocs"], cwd=project.root,
                   env=env, check=True, capture_output=True)
    assert tree_digest(project.root / "via-mkdocs") == tree_digest(project.root / "via-spotlight")


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_file_that_passes_check(project, kind):
    result = project.run("new", kind, f"fresh-{kind}")
    assert result.code == 0, result.err
    path = project.root / KINDS[kind].folder / f"fresh-{kind}.md"
    assert path.is_file() and "status: draft" in path.read_text()
    assert project.check().code == 0, project.check().err
    # ...and once published, it is still valid and appears in the build.
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    checked = project.check()
    assert checked.code == 0, checked.err


def test_new_refuses_misuse(project):
    assert project.run("new", "creatr", "x").code == 2
    assert project.run("new", "creator", "Bad Slug").code == 2
    assert project.run("new", "creator", "maya").code == 2  # exists already


def test_misuse_exits_2(project):
    assert project.run("frobnicate").code == 2
    assert project.run("build", "--as-of", "next tuesday").code == 2
    assert project.run("check", "--format", "xml").code == 2


def test_build_is_the_default_command(project):
    result = project.run("--as-of", MOMENT, "--out", "default-site")
    assert result.code == 0, result.err
    assert (project.root / "default-site" / "index.html").is_file()


def test_build_py_runs_as_a_script(project):
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--as-of", MOMENT], cwd=project.root,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_verify_refuses_a_drafts_build_and_accepts_a_normal_one(project):
    assert project.build("site").code == 0
    ok = project.run("verify", "site")
    assert ok.code == 0 and "may be deployed" in ok.out
    assert project.build("preview", MOMENT, "--drafts").code == 0
    refused = project.run("verify", "preview")
    assert refused.code == 1
    assert "refusing to deploy preview/: it was built with --drafts" in refused.err
    missing = project.run("verify", "nothing-here")
    assert missing.code == 1 and "has no index.html" in missing.err


def test_search_index_is_bounded_one_short_entry_per_item(built, project):
    index = json.loads(read(built, "search/search_index.json"))
    locations = [d["location"] for d in index["docs"]]
    assert not any("#" in loc for loc in locations)  # no per-section entries
    assert len(locations) == len(set(locations))
    sources = [p for p in (project.root / "creators").glob("*.md")] + list((project.root / "content").rglob("*.md"))
    assert len(locations) == len(sources) + 1  # every fixture item is live as of MOMENT, plus get-help
    assert "creators/maya/" in locations and "get-help/" in locations
    maya = next(d for d in index["docs"] if d["location"] == "creators/maya/")
    assert maya["title"] == "Maya Torres"
    assert "Maya shares honest videos about living with anxiety." in maya["text"] and "Anxiety" in maya["text"]
    assert "Maya talks about anxiety." not in maya["text"]  # the body is not indexed
    assert all(len(d["text"]) <= 600 for d in index["docs"])
    assert index["config"]["lang"] == ["en"]


def test_the_engine_parses_no_markdown_of_ours(project, monkeypatch):
    """Each body is rendered by Spotlight, on its own; MkDocs is handed every page as empty Markdown."""
    import markdown

    converted: list[str] = []
    convert = markdown.Markdown.convert

    def recording(self, source):
        converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", recording)
    assert project.build().code == 0
    bodies = {p.read_text(encoding="utf-8").split("---\n", 2)[2] for p in project.root.rglob("*.md")
              if "site" not in p.parts}
    pages = reader_pages(project.root / "site", "index.html")
    assert converted.count("") >= len(pages) > 20  # one empty conversion per page, by MkDocs
    assert {text for text in converted if text} == bodies  # and the bodies, by Spotlight, on their own


def test_body_headings_make_the_table_of_contents_with_their_text_escaped(project):
    project.write("content/pages/faq.md", """
        ---
        title: Questions
        ---
        ## Q&A: when 1 < 2

        Text.
        """)
    assert project.build().code == 0
    page = read(project.root / "site", "faq/index.html")
    toc = page[page.index('aria-label="Table of contents"'):]
    assert 'href="#qa-when-1-2"' in toc and "Q&amp;A: when 1 &lt; 2" in toc
    assert "1 < 2" not in page


def test_items_of_two_kinds_with_one_name_have_titles_that_say_which_is_which(project):
    project.write("content/organizations/lifeline-org.md", """
        ---
        name: Fixture Lifeline
        summary: The organisation that runs the fixture line.
        website: https://example.org/lifeline
        regions: [US]
        ---
        Fixture organisation.
        """)
    result = project.build()
    assert result.code == 0, result.err
    site = project.root / "site"
    title = lambda rel: read(site, rel).split("<title>", 1)[1].split("</title>", 1)[0]  # noqa: E731
    assert title("organizations/lifeline-org/index.html").startswith("Fixture Lifeline (organization) - ")
    assert title("resources/lifeline/index.html").startswith("Fixture Lifeline (helpline) - ")
    assert title("organizations/nami/index.html").startswith("National Alliance on Mental Illness - ")


def test_a_hub_without_its_theme_folder_is_told_so_in_one_line(project):
    """A configuration MkDocs refuses is the hub's mistake (exit 2), not an internal error."""
    import shutil

    shutil.rmtree(project.root / "theme")
    result = project.build()
    assert result.code == 2, result.err
    assert result.err.splitlines() == [
        f"build.py: mkdocs.yml: Config value 'theme': The path set in custom_dir ('{project.root / 'theme'}') "
        "does not exist. (fix the value, or make the folder it names: a hub needs content/ and Spotlight's "
        "theme/; see docs/make-your-hub.md)"]
    assert not (project.root / "site").exists()
