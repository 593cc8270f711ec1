"""`build.py new KIND SLUG`: a starting file with every required field, and the check that its placeholders are gone before it is published."""

from __future__ import annotations

from pathlib import Path

import frontmatter

from .diagnostics import Report, did_you_mean
from .models import KINDS, Item, Ref, ListOf
from .sources import SLUG_RE, KIND_FOLDERS

BODIES = {
    "creator": "*Write the profile here: who they are, what they share, and why it helps.*\n",
    "topic": "*A short, safe introduction to the topic. Link to /get-help/ where the topic is difficult.*\n",
    "page": "*Write the page here.*\n",
}
DEFAULT_BODY = "*Write the details here.*\n"

# How every summary `new` writes begins: no real summary does, so a published one is unchanged.
PLACEHOLDER_SUMMARY = "Replace this with a sentence about"


def placeholders(kind: str, slug: str) -> dict[str, str]:
    """What `new KIND SLUG` writes for an editor to replace: the name or title and the creator's
    handle made from the file name (which may be right), and a summary that never is."""
    title = slug.replace("-", " ").title()
    values = {KINDS[kind].title_field: title, "summary": f"{PLACEHOLDER_SUMMARY} {title}."}
    if kind == "creator":
        values["handle"] = ("@" + slug.replace("-", "."))[:31]
    return values


def check_placeholders(items: list[Item], report: Report) -> None:
    """An unchanged scaffold is not published: a summary or body still as `new` wrote it is an
    error, and so, in such a file, are the name, title and handle it made from the file name (a
    fake profile would otherwise pass). Drafts keep them until they are ready."""
    for item in items:
        if item.status == "draft":
            continue
        found = []
        summary = item.data.get("summary")
        if isinstance(summary, str) and summary.startswith(PLACEHOLDER_SUMMARY):
            found.append(("summary", item.lines.get("summary", 1), "write one or two sentences for readers"))
        if item.body.strip() == BODIES.get(item.kind, DEFAULT_BODY).strip():
            found.append(("body", item.body_line, "write the text readers will see below the front matter"))
        if not found:
            continue
        for name, value in placeholders(item.kind, item.slug).items():
            if name != "summary" and item.data.get(name) == value:
                found.append((name, item.lines.get(name, 1), f"write the {name} readers should see (it may be "
                                                              f"'{value}': `new` made it from the file name)"))
        for name, line, fix in sorted(found, key=lambda f: f[1]):
            report.error(item.path, line, name, "is still the placeholder `build.py new` wrote, and this item "
                         "is not a draft", f"{fix}, or keep `status: draft` until it is ready")


def _existing_slugs(root: Path, kind: str) -> list[str]:
    folder = root / KIND_FOLDERS[kind]
    return sorted(p.stem for p in folder.rglob("*.md") if SLUG_RE.match(p.stem)) if folder.is_dir() else []


def new_file(root: Path, kind: str, slug: str) -> Path:
    from .cli import UsageError  # noqa: PLC0415

    if kind not in KINDS:
        raise UsageError(f"'{kind}' is not a kind; {did_you_mean(kind, KINDS)}")
    if not SLUG_RE.match(slug):
        raise UsageError(f"'{slug}' is not a slug: use lowercase letters, digits and hyphens")
    path = root / KIND_FOLDERS[kind] / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path.relative_to(root).as_posix()} already exists")
    fields: dict = {}
    for name, spec in KINDS[kind].fields.items():
        if spec.required is not True:
            continue
        target = spec.type.of if isinstance(spec.type, ListOf) else spec.type
        if isinstance(target, Ref):
            existing = _existing_slugs(root, target.kind)
            if not existing:
                raise UsageError(f"a {kind} needs at least one {target.kind}; create one first with: python build.py new {target.kind} SLUG")
            fields[name] = [existing[0]] if isinstance(spec.type, ListOf) else existing[0]
        else:
            fields[name] = spec.example
    fields.update(placeholders(kind, slug))
    if kind == "resource" and fields.get("kind") in ("helpline", "text-line", "chat"):
        fields["contacts"] = [{"method": "call", "value": "988"}]
    # New files start as drafts: nothing reaches readers until an editor publishes it.
    fields["status"] = "draft"
    post = frontmatter.Post(BODIES.get(kind, DEFAULT_BODY), **fields)
    text = frontmatter.dumps(post, sort_keys=False, allow_unicode=True, default_flow_style=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["new_file"]
