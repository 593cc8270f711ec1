"""The review sees what the build sees, and links say what they do (issue 14, findings 5 and 7).

Each case is a body that once passed `check` and was neutralised only later by the sanitiser,
or a link that does more than it shows; `check` must now name it on the line that holds it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import REPO
from test_lint import FRONT, _reviewed, write_creator

HTML_HINT = "(remove it: content may use Markdown and simple HTML, never code, frames, styles or forms)"
HANDLER_HINT = "(remove it: content cannot run script)"
SCHEME_HINT = "(links may use https:, tel:, sms: or mailto: only)"
EXTERNAL_HINT = "(save it in content/assets/ and use /assets/...: nothing on the hub loads from another site)"
AT = "creators/zed.md"


def check_lines(project, body: str) -> list[str]:
    write_creator(project, body)
    result = project.check()
    assert "Traceback" not in result.err
    return result.lines


# -- the review sees what the build sees ---------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr-only", "crlf"])
def test_a_file_with_old_mac_or_windows_line_endings_is_reviewed_on_the_right_lines(project, newline):
    text = FRONT + "A [broken](/get-hep/) link.\n\n<script>alert(1)</script>\n\nShe committed suicide.\n"
    (project.root / AT).write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert project.check().lines == [
        f"{AT}:9: body: '/get-hep/' points to no page on this hub [broken-link] (did you mean '/get-help/'?)",
        f"{AT}:11: body: <script> is not allowed in content [raw-html] {HTML_HINT}",
        f"{AT}:13: body: 'committed suicide' describes suicide as a crime [suicide-crime-language] "
        "(write 'died by suicide' (or 'took their own life'))",
    ]


def test_a_tag_written_over_several_lines_is_reviewed_line_by_line(project):
    body = "A photo:\n<img\nsrc=\"/assets/photo.png\"\nonerror=\"alert(1)\" onload=alert(2)>\n"
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert check_lines(project, body) == [
        f"{AT}:10: body: this image has no alt text [image] (add alt=\"...\" that says what the image shows)",
        f"{AT}:12: body: the event-handler attribute 'onerror' is not allowed [raw-html] {HANDLER_HINT}",
        f"{AT}:12: body: the event-handler attribute 'onload' is not allowed [raw-html] {HANDLER_HINT}",
    ]


def test_attribute_lists_cannot_add_event_handlers(project):
    body = ("Get [help](/get-help/){: onclick=\"alert(1)\"} now.\n\n"
            "## Where to start {: onmouseover=alert(2) }\n\n"
            "A paragraph\nwith a handler.\n{: ONFOCUS=\"alert(3)\" tabindex=0 }\n")
    assert check_lines(project, body) == [
        f"{AT}:9: body: the event-handler attribute 'onclick' is not allowed [raw-html] {HANDLER_HINT}",
        f"{AT}:11: body: the event-handler attribute 'onmouseover' is not allowed [raw-html] {HANDLER_HINT}",
        f"{AT}:15: body: the event-handler attribute 'onfocus' is not allowed [raw-html] {HANDLER_HINT}",
    ]


def test_an_attribute_list_cannot_swap_a_link_for_script(project):
    assert check_lines(project, "Get [help](/get-help/){: href=\"javascript:alert(1)\" }.\n") == [
        f"{AT}:9: body: 'javascript:' addresses are not allowed (javascript:alert(1)) [url-scheme] {SCHEME_HINT}",
    ]


def test_reference_style_links_are_reviewed_where_the_address_is_defined(project):
    body = ("Read [the guide][1] and [this][two].\n\n"
            "[1]: javascript:alert(1)\n"
            "[two]: <data:text/html,hi> \"A title\"\n")
    assert check_lines(project, body) == [
        f"{AT}:11: body: 'javascript:' addresses are not allowed (javascript:alert(1)) [url-scheme] {SCHEME_HINT}",
        f"{AT}:12: body: 'data:' addresses are not allowed (data:text/html,hi) [url-scheme] {SCHEME_HINT}",
    ]


@pytest.mark.parametrize("link,shown", [
    ("[x](jav&#x09;ascript:alert(1))", "javascript:alert(1)"),   # an entity for a tab
    ("[x](java\tscript:alert(1))", "java    script:alert(1)"),   # a tab (Markdown makes it spaces)
    ("[x](JAVASCRIPT:alert(1))", "JAVASCRIPT:alert(1)"),
    ("[x](   javascript:alert(1))", "javascript:alert(1)"),
    ("[x](javascript&colon;alert(1))", "javascript:alert(1)"),   # a named entity for the colon
    ("[x](&#106;avascript:alert(1))", "javascript:alert(1)"),
    ("<a href=\"&#x20;java&#x0A;script:alert(1)\">x</a>", "javascript:alert(1)"),
    ("<a href=\"java\nscript:alert(1)\">x</a>", "javascript:alert(1)"),
    ("[x](<javascript:alert(1)>)", "javascript:alert(1)"),
], ids=["entity-tab", "tab", "uppercase", "leading-spaces", "entity-colon", "entity-letter", "html-entities",
        "html-newline", "angle-brackets"])
def test_an_obfuscated_scheme_is_read_as_the_browser_reads_it(project, link, shown):
    assert check_lines(project, link + "\n") == [
        f"{AT}:9: body: 'javascript:' addresses are not allowed ({shown}) [url-scheme] {SCHEME_HINT}",
    ]


def test_a_link_whose_text_spans_lines_or_nests_brackets_is_reviewed(project):
    body = "Please [click\nhere](javascript:alert(1)) and [a [nested] one](javascript:alert(2)).\n"
    assert check_lines(project, body) == [
        f"{AT}:10: body: 'javascript:' addresses are not allowed (javascript:alert(1)) [url-scheme] {SCHEME_HINT}",
        f"{AT}:10: body: 'javascript:' addresses are not allowed (javascript:alert(2)) [url-scheme] {SCHEME_HINT}",
    ]


def test_images_from_another_site_are_refused(project):
    body = ("![A chart](https://evil.example/x.png)\n\n"
            "<img src=\"//evil.example/x\" alt=\"A chart\">\n\n"
            "<picture><source srcset=\"/assets/a.png 1x, https://evil.example/b.png 2x\">"
            "<img src=\"/assets/a.png\" alt=\"A\"></picture>\n")
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert check_lines(project, body) == [
        f"{AT}:9: body: 'https://evil.example/x.png' is an image from another site [image] {EXTERNAL_HINT}",
        f"{AT}:11: body: '//evil.example/x' is an image from another site [image] {EXTERNAL_HINT}",
        f"{AT}:13: body: 'https://evil.example/b.png' is an image from another site [image] {EXTERNAL_HINT}",
    ]


def test_a_style_that_loads_an_address_is_refused(project):
    assert check_lines(project, "<p style=\"background: url(https://evil.example/t.gif)\">Hi</p>\n") == [
        f"{AT}:9: body: a style that loads an address is not allowed [raw-html] "
        "(remove the style: the theme styles content, and nothing may load from another site)",
    ]


@pytest.mark.parametrize("body", [
    "Press the <kbd>Shift</kbd> key, then <em>wait</em>.<br>\n",
    "Q&A with R&D staff &mdash; and &nbsp;more.\n",
    "<!-- spotlight: allow ed-numbers: not needed but harmless -->\nZed talks.\n",
    "Read [the guide][g].\n\n[g]: /get-help/\n",
    "## Start here {: #start .lead }\n",
    "<a href=\"/get-help/\" title=\"Help &amp; support\">Get help</a>\n",
    "[Call 988 (24/7)](tel:988) or [text HOME to 741741](sms:741741) or "
    "[call +1 800 668 6868](tel:+18006686868) or [write to us](mailto:editors@example.org).\n",
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```\n",
], ids=["bare-tags", "ampersands", "comment", "reference", "attr-list", "html-link", "contact-links", "fenced-code"])
def test_harmless_markup_passes(project, body):
    write_creator(project, body)
    result = project.check()
    assert result.code == 0, result.err


@pytest.mark.parametrize("body,paragraph,line,levels", [
    ("".join("    " * level + "- a\n" for level in range(300)), "180,599", 29, 21),  # the 21st level
    ('<div markdown="1">' * 1000 + "a" + "</div>" * 1000 + "\n", "24,001", 9, 1000),
], ids=["lists", "html-blocks"])
def test_a_body_nested_too_deeply_for_the_renderer_is_an_error_not_a_crash(project, body, paragraph, line, levels):
    # Refused by the limits on a body's shape (spotlight/body_limits.py) before Markdown runs.
    expected = [f"{AT}:9: body: this paragraph is {paragraph} characters long (at most 20,000) "
                "(split it with blank lines)",
                f"{AT}:{line}: body: lists, quotes or HTML blocks are nested {levels} levels deep here (at most 20) "
                "(flatten it: a page needs a few levels at most)"]
    assert sorted(check_lines(project, body)) == sorted(expected)
    result = project.build()
    assert (result.code, sorted(result.lines)) == (1, sorted(expected))


def test_a_body_the_renderer_gave_up_on_does_not_change_how_the_next_one_is_read():
    """body.py reuses one Markdown object; one that failed part-way must not be reused."""
    from spotlight.body import markdown_to_html

    links = "<help@example.org?cc=spy@evil.example> and [help](/get-help/)\n"
    before = markdown_to_html(links)
    for _ in range(3):
        with pytest.raises(RecursionError):
            markdown_to_html("".join("    " * level + "- a\n" for level in range(300)))
        assert markdown_to_html(links) == before


def test_a_body_the_line_pass_reads_fully_is_not_rendered(project, monkeypatch):
    """Most bodies skip the Markdown renderer: only what can hide something from the line pass pays for it."""
    from spotlight import lint

    rendered = []
    monkeypatch.setattr(lint, "markdown_to_html", lambda text: rendered.append(text) or "")
    lint.scan_text(FRONT + "Plain [links](/get-help/) and *emphasis*, Q&A.\n\n- a list\n", 9)
    assert rendered == []
    lint.scan_text(FRONT + "A [link][1].\n\n[1]: /get-help/\n", 9)
    assert rendered == ["A [link][1].\n\n[1]: /get-help/\n"]


# -- links say what they do --------------------------------------------------------------------

def test_links_that_do_more_than_they_show_are_named(project):
    body = ("[Write to us](mailto:help@example.org?bcc=spy%40evil.example&subject=Hi)\n\n"
            "[Call 988](tel:+15550100) or [text 741741](sms:741742).\n\n"
            "[Our partner](https://example.org@evil.example/path) and [another](https:\\\\example.org:x@evil.example)\n\n"
            "<help@example.org?cc=spy@evil.example>\n")
    assert check_lines(project, body) == [
        f"{AT}:9: body: 'mailto:help@example.org?bcc=spy%40evil.example&subject=Hi' adds bcc, subject to the "
        "reader's email [misleading-link] (link the plain address: mailto:help@example.org)",
        f"{AT}:11: body: the link shows 741741 but texts 741742 [misleading-link] (link the number it shows: sms:741741)",
        f"{AT}:11: body: the link shows 988 but calls 15550100 [misleading-link] (link the number it shows: tel:988)",
        f"{AT}:13: body: 'https://example.org@evil.example/path' goes to evil.example: what comes before '@' is a "
        "user name, not the site [misleading-link] (link the site's own address, with no '@' before its first '/')",
        f"{AT}:13: body: 'https:\\example.org:x@evil.example' goes to evil.example: what comes before '@' is a "
        "user name, not the site [misleading-link] (link the site's own address, with no '@' before its first '/')",
        f"{AT}:15: body: 'mailto:help@example.org?cc=spy@evil.example' adds cc to the reader's email "
        "[misleading-link] (link the plain address: mailto:help@example.org)",
    ]


def test_a_misleading_link_can_be_silenced_with_a_reason(project):
    body = ("<!-- spotlight: allow misleading-link: the vanity number is how the line is advertised -->\n"
            "[Call 1-800-273-TALK](tel:18002738255)\n")
    write_creator(project, body)
    assert project.check().code == 0


# Contact links on resource pages and /get-help/ are generated from the front matter (views.py).

# Every shape of contact the crisis lines take: short codes, keywords, national numbers with and
# without a country code, spaced numbers, chat and web addresses.
CONTACTS = [
    ({"method": "text", "value": "50808"}, "sms:50808", "Text 50808"),
    ({"method": "call", "value": "988"}, "tel:988", "Call 988"),
    ({"method": "text", "value": "988"}, "sms:988", "Text 988"),
    ({"method": "text", "value": "741741", "keyword": "HOME"}, "sms:741741", "Text HOME to 741741"),
    ({"method": "text", "value": "686868", "keyword": "CONNECT"}, "sms:686868", "Text CONNECT to 686868"),
    ({"method": "call", "value": "+1 800 668 6868"}, "tel:+18006686868", "Call +1 800 668 6868"),
    ({"method": "call", "value": "13 11 14"}, "tel:131114", "Call 13 11 14"),
    ({"method": "text", "value": "+61 477 131 114"}, "sms:+61477131114", "Text +61 477 131 114"),
    ({"method": "call", "value": "116 123"}, "tel:116123", "Call 116 123"),
    ({"method": "text", "value": "85258", "keyword": "SHOUT"}, "sms:85258", "Text SHOUT to 85258"),
    ({"method": "chat", "value": "https://example.org/chat"}, "https://example.org/chat", None),
    ({"method": "web", "value": "https://example.org/help"}, "https://example.org/help", None),
]


@pytest.mark.parametrize("contact,href,text", CONTACTS)
def test_every_kind_of_crisis_line_contact_dials_the_number_it_shows(contact, href, text):
    from spotlight.views import contact_href, contact_text

    assert contact_href(contact) == href
    if text is not None:
        assert contact_text(contact) == text


@pytest.mark.parametrize("contact,href,text", [
    ({"method": "email", "value": "help@example.org?bcc=spy%40evil.example"}, "mailto:help@example.org", "Email help@example.org"),
    ({"method": "email", "value": "help@example.org#body=hi"}, "mailto:help@example.org", "Email help@example.org"),
    ({"method": "email", "value": "a%62@example.org"}, "mailto:a%2562@example.org", "Email a%62@example.org"),
    ({"method": "email", "value": "help@example.org"}, "mailto:help@example.org", "Email help@example.org"),
    ({"method": "call", "value": "+1 (800) 668-6868"}, "tel:+18006686868", "Call +1 (800) 668-6868"),
    ({"method": "call", "value": "1+800 273;8255?x"}, "tel:18002738255", "Call 1+800 273;8255?x"),
    ({"method": "text", "value": "\u0669\u0668\u0668", "keyword": "HOME"}, "sms:988", "Text HOME to \u0669\u0668\u0668"),
], ids=["mailto-bcc", "mailto-fragment", "mailto-percent", "mailto", "tel-international", "tel-only-digits", "sms-arabic-digits"])
def test_a_contact_link_carries_only_what_its_text_shows(contact, href, text):
    from spotlight.views import contact_href, contact_text

    assert (contact_href(contact), contact_text(contact)) == (href, text)


# -- one review, in one process or two -----------------------------------------------------------

HOSTILE = {
    "creators/zed.md": FRONT + "<img\nsrc=x\nonerror=alert(1)>\n\n[x][1] and [mail](mailto:a@example.org?bcc=b@example.org)\n\n"
    "[1]: jav&#x09;ascript:alert(1)\n",
    "creators/amy.md": (FRONT.replace("Zed Example", "Amy Example").replace("@zed", "@amy")
                        + "Get [help](/get-help/){: onclick=alert(1)}\n\n![x](https://evil.example/x.png)\n").replace("\n", "\r"),
}


def test_the_read_ahead_reviews_hostile_bodies_exactly_as_one_process_does(project, monkeypatch):
    for path, text in HOSTILE.items():
        (project.root / path).write_bytes(text.encode("utf-8"))
    alone = _reviewed(project, False, monkeypatch)
    assert len([line for line in alone if "creators/" in line]) == 7, alone
    assert _reviewed(project, True, monkeypatch) == alone


# -- the review and the build agree ----------------------------------------------------------------

# Each paragraph hides script in a way the old line-by-line review missed.
HOSTILE_PARAGRAPHS = [
    "<img\nsrc=\"/assets/photo.png\" alt=\"A photo\"\nonerror=\"alert(1)\">",
    "Get [help](/get-help/){: onclick=\"alert(2)\"} now.",
    "## A heading {: onmouseover=alert(3) }",
    "Read [the guide][1].\n[1]: javascript:alert(4)",
    "[a](jav&#x09;ascript:alert(5)) [b](java\tscript:alert(6)) [c](JAVASCRIPT:alert(7)) [d](  javascript:alert(8))",
    "[e](javascript&colon;alert(9)) <a href=\"java\nscript:alert(10)\">f</a>",
    "<svg\nonload=alert(11)><script>alert(12)</script></svg>",
    "Please [click\nhere](javascript:alert(13)).",
]
EXECUTABLE_SCHEMES = ("javascript", "vbscript", "data")


class Executable(HTMLParser):
    """What in a built page could run: script elements, event handlers, script addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "form", "frame"):
            src = dict(attrs).get("src") or ""
            if not (tag == "script" and (src.endswith(("assets/spotlight/spotlight.js", "assets/spotlight/status.js"))
                                         or dict(attrs).get("type") == "application/ld+json")):
                self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            # As a browser reads an address (WHATWG URL): trimmed of spaces and control
            # characters, tabs and newlines removed, then a scheme is letters, digits, + - .
            address = re.sub(r"[\t\n\r]", "", (value or "").strip("".join(map(chr, range(0x21)))))
            scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", address)
            if name in ("href", "src", "action", "formaction", "srcset") and scheme and \
                    scheme.group(1).lower() in EXECUTABLE_SCHEMES:
                self.found.append(f"<{tag} {name}={value!r}>")


def test_what_the_review_refuses_the_build_neutralises_even_when_silenced(project):
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_creator(project, "\n\n".join(HOSTILE_PARAGRAPHS) + "\n")
    refused = project.check()
    flagged = {int(line.split(":")[1]) for line in refused.lines if line.startswith(AT)}
    # Every paragraph is refused, on one of its own lines.
    starts = [9]
    for paragraph in HOSTILE_PARAGRAPHS[:-1]:
        starts.append(starts[-1] + paragraph.count("\n") + 2)
    for start, paragraph in zip(starts, HOSTILE_PARAGRAPHS):
        assert flagged & set(range(start, start + paragraph.count("\n") + 1)), (paragraph, refused.lines)

    # An editor may silence a finding; the sanitiser still stands between the text and the reader.
    allow = "<!-- spotlight: allow raw-html: testing the sanitiser --> <!-- spotlight: allow url-scheme: testing it -->"
    write_creator(project, "\n\n".join(f"{allow}\n{p}" for p in HOSTILE_PARAGRAPHS) + "\n")
    result = project.build()
    assert result.code == 0, result.err
    page = (project.root / "site/creators/zed/index.html").read_text(encoding="utf-8")
    assert "Get <a" in page and "A heading" in page  # the harmless parts were published
    parser = Executable()
    parser.feed(page)
    assert parser.found == []


def test_every_rule_is_in_the_editors_rule_table():
    from spotlight.lint import RULE_IDS

    guide = REPO / "docs" / "editorial-workflow.md"
    text = (guide if guide.exists() else REPO / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)` \|", text, re.M))
    assert RULE_IDS <= rows, sorted(RULE_IDS - rows)
