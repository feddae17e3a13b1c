"""A function's classification is kept by its header's text (classified.py), not its node: after
seeded edits that move the functions below them (Enter, a deleted line, a pasted block, an
indent changed) or change what classifies them (a decorator, a class's base, an import, a
parameter's annotation), the context a document's next text builds with its memo and lines
equals a fresh one's; and a method moved by an Enter is not classified again."""

from __future__ import annotations

import random

import pytest
from test_taint_context_reuse import MODELS, TEXT, facts

from bastion.analyzers.taint import entries
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.engine.cache import LRU

HEADER = "from fastapi import FastAPI, Query\nfast = FastAPI()\n"
ROUTES = "".join(f'\n\n@fast.get("/r{i}")\ndef route_{i}(q: str = Query(None), n: int = 0):\n'
                 f"    return q\n" for i in range(6))
SOURCE = HEADER + TEXT + ROUTES
# (old, new): edits of what classifies a function
SWAPS = [('@app.route("/a")', '@app.get("/a")'), ('@app.route("/a")', "@staticmethod"),
         ("class Page(Base):", "class Page(object):"), ("class Page(Base):", "class Page(Long):"),
         ("import tornado.web\n", ""), ("from flask import Flask, request", "from flask import Flask"),
         ("def get(self, slug):", "def get(self, slug: int):"), ("q: str = Query(None)", "q: str"),
         ("n: int = 0", "n: str = Query(None)"), ("from fastapi import", "from fastapi_x import"),
         ('@view_defaults(route_name="home")\n', ""), ("def helper(req):", "def helper(request):"),
         ("app.add_url_rule", "app.add_rule")]


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    kind = rng.choice(["enter", "delete", "paste", "indent", "dedent", "swap", "swap"])
    if kind == "enter":
        return "\n".join(lines[:at] + [""] + lines[at:])
    if kind == "delete":
        return "\n".join(lines[:at] + lines[at + 1:])
    end = min(at + rng.randint(2, 8), len(lines))
    if kind == "paste":
        source = rng.randrange(len(lines))
        return "\n".join(lines[:at] + lines[source:source + end - at] + lines[at:])
    if kind == "indent":
        return "\n".join(lines[:at] + ["    " + line for line in lines[at:end]] + lines[end:])
    if kind == "dedent":
        return "\n".join(lines[:at] + [line.removeprefix("    ") for line in lines[at:end]]
                         + lines[end:])
    old, new = rng.choice(SWAPS)
    return text.replace(old, new) if old in text else text.replace(new, old)


@pytest.mark.parametrize("seed", range(8))
def test_a_context_kept_by_headers_equals_a_fresh_one(seed):
    rng = random.Random(seed)
    parser = BlockParser()
    memo = LRU(4096)
    text = SOURCE
    entered = 0
    for _ in range(20):
        tree = parser.parse(text)
        kept = module_context(tree, MODELS, memo, None, text, lines=text.split("\n"))
        assert facts(kept) == facts(module_context(tree, MODELS, None, None, text)), text
        entered += sum(f.entry is not None for f in kept.functions)
        text = _edit(text, rng)
    assert entered  # the edits left entries to classify


def test_a_method_an_enter_moves_is_not_classified_again(monkeypatch):
    parser = BlockParser()
    memo = LRU(4096)
    module_context(parser.parse(SOURCE), MODELS, memo, None, SOURCE, lines=SOURCE.split("\n"))
    classified: list[str] = []
    original = entries._classify

    def counted(function, *args, **kwargs):
        classified.append(function.name)
        return original(function, *args, **kwargs)

    monkeypatch.setattr(entries, "_classify", counted)
    text = SOURCE.replace("        return 3\n", "\n        return 3\n")  # in `Long.get_3`
    tree = parser.parse(text)
    module = module_context(tree, MODELS, memo, None, text, lines=text.split("\n"))
    assert classified == ["Long.get_3"]  # the edited method: its header gained a line
    assert module.function_named("Long.get_9").node.lineno == \
        next(n for n in tree.body if getattr(n, "name", "") == "Long").body[9].lineno
    assert module.function_named("route_5").entry is not None
    assert facts(module) == facts(module_context(tree, MODELS, None, None, text))
