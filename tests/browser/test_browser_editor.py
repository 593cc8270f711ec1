"""The form editor (/admin/, Decap CMS) round trip: what the form writes, `check` accepts.

A scratch copy of the fixture hub (tests/fixtures/base) in a git repository, its site built as
of a fixed moment and served; decap-server (the local backend `make edit` starts) on a free
port writes into the copy. Headless Chromium fills the forms like a person: typing, picking
from the selects and relation widgets, then publishing. Then the real `check` and `build`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from spotlight.models import KINDS, Asset
from spotlight.sources import KIND_FOLDERS

from .conftest import MOMENT, REPO, unavailable
from .siteserver import SiteServer

FIXTURE = REPO / "tests" / "fixtures" / "base"
DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"

# What a person types into the required fields of each kind (and a few optional ones, to use
# each kind of widget); any other required field gets the model's example. Kinds are made in
# this order, so that each can pick items made before it.
NEW_ITEMS: dict[str, dict] = {
    "topic": {"title": "Loneliness", "summary": "Feeling alone, and finding people."},
    "organization": {"name": "Example Support Network", "summary": "A network of peer groups.",
                     "website": "https://support.example.org", "regions": ["US"]},
    "resource": {"title": "Example Text Line", "summary": "Text support, any time.", "kind": "Website",
                 "regions": ["GB"]},
    "campaign": {"title": "Winter Wellbeing 2027", "summary": "A month of winter stories.",
                 "starts": "2027-12-01", "ends": "2027-12-31"},
    "event": {"title": "Peer support training", "summary": "A session for volunteers.",
              "starts": "2027-09-01T18:00", "ends": "2027-09-01T19:30"},
    "update": {"title": "Winter plans", "summary": "What we are planning for winter.", "date": "2027-05-10T09:00"},
    "page": {"title": "Volunteer with us"},
    "creator": {"name": "Robin Example", "handle": "@robin.example", "summary": "Robin talks about anxiety.",
                "links": [{"platform": "YouTube", "url": "https://example.com/@robin"}],
                "avatar": "robin.png", "avatar_alt": "Robin smiling at the camera",
                "content_warnings": ["trauma"]},
}
SLUGS = {"topic": "loneliness", "organization": "example-support-network", "resource": "example-text-line",
         "campaign": "winter-wellbeing-2027", "event": "peer-support-training", "update": "winter-plans",
         "page": "volunteer-with-us", "creator": "robin-example"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                          capture_output=True, text=True, check=True)
    return done.stdout


def build(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "--root", str(root), "build", "--out", str(out),
                           "--as-of", MOMENT, *extra], cwd=REPO, capture_output=True, text=True, timeout=600)


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "--root", str(root), "check", "--as-of", MOMENT],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """(project folder, decap-server port, site URL): a git copy of the fixture hub, its site
    (with /admin/) built and served, and decap-server writing into the copy."""
    if not DECAP_SERVER.is_file():
        unavailable(f"{DECAP_SERVER} is missing: run `make browser-deps` (npm ci)")
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed")
    root = tmp_path_factory.mktemp("editor-hub") / "hub"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "theme", root / "theme")
    port = free_port()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # The local backend on a port of the test's own (make edit uses 8081).
    config = config.replace("  - spotlight:\n", f"  - spotlight:\n      editor: {{local_port: {port}}}\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fixture hub")
    site = root.parent / "site"
    done = build(root, site)
    assert done.returncode == 0, done.stderr
    assert (site / "admin" / "decap-cms.js").is_file()
    env = dict(os.environ, GIT_REPO_DIRECTORY=str(root), PORT=str(port), MODE="fs", BIND_HOST="127.0.0.1")
    log = open(root.parent / "decap-server.log", "w")
    server = subprocess.Popen([node, str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"decap-server did not start: {(root.parent / 'decap-server.log').read_text()}")
                time.sleep(0.2)
        with SiteServer(site) as url:
            yield root, port, url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def admin(browser, hub):
    """The editor, logged in to the local backend; nothing leaves the machine."""
    root, port, url = hub
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, timezone_id="Europe/London")
    context.set_default_timeout(20_000)
    allowed = (url + "/", f"http://localhost:{port}/")
    page = context.new_page()
    page.errors, page.elsewhere = [], []

    def elsewhere(route):
        page.elsewhere.append(route.request.url)
        route.abort()

    context.route(lambda u: not u.startswith(allowed), elsewhere)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # What /admin/'s Content-Security-Policy refused: the editor must need nothing it forbids.
    page.on("console", lambda msg: page.errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Creators").first.wait_for()
    yield page
    context.close()


def png(path: Path) -> Path:
    """A 1x1 PNG, as a person would upload."""
    import struct  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0"))
                     + chunk(b"IEND", b""))
    return path


class Form:
    """A Decap entry form, filled through its controls as a person would."""

    def __init__(self, page, uploads: Path | None = None):
        self.page = page
        self.uploads = uploads

    def control(self, name: str, scope=None):
        scope = scope or self.page
        label = scope.locator(f'label[for^="{name}-field-"]').first
        return scope.locator("#" + label.get_attribute("for"))

    def type(self, name: str, text: str, scope=None) -> None:
        self.control(name, scope).fill(text)

    def pick(self, name: str, text: str = "", scope=None) -> None:
        """A select or relation widget: type to search, then take the first match."""
        box = self.control(name, scope)
        box.click()
        if text:
            box.type(text)
        self.page.locator('[id^="react-select-"][id*="-option-"]').first.wait_for()
        box.press("Enter")

    def fill(self, kind: str, values: dict) -> None:
        for name, spec in KINDS[kind].fields.items():
            if name in values and isinstance(spec.type, Asset):
                self.upload(values[name])
            elif name in values:
                self.set(name, values[name])
            elif spec.required is True:
                self.set(name, spec.example)  # a required field the test does not know yet

    def upload(self, filename: str) -> None:
        """An image field: choose, upload a file from this computer, take it."""
        self.page.get_by_role("button", name="Choose an image").first.click()
        self.page.locator("input[type=file]").first.set_input_files(png(self.uploads / filename))
        self.page.get_by_role("button", name="Choose selected").click()

    def set(self, name: str, value) -> None:
        widget = self.control(name)
        role = widget.get_attribute("role")
        if role == "combobox":  # select or relation, one value or many
            for term in value if isinstance(value, list) else [value]:
                self.pick(name, "" if term is None else str(term))
        elif isinstance(value, list):  # a list of objects: add one, fill its fields
            for entry in value:
                self.page.get_by_role("button", name=f"Add {name}").click()
                item = self.page.locator(f'#{widget.get_attribute("id")}')
                for key, inner in entry.items():
                    control = self.control(key, item)
                    if control.get_attribute("role") == "combobox":
                        self.pick(key, inner, item)
                    else:
                        control.fill(inner)
        else:
            widget.fill(str(value))

    def publish(self, path: Path, before: str | None = None) -> str:
        """Publish, and wait until decap-server has written `path` (changed from `before`)."""
        deadline = time.monotonic() + 120
        while not path.is_file() or path.read_text(encoding="utf-8") == before:
            if time.monotonic() > deadline:
                if os.environ.get("EDITOR_DEBUG"):  # a picture of the form, for a person
                    self.page.screenshot(path=os.environ["EDITOR_DEBUG"], full_page=True)
                pytest.fail(f"the form did not write {path.name}: {sorted(p.name for p in path.parent.iterdir())}")
            if self.page.get_by_text("Unsaved changes").is_visible():
                self.page.get_by_role("button", name="Publish").first.click()
                self.page.get_by_text("Publish now").click()
                self.page.get_by_text("Changes saved").wait_for(timeout=60_000)
            time.sleep(1)
        return path.read_text(encoding="utf-8")


def test_the_form_makes_an_item_of_every_kind_that_check_accepts_and_the_site_builds(admin, hub):
    root, _, url = hub
    assert list(NEW_ITEMS) == sorted(KINDS, key=list(NEW_ITEMS).index) and set(NEW_ITEMS) == set(KINDS)
    form = Form(admin, uploads=root.parent)
    for kind, values in NEW_ITEMS.items():
        admin.goto(f"{url}/admin/#/collections/{kind}/new")
        form.control(KINDS[kind].title_field).wait_for()
        form.fill(kind, values)
        form.set("status", "published")  # new items start as drafts: publish this one
        form.publish(root / KIND_FOLDERS[kind] / f"{SLUGS[kind]}.md")
    assert admin.errors == []
    assert admin.elsewhere == []  # nothing but the site and the local backend
    done = check(root)
    assert done.returncode == 0, done.stderr
    site = root.parent / "after"
    built = build(root, site)
    assert built.returncode == 0, built.stderr
    for kind, slug in SLUGS.items():
        section = "" if kind == "page" else {"creator": "creators"}.get(kind, KIND_FOLDERS[kind].split("/")[-1])
        page = site / section / slug / "index.html"
        assert page.is_file(), f"{kind} {slug}: no {page.relative_to(site)}"


def hub_offset(root: Path, moment: str) -> str:
    """The hub time zone's offset at a wall-clock time there, as the form must write it."""
    from datetime import datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from spotlight.settings import read_settings  # noqa: PLC0415

    local = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(read_settings(root).timezone))
    return local.isoformat(timespec="seconds")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def test_what_the_form_wrote_is_what_was_typed_in_the_hubs_time_zone(admin, hub):
    """Runs after the round trip (same module): the moments carry the hub's offset, though the
    browser is in London; days are plain dates; lists of objects are lists of {platform, url}."""
    root, _, _ = hub
    event = (root / KIND_FOLDERS["event"] / f"{SLUGS['event']}.md").read_text(encoding="utf-8")
    if "starts:" not in event:
        pytest.skip("the round-trip test did not run first")
    assert f"starts: {hub_offset(root, '2027-09-01T18:00')}\n" in event
    assert f"ends: {hub_offset(root, '2027-09-01T19:30')}\n" in event
    campaign = (root / KIND_FOLDERS["campaign"] / f"{SLUGS['campaign']}.md").read_text(encoding="utf-8")
    assert "starts: 2027-12-01\n" in campaign and "ends: 2027-12-31\n" in campaign
    creator = front_matter(root / "creators" / f"{SLUGS['creator']}.md")
    assert creator["links"] == [{"platform": "youtube", "url": "https://example.com/@robin"}]
    assert creator["content_warnings"] == ["trauma"] and creator["status"] == "published"
    assert creator["handle"] == "@robin.example" and len(creator["topics"]) == 1
    # The image went into content/assets/, with its alt text beside it.
    assert creator["avatar"] == "content/assets/robin.png" and creator["avatar_alt"] == "Robin smiling at the camera"
    assert (root / "content" / "assets" / "robin.png").read_bytes().startswith(b"\x89PNG")


def test_a_new_item_starts_as_a_draft(admin, hub):
    root, _, url = hub
    form = Form(admin)
    admin.goto(f"{url}/admin/#/collections/page/new")
    form.control("title").wait_for()
    form.fill("page", {"title": "Draft notes"})
    text = form.publish(root / "content" / "pages" / "draft-notes.md")
    assert front_matter(root / "content" / "pages" / "draft-notes.md")["status"] == "draft", text


def changed_lines(root: Path, rel: str) -> list[str]:
    diff = git(root, "diff", "--unified=0", "--", rel)
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_editing_one_field_of_a_creator_changes_only_that_field(admin, hub):
    """Decap writes the whole front matter again in its own style on the first save (fields in
    the form's order, lists one item a line: measured in docs/form-editor.md), so the first diff
    of a hand-written file is larger than the edit; what it means is the same but for the field.
    From then on a save changes only the lines of the field edited."""
    root, _, url = hub
    rel = "creators/maya.md"
    path = root / rel
    original = path.read_text(encoding="utf-8")
    form = Form(admin)
    admin.goto(f"{url}/admin/#/collections/creator/entries/maya")
    form.control("summary").wait_for()
    form.type("summary", "Maya shares honest videos about anxiety and panic.")
    first = form.publish(path, original)
    expected = front_matter(path) | {"summary": "Maya shares honest videos about anxiety and panic."}
    assert front_matter(path) == expected
    assert {k: v for k, v in yaml.safe_load(original.split("---\n", 2)[1]).items() if k != "summary"} == \
        {k: v for k, v in front_matter(path).items() if k != "summary"}
    assert first.split("---\n", 2)[2].rstrip("\n") == original.split("---\n", 2)[2].rstrip("\n")  # the body
    done = check(root)
    assert done.returncode == 0, done.stderr
    git(root, "commit", "-qam", "first save through the form")
    # The second save, as a person coming back to the entry: only the edited field's line changes.
    admin.reload()
    form.control("summary").wait_for()
    form.type("summary", "Maya shares videos about anxiety and getting help.")
    form.publish(path, first)
    assert changed_lines(root, rel) == [
        "-summary: Maya shares honest videos about anxiety and panic.",
        "+summary: Maya shares videos about anxiety and getting help.",
    ]
    done = check(root)
    assert done.returncode == 0, done.stderr


def test_the_creator_preview_looks_like_the_hub_help_bar_and_warning_first(admin, hub):
    """The preview pane loads the stylesheets reader pages load, and shows a creator as readers
    see the profile: the help bar, then the content warning, then the name."""
    _, _, url = hub
    form = Form(admin)
    admin.goto(f"{url}/admin/#/collections/creator/new")
    form.control("name").wait_for()
    form.type("name", "Preview Person")
    form.pick("content_warnings", "self")
    preview = admin.frame_locator("#preview-pane")
    preview.locator("h1", has_text="Preview Person").wait_for()
    home = admin.context.request.get(url + "/").text()
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home)
    assert sheets, "the home page loads no stylesheet"
    frame = next(f for f in admin.frames if f.name == "preview-pane")
    loaded = frame.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)")
    assert sorted(loaded) == sorted(urljoin(url + "/", href) for href in sheets)
    order = frame.evaluate("""() => [...document.querySelectorAll('.sl-helpbar, .sl-cw, .sl-profile h1')]
                                      .map(e => e.className || e.tagName)""")
    assert order == ["sl-helpbar", "sl-cw", "H1"]
    assert "self-harm" in frame.locator(".sl-cw").inner_text()
    # The hub's stylesheet is in force: the help bar has its colour (without it, no background).
    background = frame.evaluate("() => getComputedStyle(document.querySelector('.sl-helpbar')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
