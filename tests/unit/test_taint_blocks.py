"""The taint analyzer's block parser after edits equals a fresh parse: the top-level block
starts rescanned from the edit and the class members found by digest are what a full scan of
the edited text finds (random edits over real code, strings and decorators included)."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.block_starts import block_starts
from bastion.analyzers.taint.blocks import BlockParser, _continued, _unindented

SOURCE = (Path(sysconfig.get_paths()["stdlib"]) / "textwrap.py").read_text(encoding="utf-8")
LINES = SOURCE.split("\n")
PIECES = ['"""', "'''", "@decorator", "def f(x):", "class C:", "    return x", "x = 1 \\",
          "", "    # comment", "else:", ")", "s = 'a\"b'", "    '''doc'''", "if x:"]


@st.composite
def edits(draw, pieces=tuple(PIECES)):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "delete", "replace", "type"]))
        piece = draw(st.sampled_from(pieces))
        if action == "insert":
            lines.insert(at, piece)
        elif action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "replace":
            lines[at] = piece
        else:
            lines[at] = lines[at] + piece[:draw(st.integers(0, len(piece)))]
    return lines


def _dump(module: ast.Module) -> str:
    return ast.dump(module, include_attributes=True)


# Edits put textwrap's regex strings out of their raw literals: Python warns, the test does not care.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(edits(), min_size=1, max_size=4))
def test_edited_parses_equal_fresh_parses(steps):
    warm = BlockParser()
    warm.parse(SOURCE)
    for lines in steps:
        text = "\n".join(lines)
        assert warm._starts(lines) == block_starts(lines)
        assert _dump(warm.parse(text)) == _dump(BlockParser().parse(text))


@st.composite
def keystrokes(draw):
    """A few characters typed or deleted on lines of the text, as an editor sends them: the
    line count stays, so blocks before and after the edited line are served from their places
    (`BlockParser._placed`) — including a class's members around the edited one."""
    lines = list(LINES)
    texts = []
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        column = draw(st.integers(0, len(line)))
        if line and draw(st.booleans()):
            column = min(column, len(line) - 1)
            lines[at] = line[:column] + line[column + 1:]
        else:
            lines[at] = line[:column] + draw(st.sampled_from(list("x(:'\"# )"))) + line[column:]
        texts.append("\n".join(lines))
    return texts


@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=keystrokes())
def test_keystrokes_parse_as_fresh_parses(texts):
    warm = BlockParser()
    warm.parse(SOURCE)
    for text in texts:
        assert _dump(warm.parse(text)) == _dump(BlockParser().parse(text))


class _JoinsAlways(BlockParser):
    """The parser before `_closes_nothing`: a broken block joined with up to MAX_MERGE - 1
    blocks after it, whatever they are."""

    def _closes_nothing(self, *args) -> bool:
        return False


BRACKETS = ["x = call(a,", "b)", "    subprocess.call(cmd, sh", "y = [", "1, 2", "]", "z = {'a':",
            "    return (x", "def g(", "a=1):", "x = 1 \\", "'''", '"""', "@decorator"]


@st.composite
def runs(draw, pieces):
    """Lines of `pieces` inserted together before a top-level block, a few times: a bracket
    one opens, another closes."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from([*block_starts(lines), len(lines)]))
        lines[at:at] = draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=6))
    return lines


# Brackets closed some blocks further down, past one that parses alone (`y`).
CLOSERS = ["x = g(a,", "y", ", z)", "", "w = 1", "    y", "    , z)"]


# A broken block is joined with those after it only while that could make it parse: a block
# that parses on its own closes nothing the broken one left open, so the trees are the same.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.one_of(st.lists(edits(tuple(BRACKETS)), min_size=1, max_size=3),
                       st.lists(runs(tuple(CLOSERS)), min_size=1, max_size=3)))
def test_joins_stop_where_they_cannot_help(steps):
    warm = BlockParser()
    for lines in steps:
        text = "\n".join(lines)
        assert _dump(warm.parse(text)) == _dump(_JoinsAlways().parse(text))


def _edited(operations) -> str:
    lines = list(LINES)
    for action, at, piece in operations:
        if action == "insert":
            lines.insert(at, piece)
        elif action == "delete":
            del lines[at]
        else:
            lines[at] = piece
    return "\n".join(lines)


# Texts where a join mends a block though the block after parses on its own (found by the
# random edits above): a backslash before the end, a line dedented inside a class's members,
# triple quotes read apart from the tokenizer's.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@pytest.mark.parametrize("text", [
    "x = 1 \\\n\ny = 2\n",
    _edited([("insert", 159, "a=1):"), ("replace", 163, "1, 2"), ("insert", 94, "@decorator")]),
    _edited([("replace", 58, '"""'), ("delete", 335, ""), ("delete", 365, "")]),
    _edited([("replace", 490, "'''"), ("insert", 94, "'''")]),
])
def test_joins_that_mend(text):
    assert _dump(BlockParser().parse(text)) == _dump(_JoinsAlways().parse(text))


class _JoinsPastDocstrings(BlockParser):
    """The parser before joins stopped at docstrings: broken lines holding a triple quote were
    joined with up to MAX_MERGE - 1 blocks after them, whatever they are."""

    def _closes_nothing(self, lines, starts, index, until, hi, indent) -> bool:
        end = starts[until] if until < len(starts) else hi
        if any('"""' in line or "'''" in line for line in lines[starts[index]:end]):
            return False
        return super()._closes_nothing(lines, starts, index, until, hi, indent)


DOCSTRINGS = ['    """Doc."""', '    """Doc.', '    """', "    '''doc'''", "        x = call(a,",
              "        subprocess.call(cmd, sh", "b)", ", z)", "y", "        y = [", "    def g(self):",
              "x = 1 \\", "s = 'a\\", "    s = '''a\\'''", "    t = f'{x}'", "@decorator", ")"]


# A broken block holding a docstring stops joining only where the tokenizer read it to its end
# with a bracket open and every block the join could take parses alone: the trees are those of
# the parser that joined past docstrings (random edits of methods with docstrings).
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(edits(tuple(DOCSTRINGS)), min_size=1, max_size=3))
def test_joins_stop_at_docstrings_where_they_cannot_help(steps):
    warm = BlockParser()
    for lines in steps:
        text = "\n".join(lines)
        assert _dump(warm.parse(text)) == _dump(_JoinsPastDocstrings().parse(text))


# A bracket the broken lines left open is closed by a block after one that parses alone: the
# join goes on (it stops only when every block it could take parses alone); a docstring whose
# string the scanner reads as closed but the tokenizer does not (a backslash) is no bracket.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@pytest.mark.parametrize("text", [
    'def f():\n    """doc"""\n    x = call(\ny\n, z)\nw = 1\n',
    "def f():\n    '''doc'''\n    s = '''a\\'''\ny = 1  # '''\n",
])
def test_joins_past_docstrings_that_mend(text):
    joined = BlockParser().parse(text)
    assert any(isinstance(node, ast.FunctionDef) for node in joined.body)
    assert _dump(joined) == _dump(_JoinsPastDocstrings().parse(text))


class _CountsBroken(BlockParser):
    def __init__(self) -> None:
        super().__init__()
        self.broken = 0

    def _parsed(self, *args, **kwargs):
        statements = super()._parsed(*args, **kwargs)
        self.broken += statements is None
        return statements


def test_a_call_typed_under_a_docstring_is_not_joined_with_the_methods_after_it():
    methods = "".join(f"    def m{n}(self):\n        return {n}\n\n" for n in range(90))
    text = ('class C:\n    def f(self):\n        """Doc."""\n        subprocess.call(cmd, sh\n\n'
            + methods)
    parser = _CountsBroken()
    module = parser.parse(text)
    assert parser.broken == 1  # the method typed in, alone
    assert [node.name for node in module.body[0].body] == ["f", *(f"m{n}" for n in range(90))]
    # read without the line being typed (block_mends.py)
    assert [type(node) for node in module.body[0].body[0].body] == [ast.Expr, ast.Pass]


# The lines a broken block left open may be closed by a block after the next one, which parses
# alone (`y`) while the one after it does not (`, z)`): at the top level, with blank lines or
# other statements between, without a docstring in the broken lines.
@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@pytest.mark.parametrize("text", [
    "x = g(a,\ny\n, z)\n",
    "x = g(a,\n\ny\n\n, z)\nw = 1\n",
    "x = g(a,\ny,\nw\n, z)\n",
    "def f():\n    return 1\nx = g(a,\ny\n, z)\ndef h():\n    return 2\n",
    "class C:\n    x = g(a,\n    y\n    , z)\n    def m(self):\n        return 1\n",
])
def test_a_bracket_closed_past_a_block_that_parses_alone(text):
    joined = BlockParser().parse(text)
    assert any(isinstance(node, ast.Assign) for node in ast.walk(joined))
    assert _dump(joined) == _dump(_JoinsAlways().parse(text))


@settings(max_examples=examples(300), deadline=None)
@given(lines=st.lists(st.text(" \t\r\x0c\x0b\x1c\x85\u2028\u3000\xa0a\\\"'#", max_size=6), max_size=5),
       indent=st.sampled_from(["", " ", "    ", "\t"]))
def test_broken_lines_are_read_whole_as_line_by_line(lines, indent):
    """`_closes_nothing` searches the broken lines joined: the same answers as reading each
    line holding more than white space (`str.strip`), with Unicode's white space."""
    held = [line for line in lines if line.strip()]
    joined = "\n".join(lines)
    assert _continued(lines) == bool(held and held[-1].rstrip().endswith("\\"))
    assert bool(indent and _unindented(indent).search(joined)) == bool(
        indent and not all(line.startswith(indent) for line in held))
    assert ('"""' in joined or "\'\'\'" in joined) == any('"""' in line or "\'\'\'" in line for line in held)

