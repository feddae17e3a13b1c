"""What a document's next module context keeps from the last one's (context_reuse.py): the
class shapes (`last_shapes`: a class node met again keeps its own bases resolved, fields,
constant body and `__init__` parameters) and the functions module-level lambdas and partials
stand for (`kept_wrapper`) equal those built from nothing for the same tree, after random edits
of imports, global kinds, wrappers, class headers and bodies; an unedited class is not read
again, and an unedited wrapper is the same node until its document is closed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import attrs
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_taint_context_reuse import edited

from bastion.analyzers.taint import classes
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.context_reuse import forget_document, last_shapes
from bastion.engine.cache import LRU

MODELS = load_models()
TEXT = '''import enum
import functools
import os
import subprocess
from factory import other as functool
from pydantic import BaseModel
from fastapi import Depends
from factory import make_base
Base = make_base()
sh = lambda cmd: os.system(cmd)
run = functools.partial(subprocess.run, shell=True)


class Color(enum.Enum):
    RED = "r"
    BLUE = "b"


class Item(BaseModel):
    name: str
    size: int = 0


class Query:
    def __init__(self, q: str, limit: int = 10):
        self.q = q


class Row(Base):
    id: int

    def save(self):
        return self.id


class Special(Item):
    extra: str
'''
LINES = ["import enum as BaseModel", "from pydantic import BaseModel as Base", "Base = other()",
         "Item = make_base()", "    flag: bool", "    def __init__(self, a: int):", "    GREEN = 'g'",
         "    value = compute()", "class Color(Base):", "class Item(Query):", "", "class Special(Row):",
         "from factory import make_base as enum", "sh = lambda c, d: os.popen(c)", "import os as functools",
         "run = functools.partial(os.system)", "sh = 1"]
CHARS = ["a", " ", "\n", "(", ":", "_", "#", "s"]
EDIT = st.tuples(st.sampled_from(["char", "delete", "line", "drop"]), st.integers(0, 10 ** 6),
                 st.sampled_from(CHARS), st.sampled_from(LINES))


def replay(edits: list[tuple], read) -> Iterator[tuple[str, object, object]]:
    """(text, `read` of its tree with what the last texts' contexts kept, `read` of it from
    nothing) for TEXT, then after each edit, parsed by one block parser."""
    parser = BlockParser()
    memo = LRU(4096)
    text = TEXT
    for edit in [None, *edits]:
        text = edited(text, edit) if edit is not None else text
        tree = parser.parse(text)
        yield text, read(tree, text, memo), read(tree, text, LRU(4096))


def shapes(tree, text: str, memo: LRU) -> dict:
    """The shapes `module_context` built for `tree` with `memo`, as it left them there."""
    module = module_context(tree, MODELS, memo, None, text)
    found = last_shapes(memo, module.env, module.kinds)
    assert found is not None
    return found


def functions(tree, text: str, memo: LRU) -> list:
    """The context's functions by their fields, their nodes as written out with their places."""
    module = module_context(tree, MODELS, memo, None, text)
    return [({name: getattr(f, name) for name in attrs.fields_dict(type(f))
              if name not in ("node", "class_node")}, ast.dump(f.node, include_attributes=True))
            for f in module.functions]


@settings(max_examples=examples(25), deadline=None)
@example([("char", TEXT.index("BaseModel\n") + 9, "s", "")])  # `BaseModel` no longer imported
@example([("char", TEXT.index("make_base()") + 9, "s", "")])  # `Base`'s kind another
@example([("line", 5, "a", "Item = make_base()")])
@example([("line", 14, "a", "    flag: bool")])  # a field added
@example([("line", 20, "a", "    def __init__(self, a: int):")])  # `__init__` replaced
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_kept_shapes_equal_fresh_ones(edits):
    for text, kept, fresh in replay(edits, shapes):
        assert kept == fresh, text


@settings(max_examples=examples(20), deadline=None)
@example([("line", 0, "a", "import os as functools")])  # the partial is no longer one
@example([("line", 4, "a", "")])  # the wrappers move down a line
@example([("char", TEXT.index("functool\n") + 8, "s", "")])  # `functools` no longer the module
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_kept_wrappers_equal_fresh_ones(edits):
    for text, kept, fresh in replay(edits, functions):
        assert kept == fresh, text


def test_an_unedited_wrapper_is_the_same_node():
    parser = BlockParser()
    memo = LRU(4096)
    before = module_context(parser.parse(TEXT), MODELS, memo, None, TEXT)
    text = TEXT.replace("size: int = 0", "size: int = 1")
    after = module_context(parser.parse(text), MODELS, memo, None, text)
    for name in ("sh", "run"):
        assert after.function_named(name).node is before.function_named(name).node


def test_a_closed_document_keeps_no_wrapper():
    parser = BlockParser()
    memo = LRU(4096)
    tree = parser.parse(TEXT)
    before = module_context(tree, MODELS, memo, None, TEXT)
    forget_document(memo)
    after = module_context(tree, MODELS, memo, None, TEXT)
    for name in ("sh", "run"):
        assert after.function_named(name).node is not before.function_named(name).node


def test_an_unedited_class_is_not_read_again(monkeypatch):
    parser = BlockParser()
    memo = LRU(4096)
    shapes(parser.parse(TEXT), TEXT, memo)
    read: list[str] = []
    original = classes._init_params

    def counted(node):
        read.append(node.name)
        return original(node)

    monkeypatch.setattr(classes, "_init_params", counted)
    text = TEXT.replace("return self.id", "return self.id + 1")
    kept = shapes(parser.parse(text), text, memo)
    assert read == ["Row"]
    assert [shape.init_params for shape in kept.values()][2][0][0] == "q"
