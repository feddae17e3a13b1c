"""The fix planner keeps a function whole (header and body in one unit, `whole_functions`): a
header unit is a function's when, after its decorators, its statement is a `def`. The
expression that tells it reads each decorator line one way only (fixes/model.py); its speed on a
class under a long decorator is asserted by bench/hostile_inputs_bench.py."""

from __future__ import annotations

import re

import pytest

from bastion.fixes.model import _FUNCTION_HEADER

# the expression before: the same language, with every split of a line's leading blanks tried
BEFORE = re.compile(r"(?:[ \t]*@[^\n]*\n(?:[ \t]*[^\n]*\n)*?)?[ \t]*(?:async[ \t]+)?def\b")

HEADERS = [
    ("def f(x):\n", True),
    ("    async def handler(request):\n", True),
    ("@app.route('/x')\ndef view():\n", True),
    ("@app.route(\n    '/x',\n    methods=['POST'],\n)\nasync def view():\n", True),
    ("    @property\n    @cached\n    def value(self):\n", True),
    ("@dataclass\nclass Job:\n", False),
    ("@pytest.mark.parametrize(\n    'cmd',\n    ['a', 'b'],\n)\nclass TestRun:\n", False),
    ("class View(\n    Base,\n):\n", False),
    ("@decorator(default=1)\nclass Defaults:\n", False),
]


@pytest.mark.parametrize(("text", "function"), HEADERS)
def test_a_function_header_is_told_from_a_class_header(text, function):
    assert bool(_FUNCTION_HEADER.match(text)) is function
    assert bool(BEFORE.match(text)) is function  # the same answer as before


def test_a_class_under_a_long_decorator_is_not_a_function():
    rows = "".join(f"        'echo {index}',\n" for index in range(40))
    text = "@pytest.mark.parametrize(\n    'cmd',\n    [\n" + rows + "    ],\n)\nclass TestRun:\n"
    assert _FUNCTION_HEADER.match(text) is None
