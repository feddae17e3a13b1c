"""`parse_code_at` places a part of a document at its lines, whichever way it shifts them
(leading newlines or `ast.increment_lineno`): the same tree either way."""

from __future__ import annotations

import ast

import pytest

from bastion.parsing import parse_code, parse_code_at

PART = 'def view(request):\n    cmd = request.args["c"]  # é\n    return (\n        cmd)\n'


@pytest.mark.parametrize("before", [0, 1, 499, 500, 501, 2 * len(PART), 2 * len(PART) + 1, 10_000])
def test_a_part_parsed_at_a_line_is_the_part_shifted(before):
    expected = ast.increment_lineno(parse_code(PART), before)
    got = parse_code_at(PART, before)
    assert ast.dump(got, include_attributes=True) == ast.dump(expected, include_attributes=True)
    assert got.body[0].lineno == before + 1 and got.body[0].end_lineno == before + 4
