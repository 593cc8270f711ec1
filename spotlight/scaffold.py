"""`build.py new KIND SLUG`: a starting file with every required field, filled with valid examples."""

from __future__ import annotations

from pathlib import Path

import frontmatter

from .diagnostics import did_you_mean
from .models import KINDS, Ref, ListOf
from .sources import SLUG_RE, KIND_FOLDERS

BODIES = {
    "creator": "*Write the profile here: who they are, what they share, and why it helps.*\n",
    "topic": "*A short, safe introduction to the topic. Link to /get-help/ where the topic is difficult.*\n",
    "page": "*Write the page here.*\n",
}


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
    if kind == "creator":  # the example's name and handle are taken: check refuses look-alike creators
        fields.update(name=slug.replace("-", " ").title(), handle=("@" + slug.replace("-", "."))[:31])
    if kind == "resource" and fields.get("kind") in ("helpline", "text-line", "chat"):
        fields["contacts"] = [{"method": "call", "value": "988"}]
    # New files start as drafts: nothing reaches readers until an editor publishes it.
    fields["status"] = "draft"
    post = frontmatter.Post(BODIES.get(kind, "*Write the details here.*\n"), **fields)
    text = frontmatter.dumps(post, sort_keys=False, allow_unicode=True, default_flow_style=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["new_file"]
