"""No module of the server imports another module's private names (`_name`): what one module needs
of another is that module's public API, so that a module can change its private parts alone."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server" / "bastion"


def _private_imports(path: Path, root: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("bastion")):
            found += [f"{path.relative_to(root)}:{node.lineno}: {alias.name}" for alias in node.names
                      if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_no_module_imports_private_names_of_another():
    assert [line for path in sorted(SERVER.rglob("*.py")) for line in _private_imports(path, SERVER)] == []


def test_the_check_sees_a_private_import_in_a_parenthesised_list(tmp_path):
    # The form the `grep "from .* import .*\b_"` of a review missed: one name per line.
    module = tmp_path / "m.py"
    module.write_text("from bastion.engine.splitter import (\n    _split_region,\n    split_document,\n)\n"
                      "from .units import __all__\nfrom re import _parser\n")
    assert _private_imports(module, tmp_path) == ["m.py:1: _split_region"]
