"""The editors' tools made from the model: `schema KIND`'s JSON Schemas and /admin/'s generated config."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from spotlight import editor
from spotlight.models import (KINDS, Asset, Bool, Choice, Date, DateOrDateTime, DateTime, Field,
                              Language, ListOf, Ref, Region, Text, Url, HANDLE, PLATFORMS)
from spotlight.settings import Settings, read_settings
from spotlight.sources import KIND_FOLDERS

from conftest import FIXTURES, MOMENT


# -- reading front matter as the YAML language server does ----------------------------------

# YAML 1.2's core schema (what the YAML language server reads): these plain scalars are not text.
_NULL = re.compile(r"(?:~|null|Null|NULL|)")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN")


def yaml12(node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return {k.value: yaml12(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [yaml12(v) for v in node.value]
    if node.style:  # quoted or block: text
        return node.value
    value = node.value
    if _NULL.fullmatch(value):
        return None
    if _BOOL.fullmatch(value):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.fullmatch(value):
        return float(value.replace("inf", "Infinity").replace("Inf", "Infinity"))
    return value


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    _, head, _ = text.split("---\n", 2)
    return yaml12(yaml.compose(head))


def fixture_files() -> list[tuple[str, Path]]:
    found = []
    for kind, folder in KIND_FOLDERS.items():
        found += [(kind, p) for p in sorted((FIXTURES / "base" / folder).glob("*.md"))]
    return found


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = editor.front_matter_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# -- the schemas ------------------------------------------------------------------------------

def test_the_fixture_hub_is_valid_for_check(project):
    result = project.check(MOMENT)
    assert result.code == 0, result.err


@pytest.mark.parametrize("kind,path", fixture_files(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_fixture_file_is_valid_against_its_kinds_schema(kind, path):
    errors = [e.message for e in validator(kind).iter_errors(front_matter(path))]
    assert errors == []


def test_every_kind_has_a_fixture_file():
    assert {kind for kind, _ in fixture_files()} == set(KINDS)


def test_an_unknown_field_fails_the_schema():
    data = front_matter(FIXTURES / "base" / "creators" / "maya.md")
    data["pronoun"] = "she/her"
    errors = list(validator("creator").iter_errors(data))
    assert [e.validator for e in errors] == ["additionalProperties"]
    assert "'pronoun' was unexpected" in errors[0].message


@pytest.mark.parametrize("field,value", [
    ("handle", "maya"),  # no @
    ("topics", []),  # at least one
    ("status", "live"),  # not in the vocabulary
    ("languages", ["english please"]),
    ("links", [{"platform": "myspace", "url": "https://example.org"}]),
])
def test_a_wrong_value_fails_the_schema(field, value):
    data = front_matter(FIXTURES / "base" / "creators" / "maya.md")
    data[field] = value
    assert not validator("creator").is_valid(data)


def test_a_missing_required_field_fails_the_schema():
    data = front_matter(FIXTURES / "base" / "creators" / "maya.md")
    del data["summary"]
    assert [e.validator for e in validator("creator").iter_errors(data)] == ["required"]


def test_dates_and_moments_are_formats():
    data = front_matter(FIXTURES / "base" / "content" / "events" / "training-2027.md")
    data["starts"] = "2027-08-10 at three"
    assert [e.validator for e in validator("event").iter_errors(data)] == ["format"]
    resource = front_matter(FIXTURES / "base" / "content" / "resources" / "lifeline.md")
    resource["last_verified"] = "2027-02-30"
    assert [e.validator for e in validator("resource").iter_errors(resource)] == ["format"]


def test_the_schema_follows_the_model_when_a_field_is_added(monkeypatch):
    """Generic over the model: a new field appears in the schema and the form without an edit."""
    fields = dict(KINDS["creator"].fields)
    fields["consent_date"] = Field(Date(), "when the creator agreed", True, "2027-01-01")
    monkeypatch.setattr(KINDS["creator"], "fields", fields)
    schema = editor.front_matter_schema("creator")
    assert schema["properties"]["consent_date"]["format"] == "date"
    assert "consent_date" in schema["required"]
    form = {f["name"]: f for f in editor.collection("creator", "UTC")["fields"]}
    assert form["consent_date"]["widget"] == "datetime" and form["consent_date"]["required"] is True


def test_schema_command_prints_and_writes_the_same_schema(project):
    one = project.run("schema", "resource")
    assert one.code == 0, one.err
    printed = json.loads(one.out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["properties"]["kind"]["enum"][0] == "helpline"
    written = project.run("schema", "--all", "--out", "schemas")
    assert written.code == 0, written.err
    files = sorted(p.name for p in (project.root / "schemas").iterdir())
    assert files == sorted(f"{kind}.schema.json" for kind in KINDS)
    assert json.loads((project.root / "schemas" / "resource.schema.json").read_text()) == printed


@pytest.mark.parametrize("args,message", [
    (["schema", "creatr"], "'creatr' is not a kind; did you mean 'creator'?"),
    (["schema"], "name a kind"),
    (["schema", "--all"], "give either KIND, or --all with --out DIR"),
    (["schema", "creator", "--out", "x"], "--out goes with --all"),
])
def test_schema_command_misuse_is_exit_2(project, args, message):
    result = project.run(*args)
    assert result.code == 2
    assert message in result.err


# -- the form editor's configuration -------------------------------------------------------------

def fields_of(kind: str, settings: Settings | None = None) -> dict[str, dict]:
    config = editor.decap_config(settings or Settings(timezone="America/New_York"))
    collection = next(c for c in config["collections"] if c["name"] == kind)
    return {f["name"]: f for f in collection["fields"]}


def test_one_collection_per_kind_in_its_folder_named_by_slug():
    config = editor.decap_config(Settings())
    assert [c["name"] for c in config["collections"]] == list(KINDS)
    for c in config["collections"]:
        model = KINDS[c["name"]]
        assert c["folder"] == model.folder and c["extension"] == "md" and c["format"] == "frontmatter"
        assert c["slug"] == "{{slug}}" and c["identifier_field"] == model.title_field
        assert [f["name"] for f in c["fields"]] == [*model.fields, "body"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_has_its_label_hint_and_required_flag(kind):
    for name, spec in KINDS[kind].fields.items():
        field = fields_of(kind)[name]
        assert field["label"] and spec.doc in field["hint"]
        assert field["required"] is (spec.required is True), name
        if isinstance(spec.required, str):
            assert spec.required in field["hint"]


def test_new_items_start_as_drafts():
    for kind in KINDS:
        status = fields_of(kind)["status"]
        assert status["default"] == "draft"
        assert [o["value"] for o in status["options"]] == ["published", "draft"]


# One row per field type: the widget the form uses and what it must carry.
def test_widget_for_a_vocabulary_is_a_select_of_its_terms():
    out = editor.widget(Choice(PLATFORMS, "platform"), "UTC")
    assert out["widget"] == "select"
    assert [o["value"] for o in out["options"]] == list(PLATFORMS)
    assert out["options"][0]["label"] == PLATFORMS[next(iter(PLATFORMS))]


def test_widget_for_a_list_of_vocabulary_terms_is_a_multiple_select():
    out = editor.widget(ListOf(Choice(("a", "b"), "term")), "UTC")
    assert out == {"widget": "select", "options": [{"label": "a", "value": "a"}, {"label": "b", "value": "b"}],
                   "multiple": True}


def test_widget_for_regions_selects_from_every_code_check_accepts():
    out = editor.widget(ListOf(Region(), 1), "UTC")
    assert out["multiple"] and out["min"] == 1
    assert "GB" in out["options"] and "global" in out["options"] and "UK" not in out["options"]


def test_widget_for_a_slug_is_a_relation_to_that_kinds_file_names():
    one = editor.widget(Ref("organization"), "UTC")
    assert one == {"widget": "relation", "collection": "organization", "value_field": "{{slug}}",
                   "search_fields": ["name"], "display_fields": ["name"]}
    many = editor.widget(ListOf(Ref("topic"), 1), "UTC")
    assert many["multiple"] is True and many["min"] == 1 and many["search_fields"] == ["title"]


def test_widget_for_a_moment_writes_an_offset_in_the_hubs_time_zone():
    assert editor.widget(DateTime(), "Europe/London") == {"widget": "spotlight-moment", "time_zone": "Europe/London"}
    assert fields_of("event")["starts"]["time_zone"] == "America/New_York"


def test_widget_for_a_date_writes_a_plain_date():
    for kind in (Date(), DateOrDateTime()):
        out = editor.widget(kind, "UTC")
        assert out["widget"] == "datetime" and out["format"] == "YYYY-MM-DD" and out["time_format"] is False


def test_widget_for_a_list_of_groups_is_a_list_of_objects():
    out = fields_of("creator")["links"]
    assert out["widget"] == "list"
    inner = {f["name"]: f for f in out["fields"]}
    assert set(inner) == {"platform", "url"}
    assert inner["platform"]["widget"] == "select" and inner["platform"]["required"] is True
    partners = {f["name"]: f for f in fields_of("campaign")["partners"]["fields"]}
    assert partners["organization"]["widget"] == "relation"


def test_widget_for_an_image_has_its_alt_text_beside_it():
    names = list(fields_of("creator"))
    assert fields_of("creator")["avatar"]["widget"] == "image"
    assert names.index("avatar_alt") == names.index("avatar") + 1
    assert editor.widget(Asset(), "UTC")["widget"] == "image"
    assert editor.decap_config(Settings())["media_folder"] == "content/assets"


def test_widget_for_true_or_false_is_a_boolean():
    assert editor.widget(Bool(), "UTC") == {"widget": "boolean"}


def test_widget_patterns_accept_what_check_accepts_and_refuse_the_rest():
    handle = re.compile(editor.widget(HANDLE, "UTC")["pattern"][0])
    assert handle.search("@maya.talks") and not handle.search("maya") and not handle.search("@a b")
    url = re.compile(editor.widget(Url(), "UTC")["pattern"][0])
    assert url.search("https://example.org/x") and not url.search("http://example.org")
    text = re.compile(editor.widget(Text(max_length=5), "UTC")["pattern"][0])
    assert text.search("12345") and not text.search("123456")
    language = re.compile(editor.widget(ListOf(Language()), "UTC")["field"]["pattern"][0])
    assert language.search("fr-CA") and not language.search("French")


def test_the_body_is_markdown():
    assert fields_of("creator")["body"]["widget"] == "markdown"


def test_the_backend_is_the_hubs_github_repository_with_the_editorial_workflow():
    config = editor.decap_config(Settings(repo_url="https://github.com/hub/site"))
    assert config["backend"] == {"name": "github", "repo": "hub/site", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    named = editor.decap_config(Settings(editor={"repo": "other/repo", "branch": "live", "base_url": "https://auth.example.org"}))
    assert named["backend"] == {"name": "github", "repo": "other/repo", "branch": "live",
                                "base_url": "https://auth.example.org"}
    local = editor.decap_config(Settings())
    assert local["backend"]["name"] == "proxy" and "publish_mode" not in local
    assert local["local_backend"]["url"] == f"http://localhost:{editor.LOCAL_PORT}/api/v1"


def test_the_published_config_is_the_one_generated_from_the_model(project):
    """/admin/config.yml is never stale: every build writes it from models.py."""
    need_bundle(project.root)
    result = project.build("site", MOMENT)
    assert result.code == 0, result.err
    published = (project.root / "site" / "admin" / "config.yml").read_text(encoding="utf-8")
    assert published == editor.config_text(read_settings(project.root))
    assert yaml.safe_load(published) == editor.decap_config(read_settings(project.root))


def test_a_plain_number_is_text_where_its_digits_would_be():
    """YAML 1.2 reads `- 50808` as a number; Spotlight reads the text: a slug of digits is valid."""
    campaign = front_matter(FIXTURES / "base" / "content" / "campaigns" / "mham-2027.md")
    campaign["resources"] = [50808]
    assert validator("campaign").is_valid(campaign)
    creator = front_matter(FIXTURES / "base" / "creators" / "maya.md")
    creator["handle"] = 50808  # a handle starts with @: still refused
    assert not validator("creator").is_valid(creator)


# -- /admin/ in the build: readers never touch it ------------------------------------------------

ADMIN_LINK = re.compile(r'(?:href|src|action)="[^"]*\badmin/', re.I)


def need_bundle(root: Path) -> None:
    """The bundle comes from `npm ci` (make test runs it); CI must have it, a quick local run may not."""
    if editor.find_bundle(root) is None:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail("node_modules/decap-cms is missing: run npm ci (make browser-deps)", pytrace=False)
        pytest.skip("node_modules/decap-cms is missing: run npm ci (make browser-deps)")


@pytest.fixture
def built(project):
    need_bundle(project.root)
    result = project.build("site", MOMENT)
    assert result.code == 0, result.err
    return project.root / "site"


def test_admin_is_noindex_with_its_own_policy_and_the_bundle_beside_it(built, project):
    page = (built / "admin" / "index.html").read_text(encoding="utf-8")
    settings = read_settings(project.root)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert html.unescape(policy) == editor.admin_csp(settings)
    assert '<script src="decap-cms.js"></script>' in page and "https://" not in page.split("<body", 1)[1]
    for name in ("decap-cms.js", "spotlight-admin.js", "config.yml"):
        assert (built / "admin" / name).is_file(), name
    bundle = editor.find_bundle(project.root)
    assert sorted(p.name for p in bundle.files) == sorted(
        p.name for p in (built / "admin").iterdir() if p.name not in ("index.html", "config.yml", "spotlight-admin.js"))


def test_admins_policy_allows_only_the_site_github_and_the_local_backend():
    csp = editor.admin_csp(Settings(editor={"local_port": 8099}))
    connect = next(d for d in csp.split("; ") if d.startswith("connect-src"))
    assert connect.split()[1:] == ["'self'", "blob:", "https://api.github.com", "http://localhost:8099"]
    script = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "http" not in script


def test_headers_give_admin_its_own_policy_and_noindex(built, project):
    headers = (built / "_headers").read_text(encoding="utf-8")
    block = headers.split("/admin/*\n", 1)[1]
    assert block.startswith("  ! Content-Security-Policy\n")
    assert f"  Content-Security-Policy: {editor.admin_csp(read_settings(project.root))}" in block
    assert "  X-Robots-Tag: noindex, nofollow\n" in block


def test_no_reader_output_links_or_lists_admin(built):
    from conftest import reader_pages  # noqa: PLC0415

    pages = reader_pages(built)
    assert len(pages) > 15
    linking = [p.relative_to(built).as_posix() for p in pages if ADMIN_LINK.search(p.read_text(encoding="utf-8"))]
    assert linking == []
    for name in ("sitemap.xml", "search/search_index.json", "feed.xml", "events.ics", "robots.txt"):
        assert "admin" not in (built / name).read_text(encoding="utf-8"), name
    for api in (built / "api").rglob("*.json"):
        assert "/admin" not in api.read_text(encoding="utf-8"), api.name


def test_the_link_check_would_see_a_reader_page_linking_admin():
    """ADMIN_LINK can fail: it finds a link and a script."""
    assert ADMIN_LINK.search('<a href="../admin/">edit</a>') and ADMIN_LINK.search('<script src="/admin/x.js">')
    assert not ADMIN_LINK.search("<p>ask the admin/editor</p>")


def test_editor_false_leaves_it_out_and_reader_pages_are_the_same(project):
    need_bundle(project.root)
    with_editor = project.build("with", MOMENT)
    assert with_editor.code == 0, with_editor.err
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - spotlight:\n", "  - spotlight:\n      editor: false\n", 1))
    without = project.build("without", MOMENT)
    assert without.code == 0, without.err

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    a, b = files(project.root / "with"), files(project.root / "without")
    assert not any(name.startswith("admin/") for name in b) and "/admin/" not in b["_headers"].decode()
    # spotlight-build.json differs too: it records a digest of the sources, mkdocs.yml included.
    other = ("_headers", "spotlight-build.json")
    assert {k: v for k, v in a.items() if not k.startswith("admin/") and k not in other} == \
        {k: v for k, v in b.items() if k not in other}


def test_a_build_without_the_bundle_leaves_admin_out_and_says_so(project, monkeypatch, caplog):
    monkeypatch.setattr(editor, "BUNDLE", Path("node_modules") / "no-such-package")
    result = project.build("site", MOMENT)
    assert result.code == 0, result.err
    assert not (project.root / "site" / "admin").exists()
    assert (project.root / "site" / "index.html").is_file()
    assert "the form editor (/admin/) was left out" in caplog.text and "npm ci" in caplog.text


def test_no_page_may_take_the_editors_address(project):
    project.write("content/pages/admin.md", """
        ---
        title: Admin
        ---
        Hello.
        """)
    result = project.check(MOMENT)
    assert result.code == 1
    assert any("content/pages/admin.md:1: slug: 'admin' is a reserved address on the site, taken by the form "
               "editor (/admin/)" in line for line in result.lines), result.lines
