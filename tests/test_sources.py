"""The fast (libyaml) front-matter parser gives exactly the node graph PyYAML's parser gives."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO
from spotlight.diagnostics import Report
from spotlight.sources import compose_fast, shift_marks, split_front_matter

SAMPLE = sorted((REPO / "creators").glob("*.md")) + sorted((REPO / "content").rglob("*.md"))


def shape(node: yaml.Node):
    """Everything models.py reads from a node: value, style (plain or quoted) and line."""
    if isinstance(node, yaml.ScalarNode):
        # Tags are not compared: models.py never reads them (types come from the field tables).
        return ("scalar", node.value, node.style or None, node.start_mark.line)  # plain: '' or None
    if isinstance(node, yaml.MappingNode):
        return ("map", node.start_mark.line, [(shape(k), shape(v)) for k, v in node.value])
    return ("seq", node.start_mark.line, [shape(v) for v in node.value])


@pytest.mark.skipif(not hasattr(yaml, "CBaseLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.relative_to(REPO).as_posix())
def test_fast_and_pure_parsers_agree_on_every_sample_file(path):
    fm, fm_line, _, _ = split_front_matter(path.name, path.read_text(encoding="utf-8"), Report())
    fast = compose_fast(fm, fm_line)
    pure = yaml.compose(fm, Loader=yaml.SafeLoader)
    shift_marks(pure, fm_line - 1)
    assert fast is not None
    assert shape(fast) == shape(pure)


def test_a_mistake_falls_back_to_the_parser_that_words_it():
    assert compose_fast("name: [unclosed\n", 2) is None
