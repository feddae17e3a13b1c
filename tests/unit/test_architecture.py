"""Layering read from the import statements: the language server (bastion/lsp/) reaches the
analyses through the engine's public API alone, never an analyzer's package (whose internals
change with the analyzer), and the engine knows nothing of LSP."""

from __future__ import annotations

import ast
from pathlib import Path

import bastion

PACKAGE = Path(bastion.__file__).resolve().parent


def _imported(path: Path) -> set[str]:
    """Every module an import statement of the file names (anywhere in it), and for `from a
    import b` both `a` and `a.b` (b may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _importing(folder: str, packages: tuple[str, ...]) -> list[tuple[str, str]]:
    root = PACKAGE / folder
    return sorted((path.relative_to(root).as_posix(), name) for path in root.rglob("*.py")
                  for name in _imported(path) if any(_under(name, p) for p in packages))


def test_the_language_server_imports_no_analyzer():
    assert _importing("lsp", ("bastion.analyzers",)) == []


def test_the_engine_knows_nothing_of_lsp():
    assert _importing("engine", ("bastion.lsp", "lsprotocol", "pygls")) == []


def test_the_reader_sees_imports_inside_functions_and_from_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bastion import analyzers\n    import bastion.lsp.server\n",
                      encoding="utf-8")
    assert {"bastion.analyzers", "bastion.lsp.server"} <= _imported(module)
