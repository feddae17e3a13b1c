"""Suppression comments outside every statement, read without tokenizing the document
(engine/suppress.py `directives_between`): the same directives as the whole document's
tokenized comments, on random documents; and inside statements, the units' own comments hold
what the whole document's do (so the engine's merge is unchanged)."""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.engine.registry import create_engine
from bastion.engine.splitter import split_document
from bastion.engine.suppress import comment_directives, directives_between

NAMES = create_engine().nosec_names
BLOCKS = [
    "x = 1", "y = f()  # nosec", "# nosec B101", "# noqa: S602", '# bastion: ignore[B602] reason="ok"',
    "def f():\n    return 1  # bastion: ignore[B101]\n    # nosec between\n    pass",
    "s = '# nosec'", 't = """\ntext # nosec inside\n"""',
    "class C:\n    # nosec between members\n    def m(self):\n        return 2  # noqa\n"
    "\n    # noqa\n    x = 1",
    "", "   ", "#", "# a comment", "@decorator  # nosec\ndef g(a,  # nosec\n      b):\n    pass",
    "z = [  # noqa\n  1,  # nosec B105\n]", "u = 'é'  # nosec", "\f# noqa",
    "if x:\n    # nosec in if\n    y = 2  # nosec\nelse:  # noqa\n    pass",
    "w = 1; v = 2  # nosec", "q = '''\n# noqa\n'''  # nosec", "  # nosec indented comment",
    "# see issue #12  # noqa",
]


@st.composite
def documents(draw):
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=12))
    text = "\n".join(blocks) + draw(st.sampled_from(["", "\n"]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=documents())
def test_comments_outside_statements_read_as_the_tokenizer_reads_them(text):
    split = split_document(text)
    if split.broken:
        return  # the engine tokenizes a document that does not parse, as before
    ranges = [(unit.start, unit.end) for unit in split.units]
    covered = {n for start, end in ranges for n in range(start, end + 1)}
    whole = comment_directives(text, 0, NAMES)
    assert directives_between(text, ranges, NAMES) == {
        line: d for line, d in whole.items() if line not in covered}
    from_units = {}
    for unit in split.units:
        for d in comment_directives(unit.text, 0, NAMES, wrapped=unit.indented).values():
            from_units[d.line + unit.start] = attrs.evolve(d, line=d.line + unit.start)
    assert {line: d for line, d in whole.items() if line in covered} == from_units


WORDS = st.sampled_from(["nosec", "NOSEC", "noqa", "NoQA", "nOqA", "bastion", "Bastion", ": ignore",
                         "[B602]", " B101", ":", " S602", "text", "#", " ", "\t", "\u00a0", "\u2003",
                         "\f", "\v", "reason=\"x\"", "BST201"])


@settings(max_examples=examples(2000), deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=8))
def test_every_directive_passes_the_cheap_check(words):
    """The check that decides which texts are tokenized keeps every comment a directive reads."""
    from bastion.engine.suppress import _MAY_SUPPRESS, parse_directive

    comment = "#" + "".join(words)
    if parse_directive(comment, 0, NAMES) is not None:
        assert _MAY_SUPPRESS().search(comment)
