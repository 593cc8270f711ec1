"""Avatars and logos on profile pages and cards, at responsive sizes, and as link previews; the hub's own share image."""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import html
from PIL import Image

from spotlight.images import brand_colours


def with_images(project) -> None:
    """Maya gets a 600×400 photo as avatar, NAMI a 300×100 logo (both larger than any copy)."""
    assets = project.root / "content/assets"
    assets.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), "#c04040").save(assets / "maya.jpg")
    Image.new("RGBA", (300, 100), (10, 80, 200, 255)).save(assets / "nami.png")
    maya = project.root / "creators/maya.md"
    maya.write_text(maya.read_text(encoding="utf-8").replace(
        "pronouns: she/her\n", "pronouns: she/her\navatar: maya.jpg\navatar_alt: Maya in a red jumper\n"), encoding="utf-8")
    nami = project.root / "content/organizations/nami.md"
    nami.write_text(nami.read_text(encoding="utf-8").replace(
        "short_name: NAMI\n", "short_name: NAMI\nlogo: nami.png\nlogo_alt: The NAMI logo\n"), encoding="utf-8")


def page(site: Path, url: str):
    return html.fromstring((site / url / "index.html").read_bytes())


def shown(site: Path, doc, url: str, alt: str, css_width: int) -> tuple[int, int]:
    """The one image with `alt` on the page: every copy in its srcset is a file of the width it
    says; returns its width and height attributes."""
    [img] = doc.xpath(f"//main//img[@alt='{alt}']")
    assert img.get("sizes") == f"{css_width}px"
    base = site / url
    for candidate in img.get("srcset").split(","):
        address, descriptor = candidate.split()
        assert not address.startswith(("/", "http")), address  # relative: the site works under any path
        with Image.open((base / address).resolve()) as copy:
            assert f"{copy.width}w" == descriptor and copy.format == "WEBP"
    assert (base / img.get("src")).resolve().is_file()
    return int(img.get("width")), int(img.get("height"))


def test_avatars_and_logos_are_shown_with_their_alt_text_at_responsive_sizes(project):
    with_images(project)
    assert project.build().code == 0
    site = project.root / "site"
    # Avatars are the middle square of the photo; logos keep their shape.
    assert shown(site, page(site, "creators/maya"), "creators/maya", "Maya in a red jumper", 128) == (128, 128)
    assert shown(site, page(site, "creators"), "creators", "Maya in a red jumper", 64) == (64, 64)
    assert shown(site, page(site, "organizations/nami"), "organizations/nami", "The NAMI logo", 128) == (128, 43)
    assert shown(site, page(site, "organizations"), "organizations", "The NAMI logo", 64) == (64, 21)


def og(doc, name: str) -> str:
    [value] = doc.xpath(f"//meta[@property='og:{name}']/@content")
    return value


def test_an_avatar_is_the_pages_link_preview_and_other_pages_get_the_hubs_share_image(project):
    with_images(project)
    assert project.build().code == 0
    site = project.root / "site"
    site_url = re.search(r"^site_url:\s*(\S+)", (project.root / "mkdocs.yml").read_text(), re.M).group(1)
    maya = page(site, "creators/maya")
    assert og(maya, "image") == f"{site_url.rstrip('/')}/assets/maya.jpg"
    assert (og(maya, "image:width"), og(maya, "image:height"), og(maya, "image:alt")) == (
        "600", "400", "Maya in a red jumper")
    assert (site / "assets/maya.jpg").read_bytes() == (project.root / "content/assets/maya.jpg").read_bytes()
    topic = page(site, "topics/anxiety")
    assert og(topic, "image") == f"{site_url.rstrip('/')}/assets/spotlight/share-hub.png"
    with Image.open(site / "assets/spotlight/share-hub.png") as share:
        assert (share.format, share.size) == ("PNG", (1200, 630))
        assert share.convert("RGB").getpixel((5, 5)) == Image.new("RGB", (1, 1), brand_colours(project.root)[0]).getpixel((0, 0))


def test_the_share_image_is_drawn_from_the_hubs_name(project):
    assert project.build("one").code == 0
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^site_name:.*$", "site_name: Another Hub Entirely", text, count=1, flags=re.M),
                      encoding="utf-8")
    assert project.build("two").code == 0
    one = (project.root / "one/assets/spotlight/share-hub.png").read_bytes()
    two = (project.root / "two/assets/spotlight/share-hub.png").read_bytes()
    assert one != two and Image.open(io.BytesIO(two)).size == (1200, 630)


def test_an_image_that_cannot_be_decoded_is_left_out_with_a_warning(project, monkeypatch):
    import spotlight.images as images

    with_images(project)
    # check accepts a file by its first bytes; one cut short after them cannot be decoded.
    (project.root / "content/assets/nami.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)  # and the photo is now too large to decode
    monkeypatch.setattr(images, "_MADE", {})
    result = project.build()
    assert result.code == 0, result.err
    assert result.lines[:2] == [
        "content/assets/maya.jpg:1: file: warning: is 600×400 pixels, more than Spotlight decodes (1,000 pixels); "
        "pages show no image for it (export it smaller: 1,000 pixels wide is plenty)",
        "content/assets/nami.png:1: file: warning: cannot be read as an image (cannot identify image file); pages "
        "show no image for it (export it again as PNG, JPEG or WebP)"]
    assert page(project.root / "site", "creators/maya").xpath("//main//img") == []
