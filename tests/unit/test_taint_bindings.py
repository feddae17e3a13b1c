"""Module-level containers: the text search for changes (bindings.py) must find every change the
syntax tree shows (it may find more: in doubt, a container is not a constant)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.container_changes import changed_in_text, changed_in_tree

# Uses of NAME in a function body: the changes first, then reads.
CHANGES = ["NAME[k] = v", "NAME [ k ] += 1", "del NAME[k]", "NAME.append(v)", "NAME.update(v)",
           "NAME.clear()", "fill(NAME)", "fill(x, NAME)", "fill(x, key=NAME)", "alias = NAME",
           "holder = [NAME]", "holder = {'k': NAME}", "return NAME", "NAME.setdefault(k, [])",
           "NAME[k][j] = v", "NAME.pop(k)", "yield NAME", "NAME[k].append(v)",
           "fill(len(k), NAME)", "x = len(fill(k, NAME))", "x = len(fill(k, key=NAME))",
           "x = print(k, alias := NAME)", "x = len(k, [NAME])", "fill(k, len(x), NAME)",
           "x = dict(k, a=NAME)",
           # the name as the value of `or` / `and` / a conditional expression is handed on too,
           # and so is an element of a starred display (`*[NAME]`: NAME itself, not its items)
           "fill(x, k or NAME)", "fill(k and NAME)", "fill(k if x else NAME)", "alias = k or NAME",
           "return k or NAME", "fill(x, key=k or NAME)", "x = [k if v else NAME]", "fill(*[k, NAME])"]
READS = ["x = NAME[k]", "x = NAME.get(k)", "if k in NAME:\n        pass", "x = len(NAME)",
         "x = ', '.join(NAME)", "for item in NAME:\n        pass", "x = NAME[k] == v",
         "print(NAME[k])", "x = sorted(NAME)", "x = NAME.keys()", "f(*NAME)", "x = k in NAME",
         "return k in NAME", "return k not in NAME", "x = [*NAME, k]", "x = (k, *NAME, v)",
         "x = {**NAME, 'k': v}", "f(x, *NAME, k)", "f(**NAME, x=k)", "print(k, NAME)",
         "x = url_has_allowed_host_and_scheme(k, allowed_hosts=NAME)",
         "x = http.url_has_allowed_host_and_scheme(k, allowed_hosts=NAME)",
         "x = sorted(f(k), key=len) == NAME", "x = json.dumps(v, NAME)",
         "if k or NAME:\n        pass", "x = len(k or NAME)", "x = json.dumps(k or NAME, indent=2)",
         "f(*(k or NAME))",
         # an operand of `+` is copied into the new vector (`["git", "log"] + names`)
         "x = NAME + [k]", "x = [k] + NAME", "fill(NAME + k)", "return NAME + k"]


def _module(body: list[str]) -> str:
    lines = "\n    ".join(body) or "pass"
    return f"NAME = {{'a': 'ls'}}\n\n\ndef f(k, v, x, fill, f):\n    {lines}\n"


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(CHANGES + READS), max_size=5))
def test_the_text_finds_every_change_the_tree_shows(body):
    text = _module(body)
    tree = ast.parse(text)
    in_tree = any("NAME" in changed_in_tree(node) for node in tree.body[1:])
    if in_tree:
        assert changed_in_text("NAME", text), text


def test_reads_leave_the_container_constant():
    assert not changed_in_text("NAME", _module(READS))
    for change in CHANGES:
        assert changed_in_text("NAME", _module([change])), change


def test_the_tree_hands_on_an_operand_that_may_be_the_value():
    for change in ("fill(x, k or NAME)", "fill(k and NAME)", "fill(k if x else NAME)",
                   "alias = k or NAME", "fill(x, key=k or NAME)", "fill(*[k, NAME])"):
        tree = ast.parse(_module([change]))
        assert any("NAME" in changed_in_tree(node) for node in tree.body[1:]), change
    for read in ("x = len(k or NAME)", "f(*(k or NAME))", "f(*NAME)", "if k or NAME:\n        pass"):
        tree = ast.parse(_module([read]))
        assert not any("NAME" in changed_in_tree(node) for node in tree.body[1:]), read


# Whether a module may bind its globals by name: the text's words and the tree agree, and a
# plugin loader's `import_module(name)` is not one (only the module importing itself is).
BY_NAME_CASES = [
    ("import importlib\nm = importlib.import_module(name)\n", False),
    ("from importlib import import_module\nimport_module('a.' + name)\n", False),
    ("mod = __import__(name)\n", False),
    ("import importlib\nsetattr(importlib.import_module(__name__), 'CMD', x)\n", True),
    ("from importlib import import_module\nimport_module(__name__).CMD = x\n", True),
    ("setattr(__import__(__name__), 'CMD', x)\n", True),
    ("import importlib\nsetattr(importlib.import_module( __name__ ), 'CMD', x)\n", True),
    ("import importlib\nimportlib.import_module(name=__name__).CMD = x\n", True),
    ("m = __import__(\n    __name__)\nm.CMD = x\n", True),
    ("import sys\nsetattr(sys.modules[__name__], 'CMD', x)\n", True),
    ("globals()['CMD'] = x\n", True),
    ("vars()['CMD'] = x\n", True),
]


def test_binding_by_name_is_the_module_reaching_itself():
    from bastion.analyzers.taint.bindings import _binds_by_name

    for text, expected in BY_NAME_CASES:
        body = ast.parse(text).body
        assert _binds_by_name(text, body) is expected, text
        assert _binds_by_name(None, body) is expected, text


def test_the_editors_word_gates_agree_with_the_text_and_the_trees():
    """The editor asks per edit through word gates (context_reuse.text_words): a module whose
    only such word is an import of another module keeps its constants there too."""
    from bastion.analyzers.taint.bindings import Bindings
    from bastion.analyzers.taint.context_reuse import text_words
    from bastion.engine.cache import LRU

    words = text_words(LRU(64))
    for text, expected in BY_NAME_CASES:
        text = "CMD = 'ls'\n" + text
        body = ast.parse(text).body
        for bindings in (Bindings(body, None, text), Bindings(body, None, None),
                         Bindings(body, LRU(64), text, words)):
            assert bindings.constant("CMD") is not expected, text
