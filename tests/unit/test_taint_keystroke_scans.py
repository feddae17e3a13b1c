"""A keystroke's passes over a module's definitions and a class's members tell each node by its
class (`node.__class__`), not by a call (`isinstance`), and the block parser's mends read down
the members whose lines hold the line asked (block_mends.py): each typing key reads every
top-level statement and every member of the class it edits (_pydecimal.py's Decimal: ~120), so
a call each was some 1,000 calls a key there. The module context they make is a fresh one's."""

from __future__ import annotations

import ast
import sys

from bastion.analyzers.taint import block_mends
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.model_files import load_models
from bastion.engine.cache import LRU

MODELS = load_models()
METHODS = "\n".join(f"    def m{i}(self, x):\n        self.f{i} = x\n        return x\n" for i in range(100))
FUNCTIONS = "\n".join(f"def f{i}(x):\n    return Big(x).m{i}(x)\n" for i in range(100))


def typed(digits: str) -> str:
    return (f"import os\n\n\nclass Big:\n    def __init__(self, a):\n        self.a = a\n\n{METHODS}\n"
            f"    def last(self):\n        return {digits}\n\n\n{FUNCTIONS}\nITEMS = [f0(1)]\n")


def _counted(wanted, run):
    calls = []
    sys.setprofile(lambda frame, event, arg: calls.append(arg) if wanted(event, arg) else None)
    try:
        found = run()
    finally:
        sys.setprofile(None)
    return found, len(calls)


def test_a_key_in_a_long_class_tests_no_member_by_a_call():
    parser, memo = BlockParser(memo=LRU(4096)), LRU(4096)

    def context(text: str):
        return module_context(parser.parse(text), MODELS, memo, text=text, lines=text.split("\n"))
    context(typed("1"))
    context(typed("12"))
    warm, tests = _counted(lambda event, arg: event == "c_call" and arg is isinstance,
                           lambda: context(typed("123")))
    assert tests < 300, tests  # 942 before
    fresh = module_context(ast.parse(typed("123")), MODELS, LRU(4096), text=typed("123"),
                           lines=typed("123").split("\n"))
    assert [(f.name, f.class_name, f.entry) for f in warm.functions] \
        == [(f.name, f.class_name, f.entry) for f in fresh.functions]
    assert (warm.class_instances, warm.declared_fields, warm.digest) \
        == (fresh.class_instances, fresh.declared_fields, fresh.digest)


def test_a_mend_in_a_long_class_asks_the_member_holding_its_line():
    tree = ast.parse(typed("1").replace("        return 1\n", "        pass\n"))
    big = tree.body[1]
    line = big.body[-1].body[0].lineno
    held, calls = _counted(lambda event, arg: event.endswith("call"),
                           lambda: block_mends._holds_pass(big, line, 8))
    assert held and calls < 20, calls  # 450 before: a call and a walk of each member's fields
    assert not block_mends._holds_pass(big, line, 4) and not block_mends._holds_pass(big, line - 1, 8)


def test_a_known_entry_model_is_read_without_a_test():
    """`classification` reads each entry function's model's repr at each key (60 in views.py)."""
    from bastion.analyzers.taint.function_keys import _entry_repr

    entry = MODELS.entries[0]
    first = _entry_repr(entry)
    again, tests = _counted(lambda event, arg: event == "c_call" and arg is isinstance,
                            lambda: _entry_repr(entry))
    assert again == first == repr(entry) and tests == 0  # one before
    assert _entry_repr(None) == "None" and _entry_repr("x") == "'x'"


def test_the_edited_function_is_walked_without_a_test_a_node():
    """text_facts walks the function a keystroke edits (each statement of a long one it edits)."""
    from bastion.analyzers.taint.text_facts import _walked

    body = "\n".join(f"    run(x{i}, self.h, key=k{i})\n    self.y{i}.go(super().z(), a.b)"
                     for i in range(30))
    node = ast.parse(f"def view(self):\n{body}").body[0]
    found, tests = _counted(lambda event, arg: event == "c_call" and arg is isinstance, lambda: _walked(node))
    assert tests == 0, tests  # 450 before
    plain, methods, attributes, receivers, supers, reads, stores, passed = found
    assert plain == {"run", "super"} and methods == {"h"} and attributes == {"go", "z"} and supers == {"z"}
    assert receivers == set() and reads == {"h", *(f"y{i}" for i in range(30))} and not stores
    assert passed == {*(f"x{i}" for i in range(30)), *(f"k{i}" for i in range(30))}
