"""`build.py serve`: edits show without a restart; content errors are shown, not fatal."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from bench.serving import fetch, serve_process
from conftest import MOMENT

WAIT = 60  # seconds a rebuild may take on a slow CI machine before the test gives up


def wait_for(url: str, predicate, what: str) -> str:
    deadline = time.monotonic() + WAIT
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if predicate(page):
            return page
        time.sleep(0.5)
    pytest.fail(f"{what}: not seen at {url} within {WAIT} s; last page began {page[:300]!r}")


@pytest.fixture
def served(project):
    log = project.root / "serve.log"
    with serve_process(project.root, as_of=MOMENT, log=log) as (url, proc):
        yield project, url, log, proc


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_shows_without_a_restart(served):
    project, url, _, proc = served
    wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
    edit(project.root / "creators/maya.md", "Maya talks about anxiety.", "Maya now also talks about sleep.")
    wait_for(f"{url}/creators/maya/", lambda p: "Maya now also talks about sleep." in p, "the edit")
    assert proc.poll() is None


def test_a_content_error_is_shown_in_the_browser_and_terminal_and_the_server_keeps_running(served):
    project, url, log, proc = served
    wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
    edit(project.root / "creators/maya.md", "topics: [anxiety]", "topics: [anxietyy]")
    page = wait_for(f"{url}/", lambda p: "sl-preview-errors" in p, "the error banner")
    assert "creators/maya.md:5: topics[0]: there is no topic &#39;anxietyy&#39;" in page
    # The last good version stays readable under the banner.
    assert "Maya talks about anxiety." in fetch(f"{url}/creators/maya/")
    assert proc.poll() is None
    assert "creators/maya.md:5: topics[0]: there is no topic 'anxietyy'" in log.read_text()
    edit(project.root / "creators/maya.md", "topics: [anxietyy]", "topics: [anxiety]")
    wait_for(f"{url}/", lambda p: p and "sl-preview-errors" not in p, "the fixed build")


def test_serve_starts_even_when_the_content_has_errors(project):
    project.write("creators/broken.md", "---\nname: [unclosed\n---\n")
    with serve_process(project.root, as_of=MOMENT) as (url, _):
        page = wait_for(f"{url}/", lambda p: "sl-preview-errors" in p, "the error banner")
        assert "creators/broken.md:2: name: a list in [ ] is not closed, or misses a comma" in page


def test_an_edit_reaches_every_page_that_shows_it_and_a_removed_page_goes(served):
    """Only changed pages are rebuilt, so the pages that show another item's data must count as changed."""
    project, url, _, proc = served
    wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
    edit(project.root / "content/topics/anxiety.md", "title: Anxiety", "title: Worry and anxiety")
    wait_for(f"{url}/creators/maya/", lambda p: "Worry and anxiety" in p, "the topic's new title on a creator page")
    wait_for(f"{url}/topics/", lambda p: "Worry and anxiety" in p, "the topic's new title in the directory")
    project.write("creators/zed.md", "---\nname: Zed Example\nhandle: \"@zed\"\nsummary: Zed talks.\ntopics: [anxiety]\n---\nZed.\n")
    wait_for(f"{url}/creators/zed/", lambda p: "Zed Example" in p, "a new creator")
    (project.root / "creators/zed.md").unlink()
    wait_for(f"{url}/creators/zed/", lambda p: "Zed Example" not in p, "the removed creator's page gone")
    assert "Zed Example" not in fetch(f"{url}/creators/")
    assert proc.poll() is None


def test_what_every_page_shares_ignores_the_moving_moment_but_not_what_pages_show(project):
    """A preview of "now" moves its moment on every rebuild: that alone must not rebuild every page."""
    from spotlight.engines.mkdocs import engine_digest

    data = {"help_label": "In the US, call or text 988", "errors": [], "as_of": "2027-05-15T12:00:00+00:00"}
    nav = ["index.md", "about.md"]
    first = engine_digest(data, project.root, "", nav)
    assert engine_digest({**data, "as_of": "2027-05-15T12:00:07+00:00"}, project.root, "", nav) == first
    assert engine_digest({**data, "errors": ["creators/maya.md:5: topics[0]: ..."]}, project.root, "", nav) != first
    assert engine_digest({**data, "help_label": "Call 988"}, project.root, "", nav) != first
    assert engine_digest(data, project.root, "", nav[:1]) != first  # a page the nav names is gone
    theme_file = project.root / "theme/main.html"
    os.utime(theme_file, ns=(theme_file.stat().st_atime_ns, theme_file.stat().st_mtime_ns + 10**9))
    assert engine_digest(data, project.root, "", nav) == first  # saved again, unchanged
    theme_file.write_text(theme_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert engine_digest(data, project.root, "", nav) != first


def test_an_edit_rebuilds_only_its_pages(served):
    project, url, log, _ = served
    wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
    edit(project.root / "creators/maya.md", "Maya talks about anxiety.", "Maya also talks about sleep.")
    wait_for(f"{url}/creators/maya/", lambda p: "Maya also talks about sleep." in p, "the edit")
    deadline = time.monotonic() + WAIT
    while "Spotlight: rebuilding" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Spotlight: rebuilding 1 of " in log.read_text(), log.read_text()[-2000:]


def test_one_save_is_one_rebuild_and_an_idle_preview_stays_idle(served):
    """Native file events also report files being read; a build reads the watched files, so
    counting those would rebuild for ever."""
    project, url, log, _ = served
    wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
    time.sleep(2)
    assert log.read_text().count("Detected file changes") == 0, log.read_text()[-2000:]
    edit(project.root / "creators/maya.md", "Maya talks about anxiety.", "Maya also talks about sleep.")
    wait_for(f"{url}/creators/maya/", lambda p: "Maya also talks about sleep." in p, "the edit")
    time.sleep(2)
    assert log.read_text().count("Detected file changes") == 1, log.read_text()[-2000:]


def test_poll_finds_edits_without_native_file_events(project):
    with serve_process(project.root, as_of=MOMENT, options=("--poll",)) as (url, proc):
        wait_for(f"{url}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
        edit(project.root / "creators/maya.md", "Maya talks about anxiety.", "Maya also talks about sleep.")
        wait_for(f"{url}/creators/maya/", lambda p: "Maya also talks about sleep." in p, "the edit")
        assert proc.poll() is None


def test_the_watcher_hears_a_save_from_native_events(tmp_path):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from spotlight.engines.mkdocs import file_observer

    observer = file_observer([str(tmp_path)], poll=False)
    try:
        assert not isinstance(observer, PollingObserver)
        assert observer.is_alive()
        heard = threading.Event()
        handler = FileSystemEventHandler()
        handler.on_any_event = lambda event: heard.set()
        observer.schedule(handler, str(tmp_path), recursive=True)
        (tmp_path / "saved.md").write_text("saved", encoding="utf-8")
        assert heard.wait(10)
        observer.start()  # what MkDocs' server.serve() then does: must not fail
    finally:
        observer.stop()


def test_the_watcher_falls_back_to_polling_when_native_events_fail(tmp_path, monkeypatch, caplog):
    import watchdog.observers
    from watchdog.observers.polling import PollingObserver

    from spotlight.engines.mkdocs import file_observer

    class NoWatches(watchdog.observers.Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", NoWatches)
    observer = file_observer([str(tmp_path)], poll=False)
    assert isinstance(observer, PollingObserver)
    assert not observer.is_alive()  # MkDocs' server.serve() starts it
    assert "no native file events" in caplog.text


def test_serve_poll_asks_for_polling(tmp_path):
    from watchdog.observers.polling import PollingObserver

    from spotlight.engines.mkdocs import file_observer

    assert isinstance(file_observer([str(tmp_path)], poll=True), PollingObserver)


def test_a_stopped_preview_removes_its_folder(project, tmp_path):
    """`serve` builds into a temporary folder; ended by SIGTERM (as a terminal or supervisor ends it), it goes."""
    import subprocess
    import sys

    from bench.serving import free_port
    from conftest import REPO

    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project.root), "serve",
                             "--dev-addr", f"127.0.0.1:{port}", "--as-of", MOMENT],
                            env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/creators/maya/", lambda p: "Maya talks about anxiety." in p, "the first build")
        assert [p.name[:15] for p in temp.iterdir()] == ["spotlight-serve"]
    finally:
        proc.terminate()
        proc.wait(30)
    assert list(temp.iterdir()) == []


def test_a_port_in_use_is_one_line_naming_the_port_and_dev_addr(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = project.run("serve", "--dev-addr", f"127.0.0.1:{port}", "--as-of", MOMENT)
    assert result.code == 3
    assert result.err.splitlines() == [
        f"build.py: port {port} on 127.0.0.1 is in use (another `serve`, or another program); stop it, or serve "
        f"on another port: python build.py serve --dev-addr 127.0.0.1:{port + 1}"]
