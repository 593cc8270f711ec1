"""Which files under content/ may be published: images in content/assets/, checked by their bytes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ContentError, Diagnostic, Report
from .sources import KIND_FOLDERS, UnsafeFile, read_regular_file, walk_files

CONTENT = "content"
ASSETS = "content/assets"
# An avatar or a logo is tens of kilobytes; a photo exported for the web a few hundred. 5 MiB
# leaves room for any of them and none for a video or an archive renamed .png. (The review's
# budget for images in bodies, lint.IMAGE_BUDGET_BYTES, is far lower: that one is about readers.)
ASSET_LIMIT = 5 * 1024 * 1024
FIELD = "file"
KIND_FOLDER_NAMES = {folder.split("/", 1)[1] for folder in KIND_FOLDERS.values() if folder.startswith(f"{CONTENT}/")}


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _is_gif(data: bytes) -> bool:
    return data.startswith((b"GIF87a", b"GIF89a"))


def _is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _is_avif(data: bytes) -> bool:
    """An ISO media file (an `ftyp` box first) whose brands include AVIF's."""
    if data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    brands = data[8:min(max(size, 16), 256)]
    return any(brands[i:i + 4] in (b"avif", b"avis") for i in range(0, len(brands) - 3, 4))


# The image types a hub needs, by extension: (name, check of the first bytes). The signatures
# are fixed by each format's specification, so a table is clearer than a detection library
# that knows hundreds of types, all of which would be refused here anyway.
IMAGE_TYPES = {
    "png": ("PNG", _is_png),
    "jpg": ("JPEG", _is_jpeg),
    "jpeg": ("JPEG", _is_jpeg),
    "gif": ("GIF", _is_gif),
    "webp": ("WebP", _is_webp),
    "avif": ("AVIF", _is_avif),
}
ALLOWED = "PNG, JPEG, GIF, WebP or AVIF"

# Why the usual suspects are refused, and what to do instead.
REFUSED = {
    "svg": ("SVG images are not published: an SVG can carry script that runs on the hub's own "
            "address, no maintained Python sanitiser can be trusted to remove it, and GitHub Pages "
            "cannot send the header that would stop it", "export it as PNG or WebP"),
    "html": ("HTML is not published from content/assets/: a page there would run its scripts on the "
             "hub's own address", "write the page as Markdown in content/pages/"),
    "js": ("JavaScript is not published from content/assets/: it would run on the hub's own address",
           "remove it; the hub's own scripts live in theme/ and are reviewed with the code"),
    "css": ("style sheets are not published from content/assets/: a style sheet can hide or fake "
            "what a page says", "remove it; the hub's styles live in theme/"),
    "ico": ("ICO files are not published", "use a PNG: every current browser takes a PNG icon"),
}
REFUSED.update({"svgz": REFUSED["svg"], "htm": REFUSED["html"], "xhtml": REFUSED["html"], "shtml": REFUSED["html"],
                "mjs": REFUSED["js"], "cjs": REFUSED["js"]})


@dataclass(frozen=True)
class AssetFile:
    """An image that `check` read and accepted: the published copy must have these very bytes."""

    path: str  # relative to the project: content/assets/logos/nami.png
    size: int
    sha256: str

    @property
    def uri(self) -> str:
        """Where it is published, relative to the site: assets/logos/nami.png."""
        return self.path[len(CONTENT) + 1:]


def extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""


def sniff(data: bytes) -> str | None:
    """The name of the allowed image type these bytes are, or None."""
    return next((name for name, looks_like in IMAGE_TYPES.values() if looks_like(data)), None)


def check_image(path: str, data: bytes) -> tuple[str, str] | None:
    """(message, hint) when `data` is not the image its extension says, else None."""
    name, looks_like = IMAGE_TYPES[extension(path)]
    if looks_like(data):
        return None
    if not data:
        return "is empty, not an image", f"export the image again as {name}"
    actual = sniff(data)
    if actual is not None:
        ext = next(e for e, (n, _) in IMAGE_TYPES.items() if n == actual)
        return f"is named .{extension(path)} but is a {actual} image", f"rename it to .{ext}"
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<")):
        found = "markup (HTML, SVG or XML)"
    elif all(32 <= b < 127 or b in b"\t\r\n" for b in data[:512]):
        found = "text"
    else:
        found = "something else"
    return (f"is named .{extension(path)} but is not a {name} image: its bytes are {found}",
            f"export the image again as {ALLOWED}, or remove the file")


def read_assets(root: Path, report: Report, cache: dict | None = None) -> list[AssetFile]:
    """Every file under content/ that may be published (images in content/assets/ whose bytes are
    what their extension says), each read once and hashed; everything else there is an error at
    `path:1`, with why and what to do. Names starting with a dot are neither read nor published.

    Markdown files and links, pipes and devices in the kind folders are sources.py's to report;
    `cache` (serve) keeps each image's verdict until the file changes."""
    found: list[AssetFile] = []
    if not os.path.isdir(os.path.join(root, CONTENT)) or os.path.islink(os.path.join(root, CONTENT)):
        return found
    _walk(root, CONTENT, report, found, {} if cache is None else cache)
    return sorted(found, key=lambda a: a.path)


def _walk(root: Path, rel_dir: str, report: Report, found: list[AssetFile], cache: dict) -> None:
    def on_error(rel: str, err: OSError, is_folder: bool) -> None:
        if not is_folder:
            report.error(rel, 1, FIELD, f"cannot be read ({_reason(err)})", f"check {rel}")
        elif not _in_kind_folder(f"{rel}/-"):  # a kind's folder is sources.py's to report
            report.error(rel, 1, FIELD, f"cannot be read ({_reason(err)}), so what it holds cannot be checked",
                         f"make it readable (chmod a+rx {rel}) or remove it")

    for rel, entry in walk_files(root, rel_dir, on_error):
        try:
            if rel.startswith(f"{ASSETS}/"):
                _asset(root, rel, entry, report, found, cache)
            elif _in_kind_folder(rel) and (entry.name.endswith(".md") or not entry.is_file(follow_symlinks=False)):
                continue  # sources.py reads the Markdown and reports links, pipes and devices
            elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                continue  # Markdown outside the kind folders is neither read nor published
            else:
                _not_published(root, rel, entry, report)
        except OSError as err:
            report.error(rel, 1, FIELD, f"cannot be read ({_reason(err)})", f"check {rel}")


def _in_kind_folder(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) > 2 and parts[1] in KIND_FOLDER_NAMES


def _not_published(root: Path, rel: str, entry: os.DirEntry, report: Report) -> None:
    if not entry.is_file(follow_symlinks=False):
        _report_unsafe(root, rel, report)
        return
    where = "content/assets/" if rel.startswith(ASSETS) else "content/"
    report.error(rel, 1, FIELD, f"is not Markdown: of the files in {where}, only images in content/assets/ are published",
                 "move an image to content/assets/; remove anything else")


def _asset(root: Path, rel: str, entry: os.DirEntry, report: Report, found: list[AssetFile], cache: dict) -> None:
    ext = extension(entry.name)
    if not entry.is_file(follow_symlinks=False):
        _report_unsafe(root, rel, report)
        return
    if ext in REFUSED:
        report.error(rel, 1, FIELD, *REFUSED[ext])
        return
    if ext not in IMAGE_TYPES:
        what = f"'.{ext}' files are" if ext else "files without an extension are"
        report.error(rel, 1, FIELD, f"{what} not published: content/assets/ holds images ({ALLOWED})",
                     "convert it to one of these, or remove it")
        return
    stat = entry.stat(follow_symlinks=False)
    key = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
    hit = cache.get(rel)
    if hit is None or hit[0] != key:
        hit = (key, _checked(root, rel))
        cache[rel] = hit
    verdict = hit[1]
    if isinstance(verdict, AssetFile):
        found.append(verdict)
    else:
        report.extend([verdict])


def _checked(root: Path, rel: str) -> AssetFile | Diagnostic:
    try:
        data = read_regular_file(root, rel, ASSET_LIMIT)
    except UnsafeFile as problem:
        hint = "resize or compress it: most readers are on phones" if problem.reason == "too-big" else problem.hint
        return Diagnostic(rel, 1, FIELD, problem.message, hint)
    wrong = check_image(rel, data)
    if wrong is not None:
        return Diagnostic(rel, 1, FIELD, *wrong)
    return AssetFile(rel, len(data), hashlib.sha256(data).hexdigest())


def _report_unsafe(root: Path, rel: str, report: Report) -> None:
    """A link, pipe, device or socket: sources.py's reader words why (without reading a byte)."""
    try:
        read_regular_file(root, rel, 0)
    except UnsafeFile as problem:
        report.error(rel, 1, FIELD, problem.message, problem.hint)
        return
    report.error(rel, 1, FIELD, "is not a regular file", f"remove it: git rm {rel}")  # pragma: no cover


def _reason(err: OSError) -> str:
    text = err.strerror or str(err)
    return text[:1].lower() + text[1:]


def write_asset(root: Path, asset: AssetFile, dest: str) -> None:
    """Publish an image with the bytes `check` accepted: read it again the same safe way, and
    write it only if it is byte for byte what was checked. An image removed or replaced since
    then is a content error, never a site with a missing or different image."""
    try:
        data = read_regular_file(root, asset.path, ASSET_LIMIT)
    except UnsafeFile as problem:
        data, now = None, f"it {problem.message}"
    if data is not None and hashlib.sha256(data).hexdigest() == asset.sha256:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as handle:
            handle.write(data)
        return
    if data is not None:
        now = "its bytes are not the ones checked"
    raise ContentError([Diagnostic(asset.path, 1, FIELD, f"changed after it was checked, while the site was being "
                                                         f"built: {now}", "build again")])
