"""Values are read as the field's declared type: YAML's implicit typing never changes what an editor wrote."""

from __future__ import annotations

from pathlib import Path

from spotlight.diagnostics import Report
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content

from conftest import MOMENT


def load(project):
    report = Report()
    content = load_content(project.root, read_settings(project.root), parse_as_of(MOMENT), False, report)
    return content, report


def test_yaml_implicit_types_are_kept_as_written(project):
    project.write("creators/ren.md", """
        ---
        name: Yes
        handle: "@0123"
        summary: 2027-05-01
        topics: [anxiety]
        pronouns: on
        languages: [no, en]
        ---
    """)
    project.write("content/organizations/norway.md", """
        ---
        name: 0123
        short_name: NULLABLE
        summary: 1e3
        website: https://example.org/no
        regions: [NO, GB]
        ---
    """)
    content, report = load(project)
    assert report.errors == []
    ren = content.all["creator"]["ren"].data
    assert (ren["name"], ren["handle"], ren["summary"], ren["pronouns"]) == ("Yes", "@0123", "2027-05-01", "on")
    assert ren["languages"] == ["no", "en"]
    org = content.all["organization"]["norway"].data
    assert (org["name"], org["summary"], org["regions"]) == ("0123", "1e3", ["NO", "GB"])


def test_line_numbers_point_at_each_field_and_list_item(project):
    content, _ = load(project)
    resource = content.all["resource"]["lifeline"]
    assert resource.lines["title"] == 2
    assert resource.lines["contacts"] == 13
    assert resource.lines["contacts[1].keyword"] == 18
    assert resource.body_line == 22


def test_scheduling_fields_decide_visibility(project):
    project.write("creators/later.md", """
        ---
        name: Later
        handle: "@later"
        summary: Appears in June.
        topics: [anxiety]
        publish_at: 2027-06-01T00:00:00Z
        expire_at: 2027-07-01T00:00:00Z
        ---
    """)
    for moment, visible in [("2027-05-31T23:59:59Z", False), ("2027-06-01T00:00:00Z", True),
                            ("2027-06-30T23:59:59Z", True), ("2027-07-01T00:00:00Z", False)]:
        report = Report()
        content = load_content(project.root, read_settings(project.root), parse_as_of(moment), False, report)
        assert ("later" in content.visible["creator"]) is visible, moment


def test_expire_before_publish_is_not_silently_accepted(project):
    project.write("creators/never.md", """
        ---
        name: Never
        handle: "@never"
        summary: Expires before it is published.
        topics: [anxiety]
        publish_at: 2027-06-01T00:00:00Z
        expire_at: 2027-05-01T00:00:00Z
        ---
    """)
    _, report = load(project)
    assert [d.text() for d in report.errors] == [
        "creators/never.md:7: expire_at: is before `publish_at` (set expire_at after publish_at)"]


URLS = ["https://example.com", "https://example.com/a b", "https://", "https:///x", "https://x/y?z#w",
        "https://a@b.example", "https://[::1]/", "https://[::1", "http://example.com", "HTTPS://example.com",
        "https://ex\tample.com", "https://x\\y", "https://x:80/p", "https://example.org/@maya?x=[1]", "ftp://x",
        "https://例え.jp/パス"]


def test_a_web_address_is_accepted_exactly_when_urlsplit_finds_https_and_a_host():
    """Url takes a shortcut for ordinary addresses; it must agree with the full rule: https, a
    host, no whitespace (urlsplit drops tabs silently) and no user name before an '@'."""
    import yaml
    from urllib.parse import urlsplit

    from spotlight.models import Ctx, FieldError, Item, Url

    ctx = Ctx(Path("."), Item("creator", "x", "creators/x.md", {}, {}, "", 1), Report())
    for url in URLS:
        try:
            parts = urlsplit(url)
            expected = (parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in url)
                        and "@" not in parts.netloc)
        except ValueError:
            expected = False
        try:
            mark = yaml.Mark("creators/x.md", 0, 0, 0, None, None)
            accepted = Url().parse(yaml.ScalarNode("tag:yaml.org,2002:str", url, mark, mark), "url", ctx) == url
        except FieldError:
            accepted = False
        assert accepted == expected, url


# -- look-alike creators (issue 14, finding 7) -------------------------------------------------

def _creator(project, slug: str, name: str, handle: str, status: str = "published") -> None:
    project.write(f"creators/{slug}.md", f'---\nname: {name}\nhandle: "{handle}"\nsummary: A creator.\n'
                                         f"topics: [anxiety]\nstatus: {status}\n---\nText.\n")


def test_two_creators_may_share_a_name_but_never_a_handle(project):
    _creator(project, "maya-two", "Maya Torres", "@maya.torres")  # a homonym: the handle tells them apart
    assert project.check().lines == []
    _creator(project, "maya-three", "Someone Else", "@Maya.Talks")  # handles ignore case
    assert project.check().lines == [
        "creators/maya-three.md:3: handle: '@Maya.Talks' looks like '@maya.talks', the handle of creators/maya.md "
        "(it has 'M' U+004D latin capital letter m, 'T' U+0054 latin capital letter t) "
        "(if they are different creators, make the difference visible; if not, keep one file)",
        "creators/maya.md:3: handle: '@maya.talks' looks like '@Maya.Talks', the handle of creators/maya-three.md "
        "(it has 'm' U+006D latin small letter m, 't' U+0074 latin small letter t) "
        "(if they are different creators, make the difference visible; if not, keep one file)"]


def test_a_draft_copy_is_not_a_look_alike_until_it_is_published(project):
    _creator(project, "copy", "Maya T\u043erres", "@maya.talks", status="draft")
    assert project.check().lines == []
    _creator(project, "copy", "Maya T\u043erres", "@maya.talks")
    assert [line.split(" (")[0] for line in project.check().lines] == [
        "creators/copy.md:2: name: 'Maya T\u043erres' looks like 'Maya Torres', the name of creators/maya.md",
        "creators/copy.md:3: handle: '@maya.talks' is also the handle of creators/maya.md",
        "creators/maya.md:2: name: 'Maya Torres' looks like 'Maya T\u043erres', the name of creators/copy.md",
        "creators/maya.md:3: handle: '@maya.talks' is also the handle of creators/copy.md"]
