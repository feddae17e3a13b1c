"""The block parser fed the whole file's tree (the language server's warm-up has just parsed it)
gives exactly the blocks parsing them gives, and keeps the same caches for the edits after; it
parses no block of a file whose blocks are whole statements. Texts: valid chunks (decorators,
comments, docstrings, `if __name__` blocks, backslash continuations (one on a line of its own),
brackets whose lines start in column 0, a class long enough to be split member by member) with
random line edits that may break them (then there is no tree to feed)."""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint import blocks
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.whole_blocks import WholeStatements
from bastion.parsing import parse_code, parse_code_at

METHOD = '''    @property
    def m{n}(self, a,
             b=1):  # comment
        """Doc.

def not_a_block():
"""
        x = a + \\
            b
        return x; y = 2
'''
CHUNKS = [
    "import os\nfrom subprocess import call",
    "@decorator\n@other(1,\n       2)\ndef f(x):\n    return os.system(x)",
    "# a comment\n\n# another",
    '"""Module docstring, with a line\nclass Fake:\nthat is not a class."""',
    "if __name__ == '__main__':\n    main()\nelse:\n    pass",
    "x = 1 + \\\n    2",
    "a = 1\n\\\n\nb = 2",  # a lone backslash between statements: a block that does not parse
    "y = [\n1,\n2,\n]",
    "z = call(\n'a'\n)",
    "s = \"'''\"; t = '#\"\"\"'",
    "class Small:\n    '''Doc.'''\n    a = 1\n\n    # member comment\n    def g(self):\n        pass",
    "class Long(Base,\n           metaclass=M):\n    \"\"\"Doc.\"\"\"\n"
    + "\n".join(METHOD.format(n=n) for n in range(9)),
    "try:\n    import x\nexcept ImportError:\n    x = None\nfinally:\n    pass",
    "async def h():\n    await g()\n\n\n",
    "w = 1\r\nv = 2\r\n",
    "u = 1\rq = 2",
]
PIECES = ["", "def", ")", "    return 1", "'''", "@d", "class K:", "x = (", "\\", "# c", "else:",
          "    def m(self):", "        pass"]


@st.composite
def texts(draw) -> list[str]:
    lines = "\n".join(draw(st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=8))).split("\n")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()) or len(lines) == 1:
            lines.insert(at, draw(st.sampled_from(PIECES)))
        else:
            del lines[at]
    return lines


def _dump(module: ast.Module) -> str:
    return ast.dump(module, include_attributes=True)


_TAKEN = WholeStatements.block


def _checked(self: WholeStatements, start: int, end: int, indent: str) -> list[ast.stmt] | None:
    """`WholeStatements.block`, asserting that a block it takes from the tree parses alone to
    those statements (the module can agree when it does not: a lone backslash's block does not
    parse and is joined to the next)."""
    taken = _TAKEN(self, start, end, indent)
    if taken is not None:
        block = "\n".join(self._lines[start:end])
        alone = parse_code_at("if 1:\n" + block, start - 1).body[0].body if indent \
            else parse_code_at(block, start).body
        assert _dump(ast.Module(taken, [])) == _dump(ast.Module(alone, []))
    return taken


def _whole(text: str) -> ast.Module | None:
    try:
        return parse_code(text)
    except SyntaxError:
        return None


@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(texts(), min_size=2, max_size=3))
def test_fed_the_whole_tree_the_blocks_are_the_parsed_ones(steps):
    fed, parsed = BlockParser(), BlockParser()
    first = "\n".join(steps[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WholeStatements, "block", _checked)
        assert _dump(fed.parse(first, _whole(first))) == _dump(parsed.parse(first))
    for lines in steps[1:]:  # the edits after: the caches the feed filled are the parses'
        text = "\n".join(lines)
        assert _dump(fed.parse(text)) == _dump(parsed.parse(text)) == _dump(BlockParser().parse(text))


def _parses(monkeypatch) -> list[str]:
    """The sources the block parser parses from now on."""
    calls: list[str] = []
    real = blocks.parse_code_at
    monkeypatch.setattr(blocks, "parse_code_at", lambda source, before: calls.append(source) or
                        real(source, before))
    return calls


def test_a_file_of_whole_statements_is_not_parsed_again(monkeypatch):
    text = "\n\n".join(CHUNKS[:-1])  # all but the lone "\r", which moves the tokenizer's lines
    whole = parse_code(text)
    calls = _parses(monkeypatch)
    fed = BlockParser().parse(text, whole)
    monkeypatch.undo()
    # Parsed: the blocks cut inside `y = [...]` and `z = call(...)` (which are joined), the lone
    # backslash's (joined to the next), and the
    # long class's header with a `pass` body; every other block is the tree's statements
    # (31 parses without the tree).
    assert {source.split("\n")[0] for source in calls} == {"y = [", "1,", "2,", "z = call(", "'a'",
                                                            "class Long(Base,", "\\"}
    assert _dump(fed) == _dump(BlockParser().parse(text))


def test_a_lone_carriage_return_is_not_fed():
    text = "a = 1\rb = 2\nc = 3"
    assert WholeStatements.of(text, text.split("\n"), parse_code(text)) is None
    assert _dump(BlockParser().parse(text, parse_code(text))) == _dump(BlockParser().parse(text))


def test_the_warm_up_from_the_disk_cache_does_not_parse_the_blocks_again(tmp_path, monkeypatch):
    """The language server's warm-up (`split_cached`) gives the taint analysis the tree it
    parsed; the first key after it is analysed as a fresh engine analyses the edited text."""
    from bastion.engine.disk_cache import DiskCache
    from bastion.engine.engine import Engine
    from bastion.engine.incremental import IncrementalSplitter
    from bastion.engine.registry import default_analyzers

    text = "import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n" + \
        "\n\n".join(CHUNKS[:-1]) + "\n\n\n@app.route('/r')\ndef run():\n" \
        "    subprocess.call(request.args['c'], shell=True)\n"
    lines = text.split("\n")
    Engine(default_analyzers(incremental=True), disk_cache=DiskCache(tmp_path / "c.db"),
           unit_caches=True).analyse_raw(text, "w.py", lines=lines)
    engine = Engine(default_analyzers(incremental=True), disk_cache=DiskCache(tmp_path / "c.db"),
                    unit_caches=True)
    calls = _parses(monkeypatch)
    raw = engine.split_cached(text, "w.py", lines)
    assert raw is not None and raw.split is not None
    assert {source.split("\n")[0] for source in calls} == {"y = [", "1,", "2,", "z = call(", "'a'",
                                                            "class Long(Base,", "\\"}
    monkeypatch.undo()
    splitter = IncrementalSplitter()
    splitter.adopt(raw.split, len(lines), raw.records)
    at = len(lines) - 2  # Enter before the call
    edited = lines[:at] + ["    x = 1"] + lines[at:]
    document = "\n".join(edited)
    got = engine.analyse_raw(document, "w.py", splitter.update(edited, at, len(lines) - at), edited)
    fresh = Engine(default_analyzers(incremental=True), unit_caches=True).analyse_raw(document, "w.py")
    assert got.findings == fresh.findings
    assert "BST202" in {f.rule_id for f in got.findings}  # the view's command, by taint
