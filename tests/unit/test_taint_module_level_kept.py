"""What a module's top-level statements bind (taint/module_level.py), kept for the next text of a
document while its statements other than definitions are the very nodes the block parser handed
back: seeded edits of stdlib modules (in functions, in classes, at module level: imports,
constants, calls; edits that break the syntax too), replayed through one memo and one block
parser, bind what a fresh scan of the same tree binds, and the module context built on it is the
fresh one's, and whether it names argparse's declaring words answered per edit is the whole
text's answer; a keystroke in a function does not scan the module's statements again."""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest

from bastion.analyzers.taint import module_level
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.argparse_choices import declares_arguments
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.context_reuse import declaring_words
from bastion.engine.cache import LRU

MODELS = load_models()
STDLIB = Path(sysconfig.get_paths()["stdlib"])
INSERTED = ("import re\n", "from os import path as system\n", "CMD = 'ls'\n", "LIST = [1, 2]\n",
            "app = Flask(__name__)\n", "sh = lambda c: os.system(c)\n", "    x = 1\n",
            "        return 2\n", "global CMD\n", "if 1:\n    import json\n", "try:\n", "",
            "    parser.add_argument('--n', type=int)\n", "p.set_defaults(func=run)\n")
CHARS = ("a", " ", "(", ":", "'", "\n", "#", "=")


def _edit(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    how = rng.randrange(4)
    if how >= 2 and rng.random() < 0.5:  # a statement's line at module level, most often
        at = rng.choice([n for n, line in enumerate(lines) if line[:1].isalpha()] or [at])
    if how == 0:  # a line, at module level or indented, somewhere
        lines.insert(at, rng.choice(INSERTED).rstrip("\n"))
    elif how == 1:
        del lines[at]
    else:  # a character typed or deleted on a line
        line = lines[at]
        col = rng.randrange(len(line) + 1)
        lines[at] = line[:col] + rng.choice(CHARS) + line[col:] if how == 2 else \
            line[:col] + line[col + 1:]
    return "\n".join(lines)


def _facts(level: module_level.ModuleLevel, tree: ast.Module) -> dict:
    """Everything bound; nodes by identity but wrappers (a kept one is equal, made before)."""
    parsed = {id(node) for node in module_level.module_statements(tree.body)}
    return {"env": (level.env.aliases, level.env.imports),
            "constants": {k: (v.const, v.items and {i: c.const for i, c in v.items.items()})
                          for k, v in level.constants.items()},
            "kinds": level.kinds, "patterns": level.patterns, "containers": level.containers,
            "definitions": [id(d) if id(d) in parsed else ast.dump(d, include_attributes=True)
                            for d in level.definitions],
            "expressions": [id(e) for e in level.expressions], "imported": level.imported,
            "counts": level.bindings.counts, "star": level.bindings.star}


def _replay(name: str, seed: int, edits: int) -> int:
    """Checks each version; how many versions scanned the module's statements again."""
    rng = random.Random(seed)
    text = (STDLIB / name).read_text(encoding="utf-8")
    parser, memo, scanned = BlockParser(), LRU(4096), 0
    for version in range(edits):
        text = _edit(rng, text) if version else text
        tree = parser.parse(text)
        kept = module_level.kept_level(memo, [n for n in tree.body if not isinstance(
            n, module_level._DEFINITIONS)])
        scanned += kept is None
        assert _facts(module_level.module_level(tree, memo, text), tree) == \
            _facts(module_level.module_level(tree, None, text), tree), (name, seed, version)
        assert declares_arguments(text, None, declaring_words(memo)) == declares_arguments(text)
        if version % 8 == 7:  # the whole context too (costlier)
            assert module_context(tree, MODELS, memo, None, text).digest == \
                module_context(tree, MODELS, None, None, text).digest, (name, seed, version)
    return scanned


@pytest.mark.parametrize(("name", "seed"), [("argparse.py", 1), ("subprocess.py", 2),
                                             ("_pydecimal.py", 3), ("textwrap.py", 4),
                                             ("logging/__init__.py", 5)])
def test_kept_statements_bind_what_a_fresh_scan_binds(name, seed):
    scanned = _replay(name, seed, 40)
    assert scanned < 40  # some edits left every statement but definitions as it was


def test_a_keystroke_in_a_function_does_not_scan_the_module_again(monkeypatch):
    text = "import os\nCMD = 'ls'\nrun = lambda c: os.system(c)\n\n\ndef f(x):\n    return x\n"
    parser, memo = BlockParser(), LRU(4096)
    module_context(parser.parse(text), MODELS, memo, None, text)
    scans: list[list[ast.stmt]] = []
    original = module_level._bound

    def counted(statements, memo):
        scans.append(statements)
        return original(statements, memo)

    monkeypatch.setattr(module_level, "_bound", counted)
    for old, new, again in (("return x", "return x + 1", False), ("'ls'", "'rm'", True),
                            ("x + 1", "os.system(x)", False), ("import os", "import os, re", True)):
        text = text.replace(old, new)
        tree = parser.parse(text)
        scans.clear()
        module = module_context(tree, MODELS, memo, None, text)
        assert bool(scans) == again, (old, new)
        assert module.digest == module_context(tree, MODELS, None, None, text).digest
    assert module.constants["CMD"].const == "rm" and "re" in module.env.imports
    assert module.function_named("run") is not None  # the kept wrapper


def test_a_statement_moved_in_place_is_scanned_again():
    """A wrapper is located at its value: the same nodes at other lines make it again."""
    text = "import os\nsh = lambda c: os.system(c)\n"
    tree, memo = ast.parse(text), LRU(4096)
    module_level.module_level(tree, memo, text)
    ast.increment_lineno(tree, 2)
    moved = "\n\n" + text
    assert _facts(module_level.module_level(tree, memo, moved), tree) == \
        _facts(module_level.module_level(tree, None, moved), tree)
