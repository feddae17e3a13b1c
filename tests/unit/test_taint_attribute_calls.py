"""The attribute calls on imported names that relevance.py asks the workspace summaries about
(`http.query_arg(...)`, `_module_helpers`) are searched function by function and kept by each
function node across texts (`CalleeMemo.found_in`): a keystroke searches only the function it
changed, and what is found equals a search of the whole text."""

from __future__ import annotations

import re

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.engine.cache import LRU

MODELS = load_models()
READ = re.compile(r"(?<![\w.])(http|db)\s*\.\s*([A-Za-z_]\w*)\s*\(")
TEXT = """from app.utils import http, db
import os

def search():
    return db.by_name(http.query_arg("q"))

def other(x):
    return os.path.join("a", x)

def third():
    return http . cookie ("c")

class Repo:
    def read(self):
        return db.fetch(self.name)

http.setup()
"""


class Counting:
    """The pattern, counting the texts it searches."""

    def __init__(self) -> None:
        self.pattern = READ.pattern
        self.searched: list[str] = []

    def findall(self, text: str) -> list:
        self.searched.append(text)
        return READ.findall(text)


def found(parser: BlockParser, text: str, cache: LRU, pattern: Counting) -> set:
    tree = parser.parse(text)
    lines = python_lines(text)
    module = module_context(tree, MODELS, cache, None, text)
    memo = CalleeMemo(module, function_texts(module, lines), cache, lines)
    return memo.found_in(module.functions, pattern)


def test_a_keystroke_searches_only_the_function_it_changed():
    parser, cache = BlockParser(), LRU(4096)
    first = Counting()
    assert found(parser, TEXT, cache, first) == set(READ.findall(TEXT))
    assert len(first.searched) >= 4  # every function, the module's body too
    edited = TEXT.replace('http.query_arg("q")', 'http.query_arg("name")')
    again = Counting()
    assert found(parser, edited, cache, again) == set(READ.findall(edited))
    assert again.searched == ['def search():\n    return db.by_name(http.query_arg("name"))']


def test_a_function_hidden_by_a_later_one_of_its_name_is_searched_in_its_own_text():
    """The first `search` is `search@1` (rebound.py), with its own text: what it reads is found,
    as the whole text's search finds it."""
    text = TEXT + '\ndef search():\n    return "constant"\n'
    assert found(BlockParser(), text, LRU(4096), Counting()) == set(READ.findall(text))
