"""axe-core on every page type: no WCAG 2.2 A/AA violation, in the light and dark schemes.

Readers use screen readers, zoom and high contrast, often on phones; the pages are
checked at phone width. axe-core is pinned in package.json (node_modules/axe-core).
"""

from __future__ import annotations

import pytest

from .browsing import PAGE_KEYS, load

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
            target: n.target.join(" "),
            summary: (n.failureSummary || "").replace(/\\s+/g, " ").trim(),
        })),
    }));
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}: {node['summary'][:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_no_axe_violations(new_page, page_path, axe_js, key, scheme):
    path = page_path(key)
    # axe is injected as an inline script, which the site's Content-Security-Policy
    # (script-src 'self') rightly blocks; the audit page alone bypasses the CSP.
    page = new_page(bypass_csp=True, color_scheme=scheme)
    load(page, path)
    page.add_script_tag(path=str(axe_js))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, f"{path} ({scheme} scheme): {len(violations)} axe violation(s):\n{describe(violations)}"
