"""Pages for readers looking out for someone are in every page's "Help and safety" footer."""

from __future__ import annotations

import re

from conftest import MOMENT


def footer_links(html: str) -> list[str]:
    footer = html[html.index('id="sl-footer-help"'):html.index("</footer>")]
    return re.findall(r'<li><a href="[^"]*">([^<]+)</a></li>', footer)


def test_the_footer_offers_worried_about_someone_and_young_people_when_the_hub_has_them(project):
    assert project.build("site", MOMENT).code == 0
    assert footer_links((project.root / "site/index.html").read_text(encoding="utf-8")) == ["About this hub"]
    project.write("content/pages/worried-about-someone.md",
                  "---\ntitle: Worried about someone\n---\nWhat to say, and how to get help together.\n")
    project.write("content/pages/young-people.md",
                  "---\ntitle: For young people\n---\nTalking to someone you trust.\n")
    assert project.build("site", MOMENT).code == 0
    for page in ("index.html", "creators/maya/index.html"):
        assert footer_links((project.root / "site" / page).read_text(encoding="utf-8")) == [
            "Worried about someone", "For young people", "About this hub"], page
