"""Import facts per unit, and the import context bandit would have at each unit.

Bandit accumulates `imports` and `import_aliases` while it walks a file, so a unit must be
analysed with the facts of every unit before it: without them `import subprocess as sp`
followed by `sp.call(cmd, shell=True)` is reported as B604 instead of B602.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator

from bastion.analyzers.base import ImportContext

# ("import", name, asname) or ("from", module, name, asname), in bandit's visiting order.
ImportFact = tuple


def import_facts(tree: ast.AST) -> tuple[ImportFact, ...]:
    return tuple(_facts(tree))


def _facts(node: ast.AST) -> Iterator[ImportFact]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import) or (isinstance(child, ast.ImportFrom) and child.module is None):
            for alias in child.names:
                yield ("import", alias.name, alias.asname)
        elif isinstance(child, ast.ImportFrom):
            for alias in child.names:
                yield ("from", child.module, alias.name, alias.asname)
        yield from _facts(child)


class ContextBuilder:
    """Walks units in document order, folding their import facts the way bandit's visitor does."""

    def __init__(self) -> None:
        self.imports: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.digest = b""

    def current(self) -> ImportContext:
        return ImportContext(frozenset(self.imports), tuple(self.aliases.items()))

    def add(self, facts: tuple[ImportFact, ...]) -> None:
        if not facts:
            return
        for fact in facts:
            if fact[0] == "import":
                _, name, asname = fact
                if asname:
                    self.aliases[asname] = name
                self.imports.add(name)
            else:
                _, module, name, asname = fact
                self.aliases[asname or name] = f"{module}.{name}"
                self.imports.add(f"{module}.{name}")
        self.digest = hashlib.blake2b(self.digest + repr(facts).encode(), digest_size=16).digest()
