"""Guards over a constant written with a filter or a copy (issue 12): `any(url.startswith(p)
for p in ALLOWED if cond)` proves only what a kept element proves (a subset of the constant),
and `not any(...)` / `all(...)` with a filter that may drop an element proves nothing of it;
loops and generators over `sorted(ALLOWED)`, `tuple(ALLOWED)`, `list(ALLOWED)` read the
constant's elements (`sorted`'s in sorted order, a set's copy in no known order). Each guard has
a twin that lets the open redirect through: the "/" prefix, kept, lets any host in
(`//evil.example`)."""

from __future__ import annotations

import ast

import pytest
from tests.unit.test_taint_loop_guards import INLINE, LOOP, _constants, _function

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.helper_paths import helper_paths

ANALYZER = TaintAnalyzer()
MORE = """FLAG = bool(__name__)
ONE = ('https://example.com/',)
OPEN_SET = {'https://example.com/', '/'}
OURS_SET = {'https://example.com/', '/account/'}


def is_sorted_ours(url):
    for prefix in sorted(OURS_SET):
        if url.startswith(prefix):
            return True
    return False


def is_sorted_open(url):
    for prefix in sorted(OPEN_SET):
        if url.startswith(prefix):
            return True
    return False


"""


def reported(test: str) -> bool:
    """Whether the view of INLINE, guarded by `if not {test}: abort(400)`, still redirects to
    request data (ALLOWED and OPEN: test_taint_loop_guards.py; FLAG is not known)."""
    source = INLINE.format(test=test).replace("OPEN = (", MORE + "OPEN = (")
    found = ANALYZER.analyse_file(source, "views.py")
    return [f.rule_id for f in found if f.rule_id.startswith("BST2")] == ["BST210"]


@pytest.mark.parametrize(("test", "found"), [
    # a filtered `any`: what a kept element proves
    ("any(nxt.startswith(p) for p in OPEN if p != '/')", False),  # "/" dropped
    ("any(nxt.startswith(p) for p in OPEN if p)", True),  # "/" kept
    ("any(nxt.startswith(p) for p in OPEN if p == '/')", True),
    ("any(nxt.startswith(p) for p in ALLOWED if FLAG)", False),  # kept or not, a subset
    ("any(nxt.startswith(p) for p in OPEN if FLAG)", True),
    ("any(nxt.startswith(p) for p in OPEN if p != '/' and FLAG)", False),
    ("any(nxt.startswith(p) for p in OPEN if p != '/' or FLAG)", True),
    ("not all(not nxt.startswith(p) for p in OPEN if p != '/')", False),
    ("not all(not nxt.startswith(p) for p in OPEN if p)", True),
    # every kept element's test: nothing of an element the filter may drop
    ("not any(not nxt.startswith(p) for p in ONE)", False),
    ("not any(not nxt.startswith(p) for p in ONE if FLAG)", True),
    ("not any(not nxt.startswith(p) for p in ONE if p)", False),
    ("not any(not nxt.startswith(p) for p in ONE if not p)", True),  # every element dropped
    ("all(nxt.startswith(p) for p in ONE if FLAG)", True),
    ("all(nxt.startswith(p) for p in ONE if p)", False),
    # a copy of the constant
    ("any(nxt.startswith(p) for p in sorted(ALLOWED))", False),
    ("any(nxt.startswith(p) for p in list(ALLOWED))", False),
    ("any(nxt.startswith(p) for p in tuple(OPEN))", True),
    ("any(nxt.startswith(p) for p in sorted(OPEN_SET))", True),
    ("any(nxt.startswith(p) for p in sorted(OPEN_SET) if p != '/')", False),
    # a guard helper looping over a sorted set
    ("is_sorted_ours(nxt)", False),
    ("is_sorted_open(nxt)", True),
])
def test_guards_over_a_filtered_or_copied_constant(test, found):
    assert reported(test) == found


def _paths(iterated: str, module: str) -> list:
    paths = helper_paths(_function(LOOP.format(iterated=iterated)), _constants(module))
    return [([ast.unparse(s) if isinstance(s, ast.AST) else (ast.unparse(s[0]), s[1]) for s in p.steps],
             ast.unparse(p.returned)) for p in paths]


def test_a_loop_over_a_sorted_set_runs_in_sorted_order():
    tested = "url.startswith(p)"
    assert _paths("sorted(PREFIXES)", "PREFIXES = {'/b/', '/a/'}\n") == [
        (["p = '/a/'", (tested, True)], "True"),
        (["p = '/a/'", (tested, False), "p = '/b/'", (tested, True)], "True"),
        (["p = '/a/'", (tested, False), "p = '/b/'", (tested, False)], "False")]


@pytest.mark.parametrize("copy", ["tuple", "list"])
def test_a_loop_over_a_copied_set_tries_each_element_alone(copy):
    tested = "url.startswith(p)"
    assert _paths(f"{copy}(PREFIXES)", "PREFIXES = {'/b/', '/a/'}\n") == [
        (["p = '/a/'", (tested, True)], "True"),
        (["p = '/b/'", (tested, True)], "True"),
        (["p = '/a/'", (tested, False), "p = '/b/'", (tested, False)], "False")]


def test_a_loop_over_a_copied_tuple_keeps_its_order():
    assert _paths("list(PREFIXES)", "PREFIXES = ('/b/', '/a/')\n")[0][0][0] == "p = '/b/'"


@pytest.mark.parametrize("function", [
    LOOP.format(iterated="sorted(MIXED)"),  # Python cannot order them: the loop raises
    "def f(url, sorted=reversed):\n    for p in sorted(PREFIXES):\n        if url.startswith(p):\n"
    "            return True\n    return False\n",
])
def test_no_guard_helper_sorts_what_python_cannot_or_its_own_sorted(function):
    constants = _constants("MIXED = ('a', 1)\nPREFIXES = ('/b/', '/a/')\n")
    assert helper_paths(_function(function), constants) is None


SHADOWS = {  # the module binds the builtin's name: its call copies nothing known
    "def": "def sorted(items):\n    return ['/']\n",
    "assigned": "sorted = lambda items: ['/']\n",
    "imported": "from helpers import order as sorted\n",
    "starred": "from helpers import *\n",
    "global": "def setup():\n    global sorted\n    sorted = reversed\n",
}
# ... or only a name of its own, or a function's local of that name: the builtin's copy
KEPT = {"other": "def sorted_prefixes(items):\n    return ['/']\n",
        "local": "def setup(items):\n    sorted = reversed\n    return sorted(items)\n"}


def _shadowed(copy: str, test: str, shadow: str) -> bool:
    """Whether the view guarded by `test` (with `is_sorted_ours` looping over `{copy}(...)`)
    redirects, the module ending with `shadow` binding `copy`."""
    module = MORE.replace("sorted(", f"{copy}(") + "OPEN = ("
    source = INLINE.format(test=test.format(copy=copy)).replace("OPEN = (", module)
    found = ANALYZER.analyse_file(source + "\n\n" + shadow.replace("sorted", copy), "views.py")
    return [f.rule_id for f in found if f.rule_id.startswith("BST2")] == ["BST210"]


@pytest.mark.parametrize("copy", ["sorted", "tuple", "list"])
@pytest.mark.parametrize("test", ["any(nxt.startswith(p) for p in {copy}(ALLOWED))", "is_sorted_ours(nxt)"])
@pytest.mark.parametrize(("shadow", "found"), [*((s, True) for s in SHADOWS.values()),
                                               *((s, False) for s in KEPT.values())])
def test_a_module_binding_the_copys_name_makes_no_guard(copy, test, shadow, found):
    assert _shadowed(copy, test, shadow) == found
