"""The sample hub: valid at any moment from now to 2028, and showing what the product is for."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from spotlight.diagnostics import Report
from spotlight.schedule import parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content

from conftest import REPO, make_project

LIVE = "2027-05-15T12:00:00-04:00"
# Every number the sample may link to, from ../shared/reference/crisis-lines.md (checked facts),
# plus the emergency numbers of the get-help page. A number outside this list was invented.
CHECKED_NUMBERS = {"988", "741741", "686868", "+18006686868", "85258", "116123", "50808", "131114",
                   "+61477131114", "838255", "911", "999", "112", "000"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The repository's own content in a scratch copy, built once as of mid-May 2027."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("creators", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    from spotlight.cli import main
    assert main(["--root", str(root), "build", "--as-of", LIVE]) == 0
    return root


def load(root: Path, moment: str, strict_freshness: bool = False):
    report = Report()
    content = load_content(root, read_settings(root), parse_as_of(moment), False, report,
                           strict_freshness=strict_freshness)
    return content, report


MOMENTS = ["2026-10-06T12:00:00-04:00", "2026-11-25T12:00:00Z", LIVE,
           "2027-08-10T12:00:00-04:00", "2028-06-01T00:00:00Z", "2028-12-31T23:00:00Z"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_sample_is_valid_at_every_moment(moment):
    _, report = load(REPO, moment)
    assert [d.text() for d in report.errors] == []


@pytest.mark.parametrize("moment", MOMENTS)
def test_sample_check_fails_only_for_lines_due_for_a_recheck(moment):
    """`check` holds the sample to its editorial policy: a crisis line is re-checked every
    verify_every_days. The sample's lines were checked in November 2026 from the reference and
    nobody re-checks them, so from their due date on `check` fails for them, and for nothing
    else (docs/editorial-workflow.md says so). Which lines are due is read from the content."""
    content, report = load(REPO, moment, strict_freshness=True)
    every = timedelta(days=content.settings.verify_every_days)
    today = parse_as_of(moment).astimezone(content.settings.tz).date()
    due = {r.path for r in content.visible["resource"].values()
           if r.get("crisis") and r.data["last_verified"] + every < today}
    assert sorted((d.path, d.field) for d in report.errors) == sorted((path, "last_verified") for path in due)


def test_sample_builds_in_2028(tmp_path, capsys):
    project = make_project(tmp_path, capsys, base=False)
    for name in ("creators", "content"):
        shutil.copytree(REPO / name, tmp_path / name)
    result = project.build("site", "2028-06-01T00:00:00Z")
    assert result.code == 0, result.err
    assert "Ended" in (tmp_path / "site/campaigns/mental-health-awareness-month-2027/index.html").read_text()


def test_campaign_spotlights_ten_creators_in_order(sample):
    content, _ = load(REPO, LIVE)
    campaign = content.visible["campaign"]["mental-health-awareness-month-2027"]
    spotlight = campaign.data["spotlight"]
    assert len(spotlight) == 10
    names = [content.visible["creator"][slug].data["name"] for slug in spotlight]
    page = (sample / "site/campaigns/mental-health-awareness-month-2027/index.html").read_text()
    positions = [page.find(f">{name}<") for name in names]
    assert -1 not in positions and positions == sorted(positions)
    assert "Happening now" in page
    partners = {p["organization"] for p in campaign.data["partners"]}
    assert partners == {"alliance-for-eating-disorders", "american-foundation-for-suicide-prevention",
                        "crisis-text-line", "made-of-millions", "nami", "neda", "peer-health-exchange"}


def test_example_creators_are_fictional_and_link_only_to_example_domains():
    content, _ = load(REPO, LIVE)
    for creator in content.all["creator"].values():
        assert "fictional" in creator.body.lower(), creator.path
        for link in creator.get("links", []):
            host = link["url"].split("/")[2]
            assert host in ("example.com", "example.org"), (creator.path, link["url"])


def test_every_help_link_in_the_site_is_a_checked_number(sample):
    found = set()
    for page in (sample / "site").rglob("*.html"):
        found |= set(re.findall(r'href="(?:tel|sms):([^"]+)"', page.read_text()))
    assert found and found <= CHECKED_NUMBERS, found - CHECKED_NUMBERS


def test_neda_lists_no_phone_or_text_line(sample):
    page = (sample / "site/organizations/neda/index.html").read_text()
    article = page[page.find("<article"):page.find("</article>")]
    assert "tel:" not in article and "sms:" not in article


def test_events_are_past_or_upcoming_as_of_the_build(sample):
    page = (sample / "site/events/index.html").read_text()
    upcoming, past = page.split('id="sl-past"', 1)
    assert "World Mental Health Day" in past and "World Mental Health Day" not in upcoming
    assert "ack-to-school" in upcoming


def test_scheduled_updates_are_absent_until_their_date(sample):
    content, _ = load(REPO, LIVE)
    later = [u for u in content.all["update"].values() if u.data["date"] > parse_as_of(LIVE)]
    shown = [u for u in content.visible["update"].values()]
    assert later and shown
    feed = (sample / "site/feed.xml").read_text()
    listing = (sample / "site/updates/index.html").read_text()
    for update in later:
        assert update.data["title"] not in feed and update.data["title"] not in listing
        assert not (sample / f"site/updates/{update.slug}").exists()
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in ET.fromstring(feed.encode()).iter("{http://www.w3.org/2005/Atom}entry")]
    assert sorted(titles) == sorted(u.data["title"] for u in shown)


def test_get_help_groups_crisis_lines_by_country(sample):
    page = (sample / "site/get-help/index.html").read_text()
    for country in ("United States", "Canada", "United Kingdom", "Ireland", "Australia"):
        assert f">{country}</h2>" in page, country
    assert "Text HOME to 741741" in page
