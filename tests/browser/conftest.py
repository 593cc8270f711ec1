"""Browser tests: the repo's sample site, built once, served on 127.0.0.1, in headless Chromium.

Fixtures:

- `built_site`  the sample content built once per session with a fixed moment;
- `site_url`    that folder served by `siteserver.SiteServer` (the site's `_headers` apply);
- `browser`     Debian's chromium driven by Playwright (no browser download);
- `new_page`    a factory: a fresh context and page per call (phone viewport by default)
                that records every request URL in `page.requests`, console errors in
                `page.console_errors`, and never lets a request leave the machine: a
                navigation to another origin gets a small stub page, anything else from
                another origin is aborted (both still recorded);
- `page`        `new_page()` with the defaults;
- `pages`       page key -> path on the site (`"creator"` -> `/creators/<first slug>/`).

Chromium missing: the tests are skipped on a developer's machine and fail in CI (CI=true).

Environment:
- CHROMIUM_PATH            chromium binary (default /usr/bin/chromium)
- SPOTLIGHT_BROWSER_SITE   an already built site folder to test instead of building one
- SPOTLIGHT_BROWSER_ROOT   a Spotlight project to build instead of this repo (build.py --root)
- SPOTLIGHT_SCREENSHOTS    a folder for phone-width screenshots (`1`: pytest's temp folder)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .browsing import FIXED_PAGES, ITEM_SECTIONS, NEUTRAL_STUB, PHONE
from .siteserver import SiteServer, first_item_dir

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MOMENT = "2027-05-15T12:00:00Z"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

def unavailable(message: str):
    """Skip on a developer's machine; in CI the browser tests are required, so fail."""
    if IN_CI:
        pytest.fail(f"{message} (browser tests are required in CI)", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.sample)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(os.environ.get("SPOTLIGHT_BROWSER_ROOT") or os.environ.get("SPOTLIGHT_SAMPLE_ROOT") or REPO).resolve()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, project_root) -> Path:
    """The sample content built once, as of a fixed moment (nothing depends on today)."""
    prebuilt = os.environ.get("SPOTLIGHT_BROWSER_SITE")
    if prebuilt:
        site = Path(prebuilt).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"SPOTLIGHT_BROWSER_SITE={prebuilt}: no index.html there", pytrace=False)
        return site
    out = tmp_path_factory.mktemp("browser-site") / "site"
    root_args = [] if project_root == REPO else ["--root", str(project_root)]
    cmd = [sys.executable, "build.py", *root_args, "build", "--out", str(out), "--as-of", MOMENT]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(
            f"building the sample site failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    return out


@pytest.fixture(scope="session")
def pages(built_site, project_root) -> dict[str, str | None]:
    """Page key -> site path; an item key maps to the first (sorted) item of its kind that
    was built, or None when the build has none."""
    found: dict[str, str | None] = dict(FIXED_PAGES)
    for key, section in ITEM_SECTIONS.items():
        sources = project_root / ("creators" if section == "creators" else f"content/{section}")
        slugs = {p.stem for p in sources.glob("*.md")}
        chosen = None
        section_dir = built_site / section
        if slugs and section_dir.is_dir():
            chosen = next(
                (d for d in sorted(section_dir.iterdir()) if d.name in slugs and (d / "index.html").is_file()),
                None,
            )
        if chosen is None:
            chosen = first_item_dir(built_site, section)
        found[key] = f"/{section}/{chosen.name}/" if chosen else None
    return found


@pytest.fixture(scope="session")
def page_path(pages, built_site):
    """page_path(key) -> the path of that page type, failing clearly if the build lacks it."""

    def resolve(key: str) -> str:
        path = pages[key]
        if path is None:
            pytest.fail(f"the sample site has no {key} page: no {ITEM_SECTIONS[key]}/<slug>/index.html in {built_site}", pytrace=False)
        rel = path.strip("/")
        target = built_site / rel if rel.endswith(".html") else built_site / rel / "index.html"
        if not target.is_file():
            pytest.fail(f"the sample site has no {key} page: {path} was not built ({target} missing)", pytrace=False)
        return path

    return resolve


@pytest.fixture(scope="session")
def site_url(built_site):
    server = SiteServer(built_site)
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        unavailable(f"chromium not found at {path} (apt-get install chromium, or set CHROMIUM_PATH)")
    return path


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's script, installed by `make browser-deps` (npm ci)."""
    if not AXE_JS.is_file():
        unavailable(f"{AXE_JS} is missing: run `make browser-deps` (npm ci)")
    return AXE_JS


@pytest.fixture(scope="session")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright_api, chromium_path):
    browser = playwright_api.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, site_url):
    """new_page(**context_options) -> a page in a fresh context (phone-sized by default).

    The page records `requests` (every URL requested, in order), `console_errors` (console
    errors and uncaught exceptions) and `external_navigations` (URL and request headers of
    each top-level navigation to another origin, which got NEUTRAL_STUB)."""
    contexts = []
    origin = site_url + "/"

    def make(**options):
        options.setdefault("viewport", dict(PHONE))
        options.setdefault("base_url", site_url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.console_errors = []
        page.external_navigations = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))

        def offsite(route):
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                page.external_navigations.append((request.url, request.all_headers()))
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_STUB)
            else:
                route.abort()

        # Nothing reaches the network: the matcher sees every URL the page asks for.
        context.route(lambda url: not url.startswith(origin), offsite)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path | None:
    value = os.environ.get("SPOTLIGHT_SCREENSHOTS", "").strip()
    if not value:
        return None
    folder = tmp_path_factory.mktemp("screenshots") if value.lower() in ("1", "true", "yes") else Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def save_screenshot(screenshot_dir):
    """save_screenshot(page, name): a full-page PNG for people to look at, only when
    SPOTLIGHT_SCREENSHOTS is set; never an assertion."""

    def save(page, name: str) -> None:
        if screenshot_dir is not None:
            target = screenshot_dir / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"screenshot: {target}")

    return save
