"""`stored_fields` finds the `self` fields a method stores from its statements' targets alone,
the same set as the walk of every node (`TextFacts.stores`), which it replaces where the other
facts of a method are not needed (`CalleeMemo.later` over a long class's methods)."""

from __future__ import annotations

import ast
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.text_facts import COMPREHENSION_STORE, stored_fields, text_facts

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# on every supported Python (zipfile.py became a package in 3.12)
MODULES = ["_pydecimal.py", "argparse.py", "configparser.py", "logging/__init__.py", "ftplib.py",
           "tarfile.py", "shutil.py", "imaplib.py", "asyncio/base_events.py", "email/message.py"]


def walked(node: ast.FunctionDef) -> frozenset[str]:
    return text_facts(Function(node, node.name), None).stores


@pytest.mark.parametrize("name", MODULES)
def test_the_targets_give_what_the_walk_of_every_node_gives(name):
    text = (STDLIB / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    methods = 0
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = "\n".join(lines[node.lineno - 1:node.end_lineno])
            if not COMPREHENSION_STORE.search(body):
                assert stored_fields(node) == walked(node), (name, node.name)
                methods += 1
    assert methods > 20


@pytest.mark.parametrize(("source", "fields"), [
    ("self.a, (self.b, *self.c) = x", {"a", "b", "c"}),
    ("[self.d, self.e] = y", {"d", "e"}),
    ("self.f += 1\nself.g: int = 2\nself.h: int", {"f", "g", "h"}),
    ("del self.i, x", {"i"}),
    ("for self.j in z:\n    pass\nelse:\n    self.k = 1", {"j", "k"}),
    ("with open(p) as self.l, open(q) as (self.m, n):\n    pass", {"l", "m"}),
    ("try:\n    self.n = 1\nexcept E:\n    self.o = 2\nelse:\n    self.p = 3\nfinally:\n    self.q = 4",
     {"n", "o", "p", "q"}),
    ("match v:\n    case 1:\n        self.r = 1", {"r"}),
    ("def inner():\n    self.s = 1\nclass C:\n    t = 1", {"s"}),
    ("self.x[0] = 1\nself.y.z = 2\nother.u = 3\nself.v == 4", set()),
    ("self.parts.append(x)\nwhile c:\n    self.w = 1\nelse:\n    del (self.a2)", {"parts", "w", "a2"}),
    ("async def inner():\n    async for self.b2 in it:\n        async with c as self.c2:\n            pass",
     {"b2", "c2"}),
    pytest.param("try:\n    pass\nexcept* E:\n    self.d2 = 1\n'doc'\nprint(self.e2)", {"d2"},
                 marks=pytest.mark.skipif(sys.version_info < (3, 11), reason="3.11 syntax")),
])
def test_each_kind_of_target(source, fields):
    node = ast.parse("def method(self):\n" + textwrap.indent(source, "    ")).body[0]
    assert stored_fields(node) == walked(node) == fields


def test_a_comprehension_that_stores_is_told_from_the_text():
    assert COMPREHENSION_STORE.search("    return [1 for self.x in items]")
    assert COMPREHENSION_STORE.search("    for (self.a, b) in pairs:")
    assert not COMPREHENSION_STORE.search("    for item in self.items:")


def test_a_factory_stores_on_any_name():
    node = ast.parse("def make(cls):\n    inst = cls()\n    inst.a, self.b = 1, 2\n"
                     "    other.c.append(3)\n    return inst").body[0]
    assert stored_fields(node, holder=None) == {"a", "b"}


def test_a_simple_statement_is_told_without_a_call():
    """The first key making a long class's method relevant asks this of every method of it
    (116 in _pydecimal.py's `Decimal`): a simple statement's class is read, not tested."""
    body = "\n".join(f"    x{i} = self.f(y)\n    z{i} += 1\n    print(z{i})" for i in range(100))
    node = ast.parse(f"def method(self):\n{body}\n    self.last = 1").body[0]
    calls = []
    sys.setprofile(lambda frame, event, arg: calls.append(event) if event.endswith("call") else None)
    try:
        found = stored_fields(node)
    finally:
        sys.setprofile(None)
    assert found == {"last"}
    assert len(calls) < 20  # 5,120 before: tests of each statement's class, its fields read
