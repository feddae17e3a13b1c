"""Class attributes holding a constant (taint/class_constants.py): which are, read from the
module's text (the editor, `bastion check`) and from its tree alone (workspace summaries) alike."""

from __future__ import annotations

import ast

import pytest

from bastion.analyzers.taint.bindings import Bindings
from bastion.analyzers.taint.class_constants import MAX_OCCURRENCES, class_constants
from bastion.analyzers.taint.context import fold_constant

HEAD = ("class Config:\n    SHELL = 'uptime'\n    ITEMS = ['a']\n    PAIR = ('a', 1)\n"
        "    def run(self):\n        return self.SHELL\n")
CASES = [
    (HEAD, {"Config.SHELL", "Config.PAIR"}),
    (HEAD + "def f():\n    g(Config.SHELL, shell=True)\n", {"Config.SHELL", "Config.PAIR"}),
    (HEAD + "Config.SHELL = load()\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    c.SHELL += 'x'\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    (c.SHELL, y) = 1, 2\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    del c.PAIR\n", {"Config.SHELL"}),
    (HEAD + "def f(c):\n    for c.SHELL in x:\n        pass\n", {"Config.PAIR"}),
    (HEAD + "def f(c, n):\n    setattr(c, n, 1)\n", set()),
    (HEAD + "def f(c):\n    c.__dict__.update(x)\n", set()),
    (HEAD + "class Config:\n    pass\n", set()),  # bound twice: either may be the one read
    ("class C:\n    if x:\n        A = 'a'\n    A = 'b'\n", set()),  # not plain assignments only
    ("class C:\n    A = 'a'\n    A = 'b'\n", set()),
]


def _found(source: str, text: str | None) -> tuple[set[str], dict]:
    tree = ast.parse(source)
    bindings = Bindings(tree.body, None, text)
    definitions = [n for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
    explicit, through_self = class_constants(definitions, bindings.once, fold_constant, text, tree)
    return set(explicit), {c: set(t) for c, t in through_self.items()}


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_constants_from_the_text_and_from_the_tree(source, expected):
    from_text = _found(source, source)
    assert from_text[0] == expected
    assert from_text == _found(source, None)
    assert from_text[1] == ({"Config": {n.split(".")[1] for n in expected}} if expected else {})


def test_self_reads_no_constant_another_class_binds_however_its_body_is_written():
    source = HEAD + "class Sub(Config):\n    if flag:\n        SHELL = 'other'\n"
    assert _found(source, source) == ({"Config.SHELL", "Config.PAIR"}, {"Config": {"PAIR"}})
    assert _found(source, None) == _found(source, source)


@pytest.mark.parametrize("header", ["class Color(Enum):", "class Color(Base):", "class Color(metaclass=M):",
                                    "@dataclass\nclass Color:"])
def test_a_class_a_base_or_metaclass_may_change_has_no_constants(header):
    source = f"{header}\n    RED = 'r'\n"
    assert _found(source, source) == (set(), {})


def test_a_class_derived_from_a_plain_class_of_the_module_has_its_constants():
    source = "class Base:\n    pass\nclass Repo(Base):\n    table = 'items'\n"
    assert _found(source, source) == ({"Repo.table"}, {"Repo": {"table"}})


def test_past_the_bound_of_attributes_looked_at_none_is_a_constant():
    """Each attribute of a candidate name is looked at in Python at every keystroke: a module
    where they are many (`p.x` everywhere) takes none as constant instead of spending the time."""
    reads = "".join(f"def f{i}(p):\n    return p.x\n" for i in range(MAX_OCCURRENCES + 1))
    assert _found("class P:\n    x = 0\n" + reads, None)[0] == {"P.x"}  # from the tree: no bound
    assert _found("class P:\n    x = 0\n" + reads, "class P:\n    x = 0\n" + reads) == (set(), {})
    fewer = "class P:\n    x = 0\n" + reads[:reads.index(f"def f{MAX_OCCURRENCES - 2}(")]
    assert _found(fewer, fewer)[0] == {"P.x"}
