"""Import facts per unit, and the import context bandit would have at each unit.

Bandit accumulates `imports` and `import_aliases` while it walks a file, so a unit must be
analysed with the facts of every unit before it: without them `import subprocess as sp`
followed by `sp.call(cmd, shell=True)` is reported as B604 instead of B602.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.analyzers.base import ImportContext
from bastion.digests import blake2b

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


class Context:
    """The import context before a unit: the facts of every earlier unit folded the way bandit's
    visitor folds them. Immutable, so analyses can keep the context of each unit and resume
    from it; `digest` identifies it in cache keys (and equality).

    Each context holds only the facts its unit added and the context before it: the folded
    sets are built when an analyzer asks for them (`current`), from the nearest context before
    that has them. Building them at every step copied the whole import set per import
    statement: quadratic on a file made of imports, when a whole-file analysis needs only the
    digests."""

    __slots__ = ("_before", "_facts", "digest", "_folded")

    def __init__(self, before: Context | None = None, facts: tuple[ImportFact, ...] = (),
                 digest: bytes = b"") -> None:
        self._before, self._facts, self.digest = before, facts, digest
        self._folded: tuple[frozenset[str], tuple[tuple[str, str], ...]] | None = (
            None if before is not None else (frozenset(), ()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Context) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        return f"Context({self.digest.hex()})"

    @property
    def imports(self) -> frozenset[str]:
        return self._fold()[0]

    @property
    def aliases(self) -> tuple[tuple[str, str], ...]:
        return self._fold()[1]

    def current(self) -> ImportContext:
        return ImportContext(self.imports, self.aliases)

    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    def plus(self, facts: tuple[ImportFact, ...]) -> Context:
        if not facts:
            return self
        digest = blake2b(self.digest + repr(facts).encode(), digest_size=16).digest()
        return Context(self, facts, digest)

    def _fold(self) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
        if self._folded is None:
            chain, known = [], self
            while known._folded is None:
                chain.append(known._facts)
                known = known._before
            imports, aliases = set(known._folded[0]), dict(known._folded[1])
            for facts in reversed(chain):
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
            self._folded = (frozenset(imports), tuple(aliases.items()))
            self._before = None  # the chain is no longer needed: let it go
        return self._folded


EMPTY = Context()
