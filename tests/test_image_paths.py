"""An image in a body may be written by its path from the file (../assets/a.png), as editors' tools complete it."""

from __future__ import annotations

import re

from test_assets import png

IMAGE_FROM_FILE = "![A calm lake](../assets/lake.png)"


def write_update(project, body: str) -> None:
    project.write("content/updates/lake.md", f"""
        ---
        title: A calm lake
        date: 2027-05-10T09:00:00-04:00
        summary: A picture of a lake.
        ---
        {body}
    """)


def test_a_path_from_the_file_into_content_assets_is_accepted_and_published(project):
    (project.root / "content/assets").mkdir(parents=True)
    (project.root / "content/assets/lake.png").write_bytes(png())
    write_update(project, IMAGE_FROM_FILE)
    checked = project.check()
    assert checked.code == 0, checked.err
    assert checked.lines == []
    assert project.build().code == 0
    page = (project.root / "site/updates/lake/index.html").read_text(encoding="utf-8")
    # The page is /updates/lake/: the image it shows is the site's /assets/lake.png.
    assert re.search(r'<img alt="A calm lake" src="\.\./\.\./assets/lake\.png"', page), page
    assert (project.root / "site/assets/lake.png").read_bytes() == png()


def test_a_missing_image_by_its_path_from_the_file_is_named(project):
    write_update(project, IMAGE_FROM_FILE)
    checked = project.check()
    assert checked.code == 1
    assert checked.lines == [
        "content/updates/lake.md:6: body: there is no image content/assets/lake.png [image] (add the image or fix the path)"]


def test_a_path_outside_content_assets_gives_the_path_to_write(project):
    (project.root / "content/assets").mkdir(parents=True)
    (project.root / "content/assets/lake.png").write_bytes(png())
    # From creators/, ../assets/ is a folder beside creators/, not content/assets/.
    text = (project.root / "creators/maya.md").read_text(encoding="utf-8")
    line = len(text.splitlines()) + 2  # after an empty line
    project.write("creators/maya.md", text + "\n![A lake](../assets/lake.png) ![A lake](/content/assets/lake.png)\n")
    checked = project.check()
    assert checked.code == 1
    assert checked.lines == [
        f"creators/maya.md:{line}: body: images must be in content/assets/ (../assets/lake.png) [image] "
        "(write /assets/lake.png)",
        f"creators/maya.md:{line}: body: images must be in content/assets/ (/content/assets/lake.png) [image] "
        "(write /assets/lake.png)"]
