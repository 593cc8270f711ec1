"""The engine contract (spotlight/engines/__init__.py), pinned by a fake engine.

The fake writes each page's HTML in a bare wrapper, every file and every image, and records how
it was served. Whatever another engine does with the theme, the pipeline must hand it this much.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MOMENT, REPO
from spotlight.engines import ServeOptions, Site, write_asset
from spotlight.pipeline import build_site, serve_site
from spotlight.schedule import parse_as_of

SPOTLIGHT = REPO / "spotlight"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class FakeEngine:
    """Writes the site without any theme: `<title>` and the page's HTML at each page's address."""

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.built: list[Site] = []
        self.served: list[Site] = []
        self.options: ServeOptions | None = None

    def build(self, site: Site, out: Path) -> None:
        self.built.append(site)
        for page in site.pages:
            path = out / page.url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"<title>{page.title}</title>\n{page.html}", encoding="utf-8")
            if self.fail:
                raise RuntimeError("the engine failed half way")
        for file in site.files:
            path = out / file.src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.content if isinstance(file.content, bytes) else file.content.encode())
        for asset in site.assets:
            write_asset(site.root, asset, str(out / asset.uri))

    def serve(self, produce, options: ServeOptions) -> None:
        """Two rebuilds, as a save between them would cause; the test edits in between through `produce`."""
        self.options = options
        self.served.append(produce())
        self.between()
        self.served.append(produce())

    def between(self) -> None:
        pass


def when() -> object:
    return parse_as_of(MOMENT)


def test_the_pipeline_hands_an_engine_every_page_finished(project):
    (project.root / "content" / "assets").mkdir()
    (project.root / "content" / "assets" / "dot.png").write_bytes(PNG)
    engine = FakeEngine()
    report = build_site(project.root, project.root / "site", when(), engine=engine)
    assert report.errors == []
    site = project.root / "site"
    maya = (site / "creators/maya/index.html").read_text(encoding="utf-8")
    assert maya.startswith("<title>Maya Torres</title>")
    assert "<p>Maya talks about anxiety.</p>" in maya  # the body, rendered by Spotlight
    assert 'href="../../topics/anxiety/"' in maya  # site links already relative to the page
    assert 'aria-labelledby="sl-find"' in maya
    assert (site / "index.html").is_file() and (site / "get-help/index.html").is_file()
    assert json.loads((site / "api/creators.json").read_text())["creators"][0]["slug"] == "maya"
    assert (site / "feed.xml").is_file() and (site / "events.ics").is_file()
    assert (site / "assets/dot.png").read_bytes() == PNG
    (built,) = engine.built
    assert built.root == project.root and built.moment == when() and not built.drafts
    assert {"text": "Call 988", "href": "tel:988"} in built.every_page["help_links"]  # the primary line's
    assert built.every_page["errors"] == []
    assert "script-src 'self'" in built.every_page["csp"]


def test_pages_say_what_the_theme_needs(project):
    engine = FakeEngine()
    build_site(project.root, project.root / "site", when(), engine=engine)
    pages = {p.src_uri: p for p in engine.built[0].pages}
    assert pages["creators/maya.md"].url == "creators/maya/" and pages["index.md"].url == ""
    assert pages["creators/maya.md"].og_type == "profile"
    assert json.loads(pages["creators/maya.md"].jsonld)["@type"] == "Person"
    assert pages["search.md"].template == "search.html" and not pages["search.md"].search
    assert pages["topics/eating-disorders.md"].warnings == ("eating-disorders",)


def test_an_engine_failure_leaves_the_published_site_as_it_was(project):
    build_site(project.root, project.root / "site", when(), engine=FakeEngine())
    before = sorted(p.relative_to(project.root).as_posix() for p in (project.root / "site").rglob("*"))
    with pytest.raises(RuntimeError):
        build_site(project.root, project.root / "site", when(), engine=FakeEngine(fail=True))
    after = sorted(p.relative_to(project.root).as_posix() for p in (project.root / "site").rglob("*"))
    assert after == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site-build")]


def test_serve_gives_the_engine_its_options_and_a_producer_that_sees_every_save(project):
    engine = FakeEngine()
    maya = project.root / "creators/maya.md"
    engine.between = lambda: maya.write_text(maya.read_text().replace("Maya talks about anxiety.", "Maya edited."))
    serve_site(project.root, when(), False, "127.0.0.1", 8123, True, engine=engine)
    assert engine.options is not None
    assert (engine.options.host, engine.options.port, engine.options.poll) == ("127.0.0.1", 8123, True)
    assert {project.root / "creators", project.root / "content", project.root / "mkdocs.yml"} <= set(engine.options.watch)
    first, second = ({p.src_uri: p for p in site.pages} for site in engine.served)
    assert "Maya talks about anxiety." in first["creators/maya.md"].html
    assert "Maya edited." in second["creators/maya.md"].html
    assert second["events/index.md"] is first["events/index.md"]  # pages the save did not touch are reused
    assert second["topics/anxiety.md"] is not first["topics/anxiety.md"]  # it lists Maya: rendered again


def test_serve_shows_content_errors_over_the_last_good_site(project):
    engine = FakeEngine()
    maya = project.root / "creators/maya.md"
    engine.between = lambda: maya.write_text(maya.read_text().replace("topics: [anxiety]", "topics: [anxietyy]"))
    serve_site(project.root, when(), False, "127.0.0.1", 8123, False, engine=engine)
    good, broken = engine.served
    assert good.every_page["errors"] == []
    assert broken.every_page["errors"] == ["creators/maya.md:5: topics[0]: there is no topic 'anxietyy' "
                                           "(did you mean 'anxiety'?)"]
    assert [p.html for p in broken.pages] == [p.html for p in good.pages]


def test_the_pipeline_runs_without_mkdocs():
    """The core never imports MkDocs: a build with another engine loads none of it."""
    code = (
        "import sys\n"
        "sys.path[:0] = [{tests!r}]\n"
        "from test_engine_contract import FakeEngine, when\n"
        "from conftest import make_project\n"
        "import tempfile, pathlib\n"
        "from spotlight.pipeline import build_site\n"
        "from spotlight import cli, validate, lint, render, outputs, body, sanitize, engines\n"
        "root = pathlib.Path(tempfile.mkdtemp())\n"
        "make_project(root, None)\n"
        "build_site(root, root / 'site', when(), engine=FakeEngine())\n"
        "assert (root / 'site/creators/maya/index.html').is_file()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))\n"
    ).format(tests=str(Path(__file__).parent))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_mkdocs_engine_imports_mkdocs():
    importing = sorted(p.relative_to(REPO).as_posix() for p in SPOTLIGHT.rglob("*.py") if "mkdocs" in _imports(p))
    assert importing == ["spotlight/engines/mkdocs.py"]


def test_the_mkdocs_engine_uses_no_private_mkdocs_names():
    """Private names (a leading underscore) of MkDocs' objects change without notice."""
    tree = ast.parse((SPOTLIGHT / "engines/mkdocs.py").read_text(encoding="utf-8"))
    private = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mkdocs"):
            private += [alias.name for alias in node.names if alias.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                private.append(ast.unparse(node))
    assert private == []


def test_options_reach_the_engine_as_arguments_not_environment_variables():
    """SPOTLIGHT_AS_OF is read at the edge for `mkdocs build` run by hand; nothing sets one."""
    for path in SPOTLIGHT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "os.environ[\"SPOTLIGHT" not in text and "putenv" not in text, path
        if path.name != "mkdocs.py":
            assert "SPOTLIGHT_" not in text, path
