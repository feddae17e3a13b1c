"""`class_facts`, what the summary store reads of every module a file imports, is what
`module_context` makes of the same classes (bases, record fields, stores into Flask's `g`, form
classes), on every tree of the fixtures, Bastion's own analyzers and a part of the standard
library: the store no longer builds a whole module context for them."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from tests.unit.test_taint_workspace_records import RECORDS
from tests.unit.test_taint_workspace_scoped import AUTH

from bastion.analyzers.taint.context import class_facts, module_context
from bastion.analyzers.taint.model_files import load_models
from bastion.parsing import parse_code

ROOT = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODELS = load_models()


def _texts():
    for text in (AUTH, RECORDS):  # what a hook stores in Flask's `g`; record classes
        yield text, parse_code(text)
    folders = (ROOT / "tests" / "fixtures", ROOT / "server" / "bastion" / "analyzers",
               STDLIB / "email", STDLIB / "http", STDLIB / "logging")
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            try:
                text = path.read_text(encoding="utf-8")
                yield text, parse_code(text)
            except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
                continue


def test_class_facts_are_the_module_contexts():
    modules = 0
    seen = {"class_bases": 0, "records": 0, "scoped": 0, "forms": 0}
    for text, tree in _texts():
        modules += 1
        whole = module_context(tree, MODELS, text=text)
        facts = class_facts(tree, MODELS, text=text)
        for field in seen:
            assert getattr(facts, field) == getattr(whole, field), field
            seen[field] += bool(getattr(whole, field))
    assert modules > 250
    # every fact is met on some module, so that each comparison can fail
    assert all(count > 0 for count in seen.values()), seen
