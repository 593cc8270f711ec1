"""The hub this repository holds — the sample, or whatever a team replaced it with: valid at any
moment from late 2026 to the end of 2028, and built as its own content says.

These tests assume nothing of the content but that `check` accepts it: every expectation is
read from the loaded content, so a hub with eleven spotlighted creators, another name or no
Canadian lines stays green (tests/test_sample_independence.py proves it on a changed copy).
Product behaviour is tested on fixture hubs elsewhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape

from spotlight.diagnostics import Report
from spotlight.schedule import as_moment, parse_as_of
from spotlight.settings import read_settings
from spotlight.validate import load_content
from spotlight.views import contact_href

from conftest import SAMPLE, Project, copy_hub

pytestmark = pytest.mark.sample

LIVE = "2027-05-15T12:00:00-04:00"
LATE = "2028-06-01T00:00:00Z"
# The checked facts beside the project (shared/reference/); a fork of the hub may not have them.
REFERENCE = SAMPLE.parent / "shared" / "reference" / "crisis-lines.md"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The hub's own content in a scratch copy, built once as of mid-May 2027."""
    root = copy_hub(SAMPLE, tmp_path_factory.mktemp("sample") / "hub")
    from spotlight.cli import main
    assert main(["--root", str(root), "build", "--as-of", LIVE]) == 0
    return root


def load(root: Path, moment: str, strict_freshness: bool = False):
    report = Report()
    content = load_content(root, read_settings(root), parse_as_of(moment), False, report,
                           strict_freshness=strict_freshness)
    return content, report


def every_contact(resource) -> list[dict]:
    """A line's contacts and those of its other routes (988's Spanish and Veterans routes)."""
    return [*resource.get("contacts", []), *(c for route in resource.get("routes", []) for c in route["contacts"])]


def page_of(root: Path, section: str, slug: str) -> str:
    return (root / f"site/{section}/{slug}/index.html").read_text(encoding="utf-8")


MOMENTS = ["2026-10-06T12:00:00-04:00", "2026-11-25T12:00:00Z", LIVE, "2027-08-10T12:00:00-04:00", LATE,
           "2028-12-31T23:00:00Z"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_hub_is_valid_at_every_moment(moment):
    _, report = load(SAMPLE, moment)
    assert [d.text() for d in report.errors] == []


@pytest.mark.parametrize("moment", MOMENTS)
def test_check_fails_only_for_lines_due_for_a_recheck(moment):
    """`check` holds the hub to its editorial policy: a crisis line is re-checked every
    verify_every_days. The sample's lines were checked in November 2026 and nobody re-checks them,
    so from their due date on `check` fails for them, and for nothing else: the policy working,
    not a broken sample (docs/editorial-workflow.md). Which lines are due is read from the content."""
    content, report = load(SAMPLE, moment, strict_freshness=True)
    every = timedelta(days=content.settings.verify_every_days)
    today = parse_as_of(moment).astimezone(content.settings.tz).date()
    due = {r.path for r in content.visible["resource"].values()
           if r.get("crisis") and r.data["last_verified"] + every < today}
    assert sorted((d.path, d.field) for d in report.errors) == sorted((path, "last_verified") for path in due)


def test_the_hub_builds_in_2028_and_its_ended_campaigns_say_so(tmp_path, capsys):
    project = Project(copy_hub(SAMPLE, tmp_path / "hub"), capsys)
    result = project.build("site", LATE)
    assert result.code == 0, result.err
    content, _ = load(project.root, LATE)
    for campaign in content.visible["campaign"].values():
        page = page_of(project.root, "campaigns", campaign.slug)
        ended = as_moment(campaign.data["ends"], end_of_day=True, tz=content.settings.tz) < parse_as_of(LATE)
        assert ("Ended" in page) == ended, campaign.path


def test_campaigns_spotlight_their_creators_in_the_order_the_editor_gave(sample):
    content, _ = load(SAMPLE, LIVE)
    for campaign in content.visible["campaign"].values():
        names = [escape(content.visible["creator"][slug].data["name"]) for slug in campaign.get("spotlight", [])]
        page = page_of(sample, "campaigns", campaign.slug)
        positions = [page.find(f">{name}<") for name in names]
        assert -1 not in positions and positions == sorted(positions), (campaign.path, names)


def test_creators_that_say_they_are_fictional_link_only_to_example_domains():
    content, _ = load(SAMPLE, LIVE)
    for creator in content.all["creator"].values():
        if "fictional" not in creator.body.lower():
            continue
        for link in creator.get("links", []):
            host = link["url"].split("/")[2]
            assert host in ("example.com", "example.org"), (creator.path, link["url"])


def test_every_help_link_in_the_site_dials_a_line_the_hub_declares(sample):
    """No number in a body or a template that is not one of the hub's checked lines or emergency numbers."""
    content, _ = load(SAMPLE, LIVE)
    declared = {contact_href(c) for r in content.all["resource"].values() for c in every_contact(r)}
    declared |= {f"tel:{e['number']}" for e in content.settings.emergency_numbers}
    declared |= {content.settings.help_href} - {""}
    found = set()
    for page in (sample / "site").rglob("*.html"):
        found |= set(re.findall(r'href="((?:tel|sms):[^"]+)"', page.read_text(encoding="utf-8")))
    assert found <= declared, found - declared


def _reference_numbers(text: str) -> set[str]:
    numbers = set()
    for found in re.findall(r"`([0-9][0-9 ]*[0-9]|[0-9]+)`|\b(1-800-[0-9-]+)\b|\b(9-1-1|911|999|112|000)\b", text):
        digits = re.sub(r"\D", "", "".join(found))
        numbers.add(digits[1:] if digits.startswith("0") and len(digits) > 5 else digits)
    return numbers


def test_every_line_of_the_hub_is_one_the_checked_facts_list():
    """shared/reference/crisis-lines.md holds the checked numbers: a number not there was invented."""
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} is not beside this hub (a fork keeps its own sources in its files)")
    checked = _reference_numbers(REFERENCE.read_text(encoding="utf-8"))
    assert {"988", "741741", "116123"} <= checked  # the reader of the reference still reads it
    content, _ = load(SAMPLE, LIVE)
    for resource in content.all["resource"].values():
        for contact in every_contact(resource):
            href = contact_href(contact)
            if href.startswith(("tel:", "sms:")):
                digits = re.sub(r"\D", "", href)
                assert any(digits.endswith(n) for n in checked), (resource.path, href)


def test_an_organisation_page_dials_only_its_own_lines(sample):
    """An organisation whose line has closed (NEDA's, in the reference) must not show one."""
    content, _ = load(SAMPLE, LIVE)
    for org in content.visible["organization"].values():
        own = {contact_href(c) for r in content.visible["resource"].values()
               if r.get("organization") == org.slug for c in every_contact(r)}
        page = page_of(sample, "organizations", org.slug)
        article = page[page.find("<article"):page.find("</article>")]
        assert set(re.findall(r'href="((?:tel|sms):[^"]+)"', article)) <= own, org.path


def test_events_are_past_or_upcoming_as_of_the_build(sample):
    content, _ = load(SAMPLE, LIVE)
    page = (sample / "site/events/index.html").read_text(encoding="utf-8")
    upcoming, _, past = page.partition('id="sl-past"')
    for event in content.visible["event"].values():
        ended = as_moment(event.data["ends"], end_of_day=True, tz=content.settings.tz) < parse_as_of(LIVE)
        title = str(escape(event.data["title"]))
        assert (title in past, title in upcoming) == (ended, not ended), event.path


def test_scheduled_updates_are_absent_until_their_date(sample):
    content, _ = load(SAMPLE, LIVE)
    later = [u for u in content.all["update"].values() if u.data["date"] > parse_as_of(LIVE)]
    shown = list(content.visible["update"].values())
    feed = (sample / "site/feed.xml").read_text(encoding="utf-8")
    listing = (sample / "site/updates/index.html").read_text(encoding="utf-8")
    for update in later:
        assert str(escape(update.data["title"])) not in feed and str(escape(update.data["title"])) not in listing
        assert not (sample / f"site/updates/{update.slug}").exists()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in ET.fromstring(feed.encode()).iter(f"{atom}entry")]
    assert sorted(titles) == sorted(u.data["title"] for u in shown)
