"""What spotlight.js adds on top of pages that work without it: the region picker on
/get-help/ (remembered only in this browser) and search over the site's own index."""

from __future__ import annotations

from .browsing import load

PICKED = "[data-region-picker] section[data-region]"


def test_region_picker_filters_and_is_remembered_locally(new_page, page_path, site_url):
    # The picker chooses among the sections inside it; the primary region's lines stand above it
    # and always show.
    page = new_page()
    load(page, page_path("get-help"))
    select = page.locator("select#sl-region")
    assert select.count() == 1, "/get-help/ has no region picker with JavaScript on"
    regions = page.locator(PICKED)
    total = regions.count()
    assert total >= 2
    last = regions.nth(total - 1)
    code, name = last.get_attribute("data-region"), last.locator("h2").inner_text().strip()
    select.select_option(label=name)
    visible = page.locator(f"{PICKED}:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-region") == code
    requests_before = len(page.requests)
    assert page.evaluate("localStorage.getItem('spotlight.region')") == code
    # A new visit in the same browser shows the same choice; nothing was sent anywhere.
    load(page, page_path("get-help"))
    assert page.locator("select#sl-region").input_value() == code
    assert page.locator(f"{PICKED}:visible").count() == 1
    assert all(url.startswith(site_url + "/") for url in page.requests[requests_before:])
    page.locator("select#sl-region").select_option(value="")
    assert page.locator(f"{PICKED}:visible").count() == total
    assert page.evaluate("localStorage.getItem('spotlight.region')") is None


def test_search_finds_a_creator_in_the_browser(page, pages, site_url):
    creator = pages["creator"]
    load(page, creator)
    name = page.locator("article h1").first.inner_text().strip()
    load(page, "/search/?q=" + name.split()[0])
    results = page.locator("#sl-results a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(h.endswith(creator) for h in hrefs), (creator, hrefs)
    assert all(url.startswith(site_url + "/") for url in page.requests)


def test_search_form_without_javascript_points_to_directories(new_page):
    page = new_page(java_script_enabled=False)
    load(page, "/search/")
    text = page.locator("article").inner_text()
    assert "Search needs JavaScript" in text
    assert page.locator("article a[href$='creators/']").count() > 0
