"""The relevance step's one-pass needle scan (needles.py) gives exactly the per-function
searches' answers: a text it leaves out cannot match, and `relevant_functions` with it equals
`relevant_functions` searching every function's text, on random modules whose functions name
the sources' and the judged patterns' words at their boundaries, in strings and comments, as
parts of longer names, nested, decorated, with CRLF lines and Unicode case folds. The needles
the product is given (relevance.py's, verdicts.TRIGGER_NEEDLES) are checked against what `re`'s
own parser says every match holds: the parser is private, so only this test reads it."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

import bastion.analyzers.taint.relevance as relevance
from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.analyzers.taint.needles import without_match
from bastion.analyzers.taint.verdicts import TRIGGER, TRIGGER_NEEDLES
from bastion.engine.cache import LRU

try:  # `re`'s own parser: `re._parser` since 3.11, `sre_parse` before
    from re import _constants as sre_codes  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:
    try:
        import sre_constants as sre_codes
        import sre_parse
    except ImportError:
        sre_codes = sre_parse = None
needs_parser = pytest.mark.skipif(sre_parse is None, reason="this Python has no `re` parser to ask")

MODELS = load_models()
HEADER = "import os, sys, subprocess\nfrom flask import Flask, request, g\nfrom pickle import loads\n"
WORDS = ["request.args['q']", "request .args", "input()", "ınput()", "inputs()",
         "my_input()", "sys.argv", "os.system(a)", "run (a)", "rerun(a)", "truncate(a)", "recall(a)",
         "subprocess.call(a)", "eval(a)", "loads(a)", "x.Request(a)", "getoutput (a)", "Template(a)",
         "self.request.GET", "g.user_dir", "shell = a", "shell=True", "ſhell = a", "Kall(a)"]
TEXTS = ["SELECT a FROM t", "ſelect a from t", "update t set a", "İnsert into t", "delete\tfrom t",
         "DELETE  FROM t", "selected from", "ＳＥＬＥＣＴ a FROM t", "insert  into"]
STATEMENTS = [*(f"x = {w}" for w in WORDS), *(f"# {w}" for w in WORDS + TEXTS),
              *(f"x = {w!r}" for w in WORDS + TEXTS), *(f'"""{w}"""' for w in TEXTS),
              "x = (request\n        .args)", "x = (run\n        (a))"]


@st.composite
def modules(draw) -> str:
    blocks = [HEADER]
    for n in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(["view", "run", "input", "helper", "load", "select"])) + str(n % 3)
        decorator = draw(st.sampled_from(["", "@app.route('/x')\n", "@run\n", "@input\n"]))
        body = draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=4))
        lines = [f"    {s}" for s in body] + ["    pass"]
        if draw(st.booleans()):  # a nested function
            inner = draw(st.sampled_from(STATEMENTS))
            lines += ["    def inner():", f"        {inner}", "        pass", "    return inner"]
        function = f"{decorator}def {name}(a):\n" + "\n".join(lines)
        if draw(st.booleans()):  # a method, of a class whose __init__ may read a source
            init = draw(st.sampled_from(STATEMENTS))
            function = (f"class C{n}:\n    def __init__(self, a):\n        {init}\n        pass\n"
                        + "\n".join("    " + line for line in function.split("\n")))
        blocks.append(function)
        if draw(st.booleans()):
            blocks.append(draw(st.sampled_from(WORDS[:4] + ["x = 1", "# " + TEXTS[0]])))
    text = "\n".join(blocks) + "\n"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def relevant(text: str, prune: bool, cache: LRU | None) -> set[str]:
    module = module_context(ast.parse(text), MODELS, cache, None, text)
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
    real = relevance.without_match
    relevance.without_match = real if prune else (lambda check, texts: set())
    try:
        return relevance.relevant_functions(module, memo, MODELS)
    finally:
        relevance.without_match = real


@settings(max_examples=examples(150), deadline=None)
@example(HEADER + "def view(a):\n    x = 'ſelect a from t'\ndef run(a):\n    pass\n")
@example(HEADER + "def view(a):\n    x = rerun(a)\ndef b(a):\n    x = request .args\n")
@given(modules())
def test_relevant_functions_equal_every_function_searched(text):
    expected = relevant(text, prune=False, cache=None)
    assert relevant(text, prune=True, cache=None) == expected
    cache = LRU(4096)
    assert relevant(text, prune=True, cache=cache) == expected
    assert relevant(text, prune=True, cache=cache) == expected  # the answers kept


def required(items) -> set[str] | None:
    """Literal strings one of which every match of the parsed sequence `items` holds, the set
    whose shortest string is longest; None if no part of the sequence gives one (the oracle:
    needles.py read this from `re`'s parser before)."""
    found: list[set[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre_codes.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append({"".join(run)})
            run = []
        if op is sre_codes.BRANCH:
            choices = [required(alternative) for alternative in av[1]]
            if all(choices):
                found.append(set().union(*choices))
        elif op is sre_codes.SUBPATTERN:
            inner = required(av[3])
            if inner:
                found.append(inner)
    if not found:
        return None
    return max(found, key=lambda needles: min(len(n) for n in needles))


def literal_runs(items) -> set[str]:
    """The runs of literal characters of a parsed sequence, each in every match."""
    runs, run = set(), []
    for op, av in [*items, (None, None)]:
        if op is sre_codes.LITERAL:
            run.append(chr(av))
        elif run:
            runs.add("".join(run))
            run = []
    return runs


def parsed_needles(check: re.Pattern) -> tuple[str, ...]:
    return tuple(sorted(required(sre_parse.parse(check.pattern, check.flags)) or ()))


@needs_parser
def test_the_trigger_needles_are_in_every_match():
    held = parsed_needles(TRIGGER)
    assert held and all(any(n in h.lower() for n in TRIGGER_NEEDLES) for h in held), held


CHECKS = [TRIGGER, re.compile(r"\b(?:input|request\s*\.\s*args|sys\s*\.\s*argv)\b"),
          re.compile(r"(?i)\bselect\b"), re.compile(r"(?x) r u n \("), re.compile(r"ab(?=cd)|(?<!x)ef"),
          re.compile(r"[Ss]hell|k"), re.compile(r"(?:run|[0-9]x?)")]
ALPHABET = st.sampled_from(["a", "b", "c", "d", "e", "f", "x", "k", "K", "K", "s", "S", "ſ", "ı", "İ",
                            " ", "\n", "\r", "(", ".", "_", "run", "input", "request", "args", "select",
                            "SELECT", "shell", "from", "=", "é", "1"])


@needs_parser
@settings(max_examples=examples(300), deadline=None)
@example([("a", "ru"), ("b", "n(")], 3)
@example([("a", "ſelect"), ("b", "x")], 2)
@example([("a", "run("), ("b", "run(")], 3)  # a needle ending one text and starting the next
@example([("a", "1")], 6)  # an alternative with no needle
@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.lists(ALPHABET, max_size=12).map("".join)),
                max_size=6), st.sampled_from(range(len(CHECKS))))
def test_a_text_left_out_cannot_match(pairs, which):
    check = CHECKS[which]
    needles = TRIGGER_NEEDLES if check is TRIGGER else parsed_needles(check)
    absent = without_match(needles, pairs)
    for name, text in pairs:
        if name in absent:
            assert check.search(text) is None, (name, text)


def old_source_patterns(exact, roots, self_kinds):
    """relevance.py's `_trigger` loop before the roots were looked up by prefix (1959cbb)."""
    patterns = set()
    for name in exact:
        if "." not in name:
            patterns.add(re.escape(name))
            continue
        patterns.add(relevance._dotted(name.split(".")[:2]))
        for local, qualified in roots.items():
            if name == qualified:
                patterns.add(re.escape(local))
            elif name.startswith(qualified + "."):
                rest = name[len(qualified) + 1:].split(".", 1)[0].removesuffix("()")
                patterns.add(relevance._dotted([local, rest]))
        for kind in self_kinds:
            if name.startswith(kind + "."):
                patterns.add(relevance._dotted(["self", name[len(kind) + 1:].split(".", 1)[0]]))
    return patterns


SEGMENTS = st.sampled_from(["flask", "request", "args", "get()", "sys", "argv", "", "os", "environ"])
DOTTED = st.lists(SEGMENTS, min_size=1, max_size=4).map(".".join)


@settings(max_examples=examples(300), deadline=None)
@example({"flask.request.args"}, {"req": "flask.request", "flask": "flask"}, set())
@example({".a.b"}, {"x": ""}, set())  # an empty root
@given(st.sets(DOTTED, max_size=6), st.dictionaries(st.sampled_from(["r", "q", "flask", "os"]), DOTTED),
       st.sets(DOTTED, max_size=2))
def test_source_patterns_equal_every_root_tried(exact, roots, self_kinds):
    models = type("M", (), {"digest": repr(sorted(exact)), "sources": type("S", (), {"exact": exact})})
    expected = old_source_patterns(exact, roots, self_kinds)
    patterns = relevance._source_patterns(models, roots, self_kinds)
    assert patterns == expected
    if sre_parse is not None:  # each pattern's needle is a literal run every match holds
        for pattern in patterns:
            needle, runs = relevance._longest_part(pattern), literal_runs(sre_parse.parse(pattern))
            if not needle:  # rules nothing out: only where the names are empty, around dots
                assert runs <= {"."}, pattern
                continue
            assert needle in runs, pattern
            assert len(needle) >= min(map(len, required(sre_parse.parse(pattern)))), pattern
