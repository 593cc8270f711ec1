"""An editor's Markdown body, turned into HTML once: one Markdown renderer, shared by the build and the review.

The review (lint.py) looks at the HTML this renderer makes before it is sanitised, so it sees
exactly what the build would publish (attribute lists, reference-style links, multi-line tags);
the build publishes `render_body`'s sanitised output.
"""

from __future__ import annotations

import markdown

# The extensions an editor's body may use: the same set for the review and for the pages.
# md_in_html lets a body wrap Markdown in a <div>; attr_list gives headings and links classes
# and ids ({: .note }), which is also why the review must look at the rendered HTML.
MARKDOWN_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition"]
MARKDOWN_CONFIG = {"toc": {"permalink": False}}


def markdown_to_html(text: str) -> str:
    """The body's HTML exactly as Markdown makes it: not yet sanitised, never published as is."""
    # A new Markdown object per body: its state (toc ids, references) must not leak between bodies.
    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    return md.convert(text)
