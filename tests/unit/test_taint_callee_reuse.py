"""What `CalleeMemo` keeps of a function node across texts (callee_records.py's `NodeRecord`: the
text digest, the text's facts, its stored fields, its source searches, a module-level function's
callees and its analysis cache key; and what `later` reads of each member of a class) equals what
a memo without a cache finds in the same tree, after random edits of a document whose block
parser reuses the unedited functions' nodes; and an unedited function's callees are not found
again."""

from __future__ import annotations

from hypothesis import example, given, settings
from tests.hypothesis_budget import examples
from tests.unit.block_documents import block_versions, documents

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_key, function_texts, helper_tests, uncached_key
from bastion.analyzers.taint.relevance import _module_trigger
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.engine.cache import LRU

MODELS = load_models()
HEADER = "import os\nfrom flask import Flask, request\nfrom fastapi import Depends\napp = Flask(__name__)\n"
# blocks whose callees depend on other blocks: a name defined or not, a class's ancestors, a
# global's kind, a dependency
BLOCKS = [
    "def helper(value):\n    return run(value)",
    "def run(cmd):\n    os.system(cmd)",
    "def run(cmd, extra):\n    return cmd",
    "def user(q=Depends(helper)):\n    return q",
    "@app.route('/a')\ndef view():\n    return helper(request.args['q'])",
    "@app.route('/b')\ndef other():\n    REPO.read(request.args['q'])\n    return Repo('x').read('y')",
    "REPO = Repo('root')",
    "REPO = Base('root')",
    "class Base:\n    def __init__(self, root):\n        self.root = root\n    def read(self, name):\n"
    "        return open(self.root + name)",
    "class Repo(Base):\n    def configure(self, root):\n        self.root = root\n"
    "    def fetch(self):\n        return self.read(self.root)",
    "class Repo:\n    def read(self, name):\n        return run(name)",
    "def passed():\n    pool.submit(run, request.args['x'])",
    "def loop(self):\n    return [self.x for self.x in range(3)]",
    "@app.route('/c')\ndef third():\n    return helper(request)",
    # a field another method of the lineage sets, or a factory on the instance it builds, or not
    "class Base:\n    def __init__(self, root):\n        self.root = root\n    def read(self, name):\n"
    "        self.last = name\n        return open(self.root + name)",
    "class Repo(Base):\n    def recent(self):\n        return self.last",
    "class Repo(Base):\n    @classmethod\n    def build(cls, name):\n        inst = cls('/')\n"
    "        inst.last = name\n        return inst\n    def recent(self):\n        return self.last",
]


def memo_answers(tree, text, cache):
    lines = python_lines(text)
    module = module_context(tree, MODELS, cache, None, text)
    memo = CalleeMemo(module, function_texts(module, lines), cache)
    found = _module_trigger(module, MODELS, memo)
    trigger = found[0] if found is not None else None  # (the expression, its needles)
    answers = {}
    # stores first: a record's stores may be found before its facts, as `later` finds them
    for f in module.functions:
        answers[f.name] = [memo.stores(f) if f.name != MODULE_BODY else None]
    for f in module.functions:
        answers[f.name] += [memo.digest(f), sorted(memo(f)), memo.facts(f), memo.later(f),
                            memo.judged(f), trigger is not None and memo.reads_source(f, trigger)]
    for f in module.functions:  # the cache key (callees' fingerprints stood for by their names)
        callees = [(c, c.encode()) for c in sorted(memo(f))]
        answers[f.name].append(function_key(f, memo, module, MODELS, callees) if cache is not None
                               else uncached_key(f, memo.digest(f), module, MODELS, callees, memo.later(f),
                                                 memo.texts[f.name], helper_tests(callees, module, memo)))
    return answers


@settings(max_examples=examples(100), deadline=None)
@example([[6, 5, 10, 8], [7, 5, 10, 8]])  # `REPO.read` is another class's: a global's kind
@example([[0, 4], [0, 1, 4]])  # `run` defined: the module's function names
@example([[0, 4], [0, 4, 13]])  # `helper` handed the request: its request kinds
@example([[], [0, 0]])  # two functions of one name: the first's key is its own
@example([[14, 15], [8, 15], [8, 16], [8, 15]])  # what `later` reads of a member: by its node
@given(block_versions(BLOCKS))
def test_kept_node_facts_equal_a_fresh_memo(versions):
    cache = LRU(4096)
    for text, tree in documents(HEADER, BLOCKS, versions):
        assert memo_answers(tree, text, cache) == memo_answers(tree, text, None), text


def _analysed_once() -> tuple[BlockParser, LRU, str]:
    """A parser and a cache that analysed a text of a helper, its callee and a view."""
    parser = BlockParser()
    cache = LRU(4096)
    text = HEADER + BLOCKS[0] + "\n\n" + BLOCKS[1] + "\n\n" + BLOCKS[4] + "\n"
    memo_answers(parser.parse(text), text, cache)
    return parser, cache, text


def test_an_unedited_functions_callees_are_not_found_again(monkeypatch):
    parser, cache, text = _analysed_once()
    found = []
    original = CalleeMemo._callees
    monkeypatch.setattr(CalleeMemo, "_callees",
                        lambda self, function: found.append(function.name) or original(self, function))
    edited = text.replace("request.args['q']", "request.args['r']")
    answers = memo_answers(parser.parse(edited), edited, cache)
    assert found == ["view"]  # the module's statements are the same nodes: its function is kept
    assert answers["helper"][2] == ["run"]
    # a function defined anew changes the module's shape: every callee set is found again
    found.clear()
    added = edited + "\ndef extra():\n    pass\n"
    memo_answers(parser.parse(added), added, cache)
    assert sorted(found) == sorted(["extra", "helper", "run", "view", MODULE_BODY])


def test_an_unedited_functions_record_is_the_last_texts(monkeypatch):
    """The next text's memo takes the records of the last text's nodes by the node
    (callee_records.last_records), not from the LRU: only the edited function's is looked up."""
    parser, cache, text = _analysed_once()
    asked = []
    original = LRU.get

    def counting(self, key):
        if isinstance(key, tuple) and key[:1] == ("text digest",):
            asked.append(key)
        return original(self, key)

    monkeypatch.setattr(LRU, "get", counting)
    edited = text.replace("request.args['q']", "request.args['r']")
    tree = parser.parse(edited)
    memo_answers(tree, edited, cache)
    assert asked == [("text digest", id(tree.body[-1]))]  # the view's new node
