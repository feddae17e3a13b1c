"""helper_paths answers a function without a `for` loop without looking for its locals and the
module's constants (a scan's speed-up): the answer must be the general path's, given no loop,
for every small function of a few standard-library modules, whatever the constants."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest

from bastion.analyzers.taint import helper_paths as hp
from bastion.analyzers.taint.domain import CLEAN

_MODULES = ("posixpath.py", "shlex.py", "ipaddress.py", "urllib/parse.py", "email/utils.py")
_LOOPLESS = '''
def is_safe(path, base="/srv"):
    """docstring"""
    full = os.path.normpath(path)
    if not full:
        return False
    try:
        int(path)
    except ValueError:
        return False
    return full.startswith(base + os.sep)
'''


def _functions():
    trees = [ast.parse(_LOOPLESS)] + [ast.parse((Path(sysconfig.get_paths()["stdlib"]) / m).read_text())
                                      for m in _MODULES]
    return [n for tree in trees for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("shadowed", [frozenset(), frozenset({"sorted", "tuple", "list"})])
def test_a_function_without_loops_gets_the_general_answer(shadowed):
    functions = _functions()
    constants = {"ALLOWED": CLEAN, "base": CLEAN}
    answered = 0
    for node in functions:
        if any(isinstance(n, ast.For) for n in ast.walk(node)):
            continue
        body = hp._small_body(node)
        expected = None if body is None else hp._looping(node, body, [], constants, shadowed)
        assert hp.helper_paths(node, constants, shadowed) == expected, ast.unparse(node)[:200]
        answered += expected is not None
    assert answered > 20  # the corpus has guard-shaped functions, not only rejected ones
