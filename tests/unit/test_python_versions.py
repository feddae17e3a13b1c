"""Bastion supports Python >= 3.10 while its developers run 3.11+: stdlib modules newer than 3.10
are imported only behind a version check (test-all.sh also runs the unit tests on each version)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server" / "bastion"
NEWER_STDLIB = {"tomllib": "3.11"}  # module -> version that added it


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside `if sys.version_info ...:` or a `try:` whose handler falls back."""
    while node in parents:
        parent = parents[node]
        if isinstance(parent, ast.If) and "version_info" in ast.unparse(parent.test):
            return True
        if isinstance(parent, ast.Try) and node in parent.body:
            return True
        node = parent
    return False


def _unguarded_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module.split(".")[0]]
        for name in names:
            if name in NEWER_STDLIB and not _guarded(node, parents):
                found.append(f"{path.relative_to(SERVER.parent)}:{node.lineno}: {name} "
                             f"(Python {NEWER_STDLIB[name]}+)")
    return found


def test_newer_stdlib_is_imported_behind_a_version_check():
    assert [found for path in sorted(SERVER.rglob("*.py")) for found in _unguarded_imports(path)] == []
