"""Creators a reader can judge (issue 13): the About box, card lines, consent and the funding statement."""

from __future__ import annotations

import json
import re

from spotlight.diagnostics import Report
from spotlight.schedule import parse_as_of
from spotlight.timeline import changes
from spotlight.settings import read_settings
from spotlight.validate import load_content

from conftest import MOMENT

PLAIN = """\
---
name: Zed Example
handle: "@zed"
summary: Zed talks about anxiety.
topics: [anxiety]
{extra}---
*A fictional test creator.*
"""


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def about_box(page: str) -> str:
    start = page.index('<section class="sl-section sl-about"')
    return page[start:page.index("</section>", start)]


def test_the_profile_says_who_is_speaking_and_how_to_check_it(project):
    assert project.build().code == 0
    box = about_box((project.root / "site/creators/maya/index.html").read_text(encoding="utf-8"))
    words = text_of(box)
    assert "About this creator" in words
    assert "Perspective Lived experience, Licensed professional" in words
    assert "Licensed Clinical Social Worker (LCSW), licensed in New York State, US." in words
    # The licence can be checked where it is held, and the reader's path goes with no referrer.
    assert re.search(r'<a href="https://example.org/license-lookup/maya" rel="noopener noreferrer">Check the licence',
                     box)
    assert "No, Maya Torres is not paid for taking part" in words
    assert "Sponsorship None declared" in words
    assert re.search(r'<a href="../../organizations/nami/">National Alliance on Mental Illness</a> '
                     r'\(Volunteer support-group facilitator\)', box)
    assert "Maya talks about anxiety honestly and always points to support." in words
    assert '<time datetime="2026-11-20">20 November 2026</time>' in box
    assert ("Being featured here is not medical advice, and it is not an endorsement of Maya Torres by this hub. "
            "Content on Maya Torres's own channels is not reviewed by the hub.") in words


def test_a_profile_without_disclosures_shows_the_gaps_and_the_same_disclaimer(project):
    project.write("creators/zed.md", PLAIN.format(extra=""))
    assert project.build().code == 0
    words = text_of(about_box((project.root / "site/creators/zed/index.html").read_text(encoding="utf-8")))
    assert "Perspective Not stated" in words
    assert "Paid to take part Not stated" in words
    assert "Why we feature Zed Example Not stated" in words
    assert "Profile last reviewed Not recorded" in words
    assert "Credentials" not in words  # only a professional's profile lists them
    assert "is not medical advice" in words and "own channels is not reviewed by the hub" in words


def test_cards_carry_a_short_perspective_line(project):
    project.write("creators/zed.md", PLAIN.format(extra="perspective: [peer-supporter]\ncompensation: paid\n"))
    assert project.build().code == 0
    listing = (project.root / "site/creators/index.html").read_text(encoding="utf-8")
    lines = re.findall(r'<p class="sl-card__perspective">([^<]*)</p>', listing)
    assert lines == ["Lived experience · Licensed professional", "Peer supporter · Paid to take part"]


def test_a_professional_needs_credentials_and_an_https_record(project):
    project.write("creators/zed.md", PLAIN.format(extra="perspective: [licensed-professional]\n"))
    assert project.check().lines == [
        "creators/zed.md:6: credentials: is required when `perspective` includes licensed-professional (add "
        "credentials: [{credential, licensed_in, verify_url}] with the licensing body's public record of the licence)"]
    project.write("creators/zed.md", PLAIN.format(extra=(
        "perspective: [licensed-professional]\ncredentials:\n  - credential: Psychologist\n"
        "    licensed_in: Ontario, Canada\n    verify_url: http://example.org/register/1\n")))
    assert project.check().lines == [
        "creators/zed.md:10: credentials[0].verify_url: 'http://example.org/register/1' is not an https:// web "
        "address (use the https:// address)"]


CONSENTED = "consent_given: 2027-05-10\nconsent_review: 2027-06-01\n"


def visible(project, moment: str) -> bool:
    content = load_content(project.root, read_settings(project.root), parse_as_of(moment), False, Report())
    return "zed" in content.visible["creator"]


def test_consent_opens_and_closes_the_profile_in_the_sites_time_zone(project):
    project.write("creators/zed.md", PLAIN.format(extra=CONSENTED))
    # The sample settings' zone is America/New_York: days start at 04:00 UTC in May and June.
    assert [visible(project, m) for m in ("2027-05-10T03:59:59Z", "2027-05-10T04:00:00Z",
                                          "2027-06-02T03:59:59Z", "2027-06-02T04:00:00Z")] == [
        False, True, True, False]
    # The timeline sees the same moments, and its check reports no broken reference for them.
    settings = read_settings(project.root)
    content = load_content(project.root, settings, parse_as_of("2027-05-01T00:00:00Z"), False, Report())
    found = [(c.at.isoformat(), c.change) for c in changes([content.all["creator"]["zed"]], content.moment,
                                                            settings.tz)]
    assert found == [("2027-05-10T00:00:00-04:00", "appears"), ("2027-06-02T00:00:00-04:00", "disappears")]


def test_check_warns_thirty_days_before_the_review_date_and_after_it(project):
    project.write("creators/zed.md", PLAIN.format(extra=CONSENTED))
    assert project.check("2027-05-01T12:00:00Z").lines == []  # 31 days before
    assert project.check("2027-05-02T12:00:00Z").lines == [
        "creators/zed.md:7: consent_review: warning: consent is due for review in 30 days (2027-06-01); after that "
        "day the profile is not published (confirm consent with the creator, then set consent_review to the next "
        "review date)"]
    assert "due for review today (2027-06-01)" in project.check("2027-06-01T12:00:00Z").err
    assert project.check("2027-06-02T12:00:00Z").lines == [
        "creators/zed.md:7: consent_review: warning: consent was due for review on 2027-06-01, so the profile is no "
        "longer published (confirm consent with the creator, then set consent_review to the next review date)"]
    project.write("creators/zed.md", PLAIN.format(extra=CONSENTED + "status: draft\n"))
    assert project.check("2027-05-20T12:00:00Z").lines == []  # a draft reaches no reader


def test_lists_leave_out_a_profile_whose_consent_ended_and_the_build_goes_on(project):
    """A failed build would keep the old site online, with the profile: consent ending is never an error."""
    project.write("creators/maya.md", (project.root / "creators/maya.md").read_text(encoding="utf-8")
                  .replace("last_reviewed: 2026-11-20", "last_reviewed: 2026-11-20\nconsent_given: 2026-01-05\n"
                           "consent_review: 2027-05-14"))
    result = project.build()
    assert result.code == 0, result.err
    assert "consent was due for review on 2027-05-14" in result.err
    site = project.root / "site"
    assert not (site / "creators/maya").exists()
    campaign = (site / "campaigns/mham-2027/index.html").read_text(encoding="utf-8")
    assert "Maya Torres" not in campaign and "In the spotlight" not in campaign
    assert json.loads((site / "api/creators.json").read_text())["creators"] == []


def test_a_draft_is_still_an_error_to_refer_to(project):
    """Only consent is let through: other hidden references stay errors."""
    text = (project.root / "creators/maya.md").read_text(encoding="utf-8")
    project.write("creators/maya.md", text.replace("---\n*A", "status: draft\n---\n*A"))
    assert any("content/campaigns/mham-2027.md" in line and "'maya' is a draft" in line
               for line in project.check().lines)


def test_the_api_publishes_disclosures_but_not_consent(project):
    assert project.build().code == 0
    record = json.loads((project.root / "site/api/creators.json").read_text())["creators"][0]
    assert record["perspective"] == ["lived-experience", "licensed-professional"]
    assert record["affiliations"] == [{"organization": "nami", "role": "Volunteer support-group facilitator"}]
    assert record["compensation"] == "unpaid" and record["last_reviewed"] == "2026-11-20"
    assert "consent_given" not in record and "consent_review" not in record
    schema = json.loads((project.root / "site/api/schema/creators.schema.json").read_text())
    fields = schema["properties"]["creators"]["items"]["properties"]
    assert fields["perspective"]["items"]["enum"] == ["lived-experience", "peer-supporter",
                                                      "licensed-professional", "organization"]
    assert "licensing body" in fields["credentials"]["description"]


def test_the_campaign_states_its_funding(project):
    assert project.build().code == 0
    page = (project.root / "site/campaigns/mham-2027/index.html").read_text(encoding="utf-8")
    words = text_of(page[page.index('<div class="sl-funding"'):])
    assert words.startswith("Funding: the partners' advertising credits are given by Example Fund (a fictional "
                            "funder). Their total value is US$10,000. Partners have no editorial control: they do "
                            "not choose the creators, pay to appear, or edit what this hub publishes.")
    path = project.root / "content/campaigns/mham-2027.md"
    project.write("content/campaigns/mham-2027.md", path.read_text().replace("credits_total: US$10,000\n", ""))
    assert project.build().code == 0
    page = (project.root / "site/campaigns/mham-2027/index.html").read_text(encoding="utf-8")
    assert "Their total value has not been published." in text_of(page)


def test_the_whole_timeline_check_lets_consent_end_without_an_error(project):
    """The campaign spotlights Maya past her review date: the timeline check sees her leave, and
    reports it only as check_consent's warning, never as a broken reference."""
    project.write("creators/maya.md", (project.root / "creators/maya.md").read_text(encoding="utf-8")
                  .replace("last_reviewed: 2026-11-20", "last_reviewed: 2026-11-20\nconsent_given: 2026-01-05\n"
                           "consent_review: 2027-06-10"))
    result = project.check()
    assert result.code == 0, result.err
    assert result.lines == [
        "creators/maya.md:24: consent_review: warning: consent is due for review in 26 days (2027-06-10); after "
        "that day the profile is not published (confirm consent with the creator, then set consent_review to the "
        "next review date)"]
    assert "disappears  creator 'Maya Torres'" in project.run("timeline", "--as-of", MOMENT).out
