"""/get-help/ ordered for the reader (primary region first), the help bar's call and text links,
each line's routes, sourced facts, last check and source, and the re-check policy as a setting."""

from __future__ import annotations

import re

import pytest

from conftest import MOMENT

US_ROUTES = """
    ---
    title: Alpha Lifeline
    summary: A fixture line with other routes.
    kind: helpline
    regions: [US]
    hours: 24/7
    crisis: true
    last_verified: 2027-04-02
    source: The alpha line's contact page
    contacts:
      - method: call
        value: "988"
      - method: text
        value: "988"
      - method: chat
        value: https://alpha.example.org/chat
    routes:
      - name: Veterans route
        audience: for veterans and their families
        contacts:
          - method: call
            value: "988"
            press: "1"
          - method: text
            value: "838255"
        source: The veterans route's release
      - name: Spanish route
        contacts:
          - method: text
            value: "988"
            keyword: AYUDA
        source: The Spanish route's page
    what_happens:
      - fact: A counsellor asks whether you are safe.
        source: The what-to-expect page
      - fact: Nobody has to give personal data.
        source: The privacy page
    ---
    A fixture line.
"""


def line(project, slug: str, title: str, regions: str, contacts: str, extra: str = "") -> None:
    project.write(f"content/resources/{slug}.md", f"""
        ---
        title: {title}
        summary: A fixture line for {regions}.
        kind: helpline
        regions: {regions}
        crisis: true
        last_verified: 2027-04-01
        source: {title}'s page
        contacts:
        {contacts}
        {extra}
        ---
        Fixture.
    """)


def setting(project, name: str, value: str) -> None:
    """Sets one `spotlight` option in the project's mkdocs.yml (replacing it, or adding it)."""
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    pattern = re.compile(rf"^      {name}:.*$", re.M)
    new = f"      {name}: {value}"
    text = pattern.sub(new, text) if pattern.search(text) else text.replace("  - spotlight:\n", f"  - spotlight:\n{new}\n")
    config.write_text(text, encoding="utf-8")


def built(project, page: str = "get-help", as_of: str = MOMENT) -> str:
    result = project.build("site", as_of)
    assert result.code == 0, result.err
    return (project.root / "site" / page / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def helpbar(html: str) -> str:
    return html[html.index('class="sl-helpbar"'):html.index("</aside>")]


@pytest.fixture
def regions_project(project):
    """Lines in GB, CA and worldwide besides the fixture's US line."""
    line(project, "beta", "Beta Line", "[GB]", '  - {method: call, value: "116 123"}')
    line(project, "gamma", "Gamma Line", "[CA]", '  - {method: text, value: "686868", keyword: CONNECT}')
    line(project, "directory", "Omega Directory", "[global]", "  - {method: web, value: https://directory.example.com}")
    return project


def test_the_primary_region_comes_first_then_the_picker_then_the_other_regions(regions_project):
    setting(regions_project, "primary_region", "GB")
    page = article(built(regions_project))
    order = [page.index(marker) for marker in (
        'id="sl-region-gb"', "data-region-picker", 'id="sl-region-ca"', 'id="sl-region-us"',
        'id="sl-region-elsewhere"')]
    assert order == sorted(order), order
    assert page.index("tel:116123") < page.index("data-region-picker")  # the primary line's call, first
    elsewhere = page[page.index('id="sl-region-elsewhere"'):]
    assert "https://directory.example.com" in elsewhere and "Omega Directory" in elsewhere


def test_without_a_primary_region_every_region_is_behind_the_picker(regions_project):
    setting(regions_project, "primary_region", '""')
    page = article(built(regions_project))
    picker = page.index("data-region-picker")
    assert all(page.index(f'id="sl-region-{code}"') > picker for code in ("gb", "ca", "us"))
    assert "sl-region--primary" not in page


def test_the_primary_regions_emergency_number_opens_the_page(regions_project):
    setting(regions_project, "primary_region", "GB")
    page = article(built(regions_project))
    assert re.findall(r'href="(tel:[^"]+)"', page)[:2] == ["tel:999", "tel:112"]
    everywhere = page[page.index('id="sl-region-elsewhere"'):]
    assert all(f'href="tel:{n}"' in everywhere for n in ("911", "999", "112", "000"))


def test_the_help_bar_offers_the_primary_lines_call_and_text(project):
    bar = helpbar(built(project, "about"))
    links = re.findall(r'<a href="((?:tel|sms):[^"]*)">([^<]*)</a>', bar)
    # tests/fixtures/base: the US line's first call is 988, its first text HOME to 741741.
    assert links == [("tel:988", "Call 988"), ("sms:741741", "Text HOME to 741741")]
    assert "United States: " in bar


def test_a_primary_line_without_a_text_route_gets_a_call_link_only(regions_project):
    setting(regions_project, "primary_region", "GB")
    bar = helpbar(built(regions_project, "about"))
    assert re.findall(r'href="((?:tel|sms):[^"]*)"', bar) == ["tel:116123"]


def test_help_label_and_href_written_in_the_settings_still_win(project):
    setting(project, "help_label", '"Call the fixture line"')
    setting(project, "help_href", '"tel:5551234"')
    bar = helpbar(built(project, "about"))
    assert re.findall(r'<a href="((?:tel|sms):[^"]*)">([^<]*)</a>', bar) == [("tel:5551234", "Call the fixture line")]


def test_help_links_are_never_tracked(project):
    project.write("content/resources/alpha.md", US_ROUTES)
    for page in ("about", "get-help", "resources/alpha"):
        html = built(project, page)
        for anchor in re.findall(r"<a [^>]*href=\"(?:tel|sms):[^>]*>", html):
            assert not re.search(r"\s(on\w+|ping|data-(?:track|analytics)[\w-]*)=", anchor), (page, anchor)


def test_each_line_shows_its_routes_facts_last_check_and_source(project):
    project.write("content/resources/alpha.md", US_ROUTES)
    for page in ("get-help", "resources/alpha"):
        html = article(built(project, page))
        for text in ("Call 988, then press 1", "Text 838255", "Text AYUDA to 988", "Veterans route",
                     "for veterans and their families", "Source: The veterans route&#39;s release",
                     "Source: The Spanish route&#39;s page", "What happens when you reach out",
                     "A counsellor asks whether you are safe.", "Source: The what-to-expect page",
                     "Nobody has to give personal data.", "Source: The privacy page",
                     'Details last checked on <time datetime="2027-04-02">2 April 2027</time>; '
                     "source: The alpha line&#39;s contact page"):
            assert text in html, (page, text)
        assert 'href="tel:988"' in html and 'href="sms:838255"' in html


def test_the_reach_out_facts_are_those_of_the_primary_regions_lines(project):
    project.write("content/resources/alpha.md", US_ROUTES.replace("regions: [US]", "regions: [CA]"))
    html = article(built(project))
    assert "What happens when you reach out" not in html  # CA is not the primary region (US)
    assert "A counsellor asks whether you are safe." not in html


def test_another_organisations_site_says_so_and_gets_no_referrer(project):
    line(project, "directory", "Omega Directory", "[global]",
         "  - {method: web, value: https://directory.example.com/}\n"
         "          - {method: web, value: https://hub.example.org/elsewhere/}")
    html = article(built(project))
    offsite = re.search(r'<a [^>]*href="https://directory.example.com/"[^>]*>[^<]*</a>[^<]*<span[^>]*>([^<]*)', html)
    assert offsite and 'rel="noreferrer"' in offsite.group(0) and "another organisation" in offsite.group(1)
    own = re.search(r'<a [^>]*href="https://hub.example.org/elsewhere/"[^>]*>[^<]*</a>', html)
    assert own and "noreferrer" not in own.group(0)  # the hub's own site (site_url) is not another's


def test_get_help_claims_no_cost_or_confidentiality_of_its_own(project):
    html = article(built(project)).lower()
    assert "confidential" not in html  # no line of the fixture says confidential
    assert html.count("free") == html.count("<dt>cost</dt><dd>free</dd>") > 0  # only the line's own cost: Free


def test_the_policy_page_and_the_line_pages_state_the_interval_from_the_setting(project):
    project.write("content/pages/editorial-policy.md", "---\ntitle: Editorial policy\n---\nHow we work.\n")
    setting(project, "verify_every_days", "90")
    policy = article(built(project, "editorial-policy"))
    assert "at least every 90 days" in policy
    assert "at least every 90 days" in article(built(project, "get-help"))
    assert "at least every 90 days" in article(built(project, "resources/lifeline"))
    assert "re-checked" not in article(built(project, "about"))  # only the policy page states it


@pytest.mark.parametrize("as_of,code,expected", [
    # Verified 2027-04-01 (tests/fixtures/base), every 90 days: due on 2027-06-30.
    ("2027-05-30T12:00:00Z", 0, None),  # 31 days before: nothing yet
    ("2027-06-01T12:00:00Z", 0, "content/resources/lifeline.md:11: last_verified: warning: this crisis line is due to "
                                "be re-checked by 2027-06-30, in 29 days (the policy is every 90 days"),
    ("2027-07-01T12:00:00Z", 1, "content/resources/lifeline.md:11: last_verified: this crisis line was last verified "
                                "on 2027-04-01, 91 days ago, and was due to be re-checked by 2027-06-30"),
])
def test_check_follows_the_interval_setting(project, as_of, code, expected):
    setting(project, "verify_every_days", "90")
    result = project.check(as_of)
    assert result.code == code, result.err
    if expected is None:
        assert "last_verified" not in result.err
    else:
        assert any(line.startswith(expected) for line in result.err.splitlines()), result.err


def test_a_build_past_the_due_date_warns_and_still_publishes_the_help(project):
    setting(project, "verify_every_days", "90")
    result = project.build("site", "2027-07-01T12:00:00Z")
    assert result.code == 0, result.err
    assert "last_verified: warning: this crisis line was due to be re-checked by 2027-06-30" in result.err
    assert "tel:988" in (project.root / "site/get-help/index.html").read_text(encoding="utf-8")


def config_line(project, name: str) -> int:
    lines = (project.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.strip().startswith(f"{name}:"))


@pytest.mark.parametrize("name,value,message", [
    ("primary_region", "usa", "primary_region: 'usa' is not a region code (use the ISO 3166-1 alpha-2 code"),
    ("primary_region", "NO", "primary_region: 'False' is not a region code (write the code in quotes"),
    ("verify_every_days", "0", "verify_every_days: '0' is not a number of days"),
    ("verify_every_days", '"six months"', "verify_every_days: 'six months' is not a number of days"),
    ("quick_exit_url", '"javascript:history.back()"', "quick_exit_url: 'javascript:history.back()' is not a web address"),
    ("quick_exit_url", "/elsewhere/", "quick_exit_url: '/elsewhere/' is not a web address"),
    ("quick_exit_url", '"https:///weather"', "quick_exit_url: 'https:///weather' is not a web address"),
    ("help_href", '"javascript:alert(1)"', "help_href: 'javascript:alert(1)' is not a link to a line"),
    ("help_href", "http://example.org/help", "help_href: 'http://example.org/help' is not a link to a line"),
])
def test_a_wrong_setting_is_reported_at_its_line(project, name, value, message):
    """Settings are checked like content: the line in mkdocs.yml, the value, the fix."""
    setting(project, name, value)
    result = project.check()
    assert result.code == 1
    assert f"mkdocs.yml:{config_line(project, name)}: {message}" in result.err, result.err


def test_a_primary_region_without_lines_is_a_warning(project):
    setting(project, "primary_region", "FR")
    result = project.check()
    assert result.code == 0
    assert (f"mkdocs.yml:{config_line(project, 'primary_region')}: primary_region: warning: no crisis line "
            "lists FR") in result.err
    bar = helpbar(built(project, "about"))
    assert "tel:" not in bar and "sms:" not in bar  # no line to offer: the bar keeps "Get help now"
