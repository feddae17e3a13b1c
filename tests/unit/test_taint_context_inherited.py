"""`ModuleContext.inherited` keeps its answers by class and method (context_record.py): after any
sequence of look-ups, functions added (the summary store extends the list) and another table of
parents, each answer equals a fresh record's over the same functions and parents; and a
document's next context takes the last one's answers (context_reuse.keep_inherited) only while
its function names and parents are the same: after any sequence of texts, each answer is the
one of a context built from nothing."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint import entries
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.engine.cache import LRU

MODELS = load_models()
TEXT = """class Base:
    def run(self):
        pass


class Sub(Base):
    pass


class Leaf(Sub):
    pass
"""
STEP = st.tuples(st.sampled_from(["ask", "define", "orphan"]),
                 st.sampled_from(["Base", "Sub", "Leaf", "subprocess"]), st.sampled_from(["__init__", "run"]))


@settings(max_examples=examples(150), deadline=None)
@example([("ask", "Leaf", "__init__"), ("define", "Base", "__init__"), ("ask", "Leaf", "__init__")])
@example([("ask", "Leaf", "run"), ("orphan", "Leaf", "run"), ("ask", "Leaf", "run")])
@given(st.lists(STEP, min_size=1, max_size=12))
def test_an_inherited_method_is_the_one_of_the_functions_and_parents_as_they_are(steps):
    module = module_context(BlockParser().parse(TEXT), MODELS, None, None, TEXT)
    assert module.parents["Leaf"] == ("Sub", "Base")
    node = module.functions[0].node
    for step, cls, method in steps:
        if step == "define":
            module.functions.append(entries.Function(node, f"{cls}.{method}"))
        elif step == "orphan":  # the class no longer derives from the module's classes
            module.parents = {name: ancestors for name, ancestors in module.parents.items() if name != cls}
        fresh = ModuleContext(module.env, {}, {}, list(module.functions), b"", parents=dict(module.parents))
        assert module.inherited(cls, method) == fresh.inherited(cls, method), steps


def variant(base_init: bool, sub_derives: bool, leaf_runs: bool) -> str:
    init = "    def __init__(self):\n        pass\n" if base_init else ""
    run = "    def run(self):\n        pass\n" if leaf_runs else "    pass\n"
    return (f"class Base:\n{init}    def run(self):\n        pass\n\n\n"
            f"class Sub{'(Base)' if sub_derives else ''}:\n    pass\n\n\nclass Leaf(Sub):\n{run}")


ASKED = [(cls, method) for cls in ("Base", "Sub", "Leaf", "subprocess") for method in ("__init__", "run")]


@settings(max_examples=examples(100), deadline=None)
@example([(False, True, False), (True, True, False)])  # `Base.__init__` added: Leaf's is it
@example([(False, True, False), (False, False, False)])  # Sub no longer derives from Base
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=6))
def test_a_next_context_takes_the_answers_of_the_same_names_and_parents_alone(texts):
    memo = LRU(4096)
    for flags in texts:
        text = variant(*flags)
        warm = module_context(BlockParser().parse(text), MODELS, memo, None, text)
        fresh = module_context(BlockParser().parse(text), MODELS, None, None, text)
        assert [warm.inherited(*asked) for asked in ASKED] == \
            [fresh.inherited(*asked) for asked in ASKED], texts
