"""Assets are an allow-list: only images whose bytes match their extension are published from
content/assets/, from the bytes `check` read; nothing else under content/ reaches the site."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from spotlight import assets, pipeline
from spotlight.outputs import headers_file

from browser.siteserver import parse_headers_file
from conftest import MOMENT


def png(red: int = 255) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, red, 0, 0]))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixel) + chunk(b"IEND", b""))


# The first bytes of each format as its encoders write them (the rest is not looked at).
IMAGES = {
    "content/assets/dot.png": png(),
    "content/assets/photos/face.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00" + bytes(32),
    "content/assets/PHOTO.JPEG": b"\xff\xd8\xff\xdb" + bytes(32),
    "content/assets/spinner.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "content/assets/logos/nami.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x00",
    "content/assets/banner.avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(16),
    "content/assets/seq.avif": b"\x00\x00\x00\x20ftypmif1\x00\x00\x00\x00mif1avismsf1miaf" + bytes(16),
}


def write_bytes(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_allowed_image_type_is_published_byte_for_byte(project):
    for rel, data in IMAGES.items():
        write_bytes(project.root, rel, data)
    result = project.check()
    assert result.code == 0, result.err
    assert project.build().code == 0
    site = project.root / "site"
    for rel, data in IMAGES.items():
        assert (site / rel.removeprefix("content/")).read_bytes() == data, rel


def test_only_the_theme_generated_files_and_checked_images_are_published(project):
    """MkDocs copies every non-Markdown file of its docs_dir (content/); Spotlight copies none."""
    write_bytes(project.root, "content/assets/dot.png", png())
    write_bytes(project.root, "content/assets/.env", b"SECRET_TOKEN=1")  # dot files: never read nor published
    write_bytes(project.root, "content/.htaccess", b"Options +Indexes")
    write_bytes(project.root, "content/notes.md", b"# outside every kind folder: neither read nor published")
    assert project.build().code == 0, project.build().err
    site = project.root / "site"
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    from_content = {p for p in published if (project.root / "content" / p).exists()}
    assert from_content == {"assets/dot.png"}
    assert not any(name.endswith((".env", ".htaccess", "notes.md")) for name in published)


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "dot.png", "../topics/anxiety.md"])
def test_a_link_in_assets_is_refused_whatever_it_points_to(project, target):
    write_bytes(project.root, "content/assets/dot.png", png())
    (project.root / "content" / "assets" / "link.png").symlink_to(target)
    result = project.check()
    assert result.code == 1
    [line] = result.lines
    assert line.startswith(f"content/assets/link.png:1: file: is a symbolic link")
    assert "Spotlight reads only regular files inside the project" in line
    assert project.build().code == 1
    assert not (project.root / "site").exists()


def test_a_linked_folder_in_assets_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "key.png").write_bytes(png())
    (project.root / "content" / "assets").mkdir(parents=True)
    (project.root / "content" / "assets" / "shared").symlink_to(outside, target_is_directory=True)
    result = project.check()
    assert result.code == 1
    [line] = result.lines
    assert line.startswith("content/assets/shared:1: file: is a symbolic link to a folder")


def test_a_named_pipe_in_assets_is_an_error_not_a_hang(project):
    (project.root / "content" / "assets").mkdir(parents=True)
    os.mkfifo(project.root / "content" / "assets" / "pipe.png")
    os.mkfifo(project.root / "content" / "pipe.txt")
    result = project.check()
    assert result.code == 1
    assert result.lines == [
        "content/assets/pipe.png:1: file: is a named pipe (FIFO), not a regular file "
        "(remove it from the repository: git rm content/assets/pipe.png)",
        "content/pipe.txt:1: file: is a named pipe (FIFO), not a regular file "
        "(remove it from the repository: git rm content/pipe.txt)",
    ]


def test_an_image_over_the_limit_is_refused_before_it_is_read(project):
    path = write_bytes(project.root, "content/assets/huge.png", png())
    with path.open("r+b") as handle:
        handle.truncate(assets.ASSET_LIMIT + 1)  # sparse: the size is known without writing 5 MiB
    result = project.check()
    assert result.lines == ["content/assets/huge.png:1: file: is 5 MiB, over the limit of 5 MiB "
                            "(resize or compress it: most readers are on phones)"]


@pytest.mark.parametrize("change", ["removed", "replaced", "linked"])
def test_an_image_changed_after_check_read_it_fails_the_build(project, monkeypatch, change):
    image = write_bytes(project.root, "content/assets/dot.png", png())
    assert project.build().code == 0
    before = digest(project.root / "site" / "index.html"), digest(project.root / "site" / "assets" / "dot.png")
    real_load = pipeline.load

    def load_then_change(*args, **kwargs):
        loaded = real_load(*args, **kwargs)
        image.unlink()
        if change == "replaced":
            image.write_bytes(png(red=0))  # still a valid PNG, but not the one check accepted
        elif change == "linked":
            image.symlink_to("/etc/passwd")
        return loaded

    monkeypatch.setattr(pipeline, "load", load_then_change)
    result = project.build()
    assert result.code == 1
    now = {"removed": "it does not exist", "replaced": "its bytes are not the ones checked",
           "linked": "it is a symbolic link (to /etc/passwd)"}[change]
    assert result.lines[0].startswith(f"content/assets/dot.png:1: file: changed after it was checked, "
                                      f"while the site was being built: {now}")
    assert result.lines[0].endswith("(build again)")
    assert (digest(project.root / "site" / "index.html"), digest(project.root / "site" / "assets" / "dot.png")) == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_mkdocs_build_publishes_the_same_checked_images(project):
    write_bytes(project.root, "content/assets/dot.png", png())
    write_bytes(project.root, "content/assets/notes.txt", b"refused by check; mkdocs build must not copy it either")
    env = {**os.environ, "SPOTLIGHT_AS_OF": MOMENT}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "via-mkdocs"], cwd=project.root,
                          env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "content/assets/notes.txt:1: file: '.txt' files are not published" in proc.stderr
    (project.root / "content" / "assets" / "notes.txt").unlink()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "via-mkdocs"], cwd=project.root,
                   env=env, check=True, capture_output=True)
    assert (project.root / "via-mkdocs" / "assets" / "dot.png").read_bytes() == png()


def test_headers_sandbox_the_assets_where_the_host_reads_them():
    rules = parse_headers_file(headers_file().content)

    def sent(path: str) -> list[tuple[str, str]]:
        return [header for pattern, headers in rules if pattern.match(path) for header in headers]

    image = sent("/assets/logos/nami.png")
    assert ("Content-Security-Policy", "sandbox") in image
    assert ("X-Content-Type-Options", "nosniff") in image
    page = sent("/creators/maya/")
    assert ("Content-Security-Policy", "sandbox") not in page
    assert any(name == "Content-Security-Policy" and "script-src 'self'" in value for name, value in page)


def test_sniff_knows_each_format_by_its_bytes():
    assert [assets.sniff(data) for data in IMAGES.values()] == ["PNG", "JPEG", "JPEG", "GIF", "WebP", "AVIF", "AVIF"]
    assert assets.sniff(b"<svg onload=alert(1)>") is None
    assert assets.sniff(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom") is None  # an MP4 video
    assert assets.sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None  # a WAV file
