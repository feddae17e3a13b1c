"""The models of one section (sinks, sources, ...) indexed by exact qualified name, by `*` glob
and by method name, with a memo of the names looked up: the interpreter asks the same few names
in every function (specs.Models holds one per section)."""

from __future__ import annotations

from collections.abc import Callable

from bastion.analyzers.matchers import NameSet


class ModelIndex:
    """Models by exact qualified name, by `*` glob and by method name; look-ups are memoized
    (the same few names recur in every function): `by_name(name)` is the memo's own look-up,
    in C, which finds them the first time (`_Found.__missing__`); some 1,400 a long view."""

    def __init__(self) -> None:
        self.exact: dict[str, list] = {}
        self.globs: list[tuple[NameSet, object]] = []
        self.methods: dict[str, list] = {}
        self._memo = _Found(self)
        self.by_name: Callable[[str | None], list] = self._memo.__getitem__
        self._owners: set[str] | None = None  # `holds_members`' table, made when first asked

    def add(self, names: list[str], methods: list[str], model: object) -> None:
        self._memo.clear()
        self._owners = None
        for name in names:
            if "*" in name:
                self.globs.append((NameSet([name]), model))
            else:
                self.exact.setdefault(name, []).append(model)
        for method in methods:
            self.methods.setdefault(method, []).append(model)

    def holds_members(self, kind: str) -> bool:
        """Whether an exact name is `kind` followed by a dot (`flask.request.args` for
        `flask.request`): one look-up in the names' dotted prefixes, made once, not a test of
        each name (~830 calls at the key that first types a name: `user_input`, its kind)."""
        if self._owners is None:
            owners = self._owners = set()
            for name in self.exact:
                at = name.find(".")
                while at != -1:
                    owners.add(name[:at])
                    at = name.find(".", at + 1)
        return kind in self._owners

    def looked_up(self, name: str) -> list:
        found = self.exact.get(name, [])
        if self.globs:
            found = found + [m for names, m in self.globs if name in names]
        return found


class _Found(dict):
    """`ModelIndex`'s memo: name -> its models, looked up when first asked."""

    __slots__ = ("_index",)

    def __init__(self, index: ModelIndex) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, name: str | None) -> list:
        if name is None:
            return []
        found = self._index.looked_up(name)
        if len(self) > 50_000:
            self.clear()
        self[name] = found
        return found
