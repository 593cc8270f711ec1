"""Avatars and logos at the sizes pages show them, and the hub's share image: made at build time with Pillow.

Validation (assets.py) accepted each image by its bytes; here the ones a visible creator or
organisation names are decoded once and written again as small WebP copies, so a card shows
a 64-pixel avatar without downloading a 2,000-pixel photo, and every <img> carries its width
and height (no layout shift). Pages without an image of their own get the hub's share image
for link previews: its name and description drawn on its brand colour, with the font Pillow
ships, so a hub that replaces the sample previews as itself. Nothing is fetched from anywhere.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from .assets import ASSET_LIMIT, AssetFile
from .diagnostics import ContentError, Diagnostic, Report
from .render import Generated
from .settings import site_description
from .sources import UnsafeFile, read_regular_file

# Pages show avatars and logos at 128 CSS pixels (profiles) and 64 (cards): these widths cover
# both on screens of one and two device pixels per CSS pixel.
WIDTHS = (64, 128, 256)
VARIANTS = "assets/spotlight/img"
SHARE_IMAGE = "assets/spotlight/share-hub.png"
SHARE_SIZE = (1200, 630)  # what link previews show best (Open Graph's large image)
# A 5 MiB file can still hold an image too large to decode safely (a "decompression bomb"):
# 40 megapixels is a large camera photo, and far more than an avatar needs.
MAX_PIXELS = 40_000_000
# The brand colours of theme/assets/spotlight/spotlight.css when it does not say them.
BRAND, BRAND_INK = "#0b5059", "#ffffff"
IMAGE_FIELDS = {"creator": ("avatar", "avatar_alt", True), "organization": ("logo", "logo_alt", False)}


@dataclass(frozen=True)
class Picture:
    """An item's avatar or logo as pages place it: WebP copies by width, and the original for
    link previews (which not every service reads as WebP)."""

    alt: str
    variants: tuple[tuple[str, int, int], ...]  # (site path, width, height), narrowest first
    original: str  # site path of the checked image: /assets/...
    original_size: tuple[int, int]

    @property
    def src(self) -> str:
        return self.variants[min(1, len(self.variants) - 1)][0]

    @property
    def srcset(self) -> str:
        return ", ".join(f"{path} {width}w" for path, width, _ in self.variants)

    def box(self, css_width: int) -> tuple[int, int]:
        """(width, height) attributes for showing it `css_width` CSS pixels wide at most."""
        _, width, height = next((v for v in self.variants if v[1] == css_width), self.variants[-1])
        shown = min(css_width, width)
        return shown, max(1, round(height * shown / width))


@dataclass(frozen=True)
class Images:
    """The pictures of one build, by (kind, slug), and the files to publish for them."""

    pictures: dict[tuple[str, str], Picture]
    files: tuple[Generated, ...]

    def of(self, item) -> Picture | None:
        return self.pictures.get((item.kind, item.slug))


NO_IMAGES = Images({}, ())
# serve makes the site again after every save: each image's copies are kept until its bytes change.
_MADE: dict[tuple[str, bool], tuple[tuple[int, int], tuple[tuple[str, int, int, bytes], ...]]] = {}
_SHARE: dict[tuple, bytes] = {}


def make_images(root: Path, content, report: Report | None = None) -> Images:
    """The copies of every avatar and logo a visible item shows, and the hub's share image.

    An image validation accepted by its first bytes that Pillow still cannot decode (cut short,
    say) is left out, with a warning in `report`: its pages show no image rather than the build
    stopping where `check` passed."""
    assets = {asset.path: asset for asset in content.assets}
    pictures: dict[tuple[str, str], Picture] = {}
    files: dict[str, Generated] = {}
    for kind, (field, alt_field, square) in IMAGE_FIELDS.items():
        for item in content.items(kind):
            path = item.get(field)
            asset = assets.get(f"content/assets/{path}") if path else None
            if asset is None:  # validation reported a missing image; nothing to show
                continue
            try:
                size, copies = _copies(root, asset, square)
            except ContentError as err:
                if report is not None:
                    report.extend(replace(d, severity="warning") for d in err.diagnostics)
                continue
            variants = []
            for name, width, height, data in copies:
                files.setdefault(name, Generated(name, data))
                variants.append((f"/{name}", width, height))
            pictures[(kind, item.slug)] = Picture(item.get(alt_field) or "", tuple(variants), "/" + asset.uri, size)
    share = Generated(SHARE_IMAGE, share_image(root, content.settings.site_name, site_description(root)))
    return Images(pictures, (*sorted(files.values(), key=lambda f: f.src_uri), share))


def _copies(root: Path, asset: AssetFile, square: bool):
    key = (asset.sha256, square)
    if key not in _MADE:
        _MADE[key] = _make_copies(root, asset, square)
    return _MADE[key]


def _make_copies(root: Path, asset: AssetFile, square: bool):
    try:
        data = read_regular_file(root, asset.path, ASSET_LIMIT)
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ContentError([Diagnostic(asset.path, 1, "file", f"is {opened.width}×{opened.height} pixels, "
                                               f"more than Spotlight decodes ({MAX_PIXELS:,} pixels); pages show no "
                                               f"image for it", "export it smaller: 1,000 pixels wide is plenty")])
            opened.seek(0)  # an animation's first frame
            image = ImageOps.exif_transpose(opened.convert("RGBA"))
    except (UnidentifiedImageError, OSError, ValueError, UnsafeFile, Image.DecompressionBombError) as err:
        # Pillow's message names an in-memory file object: only its first clause is for people.
        reason = str(err).split(" <", 1)[0]
        raise ContentError([Diagnostic(asset.path, 1, "file", f"cannot be read as an image ({reason}); pages show "
                                       f"no image for it", "export it again as PNG, JPEG or WebP")]) from None
    original = image.size
    if square:  # avatars are shown in a circle: the middle square of the photo
        image = ImageOps.fit(image, (min(image.size),) * 2, Image.Resampling.LANCZOS)
    widths = [w for w in WIDTHS if w <= image.width] or [image.width]
    copies = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        copy = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=82, method=4)
        copies.append((f"{VARIANTS}/{asset.sha256[:16]}-{'sq' if square else 'w'}{width}.webp", width, height,
                       out.getvalue()))
    return original, tuple(copies)


def brand_colours(root: Path) -> tuple[str, str]:
    """The hub's --sl-brand and --sl-brand-ink from its theme's style sheet (light scheme)."""
    css = root / "theme/assets/spotlight/spotlight.css"
    text = css.read_text(encoding="utf-8", errors="replace") if css.is_file() else ""
    found = []
    for name, default in (("--sl-brand", BRAND), ("--sl-brand-ink", BRAND_INK)):
        match = re.search(rf"{name}:\s*(#[0-9a-fA-F]{{6}}|#[0-9a-fA-F]{{3}})\s*;", text)
        found.append(match.group(1) if match else default)
    return found[0], found[1]


def share_image(root: Path, name: str, description: str) -> bytes:
    """The hub's link-preview image: its name (and description) on its brand colour, 1200×630 PNG."""
    background, ink = brand_colours(root)
    key = (name, description, background, ink)
    if key not in _SHARE:
        _SHARE[key] = _draw_share(name, description, background, ink)
    return _SHARE[key]


def _draw_share(name: str, description: str, background: str, ink: str) -> bytes:
    image = Image.new("RGB", SHARE_SIZE, background)
    draw = ImageDraw.Draw(image)
    margin, width = 90, SHARE_SIZE[0] - 180
    y = margin
    for text, size, most in ((name, 96, 3), (description, 44, 4)):
        if not text:
            continue
        font, lines = _fit(text, size, width, most)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=ink)
            y += round(font.size * 1.25)
        y += 40
    draw.rectangle((margin, SHARE_SIZE[1] - margin - 12, margin + 160, SHARE_SIZE[1] - margin), fill=ink)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _fit(text: str, size: int, width: int, most: int):
    """The font size (down from `size`) at which `text` wraps into at most `most` lines of `width`."""
    while True:
        font = ImageFont.load_default(size=size)
        lines: list[str] = []
        for word in text.split():
            if lines and font.getlength(f"{lines[-1]} {word}") <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) <= most or size <= 24:
            return font, lines[:most]
        size -= 8
