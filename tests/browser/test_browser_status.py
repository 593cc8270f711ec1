"""Statuses that depend on the clock stay right between builds: status.js recomputes "Coming soon /
Happening now / Ended" from the times the page carries, with the build's text as the fallback.

A fixture hub of its own (tests/fixtures/base), built once as of a moment before its campaign
and its event; the browser's clock (Playwright's page.clock) is then moved, never the build's."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import pytest
import yaml

from spotlight.settings import read_settings

from .browsing import served_build
from .conftest import REPO

FIXTURE = REPO / "tests/fixtures/base"
CONFIG = REPO / "tests/fixtures/mkdocs.yml"  # the fixture hubs' configuration, not the sample's
BUILT_AS_OF = "2027-04-20T12:00:00-04:00"


def front_matter(rel: str) -> dict:
    return yaml.safe_load((FIXTURE / rel).read_text().split("---")[1])


CAMPAIGN = front_matter("content/campaigns/mham-2027.md")
EVENT = front_matter("content/events/training-2027.md")
ZONE = read_settings(CONFIG.parent).tz  # date-only days are days in the hub's time zone


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZONE)


@pytest.fixture(scope="module")
def hub(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("clock-hub")
    shutil.copy(CONFIG, root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    with served_build(root, BUILT_AS_OF) as address:
        yield address


def status_at(browser, hub, path: str, moment: datetime | None, javascript: bool = True, then=None):
    context = browser.new_context(base_url=hub, java_script_enabled=javascript)
    context.route(lambda url: not url.startswith(hub + "/"), lambda route: route.abort())
    try:
        page = context.new_page()
        if moment is not None:
            page.clock.install(time=moment)
        page.goto(path)
        if then is not None:
            then(page)
        status = page.locator("[data-sl-status]").first
        return status.inner_text().strip(), status.get_attribute("class")
    finally:
        context.close()


def test_the_build_text_is_the_fallback_without_javascript(browser, hub):
    assert status_at(browser, hub, "/campaigns/mham-2027/", None, javascript=False) == (
        "Coming soon", "sl-status sl-status--upcoming")
    assert status_at(browser, hub, "/events/training-2027/", None, javascript=False)[0] == "Upcoming"


@pytest.mark.parametrize("path", ["/campaigns/mham-2027/", "/campaigns/", "/"])
def test_a_campaign_status_follows_the_readers_clock(browser, hub, path):
    starts, last_day = CAMPAIGN["starts"], CAMPAIGN["ends"]
    assert status_at(browser, hub, path, day_start(starts) - timedelta(minutes=1)) == (
        "Coming soon", "sl-status sl-status--upcoming")
    assert status_at(browser, hub, path, day_start(starts)) == ("Happening now", "sl-status sl-status--live")
    # The last day is included: it ends at the next midnight in the hub's time zone.
    # (A minute's margin: the browser's clock runs on from the moment set while the page loads.)
    assert status_at(browser, hub, path, day_start(last_day + timedelta(days=1)) - timedelta(minutes=1))[0] == "Happening now"
    assert status_at(browser, hub, path, day_start(last_day + timedelta(days=1))) == ("Ended", "sl-status sl-status--ended")


def test_an_event_status_follows_the_readers_clock(browser, hub):
    path = "/events/training-2027/"
    assert status_at(browser, hub, path, EVENT["starts"] - timedelta(minutes=5))[0] == "Upcoming"
    assert status_at(browser, hub, path, EVENT["starts"] + timedelta(minutes=5))[0] == "Happening now"
    assert status_at(browser, hub, path, EVENT["ends"] + timedelta(minutes=1))[0] == "Ended"


def test_a_page_left_open_changes_when_the_moment_comes(browser, hub):
    just_before = EVENT["starts"] - timedelta(minutes=5)
    seen = []
    text, _ = status_at(browser, hub, "/events/training-2027/", just_before,
                        then=lambda page: (seen.append(page.locator("[data-sl-status]").inner_text().strip()),
                                           page.clock.run_for(10 * 60_000)))
    assert seen == ["Upcoming"] and text == "Happening now"
