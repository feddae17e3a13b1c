"""The block parser's runs kept from the last text (block_runs.py): keystrokes in a long class
(and edits around it) parse as a fresh parser parses each text, and the taint analysis of
each text equals a fresh one; a keystroke decides the blocks around it only."""

from __future__ import annotations

import ast
import random

import pytest

from bastion.analyzers.taint import block_runs
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.blocks import BlockParser


def _method(n: int) -> str:
    if n % 5 == 0:
        return (f"    def m{n}(self, a):\n        '''Doc {n}.'''\n"
                f"        value = request.args.get('q{n}')\n        return self.m{n + 1}(value)\n")
    if n % 5 == 1:
        return f"    def m{n}(self, a):\n        subprocess.call(a, shell=True)\n        return a\n"
    if n % 5 == 2:
        return f"    @property\n    def m{n}(self):\n        return call(self.x,\n                    {n})\n"
    return f"    def m{n}(self, a):\n        x = [a,\n             {n}]\n        return x\n"


SOURCE = ("import subprocess\nfrom flask import request\n\n\ndef before(x):\n    return x\n\n\n"
          "class Long:\n    '''A class parsed member by member.'''\n\n"
          + "\n".join(_method(n) for n in range(40))
          + "\n\ndef after(y):\n    subprocess.call(y, shell=True)\n\n\nclass Short:\n    pass\n")
TYPED = list("x(:)[]'\" #\\") + ["'''", "request.args['v']", "subprocess.call(", "    "]


def _texts(seed: int, count: int) -> list[str]:
    """Keystrokes, mostly inside the long class, some joined or split lines and pasted pieces."""
    rng = random.Random(seed)
    lines = SOURCE.split("\n")
    texts = []
    for _ in range(count):
        at = rng.randrange(8, len(lines) - 8) if rng.random() < 0.8 else rng.randrange(len(lines))
        line = lines[at]
        action = rng.random()
        if action < 0.45 and line:
            column = rng.randrange(len(line))
            lines[at] = line[:column] + line[column + 1:]
        elif action < 0.9:
            column = rng.randrange(len(line) + 1)
            lines[at] = line[:column] + rng.choice(TYPED) + line[column:]
        elif action < 0.95:
            lines.insert(at, rng.choice(["", "    def typed(self):", "'''", "        return ("]))
        elif len(lines) > 20:
            del lines[at]
        texts.append("\n".join(lines))
    return texts


def _dump(module: ast.Module) -> str:
    return ast.dump(module, include_attributes=True)


def test_keystrokes_in_a_long_class_parse_as_fresh_parses():
    for seed in range(2):
        warm = BlockParser()
        warm.parse(SOURCE)
        for text in _texts(seed, 40):
            assert _dump(warm.parse(text)) == _dump(BlockParser().parse(text)), (seed, text)


def _described(findings) -> list[tuple]:
    return [(f.rule_id, f.span, f.message, f.confidence, f.steps) for f in findings]


@pytest.mark.slow  # ~2 s: 30 analyses from scratch
def test_keystrokes_in_a_long_class_analyse_as_fresh_analyses():
    warm, fresh = TaintAnalyzer(), TaintAnalyzer()
    assert warm.analyse_file(SOURCE, "long.py")  # the test's module has findings to keep equal
    for text in _texts(11, 30):
        fresh.forget()  # as a new analyzer (test_taint_incremental.py), its models loaded once
        assert _described(warm.analyse_file(text, "long.py")) == _described(
            fresh.analyse_file(text, "long.py")), text


def test_a_keystroke_in_a_long_class_decides_the_blocks_around_it_only(monkeypatch):
    lines = SOURCE.split("\n")
    at = lines.index("    def m20(self, a):") + 2
    parser = BlockParser()
    parser.parse(SOURCE)
    typed = list(lines)
    typed[at] += "x"
    parser.parse("\n".join(typed))  # the first keystroke there decides every block
    decided, begin = [], block_runs.Run.begin
    monkeypatch.setattr(block_runs.Run, "begin",
                        lambda run, low, reach: decided.append(low) or begin(run, low, reach))
    for text in ("x(", "x(a", "x(a)"):
        typed[at] = lines[at] + text
        parser.parse("\n".join(typed))
        # the few top-level blocks, and the class's members up to MAX_MERGE around m20's
        members = [low for low in decided if lines[low].startswith("    ")]
        assert len(decided) < 30 and members, decided
        assert lines.index("    def m10(self, a):") < min(members) < max(members) < lines.index(
            "    def m30(self, a):"), decided
        decided.clear()


def test_a_string_opened_in_a_method_changes_the_starts_after_it():
    """A triple quote typed in one method moves the block starts after it, each keystroke
    elsewhere than the last: the segments after the edit are the last text's only from where the
    starts are again those of the last text."""
    lines = SOURCE.split("\n")
    at = lines.index("    def m20(self, a):") + 2
    warm = BlockParser()
    warm.parse(SOURCE)
    for typed in ("'", "''", "'''", "'''x", "'''x'", "'''x''", "'''x'''", "'''x''", "'''x", "'''", ""):
        text = "\n".join([*lines[:at], lines[at] + typed, *lines[at + 1:]])
        assert _dump(warm.parse(text)) == _dump(BlockParser().parse(text)), typed
