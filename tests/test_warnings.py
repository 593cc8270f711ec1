"""Content warnings: which pages carry one, how it reads, and that it comes before what it warns about.

The hub is tests/fixtures/base with tests/fixtures/warnings on top (a crisis line, a directory and
an organisation filed under topics that carry warnings, a note that the lines were checked, a
story, an event and a campaign with warnings of their own)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from spotlight.models import CONTENT_WARNINGS
from spotlight.views import join_words

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import CONFIG, MOMENT, REPO

    from spotlight.cli import main

    root = tmp_path_factory.mktemp("warnings")
    shutil.copy(CONFIG, root / "mkdocs.yml")  # the fixture hubs' configuration
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "warnings", root, dirs_exist_ok=True)
    assert main(["--root", str(root), "build", "--out", "site", "--as-of", MOMENT]) == 0
    return root / "site"


def html(site: Path, path: str) -> str:
    return (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def notice(page: str) -> str | None:
    """The text of the page's warning notice, tags removed, or None."""
    match = re.search(r'<aside class="sl-cw"[^>]*>(.*?)</aside>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else None


@pytest.mark.parametrize("values,expected", [
    ([], ""),
    (["suicide"], "suicide"),
    (["suicide", "self-harm"], "suicide and self-harm"),
    (["suicide", "self-harm", "trauma"], "suicide, self-harm and trauma"),
    (["suicide", "death and grief"], "suicide, death and grief"),
    (["suicide", "self-harm", "death and grief"], "suicide, self-harm, death and grief"),
    (["death and grief", "trauma"], "death and grief, and trauma"),
])
def test_warnings_read_as_a_sentence(values, expected):
    assert join_words(values) == expected


def test_the_whole_vocabulary_reads_as_one_list():
    assert join_words(CONTENT_WARNINGS.values()) == (
        "suicide, self-harm, eating disorders, substance use, abuse, sexual violence, death and grief, and trauma")


@pytest.mark.parametrize("path", [
    "/resources/warm-line/",       # a crisis line filed under suicide prevention and grief
    "/resources/local-groups/",    # a directory filed under grief
    "/organizations/grief-network/",
    "/updates/lines-checked/",     # a note that the lines were checked, filed under suicide prevention
])
def test_help_directories_and_notes_carry_no_warning_meant_for_stories(site, path):
    page = html(site, path)
    assert "data-content-warning" not in page, notice(page)


def test_help_cards_carry_no_warning_either(site):
    for path in ("/resources/", "/organizations/", "/topics/grief/", "/topics/suicide-prevention/"):
        page = html(site, path)
        for title in ("Fixture Warm Line", "Find a local group", "Fixture Grief Network", "Every line was checked"):
            card = _card(page, title)
            assert card is None or "data-content-warning" not in card, (path, title, card)


def test_search_index_carries_warnings_only_where_the_page_has_them(site):
    docs = {d["location"]: d for d in json.loads((site / "search/search_index.json").read_text())["docs"]}
    assert docs["creators/zed/"]["warnings"] == ["suicide", "death and grief"]
    assert docs["updates/zed-story/"]["warnings"] == ["suicide", "death and grief"]
    assert docs["events/grief-circle/"]["warnings"] == ["death and grief"]
    for quiet in ("resources/warm-line/", "resources/local-groups/", "organizations/grief-network/",
                  "updates/lines-checked/", "creators/maya/"):
        assert "warnings" not in docs[quiet], quiet


@pytest.mark.parametrize("path,expected", [
    ("/creators/zed/", "suicide, death and grief"),  # its topics' warnings: a creator's topics are its stories
    ("/updates/zed-story/", "suicide, death and grief"),
    ("/events/grief-circle/", "death and grief"),
    ("/campaigns/remembering/", "death and grief"),
    ("/topics/suicide-prevention/", "suicide"),
])
def test_a_page_opens_with_its_warning_and_the_choice_to_skip(site, path, expected):
    page = html(site, path)
    text = notice(page)
    assert text is not None and f"this page talks about {expected}." in text, text
    assert page.index('class="sl-cw"') < page.index("<h1")
    choices = re.findall(r'<a class="sl-cw__(help|skip)" href="([^"]+)"', page)
    assert [c for c, _ in choices] == ["help", "skip"], choices
    assert choices[0][1].endswith("get-help/") and choices[1][1] == "#sl-cw-end", choices  # links are made relative
    end = page.index('id="sl-cw-end"')
    assert page.index("sl-lede") < end  # the summary and the editor's text are what it skips
    assert f"about {expected} ends here" in page[end:end + 200]


@pytest.mark.parametrize("path,title,expected", [
    ("/creators/", "Zed Example", "suicide, death and grief"),
    ("/updates/", "In the spotlight: Zed", "suicide, death and grief"),
    ("/events/", "An evening on loss", "death and grief"),
    ("/campaigns/", "Remembering together", "death and grief"),
    ("/campaigns/remembering/", "Zed Example", "suicide, death and grief"),  # the campaign's spotlight
    ("/topics/", "Grief", "death and grief"),
])
def test_on_every_card_the_warning_comes_before_the_summary(site, path, title, expected):
    card = _card(html(site, path), title)
    assert card is not None, f"{path}: no card titled {title!r}"
    warning = card.index("data-content-warning")
    assert expected in card[warning:warning + 200]
    summaries = [m.start() for m in re.finditer(r"<p>", card)]
    assert summaries and warning < summaries[0], card


def _card(page: str, title: str) -> str | None:
    """The <li class="sl-card"> whose title link says `title`."""
    for match in re.finditer(r'<li class="sl-card[^"]*">(.*?)</li>', page, re.S):
        if re.search(r"<h[23][^>]*>\s*<a [^>]*>" + re.escape(title) + "</a>", match.group(1)):
            return match.group(1)
    return None
