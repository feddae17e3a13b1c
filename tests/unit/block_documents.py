"""Random versions of a document made of blocks, parsed as an editor's are: by one BlockParser,
which hands back an unedited block's nodes; for the property tests of what is kept across texts
(test_taint_callee_reuse.py, test_taint_plans.py)."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import strategies as st

from bastion.analyzers.taint.blocks import BlockParser


def block_versions(blocks: list[str]):
    """Two to six versions, each a list of up to six of `blocks` (by index)."""
    return st.lists(st.lists(st.sampled_from(range(len(blocks))), max_size=6), min_size=2, max_size=6)


def documents(header: str, blocks: list[str], versions: list[list[int]]) -> Iterator[tuple[str, object]]:
    """Each version's text and tree."""
    parser = BlockParser()
    for chosen in versions:
        text = header + "\n\n".join(blocks[b] for b in chosen) + "\n"
        yield text, parser.parse(text)
