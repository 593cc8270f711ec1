"""The editors' tools made from the content model (models.py): the form editor at /admin/ (Decap CMS)
and a JSON Schema of each kind's front matter for text editors.

Nothing here knows a field by name: every collection, field, widget, select and relation comes
from KINDS, so a field added to models.py appears in the form and the schemas without an edit
here (tests/test_editor.py compares them with the model). docs/decisions/0002-form-editor.md
says why Decap CMS; docs/form-editor.md how a hub uses it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .models import (CONTENT_WARNINGS, KINDS, Asset, Bool, Choice, Date, DateOrDateTime, DateTime, Field, FieldType, Group,
                     Language, ListOf, Pattern, Ref, Region, Text, Url, object_schema)
from .render import Generated
from .settings import Settings

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where the bundle comes from: npm's decap-cms, pinned in package-lock.json (npm ci).
BUNDLE = Path("node_modules") / "decap-cms" / "dist"
# The port `make edit` starts decap-server (the local backend) on; Decap's own default.
LOCAL_PORT = 8081
ADMIN = "admin"
ASSETS = "content/assets"
TEMPLATES = Path(__file__).parent / "templates" / "admin"


# ---------------------------------------------------------------------------
# JSON Schema of the front matter (python build.py schema KIND)
# ---------------------------------------------------------------------------

def front_matter_schema(kind: str) -> dict:
    """The JSON Schema (2020-12) of a kind's front matter: the same field types as the
    validator (FieldType.schema, models.object_schema), which the API's schemas use too."""
    model = KINDS[kind]
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"Spotlight front matter: {kind}",
        "description": f"The YAML front matter of a {kind} file ({model.folder}/<slug>.md). "
                       "python build.py check is the authority: it also checks references, "
                       "files and the rules between fields.",
        **_numbers_as_text(object_schema(model.fields)),
    }


def _numbers_as_text(schema: dict) -> dict:
    """Spotlight reads every value as the text written, but a text editor's YAML 1.2 reads a
    plain 50808 (a resource's slug, a text line's number) as a number: allow a number wherever
    its digits would be valid text, so the editor does not underline what `check` accepts."""
    if (schema.get("type") == "string" and not {"enum", "format", "anyOf"} & schema.keys()
            and re.search(schema.get("pattern", ""), "12")):
        schema["type"] = ["string", "number"]
    for value in schema.get("properties", {}).values():
        _numbers_as_text(value)
    if isinstance(schema.get("items"), dict):
        _numbers_as_text(schema["items"])
    return schema


# ---------------------------------------------------------------------------
# The form editor's configuration (/admin/config.yml)
# ---------------------------------------------------------------------------

def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _hint(spec: Field) -> str:
    hint = spec.doc
    if isinstance(spec.required, str):  # required only in some cases: the form cannot enforce it
        hint += f" (required {spec.required})"
    return hint


def _options(vocabulary) -> list[dict]:
    if isinstance(vocabulary, dict):
        return [{"label": label, "value": value} for value, label in vocabulary.items()]
    return [{"label": value, "value": value} for value in vocabulary]


def _relation(ref: Ref, multiple: bool, min_items: int = 0) -> dict:
    target = KINDS[ref.kind]
    widget = {"widget": "relation", "collection": ref.kind, "value_field": "{{slug}}",
              "search_fields": [target.title_field], "display_fields": [target.title_field]}
    if multiple:
        widget["multiple"] = True
        if min_items:
            widget["min"] = min_items
    return widget


def _pattern(schema: dict, message: str) -> list[str]:
    return [schema["pattern"], message]


def widget(kind: FieldType, tz: str) -> dict:
    """The Decap widget (and its options) that writes what `kind`'s parser accepts."""
    if isinstance(kind, ListOf):
        return _list_widget(kind, tz)
    if isinstance(kind, Ref):
        return _relation(kind, multiple=False)
    if isinstance(kind, Choice):
        return {"widget": "select", "options": _options(kind.vocabulary)}
    if isinstance(kind, Region):
        return {"widget": "select", "options": kind.schema()["enum"]}
    if isinstance(kind, Bool):
        return {"widget": "boolean"}
    if isinstance(kind, (Date, DateOrDateTime)):
        # A campaign's first and last day: a day is what most campaigns mean (a moment can be
        # typed in a text editor).
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if isinstance(kind, DateTime):
        # spotlight-admin.js's widget: a date and time read and written in the hub's time
        # zone, with that zone's offset at that moment (2027-05-01T09:00:00-04:00).
        return {"widget": "spotlight-moment", "time_zone": tz}
    if isinstance(kind, Asset):
        return {"widget": "image", "choose_url": False}
    if isinstance(kind, Group):
        return {"widget": "object", "fields": fields_config(kind.fields, tz)}
    if isinstance(kind, Url):
        return {"widget": "string", "pattern": ["^https://\\S+$", "an address starting with https://"]}
    if isinstance(kind, Pattern):
        return {"widget": "string", "pattern": _pattern(kind.schema(), f"{kind.expected}, e.g. {kind.example}")}
    if isinstance(kind, Language):
        return {"widget": "string", "pattern": _pattern(kind.schema(), "a BCP 47 tag such as en, es, fr-CA")}
    if isinstance(kind, Text) and kind.max_length:
        return {"widget": "string", "pattern": [f"^[\\s\\S]{{1,{kind.max_length}}}$",
                                                f"at most {kind.max_length} characters"]}
    return {"widget": "string"}


def _list_widget(kind: ListOf, tz: str) -> dict:
    inner = kind.of
    if isinstance(inner, Ref):
        return _relation(inner, multiple=True, min_items=kind.min_items)
    if isinstance(inner, (Choice, Region)):
        out = widget(inner, tz) | {"multiple": True}
    elif isinstance(inner, Group):  # a list of objects: {platform, url}, {method, value, ...}
        out = {"widget": "list", "fields": fields_config(inner.fields, tz)}
    else:  # a list of single values, one input each
        out = {"widget": "list", "field": {"label": "Value", "name": "value", **widget(inner, tz)}}
    if kind.min_items:
        out["min"] = kind.min_items
    return out


def fields_config(fields: dict[str, Field], tz: str) -> list[dict]:
    out = []
    for name, spec in fields.items():
        entry: dict[str, Any] = {"label": _label(name), "name": name, **widget(spec.type, tz)}
        entry["required"] = spec.required is True  # Decap's default is required
        entry["hint"] = _hint(spec)
        out.append(entry)
    return out


def _options_of(settings: Settings) -> dict:
    return settings.editor if isinstance(settings.editor, dict) else {}


def local_port(settings: Settings) -> int:
    return int(_options_of(settings).get("local_port") or LOCAL_PORT)


def _backend(settings: Settings) -> dict:
    """GitHub with the editorial workflow when the hub names its repository; otherwise the
    local backend alone (decap-server, started by `make edit`)."""
    options = _options_of(settings)
    repo = options.get("repo") or _github_repo(settings.repo_url)
    if not repo:
        return {"name": "proxy", "proxy_url": f"http://localhost:{local_port(settings)}/api/v1", "branch": "main"}
    backend = {"name": "github", "repo": repo, "branch": options.get("branch") or "main"}
    for key in ("base_url", "auth_endpoint"):
        if options.get(key):
            backend[key] = options[key]
    return backend


def _github_repo(url: str) -> str:
    prefix = "https://github.com/"
    if url.startswith(prefix):
        return url.removeprefix(prefix).strip("/").removesuffix(".git")
    return ""


def decap_config(settings: Settings) -> dict:
    """/admin/config.yml: one collection per kind, each field with its widget, label, hint and
    required flag, from KINDS."""
    backend = _backend(settings)
    config: dict[str, Any] = {"backend": backend}
    if backend["name"] == "github":
        # Every save is a branch and a pull request (draft -> in review -> ready): the pull
        # request's checks run before anything is published.
        config["publish_mode"] = "editorial_workflow"
    # On localhost, Decap uses decap-server when it answers (make edit), whatever the backend.
    config["local_backend"] = {"url": f"http://localhost:{local_port(settings)}/api/v1"}
    config["media_folder"] = ASSETS
    config["public_folder"] = ASSETS  # the value written, e.g. content/assets/maya.jpg, which check reads
    config["site_url"] = settings.site_url or "/"
    config["display_url"] = settings.site_url or "/"
    config["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    config["collections"] = [collection(kind, settings.timezone) for kind in KINDS]
    return config


def collection(kind: str, tz: str) -> dict:
    model = KINDS[kind]
    fields = fields_config(model.fields, tz)
    for entry in fields:
        if entry["name"] == "status":  # new items are drafts until an editor publishes them
            entry["default"] = "draft"
    fields.append({"label": "Body", "name": "body", "widget": "markdown", "required": False,
                   "hint": "the page's text, in Markdown"})
    return {
        "name": kind,
        "label": _label(model.folder.rsplit("/", 1)[-1]),
        "label_singular": _label(kind),
        "folder": model.folder,
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        # The file name is the slug: lowercase letters, digits and hyphens, from the title.
        "slug": "{{slug}}",
        "identifier_field": model.title_field,
        "summary": "{{" + model.title_field + "}}",
        "fields": fields,
    }


def config_text(settings: Settings) -> str:
    header = ("# Generated by Spotlight from spotlight/models.py (spotlight/editor.py): edit the model,\n"
              "# not this file. Published as /admin/config.yml.\n")
    return header + yaml.safe_dump(decap_config(settings), sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------
# The files of /admin/
# ---------------------------------------------------------------------------

# Decap's own CSS-in-JS styles are inline; its config validation (ajv) compiles with new Function.
# connect-src: the GitHub API for the GitHub backend, decap-server for local editing.
def admin_csp(settings: Settings) -> str:
    port = local_port(settings)
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com; "
            f"font-src 'self'; connect-src 'self' blob: https://api.github.com http://localhost:{port}; "
            "frame-src 'self' blob:; child-src 'self' blob:; worker-src 'self' blob:; "
            "form-action 'self'; base-uri 'self'; object-src 'none'")


@dataclass(frozen=True)
class Bundle:
    folder: Path
    files: tuple[Path, ...]


def find_bundle(root: Path) -> Bundle | None:
    """Decap's browser bundle from npm: the hub's node_modules, else the one beside Spotlight's
    own code (an editable install in a checkout of Spotlight)."""
    for base in (root, Path(__file__).resolve().parent.parent):
        folder = base / BUNDLE
        main = folder / "decap-cms.js"
        if main.is_file():
            # The main script loads its chunks (N.decap-cms.js) and WebAssembly from beside it.
            files = sorted(p for p in folder.iterdir() if p.is_file() and (
                p.name.endswith(".decap-cms.js") or p.suffix == ".wasm" or p.name.startswith("decap-cms.js")
            ) and not p.name.endswith(".map"))
            return Bundle(folder, tuple(files))
    return None


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def admin_files(root: Path, settings: Settings) -> tuple[list[Generated], str]:
    """The files of /admin/, and a sentence for the person when the editor had to be left out."""
    if settings.editor is False:
        return [], ""
    bundle = find_bundle(root)
    if bundle is None:
        return [], (f"the form editor (/admin/) was left out: {BUNDLE.as_posix()}/decap-cms.js is missing; "
                    "run `npm ci` (or set `editor: false` in mkdocs.yml)")
    env = _env()
    page = env.get_template("index.html.j2").render(
        site_name=settings.site_name, csp=admin_csp(settings), help_label=settings.help_label,
        warnings=json.dumps(CONTENT_WARNINGS))  # the preview's content warning labels
    out = [
        Generated(f"{ADMIN}/index.html", page),
        Generated(f"{ADMIN}/config.yml", config_text(settings)),
        Generated(f"{ADMIN}/spotlight-admin.js", (TEMPLATES / "spotlight-admin.js").read_text(encoding="utf-8")),
    ]
    for path in bundle.files:
        out.append(Generated(f"{ADMIN}/{path.name}", path.read_bytes()))
    return out, ""


def headers(settings: Settings) -> str:
    """/admin/* in _headers: its own policy, and never indexed. `! Content-Security-Policy`
    detaches the reader pages' policy of /* (Cloudflare Pages' syntax): both would apply, and
    the readers' allows neither the GitHub API nor the local backend."""
    return (f"/{ADMIN}/*\n"
            "  ! Content-Security-Policy\n"
            f"  Content-Security-Policy: {admin_csp(settings)}; frame-ancestors 'none'\n"
            "  X-Robots-Tag: noindex, nofollow\n"
            "  Referrer-Policy: no-referrer\n"
            "  X-Content-Type-Options: nosniff\n")
