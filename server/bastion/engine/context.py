"""Import facts per unit, and the import context bandit would have at each unit.

Bandit accumulates `imports` and `import_aliases` while it walks a file, so a unit must be
analysed with the facts of every unit before it: without them `import subprocess as sp`
followed by `sp.call(cmd, shell=True)` is reported as B604 instead of B602.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator

import attrs

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


@attrs.frozen
class Context:
    """The import context before a unit: the facts of every earlier unit folded the way bandit's
    visitor folds them. Immutable, so analyses can keep the context of each unit and resume
    from it; `digest` identifies it in cache keys."""

    imports: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()
    digest: bytes = b""

    def current(self) -> ImportContext:
        return ImportContext(self.imports, self.aliases)

    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    def plus(self, facts: tuple[ImportFact, ...]) -> Context:
        if not facts:
            return self
        imports, aliases = set(self.imports), dict(self.aliases)
        for fact in facts:
            if fact[0] == "import":
                _, name, asname = fact
                if asname:
                    aliases[asname] = name
                imports.add(name)
            else:
                _, module, name, asname = fact
                aliases[asname or name] = f"{module}.{name}"
                imports.add(f"{module}.{name}")
        digest = hashlib.blake2b(self.digest + repr(facts).encode(), digest_size=16).digest()
        return Context(frozenset(imports), tuple(aliases.items()), digest)


EMPTY = Context()
