"""The TOML rules' walk leaves names and constants off its stack (`_INERT`) without changing
what it finds: a python check on either type still sees every one, and the catalog's rules
find the same over the repository's fixtures and examples with nothing left off."""

from __future__ import annotations

import ast
from pathlib import Path

from bastion.analyzers.toml_rules import OwnRule, TomlRulesAnalyzer
from bastion.engine.registry import create_engine
from bastion.model import Level

ROOT = Path(__file__).resolve().parents[2]
TEXT = 'password = "hunter2"\n\ndef f(token):\n    return g(token, [token, "x", 1, None], k=token)\n'


class _Every:
    """A python check matching every node of one type."""

    def __init__(self, node_type: type) -> None:
        self.node_types = (node_type,)

    def __call__(self, node: ast.AST, env) -> bool:
        return True


def _spans(node_type: type) -> list:
    rule = OwnRule("BST999", "every_node", "every node", Level.LOW, Level.LOW, None,
                   (_Every(node_type),))
    engine = create_engine()
    engine.analyzers = [TomlRulesAnalyzer([rule], "test")]
    return sorted(f.span for f in engine.analyse_raw(TEXT, "m.py").findings)


def test_a_python_check_on_names_or_constants_sees_every_one():
    tree = ast.parse(TEXT)
    for node_type in (ast.Name, ast.Constant):
        count = sum(isinstance(node, node_type) for node in ast.walk(tree))
        assert count >= 4
        assert len(_spans(node_type)) == count


def test_the_catalog_finds_the_same_with_nothing_left_off():
    paths = sorted([*(ROOT / "tests" / "fixtures").rglob("*.py"), *(ROOT / "examples").rglob("*.py")])
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]

    def findings(engine) -> list:
        return [sorted((f.rule_id, f.span) for f in engine.analyse_raw(text, path).findings
                       if f.source == "bastion") for path, text in texts]

    lean = create_engine(unit_caches=False)
    full = create_engine(unit_caches=False)
    toml = next(a for a in full.analyzers if a.id == "bastion")
    assert toml._inert
    toml._inert = frozenset()
    expected = findings(full)
    assert sum(map(len, expected)) > 20
    assert findings(lean) == expected
