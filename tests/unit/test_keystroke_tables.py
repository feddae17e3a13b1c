"""The tables a keystroke reads instead of asking each function or import again give the
answers of the questions they stand for: `Env.imported` (a set of the imports and the packages
above each), `Places.span` (read from the function, not from the sorted spans of all)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.places import Places
from bastion.analyzers.taint.wrappers import MODULE_BODY

_NAMES = st.lists(st.sampled_from(["a", "b", "os", "path", "a.b", "ab", ""]), min_size=1, max_size=3).map(
    ".".join)


@settings(max_examples=examples(200))
@given(st.sets(_NAMES, max_size=4), st.lists(_NAMES, min_size=1, max_size=3))
def test_imported_answers_as_every_import_read(imports, modules):
    env = Env({}, frozenset(imports))
    expected = any(i == m or i.startswith(m + ".") for m in modules for i in imports)
    assert env.imported(tuple(modules)) == expected


def test_imported_sees_an_import_met_after_it_was_asked():
    env = Env({}, frozenset({"os.path"}))
    assert env.imported(("os",)) and not env.imported(("flask",)) and not env.imported(("os.pa",))
    env.add_import(ast.parse("from flask import request").body[0])
    assert env.imported(("flask",)) and env.imported(("flask.request",))


TEXT = '''\
import os


@decorated
def first(x):
    return x


class Shop:
    def view(self):
        return 1

    def view(self):  # hides the one above
        return 2


def first(y):
    return y
'''


def test_span_of_a_function_is_that_of_the_sorted_table():
    module = module_context(ast.parse(TEXT), load_models(), text=TEXT)
    names = {f.name for f in module.functions} | {"missing", MODULE_BODY}
    direct = {name: Places(module).span(name) for name in names}
    table = Places(module)
    table.owner(0)  # builds the sorted table, which `span` reads from then
    assert direct == {name: table.span(name) for name in names}
    assert direct["first"] == (16, 17) and direct["Shop.view"] == (12, 13)
