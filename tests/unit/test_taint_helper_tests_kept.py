"""taint/function_keys.py: whether a callee is a guard helper (its body read as a test by its
callers) is kept by the callee's node. Over a document whose helpers are edited in and out of
guard-helper shape, parsed by the block parser (which hands back unedited nodes) with the
analyzer's shared cache, `helper_tests` answers as it does with nothing kept; and so does
`class_inputs` over classes whose bases and methods are edited (both read their answers by node
through one `nodes.LastCall` a tag and text: `CalleeMemo.last_call`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import class_inputs, function_texts, helper_tests
from bastion.analyzers.taint.helper_paths import helper_paths
from bastion.engine.cache import LRU

MODELS = load_models()
HEADER = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n"
# A guard helper's body, or one no guard helper has (a loop, too many statements).
BODIES = ["    if not p:\n        return False\n    return p.startswith('/srv')\n",
          "    return os.path.isabs(p)\n",
          "    for c in p:\n        pass\n    return True\n",
          "".join(f"    x{n} = p\n" for n in range(14)) + "    return True\n",
          # too long to be one, with a loop: none whatever the constants
          "    for c in ALLOWED:\n        pass\n" + "".join(f"    x{n} = p\n" for n in range(14))
          + "    return True\n",
          # a guard helper while ALLOWED is a module constant (helper_paths unrolls the loop)
          "    for pre in ALLOWED:\n        if p.startswith(pre):\n            return True\n"
          "    return False\n"]
# ALLOWED a constant, or not one: a looping helper is a guard helper by the module's constants
ALLOWED = ["ALLOWED = ('/srv/', '/tmp/')\n", "ALLOWED = list(os.environ)\n"]


def _module(bodies: list[int], allowed: int = 0) -> str:
    helpers = "".join(f"def helper{n}(p):\n{BODIES[b]}\n" for n, b in enumerate(bodies))
    calls = "".join(f"    if helper{n}(name):\n        name = name\n" for n in range(len(bodies)))
    return (HEADER + ALLOWED[allowed] + helpers
            + "@app.route('/v')\ndef view():\n    name = request.args['n']\n" + calls
            + "    return open(name).read()\n")


def _tests(text: str, parsed, cache: LRU | None) -> dict[str, list[bytes]]:
    module = module_context(parsed, MODELS, cache, None, text)
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
    return {f.name: helper_tests([(c, b"") for c in sorted(memo(f))], module, memo)
            for f in module.functions}


def _walked(text: str) -> dict[str, list[bytes]]:
    """The same, each callee's body walked (`helper_paths`), nothing kept."""
    module = module_context(BlockParser().parse(text), MODELS, None, None, text)
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), None)
    return {f.name: [memo.digest(module.function_named(c)) for c in sorted(memo(f))
                     if helper_paths(module.function_named(c).node, module.constants) is not None]
            for f in module.functions}


def _versions(first: list[int], edits: list[tuple[int, int, int]]):
    """The document's texts, one edit (a helper's new body, ALLOWED's value) after another."""
    bodies = list(first)
    yield _module(bodies)
    for at, body, allowed in edits:
        bodies[at % len(bodies)] = body
        yield _module(bodies, allowed)


@settings(max_examples=examples(50), deadline=None)
@given(first=st.lists(st.integers(0, len(BODIES) - 1), min_size=1, max_size=3),
       edits=st.lists(st.tuples(st.integers(0, 2), st.integers(0, len(BODIES) - 1),
                                st.integers(0, len(ALLOWED) - 1)), max_size=6))
def test_kept_answers_equal_nothing_kept(first, edits):
    parser, cache = BlockParser(), LRU(4096)
    for text in _versions(first, edits):
        assert _tests(text, parser.parse(text), cache) == _walked(text)


def _reads(monkeypatch) -> list[str]:
    """The names of the functions `helper_paths` reads from now on."""
    from bastion.analyzers.taint import helper_paths as paths

    read: list[str] = []

    def counting(node, *args):
        read.append(node.name)
        return helper_paths(node, *args)

    monkeypatch.setattr(paths, "helper_paths", counting)
    return read


def test_a_long_looping_callee_is_not_read_again_at_the_next_key(monkeypatch):
    """A callee too long to be a guard helper is none, its loop or not: kept by its node, not
    read again by the module's constants at each key (argparse.py's long methods with loops)."""
    read = _reads(monkeypatch)
    parser, cache = BlockParser(), LRU(4096)
    first, edited = _module([4, 0]), _module([4, 1])
    assert _tests(first, parser.parse(first), cache) == _walked(first)
    read.clear()
    assert _tests(edited, parser.parse(edited), cache)["view"] == _walked(edited)["view"]
    assert "helper0" not in read, read


def test_a_looping_guard_helper_is_read_again_only_when_its_constant_changes(monkeypatch):
    """A helper looping over ALLOWED is a guard helper by ALLOWED's value: kept with it (the
    same object while the top-level statements are the same nodes), not read again at a key in
    another function; read again when ALLOWED is rebound to another value."""
    read = _reads(monkeypatch)
    parser, cache = BlockParser(), LRU(4096)
    first, edited, rebound = _module([5, 0]), _module([5, 1]), _module([5, 1], allowed=1)
    assert _tests(first, parser.parse(first), cache) == _walked(first)
    read.clear()
    assert _tests(edited, parser.parse(edited), cache)["view"] == _walked(edited)["view"]
    assert "helper0" not in read, read
    read.clear()
    assert _tests(rebound, parser.parse(rebound), cache)["view"] == _walked(rebound)["view"]
    assert "helper0" in read, read


BASES = ["", "(dict)", "(Base)", "(Base, dict)"]


def _classes(classes: list[tuple[int, int]]) -> str:
    """Classes of the given bases, each with a method of an edited body and one calling a helper."""
    return HEADER + "class Base:\n    pass\n\n\n" + "".join(
        f"class Handler{n}{BASES[base]}:\n    def get(self, p):\n        return p + {body}\n\n"
        f"    def put(self, p):\n        return helper(p)\n\n\n"
        for n, (base, body) in enumerate(classes)) + "def helper(p):\n    return os.path.isabs(p)\n"


def _class_inputs(text: str, parsed, cache: LRU | None) -> dict[str, tuple]:
    module = module_context(parsed, MODELS, cache, None, text)
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
    return {f.name: (class_inputs(f, memo, module), helper_tests([(c, b"") for c in sorted(memo(f))],
                                                                  module, memo))
            for f in module.functions if f.class_node is not None}


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, len(BASES) - 1), st.integers(0, 2)), min_size=1,
                         max_size=3), min_size=1, max_size=5))
def test_kept_class_inputs_equal_nothing_kept(texts):
    parser, cache = BlockParser(), LRU(4096)
    for classes in texts:
        text = _classes(classes)
        assert _class_inputs(text, parser.parse(text), cache) == \
            _class_inputs(text, BlockParser().parse(text), None), texts
