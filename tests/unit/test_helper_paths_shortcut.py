"""helper_paths answers a function without a `for` loop without looking for its locals and the
module's constants (a scan's speed-up): the answer must be the general path's, given no loop,
for every small function of a few standard-library modules, whatever the constants."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest

from bastion.analyzers.taint import helper_paths as hp
from bastion.analyzers.taint.domain import CLEAN, constant

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
_LOOPING = '''
def allowed(url):
    if url:
        for prefix in ALLOWED:
            if url.startswith(prefix):
                return True
    return False

def allowed_sorted(url):
    for prefix in sorted(ALLOWED):
        if url.startswith(prefix):
            return True
    return False
'''


def _functions():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    texts = [_LOOPLESS, _LOOPING, *((stdlib / m).read_text() for m in _MODULES)]
    trees = [ast.parse(text) for text in texts]
    return [n for tree in trees for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


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


def _shape(paths):
    """The paths as text: an unrolled loop's assignments are new nodes at each call."""
    if paths is None:
        return None
    return [([ast.dump(s) if isinstance(s, ast.AST) else (ast.dump(s[0]), s[1]) for s in path.steps],
             ast.dump(path.returned)) for path in paths]


def test_a_function_with_a_loop_gets_the_general_answer():
    """The loops are found by `nodes` (no order): every function with a `for`, even one nested
    in another statement or function, takes the general path with every loop's iterable."""
    constants = {"ALLOWED": constant(("https://a.example/", "https://b.example/"))}
    looping = unrolled = 0
    for node in _functions():
        loops = [n.iter for n in ast.walk(node) if isinstance(n, ast.For)]
        body = hp._small_body(node)
        if not loops or body is None:
            continue
        looping += 1
        for shadowed in (frozenset(), frozenset({"sorted"})):
            expected = _shape(hp._looping(node, body, loops, constants, shadowed))
            assert _shape(hp.helper_paths(node, constants, shadowed)) == expected
            unrolled += expected is not None
    assert looping > 5 and unrolled >= 3  # both helpers unrolled, `sorted` not when shadowed
