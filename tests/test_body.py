"""An editor's body, rendered once: Markdown, then the sanitiser, then nothing else parses it."""

from __future__ import annotations

import pytest

from spotlight.body import Heading, markdown_to_html, render_body
from spotlight.sanitize import md_link, page_url, relative_url


def test_an_unclosed_block_tag_holds_markdown_and_ends_with_the_body():
    body = render_body('Intro.\n\n<div class="note">\n\nI live with **anxiety**.\n\n- one\n', "creators/zed.md")
    assert body.html == ('<p>Intro.</p>\n<div class="note">\n<p>I live with <strong>anxiety</strong>.</p>\n'
                         '<ul>\n<li>one</li>\n</ul>\n</div>')


def test_a_tag_closed_within_its_paragraph_stays_raw_html_and_code_is_left_alone():
    html = markdown_to_html('<div>raw **kept**</div>\n\n```\n<div>\n\n**code**\n```\n\nthen *this*\n')
    assert '<div>raw **kept**</div>' in html
    assert "&lt;div&gt;\n\n**code**" in html
    assert "<p>then <em>this</em></p>" in html


def test_unsafe_markup_is_removed():
    html = str(render_body('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="a()">\n',
                           "creators/zed.md").html)
    assert "script" not in html and "javascript" not in html and "onerror" not in html


def test_ids_from_a_body_are_unique_and_never_the_templates_or_the_themes():
    body = render_body('## Resources\n\n## Resources\n\n## Find {#sl-find}\n\n<p id="main-content">x</p>\n\n'
                       '<p id="__drawer">y</p><p id="dup">1</p><p id="dup">2</p>\n', "campaigns/c.md")
    html = str(body.html)
    for wanted in ('id="resources"', 'id="resources_1"', 'id="body-sl-find"', 'id="body-main-content"',
                   'id="body-__drawer"', 'id="dup"', 'id="dup-2"'):
        assert wanted in html, wanted
    assert 'id="sl-find"' not in html and 'id="main-content"' not in html
    assert body.headings == (Heading(2, "resources", "Resources"), Heading(2, "resources_1", "Resources"),
                             Heading(2, "body-sl-find", "Find"))


def test_bodies_do_not_share_state():
    first = render_body("## Same\n\n[link][ref]\n\n[ref]: https://example.org/\n", "a.md")
    second = render_body("## Same\n\n[link][ref]\n", "b.md")
    assert 'id="same"' in str(first.html) and 'id="same"' in str(second.html)
    assert "https://example.org/" in str(first.html) and "[link][ref]" in str(second.html)


@pytest.mark.parametrize("href, expected", [
    ("../topics/anxiety.md", "/topics/anxiety/"),
    ("../topics/anxiety.md#help", "/topics/anxiety/#help"),
    ("maya.md", "/creators/maya/"),
    ("../index.md", "/"),
    ("/about.md", "/about/"),
    ("../../outside.md", "../../outside.md"),
    ("https://example.org/readme.md", "https://example.org/readme.md"),
    ("../topics/", "../topics/"),
])
def test_links_by_file_name_become_addresses(href, expected):
    assert md_link(href, "creators/zed.md") == expected


def test_a_body_link_by_file_name_reaches_the_page():
    assert 'href="/creators/index/"' not in str(render_body("[all](creators/index.md)", "about.md").html)
    assert 'href="/creators/"' in str(render_body("[all](creators/index.md)", "about.md").html)


def test_page_url():
    assert [page_url(s) for s in ("index.md", "about.md", "creators/index.md", "creators/maya.md",
                                  "creators/page/2.md")] == ["", "about/", "creators/", "creators/maya/", "creators/page/2/"]


@pytest.mark.parametrize("target", ["", "get-help/", "creators/maya/", "creators/", "events.ics",
                                    "assets/a b.png", "creators/language/es/"])
@pytest.mark.parametrize("page", ["", "about/", "creators/", "creators/maya/", "creators/language/es/"])
def test_relative_urls_are_what_mkdocs_made(target, page):
    """Links were made relative by MkDocs' get_relative_url before Spotlight wrote its own."""
    from mkdocs.utils import get_relative_url

    expected = get_relative_url(target or ".", page)
    if (not target or target.endswith("/")) and not expected.endswith("/"):
        expected += "/"
    assert relative_url(target, page) == expected
