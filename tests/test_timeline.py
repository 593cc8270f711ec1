"""The timeline: when items are visible, the changes `timeline` lists, and `check` over every later moment.

Every test fixes the moment; the hub's time zone is the fixture's (America/New_York, -04:00 in May)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from spotlight.models import Item
from spotlight.pipeline import load
from spotlight.schedule import why_hidden
from spotlight.timeline import changes, readable, upcoming, window

from conftest import MOMENT

NEW_YORK = ZoneInfo("America/New_York")
AS_OF = datetime.fromisoformat(MOMENT.replace("Z", "+00:00"))


def item(kind: str = "creator", slug: str = "x", **data) -> Item:
    return Item(kind, slug, f"creators/{slug}.md", data, {}, "", 1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def creator(project, slug: str, *extra: str) -> None:
    lines = "\n".join(extra)
    project.write(f"creators/{slug}.md", f"---\nname: {slug.title()} Lane\nhandle: \"@{slug}.lane\"\n"
                  f"summary: {slug.title()} talks about anxiety.\ntopics: [anxiety]\n{lines}\n---\n")


def update(project, slug: str, date: str, *extra: str) -> None:
    lines = "\n".join(extra)
    project.write(f"content/updates/{slug}.md", f"---\ntitle: Update {slug}\ndate: {date}\n"
                  f"summary: An update.\n{lines}\n---\n")


def horizon(project, days: int) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - spotlight:\n", f"  - spotlight:\n      check_horizon_days: {days}\n", 1),
                      encoding="utf-8")


# -- windows ----------------------------------------------------------------------------------


def test_an_items_window_is_when_why_hidden_says_it_is_visible():
    cases = [
        item(),
        item(publish_at=at("2027-05-20T09:00:00-04:00")),
        item(expire_at=at("2027-05-20T09:00:00-04:00")),
        item(publish_at=at("2027-05-10T09:00:00-04:00"), expire_at=at("2027-05-20T09:00:00-04:00")),
        item("update", date=at("2027-05-12T12:00:00-04:00"), publish_at=at("2027-05-11T00:00:00-04:00")),
        item("update", date=at("2027-05-12T12:00:00-04:00"), publish_at=at("2027-05-14T00:00:00-04:00")),
        item(publish_at=at("2027-05-20T00:00:00-04:00"), expire_at=at("2027-05-10T00:00:00-04:00")),
        item(status="draft"),
    ]
    moments = [at("2027-05-01T00:00:00-04:00") + timedelta(hours=6 * i) for i in range(4 * 31)]
    for case in cases:
        shown = window(case)
        for moment in moments:
            expected = why_hidden(case, moment) is None
            assert (shown is not None and not shown.empty and moment in shown) == expected, (case.data, moment)


def test_a_draft_has_no_window_unless_drafts_are_shown():
    draft = item(status="draft", publish_at=at("2027-05-20T09:00:00-04:00"))
    assert window(draft) is None
    assert window(draft, drafts=True).start == at("2027-05-20T09:00:00-04:00")


def test_an_update_appears_at_the_later_of_its_date_and_publish_at():
    later_date = item("update", date=at("2027-05-12T12:00:00-04:00"), publish_at=at("2027-05-11T00:00:00-04:00"))
    later_publish = item("update", date=at("2027-05-12T12:00:00-04:00"), publish_at=at("2027-05-14T00:00:00-04:00"))
    assert window(later_date).start == at("2027-05-12T12:00:00-04:00")
    assert window(later_publish).start == at("2027-05-14T00:00:00-04:00")


# -- changes ----------------------------------------------------------------------------------


def test_changes_are_in_order_strictly_after_the_moment_and_within_until():
    items = [
        item(slug="b", expire_at=at("2027-05-20T00:00:00-04:00")),
        item(slug="a", publish_at=at("2027-05-18T09:00:00-04:00")),
        item(slug="gone", publish_at=at("2027-05-01T00:00:00-04:00")),  # appeared before the moment
        item(slug="now", publish_at=AS_OF),  # at the moment itself: not "after"
        item(slug="late", publish_at=at("2027-07-01T00:00:00-04:00")),
        item(slug="draft", status="draft", publish_at=at("2027-05-16T00:00:00-04:00")),
    ]
    found = changes(items, AS_OF, NEW_YORK, until=at("2027-06-30T00:00:00-04:00"))
    assert [(c.slug, c.change, c.at.isoformat()) for c in found] == [
        ("a", "appears", "2027-05-18T09:00:00-04:00"),
        ("b", "disappears", "2027-05-20T00:00:00-04:00"),
    ]
    assert [c.slug for c in changes(items, AS_OF, NEW_YORK)][-1] == "late"


def test_a_moment_is_shown_in_the_hubs_time_zone():
    utc = item(slug="u", publish_at=at("2027-05-18T13:00:00+00:00"))
    (change,) = changes([utc], AS_OF, NEW_YORK)
    assert change.at.isoformat() == "2027-05-18T09:00:00-04:00"
    assert readable(change.at, NEW_YORK) == "2027-05-18 09:00 (-04:00)"
    assert readable(at("2027-01-18T13:00:05+00:00"), NEW_YORK) == "2027-01-18 08:00:05 (-05:00)"
    assert readable(at("2027-05-18T13:00:00+02:00"), timezone.utc) == "2027-05-18 11:00 (+00:00)"


def test_a_date_only_campaign_starts_and_ends_at_midnight_in_the_hubs_time_zone():
    campaign = Item("campaign", "may", "content/campaigns/may.md",
                    {"title": "May", "starts": datetime(2027, 5, 20).date(), "ends": datetime(2027, 5, 31).date()},
                    {}, "", 1)
    found = changes([campaign], AS_OF, NEW_YORK)
    assert [(c.change, c.at.isoformat(), c.url) for c in found] == [
        ("starts", "2027-05-20T00:00:00-04:00", "/campaigns/may/"),
        ("ends", "2027-06-01T00:00:00-04:00", "/campaigns/may/"),
    ]


def test_an_event_starts_and_ends_only_while_it_is_visible():
    event = Item("event", "qa", "content/events/qa.md",
                 {"title": "Q&A", "starts": at("2027-05-20T19:00:00-04:00"), "ends": at("2027-05-20T20:00:00-04:00"),
                  "expire_at": at("2027-05-20T19:30:00-04:00")}, {}, "", 1)
    assert [(c.change, c.at.isoformat()) for c in changes([event], AS_OF, NEW_YORK)] == [
        ("starts", "2027-05-20T19:00:00-04:00"),
        ("disappears", "2027-05-20T19:30:00-04:00"),
    ]


def test_upcoming_lists_a_loaded_hubs_changes(project):
    creator(project, "ren", "publish_at: 2027-05-18T09:00:00-04:00")
    content, report = load(project.root, AS_OF)
    assert not report.errors
    found = upcoming(content)
    assert [(c.kind, c.slug, c.change) for c in found] == [
        ("creator", "ren", "appears"),
        ("campaign", "mham-2027", "ends"),
        ("event", "training-2027", "starts"),
        ("event", "training-2027", "ends"),
    ]
    assert found[0].path == "creators/ren.md" and found[0].title == "Ren Lane"


# -- the timeline command ----------------------------------------------------------------------


def test_timeline_json_lists_the_next_change_first(project):
    update(project, "week-3", "2027-05-20T14:30:00-04:00", "creators: [maya]")
    result = project.run("timeline", "--as-of", MOMENT, "--format", "json")
    assert result.code == 0, result.err
    entries = json.loads(result.out)
    assert entries[0] == {"at": "2027-05-20T14:30:00-04:00", "change": "appears", "kind": "update",
                          "slug": "week-3", "title": "Update week-3", "path": "content/updates/week-3.md",
                          "url": "/updates/week-3/"}
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    assert len(entries) == 4


def test_timeline_text_names_moment_change_item_and_file(project):
    update(project, "week-3", "2027-05-20T14:30:00-04:00")
    result = project.run("timeline", "--as-of", MOMENT)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "after 2027-05-15 08:00 (-04:00) (America/New_York):"
    assert lines[1] == "2027-05-20 14:30 (-04:00)  appears     update 'Update week-3'  content/updates/week-3.md"
    assert lines[2].startswith("2027-06-01 00:00 (-04:00)  ends        campaign ")


def test_timeline_with_nothing_ahead(project):
    result = project.run("timeline", "--as-of", "2028-01-01", "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []
    result = project.run("timeline", "--as-of", "2028-01-01")
    assert result.out == "nothing changes after 2028-01-01 00:00 (-05:00) (America/New_York)\n"


def test_timeline_still_lists_when_the_content_has_errors_and_exits_1(project):
    update(project, "week-3", "2027-05-20T14:30:00-04:00", "creators: [nobody]")
    result = project.run("timeline", "--as-of", MOMENT, "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)[0]["slug"] == "week-3"
    assert "the content has 1 error(s)" in result.err


# -- check over the whole timeline -------------------------------------------------------------


def test_a_later_problem_fails_check_and_build_with_its_moment(project):
    update(project, "week-3", "2027-05-20T14:30:00-04:00", "creators: [mya]")
    message = ("content/updates/week-3.md:5: creators[0]: from 2027-05-20 14:30 (-04:00) this names 'mya', "
               "which does not exist (did you mean 'maya'?)")
    assert project.check().lines == [message]
    build = project.build()
    assert build.code == 1 and message in build.err


def test_once_the_moment_comes_the_problem_is_reported_as_of_now(project):
    update(project, "week-3", "2027-05-20T14:30:00-04:00", "creators: [mya]")
    assert project.check("2027-05-21").lines == [
        "content/updates/week-3.md:5: creators[0]: there is no creator 'mya' (did you mean 'maya'?)"]


def test_a_target_that_appears_before_the_referrer_is_fine(project):
    creator(project, "ren", "publish_at: 2027-05-18T09:00:00-04:00")
    update(project, "ren-arrives", "2027-05-18T09:00:00-04:00", "creators: [ren]")
    assert project.check().code == 0


def test_a_creator_expiring_while_a_live_campaign_shows_them(project):
    creator(project, "ren", "expire_at: 2027-05-25T00:00:00-04:00")
    project.write("content/campaigns/mham-2027.md",
                  (project.root / "content/campaigns/mham-2027.md").read_text().replace("[maya]", "[maya, ren]"))
    result = project.check()
    assert result.lines == [
        "content/campaigns/mham-2027.md:7: spotlight[1]: from 2027-05-25 00:00 (-04:00) this names 'ren', which "
        "expires at 2027-05-25 00:00 (-04:00) (move the expire_at of creators/ren.md later, or give this item an "
        "expire_at of 2027-05-25 00:00 (-04:00) or earlier)"]


def test_a_problem_that_exists_now_is_not_reported_again_for_later(project):
    creator(project, "ren", "publish_at: 2027-06-01T09:00:00-04:00")
    update(project, "early", "2027-05-10T09:00:00-04:00", "creators: [ren]")
    result = project.check()
    assert len(result.lines) == 1
    assert "the creator 'ren' is not published until 2027-06-01T09:00:00-04:00" in result.lines[0]


def test_the_horizon_bounds_the_check(project):
    update(project, "far", "2027-07-01T09:00:00-04:00", "creators: [mya]")
    assert project.check().code == 1
    horizon(project, 30)
    assert project.check().code == 0
    assert project.check("2027-06-15").code == 1  # 30 days from then reach it


def test_a_horizon_of_zero_checks_only_the_moment(project):
    horizon(project, 0)
    update(project, "soon", "2027-05-15T12:00:01Z", "creators: [mya]")
    assert project.check().code == 0
    assert project.check("2027-05-15T12:00:01Z").code == 1


def test_a_drafts_build_counts_drafts_as_published(project):
    creator(project, "jo", "status: draft")
    update(project, "week-3", "2027-05-20T14:30:00-04:00", "creators: [jo]")
    assert project.check().code == 1
    assert project.build("site", MOMENT, "--drafts").code == 0


def test_a_body_link_to_a_page_not_yet_published_when_the_link_appears(project):
    creator(project, "lee", "publish_at: 2027-06-01T09:00:00-04:00")
    project.write("content/updates/lee.md", "---\ntitle: Meet Lee\ndate: 2027-05-20T14:30:00-04:00\n"
                  "summary: Soon.\n---\n\nRead [Lee's profile](../../creators/lee/).\n")
    assert project.check().lines == [
        "content/updates/lee.md:7: body: from 2027-05-20 14:30 (-04:00) '../../creators/lee/' points to "
        "creators/lee.md, which is not published until 2027-06-01 09:00 (-04:00) (publish creators/lee.md by "
        "2027-05-20 14:30 (-04:00), or schedule this item for 2027-06-01 09:00 (-04:00) or later)"]


def test_a_horizon_that_is_not_a_number_of_days_is_one_line_and_exit_2(project):
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - spotlight:\n", "  - spotlight:\n      check_horizon_days: a year\n", 1),
                      encoding="utf-8")
    result = project.check()
    assert result.code == 2
    assert result.err == ("build.py: mkdocs.yml: check_horizon_days: 'a year' is not a number of days from 0 to "
                          "36600 (the default is 366)\n")


def test_the_mkdocs_plugin_takes_the_horizon_option():
    from spotlight.engines.mkdocs import SETTINGS, SpotlightConfig  # noqa: PLC0415
    from spotlight.settings import from_options  # noqa: PLC0415

    config = SpotlightConfig()
    config.load_dict({"check_horizon_days": 30})
    errors, warnings = config.validate()
    assert not errors and not warnings
    assert from_options({k: config[k] for k in SETTINGS}).check_horizon_days == 30


def test_the_check_finds_what_checking_the_hub_at_every_change_would_find(project):
    """The interval check against the slow, obvious one: load the hub again at the moment and
    at every change ahead, with no look ahead, and collect where each error is."""
    from dataclasses import replace  # noqa: PLC0415

    from spotlight.settings import read_settings  # noqa: PLC0415

    creator(project, "ren", "expire_at: 2027-05-25T00:00:00-04:00")
    creator(project, "lee", "publish_at: 2027-06-01T09:00:00-04:00")
    creator(project, "jo", "status: draft")
    creator(project, "kim", "publish_at: 2027-05-16T09:00:00-04:00", "expire_at: 2027-07-01T00:00:00-04:00")
    update(project, "now", "2027-05-10T09:00:00-04:00", "creators: [lee, ren]")
    update(project, "soon", "2027-05-20T14:30:00-04:00", "creators: [kim, mya, jo, lee]")
    update(project, "later", "2027-06-10T09:00:00-04:00", "creators: [ren, kim]", "expire_at: 2027-06-20T00:00:00-04:00")
    update(project, "never-mind", "2027-06-10T09:00:00-04:00", "creators: [nobody]", "status: draft")
    project.write("content/pages/kim.md", "---\ntitle: Kim\nsummary: A page.\n---\n\n[Kim](/creators/kim/) and "
                  "[Lee](/creators/lee/).\n")
    settings = read_settings(project.root)
    content, report = load(project.root, AS_OF, settings=settings)
    found = {(d.path, d.line, d.field) for d in report.errors}
    moments = [AS_OF, *(c.at for c in upcoming(content))]
    assert len(moments) > 8
    now_only = replace(settings, check_horizon_days=0)
    slow = set()
    for moment in moments:
        _, at_moment = load(project.root, moment, settings=now_only)
        slow |= {(d.path, d.line, d.field) for d in at_moment.errors}
    assert found == slow
    assert len(found) == 8  # now.md 2, soon.md 4, later.md 1, the page 1 (its line names two)
