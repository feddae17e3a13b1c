"""`parse_code_at` places a part of a document at its lines, whichever way it shifts them
(leading newlines or `ast.increment_lineno`): the same tree either way."""

from __future__ import annotations

import ast

import pytest

from bastion import parsing
from bastion.parsing import parse_code, parse_code_at

PART = 'def view(request):\n    cmd = request.args["c"]  # é\n    return (\n        cmd)\n'
BOUND = parsing._PAD_PER_CHARACTER * len(PART)


@pytest.mark.parametrize("before", [0, 1, 499, 500, 501, BOUND - 1, BOUND, BOUND + 1, 10_000])
def test_a_part_parsed_at_a_line_is_the_part_shifted(before):
    expected = ast.increment_lineno(parse_code(PART), before)
    got = parse_code_at(PART, before)
    assert ast.dump(got, include_attributes=True) == ast.dump(expected, include_attributes=True)
    assert got.body[0].lineno == before + 1 and got.body[0].end_lineno == before + 4


def test_a_method_in_the_middle_of_a_long_module_is_not_walked(monkeypatch):
    """A 25-line method edited at line 3,200 of a 6,400-line module (_pydecimal.py's shape) is
    placed by leading newlines: walking its tree in Python cost more than they do (parsing.py)."""
    method = "".join(f"    value_{n} = other.compute({n}, context=ctx)\n" for n in range(25))
    part = "def _method(self, other, ctx=None):\n" + method
    assert 2 * len(part) < 3_200  # past the bound of twice its length, as before

    def walked(node, n):
        raise AssertionError("ast.increment_lineno walked the part")

    monkeypatch.setattr(parsing.ast, "increment_lineno", walked)
    tree = parse_code_at(part, 3_200)
    assert tree.body[0].lineno == 3_201 and tree.body[0].end_lineno == 3_226
