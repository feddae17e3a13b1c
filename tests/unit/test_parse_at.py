"""`parse_code_at` places a part of a document at its lines, whichever way it shifts them
(leading newlines, a string of newlines dropped from the tree, or `ast.increment_lineno`): the
same tree either way, and the same error where the part does not parse."""

from __future__ import annotations

import ast
import random
import re
import sysconfig
from pathlib import Path

import pytest

from bastion import parsing
from bastion.parsing import parse_code, parse_code_at

PART = 'def view(request):\n    cmd = request.args["c"]  # é\n    return (\n        cmd)\n'
BOUND = parsing._STRING_PER_CHARACTER * len(PART)


def _error(error: Exception) -> str:
    """Without its numbers: "(detected at line N)" is the part's own line where the tree is
    shifted after parsing, as before; the engine reads only "too many ..." and the block parser
    "... was never closed"."""
    text = error.msg if isinstance(error, SyntaxError) else str(error)
    return f"{type(error).__name__}: {re.sub(r'[0-9]+', 'N', text)}"


def _placed(source: str, before: int) -> str:
    """The tree of `source` after `before` blank lines, or its error."""
    try:
        return ast.dump(parse_code("\n" * before + source), include_attributes=True)
    except (SyntaxError, ValueError) as error:
        return _error(error)


def _at(source: str, before: int) -> str:
    try:
        return ast.dump(parse_code_at(source, before), include_attributes=True)
    except (SyntaxError, ValueError) as error:
        return _error(error)


@pytest.mark.parametrize("before", [0, 1, 2, 3, 499, 500, 501, BOUND - 1, BOUND, BOUND + 1, 10_000])
def test_a_part_parsed_at_a_line_is_the_part_shifted(before):
    expected = ast.increment_lineno(parse_code(PART), before)
    got = parse_code_at(PART, before)
    assert ast.dump(got, include_attributes=True) == ast.dump(expected, include_attributes=True)
    assert got.body[0].lineno == before + 1 and got.body[0].end_lineno == before + 4


def test_a_method_in_the_middle_of_a_long_module_is_not_walked(monkeypatch):
    """A 25-line method edited at line 3,200 of a 6,400-line module (_pydecimal.py's shape) is
    placed by a string of newlines: walking its tree in Python cost more (parsing.py)."""
    method = "".join(f"    value_{n} = other.compute({n}, context=ctx)\n" for n in range(25))
    part = "def _method(self, other, ctx=None):\n" + method
    assert 2 * len(part) < 3_200  # past the bound of twice its length, as before

    def walked(node, n):
        raise AssertionError("ast.increment_lineno walked the part")

    monkeypatch.setattr(parsing.ast, "increment_lineno", walked)
    tree = parse_code_at(part, 3_200)
    assert tree.body[0].lineno == 3_201 and tree.body[0].end_lineno == 3_226


@pytest.mark.parametrize("before", [2, 40, 3_000])
def test_a_future_import_after_a_docstring_still_parses(before):
    """The string placing it is a statement before the docstring: only the compiler would say
    that the import does not come first."""
    part = '"""A module."""\nfrom __future__ import annotations\nx: int = 1\n'
    assert _at(part, before) == _placed(part, before)
    assert "Module(body=[Expr(" in _at(part, before)


def test_parts_of_the_standard_library_cut_anywhere_parse_as_after_blank_lines():
    """Whole and cut (mid-edit) parts, at lines each way of placing them takes: the same tree,
    or the same error (the block parser reads "was never closed" from it)."""
    rng = random.Random(105)
    paths = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    for path in rng.sample(paths, 40):
        lines = path.read_text(encoding="utf-8").split("\n")
        for _ in range(6):
            start = rng.randrange(len(lines))
            part = "\n".join(lines[start:start + rng.randint(1, 60)])
            if rng.random() < 0.5:
                part = part[:rng.randint(0, len(part))]
            for before in (2, 3, rng.randint(4, 700), rng.randint(700, 9_000)):
                assert _at(part, before) == _placed(part, before), (path.name, start, before)
